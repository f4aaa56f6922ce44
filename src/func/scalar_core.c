/*
 * scalar_core.c — the operators and the basic scalar functions: arithmetic
 * (+ - * / % div, unary -), bitwise operators, comparisons (= <> < <= > >=
 * <=>), NOT, IS [NOT] NULL, IN, LIKE/ILIKE, isnan, greatest/least and the
 * math functions. Semantics are Spark's with ANSI mode off (R164, R170,
 * R172): integer overflow wraps, division by zero gives NULL, `/` always
 * gives DOUBLE, a string compared with a number is cast to the number's
 * type. Arithmetic kernels have a branch-free fast path for dense batches
 * without constants.
 */
#include "func/kernel.h"
#include "types/text.h"
#include <math.h>
#include <strings.h>

/* ---- shared bind steps -------------------------------------------------- */

static const sl__type *null_to(const sl__type *t, const sl__type *other) {
    return t->id == SL_TYPE_NULL ? other : t;
}

/* Coerces both arguments of a numeric operator; returns the common type or
 * NULL after reporting an error. Strings become DOUBLE (Spark). */
static const sl__type *coerce_numeric2(sl__fbind *fb) {
    const sl__type *a = fb->args[0]->type, *b = fb->args[1]->type;
    if (a->id == SL_TYPE_STRING) a = SL_T_F64;
    if (b->id == SL_TYPE_STRING) b = SL_T_F64;
    a = null_to(a, b);
    b = null_to(b, a);
    if (a->id == SL_TYPE_NULL) a = b = SL_T_F64;
    const sl__type *t = sl__wider_numeric(a, b);
    if (!t) {
        sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                    "data type mismatch: '%s' needs numeric arguments, got %s and %s", fb->name,
                    fb->args[0]->type->name, fb->args[1]->type->name);
        return NULL;
    }
    sl__fbind_cast_arg(fb, 0, t);
    sl__fbind_cast_arg(fb, 1, t);
    return t;
}

/* Validity of out = validity(a) AND validity(b) over a dense range. */
static void and_validity(sl__vec *out, const sl__vec *a, const sl__vec *b, uint32_t n) {
    uint32_t words = (n + 63) / 64;
    for (uint32_t w = 0; w < words; w++) out->validity[w] = a->validity[w] & b->validity[w];
}

/* ---- arithmetic kernels ------------------------------------------------- */

#define WRAP_ADD(T, U, x, y) ((T)((U)(x) + (U)(y)))
#define WRAP_SUB(T, U, x, y) ((T)((U)(x) - (U)(y)))
#define WRAP_MUL(T, U, x, y) ((T)((U)(x) * (U)(y)))
#define F_ADD(T, U, x, y)    ((x) + (y))
#define F_SUB(T, U, x, y)    ((x) - (y))
#define F_MUL(T, U, x, y)    ((x) * (y))

#define ARITH_KERNEL(name, T, U, OP)                                                               \
    static void name(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,                \
                     sl__vec *out) {                                                               \
        const sl__vec *x = a[0], *y = a[1];                                                        \
        const T *xd = SL_VEC_DATA(x, T), *yd = SL_VEC_DATA(y, T);                                  \
        T *o = SL_VEC_DATA(out, T);                                                                \
        const uint32_t *sel = rows->sel;                                                           \
        uint32_t n = rows->count;                                                                  \
        if (!sel && !x->is_const && !y->is_const) {                                                \
            for (uint32_t r = 0; r < n; r++) o[r] = OP(T, U, xd[r], yd[r]);                        \
            and_validity(out, x, y, n);                                                            \
            return;                                                                                \
        }                                                                                          \
        if (!(x->is_const && y->is_const) && sl__vec_no_nulls(x, sel, n) &&                        \
            sl__vec_no_nulls(y, sel, n)) {                                                         \
            /* no NULLs: the output (all valid when reset) needs no validity work */               \
            if (y->is_const) {                                                                     \
                const T c = yd[0];                                                                 \
                if (!sel)                                                                          \
                    for (uint32_t r = 0; r < n; r++) o[r] = OP(T, U, xd[r], c);                    \
                else                                                                               \
                    for (uint32_t i = 0; i < n; i++) o[sel[i]] = OP(T, U, xd[sel[i]], c);          \
            } else if (x->is_const) {                                                              \
                const T c = xd[0];                                                                 \
                for (uint32_t i = 0; i < n; i++) {                                                 \
                    uint32_t r = sel ? sel[i] : i;                                                 \
                    o[r] = OP(T, U, c, yd[r]);                                                     \
                }                                                                                  \
            } else {                                                                               \
                for (uint32_t i = 0; i < n; i++) o[sel[i]] = OP(T, U, xd[sel[i]], yd[sel[i]]);     \
            }                                                                                      \
            return;                                                                                \
        }                                                                                          \
        SL_FOR_ROWS(rows, r) {                                                                     \
            uint32_t i = sl__vec_idx(x, r), j = sl__vec_idx(y, r);                                 \
            if (!sl__vec_valid(x, i) || !sl__vec_valid(y, j)) {                                    \
                sl__vec_set_null(out, r);                                                          \
                continue;                                                                          \
            }                                                                                      \
            o[r] = OP(T, U, xd[i], yd[j]);                                                         \
        }                                                                                          \
    }

ARITH_KERNEL(add_i16, int16_t, uint16_t, WRAP_ADD)
ARITH_KERNEL(add_i32, int32_t, uint32_t, WRAP_ADD)
ARITH_KERNEL(add_i64, int64_t, uint64_t, WRAP_ADD)
ARITH_KERNEL(add_f64, double, double, F_ADD)
ARITH_KERNEL(sub_i16, int16_t, uint16_t, WRAP_SUB)
ARITH_KERNEL(sub_i32, int32_t, uint32_t, WRAP_SUB)
ARITH_KERNEL(sub_i64, int64_t, uint64_t, WRAP_SUB)
ARITH_KERNEL(sub_f64, double, double, F_SUB)
ARITH_KERNEL(mul_i16, int16_t, uint16_t, WRAP_MUL)
ARITH_KERNEL(mul_i32, int32_t, uint32_t, WRAP_MUL)
ARITH_KERNEL(mul_i64, int64_t, uint64_t, WRAP_MUL)
ARITH_KERNEL(mul_f64, double, double, F_MUL)

static sl__kernel pick(const sl__type *t, sl__kernel i16, sl__kernel i32, sl__kernel i64,
                       sl__kernel f64) {
    switch (t->id) {
    case SL_TYPE_SMALLINT: return i16;
    case SL_TYPE_INT: return i32;
    case SL_TYPE_DOUBLE: return f64;
    default: return i64;
    }
}

/* date + int days, timestamp +/- interval, interval arithmetic */
static void k_add_i64_i32(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                          sl__vec *out) {
    /* DATE + INT -> DATE (iparam: sign) */
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        int64_t d = sl__get_i64(a[0], sl__vec_idx(a[0], r));
        int64_t k = sl__get_i64(a[1], sl__vec_idx(a[1], r));
        SL_VEC_DATA(out, int32_t)[r] = (int32_t)(d + e->iparam * k);
    }
}

static void k_ts_interval(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                          sl__vec *out) {
    /* (TIMESTAMP|INTERVAL) +/- (INTERVAL|TIMESTAMP): int64 math, iparam = sign of b */
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        int64_t x = SL_ARG(a[0], int64_t, r), y = SL_ARG(a[1], int64_t, r);
        SL_VEC_DATA(out, int64_t)[r] = (int64_t)((uint64_t)x + (uint64_t)(e->iparam * y));
    }
}

static void k_date_diff(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                        sl__vec *out) {
    /* DATE - DATE -> INTERVAL of days */
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        int64_t x = SL_ARG(a[0], int32_t, r), y = SL_ARG(a[1], int32_t, r);
        SL_VEC_DATA(out, int64_t)[r] = (x - y) * 86400000000LL;
    }
}

static sl_status bind_addsub(sl__fbind *fb, bool is_add) {
    sl_type_id a = fb->args[0]->type->id, b = fb->args[1]->type->id;
    /* temporal cases first */
    if (a == SL_TYPE_TIMESTAMP && b == SL_TYPE_INTERVAL) {
        fb->type = SL_T_TS;
        fb->kernel = k_ts_interval;
        fb->iparam = is_add ? 1 : -1;
        return SL_OK;
    }
    if (is_add && a == SL_TYPE_INTERVAL && b == SL_TYPE_TIMESTAMP) {
        sl__expr *t = fb->args[0];
        fb->args[0] = fb->args[1];
        fb->args[1] = t;
        fb->type = SL_T_TS;
        fb->kernel = k_ts_interval;
        fb->iparam = 1;
        return SL_OK;
    }
    if (a == SL_TYPE_DATE && b == SL_TYPE_INTERVAL) {
        sl__fbind_cast_arg(fb, 0, SL_T_TS);
        fb->type = SL_T_TS;
        fb->kernel = k_ts_interval;
        fb->iparam = is_add ? 1 : -1;
        return SL_OK;
    }
    if (!is_add && a == SL_TYPE_TIMESTAMP && (b == SL_TYPE_TIMESTAMP || b == SL_TYPE_DATE)) {
        sl__fbind_cast_arg(fb, 1, SL_T_TS);
        fb->type = SL_T_INTERVAL;
        fb->kernel = k_ts_interval;
        fb->iparam = -1;
        return SL_OK;
    }
    if (!is_add && a == SL_TYPE_DATE && b == SL_TYPE_TIMESTAMP) {
        sl__fbind_cast_arg(fb, 0, SL_T_TS);
        fb->type = SL_T_INTERVAL;
        fb->kernel = k_ts_interval;
        fb->iparam = -1;
        return SL_OK;
    }
    if (!is_add && a == SL_TYPE_DATE && b == SL_TYPE_DATE) {
        fb->type = SL_T_INTERVAL;
        fb->kernel = k_date_diff;
        return SL_OK;
    }
    if (a == SL_TYPE_INTERVAL && b == SL_TYPE_INTERVAL) {
        fb->type = SL_T_INTERVAL;
        fb->kernel = k_ts_interval;
        fb->iparam = is_add ? 1 : -1;
        return SL_OK;
    }
    if (a == SL_TYPE_DATE && sl__type_is_integral(fb->args[1]->type)) {
        fb->type = SL_T_DATE;
        fb->kernel = k_add_i64_i32;
        fb->iparam = is_add ? 1 : -1;
        return SL_OK;
    }
    if (is_add && b == SL_TYPE_DATE && sl__type_is_integral(fb->args[0]->type)) {
        sl__expr *t = fb->args[0];
        fb->args[0] = fb->args[1];
        fb->args[1] = t;
        fb->type = SL_T_DATE;
        fb->kernel = k_add_i64_i32;
        fb->iparam = 1;
        return SL_OK;
    }
    const sl__type *t = coerce_numeric2(fb);
    if (!t) return SL_ERR_ANALYSIS;
    fb->type = t;
    fb->kernel = is_add ? pick(t, add_i16, add_i32, add_i64, add_f64)
                        : pick(t, sub_i16, sub_i32, sub_i64, sub_f64);
    return SL_OK;
}

static sl_status bind_add(sl__fbind *fb) {
    return bind_addsub(fb, true);
}
static sl_status bind_sub(sl__fbind *fb) {
    return bind_addsub(fb, false);
}

static void k_interval_mul(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                           sl__vec *out) {
    /* INTERVAL * DOUBLE or INTERVAL / DOUBLE (iparam 1: divide) */
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        double x = (double)SL_ARG(a[0], int64_t, r), y = SL_ARG(a[1], double, r);
        if (e->iparam && y == 0) {
            sl__vec_set_null(out, r);
            continue;
        }
        double v = e->iparam ? x / y : x * y;
        SL_VEC_DATA(out, int64_t)[r] = (int64_t)llround(v);
    }
}

static sl_status bind_mul(sl__fbind *fb) {
    if (fb->args[1]->type->id == SL_TYPE_INTERVAL && sl__type_is_numeric(fb->args[0]->type)) {
        sl__expr *t = fb->args[0];
        fb->args[0] = fb->args[1];
        fb->args[1] = t;
    }
    if (fb->args[0]->type->id == SL_TYPE_INTERVAL && sl__type_is_numeric(fb->args[1]->type)) {
        sl__fbind_cast_arg(fb, 1, SL_T_F64);
        fb->type = SL_T_INTERVAL;
        fb->kernel = k_interval_mul;
        return SL_OK;
    }
    const sl__type *t = coerce_numeric2(fb);
    if (!t) return SL_ERR_ANALYSIS;
    fb->type = t;
    fb->kernel = pick(t, mul_i16, mul_i32, mul_i64, mul_f64);
    return SL_OK;
}

static void k_div(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *x = a[0], *y = a[1];
    const double *xd = SL_VEC_DATA(x, double), *yd = SL_VEC_DATA(y, double);
    double *o = SL_VEC_DATA(out, double);
    if (!rows->sel && !x->is_const && y->is_const && sl__vec_valid(y, 0) && yd[0] != 0) {
        uint32_t n = rows->count;
        double c = yd[0];
        for (uint32_t r = 0; r < n; r++) o[r] = xd[r] / c;
        memcpy(out->validity, x->validity, ((n + 63) / 64) * 8);
        return;
    }
    SL_FOR_ROWS(rows, r) {
        uint32_t i = sl__vec_idx(x, r), j = sl__vec_idx(y, r);
        if (!sl__vec_valid(x, i) || !sl__vec_valid(y, j) || yd[j] == 0) {
            sl__vec_set_null(out, r);
            continue;
        }
        o[r] = xd[i] / yd[j];
    }
}

static sl_status bind_div(sl__fbind *fb) {
    if (fb->args[0]->type->id == SL_TYPE_INTERVAL && sl__type_is_numeric(fb->args[1]->type)) {
        sl__fbind_cast_arg(fb, 1, SL_T_F64);
        fb->type = SL_T_INTERVAL;
        fb->kernel = k_interval_mul;
        fb->iparam = 1;
        return SL_OK;
    }
    if (!coerce_numeric2(fb)) return SL_ERR_ANALYSIS;
    sl__fbind_cast_arg(fb, 0, SL_T_F64);
    sl__fbind_cast_arg(fb, 1, SL_T_F64);
    fb->type = SL_T_F64;
    fb->kernel = k_div;
    return SL_OK;
}

/* % and div and pmod on integers: 0 divisor -> NULL, MIN % -1 -> 0 */
static void k_mod_int(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    bool pmod = e->iparam == 1;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        int64_t x = sl__get_i64(a[0], sl__vec_idx(a[0], r));
        int64_t y = sl__get_i64(a[1], sl__vec_idx(a[1], r));
        if (y == 0) {
            sl__vec_set_null(out, r);
            continue;
        }
        int64_t m = (y == -1) ? 0 : x % y;
        if (pmod && m < 0) m = (y == -1) ? 0 : (m + y) % y;
        if (pmod && m < 0) m += y < 0 ? -y : y;
        sl__put_i64(out, r, m);
    }
}

static void k_mod_f64(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    bool pmod = e->iparam == 1;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        double x = SL_ARG(a[0], double, r), y = SL_ARG(a[1], double, r);
        if (y == 0) {
            sl__vec_set_null(out, r);
            continue;
        }
        double m = fmod(x, y);
        if (pmod && m < 0) m = fmod(m + y, y);
        SL_VEC_DATA(out, double)[r] = m;
    }
}

static sl_status bind_mod_common(sl__fbind *fb, bool pmod) {
    const sl__type *t = coerce_numeric2(fb);
    if (!t) return SL_ERR_ANALYSIS;
    fb->type = t;
    fb->kernel = t->id == SL_TYPE_DOUBLE ? k_mod_f64 : k_mod_int;
    fb->iparam = pmod;
    return SL_OK;
}
static sl_status bind_mod(sl__fbind *fb) {
    return bind_mod_common(fb, false);
}
static sl_status bind_pmod(sl__fbind *fb) {
    return bind_mod_common(fb, true);
}

static void k_idiv(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        int64_t x = SL_ARG(a[0], int64_t, r), y = SL_ARG(a[1], int64_t, r);
        if (y == 0) {
            sl__vec_set_null(out, r);
            continue;
        }
        SL_VEC_DATA(out, int64_t)[r] = (y == -1) ? (int64_t)(0 - (uint64_t)x) : x / y;
    }
}

static sl_status bind_idiv(sl__fbind *fb) {
    if (!coerce_numeric2(fb)) return SL_ERR_ANALYSIS;
    sl__fbind_cast_arg(fb, 0, SL_T_I64);
    sl__fbind_cast_arg(fb, 1, SL_T_I64);
    fb->type = SL_T_I64;
    fb->kernel = k_idiv;
    return SL_OK;
}

static void k_neg(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *x = a[0];
    SL_FOR_ROWS(rows, r) {
        uint32_t i = sl__vec_idx(x, r);
        if (!sl__vec_valid(x, i)) {
            sl__vec_set_null(out, r);
            continue;
        }
        if (x->type->id == SL_TYPE_DOUBLE)
            SL_VEC_DATA(out, double)[r] = -SL_VEC_DATA(x, double)[i];
        else
            sl__put_i64(out, r, (int64_t)(0 - (uint64_t)sl__get_i64(x, i)));
    }
}

static void k_abs(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *x = a[0];
    SL_FOR_ROWS(rows, r) {
        uint32_t i = sl__vec_idx(x, r);
        if (!sl__vec_valid(x, i)) {
            sl__vec_set_null(out, r);
            continue;
        }
        if (x->type->id == SL_TYPE_DOUBLE)
            SL_VEC_DATA(out, double)[r] = fabs(SL_VEC_DATA(x, double)[i]);
        else {
            int64_t v = sl__get_i64(x, i);
            sl__put_i64(out, r, v < 0 ? (int64_t)(0 - (uint64_t)v) : v);
        }
    }
}

static sl_status bind_unary_numeric(sl__fbind *fb, sl__kernel k) {
    const sl__type *t = fb->args[0]->type;
    if (t->id == SL_TYPE_STRING) {
        sl__fbind_cast_arg(fb, 0, SL_T_F64);
        t = SL_T_F64;
    } else if (t->id == SL_TYPE_NULL) {
        sl__fbind_cast_arg(fb, 0, SL_T_F64);
        t = SL_T_F64;
    }
    if (!sl__type_is_numeric(t) && t->id != SL_TYPE_INTERVAL)
        return sl__fbind_type_error(fb, 0, "numeric");
    fb->type = t;
    fb->kernel = k;
    return SL_OK;
}
static sl_status bind_neg(sl__fbind *fb) {
    return bind_unary_numeric(fb, k_neg);
}
static sl_status bind_abs(sl__fbind *fb) {
    return bind_unary_numeric(fb, k_abs);
}

static void k_identity(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                       sl__vec *out) {
    SL_FOR_ROWS(rows, r) sl__vec_copy_value(out, r, a[0], r);
}
static sl_status bind_pos(sl__fbind *fb) {
    return bind_unary_numeric(fb, k_identity);
}

/* ---- bitwise ------------------------------------------------------------ */

static void k_bit(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        int64_t x = sl__get_i64(a[0], sl__vec_idx(a[0], r));
        int64_t y = e->n_args > 1 ? sl__get_i64(a[1], sl__vec_idx(a[1], r)) : 0;
        int64_t v = e->iparam == 0   ? (x & y)
                    : e->iparam == 1 ? (x | y)
                    : e->iparam == 2 ? (x ^ y)
                                     : ~x;
        sl__put_i64(out, r, v);
    }
}

static sl_status bind_bit(sl__fbind *fb, int which) {
    const sl__type *t = fb->args[0]->type;
    if (fb->n_args == 2) {
        t = sl__wider_numeric(null_to(fb->args[0]->type, fb->args[1]->type),
                              null_to(fb->args[1]->type, fb->args[0]->type));
    }
    if (t && t->id == SL_TYPE_NULL) t = SL_T_I32;
    if (!t || !sl__type_is_integral(t)) return sl__fbind_type_error(fb, 0, "an integer");
    for (uint32_t i = 0; i < fb->n_args; i++) sl__fbind_cast_arg(fb, i, t);
    fb->type = t;
    fb->kernel = k_bit;
    fb->iparam = which;
    return SL_OK;
}
static sl_status bind_bitand(sl__fbind *fb) {
    return bind_bit(fb, 0);
}
static sl_status bind_bitor(sl__fbind *fb) {
    return bind_bit(fb, 1);
}
static sl_status bind_bitxor(sl__fbind *fb) {
    return bind_bit(fb, 2);
}
static sl_status bind_bitnot(sl__fbind *fb) {
    return bind_bit(fb, 3);
}

/* ---- comparison --------------------------------------------------------- */

enum { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_NSEQ };

static inline bool cmp_result(int c, int op) {
    switch (op) {
    case CMP_EQ:
    case CMP_NSEQ: return c == 0;
    case CMP_NE: return c != 0;
    case CMP_LT: return c < 0;
    case CMP_LE: return c <= 0;
    case CMP_GT: return c > 0;
    default: return c >= 0;
    }
}

/* One comparison loop over the live rows, for each argument shape (column
 * vs constant, constant vs column, column vs column) and each row set
 * (dense or selected). */
#define CMP_BODY(T, OPEXPR)                                                                        \
    do {                                                                                           \
        if (y->is_const) {                                                                         \
            const T yv = yd[0];                                                                    \
            if (!sel)                                                                              \
                for (uint32_t r = 0; r < n; r++) {                                                 \
                    const T xv = xd[r];                                                            \
                    o[r] = (OPEXPR);                                                               \
                }                                                                                  \
            else                                                                                   \
                for (uint32_t i = 0; i < n; i++) {                                                 \
                    uint32_t r = sel[i];                                                           \
                    const T xv = xd[r];                                                            \
                    o[r] = (OPEXPR);                                                               \
                }                                                                                  \
        } else if (x->is_const) {                                                                  \
            const T xv = xd[0];                                                                    \
            for (uint32_t i = 0; i < n; i++) {                                                     \
                uint32_t r = sel ? sel[i] : i;                                                     \
                const T yv = yd[r];                                                                \
                o[r] = (OPEXPR);                                                                   \
            }                                                                                      \
        } else {                                                                                   \
            for (uint32_t i = 0; i < n; i++) {                                                     \
                uint32_t r = sel ? sel[i] : i;                                                     \
                const T xv = xd[r], yv = yd[r];                                                    \
                o[r] = (OPEXPR);                                                                   \
            }                                                                                      \
        }                                                                                          \
    } while (0)

/* LT(a, b) and EQ(a, b) define every operator. */
#define CMP_KERNEL(name, T, LT, EQ)                                                                \
    static void name(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,                \
                     sl__vec *out) {                                                               \
        const sl__vec *x = a[0], *y = a[1];                                                        \
        const T *xd = SL_VEC_DATA(x, T), *yd = SL_VEC_DATA(y, T);                                  \
        uint8_t *o = SL_VEC_DATA(out, uint8_t);                                                    \
        int op = (int)e->iparam;                                                                   \
        const uint32_t *sel = rows->sel;                                                           \
        uint32_t n = rows->count;                                                                  \
        if (!(x->is_const && y->is_const) && sl__vec_no_nulls(x, sel, n) &&                        \
            sl__vec_no_nulls(y, sel, n)) {                                                         \
            /* the output vector starts all valid */                                               \
            switch (op) {                                                                          \
            case CMP_EQ:                                                                           \
            case CMP_NSEQ: CMP_BODY(T, EQ(xv, yv)); break;                                         \
            case CMP_NE: CMP_BODY(T, !EQ(xv, yv)); break;                                          \
            case CMP_LT: CMP_BODY(T, LT(xv, yv)); break;                                           \
            case CMP_LE: CMP_BODY(T, !LT(yv, xv)); break;                                          \
            case CMP_GT: CMP_BODY(T, LT(yv, xv)); break;                                           \
            default: CMP_BODY(T, !LT(xv, yv)); break;                                              \
            }                                                                                      \
            return;                                                                                \
        }                                                                                          \
        SL_FOR_ROWS(rows, r) {                                                                     \
            uint32_t i = sl__vec_idx(x, r), j = sl__vec_idx(y, r);                                 \
            bool vx = sl__vec_valid(x, i), vy = sl__vec_valid(y, j);                               \
            if (!vx || !vy) {                                                                      \
                if (op == CMP_NSEQ)                                                                \
                    o[r] = vx == vy;                                                               \
                else                                                                               \
                    sl__vec_set_null(out, r);                                                      \
                continue;                                                                          \
            }                                                                                      \
            const T xv = xd[i], yv = yd[j];                                                        \
            int c = LT(xv, yv) ? -1 : EQ(xv, yv) ? 0 : 1;                                          \
            o[r] = cmp_result(c, op);                                                              \
        }                                                                                          \
    }

#define PLAIN_LT(a, b) ((a) < (b))
#define PLAIN_EQ(a, b) ((a) == (b))
#define DBL_LT(a, b)   (sl__cmp_f64((a), (b)) < 0)
#define DBL_EQ(a, b)   (sl__cmp_f64((a), (b)) == 0)
#define STR_LT(a, b)   (sl__str_cmp((a), (b)) < 0)
#define STR_EQ(a, b)   (sl__str_eq((a), (b)))

CMP_KERNEL(cmp_u8, uint8_t, PLAIN_LT, PLAIN_EQ)
CMP_KERNEL(cmp_i16, int16_t, PLAIN_LT, PLAIN_EQ)
CMP_KERNEL(cmp_i32, int32_t, PLAIN_LT, PLAIN_EQ)
CMP_KERNEL(cmp_i64, int64_t, PLAIN_LT, PLAIN_EQ)
CMP_KERNEL(cmp_f64, double, DBL_LT, DBL_EQ)
CMP_KERNEL(cmp_str, sl__str, STR_LT, STR_EQ)

static void cmp_generic(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                        sl__vec *out) {
    const sl__vec *x = a[0], *y = a[1];
    uint8_t *o = SL_VEC_DATA(out, uint8_t);
    int op = (int)e->iparam;
    SL_FOR_ROWS(rows, r) {
        bool vx = SL_ARG_VALID(x, r), vy = SL_ARG_VALID(y, r);
        if (!vx || !vy) {
            if (op == CMP_NSEQ)
                o[r] = vx == vy;
            else
                sl__vec_set_null(out, r);
            continue;
        }
        o[r] = cmp_result(sl__value_cmp(x, r, y, r), op);
    }
}

/* Spark's comparison coercion (R172). Returns the type both sides get. */
static const sl__type *comparison_type(const sl__type *a, const sl__type *b) {
    if (a == b) return a;
    if (a->id == SL_TYPE_NULL) return b->id == SL_TYPE_NULL ? SL_T_BOOL : b;
    if (b->id == SL_TYPE_NULL) return a;
    const sl__type *n = sl__wider_numeric(a, b);
    if (n) return n;
    if (a->id == SL_TYPE_STRING && (sl__type_is_numeric(b) || b->id == SL_TYPE_BOOLEAN ||
                                    b->id == SL_TYPE_TIMESTAMP || b->id == SL_TYPE_DATE))
        return b;
    if (b->id == SL_TYPE_STRING && (sl__type_is_numeric(a) || a->id == SL_TYPE_BOOLEAN ||
                                    a->id == SL_TYPE_TIMESTAMP || a->id == SL_TYPE_DATE))
        return a;
    if ((a->id == SL_TYPE_DATE && b->id == SL_TYPE_TIMESTAMP) ||
        (a->id == SL_TYPE_TIMESTAMP && b->id == SL_TYPE_DATE))
        return SL_T_TS;
    return sl__common_type(a, b);
}

sl_status sl__bind_comparison(sl__fbind *fb, int op);
sl_status sl__bind_comparison(sl__fbind *fb, int op) {
    const sl__type *a = fb->args[0]->type, *b = fb->args[1]->type;
    const sl__type *t = comparison_type(a, b);
    /* Spark's BooleanEquality: for equality (=, <>, <=>) a BOOLEAN meeting a
     * number is cast to that number's type, so true = 1 and false = 0 hold */
    if ((op == CMP_EQ || op == CMP_NE || op == CMP_NSEQ) &&
        ((a->id == SL_TYPE_BOOLEAN && sl__type_is_numeric(b)) ||
         (b->id == SL_TYPE_BOOLEAN && sl__type_is_numeric(a))))
        t = a->id == SL_TYPE_BOOLEAN ? b : a;
    if (!t) {
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "cannot compare %s with %s (cast one side first)",
                           fb->args[0]->type->name, fb->args[1]->type->name);
    }
    sl__fbind_cast_arg(fb, 0, t);
    sl__fbind_cast_arg(fb, 1, t);
    fb->type = SL_T_BOOL;
    fb->iparam = op;
    switch (t->id) {
    case SL_TYPE_BOOLEAN: fb->kernel = cmp_u8; break;
    case SL_TYPE_SMALLINT: fb->kernel = cmp_i16; break;
    case SL_TYPE_INT:
    case SL_TYPE_DATE: fb->kernel = cmp_i32; break;
    case SL_TYPE_BIGINT:
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_INTERVAL: fb->kernel = cmp_i64; break;
    case SL_TYPE_DOUBLE: fb->kernel = cmp_f64; break;
    case SL_TYPE_STRING: fb->kernel = cmp_str; break;
    default: fb->kernel = cmp_generic;
    }
    return SL_OK;
}

static sl_status bind_eq(sl__fbind *fb) {
    return sl__bind_comparison(fb, CMP_EQ);
}
static sl_status bind_ne(sl__fbind *fb) {
    return sl__bind_comparison(fb, CMP_NE);
}
static sl_status bind_lt(sl__fbind *fb) {
    return sl__bind_comparison(fb, CMP_LT);
}
static sl_status bind_le(sl__fbind *fb) {
    return sl__bind_comparison(fb, CMP_LE);
}
static sl_status bind_gt(sl__fbind *fb) {
    return sl__bind_comparison(fb, CMP_GT);
}
static sl_status bind_ge(sl__fbind *fb) {
    return sl__bind_comparison(fb, CMP_GE);
}
static sl_status bind_nseq(sl__fbind *fb) {
    return sl__bind_comparison(fb, CMP_NSEQ);
}

/* ---- logic and NULL tests ---------------------------------------------- */

static void k_not(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *x = a[0];
    SL_FOR_ROWS(rows, r) {
        uint32_t i = sl__vec_idx(x, r);
        if (!sl__vec_valid(x, i)) {
            sl__vec_set_null(out, r);
            continue;
        }
        SL_VEC_DATA(out, uint8_t)[r] = !SL_VEC_DATA(x, uint8_t)[i];
    }
}

sl_status sl__bind_boolean_arg(sl__fbind *fb, uint32_t i);
sl_status sl__bind_boolean_arg(sl__fbind *fb, uint32_t i) {
    sl_type_id t = fb->args[i]->type->id;
    if (t == SL_TYPE_BOOLEAN) return SL_OK;
    /* Spark casts nothing but NULL to BOOLEAN implicitly: NOT 1 is an error */
    if (t == SL_TYPE_NULL) {
        sl__fbind_cast_arg(fb, i, SL_T_BOOL);
        return SL_OK;
    }
    return sl__fbind_type_error(fb, i, "boolean");
}

static sl_status bind_not(sl__fbind *fb) {
    if (sl__bind_boolean_arg(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_BOOL;
    fb->kernel = k_not;
    return SL_OK;
}

static void k_isnull(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *x = a[0];
    bool want_null = e->iparam == 0;
    SL_FOR_ROWS(rows, r) {
        SL_VEC_DATA(out, uint8_t)[r] = (!sl__vec_valid(x, sl__vec_idx(x, r))) == want_null;
    }
}

static sl_status bind_isnull(sl__fbind *fb) {
    fb->type = SL_T_BOOL;
    fb->kernel = k_isnull;
    fb->iparam = 0;
    return SL_OK;
}
static sl_status bind_isnotnull(sl__fbind *fb) {
    fb->type = SL_T_BOOL;
    fb->kernel = k_isnull;
    fb->iparam = 1;
    return SL_OK;
}

static void k_isnan(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *x = a[0];
    SL_FOR_ROWS(rows, r) {
        uint32_t i = sl__vec_idx(x, r);
        double d = SL_VEC_DATA(x, double)[i];
        SL_VEC_DATA(out, uint8_t)[r] = sl__vec_valid(x, i) && d != d;
    }
}

static sl_status bind_isnan(sl__fbind *fb) {
    if (!sl__type_is_numeric(fb->args[0]->type) && fb->args[0]->type->id != SL_TYPE_NULL &&
        fb->args[0]->type->id != SL_TYPE_STRING)
        return sl__fbind_type_error(fb, 0, "numeric");
    sl__fbind_cast_arg(fb, 0, SL_T_F64);
    fb->type = SL_T_BOOL;
    fb->kernel = k_isnan;
    return SL_OK;
}

/* x IN (v1, v2, ...): TRUE if found; else NULL if x or any v is NULL; else FALSE */
static void k_in(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *x = a[0];
    uint8_t *o = SL_VEC_DATA(out, uint8_t);
    SL_FOR_ROWS(rows, r) {
        if (!SL_ARG_VALID(x, r)) {
            sl__vec_set_null(out, r);
            continue;
        }
        bool found = false, saw_null = false;
        for (uint32_t k = 1; k < e->n_args && !found; k++) {
            if (!SL_ARG_VALID(a[k], r))
                saw_null = true;
            else if (sl__value_eq(x, r, a[k], r))
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

/* Unlike `=`, IN does not cast a string to the number it is compared with:
 * Spark (InConversion) casts the expression and every value to their wider
 * common type, where a string wins over numbers and dates, so `1 IN ('01')`
 * compares strings and is false while `1 = '01'` is true. */
static sl_status bind_in(sl__fbind *fb) {
    const sl__type *t = fb->args[0]->type;
    for (uint32_t i = 1; i < fb->n_args; i++) {
        const sl__type *n = sl__common_type(t, fb->args[i]->type);
        if (!n) {
            return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos, "IN: cannot compare %s with %s",
                               t->name, fb->args[i]->type->name);
        }
        t = n;
    }
    if (t->id == SL_TYPE_NULL) t = SL_T_BOOL;
    for (uint32_t i = 0; i < fb->n_args; i++) sl__fbind_cast_arg(fb, i, t);
    fb->type = SL_T_BOOL;
    fb->kernel = k_in;
    return SL_OK;
}

/* ---- LIKE --------------------------------------------------------------- */

typedef enum { LK_EXACT, LK_PREFIX, LK_SUFFIX, LK_CONTAINS, LK_GENERAL } like_kind;

typedef struct like_pat {
    like_kind kind;
    char *lit; /* unescaped literal for the fast kinds */
    size_t lit_len;
    char *pat;        /* pattern with escapes resolved to a token stream */
    uint8_t *is_wild; /* per pat byte: 0 literal, '%' or '_' */
    size_t pat_len;
    bool ci; /* ILIKE */
} like_pat;

static void like_free(void *p) {
    like_pat *lp = p;
    if (!lp) return;
    sl__free(lp->lit);
    sl__free(lp->pat);
    sl__free(lp->is_wild);
    sl__free(lp);
}

static inline char lower_ascii(char c) {
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* Compiles a LIKE pattern; NULL with err on a trailing escape. */
static like_pat *like_compile(const char *p, size_t n, char esc, bool ci, sl__err *err,
                              uint32_t pos) {
    like_pat *lp = sl__calloc(1, sizeof *lp);
    lp->pat = sl__malloc(n + 1);
    lp->is_wild = sl__malloc(n + 1);
    lp->ci = ci;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == esc) {
            if (i + 1 >= n) {
                like_free(lp);
                sl__err_set(err, SL_ERR_ANALYSIS, pos,
                            "the LIKE pattern '%.*s' ends with the escape character", (int)n, p);
                return NULL;
            }
            /* Spark: the escape may only precede _, % or itself */
            char nx = p[i + 1];
            if (nx != '_' && nx != '%' && nx != esc) {
                like_free(lp);
                sl__err_set(err, SL_ERR_ANALYSIS, pos,
                            "the LIKE pattern '%.*s' is invalid: the escape character is not "
                            "allowed to precede '%c'",
                            (int)n, p, nx);
                return NULL;
            }
            lp->pat[m] = ci ? lower_ascii(p[++i]) : p[++i];
            lp->is_wild[m++] = 0;
        } else if (c == '%' || c == '_') {
            lp->pat[m] = c;
            lp->is_wild[m++] = (uint8_t)c;
        } else {
            lp->pat[m] = ci ? lower_ascii(c) : c;
            lp->is_wild[m++] = 0;
        }
    }
    lp->pat_len = m;
    /* classify: literal, lit%, %lit, %lit% */
    size_t lead = 0, trail = 0, wild_inside = 0;
    while (lead < m && lp->is_wild[lead] == '%') lead++;
    while (trail < m - lead && lp->is_wild[m - 1 - trail] == '%') trail++;
    for (size_t i = lead; i < m - trail; i++)
        if (lp->is_wild[i]) wild_inside++;
    lp->kind = LK_GENERAL;
    if (!wild_inside && lead <= 1 && trail <= 1) {
        lp->lit_len = m - lead - trail;
        lp->lit = sl__malloc(lp->lit_len + 1);
        memcpy(lp->lit, lp->pat + lead, lp->lit_len);
        if (!lead && !trail)
            lp->kind = LK_EXACT;
        else if (!lead)
            lp->kind = LK_PREFIX;
        else if (!trail)
            lp->kind = LK_SUFFIX;
        else
            lp->kind = LK_CONTAINS;
    }
    return lp;
}

/* UTF-8 aware '_' (one character) with iterative backtracking on '%'. */
static size_t utf8_len(unsigned char c) {
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static bool like_general(const like_pat *lp, const char *s, size_t n) {
    size_t si = 0, pi = 0, star_p = (size_t)-1, star_s = 0;
    while (si < n) {
        if (pi < lp->pat_len && lp->is_wild[pi] == '%') {
            star_p = pi++;
            star_s = si;
            continue;
        }
        if (pi < lp->pat_len) {
            if (lp->is_wild[pi] == '_') {
                si += utf8_len((unsigned char)s[si]);
                if (si > n) si = n;
                pi++;
                continue;
            }
            char c = lp->ci ? lower_ascii(s[si]) : s[si];
            if (c == lp->pat[pi]) {
                si++;
                pi++;
                continue;
            }
        }
        if (star_p == (size_t)-1) return false;
        pi = star_p + 1;
        star_s += utf8_len((unsigned char)s[star_s]);
        si = star_s;
        if (si > n) return false;
    }
    while (pi < lp->pat_len && lp->is_wild[pi] == '%') pi++;
    return pi == lp->pat_len;
}

static bool mem_ieq(const char *a, const char *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (lower_ascii(a[i]) != b[i]) return false;
    return true;
}

static bool like_match(const like_pat *lp, const char *s, size_t n) {
    size_t l = lp->lit_len;
    if (lp->ci) {
        switch (lp->kind) {
        case LK_EXACT: return n == l && mem_ieq(s, lp->lit, l);
        case LK_PREFIX: return n >= l && mem_ieq(s, lp->lit, l);
        case LK_SUFFIX: return n >= l && mem_ieq(s + n - l, lp->lit, l);
        case LK_CONTAINS:
            for (size_t i = 0; i + l <= n; i++)
                if (mem_ieq(s + i, lp->lit, l)) return true;
            return false;
        default: return like_general(lp, s, n);
        }
    }
    switch (lp->kind) {
    case LK_EXACT: return n == l && (l == 0 || memcmp(s, lp->lit, l) == 0);
    case LK_PREFIX: return n >= l && (l == 0 || memcmp(s, lp->lit, l) == 0);
    case LK_SUFFIX: return n >= l && (l == 0 || memcmp(s + n - l, lp->lit, l) == 0);
    case LK_CONTAINS: return l == 0 || (n >= l && memmem(s, n, lp->lit, l) != NULL);
    default: return like_general(lp, s, n);
    }
}

static void k_like(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *x = a[0], *p = a[1];
    uint8_t *o = SL_VEC_DATA(out, uint8_t);
    like_pat *fixed = e->state;
    char esc = (char)(e->iparam & 0xff);
    bool ci = (e->iparam >> 8) & 1;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        sl__str s = sl__get_str(x, r);
        if (fixed) {
            o[r] = like_match(fixed, s.ptr, s.len);
            continue;
        }
        sl__str ps = sl__get_str(p, r);
        sl__err err;
        sl__err_clear(&err);
        like_pat *lp = like_compile(ps.ptr, ps.len, esc, ci, &err, 0);
        if (!lp) {
            sl__ectx_fail(ctx, SL_ERR_EXEC, "%s", err.msg);
            return;
        }
        o[r] = like_match(lp, s.ptr, s.len);
        like_free(lp);
    }
}

static sl_status bind_like_common(sl__fbind *fb, bool ci) {
    for (uint32_t i = 0; i < 2; i++) {
        sl_type_id t = fb->args[i]->type->id;
        if (t != SL_TYPE_STRING) {
            if (t == SL_TYPE_STRUCT || t == SL_TYPE_ARRAY)
                return sl__fbind_type_error(fb, i, "a string");
            sl__fbind_cast_arg(fb, i, SL_T_STR);
        }
    }
    char esc = '\\';
    if (fb->n_args == 3) {
        const sl__vec *ev = sl__fbind_const(fb, 2);
        if (!ev || !sl__vec_valid(ev, 0) || ev->type->id != SL_TYPE_STRING ||
            SL_VEC_DATA(ev, sl__str)[0].len != 1)
            return sl__fbind_type_error(fb, 2, "a one-character string literal");
        esc = SL_VEC_DATA(ev, sl__str)[0].ptr[0];
    }
    fb->iparam = (uint8_t)esc | (ci ? 256 : 0);
    const sl__vec *pv = sl__fbind_const(fb, 1);
    if (pv && sl__vec_valid(pv, 0)) {
        sl__str ps = SL_VEC_DATA(pv, sl__str)[0];
        like_pat *lp = like_compile(ps.ptr, ps.len, esc, ci, fb->err, fb->pos);
        if (!lp) return SL_ERR_ANALYSIS;
        fb->state = lp;
        fb->free_state = like_free;
    }
    fb->type = SL_T_BOOL;
    fb->kernel = k_like;
    return SL_OK;
}
static sl_status bind_like(sl__fbind *fb) {
    return bind_like_common(fb, false);
}
static sl_status bind_ilike(sl__fbind *fb) {
    return bind_like_common(fb, true);
}

/* ---- math --------------------------------------------------------------- */

typedef double (*math1_fn)(double);

static void k_math1(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    math1_fn f = (math1_fn)e->state;
    bool domain_null = e->iparam == 1; /* ln/log/sqrt of out-of-domain -> NULL (Spark) */
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        double x = SL_ARG(a[0], double, r);
        if (domain_null && x <= 0 && f != sqrt) {
            sl__vec_set_null(out, r);
            continue;
        }
        SL_VEC_DATA(out, double)[r] = f(x);
    }
}

static sl_status bind_math1_with(sl__fbind *fb, math1_fn f, int domain_null) {
    if (!sl__type_is_numeric(fb->args[0]->type) && fb->args[0]->type->id != SL_TYPE_NULL &&
        fb->args[0]->type->id != SL_TYPE_STRING)
        return sl__fbind_type_error(fb, 0, "numeric");
    sl__fbind_cast_arg(fb, 0, SL_T_F64);
    fb->type = SL_T_F64;
    fb->kernel = k_math1;
    fb->state = (void *)f;
    fb->iparam = domain_null;
    return SL_OK;
}

static sl_status bind_sqrt(sl__fbind *fb) {
    return bind_math1_with(fb, sqrt, 0);
}
static sl_status bind_exp(sl__fbind *fb) {
    return bind_math1_with(fb, exp, 0);
}
static sl_status bind_ln(sl__fbind *fb) {
    return bind_math1_with(fb, log, 1);
}
static sl_status bind_log10(sl__fbind *fb) {
    return bind_math1_with(fb, log10, 1);
}
static sl_status bind_log2(sl__fbind *fb) {
    return bind_math1_with(fb, log2, 1);
}
static sl_status bind_sin(sl__fbind *fb) {
    return bind_math1_with(fb, sin, 0);
}
static sl_status bind_cos(sl__fbind *fb) {
    return bind_math1_with(fb, cos, 0);
}
static sl_status bind_tan(sl__fbind *fb) {
    return bind_math1_with(fb, tan, 0);
}
static sl_status bind_atan(sl__fbind *fb) {
    return bind_math1_with(fb, atan, 0);
}

static void k_log2arg(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        double b = SL_ARG(a[0], double, r), x = SL_ARG(a[1], double, r);
        if (b <= 0 || x <= 0) {
            sl__vec_set_null(out, r);
            continue;
        }
        SL_VEC_DATA(out, double)[r] = log(x) / log(b);
    }
}

/* Casts args[0..n) to DOUBLE when they are numbers, numeric strings or
 * NULL; anything else is a type error. The check comes first: a cast that
 * cannot be made must not be attempted (it would consume the argument). */
static sl_status cast_args_double(sl__fbind *fb, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) {
        const sl__type *t = fb->args[i]->type;
        if (!sl__type_is_numeric(t) && t->id != SL_TYPE_NULL && t->id != SL_TYPE_STRING)
            return sl__fbind_type_error(fb, i, "numeric");
    }
    for (uint32_t i = 0; i < n; i++) sl__fbind_cast_arg(fb, i, SL_T_F64);
    return SL_OK;
}

static sl_status bind_log(sl__fbind *fb) {
    if (fb->n_args == 1) return bind_math1_with(fb, log, 1);
    if (cast_args_double(fb, 2) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_F64;
    fb->kernel = k_log2arg;
    return SL_OK;
}

static void k_pow(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        SL_VEC_DATA(out, double)[r] = pow(SL_ARG(a[0], double, r), SL_ARG(a[1], double, r));
    }
}

static sl_status bind_pow(sl__fbind *fb) {
    if (cast_args_double(fb, 2) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_F64;
    fb->kernel = k_pow;
    return SL_OK;
}

/* floor/ceil: DOUBLE -> BIGINT (Spark), integers unchanged */
static void k_floorceil(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                        sl__vec *out) {
    const sl__vec *x = a[0];
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        uint32_t i = sl__vec_idx(x, r);
        if (x->type->id == SL_TYPE_DOUBLE) {
            double d = SL_VEC_DATA(x, double)[i];
            d = e->iparam ? ceil(d) : floor(d);
            int64_t v;
            if (d != d)
                v = 0;
            else if (d >= 9.2233720368547758e18)
                v = INT64_MAX;
            else if (d <= -9.2233720368547758e18)
                v = INT64_MIN;
            else
                v = (int64_t)d;
            SL_VEC_DATA(out, int64_t)[r] = v;
        } else {
            SL_VEC_DATA(out, int64_t)[r] = sl__get_i64(x, i);
        }
    }
}

static sl_status bind_floorceil(sl__fbind *fb, int ceil_) {
    const sl__type *t = fb->args[0]->type;
    if (t->id == SL_TYPE_STRING || t->id == SL_TYPE_NULL)
        sl__fbind_cast_arg(fb, 0, SL_T_F64);
    else if (!sl__type_is_numeric(t))
        return sl__fbind_type_error(fb, 0, "numeric");
    if (fb->n_args == 2) {
        /* floor(x, scale): keep DOUBLE, handled through round's machinery */
        return sl__err_set(fb->err, SL_ERR_UNSUPPORTED, fb->pos,
                           "%s with a scale argument is not supported", fb->name);
    }
    fb->type = SL_T_I64;
    fb->kernel = k_floorceil;
    fb->iparam = ceil_;
    return SL_OK;
}
static sl_status bind_floor(sl__fbind *fb) {
    return bind_floorceil(fb, 0);
}
static sl_status bind_ceil(sl__fbind *fb) {
    return bind_floorceil(fb, 1);
}

/*
 * round(v, -digits) of an integer, HALF_UP or HALF_EVEN. Spark rounds through
 * a BigDecimal and keeps the low bits of the result (toLong / toInt), so a
 * result beyond the type wraps: round(9223372036854775807, -1) is
 * -9223372036854775806. The magnitude is rounded in unsigned arithmetic,
 * which wraps the same way and cannot overflow.
 */
static int64_t round_int_digits(int64_t v, int64_t digits, bool even) {
    if (digits > 19) return 0; /* 10^20 / 2 is beyond every BIGINT */
    uint64_t m = 1;
    for (int64_t k = 0; k < digits; k++) m *= 10; /* 10^19 fits in 64 bits */
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    uint64_t q = mag / m, rem = mag % m, half = m / 2;
    if (rem > half || (rem == half && (!even || (q & 1)))) q++;
    uint64_t res = q * m;
    return v < 0 ? (int64_t)(0 - res) : (int64_t)res;
}

static void k_round(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__vec *x = a[0];
    bool even = e->iparam & 1;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        int64_t d = e->n_args > 1 ? sl__get_i64(a[1], sl__vec_idx(a[1], r)) : 0;
        uint32_t i = sl__vec_idx(x, r);
        if (x->type->id == SL_TYPE_DOUBLE) {
            SL_VEC_DATA(out, double)[r] = sl__round_decimal(SL_VEC_DATA(x, double)[i], d, even);
        } else {
            int64_t v = sl__get_i64(x, i);
            if (d < 0) v = round_int_digits(v, -d, even);
            sl__put_i64(out, r, v);
        }
    }
}

static sl_status bind_round_common(sl__fbind *fb, bool even) {
    const sl__type *t = fb->args[0]->type;
    if (t->id == SL_TYPE_STRING || t->id == SL_TYPE_NULL) {
        sl__fbind_cast_arg(fb, 0, SL_T_F64);
        t = SL_T_F64;
    }
    if (!sl__type_is_numeric(t)) return sl__fbind_type_error(fb, 0, "numeric");
    if (fb->n_args == 2) {
        if (!sl__type_is_integral(fb->args[1]->type))
            return sl__fbind_type_error(fb, 1, "an integer");
        sl__fbind_cast_arg(fb, 1, SL_T_I32);
    }
    fb->type = t;
    fb->kernel = k_round;
    fb->iparam = even;
    return SL_OK;
}
static sl_status bind_round(sl__fbind *fb) {
    return bind_round_common(fb, false);
}
static sl_status bind_bround(sl__fbind *fb) {
    return bind_round_common(fb, true);
}

static void k_sign(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        double x = SL_ARG(a[0], double, r);
        SL_VEC_DATA(out, double)[r] = x > 0 ? 1.0 : x < 0 ? -1.0 : x;
    }
}

static sl_status bind_sign(sl__fbind *fb) {
    if (cast_args_double(fb, 1) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_F64;
    fb->kernel = k_sign;
    return SL_OK;
}

/* greatest / least: skip NULLs; NULL only when all are NULL */
static void k_greatest(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                       sl__vec *out) {
    bool least = e->iparam;
    SL_FOR_ROWS(rows, r) {
        int best = -1;
        for (uint32_t k = 0; k < e->n_args; k++) {
            if (!SL_ARG_VALID(a[k], r)) continue;
            if (best < 0)
                best = (int)k;
            else {
                int c = sl__value_cmp(a[k], r, a[best], r);
                if (least ? c < 0 : c > 0) best = (int)k;
            }
        }
        if (best < 0)
            sl__vec_set_null(out, r);
        else
            sl__vec_copy_value(out, r, a[best], r);
    }
}

static sl_status bind_greatest_common(sl__fbind *fb, bool least) {
    const sl__type *t = fb->args[0]->type;
    for (uint32_t i = 1; i < fb->n_args; i++) {
        t = sl__common_type(t, fb->args[i]->type);
        if (!t) return sl__fbind_type_error(fb, i, "of a type compatible with the others");
    }
    for (uint32_t i = 0; i < fb->n_args; i++) sl__fbind_cast_arg(fb, i, t);
    fb->type = t;
    fb->kernel = k_greatest;
    fb->iparam = least;
    return SL_OK;
}
static sl_status bind_greatest(sl__fbind *fb) {
    return bind_greatest_common(fb, false);
}
static sl_status bind_least(sl__fbind *fb) {
    return bind_greatest_common(fb, true);
}

static void k_const_double(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                           sl__vec *out) {
    double v = e->iparam == 0 ? M_PI : M_E;
    SL_FOR_ROWS(rows, r) SL_VEC_DATA(out, double)[r] = v;
}
static sl_status bind_pi(sl__fbind *fb) {
    fb->type = SL_T_F64;
    fb->kernel = k_const_double;
    fb->iparam = 0;
    return SL_OK;
}
static sl_status bind_e(sl__fbind *fb) {
    fb->type = SL_T_F64;
    fb->kernel = k_const_double;
    fb->iparam = 1;
    return SL_OK;
}

/* typeof(x): Spark's simpleString of the argument type */
static void k_typeof(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const char *nm = e->args[0]->type->name;
    SL_FOR_ROWS(rows, r) sl__vec_set_str_borrow(out, r, nm, strlen(nm));
}
static sl_status bind_typeof(sl__fbind *fb) {
    fb->type = SL_T_STR;
    fb->kernel = k_typeof;
    return SL_OK;
}

/* assert_true(cond [, message]) and raise_error(message): NULL, or the query
 * fails with the message (Spark 3.1+: "'<cond>' is not true!"). */
static void k_assert_true(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                          sl__vec *out) {
    const sl__vec *c = a[0];
    SL_FOR_ROWS(rows, r) {
        uint32_t i = sl__vec_idx(c, r);
        sl__vec_set_null(out, r);
        if (sl__vec_valid(c, i) && SL_VEC_DATA(c, uint8_t)[i]) continue;
        if (e->n_args > 1) {
            const sl__vec *m = a[1];
            uint32_t k = sl__vec_idx(m, r);
            sl__str s = sl__vec_valid(m, k) ? SL_VEC_DATA(m, sl__str)[k] : sl__str_make("null", 4);
            sl__ectx_fail(ctx, SL_ERR_EXEC, "%.*s", (int)s.len, s.ptr);
        } else {
            sl__buf b = SL_BUF_INIT;
            sl__expr_print(e->args[0], &b);
            sl__ectx_fail(ctx, SL_ERR_EXEC, "'%s' is not true!", sl__buf_str(&b));
            sl__buf_free(&b);
        }
        return;
    }
}
static sl_status bind_assert_true(sl__fbind *fb) {
    if (fb->args[0]->type != SL_T_BOOL) return sl__fbind_type_error(fb, 0, "BOOLEAN");
    if (fb->n_args > 1) sl__fbind_cast_arg(fb, 1, SL_T_STR);
    fb->type = SL_T_NULL;
    fb->kernel = k_assert_true;
    fb->volatile_ = true; /* never folded away at bind time */
    return SL_OK;
}

static void k_raise_error(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                          sl__vec *out) {
    (void)e;
    SL_FOR_ROWS(rows, r) {
        sl__vec_set_null(out, r);
        const sl__vec *m = a[0];
        uint32_t k = sl__vec_idx(m, r);
        sl__str s = sl__vec_valid(m, k) ? SL_VEC_DATA(m, sl__str)[k] : sl__str_make("null", 4);
        sl__ectx_fail(ctx, SL_ERR_EXEC, "%.*s", (int)s.len, s.ptr);
        return;
    }
}
static sl_status bind_raise_error(sl__fbind *fb) {
    sl__fbind_cast_arg(fb, 0, SL_T_STR);
    fb->type = SL_T_NULL;
    fb->kernel = k_raise_error;
    fb->volatile_ = true;
    return SL_OK;
}

static const sl__fn_def defs[] = {
    {"+", 2, 2, bind_add, "a + b", "Sum; timestamp + interval; date + days."},
    {"-", 2, 2, bind_sub, "a - b", "Difference; timestamp - interval; timestamp - timestamp."},
    {"*", 2, 2, bind_mul, "a * b", "Product."},
    {"/", 2, 2, bind_div, "a / b", "Division, always DOUBLE; NULL when b is 0."},
    {"%", 2, 2, bind_mod, "a % b", "Remainder with the sign of a; NULL when b is 0."},
    {"mod", 2, 2, bind_mod, "mod(a, b)", "Same as a % b."},
    {"pmod", 2, 2, bind_pmod, "pmod(a, b)", "Positive remainder."},
    {"div", 2, 2, bind_idiv, "a div b", "Integer division (BIGINT); NULL when b is 0."},
    {"negative", 1, 1, bind_neg, "-a", "Negation."},
    {"positive", 1, 1, bind_pos, "+a", "The argument unchanged."},
    {"&", 2, 2, bind_bitand, "a & b", "Bitwise AND."},
    {"|", 2, 2, bind_bitor, "a | b", "Bitwise OR."},
    {"^", 2, 2, bind_bitxor, "a ^ b", "Bitwise XOR."},
    {"~", 1, 1, bind_bitnot, "~a", "Bitwise NOT."},
    {"=", 2, 2, bind_eq, "a = b", "Equality (NULL if either side is NULL)."},
    {"==", 2, 2, bind_eq, "a == b", "Equality."},
    {"!=", 2, 2, bind_ne, "a != b", "Inequality."},
    {"<>", 2, 2, bind_ne, "a <> b", "Inequality."},
    {"<", 2, 2, bind_lt, "a < b", "Less than."},
    {"<=", 2, 2, bind_le, "a <= b", "Less than or equal."},
    {">", 2, 2, bind_gt, "a > b", "Greater than."},
    {">=", 2, 2, bind_ge, "a >= b", "Greater than or equal."},
    {"<=>", 2, 2, bind_nseq, "a <=> b", "Null-safe equality: never NULL."},
    {"not", 1, 1, bind_not, "NOT a", "Logical negation (NULL stays NULL)."},
    {"!", 1, 1, bind_not, "!a", "Logical negation."},
    {"isnull", 1, 1, bind_isnull, "isnull(a)", "TRUE when a is NULL."},
    {"isnotnull", 1, 1, bind_isnotnull, "isnotnull(a)", "TRUE when a is not NULL."},
    {"isnan", 1, 1, bind_isnan, "isnan(x)", "TRUE when x is NaN."},
    {"in", 2, -1, bind_in, "a IN (v1, ...)", "Membership with SQL NULL semantics."},
    {"like", 2, 3, bind_like, "s LIKE pattern",
     "Whole-string match: % any sequence, _ one character."},
    {"ilike", 2, 3, bind_ilike, "s ILIKE pattern", "Case-insensitive LIKE."},
    {"abs", 1, 1, bind_abs, "abs(x)", "Absolute value."},
    {"sqrt", 1, 1, bind_sqrt, "sqrt(x)", "Square root (NaN for negative x)."},
    {"exp", 1, 1, bind_exp, "exp(x)", "e raised to x."},
    {"ln", 1, 1, bind_ln, "ln(x)", "Natural logarithm (NULL for x <= 0)."},
    {"log", 1, 2, bind_log, "log([base,] x)", "Logarithm (natural, or in the given base)."},
    {"log10", 1, 1, bind_log10, "log10(x)", "Base-10 logarithm."},
    {"log2", 1, 1, bind_log2, "log2(x)", "Base-2 logarithm."},
    {"sin", 1, 1, bind_sin, "sin(x)", "Sine."},
    {"cos", 1, 1, bind_cos, "cos(x)", "Cosine."},
    {"tan", 1, 1, bind_tan, "tan(x)", "Tangent."},
    {"atan", 1, 1, bind_atan, "atan(x)", "Arc tangent."},
    {"pow", 2, 2, bind_pow, "pow(x, y)", "x raised to y (DOUBLE)."},
    {"power", 2, 2, bind_pow, "power(x, y)", "Same as pow."},
    {"floor", 1, 2, bind_floor, "floor(x)", "Largest integer <= x (BIGINT)."},
    {"ceil", 1, 2, bind_ceil, "ceil(x)", "Smallest integer >= x (BIGINT)."},
    {"ceiling", 1, 2, bind_ceil, "ceiling(x)", "Same as ceil."},
    {"round", 1, 2, bind_round, "round(x[, d])", "Round half up to d decimals."},
    {"bround", 1, 2, bind_bround, "bround(x[, d])", "Round half to even to d decimals."},
    {"sign", 1, 1, bind_sign, "sign(x)", "-1.0, 0.0 or 1.0."},
    {"signum", 1, 1, bind_sign, "signum(x)", "Same as sign."},
    {"greatest", 2, -1, bind_greatest, "greatest(a, b, ...)", "Largest non-NULL argument."},
    {"least", 2, -1, bind_least, "least(a, b, ...)", "Smallest non-NULL argument."},
    {"pi", 0, 0, bind_pi, "pi()", "The constant pi."},
    {"e", 0, 0, bind_e, "e()", "Euler's number."},
    {"typeof", 1, 1, bind_typeof, "typeof(x)", "Name of the argument's type."},
    {"assert_true", 1, 2, bind_assert_true, "assert_true(cond [, message])",
     "NULL when cond is true; otherwise the statement (or streaming query) fails with the "
     "message, or \"'cond' is not true!\"."},
    {"raise_error", 1, 1, bind_raise_error, "raise_error(message)",
     "Fails the statement (or streaming query) with the message, for any row it meets."},
};

const sl__fn_table sl__fn_core = {defs, SL_ARRAY_LEN(defs)};
