/*
 * memory.c — the memory sink: the query's output becomes a table named
 * after the query, queryable with plain SQL while the query runs (R10). In
 * complete mode each batch replaces the table; in append and update mode
 * batches accumulate (R47). Readers always see whole batches: each batch is
 * one new immutable snapshot swapped in under the catalog lock (catalog.h).
 *
 * Unlike Spark's, the table is bounded (option maxRows, default 1,000,000):
 * past the cap the oldest batches are dropped, the drop is counted in the
 * progress record's sink metrics, and a warning is printed once.
 */
#include "stream/stream.h"

typedef struct memsink {
    sl__table *t; /* a reference */
    int64_t max_rows;
    uint64_t dropped;
    bool warned;
} memsink;

sl_status sl__snk_memory_check(const sl__kv *opts, uint32_t n, sl__err *err);
sl_status sl__snk_memory_check(const sl__kv *opts, uint32_t n, sl__err *err) {
    int64_t x;
    if (!sl__opt_int(opts, n, "maxRows", 1000000, 1, INT64_MAX, &x, err)) return err->code;
    return SL_OK;
}

static sl_status memory_open(sl__sink *k, sl__err *err) {
    memsink *m = sl__calloc(1, sizeof *m);
    sl__opt_int(k->opts, k->n_opts, "maxRows", 1000000, 1, INT64_MAX, &m->max_rows, err);
    m->t = sl__catalog_get(&k->session->cat, k->query_name);
    if (!m->t) {
        sl__free(m);
        return sl__err_set(err, SL_ERR_INTERNAL, -1, "memory table '%s' is missing", k->query_name);
    }
    k->impl = m;
    return SL_OK;
}

static sl_status memory_write(sl__sink *k, sl__sink_batch *b, sl__err *err) {
    (void)err;
    memsink *m = k->impl;
    sl__catalog *cat = &k->session->cat;
    sl__tabdata *add = sl__tabdata_new(b->chunks, b->n_chunks, b->rows);
    b->chunks = NULL; /* taken */
    b->n_chunks = 0;
    sl__tabdata *next;
    if (b->mode == SL_MODE_COMPLETE) {
        next = add;
    } else {
        sl__tabdata *old = sl__table_data(cat, m->t);
        next = sl__tabdata_append(old, add);
        sl__tabdata_unref(old);
        sl__tabdata_unref(add);
        if ((int64_t)next->rows > m->max_rows) {
            sl__tabdata *cut = sl__tabdata_tail(next, (uint64_t)m->max_rows);
            m->dropped += next->rows - cut->rows;
            sl__tabdata_unref(next);
            next = cut;
            if (!m->warned) {
                m->warned = true;
                char msg[256];
                int len = snprintf(msg, sizeof msg,
                                   "warning: memory table %s reached maxRows %lld; its oldest rows "
                                   "are dropped from now on\n",
                                   k->query_name, (long long)m->max_rows);
                sl__session_output(k->session, msg, (size_t)len);
            }
        }
    }
    sl__table_set_data(cat, m->t, next);
    return SL_OK;
}

static void memory_describe(const sl__sink *k, sl__buf *out) {
    (void)k;
    sl__buf_puts(out, "MemorySink");
}

static void memory_close(sl__sink *k) {
    memsink *m = k->impl;
    if (!m) return;
    sl__table_unref(m->t);
    sl__free(m);
    k->impl = NULL;
}

uint64_t sl__snk_memory_dropped(const sl__sink *k);
uint64_t sl__snk_memory_dropped(const sl__sink *k) {
    const memsink *m = k->impl;
    return m ? m->dropped : 0;
}

const sl__sink_vt sl__snk_memory_vt = {
    "memory", memory_open, memory_write, memory_describe, memory_close,
};
