/*
 * err.c — filling the error record of err.h.
 */
#include "base/base.h"

void sl__err_clear(sl__err *e) {
    e->code = SL_OK;
    e->offset = -1;
    e->msg[0] = 0;
}

sl_status sl__err_vset(sl__err *e, sl_status code, int64_t offset, const char *fmt, va_list ap) {
    if (e->code != SL_OK) return e->code;
    e->code = code;
    e->offset = offset;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    return code;
}

sl_status sl__err_set(sl__err *e, sl_status code, int64_t offset, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sl__err_vset(e, code, offset, fmt, ap);
    va_end(ap);
    return e->code;
}
