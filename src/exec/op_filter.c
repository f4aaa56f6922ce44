/*
 * op_filter.c — keeps the rows where a predicate is TRUE by narrowing the
 * batch's selection vector: no row is copied.
 */
#include "exec/op.h"

typedef struct filter_op {
    sl__expr *pred; /* owned */
    uint32_t sel[SL_VEC_SIZE];
} filter_op;

static sl__opres filter_exec(sl__op *op, sl__exec *ex, const sl__batch *in, sl__batch *out) {
    filter_op *f = op->impl;
    uint32_t n = sl__expr_select(f->pred, &ex->ectx, in, f->sel);
    *out = *in;
    out->sel = f->sel;
    out->count = n;
    return SL_OP_NEED_INPUT;
}

static void filter_destroy(sl__op *op) {
    filter_op *f = op->impl;
    sl__expr_free(f->pred);
    sl__free(f);
}

static void filter_explain(const sl__op *op, sl__buf *out) {
    const filter_op *f = op->impl;
    sl__buf_putc(out, ' ');
    sl__expr_print(f->pred, out);
}

static const sl__op_vt filter_vt = {
    "Filter", NULL, filter_exec, NULL, NULL, NULL, filter_destroy, filter_explain,
};

sl__op *sl__op_filter(sl__op *child, sl__expr *pred) {
    filter_op *f = sl__calloc(1, sizeof *f);
    f->pred = pred;
    sl__op *op = sl__op_new(&filter_vt, child->schema, f);
    op->child[0] = child;
    return op;
}
