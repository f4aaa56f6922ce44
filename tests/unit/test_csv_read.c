/*
 * test_csv_read.c — the CSV reader (src/format/csv_read.c): RFC 4180
 * quoting plus Spark's escape, separators (multi-character, tab), header
 * names (R81/R82), schema inference and merging (R84/R85), NULL and empty
 * values (R86), comments, blank lines and line ends, white-space options,
 * the parse modes with their counts and messages, option errors, and random
 * input that must never crash.
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
#include "format/files.h"
#include "format/valtext.h"
#include "main/catalog.h"

/* Options from "key", "value", ... NULL. */
typedef struct kvs {
    sl__kv kv[16];
    uint32_t n;
} kvs;

static kvs opts(const char *k, ...) {
    kvs o;
    memset(&o, 0, sizeof o);
    va_list ap;
    va_start(ap, k);
    for (; k; k = va_arg(ap, const char *)) {
        o.kv[o.n].key = (char *)k;
        o.kv[o.n].value = (char *)va_arg(ap, const char *);
        o.n++;
    }
    va_end(ap);
    return o;
}

/* Renders every row as "v1|v2|..." lines (NULL, "" for empty strings). */
static void render(const sl__chunks *c, sl__buf *out) {
    sl__text_opts to = {0, "NULL"};
    for (uint32_t k = 0; k < c->n; k++)
        for (uint32_t r = 0; r < c->v[k].n; r++) {
            for (uint32_t i = 0; i < c->v[k].n_cols; i++) {
                if (i) sl__buf_putc(out, '|');
                const sl__vec *v = c->v[k].cols[i];
                if (v->type->id == SL_TYPE_STRING && sl__vec_valid(v, r) &&
                    SL_VEC_DATA(v, sl__str)[r].len == 0)
                    sl__buf_puts(out, "\"\"");
                else
                    sl__value_text(v, r, &to, out);
            }
            sl__buf_putc(out, '\n');
        }
}

/* The inferred schema's name ("struct<a:int,...>") of text with options. */
static const char *schema_of(const char *text, kvs o) {
    sl__csv_opts co;
    sl__err err;
    sl__err_clear(&err);
    sl__csv_opts_init(&co);
    assert_int_equal(sl__csv_opts_from(o.kv, o.n, &co, &err), SL_OK);
    sl__csv_infer *ci = sl__csv_infer_new(&co);
    sl__csv_infer_add(ci, text, strlen(text));
    const sl__type *t = sl__csv_infer_schema(ci);
    sl__csv_infer_free(ci);
    sl__csv_opts_free(&co);
    return t ? t->name : "(none)";
}

/* Parses text with options and a DDL schema (NULL: infer it); checks the
 * rendering and the bad count. Returns the status. */
static sl_status parse(const char *text, size_t len, kvs o, const char *ddl, const char *want,
                       uint64_t want_bad, sl__err *err) {
    sl__csv_opts co;
    sl__err_clear(err);
    sl__csv_opts_init(&co);
    assert_int_equal(sl__csv_opts_from(o.kv, o.n, &co, err), SL_OK);
    const sl__type *t;
    if (ddl) {
        assert_int_equal(sl__schema_parse(ddl, strlen(ddl), &t, err), SL_OK);
    } else {
        sl__csv_infer *ci = sl__csv_infer_new(&co);
        sl__csv_infer_add(ci, text, len);
        t = sl__csv_infer_schema(ci);
        sl__csv_infer_free(ci);
        if (!t) assert_int_equal(sl__schema_parse("a STRING", 8, &t, err), SL_OK);
    }
    sl__chunks c;
    sl__chunks_init(&c, t);
    uint64_t bad = 0;
    sl_status st = sl__csv_parse_buffer(&co, text, len, "t.csv", &c, &bad, err);
    if (want) {
        sl__buf b = SL_BUF_INIT;
        render(&c, &b);
        if (strcmp(sl__buf_str(&b), want) != 0)
            fail_msg("text:\n%s\ngot:\n%swant:\n%s", text, sl__buf_str(&b), want);
        sl__buf_free(&b);
        if (bad != want_bad)
            fail_msg("text:\n%s\nbad %llu, want %llu", text, (unsigned long long)bad,
                     (unsigned long long)want_bad);
    }
    sl__chunks_free(&c);
    sl__csv_opts_free(&co);
    return st;
}

#define P(text, o, ddl, want, bad)                                                                 \
    do {                                                                                           \
        sl__err e_;                                                                                \
        assert_int_equal(parse(text, strlen(text), o, ddl, want, bad, &e_), SL_OK);                \
    } while (0)

#define NO_OPTS opts(NULL)

static void test_users_file_r81(void **state) {
    (void)state;
    const char *t = "User;FirstName;LastName;Age;Sex;City;Height_cm\n"
                    "a;Camille;Lef\xC3\xA8vre;24;F;Rennes;168\n"
                    "b;Hugo;Marchand;31;M;Nantes;181\n";
    kvs o = opts("header", "true", "sep", ";", "inferSchema", "true", NULL);
    assert_string_equal(schema_of(t, o),
                        "struct<User:string,FirstName:string,LastName:string,Age:int,Sex:string,"
                        "City:string,Height_cm:int>");
    P(t, o, NULL, "a|Camille|Lef\xC3\xA8vre|24|F|Rennes|168\nb|Hugo|Marchand|31|M|Nantes|181\n", 0);
    /* without inferSchema: all strings; without header: _c0.. and the header is data */
    assert_string_equal(schema_of(t, opts("header", "true", "sep", ";", NULL)),
                        "struct<User:string,FirstName:string,LastName:string,Age:string,Sex:"
                        "string,City:string,Height_cm:string>");
    assert_string_equal(schema_of(t, opts("sep", ";", "inferSchema", "true", NULL)),
                        "struct<_c0:string,_c1:string,_c2:string,_c3:string,_c4:string,_c5:string,"
                        "_c6:string>");
    /* a given schema takes the columns by position, the header is skipped */
    P(t, o, "u STRING, f STRING, l STRING, age BIGINT, s STRING, c STRING, h DOUBLE",
      "a|Camille|Lef\xC3\xA8vre|24|F|Rennes|168.0\nb|Hugo|Marchand|31|M|Nantes|181.0\n", 0);
}

static void test_header_names_r82(void **state) {
    (void)state;
    kvs h = opts("header", "true", NULL);
    assert_string_equal(schema_of("a,,b c, a ,A,a\n1,2,3,4,5,6\n", h),
                        "struct<a0:string,_c1:string,b c:string, a :string,A4:string,a5:string>");
    assert_string_equal(schema_of("\"x,y\",\"\"\n", h), "struct<x,y:string,_c1:string>");
    assert_string_equal(schema_of("n,NA\n", opts("header", "true", "nullValue", "NA", NULL)),
                        "struct<n:string,_c1:string>");
    assert_string_equal(schema_of("", h), "(none)");
}

static void test_inference_r84(void **state) {
    (void)state;
    kvs o = opts("inferSchema", "true", NULL);
    assert_string_equal(schema_of("1,2147483648,1.5,2024-01-02,2024-01-02 03:04:05,TRUE,x\n", o),
                        "struct<_c0:int,_c1:bigint,_c2:double,_c3:date,_c4:timestamp,_c5:boolean,"
                        "_c6:string>");
    /* too big for BIGINT (a DECIMAL in Spark): DOUBLE; NaN/Inf are doubles */
    assert_string_equal(schema_of("99999999999999999999,NaN,-Inf,1e3\n", o),
                        "struct<_c0:double,_c1:double,_c2:double,_c3:double>");
    /* integers do not trim, doubles do (R85 note) */
    assert_string_equal(schema_of(" 5,5 \n", o), "struct<_c0:double,_c1:double>");
    /* dates only as yyyy-MM-dd; other date-like text is a timestamp */
    assert_string_equal(schema_of("2024-1-2,2024-01,2024-01-02T03:04\n", o),
                        "struct<_c0:timestamp,_c1:timestamp,_c2:timestamp>");
    assert_string_equal(
        schema_of("2024-01-02\n", opts("inferSchema", "true", "preferDate", "false", NULL)),
        "struct<_c0:timestamp>");
    /* empty and null values do not count; all empty -> string */
    assert_string_equal(schema_of("1,,\n,,\n2,,NA\n", o), "struct<_c0:int,_c1:string,_c2:string>");
    assert_string_equal(
        schema_of("1,NA\n2,3\n", opts("inferSchema", "true", "nullValue", "NA", NULL)),
        "struct<_c0:int,_c1:int>");
    assert_string_equal(schema_of("\"1\",\"\"\n", o), "struct<_c0:int,_c1:string>");
}

static void test_merging_r85(void **state) {
    (void)state;
    kvs o = opts("inferSchema", "true", NULL);
    assert_string_equal(schema_of("1\n3000000000\n", o), "struct<_c0:bigint>");
    assert_string_equal(schema_of("3000000000\n1\n", o), "struct<_c0:bigint>");
    assert_string_equal(schema_of("1\n2.5\n", o), "struct<_c0:double>");
    assert_string_equal(schema_of("2.5\n1\n", o), "struct<_c0:double>");
    assert_string_equal(schema_of("1\nx\n", o), "struct<_c0:string>");
    assert_string_equal(schema_of("1\ntrue\n", o), "struct<_c0:string>");
    assert_string_equal(schema_of("true\nfalse\n", o), "struct<_c0:boolean>");
    assert_string_equal(schema_of("1\n2024-01-01\n", o), "struct<_c0:string>");
    /* date then timestamp -> string (R85); a timestamp column accepts a date */
    assert_string_equal(schema_of("2024-01-01\n2024-01-01 10:00:00\n", o), "struct<_c0:string>");
    assert_string_equal(schema_of("2024-01-01 10:00:00\n2024-01-01\n", o), "struct<_c0:timestamp>");
    /* extra fields of a row do not add columns; missing ones change nothing */
    assert_string_equal(schema_of("1,2\n3,4,5\n6\n", o), "struct<_c0:int,_c1:int>");
}

static void test_quotes_and_escapes(void **state) {
    (void)state;
    const char *s = "a STRING, b STRING";
    P("\"x,y\",z\n", NO_OPTS, s, "x,y|z\n", 0);
    P("\"say \"\"hi\"\"\",z\n", NO_OPTS, s, "say \"hi\"|z\n", 0);
    P("\"say \\\"hi\\\"\",z\n", NO_OPTS, s, "say \"hi\"|z\n", 0);
    P("\"back\\\\\",z\n", NO_OPTS, s, "back\\|z\n", 0);
    P("\"a\\nb\",z\n", NO_OPTS, s, "a\\nb|z\n", 0);
    P("\"ab\"cd,z\n", NO_OPTS, s, "abcd|z\n", 0);
    P("x\"y,\"z\"\n", NO_OPTS, s, "x\"y|z\n", 0);
    P("'q,r',z\n", opts("quote", "'", NULL), s, "q,r|z\n", 0);
    P("\"q,r\",z\n", opts("quote", "", NULL), "a STRING, b STRING, c STRING", "\"q|r\"|z\n", 0);
    P("\"a\"\"b\",z\n", opts("escape", "\"", NULL), s, "a\"b|z\n", 0);
    /* multiLine: a quoted line break is data; otherwise the record ends there */
    P("\"l1\nl2\",z\nnext,row\n", opts("multiLine", "true", NULL), s, "l1\nl2|z\nnext|row\n", 0);
    P("\"l1\nl2\",z\n", NO_OPTS, s, "l1|NULL\nl2\"|z\n", 1);
    P("\"l1\r\nl2\",z\r\n", opts("multiLine", "true", NULL), s, "l1\r\nl2|z\n", 0);
    /* unterminated quote at the end of the input */
    P("\"open,z", NO_OPTS, s, "open,z|NULL\n", 1);
}

static void test_nulls_r86(void **state) {
    (void)state;
    const char *s = "a STRING, b INT, c STRING";
    P(",,\n", NO_OPTS, s, "NULL|NULL|NULL\n", 0);
    P("\"\",\"\",\"\"\n", NO_OPTS, s, "\"\"|NULL|\"\"\n", 0);
    P("NA,NA,\"NA\"\n", opts("nullValue", "NA", NULL), s, "NULL|NULL|NULL\n", 0);
    P(",,x\n", opts("nullValue", "NA", NULL), s, "NULL|NULL|x\n", 0);
    P("\"\",1,\"\"\n", opts("emptyValue", "EMPTY", NULL), s, "EMPTY|1|EMPTY\n", 0);
    P("NaN,1,x\n", opts("nullValue", "NaN", NULL), "a DOUBLE, b INT, c STRING", "NULL|1|x\n", 0);
}

static void test_separators(void **state) {
    (void)state;
    const char *s = "a STRING, b STRING, c STRING";
    P("1||2||3\n", opts("sep", "||", NULL), s, "1|2|3\n", 0);
    P("1|2||3\n", opts("sep", "||", NULL), s, "1|2|3|NULL\n", 1);
    P("1\t2\t3\n", opts("sep", "\t", NULL), s, "1|2|3\n", 0);
    P("1\t2\t3\n", opts("sep", "\\t", NULL), s, "1|2|3\n", 0);
    P("1;2;3\n", opts("delimiter", ";", NULL), s, "1|2|3\n", 0);
    P("\"a;b\";c;d\n", opts("sep", ";", NULL), s, "a;b|c|d\n", 0);
    P("1,2,\n", NO_OPTS, s, "1|2|NULL\n", 0);
}

static void test_lines(void **state) {
    (void)state;
    const char *s = "a STRING, b STRING";
    P("1,2\r\n3,4\r\n", NO_OPTS, s, "1|2\n3|4\n", 0);
    P("1,2\r3,4\r", NO_OPTS, s, "1|2\n3|4\n", 0);
    P("1,2\n3,4", NO_OPTS, s, "1|2\n3|4\n", 0);
    P("\n\n1,2\n   \n\t\n3,4\n\n", NO_OPTS, s, "1|2\n3|4\n", 0);
    P("#c\n1,2\n#x,y\n3,4\n", opts("comment", "#", NULL), s, "1|2\n3|4\n", 0);
    P("#c\n1,2\n", NO_OPTS, s, "#c|NULL\n1|2\n", 1);
    /* the header is the first record that is not blank or a comment */
    P("\n#c\nh1,h2\n1,2\n", opts("comment", "#", "header", "true", NULL), s, "1|2\n", 0);
    P("", NO_OPTS, s, "", 0);
}

static void test_whitespace(void **state) {
    (void)state;
    const char *s = "a STRING, b STRING";
    P("  x , y  \n", NO_OPTS, s, "  x | y  \n", 0);
    P("  x , y  \n", opts("ignoreLeadingWhiteSpace", "true", NULL), s, "x |y  \n", 0);
    P("  x , y  \n", opts("ignoreTrailingWhiteSpace", "true", NULL), s, "  x| y\n", 0);
    P("  \"x\" , \" y \"  \n",
      opts("ignoreLeadingWhiteSpace", "true", "ignoreTrailingWhiteSpace", "true", NULL), s,
      "x| y \n", 0);
    /* without ignoreLeadingWhiteSpace a quote after a blank is data */
    P(" \"x\",y\n", NO_OPTS, s, " \"x\"|y\n", 0);
}

static void test_values(void **state) {
    (void)state;
    P("1,-2,+3,32767\n", NO_OPTS, "a INT, b BIGINT, c SMALLINT, d SMALLINT", "1|-2|3|32767\n", 0);
    P("2147483648,9223372036854775808,32768,x\n", NO_OPTS, "a INT, b BIGINT, c SMALLINT, d INT",
      "NULL|NULL|NULL|NULL\n", 1);
    P(" 5,1.0,1e3\n", NO_OPTS, "a INT, b INT, c BIGINT", "NULL|NULL|NULL\n", 1);
    P(" 2.5 ,NaN,Inf,-Inf,1e3,1d\n", NO_OPTS,
      "a DOUBLE, b DOUBLE, c DOUBLE, d DOUBLE, e DOUBLE, f DOUBLE",
      "2.5|NaN|Infinity|-Infinity|1000.0|1.0\n", 0);
    P("Infinity,nan,x\n", NO_OPTS, "a DOUBLE, b DOUBLE, c DOUBLE", "Infinity|NULL|NULL\n", 1);
    P("TRUE,false,yes\n", NO_OPTS, "a BOOLEAN, b BOOLEAN, c BOOLEAN", "true|false|NULL\n", 1);
    P("2024-01-02 03:04:05,2024-01-02T03:04:05.25Z,2024-02-30\n", NO_OPTS,
      "a TIMESTAMP, b TIMESTAMP, c DATE", "2024-01-02 03:04:05|2024-01-02 03:04:05.25|NULL\n", 1);
    P("2024-01-02 03:00:00\n", opts("timeZone", "+02:00", NULL), "a TIMESTAMP",
      "2024-01-02 01:00:00\n", 0);
    /* a region zone: its offset at that date (summer time in July) */
    P("2024-07-01 14:00:00,2024-01-01 14:00:00\n", opts("timeZone", "Europe/Paris", NULL),
      "a TIMESTAMP, b TIMESTAMP", "2024-07-01 12:00:00|2024-01-01 13:00:00\n", 0);
}

static void test_modes(void **state) {
    (void)state;
    const char *s = "a INT, b STRING";
    const char *t = "1,x\nbad,y\n3\n4,z,extra\n5,w\n";
    P(t, NO_OPTS, s, "1|x\nNULL|y\n3|NULL\n4|z\n5|w\n", 3);
    P(t, opts("mode", "DROPMALFORMED", NULL), s, "1|x\n5|w\n", 3);
    sl__err err;
    assert_int_equal(parse(t, strlen(t), opts("mode", "failfast", NULL), s, NULL, 0, &err),
                     SL_ERR_EXEC);
    assert_non_null(strstr(err.msg, "t.csv:2"));
    assert_non_null(strstr(err.msg, "'bad'"));
    assert_non_null(strstr(err.msg, "FAILFAST"));
    const char *t2 = "1,x\n3\n";
    assert_int_equal(parse(t2, strlen(t2), opts("mode", "FAILFAST", NULL), s, NULL, 0, &err),
                     SL_ERR_EXEC);
    assert_non_null(strstr(err.msg, "t.csv:2"));
    assert_non_null(strstr(err.msg, "1 fields"));
    /* multi-line records report the line they start on */
    const char *t3 = "\"a\nb\",x\nbad,y\n";
    assert_int_equal(parse(t3, strlen(t3), opts("mode", "FAILFAST", "multiLine", "true", NULL), s,
                           NULL, 0, &err),
                     SL_ERR_EXEC);
    assert_non_null(strstr(err.msg, "t.csv:1"));
}

static void test_option_errors(void **state) {
    (void)state;
    struct {
        kvs o;
        const char *msg;
    } cases[] = {
        {opts("sep", "", NULL), "cannot be empty"},
        {opts("sep", "\\x", NULL), "unsupported special character"},
        {opts("quote", "ab", NULL), "single character"},
        {opts("escape", "ab", NULL), "single character"},
        {opts("header", "yes", NULL), "must be true or false"},
        {opts("mode", "LENIENT", NULL), "PERMISSIVE, DROPMALFORMED or FAILFAST"},
        {opts("timeZone", "Mars/Olympus", NULL), "unknown zone"},
        {opts("sep", "\"", NULL), "must differ"},
    };
    for (size_t i = 0; i < SL_ARRAY_LEN(cases); i++) {
        sl__csv_opts co;
        sl__err err;
        sl__err_clear(&err);
        sl__csv_opts_init(&co);
        assert_int_not_equal(sl__csv_opts_from(cases[i].o.kv, cases[i].o.n, &co, &err), SL_OK);
        if (!strstr(err.msg, cases[i].msg)) fail_msg("case %zu: %s", i, err.msg);
        sl__csv_opts_free(&co);
    }
}

static void test_many_rows(void **state) {
    (void)state;
    sl__buf b = SL_BUF_INIT;
    sl__buf_puts(&b, "id,name,score\n");
    for (int i = 0; i < 5000; i++) sl__buf_printf(&b, "%d,\"n%d\",%d.5\n", i, i, i);
    sl__csv_opts co;
    sl__err err;
    sl__err_clear(&err);
    sl__csv_opts_init(&co);
    kvs o = opts("header", "true", "inferSchema", "true", NULL);
    assert_int_equal(sl__csv_opts_from(o.kv, o.n, &co, &err), SL_OK);
    sl__csv_infer *ci = sl__csv_infer_new(&co);
    sl__csv_infer_add(ci, b.p, b.len);
    const sl__type *t = sl__csv_infer_schema(ci);
    sl__csv_infer_free(ci);
    assert_string_equal(t->name, "struct<id:int,name:string,score:double>");
    sl__chunks c;
    sl__chunks_init(&c, t);
    uint64_t bad = 0;
    assert_int_equal(sl__csv_parse_buffer(&co, b.p, b.len, NULL, &c, &bad, &err), SL_OK);
    assert_int_equal(c.rows, 5000);
    assert_int_equal(bad, 0);
    assert_int_equal(c.n, 3);
    sl__str s = SL_VEC_DATA(c.v[2].cols[1], sl__str)[3];
    assert_int_equal(s.len, 5);
    assert_memory_equal(s.ptr, "n4099", 5);
    assert_true(SL_VEC_DATA(c.v[2].cols[2], double)[3] == 4099.5);
    sl__chunks_free(&c);
    sl__csv_opts_free(&co);
    sl__buf_free(&b);
}

static uint64_t rs = 0x2545F4914F6CDD1DULL;
static uint64_t rnd(void) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}

/* random bytes from a CSV-ish alphabet, every option mix: no crash */
static void test_random_input(void **state) {
    (void)state;
    const char alphabet[] = "ab1.-\",;\\\n\r \t#|'e";
    kvs os[] = {
        opts(NULL),
        opts("multiLine", "true", "header", "true", "inferSchema", "true", NULL),
        opts("sep", "||", "quote", "'", "escape", "'", "comment", "#", NULL),
        opts("ignoreLeadingWhiteSpace", "true", "ignoreTrailingWhiteSpace", "true", "mode",
             "DROPMALFORMED", "nullValue", "a", NULL),
        opts("quote", "", "escape", "", "sep", ";", NULL),
    };
    for (int it = 0; it < 20000; it++) {
        size_t len = rnd() % 200;
        char *buf = malloc(len ? len : 1);
        for (size_t i = 0; i < len; i++) buf[i] = alphabet[rnd() % (sizeof alphabet - 1)];
        sl__err err;
        parse(buf, len, os[it % 5], it % 2 ? NULL : "a INT, b STRING, c DOUBLE", NULL, 0, &err);
        free(buf);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_users_file_r81),
        cmocka_unit_test(test_header_names_r82),
        cmocka_unit_test(test_inference_r84),
        cmocka_unit_test(test_merging_r85),
        cmocka_unit_test(test_quotes_and_escapes),
        cmocka_unit_test(test_nulls_r86),
        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_whitespace),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_modes),
        cmocka_unit_test(test_option_errors),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_random_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
