/*
 * hash.h — hashing for hash tables (aggregation, joins, dedup, interning):
 * XXH3 from libxxhash for bytes, a multiply-xorshift mix for 64-bit keys,
 * and a combiner for multi-column keys.
 */
#ifndef SL_HASH_H
#define SL_HASH_H

#include <xxhash.h>

static inline uint64_t sl__hash_bytes(const void *p, size_t n) {
    return XXH3_64bits(p, n);
}

static inline uint64_t sl__hash_u64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static inline uint64_t sl__hash_combine(uint64_t h, uint64_t v) {
    return sl__hash_u64(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

#endif
