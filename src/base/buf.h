/*
 * buf.h — a growable byte buffer, used wherever text is built piece by piece
 * (rendering, JSON writing, error messages). The bytes are always followed by
 * a NUL so the buffer can be read as a C string.
 */
#ifndef SL_BUF_H
#define SL_BUF_H

typedef struct sl__buf {
    char *p;    /* owned; NULL until the first append */
    size_t len; /* bytes used, not counting the trailing NUL */
    size_t cap; /* bytes allocated */
} sl__buf;

#define SL_BUF_INIT                                                                                \
    { NULL, 0, 0 }

void sl__buf_reserve(sl__buf *b, size_t extra);
void sl__buf_append(sl__buf *b, const void *data, size_t n);
void sl__buf_puts(sl__buf *b, const char *s);
void sl__buf_putc(sl__buf *b, char c);
void sl__buf_printf(sl__buf *b, const char *fmt, ...) SL_PRINTF(2, 3);
void sl__buf_vprintf(sl__buf *b, const char *fmt, va_list ap);
/* Appends c n times. */
void sl__buf_fill(sl__buf *b, char c, size_t n);
void sl__buf_clear(sl__buf *b);
void sl__buf_free(sl__buf *b);
/* Hands the bytes to the caller (free with sl__free); the buffer is emptied. */
char *sl__buf_take(sl__buf *b);
/* The contents as a C string ("" when empty); borrowed. */
static inline const char *sl__buf_str(const sl__buf *b) {
    return b->p ? b->p : "";
}

#endif
