/*
 * memory.c — the memory source: a stream whose rows are pushed with
 * INSERT INTO <stream> VALUES (...) (Spark's MemoryStream). Tests drive
 * queries with it row by row; users can too. Replayable: every row pushed is
 * kept, and the offset of a row is its position (0, 1, 2, ...), so offsets
 * are the number of rows pushed.
 *
 * Design notes:
 *  1. One buffer per stream (the catalog object's stream_impl), shared by
 *     every query reading the stream; a mutex guards it, since INSERT runs on
 *     the session's thread and queries read on theirs.
 *  2. Each reading source owns a pipe; a push writes a byte to every
 *     registered pipe, so an idle query wakes at once instead of polling.
 *  3. Rows are never dropped (the stream is meant for tests and small
 *     pushes); DROP STREAM frees them, once no query's source holds the
 *     stream any more (sources keep a reference).
 *  4. A batch's rows are taken a chunk range at a time: fixed-width values
 *     and validity are copied in bulk, and STRING values point into the
 *     stream's own vectors' heaps instead of being copied — those strings
 *     never move or go away while a source holds the stream (rule 3; arena
 *     blocks do not move when later pushes add to them). Only STRUCT and
 *     ARRAY columns are deep-copied value by value.
 */
#include "stream/stream.h"
#include <fcntl.h>
#include <unistd.h>

typedef struct memstream {
    pthread_mutex_t mu;
    sl__rowset rows; /* every row ever pushed, chunks filled in order */
    int *wake;       /* write ends of the readers' pipes */
    uint32_t n_wake, cap_wake;
} memstream;

static void memstream_free(void *p) {
    memstream *m = p;
    sl__rowset_clear(&m->rows);
    sl__free(m->wake);
    pthread_mutex_destroy(&m->mu);
    sl__free(m);
}

sl_status sl__src_memory_define(const sl__kv *opts, uint32_t n, const sl__type *declared,
                                const sl__type **schema, sl__err *err) {
    (void)opts;
    (void)n;
    if (!declared)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "a memory stream needs its columns: CREATE STREAM s (a INT, b STRING) "
                           "USING memory");
    *schema = declared;
    return SL_OK;
}

/* Creates the shared buffer the first time (CREATE STREAM calls it). */
static memstream *ensure_buffer(sl__table *t) {
    if (!t->stream_impl) {
        memstream *m = sl__calloc(1, sizeof *m);
        pthread_mutex_init(&m->mu, NULL);
        t->stream_impl = m;
        t->free_impl = memstream_free;
    }
    return t->stream_impl;
}

sl_status sl__memory_stream_append(sl__table *stream, const sl__rowset *in, sl__err *err) {
    if (!stream->format || strcmp(stream->format, "memory") != 0)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "cannot INSERT INTO stream '%s': only memory streams accept rows "
                           "(CREATE STREAM ... USING memory)",
                           stream->name);
    memstream *m = ensure_buffer(stream);
    pthread_mutex_lock(&m->mu);
    for (uint32_t c = 0; c < in->n_chunks; c++) {
        const sl__chunk *src = &in->chunks[c];
        for (uint32_t r = 0; r < src->n; r++) {
            sl__chunk *dst = sl__rowset_tail(&m->rows, stream->schema);
            for (uint32_t k = 0; k < dst->n_cols; k++)
                sl__vec_copy_value(dst->cols[k], dst->n, src->cols[k], r);
            dst->n++;
            m->rows.rows++;
        }
    }
    for (uint32_t i = 0; i < m->n_wake; i++) {
        char b = 1;
        ssize_t w = write(m->wake[i], &b, 1);
        (void)w; /* a full pipe already wakes the reader */
    }
    pthread_mutex_unlock(&m->mu);
    return SL_OK;
}

typedef struct memsrc {
    memstream *m;
    int pipe[2];
} memsrc;

static sl_status mem_open(sl__source *s, sl__err *err) {
    memsrc *ms = sl__calloc(1, sizeof *ms);
    ms->m = ensure_buffer((sl__table *)s->def);
    if (pipe(ms->pipe) != 0) {
        sl__free(ms);
        return sl__err_set(err, SL_ERR_IO, -1, "cannot create a pipe");
    }
    fcntl(ms->pipe[0], F_SETFL, O_NONBLOCK);
    fcntl(ms->pipe[1], F_SETFL, O_NONBLOCK);
    pthread_mutex_lock(&ms->m->mu);
    SL_GROW(ms->m->wake, ms->m->cap_wake, ms->m->n_wake + 1);
    ms->m->wake[ms->m->n_wake++] = ms->pipe[1];
    pthread_mutex_unlock(&ms->m->mu);
    s->impl = ms;
    s->initial = -1;
    s->replayable = true;
    return SL_OK;
}

static sl_status mem_latest(sl__source *s, int64_t *end, sl__err *err) {
    (void)err;
    memsrc *ms = s->impl;
    char buf[256];
    while (read(ms->pipe[0], buf, sizeof buf) > 0) {
    }
    pthread_mutex_lock(&ms->m->mu);
    *end = (int64_t)ms->m->rows.rows; /* rows pushed so far (0 at first: batch 0 runs, R25) */
    pthread_mutex_unlock(&ms->m->mu);
    return SL_OK;
}

/* Validity bits src[r0, r0 + n) into dst[0, n); dst's bits past n are set (present), as in a
 * fresh vector. */
static void copy_bits(uint64_t *dst, const uint64_t *src, uint32_t r0, uint32_t n) {
    for (uint32_t i = 0; i < n; i += 64) {
        uint32_t bit = r0 + i, w = bit >> 6, sh = bit & 63;
        uint64_t x = src[w] >> sh;
        if (sh && (uint64_t)(w + 1) * 64 < (uint64_t)r0 + n) x |= src[w + 1] << (64 - sh);
        if (n - i < 64) x |= ~0ULL << (n - i);
        dst[i >> 6] = x;
    }
}

/* Rows [r0, r0 + n) of src into a new chunk of out (design note 4). */
static void take_range(sl__rowset *out, const sl__type *schema, const sl__chunk *src, uint32_t r0,
                       uint32_t n) {
    if (out->n_chunks == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 4;
        out->chunks = sl__realloc(out->chunks, sizeof *out->chunks * out->cap);
    }
    sl__chunk *dst = &out->chunks[out->n_chunks++];
    sl__chunk_init(dst, schema, n); /* sized to the rows: a one-row batch allocates little */
    for (uint32_t k = 0; k < dst->n_cols; k++) {
        sl__vec *d = dst->cols[k];
        const sl__vec *v = src->cols[k];
        sl_type_id id = v->type->id;
        if (id == SL_TYPE_STRUCT || id == SL_TYPE_ARRAY) {
            for (uint32_t i = 0; i < n; i++) sl__vec_copy_value(d, i, v, r0 + i);
            continue;
        }
        size_t w = sl__type_width(v->type); /* sl__str for STRING: borrowed */
        memcpy(d->data, (const char *)v->data + (size_t)r0 * w, (size_t)n * w);
        copy_bits(d->validity, v->validity, r0, n);
    }
    dst->n = n;
    out->rows += n;
}

static sl_status mem_get_batch(sl__source *s, int64_t start, int64_t end, sl__rowset *out,
                               sl__err *err) {
    (void)err;
    memsrc *ms = s->impl;
    pthread_mutex_lock(&ms->m->mu);
    for (int64_t i = start < 0 ? 0 : start; i < end;) {
        const sl__chunk *src = &ms->m->rows.chunks[i / SL_VEC_SIZE];
        uint32_t r = (uint32_t)(i % SL_VEC_SIZE);
        uint32_t n = (uint32_t)SL_MIN((int64_t)(src->n - r), end - i);
        take_range(out, s->schema, src, r, n);
        i += n;
    }
    pthread_mutex_unlock(&ms->m->mu);
    return SL_OK;
}

static void mem_commit(sl__source *s, int64_t end) {
    (void)s;
    (void)end; /* rows are kept: the stream is replayable */
}

static int mem_wait_fd(sl__source *s) {
    return ((memsrc *)s->impl)->pipe[0];
}

static void mem_describe(const sl__source *s, sl__buf *out) {
    sl__buf_printf(out, "MemoryStream[%s]", s->def->name);
}

static void mem_close(sl__source *s) {
    memsrc *ms = s->impl;
    if (!ms) return;
    pthread_mutex_lock(&ms->m->mu);
    for (uint32_t i = 0; i < ms->m->n_wake; i++)
        if (ms->m->wake[i] == ms->pipe[1]) {
            ms->m->wake[i] = ms->m->wake[--ms->m->n_wake];
            break;
        }
    pthread_mutex_unlock(&ms->m->mu);
    close(ms->pipe[0]);
    close(ms->pipe[1]);
    sl__free(ms);
    s->impl = NULL;
}

const sl__source_vt sl__src_memory_vt = {
    .kind = "memory",
    .open = mem_open,
    .latest = mem_latest,
    .get_batch = mem_get_batch,
    .commit = mem_commit,
    .wait_fd = mem_wait_fd,
    .describe = mem_describe,
    .close = mem_close,
};
