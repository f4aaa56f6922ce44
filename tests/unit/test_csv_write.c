/*
 * test_csv_write.c — the CSV writer (src/format/csv_write.c): Spark's
 * write defaults (quote when needed, '\' before quotes, white space
 * trimmed, NULL as nothing, "" for the empty string), the RFC 4180 preset,
 * value texts by type, and a write-then-read round trip through the reader.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/csv.h"

static void field(const sl__csv_wopts *o, const char *s, const char *want) {
    sl__buf b = SL_BUF_INIT;
    sl__csv_write_field(s, strlen(s), o, &b);
    if (strcmp(sl__buf_str(&b), want) != 0)
        fail_msg("[%s] got [%s] want [%s]", s, sl__buf_str(&b), want);
    sl__buf_free(&b);
}

static void test_fields_spark(void **state) {
    (void)state;
    sl__csv_wopts o;
    sl__csv_wopts_init(&o);
    field(&o, "plain", "plain");
    field(&o, "a,b", "\"a,b\"");
    field(&o, "say \"hi\"", "\"say \\\"hi\\\"\"");
    field(&o, "two\nlines", "\"two\nlines\"");
    field(&o, "c\rr", "\"c\rr\"");
    field(&o, "cr\r", "cr");
    field(&o, "  padded  ", "padded");
    field(&o, "", "\"\"");
    field(&o, "   ", "\"\"");
    field(&o, "back\\slash", "back\\slash");
    o.sep = "||";
    field(&o, "a|b", "a|b");
    field(&o, "a||b", "\"a||b\"");
    o.sep = ",";
    o.quote_all = true;
    field(&o, "x", "\"x\"");
}

static void test_fields_rfc4180(void **state) {
    (void)state;
    sl__csv_wopts o;
    sl__csv_wopts_rfc4180(&o);
    field(&o, "say \"hi\"", "\"say \"\"hi\"\"\"");
    field(&o, "  padded", "\"  padded\"");
    field(&o, "a,b", "\"a,b\"");
    field(&o, "", "\"\"");
}

static void test_rows_and_types(void **state) {
    (void)state;
    const char *ddl = "i INT, b BIGINT, d DOUBLE, s STRING, t TIMESTAMP, dt DATE, f BOOLEAN, x "
                      "ARRAY<INT>";
    const sl__type *t;
    sl__err err;
    assert_int_equal(sl__schema_parse(ddl, strlen(ddl), &t, &err), SL_OK);
    sl__csv_wopts o;
    sl__csv_wopts_init(&o);
    sl__buf b = SL_BUF_INIT;
    sl__csv_write_header(t, &o, &b);
    assert_string_equal(b.p, "i,b,d,s,t,dt,f,x\n");
    sl__chunk c;
    sl__chunk_init(&c, t, 2);
    SL_VEC_DATA(c.cols[0], int32_t)[0] = -7;
    SL_VEC_DATA(c.cols[1], int64_t)[0] = 1LL << 40;
    SL_VEC_DATA(c.cols[2], double)[0] = 1e7;
    sl__vec_set_str_copy(c.cols[3], 0, "a,\"b\"", 5);
    SL_VEC_DATA(c.cols[4], int64_t)[0] = 1704110400123000LL;
    SL_VEC_DATA(c.cols[5], int32_t)[0] = 19723;
    SL_VEC_DATA(c.cols[6], uint8_t)[0] = 1;
    uint32_t off = sl__vec_list_append(c.cols[7], 0, 2);
    SL_VEC_DATA(c.cols[7]->child[0], int32_t)[off] = 1;
    sl__vec_set_null(c.cols[7]->child[0], off + 1);
    for (int i = 0; i < 8; i++) sl__vec_set_null(c.cols[i], 1);
    sl__buf_clear(&b);
    sl__csv_write_row(c.cols, 8, 0, &o, &b);
    sl__csv_write_row(c.cols, 8, 1, &o, &b);
    assert_string_equal(b.p, "-7,1099511627776,1.0E7,\"a,\\\"b\\\"\",2024-01-01T12:00:00.123Z,"
                             "2024-01-01,true,\"[1, null]\"\n,,,,,,,\n");
    /* NaN reads back with the reader's default nanValue */
    SL_VEC_DATA(c.cols[2], double)[0] = NAN;
    sl__buf_clear(&b);
    sl__csv_write_value(c.cols[2], 0, &o, &b);
    assert_string_equal(b.p, "NaN");
    o.tz_offset_us = 3600000000LL;
    sl__buf_clear(&b);
    sl__csv_write_value(c.cols[4], 0, &o, &b);
    assert_string_equal(b.p, "2024-01-01T13:00:00.123+01:00");
    sl__chunk_free(&c);
    sl__buf_free(&b);
}

/* what the writer writes, the reader reads back (NULL vs "" included; a
 * second column, since a line holding only a NULL is blank and skipped) */
static void test_round_trip(void **state) {
    (void)state;
    const char *vals[] = {"plain",       "",          NULL,     "a,b",  "q\"uote",
                          "multi\nline", "tab\there", "back\\", "\\\"", "\xC3\xA9t\xC3\xA9"};
    size_t n = SL_ARRAY_LEN(vals);
    const char *names[] = {"s", "k"};
    const sl__type *types[] = {SL_T_STR, SL_T_I32};
    const sl__type *t = sl__type_struct(2, names, types, NULL);
    sl__chunk c;
    sl__chunk_init(&c, t, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        if (vals[i])
            sl__vec_set_str_copy(c.cols[0], (uint32_t)i, vals[i], strlen(vals[i]));
        else
            sl__vec_set_null(c.cols[0], (uint32_t)i);
    }
    for (int preset = 0; preset < 2; preset++) {
        sl__csv_wopts o;
        if (preset)
            sl__csv_wopts_rfc4180(&o);
        else
            sl__csv_wopts_init(&o);
        sl__buf b = SL_BUF_INIT;
        for (size_t i = 0; i < n; i++) sl__csv_write_row(c.cols, 2, (uint32_t)i, &o, &b);
        sl__csv_opts ro;
        sl__csv_opts_init(&ro);
        ro.multiline = true;
        if (preset) ro.escape = '"';
        sl__chunks out;
        sl__chunks_init(&out, t);
        uint64_t bad = 0;
        sl__err err;
        sl__err_clear(&err);
        assert_int_equal(sl__csv_parse_buffer(&ro, b.p, b.len, NULL, &out, &bad, &err), SL_OK);
        assert_int_equal(out.rows, n);
        for (size_t i = 0; i < n; i++) {
            const sl__vec *v = out.v[0].cols[0];
            if (!vals[i]) {
                assert_false(sl__vec_valid(v, (uint32_t)i));
                continue;
            }
            assert_true(sl__vec_valid(v, (uint32_t)i));
            sl__str s = SL_VEC_DATA(v, sl__str)[i];
            if (s.len != strlen(vals[i]) || memcmp(s.ptr, vals[i], s.len) != 0)
                fail_msg("preset %d value %zu: [%.*s] want [%s]", preset, i, (int)s.len, s.ptr,
                         vals[i]);
        }
        sl__chunks_free(&out);
        sl__csv_opts_free(&ro);
        sl__buf_free(&b);
    }
    sl__chunk_free(&c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_spark),
        cmocka_unit_test(test_fields_rfc4180),
        cmocka_unit_test(test_rows_and_types),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
