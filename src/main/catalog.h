/*
 * catalog.h — the session's named objects: tables (in memory, or backed by
 * CSV/JSON files), views (kept as SQL text, bound at each use) and streams.
 * Names are case-insensitive (R131).
 *
 * Concurrency: streaming queries write memory tables from their own threads
 * while the shell reads them. A table's rows are an immutable, refcounted
 * snapshot (sl__tabdata); a writer builds a new snapshot and swaps it in
 * under the catalog lock, a reader takes a reference and scans at leisure,
 * so a reader never sees a half-written batch.
 */
#ifndef SL_CATALOG_H
#define SL_CATALOG_H

#include "batch/batch.h"
#include <pthread.h>

typedef struct sl__kv {
    char *key;
    char *value;
} sl__kv;

/* Rows appended together (one INSERT, one micro-batch): immutable, shared
 * by every snapshot that contains them. */
typedef struct sl__segment {
    int refs; /* atomic */
    sl__chunk *chunks;
    uint32_t n_chunks;
    uint64_t rows;
} sl__segment;

/* An immutable set of rows: a list of segments. Appending makes a new
 * snapshot that shares the old segments, so it costs O(segments), not
 * O(rows). */
typedef struct sl__tabdata {
    int refs; /* atomic */
    sl__segment **segs;
    uint32_t n_segs;
    uint64_t rows;
} sl__tabdata;

/* A snapshot of one segment made of the given chunks (ownership taken). */
sl__tabdata *sl__tabdata_new(sl__chunk *chunks, uint32_t n_chunks, uint64_t rows);
/* A new snapshot: d's segments followed by those of more (NULL d: empty). */
sl__tabdata *sl__tabdata_append(const sl__tabdata *d, const sl__tabdata *more);
/* A new snapshot keeping only the last `max_rows` rows' segments (whole
 * segments; at least the newest one). */
sl__tabdata *sl__tabdata_tail(const sl__tabdata *d, uint64_t max_rows);
sl__tabdata *sl__tabdata_ref(sl__tabdata *d);
void sl__tabdata_unref(sl__tabdata *d);

typedef enum sl__obj_type { SL_OBJ_TABLE, SL_OBJ_VIEW, SL_OBJ_STREAM } sl__obj_type;

typedef struct sl__table {
    int refs; /* atomic */
    sl__obj_type type;
    char *name;
    const sl__type *schema;
    /* SL_OBJ_TABLE, in memory */
    sl__tabdata *data; /* current snapshot (swap under the catalog lock) */
    bool is_sink;      /* a memory sink's table (owned by a running query) */
    bool by_query;     /* made by a query (memory sink, late rows): its next run replaces it */
    /* SL_OBJ_TABLE backed by files, and SL_OBJ_STREAM: format and options */
    char *format; /* "csv", "json", ... ; NULL for plain in-memory tables */
    sl__kv *options;
    uint32_t n_options;
    /* SL_OBJ_VIEW */
    char *sql;
    bool streaming;    /* view over a stream */
    void *stream_impl; /* SL_OBJ_STREAM: source definition (stream layer) */
    void (*free_impl)(void *);
} sl__table;

typedef struct sl__catalog {
    pthread_mutex_t mu;
    sl__table **objs;
    uint32_t n, cap;
} sl__catalog;

void sl__catalog_init(sl__catalog *c);
void sl__catalog_free(sl__catalog *c);
/* Looks a name up; returns a new reference (release with sl__table_unref). */
sl__table *sl__catalog_get(sl__catalog *c, const char *name);
/* Adds an object (takes the caller's reference). Fails if the name exists
 * unless replace is set. */
bool sl__catalog_put(sl__catalog *c, sl__table *t, bool replace);
/* Removes a name; returns false when absent. */
bool sl__catalog_drop(sl__catalog *c, const char *name);
/* A snapshot list of every object (new references); free with sl__table_unref each + sl__free. */
sl__table **sl__catalog_list(sl__catalog *c, uint32_t *n);

sl__table *sl__table_new(sl__obj_type type, const char *name, const sl__type *schema);
sl__table *sl__table_ref(sl__table *t);
void sl__table_unref(sl__table *t);
/* The current rows (a new reference). */
sl__tabdata *sl__table_data(sl__catalog *c, sl__table *t);
/* Replaces the rows (takes ownership of d). */
void sl__table_set_data(sl__catalog *c, sl__table *t, sl__tabdata *d);
/* Value of an option (case-insensitive key; the last one given wins), or NULL. */
const char *sl__table_option(const sl__table *t, const char *key);

#endif
