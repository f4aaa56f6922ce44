/*
 * streaminv.c — batch-boundary invariance of streaming aggregations: over a
 * finite input, the complete-mode result of a streaming query must equal
 * what the batch engine computes from the same rows, wherever the batch
 * boundaries fall (R35, R116: complete mode writes the whole result table;
 * an aggregate's state carries over from batch to batch).
 *
 *   streaminv SEED ROUNDS [-v]   (-v: print each query and batching)
 *
 * Each round draws random rows (seeded; NULLs in every column, a NaN now
 * and then, empty words) and loads them into a plain table. Then, for three
 * batchings — everything in batch 0 (pushed before START), random batches
 * of 1 to 8 rows, one row per batch — it creates a memory stream, starts
 * every query of the list below as a complete-mode memory-sink query, pushes
 * the rows with INSERT INTO and sl_query_process_all_available after each
 * push, and compares each memory table with the same SELECT over the
 * table: rows sorted, doubles equal within a relative 1e-9 (NaN equals NaN).
 * Only the public API (include/sluice.h) is used.
 *
 * The queries cover count, sum, avg, min, max, stddev and variance,
 * first/last (deterministic here: one thread, arrival order = table order),
 * approx_count_distinct of small sets, GROUP BY with CUBE, ROLLUP and
 * GROUPING SETS, WHERE and HAVING, joins with a static table before and
 * after the aggregation, dropna, explode, SELECT DISTINCT, dropduplicates,
 * a union of two reads of the stream, ORDER BY + LIMIT after an aggregation.
 *
 * Output is TAP: one line per round and query. A failure prints the seed,
 * the round, the batching, the rows, the SQL and both results.
 */
#include "sluice.h"
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers (splitmix64) ------------------------------------------ */

static uint64_t rng_state;

static uint64_t rnd64(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* uniform in [0, n) */
static int rnd(int n) {
    return (int)(rnd64() % (uint64_t)n);
}

static bool chance(int percent) {
    return rnd(100) < percent;
}

/* ---- growing strings --------------------------------------------------------- */

typedef struct str {
    char *p;
    size_t len, cap;
} str;

static void sputs(str *s, const char *t) {
    size_t n = strlen(t);
    if (s->len + n + 1 > s->cap) {
        s->cap = (s->len + n + 1) * 2;
        s->p = realloc(s->p, s->cap);
    }
    memcpy(s->p + s->len, t, n + 1);
    s->len += n;
}

static void sprintf_(str *s, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sputs(s, buf);
}

/* ---- the rows ------------------------------------------------------------------ */

#define COLUMNS  "k STRING, g INT, v BIGINT, d DOUBLE, w STRING, User STRING"
#define MAX_ROWS 48

/* One row as the text of a VALUES tuple. */
static char *random_row(void) {
    static const char *ks[] = {"'a'", "'b'", "'c'", "'d'"};
    static const char *words[] = {"x", "y", "z", "xy"};
    static const char *users[] = {"'a'", "'b'", "'c'", "'f'"};
    str s = {0};
    sputs(&s, "(");
    sputs(&s, chance(15) ? "NULL" : ks[rnd(4)]);
    if (chance(15))
        sputs(&s, ", NULL");
    else
        sprintf_(&s, ", %d", 1 + rnd(3));
    if (chance(15))
        sputs(&s, ", NULL");
    else
        sprintf_(&s, ", %d", rnd(26) - 5);
    /* dyadic fractions: sums are exact whatever the order */
    if (chance(15))
        sputs(&s, ", NULL");
    else if (chance(3))
        sputs(&s, ", CAST('NaN' AS DOUBLE)");
    else
        sprintf_(&s, ", %.4f", (rnd(400) - 200) / 8.0);
    if (chance(15)) {
        sputs(&s, ", NULL");
    } else {
        sputs(&s, ", '");
        int n = rnd(4);
        for (int i = 0; i < n; i++) {
            if (i) sputs(&s, chance(15) ? "  " : " ");
            sputs(&s, words[rnd(4)]);
        }
        sputs(&s, "'");
    }
    sputs(&s, ", ");
    sputs(&s, chance(15) ? "NULL" : users[rnd(4)]);
    sputs(&s, ")");
    return s.p;
}

/* ---- the queries ------------------------------------------------------------------ */

/* {S} is the input: the stream, or the table "t" for the batch engine's result. */
static const char *QUERIES[] = {
    "SELECT k, count(*) AS n, count(v) AS nv, sum(v) AS sv, avg(v) AS av, min(v) AS mn, "
    "max(v) AS mx FROM {S} GROUP BY k",
    "SELECT count(*) AS n, count(d) AS nd, sum(d) AS sd, avg(d) AS ad, min(d) AS mn, max(d) AS mx "
    "FROM {S}",
    "SELECT k, g, sum(v) AS sv, avg(d) AS ad, count(*) AS n FROM {S} GROUP BY CUBE(k, g)",
    "SELECT k, g, grouping_id() AS gid, count(*) AS n, max(v) AS mx FROM {S} GROUP BY ROLLUP(k, g)",
    "SELECT k, g, grouping(k) AS gk, count(*) AS n, min(d) AS md FROM {S} GROUP BY GROUPING SETS "
    "((k), (g), ())",
    "SELECT g, count(*) AS n, sum(d) AS sd FROM {S} WHERE v > 3 AND d IS NOT NULL GROUP BY g",
    "SELECT k, count(*) AS n, sum(v) AS sv FROM {S} GROUP BY k HAVING count(*) > 2",
    "SELECT k, first(v) AS f, last(v) AS l, first(v, true) AS fi, last(v, true) AS li, "
    "first(w) AS fw FROM {S} GROUP BY k",
    "SELECT g, approx_count_distinct(v) AS av, approx_count_distinct(k) AS ak, "
    "approx_count_distinct(d) AS ad FROM {S} GROUP BY g",
    "SELECT k, count(*) AS n, avg(d) AS ad FROM dropna({S}, 'any') GROUP BY k",
    "SELECT g, count(*) AS n, sum(v) AS sv FROM dropna({S}, 'all', v, d) GROUP BY g",
    "SELECT Name, count(*) AS n, sum(v) AS sv, avg(d) AS ad FROM {S} JOIN users USING (User) "
    "GROUP BY Name",
    "SELECT e.User, u.Name, count(*) AS n, max(v) AS mx FROM {S} e LEFT JOIN users u "
    "ON e.User = u.User GROUP BY e.User, u.Name",
    "SELECT c.User, u.Name, c.n, c.sv FROM (SELECT User, count(*) AS n, sum(v) AS sv FROM {S} "
    "GROUP BY User) c JOIN users u ON c.User = u.User",
    "SELECT count(*) AS n, sum(v) AS sv FROM {S} e LEFT SEMI JOIN users u ON e.User = u.User",
    "SELECT k, count(*) AS n FROM {S} e LEFT ANTI JOIN users u ON e.User = u.User GROUP BY k",
    "SELECT word, count(*) AS n FROM (SELECT explode(split(w, ' ')) AS word FROM {S}) "
    "GROUP BY word",
    "SELECT DISTINCT k, g FROM {S}",
    "SELECT k, g, count(*) AS n FROM dropduplicates({S}, k, g) GROUP BY k, g",
    "SELECT v % 3 AS m, CASE WHEN d > 0 THEN 'pos' ELSE 'other' END AS sign, count(*) AS n, "
    "sum(d) AS sd FROM {S} GROUP BY 1, 2",
    "SELECT k, count(*) AS n FROM {S} GROUP BY k ORDER BY n DESC, k LIMIT 3",
    "SELECT k, min(w) AS mnw, max(w) AS mxw, count(w) AS nw FROM {S} GROUP BY k",
    "SELECT g, sum(v * 2 + 1) AS s2, avg(CAST(v AS DOUBLE) / 4) AS a4 FROM {S} "
    "WHERE k IS NOT NULL GROUP BY g",
    "SELECT k, count(*) AS n FROM (SELECT k FROM {S} UNION ALL SELECT k FROM {S} WHERE v > 0) "
    "GROUP BY k",
    "SELECT u.Age, count(*) AS n, avg(e.v) AS av FROM {S} e JOIN users u ON e.User = u.User "
    "AND e.v < u.Age GROUP BY CUBE(u.Age)",
    "SELECT k, stddev(v) AS sd, variance(v) AS va, stddev_pop(d) AS sp, var_pop(d) AS vp, "
    "mean(v) AS m FROM {S} GROUP BY k",
};
#define NQ (sizeof QUERIES / sizeof *QUERIES)

static char *instantiate(const char *q, const char *input) {
    str s = {0};
    sputs(&s, "");
    for (const char *p = q; *p;) {
        if (strncmp(p, "{S}", 3) == 0) {
            sputs(&s, input);
            p += 3;
        } else {
            char c[2] = {*p++, 0};
            sputs(&s, c);
        }
    }
    return s.p;
}

/* ---- results as sortable rows --------------------------------------------------------- */

typedef struct cellv {
    bool is_double, is_null, is_nan;
    double d;
    char *text;
} cellv;

typedef struct table {
    size_t nc;
    uint64_t nr;
    cellv *cells; /* nr * nc */
    char **keys;  /* per row: a sort key */
} table;

static void table_free(table *t) {
    for (uint64_t i = 0; i < t->nr * t->nc; i++) free(t->cells[i].text);
    for (uint64_t i = 0; i < t->nr; i++) free(t->keys[i]);
    free(t->cells);
    free(t->keys);
    memset(t, 0, sizeof *t);
}

static char *cell_text(const sl_result *r, size_t c, uint64_t row) {
    size_t n = sl_result_cell_text(r, c, row, NULL, 0);
    char *b = malloc(n + 1);
    sl_result_cell_text(r, c, row, b, n + 1);
    return b;
}

static void table_load(table *t, const sl_result *r) {
    t->nc = sl_result_column_count(r);
    t->nr = sl_result_row_count(r);
    t->cells = calloc(t->nr * t->nc + 1, sizeof *t->cells);
    t->keys = calloc(t->nr + 1, sizeof *t->keys);
    for (uint64_t row = 0; row < t->nr; row++) {
        str key = {0};
        sputs(&key, "");
        for (size_t c = 0; c < t->nc; c++) {
            cellv *v = &t->cells[row * t->nc + c];
            v->is_double = sl_result_column_type(r, c) == SL_TYPE_DOUBLE;
            v->is_null = sl_result_is_null(r, c, row);
            v->text = cell_text(r, c, row);
            if (v->is_double && !v->is_null) {
                v->d = sl_result_double(r, c, row);
                v->is_nan = isnan(v->d);
            }
            /* sort on everything but doubles first, then on rounded doubles */
            if (!v->is_double) sprintf_(&key, "%s\x1f", v->is_null ? "\x01NULL" : v->text);
        }
        for (size_t c = 0; c < t->nc; c++) {
            cellv *v = &t->cells[row * t->nc + c];
            if (!v->is_double) continue;
            if (v->is_null)
                sputs(&key, "\x01NULL\x1f");
            else
                sprintf_(&key, "%.9g\x1f", v->d);
        }
        t->keys[row] = key.p;
    }
    /* sort row indexes by key, then permute */
    uint64_t *ix = malloc(sizeof *ix * (t->nr + 1));
    for (uint64_t i = 0; i < t->nr; i++) ix[i] = i;
    for (uint64_t i = 1; i < t->nr; i++) /* insertion sort: results are small */
        for (uint64_t j = i; j > 0 && strcmp(t->keys[ix[j - 1]], t->keys[ix[j]]) > 0; j--) {
            uint64_t x = ix[j];
            ix[j] = ix[j - 1];
            ix[j - 1] = x;
        }
    cellv *cells = calloc(t->nr * t->nc + 1, sizeof *cells);
    char **keys = calloc(t->nr + 1, sizeof *keys);
    for (uint64_t i = 0; i < t->nr; i++) {
        memcpy(&cells[i * t->nc], &t->cells[ix[i] * t->nc], sizeof *cells * t->nc);
        keys[i] = t->keys[ix[i]];
    }
    free(t->cells);
    free(t->keys);
    free(ix);
    t->cells = cells;
    t->keys = keys;
}

static bool close_enough(double a, double b) {
    if (a == b) return true;
    double m = fmax(fabs(a), fabs(b));
    return fabs(a - b) <= 1e-9 * m;
}

static bool tables_equal(const table *a, const table *b) {
    if (a->nc != b->nc || a->nr != b->nr) return false;
    for (uint64_t i = 0; i < a->nr * a->nc; i++) {
        const cellv *x = &a->cells[i], *y = &b->cells[i];
        if (x->is_null != y->is_null) return false;
        if (x->is_null) continue;
        if (x->is_double && y->is_double) {
            if (x->is_nan || y->is_nan) {
                if (x->is_nan != y->is_nan) return false;
            } else if (!close_enough(x->d, y->d)) {
                return false;
            }
        } else if (strcmp(x->text, y->text) != 0) {
            return false;
        }
    }
    return true;
}

static void table_print(const table *t, const char *title) {
    printf("#   %s (%llu rows):\n", title, (unsigned long long)t->nr);
    for (uint64_t r = 0; r < t->nr; r++) {
        printf("#     ");
        for (size_t c = 0; c < t->nc; c++)
            printf("%s%s", c ? " | " : "", t->cells[r * t->nc + c].text);
        printf("\n");
    }
}

/* ---- running ---------------------------------------------------------------------------- */

static bool verbose;
static int test_no, failures;

/* Runs sql; on failure prints why (as TAP diagnostics) and returns false. */
static bool run(sl_session *s, const char *sql, sl_result **out) {
    sl_result *r = NULL;
    if (sl_session_execute(s, sql, &r) != SL_OK) {
        printf("#   failed: %s\n#   error: %s\n", sql, sl_session_errmsg(s));
        return false;
    }
    if (out)
        *out = r;
    else
        sl_result_destroy(&r);
    return true;
}

static bool must(sl_session *s, const char *sql) {
    if (run(s, sql, NULL)) return true;
    printf("Bail out! setup statement failed\n");
    exit(2);
}

/* Pushes rows [from, to) into the stream as one INSERT. */
static void push_rows(sl_session *s, const char *stream, char **rows, int from, int to) {
    str sql = {0};
    sprintf_(&sql, "INSERT INTO %s VALUES ", stream);
    for (int i = from; i < to; i++) {
        if (i > from) sputs(&sql, ", ");
        sputs(&sql, rows[i]);
    }
    must(s, sql.p);
    free(sql.p);
}

enum { B_ONE, B_RANDOM, B_SINGLE, N_BATCHINGS };
static const char *BATCHING_NAMES[] = {"one batch", "random batches", "one row per batch"};

typedef struct outcome {
    bool ok;
    char *why; /* first failure */
} outcome;

static void fail_once(outcome *o, const char *fmt, ...) {
    if (!o->ok) return;
    o->ok = false;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    o->why = strdup(buf);
}

/* Waits until query qi of batching b has processed everything pushed. */
static void settle(sl_session *s, int b, size_t qi, outcome *o) {
    char name[32];
    snprintf(name, sizeof name, "q%d_%zu", b, qi);
    sl_query *q = NULL;
    if (sl_session_query(s, name, &q) != SL_OK) return; /* START failed: reported */
    sl_status st = sl_query_process_all_available(q, 20000);
    const char *ex = sl_query_exception(q);
    if (st != SL_OK || ex)
        fail_once(o, "%s: query %s: process-all-available %s, exception: %s", BATCHING_NAMES[b],
                  name, sl_status_name(st), ex ? ex : "none");
    sl_query_release(&q);
}

static void run_round(uint64_t seed, int round) {
    sl_session *s = NULL;
    sl_session_open(NULL, &s);
    /* the static side of the joins: a duplicate key, a NULL key */
    must(s, "CREATE TABLE users (User STRING, Name STRING, Age INT)");
    must(s, "INSERT INTO users VALUES ('a', 'Ana', 24), ('b', 'Bo', 3), ('c', 'Cy', 27), "
            "('c', 'Cid', 8), ('e', 'Eve', 40), (NULL, 'Nul', 50)");
    int nrows = 1 + rnd(MAX_ROWS);
    char *rows[MAX_ROWS];
    for (int i = 0; i < nrows; i++) rows[i] = random_row();
    must(s, "CREATE TABLE t (" COLUMNS ")");
    push_rows(s, "t", rows, 0, nrows);

    /* the batch engine's results */
    table want[NQ];
    bool want_ok[NQ];
    char *bsql[NQ];
    for (size_t qi = 0; qi < NQ; qi++) {
        memset(&want[qi], 0, sizeof want[qi]);
        bsql[qi] = instantiate(QUERIES[qi], "t");
        sl_result *r = NULL;
        want_ok[qi] = run(s, bsql[qi], &r);
        if (want_ok[qi]) table_load(&want[qi], r);
        sl_result_destroy(&r);
    }

    outcome out[NQ];
    for (size_t qi = 0; qi < NQ; qi++) out[qi] = (outcome){want_ok[qi], NULL};
    for (size_t qi = 0; qi < NQ; qi++)
        if (!want_ok[qi]) out[qi].why = strdup("the batch query failed");

    for (int b = 0; b < N_BATCHINGS; b++) {
        char stream[32];
        snprintf(stream, sizeof stream, "s%d", b);
        str ddl = {0};
        sprintf_(&ddl, "CREATE STREAM %s (" COLUMNS ") USING memory", stream);
        must(s, ddl.p);
        free(ddl.p);
        if (b == B_ONE) push_rows(s, stream, rows, 0, nrows);
        for (size_t qi = 0; qi < NQ; qi++) {
            char *q = instantiate(QUERIES[qi], stream);
            str start = {0};
            sprintf_(&start,
                     "START QUERY q%d_%zu USING memory OPTIONS (outputMode 'complete') AS %s", b,
                     qi, q);
            if (verbose) printf("# %s: %s\n", BATCHING_NAMES[b], start.p);
            if (sl_session_execute(s, start.p, NULL) != SL_OK)
                fail_once(&out[qi], "START failed: %s", sl_session_errmsg(s));
            free(start.p);
            free(q);
        }
        /* batch 0 (all rows for B_ONE, empty otherwise) */
        for (size_t qi = 0; qi < NQ; qi++) settle(s, b, qi, &out[qi]);
        if (b != B_ONE) {
            for (int i = 0; i < nrows;) {
                int n = b == B_SINGLE ? 1 : 1 + rnd(8);
                if (i + n > nrows) n = nrows - i;
                push_rows(s, stream, rows, i, i + n);
                for (size_t qi = 0; qi < NQ; qi++) settle(s, b, qi, &out[qi]);
                i += n;
            }
        }
        for (size_t qi = 0; qi < NQ; qi++) {
            if (!out[qi].ok) continue;
            char sql[64];
            snprintf(sql, sizeof sql, "SELECT * FROM q%d_%zu", b, qi);
            sl_result *r = NULL;
            if (sl_session_execute(s, sql, &r) != SL_OK) {
                fail_once(&out[qi], "%s: %s failed: %s", BATCHING_NAMES[b], sql,
                          sl_session_errmsg(s));
                continue;
            }
            table got;
            table_load(&got, r);
            sl_result_destroy(&r);
            if (!tables_equal(&got, &want[qi])) {
                if (out[qi].ok) {
                    table_print(&want[qi], "batch engine");
                    table_print(&got, "streaming, complete mode");
                }
                fail_once(&out[qi], "%s: the memory table differs from the batch result",
                          BATCHING_NAMES[b]);
            }
            table_free(&got);
        }
        must(s, "STOP ALL");
    }

    for (size_t qi = 0; qi < NQ; qi++) {
        test_no++;
        printf("%s %d - seed %llu round %d query %zu\n", out[qi].ok ? "ok" : "not ok", test_no,
               (unsigned long long)seed, round, qi);
        if (!out[qi].ok) {
            failures++;
            printf("#   %s\n#   SQL: %s\n#   rows (%d):\n", out[qi].why, bsql[qi], nrows);
            for (int i = 0; i < nrows; i++) printf("#     %s\n", rows[i]);
        }
        free(out[qi].why);
        free(bsql[qi]);
        table_free(&want[qi]);
    }
    for (int i = 0; i < nrows; i++) free(rows[i]);
    sl_session_close(&s);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: streaminv SEED ROUNDS [-v]\n");
        return 2;
    }
    uint64_t seed = strtoull(argv[1], NULL, 10);
    int rounds = atoi(argv[2]);
    verbose = argc > 3 && strcmp(argv[3], "-v") == 0;
    rng_state = seed;
    for (int r = 0; r < rounds; r++) run_round(seed, r);
    printf("1..%d\n", test_no);
    return failures ? 1 : 0;
}
