/*
 * op_dedup.c — dropDuplicates: passes the first row seen for each key and
 * drops later ones, by narrowing the selection vector. The key table lives
 * as long as the operator, so in a streaming query the first row ever seen
 * wins across micro-batches (R124).
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
    uint64_t added; /* keys added since the last rewind */
} dedup_op;

static sl__opres dedup_exec(sl__op *op, sl__exec *ex, const sl__batch *in, sl__batch *out) {
    dedup_op *d = op->impl;
    for (uint32_t k = 0; k < d->nk; k++) {
        d->kv[k] = sl__expr_eval(d->keys[k], &ex->ectx, in);
        if (ex->ectx.failed) return SL_OP_NEED_INPUT;
    }
    sl__rows rows = {in->sel, in->count};
    sl__keytab_hash(d->kv, d->nk, &rows, d->hashes);
    uint32_t n = 0;
    for (uint32_t i = 0; i < in->count; i++) {
        uint32_t r = sl__batch_row(in, i);
        bool ins;
        sl__keytab_insert(&d->tab, d->kv, r, d->hashes[i], &ins);
        if (ins) {
            d->sel[n++] = r;
            d->added++;
        }
    }
    *out = *in;
    out->sel = d->sel;
    out->count = n;
    return SL_OP_NEED_INPUT;
}

static void dedup_destroy(sl__op *op) {
    dedup_op *d = op->impl;
    for (uint32_t k = 0; k < d->nk; k++) sl__expr_free(d->keys[k]);
    sl__free(d->keys);
    sl__free(d->kv);
    sl__keytab_free(&d->tab);
    sl__free(d);
}

static void dedup_rewind(sl__op *op, sl__exec *ex) {
    (void)ex;
    ((dedup_op *)op->impl)->added = 0; /* the keys seen stay (R124) */
}

static const sl__op_vt dedup_vt = {
    "Deduplicate", NULL, dedup_exec, NULL, NULL, dedup_rewind, dedup_destroy, NULL,
};

bool sl__op_is_dedup(const sl__op *op) {
    return op->vt == &dedup_vt;
}

void sl__op_dedup_metrics(const sl__op *op, sl__state_metrics *m) {
    const dedup_op *d = op->impl;
    memset(m, 0, sizeof *m);
    m->name = "dedupe";
    m->rows_total = d->tab.n;
    m->rows_updated = d->added;
    m->memory_bytes = sl__keytab_memory(&d->tab);
}

sl__op *sl__op_dedup(sl__op *child, sl__expr **keys, uint32_t nk) {
    dedup_op *d = sl__calloc(1, sizeof *d);
    d->keys = keys;
    d->nk = nk;
    d->kv = sl__calloc(nk ? nk : 1, sizeof *d->kv);
    const sl__type **t = sl__malloc(sizeof *t * (nk ? nk : 1));
    for (uint32_t k = 0; k < nk; k++) t[k] = keys[k]->type;
    sl__keytab_init(&d->tab, nk, t);
    sl__free(t);
    sl__op *op = sl__op_new(&dedup_vt, child->schema, d);
    op->child[0] = child;
    return op;
}
