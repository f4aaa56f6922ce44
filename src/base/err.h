/*
 * err.h — an error record: a status, a message and the byte offset of the
 * SQL text it points at. The lexer, parser, binder and executor fill one on
 * their context; the session copies it to its handle when the statement ends
 * (the SQLite pattern), so internal functions just return a status.
 */
#ifndef SL_ERR_H
#define SL_ERR_H

typedef struct sl__err {
    sl_status code; /* SL_OK when no error */
    int64_t offset; /* byte offset into the statement text, -1 when none */
    char msg[1024]; /* NUL-terminated, without the "line L:C: " prefix */
} sl__err;

void sl__err_clear(sl__err *e);
/* Records an error unless one is already recorded (the first error wins). */
sl_status sl__err_set(sl__err *e, sl_status code, int64_t offset, const char *fmt, ...)
    SL_PRINTF(4, 5);
sl_status sl__err_vset(sl__err *e, sl_status code, int64_t offset, const char *fmt, va_list ap);

#endif
