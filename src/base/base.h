/*
 * base.h — what every sluice source file needs: standard headers, small
 * macros, and the allocation hooks. All memory sluice uses comes from
 * sl__malloc and friends (or from arenas built on them), so an out-of-memory
 * condition has one place to be handled and tests have one place to inject
 * failures. The base layer never includes a header of a layer above it.
 */
#ifndef SL_BASE_H
#define SL_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice.h"

#define SL_LIKELY(x)      __builtin_expect(!!(x), 1)
#define SL_UNLIKELY(x)    __builtin_expect(!!(x), 0)
#define SL_ARRAY_LEN(a)   (sizeof(a) / sizeof((a)[0]))
#define SL_MIN(a, b)      ((a) < (b) ? (a) : (b))
#define SL_MAX(a, b)      ((a) > (b) ? (a) : (b))
#define SL_UNUSED(x)      ((void)(x))
#define SL_PRINTF(f, a)   __attribute__((format(printf, f, a)))
#define SL_ALIGN_UP(n, a) (((n) + ((a)-1)) & ~((size_t)(a)-1))

/*
 * Allocation. These never return NULL: when the system is out of memory they
 * print a message and abort, as Redis's zmalloc does; a stream engine that
 * lost an allocation mid-batch has no state worth continuing from.
 * sl__free(NULL) is allowed.
 */
void *sl__malloc(size_t n);
void *sl__calloc(size_t count, size_t size);
void *sl__realloc(void *p, size_t n);
void sl__free(void *p);
char *sl__strdup(const char *s);
char *sl__strndup(const char *s, size_t n);
char *sl__sprintf(const char *fmt, ...) SL_PRINTF(1, 2);
char *sl__vsprintf(const char *fmt, va_list ap);

/* Grows an array `*p` of `*cap` elements of `elem` bytes to hold `need`. */
void sl__grow(void **p, size_t *cap, size_t need, size_t elem);
#define SL_GROW(arr, cap, need)                                                                    \
    do {                                                                                           \
        if ((size_t)(need) > (size_t)(cap)) {                                                      \
            size_t c_ = (cap);                                                                     \
            sl__grow((void **)&(arr), &c_, (need), sizeof(*(arr)));                                \
            (cap) = c_;                                                                            \
        }                                                                                          \
    } while (0)

#include "base/arena.h"
#include "base/buf.h"
#include "base/str.h"
#include "base/err.h"
#include "base/hash.h"

#endif
