/*
 * op_project.c — computes the output columns of a SELECT list. Column
 * references and constants pass through as the input's (or the constant's)
 * vectors; computed columns come from the expressions' own vectors. The
 * selection vector of the input is kept, so a filter below a projection
 * never forces a copy.
 */
#include "exec/op.h"

typedef struct project_op {
    sl__expr **exprs; /* owned */
    uint32_t n;
    sl__vec **cols; /* n output column pointers (borrowed each batch) */
} project_op;

static sl__opres project_exec(sl__op *op, sl__exec *ex, const sl__batch *in, sl__batch *out) {
    project_op *p = op->impl;
    for (uint32_t i = 0; i < p->n; i++) {
        p->cols[i] = sl__expr_eval(p->exprs[i], &ex->ectx, in);
        if (ex->ectx.failed) return SL_OP_NEED_INPUT;
    }
    out->n_cols = p->n;
    out->cols = p->cols;
    out->n = in->n;
    out->sel = in->sel;
    out->count = in->count;
    return SL_OP_NEED_INPUT;
}

static void project_destroy(sl__op *op) {
    project_op *p = op->impl;
    for (uint32_t i = 0; i < p->n; i++) sl__expr_free(p->exprs[i]);
    sl__free(p->exprs);
    sl__free(p->cols);
    sl__free(p);
}

static void project_explain(const sl__op *op, sl__buf *out) {
    const project_op *p = op->impl;
    sl__buf_puts(out, " [");
    for (uint32_t i = 0; i < p->n; i++) {
        if (i) sl__buf_puts(out, ", ");
        sl__expr_print(p->exprs[i], out);
        sl__buf_printf(out, " AS %s", op->schema->names[i]);
    }
    sl__buf_putc(out, ']');
}

static const sl__op_vt project_vt = {
    "Project", NULL, project_exec, NULL, NULL, NULL, project_destroy, project_explain,
};

sl__op *sl__op_project(sl__op *child, const sl__type *schema, sl__expr **exprs, uint32_t n) {
    project_op *p = sl__calloc(1, sizeof *p);
    p->exprs = exprs;
    p->n = n;
    p->cols = sl__calloc(n ? n : 1, sizeof *p->cols);
    sl__op *op = sl__op_new(&project_vt, schema, p);
    op->child[0] = child;
    return op;
}
