/*
 * scalar_window.c — the event-time window functions (R96–R105):
 * window(ts, windowDuration[, slideDuration[, startTime]]),
 * session_window(ts, gapDuration) and window_time(window).
 *
 * As scalars they give one window per row: window() the latest window that
 * contains ts, [t − ((t − start) mod S), … + W) — for a tumbling window (no
 * slide, or S = W) that is the window; session_window() the initial session
 * [t, t + gap). A sliding window (S < W) puts a row in up to ceil(W/S)
 * windows, and sessions merge per key: the binder therefore materialises the
 * one window expression of a SELECT as a column below it (plan.h, P_WINDOW),
 * the planner expands rows into their windows (exec/op_expand.c) or
 * pre-aggregates per pane, and the hash aggregate merges sessions
 * (exec/op_hash_agg.c). func/window.h describes a bound call for them.
 *
 * Durations are constants: interval strings ('10 seconds', '1 hour 30
 * minutes', '1 week'), INTERVAL literals, or integers (microseconds, as
 * Spark). Months and years have no fixed length and are refused. The
 * argument checks of R97 are analysis errors with Spark's phrasing.
 */
#include "func/kernel.h"
#include "func/window.h"
#include "types/interval.h"
#include <ctype.h>
#include <strings.h>

#define K(name)                                                                                    \
    static void name(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out)

static const char *const win_names[2] = {"start", "end"};

const sl__type *sl__window_type(void) {
    const sl__type *f[2] = {SL_T_TS, SL_T_TS};
    return sl__type_struct(2, win_names, f, NULL);
}

bool sl__is_window_type(const sl__type *t) {
    return t->id == SL_TYPE_STRUCT && t->n_fields == 2 && t->fields[0] == SL_T_TS &&
           t->fields[1] == SL_T_TS;
}

static int64_t const_i64(const sl__vec *v) {
    return SL_VEC_DATA(v, int64_t)[0];
}

/* A duration for messages: "10 minutes", "90 seconds", "-5 minutes". */
static void fmt_dur(int64_t us, char *buf, size_t n) {
    static const struct {
        int64_t us;
        const char *name;
    } units[] = {{604800000000LL, "week"}, {86400000000LL, "day"}, {3600000000LL, "hour"},
                 {60000000LL, "minute"},   {1000000LL, "second"},  {1000LL, "millisecond"},
                 {1LL, "microsecond"}};
    if (us == 0) {
        snprintf(buf, n, "0 seconds");
        return;
    }
    for (size_t i = 0; i < SL_ARRAY_LEN(units); i++) {
        if (us % units[i].us) continue;
        long long q = (long long)(us / units[i].us);
        snprintf(buf, n, "%lld %s%s", q, units[i].name, q == 1 || q == -1 ? "" : "s");
        return;
    }
}

/* ---- window_time ------------------------------------------------------------------ */

/* window.end − 1 µs: an instant inside the window (R104) */
K(k_window_time) {
    const sl__vec *w = a[0];
    const sl__vec *end = w->child[1];
    SL_FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(w, r);
        if (!sl__vec_valid(w, k) || !sl__vec_valid(end, k)) {
            sl__vec_set_null(out, r);
            continue;
        }
        sl__vec_set_valid(out, r);
        SL_VEC_DATA(out, int64_t)[r] = sl__wsub(SL_VEC_DATA(end, int64_t)[k], 1);
    }
}

static sl_status bind_window_time(sl__fbind *fb) {
    if (fb->args[0]->type->id == SL_TYPE_NULL) sl__fbind_cast_arg(fb, 0, sl__window_type());
    if (!sl__is_window_type(fb->args[0]->type))
        return sl__fbind_type_error(fb, 0,
                                    "a window column (struct<start: timestamp, end: timestamp>)");
    fb->type = SL_T_TS;
    fb->kernel = k_window_time;
    return SL_OK;
}

/* The event time argument: a timestamp (strings and dates converted in the
 * session zone), or a window column, whose window_time() it then uses
 * (chained windows, R104). */
static sl_status bind_time_arg(sl__fbind *fb) {
    static const char want[] =
        "a timestamp or a window column (struct<start: timestamp, end: timestamp>)";
    const sl__type *t = fb->args[0]->type;
    if (t->id == SL_TYPE_STRUCT) {
        if (!sl__is_window_type(t)) return sl__fbind_type_error(fb, 0, want);
        sl__expr *w = fb->args[0];
        fb->args[0] = sl__expr_call("window_time", SL_T_TS, k_window_time, &w, 1);
        return SL_OK;
    }
    if (!sl__fbind_coerce_ts(fb, 0)) return sl__fbind_type_error(fb, 0, want);
    return SL_OK;
}

/*
 * Argument i as a duration in microseconds: a constant interval string, an
 * INTERVAL or an integer (microseconds). The argument is replaced by an
 * INTERVAL constant, so equal windows written differently bind equal.
 */
static sl_status duration_arg(sl__fbind *fb, uint32_t i, const char *what, int64_t *us) {
    const sl__expr *x = fb->args[i];
    if (x->kind != E_CONST)
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "%s: the %s must be a constant: an interval string such as '10 "
                           "minutes', an INTERVAL literal or a number of microseconds",
                           fb->name, what);
    const sl__vec *c = x->cval;
    if (!sl__vec_valid(c, 0))
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos, "%s: the %s cannot be NULL", fb->name,
                           what);
    switch (x->type->id) {
    case SL_TYPE_STRING: {
        sl__str s = SL_VEC_DATA(c, sl__str)[0];
        size_t k = 0;
        while (k < s.len && isspace((unsigned char)s.ptr[k])) k++;
        if (k == s.len)
            return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos, "%s: the %s cannot be blank",
                               fb->name, what);
        sl__err e;
        sl__err_clear(&e);
        if (!sl__interval_parse(s.ptr, s.len, us, &e))
            return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos, "%s: invalid %s: %s", fb->name,
                               what, e.msg);
        break;
    }
    case SL_TYPE_INTERVAL: *us = const_i64(c); return SL_OK;
    case SL_TYPE_SMALLINT:
    case SL_TYPE_INT:
    case SL_TYPE_BIGINT: *us = sl__get_i64(c, 0); break;
    default:
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "%s: the %s must be an interval string such as '10 minutes', an "
                           "INTERVAL literal or a number of microseconds, got %s",
                           fb->name, what, x->type->name);
    }
    sl__expr_free(fb->args[i]);
    fb->args[i] = sl__expr_const_i64(SL_T_INTERVAL, *us);
    return SL_OK;
}

/* ---- window ------------------------------------------------------------------- */

K(k_window) {
    const sl__vec *t = a[0];
    int64_t size = const_i64(a[1]);
    int64_t slide = e->n_args > 2 ? const_i64(a[2]) : size;
    int64_t start = e->n_args > 3 ? const_i64(a[3]) : 0;
    sl__vec *vs = out->child[0], *ve = out->child[1];
    int64_t *ps = SL_VEC_DATA(vs, int64_t), *pe = SL_VEC_DATA(ve, int64_t);
    const int64_t *tv = SL_VEC_DATA(t, int64_t);
    SL_FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(t, r);
        if (!sl__vec_valid(t, k)) {
            sl__vec_set_null(out, r);
            sl__vec_set_null(vs, r);
            sl__vec_set_null(ve, r);
            continue;
        }
        int64_t s = sl__win_last_start(tv[k], slide, start);
        sl__vec_set_valid(out, r);
        sl__vec_set_valid(vs, r);
        sl__vec_set_valid(ve, r);
        ps[r] = s;
        pe[r] = sl__wadd(s, size);
    }
}

static sl_status bind_window(sl__fbind *fb) {
    if (bind_time_arg(fb) != SL_OK) return SL_ERR_ANALYSIS;
    int64_t size, slide, start = 0;
    if (duration_arg(fb, 1, "window duration", &size) != SL_OK) return SL_ERR_ANALYSIS;
    slide = size;
    if (fb->n_args > 2 && duration_arg(fb, 2, "slide duration", &slide) != SL_OK)
        return SL_ERR_ANALYSIS;
    if (fb->n_args > 3 && duration_arg(fb, 3, "start time", &start) != SL_OK)
        return SL_ERR_ANALYSIS;
    char b1[64], b2[64];
    fmt_dur(size, b1, sizeof b1);
    fmt_dur(slide, b2, sizeof b2);
    /* R97, in Spark's order */
    if (size <= 0)
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "window: the window duration (%s) must be greater than 0", b1);
    if (slide <= 0)
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "window: the slide duration (%s) must be greater than 0", b2);
    if (slide > size)
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "window: the slide duration (%s) must be less than or equal to the "
                           "window duration (%s)",
                           b2, b1);
    if (start <= -slide || start >= slide) {
        char b3[64];
        fmt_dur(start, b3, sizeof b3);
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "window: the absolute value of the start time (%s) must be less than "
                           "the slide duration (%s)",
                           b3, b2);
    }
    uint64_t overlap = (uint64_t)(size / slide) + (size % slide ? 1 : 0);
    if (overlap > SL__WIN_MAX_OVERLAP)
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "window: a window of %s sliding by %s puts every row in %llu windows; "
                           "at most %d are supported",
                           b1, b2, (unsigned long long)overlap, SL__WIN_MAX_OVERLAP);
    fb->type = sl__window_type();
    fb->kernel = k_window;
    return SL_OK;
}

/* ---- session_window ------------------------------------------------------------ */

/* [t, t + gap); NULL when t or gap is NULL or gap <= 0 (such rows are then
 * dropped, R105). iparam 1: the gap is text to parse per row. */
K(k_session_window) {
    const sl__vec *t = a[0], *g = a[1];
    sl__vec *vs = out->child[0], *ve = out->child[1];
    int64_t *ps = SL_VEC_DATA(vs, int64_t), *pe = SL_VEC_DATA(ve, int64_t);
    const int64_t *tv = SL_VEC_DATA(t, int64_t);
    SL_FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(t, r), kg = sl__vec_idx(g, r);
        int64_t gap = 0;
        bool ok = sl__vec_valid(t, k) && sl__vec_valid(g, kg);
        if (ok && e->iparam) {
            sl__str s = SL_VEC_DATA(g, sl__str)[kg];
            sl__err err;
            err.code = SL_OK;
            ok = sl__interval_parse(s.ptr, s.len, &gap, &err);
        } else if (ok) {
            gap = SL_VEC_DATA(g, int64_t)[kg];
        }
        if (!ok || gap <= 0) {
            sl__vec_set_null(out, r);
            sl__vec_set_null(vs, r);
            sl__vec_set_null(ve, r);
            continue;
        }
        sl__vec_set_valid(out, r);
        sl__vec_set_valid(vs, r);
        sl__vec_set_valid(ve, r);
        ps[r] = tv[k];
        pe[r] = sl__wadd(tv[k], gap);
    }
}

static sl_status bind_session_window(sl__fbind *fb) {
    if (bind_time_arg(fb) != SL_OK) return SL_ERR_ANALYSIS;
    const sl__expr *g = fb->args[1];
    switch (g->type->id) {
    case SL_TYPE_NULL: sl__fbind_cast_arg(fb, 1, SL_T_INTERVAL); break;
    case SL_TYPE_INTERVAL: break;
    case SL_TYPE_STRING:
        if (g->kind == E_CONST && sl__vec_valid(g->cval, 0)) {
            int64_t us;
            if (duration_arg(fb, 1, "gap duration", &us) != SL_OK) return SL_ERR_ANALYSIS;
        } else if (g->kind != E_CONST) {
            fb->iparam = 1; /* per-row text */
        } else {
            sl__fbind_cast_arg(fb, 1, SL_T_INTERVAL); /* NULL text */
        }
        break;
    default:
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "session_window: the gap duration must be an interval or an interval "
                           "string such as '5 minutes', got %s",
                           g->type->name);
    }
    fb->type = sl__window_type();
    fb->kernel = k_session_window;
    return SL_OK;
}

/* ---- what the planner and the aggregate read back ------------------------------ */

bool sl__window_spec(const sl__expr *e, sl__win_spec *out) {
    memset(out, 0, sizeof *out);
    if (e->kind != E_CALL || !e->fname) return false;
    if (e->kernel == k_session_window) {
        out->kind = SL__WIN_SESSION;
        return true;
    }
    if (e->kernel != k_window || e->n_args < 2) return false;
    out->kind = SL__WIN_TIME;
    out->size = const_i64(e->args[1]->cval);
    out->slide = e->n_args > 2 ? const_i64(e->args[2]->cval) : out->size;
    out->start = e->n_args > 3 ? const_i64(e->args[3]->cval) : 0;
    return true;
}

bool sl__window_equal(const sl__expr *a, const sl__expr *b) {
    sl__win_spec wa, wb;
    if (!sl__window_spec(a, &wa) || !sl__window_spec(b, &wb)) return false;
    if (wa.kind != wb.kind) return false;
    if (wa.kind == SL__WIN_SESSION) return sl__expr_equal(a, b);
    return wa.size == wb.size && wa.slide == wb.slide && wa.start == wb.start &&
           sl__expr_equal(a->args[0], b->args[0]);
}

sl__expr *sl__window_call(sl__expr *time, int64_t size, int64_t slide, int64_t start,
                          sl__err *err) {
    sl__expr *args[4] = {time, sl__expr_const_i64(SL_T_INTERVAL, size),
                         sl__expr_const_i64(SL_T_INTERVAL, slide),
                         sl__expr_const_i64(SL_T_INTERVAL, start)};
    return sl__fn_bind_call(sl__fn_find("window"), "window", args, 4, 0, "UTC", err);
}

/* ---- the table ------------------------------------------------------------------- */

static const sl__fn_def defs[] = {
    {"window", 2, 4, bind_window, "window(ts, windowDuration[, slideDuration[, startTime]])",
     "The event-time window struct<start, end> containing ts: tumbling, or sliding when "
     "slideDuration < windowDuration (a row then falls in several windows), aligned to the "
     "epoch shifted by startTime. Durations: '10 seconds', '5 minutes', '1 day', INTERVAL."},
    {"session_window", 2, 2, bind_session_window, "session_window(ts, gapDuration)",
     "The session window of ts: [ts, ts + gap), merged per group with every overlapping one "
     "when it is a GROUP BY key. Rows with a NULL or non-positive gap are dropped."},
    {"window_time", 1, 1, bind_window_time, "window_time(window)",
     "The time of a window: window.end minus 1 microsecond (an instant inside it)."},
};

const sl__fn_table sl__fn_window = {defs, SL_ARRAY_LEN(defs)};
