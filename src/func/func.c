/*
 * func.c — the scalar function registry: lookup by name over the tables the
 * function files export, the shared bind driver, and Spark's implicit
 * coercion rules used by every bind callback.
 */
#include "func/func.h"
#include <strings.h>

static const sl__fn_table *const tables[] = {
    &sl__fn_core, &sl__fn_string, &sl__fn_time, &sl__fn_json, &sl__fn_nested, &sl__fn_window,
};

const sl__fn_def *sl__fn_find(const char *name) {
    for (size_t t = 0; t < SL_ARRAY_LEN(tables); t++)
        for (size_t i = 0; i < tables[t]->n; i++)
            if (strcasecmp(tables[t]->defs[i].name, name) == 0) return &tables[t]->defs[i];
    return NULL;
}

void sl__fn_each(void (*fn)(void *ud, const sl__fn_def *def), void *ud) {
    for (size_t t = 0; t < SL_ARRAY_LEN(tables); t++)
        for (size_t i = 0; i < tables[t]->n; i++) fn(ud, &tables[t]->defs[i]);
}

sl__expr *sl__fn_bind_call(const sl__fn_def *def, const char *name, sl__expr **args,
                           uint32_t n_args, uint32_t pos, const char *tz, sl__err *err) {
    return sl__fn_bind_call_named(def, name, args, n_args, pos, tz, NULL, err);
}

sl__expr *sl__fn_bind_call_named(const sl__fn_def *def, const char *name, sl__expr **args,
                                 uint32_t n_args, uint32_t pos, const char *tz,
                                 const char *const *arg_names, sl__err *err) {
    if ((int)n_args < def->min_args || (def->max_args >= 0 && (int)n_args > def->max_args)) {
        if (def->min_args == def->max_args)
            sl__err_set(err, SL_ERR_ANALYSIS, pos, "%s takes %d argument%s, got %u (usage: %s)",
                        def->name, def->min_args, def->min_args == 1 ? "" : "s", n_args,
                        def->usage);
        else
            sl__err_set(err, SL_ERR_ANALYSIS, pos, "%s: wrong number of arguments (%u); usage: %s",
                        def->name, n_args, def->usage);
        for (uint32_t i = 0; i < n_args; i++) sl__expr_free(args[i]);
        return NULL;
    }
    sl__fbind fb;
    memset(&fb, 0, sizeof fb);
    fb.name = def->name;
    fb.args = args;
    fb.n_args = n_args;
    fb.pos = pos;
    fb.err = err;
    fb.time_zone = tz ? tz : "UTC";
    fb.arg_names = arg_names;
    if (def->bind(&fb) != SL_OK) {
        if (err->code == SL_OK)
            sl__err_set(err, SL_ERR_ANALYSIS, pos, "%s: invalid arguments", def->name);
        for (uint32_t i = 0; i < n_args; i++) sl__expr_free(fb.args[i]);
        if (fb.state && fb.free_state) fb.free_state(fb.state);
        return NULL;
    }
    sl__expr *e = sl__expr_call(def->name, fb.type, fb.kernel, fb.args, n_args);
    e->state = fb.state;
    e->free_state = fb.free_state;
    e->iparam = fb.iparam;
    e->volatile_ = fb.volatile_;
    return e;
}

static int numeric_rank(const sl__type *t) {
    switch (t->id) {
    case SL_TYPE_SMALLINT: return 1;
    case SL_TYPE_INT: return 2;
    case SL_TYPE_BIGINT: return 3;
    case SL_TYPE_DOUBLE: return 4;
    default: return 0;
    }
}

const sl__type *sl__wider_numeric(const sl__type *a, const sl__type *b) {
    int ra = numeric_rank(a), rb = numeric_rank(b);
    if (!ra || !rb) return NULL;
    return ra >= rb ? a : b;
}

const sl__type *sl__common_type(const sl__type *a, const sl__type *b) {
    if (a == b) return a;
    if (a->id == SL_TYPE_NULL) return b;
    if (b->id == SL_TYPE_NULL) return a;
    const sl__type *n = sl__wider_numeric(a, b);
    if (n) return n;
    if ((a->id == SL_TYPE_TIMESTAMP && b->id == SL_TYPE_DATE) ||
        (a->id == SL_TYPE_DATE && b->id == SL_TYPE_TIMESTAMP))
        return SL_T_TS;
    /* Spark promotes to string when one side is a string and the other an atomic type */
    if (a->id == SL_TYPE_STRING && b->id != SL_TYPE_STRUCT && b->id != SL_TYPE_ARRAY) return a;
    if (b->id == SL_TYPE_STRING && a->id != SL_TYPE_STRUCT && a->id != SL_TYPE_ARRAY) return b;
    if (a->id == SL_TYPE_ARRAY && b->id == SL_TYPE_ARRAY) {
        const sl__type *e = sl__common_type(a->fields[0], b->fields[0]);
        return e ? sl__type_array(e) : NULL;
    }
    if (a->id == SL_TYPE_STRUCT && b->id == SL_TYPE_STRUCT && a->n_fields == b->n_fields) {
        const sl__type *f[64];
        if (a->n_fields > 64) return NULL;
        for (uint32_t i = 0; i < a->n_fields; i++) {
            f[i] = sl__common_type(a->fields[i], b->fields[i]);
            if (!f[i]) return NULL;
        }
        return sl__type_struct(a->n_fields, a->names, f, NULL);
    }
    return NULL;
}

sl__expr *sl__cast_to(sl__expr *e, const sl__type *t) {
    /* an impossible cast leaves e as it is (sl__cast_bind would free it) */
    if (e->type == t || !sl__cast_kernel(e->type, t)) return e;
    sl__err err;
    sl__err_clear(&err);
    sl__expr *c = sl__cast_bind(e, t, 0, &err);
    return c ? c : e;
}

void sl__fbind_cast_arg(sl__fbind *fb, uint32_t i, const sl__type *t) {
    fb->args[i] = sl__cast_to(fb->args[i], t);
}

sl_status sl__fbind_type_error(sl__fbind *fb, uint32_t i, const char *want) {
    return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos, "%s: argument %u must be %s, got %s",
                       fb->name, i + 1, want, fb->args[i]->type->name);
}

const sl__vec *sl__fbind_const(const sl__fbind *fb, uint32_t i) {
    return fb->args[i]->kind == E_CONST ? fb->args[i]->cval : NULL;
}
