/*
 * op_union.c — UNION ALL: a node whose inputs the pipeline runner pushes, in
 * turn, into the same chain of operators above it (pipeline.c). It has no
 * role of its own at run time; UNION (distinct) adds an aggregate above it.
 */
#include "exec/op.h"

static const sl__op_vt union_vt = {"Union", NULL, NULL, NULL, NULL, NULL, NULL, NULL};

sl__op *sl__op_union(const sl__type *schema, sl__op **inputs, uint32_t n) {
    sl__op *op = sl__op_new(&union_vt, schema, NULL);
    op->inputs = inputs;
    op->n_inputs = n;
    return op;
}
