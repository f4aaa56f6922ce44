/*
 * op_expand.c — the rows of a sliding event-time window: each input row
 * once per window [s, s + W) that contains its time, with the window as an
 * extra last column (Spark's Expand + Filter of TimeWindowing, R100, R101).
 * The candidates are the ceil(W/S) windows starting at lastStart − i·S
 * (lastStart the latest start <= t, R99); those not containing t are
 * dropped, and a row whose time is NULL has none (R102).
 *
 * Two output orders:
 *  - row order (keep_order): each row followed by its windows, latest first,
 *    as Spark's Expand emits them; the input columns are copied (gathered
 *    column by column). For queries whose output order shows.
 *  - candidate order: candidate i of every row of the batch at once. The
 *    output borrows the input's vectors with a selection vector of the rows
 *    whose candidate i is valid, and adds the window vector: no row is
 *    copied. An aggregate above does not see the order (the planner uses
 *    this mode under aggregates that are not order-dependent).
 */
#include "exec/ops.h"
#include "func/window.h"

typedef struct expand_op {
    sl__expr *time; /* owned: TIMESTAMP */
    int64_t size, slide, start;
    uint32_t k; /* candidates per row */
    bool keep_order;
    uint32_t n_in;
    /* candidate order: borrowed input columns + wvec, selection sel */
    sl__vec *wvec;
    sl__vec **cols;
    uint32_t *sel;
    uint32_t sel_cap;
    /* row order */
    sl__chunk out;
    uint32_t *src; /* input row of each output row */
    /* progress over the current input batch */
    sl__vec *t;
    uint32_t i, cand;
    bool started;
} expand_op;

/* Window `cand` of time tv: false when it does not contain tv. */
static inline bool candidate(const expand_op *x, int64_t tv, uint32_t cand, int64_t *ws,
                             int64_t *we) {
    int64_t s = sl__wsub(sl__win_last_start(tv, x->slide, x->start), (int64_t)cand * x->slide);
    int64_t e = sl__wadd(s, x->size);
    *ws = s;
    *we = e;
    return s <= tv && tv < e;
}

static sl__opres expand_any_order(expand_op *x, const sl__batch *in, sl__batch *outb) {
    if (in->n > x->wvec->cap) sl__vec_reserve(x->wvec, in->n);
    if (in->n > x->sel_cap) {
        x->sel = sl__realloc(x->sel, sizeof *x->sel * in->n);
        x->sel_cap = in->n;
    }
    int64_t *ps = SL_VEC_DATA(x->wvec->child[0], int64_t);
    int64_t *pe = SL_VEC_DATA(x->wvec->child[1], int64_t);
    const sl__vec *t = x->t;
    const int64_t *tv = SL_VEC_DATA(t, int64_t);
    while (x->cand < x->k) {
        uint32_t c = x->cand++, n = 0;
        for (uint32_t i = 0; i < in->count; i++) {
            uint32_t r = sl__batch_row(in, i);
            uint32_t k = sl__vec_idx(t, r);
            if (!sl__vec_valid(t, k)) continue;
            int64_t s, e;
            if (!candidate(x, tv[k], c, &s, &e)) continue;
            ps[r] = s;
            pe[r] = e;
            x->sel[n++] = r;
        }
        if (!n) continue;
        for (uint32_t c2 = 0; c2 < x->n_in; c2++) x->cols[c2] = in->cols[c2];
        x->cols[x->n_in] = x->wvec;
        outb->n_cols = x->n_in + 1;
        outb->cols = x->cols;
        outb->n = in->n;
        outb->sel = x->sel;
        outb->count = n;
        if (x->cand < x->k) return SL_OP_HAVE_MORE_OUTPUT;
        break;
    }
    x->started = false;
    return SL_OP_NEED_INPUT;
}

static sl__opres expand_row_order(expand_op *x, const sl__batch *in, sl__batch *outb) {
    sl__chunk *o = &x->out;
    sl__chunk_reset(o);
    sl__vec *wv = o->cols[x->n_in];
    int64_t *ps = SL_VEC_DATA(wv->child[0], int64_t);
    int64_t *pe = SL_VEC_DATA(wv->child[1], int64_t);
    const sl__vec *t = x->t;
    const int64_t *tv = SL_VEC_DATA(t, int64_t);
    uint32_t m = 0;
    while (x->i < in->count && m < SL_VEC_SIZE) {
        uint32_t r = sl__batch_row(in, x->i);
        uint32_t k = sl__vec_idx(t, r);
        if (sl__vec_valid(t, k)) {
            while (x->cand < x->k && m < SL_VEC_SIZE) {
                int64_t s, e;
                if (candidate(x, tv[k], x->cand++, &s, &e)) {
                    x->src[m] = r;
                    ps[m] = s;
                    pe[m] = e;
                    m++;
                }
            }
            if (x->cand < x->k) break; /* the output is full: resume this row */
        }
        x->i++;
        x->cand = 0;
    }
    for (uint32_t c = 0; c < x->n_in; c++) {
        sl__vec *dst = o->cols[c];
        const sl__vec *sv = in->cols[c];
        for (uint32_t j = 0; j < m; j++) sl__vec_copy_value(dst, j, sv, x->src[j]);
    }
    o->n = m;
    *outb = sl__chunk_batch(o);
    if (x->i < in->count) return SL_OP_HAVE_MORE_OUTPUT;
    x->started = false;
    return SL_OP_NEED_INPUT;
}

static sl__opres expand_exec(sl__op *op, sl__exec *ex, const sl__batch *in, sl__batch *outb) {
    expand_op *x = op->impl;
    if (!x->started) {
        x->t = sl__expr_eval(x->time, &ex->ectx, in);
        if (ex->ectx.failed) return SL_OP_NEED_INPUT;
        x->started = true;
        x->i = x->cand = 0;
    }
    return x->keep_order ? expand_row_order(x, in, outb) : expand_any_order(x, in, outb);
}

static void expand_destroy(sl__op *op) {
    expand_op *x = op->impl;
    sl__expr_free(x->time);
    sl__vec_free(x->wvec);
    sl__free(x->cols);
    sl__free(x->sel);
    sl__free(x->src);
    if (x->keep_order) sl__chunk_free(&x->out);
    sl__free(x);
}

static void expand_explain(const sl__op *op, sl__buf *out) {
    const expand_op *x = op->impl;
    sl__buf_puts(out, " window(");
    sl__expr_print(x->time, out);
    sl__buf_printf(out, ", size=%lldus, slide=%lldus, start=%lldus) %u per row%s",
                   (long long)x->size, (long long)x->slide, (long long)x->start, x->k,
                   x->keep_order ? "" : ", any order");
}

static const sl__op_vt expand_vt = {
    "Expand", NULL, expand_exec, NULL, NULL, NULL, expand_destroy, expand_explain,
};

sl__op *sl__op_window_expand(sl__op *child, const sl__type *schema, sl__expr *time, int64_t size,
                             int64_t slide, int64_t start, bool keep_order) {
    expand_op *x = sl__calloc(1, sizeof *x);
    x->time = time;
    x->size = size;
    x->slide = slide;
    x->start = start;
    sl__win_spec ws = {SL__WIN_TIME, size, slide, start};
    x->k = sl__win_overlap(&ws);
    x->keep_order = keep_order;
    x->n_in = child->schema->n_fields;
    if (keep_order) {
        sl__chunk_init(&x->out, schema, SL_VEC_SIZE);
        x->src = sl__malloc(sizeof *x->src * SL_VEC_SIZE);
    } else {
        x->wvec = sl__vec_new(schema->fields[x->n_in], SL_VEC_SIZE);
        x->cols = sl__calloc(x->n_in + 1, sizeof *x->cols);
        x->sel = sl__malloc(sizeof *x->sel * SL_VEC_SIZE);
        x->sel_cap = SL_VEC_SIZE;
    }
    sl__op *op = sl__op_new(&expand_vt, schema, x);
    op->child[0] = child;
    return op;
}
