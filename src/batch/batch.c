/*
 * batch.c — chunks: the owned vectors behind a batch (batch.h).
 */
#include "batch/batch.h"

void sl__chunk_init(sl__chunk *c, const sl__type *schema, uint32_t cap) {
    c->schema = schema;
    c->n_cols = schema->n_fields;
    c->cols = sl__calloc(c->n_cols ? c->n_cols : 1, sizeof *c->cols);
    for (uint32_t i = 0; i < c->n_cols; i++) c->cols[i] = sl__vec_new(schema->fields[i], cap);
    c->n = 0;
}

void sl__chunk_free(sl__chunk *c) {
    for (uint32_t i = 0; i < c->n_cols; i++) sl__vec_free(c->cols[i]);
    sl__free(c->cols);
    c->cols = NULL;
    c->n_cols = 0;
    c->n = 0;
}

void sl__chunk_reset(sl__chunk *c) {
    for (uint32_t i = 0; i < c->n_cols; i++) sl__vec_reset(c->cols[i]);
    c->n = 0;
}

sl__batch sl__chunk_batch(sl__chunk *c) {
    sl__batch b = {c->n_cols, c->cols, c->n, NULL, c->n};
    return b;
}
