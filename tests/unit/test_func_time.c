/*
 * test_func_time.c — the date/time functions of src/func/scalar_time.c,
 * bound through the registry and evaluated as expression trees: the batch
 * clock (R33), calendar fields in the session zone (region zones with DST,
 * and the fixed-offset fallback), epoch conversions, text with datetime
 * patterns both ways, calendar arithmetic, truncation and zone shifts. Every
 * function meets NULLs, leap years and instants before 1970; results are
 * checked with their Spark types.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <math.h>

#include "func/func.h"
#include "types/text.h"
#include "types/tz.h"

#define S 1000000LL

/* ---- building and evaluating calls ---------------------------------------- */

static sl__expr *STR(const char *s) {
    return sl__expr_const_str(s, strlen(s));
}
static sl__expr *INT(int64_t v) {
    return sl__expr_const_i64(SL_T_I32, v);
}
static sl__expr *BIG(int64_t v) {
    return sl__expr_const_i64(SL_T_I64, v);
}
static sl__expr *DBL(double v) {
    return sl__expr_const_f64(v);
}
static sl__expr *NUL(const sl__type *t) {
    return sl__expr_const_null(t);
}
static sl__expr *USEC(int64_t us) {
    return sl__expr_const_i64(SL_T_TS, us);
}
/* a TIMESTAMP literal written in UTC */
static sl__expr *TS(const char *utc) {
    int64_t v = 0;
    if (!sl__parse_timestamp(utc, strlen(utc), 0, &v)) fail_msg("bad test timestamp %s", utc);
    return USEC(v);
}
static sl__expr *DT(const char *d) {
    int32_t v = 0;
    if (!sl__parse_date(d, strlen(d), &v)) fail_msg("bad test date %s", d);
    return sl__expr_const_i64(SL_T_DATE, v);
}
static sl__expr *IVL(int64_t us) {
    return sl__expr_const_i64(SL_T_INTERVAL, us);
}

#define BATCH_TS (1720083903123456LL) /* 2024-07-04 09:05:03.123456 UTC */

static char text[1100];
static const char *last_type;

/* Text of v[row]: timestamps in UTC, so expectations do not depend on the zone. */
static const char *render(const sl__vec *v, uint32_t row) {
    uint32_t k = sl__vec_idx(v, row);
    if (!sl__vec_valid(v, k)) return "NULL";
    switch (v->type->id) {
    case SL_TYPE_TIMESTAMP: sl__fmt_timestamp(SL_VEC_DATA(v, int64_t)[k], 0, text); break;
    case SL_TYPE_DATE: sl__fmt_date(SL_VEC_DATA(v, int32_t)[k], text); break;
    case SL_TYPE_INT: snprintf(text, sizeof text, "%d", SL_VEC_DATA(v, int32_t)[k]); break;
    case SL_TYPE_BIGINT:
        snprintf(text, sizeof text, "%lld", (long long)SL_VEC_DATA(v, int64_t)[k]);
        break;
    case SL_TYPE_DOUBLE: sl__fmt_double(SL_VEC_DATA(v, double)[k], text); break;
    case SL_TYPE_STRING: {
        sl__str s = SL_VEC_DATA(v, sl__str)[k];
        snprintf(text, sizeof text, "%.*s", (int)s.len, s.ptr);
        break;
    }
    default: snprintf(text, sizeof text, "<%s>", v->type->name);
    }
    return text;
}

static void set_zone(sl__ectx *ctx, const char *zone) {
    sl__err err;
    sl__err_clear(&err);
    ctx->tz = sl__tz_get(zone, &err);
    if (!ctx->tz) fail_msg("zone %s: %s", zone, err.msg);
    ctx->time_zone = zone;
    ctx->tz_offset_us = sl__tz_offset_utc(ctx->tz, BATCH_TS);
    ctx->batch_ts_us = BATCH_TS;
}

static sl__expr *bind_va(const char *fn, const char *zone, va_list ap, sl__err *err) {
    sl__expr *args[8];
    uint32_t n = 0;
    for (sl__expr *a; (a = va_arg(ap, sl__expr *)) != NULL;) args[n++] = a;
    const sl__fn_def *def = sl__fn_find(fn);
    if (!def) fail_msg("no function %s", fn);
    sl__err_clear(err);
    return sl__fn_bind_call(def, fn, args, n, 0, zone, err);
}

/* fn(args..., NULL) evaluated on one row in the zone; "ERR: message" when
 * the call does not bind. last_type gets the result type. */
static const char *run(const char *zone, const char *fn, ...) {
    va_list ap;
    va_start(ap, fn);
    sl__err err;
    sl__expr *e = bind_va(fn, zone, ap, &err);
    va_end(ap);
    if (!e) {
        snprintf(text, sizeof text, "ERR: %s", err.msg);
        last_type = NULL;
        return text;
    }
    last_type = e->type->name;
    sl__ectx ctx = {0};
    sl__err rerr;
    sl__err_clear(&rerr);
    ctx.err = &rerr;
    set_zone(&ctx, zone);
    sl__batch b = {0, NULL, 1, NULL, 1};
    sl__vec *v = sl__expr_eval(e, &ctx, &b);
    assert_false(ctx.failed);
    const char *r = render(v, 0);
    sl__expr_free(e);
    return r;
}

#define EQ(want, ...) assert_string_equal(run(__VA_ARGS__, NULL), want)
#define EQT(want, type, ...)                                                                       \
    do {                                                                                           \
        assert_string_equal(run(__VA_ARGS__, NULL), want);                                         \
        assert_string_equal(last_type, type);                                                      \
    } while (0)
#define ERR(sub, ...)                                                                              \
    do {                                                                                           \
        const char *r_ = run(__VA_ARGS__, NULL);                                                   \
        if (strncmp(r_, "ERR: ", 5) != 0 || !strstr(r_, sub))                                      \
            fail_msg("expected an error containing '%s', got '%s'", sub, r_);                      \
    } while (0)

/* ---- the batch clock ------------------------------------------------------ */

static void test_clock(void **state) {
    (void)state;
    EQT("2024-07-04 09:05:03.123456", "timestamp", "UTC", "current_timestamp");
    EQT("2024-07-04 09:05:03.123456", "timestamp", "Asia/Tokyo", "now");
    EQT("2024-07-04", "date", "UTC", "current_date");
    EQ("2024-07-04", "America/Los_Angeles", "current_date"); /* 02:05 local */
    EQ("2024-07-04", "Pacific/Auckland", "curdate");         /* 21:05 local */
    EQT("1720083903", "bigint", "UTC", "unix_timestamp");
    EQT("Europe/Paris", "string", "Europe/Paris", "current_timezone");

    /* one value for every row of a batch, and never folded (R33) */
    sl__err err;
    sl__err_clear(&err);
    sl__expr *e = sl__fn_bind_call(sl__fn_find("current_timestamp"), "current_timestamp", NULL, 0,
                                   0, "UTC", &err);
    assert_non_null(e);
    assert_true(e->volatile_);
    assert_false(sl__expr_is_const(e));
    sl__ectx ctx = {0};
    ctx.err = &err;
    ctx.batch_ts_us = -1500000; /* before 1970 */
    uint32_t sel[] = {1, 5, 9};
    sl__batch b = {0, NULL, 10, sel, 3};
    sl__vec *v = sl__expr_eval(e, &ctx, &b);
    for (int i = 0; i < 3; i++) assert_int_equal(SL_VEC_DATA(v, int64_t)[sel[i]], -1500000);
    ctx.batch_ts_us = 42;
    v = sl__expr_eval(e, &ctx, &b);
    assert_int_equal(SL_VEC_DATA(v, int64_t)[5], 42);
    sl__expr_free(e);

    sl__expr *u =
        sl__fn_bind_call(sl__fn_find("unix_timestamp"), "unix_timestamp", NULL, 0, 0, "UTC", &err);
    ctx.batch_ts_us = -1500000;
    v = sl__expr_eval(u, &ctx, &b);
    assert_int_equal(SL_VEC_DATA(v, int64_t)[1], -2); /* rounded down */
    sl__expr_free(u);
}

/* ---- calendar fields ---------------------------------------------------------- */

static void test_date_fields(void **state) {
    (void)state;
    /* 2024-02-29: a leap day, a Thursday, ISO week 9 */
    EQT("2024", "int", "UTC", "year", DT("2024-02-29"));
    EQT("1", "int", "UTC", "quarter", DT("2024-02-29"));
    EQT("2", "int", "UTC", "month", DT("2024-02-29"));
    EQT("29", "int", "UTC", "day", DT("2024-02-29"));
    EQ("29", "UTC", "dayofmonth", DT("2024-02-29"));
    EQT("5", "int", "UTC", "dayofweek", DT("2024-02-29"));
    EQT("3", "int", "UTC", "weekday", DT("2024-02-29"));
    EQT("60", "int", "UTC", "dayofyear", DT("2024-02-29"));
    EQT("9", "int", "UTC", "weekofyear", DT("2024-02-29"));
    /* before 1970: 1969-12-31 was a Wednesday in ISO week 1 of 1970 */
    EQ("1969", "UTC", "year", DT("1969-12-31"));
    EQ("4", "UTC", "quarter", DT("1969-12-31"));
    EQ("4", "UTC", "dayofweek", DT("1969-12-31"));
    EQ("2", "UTC", "weekday", DT("1969-12-31"));
    EQ("365", "UTC", "dayofyear", DT("1969-12-31"));
    EQ("1", "UTC", "weekofyear", DT("1969-12-31"));
    EQ("53", "UTC", "weekofyear", DT("2021-01-03")); /* a Sunday in week 53 of 2020 */
    EQ("1", "UTC", "dayofweek", DT("2021-01-03"));
    EQ("6", "UTC", "weekday", DT("2021-01-03"));
    /* leap years */
    EQ("366", "UTC", "dayofyear", DT("2000-12-31"));
    EQ("365", "UTC", "dayofyear", DT("1900-12-31"));
    EQ("60", "UTC", "dayofyear", DT("1900-03-01"));
    EQ("1600", "UTC", "year", DT("1600-02-29"));
    /* strings are cast to dates; NULL and bad text give NULL */
    EQ("2024", "UTC", "year", STR("2024-01-01"));
    EQ("2024", "UTC", "year", STR("2024-01-01 23:30:00"));
    EQ("NULL", "UTC", "year", STR("01/02/2024"));
    EQ("NULL", "UTC", "month", NUL(SL_T_NULL));
    EQ("NULL", "UTC", "day", NUL(SL_T_DATE));
    /* timestamps are read in the session zone */
    EQ("2024", "Europe/Paris", "year", TS("2023-12-31 23:30:00"));
    EQ("1", "Europe/Paris", "dayofyear", TS("2023-12-31 23:30:00"));
    EQ("2023", "America/New_York", "year", TS("2023-12-31 23:30:00"));
    EQ("31", "America/New_York", "day", TS("2024-01-01 01:00:00"));
    /* other types are errors */
    ERR("year: argument 1 must be a date, got int", "UTC", "year", INT(2024));
}

static void test_time_fields(void **state) {
    (void)state;
    EQT("9", "int", "UTC", "hour", TS("2024-07-04 09:05:03.5"));
    EQT("5", "int", "UTC", "minute", TS("2024-07-04 09:05:03.5"));
    EQT("3", "int", "UTC", "second", TS("2024-07-04 09:05:03.5"));
    /* the session zone, its DST and half-hour offsets */
    EQ("11", "Europe/Paris", "hour", TS("2024-07-04 09:05:03"));
    EQ("10", "Europe/Paris", "hour", TS("2024-01-04 09:05:03"));
    EQ("3", "Europe/Paris", "hour", TS("2024-03-31 01:30:00")); /* 03:30 CEST */
    EQ("14", "Asia/Kolkata", "hour", TS("2024-07-04 09:05:03"));
    EQ("35", "Asia/Kolkata", "minute", TS("2024-07-04 09:05:03"));
    EQ("5", "Asia/Kolkata", "minute", STR("2024-07-04 09:05"));
    /* before 1970: one microsecond before the epoch */
    EQ("23", "UTC", "hour", USEC(-1));
    EQ("59", "UTC", "minute", USEC(-1));
    EQ("59", "UTC", "second", USEC(-1));
    EQ("9", "Europe/Paris", "minute", TS("1900-01-01 00:00:00")); /* Paris mean time +00:09:21 */
    EQ("21", "Europe/Paris", "second", TS("1900-01-01 00:00:00"));
    /* strings are timestamps in the session zone; dates are local midnight */
    EQ("10", "Europe/Paris", "hour", STR("2024-07-04 10:00:00"));
    EQ("8", "Europe/Paris", "hour", STR("2024-07-04T10:00:00+04:00"));
    EQ("NULL", "UTC", "hour", STR("10:00"));
    EQ("0", "America/New_York", "hour", DT("2024-07-04"));
    EQ("NULL", "UTC", "second", NUL(SL_T_TS));
    ERR("must be a timestamp", "UTC", "hour", DBL(1.5));
}

static void test_extract(void **state) {
    (void)state;
    sl__expr *(*T)(const char *) = TS;
    EQT("2024", "int", "UTC", "extract", STR("YEAR"), T("2024-07-04 09:05:03.5"));
    EQ("2024", "UTC", "extract", STR("y"), T("2024-07-04 09:05:03.5"));
    EQ("3", "UTC", "extract", STR("quarter"), T("2024-07-04 09:05:03.5"));
    EQ("7", "UTC", "extract", STR("MON"), T("2024-07-04 09:05:03.5"));
    EQ("27", "UTC", "extract", STR("WEEK"), T("2024-07-04 09:05:03.5"));
    EQ("4", "UTC", "extract", STR("DAY"), T("2024-07-04 09:05:03.5"));
    EQ("5", "UTC", "extract", STR("DOW"), T("2024-07-04 09:05:03.5"));
    EQ("4", "UTC", "extract", STR("DOW_ISO"), T("2024-07-04 09:05:03.5"));
    EQ("186", "UTC", "extract", STR("DOY"), T("2024-07-04 09:05:03.5"));
    EQ("2020", "UTC", "extract", STR("YEAROFWEEK"), DT("2021-01-03"));
    EQ("9", "UTC", "extract", STR("HOUR"), T("2024-07-04 09:05:03.5"));
    EQ("11", "Europe/Paris", "extract", STR("h"), T("2024-07-04 09:05:03.5"));
    EQ("5", "UTC", "extract", STR("MINUTE"), T("2024-07-04 09:05:03.5"));
    /* SECOND keeps the fraction (Spark: DECIMAL(8,6); here DOUBLE) */
    EQT("3.5", "double", "UTC", "extract", STR("SECOND"), T("2024-07-04 09:05:03.5"));
    EQ("59.999999", "UTC", "extract", STR("SECOND"), USEC(-1));
    EQ("0.0", "UTC", "extract", STR("SECOND"), DT("2024-07-04"));
    EQ("2024", "UTC", "date_part", STR("YEAR"), DT("2024-07-04"));
    EQ("2024", "UTC", "extract", STR("YEAR"), STR("2024-07-04 10:00:00"));
    EQ("NULL", "UTC", "extract", STR("YEAR"), NUL(SL_T_TS));
    /* day-time intervals */
    int64_t iv = ((26 * 3600 + 3 * 60) * S + 4500000); /* 1 day 02:03:04.5 */
    EQT("1", "int", "UTC", "extract", STR("DAY"), IVL(iv));
    EQ("2", "UTC", "extract", STR("HOUR"), IVL(iv));
    EQ("3", "UTC", "extract", STR("MINUTE"), IVL(iv));
    EQ("4.5", "UTC", "extract", STR("SECOND"), IVL(iv));
    EQ("-1", "UTC", "extract", STR("DAY"), IVL(-iv));
    EQ("-2", "UTC", "extract", STR("HOUR"), IVL(-iv));
    /* errors */
    ERR("unknown field 'FORTNIGHT'", "UTC", "extract", STR("FORTNIGHT"), T("2024-07-04 09:05:03"));
    ERR("does not apply to a day-time interval", "UTC", "extract", STR("YEAR"), IVL(iv));
    ERR("must be a constant name", "UTC", "extract", NUL(SL_T_STR), T("2024-07-04 09:05:03"));
}

/* ---- epoch numbers ------------------------------------------------------------ */

static void test_epoch(void **state) {
    (void)state;
    EQT("2023-11-14 22:13:20", "timestamp", "UTC", "timestamp_seconds", BIG(1700000000));
    EQ("2023-11-14 22:13:20", "Europe/Paris", "timestamp_seconds", INT(1700000000));
    EQ("1970-01-01 00:00:01.5", "UTC", "timestamp_seconds", DBL(1.5));
    EQ("1969-12-31 23:59:58.5", "UTC", "timestamp_seconds", DBL(-1.5));
    EQ("1970-01-01 00:00:01.5", "UTC", "timestamp_seconds", STR("1.5"));
    EQ("NULL", "UTC", "timestamp_seconds", DBL(NAN));
    EQ("NULL", "UTC", "timestamp_seconds", DBL(1e19));
    EQ("NULL", "UTC", "timestamp_seconds", BIG(INT64_MAX / 1000));
    EQ("NULL", "UTC", "timestamp_seconds", NUL(SL_T_I64));
    EQT("1969-12-31 23:59:59.999", "timestamp", "UTC", "timestamp_millis", BIG(-1));
    EQ("2024-07-04 09:05:03.123", "UTC", "timestamp_millis", BIG(1720083903123));
    EQ("NULL", "UTC", "timestamp_millis", BIG(INT64_MIN));
    EQ("1969-12-31 23:59:59.999999", "UTC", "timestamp_micros", BIG(-1));
    EQ("1970-01-01 00:00:00.000001", "UTC", "timestamp_micros", INT(1));
    EQT("-1", "bigint", "UTC", "unix_seconds", USEC(-1));
    EQT("-1", "bigint", "UTC", "unix_millis", USEC(-1));
    EQT("-1", "bigint", "UTC", "unix_micros", USEC(-1));
    EQ("1720083903", "Asia/Tokyo", "unix_seconds", USEC(BATCH_TS));
    EQ("1720083903123", "UTC", "unix_millis", USEC(BATCH_TS));
    EQ("NULL", "UTC", "unix_micros", NUL(SL_T_TS));
    EQT("1", "int", "UTC", "unix_date", DT("1970-01-02"));
    EQ("-1", "UTC", "unix_date", DT("1969-12-31"));
    EQT("1969-12-31", "date", "UTC", "date_from_unix_date", INT(-1));
    EQ("2024-02-29", "UTC", "date_from_unix_date", INT(19782));
}

static void test_unix_timestamp(void **state) {
    (void)state;
    EQT("1704067200", "bigint", "UTC", "unix_timestamp", STR("2024-01-01 00:00:00"));
    EQ("1704063600", "Europe/Paris", "unix_timestamp", STR("2024-01-01 00:00:00"));
    EQ("1720044000", "Europe/Paris", "unix_timestamp", STR("2024-07-04 00:00:00"));
    EQ("NULL", "UTC", "unix_timestamp", STR("2024-01-01")); /* the default needs the time */
    EQ("1704067200", "UTC", "unix_timestamp", STR("2024-01-01"), STR("yyyy-MM-dd"));
    EQ("1704067200", "UTC", "unix_timestamp", INT(20240101), STR("yyyyMMdd"));
    EQ("-1", "UTC", "unix_timestamp", USEC(-1));
    EQ("-86400", "UTC", "unix_timestamp", STR("1969-12-31 00:00:00"));
    EQ("1704063600", "Europe/Paris", "unix_timestamp", DT("2024-01-01"));
    EQ("NULL", "UTC", "unix_timestamp", NUL(SL_T_STR));
    EQ("NULL", "UTC", "unix_timestamp", STR("2024-01-01"), NUL(SL_T_STR));
    EQT("1704067200", "bigint", "UTC", "to_unix_timestamp", STR("2024-01-01 00:00:00"));

    EQT("1970-01-01 00:00:00", "string", "UTC", "from_unixtime", BIG(0));
    EQ("1969-12-31 19:00:00", "America/New_York", "from_unixtime", BIG(0));
    EQ("1970-01-01 01:00:00", "Europe/Paris", "from_unixtime", INT(0));
    EQ("2024/01/01", "UTC", "from_unixtime", BIG(1704067200), STR("yyyy/MM/dd"));
    EQ("2024-01-01 00:00:00", "UTC", "from_unixtime", STR("1704067200"));
    EQ("1969-12-31 23:59:59", "UTC", "from_unixtime", BIG(-1));
    EQ("+10000-01-01 00:00:00", "UTC", "from_unixtime", BIG(253402300800));
    EQ("0000-01-01 00:00:00", "UTC", "from_unixtime", BIG(-62167219200));
    EQ("-0001-12-31 23:59:59", "UTC", "from_unixtime", BIG(-62167219201));
    EQ("NULL", "UTC", "from_unixtime", NUL(SL_T_I64));
    EQ("NULL", "UTC", "from_unixtime", BIG(0), NUL(SL_T_STR));
}

/* ---- text with patterns ----------------------------------------------------- */

static void test_to_timestamp(void **state) {
    (void)state;
    /* without a format: CAST semantics (R154) in the session zone */
    EQT("2024-01-01 11:00:00", "timestamp", "Europe/Paris", "to_timestamp",
        STR("2024-01-01 12:00:00"));
    EQ("2024-01-01 12:00:00", "Europe/Paris", "to_timestamp", STR("2024-01-01T12:00:00Z"));
    EQ("2024-03-31 01:30:00", "Europe/Paris", "to_timestamp", STR("2024-03-31 02:30:00"));
    EQ("2024-10-27 00:30:00", "Europe/Paris", "to_timestamp", STR("2024-10-27 02:30:00"));
    EQ("2024-07-01 16:00:00", "UTC", "to_timestamp", STR("2024-07-01 12:00 America/New_York"));
    EQ("NULL", "UTC", "to_timestamp", STR("garbage"));
    EQ("1970-01-01 00:00:01.5", "UTC", "to_timestamp", DBL(1.5));
    EQ("2023-11-14 22:13:20", "UTC", "to_timestamp", BIG(1700000000));
    EQ("2024-06-30 22:00:00", "Europe/Paris", "to_timestamp", DT("2024-07-01"));
    EQ("NULL", "UTC", "to_timestamp", NUL(SL_T_NULL));
    /* with a format */
    EQ("2023-12-31 23:59:00", "UTC", "to_timestamp", STR("31/12/2023 23:59"),
       STR("dd/MM/yyyy HH:mm"));
    EQ("2023-12-31 22:59:00", "Europe/Paris", "to_timestamp", STR("31/12/2023 23:59"),
       STR("dd/MM/yyyy HH:mm"));
    EQ("2024-01-01 12:00:00.123", "UTC", "to_timestamp", STR("2024-01-01 12:00:00.123"),
       STR("yyyy-MM-dd HH:mm:ss.SSS"));
    EQ("2024-01-01 12:00:00.1", "UTC", "to_timestamp", STR("2024-01-01 12:00:00.1"),
       STR("yyyy-MM-dd HH:mm:ss.SSS"));
    EQ("NULL", "UTC", "to_timestamp", STR("2024-01-01 12:00:00.1234"),
       STR("yyyy-MM-dd HH:mm:ss.SSS"));
    EQ("2024-01-01 12:00:00.123456", "UTC", "to_timestamp", STR("2024-01-01 12:00:00.123456"),
       STR("yyyy-MM-dd HH:mm:ss.SSSSSS"));
    EQ("NULL", "UTC", "to_timestamp", STR("2024-01-01 12"), STR("yyyy-MM-dd HH:mm"));
    EQ("NULL", "UTC", "to_timestamp", STR("2024-01-01 12:00 "), STR("yyyy-MM-dd HH:mm"));
    EQ("2024-01-31 12:30:45", "UTC", "to_timestamp", STR("20240131123045"), STR("yyyyMMddHHmmss"));
    EQ("2024-01-31 12:30:45.123", "UTC", "to_timestamp", STR("20240131123045123"),
       STR("yyyyMMddHHmmssSSS"));
    EQ("2024-01-05 15:04:00", "UTC", "to_timestamp", STR("Jan 5, 2024 3:04 PM"),
       STR("MMM d, yyyy h:mm a"));
    EQ("2024-01-05 15:04:00", "UTC", "to_timestamp", STR("JANUARY 5, 2024 3:04 pm"),
       STR("MMMM d, yyyy h:mm a"));
    EQ("2023-12-31 23:59:59", "UTC", "to_timestamp", STR("12/31/2023 11:59:59 PM"),
       STR("MM/dd/yyyy hh:mm:ss a"));
    EQ("2023-12-31 00:30:00", "UTC", "to_timestamp", STR("12/31/2023 12:30 AM"),
       STR("MM/dd/yyyy hh:mm a"));
    EQ("2023-12-31 11:00:00", "UTC", "to_timestamp", STR("12/31/2023 11"), STR("MM/dd/yyyy hh"));
    EQ("NULL", "UTC", "to_timestamp", STR("2024-02-30"), STR("yyyy-MM-dd"));
    EQ("NULL", "UTC", "to_timestamp", STR("2023-02-29"), STR("yyyy-MM-dd"));
    EQ("2024-02-29 00:00:00", "UTC", "to_timestamp", STR("2024-02-29"), STR("yyyy-MM-dd"));
    EQ("NULL", "UTC", "to_timestamp", STR("12024-01-01"), STR("yyyy-MM-dd"));
    EQ("2024-07-01 00:00:00", "UTC", "to_timestamp", STR("24-07-01"), STR("yy-MM-dd"));
    EQ("1970-07-01 00:00:00", "UTC", "to_timestamp", STR("07-01"), STR("MM-dd"));
    EQ("2024-02-29 00:00:00", "UTC", "to_timestamp", STR("2024 60"), STR("yyyy D"));
    EQ("NULL", "UTC", "to_timestamp", STR("2023 366"), STR("yyyy DDD"));
    /* zones in the text */
    EQ("2024-07-01 06:30:00", "Europe/Paris", "to_timestamp", STR("2024-07-01 12:00 +0530"),
       STR("yyyy-MM-dd HH:mm Z"));
    EQ("2024-07-01 10:00:00", "UTC", "to_timestamp", STR("2024-07-01T12:00:00+02:00"),
       STR("yyyy-MM-dd'T'HH:mm:ssXXX"));
    EQ("2024-07-01 12:00:00", "Europe/Paris", "to_timestamp", STR("2024-07-01T12:00:00Z"),
       STR("yyyy-MM-dd'T'HH:mm:ssXXX"));
    EQ("2024-07-01 16:00:00", "UTC", "to_timestamp", STR("2024-07-01 12:00 America/New_York"),
       STR("yyyy-MM-dd HH:mm VV"));
    EQ("2024-07-01 19:00:00", "UTC", "to_timestamp", STR("2024-07-01 12:00 PDT"),
       STR("yyyy-MM-dd HH:mm z"));
    EQ("2024-07-01 04:00:00", "UTC", "to_timestamp", STR("2024-07-01 12:00 GMT+8"),
       STR("yyyy-MM-dd HH:mm O"));
    /* optional sections, quotes, case-insensitive literals */
    EQ("2024-07-01 00:00:00", "UTC", "to_timestamp", STR("2024-07-01"), STR("yyyy-MM-dd[ HH:mm]"));
    EQ("2024-07-01 10:30:00", "UTC", "to_timestamp", STR("2024-07-01 10:30"),
       STR("yyyy-MM-dd[ HH:mm]"));
    EQ("2024-07-01 10:00:00", "UTC", "to_timestamp", STR("2024-07-01 AT 10"),
       STR("yyyy-MM-dd 'at' HH"));
    EQ("2024-07-01 10:00:00", "UTC", "to_timestamp", STR("2024-07-01'10"), STR("yyyy-MM-dd''HH"));
    /* before 1970, and Paris mean time */
    EQ("1899-12-31 23:50:39", "Europe/Paris", "to_timestamp", STR("1900-01-01"), STR("yyyy-MM-dd"));
    EQ("1969-12-31 23:59:59.999", "UTC", "to_timestamp", STR("1969-12-31 23:59:59.999"),
       STR("yyyy-MM-dd HH:mm:ss.SSS"));
    EQ("NULL", "UTC", "to_timestamp", NUL(SL_T_STR), STR("yyyy"));
    /* invalid patterns are errors when constant */
    ERR("Illegal pattern character: E", "UTC", "to_timestamp", STR("x"), STR("yyyy-MM-dd E"));
    ERR("Pattern letter 'u'", "UTC", "to_timestamp", STR("x"), STR("uuuu"));
    ERR("Unknown pattern letter: b", "UTC", "to_timestamp", STR("x"), STR("yyyy b"));
}

static void test_to_date(void **state) {
    (void)state;
    EQT("2024-02-29", "date", "UTC", "to_date", STR("2024-02-29"));
    EQ("NULL", "UTC", "to_date", STR("2024-02-30"));
    EQ("NULL", "UTC", "to_date", STR("1900-02-29"));
    EQ("2024-01-01", "UTC", "to_date", STR("2024-01-01 23:00:00"));
    EQ("2024-01-01", "Europe/Paris", "to_date", TS("2023-12-31 23:30:00"));
    EQ("2023-12-31", "UTC", "to_date", TS("2023-12-31 23:30:00"));
    EQ("1969-12-31", "UTC", "to_date", USEC(-1));
    EQ("2024-02-01", "UTC", "to_date", STR("01/02/2024"), STR("dd/MM/yyyy"));
    EQ("2024-01-02", "Europe/Paris", "to_date", STR("2024-01-01 23:30 +00:00"),
       STR("yyyy-MM-dd HH:mm XXX"));
    EQ("NULL", "UTC", "to_date", STR("2024-01-01"), STR("dd/MM/yyyy"));
    EQ("NULL", "UTC", "to_date", NUL(SL_T_STR));
    ERR("must be a date", "UTC", "to_date", INT(5));
}

static void test_date_format(void **state) {
    (void)state;
    const char *t = "2024-07-04 09:05:03.123456"; /* a Thursday */
    static const char *const cases[][2] = {
        {"yyyy-MM-dd HH:mm:ss", "2024-07-04 09:05:03"},
        {"yy", "24"},
        {"y", "2024"},
        {"yyy", "2024"},
        {"M", "7"},
        {"MM", "07"},
        {"MMM", "Jul"},
        {"MMMM", "July"},
        {"LLLL", "July"},
        {"d", "4"},
        {"D", "186"},
        {"DDD", "186"},
        {"E", "Thu"},
        {"EEEE", "Thursday"},
        {"a", "AM"},
        {"h", "9"},
        {"hh", "09"},
        {"H", "9"},
        {"k", "9"},
        {"K", "9"},
        {"m", "5"},
        {"s", "3"},
        {"S", "1"},
        {"SSS", "123"},
        {"SSSSSS", "123456"},
        {"SSSSSSSSS", "123456000"},
        {"Q", "3"},
        {"QQ", "03"},
        {"QQQ", "Q3"},
        {"QQQQ", "3rd quarter"},
        {"G", "AD"},
        {"GGGG", "Anno Domini"},
        {"VV", "UTC"},
        {"z", "UTC"},
        {"Z", "+0000"},
        {"ZZZZ", "GMT"},
        {"ZZZZZ", "Z"},
        {"X", "Z"},
        {"XXX", "Z"},
        {"x", "+00"},
        {"xxx", "+00:00"},
        {"O", "GMT"},
        {"'quoted' yyyy", "quoted 2024"},
        {"''", "'"},
        {"yyyy''MM", "2024'07"},
        {"'it''s' H", "it's 9"},
        {"[yyyy]", "2024"},
        {"dd.MM.yyyy, HH:mm", "04.07.2024, 09:05"},
        {"e", "5"},
        {"F", "4"},
        {"w", "27"},
        {"W", "1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        EQT(cases[i][1], "string", "UTC", "date_format", TS(t), STR(cases[i][0]));
    /* zones */
    EQ("2024-07-04 11:05 CEST +0200 +02:00 Europe/Paris GMT+2", "Europe/Paris", "date_format",
       TS(t), STR("yyyy-MM-dd HH:mm z Z XXX VV O"));
    EQ("GMT+02:00", "Europe/Paris", "date_format", TS(t), STR("OOOO"));
    EQ("CET +01:00", "Europe/Paris", "date_format", TS("2024-01-04 09:05:03"), STR("z XXX"));
    EQ("+0530 +0530 +0530 +0530 +05:30 GMT+5:30", "Asia/Kolkata", "date_format", TS(t),
       STR("X XX x Z XXX O"));
    EQ("-04:00 EDT", "America/New_York", "date_format", TS(t), STR("XXX z"));
    EQ("+00:09:21 +00:09 +0009 GMT+0:09:21", "Europe/Paris", "date_format",
       TS("1900-01-01 00:00:00"), STR("XXXXX XXX Z O"));
    /* noon and midnight on the 12- and 24-hour clocks */
    EQ("12 PM 12 0", "UTC", "date_format", TS("2024-07-04 12:30:00"), STR("h a H K"));
    EQ("12 AM 24 0", "UTC", "date_format", TS("2024-07-04 00:30:00"), STR("h a k H"));
    /* week-based fields (US weeks, as Spark's Locale.US): 2024-12-29 is in week 1 of 2025 */
    EQ("2025 1 5 1", "UTC", "date_format", TS("2024-12-29 00:00:00"), STR("YYYY w W e"));
    /* before 1970 and outside 0001..9999 */
    EQ("1969-12-31 23:59:59.999999", "UTC", "date_format", USEC(-1),
       STR("yyyy-MM-dd HH:mm:ss.SSSSSS"));
    EQ("+10000-01-01", "UTC", "date_format", TS("+10000-01-01 00:00:00"), STR("yyyy-MM-dd"));
    EQ("-0044-03-15", "UTC", "date_format", TS("-0044-03-15 00:00:00"), STR("yyyy-MM-dd"));
    EQ("0045 BC", "UTC", "date_format", TS("-0044-03-15 00:00:00"), STR("yyyy G"));
    /* other argument types */
    EQ("2024-07-04", "Asia/Tokyo", "date_format", DT("2024-07-04"), STR("yyyy-MM-dd"));
    EQ("10:00", "Asia/Tokyo", "date_format", STR("2024-07-04 10:00:00"), STR("HH:mm"));
    EQ("NULL", "UTC", "date_format", NUL(SL_T_TS), STR("yyyy"));
    EQ("NULL", "UTC", "date_format", TS(t), NUL(SL_T_STR));
    /* invalid patterns */
    ERR("Pattern includes reserved character: '#'", "UTC", "date_format", TS(t),
        STR("yyyy-MM-dd#"));
    ERR("Too many pattern letters: M", "UTC", "date_format", TS(t), STR("MMMMM"));
    ERR("Too many pattern letters: a", "UTC", "date_format", TS(t), STR("aa"));
    ERR("incomplete string literal", "UTC", "date_format", TS(t), STR("yyyy 'open"));
    ERR("Illegal pattern character: A", "UTC", "date_format", TS(t), STR("A"));
    ERR("Pattern letter count must be 2: V", "UTC", "date_format", TS(t), STR("V"));
    ERR("] without previous [", "UTC", "date_format", TS(t), STR("yyyy]"));
}

/* ---- calendar arithmetic ------------------------------------------------------- */

static void test_arithmetic(void **state) {
    (void)state;
    EQT("2024-02-29", "date", "UTC", "date_add", DT("2024-02-28"), INT(1));
    EQ("2024-02-27", "UTC", "date_add", DT("2024-02-28"), INT(-1));
    EQ("1969-12-31", "UTC", "date_add", STR("1970-01-01"), INT(-1));
    EQ("2024-03-02", "UTC", "date_add", DT("2024-02-28"), STR("3"));
    EQ("2024-01-02", "Europe/Paris", "date_add", TS("2023-12-31 23:30:00"), INT(1));
    EQ("NULL", "UTC", "date_add", DT("2024-02-28"), NUL(SL_T_I32));
    EQ("2024-02-29", "UTC", "dateadd", DT("2024-02-28"), INT(1));
    EQT("2024-02-29", "date", "UTC", "date_sub", DT("2024-03-01"), INT(1));
    EQ("1900-02-28", "UTC", "date_sub", DT("1900-03-01"), INT(1));
    EQ("NULL", "UTC", "date_sub", NUL(SL_T_DATE), INT(1));

    EQT("29", "int", "UTC", "datediff", DT("2024-03-01"), DT("2024-02-01"));
    EQ("-1", "UTC", "datediff", STR("1969-12-31"), STR("1970-01-01"));
    EQ("366", "UTC", "date_diff", DT("2025-01-01"), DT("2024-01-01"));
    EQ("NULL", "UTC", "datediff", DT("2025-01-01"), NUL(SL_T_DATE));

    EQT("2024-02-29", "date", "UTC", "add_months", DT("2024-01-31"), INT(1));
    EQ("2023-02-28", "UTC", "add_months", DT("2023-01-31"), INT(1));
    EQ("2024-02-29", "UTC", "add_months", DT("2024-03-31"), INT(-1));
    EQ("2022-12-15", "UTC", "add_months", DT("2024-01-15"), INT(-13));
    EQ("1970-02-28", "UTC", "add_months", DT("1969-12-31"), INT(2));
    EQ("2025-02-28", "UTC", "add_months", DT("2024-02-29"), INT(12));
    EQ("NULL", "UTC", "add_months", DT("2024-02-29"), NUL(SL_T_I32));

    EQT("2024-02-29", "date", "UTC", "last_day", DT("2024-02-10"));
    EQ("1900-02-28", "UTC", "last_day", DT("1900-02-10"));
    EQ("2023-12-31", "UTC", "last_day", STR("2023-12-05"));
    EQ("NULL", "UTC", "last_day", NUL(SL_T_DATE));

    EQT("2024-07-08", "date", "UTC", "next_day", DT("2024-07-04"), STR("Mon"));
    EQ("2024-07-11", "UTC", "next_day", DT("2024-07-04"), STR("thursday"));
    EQ("2024-07-05", "UTC", "next_day", DT("2024-07-04"), STR("FR"));
    EQ("NULL", "UTC", "next_day", DT("2024-07-04"), STR("xx"));

    /* Spark's documented examples */
    EQT("3.94959677", "double", "UTC", "months_between", STR("1997-02-28 10:30:00"),
        STR("1996-10-30"));
    EQ("3.9495967741935485", "UTC", "months_between", STR("1997-02-28 10:30:00"), STR("1996-10-30"),
       STR("false"));
    EQ("1.0", "UTC", "months_between", DT("2024-02-29"), DT("2024-01-31"));
    EQ("2.0", "UTC", "months_between", TS("2024-03-15 10:00:00"), TS("2024-01-15 23:00:00"));
    EQ("-0.5", "UTC", "months_between", DT("1969-12-01"), STR("1969-12-16 12:00:00"));
    EQ("NULL", "UTC", "months_between", DT("2024-02-29"), NUL(SL_T_TS));

    EQT("2024-02-29", "date", "UTC", "make_date", INT(2024), INT(2), INT(29));
    EQ("NULL", "UTC", "make_date", INT(2023), INT(2), INT(29));
    EQ("2000-02-29", "UTC", "make_date", INT(2000), INT(2), INT(29));
    EQ("NULL", "UTC", "make_date", INT(1900), INT(2), INT(29));
    EQ("NULL", "UTC", "make_date", INT(2024), INT(13), INT(1));
    EQ("1969-12-31", "UTC", "make_date", BIG(1969), STR("12"), DBL(31));
    EQ("NULL", "UTC", "make_date", INT(2024), NUL(SL_T_I32), INT(1));

    EQT("2024-07-01 12:30:45.5", "timestamp", "UTC", "make_timestamp", INT(2024), INT(7), INT(1),
        INT(12), INT(30), DBL(45.5));
    EQ("2024-07-01 10:30:45.5", "Europe/Paris", "make_timestamp", INT(2024), INT(7), INT(1),
       INT(12), INT(30), DBL(45.5));
    EQ("2024-07-01 16:30:45.5", "Europe/Paris", "make_timestamp", INT(2024), INT(7), INT(1),
       INT(12), INT(30), DBL(45.5), STR("America/New_York"));
    EQ("2024-07-01 12:31:00", "UTC", "make_timestamp", INT(2024), INT(7), INT(1), INT(12), INT(30),
       INT(60));
    EQ("NULL", "UTC", "make_timestamp", INT(2024), INT(7), INT(1), INT(12), INT(30), DBL(60.5));
    EQ("NULL", "UTC", "make_timestamp", INT(2024), INT(7), INT(1), INT(24), INT(0), INT(0));
    EQ("2024-03-31 01:30:00", "Europe/Paris", "make_timestamp", INT(2024), INT(3), INT(31), INT(2),
       INT(30), INT(0)); /* in the gap: moved forward */
    EQ("NULL", "UTC", "make_timestamp", INT(2024), INT(7), INT(1), INT(12), INT(30), INT(0),
       STR("Nowhere/Land"));
    EQ("1969-12-31 23:59:59", "UTC", "make_timestamp", INT(1969), INT(12), INT(31), INT(23),
       INT(59), INT(59));
}

static void test_trunc(void **state) {
    (void)state;
    const char *t = "2024-07-04 09:05:03.123456";
    static const char *const cases[][2] = {
        {"YEAR", "2024-01-01 00:00:00"},
        {"yyyy", "2024-01-01 00:00:00"},
        {"YY", "2024-01-01 00:00:00"},
        {"QUARTER", "2024-07-01 00:00:00"},
        {"MONTH", "2024-07-01 00:00:00"},
        {"mm", "2024-07-01 00:00:00"},
        {"MON", "2024-07-01 00:00:00"},
        {"WEEK", "2024-07-01 00:00:00"},
        {"DAY", "2024-07-04 00:00:00"},
        {"DD", "2024-07-04 00:00:00"},
        {"HOUR", "2024-07-04 09:00:00"},
        {"MINUTE", "2024-07-04 09:05:00"},
        {"SECOND", "2024-07-04 09:05:03"},
        {"MILLISECOND", "2024-07-04 09:05:03.123"},
        {"MICROSECOND", "2024-07-04 09:05:03.123456"},
        {"fortnight", "NULL"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        EQT(cases[i][1], "timestamp", "UTC", "date_trunc", STR(cases[i][0]), TS(t));
    /* local truncation */
    EQ("2024-07-03 22:00:00", "Europe/Paris", "date_trunc", STR("DAY"), TS(t));
    EQ("2023-12-31 23:00:00", "Europe/Paris", "date_trunc", STR("YEAR"), TS(t));
    EQ("2024-07-04 08:30:00", "Asia/Kolkata", "date_trunc", STR("HOUR"), TS(t));
    EQ("2024-07-04 09:05:00", "Asia/Kolkata", "date_trunc", STR("MINUTE"), TS(t));
    /* the New York overlap: each 01:30 keeps its own offset */
    EQ("2024-11-03 05:00:00", "America/New_York", "date_trunc", STR("HOUR"),
       TS("2024-11-03 05:30:00"));
    EQ("2024-11-03 06:00:00", "America/New_York", "date_trunc", STR("HOUR"),
       TS("2024-11-03 06:30:00"));
    EQ("1969-12-01 00:00:00", "UTC", "date_trunc", STR("MONTH"), TS("1969-12-15 10:00:00"));
    EQ("1969-12-29 00:00:00", "UTC", "date_trunc", STR("WEEK"), TS("1970-01-01 10:00:00"));
    EQ("NULL", "UTC", "date_trunc", STR("DAY"), NUL(SL_T_TS));
    EQ("NULL", "UTC", "date_trunc", NUL(SL_T_STR), TS(t));
    EQ("2024-07-04 00:00:00", "UTC", "date_trunc", STR("DAY"), STR("2024-07-04 10:00:00"));

    EQT("2024-01-01", "date", "UTC", "trunc", DT("2024-07-04"), STR("YEAR"));
    EQ("2024-07-01", "UTC", "trunc", DT("2024-07-04"), STR("MM"));
    EQ("2024-07-01", "UTC", "trunc", DT("2024-08-04"), STR("QUARTER"));
    EQ("2024-07-01", "UTC", "trunc", DT("2024-07-04"), STR("week"));
    EQ("1969-10-01", "UTC", "trunc", DT("1969-12-31"), STR("QUARTER"));
    EQ("NULL", "UTC", "trunc", DT("2024-07-04"), STR("DAY"));
    EQ("NULL", "UTC", "trunc", DT("2024-07-04"), STR("HOUR"));
    EQ("2024-01-01", "UTC", "trunc", STR("2024-07-04"), STR("YEAR"));
}

static void test_zone_shifts(void **state) {
    (void)state;
    EQT("2024-07-01 14:00:00", "timestamp", "UTC", "from_utc_timestamp", TS("2024-07-01 12:00:00"),
        STR("Europe/Paris"));
    EQ("2024-01-01 13:00:00", "America/New_York", "from_utc_timestamp", TS("2024-01-01 12:00:00"),
       STR("Europe/Paris"));
    EQ("2024-07-01 17:30:00", "UTC", "from_utc_timestamp", TS("2024-07-01 12:00:00"),
       STR("+05:30"));
    EQT("2024-07-01 12:00:00", "timestamp", "UTC", "to_utc_timestamp", TS("2024-07-01 14:00:00"),
        STR("Europe/Paris"));
    EQ("2024-03-31 01:30:00", "UTC", "to_utc_timestamp", TS("2024-03-31 02:30:00"),
       STR("Europe/Paris"));
    EQ("NULL", "UTC", "to_utc_timestamp", NUL(SL_T_TS), STR("Europe/Paris"));
    ERR("unknown time zone 'Nowhere/Land'", "UTC", "from_utc_timestamp", TS("2024-07-01 12:00:00"),
        STR("Nowhere/Land"));
}

/* ---- columns, selections and the fallback zone ---------------------------------- */

static void test_columns(void **state) {
    (void)state;
    sl__vec *d = sl__vec_new(SL_T_DATE, 8);
    int32_t days[] = {0, -1, 0, 19782, -25567};
    for (int i = 0; i < 5; i++) SL_VEC_DATA(d, int32_t)[i] = days[i];
    sl__vec_set_null(d, 2);
    sl__vec *f = sl__vec_new(SL_T_STR, 8);
    const char *fmts[] = {"yyyy", "MM/dd", "yyyy", "EEEE", "u"};
    for (int i = 0; i < 5; i++) sl__vec_set_str_copy(f, (uint32_t)i, fmts[i], strlen(fmts[i]));
    sl__vec *cols[] = {d, f};

    sl__err err;
    sl__err_clear(&err);
    sl__expr *a1[] = {sl__expr_colref(0, SL_T_DATE)};
    sl__expr *y = sl__fn_bind_call(sl__fn_find("year"), "year", a1, 1, 0, "UTC", &err);
    sl__expr *a2[] = {sl__expr_colref(0, SL_T_DATE), sl__expr_colref(1, SL_T_STR)};
    sl__expr *df =
        sl__fn_bind_call(sl__fn_find("date_format"), "date_format", a2, 2, 0, "UTC", &err);
    assert_non_null(y);
    assert_non_null(df);
    sl__ectx ctx = {0};
    ctx.err = &err;
    set_zone(&ctx, "UTC");

    sl__batch all = {2, cols, 5, NULL, 5};
    sl__vec *v = sl__expr_eval(y, &ctx, &all);
    const char *want_y[] = {"1970", "1969", "NULL", "2024", "1900"};
    for (uint32_t i = 0; i < 5; i++) assert_string_equal(render(v, i), want_y[i]);
    v = sl__expr_eval(df, &ctx, &all);
    const char *want_f[] = {"1970", "12/31", "NULL", "Thursday", "NULL"}; /* 'u': a bad format */
    for (uint32_t i = 0; i < 5; i++) assert_string_equal(render(v, i), want_f[i]);

    uint32_t sel[] = {1, 3};
    sl__batch some = {2, cols, 5, sel, 2};
    v = sl__expr_eval(df, &ctx, &some);
    assert_string_equal(render(v, 1), "12/31");
    assert_string_equal(render(v, 3), "Thursday");

    sl__expr_free(y);
    sl__expr_free(df);
    sl__vec_free(d);
    sl__vec_free(f);
}

/* Without ctx->tz the functions use the fixed offset tz_offset_us. */
static const char *run_fixed(const char *time_zone, int64_t off, const char *fn, sl__expr *a,
                             sl__expr *b) {
    sl__err err;
    sl__err_clear(&err);
    sl__expr *args[] = {a, b};
    sl__expr *e = sl__fn_bind_call(sl__fn_find(fn), fn, args, b ? 2 : 1, 0, time_zone, &err);
    assert_non_null(e);
    sl__ectx ctx = {0};
    ctx.err = &err;
    ctx.time_zone = time_zone;
    ctx.tz_offset_us = off;
    sl__batch one = {0, NULL, 1, NULL, 1};
    const char *r = render(sl__expr_eval(e, &ctx, &one), 0);
    sl__expr_free(e);
    return r;
}

static void test_fixed_offset_fallback(void **state) {
    (void)state;
    int64_t h = 3600 * S;
    assert_string_equal(run_fixed(NULL, 2 * h, "hour", TS("2024-07-04 12:00:00"), NULL), "14");
    assert_string_equal(
        run_fixed(NULL, 2 * h, "date_format", TS("2024-07-04 12:00:00"), STR("HH XXX z VV")),
        "14 +02:00 +02:00 +02:00");
    assert_string_equal(run_fixed(NULL, -(5 * h + 30 * 60 * S), "date_format",
                                  TS("2024-07-04 12:00:00"), STR("HH:mm xxx")),
                        "06:30 -05:30");
    assert_string_equal(run_fixed("UTC", 0, "date_format", TS("2024-07-04 12:00:00"), STR("HH z")),
                        "12 UTC");
    assert_string_equal(
        run_fixed("GMT+1", h, "date_format", TS("2024-07-04 12:00:00"), STR("HH z")),
        "13 GMT+01:00");
    /* a region name without ctx->tz: its fixed offset, no DST */
    assert_string_equal(run_fixed("Europe/Paris", 2 * h, "hour", TS("2024-01-04 12:00:00"), NULL),
                        "14");
    assert_string_equal(run_fixed(NULL, 2 * h, "to_timestamp", STR("2024-07-04 14:00:00"), NULL),
                        "2024-07-04 12:00:00");
    assert_string_equal(run_fixed(NULL, 2 * h, "to_date", TS("2024-07-04 23:00:00"), NULL),
                        "2024-07-05");
}

static void test_registry(void **state) {
    (void)state;
    static const char *const names[] = {
        "current_timestamp",
        "now",
        "current_date",
        "unix_timestamp",
        "from_unixtime",
        "timestamp_seconds",
        "timestamp_millis",
        "timestamp_micros",
        "to_timestamp",
        "to_date",
        "date_format",
        "year",
        "quarter",
        "month",
        "day",
        "dayofmonth",
        "dayofweek",
        "dayofyear",
        "weekofyear",
        "hour",
        "minute",
        "second",
        "date_add",
        "date_sub",
        "datediff",
        "add_months",
        "last_day",
        "date_trunc",
        "trunc",
        "extract",
        "make_date",
        "make_timestamp",
        "months_between",
        "unix_millis",
        "unix_micros",
        "YEAR",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_non_null(sl__fn_find(names[i]));
    /* windows belong elsewhere */
    const sl__fn_def *w = sl__fn_find("window_time");
    if (w) assert_true(w->bind != NULL);
    ERR("takes 1 argument", "UTC", "year", DT("2024-01-01"), DT("2024-01-01"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock),        cmocka_unit_test(test_date_fields),
        cmocka_unit_test(test_time_fields),  cmocka_unit_test(test_extract),
        cmocka_unit_test(test_epoch),        cmocka_unit_test(test_unix_timestamp),
        cmocka_unit_test(test_to_timestamp), cmocka_unit_test(test_to_date),
        cmocka_unit_test(test_date_format),  cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_trunc),        cmocka_unit_test(test_zone_shifts),
        cmocka_unit_test(test_columns),      cmocka_unit_test(test_fixed_offset_fallback),
        cmocka_unit_test(test_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
