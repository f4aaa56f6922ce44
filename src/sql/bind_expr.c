/*
 * bind_expr.c — binding expressions: column resolution (qualified names,
 * struct fields, ambiguity and "did you mean" errors), operators mapped to
 * registry functions, the lazily evaluated forms (AND, OR, CASE, IF,
 * COALESCE, NVL), casts, aggregate calls inside aggregate queries, and
 * Spark's automatic column names.
 */
#include "sql/binder_int.h"
#include "func/window.h"
#include "types/interval.h"
#include "types/text.h"
#include <strings.h>

static bool name_eq(const bctx *b, const char *x, const char *y) {
    return b->env->case_sensitive ? strcmp(x, y) == 0 : strcasecmp(x, y) == 0;
}

sl__expr *sl__fold(bctx *b, sl__expr *e) {
    if (!e || e->kind == E_CONST) return e;
    sl__ectx ctx = {0};
    sl__err err;
    sl__err_clear(&err);
    ctx.err = &err;
    ctx.tz_offset_us = b->env->tz_offset_us;
    ctx.tz = b->env->tzinfo;
    ctx.time_zone = b->env->tz;
    sl__expr *f = sl__expr_fold(e, &ctx);
    if (ctx.failed && err.code == SL_ERR_ANALYSIS) {
        /* a typed literal that does not parse (TIMESTAMP 'x'): an error now */
        sl__err_set(b->err, SL_ERR_ANALYSIS, -1, "%s", err.msg);
        sl__expr_free(f);
        return NULL;
    }
    return f;
}

sl__expr *sl__call(bctx *b, const char *fname, uint32_t pos, sl__expr **args, uint32_t n) {
    const sl__fn_def *def = sl__fn_find(fname);
    if (!def) {
        for (uint32_t i = 0; i < n; i++) sl__expr_free(args[i]);
        sl__err_set(b->err, SL_ERR_INTERNAL, pos, "function %s is missing", fname);
        return NULL;
    }
    sl__expr *e = sl__fn_bind_call(def, fname, args, n, pos, b->env->tz, b->err);
    return sl__fold(b, e);
}

/* ---- names -------------------------------------------------------------- */

static void name_into(const char *src, const sl__ast *e, sl__buf *out);

static void name_list(const char *src, sl__ast **args, uint32_t n, sl__buf *out) {
    for (uint32_t i = 0; i < n; i++) {
        if (i) sl__buf_puts(out, ", ");
        name_into(src, args[i], out);
    }
}

static void type_upper(const sl__type *t, sl__buf *out) {
    for (const char *p = t->name; *p; p++)
        sl__buf_putc(out, (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p);
}

static void name_into(const char *src, const sl__ast *e, sl__buf *out) {
    switch (e->kind) {
    case A_LITERAL:
        switch (e->lit.type) {
        case SL_TYPE_NULL: sl__buf_puts(out, "NULL"); break;
        case SL_TYPE_BOOLEAN: sl__buf_puts(out, e->lit.i ? "true" : "false"); break;
        case SL_TYPE_STRING: sl__buf_append(out, e->lit.s, e->lit.slen); break;
        case SL_TYPE_DOUBLE: {
            /* Spark names a decimal literal by its text (1.50), a double by its value */
            const char *t = src + e->pos;
            size_t n = e->end - e->pos;
            bool plain = n > 0 && !memchr(t, 'e', n) && !memchr(t, 'E', n) && !memchr(t, 'd', n) &&
                         !memchr(t, 'D', n);
            if (plain)
                sl__buf_append(out, t, n);
            else {
                char tmp[40];
                sl__buf_append(out, tmp, sl__fmt_double(e->lit.d, tmp));
            }
            break;
        }
        default: sl__buf_printf(out, "%lld", (long long)e->lit.i);
        }
        break;
    case A_INTERVAL: {
        const char *t = src + e->pos;
        sl__buf_append(out, t, e->end - e->pos);
        break;
    }
    case A_COLUMN: sl__buf_puts(out, e->parts[e->n_parts - 1]); break;
    case A_STAR: sl__buf_puts(out, "*"); break;
    case A_FIELD: sl__buf_puts(out, e->name); break;
    case A_SUBSCRIPT:
        name_into(src, e->a, out);
        sl__buf_putc(out, '[');
        name_into(src, e->b, out);
        sl__buf_putc(out, ']');
        break;
    case A_FUNC: {
        const char *n = e->name;
        if (strcasecmp(n, "window") == 0 || strcasecmp(n, "session_window") == 0) {
            sl__buf_puts(out, strcasecmp(n, "window") == 0 ? "window" : "session_window");
            break;
        }
        if (strcasecmp(n, "explode") == 0 || strcasecmp(n, "explode_outer") == 0) {
            sl__buf_puts(out, "col");
            break;
        }
        if (strcasecmp(n, "count") == 0 && (e->star || e->n_args == 0)) {
            sl__buf_puts(out, "count(1)");
            break;
        }
        if (strcasecmp(n, "from_json") == 0 && e->n_args >= 1) {
            sl__buf_puts(out, "from_json(");
            name_into(src, e->args[0], out);
            sl__buf_putc(out, ')');
            break;
        }
        if ((strcasecmp(n, "if") == 0 || strcasecmp(n, "iff") == 0) && e->n_args == 3) {
            /* Spark's If prints itself as (IF(p, a, b)) */
            sl__buf_puts(out, "(IF(");
            name_list(src, e->args, e->n_args, out);
            sl__buf_puts(out, "))");
            break;
        }
        /* function names print in lower case, as Spark prints registered names */
        for (const char *p = n; *p; p++)
            sl__buf_putc(out, (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p);
        sl__buf_putc(out, '(');
        if (e->distinct) sl__buf_puts(out, "DISTINCT ");
        name_list(src, e->args, e->n_args, out);
        sl__buf_putc(out, ')');
        break;
    }
    case A_UNARY:
        if (e->op == OP_NOT) {
            sl__buf_puts(out, "(NOT ");
            name_into(src, e->a, out);
            sl__buf_putc(out, ')');
        } else if (e->op == OP_NEG) {
            sl__buf_puts(out, "(- ");
            name_into(src, e->a, out);
            sl__buf_putc(out, ')');
        } else if (e->op == OP_PLUS) {
            sl__buf_puts(out, "(+ ");
            name_into(src, e->a, out);
            sl__buf_putc(out, ')');
        } else {
            sl__buf_puts(out, "~");
            name_into(src, e->a, out);
        }
        break;
    case A_BINARY:
        if (e->op == OP_CONCAT) {
            sl__buf_puts(out, "concat(");
            name_into(src, e->a, out);
            sl__buf_puts(out, ", ");
            name_into(src, e->b, out);
            sl__buf_putc(out, ')');
            break;
        }
        /* Spark parses a <> b and a != b as NOT (a = b) */
        if (e->op == OP_NE) sl__buf_puts(out, "(NOT ");
        sl__buf_putc(out, '(');
        name_into(src, e->a, out);
        sl__buf_printf(out, " %s ", e->op == OP_EQ || e->op == OP_NE ? "=" : sl__op_text(e->op));
        name_into(src, e->b, out);
        sl__buf_putc(out, ')');
        if (e->op == OP_NE) sl__buf_putc(out, ')');
        break;
    case A_CASE:
        /* Spark's parser turns CASE x WHEN v into CASE WHEN (x = v): so do the names */
        sl__buf_puts(out, "CASE");
        for (uint32_t i = 0; i + 1 < e->n_args; i += 2) {
            sl__buf_puts(out, " WHEN ");
            if (e->a) {
                sl__buf_putc(out, '(');
                name_into(src, e->a, out);
                sl__buf_puts(out, " = ");
                name_into(src, e->args[i], out);
                sl__buf_putc(out, ')');
            } else {
                name_into(src, e->args[i], out);
            }
            sl__buf_puts(out, " THEN ");
            name_into(src, e->args[i + 1], out);
        }
        if (e->c) {
            sl__buf_puts(out, " ELSE ");
            name_into(src, e->c, out);
        }
        sl__buf_puts(out, " END");
        break;
    case A_CAST:
        if (e->op == 2) { /* typed literal */
            sl__buf_puts(out, e->type->id == SL_TYPE_DATE ? "DATE '" : "TIMESTAMP '");
            sl__buf_append(out, e->a->lit.s, e->a->lit.slen);
            sl__buf_putc(out, '\'');
            break;
        }
        sl__buf_puts(out, e->op == 1 ? "TRY_CAST(" : "CAST(");
        name_into(src, e->a, out);
        sl__buf_puts(out, " AS ");
        type_upper(e->type, out);
        sl__buf_putc(out, ')');
        break;
    case A_IN:
        sl__buf_putc(out, '(');
        name_into(src, e->a, out);
        sl__buf_puts(out, e->negated ? " NOT IN (" : " IN (");
        name_list(src, e->args, e->n_args, out);
        sl__buf_puts(out, "))");
        break;
    case A_BETWEEN:
        /* Spark 3.5 parses a BETWEEN b AND c as ((a >= b) AND (a <= c)) */
        if (e->negated) sl__buf_puts(out, "(NOT ");
        sl__buf_puts(out, "((");
        name_into(src, e->a, out);
        sl__buf_puts(out, " >= ");
        name_into(src, e->b, out);
        sl__buf_puts(out, ") AND (");
        name_into(src, e->a, out);
        sl__buf_puts(out, " <= ");
        name_into(src, e->c, out);
        sl__buf_puts(out, "))");
        if (e->negated) sl__buf_putc(out, ')');
        break;
    case A_LIKE:
        if (e->negated) sl__buf_puts(out, "(NOT ");
        if (e->op == OP_RLIKE) {
            sl__buf_puts(out, "RLIKE(");
            name_into(src, e->a, out);
            sl__buf_puts(out, ", ");
            name_into(src, e->b, out);
            sl__buf_putc(out, ')');
        } else {
            name_into(src, e->a, out);
            sl__buf_puts(out, e->op == OP_ILIKE ? " ILIKE " : " LIKE ");
            name_into(src, e->b, out);
        }
        if (e->negated) sl__buf_putc(out, ')');
        break;
    case A_ISNULL:
        sl__buf_putc(out, '(');
        name_into(src, e->a, out);
        sl__buf_puts(out, e->negated ? " IS NOT NULL)" : " IS NULL)");
        break;
    case A_SUBQUERY: sl__buf_puts(out, "scalarsubquery()"); break;
    }
}

char *sl__ast_name(const char *src, const sl__ast *e) {
    sl__buf b = SL_BUF_INIT;
    name_into(src, e, &b);
    return sl__buf_take(&b);
}

/* ---- columns ------------------------------------------------------------ */

static void list_columns(const scope *sc, sl__buf *out) {
    uint32_t shown = 0;
    for (uint32_t i = 0; i < sc->n; i++) {
        if (sc->cols[i].hidden) continue;
        if (shown++) sl__buf_puts(out, ", ");
        if (shown > 30) {
            sl__buf_puts(out, "...");
            break;
        }
        if (sc->cols[i].qual) sl__buf_printf(out, "%s.", sc->cols[i].qual);
        sl__buf_puts(out, sc->cols[i].name);
    }
    if (!shown) sl__buf_puts(out, "(none)");
}

/* Applies struct field accesses parts[from..] to base. */
static sl__expr *apply_fields(bctx *b, sl__expr *base, const sl__ast *e, uint32_t from,
                              const char **name_out) {
    for (uint32_t k = from; k < e->n_parts; k++) {
        if (base->type->id != SL_TYPE_STRUCT) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                        "cannot access field '%s' of %s (a %s, not a struct)", e->parts[k],
                        e->parts[k - 1], base->type->name);
            sl__expr_free(base);
            return NULL;
        }
        int fi = sl__type_field_index(base->type, e->parts[k], strlen(e->parts[k]),
                                      b->env->case_sensitive);
        if (fi < 0) {
            sl__buf l = SL_BUF_INIT;
            for (uint32_t f = 0; f < base->type->n_fields; f++) {
                if (f) sl__buf_puts(&l, ", ");
                sl__buf_puts(&l, base->type->names[f]);
            }
            sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                        fi == -2 ? "field '%s' is ambiguous in %s (fields: %s)"
                                 : "no field '%s' in %s (fields: %s)",
                        e->parts[k], e->parts[k - 1], sl__buf_str(&l));
            sl__buf_free(&l);
            sl__expr_free(base);
            return NULL;
        }
        if (name_out) *name_out = base->type->names[fi];
        base = sl__expr_field(base, (uint32_t)fi);
    }
    return base;
}

sl__expr *sl__bind_column(bctx *b, const sl__ast *e, const scope *sc, const char **name_out) {
    /* qualifier.name[.field...] */
    if (e->n_parts >= 2) {
        int hit = -1, count = 0;
        for (uint32_t i = 0; i < sc->n; i++) {
            const bcol *c = &sc->cols[i];
            if (c->qual && name_eq(b, c->qual, e->parts[0]) && name_eq(b, c->name, e->parts[1])) {
                if (hit < 0) hit = (int)i;
                count++;
            }
        }
        if (count > 1) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos, "reference '%s.%s' is ambiguous",
                        e->parts[0], e->parts[1]);
            return NULL;
        }
        if (hit >= 0) {
            if (name_out) *name_out = sc->cols[hit].name;
            sl__expr *base = sl__expr_colref((uint32_t)hit, sc->cols[hit].type);
            return apply_fields(b, base, e, 2, name_out);
        }
    }
    int hit = -1, count = 0;
    for (uint32_t i = 0; i < sc->n; i++) {
        const bcol *c = &sc->cols[i];
        if (c->hidden) continue;
        if (name_eq(b, c->name, e->parts[0])) {
            if (hit < 0) hit = (int)i;
            count++;
        }
    }
    if (count > 1) {
        sl__buf l = SL_BUF_INIT;
        for (uint32_t i = 0; i < sc->n; i++) {
            const bcol *c = &sc->cols[i];
            if (c->hidden || !name_eq(b, c->name, e->parts[0])) continue;
            if (l.len) sl__buf_puts(&l, ", ");
            sl__buf_printf(&l, "%s%s%s", c->qual ? c->qual : "", c->qual ? "." : "", c->name);
        }
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                    "reference '%s' is ambiguous, could be: %s (qualify it with a table name)",
                    e->parts[0], sl__buf_str(&l));
        sl__buf_free(&l);
        return NULL;
    }
    if (hit < 0) {
        /* name the whole path (t.nope, x.id), not only its first part */
        sl__buf path = SL_BUF_INIT, l = SL_BUF_INIT;
        for (uint32_t i = 0; i < e->n_parts; i++)
            sl__buf_printf(&path, "%s%s", i ? "." : "", e->parts[i]);
        list_columns(sc, &l);
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                    "cannot resolve column '%s'; available columns: %s", sl__buf_str(&path),
                    sl__buf_str(&l));
        sl__buf_free(&path);
        sl__buf_free(&l);
        return NULL;
    }
    if (name_out) *name_out = sc->cols[hit].name;
    sl__expr *base = sl__expr_colref((uint32_t)hit, sc->cols[hit].type);
    return apply_fields(b, base, e, 1, name_out);
}

/* ---- aggregates ----------------------------------------------------------- */

static bool is_agg_name(const char *n) {
    return sl__agg_find(n) != NULL;
}

bool sl__ast_has_agg(const sl__ast *e) {
    if (!e) return false;
    if (e->kind == A_FUNC && (is_agg_name(e->name) || strcasecmp(e->name, "grouping") == 0 ||
                              strcasecmp(e->name, "grouping_id") == 0))
        return true;
    if (e->kind == A_SUBQUERY) return false;
    if (sl__ast_has_agg(e->a) || sl__ast_has_agg(e->b) || sl__ast_has_agg(e->c)) return true;
    for (uint32_t i = 0; i < e->n_args; i++)
        if (sl__ast_has_agg(e->args[i])) return true;
    return false;
}

bool sl__ast_is_generator(const sl__ast *e) {
    return e && e->kind == A_FUNC &&
           (strcasecmp(e->name, "explode") == 0 || strcasecmp(e->name, "explode_outer") == 0 ||
            strcasecmp(e->name, "posexplode") == 0 ||
            strcasecmp(e->name, "posexplode_outer") == 0 || strcasecmp(e->name, "inline") == 0);
}

static sl__expr *register_agg(bctx *b, const sl__ast *e, const sl__agg_def *def, sl__expr **args,
                              uint32_t n, bool star, char *name);

/*
 * count(a, b, ...) and count(DISTINCT a, b, ...) (count(DISTINCT *): every
 * column): Spark counts the rows (the distinct tuples) where no argument is
 * NULL. Bound as count[DISTINCT] of one value, CASE WHEN a IS NULL OR ...
 * THEN NULL ELSE struct(a, b, ...) END.
 */
static sl__expr *bind_count_multi(bctx *b, const sl__ast *e, const sl__agg_def *def) {
    const scope *in = b->agg->input;
    sl__ast **asts = e->args;
    uint32_t n = e->n_args;
    if (e->star) {
        /* the visible input columns, as column references */
        asts = sl__arena_alloc(b->a, sizeof *asts * (in->n ? in->n : 1));
        n = 0;
        for (uint32_t i = 0; i < in->n; i++) {
            if (in->cols[i].hidden) continue;
            sl__ast *c = sl__arena_calloc(b->a, sizeof *c);
            c->kind = A_COLUMN;
            c->pos = e->pos;
            c->parts = sl__arena_alloc(b->a, sizeof *c->parts * 2);
            c->n_parts = 0;
            if (in->cols[i].qual) c->parts[c->n_parts++] = in->cols[i].qual;
            c->parts[c->n_parts++] = in->cols[i].name;
            asts[n++] = c;
        }
        if (n == 0) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos, "count(DISTINCT *) of no columns");
            return NULL;
        }
    }
    sl__expr **args = sl__calloc(n, sizeof *args);
    sl__expr *anynull = NULL;
    b->in_agg_arg = true;
    for (uint32_t i = 0; i < n; i++) {
        args[i] = sl__bind_expr(b, asts[i], in);
        if (!args[i]) break;
        sl__expr *c = sl__expr_clone(args[i]);
        sl__expr *isn = sl__call(b, "isnull", e->pos, &c, 1);
        if (!anynull)
            anynull = isn;
        else {
            sl__expr *two[2] = {anynull, isn};
            anynull = sl__expr_new(E_OR, SL_T_BOOL, two, 2);
        }
    }
    b->in_agg_arg = false;
    for (uint32_t i = 0; i < n; i++) {
        if (args[i]) continue;
        for (uint32_t k = 0; k < i; k++) sl__expr_free(args[k]);
        sl__free(args);
        sl__expr_free(anynull);
        return NULL;
    }
    sl__expr *tuple = sl__call(b, "struct", e->pos, args, n);
    sl__free(args);
    if (!tuple) {
        sl__expr_free(anynull);
        return NULL;
    }
    sl__expr *cargs[3] = {anynull, sl__expr_const_null(tuple->type), tuple};
    sl__expr *one = sl__expr_new(E_CASE, tuple->type, cargs, 3);
    one->has_else = true;
    char *name = NULL;
    if (e->star) {
        /* Spark names it after the expanded columns: count(DISTINCT x, y) */
        sl__buf nb = SL_BUF_INIT;
        sl__buf_puts(&nb, "count(DISTINCT ");
        for (uint32_t i = 0; i < n; i++)
            sl__buf_printf(&nb, "%s%s", i ? ", " : "", asts[i]->parts[asts[i]->n_parts - 1]);
        sl__buf_putc(&nb, ')');
        name = sl__buf_take(&nb);
    }
    sl__expr **one_arg = sl__malloc(sizeof *one_arg);
    one_arg[0] = one;
    return register_agg(b, e, def, one_arg, 1, false, name);
}

static sl__expr *bind_agg_call(bctx *b, const sl__ast *e, const sl__agg_def *def) {
    if (!b->agg || !b->allow_agg) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                    "aggregate function %s() is not allowed here (use it in SELECT or HAVING of "
                    "a grouped query, not in WHERE, GROUP BY or ON)",
                    e->name);
        return NULL;
    }
    if (b->in_agg_arg) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                    "aggregate function %s() cannot be nested inside another aggregate", e->name);
        return NULL;
    }
    uint32_t n = e->n_args;
    if (e->star && strcasecmp(def->name, "count") != 0) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos, "%s(*) is not valid; only count(*) is",
                    e->name);
        return NULL;
    }
    bool is_count = strcasecmp(def->name, "count") == 0;
    if (is_count && (n > 1 || (e->star && e->distinct))) return bind_count_multi(b, e, def);
    if (!e->star && ((int)n < def->min_args || (def->max_args >= 0 && (int)n > def->max_args))) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                    "%s: wrong number of arguments (%u); usage: %s", def->name, n, def->usage);
        return NULL;
    }
    sl__expr **args = sl__calloc(n ? n : 1, sizeof *args);
    b->in_agg_arg = true;
    for (uint32_t i = 0; i < n; i++) {
        args[i] = sl__bind_expr(b, e->args[i], b->agg->input);
        if (!args[i]) {
            b->in_agg_arg = false;
            for (uint32_t k = 0; k < i; k++) sl__expr_free(args[k]);
            sl__free(args);
            return NULL;
        }
    }
    b->in_agg_arg = false;
    return register_agg(b, e, def, args, n, e->star, NULL);
}

/* Binds the call's bound arguments (owned: args and the array) and adds it
 * to the aggregate list, or finds an equal call there. name (owned) replaces
 * the name made from the AST when not NULL. */
static sl__expr *register_agg(bctx *b, const sl__ast *e, const sl__agg_def *def, sl__expr **args,
                              uint32_t n, bool star, char *name) {
    sl__abind ab;
    memset(&ab, 0, sizeof ab);
    ab.name = def->name;
    ab.args = args;
    ab.n_args = n;
    ab.star = star;
    ab.distinct = e->distinct;
    ab.pos = e->pos;
    ab.err = b->err;
    if (def->bind(&ab) != SL_OK) {
        for (uint32_t k = 0; k < n; k++) sl__expr_free(ab.args[k]);
        sl__free(args);
        sl__free(name);
        return NULL;
    }
    /* only the first argument is evaluated per row; the rest were options */
    sl__expr *arg = n ? ab.args[0] : NULL;
    for (uint32_t k = 1; k < n; k++) sl__expr_free(ab.args[k]);
    sl__free(args);
    aggstate *as = b->agg;
    for (uint32_t i = 0; i < as->na; i++) {
        agg_entry *x = &as->aggs[i];
        bool same_arg =
            (!x->call.arg && !arg) || (x->call.arg && arg && sl__expr_equal(x->call.arg, arg));
        if (x->call.ops == ab.ops && x->call.distinct == e->distinct && same_arg) {
            sl__expr_free(arg);
            sl__free(name);
            return sl__expr_colref(AGG_MARK | i, x->call.type);
        }
    }
    if (as->na == as->cap) {
        as->cap = as->cap ? as->cap * 2 : 8;
        as->aggs = sl__realloc(as->aggs, sizeof *as->aggs * as->cap);
    }
    agg_entry *x = &as->aggs[as->na];
    memset(x, 0, sizeof *x);
    x->call.ops = ab.ops;
    x->call.arg = arg;
    x->call.type = ab.type;
    x->call.distinct = e->distinct;
    x->call.name = name ? name : sl__ast_name(b->src, e);
    x->ast = e;
    return sl__expr_colref(AGG_MARK | as->na++, ab.type);
}

/* Bit of GROUP BY key `arg` in the grouping id, as a BIGINT 0 or 1: the
 * grouping id has one bit per key, the first key as the highest bit. */
static sl__expr *grouping_bit(bctx *b, const sl__ast *e, const sl__ast *arg) {
    aggstate *as = b->agg;
    bool was = b->allow_agg;
    b->allow_agg = false;
    sl__expr *x = sl__bind_expr(b, arg, as->input);
    b->allow_agg = was;
    if (!x) return NULL;
    int idx = -1;
    for (uint32_t i = 0; i < as->nk; i++)
        if (sl__expr_equal(as->keys[i], x)) idx = (int)i;
    sl__expr_free(x);
    if (idx < 0) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, arg->pos,
                    "%s(%s): the column must be one of the GROUP BY keys", e->name,
                    arg->kind == A_COLUMN ? arg->parts[arg->n_parts - 1] : "...");
        return NULL;
    }
    int64_t shift = 1;
    for (uint32_t k = 0; k < as->nk - 1 - (uint32_t)idx; k++) shift *= 2;
    sl__expr *a1[2] = {sl__expr_colref(GID_MARK, SL_T_I64), sl__expr_const_i64(SL_T_I64, shift)};
    sl__expr *q = sl__call(b, "div", e->pos, a1, 2);
    if (!q) return NULL;
    sl__expr *a2[2] = {q, sl__expr_const_i64(SL_T_I64, 2)};
    return sl__call(b, "%", e->pos, a2, 2);
}

static sl__expr *bind_grouping(bctx *b, const sl__ast *e) {
    if (!b->agg || !b->allow_agg) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos, "%s() is only allowed in a grouped query",
                    e->name);
        return NULL;
    }
    aggstate *as = b->agg;
    as->uses_gid = true;
    if (strcasecmp(e->name, "grouping_id") == 0) {
        if (!e->n_args) return sl__expr_colref(GID_MARK, SL_T_I64);
        /* grouping_id(c1, ..., cn): the bits of those keys, c1 the highest */
        sl__expr *sum = NULL;
        for (uint32_t i = 0; i < e->n_args; i++) {
            sl__expr *bit = grouping_bit(b, e, e->args[i]);
            if (!bit) {
                sl__expr_free(sum);
                return NULL;
            }
            if (i + 1 < e->n_args) {
                sl__expr *m[2] = {bit,
                                  sl__expr_const_i64(SL_T_I64, (int64_t)1 << (e->n_args - 1 - i))};
                bit = sl__call(b, "*", e->pos, m, 2);
            }
            if (!sum)
                sum = bit;
            else {
                sl__expr *two[2] = {sum, bit};
                sum = sl__call(b, "+", e->pos, two, 2);
            }
            if (!sum) return NULL;
        }
        return sum;
    }
    if (e->n_args != 1) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos, "grouping takes one column");
        return NULL;
    }
    sl__expr *bit = grouping_bit(b, e, e->args[0]);
    return bit ? sl__cast_to(bit, SL_T_I16) : NULL;
}

sl__expr *sl__agg_rewrite(bctx *b, sl__expr *e, const sl__ast *ast) {
    aggstate *as = b->agg;
    for (uint32_t i = 0; i < as->nk; i++) {
        if (sl__expr_equal(e, as->keys[i])) {
            sl__expr *r = sl__expr_colref(i, e->type);
            sl__expr_free(e);
            return r;
        }
    }
    if (e->kind == E_COLREF) {
        if (e->col & AGG_MARK) {
            e->col = as->nk + (e->col & ~AGG_MARK);
            return e;
        }
        if (e->col & GID_MARK) return e; /* resolved once every aggregate is known */
        const char *nm = e->col < as->input->n ? as->input->cols[e->col].name : "?";
        sl__err_set(b->err, SL_ERR_ANALYSIS, ast ? (int64_t)ast->pos : -1,
                    "column '%s' is neither in the GROUP BY nor inside an aggregate function "
                    "(add it to GROUP BY, or wrap it in first() or max())",
                    nm);
        sl__expr_free(e);
        return NULL;
    }
    for (uint32_t i = 0; i < e->n_args; i++) {
        e->args[i] = sl__agg_rewrite(b, e->args[i], ast);
        if (!e->args[i]) {
            for (uint32_t k = i + 1; k < e->n_args; k++) sl__expr_free(e->args[k]);
            e->n_args = i;
            sl__expr_free(e);
            return NULL;
        }
    }
    return e;
}

/* ---- expression forms --------------------------------------------------- */

static sl__expr *bind_literal(bctx *b, const sl__ast *e) {
    switch (e->lit.type) {
    case SL_TYPE_NULL: return sl__expr_const_null(SL_T_NULL);
    case SL_TYPE_BOOLEAN: return sl__expr_const_bool(e->lit.i != 0);
    case SL_TYPE_SMALLINT: return sl__expr_const_i64(SL_T_I16, e->lit.i);
    case SL_TYPE_INT: return sl__expr_const_i64(SL_T_I32, e->lit.i);
    case SL_TYPE_BIGINT: return sl__expr_const_i64(SL_T_I64, e->lit.i);
    case SL_TYPE_DOUBLE: return sl__expr_const_f64(e->lit.d);
    case SL_TYPE_STRING: return sl__expr_const_str(e->lit.s, e->lit.slen);
    default: return sl__expr_const_i64(SL_T_INTERVAL, e->lit.i);
    }
}

/* Conditions (WHERE, HAVING, ON, WHEN, IF, AND/OR operands) must be
 * BOOLEAN, as in Spark: no implicit cast from numbers or strings (WHERE 1 is
 * an error there); only a NULL literal is taken as a NULL boolean. */
static sl__expr *to_bool(bctx *b, sl__expr *x, uint32_t pos) {
    if (!x) return NULL;
    if (x->type->id == SL_TYPE_BOOLEAN) return x;
    if (x->type->id == SL_TYPE_NULL) return sl__cast_to(x, SL_T_BOOL);
    sl__err_set(b->err, SL_ERR_ANALYSIS, pos,
                "data type mismatch: a condition must be a boolean, got %s", x->type->name);
    sl__expr_free(x);
    return NULL;
}

static sl__expr *bind_args_call(bctx *b, const char *fname, const sl__ast *e, sl__ast *const *asts,
                                uint32_t n, const scope *sc) {
    sl__expr *small[8];
    sl__expr **args = n <= 8 ? small : sl__malloc(sizeof *args * n);
    for (uint32_t i = 0; i < n; i++) {
        args[i] = sl__bind_expr(b, asts[i], sc);
        if (!args[i]) {
            for (uint32_t k = 0; k < i; k++) sl__expr_free(args[k]);
            if (args != small) sl__free(args);
            return NULL;
        }
    }
    sl__expr *r = sl__call(b, fname, e->pos, args, n);
    if (args != small) sl__free(args);
    return r;
}

/* CASE / IF / COALESCE: results cast to their common type */
static bool unify(bctx *b, sl__expr **xs, uint32_t n, uint32_t pos, const char *what) {
    const sl__type *t = SL_T_NULL;
    for (uint32_t i = 0; i < n; i++) {
        const sl__type *u = sl__common_type(t, xs[i]->type);
        if (!u) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, pos,
                        "%s: the branches have incompatible types %s and %s", what, t->name,
                        xs[i]->type->name);
            return false;
        }
        t = u;
    }
    for (uint32_t i = 0; i < n; i++) xs[i] = sl__cast_to(xs[i], t);
    return true;
}

static sl__expr *make_case(bctx *b, sl__expr **conds, sl__expr **vals, uint32_t nw, sl__expr *els,
                           uint32_t pos) {
    uint32_t nv = nw + (els ? 1 : 0);
    sl__expr **v = sl__malloc(sizeof *v * (nv ? nv : 1));
    for (uint32_t i = 0; i < nw; i++) v[i] = vals[i];
    if (els) v[nw] = els;
    bool ok = unify(b, v, nv, pos, "CASE");
    uint32_t na = 2 * nw + (els ? 1 : 0);
    sl__expr **args = sl__malloc(sizeof *args * na);
    for (uint32_t i = 0; i < nw; i++) {
        args[2 * i] = conds[i];
        args[2 * i + 1] = v[i];
    }
    if (els) args[2 * nw] = v[nw];
    const sl__type *t = nv ? v[0]->type : SL_T_NULL;
    sl__free(v);
    sl__expr *c = sl__expr_new(E_CASE, t, args, na);
    sl__free(args);
    c->has_else = els != NULL;
    if (!ok) {
        sl__expr_free(c);
        return NULL;
    }
    return sl__fold(b, c);
}

static sl__expr *bind_case_ast(bctx *b, const sl__ast *e, const scope *sc) {
    uint32_t nw = e->n_args / 2;
    sl__expr **conds = sl__calloc(nw ? nw : 1, sizeof *conds);
    sl__expr **vals = sl__calloc(nw ? nw : 1, sizeof *vals);
    sl__expr *els = NULL;
    bool ok = true;
    for (uint32_t i = 0; i < nw && ok; i++) {
        if (e->a) {
            /* CASE x WHEN v: condition x = v */
            sl__expr *args[2] = {sl__bind_expr(b, e->a, sc), sl__bind_expr(b, e->args[2 * i], sc)};
            if (!args[0] || !args[1]) {
                sl__expr_free(args[0]);
                sl__expr_free(args[1]);
                ok = false;
                break;
            }
            conds[i] = sl__call(b, "=", e->args[2 * i]->pos, args, 2);
        } else {
            conds[i] = to_bool(b, sl__bind_expr(b, e->args[2 * i], sc), e->args[2 * i]->pos);
        }
        if (!conds[i]) {
            ok = false;
            break;
        }
        vals[i] = sl__bind_expr(b, e->args[2 * i + 1], sc);
        if (!vals[i]) ok = false;
    }
    if (ok && e->c) {
        els = sl__bind_expr(b, e->c, sc);
        if (!els) ok = false;
    }
    sl__expr *r = NULL;
    if (ok)
        r = make_case(b, conds, vals, nw, els, e->pos);
    else {
        for (uint32_t i = 0; i < nw; i++) {
            sl__expr_free(conds[i]);
            sl__expr_free(vals[i]);
        }
        sl__expr_free(els);
    }
    sl__free(conds);
    sl__free(vals);
    return r;
}

/* if / iff / nvl / ifnull / nvl2 / nullif / coalesce */
static sl__expr *bind_conditional(bctx *b, const sl__ast *e, const scope *sc, bool *handled) {
    const char *n = e->name;
    *handled = true;
    bool is_if = strcasecmp(n, "if") == 0 || strcasecmp(n, "iff") == 0;
    bool is_coalesce = strcasecmp(n, "coalesce") == 0;
    bool is_nvl = strcasecmp(n, "nvl") == 0 || strcasecmp(n, "ifnull") == 0;
    bool is_nvl2 = strcasecmp(n, "nvl2") == 0;
    bool is_nullif = strcasecmp(n, "nullif") == 0;
    if (!is_if && !is_coalesce && !is_nvl && !is_nvl2 && !is_nullif) {
        *handled = false;
        return NULL;
    }
    uint32_t want = is_if || is_nvl2 ? 3 : is_nvl || is_nullif ? 2 : 0;
    if ((want && e->n_args != want) || (is_coalesce && e->n_args < 1)) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos, "%s takes %u arguments, got %u", n,
                    want ? want : 1, e->n_args);
        return NULL;
    }
    sl__expr **args = sl__calloc(e->n_args, sizeof *args);
    for (uint32_t i = 0; i < e->n_args; i++) {
        args[i] = sl__bind_expr(b, e->args[i], sc);
        if (!args[i]) {
            for (uint32_t k = 0; k < i; k++) sl__expr_free(args[k]);
            sl__free(args);
            return NULL;
        }
    }
    sl__expr *r = NULL;
    if (is_if) {
        sl__expr *c = to_bool(b, args[0], e->pos);
        if (c)
            r = make_case(b, &c, &args[1], 1, args[2], e->pos);
        else {
            sl__expr_free(args[1]);
            sl__expr_free(args[2]);
        }
    } else if (is_nvl2) {
        /* nvl2(a, b, c) = CASE WHEN a IS NOT NULL THEN b ELSE c END */
        sl__expr *c = sl__call(b, "isnotnull", e->pos, &args[0], 1);
        if (c) r = make_case(b, &c, &args[1], 1, args[2], e->pos);
    } else if (is_nullif) {
        /* nullif(a, b) = CASE WHEN a = b THEN NULL ELSE a END */
        sl__expr *cmp[2] = {sl__expr_clone(args[0]), args[1]};
        sl__expr *c = sl__call(b, "=", e->pos, cmp, 2);
        if (c) {
            sl__expr *nul = sl__expr_const_null(args[0]->type);
            r = make_case(b, &c, &nul, 1, args[0], e->pos);
        } else {
            sl__expr_free(args[0]);
        }
    } else {
        if (unify(b, args, e->n_args, e->pos, n)) {
            r = sl__expr_new(E_COALESCE, args[0]->type, args, e->n_args);
            r = sl__fold(b, r);
        } else {
            for (uint32_t i = 0; i < e->n_args; i++) sl__expr_free(args[i]);
        }
    }
    sl__free(args);
    return r;
}

/*
 * A bound window(...) or session_window(...) call. In the query block that
 * materialised it (bind_query.c, P_WINDOW) it is a reference to the window
 * column; elsewhere (WHERE, ON, another scope) it stays a scalar, which is
 * right for a tumbling window and a session's initial range but not for a
 * sliding window, which gives a row several windows.
 */
static sl__expr *window_ref(bctx *b, sl__expr *call, const sl__ast *e, const scope *sc) {
    if (b->win_binding) return call;
    if (b->win_expr && sc == b->win_sc) {
        if (sl__window_equal(call, b->win_expr)) {
            sl__expr *r = sl__expr_colref(b->win_col, call->type);
            sl__expr_free(call);
            return r;
        }
        sl__expr_free(call);
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                    "only one window or session_window expression is allowed per query block "
                    "(R103)");
        return NULL;
    }
    sl__win_spec ws;
    if (sl__window_spec(call, &ws) && ws.kind == SL__WIN_TIME && ws.slide < ws.size) {
        sl__expr_free(call);
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                    "a sliding window(...) (slide shorter than the window) puts a row in several "
                    "windows: it is allowed in the SELECT list, GROUP BY, HAVING and ORDER BY of "
                    "a query, not here");
        return NULL;
    }
    return sl__fold(b, call);
}

static sl__expr *bind_func(bctx *b, const sl__ast *e, const scope *sc) {
    const sl__agg_def *ad = sl__agg_find(e->name);
    if (ad) return bind_agg_call(b, e, ad);
    if (strcasecmp(e->name, "grouping") == 0 || strcasecmp(e->name, "grouping_id") == 0)
        return bind_grouping(b, e);
    if (sl__ast_is_generator(e)) {
        if (b->gen_ast == e) {
            /* the select-list generator: its output column is already in scope */
            return sl__expr_colref(b->gen_col, sc->cols[b->gen_col].type);
        }
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                    "%s() is only allowed as a whole item of the SELECT list, and only one "
                    "generator per SELECT",
                    e->name);
        return NULL;
    }
    bool handled;
    sl__expr *c = bind_conditional(b, e, sc, &handled);
    if (handled) return c;
    if (e->star) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos, "%s(*) is not valid", e->name);
        return NULL;
    }
    if (e->distinct) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                    "DISTINCT is only valid in aggregate functions, not in %s()", e->name);
        return NULL;
    }
    const sl__fn_def *def = sl__fn_find(e->name);
    if (!def) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                    "undefined function '%s' (SHOW FUNCTIONS lists the available ones)", e->name);
        return NULL;
    }
    sl__expr *small[8];
    uint32_t n = e->n_args;
    sl__expr **args = n <= 8 ? small : sl__malloc(sizeof *args * n);
    for (uint32_t i = 0; i < n; i++) {
        args[i] = sl__bind_expr(b, e->args[i], sc);
        if (!args[i]) {
            for (uint32_t k = 0; k < i; k++) sl__expr_free(args[k]);
            if (args != small) sl__free(args);
            return NULL;
        }
    }
    /* assert_true(cond): Spark's message names the condition as written */
    if (strcasecmp(def->name, "assert_true") == 0 && n == 1) {
        char *nm = sl__ast_name(b->src, e->args[0]);
        sl__buf msg = SL_BUF_INIT;
        sl__buf_printf(&msg, "'%s' is not true!", nm);
        args[n++] = sl__expr_const_str(msg.p, msg.len);
        sl__buf_free(&msg);
        sl__free(nm);
    }
    /* Spark names struct(a, s.b)'s fields after the columns: a, b */
    const char *names_small[8], **names = NULL;
    if (strcasecmp(def->name, "struct") == 0) {
        names = n <= 8 ? names_small : sl__malloc(sizeof *names * n);
        for (uint32_t i = 0; i < n; i++) {
            const sl__ast *a = e->args[i];
            names[i] = a->kind == A_COLUMN  ? a->parts[a->n_parts - 1]
                       : a->kind == A_FIELD ? a->name
                                            : NULL;
        }
    }
    sl__expr *r = sl__fn_bind_call_named(def, e->name, args, n, e->pos, b->env->tz, names, b->err);
    if (names && names != names_small) sl__free(names);
    if (args != small) sl__free(args);
    if (r && (strcmp(def->name, "window") == 0 || strcmp(def->name, "session_window") == 0))
        return window_ref(b, r, e, sc);
    return sl__fold(b, r);
}

static const char *binary_fn(sl__opcode op) {
    switch (op) {
    case OP_ADD: return "+";
    case OP_SUB: return "-";
    case OP_MUL: return "*";
    case OP_DIV: return "/";
    case OP_MOD: return "%";
    case OP_IDIV: return "div";
    case OP_CONCAT: return "concat";
    case OP_BITAND: return "&";
    case OP_BITOR: return "|";
    case OP_BITXOR: return "^";
    case OP_EQ: return "=";
    case OP_NE: return "!=";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    case OP_NSEQ: return "<=>";
    default: return NULL;
    }
}

static sl__expr *negate(bctx *b, sl__expr *x, uint32_t pos) {
    if (!x) return NULL;
    return sl__call(b, "not", pos, &x, 1);
}

sl__expr *sl__bind_expr(bctx *b, const sl__ast *e, const scope *sc) {
    if (++b->depth > 400) {
        b->depth--;
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos, "expression nested too deeply");
        return NULL;
    }
    sl__expr *r = NULL;
    switch (e->kind) {
    case A_LITERAL: r = bind_literal(b, e); break;
    case A_INTERVAL: r = sl__expr_const_i64(SL_T_INTERVAL, e->lit.i); break;
    case A_COLUMN: r = sl__bind_column(b, e, sc, NULL); break;
    case A_STAR:
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                    "'*' is only allowed as a SELECT item or in count(*)");
        break;
    case A_FUNC: r = bind_func(b, e, sc); break;
    case A_UNARY: {
        const char *fn = e->op == OP_NEG    ? "negative"
                         : e->op == OP_NOT  ? "not"
                         : e->op == OP_PLUS ? "positive"
                                            : "~";
        sl__ast *const args[1] = {e->a};
        r = bind_args_call(b, fn, e, args, 1, sc);
        break;
    }
    case A_BINARY: {
        if (e->op == OP_AND || e->op == OP_OR) {
            sl__expr *l = to_bool(b, sl__bind_expr(b, e->a, sc), e->a->pos);
            if (!l) break;
            sl__expr *rr = to_bool(b, sl__bind_expr(b, e->b, sc), e->b->pos);
            if (!rr) {
                sl__expr_free(l);
                break;
            }
            sl__expr *args[2] = {l, rr};
            r = sl__fold(b, sl__expr_new(e->op == OP_AND ? E_AND : E_OR, SL_T_BOOL, args, 2));
            break;
        }
        sl__ast *const args[2] = {e->a, e->b};
        r = bind_args_call(b, binary_fn(e->op), e, args, 2, sc);
        break;
    }
    case A_CASE: r = bind_case_ast(b, e, sc); break;
    case A_CAST: {
        sl__expr *x = sl__bind_expr(b, e->a, sc);
        if (!x) break;
        r = sl__cast_bind(x, e->type, e->pos, b->err);
        if (r && e->op == 2) r->iparam = 2; /* typed literal: bad text is an error */
        r = sl__fold(b, r);
        if (!r && b->err->code && b->err->offset < 0) b->err->offset = e->pos;
        break;
    }
    case A_IN: {
        if (e->sub) {
            sl__err_set(b->err, SL_ERR_UNSUPPORTED, e->pos,
                        "IN (subquery) is not supported; use a LEFT SEMI JOIN");
            break;
        }
        sl__ast **asts = sl__malloc(sizeof *asts * (e->n_args + 1));
        asts[0] = e->a;
        memcpy(asts + 1, e->args, sizeof *asts * e->n_args);
        r = bind_args_call(b, "in", e, asts, e->n_args + 1, sc);
        sl__free(asts);
        if (r && e->negated) r = negate(b, r, e->pos);
        break;
    }
    case A_BETWEEN: {
        sl__expr *x1 = sl__bind_expr(b, e->a, sc);
        sl__expr *lo = x1 ? sl__bind_expr(b, e->b, sc) : NULL;
        sl__expr *hi = lo ? sl__bind_expr(b, e->c, sc) : NULL;
        if (!hi) {
            sl__expr_free(x1);
            sl__expr_free(lo);
            break;
        }
        sl__expr *x2 = sl__expr_clone(x1);
        sl__expr *a1[2] = {x1, lo}, *a2[2] = {x2, hi};
        sl__expr *ge = sl__call(b, ">=", e->pos, a1, 2);
        sl__expr *le = ge ? sl__call(b, "<=", e->pos, a2, 2) : NULL;
        if (!ge || !le) {
            if (!ge) {
                sl__expr_free(x2);
                sl__expr_free(hi);
            }
            sl__expr_free(ge);
            break;
        }
        sl__expr *both[2] = {ge, le};
        r = sl__fold(b, sl__expr_new(E_AND, SL_T_BOOL, both, 2));
        if (e->negated) r = negate(b, r, e->pos);
        break;
    }
    case A_LIKE: {
        const char *fn = e->op == OP_ILIKE ? "ilike" : e->op == OP_RLIKE ? "rlike" : "like";
        if (e->escape && e->op != OP_RLIKE) {
            sl__expr *x = sl__bind_expr(b, e->a, sc);
            sl__expr *p = x ? sl__bind_expr(b, e->b, sc) : NULL;
            if (!p) {
                sl__expr_free(x);
                break;
            }
            char esc = e->escape;
            sl__expr *args[3] = {x, p, sl__expr_const_str(&esc, 1)};
            r = sl__call(b, fn, e->pos, args, 3);
        } else {
            sl__ast *const args[2] = {e->a, e->b};
            r = bind_args_call(b, fn, e, args, 2, sc);
        }
        if (r && e->negated) r = negate(b, r, e->pos);
        break;
    }
    case A_ISNULL: {
        sl__ast *const args[1] = {e->a};
        r = bind_args_call(b, e->negated ? "isnotnull" : "isnull", e, args, 1, sc);
        break;
    }
    case A_SUBSCRIPT: {
        sl__ast *const args[2] = {e->a, e->b};
        r = bind_args_call(b, "get_item", e, args, 2, sc);
        break;
    }
    case A_FIELD: {
        sl__expr *base = sl__bind_expr(b, e->a, sc);
        if (!base) break;
        if (base->type->id != SL_TYPE_STRUCT) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos, "cannot access field '%s' of a %s",
                        e->name, base->type->name);
            sl__expr_free(base);
            break;
        }
        int fi = sl__type_field_index(base->type, e->name, strlen(e->name), b->env->case_sensitive);
        if (fi < 0) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos, "no field '%s' in %s", e->name,
                        base->type->name);
            sl__expr_free(base);
            break;
        }
        r = sl__expr_field(base, (uint32_t)fi);
        break;
    }
    case A_SUBQUERY:
        sl__err_set(b->err, SL_ERR_UNSUPPORTED, e->pos,
                    "scalar subqueries are not supported; join with the subquery instead");
        break;
    }
    b->depth--;
    if (!r && b->err->code == SL_OK)
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos, "cannot bind this expression");
    if (!r && b->err->offset < 0) b->err->offset = e->pos;
    return r;
}

sl__expr *sl__bind_predicate(bctx *b, const sl__ast *e, const scope *sc) {
    return to_bool(b, sl__bind_expr(b, e, sc), e->pos);
}

sl__expr *sl__bind_constant(const sl__bind_env *env, const char *src, const sl__ast *e,
                            sl__err *err) {
    sl__arena a;
    sl__arena_init(&a, 1024);
    bctx b;
    memset(&b, 0, sizeof b);
    b.env = env;
    b.src = src;
    b.err = err;
    b.a = &a;
    scope empty = {NULL, 0};
    sl__expr *x = sl__bind_expr(&b, e, &empty);
    x = sl__fold(&b, x);
    sl__arena_free(&a);
    return x;
}
