/*
 * hashtab.h — a hash table from multi-column keys to dense ids (0, 1, 2 ...
 * in first-seen order): the core of hash aggregation, hash joins, set
 * operations and deduplication. Keys are stored column-wise in vectors the
 * table owns (strings copied into their heaps), so ids stay valid and keys
 * can be read back for output.
 *
 * Work is batched: sl__keytab_insert_batch / sl__keytab_find_batch take a
 * whole batch of rows, hash them in one pass, prefetch the slots they will
 * touch, then probe — so a table much larger than the caches costs about
 * one overlapped memory access per row rather than several serial ones.
 * Equality treats NULL as equal to NULL (grouping semantics); callers that
 * need SQL join semantics skip rows with NULL keys themselves.
 *
 * Design notes:
 *  1. Open addressing with linear probing over 16-byte slots
 *     {key, id, tag}; power-of-two size, load factor at most 1/2; id
 *     UINT32_MAX marks an empty slot.
 *  2. Fast path: one key column of a fixed 8- or 4-byte type (BIGINT,
 *     TIMESTAMP, INTERVAL, INT, DATE). The key itself lives in the slot, so
 *     a probe never reads the key vectors, the slot index is the top bits of
 *     a one-multiply hash of the key (sl__keytab_fast_hash), and the NULL
 *     key is one id held outside the slots (null_id). Otherwise the slot
 *     holds the full hash (key) and a probe compares it before comparing the
 *     key columns; the index is the hash's low bits.
 *  3. Ids are never removed individually; sl__keytab_clear forgets all,
 *     sl__keytab_compact keeps a subset (renumbered).
 */
#ifndef SL_HASHTAB_H
#define SL_HASHTAB_H

#include "exec/expr.h"

typedef struct sl__kslot {
    uint64_t key; /* fast path: the key value; otherwise the full hash */
    uint32_t id;  /* UINT32_MAX: empty */
    uint32_t tag; /* unused on the fast path */
} sl__kslot;

typedef struct sl__keytab {
    uint32_t nk;
    sl__vec **keys;   /* owned: one vector per key column, row = id */
    uint64_t *hashes; /* owned: per id (general path) */
    uint32_t n, cap;  /* ids used / capacity of keys and hashes */
    sl__kslot *slots; /* owned */
    uint32_t mask;    /* n_slots - 1 */
    uint32_t shift;   /* 64 - log2(n_slots): the fast path indexes by the hash's top bits */
    int fast;         /* 0: general; 8 or 4: single fixed-width key of that width */
    uint32_t null_id; /* fast path: id of the NULL key, UINT32_MAX if none */
    uint64_t *hbuf;   /* scratch: hashes of a batch */
} sl__keytab;

void sl__keytab_init(sl__keytab *t, uint32_t nk, const sl__type *const *types);
void sl__keytab_free(sl__keytab *t);
void sl__keytab_clear(sl__keytab *t);

/* Hashes the given rows of the key vectors into out[i] for the i-th row. */
void sl__keytab_hash(sl__vec *const *kv, uint32_t nk, const sl__rows *rows, uint64_t *out);

/*
 * Ids of the keys at every row of `rows` (up to SL_VEC_SIZE rows), inserting
 * the absent ones: ids[i] for the i-th row. New ids are exactly those
 * >= the table's n before the call.
 */
void sl__keytab_insert_batch(sl__keytab *t, sl__vec *const *kv, const sl__rows *rows,
                             uint32_t *ids);
/* Ids of the keys at every row, UINT32_MAX when absent. */
void sl__keytab_find_batch(sl__keytab *t, sl__vec *const *kv, const sl__rows *rows, uint32_t *ids);

/* Single-row forms (h from sl__keytab_hash). */
uint32_t sl__keytab_insert(sl__keytab *t, sl__vec *const *kv, uint32_t row, uint64_t h,
                           bool *inserted);
uint32_t sl__keytab_find(const sl__keytab *t, sl__vec *const *kv, uint32_t row, uint64_t h);

/*
 * Keeps only the ids keep[0..n_keep) (distinct, ascending): afterwards the
 * key of old id keep[i] has id i. Rebuilds the table, so memory of the
 * dropped keys (strings included) is returned. Streaming state eviction.
 */
void sl__keytab_compact(sl__keytab *t, const uint32_t *keep, uint32_t n_keep);

/* Bytes of memory held (keys, hashes, slots). */
size_t sl__keytab_memory(const sl__keytab *t);

#endif
