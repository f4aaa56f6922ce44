/*
 * op_values.c — a source over rows already in memory: VALUES lists, the
 * single empty row of a SELECT without FROM, and in-memory tables' chunks
 * (borrowed). Hands out one chunk per get_data call.
 */
#include "exec/op.h"

typedef struct values_op {
    sl__chunk *chunks; /* owned */
    uint32_t n_chunks;
    uint32_t next;
} values_op;

static bool values_get(sl__op *op, sl__exec *ex, sl__batch *out) {
    values_op *v = op->impl;
    while (v->next < v->n_chunks) {
        sl__chunk *c = &v->chunks[v->next++];
        if (!c->n) continue;
        *out = sl__chunk_batch(c);
        return true;
    }
    return false;
}

static void values_rewind(sl__op *op, sl__exec *ex) {
    ((values_op *)op->impl)->next = 0;
}

static void values_destroy(sl__op *op) {
    values_op *v = op->impl;
    for (uint32_t i = 0; i < v->n_chunks; i++) sl__chunk_free(&v->chunks[i]);
    sl__free(v->chunks);
    sl__free(v);
}

static void values_explain(const sl__op *op, sl__buf *out) {
    const values_op *v = op->impl;
    uint64_t rows = 0;
    for (uint32_t i = 0; i < v->n_chunks; i++) rows += v->chunks[i].n;
    sl__buf_printf(out, " rows=%llu", (unsigned long long)rows);
}

static const sl__op_vt values_vt = {
    "LocalTableScan", values_get, NULL, NULL, NULL, values_rewind, values_destroy, values_explain,
};

sl__op *sl__op_values(const sl__type *schema, sl__chunk *rows, uint32_t n_chunks) {
    values_op *v = sl__calloc(1, sizeof *v);
    v->chunks = rows;
    v->n_chunks = n_chunks;
    return sl__op_new(&values_vt, schema, v);
}
