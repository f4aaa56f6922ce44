/*
 * str.c — the non-inline helpers of str.h.
 */
#include "base/base.h"
#include <strings.h>

bool sl__str_ieq(sl__str a, sl__str b) {
    return a.len == b.len && (a.len == 0 || strncasecmp(a.ptr, b.ptr, a.len) == 0);
}

bool sl__ieq(const char *a, const char *b) {
    return strcasecmp(a, b) == 0;
}
