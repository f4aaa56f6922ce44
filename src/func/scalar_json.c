/*
 * scalar_json.c — the JSON functions: from_json (R165–R169), to_json and
 * get_json_object, over the decoder and writer of format/json.h.
 *
 * schema_of_json(json): the schema Spark's JSON inference gives a constant
 * JSON object, in SQL form ("STRUCT<a: BIGINT, b: ARRAY<STRING>>"), ready
 * to paste into from_json.
 *
 * from_json(str, schema): schema is a constant DDL string ('a INT, b
 * STRING' or 'struct<...>'), parsed once at bind time; the result is a
 * STRUCT whose fields (all nullable, as Spark makes them) are decoded
 * straight into the output's child vectors, strings borrowed from the input
 * (which lives as long as the batch). NULL input -> NULL struct; malformed
 * text -> a struct of NULL fields (not a NULL struct); each malformed or
 * partly mistyped row adds one to ctx->bad_records. PERMISSIVE only: the
 * options map argument of Spark is refused (sluice has no MAP type).
 *
 * The bound state is shared by clones of the expression on several
 * threads: it holds the schema and one cached decoder taken with an atomic
 * exchange (a second thread finding it taken makes its own).
 */
#include "format/badrec.h"
#include "format/json.h"
#include "func/kernel.h"
#include "types/text.h"

/* ---- from_json ------------------------------------------------------------ */

typedef struct fj_state {
    const sl__type *schema;
    sl__json_decoder *cached; /* atomic */
} fj_state;

static void fj_free(void *p) {
    fj_state *s = p;
    sl__json_decoder_free(s->cached);
    sl__free(s);
}

static sl__json_decoder *fj_take(fj_state *s, const sl__ectx *ctx) {
    sl__json_decoder *d = __atomic_exchange_n(&s->cached, NULL, __ATOMIC_ACQUIRE);
    if (!d)
        d = sl__json_decoder_new(s->schema, ctx->tz_offset_us);
    else
        sl__json_decoder_set_tz(d, ctx->tz_offset_us);
    if (ctx->tz) sl__json_decoder_set_zone(d, ctx->tz);
    return d;
}

static void fj_give(fj_state *s, sl__json_decoder *d) {
    sl__json_decoder *old = __atomic_exchange_n(&s->cached, d, __ATOMIC_RELEASE);
    sl__json_decoder_free(old);
}

static void k_from_json(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                        sl__vec *out) {
    fj_state *s = e->state;
    sl__json_decoder *d = fj_take(s, ctx);
    const sl__vec *in = a[0];
    uint64_t bad = 0;
    SL_FOR_ROWS(rows, r) {
        uint32_t k = sl__vec_idx(in, r);
        if (!sl__vec_valid(in, k)) {
            sl__json_set_null(out, r);
            continue;
        }
        sl__str t = SL_VEC_DATA(in, sl__str)[k];
        sl__vec_set_valid(out, r);
        sl__json_status st = sl__json_decode(d, t.ptr, t.len, out->child, r, true);
        if (st != SL_JSON_OK) {
            bad++;
            if (ctx->keep_bad)
                sl__badrec_add(ctx->keep_bad, "from_json", t.ptr, t.len,
                               st == SL_JSON_MALFORMED
                                   ? "malformed JSON"
                                   : "a field of the wrong type (read as NULL)");
        }
    }
    ctx->bad_records += bad;
    fj_give(s, d);
}

/* Spark reads every field of a from_json schema as nullable. */
static const sl__type *as_nullable(const sl__type *t) {
    if (t->id == SL_TYPE_ARRAY) return sl__type_array(as_nullable(t->fields[0]));
    if (t->id != SL_TYPE_STRUCT) return t;
    const sl__type **f = sl__calloc(t->n_fields ? t->n_fields : 1, sizeof *f);
    for (uint32_t i = 0; i < t->n_fields; i++) f[i] = as_nullable(t->fields[i]);
    const sl__type *r = sl__type_struct(t->n_fields, t->names, f, NULL);
    sl__free(f);
    return r;
}

/* A type the decoder cannot fill: INTERVAL (and NULL) anywhere inside. */
static const sl__type *unreadable(const sl__type *t) {
    if (t->id == SL_TYPE_INTERVAL) return t;
    for (uint32_t i = 0; (t->id == SL_TYPE_STRUCT || t->id == SL_TYPE_ARRAY) && i < t->n_fields;
         i++) {
        const sl__type *u = unreadable(t->fields[i]);
        if (u) return u;
    }
    return NULL;
}

/* Folds a constant argument that is not yet a literal (a cast of one). */
static const sl__vec *const_arg(sl__fbind *fb, uint32_t i) {
    sl__expr *x = fb->args[i];
    if (x->kind != E_CONST && sl__expr_is_const(x)) {
        int64_t off = 0;
        const char *tz = fb->time_zone ? fb->time_zone : "UTC";
        sl__parse_zone_offset(tz, strlen(tz), &off);
        sl__err err;
        sl__err_clear(&err);
        sl__ectx ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.err = &err;
        ctx.time_zone = tz;
        ctx.tz_offset_us = off;
        fb->args[i] = sl__expr_fold(x, &ctx);
    }
    return sl__fbind_const(fb, i);
}

static sl_status bind_from_json(sl__fbind *fb) {
    const sl__type *t0 = fb->args[0]->type;
    if (t0->id == SL_TYPE_NULL)
        sl__fbind_cast_arg(fb, 0, SL_T_STR);
    else if (t0->id != SL_TYPE_STRING)
        return sl__fbind_type_error(fb, 0, "a JSON string");
    if (fb->n_args > 2)
        return sl__err_set(fb->err, SL_ERR_UNSUPPORTED, fb->pos,
                           "from_json: the options argument is not supported (sluice has no MAP "
                           "type); from_json(str, schema) reads with Spark's defaults (mode "
                           "PERMISSIVE)");
    const sl__vec *sv = fb->args[1]->type->id == SL_TYPE_STRING ? const_arg(fb, 1) : NULL;
    if (!sv || !sl__vec_valid(sv, 0))
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "from_json: the schema must be a constant string such as 'a INT, b "
                           "STRING' or 'struct<a: INT, b: STRING>', got %s",
                           sv ? "NULL" : fb->args[1]->type->name);
    sl__str txt = SL_VEC_DATA(sv, sl__str)[0];
    const sl__type *schema;
    sl__err perr;
    sl__err_clear(&perr);
    if (sl__schema_parse(txt.ptr, txt.len, &schema, &perr) != SL_OK)
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "from_json: invalid schema '%.*s': %s", (int)SL_MIN(txt.len, 200u),
                           txt.ptr, perr.msg);
    const sl__type *bad = unreadable(schema);
    if (bad)
        return sl__err_set(fb->err, SL_ERR_UNSUPPORTED, fb->pos,
                           "from_json: a field of type %s cannot be read from JSON", bad->name);
    fj_state *s = sl__calloc(1, sizeof *s);
    s->schema = as_nullable(schema);
    fb->type = s->schema;
    fb->kernel = k_from_json;
    fb->state = s;
    fb->free_state = fj_free;
    return SL_OK;
}

/* ---- to_json -------------------------------------------------------------- */

static void k_to_json(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    sl__buf b = SL_BUF_INIT;
    SL_FOR_ROWS(rows, r) {
        if (!SL_ARG_VALID(a[0], r)) {
            sl__vec_set_null(out, r);
            continue;
        }
        sl__buf_clear(&b);
        if (ctx->tz)
            sl__json_write_value_zone(a[0], r, ctx->tz, &b);
        else
            sl__json_write_value(a[0], r, ctx->tz_offset_us, &b);
        sl__vec_set_str_copy(out, r, sl__buf_str(&b), b.len);
        sl__vec_set_valid(out, r);
    }
    sl__buf_free(&b);
}

static sl_status bind_to_json(sl__fbind *fb) {
    sl_type_id id = fb->args[0]->type->id;
    if (id != SL_TYPE_STRUCT && id != SL_TYPE_ARRAY)
        return sl__fbind_type_error(fb, 0, "a struct or an array");
    if (fb->n_args > 1)
        return sl__err_set(fb->err, SL_ERR_UNSUPPORTED, fb->pos,
                           "to_json: the options argument is not supported (sluice has no MAP "
                           "type); to_json(expr) writes with Spark's defaults");
    fb->type = SL_T_STR;
    fb->kernel = k_to_json;
    return SL_OK;
}

/* ---- get_json_object ------------------------------------------------------ */

static void k_get_json_object(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                              sl__vec *out) {
    sl__buf b = SL_BUF_INIT;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        sl__str j = sl__get_str(a[0], r), p = sl__get_str(a[1], r);
        sl__buf_clear(&b);
        if (!sl__json_get_path(j.ptr, j.len, p.ptr, p.len, &b)) {
            sl__vec_set_null(out, r);
            continue;
        }
        sl__vec_set_str_copy(out, r, sl__buf_str(&b), b.len);
        sl__vec_set_valid(out, r);
    }
    sl__buf_free(&b);
}

static sl_status bind_get_json_object(sl__fbind *fb) {
    for (uint32_t i = 0; i < 2; i++) {
        sl_type_id id = fb->args[i]->type->id;
        if (id == SL_TYPE_NULL)
            sl__fbind_cast_arg(fb, i, SL_T_STR);
        else if (id != SL_TYPE_STRING)
            return sl__fbind_type_error(fb, i, "a string");
    }
    fb->type = SL_T_STR;
    fb->kernel = k_get_json_object;
    return SL_OK;
}

/* ---- schema_of_json ------------------------------------------------------ */

/* A field name as Spark's quoteIfNeeded writes it. */
static void put_name(const char *n, sl__buf *out) {
    bool plain = (*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || *n == '_';
    for (const char *c = n; *c && plain; c++)
        plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_' ||
                (*c >= '0' && *c <= '9');
    if (plain) {
        sl__buf_puts(out, n);
        return;
    }
    sl__buf_putc(out, '`');
    for (const char *c = n; *c; c++) {
        if (*c == '`') sl__buf_putc(out, '`');
        sl__buf_putc(out, *c);
    }
    sl__buf_putc(out, '`');
}

/* Spark's DataType.sql: BIGINT, ARRAY<STRING>, STRUCT<a: INT, b: DOUBLE>. */
static void put_sql_type(const sl__type *t, sl__buf *out) {
    switch (t->id) {
    case SL_TYPE_ARRAY:
        sl__buf_puts(out, "ARRAY<");
        put_sql_type(t->fields[0], out);
        sl__buf_putc(out, '>');
        return;
    case SL_TYPE_STRUCT:
        sl__buf_puts(out, "STRUCT<");
        for (uint32_t i = 0; i < t->n_fields; i++) {
            if (i) sl__buf_puts(out, ", ");
            put_name(t->names[i], out);
            sl__buf_puts(out, ": ");
            put_sql_type(t->fields[i], out);
        }
        sl__buf_putc(out, '>');
        return;
    default:
        for (const char *c = t->name; *c; c++)
            sl__buf_putc(out, (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c));
    }
}

static void k_schema_text(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                          sl__vec *out) {
    const char *txt = e->state;
    size_t n = strlen(txt);
    SL_FOR_ROWS(rows, r) {
        sl__vec_set_str_borrow(out, r, txt, n); /* the bound state outlives the batch */
        sl__vec_set_valid(out, r);
    }
}

static sl_status bind_schema_of_json(sl__fbind *fb) {
    const sl__vec *v = fb->args[0]->type->id == SL_TYPE_STRING ? const_arg(fb, 0) : NULL;
    if (!v || !sl__vec_valid(v, 0))
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "schema_of_json: the argument must be a constant JSON string, got %s",
                           v ? "NULL" : fb->args[0]->type->name);
    sl__str j = SL_VEC_DATA(v, sl__str)[0];
    sl__json_infer *ji = sl__json_infer_new(false);
    bool ok = sl__json_infer_add(ji, j.ptr, j.len);
    const sl__type *t = ok ? sl__json_infer_schema(ji, false) : NULL;
    sl__json_infer_free(ji);
    if (!t)
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "schema_of_json: '%.*s' is not a JSON object", (int)SL_MIN(j.len, 100u),
                           j.ptr);
    sl__buf b = SL_BUF_INIT;
    put_sql_type(t, &b);
    fb->state = sl__buf_take(&b);
    fb->free_state = sl__free;
    fb->type = SL_T_STR;
    fb->kernel = k_schema_text;
    return SL_OK;
}

static const sl__fn_def defs[] = {
    {"from_json", 2, 3, bind_from_json, "from_json(str, schema)",
     "Parses a JSON object into a struct of the given schema (DDL string); malformed text gives "
     "a struct of NULLs."},
    {"to_json", 1, 2, bind_to_json, "to_json(expr)",
     "A struct or array as JSON text (NULL fields omitted)."},
    {"get_json_object", 2, 2, bind_get_json_object, "get_json_object(json, path)",
     "The value at a JSON path ('$.a.b[0]') as a string; NULL when absent or malformed."},
    {"schema_of_json", 1, 1, bind_schema_of_json, "schema_of_json(json)",
     "The schema inferred from a constant JSON object, as a from_json schema string."},
};

const sl__fn_table sl__fn_json = {defs, SL_ARRAY_LEN(defs)};
