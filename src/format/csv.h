/*
 * csv.h — the CSV reader (csv_read.c: Spark's options and rules R81–R87,
 * schema inference R84/R85) and the CSV writer (csv_write.c: what Spark's
 * CSV sink writes, for the file sink and the shell).
 *
 * Reading rules in short (docs/formats.md has them all): RFC 4180 fields,
 * plus Spark's `escape` character before a quote; an unquoted empty field
 * is NULL, a quoted empty field is the empty string (R86) for STRING
 * columns and NULL for others; a field equal to nullValue is NULL; a
 * record with fewer or more fields than the schema is malformed (PERMISSIVE
 * keeps it: missing fields NULL, extra fields ignored); a value that does
 * not convert to its column type is NULL and makes the row malformed.
 * Blank lines (only white space) and comment lines are skipped.
 */
#ifndef SL_CSV_H
#define SL_CSV_H

#include "format/chunks.h"

typedef struct sl__kv sl__kv; /* main/catalog.h: option key/value */
typedef struct sl__tz sl__tz; /* types/tz.h: a time zone with DST rules */

typedef struct sl__csv_opts {
    char *sep; /* owned; sep_len bytes (may contain NUL from "\u0000") */
    size_t sep_len;
    int quote;                                                      /* -1: no quoting */
    int escape;                                                     /* -1: none */
    int comment;                                                    /* -1: none */
    char *null_value, *empty_value, *nan_value, *pos_inf, *neg_inf; /* owned */
    bool header, infer_schema, ignore_leading, ignore_trailing, multiline, prefer_date;
    sl__parse_mode mode;
    int64_t tz_offset_us;    /* for timestamps without a zone (option timeZone) */
    const sl__tz *zone;      /* the same zone with its DST rules (NULL: use the offset) */
    struct sl__badrec *keep; /* malformed records are copied here when set (borrowed) */
} sl__csv_opts;

/* Spark's reader defaults: sep ",", quote '"', escape '\', no comment,
 * nullValue "", no header, no inference, PERMISSIVE, UTC. */
void sl__csv_opts_init(sl__csv_opts *o);
void sl__csv_opts_free(sl__csv_opts *o);
/*
 * Reads the CSV options (keys case-insensitive, the last one given wins)
 * over the defaults. Bad values are errors whose message names the option
 * and the accepted values. Keys that are not CSV options are ignored here
 * (sl__file_table_check rejects unknown keys).
 */
sl_status sl__csv_opts_from(const sl__kv *opts, uint32_t n_opts, sl__csv_opts *o, sl__err *err);

/*
 * Column names and types of CSV text. Feed every file's bytes in order;
 * the first record of the first file gives the column count and, with
 * header, the names (R81/R82: verbatim, empty -> _c<i>, duplicates get
 * their index appended). With infer_schema every later record refines the
 * types (R84/R85); otherwise every column is STRING.
 * Ownership: the caller frees the inferrer; the schema is interned.
 */
typedef struct sl__csv_infer sl__csv_infer;
sl__csv_infer *sl__csv_infer_new(const sl__csv_opts *o);
void sl__csv_infer_free(sl__csv_infer *ci);
void sl__csv_infer_add(sl__csv_infer *ci, const char *buf, size_t len);
/* The schema, or NULL when no record (not even a header) was seen. */
const sl__type *sl__csv_infer_schema(sl__csv_infer *ci);

/*
 * Parses CSV text (one file's content) into rows appended to out, typed by
 * out->schema (columns by position). With o->header the first record is
 * skipped. Strings are copied, so buf may be released afterwards. Malformed
 * rows follow o->mode and are counted in *bad; a FAILFAST error names
 * `name` (a file path) and the line.
 * Ownership: buf borrowed; rows appended to out.
 */
sl_status sl__csv_parse_buffer(const sl__csv_opts *o, const char *buf, size_t len, const char *name,
                               sl__chunks *out, uint64_t *bad, sl__err *err);

/* Can a CSV file hold a column of this type? (not STRUCT, ARRAY, INTERVAL) */
bool sl__csv_type_ok(const sl__type *t);

/* ---- writing -------------------------------------------------------------- */

typedef struct sl__csv_wopts {
    const char *sep;         /* borrowed */
    char quote;              /* '"' */
    char escape;             /* escapes a quote inside a quoted value; '"' doubles it (RFC 4180) */
    const char *null_value;  /* text of NULL; "" */
    const char *empty_value; /* text of the empty string; "\"\"" */
    bool quote_all;          /* quote every non-NULL value */
    bool trim;               /* drop leading/trailing white space (Spark's write default) */
    int64_t tz_offset_us;    /* zone of TIMESTAMP text */
} sl__csv_wopts;

/* Spark's CSV writer defaults: sep ",", quote '"', escape '\', NULL as
 * nothing, "" for the empty string, white space trimmed. */
void sl__csv_wopts_init(sl__csv_wopts *o);
/* The same, but RFC 4180 (quotes doubled, white space kept): what the
 * shell's csv mode uses. */
void sl__csv_wopts_rfc4180(sl__csv_wopts *o);

/* Appends one text field: quoted when it contains the separator, the
 * quote, the escape, CR or LF, or starts/ends with white space kept. */
void sl__csv_write_field(const char *s, size_t n, const sl__csv_wopts *o, sl__buf *out);
/* Appends v[row] as a field: numbers as Spark prints them, TIMESTAMP as
 * yyyy-MM-dd'T'HH:mm:ss.SSSXXX, DATE yyyy-MM-dd, nested values as their
 * show() text. */
void sl__csv_write_value(const sl__vec *v, uint32_t row, const sl__csv_wopts *o, sl__buf *out);
/* Appends a record (fields joined by sep) and "\n". */
void sl__csv_write_row(sl__vec *const *cols, uint32_t n_cols, uint32_t row, const sl__csv_wopts *o,
                       sl__buf *out);
/* Appends the header record of a schema's field names and "\n". */
void sl__csv_write_header(const sl__type *schema, const sl__csv_wopts *o, sl__buf *out);

#endif
