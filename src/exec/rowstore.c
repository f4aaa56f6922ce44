/*
 * rowstore.c — owned row storage for operators (rowstore.h).
 */
#include "exec/rowstore.h"

void sl__rowstore_init(sl__rowstore *s, const sl__type *schema) {
    memset(s, 0, sizeof *s);
    s->schema = schema;
}

void sl__rowstore_free(sl__rowstore *s) {
    for (uint32_t i = 0; i < s->n_chunks; i++) sl__chunk_free(&s->chunks[i]);
    sl__free(s->chunks);
    memset(s, 0, sizeof *s);
}

void sl__rowstore_append(sl__rowstore *s, sl__vec *const *cols, uint32_t r) {
    uint32_t ci = (uint32_t)(s->n / SL_VEC_SIZE);
    if (ci == s->n_chunks) {
        if (s->n_chunks == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 4;
            s->chunks = sl__realloc(s->chunks, sizeof *s->chunks * s->cap);
        }
        sl__chunk_init(&s->chunks[s->n_chunks++], s->schema, SL_VEC_SIZE);
    }
    sl__chunk *c = &s->chunks[ci];
    for (uint32_t k = 0; k < c->n_cols; k++) sl__vec_copy_value(c->cols[k], c->n, cols[k], r);
    c->n++;
    s->n++;
}

size_t sl__rowstore_memory(const sl__rowstore *s) {
    size_t m = 0;
    for (uint32_t i = 0; i < s->n_chunks; i++)
        for (uint32_t k = 0; k < s->chunks[i].n_cols; k++)
            m += sl__vec_memory(s->chunks[i].cols[k]);
    return m;
}
