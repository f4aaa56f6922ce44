/*
 * op_limit.c — LIMIT n [OFFSET m]: passes rows through a narrowed selection
 * until n rows have gone by, then reports FINISHED so the pipelines feeding
 * it stop reading.
 *
 * In a streaming query the count runs over the query's life (a limit on a
 * stream in append mode, §4.1), except above an aggregation that writes its
 * whole result every micro-batch (complete mode): there each batch's output
 * is a new result table, limited afresh.
 */
#include "exec/op.h"
#include "exec/ops.h"

typedef struct limit_op {
    int64_t limit, offset; /* limit < 0: none */
    int64_t seen;          /* rows seen so far (offset included) */
    uint32_t sel[SL_VEC_SIZE];
} limit_op;

static sl__opres limit_exec(sl__op *op, sl__exec *ex, const sl__batch *in, sl__batch *out) {
    limit_op *l = op->impl;
    /* LIMIT and OFFSET may each be near INT64_MAX: their sum must not overflow */
    int64_t end =
        l->limit < 0 || l->limit > INT64_MAX - l->offset ? INT64_MAX : l->offset + l->limit;
    if (l->seen >= end) return SL_OP_FINISHED;
    uint32_t n = 0;
    for (uint32_t i = 0; i < in->count && l->seen < end; i++, l->seen++)
        if (l->seen >= l->offset) l->sel[n++] = sl__batch_row(in, i);
    *out = *in;
    out->sel = l->sel;
    out->count = n;
    return l->seen >= end ? SL_OP_FINISHED : SL_OP_NEED_INPUT;
}

/* True when the subtree holds a streaming aggregation in complete mode. */
static bool emits_whole_result(const sl__op *op) {
    if (!op) return false;
    if (sl__op_is_agg(op) && sl__op_agg_stream_emit(op) == SL__AGG_EMIT_ALL) return true;
    for (uint32_t i = 0; i < op->n_inputs; i++)
        if (emits_whole_result(op->inputs[i])) return true;
    return emits_whole_result(op->child[0]) || emits_whole_result(op->child[1]);
}

static void limit_rewind(sl__op *op, sl__exec *ex) {
    (void)ex;
    /* a streaming LIMIT counts over the whole query (§4.1), unless the rows
     * it limits are a whole new result table each batch (complete mode) */
    if (emits_whole_result(op->child[0])) ((limit_op *)op->impl)->seen = 0;
}

static void limit_destroy(sl__op *op) {
    sl__free(op->impl);
}

static void limit_explain(const sl__op *op, sl__buf *out) {
    const limit_op *l = op->impl;
    sl__buf_printf(out, " %lld", (long long)l->limit);
    if (l->offset) sl__buf_printf(out, " OFFSET %lld", (long long)l->offset);
}

static const sl__op_vt limit_vt = {
    "Limit", NULL, limit_exec, NULL, NULL, limit_rewind, limit_destroy, limit_explain,
};

sl__op *sl__op_limit(sl__op *child, int64_t limit, int64_t offset) {
    limit_op *l = sl__calloc(1, sizeof *l);
    l->limit = limit;
    l->offset = offset;
    sl__op *op = sl__op_new(&limit_vt, child->schema, l);
    op->child[0] = child;
    return op;
}
