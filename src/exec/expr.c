/*
 * expr.c — constructing, folding and evaluating bound expressions (expr.h).
 * AND, OR, CASE and COALESCE are evaluated lazily: later branches run only
 * on the rows that still need them, by narrowing the row set, so
 * `x <> 0 AND y / x > 1` never divides by zero and expensive branches skip
 * rows already decided.
 */
#include "exec/expr.h"
#include "func/kernel.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

void sl__ectx_fail(sl__ectx *ctx, sl_status code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (ctx->err) sl__err_vset(ctx->err, code, -1, fmt, ap);
    va_end(ap);
    ctx->failed = true;
}

sl__expr *sl__expr_new(sl__expr_kind kind, const sl__type *t, sl__expr **args, uint32_t n_args) {
    sl__expr *e = sl__calloc(1, sizeof *e);
    e->kind = kind;
    e->type = t;
    if (n_args) {
        e->args = sl__malloc(sizeof *e->args * n_args);
        memcpy(e->args, args, sizeof *e->args * n_args);
    }
    e->n_args = n_args;
    return e;
}

sl__expr *sl__expr_field(sl__expr *s, uint32_t idx) {
    sl__expr *e = sl__expr_new(E_FIELD, s->type->fields[idx], &s, 1);
    e->col = idx;
    return e;
}

bool sl__expr_equal(const sl__expr *a, const sl__expr *b) {
    if (a->kind != b->kind || a->type != b->type || a->n_args != b->n_args) return false;
    switch (a->kind) {
    case E_CONST: {
        bool va = sl__vec_valid(a->cval, 0), vb = sl__vec_valid(b->cval, 0);
        if (va != vb) return false;
        if (va && sl__value_cmp(a->cval, 0, b->cval, 0) != 0) return false;
        break;
    }
    case E_COLREF: return a->col == b->col;
    case E_FIELD:
        if (a->col != b->col) return false;
        break;
    case E_CALL:
        /* states are built from the (compared) arguments, so they need no check */
        if (a->kernel != b->kernel || a->iparam != b->iparam || a->volatile_ || b->volatile_)
            return false;
        break;
    default: break;
    }
    for (uint32_t i = 0; i < a->n_args; i++)
        if (!sl__expr_equal(a->args[i], b->args[i])) return false;
    if (a->has_else != b->has_else) return false;
    return true;
}

sl__expr *sl__expr_const(sl__vec *cval) {
    cval->is_const = true;
    sl__expr *e = sl__expr_new(E_CONST, cval->type, NULL, 0);
    e->cval = cval;
    return e;
}

sl__expr *sl__expr_const_null(const sl__type *t) {
    sl__vec *v = sl__vec_new(t, 1);
    sl__vec_make_const_null(v);
    return sl__expr_const(v);
}

sl__expr *sl__expr_const_i64(const sl__type *t, int64_t x) {
    sl__vec *v = sl__vec_new(t, 1);
    switch (t->id) {
    case SL_TYPE_BOOLEAN: SL_VEC_DATA(v, uint8_t)[0] = x != 0; break;
    case SL_TYPE_SMALLINT: SL_VEC_DATA(v, int16_t)[0] = (int16_t)x; break;
    case SL_TYPE_INT:
    case SL_TYPE_DATE: SL_VEC_DATA(v, int32_t)[0] = (int32_t)x; break;
    default: SL_VEC_DATA(v, int64_t)[0] = x;
    }
    return sl__expr_const(v);
}

sl__expr *sl__expr_const_f64(double x) {
    sl__vec *v = sl__vec_new(SL_T_F64, 1);
    SL_VEC_DATA(v, double)[0] = x;
    return sl__expr_const(v);
}

sl__expr *sl__expr_const_bool(bool x) {
    return sl__expr_const_i64(SL_T_BOOL, x);
}

sl__expr *sl__expr_const_str(const char *s, size_t n) {
    sl__vec *v = sl__vec_new(SL_T_STR, 1);
    sl__vec_set_str_copy(v, 0, s, n);
    return sl__expr_const(v);
}

sl__expr *sl__expr_colref(uint32_t col, const sl__type *t) {
    sl__expr *e = sl__expr_new(E_COLREF, t, NULL, 0);
    e->col = col;
    return e;
}

sl__expr *sl__expr_call(const char *fname, const sl__type *t, sl__kernel k, sl__expr **args,
                        uint32_t n_args) {
    sl__expr *e = sl__expr_new(E_CALL, t, args, n_args);
    e->kernel = k;
    e->fname = fname;
    return e;
}

void sl__expr_free(sl__expr *e) {
    if (!e) return;
    for (uint32_t i = 0; i < e->n_args; i++) sl__expr_free(e->args[i]);
    sl__free(e->args);
    sl__vec_free(e->cval);
    sl__vec_free(e->scratch);
    if (e->state && e->free_state) e->free_state(e->state);
    sl__free(e);
}

/* States are immutable after bind, so clones share them; only the original
 * frees. A clone therefore must not outlive its original. */
sl__expr *sl__expr_clone(const sl__expr *e) {
    sl__expr *c = sl__calloc(1, sizeof *c);
    *c = *e;
    c->scratch = NULL;
    c->free_state = NULL;
    if (e->n_args) {
        c->args = sl__malloc(sizeof *c->args * e->n_args);
        for (uint32_t i = 0; i < e->n_args; i++) c->args[i] = sl__expr_clone(e->args[i]);
    }
    if (e->cval) {
        c->cval = sl__vec_new(e->cval->type, 1);
        sl__vec_copy_value(c->cval, 0, e->cval, 0);
        c->cval->is_const = true;
    }
    return c;
}

bool sl__expr_is_const(const sl__expr *e) {
    if (e->kind == E_COLREF || e->volatile_) return false;
    if (e->kind == E_CONST) return true;
    for (uint32_t i = 0; i < e->n_args; i++)
        if (!sl__expr_is_const(e->args[i])) return false;
    return true;
}

static sl__vec *scratch(sl__expr *e) {
    if (!e->scratch)
        e->scratch = sl__vec_new(e->type, SL_VEC_SIZE);
    else
        sl__vec_reset(e->scratch);
    return e->scratch;
}

/* Rows of `rows` where vector v (BOOLEAN) is exactly `want` (true/false) or,
 * with want = 2, NULL. */
static uint32_t rows_where(const sl__vec *v, const sl__rows *rows, int want, uint32_t *out) {
    uint32_t n = 0;
    const uint8_t *d = SL_VEC_DATA(v, uint8_t);
    if (want == 1 && !v->is_const) {
        /* the common case (WHERE): branch-free when no row is NULL */
        if (sl__vec_no_nulls(v, rows->sel, rows->count)) {
            if (rows->sel) {
                for (uint32_t i = 0; i < rows->count; i++) {
                    uint32_t r = rows->sel[i];
                    out[n] = r;
                    n += d[r] != 0;
                }
            } else {
                for (uint32_t r = 0; r < rows->count; r++) {
                    out[n] = r;
                    n += d[r] != 0;
                }
            }
            return n;
        }
    }
    for (uint32_t i = 0; i < rows->count; i++) {
        uint32_t r = SL_ROW(rows, i);
        uint32_t k = sl__vec_idx(v, r);
        int val = sl__vec_valid(v, k) ? d[k] != 0 : 2;
        if (val == want) out[n++] = r;
    }
    return n;
}

static void copy_rows(sl__vec *out, const sl__vec *src, const sl__rows *rows) {
    for (uint32_t i = 0; i < rows->count; i++) {
        uint32_t r = SL_ROW(rows, i);
        sl__vec_copy_value(out, r, src, r);
    }
}

/* Copies a flat (non-nested, non-string) value without going through the
 * deep copy: used on hot paths of CASE/COALESCE. */
static void copy_rows_fast(sl__vec *out, const sl__vec *src, const sl__rows *rows) {
    if (src->type->id == SL_TYPE_STRING || src->type->id == SL_TYPE_STRUCT ||
        src->type->id == SL_TYPE_ARRAY) {
        copy_rows(out, src, rows);
        return;
    }
    size_t w = sl__type_width(src->type);
    for (uint32_t i = 0; i < rows->count; i++) {
        uint32_t r = SL_ROW(rows, i);
        uint32_t k = sl__vec_idx(src, r);
        bool valid = sl__vec_valid(src, k);
        sl__vec_set_validity(out, r, valid);
        if (valid)
            memcpy((char *)out->data + (size_t)r * w, (const char *)src->data + (size_t)k * w, w);
    }
}

/* The operands of a chain of one connective (AND or OR), in the order the
 * nested evaluation visits them: and(and(a, b), c) and and(a, and(b, c))
 * are both [a, b, c]. False when there are more than cap. */
static bool flatten(sl__expr *e, sl__expr_kind k, sl__expr **out, uint32_t *n, uint32_t cap) {
    for (uint32_t i = 0; i < 2; i++) {
        sl__expr *x = e->args[i];
        if (x->kind == k) {
            if (!flatten(x, k, out, n, cap)) return false;
        } else {
            if (*n == cap) return false;
            out[(*n)++] = x;
        }
    }
    return true;
}

/* Is any of the rows' bytes of d equal to `byte` (0 or 1, the other value being the only
 * other one present)? */
static bool any_byte(const uint8_t *d, const sl__rows *rows, uint8_t byte) {
    if (!rows->sel) {
        if (byte == 0) return memchr(d, 0, rows->count) != NULL;
        for (uint32_t r = 0; r < rows->count; r++)
            if (d[r] != 0) return true;
        return false;
    }
    uint8_t acc = 0, want = byte ? 0 : 1;
    for (uint32_t i = 0; i < rows->count; i++) acc |= (uint8_t)((d[rows->sel[i]] != 0) != want);
    return acc != 0;
}

/*
 * Can e be evaluated on rows it was not asked for with no effect beyond
 * the values at those rows (no error, no counter such as from_json's bad
 * records)? Columns, constants, fields, AND/OR of such, and the total
 * functions of nullness and truth that dropna and IS [NOT] NULL produce.
 */
static bool harmless(const sl__expr *e) {
    switch (e->kind) {
    case E_CONST:
    case E_COLREF: return true;
    case E_FIELD: return harmless(e->args[0]);
    case E_AND:
    case E_OR: return harmless(e->args[0]) && harmless(e->args[1]);
    case E_CALL:
        if (strcmp(e->fname, "isnotnull") != 0 && strcmp(e->fname, "isnull") != 0 &&
            strcmp(e->fname, "isnan") != 0 && strcmp(e->fname, "not") != 0)
            return false;
        for (uint32_t i = 0; i < e->n_args; i++)
            if (!harmless(e->args[i])) return false;
        return true;
    default: return false;
    }
}

/* Bit i set when byte d[i] is not zero, for i < cnt (<= 64). */
static inline uint64_t nonzero_bits(const uint8_t *d, uint32_t cnt) {
#ifdef __SSE2__
    if (cnt == 64) {
        const __m128i z = _mm_setzero_si128();
        uint64_t zero = 0;
        for (int k = 0; k < 4; k++) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(d + 16 * k));
            zero |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, z)) << (16 * k);
        }
        return ~zero;
    }
#endif
    uint64_t m = 0;
    for (uint32_t i = 0; i < cnt; i++) m |= (uint64_t)(d[i] != 0) << i;
    return m;
}

/* Bytes o[0, cnt) = bits 0..cnt-1 of m (0 or 1), cnt <= 64, eight at a time. */
static inline void bits_to_bytes(uint64_t m, uint8_t *o, uint32_t cnt) {
    uint32_t i = 0;
    for (; i + 8 <= cnt; i += 8) {
        uint64_t x = ((m >> i) & 0xFF) * 0x0101010101010101ULL & 0x8040201008040201ULL;
        x = ((x + 0x7F7F7F7F7F7F7F7FULL) >> 7) & 0x0101010101010101ULL;
        memcpy(o + i, &x, 8);
    }
    for (; i < cnt; i++) o[i] = (m >> i) & 1;
}

/* Bit i set when d[i] is NaN, for i < cnt (<= 64). */
static inline uint64_t nan_bits(const double *d, uint32_t cnt) {
    uint64_t m = 0;
    for (uint32_t i = 0; i < cnt; i++) m |= (uint64_t)(d[i] != d[i]) << i;
    return m;
}

enum { F_BOOL, F_NOTNULL, F_ISNULL, F_ISNAN };

/*
 * Evaluates operand e of a chain on the rows cur and folds it into the
 * bitmaps: rows where its value is `decide` join dec, rows where it is NULL
 * join nul. NOT, isnull, isnotnull and isnan of a DOUBLE are folded from
 * their argument without running their kernels — NOT flips the value the
 * rows are decided by; the tests are the argument's validity bits (and, for
 * isnan, x != x), exactly what those kernels compute, never NULL.
 */
static void fold_operand(sl__expr *e, uint8_t decide, sl__ectx *ctx, const sl__batch *b,
                         const sl__rows *cur, uint32_t n, uint64_t *dec, uint64_t *nul) {
    uint8_t want = decide; /* the value of e (NOTs stripped) that decides a row */
    while (e->kind == E_CALL && e->n_args == 1 && strcmp(e->fname, "not") == 0) {
        want = !want;
        e = e->args[0];
    }
    int kind = F_BOOL;
    if (e->kind == E_CALL && e->n_args == 1) {
        if (strcmp(e->fname, "isnotnull") == 0)
            kind = F_NOTNULL;
        else if (strcmp(e->fname, "isnull") == 0)
            kind = F_ISNULL;
        else if (strcmp(e->fname, "isnan") == 0 && e->args[0]->type->id == SL_TYPE_DOUBLE)
            kind = F_ISNAN;
    }
    sl__vec *v = sl__expr_eval_rows(kind == F_BOOL ? e : e->args[0], ctx, b, cur);
    if (ctx->failed) return;
    const uint8_t *d = SL_VEC_DATA(v, uint8_t);
    const double *dd = SL_VEC_DATA(v, double);
    if (v->is_const || cur->sel) {
        for (uint32_t k = 0; k < cur->count; k++) {
            uint32_t r = SL_ROW(cur, k), x = sl__vec_idx(v, r);
            uint64_t bit = 1ULL << (r & 63);
            bool valid = sl__vec_valid(v, x), is_null = false, val;
            switch (kind) {
            case F_BOOL:
                is_null = !valid;
                val = valid && d[x] != 0;
                break;
            case F_NOTNULL: val = valid; break;
            case F_ISNULL: val = !valid; break;
            default: val = valid && dd[x] != dd[x]; break;
            }
            if (is_null)
                nul[r >> 6] |= bit;
            else if (val == want)
                dec[r >> 6] |= bit;
        }
        return;
    }
    uint32_t nw = (n + 63) / 64;
    for (uint32_t w = 0; w < nw; w++) {
        uint32_t cnt = w == nw - 1 && n % 64 ? n % 64 : 64;
        uint64_t m = cnt == 64 ? ~0ULL : (1ULL << cnt) - 1;
        uint64_t valid = v->validity[w] & m, t, nn = 0;
        switch (kind) {
        case F_BOOL:
            t = nonzero_bits(d + 64 * w, cnt);
            nn = ~valid & m;
            break;
        case F_NOTNULL: t = valid; break;
        case F_ISNULL: t = ~valid & m; break;
        default: t = valid & nan_bits(dd + 64 * w, cnt); break;
        }
        dec[w] |= m & ~nn & (want ? t : ~t);
        nul[w] |= nn;
    }
}

/*
 * eval_and_or on a dense row set 0..n-1 with the rows' state in bitmaps:
 * dec (decided by an operand: FALSE for AND, TRUE for OR) and nul (an
 * operand was NULL there). An operand is evaluated on the rows not decided
 * yet, as in the nested evaluation — except that a harmless one (above) is
 * evaluated on all n rows, which keeps its row set dense; its values on
 * decided rows cannot change their result (the first deciding operand
 * wins), so the result is the same. Folding an operand in is a few word
 * operations per 64 rows.
 */
static void eval_chain_dense(sl__expr **ops, uint32_t n_ops, uint8_t decide, sl__ectx *ctx,
                             const sl__batch *b, const sl__rows *rows, sl__vec *out) {
    uint32_t n = rows->count, nw = (n + 63) / 64;
    uint64_t dec[SL_VEC_SIZE / 64], nul[SL_VEC_SIZE / 64];
    memset(dec, 0, nw * sizeof *dec);
    memset(nul, 0, nw * sizeof *nul);
    uint64_t last = n % 64 ? (1ULL << (n % 64)) - 1 : ~0ULL;
    uint32_t *list = NULL;
    for (uint32_t i = 0; i < n_ops; i++) {
        uint64_t any_dec = 0, all_dec = ~0ULL;
        for (uint32_t w = 0; w < nw; w++) {
            uint64_t m = w == nw - 1 ? last : ~0ULL;
            any_dec |= dec[w];
            all_dec &= dec[w] | ~m;
        }
        if (all_dec == ~0ULL) break; /* every row decided: later operands see no rows */
        sl__rows cur = *rows;
        if (any_dec && !harmless(ops[i])) {
            if (!list) list = sl__malloc(sizeof *list * n);
            uint32_t m = 0;
            for (uint32_t w = 0; w < nw; w++) {
                uint64_t bits = ~dec[w] & (w == nw - 1 ? last : ~0ULL);
                while (bits) {
                    list[m++] = w * 64 + (uint32_t)__builtin_ctzll(bits);
                    bits &= bits - 1;
                }
            }
            cur.sel = list;
            cur.count = m;
        }
        fold_operand(ops[i], decide, ctx, b, &cur, n, dec, nul);
        if (ctx->failed) break;
    }
    sl__free(list);
    if (ctx->failed) return;
    /* decided rows: `decide`; the others: !decide, or NULL when an operand was NULL */
    uint8_t *o = SL_VEC_DATA(out, uint8_t);
    for (uint32_t w = 0; w < nw; w++) {
        uint64_t m = w == nw - 1 ? last : ~0ULL;
        uint64_t valid = dec[w] | ~nul[w];
        out->validity[w] = (out->validity[w] & ~m) | (valid & m);
        bits_to_bytes(decide ? dec[w] : ~dec[w], o + 64 * w, w == nw - 1 && n % 64 ? n % 64 : 64);
    }
}

/*
 * Three-valued AND / OR over a whole chain of the connective at once. Each
 * operand is evaluated on the rows not decided by the ones before it (for
 * AND the rows where none was FALSE, NULL rows included), exactly the rows
 * the nested evaluation of and(and(a, b), c) gives each: later operands
 * never see rows already decided, and errors they would raise there never
 * happen. A row is decided by the first operand that is FALSE (AND) / TRUE
 * (OR); a row never decided is TRUE / FALSE, or NULL when some operand was
 * NULL there. Operands that decide nothing and have no NULL (the common
 * case: a WHERE whose conditions hold) cost one check and keep the row set
 * as it is, dense when it was.
 */
static void eval_and_or(sl__expr *e, sl__ectx *ctx, const sl__batch *b, const sl__rows *rows,
                        sl__vec *out) {
    bool is_and = e->kind == E_AND;
    uint8_t decide = is_and ? 0 : 1; /* the operand value that decides a row */
    sl__expr *ops_small[64];
    sl__expr **ops = ops_small;
    uint32_t n_ops = 0;
    if (!flatten(e, e->kind, ops, &n_ops, 64)) {
        ops[0] = e->args[0];
        ops[1] = e->args[1];
        n_ops = 2;
    }
    if (!rows->sel) {
        eval_chain_dense(ops, n_ops, decide, ctx, b, rows, out);
        return;
    }
    uint8_t *o = SL_VEC_DATA(out, uint8_t);
    uint8_t nul[SL_VEC_SIZE]; /* rows where an operand was NULL: set only when any_null */
    bool any_null = false;
    uint32_t *buf = NULL; /* two lists of rows->count entries, allocated when rows are dropped */
    sl__rows cur = *rows;
    for (uint32_t i = 0; i < n_ops && cur.count; i++) {
        sl__vec *v = sl__expr_eval_rows(ops[i], ctx, b, &cur);
        if (ctx->failed) break;
        const uint8_t *d = SL_VEC_DATA(v, uint8_t);
        if (v->is_const) {
            if (!sl__vec_valid(v, 0)) {
                if (!any_null) memset(nul, 0, sizeof nul);
                any_null = true;
                for (uint32_t k = 0; k < cur.count; k++) nul[SL_ROW(&cur, k)] = 1;
            } else if ((d[0] != 0) == decide) {
                for (uint32_t k = 0; k < cur.count; k++) o[SL_ROW(&cur, k)] = decide;
                cur.count = 0;
            }
            continue;
        }
        bool no_nulls = sl__vec_no_nulls(v, cur.sel, cur.count);
        if (no_nulls && !any_byte(d, &cur, decide)) continue; /* nothing decided, no NULL */
        if (!buf) buf = sl__malloc(sizeof(uint32_t) * 2 * (rows->count ? rows->count : 1));
        uint32_t *next = cur.sel == buf ? buf + rows->count : buf;
        uint32_t nn = 0;
        if (no_nulls) {
            for (uint32_t k = 0; k < cur.count; k++) {
                uint32_t r = SL_ROW(&cur, k);
                bool dec = (d[r] != 0) == decide;
                o[r] = decide; /* kept rows get their value at the end */
                next[nn] = r;
                nn += !dec;
            }
        } else {
            if (!any_null) memset(nul, 0, sizeof nul);
            any_null = true;
            for (uint32_t k = 0; k < cur.count; k++) {
                uint32_t r = SL_ROW(&cur, k);
                bool valid = sl__vec_valid(v, r);
                if (valid && (d[r] != 0) == decide) {
                    o[r] = decide;
                } else {
                    next[nn++] = r;
                    nul[r] |= !valid;
                }
            }
        }
        cur.sel = next;
        cur.count = nn;
    }
    if (!ctx->failed) {
        /* rows never decided: TRUE for AND, FALSE for OR, unless an operand was NULL */
        uint8_t undecided = !decide;
        if (any_null) {
            for (uint32_t k = 0; k < cur.count; k++) {
                uint32_t r = SL_ROW(&cur, k);
                o[r] = undecided;
                if (nul[r]) sl__vec_set_null(out, r);
            }
        } else if (!cur.sel) {
            memset(o, undecided, cur.count);
        } else {
            for (uint32_t k = 0; k < cur.count; k++) o[cur.sel[k]] = undecided;
        }
    }
    sl__free(buf);
}

static void eval_case(sl__expr *e, sl__ectx *ctx, const sl__batch *b, const sl__rows *rows,
                      sl__vec *out) {
    uint32_t nw = (e->n_args - (e->has_else ? 1 : 0)) / 2;
    uint32_t cap = rows->count ? rows->count : 1;
    uint32_t *left = sl__malloc(sizeof(uint32_t) * cap);
    uint32_t *hit = sl__malloc(sizeof(uint32_t) * cap);
    uint32_t *rest = sl__malloc(sizeof(uint32_t) * cap);
    uint32_t nl = rows->count;
    for (uint32_t i = 0; i < nl; i++) left[i] = SL_ROW(rows, i);
    for (uint32_t w = 0; w < nw && nl && !ctx->failed; w++) {
        sl__rows lr = {left, nl};
        sl__vec *c = sl__expr_eval_rows(e->args[2 * w], ctx, b, &lr);
        if (ctx->failed) break;
        uint32_t nh = rows_where(c, &lr, 1, hit);
        /* rows not taken by this branch */
        uint32_t nr = 0, h = 0;
        for (uint32_t i = 0; i < nl; i++) {
            if (h < nh && hit[h] == left[i])
                h++;
            else
                rest[nr++] = left[i];
        }
        if (nh) {
            sl__rows hr = {hit, nh};
            sl__vec *t = sl__expr_eval_rows(e->args[2 * w + 1], ctx, b, &hr);
            if (ctx->failed) break;
            copy_rows_fast(out, t, &hr);
        }
        memcpy(left, rest, sizeof(uint32_t) * nr);
        nl = nr;
    }
    if (nl && !ctx->failed) {
        sl__rows lr = {left, nl};
        if (e->has_else) {
            sl__vec *el = sl__expr_eval_rows(e->args[e->n_args - 1], ctx, b, &lr);
            if (!ctx->failed) copy_rows_fast(out, el, &lr);
        } else {
            for (uint32_t i = 0; i < nl; i++) sl__vec_set_null(out, left[i]);
        }
    }
    sl__free(left);
    sl__free(hit);
    sl__free(rest);
}

static void eval_coalesce(sl__expr *e, sl__ectx *ctx, const sl__batch *b, const sl__rows *rows,
                          sl__vec *out) {
    uint32_t cap = rows->count ? rows->count : 1;
    uint32_t *left = sl__malloc(sizeof(uint32_t) * cap);
    uint32_t *found = sl__malloc(sizeof(uint32_t) * cap);
    uint32_t nl = rows->count;
    for (uint32_t i = 0; i < nl; i++) left[i] = SL_ROW(rows, i);
    for (uint32_t a = 0; a < e->n_args && nl && !ctx->failed; a++) {
        sl__rows lr = {left, nl};
        sl__vec *v = sl__expr_eval_rows(e->args[a], ctx, b, &lr);
        if (ctx->failed) break;
        uint32_t nf = 0, nr = 0;
        for (uint32_t i = 0; i < nl; i++) {
            uint32_t r = left[i];
            if (sl__vec_valid(v, sl__vec_idx(v, r)))
                found[nf++] = r;
            else
                left[nr++] = r;
        }
        sl__rows fr = {found, nf};
        copy_rows_fast(out, v, &fr);
        nl = nr;
    }
    for (uint32_t i = 0; i < nl; i++) sl__vec_set_null(out, left[i]);
    sl__free(left);
    sl__free(found);
}

sl__vec *sl__expr_eval_rows(sl__expr *e, sl__ectx *ctx, const sl__batch *b, const sl__rows *rows) {
    switch (e->kind) {
    case E_CONST: return e->cval;
    case E_COLREF: return b->cols[e->col];
    case E_CALL: {
        sl__vec *argv_small[8];
        sl__vec **argv = e->n_args <= 8 ? argv_small : sl__malloc(sizeof *argv * e->n_args);
        for (uint32_t i = 0; i < e->n_args; i++) {
            argv[i] = sl__expr_eval_rows(e->args[i], ctx, b, rows);
            if (ctx->failed) break;
        }
        sl__vec *out = scratch(e);
        if (!ctx->failed) e->kernel(ctx, e, argv, rows, out);
        if (argv != argv_small) sl__free(argv);
        return out;
    }
    case E_AND:
    case E_OR: {
        sl__vec *out = scratch(e);
        eval_and_or(e, ctx, b, rows, out);
        return out;
    }
    case E_CASE: {
        sl__vec *out = scratch(e);
        eval_case(e, ctx, b, rows, out);
        return out;
    }
    case E_COALESCE: {
        sl__vec *out = scratch(e);
        eval_coalesce(e, ctx, b, rows, out);
        return out;
    }
    case E_FIELD: {
        sl__vec *s = sl__expr_eval_rows(e->args[0], ctx, b, rows);
        if (ctx->failed) return s;
        sl__vec *child = s->child[e->col];
        if (!s->is_const && sl__vec_no_nulls(s, rows->sel, rows->count))
            return child; /* zero copy */
        sl__vec *out = scratch(e);
        if (s->is_const) {
            out->is_const = true;
            if (sl__vec_valid(s, 0))
                sl__vec_copy_value(out, 0, child, 0);
            else
                sl__vec_set_null(out, 0);
            return out;
        }
        for (uint32_t i = 0; i < rows->count; i++) {
            uint32_t r = SL_ROW(rows, i);
            if (sl__vec_valid(s, r))
                sl__vec_copy_value(out, r, child, r);
            else
                sl__vec_set_null(out, r);
        }
        return out;
    }
    }
    return NULL;
}

sl__vec *sl__expr_eval(sl__expr *e, sl__ectx *ctx, const sl__batch *b) {
    sl__rows rows = {b->sel, b->count};
    return sl__expr_eval_rows(e, ctx, b, &rows);
}

sl__expr *sl__expr_fold(sl__expr *e, sl__ectx *ctx) {
    if (e->kind == E_CONST) return e;
    if (!sl__expr_is_const(e)) {
        /* fold the constant parts: x + CAST(1 AS BIGINT) evaluates the cast once */
        for (uint32_t i = 0; i < e->n_args; i++) e->args[i] = sl__expr_fold(e->args[i], ctx);
        return e;
    }
    sl__batch one = {0, NULL, 1, NULL, 1};
    sl__vec *v = sl__expr_eval(e, ctx, &one);
    if (ctx->failed) return e;
    sl__vec *c = sl__vec_new(e->type, 1);
    sl__vec_copy_value(c, 0, v, 0);
    sl__expr *k = sl__expr_const(c);
    sl__expr_free(e);
    return k;
}

uint32_t sl__expr_select(sl__expr *e, sl__ectx *ctx, const sl__batch *b, uint32_t *out_sel) {
    sl__rows rows = {b->sel, b->count};
    sl__vec *v = sl__expr_eval_rows(e, ctx, b, &rows);
    if (ctx->failed) return 0;
    return rows_where(v, &rows, 1, out_sel);
}

void sl__expr_print(const sl__expr *e, sl__buf *out) {
    switch (e->kind) {
    case E_CONST: {
        if (!sl__vec_valid(e->cval, 0)) {
            sl__buf_puts(out, "NULL");
            break;
        }
        switch (e->type->id) {
        case SL_TYPE_STRING: {
            sl__str s = SL_VEC_DATA(e->cval, sl__str)[0];
            sl__buf_printf(out, "'%.*s'", (int)s.len, s.ptr);
            break;
        }
        case SL_TYPE_DOUBLE: sl__buf_printf(out, "%g", SL_VEC_DATA(e->cval, double)[0]); break;
        case SL_TYPE_BOOLEAN:
            sl__buf_puts(out, SL_VEC_DATA(e->cval, uint8_t)[0] ? "true" : "false");
            break;
        case SL_TYPE_SMALLINT: sl__buf_printf(out, "%d", SL_VEC_DATA(e->cval, int16_t)[0]); break;
        case SL_TYPE_INT:
        case SL_TYPE_DATE: sl__buf_printf(out, "%d", SL_VEC_DATA(e->cval, int32_t)[0]); break;
        case SL_TYPE_BIGINT:
        case SL_TYPE_TIMESTAMP:
        case SL_TYPE_INTERVAL:
            sl__buf_printf(out, "%lld", (long long)SL_VEC_DATA(e->cval, int64_t)[0]);
            break;
        default: sl__buf_printf(out, "<%s>", e->type->name);
        }
        break;
    }
    case E_COLREF: sl__buf_printf(out, "#%u", e->col); break;
    case E_FIELD:
        sl__expr_print(e->args[0], out);
        sl__buf_printf(out, ".%s", e->args[0]->type->names[e->col]);
        break;
    case E_CALL:
    case E_AND:
    case E_OR:
    case E_CASE:
    case E_COALESCE: {
        const char *nm = e->kind == E_CALL   ? e->fname
                         : e->kind == E_AND  ? "and"
                         : e->kind == E_OR   ? "or"
                         : e->kind == E_CASE ? "case"
                                             : "coalesce";
        sl__buf_printf(out, "%s(", nm);
        for (uint32_t i = 0; i < e->n_args; i++) {
            if (i) sl__buf_puts(out, ", ");
            sl__expr_print(e->args[i], out);
        }
        sl__buf_putc(out, ')');
        break;
    }
    }
}
