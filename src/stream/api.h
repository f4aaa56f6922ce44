/*
 * api.h — what the session asks of the stream layer: executing the
 * streaming statements (CREATE STREAM, START / STOP / AWAIT QUERY, SHOW
 * QUERIES / STREAMS / PROGRESS, DESCRIBE QUERY, EXPLAIN START QUERY) and
 * owning the session's running queries.
 */
#ifndef SL_STREAM_API_H
#define SL_STREAM_API_H

#include "main/session.h"

typedef struct sl__streams sl__streams;

sl__streams *sl__streams_new(sl_session *s);
/* Stops every query, then frees. */
void sl__streams_free(sl__streams *ss);
/* Executes a streaming statement; NULL with err set on failure. */
sl_result *sl__streams_exec(sl__streams *ss, sl_session *s, const sl__stmt *st, const char *src,
                            sl__err *err);
sl_result *sl__streams_explain(sl__streams *ss, sl_session *s, const sl__stmt *st, const char *src,
                               sl__err *err);
/* Is the stream read by a running query? */
bool sl__streams_in_use(sl__streams *ss, const sl__table *stream);

/* INSERT INTO a stream: appends the result's rows to a memory stream. */
sl_status sl__streams_insert(sl__table *stream, const sl_result *rows, sl__err *err);

/* The session's query clock (real, or manual with sluice.clock = manual). */
struct sl__clock *sl__streams_clock(sl__streams *ss);
/* The newest query of that name, as a new reference (sl__sq_unref), or NULL. */
struct sl__sq *sl__streams_find(sl__streams *ss, const char *name);

#endif
