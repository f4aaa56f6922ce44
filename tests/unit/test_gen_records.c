/*
 * test_gen_records.c — the record generators of `sluice gen` (src/gen):
 * every line is valid JSON with the lab's keys in the lab's order, streams
 * are reproducible from their seed, times behave (Creation_Time <=
 * Arrival_Time, out of order, late share honoured), error records have the
 * right shape and share, bpm values are plausible per activity, iot and bpm
 * share an activity schedule, and quotes come from the built-in corpus.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen/gen.h"

/* ---- a strict parser for flat JSON objects (what the generators emit) ---- */

enum { J_STR, J_NUM, J_NULL, J_BOOL };

typedef struct jfield {
    char key[32];
    int kind;
    char text[1024]; /* decoded string, or the number's text */
} jfield;

typedef struct jobj {
    jfield f[16];
    int n;
} jobj;

static const char *skip_ws(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

/* Parses a JSON string at p (at the opening quote) into out; NULL if bad. */
static const char *parse_str(const char *p, char *out, size_t cap) {
    if (*p++ != '"') return NULL;
    size_t n = 0;
    while (*p != '"') {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20) return NULL; /* raw control characters are not allowed */
        char ch = *p++;
        if (c == '\\') {
            char e = *p++;
            switch (e) {
            case '"': ch = '"'; break;
            case '\\': ch = '\\'; break;
            case '/': ch = '/'; break;
            case 'b': ch = '\b'; break;
            case 'f': ch = '\f'; break;
            case 'n': ch = '\n'; break;
            case 'r': ch = '\r'; break;
            case 't': ch = '\t'; break;
            case 'u': {
                unsigned v = 0;
                for (int i = 0; i < 4; i++) {
                    char h = *p++;
                    v <<= 4;
                    if (h >= '0' && h <= '9')
                        v |= (unsigned)(h - '0');
                    else if (h >= 'a' && h <= 'f')
                        v |= (unsigned)(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F')
                        v |= (unsigned)(h - 'A' + 10);
                    else
                        return NULL;
                }
                if (v >= 0x80) return NULL; /* generators only escape ASCII */
                ch = (char)v;
                break;
            }
            default: return NULL;
            }
        }
        if (n + 1 >= cap) return NULL;
        out[n++] = ch;
    }
    out[n] = '\0';
    return p + 1;
}

static const char *parse_num(const char *p, char *out, size_t cap) {
    const char *s = p;
    if (*p == '-') p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9') p++;
    else
        return NULL;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9')) return NULL;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return NULL;
        while (*p >= '0' && *p <= '9') p++;
    }
    if ((size_t)(p - s) >= cap) return NULL;
    memcpy(out, s, (size_t)(p - s));
    out[p - s] = '\0';
    return p;
}

/* Parses one line "{...}\n"; true if it is a valid flat JSON object. */
static bool parse_line(const char *line, size_t len, jobj *o) {
    char buf[4096];
    if (len == 0 || len >= sizeof buf || line[len - 1] != '\n') return false;
    memcpy(buf, line, len - 1);
    buf[len - 1] = '\0';
    if (memchr(buf, '\n', len - 1)) return false;
    const char *p = skip_ws(buf);
    o->n = 0;
    if (*p++ != '{') return false;
    p = skip_ws(p);
    if (*p == '}') return *skip_ws(p + 1) == '\0';
    for (;;) {
        if (o->n == 16) return false;
        jfield *f = &o->f[o->n++];
        if (!(p = parse_str(p, f->key, sizeof f->key))) return false;
        p = skip_ws(p);
        if (*p++ != ':') return false;
        p = skip_ws(p);
        if (*p == '"') {
            f->kind = J_STR;
            p = parse_str(p, f->text, sizeof f->text);
        } else if (strncmp(p, "null", 4) == 0) {
            f->kind = J_NULL;
            p += 4;
        } else if (strncmp(p, "true", 4) == 0 || strncmp(p, "false", 5) == 0) {
            f->kind = J_BOOL;
            p += *p == 't' ? 4 : 5;
        } else {
            f->kind = J_NUM;
            p = parse_num(p, f->text, sizeof f->text);
        }
        if (!p) return false;
        p = skip_ws(p);
        if (*p == '}') return *skip_ws(p + 1) == '\0';
        if (*p++ != ',') return false;
        p = skip_ws(p);
    }
}

static void check_keys(const jobj *o, const char *const *keys, int n) {
    assert_int_equal(o->n, n);
    for (int i = 0; i < n; i++) assert_string_equal(o->f[i].key, keys[i]);
}

/* ---- helpers ---- */

static sl__gen_corpus corpus;

static sl__gen_params params(sl__gen_kind kind) {
    sl__gen_params p;
    memset(&p, 0, sizeof p);
    p.kind = kind;
    p.period_ns = 50 * INT64_C(1000000);
    p.error_rate = 0.03;
    p.late_fraction = 0.02;
    p.max_delay_ns = 10 * SL__GEN_NS_PER_S;
    p.sched_key = 42;
    p.corpus = &corpus;
    return p;
}

static const int64_t START = SL__GEN_DEFAULT_START_S * SL__GEN_NS_PER_S;

/* Generates n lines of a stream into one buffer. */
static void gen_lines(const sl__gen_params *p, uint64_t seed, int64_t start, int n,
                      sl__gen_buf *out) {
    sl__gen_stream s;
    sl__gen_stream_init(&s, p, seed, start);
    for (int i = 0; i < n; i++) sl__gen_stream_next(&s, out);
}

/* Calls fn on each parsed line of buf. */
typedef void (*line_fn)(const jobj *o, void *ctx);
static int each_line(const sl__gen_buf *b, line_fn fn, void *ctx) {
    int count = 0;
    const char *p = b->p + b->off, *end = b->p + b->len;
    jobj *o = malloc(sizeof *o);
    assert_non_null(o);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        assert_non_null(nl);
        if (!parse_line(p, (size_t)(nl - p + 1), o))
            fail_msg("invalid JSON line: %.*s", (int)(nl - p), p);
        fn(o, ctx);
        count++;
        p = nl + 1;
    }
    free(o);
    return count;
}

static int64_t num_i64(const jfield *f) {
    assert_int_equal(f->kind, J_NUM);
    assert_null(strpbrk(f->text, ".eE"));
    return strtoll(f->text, NULL, 10);
}

static const jfield *field(const jobj *o, const char *key) {
    for (int i = 0; i < o->n; i++)
        if (strcmp(o->f[i].key, key) == 0) return &o->f[i];
    static const jfield none = {.kind = J_NULL};
    fail_msg("missing key %s", key);
    return &none; /* not reached */
}

static int user_index(const char *u) {
    assert_int_equal(strlen(u), 1);
    assert_true(u[0] >= 'a' && u[0] <= 'i');
    return u[0] - 'a';
}

static sl__gen_activity activity_of(const char *gt) {
    for (int a = 0; a < SL__GEN_NACTIVITIES; a++)
        if (strcmp(gt, sl__gen_activity_name((sl__gen_activity)a)) == 0) return (sl__gen_activity)a;
    fail_msg("unknown activity %s", gt);
    return SL__GEN_NULL;
}

/* ---- tests ---- */

static void test_determinism(void **state) {
    (void)state;
    for (int k = 0; k < 3; k++) {
        sl__gen_params p = params((sl__gen_kind)k);
        sl__gen_buf a = {0}, b = {0}, c = {0};
        gen_lines(&p, 7, START, 2000, &a);
        gen_lines(&p, 7, START, 2000, &b);
        gen_lines(&p, 8, START, 2000, &c);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.p, b.p, a.len);
        assert_true(a.len != c.len || memcmp(a.p, c.p, a.len) != 0);
        sl__gen_buf_free(&a);
        sl__gen_buf_free(&b);
        sl__gen_buf_free(&c);
    }
}

typedef struct iot_stats {
    int n, errors, out_of_order, late;
    int64_t prev_arrival, prev_creation, max_delay;
    int64_t next_index[SL__GEN_NUSERS];
    bool seen_index[SL__GEN_NUSERS];
    int64_t start;
    const sl__gen_params *p;
    size_t max_len;
} iot_stats;

static void check_times(const jobj *o, iot_stats *st) {
    int64_t arr = num_i64(field(o, "Arrival_Time"));
    int64_t cre = num_i64(field(o, "Creation_Time"));
    assert_true(cre <= arr);
    assert_int_equal(cre % 100, 0);
    assert_true(arr >= st->start + st->n * st->p->period_ns);
    assert_true(arr < st->start + (st->n + 1) * st->p->period_ns);
    if (st->n > 0) {
        assert_true(arr > st->prev_arrival);
        if (cre < st->prev_creation) st->out_of_order++;
    }
    int64_t delay = arr - cre;
    assert_true(delay <= st->p->max_delay_ns);
    if (delay >= SL__GEN_NORMAL_DELAY_NS) st->late++;
    if (delay > st->max_delay) st->max_delay = delay;
    st->prev_arrival = arr;
    st->prev_creation = cre;
}

static void check_device(const jobj *o, iot_stats *st, int u) {
    const sl__gen_user *usr = &sl__gen_users[u];
    assert_string_equal(field(o, "Device")->text, usr->device);
    assert_string_equal(field(o, "Model")->text, usr->model);
    /* Device is <model>_<n> */
    size_t ml = strlen(usr->model);
    assert_memory_equal(usr->device, usr->model, ml);
    assert_int_equal(usr->device[ml], '_');
    int64_t idx = num_i64(field(o, "Index"));
    if (st->seen_index[u]) assert_int_equal(idx, st->next_index[u]);
    st->seen_index[u] = true;
    st->next_index[u] = idx + 1;
}

static void iot_line(const jobj *o, void *ctx) {
    static const char *const keys[] = {
        "Arrival_Time", "Creation_Time", "Device", "Index", "Model", "User", "gt", "x", "y", "z"};
    iot_stats *st = ctx;
    check_keys(o, keys, 10);
    check_times(o, st);
    if (o->f[2].kind == J_NULL) {
        for (int i = 2; i < 10; i++) assert_int_equal(o->f[i].kind, J_NULL);
        st->errors++;
    } else {
        for (int i = 2; i < 7; i++)
            if (i != 3) assert_int_equal(o->f[i].kind, J_STR);
        int u = user_index(field(o, "User")->text);
        check_device(o, st, u);
        sl__gen_activity a = activity_of(field(o, "gt")->text);
        assert_int_equal(
            a, sl__gen_activity_at(st->p->sched_key, u, num_i64(field(o, "Creation_Time"))));
        for (int i = 7; i < 10; i++) {
            assert_int_equal(o->f[i].kind, J_NUM);
            assert_non_null(strpbrk(o->f[i].text, ".eE")); /* a double, not an integer */
            double v = strtod(o->f[i].text, NULL);
            char again[40];
            sl__gen_fmt_double(again, v);
            assert_string_equal(again, o->f[i].text); /* shortest round trip */
        }
    }
    st->n++;
}

static void test_iot_records(void **state) {
    (void)state;
    sl__gen_params p = params(SL__GEN_IOT);
    sl__gen_buf b = {0};
    gen_lines(&p, 123, START, 20000, &b);
    iot_stats st = {.start = START, .p = &p};
    assert_int_equal(each_line(&b, iot_line, &st), 20000);
    /* error share 3 % (sd 0.12 %), late share 2 % (sd 0.1 %) */
    assert_in_range(st.errors, 450, 750);
    assert_in_range(st.late, 280, 520);
    assert_true(st.out_of_order > 1000); /* delays 0-500 ms, arrivals every 50 ms */
    assert_true(st.max_delay > 5 * SL__GEN_NS_PER_S);
    /* about 230 bytes a record */
    assert_in_range(b.len / 20000, 190, 260);
    sl__gen_buf_free(&b);
}

static void test_iot_sample_shape(void **state) {
    (void)state;
    /* The first line: one line, keys in the lab's order, starts at the fixed
     * instant of seeded runs. */
    sl__gen_params p = params(SL__GEN_IOT);
    p.error_rate = 0;
    sl__gen_buf b = {0};
    gen_lines(&p, 1, START, 1, &b);
    assert_memory_equal(b.p, "{\"Arrival_Time\":15847867310", 27);
    assert_non_null(strstr(b.p, ",\"Creation_Time\":"));
    assert_non_null(strstr(b.p, ",\"Device\":\""));
    assert_non_null(strstr(b.p, ",\"gt\":\""));
    assert_int_equal(b.p[b.len - 1], '\n');
    assert_int_equal(b.p[b.len - 2], '}');
    sl__gen_buf_free(&b);
}

static void test_error_rate_extremes(void **state) {
    (void)state;
    sl__gen_params p = params(SL__GEN_IOT);
    p.error_rate = 1;
    sl__gen_buf b = {0};
    gen_lines(&p, 3, START, 500, &b);
    iot_stats st = {.start = START, .p = &p};
    each_line(&b, iot_line, &st);
    assert_int_equal(st.errors, 500);
    sl__gen_buf_free(&b);

    p.error_rate = 0;
    gen_lines(&p, 3, START, 5000, &b);
    iot_stats st2 = {.start = START, .p = &p};
    each_line(&b, iot_line, &st2);
    assert_int_equal(st2.errors, 0);
    sl__gen_buf_free(&b);
}

static void test_late_fraction(void **state) {
    (void)state;
    sl__gen_params p = params(SL__GEN_IOT);
    p.late_fraction = 0.25;
    p.max_delay_ns = 3 * SL__GEN_NS_PER_S;
    sl__gen_buf b = {0};
    gen_lines(&p, 9, START, 20000, &b);
    iot_stats st = {.start = START, .p = &p};
    each_line(&b, iot_line, &st);
    assert_in_range(st.late, 4600, 5400); /* 25 % of 20000, sd 61 */
    assert_true(st.max_delay <= 3 * SL__GEN_NS_PER_S);
    assert_true(st.max_delay > 2 * SL__GEN_NS_PER_S);
    sl__gen_buf_free(&b);

    p.late_fraction = 0;
    gen_lines(&p, 9, START, 5000, &b);
    iot_stats st2 = {.start = START, .p = &p};
    each_line(&b, iot_line, &st2);
    assert_int_equal(st2.late, 0);
    sl__gen_buf_free(&b);
}

typedef struct bpm_stats {
    iot_stats t;
    double sum[SL__GEN_NACTIVITIES];
    int cnt[SL__GEN_NACTIVITIES];
} bpm_stats;

static void bpm_line(const jobj *o, void *ctx) {
    static const char *const keys[] = {"Arrival_Time", "Creation_Time", "Device", "Index",
                                       "Model",        "User",          "bpm"};
    bpm_stats *st = ctx;
    check_keys(o, keys, 7);
    check_times(o, &st->t);
    if (o->f[2].kind == J_NULL) {
        for (int i = 2; i < 7; i++) assert_int_equal(o->f[i].kind, J_NULL);
        st->t.errors++;
    } else {
        int u = user_index(field(o, "User")->text);
        check_device(o, &st->t, u);
        int64_t bpm = num_i64(field(o, "bpm"));
        assert_in_range(bpm, 40, 200);
        sl__gen_activity a =
            sl__gen_activity_at(st->t.p->sched_key, u, num_i64(field(o, "Creation_Time")));
        st->sum[a] += (double)bpm;
        st->cnt[a]++;
    }
    st->t.n++;
}

static void test_bpm_records(void **state) {
    (void)state;
    sl__gen_params p = params(SL__GEN_BPM);
    p.period_ns = 200 * INT64_C(1000000);
    sl__gen_buf b = {0};
    gen_lines(&p, 5, START, 20000, &b);
    bpm_stats st = {.t = {.start = START, .p = &p}};
    assert_int_equal(each_line(&b, bpm_line, &st), 20000);
    assert_in_range(st.t.errors, 450, 750);
    for (int a = 0; a < SL__GEN_NACTIVITIES; a++) assert_true(st.cnt[a] > 100);
    double sit = st.sum[SL__GEN_SIT] / st.cnt[SL__GEN_SIT];
    double walk = st.sum[SL__GEN_WALK] / st.cnt[SL__GEN_WALK];
    double bike = st.sum[SL__GEN_BIKE] / st.cnt[SL__GEN_BIKE];
    double up = st.sum[SL__GEN_STAIRSUP] / st.cnt[SL__GEN_STAIRSUP];
    assert_true(sit > 55 && sit < 80);
    assert_true(walk > sit + 20);
    assert_true(bike > walk + 10);
    assert_true(up > walk + 10);
    sl__gen_buf_free(&b);
}

static void test_schedule(void **state) {
    (void)state;
    /* A pure function, constant within 30 s slots, varied over an hour,
     * different between users. */
    int distinct_total = 0, changes = 0;
    for (int u = 0; u < SL__GEN_NUSERS; u++) {
        bool seen[SL__GEN_NACTIVITIES] = {false};
        sl__gen_activity prev = sl__gen_activity_at(42, u, START);
        for (int64_t t = START; t < START + 3600 * SL__GEN_NS_PER_S; t += SL__GEN_NS_PER_S) {
            sl__gen_activity a = sl__gen_activity_at(42, u, t);
            assert_int_equal(a, sl__gen_activity_at(42, u, t));
            if (a != prev) changes++;
            prev = a;
            seen[a] = true;
        }
        for (int a = 0; a < SL__GEN_NACTIVITIES; a++) distinct_total += seen[a];
    }
    assert_true(distinct_total >= 9 * 6);
    /* at most one change per 30 s slot: 120 slots an hour, 9 users */
    assert_true(changes <= 9 * 121);
    assert_true(changes > 9 * 60);
    /* another key, another schedule */
    int differ = 0;
    for (int64_t t = START; t < START + 3600 * SL__GEN_NS_PER_S; t += SL__GEN_SLOT_NS)
        differ += sl__gen_activity_at(42, 0, t) != sl__gen_activity_at(43, 0, t);
    assert_true(differ > 60);
}

typedef struct quote_stats {
    int n;
    bool first_seen[400];
} quote_stats;

static void quote_line(const jobj *o, void *ctx) {
    static const char *const keys[] = {"character", "quote"};
    quote_stats *st = ctx;
    check_keys(o, keys, 2);
    assert_int_equal(o->f[0].kind, J_STR);
    assert_int_equal(o->f[1].kind, J_STR);
    bool found = false;
    for (size_t i = 0; i < corpus.n && !found; i++) {
        if (strcmp(corpus.q[i].character, o->f[0].text) == 0 &&
            strcmp(corpus.q[i].quote, o->f[1].text) == 0) {
            found = true;
            if (i < 400) st->first_seen[i] = true;
        }
    }
    assert_true(found);
    st->n++;
}

static void test_quotes_records(void **state) {
    (void)state;
    assert_true(corpus.n >= 200);
    sl__gen_params p = params(SL__GEN_QUOTES);
    sl__gen_buf b = {0};
    gen_lines(&p, 11, START, 5000, &b);
    quote_stats st = {0};
    assert_int_equal(each_line(&b, quote_line, &st), 5000);
    int seen = 0;
    for (size_t i = 0; i < corpus.n && i < 400; i++) seen += st.first_seen[i];
    assert_true(seen > (int)corpus.n * 9 / 10); /* uniform draws cover the corpus */
    /* French text goes out as UTF-8, not \u escapes */
    assert_non_null(memmem(b.p, b.len, "\xc3\xa9", 2)); /* é */
    sl__gen_buf_free(&b);
}

static void test_quotes_escaping(void **state) {
    (void)state;
    const char text[] = "# comment\n"
                        "Le \"Comte\"\tUn \\ deux\ttrois \x01 \xc5\x93uvre\r\n";
    sl__gen_corpus c;
    char err[200];
    assert_int_equal(sl__gen_corpus_parse(&c, text, sizeof text - 1, err, sizeof err), 0);
    sl__gen_params p = params(SL__GEN_QUOTES);
    p.corpus = &c;
    sl__gen_buf b = {0};
    gen_lines(&p, 1, START, 1, &b);
    const char want[] = "{\"character\":\"Le \\\"Comte\\\"\","
                        "\"quote\":\"Un \\\\ deux\\ttrois \\u0001 \xc5\x93uvre\"}\n";
    assert_int_equal(b.len, sizeof want - 1);
    assert_memory_equal(b.p, want, b.len);
    jobj o;
    assert_true(parse_line(b.p, b.len, &o));
    assert_string_equal(o.f[1].text, "Un \\ deux\ttrois \x01 \xc5\x93uvre");
    sl__gen_buf_free(&b);
    sl__gen_corpus_free(&c);
}

static void test_streams_differ_by_kind(void **state) {
    (void)state;
    /* iot and bpm of one seed must not pick users in lockstep */
    sl__gen_params pi = params(SL__GEN_IOT), pb = params(SL__GEN_BPM);
    sl__gen_stream si, sb;
    sl__gen_stream_init(&si, &pi, 5, START);
    sl__gen_stream_init(&sb, &pb, 5, START);
    int same = 0;
    for (int i = 0; i < 200; i++) {
        sl__gen_buf x = {0}, y = {0};
        sl__gen_stream_next(&si, &x);
        sl__gen_stream_next(&sb, &y);
        const char *ux = strstr(x.p, "\"User\":"), *uy = strstr(y.p, "\"User\":");
        if (ux && uy && ux[8] == uy[8]) same++;
        sl__gen_buf_free(&x);
        sl__gen_buf_free(&y);
    }
    assert_true(same < 60); /* 1/9 expected: 22 of 200 */
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
        cmocka_unit_test(test_determinism),      cmocka_unit_test(test_iot_records),
        cmocka_unit_test(test_iot_sample_shape), cmocka_unit_test(test_error_rate_extremes),
        cmocka_unit_test(test_late_fraction),    cmocka_unit_test(test_bpm_records),
        cmocka_unit_test(test_schedule),         cmocka_unit_test(test_quotes_records),
        cmocka_unit_test(test_quotes_escaping),  cmocka_unit_test(test_streams_differ_by_kind),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
