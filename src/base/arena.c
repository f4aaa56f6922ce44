/*
 * arena.c — the bump allocator of arena.h. Blocks grow geometrically up to
 * 1 MiB; a request larger than a block gets a block of its own, so a huge
 * string does not waste the rest of the current block.
 */
#include "base/base.h"

struct sl__arena_block {
    sl__arena_block *next;
    size_t size; /* usable bytes after the header */
    char data[];
};

#define ARENA_MAX_BLOCK (1u << 20)

void sl__arena_init(sl__arena *a, size_t block_size) {
    memset(a, 0, sizeof *a);
    a->block_size = block_size ? block_size : 4096;
}

void sl__arena_free(sl__arena *a) {
    sl__arena_block *b = a->head;
    while (b) {
        sl__arena_block *n = b->next;
        sl__free(b);
        b = n;
    }
    a->head = NULL;
    a->cur = a->end = NULL;
    a->used = 0;
}

void sl__arena_reset(sl__arena *a) {
    if (!a->head) return;
    /* keep the largest block, free the others */
    sl__arena_block *keep = a->head, *b = a->head->next;
    while (b) {
        sl__arena_block *n = b->next;
        if (b->size > keep->size) {
            sl__free(keep);
            keep = b;
        } else {
            sl__free(b);
        }
        b = n;
    }
    keep->next = NULL;
    a->head = keep;
    a->cur = keep->data;
    a->end = keep->data + keep->size;
    a->used = 0;
}

static void *new_block(sl__arena *a, size_t n) {
    size_t size = a->block_size;
    if (size < n) size = n;
    sl__arena_block *b = sl__malloc(sizeof *b + size);
    b->size = size;
    if (n > a->block_size / 2 && a->head) {
        /* big request: private block behind the current one */
        b->next = a->head->next;
        a->head->next = b;
        return b->data;
    }
    b->next = a->head;
    a->head = b;
    a->cur = b->data + n;
    a->end = b->data + size;
    if (a->block_size < ARENA_MAX_BLOCK) a->block_size *= 2;
    return b->data;
}

void *sl__arena_alloc_bytes(sl__arena *a, size_t n) {
    a->used += n;
    if (SL_LIKELY((size_t)(a->end - a->cur) >= n && a->cur)) {
        void *p = a->cur;
        a->cur += n;
        return p;
    }
    return new_block(a, n);
}

void *sl__arena_alloc(sl__arena *a, size_t n) {
    if (a->cur) {
        uintptr_t c = (uintptr_t)a->cur;
        uintptr_t al = (c + 7) & ~(uintptr_t)7;
        if (al <= (uintptr_t)a->end) a->cur = (char *)al;
    }
    return sl__arena_alloc_bytes(a, SL_ALIGN_UP(n ? n : 1, 8));
}

void *sl__arena_calloc(sl__arena *a, size_t n) {
    void *p = sl__arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *sl__arena_strndup(sl__arena *a, const char *s, size_t n) {
    char *p = sl__arena_alloc_bytes(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *sl__arena_strdup(sl__arena *a, const char *s) {
    return sl__arena_strndup(a, s, strlen(s));
}

char *sl__arena_sprintf(sl__arena *a, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *p = sl__arena_alloc_bytes(a, (size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t sl__arena_capacity(const sl__arena *a) {
    size_t t = 0;
    for (const sl__arena_block *b = a->head; b; b = b->next) t += b->size;
    return t;
}
