/*
 * sluice.h — the only public header of sluice, a stream-processing engine
 * with Spark Structured Streaming's semantics and Spark SQL's dialect.
 *
 * A program opens a session, executes SQL statements in it, and reads the
 * results. Everything behind this header is reached through opaque handles:
 *
 *   sl_config   options for a new session (threads, Spark/sluice settings)
 *   sl_session  a catalog of tables, views and streams, plus running queries
 *   sl_result   the rows (or nothing) a statement produced
 *   sl_query    a running streaming query (START QUERY), see sl_session_query
 *
 * Conventions, followed by every function below:
 *  - Fallible functions return sl_status; SL_OK is 0. Results come back
 *    through out-parameters, which are left untouched on failure unless said.
 *  - Each function states who owns what ("Ownership:"). Strings returned as
 *    `const char *` are borrowed and stay valid as long as stated; strings
 *    returned as `char *` belong to the caller, who frees them with sl_free.
 *  - Destroy functions take the address of the handle, accept NULL, and set
 *    the handle to NULL.
 *  - A session may be used by one thread at a time. sl_session_interrupt is
 *    the exception: any thread or a signal handler may call it.
 */
#ifndef SLUICE_H
#define SLUICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Status codes                                                              */
/* ------------------------------------------------------------------------ */

typedef enum sl_status {
    SL_OK = 0,
    SL_ERR_PARSE,       /* the SQL text is not valid syntax */
    SL_ERR_ANALYSIS,    /* valid syntax, but a name, type or rule check failed */
    SL_ERR_UNSUPPORTED, /* understood, but not supported (by sluice or by Spark) */
    SL_ERR_EXEC,        /* failed while running (bad data in FAILFAST mode, ...) */
    SL_ERR_IO,          /* a file, socket or disk operation failed */
    SL_ERR_NOMEM,       /* out of memory, or a configured memory cap was reached */
    SL_ERR_CANCELLED,   /* stopped by sl_session_interrupt (Ctrl-C in the shell) */
    SL_ERR_MISUSE,      /* the API was called wrongly (NULL handle, bad index, ...) */
    SL_ERR_INTERNAL     /* a bug in sluice: please report it */
} sl_status;

/* Short upper-case name of a status ("OK", "PARSE", ...). Static storage. */
const char *sl_status_name(sl_status st);

/* "0.1.0". Static storage. */
const char *sl_version(void);

/* Frees a `char *` returned by sluice. NULL is allowed. */
void sl_free(void *p);

/* ------------------------------------------------------------------------ */
/* Types of result columns                                                   */
/* ------------------------------------------------------------------------ */

typedef enum sl_type_id {
    SL_TYPE_NULL = 0,  /* the type of a bare NULL literal */
    SL_TYPE_BOOLEAN,   /* read with sl_result_bool */
    SL_TYPE_SMALLINT,  /* 16-bit, read with sl_result_int64 */
    SL_TYPE_INT,       /* 32-bit, read with sl_result_int64 */
    SL_TYPE_BIGINT,    /* 64-bit, read with sl_result_int64 */
    SL_TYPE_DOUBLE,    /* read with sl_result_double */
    SL_TYPE_STRING,    /* UTF-8, read with sl_result_string */
    SL_TYPE_TIMESTAMP, /* microseconds since 1970-01-01 UTC, sl_result_int64 */
    SL_TYPE_DATE,      /* days since 1970-01-01, sl_result_int64 */
    SL_TYPE_INTERVAL,  /* a day-time interval in microseconds, sl_result_int64 */
    SL_TYPE_STRUCT,    /* read as text with sl_result_cell_text */
    SL_TYPE_ARRAY      /* read as text with sl_result_cell_text */
} sl_type_id;

/* ------------------------------------------------------------------------ */
/* Configuration                                                             */
/* ------------------------------------------------------------------------ */

typedef struct sl_config sl_config;

/*
 * Creates a configuration holding the defaults.
 * Ownership: the caller owns *out and destroys it with sl_config_destroy.
 */
sl_status sl_config_new(sl_config **out);

/*
 * Sets one option. Keys are case-insensitive. Known keys:
 *   "threads" (or "sluice.threads")  worker threads per query, >= 1 (default 1)
 *   "master"                         Spark's "local", "local[N]" or "local[*]"
 *   "spark.sql.shuffle.partitions"   accepted for Spark compatibility
 *   "spark.sql.session.timeZone"     zone used to print timestamps (default UTC)
 * Any other "spark.*" or "sluice.*" key is stored and visible to SET.
 * Returns SL_ERR_MISUSE for an unknown key or an invalid value.
 * Ownership: key and value are copied; the caller keeps them.
 */
sl_status sl_config_set(sl_config *cfg, const char *key, const char *value);

/* Destroys a configuration. Sessions opened from it are not affected. */
void sl_config_destroy(sl_config **cfg);

/* ------------------------------------------------------------------------ */
/* Sessions and statements                                                   */
/* ------------------------------------------------------------------------ */

typedef struct sl_session sl_session;
typedef struct sl_result sl_result;
typedef struct sl_query sl_query;

/*
 * Opens a session. cfg may be NULL for the defaults.
 * Ownership: cfg is copied and stays the caller's. The caller owns *out and
 * closes it with sl_session_close.
 */
sl_status sl_session_open(const sl_config *cfg, sl_session **out);

/*
 * Stops every running query of the session, then frees it. Results obtained
 * from the session stay valid: they own their data.
 */
void sl_session_close(sl_session **s);

/*
 * Executes the first SQL statement found in sql[0, len) and stops after it.
 * *consumed receives the number of bytes used, including the closing ';'
 * when present, so a caller can loop over a script. When only whitespace or
 * comments remain, *out is set to NULL, *consumed to len, and SL_OK returned.
 * On error, sl_session_errmsg and sl_session_error_offset describe it (the
 * offset counts from sql, not from the statement) and *consumed still skips
 * the failed statement.
 * Ownership: sql is borrowed for the call. On SL_OK the caller owns *out
 * (possibly NULL) and destroys it with sl_result_destroy.
 * Thread: blocks until the statement finishes; sl_session_interrupt cancels.
 */
sl_status sl_session_execute_next(sl_session *s, const char *sql, size_t len, size_t *consumed,
                                  sl_result **out);

/*
 * Executes every statement of a NUL-terminated script, stopping at the first
 * error. If out is not NULL it receives the last statement's result.
 * Ownership: as sl_session_execute_next.
 */
sl_status sl_session_execute(sl_session *s, const char *sql, sl_result **out);

/*
 * True when sql[0, len) holds at least one complete statement: text up to a
 * ';' that is outside quotes, backticks and comments. Shells use it to decide
 * between running the input and asking for another line.
 */
bool sl_statement_complete(const char *sql, size_t len);

/*
 * Message of the last failed call on the session, or "" after a success.
 * The message starts with its position when it has one: "line 1:8: ...".
 * Ownership: borrowed, valid until the next call on the session.
 */
const char *sl_session_errmsg(const sl_session *s);

/* Status of the last call on the session. */
sl_status sl_session_errcode(const sl_session *s);

/*
 * Byte offset, in the text given to the last execute call, of the place the
 * last error points at, or -1 when it has no position.
 */
int64_t sl_session_error_offset(const sl_session *s);

/*
 * Asks the statement running in the session (if any) to stop as soon as
 * possible; it then fails with SL_ERR_CANCELLED. Streaming queries started
 * earlier are not affected. Async-signal-safe; callable from any thread.
 */
void sl_session_interrupt(sl_session *s);

/*
 * Spark's printSchema() tree of a table, view or stream ("root\n |-- a:
 * long (nullable = true)\n..."), or NULL with the session's error set.
 * Ownership: the caller frees the string with sl_free.
 */
char *sl_session_print_schema(sl_session *s, const char *name);

/* Where the console sink and other session output go. */
typedef int (*sl_write_fn)(void *ud, const char *data, size_t len);

/*
 * Routes text that the session prints on its own (console sinks of running
 * queries, warnings) to fn, which must accept calls from query threads; the
 * session serialises the calls, one whole block (e.g. one batch) per call.
 * fn NULL restores the default, standard output.
 * Ownership: ud is borrowed until the session closes or the next call.
 */
void sl_session_set_output(sl_session *s, sl_write_fn fn, void *ud);

/* ------------------------------------------------------------------------ */
/* Streaming queries                                                         */
/* ------------------------------------------------------------------------ */

/*
 * A handle on a streaming query started with START QUERY name ... AS SELECT.
 * The handle keeps the query object alive, not the query running: a query
 * stops with STOP QUERY, sl_query_stop, or sl_session_close.
 * Ownership: the caller owns *out and releases it with sl_query_release.
 * Returns SL_ERR_ANALYSIS (message set on the session) when no query has
 * that name.
 */
sl_status sl_session_query(sl_session *s, const char *name, sl_query **out);
void sl_query_release(sl_query **q);

/* Name, id (stable across restarts from a checkpoint) and runId (new at
 * every start), as in Spark. Borrowed, valid while q lives. */
const char *sl_query_name(const sl_query *q);
const char *sl_query_id(const sl_query *q);
const char *sl_query_run_id(const sl_query *q);

/* True from start until the query stops or fails. */
bool sl_query_is_active(sl_query *q);

/* Stops the query at the next batch boundary and waits for it. */
sl_status sl_query_stop(sl_query *q);

/*
 * Waits until the query ends or timeout_ms passes (< 0: no limit).
 * *terminated tells which. Returns the query's error status when it failed
 * (its message: sl_query_exception), SL_OK otherwise.
 */
sl_status sl_query_await(sl_query *q, int64_t timeout_ms, bool *terminated);

/*
 * Spark's processAllAvailable: waits until everything its sources had when
 * called has been processed. For tests. SL_ERR_CANCELLED on timeout.
 */
sl_status sl_query_process_all_available(sl_query *q, int64_t timeout_ms);

/* The failure message of a failed query, or NULL. Borrowed, valid while q lives. */
const char *sl_query_exception(sl_query *q);

/*
 * JSON documents, as Spark's StreamingQuery gives them: the status
 * ({"message", "isDataAvailable", "isTriggerActive"}), the last progress
 * record (NULL before the first batch), and the recent ones (an array,
 * oldest first, at most 100).
 * Ownership: the caller frees each string with sl_free.
 */
char *sl_query_status_json(sl_query *q);
char *sl_query_last_progress_json(sl_query *q);
char *sl_query_recent_progress_json(sl_query *q);

/*
 * With SET sluice.clock = manual (before the first START QUERY), query time
 * stands still until this moves it: triggers, batch timestamps and rate
 * sources then follow it exactly, so tests never sleep. SL_ERR_MISUSE with
 * the system clock.
 */
sl_status sl_session_advance_clock(sl_session *s, int64_t us);

/* ------------------------------------------------------------------------ */
/* Results                                                                   */
/* ------------------------------------------------------------------------ */

/* Number of columns; 0 for statements that return no rows (CREATE, SET x=...). */
size_t sl_result_column_count(const sl_result *r);

/* Column name, or NULL for a bad index. Borrowed, valid while r lives. */
const char *sl_result_column_name(const sl_result *r, size_t col);

/* Column type, or SL_TYPE_NULL for a bad index. */
sl_type_id sl_result_column_type(const sl_result *r, size_t col);

/* Spark's name for the column type ("bigint", "struct<a:int>"). Borrowed. */
const char *sl_result_column_type_name(const sl_result *r, size_t col);

/* Number of rows. */
uint64_t sl_result_row_count(const sl_result *r);

/* Rows that were malformed in the input (CSV/JSON) and became NULL fields. */
uint64_t sl_result_bad_record_count(const sl_result *r);

/* True when the cell is NULL, or when col/row is out of range. */
bool sl_result_is_null(const sl_result *r, size_t col, uint64_t row);

/*
 * Typed getters. A getter for another type than the column's converts when
 * the conversion is plain (any integer type to int64 or double, TIMESTAMP,
 * DATE and INTERVAL as their integer encoding); otherwise, and for NULL
 * cells, it returns 0 / false / NULL.
 */
bool sl_result_bool(const sl_result *r, size_t col, uint64_t row);
int64_t sl_result_int64(const sl_result *r, size_t col, uint64_t row);
double sl_result_double(const sl_result *r, size_t col, uint64_t row);

/*
 * Bytes of a STRING cell (not NUL-terminated in general; *len gets the
 * length when len is not NULL). NULL for other types and NULL cells.
 * Ownership: borrowed, valid while r lives.
 */
const char *sl_result_string(const sl_result *r, size_t col, uint64_t row, size_t *len);

/*
 * Writes the cell as Spark's show() prints it ("NULL", "2.0", "[a, b]",
 * "{1, x}", "2024-01-01 12:00:00") into buf, NUL-terminated, truncated to
 * cap - 1 bytes. Returns the full length, as snprintf does.
 */
size_t sl_result_cell_text(const sl_result *r, size_t col, uint64_t row, char *buf, size_t cap);

/* Frees a result. */
void sl_result_destroy(sl_result **r);

/* ------------------------------------------------------------------------ */
/* Rendering results as text                                                 */
/* ------------------------------------------------------------------------ */

typedef enum sl_render_mode {
    SL_RENDER_TABLE,    /* Spark's show(): +---+ framed, numRows and truncate */
    SL_RENDER_CSV,      /* RFC 4180, header line first */
    SL_RENDER_JSON,     /* one JSON array of objects */
    SL_RENDER_JSONL,    /* one JSON object per line */
    SL_RENDER_MARKDOWN, /* a GitHub-flavoured markdown table */
    SL_RENDER_LINE      /* one "column = value" line per cell, rows apart */
} sl_render_mode;

typedef struct sl_render_options {
    sl_render_mode mode;
    int64_t max_rows; /* TABLE: rows shown, then "only showing top N rows"; < 0: all */
    int32_t truncate; /* TABLE: cut cells longer than this (Spark: 20); 0: never */
    bool header;      /* CSV: write the header line */
} sl_render_options;

/* Fills o with the defaults: TABLE, max_rows 20, truncate 20, header true. */
void sl_render_options_init(sl_render_options *o);

/*
 * Renders r through fn, in pieces. opt NULL means the defaults. Returns
 * SL_ERR_IO if fn returns non-zero (rendering stops there).
 * Ownership: r and opt are borrowed for the call.
 */
sl_status sl_result_render(const sl_result *r, const sl_render_options *opt, sl_write_fn fn,
                           void *ud);

/*
 * Renders r into a new NUL-terminated string.
 * Ownership: the caller frees the string with sl_free.
 */
char *sl_result_render_string(const sl_result *r, const sl_render_options *opt);

#ifdef __cplusplus
}
#endif
#endif /* SLUICE_H */
