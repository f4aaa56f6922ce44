/*
 * cast.c — CAST between all types with Spark's non-ANSI rules (R154–R164):
 * a value that does not convert becomes NULL, integer narrowing wraps,
 * double to integer truncates and saturates, numbers cast to TIMESTAMP are
 * seconds since the epoch. One kernel per (from, to) family; the kernel is
 * chosen once at bind time.
 */
#include "format/valtext.h"
#include "func/func.h"
#include "types/text.h"
#include "types/tz.h"
#include <math.h>

/* Reads element k of a numeric/boolean/temporal vector as int64 / double. */
static inline int64_t get_i64(const sl__vec *v, uint32_t k) {
    switch (v->type->id) {
    case SL_TYPE_BOOLEAN: return SL_VEC_DATA(v, uint8_t)[k];
    case SL_TYPE_SMALLINT: return SL_VEC_DATA(v, int16_t)[k];
    case SL_TYPE_INT:
    case SL_TYPE_DATE: return SL_VEC_DATA(v, int32_t)[k];
    default: return SL_VEC_DATA(v, int64_t)[k];
    }
}

static inline void put_i64(sl__vec *v, uint32_t r, int64_t x) {
    switch (v->type->id) {
    case SL_TYPE_BOOLEAN: SL_VEC_DATA(v, uint8_t)[r] = x != 0; break;
    case SL_TYPE_SMALLINT: SL_VEC_DATA(v, int16_t)[r] = (int16_t)(uint16_t)x; break;
    case SL_TYPE_INT:
    case SL_TYPE_DATE: SL_VEC_DATA(v, int32_t)[r] = (int32_t)(uint32_t)x; break;
    default: SL_VEC_DATA(v, int64_t)[r] = x;
    }
}

#define FOR_ROWS(rows, r)                                                                          \
    for (uint32_t i_ = 0, r; i_ < (rows)->count && ((r = SL_ROW(rows, i_)), 1); i_++)

static int64_t floordiv64(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

/* integral/boolean -> integral/boolean (wrapping) */
static void k_int_int(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *in = a[0];
    FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(in, r);
        if (!sl__vec_valid(in, k)) {
            sl__vec_set_null(out, r);
            continue;
        }
        put_i64(out, r, get_i64(in, k));
    }
}

static void k_int_double(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                         sl__vec *out) {
    const sl__vec *in = a[0];
    double *o = SL_VEC_DATA(out, double);
    FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(in, r);
        if (!sl__vec_valid(in, k)) {
            sl__vec_set_null(out, r);
            continue;
        }
        o[r] = (double)get_i64(in, k);
    }
}

static int64_t double_to_i64(double d, sl_type_id to) {
    if (isnan(d)) return 0;
    double lo, hi;
    switch (to) {
    case SL_TYPE_SMALLINT: lo = -32768.0, hi = 32767.0; break;
    case SL_TYPE_INT: lo = -2147483648.0, hi = 2147483647.0; break;
    default: lo = -9223372036854775808.0, hi = 9223372036854775807.0;
    }
    if (d <= lo) return (int64_t)lo;
    if (d >= hi) return to == SL_TYPE_BIGINT ? INT64_MAX : (int64_t)hi;
    return (int64_t)d; /* truncates toward zero */
}

static void k_double_int(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                         sl__vec *out) {
    const sl__vec *in = a[0];
    const double *d = SL_VEC_DATA(in, double);
    sl_type_id to = out->type->id;
    FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(in, r);
        if (!sl__vec_valid(in, k)) {
            sl__vec_set_null(out, r);
            continue;
        }
        if (to == SL_TYPE_BOOLEAN)
            SL_VEC_DATA(out, uint8_t)[r] = d[k] != 0;
        else
            put_i64(out, r, double_to_i64(d[k], to));
    }
}

static void k_to_string(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                        sl__vec *out) {
    const sl__vec *in = a[0];
    sl__text_opts o = {ctx->tz, "null"};
    sl__buf b = SL_BUF_INIT;
    FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(in, r);
        if (!sl__vec_valid(in, k)) {
            sl__vec_set_null(out, r);
            continue;
        }
        sl__buf_clear(&b);
        sl__value_text(in, k, &o, &b);
        sl__vec_set_str_copy(out, r, sl__buf_str(&b), b.len);
    }
    sl__buf_free(&b);
}

static void k_string_to(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                        sl__vec *out) {
    const sl__vec *in = a[0];
    const sl__str *s = SL_VEC_DATA(in, sl__str);
    sl_type_id to = out->type->id;
    FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(in, r);
        if (!sl__vec_valid(in, k)) {
            sl__vec_set_null(out, r);
            continue;
        }
        bool ok = false;
        switch (to) {
        case SL_TYPE_BOOLEAN: {
            bool b;
            ok = sl__parse_bool(s[k].ptr, s[k].len, &b);
            if (ok) SL_VEC_DATA(out, uint8_t)[r] = b;
            break;
        }
        case SL_TYPE_SMALLINT:
        case SL_TYPE_INT:
        case SL_TYPE_BIGINT: {
            int64_t v;
            ok = sl__parse_i64(s[k].ptr, s[k].len, &v);
            if (ok && to == SL_TYPE_INT) ok = v >= INT32_MIN && v <= INT32_MAX;
            if (ok && to == SL_TYPE_SMALLINT) ok = v >= INT16_MIN && v <= INT16_MAX;
            if (ok) put_i64(out, r, v);
            break;
        }
        case SL_TYPE_DOUBLE: {
            double d;
            ok = sl__parse_f64(s[k].ptr, s[k].len, &d);
            if (ok) SL_VEC_DATA(out, double)[r] = d;
            break;
        }
        case SL_TYPE_TIMESTAMP: {
            int64_t t;
            ok = ctx->tz ? sl__tz_parse_timestamp(s[k].ptr, s[k].len, ctx->tz, &t)
                         : sl__parse_timestamp(s[k].ptr, s[k].len, ctx->tz_offset_us, &t);
            if (ok) SL_VEC_DATA(out, int64_t)[r] = t;
            break;
        }
        case SL_TYPE_DATE: {
            int32_t d;
            ok = sl__parse_date(s[k].ptr, s[k].len, &d);
            if (ok) SL_VEC_DATA(out, int32_t)[r] = d;
            break;
        }
        default: break;
        }
        if (!ok) {
            if (e->iparam == 2) {
                sl__ectx_fail(ctx, SL_ERR_ANALYSIS, "'%.*s' is not a valid %s literal",
                              (int)s[k].len, s[k].ptr, out->type->name);
                return;
            }
            sl__vec_set_null(out, r);
        }
    }
}

/* integral seconds -> TIMESTAMP */
static void k_int_ts(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *in = a[0];
    int64_t *o = SL_VEC_DATA(out, int64_t);
    bool from_bool = in->type->id == SL_TYPE_BOOLEAN;
    FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(in, r);
        if (!sl__vec_valid(in, k)) {
            sl__vec_set_null(out, r);
            continue;
        }
        int64_t v = get_i64(in, k);
        /* R157: true -> 1 microsecond after the epoch */
        o[r] = from_bool ? v : (int64_t)((uint64_t)v * 1000000u);
    }
}

static void k_double_ts(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                        sl__vec *out) {
    const sl__vec *in = a[0];
    const double *d = SL_VEC_DATA(in, double);
    int64_t *o = SL_VEC_DATA(out, int64_t);
    FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(in, r);
        if (!sl__vec_valid(in, k) || !isfinite(d[k])) {
            sl__vec_set_null(out, r);
            continue;
        }
        double us = d[k] * 1e6;
        if (us >= 9.2e18 || us <= -9.2e18) {
            sl__vec_set_null(out, r);
            continue;
        }
        o[r] = (int64_t)us; /* truncates toward zero */
    }
}

static void k_ts_to(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *in = a[0];
    const int64_t *t = SL_VEC_DATA(in, int64_t);
    sl_type_id to = out->type->id;
    FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(in, r);
        if (!sl__vec_valid(in, k)) {
            sl__vec_set_null(out, r);
            continue;
        }
        switch (to) {
        case SL_TYPE_DOUBLE: SL_VEC_DATA(out, double)[r] = (double)t[k] / 1e6; break;
        case SL_TYPE_DATE:
            SL_VEC_DATA(out, int32_t)
            [r] = (int32_t)floordiv64(
                ctx->tz ? sl__tz_to_local(ctx->tz, t[k]) : t[k] + ctx->tz_offset_us, 86400000000LL);
            break;
        case SL_TYPE_BOOLEAN: SL_VEC_DATA(out, uint8_t)[r] = t[k] != 0; break;
        default: put_i64(out, r, floordiv64(t[k], 1000000)); /* R158: floor seconds */
        }
    }
}

static void k_date_ts(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *in = a[0];
    const int32_t *d = SL_VEC_DATA(in, int32_t);
    int64_t *o = SL_VEC_DATA(out, int64_t);
    FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(in, r);
        if (!sl__vec_valid(in, k)) {
            sl__vec_set_null(out, r);
            continue;
        }
        int64_t local = (int64_t)((uint64_t)(int64_t)d[k] * 86400000000ULL); /* wraps, never UB */
        o[r] = ctx->tz ? sl__tz_to_utc(ctx->tz, local) : local - ctx->tz_offset_us;
    }
}

static void k_null_to(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    FOR_ROWS(rows, r) sl__vec_set_null(out, r);
}

/* STRUCT -> STRUCT and ARRAY -> ARRAY: cast children with nested casts held
 * in the expression state. */
typedef struct nested_cast {
    sl__expr **field_casts; /* per field (or [0] for array elements): cast of colref 0 */
    uint32_t n;
} nested_cast;

static void nested_free(void *p) {
    nested_cast *nc = p;
    for (uint32_t i = 0; i < nc->n; i++) sl__expr_free(nc->field_casts[i]);
    sl__free(nc->field_casts);
    sl__free(nc);
}

static void k_nested(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *in = a[0];
    nested_cast *nc = e->state;
    if (in->type->id == SL_TYPE_STRUCT) {
        for (uint32_t f = 0; f < nc->n; f++) {
            sl__vec *child = in->child[f];
            /* evaluate the field cast over the same rows; a const parent maps to row 0 */
            sl__rows rr = *rows;
            uint32_t zero = 0;
            if (in->is_const) rr = (sl__rows){&zero, 1};
            sl__batch b = {1, &child, SL_VEC_SIZE, NULL, 0};
            sl__vec *res = sl__expr_eval_rows(nc->field_casts[f], ctx, &b, &rr);
            FOR_ROWS(rows, r) sl__vec_copy_value(out->child[f], r, res, in->is_const ? 0 : r);
        }
        FOR_ROWS(rows, r) sl__vec_set_validity(out, r, sl__vec_valid(in, sl__vec_idx(in, r)));
        return;
    }
    /* ARRAY: cast all elements of the referenced lists */
    FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(in, r);
        if (!sl__vec_valid(in, k)) {
            sl__vec_set_null(out, r);
            continue;
        }
        sl__list l = SL_VEC_DATA(in, sl__list)[k];
        uint32_t off = sl__vec_list_append(out, r, l.len);
        sl__vec *elems = in->child[0];
        for (uint32_t j = 0; j < l.len; j += SL_VEC_SIZE) {
            uint32_t cnt = SL_MIN(SL_VEC_SIZE, l.len - j);
            uint32_t idx[SL_VEC_SIZE];
            for (uint32_t q = 0; q < cnt; q++) idx[q] = l.off + j + q;
            sl__rows er = {idx, cnt};
            sl__batch b = {1, &elems, elems->cap, NULL, 0};
            sl__vec *res = sl__expr_eval_rows(nc->field_casts[0], ctx, &b, &er);
            for (uint32_t q = 0; q < cnt; q++)
                sl__vec_copy_value(out->child[0], off + j + q, res, l.off + j + q);
        }
    }
}

sl__kernel sl__cast_kernel(const sl__type *from, const sl__type *to) {
    sl_type_id f = from->id, t = to->id;
    if (f == SL_TYPE_NULL) return k_null_to;
    if (t == SL_TYPE_STRING) return k_to_string;
    bool fi = sl__type_is_integral(from) || f == SL_TYPE_BOOLEAN;
    bool ti = sl__type_is_integral(to) || t == SL_TYPE_BOOLEAN;
    if (f == SL_TYPE_STRING) {
        if (ti || t == SL_TYPE_DOUBLE || t == SL_TYPE_TIMESTAMP || t == SL_TYPE_DATE)
            return k_string_to;
        return NULL;
    }
    if (fi && ti) return k_int_int;
    if (fi && t == SL_TYPE_DOUBLE) return k_int_double;
    if (f == SL_TYPE_DOUBLE && ti) return k_double_int;
    if (f == SL_TYPE_DOUBLE && t == SL_TYPE_DOUBLE) return k_int_int;
    if (fi && t == SL_TYPE_TIMESTAMP) return k_int_ts;
    if (f == SL_TYPE_DOUBLE && t == SL_TYPE_TIMESTAMP) return k_double_ts;
    if (f == SL_TYPE_TIMESTAMP && (ti || t == SL_TYPE_DOUBLE || t == SL_TYPE_DATE)) return k_ts_to;
    if (f == SL_TYPE_DATE && t == SL_TYPE_TIMESTAMP) return k_date_ts;
    if (f == SL_TYPE_DATE && t == SL_TYPE_DATE) return k_int_int;
    if (f == SL_TYPE_TIMESTAMP && t == SL_TYPE_TIMESTAMP) return k_int_int;
    if (f == SL_TYPE_INTERVAL && t == SL_TYPE_INTERVAL) return k_int_int;
    if ((f == SL_TYPE_STRUCT && t == SL_TYPE_STRUCT && from->n_fields == to->n_fields) ||
        (f == SL_TYPE_ARRAY && t == SL_TYPE_ARRAY))
        return k_nested;
    return NULL;
}

sl__expr *sl__cast_bind(sl__expr *e, const sl__type *to, uint32_t pos, sl__err *err) {
    if (e->type == to) return e;
    sl__kernel k = sl__cast_kernel(e->type, to);
    if (!k) {
        sl__err_set(err, SL_ERR_ANALYSIS, pos, "cannot cast %s to %s", e->type->name, to->name);
        sl__expr_free(e);
        return NULL;
    }
    nested_cast *nc = NULL;
    if (k == k_nested) {
        nc = sl__calloc(1, sizeof *nc);
        nc->n = e->type->id == SL_TYPE_STRUCT ? e->type->n_fields : 1;
        nc->field_casts = sl__calloc(nc->n, sizeof *nc->field_casts);
        for (uint32_t i = 0; i < nc->n; i++) {
            sl__expr *ref = sl__expr_colref(0, e->type->fields[i]);
            nc->field_casts[i] = sl__cast_bind(ref, to->fields[i], pos, err);
            if (!nc->field_casts[i]) {
                nested_free(nc);
                sl__expr_free(e);
                return NULL;
            }
        }
    }
    sl__expr *c = sl__expr_call("cast", to, k, &e, 1);
    if (nc) {
        c->state = nc;
        c->free_state = nested_free;
    }
    return c;
}
