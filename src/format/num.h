/*
 * num.h — number text to binary, fast and exact, for the readers of the
 * format layer (JSON decoder, CSV reader). Doubles are correctly rounded
 * (round-to-nearest-even, the same result as strtod) without calling strtod
 * in the common case: a decimal mantissa of up to 19 significant digits is
 * converted with Clinger's exact fast path when it can, else with a
 * 128-bit multiplication by a truncated power of five whose error bound is
 * checked (the idea of Eisel and Lemire; written here from the math), and
 * strtod on a NUL-terminated copy only when that check cannot decide.
 */
#ifndef SL_FORMAT_NUM_H
#define SL_FORMAT_NUM_H

#include "base/base.h"

/*
 * w * 10^q with the sign given, correctly rounded. Returns false when the
 * fast methods cannot decide (exponent out of the table's range, result
 * subnormal or overflowing, or an ambiguous rounding); the caller then uses
 * strtod.
 */
bool sl__num_dec_to_f64(uint64_t w, int64_t q, bool neg, double *out);

/* strtod of s[0, n) through a NUL-terminated copy (stack buffer for short
 * texts). The text must be a number strtod accepts entirely. */
double sl__num_strtod(const char *s, size_t n);

/*
 * Java's Double.parseDouble as Spark's CSV reader uses it: ASCII white space
 * trimmed, optional sign, digits with an optional point and exponent, and
 * the forms sl__parse_f64 accepts (NaN, Infinity, a d/f suffix). Plain
 * decimal text is converted without strtod. False when not a number.
 */
bool sl__num_parse_f64(const char *s, size_t n, double *out);

/*
 * Java's Long.parseLong (also Integer.parseInt when range-checked by the
 * caller): optional '+' or '-', then only ASCII digits; no white space, no
 * fraction. False on anything else or on overflow.
 */
bool sl__num_parse_i64(const char *s, size_t n, int64_t *out);

#endif
