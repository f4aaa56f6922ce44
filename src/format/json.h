/*
 * json.h — the schema-directed JSON decoder (one decoder for from_json,
 * JSON file tables and JSON stream sources) and the JSON writer (to_json,
 * JSON sinks, the shell's json/jsonl modes).
 *
 * The decoder parses one JSON text (a line) straight into the field vectors
 * of a schema: no DOM, no intermediate values. It has a fast path for the
 * common case (keys in schema order, no escapes) and a correct general path
 * (any key order, escapes, unknown keys skipped, duplicate keys: last wins,
 * nested objects and arrays). PERMISSIVE rules of R165–R169: a syntactically
 * malformed text sets every field NULL and reports it; a value of the wrong
 * type makes only that field NULL.
 */
#ifndef SL_JSON_H
#define SL_JSON_H

#include "batch/vector.h"

typedef struct sl__json_decoder sl__json_decoder;

/* Result of decoding one text. */
typedef enum sl__json_status {
    SL_JSON_OK,        /* well-formed; fields filled (missing keys NULL) */
    SL_JSON_PARTIAL,   /* well-formed, but some values had the wrong type (those NULL) */
    SL_JSON_MALFORMED  /* not a JSON object: every field NULL */
} sl__json_status;

/*
 * A decoder for a STRUCT schema. tz_offset_us is used for TIMESTAMP strings
 * without a zone. Ownership: the caller frees it with sl__json_decoder_free.
 */
sl__json_decoder *sl__json_decoder_new(const sl__type *schema, int64_t tz_offset_us);
void sl__json_decoder_free(sl__json_decoder *d);

/*
 * Decodes text[0, len) into row `row` of fields[i] (one vector per schema
 * field; fields must have capacity > row). When `borrow` is true, STRING
 * values without escapes point into `text` (the caller keeps text alive as
 * long as the vectors are used); otherwise they are copied into each field
 * vector's heap.
 */
sl__json_status sl__json_decode(sl__json_decoder *d, const char *text, size_t len,
                                sl__vec *const *fields, uint32_t row, bool borrow);

/* Appends v[row] as JSON (objects for structs, using the type's field names;
 * NULL fields omitted as Spark's to_json does). */
void sl__json_write_value(const sl__vec *v, uint32_t row, int64_t tz_offset_us, sl__buf *out);
/* Appends a JSON string literal with escapes. */
void sl__json_write_string(const char *s, size_t n, sl__buf *out);

#endif
