/*
 * binder_int.h — what the binder's files share: the scope of visible
 * columns, the per-statement context, and the aggregate-collection state.
 * Private to src/sql/bind_*.c.
 */
#ifndef SL_BINDER_INT_H
#define SL_BINDER_INT_H

#include "sql/binder.h"

/* A column visible to expressions: where it comes from and its position in
 * the input of the node being bound. */
typedef struct bcol {
    const char *qual; /* table name or alias; NULL when none */
    const char *name;
    const sl__type *type;
    bool hidden; /* reachable by qualified name only (USING join originals) */
} bcol;

typedef struct scope {
    bcol *cols; /* arena */
    uint32_t n;
} scope;

/* Marker bit on E_COLREF.col for references to aggregate results while a
 * post-aggregation expression is being bound. */
#define AGG_MARK 0x40000000u
/* Marker for the hidden grouping-id column. */
#define GID_MARK 0x20000000u

typedef struct agg_entry {
    sl__agg_call call;
    const sl__ast *ast;
} agg_entry;

/* Collects aggregate calls while the SELECT list, HAVING and ORDER BY of an
 * aggregate query are bound. */
typedef struct aggstate {
    sl__expr **keys; /* bound group keys (input scope) */
    uint32_t nk;
    agg_entry *aggs;
    uint32_t na, cap;
    bool uses_gid;
    const scope *input; /* the scope the keys and aggregate arguments see */
} aggstate;

typedef struct cte_def {
    const char *name;
    const sl__query *q;
    struct cte_def *next;
} cte_def;

typedef struct bctx {
    const sl__bind_env *env;
    const char *src;
    sl__err *err;
    sl__arena *a;
    cte_def *ctes;
    int depth;
    aggstate *agg;   /* non-NULL while binding aggregate-query items */
    bool allow_agg;  /* aggregates allowed at this point */
    bool in_agg_arg; /* inside an aggregate's argument (no nesting) */
    /* the select-list generator (explode) being bound: its output columns */
    const sl__ast *gen_ast;
    uint32_t gen_col; /* first generated column in the scope */
    /* the query block's event-time window, materialised as column win_col of
     * a P_WINDOW node: window(...) calls bound over scope win_sc that equal
     * win_expr (owned by that node) become references to the column */
    const scope *win_sc;
    const sl__expr *win_expr;
    uint32_t win_col;
    bool win_binding; /* binding the window calls themselves: keep them calls */
} bctx;

/* ---- bind_expr.c ---- */
sl__expr *sl__bind_expr(bctx *b, const sl__ast *e, const scope *sc);
/* Resolves a column path to an expression (column ref + field accesses). */
sl__expr *sl__bind_column(bctx *b, const sl__ast *e, const scope *sc, const char **name_out);
/* Casts for boolean contexts (WHERE, HAVING, ON). */
sl__expr *sl__bind_predicate(bctx *b, const sl__ast *e, const scope *sc);
/* Is this AST (transitively) an aggregate call? */
bool sl__ast_has_agg(const sl__ast *e);
bool sl__ast_is_generator(const sl__ast *e);
/* Rewrites a bound post-aggregation expression onto the aggregate's output. */
sl__expr *sl__agg_rewrite(bctx *b, sl__expr *e, const sl__ast *ast);
sl__expr *sl__fold(bctx *b, sl__expr *e);
sl__expr *sl__call(bctx *b, const char *fname, uint32_t pos, sl__expr **args, uint32_t n);

/* ---- bind_query.c ---- */
sl__plan *sl__bind_query_int(bctx *b, const sl__query *q, scope *out_scope);

#endif
