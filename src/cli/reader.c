/*
 * reader.c — turns the lines of one input into statements and dot commands.
 * Every input goes through here: the terminal (repl.c feeds it line by
 * line), standard input and -f / .read files, and -c texts.
 *
 * Design notes. A line whose first non-blank character is '.' while no
 * statement is open is a dot command. Other lines are appended to buf; as
 * soon as the engine sees a complete statement (sl_statement_complete), the
 * complete statements are executed one by one from pos. buf keeps the text of
 * the open statement from the start of its first line, so error positions can
 * be given in lines and columns of the input; when only blanks and comments
 * remain, buf is emptied (and the finished chunk is handed to `done`, which
 * the REPL uses for history). At the end of the input a statement without its
 * ';' is still run, unless it ends inside a quote or comment: that is an
 * error ("incomplete statement at end of input").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { MAX_READ_DEPTH = 16 };

void cli_reader_init(cli_reader *r, const char *name) {
    memset(r, 0, sizeof *r);
    r->name = name;
    r->first_line = 1;
}

void cli_reader_free(cli_reader *r) {
    free(r->buf);
    r->buf = NULL;
    r->len = r->cap = r->pos = 0;
}

bool cli_reader_pending(const cli_reader *r) {
    return r->pos < r->len;
}

void cli_reader_discard(cli_reader *r) {
    r->len = r->pos = 0;
}

static bool append(cli_reader *r, const char *s, size_t n) {
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 256;
        while (cap < r->len + n + 1) cap *= 2;
        char *b = realloc(r->buf, cap);
        if (!b) return false;
        r->buf = b;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, s, n);
    r->len += n;
    r->buf[r->len] = '\0';
    return true;
}

/* Drops buf once only blanks and comments are left after pos. */
static void settle(cli_reader *r) {
    if (cli_sql_is_blank(r->buf + r->pos, r->len - r->pos)) {
        if (r->done && r->len > 0 && !cli_sql_is_blank(r->buf, r->len))
            r->done(r->done_ud, r->buf, r->len);
        r->len = r->pos = 0;
    }
}

static void run_complete(cli_shell *sh, cli_reader *r) {
    cli_where w = {r->name, r->first_line};
    while (!sh->quit && !sh->abort_read && r->pos < r->len &&
           sl_statement_complete(r->buf + r->pos, r->len - r->pos)) {
        r->pos += cli_exec_next(sh, r->buf, r->len, r->pos, &w);
    }
    if (sh->quit || sh->abort_read) {
        if (r->done && r->len > 0) r->done(r->done_ud, r->buf, r->len);
        r->len = r->pos = 0;
        return;
    }
    settle(r);
}

static bool is_dot_line(const char *line, size_t len) {
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
    return i < len && line[i] == '.';
}

void cli_reader_line(cli_shell *sh, cli_reader *r, const char *line, size_t len) {
    r->line_no = r->relative && !cli_reader_pending(r) ? 1 : r->line_no + 1;
    if (sh->quit || sh->abort_read) return;
    if (!cli_reader_pending(r) && is_dot_line(line, len)) {
        char *cmd = malloc(len + 1);
        if (!cmd) {
            cli_err_printf("Error: out of memory\n");
            cli_shell_fail(sh);
            return;
        }
        memcpy(cmd, line, len);
        cmd[len] = '\0';
        if (r->done) r->done(r->done_ud, line, len);
        if (!cli_dot_run(sh, cmd)) cli_shell_fail(sh);
        free(cmd);
        return;
    }
    if (!cli_reader_pending(r)) {
        r->len = r->pos = 0;
        r->first_line = r->line_no;
    }
    if (!append(r, line, len) || !append(r, "\n", 1)) {
        cli_err_printf("Error: out of memory (statement too long)\n");
        cli_shell_fail(sh);
        r->len = r->pos = 0;
        return;
    }
    /* Earlier text keeps its meaning when a line is added, so only a line
     * holding a ';' can complete a statement: no rescans of a long one. */
    if (memchr(line, ';', len))
        run_complete(sh, r);
    else
        settle(r);
}

void cli_reader_eof(cli_shell *sh, cli_reader *r) {
    if (!cli_reader_pending(r) || sh->quit || sh->abort_read) {
        r->len = r->pos = 0;
        return;
    }
    if (cli_sql_is_unterminated(r->buf + r->pos, r->len - r->pos)) {
        cli_err_printf("Error: %s%sincomplete statement at end of input (a quote, backtick or "
                       "comment is not closed)\n",
                       r->name ? r->name : "", r->name ? ": " : "");
        cli_shell_fail(sh);
    } else {
        /* The last statement may lack its ';'. */
        cli_where w = {r->name, r->first_line};
        while (!sh->quit && r->pos < r->len &&
               !cli_sql_is_blank(r->buf + r->pos, r->len - r->pos)) {
            r->pos += cli_exec_next(sh, r->buf, r->len, r->pos, &w);
        }
    }
    if (r->done && r->len > 0) r->done(r->done_ud, r->buf, r->len);
    r->len = r->pos = 0;
}

void cli_run_stream(cli_shell *sh, FILE *f, const char *name) {
    cli_reader r;
    cli_reader_init(&r, name);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (!sh->quit && !sh->abort_read && (n = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)n;
        if (len > 0 && line[len - 1] == '\n') len--;
        cli_reader_line(sh, &r, line, len);
    }
    if (!sh->quit && !sh->abort_read && ferror(f)) {
        cli_err_printf("Error: %s%scannot read: %s\n", name ? name : "", name ? ": " : "",
                       strerror(errno));
        cli_shell_fail(sh);
    }
    cli_reader_eof(sh, &r);
    free(line);
    cli_reader_free(&r);
}

bool cli_run_file(cli_shell *sh, const char *path) {
    if (sh->read_depth >= MAX_READ_DEPTH) {
        cli_err_printf("Error: %s: .read nested more than %d deep\n", path, MAX_READ_DEPTH);
        return false;
    }
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        cli_err_printf("Error: cannot open %s: %s\n", path, strerror(errno));
        return false;
    }
    sh->read_depth++;
    cli_run_stream(sh, f, f == stdin ? NULL : path);
    sh->read_depth--;
    if (f != stdin) fclose(f);
    return true;
}

void cli_run_string(cli_shell *sh, const char *text) {
    cli_reader r;
    cli_reader_init(&r, NULL);
    const char *p = text;
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        cli_reader_line(sh, &r, p, len);
        if (!nl || sh->quit) break;
        p = nl + 1;
    }
    cli_reader_eof(sh, &r);
    cli_reader_free(&r);
}
