/*
 * batch.h — a batch of rows flowing through a pipeline: up to SL_VEC_SIZE
 * physical rows in column vectors, and an optional selection vector naming
 * the live rows. A filter narrows the selection instead of copying rows; a
 * projection adds computed vectors next to borrowed ones. Every consumer
 * visits rows as `for (i < count) row = sel ? sel[i] : i`.
 *
 * Ownership: a batch is a view. The operator that produced it owns the
 * vectors and the selection array, and they stay valid until that operator
 * is asked for its next batch. A consumer that keeps data copies it.
 */
#ifndef SL_BATCH_H
#define SL_BATCH_H

#include "batch/vector.h"

typedef struct sl__batch {
    uint32_t n_cols;
    sl__vec **cols;      /* borrowed from the producer */
    uint32_t n;          /* physical rows in the vectors */
    const uint32_t *sel; /* NULL: rows 0..n-1 are live; else `count` live rows */
    uint32_t count;      /* live rows */
} sl__batch;

static inline uint32_t sl__batch_row(const sl__batch *b, uint32_t i) {
    return b->sel ? b->sel[i] : i;
}

/*
 * An owned set of vectors for one schema, to fill and hand out as a batch:
 * what operators use for their output.
 */
typedef struct sl__chunk {
    const sl__type *schema; /* STRUCT whose fields are the columns */
    uint32_t n_cols;
    sl__vec **cols; /* owned */
    uint32_t n;     /* rows filled */
} sl__chunk;

void sl__chunk_init(sl__chunk *c, const sl__type *schema, uint32_t cap);
void sl__chunk_free(sl__chunk *c);
/* Empties the chunk for refilling (vectors reset, n = 0). */
void sl__chunk_reset(sl__chunk *c);
/* A dense batch view of the chunk's rows. */
sl__batch sl__chunk_batch(sl__chunk *c);

#endif
