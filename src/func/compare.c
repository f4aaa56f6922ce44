/*
 * compare.c — ordering, equality and hashing of single values of any type,
 * used by comparisons on nested types, sorting, grouping and joins. Doubles
 * follow Spark: NaN equals NaN and sorts above every number; -0.0 equals
 * 0.0 (and hashes the same).
 */
#include "func/kernel.h"

int sl__value_cmp(const sl__vec *v1, uint32_t k1, const sl__vec *v2, uint32_t k2) {
    k1 = sl__vec_idx(v1, k1);
    k2 = sl__vec_idx(v2, k2);
    switch (v1->type->id) {
    case SL_TYPE_NULL: return 0;
    case SL_TYPE_BOOLEAN:
    case SL_TYPE_SMALLINT:
    case SL_TYPE_INT:
    case SL_TYPE_DATE:
    case SL_TYPE_BIGINT:
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_INTERVAL: {
        int64_t a = sl__get_i64(v1, k1), b = sl__get_i64(v2, k2);
        return a < b ? -1 : a > b;
    }
    case SL_TYPE_DOUBLE:
        return sl__cmp_f64(SL_VEC_DATA(v1, double)[k1], SL_VEC_DATA(v2, double)[k2]);
    case SL_TYPE_STRING:
        return sl__str_cmp(SL_VEC_DATA(v1, sl__str)[k1], SL_VEC_DATA(v2, sl__str)[k2]);
    case SL_TYPE_STRUCT:
        for (uint32_t i = 0; i < v1->n_child; i++) {
            bool a = sl__vec_valid(v1->child[i], k1), b = sl__vec_valid(v2->child[i], k2);
            if (!a || !b) {
                if (a != b) return a ? 1 : -1; /* NULL first */
                continue;
            }
            int c = sl__value_cmp(v1->child[i], k1, v2->child[i], k2);
            if (c) return c;
        }
        return 0;
    case SL_TYPE_ARRAY: {
        sl__list a = SL_VEC_DATA(v1, sl__list)[k1], b = SL_VEC_DATA(v2, sl__list)[k2];
        uint32_t n = SL_MIN(a.len, b.len);
        for (uint32_t i = 0; i < n; i++) {
            bool x = sl__vec_valid(v1->child[0], a.off + i),
                 y = sl__vec_valid(v2->child[0], b.off + i);
            if (!x || !y) {
                if (x != y) return x ? 1 : -1;
                continue;
            }
            int c = sl__value_cmp(v1->child[0], a.off + i, v2->child[0], b.off + i);
            if (c) return c;
        }
        return a.len < b.len ? -1 : a.len > b.len;
    }
    }
    return 0;
}

bool sl__value_eq(const sl__vec *v1, uint32_t k1, const sl__vec *v2, uint32_t k2) {
    if (v1->type->id == SL_TYPE_STRING)
        return sl__str_eq(SL_VEC_DATA(v1, sl__str)[sl__vec_idx(v1, k1)],
                          SL_VEC_DATA(v2, sl__str)[sl__vec_idx(v2, k2)]);
    return sl__value_cmp(v1, k1, v2, k2) == 0;
}

uint64_t sl__value_hash(const sl__vec *v, uint32_t k) {
    k = sl__vec_idx(v, k);
    if (!sl__vec_valid(v, k)) return 0x5bd1e995u;
    switch (v->type->id) {
    case SL_TYPE_NULL: return 0x5bd1e995u;
    case SL_TYPE_DOUBLE: {
        double d = SL_VEC_DATA(v, double)[k];
        if (d == 0) d = 0; /* -0.0 -> 0.0 */
        if (d != d) return 0x7ff8000000000000ULL;
        uint64_t bits;
        memcpy(&bits, &d, 8);
        return sl__hash_u64(bits);
    }
    case SL_TYPE_STRING: {
        sl__str s = SL_VEC_DATA(v, sl__str)[k];
        return sl__hash_bytes(s.ptr, s.len);
    }
    case SL_TYPE_STRUCT: {
        uint64_t h = 17;
        for (uint32_t i = 0; i < v->n_child; i++)
            h = sl__hash_combine(h, sl__value_hash(v->child[i], k));
        return h;
    }
    case SL_TYPE_ARRAY: {
        sl__list l = SL_VEC_DATA(v, sl__list)[k];
        uint64_t h = 31 + l.len;
        for (uint32_t i = 0; i < l.len; i++)
            h = sl__hash_combine(h, sl__value_hash(v->child[0], l.off + i));
        return h;
    }
    default: return sl__hash_u64((uint64_t)sl__get_i64(v, k));
    }
}

void sl__value_key(const sl__vec *v, uint32_t k, sl__buf *out) {
    k = sl__vec_idx(v, k);
    if (!sl__vec_valid(v, k)) {
        sl__buf_putc(out, 0);
        return;
    }
    sl__buf_putc(out, 1);
    switch (v->type->id) {
    case SL_TYPE_NULL: break;
    case SL_TYPE_DOUBLE: {
        double d = SL_VEC_DATA(v, double)[k];
        if (d == 0) d = 0;
        uint64_t bits;
        if (d != d)
            bits = 0x7ff8000000000000ULL;
        else
            memcpy(&bits, &d, 8);
        sl__buf_append(out, &bits, 8);
        break;
    }
    case SL_TYPE_STRING: {
        sl__str s = SL_VEC_DATA(v, sl__str)[k];
        sl__buf_append(out, &s.len, 4);
        sl__buf_append(out, s.ptr, s.len);
        break;
    }
    case SL_TYPE_STRUCT:
        for (uint32_t i = 0; i < v->n_child; i++) sl__value_key(v->child[i], k, out);
        break;
    case SL_TYPE_ARRAY: {
        sl__list l = SL_VEC_DATA(v, sl__list)[k];
        sl__buf_append(out, &l.len, 4);
        for (uint32_t i = 0; i < l.len; i++) sl__value_key(v->child[0], l.off + i, out);
        break;
    }
    default: {
        int64_t x = sl__get_i64(v, k);
        sl__buf_append(out, &x, 8);
    }
    }
}
