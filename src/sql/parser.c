/*
 * parser.c — recursive-descent parser for sluice's SQL: Spark SQL's query
 * syntax plus the streaming statements (CREATE STREAM, START/STOP/AWAIT
 * QUERY, SHOW QUERIES ...). It builds the tree of ast.h and nothing else: no
 * name is looked up here. Every error names the byte it failed at and what
 * was expected there ("expected an expression, found ')'").
 *
 * Expression precedence, lowest first, as in Spark's grammar:
 *   OR · AND · NOT · predicates (IS NULL, [NOT] IN/BETWEEN/LIKE/RLIKE) ·
 *   comparisons (= == <> != < <= > >= <=>) · | · ^ · & · + - || ·
 *   * / % DIV · unary - + ~ · postfix ([i], .field, ::type) · primary
 */
#include "sql/ast.h"
#include "sql/lexer.h"
#include "types/interval.h"
#include <errno.h>
#include <math.h>
#include <strings.h>

typedef struct parser {
    const char *src;
    const sl__tok *t;
    uint32_t n, i;
    sl__arena *a;
    sl__err *err;
    int depth;
    bool minus_operand; /* the next parse_unary parses the operand of a unary '-' */
} parser;

#define MAX_DEPTH 200

/* Words that end an expression or select item: never taken as an implicit
 * alias. (They may still be used as names with backticks.) */
static const char *const reserved[] = {
    "ALL",     "AND",    "ANTI",      "AS",      "ASC",      "BETWEEN",    "BY",        "CASE",
    "CLUSTER", "CROSS",  "DELAY",     "DESC",    "DISTINCT", "DISTRIBUTE", "DIV",       "ELSE",
    "END",     "EXCEPT", "FOR",       "FROM",    "FULL",     "GROUP",      "HAVING",    "ILIKE",
    "IN",      "INNER",  "INTERSECT", "IS",      "JOIN",     "LATERAL",    "LEFT",      "LIKE",
    "LIMIT",   "MINUS",  "NATURAL",   "NOT",     "NULLS",    "OFFSET",     "ON",        "OR",
    "ORDER",   "OUTER",  "OVER",      "QUALIFY", "REGEXP",   "RIGHT",      "RLIKE",     "SELECT",
    "SEMI",    "SORT",   "THEN",      "UNION",   "USING",    "VALUES",     "WATERMARK", "WHEN",
    "WHERE",   "WINDOW", "WITH",
};

static bool is_reserved(const sl__tok *t) {
    if (t->kind != TK_IDENT) return false;
    for (size_t i = 0; i < SL_ARRAY_LEN(reserved); i++)
        if (sl__tok_is(t, reserved[i])) return true;
    return false;
}

static const sl__tok *cur(parser *p) {
    return &p->t[p->i];
}
static const sl__tok *peek(parser *p, uint32_t k) {
    uint32_t j = p->i + k;
    return &p->t[j < p->n ? j : p->n];
}
static void adv(parser *p) {
    if (p->i < p->n) p->i++;
}
static bool failed(parser *p) {
    return p->err->code != SL_OK;
}

static void describe_tok(const sl__tok *t, char *buf, size_t cap) {
    switch (t->kind) {
    case TK_EOF: snprintf(buf, cap, "end of input"); break;
    case TK_STRING: snprintf(buf, cap, "string '%.40s'", t->text); break;
    case TK_QIDENT: snprintf(buf, cap, "`%.40s`", t->text); break;
    default: snprintf(buf, cap, "'%.40s'", t->text);
    }
}

/* Records "expected X, found Y" at the current token (first error wins). */
static void *expected(parser *p, const char *what) {
    if (failed(p)) return NULL;
    const sl__tok *t = cur(p);
    if (t->kind == TK_ERROR) {
        sl__err_set(p->err, SL_ERR_PARSE, t->pos, "%s", t->text);
        return NULL;
    }
    char found[64];
    describe_tok(t, found, sizeof found);
    sl__err_set(p->err, SL_ERR_PARSE, t->pos, "syntax error at or near %s: expected %s", found,
                what);
    return NULL;
}

static bool accept_kw(parser *p, const char *kw) {
    if (sl__tok_is(cur(p), kw)) {
        adv(p);
        return true;
    }
    return false;
}

static bool accept_op(parser *p, const char *op) {
    if (sl__tok_op(cur(p), op)) {
        adv(p);
        return true;
    }
    return false;
}

static bool expect_kw(parser *p, const char *kw) {
    if (accept_kw(p, kw)) return true;
    char w[64];
    snprintf(w, sizeof w, "%s", kw);
    expected(p, w);
    return false;
}

static bool expect_op(parser *p, const char *op) {
    if (accept_op(p, op)) return true;
    char w[64];
    snprintf(w, sizeof w, "'%s'", op);
    expected(p, w);
    return false;
}

static void *pnew(parser *p, size_t n) {
    return sl__arena_calloc(p->a, n);
}

static sl__ast *node(parser *p, sl__ast_kind k, uint32_t pos) {
    sl__ast *e = pnew(p, sizeof *e);
    e->kind = k;
    e->pos = pos;
    e->end = pos;
    return e;
}

static uint32_t prev_end(parser *p) {
    if (p->i == 0) return 0;
    const sl__tok *t = &p->t[p->i - 1];
    return t->pos + t->len;
}

/* A growable pointer list living in the arena. */
typedef struct plist {
    void **v;
    uint32_t n, cap;
} plist;

static void plist_push(parser *p, plist *l, void *x) {
    if (l->n == l->cap) {
        uint32_t nc = l->cap ? l->cap * 2 : 4;
        void **nv = sl__arena_alloc(p->a, nc * sizeof *nv);
        if (l->n) memcpy(nv, l->v, l->n * sizeof *nv);
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = x;
}

/* An identifier (bare word that is not reserved, or backticked). */
static const char *ident(parser *p, const char *what) {
    const sl__tok *t = cur(p);
    if (t->kind == TK_QIDENT || (t->kind == TK_IDENT && !is_reserved(t))) {
        adv(p);
        return t->text;
    }
    return expected(p, what);
}

/* Any identifier, reserved words included (after '.', in option keys). */
static const char *any_ident(parser *p, const char *what) {
    const sl__tok *t = cur(p);
    if (t->kind == TK_QIDENT || t->kind == TK_IDENT) {
        adv(p);
        return t->text;
    }
    return expected(p, what);
}

static sl__ast *parse_expr(parser *p);
static sl__query *parse_query(parser *p);
static sl__rel *parse_from(parser *p);

static bool starts_query(parser *p) {
    const sl__tok *t = cur(p);
    return sl__tok_is(t, "SELECT") || sl__tok_is(t, "VALUES") || sl__tok_is(t, "WITH") ||
           sl__tok_is(t, "TABLE") || sl__tok_is(t, "FROM");
}

/* Is the token after '(' the start of a subquery? */
static bool paren_query(parser *p) {
    if (!sl__tok_op(cur(p), "(")) return false;
    uint32_t k = 1;
    while (sl__tok_op(peek(p, k), "(")) k++;
    const sl__tok *t = peek(p, k);
    return sl__tok_is(t, "SELECT") || sl__tok_is(t, "VALUES") || sl__tok_is(t, "WITH");
}

/* ---- literals ----------------------------------------------------------- */

static sl__ast *parse_number(parser *p) {
    const sl__tok *t = cur(p);
    sl__ast *e = node(p, A_LITERAL, t->pos);
    adv(p);
    e->end = t->pos + t->len;
    if (t->kind == TK_NUMBER) {
        e->lit.type = SL_TYPE_DOUBLE;
        e->lit.d = strtod(t->text, NULL);
        return e;
    }
    errno = 0;
    char *endp;
    unsigned long long v = strtoull(t->text, &endp, 10);
    bool overflow = errno == ERANGE || v > (unsigned long long)INT64_MAX + 1;
    if (overflow) {
        /* too big for BIGINT: Spark makes it a decimal; we use DOUBLE */
        e->lit.type = SL_TYPE_DOUBLE;
        e->lit.d = strtod(t->text, NULL);
        return e;
    }
    e->lit.i = (int64_t)v;
    if (v == (unsigned long long)INT64_MAX + 1) {
        /* only valid under a unary minus; parse_unary folds it */
        e->lit.type = SL_TYPE_BIGINT;
        e->lit.i = INT64_MIN;
        return e;
    }
    switch (t->suffix) {
    case 'L': e->lit.type = SL_TYPE_BIGINT; break;
    case 'S':
        if (v > 32767) {
            sl__err_set(p->err, SL_ERR_PARSE, t->pos, "%s is out of range for SMALLINT", t->text);
            return NULL;
        }
        e->lit.type = SL_TYPE_SMALLINT;
        break;
    case 'Y':
        if (v > 127) {
            sl__err_set(p->err, SL_ERR_PARSE, t->pos, "%s is out of range for TINYINT", t->text);
            return NULL;
        }
        e->lit.type = SL_TYPE_SMALLINT;
        break;
    default: e->lit.type = v <= INT32_MAX ? SL_TYPE_INT : SL_TYPE_BIGINT;
    }
    return e;
}

static sl__ast *parse_string_lit(parser *p) {
    const sl__tok *t = cur(p);
    sl__ast *e = node(p, A_LITERAL, t->pos);
    e->lit.type = SL_TYPE_STRING;
    adv(p);
    if (cur(p)->kind != TK_STRING) {
        e->lit.s = t->text;
        e->lit.slen = t->text_len;
        e->end = t->pos + t->len;
        return e;
    }
    /* adjacent literals are concatenated: 'a' 'b' = 'ab' */
    sl__buf b = SL_BUF_INIT;
    sl__buf_append(&b, t->text, t->text_len);
    while (cur(p)->kind == TK_STRING) {
        sl__buf_append(&b, cur(p)->text, cur(p)->text_len);
        adv(p);
    }
    e->lit.s = sl__arena_strndup(p->a, sl__buf_str(&b), b.len);
    e->lit.slen = b.len;
    sl__buf_free(&b);
    e->end = prev_end(p);
    return e;
}

/* INTERVAL 10 SECONDS | INTERVAL '10' SECOND | INTERVAL '10 seconds' |
 * INTERVAL 1 DAY 2 HOURS | INTERVAL -5 MINUTES */
static sl__ast *parse_interval(parser *p, uint32_t pos) {
    double total = 0;
    int parts = 0;
    for (;;) {
        const sl__tok *t = cur(p);
        bool neg = false;
        if (sl__tok_op(t, "-") &&
            (peek(p, 1)->kind == TK_INTEGER || peek(p, 1)->kind == TK_NUMBER ||
             peek(p, 1)->kind == TK_STRING)) {
            neg = true;
            adv(p);
            t = cur(p);
        }
        if (t->kind == TK_STRING) {
            adv(p);
            /* a unit may follow: INTERVAL '10' MINUTE */
            const sl__tok *u = cur(p);
            int64_t unit = u->kind == TK_IDENT ? sl__interval_unit(u->text, u->text_len) : 0;
            if (unit > 0) {
                adv(p);
                char *endp;
                double v = strtod(t->text, &endp);
                while (*endp == ' ') endp++;
                if (*endp || endp == t->text) {
                    sl__err_set(p->err, SL_ERR_PARSE, t->pos,
                                "'%s' is not a number for INTERVAL ... %s", t->text, u->text);
                    return NULL;
                }
                total += (neg ? -v : v) * (double)unit;
            } else if (unit < 0) {
                sl__err_set(p->err, SL_ERR_UNSUPPORTED, u->pos,
                            "month and year intervals are not supported (use days or smaller)");
                return NULL;
            } else {
                int64_t us;
                sl__err e2;
                sl__err_clear(&e2);
                if (!sl__interval_parse(t->text, t->text_len, &us, &e2)) {
                    sl__err_set(p->err, e2.code, t->pos, "%s", e2.msg);
                    return NULL;
                }
                total += neg ? -(double)us : (double)us;
            }
            parts++;
        } else if (t->kind == TK_INTEGER || t->kind == TK_NUMBER) {
            adv(p);
            const sl__tok *u = cur(p);
            int64_t unit = u->kind == TK_IDENT ? sl__interval_unit(u->text, u->text_len) : 0;
            if (unit == 0) {
                expected(p, "an interval unit (SECONDS, MINUTES, HOURS, DAYS, ...)");
                return NULL;
            }
            if (unit < 0) {
                sl__err_set(p->err, SL_ERR_UNSUPPORTED, u->pos,
                            "month and year intervals are not supported (use days or smaller)");
                return NULL;
            }
            adv(p);
            double v = strtod(t->text, NULL);
            total += (neg ? -v : v) * (double)unit;
            parts++;
        } else {
            break;
        }
        /* INTERVAL '1' DAY TO SECOND style qualifiers are accepted and ignored */
        if (accept_kw(p, "TO")) {
            if (cur(p)->kind != TK_IDENT) return expected(p, "an interval unit after TO");
            adv(p);
        }
    }
    if (!parts) return expected(p, "an interval value such as 10 SECONDS or '5 minutes'");
    sl__ast *e = node(p, A_INTERVAL, pos);
    e->lit.type = SL_TYPE_INTERVAL;
    e->lit.i = (int64_t)llround(total);
    e->end = prev_end(p);
    return e;
}

/* ---- primary expressions ------------------------------------------------ */

static sl__ast **list_to_args(parser *p, plist *l) {
    (void)p;
    return (sl__ast **)l->v;
}

/* Arguments of f( ... ) after the '('. */
static bool parse_call_args(parser *p, sl__ast *f) {
    if (accept_op(p, ")")) return true;
    if (accept_kw(p, "DISTINCT"))
        f->distinct = true;
    else
        accept_kw(p, "ALL");
    if (sl__tok_op(cur(p), "*") && sl__tok_op(peek(p, 1), ")")) {
        f->star = true;
        adv(p);
        adv(p);
        return true;
    }
    plist l = {0};
    do {
        sl__ast *x = parse_expr(p);
        if (!x) return false;
        plist_push(p, &l, x);
    } while (accept_op(p, ","));
    if (!expect_op(p, ")")) return false;
    f->args = list_to_args(p, &l);
    f->n_args = l.n;
    return true;
}

static sl__ast *parse_case(parser *p, uint32_t pos) {
    sl__ast *e = node(p, A_CASE, pos);
    if (!sl__tok_is(cur(p), "WHEN")) {
        e->a = parse_expr(p);
        if (!e->a) return NULL;
    }
    plist l = {0};
    while (accept_kw(p, "WHEN")) {
        sl__ast *w = parse_expr(p);
        if (!w || !expect_kw(p, "THEN")) return NULL;
        sl__ast *t = parse_expr(p);
        if (!t) return NULL;
        plist_push(p, &l, w);
        plist_push(p, &l, t);
    }
    if (!l.n) return expected(p, "WHEN");
    if (accept_kw(p, "ELSE")) {
        e->c = parse_expr(p);
        if (!e->c) return NULL;
    }
    if (!expect_kw(p, "END")) return NULL;
    e->args = list_to_args(p, &l);
    e->n_args = l.n;
    e->end = prev_end(p);
    return e;
}

static const sl__type *parse_type_here(parser *p) {
    /* hand the raw text to the type parser, then skip the tokens it used */
    const sl__tok *t = cur(p);
    size_t pos = t->pos;
    size_t limit = p->t[p->n].pos + p->t[p->n].len;
    const sl__type *ty;
    if (t->kind == TK_EOF) return expected(p, "a type");
    if (sl__type_parse(p->src, limit, &pos, &ty, p->err) != SL_OK) return NULL;
    while (p->i < p->n && cur(p)->pos < pos) adv(p);
    return ty;
}

static sl__ast *parse_cast(parser *p, uint32_t pos, bool try_) {
    if (!expect_op(p, "(")) return NULL;
    sl__ast *e = node(p, A_CAST, pos);
    e->op = try_ ? 1 : 0;
    e->a = parse_expr(p);
    if (!e->a || !expect_kw(p, "AS")) return NULL;
    e->type = parse_type_here(p);
    if (!e->type || !expect_op(p, ")")) return NULL;
    e->end = prev_end(p);
    return e;
}

static sl__ast *make_func(parser *p, const char *name, uint32_t pos, int n, sl__ast *a0,
                          sl__ast *a1, sl__ast *a2) {
    sl__ast *f = node(p, A_FUNC, pos);
    f->name = name;
    f->args = pnew(p, sizeof(sl__ast *) * 3);
    f->args[0] = a0;
    f->args[1] = a1;
    f->args[2] = a2;
    f->n_args = (uint32_t)n;
    f->end = prev_end(p);
    return f;
}

static sl__ast *parse_primary(parser *p) {
    const sl__tok *t = cur(p);
    uint32_t pos = t->pos;
    switch (t->kind) {
    case TK_INTEGER:
    case TK_NUMBER: return parse_number(p);
    case TK_STRING: return parse_string_lit(p);
    case TK_ERROR: return expected(p, "an expression");
    case TK_EOF: return expected(p, "an expression");
    case TK_OP:
        if (sl__tok_op(t, "(")) {
            if (paren_query(p)) {
                adv(p);
                sl__ast *e = node(p, A_SUBQUERY, pos);
                e->sub = parse_query(p);
                if (!e->sub || !expect_op(p, ")")) return NULL;
                e->end = prev_end(p);
                return e;
            }
            adv(p);
            sl__ast *e = parse_expr(p);
            if (!e) return NULL;
            if (sl__tok_op(cur(p), ",")) {
                /* (a, b, ...) builds a struct, as in Spark */
                plist l = {0};
                plist_push(p, &l, e);
                while (accept_op(p, ",")) {
                    sl__ast *x = parse_expr(p);
                    if (!x) return NULL;
                    plist_push(p, &l, x);
                }
                if (!expect_op(p, ")")) return NULL;
                sl__ast *f = node(p, A_FUNC, pos);
                f->name = "struct";
                f->args = list_to_args(p, &l);
                f->n_args = l.n;
                f->end = prev_end(p);
                return f;
            }
            if (!expect_op(p, ")")) return NULL;
            /* keep the parenthesised span so names like "(a + 1)" come out right */
            return e;
        }
        if (sl__tok_op(t, "*")) {
            adv(p);
            sl__ast *e = node(p, A_STAR, pos);
            e->end = prev_end(p);
            return e;
        }
        return expected(p, "an expression");
    case TK_QIDENT:
    case TK_IDENT: break;
    }

    /* keywords that start expressions */
    if (t->kind == TK_IDENT) {
        if (sl__tok_is(t, "NULL")) {
            adv(p);
            sl__ast *e = node(p, A_LITERAL, pos);
            e->lit.type = SL_TYPE_NULL;
            e->end = prev_end(p);
            return e;
        }
        if (sl__tok_is(t, "TRUE") || sl__tok_is(t, "FALSE")) {
            adv(p);
            sl__ast *e = node(p, A_LITERAL, pos);
            e->lit.type = SL_TYPE_BOOLEAN;
            e->lit.i = sl__tok_is(t, "TRUE");
            e->end = prev_end(p);
            return e;
        }
        if (sl__tok_is(t, "CASE")) {
            adv(p);
            return parse_case(p, pos);
        }
        if ((sl__tok_is(t, "CAST") || sl__tok_is(t, "TRY_CAST")) && sl__tok_op(peek(p, 1), "(")) {
            bool try_ = sl__tok_is(t, "TRY_CAST");
            adv(p);
            return parse_cast(p, pos, try_);
        }
        if (sl__tok_is(t, "INTERVAL") && !sl__tok_op(peek(p, 1), "(")) {
            adv(p);
            return parse_interval(p, pos);
        }
        if ((sl__tok_is(t, "TIMESTAMP") || sl__tok_is(t, "DATE") ||
             sl__tok_is(t, "TIMESTAMP_LTZ")) &&
            peek(p, 1)->kind == TK_STRING) {
            bool is_date = sl__tok_is(t, "DATE");
            adv(p);
            sl__ast *s = parse_string_lit(p);
            sl__ast *e = node(p, A_CAST, pos);
            e->a = s;
            e->type = is_date ? SL_T_DATE : SL_T_TS;
            e->op = 2; /* typed literal: a bad value is an error, not NULL */
            e->end = prev_end(p);
            return e;
        }
        if (sl__tok_is(t, "EXISTS") && sl__tok_op(peek(p, 1), "(")) {
            sl__err_set(p->err, SL_ERR_UNSUPPORTED, pos, "EXISTS subqueries are not supported");
            return NULL;
        }
        if (sl__tok_is(t, "EXTRACT") && sl__tok_op(peek(p, 1), "(")) {
            adv(p);
            adv(p);
            const sl__tok *field = cur(p);
            if (field->kind != TK_IDENT && field->kind != TK_STRING)
                return expected(p, "a field name (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)");
            adv(p);
            if (!expect_kw(p, "FROM")) return NULL;
            sl__ast *x = parse_expr(p);
            if (!x || !expect_op(p, ")")) return NULL;
            sl__ast *fl = node(p, A_LITERAL, field->pos);
            fl->lit.type = SL_TYPE_STRING;
            fl->lit.s = field->text;
            fl->lit.slen = field->text_len;
            return make_func(p, "extract", pos, 2, fl, x, NULL);
        }
        if (sl__tok_is(t, "TRIM") && sl__tok_op(peek(p, 1), "(")) {
            /* TRIM([BOTH|LEADING|TRAILING] [chars] FROM s) or TRIM(s) */
            const sl__tok *w = peek(p, 2);
            const char *fname = NULL;
            if (sl__tok_is(w, "BOTH"))
                fname = "trim";
            else if (sl__tok_is(w, "LEADING"))
                fname = "ltrim";
            else if (sl__tok_is(w, "TRAILING"))
                fname = "rtrim";
            bool has_from = false;
            for (uint32_t k = 2; k < 8 && peek(p, k)->kind != TK_EOF; k++)
                if (sl__tok_is(peek(p, k), "FROM")) has_from = true;
            if (fname || has_from) {
                adv(p);
                adv(p);
                if (fname)
                    adv(p);
                else
                    fname = "trim";
                sl__ast *chars = NULL;
                if (!sl__tok_is(cur(p), "FROM")) {
                    chars = parse_expr(p);
                    if (!chars) return NULL;
                }
                if (!expect_kw(p, "FROM")) return NULL;
                sl__ast *s = parse_expr(p);
                if (!s || !expect_op(p, ")")) return NULL;
                return make_func(p, fname, pos, chars ? 2 : 1, s, chars, NULL);
            }
        }
        if ((sl__tok_is(t, "SUBSTRING") || sl__tok_is(t, "SUBSTR")) &&
            sl__tok_op(peek(p, 1), "(")) {
            /* SUBSTRING(s FROM a [FOR b]) besides the call form */
            uint32_t save = p->i;
            adv(p);
            adv(p);
            sl__ast *s = parse_expr(p);
            if (s && accept_kw(p, "FROM")) {
                sl__ast *from = parse_expr(p);
                if (!from) return NULL;
                sl__ast *len = NULL;
                if (accept_kw(p, "FOR")) {
                    len = parse_expr(p);
                    if (!len) return NULL;
                }
                if (!expect_op(p, ")")) return NULL;
                return make_func(p, "substring", pos, len ? 3 : 2, s, from, len);
            }
            if (failed(p)) return NULL;
            p->i = save;
        }
    }

    /* identifier path, function call, or qualified star */
    const char *first = any_ident(p, "an expression");
    if (!first) return NULL;
    /* reserved words are not names, except LEFT and RIGHT, which are also
     * functions: left(str, n), right(str, n), and WINDOW, the event-time
     * window function and the column it makes (window(ts, ...),
     * window.start): only a clause after a whole expression reserves it */
    if (t->kind == TK_IDENT && is_reserved(t) && !sl__tok_is(t, "WINDOW") &&
        !((sl__tok_is(t, "LEFT") || sl__tok_is(t, "RIGHT")) && sl__tok_op(cur(p), "("))) {
        p->i--;
        return expected(p, "an expression");
    }
    if (sl__tok_op(cur(p), "(") && t->kind == TK_IDENT) {
        adv(p);
        sl__ast *f = node(p, A_FUNC, pos);
        f->name = first;
        if (!parse_call_args(p, f)) return NULL;
        f->end = prev_end(p);
        if (sl__tok_is(cur(p), "OVER")) {
            sl__err_set(p->err, SL_ERR_UNSUPPORTED, cur(p)->pos,
                        "window functions (OVER ...) are not supported; for event-time windows "
                        "use GROUP BY window(ts, '10 seconds')");
            return NULL;
        }
        if (sl__tok_is(cur(p), "FILTER")) {
            sl__err_set(p->err, SL_ERR_UNSUPPORTED, cur(p)->pos,
                        "aggregate FILTER clauses are not supported; use CASE WHEN inside the "
                        "aggregate");
            return NULL;
        }
        return f;
    }
    plist parts = {0};
    plist_push(p, &parts, (void *)first);
    while (sl__tok_op(cur(p), ".")) {
        if (sl__tok_op(peek(p, 1), "*")) {
            adv(p);
            adv(p);
            sl__ast *e = node(p, A_STAR, pos);
            e->parts = (const char **)parts.v;
            e->n_parts = parts.n;
            e->end = prev_end(p);
            return e;
        }
        adv(p);
        const char *nm = any_ident(p, "a field name after '.'");
        if (!nm) return NULL;
        plist_push(p, &parts, (void *)nm);
    }
    sl__ast *e = node(p, A_COLUMN, pos);
    e->parts = (const char **)parts.v;
    e->n_parts = parts.n;
    e->end = prev_end(p);
    return e;
}

static sl__ast *parse_postfix(parser *p) {
    sl__ast *e = parse_primary(p);
    while (e) {
        uint32_t pos = e->pos;
        if (accept_op(p, "[")) {
            sl__ast *s = node(p, A_SUBSCRIPT, pos);
            s->a = e;
            s->b = parse_expr(p);
            if (!s->b || !expect_op(p, "]")) return NULL;
            s->end = prev_end(p);
            e = s;
        } else if (sl__tok_op(cur(p), ".") && e->kind != A_COLUMN && e->kind != A_STAR) {
            adv(p);
            sl__ast *f = node(p, A_FIELD, pos);
            f->a = e;
            f->name = any_ident(p, "a field name after '.'");
            if (!f->name) return NULL;
            f->end = prev_end(p);
            e = f;
        } else if (accept_op(p, "::")) {
            sl__ast *c = node(p, A_CAST, pos);
            c->a = e;
            c->type = parse_type_here(p);
            if (!c->type) return NULL;
            c->end = prev_end(p);
            e = c;
        } else {
            break;
        }
    }
    return e;
}

static sl__ast *parse_unary(parser *p) {
    const sl__tok *t = cur(p);
    bool minus_operand = p->minus_operand;
    p->minus_operand = false;
    if (sl__tok_op(t, "-") || sl__tok_op(t, "+") || sl__tok_op(t, "~")) {
        if (++p->depth > MAX_DEPTH) {
            sl__err_set(p->err, SL_ERR_PARSE, t->pos, "expression nested too deeply");
            return NULL;
        }
        adv(p);
        /* "-9223372036854775808": the digits right after the sign */
        p->minus_operand =
            sl__tok_op(t, "-") && cur(p)->kind == TK_INTEGER && cur(p)->pos == t->pos + 1;
        sl__ast *x = parse_unary(p);
        p->depth--;
        if (!x) return NULL;
        if (sl__tok_op(t, "-") && x->kind == A_LITERAL &&
            (x->lit.type == SL_TYPE_INT || x->lit.type == SL_TYPE_BIGINT ||
             x->lit.type == SL_TYPE_SMALLINT || x->lit.type == SL_TYPE_DOUBLE) &&
            x->pos == t->pos + 1) {
            /* fold "-5" into a literal so -2147483648 stays an INT */
            if (x->lit.type == SL_TYPE_DOUBLE)
                x->lit.d = -x->lit.d;
            else {
                x->lit.i = (int64_t)(0 - (uint64_t)x->lit.i);
                if (x->lit.type == SL_TYPE_BIGINT && x->lit.i >= INT32_MIN &&
                    x->lit.i <= INT32_MAX && p->t[p->i - 1].suffix != 'L')
                    x->lit.type = SL_TYPE_INT;
            }
            x->pos = t->pos;
            return x;
        }
        if (x->kind == A_LITERAL && x->lit.type == SL_TYPE_BIGINT && x->lit.i == INT64_MIN &&
            !sl__tok_op(t, "-")) {
            sl__err_set(p->err, SL_ERR_PARSE, x->pos, "integer literal out of range");
            return NULL;
        }
        sl__ast *e = node(p, A_UNARY, t->pos);
        e->op = sl__tok_op(t, "-") ? OP_NEG : sl__tok_op(t, "+") ? OP_PLUS : OP_BITNOT;
        e->a = x;
        e->end = x->end;
        return e;
    }
    sl__ast *x = parse_postfix(p);
    if (x && !minus_operand && x->kind == A_LITERAL && x->lit.type == SL_TYPE_BIGINT &&
        x->lit.i == INT64_MIN) {
        /* 9223372036854775808 without a minus: does not fit BIGINT (under a
         * minus the caller folds it into the BIGINT -9223372036854775808) */
        x->lit.type = SL_TYPE_DOUBLE;
        x->lit.d = 9223372036854775808.0;
    }
    return x;
}

static sl__ast *binary(parser *p, sl__opcode op, sl__ast *l, sl__ast *r) {
    sl__ast *e = node(p, A_BINARY, l->pos);
    e->op = op;
    e->a = l;
    e->b = r;
    e->end = r->end;
    return e;
}

typedef sl__ast *(*level_fn)(parser *p);

static sl__ast *parse_mul(parser *p) {
    sl__ast *l = parse_unary(p);
    while (l) {
        sl__opcode op = OP_NONE;
        if (sl__tok_op(cur(p), "*"))
            op = OP_MUL;
        else if (sl__tok_op(cur(p), "/"))
            op = OP_DIV;
        else if (sl__tok_op(cur(p), "%"))
            op = OP_MOD;
        else if (sl__tok_is(cur(p), "DIV"))
            op = OP_IDIV;
        if (op == OP_NONE) break;
        adv(p);
        sl__ast *r = parse_unary(p);
        if (!r) return NULL;
        l = binary(p, op, l, r);
    }
    return l;
}

static sl__ast *parse_add(parser *p) {
    sl__ast *l = parse_mul(p);
    while (l) {
        sl__opcode op = OP_NONE;
        if (sl__tok_op(cur(p), "+"))
            op = OP_ADD;
        else if (sl__tok_op(cur(p), "-"))
            op = OP_SUB;
        else if (sl__tok_op(cur(p), "||"))
            op = OP_CONCAT;
        if (op == OP_NONE) break;
        adv(p);
        sl__ast *r = parse_mul(p);
        if (!r) return NULL;
        l = binary(p, op, l, r);
    }
    return l;
}

static sl__ast *parse_bitand(parser *p) {
    sl__ast *l = parse_add(p);
    while (l && accept_op(p, "&")) {
        sl__ast *r = parse_add(p);
        if (!r) return NULL;
        l = binary(p, OP_BITAND, l, r);
    }
    return l;
}

static sl__ast *parse_bitxor(parser *p) {
    sl__ast *l = parse_bitand(p);
    while (l && accept_op(p, "^")) {
        sl__ast *r = parse_bitand(p);
        if (!r) return NULL;
        l = binary(p, OP_BITXOR, l, r);
    }
    return l;
}

static sl__ast *parse_bitor(parser *p) {
    sl__ast *l = parse_bitxor(p);
    while (l && sl__tok_op(cur(p), "|")) {
        adv(p);
        sl__ast *r = parse_bitxor(p);
        if (!r) return NULL;
        l = binary(p, OP_BITOR, l, r);
    }
    return l;
}

static sl__ast *parse_comparison(parser *p) {
    sl__ast *l = parse_bitor(p);
    while (l) {
        const sl__tok *t = cur(p);
        sl__opcode op = OP_NONE;
        if (sl__tok_op(t, "=") || sl__tok_op(t, "=="))
            op = OP_EQ;
        else if (sl__tok_op(t, "<>") || sl__tok_op(t, "!="))
            op = OP_NE;
        else if (sl__tok_op(t, "<"))
            op = OP_LT;
        else if (sl__tok_op(t, "<="))
            op = OP_LE;
        else if (sl__tok_op(t, ">"))
            op = OP_GT;
        else if (sl__tok_op(t, ">="))
            op = OP_GE;
        else if (sl__tok_op(t, "<=>"))
            op = OP_NSEQ;
        if (op == OP_NONE) break;
        adv(p);
        sl__ast *r = parse_bitor(p);
        if (!r) return NULL;
        l = binary(p, op, l, r);
    }
    return l;
}

/* IS [NOT] NULL, [NOT] IN, [NOT] BETWEEN, [NOT] LIKE/ILIKE/RLIKE/REGEXP */
static sl__ast *parse_predicate(parser *p) {
    sl__ast *l = parse_comparison(p);
    while (l) {
        uint32_t pos = l->pos;
        if (sl__tok_is(cur(p), "IS")) {
            adv(p);
            bool neg = accept_kw(p, "NOT");
            if (accept_kw(p, "NULL")) {
                sl__ast *e = node(p, A_ISNULL, pos);
                e->a = l;
                e->negated = neg;
                e->end = prev_end(p);
                l = e;
                continue;
            }
            if (sl__tok_is(cur(p), "TRUE") || sl__tok_is(cur(p), "FALSE")) {
                /* x IS [NOT] TRUE  ==  (x <=> TRUE) [negated] */
                sl__ast *lit = node(p, A_LITERAL, cur(p)->pos);
                lit->lit.type = SL_TYPE_BOOLEAN;
                lit->lit.i = sl__tok_is(cur(p), "TRUE");
                adv(p);
                sl__ast *e = binary(p, OP_NSEQ, l, lit);
                if (neg) {
                    sl__ast *n = node(p, A_UNARY, pos);
                    n->op = OP_NOT;
                    n->a = e;
                    n->end = prev_end(p);
                    e = n;
                }
                l = e;
                continue;
            }
            if (accept_kw(p, "DISTINCT")) {
                if (!expect_kw(p, "FROM")) return NULL;
                sl__ast *r = parse_comparison(p);
                if (!r) return NULL;
                sl__ast *e = binary(p, OP_NSEQ, l, r);
                if (!neg) {
                    sl__ast *n = node(p, A_UNARY, pos);
                    n->op = OP_NOT;
                    n->a = e;
                    n->end = r->end;
                    e = n;
                }
                l = e;
                continue;
            }
            return expected(p, "NULL, TRUE, FALSE or DISTINCT FROM after IS");
        }
        bool neg = false;
        uint32_t save = p->i;
        if (sl__tok_is(cur(p), "NOT")) {
            neg = true;
            adv(p);
        }
        if (accept_kw(p, "IN")) {
            sl__ast *e = node(p, A_IN, pos);
            e->a = l;
            e->negated = neg;
            if (!expect_op(p, "(")) return NULL;
            if (starts_query(p)) {
                e->sub = parse_query(p);
                if (!e->sub) return NULL;
            } else {
                plist args = {0};
                do {
                    sl__ast *x = parse_expr(p);
                    if (!x) return NULL;
                    plist_push(p, &args, x);
                } while (accept_op(p, ","));
                e->args = list_to_args(p, &args);
                e->n_args = args.n;
            }
            if (!expect_op(p, ")")) return NULL;
            e->end = prev_end(p);
            l = e;
            continue;
        }
        if (accept_kw(p, "BETWEEN")) {
            sl__ast *e = node(p, A_BETWEEN, pos);
            e->a = l;
            e->negated = neg;
            e->b = parse_comparison(p);
            if (!e->b || !expect_kw(p, "AND")) return NULL;
            e->c = parse_comparison(p);
            if (!e->c) return NULL;
            e->end = e->c->end;
            l = e;
            continue;
        }
        sl__opcode lop = OP_NONE;
        if (sl__tok_is(cur(p), "LIKE"))
            lop = OP_LIKE;
        else if (sl__tok_is(cur(p), "ILIKE"))
            lop = OP_ILIKE;
        else if (sl__tok_is(cur(p), "RLIKE") || sl__tok_is(cur(p), "REGEXP"))
            lop = OP_RLIKE;
        if (lop != OP_NONE) {
            adv(p);
            sl__ast *e = node(p, A_LIKE, pos);
            e->op = lop;
            e->a = l;
            e->negated = neg;
            e->b = parse_comparison(p);
            if (!e->b) return NULL;
            if (accept_kw(p, "ESCAPE")) {
                if (cur(p)->kind != TK_STRING || cur(p)->text_len != 1)
                    return expected(p, "a one-character string after ESCAPE");
                e->escape = cur(p)->text[0];
                adv(p);
            }
            e->end = prev_end(p);
            l = e;
            continue;
        }
        p->i = save;
        break;
    }
    return l;
}

static sl__ast *parse_not(parser *p) {
    const sl__tok *t = cur(p);
    if (sl__tok_is(t, "NOT") || sl__tok_op(t, "!")) {
        if (++p->depth > MAX_DEPTH) {
            sl__err_set(p->err, SL_ERR_PARSE, t->pos, "expression nested too deeply");
            return NULL;
        }
        adv(p);
        sl__ast *x = parse_not(p);
        p->depth--;
        if (!x) return NULL;
        sl__ast *e = node(p, A_UNARY, t->pos);
        e->op = OP_NOT;
        e->a = x;
        e->end = x->end;
        return e;
    }
    return parse_predicate(p);
}

static sl__ast *parse_and(parser *p) {
    sl__ast *l = parse_not(p);
    while (l && accept_kw(p, "AND")) {
        sl__ast *r = parse_not(p);
        if (!r) return NULL;
        l = binary(p, OP_AND, l, r);
    }
    return l;
}

static sl__ast *parse_or(parser *p) {
    sl__ast *l = parse_and(p);
    while (l && accept_kw(p, "OR")) {
        sl__ast *r = parse_and(p);
        if (!r) return NULL;
        l = binary(p, OP_OR, l, r);
    }
    return l;
}

static sl__ast *parse_expr(parser *p) {
    if (++p->depth > MAX_DEPTH) {
        sl__err_set(p->err, SL_ERR_PARSE, cur(p)->pos, "expression nested too deeply");
        return NULL;
    }
    sl__ast *e = parse_or(p);
    p->depth--;
    return e;
}

/* ---- queries ------------------------------------------------------------ */

static bool can_alias(parser *p) {
    const sl__tok *t = cur(p);
    return t->kind == TK_QIDENT || (t->kind == TK_IDENT && !is_reserved(t));
}

/* [AS] alias [(col, ...)] */
static bool parse_rel_alias(parser *p, sl__rel *r) {
    if (accept_kw(p, "AS")) {
        r->alias = ident(p, "an alias after AS");
        if (!r->alias) return false;
    } else if (can_alias(p) && !sl__tok_is(cur(p), "WATERMARK")) {
        r->alias = ident(p, "an alias");
    }
    if (r->alias && sl__tok_op(cur(p), "(")) {
        adv(p);
        plist l = {0};
        do {
            const char *c = ident(p, "a column alias");
            if (!c) return false;
            plist_push(p, &l, (void *)c);
        } while (accept_op(p, ","));
        if (!expect_op(p, ")")) return false;
        r->col_aliases = (const char **)l.v;
        r->n_col_aliases = l.n;
    }
    return true;
}

static sl__query *parse_values(parser *p, uint32_t pos) {
    sl__query *q = pnew(p, sizeof *q);
    q->kind = Q_VALUES;
    q->pos = pos;
    plist rows = {0}, lens = {0};
    do {
        plist row = {0};
        if (accept_op(p, "(")) {
            do {
                sl__ast *x = parse_expr(p);
                if (!x) return NULL;
                plist_push(p, &row, x);
            } while (accept_op(p, ","));
            if (!expect_op(p, ")")) return NULL;
        } else {
            sl__ast *x = parse_expr(p);
            if (!x) return NULL;
            plist_push(p, &row, x);
        }
        plist_push(p, &rows, row.v);
        plist_push(p, &lens, (void *)(uintptr_t)row.n);
    } while (accept_op(p, ","));
    q->rows = (sl__ast ***)rows.v;
    q->n_rows = rows.n;
    q->row_len = pnew(p, sizeof(uint32_t) * (rows.n ? rows.n : 1));
    for (uint32_t i = 0; i < rows.n; i++) q->row_len[i] = (uint32_t)(uintptr_t)lens.v[i];
    q->end = prev_end(p);
    return q;
}

static sl__rel *parse_rel_primary(parser *p) {
    const sl__tok *t = cur(p);
    sl__rel *r = pnew(p, sizeof *r);
    r->pos = t->pos;
    if (sl__tok_op(t, "(")) {
        if (paren_query(p)) {
            adv(p);
            r->kind = R_SUBQUERY;
            r->sub = parse_query(p);
            if (!r->sub || !expect_op(p, ")")) return NULL;
        } else {
            /* parenthesised join: (a JOIN b) */
            adv(p);
            sl__rel *inner = parse_from(p);
            if (!inner || !expect_op(p, ")")) return NULL;
            if (inner->kind == R_JOIN) return inner;
            r = inner;
        }
    } else if (sl__tok_is(t, "VALUES")) {
        adv(p);
        r->kind = R_SUBQUERY;
        r->sub = parse_values(p, t->pos);
        if (!r->sub) return NULL;
    } else if (sl__tok_is(t, "LATERAL")) {
        sl__err_set(p->err, SL_ERR_UNSUPPORTED, t->pos, "LATERAL is not supported");
        return NULL;
    } else {
        const char *name = ident(p, "a table name, (subquery) or VALUES");
        if (!name) return NULL;
        /* db.table: keep the last part (one catalog) */
        while (sl__tok_op(cur(p), ".") &&
               (peek(p, 1)->kind == TK_IDENT || peek(p, 1)->kind == TK_QIDENT)) {
            adv(p);
            name = any_ident(p, "a table name");
        }
        r->name = name;
        if (sl__tok_op(cur(p), "(")) {
            adv(p);
            r->kind = R_FUNC;
            plist args = {0};
            if (!accept_op(p, ")")) {
                do {
                    sl__ast *x;
                    if (paren_query(p)) {
                        uint32_t qp = cur(p)->pos;
                        adv(p);
                        x = node(p, A_SUBQUERY, qp);
                        x->sub = parse_query(p);
                        if (!x->sub || !expect_op(p, ")")) return NULL;
                    } else {
                        x = parse_expr(p);
                    }
                    if (!x) return NULL;
                    plist_push(p, &args, x);
                } while (accept_op(p, ","));
                if (!expect_op(p, ")")) return NULL;
            }
            r->args = list_to_args(p, &args);
            r->n_args = args.n;
        } else {
            r->kind = R_TABLE;
        }
    }
    if (!parse_rel_alias(p, r)) return NULL;
    if (sl__tok_is(cur(p), "WATERMARK")) {
        adv(p);
        r->wm_pos = cur(p)->pos;
        r->wm_col = ident(p, "the event-time column after WATERMARK");
        if (!r->wm_col || !expect_kw(p, "DELAY") || !expect_kw(p, "OF")) return NULL;
        uint32_t ipos = cur(p)->pos;
        sl__ast *iv;
        if (accept_kw(p, "INTERVAL")) {
            iv = parse_interval(p, ipos);
        } else if (cur(p)->kind == TK_STRING) {
            iv = parse_interval(p, ipos);
        } else {
            return expected(p, "INTERVAL ... after DELAY OF");
        }
        if (!iv) return NULL;
        if (iv->lit.i < 0) {
            sl__err_set(p->err, SL_ERR_ANALYSIS, ipos, "watermark delay must not be negative");
            return NULL;
        }
        r->wm_delay_us = iv->lit.i;
    }
    return r;
}

static sl__rel *parse_from(parser *p) {
    sl__rel *l = parse_rel_primary(p);
    while (l) {
        const sl__tok *t = cur(p);
        uint32_t pos = t->pos;
        sl__join_type jt;
        bool natural = false, saw_join = false;
        if (accept_op(p, ",")) {
            jt = J_CROSS;
            saw_join = true;
        } else {
            if (sl__tok_is(t, "NATURAL")) {
                natural = true;
                adv(p);
            }
            if (accept_kw(p, "JOIN")) {
                jt = J_INNER;
                saw_join = true;
            } else if (accept_kw(p, "INNER"))
                jt = J_INNER;
            else if (accept_kw(p, "CROSS"))
                jt = J_CROSS;
            else if (accept_kw(p, "LEFT")) {
                if (accept_kw(p, "SEMI"))
                    jt = J_SEMI;
                else if (accept_kw(p, "ANTI"))
                    jt = J_ANTI;
                else {
                    accept_kw(p, "OUTER");
                    jt = J_LEFT;
                }
            } else if (accept_kw(p, "RIGHT")) {
                accept_kw(p, "OUTER");
                jt = J_RIGHT;
            } else if (accept_kw(p, "FULL")) {
                accept_kw(p, "OUTER");
                jt = J_FULL;
            } else if (accept_kw(p, "SEMI"))
                jt = J_SEMI;
            else if (accept_kw(p, "ANTI"))
                jt = J_ANTI;
            else {
                if (natural) return expected(p, "JOIN after NATURAL");
                break;
            }
            if (natural) {
                sl__err_set(p->err, SL_ERR_UNSUPPORTED, pos,
                            "NATURAL JOIN is not supported; use JOIN ... USING (cols)");
                return NULL;
            }
            if (!saw_join && !expect_kw(p, "JOIN")) return NULL;
        }
        sl__rel *j = pnew(p, sizeof *j);
        j->kind = R_JOIN;
        j->pos = l->pos;
        j->join = jt;
        j->left = l;
        j->right = parse_rel_primary(p);
        if (!j->right) return NULL;
        if (accept_kw(p, "ON")) {
            j->on = parse_expr(p);
            if (!j->on) return NULL;
        } else if (accept_kw(p, "USING")) {
            if (!expect_op(p, "(")) return NULL;
            plist cols = {0};
            do {
                const char *c = ident(p, "a column name in USING");
                if (!c) return NULL;
                plist_push(p, &cols, (void *)c);
            } while (accept_op(p, ","));
            if (!expect_op(p, ")")) return NULL;
            j->using_cols = (const char **)cols.v;
            j->n_using = cols.n;
        } else if (jt != J_CROSS && jt != J_INNER) {
            return expected(p, "ON or USING after the joined table");
        }
        l = j;
    }
    return l;
}

static bool parse_select_items(parser *p, sl__query *q) {
    plist items = {0};
    do {
        sl__select_item *it = pnew(p, sizeof *it);
        it->pos = cur(p)->pos;
        it->expr = parse_expr(p);
        if (!it->expr) return false;
        if (it->expr->kind == A_STAR && sl__tok_is(cur(p), "EXCEPT") &&
            sl__tok_op(peek(p, 1), "(")) {
            adv(p);
            adv(p);
            plist ex = {0};
            do {
                sl__ast *c = parse_postfix(p);
                if (!c) return false;
                if (c->kind != A_COLUMN) {
                    sl__err_set(p->err, SL_ERR_PARSE, c->pos, "expected a column name in EXCEPT");
                    return false;
                }
                plist_push(p, &ex, c);
            } while (accept_op(p, ","));
            if (!expect_op(p, ")")) return false;
            it->expr->args = list_to_args(p, &ex);
            it->expr->n_args = ex.n;
        }
        if (accept_kw(p, "AS")) {
            if (sl__tok_op(cur(p), "(")) {
                sl__err_set(p->err, SL_ERR_UNSUPPORTED, cur(p)->pos,
                            "multi-column aliases AS (a, b) are not supported");
                return false;
            }
            const sl__tok *at = cur(p);
            if (at->kind == TK_STRING) {
                adv(p);
                it->alias = at->text;
            } else {
                it->alias = any_ident(p, "an alias after AS");
                if (!it->alias) return false;
            }
        } else if (can_alias(p)) {
            it->alias = ident(p, "an alias");
        }
        plist_push(p, &items, it);
    } while (accept_op(p, ","));
    q->n_items = items.n;
    q->items = pnew(p, sizeof(sl__select_item) * items.n);
    for (uint32_t i = 0; i < items.n; i++) q->items[i] = *(sl__select_item *)items.v[i];
    return true;
}

/* ( e1, e2 ) or e: one grouping set of GROUPING SETS */
static bool parse_grouping_set(parser *p, plist *exprs, plist *sets, plist *lens) {
    plist idx = {0};
    bool paren = sl__tok_op(cur(p), "(");
    /* "(a + b)" vs "(a, b)": both start with "(" — parse as a list when it is one */
    if (paren) {
        adv(p);
        if (!accept_op(p, ")")) {
            do {
                sl__ast *x = parse_expr(p);
                if (!x) return false;
                plist_push(p, exprs, x);
                plist_push(p, &idx, (void *)(uintptr_t)(exprs->n - 1));
            } while (accept_op(p, ","));
            if (!expect_op(p, ")")) return false;
        }
    } else {
        sl__ast *x = parse_expr(p);
        if (!x) return false;
        plist_push(p, exprs, x);
        plist_push(p, &idx, (void *)(uintptr_t)(exprs->n - 1));
    }
    uint32_t *set = pnew(p, sizeof(uint32_t) * (idx.n ? idx.n : 1));
    for (uint32_t i = 0; i < idx.n; i++) set[i] = (uint32_t)(uintptr_t)idx.v[i];
    plist_push(p, sets, set);
    plist_push(p, lens, (void *)(uintptr_t)idx.n);
    return true;
}

static bool parse_group_by(parser *p, sl__query *q) {
    plist elems = {0};
    do {
        sl__group_elem *g = pnew(p, sizeof *g);
        bool cube = sl__tok_is(cur(p), "CUBE") && sl__tok_op(peek(p, 1), "(");
        bool rollup = sl__tok_is(cur(p), "ROLLUP") && sl__tok_op(peek(p, 1), "(");
        if (cube || rollup) {
            g->kind = cube ? G_CUBE : G_ROLLUP;
            adv(p);
            adv(p);
            plist ex = {0};
            if (!sl__tok_op(cur(p), ")")) {
                do {
                    sl__ast *x = parse_expr(p);
                    if (!x) return false;
                    plist_push(p, &ex, x);
                } while (accept_op(p, ","));
            }
            if (!expect_op(p, ")")) return false;
            g->exprs = list_to_args(p, &ex);
            g->n_exprs = ex.n;
        } else if (sl__tok_is(cur(p), "GROUPING") && sl__tok_is(peek(p, 1), "SETS")) {
            g->kind = G_SETS;
            adv(p);
            adv(p);
            if (!expect_op(p, "(")) return false;
            plist ex = {0}, sets = {0}, lens = {0};
            do {
                if (!parse_grouping_set(p, &ex, &sets, &lens)) return false;
            } while (accept_op(p, ","));
            if (!expect_op(p, ")")) return false;
            g->exprs = list_to_args(p, &ex);
            g->n_exprs = ex.n;
            g->sets = (uint32_t **)sets.v;
            g->n_sets = sets.n;
            g->set_len = pnew(p, sizeof(uint32_t) * (sets.n ? sets.n : 1));
            for (uint32_t i = 0; i < sets.n; i++) g->set_len[i] = (uint32_t)(uintptr_t)lens.v[i];
        } else {
            g->kind = G_EXPR;
            sl__ast *x = parse_expr(p);
            if (!x) return false;
            g->exprs = pnew(p, sizeof(sl__ast *));
            g->exprs[0] = x;
            g->n_exprs = 1;
        }
        plist_push(p, &elems, g);
    } while (accept_op(p, ","));
    /* GROUP BY a, b WITH CUBE | WITH ROLLUP */
    if (sl__tok_is(cur(p), "WITH") &&
        (sl__tok_is(peek(p, 1), "CUBE") || sl__tok_is(peek(p, 1), "ROLLUP"))) {
        adv(p);
        bool cube = sl__tok_is(cur(p), "CUBE");
        adv(p);
        sl__group_elem *g = pnew(p, sizeof *g);
        g->kind = cube ? G_CUBE : G_ROLLUP;
        g->exprs = pnew(p, sizeof(sl__ast *) * elems.n);
        for (uint32_t i = 0; i < elems.n; i++) {
            sl__group_elem *e = elems.v[i];
            if (e->kind != G_EXPR) {
                sl__err_set(p->err, SL_ERR_PARSE, cur(p)[-1].pos,
                            "WITH CUBE/ROLLUP needs plain GROUP BY expressions");
                return false;
            }
            g->exprs[i] = e->exprs[0];
        }
        g->n_exprs = elems.n;
        elems.n = 0;
        plist_push(p, &elems, g);
    }
    q->n_group = elems.n;
    q->group = pnew(p, sizeof(sl__group_elem) * (elems.n ? elems.n : 1));
    for (uint32_t i = 0; i < elems.n; i++) q->group[i] = *(sl__group_elem *)elems.v[i];
    return true;
}

static sl__query *parse_select(parser *p) {
    sl__query *q = pnew(p, sizeof *q);
    q->kind = Q_SELECT;
    q->pos = cur(p)->pos;
    if (!expect_kw(p, "SELECT")) return NULL;
    if (accept_kw(p, "DISTINCT"))
        q->distinct = true;
    else
        accept_kw(p, "ALL");
    if (!parse_select_items(p, q)) return NULL;
    if (accept_kw(p, "FROM")) {
        q->from = parse_from(p);
        if (!q->from) return NULL;
    }
    if (accept_kw(p, "WHERE")) {
        q->where = parse_expr(p);
        if (!q->where) return NULL;
    }
    if (sl__tok_is(cur(p), "GROUP")) {
        adv(p);
        if (!expect_kw(p, "BY")) return NULL;
        if (!parse_group_by(p, q)) return NULL;
    }
    if (accept_kw(p, "HAVING")) {
        q->having = parse_expr(p);
        if (!q->having) return NULL;
    }
    if (sl__tok_is(cur(p), "WINDOW") || sl__tok_is(cur(p), "QUALIFY")) {
        sl__err_set(p->err, SL_ERR_UNSUPPORTED, cur(p)->pos,
                    "%s clauses (analytic window functions) are not supported", cur(p)->text);
        return NULL;
    }
    q->end = prev_end(p);
    return q;
}

static sl__query *parse_query_primary(parser *p) {
    const sl__tok *t = cur(p);
    if (sl__tok_is(t, "SELECT")) return parse_select(p);
    if (sl__tok_is(t, "VALUES")) {
        adv(p);
        return parse_values(p, t->pos);
    }
    if (sl__tok_is(t, "TABLE")) {
        /* TABLE t == SELECT * FROM t */
        adv(p);
        sl__query *q = pnew(p, sizeof *q);
        q->kind = Q_SELECT;
        q->pos = t->pos;
        q->n_items = 1;
        q->items = pnew(p, sizeof(sl__select_item));
        q->items[0].expr = node(p, A_STAR, t->pos);
        q->items[0].pos = t->pos;
        sl__rel *r = pnew(p, sizeof *r);
        r->kind = R_TABLE;
        r->pos = cur(p)->pos;
        r->name = ident(p, "a table name after TABLE");
        if (!r->name) return NULL;
        q->from = r;
        q->end = prev_end(p);
        return q;
    }
    if (sl__tok_op(t, "(")) {
        adv(p);
        sl__query *q = parse_query(p);
        if (!q || !expect_op(p, ")")) return NULL;
        return q;
    }
    return expected(p, "SELECT, VALUES or '('");
}

static sl__query *setop(parser *p, sl__setop op, bool all, sl__query *l, sl__query *r) {
    sl__query *q = pnew(p, sizeof *q);
    q->kind = Q_SETOP;
    q->setop = op;
    q->set_all = all;
    q->left = l;
    q->right = r;
    q->pos = l->pos;
    q->end = r->end;
    return q;
}

static sl__query *parse_intersect(parser *p) {
    sl__query *l = parse_query_primary(p);
    while (l && sl__tok_is(cur(p), "INTERSECT")) {
        adv(p);
        bool all = accept_kw(p, "ALL");
        if (!all) accept_kw(p, "DISTINCT");
        sl__query *r = parse_query_primary(p);
        if (!r) return NULL;
        l = setop(p, SET_INTERSECT, all, l, r);
    }
    return l;
}

static sl__query *parse_query(parser *p) {
    if (++p->depth > MAX_DEPTH) {
        sl__err_set(p->err, SL_ERR_PARSE, cur(p)->pos, "query nested too deeply");
        return NULL;
    }
    uint32_t pos = cur(p)->pos;
    plist ctes = {0};
    if (accept_kw(p, "WITH")) {
        do {
            sl__cte *c = pnew(p, sizeof *c);
            c->pos = cur(p)->pos;
            c->name = ident(p, "a name for the WITH query");
            if (!c->name || !expect_kw(p, "AS") || !expect_op(p, "(")) return NULL;
            c->query = parse_query(p);
            if (!c->query || !expect_op(p, ")")) return NULL;
            plist_push(p, &ctes, c);
        } while (accept_op(p, ","));
    }
    sl__query *l = parse_intersect(p);
    while (l) {
        sl__setop op;
        if (sl__tok_is(cur(p), "UNION"))
            op = SET_UNION;
        else if (sl__tok_is(cur(p), "EXCEPT") || sl__tok_is(cur(p), "MINUS"))
            op = SET_EXCEPT;
        else
            break;
        adv(p);
        bool all = accept_kw(p, "ALL");
        if (!all) accept_kw(p, "DISTINCT");
        sl__query *r = parse_intersect(p);
        if (!r) return NULL;
        l = setop(p, op, all, l, r);
    }
    if (!l) return NULL;
    if (sl__tok_is(cur(p), "ORDER") || sl__tok_is(cur(p), "SORT")) {
        adv(p);
        if (!expect_kw(p, "BY")) return NULL;
        plist items = {0};
        do {
            sl__order_item *o = pnew(p, sizeof *o);
            o->expr = parse_expr(p);
            if (!o->expr) return NULL;
            if (accept_kw(p, "DESC"))
                o->desc = true;
            else
                accept_kw(p, "ASC");
            o->nulls_first = -1;
            if (accept_kw(p, "NULLS")) {
                if (accept_kw(p, "FIRST"))
                    o->nulls_first = 1;
                else if (accept_kw(p, "LAST"))
                    o->nulls_first = 0;
                else
                    return expected(p, "FIRST or LAST after NULLS");
            }
            plist_push(p, &items, o);
        } while (accept_op(p, ","));
        l->n_order = items.n;
        l->order = pnew(p, sizeof(sl__order_item) * items.n);
        for (uint32_t i = 0; i < items.n; i++) l->order[i] = *(sl__order_item *)items.v[i];
    }
    if (accept_kw(p, "LIMIT")) {
        if (accept_kw(p, "ALL")) {
            l->limit = NULL;
        } else {
            l->limit = parse_expr(p);
            if (!l->limit) return NULL;
        }
    }
    if (accept_kw(p, "OFFSET")) {
        l->offset = parse_expr(p);
        if (!l->offset) return NULL;
    }
    if (ctes.n) {
        l->n_ctes = ctes.n;
        l->ctes = pnew(p, sizeof(sl__cte) * ctes.n);
        for (uint32_t i = 0; i < ctes.n; i++) l->ctes[i] = *(sl__cte *)ctes.v[i];
    }
    l->pos = pos;
    l->end = prev_end(p);
    p->depth--;
    return l;
}

/* ---- statements --------------------------------------------------------- */

/* OPTIONS (key value, key = value, 'key' 'value', a.b.c value, ...) */
static bool parse_options(parser *p, sl__stmt *s) {
    if (!expect_op(p, "(")) return false;
    plist opts = {0};
    if (!accept_op(p, ")")) {
        do {
            sl__option *o = pnew(p, sizeof *o);
            o->pos = cur(p)->pos;
            if (cur(p)->kind == TK_STRING) {
                o->key = cur(p)->text;
                adv(p);
            } else {
                sl__buf k = SL_BUF_INIT;
                const char *w = any_ident(p, "an option name");
                if (!w) return false;
                sl__buf_puts(&k, w);
                while (sl__tok_op(cur(p), ".")) {
                    adv(p);
                    w = any_ident(p, "an option name after '.'");
                    if (!w) {
                        sl__buf_free(&k);
                        return false;
                    }
                    sl__buf_putc(&k, '.');
                    sl__buf_puts(&k, w);
                }
                o->key = sl__arena_strdup(p->a, sl__buf_str(&k));
                sl__buf_free(&k);
            }
            accept_op(p, "=");
            const sl__tok *v = cur(p);
            if (v->kind == TK_STRING || v->kind == TK_IDENT || v->kind == TK_QIDENT) {
                o->value = v->text;
                adv(p);
            } else if (v->kind == TK_INTEGER || v->kind == TK_NUMBER) {
                o->value = v->text;
                adv(p);
            } else if (sl__tok_op(v, "-") &&
                       (peek(p, 1)->kind == TK_INTEGER || peek(p, 1)->kind == TK_NUMBER)) {
                o->value = sl__arena_sprintf(p->a, "-%s", peek(p, 1)->text);
                adv(p);
                adv(p);
            } else {
                expected(p, "an option value (a string, number, true or false)");
                return false;
            }
            plist_push(p, &opts, o);
        } while (accept_op(p, ","));
        if (!expect_op(p, ")")) return false;
    }
    sl__option *arr = pnew(p, sizeof(sl__option) * (opts.n ? opts.n : 1));
    for (uint32_t i = 0; i < opts.n; i++) arr[i] = *(sl__option *)opts.v[i];
    /* a repeated key: the last one wins, as in Spark; keep both, readers scan backwards */
    s->options = arr;
    s->n_options = opts.n;
    return true;
}

/* ( col type [NOT NULL] [COMMENT '..'], ... ) — handed to the schema parser */
static const sl__type *parse_column_defs(parser *p) {
    const sl__tok *open = cur(p);
    if (!expect_op(p, "(")) return NULL;
    /* find the matching ')' by token depth */
    int depth = 1;
    uint32_t j = p->i;
    while (j < p->n && depth > 0) {
        if (sl__tok_op(&p->t[j], "("))
            depth++;
        else if (sl__tok_op(&p->t[j], ")"))
            depth--;
        if (depth > 0) j++;
    }
    if (depth != 0) {
        p->i = p->n;
        return expected(p, "')' to close the column list");
    }
    uint32_t start = open->pos + 1, end = p->t[j].pos;
    const sl__type *t;
    sl__err e2;
    sl__err_clear(&e2);
    if (sl__schema_parse(p->src + start, end - start, &t, &e2) != SL_OK) {
        sl__err_set(p->err, e2.code, e2.offset >= 0 ? (int64_t)start + e2.offset : open->pos, "%s",
                    e2.msg);
        return NULL;
    }
    p->i = j + 1;
    return t;
}

static bool parse_query_into(parser *p, sl__stmt *s) {
    s->query_pos = cur(p)->pos;
    s->query = parse_query(p);
    if (!s->query) return false;
    s->query_end = prev_end(p);
    return true;
}

static bool parse_name(parser *p, sl__stmt *s, const char *what) {
    s->name_pos = cur(p)->pos;
    s->name = ident(p, what);
    if (!s->name) return false;
    while (sl__tok_op(cur(p), ".") &&
           (peek(p, 1)->kind == TK_IDENT || peek(p, 1)->kind == TK_QIDENT)) {
        adv(p);
        s->name = any_ident(p, what);
    }
    return true;
}

static sl__stmt *parse_create(parser *p, sl__stmt *s) {
    if (accept_kw(p, "OR")) {
        if (!expect_kw(p, "REPLACE")) return NULL;
        s->or_replace = true;
    }
    accept_kw(p, "GLOBAL"); /* GLOBAL TEMPORARY VIEW: one catalog, the same thing here */
    if (!accept_kw(p, "TEMPORARY")) accept_kw(p, "TEMP");
    if (accept_kw(p, "VIEW")) {
        s->kind = S_CREATE_VIEW;
        if (accept_kw(p, "IF")) {
            if (!expect_kw(p, "NOT") || !expect_kw(p, "EXISTS")) return NULL;
            s->if_not_exists = true;
        }
        if (!parse_name(p, s, "a view name")) return NULL;
        if (!expect_kw(p, "AS")) return NULL;
        if (!parse_query_into(p, s)) return NULL;
        return s;
    }
    bool stream = false;
    if (accept_kw(p, "STREAM"))
        stream = true;
    else if (!accept_kw(p, "TABLE"))
        return expected(p, "TABLE, VIEW or STREAM after CREATE");
    s->kind = stream ? S_CREATE_STREAM : S_CREATE_TABLE;
    if (accept_kw(p, "IF")) {
        if (!expect_kw(p, "NOT") || !expect_kw(p, "EXISTS")) return NULL;
        s->if_not_exists = true;
    }
    if (!parse_name(p, s, stream ? "a stream name" : "a table name")) return NULL;
    if (sl__tok_op(cur(p), "(")) {
        s->schema = parse_column_defs(p);
        if (!s->schema) return NULL;
    }
    if (accept_kw(p, "USING")) {
        s->using_pos = cur(p)->pos;
        s->using_fmt = any_ident(p, "a format name after USING (csv, json, socket, ...)");
        if (!s->using_fmt) return NULL;
    }
    if (accept_kw(p, "OPTIONS")) {
        if (!parse_options(p, s)) return NULL;
    }
    if (accept_kw(p, "AS")) {
        if (stream) {
            sl__err_set(p->err, SL_ERR_PARSE, cur(p)[-1].pos,
                        "CREATE STREAM ... AS is not supported; use CREATE VIEW over a stream");
            return NULL;
        }
        if (!parse_query_into(p, s)) return NULL;
    }
    if (stream && !s->using_fmt) return expected(p, "USING socket|files|rate|kafka");
    return s;
}

static sl__stmt *parse_statement(parser *p) {
    sl__stmt *s = pnew(p, sizeof *s);
    const sl__tok *t = cur(p);
    s->pos = t->pos;
    s->n = -1;
    if (starts_query(p) || sl__tok_op(t, "(")) {
        if (sl__tok_is(t, "FROM")) {
            sl__err_set(p->err, SL_ERR_UNSUPPORTED, t->pos,
                        "FROM-first queries are not supported; start with SELECT");
            return NULL;
        }
        s->kind = S_QUERY;
        if (!parse_query_into(p, s)) return NULL;
        return s;
    }
    if (accept_kw(p, "CREATE")) return parse_create(p, s);
    if (accept_kw(p, "INSERT")) {
        s->kind = S_INSERT;
        if (!accept_kw(p, "INTO")) {
            if (!expect_kw(p, "INTO")) return NULL;
        }
        accept_kw(p, "TABLE");
        if (!parse_name(p, s, "a table name")) return NULL;
        if (!parse_query_into(p, s)) return NULL;
        return s;
    }
    if (accept_kw(p, "DROP")) {
        s->kind = S_DROP;
        if (accept_kw(p, "TABLE"))
            s->obj = OBJ_TABLE;
        else if (accept_kw(p, "VIEW"))
            s->obj = OBJ_VIEW;
        else if (accept_kw(p, "STREAM"))
            s->obj = OBJ_STREAM;
        else
            return expected(p, "TABLE, VIEW or STREAM after DROP");
        if (accept_kw(p, "IF")) {
            if (!expect_kw(p, "EXISTS")) return NULL;
            s->if_exists = true;
        }
        if (!parse_name(p, s, "a name")) return NULL;
        return s;
    }
    if (accept_kw(p, "SET") || accept_kw(p, "RESET")) {
        s->kind = sl__tok_is(t, "SET") ? S_SET : S_RESET;
        /* key is the raw text up to '=' or the end: SET spark.sql.x.y = 5 */
        const sl__tok *k = cur(p);
        if (k->kind == TK_EOF) return s;
        if (sl__tok_op(k, "-") && sl__tok_is(peek(p, 1), "v")) {
            adv(p);
            adv(p);
            return s;
        }
        uint32_t kstart = k->pos, kend = kstart;
        if (k->kind == TK_STRING || k->kind == TK_QIDENT) {
            s->key = k->text;
            adv(p);
        } else {
            while (cur(p)->kind != TK_EOF && !sl__tok_op(cur(p), "=")) {
                kend = cur(p)->pos + cur(p)->len;
                adv(p);
            }
            s->key = sl__arena_strndup(p->a, p->src + kstart, kend - kstart);
        }
        if (accept_op(p, "=")) {
            if (s->kind == S_RESET) return expected(p, "end of statement after RESET key");
            const sl__tok *v = cur(p);
            if (v->kind == TK_STRING) {
                s->value = v->text;
                adv(p);
            } else {
                uint32_t vstart = v->pos, vend = vstart;
                while (cur(p)->kind != TK_EOF) {
                    vend = cur(p)->pos + cur(p)->len;
                    adv(p);
                }
                s->value = sl__arena_strndup(p->a, p->src + vstart, vend - vstart);
            }
        }
        return s;
    }
    if (accept_kw(p, "SHOW")) {
        if (accept_kw(p, "TABLES"))
            s->kind = S_SHOW_TABLES;
        else if (accept_kw(p, "STREAMS"))
            s->kind = S_SHOW_STREAMS;
        else if (accept_kw(p, "QUERIES"))
            s->kind = S_SHOW_QUERIES;
        else if (accept_kw(p, "FUNCTIONS"))
            s->kind = S_SHOW_FUNCTIONS;
        else if (accept_kw(p, "PROGRESS")) {
            s->kind = S_SHOW_PROGRESS;
            if (!parse_name(p, s, "a query name")) return NULL;
            if (accept_kw(p, "LAST")) {
                if (cur(p)->kind != TK_INTEGER) return expected(p, "a number after LAST");
                s->n = strtoll(cur(p)->text, NULL, 10);
                adv(p);
            }
        } else
            return expected(p, "TABLES, STREAMS, QUERIES, PROGRESS or FUNCTIONS after SHOW");
        return s;
    }
    if (accept_kw(p, "DESCRIBE") || accept_kw(p, "DESC")) {
        if (accept_kw(p, "QUERY")) {
            s->kind = S_DESCRIBE_QUERY;
            if (!parse_name(p, s, "a query name")) return NULL;
            return s;
        }
        s->kind = S_DESCRIBE;
        if (!accept_kw(p, "EXTENDED")) accept_kw(p, "FORMATTED");
        if (starts_query(p) || sl__tok_op(cur(p), "(")) {
            if (!parse_query_into(p, s)) return NULL;
            return s;
        }
        if (!accept_kw(p, "TABLE") && !accept_kw(p, "STREAM")) accept_kw(p, "VIEW");
        if (!parse_name(p, s, "a table, view or stream name")) return NULL;
        return s;
    }
    if (accept_kw(p, "EXPLAIN")) {
        s->kind = S_EXPLAIN;
        if (accept_kw(p, "EXTENDED") || accept_kw(p, "FORMATTED") || accept_kw(p, "CODEGEN"))
            s->extended = true;
        s->inner = parse_statement(p);
        if (!s->inner) return NULL;
        if (s->inner->kind != S_QUERY && s->inner->kind != S_START_QUERY)
            return expected(p, "a query or START QUERY after EXPLAIN");
        return s;
    }
    if (accept_kw(p, "START")) {
        s->kind = S_START_QUERY;
        if (!expect_kw(p, "QUERY")) return NULL;
        if (!parse_name(p, s, "a query name")) return NULL;
        if (accept_kw(p, "USING")) {
            s->using_pos = cur(p)->pos;
            s->using_fmt = any_ident(p, "a sink name after USING (console, memory, files, ...)");
            if (!s->using_fmt) return NULL;
        }
        if (accept_kw(p, "OPTIONS")) {
            if (!parse_options(p, s)) return NULL;
        }
        if (!expect_kw(p, "AS")) return NULL;
        if (!parse_query_into(p, s)) return NULL;
        return s;
    }
    if (accept_kw(p, "STOP")) {
        s->kind = S_STOP_QUERY;
        if (accept_kw(p, "ALL")) {
            s->all = true;
            accept_kw(p, "QUERIES");
            return s;
        }
        if (!expect_kw(p, "QUERY")) return NULL;
        if (!parse_name(p, s, "a query name")) return NULL;
        if (accept_kw(p, "FLUSH")) s->flush = true;
        return s;
    }
    if (accept_kw(p, "AWAIT")) {
        s->kind = S_AWAIT_QUERY;
        if (!expect_kw(p, "QUERY")) return NULL;
        if (!parse_name(p, s, "a query name")) return NULL;
        if (accept_kw(p, "TIMEOUT")) {
            const sl__tok *v = cur(p);
            int64_t us;
            sl__err e2;
            sl__err_clear(&e2);
            if (v->kind == TK_STRING) {
                if (!sl__interval_parse(v->text, v->text_len, &us, &e2)) {
                    sl__err_set(p->err, e2.code, v->pos, "%s", e2.msg);
                    return NULL;
                }
                adv(p);
            } else if (sl__tok_is(v, "INTERVAL")) {
                adv(p);
                sl__ast *iv = parse_interval(p, v->pos);
                if (!iv) return NULL;
                us = iv->lit.i;
            } else if (v->kind == TK_INTEGER || v->kind == TK_NUMBER) {
                us = (int64_t)(strtod(v->text, NULL) * 1e6); /* seconds */
                adv(p);
            } else {
                return expected(p, "a duration such as '10 seconds' after TIMEOUT");
            }
            s->n = us;
        }
        return s;
    }
    if (sl__tok_is(t, "UPDATE") || sl__tok_is(t, "DELETE") || sl__tok_is(t, "MERGE") ||
        sl__tok_is(t, "ALTER")) {
        sl__err_set(p->err, SL_ERR_UNSUPPORTED, t->pos, "%s is not supported", t->text);
        return NULL;
    }
    return expected(p, "a statement (SELECT, CREATE, INSERT, SET, SHOW, DESCRIBE, EXPLAIN, "
                       "START QUERY, ...)");
}

sl__stmt *sl__parse_statement(const char *src, const sl__tok *toks, uint32_t n_toks, sl__arena *a,
                              sl__err *err) {
    parser p = {src, toks, n_toks, 0, a, err, 0, false};
    for (uint32_t i = 0; i < n_toks; i++) {
        if (toks[i].kind == TK_ERROR) {
            sl__err_set(err, SL_ERR_PARSE, toks[i].pos, "%s", toks[i].text);
            return NULL;
        }
    }
    sl__stmt *s = parse_statement(&p);
    if (!s) {
        if (!failed(&p)) expected(&p, "a statement");
        return NULL;
    }
    if (cur(&p)->kind != TK_EOF) {
        expected(&p, "end of statement (a missing ';' or operator?)");
        return NULL;
    }
    s->end = prev_end(&p);
    return s;
}

sl__ast *sl__parse_expression(const char *src, size_t len, sl__arena *a, sl__err *err) {
    sl__tok *toks;
    size_t end;
    uint32_t n = sl__lex_statement(src, len, a, &toks, &end);
    parser p = {src, toks, n, 0, a, err, 0, false};
    for (uint32_t i = 0; i < n; i++) {
        if (toks[i].kind == TK_ERROR) {
            sl__err_set(err, SL_ERR_PARSE, toks[i].pos, "%s", toks[i].text);
            return NULL;
        }
    }
    sl__ast *e = parse_expr(&p);
    if (e && cur(&p)->kind != TK_EOF) {
        expected(&p, "end of expression");
        return NULL;
    }
    return e;
}

const char *sl__op_text(sl__opcode op) {
    switch (op) {
    case OP_NONE: return "";
    case OP_NEG: return "-";
    case OP_PLUS: return "+";
    case OP_NOT: return "NOT";
    case OP_BITNOT: return "~";
    case OP_ADD: return "+";
    case OP_SUB: return "-";
    case OP_MUL: return "*";
    case OP_DIV: return "/";
    case OP_MOD: return "%";
    case OP_IDIV: return "div";
    case OP_CONCAT: return "||";
    case OP_BITAND: return "&";
    case OP_BITOR: return "|";
    case OP_BITXOR: return "^";
    case OP_EQ: return "=";
    case OP_NE: return "!=";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    case OP_NSEQ: return "<=>";
    case OP_AND: return "AND";
    case OP_OR: return "OR";
    case OP_LIKE: return "LIKE";
    case OP_ILIKE: return "ILIKE";
    case OP_RLIKE: return "RLIKE";
    }
    return "?";
}

const char *sl__join_type_name(sl__join_type t) {
    switch (t) {
    case J_INNER: return "Inner";
    case J_LEFT: return "LeftOuter";
    case J_RIGHT: return "RightOuter";
    case J_FULL: return "FullOuter";
    case J_SEMI: return "LeftSemi";
    case J_ANTI: return "LeftAnti";
    case J_CROSS: return "Cross";
    }
    return "?";
}
