/*
 * test_gen_opts.c — the options of `sluice gen` (src/gen/opts.c): defaults
 * per generator, both spellings of values, every validation error with its
 * message, and the derived stream parameters and origins (fixed start
 * instant with --seed, --start-time, nominal period for --rate 0).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gen/gen.h"

/* Parses a space-separated command line (after "sluice"). */
static int parse(sl__gen_opts *o, char *err, const char *line) {
    static char buf[512];
    static char *argv[32];
    snprintf(buf, sizeof buf, "%s", line);
    int argc = 0;
    for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " ")) argv[argc++] = t;
    argv[argc] = NULL;
    err[0] = '\0';
    return sl__gen_opts_parse(o, argc, argv, err, 256);
}

static void test_defaults(void **state) {
    (void)state;
    sl__gen_opts o;
    char err[256];
    assert_int_equal(parse(&o, err, "gen iot"), 0);
    assert_int_equal(o.kind, SL__GEN_IOT);
    assert_string_equal(o.host, "127.0.0.1");
    assert_int_equal(o.port, 9999);
    assert_true(o.rate == 20.0);
    assert_int_equal(o.count, 0);
    assert_false(o.have_seed);
    assert_true(o.error_rate == 0.03);
    assert_true(o.late_fraction == 0.02);
    assert_true(o.max_delay_s == 10.0);
    assert_int_equal(o.lines_per_file, 100);
    assert_null(o.to_dir);
    assert_false(o.to_stdout);

    assert_int_equal(parse(&o, err, "gen bpm"), 0);
    assert_int_equal(o.port, 10000);
    assert_true(o.rate == 5.0);
    assert_int_equal(parse(&o, err, "gen quotes"), 0);
    assert_int_equal(o.port, 10001);
    assert_true(o.rate == 1.0);
}

static void test_values(void **state) {
    (void)state;
    sl__gen_opts o;
    char err[256];
    assert_int_equal(parse(&o, err,
                           "gen --port=0 iot --host ::1 --rate 0 --count 10 --seed 0x2a "
                           "--error-rate=0.5 --late-fraction 1 --max-delay 0.5 --quiet"),
                     0);
    assert_int_equal(o.port, 0);
    assert_string_equal(o.host, "::1");
    assert_true(o.rate == 0.0);
    assert_int_equal(o.count, 10);
    assert_true(o.have_seed);
    assert_int_equal(o.seed, 42);
    assert_true(o.error_rate == 0.5);
    assert_true(o.late_fraction == 1.0);
    assert_true(o.max_delay_s == 0.5);
    assert_true(o.quiet);

    assert_int_equal(parse(&o, err, "gen iot --to-dir /tmp/x --lines-per-file 7 --start-time 1.5"),
                     0);
    assert_string_equal(o.to_dir, "/tmp/x");
    assert_int_equal(o.lines_per_file, 7);
    assert_true(o.have_start);
    assert_false(o.start_now);
    assert_int_equal(o.start_ns, 1500000000);
    assert_int_equal(parse(&o, err, "gen quotes --stdout --start-time now --corpus f.tsv"), 0);
    assert_true(o.to_stdout);
    assert_true(o.start_now);
    assert_string_equal(o.corpus_path, "f.tsv");
    assert_int_equal(parse(&o, err, "gen iot --seed 18446744073709551615"), 0);
    assert_int_equal(o.seed, UINT64_MAX);
}

static void test_help(void **state) {
    (void)state;
    sl__gen_opts o;
    char err[256];
    assert_int_equal(parse(&o, err, "gen --help"), 1);
    assert_int_equal(parse(&o, err, "gen iot -h"), 1);
}

static void check_error(const char *line, const char *want) {
    sl__gen_opts o;
    char err[256];
    assert_int_equal(parse(&o, err, line), -1);
    if (!strstr(err, want)) fail_msg("'%s': got '%s', want '%s'", line, err, want);
}

static void test_errors(void **state) {
    (void)state;
    check_error("gen", "which generator?");
    check_error("gen kafka", "unknown generator 'kafka'");
    check_error("gen iot bpm", "unexpected argument 'bpm'");
    check_error("gen iot --bogus 1", "unknown option '--bogus'");
    check_error("gen iot --port", "option '--port' needs a value");
    check_error("gen iot --port 65536", "--port: expected a port number");
    check_error("gen iot --port -1", "--port: expected a port number");
    check_error("gen iot --port 12ab", "--port: expected a port number");
    check_error("gen iot --rate -1", "--rate: expected lines per second");
    check_error("gen iot --rate nan", "--rate: expected lines per second");
    check_error("gen iot --rate 0x10", "--rate: expected lines per second");
    check_error("gen iot --count -5", "--count: expected a number of lines");
    check_error("gen iot --seed abc", "--seed: expected an unsigned 64-bit integer");
    check_error("gen iot --seed 18446744073709551616", "--seed: expected");
    check_error("gen iot --error-rate 1.5", "--error-rate: expected a probability 0..1");
    check_error("gen iot --error-rate -0.1", "--error-rate: expected a probability 0..1");
    check_error("gen iot --late-fraction 2", "--late-fraction: expected a probability 0..1");
    check_error("gen iot --max-delay 0.1", "--max-delay: expected seconds 0.5..86400");
    check_error("gen iot --start-time yesterday", "--start-time: expected epoch seconds");
    check_error("gen iot --start-time 1.", "--start-time: expected epoch seconds");
    check_error("gen iot --start-time 1.0000000001", "--start-time: expected epoch seconds");
    check_error("gen iot --start-time 99999999999", "--start-time: expected epoch seconds");
    check_error("gen quotes --error-rate 0.1", "--error-rate does not apply to quotes");
    check_error("gen quotes --late-fraction 0.1", "--late-fraction does not apply to quotes");
    check_error("gen quotes --max-delay 3", "--max-delay does not apply to quotes");
    check_error("gen bpm --corpus x", "--corpus applies to quotes only");
    check_error("gen iot --lines-per-file 10", "--lines-per-file needs --to-dir");
    check_error("gen iot --to-dir d --lines-per-file 0", "--lines-per-file: expected a positive");
    check_error("gen iot --to-dir d --stdout", "cannot be used together");
    check_error("gen iot --to-dir d --port 5", "--host and --port are for serving");
    check_error("gen iot --stdout=yes", "option '--stdout' takes no value");
    check_error("gen iot --host=", "--host: empty address");
}

static void test_params_and_origin(void **state) {
    (void)state;
    sl__gen_opts o;
    char err[256];
    sl__gen_params p;
    sl__gen_corpus c = {0};

    assert_int_equal(parse(&o, err, "gen iot --seed 5"), 0);
    sl__gen_opts_params(&o, &c, &p);
    assert_int_equal(p.kind, SL__GEN_IOT);
    assert_int_equal(p.period_ns, 50000000); /* 20 lines/s */
    assert_int_equal(p.sched_key, 5);
    assert_int_equal(p.max_delay_ns, 10 * SL__GEN_NS_PER_S);
    uint64_t seed;
    int64_t start;
    sl__gen_opts_stream_origin(&o, 777, &seed, &start);
    assert_int_equal(seed, 5);
    assert_int_equal(start, SL__GEN_DEFAULT_START_S * SL__GEN_NS_PER_S);

    /* --rate 0: simulated time still follows the default rate */
    assert_int_equal(parse(&o, err, "gen bpm --rate 0 --seed 5 --start-time now"), 0);
    sl__gen_opts_params(&o, &c, &p);
    assert_int_equal(p.period_ns, 200000000);
    sl__gen_opts_stream_origin(&o, 777, &seed, &start);
    assert_int_equal(start, 777);

    assert_int_equal(parse(&o, err, "gen iot --rate 3 --start-time 1600000000"), 0);
    sl__gen_opts_params(&o, &c, &p);
    assert_int_equal(p.period_ns, 333333333);
    assert_int_equal(p.sched_key, 0); /* unseeded runs share one schedule */
    sl__gen_opts_stream_origin(&o, 777, &seed, &start);
    assert_int_equal(start, INT64_C(1600000000) * SL__GEN_NS_PER_S);

    /* no seed: a fresh random seed per stream, starting at the wall clock */
    assert_int_equal(parse(&o, err, "gen iot"), 0);
    uint64_t s1, s2;
    int64_t t1, t2;
    int64_t before = sl__gen_wall_ns();
    sl__gen_opts_stream_origin(&o, 777, &s1, &t1);
    sl__gen_opts_stream_origin(&o, 777, &s2, &t2);
    assert_true(s1 != s2);
    assert_true(t1 >= before && t2 >= t1 && t2 < before + 10 * SL__GEN_NS_PER_S);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_params_and_origin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
