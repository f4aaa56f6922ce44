/*
 * bind_query.c — binding queries: FROM (tables, views, streams, subqueries,
 * VALUES, table functions, joins with ON or USING), WHERE, the SELECT list
 * (stars with EXCEPT, struct expansion, a generator such as explode),
 * GROUP BY with CUBE / ROLLUP / GROUPING SETS, HAVING, DISTINCT, ORDER BY
 * (on output names, ordinals, or input columns carried as hidden columns),
 * LIMIT / OFFSET, set operations and WITH.
 */
#include "sql/binder_int.h"
#include "func/window.h"
#include "sql/lexer.h"
#include <strings.h>

static bool name_eq(const bctx *b, const char *x, const char *y) {
    return b->env->case_sensitive ? strcmp(x, y) == 0 : strcasecmp(x, y) == 0;
}

/* ---- small plan builders ------------------------------------------------ */

static const sl__type *schema_of_scope(const scope *sc) {
    const char **names = sl__malloc(sizeof *names * (sc->n ? sc->n : 1));
    const sl__type **types = sl__malloc(sizeof *types * (sc->n ? sc->n : 1));
    for (uint32_t i = 0; i < sc->n; i++) {
        names[i] = sc->cols[i].name;
        types[i] = sc->cols[i].type;
    }
    const sl__type *t = sl__schema_make(sc->n, names, types);
    sl__free(names);
    sl__free(types);
    return t;
}

static void scope_from_schema(bctx *b, const sl__type *schema, const char *qual, scope *sc) {
    sc->n = schema->n_fields;
    sc->cols = sl__arena_calloc(b->a, sizeof(bcol) * (sc->n ? sc->n : 1));
    for (uint32_t i = 0; i < sc->n; i++) {
        sc->cols[i].qual = qual;
        sc->cols[i].name = schema->names[i];
        sc->cols[i].type = schema->fields[i];
    }
}

static sl__plan *project(sl__plan *child, sl__expr **exprs, uint32_t n, const char **names) {
    const sl__type **types = sl__malloc(sizeof *types * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++) types[i] = exprs[i]->type;
    sl__plan *p = sl__plan_new(P_PROJECT, sl__schema_make(n, names, types));
    sl__free(types);
    p->child[0] = child;
    p->exprs = exprs;
    p->n_exprs = n;
    p->streaming = child->streaming;
    return p;
}

static sl__plan *filter(sl__plan *child, sl__expr *pred) {
    sl__plan *p = sl__plan_new(P_FILTER, child->schema);
    p->child[0] = child;
    p->exprs = sl__malloc(sizeof *p->exprs);
    p->exprs[0] = pred;
    p->n_exprs = 1;
    p->streaming = child->streaming;
    return p;
}

static sl__plan *one_row(void) {
    sl__plan *p = sl__plan_new(P_VALUES, sl__schema_make(0, NULL, NULL));
    p->rows = sl__calloc(1, sizeof *p->rows);
    p->rows[0] = sl__calloc(1, sizeof(sl__expr *));
    p->n_rows = 1;
    return p;
}

/* Does expression e reference only columns in [lo, hi)? Sets *any if it
 * references a column at all. */
static bool refs_within(const sl__expr *e, uint32_t lo, uint32_t hi, bool *any) {
    if (e->kind == E_COLREF) {
        *any = true;
        return e->col >= lo && e->col < hi;
    }
    for (uint32_t i = 0; i < e->n_args; i++)
        if (!refs_within(e->args[i], lo, hi, any)) return false;
    return true;
}

static void shift_refs(sl__expr *e, int64_t delta) {
    if (e->kind == E_COLREF) e->col = (uint32_t)((int64_t)e->col + delta);
    for (uint32_t i = 0; i < e->n_args; i++) shift_refs(e->args[i], delta);
}

/* ---- FROM ----------------------------------------------------------------- */

static sl__plan *bind_rel(bctx *b, const sl__rel *r, scope *sc);

static sl__plan *bind_named(bctx *b, const char *name, uint32_t pos, const char *qual, scope *sc) {
    for (cte_def *c = b->ctes; c; c = c->next) {
        if (name_eq(b, c->name, name)) {
            cte_def *saved = b->ctes;
            b->ctes = c->next; /* a WITH query sees only the ones before it */
            scope inner;
            sl__plan *p = sl__bind_query_int(b, c->q, &inner);
            b->ctes = saved;
            if (!p) return NULL;
            scope_from_schema(b, p->schema, qual, sc);
            return p;
        }
    }
    sl__table *t = sl__catalog_get(b->env->cat, name);
    if (!t) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, pos,
                    "table or view not found: '%s' (SHOW TABLES lists them)", name);
        return NULL;
    }
    sl__plan *p = NULL;
    if (t->type == SL_OBJ_VIEW) {
        if (b->depth > 64) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, pos, "views nested too deeply (a cycle?)");
            sl__table_unref(t);
            return NULL;
        }
        /* a view is its SQL text, parsed and bound at each use */
        sl__tok *toks;
        size_t end;
        uint32_t nt = sl__lex_statement(t->sql, strlen(t->sql), b->a, &toks, &end);
        sl__err verr;
        sl__err_clear(&verr);
        sl__stmt *st = sl__parse_statement(t->sql, toks, nt, b->a, &verr);
        if (st && st->kind == S_QUERY) {
            bctx vb = *b;
            vb.src = t->sql;
            vb.err = &verr;
            vb.ctes = NULL;
            vb.agg = NULL;
            vb.gen_ast = NULL;
            vb.depth = b->depth + 8;
            scope inner;
            p = sl__bind_query_int(&vb, st->query, &inner);
        }
        if (!p) {
            sl__err_set(b->err, verr.code ? verr.code : SL_ERR_ANALYSIS, pos,
                        "view '%s' cannot be used: %s", t->name, verr.msg);
            sl__table_unref(t);
            return NULL;
        }
    } else if (t->type == SL_OBJ_STREAM) {
        p = sl__plan_new(P_STREAM, t->schema);
        p->table = t;
        p->name = sl__strdup(t->name);
        p->streaming = true;
        t = NULL;
    } else {
        p = sl__plan_new(P_SCAN, t->schema);
        p->table = t;
        p->name = sl__strdup(t->name);
        t = NULL;
    }
    if (t) sl__table_unref(t);
    scope_from_schema(b, p->schema, qual, sc);
    return p;
}

/* The relation argument of a table function: a name or a subquery. */
static sl__plan *bind_rel_arg(bctx *b, const sl__ast *a, scope *sc, const char *fn) {
    if (a->kind == A_COLUMN && a->n_parts == 1)
        return bind_named(b, a->parts[0], a->pos, a->parts[0], sc);
    if (a->kind == A_SUBQUERY) {
        scope inner;
        sl__plan *p = sl__bind_query_int(b, a->sub, &inner);
        if (p) scope_from_schema(b, p->schema, NULL, sc);
        return p;
    }
    sl__err_set(b->err, SL_ERR_ANALYSIS, a->pos,
                "%s: the first argument must be a table, view or stream name, or a (subquery)", fn);
    return NULL;
}

static const char *string_arg(const sl__ast *a) {
    if (a->kind == A_LITERAL && a->lit.type == SL_TYPE_STRING) return a->lit.s;
    if (a->kind == A_COLUMN && a->n_parts == 1) return a->parts[0];
    return NULL;
}

/* dropna(rel, ['any'|'all'|thresh], [col, ...]) — Spark's na.drop (R144, R145) */
static sl__plan *bind_dropna(bctx *b, const sl__rel *r, scope *sc) {
    if (r->n_args < 1) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, r->pos, "dropna(rel, 'any'|'all' [, col ...])");
        return NULL;
    }
    sl__plan *p = bind_rel_arg(b, r->args[0], sc, "dropna");
    if (!p) return NULL;
    bool all = false;
    int64_t thresh = -1;
    uint32_t first_col = 1;
    if (r->n_args >= 2) {
        const sl__ast *h = r->args[1];
        if (h->kind == A_LITERAL && h->lit.type == SL_TYPE_STRING) {
            if (strcasecmp(h->lit.s, "any") == 0)
                all = false;
            else if (strcasecmp(h->lit.s, "all") == 0)
                all = true;
            else {
                sl__err_set(b->err, SL_ERR_ANALYSIS, h->pos,
                            "dropna: how must be 'any' or 'all', got '%s'", h->lit.s);
                sl__plan_free(p);
                return NULL;
            }
            first_col = 2;
        } else if (h->kind == A_LITERAL &&
                   (h->lit.type == SL_TYPE_INT || h->lit.type == SL_TYPE_BIGINT)) {
            thresh = h->lit.i;
            first_col = 2;
        }
    }
    /* the considered columns: the listed ones, or all */
    uint32_t n = r->n_args > first_col ? r->n_args - first_col : sc->n;
    uint32_t *cols = sl__malloc(sizeof *cols * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++) {
        if (r->n_args <= first_col) {
            cols[i] = i;
            continue;
        }
        const sl__ast *a = r->args[first_col + i];
        const char *nm = string_arg(a);
        int hit = -1;
        for (uint32_t k = 0; nm && k < sc->n; k++)
            if (name_eq(b, sc->cols[k].name, nm)) hit = (int)k;
        if (hit < 0) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, a->pos, "dropna: no column '%s'",
                        nm ? nm : "(expression)");
            sl__free(cols);
            sl__plan_free(p);
            return NULL;
        }
        cols[i] = (uint32_t)hit;
    }
    /* present(c) = c IS NOT NULL [AND NOT isnan(c) for doubles] */
    sl__expr *pred = NULL;
    sl__expr *count = NULL;
    for (uint32_t i = 0; i < n; i++) {
        const sl__type *t = sc->cols[cols[i]].type;
        sl__expr *c = sl__expr_colref(cols[i], t);
        sl__expr *present = sl__call(b, "isnotnull", r->pos, &c, 1);
        if (t->id == SL_TYPE_DOUBLE) {
            sl__expr *c2 = sl__expr_colref(cols[i], t);
            sl__expr *nan = sl__call(b, "isnan", r->pos, &c2, 1);
            sl__expr *notnan = sl__call(b, "not", r->pos, &nan, 1);
            sl__expr *both[2] = {present, notnan};
            present = sl__expr_new(E_AND, SL_T_BOOL, both, 2);
        }
        if (thresh >= 0) {
            sl__expr *one = sl__expr_const_i64(SL_T_I32, 1),
                     *zero = sl__expr_const_i64(SL_T_I32, 0);
            sl__expr *cargs[3] = {present, one, zero};
            sl__expr *ci = sl__expr_new(E_CASE, SL_T_I32, cargs, 3);
            ci->has_else = true;
            if (!count)
                count = ci;
            else {
                sl__expr *s[2] = {count, ci};
                count = sl__call(b, "+", r->pos, s, 2);
            }
            continue;
        }
        if (!pred)
            pred = present;
        else {
            sl__expr *two[2] = {pred, present};
            pred = sl__expr_new(all ? E_OR : E_AND, SL_T_BOOL, two, 2);
        }
    }
    sl__free(cols);
    if (thresh >= 0) {
        if (!count) count = sl__expr_const_i64(SL_T_I32, 0);
        sl__expr *cmp[2] = {count, sl__expr_const_i64(SL_T_I32, thresh)};
        pred = sl__call(b, ">=", r->pos, cmp, 2);
    }
    if (!pred) return p;
    return filter(p, pred);
}

/* dropduplicates(rel [, col ...]) — Spark's dropDuplicates */
static sl__plan *bind_dropdup(bctx *b, const sl__rel *r, scope *sc) {
    if (r->n_args < 1) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, r->pos, "dropduplicates(rel [, col ...])");
        return NULL;
    }
    bool within = strcasecmp(r->name, "dropduplicateswithinwatermark") == 0;
    sl__plan *p = bind_rel_arg(b, r->args[0], sc, "dropduplicates");
    if (!p) return NULL;
    if (within && !p->streaming) {
        /* R127 */
        sl__err_set(
            b->err, SL_ERR_ANALYSIS, r->pos,
            "dropDuplicatesWithinWatermark is not supported with batch DataFrames/DataSets: "
            "it needs a stream with a WATERMARK (use dropduplicates on a table)");
        sl__plan_free(p);
        return NULL;
    }
    uint32_t n = r->n_args > 1 ? r->n_args - 1 : sc->n;
    sl__plan *d = sl__plan_new(P_DEDUP, p->schema);
    d->within_wm = within;
    d->child[0] = p;
    d->streaming = p->streaming;
    d->exprs = sl__calloc(n ? n : 1, sizeof *d->exprs);
    d->n_exprs = n;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t col = i;
        if (r->n_args > 1) {
            const sl__ast *a = r->args[1 + i];
            const char *nm = string_arg(a);
            int hit = -1;
            for (uint32_t k = 0; nm && k < sc->n; k++)
                if (name_eq(b, sc->cols[k].name, nm)) hit = (int)k;
            if (hit < 0) {
                sl__err_set(b->err, SL_ERR_ANALYSIS, a->pos, "dropduplicates: no column '%s'",
                            nm ? nm : "(expression)");
                sl__plan_free(d);
                return NULL;
            }
            col = (uint32_t)hit;
        }
        d->exprs[i] = sl__expr_colref(col, sc->cols[col].type);
    }
    return d;
}

static sl__plan *bind_join(bctx *b, const sl__rel *r, scope *sc) {
    scope ls, rs;
    sl__plan *L = bind_rel(b, r->left, &ls);
    if (!L) return NULL;
    sl__plan *R = bind_rel(b, r->right, &rs);
    if (!R) {
        sl__plan_free(L);
        return NULL;
    }
    uint32_t nl = ls.n, nr = rs.n;
    scope both;
    both.n = nl + nr;
    both.cols = sl__arena_alloc(b->a, sizeof(bcol) * (both.n ? both.n : 1));
    memcpy(both.cols, ls.cols, sizeof(bcol) * nl);
    memcpy(both.cols + nl, rs.cols, sizeof(bcol) * nr);

    sl__plan *j = sl__plan_new(P_JOIN, NULL);
    j->join = r->join == J_CROSS ? J_INNER : r->join;
    j->child[0] = L;
    j->child[1] = R;
    j->pos = r->pos;
    j->streaming = L->streaming || R->streaming;
    uint32_t nkeys = 0, cap = 4;
    j->exprs = sl__malloc(sizeof *j->exprs * cap);
    j->rkeys = sl__malloc(sizeof *j->rkeys * cap);
    j->null_safe = sl__malloc(sizeof *j->null_safe * cap);
    uint32_t *using_l = NULL, *using_r = NULL;

    if (r->n_using) {
        using_l = sl__arena_alloc(b->a, sizeof(uint32_t) * r->n_using);
        using_r = sl__arena_alloc(b->a, sizeof(uint32_t) * r->n_using);
        for (uint32_t u = 0; u < r->n_using; u++) {
            int li = -1, ri = -1;
            for (uint32_t i = 0; i < nl; i++)
                if (!ls.cols[i].hidden && name_eq(b, ls.cols[i].name, r->using_cols[u]))
                    li = (int)i;
            for (uint32_t i = 0; i < nr; i++)
                if (!rs.cols[i].hidden && name_eq(b, rs.cols[i].name, r->using_cols[u]))
                    ri = (int)i;
            if (li < 0 || ri < 0) {
                sl__err_set(b->err, SL_ERR_ANALYSIS, r->pos,
                            "USING column '%s' is not on the %s side of the join", r->using_cols[u],
                            li < 0 ? "left" : "right");
                j->n_exprs = nkeys;
                sl__plan_free(j);
                return NULL;
            }
            const sl__type *t = sl__common_type(ls.cols[li].type, rs.cols[ri].type);
            if (!t) {
                sl__err_set(b->err, SL_ERR_ANALYSIS, r->pos,
                            "USING column '%s' has types %s and %s, which do not compare",
                            r->using_cols[u], ls.cols[li].type->name, rs.cols[ri].type->name);
                j->n_exprs = nkeys;
                sl__plan_free(j);
                return NULL;
            }
            if (nkeys == cap) {
                cap *= 2;
                j->exprs = sl__realloc(j->exprs, sizeof *j->exprs * cap);
                j->rkeys = sl__realloc(j->rkeys, sizeof *j->rkeys * cap);
                j->null_safe = sl__realloc(j->null_safe, sizeof *j->null_safe * cap);
            }
            j->exprs[nkeys] = sl__cast_to(sl__expr_colref((uint32_t)li, ls.cols[li].type), t);
            j->rkeys[nkeys] = sl__cast_to(sl__expr_colref((uint32_t)ri, rs.cols[ri].type), t);
            j->null_safe[nkeys] = false;
            nkeys++;
            using_l[u] = (uint32_t)li;
            using_r[u] = (uint32_t)ri;
        }
    } else if (r->on) {
        sl__expr *cond = sl__bind_predicate(b, r->on, &both);
        if (!cond) {
            sl__plan_free(j);
            return NULL;
        }
        /* split the AND tree; equalities across the two sides become keys */
        sl__expr **conj = NULL;
        uint32_t nc = 0, ccap = 0;
        sl__expr *stack[256];
        int sp = 0;
        stack[sp++] = cond;
        while (sp) {
            sl__expr *e = stack[--sp];
            if (e->kind == E_AND && sp + 2 < 256) {
                stack[sp++] = e->args[1];
                stack[sp++] = e->args[0];
                e->n_args = 0;
                sl__expr_free(e);
                continue;
            }
            SL_GROW(conj, ccap, nc + 1);
            conj[nc++] = e;
        }
        sl__expr *residual = NULL;
        for (uint32_t i = 0; i < nc; i++) {
            sl__expr *e = conj[i];
            bool eq =
                e->kind == E_CALL && (strcmp(e->fname, "=") == 0 || strcmp(e->fname, "==") == 0 ||
                                      strcmp(e->fname, "<=>") == 0);
            if (eq) {
                bool a0 = false, a1 = false, b0 = false, b1 = false;
                bool l0 = refs_within(e->args[0], 0, nl, &a0),
                     r1 = refs_within(e->args[1], nl, nl + nr, &a1);
                bool r0 = refs_within(e->args[0], nl, nl + nr, &b0),
                     l1 = refs_within(e->args[1], 0, nl, &b1);
                int side = (l0 && a0 && r1 && a1) ? 0 : (r0 && b0 && l1 && b1) ? 1 : -1;
                if (side >= 0) {
                    if (nkeys == cap) {
                        cap *= 2;
                        j->exprs = sl__realloc(j->exprs, sizeof *j->exprs * cap);
                        j->rkeys = sl__realloc(j->rkeys, sizeof *j->rkeys * cap);
                        j->null_safe = sl__realloc(j->null_safe, sizeof *j->null_safe * cap);
                    }
                    sl__expr *lk = e->args[side], *rk = e->args[1 - side];
                    shift_refs(rk, -(int64_t)nl);
                    j->exprs[nkeys] = lk;
                    j->rkeys[nkeys] = rk;
                    j->null_safe[nkeys] = strcmp(e->fname, "<=>") == 0;
                    nkeys++;
                    e->n_args = 0;
                    sl__expr_free(e);
                    continue;
                }
            }
            if (!residual)
                residual = e;
            else {
                sl__expr *two[2] = {residual, e};
                residual = sl__expr_new(E_AND, SL_T_BOOL, two, 2);
            }
        }
        sl__free(conj);
        j->cond = residual;
    } else if (r->join != J_CROSS && r->join != J_INNER) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, r->pos, "%s join needs ON or USING",
                    sl__join_type_name(r->join));
        sl__plan_free(j);
        return NULL;
    }
    j->n_exprs = nkeys;

    /* join output: left + right columns (semi/anti: left only) */
    bool left_only = j->join == J_SEMI || j->join == J_ANTI;
    scope out = left_only ? ls : both;
    j->schema = schema_of_scope(&out);
    if (!r->n_using) {
        *sc = out;
        return j;
    }
    /* USING: the join columns first (once), then the other left and right
     * columns; the originals stay reachable as left.col / right.col */
    uint32_t nu = r->n_using;
    uint32_t nout = left_only ? nl : nl + nr;
    sl__expr **exprs = sl__malloc(sizeof *exprs * (nout + nu));
    const char **names = sl__malloc(sizeof *names * (nout + nu));
    bcol *cols = sl__arena_alloc(b->a, sizeof(bcol) * (nout + nu));
    uint32_t k = 0;
    for (uint32_t u = 0; u < nu; u++) {
        uint32_t li = using_l[u], ri = nl + using_r[u];
        sl__expr *e;
        const sl__type *t = j->exprs[u]->type;
        if (j->join == J_RIGHT)
            e = sl__cast_to(sl__expr_colref(ri, both.cols[ri].type), t);
        else if (j->join == J_FULL) {
            sl__expr *two[2] = {sl__cast_to(sl__expr_colref(li, both.cols[li].type), t),
                                sl__cast_to(sl__expr_colref(ri, both.cols[ri].type), t)};
            e = sl__expr_new(E_COALESCE, t, two, 2);
        } else
            e = sl__cast_to(sl__expr_colref(li, both.cols[li].type), t);
        exprs[k] = e;
        names[k] = both.cols[li].name;
        cols[k] = (bcol){NULL, both.cols[li].name, t, false};
        k++;
    }
    for (uint32_t i = 0; i < nout; i++) {
        bool is_using = false;
        for (uint32_t u = 0; u < nu; u++)
            if (i == using_l[u] || (i >= nl && i - nl == using_r[u])) is_using = true;
        exprs[k] = sl__expr_colref(i, both.cols[i].type);
        names[k] = both.cols[i].name;
        cols[k] = both.cols[i];
        cols[k].hidden = is_using;
        k++;
    }
    sl__plan *p = project(j, exprs, k, names);
    sl__free(names);
    sc->cols = cols;
    sc->n = k;
    return p;
}

static sl__plan *bind_rel(bctx *b, const sl__rel *r, scope *sc) {
    sl__plan *p = NULL;
    switch (r->kind) {
    case R_TABLE: p = bind_named(b, r->name, r->pos, r->alias ? r->alias : r->name, sc); break;
    case R_SUBQUERY: {
        scope inner;
        p = sl__bind_query_int(b, r->sub, &inner);
        if (!p) return NULL;
        if (r->n_col_aliases) {
            if (r->n_col_aliases != p->schema->n_fields) {
                sl__err_set(b->err, SL_ERR_ANALYSIS, r->pos, "%u column aliases for %u columns",
                            r->n_col_aliases, p->schema->n_fields);
                sl__plan_free(p);
                return NULL;
            }
            uint32_t n = p->schema->n_fields;
            sl__expr **ex = sl__malloc(sizeof *ex * n);
            for (uint32_t i = 0; i < n; i++) ex[i] = sl__expr_colref(i, p->schema->fields[i]);
            p = project(p, ex, n, r->col_aliases);
        }
        scope_from_schema(b, p->schema, r->alias, sc);
        break;
    }
    case R_FUNC:
        if (strcasecmp(r->name, "dropna") == 0)
            p = bind_dropna(b, r, sc);
        else if (strcasecmp(r->name, "dropduplicates") == 0 ||
                 strcasecmp(r->name, "drop_duplicates") == 0 ||
                 strcasecmp(r->name, "dropduplicateswithinwatermark") == 0)
            p = bind_dropdup(b, r, sc);
        else {
            sl__err_set(b->err, SL_ERR_ANALYSIS, r->pos,
                        "unknown table function '%s' (known: dropna, dropduplicates, "
                        "dropduplicateswithinwatermark)",
                        r->name);
            return NULL;
        }
        if (p && r->alias)
            for (uint32_t i = 0; i < sc->n; i++) sc->cols[i].qual = r->alias;
        break;
    case R_JOIN: p = bind_join(b, r, sc); break;
    }
    if (!p) return NULL;
    if (r->wm_col) {
        int hit = -1;
        for (uint32_t i = 0; i < sc->n; i++)
            if (!sc->cols[i].hidden && name_eq(b, sc->cols[i].name, r->wm_col)) hit = (int)i;
        if (hit < 0) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, r->wm_pos, "WATERMARK: no column '%s' in %s",
                        r->wm_col, r->name ? r->name : "the relation");
            sl__plan_free(p);
            return NULL;
        }
        if (sc->cols[hit].type->id != SL_TYPE_TIMESTAMP) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, r->wm_pos,
                        "WATERMARK: column '%s' is %s; it must be a timestamp (use CAST(... AS "
                        "TIMESTAMP))",
                        r->wm_col, sc->cols[hit].type->name);
            sl__plan_free(p);
            return NULL;
        }
        sl__plan *w = sl__plan_new(P_WATERMARK, p->schema);
        w->child[0] = p;
        w->col = (uint32_t)hit;
        w->delay_us = r->wm_delay_us;
        w->streaming = p->streaming;
        p = w;
    }
    return p;
}

/* ---- SELECT --------------------------------------------------------------- */

typedef struct item_out {
    sl__expr **exprs;
    const char **names;
    const sl__ast **asts; /* the AST each output came from (NULL for star columns) */
    uint32_t n, cap;
} item_out;

static void out_push(item_out *o, sl__expr *e, const char *name, const sl__ast *ast) {
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 16;
        o->exprs = sl__realloc(o->exprs, sizeof *o->exprs * o->cap);
        o->names = sl__realloc(o->names, sizeof *o->names * o->cap);
        o->asts = sl__realloc(o->asts, sizeof *o->asts * o->cap);
    }
    o->exprs[o->n] = e;
    o->names[o->n] = name;
    o->asts[o->n] = ast;
    o->n++;
}

static void out_free(item_out *o) {
    for (uint32_t i = 0; i < o->n; i++) sl__expr_free(o->exprs[i]);
    sl__free(o->exprs);
    sl__free(o->names);
    sl__free(o->asts);
    memset(o, 0, sizeof *o);
}

/* Expands a star item into outputs. */
static bool expand_star(bctx *b, const sl__ast *e, const scope *sc, uint32_t visible_n,
                        item_out *out) {
    bool *excluded = sl__arena_calloc(b->a, sc->n + 1);
    for (uint32_t k = 0; k < e->n_args; k++) {
        const char *nm;
        sl__expr *x = sl__bind_column(b, e->args[k], sc, &nm);
        if (!x) return false;
        if (x->kind != E_COLREF) {
            sl__expr_free(x);
            sl__err_set(b->err, SL_ERR_ANALYSIS, e->args[k]->pos, "EXCEPT takes column names");
            return false;
        }
        excluded[x->col] = true;
        sl__expr_free(x);
    }
    if (e->n_parts == 0) {
        for (uint32_t i = 0; i < visible_n; i++) {
            if (sc->cols[i].hidden || excluded[i]) continue;
            out_push(out, sl__expr_colref(i, sc->cols[i].type), sc->cols[i].name, NULL);
        }
        return true;
    }
    /* t.* : a qualifier */
    bool any = false;
    if (e->n_parts == 1) {
        for (uint32_t i = 0; i < visible_n; i++) {
            if (!sc->cols[i].qual || !name_eq(b, sc->cols[i].qual, e->parts[0])) continue;
            any = true;
            if (excluded[i]) continue;
            out_push(out, sl__expr_colref(i, sc->cols[i].type), sc->cols[i].name, NULL);
        }
        if (any) return true;
    }
    /* s.* : the fields of a struct column */
    sl__ast col = *e;
    col.kind = A_COLUMN;
    sl__expr *s = sl__bind_column(b, &col, sc, NULL);
    if (!s) {
        sl__err_clear(b->err);
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                    "cannot expand '%s.*': no table alias or struct column of that name",
                    e->parts[e->n_parts - 1]);
        return false;
    }
    if (s->type->id != SL_TYPE_STRUCT) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                    "cannot expand '%s.*': it is a %s, not a struct", e->parts[e->n_parts - 1],
                    s->type->name);
        sl__expr_free(s);
        return false;
    }
    for (uint32_t f = 0; f < s->type->n_fields; f++)
        out_push(out, sl__expr_field(sl__expr_clone(s), f), s->type->names[f], NULL);
    sl__expr_free(s);
    return true;
}

static char *item_name(bctx *b, const sl__select_item *it, const scope *sc) {
    if (it->alias) return sl__arena_strdup(b->a, it->alias);
    const sl__ast *e = it->expr;
    if (e->kind == A_COLUMN) {
        const char *nm = NULL;
        sl__err saved = *b->err;
        sl__expr *x = sl__bind_column(b, e, sc, &nm);
        *b->err = saved;
        sl__expr_free(x);
        if (nm) return sl__arena_strdup(b->a, nm);
    }
    char *n = sl__ast_name(b->src, e);
    char *r = sl__arena_strdup(b->a, n);
    sl__free(n);
    return r;
}

/* Grouping sets of a GROUP BY, as bitmasks over the deduplicated keys. */
typedef struct gsets {
    uint64_t *v;
    uint32_t n, cap;
} gsets;

/* Spark keeps duplicate grouping sets (each produces its rows); so do we. */
static void gs_push(gsets *g, uint64_t m) {
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 8;
        g->v = sl__realloc(g->v, sizeof *g->v * g->cap);
    }
    g->v[g->n++] = m;
}

static int key_index(bctx *b, aggstate *as, sl__expr *x) {
    for (uint32_t i = 0; i < as->nk; i++)
        if (sl__expr_equal(as->keys[i], x)) {
            sl__expr_free(x);
            return (int)i;
        }
    if (as->nk >= 63) {
        sl__expr_free(x);
        return -1;
    }
    as->keys = sl__realloc(as->keys, sizeof *as->keys * (as->nk + 1));
    as->keys[as->nk] = x;
    return (int)as->nk++;
}

/* Binds one GROUP BY expression: ordinals and select aliases first (R176). */
static sl__expr *bind_group_expr(bctx *b, const sl__ast *e, const sl__query *q, const scope *sc,
                                 const sl__ast **key_ast) {
    *key_ast = e;
    if (e->kind == A_LITERAL && (e->lit.type == SL_TYPE_INT || e->lit.type == SL_TYPE_BIGINT)) {
        int64_t k = e->lit.i;
        if (k < 1 || k > (int64_t)q->n_items) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                        "GROUP BY position %lld is not in the select list (1 to %u)", (long long)k,
                        q->n_items);
            return NULL;
        }
        const sl__ast *it = q->items[k - 1].expr;
        if (sl__ast_has_agg(it)) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                        "GROUP BY position %lld refers to an aggregate", (long long)k);
            return NULL;
        }
        *key_ast = it;
        return sl__bind_expr(b, it, sc);
    }
    if (e->kind == A_COLUMN && e->n_parts == 1) {
        bool in_scope = false;
        for (uint32_t i = 0; i < sc->n; i++)
            if (!sc->cols[i].hidden && name_eq(b, sc->cols[i].name, e->parts[0])) in_scope = true;
        if (!in_scope) {
            for (uint32_t i = 0; i < q->n_items; i++) {
                if (q->items[i].alias && name_eq(b, q->items[i].alias, e->parts[0]) &&
                    !sl__ast_has_agg(q->items[i].expr)) {
                    *key_ast = q->items[i].expr;
                    return sl__bind_expr(b, q->items[i].expr, sc);
                }
            }
        }
    }
    return sl__bind_expr(b, e, sc);
}

/*
 * HAVING may name a SELECT alias (Spark: `SELECT city, sum(q) AS s ... GROUP
 * BY city HAVING s > 15`). A name that is not an input column but is an
 * alias is replaced by the aliased expression; input columns win, as in
 * GROUP BY. Returns e itself when nothing changes, else a copy (arena).
 */
static const sl__ast *having_with_aliases(bctx *b, const sl__ast *e, const sl__query *q,
                                          const scope *sc) {
    if (!e) return NULL;
    if (e->kind == A_COLUMN && e->n_parts == 1) {
        for (uint32_t i = 0; i < sc->n; i++)
            if (!sc->cols[i].hidden && name_eq(b, sc->cols[i].name, e->parts[0])) return e;
        for (uint32_t i = 0; i < q->n_items; i++)
            if (q->items[i].alias && name_eq(b, q->items[i].alias, e->parts[0]))
                return q->items[i].expr;
        return e;
    }
    if (e->kind == A_SUBQUERY || e->kind == A_LITERAL || e->kind == A_STAR) return e;
    const sl__ast *na = having_with_aliases(b, e->a, q, sc);
    const sl__ast *nb = having_with_aliases(b, e->b, q, sc);
    const sl__ast *nc = having_with_aliases(b, e->c, q, sc);
    sl__ast **nargs = NULL;
    for (uint32_t i = 0; i < e->n_args; i++) {
        const sl__ast *x = having_with_aliases(b, e->args[i], q, sc);
        if (x != e->args[i] && !nargs) {
            nargs = sl__arena_alloc(b->a, sizeof *nargs * e->n_args);
            memcpy(nargs, e->args, sizeof *nargs * e->n_args);
        }
        if (nargs) nargs[i] = (sl__ast *)x;
    }
    if (na == e->a && nb == e->b && nc == e->c && !nargs) return e;
    sl__ast *c = sl__arena_alloc(b->a, sizeof *c);
    *c = *e;
    c->a = (sl__ast *)na;
    c->b = (sl__ast *)nb;
    c->c = (sl__ast *)nc;
    if (nargs) c->args = nargs;
    return c;
}

static bool bind_group_by(bctx *b, const sl__query *q, const scope *sc, aggstate *as,
                          const sl__ast ***key_asts, gsets *sets) {
    gsets cur = {0};
    gs_push(&cur, 0);
    bool plain = true;
    *key_asts = NULL;
    for (uint32_t g = 0; g < q->n_group; g++) {
        const sl__group_elem *ge = &q->group[g];
        uint32_t *idx = sl__arena_alloc(b->a, sizeof(uint32_t) * (ge->n_exprs ? ge->n_exprs : 1));
        for (uint32_t i = 0; i < ge->n_exprs; i++) {
            const sl__ast *ka;
            sl__expr *x = bind_group_expr(b, ge->exprs[i], q, sc, &ka);
            if (!x) {
                sl__free(cur.v);
                return false;
            }
            /* a NULL-typed (void) key stays void: the SELECT list refers to it as is */
            uint32_t before = as->nk;
            int k = key_index(b, as, x);
            if (k < 0) {
                sl__err_set(b->err, SL_ERR_UNSUPPORTED, ge->exprs[i]->pos,
                            "too many GROUP BY keys (63 at most)");
                sl__free(cur.v);
                return false;
            }
            if (as->nk > before) {
                *key_asts = sl__realloc(*key_asts, sizeof **key_asts * as->nk);
                (*key_asts)[k] = ka;
            }
            idx[i] = (uint32_t)k;
        }
        /* the sets this element contributes */
        gsets el = {0};
        switch (ge->kind) {
        case G_EXPR: gs_push(&el, 1ULL << idx[0]); break;
        case G_CUBE: {
            plain = false;
            uint32_t n = ge->n_exprs;
            if (n > 12) {
                sl__err_set(b->err, SL_ERR_UNSUPPORTED, ge->exprs[0]->pos,
                            "CUBE of more than 12 columns");
                sl__free(cur.v);
                return false;
            }
            /* Spark's order: from all columns down to the empty set */
            for (int64_t m = (int64_t)(1ULL << n) - 1; m >= 0; m--) {
                uint64_t s = 0;
                for (uint32_t i = 0; i < n; i++)
                    if (m & (1LL << (n - 1 - i))) s |= 1ULL << idx[i];
                gs_push(&el, s);
            }
            break;
        }
        case G_ROLLUP: {
            plain = false;
            for (int64_t k = ge->n_exprs; k >= 0; k--) {
                uint64_t s = 0;
                for (int64_t i = 0; i < k; i++) s |= 1ULL << idx[i];
                gs_push(&el, s);
            }
            break;
        }
        case G_SETS:
            plain = false;
            for (uint32_t s = 0; s < ge->n_sets; s++) {
                uint64_t m = 0;
                for (uint32_t i = 0; i < ge->set_len[s]; i++) m |= 1ULL << idx[ge->sets[s][i]];
                gs_push(&el, m);
            }
            break;
        }
        gsets next = {0};
        for (uint32_t i = 0; i < cur.n; i++)
            for (uint32_t k = 0; k < el.n; k++) gs_push(&next, cur.v[i] | el.v[k]);
        sl__free(cur.v);
        sl__free(el.v);
        cur = next;
        if (cur.n > 4096) {
            sl__err_set(b->err, SL_ERR_UNSUPPORTED, q->pos, "too many grouping sets (%u)", cur.n);
            sl__free(cur.v);
            return false;
        }
    }
    if (plain) {
        sl__free(cur.v);
        sets->v = NULL;
        sets->n = 0;
    } else {
        *sets = cur;
    }
    return true;
}

static void fix_gid(sl__expr *e, uint32_t gid_col) {
    if (e->kind == E_COLREF && (e->col & GID_MARK)) e->col = gid_col;
    for (uint32_t i = 0; i < e->n_args; i++) fix_gid(e->args[i], gid_col);
}

/* ORDER BY items bound against the output, or carried as hidden columns. */
typedef struct order_bound {
    sl__expr **keys; /* over the projection's output (incl. hidden) */
    bool *desc, *nulls_first;
    uint32_t n;
} order_bound;

static bool is_output_ref(bctx *b, const sl__ast *e, const item_out *out, uint32_t *col) {
    if (e->kind == A_LITERAL && (e->lit.type == SL_TYPE_INT || e->lit.type == SL_TYPE_BIGINT)) {
        if (e->lit.i < 1 || e->lit.i > (int64_t)out->n) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                        "ORDER BY position %lld is not in the select list (1 to %u)",
                        (long long)e->lit.i, out->n);
            return false;
        }
        *col = (uint32_t)(e->lit.i - 1);
        return true;
    }
    if (e->kind == A_COLUMN && e->n_parts == 1) {
        int hit = -1;
        for (uint32_t i = 0; i < out->n; i++)
            if (name_eq(b, out->names[i], e->parts[0])) {
                if (hit >= 0 && !sl__expr_equal(out->exprs[hit], out->exprs[i])) {
                    sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos,
                                "ORDER BY '%s' is ambiguous: several output columns have that name",
                                e->parts[0]);
                    return false;
                }
                if (hit < 0) hit = (int)i;
            }
        if (hit >= 0) {
            *col = (uint32_t)hit;
            return true;
        }
    }
    return false;
}

/* Binds ORDER BY; may append hidden outputs to `out` (marked by *n_visible). */
static bool bind_order(bctx *b, const sl__query *q, item_out *out, const scope *in_sc,
                       bool distinct, order_bound *ob) {
    ob->n = q->n_order;
    ob->keys = sl__calloc(ob->n ? ob->n : 1, sizeof *ob->keys);
    ob->desc = sl__calloc(ob->n ? ob->n : 1, sizeof *ob->desc);
    ob->nulls_first = sl__calloc(ob->n ? ob->n : 1, sizeof *ob->nulls_first);
    /* the output as a scope, for expressions over output columns */
    scope os = {sl__arena_calloc(b->a, sizeof(bcol) * (out->n + q->n_order + 1)), out->n};
    for (uint32_t i = 0; i < out->n; i++)
        os.cols[i] = (bcol){NULL, out->names[i], out->exprs[i]->type, false};
    for (uint32_t i = 0; i < q->n_order; i++) {
        const sl__order_item *oi = &q->order[i];
        ob->desc[i] = oi->desc;
        ob->nulls_first[i] = oi->nulls_first < 0 ? !oi->desc : oi->nulls_first != 0;
        uint32_t col;
        if (is_output_ref(b, oi->expr, out, &col)) {
            ob->keys[i] = sl__expr_colref(col, out->exprs[col]->type);
            continue;
        }
        if (b->err->code) return false;
        /* an expression over output columns? */
        sl__err saved = *b->err;
        aggstate *as = b->agg;
        b->agg = NULL;
        sl__expr *x = sl__bind_expr(b, oi->expr, &os);
        b->agg = as;
        if (x && !sl__ast_has_agg(oi->expr)) {
            ob->keys[i] = x;
            continue;
        }
        sl__expr_free(x);
        *b->err = saved;
        /* over the input: a hidden output column */
        if (distinct) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, oi->expr->pos,
                        "ORDER BY of a SELECT DISTINCT must use columns of the select list");
            return false;
        }
        b->allow_agg = b->agg != NULL;
        x = sl__bind_expr(b, oi->expr, in_sc);
        if (x && b->agg) x = sl__agg_rewrite(b, x, oi->expr);
        b->allow_agg = false;
        if (!x) return false;
        char *nm = sl__arena_sprintf(b->a, "__order_%u", i);
        out_push(out, x, nm, oi->expr);
        os.cols[os.n] = (bcol){NULL, nm, x->type, true};
        os.n++;
        ob->keys[i] = sl__expr_colref(out->n - 1, x->type);
    }
    return true;
}

static int64_t const_int(bctx *b, const sl__ast *e, const char *what) {
    scope empty = {NULL, 0};
    sl__expr *x = sl__bind_expr(b, e, &empty);
    if (!x) return -2;
    x = sl__fold(b, x);
    if (!x || x->kind != E_CONST || !sl__type_is_integral(x->type) || !sl__vec_valid(x->cval, 0)) {
        sl__expr_free(x);
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos, "%s must be a constant integer", what);
        return -2;
    }
    int64_t v = x->type->id == SL_TYPE_INT        ? SL_VEC_DATA(x->cval, int32_t)[0]
                : x->type->id == SL_TYPE_SMALLINT ? SL_VEC_DATA(x->cval, int16_t)[0]
                                                  : SL_VEC_DATA(x->cval, int64_t)[0];
    sl__expr_free(x);
    if (v < 0) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, e->pos, "%s must not be negative", what);
        return -2;
    }
    return v;
}

static sl__plan *add_sort_limit(bctx *b, const sl__query *q, sl__plan *p, order_bound *ob,
                                uint32_t n_visible) {
    if (ob && ob->n) {
        sl__plan *s = sl__plan_new(P_SORT, p->schema);
        s->child[0] = p;
        s->exprs = ob->keys;
        s->n_exprs = ob->n;
        s->desc = ob->desc;
        s->nulls_first = ob->nulls_first;
        s->streaming = p->streaming;
        s->pos = q->pos;
        ob->keys = NULL;
        ob->desc = ob->nulls_first = NULL;
        p = s;
    }
    if (q->limit || q->offset) {
        int64_t lim = -1, off = 0;
        if (q->limit && (lim = const_int(b, q->limit, "LIMIT")) < -1) {
            sl__plan_free(p);
            return NULL;
        }
        if (q->offset && (off = const_int(b, q->offset, "OFFSET")) < 0) {
            sl__plan_free(p);
            return NULL;
        }
        sl__plan *l = sl__plan_new(P_LIMIT, p->schema);
        l->child[0] = p;
        l->limit = lim;
        l->offset = off;
        l->streaming = p->streaming;
        p = l;
    }
    if (n_visible < p->schema->n_fields) {
        /* drop the hidden ORDER BY columns */
        sl__expr **ex = sl__malloc(sizeof *ex * (n_visible ? n_visible : 1));
        for (uint32_t i = 0; i < n_visible; i++) ex[i] = sl__expr_colref(i, p->schema->fields[i]);
        p = project(p, ex, n_visible, (const char **)p->schema->names);
    }
    return p;
}

static sl__plan *distinct_over(sl__plan *p) {
    uint32_t n = p->schema->n_fields;
    sl__plan *a = sl__plan_new(P_AGGREGATE, p->schema);
    a->child[0] = p;
    a->exprs = sl__malloc(sizeof *a->exprs * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++) a->exprs[i] = sl__expr_colref(i, p->schema->fields[i]);
    a->n_exprs = n;
    a->streaming = p->streaming;
    return a;
}

/* ---- event-time windows ------------------------------------------------------ */

typedef struct astlist {
    const sl__ast **v;
    uint32_t n, cap;
} astlist;

static void find_windows(const sl__ast *e, astlist *l) {
    if (!e || e->kind == A_SUBQUERY) return;
    if (e->kind == A_FUNC &&
        (strcasecmp(e->name, "window") == 0 || strcasecmp(e->name, "session_window") == 0)) {
        SL_GROW(l->v, l->cap, l->n + 1);
        l->v[l->n++] = e;
    }
    find_windows(e->a, l);
    find_windows(e->b, l);
    find_windows(e->c, l);
    for (uint32_t i = 0; i < e->n_args; i++) find_windows(e->args[i], l);
}

/*
 * Spark's TimeWindowing / SessionWindowing rewrite for one query block: the
 * window(...) or session_window(...) of its SELECT list, GROUP BY, HAVING
 * and ORDER BY — one at most (R103), written any number of times — becomes
 * the last column of a P_WINDOW node over the block's input (after WHERE),
 * named `window` or `session_window`, so `window.start` resolves too. The
 * calls themselves then bind to that column (bind_expr.c, window_ref).
 */
static bool bind_window(bctx *b, const sl__query *q, sl__plan **pp, scope *sc) {
    astlist l = {0};
    for (uint32_t i = 0; i < q->n_items; i++) find_windows(q->items[i].expr, &l);
    for (uint32_t g = 0; g < q->n_group; g++)
        for (uint32_t i = 0; i < q->group[g].n_exprs; i++) find_windows(q->group[g].exprs[i], &l);
    find_windows(q->having, &l);
    for (uint32_t i = 0; i < q->n_order; i++) find_windows(q->order[i].expr, &l);
    if (!l.n) return true;
    sl__expr *w = NULL;
    const sl__ast *first = NULL;
    bool ok = true;
    b->win_binding = true;
    for (uint32_t i = 0; i < l.n && ok; i++) {
        sl__expr *x = sl__bind_expr(b, l.v[i], sc);
        if (!x) {
            ok = false;
            break;
        }
        if (!w) {
            w = x;
            first = l.v[i];
            continue;
        }
        bool same = sl__window_equal(w, x);
        sl__expr_free(x);
        if (!same) {
            const sl__ast *a1 = first, *a2 = l.v[i];
            sl__err_set(b->err, SL_ERR_ANALYSIS, a2->pos,
                        "only one window or session_window expression is allowed per query "
                        "block, found %.*s and %.*s (R103): a row would be paired with the "
                        "windows of both; window in a subquery, then again outside",
                        (int)(a1->end - a1->pos), b->src + a1->pos, (int)(a2->end - a2->pos),
                        b->src + a2->pos);
            ok = false;
        }
    }
    b->win_binding = false;
    sl__free(l.v);
    sl__win_spec ws;
    if (ok && !sl__window_spec(w, &ws)) {
        sl__err_set(b->err, SL_ERR_INTERNAL, first->pos, "window expression did not bind");
        ok = false;
    }
    if (!ok) {
        sl__expr_free(w);
        return false;
    }
    const char *name = ws.kind == SL__WIN_SESSION ? "session_window" : "window";
    uint32_t n = sc->n;
    bcol *cols = sl__arena_alloc(b->a, sizeof(bcol) * (n + 1));
    if (n) memcpy(cols, sc->cols, sizeof(bcol) * n);
    /* an input column of that name (a window of a subquery: chained windows)
     * keeps the name; the new column is then reached through the call only */
    bool taken = false;
    for (uint32_t i = 0; i < n; i++)
        if (!cols[i].hidden && name_eq(b, cols[i].name, name)) taken = true;
    cols[n] = (bcol){NULL, name, w->type, taken};
    scope wsc = {cols, n + 1};
    sl__plan *x = sl__plan_new(P_WINDOW, schema_of_scope(&wsc));
    x->child[0] = *pp;
    x->exprs = sl__malloc(sizeof *x->exprs);
    x->exprs[0] = w;
    x->n_exprs = 1;
    x->streaming = (*pp)->streaming;
    x->pos = first->pos;
    *pp = x;
    *sc = wsc;
    b->win_sc = sc;
    b->win_expr = w;
    b->win_col = n;
    return true;
}

static sl__plan *bind_select(bctx *b, const sl__query *q, scope *out_sc) {
    scope sc = {NULL, 0};
    sl__plan *p;
    if (q->from) {
        p = bind_rel(b, q->from, &sc);
        if (!p) return NULL;
    } else {
        p = one_row();
    }
    if (q->where) {
        if (sl__ast_has_agg(q->where)) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, q->where->pos,
                        "aggregate functions are not allowed in WHERE (use HAVING)");
            sl__plan_free(p);
            return NULL;
        }
        sl__expr *pred = sl__bind_predicate(b, q->where, &sc);
        if (!pred) {
            sl__plan_free(p);
            return NULL;
        }
        p = filter(p, pred);
    }

    /* the window column (below the generator: explode sees it as an input) */
    uint32_t visible_n = sc.n;
    if (!bind_window(b, q, &p, &sc)) {
        sl__plan_free(p);
        return NULL;
    }
    /* a generator in the select list (explode) runs below the projection */
    const sl__ast *gen = NULL;
    for (uint32_t i = 0; i < q->n_items; i++) {
        if (!sl__ast_is_generator(q->items[i].expr)) continue;
        if (gen) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, q->items[i].pos,
                        "only one generator (explode) is allowed per SELECT (R150)");
            sl__plan_free(p);
            return NULL;
        }
        gen = q->items[i].expr;
    }
    bool is_agg = q->n_group > 0 || (q->having != NULL);
    for (uint32_t i = 0; i < q->n_items && !is_agg; i++)
        if (sl__ast_has_agg(q->items[i].expr)) is_agg = true;
    for (uint32_t i = 0; i < q->n_order && !is_agg; i++)
        if (sl__ast_has_agg(q->order[i].expr)) is_agg = true;
    if (gen) {
        if (is_agg) {
            sl__err_set(b->err, SL_ERR_UNSUPPORTED, gen->pos,
                        "a generator (explode) cannot be mixed with aggregation in one SELECT; "
                        "explode in a subquery and aggregate outside");
            sl__plan_free(p);
            return NULL;
        }
        const char *gname = gen->name;
        bool pos = strncasecmp(gname, "posexplode", 10) == 0;
        bool outer =
            strcasecmp(gname, "explode_outer") == 0 || strcasecmp(gname, "posexplode_outer") == 0;
        if (strcasecmp(gname, "inline") == 0) {
            sl__err_set(b->err, SL_ERR_UNSUPPORTED, gen->pos, "inline() is not supported");
            sl__plan_free(p);
            return NULL;
        }
        if (gen->n_args != 1) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, gen->pos, "%s takes one array argument", gname);
            sl__plan_free(p);
            return NULL;
        }
        sl__expr *arr = sl__bind_expr(b, gen->args[0], &sc);
        if (!arr) {
            sl__plan_free(p);
            return NULL;
        }
        if (arr->type->id != SL_TYPE_ARRAY) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, gen->args[0]->pos, "%s needs an array, got %s",
                        gname, arr->type->name);
            sl__expr_free(arr);
            sl__plan_free(p);
            return NULL;
        }
        uint32_t extra = pos ? 2 : 1;
        bcol *cols = sl__arena_alloc(b->a, sizeof(bcol) * (sc.n + extra));
        if (sc.n) memcpy(cols, sc.cols, sizeof(bcol) * sc.n); /* no FROM: no columns */
        if (pos) cols[sc.n] = (bcol){NULL, "pos", SL_T_I32, false};
        cols[sc.n + extra - 1] = (bcol){NULL, "col", arr->type->fields[0], false};
        scope gsc = {cols, sc.n + extra};
        sl__plan *x = sl__plan_new(P_EXPLODE, schema_of_scope(&gsc));
        x->child[0] = p;
        x->exprs = sl__malloc(sizeof *x->exprs);
        x->exprs[0] = arr;
        x->n_exprs = 1;
        x->outer = outer;
        x->posexplode = pos;
        x->streaming = p->streaming;
        p = x;
        b->gen_ast = gen;
        b->gen_col = sc.n + extra - 1;
        sc = gsc;
    }

    item_out out = {0};
    aggstate as;
    memset(&as, 0, sizeof as);
    as.input = &sc;
    const sl__ast **key_asts = NULL;
    gsets sets = {0};
    if (is_agg) {
        if (!bind_group_by(b, q, &sc, &as, &key_asts, &sets)) goto fail;
        b->agg = &as;
    }
    for (uint32_t i = 0; i < q->n_items; i++) {
        const sl__select_item *it = &q->items[i];
        if (it->expr->kind == A_STAR) {
            uint32_t before = out.n;
            if (!expand_star(b, it->expr, &sc, visible_n, &out)) goto fail;
            if (is_agg) {
                for (uint32_t k = before; k < out.n; k++) {
                    out.exprs[k] = sl__agg_rewrite(b, out.exprs[k], it->expr);
                    /* out_free frees the other columns of the star (NULL is fine) */
                    if (!out.exprs[k]) goto fail;
                }
            }
            continue;
        }
        if (it->alias == NULL && gen == it->expr && gen &&
            strncasecmp(gen->name, "posexplode", 10) == 0) {
            out_push(&out, sl__expr_colref(b->gen_col - 1, SL_T_I32), "pos", it->expr);
            out_push(&out, sl__expr_colref(b->gen_col, sc.cols[b->gen_col].type), "col", it->expr);
            continue;
        }
        b->allow_agg = is_agg;
        sl__expr *x = sl__bind_expr(b, it->expr, &sc);
        b->allow_agg = false;
        if (!x) goto fail;
        if (is_agg) {
            x = sl__agg_rewrite(b, x, it->expr);
            if (!x) goto fail;
        }
        out_push(&out, x, item_name(b, it, &sc), it->expr);
    }
    uint32_t n_visible = out.n;
    sl__expr *having = NULL;
    if (q->having) {
        b->allow_agg = true;
        having = sl__bind_predicate(b, having_with_aliases(b, q->having, q, &sc), &sc);
        b->allow_agg = false;
        if (having) having = sl__agg_rewrite(b, having, q->having);
        if (!having) goto fail;
    }
    order_bound ob = {0};
    if (q->n_order) {
        if (!bind_order(b, q, &out, &sc, q->distinct, &ob)) {
            sl__expr_free(having);
            for (uint32_t i = 0; i < ob.n; i++) sl__expr_free(ob.keys[i]);
            sl__free(ob.keys);
            sl__free(ob.desc);
            sl__free(ob.nulls_first);
            goto fail;
        }
    }
    b->agg = NULL;
    b->gen_ast = NULL;
    if (is_agg) {
        /* the aggregate node: keys, aggregates, [grouping id] */
        bool gid = sets.n > 0 || as.uses_gid;
        uint32_t nout = as.nk + as.na + (gid ? 1 : 0);
        const char **names = sl__malloc(sizeof *names * (nout ? nout : 1));
        const sl__type **types = sl__malloc(sizeof *types * (nout ? nout : 1));
        for (uint32_t i = 0; i < as.nk; i++) {
            const sl__ast *ka = key_asts[i];
            char *nm = NULL;
            if (ka->kind == A_COLUMN) {
                const char *rn = NULL;
                sl__err saved = *b->err;
                sl__expr *t = sl__bind_column(b, ka, &sc, &rn);
                *b->err = saved;
                sl__expr_free(t);
                if (rn) nm = sl__arena_strdup(b->a, rn);
            }
            if (!nm) {
                char *n2 = sl__ast_name(b->src, ka);
                nm = sl__arena_strdup(b->a, n2);
                sl__free(n2);
            }
            names[i] = nm;
            types[i] = as.keys[i]->type;
        }
        for (uint32_t i = 0; i < as.na; i++) {
            names[as.nk + i] = as.aggs[i].call.name;
            types[as.nk + i] = as.aggs[i].call.type;
        }
        if (gid) {
            names[nout - 1] = "spark_grouping_id";
            types[nout - 1] = SL_T_I64;
        }
        sl__plan *a = sl__plan_new(P_AGGREGATE, sl__schema_make(nout, names, types));
        sl__free(names);
        sl__free(types);
        a->child[0] = p;
        a->exprs = as.keys;
        a->n_exprs = as.nk;
        as.keys = NULL;
        a->n_aggs = as.na;
        a->aggs = sl__calloc(as.na ? as.na : 1, sizeof *a->aggs);
        for (uint32_t i = 0; i < as.na; i++) a->aggs[i] = as.aggs[i].call;
        sl__free(as.aggs);
        as.aggs = NULL;
        a->sets = sets.v;
        a->n_sets = sets.n;
        sets.v = NULL;
        a->grouping_id = gid;
        a->streaming = p->streaming;
        a->pos = q->pos;
        if (b->win_expr) {
            for (uint32_t i = 0; i < a->n_exprs; i++)
                if (a->exprs[i]->kind == E_COLREF && a->exprs[i]->col == b->win_col)
                    a->win_key = (int32_t)i;
            sl__win_spec ws;
            if (a->win_key >= 0 && a->sets && sl__window_spec(b->win_expr, &ws) &&
                ws.kind == SL__WIN_SESSION) {
                sl__err_set(b->err, SL_ERR_UNSUPPORTED, q->pos,
                            "session_window cannot be a key of CUBE, ROLLUP or GROUPING SETS: "
                            "sessions merge per group of the other keys");
                b->win_sc = NULL;
                b->win_expr = NULL;
                sl__free(key_asts);
                out_free(&out);
                sl__expr_free(having);
                for (uint32_t i = 0; i < ob.n; i++) sl__expr_free(ob.keys[i]);
                sl__free(ob.keys);
                sl__free(ob.desc);
                sl__free(ob.nulls_first);
                sl__plan_free(a);
                return NULL;
            }
        }
        p = a;
        uint32_t gid_col = nout - 1;
        for (uint32_t i = 0; i < out.n; i++) fix_gid(out.exprs[i], gid_col);
        if (having) {
            fix_gid(having, gid_col);
            p = filter(p, having);
        }
        for (uint32_t i = 0; i < ob.n; i++) fix_gid(ob.keys[i], gid_col);
    }
    b->win_sc = NULL;
    b->win_expr = NULL;
    sl__free(key_asts);
    p = project(p, out.exprs, out.n, out.names);
    sl__free(out.names);
    sl__free(out.asts);
    if (q->distinct) p = distinct_over(p);
    p = add_sort_limit(b, q, p, &ob, n_visible);
    sl__free(ob.keys);
    sl__free(ob.desc);
    sl__free(ob.nulls_first);
    if (!p) return NULL;
    scope_from_schema(b, p->schema, NULL, out_sc);
    return p;

fail:
    b->agg = NULL;
    b->gen_ast = NULL;
    b->win_sc = NULL;
    b->win_expr = NULL;
    b->allow_agg = false;
    out_free(&out);
    for (uint32_t i = 0; i < as.nk; i++) sl__expr_free(as.keys[i]);
    sl__free(as.keys);
    for (uint32_t i = 0; i < as.na; i++) {
        sl__expr_free(as.aggs[i].call.arg);
        sl__free((char *)as.aggs[i].call.name);
    }
    sl__free(as.aggs);
    sl__free(key_asts);
    sl__free(sets.v);
    sl__plan_free(p);
    return NULL;
}

/* ---- VALUES and set operations ---------------------------------------------- */

/* An ORDER BY key of VALUES or a set operation, over the output columns:
 * an integer literal is a position (spark.sql.orderByOrdinal), anything
 * else an expression over the output. */
static sl__expr *bind_output_order(bctx *b, const sl__ast *oe, const sl__type *schema,
                                   const scope *out_sc) {
    if (oe->kind == A_LITERAL && (oe->lit.type == SL_TYPE_INT || oe->lit.type == SL_TYPE_BIGINT)) {
        if (oe->lit.i < 1 || oe->lit.i > (int64_t)schema->n_fields) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, oe->pos,
                        "ORDER BY position %lld is not in the select list (1 to %u)",
                        (long long)oe->lit.i, schema->n_fields);
            return NULL;
        }
        return sl__expr_colref((uint32_t)oe->lit.i - 1, schema->fields[oe->lit.i - 1]);
    }
    return sl__bind_expr(b, oe, out_sc);
}

/* Frees a VALUES node whose rows are still being bound: it has no schema
 * yet, so sl__plan_free would not know the row width (and later rows are
 * not allocated). */
static void values_free_partial(sl__plan *p, uint32_t nc) {
    for (uint32_t r = 0; r < p->n_rows && p->rows[r]; r++) {
        for (uint32_t c = 0; c < nc; c++) sl__expr_free(p->rows[r][c]);
        sl__free(p->rows[r]);
    }
    p->n_rows = 0;
    sl__plan_free(p);
}

static sl__plan *bind_values(bctx *b, const sl__query *q, scope *out_sc) {
    uint32_t nc = q->n_rows ? q->row_len[0] : 0;
    for (uint32_t r = 1; r < q->n_rows; r++) {
        if (q->row_len[r] != nc) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, q->rows[r][0]->pos,
                        "VALUES rows must all have %u values; row %u has %u", nc, r + 1,
                        q->row_len[r]);
            return NULL;
        }
    }
    sl__plan *p = sl__plan_new(P_VALUES, NULL);
    p->rows = sl__calloc(q->n_rows ? q->n_rows : 1, sizeof *p->rows);
    p->n_rows = q->n_rows;
    scope empty = {NULL, 0};
    const sl__type **types = sl__calloc(nc ? nc : 1, sizeof *types);
    for (uint32_t c = 0; c < nc; c++) types[c] = SL_T_NULL;
    for (uint32_t r = 0; r < q->n_rows; r++) {
        p->rows[r] = sl__calloc(nc ? nc : 1, sizeof(sl__expr *));
        for (uint32_t c = 0; c < nc; c++) {
            sl__expr *x = sl__fold(b, sl__bind_expr(b, q->rows[r][c], &empty));
            if (!x) {
                sl__free(types);
                values_free_partial(p, nc);
                return NULL;
            }
            p->rows[r][c] = x;
            const sl__type *t = sl__common_type(types[c], x->type);
            if (!t) {
                sl__err_set(b->err, SL_ERR_ANALYSIS, q->rows[r][c]->pos,
                            "VALUES column %u mixes %s and %s", c + 1, types[c]->name,
                            x->type->name);
                sl__free(types);
                values_free_partial(p, nc);
                return NULL;
            }
            types[c] = t;
        }
    }
    const char **names = sl__malloc(sizeof *names * (nc ? nc : 1));
    for (uint32_t c = 0; c < nc; c++) {
        if (types[c]->id == SL_TYPE_NULL) types[c] = SL_T_NULL;
        names[c] = sl__arena_sprintf(b->a, "col%u", c + 1);
        for (uint32_t r = 0; r < q->n_rows; r++)
            p->rows[r][c] = sl__fold(b, sl__cast_to(p->rows[r][c], types[c]));
    }
    p->schema = sl__schema_make(nc, names, types);
    sl__free(names);
    sl__free(types);
    scope_from_schema(b, p->schema, NULL, out_sc);
    order_bound ob = {0};
    if (q->n_order) {
        ob.n = q->n_order;
        ob.keys = sl__calloc(ob.n, sizeof *ob.keys);
        ob.desc = sl__calloc(ob.n, sizeof(bool));
        ob.nulls_first = sl__calloc(ob.n, sizeof(bool));
        for (uint32_t i = 0; i < ob.n; i++) {
            ob.keys[i] = bind_output_order(b, q->order[i].expr, p->schema, out_sc);
            if (!ob.keys[i]) {
                for (uint32_t k = 0; k < i; k++) sl__expr_free(ob.keys[k]);
                sl__free(ob.keys);
                sl__free(ob.desc);
                sl__free(ob.nulls_first);
                sl__plan_free(p);
                return NULL;
            }
            ob.desc[i] = q->order[i].desc;
            ob.nulls_first[i] =
                q->order[i].nulls_first < 0 ? !q->order[i].desc : q->order[i].nulls_first;
        }
    }
    p = add_sort_limit(b, q, p, &ob, p->schema->n_fields);
    sl__free(ob.keys);
    sl__free(ob.desc);
    sl__free(ob.nulls_first);
    return p;
}

/* Casts a plan's columns to the given types (for set operations). */
static sl__plan *cast_columns(sl__plan *p, const sl__type **types) {
    uint32_t n = p->schema->n_fields;
    bool need = false;
    for (uint32_t i = 0; i < n; i++)
        if (p->schema->fields[i] != types[i]) need = true;
    if (!need) return p;
    sl__expr **ex = sl__malloc(sizeof *ex * n);
    for (uint32_t i = 0; i < n; i++)
        ex[i] = sl__cast_to(sl__expr_colref(i, p->schema->fields[i]), types[i]);
    return project(p, ex, n, (const char **)p->schema->names);
}

static sl__plan *bind_setop(bctx *b, const sl__query *q, scope *out_sc) {
    scope ls, rs;
    sl__plan *L = sl__bind_query_int(b, q->left, &ls);
    if (!L) return NULL;
    sl__plan *R = sl__bind_query_int(b, q->right, &rs);
    if (!R) {
        sl__plan_free(L);
        return NULL;
    }
    uint32_t n = L->schema->n_fields;
    const char *opn = q->setop == SET_UNION    ? "UNION"
                      : q->setop == SET_EXCEPT ? "EXCEPT"
                                               : "INTERSECT";
    if (R->schema->n_fields != n) {
        sl__err_set(b->err, SL_ERR_ANALYSIS, q->right->pos,
                    "%s needs the same number of columns on both sides (%u and %u)", opn, n,
                    R->schema->n_fields);
        sl__plan_free(L);
        sl__plan_free(R);
        return NULL;
    }
    const sl__type **types = sl__malloc(sizeof *types * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++) {
        types[i] = sl__common_type(L->schema->fields[i], R->schema->fields[i]);
        if (!types[i]) {
            sl__err_set(b->err, SL_ERR_ANALYSIS, q->right->pos,
                        "%s: column %u is %s on the left and %s on the right", opn, i + 1,
                        L->schema->fields[i]->name, R->schema->fields[i]->name);
            sl__free(types);
            sl__plan_free(L);
            sl__plan_free(R);
            return NULL;
        }
    }
    L = cast_columns(L, types);
    R = cast_columns(R, types);
    const sl__type *schema = sl__schema_make(n, (const char *const *)L->schema->names, types);
    sl__free(types);
    sl__plan *p;
    if (q->setop == SET_UNION) {
        p = sl__plan_new(P_UNION, schema);
        p->all = true;
        /* before the loop: flattening frees a nested UNION ALL node */
        p->streaming = L->streaming || R->streaming;
        /* flatten left-deep UNION ALL chains */
        sl__plan *kids[2] = {L, R};
        for (int k = 0; k < 2; k++) {
            sl__plan *c = kids[k];
            if (c->kind == P_UNION && c->all && !c->child[0]) {
                for (uint32_t i = 0; i < c->n_inputs; i++) {
                    p->inputs = sl__realloc(p->inputs, sizeof *p->inputs * (p->n_inputs + 1));
                    p->inputs[p->n_inputs++] = c->inputs[i];
                }
                c->n_inputs = 0;
                sl__plan_free(c);
            } else {
                p->inputs = sl__realloc(p->inputs, sizeof *p->inputs * (p->n_inputs + 1));
                p->inputs[p->n_inputs++] = c;
            }
        }
        if (!q->set_all) p = distinct_over(p);
    } else {
        p = sl__plan_new(P_SETOP, schema);
        p->setop = q->setop;
        p->all = q->set_all;
        p->child[0] = L;
        p->child[1] = R;
        p->streaming = L->streaming || R->streaming;
    }
    scope_from_schema(b, p->schema, NULL, out_sc);
    order_bound ob = {0};
    if (q->n_order) {
        ob.n = q->n_order;
        ob.keys = sl__calloc(ob.n, sizeof *ob.keys);
        ob.desc = sl__calloc(ob.n, sizeof(bool));
        ob.nulls_first = sl__calloc(ob.n, sizeof(bool));
        for (uint32_t i = 0; i < ob.n; i++) {
            ob.keys[i] = bind_output_order(b, q->order[i].expr, p->schema, out_sc);
            if (!ob.keys[i]) {
                for (uint32_t k = 0; k < i; k++) sl__expr_free(ob.keys[k]);
                sl__free(ob.keys);
                sl__free(ob.desc);
                sl__free(ob.nulls_first);
                sl__plan_free(p);
                return NULL;
            }
            ob.desc[i] = q->order[i].desc;
            ob.nulls_first[i] =
                q->order[i].nulls_first < 0 ? !q->order[i].desc : q->order[i].nulls_first;
        }
    }
    p = add_sort_limit(b, q, p, &ob, n);
    sl__free(ob.keys);
    sl__free(ob.desc);
    sl__free(ob.nulls_first);
    return p;
}

sl__plan *sl__bind_query_int(bctx *b, const sl__query *q, scope *out_sc) {
    if (++b->depth > 200) {
        b->depth--;
        sl__err_set(b->err, SL_ERR_ANALYSIS, q->pos, "query nested too deeply");
        return NULL;
    }
    cte_def *saved = b->ctes;
    for (uint32_t i = 0; i < q->n_ctes; i++) {
        cte_def *c = sl__arena_alloc(b->a, sizeof *c);
        c->name = q->ctes[i].name;
        c->q = q->ctes[i].query;
        c->next = b->ctes;
        b->ctes = c;
    }
    /* bindings of the SELECT list must not leak into nested queries */
    aggstate *agg = b->agg;
    const sl__ast *gen = b->gen_ast;
    uint32_t gen_col = b->gen_col;
    bool allow = b->allow_agg, in_arg = b->in_agg_arg;
    const scope *win_sc = b->win_sc;
    const sl__expr *win_expr = b->win_expr;
    uint32_t win_col = b->win_col;
    bool win_binding = b->win_binding;
    b->agg = NULL;
    b->gen_ast = NULL;
    b->allow_agg = b->in_agg_arg = false;
    b->win_sc = NULL;
    b->win_expr = NULL;
    b->win_binding = false;
    sl__plan *p = NULL;
    switch (q->kind) {
    case Q_SELECT: p = bind_select(b, q, out_sc); break;
    case Q_VALUES: p = bind_values(b, q, out_sc); break;
    case Q_SETOP: p = bind_setop(b, q, out_sc); break;
    }
    b->agg = agg;
    b->gen_ast = gen;
    b->gen_col = gen_col;
    b->allow_agg = allow;
    b->in_agg_arg = in_arg;
    b->win_sc = win_sc;
    b->win_expr = win_expr;
    b->win_col = win_col;
    b->win_binding = win_binding;
    b->ctes = saved;
    b->depth--;
    if (p && !p->pos) p->pos = q->pos;
    return p;
}

sl__plan *sl__bind_query(const sl__bind_env *env, const char *src, const sl__query *q,
                         sl__err *err) {
    sl__arena a;
    sl__arena_init(&a, 4096);
    bctx b;
    memset(&b, 0, sizeof b);
    b.env = env;
    b.src = src;
    b.err = err;
    b.a = &a;
    scope out;
    sl__plan *p = sl__bind_query_int(&b, q, &out);
    sl__arena_free(&a);
    if (!p && err->code == SL_OK) sl__err_set(err, SL_ERR_INTERNAL, q->pos, "binding failed");
    return p;
}
