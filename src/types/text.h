/*
 * text.h — values to and from text, the way Spark does it: Java's
 * Double.toString for doubles ("2.0", "1.0E7"), "yyyy-MM-dd HH:mm:ss[.f]"
 * for timestamps, the lenient string parsers of non-ANSI CAST (R154–R162),
 * and proleptic Gregorian calendar arithmetic on days since the epoch.
 * Used by CAST, show() rendering, CSV/JSON readers and writers alike, so
 * every path prints and parses the same way.
 */
#ifndef SL_TEXT_H
#define SL_TEXT_H

#include "base/base.h"

/* Java Double.toString (shortest round-trip digits). Returns length; buf
 * needs 32 bytes. */
size_t sl__fmt_double(double d, char *buf);

/* x rounded to d decimals through its shortest decimal text, half up (away
 * from zero) or, with even, half to even: Spark's round() and bround(). */
double sl__round_decimal(double x, int64_t d, bool even);

/* Days since 1970-01-01 <-> civil date. */
int64_t sl__days_from_civil(int64_t y, unsigned m, unsigned d);
void sl__civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* "yyyy-MM-dd HH:mm:ss[.ffffff]" (trailing fraction zeros removed), in the
 * zone given by its offset from UTC. buf needs 40 bytes. */
size_t sl__fmt_timestamp(int64_t us, int64_t tz_offset_us, char *buf);
/* The local day of an instant (days since 1970-01-01) and the microseconds
 * into it; the sum saturates at the ends of int64 instead of overflowing. */
void sl__local_day(int64_t us, int64_t offset_us, int64_t *days, int64_t *us_of_day);
/* "yyyy-MM-dd". buf needs 24 bytes. */
size_t sl__fmt_date(int32_t days, char *buf);
/* ISO-8601 with milliseconds in UTC, as progress records use:
 * "2024-01-01T12:00:00.000Z". buf needs 40 bytes. */
size_t sl__fmt_iso_millis(int64_t us, char *buf);

/*
 * Parsers of CAST(string AS ...). All trim ASCII white space first and return
 * false when the text is not a value of the type (CAST then gives NULL).
 */
bool sl__parse_i64(const char *s, size_t n, int64_t *out); /* sign, digits, fraction truncated */
bool sl__parse_f64(const char *s, size_t n, double *out);  /* Java syntax, NaN, Infinity */
bool sl__parse_bool(const char *s, size_t n, bool *out);   /* t/true/y/yes/1, f/false/n/no/0 */
/* Timestamp text in the forms of R154; a zone in the text wins over
 * default_offset_us. */
bool sl__parse_timestamp(const char *s, size_t n, int64_t default_offset_us, int64_t *out);
bool sl__parse_date(const char *s, size_t n, int32_t *out);

/*
 * Offset from UTC, in microseconds, of a session time zone name: "UTC",
 * "GMT", "Z", "+02:00", "-5", "UTC+3", "GMT-01:00". Returns false for
 * names it does not know (region ids are resolved by the caller).
 */
bool sl__parse_zone_offset(const char *s, size_t n, int64_t *out);

#endif
