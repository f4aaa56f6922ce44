/*
 * scalar_string.c — string functions with Spark's semantics: case mapping,
 * lengths, concat / concat_ws (also `||`, and concat of arrays), substring
 * and its relatives, trimming and padding, searching (instr, locate,
 * startswith ...), replace / translate, and the regular-expression
 * functions split, regexp_replace, regexp_extract[_all] and rlike (R147–R149,
 * R153, R171).
 *
 * Strings are UTF-8 and positions count characters the way Spark's
 * UTF8String does (a character's length comes from its first byte).
 * Arguments are cast implicitly as Spark does: a number, boolean, date or
 * timestamp given where a string is expected becomes its text; numbers and
 * numeric strings given where a position is expected become INT.
 *
 * Memory: results whose length is known up front are written straight into
 * the output vector's heap; the others are built in one buffer per kernel
 * call (per batch, never per row). Results that are a slice of an argument
 * (substring, trim, left, right, regexp_extract ...) point into the
 * argument, which vector.h allows: the argument lives as long as the batch.
 * Array results (split, regexp_extract_all) own their strings: the source
 * string is copied once per row into the element vector's heap and every
 * piece points into that copy.
 *
 * Regex patterns that are constant are compiled once at bind time (state
 * freed with the expression); per-row patterns go through regex.h's
 * per-thread cache.
 */
#include "func/kernel.h"
#include "func/regex.h"
#include "types/text.h"
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <wctype.h>

#define K(name)                                                                                    \
    static void name(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out)

/* Largest string a function builds (Spark's limit is 2 GiB; beyond 1 GiB a
 * streaming engine has a bug, not a value). */
#define MAX_RESULT ((size_t)1 << 30)

/* ---- UTF-8 ------------------------------------------------------------- */

static inline size_t u8step(const char *s, size_t i, size_t n) {
    size_t k = i + sl__utf8_len((unsigned char)s[i]);
    return k > n ? n : k;
}

static inline bool ascii8(const char *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    return (w & 0x8080808080808080ULL) == 0;
}

/* Advances from byte i by up to *k characters; *k is decreased by the
 * characters passed. Returns the new byte position (<= n). */
static size_t adv_chars(const char *s, size_t n, size_t i, uint64_t *k) {
    uint64_t left = *k;
    while (left && i < n) {
        if (left >= 8 && i + 8 <= n && ascii8(s + i)) {
            i += 8;
            left -= 8;
            continue;
        }
        i = u8step(s, i, n);
        left--;
    }
    *k = left;
    return i;
}

/* Number of characters (Spark's numChars). */
static uint64_t nchars(const char *s, size_t n) {
    uint64_t c = 0;
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n && ascii8(s + i)) {
            i += 8;
            c += 8;
            continue;
        }
        i = u8step(s, i, n);
        c++;
    }
    return c;
}

static bool is_ascii(const char *s, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        if (!ascii8(s + i)) return false;
    for (; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

/* Decodes one character at s[0, n) (n >= 1). Returns the code point, or -1
 * for an invalid sequence, which then counts as one byte. */
static int32_t u8dec(const char *p, size_t n, size_t *len) {
    const unsigned char *s = (const unsigned char *)p;
    unsigned c = s[0];
    if (c < 0x80) {
        *len = 1;
        return (int32_t)c;
    }
    size_t k = (c >= 0xC2 && c < 0xE0)   ? 2
               : (c >= 0xE0 && c < 0xF0) ? 3
               : (c >= 0xF0 && c < 0xF5) ? 4
                                         : 0;
    *len = 1;
    if (!k || k > n) return -1;
    uint32_t cp = c & (0x7Fu >> k);
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = k;
    return (int32_t)cp;
}

static size_t u8enc(uint32_t cp, char *o) {
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Characters [start, end) of s (clamped), Spark's UTF8String.substring. */
static sl__str char_slice(sl__str s, uint64_t start, uint64_t end) {
    if (end <= start || start >= s.len) return sl__str_make("", 0);
    uint64_t k = start;
    size_t i = adv_chars(s.ptr, s.len, 0, &k);
    k = end - start;
    size_t j = adv_chars(s.ptr, s.len, i, &k);
    return sl__str_make(s.ptr + i, j - i);
}

/* SQL substring(s, pos, len): 1-based, 0 means 1, negative counts from the
 * end; a window reaching before the start keeps only its visible part. */
static sl__str substr_sql(sl__str s, int64_t pos, int64_t len) {
    int64_t start = pos > 0 ? pos - 1 : pos < 0 ? (int64_t)nchars(s.ptr, s.len) + pos : 0;
    int64_t end = start + len;
    if (start < 0) start = 0;
    if (start >= end) return sl__str_make("", 0);
    return char_slice(s, (uint64_t)start, (uint64_t)end);
}

/* Start of the character that ends at byte e (> lo). */
static size_t prev_start(const char *s, size_t lo, size_t e) {
    size_t j = e - 1;
    size_t lim = e - lo > 4 ? e - 4 : lo;
    while (j > lim && ((unsigned char)s[j] & 0xC0) == 0x80) j--;
    return j + sl__utf8_len((unsigned char)s[j]) == e ? j : e - 1;
}

/* ---- case mapping ------------------------------------------------------ */

static pthread_once_t loc_once = PTHREAD_ONCE_INIT;
static locale_t loc_utf8;

static void loc_init(void) {
    loc_utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (!loc_utf8) loc_utf8 = newlocale(LC_CTYPE_MASK, "C.utf8", (locale_t)0);
    if (!loc_utf8) loc_utf8 = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
}

static uint32_t map_case(uint32_t cp, bool up) {
    if (cp < 0x80) {
        if (up) return (cp >= 'a' && cp <= 'z') ? cp - 32 : cp;
        return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    }
    pthread_once(&loc_once, loc_init);
    if (!loc_utf8) return cp;
    return (uint32_t)(up ? towupper_l((wint_t)cp, loc_utf8) : towlower_l((wint_t)cp, loc_utf8));
}

static inline char lower_ascii(char c) {
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}
static inline char upper_ascii(char c) {
    return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
}

/* Appends the case-mapped text of s (non-ASCII path). mode 0 lower, 1 upper,
 * 2 initcap (lower, then the first letter of each space-separated word).
 * Simple case mapping never grows a character by more than half (and ß to
 * SS keeps two bytes), so 2 * len bytes are always enough. */
static void case_map(sl__str s, int mode, sl__buf *b) {
    sl__buf_reserve(b, 2 * (size_t)s.len + 8);
    char *w = b->p + b->len;
    bool word_start = true;
    for (size_t i = 0; i < s.len;) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < 0x80) {
            char x = (char)c;
            w[0] = mode == 1 || (mode == 2 && word_start) ? upper_ascii(x) : lower_ascii(x);
            w++;
            word_start = c == ' ';
            i++;
            continue;
        }
        size_t len;
        int32_t cp = u8dec(s.ptr + i, s.len - i, &len);
        if (cp < 0) {
            *w++ = (char)c;
        } else if (mode == 1 && cp == 0xDF) {
            *w++ = 'S'; /* Java: "ß".toUpperCase() is "SS" */
            *w++ = 'S';
        } else {
            uint32_t m = map_case((uint32_t)cp, mode == 1);
            if (mode == 2 && word_start) m = map_case(m, true);
            w += u8enc(m, w);
        }
        word_start = false;
        i += len;
    }
    b->len = (size_t)(w - b->p);
    b->p[b->len] = 0;
}

K(k_case) {
    int mode = (int)e->iparam;
    sl__buf b = SL_BUF_INIT;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        sl__str s = sl__get_str(a[0], r);
        if (is_ascii(s.ptr, s.len)) {
            char *d = s.len ? sl__arena_alloc_bytes(&out->heap, s.len) : NULL;
            bool ws = true;
            for (size_t i = 0; i < s.len; i++) {
                char c = s.ptr[i];
                if (mode == 0)
                    d[i] = lower_ascii(c);
                else if (mode == 1)
                    d[i] = upper_ascii(c);
                else {
                    d[i] = ws ? upper_ascii(c) : lower_ascii(c);
                    ws = c == ' ';
                }
            }
            SL_VEC_DATA(out, sl__str)[r] = sl__str_make(d ? d : "", s.len);
            continue;
        }
        sl__buf_clear(&b);
        case_map(s, mode, &b);
        sl__vec_set_str_copy(out, r, sl__buf_str(&b), b.len);
    }
    sl__buf_free(&b);
}

/* ---- bind helpers ------------------------------------------------------ */

static bool nested(const sl__type *t) {
    return t->id == SL_TYPE_STRUCT || t->id == SL_TYPE_ARRAY;
}

/* args[i] where a string is expected: atomic values become their text. */
static sl_status arg_str(sl__fbind *fb, uint32_t i) {
    const sl__type *t = fb->args[i]->type;
    if (t->id == SL_TYPE_STRING) return SL_OK;
    if (nested(t)) return sl__fbind_type_error(fb, i, "a string");
    sl__fbind_cast_arg(fb, i, SL_T_STR);
    return SL_OK;
}

/* args[i] where an integer is expected: numbers and numeric strings. */
static sl_status arg_int(sl__fbind *fb, uint32_t i, const sl__type *to) {
    const sl__type *t = fb->args[i]->type;
    if (t == to) return SL_OK;
    if (!sl__type_is_numeric(t) && t->id != SL_TYPE_STRING && t->id != SL_TYPE_NULL)
        return sl__fbind_type_error(fb, i, "an integer");
    sl__fbind_cast_arg(fb, i, to);
    return SL_OK;
}

/* Folds args[i] when it is constant (a cast of a literal, say), so that
 * sl__fbind_const sees it. Folding needs the session zone's offset; with a
 * zone we cannot resolve here the argument is left for the binder. */
static const sl__vec *const_arg(sl__fbind *fb, uint32_t i) {
    sl__expr *x = fb->args[i];
    if (x->kind != E_CONST && sl__expr_is_const(x)) {
        int64_t off = 0;
        const char *tz = fb->time_zone ? fb->time_zone : "UTC";
        if (!sl__parse_zone_offset(tz, strlen(tz), &off)) return NULL;
        sl__err err;
        sl__err_clear(&err);
        sl__ectx ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.err = &err;
        ctx.time_zone = tz;
        ctx.tz_offset_us = off;
        fb->args[i] = sl__expr_fold(x, &ctx);
    }
    return sl__fbind_const(fb, i);
}

static sl_status bind_str_args(sl__fbind *fb, uint32_t n) {
    for (uint32_t i = 0; i < n && i < fb->n_args; i++)
        if (arg_str(fb, i) != SL_OK) return SL_ERR_ANALYSIS;
    return SL_OK;
}

/* ---- lower, upper, initcap --------------------------------------------- */

static sl_status bind_case(sl__fbind *fb, int mode) {
    if (arg_str(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_case;
    fb->iparam = mode;
    return SL_OK;
}
static sl_status bind_lower(sl__fbind *fb) {
    return bind_case(fb, 0);
}
static sl_status bind_upper(sl__fbind *fb) {
    return bind_case(fb, 1);
}
static sl_status bind_initcap(sl__fbind *fb) {
    return bind_case(fb, 2);
}

/* ---- lengths ----------------------------------------------------------- */

K(k_length) {
    int mode = (int)e->iparam; /* 0 characters, 1 bytes, 2 bits */
    int32_t *o = SL_VEC_DATA(out, int32_t);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        sl__str s = sl__get_str(a[0], r);
        o[r] = mode == 0   ? (int32_t)nchars(s.ptr, s.len)
               : mode == 1 ? (int32_t)s.len
                           : (int32_t)(s.len * 8);
    }
}

static sl_status bind_length_mode(sl__fbind *fb, int mode) {
    if (arg_str(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_I32;
    fb->kernel = k_length;
    fb->iparam = mode;
    return SL_OK;
}
static sl_status bind_length(sl__fbind *fb) {
    return bind_length_mode(fb, 0);
}
static sl_status bind_octet_length(sl__fbind *fb) {
    return bind_length_mode(fb, 1);
}
static sl_status bind_bit_length(sl__fbind *fb) {
    return bind_length_mode(fb, 2);
}

/* ---- concat, concat_ws -------------------------------------------------- */

K(k_concat) {
    uint32_t na = e->n_args;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, na, r, out)) continue; /* R171: any NULL gives NULL */
        size_t total = 0;
        for (uint32_t k = 0; k < na; k++) total += sl__get_str(a[k], r).len;
        if (total > MAX_RESULT) {
            sl__ectx_fail(ctx, SL_ERR_EXEC, "concat: result larger than 1 GiB");
            return;
        }
        char *d = total ? sl__arena_alloc_bytes(&out->heap, total) : NULL;
        size_t at = 0;
        for (uint32_t k = 0; k < na; k++) {
            sl__str s = sl__get_str(a[k], r);
            if (s.len) memcpy(d + at, s.ptr, s.len);
            at += s.len;
        }
        SL_VEC_DATA(out, sl__str)[r] = sl__str_make(d ? d : "", total);
    }
}

static inline sl__list list_at(const sl__vec *v, uint32_t r) {
    return SL_VEC_DATA(v, sl__list)[sl__vec_idx(v, r)];
}

/* concat of arrays: the elements of all, in order; any NULL array gives NULL */
K(k_concat_arr) {
    uint32_t na = e->n_args;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, na, r, out)) continue;
        uint64_t total = 0;
        for (uint32_t k = 0; k < na; k++) total += list_at(a[k], r).len;
        if (total > UINT32_MAX / 2) {
            sl__ectx_fail(ctx, SL_ERR_EXEC, "concat: too many array elements");
            return;
        }
        uint32_t off = sl__vec_list_append(out, r, (uint32_t)total);
        for (uint32_t k = 0; k < na; k++) {
            sl__list l = list_at(a[k], r);
            for (uint32_t j = 0; j < l.len; j++)
                sl__vec_copy_value(out->child[0], off++, a[k]->child[0], l.off + j);
        }
    }
}

static sl_status bind_concat(sl__fbind *fb) {
    bool any_array = false, all_array_or_null = true;
    for (uint32_t i = 0; i < fb->n_args; i++) {
        sl_type_id t = fb->args[i]->type->id;
        if (t == SL_TYPE_ARRAY)
            any_array = true;
        else if (t != SL_TYPE_NULL)
            all_array_or_null = false;
    }
    if (any_array) {
        if (!all_array_or_null)
            return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                               "concat: arguments must be all strings or all arrays");
        const sl__type *t = NULL;
        for (uint32_t i = 0; i < fb->n_args; i++) {
            if (fb->args[i]->type->id == SL_TYPE_NULL) continue;
            const sl__type *n = t ? sl__common_type(t, fb->args[i]->type) : fb->args[i]->type;
            if (!n) return sl__fbind_type_error(fb, i, "an array compatible with the others");
            t = n;
        }
        for (uint32_t i = 0; i < fb->n_args; i++) sl__fbind_cast_arg(fb, i, t);
        fb->type = t;
        fb->kernel = k_concat_arr;
        return SL_OK;
    }
    if (bind_str_args(fb, fb->n_args) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_concat;
    return SL_OK;
}

K(k_concat_ws) {
    sl__buf b = SL_BUF_INIT;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue; /* NULL separator: NULL */
        sl__str sep = sl__get_str(a[0], r);
        bool first = true;
        sl__buf_clear(&b);
        for (uint32_t k = 1; k < e->n_args; k++) {
            const sl__vec *v = a[k];
            if (!SL_ARG_VALID(v, r)) continue; /* NULLs are skipped */
            if (v->type->id == SL_TYPE_ARRAY) {
                sl__list l = list_at(v, r);
                const sl__vec *el = v->child[0];
                for (uint32_t j = 0; j < l.len; j++) {
                    if (!sl__vec_valid(el, l.off + j)) continue;
                    sl__str s = SL_VEC_DATA(el, sl__str)[l.off + j];
                    if (!first) sl__buf_append(&b, sep.ptr, sep.len);
                    sl__buf_append(&b, s.ptr, s.len);
                    first = false;
                }
            } else {
                sl__str s = sl__get_str(v, r);
                if (!first) sl__buf_append(&b, sep.ptr, sep.len);
                sl__buf_append(&b, s.ptr, s.len);
                first = false;
            }
            if (b.len > MAX_RESULT) {
                sl__ectx_fail(ctx, SL_ERR_EXEC, "concat_ws: result larger than 1 GiB");
                sl__buf_free(&b);
                return;
            }
        }
        sl__vec_set_str_copy(out, r, sl__buf_str(&b), b.len);
    }
    sl__buf_free(&b);
}

static sl_status bind_concat_ws(sl__fbind *fb) {
    if (arg_str(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    for (uint32_t i = 1; i < fb->n_args; i++) {
        const sl__type *t = fb->args[i]->type;
        if (t->id == SL_TYPE_ARRAY) {
            if (nested(t->fields[0]))
                return sl__fbind_type_error(fb, i, "a string or an array of strings");
            sl__fbind_cast_arg(fb, i, sl__type_array(SL_T_STR));
        } else if (arg_str(fb, i) != SL_OK) {
            return SL_ERR_ANALYSIS;
        }
    }
    fb->type = SL_T_STR;
    fb->kernel = k_concat_ws;
    return SL_OK;
}

/* ---- substring, left, right --------------------------------------------- */

K(k_substr) {
    int mode = (int)e->iparam; /* 0 substring, 1 left, 2 right */
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        sl__str s = sl__get_str(a[0], r), res;
        int64_t x = SL_ARG(a[1], int32_t, r);
        if (mode == 0) {
            int64_t len = e->n_args > 2 ? SL_ARG(a[2], int32_t, r) : INT32_MAX;
            res = substr_sql(s, x, len);
        } else if (x <= 0) {
            res = sl__str_make("", 0);
        } else {
            res = mode == 1 ? substr_sql(s, 1, x) : substr_sql(s, -x, INT32_MAX);
        }
        sl__vec_set_str_borrow(out, r, res.ptr, res.len);
    }
}

static sl_status bind_substr_mode(sl__fbind *fb, int mode) {
    if (arg_str(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    for (uint32_t i = 1; i < fb->n_args; i++)
        if (arg_int(fb, i, SL_T_I32) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_substr;
    fb->iparam = mode;
    return SL_OK;
}
static sl_status bind_substring(sl__fbind *fb) {
    return bind_substr_mode(fb, 0);
}
static sl_status bind_left(sl__fbind *fb) {
    return bind_substr_mode(fb, 1);
}
static sl_status bind_right(sl__fbind *fb) {
    return bind_substr_mode(fb, 2);
}

/* ---- trim ----------------------------------------------------------------- */

static sl__str trim_set(sl__str s, sl__str set, int mode) {
    size_t b = 0, e = s.len;
    if (mode & 1) {
        while (b < e) {
            size_t k = u8step(s.ptr, b, e) - b;
            if (!set.len || !memmem(set.ptr, set.len, s.ptr + b, k)) break;
            b += k;
        }
    }
    if (mode & 2) {
        while (e > b) {
            size_t st = prev_start(s.ptr, b, e);
            if (!set.len || !memmem(set.ptr, set.len, s.ptr + st, e - st)) break;
            e = st;
        }
    }
    return sl__str_make(s.ptr + b, e - b);
}

K(k_trim) {
    int mode = (int)e->iparam; /* 1 leading, 2 trailing, 3 both */
    bool chars = e->n_args > 1;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        sl__str s = sl__get_str(a[0], r);
        if (chars) {
            s = trim_set(s, sl__get_str(a[1], r), mode);
        } else {
            /* only the space character 0x20, as Spark's UTF8String.trim() */
            size_t b = 0, n = s.len;
            if (mode & 1)
                while (b < n && s.ptr[b] == ' ') b++;
            if (mode & 2)
                while (n > b && s.ptr[n - 1] == ' ') n--;
            s = sl__str_make(s.ptr + b, n - b);
        }
        sl__vec_set_str_borrow(out, r, s.ptr, s.len);
    }
}

static sl_status bind_trim_mode(sl__fbind *fb, int mode) {
    if (bind_str_args(fb, fb->n_args) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_trim;
    fb->iparam = mode;
    return SL_OK;
}
static sl_status bind_trim(sl__fbind *fb) {
    return bind_trim_mode(fb, 3);
}
static sl_status bind_ltrim(sl__fbind *fb) {
    return bind_trim_mode(fb, 1);
}
static sl_status bind_rtrim(sl__fbind *fb) {
    return bind_trim_mode(fb, 2);
}

/* ---- lpad, rpad, repeat, space, reverse --------------------------------- */

K(k_pad) {
    bool right = e->iparam;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        sl__str s = sl__get_str(a[0], r);
        sl__str p = e->n_args > 2 ? sl__get_str(a[2], r) : sl__str_make(" ", 1);
        int64_t len = SL_ARG(a[1], int32_t, r);
        if (len <= 0) {
            sl__vec_set_str_borrow(out, r, "", 0);
            continue;
        }
        uint64_t sc = nchars(s.ptr, s.len);
        if ((uint64_t)len <= sc || p.len == 0) {
            sl__str t = char_slice(s, 0, (uint64_t)len);
            sl__vec_set_str_borrow(out, r, t.ptr, t.len);
            continue;
        }
        uint64_t spaces = (uint64_t)len - sc, pc = nchars(p.ptr, p.len);
        uint64_t full = spaces / pc, rem = spaces % pc;
        uint64_t k = rem;
        size_t remb = adv_chars(p.ptr, p.len, 0, &k);
        uint64_t total = full * p.len + remb + s.len;
        if (total > MAX_RESULT) {
            sl__ectx_fail(ctx, SL_ERR_EXEC, "%s: result larger than 1 GiB",
                          right ? "rpad" : "lpad");
            return;
        }
        char *d = sl__arena_alloc_bytes(&out->heap, total), *w = d;
        if (right) {
            memcpy(w, s.ptr, s.len);
            w += s.len;
        }
        for (uint64_t i = 0; i < full; i++, w += p.len) memcpy(w, p.ptr, p.len);
        memcpy(w, p.ptr, remb);
        w += remb;
        if (!right) memcpy(w, s.ptr, s.len);
        SL_VEC_DATA(out, sl__str)[r] = sl__str_make(d, total);
    }
}

static sl_status bind_pad(sl__fbind *fb, bool right) {
    if (arg_str(fb, 0) != SL_OK || arg_int(fb, 1, SL_T_I32) != SL_OK ||
        (fb->n_args > 2 && arg_str(fb, 2) != SL_OK))
        return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_pad;
    fb->iparam = right;
    return SL_OK;
}
static sl_status bind_lpad(sl__fbind *fb) {
    return bind_pad(fb, false);
}
static sl_status bind_rpad(sl__fbind *fb) {
    return bind_pad(fb, true);
}

K(k_repeat) {
    bool space = e->iparam; /* space(n): repeat(' ', n) */
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        sl__str s = space ? sl__str_make(" ", 1) : sl__get_str(a[0], r);
        int64_t n = SL_ARG(a[space ? 0 : 1], int32_t, r);
        if (n <= 0 || s.len == 0) {
            sl__vec_set_str_borrow(out, r, "", 0);
            continue;
        }
        uint64_t total = (uint64_t)n * s.len;
        if (total > MAX_RESULT) {
            sl__ectx_fail(ctx, SL_ERR_EXEC, "%s: result larger than 1 GiB", e->fname);
            return;
        }
        char *d = sl__arena_alloc_bytes(&out->heap, total);
        if (s.len == 1)
            memset(d, s.ptr[0], total);
        else
            for (int64_t i = 0; i < n; i++) memcpy(d + (size_t)i * s.len, s.ptr, s.len);
        SL_VEC_DATA(out, sl__str)[r] = sl__str_make(d, total);
    }
}

static sl_status bind_repeat(sl__fbind *fb) {
    if (arg_str(fb, 0) != SL_OK || arg_int(fb, 1, SL_T_I32) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_repeat;
    return SL_OK;
}

static sl_status bind_space(sl__fbind *fb) {
    if (arg_int(fb, 0, SL_T_I32) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_repeat;
    fb->iparam = 1;
    return SL_OK;
}

K(k_reverse) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        sl__str s = sl__get_str(a[0], r);
        char *d = s.len ? sl__arena_alloc_bytes(&out->heap, s.len) : NULL;
        for (size_t i = 0; i < s.len;) {
            size_t k = u8step(s.ptr, i, s.len) - i;
            memcpy(d + s.len - i - k, s.ptr + i, k);
            i += k;
        }
        SL_VEC_DATA(out, sl__str)[r] = sl__str_make(d ? d : "", s.len);
    }
}

K(k_reverse_arr) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        sl__list l = list_at(a[0], r);
        uint32_t off = sl__vec_list_append(out, r, l.len);
        for (uint32_t j = 0; j < l.len; j++)
            sl__vec_copy_value(out->child[0], off + j, a[0]->child[0], l.off + l.len - 1 - j);
    }
}

static sl_status bind_reverse(sl__fbind *fb) {
    if (fb->args[0]->type->id == SL_TYPE_ARRAY) {
        fb->type = fb->args[0]->type;
        fb->kernel = k_reverse_arr;
        return SL_OK;
    }
    if (arg_str(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_reverse;
    return SL_OK;
}

/* ---- searching ------------------------------------------------------------ */

/* Spark's UTF8String.indexOf(v, start): character index of the first
 * occurrence of v at or after character `start`, -1 when none; 0 for an
 * empty v. */
static int64_t index_of(sl__str s, sl__str v, uint64_t start) {
    if (v.len == 0) return 0;
    uint64_t k = start;
    size_t i = adv_chars(s.ptr, s.len, 0, &k);
    if (i + v.len > s.len) return -1;
    const char *hit = memmem(s.ptr + i, s.len - i, v.ptr, v.len);
    if (!hit) return -1;
    return (int64_t)(start - k + nchars(s.ptr + i, (size_t)(hit - (s.ptr + i))));
}

K(k_instr) {
    int32_t *o = SL_VEC_DATA(out, int32_t);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        o[r] = (int32_t)(index_of(sl__get_str(a[0], r), sl__get_str(a[1], r), 0) + 1);
    }
}

static sl_status bind_instr(sl__fbind *fb) {
    if (bind_str_args(fb, 2) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_I32;
    fb->kernel = k_instr;
    return SL_OK;
}

/* locate(substr, str[, pos]): a NULL pos gives 0, not NULL (Spark, as Hive) */
K(k_locate) {
    int32_t *o = SL_VEC_DATA(out, int32_t);
    SL_FOR_ROWS(rows, r) {
        if (e->n_args > 2 && !SL_ARG_VALID(a[2], r)) {
            o[r] = 0;
            continue;
        }
        if (!sl__args_valid(a, 2, r, out)) continue;
        int64_t pos = e->n_args > 2 ? SL_ARG(a[2], int32_t, r) : 1;
        if (pos < 1) {
            o[r] = 0;
            continue;
        }
        o[r] =
            (int32_t)(index_of(sl__get_str(a[1], r), sl__get_str(a[0], r), (uint64_t)pos - 1) + 1);
    }
}

static sl_status bind_locate(sl__fbind *fb) {
    if (bind_str_args(fb, 2) != SL_OK || (fb->n_args > 2 && arg_int(fb, 2, SL_T_I32) != SL_OK))
        return SL_ERR_ANALYSIS;
    fb->type = SL_T_I32;
    fb->kernel = k_locate;
    return SL_OK;
}

K(k_startswith) {
    int mode = (int)e->iparam; /* 0 startswith, 1 endswith, 2 contains */
    uint8_t *o = SL_VEC_DATA(out, uint8_t);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        sl__str s = sl__get_str(a[0], r), p = sl__get_str(a[1], r);
        bool v;
        if (p.len == 0)
            v = true;
        else if (p.len > s.len)
            v = false;
        else if (mode == 0)
            v = memcmp(s.ptr, p.ptr, p.len) == 0;
        else if (mode == 1)
            v = memcmp(s.ptr + s.len - p.len, p.ptr, p.len) == 0;
        else
            v = memmem(s.ptr, s.len, p.ptr, p.len) != NULL;
        o[r] = v;
    }
}

static sl_status bind_startswith_mode(sl__fbind *fb, int mode) {
    if (bind_str_args(fb, 2) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_BOOL;
    fb->kernel = k_startswith;
    fb->iparam = mode;
    return SL_OK;
}
static sl_status bind_startswith(sl__fbind *fb) {
    return bind_startswith_mode(fb, 0);
}
static sl_status bind_endswith(sl__fbind *fb) {
    return bind_startswith_mode(fb, 1);
}
static sl_status bind_contains(sl__fbind *fb) {
    return bind_startswith_mode(fb, 2);
}

/* substring_index(str, delim, count): Spark's byte-level subStringIndex */
K(k_substring_index) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 3, r, out)) continue;
        sl__str s = sl__get_str(a[0], r), d = sl__get_str(a[1], r);
        int64_t count = SL_ARG(a[2], int32_t, r);
        sl__str res = sl__str_make("", 0);
        if (d.len == 0 || count == 0) {
            /* empty */
        } else if (count > 0) {
            size_t idx = 0;
            bool found_all = true;
            for (int64_t c = 0; c < count; c++) {
                size_t from = c == 0 ? 0 : idx + 1;
                const char *h =
                    from <= s.len ? memmem(s.ptr + from, s.len - from, d.ptr, d.len) : NULL;
                if (!h) {
                    found_all = false;
                    break;
                }
                idx = (size_t)(h - s.ptr);
            }
            res = found_all ? sl__str_make(s.ptr, idx) : s;
        } else {
            int64_t idx = (int64_t)s.len;
            bool found_all = true;
            for (int64_t c = 0; c < -count; c++) {
                int64_t j = idx - 1;
                if (j > (int64_t)s.len - (int64_t)d.len) j = (int64_t)s.len - (int64_t)d.len;
                while (j >= 0 && memcmp(s.ptr + j, d.ptr, d.len) != 0) j--;
                if (j < 0) {
                    found_all = false;
                    break;
                }
                idx = j;
            }
            res = found_all ? sl__str_make(s.ptr + idx + d.len, s.len - (size_t)idx - d.len) : s;
        }
        sl__vec_set_str_borrow(out, r, res.ptr, res.len);
    }
}

static sl_status bind_substring_index(sl__fbind *fb) {
    if (bind_str_args(fb, 2) != SL_OK || arg_int(fb, 2, SL_T_I32) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_substring_index;
    return SL_OK;
}

/* ---- replace, translate ---------------------------------------------------- */

K(k_replace) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        sl__str s = sl__get_str(a[0], r), f = sl__get_str(a[1], r);
        sl__str t = e->n_args > 2 ? sl__get_str(a[2], r) : sl__str_make("", 0);
        size_t cnt = 0;
        if (f.len && s.len >= f.len) {
            for (const char *p = s.ptr, *end = s.ptr + s.len;
                 (p = memmem(p, (size_t)(end - p), f.ptr, f.len)) != NULL; p += f.len)
                cnt++;
        }
        if (!cnt) {
            sl__vec_set_str_borrow(out, r, s.ptr, s.len);
            continue;
        }
        uint64_t total = s.len + (uint64_t)cnt * t.len - (uint64_t)cnt * f.len;
        if (total > MAX_RESULT) {
            sl__ectx_fail(ctx, SL_ERR_EXEC, "replace: result larger than 1 GiB");
            return;
        }
        char *d = total ? sl__arena_alloc_bytes(&out->heap, total) : NULL, *w = d;
        const char *p = s.ptr, *end = s.ptr + s.len;
        for (size_t i = 0; i < cnt; i++) {
            const char *h = memmem(p, (size_t)(end - p), f.ptr, f.len);
            if (h > p) memcpy(w, p, (size_t)(h - p));
            w += h - p;
            if (t.len) memcpy(w, t.ptr, t.len);
            w += t.len;
            p = h + f.len;
        }
        if (end > p) memcpy(w, p, (size_t)(end - p));
        SL_VEC_DATA(out, sl__str)[r] = sl__str_make(d ? d : "", total);
    }
}

static sl_status bind_replace(sl__fbind *fb) {
    if (bind_str_args(fb, fb->n_args) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_replace;
    return SL_OK;
}

/* translate's character map. Invalid bytes are characters of their own
 * (keys above the Unicode range). */
typedef struct tr_map {
    int32_t ascii[128]; /* -2 absent, -1 delete, else the replacement */
    uint32_t n, cap;
    uint32_t *from;
    int32_t *to;
} tr_map;

static inline uint32_t tr_key(const char *s, size_t n, size_t *len) {
    int32_t cp = u8dec(s, n, len);
    return cp >= 0 ? (uint32_t)cp : 0x110000u + (unsigned char)s[0];
}

static int32_t tr_lookup(const tr_map *m, uint32_t key) {
    if (key < 128) return m->ascii[key];
    for (uint32_t i = 0; i < m->n; i++)
        if (m->from[i] == key) return m->to[i];
    return -2;
}

static void tr_build(tr_map *m, sl__str from, sl__str to) {
    for (int i = 0; i < 128; i++) m->ascii[i] = -2;
    m->n = 0;
    size_t j = 0;
    for (size_t i = 0; i < from.len;) {
        size_t l1, l2;
        uint32_t key = tr_key(from.ptr + i, from.len - i, &l1);
        int32_t rep = -1; /* no counterpart in `to`: delete */
        if (j < to.len) {
            uint32_t t = tr_key(to.ptr + j, to.len - j, &l2);
            j += l2;
            rep = t == 0 ? -1 : (int32_t)t; /* Spark deletes on "\u0000" too */
        }
        i += l1;
        if (tr_lookup(m, key) != -2) continue; /* the first mapping wins */
        if (key < 128) {
            m->ascii[key] = rep;
        } else {
            if (m->n == m->cap) {
                m->cap = m->cap ? 2 * m->cap : 8;
                m->from = sl__realloc(m->from, sizeof *m->from * m->cap);
                m->to = sl__realloc(m->to, sizeof *m->to * m->cap);
            }
            m->from[m->n] = key;
            m->to[m->n++] = rep;
        }
    }
}

static void tr_free_map(tr_map *m) {
    sl__free(m->from);
    sl__free(m->to);
}

static void tr_free(void *p) {
    tr_map *m = p;
    tr_free_map(m);
    sl__free(m);
}

static void tr_put(sl__buf *b, uint32_t key) {
    char enc[4];
    if (key >= 0x110000u)
        sl__buf_putc(b, (char)(key - 0x110000u));
    else
        sl__buf_append(b, enc, u8enc(key, enc));
}

K(k_translate) {
    const tr_map *fixed = e->state;
    tr_map local;
    memset(&local, 0, sizeof local);
    sl__buf b = SL_BUF_INIT;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 3, r, out)) continue;
        sl__str s = sl__get_str(a[0], r);
        const tr_map *m = fixed;
        if (!m) {
            tr_build(&local, sl__get_str(a[1], r), sl__get_str(a[2], r));
            m = &local;
        }
        sl__buf_clear(&b);
        for (size_t i = 0; i < s.len;) {
            size_t l;
            uint32_t key = tr_key(s.ptr + i, s.len - i, &l);
            int32_t to = tr_lookup(m, key);
            if (to == -2)
                sl__buf_append(&b, s.ptr + i, l);
            else if (to >= 0)
                tr_put(&b, (uint32_t)to);
            i += l;
        }
        sl__vec_set_str_copy(out, r, sl__buf_str(&b), b.len);
    }
    tr_free_map(&local);
    sl__buf_free(&b);
}

static sl_status bind_translate(sl__fbind *fb) {
    if (bind_str_args(fb, 3) != SL_OK) return SL_ERR_ANALYSIS;
    const sl__vec *f = const_arg(fb, 1), *t = const_arg(fb, 2);
    if (f && t && sl__vec_valid(f, 0) && sl__vec_valid(t, 0)) {
        tr_map *m = sl__calloc(1, sizeof *m);
        tr_build(m, SL_VEC_DATA(f, sl__str)[0], SL_VEC_DATA(t, sl__str)[0]);
        fb->state = m;
        fb->free_state = tr_free;
    }
    fb->type = SL_T_STR;
    fb->kernel = k_translate;
    return SL_OK;
}

/* ---- ascii, chr ------------------------------------------------------------- */

K(k_ascii) {
    int32_t *o = SL_VEC_DATA(out, int32_t);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        sl__str s = sl__get_str(a[0], r);
        size_t l;
        int32_t cp = s.len ? u8dec(s.ptr, s.len, &l) : 0;
        o[r] = cp >= 0 ? cp : 0xFFFD; /* Java decodes a bad sequence to U+FFFD */
    }
}

static sl_status bind_ascii(sl__fbind *fb) {
    if (arg_str(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_I32;
    fb->kernel = k_ascii;
    return SL_OK;
}

/* chr(n): the character n mod 256 (Latin-1), '' for negative n */
K(k_chr) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        int64_t n = SL_ARG(a[0], int64_t, r);
        if (n < 0) {
            sl__vec_set_str_borrow(out, r, "", 0);
            continue;
        }
        char enc[4];
        size_t l = u8enc((uint32_t)(n & 0xFF), enc);
        sl__vec_set_str_copy(out, r, enc, l);
    }
}

static sl_status bind_chr(sl__fbind *fb) {
    if (arg_int(fb, 0, SL_T_I64) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_chr;
    return SL_OK;
}

/* ---- regular expressions ----------------------------------------------------- */

static void regex_state_free(void *p) {
    sl__regex_free(p);
}

/* Compiles args[i] once when it is a constant; otherwise kernels use the
 * per-thread cache. */
static sl_status bind_pattern(sl__fbind *fb, uint32_t i, sl__regex **out) {
    *out = NULL;
    const sl__vec *pv = const_arg(fb, i);
    if (!pv || !sl__vec_valid(pv, 0)) return SL_OK;
    sl__str p = SL_VEC_DATA(pv, sl__str)[0];
    *out = sl__regex_compile(p.ptr, p.len, fb->err, fb->pos);
    return *out ? SL_OK : SL_ERR_ANALYSIS;
}

/* The compiled pattern for row r: the bound one or the cached one. */
static const sl__regex *row_regex(sl__ectx *ctx, const sl__regex *fixed, const sl__vec *p,
                                  uint32_t r) {
    if (fixed) return fixed;
    sl__str ps = sl__get_str(p, r);
    sl__err err;
    sl__err_clear(&err);
    const sl__regex *re = sl__regex_cached(ps.ptr, ps.len, &err);
    if (!re) sl__ectx_fail(ctx, SL_ERR_EXEC, "%s", err.msg);
    return re;
}

static void fail_err(sl__ectx *ctx, const sl__err *err) {
    sl__ectx_fail(ctx, err->code ? err->code : SL_ERR_EXEC, "%s", err->msg);
}

/* rlike: a match anywhere (R153) */
K(k_rlike) {
    const sl__regex *fixed = e->state;
    uint8_t *o = SL_VEC_DATA(out, uint8_t);
    sl__err err;
    sl__err_clear(&err);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        const sl__regex *re = row_regex(ctx, fixed, a[1], r);
        if (!re) return;
        sl__str s = sl__get_str(a[0], r);
        sl__rmatch m;
        int rc = sl__regex_find(re, s.ptr, s.len, 0, &m, &err);
        if (rc < 0) {
            fail_err(ctx, &err);
            return;
        }
        o[r] = rc == 1;
    }
}

static sl_status bind_rlike(sl__fbind *fb) {
    if (bind_str_args(fb, 2) != SL_OK) return SL_ERR_ANALYSIS;
    sl__regex *re;
    if (bind_pattern(fb, 1, &re) != SL_OK) return SL_ERR_ANALYSIS;
    fb->state = re;
    fb->free_state = re ? regex_state_free : NULL;
    fb->type = SL_T_BOOL;
    fb->kernel = k_rlike;
    return SL_OK;
}

/* Byte ranges of the pieces of one split, reused across rows. */
typedef struct pieces {
    size_t *b; /* pairs: start, end */
    size_t n, cap;
} pieces;

static inline void piece_add(pieces *p, size_t s, size_t e) {
    SL_GROW(p->b, p->cap, 2 * (p->n + 1));
    p->b[2 * p->n] = s;
    p->b[2 * p->n + 1] = e;
    p->n++;
}

/*
 * Java's String.split(regex, limit) over s, with Spark's rule that limit 0
 * means -1 (keep trailing empty strings): R147–R149. An empty match at the
 * very start yields no leading empty piece; with no match at all the result
 * is the whole string. Returns -1 on a matching error.
 */
static int java_split(const sl__regex *re, sl__str s, int64_t limit, pieces *out, sl__err *err) {
    out->n = 0;
    bool limited = limit > 0;
    size_t index = 0;
    sl__rx_iter it;
    sl__rx_iter_init(&it, re, s.ptr, s.len);
    int rc;
    while ((rc = sl__rx_iter_next(&it, err)) == 1) {
        size_t ms = it.m.ov[0], me = it.m.ov[1];
        if (!limited || (int64_t)out->n < limit - 1) {
            if (index == 0 && ms == 0 && me == 0) continue;
            piece_add(out, index, ms);
            index = me;
        } else {
            /* the last piece holds the rest */
            piece_add(out, index, s.len);
            index = me;
            break;
        }
    }
    if (rc < 0) return -1;
    if (index == 0) {
        out->n = 0;
        piece_add(out, 0, s.len);
        return 0;
    }
    if (!limited || (int64_t)out->n < limit) piece_add(out, index, s.len);
    return 0;
}

/* Spark's split by the empty pattern: one piece per character, at most
 * limit pieces (the last holding the rest); trailing empties never appear. */
static void split_chars(sl__str s, int64_t limit, pieces *out) {
    out->n = 0;
    uint64_t nc = nchars(s.ptr, s.len);
    uint64_t want = (limit <= 0 || (uint64_t)limit > nc) ? nc : (uint64_t)limit;
    size_t i = 0;
    for (uint64_t c = 0; c + 1 < want; c++) {
        size_t j = u8step(s.ptr, i, s.len);
        piece_add(out, i, j);
        i = j;
    }
    piece_add(out, i, s.len);
}

/* Stores the pieces of s as the array at row r; the elements point into
 * one copy of s kept in the element vector's heap. */
static void put_pieces(sl__vec *out, uint32_t r, sl__str s, const pieces *p) {
    sl__vec *el = out->child[0];
    uint32_t off = sl__vec_list_append(out, r, (uint32_t)p->n);
    char *copy = s.len ? sl__arena_alloc_bytes(&el->heap, s.len) : NULL;
    if (s.len) memcpy(copy, s.ptr, s.len);
    sl__str *d = SL_VEC_DATA(el, sl__str);
    for (size_t k = 0; k < p->n; k++) {
        size_t b = p->b[2 * k], en = p->b[2 * k + 1];
        d[off + k] = sl__str_make(copy ? copy + b : "", en - b);
    }
}

/*
 * split by a literal delimiter (no metacharacter: " ", ",", "\\|"): a
 * literal never matches the empty string, so Java's rules reduce to "cut at
 * every occurrence" (limit > 0: at most limit pieces, the last holding the
 * rest). Counts, reserves the list, then fills it: no per-piece calls for
 * the one-byte delimiter of split(quote, ' ').
 */
static void split_literal(sl__vec *out, uint32_t r, sl__str s, const char *lit, size_t ll,
                          int64_t limit) {
    uint64_t n = 1;
    if (ll == 1) {
        char c = lit[0];
        for (size_t i = 0; i < s.len; i++) n += s.ptr[i] == c;
    } else {
        for (const char *p = s.ptr, *end = s.ptr + s.len;
             (p = memmem(p, (size_t)(end - p), lit, ll)) != NULL; p += ll)
            n++;
    }
    if (limit > 0 && n > (uint64_t)limit) n = (uint64_t)limit;
    sl__vec *el = out->child[0];
    uint32_t off = sl__vec_list_append(out, r, (uint32_t)n);
    char *copy = s.len ? sl__arena_alloc_bytes(&el->heap, s.len) : NULL;
    if (s.len) memcpy(copy, s.ptr, s.len);
    sl__str *d = SL_VEC_DATA(el, sl__str) + off;
    size_t start = 0;
    uint64_t k = 0;
    if (ll == 1) {
        char c = lit[0];
        for (size_t i = 0; i < s.len && k + 1 < n; i++) {
            if (copy[i] == c) {
                d[k++] = sl__str_make(copy + start, i - start);
                start = i + 1;
            }
        }
    } else {
        while (k + 1 < n) {
            const char *h = memmem(copy + start, s.len - start, lit, ll);
            size_t at = (size_t)(h - copy);
            d[k++] = sl__str_make(copy + start, at - start);
            start = at + ll;
        }
    }
    d[k] = sl__str_make(copy ? copy + start : "", s.len - start);
}

K(k_split) {
    const sl__regex *fixed = e->state;
    pieces pc = {0};
    sl__err err;
    sl__err_clear(&err);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        sl__str s = sl__get_str(a[0], r), p = sl__get_str(a[1], r);
        int64_t limit = e->n_args > 2 ? SL_ARG(a[2], int32_t, r) : -1;
        if (limit == 0) limit = -1;
        if (s.len && p.len == 0) {
            split_chars(s, limit, &pc);
        } else {
            const sl__regex *re = row_regex(ctx, fixed, a[1], r);
            if (!re) break;
            size_t ll;
            const char *lit = sl__regex_literal(re, &ll);
            if (lit && ll) {
                split_literal(out, r, s, lit, ll, limit);
                continue;
            }
            if (java_split(re, s, limit, &pc, &err) < 0) {
                fail_err(ctx, &err);
                break;
            }
        }
        put_pieces(out, r, s, &pc);
    }
    sl__free(pc.b);
}

static sl_status bind_split(sl__fbind *fb) {
    if (bind_str_args(fb, 2) != SL_OK) return SL_ERR_ANALYSIS;
    if (fb->n_args > 2 && arg_int(fb, 2, SL_T_I32) != SL_OK) return SL_ERR_ANALYSIS;
    sl__regex *re;
    if (bind_pattern(fb, 1, &re) != SL_OK) return SL_ERR_ANALYSIS;
    fb->state = re;
    fb->free_state = re ? regex_state_free : NULL;
    fb->type = sl__type_array(SL_T_STR);
    fb->kernel = k_split;
    return SL_OK;
}

/* split_part(str, delim, n): the n-th piece of a split by the literal delim
 * (1-based, negative from the end, '' out of range; an empty delim gives
 * the whole string as the only piece). */
K(k_split_part) {
    pieces pc = {0};
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 3, r, out)) continue;
        sl__str s = sl__get_str(a[0], r), d = sl__get_str(a[1], r);
        int64_t part = SL_ARG(a[2], int32_t, r);
        if (part == 0) {
            sl__ectx_fail(ctx, SL_ERR_EXEC,
                          "split_part: the index 0 is invalid; an index is either < 0 or > 0 "
                          "(the first element has index 1)");
            break;
        }
        pc.n = 0;
        if (d.len == 0) {
            piece_add(&pc, 0, s.len);
        } else {
            size_t at = 0;
            const char *h;
            while (at <= s.len && (h = memmem(s.ptr + at, s.len - at, d.ptr, d.len)) != NULL) {
                piece_add(&pc, at, (size_t)(h - s.ptr));
                at = (size_t)(h - s.ptr) + d.len;
            }
            piece_add(&pc, at, s.len);
        }
        int64_t k = part > 0 ? part - 1 : (int64_t)pc.n + part;
        if (k < 0 || k >= (int64_t)pc.n) {
            sl__vec_set_str_borrow(out, r, "", 0);
        } else {
            size_t b = pc.b[2 * k], en = pc.b[2 * k + 1];
            sl__vec_set_str_borrow(out, r, s.ptr + b, en - b);
        }
    }
    sl__free(pc.b);
}

static sl_status bind_split_part(sl__fbind *fb) {
    if (bind_str_args(fb, 2) != SL_OK || arg_int(fb, 2, SL_T_I32) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_split_part;
    return SL_OK;
}

/*
 * A Java replacement string ("$1", "${name}", "\$"), parsed into literal
 * runs and group references. Java reports a bad reference only when a
 * match is being replaced; so does this: `bad` holds the message.
 */
typedef struct repl_tok {
    int32_t group; /* -1: literal lit[off, off+len) */
    uint32_t off, len;
} repl_tok;

typedef struct repl {
    repl_tok *t;
    size_t n, cap;
    sl__buf lit;
    char bad[160]; /* "" when valid */
} repl;

static void repl_lit(repl *rp, char c) {
    if (rp->n && rp->t[rp->n - 1].group < 0 &&
        rp->t[rp->n - 1].off + rp->t[rp->n - 1].len == rp->lit.len) {
        rp->t[rp->n - 1].len++;
    } else {
        SL_GROW(rp->t, rp->cap, rp->n + 1);
        rp->t[rp->n++] = (repl_tok){-1, (uint32_t)rp->lit.len, 1};
    }
    sl__buf_putc(&rp->lit, c);
}

static void repl_group(repl *rp, int32_t g) {
    SL_GROW(rp->t, rp->cap, rp->n + 1);
    rp->t[rp->n++] = (repl_tok){g, 0, 0};
}

static bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

static void repl_parse(repl *rp, const sl__regex *re, sl__str s) {
    rp->n = 0;
    sl__buf_clear(&rp->lit);
    rp->bad[0] = 0;
    uint32_t groups = sl__regex_groups(re);
    for (size_t i = 0; i < s.len;) {
        char c = s.ptr[i];
        if (c == '\\') {
            if (++i >= s.len) {
                snprintf(rp->bad, sizeof rp->bad, "character to be escaped is missing");
                return;
            }
            repl_lit(rp, s.ptr[i++]);
        } else if (c == '$') {
            if (++i >= s.len) {
                snprintf(rp->bad, sizeof rp->bad,
                         "Illegal group reference: group index is missing");
                return;
            }
            if (s.ptr[i] == '{') {
                size_t st = ++i;
                while (i < s.len && (is_digit(s.ptr[i]) || (s.ptr[i] >= 'a' && s.ptr[i] <= 'z') ||
                                     (s.ptr[i] >= 'A' && s.ptr[i] <= 'Z')))
                    i++;
                if (i == st) {
                    snprintf(rp->bad, sizeof rp->bad, "named capturing group has 0 length name");
                    return;
                }
                if (i >= s.len || s.ptr[i] != '}') {
                    snprintf(rp->bad, sizeof rp->bad,
                             "named capturing group is missing trailing '}'");
                    return;
                }
                int g = sl__regex_group_named(re, s.ptr + st, i - st);
                if (g < 0) {
                    snprintf(rp->bad, sizeof rp->bad, "No group with name {%.*s}",
                             (int)SL_MIN(i - st, 64), s.ptr + st);
                    return;
                }
                i++;
                repl_group(rp, g);
            } else {
                if (!is_digit(s.ptr[i])) {
                    snprintf(rp->bad, sizeof rp->bad, "Illegal group reference");
                    return;
                }
                int64_t ref = s.ptr[i++] - '0';
                while (i < s.len && is_digit(s.ptr[i])) {
                    int64_t nr = ref * 10 + (s.ptr[i] - '0');
                    if (nr > groups) break;
                    ref = nr;
                    i++;
                }
                if (ref > groups) {
                    snprintf(rp->bad, sizeof rp->bad, "No group %d", (int)ref);
                    return;
                }
                repl_group(rp, (int32_t)ref);
            }
        } else {
            repl_lit(rp, c);
            i++;
        }
    }
}

static void repl_free(repl *rp) {
    sl__free(rp->t);
    sl__buf_free(&rp->lit);
}

typedef struct rx_state {
    sl__regex *re; /* NULL when the pattern is per row */
    repl *rp;      /* NULL when the replacement is per row */
} rx_state;

static void rx_state_free(void *p) {
    rx_state *st = p;
    sl__regex_free(st->re);
    if (st->rp) {
        repl_free(st->rp);
        sl__free(st->rp);
    }
    sl__free(st);
}

K(k_regexp_replace) {
    const rx_state *st = e->state;
    repl local;
    memset(&local, 0, sizeof local);
    sl__buf b = SL_BUF_INIT;
    sl__err err;
    sl__err_clear(&err);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        const sl__regex *re = row_regex(ctx, st ? st->re : NULL, a[1], r);
        if (!re) break;
        const repl *rp = st ? st->rp : NULL;
        if (!rp) {
            repl_parse(&local, re, sl__get_str(a[2], r));
            rp = &local;
        }
        sl__str s = sl__get_str(a[0], r);
        int64_t pos = e->n_args > 3 ? SL_ARG(a[3], int32_t, r) : 1;
        if (pos < 1) {
            sl__ectx_fail(ctx, SL_ERR_EXEC,
                          "regexp_replace: the position must be positive, got %lld",
                          (long long)pos);
            break;
        }
        /* Spark searches the region from character pos-1 (`^` matches there)
         * and keeps what comes before it */
        uint64_t k = (uint64_t)pos - 1;
        size_t start = adv_chars(s.ptr, s.len, 0, &k);
        if (pos > 1 && (k > 0 || start >= s.len)) {
            sl__vec_set_str_borrow(out, r, s.ptr, s.len);
            continue;
        }
        sl__str sub = sl__str_make(s.ptr + start, s.len - start);
        sl__buf_clear(&b);
        sl__buf_append(&b, s.ptr, start);
        sl__rx_iter it;
        sl__rx_iter_init(&it, re, sub.ptr, sub.len);
        size_t last = 0;
        int rc;
        bool failed = false;
        while ((rc = sl__rx_iter_next(&it, &err)) == 1) {
            if (rp->bad[0]) {
                sl__ectx_fail(ctx, SL_ERR_EXEC, "regexp_replace: %s", rp->bad);
                failed = true;
                break;
            }
            const size_t *ov = it.m.ov;
            sl__buf_append(&b, sub.ptr + last, ov[0] - last);
            for (size_t t = 0; t < rp->n; t++) {
                const repl_tok *tk = &rp->t[t];
                if (tk->group < 0) {
                    sl__buf_append(&b, rp->lit.p + tk->off, tk->len);
                } else if (ov[2 * tk->group] != SL_REGEX_UNSET) {
                    size_t gs = ov[2 * tk->group], ge = ov[2 * tk->group + 1];
                    sl__buf_append(&b, sub.ptr + gs, ge - gs);
                }
            }
            last = ov[1];
            if (b.len > MAX_RESULT) {
                sl__ectx_fail(ctx, SL_ERR_EXEC, "regexp_replace: result larger than 1 GiB");
                failed = true;
                break;
            }
        }
        if (failed) break;
        if (rc < 0) {
            fail_err(ctx, &err);
            break;
        }
        sl__buf_append(&b, sub.ptr + last, sub.len - last);
        sl__vec_set_str_copy(out, r, sl__buf_str(&b), b.len);
    }
    repl_free(&local);
    sl__buf_free(&b);
}

static sl_status bind_regexp_replace(sl__fbind *fb) {
    if (bind_str_args(fb, 3) != SL_OK) return SL_ERR_ANALYSIS;
    if (fb->n_args > 3) {
        if (arg_int(fb, 3, SL_T_I32) != SL_OK) return SL_ERR_ANALYSIS;
        const sl__vec *pv = const_arg(fb, 3);
        if (pv && sl__vec_valid(pv, 0) && SL_VEC_DATA(pv, int32_t)[0] < 1)
            return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                               "regexp_replace: the position must be positive, got %d",
                               SL_VEC_DATA(pv, int32_t)[0]);
    }
    sl__regex *re;
    if (bind_pattern(fb, 1, &re) != SL_OK) return SL_ERR_ANALYSIS;
    if (re) {
        rx_state *st = sl__calloc(1, sizeof *st);
        st->re = re;
        const sl__vec *rv = const_arg(fb, 2);
        if (rv && sl__vec_valid(rv, 0)) {
            st->rp = sl__calloc(1, sizeof *st->rp);
            repl_parse(st->rp, re, SL_VEC_DATA(rv, sl__str)[0]);
        }
        fb->state = st;
        fb->free_state = rx_state_free;
    }
    fb->type = SL_T_STR;
    fb->kernel = k_regexp_replace;
    return SL_OK;
}

static bool check_group(sl__ectx *ctx, const char *fname, const sl__regex *re, int64_t idx) {
    if (idx < 0) {
        sl__ectx_fail(ctx, SL_ERR_EXEC, "%s: the specified group index cannot be less than zero",
                      fname);
        return false;
    }
    if (idx > sl__regex_groups(re)) {
        sl__ectx_fail(ctx, SL_ERR_EXEC,
                      "%s: regex group count is %u, but the specified group index is %lld", fname,
                      sl__regex_groups(re), (long long)idx);
        return false;
    }
    return true;
}

/* regexp_extract(str, regex[, idx = 1]): group idx of the first match, ''
 * when nothing matches or the group did not take part */
K(k_regexp_extract) {
    const sl__regex *fixed = e->state;
    sl__err err;
    sl__err_clear(&err);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        const sl__regex *re = row_regex(ctx, fixed, a[1], r);
        if (!re) break;
        sl__str s = sl__get_str(a[0], r);
        int64_t idx = e->n_args > 2 ? SL_ARG(a[2], int32_t, r) : 1;
        sl__rmatch m;
        int rc = sl__regex_find(re, s.ptr, s.len, 0, &m, &err);
        if (rc < 0) {
            fail_err(ctx, &err);
            break;
        }
        if (rc == 0) {
            sl__vec_set_str_borrow(out, r, "", 0);
            continue;
        }
        if (!check_group(ctx, "regexp_extract", re, idx)) break;
        size_t gs = m.ov[2 * idx], ge = m.ov[2 * idx + 1];
        if (gs == SL_REGEX_UNSET)
            sl__vec_set_str_borrow(out, r, "", 0);
        else
            sl__vec_set_str_borrow(out, r, s.ptr + gs, ge - gs);
    }
}

/* regexp_extract_all(str, regex[, idx = 1]): group idx of every match */
K(k_regexp_extract_all) {
    const sl__regex *fixed = e->state;
    pieces pc = {0};
    sl__err err;
    sl__err_clear(&err);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        const sl__regex *re = row_regex(ctx, fixed, a[1], r);
        if (!re) break;
        sl__str s = sl__get_str(a[0], r);
        int64_t idx = e->n_args > 2 ? SL_ARG(a[2], int32_t, r) : 1;
        sl__rx_iter it;
        sl__rx_iter_init(&it, re, s.ptr, s.len);
        pc.n = 0;
        int rc;
        bool ok = true;
        while ((rc = sl__rx_iter_next(&it, &err)) == 1) {
            if (pc.n == 0 && !check_group(ctx, "regexp_extract_all", re, idx)) {
                ok = false;
                break;
            }
            size_t gs = it.m.ov[2 * idx], ge = it.m.ov[2 * idx + 1];
            if (gs == SL_REGEX_UNSET)
                piece_add(&pc, 0, 0);
            else
                piece_add(&pc, gs, ge);
        }
        if (!ok) break;
        if (rc < 0) {
            fail_err(ctx, &err);
            break;
        }
        put_pieces(out, r, s, &pc);
    }
    sl__free(pc.b);
}

static sl_status bind_regexp_extract_common(sl__fbind *fb, bool all) {
    if (bind_str_args(fb, 2) != SL_OK) return SL_ERR_ANALYSIS;
    if (fb->n_args > 2 && arg_int(fb, 2, SL_T_I32) != SL_OK) return SL_ERR_ANALYSIS;
    sl__regex *re;
    if (bind_pattern(fb, 1, &re) != SL_OK) return SL_ERR_ANALYSIS;
    fb->state = re;
    fb->free_state = re ? regex_state_free : NULL;
    fb->type = all ? sl__type_array(SL_T_STR) : SL_T_STR;
    fb->kernel = all ? k_regexp_extract_all : k_regexp_extract;
    return SL_OK;
}
static sl_status bind_regexp_extract(sl__fbind *fb) {
    return bind_regexp_extract_common(fb, false);
}
static sl_status bind_regexp_extract_all(sl__fbind *fb) {
    return bind_regexp_extract_common(fb, true);
}

/* ---- format_string / printf ------------------------------------------------- */

/*
 * Java's Formatter, the subset people use: %[index$][flags][width][.prec]conv
 * with conversions s S d x X o c b B f e E g G % n, flags - # + space 0 , (
 * and %<s (the previous argument). Values are what Spark hands the JVM: a
 * NULL prints "null" (%b: "false"), a DOUBLE prints as Double.toString under
 * %s, and a TIMESTAMP or DATE is its internal number (microseconds, days).
 * A conversion that does not fit the value's type fails the query, as Java's
 * IllegalFormatConversionException does.
 */
typedef struct fspec {
    bool left, alt, plus, space, zero, group, paren;
    int width; /* -1: none */
    int prec;  /* -1: none */
    char conv;
} fspec;

static void pad_out(sl__buf *b, const fspec *f, const char *body, size_t n) {
    size_t w = f->width > 0 ? (size_t)f->width : 0;
    /* width counts characters */
    uint64_t chars = nchars(body, n);
    if (!f->left && chars < w) sl__buf_fill(b, ' ', w - chars);
    sl__buf_append(b, body, n);
    if (f->left && chars < w) sl__buf_fill(b, ' ', w - chars);
}

/* digits with a ',' every three from the right (the integer part only) */
static void group_digits(const char *d, size_t n, sl__buf *out) {
    size_t ip = 0;
    while (ip < n && d[ip] >= '0' && d[ip] <= '9') ip++;
    for (size_t i = 0; i < ip; i++) {
        if (i && (ip - i) % 3 == 0) sl__buf_putc(out, ',');
        sl__buf_putc(out, d[i]);
    }
    sl__buf_append(out, d + ip, n - ip);
}

/* sign, magnitude digits, zero padding and the (negative) form */
static void num_out(sl__buf *b, const fspec *f, bool neg, const char *mag, size_t n,
                    bool can_group) {
    sl__buf body = SL_BUF_INIT, digits = SL_BUF_INIT;
    if (f->group && can_group)
        group_digits(mag, n, &digits);
    else
        sl__buf_append(&digits, mag, n);
    const char *sign = neg ? (f->paren ? "(" : "-") : f->plus ? "+" : f->space ? " " : "";
    const char *suffix = neg && f->paren ? ")" : "";
    size_t fixed = strlen(sign) + strlen(suffix) + digits.len;
    sl__buf_puts(&body, sign);
    if (f->zero && f->width > 0 && (size_t)f->width > fixed)
        sl__buf_fill(&body, '0', (size_t)f->width - fixed);
    sl__buf_append(&body, digits.p ? digits.p : "", digits.len);
    sl__buf_puts(&body, suffix);
    pad_out(b, f, sl__buf_str(&body), body.len);
    sl__buf_free(&body);
    sl__buf_free(&digits);
}

static bool is_int_type(const sl__type *t) {
    return sl__type_is_integral(t) || t->id == SL_TYPE_TIMESTAMP || t->id == SL_TYPE_DATE ||
           t->id == SL_TYPE_INTERVAL;
}

/* bits of the JVM value a type is handed over as (for %x and %o) */
static int type_bits(const sl__type *t) {
    switch (t->id) {
    case SL_TYPE_SMALLINT: return 16;
    case SL_TYPE_INT:
    case SL_TYPE_DATE: return 32;
    default: return 64;
    }
}

static const char *java_class(const sl__type *t) {
    switch (t->id) {
    case SL_TYPE_STRING: return "org.apache.spark.unsafe.types.UTF8String";
    case SL_TYPE_DOUBLE: return "java.lang.Double";
    case SL_TYPE_BOOLEAN: return "java.lang.Boolean";
    case SL_TYPE_SMALLINT: return "java.lang.Short";
    case SL_TYPE_INT:
    case SL_TYPE_DATE: return "java.lang.Integer";
    default: return "java.lang.Long";
    }
}

/* Formats one value; false after failing the query. */
static bool format_one(sl__ectx *ctx, sl__buf *b, const fspec *f, const sl__vec *v, uint32_t r) {
    char tmp[400];
    bool valid = SL_ARG_VALID(v, r);
    const sl__type *t = v->type;
    char conv = f->conv, lc = (char)(conv | 0x20);
    size_t start = b->len;
    if (lc == 'b') {
        bool x = valid && (t->id != SL_TYPE_BOOLEAN || SL_ARG(v, uint8_t, r));
        const char *s = x ? "true" : "false";
        size_t n = strlen(s);
        if (f->prec >= 0 && (size_t)f->prec < n) n = (size_t)f->prec;
        pad_out(b, f, s, n);
    } else if (!valid || t->id == SL_TYPE_NULL) {
        size_t n = 4;
        if (lc == 's' && f->prec >= 0 && f->prec < 4) n = (size_t)f->prec;
        pad_out(b, f, "null", n);
    } else if (lc == 's') {
        sl__str s;
        if (t->id == SL_TYPE_STRING)
            s = sl__get_str(v, r);
        else if (t->id == SL_TYPE_DOUBLE)
            s = sl__str_make(tmp, sl__fmt_double(SL_ARG(v, double, r), tmp));
        else if (t->id == SL_TYPE_BOOLEAN)
            s = sl__str_c(SL_ARG(v, uint8_t, r) ? "true" : "false");
        else
            s = sl__str_make(tmp, (size_t)snprintf(tmp, sizeof tmp, "%lld",
                                                   (long long)sl__get_i64(v, sl__vec_idx(v, r))));
        if (f->prec >= 0) s = char_slice(s, 0, (uint64_t)f->prec);
        pad_out(b, f, s.ptr, s.len);
    } else if (lc == 'd' || lc == 'x' || lc == 'o' || lc == 'c') {
        if (!is_int_type(t)) goto mismatch;
        int64_t x = sl__get_i64(v, sl__vec_idx(v, r));
        if (lc == 'd') {
            uint64_t mag = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
            int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)mag);
            num_out(b, f, x < 0, tmp, (size_t)n, true);
        } else if (lc == 'c') {
            if (x < 0 || x > 0x10FFFF) {
                sl__ectx_fail(ctx, SL_ERR_EXEC, "format_string: illegal code point %lld",
                              (long long)x);
                return false;
            }
            size_t n = u8enc((uint32_t)x, tmp);
            pad_out(b, f, tmp, n);
        } else {
            int bits = type_bits(t);
            uint64_t u = (uint64_t)x;
            if (bits < 64) u &= (1ULL << bits) - 1;
            int n = snprintf(tmp, sizeof tmp, lc == 'x' ? "%s%llx" : "%s%llo",
                             f->alt ? (lc == 'x' ? "0x" : "0") : "", (unsigned long long)u);
            fspec g = *f;
            g.plus = g.space = g.group = g.paren = false;
            num_out(b, &g, false, tmp, (size_t)n, false);
        }
    } else if (lc == 'f' || lc == 'e' || lc == 'g') {
        if (t->id != SL_TYPE_DOUBLE) goto mismatch;
        double x = SL_ARG(v, double, r);
        if (x != x || x == INFINITY || x == -INFINITY) {
            const char *s = x != x  ? "NaN"
                            : x > 0 ? (f->plus ? "+Infinity" : "Infinity")
                                    : (f->paren ? "(Infinity)" : "-Infinity");
            pad_out(b, f, s, strlen(s));
        } else {
            int prec = f->prec >= 0 ? f->prec : 6;
            if (prec > 300) prec = 300;
            bool neg = signbit(x);
            double m = neg ? -x : x;
            int n;
            if (lc == 'f')
                n = snprintf(tmp, sizeof tmp, "%.*f", prec, m);
            else if (lc == 'e')
                n = snprintf(tmp, sizeof tmp, "%.*e", prec, m);
            else {
                n = snprintf(tmp, sizeof tmp, "%#.*g", prec ? prec : 1, m);
                if (n > 0 && tmp[n - 1] == '.') tmp[--n] = 0;
            }
            if (n < 0 || (size_t)n >= sizeof tmp) n = (int)strlen(tmp);
            num_out(b, f, neg && m != 0, tmp, (size_t)n, lc != 'e');
        }
    } else {
        sl__ectx_fail(ctx, SL_ERR_EXEC, "format_string: unknown format conversion '%c'", conv);
        return false;
    }
    if (conv >= 'A' && conv <= 'Z') {
        for (size_t i = start; i < b->len; i++) b->p[i] = upper_ascii(b->p[i]);
    }
    return true;
mismatch:
    sl__ectx_fail(ctx, SL_ERR_EXEC, "format_string: %%%c cannot format a %s (%c != %s)", conv,
                  t->name, conv, java_class(t));
    return false;
}

K(k_format_string) {
    sl__buf b = SL_BUF_INIT;
    uint32_t nv = e->n_args - 1;
    SL_FOR_ROWS(rows, r) {
        if (!SL_ARG_VALID(a[0], r)) {
            sl__vec_set_null(out, r);
            continue;
        }
        sl__str fmt = sl__get_str(a[0], r);
        sl__buf_clear(&b);
        int64_t ordinary = 0, last = -1;
        bool ok = true;
        for (size_t i = 0; i < fmt.len && ok;) {
            const char *pct = memchr(fmt.ptr + i, '%', fmt.len - i);
            size_t lit_end = pct ? (size_t)(pct - fmt.ptr) : fmt.len;
            sl__buf_append(&b, fmt.ptr + i, lit_end - i);
            if (!pct) break;
            size_t j = lit_end + 1, spec_start = lit_end;
            fspec f = {false, false, false, false, false, false, false, -1, -1, 0};
            int64_t idx = -2; /* -2: next ordinary argument */
            /* argument index "n$" or "<" */
            size_t k = j;
            int64_t num = 0;
            while (k < fmt.len && is_digit(fmt.ptr[k]) && num < 100000)
                num = num * 10 + (fmt.ptr[k++] - '0');
            if (k > j && k < fmt.len && fmt.ptr[k] == '$') {
                idx = num - 1;
                j = k + 1;
            } else if (j < fmt.len && fmt.ptr[j] == '<') {
                idx = last;
                j++;
                if (last < 0) {
                    sl__ectx_fail(ctx, SL_ERR_EXEC,
                                  "format_string: '%%<' has no previous argument");
                    ok = false;
                    break;
                }
            }
            for (; j < fmt.len; j++) {
                char c = fmt.ptr[j];
                if (c == '-')
                    f.left = true;
                else if (c == '#')
                    f.alt = true;
                else if (c == '+')
                    f.plus = true;
                else if (c == ' ')
                    f.space = true;
                else if (c == '0')
                    f.zero = true;
                else if (c == ',')
                    f.group = true;
                else if (c == '(')
                    f.paren = true;
                else
                    break;
            }
            if (j < fmt.len && is_digit(fmt.ptr[j])) {
                f.width = 0;
                while (j < fmt.len && is_digit(fmt.ptr[j]) && f.width < 100000)
                    f.width = f.width * 10 + (fmt.ptr[j++] - '0');
            }
            if (j < fmt.len && fmt.ptr[j] == '.') {
                j++;
                f.prec = 0;
                while (j < fmt.len && is_digit(fmt.ptr[j]) && f.prec < 100000)
                    f.prec = f.prec * 10 + (fmt.ptr[j++] - '0');
            }
            if (j >= fmt.len) {
                sl__ectx_fail(ctx, SL_ERR_EXEC, "format_string: incomplete format specifier '%.*s'",
                              (int)SL_MIN(fmt.len - spec_start, 32), fmt.ptr + spec_start);
                ok = false;
                break;
            }
            f.conv = fmt.ptr[j++];
            i = j;
            if (f.conv == '%') {
                pad_out(&b, &f, "%", 1);
                continue;
            }
            if (f.conv == 'n') {
                sl__buf_putc(&b, '\n');
                continue;
            }
            if (idx == -2) idx = ordinary++;
            if (idx < 0 || idx >= (int64_t)nv) {
                sl__ectx_fail(ctx, SL_ERR_EXEC, "format_string: missing argument for '%.*s'",
                              (int)SL_MIN(j - spec_start, 32), fmt.ptr + spec_start);
                ok = false;
                break;
            }
            last = idx;
            ok = format_one(ctx, &b, &f, a[1 + idx], r);
        }
        if (!ok) break;
        if (b.len > MAX_RESULT) {
            sl__ectx_fail(ctx, SL_ERR_EXEC, "format_string: result larger than 1 GiB");
            break;
        }
        sl__vec_set_str_copy(out, r, sl__buf_str(&b), b.len);
    }
    sl__buf_free(&b);
}

static sl_status bind_format_string(sl__fbind *fb) {
    if (arg_str(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    for (uint32_t i = 1; i < fb->n_args; i++)
        if (nested(fb->args[i]->type))
            return sl__fbind_type_error(fb, i, "a value of an atomic type");
    fb->type = SL_T_STR;
    fb->kernel = k_format_string;
    return SL_OK;
}

/* ---- the table ------------------------------------------------------------------ */

static const sl__fn_def defs[] = {
    {"lower", 1, 1, bind_lower, "lower(str)", "Lower case (Unicode)."},
    {"lcase", 1, 1, bind_lower, "lcase(str)", "Same as lower."},
    {"upper", 1, 1, bind_upper, "upper(str)", "Upper case (Unicode)."},
    {"ucase", 1, 1, bind_upper, "ucase(str)", "Same as upper."},
    {"initcap", 1, 1, bind_initcap, "initcap(str)",
     "Lower case, then the first letter of each space-separated word in upper case."},
    {"length", 1, 1, bind_length, "length(str)", "Number of characters."},
    {"char_length", 1, 1, bind_length, "char_length(str)", "Same as length."},
    {"character_length", 1, 1, bind_length, "character_length(str)", "Same as length."},
    {"len", 1, 1, bind_length, "len(str)", "Same as length."},
    {"octet_length", 1, 1, bind_octet_length, "octet_length(str)", "Number of bytes (UTF-8)."},
    {"bit_length", 1, 1, bind_bit_length, "bit_length(str)", "Number of bits (8 per byte)."},
    {"concat", 0, -1, bind_concat, "concat(a, b, ...)",
     "Strings (or arrays) joined end to end; NULL if any argument is NULL. Also `a || b`."},
    {"concat_ws", 1, -1, bind_concat_ws, "concat_ws(sep, a, ...)",
     "Strings and string arrays joined with sep, skipping NULLs."},
    {"substring", 2, 3, bind_substring, "substring(str, pos[, len])",
     "Characters from pos (1-based; negative counts from the end), at most len of them."},
    {"substr", 2, 3, bind_substring, "substr(str, pos[, len])", "Same as substring."},
    {"left", 2, 2, bind_left, "left(str, n)", "The first n characters."},
    {"right", 2, 2, bind_right, "right(str, n)", "The last n characters."},
    {"trim", 1, 2, bind_trim, "trim(str[, chars])",
     "Removes spaces (or the given characters) from both ends. TRIM(BOTH c FROM s)."},
    {"btrim", 1, 2, bind_trim, "btrim(str[, chars])", "Same as trim."},
    {"ltrim", 1, 2, bind_ltrim, "ltrim(str[, chars])",
     "Removes leading spaces (or characters). TRIM(LEADING c FROM s)."},
    {"rtrim", 1, 2, bind_rtrim, "rtrim(str[, chars])",
     "Removes trailing spaces (or characters). TRIM(TRAILING c FROM s)."},
    {"lpad", 2, 3, bind_lpad, "lpad(str, len[, pad])",
     "Left-padded with pad (default space) to len characters, or cut to len."},
    {"rpad", 2, 3, bind_rpad, "rpad(str, len[, pad])",
     "Right-padded with pad (default space) to len characters, or cut to len."},
    {"repeat", 2, 2, bind_repeat, "repeat(str, n)", "str repeated n times."},
    {"space", 1, 1, bind_space, "space(n)", "n spaces."},
    {"reverse", 1, 1, bind_reverse, "reverse(str | array)",
     "Characters (or array elements) in reverse order."},
    {"instr", 2, 2, bind_instr, "instr(str, substr)",
     "1-based position of the first substr in str, 0 when absent."},
    {"locate", 2, 3, bind_locate, "locate(substr, str[, pos])",
     "1-based position of the first substr at or after pos, 0 when absent."},
    {"position", 2, 3, bind_locate, "position(substr, str[, pos])", "Same as locate."},
    {"startswith", 2, 2, bind_startswith, "startswith(str, prefix)",
     "TRUE when str starts with prefix."},
    {"endswith", 2, 2, bind_endswith, "endswith(str, suffix)", "TRUE when str ends with suffix."},
    {"contains", 2, 2, bind_contains, "contains(str, part)", "TRUE when part occurs in str."},
    {"substring_index", 3, 3, bind_substring_index, "substring_index(str, delim, count)",
     "Text before the count-th delim (after the -count-th from the end when negative)."},
    {"replace", 2, 3, bind_replace, "replace(str, search[, repl])",
     "Every occurrence of search replaced by repl (default: removed)."},
    {"translate", 3, 3, bind_translate, "translate(str, from, to)",
     "Each character of from replaced by the one at the same place in to, or removed."},
    {"ascii", 1, 1, bind_ascii, "ascii(str)", "Code point of the first character (0 for '')."},
    {"chr", 1, 1, bind_chr, "chr(n)", "The character with code n mod 256; '' for negative n."},
    {"char", 1, 1, bind_chr, "char(n)", "Same as chr."},
    {"split", 2, 3, bind_split, "split(str, regex[, limit])",
     "Pieces of str around matches of the Java regex (R147-R149); limit <= 0 keeps them all."},
    {"split_part", 3, 3, bind_split_part, "split_part(str, delim, n)",
     "The n-th piece of str split by the literal delim (negative from the end)."},
    {"regexp_replace", 3, 4, bind_regexp_replace, "regexp_replace(str, regex, repl[, pos])",
     "Every match replaced by repl ($1 and ${name} refer to groups)."},
    {"regexp_extract", 2, 3, bind_regexp_extract, "regexp_extract(str, regex[, idx])",
     "Group idx (default 1) of the first match, '' when none."},
    {"regexp_extract_all", 2, 3, bind_regexp_extract_all, "regexp_extract_all(str, regex[, idx])",
     "Group idx (default 1) of every match."},
    {"rlike", 2, 2, bind_rlike, "str RLIKE regex",
     "TRUE when the Java regex matches anywhere in str (R153)."},
    {"regexp", 2, 2, bind_rlike, "regexp(str, regex)", "Same as RLIKE."},
    {"regexp_like", 2, 2, bind_rlike, "regexp_like(str, regex)", "Same as RLIKE."},
    {"format_string", 1, -1, bind_format_string, "format_string(fmt, ...)",
     "Java printf-style formatting: %s %d %x %f %e %g %b %c %%, widths, flags, n$."},
    {"printf", 1, -1, bind_format_string, "printf(fmt, ...)", "Same as format_string."},
};

const sl__fn_table sl__fn_string = {defs, SL_ARRAY_LEN(defs)};
