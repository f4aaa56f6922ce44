/*
 * bench_engine.c — batch engine throughput on in-memory tables, single
 * thread: GROUP BY with few and with many groups, and filter + project.
 * Tables are built directly in memory (no SQL INSERT), queries go through
 * the public API, and every result is checked before a figure is reported.
 */
#include "bench.h"
#include "main/session.h"
#include "sluice.h"

static uint64_t mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

/* t(k BIGINT, a BIGINT): k from keyfn(i), a = i */
static void make_table(sl_session *s, const char *name, uint64_t n, uint64_t groups) {
    const char *names[2] = {"k", "a"};
    const sl__type *types[2] = {SL_T_I64, SL_T_I64};
    const sl__type *schema = sl__type_struct(2, names, types, NULL);
    uint32_t nch = (uint32_t)((n + SL_VEC_SIZE - 1) / SL_VEC_SIZE);
    sl__chunk *chunks = sl__calloc(nch, sizeof *chunks);
    for (uint32_t c = 0; c < nch; c++) {
        sl__chunk_init(&chunks[c], schema, SL_VEC_SIZE);
        uint64_t base = (uint64_t)c * SL_VEC_SIZE;
        uint32_t m = (uint32_t)SL_MIN((uint64_t)SL_VEC_SIZE, n - base);
        int64_t *k = SL_VEC_DATA(chunks[c].cols[0], int64_t);
        int64_t *a = SL_VEC_DATA(chunks[c].cols[1], int64_t);
        for (uint32_t i = 0; i < m; i++) {
            uint64_t x = base + i;
            k[i] = (int64_t)(groups <= 1000 ? x % groups : mix(x) % groups);
            a[i] = (int64_t)x;
        }
        chunks[c].n = m;
    }
    sl__table *t = sl__table_new(SL_OBJ_TABLE, name, schema);
    t->data = sl__tabdata_new(chunks, nch, n);
    sl__catalog_put(&s->cat, t, true);
}

typedef struct job {
    sl_session *s;
    const char *sql;
    sl_result *last;
} job;

static void run_job(void *ud) {
    job *j = ud;
    sl_result_destroy(&j->last);
    if (sl_session_execute(j->s, j->sql, &j->last) != SL_OK) {
        fprintf(stderr, "%s: %s\n", j->sql, sl_session_errmsg(j->s));
        exit(1);
    }
}

static double measure(sl_session *s, const char *sql, sl_result **out) {
    job j = {s, sql, NULL};
    double t = bench_median(run_job, &j, bench_quick() ? 1 : 5);
    *out = j.last;
    return t;
}

int main(void) {
    bool quick = bench_quick();
    sl_session *s;
    sl_session_open(NULL, &s);
    uint64_t n = quick ? 200000 : 20000000;

    /* GROUP BY, 10 groups */
    make_table(s, "t10", n, 10);
    sl_result *r;
    double t = measure(s, "SELECT k, count(*) FROM t10 GROUP BY k", &r);
    bool ok = sl_result_row_count(r) == 10;
    for (uint64_t i = 0; ok && i < 10; i++) ok = sl_result_int64(r, 1, i) == (int64_t)(n / 10);
    sl_result_destroy(&r);
    if (ok)
        bench_report("groupby_count_10_groups", (double)n / t / 1e6, "M rows/s", 200, true, NULL,
                     0);
    else
        bench_fail("groupby_count_10_groups", "wrong counts");

    /* GROUP BY, 1M groups */
    uint64_t g = quick ? 50000 : 1000000;
    make_table(s, "t1m", n, g);
    t = measure(s, "SELECT k, count(*) FROM t1m GROUP BY k", &r);
    int64_t total = 0;
    for (uint64_t i = 0; i < sl_result_row_count(r); i++) total += sl_result_int64(r, 1, i);
    ok = total == (int64_t)n && sl_result_row_count(r) >= g * 99 / 100;
    sl_result_destroy(&r);
    if (ok)
        bench_report("groupby_count_1m_groups", (double)n / t / 1e6, "M rows/s", 50, true, NULL, 0);
    else
        bench_fail("groupby_count_1m_groups", "wrong counts");

    /* filter + project: half the rows pass, one computed column */
    t = measure(s, "SELECT count(b) FROM (SELECT a + 1 AS b FROM t10 WHERE k < 5)", &r);
    ok = sl_result_int64(r, 0, 0) == (int64_t)(n / 2);
    sl_result_destroy(&r);
    if (ok)
        bench_report("filter_project", (double)n / t / 1e6, "M rows/s", 500, true, NULL, 0);
    else
        bench_fail("filter_project", "wrong count");

    sl_session_close(&s);
    return 0;
}
