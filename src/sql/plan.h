/*
 * plan.h — the logical plan: what the binder produces from the AST, what
 * EXPLAIN prints, what the streaming analyzer checks (output modes,
 * unsupported operations), and what the planner turns into physical
 * operators. Every node has an output schema (a STRUCT type: names as Spark
 * names the columns, and types); expressions in a node refer to the columns
 * of its children by index (for joins: left columns first, then right).
 *
 * Ownership: a node owns its children, expressions and arrays. A plan is
 * built per statement (batch) or once per streaming query.
 */
#ifndef SL_PLAN_H
#define SL_PLAN_H

#include "exec/expr.h"
#include "func/func.h"
#include "sql/ast.h"

typedef struct sl__plan sl__plan;
typedef struct sl__table sl__table;   /* catalog table (main/catalog.h) */
typedef struct sl__stream sl__stream; /* catalog stream (stream/) */

typedef enum sl__plan_kind {
    P_VALUES,    /* constant rows: rows[r][c] are constant expressions */
    P_SCAN,      /* a catalog table or a file-backed table */
    P_STREAM,    /* a streaming source (one per query input) */
    P_FILTER,    /* exprs[0]: BOOLEAN predicate */
    P_PROJECT,   /* exprs: one per output column */
    P_AGGREGATE, /* keys + aggs, optionally with grouping sets */
    P_JOIN,      /* equi-join on keys (+ residual condition) */
    P_SORT,      /* exprs: sort keys; desc[], nulls_first[] */
    P_LIMIT,     /* limit / offset */
    P_UNION,     /* children with the same schema; all = UNION ALL */
    P_SETOP,     /* EXCEPT / INTERSECT [ALL] */
    P_EXPLODE,   /* child columns + the elements of exprs[0] (array) */
    P_WATERMARK, /* marks an event-time column (streaming); passes rows */
    P_DEDUP,     /* dropDuplicates(keys): first row per key (streaming) */
    P_WINDOW     /* child columns + the window of exprs[0], one row per window (below) */
} sl__plan_kind;

struct sl__plan {
    sl__plan_kind kind;
    const sl__type *schema; /* output columns */
    sl__plan *child[2];     /* owned; [1] for joins and binary set operations */
    sl__plan **inputs;      /* P_UNION: owned children */
    uint32_t n_inputs;
    uint32_t pos; /* source offset for errors */

    sl__expr **exprs; /* owned: FILTER [0], PROJECT outputs, SORT keys, AGG keys, JOIN left keys */
    uint32_t n_exprs;

    /* P_VALUES */
    sl__expr ***rows;
    uint32_t n_rows;

    /* P_SCAN / P_STREAM */
    sl__table *table;   /* borrowed from the catalog (refcounted) */
    sl__stream *stream; /* borrowed from the catalog */
    const char *name;   /* table/stream name for EXPLAIN (owned) */

    /* P_AGGREGATE */
    sl__agg_call *aggs; /* owned */
    uint32_t n_aggs;
    uint64_t *sets; /* grouping sets as bitmasks over keys (bit i = key i grouped); NULL: one set */
    uint32_t n_sets;
    bool grouping_id; /* output a hidden grouping id column after the aggs */
    /* the key that is the event-time window: a reference to the window column
     * of the P_WINDOW child (its value is struct<start, end>; a streaming
     * aggregation evicts a group once `end` <= watermark); -1 when none */
    int32_t win_key;
    /* streaming: the key that carries the event-time watermark (-1: none), and
     * whether it is a window struct (its event time is window.end, R112);
     * set by sl__stream_mark_event_time. Also used by P_DEDUP (a key column). */
    int32_t evt_key;
    bool evt_window;

    /* P_JOIN */
    sl__join_type join;
    sl__expr **rkeys; /* owned: right keys, same count as exprs */
    bool *null_safe;  /* per key: <=> instead of = */
    sl__expr *cond;   /* owned: residual condition over left+right columns, or NULL */

    /* P_SORT */
    bool *desc;
    bool *nulls_first;

    /* P_LIMIT */
    int64_t limit; /* -1: none */
    int64_t offset;

    /* P_UNION / P_SETOP */
    bool all;
    sl__setop setop;

    /* P_EXPLODE */
    bool outer; /* explode_outer */
    bool posexplode;

    /* P_WATERMARK: exprs unused; col = event-time column index */
    uint32_t col;
    int64_t delay_us;

    /* P_DEDUP: exprs are key column refs; streaming: evt_col is a watermarked
     * input column (-1: none) whose rows at or below the watermark are late
     * (R126); within_wm: dropDuplicatesWithinWatermark (R127), a key expires
     * delay_us after its first row's event time */
    int32_t evt_col;
    bool within_wm;

    /*
     * P_WINDOW: exprs[0] is the query block's one window(...) or
     * session_window(...) call (func/window.h) over the child's columns; the
     * output is the child's columns and that window as a last column (named
     * `window` or `session_window`). A row whose time is NULL (or, for a
     * session, whose gap is NULL or <= 0) has no window and is dropped
     * (R102, R105); a sliding window gives a row once per window that
     * contains its time (R100, R101). This is Spark's TimeWindowing rewrite:
     * the SELECT, GROUP BY, HAVING and ORDER BY above refer to the column.
     */

    bool streaming; /* reads a stream (transitively) */
};

sl__plan *sl__plan_new(sl__plan_kind kind, const sl__type *schema);
void sl__plan_free(sl__plan *p);

/* Builds the schema from parallel arrays of names and types. */
const sl__type *sl__schema_make(uint32_t n, const char *const *names, const sl__type *const *types);

/* EXPLAIN text: an indented tree, one node per line. */
void sl__plan_explain(const sl__plan *p, sl__buf *out);

#endif
