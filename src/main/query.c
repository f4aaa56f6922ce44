/*
 * query.c — the public sl_query handle (sluice.h) over the stream layer's
 * running queries (stream/query.h), and the manual clock.
 */
#include "main/session.h"
#include "stream/api.h"
#include "stream/query.h"

struct sl_query {
    sl__sq *q; /* one reference */
};

sl_status sl_session_query(sl_session *s, const char *name, sl_query **out) {
    if (!s || !name || !out) return SL_ERR_MISUSE;
    sl__sq *q = sl__streams_find(s->streams, name);
    if (!q) {
        s->err.code = SL_ERR_ANALYSIS;
        s->err.offset = -1;
        snprintf(s->errmsg, sizeof s->errmsg, "no query named %s", name);
        snprintf(s->err.msg, sizeof s->err.msg, "no query named %s", name);
        return SL_ERR_ANALYSIS;
    }
    sl_query *h = sl__calloc(1, sizeof *h);
    h->q = q;
    *out = h;
    return SL_OK;
}

void sl_query_release(sl_query **h) {
    if (!h || !*h) return;
    sl__sq_unref((*h)->q);
    sl__free(*h);
    *h = NULL;
}

const char *sl_query_name(const sl_query *h) {
    return h ? sl__sq_name(h->q) : NULL;
}

const char *sl_query_id(const sl_query *h) {
    return h ? sl__sq_id(h->q) : NULL;
}

const char *sl_query_run_id(const sl_query *h) {
    return h ? sl__sq_run_id(h->q) : NULL;
}

bool sl_query_is_active(sl_query *h) {
    if (!h) return false;
    sl__sq_state s = sl__sq_state_of(h->q);
    return s == SQ_ACTIVE || s == SQ_INITIALIZING;
}

sl_status sl_query_stop(sl_query *h) {
    if (!h) return SL_ERR_MISUSE;
    sl__sq_stop(h->q);
    return SL_OK;
}

sl_status sl_query_await(sl_query *h, int64_t timeout_ms, bool *terminated) {
    if (!h) return SL_ERR_MISUSE;
    bool t = sl__sq_await(h->q, timeout_ms < 0 ? -1 : timeout_ms * 1000, NULL);
    if (terminated) *terminated = t;
    return t ? sl__sq_error_code(h->q) : SL_OK;
}

sl_status sl_query_process_all_available(sl_query *h, int64_t timeout_ms) {
    if (!h) return SL_ERR_MISUSE;
    return sl__sq_process_all_available(h->q, timeout_ms < 0 ? -1 : timeout_ms * 1000, NULL)
               ? SL_OK
               : SL_ERR_CANCELLED;
}

const char *sl_query_exception(sl_query *h) {
    return h ? sl__sq_error(h->q) : NULL;
}

char *sl_query_status_json(sl_query *h) {
    return h ? sl__sq_status_json(h->q) : NULL;
}

char *sl_query_last_progress_json(sl_query *h) {
    return h ? sl__sq_last_progress(h->q) : NULL;
}

char *sl_query_recent_progress_json(sl_query *h) {
    if (!h) return NULL;
    uint32_t n;
    char **recs = sl__sq_recent_progress(h->q, 0, &n);
    sl__buf b = SL_BUF_INIT;
    sl__buf_puts(&b, "[ ");
    for (uint32_t i = 0; i < n; i++) {
        if (i) sl__buf_puts(&b, ", ");
        sl__buf_puts(&b, recs[i]);
        sl__free(recs[i]);
    }
    sl__buf_puts(&b, " ]");
    sl__free(recs);
    return sl__buf_take(&b);
}

sl_status sl_session_advance_clock(sl_session *s, int64_t us) {
    if (!s || us < 0) return SL_ERR_MISUSE;
    struct sl__clock *c = sl__streams_clock(s->streams);
    if (!sl__clock_is_manual(c)) return SL_ERR_MISUSE;
    sl__clock_advance(c, us);
    return SL_OK;
}
