/*
 * op_collect.c — a sink that copies every row it receives into chunks it
 * owns: how a batch query's result, a memory table or a static table is
 * materialised. Values are deep-copied (strings into the chunk's vectors'
 * heaps), so the rows outlive the batches they came from.
 */
#include "exec/op.h"

typedef struct collect_op {
    sl__chunk *chunks; /* owned */
    uint32_t n_chunks, cap;
    uint64_t rows;
} collect_op;

static sl__chunk *tail(sl__op *op, collect_op *c) {
    if (c->n_chunks && c->chunks[c->n_chunks - 1].n < SL_VEC_SIZE)
        return &c->chunks[c->n_chunks - 1];
    if (c->n_chunks == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 4;
        c->chunks = sl__realloc(c->chunks, sizeof *c->chunks * c->cap);
    }
    sl__chunk *ch = &c->chunks[c->n_chunks++];
    sl__chunk_init(ch, op->schema, SL_VEC_SIZE);
    return ch;
}

static void collect_sink(sl__op *op, sl__exec *ex, const sl__batch *in) {
    collect_op *c = op->impl;
    for (uint32_t i = 0; i < in->count; i++) {
        sl__chunk *ch = tail(op, c);
        uint32_t r = sl__batch_row(in, i);
        for (uint32_t k = 0; k < ch->n_cols; k++)
            sl__vec_copy_value(ch->cols[k], ch->n, in->cols[k], r);
        ch->n++;
    }
    c->rows += in->count;
}

static void collect_finalize(sl__op *op, sl__exec *ex) {
    (void)op;
    (void)ex;
}

static void collect_destroy(sl__op *op) {
    collect_op *c = op->impl;
    for (uint32_t i = 0; i < c->n_chunks; i++) sl__chunk_free(&c->chunks[i]);
    sl__free(c->chunks);
    sl__free(c);
}

static const sl__op_vt collect_vt = {
    "Collect", NULL, NULL, collect_sink, collect_finalize, NULL, collect_destroy, NULL,
};

sl__op *sl__op_collect(const sl__type *schema) {
    return sl__op_new(&collect_vt, schema, sl__calloc(1, sizeof(collect_op)));
}

sl__chunk *sl__op_collect_take(sl__op *op, uint32_t *n_chunks, uint64_t *n_rows) {
    collect_op *c = op->impl;
    sl__chunk *ch = c->chunks;
    *n_chunks = c->n_chunks;
    *n_rows = c->rows;
    c->chunks = NULL;
    c->n_chunks = c->cap = 0;
    c->rows = 0;
    return ch;
}
