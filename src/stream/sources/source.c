/*
 * source.c — what all sources share: the kind dispatch for CREATE STREAM
 * (sl__source_define) and for a starting query (sl__source_create), row
 * sets (the rows of one micro-batch), and option parsing helpers.
 */
#include "stream/stream.h"
#include <ctype.h>
#include <strings.h>

static const sl__source_vt *const kinds[] = {
    &sl__src_memory_vt, &sl__src_socket_vt,           &sl__src_files_vt,
    &sl__src_rate_vt,   &sl__src_rate_micro_batch_vt,
};

static const sl__source_vt *find_kind(const char *kind) {
    for (size_t i = 0; i < SL_ARRAY_LEN(kinds); i++)
        if (strcasecmp(kinds[i]->kind, kind) == 0) return kinds[i];
    /* Spark's name for a file source is its format */
    if (strcasecmp(kind, "json") == 0 || strcasecmp(kind, "csv") == 0 ||
        strcasecmp(kind, "text") == 0 || strcasecmp(kind, "file") == 0)
        return &sl__src_files_vt;
    return NULL;
}

sl_status sl__source_define(const char *kind, const sl__kv *opts, uint32_t n_opts,
                            const sl__type *declared, const sl__type **schema, sl__err *err) {
    const sl__source_vt *vt = find_kind(kind);
    if (!vt)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "unknown stream source '%s' (use socket, files, rate or memory)", kind);
    if (vt == &sl__src_memory_vt) return sl__src_memory_define(opts, n_opts, declared, schema, err);
    if (vt == &sl__src_socket_vt) return sl__src_socket_define(opts, n_opts, declared, schema, err);
    if (vt == &sl__src_rate_vt) return sl__src_rate_define(opts, n_opts, declared, schema, err);
    if (vt == &sl__src_rate_micro_batch_vt)
        return sl__src_rate_micro_batch_define(opts, n_opts, declared, schema, err);
    return sl__src_files_define(kind, opts, n_opts, declared, schema, err);
}

sl__source *sl__source_create(sl__table *stream, sl__clock *clock, sl__err *err) {
    const sl__source_vt *vt = find_kind(stream->format);
    if (!vt) {
        sl__err_set(err, SL_ERR_INTERNAL, -1, "stream '%s' has no source kind", stream->name);
        return NULL;
    }
    sl__source *s = sl__calloc(1, sizeof *s);
    s->vt = vt;
    s->schema = stream->schema;
    s->clock = clock;
    s->def = sl__table_ref(stream);
    s->initial = -1;
    return s;
}

void sl__source_close(sl__source *s) {
    if (!s || s->closed) return;
    s->closed = true;
    if (s->vt->close) s->vt->close(s);
}

void sl__source_free(sl__source *s) {
    if (!s) return;
    sl__source_close(s);
    sl__table_unref((sl__table *)s->def);
    sl__free(s);
}

/* ---- row sets ------------------------------------------------------------------ */

void sl__rowset_clear(sl__rowset *rs) {
    for (uint32_t i = 0; i < rs->n_chunks; i++) sl__chunk_free(&rs->chunks[i]);
    sl__free(rs->chunks);
    sl__badrec_free(&rs->bad_kept);
    memset(rs, 0, sizeof *rs);
}

bool sl__source_keeps_bad(const sl__source *s) {
    return sl__opt(s->def->options, s->def->n_options, "badRecordsPath") != NULL;
}

sl__chunk *sl__rowset_tail(sl__rowset *rs, const sl__type *schema) {
    if (rs->n_chunks && rs->chunks[rs->n_chunks - 1].n < SL_VEC_SIZE)
        return &rs->chunks[rs->n_chunks - 1];
    if (rs->n_chunks == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 4;
        rs->chunks = sl__realloc(rs->chunks, sizeof *rs->chunks * rs->cap);
    }
    sl__chunk *c = &rs->chunks[rs->n_chunks++];
    sl__chunk_init(c, schema, SL_VEC_SIZE);
    return c;
}

/* ---- options ------------------------------------------------------------------- */

const char *sl__opt(const sl__kv *opts, uint32_t n, const char *key) {
    for (uint32_t i = n; i-- > 0;)
        if (strcasecmp(opts[i].key, key) == 0) return opts[i].value;
    return NULL;
}

bool sl__opt_bool(const sl__kv *opts, uint32_t n, const char *key, bool def, bool *out,
                  sl__err *err) {
    const char *v = sl__opt(opts, n, key);
    if (!v) {
        *out = def;
        return true;
    }
    if (strcasecmp(v, "true") == 0)
        *out = true;
    else if (strcasecmp(v, "false") == 0)
        *out = false;
    else {
        sl__err_set(err, SL_ERR_ANALYSIS, -1, "option %s must be true or false, got '%s'", key, v);
        return false;
    }
    return true;
}

bool sl__opt_int(const sl__kv *opts, uint32_t n, const char *key, int64_t def, int64_t lo,
                 int64_t hi, int64_t *out, sl__err *err) {
    const char *v = sl__opt(opts, n, key);
    if (!v) {
        *out = def;
        return true;
    }
    char *end;
    long long x = strtoll(v, &end, 10);
    while (*end && isspace((unsigned char)*end)) end++;
    if (end == v || *end || x < lo || x > hi) {
        sl__err_set(err, SL_ERR_ANALYSIS, -1,
                    "option %s must be an integer from %lld to %lld, got '%s'", key, (long long)lo,
                    (long long)hi, v);
        return false;
    }
    *out = x;
    return true;
}
