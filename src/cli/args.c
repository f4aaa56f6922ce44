/*
 * args.c — the command line of the `sluice` shell. Options may be written
 * with one or two dashes (`-bail`, `--bail`, like sqlite3 and psql), and
 * those that take a value accept `--opt value` and `--opt=value`. -c and -f
 * are kept in the order given; --threads, --master and --conf become
 * sl_config_set calls, applied in order by shell.c. A bad command line is
 * reported on stderr and gives exit status 2.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const mode_names[] = {
    [SL_RENDER_TABLE] = "table", [SL_RENDER_CSV] = "csv",           [SL_RENDER_JSON] = "json",
    [SL_RENDER_JSONL] = "jsonl", [SL_RENDER_MARKDOWN] = "markdown", [SL_RENDER_LINE] = "line",
};

bool cli_mode_parse(const char *name, sl_render_mode *mode) {
    for (size_t i = 0; i < sizeof mode_names / sizeof mode_names[0]; i++) {
        if (strcmp(name, mode_names[i]) == 0) {
            *mode = (sl_render_mode)i;
            return true;
        }
    }
    if (strcmp(name, "jsonlines") == 0 || strcmp(name, "ndjson") == 0) {
        *mode = SL_RENDER_JSONL;
        return true;
    }
    return false;
}

const char *cli_mode_name(sl_render_mode mode) {
    if ((size_t)mode < sizeof mode_names / sizeof mode_names[0]) return mode_names[mode];
    return "?";
}

void cli_args_usage(FILE *f) {
    fprintf(f,
            "Usage: sluice [OPTIONS]\n"
            "       sluice gen iot|bpm|quotes [OPTIONS]   the lab's data servers (sluice gen "
            "--help)\n"
            "\n"
            "Runs SQL statements (Spark SQL dialect, streaming included) in a sluice session.\n"
            "Without -c or -f, statements are read from standard input: with line editing and\n"
            "history when it is a terminal, as a script otherwise. Statements end with ';'.\n"
            "Lines starting with '.' are shell commands; enter .help in the shell for the list.\n"
            "\n"
            "Options:\n"
            "  -c SQL               run SQL (statements or one dot command), then exit;\n"
            "                       repeatable, -c and -f run in the order given\n"
            "  -f FILE              run the script FILE ('-' for standard input), then exit\n"
            "  -bail                stop at the first statement that fails\n"
            "  --threads N          worker threads per query (default 1)\n"
            "  --master MASTER      Spark's local, local[N] or local[*] (same as --threads)\n"
            "  --conf KEY=VALUE     set a spark.* or sluice.* option, as SET KEY = VALUE\n"
            "  --mode MODE          table (default), csv, json, jsonl, markdown or line\n"
            "  -table -csv -json -jsonl -markdown -line   short for --mode MODE\n"
            "  -header, -noheader   write (default) or leave out the CSV header line\n"
            "  --version            print \"sluice <version>\" and exit\n"
            "  -h, --help           print this help and exit\n"
            "\n"
            "Exit status: 0 when every statement succeeded, 1 when one failed (or the input\n"
            "ended inside a statement), 2 for a bad command line, 130 when Ctrl-C stopped a\n"
            "script. History is kept in ~/.sluice_history ($SLUICE_HISTORY overrides it).\n");
}

static int usage_error(const char *fmt, const char *arg) {
    fputs("sluice: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see sluice --help)\n", stderr);
    return 2;
}

static char *dup_n(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (!p) {
        fputs("sluice: out of memory\n", stderr);
        exit(1);
    }
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static void *grow(void *p, size_t n, size_t size) {
    void *q = realloc(p, (n + 1) * size);
    if (!q) {
        fputs("sluice: out of memory\n", stderr);
        exit(1);
    }
    return q;
}

static void add_action(cli_args *a, cli_action_kind kind, const char *text) {
    a->actions = grow(a->actions, a->nactions, sizeof *a->actions);
    a->actions[a->nactions++] = (cli_action){kind, text};
}

static void add_conf(cli_args *a, const char *option, const char *key, size_t keylen,
                     const char *value) {
    a->confs = grow(a->confs, a->nconfs, sizeof *a->confs);
    a->confs[a->nconfs++] = (cli_conf){option, dup_n(key, keylen), dup_n(value, strlen(value))};
}

/* True when s is a positive decimal integer (the engine checks the range). */
static bool is_count(const char *s) {
    if (!*s) return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9') return false;
    return true;
}

/* The options that take a value, with their canonical spelling. */
static const char *const value_opts[] = {"c", "f", "threads", "master", "conf", "mode"};

int cli_args_parse(int argc, char **argv, cli_args *a) {
    memset(a, 0, sizeof *a);
    a->header = -1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || arg[1] == '\0')
            return usage_error("unexpected argument '%s': SQL goes after -c", arg);
        const char *name = arg + 1;
        if (*name == '-') name++;
        /* --opt=value */
        const char *eq = strchr(name, '=');
        size_t namelen = eq ? (size_t)(eq - name) : strlen(name);
        const char *value = NULL;
        const char *opt = NULL;
        for (size_t k = 0; k < sizeof value_opts / sizeof value_opts[0]; k++) {
            if (strlen(value_opts[k]) == namelen && strncmp(name, value_opts[k], namelen) == 0)
                opt = value_opts[k];
        }
        if (opt) {
            if (eq) {
                value = eq + 1;
            } else if (i + 1 < argc) {
                value = argv[++i];
            } else {
                return usage_error("option '%s' needs a value", arg);
            }
        } else if (eq) {
            return usage_error("unknown option '%s'", arg);
        }

        if (opt && strcmp(opt, "c") == 0) {
            add_action(a, CLI_ACT_SQL, value);
        } else if (opt && strcmp(opt, "f") == 0) {
            add_action(a, CLI_ACT_FILE, value);
        } else if (opt && strcmp(opt, "threads") == 0) {
            if (!is_count(value))
                return usage_error("--threads needs a positive number of threads, not '%s'", value);
            add_conf(a, "--threads", "threads", 7, value);
        } else if (opt && strcmp(opt, "master") == 0) {
            add_conf(a, "--master", "master", 6, value);
        } else if (opt && strcmp(opt, "conf") == 0) {
            const char *e = strchr(value, '=');
            if (!e || e == value) return usage_error("--conf needs KEY=VALUE, not '%s'", value);
            size_t kl = (size_t)(e - value);
            while (kl > 0 && value[kl - 1] == ' ') kl--;
            const char *v = e + 1;
            while (*v == ' ') v++;
            add_conf(a, "--conf", value, kl, v);
        } else if (opt && strcmp(opt, "mode") == 0) {
            if (!cli_mode_parse(value, &a->mode))
                return usage_error("unknown mode '%s' (table, csv, json, jsonl, markdown, line)",
                                   value);
            a->mode_set = true;
        } else if (strcmp(name, "bail") == 0) {
            a->bail = true;
        } else if (strcmp(name, "header") == 0 || strcmp(name, "headers") == 0) {
            a->header = 1;
        } else if (strcmp(name, "noheader") == 0 || strcmp(name, "noheaders") == 0) {
            a->header = 0;
        } else if (strcmp(name, "version") == 0) {
            a->version = true;
        } else if (strcmp(name, "help") == 0 || strcmp(name, "h") == 0) {
            a->help = true;
        } else if (cli_mode_parse(name, &a->mode)) {
            a->mode_set = true;
        } else {
            return usage_error("unknown option '%s'", arg);
        }
    }
    return 0;
}

void cli_args_free(cli_args *a) {
    for (size_t i = 0; i < a->nconfs; i++) {
        free(a->confs[i].key);
        free(a->confs[i].value);
    }
    free(a->confs);
    free(a->actions);
    memset(a, 0, sizeof *a);
}
