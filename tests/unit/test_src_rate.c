/*
 * test_src_rate.c — the rate sources (src/stream/sources/rate.c) on the
 * manual clock: option checks (R70), offsets in whole seconds since the
 * source opened, the exact values and millisecond timestamps of R71 (even
 * spread over the range, rows of the unfinished second held back), Spark's
 * rampUpTime arithmetic, a clock that goes back, the description; and the
 * deterministic rate-micro-batch variant (R72).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stream/stream.h"

/* Not in stream.h until the kinds table lists it (see rate.c). */
extern const sl__source_vt sl__src_rate_micro_batch_vt;
sl_status sl__src_rate_micro_batch_define(const sl__kv *opts, uint32_t n, const sl__type *declared,
                                          const sl__type **schema, sl__err *err);

typedef struct kvs {
    sl__kv kv[8];
    uint32_t n;
} kvs;

static kvs opts_v(va_list ap) {
    kvs o;
    o.n = 0;
    const char *k;
    while ((k = va_arg(ap, const char *))) {
        o.kv[o.n].key = (char *)k;
        o.kv[o.n].value = va_arg(ap, char *);
        o.n++;
    }
    return o;
}

static const char *define_err(const char *schema, ...) {
    static sl__err e;
    va_list ap;
    va_start(ap, schema);
    kvs o = opts_v(ap);
    va_end(ap);
    sl__err_clear(&e);
    const sl__type *out = NULL, *declared = NULL;
    if (schema) assert_int_equal(sl__schema_parse(schema, strlen(schema), &declared, &e), SL_OK);
    sl_status st = sl__source_define("rate", o.kv, o.n, declared, &out, &e);
    return st ? e.msg : NULL;
}

static sl__source *open_rate(sl__clock *clock, const sl__source_vt *vt, ...) {
    va_list ap;
    va_start(ap, vt);
    kvs o = opts_v(ap);
    va_end(ap);
    sl__err e;
    sl__err_clear(&e);
    const sl__type *t = NULL;
    if (vt == &sl__src_rate_vt)
        assert_int_equal(sl__source_define("rate", o.kv, o.n, NULL, &t, &e), SL_OK);
    else
        assert_int_equal(sl__src_rate_micro_batch_define(o.kv, o.n, NULL, &t, &e), SL_OK);
    sl__table *tab = sl__table_new(SL_OBJ_STREAM, "r", t);
    tab->format = sl__strdup("rate");
    tab->options = sl__calloc(o.n ? o.n : 1, sizeof *tab->options);
    for (uint32_t i = 0; i < o.n; i++) {
        tab->options[i].key = sl__strdup(o.kv[i].key);
        tab->options[i].value = sl__strdup(o.kv[i].value);
    }
    tab->n_options = o.n;
    sl__source *s = sl__source_create(tab, clock, &e);
    sl__table_unref(tab);
    assert_non_null(s);
    s->vt = vt; /* rate-micro-batch: not in the kinds table yet */
    assert_int_equal(s->vt->open(s, &e), SL_OK);
    return s;
}

static int64_t latest(sl__source *s) {
    int64_t end = -99;
    sl__err e;
    sl__err_clear(&e);
    assert_int_equal(s->vt->latest(s, &end, &e), SL_OK);
    return end;
}

typedef struct rows {
    int64_t ts[64], v[64];
    uint64_t n;
} rows;

static rows get(sl__source *s, int64_t start, int64_t end) {
    rows r;
    memset(&r, 0, sizeof r);
    sl__rowset rs;
    memset(&rs, 0, sizeof rs);
    sl__err e;
    sl__err_clear(&e);
    assert_int_equal(s->vt->get_batch(s, start, end, &rs, &e), SL_OK);
    r.n = rs.rows;
    uint64_t i = 0;
    for (uint32_t c = 0; c < rs.n_chunks; c++)
        for (uint32_t k = 0; k < rs.chunks[c].n; k++, i++)
            if (i < 64) {
                r.ts[i] = SL_VEC_DATA(rs.chunks[c].cols[0], int64_t)[k];
                r.v[i] = SL_VEC_DATA(rs.chunks[c].cols[1], int64_t)[k];
            }
    assert_int_equal(i, rs.rows);
    sl__rowset_clear(&rs);
    s->vt->commit(s, end);
    return r;
}

static void test_define_r70(void **state) {
    (void)state;
    const char *m;
    assert_non_null(m = define_err(NULL, "rowsPerSecond", "0", NULL));
    assert_non_null(strstr(m, "'rowsPerSecond' must be positive"));
    assert_non_null(define_err(NULL, "rowsPerSecond", "-3", NULL));
    assert_non_null(define_err(NULL, "rowsPerSecond", "ten", NULL));
    assert_non_null(m = define_err(NULL, "rampUpTime", "-1s", NULL));
    assert_non_null(strstr(m, "must not be negative"));
    assert_non_null(define_err(NULL, "rampUpTime", "5 parsecs", NULL));
    assert_non_null(define_err(NULL, "rampUpTime", "1.5s", NULL));
    assert_non_null(define_err(NULL, "numPartitions", "0", NULL));
    assert_non_null(m = define_err(NULL, "rowsPerSec", "1", NULL));
    assert_non_null(strstr(m, "unknown option 'rowsPerSec'"));
    assert_non_null(m = define_err("a INT", NULL));
    assert_non_null(strstr(m, "user-specified schema"));
    assert_non_null(
        m = define_err(NULL, "rowsPerSecond", "9223372036854775807", "rampUpTime", "10s", NULL));
    assert_non_null(strstr(m, "Integer overflow"));
    assert_null(
        define_err(NULL, "rowsPerSecond", "100", "rampUpTime", "2min", "numPartitions", "4", NULL));
    assert_null(define_err(NULL, "rampUpTime", "1500ms", NULL)); /* truncated to 1 s */
    sl__err e;
    sl__err_clear(&e);
    const sl__type *t;
    assert_int_equal(sl__source_define("rate", NULL, 0, NULL, &t, &e), SL_OK);
    assert_string_equal(t->name, "struct<timestamp:timestamp,value:bigint>");
}

static void test_values_and_times_r71(void **state) {
    (void)state;
    const int64_t t0 = 1700000000123456; /* µs; the source keeps milliseconds */
    const int64_t c_ms = 1700000000123;
    sl__clock *clock = sl__clock_new(true, t0);
    sl__source *s = open_rate(clock, &sl__src_rate_vt, "rowsPerSecond", "10", NULL);
    assert_int_equal(s->initial, -1);
    assert_true(s->replayable);
    assert_int_equal(s->vt->wait_fd(s), -1);
    /* R25: offset 0 at start, so batch 0 runs, empty */
    assert_int_equal(latest(s), 0);
    rows r = get(s, -1, 0);
    assert_int_equal(r.n, 0);
    sl__clock_advance(clock, 999000);
    assert_int_equal(latest(s), 0); /* the unfinished second is held back */
    sl__clock_advance(clock, 1000);
    assert_int_equal(latest(s), 1);
    r = get(s, 0, 1);
    assert_int_equal(r.n, 10);
    for (int i = 0; i < 10; i++) {
        assert_int_equal(r.v[i], i);
        assert_int_equal(r.ts[i], (c_ms + 100 * i) * 1000);
    }
    /* two seconds at once: values 10..29, spread over the two seconds */
    sl__clock_advance(clock, 2500000);
    assert_int_equal(latest(s), 3);
    r = get(s, 1, 3);
    assert_int_equal(r.n, 20);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(r.v[i], 10 + i);
        assert_int_equal(r.ts[i], (c_ms + 1000 + 100 * i) * 1000);
    }
    /* the clock going back does not move the offset back */
    sl__clock_advance(clock, -2000000);
    assert_int_equal(latest(s), 3);
    /* a range can be read again with the same values and times */
    r = get(s, 1, 2);
    assert_int_equal(r.n, 10);
    assert_int_equal(r.v[0], 10);
    assert_int_equal(r.ts[0], (c_ms + 1000) * 1000);

    sl__buf b = SL_BUF_INIT;
    s->vt->describe(s, &b);
    assert_string_equal(
        sl__buf_str(&b),
        "RateStreamV2[rowsPerSecond=10, rampUpTimeSeconds=0, numPartitions=default");
    sl__buf_clear(&b);
    s->vt->offset_json(s, 3, &b);
    assert_string_equal(sl__buf_str(&b), "3");
    sl__buf_free(&b);
    sl__source_free(s);

    /* uneven spread: 3 rows over two seconds, Java's Math.round of the ms */
    s = open_rate(clock, &sl__src_rate_vt, "rowsPerSecond", "3", "numPartitions", "2", NULL);
    int64_t c2 = sl__clock_now(clock) / 1000;
    sl__clock_advance(clock, 3000000);
    assert_int_equal(latest(s), 3);
    r = get(s, 1, 3);
    assert_int_equal(r.n, 6);
    const int64_t rel[6] = {0, 333, 667, 1000, 1333, 1667};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(r.v[i], 3 + i);
        assert_int_equal(r.ts[i], (c2 + 1000 + rel[i]) * 1000);
    }
    b = (sl__buf)SL_BUF_INIT;
    s->vt->describe(s, &b);
    assert_string_equal(sl__buf_str(&b),
                        "RateStreamV2[rowsPerSecond=3, rampUpTimeSeconds=0, numPartitions=2");
    sl__buf_free(&b);
    sl__source_free(s);
    sl__clock_free(clock);
}

/* Spark's ramp with rowsPerSecond 10, rampUpTime 4s: values at seconds
 * 0..6 are 0 2 6 12 20 30 40. */
static void test_ramp_up_r70(void **state) {
    (void)state;
    sl__clock *clock = sl__clock_new(true, 5000000);
    sl__source *s =
        open_rate(clock, &sl__src_rate_vt, "rowsPerSecond", "10", "rampUpTime", "4s", NULL);
    const int64_t at[7] = {0, 2, 6, 12, 20, 30, 40};
    for (int sec = 1; sec <= 6; sec++) {
        sl__clock_advance(clock, 1000000);
        assert_int_equal(latest(s), sec);
        rows r = get(s, sec - 1, sec);
        assert_int_equal(r.n, (uint64_t)(at[sec] - at[sec - 1]));
        for (uint64_t i = 0; i < r.n; i++) {
            assert_int_equal(r.v[i], at[sec - 1] + (int64_t)i);
            int64_t rel = (int64_t)((double)i * (1000.0 / (double)r.n) + 0.5);
            assert_int_equal(r.ts[i], (5000 + (sec - 1) * 1000 + rel) * 1000);
        }
    }
    sl__buf b = SL_BUF_INIT;
    s->vt->describe(s, &b);
    assert_string_equal(
        sl__buf_str(&b),
        "RateStreamV2[rowsPerSecond=10, rampUpTimeSeconds=4, numPartitions=default");
    sl__buf_free(&b);
    sl__source_free(s);
    /* a batch over the ramp and beyond: seconds [2, 6) = values 6..39 */
    s = open_rate(clock, &sl__src_rate_vt, "rowsPerSecond", "10", "rampUpTime", "4", NULL);
    sl__clock_advance(clock, 6000000);
    assert_int_equal(latest(s), 6);
    rows r = get(s, 2, 6);
    assert_int_equal(r.n, 34);
    assert_int_equal(r.v[0], 6);
    assert_int_equal(r.v[33], 39);
    sl__source_free(s);
    sl__clock_free(clock);
}

static void test_micro_batch_r72(void **state) {
    (void)state;
    sl__err e;
    sl__err_clear(&e);
    const sl__type *t;
    assert_int_equal(sl__src_rate_micro_batch_define(NULL, 0, NULL, &t, &e), SL_ERR_ANALYSIS);
    assert_non_null(strstr(e.msg, "rowsPerBatch"));
    kvs bad = {{{"rowsPerBatch", "0"}}, 1};
    sl__err_clear(&e);
    assert_int_equal(sl__src_rate_micro_batch_define(bad.kv, bad.n, NULL, &t, &e), SL_ERR_ANALYSIS);
    kvs neg = {{{"rowsPerBatch", "2"}, {"advanceMillisPerBatch", "-1"}}, 2};
    sl__err_clear(&e);
    assert_int_equal(sl__src_rate_micro_batch_define(neg.kv, neg.n, NULL, &t, &e), SL_ERR_ANALYSIS);

    sl__clock *clock = sl__clock_new(true, 0);
    sl__source *s = open_rate(clock, &sl__src_rate_micro_batch_vt, "rowsPerBatch", "5",
                              "startTimestamp", "1000", "advanceMillisPerBatch", "500", NULL);
    /* every trigger has a batch, whatever the clock says */
    assert_int_equal(latest(s), 1);
    assert_int_equal(latest(s), 1);
    rows r = get(s, -1, 1);
    assert_int_equal(r.n, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(r.v[i], i);
        assert_int_equal(r.ts[i], 1000000);
    }
    assert_int_equal(latest(s), 2);
    r = get(s, 1, 2);
    assert_int_equal(r.v[0], 5);
    assert_int_equal(r.v[4], 9);
    assert_int_equal(r.ts[4], 1500000);
    sl__buf b = SL_BUF_INIT;
    s->vt->offset_json(s, 2, &b);
    assert_string_equal(sl__buf_str(&b), "{\"offset\":10,\"timestamp\":2000}");
    sl__buf_clear(&b);
    s->vt->describe(s, &b);
    assert_string_equal(sl__buf_str(&b), "RatePerMicroBatchStream[rowsPerBatch=5, numPartitions=1, "
                                         "startTimestamp=1000, advanceMsPerBatch=500]");
    sl__buf_free(&b);
    sl__source_free(s);
    sl__clock_free(clock);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_define_r70),
        cmocka_unit_test(test_values_and_times_r71),
        cmocka_unit_test(test_ramp_up_r70),
        cmocka_unit_test(test_micro_batch_r72),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
