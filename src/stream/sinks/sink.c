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

/* The options each sink reads, after those of every query: a misspelt key
 * (`triger`) is an error rather than a silently ignored setting. */
static const char *const query_opts[] = {"outputMode",   "trigger",     "checkpointLocation",
                                         "lateRowsPath", "idleTimeout", NULL};
static const char *const console_opts[] = {"numRows", "truncate", NULL};
static const char *const memory_opts[] = {"maxRows", NULL};
static const char *const files_opts[] = {
    "path",   "format",    "header",     "sep",      "delimiter",         "quote",
    "escape", "nullValue", "emptyValue", "quoteAll", "maxRecordsPerFile", NULL};

static bool listed(const char *const *names, const char *key) {
    for (; *names; names++)
        if (strcasecmp(*names, key) == 0) return true;
    return false;
}

static sl_status check_keys(const char *kind, const char *const *own, const sl__kv *opts,
                            uint32_t n, sl__err *err) {
    for (uint32_t i = 0; i < n; i++) {
        if (listed(query_opts, opts[i].key) || listed(own, opts[i].key)) continue;
        sl__buf b = SL_BUF_INIT;
        for (const char *const *p = query_opts; *p; p++) sl__buf_printf(&b, "%s, ", *p);
        for (const char *const *p = own; *p; p++) sl__buf_printf(&b, "%s%s", *p, p[1] ? ", " : "");
        sl__err_set(err, SL_ERR_ANALYSIS, -1, "unknown option '%s' for a %s query (known: %s)",
                    opts[i].key, kind, b.p);
        sl__buf_free(&b);
        return err->code;
    }
    return SL_OK;
}

sl_status sl__sink_check(const char *kind, const sl__kv *opts, uint32_t n_opts, sl__out_mode mode,
                         const char *query_name, sl__err *err) {
    (void)query_name;
    const sl__sink_vt *vt = find(kind);
    if (!vt)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "unknown sink '%s' (use console, memory or files)", kind);
    const char *const *own = vt == &sl__snk_console_vt  ? console_opts
                             : vt == &sl__snk_memory_vt ? memory_opts
                                                        : files_opts;
    if (check_keys(vt->kind, own, opts, n_opts, err) != SL_OK) return err->code;
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
