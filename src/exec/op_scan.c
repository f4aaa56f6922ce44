/*
 * op_scan.c — a source over an immutable table snapshot (catalog tables,
 * memory-sink tables, loaded file tables). It holds a reference on the
 * snapshot, so a concurrent writer swapping in new rows does not disturb a
 * running scan (catalog.h), and hands out the snapshot's chunks as borrowed
 * batches: no copy.
 */
#include "exec/ops.h"
#include "main/catalog.h"

typedef struct scan_op {
    sl__tabdata *data; /* one reference */
    uint32_t seg, next;
} scan_op;

static bool scan_get(sl__op *op, sl__exec *ex, sl__batch *out) {
    scan_op *s = op->impl;
    while (s->data && s->seg < s->data->n_segs) {
        sl__segment *g = s->data->segs[s->seg];
        if (s->next >= g->n_chunks) {
            s->seg++;
            s->next = 0;
            continue;
        }
        sl__chunk *c = &g->chunks[s->next++];
        if (!c->n) continue;
        *out = sl__chunk_batch(c);
        return true;
    }
    return false;
}

static void scan_rewind(sl__op *op, sl__exec *ex) {
    scan_op *s = op->impl;
    s->seg = s->next = 0;
}

static void scan_destroy(sl__op *op) {
    scan_op *s = op->impl;
    sl__tabdata_unref(s->data);
    sl__free(s);
}

static void scan_explain(const sl__op *op, sl__buf *out) {
    const scan_op *s = op->impl;
    sl__buf_printf(out, " rows=%llu", (unsigned long long)(s->data ? s->data->rows : 0));
}

static const sl__op_vt scan_vt = {
    "Scan", scan_get, NULL, NULL, NULL, scan_rewind, scan_destroy, scan_explain,
};

sl__op *sl__op_scan(const sl__type *schema, sl__tabdata *data) {
    scan_op *s = sl__calloc(1, sizeof *s);
    s->data = data;
    return sl__op_new(&scan_vt, schema, s);
}
