/*
 * interval.h — durations as Spark writes them: "10 seconds", "5 minutes",
 * "1 hour 30 minutes", "500 milliseconds", "2 days", and the units of
 * INTERVAL literals. Results are microseconds. Month- and year-based
 * durations have no fixed length and are rejected, as Spark's window() does.
 */
#ifndef SL_INTERVAL_H
#define SL_INTERVAL_H

#include "base/base.h"

/*
 * Microseconds in one unit ("second", "SECONDS", "ms", "min", "hour",
 * "day", "week", "millisecond", "microsecond"); 0 for an unknown unit, -1
 * for month/year units (valid Spark, but variable length).
 */
int64_t sl__interval_unit(const char *unit, size_t len);

/*
 * Parses "N unit [N unit ...]" (optionally prefixed by "interval", numbers
 * may be fractional or negative) into *us. Returns false with a message in
 * err (offset = -1) when the text is not a duration.
 */
bool sl__interval_parse(const char *s, size_t len, int64_t *us, sl__err *err);

/* Formats microseconds as Spark prints a day-time interval:
 * "INTERVAL '0 00:00:10' DAY TO SECOND". */
void sl__interval_format(int64_t us, sl__buf *out);

#endif
