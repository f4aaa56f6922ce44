/*
 * kernel.h — helpers for writing scalar kernels (see sl__kernel in
 * exec/expr.h): row loops, reading an argument at a row whatever its
 * physical layout (constant or flat), and the NULL-propagation pattern
 * almost every function follows ("any NULL argument gives NULL").
 */
#ifndef SL_KERNEL_H
#define SL_KERNEL_H

#include "func/func.h"

/* for each live row r of rows (r is a physical position) */
#define SL_FOR_ROWS(rows, r)                                                                       \
    for (uint32_t i_##r = 0, r; i_##r < (rows)->count && ((r = SL_ROW(rows, i_##r)), 1); i_##r++)

/* Value of argument vector v at physical row r, for each storage type. */
#define SL_ARG(v, T, r)    (SL_VEC_DATA(v, T)[sl__vec_idx(v, r)])
#define SL_ARG_VALID(v, r) sl__vec_valid(v, sl__vec_idx(v, r))

/* True when every one of the first n argument vectors is valid at row r;
 * otherwise marks out[r] NULL and returns false. */
static inline bool sl__args_valid(sl__vec **a, uint32_t n, uint32_t r, sl__vec *out) {
    for (uint32_t i = 0; i < n; i++) {
        if (!sl__vec_valid(a[i], sl__vec_idx(a[i], r))) {
            sl__vec_set_null(out, r);
            return false;
        }
    }
    return true;
}

/* Reads an integral/boolean/temporal value as int64. */
static inline int64_t sl__get_i64(const sl__vec *v, uint32_t k) {
    switch (v->type->id) {
    case SL_TYPE_BOOLEAN: return SL_VEC_DATA(v, uint8_t)[k];
    case SL_TYPE_SMALLINT: return SL_VEC_DATA(v, int16_t)[k];
    case SL_TYPE_INT:
    case SL_TYPE_DATE: return SL_VEC_DATA(v, int32_t)[k];
    case SL_TYPE_DOUBLE: return (int64_t)SL_VEC_DATA(v, double)[k];
    default: return SL_VEC_DATA(v, int64_t)[k];
    }
}

/* Writes an int64 into an integral/boolean/temporal vector (wrapping). */
static inline void sl__put_i64(sl__vec *v, uint32_t r, int64_t x) {
    switch (v->type->id) {
    case SL_TYPE_BOOLEAN: SL_VEC_DATA(v, uint8_t)[r] = x != 0; break;
    case SL_TYPE_SMALLINT: SL_VEC_DATA(v, int16_t)[r] = (int16_t)(uint16_t)x; break;
    case SL_TYPE_INT:
    case SL_TYPE_DATE: SL_VEC_DATA(v, int32_t)[r] = (int32_t)(uint32_t)x; break;
    case SL_TYPE_DOUBLE: SL_VEC_DATA(v, double)[r] = (double)x; break;
    default: SL_VEC_DATA(v, int64_t)[r] = x;
    }
}

/* Reads any numeric value as double. */
static inline double sl__get_f64(const sl__vec *v, uint32_t k) {
    if (v->type->id == SL_TYPE_DOUBLE) return SL_VEC_DATA(v, double)[k];
    return (double)sl__get_i64(v, k);
}

/* The string at row r (caller checked validity). */
static inline sl__str sl__get_str(const sl__vec *v, uint32_t r) {
    return SL_VEC_DATA(v, sl__str)[sl__vec_idx(v, r)];
}

/*
 * Three-way comparison of v1[k1] and v2[k2] (same type, both valid), with
 * Spark's ordering: NaN is larger than every number and equal to itself;
 * structs compare field by field, arrays element by element (NULL elements
 * first).
 */
int sl__value_cmp(const sl__vec *v1, uint32_t k1, const sl__vec *v2, uint32_t k2);
/* Equality with the same rules (faster than cmp for strings). */
bool sl__value_eq(const sl__vec *v1, uint32_t k1, const sl__vec *v2, uint32_t k2);
/* Hash of v[k] consistent with sl__value_eq (NULL hashes to a constant). */
uint64_t sl__value_hash(const sl__vec *v, uint32_t k);
/* Appends an unambiguous binary encoding of v[k] (NULL included): equal
 * values, and only they, give equal bytes. Doubles are normalised (-0.0,
 * NaN). */
void sl__value_key(const sl__vec *v, uint32_t k, sl__buf *out);

static inline int sl__cmp_f64(double a, double b) {
    if (a < b) return -1;
    if (a > b) return 1;
    if (a == b) return 0;
    /* at least one NaN */
    bool an = a != a, bn = b != b;
    return an && bn ? 0 : an ? 1 : -1;
}

#endif
