/*
 * buf.c — the growable byte buffer of buf.h.
 */
#include "base/base.h"

void sl__buf_reserve(sl__buf *b, size_t extra) {
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return;
    size_t c = b->cap ? b->cap : 64;
    while (c < need) c *= 2;
    b->p = sl__realloc(b->p, c);
    b->cap = c;
}

void sl__buf_append(sl__buf *b, const void *data, size_t n) {
    sl__buf_reserve(b, n);
    if (n) memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = 0;
}

void sl__buf_puts(sl__buf *b, const char *s) {
    sl__buf_append(b, s, strlen(s));
}

void sl__buf_putc(sl__buf *b, char c) {
    sl__buf_reserve(b, 1);
    b->p[b->len++] = c;
    b->p[b->len] = 0;
}

void sl__buf_fill(sl__buf *b, char c, size_t n) {
    sl__buf_reserve(b, n);
    memset(b->p + b->len, c, n);
    b->len += n;
    b->p[b->len] = 0;
}

void sl__buf_vprintf(sl__buf *b, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
    va_end(ap2);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        sl__buf_append(b, tmp, (size_t)n);
        return;
    }
    sl__buf_reserve(b, (size_t)n);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sl__buf_printf(sl__buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sl__buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void sl__buf_clear(sl__buf *b) {
    b->len = 0;
    if (b->p) b->p[0] = 0;
}

void sl__buf_free(sl__buf *b) {
    sl__free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

char *sl__buf_take(sl__buf *b) {
    char *p = b->p ? b->p : sl__strdup("");
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}
