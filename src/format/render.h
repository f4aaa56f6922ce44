/*
 * render.h — rows as text for people: Spark's show() table (R53–R66,
 * examples A and B of the spec), CSV, JSON, JSON lines, markdown and the
 * line mode. Used by sl_result_render (the shell) and the console sink.
 */
#ifndef SL_RENDER_H
#define SL_RENDER_H

#include "batch/batch.h"

/* Where rendered text goes; returns non-zero to stop. */
typedef int (*sl__emit_fn)(void *ud, const char *data, size_t len);

typedef struct sl__render_src {
    const sl__type *schema; /* column names and types */
    sl__chunk *chunks;      /* rows, in order */
    uint32_t n_chunks;
    uint64_t rows;
    const struct sl__tz *tz; /* session zone (NULL: UTC) */
} sl__render_src;

/* mode: 0 table, 1 csv, 2 json, 3 jsonl, 4 markdown, 5 line (sl_render_mode). */
typedef struct sl__render_opts {
    int mode;
    int64_t max_rows; /* table: rows shown; < 0 all */
    int32_t truncate; /* table: 0 off */
    bool header;      /* csv */
} sl__render_opts;

/* Renders the rows; returns false when emit asked to stop. */
bool sl__render(const sl__render_src *src, const sl__render_opts *o, sl__emit_fn emit, void *ud);

/* Appends show()'s table for the given rows into out (console sink). */
void sl__render_show(const sl__render_src *src, int64_t num_rows, int32_t truncate, sl__buf *out);

/* Display width of UTF-8 text as Spark counts it (East Asian wide = 2). */
size_t sl__text_width(const char *s, size_t n);

#endif
