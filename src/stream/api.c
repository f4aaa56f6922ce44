/*
 * api.c — entry points of the stream layer for the session (api.h). The
 * streaming runtime is the next milestone; until it lands these statements
 * are reported as not available yet, with a clear message.
 */
#include "stream/api.h"

struct sl__streams {
    sl_session *s;
};

sl__streams *sl__streams_new(sl_session *s) {
    sl__streams *ss = sl__calloc(1, sizeof *ss);
    ss->s = s;
    return ss;
}

void sl__streams_free(sl__streams *ss) {
    sl__free(ss);
}

sl_result *sl__streams_exec(sl__streams *ss, sl_session *s, const sl__stmt *st, const char *src,
                            sl__err *err) {
    (void)ss;
    (void)s;
    (void)src;
    sl__err_set(err, SL_ERR_UNSUPPORTED, st->pos,
                "streaming statements (CREATE STREAM, START QUERY, ...) are not available in this "
                "build yet");
    return NULL;
}

sl_result *sl__streams_explain(sl__streams *ss, sl_session *s, const sl__stmt *st, const char *src,
                               sl__err *err) {
    return sl__streams_exec(ss, s, st, src, err);
}

bool sl__streams_in_use(sl__streams *ss, const sl__table *stream) {
    (void)ss;
    (void)stream;
    return false;
}
