/*
 * op_watermark.c — the event-time watermark of a stream (WATERMARK ts DELAY
 * OF ..., Spark's withWatermark / EventTimeWatermarkExec). It passes every
 * row through unchanged and observes the event-time column: the largest
 * event time seen so far (late rows included, R109) and the min, max, sum
 * and count of this micro-batch for the progress record's eventTime
 * (R115). The query turns the maxima of all watermark operators into the
 * global watermark after each batch (R109-R111); the operator itself never
 * drops a row (stateless queries keep late rows, R113).
 */
#include "exec/ops.h"

typedef struct wm_op {
    uint32_t col;
    int64_t delay_us;
    sl__op_wm_stats st;
} wm_op;

static sl__opres wm_exec(sl__op *op, sl__exec *ex, const sl__batch *in, sl__batch *out) {
    (void)ex;
    wm_op *w = op->impl;
    const sl__vec *v = in->cols[w->col];
    const int64_t *t = SL_VEC_DATA(v, int64_t);
    sl__op_wm_stats *s = &w->st;
    for (uint32_t i = 0; i < in->count; i++) {
        uint32_t r = sl__vec_idx(v, sl__batch_row(in, i));
        if (!sl__vec_valid(v, r)) continue;
        int64_t x = t[r];
        if (s->batch_rows == 0 || x < s->batch_min) s->batch_min = x;
        if (s->batch_rows == 0 || x > s->batch_max) s->batch_max = x;
        s->batch_sum += (double)x;
        s->batch_rows++;
    }
    if (s->batch_rows && (!s->seen || s->batch_max > s->max_seen)) {
        s->max_seen = s->batch_max;
        s->seen = true;
    }
    *out = *in;
    return SL_OP_NEED_INPUT;
}

void sl__op_watermark_reset_batch(sl__op *op) {
    wm_op *w = op->impl;
    /* the batch figures start again; the maximum seen stays */
    w->st.batch_rows = 0;
    w->st.batch_sum = 0;
    w->st.batch_min = w->st.batch_max = 0;
}

static void wm_rewind(sl__op *op, sl__exec *ex) {
    (void)ex;
    sl__op_watermark_reset_batch(op);
}

static void wm_destroy(sl__op *op) {
    sl__free(op->impl);
}

static void wm_explain(const sl__op *op, sl__buf *out) {
    const wm_op *w = op->impl;
    sl__buf_printf(out, " #%u delay=%lldus", w->col, (long long)w->delay_us);
}

static const sl__op_vt wm_vt = {
    "EventTimeWatermark", NULL, wm_exec, NULL, NULL, wm_rewind, wm_destroy, wm_explain,
};

sl__op *sl__op_watermark(sl__op *child, uint32_t col, int64_t delay_us) {
    wm_op *w = sl__calloc(1, sizeof *w);
    w->col = col;
    w->delay_us = delay_us;
    w->st.delay_us = delay_us;
    sl__op *op = sl__op_new(&wm_vt, child->schema, w);
    op->child[0] = child;
    return op;
}

const sl__op_wm_stats *sl__op_watermark_stats(const sl__op *op) {
    return op->vt == &wm_vt ? &((const wm_op *)op->impl)->st : NULL;
}
