/*
 * dot.c — the shell's own commands: a line starting with '.', outside a
 * statement, with no ';' (the sqlite3 / DuckDB family). Arguments are split
 * at blanks; '...' or "..." keeps blanks in one argument. Each command
 * returns false when it fails, which counts as a failed statement (exit
 * status 1, and -bail stops there).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

enum { MAX_ARGS = 16 };

static const char help_text[] =
    ".bail on|off            stop at the first error (also -bail)\n"
    ".exit [CODE]            leave the shell (with exit status CODE)\n"
    ".headers on|off         CSV header line (default on)\n"
    ".help                   show this list\n"
    ".maxrows N              table mode: rows shown, then \"only showing top N rows\"\n"
    "                        (default 20, like show(); -1 shows all)\n"
    ".mode [MODE]            output mode: table (default), csv, json, jsonl,\n"
    "                        markdown, line; without MODE, print the current one\n"
    ".output [FILE]          send results to FILE (truncated), or back to stdout\n"
    ".print TEXT...          print TEXT\n"
    ".quit                   leave the shell (also Ctrl-D)\n"
    ".read FILE              run the statements and commands of FILE\n"
    ".schema [NAME]          the schema of NAME (all tables without NAME), as\n"
    "                        Spark's printSchema() prints it\n"
    ".show                   the current settings\n"
    ".tables                 list tables, views and streams (SHOW TABLES)\n"
    ".timer on|off           print the run time after each statement\n"
    ".truncate N|on|off      table mode: cut cells longer than N characters\n"
    "                        (default 20, like show(); 0 or off: never)\n"
    "Statements end with ';' and may span lines. Ctrl-C cancels the running\n"
    "statement (streaming queries started with START QUERY keep running; STOP QUERY\n"
    "stops them) or clears the line being typed; Ctrl-D leaves.\n";

typedef struct dot_args {
    int argc;
    char *argv[MAX_ARGS];
    char *buf;
} dot_args;

/* Splits line (after the leading '.') into arguments. False if too many. */
static bool split(const char *line, dot_args *a) {
    memset(a, 0, sizeof *a);
    a->buf = strdup(line);
    if (!a->buf) return false;
    char *p = a->buf;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '.') p++;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r') p++;
        if (!*p) return true;
        if (a->argc == MAX_ARGS) return false;
        char *w = p, *o = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r') {
            if (*p == '\'' || *p == '"') {
                char q = *p++;
                while (*p && *p != q) *o++ = *p++;
                if (*p) p++;
            } else {
                *o++ = *p++;
            }
        }
        bool end = *p == '\0';
        *o = '\0';
        a->argv[a->argc++] = w;
        if (end) return true;
        p++;
    }
}

static bool parse_bool(const char *s, bool *v) {
    static const char *const yes[] = {"on", "yes", "true", "1"};
    static const char *const no[] = {"off", "no", "false", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) return *v = true, true;
        if (strcasecmp(s, no[i]) == 0) return *v = false, true;
    }
    return false;
}

static bool parse_int(const char *s, long long min, long long max, long long *v) {
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (errno || end == s || *end || n < min || n > max) return false;
    *v = n;
    return true;
}

static bool usage(const char *u) {
    cli_err_printf("Error: usage: %s\n", u);
    return false;
}

/* .bail/.headers/.timer: one on|off argument. */
static bool set_flag(const dot_args *a, const char *u, bool *flag) {
    if (a->argc != 2 || !parse_bool(a->argv[1], flag)) return usage(u);
    return true;
}

static bool do_mode(cli_shell *sh, const dot_args *a) {
    if (a->argc == 1) {
        cli_stdout_printf("current output mode: %s\n", cli_mode_name(sh->render.mode));
        return true;
    }
    if (a->argc != 2 || !cli_mode_parse(a->argv[1], &sh->render.mode))
        return usage(".mode table|csv|json|jsonl|markdown|line");
    return true;
}

static bool do_maxrows(cli_shell *sh, const dot_args *a) {
    long long n;
    if (a->argc != 2) return usage(".maxrows N");
    if (strcasecmp(a->argv[1], "all") == 0) {
        n = -1;
    } else if (!parse_int(a->argv[1], INT64_MIN, INT64_MAX, &n)) {
        return usage(".maxrows N (a number; -1 for all rows)");
    }
    sh->render.max_rows = n < 0 ? -1 : (int64_t)n;
    return true;
}

static bool do_truncate(cli_shell *sh, const dot_args *a) {
    long long n;
    bool on;
    if (a->argc != 2) return usage(".truncate N|on|off");
    if (parse_int(a->argv[1], 0, INT32_MAX, &n)) {
        sh->render.truncate = (int32_t)n;
    } else if (parse_bool(a->argv[1], &on)) {
        sh->render.truncate = on ? 20 : 0;
    } else {
        return usage(".truncate N|on|off (N >= 0 characters; 0 or off: never)");
    }
    return true;
}

static bool do_output(cli_shell *sh, const dot_args *a) {
    (void)sh;
    if (a->argc > 2) return usage(".output [FILE]");
    const char *path = a->argc == 2 ? a->argv[1] : NULL;
    if (path && (strcmp(path, "stdout") == 0 || strcmp(path, "-") == 0)) path = NULL;
    if (cli_out_open(path) != 0) {
        cli_err_printf("Error: cannot write %s: %s\n", path ? path : "the previous output file",
                       strerror(errno));
        return false;
    }
    return true;
}

static bool do_read(cli_shell *sh, const dot_args *a) {
    if (a->argc != 2) return usage(".read FILE");
    return cli_run_file(sh, a->argv[1]);
}

static bool do_tables(cli_shell *sh, const dot_args *a) {
    if (a->argc != 1) return usage(".tables");
    sl_result *r = cli_exec_internal(sh, "SHOW TABLES");
    if (!r) return false;
    bool ok = cli_render(sh, r);
    sl_result_destroy(&r);
    return ok;
}

static bool do_exit(cli_shell *sh, const dot_args *a) {
    long long code = 0;
    if (a->argc > 2 || (a->argc == 2 && !parse_int(a->argv[1], 0, 255, &code)))
        return usage(".exit [CODE] (0 to 255)");
    if (a->argc == 2) sh->exit_code = (int)code;
    sh->quit = true;
    return true;
}

static bool do_print(cli_shell *sh, const dot_args *a) {
    (void)sh;
    cli_out_lock();
    for (int i = 1; i < a->argc; i++) {
        if (i > 1) cli_out_write(NULL, " ", 1);
        cli_out_write(NULL, a->argv[i], strlen(a->argv[i]));
    }
    cli_out_write(NULL, "\n", 1);
    cli_out_flush();
    cli_out_unlock();
    return true;
}

static bool do_show(cli_shell *sh, const dot_args *a) {
    if (a->argc != 1) return usage(".show");
    const sl_render_options *o = &sh->render;
    char maxrows[32];
    if (o->max_rows < 0)
        snprintf(maxrows, sizeof maxrows, "all");
    else
        snprintf(maxrows, sizeof maxrows, "%lld", (long long)o->max_rows);
    cli_stdout_printf("        bail: %s\n     headers: %s\n        mode: %s\n     maxrows: %s\n"
                      "      output: %s\n       timer: %s\n    truncate: %ld\n",
                      sh->bail ? "on" : "off", o->header ? "on" : "off", cli_mode_name(o->mode),
                      maxrows, cli_out_is_stdout() ? "stdout" : "file", sh->timer ? "on" : "off",
                      (long)o->truncate);
    return true;
}

bool cli_dot_run(cli_shell *sh, const char *line) {
    dot_args a;
    if (!split(line, &a)) {
        free(a.buf);
        cli_err_printf("Error: too many arguments\n");
        return false;
    }
    bool ok;
    const char *c = a.argc > 0 ? a.argv[0] : "";
    if (strcmp(c, "help") == 0) {
        cli_stdout_printf("%s", help_text);
        ok = true;
    } else if (strcmp(c, "mode") == 0) {
        ok = do_mode(sh, &a);
    } else if (strcmp(c, "headers") == 0 || strcmp(c, "header") == 0) {
        ok = set_flag(&a, ".headers on|off", &sh->render.header);
    } else if (strcmp(c, "timer") == 0) {
        ok = set_flag(&a, ".timer on|off", &sh->timer);
    } else if (strcmp(c, "bail") == 0) {
        ok = set_flag(&a, ".bail on|off", &sh->bail);
    } else if (strcmp(c, "maxrows") == 0) {
        ok = do_maxrows(sh, &a);
    } else if (strcmp(c, "truncate") == 0) {
        ok = do_truncate(sh, &a);
    } else if (strcmp(c, "output") == 0) {
        ok = do_output(sh, &a);
    } else if (strcmp(c, "read") == 0) {
        ok = do_read(sh, &a);
    } else if (strcmp(c, "tables") == 0) {
        ok = do_tables(sh, &a);
    } else if (strcmp(c, "schema") == 0) {
        ok = a.argc <= 2 ? cli_schema_print(sh, a.argc == 2 ? a.argv[1] : NULL)
                         : usage(".schema [NAME]");
    } else if (strcmp(c, "quit") == 0 || strcmp(c, "exit") == 0) {
        ok = do_exit(sh, &a);
    } else if (strcmp(c, "print") == 0) {
        ok = do_print(sh, &a);
    } else if (strcmp(c, "show") == 0) {
        ok = do_show(sh, &a);
    } else {
        char name[44];
        size_t n = 0;
        for (const char *p = c; *p && n < 40; p++, n++)
            name[n] = (*p >= 0x20 && *p < 0x7F) ? *p : '?';
        name[n] = '\0';
        cli_err_printf("Error: unknown command or invalid arguments: \"%s%s\". Enter \".help\" "
                       "for help\n",
                       name, strlen(c) > n ? "..." : "");
        ok = false;
    }
    free(a.buf);
    return ok;
}
