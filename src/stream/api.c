/*
 * api.c — the streaming statements (api.h): CREATE STREAM, START / STOP /
 * AWAIT QUERY, SHOW QUERIES / STREAMS / PROGRESS, DESCRIBE QUERY, EXPLAIN
 * START QUERY; and the session's set of queries and its clock.
 */
#include "stream/api.h"
#include "sql/binder.h"
#include "sql/planner.h"
#include "stream/query.h"
#include "types/interval.h"
#include "types/text.h"
#include <strings.h>

struct sl__streams {
    sl_session *s;
    pthread_mutex_t mu;
    sl__sq **q; /* every query started in the session, newest last */
    uint32_t n, cap;
    sl__clock *clock; /* made at the first START (sluice.clock decides which) */
};

sl__streams *sl__streams_new(sl_session *s) {
    sl__streams *ss = sl__calloc(1, sizeof *ss);
    ss->s = s;
    pthread_mutex_init(&ss->mu, NULL);
    return ss;
}

void sl__streams_free(sl__streams *ss) {
    if (!ss) return;
    for (uint32_t i = 0; i < ss->n; i++) sl__sq_stop(ss->q[i]);
    for (uint32_t i = 0; i < ss->n; i++) sl__sq_unref(ss->q[i]);
    sl__free(ss->q);
    sl__clock_free(ss->clock);
    pthread_mutex_destroy(&ss->mu);
    sl__free(ss);
}

sl__clock *sl__streams_clock(sl__streams *ss) {
    pthread_mutex_lock(&ss->mu);
    if (!ss->clock) {
        const char *c = sl__conf_get(&ss->s->conf, "sluice.clock");
        bool manual = c && strcasecmp(c, "manual") == 0;
        ss->clock = sl__clock_new(manual, 0);
    }
    sl__clock *c = ss->clock;
    pthread_mutex_unlock(&ss->mu);
    return c;
}

/* The newest query of that name (a new reference), or NULL. */
sl__sq *sl__streams_find(sl__streams *ss, const char *name) {
    sl__sq *found = NULL;
    pthread_mutex_lock(&ss->mu);
    for (uint32_t i = ss->n; i-- > 0;)
        if (strcasecmp(sl__sq_name(ss->q[i]), name) == 0) {
            found = sl__sq_ref(ss->q[i]);
            break;
        }
    pthread_mutex_unlock(&ss->mu);
    return found;
}

bool sl__streams_in_use(sl__streams *ss, const sl__table *stream) {
    bool used = false;
    pthread_mutex_lock(&ss->mu);
    for (uint32_t i = 0; i < ss->n && !used; i++) {
        sl__sq_state st = sl__sq_state_of(ss->q[i]);
        if ((st == SQ_ACTIVE || st == SQ_INITIALIZING) && sl__sq_reads(ss->q[i], stream))
            used = true;
    }
    pthread_mutex_unlock(&ss->mu);
    return used;
}

static sl_result *empty_result(void) {
    sl__result_builder b;
    sl__rb_init(&b, 0, NULL, NULL);
    return sl__rb_finish(&b);
}

sl_status sl__streams_insert(sl__table *stream, const sl_result *rows, sl__err *err) {
    sl__rowset rs;
    memset(&rs, 0, sizeof rs);
    rs.chunks = rows->chunks;
    rs.n_chunks = rs.cap = rows->n_chunks;
    rs.rows = rows->rows;
    return sl__memory_stream_append(stream, &rs, err);
}

/* ---- CREATE STREAM ---------------------------------------------------------- */

static sl_result *create_stream(sl__streams *ss, sl_session *s, const sl__stmt *st, sl__err *err) {
    sl__table *old = sl__catalog_get(&s->cat, st->name);
    if (old) {
        bool same = old->type == SL_OBJ_STREAM;
        sl__table_unref(old);
        if (st->if_not_exists && same) return empty_result();
        sl__err_set(err, SL_ERR_ANALYSIS, st->name_pos, "'%s' already exists (DROP %s it first)",
                    st->name, same ? "STREAM" : "it");
        return NULL;
    }
    sl__kv *opts = sl__calloc(st->n_options ? st->n_options : 1, sizeof *opts);
    for (uint32_t i = 0; i < st->n_options; i++) {
        opts[i].key = sl__strdup(st->options[i].key);
        opts[i].value = sl__strdup(st->options[i].value);
    }
    const sl__type *schema = NULL;
    if (sl__source_define(st->using_fmt, opts, st->n_options, st->schema, &schema, err) != SL_OK) {
        for (uint32_t i = 0; i < st->n_options; i++) {
            sl__free(opts[i].key);
            sl__free(opts[i].value);
        }
        sl__free(opts);
        if (err->offset < 0) err->offset = st->using_pos;
        return NULL;
    }
    sl__table *t = sl__table_new(SL_OBJ_STREAM, st->name, schema);
    t->format = sl__strdup(st->using_fmt);
    for (char *p = t->format; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
    t->options = opts;
    t->n_options = st->n_options;
    if (!sl__catalog_put(&s->cat, t, false)) {
        sl__table_unref(t);
        sl__err_set(err, SL_ERR_ANALYSIS, st->name_pos, "'%s' already exists", st->name);
        return NULL;
    }
    (void)ss;
    return empty_result();
}

/* ---- START QUERY ------------------------------------------------------------ */

bool sl__trigger_parse(const char *text, sl__trigger *out, sl__err *err) {
    memset(out, 0, sizeof *out);
    while (*text == ' ') text++;
    if (strcasecmp(text, "once") == 0) {
        out->kind = SL_TRIGGER_ONCE;
        return true;
    }
    if (strcasecmp(text, "availableNow") == 0 || strcasecmp(text, "available_now") == 0) {
        out->kind = SL_TRIGGER_AVAILABLE;
        return true;
    }
    if (strncasecmp(text, "continuous", 10) == 0) {
        sl__err_set(
            err, SL_ERR_UNSUPPORTED, -1,
            "continuous processing (trigger continuous) is not supported: sluice's micro-batches "
            "already run in microseconds; use the default trigger");
        return false;
    }
    const char *p = text;
    if (strncasecmp(p, "processingTime", 14) == 0) p += 14;
    while (*p == ' ' || *p == '=' || *p == ':') p++;
    int64_t us;
    sl__err e2;
    sl__err_clear(&e2);
    if (!sl__interval_parse(p, strlen(p), &us, &e2)) {
        sl__err_set(err, SL_ERR_ANALYSIS, -1,
                    "trigger '%s' is not valid: use a duration such as '2 seconds', 'once' or "
                    "'availableNow'",
                    text);
        return false;
    }
    if (us < 0) {
        sl__err_set(err, SL_ERR_ANALYSIS, -1, "trigger interval must not be negative");
        return false;
    }
    out->kind = us == 0 ? SL_TRIGGER_DEFAULT : SL_TRIGGER_INTERVAL;
    out->interval_us = us;
    return true;
}

static bool parse_mode(const char *v, sl__out_mode *m, sl__err *err) {
    if (!v || strcasecmp(v, "append") == 0)
        *m = SL_MODE_APPEND;
    else if (strcasecmp(v, "update") == 0)
        *m = SL_MODE_UPDATE;
    else if (strcasecmp(v, "complete") == 0)
        *m = SL_MODE_COMPLETE;
    else {
        /* R6 */
        sl__err_set(err, SL_ERR_ANALYSIS, -1,
                    "unknown output mode '%s'; accepted output modes are 'append', 'complete' and "
                    "'update'",
                    v);
        return false;
    }
    return true;
}

/* Appends key = value (copied) to an option list of the query. */
static void add_opt(sl__kv **opts, uint32_t *n, const char *key, const char *value) {
    *opts = sl__realloc(*opts, sizeof **opts * (*n + 1));
    (*opts)[*n].key = sl__strdup(key);
    (*opts)[*n].value = sl__strdup(value);
    (*n)++;
}

/* The first stateful node whose state the watermark evicts (its late rows
 * have that node's input columns), or NULL. */
static const sl__plan *evicting_node(const sl__plan *p) {
    if (p->streaming && ((p->kind == P_AGGREGATE && p->evt_key >= 0) ||
                         (p->kind == P_DEDUP && (p->evt_key >= 0 || p->evt_col >= 0))))
        return p;
    for (uint32_t i = 0; i < 2; i++)
        if (p->child[i]) {
            const sl__plan *e = evicting_node(p->child[i]);
            if (e) return e;
        }
    for (uint32_t i = 0; i < p->n_inputs; i++) {
        const sl__plan *e = evicting_node(p->inputs[i]);
        if (e) return e;
    }
    return NULL;
}

static sl_result *start_query(sl__streams *ss, sl_session *s, const sl__stmt *st, const char *src,
                              sl__err *err) {
    const char *sink_kind = st->using_fmt ? st->using_fmt : "console";
    /* R9: one active query per name */
    sl__sq *prev = sl__streams_find(ss, st->name);
    if (prev) {
        sl__sq_state state = sl__sq_state_of(prev);
        sl__sq_unref(prev);
        if (state == SQ_ACTIVE || state == SQ_INITIALIZING) {
            sl__err_set(err, SL_ERR_ANALYSIS, st->name_pos,
                        "cannot start query with name %s as a query with that name is already "
                        "active in this session (STOP QUERY %s first)",
                        st->name, st->name);
            return NULL;
        }
    }
    uint32_t n = st->n_options;
    sl__kv *opts = sl__calloc(n ? n : 1, sizeof *opts);
    for (uint32_t i = 0; i < n; i++) {
        opts[i].key = sl__strdup(st->options[i].key);
        opts[i].value = sl__strdup(st->options[i].value);
    }
    sl__out_mode mode;
    sl__trigger trig = {SL_TRIGGER_DEFAULT, 0};
    sl__plan *plan = NULL;
    /* USING json | csv: the files sink in that format */
    if (strcasecmp(sink_kind, "json") == 0 || strcasecmp(sink_kind, "csv") == 0) {
        const char *f = sl__opt(opts, n, "format");
        if (f && strcasecmp(f, sink_kind) != 0) {
            sl__err_set(err, SL_ERR_ANALYSIS, st->using_pos,
                        "USING %s writes %s files, but option format says '%s': use USING files "
                        "OPTIONS (format '%s')",
                        sink_kind, sink_kind, f, f);
            goto fail;
        }
        if (!f) add_opt(&opts, &n, "format", sink_kind);
    }
    /* R7(b): the session's checkpoint root + /<query name> when the option is absent */
    const char *cp_root = sl__conf_get(&s->conf, "spark.sql.streaming.checkpointLocation");
    if (!sl__opt(opts, n, "checkpointLocation") && cp_root && *cp_root) {
        char *cp = sl__malloc(strlen(cp_root) + strlen(st->name) + 2);
        sprintf(cp, "%s/%s", cp_root, st->name);
        add_opt(&opts, &n, "checkpointLocation", cp);
        sl__free(cp);
    }
    const char *tv = sl__opt(opts, n, "trigger");
    if (!parse_mode(sl__opt(opts, n, "outputMode"), &mode, err) ||
        (tv && !sl__trigger_parse(tv, &trig, err)))
        goto fail;
    /* the query, bound and checked before anything runs (R41) */
    sl__bind_env env;
    env.cat = &s->cat;
    env.tz = sl__conf_get(&s->conf, "spark.sql.session.timeZone");
    env.tz_offset_us = sl__session_tz_offset(s);
    env.tzinfo = sl__session_tz(s);
    const char *cs = sl__conf_get(&s->conf, "spark.sql.caseSensitive");
    env.case_sensitive = cs && strcmp(cs, "true") == 0;
    plan = sl__bind_query(&env, src, st->query, err);
    if (!plan) goto fail;
    if (!plan->streaming) {
        /* R4 */
        sl__err_set(err, SL_ERR_ANALYSIS, st->query_pos,
                    "START QUERY needs a query that reads a stream (queries without streaming "
                    "sources run as a plain SELECT)");
        goto fail;
    }
    if (sl__stream_analyze(plan, mode, err) != SL_OK) goto fail;
    sl__stream_mark_event_time(plan);
    if (sl__sink_check(sink_kind, opts, n, mode, st->name, err) != SL_OK) {
        if (err->offset < 0) err->offset = st->using_pos;
        goto fail;
    }
    /* the memory sink's table, named after the query (R10) */
    if (strcasecmp(sink_kind, "memory") == 0) {
        sl__table *t = sl__catalog_get(&s->cat, st->name);
        if (t && !t->is_sink && !t->by_query) {
            sl__table_unref(t);
            sl__err_set(err, SL_ERR_ANALYSIS, st->name_pos,
                        "the memory sink makes a table named %s, but a %s of that name exists",
                        st->name, t->type == SL_OBJ_VIEW ? "view" : "table or stream");
            goto fail;
        }
        sl__table_unref(t);
        sl__table *mt = sl__table_new(SL_OBJ_TABLE, st->name, plan->schema);
        mt->is_sink = mt->by_query = true;
        mt->data = sl__tabdata_new(NULL, 0, 0);
        sl__catalog_put(&s->cat, mt, true);
    }
    /* rows dropped as late are kept in <name>_late (never silently lost) */
    char *late_name = NULL;
    const sl__plan *evicting = mode == SL_MODE_COMPLETE ? NULL : evicting_node(plan);
    if (evicting) {
        late_name = sl__malloc(strlen(st->name) + 6);
        sprintf(late_name, "%s_late", st->name);
        sl__table *t = sl__catalog_get(&s->cat, late_name);
        bool taken = t && !t->is_sink && !t->by_query;
        sl__table_unref(t);
        if (taken) {
            sl__free(late_name); /* a table of the user's: late rows are only counted */
            late_name = NULL;
        } else {
            sl__table *lt = sl__table_new(SL_OBJ_TABLE, late_name, evicting->child[0]->schema);
            lt->is_sink = lt->by_query = true;
            lt->data = sl__tabdata_new(NULL, 0, 0);
            sl__catalog_put(&s->cat, lt, true);
        }
    }
    sl__sq_spec spec;
    spec.late_table = late_name;
    spec.name = st->name;
    spec.plan = plan;
    spec.mode = mode;
    spec.trigger = trig;
    spec.sink_kind = sink_kind;
    spec.opts = opts;
    spec.n_opts = n;
    spec.clock = sl__streams_clock(ss);
    sl__sq *q = sl__sq_start(s, &spec, err);
    if (!q) {
        if (strcasecmp(sink_kind, "memory") == 0) sl__catalog_drop(&s->cat, st->name);
        if (late_name) sl__catalog_drop(&s->cat, late_name);
        sl__free(late_name);
        return NULL;
    }
    sl__free(late_name);
    pthread_mutex_lock(&ss->mu);
    /* forget a finished query of the same name */
    for (uint32_t i = 0; i < ss->n; i++) {
        if (strcasecmp(sl__sq_name(ss->q[i]), st->name) == 0) {
            sl__sq_unref(ss->q[i]);
            memmove(&ss->q[i], &ss->q[i + 1], sizeof *ss->q * (ss->n - i - 1));
            ss->n--;
            break;
        }
    }
    SL_GROW(ss->q, ss->cap, ss->n + 1);
    ss->q[ss->n++] = q;
    pthread_mutex_unlock(&ss->mu);
    return empty_result();
fail:
    sl__plan_free(plan);
    for (uint32_t i = 0; i < n; i++) {
        sl__free(opts[i].key);
        sl__free(opts[i].value);
    }
    sl__free(opts);
    if (err->offset < 0) err->offset = st->pos;
    return NULL;
}

/* ---- STOP / AWAIT ----------------------------------------------------------------- */

static void release_table(sl_session *s, const char *name) {
    sl__table *t = sl__catalog_get(&s->cat, name);
    if (t && t->is_sink) t->is_sink = false; /* queryable, and now droppable */
    sl__table_unref(t);
}

/* A stopped query's memory table and late-rows table stay, now droppable. */
static void release_memory_table(sl_session *s, const char *name) {
    release_table(s, name);
    char *late = sl__malloc(strlen(name) + 6);
    sprintf(late, "%s_late", name);
    release_table(s, late);
    sl__free(late);
}

static sl_result *stop_query(sl__streams *ss, sl_session *s, const sl__stmt *st, sl__err *err) {
    if (st->all) {
        pthread_mutex_lock(&ss->mu);
        uint32_t n = ss->n;
        sl__sq **all = sl__malloc(sizeof *all * (n ? n : 1));
        for (uint32_t i = 0; i < n; i++) all[i] = sl__sq_ref(ss->q[i]);
        pthread_mutex_unlock(&ss->mu);
        for (uint32_t i = 0; i < n; i++) {
            sl__sq_stop_flush(all[i], st->flush);
            release_memory_table(s, sl__sq_name(all[i]));
            sl__sq_unref(all[i]);
        }
        sl__free(all);
        return empty_result();
    }
    sl__sq *q = sl__streams_find(ss, st->name);
    if (!q) {
        sl__err_set(err, SL_ERR_ANALYSIS, st->name_pos,
                    "no query named %s (SHOW QUERIES lists them)", st->name);
        return NULL;
    }
    sl__sq_stop_flush(q, st->flush);
    release_memory_table(s, sl__sq_name(q));
    sl__sq_unref(q);
    return empty_result();
}

static sl_result *await_query(sl__streams *ss, sl_session *s, const sl__stmt *st, sl__err *err) {
    sl__sq *q = sl__streams_find(ss, st->name);
    if (!q) {
        sl__err_set(err, SL_ERR_ANALYSIS, st->name_pos, "no query named %s", st->name);
        return NULL;
    }
    bool ended = sl__sq_await(q, st->n, &s->interrupt);
    sl_result *r = NULL;
    if (s->interrupt) {
        sl__err_set(err, SL_ERR_CANCELLED, -1, "interrupted while waiting for query %s", st->name);
    } else if (ended && sl__sq_state_of(q) == SQ_FAILED) {
        /* R15: awaiting a failed query raises its error */
        sl__err_set(err, sl__sq_error_code(q), -1,
                    "query %s [id = %s, runId = %s] terminated with error: %s", sl__sq_name(q),
                    sl__sq_id(q), sl__sq_run_id(q), sl__sq_error(q));
    } else {
        const char *names[1] = {"terminated"};
        const sl__type *types[1] = {SL_T_BOOL};
        sl__result_builder b;
        sl__rb_init(&b, 1, names, types);
        const char *row[1] = {ended ? "true" : "false"};
        sl__rb_row(&b, row);
        r = sl__rb_finish(&b);
    }
    sl__sq_unref(q);
    return r;
}

/* ---- SHOW / DESCRIBE ---------------------------------------------------------------- */

static const char *state_name(sl__sq_state s) {
    switch (s) {
    case SQ_INITIALIZING: return "INITIALIZING";
    case SQ_ACTIVE: return "ACTIVE";
    case SQ_STOPPED: return "STOPPED";
    case SQ_FAILED: return "FAILED";
    }
    return "?";
}

static void fmt1(double v, char *buf) {
    if (v != v || v - v != 0)
        strcpy(buf, "0.0");
    else
        sl__fmt_double(sl__round_decimal(v, 1, false), buf);
}

static sl_result *show_queries(sl__streams *ss) {
    enum { NCOL = 14 };
    const char *names[NCOL] = {"name",
                               "id",
                               "runId",
                               "status",
                               "sink",
                               "outputMode",
                               "batchId",
                               "inputRowsPerSecond",
                               "processedRowsPerSecond",
                               "stateRows",
                               "stateBytes",
                               "currentWatermark",
                               "lateRows",
                               "guarantee"};
    const sl__type *types[NCOL] = {SL_T_STR, SL_T_STR, SL_T_STR, SL_T_STR, SL_T_STR,
                                   SL_T_STR, SL_T_I64, SL_T_F64, SL_T_F64, SL_T_I64,
                                   SL_T_I64, SL_T_STR, SL_T_I64, SL_T_STR};
    sl__result_builder b;
    sl__rb_init(&b, NCOL, names, types);
    pthread_mutex_lock(&ss->mu);
    for (uint32_t i = 0; i < ss->n; i++) {
        sl__sq *q = ss->q[i];
        sl__sq_info in;
        sl__sq_info_of(q, &in);
        char batch[32], ir[40], pr[40], rows[32], bytes[32], status[300], wm[48], late[32];
        sl__sq_state state = sl__sq_state_of(q);
        if (state == SQ_FAILED)
            snprintf(status, sizeof status, "FAILED: %.250s", sl__sq_error(q));
        else
            snprintf(status, sizeof status, "%s", state_name(state));
        snprintf(batch, sizeof batch, "%lld", (long long)in.batch_id);
        fmt1(in.input_rate, ir);
        fmt1(in.processed_rate, pr);
        snprintf(rows, sizeof rows, "%llu", (unsigned long long)in.state_rows);
        snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)in.state_bytes);
        if (in.has_watermark) sl__fmt_iso_millis(in.watermark_us, wm);
        snprintf(late, sizeof late, "%llu", (unsigned long long)in.late_rows);
        /* no checkpoints yet: a restarted query starts over, whatever the sink */
        const char *guarantee = !in.replayable ? "none: the source cannot replay (socket)"
                                : strcmp(in.sink_kind, "files") == 0
                                    ? "exactly-once within a run (no checkpoint yet)"
                                    : "none: the sink is for debugging";
        const char *row[NCOL] = {sl__sq_name(q),
                                 sl__sq_id(q),
                                 sl__sq_run_id(q),
                                 status,
                                 in.sink_kind,
                                 sl__out_mode_name(in.mode),
                                 in.batch_id >= 0 ? batch : NULL,
                                 ir,
                                 pr,
                                 rows,
                                 bytes,
                                 in.has_watermark ? wm : NULL,
                                 late,
                                 guarantee};
        sl__rb_row(&b, row);
    }
    pthread_mutex_unlock(&ss->mu);
    return sl__rb_finish(&b);
}

static sl_result *show_streams(sl_session *s) {
    const char *names[4] = {"name", "source", "schema", "options"};
    const sl__type *types[4] = {SL_T_STR, SL_T_STR, SL_T_STR, SL_T_STR};
    sl__result_builder b;
    sl__rb_init(&b, 4, names, types);
    uint32_t n;
    sl__table **all = sl__catalog_list(&s->cat, &n);
    for (uint32_t i = 0; i < n; i++) {
        sl__table *t = all[i];
        if (t->type == SL_OBJ_STREAM) {
            sl__buf sc = SL_BUF_INIT, op = SL_BUF_INIT;
            sl__type_print_ddl(t->schema, &sc);
            for (uint32_t k = 0; k < t->n_options; k++)
                sl__buf_printf(&op, "%s%s '%s'", k ? ", " : "", t->options[k].key,
                               t->options[k].value);
            const char *row[4] = {t->name, t->format, sl__buf_str(&sc), sl__buf_str(&op)};
            sl__rb_row(&b, row);
            sl__buf_free(&sc);
            sl__buf_free(&op);
        }
        sl__table_unref(t);
    }
    sl__free(all);
    return sl__rb_finish(&b);
}

static sl_result *show_progress(sl__streams *ss, const sl__stmt *st, sl__err *err) {
    sl__sq *q = sl__streams_find(ss, st->name);
    if (!q) {
        sl__err_set(err, SL_ERR_ANALYSIS, st->name_pos, "no query named %s", st->name);
        return NULL;
    }
    uint32_t k;
    char **recs = sl__sq_recent_progress(q, st->n, &k);
    const char *names[2] = {"batchId", "progress"};
    const sl__type *types[2] = {SL_T_I64, SL_T_STR};
    sl__result_builder b;
    sl__rb_init(&b, 2, names, types);
    for (uint32_t i = 0; i < k; i++) {
        const char *p = strstr(recs[i], "\"batchId\" : ");
        char id[32] = "";
        if (p) snprintf(id, sizeof id, "%lld", strtoll(p + 12, NULL, 10));
        const char *row[2] = {id, recs[i]};
        sl__rb_row(&b, row);
        sl__free(recs[i]);
    }
    sl__free(recs);
    sl__sq_unref(q);
    return sl__rb_finish(&b);
}

static sl_result *describe_query(sl__streams *ss, const sl__stmt *st, sl__err *err) {
    sl__sq *q = sl__streams_find(ss, st->name);
    if (!q) {
        sl__err_set(err, SL_ERR_ANALYSIS, st->name_pos, "no query named %s", st->name);
        return NULL;
    }
    const char *names[2] = {"property", "value"};
    const sl__type *types[2] = {SL_T_STR, SL_T_STR};
    sl__result_builder b;
    sl__rb_init(&b, 2, names, types);
    sl__sq_info in;
    sl__sq_info_of(q, &in);
    char *status = sl__sq_status_json(q);
    char *last = sl__sq_last_progress(q);
    const char *rows[][2] = {
        {"name", sl__sq_name(q)},
        {"id", sl__sq_id(q)},
        {"runId", sl__sq_run_id(q)},
        {"state", state_name(sl__sq_state_of(q))},
        {"exception", sl__sq_error(q)},
        {"status", status},
        {"sink", in.sink_kind},
        {"outputMode", sl__out_mode_name(in.mode)},
        {"stateGrowth", in.unbounded_state
                            ? "unbounded: stateful operators without a watermark keep "
                              "every key (R119)"
                            : "bounded"},
        {"lastProgress", last},
    };
    for (size_t i = 0; i < SL_ARRAY_LEN(rows); i++) sl__rb_row(&b, rows[i]);
    sl__free(status);
    sl__free(last);
    sl__sq_unref(q);
    return sl__rb_finish(&b);
}

sl_result *sl__streams_exec(sl__streams *ss, sl_session *s, const sl__stmt *st, const char *src,
                            sl__err *err) {
    switch (st->kind) {
    case S_CREATE_STREAM: return create_stream(ss, s, st, err);
    case S_START_QUERY: return start_query(ss, s, st, src, err);
    case S_STOP_QUERY: return stop_query(ss, s, st, err);
    case S_AWAIT_QUERY: return await_query(ss, s, st, err);
    case S_SHOW_QUERIES: return show_queries(ss);
    case S_SHOW_STREAMS: return show_streams(s);
    case S_SHOW_PROGRESS: return show_progress(ss, st, err);
    case S_DESCRIBE_QUERY: return describe_query(ss, st, err);
    default: sl__err_set(err, SL_ERR_INTERNAL, st->pos, "not a streaming statement"); return NULL;
    }
}

/* EXPLAIN START QUERY: the checks START would make, then both plans. */
static sl__op *placeholder_source(void *ud, sl__plan *p, sl__err *err) {
    (void)ud;
    (void)err;
    return sl__op_values(p->schema, NULL, 0);
}

sl_result *sl__streams_explain(sl__streams *ss, sl_session *s, const sl__stmt *st, const char *src,
                               sl__err *err) {
    (void)ss;
    sl__bind_env env;
    env.cat = &s->cat;
    env.tz = sl__conf_get(&s->conf, "spark.sql.session.timeZone");
    env.tz_offset_us = sl__session_tz_offset(s);
    env.tzinfo = sl__session_tz(s);
    env.case_sensitive = false;
    sl__plan *plan = sl__bind_query(&env, src, st->query, err);
    if (!plan) return NULL;
    sl__out_mode mode = SL_MODE_APPEND;
    for (uint32_t i = st->n_options; i-- > 0;)
        if (strcasecmp(st->options[i].key, "outputMode") == 0) {
            if (!parse_mode(st->options[i].value, &mode, err)) {
                sl__plan_free(plan);
                return NULL;
            }
            break;
        }
    if (plan->streaming && sl__stream_analyze(plan, mode, err) != SL_OK) {
        sl__plan_free(plan);
        return NULL;
    }
    sl__buf b = SL_BUF_INIT;
    sl__buf_puts(&b, "== Logical Plan ==\n");
    sl__plan_explain(plan, &b);
    sl__buf_printf(&b, "\n== Physical Plan (outputMode %s) ==\n", sl__out_mode_name(mode));
    sl__ectx ectx;
    memset(&ectx, 0, sizeof ectx);
    ectx.err = err;
    sl__planner pl;
    memset(&pl, 0, sizeof pl);
    pl.cat = &s->cat;
    pl.ectx = &ectx;
    pl.err = err;
    pl.stream_source = placeholder_source;
    sl__op *root = sl__plan_to_ops(plan, &pl);
    sl__plan_free(plan);
    if (!root) {
        sl__buf_free(&b);
        return NULL;
    }
    sl__op_explain_tree(root, &b);
    sl__op_free(root);
    const char *names[1] = {"plan"};
    const sl__type *types[1] = {SL_T_STR};
    sl__result_builder rb;
    sl__rb_init(&rb, 1, names, types);
    const char *row[1] = {sl__buf_str(&b)};
    sl__rb_row(&rb, row);
    sl__buf_free(&b);
    return sl__rb_finish(&rb);
}
