/*
 * test_api.c — unit tests of the public API (include/sluice.h): configs,
 * sessions, statement execution one at a time and as scripts, errors with
 * codes, messages and offsets, typed getters, cell text, rendering in every
 * mode, statement completeness, interrupts, schema printing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sluice.h"

static sl_session *open_session(void) {
    sl_session *s = NULL;
    assert_int_equal(sl_session_open(NULL, &s), SL_OK);
    assert_non_null(s);
    return s;
}

static sl_result *run(sl_session *s, const char *sql) {
    sl_result *r = NULL;
    sl_status st = sl_session_execute(s, sql, &r);
    if (st != SL_OK) fail_msg("%s failed: %s", sql, sl_session_errmsg(s));
    return r;
}

static void test_version_and_status(void **state) {
    (void)state;
    assert_string_equal(sl_version(), SLUICE_VERSION);
    assert_string_equal(sl_status_name(SL_OK), "OK");
    assert_string_equal(sl_status_name(SL_ERR_PARSE), "PARSE");
    assert_string_equal(sl_status_name(SL_ERR_CANCELLED), "CANCELLED");
}

static void test_config(void **state) {
    (void)state;
    sl_config *c = NULL;
    assert_int_equal(sl_config_new(&c), SL_OK);
    assert_int_equal(sl_config_set(c, "threads", "4"), SL_OK);
    assert_int_equal(sl_config_set(c, "THREADS", "0"), SL_ERR_MISUSE);
    assert_int_equal(sl_config_set(c, "threads", "many"), SL_ERR_MISUSE);
    assert_int_equal(sl_config_set(c, "master", "local[2]"), SL_OK);
    assert_int_equal(sl_config_set(c, "master", "local[*]"), SL_OK);
    assert_int_equal(sl_config_set(c, "master", "yarn"), SL_ERR_MISUSE);
    assert_int_equal(sl_config_set(c, "spark.sql.shuffle.partitions", "5"), SL_OK);
    assert_int_equal(sl_config_set(c, "spark.sql.session.timeZone", "+02:00"), SL_OK);
    assert_int_equal(sl_config_set(c, "spark.sql.session.timeZone", "Mars/Olympus"), SL_ERR_MISUSE);
    assert_int_equal(sl_config_set(c, "nonsense", "1"), SL_ERR_MISUSE);
    assert_int_equal(sl_config_set(NULL, "threads", "1"), SL_ERR_MISUSE);
    sl_session *s = NULL;
    assert_int_equal(sl_session_open(c, &s), SL_OK);
    sl_config_destroy(&c);
    assert_null(c);
    sl_config_destroy(&c); /* NULL is fine */
    /* the session kept a copy of the settings */
    sl_result *r = run(s, "SET spark.sql.shuffle.partitions");
    assert_int_equal(sl_result_row_count(r), 1);
    size_t n;
    const char *v = sl_result_string(r, 1, 0, &n);
    assert_int_equal(n, 1);
    assert_memory_equal(v, "5", 1);
    sl_result_destroy(&r);
    sl_session_close(&s);
    assert_null(s);
}

static void test_execute_next_walks_a_script(void **state) {
    (void)state;
    sl_session *s = open_session();
    const char *sql = "  -- comment\n SELECT 1;\nSELECT 'a' ; /* tail */ ";
    size_t len = strlen(sql), pos = 0, used = 0;
    sl_result *r = NULL;
    assert_int_equal(sl_session_execute_next(s, sql, len, &used, &r), SL_OK);
    assert_non_null(r);
    assert_int_equal(sl_result_int64(r, 0, 0), 1);
    assert_true(used > 0 && sql[used - 1] == ';');
    sl_result_destroy(&r);
    pos += used;
    assert_int_equal(sl_session_execute_next(s, sql + pos, len - pos, &used, &r), SL_OK);
    assert_non_null(r);
    assert_string_equal(sl_result_column_type_name(r, 0), "string");
    sl_result_destroy(&r);
    pos += used;
    /* only a comment is left */
    assert_int_equal(sl_session_execute_next(s, sql + pos, len - pos, &used, &r), SL_OK);
    assert_null(r);
    assert_int_equal(pos + used, len);
    sl_session_close(&s);
}

static void test_errors_have_code_message_offset(void **state) {
    (void)state;
    sl_session *s = open_session();
    sl_result *r = NULL;
    assert_int_equal(sl_session_execute(s, "SELEC 1", &r), SL_ERR_PARSE);
    assert_null(r);
    assert_int_equal(sl_session_errcode(s), SL_ERR_PARSE);
    assert_int_equal(sl_session_error_offset(s), 0);
    assert_non_null(strstr(sl_session_errmsg(s), "line 1:1:"));
    /* the offset counts from the start of the script, across statements */
    assert_int_equal(sl_session_execute(s, "SELECT 1;\nSELECT nope", &r), SL_ERR_ANALYSIS);
    assert_int_equal(sl_session_error_offset(s), 17);
    assert_non_null(strstr(sl_session_errmsg(s), "line 2:8:"));
    assert_non_null(strstr(sl_session_errmsg(s), "nope"));
    /* success clears the error */
    r = run(s, "SELECT 1");
    assert_int_equal(sl_session_errcode(s), SL_OK);
    assert_string_equal(sl_session_errmsg(s), "");
    sl_result_destroy(&r);
    /* misuse */
    assert_int_equal(sl_session_execute(NULL, "SELECT 1", &r), SL_ERR_MISUSE);
    assert_int_equal(sl_session_execute_next(s, NULL, 0, NULL, &r), SL_ERR_MISUSE);
    sl_session_close(&s);
}

static void test_typed_getters(void **state) {
    (void)state;
    sl_session *s = open_session();
    sl_result *r = run(s, "SELECT true AS b, CAST(7 AS SMALLINT) AS si, 42 AS i, 9000000000 AS l, "
                          "2.5 AS d, 'hé' AS str, CAST(NULL AS INT) AS n, "
                          "TIMESTAMP '2024-01-01 12:00:00.5' AS ts, DATE '2024-03-01' AS dt, "
                          "INTERVAL 10 SECONDS AS iv, array(1, 2) AS arr, (1, 'x') AS st");
    assert_int_equal(sl_result_column_count(r), 12);
    assert_int_equal(sl_result_row_count(r), 1);
    assert_string_equal(sl_result_column_name(r, 0), "b");
    assert_int_equal(sl_result_column_type(r, 0), SL_TYPE_BOOLEAN);
    assert_true(sl_result_bool(r, 0, 0));
    assert_int_equal(sl_result_column_type(r, 1), SL_TYPE_SMALLINT);
    assert_int_equal(sl_result_int64(r, 1, 0), 7);
    assert_int_equal(sl_result_column_type(r, 2), SL_TYPE_INT);
    assert_int_equal(sl_result_int64(r, 2, 0), 42);
    assert_true(sl_result_double(r, 2, 0) == 42.0);
    assert_int_equal(sl_result_column_type(r, 3), SL_TYPE_BIGINT);
    assert_int_equal(sl_result_int64(r, 3, 0), 9000000000LL);
    assert_int_equal(sl_result_column_type(r, 4), SL_TYPE_DOUBLE);
    assert_true(sl_result_double(r, 4, 0) == 2.5);
    size_t n = 0;
    const char *str = sl_result_string(r, 5, 0, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(str, "h\xc3\xa9", 3);
    assert_null(sl_result_string(r, 2, 0, NULL)); /* not a string column */
    assert_true(sl_result_is_null(r, 6, 0));
    assert_int_equal(sl_result_int64(r, 6, 0), 0);
    assert_int_equal(sl_result_column_type(r, 7), SL_TYPE_TIMESTAMP);
    assert_int_equal(sl_result_int64(r, 7, 0), 1704110400500000LL);
    assert_int_equal(sl_result_column_type(r, 8), SL_TYPE_DATE);
    assert_int_equal(sl_result_int64(r, 8, 0), 19783);
    assert_int_equal(sl_result_column_type(r, 9), SL_TYPE_INTERVAL);
    assert_int_equal(sl_result_int64(r, 9, 0), 10000000);
    assert_int_equal(sl_result_column_type(r, 10), SL_TYPE_ARRAY);
    assert_int_equal(sl_result_column_type(r, 11), SL_TYPE_STRUCT);
    char buf[64];
    assert_int_equal(sl_result_cell_text(r, 7, 0, buf, sizeof buf),
                     strlen("2024-01-01 12:00:00.5"));
    assert_string_equal(buf, "2024-01-01 12:00:00.5");
    sl_result_cell_text(r, 6, 0, buf, sizeof buf);
    assert_string_equal(buf, "NULL");
    sl_result_cell_text(r, 10, 0, buf, sizeof buf);
    assert_string_equal(buf, "[1, 2]");
    sl_result_cell_text(r, 11, 0, buf, sizeof buf);
    assert_string_equal(buf, "{1, x}");
    /* truncation like snprintf */
    assert_int_equal(sl_result_cell_text(r, 5, 0, buf, 2), 3);
    assert_string_equal(buf, "h");
    /* out of range */
    assert_true(sl_result_is_null(r, 99, 0));
    assert_true(sl_result_is_null(r, 0, 99));
    assert_null(sl_result_column_name(r, 99));
    assert_int_equal(sl_result_column_type(r, 99), SL_TYPE_NULL);
    sl_result_destroy(&r);
    assert_null(r);
    sl_session_close(&s);
}

static void test_result_outlives_session(void **state) {
    (void)state;
    sl_session *s = open_session();
    sl_result *r = run(s, "SELECT 'kept' AS v");
    sl_session_close(&s);
    size_t n;
    const char *v = sl_result_string(r, 0, 0, &n);
    assert_int_equal(n, 4);
    assert_memory_equal(v, "kept", 4);
    sl_result_destroy(&r);
}

static void test_render_modes(void **state) {
    (void)state;
    sl_session *s = open_session();
    sl_result *r = run(s, "SELECT * FROM VALUES (1, 'a,b'), (2, NULL) AS t(id, name)");
    sl_render_options o;
    sl_render_options_init(&o);
    assert_int_equal(o.mode, SL_RENDER_TABLE);
    assert_int_equal(o.max_rows, 20);
    assert_int_equal(o.truncate, 20);
    char *t = sl_result_render_string(r, &o);
    assert_string_equal(t, "+---+----+\n"
                           "| id|name|\n"
                           "+---+----+\n"
                           "|  1| a,b|\n"
                           "|  2|NULL|\n"
                           "+---+----+\n");
    sl_free(t);
    o.mode = SL_RENDER_CSV;
    t = sl_result_render_string(r, &o);
    assert_string_equal(t, "id,name\r\n1,\"a,b\"\r\n2,\r\n");
    sl_free(t);
    o.mode = SL_RENDER_JSONL;
    t = sl_result_render_string(r, &o);
    assert_string_equal(t, "{\"id\":1,\"name\":\"a,b\"}\n{\"id\":2,\"name\":null}\n");
    sl_free(t);
    o.mode = SL_RENDER_JSON;
    t = sl_result_render_string(r, &o);
    assert_string_equal(t, "[{\"id\":1,\"name\":\"a,b\"},\n{\"id\":2,\"name\":null}]\n");
    sl_free(t);
    o.mode = SL_RENDER_MARKDOWN;
    t = sl_result_render_string(r, &o);
    assert_string_equal(t, "|id|name|\n|---|---|\n|1|a,b|\n|2|NULL|\n");
    sl_free(t);
    o.mode = SL_RENDER_LINE;
    t = sl_result_render_string(r, &o);
    assert_string_equal(t, "  id = 1\nname = a,b\n\n  id = 2\nname = NULL\n");
    sl_free(t);
    o.mode = (sl_render_mode)42;
    assert_null(sl_result_render_string(r, &o));
    /* default options; max_rows footer */
    sl_render_options_init(&o);
    o.max_rows = 1;
    t = sl_result_render_string(r, &o);
    assert_non_null(strstr(t, "only showing top 1 row\n"));
    sl_free(t);
    sl_result_destroy(&r);
    sl_session_close(&s);
}

static int stop_writer(void *ud, const char *data, size_t len) {
    (void)data;
    (void)len;
    ++*(int *)ud;
    return 1;
}

static void test_render_writer_can_stop(void **state) {
    (void)state;
    sl_session *s = open_session();
    sl_result *r = run(s, "SELECT 1");
    int calls = 0;
    assert_int_equal(sl_result_render(r, NULL, stop_writer, &calls), SL_ERR_IO);
    assert_int_equal(calls, 1);
    assert_int_equal(sl_result_render(r, NULL, NULL, NULL), SL_ERR_MISUSE);
    sl_result_destroy(&r);
    sl_session_close(&s);
}

static void test_statement_complete(void **state) {
    (void)state;
    const char *yes[] = {"SELECT 1;",         "SELECT ';' ;",  "SELECT 1 -- x\n;",
                         "/* ; */ SELECT 1;", "SELECT `a;b`;", "SELECT 'it''s';"};
    const char *no[] = {"SELECT 1", "SELECT ';", "SELECT 1 -- ;",
                        "/* ; ",    "SELECT `;", "SELECT 'a\\';"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        assert_true(sl_statement_complete(yes[i], strlen(yes[i])));
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        assert_false(sl_statement_complete(no[i], strlen(no[i])));
}

static void test_interrupt_cancels(void **state) {
    (void)state;
    sl_session *s = open_session();
    /* the flag is reset at the start of each statement, so an interrupt
     * before a statement does not cancel it */
    sl_session_interrupt(s);
    sl_result *r = run(s, "SELECT 1");
    sl_result_destroy(&r);
    sl_session_interrupt(NULL); /* allowed */
    sl_session_close(&s);
}

static void test_print_schema(void **state) {
    (void)state;
    sl_session *s = open_session();
    sl_result *r = run(s, "CREATE TABLE t (value STRING, n BIGINT NOT NULL, s STRUCT<a: INT, b: "
                          "ARRAY<STRING>>)");
    sl_result_destroy(&r);
    char *tree = sl_session_print_schema(s, "T");
    assert_string_equal(tree, "root\n"
                              " |-- value: string (nullable = true)\n"
                              " |-- n: long (nullable = false)\n"
                              " |-- s: struct (nullable = true)\n"
                              " |    |-- a: integer (nullable = true)\n"
                              " |    |-- b: array (nullable = true)\n"
                              " |    |    |-- element: string (containsNull = true)\n");
    sl_free(tree);
    assert_null(sl_session_print_schema(s, "missing"));
    assert_non_null(strstr(sl_session_errmsg(s), "missing"));
    sl_session_close(&s);
}

static int captured_calls;
static int capture(void *ud, const char *data, size_t len) {
    (void)ud;
    (void)data;
    (void)len;
    captured_calls++;
    return 0;
}

static void test_set_output(void **state) {
    (void)state;
    sl_session *s = open_session();
    sl_session_set_output(s, capture, NULL);
    sl_session_set_output(s, NULL, NULL); /* back to stdout */
    sl_session_set_output(NULL, capture, NULL);
    assert_int_equal(captured_calls, 0);
    sl_session_close(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_and_status),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_execute_next_walks_a_script),
        cmocka_unit_test(test_errors_have_code_message_offset),
        cmocka_unit_test(test_typed_getters),
        cmocka_unit_test(test_result_outlives_session),
        cmocka_unit_test(test_render_modes),
        cmocka_unit_test(test_render_writer_can_stop),
        cmocka_unit_test(test_statement_complete),
        cmocka_unit_test(test_interrupt_cancels),
        cmocka_unit_test(test_print_schema),
        cmocka_unit_test(test_set_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
