/*
 * vector.c — allocation, growth and deep copy of column vectors (vector.h).
 */
#include "batch/vector.h"

static size_t validity_words(uint32_t cap) {
    return (cap + 63) / 64;
}

sl__vec *sl__vec_new(const sl__type *t, uint32_t cap) {
    sl__vec *v = sl__calloc(1, sizeof *v);
    v->type = t;
    if (cap == 0) cap = 1;
    v->cap = cap;
    size_t w = sl__type_width(t);
    if (w) v->data = sl__calloc(cap, w);
    v->validity = sl__malloc(validity_words(cap) * 8);
    memset(v->validity, 0xff, validity_words(cap) * 8);
    sl__arena_init(&v->heap, 1024);
    if (t->id == SL_TYPE_STRUCT) {
        v->n_child = t->n_fields;
        v->child = sl__calloc(t->n_fields ? t->n_fields : 1, sizeof *v->child);
        for (uint32_t i = 0; i < t->n_fields; i++) v->child[i] = sl__vec_new(t->fields[i], cap);
    } else if (t->id == SL_TYPE_ARRAY) {
        v->n_child = 1;
        v->child = sl__calloc(1, sizeof *v->child);
        v->child[0] = sl__vec_new(t->fields[0], cap);
    }
    return v;
}

void sl__vec_free(sl__vec *v) {
    if (!v) return;
    for (uint32_t i = 0; i < v->n_child; i++) sl__vec_free(v->child[i]);
    sl__free(v->child);
    sl__free(v->data);
    sl__free(v->validity);
    sl__arena_free(&v->heap);
    sl__free(v);
}

void sl__vec_reserve(sl__vec *v, uint32_t cap) {
    if (cap <= v->cap) return;
    uint32_t nc = v->cap;
    while (nc < cap) nc = nc * 2;
    size_t w = sl__type_width(v->type);
    if (w) {
        v->data = sl__realloc(v->data, (size_t)nc * w);
        memset((char *)v->data + (size_t)v->cap * w, 0, (size_t)(nc - v->cap) * w);
    }
    size_t ow = validity_words(v->cap), nw = validity_words(nc);
    v->validity = sl__realloc(v->validity, nw * 8);
    memset(v->validity + ow, 0xff, (nw - ow) * 8);
    /* bits beyond the old cap in the last old word are already 1 (never cleared
     * past cap by callers that respect cap) */
    if (v->type->id == SL_TYPE_STRUCT)
        for (uint32_t i = 0; i < v->n_child; i++) sl__vec_reserve(v->child[i], nc);
    v->cap = nc;
}

void sl__vec_set_all_valid(sl__vec *v, uint32_t n) {
    size_t words = validity_words(SL_MIN(n, v->cap));
    memset(v->validity, 0xff, words * 8);
    if (v->type->id == SL_TYPE_STRUCT)
        for (uint32_t i = 0; i < v->n_child; i++) sl__vec_set_all_valid(v->child[i], n);
}

void sl__vec_reset(sl__vec *v) {
    memset(v->validity, 0xff, validity_words(v->cap) * 8);
    v->is_const = false;
    sl__arena_reset(&v->heap);
    v->child_len = 0;
    for (uint32_t i = 0; i < v->n_child; i++) sl__vec_reset(v->child[i]);
}

void sl__vec_set_str_copy(sl__vec *v, uint32_t row, const char *p, size_t n) {
    char *d = n ? sl__arena_alloc_bytes(&v->heap, n) : NULL;
    if (n) memcpy(d, p, n);
    SL_VEC_DATA(v, sl__str)[row] = sl__str_make(d ? d : "", n);
}

uint32_t sl__vec_list_append(sl__vec *v, uint32_t row, uint32_t n) {
    sl__vec *c = v->child[0];
    uint32_t off = v->child_len;
    if (off + n > c->cap) sl__vec_reserve(c, off + n);
    v->child_len = off + n;
    SL_VEC_DATA(v, sl__list)[row] = (sl__list){off, n};
    return off;
}

void sl__vec_copy_value(sl__vec *dst, uint32_t dr, const sl__vec *src, uint32_t sr) {
    sr = sl__vec_idx(src, sr);
    if (!sl__vec_valid(src, sr)) {
        sl__vec_set_null(dst, dr);
        return;
    }
    sl__vec_set_valid(dst, dr);
    switch (src->type->id) {
    case SL_TYPE_STRING: {
        sl__str s = SL_VEC_DATA(src, sl__str)[sr];
        sl__vec_set_str_copy(dst, dr, s.ptr, s.len);
        break;
    }
    case SL_TYPE_STRUCT:
        for (uint32_t i = 0; i < src->n_child; i++)
            sl__vec_copy_value(dst->child[i], dr, src->child[i], sr);
        break;
    case SL_TYPE_ARRAY: {
        sl__list l = SL_VEC_DATA(src, sl__list)[sr];
        uint32_t off = sl__vec_list_append(dst, dr, l.len);
        for (uint32_t i = 0; i < l.len; i++)
            sl__vec_copy_value(dst->child[0], off + i, src->child[0], l.off + i);
        break;
    }
    default: {
        size_t w = sl__type_width(src->type);
        memcpy((char *)dst->data + (size_t)dr * w, (const char *)src->data + (size_t)sr * w, w);
    }
    }
}

void sl__vec_make_const_null(sl__vec *v) {
    v->is_const = true;
    sl__vec_set_null(v, 0);
}

size_t sl__vec_memory(const sl__vec *v) {
    size_t t = (size_t)v->cap * sl__type_width(v->type) + validity_words(v->cap) * 8 +
               sl__arena_capacity(&v->heap);
    for (uint32_t i = 0; i < v->n_child; i++) t += sl__vec_memory(v->child[i]);
    return t;
}
