/*
 * json_decode.c — the schema-directed JSON decoder of json.h, its lexing
 * pieces (json_int.h) and the JSON-lines buffer reader.
 *
 * Design notes.
 * - The schema is compiled once into a tree of nodes (one per STRUCT field
 *   and ARRAY element) holding what decoding needs: the value kind, field
 *   names with a small hash for lookup, and for the fast path each key's
 *   literal `"name":` as two 8-byte words to compare against the input.
 * - Fast path (top-level object only): keys must come in schema order with
 *   no escapes; each key literal is compared, then the value is parsed by
 *   an inline parser for its kind (integers and doubles without strtod,
 *   strings by a 16-byte SIMD scan for quote / backslash / control bytes).
 *   A value the inline parser does not take (escapes, a string for a
 *   double, a nested object ...) goes to the general value parser at the
 *   same position; a key that does not match (other order, missing, extra
 *   or duplicate keys, white space before ':') restarts the whole object on
 *   the general path, which overwrites everything the fast path wrote.
 * - General path: recursive descent over any JSON; a field's value goes
 *   straight into its vector at `row`; keys are looked up (expected next
 *   field first, then by name); unknown keys are skipped with validation;
 *   duplicate keys overwrite (last wins); fields not seen in an object are
 *   set NULL at the end of it. "Seen" is a generation stamp per field, so
 *   nothing is cleared per row.
 * - ARRAY values append elements to child[0] (child_len grows) and record
 *   (offset, count). A malformed text may leave unreferenced elements and
 *   heap strings behind; they are reclaimed when the vector is reset.
 * - Status: a value of the wrong type sets only its field NULL and marks
 *   the row PARTIAL; any syntax error makes it MALFORMED with every
 *   top-level field set NULL (STRUCTs recursively).
 */
#include "format/badrec.h"
#include "format/json.h"
#include "format/json_int.h"
#include "format/num.h"
#include "types/text.h"
#include "types/tz.h"
#include <math.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum {
    K_NULL,
    K_BOOL,
    K_I16,
    K_I32,
    K_I64,
    K_F64,
    K_STR,
    K_TS,
    K_DATE,
    K_STRUCT,
    K_ARRAY,
    K_OTHER
};

typedef struct jnode jnode;
typedef struct jfield jfield;

struct jnode {
    const sl__type *type;
    int kind;
    /* STRUCT */
    uint32_t n;
    jfield *f;      /* n fields */
    uint64_t *seen; /* generation stamp of the last object that set each field */
    uint32_t *slot; /* open addressing: index + 1, 0 = empty */
    uint32_t mask;  /* slots - 1; 0 when lookups scan linearly */
    /* ARRAY */
    jnode *elem;
};

struct jfield {
    jnode node;
    const char *name;
    uint32_t nlen;
    /* the key literal "name": for the fast path */
    char *lit;
    uint32_t llen;
    uint64_t w0, w1, mask; /* first 8 bytes (masked when llen < 8), last 8 bytes */
    /* the compact form with the byte before the key: {"name": or ,"name": */
    char *clit;
    uint32_t cllen;
    uint64_t c0, c1, c2, cmask; /* bytes 0-7 (masked when short), last 8, 8-15 */
};

struct sl__json_decoder {
    jnode root;
    int64_t tz;
    const sl__tz *zone; /* when set, wins over tz */
    uint64_t gen;       /* 64 bits: never wraps */
    sl__buf kbuf;       /* decoded keys */
    sl__buf sbuf;       /* decoded string values */
    sl__buf rbuf;       /* re-serialised JSON for STRING fields */
    sl__buf tbuf;       /* scratch of the re-serialiser */
    sl__badrec *keep;   /* malformed lines are copied here when set (borrowed) */
};

typedef struct jp {
    const char *p, *end;
    sl__json_decoder *d;
    bool borrow, partial;
    int depth;
} jp;

/* ---- schema compilation -------------------------------------------------- */

static int kind_of(const sl__type *t) {
    switch (t->id) {
    case SL_TYPE_NULL: return K_NULL;
    case SL_TYPE_BOOLEAN: return K_BOOL;
    case SL_TYPE_SMALLINT: return K_I16;
    case SL_TYPE_INT: return K_I32;
    case SL_TYPE_BIGINT: return K_I64;
    case SL_TYPE_DOUBLE: return K_F64;
    case SL_TYPE_STRING: return K_STR;
    case SL_TYPE_TIMESTAMP: return K_TS;
    case SL_TYPE_DATE: return K_DATE;
    case SL_TYPE_STRUCT: return K_STRUCT;
    case SL_TYPE_ARRAY: return K_ARRAY;
    default: return K_OTHER;
    }
}

static uint32_t name_hash(const char *s, size_t n) {
    return (uint32_t)sl__hash_bytes(s, n);
}

static void compile(jnode *n, const sl__type *t) {
    n->type = t;
    n->kind = kind_of(t);
    if (n->kind == K_STRUCT) {
        n->n = t->n_fields;
        n->f = sl__calloc(n->n ? n->n : 1, sizeof *n->f);
        n->seen = sl__calloc(n->n ? n->n : 1, sizeof *n->seen);
        for (uint32_t i = 0; i < n->n; i++) {
            jfield *f = &n->f[i];
            compile(&f->node, t->fields[i]);
            f->name = t->names[i];
            f->nlen = (uint32_t)strlen(f->name);
            f->llen = f->nlen + 3;
            f->lit = sl__malloc(f->llen + 8);
            f->lit[0] = '"';
            memcpy(f->lit + 1, f->name, f->nlen);
            f->lit[f->nlen + 1] = '"';
            f->lit[f->nlen + 2] = ':';
            memset(f->lit + f->llen, 0, 8);
            memcpy(&f->w0, f->lit, 8);
            f->mask = f->llen >= 8 ? ~0ULL : (1ULL << (f->llen * 8)) - 1;
            f->w0 &= f->mask;
            if (f->llen >= 8) memcpy(&f->w1, f->lit + f->llen - 8, 8);
            f->cllen = f->llen + 1;
            f->clit = sl__calloc(1, f->cllen + 16);
            f->clit[0] = i ? ',' : '{';
            memcpy(f->clit + 1, f->lit, f->llen);
            memcpy(&f->c0, f->clit, 8);
            f->cmask = f->cllen >= 8 ? ~0ULL : (1ULL << (f->cllen * 8)) - 1;
            f->c0 &= f->cmask;
            if (f->cllen >= 8) memcpy(&f->c1, f->clit + f->cllen - 8, 8);
            memcpy(&f->c2, f->clit + 8, 8);
        }
        if (n->n > 8) {
            uint32_t cap = 16;
            while (cap < n->n * 2) cap *= 2;
            n->slot = sl__calloc(cap, sizeof *n->slot);
            n->mask = cap - 1;
            for (uint32_t i = 0; i < n->n; i++) {
                uint32_t h = name_hash(n->f[i].name, n->f[i].nlen) & n->mask;
                bool dup = false;
                while (n->slot[h]) {
                    jfield *o = &n->f[n->slot[h] - 1];
                    if (o->nlen == n->f[i].nlen && memcmp(o->name, n->f[i].name, o->nlen) == 0)
                        dup = true;
                    h = (h + 1) & n->mask;
                }
                if (!dup) n->slot[h] = i + 1;
            }
        }
    } else if (n->kind == K_ARRAY) {
        n->elem = sl__calloc(1, sizeof *n->elem);
        compile(n->elem, t->fields[0]);
    }
}

static void release(jnode *n) {
    if (n->kind == K_STRUCT) {
        for (uint32_t i = 0; i < n->n; i++) {
            release(&n->f[i].node);
            sl__free(n->f[i].lit);
            sl__free(n->f[i].clit);
        }
        sl__free(n->f);
        sl__free(n->seen);
        sl__free(n->slot);
    } else if (n->kind == K_ARRAY) {
        release(n->elem);
        sl__free(n->elem);
    }
}

sl__json_decoder *sl__json_decoder_new(const sl__type *schema, int64_t tz_offset_us) {
    sl__json_decoder *d = sl__calloc(1, sizeof *d);
    compile(&d->root, schema);
    d->tz = tz_offset_us;
    return d;
}

void sl__json_decoder_set_tz(sl__json_decoder *d, int64_t tz_offset_us) {
    d->tz = tz_offset_us;
    d->zone = NULL;
}

void sl__json_decoder_set_zone(sl__json_decoder *d, const sl__tz *zone) {
    d->zone = zone;
}

void sl__json_decoder_free(sl__json_decoder *d) {
    if (!d) return;
    release(&d->root);
    sl__buf_free(&d->kbuf);
    sl__buf_free(&d->sbuf);
    sl__buf_free(&d->rbuf);
    sl__buf_free(&d->tbuf);
    sl__free(d);
}

void sl__json_set_null(sl__vec *v, uint32_t row) {
    sl__vec_set_null(v, row);
    if (v->type->id == SL_TYPE_STRUCT)
        for (uint32_t i = 0; i < v->n_child; i++) sl__json_set_null(v->child[i], row);
    else if (v->type->id == SL_TYPE_ARRAY)
        SL_VEC_DATA(v, sl__list)[row] = (sl__list){0, 0};
}

/* ---- lexing (json_int.h) ------------------------------------------------- */

static inline bool is_digit(char c) {
    return (unsigned)(c - '0') < 10;
}

/* First byte of [p, end) that is q, a backslash or a control byte. */
static inline const char *str_scan(const char *p, const char *end, char q) {
#ifdef __SSE2__
    const __m128i vq = _mm_set1_epi8(q), vb = _mm_set1_epi8('\\'), vc = _mm_set1_epi8(0x1f);
    while (end - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vq), _mm_cmpeq_epi8(x, vb)),
                                 _mm_cmpeq_epi8(_mm_max_epu8(x, vc), vc));
        int bits = _mm_movemask_epi8(m);
        if (bits) return p + __builtin_ctz((unsigned)bits);
        p += 16;
    }
#endif
    while (p < end && *p != q && *p != '\\' && (unsigned char)*p >= 0x20) p++;
    return p;
}

static int hex4(const char *p, const char *end, unsigned *out) {
    if (end - p < 4) return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return -1;
        v = v * 16 + d;
    }
    *out = v;
    return 0;
}

static void put_utf8(sl__buf *b, unsigned cp) {
    char t[4];
    size_t n;
    if (cp < 0x80) {
        t[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sl__buf_append(b, t, n);
}

int sl__json_lex_string(const char **pp, const char *end, sl__buf *buf, const char **s, size_t *n,
                        bool *esc) {
    const char *p = *pp;
    char q = *p++;
    const char *start = p;
    p = str_scan(p, end, q);
    if (SL_LIKELY(p < end && *p == q)) {
        *s = start;
        *n = (size_t)(p - start);
        *esc = false;
        *pp = p + 1;
        return 0;
    }
    sl__buf_clear(buf);
    const char *seg = start;
    for (;;) {
        if (p >= end) return -1;
        unsigned char c = (unsigned char)*p;
        if (c == (unsigned char)q) {
            sl__buf_append(buf, seg, (size_t)(p - seg));
            *s = buf->p ? buf->p : "";
            *n = buf->len;
            *esc = true;
            *pp = p + 1;
            return 0;
        }
        if (c < 0x20) return -1; /* raw control character */
        sl__buf_append(buf, seg, (size_t)(p - seg));
        if (++p >= end) return -1;
        char e = *p++;
        switch (e) {
        case '"':
        case '\\':
        case '/':
        case '\'': sl__buf_putc(buf, e); break;
        case 'b': sl__buf_putc(buf, '\b'); break;
        case 'f': sl__buf_putc(buf, '\f'); break;
        case 'n': sl__buf_putc(buf, '\n'); break;
        case 'r': sl__buf_putc(buf, '\r'); break;
        case 't': sl__buf_putc(buf, '\t'); break;
        case 'u': {
            unsigned cp, lo;
            if (hex4(p, end, &cp) < 0) return -1;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (end - p >= 6 && p[0] == '\\' && p[1] == 'u' && hex4(p + 2, end, &lo) == 0 &&
                    lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                } else {
                    cp = '?'; /* lone high surrogate: Java's encoder writes '?' */
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = '?';
            }
            put_utf8(buf, cp);
            break;
        }
        default: return -1;
        }
        seg = p;
        p = str_scan(p, end, q);
    }
}

int sl__json_lex_number(const char **pp, const char *end, sl__jnum *t) {
    const char *p = *pp;
    t->s = p;
    t->neg = false;
    if (p < end && *p == '-') {
        t->neg = true;
        p++;
    }
    if (p >= end || !is_digit(*p)) return -1;
    uint64_t w = 0;
    int sig = 0;
    int64_t q = 0;
    bool dropped = false;
    const char *ds = p;
    if (*p == '0') {
        p++;
    } else {
        for (; p < end && is_digit(*p); p++) {
            if (sig < 19) {
                w = w * 10 + (uint64_t)(*p - '0');
                sig++;
            } else {
                q++;
                dropped |= *p != '0';
            }
        }
    }
    t->int_digits = (uint32_t)(p - ds);
    t->is_int = true;
    if (p < end && *p == '.') {
        t->is_int = false;
        p++;
        if (p >= end || !is_digit(*p)) return -1;
        for (; p < end && is_digit(*p); p++) {
            if (sig < 19) {
                w = w * 10 + (uint64_t)(*p - '0');
                if (w) sig++;
                q--;
            } else {
                dropped |= *p != '0';
            }
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        t->is_int = false;
        p++;
        bool eneg = false;
        if (p < end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
        if (p >= end || !is_digit(*p)) return -1;
        int64_t x = 0;
        for (; p < end && is_digit(*p); p++)
            if (x < 1000000) x = x * 10 + (*p - '0');
        q += eneg ? -x : x;
    }
    t->w = w;
    t->q = q;
    t->dropped = dropped;
    t->n = (size_t)(p - t->s);
    *pp = p;
    return 0;
}

double sl__json_num_f64(const sl__jnum *t) {
    double d;
    if (!t->dropped && sl__num_dec_to_f64(t->w, t->q, t->neg, &d)) return d;
    return sl__num_strtod(t->s, t->n);
}

bool sl__json_num_i64(const sl__jnum *t, int64_t *out) {
    if (!t->is_int || t->int_digits > 19) return false;
    if (t->w > (uint64_t)INT64_MAX + t->neg) return false;
    *out = t->neg ? (int64_t)(0 - t->w) : (int64_t)t->w;
    return true;
}

static int lit(const char **pp, const char *end, const char *w, size_t n) {
    if ((size_t)(end - *pp) < n || memcmp(*pp, w, n) != 0) return -1;
    *pp += n;
    return 0;
}

int sl__json_lex_nonnum(const char **pp, const char *end, double *out) {
    const char *p = *pp;
    if (lit(&p, end, "NaN", 3) == 0) {
        *out = NAN;
    } else if (lit(&p, end, "Infinity", 8) == 0 || lit(&p, end, "+Infinity", 9) == 0 ||
               lit(&p, end, "+INF", 4) == 0) {
        *out = INFINITY;
    } else if (lit(&p, end, "-Infinity", 9) == 0 || lit(&p, end, "-INF", 4) == 0) {
        *out = -INFINITY;
    } else {
        return -1;
    }
    *pp = p;
    return 0;
}

static bool nonnum_start(const char *p, const char *end) {
    return *p == 'N' || *p == 'I' || *p == '+' || (*p == '-' && end - p > 1 && p[1] == 'I');
}

int sl__json_skip_value(const char **pp, const char *end, int depth) {
    const char *p = *pp;
    if (p >= end) return -1;
    switch (*p) {
    case '"':
    case '\'': {
        char q = *p++;
        for (;;) {
            p = str_scan(p, end, q);
            if (p >= end || (unsigned char)*p < 0x20) return -1;
            if (*p == q) break;
            /* backslash */
            if (++p >= end) return -1;
            char e = *p++;
            if (e == 'u') {
                unsigned cp;
                if (hex4(p, end, &cp) < 0) return -1;
                p += 4;
            } else if (!strchr("\"\\/'bfnrt", e) || !e) {
                return -1;
            }
        }
        *pp = p + 1;
        return 0;
    }
    case '{':
    case '[': {
        if (depth >= SL_JSON_MAX_DEPTH) return -1;
        bool obj = *p++ == '{';
        char close = obj ? '}' : ']';
        p = sl__json_ws(p, end);
        if (p < end && *p == close) {
            *pp = p + 1;
            return 0;
        }
        for (;;) {
            if (obj) {
                if (p >= end || (*p != '"' && *p != '\'')) return -1;
                if (sl__json_skip_value(&p, end, depth + 1) < 0) return -1;
                p = sl__json_ws(p, end);
                if (p >= end || *p != ':') return -1;
                p = sl__json_ws(p + 1, end);
            }
            if (sl__json_skip_value(&p, end, depth + 1) < 0) return -1;
            p = sl__json_ws(p, end);
            if (p >= end) return -1;
            if (*p == ',') {
                p = sl__json_ws(p + 1, end);
                continue;
            }
            if (*p == close) break;
            return -1;
        }
        *pp = p + 1;
        return 0;
    }
    case 't': return lit(pp, end, "true", 4);
    case 'f': return lit(pp, end, "false", 5);
    case 'n': return lit(pp, end, "null", 4);
    default: {
        if (nonnum_start(p, end)) {
            double d;
            return sl__json_lex_nonnum(pp, end, &d);
        }
        sl__jnum t;
        return sl__json_lex_number(pp, end, &t);
    }
    }
}

/* Java's Double.toString of a double as Jackson writes it: non-finite
 * values quoted. */
static void put_double(sl__buf *out, double d) {
    char tmp[40];
    size_t n = sl__fmt_double(d, tmp);
    if (!isfinite(d)) {
        sl__buf_putc(out, '"');
        sl__buf_append(out, tmp, n);
        sl__buf_putc(out, '"');
    } else {
        sl__buf_append(out, tmp, n);
    }
}

int sl__json_copy_value(const char **pp, const char *end, sl__buf *tmp, sl__buf *out, int depth) {
    const char *p = *pp;
    if (p >= end) return -1;
    switch (*p) {
    case '"':
    case '\'': {
        const char *s;
        size_t n;
        bool esc;
        if (sl__json_lex_string(pp, end, tmp, &s, &n, &esc) < 0) return -1;
        sl__json_write_string(s, n, out);
        return 0;
    }
    case '{':
    case '[': {
        if (depth >= SL_JSON_MAX_DEPTH) return -1;
        bool obj = *p == '{';
        char close = obj ? '}' : ']';
        sl__buf_putc(out, *p++);
        p = sl__json_ws(p, end);
        if (p < end && *p == close) {
            sl__buf_putc(out, close);
            *pp = p + 1;
            return 0;
        }
        for (;;) {
            if (obj) {
                if (p >= end || (*p != '"' && *p != '\'')) return -1;
                if (sl__json_copy_value(&p, end, tmp, out, depth + 1) < 0) return -1;
                p = sl__json_ws(p, end);
                if (p >= end || *p != ':') return -1;
                sl__buf_putc(out, ':');
                p = sl__json_ws(p + 1, end);
            }
            if (sl__json_copy_value(&p, end, tmp, out, depth + 1) < 0) return -1;
            p = sl__json_ws(p, end);
            if (p >= end) return -1;
            if (*p == ',') {
                sl__buf_putc(out, ',');
                p = sl__json_ws(p + 1, end);
                continue;
            }
            if (*p == close) break;
            return -1;
        }
        sl__buf_putc(out, close);
        *pp = p + 1;
        return 0;
    }
    case 't':
    case 'f':
    case 'n': {
        const char *s = p;
        if (sl__json_skip_value(pp, end, depth) < 0) return -1;
        sl__buf_append(out, s, (size_t)(*pp - s));
        return 0;
    }
    default: {
        double d;
        if (nonnum_start(p, end)) {
            if (sl__json_lex_nonnum(pp, end, &d) < 0) return -1;
            put_double(out, d);
            return 0;
        }
        sl__jnum t;
        if (sl__json_lex_number(pp, end, &t) < 0) return -1;
        if (!t.is_int)
            put_double(out, sl__json_num_f64(&t));
        else if (t.n == 2 && t.s[0] == '-' && t.s[1] == '0')
            sl__buf_putc(out, '0');
        else
            sl__buf_append(out, t.s, t.n);
        return 0;
    }
    }
}

/* ---- the general path ---------------------------------------------------- */

static inline void type_null(jp *j, sl__vec *v, uint32_t row) {
    sl__json_set_null(v, row);
    j->partial = true;
}

static int jvalue(jp *j, jnode *n, sl__vec *v, uint32_t row);

static int lookup(const jnode *n, const char *k, size_t kn, uint32_t hint) {
    if (hint < n->n && n->f[hint].nlen == kn && memcmp(n->f[hint].name, k, kn) == 0)
        return (int)hint;
    if (!n->mask) {
        for (uint32_t i = 0; i < n->n; i++)
            if (n->f[i].nlen == kn && memcmp(n->f[i].name, k, kn) == 0) return (int)i;
        return -1;
    }
    uint32_t h = name_hash(k, kn) & n->mask;
    while (n->slot[h]) {
        const jfield *f = &n->f[n->slot[h] - 1];
        if (f->nlen == kn && memcmp(f->name, k, kn) == 0) return (int)(n->slot[h] - 1);
        h = (h + 1) & n->mask;
    }
    return -1;
}

static int jobject(jp *j, jnode *n, sl__vec *const *fields, uint32_t row) {
    if (j->depth >= SL_JSON_MAX_DEPTH) return -1;
    j->depth++;
    sl__json_decoder *d = j->d;
    uint64_t gen = ++d->gen;
    const char *end = j->end;
    j->p = sl__json_ws(j->p + 1, end);
    uint32_t hint = 0;
    if (j->p < end && *j->p == '}') {
        j->p++;
    } else {
        for (;;) {
            if (j->p >= end || (*j->p != '"' && *j->p != '\'')) return -1;
            const char *k;
            size_t kn;
            bool esc;
            if (sl__json_lex_string(&j->p, end, &d->kbuf, &k, &kn, &esc) < 0) return -1;
            j->p = sl__json_ws(j->p, end);
            if (j->p >= end || *j->p != ':') return -1;
            j->p = sl__json_ws(j->p + 1, end);
            int idx = lookup(n, k, kn, hint);
            if (idx < 0) {
                if (sl__json_skip_value(&j->p, end, j->depth) < 0) return -1;
            } else {
                if (jvalue(j, &n->f[idx].node, fields[idx], row) < 0) return -1;
                n->seen[idx] = gen;
                hint = (uint32_t)idx + 1;
            }
            j->p = sl__json_ws(j->p, end);
            if (j->p >= end) return -1;
            if (*j->p == ',') {
                j->p = sl__json_ws(j->p + 1, end);
                continue;
            }
            if (*j->p == '}') {
                j->p++;
                break;
            }
            return -1;
        }
    }
    for (uint32_t i = 0; i < n->n; i++)
        if (n->seen[i] != gen) sl__json_set_null(fields[i], row);
    j->depth--;
    return 0;
}

static int jarray(jp *j, jnode *n, sl__vec *v, uint32_t row) {
    if (j->depth >= SL_JSON_MAX_DEPTH) return -1;
    j->depth++;
    const char *end = j->end;
    sl__vec *c = v->child[0];
    uint32_t off = v->child_len, cnt = 0;
    j->p = sl__json_ws(j->p + 1, end);
    if (j->p < end && *j->p == ']') {
        j->p++;
    } else {
        for (;;) {
            uint32_t k = v->child_len;
            if (k >= c->cap) sl__vec_reserve(c, k + 1);
            v->child_len = k + 1;
            if (jvalue(j, n->elem, c, k) < 0) return -1;
            cnt++;
            j->p = sl__json_ws(j->p, end);
            if (j->p >= end) return -1;
            if (*j->p == ',') {
                j->p = sl__json_ws(j->p + 1, end);
                continue;
            }
            if (*j->p == ']') {
                j->p++;
                break;
            }
            return -1;
        }
    }
    SL_VEC_DATA(v, sl__list)[row] = (sl__list){off, cnt};
    sl__vec_set_valid(v, row);
    j->depth--;
    return 0;
}

/* A value given to a STRING field that is not a JSON string: its JSON text. */
static int jcopy_to_str(jp *j, sl__vec *v, uint32_t row) {
    sl__json_decoder *d = j->d;
    sl__buf_clear(&d->rbuf);
    if (sl__json_copy_value(&j->p, j->end, &d->tbuf, &d->rbuf, j->depth) < 0) return -1;
    sl__vec_set_str_copy(v, row, d->rbuf.p ? d->rbuf.p : "", d->rbuf.len);
    sl__vec_set_valid(v, row);
    return 0;
}

static inline void put_str(jp *j, sl__vec *v, uint32_t row, const char *s, size_t n, bool esc) {
    if (j->borrow && !esc)
        sl__vec_set_str_borrow(v, row, s, n);
    else
        sl__vec_set_str_copy(v, row, s, n);
    sl__vec_set_valid(v, row);
}

static bool special_double(const char *s, size_t n, double *out) {
    switch (n) {
    case 3:
        if (memcmp(s, "NaN", 3) == 0) return *out = NAN, true;
        return false;
    case 4:
        if (memcmp(s, "+INF", 4) == 0) return *out = INFINITY, true;
        if (memcmp(s, "-INF", 4) == 0) return *out = -INFINITY, true;
        return false;
    case 8:
        if (memcmp(s, "Infinity", 8) == 0) return *out = INFINITY, true;
        return false;
    case 9:
        if (memcmp(s, "+Infinity", 9) == 0) return *out = INFINITY, true;
        if (memcmp(s, "-Infinity", 9) == 0) return *out = -INFINITY, true;
        return false;
    default: return false;
    }
}

static int jstring_value(jp *j, jnode *n, sl__vec *v, uint32_t row) {
    const char *s;
    size_t len;
    bool esc;
    if (sl__json_lex_string(&j->p, j->end, &j->d->sbuf, &s, &len, &esc) < 0) return -1;
    switch (n->kind) {
    case K_STR: put_str(j, v, row, s, len, esc); break;
    case K_F64: {
        double x;
        if (special_double(s, len, &x)) {
            SL_VEC_DATA(v, double)[row] = x;
            sl__vec_set_valid(v, row);
        } else {
            type_null(j, v, row);
        }
        break;
    }
    case K_TS: {
        int64_t ts;
        bool ok = j->d->zone ? sl__tz_parse_timestamp(s, len, j->d->zone, &ts)
                             : sl__parse_timestamp(s, len, j->d->tz, &ts);
        if (ok) {
            SL_VEC_DATA(v, int64_t)[row] = ts;
            sl__vec_set_valid(v, row);
        } else {
            type_null(j, v, row);
        }
        break;
    }
    case K_DATE: {
        int32_t dd;
        if (sl__parse_date(s, len, &dd)) {
            SL_VEC_DATA(v, int32_t)[row] = dd;
            sl__vec_set_valid(v, row);
        } else {
            type_null(j, v, row);
        }
        break;
    }
    case K_NULL: sl__vec_set_null(v, row); break;
    default: type_null(j, v, row);
    }
    return 0;
}

static int jnumber_value(jp *j, jnode *n, sl__vec *v, uint32_t row) {
    sl__jnum t;
    if (sl__json_lex_number(&j->p, j->end, &t) < 0) return -1;
    int64_t x;
    switch (n->kind) {
    case K_I64:
        if (!sl__json_num_i64(&t, &x)) return type_null(j, v, row), 0;
        SL_VEC_DATA(v, int64_t)[row] = x;
        break;
    case K_I32:
        if (!sl__json_num_i64(&t, &x) || x < INT32_MIN || x > INT32_MAX)
            return type_null(j, v, row), 0;
        SL_VEC_DATA(v, int32_t)[row] = (int32_t)x;
        break;
    case K_I16:
        if (!sl__json_num_i64(&t, &x) || x < INT16_MIN || x > INT16_MAX)
            return type_null(j, v, row), 0;
        SL_VEC_DATA(v, int16_t)[row] = (int16_t)x;
        break;
    case K_TS:
        /* an integer is seconds since the epoch (wraps like Spark's long math) */
        if (!sl__json_num_i64(&t, &x)) return type_null(j, v, row), 0;
        SL_VEC_DATA(v, int64_t)[row] = (int64_t)((uint64_t)x * 1000000u);
        break;
    case K_F64: SL_VEC_DATA(v, double)[row] = sl__json_num_f64(&t); break;
    case K_STR:
        if (t.is_int && !(t.n == 2 && t.neg && t.s[1] == '0')) {
            put_str(j, v, row, t.s, t.n, false);
        } else {
            sl__json_decoder *d = j->d;
            sl__buf_clear(&d->rbuf);
            if (t.is_int)
                sl__buf_putc(&d->rbuf, '0');
            else
                put_double(&d->rbuf, sl__json_num_f64(&t));
            sl__vec_set_str_copy(v, row, d->rbuf.p, d->rbuf.len);
        }
        break;
    case K_NULL: sl__vec_set_null(v, row); return 0;
    default: return type_null(j, v, row), 0;
    }
    sl__vec_set_valid(v, row);
    return 0;
}

static int jvalue(jp *j, jnode *n, sl__vec *v, uint32_t row) {
    const char *end = j->end;
    if (j->p >= end) return -1;
    switch (*j->p) {
    case '"':
    case '\'': return jstring_value(j, n, v, row);
    case '{':
        if (n->kind == K_STRUCT) {
            sl__vec_set_valid(v, row);
            return jobject(j, n, v->child, row);
        }
        if (n->kind == K_STR) return jcopy_to_str(j, v, row);
        if (sl__json_skip_value(&j->p, end, j->depth) < 0) return -1;
        if (n->kind == K_NULL)
            sl__vec_set_null(v, row);
        else
            type_null(j, v, row);
        return 0;
    case '[':
        if (n->kind == K_ARRAY) return jarray(j, n, v, row);
        if (n->kind == K_STR) return jcopy_to_str(j, v, row);
        if (sl__json_skip_value(&j->p, end, j->depth) < 0) return -1;
        if (n->kind == K_NULL)
            sl__vec_set_null(v, row);
        else
            type_null(j, v, row);
        return 0;
    case 'n':
        if (lit(&j->p, end, "null", 4) < 0) return -1;
        sl__json_set_null(v, row);
        return 0;
    case 't':
    case 'f': {
        bool b = *j->p == 't';
        if (lit(&j->p, end, b ? "true" : "false", b ? 4 : 5) < 0) return -1;
        if (n->kind == K_BOOL) {
            SL_VEC_DATA(v, uint8_t)[row] = b;
            sl__vec_set_valid(v, row);
        } else if (n->kind == K_STR) {
            /* static text: may be borrowed whatever the mode */
            sl__vec_set_str_borrow(v, row, b ? "true" : "false", b ? 4 : 5);
            sl__vec_set_valid(v, row);
        } else if (n->kind == K_NULL) {
            sl__vec_set_null(v, row);
        } else {
            type_null(j, v, row);
        }
        return 0;
    }
    default:
        if (nonnum_start(j->p, end)) {
            if (n->kind == K_STR) return jcopy_to_str(j, v, row);
            double x;
            if (sl__json_lex_nonnum(&j->p, end, &x) < 0) return -1;
            if (n->kind == K_F64) {
                SL_VEC_DATA(v, double)[row] = x;
                sl__vec_set_valid(v, row);
            } else if (n->kind == K_NULL) {
                sl__vec_set_null(v, row);
            } else {
                type_null(j, v, row);
            }
            return 0;
        }
        return jnumber_value(j, n, v, row);
    }
}

/* ---- the fast path --------------------------------------------------------- */

static inline bool key_eq(const char *p, const char *end, const jfield *f) {
    size_t avail = (size_t)(end - p);
    if (SL_LIKELY(avail >= 16)) {
        uint64_t a;
        memcpy(&a, p, 8);
        if (f->llen < 8) return (a & f->mask) == f->w0;
        if (f->llen <= 16) {
            uint64_t b;
            memcpy(&b, p + f->llen - 8, 8);
            return a == f->w0 && b == f->w1;
        }
    }
    return avail >= f->llen && memcmp(p, f->lit, f->llen) == 0;
}

/* Does the text at p start with the field's compact literal {"name": or
 * ,"name": ? Up to 24 bytes are compared as three 8-byte words. */
static inline bool compact_eq(const char *p, const char *end, const jfield *f) {
    size_t avail = (size_t)(end - p);
    if (SL_LIKELY(avail >= 24)) {
        uint64_t a = sl__num_load8(p);
        if (f->cllen < 8) return (a & f->cmask) == f->c0;
        if (f->cllen <= 24) {
            bool ok = a == f->c0 && sl__num_load8(p + f->cllen - 8) == f->c1;
            if (f->cllen > 16) ok = ok && sl__num_load8(p + 8) == f->c2;
            return ok;
        }
    }
    return avail >= f->cllen && memcmp(p, f->clit, f->cllen) == 0;
}

/* An integer in plain JSON form; NULL when anything else (the general path
 * decides). */
__attribute__((always_inline)) static inline const char *fast_int(const char *p, const char *end,
                                                                  int64_t *out) {
    bool neg = *p == '-';
    p += neg;
    const char *ds = p;
    uint64_t v = 0;
    size_t nd = sl__num_digits(&p, end, &v);
    if (nd == 0 || nd > 19 || (nd > 1 && *ds == '0')) return NULL;
    if (p < end && (*p == '.' || *p == 'e' || *p == 'E')) return NULL;
    if (v > (uint64_t)INT64_MAX + neg) return NULL;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return p;
}

__attribute__((always_inline)) static inline const char *fast_f64(const char *p, const char *end,
                                                                  double *out) {
    bool neg = *p == '-';
    p += neg;
    const char *ds = p;
    uint64_t w = 0;
    size_t nd;
    if (end - p >= 2 && is_digit(p[0]) && p[1] == '.') { /* "0." "1.": most doubles */
        w = (uint64_t)(*p++ - '0');
        nd = 1;
    } else {
        nd = sl__num_digits(&p, end, &w);
        if (nd == 0 || (nd > 1 && *ds == '0')) return NULL;
    }
    int64_t q = 0;
    if (p < end && *p == '.') {
        p++;
        size_t nf = sl__num_digits(&p, end, &w);
        if (nf == 0) return NULL;
        nd += nf;
        q = -(int64_t)nf;
    }
    if (nd > 19) return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (p < end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
        const char *es = p;
        int64_t x = 0;
        while (p < end && is_digit(*p) && p - es < 6) x = x * 10 + (*p++ - '0');
        if (p == es || (p < end && is_digit(*p))) return NULL;
        q += eneg ? -x : x;
    }
    if (w <= (1ULL << 53) && q >= -22 && q <= 0) {
        /* Clinger's exact case, inline: one correctly rounded division */
        static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        double d = (double)w / p10[-q];
        *out = neg ? -d : d;
        return p;
    }
    if (!sl__num_dec_to_f64(w, q, neg, out)) return NULL;
    return p;
}

/* White space on the fast path: no bound check needed, because the text is
 * known to end with '}' (a byte that stops the loop). */
static inline const char *fast_ws(const char *p) {
    while (SL_UNLIKELY((unsigned char)*p <= ' ') && ((SL_JSON_WS_MASK >> (unsigned char)*p) & 1))
        p++;
    return p;
}

/*
 * 1: decoded; 0: not the expected shape, restart on the general path;
 * -1: malformed. Only entered when the last non-blank byte of the text is
 * '}': no token the inline parsers accept can reach that byte (numbers stop
 * at it, strings and literals end before it, a key literal ends with ':'),
 * so every position read below is inside the text; only a value handed to
 * the general parser can end at the text's end, and that is checked.
 */
static int fast_object(jp *j, jnode *n, sl__vec *const *fields, uint32_t row) {
    const char *p = j->p, *end = j->end;
    for (uint32_t i = 0; i < n->n; i++) {
        jfield *f = &n->f[i];
        if (SL_LIKELY(compact_eq(p, end, f))) {
            /* compact JSON: separator, key and colon in one comparison */
            p += f->cllen;
            if (SL_UNLIKELY((unsigned char)*p <= ' ')) p = fast_ws(p);
        } else {
            p = fast_ws(p);
            if (*p != f->clit[0]) return 0;
            p = fast_ws(p + 1);
            if (!key_eq(p, end, f)) return 0;
            p = fast_ws(p + f->llen);
        }
        sl__vec *v = fields[i];
        const char *q = NULL;
        if (*p == 'n') {
            if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
                sl__json_set_null(v, row);
                q = p + 4;
            }
        } else {
            switch (f->node.kind) {
            case K_I64: {
                int64_t x;
                if ((q = fast_int(p, end, &x))) SL_VEC_DATA(v, int64_t)[row] = x;
                break;
            }
            case K_I32: {
                int64_t x;
                if ((q = fast_int(p, end, &x)) && x >= INT32_MIN && x <= INT32_MAX)
                    SL_VEC_DATA(v, int32_t)[row] = (int32_t)x;
                else
                    q = NULL;
                break;
            }
            case K_I16: {
                int64_t x;
                if ((q = fast_int(p, end, &x)) && x >= INT16_MIN && x <= INT16_MAX)
                    SL_VEC_DATA(v, int16_t)[row] = (int16_t)x;
                else
                    q = NULL;
                break;
            }
            case K_F64: {
                double x;
                if ((q = fast_f64(p, end, &x))) SL_VEC_DATA(v, double)[row] = x;
                break;
            }
            case K_STR:
                if (*p == '"') {
                    const char *s = p + 1, *e = str_scan(s, end, '"');
                    if (e < end && *e == '"') {
                        if (j->borrow)
                            sl__vec_set_str_borrow(v, row, s, (size_t)(e - s));
                        else
                            sl__vec_set_str_copy(v, row, s, (size_t)(e - s));
                        q = e + 1;
                    }
                }
                break;
            case K_BOOL:
                if (end - p >= 4 && memcmp(p, "true", 4) == 0) {
                    SL_VEC_DATA(v, uint8_t)[row] = 1;
                    q = p + 4;
                } else if (end - p >= 5 && memcmp(p, "false", 5) == 0) {
                    SL_VEC_DATA(v, uint8_t)[row] = 0;
                    q = p + 5;
                }
                break;
            default: break;
            }
            if (q) sl__vec_set_valid(v, row);
        }
        if (!q) {
            j->p = p;
            if (jvalue(j, &f->node, v, row) < 0) return -1;
            q = j->p;
            if (q >= end) return 0;
        }
        p = q;
    }
    p = fast_ws(p);
    if (*p != '}') return 0;
    j->p = p + 1;
    return 1;
}

sl__json_status sl__json_decode(sl__json_decoder *d, const char *text, size_t len,
                                sl__vec *const *fields, uint32_t row, bool borrow) {
    jp j = {text, text + len, d, borrow, false, 0};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) j.p += 3;
    j.p = sl__json_ws(j.p, j.end);
    const char *start = j.p;
    jnode *root = &d->root;
    if (j.p >= j.end || *j.p != '{' || root->kind != K_STRUCT) goto bad;
    const char *last = j.end - 1;
    while (last > j.p && (unsigned char)*last <= ' ' &&
           ((SL_JSON_WS_MASK >> (unsigned char)*last) & 1))
        last--;
    int r = last > j.p && *last == '}' ? fast_object(&j, root, fields, row) : 0;
    if (r == 0) {
        j.p = start;
        j.partial = false;
        j.depth = 0;
        r = jobject(&j, root, fields, row) < 0 ? -1 : 1;
    }
    if (r < 0) goto bad;
    j.p = sl__json_ws(j.p, j.end);
    if (j.p != j.end) goto bad;
    return j.partial ? SL_JSON_PARTIAL : SL_JSON_OK;
bad:
    for (uint32_t i = 0; i < root->n; i++) sl__json_set_null(fields[i], row);
    return SL_JSON_MALFORMED;
}

void sl__json_decoder_keep_bad(sl__json_decoder *d, sl__badrec *keep) {
    d->keep = keep;
}

/* ---- JSON lines --------------------------------------------------------- */

sl_status sl__json_lines_parse_buffer(sl__json_decoder *d, const char *buf, size_t len,
                                      sl__parse_mode mode, const char *name, sl__chunks *out,
                                      uint64_t *bad, sl__err *err) {
    const char *p = buf, *end = buf + len;
    uint64_t line = 0;
    sl__chunk *k = NULL; /* the tail chunk; replaced only when full */
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *ls = p, *le = nl ? nl : end;
        p = nl ? nl + 1 : end;
        line++;
        if (le > ls && le[-1] == '\r') le--;
        if (sl__json_ws(ls, le) == le) continue; /* blank line */
        if (!k || k->n == SL_VEC_SIZE) k = sl__chunks_tail(out);
        sl__json_status st = sl__json_decode(d, ls, (size_t)(le - ls), k->cols, k->n, false);
        if (st != SL_JSON_OK) {
            (*bad)++;
            if (d->keep)
                sl__badrec_add(d->keep, name, ls, (size_t)(le - ls),
                               st == SL_JSON_MALFORMED
                                   ? "malformed JSON"
                                   : "a field of the wrong type (read as NULL)");
            if (mode == SL_MODE_FAILFAST) {
                int shown = (int)SL_MIN((size_t)(le - ls), (size_t)60);
                return sl__err_set(err, SL_ERR_EXEC, -1,
                                   "%s:%llu: %s JSON record in mode FAILFAST: %.*s%s (use mode "
                                   "'PERMISSIVE' to read bad fields as NULL, or 'DROPMALFORMED' "
                                   "to skip such records)",
                                   name ? name : "<buffer>", (unsigned long long)line,
                                   st == SL_JSON_MALFORMED ? "malformed" : "mistyped", shown, ls,
                                   (size_t)(le - ls) > 60 ? "..." : "");
            }
            if (mode == SL_MODE_DROPMALFORMED) continue;
        }
        sl__chunks_commit(out, k);
    }
    return SL_OK;
}
