/*
 * op_hash_agg.c — hash aggregation with grouping sets (GROUP BY, CUBE,
 * ROLLUP, GROUPING SETS, DISTINCT). A breaker: as a sink it folds each input
 * batch into per-group aggregate states; as a source it emits one row per
 * group: the keys, the aggregate results, and (with grouping sets) the
 * grouping id.
 *
 * Design notes:
 *  1. Grouping sets: each input row is folded once per set, with the keys
 *     outside the set replaced by NULL and the set's grouping id appended as
 *     an extra key, so (NULL from a rolled-up key) and (a real NULL key) stay
 *     separate groups, as in Spark (R139–R141). Bit k of the grouping id
 *     (counting from the most significant of nk bits) is 1 when key k is not
 *     grouped.
 *  2. States: one block of `width` bytes per group (each aggregate at its
 *     aligned offset), in one growable array indexed by group id. Pointers
 *     into it are recomputed after the inserts of a batch, since growth may
 *     move it.
 *  3. A global aggregate (no keys, no sets) over no rows still yields one row
 *     (count 0, others NULL); with grouping sets it yields none (R143).
 *  4. Streaming (sl__op_agg_set_stream): the groups and their states outlive
 *     the micro-batch (rewind keeps them); each group remembers the last batch
 *     that touched it, and finalize picks what the output mode emits: every
 *     group (complete, R35) or the groups touched in this batch (update,
 *     R36). The state is what SHOW QUERIES and progress records measure.
 *  5. Event-time windows (sl__op_agg_set_window, ops.h): the groups of the
 *     table are then not always the output groups. With panes, a group is
 *     (other keys, pane) and each finalize builds the output windows in a
 *     second table (wtab): the windows of the panes selected (all, or those
 *     touched in this micro-batch in update mode), then for each window the
 *     merge of its W/S panes' states, earliest pane first. With sessions, a
 *     group is (other keys, one row's session [t, t + gap)); finalize sorts
 *     them by (other keys, start), merges the overlapping ones — a session
 *     starting at or before the current end joins it, as in Spark's
 *     MergingSessionsIterator — and builds one output group per merged
 *     session in wtab, merging states in time order. wtab and its states are
 *     rebuilt at every finalize; the state kept between micro-batches is the
 *     panes (sessions are batch-only: START refuses them on streams).
 *  6. Event time (sl__op_agg_set_event_time, a query with a watermark):
 *     in update and append mode, input rows whose event-time key is at or
 *     below the previous batch's watermark are late: dropped, counted and
 *     handed to ex->late (R112, R113). After the batch, groups whose key
 *     time is at or below this batch's watermark are final: append mode
 *     emits exactly those (R118), update mode emits the touched groups
 *     (R117); either way the final ones then leave the state. Since ids are
 *     dense, eviction materialises the batch's output first, then compacts
 *     the key table and the state array (sl__keytab_compact). Complete mode
 *     never drops or evicts (R116). With panes the key's time is the
 *     pane's last window's end (pane start + W): a row is late, and a pane
 *     leaves the state, once every window it feeds is final; append mode
 *     emits the windows whose end the watermark passed in this batch,
 *     update mode the touched windows that are not final yet. Output comes
 *     from wtab then, so no materialising is needed before eviction.
 */
#include "exec/hashtab.h"
#include "exec/op.h"
#include "exec/ops.h"
#include "func/window.h"
#include <stdlib.h>

typedef struct agg_op {
    sl__expr **keys; /* owned */
    uint32_t nk;
    sl__agg_call *aggs; /* owned (args) */
    uint32_t na;
    uint64_t *sets; /* owned; NULL: one set of all keys */
    uint32_t n_sets;
    bool gid_out;

    sl__keytab tab;
    size_t *offs;
    size_t width;
    char *states;
    uint32_t states_cap;

    sl__vec **null_keys; /* const NULL vector per key */
    sl__vec *gid_vec;    /* const BIGINT */
    sl__vec **kv;        /* scratch: key vectors for one set (nk + 1) */
    sl__vec **av;        /* scratch: evaluated aggregate arguments */
    uint32_t *ids;
    void **ptrs;
    void **aptrs;

    sl__chunk out;
    uint32_t emit_pos;
    bool finalized;

    /* streaming */
    int stream_mode;   /* 0: batch; else SL__AGG_EMIT_ALL / SL__AGG_EMIT_UPDATED */
    uint64_t epoch;    /* current micro-batch (1, 2, ...) */
    uint64_t *touched; /* per group: last epoch that updated it */
    uint32_t touched_cap;
    uint32_t *emit; /* ids to emit, in order */
    uint32_t n_emit, emit_cap;
    uint64_t updated; /* groups updated in the last batch */

    /* event-time windows (design note 5) */
    sl__agg_window win;
    bool wout;       /* output from wtab (panes, sessions) */
    sl__keytab wtab; /* the output windows or sessions of the last finalize */
    char *wstates;   /* their aggregate states */
    uint32_t wstates_cap;
    sl__vec *wscratch; /* struct<start, end> per group id */
    uint32_t *wsel, *wids;
    /* event time */
    int32_t evt_key;  /* key index whose time decides lateness and eviction; -1: none */
    bool evt_window;  /* that key is a window struct: its time is window.end */
    uint32_t *keep;   /* scratch: rows that are not late */
    uint32_t *late;   /* scratch: rows that are */
    uint64_t dropped; /* rows dropped as late in the last batch */
    uint64_t removed; /* groups evicted after the last batch */
    sl__chunk *ready; /* output materialised before an eviction */
    uint32_t n_ready, ready_pos;
    int64_t evt_shift; /* panes: W - S, from a pane's end to its last window's end */
} agg_op;

static void ensure_states(agg_op *a, uint32_t n) {
    if (n <= a->states_cap) return;
    uint32_t c = a->states_cap ? a->states_cap : 64;
    while (c < n) c *= 2;
    a->states = sl__realloc(a->states, (size_t)c * (a->width ? a->width : 1));
    a->states_cap = c;
}

static void init_group(agg_op *a, uint32_t id) {
    char *st = a->states + (size_t)id * a->width;
    for (uint32_t k = 0; k < a->na; k++) a->aggs[k].ops->init(st + a->offs[k]);
}

static uint64_t gid_of(const agg_op *a, uint64_t set) {
    uint64_t g = 0;
    for (uint32_t i = 0; i < a->nk; i++)
        if (!(set & (1ULL << i))) g |= 1ULL << (a->nk - 1 - i);
    return g;
}

static void mark_touched(agg_op *a, const uint32_t *ids, uint32_t n) {
    if (a->tab.n > a->touched_cap) {
        uint32_t c = a->touched_cap ? a->touched_cap : 64;
        while (c < a->tab.n) c *= 2;
        a->touched = sl__realloc(a->touched, sizeof *a->touched * c);
        memset(a->touched + a->touched_cap, 0, sizeof *a->touched * (c - a->touched_cap));
        a->touched_cap = c;
    }
    for (uint32_t i = 0; i < n; i++) a->touched[ids[i]] = a->epoch;
}

static void agg_sink(sl__op *op, sl__exec *ex, const sl__batch *in) {
    agg_op *a = op->impl;
    sl__rows rows = {in->sel, in->count};
    sl__vec *keyv[64];
    for (uint32_t i = 0; i < a->nk; i++) {
        keyv[i] = sl__expr_eval(a->keys[i], &ex->ectx, in);
        if (ex->ectx.failed) return;
    }
    for (uint32_t k = 0; k < a->na; k++) {
        a->av[k] = a->aggs[k].arg ? sl__expr_eval(a->aggs[k].arg, &ex->ectx, in) : NULL;
        if (ex->ectx.failed) return;
    }
    if (a->stream_mode != SL__AGG_EMIT_ALL && a->evt_key >= 0 && ex->has_wm) {
        /* R112: a row whose key time is not past the previous watermark is late */
        const sl__vec *tv = keyv[a->evt_key];
        uint32_t nk = 0, nl = 0;
        for (uint32_t i = 0; i < rows.count; i++) {
            uint32_t r = SL_ROW(&rows, i);
            int64_t t;
            if (sl__event_time_of(tv, a->evt_window, r, &t) &&
                sl__wadd(t, a->evt_shift) <= ex->wm_late_us)
                a->late[nl++] = r;
            else
                a->keep[nk++] = r;
        }
        if (nl) {
            a->dropped += nl;
            if (ex->late) {
                sl__rows lr = {a->late, nl};
                ex->late(ex->late_ud, op, in, &lr);
            }
            rows.sel = a->keep;
            rows.count = nk;
        }
    }
    if (a->nk == 0 && !a->sets) {
        /* a global aggregate: one group, no hashing */
        if (a->tab.n == 0) {
            sl__vec *none[1] = {NULL};
            bool ins;
            sl__keytab_insert(&a->tab, none, 0, 0x9e3779b97f4a7c15ULL, &ins);
            ensure_states(a, 1);
            init_group(a, 0);
        }
        if (a->stream_mode && rows.count) {
            uint32_t zero = 0;
            mark_touched(a, &zero, 1);
        }
        for (uint32_t k = 0; k < a->na; k++) {
            char *st = a->states + a->offs[k];
            if (a->aggs[k].ops->update_one) {
                a->aggs[k].ops->update_one(st, a->av[k], &rows);
                continue;
            }
            for (uint32_t i = 0; i < rows.count; i++) a->ptrs[i] = st;
            a->aggs[k].ops->update(a->ptrs, a->av[k], &rows);
        }
        return;
    }
    uint32_t nsets = a->sets ? a->n_sets : 1;
    for (uint32_t s = 0; s < nsets; s++) {
        if (a->sets) {
            uint64_t set = a->sets[s];
            for (uint32_t i = 0; i < a->nk; i++)
                a->kv[i] = (set & (1ULL << i)) ? keyv[i] : a->null_keys[i];
            SL_VEC_DATA(a->gid_vec, int64_t)[0] = (int64_t)gid_of(a, set);
            a->kv[a->nk] = a->gid_vec;
        } else {
            for (uint32_t i = 0; i < a->nk; i++) a->kv[i] = keyv[i];
        }
        uint32_t before = a->tab.n;
        sl__keytab_insert_batch(&a->tab, a->kv, &rows, a->ids);
        if (a->tab.n > before) {
            ensure_states(a, a->tab.n);
            for (uint32_t id = before; id < a->tab.n; id++) init_group(a, id);
        }
        if (a->stream_mode) mark_touched(a, a->ids, rows.count);
        /* ids -> state pointers (the states array no longer moves in this batch) */
        char *base = a->states;
        size_t w = a->width;
        if ((size_t)a->tab.n * w > (1u << 20)) {
            for (uint32_t i = 0; i < rows.count; i++) {
                a->ptrs[i] = base + (size_t)a->ids[i] * w;
                __builtin_prefetch(a->ptrs[i], 1);
            }
        } else {
            for (uint32_t i = 0; i < rows.count; i++) a->ptrs[i] = base + (size_t)a->ids[i] * w;
        }
        for (uint32_t k = 0; k < a->na; k++) {
            void **p = a->ptrs;
            if (a->offs[k]) {
                for (uint32_t i = 0; i < rows.count; i++)
                    a->aptrs[i] = (char *)a->ptrs[i] + a->offs[k];
                p = a->aptrs;
            }
            a->aggs[k].ops->update(p, a->av[k], &rows);
        }
    }
}

/* ---- event-time windows: panes and sessions (design note 5) ------------------- */

static void win_clear(agg_op *a) {
    for (uint32_t k = 0; k < a->na; k++) {
        if (!a->aggs[k].ops->destroy) continue;
        for (uint32_t id = 0; id < a->wtab.n; id++)
            a->aggs[k].ops->destroy(a->wstates + (size_t)id * a->width + a->offs[k]);
    }
    sl__keytab_clear(&a->wtab);
}

/* A struct<start, end> scratch vector with room for n rows. */
static sl__vec *win_scratch(agg_op *a, uint32_t n) {
    if (n > a->wscratch->cap) sl__vec_reserve(a->wscratch, n);
    return a->wscratch;
}

/* Ids in wtab of the keys kv at rows (a->wids), initialising new groups. */
static void win_insert(agg_op *a, sl__vec *const *kv, const sl__rows *rows) {
    uint32_t before = a->wtab.n;
    sl__keytab_insert_batch(&a->wtab, kv, rows, a->wids);
    if (a->wtab.n <= before) return;
    if (a->wtab.n > a->wstates_cap) {
        uint32_t c = a->wstates_cap ? a->wstates_cap : 64;
        while (c < a->wtab.n) c *= 2;
        a->wstates = sl__realloc(a->wstates, (size_t)c * a->width);
        a->wstates_cap = c;
    }
    for (uint32_t id = before; id < a->wtab.n; id++) {
        char *st = a->wstates + (size_t)id * a->width;
        for (uint32_t k = 0; k < a->na; k++) a->aggs[k].ops->init(st + a->offs[k]);
    }
}

static void merge_state(const agg_op *a, char *dst, const char *src) {
    for (uint32_t k = 0; k < a->na; k++) a->aggs[k].ops->merge(dst + a->offs[k], src + a->offs[k]);
}

static bool touched_now(const agg_op *a, uint32_t id) {
    return id < a->touched_cap && a->touched[id] == a->epoch;
}

/* Which panes build_panes starts from. */
enum { PANES_ALL, PANES_TOUCHED, PANES_STARTING_IN };

/*
 * Panes to windows: the windows [p - i*S, p - i*S + W) (i < W/S) of every
 * selected pane p (all, those touched in this micro-batch, or those whose
 * start is in (lo, hi]) become groups of wtab; then each window merges the
 * states of its panes [w + j*S, w + (j+1)*S), j = 0 .. W/S - 1, found in
 * the table.
 */
static void build_panes(agg_op *a, int sel, int64_t lo, int64_t hi) {
    win_clear(a);
    const uint32_t wk = a->win.key, nk = a->nk;
    const int64_t W = a->win.size, S = a->win.slide;
    const uint32_t k = (uint32_t)(W / S);
    sl__vec *kv[64];
    sl__vec *sv = win_scratch(a, a->tab.n);
    for (uint32_t c = 0; c < nk; c++) kv[c] = a->tab.keys[c];
    kv[wk] = sv;
    const int64_t *pstart = SL_VEC_DATA(a->tab.keys[wk]->child[0], int64_t);
    int64_t *ss = SL_VEC_DATA(sv->child[0], int64_t), *se = SL_VEC_DATA(sv->child[1], int64_t);
    for (uint32_t g0 = 0; g0 < a->tab.n;) {
        uint32_t m = 0;
        for (; g0 < a->tab.n && m < SL_VEC_SIZE; g0++)
            if (sel == PANES_ALL || (sel == PANES_TOUCHED && touched_now(a, g0)) ||
                (sel == PANES_STARTING_IN && pstart[g0] > lo && pstart[g0] <= hi))
                a->wsel[m++] = g0;
        if (!m) continue;
        sl__rows rows = {a->wsel, m};
        for (uint32_t i = 0; i < k; i++) {
            for (uint32_t r = 0; r < m; r++) {
                uint32_t g = a->wsel[r];
                int64_t w = sl__wsub(pstart[g], (int64_t)i * S);
                ss[g] = w;
                se[g] = sl__wadd(w, W);
            }
            win_insert(a, kv, &rows);
        }
    }
    /* every window merges its panes, earliest first */
    sv = win_scratch(a, a->wtab.n);
    ss = SL_VEC_DATA(sv->child[0], int64_t);
    se = SL_VEC_DATA(sv->child[1], int64_t);
    for (uint32_t c = 0; c < nk; c++) kv[c] = a->wtab.keys[c];
    kv[wk] = sv;
    const int64_t *wstart = SL_VEC_DATA(a->wtab.keys[wk]->child[0], int64_t);
    for (uint32_t w0 = 0; w0 < a->wtab.n;) {
        uint32_t m = SL_MIN(SL_VEC_SIZE, a->wtab.n - w0);
        for (uint32_t r = 0; r < m; r++) a->wsel[r] = w0 + r;
        w0 += m;
        sl__rows rows = {a->wsel, m};
        for (uint32_t j = 0; j < k; j++) {
            for (uint32_t r = 0; r < m; r++) {
                uint32_t w = a->wsel[r];
                int64_t p = sl__wadd(wstart[w], (int64_t)j * S);
                ss[w] = p;
                se[w] = sl__wadd(p, S);
            }
            sl__keytab_find_batch(&a->tab, kv, &rows, a->wids);
            for (uint32_t r = 0; r < m; r++)
                if (a->wids[r] != UINT32_MAX)
                    merge_state(a, a->wstates + (size_t)a->wsel[r] * a->width,
                                a->states + (size_t)a->wids[r] * a->width);
        }
    }
}

typedef struct sess_item {
    uint32_t og, id; /* group of the other keys; group in the table */
    int64_t s, e;
} sess_item;

static int sess_cmp(const void *x, const void *y) {
    const sess_item *a = x, *b = y;
    if (a->og != b->og) return a->og < b->og ? -1 : 1;
    if (a->s != b->s) return a->s < b->s ? -1 : 1;
    if (a->e != b->e) return a->e < b->e ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/*
 * Sessions: the groups (other keys, [t, t + gap)) sorted by (other keys,
 * start); a session starting at or before the end of the current one joins
 * it (its end becomes the larger end). One output group per merged session,
 * the states merged in time order.
 */
static void build_sessions(agg_op *a) {
    win_clear(a);
    const uint32_t n = a->tab.n, wk = a->win.key, nk = a->nk;
    if (!n) return;
    sess_item *it = sl__malloc(sizeof *it * n);
    uint32_t *og = sl__calloc(n, sizeof *og);
    if (nk > 1) {
        /* number the distinct values of the other keys */
        const sl__type *ot[64];
        sl__vec *ov[64];
        uint32_t no = 0;
        for (uint32_t c = 0; c < nk; c++) {
            if (c == wk) continue;
            ot[no] = a->tab.keys[c]->type;
            ov[no++] = a->tab.keys[c];
        }
        sl__keytab otab;
        sl__keytab_init(&otab, no, ot);
        for (uint32_t g0 = 0; g0 < n;) {
            uint32_t m = SL_MIN(SL_VEC_SIZE, n - g0);
            for (uint32_t r = 0; r < m; r++) a->wsel[r] = g0 + r;
            sl__rows rows = {a->wsel, m};
            sl__keytab_insert_batch(&otab, ov, &rows, og + g0);
            g0 += m;
        }
        sl__keytab_free(&otab);
    }
    const int64_t *ps = SL_VEC_DATA(a->tab.keys[wk]->child[0], int64_t);
    const int64_t *pe = SL_VEC_DATA(a->tab.keys[wk]->child[1], int64_t);
    for (uint32_t g = 0; g < n; g++) it[g] = (sess_item){og[g], g, ps[g], pe[g]};
    qsort(it, n, sizeof *it, sess_cmp);
    sl__vec *sv = win_scratch(a, n);
    int64_t *ss = SL_VEC_DATA(sv->child[0], int64_t), *se = SL_VEC_DATA(sv->child[1], int64_t);
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i;
        int64_t end = it[i].e;
        while (j + 1 < n && it[j + 1].og == it[i].og && it[j + 1].s <= end) {
            j++;
            if (it[j].e > end) end = it[j].e;
        }
        for (uint32_t x = i; x <= j; x++) {
            ss[it[x].id] = it[i].s;
            se[it[x].id] = end;
        }
        i = j + 1;
    }
    sl__vec *kv[64];
    for (uint32_t c = 0; c < nk; c++) kv[c] = a->tab.keys[c];
    kv[wk] = sv;
    for (uint32_t i0 = 0; i0 < n;) {
        uint32_t m = SL_MIN(SL_VEC_SIZE, n - i0);
        for (uint32_t r = 0; r < m; r++) a->wsel[r] = it[i0 + r].id;
        i0 += m;
        sl__rows rows = {a->wsel, m};
        win_insert(a, kv, &rows);
        for (uint32_t r = 0; r < m; r++)
            merge_state(a, a->wstates + (size_t)a->wids[r] * a->width,
                        a->states + (size_t)a->wsel[r] * a->width);
    }
    sl__free(it);
    sl__free(og);
}

/* Writes the output rows of groups ids[0..n) (ids NULL: first, first + 1,
 * ...; n <= SL_VEC_SIZE) into c. */
static void fill_rows(agg_op *a, const uint32_t *ids, uint32_t first, uint32_t n, sl__chunk *c) {
    /* panes and sessions: the output groups are those of wtab */
    const sl__keytab *kt = a->wout ? &a->wtab : &a->tab;
    const char *states = a->wout ? a->wstates : a->states;
    for (uint32_t r = 0; r < n; r++) {
        uint32_t id = ids ? ids[r] : first + r;
        uint32_t col = 0;
        for (uint32_t i = 0; i < a->nk; i++, col++)
            sl__vec_copy_value(c->cols[col], r, kt->keys[i], id);
        const char *st = states + (size_t)id * a->width;
        for (uint32_t k = 0; k < a->na; k++, col++)
            a->aggs[k].ops->finalize(st + a->offs[k], c->cols[col], r);
        if (a->gid_out) {
            int64_t g = a->sets ? SL_VEC_DATA(kt->keys[a->nk], int64_t)[id] : 0;
            SL_VEC_DATA(c->cols[col], int64_t)[r] = g;
        }
    }
    c->n = n;
}

static void free_ready(agg_op *a) {
    for (uint32_t i = 0; i < a->n_ready; i++) sl__chunk_free(&a->ready[i]);
    sl__free(a->ready);
    a->ready = NULL;
    a->n_ready = a->ready_pos = 0;
}

/* Removes the groups whose flag in `gone` is set: their states are destroyed,
 * the others renumbered in order (key table, states, touched epochs). */
static void evict(agg_op *a, const bool *gone, uint32_t n_gone) {
    uint32_t n = a->tab.n, m = 0;
    uint32_t *keep = sl__malloc(sizeof *keep * (n - n_gone ? n - n_gone : 1));
    for (uint32_t id = 0; id < n; id++) {
        char *st = a->states + (size_t)id * a->width;
        if (gone[id]) {
            for (uint32_t k = 0; k < a->na; k++)
                if (a->aggs[k].ops->destroy) a->aggs[k].ops->destroy(st + a->offs[k]);
            continue;
        }
        if (m != id) {
            memmove(a->states + (size_t)m * a->width, st, a->width);
            if (id < a->touched_cap) a->touched[m] = a->touched[id];
        }
        keep[m++] = id;
    }
    sl__keytab_compact(&a->tab, keep, m);
    sl__free(keep);
    a->removed += n_gone;
}

static void agg_finalize(sl__op *op, sl__exec *ex) {
    agg_op *a = op->impl;
    a->finalized = true;
    a->emit_pos = 0;
    /* design note 6: the watermark decides lateness and eviction */
    bool by_time =
        a->stream_mode && a->stream_mode != SL__AGG_EMIT_ALL && a->evt_key >= 0 && ex->has_wm;
    if (a->win.mode == SL__AGG_WIN_PANES) {
        if (by_time && a->stream_mode == SL__AGG_EMIT_FINAL)
            /* windows ending in (previous, current watermark]: panes starting in (prev - W,
             * cur - S] */
            build_panes(a, PANES_STARTING_IN, sl__wsub(ex->wm_late_us, a->win.size),
                        sl__wsub(ex->wm_evict_us, a->win.slide));
        else
            build_panes(a, a->stream_mode == SL__AGG_EMIT_UPDATED ? PANES_TOUCHED : PANES_ALL, 0,
                        0);
    } else if (a->win.mode == SL__AGG_WIN_SESSION) {
        build_sessions(a);
    }
    if (!a->stream_mode) {
        if (a->nk == 0 && !a->sets && a->tab.n == 0) {
            /* global aggregate over no rows: one row of initial states */
            sl__vec *none[1] = {NULL};
            bool ins;
            uint32_t id = sl__keytab_insert(&a->tab, none, 0, 0x9e3779b97f4a7c15ULL, &ins);
            ensure_states(a, id + 1);
            init_group(a, id);
        }
        return;
    }
    if (a->nk == 0 && !a->sets && a->tab.n == 0 && a->stream_mode == SL__AGG_EMIT_ALL) {
        /* complete mode over nothing yet: the global aggregate's initial row */
        sl__vec *none[1] = {NULL};
        bool ins;
        sl__keytab_insert(&a->tab, none, 0, 0x9e3779b97f4a7c15ULL, &ins);
        ensure_states(a, 1);
        init_group(a, 0);
    }
    bool *gone = by_time ? sl__calloc(a->tab.n ? a->tab.n : 1, sizeof *gone) : NULL;
    uint32_t n_gone = 0;
    SL_GROW(a->emit, a->emit_cap, SL_MAX(a->tab.n, a->wout ? a->wtab.n : 0) + 1);
    a->n_emit = 0;
    a->updated = 0;
    for (uint32_t id = 0; id < a->tab.n; id++) {
        bool upd = id < a->touched_cap && a->touched[id] == a->epoch;
        a->updated += upd;
        int64_t t;
        bool final = by_time && sl__event_time_of(a->tab.keys[a->evt_key], a->evt_window, id, &t) &&
                     sl__wadd(t, a->evt_shift) <= ex->wm_evict_us;
        if (final) gone[id] = true, n_gone++;
        if (a->wout) continue;
        bool out = a->stream_mode == SL__AGG_EMIT_ALL     ? true
                   : a->stream_mode == SL__AGG_EMIT_FINAL ? final
                                                          : upd;
        if (out) a->emit[a->n_emit++] = id;
    }
    if (a->wout) {
        /* the windows built from the selected panes: in append mode those the watermark
         * finalised in this batch, in update mode the touched ones not final before it */
        const int64_t *end =
            by_time ? SL_VEC_DATA(a->wtab.keys[a->win.key]->child[1], int64_t) : NULL;
        for (uint32_t id = 0; id < a->wtab.n; id++) {
            bool out = !by_time || (a->stream_mode == SL__AGG_EMIT_FINAL
                                        ? end[id] > ex->wm_late_us && end[id] <= ex->wm_evict_us
                                        : end[id] > ex->wm_late_us);
            if (out) a->emit[a->n_emit++] = id;
        }
    }
    if (n_gone) {
        if (!a->wout) {
            /* the output first: eviction renumbers the groups (wtab's are apart) */
            uint32_t nc = (a->n_emit + SL_VEC_SIZE - 1) / SL_VEC_SIZE;
            a->ready = sl__calloc(nc ? nc : 1, sizeof *a->ready);
            for (uint32_t c = 0; c < nc; c++) {
                uint32_t at = c * SL_VEC_SIZE, n = SL_MIN(SL_VEC_SIZE, a->n_emit - at);
                sl__chunk_init(&a->ready[c], op->schema, n);
                fill_rows(a, a->emit + at, 0, n, &a->ready[c]);
            }
            a->n_ready = nc;
            a->ready_pos = 0;
        }
        evict(a, gone, n_gone);
    }
    sl__free(gone);
}

static bool agg_get(sl__op *op, sl__exec *ex, sl__batch *outb) {
    agg_op *a = op->impl;
    if (!a->finalized) return false;
    if (a->ready) {
        if (a->ready_pos >= a->n_ready) return false;
        *outb = sl__chunk_batch(&a->ready[a->ready_pos++]);
        return true;
    }
    uint32_t total = a->stream_mode ? a->n_emit : (a->wout ? a->wtab.n : a->tab.n);
    if (a->emit_pos >= total) return false;
    sl__chunk_reset(&a->out);
    uint32_t n = SL_MIN(SL_VEC_SIZE, total - a->emit_pos);
    fill_rows(a, a->stream_mode ? a->emit + a->emit_pos : NULL, a->emit_pos, n, &a->out);
    a->emit_pos += n;
    *outb = sl__chunk_batch(&a->out);
    return true;
}

static void destroy_states(agg_op *a) {
    for (uint32_t k = 0; k < a->na; k++) {
        if (!a->aggs[k].ops->destroy) continue;
        for (uint32_t id = 0; id < a->tab.n; id++)
            a->aggs[k].ops->destroy(a->states + (size_t)id * a->width + a->offs[k]);
    }
}

static void agg_rewind(sl__op *op, sl__exec *ex) {
    agg_op *a = op->impl;
    if (a->stream_mode) {
        /* the state carries over to the next micro-batch */
        free_ready(a);
        a->dropped = a->removed = 0;
        a->epoch++;
        a->finalized = false;
        a->emit_pos = 0;
        return;
    }
    destroy_states(a);
    sl__keytab_clear(&a->tab);
    if (a->wout) win_clear(a);
    a->finalized = false;
    a->emit_pos = 0;
}

static void agg_destroy(sl__op *op) {
    agg_op *a = op->impl;
    destroy_states(a);
    sl__keytab_free(&a->tab);
    if (a->wout) {
        win_clear(a);
        sl__keytab_free(&a->wtab);
        sl__free(a->wstates);
        sl__vec_free(a->wscratch);
        sl__free(a->wsel);
        sl__free(a->wids);
    }
    for (uint32_t i = 0; i < a->nk; i++) {
        sl__expr_free(a->keys[i]);
        sl__vec_free(a->null_keys[i]);
    }
    sl__free(a->keys);
    sl__free(a->null_keys);
    for (uint32_t k = 0; k < a->na; k++) {
        sl__expr_free(a->aggs[k].arg);
        sl__free((char *)a->aggs[k].name);
    }
    sl__free(a->aggs);
    sl__free(a->sets);
    sl__free(a->offs);
    sl__free(a->states);
    sl__vec_free(a->gid_vec);
    sl__free(a->kv);
    sl__free(a->av);
    sl__free(a->ids);
    sl__free(a->ptrs);
    sl__free(a->aptrs);
    sl__free(a->touched);
    sl__free(a->emit);
    sl__free(a->keep);
    sl__free(a->late);
    free_ready(a);
    sl__chunk_free(&a->out);
    sl__free(a);
}

static void agg_explain(const sl__op *op, sl__buf *out) {
    const agg_op *a = op->impl;
    sl__buf_puts(out, " keys=[");
    for (uint32_t i = 0; i < a->nk; i++) {
        if (i) sl__buf_puts(out, ", ");
        sl__expr_print(a->keys[i], out);
    }
    sl__buf_puts(out, "] aggs=[");
    for (uint32_t k = 0; k < a->na; k++)
        sl__buf_printf(out, "%s%s", k ? ", " : "", a->aggs[k].name);
    sl__buf_putc(out, ']');
    if (a->sets) sl__buf_printf(out, " grouping_sets=%u", a->n_sets);
    switch (a->win.mode) {
    case SL__AGG_WIN_TIME: sl__buf_printf(out, " window=#%u", a->win.key); break;
    case SL__AGG_WIN_PANES:
        sl__buf_printf(out, " window=#%u panes=%lldus windows=%lldus", a->win.key,
                       (long long)a->win.slide, (long long)a->win.size);
        break;
    case SL__AGG_WIN_SESSION: sl__buf_printf(out, " session_window=#%u", a->win.key); break;
    default: break;
    }
}

static const sl__op_vt agg_vt = {
    "HashAggregate", agg_get, NULL, agg_sink, agg_finalize, agg_rewind, agg_destroy, agg_explain,
};

sl__op *sl__op_hash_agg(sl__op *child, const sl__type *schema, sl__expr **keys, uint32_t nk,
                        sl__agg_call *aggs, uint32_t na, uint64_t *sets, uint32_t n_sets,
                        bool gid_out) {
    agg_op *a = sl__calloc(1, sizeof *a);
    a->keys = keys;
    a->nk = nk;
    a->aggs = aggs;
    a->na = na;
    a->sets = n_sets ? sets : NULL;
    if (!n_sets) sl__free(sets);
    a->n_sets = n_sets;
    a->gid_out = gid_out;
    /* state layout */
    a->offs = sl__calloc(na ? na : 1, sizeof *a->offs);
    size_t w = 0;
    for (uint32_t k = 0; k < na; k++) {
        w = SL_ALIGN_UP(w, 8);
        a->offs[k] = w;
        w += aggs[k].ops->state_size;
    }
    a->width = SL_ALIGN_UP(w ? w : 8, 8);
    uint32_t nkk = nk + (a->sets ? 1 : 0);
    const sl__type **kt = sl__malloc(sizeof *kt * (nkk ? nkk : 1));
    a->null_keys = sl__calloc(nk ? nk : 1, sizeof *a->null_keys);
    for (uint32_t i = 0; i < nk; i++) {
        kt[i] = keys[i]->type;
        a->null_keys[i] = sl__vec_new(keys[i]->type, 1);
        sl__vec_make_const_null(a->null_keys[i]);
    }
    if (a->sets) kt[nk] = SL_T_I64;
    sl__keytab_init(&a->tab, nkk, kt);
    sl__free(kt);
    a->gid_vec = sl__vec_new(SL_T_I64, 1);
    a->gid_vec->is_const = true;
    a->kv = sl__calloc(nkk + 1, sizeof *a->kv);
    a->av = sl__calloc(na ? na : 1, sizeof *a->av);
    a->ids = sl__malloc(sizeof *a->ids * SL_VEC_SIZE);
    a->ptrs = sl__malloc(sizeof *a->ptrs * SL_VEC_SIZE);
    a->aptrs = sl__malloc(sizeof *a->aptrs * SL_VEC_SIZE);
    a->keep = sl__malloc(sizeof *a->keep * SL_VEC_SIZE);
    a->late = sl__malloc(sizeof *a->late * SL_VEC_SIZE);
    a->evt_key = -1;
    sl__chunk_init(&a->out, schema, SL_VEC_SIZE);
    sl__op *op = sl__op_new(&agg_vt, schema, a);
    op->child[0] = child;
    return op;
}

bool sl__op_is_agg(const sl__op *op) {
    return op->vt == &agg_vt;
}

void sl__op_agg_set_stream(sl__op *op, int emit) {
    agg_op *a = op->impl;
    a->stream_mode = emit;
    a->epoch = 1;
}

void sl__op_agg_set_event_time(sl__op *op, int32_t key, bool window) {
    agg_op *a = op->impl;
    a->evt_key = key;
    a->evt_window = window;
}

bool sl__op_agg_has_event_time(const sl__op *op) {
    const agg_op *a = op->impl;
    return a->evt_key >= 0 && a->stream_mode != SL__AGG_EMIT_ALL;
}

int sl__op_agg_stream_emit(const sl__op *op) {
    return ((const agg_op *)op->impl)->stream_mode;
}

void sl__op_agg_metrics(const sl__op *op, sl__state_metrics *m) {
    const agg_op *a = op->impl;
    memset(m, 0, sizeof *m);
    m->name = "stateStoreSave";
    m->rows_total = a->tab.n;
    m->rows_updated = a->updated;
    m->rows_removed = a->removed;
    m->rows_dropped_by_watermark = a->dropped;
    size_t bytes = sl__keytab_memory(&a->tab) + (size_t)a->states_cap * a->width +
                   (size_t)a->touched_cap * sizeof *a->touched;
    for (uint32_t k = 0; k < a->na; k++) {
        if (!a->aggs[k].ops->heap_bytes) continue;
        for (uint32_t id = 0; id < a->tab.n; id++)
            bytes += a->aggs[k].ops->heap_bytes(a->states + (size_t)id * a->width + a->offs[k]);
    }
    m->memory_bytes = bytes;
}

void sl__op_agg_set_window(sl__op *op, const sl__agg_window *w) {
    agg_op *a = op->impl;
    a->win = *w;
    a->wout = w->mode == SL__AGG_WIN_PANES || w->mode == SL__AGG_WIN_SESSION;
    /* a pane's key time, for lateness and eviction, is its last window's end */
    if (w->mode == SL__AGG_WIN_PANES) a->evt_shift = w->size - w->slide;
    if (!a->wout) return;
    const sl__type *kt[64];
    for (uint32_t i = 0; i < a->nk; i++) kt[i] = a->keys[i]->type;
    sl__keytab_init(&a->wtab, a->nk, kt);
    a->wscratch = sl__vec_new(a->keys[w->key]->type, SL_VEC_SIZE);
    a->wsel = sl__malloc(sizeof *a->wsel * SL_VEC_SIZE);
    a->wids = sl__malloc(sizeof *a->wids * SL_VEC_SIZE);
}

const sl__agg_window *sl__op_agg_window(const sl__op *op) {
    const agg_op *a = op->impl;
    return &a->win;
}
