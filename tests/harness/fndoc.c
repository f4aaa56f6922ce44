/*
 * fndoc.c — prints the function reference, docs/functions.md, from the
 * function registry and from the examples in docs/function-examples.sql, so
 * the documentation cannot drift from the code: every function listed by the
 * registry or by SHOW FUNCTIONS appears with its usage line, its description
 * and examples whose results are computed here, by running each example
 * through the public API (include/sluice.h) in a fresh session per function.
 *
 *   fndoc [EXAMPLES_FILE] > docs/functions.md
 *
 * EXAMPLES_FILE defaults to $SLUICE_ROOT/docs/function-examples.sql, else
 * docs/function-examples.sql. Problems go to standard error, one line each,
 * "fndoc: KIND: ..." with KIND one of
 *   missing  a registered (or SHOW FUNCTIONS) function has no example
 *   failed   an example failed to run (or, marked @error, ran without error)
 *   format   the examples file is malformed, names an unknown function, or
 *            lacks a usage line for a function the registry does not describe
 * and the exit status is then 1. tests/harness/fndoc.sh turns them into TAP
 * lines and checks that the committed docs/functions.md is what this prints.
 * The format of the examples file is described at the top of that file.
 */
#include "func/func.h"
#include "sluice.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- small helpers ----------------------------------------------------------- */

static int n_problems;

static void problem(const char *kind, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fndoc: %s: ", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    n_problems++;
}

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("fndoc: out of memory\n", stderr);
        exit(2);
    }
    return q;
}

static char *xstrndup(const char *s, size_t n) {
    char *p = xrealloc(NULL, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

static char *xstrdup(const char *s) {
    return xstrndup(s, strlen(s));
}

/* A growable string. */
typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void text_add(text *t, const char *s, size_t n) {
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->p = xrealloc(t->p, t->cap);
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = 0;
}

static void text_puts(text *t, const char *s) {
    text_add(t, s, strlen(s));
}

/* Takes the string out of t (never NULL). */
static char *text_take(text *t) {
    char *p = t->p ? t->p : xstrdup("");
    memset(t, 0, sizeof *t);
    return p;
}

/* ---- the examples file --------------------------------------------------------- */

typedef struct example {
    char *note; /* comment lines above the statement, "-- " kept; NULL if none */
    char *sql;  /* the statement as written, ';' included */
    bool expect_error;
    int line;
} example;

typedef struct fentry {
    char **names;
    int n_names;
    /* for names the registry does not describe: the k-th such name takes
     * the k-th @usage and @about line, or the last one */
    char **usage, **about;
    int n_usage, n_about;
    example *ex;
    int n_ex;
    int cat;
    int line;
} fentry;

typedef struct category {
    char *key, *title;
    char *intro; /* markdown; NULL if none */
} category;

static category *cats;
static int n_cats;
static fentry *ents;
static int n_ents;
static const char *ex_path;

/* Text of a comment line after "--" and one optional space. */
static const char *comment_body(const char *line) {
    const char *s = line + 2;
    return *s == ' ' ? s + 1 : s;
}

static bool is_directive(const char *body, const char *word, const char **rest) {
    size_t n = strlen(word);
    if (strncmp(body, word, n) != 0 || (body[n] && !isspace((unsigned char)body[n]))) return false;
    const char *r = body + n;
    while (isspace((unsigned char)*r)) r++;
    *rest = r;
    return true;
}

static void rstrip(char *s) {
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
}

static void load_examples(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        problem("format", "%s: cannot open", path);
        return;
    }
    char buf[4096];
    int lineno = 0;
    text note = {0}, stmt = {0}, intro = {0};
    int stmt_line = 0;
    bool want_error = false, in_intro = false;
    while (fgets(buf, sizeof buf, f)) {
        lineno++;
        rstrip(buf);
        const char *s = buf;
        while (isspace((unsigned char)*s)) s++;
        fentry *cur = n_ents ? &ents[n_ents - 1] : NULL;
        if (stmt.len == 0 && s[0] == '-' && s[1] == '-') {
            const char *body = comment_body(s), *rest;
            if (body[0] != '@') {
                if (!n_cats) continue; /* the file's own header */
                text *t = in_intro ? &intro : &note;
                text_puts(t, in_intro ? body : s);
                text_puts(t, "\n");
                continue;
            }
            if (note.len && !is_directive(body, "@error", &rest))
                problem("format", "%s:%d: a comment must come right before a statement", path,
                        lineno);
            if (is_directive(body, "@category", &rest)) {
                if (in_intro && n_cats) cats[n_cats - 1].intro = text_take(&intro);
                const char *sp = rest;
                while (*sp && !isspace((unsigned char)*sp)) sp++;
                const char *title = sp;
                while (isspace((unsigned char)*title)) title++;
                if (sp == rest || !*title) {
                    problem("format", "%s:%d: @category KEY Title", path, lineno);
                    continue;
                }
                cats = xrealloc(cats, sizeof *cats * (size_t)(n_cats + 1));
                cats[n_cats++] =
                    (category){xstrndup(rest, (size_t)(sp - rest)), xstrdup(title), NULL};
                in_intro = true;
            } else if (is_directive(body, "@function", &rest)) {
                if (in_intro && n_cats) cats[n_cats - 1].intro = text_take(&intro);
                in_intro = false;
                if (!n_cats) {
                    problem("format", "%s:%d: @function before any @category", path, lineno);
                    continue;
                }
                fentry e = {0};
                e.cat = n_cats - 1;
                e.line = lineno;
                char *copy = xstrdup(rest), *save = NULL;
                for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
                    e.names = xrealloc(e.names, sizeof *e.names * (size_t)(e.n_names + 1));
                    e.names[e.n_names++] = xstrdup(w);
                }
                free(copy);
                if (!e.n_names) problem("format", "%s:%d: @function without a name", path, lineno);
                ents = xrealloc(ents, sizeof *ents * (size_t)(n_ents + 1));
                ents[n_ents++] = e;
            } else if (is_directive(body, "@usage", &rest) || is_directive(body, "@about", &rest)) {
                bool usage = body[1] == 'u';
                if (!cur || in_intro || cur->n_ex) {
                    problem("format", "%s:%d: @usage and @about go right after @function", path,
                            lineno);
                } else {
                    char ***list = usage ? &cur->usage : &cur->about;
                    int *n = usage ? &cur->n_usage : &cur->n_about;
                    *list = xrealloc(*list, sizeof **list * (size_t)(*n + 1));
                    (*list)[(*n)++] = xstrdup(rest);
                }
            } else if (is_directive(body, "@error", &rest)) {
                want_error = true;
            } else {
                problem("format", "%s:%d: unknown directive %s", path, lineno, body);
            }
            continue;
        }
        if (stmt.len == 0 && !*s) continue;
        /* a statement line */
        if (!cur || in_intro) {
            problem("format", "%s:%d: a statement outside any @function", path, lineno);
            continue;
        }
        if (stmt.len == 0) stmt_line = lineno;
        text_puts(&stmt, buf);
        size_t n = strlen(buf);
        if (n && buf[n - 1] == ';') {
            cur->ex = xrealloc(cur->ex, sizeof *cur->ex * (size_t)(cur->n_ex + 1));
            cur->ex[cur->n_ex++] = (example){note.len ? text_take(&note) : NULL, text_take(&stmt),
                                             want_error, stmt_line};
            want_error = false;
        } else {
            text_puts(&stmt, "\n");
        }
    }
    fclose(f);
    if (stmt.len) problem("format", "%s:%d: a statement without its closing ';'", path, stmt_line);
    if (note.len) problem("format", "%s: a comment after the last statement", path);
    if (in_intro && n_cats) cats[n_cats - 1].intro = text_take(&intro);
    free(stmt.p);
    free(note.p);
    free(intro.p);
}

/* ---- what the engine knows --------------------------------------------------- */

typedef struct known {
    char *name;
    const char *usage, *desc; /* from the registry; NULL for SHOW FUNCTIONS-only names */
    bool agg;
    int entry; /* index into ents, -1 until covered */
} known;

static known *kn;
static int n_kn;

static known *find_known(const char *name) {
    for (int i = 0; i < n_kn; i++)
        if (strcasecmp(kn[i].name, name) == 0) return &kn[i];
    return NULL;
}

static void add_known(const char *name, const char *usage, const char *desc, bool agg) {
    if (!name[0]) return;
    known *k = find_known(name);
    if (k) {
        if (!k->usage) {
            k->usage = usage;
            k->desc = desc;
            k->agg = agg;
        }
        return;
    }
    kn = xrealloc(kn, sizeof *kn * (size_t)(n_kn + 1));
    kn[n_kn++] = (known){xstrdup(name), usage, desc, agg, -1};
}

static void add_scalar(void *ud, const sl__fn_def *d) {
    (void)ud;
    add_known(d->name, d->usage, d->desc, false);
}

static void add_agg(void *ud, const sl__agg_def *d) {
    (void)ud;
    add_known(d->name, d->usage, d->desc, true);
}

static void load_show_functions(void) {
    sl_session *s = NULL;
    sl_result *r = NULL;
    if (sl_session_open(NULL, &s) != SL_OK ||
        sl_session_execute(s, "SHOW FUNCTIONS", &r) != SL_OK) {
        problem("failed", "SHOW FUNCTIONS: %s", s ? sl_session_errmsg(s) : "no session");
    } else {
        for (uint64_t i = 0; i < sl_result_row_count(r); i++) {
            size_t len;
            const char *p = sl_result_string(r, 0, i, &len);
            if (!p) continue;
            char *name = xstrndup(p, len);
            add_known(name, NULL, NULL, false);
            free(name);
        }
    }
    sl_result_destroy(&r);
    sl_session_close(&s);
}

/* ---- checks ------------------------------------------------------------------------ */

static bool contains_ci(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0) return true;
    return false;
}

/* The usage line of the i-th name of f (and its description in *desc):
 * the registry's, else the entry's @usage and @about. */
static const char *usage_of(const fentry *f, int i, const char **desc) {
    known *k = find_known(f->names[i]);
    if (k && k->usage) {
        if (desc) *desc = k->desc;
        return k->usage;
    }
    int j = 0; /* how many names before i the registry does not describe */
    for (int m = 0; m < i; m++) {
        known *km = find_known(f->names[m]);
        if (!km || !km->usage) j++;
    }
    if (desc) *desc = f->n_about ? f->about[j < f->n_about ? j : f->n_about - 1] : NULL;
    return f->n_usage ? f->usage[j < f->n_usage ? j : f->n_usage - 1] : NULL;
}

static void check_entries(void) {
    for (int e = 0; e < n_ents; e++) {
        fentry *f = &ents[e];
        bool described = true;
        const char *undescribed = NULL;
        for (int i = 0; i < f->n_names; i++) {
            known *k = find_known(f->names[i]);
            if (k && k->entry >= 0) {
                problem("format", "%s:%d: %s already has its examples at line %d", ex_path, f->line,
                        f->names[i], ents[k->entry].line);
                continue;
            }
            if (!k || !k->usage) {
                if (described) undescribed = f->names[i];
                described = false;
            }
            if (k) {
                k->entry = e;
            } else if (!f->n_usage) {
                problem("format",
                        "%s:%d: %s is neither in the function registry nor in SHOW FUNCTIONS "
                        "(syntax the binder handles needs @usage and @about)",
                        ex_path, f->line, f->names[i]);
            }
        }
        if (!described && (!f->n_usage || !f->n_about))
            problem("format", "%s:%d: %s is not in the function registry: give @usage and @about",
                    ex_path, f->line, undescribed);
        if (described && (f->n_usage || f->n_about))
            problem("format",
                    "%s:%d: the registry describes %s: drop @usage and @about (edit the registry)",
                    ex_path, f->line, f->names[0]);
        if (!f->n_ex) problem("missing", "%s:%d: %s has no example", ex_path, f->line, f->names[0]);
        /* a function called as name(...) must appear in one of its examples */
        for (int i = 0; i < f->n_names; i++) {
            const char *usage = usage_of(f, i, NULL);
            size_t n = strlen(f->names[i]);
            if (!usage || strncasecmp(usage, f->names[i], n) != 0 || usage[n] != '(') continue;
            bool seen = false;
            for (int x = 0; x < f->n_ex && !seen; x++)
                seen = contains_ci(f->ex[x].sql, f->names[i]);
            if (!seen && f->n_ex)
                problem("format", "%s:%d: no example of %s calls it", ex_path, f->line,
                        f->names[i]);
        }
    }
    for (int i = 0; i < n_kn; i++)
        if (kn[i].entry < 0)
            problem("missing", "%s has no example in %s (add a -- @function %s entry)", kn[i].name,
                    ex_path, kn[i].name);
}

/* ---- running the examples ------------------------------------------------------------- */

/* The result of a statement as the document shows it (caller frees). */
static char *show_result(const sl_result *r) {
    text t = {0};
    if (!r || sl_result_column_count(r) == 0) return text_take(&t);
    if (sl_result_column_count(r) == 1 && sl_result_row_count(r) == 1) {
        text_puts(&t, "→ ");
        size_t len;
        const char *p = sl_result_string(r, 0, 0, &len);
        if (sl_result_column_type(r, 0) == SL_TYPE_STRING && p) {
            /* quoted as a literal, so '' and trailing spaces show */
            text_puts(&t, "'");
            for (size_t i = 0; i < len; i++) {
                char c = p[i];
                if (c == '\'' || c == '\\') {
                    char esc[2] = {'\\', c};
                    text_add(&t, esc, 2);
                } else if (c == '\n') {
                    text_puts(&t, "\\n");
                } else if (c == '\t') {
                    text_puts(&t, "\\t");
                } else {
                    text_add(&t, &c, 1);
                }
            }
            text_puts(&t, "'");
        } else {
            size_t need = sl_result_cell_text(r, 0, 0, NULL, 0);
            char *cell = xrealloc(NULL, need + 1);
            sl_result_cell_text(r, 0, 0, cell, need + 1);
            text_puts(&t, cell);
            free(cell);
        }
        text_puts(&t, "\n");
        return text_take(&t);
    }
    char *s = sl_result_render_string(r, NULL);
    if (s) text_puts(&t, s);
    sl_free(s);
    if (t.len && t.p[t.len - 1] != '\n') text_puts(&t, "\n");
    return text_take(&t);
}

static bool is_set(const char *sql) {
    while (isspace((unsigned char)*sql)) sql++;
    return strncasecmp(sql, "SET", 3) == 0 && isspace((unsigned char)sql[3]);
}

/* Runs the examples of entry e; returns the markdown code block's body. */
static char *run_entry(const fentry *f) {
    text out = {0};
    sl_session *s = NULL;
    if (sl_session_open(NULL, &s) != SL_OK) {
        problem("failed", "cannot open a session");
        return text_take(&out);
    }
    for (int x = 0; x < f->n_ex; x++) {
        const example *ex = &f->ex[x];
        if (x) text_puts(&out, "\n");
        if (ex->note) text_puts(&out, ex->note);
        text_puts(&out, ex->sql);
        text_puts(&out, "\n");
        sl_result *r = NULL;
        sl_status st = sl_session_execute(s, ex->sql, &r);
        if (st != SL_OK) {
            const char *msg = sl_session_errmsg(s);
            if (!ex->expect_error)
                problem("failed", "%s:%d: %s: %s", ex_path, ex->line, f->names[0], msg);
            text_puts(&out, "→ error: ");
            text_puts(&out, msg);
            text_puts(&out, "\n");
        } else {
            if (ex->expect_error)
                problem("failed", "%s:%d: %s: marked @error but ran without one", ex_path, ex->line,
                        f->names[0]);
            if (!is_set(ex->sql)) { /* SET echoes its key and value: noise here */
                char *shown = show_result(r);
                text_puts(&out, shown);
                free(shown);
            }
        }
        sl_result_destroy(&r);
    }
    sl_session_close(&s);
    return text_take(&out);
}

/* ---- the document ---------------------------------------------------------------------- */

/* An HTML id for a function name: letters, digits and '_' as they are;
 * operator characters spelt out. */
static void anchor(text *t, const char *name) {
    static const struct {
        char c;
        const char *w;
    } ops[] = {{'+', "plus"}, {'-', "minus"}, {'*', "star"},  {'/', "slash"}, {'%', "percent"},
               {'&', "amp"},  {'|', "bar"},   {'^', "caret"}, {'~', "tilde"}, {'!', "bang"},
               {'=', "eq"},   {'<', "lt"},    {'>', "gt"}};
    text_puts(t, "fn-");
    bool sep = false;
    for (const char *p = name; *p; p++) {
        char c = (char)tolower((unsigned char)*p);
        if (isalnum((unsigned char)c) || c == '_') {
            text_add(t, &c, 1);
            continue;
        }
        for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
            if (ops[i].c == c) {
                if (sep) text_puts(t, "-");
                text_puts(t, ops[i].w);
                sep = true;
            }
    }
}

static void link(text *t, const char *name) {
    text_puts(t, "[`");
    text_puts(t, name);
    text_puts(t, "`](#");
    anchor(t, name);
    text_puts(t, ")");
}

static int cmp_names(const void *a, const void *b) {
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    bool xo = !isalpha((unsigned char)x[0]), yo = !isalpha((unsigned char)y[0]);
    if (xo != yo) return xo ? -1 : 1; /* operators first */
    return strcasecmp(x, y);
}

static void describe(text *t, const char *name, const char *usage, const char *desc, bool agg,
                     bool list) {
    text_puts(t, list ? "- `" : "`");
    text_puts(t, usage ? usage : name);
    text_puts(t, "` — ");
    text_puts(t, desc ? desc : "");
    if (agg) text_puts(t, " *(aggregate)*");
    text_puts(t, "\n");
}

static void print_doc(void) {
    text d = {0};
    text_puts(&d, "# Functions\n\n");
    text_puts(
        &d, "Every SQL function of sluice, with examples and the results sluice computes for\n"
            "them. Generated by `tests/harness/fndoc.c` from the function registry and\n"
            "[function-examples.sql](function-examples.sql); do not edit by hand, run\n\n"
            "    build/debug/tests/fndoc docs/function-examples.sql > docs/functions.md\n\n"
            "Semantics are Spark 3.5's with `spark.sql.ansi.enabled=false`: a bad input gives\n"
            "NULL, not an error. Each example was checked against Spark; where Spark gives\n"
            "another result, the example's comment says so, and\n"
            "[sql-differences.md](sql-differences.md) lists the differences made on purpose.\n\n");
    text_puts(&d,
              "Reading the examples: `→` shows the single value a query returns, text in quotes\n"
              "(`'abc'`, so that `''` and spaces show), `NULL` for SQL NULL, other values as the\n"
              "shell prints them. A result with several rows or columns is printed as the shell\n"
              "prints it, with the columns named as Spark names them. `CASE`, `CAST`,\n"
              "`IS [NOT] NULL`, `BETWEEN`, `AND`/`OR` and the other syntax forms are in\n"
              "[sql.md](sql.md#expressions).\n\n");
    /* contents */
    text_puts(&d, "## Contents\n\n");
    for (int c = 0; c < n_cats; c++) {
        text_puts(&d, "- [");
        text_puts(&d, cats[c].title);
        text_puts(&d, "](#cat-");
        text_puts(&d, cats[c].key);
        text_puts(&d, "): ");
        bool first = true;
        for (int e = 0; e < n_ents; e++) {
            if (ents[e].cat != c) continue;
            for (int i = 0; i < ents[e].n_names; i++) {
                if (!first) text_puts(&d, " · ");
                link(&d, ents[e].names[i]);
                first = false;
            }
        }
        text_puts(&d, "\n");
    }
    /* alphabetical index */
    int n_all = 0;
    for (int e = 0; e < n_ents; e++) n_all += ents[e].n_names;
    char **all = xrealloc(NULL, sizeof *all * (size_t)(n_all ? n_all : 1));
    n_all = 0;
    for (int e = 0; e < n_ents; e++)
        for (int i = 0; i < ents[e].n_names; i++) all[n_all++] = ents[e].names[i];
    qsort(all, (size_t)n_all, sizeof *all, cmp_names);
    text_puts(&d, "\nA to Z:\n\n");
    for (int i = 0; i < n_all; i++) {
        char c = (char)tolower((unsigned char)all[i][0]);
        char p = i ? (char)tolower((unsigned char)all[i - 1][0]) : 0;
        bool op = !isalpha((unsigned char)c), pop = i && !isalpha((unsigned char)p);
        if (!i || (op ? !pop : (pop || c != p))) { /* a new line per initial; operators on one */
            text_puts(&d, i ? "\n- " : "- ");
            if (!op) {
                char head[8] = {'*', '*', c, '*', '*', ':', ' ', 0};
                text_puts(&d, head);
            } else {
                text_puts(&d, "operators: ");
            }
        } else {
            text_puts(&d, " · ");
        }
        link(&d, all[i]);
    }
    text_puts(&d, "\n");
    free(all);
    /* sections */
    for (int c = 0; c < n_cats; c++) {
        text_puts(&d, "\n<a id=\"cat-");
        text_puts(&d, cats[c].key);
        text_puts(&d, "\"></a>\n\n## ");
        text_puts(&d, cats[c].title);
        text_puts(&d, "\n");
        if (cats[c].intro) {
            text_puts(&d, "\n");
            text_puts(&d, cats[c].intro);
        }
        for (int e = 0; e < n_ents; e++) {
            const fentry *f = &ents[e];
            if (f->cat != c) continue;
            text_puts(&d, "\n");
            for (int i = 0; i < f->n_names; i++) {
                text_puts(&d, "<a id=\"");
                anchor(&d, f->names[i]);
                text_puts(&d, "\"></a>");
            }
            text_puts(&d, "\n\n### ");
            for (int i = 0; i < f->n_names; i++) {
                text_puts(&d, i ? " `" : "`");
                text_puts(&d, f->names[i]);
                text_puts(&d, "`");
            }
            text_puts(&d, "\n\n");
            for (int i = 0; i < f->n_names; i++) {
                known *k = find_known(f->names[i]);
                const char *desc = NULL;
                const char *usage = usage_of(f, i, &desc);
                describe(&d, f->names[i], usage, desc, k && k->agg, f->n_names > 1);
            }
            char *body = run_entry(f);
            text_puts(&d, "\n```sql\n");
            text_puts(&d, body);
            text_puts(&d, "```\n");
            free(body);
        }
    }
    fputs(d.p, stdout);
    free(d.p);
}

int main(int argc, char **argv) {
    char def[4096];
    const char *root = getenv("SLUICE_ROOT");
    if (argc > 1)
        ex_path = argv[1];
    else if (root && *root) {
        snprintf(def, sizeof def, "%s/docs/function-examples.sql", root);
        ex_path = def;
    } else {
        ex_path = "docs/function-examples.sql";
    }
    load_examples(ex_path);
    sl__fn_each(add_scalar, NULL);
    sl__agg_each(add_agg, NULL);
    load_show_functions();
    check_entries();
    print_doc();
    for (int c = 0; c < n_cats; c++) {
        free(cats[c].key);
        free(cats[c].title);
        free(cats[c].intro);
    }
    free(cats);
    for (int e = 0; e < n_ents; e++) {
        for (int i = 0; i < ents[e].n_names; i++) free(ents[e].names[i]);
        free(ents[e].names);
        for (int x = 0; x < ents[e].n_ex; x++) {
            free(ents[e].ex[x].note);
            free(ents[e].ex[x].sql);
        }
        free(ents[e].ex);
        for (int i = 0; i < ents[e].n_usage; i++) free(ents[e].usage[i]);
        for (int i = 0; i < ents[e].n_about; i++) free(ents[e].about[i]);
        free(ents[e].usage);
        free(ents[e].about);
    }
    free(ents);
    for (int i = 0; i < n_kn; i++) free(kn[i].name);
    free(kn);
    if (n_problems)
        fprintf(stderr, "fndoc: %d problem%s\n", n_problems, n_problems == 1 ? "" : "s");
    return n_problems ? 1 : 0;
}
