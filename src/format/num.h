/*
 * num.h — number text to binary, fast and exact, for the readers of the
 * format layer (JSON decoder, CSV reader). Doubles are correctly rounded
 * (round-to-nearest-even, the same result as strtod) without calling strtod
 * in the common case: a decimal mantissa of up to 19 significant digits is
 * converted with Clinger's exact fast path when it can, else with a
 * 128-bit multiplication by a truncated power of five whose error bound is
 * checked (the idea of Eisel and Lemire; written here from the math), and
 * strtod on a NUL-terminated copy only when that check cannot decide.
 */
#ifndef SL_FORMAT_NUM_H
#define SL_FORMAT_NUM_H

#include "base/base.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*
 * w * 10^q with the sign given, correctly rounded. Returns false when the
 * fast methods cannot decide (exponent out of the table's range, result
 * subnormal or overflowing, or an ambiguous rounding); the caller then uses
 * strtod.
 */
bool sl__num_dec_to_f64(uint64_t w, int64_t q, bool neg, double *out);

/* strtod of s[0, n) through a NUL-terminated copy (stack buffer for short
 * texts). The text must be a number strtod accepts entirely. */
double sl__num_strtod(const char *s, size_t n);

/*
 * Java's Double.parseDouble as Spark's CSV reader uses it: ASCII white space
 * trimmed, optional sign, digits with an optional point and exponent, and
 * the forms sl__parse_f64 accepts (NaN, Infinity, a d/f suffix). Plain
 * decimal text is converted without strtod. False when not a number.
 */
bool sl__num_parse_f64(const char *s, size_t n, double *out);

/*
 * Java's Long.parseLong (also Integer.parseInt when range-checked by the
 * caller): optional '+' or '-', then only ASCII digits; no white space, no
 * fraction. False on anything else or on overflow.
 */
bool sl__num_parse_i64(const char *s, size_t n, int64_t *out);

/* ---- inline helpers of the readers' fast paths -------------------------- */

static inline uint64_t sl__num_load8(const char *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* The value of 8 ASCII digits, first digit in the lowest byte: pairs, then
 * quads, then the whole, with two multiplications. */
static inline uint64_t sl__num_parse8(uint64_t v) {
    v -= 0x3030303030303030ULL;
    v = v * 10 + (v >> 8); /* byte 2k: 10*d[2k] + d[2k+1] */
    const uint64_t m = 0x000000FF000000FFULL;
    const uint64_t mul1 = 100 + (1000000ULL << 32), mul2 = 1 + (10000ULL << 32);
    return (((v & m) * mul1) + (((v >> 16) & m) * mul2)) >> 32;
}

/* w * 10^k + the k (1..8) digits in the low bytes of x (the word shifted
 * up with '0' bytes in front, then parsed as 8 digits). */
__attribute__((always_inline)) static inline uint64_t sl__num_add_digits(uint64_t w, uint64_t x,
                                                                         unsigned k) {
    static const uint64_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
    if (k < 8) x = (x << (8 * (8 - k))) | (0x3030303030303030ULL >> (8 * k));
    return w * pow10[k] + sl__num_parse8(x);
}

/*
 * Appends the ASCII digits at *pp to *w (w = w * 10^k + digits, wrapping
 * past 19 digits) and returns how many there were; *pp moves past them.
 * While 16 bytes before `lim` are readable, one SSE2 comparison gives the
 * length of the digit run in the next 16 bytes and they are parsed as (at
 * most) two 8-digit words; then 8 bytes at a time with a SWAR mask; then
 * byte by byte. Bytes up to lim may be read, but the digits stop at the
 * first non-digit.
 */
__attribute__((always_inline)) static inline size_t sl__num_digits(const char **pp, const char *lim,
                                                                   uint64_t *w) {
    const char *p = *pp, *s = p;
    uint64_t v = *w;
#ifdef __SSE2__
    while (lim - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i t = _mm_sub_epi8(x, _mm_set1_epi8('0'));
        __m128i nine = _mm_set1_epi8(9);
        unsigned digit = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(t, nine), nine));
        unsigned other = ~digit & 0xFFFFu;
        unsigned len = other ? (unsigned)__builtin_ctz(other) : 16;
        if (len >= 8) {
            v = v * 100000000u + sl__num_parse8(sl__num_load8(p));
            if (len > 8) v = sl__num_add_digits(v, sl__num_load8(p + 8), len - 8);
        } else if (len) {
            v = sl__num_add_digits(v, sl__num_load8(p), len);
        }
        p += len;
        if (len < 16) {
            *w = v;
            *pp = p;
            return (size_t)(p - s);
        }
    }
#endif
    while (lim - p >= 8) {
        uint64_t x = sl__num_load8(p);
        uint64_t nd =
            ((x + 0x4646464646464646ULL) | (x - 0x3030303030303030ULL)) & 0x8080808080808080ULL;
        if (!nd) {
            v = v * 100000000u + sl__num_parse8(x);
            p += 8;
            continue;
        }
        unsigned k = (unsigned)__builtin_ctzll(nd) >> 3;
        if (k) {
            v = sl__num_add_digits(v, x, k);
            p += k;
        }
        *w = v;
        *pp = p;
        return (size_t)(p - s);
    }
    while (p < lim && (unsigned)(*p - '0') < 10) v = v * 10 + (uint64_t)(*p++ - '0');
    *w = v;
    *pp = p;
    return (size_t)(p - s);
}

/*
 * Plain decimal text exactly filling s[0, n): [+-]digits[.digits][e[+-]digits]
 * with at most 19 significant digits (leading zeros allowed), converted
 * without strtod. False for anything else (the caller takes a slower,
 * complete path). Bytes up to lim (>= s + n) may be read.
 */
__attribute__((always_inline)) static inline bool sl__num_fast_f64(const char *s, size_t n,
                                                                   const char *lim, double *out) {
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = s, *e = s + n;
    bool neg = false;
    if (p < e && (*p == '-' || *p == '+')) neg = *p++ == '-';
    uint64_t w = 0;
    size_t nd;
    if (e - p >= 2 && (unsigned)(p[0] - '0') < 10 && p[1] == '.') { /* "0." "1.": common */
        w = (uint64_t)(*p++ - '0');
        nd = 1;
    } else {
        while (e - p >= 2 && p[0] == '0' && p[1] == '0') p++;
        nd = sl__num_digits(&p, lim, &w);
        if (p > e) return false;
    }
    int64_t q = 0;
    if (p < e && *p == '.') {
        p++;
        size_t nf = sl__num_digits(&p, lim, &w);
        if (p > e) return false;
        nd += nf;
        q = -(int64_t)nf;
    }
    if (nd == 0 || nd > 19) return false;
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (p < e && (*p == '+' || *p == '-')) eneg = *p++ == '-';
        const char *es = p;
        int64_t x = 0;
        while (p < e && (unsigned)(*p - '0') < 10 && p - es < 6) x = x * 10 + (*p++ - '0');
        if (p == es) return false;
        q += eneg ? -x : x;
    }
    if (p != e) return false;
    if (w <= (1ULL << 53) && q >= -22 && q <= 22) { /* Clinger's exact case, inline */
        double d = q < 0 ? (double)w / p10[-q] : (double)w * p10[q];
        *out = neg ? -d : d;
        return true;
    }
    return sl__num_dec_to_f64(w, q, neg, out);
}

/* [+-]digits exactly filling s[0, n), at most 19 digits, in range; false
 * for anything else (sl__num_parse_i64 is the complete path). */
__attribute__((always_inline)) static inline bool sl__num_fast_i64(const char *s, size_t n,
                                                                   const char *lim, int64_t *out) {
    const char *p = s, *e = s + n;
    bool neg = false;
    if (p < e && (*p == '-' || *p == '+')) neg = *p++ == '-';
    uint64_t v = 0;
    size_t nd = sl__num_digits(&p, lim, &v);
    if (p != e || nd == 0 || nd > 19 || v > (uint64_t)INT64_MAX + neg) return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

#endif
