/*
 * test_query_api.c — unit tests of the public streaming-query API
 * (include/sluice.h, "Streaming queries"): sl_session_query on known and
 * unknown names, name/id/runId, is_active through stop, await with and
 * without a timeout, process-all-available, the failure message of a failed
 * query (R15, R17), status and progress JSON (R18-R20: at most 100 records,
 * oldest first), and the manual clock. Each test opens its own session with
 * a memory stream, so nothing outside the process is touched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sluice.h"

static sl_session *open_session(void) {
    sl_session *s = NULL;
    assert_int_equal(sl_session_open(NULL, &s), SL_OK);
    sl_result *r = NULL;
    assert_int_equal(sl_session_execute(s, "SET sluice.clock = manual", &r), SL_OK);
    sl_result_destroy(&r);
    return s;
}

static void run(sl_session *s, const char *sql) {
    sl_result *r = NULL;
    sl_status st = sl_session_execute(s, sql, &r);
    if (st != SL_OK) fail_msg("%s failed: %s", sql, sl_session_errmsg(s));
    sl_result_destroy(&r);
}

/* The value of a one-cell query, as text (caller frees). */
static char *scalar(sl_session *s, const char *sql) {
    sl_result *r = NULL;
    if (sl_session_execute(s, sql, &r) != SL_OK) fail_msg("%s: %s", sql, sl_session_errmsg(s));
    assert_int_equal(sl_result_row_count(r), 1);
    char buf[256];
    sl_result_cell_text(r, 0, 0, buf, sizeof buf);
    sl_result_destroy(&r);
    return strdup(buf);
}

static sl_query *query(sl_session *s, const char *name) {
    sl_query *q = NULL;
    assert_int_equal(sl_session_query(s, name, &q), SL_OK);
    assert_non_null(q);
    return q;
}

static void test_lookup_and_identity(void **state) {
    (void)state;
    sl_session *s = open_session();
    sl_query *q = NULL;
    assert_int_equal(sl_session_query(s, "nope", &q), SL_ERR_ANALYSIS);
    assert_null(q);
    assert_non_null(strstr(sl_session_errmsg(s), "nope"));
    run(s, "CREATE STREAM s (k STRING) USING memory");
    run(s, "START QUERY q1 USING memory AS SELECT k FROM s");
    q = query(s, "q1");
    assert_string_equal(sl_query_name(q), "q1");
    /* UUIDs: 36 characters, version 4 */
    assert_int_equal(strlen(sl_query_id(q)), 36);
    assert_int_equal(strlen(sl_query_run_id(q)), 36);
    assert_int_equal(sl_query_id(q)[14], '4');
    assert_string_not_equal(sl_query_id(q), sl_query_run_id(q));
    /* a second handle on the same query sees the same ids */
    sl_query *q2 = query(s, "Q1"); /* names are case-insensitive */
    assert_string_equal(sl_query_id(q), sl_query_id(q2));
    sl_query_release(&q2);
    assert_null(q2);
    assert_true(sl_query_is_active(q));
    assert_null(sl_query_exception(q)); /* R17 */
    assert_int_equal(sl_query_stop(q), SL_OK);
    assert_false(sl_query_is_active(q));
    assert_int_equal(sl_query_stop(q), SL_OK); /* R14: stopping twice is fine */
    sl_query_release(&q);
    sl_session_close(&s);
}

static void test_process_and_progress(void **state) {
    (void)state;
    sl_session *s = open_session();
    run(s, "CREATE STREAM s (k STRING) USING memory");
    run(s, "START QUERY agg USING memory OPTIONS (outputMode 'complete') AS SELECT k, count(*) "
           "AS n FROM s GROUP BY k");
    sl_query *q = query(s, "agg");
    assert_int_equal(sl_query_process_all_available(q, 10000), SL_OK);
    /* R25: an empty batch 0 */
    char *last = sl_query_last_progress_json(q);
    assert_non_null(last);
    assert_non_null(strstr(last, "\"batchId\" : 0"));
    sl_free(last);
    run(s, "INSERT INTO s VALUES ('a'), ('b'), ('a')");
    assert_int_equal(sl_query_process_all_available(q, 10000), SL_OK);
    char *n = scalar(s, "SELECT n FROM agg WHERE k = 'a'");
    assert_string_equal(n, "2");
    free(n);
    last = sl_query_last_progress_json(q);
    assert_non_null(strstr(last, "\"batchId\" : 1"));
    assert_non_null(strstr(last, "\"numInputRows\" : 3"));
    sl_free(last);
    /* R18: the status has exactly its three fields */
    char *status = sl_query_status_json(q);
    assert_non_null(strstr(status, "\"message\""));
    assert_non_null(strstr(status, "\"isDataAvailable\""));
    assert_non_null(strstr(status, "\"isTriggerActive\""));
    sl_free(status);
    /* R20: the recent records are an array, oldest first */
    char *recent = sl_query_recent_progress_json(q);
    assert_int_equal(recent[0], '[');
    char *b0 = strstr(recent, "\"batchId\" : 0"), *b1 = strstr(recent, "\"batchId\" : 1");
    assert_non_null(b0);
    assert_non_null(b1);
    assert_true(b0 < b1);
    sl_free(recent);
    sl_query_release(&q);
    sl_session_close(&s);
}

static void test_recent_progress_keeps_100(void **state) {
    (void)state;
    sl_session *s = open_session();
    run(s, "CREATE STREAM s (k BIGINT) USING memory");
    run(s, "START QUERY q USING memory AS SELECT k FROM s");
    sl_query *q = query(s, "q");
    assert_int_equal(sl_query_process_all_available(q, 10000), SL_OK);
    for (int i = 0; i < 104; i++) { /* batches 1 ... 104 after batch 0 */
        char sql[64];
        snprintf(sql, sizeof sql, "INSERT INTO s VALUES (%d)", i);
        run(s, sql);
        assert_int_equal(sl_query_process_all_available(q, 10000), SL_OK);
    }
    /* R20: 105 batches, the newest 100 kept, oldest first: 5 ... 104 */
    char *recent = sl_query_recent_progress_json(q);
    int n = 0;
    for (const char *p = recent; (p = strstr(p, "\"batchId\" : ")); p++) n++;
    assert_int_equal(n, 100);
    const char *first = strstr(recent, "\"batchId\" : ");
    assert_int_equal(atoi(first + strlen("\"batchId\" : ")), 5);
    assert_null(strstr(recent, "\"batchId\" : 4,"));
    assert_non_null(strstr(recent, "\"batchId\" : 104,"));
    sl_free(recent);
    char *rows = scalar(s, "SELECT count(*) FROM q");
    assert_string_equal(rows, "104");
    free(rows);
    sl_query_release(&q);
    sl_session_close(&s);
}

static void test_await(void **state) {
    (void)state;
    sl_session *s = open_session();
    run(s, "CREATE STREAM s (k STRING) USING memory");
    run(s, "INSERT INTO s VALUES ('a')");
    run(s, "START QUERY live USING memory AS SELECT k FROM s");
    run(s, "START QUERY once USING memory OPTIONS (trigger 'once') AS SELECT k FROM s");
    sl_query *live = query(s, "live"), *once = query(s, "once");
    bool done = true;
    /* a running query: the timeout passes */
    assert_int_equal(sl_query_await(live, 20, &done), SL_OK);
    assert_false(done);
    /* R30: a once query ends by itself */
    assert_int_equal(sl_query_await(once, 10000, &done), SL_OK);
    assert_true(done);
    assert_false(sl_query_is_active(once));
    assert_null(sl_query_exception(once));
    char *n = scalar(s, "SELECT count(*) FROM once");
    assert_string_equal(n, "1");
    free(n);
    sl_query_release(&live);
    sl_query_release(&once);
    /* closing the session stops what still runs */
    sl_session_close(&s);
}

static void test_failed_query_keeps_its_error(void **state) {
    (void)state;
    sl_session *s = open_session();
    run(s, "CREATE STREAM s (x INT) USING memory");
    /* a runtime error in a batch: the query fails, and says why (R15, R17) */
    run(s, "START QUERY bad USING memory AS SELECT assert_true(x < 2) AS ok FROM s");
    sl_query *q = query(s, "bad");
    run(s, "INSERT INTO s VALUES (1), (5)");
    bool done = false;
    sl_status st = sl_query_await(q, 10000, &done);
    assert_true(done);
    assert_int_not_equal(st, SL_OK);
    assert_false(sl_query_is_active(q));
    const char *ex = sl_query_exception(q);
    assert_non_null(ex);
    /* AWAIT QUERY in SQL raises it too */
    sl_result *r = NULL;
    assert_int_not_equal(sl_session_execute(s, "AWAIT QUERY bad", &r), SL_OK);
    assert_non_null(strstr(sl_session_errmsg(s), "terminated with error"));
    sl_query_release(&q);
    sl_session_close(&s);
}

static void test_manual_clock(void **state) {
    (void)state;
    sl_session *s = NULL;
    assert_int_equal(sl_session_open(NULL, &s), SL_OK);
    /* the system clock cannot be moved */
    assert_int_equal(sl_session_advance_clock(s, 1000000), SL_ERR_MISUSE);
    sl_session_close(&s);
    s = open_session();
    assert_int_equal(sl_session_advance_clock(s, 3000000), SL_OK);
    run(s, "CREATE STREAM s (k STRING) USING memory");
    run(s, "START QUERY t USING memory OPTIONS (trigger '2 seconds') AS SELECT k, "
           "current_timestamp() AS ts FROM s");
    sl_query *q = query(s, "t");
    assert_int_equal(sl_query_process_all_available(q, 10000), SL_OK);
    run(s, "INSERT INTO s VALUES ('a')");
    assert_int_equal(sl_session_advance_clock(s, 1000000), SL_OK); /* 4 s: a trigger */
    assert_int_equal(sl_query_process_all_available(q, 10000), SL_OK);
    char *ts = scalar(s, "SELECT CAST(ts AS STRING) FROM t");
    assert_string_equal(ts, "1970-01-01 00:00:04");
    free(ts);
    sl_query_release(&q);
    sl_session_close(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup_and_identity),
        cmocka_unit_test(test_process_and_progress),
        cmocka_unit_test(test_recent_progress_keeps_100),
        cmocka_unit_test(test_await),
        cmocka_unit_test(test_failed_query_keeps_its_error),
        cmocka_unit_test(test_manual_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
