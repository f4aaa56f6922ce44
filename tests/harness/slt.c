/*
 * slt.c — the SQL logic test runner: reads files in the format described in
 * tests/README.md, runs each record against a fresh session (one session
 * per file), and prints one TAP line per record. Uses only the public API.
 *
 *   slt FILE...
 *
 * Exit status 0 when every record passed.
 */
#include "sluice.h"
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lines {
    char **v;
    size_t n, cap;
} lines;

static void push(lines *l, char *s) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = realloc(l->v, sizeof *l->v * l->cap);
    }
    l->v[l->n++] = s;
}

static void clear(lines *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    l->n = 0;
}

static int cmp_lines(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int test_no = 0, failures = 0;

/* Text the session printed on its own (console sinks), from query threads. */
static pthread_mutex_t cap_mu = PTHREAD_MUTEX_INITIALIZER;
static char *captured;
static size_t cap_len;

static int capture(void *ud, const char *data, size_t len) {
    (void)ud;
    pthread_mutex_lock(&cap_mu);
    captured = realloc(captured, cap_len + len + 1);
    memcpy(captured + cap_len, data, len);
    cap_len += len;
    captured[cap_len] = 0;
    pthread_mutex_unlock(&cap_mu);
    return 0;
}

/* Takes what was captured so far. */
static char *take_captured(void) {
    pthread_mutex_lock(&cap_mu);
    char *c = captured ? captured : strdup("");
    captured = NULL;
    cap_len = 0;
    pthread_mutex_unlock(&cap_mu);
    return c;
}

/* "5 seconds", "500 ms", "2 minutes" -> microseconds; -1 when unreadable */
static long long parse_duration(const char *s) {
    char *end;
    double v = strtod(s, &end);
    if (end == s) return -1;
    while (*end == ' ') end++;
    double unit = 1e6;
    if (!strncmp(end, "ms", 2) || !strncmp(end, "milli", 5))
        unit = 1e3;
    else if (!strncmp(end, "us", 2) || !strncmp(end, "micro", 5))
        unit = 1;
    else if (!strncmp(end, "min", 3))
        unit = 60e6;
    else if (!strncmp(end, "hour", 4))
        unit = 3600e6;
    return (long long)(v * unit);
}

static void report(bool ok, const char *file, int line, const char *what, const char *detail) {
    test_no++;
    printf("%s %d - %s:%d %s\n", ok ? "ok" : "not ok", test_no, file, line, what);
    if (!ok) {
        failures++;
        if (detail) {
            /* TAP diagnostics: each line prefixed with '#' */
            const char *p = detail;
            while (*p) {
                const char *e = strchr(p, '\n');
                size_t n = e ? (size_t)(e - p) : strlen(p);
                printf("#   %.*s\n", (int)n, p);
                p += n + (e ? 1 : 0);
            }
        }
    }
}

static char *cell(const sl_result *r, size_t c, uint64_t row) {
    size_t n = sl_result_cell_text(r, c, row, NULL, 0);
    char *buf = malloc(n + 1);
    sl_result_cell_text(r, c, row, buf, n + 1);
    if (n == 0 && !sl_result_is_null(r, c, row)) {
        free(buf);
        return strdup("(empty)");
    }
    /* tabs and newlines inside values would break the format: escape them */
    size_t extra = 0;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\t' || buf[i] == '\n') extra++;
    if (!extra) return buf;
    char *out = malloc(n + extra + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\t')
            *o++ = '\\', *o++ = 't';
        else if (buf[i] == '\n')
            *o++ = '\\', *o++ = 'n';
        else
            *o++ = buf[i];
    }
    *o = 0;
    free(buf);
    return out;
}

static int write_buf(void *ud, const char *data, size_t len) {
    lines *l = ud;
    /* accumulate into one string in l->v[0] */
    if (!l->n) push(l, calloc(1, 1));
    size_t old = strlen(l->v[0]);
    l->v[0] = realloc(l->v[0], old + len + 1);
    memcpy(l->v[0] + old, data, len);
    l->v[0][old + len] = 0;
    return 0;
}

static char *join(const lines *l, size_t from) {
    size_t total = 1;
    for (size_t i = from; i < l->n; i++) total += strlen(l->v[i]) + 1;
    char *s = malloc(total), *p = s;
    for (size_t i = from; i < l->n; i++) {
        size_t n = strlen(l->v[i]);
        memcpy(p, l->v[i], n);
        p += n;
        *p++ = '\n';
    }
    *p = 0;
    return s;
}

/* Appends n bytes of s to a growing string. */
static void append(char **out, size_t *len, const char *s, size_t n) {
    *out = realloc(*out, *len + n + 1);
    memcpy(*out + *len, s, n);
    *len += n;
    (*out)[*len] = 0;
}

/* Appends a SQL string literal holding text (quotes and backslashes escaped). */
static void append_literal(char **out, size_t *len, const char *text) {
    append(out, len, "'", 1);
    for (const char *p = text; *p; p++) {
        if (*p == '\\' || *p == '\'') append(out, len, "\\", 1);
        append(out, len, p, 1);
    }
    append(out, len, "'", 1);
}

/* The result of one statement as a parenthesised SELECT with the same column
 * names and types (tests/README.md, "Results of other statements"). */
static char *result_as_query(const sl_result *r) {
    char *out = NULL;
    size_t len = 0;
    size_t nc = sl_result_column_count(r);
    uint64_t nr = sl_result_row_count(r);
    append(&out, &len, "(SELECT ", 8);
    for (size_t c = 0; c < nc; c++) {
        char buf[300];
        const char *name = sl_result_column_name(r, c);
        if (nr == 0) {
            snprintf(buf, sizeof buf, "%sCAST(NULL AS %s) AS `%s`", c ? ", " : "",
                     sl_result_column_type_name(r, c), name);
        } else {
            snprintf(buf, sizeof buf, "%s`%s`", c ? ", " : "", name);
        }
        append(&out, &len, buf, strlen(buf));
    }
    if (nr == 0) {
        append(&out, &len, " FROM VALUES (1) AS _e(_x) WHERE false)", 39);
        return out;
    }
    append(&out, &len, " FROM VALUES ", 13);
    for (uint64_t row = 0; row < nr; row++) {
        append(&out, &len, row ? ", (" : "(", row ? 3 : 1);
        for (size_t c = 0; c < nc; c++) {
            if (c) append(&out, &len, ", ", 2);
            append(&out, &len, "CAST(", 5);
            if (sl_result_is_null(r, c, row)) {
                append(&out, &len, "NULL", 4);
            } else {
                size_t n = sl_result_cell_text(r, c, row, NULL, 0);
                char *text = malloc(n + 1);
                sl_result_cell_text(r, c, row, text, n + 1);
                append_literal(&out, &len, text);
                free(text);
            }
            const char *type = sl_result_column_type_name(r, c);
            append(&out, &len, " AS ", 4);
            append(&out, &len, type, strlen(type));
            append(&out, &len, ")", 1);
        }
        append(&out, &len, ")", 1);
    }
    append(&out, &len, " AS _v(", 7);
    for (size_t c = 0; c < nc; c++) {
        char buf[300];
        snprintf(buf, sizeof buf, "%s`%s`", c ? ", " : "", sl_result_column_name(r, c));
        append(&out, &len, buf, strlen(buf));
    }
    append(&out, &len, "))", 2);
    return out;
}

/* Replaces every $(STATEMENT) outside quotes in sql with the statement's
 * result as a query. Returns NULL with *err set (malloc'd) when a statement
 * fails or a parenthesis is missing. */
static char *expand_results(sl_session *s, const char *sql, char **err) {
    char *out = NULL;
    size_t len = 0;
    append(&out, &len, "", 0);
    char quote = 0;
    for (const char *p = sql; *p;) {
        if (quote) {
            if (*p == '\\' && p[1] && quote != '`') {
                append(&out, &len, p, 2);
                p += 2;
                continue;
            }
            if (*p == quote) quote = 0;
            append(&out, &len, p++, 1);
            continue;
        }
        if (*p == '\'' || *p == '"' || *p == '`') {
            quote = *p;
            append(&out, &len, p++, 1);
            continue;
        }
        if (p[0] != '$' || p[1] != '(') {
            append(&out, &len, p++, 1);
            continue;
        }
        /* the statement runs to the matching parenthesis */
        const char *start = p + 2, *q = start;
        int depth = 1;
        char iq = 0;
        for (; *q; q++) {
            if (iq) {
                if (*q == '\\' && q[1] && iq != '`')
                    q++;
                else if (*q == iq)
                    iq = 0;
            } else if (*q == '\'' || *q == '"' || *q == '`') {
                iq = *q;
            } else if (*q == '(') {
                depth++;
            } else if (*q == ')' && --depth == 0) {
                break;
            }
        }
        if (!*q) {
            *err = strdup("$( without its closing parenthesis");
            free(out);
            return NULL;
        }
        char *inner = strndup(start, (size_t)(q - start));
        sl_result *r = NULL;
        sl_status st = sl_session_execute(s, inner, &r);
        if (st != SL_OK || !r) {
            size_t n = strlen(inner) + strlen(sl_session_errmsg(s)) + 32;
            *err = malloc(n);
            snprintf(*err, n, "$(%s) failed: %s", inner,
                     st != SL_OK ? sl_session_errmsg(s) : "no result");
            free(inner);
            sl_result_destroy(&r);
            free(out);
            return NULL;
        }
        char *sub = result_as_query(r);
        append(&out, &len, sub, strlen(sub));
        free(sub);
        free(inner);
        sl_result_destroy(&r);
        p = q + 1;
    }
    return out;
}

/* Streaming directives (tests/README.md): process, advance, await, output. */
static void run_directive(sl_session *s, const char *path, int line, lines *rec, size_t sep) {
    const char *head = rec->v[0];
    char title[200];
    snprintf(title, sizeof title, "%.120s", head);
    if (!strncmp(head, "advance ", 8)) {
        long long us = parse_duration(head + 8);
        bool ok = us >= 0 && sl_session_advance_clock(s, us) == SL_OK;
        report(ok, path, line, title,
               ok ? NULL : "advance needs SET sluice.clock = manual and a duration");
        return;
    }
    if (!strncmp(head, "process ", 8) || !strncmp(head, "await ", 6)) {
        bool process = head[0] == 'p';
        const char *name = head + (process ? 8 : 6);
        sl_query *q = NULL;
        if (sl_session_query(s, name, &q) != SL_OK) {
            report(false, path, line, title, sl_session_errmsg(s));
            return;
        }
        sl_status st;
        bool done = true;
        if (process)
            st = sl_query_process_all_available(q, 20000);
        else
            st = sl_query_await(q, 20000, &done);
        char detail[600];
        const char *ex = sl_query_exception(q);
        snprintf(detail, sizeof detail, "status %s, terminated %d, exception: %s",
                 sl_status_name(st), done, ex ? ex : "none");
        /* `process` must leave the query running; `await` expects it to end */
        bool ok = process ? st == SL_OK && !ex : done;
        report(ok, path, line, title, ok ? NULL : detail);
        sl_query_release(&q);
        return;
    }
    /* output: what the session printed since the last check. A record ends
     * at an empty line, so an empty line of the expected text is written
     * `<blank>`. When the block ends with `<blank>` the text must match to
     * the last newline; otherwise trailing newlines are ignored. */
    char *got = take_captured();
    lines want = {0};
    for (size_t i = sep + 1; i < rec->n; i++)
        push(&want, strdup(strcmp(rec->v[i], "<blank>") == 0 ? "" : rec->v[i]));
    bool exact = rec->n > sep + 1 && strcmp(rec->v[rec->n - 1], "<blank>") == 0;
    char *w = join(&want, 0);
    size_t gl = strlen(got), wl = strlen(w);
    if (!exact) {
        while (gl && got[gl - 1] == '\n') got[--gl] = 0;
        while (wl && w[wl - 1] == '\n') w[--wl] = 0;
    }
    bool ok = strcmp(got, w) == 0;
    size_t dl = gl + wl + 64;
    char *detail = malloc(dl);
    snprintf(detail, dl, "expected:\n%s\ngot:\n%s", w, got);
    report(ok, path, line, title, ok ? NULL : detail);
    free(detail);
    free(w);
    free(got);
    clear(&want);
    free(want.v);
}

static int run_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        report(false, path, 0, "cannot open file", NULL);
        return 1;
    }
    sl_session *s;
    sl_session_open(NULL, &s);
    sl_session_set_output(s, capture, NULL);
    free(take_captured());
    lines rec = {0};
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, rec_line = 0;
    bool eof = false;
    while (!eof) {
        ssize_t n = getline(&line, &cap, f);
        if (n < 0)
            eof = true;
        else {
            lineno++;
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        }
        bool blank = eof || n == 0;
        if (!blank) {
            if (rec.n == 0 && line[0] == '#') continue;
            if (rec.n == 0) rec_line = lineno;
            push(&rec, strdup(line));
            continue;
        }
        if (rec.n == 0) continue;
        /* a record: header, SQL lines, optional ---- and expected lines */
        char *head = rec.v[0];
        size_t sep = rec.n;
        for (size_t i = 1; i < rec.n; i++)
            if (strcmp(rec.v[i], "----") == 0) {
                sep = i;
                break;
            }
        if (strncmp(head, "process ", 8) == 0 || strncmp(head, "advance ", 8) == 0 ||
            strncmp(head, "await ", 6) == 0 || strcmp(head, "output") == 0) {
            run_directive(s, path, rec_line, &rec, sep);
            clear(&rec);
            continue;
        }
        lines sql_lines = {rec.v + 1, sep - 1, 0};
        char *sql = join(&sql_lines, 0);
        char title[160];
        snprintf(title, sizeof title, "%.60s: %.80s", head, sql);
        for (char *p = title; *p; p++)
            if (*p == '\n') *p = ' ';
        char *xerr = NULL;
        char *xsql = strstr(sql, "$(") ? expand_results(s, sql, &xerr) : NULL;
        if (xerr) {
            report(false, path, rec_line, title, xerr);
            free(xerr);
            free(sql);
            clear(&rec);
            continue;
        }
        sl_result *r = NULL;
        sl_status st = sl_session_execute(s, xsql ? xsql : sql, &r);
        free(xsql);
        if (strncmp(head, "statement ok", 12) == 0) {
            report(st == SL_OK, path, rec_line, title, st == SL_OK ? NULL : sl_session_errmsg(s));
        } else if (strncmp(head, "statement error", 15) == 0) {
            const char *want = sep < rec.n && sep + 1 < rec.n ? rec.v[sep + 1] : NULL;
            bool ok = st != SL_OK && (!want || strstr(sl_session_errmsg(s), want));
            char detail[1600];
            snprintf(detail, sizeof detail, "expected an error%s%s, got: %s",
                     want ? " containing: " : "", want ? want : "",
                     st == SL_OK ? "success" : sl_session_errmsg(s));
            report(ok, path, rec_line, title, ok ? NULL : detail);
        } else if (strncmp(head, "query", 5) == 0) {
            char types[64] = "", mode[32] = "nosort";
            sscanf(head, "query %63s %31s", types, mode);
            if (st != SL_OK || !r) {
                report(false, path, rec_line, title,
                       st == SL_OK ? "no result" : sl_session_errmsg(s));
            } else {
                lines got = {0};
                size_t nc = sl_result_column_count(r);
                for (uint64_t row = 0; row < sl_result_row_count(r); row++) {
                    size_t total = 1;
                    char **cells = malloc(sizeof *cells * (nc ? nc : 1));
                    for (size_t c = 0; c < nc; c++) {
                        cells[c] = cell(r, c, row);
                        total += strlen(cells[c]) + 1;
                    }
                    char *l2 = malloc(total), *p = l2;
                    for (size_t c = 0; c < nc; c++) {
                        size_t k = strlen(cells[c]);
                        memcpy(p, cells[c], k);
                        p += k;
                        if (c + 1 < nc) *p++ = '\t';
                        free(cells[c]);
                    }
                    *p = 0;
                    free(cells);
                    push(&got, l2);
                }
                lines want = {0};
                for (size_t i = sep + 1; i < rec.n; i++) push(&want, strdup(rec.v[i]));
                if (strcmp(mode, "rowsort") == 0) {
                    if (got.n) qsort(got.v, got.n, sizeof *got.v, cmp_lines);
                    if (want.n) qsort(want.v, want.n, sizeof *want.v, cmp_lines);
                } else if (strcmp(mode, "valuesort") == 0) {
                    /* split everything into single values */
                    lines gv = {0}, wv = {0};
                    for (int pass = 0; pass < 2; pass++) {
                        lines *src = pass ? &want : &got, *dst = pass ? &wv : &gv;
                        for (size_t i = 0; i < src->n; i++) {
                            char *save, *tok = strtok_r(src->v[i], "\t", &save);
                            while (tok) {
                                push(dst, strdup(tok));
                                tok = strtok_r(NULL, "\t", &save);
                            }
                        }
                        clear(src);
                        free(src->v);
                        *src = *dst;
                    }
                    if (got.n) qsort(got.v, got.n, sizeof *got.v, cmp_lines);
                    if (want.n) qsort(want.v, want.n, sizeof *want.v, cmp_lines);
                }
                bool ok = strlen(types) == nc && got.n == want.n;
                for (size_t i = 0; ok && i < got.n; i++)
                    if (strcmp(got.v[i], want.v[i]) != 0) ok = false;
                char *detail = NULL;
                if (!ok) {
                    char *g = join(&got, 0), *w = join(&want, 0);
                    size_t dl = strlen(g) + strlen(w) + 200;
                    detail = malloc(dl);
                    snprintf(detail, dl, "columns: got %zu, declared %zu\nexpected:\n%sgot:\n%s",
                             nc, strlen(types), w, g);
                    free(g);
                    free(w);
                }
                report(ok, path, rec_line, title, detail);
                free(detail);
                clear(&got);
                free(got.v);
                clear(&want);
                free(want.v);
            }
        } else if (strncmp(head, "render", 6) == 0) {
            char mode[32] = "table";
            long long maxrows = 20;
            int trunc = 20;
            const char *p = head + 6;
            sscanf(p, "%31s", mode);
            const char *m = strstr(p, "maxrows ");
            if (m) maxrows = atoll(m + 8);
            const char *t = strstr(p, "truncate ");
            if (t) trunc = atoi(t + 9);
            if (st != SL_OK || !r) {
                report(false, path, rec_line, title,
                       st == SL_OK ? "no result" : sl_session_errmsg(s));
            } else {
                sl_render_options o;
                sl_render_options_init(&o);
                const char *names[] = {"table", "csv", "json", "jsonl", "markdown", "line"};
                for (int k = 0; k < 6; k++)
                    if (strcmp(mode, names[k]) == 0) o.mode = (sl_render_mode)k;
                o.max_rows = maxrows;
                o.truncate = trunc;
                lines out = {0};
                sl_result_render(r, &o, write_buf, &out);
                lines want = {0};
                for (size_t i = sep + 1; i < rec.n; i++) push(&want, strdup(rec.v[i]));
                char *w = join(&want, 0);
                const char *g = out.n ? out.v[0] : "";
                /* CSV lines end with \r\n: compare without the \r */
                char *g2 = strdup(g), *q = g2;
                for (const char *c = g; *c; c++)
                    if (*c != '\r') *q++ = *c;
                *q = 0;
                bool ok = strcmp(g2, w) == 0;
                size_t dl = strlen(g2) + strlen(w) + 64;
                char *detail = malloc(dl);
                snprintf(detail, dl, "expected:\n%sgot:\n%s", w, g2);
                report(ok, path, rec_line, title, ok ? NULL : detail);
                free(detail);
                free(g2);
                free(w);
                clear(&want);
                free(want.v);
                clear(&out);
                free(out.v);
            }
        } else {
            report(false, path, rec_line, "unknown record type", head);
        }
        sl_result_destroy(&r);
        free(sql);
        clear(&rec);
    }
    free(rec.v);
    free(line);
    fclose(f);
    sl_session_close(&s);
    free(take_captured());
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: slt FILE...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) run_file(argv[i]);
    printf("1..%d\n", test_no);
    return failures ? 1 : 0;
}
