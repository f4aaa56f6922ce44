/*
 * binder.h — turns a parsed query into a logical plan: resolves names
 * against the catalog (case-insensitively, R128–R131), types every
 * expression, applies Spark's implicit casts, names result columns as Spark
 * does (R132), and builds aggregates with grouping sets, joins, set
 * operations, sorting and limits.
 */
#ifndef SL_BINDER_H
#define SL_BINDER_H

#include "main/catalog.h"
#include "sql/plan.h"

typedef struct sl__bind_env {
    sl__catalog *cat;
    const char *tz;              /* session time zone name */
    int64_t tz_offset_us;        /* its offset from UTC now */
    const struct sl__tz *tzinfo; /* the zone with its rules */
    bool case_sensitive;         /* spark.sql.caseSensitive */
} sl__bind_env;

/*
 * Binds query q, parsed from src. Returns the plan (owned by the caller) or
 * NULL with err set (offset relative to src).
 */
sl__plan *sl__bind_query(const sl__bind_env *env, const char *src, const sl__query *q,
                         sl__err *err);

/*
 * Binds a constant expression with no columns in scope (INSERT VALUES rows,
 * option values); folds it. NULL with err on failure.
 */
sl__expr *sl__bind_constant(const sl__bind_env *env, const char *src, const sl__ast *e,
                            sl__err *err);

/* Spark's automatic name for an expression as written ("(a + 1)", "count(1)"). */
char *sl__ast_name(const char *src, const sl__ast *e);

#endif
