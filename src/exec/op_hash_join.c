/*
 * op_hash_join.c — hash join: inner, left/right/full outer, left semi, left
 * anti and cross (no keys). The build side (child[1]) is kept in a row store
 * with a key table and per-key chains of rows; the probe side (child[0])
 * streams through. An equi-key with a NULL never matches (unless the key is
 * null-safe, <=>). A residual ON condition is evaluated on candidate pairs:
 * a pair that fails it does not count as a match, so outer rows come out as
 * in SQL.
 *
 * Design notes:
 *  1. Build rows with a NULL key are stored but not chained: they only ever
 *     appear as unmatched rows of a right/full join.
 *  2. Probing one input batch may produce more than one output batch: the
 *     operator resumes from (probe row i, chain position) and answers
 *     HAVE_MORE_OUTPUT until the batch is done; then, for left/full joins,
 *     the probe rows without a match follow, NULL-extended.
 *  3. Right/full joins remember matched build rows; after the probe side
 *     ends, the pipeline runner drains this operator as a source for the
 *     build rows never matched.
 */
#include "exec/hashtab.h"
#include "exec/ops.h"
#include "exec/rowstore.h"

#define NONE UINT32_MAX

typedef struct join_op {
    sl__join_type type;
    sl__expr **lkeys, **rkeys; /* owned */
    bool *null_safe;
    uint32_t nk;
    sl__expr *cond; /* owned, over left+right columns */
    uint32_t nl, nr;

    /* build side */
    sl__rowstore build; /* right columns + key columns */
    sl__keytab tab;
    uint32_t *first; /* per key id: first build row (NONE) */
    uint32_t *next;  /* per build row */
    uint8_t *matched;
    uint32_t cap_rows, cap_ids;
    sl__vec **bcols; /* scratch: right cols + keys */
    sl__vec **kv;
    uint64_t *hashes;

    /* probe state for the current input batch */
    uint32_t pi;     /* next probe row (index into the batch's live rows) */
    uint32_t chain;  /* next build row in the chain of probe row pi, or NONE */
    bool pi_started; /* the chain of pi has been looked up */
    uint8_t pmatched[SL_VEC_SIZE];
    uint32_t prow[SL_VEC_SIZE]; /* output row -> probe row index */
    uint32_t brow[SL_VEC_SIZE]; /* output row -> build row (NONE: null-extended) */
    bool tail_phase;            /* emitting unmatched probe rows (left/full/anti) */
    uint32_t tail_i;
    uint32_t sel[SL_VEC_SIZE];
    sl__chunk pairs; /* left + right columns of candidate pairs */
    sl__vec **pkv;   /* probe key vectors of the current batch */

    /* right/full: unmatched build rows after the probe */
    bool probe_done;
    uint64_t emit_b;
} join_op;

static bool has_null_key(sl__vec *const *kv, const bool *null_safe, uint32_t nk, uint32_t row) {
    for (uint32_t k = 0; k < nk; k++)
        if (!null_safe[k] && !sl__vec_valid(kv[k], sl__vec_idx(kv[k], row))) return true;
    return false;
}

static void join_sink(sl__op *op, sl__exec *ex, const sl__batch *in) {
    join_op *j = op->impl;
    for (uint32_t i = 0; i < j->nr; i++) j->bcols[i] = in->cols[i];
    for (uint32_t k = 0; k < j->nk; k++) {
        j->kv[k] = sl__expr_eval(j->rkeys[k], &ex->ectx, in);
        if (ex->ectx.failed) return;
        j->bcols[j->nr + k] = j->kv[k];
    }
    sl__rows rows = {in->sel, in->count};
    sl__keytab_hash(j->kv, j->nk, &rows, j->hashes);
    for (uint32_t i = 0; i < in->count; i++) {
        uint32_t r = sl__batch_row(in, i);
        uint32_t g = (uint32_t)j->build.n;
        sl__rowstore_append(&j->build, j->bcols, r);
        if (g >= j->cap_rows) {
            j->cap_rows = j->cap_rows ? j->cap_rows * 2 : 1024;
            j->next = sl__realloc(j->next, sizeof *j->next * j->cap_rows);
            j->matched = sl__realloc(j->matched, j->cap_rows);
        }
        j->next[g] = NONE;
        j->matched[g] = 0;
        if (has_null_key(j->kv, j->null_safe, j->nk, r)) continue;
        bool ins;
        uint32_t id = sl__keytab_insert(&j->tab, j->kv, r, j->hashes[i], &ins);
        if (id >= j->cap_ids) {
            uint32_t oc = j->cap_ids;
            j->cap_ids = oc ? oc * 2 : 1024;
            while (j->cap_ids <= id) j->cap_ids *= 2;
            j->first = sl__realloc(j->first, sizeof *j->first * j->cap_ids);
        }
        /* append at the chain's head; chains are walked newest first, so the
         * output order within one key is reversed build order: acceptable */
        j->next[g] = ins ? NONE : j->first[id];
        j->first[id] = g;
    }
}

static void join_finalize(sl__op *op, sl__exec *ex) {
    (void)op;
    (void)ex;
}

/* Appends the pair (probe row pr, build row br or NONE) to the pairs chunk. */
static void add_pair(join_op *j, const sl__batch *in, uint32_t pr, uint32_t br) {
    uint32_t o = j->pairs.n;
    for (uint32_t c = 0; c < j->nl; c++) sl__vec_copy_value(j->pairs.cols[c], o, in->cols[c], pr);
    if (br == NONE) {
        for (uint32_t c = 0; c < j->nr; c++) sl__vec_set_null(j->pairs.cols[j->nl + c], o);
    } else {
        uint32_t r;
        sl__chunk *bc = sl__rowstore_at(&j->build, br, &r);
        for (uint32_t c = 0; c < j->nr; c++)
            sl__vec_copy_value(j->pairs.cols[j->nl + c], o, bc->cols[c], r);
    }
    j->brow[o] = br;
    j->pairs.n++;
}

/* Evaluates the residual condition on the pairs; returns the surviving
 * rows in sel and updates matched flags. */
static uint32_t check_pairs(join_op *j, sl__exec *ex) {
    sl__batch pb = sl__chunk_batch(&j->pairs);
    uint32_t n;
    if (j->cond) {
        n = sl__expr_select(j->cond, &ex->ectx, &pb, j->sel);
    } else {
        n = pb.count;
        for (uint32_t i = 0; i < n; i++) j->sel[i] = i;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t o = j->sel[i];
        j->pmatched[j->prow[o]] = 1;
        if (j->brow[o] != NONE) j->matched[j->brow[o]] = 1;
    }
    return n;
}

static sl__opres join_exec(sl__op *op, sl__exec *ex, const sl__batch *in, sl__batch *out) {
    join_op *j = op->impl;
    if (j->pi == 0 && !j->pi_started && !j->tail_phase) {
        memset(j->pmatched, 0, in->count);
        for (uint32_t k = 0; k < j->nk; k++) {
            j->pkv[k] = sl__expr_eval(j->lkeys[k], &ex->ectx, in);
            if (ex->ectx.failed) return SL_OP_NEED_INPUT;
        }
        sl__rows rows = {in->sel, in->count};
        sl__keytab_hash(j->pkv, j->nk, &rows, j->hashes);
    }
    bool semi_like = j->type == J_SEMI || j->type == J_ANTI;
    if (!j->tail_phase) {
        sl__chunk_reset(&j->pairs);
        while (j->pi < in->count && j->pairs.n < SL_VEC_SIZE) {
            uint32_t pr = sl__batch_row(in, j->pi);
            if (!j->pi_started) {
                j->pi_started = true;
                j->chain = NONE;
                if (j->nk == 0) {
                    j->chain = j->build.n ? 0 : NONE;
                } else if (!has_null_key(j->pkv, j->null_safe, j->nk, pr)) {
                    uint32_t id = sl__keytab_find(&j->tab, j->pkv, pr, j->hashes[j->pi]);
                    if (id != UINT32_MAX) j->chain = j->first[id];
                }
            }
            if (j->chain == NONE || (semi_like && !j->cond && j->pmatched[j->pi])) {
                j->pi++;
                j->pi_started = false;
                continue;
            }
            if (semi_like && !j->cond) {
                j->pmatched[j->pi] = 1; /* a key match is enough */
                j->chain = NONE;
                continue;
            }
            j->prow[j->pairs.n] = j->pi;
            add_pair(j, in, pr, j->chain);
            j->chain =
                j->nk == 0 ? (j->chain + 1 < j->build.n ? j->chain + 1 : NONE) : j->next[j->chain];
        }
        uint32_t n = j->pairs.n ? check_pairs(j, ex) : 0;
        if (ex->ectx.failed) return SL_OP_NEED_INPUT;
        bool more = j->pi < in->count;
        if (!more) {
            j->tail_phase = true;
            j->tail_i = 0;
        }
        if (n && !semi_like) {
            *out = sl__chunk_batch(&j->pairs);
            out->sel = j->sel;
            out->count = n;
            return SL_OP_HAVE_MORE_OUTPUT;
        }
        if (more) {
            out->count = 0;
            return SL_OP_HAVE_MORE_OUTPUT;
        }
    }
    /* tail: probe rows decided after all their pairs were seen */
    bool want_unmatched = j->type == J_LEFT || j->type == J_FULL || j->type == J_ANTI;
    bool want_matched = j->type == J_SEMI;
    if (want_unmatched || want_matched) {
        if (semi_like) {
            uint32_t n = 0;
            for (uint32_t i = 0; i < in->count; i++)
                if ((j->pmatched[i] != 0) == want_matched) j->sel[n++] = sl__batch_row(in, i);
            j->tail_phase = false;
            j->pi = 0;
            j->pi_started = false;
            *out = *in;
            out->n_cols = j->nl;
            out->sel = j->sel;
            out->count = n;
            return SL_OP_NEED_INPUT;
        }
        sl__chunk_reset(&j->pairs);
        while (j->tail_i < in->count && j->pairs.n < SL_VEC_SIZE) {
            uint32_t i = j->tail_i++;
            if (!j->pmatched[i]) {
                j->prow[j->pairs.n] = i;
                add_pair(j, in, sl__batch_row(in, i), NONE);
            }
        }
        if (j->tail_i < in->count) {
            *out = sl__chunk_batch(&j->pairs);
            return SL_OP_HAVE_MORE_OUTPUT;
        }
        *out = sl__chunk_batch(&j->pairs);
    } else {
        out->count = 0;
    }
    j->tail_phase = false;
    j->pi = 0;
    j->pi_started = false;
    return SL_OP_NEED_INPUT;
}

/* After the probe side: build rows never matched (right/full joins). */
static bool join_get(sl__op *op, sl__exec *ex, sl__batch *out) {
    join_op *j = op->impl;
    if (j->type != J_RIGHT && j->type != J_FULL) return false;
    sl__chunk_reset(&j->pairs);
    while (j->emit_b < j->build.n && j->pairs.n < SL_VEC_SIZE) {
        uint64_t g = j->emit_b++;
        if (j->matched[g]) continue;
        uint32_t o = j->pairs.n, r;
        for (uint32_t c = 0; c < j->nl; c++) sl__vec_set_null(j->pairs.cols[c], o);
        sl__chunk *bc = sl__rowstore_at(&j->build, g, &r);
        for (uint32_t c = 0; c < j->nr; c++)
            sl__vec_copy_value(j->pairs.cols[j->nl + c], o, bc->cols[c], r);
        j->pairs.n++;
    }
    if (!j->pairs.n) return false;
    *out = sl__chunk_batch(&j->pairs);
    return true;
}

static void join_rewind(sl__op *op, sl__exec *ex) {
    join_op *j = op->impl;
    /* a stream-static join keeps its build side across micro-batches, but
     * forgets which rows matched */
    if (j->matched) memset(j->matched, 0, j->build.n);
    j->emit_b = 0;
    j->pi = 0;
    j->pi_started = false;
    j->tail_phase = false;
}

static void join_destroy(sl__op *op) {
    join_op *j = op->impl;
    for (uint32_t k = 0; k < j->nk; k++) {
        sl__expr_free(j->lkeys[k]);
        sl__expr_free(j->rkeys[k]);
    }
    sl__free(j->lkeys);
    sl__free(j->rkeys);
    sl__free(j->null_safe);
    sl__expr_free(j->cond);
    sl__rowstore_free(&j->build);
    sl__keytab_free(&j->tab);
    sl__free(j->first);
    sl__free(j->next);
    sl__free(j->matched);
    sl__free(j->bcols);
    sl__free(j->kv);
    sl__free(j->pkv);
    sl__free(j->hashes);
    sl__chunk_free(&j->pairs);
    sl__free(j);
}

static void join_explain(const sl__op *op, sl__buf *out) {
    const join_op *j = op->impl;
    sl__buf_printf(out, " %s", sl__join_type_name(j->type));
    if (j->nk) {
        sl__buf_puts(out, " keys=[");
        for (uint32_t k = 0; k < j->nk; k++) {
            if (k) sl__buf_puts(out, ", ");
            sl__expr_print(j->lkeys[k], out);
            sl__buf_puts(out, j->null_safe[k] ? " <=> " : " = ");
            sl__expr_print(j->rkeys[k], out);
        }
        sl__buf_putc(out, ']');
    }
    if (j->cond) {
        sl__buf_puts(out, " cond=");
        sl__expr_print(j->cond, out);
    }
}

static const sl__op_vt join_vt = {
    "HashJoin",    join_get,    join_exec,    join_sink,
    join_finalize, join_rewind, join_destroy, join_explain,
};

sl__op *sl__op_hash_join(sl__op *left, sl__op *right, const sl__type *schema, sl__join_type type,
                         sl__expr **lkeys, sl__expr **rkeys, bool *null_safe, uint32_t nkeys,
                         sl__expr *cond) {
    join_op *j = sl__calloc(1, sizeof *j);
    j->type = type == J_CROSS ? J_INNER : type;
    j->lkeys = lkeys;
    j->rkeys = rkeys;
    j->null_safe = null_safe ? null_safe : sl__calloc(nkeys ? nkeys : 1, sizeof(bool));
    j->nk = nkeys;
    j->cond = cond;
    j->nl = left->schema->n_fields;
    j->nr = right->schema->n_fields;
    uint32_t nb = j->nr + nkeys;
    const char **names = sl__malloc(sizeof *names * (nb ? nb : 1));
    const sl__type **types = sl__malloc(sizeof *types * (nb ? nb : 1));
    for (uint32_t i = 0; i < nb; i++) {
        names[i] = sl__sprintf("c%u", i);
        types[i] = i < j->nr ? right->schema->fields[i] : rkeys[i - j->nr]->type;
    }
    sl__rowstore_init(&j->build, sl__type_struct(nb, names, types, NULL));
    for (uint32_t i = 0; i < nb; i++) sl__free((char *)names[i]);
    sl__free(names);
    const sl__type **kt = sl__malloc(sizeof *kt * (nkeys ? nkeys : 1));
    for (uint32_t k = 0; k < nkeys; k++) kt[k] = rkeys[k]->type;
    sl__keytab_init(&j->tab, nkeys, kt);
    sl__free(kt);
    sl__free(types);
    j->bcols = sl__calloc(nb ? nb : 1, sizeof *j->bcols);
    j->kv = sl__calloc(nkeys ? nkeys : 1, sizeof *j->kv);
    j->pkv = sl__calloc(nkeys ? nkeys : 1, sizeof *j->pkv);
    j->hashes = sl__malloc(sizeof *j->hashes * SL_VEC_SIZE);
    /* pairs: left + right columns (semi/anti use it for the condition only) */
    uint32_t np = j->nl + j->nr;
    const char **pn = sl__malloc(sizeof *pn * (np ? np : 1));
    const sl__type **pt = sl__malloc(sizeof *pt * (np ? np : 1));
    for (uint32_t i = 0; i < np; i++) {
        pn[i] = sl__sprintf("c%u", i);
        pt[i] = i < j->nl ? left->schema->fields[i] : right->schema->fields[i - j->nl];
    }
    sl__chunk_init(&j->pairs, sl__type_struct(np, pn, pt, NULL), SL_VEC_SIZE);
    for (uint32_t i = 0; i < np; i++) sl__free((char *)pn[i]);
    sl__free(pn);
    sl__free(pt);
    sl__op *op = sl__op_new(&join_vt, schema, j);
    op->child[0] = left;
    op->child[1] = right;
    return op;
}
