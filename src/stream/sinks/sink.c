/*
 * sink.c — what all sinks share: the kind dispatch used by START QUERY, and
 * the sink × output mode checks of Spark's §6.1 matrix that do not belong to
 * one sink (unknown kinds, Kafka not available here).
 */
#include "stream/stream.h"
#include <strings.h>

sl_status sl__snk_files_check(const sl__kv *opts, uint32_t n, sl__out_mode mode, sl__err *err);
sl_status sl__snk_console_check(const sl__kv *opts, uint32_t n, sl__err *err);
sl_status sl__snk_memory_check(const sl__kv *opts, uint32_t n, sl__err *err);

static const sl__sink_vt *find(const char *kind) {
    if (strcasecmp(kind, "console") == 0) return &sl__snk_console_vt;
    if (strcasecmp(kind, "memory") == 0) return &sl__snk_memory_vt;
    if (strcasecmp(kind, "files") == 0 || strcasecmp(kind, "file") == 0 ||
        strcasecmp(kind, "json") == 0 || strcasecmp(kind, "csv") == 0)
        return &sl__snk_files_vt;
    return NULL;
}

sl_status sl__sink_check(const char *kind, const sl__kv *opts, uint32_t n_opts, sl__out_mode mode,
                         const char *query_name, sl__err *err) {
    (void)query_name;
    const sl__sink_vt *vt = find(kind);
    if (!vt)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "unknown sink '%s' (use console, memory or files)", kind);
    if (vt == &sl__snk_console_vt) return sl__snk_console_check(opts, n_opts, err);
    if (vt == &sl__snk_memory_vt) return sl__snk_memory_check(opts, n_opts, err);
    return sl__snk_files_check(opts, n_opts, mode, err);
}

sl__sink *sl__sink_create(const char *kind, sl_session *s, const char *query_name,
                          const sl__kv *opts, uint32_t n_opts, sl__err *err) {
    const sl__sink_vt *vt = find(kind);
    if (!vt) {
        sl__err_set(err, SL_ERR_ANALYSIS, -1, "unknown sink '%s'", kind);
        return NULL;
    }
    sl__sink *k = sl__calloc(1, sizeof *k);
    k->vt = vt;
    k->session = s;
    k->query_name = query_name;
    k->opts = opts;
    k->n_opts = n_opts;
    return k;
}

void sl__sink_close(sl__sink *k) {
    if (!k || k->closed) return;
    k->closed = true;
    if (k->vt->close) k->vt->close(k);
}

void sl__sink_free(sl__sink *k) {
    if (!k) return;
    sl__sink_close(k);
    sl__free(k);
}

const char *sl__out_mode_name(sl__out_mode m) {
    switch (m) {
    case SL_MODE_APPEND: return "append";
    case SL_MODE_UPDATE: return "update";
    case SL_MODE_COMPLETE: return "complete";
    }
    return "?";
}
