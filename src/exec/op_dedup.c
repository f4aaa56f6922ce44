/*
 * op_dedup.c — dropDuplicates: passes the first row seen for each key and
 * drops later ones, by narrowing the selection vector. The key table lives
 * as long as the operator, so in a streaming query the first row ever seen
 * wins across micro-batches (R124).
 *
 * With a watermark (sl__op_dedup_set_event_time): rows whose watermarked
 * input column is at or below the previous batch's watermark are late —
 * dropped, counted and handed to ex->late (R126); after each batch, keys
 * whose event-time key column (R125), or for dropDuplicatesWithinWatermark
 * whose first row's event time plus the delay (R127), is at or below the
 * batch's watermark leave the state (the key table is compacted).
 */
#include "exec/hashtab.h"
#include "exec/ops.h"

typedef struct dedup_op {
    sl__expr **keys; /* owned */
    uint32_t nk;
    sl__keytab tab;
    sl__vec **kv;
    uint64_t hashes[SL_VEC_SIZE];
    uint32_t sel[SL_VEC_SIZE];
    uint32_t late[SL_VEC_SIZE];
    uint64_t added; /* keys added since the last rewind */

    /* event time */
    int32_t evt_key, evt_col;
    bool evt_window, within;
    int64_t delay_us;
    int64_t *expiry; /* within: per id, first event time + delay */
    uint32_t expiry_cap;
    uint64_t dropped, removed; /* in the last batch */
} dedup_op;

static void set_expiry(dedup_op *d, uint32_t id, const sl__batch *in, uint32_t r) {
    if (id >= d->expiry_cap) {
        uint32_t c = d->expiry_cap ? d->expiry_cap : 64;
        while (c <= id) c *= 2;
        d->expiry = sl__realloc(d->expiry, sizeof *d->expiry * c);
        d->expiry_cap = c;
    }
    int64_t t;
    if (!sl__event_time_of(in->cols[d->evt_col], false, r, &t))
        d->expiry[id] = INT64_MAX; /* no event time: never expires */
    else if (__builtin_add_overflow(t, d->delay_us, &d->expiry[id]))
        d->expiry[id] = INT64_MAX;
}

static sl__opres dedup_exec(sl__op *op, sl__exec *ex, const sl__batch *in, sl__batch *out) {
    dedup_op *d = op->impl;
    for (uint32_t k = 0; k < d->nk; k++) {
        d->kv[k] = sl__expr_eval(d->keys[k], &ex->ectx, in);
        if (ex->ectx.failed) return SL_OP_NEED_INPUT;
    }
    sl__rows rows = {in->sel, in->count};
    sl__keytab_hash(d->kv, d->nk, &rows, d->hashes);
    bool late_check = ex->has_wm && d->evt_col >= 0;
    uint32_t n = 0, nl = 0;
    for (uint32_t i = 0; i < in->count; i++) {
        uint32_t r = sl__batch_row(in, i);
        int64_t t;
        if (late_check && sl__event_time_of(in->cols[d->evt_col], false, r, &t) &&
            t <= ex->wm_late_us) {
            d->late[nl++] = r;
            continue;
        }
        bool ins;
        uint32_t id = sl__keytab_insert(&d->tab, d->kv, r, d->hashes[i], &ins);
        if (ins) {
            d->sel[n++] = r;
            d->added++;
            if (d->within) set_expiry(d, id, in, r);
        }
    }
    if (nl) {
        d->dropped += nl;
        if (ex->late) {
            sl__rows lr = {d->late, nl};
            ex->late(ex->late_ud, op, in, &lr);
        }
    }
    *out = *in;
    out->sel = d->sel;
    out->count = n;
    return SL_OP_NEED_INPUT;
}

void sl__op_dedup_end_batch(sl__op *op, const sl__exec *ex) {
    dedup_op *d = op->impl;
    if (!ex->has_wm || !sl__op_dedup_has_event_time(op) || !d->tab.n) return;
    uint32_t *keep = sl__malloc(sizeof *keep * d->tab.n);
    uint32_t m = 0;
    for (uint32_t id = 0; id < d->tab.n; id++) {
        int64_t t;
        bool gone = d->within ? d->expiry[id] <= ex->wm_evict_us
                              : sl__event_time_of(d->tab.keys[d->evt_key], d->evt_window, id, &t) &&
                                    t <= ex->wm_evict_us;
        if (gone) continue;
        if (d->within) d->expiry[m] = d->expiry[id];
        keep[m++] = id;
    }
    if (m < d->tab.n) {
        d->removed += d->tab.n - m;
        sl__keytab_compact(&d->tab, keep, m);
    }
    sl__free(keep);
}

static void dedup_destroy(sl__op *op) {
    dedup_op *d = op->impl;
    for (uint32_t k = 0; k < d->nk; k++) sl__expr_free(d->keys[k]);
    sl__free(d->keys);
    sl__free(d->kv);
    sl__free(d->expiry);
    sl__keytab_free(&d->tab);
    sl__free(d);
}

static void dedup_rewind(sl__op *op, sl__exec *ex) {
    (void)ex;
    dedup_op *d = op->impl;
    d->added = d->dropped = d->removed = 0; /* the keys seen stay (R124) */
}

static const sl__op_vt dedup_vt = {
    "Deduplicate", NULL, dedup_exec, NULL, NULL, dedup_rewind, dedup_destroy, NULL,
};

bool sl__op_is_dedup(const sl__op *op) {
    return op->vt == &dedup_vt;
}

void sl__op_dedup_set_event_time(sl__op *op, int32_t evt_key, bool window, int32_t evt_col,
                                 bool within, int64_t delay_us) {
    dedup_op *d = op->impl;
    d->evt_key = evt_key;
    d->evt_window = window;
    d->evt_col = evt_col;
    d->within = within && evt_col >= 0;
    d->delay_us = delay_us;
}

bool sl__op_dedup_has_event_time(const sl__op *op) {
    const dedup_op *d = op->impl;
    return d->within || d->evt_key >= 0;
}

void sl__op_dedup_metrics(const sl__op *op, sl__state_metrics *m) {
    const dedup_op *d = op->impl;
    memset(m, 0, sizeof *m);
    m->name = "dedupe";
    m->rows_total = d->tab.n;
    m->rows_updated = d->added;
    m->rows_removed = d->removed;
    m->rows_dropped_by_watermark = d->dropped;
    m->memory_bytes = sl__keytab_memory(&d->tab) + (size_t)d->expiry_cap * sizeof *d->expiry;
}

sl__op *sl__op_dedup(sl__op *child, sl__expr **keys, uint32_t nk) {
    dedup_op *d = sl__calloc(1, sizeof *d);
    d->keys = keys;
    d->nk = nk;
    d->evt_key = d->evt_col = -1;
    d->kv = sl__calloc(nk ? nk : 1, sizeof *d->kv);
    const sl__type **t = sl__malloc(sizeof *t * (nk ? nk : 1));
    for (uint32_t k = 0; k < nk; k++) t[k] = keys[k]->type;
    sl__keytab_init(&d->tab, nk, t);
    sl__free(t);
    sl__op *op = sl__op_new(&dedup_vt, child->schema, d);
    op->child[0] = child;
    return op;
}
