/*
 * func.h — the function registry. Every SQL function is an entry with a
 * `bind` callback: given the bound arguments (already typed), it checks
 * them, inserts implicit casts, and picks the kernel and result type. So
 * overload resolution and Spark's coercion rules live with each function,
 * not in a central table, and adding a function is one entry in one file.
 *
 * Scalar functions produce one value per row (sl__kernel, exec/expr.h).
 * Aggregate functions keep a fixed-size state per group and have
 * init/update/merge/finalize steps (sl__agg_ops), vectorised over rows.
 * Generators (explode) are handled by the planner, which knows them by name.
 */
#ifndef SL_FUNC_H
#define SL_FUNC_H

#include "exec/expr.h"

/* What a bind callback sees and fills. */
typedef struct sl__fbind {
    const char *name; /* as written in the query */
    sl__expr **args;  /* bound arguments; the callback may replace entries */
    uint32_t n_args;
    uint32_t pos; /* byte offset of the call, for errors */
    sl__err *err;
    const char *time_zone; /* session time zone ("UTC", "+02:00", ...) */
    /* the arguments' names where they are columns (struct(a, s.b) names its
     * fields a and b), else NULL entries; NULL when the caller knows none */
    const char *const *arg_names;
    /* outputs */
    const sl__type *type;
    sl__kernel kernel;
    void *state;
    void (*free_state)(void *);
    int64_t iparam;
    bool volatile_; /* value depends on the batch, not only the arguments */
} sl__fbind;

typedef sl_status (*sl__fn_bind)(sl__fbind *fb);

typedef struct sl__fn_def {
    const char *name;
    int min_args, max_args; /* max -1: any number */
    sl__fn_bind bind;
    const char *usage; /* "upper(str)" */
    const char *desc;  /* one line, for SHOW FUNCTIONS and docs/sql.md */
} sl__fn_def;

/* ---- scalar registry ---------------------------------------------------- */

/* The definition of a scalar function by name (case-insensitive), or NULL. */
const sl__fn_def *sl__fn_find(const char *name);

/* Each function file exports its table; func.c merges them. */
typedef struct sl__fn_table {
    const sl__fn_def *defs;
    size_t n;
} sl__fn_table;

extern const sl__fn_table sl__fn_core;   /* operators, comparison, logic: scalar_core.c */
extern const sl__fn_table sl__fn_string; /* string functions: scalar_string.c */
extern const sl__fn_table sl__fn_time;   /* date/time functions: scalar_time.c */
extern const sl__fn_table sl__fn_json;   /* from_json, to_json: scalar_json.c */
extern const sl__fn_table sl__fn_nested; /* arrays and structs: scalar_nested.c */
extern const sl__fn_table sl__fn_window; /* window, session_window: scalar_window.c */

/* Calls fn for every registered scalar function (SHOW FUNCTIONS). */
void sl__fn_each(void (*fn)(void *ud, const sl__fn_def *def), void *ud);

/*
 * Binds a call: runs the definition's bind and builds the E_CALL node.
 * Takes ownership of args (freed on failure). On failure returns NULL with
 * err set at pos.
 */
sl__expr *sl__fn_bind_call(const sl__fn_def *def, const char *name, sl__expr **args,
                           uint32_t n_args, uint32_t pos, const char *tz, sl__err *err);
/* The same, with the arguments' column names (fbind.arg_names; may be NULL). */
sl__expr *sl__fn_bind_call_named(const sl__fn_def *def, const char *name, sl__expr **args,
                                 uint32_t n_args, uint32_t pos, const char *tz,
                                 const char *const *arg_names, sl__err *err);

/* ---- coercion helpers for bind callbacks -------------------------------- */

/* Spark's wider type of two types for comparison/union/CASE (NULL = none). */
const sl__type *sl__common_type(const sl__type *a, const sl__type *b);
/* Wider numeric type (SMALLINT < INT < BIGINT < DOUBLE); NULL if either is not numeric. */
const sl__type *sl__wider_numeric(const sl__type *a, const sl__type *b);
/* Wraps e in a cast to t (no-op when already t). Consumes e. */
sl__expr *sl__cast_to(sl__expr *e, const sl__type *t);
/* Casts args[i] to t in place. */
void sl__fbind_cast_arg(sl__fbind *fb, uint32_t i, const sl__type *t);
/* Reports "name: argument i must be X, got Y" and returns SL_ERR_ANALYSIS. */
sl_status sl__fbind_type_error(sl__fbind *fb, uint32_t i, const char *want);
/* Is args[i] a constant (after folding)? If so returns its vector. */
const sl__vec *sl__fbind_const(const sl__fbind *fb, uint32_t i);
/* Makes args[i] a TIMESTAMP as the time functions do (strings parsed and
 * dates placed in the session zone); false when its type does not convert.
 * (scalar_time.c) */
bool sl__fbind_coerce_ts(sl__fbind *fb, uint32_t i);

/* ---- casts (cast.c) ----------------------------------------------------- */

/*
 * The kernel that casts from type `from` to `to`, or NULL when Spark does not
 * allow the cast. Bad values become NULL (non-ANSI Spark); `try_` is the
 * same here. Casts to STRING render values as Spark's CAST does.
 */
sl__kernel sl__cast_kernel(const sl__type *from, const sl__type *to);
/* Builds the cast node; returns NULL (with err set) when not castable. */
sl__expr *sl__cast_bind(sl__expr *e, const sl__type *to, uint32_t pos, sl__err *err);

/* ---- aggregates ------------------------------------------------------- */

/*
 * Vectorised aggregate steps. `states[i]` points at the state of the group
 * of the i-th row of `rows` (several rows may share one); `arg` is the
 * evaluated argument (NULL for count(*)). Heap data a state owns is released
 * in `destroy` (NULL when states hold only plain values).
 */
typedef struct sl__agg_ops {
    size_t state_size;
    void (*init)(void *st);
    void (*update)(void **states, const sl__vec *arg, const sl__rows *rows);
    void (*merge)(void *dst, const void *src);
    void (*finalize)(const void *st, sl__vec *out, uint32_t row);
    void (*destroy)(void *st);
    /* approximate bytes of heap memory a state owns beyond state_size */
    size_t (*heap_bytes)(const void *st);
    /* optional: every row into one state (global aggregates): a tight loop */
    void (*update_one)(void *st, const sl__vec *arg, const sl__rows *rows);
} sl__agg_ops;

/* Does the result depend on the order rows arrive in (first, last)? Then
 * partial states must not be merged in another order (window panes). */
bool sl__agg_order_dependent(const sl__agg_ops *ops);

typedef struct sl__abind {
    const char *name;
    sl__expr **args; /* bound arguments; may be replaced (casts) */
    uint32_t n_args;
    bool star;     /* count(*) */
    bool distinct; /* f(DISTINCT x) */
    uint32_t pos;
    sl__err *err;
    /* outputs */
    const sl__type *type;
    const sl__agg_ops *ops;
} sl__abind;

typedef struct sl__agg_def {
    const char *name;
    int min_args, max_args;
    sl_status (*bind)(sl__abind *ab);
    const char *usage;
    const char *desc;
} sl__agg_def;

/* One bound aggregate call (an entry of an aggregate operator). */
typedef struct sl__agg_call {
    const sl__agg_ops *ops;
    sl__expr *arg; /* NULL for count(*) */
    const sl__type *type;
    bool distinct;
    const char *name; /* "count(1)", "avg(x)" */
} sl__agg_call;

/* The aggregate definition by name, or NULL (then it is not an aggregate). */
const sl__agg_def *sl__agg_find(const char *name);
void sl__agg_each(void (*fn)(void *ud, const sl__agg_def *def), void *ud);

#endif
