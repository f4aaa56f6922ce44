/*
 * lexer.c — the SQL tokenizer of lexer.h. Follows Spark SQL's lexical rules:
 * '--' and bracketed comments, single- or double-quoted strings with backslash
 * escapes (adjacent string literals are joined by the parser), backticks for
 * identifiers (a doubled backtick is a literal one), integer suffixes L/S/Y
 * and the D suffix for doubles.
 */
#include "sql/lexer.h"
#include <ctype.h>
#include <strings.h>

typedef struct lexer {
    const char *s;
    size_t len, pos;
    sl__arena *a;
    sl__tok *toks;
    size_t n, cap;
} lexer;

static sl__tok *push(lexer *lx, sl__tok_kind k, size_t pos, size_t len) {
    if (lx->n == lx->cap) {
        size_t nc = lx->cap ? lx->cap * 2 : 64;
        sl__tok *nt = sl__arena_alloc(lx->a, nc * sizeof *nt);
        if (lx->n) memcpy(nt, lx->toks, lx->n * sizeof *nt);
        lx->toks = nt;
        lx->cap = nc;
    }
    sl__tok *t = &lx->toks[lx->n++];
    memset(t, 0, sizeof *t);
    t->kind = k;
    t->pos = (uint32_t)pos;
    t->len = (uint32_t)len;
    t->text = "";
    return t;
}

static void error_tok(lexer *lx, size_t pos, const char *msg) {
    sl__tok *t = push(lx, TK_ERROR, pos, 1);
    t->text = msg;
    t->text_len = strlen(msg);
}

/* Skips spaces and comments. Returns false on an unterminated comment. */
static bool skip_space(lexer *lx) {
    for (;;) {
        while (lx->pos < lx->len && isspace((unsigned char)lx->s[lx->pos])) lx->pos++;
        if (lx->pos + 1 < lx->len && lx->s[lx->pos] == '-' && lx->s[lx->pos + 1] == '-') {
            while (lx->pos < lx->len && lx->s[lx->pos] != '\n') lx->pos++;
            continue;
        }
        if (lx->pos + 1 < lx->len && lx->s[lx->pos] == '/' && lx->s[lx->pos + 1] == '*') {
            size_t start = lx->pos;
            int depth = 0; /* Spark allows nested bracketed comments */
            while (lx->pos + 1 < lx->len) {
                if (lx->s[lx->pos] == '/' && lx->s[lx->pos + 1] == '*') {
                    depth++;
                    lx->pos += 2;
                } else if (lx->s[lx->pos] == '*' && lx->s[lx->pos + 1] == '/') {
                    depth--;
                    lx->pos += 2;
                    if (depth == 0) break;
                } else {
                    lx->pos++;
                }
            }
            if (depth != 0) {
                lx->pos = lx->len;
                error_tok(lx, start, "unterminated /* comment");
                return false;
            }
            continue;
        }
        return true;
    }
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void put_utf8(sl__buf *b, uint32_t cp) {
    if (cp < 0x80) {
        sl__buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        sl__buf_putc(b, (char)(0xC0 | (cp >> 6)));
        sl__buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        sl__buf_putc(b, (char)(0xE0 | (cp >> 12)));
        sl__buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        sl__buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        sl__buf_putc(b, (char)(0xF0 | (cp >> 18)));
        sl__buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
        sl__buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        sl__buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    }
}

/* A quoted string starting at lx->pos (quote char q). Spark unescapes
 * \n \t \r \b \0 \Z \% \_ \uXXXX and \<any> -> <any>. */
static void lex_string(lexer *lx) {
    size_t start = lx->pos;
    char q = lx->s[lx->pos++];
    sl__buf b = SL_BUF_INIT;
    for (;;) {
        if (lx->pos >= lx->len) {
            sl__buf_free(&b);
            error_tok(lx, start, "unterminated string literal");
            return;
        }
        char c = lx->s[lx->pos++];
        if (c == q) {
            /* SQL-standard doubled quote inside the literal */
            if (lx->pos < lx->len && lx->s[lx->pos] == q) {
                sl__buf_putc(&b, q);
                lx->pos++;
                continue;
            }
            break;
        }
        if (c == '\\' && lx->pos < lx->len) {
            char e = lx->s[lx->pos++];
            switch (e) {
            case 'n': sl__buf_putc(&b, '\n'); break;
            case 't': sl__buf_putc(&b, '\t'); break;
            case 'r': sl__buf_putc(&b, '\r'); break;
            case 'b': sl__buf_putc(&b, '\b'); break;
            case '0': sl__buf_putc(&b, '\0'); break;
            case 'Z': sl__buf_putc(&b, '\032'); break;
            case '%': sl__buf_puts(&b, "\\%"); break;
            case '_': sl__buf_puts(&b, "\\_"); break;
            case 'u': {
                uint32_t cp = 0;
                int k;
                for (k = 0; k < 4 && lx->pos < lx->len && hexval(lx->s[lx->pos]) >= 0; k++)
                    cp = cp * 16 + (uint32_t)hexval(lx->s[lx->pos++]);
                if (k == 4)
                    put_utf8(&b, cp);
                else
                    sl__buf_putc(&b, 'u');
                break;
            }
            default: sl__buf_putc(&b, e);
            }
            continue;
        }
        sl__buf_putc(&b, c);
    }
    sl__tok *t = push(lx, TK_STRING, start, lx->pos - start);
    t->text = sl__arena_strndup(lx->a, sl__buf_str(&b), b.len);
    t->text_len = b.len;
    sl__buf_free(&b);
}

static void lex_backtick(lexer *lx) {
    size_t start = lx->pos++;
    sl__buf b = SL_BUF_INIT;
    for (;;) {
        if (lx->pos >= lx->len) {
            sl__buf_free(&b);
            error_tok(lx, start, "unterminated `quoted` identifier");
            return;
        }
        char c = lx->s[lx->pos++];
        if (c == '`') {
            if (lx->pos < lx->len && lx->s[lx->pos] == '`') {
                sl__buf_putc(&b, '`');
                lx->pos++;
                continue;
            }
            break;
        }
        sl__buf_putc(&b, c);
    }
    sl__tok *t = push(lx, TK_QIDENT, start, lx->pos - start);
    t->text = sl__arena_strndup(lx->a, sl__buf_str(&b), b.len);
    t->text_len = b.len;
    sl__buf_free(&b);
}

static bool ident_char(char c) {
    return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

static void lex_number(lexer *lx) {
    size_t start = lx->pos;
    bool is_float = false;
    while (lx->pos < lx->len && isdigit((unsigned char)lx->s[lx->pos])) lx->pos++;
    if (lx->pos < lx->len && lx->s[lx->pos] == '.') {
        is_float = true;
        lx->pos++;
        while (lx->pos < lx->len && isdigit((unsigned char)lx->s[lx->pos])) lx->pos++;
    }
    if (lx->pos < lx->len && (lx->s[lx->pos] == 'e' || lx->s[lx->pos] == 'E')) {
        size_t save = lx->pos++;
        if (lx->pos < lx->len && (lx->s[lx->pos] == '+' || lx->s[lx->pos] == '-')) lx->pos++;
        if (lx->pos < lx->len && isdigit((unsigned char)lx->s[lx->pos])) {
            is_float = true;
            while (lx->pos < lx->len && isdigit((unsigned char)lx->s[lx->pos])) lx->pos++;
        } else {
            lx->pos = save;
        }
    }
    size_t numlen = lx->pos - start;
    char suffix = 0;
    if (lx->pos < lx->len) {
        char c = (char)toupper((unsigned char)lx->s[lx->pos]);
        bool next_is_ident = lx->pos + 1 < lx->len && ident_char(lx->s[lx->pos + 1]);
        if (!next_is_ident && (c == 'L' || c == 'S' || c == 'Y' || c == 'D')) {
            if (c == 'D' || !is_float) {
                suffix = c;
                lx->pos++;
            }
        }
    }
    if (lx->pos < lx->len && ident_char(lx->s[lx->pos]) &&
        !isdigit((unsigned char)lx->s[lx->pos])) {
        /* "1abc" is an identifier in Spark when it has letters: treat as one */
        while (lx->pos < lx->len && ident_char(lx->s[lx->pos])) lx->pos++;
        sl__tok *t = push(lx, TK_IDENT, start, lx->pos - start);
        t->text = sl__arena_strndup(lx->a, lx->s + start, lx->pos - start);
        t->text_len = lx->pos - start;
        return;
    }
    sl__tok *t =
        push(lx, (is_float || suffix == 'D') ? TK_NUMBER : TK_INTEGER, start, lx->pos - start);
    t->text = sl__arena_strndup(lx->a, lx->s + start, numlen);
    t->text_len = numlen;
    t->suffix = suffix;
}

uint32_t sl__lex_statement(const char *src, size_t len, sl__arena *a, sl__tok **out, size_t *end) {
    lexer lx = {src, len, 0, a, NULL, 0, 0};
    static const char *const ops3[] = {"<=>"};
    static const char *const ops2[] = {"<=", ">=", "<>", "!=", "==", "||", "->", "::"};
    for (;;) {
        if (!skip_space(&lx)) break;
        if (lx.pos >= len) break;
        char c = src[lx.pos];
        if (c == ';') {
            lx.pos++;
            break;
        }
        if (c == '\'' || c == '"') {
            lex_string(&lx);
        } else if (c == '`') {
            lex_backtick(&lx);
        } else if (isdigit((unsigned char)c) ||
                   (c == '.' && lx.pos + 1 < len && isdigit((unsigned char)src[lx.pos + 1]))) {
            lex_number(&lx);
        } else if (ident_char(c)) {
            size_t start = lx.pos;
            while (lx.pos < len && ident_char(src[lx.pos])) lx.pos++;
            sl__tok *t = push(&lx, TK_IDENT, start, lx.pos - start);
            t->text = sl__arena_strndup(a, src + start, lx.pos - start);
            t->text_len = lx.pos - start;
        } else {
            size_t start = lx.pos, n = 0;
            for (size_t i = 0; i < SL_ARRAY_LEN(ops3) && !n; i++)
                if (lx.pos + 3 <= len && memcmp(src + lx.pos, ops3[i], 3) == 0) n = 3;
            for (size_t i = 0; i < SL_ARRAY_LEN(ops2) && !n; i++)
                if (lx.pos + 2 <= len && memcmp(src + lx.pos, ops2[i], 2) == 0) n = 2;
            if (!n && strchr("()[],.*+-/%=<>&|^~:{}!?", c)) n = 1;
            if (!n) {
                error_tok(&lx, start, "unexpected character");
                lx.pos++;
                continue;
            }
            lx.pos += n;
            sl__tok *t = push(&lx, TK_OP, start, n);
            t->text = sl__arena_strndup(a, src + start, n);
            t->text_len = n;
        }
        if (lx.n && lx.toks[lx.n - 1].kind == TK_ERROR) {
            /* stop at the first lexical error, but still find the statement end */
            bool in_q = false;
            char q = 0;
            while (lx.pos < len) {
                char ch = src[lx.pos++];
                if (in_q) {
                    if (ch == '\\')
                        lx.pos++;
                    else if (ch == q)
                        in_q = false;
                } else if (ch == '\'' || ch == '"' || ch == '`') {
                    in_q = true;
                    q = ch;
                } else if (ch == ';') {
                    break;
                }
            }
            break;
        }
    }
    /* the EOF token points at the end of the statement's last token */
    size_t eof_pos = lx.n ? lx.toks[lx.n - 1].pos + lx.toks[lx.n - 1].len : lx.pos;
    uint32_t n = (uint32_t)lx.n;
    sl__tok *t = push(&lx, TK_EOF, eof_pos, 0);
    (void)t;
    *out = lx.toks;
    *end = lx.pos;
    return n;
}

bool sl__tok_is(const sl__tok *t, const char *kw) {
    return t->kind == TK_IDENT && strlen(kw) == t->text_len && strcasecmp(t->text, kw) == 0;
}

bool sl__tok_op(const sl__tok *t, const char *op) {
    return t->kind == TK_OP && strcmp(t->text, op) == 0;
}

bool sl_statement_complete(const char *sql, size_t len) {
    /* a cheap scan that agrees with the lexer about quotes and comments */
    size_t i = 0;
    while (i < len) {
        char c = sql[i];
        if (c == '-' && i + 1 < len && sql[i + 1] == '-') {
            while (i < len && sql[i] != '\n') i++;
            continue;
        }
        if (c == '/' && i + 1 < len && sql[i + 1] == '*') {
            int depth = 0;
            while (i + 1 < len) {
                if (sql[i] == '/' && sql[i + 1] == '*') {
                    depth++;
                    i += 2;
                } else if (sql[i] == '*' && sql[i + 1] == '/') {
                    depth--;
                    i += 2;
                    if (!depth) break;
                } else {
                    i++;
                }
            }
            if (depth) return false;
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            char q = c;
            i++;
            for (;;) {
                if (i >= len) return false;
                if (sql[i] == '\\' && q != '`') {
                    i += 2;
                    continue;
                }
                if (sql[i] == q) {
                    i++;
                    break;
                }
                i++;
            }
            continue;
        }
        if (c == ';') return true;
        i++;
    }
    return false;
}
