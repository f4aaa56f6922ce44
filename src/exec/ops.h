/*
 * ops.h — constructors of the physical operators that need plan-level
 * arguments (op.h declares the simple ones). Each takes ownership of the
 * children, expressions and arrays it is given.
 */
#ifndef SL_OPS_H
#define SL_OPS_H

#include "exec/op.h"
#include "func/func.h"
#include "sql/ast.h"

typedef struct sl__tabdata sl__tabdata;

/* Scan of an immutable table snapshot (takes the reference). */
sl__op *sl__op_scan(const sl__type *schema, sl__tabdata *data);

/* Hash aggregate: output = keys, aggregates, [grouping id]. sets may be NULL. */
sl__op *sl__op_hash_agg(sl__op *child, const sl__type *schema, sl__expr **keys, uint32_t nk,
                        sl__agg_call *aggs, uint32_t na, uint64_t *sets, uint32_t n_sets,
                        bool gid_out);

/* Hash join of left (probe, child[0]) and right (build, child[1]) on
 * lkeys[i] = rkeys[i] (null_safe[i]: <=>), then the residual condition over
 * left+right columns. Output: left + right columns (left only for semi/anti). */
sl__op *sl__op_hash_join(sl__op *left, sl__op *right, const sl__type *schema, sl__join_type type,
                         sl__expr **lkeys, sl__expr **rkeys, bool *null_safe, uint32_t nkeys,
                         sl__expr *cond);

/* The event time of row `row` of a key vector v: the timestamp itself, or
 * with window the end of a window struct (R112). False when NULL. */
static inline bool sl__event_time_of(const sl__vec *v, bool window, uint32_t row, int64_t *t) {
    uint32_t r = sl__vec_idx(v, row);
    if (!sl__vec_valid(v, r)) return false;
    if (window) {
        v = v->child[1];
        r = sl__vec_idx(v, r);
        if (!sl__vec_valid(v, r)) return false;
    }
    *t = SL_VEC_DATA(v, int64_t)[r];
    return true;
}

/* Per-operator state figures for progress records (R184). */
typedef struct sl__state_metrics {
    const char *name; /* Spark's operatorName: "stateStoreSave", "dedupe", ... */
    uint64_t rows_total;
    uint64_t rows_updated;
    uint64_t rows_removed;
    uint64_t rows_dropped_by_watermark;
    uint64_t memory_bytes;
} sl__state_metrics;

/* Streaming emission of a hash aggregate (the state outlives micro-batches):
 * every group (complete mode) or the groups updated in the batch (update). */
/* ... or, in append mode, the groups the watermark finalised (R118). */
enum { SL__AGG_EMIT_ALL = 1, SL__AGG_EMIT_UPDATED = 2, SL__AGG_EMIT_FINAL = 3 };
bool sl__op_is_agg(const sl__op *op);
void sl__op_agg_set_stream(sl__op *op, int emit);
/* The grouping key whose time decides lateness and eviction (R112): a
 * TIMESTAMP, or with window a struct<start, end> whose end counts. */
void sl__op_agg_set_event_time(sl__op *op, int32_t key, bool window);
/* Does the watermark evict this aggregate's state (update/append mode with
 * an event-time key)? Then a moved watermark needs a no-data batch (R24). */
bool sl__op_agg_has_event_time(const sl__op *op);
int sl__op_agg_stream_emit(const sl__op *op); /* 0 in a batch query */
void sl__op_agg_metrics(const sl__op *op, sl__state_metrics *m);

/*
 * The event-time window among a hash aggregate's keys (P_AGGREGATE.win_key).
 * Key `key` holds a struct<start, end> (field 1, `end`, is what a streaming
 * aggregation compares with the watermark to finalize and evict a group).
 *  - SL__AGG_WIN_TIME: the key is the window itself (tumbling, or a sliding
 *    window expanded below into one row per window).
 *  - SL__AGG_WIN_PANES: a sliding window of `size` W whose `slide` S divides
 *    W; the key holds the pane [p, p + S) (the tumbling window of the slide)
 *    and the state is kept per pane: each row updates one pane, and every
 *    output window [w, w + W) merges its W/S panes p = w, w + S, ... at
 *    finalize. A pane's last window ends at p + W: the pane can be evicted
 *    once p + W <= watermark, a window emitted once w + W <= watermark.
 *  - SL__AGG_WIN_SESSION: the key holds each row's session [t, t + gap); at
 *    finalize, overlapping sessions of the same other keys merge (R105),
 *    their states merged in time order.
 */
enum { SL__AGG_WIN_TIME = 1, SL__AGG_WIN_PANES = 2, SL__AGG_WIN_SESSION = 3 };
typedef struct sl__agg_window {
    int mode;            /* SL__AGG_WIN_*; 0: no window key */
    uint32_t key;        /* index of the window key */
    int64_t size, slide; /* PANES: W and S */
} sl__agg_window;
void sl__op_agg_set_window(sl__op *op, const sl__agg_window *w);
/* The window key of an aggregate (mode 0 when it has none). */
const sl__agg_window *sl__op_agg_window(const sl__op *op);

/* Rows of a sliding window: the child's columns + the window (op_expand.c);
 * keep_order: each row followed by its windows (Spark's order), else
 * candidate by candidate without copying rows. */
sl__op *sl__op_window_expand(sl__op *child, const sl__type *schema, sl__expr *time, int64_t size,
                             int64_t slide, int64_t start, bool keep_order);

/* Sort by keys; limit >= 0 keeps only the first limit rows (top-N). */
sl__op *sl__op_sort(sl__op *child, sl__expr **keys, bool *desc, bool *nulls_first, uint32_t n,
                    int64_t limit);

/* explode / explode_outer / posexplode: child columns + [pos] + element. */
sl__op *sl__op_explode(sl__op *child, const sl__type *schema, sl__expr *array, bool outer,
                       bool with_pos);

/* EXCEPT / INTERSECT [ALL] of left and right (same schema). */
sl__op *sl__op_setop(sl__op *left, sl__op *right, sl__setop kind, bool all);

/* First row per key (dropDuplicates); the keys seen persist across runs. */
sl__op *sl__op_dedup(sl__op *child, sl__expr **keys, uint32_t nk);

/* The watermark operator of a stream (op_watermark.c): passes rows, observes
 * the TIMESTAMP column col. */
typedef struct sl__op_wm_stats {
    int64_t delay_us;
    bool seen;        /* a non-NULL event time has passed */
    int64_t max_seen; /* largest event time ever (R109) */
    /* this micro-batch (for the progress record's eventTime) */
    uint64_t batch_rows;
    int64_t batch_min, batch_max;
    double batch_sum;
} sl__op_wm_stats;
sl__op *sl__op_watermark(sl__op *child, uint32_t col, int64_t delay_us);
/* Its figures; NULL when op is not a watermark operator. */
const sl__op_wm_stats *sl__op_watermark_stats(const sl__op *op);
/* Forgets the batch figures (the maximum seen stays). */
void sl__op_watermark_reset_batch(sl__op *op);
bool sl__op_is_dedup(const sl__op *op);
void sl__op_dedup_metrics(const sl__op *op, sl__state_metrics *m);
/* Streaming with a watermark: rows whose input column evt_col (-1: none) is
 * at or below the late watermark are dropped (R126); the key evt_key (-1:
 * none; a window struct with window) is evicted once the watermark passes
 * it (R125); within: dropDuplicatesWithinWatermark, keys expire delay_us
 * after their first row's event time (R127). */
void sl__op_dedup_set_event_time(sl__op *op, int32_t evt_key, bool window, int32_t evt_col,
                                 bool within, int64_t delay_us);
/* Does the watermark evict this operator's state? */
bool sl__op_dedup_has_event_time(const sl__op *op);
/* After a batch: evicts the keys the batch's watermark expired. */
void sl__op_dedup_end_batch(sl__op *op, const sl__exec *ex);

#endif
