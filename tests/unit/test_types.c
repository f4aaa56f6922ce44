/*
 * test_types.c — unit tests of the types layer: interning, Spark's printed
 * forms of types and schemas, the DDL schema parser (accepted forms and
 * errors with offsets), interval parsing, and the value text of
 * types/text.c (Java doubles R62, timestamps R64, lenient parsers R154–R162).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "types/interval.h"
#include "types/text.h"
#include "types/type.h"
#include <math.h>

static const sl__type *schema(const char *ddl) {
    sl__err e;
    sl__err_clear(&e);
    const sl__type *t = NULL;
    if (sl__schema_parse(ddl, strlen(ddl), &t, &e) != SL_OK) fail_msg("%s: %s", ddl, e.msg);
    return t;
}

static void test_interning(void **state) {
    (void)state;
    const sl__type *a = schema("a BIGINT, b STRING");
    const sl__type *b = schema("`a` long,b   string");
    assert_ptr_equal(a, b);
    assert_ptr_not_equal(a, schema("a BIGINT, b INT"));
    assert_ptr_not_equal(a, schema("A BIGINT, b STRING")); /* names keep their case */
    assert_ptr_equal(sl__type_array(SL_T_STR), sl__type_array(SL_T_STR));
    assert_ptr_equal(SL_T_I64, sl__type_primitive(SL_TYPE_BIGINT));
}

static void test_names(void **state) {
    (void)state;
    const sl__type *t = schema("a INT, s STRUCT<x: DOUBLE, y: ARRAY<STRING>>, d DATE");
    assert_string_equal(t->name, "struct<a:int,s:struct<x:double,y:array<string>>,d:date>");
    assert_string_equal(t->fields[0]->type_name, "integer");
    assert_string_equal(SL_T_I64->type_name, "long");
    assert_string_equal(SL_T_I16->name, "smallint");
    sl__buf b = SL_BUF_INIT;
    sl__type_print_ddl(t, &b);
    assert_string_equal(sl__buf_str(&b), "a INT,s STRUCT<x: DOUBLE, y: ARRAY<STRING>>,d DATE");
    sl__buf_clear(&b);
    sl__type_print_ddl(schema("`weird name` INT, `a``b` STRING NOT NULL"), &b);
    assert_string_equal(sl__buf_str(&b), "`weird name` INT,`a``b` STRING NOT NULL");
    sl__buf_free(&b);
}

static void test_ddl_forms(void **state) {
    (void)state;
    /* Spark aliases and forms: LONG, SHORT, INTEGER, BOOL, VARCHAR(n), DECIMAL(p,s),
     * COMMENT, NOT NULL, struct<...> as a whole schema */
    const sl__type *t = schema("a LONG COMMENT 'id', b SHORT, c INTEGER NOT NULL, d BOOL, "
                               "e VARCHAR(10), f DECIMAL(10, 2), g TIMESTAMP, h FLOAT");
    assert_int_equal(t->n_fields, 8);
    assert_int_equal(t->fields[0]->id, SL_TYPE_BIGINT);
    assert_int_equal(t->fields[1]->id, SL_TYPE_SMALLINT);
    assert_int_equal(t->fields[2]->id, SL_TYPE_INT);
    assert_false(t->nullable[2]);
    assert_true(t->nullable[0]);
    assert_int_equal(t->fields[3]->id, SL_TYPE_BOOLEAN);
    assert_int_equal(t->fields[4]->id, SL_TYPE_STRING);
    assert_int_equal(t->fields[5]->id, SL_TYPE_DOUBLE);
    assert_int_equal(t->fields[6]->id, SL_TYPE_TIMESTAMP);
    assert_int_equal(t->fields[7]->id, SL_TYPE_DOUBLE);
    const sl__type *u = schema("struct<a:int,b:string>");
    assert_ptr_equal(u, schema("a INT, b STRING"));
    const sl__type *lab = schema("Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, "
                                 "`Index` BIGINT, Model STRING, User STRING, gt STRING, x DOUBLE, "
                                 "y DOUBLE, z DOUBLE");
    assert_int_equal(lab->n_fields, 10);
    assert_string_equal(lab->names[3], "Index");
}

static void test_ddl_errors(void **state) {
    (void)state;
    static const struct {
        const char *ddl;
        int64_t offset;
        const char *msg;
    } cases[] = {
        {"", 0, "empty schema"},
        {"a", 1, "expected a type name"},
        {"a FOO", 2, "unknown type 'FOO'"},
        {"a INT,", 6, "expected a column name"},
        {"a INT, a STRING", 7, "duplicate column name 'a'"},
        {"a ARRAY<INT", 11, "expected '>'"},
        {"a STRUCT<x INT", 14, "expected ',' or '>'"},
        {"a INT b", 6, "unexpected 'b'"},
        {"`a INT", 0, "unterminated"},
        {"a VARCHAR(x)", 10, "expected a number"},
        {"a INT NOT", 9, "expected NULL after NOT"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sl__err e;
        sl__err_clear(&e);
        const sl__type *t = NULL;
        sl_status st = sl__schema_parse(cases[i].ddl, strlen(cases[i].ddl), &t, &e);
        if (st == SL_OK) fail_msg("'%s' should not parse", cases[i].ddl);
        if (!strstr(e.msg, cases[i].msg)) fail_msg("'%s': message '%s'", cases[i].ddl, e.msg);
        if (e.offset != cases[i].offset)
            fail_msg("'%s': offset %lld, want %lld", cases[i].ddl, (long long)e.offset,
                     (long long)cases[i].offset);
    }
}

static void test_print_tree(void **state) {
    (void)state;
    sl__buf b = SL_BUF_INIT;
    sl__type_print_tree(schema("value STRING"), &b);
    assert_string_equal(sl__buf_str(&b), "root\n |-- value: string (nullable = true)\n");
    sl__buf_free(&b);
}

static void check_double(double d, const char *want) {
    char buf[40];
    sl__fmt_double(d, buf);
    if (strcmp(buf, want) != 0) fail_msg("%.17g printed as %s, want %s", d, buf, want);
}

static void test_java_doubles(void **state) {
    (void)state; /* R62 */
    check_double(2.0, "2.0");
    check_double(0.1 + 0.2, "0.30000000000000004");
    check_double(1e7, "1.0E7");
    check_double(1e-4, "1.0E-4");
    check_double(0.001, "0.001");
    check_double(9999999.0, "9999999.0");
    check_double(123456789.5, "1.234567895E8");
    check_double(-2.5, "-2.5");
    check_double(0.0, "0.0");
    check_double(-0.0, "-0.0");
    check_double(NAN, "NaN");
    check_double(INFINITY, "Infinity");
    check_double(-INFINITY, "-Infinity");
    check_double(1.0 / 3, "0.3333333333333333");
    check_double(100.0, "100.0");
    check_double(5e-324, "4.9E-324");
    check_double(1.7976931348623157e308, "1.7976931348623157E308");
}

static void test_timestamps(void **state) {
    (void)state; /* R64, R154 */
    char buf[48];
    sl__fmt_timestamp(0, 0, buf);
    assert_string_equal(buf, "1970-01-01 00:00:00");
    sl__fmt_timestamp(1700000000000000LL, 0, buf);
    assert_string_equal(buf, "2023-11-14 22:13:20");
    sl__fmt_timestamp(1500000, 0, buf);
    assert_string_equal(buf, "1970-01-01 00:00:01.5");
    sl__fmt_timestamp(123456, 0, buf);
    assert_string_equal(buf, "1970-01-01 00:00:00.123456");
    sl__fmt_timestamp(-1, 0, buf);
    assert_string_equal(buf, "1969-12-31 23:59:59.999999");
    sl__fmt_timestamp(0, 3600000000LL, buf);
    assert_string_equal(buf, "1970-01-01 01:00:00");
    sl__fmt_date(19783, buf);
    assert_string_equal(buf, "2024-03-01");
    sl__fmt_iso_millis(1704110400500000LL, buf);
    assert_string_equal(buf, "2024-01-01T12:00:00.500Z");
    int64_t t;
    assert_true(sl__parse_timestamp("2024-01-01 12:00:00.5", 21, 0, &t));
    assert_int_equal(t, 1704110400500000LL);
    assert_true(sl__parse_timestamp(" 2024-01-01T12:00:00Z ", 22, 0, &t));
    assert_int_equal(t, 1704110400000000LL);
    assert_true(sl__parse_timestamp("2024", 4, 0, &t));
    assert_int_equal(t, 1704067200000000LL);
    assert_true(sl__parse_timestamp("2024-1-2", 8, 0, &t));
    assert_true(sl__parse_timestamp("2024-01-01 12:00:00+02:00", 25, 0, &t));
    assert_int_equal(t, 1704103200000000LL);
    assert_true(sl__parse_timestamp("2024-01-01 12:00", 16, 0, &t));
    assert_false(sl__parse_timestamp("2024/01/02", 10, 0, &t));
    assert_false(sl__parse_timestamp("01-02-2024", 10, 0, &t));
    assert_false(sl__parse_timestamp("2023-02-29", 10, 0, &t));
    assert_false(sl__parse_timestamp("", 0, 0, &t));
    int32_t d;
    assert_true(sl__parse_date("2024-02-29", 10, &d));
    assert_false(sl__parse_date("2024-13-01", 10, &d));
}

static void test_number_parsers(void **state) {
    (void)state; /* R160–R162 */
    int64_t i;
    assert_true(sl__parse_i64(" 42 ", 4, &i));
    assert_int_equal(i, 42);
    assert_true(sl__parse_i64("1.9", 3, &i));
    assert_int_equal(i, 1);
    assert_true(sl__parse_i64("-7", 2, &i));
    assert_int_equal(i, -7);
    assert_true(sl__parse_i64("-9223372036854775808", 20, &i));
    assert_int_equal(i, INT64_MIN);
    assert_false(sl__parse_i64("9223372036854775808", 19, &i));
    assert_false(sl__parse_i64("abc", 3, &i));
    assert_false(sl__parse_i64("1e3", 3, &i));
    assert_false(sl__parse_i64("", 0, &i));
    double d;
    assert_true(sl__parse_f64("1e3", 3, &d));
    assert_true(d == 1000);
    assert_true(sl__parse_f64("NaN", 3, &d));
    assert_true(isnan(d));
    assert_true(sl__parse_f64("-Infinity", 9, &d));
    assert_true(isinf(d) && d < 0);
    assert_true(sl__parse_f64("1.5d", 4, &d));
    assert_false(sl__parse_f64("0x10", 4, &d));
    assert_false(sl__parse_f64("1,5", 3, &d));
    bool b;
    assert_true(sl__parse_bool(" YES", 4, &b) && b);
    assert_true(sl__parse_bool("f", 1, &b) && !b);
    assert_true(sl__parse_bool("0", 1, &b) && !b);
    assert_false(sl__parse_bool("2", 1, &b));
}

static void test_intervals(void **state) {
    (void)state;
    sl__err e;
    sl__err_clear(&e);
    int64_t us;
    assert_true(sl__interval_parse("10 seconds", 10, &us, &e));
    assert_int_equal(us, 10000000);
    assert_true(sl__interval_parse("1 hour 30 minutes", 17, &us, &e));
    assert_int_equal(us, 5400000000LL);
    assert_true(sl__interval_parse("interval 500 milliseconds", 25, &us, &e));
    assert_int_equal(us, 500000);
    assert_true(sl__interval_parse("1.5 seconds", 11, &us, &e));
    assert_int_equal(us, 1500000);
    assert_false(sl__interval_parse("10 fortnights", 13, &us, &e));
    assert_non_null(strstr(e.msg, "unknown unit"));
    sl__err_clear(&e);
    assert_false(sl__interval_parse("1 month", 7, &us, &e));
    assert_int_equal(e.code, SL_ERR_UNSUPPORTED);
    sl__buf b = SL_BUF_INIT;
    sl__interval_format(10000000, &b);
    assert_string_equal(sl__buf_str(&b), "INTERVAL '0 00:00:10' DAY TO SECOND");
    sl__buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interning),  cmocka_unit_test(test_names),
        cmocka_unit_test(test_ddl_forms),  cmocka_unit_test(test_ddl_errors),
        cmocka_unit_test(test_print_tree), cmocka_unit_test(test_java_doubles),
        cmocka_unit_test(test_timestamps), cmocka_unit_test(test_number_parsers),
        cmocka_unit_test(test_intervals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
