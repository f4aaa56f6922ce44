/*
 * scalar_nested.c — functions that build and take apart arrays and structs,
 * with Spark's non-ANSI semantics: array(...) and struct(...) / (a, b) /
 * named_struct(...); subscripts a[i] (get_item: 0-based for arrays, a
 * field name for structs) and element_at (1-based, negative from the end);
 * an index out of range gives NULL. size(NULL) is -1, as Spark's default
 * spark.sql.legacy.sizeOfNull=true gives (array_size(NULL) is NULL).
 * Then the array utilities: array_contains, array_position, array_remove,
 * array_distinct, array_join, array_max/min, sort_array, array_sort,
 * slice, flatten.
 *
 * Array results copy their elements (strings into the element vector's
 * heap) so an array owns what it holds; a single element taken out of an
 * array (a[i], element_at, array_max) is a STRING that may point into the
 * argument, as vector.h allows for the batch's lifetime.
 */
#include "func/kernel.h"
#include "types/text.h"

#define K(name)                                                                                    \
    static void name(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out)

static inline sl__list list_at(const sl__vec *v, uint32_t r) {
    return SL_VEC_DATA(v, sl__list)[sl__vec_idx(v, r)];
}

/* out[r] = src[k] (k a physical element index); strings are borrowed,
 * nested values copied. */
static void take(sl__vec *out, uint32_t r, const sl__vec *src, uint32_t k) {
    if (src->type->id == SL_TYPE_STRING) {
        if (!sl__vec_valid(src, k)) {
            sl__vec_set_null(out, r);
            return;
        }
        sl__vec_set_valid(out, r);
        SL_VEC_DATA(out, sl__str)[r] = SL_VEC_DATA(src, sl__str)[k];
        return;
    }
    sl__vec_copy_value(out, r, src, k);
}

static sl_status want_array(sl__fbind *fb, uint32_t i) {
    if (fb->args[i]->type->id == SL_TYPE_ARRAY) return SL_OK;
    return sl__fbind_type_error(fb, i, "an array");
}

/* args[i] as an integer of type `to` (integers, doubles, numeric strings). */
static sl_status want_int(sl__fbind *fb, uint32_t i, const sl__type *to) {
    const sl__type *t = fb->args[i]->type;
    if (t == to) return SL_OK;
    if (!sl__type_is_numeric(t) && t->id != SL_TYPE_STRING && t->id != SL_TYPE_NULL)
        return sl__fbind_type_error(fb, i, "an integer");
    sl__fbind_cast_arg(fb, i, to);
    return SL_OK;
}

/* Folds a constant argument that is not yet a literal (a cast of one). */
static const sl__vec *const_arg(sl__fbind *fb, uint32_t i) {
    sl__expr *x = fb->args[i];
    if (x->kind != E_CONST && sl__expr_is_const(x)) {
        int64_t off = 0;
        const char *tz = fb->time_zone ? fb->time_zone : "UTC";
        if (!sl__parse_zone_offset(tz, strlen(tz), &off)) return NULL;
        sl__err err;
        sl__err_clear(&err);
        sl__ectx ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.err = &err;
        ctx.time_zone = tz;
        ctx.tz_offset_us = off;
        fb->args[i] = sl__expr_fold(x, &ctx);
    }
    return sl__fbind_const(fb, i);
}

K(k_all_null) {
    SL_FOR_ROWS(rows, r) sl__vec_set_null(out, r);
}

/* ---- constructors ----------------------------------------------------------- */

K(k_array) {
    uint32_t n = e->n_args;
    SL_FOR_ROWS(rows, r) {
        uint32_t off = sl__vec_list_append(out, r, n);
        for (uint32_t k = 0; k < n; k++) sl__vec_copy_value(out->child[0], off + k, a[k], r);
    }
}

static sl_status bind_array(sl__fbind *fb) {
    const sl__type *t = SL_T_NULL;
    for (uint32_t i = 0; i < fb->n_args; i++) {
        const sl__type *n = sl__common_type(t, fb->args[i]->type);
        if (!n) return sl__fbind_type_error(fb, i, "of a type compatible with the other elements");
        t = n;
    }
    for (uint32_t i = 0; i < fb->n_args; i++) sl__fbind_cast_arg(fb, i, t);
    fb->type = sl__type_array(t);
    fb->kernel = k_array;
    return SL_OK;
}

/* struct(...): iparam 0, fields are the arguments; named_struct: iparam 1,
 * fields are the odd arguments (the even ones are the names) */
K(k_struct) {
    uint32_t stride = e->iparam ? 2 : 1, first = e->iparam ? 1 : 0;
    for (uint32_t f = 0; f < out->n_child; f++) {
        const sl__vec *src = a[first + f * stride];
        sl__vec *dst = out->child[f];
        SL_FOR_ROWS(rows, r) sl__vec_copy_value(dst, r, src, r);
    }
}

static sl_status bind_struct(sl__fbind *fb) {
    uint32_t n = fb->n_args;
    const char **names = sl__calloc(n ? n : 1, sizeof *names);
    const sl__type **types = sl__calloc(n ? n : 1, sizeof *types);
    char(*buf)[16] = sl__calloc(n ? n : 1, sizeof *buf);
    for (uint32_t i = 0; i < n; i++) {
        snprintf(buf[i], sizeof buf[i], "col%u", i + 1);
        names[i] = fb->arg_names && fb->arg_names[i] ? fb->arg_names[i] : buf[i];
        types[i] = fb->args[i]->type;
    }
    fb->type = sl__type_struct(n, names, types, NULL);
    sl__free(names);
    sl__free(types);
    sl__free(buf);
    fb->kernel = k_struct;
    return SL_OK;
}

static sl_status bind_named_struct(sl__fbind *fb) {
    if (fb->n_args % 2)
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "named_struct expects pairs of (name, value), got %u arguments",
                           fb->n_args);
    uint32_t n = fb->n_args / 2;
    const char **names = sl__calloc(n ? n : 1, sizeof *names);
    const sl__type **types = sl__calloc(n ? n : 1, sizeof *types);
    char **owned = sl__calloc(n ? n : 1, sizeof *owned);
    sl_status st = SL_OK;
    for (uint32_t i = 0; i < n && st == SL_OK; i++) {
        const sl__vec *nv = const_arg(fb, 2 * i);
        if (!nv || nv->type->id != SL_TYPE_STRING || !sl__vec_valid(nv, 0)) {
            st = sl__fbind_type_error(fb, 2 * i, "a constant non-NULL string (a field name)");
            break;
        }
        sl__str s = SL_VEC_DATA(nv, sl__str)[0];
        owned[i] = sl__strndup(s.ptr, s.len);
        names[i] = owned[i];
        types[i] = fb->args[2 * i + 1]->type;
    }
    if (st == SL_OK) {
        fb->type = sl__type_struct(n, names, types, NULL);
        fb->kernel = k_struct;
        fb->iparam = 1;
    }
    for (uint32_t i = 0; i < n; i++) sl__free(owned[i]);
    sl__free(owned);
    sl__free(names);
    sl__free(types);
    return st;
}

/* ---- subscripts ---------------------------------------------------------------- */

/* iparam 0: get_item (0-based); 1: element_at (1-based, negative from the end) */
K(k_array_item) {
    bool sql_index = e->iparam == 1;
    const sl__vec *arr = a[0], *ix = a[1];
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        sl__list l = list_at(arr, r);
        int64_t i = sl__get_i64(ix, sl__vec_idx(ix, r));
        if (sql_index) {
            if (i == 0) {
                sl__ectx_fail(ctx, SL_ERR_EXEC,
                              "element_at: the index 0 is invalid; SQL array indices start at 1 "
                              "(negative indices count from the end)");
                return;
            }
            i = i < 0 ? (int64_t)l.len + i : i - 1;
        }
        if (i < 0 || i >= (int64_t)l.len) {
            sl__vec_set_null(out, r);
            continue;
        }
        take(out, r, arr->child[0], l.off + (uint32_t)i);
    }
}

/* a struct field: iparam is the field index */
K(k_struct_field) {
    const sl__vec *s = a[0];
    uint32_t f = (uint32_t)e->iparam;
    SL_FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(s, r);
        if (!sl__vec_valid(s, k)) {
            sl__vec_set_null(out, r);
            continue;
        }
        take(out, r, s->child[f], k);
    }
}

static sl_status bind_get_item(sl__fbind *fb) {
    const sl__type *t = fb->args[0]->type;
    if (t->id == SL_TYPE_ARRAY) {
        const sl__type *it = fb->args[1]->type;
        if (!sl__type_is_integral(it) && it->id != SL_TYPE_NULL)
            return sl__fbind_type_error(fb, 1, "an integer (array index)");
        sl__fbind_cast_arg(fb, 1, SL_T_I64);
        fb->type = t->fields[0];
        fb->kernel = k_array_item;
        return SL_OK;
    }
    if (t->id == SL_TYPE_STRUCT) {
        const sl__vec *kv = const_arg(fb, 1);
        if (!kv || kv->type->id != SL_TYPE_STRING || !sl__vec_valid(kv, 0))
            return sl__fbind_type_error(fb, 1, "a constant string (a field name)");
        sl__str key = SL_VEC_DATA(kv, sl__str)[0];
        int f = sl__type_field_index(t, key.ptr, key.len, true);
        if (f < 0) f = sl__type_field_index(t, key.ptr, key.len, false);
        if (f == -2)
            return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                               "ambiguous reference to field '%.*s' in %s", (int)key.len, key.ptr,
                               t->name);
        if (f < 0)
            return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos, "no field '%.*s' in %s",
                               (int)key.len, key.ptr, t->name);
        fb->type = t->fields[f];
        fb->kernel = k_struct_field;
        fb->iparam = f;
        return SL_OK;
    }
    if (t->id == SL_TYPE_NULL) {
        fb->type = SL_T_NULL;
        fb->kernel = k_all_null;
        return SL_OK;
    }
    return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                       "cannot subscript a value of type %s (only arrays and structs)", t->name);
}

static sl_status bind_element_at(sl__fbind *fb) {
    if (want_array(fb, 0) != SL_OK || want_int(fb, 1, SL_T_I64) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = fb->args[0]->type->fields[0];
    fb->kernel = k_array_item;
    fb->iparam = 1;
    return SL_OK;
}

/* ---- size ---------------------------------------------------------------------- */

/* iparam 0: size (NULL -> -1, legacy sizeOfNull); 1: array_size (NULL -> NULL) */
K(k_size) {
    int32_t *o = SL_VEC_DATA(out, int32_t);
    bool null_is_null = e->iparam == 1;
    SL_FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(a[0], r);
        if (!sl__vec_valid(a[0], k)) {
            if (null_is_null)
                sl__vec_set_null(out, r);
            else
                o[r] = -1;
            continue;
        }
        o[r] = a[0]->type->id == SL_TYPE_ARRAY ? (int32_t)SL_VEC_DATA(a[0], sl__list)[k].len : -1;
    }
}

static sl_status bind_size_mode(sl__fbind *fb, int mode) {
    sl_type_id t = fb->args[0]->type->id;
    if (t != SL_TYPE_ARRAY && t != SL_TYPE_NULL) return sl__fbind_type_error(fb, 0, "an array");
    fb->type = SL_T_I32;
    fb->kernel = k_size;
    fb->iparam = mode;
    return SL_OK;
}
static sl_status bind_size(sl__fbind *fb) {
    return bind_size_mode(fb, 0);
}
static sl_status bind_array_size(sl__fbind *fb) {
    return bind_size_mode(fb, 1);
}

/* ---- search ---------------------------------------------------------------------- */

/* Casts (array, value) to (array<t>, t) for t the common type of the
 * element and the value. */
static sl_status bind_array_value(sl__fbind *fb) {
    if (want_array(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    const sl__type *el = fb->args[0]->type->fields[0];
    const sl__type *t = sl__common_type(el, fb->args[1]->type);
    if (!t)
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "%s: cannot look for a %s in an array of %s", fb->name,
                           fb->args[1]->type->name, el->name);
    if (t != el) sl__fbind_cast_arg(fb, 0, sl__type_array(t));
    sl__fbind_cast_arg(fb, 1, t);
    return SL_OK;
}

/* array_contains: TRUE if found; else NULL if the array holds a NULL; else FALSE */
K(k_array_contains) {
    uint8_t *o = SL_VEC_DATA(out, uint8_t);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        sl__list l = list_at(a[0], r);
        const sl__vec *el = a[0]->child[0];
        bool found = false, saw_null = false;
        for (uint32_t j = 0; j < l.len && !found; j++) {
            if (!sl__vec_valid(el, l.off + j))
                saw_null = true;
            else if (sl__value_eq(el, l.off + j, a[1], r))
                found = true;
        }
        if (found)
            o[r] = 1;
        else if (saw_null)
            sl__vec_set_null(out, r);
        else
            o[r] = 0;
    }
}

static sl_status bind_array_contains(sl__fbind *fb) {
    if (bind_array_value(fb) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_BOOL;
    fb->kernel = k_array_contains;
    return SL_OK;
}

/* array_position: 1-based index of the first equal element, 0 when none */
K(k_array_position) {
    int64_t *o = SL_VEC_DATA(out, int64_t);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        sl__list l = list_at(a[0], r);
        const sl__vec *el = a[0]->child[0];
        int64_t pos = 0;
        for (uint32_t j = 0; j < l.len; j++) {
            if (sl__vec_valid(el, l.off + j) && sl__value_eq(el, l.off + j, a[1], r)) {
                pos = j + 1;
                break;
            }
        }
        o[r] = pos;
    }
}

static sl_status bind_array_position(sl__fbind *fb) {
    if (bind_array_value(fb) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_I64;
    fb->kernel = k_array_position;
    return SL_OK;
}

/* array_remove: the elements not equal to the value (NULL elements stay) */
K(k_array_remove) {
    uint32_t *keep = NULL;
    size_t cap = 0;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        sl__list l = list_at(a[0], r);
        const sl__vec *el = a[0]->child[0];
        SL_GROW(keep, cap, l.len + 1);
        uint32_t n = 0;
        for (uint32_t j = 0; j < l.len; j++)
            if (!sl__vec_valid(el, l.off + j) || !sl__value_eq(el, l.off + j, a[1], r))
                keep[n++] = l.off + j;
        uint32_t off = sl__vec_list_append(out, r, n);
        for (uint32_t j = 0; j < n; j++) sl__vec_copy_value(out->child[0], off + j, el, keep[j]);
    }
    sl__free(keep);
}

static sl_status bind_array_remove(sl__fbind *fb) {
    if (bind_array_value(fb) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = fb->args[0]->type;
    fb->kernel = k_array_remove;
    return SL_OK;
}

/* ---- array_distinct ------------------------------------------------------------- */

/* Open-addressing set of element indices, reused across rows. */
typedef struct idxset {
    uint32_t *slot; /* element index + 1; 0 = empty */
    size_t cap;     /* power of two */
} idxset;

K(k_array_distinct) {
    uint32_t *keep = NULL;
    size_t kcap = 0;
    idxset hs = {NULL, 0};
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        sl__list l = list_at(a[0], r);
        const sl__vec *el = a[0]->child[0];
        SL_GROW(keep, kcap, l.len + 1);
        uint32_t n = 0;
        bool saw_null = false;
        if (l.len <= 16) {
            for (uint32_t j = 0; j < l.len; j++) {
                uint32_t k = l.off + j;
                if (!sl__vec_valid(el, k)) {
                    if (!saw_null) keep[n++] = k;
                    saw_null = true;
                    continue;
                }
                bool dup = false;
                for (uint32_t q = 0; q < n && !dup; q++)
                    dup = sl__vec_valid(el, keep[q]) && sl__value_eq(el, keep[q], el, k);
                if (!dup) keep[n++] = k;
            }
        } else {
            size_t want = 32;
            while (want < 2 * (size_t)l.len) want *= 2;
            if (hs.cap < want) {
                sl__free(hs.slot);
                hs.slot = sl__malloc(want * sizeof *hs.slot);
                hs.cap = want;
            }
            memset(hs.slot, 0, hs.cap * sizeof *hs.slot);
            size_t mask = hs.cap - 1;
            for (uint32_t j = 0; j < l.len; j++) {
                uint32_t k = l.off + j;
                if (!sl__vec_valid(el, k)) {
                    if (!saw_null) keep[n++] = k;
                    saw_null = true;
                    continue;
                }
                size_t h = (size_t)sl__value_hash(el, k) & mask;
                bool dup = false;
                while (hs.slot[h]) {
                    if (sl__value_eq(el, hs.slot[h] - 1, el, k)) {
                        dup = true;
                        break;
                    }
                    h = (h + 1) & mask;
                }
                if (!dup) {
                    hs.slot[h] = k + 1;
                    keep[n++] = k;
                }
            }
        }
        uint32_t off = sl__vec_list_append(out, r, n);
        for (uint32_t j = 0; j < n; j++) sl__vec_copy_value(out->child[0], off + j, el, keep[j]);
    }
    sl__free(keep);
    sl__free(hs.slot);
}

static sl_status bind_array_distinct(sl__fbind *fb) {
    if (want_array(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = fb->args[0]->type;
    fb->kernel = k_array_distinct;
    return SL_OK;
}

/* ---- array_join ----------------------------------------------------------------- */

K(k_array_join) {
    sl__buf b = SL_BUF_INIT;
    bool has_repl = e->n_args > 2;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        sl__list l = list_at(a[0], r);
        const sl__vec *el = a[0]->child[0];
        sl__str sep = sl__get_str(a[1], r);
        sl__str nr = has_repl ? sl__get_str(a[2], r) : sl__str_make("", 0);
        bool first = true;
        sl__buf_clear(&b);
        for (uint32_t j = 0; j < l.len; j++) {
            sl__str s;
            if (sl__vec_valid(el, l.off + j))
                s = SL_VEC_DATA(el, sl__str)[l.off + j];
            else if (has_repl)
                s = nr;
            else
                continue;
            if (!first) sl__buf_append(&b, sep.ptr, sep.len);
            sl__buf_append(&b, s.ptr, s.len);
            first = false;
        }
        sl__vec_set_str_copy(out, r, sl__buf_str(&b), b.len);
    }
    sl__buf_free(&b);
}

static sl_status bind_array_join(sl__fbind *fb) {
    if (want_array(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    const sl__type *el = fb->args[0]->type->fields[0];
    if (el->id == SL_TYPE_STRUCT || el->id == SL_TYPE_ARRAY)
        return sl__fbind_type_error(fb, 0, "an array of strings");
    sl__fbind_cast_arg(fb, 0, sl__type_array(SL_T_STR));
    for (uint32_t i = 1; i < fb->n_args; i++) {
        const sl__type *t = fb->args[i]->type;
        if (t->id == SL_TYPE_STRUCT || t->id == SL_TYPE_ARRAY)
            return sl__fbind_type_error(fb, i, "a string");
        sl__fbind_cast_arg(fb, i, SL_T_STR);
    }
    fb->type = SL_T_STR;
    fb->kernel = k_array_join;
    return SL_OK;
}

/* ---- array_max, array_min ------------------------------------------------------- */

K(k_array_minmax) {
    bool want_min = e->iparam == 1;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        sl__list l = list_at(a[0], r);
        const sl__vec *el = a[0]->child[0];
        int64_t best = -1;
        for (uint32_t j = 0; j < l.len; j++) {
            uint32_t k = l.off + j;
            if (!sl__vec_valid(el, k)) continue;
            if (best < 0)
                best = k;
            else {
                int c = sl__value_cmp(el, k, el, (uint32_t)best);
                if (want_min ? c < 0 : c > 0) best = k;
            }
        }
        if (best < 0)
            sl__vec_set_null(out, r);
        else
            take(out, r, el, (uint32_t)best);
    }
}

static sl_status bind_minmax(sl__fbind *fb, int which) {
    if (want_array(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = fb->args[0]->type->fields[0];
    fb->kernel = k_array_minmax;
    fb->iparam = which;
    return SL_OK;
}
static sl_status bind_array_max(sl__fbind *fb) {
    return bind_minmax(fb, 0);
}
static sl_status bind_array_min(sl__fbind *fb) {
    return bind_minmax(fb, 1);
}

/* ---- sorting ---------------------------------------------------------------------- */

typedef struct sort_ctx {
    const sl__vec *el;
    bool asc;
    bool nulls_first;
} sort_ctx;

static int cmp_elems(const void *x, const void *y, void *arg) {
    const sort_ctx *sc = arg;
    uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
    bool vi = sl__vec_valid(sc->el, i), vj = sl__vec_valid(sc->el, j);
    if (!vi || !vj) {
        if (vi == vj) return 0;
        return (!vi) == sc->nulls_first ? -1 : 1;
    }
    int c = sl__value_cmp(sc->el, i, sc->el, j);
    return sc->asc ? c : -c;
}

/* iparam bit 0: descending; bit 1: NULLs last when ascending (array_sort) */
K(k_sort_array) {
    uint32_t *idx = NULL;
    size_t cap = 0;
    bool desc = e->iparam & 1, nulls_last_asc = e->iparam & 2;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        sl__list l = list_at(a[0], r);
        const sl__vec *el = a[0]->child[0];
        SL_GROW(idx, cap, l.len + 1);
        for (uint32_t j = 0; j < l.len; j++) idx[j] = l.off + j;
        /* sort_array: NULLs first ascending, last descending; array_sort: last */
        sort_ctx sc = {el, !desc, !desc && !nulls_last_asc};
        if (l.len > 1) qsort_r(idx, l.len, sizeof *idx, cmp_elems, &sc);
        uint32_t off = sl__vec_list_append(out, r, l.len);
        for (uint32_t j = 0; j < l.len; j++) sl__vec_copy_value(out->child[0], off + j, el, idx[j]);
    }
    sl__free(idx);
}

static sl_status bind_sort_array(sl__fbind *fb) {
    if (want_array(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    bool asc = true;
    if (fb->n_args > 1) {
        const sl__vec *v = const_arg(fb, 1);
        if (!v || v->type->id != SL_TYPE_BOOLEAN || !sl__vec_valid(v, 0))
            return sl__fbind_type_error(fb, 1, "a boolean literal");
        asc = SL_VEC_DATA(v, uint8_t)[0] != 0;
    }
    fb->type = fb->args[0]->type;
    fb->kernel = k_sort_array;
    fb->iparam = asc ? 0 : 1;
    return SL_OK;
}

static sl_status bind_array_sort(sl__fbind *fb) {
    if (want_array(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = fb->args[0]->type;
    fb->kernel = k_sort_array;
    fb->iparam = 2;
    return SL_OK;
}

/* ---- slice, flatten ---------------------------------------------------------------- */

K(k_slice) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 3, r, out)) continue;
        sl__list l = list_at(a[0], r);
        int64_t start = SL_ARG(a[1], int32_t, r), len = SL_ARG(a[2], int32_t, r);
        if (start == 0) {
            sl__ectx_fail(ctx, SL_ERR_EXEC,
                          "slice: unexpected value for start: SQL array indices start at 1");
            return;
        }
        if (len < 0) {
            sl__ectx_fail(ctx, SL_ERR_EXEC,
                          "slice: unexpected value for length: it must be >= 0, got %lld",
                          (long long)len);
            return;
        }
        int64_t from = start < 0 ? start + (int64_t)l.len : start - 1;
        uint32_t n = 0;
        if (from >= 0 && from < (int64_t)l.len) n = (uint32_t)SL_MIN(len, (int64_t)l.len - from);
        uint32_t off = sl__vec_list_append(out, r, n);
        for (uint32_t j = 0; j < n; j++)
            sl__vec_copy_value(out->child[0], off + j, a[0]->child[0], l.off + (uint32_t)from + j);
    }
}

static sl_status bind_slice(sl__fbind *fb) {
    if (want_array(fb, 0) != SL_OK || want_int(fb, 1, SL_T_I32) != SL_OK ||
        want_int(fb, 2, SL_T_I32) != SL_OK)
        return SL_ERR_ANALYSIS;
    fb->type = fb->args[0]->type;
    fb->kernel = k_slice;
    return SL_OK;
}

/* flatten(array<array<T>>): NULL when the array or any inner array is NULL */
K(k_flatten) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        sl__list l = list_at(a[0], r);
        const sl__vec *inner = a[0]->child[0];
        uint64_t total = 0;
        bool null_inner = false;
        for (uint32_t j = 0; j < l.len && !null_inner; j++) {
            if (!sl__vec_valid(inner, l.off + j))
                null_inner = true;
            else
                total += SL_VEC_DATA(inner, sl__list)[l.off + j].len;
        }
        if (null_inner) {
            sl__vec_set_null(out, r);
            continue;
        }
        uint32_t off = sl__vec_list_append(out, r, (uint32_t)total);
        for (uint32_t j = 0; j < l.len; j++) {
            sl__list m = SL_VEC_DATA(inner, sl__list)[l.off + j];
            for (uint32_t q = 0; q < m.len; q++)
                sl__vec_copy_value(out->child[0], off++, inner->child[0], m.off + q);
        }
    }
}

static sl_status bind_flatten(sl__fbind *fb) {
    const sl__type *t = fb->args[0]->type;
    if (t->id != SL_TYPE_ARRAY || t->fields[0]->id != SL_TYPE_ARRAY)
        return sl__fbind_type_error(fb, 0, "an array of arrays");
    fb->type = t->fields[0];
    fb->kernel = k_flatten;
    return SL_OK;
}

/* ---- the table -------------------------------------------------------------------- */

static const sl__fn_def defs[] = {
    {"array", 0, -1, bind_array, "array(a, b, ...)", "An array of the arguments (common type)."},
    {"struct", 0, -1, bind_struct, "struct(a, b, ...)",
     "A struct of the arguments, fields named col1, col2, ... Also `(a, b)`."},
    {"named_struct", 0, -1, bind_named_struct, "named_struct(name1, v1, ...)",
     "A struct with the given field names."},
    {"get_item", 2, 2, bind_get_item, "a[i] | s['field']",
     "Array element i (0-based; NULL out of range) or struct field."},
    {"element_at", 2, 2, bind_element_at, "element_at(array, i)",
     "Element i (1-based, negative from the end); NULL out of range."},
    {"size", 1, 1, bind_size, "size(array)",
     "Number of elements; -1 for NULL (legacy sizeOfNull)."},
    {"cardinality", 1, 1, bind_size, "cardinality(array)", "Same as size."},
    {"array_size", 1, 1, bind_array_size, "array_size(array)",
     "Number of elements; NULL for NULL."},
    {"array_contains", 2, 2, bind_array_contains, "array_contains(array, value)",
     "TRUE if value is an element (NULL if not found but the array holds a NULL)."},
    {"array_position", 2, 2, bind_array_position, "array_position(array, value)",
     "1-based position of the first element equal to value, 0 if none."},
    {"array_remove", 2, 2, bind_array_remove, "array_remove(array, value)",
     "The elements not equal to value."},
    {"array_distinct", 1, 1, bind_array_distinct, "array_distinct(array)",
     "The elements without duplicates, in first-seen order."},
    {"array_join", 2, 3, bind_array_join, "array_join(array, sep[, null_repl])",
     "Elements joined with sep; NULLs skipped or replaced by null_repl."},
    {"array_max", 1, 1, bind_array_max, "array_max(array)", "Largest non-NULL element."},
    {"array_min", 1, 1, bind_array_min, "array_min(array)", "Smallest non-NULL element."},
    {"sort_array", 1, 2, bind_sort_array, "sort_array(array[, asc])",
     "Sorted (NULLs first ascending, last descending)."},
    {"array_sort", 1, 1, bind_array_sort, "array_sort(array)", "Sorted ascending, NULLs last."},
    {"slice", 3, 3, bind_slice, "slice(array, start, length)",
     "length elements from start (1-based, negative from the end)."},
    {"flatten", 1, 1, bind_flatten, "flatten(array_of_arrays)", "The inner arrays concatenated."},
};

const sl__fn_table sl__fn_nested = {defs, SL_ARRAY_LEN(defs)};
