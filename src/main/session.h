/*
 * session.h — what the API layer's files share: the session, its settings
 * and the result object. Private to src/main.
 */
#ifndef SL_SESSION_H
#define SL_SESSION_H

#include "main/catalog.h"
#include "sql/ast.h"
#include <pthread.h>

/* Session settings: SET key = value. */
typedef struct sl__conf {
    sl__kv *kv;
    uint32_t n, cap;
} sl__conf;

const char *sl__conf_get(const sl__conf *c, const char *key);
void sl__conf_set(sl__conf *c, const char *key, const char *value);
bool sl__conf_unset(sl__conf *c, const char *key);
void sl__conf_free(sl__conf *c);
void sl__conf_copy(sl__conf *dst, const sl__conf *src);
/* Checks and normalises a value for a known key; false with a message. */
bool sl__conf_validate(const char *key, const char *value, char *norm, size_t norm_cap, char *msg,
                       size_t msg_cap);

struct sl_config {
    sl__conf conf;
};

struct sl_session {
    sl__catalog cat;
    sl__conf conf;
    sl__err err;            /* last error (offset relative to the caller's text) */
    char errmsg[1200];      /* "line L:C: message" */
    volatile int interrupt; /* set by sl_session_interrupt */
    pthread_mutex_t out_mu; /* serialises session output */
    sl_write_fn out_fn;
    void *out_ud;
    void *streams; /* the stream layer's per-session state (queries) */
};

struct sl_result {
    const sl__type *schema;
    sl__chunk *chunks; /* owned; every chunk but the last holds SL_VEC_SIZE rows */
    uint32_t n_chunks;
    uint64_t rows;
    uint64_t bad_records;
    const struct sl__tz *tz; /* session zone when the result was made (NULL: UTC) */
};

/* A result over owned chunks (taken). */
sl_result *sl__result_new(const sl__type *schema, sl__chunk *chunks, uint32_t n_chunks,
                          uint64_t rows);

/* Builds small results row by row (SHOW, DESCRIBE, SET): all columns are
 * given as text or NULL and converted to the schema's types. */
typedef struct sl__result_builder {
    const sl__type *schema;
    sl__chunk *chunks;
    uint32_t n_chunks, cap;
    uint64_t rows;
} sl__result_builder;

void sl__rb_init(sl__result_builder *b, uint32_t n, const char *const *names,
                 const sl__type *const *types);
/* Appends a row; values[i] NULL means SQL NULL. Text is parsed for non-string
 * columns (BOOLEAN "true"/"false", integers). */
void sl__rb_row(sl__result_builder *b, const char *const *values);
sl_result *sl__rb_finish(sl__result_builder *b);

/* The session time zone (spark.sql.session.timeZone), never NULL. */
const struct sl__tz *sl__session_tz(const sl_session *s);
/* Its offset from UTC now (for code that only handles fixed offsets). */
int64_t sl__session_tz_offset(const sl_session *s);
/* Writes text to the session's output (serialised). */
void sl__session_output(sl_session *s, const char *data, size_t len);

#endif
