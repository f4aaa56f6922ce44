/*
 * plan.c — logical plan nodes: construction, freeing and EXPLAIN text.
 */
#include "sql/plan.h"
#include "main/catalog.h"

sl__plan *sl__plan_new(sl__plan_kind kind, const sl__type *schema) {
    sl__plan *p = sl__calloc(1, sizeof *p);
    p->kind = kind;
    p->schema = schema;
    p->limit = -1;
    p->win_key = p->evt_key = p->evt_col = -1;
    return p;
}

void sl__plan_free(sl__plan *p) {
    if (!p) return;
    sl__plan_free(p->child[0]);
    sl__plan_free(p->child[1]);
    for (uint32_t i = 0; i < p->n_inputs; i++) sl__plan_free(p->inputs[i]);
    sl__free(p->inputs);
    for (uint32_t i = 0; i < p->n_exprs; i++) sl__expr_free(p->exprs[i]);
    sl__free(p->exprs);
    if (p->rkeys)
        for (uint32_t i = 0; i < p->n_exprs; i++) sl__expr_free(p->rkeys[i]);
    sl__free(p->rkeys);
    sl__free(p->null_safe);
    sl__expr_free(p->cond);
    for (uint32_t r = 0; r < p->n_rows; r++) {
        uint32_t nc = p->schema ? p->schema->n_fields : 0;
        for (uint32_t c = 0; c < nc; c++) sl__expr_free(p->rows[r][c]);
        sl__free(p->rows[r]);
    }
    sl__free(p->rows);
    for (uint32_t i = 0; i < p->n_aggs; i++) {
        sl__expr_free(p->aggs[i].arg);
        sl__free((char *)p->aggs[i].name);
    }
    sl__free(p->aggs);
    sl__free(p->sets);
    sl__free(p->desc);
    sl__free(p->nulls_first);
    sl__free((char *)p->name);
    if (p->table) sl__table_unref(p->table);
    sl__free(p);
}

const sl__type *sl__schema_make(uint32_t n, const char *const *names,
                                const sl__type *const *types) {
    return sl__type_struct(n, names, types, NULL);
}

static const char *kind_name(const sl__plan *p) {
    switch (p->kind) {
    case P_VALUES: return "LocalRelation";
    case P_SCAN: return "Relation";
    case P_STREAM: return "StreamingRelation";
    case P_FILTER: return "Filter";
    case P_PROJECT: return "Project";
    case P_AGGREGATE: return "Aggregate";
    case P_JOIN: return "Join";
    case P_SORT: return "Sort";
    case P_LIMIT: return "Limit";
    case P_UNION: return "Union";
    case P_SETOP: return p->setop == SET_EXCEPT ? "Except" : "Intersect";
    case P_EXPLODE: return "Generate";
    case P_WATERMARK: return "EventTimeWatermark";
    case P_DEDUP: return "Deduplicate";
    case P_WINDOW: return "Window";
    }
    return "?";
}

static void exprs(sl__buf *out, sl__expr **e, uint32_t n) {
    sl__buf_putc(out, '[');
    for (uint32_t i = 0; i < n; i++) {
        if (i) sl__buf_puts(out, ", ");
        sl__expr_print(e[i], out);
    }
    sl__buf_putc(out, ']');
}

static void explain(const sl__plan *p, int depth, sl__buf *out) {
    for (int i = 0; i < depth; i++) sl__buf_puts(out, "   ");
    if (depth) sl__buf_puts(out, "+- ");
    sl__buf_puts(out, kind_name(p));
    switch (p->kind) {
    case P_SCAN:
    case P_STREAM: sl__buf_printf(out, " %s", p->name ? p->name : ""); break;
    case P_VALUES: sl__buf_printf(out, " (%u rows)", p->n_rows); break;
    case P_FILTER:
        sl__buf_putc(out, ' ');
        sl__expr_print(p->exprs[0], out);
        break;
    case P_PROJECT:
        sl__buf_puts(out, " [");
        for (uint32_t i = 0; i < p->n_exprs; i++) {
            if (i) sl__buf_puts(out, ", ");
            sl__expr_print(p->exprs[i], out);
            sl__buf_printf(out, " AS %s", p->schema->names[i]);
        }
        sl__buf_putc(out, ']');
        break;
    case P_AGGREGATE:
        sl__buf_puts(out, " keys=");
        exprs(out, p->exprs, p->n_exprs);
        sl__buf_puts(out, " aggs=[");
        for (uint32_t i = 0; i < p->n_aggs; i++)
            sl__buf_printf(out, "%s%s", i ? ", " : "", p->aggs[i].name);
        sl__buf_putc(out, ']');
        if (p->n_sets) sl__buf_printf(out, " grouping_sets=%u", p->n_sets);
        if (p->win_key >= 0) sl__buf_printf(out, " window_key=#%d", p->win_key);
        break;
    case P_JOIN:
        sl__buf_printf(out, " %s keys=", sl__join_type_name(p->join));
        exprs(out, p->exprs, p->n_exprs);
        sl__buf_puts(out, "=");
        exprs(out, p->rkeys, p->n_exprs);
        if (p->cond) {
            sl__buf_puts(out, " cond=");
            sl__expr_print(p->cond, out);
        }
        break;
    case P_SORT:
        sl__buf_puts(out, " [");
        for (uint32_t i = 0; i < p->n_exprs; i++) {
            if (i) sl__buf_puts(out, ", ");
            sl__expr_print(p->exprs[i], out);
            sl__buf_printf(out, " %s NULLS %s", p->desc[i] ? "DESC" : "ASC",
                           p->nulls_first[i] ? "FIRST" : "LAST");
        }
        sl__buf_putc(out, ']');
        break;
    case P_LIMIT:
        sl__buf_printf(out, " %lld", (long long)p->limit);
        if (p->offset) sl__buf_printf(out, " OFFSET %lld", (long long)p->offset);
        break;
    case P_UNION: sl__buf_puts(out, p->all ? " ALL" : ""); break;
    case P_SETOP: sl__buf_puts(out, p->all ? " ALL" : ""); break;
    case P_EXPLODE:
        sl__buf_printf(out, " %s ", p->posexplode ? "posexplode" : "explode");
        sl__expr_print(p->exprs[0], out);
        if (p->outer) sl__buf_puts(out, " outer");
        break;
    case P_WATERMARK:
        sl__buf_printf(out, " %s delay=%lldms", p->schema->names[p->col],
                       (long long)(p->delay_us / 1000));
        break;
    case P_DEDUP:
        sl__buf_puts(out, " keys=");
        exprs(out, p->exprs, p->n_exprs);
        break;
    case P_WINDOW:
        sl__buf_putc(out, ' ');
        sl__expr_print(p->exprs[0], out);
        sl__buf_printf(out, " AS %s", p->schema->names[p->schema->n_fields - 1]);
        break;
    }
    sl__buf_putc(out, '\n');
    if (p->child[0]) explain(p->child[0], depth + 1, out);
    if (p->child[1]) explain(p->child[1], depth + 1, out);
    for (uint32_t i = 0; i < p->n_inputs; i++) explain(p->inputs[i], depth + 1, out);
}

void sl__plan_explain(const sl__plan *p, sl__buf *out) {
    explain(p, 0, out);
}
