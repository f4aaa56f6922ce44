/*
 * csv_read.c — the CSV reader of csv.h: options, a record tokenizer,
 * schema inference and typed parsing into chunks.
 *
 * Design notes.
 * - The tokenizer reads one record at a time into a reused array of
 *   tokens. A token is a slice of the input unless it had to be rewritten
 *   (doubled or escaped quotes, text after a closing quote); rewritten
 *   tokens live in a scratch buffer and are addressed by offset until the
 *   record is complete, since the scratch buffer may move while it grows.
 * - Unquoted runs are scanned with a 256-entry stop table (first byte of
 *   the separator, CR, LF); quoted runs with another (quote, escape, CR,
 *   LF). Records end at LF, CRLF or a lone CR; with multiLine false, a line
 *   break inside quotes also ends the record (the field keeps what it read
 *   so far: Spark reads line by line, so a quote left open at the end of a
 *   line just ends there).
 * - Rows are converted field by field straight into the chunk's vectors;
 *   a row that turns out bad under DROPMALFORMED is not committed, so the
 *   next row overwrites it.
 */
#include "format/badrec.h"
#include "format/csv.h"
#include "format/files.h"
#include "format/num.h"
#include "types/text.h"
#include "types/tz.h"
#include <math.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- options ------------------------------------------------------------- */

void sl__csv_opts_init(sl__csv_opts *o) {
    memset(o, 0, sizeof *o);
    o->sep = sl__strdup(",");
    o->sep_len = 1;
    o->quote = '"';
    o->escape = '\\';
    o->comment = -1;
    o->null_value = sl__strdup("");
    o->empty_value = sl__strdup("");
    o->nan_value = sl__strdup("NaN");
    o->pos_inf = sl__strdup("Inf");
    o->neg_inf = sl__strdup("-Inf");
    o->prefer_date = true;
    o->mode = SL_MODE_PERMISSIVE;
}

void sl__csv_opts_free(sl__csv_opts *o) {
    sl__free(o->sep);
    sl__free(o->null_value);
    sl__free(o->empty_value);
    sl__free(o->nan_value);
    sl__free(o->pos_inf);
    sl__free(o->neg_inf);
    memset(o, 0, sizeof *o);
}

/* Spark's CSVExprUtils.toDelimiterStr: \t, \\, \", \', \u0000 are escapes;
 * any other backslash sequence is an error. */
static sl_status parse_sep(const char *v, sl__csv_opts *o, sl__err *err) {
    size_t n = strlen(v);
    if (n == 0)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "csv option 'sep': the separator cannot be empty (use ',' or ';' or "
                           "'\\t', for example)");
    char *out = sl__malloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] != '\\') {
            out[k++] = v[i];
            continue;
        }
        if (i + 1 >= n) {
            sl__free(out);
            return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                               "csv option 'sep': a single backslash is not a separator (write "
                               "'\\\\' for a backslash)");
        }
        char c = v[++i];
        if (c == 't')
            out[k++] = '\t';
        else if (c == '\\' || c == '"' || c == '\'')
            out[k++] = c;
        else if (c == 'u' && n - i >= 5 && memcmp(v + i, "u0000", 5) == 0) {
            out[k++] = 0;
            i += 4;
        } else {
            sl__free(out);
            return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                               "csv option 'sep': unsupported special character '\\%c' (only \\t, "
                               "\\\\, \\\", \\' and \\u0000 are escapes)",
                               c);
        }
    }
    sl__free(o->sep);
    o->sep = out;
    o->sep_len = k;
    return SL_OK;
}

static sl_status parse_char(const char *key, const char *v, int *out, sl__err *err) {
    size_t n = strlen(v);
    if (n == 0) {
        *out = -1;
        return SL_OK;
    }
    if (n == 2 && v[0] == '\\' && v[1] == 't') n = 1, v = "\t";
    if (n == 6 && strcmp(v, "\\u0000") == 0) {
        *out = -1;
        return SL_OK;
    }
    if (n != 1)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "csv option '%s' must be a single character, got '%s' (use '' to "
                           "turn it off)",
                           key, v);
    *out = (unsigned char)v[0];
    return SL_OK;
}

static void set_str(char **dst, const char *v) {
    sl__free(*dst);
    *dst = sl__strdup(v);
}

sl_status sl__csv_opts_from(const sl__kv *opts, uint32_t n_opts, sl__csv_opts *o, sl__err *err) {
    const char *v;
    sl_status st;
    if ((v = sl__opt_get(opts, n_opts, "sep")) || (v = sl__opt_get(opts, n_opts, "delimiter")))
        if ((st = parse_sep(v, o, err))) return st;
    if ((v = sl__opt_get(opts, n_opts, "quote")) && (st = parse_char("quote", v, &o->quote, err)))
        return st;
    if ((v = sl__opt_get(opts, n_opts, "escape")) &&
        (st = parse_char("escape", v, &o->escape, err)))
        return st;
    if ((v = sl__opt_get(opts, n_opts, "comment")) &&
        (st = parse_char("comment", v, &o->comment, err)))
        return st;
    if ((v = sl__opt_get(opts, n_opts, "nullValue"))) set_str(&o->null_value, v);
    if ((v = sl__opt_get(opts, n_opts, "emptyValue"))) set_str(&o->empty_value, v);
    if ((v = sl__opt_get(opts, n_opts, "nanValue"))) set_str(&o->nan_value, v);
    if ((v = sl__opt_get(opts, n_opts, "positiveInf"))) set_str(&o->pos_inf, v);
    if ((v = sl__opt_get(opts, n_opts, "negativeInf"))) set_str(&o->neg_inf, v);
    struct {
        const char *key;
        bool *dst;
    } bools[] = {{"header", &o->header},
                 {"inferSchema", &o->infer_schema},
                 {"ignoreLeadingWhiteSpace", &o->ignore_leading},
                 {"ignoreTrailingWhiteSpace", &o->ignore_trailing},
                 {"multiLine", &o->multiline},
                 {"preferDate", &o->prefer_date}};
    for (size_t i = 0; i < SL_ARRAY_LEN(bools); i++)
        if ((st = sl__fmt_opt_bool(opts, n_opts, bools[i].key, *bools[i].dst, bools[i].dst, err)))
            return st;
    if ((v = sl__opt_get(opts, n_opts, "mode")) && !sl__parse_mode_from(v, &o->mode))
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "option 'mode' must be PERMISSIVE, DROPMALFORMED or FAILFAST, got '%s'",
                           v);
    if ((v = sl__opt_get(opts, n_opts, "timeZone"))) {
        sl__err zerr;
        sl__err_clear(&zerr);
        o->zone = sl__tz_get(v, &zerr);
        if (!o->zone)
            return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                               "option 'timeZone': unknown zone '%s' (use 'UTC', an offset such "
                               "as '+02:00' or a region such as 'Europe/Paris')",
                               v);
        if (!sl__tz_is_fixed(o->zone, &o->tz_offset_us)) o->tz_offset_us = 0;
    }
    if (o->quote >= 0 && o->sep_len && (unsigned char)o->sep[0] == o->quote)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "csv options 'sep' and 'quote' must differ (both are '%c')", o->quote);
    return SL_OK;
}

bool sl__csv_type_ok(const sl__type *t) {
    return t->id != SL_TYPE_STRUCT && t->id != SL_TYPE_ARRAY && t->id != SL_TYPE_INTERVAL;
}

/* ---- the tokenizer ------------------------------------------------------- */

typedef struct ctok {
    const char *ptr; /* the text, or NULL when in scratch at off */
    uint32_t off, len;
    bool quoted;
} ctok;

typedef struct creader {
    const sl__csv_opts *o;
    const char *p, *end;
    uint64_t line;         /* line number at p (1-based) */
    uint64_t rec_line;     /* line where the current record starts */
    const char *rec_start; /* its first byte */
    ctok *tok;
    uint32_t ntok, cap;
    sl__buf scratch;
    uint8_t stop[256];  /* ends an unquoted run */
    uint8_t qstop[256]; /* ends a quoted run */
#ifdef __SSE2__
    __m128i v_sep, v_nl, v_cr, v_quote, v_esc; /* the same bytes, broadcast */
#endif
} creader;

static void reader_init(creader *r, const sl__csv_opts *o, const char *buf, size_t len) {
    memset(r, 0, sizeof *r);
    r->o = o;
    r->p = buf;
    r->end = buf + len;
    r->line = 1;
    if (o->sep_len) r->stop[(unsigned char)o->sep[0]] = 1;
    r->stop['\n'] = r->stop['\r'] = 1;
    r->qstop['\n'] = r->qstop['\r'] = 1;
    if (o->quote >= 0) r->qstop[o->quote] = 1;
    if (o->escape >= 0) r->qstop[o->escape] = 1;
#ifdef __SSE2__
    r->v_sep = _mm_set1_epi8(o->sep_len ? o->sep[0] : '\n');
    r->v_nl = _mm_set1_epi8('\n');
    r->v_cr = _mm_set1_epi8('\r');
    r->v_quote = _mm_set1_epi8(o->quote >= 0 ? (char)o->quote : '\n');
    r->v_esc = _mm_set1_epi8(o->escape >= 0 ? (char)o->escape : '\n');
#endif
}

static void reader_free(creader *r) {
    sl__free(r->tok);
    sl__buf_free(&r->scratch);
}

/* First byte of [p, end) equal to a byte of one of the broadcast vectors
 * (16 bytes at a time), or flagged in the table; end when none. */
#ifdef __SSE2__
static inline const char *scan4(const char *p, const char *end, __m128i a, __m128i b, __m128i c,
                                __m128i d, const uint8_t *table) {
    while (end - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, a), _mm_cmpeq_epi8(x, b)),
                                 _mm_or_si128(_mm_cmpeq_epi8(x, c), _mm_cmpeq_epi8(x, d)));
        int bits = _mm_movemask_epi8(m);
        if (bits) return p + __builtin_ctz((unsigned)bits);
        p += 16;
    }
    while (p < end && !table[(unsigned char)*p]) p++;
    return p;
}
#define SCAN_UNQUOTED(r, p, end)                                                                   \
    scan4(p, end, (r)->v_sep, (r)->v_nl, (r)->v_cr, (r)->v_nl, (r)->stop)
#define SCAN_QUOTED(r, p, end)                                                                     \
    scan4(p, end, (r)->v_quote, (r)->v_esc, (r)->v_nl, (r)->v_cr, (r)->qstop)
#else
static inline const char *scan_table(const char *p, const char *end, const uint8_t *table) {
    while (p < end && !table[(unsigned char)*p]) p++;
    return p;
}
#define SCAN_UNQUOTED(r, p, end) scan_table(p, end, (r)->stop)
#define SCAN_QUOTED(r, p, end)   scan_table(p, end, (r)->qstop)
#endif

/* Does the separator start at p (p < end)? */
static inline bool at_sep(const creader *r, const char *p) {
    const sl__csv_opts *o = r->o;
    if (SL_LIKELY(o->sep_len == 1)) return *p == o->sep[0];
    return (size_t)(r->end - p) >= o->sep_len && memcmp(p, o->sep, o->sep_len) == 0;
}

static inline bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

/* Position after the end of the line at p (LF, CRLF or CR). */
static const char *eol(creader *r, const char *p) {
    while (p < r->end && *p != '\n' && *p != '\r') p++;
    if (p < r->end) {
        if (*p == '\r' && p + 1 < r->end && p[1] == '\n') p++;
        p++;
        r->line++;
    }
    return p;
}

/* Appends text[cs, p) and the byte c to the scratch copy of a token,
 * starting the copy when needed. */
static void scratch_put(creader *r, bool *scratch, size_t *so, const char *cs, const char *p,
                        int c) {
    if (!*scratch) {
        *scratch = true;
        *so = r->scratch.len;
    }
    sl__buf_append(&r->scratch, cs, (size_t)(p - cs));
    if (c >= 0) sl__buf_putc(&r->scratch, (char)c);
}

/* A quoted field at p (the opening quote). Returns the position after it. */
static const char *quoted_field(creader *r, const char *p, ctok *t) {
    const sl__csv_opts *o = r->o;
    const char *end = r->end;
    char q = (char)o->quote;
    bool scratch = false;
    size_t so = 0;
    const char *cs = ++p;
    for (;;) {
        p = SCAN_QUOTED(r, p, end);
        if (p >= end) break; /* unterminated: the field runs to the end */
        char c = *p;
        if (c == '\n' || c == '\r') {
            if (!o->multiline) break; /* the record ends with the line */
            p += c == '\r' && p + 1 < end && p[1] == '\n' ? 2 : 1;
            r->line++;
            continue;
        }
        if (c == q) {
            if (p + 1 < end && p[1] == q) { /* doubled quote (RFC 4180) */
                scratch_put(r, &scratch, &so, cs, p, q);
                cs = p += 2;
                continue;
            }
            break; /* the closing quote */
        }
        /* the escape character (differs from the quote here) */
        if (p + 1 < end && p[1] == q) { /* \" */
            scratch_put(r, &scratch, &so, cs, p, q);
            cs = p += 2;
            continue;
        }
        if (p + 2 < end && p[1] == c && (p[2] == q || p[2] == c)) { /* \\ before \" or \\ */
            scratch_put(r, &scratch, &so, cs, p, c);
            cs = p += 2;
            continue;
        }
        p++; /* a lone escape is an ordinary character */
    }
    const char *ce = p;
    if (p < end && *p == q) p++;
    /* text between the closing quote and the separator is kept */
    const char *as = p;
    while (p < end && *p != '\n' && *p != '\r' && !(r->stop[(unsigned char)*p] && at_sep(r, p)))
        p++;
    const char *ae = p;
    if (o->ignore_trailing)
        while (ae > as && is_blank(ae[-1])) ae--;
    t->quoted = true;
    if (scratch || ae > as) {
        scratch_put(r, &scratch, &so, cs, ce, -1);
        sl__buf_append(&r->scratch, as, (size_t)(ae - as));
        t->ptr = NULL;
        t->off = (uint32_t)so;
        t->len = (uint32_t)(r->scratch.len - so);
    } else {
        t->ptr = cs;
        t->len = (uint32_t)(ce - cs);
    }
    return p;
}

/* Reads the next record into r->tok. False at the end of the input. */
static bool next_record(creader *r) {
    const sl__csv_opts *o = r->o;
    const char *p = r->p, *end = r->end;
    for (;;) { /* skip blank and comment lines */
        if (p >= end) {
            r->p = p;
            return false;
        }
        const char *q = p;
        while (q < end && (unsigned char)*q <= ' ' && *q != '\n' && *q != '\r') q++;
        if (q >= end) {
            r->p = end;
            return false;
        }
        if (*q == '\n' || *q == '\r') {
            p = eol(r, q);
            continue;
        }
        if (o->comment >= 0 && *p == (char)o->comment) {
            p = eol(r, p);
            continue;
        }
        break;
    }
    r->rec_line = r->line;
    r->rec_start = p;
    r->ntok = 0;
    sl__buf_clear(&r->scratch);
    const int quote = o->quote;
    const bool lead = o->ignore_leading, trail = o->ignore_trailing, sep1 = o->sep_len == 1;
    const char s0 = o->sep_len ? o->sep[0] : '\n';
    const size_t sep_len = o->sep_len;
    for (;;) {
        ctok t;
        if (lead)
            while (p < end && is_blank(*p)) p++;
        if (quote >= 0 && p < end && *p == (char)quote) {
            t.off = 0;
            p = quoted_field(r, p, &t);
        } else {
            const char *s = p;
            for (;;) {
                p = SCAN_UNQUOTED(r, p, end);
                if (p >= end || *p == s0) {
                    if (p >= end || sep1 || at_sep(r, p)) break;
                } else {
                    break; /* a line break */
                }
                p++;
            }
            const char *e = p;
            if (trail)
                while (e > s && is_blank(e[-1])) e--;
            t.ptr = s;
            t.off = 0;
            t.len = (uint32_t)(e - s);
            t.quoted = false;
        }
        if (SL_UNLIKELY(r->ntok == r->cap)) {
            r->cap = r->cap ? r->cap * 2 : 16;
            r->tok = sl__realloc(r->tok, r->cap * sizeof *r->tok);
        }
        r->tok[r->ntok++] = t;
        if (p < end && *p != '\n' && *p != '\r') { /* at the separator */
            p += sep_len;
            continue;
        }
        if (p < end) {
            if (*p == '\r' && p + 1 < end && p[1] == '\n') p++;
            p++;
            r->line++;
        }
        break;
    }
    r->p = p;
    return true;
}

static inline const char *tok_text(const creader *r, const ctok *t) {
    return t->ptr ? t->ptr : r->scratch.p + t->off;
}

/* ---- values --------------------------------------------------------------- */

static inline bool is_space(char c) {
    return (unsigned char)c <= ' ';
}

/* Java's Double.parseDouble: trimmed; NaN, Infinity (case-sensitive, with
 * sign); decimal text with an optional f/F/d/D suffix. */
static bool java_double(const char *s, size_t n, double *out) {
    while (n && is_space(*s)) s++, n--;
    while (n && is_space(s[n - 1])) n--;
    if (!n) return false;
    const char *b = s;
    size_t bn = n;
    bool neg = false;
    if (*b == '+' || *b == '-') {
        neg = *b == '-';
        b++;
        bn--;
    }
    if (bn == 3 && memcmp(b, "NaN", 3) == 0) return *out = NAN, true;
    if (bn == 8 && memcmp(b, "Infinity", 8) == 0) return *out = neg ? -INFINITY : INFINITY, true;
    if (bn && strchr("fFdD", b[bn - 1])) n--;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
            return false;
    }
    return sl__num_parse_f64(s, n, out);
}

static bool java_bool(const char *s, size_t n, bool *out) {
    if (n == 4 && strncasecmp(s, "true", 4) == 0) return *out = true, true;
    if (n == 5 && strncasecmp(s, "false", 5) == 0) return *out = false, true;
    return false;
}

/* yyyy-MM-dd exactly (the preferDate inference pattern). */
static bool strict_date(const char *s, size_t n) {
    if (n != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    int32_t d;
    return sl__parse_date(s, n, &d);
}

static bool str_is(const char *s, size_t n, const char *v) {
    size_t vn = strlen(v);
    return n == vn && (n == 0 || memcmp(s, v, n) == 0);
}

/* Timestamp text in the options' zone. */
static bool parse_ts(const sl__csv_opts *o, const char *s, size_t n, int64_t *x) {
    return o->zone ? sl__tz_parse_timestamp(s, n, o->zone, x)
                   : sl__parse_timestamp(s, n, o->tz_offset_us, x);
}

/* The option texts a conversion compares with, and their lengths. */
typedef struct cconv {
    const sl__csv_opts *o;
    size_t null_len, empty_len, nan_len, pinf_len, ninf_len;
} cconv;

static void cconv_init(cconv *c, const sl__csv_opts *o) {
    c->o = o;
    c->null_len = strlen(o->null_value);
    c->empty_len = strlen(o->empty_value);
    c->nan_len = strlen(o->nan_value);
    c->pinf_len = strlen(o->pos_inf);
    c->ninf_len = strlen(o->neg_inf);
}

static inline bool eq(const char *s, size_t n, const char *v, size_t vn) {
    return n == vn && (n == 0 || memcmp(s, v, n) == 0);
}

/* Converts one field s[0, n) into v[row]; false when the text is not a
 * value of the column's type (v[row] is then NULL). Bytes up to lim (>= s
 * + n) may be read by the number fast paths. */
static bool convert(const cconv *c, sl__vec *v, uint32_t row, const char *s, size_t n,
                    const char *lim, bool quoted) {
    const sl__csv_opts *o = c->o;
    if (!quoted && n == 0) {
        sl__vec_set_null(v, row);
        return true;
    }
    if (quoted && n == 0) {
        s = o->empty_value;
        n = c->empty_len;
        lim = s + n;
        if (v->type->id != SL_TYPE_STRING && n == 0) {
            sl__vec_set_null(v, row);
            return true;
        }
    } else if (eq(s, n, o->null_value, c->null_len)) {
        sl__vec_set_null(v, row);
        return true;
    }
    sl__vec_set_valid(v, row);
    switch (v->type->id) {
    case SL_TYPE_STRING: sl__vec_set_str_copy(v, row, s, n); return true;
    case SL_TYPE_BIGINT: {
        int64_t x;
        if (!sl__num_fast_i64(s, n, lim, &x) && !sl__num_parse_i64(s, n, &x)) break;
        SL_VEC_DATA(v, int64_t)[row] = x;
        return true;
    }
    case SL_TYPE_INT: {
        int64_t x;
        if ((!sl__num_fast_i64(s, n, lim, &x) && !sl__num_parse_i64(s, n, &x)) || x < INT32_MIN ||
            x > INT32_MAX)
            break;
        SL_VEC_DATA(v, int32_t)[row] = (int32_t)x;
        return true;
    }
    case SL_TYPE_SMALLINT: {
        int64_t x;
        if (!sl__num_parse_i64(s, n, &x) || x < INT16_MIN || x > INT16_MAX) break;
        SL_VEC_DATA(v, int16_t)[row] = (int16_t)x;
        return true;
    }
    case SL_TYPE_DOUBLE: {
        double x;
        if (sl__num_fast_f64(s, n, lim, &x)) {
        } else if (eq(s, n, o->nan_value, c->nan_len)) {
            x = NAN;
        } else if (eq(s, n, o->pos_inf, c->pinf_len)) {
            x = INFINITY;
        } else if (eq(s, n, o->neg_inf, c->ninf_len)) {
            x = -INFINITY;
        } else if (!java_double(s, n, &x)) {
            break;
        }
        SL_VEC_DATA(v, double)[row] = x;
        return true;
    }
    case SL_TYPE_BOOLEAN: {
        bool b;
        if (!java_bool(s, n, &b)) break;
        SL_VEC_DATA(v, uint8_t)[row] = b;
        return true;
    }
    case SL_TYPE_TIMESTAMP: {
        int64_t x;
        if (!parse_ts(o, s, n, &x)) break;
        SL_VEC_DATA(v, int64_t)[row] = x;
        return true;
    }
    case SL_TYPE_DATE: {
        int32_t x;
        if (!sl__parse_date(s, n, &x)) break;
        SL_VEC_DATA(v, int32_t)[row] = x;
        return true;
    }
    case SL_TYPE_NULL: sl__vec_set_null(v, row); return true;
    default: break;
    }
    sl__vec_set_null(v, row);
    return false;
}

sl_status sl__csv_parse_buffer(const sl__csv_opts *o, const char *buf, size_t len, const char *name,
                               sl__chunks *out, uint64_t *bad, sl__err *err) {
    creader r;
    reader_init(&r, o, buf, len);
    cconv cv;
    cconv_init(&cv, o);
    const char *bend = buf + len;
    uint32_t ncols = out->schema->n_fields;
    bool first = true;
    sl_status st = SL_OK;
    sl__chunk *k = NULL;
    while (next_record(&r)) {
        if (first) {
            first = false;
            if (o->header) continue;
        }
        if (!k || k->n == SL_VEC_SIZE) k = sl__chunks_tail(out);
        uint32_t row = k->n;
        bool ok = r.ntok == ncols;
        uint32_t bad_col = ncols;
        for (uint32_t i = 0; i < ncols; i++) {
            if (i < r.ntok) {
                const ctok *t = &r.tok[i];
                const char *tx = tok_text(&r, t);
                if (!convert(&cv, k->cols[i], row, tx, t->len, t->ptr ? bend : tx + t->len,
                             t->quoted)) {
                    ok = false;
                    if (bad_col == ncols) bad_col = i;
                }
            } else {
                sl__vec_set_null(k->cols[i], row);
            }
        }
        if (!ok) {
            (*bad)++;
            if (o->keep) {
                const char *re = r.p;
                while (re > r.rec_start && (re[-1] == '\n' || re[-1] == '\r')) re--;
                sl__badrec_add(o->keep, name, r.rec_start, (size_t)(re - r.rec_start),
                               bad_col < ncols ? "a field of the wrong type (read as NULL)"
                                               : "a wrong number of fields");
            }
            if (o->mode == SL_MODE_FAILFAST) {
                if (bad_col < ncols) {
                    const ctok *t = &r.tok[bad_col];
                    st =
                        sl__err_set(err, SL_ERR_EXEC, -1,
                                    "%s:%llu: malformed CSV record in mode FAILFAST: column %s "
                                    "(%s) cannot hold '%.*s' (use mode 'PERMISSIVE' to read it "
                                    "as NULL, or 'DROPMALFORMED' to skip the record)",
                                    name ? name : "<buffer>", (unsigned long long)r.rec_line,
                                    out->schema->names[bad_col], out->schema->fields[bad_col]->name,
                                    (int)SL_MIN(t->len, 60u), tok_text(&r, t));
                } else {
                    st = sl__err_set(err, SL_ERR_EXEC, -1,
                                     "%s:%llu: malformed CSV record in mode FAILFAST: %u fields, "
                                     "the schema has %u (use mode 'PERMISSIVE' to read it anyway, "
                                     "or 'DROPMALFORMED' to skip the record)",
                                     name ? name : "<buffer>", (unsigned long long)r.rec_line,
                                     r.ntok, ncols);
                }
                break;
            }
            if (o->mode == SL_MODE_DROPMALFORMED) continue;
        }
        sl__chunks_commit(out, k);
    }
    reader_free(&r);
    return st;
}

/* ---- inference ------------------------------------------------------------ */

enum { C_NULL, C_INT, C_LONG, C_DOUBLE, C_DATE, C_TS, C_BOOL, C_STRING };

struct sl__csv_infer {
    const sl__csv_opts *o;
    bool started;
    uint32_t ncols;
    char **names; /* owned */
    int *types;
};

sl__csv_infer *sl__csv_infer_new(const sl__csv_opts *o) {
    sl__csv_infer *ci = sl__calloc(1, sizeof *ci);
    ci->o = o;
    return ci;
}

void sl__csv_infer_free(sl__csv_infer *ci) {
    if (!ci) return;
    for (uint32_t i = 0; i < ci->ncols; i++) sl__free(ci->names[i]);
    sl__free(ci->names);
    sl__free(ci->types);
    sl__free(ci);
}

/* The steps of Spark's CSVInferSchema chain; each falls through to the
 * next when the text is not of its type. */
static int try_bool(const char *s, size_t n) {
    bool b;
    return java_bool(s, n, &b) ? C_BOOL : C_STRING;
}

static int try_ts(const cconv *c, const char *s, size_t n) {
    int64_t x;
    return parse_ts(c->o, s, n, &x) ? C_TS : try_bool(s, n);
}

static int try_date(const cconv *c, const char *s, size_t n) {
    return c->o->prefer_date && strict_date(s, n) ? C_DATE : try_ts(c, s, n);
}

static int try_double(const cconv *c, const char *s, size_t n, const char *lim) {
    const sl__csv_opts *o = c->o;
    double d;
    if (sl__num_fast_f64(s, n, lim, &d) || java_double(s, n, &d) ||
        eq(s, n, o->nan_value, c->nan_len) || eq(s, n, o->pos_inf, c->pinf_len) ||
        eq(s, n, o->neg_inf, c->ninf_len))
        return C_DOUBLE;
    return try_date(c, s, n);
}

static bool parse_long(const char *s, size_t n, const char *lim, int64_t *x) {
    return sl__num_fast_i64(s, n, lim, x) || sl__num_parse_i64(s, n, x);
}

static int try_long(const cconv *c, const char *s, size_t n, const char *lim) {
    int64_t x;
    if (parse_long(s, n, lim, &x)) return C_LONG;
    /* an integer too large for BIGINT is a DECIMAL in Spark: DOUBLE here */
    return try_double(c, s, n, lim);
}

static int try_int(const cconv *c, const char *s, size_t n, const char *lim) {
    int64_t x;
    if (parse_long(s, n, lim, &x)) return x >= INT32_MIN && x <= INT32_MAX ? C_INT : C_LONG;
    return try_double(c, s, n, lim);
}

/* Spark's CSVInferSchema.inferField: the chain starts at the type so far. */
static int infer_field(const cconv *c, int so_far, const char *s, size_t n, const char *lim) {
    switch (so_far) {
    case C_NULL:
    case C_INT: return try_int(c, s, n, lim);
    case C_LONG: return try_long(c, s, n, lim);
    case C_DOUBLE: return try_double(c, s, n, lim);
    case C_DATE: return c->o->prefer_date && strict_date(s, n) ? C_DATE : try_ts(c, s, n);
    case C_TS: return try_ts(c, s, n);
    case C_BOOL: return try_bool(s, n);
    default: return C_STRING;
    }
}

/* R85: int+long -> long, integral+double -> double, date+timestamp ->
 * string, anything else that differs -> string. */
static int merge(int a, int b) {
    if (a == b) return a;
    if (a == C_NULL) return b;
    if (b == C_NULL) return a;
    if ((a == C_INT && b == C_LONG) || (a == C_LONG && b == C_INT)) return C_LONG;
    if ((a == C_INT || a == C_LONG || a == C_DOUBLE) &&
        (b == C_INT || b == C_LONG || b == C_DOUBLE))
        return C_DOUBLE;
    return C_STRING;
}

/* R82: header names made safe. */
static void set_names(sl__csv_infer *ci, const creader *r) {
    const sl__csv_opts *o = ci->o;
    uint32_t n = r->ntok;
    ci->ncols = n;
    ci->names = sl__calloc(n ? n : 1, sizeof *ci->names);
    ci->types = sl__calloc(n ? n : 1, sizeof *ci->types);
    for (uint32_t i = 0; i < n; i++) {
        const ctok *t = &r->tok[i];
        const char *s = tok_text(r, t);
        if (!o->header || t->len == 0 || str_is(s, t->len, o->null_value)) {
            ci->names[i] = sl__sprintf("_c%u", i);
            continue;
        }
        bool dup = false;
        for (uint32_t k = 0; k < n && !dup; k++) {
            const ctok *u = &r->tok[k];
            if (k != i && u->len == t->len && strncasecmp(tok_text(r, u), s, t->len) == 0)
                dup = true;
        }
        ci->names[i] = dup ? sl__sprintf("%.*s%u", (int)t->len, s, i) : sl__strndup(s, t->len);
    }
}

void sl__csv_infer_add(sl__csv_infer *ci, const char *buf, size_t len) {
    const sl__csv_opts *o = ci->o;
    creader r;
    reader_init(&r, o, buf, len);
    cconv cv;
    cconv_init(&cv, o);
    const char *bend = buf + len;
    bool first_of_file = true;
    while (next_record(&r)) {
        if (!ci->started) {
            ci->started = true;
            set_names(ci, &r);
            first_of_file = false;
            if (o->header) continue;
        } else if (first_of_file) {
            first_of_file = false;
            if (o->header) continue;
        }
        if (!o->infer_schema) continue;
        uint32_t n = SL_MIN(r.ntok, ci->ncols);
        for (uint32_t i = 0; i < n; i++) {
            const ctok *t = &r.tok[i];
            const char *s = tok_text(&r, t);
            if (t->len == 0 || eq(s, t->len, o->null_value, cv.null_len)) continue;
            int so_far = ci->types[i];
            if (so_far == C_STRING) continue;
            const char *lim = t->ptr ? bend : s + t->len;
            ci->types[i] = merge(so_far, infer_field(&cv, so_far, s, t->len, lim));
        }
    }
    reader_free(&r);
}

const sl__type *sl__csv_infer_schema(sl__csv_infer *ci) {
    if (!ci->started) return NULL;
    const sl__type **types = sl__calloc(ci->ncols ? ci->ncols : 1, sizeof *types);
    for (uint32_t i = 0; i < ci->ncols; i++) {
        switch (ci->types[i]) {
        case C_INT: types[i] = SL_T_I32; break;
        case C_LONG: types[i] = SL_T_I64; break;
        case C_DOUBLE: types[i] = SL_T_F64; break;
        case C_DATE: types[i] = SL_T_DATE; break;
        case C_TS: types[i] = SL_T_TS; break;
        case C_BOOL: types[i] = SL_T_BOOL; break;
        default: types[i] = SL_T_STR;
        }
    }
    const sl__type *t = sl__type_struct(ci->ncols, (const char *const *)ci->names, types, NULL);
    sl__free(types);
    return t;
}
