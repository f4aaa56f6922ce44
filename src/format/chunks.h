/*
 * chunks.h — what the file readers produce: a growable list of sl__chunk
 * (SL_VEC_SIZE rows each) for one schema, and the parse modes of Spark's
 * readers (PERMISSIVE, DROPMALFORMED, FAILFAST). Tables backed by files
 * hand the list to sl__tabdata_new; the streaming file source takes the
 * chunks of each new file as its batches. Implemented in files.c.
 */
#ifndef SL_FORMAT_CHUNKS_H
#define SL_FORMAT_CHUNKS_H

#include "batch/batch.h"

typedef enum sl__parse_mode {
    SL_MODE_PERMISSIVE,    /* bad fields NULL, the row kept and counted */
    SL_MODE_DROPMALFORMED, /* rows with a bad field dropped (and counted) */
    SL_MODE_FAILFAST       /* the first bad row is an error */
} sl__parse_mode;

/* Parses "PERMISSIVE" / "DROPMALFORMED" / "FAILFAST" (any case). */
bool sl__parse_mode_from(const char *s, sl__parse_mode *out);

typedef struct sl__chunks {
    const sl__type *schema;
    sl__chunk *v; /* owned: n chunks, every one full except maybe the last */
    uint32_t n, cap;
    uint64_t rows; /* total rows over all chunks */
} sl__chunks;

void sl__chunks_init(sl__chunks *c, const sl__type *schema);
/* Frees every chunk (unless ownership was taken with sl__chunks_take). */
void sl__chunks_free(sl__chunks *c);
/* The chunk the next row goes into (appends a new one when the last is
 * full); the row index is its ->n. After filling the row, call
 * sl__chunks_commit to keep it (or do nothing to drop it). */
sl__chunk *sl__chunks_tail(sl__chunks *c);
static inline void sl__chunks_commit(sl__chunks *c, sl__chunk *k) {
    k->n++;
    c->rows++;
}
/* Hands the chunk array to the caller (sl__free it after sl__chunk_free of
 * each) and empties c. A trailing empty chunk is dropped. */
sl__chunk *sl__chunks_take(sl__chunks *c, uint32_t *n);

#endif
