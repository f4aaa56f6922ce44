/*
 * test_gen_json.c — the text primitives of `sluice gen` (src/gen/buf.c,
 * corpus.c): shortest round-trip doubles that always read as doubles, JSON
 * string escaping that keeps UTF-8 as is, the output buffer's consume/reuse
 * cycle, and the corpus parser's format and error messages.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen/gen.h"

#define MAX_DIGITS(f) ((f) > 15 ? (f) : 15)

static void check_double(double v, const char *want) {
    char got[40];
    size_t n = sl__gen_fmt_double(got, v);
    assert_int_equal(n, strlen(got));
    assert_string_equal(got, want);
}

static void test_double_examples(void **state) {
    (void)state;
    check_double(0.1, "0.1");
    check_double(1.0, "1.0");
    check_double(-2.0, "-2.0");
    check_double(0.0, "0.0");
    check_double(-0.0, "-0.0");
    check_double(1e300, "1e+300");
    check_double(5e-324, "4.94065645841247e-324");          /* 15 digits are enough */
    check_double(0.5642892523651901, "0.5642892523651901"); /* the lab's sample */
    check_double(-0.05573411422345695, "-0.05573411422345695");
    check_double(1.136185983195746, "1.136185983195746");
    check_double(123456789012345678.0, "1.2345678901234568e+17");
    check_double(NAN, "null");
    check_double(INFINITY, "null");
}

static void test_double_round_trip(void **state) {
    (void)state;
    sl__gen_rng r;
    sl__gen_rng_seed(&r, 99);
    for (int i = 0; i < 100000; i++) {
        double v;
        uint64_t bits = sl__gen_rng_next(&r);
        if (i % 2) {
            memcpy(&v, &bits, sizeof v); /* any bit pattern */
            if (!isfinite(v)) continue;
        } else {
            v = sl__gen_rng_gauss(&r) * 3; /* what iot prints */
        }
        char s[40];
        sl__gen_fmt_double(s, v);
        assert_non_null(strpbrk(s, ".e"));
        double back = strtod(s, NULL);
        assert_memory_equal(&back, &v, sizeof v);
        /* shortest: as many significant digits as the fewest that read back */
        int fewest = 1;
        for (; fewest < 17; fewest++) {
            char t[400];
            snprintf(t, sizeof t, "%.*g", fewest, v);
            if (strtod(t, NULL) == v) break;
        }
        int digits = 0;
        const char *q = s + (s[0] == '-');
        while (*q == '0' || *q == '.') q++; /* leading zeros are not significant */
        size_t len = strlen(s);
        if (len > 2 && strcmp(s + len - 2, ".0") == 0) len -= 2; /* our ".0" suffix */
        for (; q < s + len && *q != 'e'; q++) digits += *q >= '0' && *q <= '9';
        /* Normal numbers: exactly the fewest; subnormals (fewer significant
         * bits) may keep up to 15 digits. */
        bool normal = fabs(v) >= DBL_MIN;
        if (v != 0 && (normal || fewest > 15) && digits != fewest)
            fail_msg("%s: %d digits, %d needed", s, digits, fewest);
        if (v != 0 && !normal) assert_true(digits <= MAX_DIGITS(fewest));
    }
}

static void agree(double v) {
    char fast[40], ref[40];
    size_t nf = sl__gen_fmt_double(fast, v);
    size_t nr = sl__gen_fmt_double_ref(ref, v);
    if (nf != nr || strcmp(fast, ref) != 0) fail_msg("%a: fast '%s', reference '%s'", v, fast, ref);
}

static void test_double_fast_path(void **state) {
    (void)state;
    /* The integer fast path must print exactly what %.15g/%.16g/%.17g do. */
    sl__gen_rng r;
    sl__gen_rng_seed(&r, 2024);
    static const double scales[] = {1e-3, 1e-2, 0.1, 1, 3, 10, 1e3, 1e6, 1e9, 1e12, 1e14};
    for (int i = 0; i < 300000; i++) {
        agree(sl__gen_rng_gauss(&r) * scales[i % 11]);
        /* any bit pattern between 2^-11 and 2^51 */
        uint64_t bits = (sl__gen_rng_next(&r) & ((UINT64_C(1) << 52) - 1)) |
                        ((uint64_t)(1023 - 11 + sl__gen_rng_below(&r, 62)) << 52);
        double v;
        memcpy(&v, &bits, sizeof v);
        agree(i % 2 ? v : -v);
    }
    /* around every power of ten, and numbers that round up to one */
    for (int e = -4; e <= 16; e++) {
        double p10 = pow(10, e);
        double lo = p10, hi = p10;
        for (int j = 0; j < 200; j++) {
            agree(lo);
            agree(hi);
            agree(-lo);
            lo = nextafter(lo, 0);
            hi = nextafter(hi, INFINITY);
        }
    }
    for (int64_t n = -3000; n <= 3000; n++) {
        agree((double)n);
        agree((double)n / 8);
        agree((double)n / 1000);
    }
    agree(0.5642892523651901);
    agree(999999999999999.9);
    agree(0.0009999999999999998);
}

static void check_str(const char *in, size_t n, const char *want) {
    sl__gen_buf b = {0};
    sl__gen_json_str(&b, in, n);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.p, want, b.len);
    sl__gen_buf_free(&b);
}

static void test_string_escaping(void **state) {
    (void)state;
    check_str("", 0, "\"\"");
    check_str("plain", 5, "\"plain\"");
    check_str("a\"b", 3, "\"a\\\"b\"");
    check_str("a\\b", 3, "\"a\\\\b\"");
    check_str("\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\"");
    check_str("\x01\x1f", 2, "\"\\u0001\\u001f\"");
    check_str("\0x", 2, "\"\\u0000x\"");
    check_str("/\x7f", 2, "\"/\x7f\"");
    check_str("c\xc5\x93ur \xc3\xa0 \xe2\x82\xac", 12, "\"c\xc5\x93ur \xc3\xa0 \xe2\x82\xac\"");
    /* a long run with an escape at the very end */
    char big[3000];
    memset(big, 'x', sizeof big);
    big[sizeof big - 1] = '"';
    sl__gen_buf b = {0};
    sl__gen_json_str(&b, big, sizeof big);
    assert_int_equal(b.len, sizeof big + 3);
    assert_memory_equal(b.p + b.len - 3, "\\\"\"", 3);
    sl__gen_buf_free(&b);
}

static void test_integers(void **state) {
    (void)state;
    sl__gen_buf b = {0};
    sl__gen_json_i64(&b, 1584786731698422519);
    sl__gen_buf_add(&b, " ", 1);
    sl__gen_json_i64(&b, -42);
    sl__gen_buf_add(&b, " ", 1);
    sl__gen_json_i64(&b, INT64_MIN);
    const char want[] = "1584786731698422519 -42 -9223372036854775808";
    assert_int_equal(b.len, sizeof want - 1);
    assert_memory_equal(b.p, want, b.len);
    sl__gen_buf_free(&b);
}

static void test_buffer_reuse(void **state) {
    (void)state;
    /* Consuming everything empties the buffer; partial consumption is
     * reclaimed before growing, so a steady producer/consumer stays small. */
    sl__gen_buf b = {0};
    for (int i = 0; i < 100000; i++) {
        sl__gen_buf_puts(&b, "0123456789abcdef");
        if (sl__gen_buf_pending(&b) > 1000) sl__gen_buf_consume(&b, 999);
    }
    assert_true(b.cap <= 4096);
    sl__gen_buf_consume(&b, sl__gen_buf_pending(&b));
    assert_int_equal(b.len, 0);
    assert_int_equal(b.off, 0);
    sl__gen_buf_free(&b);
    assert_null(b.p);
}

static void test_corpus_format(void **state) {
    (void)state;
    const char text[] = "# a play\n\n   \nAlceste\tJe veux qu'on soit sincère.\r\n"
                        "  Philinte  \t  Mais encor...  \n"
                        "Don Diègue\tVa, cours, vole, et nous venge.";
    sl__gen_corpus c;
    char err[200];
    assert_int_equal(sl__gen_corpus_parse(&c, text, sizeof text - 1, err, sizeof err), 0);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.q[0].character, "Alceste");
    assert_string_equal(c.q[0].quote, "Je veux qu'on soit sincère.");
    assert_string_equal(c.q[1].character, "Philinte");
    assert_string_equal(c.q[1].quote, "Mais encor...");
    assert_int_equal(c.q[1].nquote, strlen("Mais encor..."));
    assert_string_equal(c.q[2].character, "Don Diègue");
    sl__gen_corpus_free(&c);
}

static void check_corpus_error(const char *text, size_t n, const char *want) {
    sl__gen_corpus c;
    char err[200] = "";
    assert_int_equal(sl__gen_corpus_parse(&c, text, n, err, sizeof err), -1);
    assert_string_equal(err, want);
    assert_null(c.text);
    assert_null(c.q);
}

static void test_corpus_errors(void **state) {
    (void)state;
    check_corpus_error("# only comments\n", 16, "no quotes found");
    check_corpus_error("A\tok\nno tab here\n", 17, "line 2: expected CHARACTER<TAB>QUOTE");
    check_corpus_error("A\t \n", 4, "line 1: empty character or quote");
    check_corpus_error("A\tbad \xc3\x28\n", 9, "line 1: not valid UTF-8");
    check_corpus_error("A\tsurrogate \xed\xa0\x80\n", 16, "line 1: not valid UTF-8");
    check_corpus_error("A\toverlong \xc0\xaf\n", 14, "line 1: not valid UTF-8");
    check_corpus_error("A\tnul \0 byte\n", 13, "line 1: NUL byte");
}

static void test_corpus_builtin(void **state) {
    (void)state;
    sl__gen_corpus c;
    char err[200];
    assert_int_equal(sl__gen_corpus_builtin(&c, err, sizeof err), 0);
    assert_true(c.n >= 200);
    bool alceste = false, rodrigue = false;
    for (size_t i = 0; i < c.n; i++) {
        alceste |= strcmp(c.q[i].character, "Alceste") == 0;
        rodrigue |= strcmp(c.q[i].character, "Don Rodrigue") == 0;
    }
    assert_true(alceste && rodrigue);
    sl__gen_corpus_free(&c);

    char path[] = "/nonexistent/quotes.tsv";
    assert_int_equal(sl__gen_corpus_load(&c, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_double_examples),  cmocka_unit_test(test_double_round_trip),
        cmocka_unit_test(test_double_fast_path), cmocka_unit_test(test_string_escaping),
        cmocka_unit_test(test_integers),         cmocka_unit_test(test_buffer_reuse),
        cmocka_unit_test(test_corpus_format),    cmocka_unit_test(test_corpus_errors),
        cmocka_unit_test(test_corpus_builtin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
