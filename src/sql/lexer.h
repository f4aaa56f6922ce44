/*
 * lexer.h — turns SQL text into tokens, each with its byte offset so every
 * later error can point at the exact place. Keywords are not separate token
 * kinds: Spark has hundreds of non-reserved keywords, so the parser compares
 * identifier tokens against the word it expects (sl__tok_is).
 */
#ifndef SL_LEXER_H
#define SL_LEXER_H

#include "base/base.h"

typedef enum sl__tok_kind {
    TK_EOF = 0,
    TK_IDENT,   /* bare word: letters, digits, '_' (may be a keyword) */
    TK_QIDENT,  /* `back-ticked` identifier; text is the unquoted name */
    TK_STRING,  /* '...' or "..."; text is the decoded value */
    TK_INTEGER, /* 123, 123L, 12S, 1Y; suffix kept in `suffix` */
    TK_NUMBER,  /* 1.5, 1e3, .5, 1.5D */
    TK_OP,      /* punctuation and operators; text holds it ("<=>", "(") */
    TK_ERROR    /* a lexical error; text holds the message */
} sl__tok_kind;

typedef struct sl__tok {
    sl__tok_kind kind;
    uint32_t pos;     /* byte offset in the statement text */
    uint32_t len;     /* bytes in the source */
    const char *text; /* decoded text (arena), NUL-terminated */
    size_t text_len;
    char suffix; /* TK_INTEGER/TK_NUMBER: 'L', 'S', 'Y', 'D' or 0 */
} sl__tok;

/*
 * Lexes src[0, len) up to and including the first ';' outside quotes and
 * comments (or to the end). The token array ends with a TK_EOF whose pos is
 * the end of the statement; *end receives the offset just past the ';'.
 * Tokens and decoded text live in arena a. Returns the number of tokens
 * before TK_EOF; a lexical error is reported as one TK_ERROR token.
 */
uint32_t sl__lex_statement(const char *src, size_t len, sl__arena *a, sl__tok **out, size_t *end);

/* Case-insensitive: is this identifier token the word kw? */
bool sl__tok_is(const sl__tok *t, const char *kw);
/* Is this an operator token with exactly this text? */
bool sl__tok_op(const sl__tok *t, const char *op);

#endif
