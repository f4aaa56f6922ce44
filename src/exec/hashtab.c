/*
 * hashtab.c — the multi-column key table of hashtab.h.
 */
#include "exec/hashtab.h"
#include "func/kernel.h"

void sl__keytab_init(sl__keytab *t, uint32_t nk, const sl__type *const *types) {
    memset(t, 0, sizeof *t);
    t->nk = nk;
    t->cap = 64;
    t->keys = sl__calloc(nk ? nk : 1, sizeof *t->keys);
    for (uint32_t i = 0; i < nk; i++) t->keys[i] = sl__vec_new(types[i], t->cap);
    t->hashes = sl__malloc(sizeof *t->hashes * t->cap);
    t->mask = 127;
    t->slots = sl__calloc(t->mask + 1, sizeof *t->slots);
}

void sl__keytab_free(sl__keytab *t) {
    for (uint32_t i = 0; i < t->nk; i++) sl__vec_free(t->keys[i]);
    sl__free(t->keys);
    sl__free(t->hashes);
    sl__free(t->slots);
    memset(t, 0, sizeof *t);
}

void sl__keytab_clear(sl__keytab *t) {
    for (uint32_t i = 0; i < t->nk; i++) sl__vec_reset(t->keys[i]);
    memset(t->slots, 0, sizeof *t->slots * (t->mask + 1));
    t->n = 0;
}

size_t sl__keytab_memory(const sl__keytab *t) {
    size_t m = (size_t)t->cap * 8 + (size_t)(t->mask + 1) * 4;
    for (uint32_t i = 0; i < t->nk; i++) m += sl__vec_memory(t->keys[i]);
    return m;
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
        for (uint32_t i = 0; i < rows->count; i++) {
            uint32_t k = sl__vec_idx(v, SL_ROW(rows, i));
            uint64_t h = sl__vec_valid(v, k) ? sl__hash_bytes(d[k].ptr, d[k].len) : null_h;
            out[i] = MIX(h);
        }
        return;
    }
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
        default:
            if (!sl__value_eq(a, id, b, k)) return false;
        }
    }
    return true;
}

static void grow_slots(sl__keytab *t) {
    uint32_t nsz = (t->mask + 1) * 2;
    sl__free(t->slots);
    t->slots = sl__calloc(nsz, sizeof *t->slots);
    t->mask = nsz - 1;
    for (uint32_t id = 0; id < t->n; id++) {
        uint32_t j = (uint32_t)t->hashes[id] & t->mask;
        while (t->slots[j]) j = (j + 1) & t->mask;
        t->slots[j] = id + 1;
    }
}

uint32_t sl__keytab_find(const sl__keytab *t, sl__vec *const *kv, uint32_t row, uint64_t h) {
    for (uint32_t j = (uint32_t)h & t->mask;; j = (j + 1) & t->mask) {
        uint32_t s = t->slots[j];
        if (!s) return UINT32_MAX;
        uint32_t id = s - 1;
        if (t->hashes[id] == h && keys_equal(t, id, kv, row)) return id;
    }
}

uint32_t sl__keytab_insert(sl__keytab *t, sl__vec *const *kv, uint32_t row, uint64_t h,
                           bool *inserted) {
    uint32_t j = (uint32_t)h & t->mask;
    for (;; j = (j + 1) & t->mask) {
        uint32_t s = t->slots[j];
        if (!s) break;
        uint32_t id = s - 1;
        if (t->hashes[id] == h && keys_equal(t, id, kv, row)) {
            *inserted = false;
            return id;
        }
    }
    uint32_t id = t->n;
    if (id == t->cap) {
        t->cap *= 2;
        t->hashes = sl__realloc(t->hashes, sizeof *t->hashes * t->cap);
        for (uint32_t c = 0; c < t->nk; c++) sl__vec_reserve(t->keys[c], t->cap);
    }
    for (uint32_t c = 0; c < t->nk; c++) sl__vec_copy_value(t->keys[c], id, kv[c], row);
    t->hashes[id] = h;
    t->n++;
    t->slots[j] = id + 1;
    if (t->n * 2 > t->mask + 1) grow_slots(t);
    *inserted = true;
    return id;
}
