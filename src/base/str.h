/*
 * str.h — sl__str, a borrowed byte slice: the element of every STRING
 * vector. The bytes live elsewhere (an input buffer, a vector's heap, an
 * arena); whoever hands out an sl__str says how long they stay valid.
 */
#ifndef SL_STR_H
#define SL_STR_H

typedef struct sl__str {
    const char *ptr;
    uint32_t len;
} sl__str;

static inline sl__str sl__str_make(const char *p, size_t n) {
    sl__str s = {p, (uint32_t)n};
    return s;
}

static inline sl__str sl__str_c(const char *p) {
    return sl__str_make(p, strlen(p));
}

static inline bool sl__str_eq(sl__str a, sl__str b) {
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* Byte-wise comparison, as Spark compares UTF-8 strings. */
static inline int sl__str_cmp(sl__str a, sl__str b) {
    uint32_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c) return c;
    return a.len < b.len ? -1 : a.len > b.len;
}

/* ASCII case-insensitive equality (identifiers, keywords, option names). */
bool sl__str_ieq(sl__str a, sl__str b);
bool sl__ieq(const char *a, const char *b);

#endif
