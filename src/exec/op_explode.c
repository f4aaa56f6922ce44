/*
 * op_explode.c — explode / explode_outer / posexplode: one output row per
 * element of an array, the input row's columns repeated (R150). A NULL or
 * empty array gives no row, or, for the _outer forms, one row with a NULL
 * element. One input batch may produce many output batches: the operator
 * resumes at (row, element).
 */
#include "exec/ops.h"

typedef struct explode_op {
    sl__expr *array; /* owned */
    bool outer, with_pos;
    uint32_t n_in;
    sl__chunk out;
    sl__vec *arr;  /* evaluated array of the current input batch */
    uint32_t i, e; /* resume position: live row index, element index */
    bool started;
} explode_op;

static sl__opres explode_exec(sl__op *op, sl__exec *ex, const sl__batch *in, sl__batch *outb) {
    explode_op *x = op->impl;
    if (!x->started) {
        x->arr = sl__expr_eval(x->array, &ex->ectx, in);
        if (ex->ectx.failed) return SL_OP_NEED_INPUT;
        x->started = true;
        x->i = x->e = 0;
    }
    sl__chunk_reset(&x->out);
    sl__chunk *o = &x->out;
    uint32_t ecol = x->n_in + (x->with_pos ? 1 : 0);
    while (x->i < in->count && o->n < SL_VEC_SIZE) {
        uint32_t r = sl__batch_row(in, x->i);
        uint32_t k = sl__vec_idx(x->arr, r);
        sl__list l = {0, 0};
        bool valid = sl__vec_valid(x->arr, k);
        if (valid) l = SL_VEC_DATA(x->arr, sl__list)[k];
        if (l.len == 0) {
            if (x->outer) {
                for (uint32_t c = 0; c < x->n_in; c++)
                    sl__vec_copy_value(o->cols[c], o->n, in->cols[c], r);
                if (x->with_pos) sl__vec_set_null(o->cols[x->n_in], o->n);
                sl__vec_set_null(o->cols[ecol], o->n);
                o->n++;
            }
            x->i++;
            x->e = 0;
            continue;
        }
        while (x->e < l.len && o->n < SL_VEC_SIZE) {
            for (uint32_t c = 0; c < x->n_in; c++)
                sl__vec_copy_value(o->cols[c], o->n, in->cols[c], r);
            if (x->with_pos) {
                sl__vec_set_valid(o->cols[x->n_in], o->n);
                SL_VEC_DATA(o->cols[x->n_in], int32_t)[o->n] = (int32_t)x->e;
            }
            sl__vec_copy_value(o->cols[ecol], o->n, x->arr->child[0], l.off + x->e);
            o->n++;
            x->e++;
        }
        if (x->e >= l.len) {
            x->i++;
            x->e = 0;
        }
    }
    *outb = sl__chunk_batch(o);
    if (x->i < in->count) return SL_OP_HAVE_MORE_OUTPUT;
    x->started = false;
    return SL_OP_NEED_INPUT;
}

static void explode_destroy(sl__op *op) {
    explode_op *x = op->impl;
    sl__expr_free(x->array);
    sl__chunk_free(&x->out);
    sl__free(x);
}

static void explode_explain(const sl__op *op, sl__buf *out) {
    const explode_op *x = op->impl;
    sl__buf_printf(out, " %s%s(", x->with_pos ? "posexplode" : "explode", x->outer ? "_outer" : "");
    sl__expr_print(x->array, out);
    sl__buf_putc(out, ')');
}

static const sl__op_vt explode_vt = {
    "Generate", NULL, explode_exec, NULL, NULL, NULL, explode_destroy, explode_explain,
};

sl__op *sl__op_explode(sl__op *child, const sl__type *schema, sl__expr *array, bool outer,
                       bool with_pos) {
    explode_op *x = sl__calloc(1, sizeof *x);
    x->array = array;
    x->outer = outer;
    x->with_pos = with_pos;
    x->n_in = child->schema->n_fields;
    sl__chunk_init(&x->out, schema, SL_VEC_SIZE);
    sl__op *op = sl__op_new(&explode_vt, schema, x);
    op->child[0] = child;
    return op;
}
