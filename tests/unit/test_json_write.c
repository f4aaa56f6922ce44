/*
 * test_json_write.c — the JSON writer (to_json's text: NULL fields
 * omitted, Jackson's escapes, Java doubles with NaN quoted, timestamps as
 * yyyy-MM-dd'T'HH:mm:ss.SSSXXX), JSON schema inference (Spark's
 * JsonInferSchema rules) and get_json_object's paths
 * (src/format/json_write.c, json_infer.c).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/json.h"
#include "types/tz.h"

static const sl__type *ddl(const char *s) {
    const sl__type *t;
    sl__err err;
    sl__err_clear(&err);
    if (sl__schema_parse(s, strlen(s), &t, &err) != SL_OK) fail_msg("%s: %s", s, err.msg);
    return t;
}

/* decode text with the schema, then write the struct back */
static void roundtrip(const char *schema, const char *text, int64_t tz, const char *want) {
    const sl__type *t = ddl(schema);
    sl__vec *v = sl__vec_new(t, 1);
    sl__json_decoder *d = sl__json_decoder_new(t, 0);
    sl__json_decode(d, text, strlen(text), v->child, 0, false);
    sl__buf b = SL_BUF_INIT;
    sl__json_write_value(v, 0, tz, &b);
    if (strcmp(sl__buf_str(&b), want) != 0)
        fail_msg("%s\n  got:  %s\n  want: %s", text, sl__buf_str(&b), want);
    sl__buf_free(&b);
    sl__json_decoder_free(d);
    sl__vec_free(v);
}

static void test_write_struct(void **state) {
    (void)state;
    roundtrip("a INT, b STRING, c DOUBLE", "{\"a\":1,\"b\":\"x\",\"c\":2.5}", 0,
              "{\"a\":1,\"b\":\"x\",\"c\":2.5}");
    /* NULL fields are omitted; an all-NULL struct is {} */
    roundtrip("a INT, b STRING, c DOUBLE", "{\"b\":\"x\"}", 0, "{\"b\":\"x\"}");
    roundtrip("a INT, b STRING", "{}", 0, "{}");
    /* arrays keep NULL elements; nested structs */
    roundtrip("xs ARRAY<INT>, s STRUCT<k: STRING, n: ARRAY<STRUCT<z: BOOLEAN>>>",
              "{\"xs\":[1,null,3],\"s\":{\"k\":\"v\",\"n\":[{\"z\":true},null,{}]}}", 0,
              "{\"xs\":[1,null,3],\"s\":{\"k\":\"v\",\"n\":[{\"z\":true},null,{}]}}");
    roundtrip("xs ARRAY<STRING>", "{\"xs\":[]}", 0, "{\"xs\":[]}");
    /* doubles in Java's form, non-finite quoted */
    roundtrip("a DOUBLE, b DOUBLE, c DOUBLE, d DOUBLE",
              "{\"a\":1e7,\"b\":\"NaN\",\"c\":-Infinity,\"d\":0.001}", 0,
              "{\"a\":1.0E7,\"b\":\"NaN\",\"c\":\"-Infinity\",\"d\":0.001}");
    roundtrip("a BIGINT, b SMALLINT, c BOOLEAN",
              "{\"a\":-9223372036854775808,\"b\":-5,\"c\":false}", 0,
              "{\"a\":-9223372036854775808,\"b\":-5,\"c\":false}");
}

static void test_write_strings(void **state) {
    (void)state;
    /* Jackson's escapes: short forms, \u00XX upper case, '/' and UTF-8 as is */
    roundtrip("s STRING", "{\"s\":\"q\\\"b\\\\/\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f\xC3\xA9\"}", 0,
              "{\"s\":\"q\\\"b\\\\/\\n\\t\\r\\b\\f\\u0001\\u001F\x7f\xC3\xA9\"}");
    sl__buf b = SL_BUF_INIT;
    sl__json_write_string("", 0, &b);
    assert_string_equal(b.p, "\"\"");
    sl__buf_clear(&b);
    sl__json_write_string("a\0b", 3, &b);
    assert_string_equal(b.p, "\"a\\u0000b\"");
    sl__buf_free(&b);
    /* field names are escaped too */
    const char *names[] = {"we\"ird"};
    const sl__type *types[] = {SL_T_I32};
    const sl__type *t = sl__type_struct(1, names, types, NULL);
    sl__vec *v = sl__vec_new(t, 1);
    SL_VEC_DATA(v->child[0], int32_t)[0] = 7;
    sl__json_write_value(v, 0, 0, &b);
    assert_string_equal(b.p, "{\"we\\\"ird\":7}");
    sl__buf_free(&b);
    sl__vec_free(v);
}

static void test_write_time(void **state) {
    (void)state;
    roundtrip("t TIMESTAMP, d DATE", "{\"t\":\"2024-01-01 12:00:00.123456\",\"d\":\"2024-02-29\"}",
              0, "{\"t\":\"2024-01-01T12:00:00.123Z\",\"d\":\"2024-02-29\"}");
    roundtrip("t TIMESTAMP", "{\"t\":\"2024-01-01 12:00:00Z\"}", 2 * 3600000000LL,
              "{\"t\":\"2024-01-01T14:00:00.000+02:00\"}");
    roundtrip("t TIMESTAMP", "{\"t\":\"2024-01-01 12:00:00Z\"}", -(5 * 3600000000LL + 1800000000LL),
              "{\"t\":\"2024-01-01T06:30:00.000-05:30\"}");
    roundtrip("t TIMESTAMP", "{\"t\":\"1969-12-31 23:59:59.5Z\"}", 0,
              "{\"t\":\"1969-12-31T23:59:59.500Z\"}");
    /* a zone with DST rules: the offset of each instant */
    sl__err err;
    const sl__tz *paris = sl__tz_get("Europe/Paris", &err);
    if (!paris) skip();
    const sl__type *t = ddl("a TIMESTAMP, b TIMESTAMP");
    sl__vec *v = sl__vec_new(t, 1);
    SL_VEC_DATA(v->child[0], int64_t)[0] = 1704110400000000LL; /* 2024-01-01 12:00 UTC */
    SL_VEC_DATA(v->child[1], int64_t)[0] = 1719835200000000LL; /* 2024-07-01 12:00 UTC */
    sl__buf b = SL_BUF_INIT;
    sl__json_write_value_zone(v, 0, paris, &b);
    assert_string_equal(b.p, "{\"a\":\"2024-01-01T13:00:00.000+01:00\",\"b\":\"2024-07-01T14:00:00."
                             "000+02:00\"}");
    sl__buf_free(&b);
    /* and reading in that zone */
    sl__json_decoder *d = sl__json_decoder_new(t, 0);
    sl__json_decoder_set_zone(d, paris);
    const char *txt = "{\"a\":\"2024-01-01 13:00:00\",\"b\":\"2024-07-01 14:00:00\"}";
    assert_int_equal(sl__json_decode(d, txt, strlen(txt), v->child, 0, true), SL_JSON_OK);
    assert_int_equal(SL_VEC_DATA(v->child[0], int64_t)[0], 1704110400000000LL);
    assert_int_equal(SL_VEC_DATA(v->child[1], int64_t)[0], 1719835200000000LL);
    sl__json_decoder_free(d);
    sl__vec_free(v);
}

static void test_write_top_level(void **state) {
    (void)state;
    const sl__type *t = ddl("xs ARRAY<STRUCT<a: INT>>");
    sl__vec *v = sl__vec_new(t, 2);
    sl__json_decoder *d = sl__json_decoder_new(t, 0);
    const char *txt = "{\"xs\":[{\"a\":1},{\"a\":2}]}";
    sl__json_decode(d, txt, strlen(txt), v->child, 0, false);
    sl__buf b = SL_BUF_INIT;
    sl__json_write_value(v->child[0], 0, 0, &b);
    assert_string_equal(b.p, "[{\"a\":1},{\"a\":2}]");
    sl__buf_clear(&b);
    sl__vec_set_null(v, 1);
    sl__json_write_value(v, 1, 0, &b);
    assert_string_equal(b.p, "null");
    sl__buf_free(&b);
    sl__json_decoder_free(d);
    sl__vec_free(v);
}

static const char *infer(bool prim_as_string, bool drop_null, const char *const *lines, int n) {
    sl__json_infer *ji = sl__json_infer_new(prim_as_string);
    for (int i = 0; i < n; i++) sl__json_infer_add(ji, lines[i], strlen(lines[i]));
    const sl__type *t = sl__json_infer_schema(ji, drop_null);
    sl__json_infer_free(ji);
    return t->name;
}

static void test_infer(void **state) {
    (void)state;
    const char *l1[] = {"{\"b\":1,\"a\":\"x\",\"c\":1.5,\"d\":true,\"e\":null}"};
    assert_string_equal(infer(false, false, l1, 1),
                        "struct<a:string,b:bigint,c:double,d:boolean,e:string>");
    assert_string_equal(infer(false, true, l1, 1), "struct<a:string,b:bigint,c:double,d:boolean>");
    assert_string_equal(infer(true, false, l1, 1),
                        "struct<a:string,b:string,c:string,d:string,e:string>");
    /* merging: long+double -> double, conflicts -> string, nested merge */
    const char *l2[] = {"{\"n\":1,\"m\":1,\"s\":{\"y\":1},\"arr\":[1]}",
                        "{\"n\":2.5,\"m\":\"z\",\"s\":{\"x\":\"q\"},\"arr\":[2.0],\"new\":[]}",
                        "not json", "[1,2]",
                        "{\"n\":null,\"s\":null,\"arr\":null,\"big\":123456789012345678901}"};
    assert_string_equal(
        infer(false, false, l2, 5),
        "struct<arr:array<double>,big:double,m:string,n:double,new:array<string>,s:struct<x:"
        "string,y:bigint>>");
    /* object vs primitive -> string; empty structs dropped */
    const char *l3[] = {"{\"o\":{\"a\":1},\"e\":{},\"ae\":[{}]}", "{\"o\":5}"};
    assert_string_equal(infer(false, false, l3, 2), "struct<o:string>");
    /* field names are case-sensitive, sorted by byte */
    const char *l4[] = {"{\"b\":1,\"B\":2,\"a\":3}"};
    assert_string_equal(infer(false, false, l4, 1), "struct<B:bigint,a:bigint,b:bigint>");
    /* nothing learned */
    const char *l5[] = {"oops"};
    assert_string_equal(infer(false, false, l5, 1), "struct<>");
}

static void check_path(const char *json, const char *path, const char *want) {
    sl__buf b = SL_BUF_INIT;
    bool ok = sl__json_get_path(json, strlen(json), path, strlen(path), &b);
    if (!want) {
        if (ok) fail_msg("%s %s: got %s, want NULL", json, path, sl__buf_str(&b));
    } else if (!ok || strcmp(sl__buf_str(&b), want) != 0) {
        fail_msg("%s %s: got %s, want %s", json, path, ok ? sl__buf_str(&b) : "NULL", want);
    }
    sl__buf_free(&b);
}

static void test_get_path(void **state) {
    (void)state;
    const char *j = "{\"a\":{\"b\":[10,\"x\\n\",{\"c\":null,\"d\":1.50}]},\"s\":\"str\",\"e\":[]}";
    check_path(j, "$.s", "str");
    check_path(j, "$.a.b[0]", "10");
    check_path(j, "$.a.b[1]", "x\n");
    check_path(j, "$.a.b[2]", "{\"c\":null,\"d\":1.5}");
    check_path(j, "$.a.b[2].d", "1.5");
    check_path(j, "$['a']['b'][0]", "10");
    check_path(j, "$.a", "{\"b\":[10,\"x\\n\",{\"c\":null,\"d\":1.5}]}");
    check_path(j, "$",
               "{\"a\":{\"b\":[10,\"x\\n\",{\"c\":null,\"d\":1.5}]},\"s\":\"str\",\"e\":[]}");
    check_path(j, "$.e", "[]");
    check_path(j, "$.a.b[2].c", NULL);
    check_path(j, "$.a.b[3]", NULL);
    check_path(j, "$.zz", NULL);
    check_path(j, "$.s.x", NULL);
    check_path(j, "a.b", NULL);
    check_path(j, "$.a.b[*]", NULL);
    check_path("{\"a\":1", "$.a", NULL);
    check_path("{\"a\":1,\"a\":2}", "$.a", "1");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_struct), cmocka_unit_test(test_write_strings),
        cmocka_unit_test(test_write_time),   cmocka_unit_test(test_write_top_level),
        cmocka_unit_test(test_infer),        cmocka_unit_test(test_get_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
