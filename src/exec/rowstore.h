/*
 * rowstore.h — rows kept by an operator beyond the batch they came in
 * (sort input, join build side, explode output): a growing list of owned
 * chunks, addressed by a global row number (chunk = n / SL_VEC_SIZE).
 * Appending deep-copies the values, so the input batch may go away.
 */
#ifndef SL_ROWSTORE_H
#define SL_ROWSTORE_H

#include "batch/batch.h"

typedef struct sl__rowstore {
    const sl__type *schema;
    sl__chunk *chunks; /* owned */
    uint32_t n_chunks, cap;
    uint64_t n; /* rows */
} sl__rowstore;

void sl__rowstore_init(sl__rowstore *s, const sl__type *schema);
void sl__rowstore_free(sl__rowstore *s);
/* Appends physical row r of the given columns (one per schema field). */
void sl__rowstore_append(sl__rowstore *s, sl__vec *const *cols, uint32_t r);
/* The chunk and row of global row g. */
static inline sl__chunk *sl__rowstore_at(const sl__rowstore *s, uint64_t g, uint32_t *row) {
    *row = (uint32_t)(g % SL_VEC_SIZE);
    return &s->chunks[g / SL_VEC_SIZE];
}
/* Bytes held. */
size_t sl__rowstore_memory(const sl__rowstore *s);

#endif
