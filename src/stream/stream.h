/*
 * stream.h — the streaming runtime's shared definitions: clocks, sources,
 * sinks, triggers, and the streaming query. Private to src/stream.
 *
 * A streaming query is Spark's MicroBatchExecution: on each trigger it asks
 * every source for its latest offset; if anything is new (or a no-data batch
 * is due) it runs micro-batch N over the offset ranges (committed, latest]:
 * the sources hand over the rows of their range, the query's operator tree
 * (built once at START) runs over them, stateful operators fold them into
 * their state and emit what the output mode asks for, the sink writes the
 * output, the sources are told the range is committed, and a progress record
 * is kept. Offsets are per-source int64s that only grow and count what the
 * source has made available: lines received, rows pushed, seconds elapsed,
 * files admitted. The rows of offsets (start, end] are the items with index
 * max(start, 0) .. end - 1. A query starts from offset -1, so a source that
 * reports 0 at once (socket, rate, memory) runs an empty batch 0 (R25).
 */
#ifndef SL_STREAM_H
#define SL_STREAM_H

#include "exec/ops.h"
#include "main/session.h"
#include "sql/plan.h"
#include "format/badrec.h"
#include "types/tz.h"
#include <pthread.h>

/* ---- clocks ------------------------------------------------------------------ */

/*
 * Time for triggers, batch timestamps, rate sources and idle timeouts. The
 * real clock reads CLOCK_REALTIME; the manual clock (sluice.clock = manual,
 * for tests) only moves when sl_session_advance_clock says so, and wakes the
 * queries waiting on it.
 */
typedef struct sl__clock sl__clock;
sl__clock *sl__clock_new(bool manual, int64_t start_us);
void sl__clock_free(sl__clock *c);
int64_t sl__clock_now(sl__clock *c);
bool sl__clock_is_manual(const sl__clock *c);
/* Moves a manual clock forward and wakes every registered waiter. */
void sl__clock_advance(sl__clock *c, int64_t us);
/* Waiters are file descriptors written to (one byte) when time moves. */
void sl__clock_watch(sl__clock *c, int wake_fd);
void sl__clock_unwatch(sl__clock *c, int wake_fd);

/* ---- sources ----------------------------------------------------------------- */

typedef struct sl__source sl__source;

/* The rows of one micro-batch from one source: owned chunks of the
 * source's schema. */
typedef struct sl__rowset {
    sl__chunk *chunks;
    uint32_t n_chunks, cap;
    uint64_t rows;
    uint64_t bad_records; /* malformed input counted while decoding */
    sl__badrec bad_kept;  /* their text, when the stream has badRecordsPath */
} sl__rowset;

void sl__rowset_clear(sl__rowset *rs);
/* A chunk to fill: the last one when it has room, else a new one. */
sl__chunk *sl__rowset_tail(sl__rowset *rs, const sl__type *schema);

/*
 * A source of rows. `open` runs on the query's thread when the query starts
 * and may fail (connection refused, missing directory): the query then fails
 * with that error before any batch. The query calls the others only from its
 * own thread.
 */
typedef struct sl__source_vt {
    const char *kind; /* "socket", "files", "rate", "memory" */
    sl_status (*open)(sl__source *s, sl__err *err);
    /* Reads what is available (without blocking) and reports the newest
     * offset. *end is unchanged when nothing is known yet (files before the
     * first file): no batch 0 then (R25). */
    sl_status (*latest)(sl__source *s, int64_t *end, sl__err *err);
    /* Appends the rows of offsets (start, end] to out. */
    sl_status (*get_batch)(sl__source *s, int64_t start, int64_t end, sl__rowset *out,
                           sl__err *err);
    /* Offsets up to end will not be asked for again. */
    void (*commit)(sl__source *s, int64_t end);
    /* A descriptor that becomes readable when new data may be there, or -1. */
    int (*wait_fd)(sl__source *s);
    /* Spark's description ("TextSocketV2[host: 127.0.0.1, port: 9999]"). */
    void (*describe)(const sl__source *s, sl__buf *out);
    /* JSON value of an offset for progress records (a number by default). */
    void (*offset_json)(const sl__source *s, int64_t offset, sl__buf *out);
    void (*close)(sl__source *s);
    /* Optional, for sources with per-trigger caps (maxFilesPerTrigger): from
     * now on latest() admits only data present now — with the caps, one
     * capped step per trigger (availableNow, R31), or uncapped, all of it in
     * one step (once, R30). Without it the query clamps to the offset that
     * latest() gives at start. */
    sl_status (*freeze)(sl__source *s, bool uncapped, sl__err *err);
} sl__source_vt;

struct sl__source {
    const sl__source_vt *vt;
    const sl__type *schema; /* the stream's columns */
    sl__clock *clock;       /* borrowed from the session */
    const sl__table *def;   /* the CREATE STREAM definition (options); a reference */
    const sl__tz *tz;       /* the session's zone when the query started (borrowed) */
    int64_t initial;        /* the offset before anything (−1: nothing yet) */
    bool replayable;        /* offsets can be read again after a restart */
    bool closed;            /* sl__source_close ran */
    void *impl;
};

/* A source for a stream of the catalog (checks nothing: CREATE STREAM did). */
sl__source *sl__source_create(sl__table *stream, sl__clock *clock, sl__err *err);
void sl__source_free(sl__source *s);
/* Closes the source's connection or files (once; also done by free): a
 * stopped query lets go of its sockets at once. */
void sl__source_close(sl__source *s);

/*
 * CREATE STREAM: checks the options of a kind, and gives the stream's schema
 * (the declared one, or the kind's fixed one: value STRING for a socket).
 * `declared` may be NULL. Errors point at nothing (offset -1).
 */
sl_status sl__source_define(const char *kind, const sl__kv *opts, uint32_t n_opts,
                            const sl__type *declared, const sl__type **schema, sl__err *err);

/* CREATE STREAM checks of each kind (sources/<kind>.c). */
sl_status sl__src_memory_define(const sl__kv *opts, uint32_t n, const sl__type *declared,
                                const sl__type **schema, sl__err *err);
sl_status sl__src_socket_define(const sl__kv *opts, uint32_t n, const sl__type *declared,
                                const sl__type **schema, sl__err *err);
sl_status sl__src_files_define(const char *kind, const sl__kv *opts, uint32_t n,
                               const sl__type *declared, const sl__type **schema, sl__err *err);
sl_status sl__src_rate_define(const sl__kv *opts, uint32_t n, const sl__type *declared,
                              const sl__type **schema, sl__err *err);
sl_status sl__src_rate_micro_batch_define(const sl__kv *opts, uint32_t n, const sl__type *declared,
                                          const sl__type **schema, sl__err *err);

/* Source kinds (one file each under sources/). */
extern const sl__source_vt sl__src_memory_vt, sl__src_socket_vt, sl__src_files_vt, sl__src_rate_vt,
    sl__src_rate_micro_batch_vt;

/* The memory source's buffer: rows appended by INSERT INTO a stream. */
sl_status sl__memory_stream_append(sl__table *stream, const sl__rowset *rows, sl__err *err);

/* Does the stream keep its malformed records (option badRecordsPath)? */
bool sl__source_keeps_bad(const sl__source *s);

/* Option helpers shared by sources and sinks: last value of a key wins. */
const char *sl__opt(const sl__kv *opts, uint32_t n, const char *key);
/* Parses an optional boolean / integer option; false with an error when
 * present but malformed. */
bool sl__opt_bool(const sl__kv *opts, uint32_t n, const char *key, bool def, bool *out,
                  sl__err *err);
bool sl__opt_int(const sl__kv *opts, uint32_t n, const char *key, int64_t def, int64_t lo,
                 int64_t hi, int64_t *out, sl__err *err);

/* ---- output modes, triggers -------------------------------------------------- */

typedef enum sl__out_mode { SL_MODE_APPEND, SL_MODE_UPDATE, SL_MODE_COMPLETE } sl__out_mode;

const char *sl__out_mode_name(sl__out_mode m);

typedef enum sl__trigger_kind {
    SL_TRIGGER_DEFAULT,  /* next batch as soon as the last ends */
    SL_TRIGGER_INTERVAL, /* processing time, aligned to multiples of interval */
    SL_TRIGGER_ONCE,     /* one batch over what is there, then stop */
    SL_TRIGGER_AVAILABLE /* availableNow: everything there at start, then stop */
} sl__trigger_kind;

typedef struct sl__trigger {
    sl__trigger_kind kind;
    int64_t interval_us;
} sl__trigger;

/* Parses `trigger` option text: '2 seconds', 'once', 'availableNow',
 * 'continuous ...' (rejected). */
bool sl__trigger_parse(const char *text, sl__trigger *out, sl__err *err);

/* ---- sinks ------------------------------------------------------------------- */

typedef struct sl__sink sl__sink;

/* One micro-batch of output rows, as the sink receives them. */
typedef struct sl__sink_batch {
    int64_t batch_id;
    const sl__type *schema;
    sl__chunk *chunks; /* owned by the caller; a sink may take them (then sets chunks NULL) */
    uint32_t n_chunks;
    uint64_t rows;
    sl__out_mode mode;
    const struct sl__tz *tz; /* session zone for timestamps */
} sl__sink_batch;

typedef struct sl__sink_vt {
    const char *kind; /* "console", "memory", "files" */
    sl_status (*open)(sl__sink *k, sl__err *err);
    /* Writes one batch's output. Called once per executed batch, in order. */
    sl_status (*write)(sl__sink *k, sl__sink_batch *b, sl__err *err);
    void (*describe)(const sl__sink *k, sl__buf *out);
    void (*close)(sl__sink *k);
} sl__sink_vt;

struct sl__sink {
    const sl__sink_vt *vt;
    bool closed;
    sl_session *session; /* borrowed: output, catalog */
    const char *query_name;
    const sl__kv *opts; /* borrowed from the query */
    uint32_t n_opts;
    void *impl;
};

/* Checks a sink's options and output mode at START (R42, R43 ...). */
sl_status sl__sink_check(const char *kind, const sl__kv *opts, uint32_t n_opts, sl__out_mode mode,
                         const char *query_name, sl__err *err);
sl__sink *sl__sink_create(const char *kind, sl_session *s, const char *query_name,
                          const sl__kv *opts, uint32_t n_opts, sl__err *err);
/* Closes the sink (once); sl__sink_free closes it too when still open. */
void sl__sink_close(sl__sink *k);
void sl__sink_free(sl__sink *k);

extern const sl__sink_vt sl__snk_console_vt, sl__snk_memory_vt, sl__snk_files_vt;

/* Shared with the files sink (sinks/files.c): one row of a chunk as a JSON
 * line (NULL fields left out, timestamps in zone tz); a file written under a
 * temporary name, fsync'ed and renamed into dir (created when missing). */
void sl__json_row(const sl__chunk *c, uint32_t r, const sl__tz *tz, sl__buf *out);
sl_status sl__files_write_atomic(const char *dir, const char *name, const char *data, size_t n,
                                 sl__err *err);

/* ---- the analyzer ------------------------------------------------------------ */

/*
 * Spark's checks of a streaming query at start (§4.1 output modes, §5
 * operations, §9 joins): returns SL_OK or an error whose message has Spark's
 * key phrase and says how to fix it. Sink × mode checks are the sink's.
 */
sl_status sl__stream_analyze(const sl__plan *p, sl__out_mode mode, sl__err *err);
/* Marks each streaming aggregation's (and dedup's) event-time key (plan.h:
 * evt_key, evt_window) for the runtime's late-row filter and state eviction. */
void sl__stream_mark_event_time(sl__plan *p);

#endif
