/*
 * planner.c — logical plan to physical operators (planner.h). One case per
 * plan node; ORDER BY followed by LIMIT becomes a top-N sort.
 */
#include "sql/planner.h"
#include "format/files.h"
#include "func/window.h"

static sl__op *build(sl__plan *p, sl__planner *pl);

static sl__expr **steal(sl__expr ***arr, uint32_t *n) {
    sl__expr **e = *arr;
    *arr = NULL;
    (void)n;
    return e;
}

/* Column references of a join condition after swapping its sides. */
static void remap_swapped(sl__expr *e, uint32_t nl, uint32_t nr) {
    if (e->kind == E_COLREF) e->col = e->col < nl ? e->col + nr : e->col - nl;
    for (uint32_t i = 0; i < e->n_args; i++) remap_swapped(e->args[i], nl, nr);
}

static const sl__type *swapped_schema(const sl__type *a, const sl__type *b) {
    uint32_t n = a->n_fields + b->n_fields;
    const char **names = sl__malloc(sizeof *names * (n ? n : 1));
    const sl__type **types = sl__malloc(sizeof *types * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++) {
        names[i] = sl__sprintf("c%u", i);
        types[i] = i < a->n_fields ? a->fields[i] : b->fields[i - a->n_fields];
    }
    const sl__type *t = sl__type_struct(n, names, types, NULL);
    for (uint32_t i = 0; i < n; i++) sl__free((char *)names[i]);
    sl__free(names);
    sl__free(types);
    return t;
}

static sl__op *values_op(sl__plan *p, sl__planner *pl) {
    uint32_t nc = p->schema->n_fields;
    uint32_t n_chunks = (p->n_rows + SL_VEC_SIZE - 1) / SL_VEC_SIZE;
    if (!n_chunks) n_chunks = 1;
    sl__chunk *chunks = sl__calloc(n_chunks, sizeof *chunks);
    sl__batch one = {0, NULL, 1, NULL, 1};
    for (uint32_t c = 0; c < n_chunks; c++) sl__chunk_init(&chunks[c], p->schema, SL_VEC_SIZE);
    for (uint32_t r = 0; r < p->n_rows; r++) {
        sl__chunk *ch = &chunks[r / SL_VEC_SIZE];
        for (uint32_t c = 0; c < nc; c++) {
            sl__vec *v = sl__expr_eval(p->rows[r][c], pl->ectx, &one);
            if (pl->ectx->failed) {
                for (uint32_t k = 0; k < n_chunks; k++) sl__chunk_free(&chunks[k]);
                sl__free(chunks);
                return NULL;
            }
            sl__vec_copy_value(ch->cols[c], ch->n, v, 0);
        }
        ch->n++;
    }
    return sl__op_values(p->schema, chunks, n_chunks);
}

static sl__op *scan_op(sl__plan *p, sl__planner *pl) {
    sl__table *t = p->table;
    if (t->format) {
        sl__tabdata *d = NULL;
        uint64_t bad = 0;
        if (sl__file_table_load(t->format, t->options, t->n_options, t->schema, &d, &bad,
                                pl->err) != SL_OK)
            return NULL;
        pl->bad_records += bad;
        return sl__op_scan(p->schema, d);
    }
    return sl__op_scan(p->schema, sl__table_data(pl->cat, t));
}

/* ---- event-time windows ------------------------------------------------------- */

/* How a P_WINDOW node runs (window_op). */
enum {
    WIN_ROW_ORDER, /* a sliding window's rows in Spark's order: each row, then its windows */
    WIN_ANY_ORDER, /* sliding: candidate by candidate, rows borrowed (an aggregate above) */
    WIN_PANES      /* sliding: the tumbling window of the slide (the aggregate combines) */
};

static sl__expr *isnotnull_col(uint32_t col, const sl__type *t, sl__err *err) {
    sl__expr *c = sl__expr_colref(col, t);
    return sl__fn_bind_call(sl__fn_find("isnotnull"), "isnotnull", &c, 1, 0, "UTC", err);
}

/*
 * A P_WINDOW node: the child's columns and the window. A tumbling window
 * or a session's initial range is one scalar per row: a projection, then a
 * filter dropping rows without a window (NULL time, R102; NULL or
 * non-positive gap, R105). A sliding window expands rows (op_expand.c), or
 * in WIN_PANES mode becomes the tumbling window of its slide.
 */
static sl__op *window_op(sl__plan *w, sl__planner *pl, int mode) {
    sl__op *c0 = build(w->child[0], pl);
    if (!c0) return NULL;
    sl__expr *call = w->exprs[0];
    w->exprs[0] = NULL;
    w->n_exprs = 0;
    sl__win_spec ws;
    sl__window_spec(call, &ws);
    uint32_t n = c0->schema->n_fields;
    if (ws.kind == SL__WIN_TIME && ws.slide < ws.size) {
        sl__expr *t = call->args[0];
        call->args[0] = NULL;
        sl__expr_free(call);
        if (mode != WIN_PANES)
            return sl__op_window_expand(c0, w->schema, t, ws.size, ws.slide, ws.start,
                                        mode == WIN_ROW_ORDER);
        call = sl__window_call(t, ws.slide, ws.slide, ws.start, pl->err);
        if (!call) {
            sl__op_free(c0);
            return NULL;
        }
    }
    sl__expr **ex = sl__malloc(sizeof *ex * (n + 1));
    for (uint32_t i = 0; i < n; i++) ex[i] = sl__expr_colref(i, c0->schema->fields[i]);
    ex[n] = call;
    sl__op *proj = sl__op_project(c0, w->schema, ex, n + 1);
    sl__expr *pred = isnotnull_col(n, call->type, pl->err);
    if (!pred) {
        sl__op_free(proj);
        return NULL;
    }
    return sl__op_filter(proj, pred);
}

static bool refs_col(const sl__expr *e, uint32_t col) {
    if (e->kind == E_COLREF) return e->col == col;
    for (uint32_t i = 0; i < e->n_args; i++)
        if (refs_col(e->args[i], col)) return true;
    return false;
}

static sl__op *agg_op(sl__plan *p, sl__op *c0, sl__planner *pl) {
    uint32_t nk = p->n_exprs, na = p->n_aggs;
    p->n_exprs = p->n_aggs = 0;
    sl__agg_call *aggs = p->aggs;
    p->aggs = NULL;
    uint64_t *sets = p->sets;
    p->sets = NULL;
    sl__op *a = sl__op_hash_agg(c0, p->schema, steal(&p->exprs, &nk), nk, aggs, na, sets, p->n_sets,
                                p->grouping_id);
    if (pl->stream_source && p->evt_key >= 0)
        sl__op_agg_set_event_time(a, p->evt_key, p->evt_window);
    return a;
}

/*
 * An aggregation over a P_WINDOW. When the window is a key and a sliding
 * window whose slide divides its length, and no aggregate depends on row
 * order, rows are aggregated per pane (the slide's tumbling window) and the
 * aggregate combines panes into windows at output: one state update per row
 * instead of one per window (ops.h, SL__AGG_WIN_PANES). Otherwise the rows
 * are expanded, in any order unless an aggregate is order-dependent.
 * Session windows as a key are merged by the aggregate (SL__AGG_WIN_SESSION).
 */
static sl__op *window_agg(sl__plan *p, sl__planner *pl) {
    sl__plan *w = p->child[0];
    sl__win_spec ws;
    sl__window_spec(w->exprs[0], &ws);
    uint32_t wcol = w->schema->n_fields - 1;
    bool ordered = false, panes_ok = p->win_key >= 0 && !p->sets && ws.kind == SL__WIN_TIME &&
                                     ws.slide < ws.size && ws.size % ws.slide == 0;
    for (uint32_t i = 0; i < p->n_aggs; i++) {
        if (sl__agg_order_dependent(p->aggs[i].ops)) ordered = true;
        if (p->aggs[i].arg && refs_col(p->aggs[i].arg, wcol)) panes_ok = false;
    }
    for (uint32_t i = 0; i < p->n_exprs; i++)
        if ((int32_t)i != p->win_key && refs_col(p->exprs[i], wcol)) panes_ok = false;
    if (ordered) panes_ok = false;
    sl__agg_window aw = {0, 0, 0, 0};
    int mode = ordered ? WIN_ROW_ORDER : WIN_ANY_ORDER;
    if (p->win_key >= 0) {
        aw.key = (uint32_t)p->win_key;
        aw.mode = ws.kind == SL__WIN_SESSION ? SL__AGG_WIN_SESSION : SL__AGG_WIN_TIME;
        if (panes_ok) {
            aw.mode = SL__AGG_WIN_PANES;
            aw.size = ws.size;
            aw.slide = ws.slide;
            mode = WIN_PANES;
        }
    }
    sl__op *c0 = window_op(w, pl, mode);
    if (!c0) return NULL;
    sl__op *a = agg_op(p, c0, pl);
    if (aw.mode) sl__op_agg_set_window(a, &aw);
    return a;
}

static sl__op *build(sl__plan *p, sl__planner *pl) {
    sl__op *c0 = NULL, *c1 = NULL;
    if (p->kind == P_AGGREGATE && p->child[0] && p->child[0]->kind == P_WINDOW)
        return window_agg(p, pl);
    if (p->kind == P_WINDOW) return window_op(p, pl, WIN_ROW_ORDER);
    if (p->kind != P_UNION && p->child[0]) {
        /* ORDER BY + LIMIT: fold the limit into the sort (top-N) */
        if (p->kind == P_LIMIT && p->child[0]->kind == P_SORT && p->limit >= 0) {
            sl__plan *s = p->child[0];
            sl__op *in = build(s->child[0], pl);
            if (!in) return NULL;
            /* the rows the sort must keep: LIMIT + OFFSET, saturated */
            int64_t top = p->limit > INT64_MAX - p->offset ? INT64_MAX : p->limit + p->offset;
            sl__op *sorted = sl__op_sort(in, steal(&s->exprs, &s->n_exprs), s->desc, s->nulls_first,
                                         s->n_exprs, top);
            s->n_exprs = 0;
            s->desc = s->nulls_first = NULL;
            return sl__op_limit(sorted, p->limit, p->offset);
        }
        c0 = build(p->child[0], pl);
        if (!c0) return NULL;
    }
    if (p->child[1]) {
        c1 = build(p->child[1], pl);
        if (!c1) {
            sl__op_free(c0);
            return NULL;
        }
    }
    switch (p->kind) {
    case P_VALUES: return values_op(p, pl);
    case P_SCAN: return scan_op(p, pl);
    case P_STREAM:
        if (!pl->stream_source) {
            sl__err_set(pl->err, SL_ERR_ANALYSIS, p->pos,
                        "'%s' is a stream: queries over streams run with START QUERY, not as a "
                        "plain SELECT (Spark: writeStream.start())",
                        p->name);
            return NULL;
        }
        return pl->stream_source(pl->stream_ud, p, pl->err);
    case P_FILTER: {
        sl__expr *pred = p->exprs[0];
        p->exprs[0] = NULL;
        p->n_exprs = 0;
        return sl__op_filter(c0, pred);
    }
    case P_PROJECT: {
        uint32_t n = p->n_exprs;
        p->n_exprs = 0;
        return sl__op_project(c0, p->schema, steal(&p->exprs, &n), n);
    }
    case P_AGGREGATE: return agg_op(p, c0, pl);
    case P_JOIN: {
        uint32_t nk = p->n_exprs;
        p->n_exprs = 0;
        sl__expr **l = steal(&p->exprs, &nk), **r = p->rkeys;
        p->rkeys = NULL;
        bool *ns = p->null_safe;
        p->null_safe = NULL;
        sl__expr *cond = p->cond;
        p->cond = NULL;
        bool l_stream = p->child[0]->streaming, r_stream = p->child[1]->streaming;
        if (pl->stream_source && !l_stream && r_stream &&
            (p->join == J_INNER || p->join == J_RIGHT)) {
            /* static JOIN stream: build the static side once, probe with the
             * stream, then put the columns back in the query's order */
            uint32_t nl = c0->schema->n_fields, nr = c1->schema->n_fields;
            if (cond) remap_swapped(cond, nl, nr);
            const sl__type *swapped = swapped_schema(c1->schema, c0->schema);
            sl__op *j = sl__op_hash_join(c1, c0, swapped, p->join == J_RIGHT ? J_LEFT : J_INNER, r,
                                         l, ns, nk, cond);
            j->flags |= SL_OP_BUILD_ONCE;
            sl__expr **back = sl__malloc(sizeof *back * (nl + nr));
            for (uint32_t i = 0; i < nl; i++)
                back[i] = sl__expr_colref(nr + i, p->schema->fields[i]);
            for (uint32_t i = 0; i < nr; i++)
                back[nl + i] = sl__expr_colref(i, p->schema->fields[nl + i]);
            return sl__op_project(j, p->schema, back, nl + nr);
        }
        sl__op *j = sl__op_hash_join(c0, c1, p->schema, p->join, l, r, ns, nk, cond);
        if (pl->stream_source && l_stream && !r_stream) j->flags |= SL_OP_BUILD_ONCE;
        return j;
    }
    case P_SORT: {
        uint32_t n = p->n_exprs;
        p->n_exprs = 0;
        sl__op *s = sl__op_sort(c0, steal(&p->exprs, &n), p->desc, p->nulls_first, n, -1);
        p->desc = p->nulls_first = NULL;
        return s;
    }
    case P_LIMIT: return sl__op_limit(c0, p->limit, p->offset);
    case P_UNION: {
        sl__op **ins = sl__calloc(p->n_inputs ? p->n_inputs : 1, sizeof *ins);
        for (uint32_t i = 0; i < p->n_inputs; i++) {
            ins[i] = build(p->inputs[i], pl);
            if (!ins[i]) {
                for (uint32_t k = 0; k < i; k++) sl__op_free(ins[k]);
                sl__free(ins);
                return NULL;
            }
        }
        return sl__op_union(p->schema, ins, p->n_inputs);
    }
    case P_SETOP: {
        sl__op *o = sl__op_setop(c0, c1, p->setop, p->all);
        if (pl->stream_source && !p->child[1]->streaming) o->flags |= SL_OP_BUILD_ONCE;
        return o;
    }
    case P_EXPLODE: {
        sl__expr *arr = p->exprs[0];
        p->exprs[0] = NULL;
        p->n_exprs = 0;
        return sl__op_explode(c0, p->schema, arr, p->outer, p->posexplode);
    }
    case P_WATERMARK:
        /* a no-op in batch queries (R107) */
        return pl->stream_source && p->streaming ? sl__op_watermark(c0, p->col, p->delay_us) : c0;
    case P_DEDUP: {
        uint32_t n = p->n_exprs;
        p->n_exprs = 0;
        sl__op *d = sl__op_dedup(c0, steal(&p->exprs, &n), n);
        if (pl->stream_source && (p->evt_key >= 0 || p->evt_col >= 0))
            sl__op_dedup_set_event_time(d, p->evt_key, p->evt_window, p->evt_col, p->within_wm,
                                        p->delay_us);
        return d;
    }
    case P_WINDOW: break; /* handled above */
    }
    sl__op_free(c0);
    sl__op_free(c1);
    sl__err_set(pl->err, SL_ERR_INTERNAL, p->pos, "cannot plan this node");
    return NULL;
}

sl__op *sl__plan_to_ops(sl__plan *p, sl__planner *pl) {
    sl__op *op = build(p, pl);
    if (!op && pl->err->code == SL_OK) {
        if (pl->ectx->failed) return NULL;
        sl__err_set(pl->err, SL_ERR_INTERNAL, -1, "planning failed");
    }
    return op;
}
