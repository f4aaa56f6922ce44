/*
 * regex.h — Java-flavoured regular expressions for the SQL functions that
 * take one (split, regexp_replace, regexp_extract[_all], rlike), over PCRE2.
 *
 * Spark hands patterns to java.util.regex; PCRE2 agrees with it on the
 * patterns people write. The differences we paper over: Java's POSIX class
 * names (\p{Alpha}, \p{Punct}, ...) are rewritten to PCRE2's, `.` and `$`
 * use Java's line terminators (PCRE2_NEWLINE_ANY), \uXXXX is understood, and
 * an iterator reproduces java.util.regex.Matcher.find() exactly, including
 * where the search resumes after an empty match (one character further).
 *
 * A pattern without metacharacters ("," " " "\\." "ab") is kept as a literal
 * and searched with memchr/memmem, never through PCRE2: split(quote, ' ')
 * costs what a hand-written loop costs.
 *
 * Thread safety: a compiled sl__regex is immutable and may be shared by
 * clones of an expression running on several threads. Match data and the
 * cache of per-row patterns are per thread (released when the thread ends).
 */
#ifndef SL_REGEX_H
#define SL_REGEX_H

#include "base/base.h"

typedef struct sl__regex sl__regex;

/* PCRE2_UNSET: a group that did not take part in the match. */
#define SL_REGEX_UNSET (~(size_t)0)

/* Result of a successful find: ov[2g], ov[2g+1] are the byte bounds of group
 * g (0 = the whole match), SL_REGEX_UNSET when the group did not match.
 * Valid until the next find on the same thread. */
typedef struct sl__rmatch {
    const size_t *ov;
    size_t lit[2];
} sl__rmatch;

/*
 * Compiles pattern p[0, n). On a syntax error returns NULL and sets err
 * (SL_ERR_ANALYSIS at pos, -1 for none) to a message naming the pattern.
 */
sl__regex *sl__regex_compile(const char *p, size_t n, sl__err *err, int64_t pos);
void sl__regex_free(sl__regex *re);

/*
 * The compiled form of a pattern that changes per row, from a small
 * per-thread cache (so a column of a few distinct patterns compiles each
 * once). Valid until this thread compiles a few other patterns through
 * this function. NULL with err set on a syntax error.
 */
const sl__regex *sl__regex_cached(const char *p, size_t n, sl__err *err);

/* Number of capturing groups. */
uint32_t sl__regex_groups(const sl__regex *re);
/* Number of the named group `name`, or -1 when there is none. */
int sl__regex_group_named(const sl__regex *re, const char *name, size_t n);
/* True when the pattern is a plain literal (matched with memchr/memmem). */
bool sl__regex_is_literal(const sl__regex *re);
/* The literal a plain-literal pattern stands for (its length in *len), or
 * NULL for a real regular expression. */
const char *sl__regex_literal(const sl__regex *re, size_t *len);

/*
 * First match in s[0, n) that starts at byte `from` or later. Returns 1 and
 * fills m, 0 when there is none, -1 on a matching error (err set; e.g. the
 * backtracking limit). s may be NULL when n is 0.
 */
int sl__regex_find(const sl__regex *re, const char *s, size_t n, size_t from, sl__rmatch *m,
                   sl__err *err);

/* Bytes of the UTF-8 character whose first byte is c, as Spark counts them
 * (a stray continuation byte or an invalid lead byte counts as one). */
static inline uint32_t sl__utf8_len(unsigned char c) {
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF8 ? 4 : 1;
}

/*
 * Successive matches as Matcher.find() returns them: after a match [s, e)
 * the search resumes at e, or at e plus one character when the match was
 * empty, so "abc" against x* yields the empty matches at 0, 1, 2 and 3.
 */
typedef struct sl__rx_iter {
    const sl__regex *re;
    const char *s;
    size_t n;
    size_t next; /* where the next search starts; > n when done */
    sl__rmatch m;
} sl__rx_iter;

static inline void sl__rx_iter_init(sl__rx_iter *it, const sl__regex *re, const char *s, size_t n) {
    it->re = re;
    it->s = s ? s : "";
    it->n = n;
    it->next = 0;
}

/* 1: a match in it->m (bounds it->m.ov[0], it->m.ov[1]); 0: no more; -1: error. */
static inline int sl__rx_iter_next(sl__rx_iter *it, sl__err *err) {
    if (it->next > it->n) return 0;
    int rc = sl__regex_find(it->re, it->s, it->n, it->next, &it->m, err);
    if (rc <= 0) {
        it->next = it->n + 1;
        return rc;
    }
    size_t ms = it->m.ov[0], me = it->m.ov[1];
    if (me != ms)
        it->next = me;
    else if (me < it->n) {
        size_t k = me + sl__utf8_len((unsigned char)it->s[me]);
        it->next = k > it->n ? it->n : k;
    } else
        it->next = it->n + 1;
    return 1;
}

#endif
