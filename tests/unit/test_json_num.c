/*
 * test_json_num.c — number parsing of the format layer (src/format/num.c):
 * sl__num_dec_to_f64 / sl__num_parse_f64 agree bit for bit with glibc's
 * strtod (correct rounding) on millions of random decimal texts, ties and
 * boundary cases included; strict integer parsing (Java's Long.parseLong).
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

#include "format/num.h"

static uint64_t rs = 88172645463325252ULL;
static uint64_t rnd(void) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}

static void same_as_strtod(const char *txt) {
    double want = strtod(txt, NULL), got;
    if (!sl__num_parse_f64(txt, strlen(txt), &got)) fail_msg("rejected %s", txt);
    if (memcmp(&got, &want, sizeof got) != 0)
        fail_msg("%s: got %.17g, strtod %.17g", txt, got, want);
}

static void test_examples(void **state) {
    (void)state;
    const char *t[] = {"0",
                       "-0",
                       "0.0",
                       "1",
                       "-1",
                       "0.1",
                       "0.5642892523651901",
                       "-0.05573411422345695",
                       "1.136185983195746",
                       "0.12345678901234567",
                       "9007199254740993",
                       "9007199254740995",
                       "18014398509481993",
                       "1e22",
                       "1e23",
                       "8.98846567431158e307",
                       "1.7976931348623157e308",
                       "1.7976931348623159e308",
                       "2.2250738585072014e-308",
                       "2.2250738585072011e-308",
                       "4.9e-324",
                       "1e-400",
                       "1e400",
                       "123456789012345678901234567890",
                       "0.000000000000000000000000000001234",
                       "3.0e-45",
                       "7.2057594037927933e16",
                       "1.00000000000000011102230246251565404236316680908203125",
                       "1.00000000000000011102230246251565404236316680908203124",
                       "1.00000000000000011102230246251565404236316680908203126",
                       "  2.5  ",
                       "+3.25",
                       "1E5",
                       "1e+05",
                       "1e-05",
                       ".5",
                       "5.",
                       "1d",
                       "2.5f"};
    for (size_t i = 0; i < SL_ARRAY_LEN(t); i++) same_as_strtod(t[i]);
    double d;
    assert_true(sl__num_parse_f64("NaN", 3, &d) && isnan(d));
    assert_true(sl__num_parse_f64("-Infinity", 9, &d) && d == -INFINITY);
    assert_false(sl__num_parse_f64("", 0, &d));
    assert_false(sl__num_parse_f64("abc", 3, &d));
    assert_false(sl__num_parse_f64("1e", 2, &d));
    assert_false(sl__num_parse_f64("1.2.3", 5, &d));
    assert_false(sl__num_parse_f64("0x10", 4, &d));
}

static void test_random_vs_strtod(void **state) {
    (void)state;
    char buf[64];
    for (int i = 0; i < 2000000; i++) {
        int kind = i % 7;
        if (kind == 0) { /* any finite double, 17 digits */
            double d;
            uint64_t b = rnd();
            memcpy(&d, &b, 8);
            if (!isfinite(d)) continue;
            snprintf(buf, sizeof buf, "%.17g", d);
        } else if (kind == 1) { /* 1..19 digits, moderate exponents */
            double d = (double)(rnd() >> 11) / 9007199254740992.0 * pow(10, (int)(rnd() % 40) - 20);
            snprintf(buf, sizeof buf, "%.*g", (int)(rnd() % 19) + 1, d);
        } else if (kind == 2) { /* integers above 2^53: many ties */
            uint64_t w = (1ULL << 53) + rnd() % (1ULL << 53);
            snprintf(buf, sizeof buf, "%llu", (unsigned long long)w);
        } else if (kind == 3) { /* 19-digit mantissa, wide exponents */
            uint64_t w = rnd() % 10000000000000000000ULL;
            snprintf(buf, sizeof buf, "%llue%d", (unsigned long long)w, (int)(rnd() % 300) - 150);
        } else if (kind == 4) { /* exact ties scaled by powers of ten */
            uint64_t w = ((1ULL << 53) + rnd() % (1ULL << 53)) | 1;
            int z = (int)(rnd() % 4);
            snprintf(buf, sizeof buf, "%llu%.*s", (unsigned long long)w, z, "0000");
        } else if (kind == 5) { /* 17-digit fractions like the lab's */
            snprintf(buf, sizeof buf, "0.%017llu",
                     (unsigned long long)(rnd() % 100000000000000000ULL));
        } else { /* shortest round-trip text of a random double */
            double d = (double)(int64_t)rnd() / (double)(rnd() | 1);
            for (int p = 1; p <= 17; p++) {
                snprintf(buf, sizeof buf, "%.*g", p, d);
                if (strtod(buf, NULL) == d) break;
            }
        }
        same_as_strtod(buf);
    }
}

static void test_dec_to_f64(void **state) {
    (void)state;
    double d;
    assert_true(sl__num_dec_to_f64(0, 5, true, &d) && d == 0 && signbit(d));
    assert_true(sl__num_dec_to_f64(15, -1, false, &d) && d == 1.5);
    /* out of the table's range: left to strtod */
    assert_false(sl__num_dec_to_f64(1, 400, false, &d));
    assert_false(sl__num_dec_to_f64(1, -400, false, &d));
    /* subnormal results are left to strtod */
    assert_false(sl__num_dec_to_f64(49, -325, false, &d) && d != 4.9e-324);
}

static void test_parse_i64(void **state) {
    (void)state;
    int64_t x;
    assert_true(sl__num_parse_i64("0", 1, &x) && x == 0);
    assert_true(sl__num_parse_i64("+42", 3, &x) && x == 42);
    assert_true(sl__num_parse_i64("-42", 3, &x) && x == -42);
    assert_true(sl__num_parse_i64("9223372036854775807", 19, &x) && x == INT64_MAX);
    assert_true(sl__num_parse_i64("-9223372036854775808", 20, &x) && x == INT64_MIN);
    assert_true(sl__num_parse_i64("0000000000000000000000042", 25, &x) && x == 42);
    assert_false(sl__num_parse_i64("9223372036854775808", 19, &x));
    assert_false(sl__num_parse_i64("-9223372036854775809", 20, &x));
    assert_false(sl__num_parse_i64("99999999999999999999", 20, &x));
    assert_false(sl__num_parse_i64("", 0, &x));
    assert_false(sl__num_parse_i64("-", 1, &x));
    assert_false(sl__num_parse_i64(" 5", 2, &x)); /* Java does not trim */
    assert_false(sl__num_parse_i64("5 ", 2, &x));
    assert_false(sl__num_parse_i64("1.5", 3, &x));
    assert_false(sl__num_parse_i64("1e3", 3, &x));
}

/* the SIMD/SWAR digit run parser against a byte loop, for every run length
 * and every distance to the read limit */
static void test_digit_runs(void **state) {
    (void)state;
    char buf[64];
    for (int len = 0; len <= 25; len++) {
        for (int tail = 0; tail <= 20; tail++) {
            for (int i = 0; i < len; i++) buf[i] = (char)('0' + (rnd() % 10));
            for (int i = len; i < 64; i++) buf[i] = "x,.}e\n"[rnd() % 6];
            size_t lim = (size_t)len + (size_t)tail;
            const char *p = buf;
            uint64_t w = 7, want = 7;
            size_t n = sl__num_digits(&p, buf + lim, &w);
            for (int i = 0; i < len; i++) want = want * 10 + (uint64_t)(buf[i] - '0');
            assert_int_equal(n, (size_t)len);
            assert_ptr_equal(p, buf + len);
            assert_true(w == want);
        }
    }
    /* exact-length fast paths */
    double d;
    int64_t x;
    const char *t = "-123.25e2,";
    assert_true(sl__num_fast_f64(t, 9, t + 10, &d) && d == -12325.0);
    assert_false(sl__num_fast_f64(t, 10, t + 10, &d));
    const char *i1 = "+42;", *i2 = "42;";
    assert_true(sl__num_fast_i64(i1, 3, i1 + 4, &x) && x == 42);
    assert_false(sl__num_fast_i64(i2, 3, i2 + 3, &x));
    assert_false(sl__num_fast_i64(i2, 0, i2, &x));
    assert_false(sl__num_fast_i64(i2, 2, i2 + 2, &x) && x != 42);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples),   cmocka_unit_test(test_random_vs_strtod),
        cmocka_unit_test(test_dec_to_f64), cmocka_unit_test(test_parse_i64),
        cmocka_unit_test(test_digit_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
