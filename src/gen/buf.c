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
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%" PRId64, v);
    sl__gen_buf_add(b, tmp, (size_t)n);
}

size_t sl__gen_fmt_double(char *dst, double v) {
    if (!isfinite(v)) {
        memcpy(dst, "null", 5);
        return 4;
    }
    /* The first precision that reads back exactly; 17 digits always do. */
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

void sl__gen_json_double(sl__gen_buf *b, double v) {
    char tmp[40];
    size_t n = sl__gen_fmt_double(tmp, v);
    sl__gen_buf_add(b, tmp, n);
}
