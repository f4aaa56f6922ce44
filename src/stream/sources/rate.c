/*
 * rate.c — the rate sources, rows made up from time: `rate` (R70, R71)
 * emits rowsPerSecond rows per second of the query clock, with an optional
 * linear ramp-up; `rate-micro-batch` (R72) emits rowsPerBatch rows per
 * micro-batch with timestamps that advance by a fixed step per batch,
 * whatever the clock says — deterministic, for tests.
 *
 * Both have the schema `timestamp TIMESTAMP, value BIGINT` and follow
 * Spark's arithmetic exactly (RateStreamMicroBatchStream,
 * RatePerMicroBatchStream), so the same query gives the same rows.
 *
 * Design notes
 * ------------
 * rate: the offset is the number of whole seconds between the source's
 * creation (its open, on the query clock, in milliseconds) and the newest
 * time it has seen (`last_ms` never goes back, even if the clock does).
 * Seconds [s0, s1) hold the values valueAtSecond(s0) .. valueAtSecond(s1)-1
 * (valueAtSecond is Spark's ramp: speed grows by rowsPerSecond/(ramp+1)
 * per second until rampUpTime, then stays at rowsPerSecond), and value v
 * has the time creation + s0 s + round((v - first) * (s1-s0) s / count) in
 * milliseconds: an even spread over the range. Rows of the unfinished
 * second are not emitted (the offset counts whole seconds only). Values
 * depend on the offsets alone, so a range can be read again; timestamps
 * also depend on the creation time, which a restarted query would have to
 * take from its checkpoint (as Spark's sources/0 log does).
 *
 * rate-micro-batch: the offset is the number of batches k; latest() is
 * always one batch past the last committed one, so every trigger runs a
 * batch. Batches (k0, k1] hold values k0*rowsPerBatch .. k1*rowsPerBatch-1,
 * every one stamped startTimestamp + k0*advanceMillisPerBatch.
 *
 * Offsets before the first batch are −1 (the query's initial offset), read
 * as 0: batch 0 covers (−1, 0] for rate — no rows, as Spark's first batch.
 */
#include "stream/stream.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <strings.h>

/* ---- options ------------------------------------------------------------------ */

static sl_status check_keys(const sl__kv *opts, uint32_t n, const char *const *keys, size_t nk,
                            const char *what, const char *list, sl__err *err) {
    for (uint32_t i = 0; i < n; i++) {
        bool known = false;
        for (size_t k = 0; k < nk && !known; k++) known = strcasecmp(opts[i].key, keys[k]) == 0;
        if (!known)
            return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                               "unknown option '%s' for a %s stream (its options: %s)", opts[i].key,
                               what, list);
    }
    return SL_OK;
}

static sl_status no_schema(const sl__type *declared, const char *kind, sl__err *err) {
    if (declared)
        return sl__err_set(
            err, SL_ERR_ANALYSIS, -1,
            "the %s source does not support a user-specified schema: its columns are "
            "always timestamp TIMESTAMP, value BIGINT (drop the column list)",
            kind);
    return SL_OK;
}

static const sl__type *rate_schema(void) {
    const char *names[] = {"timestamp", "value"};
    const sl__type *types[] = {SL_T_TS, SL_T_I64};
    return sl__type_struct(2, names, types, NULL);
}

/*
 * A duration the way Spark reads rampUpTime (JavaUtils.timeStringAsSec):
 * an integer with an optional unit us, ms, s, m, min, h or d (seconds when
 * none), truncated to whole seconds.
 */
static bool parse_seconds(const char *text, int64_t *out) {
    const char *p = text;
    while (isspace((unsigned char)*p)) p++;
    const char *num = p;
    if (*p == '-') p++;
    if (!isdigit((unsigned char)*p)) return false;
    while (isdigit((unsigned char)*p)) p++;
    char *e;
    errno = 0;
    long long v = strtoll(num, &e, 10);
    if (errno || e != p) return false;
    char unit[8];
    size_t ul = 0;
    while (isalpha((unsigned char)*p) && ul < sizeof unit - 1) unit[ul++] = (char)tolower(*p++);
    unit[ul] = 0;
    while (isspace((unsigned char)*p)) p++;
    if (*p) return false;
    int64_t mul_s = 1, div = 1; /* seconds = v * mul_s / div */
    if (ul == 0 || strcmp(unit, "s") == 0)
        ;
    else if (strcmp(unit, "ms") == 0)
        div = 1000;
    else if (strcmp(unit, "us") == 0)
        div = 1000000;
    else if (strcmp(unit, "m") == 0 || strcmp(unit, "min") == 0)
        mul_s = 60;
    else if (strcmp(unit, "h") == 0)
        mul_s = 3600;
    else if (strcmp(unit, "d") == 0)
        mul_s = 86400;
    else
        return false;
    if (v > INT64_MAX / mul_s || v < -(INT64_MAX / mul_s)) return false;
    *out = v * mul_s / div; /* truncated toward zero, as TimeUnit.convert */
    return true;
}

typedef struct rate_cfg {
    int64_t rps, ramp_s;
    const char *partitions; /* as given, for the description */
} rate_cfg;

static const char *const rate_keys[] = {"rowsPerSecond", "rampUpTime", "numPartitions"};

static sl_status rate_parse(const sl__kv *opts, uint32_t n, rate_cfg *c, sl__err *err) {
    sl_status st = check_keys(opts, n, rate_keys, SL_ARRAY_LEN(rate_keys), "rate",
                              "rowsPerSecond, rampUpTime, numPartitions", err);
    if (st) return st;
    const char *v = sl__opt(opts, n, "rowsPerSecond");
    if (v) {
        char *e;
        errno = 0;
        long long x = strtoll(v, &e, 10);
        while (isspace((unsigned char)*e)) e++;
        if (errno || e == v || *e)
            return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                               "option rowsPerSecond must be a positive integer, got '%s'", v);
        if (x <= 0)
            return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                               "Invalid value '%lld'. The option 'rowsPerSecond' must be positive",
                               x);
        c->rps = x;
    } else {
        c->rps = 1;
    }
    c->ramp_s = 0;
    if ((v = sl__opt(opts, n, "rampUpTime"))) {
        if (!parse_seconds(v, &c->ramp_s))
            return sl__err_set(
                err, SL_ERR_ANALYSIS, -1,
                "option rampUpTime must be a duration in seconds (s), milliseconds "
                "(ms), microseconds (us), minutes (m or min), hours (h) or days (d), "
                "e.g. '5s'; got '%s'",
                v);
        if (c->ramp_s < 0)
            return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                               "Invalid value '%lld'. The option 'rampUpTime' must not be negative",
                               (long long)c->ramp_s);
    }
    int64_t parts;
    if (!sl__opt_int(opts, n, "numPartitions", 1, 1, INT32_MAX, &parts, err)) return err->code;
    c->partitions = sl__opt(opts, n, "numPartitions");
    int64_t max_s = INT64_MAX / c->rps;
    if (c->ramp_s > max_s)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "Integer overflow. Max offset with %lld rowsPerSecond is %lld, but "
                           "'rampUpTimeSeconds' is %lld.",
                           (long long)c->rps, (long long)max_s, (long long)c->ramp_s);
    return SL_OK;
}

sl_status sl__src_rate_define(const sl__kv *opts, uint32_t n, const sl__type *declared,
                              const sl__type **schema, sl__err *err);
sl_status sl__src_rate_define(const sl__kv *opts, uint32_t n, const sl__type *declared,
                              const sl__type **schema, sl__err *err) {
    rate_cfg c;
    sl_status st = no_schema(declared, "rate", err);
    if (!st) st = rate_parse(opts, n, &c, err);
    if (st) return st;
    *schema = rate_schema();
    return SL_OK;
}

/* ---- rate --------------------------------------------------------------------- */

typedef struct rate {
    rate_cfg cfg;
    int64_t created_ms, last_ms;
} rate;

/* The first value of second `s` (Spark's valueAtSecond, overflow-safe form). */
static int64_t value_at_second(int64_t s, int64_t rps, int64_t ramp) {
    int64_t delta = rps / (ramp + 1);
    if (s <= ramp) return s % 2 == 1 ? (s + 1) / 2 * delta * s : s / 2 * delta * (s + 1);
    return value_at_second(ramp, rps, ramp) + (s - ramp) * rps;
}

static int64_t floor_div(int64_t a, int64_t b) {
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static sl_status rate_open(sl__source *s, sl__err *err) {
    rate *r = sl__calloc(1, sizeof *r);
    s->impl = r;
    sl_status st = rate_parse(s->def->options, s->def->n_options, &r->cfg, err);
    if (st) return st;
    r->created_ms = floor_div(sl__clock_now(s->clock), 1000);
    r->last_ms = r->created_ms;
    s->initial = -1;
    s->replayable = true;
    return SL_OK;
}

static sl_status rate_latest(sl__source *s, int64_t *end, sl__err *err) {
    rate *r = s->impl;
    int64_t now = floor_div(sl__clock_now(s->clock), 1000);
    if (r->last_ms < now) r->last_ms = now;
    *end = (r->last_ms - r->created_ms) / 1000;
    return SL_OK;
}

static sl_status rate_get_batch(sl__source *s, int64_t start, int64_t end, sl__rowset *out,
                                sl__err *err) {
    rate *r = s->impl;
    int64_t s0 = start < 0 ? 0 : start, s1 = end, rps = r->cfg.rps;
    if (s1 <= s0) return SL_OK;
    int64_t max_s = INT64_MAX / rps;
    if (s1 > max_s)
        return sl__err_set(err, SL_ERR_EXEC, -1,
                           "Integer overflow. Max offset with %lld rowsPerSecond is %lld, but it's "
                           "%lld now.",
                           (long long)rps, (long long)max_s, (long long)s1);
    if (r->last_ms < s1 * 1000 + r->created_ms) r->last_ms = s1 * 1000 + r->created_ms;
    int64_t first = value_at_second(s0, rps, r->cfg.ramp_s);
    int64_t stop = value_at_second(s1, rps, r->cfg.ramp_s);
    if (first == stop) return SL_OK;
    int64_t t0 = r->created_ms + s0 * 1000;
    double ms_per_value = (double)((s1 - s0) * 1000) / (double)(stop - first);
    int64_t v = first;
    while (v < stop) {
        sl__chunk *c = sl__rowset_tail(out, s->schema);
        int64_t *ts = SL_VEC_DATA(c->cols[0], int64_t), *val = SL_VEC_DATA(c->cols[1], int64_t);
        uint32_t n = c->n, room = SL_VEC_SIZE - n;
        int64_t take = SL_MIN((int64_t)room, stop - v);
        for (int64_t i = 0; i < take; i++, v++) {
            /* Java's Math.round: floor(x + 0.5) */
            int64_t rel = (int64_t)floor((double)(v - first) * ms_per_value + 0.5);
            ts[n + i] = (t0 + rel) * 1000;
            val[n + i] = v;
        }
        c->n += (uint32_t)take;
        out->rows += (uint64_t)take;
    }
    return SL_OK;
}

static void rate_commit(sl__source *s, int64_t end) {
    (void)s;
    (void)end;
}

static int no_fd(sl__source *s) {
    (void)s;
    return -1;
}

/* Spark's text, without its closing bracket (RateStreamMicroBatchStream's
 * toString has none; progress records show it that way). */
static void rate_describe(const sl__source *s, sl__buf *out) {
    rate_cfg c = {1, 0, NULL};
    sl__err e;
    sl__err_clear(&e);
    rate_parse(s->def->options, s->def->n_options, &c, &e);
    sl__buf_printf(out, "RateStreamV2[rowsPerSecond=%lld, rampUpTimeSeconds=%lld, numPartitions=%s",
                   (long long)c.rps, (long long)c.ramp_s, c.partitions ? c.partitions : "default");
}

static void number_json(const sl__source *s, int64_t offset, sl__buf *out) {
    (void)s;
    sl__buf_printf(out, "%lld", (long long)offset);
}

static void free_impl(sl__source *s) {
    sl__free(s->impl);
    s->impl = NULL;
}

const sl__source_vt sl__src_rate_vt = {
    .kind = "rate",
    .open = rate_open,
    .latest = rate_latest,
    .get_batch = rate_get_batch,
    .commit = rate_commit,
    .wait_fd = no_fd,
    .describe = rate_describe,
    .offset_json = number_json,
    .close = free_impl,
};

/* ---- rate-micro-batch ----------------------------------------------------------- */

typedef struct mb_cfg {
    int64_t rows, start_ms, advance_ms;
    const char *partitions;
} mb_cfg;

static const char *const mb_keys[] = {"rowsPerBatch", "numPartitions", "startTimestamp",
                                      "advanceMillisPerBatch"};

static sl_status mb_parse(const sl__kv *opts, uint32_t n, mb_cfg *c, sl__err *err) {
    sl_status st =
        check_keys(opts, n, mb_keys, SL_ARRAY_LEN(mb_keys), "rate-micro-batch",
                   "rowsPerBatch, startTimestamp, advanceMillisPerBatch, numPartitions", err);
    if (st) return st;
    if (!sl__opt(opts, n, "rowsPerBatch"))
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "a rate-micro-batch stream needs option rowsPerBatch (a positive "
                           "integer): OPTIONS (rowsPerBatch 10)");
    int64_t parts;
    if (!sl__opt_int(opts, n, "rowsPerBatch", 0, 1, INT64_MAX, &c->rows, err) ||
        !sl__opt_int(opts, n, "startTimestamp", 0, 0, INT64_MAX / 1000, &c->start_ms, err) ||
        !sl__opt_int(opts, n, "advanceMillisPerBatch", 1000, 0, INT32_MAX, &c->advance_ms, err) ||
        !sl__opt_int(opts, n, "numPartitions", 1, 1, INT32_MAX, &parts, err))
        return err->code;
    c->partitions = sl__opt(opts, n, "numPartitions");
    return SL_OK;
}

sl_status sl__src_rate_micro_batch_define(const sl__kv *opts, uint32_t n, const sl__type *declared,
                                          const sl__type **schema, sl__err *err) {
    mb_cfg c;
    sl_status st = no_schema(declared, "rate-micro-batch", err);
    if (!st) st = mb_parse(opts, n, &c, err);
    if (st) return st;
    *schema = rate_schema();
    return SL_OK;
}

typedef struct mb {
    mb_cfg cfg;
    int64_t committed; /* batches committed */
} mb;

static sl_status mb_open(sl__source *s, sl__err *err) {
    mb *m = sl__calloc(1, sizeof *m);
    s->impl = m;
    sl_status st = mb_parse(s->def->options, s->def->n_options, &m->cfg, err);
    if (st) return st;
    s->initial = -1;
    s->replayable = true;
    return SL_OK;
}

static sl_status mb_latest(sl__source *s, int64_t *end, sl__err *err) {
    mb *m = s->impl;
    (void)err;
    *end = m->committed + 1;
    return SL_OK;
}

/* rowsPerBatch * k, saturating as Spark's Math.min(start + rows, Long.MaxValue). */
static int64_t mb_value(const mb *m, int64_t k) {
    return k > INT64_MAX / m->cfg.rows ? INT64_MAX : k * m->cfg.rows;
}

static sl_status mb_get_batch(sl__source *s, int64_t start, int64_t end, sl__rowset *out,
                              sl__err *err) {
    mb *m = s->impl;
    (void)err;
    int64_t k0 = start < 0 ? 0 : start;
    if (end <= k0) return SL_OK;
    int64_t v = mb_value(m, k0), stop = mb_value(m, end);
    int64_t t = (m->cfg.start_ms + k0 * m->cfg.advance_ms) * 1000;
    while (v < stop) {
        sl__chunk *c = sl__rowset_tail(out, s->schema);
        int64_t *ts = SL_VEC_DATA(c->cols[0], int64_t), *val = SL_VEC_DATA(c->cols[1], int64_t);
        uint32_t n = c->n;
        int64_t take = SL_MIN((int64_t)(SL_VEC_SIZE - n), stop - v);
        for (int64_t i = 0; i < take; i++) {
            ts[n + i] = t;
            val[n + i] = v++;
        }
        c->n += (uint32_t)take;
        out->rows += (uint64_t)take;
    }
    return SL_OK;
}

static void mb_commit(sl__source *s, int64_t end) {
    mb *m = s->impl;
    if (end > m->committed) m->committed = end;
}

static void mb_describe(const sl__source *s, sl__buf *out) {
    mb_cfg c = {0, 0, 1000, NULL};
    sl__err e;
    sl__err_clear(&e);
    mb_parse(s->def->options, s->def->n_options, &c, &e);
    sl__buf_printf(out,
                   "RatePerMicroBatchStream[rowsPerBatch=%lld, numPartitions=%s, "
                   "startTimestamp=%lld, advanceMsPerBatch=%lld]",
                   (long long)c.rows, c.partitions ? c.partitions : "1", (long long)c.start_ms,
                   (long long)c.advance_ms);
}

/* Spark's RatePerMicroBatchStreamOffset: {"offset":rows,"timestamp":ms}. */
static void mb_offset_json(const sl__source *s, int64_t offset, sl__buf *out) {
    mb_cfg c = {1, 0, 1000, NULL};
    sl__err e;
    sl__err_clear(&e);
    mb_parse(s->def->options, s->def->n_options, &c, &e);
    int64_t k = offset < 0 ? 0 : offset;
    mb tmp = {c, 0};
    sl__buf_printf(out, "{\"offset\":%lld,\"timestamp\":%lld}", (long long)mb_value(&tmp, k),
                   (long long)(c.start_ms + k * c.advance_ms));
}

const sl__source_vt sl__src_rate_micro_batch_vt = {
    .kind = "rate-micro-batch",
    .open = mb_open,
    .latest = mb_latest,
    .get_batch = mb_get_batch,
    .commit = mb_commit,
    .wait_fd = no_fd,
    .describe = mb_describe,
    .offset_json = mb_offset_json,
    .close = free_impl,
};
