/*
 * arena.h — bump allocator for things that die together: a statement's
 * tokens, AST and plan; the strings a batch of rows produced. Allocation is a
 * pointer increment; freeing is per arena (reset keeps the first block for
 * reuse). Pointers into an arena are valid until its reset or free.
 */
#ifndef SL_ARENA_H
#define SL_ARENA_H

typedef struct sl__arena_block sl__arena_block;

typedef struct sl__arena {
    sl__arena_block *head; /* owned: newest block first */
    char *cur;             /* next free byte in head */
    char *end;             /* end of head's usable space */
    size_t block_size;     /* size of the next ordinary block */
    size_t used;           /* bytes handed out since the last reset */
} sl__arena;

/* Initialises an empty arena; no memory is taken until the first alloc. */
void sl__arena_init(sl__arena *a, size_t block_size);
/* Frees every block. The arena may be used again afterwards. */
void sl__arena_free(sl__arena *a);
/* Forgets every allocation but keeps one block for reuse. */
void sl__arena_reset(sl__arena *a);
/* n bytes, 8-aligned. Never NULL. */
void *sl__arena_alloc(sl__arena *a, size_t n);
/* n bytes, not aligned (string data). Never NULL. */
void *sl__arena_alloc_bytes(sl__arena *a, size_t n);
void *sl__arena_calloc(sl__arena *a, size_t n);
char *sl__arena_strndup(sl__arena *a, const char *s, size_t n);
char *sl__arena_strdup(sl__arena *a, const char *s);
char *sl__arena_sprintf(sl__arena *a, const char *fmt, ...) SL_PRINTF(2, 3);
/* Bytes held by the arena's blocks (what it costs in memory). */
size_t sl__arena_capacity(const sl__arena *a);

#endif
