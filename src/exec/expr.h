/*
 * expr.h — bound expressions and their vectorised evaluation.
 *
 * The binder turns an AST expression into an sl__expr tree whose every node
 * has a type and, for function calls, a kernel chosen for the argument types.
 * Evaluating a tree over a batch visits each node once per batch (never per
 * row): a node computes all live rows of the batch into its own scratch
 * vector, at the rows' physical positions, and hands that vector to its
 * parent. Column references and constants cost nothing: they return the
 * input column or a constant vector directly.
 *
 * Ownership: a tree belongs to the plan that holds it (sl__expr_free frees
 * the whole tree). Scratch vectors make a tree single-threaded; parallel
 * workers each evaluate their own copy (sl__expr_clone).
 */
#ifndef SL_EXPR_H
#define SL_EXPR_H

#include "batch/batch.h"

typedef struct sl__expr sl__expr;
typedef struct sl__ectx sl__ectx;

/* The rows a kernel must compute: physical positions sel[0..count) or,
 * when sel is NULL, 0..count-1. */
typedef struct sl__rows {
    const uint32_t *sel;
    uint32_t count;
} sl__rows;

#define SL_ROW(rows, i) ((rows)->sel ? (rows)->sel[i] : (i))

/*
 * A scalar kernel: computes out[row] for every row of rows from args[k][row]
 * (args may be constant vectors: index them with sl__vec_idx). It sets
 * validity for every row it writes. Kernels report runtime errors through
 * sl__ectx_fail and return.
 */
typedef void (*sl__kernel)(sl__ectx *ctx, sl__expr *e, sl__vec **args, const sl__rows *rows,
                           sl__vec *out);

typedef enum sl__expr_kind {
    E_CONST,    /* cval: a constant vector with one row */
    E_COLREF,   /* col: index of an input column */
    E_CALL,     /* a scalar function: kernel over evaluated args */
    E_AND,      /* three-valued AND, evaluates b only where a is not false */
    E_OR,       /* three-valued OR */
    E_CASE,     /* args: when0, then0, when1, then1, ..., [else] (has_else) */
    E_COALESCE, /* first non-NULL argument, evaluating lazily */
    E_FIELD     /* field `col` of the STRUCT args[0]: the child vector, no copy */
} sl__expr_kind;

struct sl__expr {
    sl__expr_kind kind;
    const sl__type *type;
    sl__expr **args; /* owned */
    uint32_t n_args;
    uint32_t col;      /* E_COLREF: input column; E_FIELD: field index */
    sl__vec *cval;     /* E_CONST: owned, one row, is_const */
    sl__kernel kernel; /* E_CALL */
    const char *fname; /* E_CALL: function name, for EXPLAIN and errors */
    void *state;       /* E_CALL: prepared state (compiled pattern, set ...), owned */
    void (*free_state)(void *state);
    int64_t iparam;   /* E_CALL: small integer parameter a kernel may use */
    bool has_else;    /* E_CASE */
    bool volatile_;   /* depends on the batch (current_timestamp): never folded */
    sl__vec *scratch; /* owned: where this node writes its result */
};

/* Per-evaluation context: the batch-level values kernels may read, and the
 * first runtime error. */
struct sl__ectx {
    sl__err *err;
    int64_t batch_ts_us;   /* current_timestamp() of this (micro-)batch */
    const char *time_zone; /* session time zone for timestamp text */
    int64_t tz_offset_us;  /* fixed offset of that zone (UTC = 0) */
    /* that zone with its DST rules (types/tz.h); when set, the date/time
     * functions use it instead of tz_offset_us */
    const struct sl__tz *tz;
    uint64_t bad_records;        /* malformed inputs met by kernels (from_json) */
    struct sl__badrec *keep_bad; /* when set, kernels copy those inputs here (borrowed) */
    bool failed;
};

/* Records a runtime error on the context (first one wins). */
void sl__ectx_fail(sl__ectx *ctx, sl_status code, const char *fmt, ...) SL_PRINTF(3, 4);

/* Constructors. Each takes ownership of the nodes passed in. */
sl__expr *sl__expr_const(sl__vec *cval);
sl__expr *sl__expr_const_null(const sl__type *t);
sl__expr *sl__expr_const_i64(const sl__type *t, int64_t v); /* integral, TIMESTAMP, DATE ... */
sl__expr *sl__expr_const_f64(double v);
sl__expr *sl__expr_const_bool(bool v);
sl__expr *sl__expr_const_str(const char *s, size_t n);
sl__expr *sl__expr_colref(uint32_t col, const sl__type *t);
sl__expr *sl__expr_call(const char *fname, const sl__type *t, sl__kernel k, sl__expr **args,
                        uint32_t n_args);
sl__expr *sl__expr_new(sl__expr_kind kind, const sl__type *t, sl__expr **args, uint32_t n_args);
/* Field `idx` of a STRUCT-typed expression. */
sl__expr *sl__expr_field(sl__expr *s, uint32_t idx);
/* Structural equality of two bound trees (same shape, columns, constants). */
bool sl__expr_equal(const sl__expr *a, const sl__expr *b);
void sl__expr_free(sl__expr *e);
/* Deep copy (state is re-prepared by sharing: states are immutable after bind). */
sl__expr *sl__expr_clone(const sl__expr *e);
bool sl__expr_is_const(const sl__expr *e);

/*
 * Evaluates e over the live rows of b. Returns the vector holding the
 * result (an input column, a constant, or e's scratch), valid until the
 * next evaluation of e or until b changes. On a runtime error ctx->failed is
 * set and the contents are unspecified.
 */
sl__vec *sl__expr_eval(sl__expr *e, sl__ectx *ctx, const sl__batch *b);
/* Same, restricted to the given rows of b. */
sl__vec *sl__expr_eval_rows(sl__expr *e, sl__ectx *ctx, const sl__batch *b, const sl__rows *rows);

/*
 * Evaluates a constant expression once and replaces it with an E_CONST node
 * (constant folding). Returns the new tree (e is consumed).
 */
sl__expr *sl__expr_fold(sl__expr *e, sl__ectx *ctx);

/*
 * Evaluates a BOOLEAN predicate over b's live rows and writes the rows where
 * it is TRUE (not FALSE, not NULL) into out_sel. Returns their count.
 */
uint32_t sl__expr_select(sl__expr *e, sl__ectx *ctx, const sl__batch *b, uint32_t *out_sel);

/* Short text of the expression for EXPLAIN. */
void sl__expr_print(const sl__expr *e, sl__buf *out);

#endif
