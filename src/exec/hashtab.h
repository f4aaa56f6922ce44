/*
 * hashtab.h — a hash table from multi-column keys to dense ids (0, 1, 2 ...
 * in first-seen order): the core of hash aggregation, hash joins, set
 * operations and deduplication. Keys are stored column-wise in vectors the
 * table owns (strings copied into their heaps), so ids stay valid and keys
 * can be read back for output.
 *
 * Work is batched: hash a batch of rows once (sl__keytab_hash), then look
 * the rows up or insert them. Equality treats NULL as equal to NULL
 * (grouping semantics); callers that need SQL join semantics skip rows with
 * NULL keys themselves.
 *
 * Design notes:
 *  1. Open addressing with linear probing over `slots` (id + 1; 0 = empty),
 *     power-of-two size, load factor at most 1/2. The full 64-bit hash of
 *     each id is kept in `hashes` so probing compares hashes before keys and
 *     growth never rehashes keys.
 *  2. Ids are never removed individually; `sl__keytab_clear` forgets all
 *     (state eviction rebuilds; see the stream layer).
 */
#ifndef SL_HASHTAB_H
#define SL_HASHTAB_H

#include "exec/expr.h"

typedef struct sl__keytab {
    uint32_t nk;
    sl__vec **keys;    /* owned: one vector per key column, row = id */
    uint64_t *hashes;  /* owned: per id */
    uint32_t n, cap;   /* ids used / capacity of keys and hashes */
    uint32_t *slots;   /* owned: id + 1, 0 empty */
    uint32_t mask;     /* n_slots - 1 */
} sl__keytab;

void sl__keytab_init(sl__keytab *t, uint32_t nk, const sl__type *const *types);
void sl__keytab_free(sl__keytab *t);
void sl__keytab_clear(sl__keytab *t);

/* Hashes the given rows (rows->sel / count) of the key vectors into
 * out[i] for the i-th row. */
void sl__keytab_hash(sl__vec *const *kv, uint32_t nk, const sl__rows *rows, uint64_t *out);

/* The id of the key at `row` of kv (hash h), inserting it when absent.
 * *inserted tells which. */
uint32_t sl__keytab_insert(sl__keytab *t, sl__vec *const *kv, uint32_t row, uint64_t h,
                           bool *inserted);
/* The id, or UINT32_MAX when absent. */
uint32_t sl__keytab_find(const sl__keytab *t, sl__vec *const *kv, uint32_t row, uint64_t h);

/* Bytes of memory held (keys, hashes, slots). */
size_t sl__keytab_memory(const sl__keytab *t);

#endif
