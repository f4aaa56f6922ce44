/*
 * files.h — tables backed by files: CREATE TABLE t USING csv|json OPTIONS
 * (path '...', header true, sep ';', inferSchema true, ...). A path is a
 * file, a directory (every visible file in it, names starting with '.' or
 * '_' skipped) or a glob. Implemented in files.c over csv_read.c and
 * json_decode.c. Options are Spark's (case-insensitive keys, the last one
 * given wins); docs/formats.md lists them and where sluice differs.
 */
#ifndef SL_FILES_H
#define SL_FILES_H

#include "batch/batch.h"
#include "format/chunks.h"

typedef struct sl__kv sl__kv;           /* main/catalog.h: option key/value */
typedef struct sl__tabdata sl__tabdata; /* main/catalog.h: immutable rows */

/*
 * The schema of a file table when the user gave none: for csv, the header
 * names (or _c0, _c1, ...) typed by inferSchema (R81–R85) or all STRING; for
 * json, inferred from the lines (R: JSON schema inference, fields sorted by
 * name as Spark does). Errors (missing path, unreadable file, bad option)
 * go to err with offset -1.
 * Ownership: opts borrowed; *out is an interned type.
 */
sl_status sl__file_table_schema(const char *format, const sl__kv *opts, uint32_t n_opts,
                                const sl__type **out, sl__err *err);

/*
 * Reads every row of the table's files with the given schema. Malformed
 * rows follow PERMISSIVE rules (bad fields NULL) and are counted in *bad.
 * Ownership: *out is a new tabdata reference for the caller.
 */
sl_status sl__file_table_load(const char *format, const sl__kv *opts, uint32_t n_opts,
                              const sl__type *schema, sl__tabdata **out, uint64_t *bad,
                              sl__err *err);

/* Checks options at CREATE time (unknown format, missing path, bad sep ...). */
sl_status sl__file_table_check(const char *format, const sl__kv *opts, uint32_t n_opts,
                               sl__err *err);

/* ---- helpers shared with the streaming file source ----------------------- */

/* Value of an option (ASCII case-insensitive key, the last one wins), or NULL. */
const char *sl__opt_get(const sl__kv *opts, uint32_t n_opts, const char *key);
/* A boolean option ("true"/"false", any case): def when absent; an error
 * naming the option otherwise. */
sl_status sl__fmt_opt_bool(const sl__kv *opts, uint32_t n_opts, const char *key, bool def,
                           bool *out, sl__err *err);

/*
 * The files a path names (R73): a file; a directory's regular files whose
 * names do not start with '.' or '_' (subdirectories too when recursive);
 * or a glob(3) pattern (with {a,b} braces), whose matches are treated the
 * same way. Sorted by path. A path that names nothing is SL_ERR_IO with the
 * path in the message.
 * Ownership: *files is an array of strings for the caller: free each and
 * the array with sl__free (sl__files_free does both).
 */
sl_status sl__files_list(const char *path, bool recursive, char ***files, uint32_t *n,
                         sl__err *err);
void sl__files_free(char **files, uint32_t n);

/* Reads a whole file. Ownership: *buf (NUL-terminated, *len bytes before
 * the NUL) is the caller's, sl__free it. */
sl_status sl__file_read_all(const char *path, char **buf, size_t *len, sl__err *err);

/* The `text` format: one STRING row per line (LF, CRLF or CR; no line
 * after a final line break), or one row per buffer when whole. out's
 * schema has one STRING column. Strings are copied. */
void sl__text_parse_buffer(const char *buf, size_t len, bool whole, sl__chunks *out);

#endif
