/*
 * test_func_nested.c — the array and struct functions of
 * src/func/scalar_nested.c (plus concat and reverse of arrays from
 * scalar_string.c): construction, subscripts (0-based a[i], 1-based
 * element_at, NULL out of range), size(NULL) = -1, search, sort, slice,
 * with NULL arrays, NULL elements, constants and selection vectors.
 */
#include "func_eval.h"

/* Binds fn over already-built argument expressions; returns the text of
 * the constant-folded result (or "ERROR: ..."). */
static const char *evx(const char *fn, uint32_t n, sl__expr **args) {
    static sl__buf out = SL_BUF_INIT;
    sl__buf_clear(&out);
    sl__err err;
    sl__err_clear(&err);
    sl__expr *e = sl__fn_bind_call(sl__fn_find(fn), fn, args, n, 0, "UTC", &err);
    if (!e) {
        sl__buf_printf(&out, "ERROR: %s", err.msg);
        return sl__buf_str(&out);
    }
    snprintf(fe_type, sizeof fe_type, "%s", e->type->name);
    sl__ectx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.err = &err;
    e = sl__expr_fold(e, &ctx);
    if (ctx.failed)
        sl__buf_printf(&out, "ERROR: %s", err.msg);
    else
        fe_render(e->cval, 0, false, &out);
    sl__expr_free(e);
    return sl__buf_str(&out);
}

static sl__expr *cs(const char *s) {
    return sl__expr_const_str(s, strlen(s));
}
static sl__expr *ci(int64_t v) {
    return sl__expr_const_i64(SL_T_I32, v);
}
static sl__expr *call(const char *fn, uint32_t n, ...) {
    sl__expr *args[16];
    va_list ap;
    va_start(ap, n);
    for (uint32_t i = 0; i < n; i++) args[i] = va_arg(ap, sl__expr *);
    va_end(ap);
    sl__err err;
    sl__err_clear(&err);
    sl__expr *e = sl__fn_bind_call(sl__fn_find(fn), fn, args, n, 0, "UTC", &err);
    assert_non_null(e);
    return e;
}

static void test_constructors(void **state) {
    (void)state;
    EQ("[1, 2, NULL]", ev("array", 3, I(1), I(2), NUL));
    EQ("array<int>", ev_type());
    EQ("[1, 2.5]", ev("array", 2, I(1), D(2.5)));
    EQ("array<double>", ev_type());
    EQ("[\"a\", \"1\"]", ev("array", 2, S("a"), I(1)));
    EQ("[\"a\", NULL]", ev("array", 2, S("a"), NS));
    EQ("[]", ev("array", 0));
    EQ("[[\"x\", NULL], NULL]", ev("array", 2, AS("x", NULL), NA(SL_T_STR)));
    EQ("{1, \"a\"}", ev("struct", 2, I(1), S("a")));
    EQ("struct<col1:int,col2:string>", ev_type());
    EQ("{NULL, [\"b\"]}", ev("struct", 2, NS, AS("b")));
    EQ("{1, \"a\"}", ev("named_struct", 4, KONST(S("x")), I(1), KONST(S("y")), S("a")));
    EQ("struct<x:int,y:string>", ev_type());
    assert_non_null(strstr(ev("named_struct", 3, KONST(S("x")), I(1), KONST(S("y"))),
                           "ERROR: named_struct expects pairs"));
    assert_non_null(
        strstr(ev("named_struct", 2, KONST(I(1)), I(1)), "must be a constant non-NULL string"));
    assert_non_null(strstr(ev("array", 2, I(1), AS("a")), "ERROR: array: argument 2"));
}

static void test_subscripts(void **state) {
    (void)state;
    EQ("a", ev("get_item", 2, AS("a", "b"), I(0)));
    EQ("b", ev("get_item", 2, AS("a", "b"), L(1)));
    EQ("string", ev_type());
    EQ("NULL", ev("get_item", 2, AS("a", "b"), I(2)));
    EQ("NULL", ev("get_item", 2, AS("a", "b"), I(-1)));
    EQ("NULL", ev("get_item", 2, AS("a", NULL), I(1)));
    EQ("NULL", ev("get_item", 2, AS("a", "b"), NI));
    EQ("NULL", ev("get_item", 2, NA(SL_T_STR), I(0)));
    EQ("7", ev("get_item", 2, AI("5", "7"), I(1)));
    EQ("int", ev_type());
    EQ("a", ev("element_at", 2, AS("a", "b"), I(1)));
    EQ("b", ev("element_at", 2, AS("a", "b"), I(-1)));
    EQ("a", ev("element_at", 2, AS("a", "b"), I(-2)));
    EQ("NULL", ev("element_at", 2, AS("a", "b"), I(3)));
    EQ("NULL", ev("element_at", 2, AS("a", "b"), I(-3)));
    EQ("NULL", ev("element_at", 2, NA(SL_T_STR), I(1)));
    assert_non_null(
        strstr(ev("element_at", 2, AS("a"), I(0)), "ERROR: element_at: the index 0 is invalid"));
    assert_non_null(strstr(ev("get_item", 2, S("abc"), I(0)),
                           "ERROR: cannot subscript a value of type string"));
    assert_non_null(strstr(ev("get_item", 2, AS("a"), S("x")), "argument 2 must be an integer"));

    /* struct fields, by constant name (exact case first, then any case) */
    EQ("a",
       evx("get_item", 2,
           (sl__expr *[]){call("named_struct", 4, cs("x"), ci(1), cs("y"), cs("a")), cs("y")}));
    EQ("string", ev_type());
    EQ("1",
       evx("get_item", 2,
           (sl__expr *[]){call("named_struct", 4, cs("x"), ci(1), cs("y"), cs("a")), cs("X")}));
    EQ("2", evx("get_item", 2, (sl__expr *[]){call("struct", 2, ci(1), ci(2)), cs("col2")}));
    assert_non_null(strstr(evx("get_item", 2, (sl__expr *[]){call("struct", 1, ci(1)), cs("zz")}),
                           "ERROR: no field 'zz' in struct<col1:int>"));
    EQ("NULL", evx("get_item", 2, (sl__expr *[]){sl__expr_const_null(SL_T_NULL), ci(0)}));
}

static void test_size(void **state) {
    (void)state;
    EQ("2", ev("size", 1, AS("a", NULL)));
    EQ("0", ev("size", 1, AEMPTY(SL_T_STR)));
    EQ("-1", ev("size", 1, NA(SL_T_STR))); /* legacy sizeOfNull */
    EQ("-1", ev("cardinality", 1, NUL));
    EQ("3", ev("cardinality", 1, AI("1", "2", "3")));
    EQ("NULL", ev("array_size", 1, NA(SL_T_I32)));
    EQ("1", ev("array_size", 1, AI("1")));
    assert_non_null(strstr(ev("size", 1, S("abc")), "argument 1 must be an array"));
}

static void test_search(void **state) {
    (void)state;
    EQ("true", ev("array_contains", 2, AS("a", "b"), S("b")));
    EQ("false", ev("array_contains", 2, AS("a"), S("c")));
    EQ("NULL", ev("array_contains", 2, AS("a", NULL), S("c")));
    EQ("true", ev("array_contains", 2, AS("a", NULL), S("a")));
    EQ("NULL", ev("array_contains", 2, NA(SL_T_STR), S("a")));
    EQ("NULL", ev("array_contains", 2, AS("a"), NS));
    EQ("true", ev("array_contains", 2, AI("1", "2"), L(2))); /* widened to bigint */
    EQ("false", ev("array_contains", 2, AEMPTY(SL_T_I32), I(2)));
    EQ("1", ev("array_position", 2, AS("a", "b", "a"), S("a")));
    EQ("3", ev("array_position", 2, AS(NULL, "b", "a"), S("a")));
    EQ("0", ev("array_position", 2, AS("a"), S("c")));
    EQ("bigint", ev_type());
    EQ("NULL", ev("array_position", 2, AS("a"), NS));
    EQ("[NULL, \"b\"]", ev("array_remove", 2, AS("a", NULL, "b", "a"), S("a")));
    EQ("[]", ev("array_remove", 2, AS("a", "a"), S("a")));
    EQ("NULL", ev("array_remove", 2, AS("a"), NS));
}

static void test_distinct_join_minmax(void **state) {
    (void)state;
    EQ("[\"a\", \"b\", NULL]", ev("array_distinct", 1, AS("a", "b", "a", NULL, NULL)));
    EQ("[]", ev("array_distinct", 1, AEMPTY(SL_T_STR)));
    EQ("NULL", ev("array_distinct", 1, NA(SL_T_STR)));
    /* more than 16 elements: the hashed path */
    EQ("[1, 2, 3, NULL, 4]", ev("array_distinct", 1,
                                AI("1", "2", "1", "3", "2", NULL, "1", "3", "4", "4", "1", "2", "3",
                                   "4", NULL, "1", "2", "3", "4", "4")));
    EQ("a,b", ev("array_join", 2, AS("a", NULL, "b"), S(",")));
    EQ("a,x,b", ev("array_join", 3, AS("a", NULL, "b"), S(","), S("x")));
    EQ("1-2", ev("array_join", 2, AI("1", "2"), S("-")));
    EQ("", ev("array_join", 2, AEMPTY(SL_T_STR), S(",")));
    EQ("NULL", ev("array_join", 2, AS("a"), NS));
    EQ("NULL", ev("array_join", 3, AS("a", NULL), S(","), NS));
    EQ("3", ev("array_max", 1, AI("1", NULL, "3", "2")));
    EQ("1", ev("array_min", 1, AI("1", NULL, "3", "2")));
    EQ("NULL", ev("array_max", 1, AEMPTY(SL_T_I32)));
    EQ("NULL", ev("array_min", 1, AI(NULL)));
    EQ("b", ev("array_max", 1, AS("a", "b", "B")));
}

static void test_sort_slice_flatten(void **state) {
    (void)state;
    EQ("[NULL, \"a\", \"b\", \"c\"]", ev("sort_array", 1, AS("b", NULL, "c", "a")));
    EQ("[\"c\", \"b\", \"a\", NULL]", ev("sort_array", 2, AS("b", NULL, "c", "a"), KONST(B(0))));
    EQ("[\"a\", \"b\", \"c\", NULL]", ev("array_sort", 1, AS("b", NULL, "c", "a")));
    EQ("[1, 2, 10]", ev("sort_array", 1, AI("10", "2", "1")));
    EQ("NULL", ev("sort_array", 1, NA(SL_T_I32)));
    EQ("[2, 3]", ev("slice", 3, AI("1", "2", "3", "4"), I(2), I(2)));
    EQ("[3, 4]", ev("slice", 3, AI("1", "2", "3", "4"), I(-2), I(5)));
    EQ("[]", ev("slice", 3, AI("1", "2", "3", "4"), I(5), I(1)));
    EQ("[]", ev("slice", 3, AI("1", "2", "3", "4"), I(-5), I(1)));
    EQ("[]", ev("slice", 3, AI("1", "2"), I(1), I(0)));
    assert_non_null(strstr(ev("slice", 3, AI("1"), I(0), I(1)), "SQL array indices start at 1"));
    assert_non_null(strstr(ev("slice", 3, AI("1"), I(1), I(-1)), "it must be >= 0"));
    EQ("[1, 2, 3]", evx("flatten", 1,
                        (sl__expr *[]){call("array", 2, call("array", 2, ci(1), ci(2)),
                                            call("array", 1, ci(3)))}));
    EQ("array<int>", ev_type());
    EQ("NULL", evx("flatten", 1,
                   (sl__expr *[]){call("array", 2, call("array", 1, ci(1)),
                                       sl__expr_const_null(sl__type_array(SL_T_I32)))}));
}

static void test_array_concat_reverse(void **state) {
    (void)state;
    EQ("[\"a\", NULL, \"b\"]", ev("concat", 2, AS("a", NULL), AS("b")));
    EQ("array<string>", ev_type());
    EQ("NULL", ev("concat", 2, AS("a"), NA(SL_T_STR)));
    EQ("[1, 2, 3]", ev("concat", 3, AI("1"), AEMPTY(SL_T_I32), AI("2", "3")));
    EQ("[3, 2, 1]", ev("reverse", 1, AI("1", "2", "3")));
}

/* element_at over several rows with a per-row index and a selection vector */
static void test_rows(void **state) {
    (void)state;
    const uint32_t n = 5;
    sl__vec *arr = sl__vec_new(sl__type_array(SL_T_STR), n), *idx = sl__vec_new(SL_T_I64, n);
    const char *vals[] = {"a", "b", "c"};
    for (uint32_t r = 0; r < n; r++) {
        uint32_t len = r % 4;
        uint32_t off = sl__vec_list_append(arr, r, len);
        for (uint32_t j = 0; j < len; j++) sl__vec_set_str_copy(arr->child[0], off + j, vals[j], 1);
        SL_VEC_DATA(idx, int64_t)[r] = (int64_t)r - 2;
    }
    sl__vec_set_null(arr, 4);
    sl__vec *cols[2] = {arr, idx};
    const uint32_t sel[] = {1, 3, 4};
    sl__batch b = {2, cols, n, sel, 3};
    sl__expr *args[2] = {sl__expr_colref(0, arr->type), sl__expr_colref(1, SL_T_I64)};
    sl__err err;
    sl__err_clear(&err);
    sl__expr *e =
        sl__fn_bind_call(sl__fn_find("element_at"), "element_at", args, 2, 0, "UTC", &err);
    assert_non_null(e);
    sl__ectx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.err = &err;
    sl__vec *v = sl__expr_eval(e, &ctx, &b);
    assert_false(ctx.failed);
    /* row 1: [a] at -1 -> a; row 3: [a, b, c] at 1 -> a; row 4: NULL array */
    sl__buf out = SL_BUF_INIT;
    for (uint32_t k = 0; k < 3; k++) {
        if (k) sl__buf_puts(&out, " ");
        fe_render(v, sel[k], false, &out);
    }
    assert_string_equal(sl__buf_str(&out), "a a NULL");
    sl__buf_free(&out);
    sl__expr_free(e);
    sl__vec_free(arr);
    sl__vec_free(idx);
}

static int teardown(void **state) {
    (void)state;
    sl__buf_free(&fe_out);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constructors),
        cmocka_unit_test(test_subscripts),
        cmocka_unit_test(test_size),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_distinct_join_minmax),
        cmocka_unit_test(test_sort_slice_flatten),
        cmocka_unit_test(test_array_concat_reverse),
        cmocka_unit_test(test_rows),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
