/*
 * windiff.c — differential testing of sluice's event-time windows against
 * sqlite3, which knows nothing of windows: there each window is integer
 * arithmetic on epoch seconds.
 *
 *   windiff SEED COUNT [-v]      (COUNT queries, 25 per table; -v prints them)
 *
 * Each batch makes a table t(e BIGINT, k INT, v INT) of random rows — epoch
 * seconds around 1970 (negative ones included), around 2024 or far before
 * 1970, a few NULL times, few keys, small values — loads it into a sluice
 * session and an in-memory sqlite database, then runs random queries in
 * both and compares the results as multisets:
 *
 *  - GROUP BY window(timestamp_seconds(e), 'W seconds', 'S seconds',
 *    'O seconds') [, k] with count/sum/min/max, where W, S and the offset O
 *    are random (S dividing W, or not, or S = W). In sqlite each row is
 *    joined with the candidate numbers i < ceil(W/S) and the window start is
 *    (e - ((e - O) mod S, made non-negative)) - i*S, kept when start <= e <
 *    start + W (R99-R101). A variant adds an aggregate of window.end, which
 *    makes sluice expand the rows instead of combining panes, and a variant
 *    lists the rows with their windows without aggregating.
 *  - GROUP BY k, session_window(timestamp_seconds(e), gap) with a constant
 *    gap or a gap per row (text or INTERVAL, some of them 0: those rows are
 *    dropped). In sqlite a row starts a new session unless its time is at
 *    most the largest end (time + gap) of the rows before it in its key,
 *    ordered by time (R105, Spark merges a session that starts at the end).
 *
 * Output is TAP, one line per batch; a mismatch prints the seed, the query
 * in both dialects, the table and both results.
 */
#include "sluice.h"
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers (splitmix64) ------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd64(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int64_t rnd(int64_t n) {
    return (int64_t)(rnd64() % (uint64_t)n);
}

static bool chance(int percent) {
    return rnd(100) < percent;
}

/* ---- growable strings ---------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int k = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (b->n + (size_t)k + 1 > b->cap) {
        b->cap = (b->n + (size_t)k + 1) * 2;
        b->p = realloc(b->p, b->cap);
    }
    vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
    b->n += (size_t)k;
    va_end(ap);
}

static const char *sb_str(const sbuf *b) {
    return b->p ? b->p : "";
}

static void sb_free(sbuf *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* ---- results: every value is an integer or NULL here ------------------------------ */

typedef struct rows {
    int64_t *v;
    bool *null;
    size_t n, cap;
    int ncols;
} rows;

static size_t row_add(rows *r) {
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->v = realloc(r->v, sizeof *r->v * r->cap * (size_t)r->ncols);
        r->null = realloc(r->null, sizeof *r->null * r->cap * (size_t)r->ncols);
    }
    return r->n++ * (size_t)r->ncols;
}

static void rows_free(rows *r) {
    free(r->v);
    free(r->null);
    memset(r, 0, sizeof *r);
}

static int g_ncols;
static const rows *g_rows;
static int idx_cmp(const void *a, const void *b) {
    size_t x = *(const size_t *)a * (size_t)g_ncols, y = *(const size_t *)b * (size_t)g_ncols;
    for (int c = 0; c < g_ncols; c++) {
        bool nx = g_rows->null[x + c], ny = g_rows->null[y + c];
        if (nx != ny) return nx ? -1 : 1;
        if (nx) continue;
        int64_t p = g_rows->v[x + c], q = g_rows->v[y + c];
        if (p != q) return p < q ? -1 : 1;
    }
    return 0;
}

/* The rows in a canonical order, as indexes. */
static size_t *sorted(const rows *r) {
    size_t *ix = malloc(sizeof *ix * (r->n ? r->n : 1));
    for (size_t i = 0; i < r->n; i++) ix[i] = i;
    g_ncols = r->ncols;
    g_rows = r;
    qsort(ix, r->n, sizeof *ix, idx_cmp);
    return ix;
}

static bool rows_equal(const rows *a, const rows *b) {
    if (a->n != b->n || a->ncols != b->ncols) return false;
    size_t *ia = sorted(a), *ib = sorted(b);
    bool ok = true;
    for (size_t i = 0; i < a->n && ok; i++) {
        size_t x = ia[i] * (size_t)a->ncols, y = ib[i] * (size_t)b->ncols;
        for (int c = 0; c < a->ncols && ok; c++) {
            if (a->null[x + c] != b->null[y + c]) ok = false;
            if (ok && !a->null[x + c] && a->v[x + c] != b->v[y + c]) ok = false;
        }
    }
    free(ia);
    free(ib);
    return ok;
}

static void rows_print(const rows *r, const char *title, sbuf *out) {
    sb_add(out, "#   %s (%zu rows):\n", title, r->n);
    size_t *ix = sorted(r);
    for (size_t i = 0; i < r->n && i < 40; i++) {
        sb_add(out, "#     ");
        for (int c = 0; c < r->ncols; c++) {
            size_t k = ix[i] * (size_t)r->ncols + c;
            if (r->null[k])
                sb_add(out, "%sNULL", c ? " | " : "");
            else
                sb_add(out, "%s%lld", c ? " | " : "", (long long)r->v[k]);
        }
        sb_add(out, "\n");
    }
    if (r->n > 40) sb_add(out, "#     ...\n");
    free(ix);
}

static bool run_sluice(sl_session *s, const char *sql, rows *out, sbuf *err) {
    sl_result *r = NULL;
    if (sl_session_execute(s, sql, &r) != SL_OK || !r) {
        sb_add(err, "%s", sl_session_errmsg(s));
        return false;
    }
    out->ncols = (int)sl_result_column_count(r);
    for (uint64_t i = 0; i < sl_result_row_count(r); i++) {
        size_t k = row_add(out);
        for (int c = 0; c < out->ncols; c++) {
            out->null[k + c] = sl_result_is_null(r, (size_t)c, i);
            out->v[k + c] = out->null[k + c] ? 0 : sl_result_int64(r, (size_t)c, i);
        }
    }
    sl_result_destroy(&r);
    return true;
}

static bool run_sqlite(sqlite3 *db, const char *sql, rows *out, sbuf *err) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        sb_add(err, "%s", sqlite3_errmsg(db));
        return false;
    }
    out->ncols = sqlite3_column_count(st);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t k = row_add(out);
        for (int c = 0; c < out->ncols; c++) {
            out->null[k + c] = sqlite3_column_type(st, c) == SQLITE_NULL;
            out->v[k + c] = sqlite3_column_int64(st, c);
        }
    }
    if (rc != SQLITE_DONE) sb_add(err, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

/* ---- the table ------------------------------------------------------------------ */

/* Rows as a VALUES list; times around a center, spread over `spread` seconds. */
static void gen_rows(sbuf *out, int n) {
    static const int64_t centers[] = {0, -86400LL * 365 * 80, 1704067200LL, -3600, 7200};
    int64_t center = centers[rnd(5)];
    int64_t spread = chance(50) ? 600 : chance(50) ? 7200 : 86400 * 3;
    for (int i = 0; i < n; i++) {
        sb_add(out, "%s(", i ? ", " : "");
        if (chance(4))
            sb_add(out, "NULL");
        else
            sb_add(out, "%lld", (long long)(center + rnd(spread) - spread / 2));
        if (chance(8))
            sb_add(out, ", NULL");
        else
            sb_add(out, ", %d", (int)rnd(4));
        if (chance(10))
            sb_add(out, ", NULL)");
        else
            sb_add(out, ", %d)", (int)rnd(7) - 1);
    }
}

/* ---- queries ---------------------------------------------------------------------- */

typedef struct query {
    sbuf a, b; /* sluice, sqlite */
} query;

static const int64_t SIZES[] = {1, 2, 3, 5, 7, 10, 12, 15, 30, 60, 90, 120, 300, 600, 3600, 86400};

/* W, S, O in seconds: S = W, S dividing W, or any S <= W; at most 40 windows per row. */
static void pick_window(int64_t *w, int64_t *s, int64_t *o) {
    *w = SIZES[rnd(sizeof SIZES / sizeof SIZES[0])];
    int how = (int)rnd(3);
    if (how == 0 || *w == 1) {
        *s = *w;
    } else if (how == 1) {
        int64_t d[32];
        int nd = 0;
        for (int64_t x = 1; x < *w && nd < 32; x++)
            if (*w % x == 0 && *w / x <= 40) d[nd++] = x;
        *s = nd ? d[rnd(nd)] : *w;
    } else {
        int64_t lo = (*w + 39) / 40;
        *s = lo + rnd(*w - lo + 1);
    }
    *o = chance(50) ? 0 : rnd(2 * *s - 1) - (*s - 1);
}

/* the window clause in sluice, with the durations spelled in one of the accepted ways */
static void sl_window(sbuf *q, int64_t w, int64_t s, int64_t o) {
    int spell = (int)rnd(3);
    sb_add(q, "window(timestamp_seconds(e), ");
    for (int i = 0; i < 3; i++) {
        int64_t x = i == 0 ? w : i == 1 ? s : o;
        if (i == 1 && s == w && o == 0 && chance(50)) break;
        if (i == 2 && o == 0 && chance(50)) break;
        if (i) sb_add(q, ", ");
        if (spell == 0)
            sb_add(q, "'%lld seconds'", (long long)x);
        else if (spell == 1)
            sb_add(q, "INTERVAL '%lld' SECOND", (long long)x);
        else
            sb_add(q, "%lld", (long long)x * 1000000);
    }
    sb_add(q, ")");
}

/* sqlite: rows of t joined with their candidate windows, as (ws, e, k, v) */
static void sq_windows(sbuf *q, int64_t w, int64_t s, int64_t o) {
    int64_t k = (w + s - 1) / s;
    sb_add(q,
           "(SELECT ws, e, k, v FROM (SELECT (e - ((((e - (%lld)) %% %lld) + %lld) %% %lld)) - i * "
           "%lld AS ws, e, k, v FROM t, (WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 "
           "FROM c WHERE i + 1 < %lld) SELECT i FROM c) WHERE e IS NOT NULL) WHERE ws <= e AND e "
           "< ws + %lld)",
           (long long)o, (long long)s, (long long)s, (long long)s, (long long)s, (long long)k,
           (long long)w);
}

static void gen_window_query(query *q) {
    int64_t w, s, o;
    pick_window(&w, &s, &o);
    int kind = (int)rnd(4);
    bool by_k = chance(60);
    if (kind == 3) {
        /* the rows and their windows, no aggregation */
        sb_add(&q->a, "SELECT unix_seconds(");
        sl_window(&q->a, w, s, o);
        sb_add(&q->a, ".start), unix_seconds(window.end), e, k, v FROM t");
        sb_add(&q->b, "SELECT ws, ws + %lld, e, k, v FROM ", (long long)w);
        sq_windows(&q->b, w, s, o);
        return;
    }
    /* kind 0: plain aggregates (panes when S divides W); 1: and an aggregate of the window
     * (rows expanded); 2: HAVING */
    sb_add(&q->a,
           "SELECT unix_seconds(window.start), unix_seconds(window.end)%s, count(*), "
           "count(v), sum(v), min(v), max(v)",
           by_k ? ", k" : "");
    if (kind == 1) sb_add(&q->a, ", max(unix_seconds(window.end) - e)");
    sb_add(&q->a, " FROM t GROUP BY ");
    sl_window(&q->a, w, s, o);
    if (by_k) sb_add(&q->a, ", k");
    if (kind == 2) sb_add(&q->a, " HAVING count(*) > 1 AND window.start >= timestamp_seconds(0)");
    sb_add(&q->b, "SELECT ws, ws + %lld%s, count(*), count(v), sum(v), min(v), max(v)",
           (long long)w, by_k ? ", k" : "");
    if (kind == 1) sb_add(&q->b, ", max(ws + %lld - e)", (long long)w);
    sb_add(&q->b, " FROM ");
    sq_windows(&q->b, w, s, o);
    sb_add(&q->b, " GROUP BY ws%s", by_k ? ", k" : "");
    if (kind == 2) sb_add(&q->b, " HAVING count(*) > 1 AND ws >= 0");
}

static void gen_session_query(query *q) {
    int64_t g1 = SIZES[rnd(14)], g2 = SIZES[rnd(14)];
    bool per_row = chance(50), by_k = chance(70);
    /* the gap: constant, or per row from v (0 for v = 0: dropped; v NULL: g2) */
    sbuf ga = {0}, gb = {0};
    if (!per_row) {
        sb_add(&ga, chance(50) ? "'%lld seconds'" : "INTERVAL '%lld' SECOND", (long long)g1);
        sb_add(&gb, "%lld", (long long)g1);
    } else if (chance(50)) {
        sb_add(&ga,
               "CASE WHEN v > 2 THEN '%lld seconds' WHEN v = 0 THEN '0 seconds' ELSE '%lld "
               "seconds' END",
               (long long)g1, (long long)g2);
        sb_add(&gb, "CASE WHEN v > 2 THEN %lld WHEN v = 0 THEN 0 ELSE %lld END", (long long)g1,
               (long long)g2);
    } else {
        sb_add(&ga,
               "CASE WHEN v > 2 THEN INTERVAL '%lld' SECOND WHEN v = 0 THEN INTERVAL '0' SECOND "
               "ELSE INTERVAL '%lld' SECOND END",
               (long long)g1, (long long)g2);
        sb_add(&gb, "CASE WHEN v > 2 THEN %lld WHEN v = 0 THEN 0 ELSE %lld END", (long long)g1,
               (long long)g2);
    }
    sb_add(&q->a,
           "SELECT %sunix_seconds(session_window.start), unix_seconds(session_window.end), "
           "count(*), sum(v), min(e) FROM t GROUP BY %ssession_window(timestamp_seconds(e), %s)",
           by_k ? "k, " : "", by_k ? "k, " : "", sb_str(&ga));
    const char *part = by_k ? "PARTITION BY k " : "";
    sb_add(&q->b,
           "SELECT %smin(e), max(e + g), count(*), sum(v), min(e) FROM (SELECT e, k, v, g, sum(nw) "
           "OVER (%sORDER BY e, g ROWS UNBOUNDED PRECEDING) AS sid FROM (SELECT e, k, v, g, CASE "
           "WHEN e <= max(e + g) OVER (%sORDER BY e, g ROWS BETWEEN UNBOUNDED PRECEDING AND 1 "
           "PRECEDING) THEN 0 ELSE 1 END AS nw FROM (SELECT e, k, v, %s AS g FROM t) WHERE e IS "
           "NOT NULL AND g > 0)) GROUP BY %ssid",
           by_k ? "k, " : "", part, part, sb_str(&gb), by_k ? "k, " : "");
    sb_free(&ga);
    sb_free(&gb);
}

/* ---- main loop ------------------------------------------------------------------- */

static bool sqlite_exec(sqlite3 *db, const char *sql) {
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sqlite: %s\n", msg);
        sqlite3_free(msg);
        return false;
    }
    return true;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: windiff SEED COUNT [-v]\n");
        return 2;
    }
    uint64_t seed = strtoull(argv[1], NULL, 10);
    long count = strtol(argv[2], NULL, 10);
    bool verbose = argc > 3 && strcmp(argv[3], "-v") == 0;
    const int per_batch = 25;
    long batches = (count + per_batch - 1) / per_batch;
    int failures = 0, tap = 0;
    for (long bi = 0; bi < batches; bi++) {
        rng_state = seed * 1000003u + (uint64_t)bi;
        sl_session *s;
        sqlite3 *db;
        if (sl_session_open(NULL, &s) != SL_OK || sqlite3_open(":memory:", &db) != SQLITE_OK) {
            printf("not ok %d - cannot open a session or a database\n", ++tap);
            return 1;
        }
        /* every fifth table is large: more panes and windows than one vector holds */
        int n = bi % 5 == 4 ? 3000 + (int)rnd(3000) : (int)rnd(300);
        sbuf vals = {0}, ins = {0};
        gen_rows(&vals, n);
        sb_add(&ins, "INSERT INTO t VALUES %s", sb_str(&vals));
        bool ok = sl_session_execute(s, "SET spark.sql.session.timeZone = UTC", NULL) == SL_OK &&
                  sl_session_execute(s, "CREATE TABLE t (e BIGINT, k INT, v INT)", NULL) == SL_OK &&
                  sqlite_exec(db, "CREATE TABLE t (e INTEGER, k INTEGER, v INTEGER)");
        if (ok && n) {
            if (sl_session_execute(s, sb_str(&ins), NULL) != SL_OK) {
                fprintf(stderr, "sluice: %s\n", sl_session_errmsg(s));
                ok = false;
            }
            ok = ok && sqlite_exec(db, sb_str(&ins));
        }
        long first = bi * per_batch, last = first + per_batch;
        if (last > count) last = count;
        int bad = 0;
        for (long qi = first; qi < last && ok; qi++) {
            query q = {{0}, {0}};
            if (chance(70))
                gen_window_query(&q);
            else
                gen_session_query(&q);
            if (verbose) printf("# %ld: %s\n", qi, sb_str(&q.a));
            rows ra = {0}, rb = {0};
            sbuf ea = {0}, eb = {0};
            bool oka = run_sluice(s, sb_str(&q.a), &ra, &ea);
            bool okb = run_sqlite(db, sb_str(&q.b), &rb, &eb);
            if (!(oka && okb && rows_equal(&ra, &rb))) {
                bad++;
                failures++;
                sbuf msg = {0};
                sb_add(&msg, "not ok %d - seed %llu query %ld (batch %ld): results differ\n", ++tap,
                       (unsigned long long)seed, qi, bi);
                sb_add(&msg, "#   sluice SQL: %s\n#   sqlite SQL: %s\n", sb_str(&q.a),
                       sb_str(&q.b));
                sb_add(&msg, "#   table t (e, k, v), %d rows: %.2000s%s\n", n, sb_str(&vals),
                       vals.n > 2000 ? " ..." : "");
                if (!oka)
                    sb_add(&msg, "#   sluice error: %s\n", sb_str(&ea));
                else
                    rows_print(&ra, "sluice", &msg);
                if (!okb)
                    sb_add(&msg, "#   sqlite error: %s\n", sb_str(&eb));
                else
                    rows_print(&rb, "sqlite", &msg);
                fputs(sb_str(&msg), stdout);
                sb_free(&msg);
            }
            rows_free(&ra);
            rows_free(&rb);
            sb_free(&ea);
            sb_free(&eb);
            sb_free(&q.a);
            sb_free(&q.b);
        }
        if (!ok) {
            printf("not ok %d - batch %ld: loading the table failed\n", ++tap, bi);
            failures++;
        } else if (!bad) {
            printf("ok %d - seed %llu batch %ld (%d rows): queries %ld..%ld agree\n", ++tap,
                   (unsigned long long)seed, bi, n, first, last - 1);
        }
        fflush(stdout);
        sb_free(&vals);
        sb_free(&ins);
        sl_session_close(&s);
        sqlite3_close(db);
    }
    printf("1..%d\n", tap);
    return failures ? 1 : 0;
}
