/*
 * test_json_decode.c — the schema-directed JSON decoder (src/format/
 * json_decode.c): the fast path on the lab's IoT record, the general path
 * (key order, escapes, unknown and duplicate keys, nesting), the type rules
 * of R169, partial results (R168), malformed texts (R167, every truncation
 * of a valid line, random corruption: never a crash), case-sensitive keys
 * (R166) and the JSON-lines buffer reader with its modes.
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
#include "format/valtext.h"

/* Decodes text with the DDL schema and renders the row as "{v1, v2}" with
 * NULL for nulls. Returns the status. */
static sl__json_status dec_tz(const char *ddl, const char *text, size_t len, int64_t tz, char *out,
                              size_t cap) {
    const sl__type *t;
    sl__err err;
    sl__err_clear(&err);
    assert_int_equal(sl__schema_parse(ddl, strlen(ddl), &t, &err), SL_OK);
    sl__vec *v = sl__vec_new(t, 4);
    sl__json_decoder *d = sl__json_decoder_new(t, tz);
    /* row 1 of a vector whose row 0 holds another value */
    sl__json_decode(d, "{}", 2, v->child, 0, false);
    sl__json_status st = sl__json_decode(d, text, len, v->child, 1, true);
    sl__buf b = SL_BUF_INIT;
    sl__text_opts o = {0, "NULL"};
    sl__value_text(v, 1, &o, &b);
    snprintf(out, cap, "%s", sl__buf_str(&b));
    sl__buf_free(&b);
    sl__json_decoder_free(d);
    sl__vec_free(v);
    return st;
}

static sl__json_status dec(const char *ddl, const char *text, char *out, size_t cap) {
    return dec_tz(ddl, text, strlen(text), 0, out, cap);
}

#define CHECK(ddl, text, want_status, want)                                                        \
    do {                                                                                           \
        char got_[512];                                                                            \
        sl__json_status st_ = dec(ddl, text, got_, sizeof got_);                                   \
        if (strcmp(got_, want) != 0 || st_ != (want_status))                                       \
            fail_msg("%s\n  text: %s\n  got:  %s (status %d)\n  want: %s (status %d)", ddl, text,  \
                     got_, st_, want, want_status);                                                \
    } while (0)

static const char *IOT_DDL =
    "Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT, Model STRING, "
    "User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE";
static const char *IOT_LINE =
    "{\"Arrival_Time\":1584786731698422519,\"Creation_Time\":1584786731485499800,\"Device\":"
    "\"nexus4_2\",\"Index\":1039,\"Model\":\"nexus4\",\"User\":\"b\",\"gt\":\"null\",\"x\":0."
    "5642892523651901,\"y\":-0.05573411422345695,\"z\":1.136185983195746}";

static void test_iot_fast_path(void **state) {
    (void)state;
    const sl__type *t;
    sl__err err;
    assert_int_equal(sl__schema_parse(IOT_DDL, strlen(IOT_DDL), &t, &err), SL_OK);
    sl__vec *v = sl__vec_new(t, 2);
    sl__json_decoder *d = sl__json_decoder_new(t, 0);
    assert_int_equal(sl__json_decode(d, IOT_LINE, strlen(IOT_LINE), v->child, 0, true), SL_JSON_OK);
    assert_int_equal(SL_VEC_DATA(v->child[0], int64_t)[0], 1584786731698422519LL);
    assert_int_equal(SL_VEC_DATA(v->child[1], int64_t)[0], 1584786731485499800LL);
    sl__str dev = SL_VEC_DATA(v->child[2], sl__str)[0];
    assert_int_equal(dev.len, 8);
    assert_memory_equal(dev.ptr, "nexus4_2", 8);
    /* borrow mode: the string points into the text */
    assert_true(dev.ptr > IOT_LINE && dev.ptr < IOT_LINE + strlen(IOT_LINE));
    assert_int_equal(SL_VEC_DATA(v->child[3], int64_t)[0], 1039);
    assert_true(SL_VEC_DATA(v->child[7], double)[0] == 0.5642892523651901);
    assert_true(SL_VEC_DATA(v->child[8], double)[0] == -0.05573411422345695);
    assert_true(SL_VEC_DATA(v->child[9], double)[0] == 1.136185983195746);
    for (int i = 0; i < 10; i++) assert_true(sl__vec_valid(v->child[i], 0));
    /* copy mode: the string lives in the vector's heap */
    assert_int_equal(sl__json_decode(d, IOT_LINE, strlen(IOT_LINE), v->child, 1, false),
                     SL_JSON_OK);
    dev = SL_VEC_DATA(v->child[2], sl__str)[1];
    assert_false(dev.ptr >= IOT_LINE && dev.ptr < IOT_LINE + strlen(IOT_LINE));
    assert_memory_equal(dev.ptr, "nexus4_2", 8);
    /* the lab's error record: nulls */
    const char *errline = "{\"Arrival_Time\":1,\"Creation_Time\":2,\"Device\":null,\"Index\":null,"
                          "\"Model\":null,\"User\":null,\"gt\":null,\"x\":null,\"y\":null,\"z\":"
                          "null}";
    assert_int_equal(sl__json_decode(d, errline, strlen(errline), v->child, 1, true), SL_JSON_OK);
    assert_true(sl__vec_valid(v->child[1], 1));
    for (int i = 2; i < 10; i++) assert_false(sl__vec_valid(v->child[i], 1));
    sl__json_decoder_free(d);
    sl__vec_free(v);
}

static void test_key_order_missing_extra(void **state) {
    (void)state;
    const char *s = "a BIGINT, b STRING, c DOUBLE";
    CHECK(s, "{\"a\":1,\"b\":\"x\",\"c\":2.5}", SL_JSON_OK, "{1, x, 2.5}");
    CHECK(s, "{\"c\":2.5,\"a\":1,\"b\":\"x\"}", SL_JSON_OK, "{1, x, 2.5}");
    CHECK(s, "{\"b\":\"x\"}", SL_JSON_OK, "{NULL, x, NULL}");
    CHECK(s, "{}", SL_JSON_OK, "{NULL, NULL, NULL}");
    CHECK(s, "{\"a\":1,\"zz\":{\"deep\":[1,{\"q\":[]},\"s\"]},\"b\":\"x\",\"c\":1}", SL_JSON_OK,
          "{1, x, 1.0}");
    CHECK(s, "{\"a\":1,\"b\":\"x\",\"c\":1,\"extra\":true}", SL_JSON_OK, "{1, x, 1.0}");
    /* duplicates: the last one wins, on both paths */
    CHECK(s, "{\"a\":1,\"b\":\"x\",\"c\":1,\"a\":7}", SL_JSON_OK, "{7, x, 1.0}");
    CHECK(s, "{\"a\":1,\"a\":null}", SL_JSON_OK, "{NULL, NULL, NULL}");
    CHECK(s, "{\"b\":\"x\",\"b\":\"y\",\"b\":\"z\"}", SL_JSON_OK, "{NULL, z, NULL}");
    /* white space everywhere */
    CHECK(s, " \t{ \"a\" : 1 ,\n \"b\" :\"x\" , \"c\"\r\n:\t3 } \n", SL_JSON_OK, "{1, x, 3.0}");
    CHECK(s, "{\"a\": 1, \"b\": \"x\", \"c\": 3}", SL_JSON_OK, "{1, x, 3.0}");
    /* single-quoted strings and keys (Spark's allowSingleQuotes default) */
    CHECK(s, "{'a':1,'b':'it''s'}", SL_JSON_MALFORMED, "{NULL, NULL, NULL}");
    CHECK(s, "{'a':1,'b':'say \"hi\" \\'x\\''}", SL_JSON_OK, "{1, say \"hi\" 'x', NULL}");
    /* byte order mark */
    CHECK(s, "\xEF\xBB\xBF{\"a\":5}", SL_JSON_OK, "{5, NULL, NULL}");
}

static void test_case_sensitive_keys_r166(void **state) {
    (void)state;
    CHECK("name STRING", "{\"Name\":\"x\"}", SL_JSON_OK, "{NULL}");
    CHECK("Name STRING, x INT", "{\"name\":\"y\",\"Name\":\"x\",\"X\":1}", SL_JSON_OK, "{x, NULL}");
}

static void test_escapes(void **state) {
    (void)state;
    const char *s = "a STRING";
    CHECK(s, "{\"a\":\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\"}", SL_JSON_OK,
          "{q\"b\\s/n\nt\tr\rb\bf\f}");
    CHECK(s, "{\"a\":\"\\u0041\\u00e9\\u20AC\"}", SL_JSON_OK, "{A\xC3\xA9\xE2\x82\xAC}");
    /* a surrogate pair is one 4-byte character */
    CHECK(s, "{\"a\":\"\\ud83d\\ude00!\"}", SL_JSON_OK, "{\xF0\x9F\x98\x80!}");
    /* lone surrogates become '?' */
    CHECK(s, "{\"a\":\"x\\ud83dy\"}", SL_JSON_OK, "{x?y}");
    CHECK(s, "{\"a\":\"x\\ude00y\"}", SL_JSON_OK, "{x?y}");
    CHECK(s, "{\"a\":\"\\ud83d\\u0041\"}", SL_JSON_OK, "{?A}");
    /* raw UTF-8 passes through */
    CHECK(s,
          "{\"a\":\"L\xC3\xA9"
          "a\"}",
          SL_JSON_OK,
          "{L\xC3\xA9"
          "a}");
    /* escaped keys are matched after decoding */
    CHECK(s, "{\"\\u0061\":\"k\"}", SL_JSON_OK, "{k}");
    /* a long string with an escape near the end (SIMD scan, then the slow path) */
    CHECK(s, "{\"a\":\"0123456789abcdef0123456789abcdef\\n\"}", SL_JSON_OK,
          "{0123456789abcdef0123456789abcdef\n}");
    /* bad escapes and raw control characters are malformed */
    CHECK(s, "{\"a\":\"\\x\"}", SL_JSON_MALFORMED, "{NULL}");
    CHECK(s, "{\"a\":\"\\u12\"}", SL_JSON_MALFORMED, "{NULL}");
    CHECK(s, "{\"a\":\"\\u12G4\"}", SL_JSON_MALFORMED, "{NULL}");
    CHECK(s, "{\"a\":\"tab\there\"}", SL_JSON_MALFORMED, "{NULL}");
    CHECK(s, "{\"a\":\"nl\nhere\"}", SL_JSON_MALFORMED, "{NULL}");
}

static void test_integer_rules_r169(void **state) {
    (void)state;
    const char *s = "a BIGINT, b INT, c SMALLINT";
    CHECK(s, "{\"a\":9223372036854775807,\"b\":2147483647,\"c\":32767}", SL_JSON_OK,
          "{9223372036854775807, 2147483647, 32767}");
    CHECK(s, "{\"a\":-9223372036854775808,\"b\":-2147483648,\"c\":-32768}", SL_JSON_OK,
          "{-9223372036854775808, -2147483648, -32768}");
    CHECK(s, "{\"a\":9223372036854775808,\"b\":2147483648,\"c\":32768}", SL_JSON_PARTIAL,
          "{NULL, NULL, NULL}");
    CHECK(s, "{\"a\":123456789012345678901234,\"b\":1,\"c\":1}", SL_JSON_PARTIAL, "{NULL, 1, 1}");
    CHECK(s, "{\"a\":\"12\",\"b\":1.5,\"c\":1e2}", SL_JSON_PARTIAL, "{NULL, NULL, NULL}");
    CHECK(s, "{\"a\":1.0,\"b\":true,\"c\":[1]}", SL_JSON_PARTIAL, "{NULL, NULL, NULL}");
    CHECK(s, "{\"a\":{\"x\":1},\"b\":0,\"c\":-0}", SL_JSON_PARTIAL, "{NULL, 0, 0}");
    /* out of range on the fast path goes to the general path, same answer */
    CHECK("b INT", "{\"b\":2147483648}", SL_JSON_PARTIAL, "{NULL}");
}

static void test_double_rules_r169(void **state) {
    (void)state;
    const char *s = "x DOUBLE";
    CHECK(s, "{\"x\":1}", SL_JSON_OK, "{1.0}");
    CHECK(s, "{\"x\":-0.0}", SL_JSON_OK, "{-0.0}");
    CHECK(s, "{\"x\":1e10}", SL_JSON_OK, "{1.0E10}");
    CHECK(s, "{\"x\":1.5E-7}", SL_JSON_OK, "{1.5E-7}");
    CHECK(s, "{\"x\":12345678901234567890123}", SL_JSON_OK, "{1.2345678901234568E22}");
    CHECK(s, "{\"x\":0.1000000000000000055511151231257827}", SL_JSON_OK, "{0.1}");
    CHECK(s, "{\"x\":1e400}", SL_JSON_OK, "{Infinity}");
    CHECK(s, "{\"x\":4.9e-324}", SL_JSON_OK, "{4.9E-324}");
    CHECK(s, "{\"x\":\"NaN\"}", SL_JSON_OK, "{NaN}");
    CHECK(s, "{\"x\":\"Infinity\"}", SL_JSON_OK, "{Infinity}");
    CHECK(s, "{\"x\":\"-Infinity\"}", SL_JSON_OK, "{-Infinity}");
    CHECK(s, "{\"x\":\"+INF\"}", SL_JSON_OK, "{Infinity}");
    CHECK(s, "{\"x\":NaN}", SL_JSON_OK, "{NaN}");
    CHECK(s, "{\"x\":-Infinity}", SL_JSON_OK, "{-Infinity}");
    CHECK(s, "{\"x\":\"1.5\"}", SL_JSON_PARTIAL, "{NULL}");
    CHECK(s, "{\"x\":\"nan\"}", SL_JSON_PARTIAL, "{NULL}");
    CHECK(s, "{\"x\":true}", SL_JSON_PARTIAL, "{NULL}");
    /* the lab's 16-17 digit values round-trip */
    CHECK(s, "{\"x\":-0.05573411422345695}", SL_JSON_OK, "{-0.05573411422345695}");
    CHECK(s, "{\"x\":0.12345678901234568}", SL_JSON_OK, "{0.12345678901234568}");
}

static void test_string_rules_r169(void **state) {
    (void)state;
    const char *s = "a STRING";
    CHECK(s, "{\"a\":1}", SL_JSON_OK, "{1}");
    CHECK(s, "{\"a\":-12}", SL_JSON_OK, "{-12}");
    CHECK(s, "{\"a\":-0}", SL_JSON_OK, "{0}");
    CHECK(s, "{\"a\":1.50}", SL_JSON_OK, "{1.5}");
    CHECK(s, "{\"a\":1e2}", SL_JSON_OK, "{100.0}");
    CHECK(s, "{\"a\":true}", SL_JSON_OK, "{true}");
    CHECK(s, "{\"a\":false}", SL_JSON_OK, "{false}");
    CHECK(s, "{\"a\":null}", SL_JSON_OK, "{NULL}");
    CHECK(s, "{\"a\":{\"b\":1}}", SL_JSON_OK, "{{\"b\":1}}");
    CHECK(s, "{\"a\": { \"b\" : [1, 2.0, \"x\\u0041\", null, {}] } }", SL_JSON_OK,
          "{{\"b\":[1,2.0,\"xA\",null,{}]}}");
    CHECK(s, "{\"a\":[]}", SL_JSON_OK, "{[]}");
    CHECK(s, "{\"a\":{'k':'v'}}", SL_JSON_OK, "{{\"k\":\"v\"}}");
    CHECK(s, "{\"a\":NaN}", SL_JSON_OK, "{\"NaN\"}");
    CHECK(s, "{\"a\":\"\"}", SL_JSON_OK, "{}");
    /* a malformed nested value is still malformed */
    CHECK(s, "{\"a\":{\"b\":1,}}", SL_JSON_MALFORMED, "{NULL}");
}

static void test_bool_time_rules_r169(void **state) {
    (void)state;
    CHECK("b BOOLEAN", "{\"b\":true}", SL_JSON_OK, "{true}");
    CHECK("b BOOLEAN", "{\"b\":false}", SL_JSON_OK, "{false}");
    CHECK("b BOOLEAN", "{\"b\":\"true\"}", SL_JSON_PARTIAL, "{NULL}");
    CHECK("b BOOLEAN", "{\"b\":1}", SL_JSON_PARTIAL, "{NULL}");
    CHECK("t TIMESTAMP", "{\"t\":\"2024-01-02 03:04:05.5\"}", SL_JSON_OK,
          "{2024-01-02 03:04:05.5}");
    CHECK("t TIMESTAMP", "{\"t\":\"2024-01-02T03:04:05Z\"}", SL_JSON_OK, "{2024-01-02 03:04:05}");
    CHECK("t TIMESTAMP", "{\"t\":1700000000}", SL_JSON_OK, "{2023-11-14 22:13:20}");
    CHECK("t TIMESTAMP", "{\"t\":1.5}", SL_JSON_PARTIAL, "{NULL}");
    CHECK("t TIMESTAMP", "{\"t\":\"yesterday\"}", SL_JSON_PARTIAL, "{NULL}");
    CHECK("d DATE", "{\"d\":\"2024-02-29\"}", SL_JSON_OK, "{2024-02-29}");
    CHECK("d DATE", "{\"d\":\"2023-02-29\"}", SL_JSON_PARTIAL, "{NULL}");
    CHECK("d DATE", "{\"d\":19000}", SL_JSON_PARTIAL, "{NULL}");
    /* a timestamp without a zone is in the decoder's zone */
    char got[128];
    const char *txt = "{\"t\":\"2024-01-02 03:00:00\"}";
    dec_tz("t TIMESTAMP", txt, strlen(txt), 2 * 3600 * 1000000LL, got, sizeof got);
    assert_string_equal(got, "{2024-01-02 01:00:00}");
}

static void test_partial_r168(void **state) {
    (void)state;
    CHECK("a INT, b INT", "{\"a\":\"x\",\"b\":2}", SL_JSON_PARTIAL, "{NULL, 2}");
    CHECK("a INT, b STRUCT<c: INT, d: STRING>", "{\"a\":1,\"b\":{\"c\":\"no\",\"d\":\"yes\"}}",
          SL_JSON_PARTIAL, "{1, {NULL, yes}}");
    CHECK("a ARRAY<INT>", "{\"a\":[1,\"x\",3]}", SL_JSON_PARTIAL, "{[1, NULL, 3]}");
    CHECK("a ARRAY<INT>", "{\"a\":{\"b\":1}}", SL_JSON_PARTIAL, "{NULL}");
    CHECK("a STRUCT<b: INT>", "{\"a\":[1]}", SL_JSON_PARTIAL, "{NULL}");
}

static void test_nested(void **state) {
    (void)state;
    const char *s = "id INT, s STRUCT<b: BIGINT, t: STRUCT<u: STRING>>, arr ARRAY<DOUBLE>";
    CHECK(s, "{\"id\":1,\"s\":{\"b\":2,\"t\":{\"u\":\"x\"}},\"arr\":[1,2.5,null]}", SL_JSON_OK,
          "{1, {2, {x}}, [1.0, 2.5, NULL]}");
    CHECK(s, "{\"id\":1,\"s\":null,\"arr\":null}", SL_JSON_OK, "{1, NULL, NULL}");
    CHECK(s, "{\"id\":1,\"s\":{},\"arr\":[]}", SL_JSON_OK, "{1, {NULL, NULL}, []}");
    CHECK(s, "{\"s\":{\"t\":{\"u\":\"x\",\"u\":\"y\"},\"b\":3}}", SL_JSON_OK,
          "{NULL, {3, {y}}, NULL}");
    const char *a = "xs ARRAY<STRUCT<k: STRING, v: ARRAY<INT>>>";
    CHECK(a, "{\"xs\":[{\"k\":\"a\",\"v\":[1,2]},{\"v\":[],\"k\":\"b\"},null,{}]}", SL_JSON_OK,
          "{[{a, [1, 2]}, {b, []}, NULL, {NULL, NULL}]}");
    CHECK("m ARRAY<ARRAY<STRING>>", "{\"m\":[[\"a\"],[],[\"b\",\"c\"]]}", SL_JSON_OK,
          "{[[a], [], [b, c]]}");
    /* a NULL struct has NULL fields too (E_FIELD reads children directly) */
    const sl__type *t;
    sl__err err;
    assert_int_equal(sl__schema_parse(s, strlen(s), &t, &err), SL_OK);
    sl__vec *v = sl__vec_new(t, 2);
    sl__json_decoder *d = sl__json_decoder_new(t, 0);
    const char *txt = "{\"id\":1,\"s\":null}";
    assert_int_equal(sl__json_decode(d, txt, strlen(txt), v->child, 0, true), SL_JSON_OK);
    assert_false(sl__vec_valid(v->child[1], 0));
    assert_false(sl__vec_valid(v->child[1]->child[0], 0));
    assert_false(sl__vec_valid(v->child[1]->child[1]->child[0], 0));
    sl__json_decoder_free(d);
    sl__vec_free(v);
}

static void test_many_fields_hash(void **state) {
    (void)state;
    /* > 8 fields: lookups go through the hash */
    CHECK("a INT, b INT, c INT, d INT, e INT, f INT, g INT, h INT, i INT, j INT",
          "{\"j\":10,\"i\":9,\"zz\":0,\"a\":1,\"e\":5}", SL_JSON_OK,
          "{1, NULL, NULL, NULL, 5, NULL, NULL, NULL, 9, 10}");
}

static void test_malformed_r167(void **state) {
    (void)state;
    const char *s = "a INT, b STRING";
    const char *bad[] = {"",
                         "   ",
                         "{\"a\" 1}",
                         "{\"a\":1",
                         "{\"a\":1,",
                         "{\"a\":1,}",
                         "{\"a\":}",
                         "{a:1}",
                         "{\"a\":01}",
                         "{\"a\":-}",
                         "{\"a\":1.}",
                         "{\"a\":.5}",
                         "{\"a\":+1}",
                         "{\"a\":1e}",
                         "{\"a\":1,\"b\":\"x\"} garbage",
                         "{\"a\":1}{\"a\":2}",
                         "{\"a\":tru}",
                         "{\"a\":nul}",
                         "{\"a\":1 /* c */}",
                         "1",
                         "\"str\"",
                         "[{\"a\":1}]",
                         "null",
                         "{\"a\":[1,2}",
                         "{\"a\":{\"x\":1]}",
                         "{\"b\":\"unterminated}",
                         "{\"a\":1,\"b\":\"x\",}"};
    for (size_t i = 0; i < SL_ARRAY_LEN(bad); i++)
        CHECK(s, bad[i], SL_JSON_MALFORMED, "{NULL, NULL}");
    /* nesting deeper than the limit */
    sl__buf b = SL_BUF_INIT;
    sl__buf_puts(&b, "{\"a\":1,\"x\":");
    for (int i = 0; i < 5000; i++) sl__buf_putc(&b, '[');
    for (int i = 0; i < 5000; i++) sl__buf_putc(&b, ']');
    sl__buf_putc(&b, '}');
    char got[64];
    assert_int_equal(dec_tz(s, b.p, b.len, 0, got, sizeof got), SL_JSON_MALFORMED);
    sl__buf_free(&b);
}

/* Every proper prefix of a valid line is malformed, on every path. */
static void test_truncation_every_byte(void **state) {
    (void)state;
    const char *lines[] = {IOT_LINE,
                           "{\"id\":1,\"s\":{\"b\":2,\"t\":{\"u\":\"x\\u00e9\\\"\"}},\"arr\":[1,"
                           "2.5e3,null],\"q\":[{\"z\":true}]}"};
    const char *ddls[] = {IOT_DDL, "id INT, s STRUCT<b: BIGINT, t: STRUCT<u: STRING>>, arr "
                                   "ARRAY<DOUBLE>, q STRING"};
    for (int k = 0; k < 2; k++) {
        const sl__type *t;
        sl__err err;
        assert_int_equal(sl__schema_parse(ddls[k], strlen(ddls[k]), &t, &err), SL_OK);
        sl__vec *v = sl__vec_new(t, 2);
        sl__json_decoder *d = sl__json_decoder_new(t, 0);
        size_t n = strlen(lines[k]);
        for (size_t i = 0; i < n; i++) {
            /* an exact-size heap copy, so ASan sees any read past the end */
            char *c = malloc(i ? i : 1);
            memcpy(c, lines[k], i);
            sl__json_status st = sl__json_decode(d, c, i, v->child, 0, i % 2 == 0);
            if (st != SL_JSON_MALFORMED) fail_msg("prefix of %zu bytes not malformed", i);
            for (uint32_t f = 0; f < t->n_fields; f++) assert_false(sl__vec_valid(v->child[f], 0));
            free(c);
            sl__vec_reset(v);
        }
        assert_int_equal(sl__json_decode(d, lines[k], n, v->child, 0, true), SL_JSON_OK);
        sl__json_decoder_free(d);
        sl__vec_free(v);
    }
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next_rand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Random corruption of valid lines: whatever comes out, no crash, no
 * sanitizer report, and a MALFORMED status leaves every field NULL. */
static void test_random_corruption(void **state) {
    (void)state;
    const char *ddl = "id INT, s STRUCT<b: BIGINT, t: STRUCT<u: STRING>>, arr ARRAY<DOUBLE>, q "
                      "STRING, xs ARRAY<STRUCT<k: STRING>>, f DOUBLE, d DATE, ts TIMESTAMP";
    const char *base = "{\"id\":1,\"s\":{\"b\":2,\"t\":{\"u\":\"x\\u00e9\\\"\"}},\"arr\":[1,2.5e3,"
                       "null],\"q\":[{\"z\":true}],\"xs\":[{\"k\":\"a\"},{'k':'b'}],\"f\":-1."
                       "25e-3,\"d\":\"2024-01-01\",\"ts\":\"2024-01-01 10:00:00\"}";
    const char alphabet[] = "{}[]\",:\\'ntfu0123456789.eE-+ \tabcxyz\x01\x80\xff";
    const sl__type *t;
    sl__err err;
    assert_int_equal(sl__schema_parse(ddl, strlen(ddl), &t, &err), SL_OK);
    sl__vec *v = sl__vec_new(t, SL_VEC_SIZE);
    sl__json_decoder *d = sl__json_decoder_new(t, 0);
    size_t n = strlen(base);
    int counts[3] = {0};
    for (int it = 0; it < 200000; it++) {
        uint32_t row = (uint32_t)(it % SL_VEC_SIZE);
        if (row == 0) sl__vec_reset(v);
        size_t len = n - (next_rand() % 4 == 0 ? next_rand() % n : 0);
        char *c = malloc(len ? len : 1);
        memcpy(c, base, len);
        int muts = 1 + (int)(next_rand() % 4);
        for (int m = 0; m < muts && len; m++)
            c[next_rand() % len] = alphabet[next_rand() % (sizeof alphabet - 1)];
        sl__json_status st = sl__json_decode(d, c, len, v->child, row, it % 2 == 0);
        counts[st]++;
        if (st == SL_JSON_MALFORMED)
            for (uint32_t f = 0; f < t->n_fields; f++)
                assert_false(sl__vec_valid(v->child[f], row));
        free(c);
    }
    assert_true(counts[SL_JSON_OK] > 0 && counts[SL_JSON_MALFORMED] > 0);
    sl__json_decoder_free(d);
    sl__vec_free(v);
}

static void test_lines_buffer_modes(void **state) {
    (void)state;
    const char *ddl = "a INT, b STRING";
    const sl__type *t;
    sl__err err;
    sl__err_clear(&err);
    assert_int_equal(sl__schema_parse(ddl, strlen(ddl), &t, &err), SL_OK);
    const char *buf = "{\"a\":1,\"b\":\"x\"}\r\n"
                      "\n"
                      "   \n"
                      "{\"a\":\"bad\",\"b\":\"y\"}\n"
                      "{broken\n"
                      "{\"a\":3}";
    sl__json_decoder *d = sl__json_decoder_new(t, 0);
    sl__parse_mode modes[] = {SL_MODE_PERMISSIVE, SL_MODE_DROPMALFORMED, SL_MODE_FAILFAST};
    uint64_t want_rows[] = {4, 2, 0};
    for (int m = 0; m < 3; m++) {
        sl__chunks c;
        sl__chunks_init(&c, t);
        uint64_t bad = 0;
        sl__err_clear(&err);
        sl_status st =
            sl__json_lines_parse_buffer(d, buf, strlen(buf), modes[m], "f.json", &c, &bad, &err);
        if (modes[m] == SL_MODE_FAILFAST) {
            assert_int_equal(st, SL_ERR_EXEC);
            assert_non_null(strstr(err.msg, "f.json:4"));
            assert_non_null(strstr(err.msg, "FAILFAST"));
        } else {
            assert_int_equal(st, SL_OK);
            assert_int_equal(bad, 2);
            assert_int_equal(c.rows, want_rows[m]);
            sl__vec *a = c.v[0].cols[0], *b = c.v[0].cols[1];
            assert_int_equal(SL_VEC_DATA(a, int32_t)[0], 1);
            if (modes[m] == SL_MODE_PERMISSIVE) {
                assert_false(sl__vec_valid(a, 1)); /* "bad" -> NULL, b kept */
                assert_true(sl__vec_valid(b, 1));
                assert_false(sl__vec_valid(a, 2)); /* malformed: all NULL */
                assert_false(sl__vec_valid(b, 2));
                assert_int_equal(SL_VEC_DATA(a, int32_t)[3], 3);
            } else {
                assert_int_equal(SL_VEC_DATA(a, int32_t)[1], 3);
                assert_false(sl__vec_valid(b, 1));
            }
        }
        sl__chunks_free(&c);
    }
    /* more rows than a chunk holds */
    sl__buf big = SL_BUF_INIT;
    for (int i = 0; i < 5000; i++) sl__buf_printf(&big, "{\"a\":%d,\"b\":\"s%d\"}\n", i, i);
    sl__chunks c;
    sl__chunks_init(&c, t);
    uint64_t bad = 0;
    assert_int_equal(
        sl__json_lines_parse_buffer(d, big.p, big.len, SL_MODE_PERMISSIVE, NULL, &c, &bad, &err),
        SL_OK);
    assert_int_equal(c.rows, 5000);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.v[2].n, 5000 - 2 * SL_VEC_SIZE);
    assert_int_equal(SL_VEC_DATA(c.v[2].cols[0], int32_t)[0], 2 * SL_VEC_SIZE);
    sl__buf_free(&big);
    sl__chunks_free(&c);
    sl__json_decoder_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iot_fast_path),
        cmocka_unit_test(test_key_order_missing_extra),
        cmocka_unit_test(test_case_sensitive_keys_r166),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_integer_rules_r169),
        cmocka_unit_test(test_double_rules_r169),
        cmocka_unit_test(test_string_rules_r169),
        cmocka_unit_test(test_bool_time_rules_r169),
        cmocka_unit_test(test_partial_r168),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_many_fields_hash),
        cmocka_unit_test(test_malformed_r167),
        cmocka_unit_test(test_truncation_every_byte),
        cmocka_unit_test(test_random_corruption),
        cmocka_unit_test(test_lines_buffer_modes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
