/*
 * vector.h — a column vector: up to `cap` values of one logical type, a
 * validity bitmap (bit set = value present), and for nested types child
 * vectors. Values are stored at physical row positions; a batch's selection
 * vector says which of them are live (batch.h).
 *
 * Layout per type:
 *   BOOLEAN uint8_t · SMALLINT int16_t · INT, DATE int32_t ·
 *   BIGINT, TIMESTAMP, INTERVAL int64_t · DOUBLE double · STRING sl__str ·
 *   ARRAY sl__list (offset, length into child[0]) · STRUCT: child[i] per field.
 *
 * A constant vector (is_const) holds one value at row 0 that stands for every
 * row: literals and folded expressions cost nothing per row.
 *
 * Ownership: a vector owns its data, validity, children and string heap.
 * STRING values may point into the heap or into memory the producer of the
 * batch guarantees for the batch's lifetime (an input buffer, another
 * vector): a consumer that keeps a value past the batch copies it.
 */
#ifndef SL_VECTOR_H
#define SL_VECTOR_H

#include "types/type.h"

/* Rows per vector in a pipeline batch. */
#define SL_VEC_SIZE 2048

typedef struct sl__list {
    uint32_t off; /* first element in child[0] */
    uint32_t len; /* number of elements */
} sl__list;

typedef struct sl__vec sl__vec;
struct sl__vec {
    const sl__type *type;
    void *data;         /* owned; cap elements of sl__type_width (NULL for STRUCT) */
    uint64_t *validity; /* owned; cap bits */
    uint32_t cap;       /* rows data and validity can hold */
    bool is_const;      /* row 0 stands for all rows */
    uint32_t n_child;   /* STRUCT: fields; ARRAY: 1 */
    sl__vec **child;    /* owned */
    uint32_t child_len; /* ARRAY: elements used in child[0] */
    sl__arena heap;     /* strings made by whoever writes into this vector */
};

/* A new vector of type t able to hold cap rows, all valid. */
sl__vec *sl__vec_new(const sl__type *t, uint32_t cap);
void sl__vec_free(sl__vec *v);
/* Grows the capacity to at least cap rows, keeping contents. */
void sl__vec_reserve(sl__vec *v, uint32_t cap);
/* Forgets the contents: all rows valid, heap and array children emptied.
 * Capacity is kept. */
void sl__vec_reset(sl__vec *v);
/* Marks the first n rows valid (and children's, recursively). */
void sl__vec_set_all_valid(sl__vec *v, uint32_t n);

static inline bool sl__vec_valid(const sl__vec *v, uint32_t row) {
    if (v->is_const) row = 0;
    return (v->validity[row >> 6] >> (row & 63)) & 1;
}
static inline void sl__vec_set_null(sl__vec *v, uint32_t row) {
    v->validity[row >> 6] &= ~(1ULL << (row & 63));
}
static inline void sl__vec_set_valid(sl__vec *v, uint32_t row) {
    v->validity[row >> 6] |= 1ULL << (row & 63);
}
static inline void sl__vec_set_validity(sl__vec *v, uint32_t row, bool valid) {
    uint64_t m = 1ULL << (row & 63);
    if (valid)
        v->validity[row >> 6] |= m;
    else
        v->validity[row >> 6] &= ~m;
}
/*
 * True when every listed row is valid: rows sel[0..n) or, with sel NULL,
 * rows 0..n-1 (checked a 64-bit word at a time). Kernels use it to pick a
 * loop without per-row NULL checks.
 */
static inline bool sl__vec_no_nulls(const sl__vec *v, const uint32_t *sel, uint32_t n) {
    if (v->is_const) return (v->validity[0] & 1) != 0;
    if (sel) {
        for (uint32_t i = 0; i < n; i++)
            if (!((v->validity[sel[i] >> 6] >> (sel[i] & 63)) & 1)) return false;
        return true;
    }
    uint32_t full = n / 64;
    for (uint32_t w = 0; w < full; w++)
        if (v->validity[w] != ~0ULL) return false;
    if (n % 64) {
        uint64_t m = (1ULL << (n % 64)) - 1;
        if ((v->validity[full] & m) != m) return false;
    }
    return true;
}

/* Physical index to read row `row` from (0 for constant vectors). */
static inline uint32_t sl__vec_idx(const sl__vec *v, uint32_t row) {
    return v->is_const ? 0 : row;
}

#define SL_VEC_DATA(v, T) ((T *)(v)->data)

/* Copies a string into the vector's heap and stores it at row. */
void sl__vec_set_str_copy(sl__vec *v, uint32_t row, const char *p, size_t n);
/* Stores a string that the caller keeps alive for the batch (no copy). */
static inline void sl__vec_set_str_borrow(sl__vec *v, uint32_t row, const char *p, size_t n) {
    SL_VEC_DATA(v, sl__str)[row] = sl__str_make(p, n);
}

/*
 * ARRAY: reserves n elements at the end of child[0] and records them as the
 * list of row. Returns the index of the first element in child[0].
 */
uint32_t sl__vec_list_append(sl__vec *v, uint32_t row, uint32_t n);

/*
 * Copies the value at src row sr into dst row dr (same type), deep: strings
 * into dst's heap, nested children recursively. dst must have room.
 */
void sl__vec_copy_value(sl__vec *dst, uint32_t dr, const sl__vec *src, uint32_t sr);

/* Makes v a constant vector of its type with a NULL value. */
void sl__vec_make_const_null(sl__vec *v);

/* Bytes held by the vector (data, validity, heap, children). */
size_t sl__vec_memory(const sl__vec *v);

#endif
