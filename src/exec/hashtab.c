/*
 * hashtab.c — the multi-column key table of hashtab.h.
 */
#include "exec/hashtab.h"
#include "func/kernel.h"

#define EMPTY UINT32_MAX

/* Fast-path hash: fold the high half in, one multiply; used through its top
 * bits (fast_slot). */
static inline uint64_t fast_hash(uint64_t key) {
    return (key ^ (key >> 32)) * 0x9E3779B97F4A7C15ULL;
}

static sl__kslot *new_slots(uint32_t n) {
    sl__kslot *s = sl__malloc(sizeof *s * n);
    for (uint32_t i = 0; i < n; i++) s[i].id = EMPTY;
    return s;
}

void sl__keytab_init(sl__keytab *t, uint32_t nk, const sl__type *const *types) {
    memset(t, 0, sizeof *t);
    t->nk = nk;
    t->cap = 64;
    t->keys = sl__calloc(nk ? nk : 1, sizeof *t->keys);
    for (uint32_t i = 0; i < nk; i++) t->keys[i] = sl__vec_new(types[i], t->cap);
    t->hashes = sl__malloc(sizeof *t->hashes * t->cap);
    t->mask = 127;
    t->shift = 64 - 7;
    t->slots = new_slots(t->mask + 1);
    t->null_id = EMPTY;
    t->hbuf = sl__malloc(sizeof *t->hbuf * SL_VEC_SIZE);
    if (nk == 1) {
        switch (types[0]->id) {
        case SL_TYPE_BIGINT:
        case SL_TYPE_TIMESTAMP:
        case SL_TYPE_INTERVAL: t->fast = 8; break;
        case SL_TYPE_INT:
        case SL_TYPE_DATE: t->fast = 4; break;
        default: break;
        }
    }
}

void sl__keytab_free(sl__keytab *t) {
    for (uint32_t i = 0; i < t->nk; i++) sl__vec_free(t->keys[i]);
    sl__free(t->keys);
    sl__free(t->hashes);
    sl__free(t->slots);
    sl__free(t->hbuf);
    memset(t, 0, sizeof *t);
}

void sl__keytab_clear(sl__keytab *t) {
    for (uint32_t i = 0; i < t->nk; i++) sl__vec_reset(t->keys[i]);
    for (uint32_t i = 0; i <= t->mask; i++) t->slots[i].id = EMPTY;
    t->n = 0;
    t->null_id = EMPTY;
}

void sl__keytab_compact(sl__keytab *t, const uint32_t *keep, uint32_t n_keep) {
    const sl__type *small[8];
    const sl__type **types = t->nk <= 8 ? small : sl__malloc(sizeof *types * t->nk);
    for (uint32_t i = 0; i < t->nk; i++) types[i] = t->keys[i]->type;
    sl__keytab nt;
    sl__keytab_init(&nt, t->nk, types);
    if (types != small) sl__free(types);
    uint32_t *ids = sl__malloc(sizeof *ids * SL_VEC_SIZE);
    for (uint32_t at = 0; at < n_keep; at += SL_VEC_SIZE) {
        sl__rows rows = {keep + at, SL_MIN(SL_VEC_SIZE, n_keep - at)};
        if (t->nk)
            sl__keytab_insert_batch(&nt, t->keys, &rows, ids);
        else /* the one group of a global aggregate */
            for (uint32_t i = 0; i < rows.count; i++) {
                sl__vec *none[1] = {NULL};
                bool ins;
                sl__keytab_insert(&nt, none, 0, t->hashes[keep[at + i]], &ins);
            }
    }
    sl__free(ids);
    sl__keytab_free(t);
    *t = nt;
}

size_t sl__keytab_memory(const sl__keytab *t) {
    size_t m = (size_t)t->cap * 8 + (size_t)(t->mask + 1) * sizeof(sl__kslot);
    for (uint32_t i = 0; i < t->nk; i++) m += sl__vec_memory(t->keys[i]);
    return m;
}

/* ---- hashing -------------------------------------------------------------- */

/* A STRUCT of two 8-byte integer fields: the event-time window
 * struct<start, end>, a common grouping key that gets its own loops. */
static bool is_pair64(const sl__type *t) {
    if (t->id != SL_TYPE_STRUCT || t->n_fields != 2) return false;
    for (uint32_t i = 0; i < 2; i++) {
        sl_type_id f = t->fields[i]->id;
        if (f != SL_TYPE_BIGINT && f != SL_TYPE_TIMESTAMP && f != SL_TYPE_INTERVAL) return false;
    }
    return true;
}

/*
 * A string's hash: inline for up to 16 bytes (group keys are mostly short:
 * the bytes are read as two overlapping words, which with the length
 * identify the string, then mixed by one 64x64->128 multiplication, as
 * wyhash does), XXH3 beyond. Only hash tables use it, and they never keep
 * hashes beyond their own life, so it need not match sl__hash_bytes.
 */
static inline uint64_t str_hash(const char *p, uint32_t n) {
    if (n > 16) return sl__hash_bytes(p, n);
    uint64_t a = 0, b = 0;
    if (n >= 8) {
        memcpy(&a, p, 8);
        memcpy(&b, p + n - 8, 8);
    } else if (n >= 4) {
        uint32_t x, y;
        memcpy(&x, p, 4);
        memcpy(&y, p + n - 4, 4);
        a = x;
        b = y;
    } else if (n) {
        a = (uint64_t)(uint8_t)p[0] | (uint64_t)(uint8_t)p[n / 2] << 8 |
            (uint64_t)(uint8_t)p[n - 1] << 16;
    }
    unsigned __int128 m =
        (unsigned __int128)(a ^ 0xa0761d6478bd642fULL) * (b ^ 0xe7037ed1a0b428dbULL ^ n);
    return (uint64_t)m ^ (uint64_t)(m >> 64);
}

/* Per-type hash loops: the type switch is outside the row loop. */
static void hash_column(const sl__vec *v, const sl__rows *rows, uint64_t *out, bool first) {
#define MIX(h) (first ? (h) : sl__hash_combine(out[i], (h)))
    const uint64_t null_h = 0x5bd1e995u;
    switch (v->type->id) {
    case SL_TYPE_BIGINT:
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_INTERVAL: {
        const int64_t *d = SL_VEC_DATA(v, int64_t);
        for (uint32_t i = 0; i < rows->count; i++) {
            uint32_t k = sl__vec_idx(v, SL_ROW(rows, i));
            uint64_t h = sl__vec_valid(v, k) ? sl__hash_u64((uint64_t)d[k]) : null_h;
            out[i] = MIX(h);
        }
        return;
    }
    case SL_TYPE_INT:
    case SL_TYPE_DATE: {
        const int32_t *d = SL_VEC_DATA(v, int32_t);
        for (uint32_t i = 0; i < rows->count; i++) {
            uint32_t k = sl__vec_idx(v, SL_ROW(rows, i));
            uint64_t h = sl__vec_valid(v, k) ? sl__hash_u64((uint64_t)(int64_t)d[k]) : null_h;
            out[i] = MIX(h);
        }
        return;
    }
    case SL_TYPE_STRING: {
        const sl__str *d = SL_VEC_DATA(v, sl__str);
        /* the bytes are often out of the L1 cache (borrowed from an input buffer the batch
         * decoded earlier): ask for them a few rows ahead */
        if (!v->is_const)
            for (uint32_t i = 0; i < rows->count && i < 8; i++)
                __builtin_prefetch(d[SL_ROW(rows, i)].ptr);
        for (uint32_t i = 0; i < rows->count; i++) {
            if (!v->is_const && i + 8 < rows->count) __builtin_prefetch(d[SL_ROW(rows, i + 8)].ptr);
            uint32_t k = sl__vec_idx(v, SL_ROW(rows, i));
            uint64_t h = sl__vec_valid(v, k) ? str_hash(d[k].ptr, d[k].len) : null_h;
            out[i] = MIX(h);
        }
        return;
    }
    case SL_TYPE_STRUCT:
        if (is_pair64(v->type)) {
            /* the value of sl__value_hash, without its per-value dispatch */
            const sl__vec *a = v->child[0], *b = v->child[1];
            const int64_t *da = SL_VEC_DATA(a, int64_t), *db = SL_VEC_DATA(b, int64_t);
            for (uint32_t i = 0; i < rows->count; i++) {
                uint32_t k = sl__vec_idx(v, SL_ROW(rows, i));
                uint64_t h = null_h;
                if (sl__vec_valid(v, k)) {
                    uint64_t ha = sl__vec_valid(a, k) ? sl__hash_u64((uint64_t)da[k]) : null_h;
                    uint64_t hb = sl__vec_valid(b, k) ? sl__hash_u64((uint64_t)db[k]) : null_h;
                    h = sl__hash_combine(sl__hash_combine(17, ha), hb);
                }
                out[i] = MIX(h);
            }
            return;
        }
        /* fall through */
    default:
        for (uint32_t i = 0; i < rows->count; i++) {
            uint64_t h = sl__value_hash(v, SL_ROW(rows, i));
            out[i] = MIX(h);
        }
    }
#undef MIX
}

void sl__keytab_hash(sl__vec *const *kv, uint32_t nk, const sl__rows *rows, uint64_t *out) {
    if (nk == 0) {
        for (uint32_t i = 0; i < rows->count; i++) out[i] = 0x9e3779b97f4a7c15ULL;
        return;
    }
    for (uint32_t c = 0; c < nk; c++) hash_column(kv[c], rows, out, c == 0);
}

/* ---- general path ---------------------------------------------------------- */

/* Does stored key `id` equal kv at row? NULL equals NULL. */
static bool keys_equal(const sl__keytab *t, uint32_t id, sl__vec *const *kv, uint32_t row) {
    for (uint32_t c = 0; c < t->nk; c++) {
        const sl__vec *a = t->keys[c], *b = kv[c];
        uint32_t k = sl__vec_idx(b, row);
        bool va = sl__vec_valid(a, id), vb = sl__vec_valid(b, k);
        if (va != vb) return false;
        if (!va) continue;
        switch (a->type->id) {
        case SL_TYPE_BIGINT:
        case SL_TYPE_TIMESTAMP:
        case SL_TYPE_INTERVAL:
            if (SL_VEC_DATA(a, int64_t)[id] != SL_VEC_DATA(b, int64_t)[k]) return false;
            break;
        case SL_TYPE_INT:
        case SL_TYPE_DATE:
            if (SL_VEC_DATA(a, int32_t)[id] != SL_VEC_DATA(b, int32_t)[k]) return false;
            break;
        case SL_TYPE_STRING:
            if (!sl__str_eq(SL_VEC_DATA(a, sl__str)[id], SL_VEC_DATA(b, sl__str)[k])) return false;
            break;
        case SL_TYPE_STRUCT:
            if (is_pair64(a->type)) {
                for (uint32_t f = 0; f < 2; f++) {
                    const sl__vec *fa = a->child[f], *fb = b->child[f];
                    bool pa = sl__vec_valid(fa, id), pb = sl__vec_valid(fb, k);
                    if (pa != pb) return false;
                    if (pa && SL_VEC_DATA(fa, int64_t)[id] != SL_VEC_DATA(fb, int64_t)[k])
                        return false;
                }
                break;
            }
            if (!sl__value_eq(a, id, b, k)) return false;
            break;
        default:
            if (!sl__value_eq(a, id, b, k)) return false;
        }
    }
    return true;
}

/* Home slot of a hash: top bits on the fast path, low bits otherwise. */
static inline uint32_t home(const sl__keytab *t, uint64_t h) {
    return t->fast ? (uint32_t)(h >> t->shift) : (uint32_t)h & t->mask;
}

static void rehash(sl__keytab *t, uint32_t nsz) {
    sl__kslot *old = t->slots;
    uint32_t osz = t->mask + 1;
    t->slots = new_slots(nsz);
    t->mask = nsz - 1;
    t->shift = 64 - (uint32_t)__builtin_ctz(nsz);
    for (uint32_t i = 0; i < osz; i++) {
        if (old[i].id == EMPTY) continue;
        uint32_t j = home(t, t->fast ? fast_hash(old[i].key) : old[i].key);
        while (t->slots[j].id != EMPTY) j = (j + 1) & t->mask;
        t->slots[j] = old[i];
    }
    sl__free(old);
}

/* Room for `more` new ids without growing in the middle of a batch. */
static void reserve(sl__keytab *t, uint32_t more) {
    uint64_t need = (uint64_t)t->n + more;
    if (need > t->cap) {
        uint32_t c = t->cap;
        while (c < need) c *= 2;
        t->hashes = sl__realloc(t->hashes, sizeof *t->hashes * c);
        for (uint32_t k = 0; k < t->nk; k++) sl__vec_reserve(t->keys[k], c);
        t->cap = c;
    }
    uint64_t sz = (uint64_t)t->mask + 1;
    if (need * 2 > sz) {
        while (need * 2 > sz) sz *= 2;
        rehash(t, (uint32_t)sz);
    }
}

static uint32_t new_id(sl__keytab *t, sl__vec *const *kv, uint32_t row, uint64_t h) {
    uint32_t id = t->n++;
    for (uint32_t c = 0; c < t->nk; c++) sl__vec_copy_value(t->keys[c], id, kv[c], row);
    t->hashes[id] = h;
    return id;
}

static uint32_t probe_general(sl__keytab *t, sl__vec *const *kv, uint32_t row, uint64_t h,
                              bool insert) {
    for (uint32_t j = (uint32_t)h & t->mask;; j = (j + 1) & t->mask) {
        sl__kslot *s = &t->slots[j];
        if (s->id == EMPTY) {
            if (!insert) return EMPTY;
            s->key = h;
            s->id = new_id(t, kv, row, h);
            return s->id;
        }
        if (s->key == h && keys_equal(t, s->id, kv, row)) return s->id;
    }
}

/* ---- one STRING key --------------------------------------------------------- */

/* String equality without a memcmp call for up to 16 bytes (group keys mostly are). */
static inline bool str_eq_short(sl__str a, sl__str b) {
    uint32_t n = a.len;
    if (n != b.len) return false;
    if (n > 16) return memcmp(a.ptr, b.ptr, n) == 0;
    uint64_t x = 0, y = 0, u = 0, w = 0;
    if (n >= 8) {
        memcpy(&x, a.ptr, 8);
        memcpy(&y, b.ptr, 8);
        memcpy(&u, a.ptr + n - 8, 8);
        memcpy(&w, b.ptr + n - 8, 8);
    } else if (n >= 4) {
        uint32_t x4, y4, u4, w4;
        memcpy(&x4, a.ptr, 4);
        memcpy(&y4, b.ptr, 4);
        memcpy(&u4, a.ptr + n - 4, 4);
        memcpy(&w4, b.ptr + n - 4, 4);
        x = x4, y = y4, u = u4, w = w4;
    } else if (n) {
        x = (uint64_t)(uint8_t)a.ptr[0] | (uint64_t)(uint8_t)a.ptr[n / 2] << 8 |
            (uint64_t)(uint8_t)a.ptr[n - 1] << 16;
        y = (uint64_t)(uint8_t)b.ptr[0] | (uint64_t)(uint8_t)b.ptr[n / 2] << 8 |
            (uint64_t)(uint8_t)b.ptr[n - 1] << 16;
    }
    return ((x ^ y) | (u ^ w)) == 0;
}

/* The general probe for a single STRING key column: the key comparison inline. */
static void batch_str(sl__keytab *t, sl__vec *const *kv, const sl__rows *rows, uint32_t *ids,
                      bool insert, const uint64_t *h) {
    const sl__vec *v = kv[0];
    const sl__str *d = SL_VEC_DATA(v, sl__str);
    sl__kslot *slots = t->slots;
    uint32_t mask = t->mask;
    for (uint32_t i = 0; i < rows->count; i++) {
        uint32_t r = SL_ROW(rows, i), k = sl__vec_idx(v, r);
        bool valid = sl__vec_valid(v, k);
        for (uint32_t j = (uint32_t)h[i] & mask;; j = (j + 1) & mask) {
            sl__kslot *s = &slots[j];
            if (s->id == EMPTY) {
                if (insert) {
                    s->key = h[i];
                    s->id = new_id(t, kv, r, h[i]);
                }
                ids[i] = s->id;
                break;
            }
            if (s->key != h[i]) continue;
            const sl__vec *kt = t->keys[0];
            bool sv = sl__vec_valid(kt, s->id);
            if (sv == valid && (!valid || str_eq_short(SL_VEC_DATA(kt, sl__str)[s->id], d[k]))) {
                ids[i] = s->id;
                break;
            }
        }
    }
}

/* ---- fast path: one fixed-width key held in the slot ---------------------- */

static inline uint32_t probe_fast(sl__keytab *t, uint64_t key, sl__vec *const *kv, uint32_t row,
                                  bool insert) {
    uint64_t h = fast_hash(key);
    for (uint32_t j = home(t, h);; j = (j + 1) & t->mask) {
        sl__kslot *s = &t->slots[j];
        if (s->id == EMPTY) {
            if (!insert) return EMPTY;
            s->key = key;
            s->id = new_id(t, kv, row, h);
            return s->id;
        }
        if (s->key == key) return s->id;
    }
}

static inline uint64_t fast_key(const sl__keytab *t, const sl__vec *v, uint32_t k) {
    return t->fast == 8 ? (uint64_t)SL_VEC_DATA(v, int64_t)[k]
                        : (uint64_t)(int64_t)SL_VEC_DATA(v, int32_t)[k];
}

/* Tables above this many slots do not stay in the caches: prefetch. */
#define PREFETCH_SLOTS (1u << 15)

/* The hot loop: a dense batch of non-NULL fixed-width keys. */
#define DENSE_LOOP(T)                                                                              \
    do {                                                                                           \
        const T *d = SL_VEC_DATA(v, T);                                                            \
        sl__kslot *slots = t->slots;                                                               \
        uint32_t mask = t->mask, shift = t->shift;                                                 \
        for (uint32_t i = 0; i < n; i++) h[i] = fast_hash((uint64_t)(int64_t)d[i]);                \
        if (mask + 1 >= PREFETCH_SLOTS)                                                            \
            for (uint32_t i = 0; i < n; i++) __builtin_prefetch(&slots[h[i] >> shift]);            \
        for (uint32_t i = 0; i < n; i++) {                                                         \
            uint64_t key = (uint64_t)(int64_t)d[i];                                                \
            uint32_t j = (uint32_t)(h[i] >> shift);                                                \
            for (;;) {                                                                             \
                sl__kslot *s = &slots[j];                                                          \
                if (s->id == EMPTY) {                                                              \
                    if (insert) {                                                                  \
                        s->key = key;                                                              \
                        s->id = new_id(t, kv, i, h[i]);                                            \
                    }                                                                              \
                    ids[i] = s->id;                                                                \
                    break;                                                                         \
                }                                                                                  \
                if (s->key == key) {                                                               \
                    ids[i] = s->id;                                                                \
                    break;                                                                         \
                }                                                                                  \
                j = (j + 1) & mask;                                                                \
            }                                                                                      \
        }                                                                                          \
    } while (0)

static void batch(sl__keytab *t, sl__vec *const *kv, const sl__rows *rows, uint32_t *ids,
                  bool insert) {
    uint32_t n = rows->count;
    if (insert) reserve(t, n + 1);
    uint64_t *h = t->hbuf;
    if (t->fast) {
        const sl__vec *v = kv[0];
        if (!rows->sel && !v->is_const && sl__vec_no_nulls(v, NULL, n)) {
            if (t->fast == 8)
                DENSE_LOOP(int64_t);
            else
                DENSE_LOOP(int32_t);
            return;
        }
        /* pass 1: prefetches; pass 2: probes */
        if (t->mask + 1 >= PREFETCH_SLOTS)
            for (uint32_t i = 0; i < n; i++) {
                uint32_t k = sl__vec_idx(v, SL_ROW(rows, i));
                __builtin_prefetch(&t->slots[home(t, fast_hash(fast_key(t, v, k)))]);
            }
        for (uint32_t i = 0; i < n; i++) {
            uint32_t r = SL_ROW(rows, i), k = sl__vec_idx(v, r);
            if (SL_UNLIKELY(!sl__vec_valid(v, k))) {
                if (t->null_id == EMPTY && insert) t->null_id = new_id(t, kv, r, 0x5bd1e995u);
                ids[i] = t->null_id;
                continue;
            }
            ids[i] = probe_fast(t, fast_key(t, v, k), kv, r, insert);
        }
        return;
    }
    sl__keytab_hash(kv, t->nk, rows, h);
    if (t->mask + 1 >= PREFETCH_SLOTS)
        for (uint32_t i = 0; i < n; i++) __builtin_prefetch(&t->slots[h[i] & t->mask]);
    if (t->nk == 1 && kv[0]->type->id == SL_TYPE_STRING) {
        batch_str(t, kv, rows, ids, insert, h);
        return;
    }
    for (uint32_t i = 0; i < n; i++) ids[i] = probe_general(t, kv, SL_ROW(rows, i), h[i], insert);
}

void sl__keytab_insert_batch(sl__keytab *t, sl__vec *const *kv, const sl__rows *rows,
                             uint32_t *ids) {
    batch(t, kv, rows, ids, true);
}

void sl__keytab_find_batch(sl__keytab *t, sl__vec *const *kv, const sl__rows *rows, uint32_t *ids) {
    batch(t, kv, rows, ids, false);
}

/* ---- single-row forms -------------------------------------------------------- */

uint32_t sl__keytab_find(const sl__keytab *t, sl__vec *const *kv, uint32_t row, uint64_t h) {
    sl__keytab *m = (sl__keytab *)t; /* probing with insert = false does not write */
    if (t->fast) {
        uint32_t k = sl__vec_idx(kv[0], row);
        if (!sl__vec_valid(kv[0], k)) return t->null_id;
        return probe_fast(m, fast_key(t, kv[0], k), kv, row, false);
    }
    return probe_general(m, kv, row, h, false);
}

uint32_t sl__keytab_insert(sl__keytab *t, sl__vec *const *kv, uint32_t row, uint64_t h,
                           bool *inserted) {
    reserve(t, 1);
    uint32_t before = t->n, id;
    if (t->fast) {
        uint32_t k = sl__vec_idx(kv[0], row);
        if (!sl__vec_valid(kv[0], k)) {
            if (t->null_id == EMPTY) t->null_id = new_id(t, kv, row, h);
            id = t->null_id;
        } else {
            id = probe_fast(t, fast_key(t, kv[0], k), kv, row, true);
        }
    } else {
        id = probe_general(t, kv, row, h, true);
    }
    *inserted = t->n > before;
    return id;
}
