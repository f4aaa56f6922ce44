/*
 * query.c — a streaming query: planning at START, then a thread running
 * Spark's micro-batch loop (MicroBatchExecution) until STOP, a failure, or
 * the end of a once/availableNow trigger.
 *
 * Design notes:
 *  1. States: INITIALIZING (thread opening sources; START waits) → ACTIVE →
 *     STOPPED | FAILED. Every field read by other threads (state, status,
 *     progress, counters) is guarded by `mu`; `cv` signals every change.
 *  2. One trigger: read each source's latest offset; if any moved (R24a),
 *     run batch `next_batch` over (committed, latest]; otherwise wait. A
 *     processing-time trigger fires at multiples of its interval since the
 *     epoch (R28): the first at once, later ones at the next multiple, or at
 *     once when a batch overran. Batch ids grow by one per executed batch
 *     (R23); empty triggers consume none (R29).
 *  3. Waiting never spins: the thread polls its wake-up pipe (STOP, clock
 *     moves, process-all-available pokes) and the sources' descriptors;
 *     sources without one (files) are polled every 10 ms, Spark's
 *     pollingDelay (R27).
 *  4. process-all-available: a caller bumps `poke`; the thread, before it
 *     reads offsets, notes the poke it has seen, and when a trigger finds
 *     nothing new it publishes that value in `quiet`: everything there before
 *     the poke has been processed.
 *  5. The operator tree is built once; each batch rewinds it (stateful
 *     operators keep their state) and pushes the sources' row sets through
 *     it into a collecting sink, whose rows go to the query's sink.
 *  6. Event time: after each batch the watermark operators' maxima give
 *     each one's watermark (max − delay, never moving back) and the global
 *     one (min, or max by policy, R109, R110); the next batch evicts against
 *     it and judges late rows by the one before (R111, R112). When it moved
 *     and an operator's state is evicted by it, the next trigger runs a
 *     batch even without new data (R24). Rows dropped as late are counted
 *     and kept in the memory table `<name>_late` (and written under
 *     lateRowsPath when set), never silently lost.
 */
#include "stream/query.h"
#include "base/clock.h"
#include "format/json.h"
#include "sql/planner.h"
#include "types/interval.h"
#include "types/text.h"
#include "types/tz.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <unistd.h>

#define MAX_PROGRESS        100
#define POLLING_DELAY_US    10000
#define LATE_TABLE_MAX_ROWS 1000000
#define IDLE_PROGRESS_US    10000000 /* Spark's noDataProgressEventInterval */

struct sl__sq {
    int refs; /* atomic */
    sl_session *session;
    char *name;
    char id[40], run_id[40];
    sl__out_mode mode;
    sl__trigger trigger;
    char *sink_kind;
    sl__kv *opts;
    uint32_t n_opts;
    sl__clock *clock;
    const struct sl__tz *tz;

    sl__plan *plan; /* logical plan, expressions moved into the operators */
    sl__op *root;
    sl__op *collect;
    sl__sink *sink;

    uint32_t n_src;
    sl__source **src;
    sl__rowset *rs;     /* per source: the rows of the running batch */
    int64_t *committed; /* per source */
    int64_t *latest;
    int64_t *target; /* availableNow: the offsets to reach */

    pthread_t thread;
    bool thread_started;
    int wake[2];

    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop_req;
    sl__sq_state state;
    const char *message;
    bool data_available, trigger_active;
    sl__err err;
    int64_t next_batch;
    int64_t next_trigger_us;
    int64_t prev_trigger_start; /* of the previous trigger, run or not (R181) */
    bool had_trigger;           /* prev_trigger_start is set */
    int64_t last_progress_at;   /* query time of the last progress record (R178) */
    uint64_t poke, quiet;
    char *progress[MAX_PROGRESS]; /* ring of pretty JSON records */
    uint32_t n_progress, head;
    double input_rate, processed_rate;
    uint64_t input_rows;
    sl__state_metrics state_sum;

    /* event time (note 6) */
    sl__op **wm_ops; /* the watermark operators of the tree */
    uint32_t n_wm_ops;
    int64_t *wm_op_value;     /* per operator: its watermark so far */
    bool wm_max_policy;       /* spark.sql.streaming.multipleWatermarkPolicy = max */
    bool wm_evicts;           /* a stateful operator's state is evicted by it */
    int64_t wm_batch;         /* the watermark of the next batch */
    int64_t wm_late;          /* the previous batch's: late rows are judged by it */
    bool nodata_due;          /* it moved: run a batch without new data (R24) */
    int64_t idle_us;          /* idleTimeout option (0: none) */
    int64_t *wm_op_rows_at;   /* per watermark operator: query time of its last rows */
    int64_t started_at;       /* query time of the first trigger */
    bool flush_req, flushing; /* STOP QUERY ... FLUSH */
    bool open_failed;         /* the sources or sink did not open: START's error */
    uint64_t late_rows;       /* dropped as late since start */
    char *late_table;         /* memory table of late rows, or NULL */
    sl__op *late_collect;     /* late rows of the running batch */
    sl__badrec bad;           /* from_json's malformed inputs, when a stream keeps them */
    const char *late_path;    /* lateRowsPath option, or NULL */
    sl__sq_perf perf;
};

/* ---- small helpers ---------------------------------------------------------------- */

static int64_t mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void uuid4(char *out) {
    uint8_t b[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, b, sizeof b) : -1;
    if (fd >= 0) close(fd);
    if (got != (ssize_t)sizeof b) {
        uint64_t x = (uint64_t)sl__mono_us() ^ ((uint64_t)getpid() << 32);
        for (int i = 0; i < 16; i++) {
            x = sl__hash_u64(x + (uint64_t)i);
            b[i] = (uint8_t)x;
        }
    }
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    sprintf(out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
            b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
            b[15]);
}

static void set_status(sl__sq *q, const char *msg, bool data, bool active) {
    pthread_mutex_lock(&q->mu);
    q->message = msg;
    q->data_available = data;
    q->trigger_active = active;
    pthread_mutex_unlock(&q->mu);
}

static void wake(sl__sq *q) {
    char b = 1;
    ssize_t w = write(q->wake[1], &b, 1);
    (void)w; /* a full pipe already wakes the thread */
}

static void drain(int fd) {
    char buf[256];
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

/* Visits every operator of the tree. */
static void each_op(sl__op *op, void (*fn)(sl__op *, void *), void *ud) {
    if (!op) return;
    fn(op, ud);
    each_op(op->child[0], fn, ud);
    each_op(op->child[1], fn, ud);
    for (uint32_t i = 0; i < op->n_inputs; i++) each_op(op->inputs[i], fn, ud);
}

static void rewind_op(sl__op *op, void *ud) {
    if (op->vt->rewind) op->vt->rewind(op, ud);
}

/* ---- the source operator: the rows of the running batch ------------------- */

typedef struct rowset_op {
    sl__rowset *rs; /* borrowed from the query */
    uint32_t next;
} rowset_op;

static bool rowset_get(sl__op *op, sl__exec *ex, sl__batch *out) {
    (void)ex;
    rowset_op *r = op->impl;
    while (r->next < r->rs->n_chunks) {
        sl__chunk *c = &r->rs->chunks[r->next++];
        if (!c->n) continue;
        *out = sl__chunk_batch(c);
        return true;
    }
    return false;
}

static void rowset_rewind(sl__op *op, sl__exec *ex) {
    (void)ex;
    ((rowset_op *)op->impl)->next = 0;
}

static void rowset_destroy(sl__op *op) {
    sl__free(op->impl);
}

static const sl__op_vt rowset_vt = {
    "StreamingScan", rowset_get, NULL, NULL, NULL, rowset_rewind, rowset_destroy, NULL,
};

/* planner callback: one source (and row set) per stream the plan reads */
static sl__op *make_source(void *ud, sl__plan *p, sl__err *err) {
    sl__sq *q = ud;
    sl__source *s = sl__source_create(p->table, q->clock, err);
    if (!s) return NULL;
    s->tz = q->tz; /* JSON/CSV text without a zone is read in the session's zone */
    uint32_t i = q->n_src++;
    q->src = sl__realloc(q->src, sizeof *q->src * q->n_src);
    q->rs = sl__realloc(q->rs, sizeof *q->rs * q->n_src);
    q->src[i] = s;
    memset(&q->rs[i], 0, sizeof q->rs[i]);
    rowset_op *r = sl__calloc(1, sizeof *r);
    r->rs = (sl__rowset *)(uintptr_t)i; /* fixed up once the arrays stop moving */
    return sl__op_new(&rowset_vt, p->schema, r);
}

static void fix_rowsets(sl__op *op, void *ud) {
    sl__sq *q = ud;
    if (op->vt == &rowset_vt) {
        rowset_op *r = op->impl;
        r->rs = &q->rs[(uintptr_t)r->rs];
    }
}

typedef struct agg_mode_ctx {
    int emit;
} agg_mode_ctx;

static void set_agg_mode(sl__op *op, void *ud) {
    if (!sl__op_is_agg(op)) return;
    int emit = ((agg_mode_ctx *)ud)->emit;
    sl__op_agg_set_stream(op, emit);
}

static void find_event_time_ops(sl__op *op, void *ud) {
    sl__sq *q = ud;
    if (sl__op_watermark_stats(op)) {
        q->wm_ops = sl__realloc(q->wm_ops, sizeof *q->wm_ops * (q->n_wm_ops + 1));
        q->wm_ops[q->n_wm_ops++] = op;
    }
    if (sl__op_is_agg(op) && sl__op_agg_has_event_time(op)) q->wm_evicts = true;
    if (sl__op_is_dedup(op) && sl__op_dedup_has_event_time(op)) q->wm_evicts = true;
}

static void end_batch_op(sl__op *op, void *ud) {
    if (sl__op_is_dedup(op)) sl__op_dedup_end_batch(op, ud);
}

/* The input columns of the first operator that drops late rows. */
static void late_schema_of(sl__op *op, void *ud) {
    const sl__type **t = ud;
    if (*t) return;
    if ((sl__op_is_agg(op) && sl__op_agg_has_event_time(op)) || sl__op_is_dedup(op))
        *t = op->child[0]->schema;
}

/* ---- event time (note 6) ------------------------------------------------------ */

/* ex->late: keeps the rows a stateful operator dropped as late. */
static void on_late(void *ud, const sl__op *op, const sl__batch *in, const sl__rows *rows) {
    sl__sq *q = ud;
    (void)op;
    if (!q->late_collect || q->late_collect->schema->n_fields != in->n_cols) return;
    sl__batch v = *in;
    v.sel = rows->sel;
    v.count = rows->count;
    q->late_collect->vt->sink(q->late_collect, NULL, &v);
}

/* After a batch: the late rows into their table (and files); the new watermark. */
static void compute_watermark(sl__sq *q, int64_t now);

static bool after_batch_event_time(sl__sq *q, int64_t batch_id, int64_t now, uint64_t *late_now,
                                   sl__err *err) {
    *late_now = 0;
    if (q->late_collect) {
        uint32_t nc;
        uint64_t rows;
        sl__chunk *ch = sl__op_collect_take(q->late_collect, &nc, &rows);
        *late_now = rows;
        if (rows && q->late_path) {
            sl__buf b = SL_BUF_INIT;
            for (uint32_t i = 0; i < nc; i++)
                for (uint32_t r = 0; r < ch[i].n; r++) sl__json_row(&ch[i], r, q->tz, &b);
            char name[64];
            snprintf(name, sizeof name, "late-%05lld.json", (long long)batch_id);
            sl_status st = sl__files_write_atomic(q->late_path, name, b.p, b.len, err);
            sl__buf_free(&b);
            if (st != SL_OK) {
                for (uint32_t i = 0; i < nc; i++) sl__chunk_free(&ch[i]);
                sl__free(ch);
                return false;
            }
        }
        if (rows && q->late_table) {
            sl__catalog *cat = &q->session->cat;
            sl__table *t = sl__catalog_get(cat, q->late_table);
            if (t) {
                sl__tabdata *add = sl__tabdata_new(ch, nc, rows);
                ch = NULL;
                nc = 0;
                sl__tabdata *old = sl__table_data(cat, t);
                sl__tabdata *next = sl__tabdata_append(old, add);
                sl__tabdata_unref(old);
                sl__tabdata_unref(add);
                if (next->rows > LATE_TABLE_MAX_ROWS) {
                    sl__tabdata *cut = sl__tabdata_tail(next, LATE_TABLE_MAX_ROWS);
                    sl__tabdata_unref(next);
                    next = cut;
                }
                sl__table_set_data(cat, t, next);
                sl__table_unref(t);
            }
        }
        for (uint32_t i = 0; i < nc; i++) sl__chunk_free(&ch[i]);
        sl__free(ch);
    }
    pthread_mutex_lock(&q->mu);
    q->late_rows += *late_now;
    q->wm_late = q->wm_batch;
    q->nodata_due = false;
    pthread_mutex_unlock(&q->mu);
    for (uint32_t i = 0; i < q->n_wm_ops; i++)
        if (sl__op_watermark_stats(q->wm_ops[i])->batch_rows) q->wm_op_rows_at[i] = now;
    compute_watermark(q, now);
    return true;
}

/*
 * R109, R110: each watermark operator's value (its largest event time minus
 * its delay, never moving back), then the global one (min, or max). With
 * idleTimeout, an input silent for that long stops holding the watermark:
 * its event time is taken to advance with processing time since its last
 * row, and one that never had a row is left out. When the global value
 * moves and an operator's state is evicted by it, a no-data batch is due.
 */
static void compute_watermark(sl__sq *q, int64_t now) {
    if (!q->n_wm_ops) return;
    int64_t g = 0;
    bool any = false;
    for (uint32_t i = 0; i < q->n_wm_ops; i++) {
        const sl__op_wm_stats *s = sl__op_watermark_stats(q->wm_ops[i]);
        int64_t since = s->seen ? now - q->wm_op_rows_at[i] : now - q->started_at;
        bool idle = q->idle_us > 0 && since >= q->idle_us;
        if (idle && !s->seen) continue;
        if (s->seen) {
            int64_t max = s->max_seen, cand;
            if (idle && __builtin_add_overflow(max, since, &max)) max = INT64_MAX;
            if (__builtin_sub_overflow(max, s->delay_us, &cand)) cand = INT64_MIN;
            if (cand > q->wm_op_value[i]) q->wm_op_value[i] = cand;
        }
        int64_t v = q->wm_op_value[i];
        g = !any ? v : q->wm_max_policy ? SL_MAX(g, v) : SL_MIN(g, v);
        any = true;
    }
    pthread_mutex_lock(&q->mu);
    if (any && g > q->wm_batch && !q->flushing) {
        q->wm_batch = g;
        if (q->wm_evicts) q->nodata_due = true;
    }
    pthread_mutex_unlock(&q->mu);
}

/* ---- progress records (§17) ------------------------------------------------ */

/*
 * Rates: one decimal, half up (R182); NaN and infinities are left out.
 * sl__round_decimal rounds the shortest decimal text of v, and
 * sl__fmt_double prints the shortest text of the result: both search with
 * snprintf and strtod, microseconds a record. For 0 <= v < 999999.9 whose
 * tenths are not within 1e-6 of a half (where the shortest text and the
 * binary value could round differently), the same text is "K/10" with K =
 * v * 10 rounded half up, printed with one decimal (Java's plain notation
 * below 10^7).
 */
static bool fmt_rate(double v, char *buf) {
    if (!isfinite(v)) return false;
    double x = v * 10;
    if (v >= 0 && x < 9999999.0) {
        double f = floor(x), frac = x - f;
        if (fabs(frac - 0.5) > 1e-6) {
            long long k = (long long)f + (frac > 0.5);
            sprintf(buf, "%lld.%d", k / 10, (int)(k % 10));
            return true;
        }
    }
    sl__fmt_double(sl__round_decimal(v, 1, false), buf);
    return true;
}

typedef struct batch_stats {
    int64_t batch_id;
    int64_t trigger_start_us;
    int64_t d_latest, d_getbatch, d_add, d_commit, d_total, d_plan, d_wal;
    uint64_t *src_rows;
    uint64_t *src_bad;
    int64_t *start_off, *end_off;
    uint64_t rows, out_rows;
    double input_rate, processed_rate;
    int64_t wm_used; /* the watermark this batch ran with */
    bool idle;       /* the record of a trigger that ran no batch (R178) */
} batch_stats;

typedef struct metrics_ctx {
    sl__buf *b;
    bool idle; /* an idle record: nothing updated or dropped (R178) */
} metrics_ctx;

static void state_metrics_cb(sl__op *op, void *ud) {
    metrics_ctx *mc = ud;
    sl__buf *b = mc->b;
    sl__state_metrics m;
    if (sl__op_is_agg(op))
        sl__op_agg_metrics(op, &m);
    else if (sl__op_is_dedup(op))
        sl__op_dedup_metrics(op, &m);
    else
        return;
    if (mc->idle) m.rows_updated = m.rows_removed = m.rows_dropped_by_watermark = 0;
    if (b->len && b->p[b->len - 1] == '}') sl__buf_puts(b, ", ");
    sl__buf_printf(b,
                   "{\n    \"operatorName\" : \"%s\",\n    \"numRowsTotal\" : %llu,\n"
                   "    \"numRowsUpdated\" : %llu,\n    \"allUpdatesTimeMs\" : 0,\n"
                   "    \"numRowsRemoved\" : %llu,\n    \"allRemovalsTimeMs\" : 0,\n"
                   "    \"commitTimeMs\" : 0,\n    \"memoryUsedBytes\" : %llu,\n"
                   "    \"numRowsDroppedByWatermark\" : %llu,\n    \"numShufflePartitions\" : 1,\n"
                   "    \"numStateStoreInstances\" : 1\n  }",
                   m.name, (unsigned long long)m.rows_total, (unsigned long long)m.rows_updated,
                   (unsigned long long)m.rows_removed, (unsigned long long)m.memory_bytes,
                   (unsigned long long)m.rows_dropped_by_watermark);
}

static void sum_state_cb(sl__op *op, void *ud) {
    sl__state_metrics *sum = ud, m;
    if (sl__op_is_agg(op))
        sl__op_agg_metrics(op, &m);
    else if (sl__op_is_dedup(op))
        sl__op_dedup_metrics(op, &m);
    else
        return;
    sum->rows_total += m.rows_total;
    sum->memory_bytes += m.memory_bytes;
}

static char *progress_json(sl__sq *q, const batch_stats *st) {
    sl__buf b = SL_BUF_INIT;
    char ts[48], r1[48], r2[48];
    sl__fmt_iso_millis(st->trigger_start_us, ts);
    sl__buf_printf(&b, "{\n  \"id\" : \"%s\",\n  \"runId\" : \"%s\",\n  \"name\" : ", q->id,
                   q->run_id);
    sl__json_write_string(q->name, strlen(q->name), &b);
    sl__buf_printf(
        &b, ",\n  \"timestamp\" : \"%s\",\n  \"batchId\" : %lld,\n  \"batchDuration\" : %lld,\n",
        ts, (long long)st->batch_id, (long long)(st->d_total / 1000));
    sl__buf_printf(&b, "  \"numInputRows\" : %llu,\n", (unsigned long long)st->rows);
    if (fmt_rate(st->input_rate, r1)) sl__buf_printf(&b, "  \"inputRowsPerSecond\" : %s,\n", r1);
    if (fmt_rate(st->processed_rate, r2))
        sl__buf_printf(&b, "  \"processedRowsPerSecond\" : %s,\n", r2);
    /* durationMs keys in alphabetical order (R183); an idle record has two (R178) */
    if (st->idle)
        sl__buf_printf(&b,
                       "  \"durationMs\" : {\n    \"latestOffset\" : %lld,\n"
                       "    \"triggerExecution\" : %lld\n  },\n",
                       (long long)(st->d_latest / 1000), (long long)(st->d_total / 1000));
    else
        sl__buf_printf(
            &b,
            "  \"durationMs\" : {\n    \"addBatch\" : %lld,\n    \"commitOffsets\" : %lld,\n"
            "    \"getBatch\" : %lld,\n    \"latestOffset\" : %lld,\n    \"queryPlanning\" : "
            "%lld,\n"
            "    \"triggerExecution\" : %lld,\n    \"walCommit\" : %lld\n  },\n",
            (long long)(st->d_add / 1000), (long long)(st->d_commit / 1000),
            (long long)(st->d_getbatch / 1000), (long long)(st->d_latest / 1000),
            (long long)(st->d_plan / 1000), (long long)(st->d_total / 1000),
            (long long)(st->d_wal / 1000));
    if (q->n_wm_ops) {
        /* R115: the watermark always; min/max/avg over the batch's event times when it had rows */
        uint64_t n = 0;
        int64_t mn = 0, mx = 0;
        double sum = 0;
        for (uint32_t i = 0; i < q->n_wm_ops; i++) {
            const sl__op_wm_stats *s = sl__op_watermark_stats(q->wm_ops[i]);
            if (!s->batch_rows) continue;
            if (!n || s->batch_min < mn) mn = s->batch_min;
            if (!n || s->batch_max > mx) mx = s->batch_max;
            n += s->batch_rows;
            sum += s->batch_sum;
        }
        char t[48];
        sl__buf_puts(&b, "  \"eventTime\" : {\n");
        if (n) {
            sl__fmt_iso_millis((int64_t)llround(sum / (double)n), t);
            sl__buf_printf(&b, "    \"avg\" : \"%s\",\n", t);
            sl__fmt_iso_millis(mx, t);
            sl__buf_printf(&b, "    \"max\" : \"%s\",\n", t);
            sl__fmt_iso_millis(mn, t);
            sl__buf_printf(&b, "    \"min\" : \"%s\",\n", t);
        }
        sl__fmt_iso_millis(st->wm_used, t);
        sl__buf_printf(&b, "    \"watermark\" : \"%s\"\n  },\n", t);
    }
    sl__buf ops = SL_BUF_INIT;
    metrics_ctx mc = {&ops, st->idle};
    each_op(q->root, state_metrics_cb, &mc);
    if (ops.len)
        sl__buf_printf(&b, "  \"stateOperators\" : [ %s ],\n", sl__buf_str(&ops));
    else
        sl__buf_puts(&b, "  \"stateOperators\" : [ ],\n");
    sl__buf_free(&ops);
    sl__buf_puts(&b, "  \"sources\" : [ ");
    for (uint32_t i = 0; i < q->n_src; i++) {
        sl__source *s = q->src[i];
        if (i) sl__buf_puts(&b, ", ");
        sl__buf_puts(&b, "{\n    \"description\" : ");
        sl__buf d = SL_BUF_INIT;
        s->vt->describe(s, &d);
        sl__json_write_string(sl__buf_str(&d), d.len, &b);
        sl__buf_free(&d);
        sl__buf_puts(&b, ",\n    \"startOffset\" : ");
        if (st->start_off[i] < 0)
            sl__buf_puts(&b, "null");
        else if (s->vt->offset_json)
            s->vt->offset_json(s, st->start_off[i], &b);
        else
            sl__buf_printf(&b, "%lld", (long long)st->start_off[i]);
        sl__buf_puts(&b, ",\n    \"endOffset\" : ");
        if (s->vt->offset_json)
            s->vt->offset_json(s, st->end_off[i], &b);
        else
            sl__buf_printf(&b, "%lld", (long long)st->end_off[i]);
        sl__buf_puts(&b, ",\n    \"latestOffset\" : ");
        if (s->vt->offset_json)
            s->vt->offset_json(s, st->end_off[i], &b);
        else
            sl__buf_printf(&b, "%lld", (long long)st->end_off[i]);
        sl__buf_printf(&b, ",\n    \"numInputRows\" : %llu", (unsigned long long)st->src_rows[i]);
        double in = st->rows ? st->input_rate * (double)st->src_rows[i] / (double)st->rows : 0;
        double pr = st->rows ? st->processed_rate * (double)st->src_rows[i] / (double)st->rows : 0;
        if (fmt_rate(in, r1)) sl__buf_printf(&b, ",\n    \"inputRowsPerSecond\" : %s", r1);
        if (fmt_rate(pr, r2)) sl__buf_printf(&b, ",\n    \"processedRowsPerSecond\" : %s", r2);
        sl__buf_printf(&b, ",\n    \"metrics\" : {\n      \"numBadRecords\" : \"%llu\"\n    }\n  }",
                       (unsigned long long)st->src_bad[i]);
    }
    sl__buf_puts(&b, " ],\n  \"sink\" : {\n    \"description\" : ");
    sl__buf d = SL_BUF_INIT;
    q->sink->vt->describe(q->sink, &d);
    sl__json_write_string(sl__buf_str(&d), d.len, &b);
    sl__buf_free(&d);
    sl__buf_printf(&b, ",\n    \"numOutputRows\" : %llu\n  }\n}", (unsigned long long)st->out_rows);
    return sl__buf_take(&b);
}

static void keep_progress(sl__sq *q, char *json, const batch_stats *st) {
    sl__state_metrics sum;
    memset(&sum, 0, sizeof sum);
    each_op(q->root, sum_state_cb, &sum);
    pthread_mutex_lock(&q->mu);
    uint32_t slot = (q->head + q->n_progress) % MAX_PROGRESS;
    if (q->n_progress == MAX_PROGRESS) {
        sl__free(q->progress[q->head]);
        q->progress[q->head] = NULL;
        q->head = (q->head + 1) % MAX_PROGRESS;
        slot = (q->head + q->n_progress - 1) % MAX_PROGRESS;
    } else {
        q->n_progress++;
    }
    q->progress[slot] = json;
    q->input_rate = st->input_rate;
    q->processed_rate = st->processed_rate;
    q->input_rows += st->rows;
    q->state_sum = sum;
    /* no broadcast: waiters wait for the state or `quiet` (note 4), not for progress, and a
     * wake-up here costs a futex call and a context switch in every batch */
    pthread_mutex_unlock(&q->mu);
}

/* R178: the record of a trigger that found no data: the next batch's id,
 * no rows, the sources at their committed offsets. */
static void idle_progress(sl__sq *q, int64_t now, int64_t d_latest) {
    batch_stats st;
    memset(&st, 0, sizeof st);
    st.batch_id = q->next_batch;
    st.idle = true;
    st.trigger_start_us = now;
    st.d_latest = st.d_total = d_latest;
    st.wm_used = q->wm_batch;
    st.src_rows = sl__calloc(q->n_src + 1, sizeof *st.src_rows);
    st.src_bad = sl__calloc(q->n_src + 1, sizeof *st.src_bad);
    st.start_off = sl__calloc(q->n_src + 1, sizeof *st.start_off);
    st.end_off = sl__calloc(q->n_src + 1, sizeof *st.end_off);
    for (uint32_t i = 0; i < q->n_src; i++) st.start_off[i] = st.end_off[i] = q->committed[i];
    double since = q->had_trigger ? (double)(now - q->prev_trigger_start) / 1e6 : INFINITY;
    st.input_rate = 0.0 / since;
    st.processed_rate = 0.0;
    for (uint32_t i = 0; i < q->n_wm_ops; i++) /* no event times in this record */
        sl__op_watermark_reset_batch(q->wm_ops[i]);
    keep_progress(q, progress_json(q, &st), &st);
    q->last_progress_at = now;
    sl__free(st.src_rows);
    sl__free(st.src_bad);
    sl__free(st.start_off);
    sl__free(st.end_off);
}

/*
 * The malformed records of the batch, when a stream keeps them (option
 * badRecordsPath): each keeping source's own, plus what from_json met
 * (counted against the first source, so written with the first keeping
 * one), as JSON lines in <badRecordsPath>/<query>/bad-<batch>.json.
 */
static bool keep_bad_records(sl__sq *q, int64_t batch_id, sl__err *err) {
    bool first = true;
    for (uint32_t i = 0; i < q->n_src; i++) {
        if (!sl__source_keeps_bad(q->src[i])) continue;
        sl__badrec *b = &q->rs[i].bad_kept;
        if (first && q->bad.n) {
            sl__buf_append(&b->lines, q->bad.lines.p, q->bad.lines.len);
            b->n += q->bad.n;
        }
        first = false;
        if (!b->n) continue;
        const sl__table *d = q->src[i]->def;
        const char *root = sl__opt(d->options, d->n_options, "badRecordsPath");
        sl__buf dir = SL_BUF_INIT;
        sl__buf_printf(&dir, "%s/%s", root, q->name);
        char name[64];
        snprintf(name, sizeof name, "bad-%05lld.json", (long long)batch_id);
        sl_status st =
            sl__files_write_atomic(sl__buf_str(&dir), name, b->lines.p, b->lines.len, err);
        sl__buf_free(&dir);
        if (st != SL_OK) return false;
    }
    return true;
}

/* ---- one micro-batch ------------------------------------------------------------ */

static bool fail(sl__sq *q, const sl__err *e) {
    pthread_mutex_lock(&q->mu);
    if (q->err.code == SL_OK) q->err = *e;
    if (q->err.code == SL_OK) q->err.code = SL_ERR_INTERNAL;
    pthread_mutex_unlock(&q->mu);
    return false;
}

/* t0_ns: when the trigger began (mono_ns), for the perf counters. */
static bool run_batch(sl__sq *q, int64_t trigger_start, int64_t d_latest, int64_t t0_ns) {
    int64_t t0 = sl__mono_us(), cpu0 = thread_cpu_ns();
    sl__err err;
    sl__err_clear(&err);
    batch_stats st;
    memset(&st, 0, sizeof st);
    st.batch_id = q->next_batch;
    st.trigger_start_us = trigger_start;
    st.d_latest = d_latest;
    st.src_rows = sl__calloc(q->n_src + 1, sizeof *st.src_rows);
    st.src_bad = sl__calloc(q->n_src + 1, sizeof *st.src_bad);
    st.start_off = sl__calloc(q->n_src + 1, sizeof *st.start_off);
    st.end_off = sl__calloc(q->n_src + 1, sizeof *st.end_off);
    set_status(q, "Processing new data", true, true);
    bool ok = true;
    for (uint32_t i = 0; i < q->n_src && ok; i++) {
        sl__rowset_clear(&q->rs[i]);
        if (q->latest[i] > q->committed[i] &&
            q->src[i]->vt->get_batch(q->src[i], q->committed[i], q->latest[i], &q->rs[i], &err) !=
                SL_OK)
            ok = fail(q, &err);
        st.src_rows[i] = q->rs[i].rows;
        st.src_bad[i] = q->rs[i].bad_records;
        st.start_off[i] = q->committed[i];
        st.end_off[i] = q->latest[i];
        st.rows += q->rs[i].rows;
    }
    int64_t t1 = sl__mono_us();
    st.d_getbatch = t1 - t0;
    if (ok) {
        sl__exec ex;
        memset(&ex, 0, sizeof ex);
        ex.err = &err;
        ex.ectx.err = &err;
        ex.ectx.batch_ts_us = trigger_start; /* current_timestamp() of the batch (R33) */
        ex.ectx.tz = q->tz;
        ex.ectx.tz_offset_us = sl__tz_offset_utc(q->tz, trigger_start);
        ex.ectx.time_zone = sl__tz_name(q->tz);
        ex.has_wm = q->n_wm_ops > 0;
        sl__badrec_clear(&q->bad);
        for (uint32_t i = 0; i < q->n_src; i++)
            if (sl__source_keeps_bad(q->src[i])) ex.ectx.keep_bad = &q->bad;
        ex.wm_evict_us = q->wm_batch;
        ex.wm_late_us = q->wm_late;
        ex.late = on_late;
        ex.late_ud = q;
        st.wm_used = q->wm_batch;
        each_op(q->root, rewind_op, &ex);
        sl__exec_run(q->root, q->collect, &ex);
        each_op(q->root, end_batch_op, &ex);
        if (ex.failed || ex.ectx.failed) {
            if (err.code == SL_OK)
                sl__err_set(&err, SL_ERR_EXEC, -1, "batch %lld failed", (long long)q->next_batch);
            ok = fail(q, &err);
        }
        /* rows from_json found malformed count against the (first) source */
        if (q->n_src) st.src_bad[0] += ex.ectx.bad_records;
    }
    if (ok && !keep_bad_records(q, st.batch_id, &err)) ok = fail(q, &err);
    if (ok) {
        sl__sink_batch sb;
        memset(&sb, 0, sizeof sb);
        sb.batch_id = q->next_batch;
        sb.schema = q->collect->schema;
        sb.chunks = sl__op_collect_take(q->collect, &sb.n_chunks, &sb.rows);
        sb.mode = q->mode;
        sb.tz = q->tz;
        st.out_rows = sb.rows;
        if (q->sink->vt->write(q->sink, &sb, &err) != SL_OK) ok = fail(q, &err);
        for (uint32_t i = 0; i < sb.n_chunks; i++) sl__chunk_free(&sb.chunks[i]);
        sl__free(sb.chunks);
    }
    int64_t t3 = sl__mono_us();
    st.d_add = t3 - t1;
    if (ok) {
        for (uint32_t i = 0; i < q->n_src; i++) {
            q->src[i]->vt->commit(q->src[i], q->latest[i]);
            q->committed[i] = q->latest[i];
            sl__rowset_clear(&q->rs[i]);
        }
    }
    uint64_t late_now = 0;
    if (ok && !after_batch_event_time(q, st.batch_id, trigger_start, &late_now, &err))
        ok = fail(q, &err);
    int64_t t4 = sl__mono_us();
    st.d_commit = t4 - t3;
    st.d_total = t4 - t0 + d_latest;
    if (ok) {
        /* R181: input rate over the time since the previous trigger, processed rate over this one
         */
        double since = q->had_trigger ? (double)(trigger_start - q->prev_trigger_start) / 1e6
                                      : INFINITY; /* the first: rate 0 */
        st.input_rate = (double)st.rows / since;  /* 0 s: not finite, left out (R182) */
        double dur = (double)SL_MAX(st.d_total, 1000) / 1e6;
        st.processed_rate = (double)st.rows / dur;
        keep_progress(q, progress_json(q, &st), &st);
        int64_t end_ns = mono_ns(), cpu_ns = thread_cpu_ns() - cpu0;
        pthread_mutex_lock(&q->mu);
        q->next_batch++;
        q->perf.batches++;
        q->perf.batch_rows += st.rows;
        q->perf.batch_ns += (uint64_t)(end_ns - t0_ns);
        q->perf.batch_cpu_ns += (uint64_t)cpu_ns;
        q->perf.last_batch_end_ns = end_ns;
        pthread_mutex_unlock(&q->mu);
    }
    sl__free(st.src_rows);
    sl__free(st.src_bad);
    sl__free(st.start_off);
    sl__free(st.end_off);
    return ok;
}

/* ---- the loop ----------------------------------------------------------------------- */

/* Waits until deadline_us on the query clock (< 0: no deadline), new data on a
 * source descriptor, or a wake-up (stop, poke, clock move). */
static void wait_for(sl__sq *q, int64_t deadline_us, bool sources) {
    struct pollfd fds[33];
    int n = 0;
    fds[n++] = (struct pollfd){q->wake[0], POLLIN, 0};
    bool blind = false; /* a source we can only poll */
    for (uint32_t i = 0; sources && i < q->n_src && n < 33; i++) {
        int fd = q->src[i]->vt->wait_fd ? q->src[i]->vt->wait_fd(q->src[i]) : -1;
        if (fd >= 0)
            fds[n++] = (struct pollfd){fd, POLLIN, 0};
        else
            blind = true;
    }
    int timeout_ms = -1;
    if (deadline_us >= 0 && !sl__clock_is_manual(q->clock)) {
        int64_t left = deadline_us - sl__clock_now(q->clock);
        timeout_ms = left <= 0 ? 0 : (int)((left + 999) / 1000);
    }
    if (blind && deadline_us < 0) timeout_ms = POLLING_DELAY_US / 1000;
    if (blind && timeout_ms > POLLING_DELAY_US / 1000) timeout_ms = POLLING_DELAY_US / 1000;
    int r = poll(fds, (nfds_t)n, timeout_ms);
    if (r > 0 && (fds[0].revents & POLLIN)) drain(q->wake[0]);
}

static bool stop_requested(sl__sq *q) {
    pthread_mutex_lock(&q->mu);
    bool s = q->stop_req;
    pthread_mutex_unlock(&q->mu);
    return s;
}

/* availableNow is done: every source at its target (a frozen source, whose
 * target is INT64_MAX, is done when it stops moving: `idle`). */
static bool all_reached(const sl__sq *q, bool idle) {
    for (uint32_t i = 0; i < q->n_src; i++)
        if (q->target[i] == INT64_MAX ? !idle : q->committed[i] < q->target[i]) return false;
    return true;
}

static void *query_thread(void *arg) {
    sl__sq *q = arg;
    sl__err err;
    sl__err_clear(&err);
    pthread_mutex_lock(&q->mu);
    q->message = "Initializing sources";
    pthread_mutex_unlock(&q->mu);
    bool ok = true;
    for (uint32_t i = 0; i < q->n_src && ok; i++) {
        if (q->src[i]->vt->open(q->src[i], &err) != SL_OK) ok = fail(q, &err);
        q->committed[i] = q->src[i]->initial;
        q->latest[i] = q->src[i]->initial;
    }
    if (ok && q->sink->vt->open(q->sink, &err) != SL_OK) ok = fail(q, &err);
    bool finished = false;
    bool single = q->trigger.kind == SL_TRIGGER_ONCE;
    if (ok && (single || q->trigger.kind == SL_TRIGGER_AVAILABLE)) {
        /* once: one batch of all there is, caps ignored (R30); availableNow: what is there at
         * start is the end, in capped steps (R31). A source that can freeze its input does the
         * bounding itself (target INT64_MAX); for the others it is the offset seen now. Fixed
         * before START returns, so that later input is not part of the run. */
        for (uint32_t i = 0; i < q->n_src && ok; i++) {
            sl__source *src = q->src[i];
            q->target[i] = q->committed[i];
            if (src->vt->freeze) {
                q->target[i] = INT64_MAX;
                if (src->vt->freeze(src, single, &err) != SL_OK) ok = fail(q, &err);
            } else if (!single && src->vt->latest(src, &q->target[i], &err) != SL_OK) {
                ok = fail(q, &err);
            }
        }
    }
    pthread_mutex_lock(&q->mu);
    q->state = ok ? SQ_ACTIVE : SQ_FAILED;
    q->open_failed = !ok;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    /* a failure while opening is START's own error (sl__sq_start returns it) */
    bool started = ok;
    q->next_trigger_us = -1;
    q->started_at = q->last_progress_at = sl__clock_now(q->clock);
    while (ok && !finished) {
        if (stop_requested(q)) {
            /* STOP QUERY ... FLUSH: one more batch, with a watermark past everything */
            if (!q->flush_req || q->flushing || !q->wm_evicts) break;
            pthread_mutex_lock(&q->mu);
            q->flushing = true;
            q->wm_batch = INT64_MAX;
            q->nodata_due = true;
            pthread_mutex_unlock(&q->mu);
        }
        /* the poke first, then the clock: a poke that comes after the clock was read (a
         * process-all-available after an advance) is not answered by this turn */
        pthread_mutex_lock(&q->mu);
        uint64_t seen = q->poke;
        pthread_mutex_unlock(&q->mu);
        int64_t now = sl__clock_now(q->clock);
        if (q->trigger.kind == SL_TRIGGER_INTERVAL && q->next_trigger_us >= 0 &&
            now < q->next_trigger_us && !q->flushing) {
            set_status(q, "Waiting for next trigger", false, false);
            pthread_mutex_lock(&q->mu);
            q->quiet = seen; /* nothing runs before the trigger: as processed as it gets */
            pthread_cond_broadcast(&q->cv);
            pthread_mutex_unlock(&q->mu);
            /* only the clock and wake-ups matter now: pending input would keep the
             * sources' descriptors readable and the wait from waiting */
            wait_for(q, q->next_trigger_us, false);
            continue;
        }
        int64_t trigger_start = now, t0 = sl__mono_us(), t0_ns = mono_ns();
        set_status(q, "Getting offsets from sources", false, true);
        bool moved = false, broken = false;
        sl__err broke;
        for (uint32_t i = 0; i < q->n_src && ok; i++) {
            int64_t end = q->latest[i];
            if (q->src[i]->vt->latest(q->src[i], &end, &err) != SL_OK) {
                /* a source that fails (a socket closed after its last line was taken) ends
                 * the query, but only after a last batch of what the others hold */
                if (!broken) broke = err;
                broken = true;
                sl__err_clear(&err);
                continue;
            }
            if (q->trigger.kind == SL_TRIGGER_AVAILABLE && end > q->target[i]) end = q->target[i];
            q->latest[i] = end;
            if (end != q->committed[i]) moved = true;
        }
        if (broken && !moved) {
            ok = fail(q, &broke);
            break;
        }
        int64_t d_latest = sl__mono_us() - t0;
        if (!moved && !q->nodata_due && q->idle_us) compute_watermark(q, now);
        if (!moved && !q->nodata_due) {
            if (q->trigger.kind == SL_TRIGGER_ONCE || q->trigger.kind == SL_TRIGGER_AVAILABLE) {
                if (q->trigger.kind == SL_TRIGGER_ONCE || all_reached(q, true)) break;
            }
            /* R178: every 10 s without a batch, a progress record of the idle trigger */
            if (now - q->last_progress_at >= IDLE_PROGRESS_US) idle_progress(q, now, d_latest);
            q->prev_trigger_start = trigger_start;
            q->had_trigger = true;
            set_status(q, "Waiting for data to arrive", false, false);
            pthread_mutex_lock(&q->mu);
            q->perf.idle_triggers++;
            q->perf.idle_ns += (uint64_t)(mono_ns() - t0_ns);
            q->quiet = seen;
            pthread_cond_broadcast(&q->cv);
            pthread_mutex_unlock(&q->mu);
            if (q->trigger.kind == SL_TRIGGER_INTERVAL) {
                int64_t iv = q->trigger.interval_us;
                q->next_trigger_us = (now / iv + 1) * iv;
                continue;
            }
            /* with idleTimeout, wake up to let an idle input's watermark advance */
            int64_t step = SL_MIN(SL_MAX(q->idle_us / 4, 10000), 1000000);
            wait_for(q, q->idle_us && q->wm_evicts ? now + step : -1, true);
            continue;
        }
        if (!run_batch(q, trigger_start, d_latest, t0_ns)) {
            ok = false;
            break;
        }
        if (broken) {
            ok = fail(q, &broke);
            break;
        }
        q->prev_trigger_start = trigger_start;
        q->had_trigger = true;
        q->last_progress_at = trigger_start;
        if (q->trigger.kind == SL_TRIGGER_ONCE || q->flushing) finished = true;
        if (q->trigger.kind == SL_TRIGGER_AVAILABLE && all_reached(q, false)) finished = true;
        if (q->trigger.kind == SL_TRIGGER_INTERVAL) {
            /* R28: the next multiple of the interval; at once when the batch overran */
            int64_t iv = q->trigger.interval_us;
            q->next_trigger_us = (trigger_start / iv + 1) * iv;
        }
    }
    sl__sink_close(q->sink);
    for (uint32_t i = 0; i < q->n_src; i++) sl__source_close(q->src[i]);
    pthread_mutex_lock(&q->mu);
    q->state = ok ? SQ_STOPPED : SQ_FAILED;
    q->message = "Stopped";
    q->data_available = q->trigger_active = false;
    q->quiet = UINT64_MAX;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    if (!ok && started) {
        /* a query failing in the background must not go unnoticed */
        sl__buf b = SL_BUF_INIT;
        sl__buf_printf(&b, "Query %s terminated with error: %s\n", q->name, q->err.msg);
        sl__session_output(q->session, b.p, b.len);
        sl__buf_free(&b);
    }
    return NULL;
}

/* ---- lifecycle -------------------------------------------------------------------- */

static void destroy(sl__sq *q) {
    for (uint32_t i = 0; i < q->n_src; i++) {
        sl__source_free(q->src[i]);
        sl__rowset_clear(&q->rs[i]);
    }
    sl__free(q->src);
    sl__free(q->rs);
    sl__free(q->committed);
    sl__free(q->latest);
    sl__free(q->target);
    sl__sink_free(q->sink);
    sl__op_free(q->root);
    sl__op_free(q->collect);
    sl__plan_free(q->plan);
    for (uint32_t i = 0; i < q->n_opts; i++) {
        sl__free(q->opts[i].key);
        sl__free(q->opts[i].value);
    }
    sl__free(q->opts);
    for (uint32_t i = 0; i < MAX_PROGRESS; i++) sl__free(q->progress[i]);
    close(q->wake[0]);
    close(q->wake[1]);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
    sl__free(q->sink_kind);
    sl__free(q->name);
    sl__free(q->wm_ops);
    sl__free(q->wm_op_value);
    sl__free(q->wm_op_rows_at);
    sl__free(q->late_table);
    sl__op_free(q->late_collect);
    sl__badrec_free(&q->bad);
    sl__free(q);
}

sl__sq *sl__sq_start(sl_session *s, sl__sq_spec *spec, sl__err *err) {
    sl__sq *q = sl__calloc(1, sizeof *q);
    q->refs = 1;
    q->session = s;
    q->name = sl__strdup(spec->name);
    uuid4(q->id);
    uuid4(q->run_id);
    q->mode = spec->mode;
    q->trigger = spec->trigger;
    q->sink_kind = sl__strdup(spec->sink_kind);
    q->opts = spec->opts;
    q->n_opts = spec->n_opts;
    q->clock = spec->clock;
    q->tz = sl__session_tz(s);
    q->plan = spec->plan;
    q->message = "Initializing StreamExecution";
    q->state = SQ_INITIALIZING;
    sl__err_clear(&q->err);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    if (pipe(q->wake) != 0) {
        q->wake[0] = q->wake[1] = -1;
        sl__err_set(err, SL_ERR_IO, -1, "cannot create a pipe: %s", strerror(errno));
        destroy(q);
        return NULL;
    }
    fcntl(q->wake[0], F_SETFL, O_NONBLOCK);
    fcntl(q->wake[1], F_SETFL, O_NONBLOCK);

    /* the physical plan, once */
    sl__ectx ectx;
    memset(&ectx, 0, sizeof ectx);
    ectx.err = err;
    ectx.tz = q->tz;
    sl__planner pl;
    memset(&pl, 0, sizeof pl);
    pl.cat = &s->cat;
    pl.ectx = &ectx;
    pl.err = err;
    pl.stream_source = make_source;
    pl.stream_ud = q;
    const sl__type *schema = q->plan->schema;
    q->root = sl__plan_to_ops(q->plan, &pl);
    if (!q->root) {
        destroy(q);
        return NULL;
    }
    each_op(q->root, fix_rowsets, q);
    agg_mode_ctx am = {q->mode == SL_MODE_COMPLETE ? SL__AGG_EMIT_ALL
                       : q->mode == SL_MODE_UPDATE ? SL__AGG_EMIT_UPDATED
                                                   : SL__AGG_EMIT_FINAL};
    each_op(q->root, set_agg_mode, &am);
    each_op(q->root, find_event_time_ops, q);
    q->wm_op_value = sl__calloc(q->n_wm_ops + 1, sizeof *q->wm_op_value); /* R110: from 0 */
    const char *policy = sl__conf_get(&s->conf, "spark.sql.streaming.multipleWatermarkPolicy");
    q->wm_max_policy = policy && strcasecmp(policy, "max") == 0;
    q->late_path = sl__opt(q->opts, q->n_opts, "lateRowsPath");
    q->wm_op_rows_at = sl__calloc(q->n_wm_ops + 1, sizeof *q->wm_op_rows_at);
    const char *idle = sl__opt(q->opts, q->n_opts, "idleTimeout");
    if (idle) {
        sl__err e2;
        sl__err_clear(&e2);
        if (!sl__interval_parse(idle, strlen(idle), &q->idle_us, &e2) || q->idle_us <= 0) {
            sl__err_set(err, SL_ERR_ANALYSIS, -1,
                        "idleTimeout '%s' is not a positive duration (e.g. '5 seconds')", idle);
            destroy(q);
            return NULL;
        }
    }
    const sl__type *late_schema = NULL;
    each_op(q->root, late_schema_of, &late_schema);
    if (late_schema && (spec->late_table || q->late_path)) {
        q->late_collect = sl__op_collect(late_schema);
        if (spec->late_table) q->late_table = sl__strdup(spec->late_table);
    }
    q->collect = sl__op_collect(schema);
    q->committed = sl__calloc(q->n_src + 1, sizeof *q->committed);
    q->latest = sl__calloc(q->n_src + 1, sizeof *q->latest);
    q->target = sl__calloc(q->n_src + 1, sizeof *q->target);
    q->sink = sl__sink_create(q->sink_kind, s, q->name, q->opts, q->n_opts, err);
    if (!q->sink) {
        destroy(q);
        return NULL;
    }
    sl__clock_watch(q->clock, q->wake[1]);
    if (pthread_create(&q->thread, NULL, query_thread, q) != 0) {
        sl__clock_unwatch(q->clock, q->wake[1]);
        sl__err_set(err, SL_ERR_INTERNAL, -1, "cannot start a thread for query %s", q->name);
        destroy(q);
        return NULL;
    }
    q->thread_started = true;
    /* wait for the sources to open: their errors are START's errors */
    pthread_mutex_lock(&q->mu);
    while (q->state == SQ_INITIALIZING) pthread_cond_wait(&q->cv, &q->mu);
    bool failed = q->open_failed; /* not a failure of a batch that ran since */
    pthread_mutex_unlock(&q->mu);
    if (failed) {
        *err = q->err;
        pthread_join(q->thread, NULL);
        q->thread_started = false;
        sl__clock_unwatch(q->clock, q->wake[1]);
        destroy(q);
        return NULL;
    }
    return q;
}

sl__sq *sl__sq_ref(sl__sq *q) {
    __atomic_add_fetch(&q->refs, 1, __ATOMIC_RELAXED);
    return q;
}

void sl__sq_unref(sl__sq *q) {
    if (!q || __atomic_sub_fetch(&q->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    sl__sq_stop(q);
    destroy(q);
}

void sl__sq_stop(sl__sq *q) {
    sl__sq_stop_flush(q, false);
}

void sl__sq_stop_flush(sl__sq *q, bool flush) {
    pthread_mutex_lock(&q->mu);
    q->stop_req = true;
    q->flush_req = flush;
    bool started = q->thread_started;
    q->thread_started = false;
    pthread_mutex_unlock(&q->mu);
    if (!started) return;
    wake(q);
    pthread_join(q->thread, NULL);
    sl__clock_unwatch(q->clock, q->wake[1]);
}

static void timed_wait(sl__sq *q, int64_t until_mono) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t step = 100000; /* re-check interrupts every 100 ms */
    if (until_mono >= 0) step = SL_MIN(step, SL_MAX(until_mono - sl__mono_us(), 0));
    ts.tv_nsec += (long)(step % 1000000) * 1000;
    ts.tv_sec += (time_t)(step / 1000000) + ts.tv_nsec / 1000000000;
    ts.tv_nsec %= 1000000000;
    pthread_cond_timedwait(&q->cv, &q->mu, &ts);
}

bool sl__sq_await(sl__sq *q, int64_t timeout_us, volatile int *interrupt) {
    int64_t until = timeout_us < 0 ? -1 : sl__mono_us() + timeout_us;
    pthread_mutex_lock(&q->mu);
    while (q->state == SQ_ACTIVE || q->state == SQ_INITIALIZING) {
        if ((interrupt && *interrupt) || (until >= 0 && sl__mono_us() >= until)) break;
        timed_wait(q, until);
    }
    bool ended = q->state == SQ_STOPPED || q->state == SQ_FAILED;
    pthread_mutex_unlock(&q->mu);
    return ended;
}

bool sl__sq_process_all_available(sl__sq *q, int64_t timeout_us, volatile int *interrupt) {
    int64_t until = timeout_us < 0 ? -1 : sl__mono_us() + timeout_us;
    pthread_mutex_lock(&q->mu);
    uint64_t mine = ++q->poke;
    pthread_mutex_unlock(&q->mu);
    wake(q);
    pthread_mutex_lock(&q->mu);
    bool done = false;
    for (;;) {
        if (q->quiet >= mine || q->state == SQ_STOPPED || q->state == SQ_FAILED) {
            done = true;
            break;
        }
        if ((interrupt && *interrupt) || (until >= 0 && sl__mono_us() >= until)) break;
        timed_wait(q, until);
    }
    pthread_mutex_unlock(&q->mu);
    return done;
}

/* ---- what the query shows ------------------------------------------------------------ */

const char *sl__sq_name(const sl__sq *q) {
    return q->name;
}
const char *sl__sq_id(const sl__sq *q) {
    return q->id;
}
const char *sl__sq_run_id(const sl__sq *q) {
    return q->run_id;
}

sl__sq_state sl__sq_state_of(sl__sq *q) {
    pthread_mutex_lock(&q->mu);
    sl__sq_state s = q->state;
    pthread_mutex_unlock(&q->mu);
    return s;
}

const char *sl__sq_error(sl__sq *q) {
    pthread_mutex_lock(&q->mu);
    const char *e = q->state == SQ_FAILED ? q->err.msg : NULL;
    pthread_mutex_unlock(&q->mu);
    return e;
}

sl_status sl__sq_error_code(sl__sq *q) {
    pthread_mutex_lock(&q->mu);
    sl_status c = q->state == SQ_FAILED ? q->err.code : SL_OK;
    pthread_mutex_unlock(&q->mu);
    return c;
}

char *sl__sq_status_json(sl__sq *q) {
    pthread_mutex_lock(&q->mu);
    char *s = sl__sprintf("{\n  \"message\" : \"%s\",\n  \"isDataAvailable\" : %s,\n"
                          "  \"isTriggerActive\" : %s\n}",
                          q->message, q->data_available ? "true" : "false",
                          q->trigger_active ? "true" : "false");
    pthread_mutex_unlock(&q->mu);
    return s;
}

char *sl__sq_last_progress(sl__sq *q) {
    pthread_mutex_lock(&q->mu);
    char *s = q->n_progress ? sl__strdup(q->progress[(q->head + q->n_progress - 1) % MAX_PROGRESS])
                            : NULL;
    pthread_mutex_unlock(&q->mu);
    return s;
}

char **sl__sq_recent_progress(sl__sq *q, int64_t n, uint32_t *count) {
    pthread_mutex_lock(&q->mu);
    uint32_t k = q->n_progress;
    if (n > 0 && (uint64_t)n < k) k = (uint32_t)n;
    char **out = sl__calloc(k + 1, sizeof *out);
    for (uint32_t i = 0; i < k; i++)
        out[i] = sl__strdup(q->progress[(q->head + q->n_progress - k + i) % MAX_PROGRESS]);
    pthread_mutex_unlock(&q->mu);
    *count = k;
    return out;
}

static void find_stateful(sl__op *op, void *ud) {
    if (sl__op_is_agg(op) || sl__op_is_dedup(op)) *(bool *)ud = true;
}

void sl__sq_info_of(sl__sq *q, sl__sq_info *out) {
    pthread_mutex_lock(&q->mu);
    out->sink_kind = q->sink_kind;
    out->mode = q->mode;
    out->batch_id = q->next_batch - 1;
    out->input_rate = q->input_rate;
    out->processed_rate = q->processed_rate;
    out->state_rows = q->state_sum.rows_total;
    out->state_bytes = q->state_sum.memory_bytes;
    out->input_rows = q->input_rows;
    out->has_watermark = q->n_wm_ops > 0;
    out->watermark_us = q->wm_batch;
    out->late_rows = q->late_rows;
    pthread_mutex_unlock(&q->mu);
    out->replayable = true;
    for (uint32_t i = 0; i < q->n_src; i++)
        if (!q->src[i]->replayable) out->replayable = false;
    /* without a watermark, stateful state grows without bound (R119) */
    bool stateful = false;
    each_op(q->root, find_stateful, &stateful);
    out->unbounded_state = stateful && !q->wm_evicts;
}

void sl__sq_perf_of(sl__sq *q, sl__sq_perf *out) {
    pthread_mutex_lock(&q->mu);
    *out = q->perf;
    pthread_mutex_unlock(&q->mu);
}

void sl__sq_explain(sl__sq *q, sl__buf *out) {
    sl__op_explain_tree(q->root, out);
}

bool sl__sq_reads(const sl__sq *q, const sl__table *stream) {
    for (uint32_t i = 0; i < q->n_src; i++)
        if (q->src[i]->def == stream) return true;
    return false;
}
