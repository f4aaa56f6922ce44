/*
 * json_int.h — JSON lexing pieces shared inside the format layer by the
 * decoder (json_decode.c), schema inference and get_json_object
 * (json_infer.c). Not for other layers: use json.h.
 *
 * Every lexer takes a cursor *pp into [*pp, end), advances it past what it
 * read and returns 0, or returns -1 when the text is not valid JSON (as
 * Spark's Jackson defaults define it: see json.h). Nothing here needs the
 * text to be NUL-terminated.
 */
#ifndef SL_FORMAT_JSON_INT_H
#define SL_FORMAT_JSON_INT_H

#include "base/base.h"

/* Nesting deeper than this is malformed (Jackson's default limit). */
#define SL_JSON_MAX_DEPTH 1000

#define SL_JSON_WS_MASK ((1ULL << ' ') | (1ULL << '\t') | (1ULL << '\n') | (1ULL << '\r'))

static inline const char *sl__json_ws(const char *p, const char *end) {
    while (p < end && (unsigned char)*p <= ' ' && ((SL_JSON_WS_MASK >> (unsigned char)*p) & 1)) p++;
    return p;
}

/* A lexed number: the text, and its decimal form w * 10^q when it has at
 * most 19 significant digits (else `dropped`). */
typedef struct sl__jnum {
    const char *s;
    size_t n;
    uint64_t w;
    int64_t q;
    uint32_t int_digits; /* digits before the point */
    bool neg, is_int, dropped;
} sl__jnum;

/*
 * A string at *pp (opening ' or "). *s, *n get the content: a slice of the
 * input when there are no escapes (*esc false), else the decoded bytes in
 * buf (cleared first; valid until buf is reused).
 */
int sl__json_lex_string(const char **pp, const char *end, sl__buf *buf, const char **s, size_t *n,
                        bool *esc);
/* A number (JSON grammar: no '+', no leading zeros, digits after '.'). */
int sl__json_lex_number(const char **pp, const char *end, sl__jnum *out);
/* The number as a double (correctly rounded). */
double sl__json_num_f64(const sl__jnum *t);
/* The number as a BIGINT: false when not an integer or out of range. */
bool sl__json_num_i64(const sl__jnum *t, int64_t *out);
/* One of Jackson's non-numeric numbers at *pp: NaN, Infinity, +Infinity,
 * +INF, -Infinity, -INF. */
int sl__json_lex_nonnum(const char **pp, const char *end, double *out);
/* Skips one value, checking that it is well formed. */
int sl__json_skip_value(const char **pp, const char *end, int depth);
/*
 * Appends the value at *pp to out the way Jackson's copyCurrentStructure
 * writes it (what Spark stores in a STRING field given a non-string): no
 * white space, strings re-escaped, floats as Java's Double.toString, the
 * non-numeric numbers as quoted strings. tmp is scratch.
 */
int sl__json_copy_value(const char **pp, const char *end, sl__buf *tmp, sl__buf *out, int depth);

#endif
