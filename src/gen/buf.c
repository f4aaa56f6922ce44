/*
 * buf.c — the growable byte buffer generators write lines into, and the
 * JSON value writers (strings, integers, shortest round-trip doubles). A
 * client's buffer holds at most a few lines past a low-water mark (server.c
 * decides), so growth here is bounded by the caller, not by the data.
 */
#include "gen.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void reserve(sl__gen_buf *b, size_t extra) {
    if (b->cap - b->len >= extra) return;
    if (b->off > 0) { /* reclaim consumed bytes before growing */
        memmove(b->p, b->p + b->off, b->len - b->off);
        b->len -= b->off;
        b->off = 0;
        if (b->cap - b->len >= extra) return;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        fputs("sluice gen: out of memory\n", stderr);
        abort();
    }
    b->p = p;
    b->cap = cap;
}

void sl__gen_buf_add(sl__gen_buf *b, const void *data, size_t n) {
    reserve(b, n);
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

void sl__gen_buf_puts(sl__gen_buf *b, const char *s) {
    sl__gen_buf_add(b, s, strlen(s));
}

void sl__gen_buf_consume(sl__gen_buf *b, size_t n) {
    b->off += n;
    if (b->off >= b->len) b->off = b->len = 0;
}

void sl__gen_buf_free(sl__gen_buf *b) {
    free(b->p);
    b->p = NULL;
    b->off = b->len = b->cap = 0;
}

void sl__gen_json_str(sl__gen_buf *b, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    reserve(b, n + 2);
    b->p[b->len++] = '"';
    size_t run = 0; /* start of the bytes not yet copied */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        sl__gen_buf_add(b, s + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t len = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            len = 6;
        }
        sl__gen_buf_add(b, esc, len);
    }
    sl__gen_buf_add(b, s + run, n - run);
    sl__gen_buf_add(b, "\"", 1);
}

void sl__gen_json_i64(sl__gen_buf *b, int64_t v) {
    char tmp[24], *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    sl__gen_buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* %.15g, %.16g, %.17g: the first that reads back exactly. The reference
 * for the fast path below, and the path for values it does not handle. */
size_t sl__gen_fmt_double_ref(char *dst, double v) {
    if (!isfinite(v)) {
        memcpy(dst, "null", 5);
        return 4;
    }
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(dst, 32, "%.*g", prec, v);
        if (strtod(dst, NULL) == v) break;
    }
    if (!strpbrk(dst, ".eE")) { /* "1" or "-0" would read as an integer */
        memcpy(dst + n, ".0", 3);
        n += 2;
    }
    return (size_t)n;
}

static const uint64_t pow10[20] = {
    UINT64_C(1),
    UINT64_C(10),
    UINT64_C(100),
    UINT64_C(1000),
    UINT64_C(10000),
    UINT64_C(100000),
    UINT64_C(1000000),
    UINT64_C(10000000),
    UINT64_C(100000000),
    UINT64_C(1000000000),
    UINT64_C(10000000000),
    UINT64_C(100000000000),
    UINT64_C(1000000000000),
    UINT64_C(10000000000000),
    UINT64_C(100000000000000),
    UINT64_C(1000000000000000),
    UINT64_C(10000000000000000),
    UINT64_C(100000000000000000),
    UINT64_C(1000000000000000000),
    UINT64_C(10000000000000000000),
};

/*
 * The reference's result without printf or strtod, for 1e-3 <= |v| < 1e15
 * (what the generators print), in exact 128-bit integer arithmetic. With
 * |v| = m * 2^-s (m of 53 bits) and D = round(|v| * 10^k) the p significant
 * digits, D * 10^-k reads back as v iff it is within half an ulp (2^-s / 2)
 * of v, that is iff 2 * |D * 2^s - m * 10^k| < 10^k. Exact ties and powers of two (whose lower
 * neighbour is closer) are left to the reference. Returns 0 when it declines.
 */
static size_t fmt_double_fast(char *dst, double v) {
    typedef unsigned __int128 u128;
    double a = fabs(v);
    if (!(a >= 1e-3 && a < 1e15)) return 0;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t m = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
    int s = 1075 - (int)((bits >> 52) & 0x7ff); /* in [3, 62] for this range */
    if (m == UINT64_C(1) << 52) return 0;
    /* x = floor(log10(a)), exactly: the literals 0.1 and 0.01 are the
     * smallest doubles >= 10^-1 and 10^-2, and 10^n (n <= 15) are exact. */
    int x = a < 0.01 ? -3 : a < 0.1 ? -2 : a < 1 ? -1 : 0;
    while (x >= 0 && x < 14 && a >= (double)pow10[x + 1]) x++;
    u128 half = (u128)1 << (s - 1);
    for (int p = 15; p <= 17; p++) {
        int k = p - 1 - x;
        if (k < 0 || k > 19) return 0;
        u128 prod = (u128)m * pow10[k];
        uint64_t d = (uint64_t)(prod >> s);
        u128 rem = prod - ((u128)d << s);
        if (rem == half) return 0;
        if (rem > half) d++;
        if (d < pow10[p - 1]) return 0; /* cannot happen with an exact x */
        if (d >= pow10[p]) {            /* rounded up to the next decade: %g's exponent too */
            x++;
            p--;
            continue;
        }
        u128 dd = (u128)d << s;
        u128 diff2 = 2 * (dd > prod ? dd - prod : prod - dd);
        if (diff2 == pow10[k]) return 0;
        if (diff2 > pow10[k]) continue; /* does not read back: one more digit */
        /* p digits with the point after x+1 of them, as %g writes them */
        char dig[20];
        for (int i = p - 1; i >= 0; i--) {
            dig[i] = (char)('0' + d % 10);
            d /= 10;
        }
        int nd = p; /* significant digits kept: trailing zeros of the fraction dropped */
        while (nd > x + 1 && nd > 1 && dig[nd - 1] == '0') nd--;
        char *o = dst;
        if (v < 0) *o++ = '-';
        if (x >= 0) {
            memcpy(o, dig, (size_t)(x + 1));
            o += x + 1;
            *o++ = '.';
            if (nd > x + 1) {
                memcpy(o, dig + x + 1, (size_t)(nd - x - 1));
                o += nd - x - 1;
            } else {
                *o++ = '0'; /* "12.0", as the reference writes it */
            }
        } else {
            *o++ = '0';
            *o++ = '.';
            for (int i = -1; i > x; i--) *o++ = '0';
            memcpy(o, dig, (size_t)nd);
            o += nd;
        }
        *o = '\0';
        return (size_t)(o - dst);
    }
    return 0;
}

size_t sl__gen_fmt_double(char *dst, double v) {
    size_t n = fmt_double_fast(dst, v);
    return n ? n : sl__gen_fmt_double_ref(dst, v);
}

void sl__gen_json_double(sl__gen_buf *b, double v) {
    char tmp[40];
    size_t n = sl__gen_fmt_double(tmp, v);
    sl__gen_buf_add(b, tmp, n);
}
