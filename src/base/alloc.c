/*
 * alloc.c — the allocation hooks behind sl__malloc and friends. Failure is
 * fatal (see base.h). The library's public sl_free is here too, so strings
 * handed to callers are released by the allocator that made them.
 */
#include "base/base.h"

static void oom(size_t n) {
    fprintf(stderr, "sluice: out of memory allocating %zu bytes\n", n);
    abort();
}

void *sl__malloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (SL_UNLIKELY(!p)) oom(n);
    return p;
}

void *sl__calloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (SL_UNLIKELY(!p)) oom(count * size);
    return p;
}

void *sl__realloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (SL_UNLIKELY(!q)) oom(n);
    return q;
}

void sl__free(void *p) {
    free(p);
}

void sl_free(void *p) {
    free(p);
}

char *sl__strdup(const char *s) {
    return sl__strndup(s, strlen(s));
}

char *sl__strndup(const char *s, size_t n) {
    char *p = sl__malloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *sl__vsprintf(const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *p = sl__malloc((size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *sl__sprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = sl__vsprintf(fmt, ap);
    va_end(ap);
    return p;
}

void sl__grow(void **p, size_t *cap, size_t need, size_t elem) {
    size_t c = *cap ? *cap : 8;
    while (c < need) c *= 2;
    *p = sl__realloc(*p, c * elem);
    *cap = c;
}
