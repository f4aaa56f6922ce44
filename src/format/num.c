/*
 * num.c — exact decimal-to-double conversion and strict number parsing
 * (num.h).
 *
 * Design notes. A decimal w * 10^q (w < 2^64) equals
 *     w * 5^q * 2^q.
 * For each q in [QMIN, QMAX] a table holds T, a 128-bit number in
 * [2^127, 2^128), and t with 5^q = T_true * 2^t, where T = floor(T_true)
 * (T is exact when 5^q fits in 128 bits, i.e. 0 <= q <= 55). With w
 * normalised to w' = w << lz (top bit set), the 192-bit product P = w' * T
 * is below the true product by d, 0 <= d < 2^64 (d = 0 when T is exact).
 * Writing P = z*2^128 + m*2^64 + l, the top word z can only be wrong when
 * the error carries out of the lower 128 bits, which needs m = 2^64 - 1:
 * that case goes to strtod. Otherwise z is exact, and the bits below the
 * rounding bit are known to be non-zero whenever T is inexact (d > 0), so
 * a tie can only be seen, and is then decided exactly, when T is exact. The
 * table is computed once, at first use, with a small bignum.
 */
#include "format/num.h"
#include "types/text.h"
#include <pthread.h>

#define QMIN (-128)
#define QMAX 128

typedef struct pow5 {
    uint64_t hi, lo; /* T */
    int32_t t;       /* 5^q = T_true * 2^t */
    bool exact;
} pow5;

static pow5 p5[QMAX - QMIN + 1];
static pthread_once_t p5_once = PTHREAD_ONCE_INIT;
static int p5_ready; /* read with acquire: skips pthread_once once set */

/* ---- a tiny bignum: little-endian 32-bit limbs ------------------------- */

#define BIG_LIMBS 24 /* 768 bits: 2^(127 + bitlen(5^128)) needs ~426 */

typedef struct big {
    uint32_t d[BIG_LIMBS];
    int n; /* limbs in use */
} big;

static void big_set(big *a, uint32_t v) {
    memset(a, 0, sizeof *a);
    a->d[0] = v;
    a->n = v ? 1 : 0;
}

static void big_mul_small(big *a, uint32_t m) {
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t x = (uint64_t)a->d[i] * m + carry;
        a->d[i] = (uint32_t)x;
        carry = x >> 32;
    }
    if (carry) a->d[a->n++] = (uint32_t)carry;
}

static int big_bitlen(const big *a) {
    if (!a->n) return 0;
    return (a->n - 1) * 32 + (32 - __builtin_clz(a->d[a->n - 1]));
}

static int big_bit(const big *a, int i) {
    if (i < 0 || i / 32 >= a->n) return 0;
    return (a->d[i / 32] >> (i % 32)) & 1;
}

static int big_cmp(const big *a, const big *b) {
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i]) return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

static void big_sub(big *a, const big *b) { /* a -= b, a >= b */
    int64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        int64_t x = (int64_t)a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
        borrow = x < 0;
        a->d[i] = (uint32_t)(x + (borrow ? ((int64_t)1 << 32) : 0));
    }
    while (a->n && !a->d[a->n - 1]) a->n--;
}

static void big_shl1_add(big *a, int bit) {
    uint32_t carry = (uint32_t)bit;
    for (int i = 0; i < a->n; i++) {
        uint32_t nc = a->d[i] >> 31;
        a->d[i] = (a->d[i] << 1) | carry;
        carry = nc;
    }
    if (carry) a->d[a->n++] = carry;
}

static void p5_init(void) {
    for (int q = QMIN; q <= QMAX; q++) {
        pow5 *e = &p5[q - QMIN];
        big b;
        big_set(&b, 1);
        for (int i = 0; i < (q < 0 ? -q : q); i++) big_mul_small(&b, 5);
        int bl = big_bitlen(&b);
        unsigned __int128 T = 0;
        if (q >= 0) {
            /* top 128 bits of 5^q (zero-extended when shorter) */
            for (int i = 0; i < 128; i++) T = (T << 1) | (unsigned)big_bit(&b, bl - 1 - i);
            bool exact = true;
            for (int i = 0; i < bl - 128; i++)
                if (big_bit(&b, i)) exact = false;
            e->t = bl - 128;
            e->exact = exact;
        } else {
            /* floor(2^k / 5^-q), k = 127 + bl, by binary long division */
            int k = 127 + bl;
            big r;
            big_set(&r, 0);
            for (int i = k; i >= 0; i--) {
                big_shl1_add(&r, i == k);
                int qb = 0;
                if (big_cmp(&r, &b) >= 0) {
                    big_sub(&r, &b);
                    qb = 1;
                }
                T = (T << 1) | (unsigned)qb;
            }
            e->t = -k;
            e->exact = false;
        }
        e->hi = (uint64_t)(T >> 64);
        e->lo = (uint64_t)T;
    }
    __atomic_store_n(&p5_ready, 1, __ATOMIC_RELEASE);
}

static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

bool sl__num_dec_to_f64(uint64_t w, int64_t q, bool neg, double *out) {
    if (w == 0) {
        *out = neg ? -0.0 : 0.0;
        return true;
    }
    /* Clinger: both operands exact doubles, one correctly rounded operation */
    if (w <= (1ULL << 53) && q >= -22 && q <= 22) {
        double d = (double)w;
        d = q < 0 ? d / p10[-q] : d * p10[q];
        *out = neg ? -d : d;
        return true;
    }
    if (q < QMIN || q > QMAX) return false;
    if (SL_UNLIKELY(!__atomic_load_n(&p5_ready, __ATOMIC_ACQUIRE))) pthread_once(&p5_once, p5_init);
    const pow5 *e = &p5[q - QMIN];
    int lz = __builtin_clzll(w);
    uint64_t wn = w << lz;
    unsigned __int128 a = (unsigned __int128)wn * e->lo;
    unsigned __int128 b = (unsigned __int128)wn * e->hi;
    uint64_t l = (uint64_t)a;
    uint64_t mid = (uint64_t)b + (uint64_t)(a >> 64);
    uint64_t z = (uint64_t)(b >> 64) + (mid < (uint64_t)b);
    uint64_t m = mid;
    if (!e->exact && m == UINT64_MAX) return false; /* the error could carry into z */
    int sh = (z >> 63) ? 10 : 9;
    uint64_t mant54 = z >> sh;
    uint64_t rem = z & ((1ULL << sh) - 1);
    uint64_t mant = mant54 >> 1;
    if (mant54 & 1) {
        bool above = rem != 0 || m != 0 || l != 0 || !e->exact;
        if (above || (mant & 1)) mant++;
    }
    int64_t e2 = sh + 1 + 128 + (int64_t)e->t + q - lz;
    if (mant == (1ULL << 53)) {
        mant >>= 1;
        e2++;
    }
    int64_t E = e2 + 52 + 1023;
    if (E <= 0 || E >= 2047) return false; /* subnormal or overflow: strtod */
    uint64_t bits = ((uint64_t)E << 52) | (mant & ((1ULL << 52) - 1));
    if (neg) bits |= 1ULL << 63;
    memcpy(out, &bits, sizeof bits);
    return true;
}

double sl__num_strtod(const char *s, size_t n) {
    char stack[128];
    char *buf = n < sizeof stack ? stack : sl__malloc(n + 1);
    memcpy(buf, s, n);
    buf[n] = 0;
    double d = strtod(buf, NULL);
    if (buf != stack) sl__free(buf);
    return d;
}

static inline bool is_digit(char c) {
    return (unsigned)(c - '0') < 10;
}

static inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool sl__num_parse_f64(const char *s0, size_t n0, double *out) {
    const char *s = s0, *e = s0 + n0;
    while (s < e && is_space(*s)) s++;
    while (e > s && is_space(e[-1])) e--;
    const char *p = s;
    bool neg = false;
    if (p < e && (*p == '-' || *p == '+')) neg = *p++ == '-';
    uint64_t w = 0;
    int sig = 0, digits = 0;
    int64_t q = 0;
    bool dropped = false;
    for (; p < e && is_digit(*p); p++, digits++) {
        if (sig < 19) {
            w = w * 10 + (uint64_t)(*p - '0');
            if (w) sig++;
        } else {
            q++;
            dropped |= *p != '0';
        }
    }
    if (p < e && *p == '.') {
        for (p++; p < e && is_digit(*p); p++, digits++) {
            if (sig < 19) {
                w = w * 10 + (uint64_t)(*p - '0');
                if (w) sig++;
                q--;
            } else {
                dropped |= *p != '0';
            }
        }
    }
    if (!digits) return sl__parse_f64(s0, n0, out);
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (p < e && (*p == '-' || *p == '+')) eneg = *p++ == '-';
        if (p == e || !is_digit(*p)) return false;
        int64_t x = 0;
        for (; p < e && is_digit(*p); p++)
            if (x < 100000) x = x * 10 + (*p - '0');
        q += eneg ? -x : x;
    }
    if (p != e) return sl__parse_f64(s0, n0, out); /* d/f suffix, NaN, ... */
    if (!dropped && sl__num_dec_to_f64(w, q, neg, out)) return true;
    *out = sl__num_strtod(s, (size_t)(e - s));
    return true;
}

bool sl__num_parse_i64(const char *s, size_t n, int64_t *out) {
    size_t i = 0;
    bool neg = false;
    if (n && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i++;
    }
    if (i == n || n - i > 19) {
        /* leading zeros may make a long text valid: strip them */
        while (i < n && s[i] == '0' && n - i > 19) i++;
        if (i == n || n - i > 19) return false;
    }
    uint64_t v = 0;
    for (; i < n; i++) {
        if (!is_digit(s[i])) return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > (uint64_t)INT64_MAX + neg) return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}
