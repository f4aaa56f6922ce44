/*
 * test_gen_golden.c — pins the exact bytes `sluice gen` produces for a seed,
 * so that work on the generators' speed (src/gen) can prove it changed no
 * output. Each case parses a real command line (opts.c), builds the stream
 * the CLI would, and compares the first lines literally and the first N
 * lines by length and FNV-1a 64 hash. The pinned values were taken from the
 * generators before their formatting was rewritten for speed; a change here
 * is a change of every seeded run's data and needs a reason.
 *
 * The same lines are also generated into a buffer that is consumed in odd
 * amounts as it goes (as the server and the file writers consume it), which
 * must not change a byte either.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen/gen.h"

static sl__gen_corpus corpus;

/* Parses a space-separated command line into a stream like the CLI's. */
static void stream_of(const char *line, sl__gen_stream *s) {
    char buf[512], err[256];
    char *argv[32];
    snprintf(buf, sizeof buf, "%s", line);
    int argc = 0;
    for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " ")) argv[argc++] = t;
    argv[argc] = NULL;
    sl__gen_opts o;
    if (sl__gen_opts_parse(&o, argc, argv, err, sizeof err) != 0) fail_msg("%s: %s", line, err);
    assert_true(o.have_seed);
    sl__gen_params p;
    sl__gen_opts_params(&o, &corpus, &p);
    uint64_t seed;
    int64_t start;
    sl__gen_opts_stream_origin(&o, 0, &seed, &start);
    sl__gen_stream_init(s, &p, seed, start);
}

static uint64_t fnv1a(uint64_t h, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

typedef struct golden {
    const char *cmd;
    const char *first; /* the first lines, literally (NULL: not pinned) */
    int n;             /* lines hashed */
    size_t len;        /* their total length */
    uint64_t hash;     /* their FNV-1a 64 */
} golden;

static void check_golden(const golden *g) {
    /* 1. Whole lines into one buffer. */
    sl__gen_stream s;
    stream_of(g->cmd, &s);
    sl__gen_buf b = {0};
    for (int i = 0; i < g->n; i++) sl__gen_stream_next(&s, &b);
    if (g->first) {
        size_t n = strlen(g->first);
        assert_true(b.len >= n);
        if (memcmp(b.p, g->first, n) != 0)
            fail_msg("%s: first lines differ:\n%.*s", g->cmd, (int)n, b.p);
    }
    uint64_t h = fnv1a(UINT64_C(0xcbf29ce484222325), b.p, b.len);
    if (b.len != g->len || h != g->hash)
        fail_msg("%s: %d lines are %zu bytes, hash 0x%016llx; pinned %zu, 0x%016llx", g->cmd, g->n,
                 b.len, (unsigned long long)h, g->len, (unsigned long long)g->hash);
    sl__gen_buf_free(&b);

    /* 2. The same stream consumed in odd amounts as it is produced. */
    stream_of(g->cmd, &s);
    uint64_t h2 = UINT64_C(0xcbf29ce484222325);
    size_t total = 0, step = 1;
    for (int i = 0; i < g->n; i++) {
        sl__gen_stream_next(&s, &b);
        size_t take = sl__gen_buf_pending(&b);
        step = step * 7 % 1009 + 1;
        if (i + 1 < g->n && take > step) take = step;
        h2 = fnv1a(h2, b.p + b.off, take);
        total += take;
        sl__gen_buf_consume(&b, take);
    }
    size_t rest = sl__gen_buf_pending(&b);
    h2 = fnv1a(h2, b.p + b.off, rest);
    total += rest;
    sl__gen_buf_free(&b);
    assert_int_equal(total, g->len);
    assert_true(h2 == g->hash);
}

static const golden cases[] = {
    {"gen iot --seed 1 --rate 0",
     "{\"Arrival_Time\":1584786731021416835,\"Creation_Time\":1584786730776826400,\"Device\":"
     "\"s3mini_1\",\"Index\":3049,\"Model\":\"s3mini\",\"User\":\"e\",\"gt\":\"stairsup\","
     "\"x\":-0.5415218980626113,\"y\":-0.8219082166263281,\"z\":2.3651888874275135}\n"
     "{\"Arrival_Time\":1584786731063169480,\"Creation_Time\":1584786730624604300,\"Device\":"
     "\"s3mini_2\",\"Index\":4456,\"Model\":\"s3mini\",\"User\":\"f\",\"gt\":\"stairsup\","
     "\"x\":-1.2676190405577576,\"y\":0.5667305718672475,\"z\":3.233585631175429}\n"
     "{\"Arrival_Time\":1584786731146249074,\"Creation_Time\":1584786730985415600,\"Device\":"
     "\"s3_1\",\"Index\":195,\"Model\":\"s3\",\"User\":\"c\",\"gt\":\"bike\","
     "\"x\":-1.000141260962255,\"y\":0.44365705111904896,\"z\":0.7599968255877145}\n",
     300000, 65443407, UINT64_C(0x432b3a6410b7377e)},
    {"gen bpm --seed 1 --rate 0",
     "{\"Arrival_Time\":1584786731164448957,\"Creation_Time\":1584786731067644900,\"Device\":"
     "\"s3_1\",\"Index\":2502,\"Model\":\"s3\",\"User\":\"c\",\"bpm\":133}\n"
     "{\"Arrival_Time\":1584786731262106760,\"Creation_Time\":1584786731178099400,\"Device\":"
     "\"nexus4_1\",\"Index\":3253,\"Model\":\"nexus4\",\"User\":\"a\",\"bpm\":121}\n",
     100000, 14359160, UINT64_C(0x056d512d2816ce22)},
    {"gen quotes --seed 1 --rate 0",
     "{\"character\":\"Harpagon\",\"quote\":\"Oui.\"}\n"
     "{\"character\":\"Madame Pernelle\",\"quote\":\"Vous \xc3\xaates, mamie, une fille suivante "
     "un peu trop forte en gueule, et fort impertinente : vous vous m\xc3\xaalez sur tout de dire "
     "votre avis.\"}\n",
     50000, 6337694, UINT64_C(0xe38b2b254bdfc1ff)},
    /* error records, late records, another rate */
    {"gen iot --seed 7 --rate 1000 --error-rate 0.5 --late-fraction 0.5 --max-delay 3",
     "{\"Arrival_Time\":1584786731000555530,\"Creation_Time\":1584786730918350200,\"Device\":"
     "\"s3_1\",\"Index\":3149,\"Model\":\"s3\",\"User\":\"c\",\"gt\":\"stairsup\","
     "\"x\":1.214379806887091,\"y\":-1.1388191858286172,\"z\":0.7228920452975128}\n"
     "{\"Arrival_Time\":1584786731001953332,\"Creation_Time\":1584786730686948800,\"Device\":"
     "\"samsungold_2\",\"Index\":1496,\"Model\":\"samsungold\",\"User\":\"h\",\"gt\":"
     "\"stand\",\"x\":0.10072137071359036,\"y\":0.04775896738203884,\"z\":0.13015412323272457}\n"
     "{\"Arrival_Time\":1584786731002148149,\"Creation_Time\":1584786730911323100,\"Device\":"
     "null,\"Index\":null,\"Model\":null,\"User\":null,\"gt\":null,\"x\":null,\"y\":null,"
     "\"z\":null}\n",
     50000, 9528673, UINT64_C(0x452ec80e6dd3f2b1)},
    /* short integers, a Creation_Time clamped to 0, the largest seed */
    {"gen iot --seed 18446744073709551615 --start-time 0 --error-rate 0 --late-fraction 1",
     "{\"Arrival_Time\":24669330,\"Creation_Time\":0,\"Device\":\"s3mini_2\",\"Index\":2057,"
     "\"Model\":\"s3mini\",\"User\":\"f\",\"gt\":\"stand\",\"x\":0.14766210973655286,"
     "\"y\":0.018704049104137227,\"z\":0.1101670643853279}\n",
     50000, 10309628, UINT64_C(0xfd34d42ba7bdae3a)},
    /* the latest start instant, a fast nominal rate */
    {"gen bpm --seed 3 --rate 100000 --start-time 4102444800 --error-rate 0.2",
     "{\"Arrival_Time\":4102444800000008196,\"Creation_Time\":4102444799968394300,\"Device\":"
     "\"samsungold_1\",\"Index\":4587,\"Model\":\"samsungold\",\"User\":\"g\",\"bpm\":71}\n"
     "{\"Arrival_Time\":4102444800000012378,\"Creation_Time\":4102444799658099500,\"Device\":"
     "null,\"Index\":null,\"Model\":null,\"User\":null,\"bpm\":null}\n",
     50000, 7105803, UINT64_C(0xdfc6c14706c639e2)},
};

static void test_iot(void **state) {
    (void)state;
    check_golden(&cases[0]);
}

static void test_bpm(void **state) {
    (void)state;
    check_golden(&cases[1]);
}

static void test_quotes(void **state) {
    (void)state;
    check_golden(&cases[2]);
}

static void test_options(void **state) {
    (void)state;
    for (size_t i = 3; i < sizeof cases / sizeof cases[0]; i++) check_golden(&cases[i]);
}

static int setup(void **state) {
    (void)state;
    char err[200];
    return sl__gen_corpus_builtin(&corpus, err, sizeof err);
}

static int teardown(void **state) {
    (void)state;
    sl__gen_corpus_free(&corpus);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iot),
        cmocka_unit_test(test_bpm),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
