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
enum { SL__AGG_EMIT_ALL = 1, SL__AGG_EMIT_UPDATED = 2 };
bool sl__op_is_agg(const sl__op *op);
void sl__op_agg_set_stream(sl__op *op, int emit);
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
bool sl__op_is_dedup(const sl__op *op);
void sl__op_dedup_metrics(const sl__op *op, sl__state_metrics *m);

#endif
