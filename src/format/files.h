/*
 * files.h — tables backed by files: CREATE TABLE t USING csv|json OPTIONS
 * (path '...', header true, sep ';', inferSchema true, ...). A path is a
 * file, a directory (every visible file in it, names starting with '.' or
 * '_' skipped) or a glob. Implemented in csv_read.c / json_read.c /
 * files.c.
 */
#ifndef SL_FILES_H
#define SL_FILES_H

#include "batch/batch.h"

typedef struct sl__kv sl__kv;       /* main/catalog.h: option key/value */
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

#endif
