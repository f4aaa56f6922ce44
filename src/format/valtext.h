/*
 * valtext.h — one value of a vector as text, the way Spark prints it:
 * numbers and timestamps per types/text.h, arrays as "[a, b]", structs as
 * "{v1, v2}" (values only), intervals as "INTERVAL '...' DAY TO SECOND".
 * The text of NULL differs by context: show() prints "NULL" everywhere,
 * CAST(... AS STRING) prints nested nulls as "null".
 */
#ifndef SL_VALTEXT_H
#define SL_VALTEXT_H

#include "batch/vector.h"

struct sl__tz;

typedef struct sl__text_opts {
    const struct sl__tz *tz; /* session zone for TIMESTAMP (NULL: UTC) */
    const char *null_text;   /* text of a NULL (top level and nested) */
} sl__text_opts;

/* Appends the text of v[row] (row is a physical row, constants handled). */
void sl__value_text(const sl__vec *v, uint32_t row, const sl__text_opts *o, sl__buf *out);

#endif
