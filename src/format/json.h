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
#include "format/chunks.h"

typedef struct sl__json_decoder sl__json_decoder;
typedef struct sl__tz sl__tz; /* types/tz.h: a time zone with DST rules */

/* Result of decoding one text. */
typedef enum sl__json_status {
    SL_JSON_OK,       /* well-formed; fields filled (missing keys NULL) */
    SL_JSON_PARTIAL,  /* well-formed, but some values had the wrong type (those NULL) */
    SL_JSON_MALFORMED /* not a JSON object: every field NULL */
} sl__json_status;

/*
 * A decoder for a STRUCT schema. tz_offset_us is used for TIMESTAMP strings
 * without a zone. Ownership: the caller frees it with sl__json_decoder_free.
 */
sl__json_decoder *sl__json_decoder_new(const sl__type *schema, int64_t tz_offset_us);
void sl__json_decoder_free(sl__json_decoder *d);
/* Changes the zone used for TIMESTAMP strings without one: a fixed offset,
 * or a zone with DST rules (types/tz.h; NULL: use the offset). */
void sl__json_decoder_set_tz(sl__json_decoder *d, int64_t tz_offset_us);
void sl__json_decoder_set_zone(sl__json_decoder *d, const sl__tz *zone);

/*
 * Decodes text[0, len) into row `row` of fields[i] (one vector per schema
 * field; fields must have capacity > row). When `borrow` is true, STRING
 * values without escapes point into `text` (the caller keeps text alive as
 * long as the vectors are used); otherwise they are copied into each field
 * vector's heap.
 */
sl__json_status sl__json_decode(sl__json_decoder *d, const char *text, size_t len,
                                sl__vec *const *fields, uint32_t row, bool borrow);

/*
 * Text rules beyond R165-R169 (docs/formats.md has the full list): Spark's
 * Jackson defaults are followed — single-quoted strings and the tokens NaN,
 * Infinity, +Infinity, -Infinity are accepted; comments, unquoted keys,
 * leading zeros, raw control characters in strings and unknown escapes make
 * the text malformed; a UTF-8 byte order mark is skipped. Stricter than
 * Spark: anything but white space after the object is malformed. Bytes in
 * strings are not checked for valid UTF-8. A lone \u surrogate becomes
 * '?', as Java's UTF-8 encoder writes it. A STRING field given a
 * non-string value keeps the value's JSON text re-serialised the way
 * Jackson copies it: no white space, strings re-escaped, floats in Java's
 * Double.toString form, integers as written.
 */

/* Sets v[row] NULL; for a STRUCT also every field, recursively (readers of
 * a field look at the child vector alone). */
void sl__json_set_null(sl__vec *v, uint32_t row);

/* From now on, copies each malformed line that sl__json_lines_parse_buffer
 * meets into keep (borrowed; NULL stops). */
typedef struct sl__badrec sl__badrec;
void sl__json_decoder_keep_bad(sl__json_decoder *d, sl__badrec *keep);

/*
 * Decodes a buffer of JSON lines (one object per line, '\n' or "\r\n";
 * blank lines skipped) into rows appended to out (whose schema is the
 * decoder's). Strings are copied into the vectors, so buf may be released
 * afterwards. Malformed or partially bad lines follow mode; each one is
 * counted in *bad. FAILFAST errors name `name` (a file path) and the line.
 * Ownership: buf borrowed; rows appended to out (caller owns out).
 */
sl_status sl__json_lines_parse_buffer(sl__json_decoder *d, const char *buf, size_t len,
                                      sl__parse_mode mode, const char *name, sl__chunks *out,
                                      uint64_t *bad, sl__err *err);

/*
 * Schema inference over JSON lines, as Spark's JSON reader does it:
 * integers -> BIGINT (too large for BIGINT -> DOUBLE: no DECIMAL here),
 * other numbers -> DOUBLE, strings -> STRING, true/false -> BOOLEAN,
 * objects -> STRUCT with fields sorted by name, arrays -> ARRAY of the
 * merged element type. Conflicts: BIGINT+DOUBLE -> DOUBLE, STRUCT+STRUCT
 * and ARRAY+ARRAY merge, anything else -> STRING; a field only ever null
 * (or an empty array's element) -> STRING; empty structs are dropped.
 * Ownership: the caller frees the inferrer; the result type is interned.
 */
typedef struct sl__json_infer sl__json_infer;
sl__json_infer *sl__json_infer_new(bool primitives_as_string);
void sl__json_infer_free(sl__json_infer *ji);
/* Adds one JSON text (a line). Returns false (and learns nothing) when it
 * is not a well-formed object; blank lines must be skipped by the caller. */
bool sl__json_infer_add(sl__json_infer *ji, const char *text, size_t len);
/* The schema so far (a STRUCT; no fields when nothing was learned). With
 * drop_all_null, fields that were only ever null are left out. */
const sl__type *sl__json_infer_schema(sl__json_infer *ji, bool drop_all_null);

/*
 * get_json_object's path evaluation: the value at a JSONPath ("$.a.b[0]",
 * "$['a']", "$.a[*]" not supported -> false) of the JSON text, appended to
 * out as Spark returns it (strings unquoted and unescaped, other values as
 * compact JSON). Returns false when the text is malformed, the path is
 * invalid or leads nowhere, or the value is null.
 */
bool sl__json_get_path(const char *text, size_t len, const char *path, size_t path_len,
                       sl__buf *out);

/* Appends v[row] as JSON (objects for structs, using the type's field names;
 * NULL fields omitted as Spark's to_json does). */
void sl__json_write_value(const sl__vec *v, uint32_t row, int64_t tz_offset_us, sl__buf *out);
/* The same with TIMESTAMPs in a zone with DST rules (the offset of each
 * instant). */
void sl__json_write_value_zone(const sl__vec *v, uint32_t row, const sl__tz *zone, sl__buf *out);
/* Spark's default JSON/CSV timestamp text, yyyy-MM-dd'T'HH:mm:ss.SSSXXX, in
 * the zone given by its offset ("2024-01-01T12:00:00.000Z" for UTC). buf
 * needs 80 bytes. Returns the length. */
size_t sl__json_fmt_timestamp(int64_t us, int64_t tz_offset_us, char *buf);
/* Appends a JSON string literal with escapes. */
void sl__json_write_string(const char *s, size_t n, sl__buf *out);

#endif
