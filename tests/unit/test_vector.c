/*
 * test_vector.c — unit tests of column vectors (validity, growth, deep
 * copies of strings, structs and arrays, constants), the key hash table
 * (NULL keys, strings, growth to many keys) and vectorised casts with
 * Spark's non-ANSI rules (R155–R163).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "batch/batch.h"
#include "exec/hashtab.h"
#include "func/func.h"
#include "func/kernel.h"
#include <math.h>

static void test_validity_and_growth(void **state) {
    (void)state;
    sl__vec *v = sl__vec_new(SL_T_I64, 4);
    for (uint32_t i = 0; i < 4; i++) assert_true(sl__vec_valid(v, i));
    sl__vec_set_null(v, 2);
    assert_false(sl__vec_valid(v, 2));
    SL_VEC_DATA(v, int64_t)[3] = 99;
    sl__vec_reserve(v, 1000);
    assert_true(v->cap >= 1000);
    assert_false(sl__vec_valid(v, 2)); /* kept */
    assert_int_equal(SL_VEC_DATA(v, int64_t)[3], 99);
    assert_true(sl__vec_valid(v, 999)); /* new rows valid */
    sl__vec_reset(v);
    assert_true(sl__vec_valid(v, 2));
    sl__vec_free(v);
}

static void test_deep_copy(void **state) {
    (void)state;
    const char *names[2] = {"a", "l"};
    const sl__type *types[2] = {SL_T_STR, sl__type_array(SL_T_STR)};
    const sl__type *st = sl__type_struct(2, names, types, NULL);
    sl__vec *src = sl__vec_new(st, 4);
    char text[] = "hello";
    sl__vec_set_str_borrow(src->child[0], 1, text, 5);
    uint32_t off = sl__vec_list_append(src->child[1], 1, 2);
    sl__vec_set_str_copy(src->child[1]->child[0], off, "x", 1);
    sl__vec_set_null(src->child[1]->child[0], off + 1);
    sl__vec *dst = sl__vec_new(st, 1);
    sl__vec_copy_value(dst, 0, src, 1);
    text[0] = 'J'; /* the copy must not borrow */
    sl__str s = SL_VEC_DATA(dst->child[0], sl__str)[0];
    assert_int_equal(s.len, 5);
    assert_memory_equal(s.ptr, "hello", 5);
    sl__list l = SL_VEC_DATA(dst->child[1], sl__list)[0];
    assert_int_equal(l.len, 2);
    assert_memory_equal(SL_VEC_DATA(dst->child[1]->child[0], sl__str)[l.off].ptr, "x", 1);
    assert_false(sl__vec_valid(dst->child[1]->child[0], l.off + 1));
    /* NULL struct copies as NULL */
    sl__vec_set_null(src, 0);
    sl__vec_copy_value(dst, 0, src, 0);
    assert_false(sl__vec_valid(dst, 0));
    assert_true(sl__vec_memory(dst) > 0);
    sl__vec_free(src);
    sl__vec_free(dst);
}

static void test_constants(void **state) {
    (void)state;
    sl__expr *c = sl__expr_const_i64(SL_T_I32, 7);
    assert_true(c->cval->is_const);
    assert_int_equal(sl__vec_idx(c->cval, 1234), 0);
    sl__batch b = {0, NULL, 3, NULL, 3};
    sl__ectx ctx = {0};
    sl__vec *v = sl__expr_eval(c, &ctx, &b);
    assert_int_equal(SL_VEC_DATA(v, int32_t)[sl__vec_idx(v, 2)], 7);
    sl__expr_free(c);
    sl__expr *n = sl__expr_const_null(SL_T_STR);
    assert_false(sl__vec_valid(n->cval, 5));
    sl__expr_free(n);
}

static void test_keytab(void **state) {
    (void)state;
    const sl__type *types[2] = {SL_T_STR, SL_T_I64};
    sl__keytab t;
    sl__keytab_init(&t, 2, types);
    sl__vec *k0 = sl__vec_new(SL_T_STR, SL_VEC_SIZE), *k1 = sl__vec_new(SL_T_I64, SL_VEC_SIZE);
    sl__vec *kv[2] = {k0, k1};
    uint64_t h[SL_VEC_SIZE];
    /* 100000 keys in batches: (str(i % 1000), i % 100), and NULLs */
    uint32_t inserted = 0;
    char buf[16];
    for (uint32_t base = 0; base < 100000; base += SL_VEC_SIZE) {
        sl__vec_reset(k0);
        sl__vec_reset(k1);
        uint32_t n = SL_MIN(SL_VEC_SIZE, 100000 - base);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t x = base + i;
            int len = snprintf(buf, sizeof buf, "%u", x % 1000);
            if (x % 1000 == 7)
                sl__vec_set_null(k0, i);
            else
                sl__vec_set_str_copy(k0, i, buf, (size_t)len);
            SL_VEC_DATA(k1, int64_t)[i] = x % 100;
        }
        sl__rows rows = {NULL, n};
        sl__keytab_hash(kv, 2, &rows, h);
        for (uint32_t i = 0; i < n; i++) {
            bool ins;
            uint32_t id = sl__keytab_insert(&t, kv, i, h[i], &ins);
            if (ins) {
                assert_int_equal(id, inserted);
                inserted++;
            }
            assert_int_equal(sl__keytab_find(&t, kv, i, h[i]), id);
        }
    }
    /* x % 1000 and x % 100: (x % 1000) determines x % 100, so 1000 keys, and
     * the NULL one (x % 1000 == 7) is a single key too */
    assert_int_equal(inserted, 1000);
    assert_int_equal(t.n, 1000);
    /* an absent key */
    sl__vec_reset(k0);
    sl__vec_set_str_copy(k0, 0, "5", 1);
    SL_VEC_DATA(k1, int64_t)[0] = 6;
    sl__rows one = {NULL, 1};
    sl__keytab_hash(kv, 2, &one, h);
    assert_int_equal(sl__keytab_find(&t, kv, 0, h[0]), UINT32_MAX);
    assert_true(sl__keytab_memory(&t) > 0);
    sl__keytab_clear(&t);
    assert_int_equal(t.n, 0);
    sl__keytab_free(&t);
    sl__vec_free(k0);
    sl__vec_free(k1);
}

/* Single fixed-width keys take the fast path (key in the slot): across
 * many growths every key must stay findable by the batch and single-row
 * forms alike, and the NULL key is one id. */
static void test_keytab_fast_path(void **state) {
    (void)state;
    const sl__type *types[1] = {SL_T_I64};
    sl__keytab t;
    sl__keytab_init(&t, 1, types);
    sl__vec *v = sl__vec_new(SL_T_I64, SL_VEC_SIZE);
    uint32_t ids[SL_VEC_SIZE], again[SL_VEC_SIZE];
    const uint64_t n = 300000;
    for (uint64_t base = 0; base < n; base += SL_VEC_SIZE) {
        for (uint32_t i = 0; i < SL_VEC_SIZE; i++)
            SL_VEC_DATA(v, int64_t)[i] = (int64_t)(((base + i) * 2654435761u) % 100000);
        sl__rows rows = {NULL, SL_VEC_SIZE};
        sl__keytab_insert_batch(&t, &v, &rows, ids);
        sl__keytab_find_batch(&t, &v, &rows, again);
        for (uint32_t i = 0; i < SL_VEC_SIZE; i++) {
            assert_int_equal(ids[i], again[i]);
            assert_int_equal(SL_VEC_DATA(t.keys[0], int64_t)[ids[i]], SL_VEC_DATA(v, int64_t)[i]);
        }
    }
    assert_int_equal(t.n, 100000);
    /* single-row forms agree with the batch forms */
    uint64_t h[1];
    sl__rows one = {NULL, 1};
    sl__keytab_hash(&v, 1, &one, h);
    bool ins;
    uint32_t id = sl__keytab_insert(&t, &v, 0, h[0], &ins);
    assert_false(ins);
    assert_int_equal(id, sl__keytab_find(&t, &v, 0, h[0]));
    /* NULL: one id, found again */
    sl__vec_set_null(v, 1);
    sl__vec_set_null(v, 2);
    sl__rows three = {NULL, 3};
    sl__keytab_insert_batch(&t, &v, &three, ids);
    assert_int_equal(ids[1], ids[2]);
    assert_int_equal(t.n, 100001);
    assert_false(sl__vec_valid(t.keys[0], ids[1]));
    sl__keytab_free(&t);
    sl__vec_free(v);
}

/* Casts the single value of a constant through the cast kernel. */
static sl__vec *cast_const(sl__expr *c, const sl__type *to, sl__expr **keep) {
    sl__err err;
    sl__err_clear(&err);
    sl__expr *e = sl__cast_bind(c, to, 0, &err);
    assert_non_null(e);
    sl__batch b = {0, NULL, 1, NULL, 1};
    sl__ectx ctx = {0};
    ctx.err = &err;
    *keep = e;
    return sl__expr_eval(e, &ctx, &b);
}

static void test_casts(void **state) {
    (void)state;
    sl__expr *k;
    sl__vec *v;
    /* R160: string -> int trims, truncates fractions, NULL on junk/overflow */
    v = cast_const(sl__expr_const_str(" 12.7 ", 6), SL_T_I32, &k);
    assert_int_equal(SL_VEC_DATA(v, int32_t)[0], 12);
    sl__expr_free(k);
    v = cast_const(sl__expr_const_str("abc", 3), SL_T_I32, &k);
    assert_false(sl__vec_valid(v, 0));
    sl__expr_free(k);
    v = cast_const(sl__expr_const_str("3000000000", 10), SL_T_I32, &k);
    assert_false(sl__vec_valid(v, 0));
    sl__expr_free(k);
    /* R163: double -> int truncates toward zero and saturates; NaN -> 0 */
    v = cast_const(sl__expr_const_f64(-2.9), SL_T_I32, &k);
    assert_int_equal(SL_VEC_DATA(v, int32_t)[0], -2);
    sl__expr_free(k);
    v = cast_const(sl__expr_const_f64(1e20), SL_T_I32, &k);
    assert_int_equal(SL_VEC_DATA(v, int32_t)[0], INT32_MAX);
    sl__expr_free(k);
    v = cast_const(sl__expr_const_f64(NAN), SL_T_I64, &k);
    assert_int_equal(SL_VEC_DATA(v, int64_t)[0], 0);
    sl__expr_free(k);
    /* R163: long -> int keeps the low 32 bits */
    v = cast_const(sl__expr_const_i64(SL_T_I64, 4294967297LL), SL_T_I32, &k);
    assert_int_equal(SL_VEC_DATA(v, int32_t)[0], 1);
    sl__expr_free(k);
    /* R155, R156: numbers to TIMESTAMP are seconds */
    v = cast_const(sl__expr_const_i64(SL_T_I64, 1700000000), SL_T_TS, &k);
    assert_int_equal(SL_VEC_DATA(v, int64_t)[0], 1700000000000000LL);
    sl__expr_free(k);
    v = cast_const(sl__expr_const_f64(1.5), SL_T_TS, &k);
    assert_int_equal(SL_VEC_DATA(v, int64_t)[0], 1500000);
    sl__expr_free(k);
    v = cast_const(sl__expr_const_f64(INFINITY), SL_T_TS, &k);
    assert_false(sl__vec_valid(v, 0));
    sl__expr_free(k);
    /* R157: true -> 1 microsecond */
    v = cast_const(sl__expr_const_bool(true), SL_T_TS, &k);
    assert_int_equal(SL_VEC_DATA(v, int64_t)[0], 1);
    sl__expr_free(k);
    /* R158: timestamp -> long floors */
    v = cast_const(sl__expr_const_i64(SL_T_TS, -1500000), SL_T_I64, &k);
    assert_int_equal(SL_VEC_DATA(v, int64_t)[0], -2);
    sl__expr_free(k);
    /* R162: string -> boolean */
    v = cast_const(sl__expr_const_str("Yes", 3), SL_T_BOOL, &k);
    assert_true(SL_VEC_DATA(v, uint8_t)[0]);
    sl__expr_free(k);
    /* to string: Java doubles, timestamps */
    v = cast_const(sl__expr_const_f64(1e7), SL_T_STR, &k);
    assert_memory_equal(SL_VEC_DATA(v, sl__str)[0].ptr, "1.0E7", 5);
    sl__expr_free(k);
    v = cast_const(sl__expr_const_i64(SL_T_TS, 0), SL_T_STR, &k);
    assert_int_equal(SL_VEC_DATA(v, sl__str)[0].len, 19);
    sl__expr_free(k);
    /* not castable */
    sl__err err;
    sl__err_clear(&err);
    assert_null(sl__cast_bind(sl__expr_const_i64(SL_T_DATE, 1), SL_T_I32, 3, &err));
    assert_int_equal(err.offset, 3);
    assert_non_null(strstr(err.msg, "cannot cast date to int"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validity_and_growth), cmocka_unit_test(test_deep_copy),
        cmocka_unit_test(test_constants),           cmocka_unit_test(test_keytab),
        cmocka_unit_test(test_keytab_fast_path),    cmocka_unit_test(test_casts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
