/*
 * op_sort.c — ORDER BY: a breaker that keeps its input rows, together with
 * the evaluated sort keys, in a row store; sorts row numbers with a stable
 * merge sort; and emits the rows in order. NULLs sort first in ascending and
 * last in descending order unless NULLS FIRST/LAST says otherwise (Spark's
 * default).
 *
 * Top-N: with a limit (ORDER BY ... LIMIT n), whenever more than
 * max(2n, one vector) rows are held, the store is sorted and cut back to n
 * rows, so memory stays proportional to n, not to the input.
 */
#include "exec/ops.h"
#include "exec/rowstore.h"
#include "func/kernel.h"

typedef struct sort_op {
    sl__expr **keys; /* owned */
    bool *desc, *nulls_first;
    uint32_t nk;
    int64_t limit;
    uint32_t n_in; /* input columns (the store holds input + keys) */
    const sl__type *store_schema;
    sl__rowstore store;
    uint64_t *order; /* sorted row numbers */
    uint64_t n_order, emit;
    sl__chunk out;
    sl__vec **cols; /* scratch: input + key vectors of a batch */
} sort_op;

static int cmp_rows(const sort_op *s, uint64_t a, uint64_t b) {
    uint32_t ra, rb;
    const sl__chunk *ca = sl__rowstore_at(&s->store, a, &ra);
    const sl__chunk *cb = sl__rowstore_at(&s->store, b, &rb);
    for (uint32_t k = 0; k < s->nk; k++) {
        const sl__vec *va = ca->cols[s->n_in + k], *vb = cb->cols[s->n_in + k];
        bool na = !sl__vec_valid(va, ra), nb = !sl__vec_valid(vb, rb);
        if (na || nb) {
            if (na && nb) continue;
            int c = na ? -1 : 1; /* NULL first */
            return s->nulls_first[k] ? c : -c;
        }
        int c = sl__value_cmp(va, ra, vb, rb);
        if (c) return s->desc[k] ? -c : c;
    }
    return 0;
}

static void merge_sort(const sort_op *s, uint64_t *v, uint64_t *tmp, uint64_t n) {
    if (n < 2) return;
    if (n <= 16) {
        for (uint64_t i = 1; i < n; i++) {
            uint64_t x = v[i], j = i;
            while (j > 0 && cmp_rows(s, v[j - 1], x) > 0) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return;
    }
    uint64_t h = n / 2;
    merge_sort(s, v, tmp, h);
    merge_sort(s, v + h, tmp, n - h);
    if (cmp_rows(s, v[h - 1], v[h]) <= 0) return;
    uint64_t i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = cmp_rows(s, v[j], v[i]) < 0 ? v[j++] : v[i++];
    while (i < h) tmp[k++] = v[i++];
    while (j < n) tmp[k++] = v[j++];
    memcpy(v, tmp, sizeof *v * n);
}

static void sort_all(sort_op *s) {
    sl__free(s->order);
    s->n_order = s->store.n;
    s->order = sl__malloc(sizeof *s->order * (s->n_order ? s->n_order : 1));
    for (uint64_t i = 0; i < s->n_order; i++) s->order[i] = i;
    uint64_t *tmp = sl__malloc(sizeof *tmp * (s->n_order ? s->n_order : 1));
    merge_sort(s, s->order, tmp, s->n_order);
    sl__free(tmp);
    if (s->limit >= 0 && (int64_t)s->n_order > s->limit) s->n_order = (uint64_t)s->limit;
}

/* Top-N: keep only the first `limit` rows, in order. */
static void compact(sort_op *s) {
    sort_all(s);
    sl__rowstore next;
    sl__rowstore_init(&next, s->store_schema);
    for (uint64_t i = 0; i < s->n_order; i++) {
        uint32_t r;
        sl__chunk *c = sl__rowstore_at(&s->store, s->order[i], &r);
        sl__rowstore_append(&next, c->cols, r);
    }
    sl__rowstore_free(&s->store);
    s->store = next;
    sl__free(s->order);
    s->order = NULL;
    s->n_order = 0;
}

static void sort_sink(sl__op *op, sl__exec *ex, const sl__batch *in) {
    sort_op *s = op->impl;
    for (uint32_t i = 0; i < s->n_in; i++) s->cols[i] = in->cols[i];
    for (uint32_t k = 0; k < s->nk; k++) {
        s->cols[s->n_in + k] = sl__expr_eval(s->keys[k], &ex->ectx, in);
        if (ex->ectx.failed) return;
    }
    for (uint32_t i = 0; i < in->count; i++)
        sl__rowstore_append(&s->store, s->cols, sl__batch_row(in, i));
    /* compact when twice the rows kept have piled up (limit may be huge) */
    if (s->limit >= 0 && s->limit <= INT64_MAX / 2 &&
        s->store.n > (uint64_t)SL_MAX(2 * s->limit, SL_VEC_SIZE))
        compact(s);
}

static void sort_finalize(sl__op *op, sl__exec *ex) {
    sort_op *s = op->impl;
    sort_all(s);
    s->emit = 0;
}

static bool sort_get(sl__op *op, sl__exec *ex, sl__batch *outb) {
    sort_op *s = op->impl;
    if (s->emit >= s->n_order) return false;
    sl__chunk_reset(&s->out);
    uint32_t n = (uint32_t)SL_MIN((uint64_t)SL_VEC_SIZE, s->n_order - s->emit);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r;
        sl__chunk *c = sl__rowstore_at(&s->store, s->order[s->emit + i], &r);
        for (uint32_t k = 0; k < s->n_in; k++) sl__vec_copy_value(s->out.cols[k], i, c->cols[k], r);
    }
    s->out.n = n;
    s->emit += n;
    *outb = sl__chunk_batch(&s->out);
    return true;
}

static void sort_rewind(sl__op *op, sl__exec *ex) {
    sort_op *s = op->impl;
    sl__rowstore_free(&s->store);
    sl__rowstore_init(&s->store, s->store_schema);
    sl__free(s->order);
    s->order = NULL;
    s->n_order = s->emit = 0;
}

static void sort_destroy(sl__op *op) {
    sort_op *s = op->impl;
    for (uint32_t k = 0; k < s->nk; k++) sl__expr_free(s->keys[k]);
    sl__free(s->keys);
    sl__free(s->desc);
    sl__free(s->nulls_first);
    sl__rowstore_free(&s->store);
    sl__free(s->order);
    sl__chunk_free(&s->out);
    sl__free(s->cols);
    sl__free(s);
}

static void sort_explain(const sl__op *op, sl__buf *out) {
    const sort_op *s = op->impl;
    sl__buf_puts(out, " [");
    for (uint32_t k = 0; k < s->nk; k++) {
        if (k) sl__buf_puts(out, ", ");
        sl__expr_print(s->keys[k], out);
        sl__buf_printf(out, " %s NULLS %s", s->desc[k] ? "DESC" : "ASC",
                       s->nulls_first[k] ? "FIRST" : "LAST");
    }
    sl__buf_putc(out, ']');
    if (s->limit >= 0) sl__buf_printf(out, " top=%lld", (long long)s->limit);
}

static const sl__op_vt sort_vt = {
    "Sort", sort_get, NULL, sort_sink, sort_finalize, sort_rewind, sort_destroy, sort_explain,
};

sl__op *sl__op_sort(sl__op *child, sl__expr **keys, bool *desc, bool *nulls_first, uint32_t n,
                    int64_t limit) {
    sort_op *s = sl__calloc(1, sizeof *s);
    s->keys = keys;
    s->desc = desc;
    s->nulls_first = nulls_first;
    s->nk = n;
    s->limit = limit;
    const sl__type *in = child->schema;
    s->n_in = in->n_fields;
    uint32_t nt = s->n_in + n;
    const char **names = sl__malloc(sizeof *names * (nt ? nt : 1));
    const sl__type **types = sl__malloc(sizeof *types * (nt ? nt : 1));
    for (uint32_t i = 0; i < s->n_in; i++) {
        names[i] = in->names[i];
        types[i] = in->fields[i];
    }
    char buf[32][16];
    for (uint32_t k = 0; k < n; k++) {
        snprintf(buf[k % 32], sizeof buf[0], "__key%u", k);
        names[s->n_in + k] = sl__strdup(buf[k % 32]);
        types[s->n_in + k] = keys[k]->type;
    }
    /* names must be unique per struct: input names may repeat; build with
     * positional names instead */
    const char **pos = sl__malloc(sizeof *pos * (nt ? nt : 1));
    for (uint32_t i = 0; i < nt; i++) pos[i] = sl__sprintf("c%u", i);
    s->store_schema = sl__type_struct(nt, pos, types, NULL);
    for (uint32_t i = 0; i < nt; i++) sl__free((char *)pos[i]);
    sl__free(pos);
    for (uint32_t k = 0; k < n; k++) sl__free((char *)names[s->n_in + k]);
    sl__free(names);
    sl__free(types);
    sl__rowstore_init(&s->store, s->store_schema);
    sl__chunk_init(&s->out, in, SL_VEC_SIZE);
    s->cols = sl__calloc(nt ? nt : 1, sizeof *s->cols);
    sl__op *op = sl__op_new(&sort_vt, in, s);
    op->child[0] = child;
    return op;
}
