/*
 * window.h — event-time windows as the rest of the engine sees them
 * (scalar_window.c defines the functions). A bound `window(ts, W[, S[,
 * start]])` or `session_window(ts, gap)` call is an E_CALL whose argument 0
 * is the event time (already a TIMESTAMP: strings and dates converted,
 * window_time() applied to a window struct) and whose other arguments are
 * constants; sl__window_spec reads its parameters back, so the binder, the
 * planner (expansion of sliding windows, panes) and the hash aggregate
 * (pane combination, session merging) agree on one description.
 *
 * Windows are struct<start: timestamp, end: timestamp>, half-open
 * [start, end) (R96, R98), aligned to the epoch shifted by `start` (R99).
 */
#ifndef SL_WINDOW_H
#define SL_WINDOW_H

#include "func/func.h"

enum { SL__WIN_TIME = 1, SL__WIN_SESSION = 2 };

/* Most windows a sliding window() may give one row: ceil(W / S). */
#define SL__WIN_MAX_OVERLAP 100000

typedef struct sl__win_spec {
    int kind;      /* SL__WIN_TIME or SL__WIN_SESSION */
    int64_t size;  /* TIME: window duration W (µs, > 0) */
    int64_t slide; /* TIME: slide S (0 < S <= W); S == W is a tumbling window */
    int64_t start; /* TIME: startTime offset (|start| < S) */
} sl__win_spec;

/* Reads a bound window()/session_window() call; false when e is not one. */
bool sl__window_spec(const sl__expr *e, sl__win_spec *out);

/* Do two bound window calls denote the same windows? Same kind, same
 * parameters (window(ts, '5 minutes') is window(ts, INTERVAL 5 MINUTES, '300
 * seconds')), same time and gap expressions. */
bool sl__window_equal(const sl__expr *a, const sl__expr *b);

/* struct<start: timestamp, end: timestamp>, the type of every window. */
const sl__type *sl__window_type(void);

/* Is t a window struct (two TIMESTAMP fields: start, end)? */
bool sl__is_window_type(const sl__type *t);

/* Windows that may contain one instant: ceil(W / S). */
static inline uint32_t sl__win_overlap(const sl__win_spec *w) {
    return (uint32_t)(w->size / w->slide + (w->size % w->slide ? 1 : 0));
}

/*
 * The start of the latest window (slide S, offset `start`) containing t:
 * t − ((t − start) mod S) with a non-negative modulo (R99), so times before
 * 1970 align like the others. Arithmetic wraps like Spark's longs instead of
 * overflowing at the ends of the int64 range.
 */
static inline int64_t sl__win_last_start(int64_t t, int64_t slide, int64_t start) {
    int64_t d = (int64_t)((uint64_t)t - (uint64_t)start);
    int64_t rem = d % slide;
    if (rem < 0) rem += slide;
    return (int64_t)((uint64_t)t - (uint64_t)rem);
}

/* a + b and a - b on int64 with wrap-around (no undefined behaviour). */
static inline int64_t sl__wadd(int64_t a, int64_t b) {
    return (int64_t)((uint64_t)a + (uint64_t)b);
}
static inline int64_t sl__wsub(int64_t a, int64_t b) {
    return (int64_t)((uint64_t)a - (uint64_t)b);
}

/* A new window(time, W, S, start) call over `time` (a TIMESTAMP expression,
 * consumed): the planner's pane key. NULL with err set on failure. */
sl__expr *sl__window_call(sl__expr *time, int64_t size, int64_t slide, int64_t start, sl__err *err);

#endif
