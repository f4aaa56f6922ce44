/*
 * op_setop.c — EXCEPT and INTERSECT, DISTINCT or ALL, with NULLs comparing
 * equal (set semantics). The right side is counted into a key table (the
 * build); left rows then stream through and are kept by narrowing the
 * selection vector: no copies.
 */
#include "exec/hashtab.h"
#include "exec/ops.h"

typedef struct setop_op {
    sl__setop kind;
    bool all;
    uint32_t nc;
    sl__keytab right; /* distinct right rows */
    int64_t *count;   /* per right id: occurrences left to consume (ALL) */
    uint32_t cap;
    sl__keytab seen; /* left rows already emitted (DISTINCT) */
    uint64_t hashes[SL_VEC_SIZE];
    uint32_t sel[SL_VEC_SIZE];
} setop_op;

static void setop_sink(sl__op *op, sl__exec *ex, const sl__batch *in) {
    setop_op *s = op->impl;
    sl__rows rows = {in->sel, in->count};
    sl__keytab_hash(in->cols, s->nc, &rows, s->hashes);
    for (uint32_t i = 0; i < in->count; i++) {
        bool ins;
        uint32_t id =
            sl__keytab_insert(&s->right, in->cols, sl__batch_row(in, i), s->hashes[i], &ins);
        if (id >= s->cap) {
            s->cap = s->cap ? s->cap * 2 : 256;
            while (s->cap <= id) s->cap *= 2;
            s->count = sl__realloc(s->count, sizeof *s->count * s->cap);
        }
        if (ins) s->count[id] = 0;
        s->count[id]++;
    }
}

static void setop_finalize(sl__op *op, sl__exec *ex) {
    (void)op;
    (void)ex;
}

static sl__opres setop_exec(sl__op *op, sl__exec *ex, const sl__batch *in, sl__batch *out) {
    setop_op *s = op->impl;
    sl__rows rows = {in->sel, in->count};
    sl__keytab_hash(in->cols, s->nc, &rows, s->hashes);
    uint32_t n = 0;
    for (uint32_t i = 0; i < in->count; i++) {
        uint32_t r = sl__batch_row(in, i);
        uint32_t id = sl__keytab_find(&s->right, in->cols, r, s->hashes[i]);
        bool in_right = id != UINT32_MAX && s->count[id] > 0;
        bool keep;
        if (s->all) {
            if (s->kind == SET_INTERSECT)
                keep = in_right;
            else
                keep = !in_right;
            if (in_right) s->count[id]--;
        } else {
            keep = (s->kind == SET_INTERSECT) == (id != UINT32_MAX);
            if (keep) {
                bool ins;
                sl__keytab_insert(&s->seen, in->cols, r, s->hashes[i], &ins);
                keep = ins;
            }
        }
        if (keep) s->sel[n++] = r;
    }
    *out = *in;
    out->sel = s->sel;
    out->count = n;
    return SL_OP_NEED_INPUT;
}

static void setop_destroy(sl__op *op) {
    setop_op *s = op->impl;
    sl__keytab_free(&s->right);
    sl__keytab_free(&s->seen);
    sl__free(s->count);
    sl__free(s);
}

static const sl__op_vt setop_vt = {
    "SetOperation", NULL, setop_exec, setop_sink, setop_finalize, NULL, setop_destroy, NULL,
};

sl__op *sl__op_setop(sl__op *left, sl__op *right, sl__setop kind, bool all) {
    setop_op *s = sl__calloc(1, sizeof *s);
    s->kind = kind;
    s->all = all;
    s->nc = left->schema->n_fields;
    sl__keytab_init(&s->right, s->nc, left->schema->fields);
    sl__keytab_init(&s->seen, s->nc, left->schema->fields);
    sl__op *op = sl__op_new(&setop_vt, left->schema, s);
    op->child[0] = left;
    op->child[1] = right;
    return op;
}
