/*
 * test_tz.c — session time zones (src/types/tz.c): fixed offsets and their
 * Java ids, Java's short ids, IANA regions read from the system's TZif files
 * (Europe/Paris and America/New_York DST transitions, pre-1970 local mean
 * time, far-future instants decided by the footer's POSIX rule, southern
 * hemisphere and negative DST), wall time to instant in gaps and overlaps
 * (java.time rules), damaged files, a missing database, the cache shared
 * between threads, and timestamp text naming a region.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "types/text.h"
#include "types/tz.h"

#define S 1000000LL
#define H (3600 * S)

/* Microseconds since the epoch of a UTC civil time. */
static int64_t utc(int64_t y, unsigned mo, unsigned d, int h, int mi, int s) {
    return (sl__days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * S;
}

static const sl__tz *get(const char *name) {
    sl__err err;
    sl__err_clear(&err);
    const sl__tz *z = sl__tz_get(name, &err);
    if (!z) fail_msg("sl__tz_get(%s): %s", name, err.msg);
    return z;
}

static void test_fixed(void **state) {
    (void)state;
    static const struct {
        const char *name, *id;
        int64_t off;
    } cases[] = {
        {"UTC", "UTC", 0},
        {"utc", "UTC", 0},
        {"Z", "Z", 0},
        {"GMT", "GMT", 0},
        {"+02:00", "+02:00", 2 * H},
        {"-05:30", "-05:30", -(5 * H + 30 * 60 * S)},
        {"+0530", "+05:30", 5 * H + 30 * 60 * S},
        {"GMT-1", "GMT-01:00", -H},
        {"UTC+3", "UTC+03:00", 3 * H},
        {"+00:00", "Z", 0},
        {"EST", "-05:00", -5 * H}, /* ZoneId.SHORT_IDS */
        {"HST", "-10:00", -10 * H},
        {" +01:00 ", "+01:00", H},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const sl__tz *z = get(cases[i].name);
        int64_t off = 12345;
        assert_true(sl__tz_is_fixed(z, &off));
        assert_int_equal(off, cases[i].off);
        assert_string_equal(sl__tz_name(z), cases[i].id);
        assert_int_equal(sl__tz_offset_utc(z, utc(2024, 7, 1, 0, 0, 0)), cases[i].off);
        assert_int_equal(sl__tz_offset_utc(z, utc(1600, 7, 1, 0, 0, 0)), cases[i].off);
        assert_int_equal(sl__tz_offset_local(z, 0), cases[i].off);
        assert_string_equal(sl__tz_abbrev(z, 0), cases[i].id);
    }
    assert_ptr_equal(get("UTC"), sl__tz_utc());
    assert_ptr_equal(get("+02:00"), get("+02:00")); /* cached */
}

static void test_bad_names(void **state) {
    (void)state;
    static const char *const bad[] = {"",
                                      "Mars/Olympus_Mons",
                                      "../etc/passwd",
                                      "/etc/passwd",
                                      "Europe/../../etc/passwd",
                                      "+25:00",
                                      "UTC+19",
                                      "zone.tab",
                                      "Europe",
                                      "1Europe/Paris"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sl__err err;
        sl__err_clear(&err);
        assert_null(sl__tz_get(bad[i], &err));
        assert_int_equal(err.code, SL_ERR_ANALYSIS);
        assert_true(strstr(err.msg, "time zone") != NULL);
    }
    sl__err err;
    sl__err_clear(&err);
    assert_null(sl__tz_get("Mars/Olympus_Mons", &err));
    assert_string_equal(err.msg, "unknown time zone 'Mars/Olympus_Mons'");
}

static void test_paris(void **state) {
    (void)state;
    const sl__tz *z = get("Europe/Paris");
    assert_false(sl__tz_is_fixed(z, NULL));
    assert_string_equal(sl__tz_name(z), "Europe/Paris");
    /* 2024-03-31 01:00 UTC: CET -> CEST */
    int64_t spring = utc(2024, 3, 31, 1, 0, 0);
    assert_int_equal(spring / S, 1711846800);
    assert_int_equal(sl__tz_offset_utc(z, spring - 1), H);
    assert_int_equal(sl__tz_offset_utc(z, spring), 2 * H);
    assert_string_equal(sl__tz_abbrev(z, spring - 1), "CET");
    assert_string_equal(sl__tz_abbrev(z, spring), "CEST");
    /* 2024-10-27 01:00 UTC: CEST -> CET */
    int64_t fall = utc(2024, 10, 27, 1, 0, 0);
    assert_int_equal(sl__tz_offset_utc(z, fall - 1), 2 * H);
    assert_int_equal(sl__tz_offset_utc(z, fall), H);
    /* before 1970: CET in 1950, Paris mean time (+00:09:21) in 1900, LMT before */
    assert_int_equal(sl__tz_offset_utc(z, utc(1950, 1, 1, 0, 0, 0)), H);
    assert_int_equal(sl__tz_offset_utc(z, utc(1900, 1, 1, 0, 0, 0)), 561 * S);
    assert_string_equal(sl__tz_abbrev(z, utc(1900, 1, 1, 0, 0, 0)), "PMT");
    assert_int_equal(sl__tz_offset_utc(z, utc(1800, 1, 1, 0, 0, 0)), 561 * S);
    assert_int_equal(sl__tz_offset_utc(z, INT64_MIN), 561 * S);
    /* far future: the footer rule CET-1CEST,M3.5.0,M10.5.0/3 */
    assert_int_equal(sl__tz_offset_utc(z, utc(2100, 1, 15, 0, 0, 0)), H);
    assert_int_equal(sl__tz_offset_utc(z, utc(2100, 7, 1, 12, 0, 0)), 2 * H);
    assert_int_equal(sl__tz_offset_utc(z, utc(2100, 3, 28, 0, 59, 59)), H);
    assert_int_equal(sl__tz_offset_utc(z, utc(2100, 3, 28, 1, 0, 0)), 2 * H);
    assert_int_equal(sl__tz_offset_utc(z, utc(2100, 10, 31, 0, 59, 59)), 2 * H);
    assert_int_equal(sl__tz_offset_utc(z, utc(2100, 10, 31, 1, 0, 0)), H);
    assert_string_equal(sl__tz_abbrev(z, utc(2100, 7, 1, 0, 0, 0)), "CEST");
    assert_int_equal(sl__tz_offset_utc(z, utc(100000, 7, 1, 0, 0, 0)), 2 * H);
    assert_int_equal(sl__tz_offset_utc(z, INT64_MAX), H);
}

static void test_new_york(void **state) {
    (void)state;
    const sl__tz *z = get("America/New_York");
    int64_t spring = utc(2024, 3, 10, 7, 0, 0), fall = utc(2024, 11, 3, 6, 0, 0);
    assert_int_equal(sl__tz_offset_utc(z, spring - 1), -5 * H);
    assert_int_equal(sl__tz_offset_utc(z, spring), -4 * H);
    assert_int_equal(sl__tz_offset_utc(z, fall - 1), -4 * H);
    assert_int_equal(sl__tz_offset_utc(z, fall), -5 * H);
    assert_string_equal(sl__tz_abbrev(z, spring), "EDT");
    assert_string_equal(sl__tz_abbrev(z, fall), "EST");
    assert_int_equal(sl__tz_offset_utc(z, utc(1960, 7, 1, 0, 0, 0)), -4 * H);
    assert_int_equal(sl__tz_offset_utc(z, utc(2200, 7, 1, 0, 0, 0)), -4 * H);
    assert_int_equal(sl__tz_offset_utc(z, utc(2200, 12, 1, 0, 0, 0)), -5 * H);
    /* PST is America/Los_Angeles (SHORT_IDS) */
    const sl__tz *pst = get("PST");
    assert_int_equal(sl__tz_offset_utc(pst, utc(2024, 7, 1, 0, 0, 0)), -7 * H);
    assert_int_equal(sl__tz_offset_utc(pst, utc(2024, 1, 1, 0, 0, 0)), -8 * H);
    assert_string_equal(sl__tz_name(pst), "America/Los_Angeles");
}

static void test_other_rules(void **state) {
    (void)state;
    /* southern hemisphere: DST across the new year */
    const sl__tz *syd = get("Australia/Sydney");
    assert_int_equal(sl__tz_offset_utc(syd, utc(2100, 1, 15, 0, 0, 0)), 11 * H);
    assert_int_equal(sl__tz_offset_utc(syd, utc(2100, 7, 1, 0, 0, 0)), 10 * H);
    /* Dublin: IST-1GMT0,M10.5.0,M3.5.0/1, daylight saving in winter */
    const sl__tz *dub = get("Europe/Dublin");
    assert_int_equal(sl__tz_offset_utc(dub, utc(2100, 1, 15, 0, 0, 0)), 0);
    assert_int_equal(sl__tz_offset_utc(dub, utc(2100, 7, 1, 0, 0, 0)), H);
    assert_string_equal(sl__tz_abbrev(dub, utc(2100, 7, 1, 0, 0, 0)), "IST");
    /* Nuuk: <-02>2<-01>,M3.5.0/-1,M10.5.0/0, negative rule times, quoted names */
    const sl__tz *nuuk = get("America/Nuuk");
    assert_int_equal(sl__tz_offset_utc(nuuk, utc(2100, 1, 15, 0, 0, 0)), -2 * H);
    assert_int_equal(sl__tz_offset_utc(nuuk, utc(2100, 7, 1, 0, 0, 0)), -H);
    assert_string_equal(sl__tz_abbrev(nuuk, utc(2100, 7, 1, 0, 0, 0)), "-01");
    /* half-hour offset, no DST */
    const sl__tz *kol = get("Asia/Kolkata");
    assert_int_equal(sl__tz_offset_utc(kol, utc(2024, 1, 1, 0, 0, 0)), 5 * H + 30 * 60 * S);
    assert_int_equal(sl__tz_offset_utc(kol, utc(2300, 1, 1, 0, 0, 0)), 5 * H + 30 * 60 * S);
    /* Etc/ files: no transitions at all */
    const sl__tz *etc = get("Etc/GMT+5");
    assert_int_equal(sl__tz_offset_utc(etc, utc(2024, 1, 1, 0, 0, 0)), -5 * H);
    assert_int_equal(sl__tz_offset_utc(etc, utc(1024, 1, 1, 0, 0, 0)), -5 * H);
}

static void test_local(void **state) {
    (void)state;
    const sl__tz *z = get("Europe/Paris");
    /* an ordinary wall time */
    int64_t l = utc(2024, 7, 1, 12, 0, 0);
    assert_int_equal(sl__tz_offset_local(z, l), 2 * H);
    assert_int_equal(sl__tz_to_utc(z, l), utc(2024, 7, 1, 10, 0, 0));
    assert_int_equal(sl__tz_to_local(z, utc(2024, 7, 1, 10, 0, 0)), l);
    /* gap: 02:30 does not exist on 2024-03-31; it becomes 03:30 CEST = 01:30 UTC */
    l = utc(2024, 3, 31, 2, 30, 0);
    assert_int_equal(sl__tz_offset_local(z, l), H);
    assert_int_equal(sl__tz_to_utc(z, l), utc(2024, 3, 31, 1, 30, 0));
    assert_int_equal(sl__tz_to_local(z, sl__tz_to_utc(z, l)), utc(2024, 3, 31, 3, 30, 0));
    /* the edges of the gap */
    assert_int_equal(sl__tz_to_utc(z, utc(2024, 3, 31, 1, 59, 59)), utc(2024, 3, 31, 0, 59, 59));
    assert_int_equal(sl__tz_to_utc(z, utc(2024, 3, 31, 2, 0, 0)), utc(2024, 3, 31, 1, 0, 0));
    assert_int_equal(sl__tz_to_utc(z, utc(2024, 3, 31, 3, 0, 0)), utc(2024, 3, 31, 1, 0, 0));
    /* overlap: 02:30 happens twice on 2024-10-27; the earlier offset (+02:00) wins */
    l = utc(2024, 10, 27, 2, 30, 0);
    assert_int_equal(sl__tz_offset_local(z, l), 2 * H);
    assert_int_equal(sl__tz_to_utc(z, l), utc(2024, 10, 27, 0, 30, 0));
    assert_int_equal(sl__tz_to_utc(z, utc(2024, 10, 27, 1, 59, 59)), utc(2024, 10, 26, 23, 59, 59));
    assert_int_equal(sl__tz_to_utc(z, utc(2024, 10, 27, 3, 0, 0)), utc(2024, 10, 27, 2, 0, 0));
    /* the same in the footer's years */
    assert_int_equal(sl__tz_to_utc(z, utc(2100, 3, 28, 2, 30, 0)), utc(2100, 3, 28, 1, 30, 0));
    assert_int_equal(sl__tz_to_utc(z, utc(2100, 10, 31, 2, 30, 0)), utc(2100, 10, 31, 0, 30, 0));
    /* New York: 02:30 on 2024-03-10 is in the gap, 01:30 on 2024-11-03 twice */
    const sl__tz *ny = get("America/New_York");
    assert_int_equal(sl__tz_to_utc(ny, utc(2024, 3, 10, 2, 30, 0)), utc(2024, 3, 10, 7, 30, 0));
    assert_int_equal(sl__tz_to_utc(ny, utc(2024, 11, 3, 1, 30, 0)), utc(2024, 11, 3, 5, 30, 0));
    /* pre-1970 local mean time */
    assert_int_equal(sl__tz_to_utc(z, utc(1900, 1, 1, 0, 9, 21)), utc(1900, 1, 1, 0, 0, 0));
}

/* A TZDIR with damaged files next to a good one. */
static char tmpdir[64];

static void write_file(const char *rel, const void *data, size_t n) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void test_damaged_files(void **state) {
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sluice-tz-%d", (int)getpid());
    char sub[128];
    snprintf(sub, sizeof sub, "%s/Test", tmpdir);
    mkdir(tmpdir, 0700);
    mkdir(sub, 0700);
    snprintf(sub, sizeof sub, "%s/Test/Dir", tmpdir);
    mkdir(sub, 0700);
    FILE *f = fopen("/usr/share/zoneinfo/Europe/Paris", "rb");
    assert_non_null(f);
    static unsigned char paris[65536];
    size_t n = fread(paris, 1, sizeof paris, f);
    fclose(f);
    assert_true(n > 100);
    write_file("Test/Good", paris, n);
    write_file("Test/Trunc", paris, 100);
    write_file("Test/Header", paris, 30);
    write_file("Test/Text", "hello\n", 6);
    /* a bad footer */
    static unsigned char bad[65536];
    memcpy(bad, paris, n);
    assert_int_equal(bad[n - 1], '\n');
    bad[n - 2] = '!';
    write_file("Test/Footer", bad, n);
    /* a version 1 file: only the 32-bit block, no footer */
    memcpy(bad, paris, n);
    bad[4] = 0;
    write_file("Test/Version1", bad, n);

    setenv("TZDIR", tmpdir, 1);
    const sl__tz *g = get("Test/Good");
    assert_int_equal(sl__tz_offset_utc(g, utc(2024, 7, 1, 0, 0, 0)), 2 * H);
    const sl__tz *v1 = get("Test/Version1");
    assert_int_equal(sl__tz_offset_utc(v1, utc(2024, 7, 1, 0, 0, 0)), 2 * H);
    assert_int_equal(sl__tz_offset_utc(v1, utc(1950, 1, 1, 0, 0, 0)), H);
    static const char *const broken[] = {"Test/Trunc",  "Test/Header", "Test/Text",
                                         "Test/Footer", "Test/Dir",    "Test/Missing"};
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        sl__err err;
        sl__err_clear(&err);
        assert_null(sl__tz_get(broken[i], &err));
        assert_int_equal(err.code, SL_ERR_ANALYSIS);
        assert_non_null(strstr(err.msg, broken[i]));
    }
    /* no database at all: the message says what to install */
    setenv("TZDIR", "/nonexistent/zoneinfo", 1);
    sl__err err;
    sl__err_clear(&err);
    assert_null(sl__tz_get("Antarctica/Troll", &err));
    assert_non_null(strstr(err.msg, "tzdata"));
    /* fixed offsets need no database */
    assert_non_null(get("+03:00"));
    unsetenv("TZDIR");
    const char *files[] = {"Good", "Trunc", "Header", "Text", "Footer", "Version1"};
    for (size_t i = 0; i < 6; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/Test/%s", tmpdir, files[i]);
        unlink(path);
    }
    rmdir(sub);
    snprintf(sub, sizeof sub, "%s/Test", tmpdir);
    rmdir(sub);
    rmdir(tmpdir);
}

static const char *const thread_names[] = {"Asia/Tokyo", "America/Chicago", "Europe/Berlin",
                                           "CST",        "Africa/Cairo",    "+07:00"};

static void *lookup_all(void *arg) {
    const sl__tz **out = arg;
    for (int round = 0; round < 50; round++)
        for (size_t i = 0; i < 6; i++) {
            sl__err err;
            sl__err_clear(&err);
            const sl__tz *z = sl__tz_get(thread_names[i], &err);
            if (round == 0)
                out[i] = z;
            else if (out[i] != z)
                out[i] = NULL;
        }
    return NULL;
}

static void test_threads(void **state) {
    (void)state;
    pthread_t t[4];
    const sl__tz *res[4][6];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, lookup_all, res[i]);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    for (size_t k = 0; k < 6; k++) {
        assert_non_null(res[0][k]);
        for (int i = 1; i < 4; i++) assert_ptr_equal(res[i][k], res[0][k]);
    }
    assert_ptr_equal(res[0][3], get("America/Chicago")); /* CST is an alias */
}

static void test_parse_timestamp(void **state) {
    (void)state;
    const sl__tz *paris = get("Europe/Paris"), *u = sl__tz_utc();
    int64_t v;
#define PARSES(text, zone, want)                                                                   \
    do {                                                                                           \
        assert_true(sl__tz_parse_timestamp(text, strlen(text), zone, &v));                         \
        assert_int_equal(v, want);                                                                 \
    } while (0)
    PARSES("2024-07-01 12:00:00", paris, utc(2024, 7, 1, 10, 0, 0));
    PARSES("2024-01-01 12:00:00", paris, utc(2024, 1, 1, 11, 0, 0));
    PARSES("2024-03-31 02:30:00", paris, utc(2024, 3, 31, 1, 30, 0));
    PARSES("2024-10-27 02:30", paris, utc(2024, 10, 27, 0, 30, 0));
    PARSES("2024-07-01", paris, utc(2024, 6, 30, 22, 0, 0));
    PARSES("  2024-07-01T12:00:00.5Z ", paris, utc(2024, 7, 1, 12, 0, 0) + S / 2);
    PARSES("2024-07-01 12:00:00 +05:00", paris, utc(2024, 7, 1, 7, 0, 0));
    PARSES("2024-07-01 12:00:00-05:00", paris, utc(2024, 7, 1, 17, 0, 0));
    PARSES("2024-07-01 12:00:00 UTC+1", paris, utc(2024, 7, 1, 11, 0, 0));
    PARSES("2024-07-01 12:00:00 America/New_York", paris, utc(2024, 7, 1, 16, 0, 0));
    PARSES("2024-07-01T12:00:00Europe/Paris", u, utc(2024, 7, 1, 10, 0, 0));
    PARSES("2024-07-01 Europe/Paris", u, utc(2024, 6, 30, 22, 0, 0));
    PARSES("2024-07-01 12:00:00", u, utc(2024, 7, 1, 12, 0, 0));
    PARSES("1969-12-31 23:59:59.999999", u, -1);
    PARSES("1900-01-01 00:09:21", paris, utc(1900, 1, 1, 0, 0, 0));
    PARSES("2024", paris, utc(2023, 12, 31, 23, 0, 0));
    static const char *const bad[] = {"",
                                      "2024/01/01",
                                      "2024-01-01 12:00:00 Nowhere/City",
                                      "2024-01-01 12:00:00 ../../etc/passwd",
                                      "2024-13-01",
                                      "2024-01-01 25:00:00",
                                      "2024-01-01 12:00:00 +99:00",
                                      "x2024-01-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(sl__tz_parse_timestamp(bad[i], strlen(bad[i]), paris, &v));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed),           cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_paris),           cmocka_unit_test(test_new_york),
        cmocka_unit_test(test_other_rules),     cmocka_unit_test(test_local),
        cmocka_unit_test(test_damaged_files),   cmocka_unit_test(test_threads),
        cmocka_unit_test(test_parse_timestamp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
