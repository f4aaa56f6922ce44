/*
 * query.h — a running streaming query (START QUERY): its thread, its
 * micro-batch loop, its status and progress records. Private to src/stream
 * and src/main (the public sl_query handle wraps one).
 */
#ifndef SL_QUERY_H
#define SL_QUERY_H

#include "stream/stream.h"

typedef struct sl__sq sl__sq;

typedef enum sl__sq_state {
    SQ_INITIALIZING, /* sources opening */
    SQ_ACTIVE,       /* running batches */
    SQ_STOPPED,      /* stopped cleanly (STOP QUERY, trigger once, availableNow) */
    SQ_FAILED        /* stopped by an error (sl__sq_error) */
} sl__sq_state;

/* What START QUERY hands over. */
typedef struct sl__sq_spec {
    const char *name;
    sl__plan *plan; /* taken: the bound logical plan */
    sl__out_mode mode;
    sl__trigger trigger;
    const char *sink_kind;
    sl__kv *opts; /* taken */
    uint32_t n_opts;
    sl__clock *clock; /* borrowed from the session */
    /* the memory table that keeps rows dropped as late (`<name>_late`), or
     * NULL when no operator drops any; borrowed */
    const char *late_table;
} sl__sq_spec;

/*
 * Plans the query, opens its sources on a new thread and returns once that
 * has succeeded (the query is then active) or failed (NULL, err set: e.g.
 * connection refused). Takes spec->plan and spec->opts in both cases.
 */
sl__sq *sl__sq_start(sl_session *s, sl__sq_spec *spec, sl__err *err);

sl__sq *sl__sq_ref(sl__sq *q);
void sl__sq_unref(sl__sq *q);

/* Asks the query to stop at the next batch boundary and waits for its
 * thread. A no-op when already stopped (R14). */
void sl__sq_stop(sl__sq *q);
/* The same; with flush, a last batch first runs with a watermark past every
 * event time, so append mode emits every pending window (STOP ... FLUSH). */
void sl__sq_stop_flush(sl__sq *q, bool flush);

/* Waits until the query ends or timeout_us passes (< 0: no limit) or
 * *interrupt becomes non-zero. Returns true when it ended. */
bool sl__sq_await(sl__sq *q, int64_t timeout_us, volatile int *interrupt);

/*
 * Spark's processAllAvailable: waits until everything the sources had when
 * called is processed (or the query ended). With a processing-time trigger
 * the wait includes the time until the trigger fires. False on timeout or
 * interrupt.
 */
bool sl__sq_process_all_available(sl__sq *q, int64_t timeout_us, volatile int *interrupt);

/* ---- what the query shows (all thread-safe) ---- */
const char *sl__sq_name(const sl__sq *q);
const char *sl__sq_id(const sl__sq *q);
const char *sl__sq_run_id(const sl__sq *q);
sl__sq_state sl__sq_state_of(sl__sq *q);
/* The failure message, or NULL. Owned by the query. */
const char *sl__sq_error(sl__sq *q);
sl_status sl__sq_error_code(sl__sq *q);
/* Status JSON (R188): {"message" : ..., "isDataAvailable" : ..., "isTriggerActive" : ...} */
char *sl__sq_status_json(sl__sq *q);
/* The newest progress record (pretty JSON, R187), or NULL before the first batch. */
char *sl__sq_last_progress(sl__sq *q);
/* The last n records (n <= 0: all kept, at most 100), oldest first; caller frees each and
 * the array. */
char **sl__sq_recent_progress(sl__sq *q, int64_t n, uint32_t *count);

typedef struct sl__sq_info {
    const char *sink_kind;
    sl__out_mode mode;
    int64_t batch_id; /* last executed, -1 before the first */
    double input_rate, processed_rate;
    uint64_t state_rows, state_bytes;
    uint64_t input_rows;  /* since start */
    bool replayable;      /* every source can replay (the guarantee) */
    bool unbounded_state; /* stateful without a watermark: state grows (R119) */
    bool has_watermark;
    int64_t watermark_us; /* the current global watermark (R110) */
    uint64_t late_rows;   /* dropped as late since start (R113) */
} sl__sq_info;
void sl__sq_info_of(sl__sq *q, sl__sq_info *out);

/*
 * Where the query's thread spends its time, for benchmarks (bench/bench_stream.c):
 * triggers that found nothing new (idle) and triggers that ran a batch, each
 * counted and timed on CLOCK_MONOTONIC from the start of the trigger (reading
 * the sources' offsets) to its end (idle: the moment it publishes that all is
 * processed; batch: sink written, offsets committed, progress record kept).
 * Waiting between triggers is not included.
 */
typedef struct sl__sq_perf {
    uint64_t idle_triggers, idle_ns;
    uint64_t batches, batch_ns, batch_rows;
    uint64_t batch_cpu_ns;     /* the thread's CPU time in run_batch (CLOCK_THREAD_CPUTIME_ID) */
    int64_t last_batch_end_ns; /* CLOCK_MONOTONIC, ns; 0 before the first batch */
} sl__sq_perf;
void sl__sq_perf_of(sl__sq *q, sl__sq_perf *out);

/* EXPLAIN text of the query's physical plan. */
void sl__sq_explain(sl__sq *q, sl__buf *out);

/* Does the query read this stream? */
bool sl__sq_reads(const sl__sq *q, const sl__table *stream);

#endif
