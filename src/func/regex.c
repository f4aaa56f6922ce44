/*
 * regex.c — the PCRE2 wrapper behind regex.h: Java-to-PCRE2 pattern
 * rewriting, the literal fast path, compilation (JIT when the platform has
 * it), per-thread match data and the per-thread cache of per-row patterns.
 *
 * Design notes. PCRE2 allocates through sl__malloc/sl__free (a general
 * context made once per process). Patterns are compiled in UTF mode with
 * PCRE2_MATCH_INVALID_UTF, so a subject holding invalid UTF-8 is searched
 * without a validity pass and without error (invalid bytes never match),
 * and no per-call UTF check runs over the whole subject. Per-thread data
 * (one pcre2_match_data big enough for the largest pattern seen, and the
 * cache) hangs off a thread-local pointer and is freed by a pthread key
 * destructor when a worker thread ends.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "func/regex.h"
#include <pcre2.h>
#include <pthread.h>

struct sl__regex {
    pcre2_code *code; /* NULL: the pattern is the literal lit[0, lit_len) */
    char *lit;
    size_t lit_len;
    uint32_t groups;
    bool jit;  /* JIT-compiled: matched through pcre2_jit_match */
    char *src; /* the pattern as written (cache key) */
    size_t src_len;
};

/* ---- process-wide PCRE2 contexts, per-thread data --------------------- */

#define CACHE_SLOTS 8

typedef struct tls_data {
    pcre2_match_data *md;
    uint32_t md_pairs;
    sl__regex *cache[CACHE_SLOTS];
    uint32_t next_slot;
} tls_data;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t tls_key;
static pcre2_general_context *gctx;
static pcre2_compile_context *cctx;
static _Thread_local tls_data *tls;

static void *pm(PCRE2_SIZE n, void *ud) {
    (void)ud;
    return sl__malloc(n ? n : 1);
}

static void pf(void *p, void *ud) {
    (void)ud;
    sl__free(p);
}

static void tls_destroy(void *p) {
    tls_data *t = p;
    if (!t) return;
    pcre2_match_data_free(t->md);
    for (uint32_t i = 0; i < CACHE_SLOTS; i++) sl__regex_free(t->cache[i]);
    sl__free(t);
}

static void init_once(void) {
    gctx = pcre2_general_context_create(pm, pf, NULL);
    cctx = pcre2_compile_context_create(gctx);
    pcre2_set_newline(cctx, PCRE2_NEWLINE_ANY);                  /* Java's line terminators */
    pcre2_set_compile_extra_options(cctx, PCRE2_EXTRA_ALT_BSUX); /* \u{..}, \x{..} */
    pthread_key_create(&tls_key, tls_destroy);
}

static tls_data *get_tls(void) {
    if (SL_LIKELY(tls != NULL)) return tls;
    pthread_once(&once, init_once);
    tls = sl__calloc(1, sizeof *tls);
    pthread_setspecific(tls_key, tls);
    return tls;
}

/* ---- Java syntax -------------------------------------------------------- */

/* Java's POSIX character class names and their PCRE2 (POSIX bracket) names. */
static const char *const posix_names[][2] = {
    {"Lower", "lower"}, {"Upper", "upper"}, {"ASCII", "ascii"}, {"Alpha", "alpha"},
    {"Digit", "digit"}, {"Alnum", "alnum"}, {"Punct", "punct"}, {"Graph", "graph"},
    {"Print", "print"}, {"Blank", "blank"}, {"Cntrl", "cntrl"}, {"XDigit", "xdigit"},
    {"Space", "space"},
};

static const char *posix_name(const char *p, size_t n) {
    for (size_t i = 0; i < SL_ARRAY_LEN(posix_names); i++)
        if (strlen(posix_names[i][0]) == n && memcmp(posix_names[i][0], p, n) == 0)
            return posix_names[i][1];
    return NULL;
}

/*
 * Rewrites the Java-only constructs of a pattern for PCRE2: \p{Alpha} and
 * friends become [[:alpha:]] ([:alpha:] inside a class, [:^alpha:] for
 * \P{..}). \Q...\E is copied untouched. Everything else is the same syntax.
 */
static void java_to_pcre(const char *p, size_t n, sl__buf *out) {
    bool in_class = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\\' && i + 1 < n) {
            char d = p[i + 1];
            if (d == 'Q') {
                const char *e = memmem(p + i + 2, n - i - 2, "\\E", 2);
                size_t end = e ? (size_t)(e - p) + 2 : n;
                sl__buf_append(out, p + i, end - i);
                i = end - 1;
                continue;
            }
            if ((d == 'p' || d == 'P') && i + 2 < n && p[i + 2] == '{') {
                const char *close = memchr(p + i + 3, '}', n - i - 3);
                const char *pn =
                    close ? posix_name(p + i + 3, (size_t)(close - (p + i + 3))) : NULL;
                if (pn) {
                    sl__buf_printf(out, "%s[:%s%s:]%s", in_class ? "" : "[", d == 'P' ? "^" : "",
                                   pn, in_class ? "" : "]");
                    i = (size_t)(close - p);
                    continue;
                }
            }
            sl__buf_append(out, p + i, 2);
            i++;
            continue;
        }
        if (!in_class && c == '[') {
            in_class = true;
            sl__buf_putc(out, c);
            if (i + 1 < n && p[i + 1] == '^') sl__buf_putc(out, p[++i]);
            if (i + 1 < n && p[i + 1] == ']') sl__buf_putc(out, p[++i]);
            continue;
        }
        if (in_class && c == ']') in_class = false;
        sl__buf_putc(out, c);
    }
}

static bool is_alnum_ascii(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* If the pattern matches only one fixed string, writes it to out and returns
 * true: no metacharacter, and backslashes only before punctuation. */
static bool as_literal(const char *p, size_t n, sl__buf *out) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\\') {
            if (i + 1 >= n) return false;
            unsigned char d = (unsigned char)p[i + 1];
            if (is_alnum_ascii(d) || d >= 0x80) return false;
            sl__buf_putc(out, (char)d);
            i++;
            continue;
        }
        if (c && strchr(".$|()[]{}^?*+", c)) return false;
        sl__buf_putc(out, (char)c);
    }
    return true;
}

/* ---- compile ------------------------------------------------------------ */

sl__regex *sl__regex_compile(const char *p, size_t n, sl__err *err, int64_t pos) {
    pthread_once(&once, init_once);
    if (!p) p = "";
    sl__regex *re = sl__calloc(1, sizeof *re);
    re->src = sl__strndup(p, n);
    re->src_len = n;
    sl__buf b = SL_BUF_INIT;
    if (as_literal(p, n, &b)) {
        re->lit_len = b.len;
        re->lit = b.p ? sl__buf_take(&b) : sl__strdup("");
        return re;
    }
    sl__buf_clear(&b);
    java_to_pcre(p, n, &b);
    int code;
    PCRE2_SIZE off;
    re->code =
        pcre2_compile((PCRE2_SPTR)sl__buf_str(&b), b.len,
                      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ALT_BSUX, &code, &off, cctx);
    sl__buf_free(&b);
    if (!re->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        sl__err_set(err, SL_ERR_ANALYSIS, pos,
                    "invalid regular expression '%.*s': %s near index %zu", (int)SL_MIN(n, 200), p,
                    (const char *)msg, (size_t)off);
        sl__regex_free(re);
        return NULL;
    }
    /* interpreted when the platform has no JIT */
    re->jit = pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0;
    uint32_t groups = 0;
    pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &groups);
    re->groups = groups;
    return re;
}

void sl__regex_free(sl__regex *re) {
    if (!re) return;
    pcre2_code_free(re->code);
    sl__free(re->lit);
    sl__free(re->src);
    sl__free(re);
}

const sl__regex *sl__regex_cached(const char *p, size_t n, sl__err *err) {
    tls_data *t = get_tls();
    if (!p) p = "";
    for (uint32_t i = 0; i < CACHE_SLOTS; i++) {
        sl__regex *c = t->cache[i];
        if (c && c->src_len == n && (n == 0 || memcmp(c->src, p, n) == 0)) return c;
    }
    sl__regex *re = sl__regex_compile(p, n, err, -1);
    if (!re) return NULL;
    uint32_t slot = t->next_slot++ % CACHE_SLOTS;
    sl__regex_free(t->cache[slot]);
    t->cache[slot] = re;
    return re;
}

uint32_t sl__regex_groups(const sl__regex *re) {
    return re->groups;
}

bool sl__regex_is_literal(const sl__regex *re) {
    return re->code == NULL;
}

const char *sl__regex_literal(const sl__regex *re, size_t *len) {
    *len = re->lit_len;
    return re->code ? NULL : re->lit;
}

int sl__regex_group_named(const sl__regex *re, const char *name, size_t n) {
    if (!re->code || n == 0 || n >= 128) return -1;
    char tmp[128];
    memcpy(tmp, name, n);
    tmp[n] = 0;
    int g = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)tmp);
    return g > 0 ? g : -1;
}

/* ---- match -------------------------------------------------------------- */

/* First occurrence of lit (n >= 2 bytes) in h[0, hn): memchr on the first
 * byte then a compare, which beats memmem on the short subjects rows hold. */
static const char *find_lit(const char *h, size_t hn, const char *lit, size_t n) {
    if (hn < n) return NULL;
    const char *p = h, *last = h + hn - n;
    while (p <= last) {
        p = memchr(p, lit[0], (size_t)(last - p) + 1);
        if (!p) return NULL;
        if (memcmp(p + 1, lit + 1, n - 1) == 0) return p;
        p++;
    }
    return NULL;
}

int sl__regex_find(const sl__regex *re, const char *s, size_t n, size_t from, sl__rmatch *m,
                   sl__err *err) {
    if (!s) s = "";
    if (from > n) return 0;
    if (!re->code) {
        const char *hit;
        if (re->lit_len == 0)
            hit = s + from;
        else if (re->lit_len == 1)
            hit = n > from ? memchr(s + from, re->lit[0], n - from) : NULL;
        else
            hit = find_lit(s + from, n - from, re->lit, re->lit_len);
        if (!hit) return 0;
        m->lit[0] = (size_t)(hit - s);
        m->lit[1] = m->lit[0] + re->lit_len;
        m->ov = m->lit;
        return 1;
    }
    tls_data *t = get_tls();
    if (!t->md || t->md_pairs < re->groups + 1) {
        pcre2_match_data_free(t->md);
        t->md_pairs = SL_MAX(re->groups + 1, 16u);
        t->md = pcre2_match_data_create(t->md_pairs, gctx);
    }
    /* pcre2_jit_match skips pcre2_match's argument checks (as costly as the
     * match itself on short rows); the subject needs no UTF check
     * (PCRE2_MATCH_INVALID_UTF) */
    int rc = re->jit ? pcre2_jit_match(re->code, (PCRE2_SPTR)s, n, from, 0, t->md, NULL)
                     : pcre2_match(re->code, (PCRE2_SPTR)s, n, from, 0, t->md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    if (rc < 0) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof msg);
        sl__err_set(err, SL_ERR_EXEC, -1, "regular expression '%.*s' failed: %s",
                    (int)SL_MIN(re->src_len, 200), re->src, (const char *)msg);
        return -1;
    }
    m->ov = pcre2_get_ovector_pointer(t->md);
    return 1;
}
