/*
 * func_eval.h — a small harness for unit tests of scalar functions (the
 * tests of src/func/scalar_*.c): binds a call through the registry and
 * evaluates it over hand-built vectors, without the SQL front end.
 *
 * ev("split", 2, S("a,b"), S(",")) evaluates the call four ways and checks
 * that they agree: every argument a column (3 physical rows, selection
 * vector {1}, rows 0 and 2 holding other values), every argument a
 * constant, the first a column and the rest constants (the common shape:
 * split(col, ' ')), and the all-constant call folded as the binder folds
 * it. It returns the result as text: NULL, strings as they are at the top
 * level and quoted inside arrays ("[\"a\", \"\"]"), structs as {a, b}.
 * Errors (bind or run time) come back as "ERROR: message".
 */
#ifndef FUNC_EVAL_H
#define FUNC_EVAL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "func/kernel.h"

/* One argument: its type and value. For arrays, sv lists the elements as
 * text (NULL pointer = NULL element), parsed for array<int>. */
typedef struct targ {
    const sl__type *t;
    bool null;
    int64_t i;
    double d;
    const char *s;
    const char *const *sv;
    uint32_t n;
    bool konst; /* always passed as a constant (field names, flags) */
} targ;

/* x, but always a constant argument (for parameters that must be literals) */
static inline targ KONST(targ x) {
    x.konst = true;
    return x;
}

#define S(x) ((targ){.t = SL_T_STR, .s = (x)})
#define NS   ((targ){.t = SL_T_STR, .null = true})
#define I(x) ((targ){.t = SL_T_I32, .i = (x)})
#define NI   ((targ){.t = SL_T_I32, .null = true})
#define L(x) ((targ){.t = SL_T_I64, .i = (x)})
#define B(x) ((targ){.t = SL_T_BOOL, .i = (x)})
#define D(x) ((targ){.t = SL_T_F64, .d = (x)})
#define NUL  ((targ){.t = SL_T_NULL, .null = true})
#define FE_LIST(...)                                                                               \
    (const char *const[]) {                                                                        \
        __VA_ARGS__                                                                                \
    }
#define FE_LEN(...) (uint32_t)(sizeof(FE_LIST(__VA_ARGS__)) / sizeof(const char *))
#define AS(...)                                                                                    \
    ((targ){.t = sl__type_array(SL_T_STR), .sv = FE_LIST(__VA_ARGS__), .n = FE_LEN(__VA_ARGS__)})
#define AI(...)                                                                                    \
    ((targ){.t = sl__type_array(SL_T_I32), .sv = FE_LIST(__VA_ARGS__), .n = FE_LEN(__VA_ARGS__)})
#define AEMPTY(T) ((targ){.t = sl__type_array(T)})
#define NA(T)     ((targ){.t = sl__type_array(T), .null = true})

static void fe_put(sl__vec *v, uint32_t k, const targ *x) {
    if (x->null) {
        sl__vec_set_null(v, k);
        return;
    }
    sl__vec_set_valid(v, k);
    switch (x->t->id) {
    case SL_TYPE_STRING: sl__vec_set_str_copy(v, k, x->s, strlen(x->s)); break;
    case SL_TYPE_INT: SL_VEC_DATA(v, int32_t)[k] = (int32_t)x->i; break;
    case SL_TYPE_BIGINT: SL_VEC_DATA(v, int64_t)[k] = x->i; break;
    case SL_TYPE_BOOLEAN: SL_VEC_DATA(v, uint8_t)[k] = x->i != 0; break;
    case SL_TYPE_DOUBLE: SL_VEC_DATA(v, double)[k] = x->d; break;
    case SL_TYPE_ARRAY: {
        uint32_t off = sl__vec_list_append(v, k, x->n);
        sl__vec *c = v->child[0];
        for (uint32_t j = 0; j < x->n; j++) {
            const char *e = x->sv[j];
            if (!e) {
                sl__vec_set_null(c, off + j);
                continue;
            }
            sl__vec_set_valid(c, off + j);
            if (c->type->id == SL_TYPE_STRING)
                sl__vec_set_str_copy(c, off + j, e, strlen(e));
            else
                SL_VEC_DATA(c, int32_t)[off + j] = atoi(e);
        }
        break;
    }
    default: break;
    }
}

/* A different, valid value of the same type (for the rows the selection
 * vector leaves out). */
static targ fe_other(const targ *x) {
    static const char *const junk[] = {"#junk#", NULL, "zz"};
    targ o = *x;
    o.null = false;
    o.s = "#other, row;";
    o.i = 77;
    o.d = -1.5;
    o.sv = junk;
    o.n = 3;
    return o;
}

static void fe_render(const sl__vec *v, uint32_t k, bool nested, sl__buf *out) {
    k = sl__vec_idx(v, k);
    if (!sl__vec_valid(v, k)) {
        sl__buf_puts(out, "NULL");
        return;
    }
    switch (v->type->id) {
    case SL_TYPE_STRING: {
        sl__str s = SL_VEC_DATA(v, sl__str)[k];
        if (nested) sl__buf_putc(out, '"');
        sl__buf_append(out, s.ptr, s.len);
        if (nested) sl__buf_putc(out, '"');
        break;
    }
    case SL_TYPE_BOOLEAN: sl__buf_puts(out, SL_VEC_DATA(v, uint8_t)[k] ? "true" : "false"); break;
    case SL_TYPE_DOUBLE: sl__buf_printf(out, "%g", SL_VEC_DATA(v, double)[k]); break;
    case SL_TYPE_ARRAY: {
        sl__list l = SL_VEC_DATA(v, sl__list)[k];
        sl__buf_putc(out, '[');
        for (uint32_t j = 0; j < l.len; j++) {
            if (j) sl__buf_puts(out, ", ");
            fe_render(v->child[0], l.off + j, true, out);
        }
        sl__buf_putc(out, ']');
        break;
    }
    case SL_TYPE_STRUCT:
        sl__buf_putc(out, '{');
        for (uint32_t j = 0; j < v->n_child; j++) {
            if (j) sl__buf_puts(out, ", ");
            fe_render(v->child[j], k, true, out);
        }
        sl__buf_putc(out, '}');
        break;
    case SL_TYPE_NULL: sl__buf_puts(out, "NULL"); break;
    default: sl__buf_printf(out, "%lld", (long long)sl__get_i64(v, k));
    }
}

static sl__buf fe_out = SL_BUF_INIT;
static char fe_type[256];

/* Binds fn over the arguments (column or constant per const_mask) and
 * evaluates it; appends the text of the result to out. fold: constant-fold
 * the call first. */
static void fe_run(const char *fn, uint32_t n, const targ *args, uint32_t const_mask, bool fold,
                   sl__buf *out) {
    sl__err err;
    sl__err_clear(&err);
    sl__expr *ex[16];
    sl__vec *cols[16];
    uint32_t nc = 0;
    for (uint32_t i = 0; i < n; i++) {
        if ((const_mask & (1u << i)) || args[i].konst) {
            sl__vec *v = sl__vec_new(args[i].t, 1);
            fe_put(v, 0, &args[i]);
            ex[i] = sl__expr_const(v);
        } else {
            sl__vec *v = sl__vec_new(args[i].t, 3);
            targ o = fe_other(&args[i]);
            fe_put(v, 0, &o);
            fe_put(v, 1, &args[i]);
            fe_put(v, 2, &o);
            cols[nc] = v;
            ex[i] = sl__expr_colref(nc++, args[i].t);
        }
    }
    const sl__fn_def *def = sl__fn_find(fn);
    assert_non_null(def);
    sl__expr *e = sl__fn_bind_call(def, fn, ex, n, 0, "UTC", &err);
    if (!e) {
        sl__buf_printf(out, "ERROR: %s", err.msg);
    } else {
        snprintf(fe_type, sizeof fe_type, "%s", e->type->name);
        sl__ectx ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.err = &err;
        ctx.time_zone = "UTC";
        if (fold) {
            e = sl__expr_fold(e, &ctx);
            if (ctx.failed)
                sl__buf_printf(out, "ERROR: %s", err.msg);
            else {
                assert_int_equal(e->kind, E_CONST);
                fe_render(e->cval, 0, false, out);
            }
        } else {
            static const uint32_t sel[1] = {1};
            sl__batch b = {nc, cols, 3, sel, 1};
            sl__vec *v = sl__expr_eval(e, &ctx, &b);
            if (ctx.failed)
                sl__buf_printf(out, "ERROR: %s", err.msg);
            else
                fe_render(v, 1, false, out);
        }
        sl__expr_free(e);
    }
    for (uint32_t i = 0; i < nc; i++) sl__vec_free(cols[i]);
}

static bool fe_is_error(const char *s) {
    return strlen(s) >= 5 && memcmp(s, "ERROR", 5) == 0;
}

static const char *fe_eval(const char *fn, uint32_t n, const targ *args) {
    sl__buf_clear(&fe_out);
    fe_run(fn, n, args, 0, false, &fe_out);
    const uint32_t all = (1u << n) - 1;
    const uint32_t masks[3] = {all, all & ~1u, all};
    for (int m = 0; m < 3; m++) {
        sl__buf other = SL_BUF_INIT;
        fe_run(fn, n, args, masks[m], m == 2, &other);
        const char *x = sl__buf_str(&fe_out), *y = sl__buf_str(&other);
        bool ex = fe_is_error(x), ey = fe_is_error(y);
        if (ex != ey || (!ex && strcmp(x, y) != 0)) {
            print_error("%s: columns give '%s' but mode %d gives '%s'\n", fn, x, m, y);
            sl__buf_free(&other);
            fail();
        }
        sl__buf_free(&other);
    }
    return sl__buf_str(&fe_out);
}

static const char *ev(const char *fn, uint32_t n, ...) {
    targ args[16];
    va_list ap;
    va_start(ap, n);
    for (uint32_t i = 0; i < n; i++) args[i] = va_arg(ap, targ);
    va_end(ap);
    return fe_eval(fn, n, args);
}

/* Result type of the last evaluated call ("array<string>"). */
static const char *ev_type(void) {
    return fe_type;
}

#define EQ(want, got) assert_string_equal((got), (want))

#endif
