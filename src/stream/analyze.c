/*
 * analyze.c — Spark's UnsupportedOperationChecker for a streaming query: the
 * checks START QUERY runs over the bound logical plan before anything else
 * (before the sink opens, before batch 0, so a rejected query writes nothing:
 * R41). It covers the query shape × output mode table (§4.1, R38/R39), the
 * operations a stream does not support (§5, R40) and the join matrix (§9,
 * R90/R91). Each message starts with Spark's own phrase (tests and users
 * search for it) and ends with how to fix the query in sluice's SQL.
 *
 * Design notes
 *
 * - Order of the checks is Spark's, so that a query breaking several rules
 *   gets the message Spark would give: (1) the query must read a stream;
 *   (2) the output mode against the streaming aggregations (append needs a
 *   watermarked grouping key, complete needs an aggregation); (3) every node,
 *   children before parents (Spark's foreachUp), against the operation rules
 *   and the join matrix; (4) aggregations feeding another stateful operator.
 * - "Streaming" is the plan's own flag (a node reads a stream, R1). A
 *   streaming aggregation is a P_AGGREGATE whose input is streaming; SQL's
 *   SELECT DISTINCT and UNION (without ALL) are bound as aggregations without
 *   aggregate calls, exactly as Spark treats them. dropduplicates(...) is
 *   P_DEDUP: stateful, but not an aggregation.
 * - Watermarks: an output column is "watermarked" when it is the event-time
 *   column of a P_WATERMARK below it, carried up by plain column references
 *   (Spark keeps the watermark in the column's metadata, and an alias keeps
 *   it). A second WATERMARK moves the mark to its own column. wm_marks()
 *   computes the marks of any node's outputs; key_is_watermarked() and the
 *   stream–stream join checks read them. Time windows plug in at
 *   is_event_time_key(): a window(...) over a watermarked column counts as
 *   the watermarked key, and its output column carries the mark.
 * - The checker never changes the plan and keeps no state: it is a pure
 *   function of (plan, mode).
 */
#include "stream/stream.h"
#include <strings.h>

typedef struct actx {
    sl__out_mode mode;
    sl__err *err;
} actx;

static sl_status fail(actx *c, sl_status code, const char *fmt, ...) SL_PRINTF(3, 4);
static sl_status fail(actx *c, sl_status code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sl__err_vset(c->err, code, -1, fmt, ap);
    va_end(ap);
    return code;
}

/* Spark's names of output modes and join types, as its messages print them. */
static const char *mode_title(sl__out_mode m) {
    switch (m) {
    case SL_MODE_APPEND: return "Append";
    case SL_MODE_UPDATE: return "Update";
    case SL_MODE_COMPLETE: return "Complete";
    }
    return "?";
}

static const char *join_title(sl__join_type t) {
    switch (t) {
    case J_INNER: return "Inner";
    case J_LEFT: return "LeftOuter";
    case J_RIGHT: return "RightOuter";
    case J_FULL: return "FullOuter";
    case J_SEMI: return "LeftSemi";
    case J_ANTI: return "LeftAnti";
    case J_CROSS: return "Cross";
    }
    return "?";
}

/* ---- plan walking ------------------------------------------------------------- */

static uint32_t n_kids(const sl__plan *p) {
    if (p->kind == P_UNION && p->n_inputs) return p->n_inputs;
    return p->child[1] ? 2u : p->child[0] ? 1u : 0u;
}

static const sl__plan *kid(const sl__plan *p, uint32_t i) {
    if (p->kind == P_UNION && p->n_inputs) return p->inputs[i];
    return p->child[i];
}

static uint32_t n_cols(const sl__plan *p) {
    return p->schema ? p->schema->n_fields : 0;
}

static bool is_stream_agg(const sl__plan *p) {
    return p->kind == P_AGGREGATE && p->child[0] && p->child[0]->streaming;
}

static bool is_stream_stream_join(const sl__plan *p) {
    return p->kind == P_JOIN && p->child[0]->streaming && p->child[1]->streaming;
}

/* Stateful operators whose input could be made "late" by an aggregation
 * above it (Spark's isStatefulOperation). */
static bool is_stateful(const sl__plan *p) {
    return is_stream_agg(p) || is_stream_stream_join(p) || (p->kind == P_DEDUP && p->streaming);
}

/* The topmost streaming aggregation (pre-order: Spark's aggregates.head). */
static const sl__plan *top_stream_agg(const sl__plan *p) {
    if (is_stream_agg(p)) return p;
    for (uint32_t i = 0; i < n_kids(p); i++) {
        const sl__plan *a = top_stream_agg(kid(p, i));
        if (a) return a;
    }
    return NULL;
}

/* A streaming aggregation strictly below p. */
static const sl__plan *agg_below(const sl__plan *p) {
    for (uint32_t i = 0; i < n_kids(p); i++) {
        const sl__plan *a = top_stream_agg(kid(p, i));
        if (a) return a;
    }
    return NULL;
}

static bool contains(const sl__plan *p, const sl__plan *x) {
    if (p == x) return true;
    for (uint32_t i = 0; i < n_kids(p); i++)
        if (contains(kid(p, i), x)) return true;
    return false;
}

/* ---- watermarks -------------------------------------------------------------- */

static bool name_is(const sl__expr *e, const char *fname) {
    return e->kind == E_CALL && e->fname && strcasecmp(e->fname, fname) == 0;
}

/*
 * Is this grouping key (over the aggregation's input, whose watermark marks
 * are `marks`) the event-time column? A reference to a watermarked column,
 * or a time window over one: window(ts, ...) and session_window(ts, ...)
 * carry their time column's watermark (Spark marks the window column).
 */
static bool is_event_time_key(const sl__expr *e, const bool *marks, uint32_t n) {
    if (e->kind == E_COLREF) return e->col < n && marks[e->col];
    if ((name_is(e, "window") || name_is(e, "session_window")) && e->n_args >= 1)
        return is_event_time_key(e->args[0], marks, n);
    return false;
}

static bool is_session_window(const sl__expr *e) {
    return name_is(e, "session_window");
}

/* The expression grouping key i stands for: the key itself, or, when it is
 * the window column of the aggregation's P_WINDOW input, the window call. */
static const sl__expr *key_expr(const sl__plan *agg, uint32_t i) {
    const sl__expr *e = agg->exprs[i];
    const sl__plan *in = agg->child[0];
    if (e->kind == E_COLREF && in && in->kind == P_WINDOW && in->n_exprs &&
        e->col + 1 == in->schema->n_fields)
        return in->exprs[0];
    return e;
}

/* Is key i grouped in every grouping set (not NULLed by CUBE/ROLLUP)? */
static bool key_in_every_set(const sl__plan *agg, uint32_t i) {
    if (!agg->sets) return true;
    for (uint32_t s = 0; s < agg->n_sets; s++)
        if (i >= 64 || !((agg->sets[s] >> i) & 1)) return false;
    return true;
}

static bool *wm_marks(const sl__plan *p);

/* Copies marks of a child into a new array of n entries. */
static bool *marks_from(const sl__plan *c, uint32_t n) {
    bool *m = sl__calloc(n ? n : 1, sizeof *m);
    bool *cm = wm_marks(c);
    uint32_t cn = n_cols(c);
    for (uint32_t i = 0; i < n && i < cn; i++) m[i] = cm[i];
    sl__free(cm);
    return m;
}

/*
 * Per output column of p: does it carry an event-time watermark? (Spark's
 * EventTimeWatermark.delayKey in the attribute's metadata.) The caller frees
 * the array (n_cols(p) entries, at least one).
 */
static bool *wm_marks(const sl__plan *p) {
    uint32_t n = n_cols(p);
    bool *m;
    switch (p->kind) {
    case P_WATERMARK:
        /* a watermark on a new column replaces any earlier one */
        m = sl__calloc(n ? n : 1, sizeof *m);
        if (p->col < n) m[p->col] = true;
        return m;
    case P_FILTER:
    case P_SORT:
    case P_LIMIT:
    case P_DEDUP:
    case P_EXPLODE: /* the child's columns come first */
    case P_SETOP: /* the left side's columns */ return marks_from(p->child[0], n);
    case P_UNION: /* the first input's columns, as Spark's Union.output */
        return n_kids(p) ? marks_from(kid(p, 0), n) : sl__calloc(n ? n : 1, sizeof(bool));
    case P_PROJECT: {
        m = sl__calloc(n ? n : 1, sizeof *m);
        bool *cm = wm_marks(p->child[0]);
        uint32_t cn = n_cols(p->child[0]);
        for (uint32_t i = 0; i < n && i < p->n_exprs; i++) {
            const sl__expr *e = p->exprs[i];
            if (e->kind == E_COLREF && e->col < cn)
                m[i] = cm[e->col];
            else /* a window over a watermarked column carries its mark */
                m[i] = (name_is(e, "window") || name_is(e, "session_window")) &&
                       is_event_time_key(e, cm, cn);
        }
        sl__free(cm);
        return m;
    }
    case P_AGGREGATE: {
        m = sl__calloc(n ? n : 1, sizeof *m);
        bool *cm = wm_marks(p->child[0]);
        uint32_t cn = n_cols(p->child[0]);
        for (uint32_t i = 0; i < n && i < p->n_exprs; i++)
            m[i] = is_event_time_key(p->exprs[i], cm, cn) && key_in_every_set(p, i);
        sl__free(cm);
        return m;
    }
    case P_JOIN: {
        m = sl__calloc(n ? n : 1, sizeof *m);
        uint32_t nl = n_cols(p->child[0]), nr = n_cols(p->child[1]);
        bool *lm = wm_marks(p->child[0]), *rm = wm_marks(p->child[1]);
        for (uint32_t i = 0; i < nl && i < n; i++) m[i] = lm[i];
        for (uint32_t i = 0; i < nr && nl + i < n; i++) m[nl + i] = rm[i];
        sl__free(lm);
        sl__free(rm);
        return m;
    }
    case P_WINDOW: {
        /* the window column carries its time column's watermark (Spark's
         * TimeWindowing copies the metadata), the others are the child's */
        m = marks_from(p->child[0], n);
        bool *cm = wm_marks(p->child[0]);
        if (n && p->n_exprs) m[n - 1] = is_event_time_key(p->exprs[0], cm, n_cols(p->child[0]));
        sl__free(cm);
        return m;
    }
    case P_VALUES:
    case P_SCAN:
    case P_STREAM: break;
    }
    return sl__calloc(n ? n : 1, sizeof(bool));
}

/*
 * R39: does a grouping key of the streaming aggregation `agg` carry the
 * event-time watermark? Only a key that is the watermarked column itself, or
 * a window over it, in every grouping set, lets append mode finalize groups.
 * When not, *wm_col gets the name of a watermarked input column that is not
 * such a key (for the message), or NULL when the input has none.
 */
static bool key_is_watermarked(const sl__plan *agg, const char **wm_col) {
    const sl__plan *in = agg->child[0];
    uint32_t cn = n_cols(in);
    bool *cm = wm_marks(in);
    bool ok = false;
    for (uint32_t i = 0; i < agg->n_exprs && !ok; i++)
        ok = is_event_time_key(agg->exprs[i], cm, cn) && key_in_every_set(agg, i);
    *wm_col = NULL;
    for (uint32_t i = 0; i < cn && !*wm_col; i++)
        if (cm[i]) *wm_col = in->schema->names[i];
    sl__free(cm);
    return ok;
}

/* A WATERMARK placed above the aggregation (R108: it does not count). */
static const sl__plan *watermark_above(const sl__plan *p, const sl__plan *agg) {
    if (p == agg) return NULL;
    if (p->kind == P_WATERMARK && contains(p, agg)) return p;
    for (uint32_t i = 0; i < n_kids(p); i++) {
        const sl__plan *w = watermark_above(kid(p, i), agg);
        if (w) return w;
    }
    return NULL;
}

/* ---- stream–stream join conditions (R91) ---------------------------------------- */

/*
 * One linear term of a time comparison, as Spark's StreamingJoinHelper
 * collects them: a column (with its sign) or a constant. Operands made of
 * anything but +, -, unary minus, casts, columns and constants are not
 * understood (then the predicate gives no bound).
 */
typedef struct terms {
    int find_sign;  /* sign of the term on the side whose state is bounded; 0: none */
    int n_find;     /* terms from that side */
    int n_wm;       /* terms from the watermarked side */
    bool wm_marked; /* every watermarked-side term is a watermarked column */
    bool invalid;
} terms;

typedef struct jside {
    uint32_t find_lo, find_hi; /* join columns of the side to bound */
    uint32_t wm_lo, wm_hi;     /* join columns of the side with the watermark */
    const bool *marks;         /* marks over all join columns */
} jside;

static void collect_terms(const sl__expr *e, int sign, const jside *s, terms *t) {
    if (e->kind == E_COLREF) {
        if (e->col >= s->find_lo && e->col < s->find_hi) {
            t->n_find++;
            t->find_sign = sign;
        } else if (e->col >= s->wm_lo && e->col < s->wm_hi) {
            t->n_wm++;
            if (!s->marks[e->col]) t->wm_marked = false;
        } else {
            t->invalid = true;
        }
        return;
    }
    if (e->kind == E_CONST) return;
    if (name_is(e, "+") && e->n_args == 2) {
        collect_terms(e->args[0], sign, s, t);
        collect_terms(e->args[1], sign, s, t);
    } else if (name_is(e, "-") && e->n_args == 2) {
        collect_terms(e->args[0], sign, s, t);
        collect_terms(e->args[1], -sign, s, t);
    } else if (name_is(e, "negative") && e->n_args == 1) {
        collect_terms(e->args[0], -sign, s, t);
    } else if (name_is(e, "cast") && e->n_args == 1) {
        sl_type_id to = e->type->id;
        if (to == SL_TYPE_TIMESTAMP || to == SL_TYPE_BIGINT || to == SL_TYPE_INT ||
            to == SL_TYPE_SMALLINT || to == SL_TYPE_DOUBLE)
            collect_terms(e->args[0], sign, s, t);
        else
            t->invalid = true;
    } else {
        t->invalid = true;
    }
}

/*
 * Does predicate `lo < hi` (or <=) bound the find side's time from below by
 * the watermarked side's time: find > wm + c? Canonically lo - hi < 0 must
 * hold the find-side column with a negative sign (Spark's "-leftTime").
 */
static bool bounds_from_below(const sl__expr *lo, const sl__expr *hi, const jside *s) {
    terms t = {0, 0, 0, true, false};
    collect_terms(lo, 1, s, &t);
    collect_terms(hi, -1, s, &t);
    return !t.invalid && t.n_find == 1 && t.find_sign < 0 && t.n_wm <= 1 && t.wm_marked;
}

static bool range_bound(const sl__expr *cond, const jside *s) {
    if (!cond) return false;
    if (cond->kind == E_AND) return range_bound(cond->args[0], s) || range_bound(cond->args[1], s);
    if (cond->kind != E_CALL || cond->n_args != 2) return false;
    if (name_is(cond, "<") || name_is(cond, "<="))
        return bounds_from_below(cond->args[0], cond->args[1], s);
    if (name_is(cond, ">") || name_is(cond, ">="))
        return bounds_from_below(cond->args[1], cond->args[0], s);
    return false;
}

/*
 * Spark's checkForStreamStreamJoinWatermark: an outer or semi join of two
 * streams needs a watermarked column among the equi-join keys, or a
 * watermark on the other side and a range condition bounding the side whose
 * rows must wait (the preserved side of an outer join: its unmatched rows
 * are emitted once no match can come).
 */
static bool stream_join_bounded(const sl__plan *j) {
    uint32_t nl = n_cols(j->child[0]), nr = n_cols(j->child[1]);
    bool *lm = wm_marks(j->child[0]), *rm = wm_marks(j->child[1]);
    bool ok = false;
    for (uint32_t k = 0; k < j->n_exprs && !ok; k++) {
        const sl__expr *l = j->exprs[k], *r = j->rkeys[k];
        ok = (l->kind == E_COLREF && l->col < nl && lm[l->col]) ||
             (r->kind == E_COLREF && r->col < nr && rm[r->col]);
    }
    bool *all = sl__calloc(nl + nr ? nl + nr : 1, sizeof *all);
    for (uint32_t i = 0; i < nl; i++) all[i] = lm[i];
    for (uint32_t i = 0; i < nr; i++) all[nl + i] = rm[i];
    jside left = {0, nl, nl, nl + nr, all}, right = {nl, nl + nr, 0, nl, all};
    if (!ok) {
        switch (j->join) {
        case J_LEFT:
        case J_SEMI: ok = range_bound(j->cond, &left); break;
        case J_RIGHT: ok = range_bound(j->cond, &right); break;
        case J_FULL: ok = range_bound(j->cond, &left) || range_bound(j->cond, &right); break;
        default: ok = true; break;
        }
    }
    sl__free(all);
    sl__free(lm);
    sl__free(rm);
    return ok;
}

/*
 * Outer and semi joins of two streams need join state that the watermark
 * evicts, with the unmatched rows emitted then (R94). Until the runtime has
 * it, a join that passes Spark's checks is refused as not supported yet;
 * set this to 1 when it runs.
 */
#define STREAM_OUTER_JOINS_RUN 0
/* Inner joins of two streams need the same join state (R92); until then the
 * per-batch hash join would match only rows of one batch: refused. */
#define STREAM_INNER_JOINS_RUN 0

/* ---- the checks ------------------------------------------------------------------ */

#define AGG_FIX_WM                                                                                 \
    "add WATERMARK <event-time column> DELAY OF INTERVAL ... after the stream in FROM and group "  \
    "by that column (or window(<column>, ...)), or use outputMode 'update' or 'complete'"

/* (2) the output mode against the streaming aggregations. */
static sl_status check_mode(actx *c, const sl__plan *root) {
    const sl__plan *agg = top_stream_agg(root);
    if (c->mode == SL_MODE_APPEND && agg) {
        const char *wm_col;
        if (key_is_watermarked(agg, &wm_col)) return SL_OK;
        const sl__plan *late = watermark_above(root, agg);
        char why[256] = "";
        if (wm_col)
            snprintf(why, sizeof why,
                     " (the watermark is on '%s', which is not a grouping key in every grouping "
                     "set)",
                     wm_col);
        else if (late)
            snprintf(why, sizeof why,
                     " (a WATERMARK after the aggregation does not count: it must be on the "
                     "aggregation's input)");
        return fail(c, SL_ERR_ANALYSIS,
                    "Append output mode not supported when there are streaming aggregations on "
                    "streaming DataFrames/DataSets without watermark%s: " AGG_FIX_WM,
                    why);
    }
    if (c->mode == SL_MODE_UPDATE && agg) {
        for (uint32_t i = 0; i < agg->n_exprs; i++)
            if (is_session_window(key_expr(agg, i)))
                return fail(c, SL_ERR_ANALYSIS,
                            "Update output mode not supported for session window on streaming "
                            "DataFrames/DataSets: use outputMode 'append' (with a WATERMARK) or "
                            "'complete'");
    }
    if (c->mode == SL_MODE_COMPLETE && !agg)
        return fail(c, SL_ERR_ANALYSIS,
                    "Complete output mode not supported when there are no streaming aggregations "
                    "on streaming DataFrames/Datasets: complete mode rewrites the whole result "
                    "each batch, which needs an aggregation (GROUP BY, count(*) ...); use "
                    "outputMode 'append' or 'update'");
    return SL_OK;
}

static sl_status check_join(actx *c, const sl__plan *j) {
    bool ls = j->child[0]->streaming, rs = j->child[1]->streaming;
    if (ls && rs && c->mode != SL_MODE_APPEND)
        return fail(c, SL_ERR_ANALYSIS,
                    "Join between two streaming DataFrames/Datasets is not supported in %s output "
                    "mode, only in Append output mode: use outputMode 'append' (or join the "
                    "stream with a table)",
                    mode_title(c->mode));
    const char *jt = join_title(j->join);
    switch (j->join) {
    case J_INNER:
    case J_CROSS:
        if (ls && rs && !STREAM_INNER_JOINS_RUN)
            return fail(c, SL_ERR_UNSUPPORTED,
                        "joins of two streams are not supported yet: they need join state kept "
                        "across batches (every row of each side waits for its matches), which "
                        "comes with event time and watermarks; join a stream with a table for "
                        "now");
        return SL_OK;
    case J_FULL:
        if (ls && !rs)
            return fail(c, SL_ERR_ANALYSIS,
                        "FullOuter joins with streaming DataFrames/Datasets on the left and a "
                        "static DataFrame/Dataset on the right is not supported: the table's "
                        "unmatched rows are never final while the stream runs; use LEFT JOIN to "
                        "keep every stream row, or INNER JOIN");
        if (!ls && rs)
            return fail(c, SL_ERR_ANALYSIS,
                        "FullOuter joins with streaming DataFrames/Datasets on the right and a "
                        "static DataFrame/Dataset on the left is not supported: the table's "
                        "unmatched rows are never final while the stream runs; use RIGHT JOIN to "
                        "keep every stream row, or INNER JOIN");
        break;
    case J_ANTI:
        if (rs)
            return fail(c, SL_ERR_ANALYSIS,
                        "LeftAnti joins with a streaming DataFrame/Dataset on the right are not "
                        "supported: a later stream row could still match; put the stream on the "
                        "left and a table on the right (stream LEFT ANTI JOIN table)");
        return SL_OK;
    case J_LEFT:
    case J_SEMI:
        if (!ls && rs)
            return fail(c, SL_ERR_ANALYSIS,
                        "%s join with a streaming DataFrame/Dataset on the right and a static "
                        "DataFrame/Dataset on the left is not supported: put the stream on the "
                        "left (stream %s JOIN table)%s, or use INNER JOIN",
                        jt, j->join == J_LEFT ? "LEFT" : "LEFT SEMI",
                        j->join == J_LEFT ? " or write table RIGHT JOIN stream" : "");
        break;
    case J_RIGHT:
        if (ls && !rs)
            return fail(c, SL_ERR_ANALYSIS,
                        "RightOuter join with a streaming DataFrame/Dataset on the left and a "
                        "static DataFrame/DataSet on the right not supported: the table's "
                        "unmatched rows are never final while the stream runs; use LEFT JOIN to "
                        "keep every stream row, or INNER JOIN");
        break;
    }
    if (ls && rs && !stream_join_bounded(j)) {
        const char *wm_side = j->join == J_RIGHT ? "left" : j->join == J_FULL ? "one" : "right";
        return fail(c, SL_ERR_ANALYSIS,
                    "Stream-stream %s join between two streaming DataFrame/Datasets is not "
                    "supported without a watermark in the join keys, or a watermark on the "
                    "nullable side and an appropriate range condition: add WATERMARK <ts> DELAY "
                    "OF INTERVAL ... to the %s stream and bound the times in ON, e.g. "
                    "r.ts BETWEEN l.ts - INTERVAL 1 MINUTE AND l.ts + INTERVAL 1 MINUTE",
                    jt, wm_side);
    }
    if (ls && rs && !STREAM_OUTER_JOINS_RUN)
        return fail(c, SL_ERR_UNSUPPORTED,
                    "Stream-stream %s joins are not supported yet: the watermark and the range "
                    "condition are as Spark requires, but sluice cannot yet emit the unmatched "
                    "rows once the watermark passes; use an INNER JOIN for now",
                    jt);
    return SL_OK;
}

static bool has_distinct_agg(const sl__plan *agg) {
    for (uint32_t i = 0; i < agg->n_aggs; i++)
        if (agg->aggs[i].distinct) return true;
    return false;
}

/* (3) one node, after its children (Spark's foreachUp). */
static sl_status check_node(actx *c, const sl__plan *p) {
    for (uint32_t i = 0; i < n_kids(p); i++) {
        sl_status st = check_node(c, kid(p, i));
        if (st != SL_OK) return st;
    }
    switch (p->kind) {
    case P_AGGREGATE:
        if (is_stream_agg(p) && has_distinct_agg(p))
            return fail(c, SL_ERR_ANALYSIS,
                        "Distinct aggregations are not supported on streaming DataFrames/Datasets. "
                        "Consider using approx_count_distinct() instead. Write "
                        "approx_count_distinct(x) for count(DISTINCT x), or count the rows of "
                        "dropduplicates(stream, x, ...)");
        for (uint32_t i = 0; is_stream_agg(p) && i < p->n_exprs; i++) {
            if (!is_session_window(key_expr(p, i))) continue;
            if (p->n_exprs == 1)
                return fail(c, SL_ERR_ANALYSIS,
                            "Global aggregation with session window in streaming query is not "
                            "supported: group by another column besides session_window (R106)");
            /* session state must merge across batches and be evicted by the
             * watermark (Spark's MergingSessionsExec + session state store) */
            return fail(c, SL_ERR_UNSUPPORTED,
                        "session windows on streams are not supported yet: run the query as a "
                        "batch SELECT over a table (or over the memory sink's table), or use "
                        "window(...)");
        }
        return SL_OK;
    case P_JOIN: return check_join(c, p);
    case P_UNION: {
        bool any_stream = false, any_static = false;
        for (uint32_t i = 0; i < n_kids(p); i++) {
            if (kid(p, i)->streaming)
                any_stream = true;
            else
                any_static = true;
        }
        if (any_stream && any_static)
            return fail(c, SL_ERR_ANALYSIS,
                        "Union between streaming and batch DataFrames/Datasets is not supported: "
                        "every input of UNION must read a stream; to add a table's rows, put them "
                        "in a memory stream (CREATE STREAM ... USING memory, INSERT INTO it)");
        return SL_OK;
    }
    case P_SETOP:
        if (p->setop == SET_EXCEPT && p->child[1]->streaming)
            return fail(c, SL_ERR_ANALYSIS,
                        "Except on a streaming DataFrame/Dataset on the right is not supported: "
                        "the right side of EXCEPT must be a table; or write stream LEFT ANTI JOIN "
                        "table ON ...");
        if (p->setop == SET_INTERSECT && (p->child[0]->streaming || p->child[1]->streaming))
            return fail(c, SL_ERR_ANALYSIS,
                        "Intersect of streaming DataFrames/Datasets is not supported: write "
                        "stream LEFT SEMI JOIN table ON (every column) instead");
        if (p->setop == SET_EXCEPT && p->child[0]->streaming)
            /* its distinct would have to be state kept across batches; the anti join and
             * SELECT DISTINCT do keep it */
            return fail(c, SL_ERR_UNSUPPORTED,
                        "EXCEPT with a stream on the left is not supported yet: write SELECT "
                        "DISTINCT * FROM stream LEFT ANTI JOIN table ON (every column) instead");
        return SL_OK;
    case P_LIMIT:
        if (!p->child[0]->streaming) return SL_OK;
        if (p->limit >= 0 && c->mode == SL_MODE_UPDATE)
            return fail(c, SL_ERR_ANALYSIS,
                        "Limits are not supported on streaming DataFrames/Datasets in Update "
                        "output mode: remove LIMIT, or use outputMode 'append' (LIMIT n then "
                        "passes n rows over the query's whole life) or 'complete' (the first n "
                        "rows of each result)");
        if (p->offset > 0)
            return fail(c, SL_ERR_ANALYSIS,
                        "Offset is not supported on streaming DataFrames/Datasets: remove OFFSET "
                        "(a SELECT over the memory sink's table may use it)");
        return SL_OK;
    case P_SORT:
        if (p->streaming && !(c->mode == SL_MODE_COMPLETE && top_stream_agg(p)))
            return fail(c, SL_ERR_ANALYSIS,
                        "Sorting is not supported on streaming DataFrames/Datasets, unless it is "
                        "on aggregated DataFrame/Dataset in Complete output mode: remove ORDER BY, "
                        "or aggregate and use outputMode 'complete', or sort in a SELECT over the "
                        "memory sink's table");
        return SL_OK;
    case P_VALUES:
    case P_SCAN:
    case P_STREAM:
    case P_FILTER:
    case P_PROJECT:
    case P_EXPLODE:
    case P_WATERMARK:
    case P_WINDOW: return SL_OK;
    case P_DEDUP:
        if (p->within_wm && p->streaming) {
            bool *cm = wm_marks(p->child[0]);
            uint32_t cn = n_cols(p->child[0]);
            bool any = false;
            for (uint32_t i = 0; i < cn; i++) any = any || cm[i];
            sl__free(cm);
            if (!any) /* R127 */
                return fail(c, SL_ERR_ANALYSIS,
                            "dropDuplicatesWithinWatermark is not supported on streaming "
                            "DataFrames/DataSets without watermark: add WATERMARK <event-time "
                            "column> DELAY OF INTERVAL ... after the stream in FROM");
        }
        return SL_OK;
    }
    return SL_OK;
}

static const char *op_name(const sl__plan *p) {
    if (p->kind == P_JOIN) return "a join of two streams";
    if (p->kind == P_DEDUP) return "dropduplicates";
    return "an aggregation";
}

/*
 * (4) an aggregation below another stateful operator (Spark's
 * checkStreamingQueryGlobalWatermarkLimit). In update and complete mode the
 * aggregation re-emits old groups, which the next operator could drop as
 * late. Append mode is allowed by Spark 3.4+ with watermarks; sluice does
 * not run chained stateful operators yet.
 */
static sl_status check_chains(actx *c, const sl__plan *p) {
    for (uint32_t i = 0; i < n_kids(p); i++) {
        sl_status st = check_chains(c, kid(p, i));
        if (st != SL_OK) return st;
    }
    if (!is_stateful(p) || !agg_below(p)) return SL_OK;
    if (c->mode != SL_MODE_APPEND)
        return fail(c, SL_ERR_ANALYSIS,
                    "Detected pattern of possible 'correctness' issue due to global watermark: in "
                    "%s output mode an aggregation feeds %s, which could drop the rows it re-emits "
                    "as late; run the second step as a batch query over the memory sink's table, "
                    "or use outputMode 'append' with watermarks",
                    mode_title(c->mode), op_name(p));
    return fail(c, SL_ERR_UNSUPPORTED,
                "an aggregation feeding %s (chained stateful operators) is not supported yet in "
                "Append output mode; run the second step as a batch query over the memory sink's "
                "table",
                op_name(p));
}

sl_status sl__stream_analyze(const sl__plan *p, sl__out_mode mode, sl__err *err) {
    actx c = {mode, err};
    if (!p->streaming)
        return fail(&c, SL_ERR_ANALYSIS,
                    "Queries without streaming sources cannot be executed with "
                    "writeStream.start(): START QUERY needs a query that reads a stream (CREATE "
                    "STREAM ...); run a plain SELECT over tables");
    sl_status st = check_mode(&c, p);
    if (st == SL_OK) st = check_node(&c, p);
    if (st == SL_OK) st = check_chains(&c, p);
    return st;
}

/* ---- event-time keys for the runtime ------------------------------------------ */

static bool is_window_type(const sl__type *t) {
    return t->id == SL_TYPE_STRUCT && t->n_fields == 2 && t->fields[0] == SL_T_TS &&
           t->fields[1] == SL_T_TS;
}

void sl__stream_mark_event_time(sl__plan *p) {
    for (uint32_t i = 0; i < n_kids(p); i++) sl__stream_mark_event_time((sl__plan *)kid(p, i));
    if (!p->streaming || (p->kind != P_AGGREGATE && p->kind != P_DEDUP)) return;
    const sl__plan *in = p->child[0];
    uint32_t cn = n_cols(in);
    bool *cm = wm_marks(in);
    p->evt_key = -1;
    for (uint32_t i = 0; i < p->n_exprs && p->evt_key < 0; i++)
        if (is_event_time_key(p->exprs[i], cm, cn) &&
            (p->kind == P_DEDUP || key_in_every_set(p, i))) {
            p->evt_key = (int32_t)i;
            p->evt_window = is_window_type(p->exprs[i]->type);
        }
    if (p->kind == P_DEDUP) {
        p->evt_col = -1;
        for (uint32_t i = 0; i < cn && p->evt_col < 0; i++)
            if (cm[i] && in->schema->fields[i] == SL_T_TS) p->evt_col = (int32_t)i;
        /* the delay of the nearest watermark below (dropDuplicatesWithinWatermark) */
        for (const sl__plan *w = in; w; w = w->child[0])
            if (w->kind == P_WATERMARK) {
                p->delay_us = w->delay_us;
                break;
            }
    }
    sl__free(cm);
}
