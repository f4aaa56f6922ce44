/*
 * test_stream_analyze.c — the streaming query checker (src/stream/analyze.c):
 * one test per cell of the query shape × output mode table (§4.1, R38, R39),
 * per rejected operation (§5, R40) and per cell of the join matrix (§9, R90,
 * R91). Plans are bound from SQL against a catalog holding two memory
 * streams (s, s2) and two tables (t, u); each case asserts success or
 * Spark's key phrase in the message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sql/ast.h"
#include "sql/binder.h"
#include "sql/lexer.h"
#include "stream/stream.h"

static sl__catalog cat;

static const sl__type *ddl(const char *s) {
    const sl__type *t;
    sl__err err;
    sl__err_clear(&err);
    if (sl__schema_parse(s, strlen(s), &t, &err) != SL_OK) fail_msg("%s: %s", s, err.msg);
    return t;
}

static void put(sl__obj_type type, const char *name, const char *cols, const char *format) {
    sl__table *t = sl__table_new(type, name, ddl(cols));
    if (format) t->format = sl__strdup(format);
    assert_true(sl__catalog_put(&cat, t, false));
}

static int setup(void **state) {
    (void)state;
    sl__catalog_init(&cat);
    put(SL_OBJ_STREAM, "s", "k STRING, v BIGINT, ts TIMESTAMP, ts2 TIMESTAMP, words ARRAY<STRING>",
        "memory");
    put(SL_OBJ_STREAM, "s2", "k STRING, w BIGINT, ts TIMESTAMP", "memory");
    put(SL_OBJ_TABLE, "t", "k STRING, name STRING", NULL);
    put(SL_OBJ_TABLE, "u", "k STRING, v BIGINT, ts TIMESTAMP", NULL);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    sl__catalog_free(&cat);
    return 0;
}

/* Binds sql into a plan (NULL with err set when parsing or binding fails). */
static sl__plan *bind_sql(const char *sql, sl__err *err) {
    sl__arena a;
    sl__arena_init(&a, 4096);
    sl__tok *toks;
    size_t end;
    uint32_t n = sl__lex_statement(sql, strlen(sql), &a, &toks, &end);
    sl__stmt *st = sl__parse_statement(sql, toks, n, &a, err);
    sl__plan *p = NULL;
    if (st) {
        assert_int_equal(st->kind, S_QUERY);
        sl__bind_env env = {.cat = &cat, .tz = "UTC"};
        p = sl__bind_query(&env, sql, st->query, err);
    }
    sl__arena_free(&a);
    return p;
}

static sl_status analyze(const char *sql, sl__out_mode mode, sl__err *err) {
    sl__err_clear(err);
    sl__plan *p = bind_sql(sql, err);
    if (!p) fail_msg("cannot bind: %s\n  %s", sql, err->msg);
    sl_status st = sl__stream_analyze(p, mode, err);
    sl__plan_free(p);
    return st;
}

static const char *mode_name(sl__out_mode m) {
    return m == SL_MODE_APPEND ? "append" : m == SL_MODE_UPDATE ? "update" : "complete";
}

/* The query starts in this mode. */
static void accepted(const char *sql, sl__out_mode mode) {
    sl__err err;
    if (analyze(sql, mode, &err) != SL_OK)
        fail_msg("%s mode: rejected: %s\n  %s", mode_name(mode), sql, err.msg);
}

/* The query is rejected in this mode with `phrase` in the message. */
static void rejected_as(const char *sql, sl__out_mode mode, sl_status code, const char *phrase) {
    sl__err err;
    sl_status st = analyze(sql, mode, &err);
    if (st == SL_OK) fail_msg("%s mode: accepted: %s", mode_name(mode), sql);
    if (st != code) fail_msg("%s mode: status %d, want %d: %s", mode_name(mode), st, code, err.msg);
    if (!strstr(err.msg, phrase))
        fail_msg("%s mode: %s\n  message: %s\n  lacks:   %s", mode_name(mode), sql, err.msg,
                 phrase);
}

/* Spark's checker accepts it; sluice either runs it or refuses it as not
 * supported yet (stream-stream joins, EXCEPT over a stream: their state
 * across batches is not built yet). */
static void spark_accepts(const char *sql, sl__out_mode mode) {
    sl__err err;
    sl_status st = analyze(sql, mode, &err);
    if (st != SL_OK && !(st == SL_ERR_UNSUPPORTED && strstr(err.msg, "not supported yet")))
        fail_msg("%s mode: rejected: %s\n  %s", mode_name(mode), sql, err.msg);
}

static void rejected(const char *sql, sl__out_mode mode, const char *phrase) {
    rejected_as(sql, mode, SL_ERR_ANALYSIS, phrase);
}

/* Parsing or binding fails before the checker runs, with `phrase`. */
static void not_bound(const char *sql, const char *phrase) {
    sl__err err;
    sl__err_clear(&err);
    sl__plan *p = bind_sql(sql, &err);
    if (p) {
        sl__plan_free(p);
        fail_msg("bound: %s", sql);
    }
    if (!strstr(err.msg, phrase)) fail_msg("%s\n  message: %s\n  lacks: %s", sql, err.msg, phrase);
}

#define A SL_MODE_APPEND
#define U SL_MODE_UPDATE
#define C SL_MODE_COMPLETE

#define WM  " WATERMARK ts DELAY OF INTERVAL 10 SECONDS"
#define AGG "SELECT k, count(*) AS n FROM s GROUP BY k"

static const char no_agg[] =
    "Complete output mode not supported when there are no streaming aggregations";
static const char no_wm[] = "Append output mode not supported when there are streaming "
                            "aggregations on streaming DataFrames/DataSets without watermark";
static const char distinct_agg[] =
    "Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using "
    "approx_count_distinct() instead.";
static const char sorting[] = "Sorting is not supported on streaming DataFrames/Datasets, unless "
                              "it is on aggregated DataFrame/Dataset in Complete output mode";
static const char correctness[] = "possible 'correctness' issue due to global watermark";
static const char not_yet[] = "not supported yet";

/* ---- R4 ----------------------------------------------------------------------- */

static void test_r4_no_stream(void **state) {
    (void)state;
    rejected("SELECT * FROM t", A,
             "Queries without streaming sources cannot be executed with writeStream.start()");
}

/* ---- §4.1 (R38): one test per cell -------------------------------------------- */

/* row "only stateless operations" */
static const char *const stateless[] = {
    "SELECT k, v + 1 AS v1 FROM s WHERE v > 1", "SELECT k, explode(words) AS w FROM s",
    "SELECT * FROM s JOIN t USING (k)",         "SELECT k FROM s UNION ALL SELECT k FROM s2",
    "SELECT * FROM dropna(s, 'any')",           "SELECT k, ts FROM s" WM,
};

static void test_r38_stateless_append(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof stateless / sizeof *stateless; i++) accepted(stateless[i], A);
}

static void test_r38_stateless_update(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof stateless / sizeof *stateless; i++) accepted(stateless[i], U);
}

static void test_r38_stateless_complete(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof stateless / sizeof *stateless; i++)
        rejected(stateless[i], C, no_agg);
}

/* row "aggregation grouped by the watermarked event-time column" */
static const char *const wm_aggs[] = {
    "SELECT ts, count(*) AS n FROM s" WM " GROUP BY ts",
    "SELECT k, ts, sum(v) FROM s" WM " GROUP BY k, ts",
    /* the mark follows the column through projections and aliases */
    "SELECT t0, count(*) FROM (SELECT ts AS t0, k FROM s" WM ") GROUP BY t0",
    "SELECT ts, count(*) FROM (SELECT * FROM s" WM " WHERE v > 0) GROUP BY ts",
    /* a watermark on a join's stream side */
    "SELECT s.ts, count(*) FROM s" WM " JOIN t ON s.k = t.k GROUP BY s.ts",
    /* grouping sets that keep the key in every set */
    "SELECT ts, k, count(*) FROM s" WM " GROUP BY GROUPING SETS ((ts, k), (ts))",
};

static void test_r38_wm_agg_append(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof wm_aggs / sizeof *wm_aggs; i++) accepted(wm_aggs[i], A);
}

static void test_r38_wm_agg_update(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof wm_aggs / sizeof *wm_aggs; i++) accepted(wm_aggs[i], U);
}

static void test_r38_wm_agg_complete(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof wm_aggs / sizeof *wm_aggs; i++) accepted(wm_aggs[i], C);
}

/* row "aggregation without a watermarked key" */
static void test_r38_agg_no_wm_append(void **state) {
    (void)state;
    rejected(AGG, A, no_wm);
    /* R120: a global aggregation has no key at all */
    rejected("SELECT count(*) FROM s", A, no_wm);
    rejected("SELECT count(*) FROM s" WM, A, no_wm);
    /* the message says how to fix it */
    rejected(AGG, A, "add WATERMARK");
}

static void test_r39_wm_on_other_column(void **state) {
    (void)state;
    rejected("SELECT ts2, count(*) FROM s" WM " GROUP BY ts2", A, no_wm);
    rejected("SELECT k, count(*) FROM s" WM " GROUP BY k", A, "the watermark is on 'ts'");
    /* an expression over the column is not the column */
    rejected("SELECT year(ts), count(*) FROM s" WM " GROUP BY year(ts)", A, no_wm);
    /* CUBE and ROLLUP null the key in some sets: those groups never close */
    rejected("SELECT ts, k, count(*) FROM s" WM " GROUP BY CUBE(ts, k)", A, no_wm);
    rejected("SELECT ts, k, count(*) FROM s" WM " GROUP BY ROLLUP(ts, k)", A, no_wm);
    /* a second WATERMARK moves the mark to its column */
    rejected("SELECT ts, count(*) FROM (SELECT * FROM s" WM
             ") x WATERMARK ts2 DELAY OF INTERVAL 1 SECOND GROUP BY ts",
             A, "the watermark is on 'ts2'");
}

static void test_r108_wm_after_agg(void **state) {
    (void)state;
    rejected("SELECT * FROM (SELECT ts, count(*) AS n FROM s GROUP BY ts) x" WM, A,
             "a WATERMARK after the aggregation does not count");
}

static void test_r38_agg_no_wm_update(void **state) {
    (void)state;
    accepted(AGG, U);
    accepted("SELECT count(*) FROM s", U);
}

static void test_r38_agg_no_wm_complete(void **state) {
    (void)state;
    accepted(AGG, C);
    accepted("SELECT count(*) FROM s", C);
    /* HAVING and projections above the aggregation */
    accepted("SELECT k, n * 2 FROM (" AGG ") WHERE n > 1", C);
    accepted("SELECT k, count(*) FROM s GROUP BY k HAVING count(*) > 2", C);
}

/* row "count(DISTINCT ...)" */
static void test_r38_distinct_agg_append(void **state) {
    (void)state;
    rejected("SELECT ts, count(DISTINCT k) FROM s" WM " GROUP BY ts", A, distinct_agg);
}

static void test_r38_distinct_agg_update(void **state) {
    (void)state;
    rejected("SELECT k, count(DISTINCT v) FROM s GROUP BY k", U, distinct_agg);
    rejected("SELECT sum(DISTINCT v) FROM s", U, distinct_agg);
    rejected("SELECT k, count(DISTINCT v) FROM s GROUP BY k", U, "approx_count_distinct(x)");
    accepted("SELECT k, approx_count_distinct(v) FROM s GROUP BY k", U);
}

static void test_r38_distinct_agg_complete(void **state) {
    (void)state;
    rejected("SELECT k, avg(DISTINCT v) FROM s GROUP BY k", C, distinct_agg);
    /* over a static table inside a streaming query, DISTINCT is fine */
    accepted("SELECT s.k, count(*) FROM s JOIN (SELECT k, count(DISTINCT name) AS d FROM t GROUP "
             "BY k) x ON s.k = x.k GROUP BY s.k",
             C);
}

/* row "SELECT DISTINCT" (an aggregation) */
static void test_r38_select_distinct_append(void **state) {
    (void)state;
    rejected("SELECT DISTINCT k FROM s", A, no_wm);
    accepted("SELECT DISTINCT k, ts FROM s" WM, A);
    /* UNION without ALL is a DISTINCT too */
    rejected("SELECT k FROM s UNION SELECT k FROM s2", A, no_wm);
}

static void test_r38_select_distinct_update(void **state) {
    (void)state;
    accepted("SELECT DISTINCT k FROM s", U);
}

static void test_r38_select_distinct_complete(void **state) {
    (void)state;
    accepted("SELECT DISTINCT k FROM s", C);
    accepted("SELECT k FROM s UNION SELECT k FROM s2", C);
}

/* row "dropDuplicates" (deduplication, not an aggregation) */
static void test_r38_dedup_append(void **state) {
    (void)state;
    accepted("SELECT * FROM dropduplicates(s, k)", A);
    accepted("SELECT * FROM dropduplicates(s)", A);
}

static void test_r38_dedup_update(void **state) {
    (void)state;
    accepted("SELECT * FROM dropduplicates(s, k)", U);
}

static void test_r38_dedup_complete(void **state) {
    (void)state;
    rejected("SELECT * FROM dropduplicates(s, k)", C, no_agg);
}

/* row "stream–stream join" */
#define SSJ "SELECT * FROM s JOIN s2 ON s.k = s2.k"

static void test_r38_stream_join_append(void **state) {
    (void)state;
    spark_accepts(SSJ, A);
}

static void test_r38_stream_join_update(void **state) {
    (void)state;
    rejected(SSJ, U,
             "Join between two streaming DataFrames/Datasets is not supported in Update output "
             "mode, only in Append output mode");
}

static void test_r38_stream_join_complete(void **state) {
    (void)state;
    /* without an aggregation Spark names the missing aggregation first */
    rejected(SSJ, C, no_agg);
    rejected("SELECT s.k, count(*) FROM s JOIN s2 ON s.k = s2.k GROUP BY s.k", C,
             "Join between two streaming DataFrames/Datasets is not supported in Complete "
             "output mode, only in Append output mode");
}

/* row "aggregation feeding another stateful operator" */
#define AGG_AGG    "SELECT n, count(*) FROM (" AGG ") GROUP BY n"
#define AGG_DEDUP  "SELECT * FROM dropduplicates((" AGG "), n)"
#define AGG_JOIN   "SELECT * FROM (" AGG ") a JOIN s2 ON a.k = s2.k"
#define WAGG       "SELECT ts, count(*) AS n FROM s" WM " GROUP BY ts"
#define WAGG_AGG   "SELECT ts, sum(n) FROM (" WAGG ") GROUP BY ts"
#define WAGG_DEDUP "SELECT * FROM dropduplicates((" WAGG "), ts)"
#define WAGG_JOIN  "SELECT * FROM (" WAGG ") a JOIN s2 ON a.ts = s2.ts"

static void test_r38_chained_append(void **state) {
    (void)state;
    /* Spark 3.4+ runs these with watermarks; sluice does not yet */
    rejected_as(WAGG_AGG, A, SL_ERR_UNSUPPORTED, not_yet);
    rejected_as(WAGG_DEDUP, A, SL_ERR_UNSUPPORTED, not_yet);
    rejected_as(WAGG_JOIN, A, SL_ERR_UNSUPPORTED, not_yet);
    /* without watermarks the append rule speaks first */
    rejected(AGG_AGG, A, no_wm);
}

static void test_r38_chained_update(void **state) {
    (void)state;
    rejected(AGG_AGG, U, correctness);
    rejected(AGG_DEDUP, U, correctness);
    /* Spark checks the join rule before the chain rule */
    rejected(AGG_JOIN, U,
             "Join between two streaming DataFrames/Datasets is not supported in "
             "Update output mode");
    /* an aggregation joined with a table is no chain: the join keeps no state */
    accepted("SELECT * FROM (" AGG ") a JOIN t ON a.k = t.k", U);
}

static void test_r38_chained_complete(void **state) {
    (void)state;
    rejected(AGG_AGG, C, correctness);
    rejected(AGG_DEDUP, C, correctness);
    rejected("SELECT a.k, count(*) FROM (" AGG ") a JOIN s2 ON a.k = s2.k GROUP BY a.k", C,
             "Join between two streaming DataFrames/Datasets is not supported in Complete");
    /* a join of two streams, then an aggregation: allowed in append (with a watermark) */
    spark_accepts("SELECT s.ts, count(*) FROM s" WM " JOIN s2 ON s.k = s2.k GROUP BY s.ts", A);
}

/* row "limit" */
static void test_r38_limit_append(void **state) {
    (void)state;
    accepted("SELECT * FROM s LIMIT 5", A);
}

static void test_r38_limit_update(void **state) {
    (void)state;
    rejected("SELECT * FROM s LIMIT 5", U,
             "Limits are not supported on streaming DataFrames/Datasets in Update output mode");
    rejected(AGG " LIMIT 5", U, "Limits are not supported");
    /* a limit inside a static subquery is not on a stream */
    accepted("SELECT * FROM s JOIN (SELECT * FROM t LIMIT 3) x ON s.k = x.k", U);
}

static void test_r38_limit_complete(void **state) {
    (void)state;
    accepted(AGG " LIMIT 5", C);
}

/* row "orderBy / sort" */
static void test_r38_sort_append(void **state) {
    (void)state;
    rejected("SELECT * FROM s ORDER BY v", A, sorting);
    rejected("SELECT ts, count(*) FROM s" WM " GROUP BY ts ORDER BY ts", A, sorting);
}

static void test_r38_sort_update(void **state) {
    (void)state;
    rejected("SELECT * FROM s ORDER BY v", U, sorting);
    rejected(AGG " ORDER BY n DESC", U, sorting);
    /* sorting a static subquery is fine */
    accepted("SELECT * FROM s JOIN (SELECT * FROM t ORDER BY k) x ON s.k = x.k", U);
}

static void test_r38_sort_complete(void **state) {
    (void)state;
    accepted(AGG " ORDER BY n DESC", C);
    accepted(AGG " ORDER BY n DESC LIMIT 3", C);
    /* without an aggregation complete mode is refused first */
    rejected("SELECT * FROM s ORDER BY v", C, no_agg);
}

/* ---- §5 (R40): rejected operations ------------------------------------------------ */

static void test_r40_union_stream_static(void **state) {
    (void)state;
    const char *msg = "Union between streaming and batch DataFrames/Datasets is not supported";
    rejected("SELECT k FROM s UNION ALL SELECT k FROM t", A, msg);
    rejected("SELECT k FROM t UNION ALL SELECT k FROM s", U, msg);
    rejected("SELECT k FROM s UNION ALL SELECT k FROM s2 UNION ALL SELECT k FROM t", A, msg);
    rejected("SELECT k FROM s UNION SELECT k FROM t", U, msg);
    accepted("SELECT k FROM s UNION ALL SELECT k FROM s2", A);
}

static void test_r40_intersect(void **state) {
    (void)state;
    const char *msg = "Intersect of streaming DataFrames/Datasets is not supported";
    rejected("SELECT k FROM s INTERSECT SELECT k FROM t", A, msg);
    rejected("SELECT k FROM t INTERSECT SELECT k FROM s", A, msg);
    rejected("SELECT k FROM s INTERSECT SELECT k FROM s2", U, msg);
    rejected("SELECT k FROM s INTERSECT ALL SELECT k FROM t", A, msg);
}

static void test_r40_except_stream_right(void **state) {
    (void)state;
    const char *msg = "Except on a streaming DataFrame/Dataset on the right is not supported";
    rejected("SELECT k FROM t EXCEPT SELECT k FROM s", A, msg);
    rejected("SELECT k FROM s EXCEPT SELECT k FROM s2", A, msg);
    /* stream EXCEPT table passes Spark's checker [code] */
    spark_accepts("SELECT k FROM s EXCEPT SELECT k FROM t", A);
}

static void test_r40_offset(void **state) {
    (void)state;
    const char *msg = "Offset is not supported on streaming DataFrames/Datasets";
    rejected("SELECT * FROM s LIMIT 5 OFFSET 2", A, msg);
    rejected(AGG " LIMIT 5 OFFSET 1", C, msg);
    accepted("SELECT * FROM s JOIN (SELECT * FROM t LIMIT 3 OFFSET 1) x ON s.k = x.k", A);
}

static void test_r40_sort(void **state) {
    (void)state;
    rejected("SELECT k FROM s ORDER BY k LIMIT 3", A, sorting);
}

static void test_r40_distinct_aggregation(void **state) {
    (void)state;
    rejected("SELECT count(DISTINCT k) FROM s", C, distinct_agg);
}

/* Operations sluice's SQL cannot express: the parser or binder refuses
 * them before the checker runs (window functions, sample,
 * monotonically_increasing_id). */
static void test_r40_not_in_the_dialect(void **state) {
    (void)state;
    not_bound("SELECT k, row_number() OVER (ORDER BY v) FROM s", "OVER");
    not_bound("SELECT k, monotonically_increasing_id() FROM s", "monotonically_increasing_id");
    not_bound("SELECT * FROM s TABLESAMPLE (10 PERCENT)", "");
}

/* §5: cube() and rollup() are accepted ([ENGINE]: update and complete). */
static void test_r40_cube_rollup_accepted(void **state) {
    (void)state;
    accepted("SELECT k, v, count(*) FROM s GROUP BY CUBE(k, v)", U);
    accepted("SELECT k, v, count(*) FROM s GROUP BY ROLLUP(k, v)", C);
    accepted("SELECT k, v, avg(v) FROM s GROUP BY GROUPING SETS ((k), (v))", C);
}

/* ---- §9 (R90, R91): the join matrix ---------------------------------------------- */

static void test_r90_stream_static(void **state) {
    (void)state;
    accepted("SELECT * FROM s JOIN t ON s.k = t.k", A);
    accepted("SELECT * FROM s LEFT JOIN t ON s.k = t.k", A);
    accepted("SELECT * FROM s LEFT SEMI JOIN t ON s.k = t.k", A);
    accepted("SELECT * FROM s LEFT ANTI JOIN t ON s.k = t.k", A);
    accepted("SELECT * FROM s CROSS JOIN t", A);
    accepted("SELECT * FROM s LEFT JOIN t ON s.k = t.k", U);
}

static void test_r90_stream_static_right_outer(void **state) {
    (void)state;
    rejected("SELECT * FROM s RIGHT JOIN t ON s.k = t.k", A,
             "RightOuter join with a streaming DataFrame/Dataset on the left and a static "
             "DataFrame/DataSet on the right not supported");
}

static void test_r90_stream_static_full_outer(void **state) {
    (void)state;
    rejected("SELECT * FROM s FULL JOIN t ON s.k = t.k", A,
             "FullOuter joins with streaming DataFrames/Datasets on the left and a static "
             "DataFrame/Dataset on the right is not supported");
}

static void test_r90_static_stream(void **state) {
    (void)state;
    accepted("SELECT * FROM t JOIN s ON s.k = t.k", A);
    accepted("SELECT * FROM t RIGHT JOIN s ON s.k = t.k", A);
    accepted("SELECT * FROM t RIGHT JOIN s USING (k)", U);
}

static void test_r90_static_stream_left_outer(void **state) {
    (void)state;
    rejected("SELECT * FROM t LEFT JOIN s ON s.k = t.k", A,
             "LeftOuter join with a streaming DataFrame/Dataset on the right and a static "
             "DataFrame/Dataset on the left is not supported");
}

static void test_r90_static_stream_full_outer(void **state) {
    (void)state;
    rejected("SELECT * FROM t FULL OUTER JOIN s ON s.k = t.k", A,
             "FullOuter joins with streaming DataFrames/Datasets on the right and a static "
             "DataFrame/Dataset on the left is not supported");
}

static void test_r90_static_stream_left_semi(void **state) {
    (void)state;
    rejected("SELECT * FROM t LEFT SEMI JOIN s ON s.k = t.k", A,
             "LeftSemi join with a streaming DataFrame/Dataset on the right and a static "
             "DataFrame/Dataset on the left is not supported");
}

static void test_r90_static_stream_left_anti(void **state) {
    (void)state;
    rejected("SELECT * FROM t LEFT ANTI JOIN s ON s.k = t.k", A,
             "LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported");
}

static void test_r90_stream_stream_left_anti(void **state) {
    (void)state;
    rejected("SELECT * FROM s LEFT ANTI JOIN s2 ON s.k = s2.k", A,
             "LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported");
}

static void test_r90_stream_stream_inner(void **state) {
    (void)state;
    spark_accepts("SELECT * FROM s JOIN s2 ON s.k = s2.k", A);
    spark_accepts("SELECT * FROM s a" WM " JOIN s2 b" WM " ON a.k = b.k AND b.ts BETWEEN a.ts - "
                  "INTERVAL 1 MINUTE AND a.ts + INTERVAL 1 MINUTE",
                  A);
    /* chains of joins (R95) */
    spark_accepts("SELECT * FROM s JOIN s2 ON s.k = s2.k JOIN t ON t.k = s.k", A);
}

/* The join passes Spark's R91 check; sluice does not run stream-stream
 * outer or semi joins yet (analyze.c: STREAM_OUTER_JOINS_RUN). */
static void bounded(const char *sql) {
    rejected_as(sql, A, SL_ERR_UNSUPPORTED, "joins are not supported yet");
}

/* R91: outer and semi joins of two streams need the watermark and a range */
#define R91                                                                                        \
    "join between two streaming DataFrame/Datasets is not supported without a watermark "          \
    "in the join keys, or a watermark on the nullable side and an appropriate range "              \
    "condition"
#define RANGE " AND b.ts BETWEEN a.ts - INTERVAL 1 MINUTE AND a.ts + INTERVAL 1 MINUTE"

static void test_r91_left_outer(void **state) {
    (void)state;
    rejected("SELECT * FROM s a LEFT JOIN s2 b ON a.k = b.k", A, "Stream-stream LeftOuter " R91);
    /* a watermark on the right, but no range */
    rejected("SELECT * FROM s a" WM " LEFT JOIN s2 b" WM " ON a.k = b.k", A, R91);
    /* a range, but the watermark only on the left */
    rejected("SELECT * FROM s a" WM " LEFT JOIN s2 b ON a.k = b.k" RANGE, A, R91);
    /* a bound in the wrong direction: the left side's time is bounded only from above */
    rejected("SELECT * FROM s a LEFT JOIN s2 b" WM " ON a.k = b.k AND a.ts < b.ts + INTERVAL 1 "
             "MINUTE",
             A, R91);
    bounded("SELECT * FROM s a LEFT JOIN s2 b" WM " ON a.k = b.k" RANGE);
    bounded("SELECT * FROM s a" WM " LEFT JOIN s2 b" WM " ON a.k = b.k" RANGE);
    bounded("SELECT * FROM s a LEFT JOIN s2 b" WM " ON a.k = b.k AND a.ts > b.ts - INTERVAL 5 "
            "SECONDS");
    /* the watermarked column among the equi-join keys */
    bounded("SELECT * FROM s a LEFT JOIN s2 b" WM " ON a.k = b.k AND a.ts = b.ts");
    bounded("SELECT * FROM s a" WM " LEFT JOIN s2 b ON a.ts = b.ts");
}

static void test_r91_right_outer(void **state) {
    (void)state;
    rejected("SELECT * FROM s a RIGHT JOIN s2 b ON a.k = b.k", A, "Stream-stream RightOuter " R91);
    rejected("SELECT * FROM s a RIGHT JOIN s2 b" WM " ON a.k = b.k" RANGE, A, R91);
    bounded("SELECT * FROM s a" WM " RIGHT JOIN s2 b ON a.k = b.k" RANGE);
}

static void test_r91_full_outer(void **state) {
    (void)state;
    rejected("SELECT * FROM s a FULL JOIN s2 b ON a.k = b.k", A, "Stream-stream FullOuter " R91);
    bounded("SELECT * FROM s a" WM " FULL JOIN s2 b ON a.k = b.k" RANGE);
    bounded("SELECT * FROM s a FULL JOIN s2 b" WM " ON a.k = b.k" RANGE);
}

static void test_r91_left_semi(void **state) {
    (void)state;
    rejected("SELECT * FROM s a LEFT SEMI JOIN s2 b ON a.k = b.k", A,
             "Stream-stream LeftSemi " R91);
    bounded("SELECT * FROM s a LEFT SEMI JOIN s2 b" WM " ON a.k = b.k" RANGE);
}

/* outer joins of two streams are append-only too (R92) */
static void test_r92_stream_join_modes(void **state) {
    (void)state;
    rejected("SELECT * FROM s a LEFT JOIN s2 b" WM " ON a.k = b.k" RANGE, U,
             "not supported in Update output mode, only in Append output mode");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r4_no_stream),
        cmocka_unit_test(test_r38_stateless_append),
        cmocka_unit_test(test_r38_stateless_update),
        cmocka_unit_test(test_r38_stateless_complete),
        cmocka_unit_test(test_r38_wm_agg_append),
        cmocka_unit_test(test_r38_wm_agg_update),
        cmocka_unit_test(test_r38_wm_agg_complete),
        cmocka_unit_test(test_r38_agg_no_wm_append),
        cmocka_unit_test(test_r39_wm_on_other_column),
        cmocka_unit_test(test_r108_wm_after_agg),
        cmocka_unit_test(test_r38_agg_no_wm_update),
        cmocka_unit_test(test_r38_agg_no_wm_complete),
        cmocka_unit_test(test_r38_distinct_agg_append),
        cmocka_unit_test(test_r38_distinct_agg_update),
        cmocka_unit_test(test_r38_distinct_agg_complete),
        cmocka_unit_test(test_r38_select_distinct_append),
        cmocka_unit_test(test_r38_select_distinct_update),
        cmocka_unit_test(test_r38_select_distinct_complete),
        cmocka_unit_test(test_r38_dedup_append),
        cmocka_unit_test(test_r38_dedup_update),
        cmocka_unit_test(test_r38_dedup_complete),
        cmocka_unit_test(test_r38_stream_join_append),
        cmocka_unit_test(test_r38_stream_join_update),
        cmocka_unit_test(test_r38_stream_join_complete),
        cmocka_unit_test(test_r38_chained_append),
        cmocka_unit_test(test_r38_chained_update),
        cmocka_unit_test(test_r38_chained_complete),
        cmocka_unit_test(test_r38_limit_append),
        cmocka_unit_test(test_r38_limit_update),
        cmocka_unit_test(test_r38_limit_complete),
        cmocka_unit_test(test_r38_sort_append),
        cmocka_unit_test(test_r38_sort_update),
        cmocka_unit_test(test_r38_sort_complete),
        cmocka_unit_test(test_r40_union_stream_static),
        cmocka_unit_test(test_r40_intersect),
        cmocka_unit_test(test_r40_except_stream_right),
        cmocka_unit_test(test_r40_offset),
        cmocka_unit_test(test_r40_sort),
        cmocka_unit_test(test_r40_distinct_aggregation),
        cmocka_unit_test(test_r40_not_in_the_dialect),
        cmocka_unit_test(test_r40_cube_rollup_accepted),
        cmocka_unit_test(test_r90_stream_static),
        cmocka_unit_test(test_r90_stream_static_right_outer),
        cmocka_unit_test(test_r90_stream_static_full_outer),
        cmocka_unit_test(test_r90_static_stream),
        cmocka_unit_test(test_r90_static_stream_left_outer),
        cmocka_unit_test(test_r90_static_stream_full_outer),
        cmocka_unit_test(test_r90_static_stream_left_semi),
        cmocka_unit_test(test_r90_static_stream_left_anti),
        cmocka_unit_test(test_r90_stream_stream_left_anti),
        cmocka_unit_test(test_r90_stream_stream_inner),
        cmocka_unit_test(test_r91_left_outer),
        cmocka_unit_test(test_r91_right_outer),
        cmocka_unit_test(test_r91_full_outer),
        cmocka_unit_test(test_r91_left_semi),
        cmocka_unit_test(test_r92_stream_join_modes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
