/*
 * session.c — the public session API: open/close, executing statements one
 * at a time (lex, parse, dispatch on the statement kind), error reporting
 * with positions, and the batch statements: queries, CREATE TABLE / VIEW,
 * INSERT, DROP, SET / RESET, SHOW TABLES / FUNCTIONS, DESCRIBE, EXPLAIN.
 * Streaming statements are handed to the stream layer (stream/api.h).
 */
#include "main/session.h"
#include "base/clock.h"
#include "format/files.h"
#include "sql/binder.h"
#include "sql/lexer.h"
#include "sql/planner.h"
#include "stream/api.h"
#include "types/text.h"
#include "types/tz.h"
#include <strings.h>

/* ---- small public helpers --------------------------------------------------- */

const char *sl_version(void) {
    return SLUICE_VERSION;
}

const char *sl_status_name(sl_status st) {
    switch (st) {
    case SL_OK: return "OK";
    case SL_ERR_PARSE: return "PARSE";
    case SL_ERR_ANALYSIS: return "ANALYSIS";
    case SL_ERR_UNSUPPORTED: return "UNSUPPORTED";
    case SL_ERR_EXEC: return "EXEC";
    case SL_ERR_IO: return "IO";
    case SL_ERR_NOMEM: return "NOMEM";
    case SL_ERR_CANCELLED: return "CANCELLED";
    case SL_ERR_MISUSE: return "MISUSE";
    case SL_ERR_INTERNAL: return "INTERNAL";
    }
    return "UNKNOWN";
}

/* ---- session lifecycle ------------------------------------------------------ */

sl_status sl_session_open(const sl_config *cfg, sl_session **out) {
    if (!out) return SL_ERR_MISUSE;
    sl_session *s = sl__calloc(1, sizeof *s);
    sl__catalog_init(&s->cat);
    if (cfg) sl__conf_copy(&s->conf, &cfg->conf);
    sl__err_clear(&s->err);
    pthread_mutex_init(&s->out_mu, NULL);
    s->streams = sl__streams_new(s);
    *out = s;
    return SL_OK;
}

void sl_session_close(sl_session **sp) {
    if (!sp || !*sp) return;
    sl_session *s = *sp;
    sl__streams_free(s->streams);
    sl__catalog_free(&s->cat);
    sl__conf_free(&s->conf);
    pthread_mutex_destroy(&s->out_mu);
    sl__free(s);
    *sp = NULL;
}

void sl_session_interrupt(sl_session *s) {
    if (s) s->interrupt = 1;
}

void sl_session_set_output(sl_session *s, sl_write_fn fn, void *ud) {
    if (!s) return;
    pthread_mutex_lock(&s->out_mu);
    s->out_fn = fn;
    s->out_ud = ud;
    pthread_mutex_unlock(&s->out_mu);
}

void sl__session_output(sl_session *s, const char *data, size_t len) {
    pthread_mutex_lock(&s->out_mu);
    if (s->out_fn)
        s->out_fn(s->out_ud, data, len);
    else {
        fwrite(data, 1, len, stdout);
        fflush(stdout);
    }
    pthread_mutex_unlock(&s->out_mu);
}

const char *sl_session_errmsg(const sl_session *s) {
    return s ? s->errmsg : "no session";
}

sl_status sl_session_errcode(const sl_session *s) {
    return s ? s->err.code : SL_ERR_MISUSE;
}

int64_t sl_session_error_offset(const sl_session *s) {
    return s ? s->err.offset : -1;
}

const struct sl__tz *sl__session_tz(const sl_session *s) {
    const char *z = sl__conf_get(&s->conf, "spark.sql.session.timeZone");
    sl__err e;
    sl__err_clear(&e);
    const sl__tz *tz = z ? sl__tz_get(z, &e) : NULL; /* cached; validated when set */
    return tz ? tz : sl__tz_utc();
}

int64_t sl__session_tz_offset(const sl_session *s) {
    return sl__tz_offset_utc(sl__session_tz(s), sl__wall_us());
}

/* Copies err to the session with the "line L:C: " prefix computed over text. */
static sl_status fail(sl_session *s, const sl__err *err, const char *text, size_t len) {
    s->err = *err;
    if (s->err.code == SL_OK) s->err.code = SL_ERR_INTERNAL;
    if (err->offset >= 0 && (size_t)err->offset <= len) {
        int line = 1;
        size_t ls = 0;
        for (size_t i = 0; i < (size_t)err->offset; i++)
            if (text[i] == '\n') {
                line++;
                ls = i + 1;
            }
        snprintf(s->errmsg, sizeof s->errmsg, "line %d:%zu: %s", line, (size_t)err->offset - ls + 1,
                 err->msg);
    } else {
        s->err.offset = -1;
        snprintf(s->errmsg, sizeof s->errmsg, "%s", err->msg);
    }
    return s->err.code;
}

/* ---- statement helpers ----------------------------------------------------- */

typedef struct stmt_ctx {
    sl_session *s;
    const char *src; /* the statement text (from the caller's offset 0) */
    size_t len;
    sl__err err;
    sl__arena arena;
} stmt_ctx;

static sl__bind_env bind_env(sl_session *s) {
    sl__bind_env env;
    env.cat = &s->cat;
    env.tz = sl__conf_get(&s->conf, "spark.sql.session.timeZone");
    env.tz_offset_us = sl__session_tz_offset(s);
    env.tzinfo = sl__session_tz(s);
    const char *cs = sl__conf_get(&s->conf, "spark.sql.caseSensitive");
    env.case_sensitive = cs && strcmp(cs, "true") == 0;
    return env;
}

static sl__ectx make_ectx(sl_session *s, sl__err *err) {
    sl__ectx e;
    memset(&e, 0, sizeof e);
    e.err = err;
    e.batch_ts_us = sl__wall_us();
    e.time_zone = sl__conf_get(&s->conf, "spark.sql.session.timeZone");
    e.tz_offset_us = sl__session_tz_offset(s);
    e.tz = sl__session_tz(s);
    return e;
}

/*
 * Runs a bound batch plan to completion and collects its rows. Consumes the
 * plan. Returns NULL with c->err set.
 */
static sl_result *run_plan(stmt_ctx *c, sl__plan *plan) {
    sl_session *s = c->s;
    if (plan->streaming) {
        sl__plan_free(plan);
        sl__err_set(&c->err, SL_ERR_ANALYSIS, -1,
                    "queries over streams must be started with START QUERY name [USING sink] AS "
                    "SELECT ... (Spark: writeStream.start()); a plain SELECT cannot read a stream");
        return NULL;
    }
    sl__exec ex;
    memset(&ex, 0, sizeof ex);
    ex.err = &c->err;
    ex.ectx = make_ectx(s, &c->err);
    ex.interrupt = &s->interrupt;
    sl__planner pl;
    memset(&pl, 0, sizeof pl);
    pl.cat = &s->cat;
    pl.ectx = &ex.ectx;
    pl.err = &c->err;
    const sl__type *schema = plan->schema;
    sl__op *root = sl__plan_to_ops(plan, &pl);
    sl__plan_free(plan);
    if (!root) return NULL;
    sl__op *sink = sl__op_collect(schema);
    sl__exec_run(root, sink, &ex);
    sl_result *r = NULL;
    if (!ex.failed && !ex.ectx.failed) {
        uint32_t n;
        uint64_t rows;
        sl__chunk *chunks = sl__op_collect_take(sink, &n, &rows);
        r = sl__result_new(schema, chunks, n, rows);
        r->bad_records = pl.bad_records + ex.ectx.bad_records + ex.bad_records;
        r->tz = ex.ectx.tz;
    } else if (c->err.code == SL_OK) {
        sl__err_set(&c->err, SL_ERR_EXEC, -1, "query failed");
    }
    sl__op_free(sink);
    sl__op_free(root);
    return r;
}

static sl__plan *bind(stmt_ctx *c, const sl__query *q) {
    sl__bind_env env = bind_env(c->s);
    return sl__bind_query(&env, c->src, q, &c->err);
}

static sl_result *exec_query(stmt_ctx *c, const sl__stmt *st) {
    sl__plan *p = bind(c, st->query);
    return p ? run_plan(c, p) : NULL;
}

static sl_result *empty_result(void) {
    sl__result_builder b;
    sl__rb_init(&b, 0, NULL, NULL);
    return sl__rb_finish(&b);
}

/* Options of a statement as owned key/value pairs. */
static sl__kv *copy_options(const sl__stmt *st, uint32_t *n) {
    *n = st->n_options;
    sl__kv *kv = sl__calloc(st->n_options ? st->n_options : 1, sizeof *kv);
    for (uint32_t i = 0; i < st->n_options; i++) {
        kv[i].key = sl__strdup(st->options[i].key);
        kv[i].value = sl__strdup(st->options[i].value);
    }
    return kv;
}

static bool name_taken(stmt_ctx *c, const sl__stmt *st, bool replace_ok) {
    sl__table *t = sl__catalog_get(&c->s->cat, st->name);
    if (!t) return false;
    bool streaming_sink = t->is_sink;
    const char *kind = t->type == SL_OBJ_VIEW     ? "view"
                       : t->type == SL_OBJ_STREAM ? "stream"
                                                  : "table";
    sl__table_unref(t);
    if (replace_ok && !streaming_sink) return false;
    sl__err_set(&c->err, SL_ERR_ANALYSIS, st->name_pos, "a %s named '%s' already exists%s", kind,
                st->name,
                streaming_sink ? " (the memory table of a running query)"
                               : " (DROP it first, or use CREATE OR REPLACE VIEW)");
    return true;
}

static sl_result *exec_create_table(stmt_ctx *c, const sl__stmt *st) {
    sl_session *s = c->s;
    if (st->if_not_exists) {
        sl__table *t = sl__catalog_get(&s->cat, st->name);
        if (t) {
            sl__table_unref(t);
            return empty_result();
        }
    }
    if (name_taken(c, st, false)) return NULL;
    sl__table *t;
    if (st->using_fmt) {
        uint32_t nopt;
        sl__kv *opts = copy_options(st, &nopt);
        const sl__type *schema = st->schema;
        if (st->query) {
            sl__err_set(&c->err, SL_ERR_UNSUPPORTED, st->using_pos,
                        "CREATE TABLE ... USING ... AS SELECT is not supported");
            goto opt_fail;
        }
        if (sl__file_table_check(st->using_fmt, opts, nopt, &c->err) != SL_OK) goto opt_fail;
        if (!schema && sl__file_table_schema(st->using_fmt, opts, nopt, &schema, &c->err) != SL_OK)
            goto opt_fail;
        t = sl__table_new(SL_OBJ_TABLE, st->name, schema);
        t->format = sl__strdup(st->using_fmt);
        for (char *p = t->format; *p; p++) *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        t->options = opts;
        t->n_options = nopt;
        if (!sl__catalog_put(&s->cat, t, false)) {
            sl__table_unref(t);
            sl__err_set(&c->err, SL_ERR_ANALYSIS, st->name_pos, "'%s' already exists", st->name);
            return NULL;
        }
        return empty_result();
    opt_fail:
        for (uint32_t i = 0; i < nopt; i++) {
            sl__free(opts[i].key);
            sl__free(opts[i].value);
        }
        sl__free(opts);
        if (c->err.offset < 0) c->err.offset = st->using_pos;
        return NULL;
    }
    if (st->query) {
        /* CREATE TABLE t AS SELECT ... */
        sl__plan *p = bind(c, st->query);
        if (!p) return NULL;
        sl_result *r = run_plan(c, p);
        if (!r) return NULL;
        t = sl__table_new(SL_OBJ_TABLE, st->name, r->schema);
        t->data = sl__tabdata_new(r->chunks, r->n_chunks, r->rows);
        r->chunks = NULL;
        r->n_chunks = 0;
        sl_result_destroy(&r);
    } else {
        if (!st->schema) {
            sl__err_set(&c->err, SL_ERR_ANALYSIS, st->name_pos,
                        "CREATE TABLE %s needs a column list, USING format OPTIONS (...), or AS "
                        "SELECT",
                        st->name);
            return NULL;
        }
        t = sl__table_new(SL_OBJ_TABLE, st->name, st->schema);
        t->data = sl__tabdata_new(NULL, 0, 0);
    }
    if (!sl__catalog_put(&s->cat, t, false)) {
        sl__table_unref(t);
        sl__err_set(&c->err, SL_ERR_ANALYSIS, st->name_pos, "'%s' already exists", st->name);
        return NULL;
    }
    return empty_result();
}

static sl_result *exec_insert(stmt_ctx *c, const sl__stmt *st) {
    sl_session *s = c->s;
    sl__table *t = sl__catalog_get(&s->cat, st->name);
    if (!t) {
        sl__err_set(&c->err, SL_ERR_ANALYSIS, st->name_pos, "table not found: '%s'", st->name);
        return NULL;
    }
    bool stream = t->type == SL_OBJ_STREAM;
    if (!stream && (t->type != SL_OBJ_TABLE || t->format || t->is_sink)) {
        sl__err_set(&c->err, SL_ERR_ANALYSIS, st->name_pos,
                    "cannot INSERT INTO '%s': only tables created with a column list (or AS "
                    "SELECT) accept rows",
                    st->name);
        sl__table_unref(t);
        return NULL;
    }
    sl__plan *p = bind(c, st->query);
    if (!p) {
        sl__table_unref(t);
        return NULL;
    }
    uint32_t n = t->schema->n_fields;
    if (p->schema->n_fields != n) {
        sl__err_set(&c->err, SL_ERR_ANALYSIS, st->query_pos,
                    "'%s' has %u columns but the inserted rows have %u", st->name, n,
                    p->schema->n_fields);
        sl__plan_free(p);
        sl__table_unref(t);
        return NULL;
    }
    /* cast each column to the table's type, by position */
    sl__expr **ex = sl__malloc(sizeof *ex * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++) {
        sl__expr *col = sl__expr_colref(i, p->schema->fields[i]);
        ex[i] = sl__cast_bind(col, t->schema->fields[i], st->query_pos, &c->err);
        if (!ex[i]) {
            for (uint32_t k = 0; k < i; k++) sl__expr_free(ex[k]);
            sl__free(ex);
            sl__plan_free(p);
            sl__table_unref(t);
            return NULL;
        }
    }
    sl__plan *proj = sl__plan_new(P_PROJECT, t->schema);
    proj->child[0] = p;
    proj->exprs = ex;
    proj->n_exprs = n;
    sl_result *r = run_plan(c, proj);
    if (r && stream) {
        /* rows pushed into a memory stream (the stream layer checks the kind) */
        sl_status st2 = sl__streams_insert(t, r, &c->err);
        sl_result_destroy(&r);
        if (st2 == SL_OK)
            r = empty_result();
        else if (c->err.offset < 0)
            c->err.offset = st->name_pos;
    } else if (r) {
        sl__tabdata *add = sl__tabdata_new(r->chunks, r->n_chunks, r->rows);
        r->chunks = NULL;
        r->n_chunks = 0;
        sl_result_destroy(&r);
        sl__tabdata *old = sl__table_data(&s->cat, t);
        sl__table_set_data(&s->cat, t, sl__tabdata_append(old, add));
        sl__tabdata_unref(old);
        sl__tabdata_unref(add);
        r = empty_result();
    }
    sl__table_unref(t);
    return r;
}

static sl_result *exec_create_view(stmt_ctx *c, const sl__stmt *st) {
    sl_session *s = c->s;
    if (st->if_not_exists) {
        sl__table *t = sl__catalog_get(&s->cat, st->name);
        if (t) {
            sl__table_unref(t);
            return empty_result();
        }
    }
    sl__table *old = sl__catalog_get(&s->cat, st->name);
    if (old) {
        bool is_view = old->type == SL_OBJ_VIEW;
        sl__table_unref(old);
        if (!is_view || !st->or_replace) {
            sl__err_set(&c->err, SL_ERR_ANALYSIS, st->name_pos,
                        is_view ? "view '%s' already exists (use CREATE OR REPLACE VIEW)"
                                : "'%s' already exists and is not a view",
                        st->name);
            return NULL;
        }
    }
    /* bind once now, to report errors at CREATE and learn the schema */
    sl__plan *p = bind(c, st->query);
    if (!p) return NULL;
    sl__table *t = sl__table_new(SL_OBJ_VIEW, st->name, p->schema);
    t->streaming = p->streaming;
    sl__plan_free(p);
    t->sql = sl__strndup(c->src + st->query_pos, st->query_end - st->query_pos);
    sl__catalog_put(&s->cat, t, true);
    return empty_result();
}

static sl_result *exec_drop(stmt_ctx *c, const sl__stmt *st) {
    sl_session *s = c->s;
    sl__table *t = sl__catalog_get(&s->cat, st->name);
    if (!t) {
        if (st->if_exists) return empty_result();
        sl__err_set(&c->err, SL_ERR_ANALYSIS, st->name_pos, "'%s' not found", st->name);
        return NULL;
    }
    sl__obj_type want = st->obj == OBJ_VIEW     ? SL_OBJ_VIEW
                        : st->obj == OBJ_STREAM ? SL_OBJ_STREAM
                                                : SL_OBJ_TABLE;
    const char *kinds[] = {"table", "view", "stream"};
    if (t->type != want) {
        sl__err_set(&c->err, SL_ERR_ANALYSIS, st->name_pos, "'%s' is a %s; use DROP %s", st->name,
                    kinds[t->type],
                    t->type == SL_OBJ_VIEW     ? "VIEW"
                    : t->type == SL_OBJ_STREAM ? "STREAM"
                                               : "TABLE");
        sl__table_unref(t);
        return NULL;
    }
    if (t->is_sink) {
        sl__err_set(&c->err, SL_ERR_ANALYSIS, st->name_pos,
                    "'%s' is the memory table of a running query; STOP QUERY %s first", st->name,
                    st->name);
        sl__table_unref(t);
        return NULL;
    }
    if (t->type == SL_OBJ_STREAM && sl__streams_in_use(s->streams, t)) {
        sl__err_set(&c->err, SL_ERR_ANALYSIS, st->name_pos,
                    "stream '%s' is read by a running query; stop it first", st->name);
        sl__table_unref(t);
        return NULL;
    }
    sl__table_unref(t);
    sl__catalog_drop(&s->cat, st->name);
    return empty_result();
}

static sl_result *kv_result(const char *k, const char *v) {
    const char *names[2] = {"key", "value"};
    const sl__type *types[2] = {SL_T_STR, SL_T_STR};
    sl__result_builder b;
    sl__rb_init(&b, 2, names, types);
    if (k) {
        const char *row[2] = {k, v};
        sl__rb_row(&b, row);
    }
    return sl__rb_finish(&b);
}

static sl_result *exec_set(stmt_ctx *c, const sl__stmt *st) {
    sl_session *s = c->s;
    if (!st->key) {
        /* SET: every setting made in this session */
        const char *names[2] = {"key", "value"};
        const sl__type *types[2] = {SL_T_STR, SL_T_STR};
        sl__result_builder b;
        sl__rb_init(&b, 2, names, types);
        for (uint32_t i = 0; i < s->conf.n; i++) {
            const char *row[2] = {s->conf.kv[i].key, s->conf.kv[i].value};
            sl__rb_row(&b, row);
        }
        return sl__rb_finish(&b);
    }
    if (!st->value) {
        const char *v = sl__conf_get(&s->conf, st->key);
        return kv_result(st->key, v ? v : "<undefined>");
    }
    char norm[512], msg[512];
    if (!sl__conf_validate(st->key, st->value, norm, sizeof norm, msg, sizeof msg)) {
        sl__err_set(&c->err, SL_ERR_ANALYSIS, st->pos, "%s", msg);
        return NULL;
    }
    sl__conf_set(&s->conf, st->key, norm);
    return kv_result(st->key, norm);
}

static sl_result *exec_reset(stmt_ctx *c, const sl__stmt *st) {
    if (st->key)
        sl__conf_unset(&c->s->conf, st->key);
    else
        sl__conf_free(&c->s->conf);
    return empty_result();
}

static sl_result *exec_show_tables(stmt_ctx *c) {
    const char *names[3] = {"tableName", "kind", "isStreaming"};
    const sl__type *types[3] = {SL_T_STR, SL_T_STR, SL_T_BOOL};
    sl__result_builder b;
    sl__rb_init(&b, 3, names, types);
    uint32_t n;
    sl__table **all = sl__catalog_list(&c->s->cat, &n);
    /* sorted by name, like Spark */
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && strcasecmp(all[j - 1]->name, all[j]->name) > 0; j--) {
            sl__table *x = all[j];
            all[j] = all[j - 1];
            all[j - 1] = x;
        }
    for (uint32_t i = 0; i < n; i++) {
        sl__table *t = all[i];
        const char *kind = t->type == SL_OBJ_VIEW     ? "view"
                           : t->type == SL_OBJ_STREAM ? "stream"
                           : t->is_sink               ? "memory"
                           : t->format                ? t->format
                                                      : "table";
        bool streaming = t->type == SL_OBJ_STREAM || (t->type == SL_OBJ_VIEW && t->streaming);
        const char *row[3] = {t->name, kind, streaming ? "true" : "false"};
        sl__rb_row(&b, row);
        sl__table_unref(t);
    }
    sl__free(all);
    return sl__rb_finish(&b);
}

typedef struct fn_list {
    char **names;
    uint32_t n, cap;
} fn_list;

static void add_fn(fn_list *l, const char *n) {
    if (!n[0] || !((n[0] >= 'a' && n[0] <= 'z') || n[0] == '_')) return; /* skip operators */
    SL_GROW(l->names, l->cap, l->n + 1);
    l->names[l->n++] = (char *)n;
}
static void scalar_cb(void *ud, const sl__fn_def *d) {
    add_fn(ud, d->name);
}
static void agg_cb(void *ud, const sl__agg_def *d) {
    add_fn(ud, d->name);
}
static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static sl_result *exec_show_functions(void) {
    fn_list l = {0};
    sl__fn_each(scalar_cb, &l);
    sl__agg_each(agg_cb, &l);
    static const char *const special[] = {
        "coalesce", "explode", "explode_outer", "grouping", "grouping_id", "if",
        "ifnull",   "nullif",  "nvl",           "nvl2",     "posexplode",  "posexplode_outer"};
    for (size_t i = 0; i < SL_ARRAY_LEN(special); i++) add_fn(&l, special[i]);
    qsort(l.names, l.n, sizeof *l.names, cmp_str);
    const char *names[1] = {"function"};
    const sl__type *types[1] = {SL_T_STR};
    sl__result_builder b;
    sl__rb_init(&b, 1, names, types);
    for (uint32_t i = 0; i < l.n; i++) {
        if (i && strcmp(l.names[i], l.names[i - 1]) == 0) continue;
        const char *row[1] = {l.names[i]};
        sl__rb_row(&b, row);
    }
    sl__free(l.names);
    return sl__rb_finish(&b);
}

static sl_result *describe_schema(const sl__type *schema) {
    const char *names[3] = {"col_name", "data_type", "nullable"};
    const sl__type *types[3] = {SL_T_STR, SL_T_STR, SL_T_BOOL};
    sl__result_builder b;
    sl__rb_init(&b, 3, names, types);
    for (uint32_t i = 0; i < schema->n_fields; i++) {
        const char *row[3] = {schema->names[i], schema->fields[i]->name,
                              schema->nullable[i] ? "true" : "false"};
        sl__rb_row(&b, row);
    }
    return sl__rb_finish(&b);
}

static const sl__type *schema_of_name(stmt_ctx *c, const char *name, uint32_t pos) {
    sl__table *t = sl__catalog_get(&c->s->cat, name);
    if (!t) {
        sl__err_set(&c->err, SL_ERR_ANALYSIS, pos, "table, view or stream not found: '%s'", name);
        return NULL;
    }
    const sl__type *schema = t->schema;
    sl__table_unref(t);
    return schema;
}

static sl_result *exec_describe(stmt_ctx *c, const sl__stmt *st) {
    if (st->query) {
        sl__plan *p = bind(c, st->query);
        if (!p) return NULL;
        sl_result *r = describe_schema(p->schema);
        sl__plan_free(p);
        return r;
    }
    const sl__type *schema = schema_of_name(c, st->name, st->name_pos);
    return schema ? describe_schema(schema) : NULL;
}

static sl_result *text_result(const char *col, const char *text) {
    const char *names[1] = {col};
    const sl__type *types[1] = {SL_T_STR};
    sl__result_builder b;
    sl__rb_init(&b, 1, names, types);
    const char *row[1] = {text};
    sl__rb_row(&b, row);
    return sl__rb_finish(&b);
}

static sl_result *exec_explain(stmt_ctx *c, const sl__stmt *st) {
    const sl__stmt *in = st->inner;
    if (in->kind == S_START_QUERY)
        return sl__streams_explain(c->s->streams, c->s, in, c->src, &c->err);
    sl__plan *p = bind(c, in->query);
    if (!p) return NULL;
    sl__buf b = SL_BUF_INIT;
    sl__buf_puts(&b, "== Logical Plan ==\n");
    sl__plan_explain(p, &b);
    sl__buf_puts(&b, "\n== Physical Plan ==\n");
    if (p->streaming) {
        sl__buf_puts(&b, "(a streaming query: EXPLAIN START QUERY ... shows its physical plan)\n");
    } else {
        sl__exec ex;
        memset(&ex, 0, sizeof ex);
        ex.err = &c->err;
        ex.ectx = make_ectx(c->s, &c->err);
        sl__planner pl;
        memset(&pl, 0, sizeof pl);
        pl.cat = &c->s->cat;
        pl.ectx = &ex.ectx;
        pl.err = &c->err;
        sl__op *root = sl__plan_to_ops(p, &pl);
        if (!root) {
            sl__plan_free(p);
            sl__buf_free(&b);
            return NULL;
        }
        sl__op_explain_tree(root, &b);
        sl__op_free(root);
    }
    sl__plan_free(p);
    sl_result *r = text_result("plan", sl__buf_str(&b));
    sl__buf_free(&b);
    return r;
}

static sl_result *dispatch(stmt_ctx *c, const sl__stmt *st) {
    switch (st->kind) {
    case S_QUERY: return exec_query(c, st);
    case S_CREATE_TABLE: return exec_create_table(c, st);
    case S_INSERT: return exec_insert(c, st);
    case S_CREATE_VIEW: return exec_create_view(c, st);
    case S_DROP: return exec_drop(c, st);
    case S_SET: return exec_set(c, st);
    case S_RESET: return exec_reset(c, st);
    case S_SHOW_TABLES: return exec_show_tables(c);
    case S_SHOW_FUNCTIONS: return exec_show_functions();
    case S_DESCRIBE: return exec_describe(c, st);
    case S_EXPLAIN: return exec_explain(c, st);
    case S_CREATE_STREAM:
    case S_SHOW_STREAMS:
    case S_SHOW_QUERIES:
    case S_SHOW_PROGRESS:
    case S_DESCRIBE_QUERY:
    case S_START_QUERY:
    case S_STOP_QUERY:
    case S_AWAIT_QUERY: return sl__streams_exec(c->s->streams, c->s, st, c->src, &c->err);
    }
    sl__err_set(&c->err, SL_ERR_INTERNAL, st->pos, "unknown statement");
    return NULL;
}

sl_status sl_session_execute_next(sl_session *s, const char *sql, size_t len, size_t *consumed,
                                  sl_result **out) {
    if (!s || !sql || !out) return SL_ERR_MISUSE;
    *out = NULL;
    stmt_ctx c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.src = sql;
    c.len = len;
    sl__err_clear(&c.err);
    sl__err_clear(&s->err);
    s->errmsg[0] = 0;
    s->interrupt = 0;
    sl__arena_init(&c.arena, 8192);
    sl__tok *toks;
    size_t end;
    uint32_t n = sl__lex_statement(sql, len, &c.arena, &toks, &end);
    if (consumed) *consumed = end;
    if (n == 0) {
        sl__arena_free(&c.arena);
        return SL_OK; /* nothing but spaces, comments or ';' */
    }
    sl__stmt *st = sl__parse_statement(sql, toks, n, &c.arena, &c.err);
    sl_result *r = st ? dispatch(&c, st) : NULL;
    sl__arena_free(&c.arena);
    if (!r) return fail(s, &c.err, sql, len);
    *out = r;
    return SL_OK;
}

sl_status sl_session_execute(sl_session *s, const char *sql, sl_result **out) {
    if (!s || !sql) return SL_ERR_MISUSE;
    if (out) *out = NULL;
    size_t len = strlen(sql), pos = 0;
    sl_result *last = NULL;
    while (pos < len) {
        size_t used = 0;
        sl_result *r = NULL;
        sl_status st = sl_session_execute_next(s, sql + pos, len - pos, &used, &r);
        if (st != SL_OK) {
            sl_result_destroy(&last);
            if (s->err.offset >= 0) s->err.offset += (int64_t)pos;
            /* recompute the position prefix relative to the whole script */
            sl__err e = s->err;
            const char *colon = strstr(s->errmsg, ": ");
            if (e.offset >= 0 && colon) fail(s, &e, sql, len);
            return st;
        }
        if (r) {
            sl_result_destroy(&last);
            last = r;
        }
        if (!used) break;
        pos += used;
    }
    if (out)
        *out = last;
    else
        sl_result_destroy(&last);
    return SL_OK;
}

char *sl_session_print_schema(sl_session *s, const char *name) {
    if (!s || !name) return NULL;
    sl__err_clear(&s->err);
    s->errmsg[0] = 0;
    sl__table *t = sl__catalog_get(&s->cat, name);
    if (!t) {
        sl__err e;
        sl__err_clear(&e);
        sl__err_set(&e, SL_ERR_ANALYSIS, -1, "table, view or stream not found: '%s'", name);
        fail(s, &e, "", 0);
        return NULL;
    }
    sl__buf b = SL_BUF_INIT;
    sl__type_print_tree(t->schema, &b);
    sl__table_unref(t);
    return sl__buf_take(&b);
}
