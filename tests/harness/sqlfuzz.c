/*
 * sqlfuzz.c — a quick robustness pass over the SQL front end and the batch
 * engine: random inputs go through sl_session_execute, which must never
 * crash, hang or trip a sanitizer, and must give every failure a message.
 *
 *   sqlfuzz SEED COUNT [CORPUS.test ...] [-v] [-L]
 *
 * Inputs, chosen at random:
 *  - token soups: 1 to 40 tokens from a dictionary of keywords, names,
 *    functions, literals (huge, tiny, odd), operators and comments;
 *  - mutated valid queries, taken from the SQL logic test files given on the
 *    command line (the files of tests/sql/core): tokens deleted, duplicated,
 *    swapped, replaced or inserted, truncation, stray bytes (control
 *    characters, invalid UTF-8), splices of two queries;
 *  - deep nesting (parentheses, NOT, CASE, subqueries) of random depth;
 *  - calls of every function SHOW FUNCTIONS lists, with extreme or
 *    ill-typed arguments (the largest integers, NaN, intervals, arrays,
 *    structs, NULL, odd strings), sometimes nested, sometimes over rows.
 * Each corpus file's setup statements run first in a fresh session, so the
 * mutated queries meet their tables. Statements that reach outside the
 * process (START QUERY, CREATE STREAM, file tables with USING, AWAIT) are
 * skipped. A watchdog thread interrupts a statement that runs longer than
 * 2 s (sl_session_interrupt) and declares a hang after 20 s.
 *
 * TAP: one line per 500 inputs. A failure prints the seed, the input number
 * and the input; -v prints every input before running it. Each input is
 * also written to the file named by SQLFUZZ_LAST (when set) before it runs,
 * so that a crash the program cannot report itself leaves it behind. Leaks are found
 * when the program ends (LeakSanitizer); -L checks after every input, to
 * tell which input leaked (slow).
 */
#include "sluice.h"
#include <ctype.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* the sanitizer runtime's hook, present only in sanitizer builds */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

static uint64_t rng_state;

static uint64_t rnd64(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static size_t rnd(size_t n) {
    return n ? (size_t)(rnd64() % n) : 0;
}

/* ---- strings ------------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void sb_puts(sbuf *b, const char *s) {
    sb_putn(b, s, strlen(s));
}

static void sb_clear(sbuf *b) {
    b->n = 0;
    if (b->p) b->p[0] = 0;
}

/* ---- the dictionary ---------------------------------------------------------- */

static const char *const DICT[] = {
    /* keywords */
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP",
    "BY",
    "HAVING",
    "ORDER",
    "LIMIT",
    "OFFSET",
    "UNION",
    "ALL",
    "EXCEPT",
    "INTERSECT",
    "MINUS",
    "DISTINCT",
    "JOIN",
    "LEFT",
    "RIGHT",
    "FULL",
    "OUTER",
    "INNER",
    "SEMI",
    "ANTI",
    "CROSS",
    "ON",
    "AS",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "CAST",
    "TRY_CAST",
    "NULL",
    "TRUE",
    "FALSE",
    "AND",
    "OR",
    "NOT",
    "IN",
    "BETWEEN",
    "LIKE",
    "ILIKE",
    "RLIKE",
    "ESCAPE",
    "IS",
    "EXISTS",
    "WITH",
    "VALUES",
    "CREATE",
    "TABLE",
    "VIEW",
    "OR REPLACE",
    "INSERT",
    "INTO",
    "DROP",
    "IF",
    "SET",
    "RESET",
    "SHOW",
    "TABLES",
    "FUNCTIONS",
    "DESCRIBE",
    "EXPLAIN",
    "INTERVAL",
    "TIMESTAMP",
    "DATE",
    "CUBE",
    "ROLLUP",
    "GROUPING SETS",
    "WITH ROLLUP",
    "NULLS FIRST",
    "NULLS LAST",
    "ASC",
    "DESC",
    "LATERAL",
    "EXCEPT (",
    "WATERMARK",
    "DELAY OF",
    "SECONDS",
    "MINUTE",
    /* types */
    "INT",
    "BIGINT",
    "SMALLINT",
    "DOUBLE",
    "STRING",
    "BOOLEAN",
    "ARRAY<INT>",
    "STRUCT<a: INT>",
    "DECIMAL(10, 2)",
    "MAP<INT, INT>",
    /* names */
    "t",
    "u",
    "x",
    "y",
    "a",
    "b",
    "k",
    "v",
    "s",
    "d",
    "t.a",
    "u.*",
    "*",
    "`weird name`",
    "``",
    "people",
    "sales",
    "l",
    "r",
    "dropna(",
    "dropduplicates(",
    "spark.sql.shuffle.partitions",
    "spark.sql.session.timeZone",
    "spark.sql.caseSensitive",
    /* functions */
    "count(",
    "count(*)",
    "sum(",
    "avg(",
    "min(",
    "max(",
    "first(",
    "last(",
    "stddev(",
    "approx_count_distinct(",
    "upper(",
    "lower(",
    "length(",
    "substr(",
    "concat(",
    "concat_ws(",
    "split(",
    "explode(",
    "explode_outer(",
    "posexplode(",
    "array(",
    "struct(",
    "named_struct(",
    "coalesce(",
    "nvl(",
    "if(",
    "nullif(",
    "grouping(",
    "grouping_id(",
    "abs(",
    "round(",
    "floor(",
    "sqrt(",
    "from_json(",
    "to_json(",
    "get_json_object(",
    "date_add(",
    "date_format(",
    "window(",
    "current_timestamp()",
    "to_timestamp(",
    "unix_timestamp(",
    "regexp_replace(",
    "regexp_extract(",
    "size(",
    "element_at(",
    "typeof(",
    "greatest(",
    "least(",
    "pmod(",
    "rand()",
    "uuid()",
    /* literals */
    "0",
    "1",
    "-1",
    "2",
    "42",
    "2147483647",
    "-2147483648",
    "2147483648",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999",
    "1.5",
    "0.1",
    "1e308",
    "1e-320",
    "-0.0",
    "1e999",
    "1L",
    "3S",
    "7Y",
    "2.5D",
    ".5",
    "'a'",
    "''",
    "'%'",
    "'_'",
    "'\\\\'",
    "'it''s'",
    "\"dq\"",
    "'2024-01-01'",
    "'2024-01-01 12:00:00'",
    "'NaN'",
    "'Infinity'",
    "'{\"a\": 1}'",
    "'a,b,,c'",
    "'日本'",
    "'\\u00e9'",
    "X'00'",
    /* operators and punctuation */
    "+",
    "-",
    "*",
    "/",
    "%",
    "div",
    "=",
    "==",
    "<>",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "<=>",
    "||",
    "&",
    "|",
    "^",
    "~",
    "!",
    "(",
    ")",
    "(",
    ")",
    ",",
    ",",
    ".",
    ";",
    "[",
    "]",
    ":",
    "::",
    "->",
    "?",
    /* comments */
    "-- c\n",
    "/* c */",
    "/* /* nested */ */",
    "/*",
    "*/",
};
#define N_DICT (sizeof DICT / sizeof DICT[0])

static const char *rand_token(void) {
    return DICT[rnd(N_DICT)];
}

/* ---- corpus ---------------------------------------------------------------------- */

typedef struct corpus_file {
    char **setup; /* statements that must succeed (statement ok) */
    size_t n_setup;
    char **queries; /* everything else */
    size_t n_queries;
} corpus_file;

static void push(char ***v, size_t *n, char *s) {
    *v = realloc(*v, sizeof **v * (*n + 1));
    (*v)[(*n)++] = s;
}

/* Reads a SQL logic test file: records separated by blank lines, a header
 * line, SQL lines, then "----" and expected lines. */
static void load_corpus(const char *path, corpus_file *cf) {
    memset(cf, 0, sizeof *cf);
    FILE *f = fopen(path, "r");
    if (!f) return;
    char *line = NULL;
    size_t cap = 0;
    sbuf sql = {0};
    char head[64] = "";
    bool in_rec = false, in_sql = false;
    for (;;) {
        ssize_t n = getline(&line, &cap, f);
        bool blank = n < 0 || n <= 1;
        if (n > 0 && line[n - 1] == '\n') line[--n] = 0;
        if (blank) {
            if (in_rec && sql.n) {
                if (strncmp(head, "statement ok", 12) == 0)
                    push(&cf->setup, &cf->n_setup, strdup(sql.p));
                else
                    push(&cf->queries, &cf->n_queries, strdup(sql.p));
            }
            in_rec = in_sql = false;
            sb_clear(&sql);
            if (n < 0) break;
            continue;
        }
        if (!in_rec) {
            if (line[0] == '#') continue;
            in_rec = in_sql = true;
            snprintf(head, sizeof head, "%s", line);
            continue;
        }
        if (strcmp(line, "----") == 0)
            in_sql = false;
        else if (in_sql) {
            if (sql.n) sb_puts(&sql, "\n");
            sb_puts(&sql, line);
        }
    }
    free(line);
    free(sql.p);
    fclose(f);
}

/* ---- inputs ---------------------------------------------------------------------- */

/* Splits text into rough tokens (words, numbers, quoted strings, single
 * punctuation characters); whitespace is dropped. */
static size_t tokenize(const char *s, char ***out) {
    size_t n = 0;
    *out = NULL;
    const char *p = s;
    while (*p) {
        while (*p && isspace((unsigned char)*p)) p++;
        if (!*p) break;
        const char *st = p;
        if (isalnum((unsigned char)*p) || *p == '_') {
            while (*p && (isalnum((unsigned char)*p) || *p == '_' || *p == '.')) p++;
        } else if (*p == '\'' || *p == '"' || *p == '`') {
            char q = *p++;
            while (*p && *p != q) p++;
            if (*p) p++;
        } else {
            p++;
        }
        push(out, &n, strndup(st, (size_t)(p - st)));
    }
    return n;
}

static void free_tokens(char **t, size_t n) {
    for (size_t i = 0; i < n; i++) free(t[i]);
    free(t);
}

static void join_tokens(char **t, size_t n, sbuf *out) {
    for (size_t i = 0; i < n; i++) {
        if (i) sb_puts(out, " ");
        sb_puts(out, t[i]);
    }
}

static void token_soup(sbuf *out) {
    if (rnd(3) == 0) sb_puts(out, "SELECT ");
    size_t n = 1 + rnd(40);
    for (size_t i = 0; i < n; i++) {
        if (i) sb_puts(out, " ");
        sb_puts(out, rand_token());
    }
}

static void deep_nesting(sbuf *out) {
    size_t depth = 1 + rnd(rnd(2) ? 300 : 20000);
    switch (rnd(5)) {
    case 0:
        sb_puts(out, "SELECT ");
        for (size_t i = 0; i < depth; i++) sb_puts(out, "(");
        sb_puts(out, "1");
        for (size_t i = 0; i < depth; i++) sb_puts(out, ")");
        break;
    case 1:
        sb_puts(out, "SELECT ");
        for (size_t i = 0; i < depth; i++) sb_puts(out, "NOT ");
        sb_puts(out, "true");
        break;
    case 2:
        sb_puts(out, "SELECT ");
        for (size_t i = 0; i < depth; i++) sb_puts(out, "CASE WHEN true THEN ");
        sb_puts(out, "1");
        for (size_t i = 0; i < depth; i++) sb_puts(out, " END");
        break;
    case 3:
        sb_puts(out, "SELECT * FROM ");
        for (size_t i = 0; i < depth; i++) sb_puts(out, "(SELECT * FROM ");
        sb_puts(out, "(SELECT 1 AS x)");
        for (size_t i = 0; i < depth; i++) sb_puts(out, ")");
        break;
    default:
        sb_puts(out, "SELECT 1");
        for (size_t i = 0; i < depth; i++) sb_puts(out, rnd(2) ? " + 1" : " UNION ALL SELECT 1");
    }
}

static void mutate(const corpus_file *cf, const char *src, sbuf *out) {
    char **t;
    size_t n = tokenize(src, &t);
    size_t rounds = 1 + rnd(4);
    for (size_t r = 0; r < rounds && n; r++) {
        size_t i = rnd(n), j = rnd(n);
        switch (rnd(9)) {
        case 0: /* delete */
            free(t[i]);
            memmove(t + i, t + i + 1, sizeof *t * (n - i - 1));
            n--;
            break;
        case 1: /* duplicate */
            t = realloc(t, sizeof *t * (n + 1));
            memmove(t + i + 1, t + i, sizeof *t * (n - i));
            t[i + 1] = strdup(t[i]);
            n++;
            break;
        case 2: { /* swap */
            char *x = t[i];
            t[i] = t[j];
            t[j] = x;
            break;
        }
        case 3: /* replace */
            free(t[i]);
            t[i] = strdup(rand_token());
            break;
        case 4: /* insert */
            t = realloc(t, sizeof *t * (n + 1));
            memmove(t + i + 1, t + i, sizeof *t * (n - i));
            t[i] = strdup(rand_token());
            n++;
            break;
        case 5: /* truncate */
            for (size_t k = i; k < n; k++) free(t[k]);
            n = i;
            break;
        case 6: { /* a stray byte inside a token */
            static const char bytes[] = "\x01\x7f\x80\xc3\xff\t\n\r'\"`\\;(";
            size_t len = strlen(t[i]);
            char *x = malloc(len + 2);
            size_t at = rnd(len + 1);
            memcpy(x, t[i], at);
            x[at] = bytes[rnd(sizeof bytes - 1)];
            memcpy(x + at + 1, t[i] + at, len - at + 1);
            free(t[i]);
            t[i] = x;
            break;
        }
        case 7: { /* splice in the tail of another query */
            if (!cf->n_queries) break;
            char **u;
            size_t m = tokenize(cf->queries[rnd(cf->n_queries)], &u);
            size_t from = rnd(m + 1);
            for (size_t k = i; k < n; k++) free(t[k]);
            n = i;
            t = realloc(t, sizeof *t * (n + m - from + 1));
            for (size_t k = from; k < m; k++) t[n++] = u[k];
            for (size_t k = 0; k < from; k++) free(u[k]);
            free(u);
            break;
        }
        default: { /* repeat a token many times */
            size_t times = 1 + rnd(50);
            t = realloc(t, sizeof *t * (n + times));
            memmove(t + i + times, t + i, sizeof *t * (n - i));
            for (size_t k = 1; k <= times; k++) t[i + k] = strdup(t[i]);
            n += times;
            break;
        }
        }
    }
    join_tokens(t, n, out);
    free_tokens(t, n);
}

/* ---- function calls with odd arguments ---------------------------------------------- */

static char **fn_names;
static size_t n_fn_names;

static const char *const ODD_ARGS[] = {
    "NULL",
    "0",
    "-1",
    "1",
    "2",
    "3",
    "7",
    "-2147483648",
    "2147483647",
    "9223372036854775807",
    "-9223372036854775808",
    "1.5",
    "-0.0",
    "1e308",
    "-1e308",
    "CAST('NaN' AS DOUBLE)",
    "CAST('Infinity' AS DOUBLE)",
    "''",
    "'abc'",
    "'a,b'",
    "'%'",
    "'\\\\'",
    "'日本'",
    "'2024-01-01'",
    "'2024-01-01 12:00:00'",
    "TIMESTAMP '2024-01-01 12:00:00'",
    "DATE '2024-02-29'",
    "array(1, NULL, 3)",
    "array()",
    "array(array('a'))",
    "named_struct('a', 1, 'b', 'x')",
    "'{\"a\": [1, {\"b\": null}]}'",
    "'a INT, b STRING'",
    "true",
    "INTERVAL 1 DAY",
    "'yyyy-MM-dd HH:mm:ss'",
    "'[a-z]+'",
    "'(a'",
    "'\\\\d'",
    "x",
    "y",
    "100000",
    "-100000",
    "CAST(NULL AS INT)",
    "CAST(NULL AS STRING)",
};
#define N_ODD (sizeof ODD_ARGS / sizeof ODD_ARGS[0])

static void load_functions(sl_session *s) {
    sl_result *r = NULL;
    if (sl_session_execute(s, "SHOW FUNCTIONS", &r) != SL_OK || !r) return;
    for (uint64_t i = 0; i < sl_result_row_count(r); i++) {
        size_t len;
        const char *p = sl_result_string(r, 0, i, &len);
        if (!p || (len == 5 && memcmp(p, "sleep", 5) == 0)) continue;
        push(&fn_names, &n_fn_names, strndup(p, len));
    }
    sl_result_destroy(&r);
}

static void odd_call(sbuf *out, int depth) {
    sb_puts(out, fn_names[rnd(n_fn_names)]);
    sb_puts(out, "(");
    size_t n = rnd(4);
    for (size_t i = 0; i < n; i++) {
        if (i) sb_puts(out, ", ");
        if (depth < 2 && rnd(5) == 0)
            odd_call(out, depth + 1);
        else
            sb_puts(out, ODD_ARGS[rnd(N_ODD)]);
    }
    sb_puts(out, ")");
}

static void function_call(sbuf *out) {
    if (!n_fn_names) {
        token_soup(out);
        return;
    }
    sb_puts(out, "SELECT ");
    odd_call(out, 0);
    /* x and y name columns of a few rows, so aggregates see data */
    sb_puts(out, " FROM VALUES (1, 'a'), (NULL, NULL), (-5, 'b') AS t(x, y)");
}

/* Statements that would reach outside the process, or wait: not run. */
static bool outside(const char *sql) {
    static const char *const words[] = {"START", "STREAM", "USING", "AWAIT", "STOP"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        size_t k = strlen(words[w]);
        for (const char *p = sql; *p; p++)
            if (strncasecmp(p, words[w], k) == 0) return true;
    }
    return false;
}

/* ---- the watchdog and crash reports ------------------------------------------------- */

static sl_session *volatile g_session;
static atomic_long g_started_ms = -1; /* when the current input started; -1: idle */
static const char *volatile g_input;
static volatile long g_input_no;
static uint64_t g_seed;

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void print_input(const char *why) {
    printf("not ok - seed %llu input %ld: %s\n# input: ", (unsigned long long)g_seed, g_input_no,
           why);
    const char *s = g_input ? g_input : "";
    for (; *s; s++) putchar(*s == '\n' ? ' ' : *s);
    printf("\n");
    fflush(stdout);
}

static void on_death(void) {
    if (atomic_load(&g_started_ms) >= 0)
        print_input("the sanitizer stopped the program on this input");
    else
        printf("not ok - seed %llu: the sanitizer stopped the program after the inputs (a leak? "
               "rerun with -L to find the input)\n",
               (unsigned long long)g_seed);
    fflush(stdout);
}

static void *watchdog(void *arg) {
    (void)arg;
    bool interrupted = false;
    long last_seen = -2;
    for (;;) {
        usleep(100 * 1000);
        long st = atomic_load(&g_started_ms);
        if (st != last_seen) {
            interrupted = false;
            last_seen = st;
        }
        if (st < 0) continue;
        long ran = now_ms() - st;
        if (ran > 2000 && !interrupted && g_session) {
            sl_session_interrupt(g_session);
            interrupted = true;
        }
        if (ran > 20000) {
            print_input("no answer after 20 s (a hang)");
            _exit(1);
        }
    }
    return NULL;
}

/* ---- main -------------------------------------------------------------------------- */

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: sqlfuzz SEED COUNT [CORPUS.test ...] [-v] [-L]\n");
        return 2;
    }
    g_seed = strtoull(argv[1], NULL, 10);
    long count = strtol(argv[2], NULL, 10);
    bool verbose = false, leak_each = false;
    const char *last_path = getenv("SQLFUZZ_LAST");
    corpus_file *files = NULL;
    size_t n_files = 0;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) {
            verbose = true;
            continue;
        }
        if (strcmp(argv[i], "-L") == 0) {
            leak_each = true;
            continue;
        }
        files = realloc(files, sizeof *files * (n_files + 1));
        load_corpus(argv[i], &files[n_files]);
        if (files[n_files].n_queries || files[n_files].n_setup) n_files++;
    }
    corpus_file empty = {0};
    {
        sl_session *fs = NULL;
        sl_session_open(NULL, &fs);
        load_functions(fs);
        sl_session_close(&fs);
    }
    if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(on_death);
    pthread_t wd;
    pthread_create(&wd, NULL, watchdog, NULL);
    rng_state = g_seed;

    const long per_line = 500;
    int tap = 0, failures = 0;
    sbuf in = {0};
    sl_session *s = NULL;
    const corpus_file *cf = &empty;
    long line_bad = 0;
    for (long i = 0; i < count; i++) {
        /* a fresh session per 100 inputs, set up from one corpus file */
        if (i % 100 == 0) {
            g_session = NULL;
            sl_session_close(&s);
            sl_session_open(NULL, &s);
            g_session = s;
            cf = n_files ? &files[rnd(n_files)] : &empty;
            for (size_t k = 0; k < cf->n_setup; k++) {
                if (outside(cf->setup[k])) continue;
                sl_result *r = NULL;
                if (sl_session_execute(s, cf->setup[k], &r) == SL_OK) sl_result_destroy(&r);
            }
        }
        sb_clear(&in);
        size_t kind = rnd(100);
        if (kind < 25)
            token_soup(&in);
        else if (kind < 28)
            deep_nesting(&in);
        else if (kind < 45 || !cf->n_queries)
            function_call(&in);
        else
            mutate(cf, cf->queries[rnd(cf->n_queries)], &in);
        if (!in.p) sb_puts(&in, "");
        if (outside(in.p)) continue;
        g_input = in.p;
        g_input_no = i;
        if (last_path) {
            FILE *lf = fopen(last_path, "w");
            if (lf) {
                fprintf(lf, "seed %llu input %ld: %s\n", (unsigned long long)g_seed, i, in.p);
                fclose(lf);
            }
        }
        if (verbose) {
            printf("# %ld: %.300s\n", i, in.p);
            fflush(stdout);
        }
        sl_result *r = NULL;
        atomic_store(&g_started_ms, now_ms());
        sl_status st = sl_session_execute(s, in.p, &r);
        atomic_store(&g_started_ms, -1);
        if (st != SL_OK) {
            const char *msg = sl_session_errmsg(s);
            if (!msg || !*msg) {
                print_input("an error without a message");
                line_bad++;
                failures++;
            }
            if (st == SL_ERR_INTERNAL) {
                char why[600];
                snprintf(why, sizeof why, "an internal error: %.500s", msg ? msg : "");
                print_input(why);
                line_bad++;
                failures++;
            }
        } else if (r) {
            /* render it: the renderer must cope with whatever came out */
            char *text = sl_result_render_string(r, NULL);
            sl_free(text);
        }
        sl_result_destroy(&r);
        if (leak_each && __lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check()) {
            /* the leak stays leaked: every later check would report it too */
            print_input("memory leaked on this input");
            return 1;
        }
        if ((i + 1) % per_line == 0 || i + 1 == count) {
            long first = (i / per_line) * per_line;
            if (line_bad)
                printf("not ok %d - seed %llu inputs %ld..%ld: %ld failures (above)\n", ++tap,
                       (unsigned long long)g_seed, first, i, line_bad);
            else
                printf("ok %d - seed %llu inputs %ld..%ld: no crash, no hang, every error has a "
                       "message\n",
                       ++tap, (unsigned long long)g_seed, first, i);
            fflush(stdout);
            line_bad = 0;
        }
    }
    g_session = NULL;
    sl_session_close(&s);
    g_input = NULL;
    free(in.p);
    for (size_t f = 0; f < n_files; f++) {
        for (size_t k = 0; k < files[f].n_setup; k++) free(files[f].setup[k]);
        for (size_t k = 0; k < files[f].n_queries; k++) free(files[f].queries[k]);
        free(files[f].setup);
        free(files[f].queries);
    }
    free(files);
    for (size_t f = 0; f < n_fn_names; f++) free(fn_names[f]);
    free(fn_names);
    printf("1..%d\n", tap);
    return failures ? 1 : 0;
}
