/*
 * test_sink_files.c — the file sink (src/stream/sinks/files.c), driven
 * through its vtable with batches built from chunks: option and output-mode
 * checks at START (R42, R43, R7(d)), JSON-lines and CSV part files (NULL
 * fields, header, separators, time zones), temporary names renamed into
 * place, the per-batch log, replayed batches skipped (exactly-once, R43),
 * recovery of what a crash left, and disk errors that leave nothing half
 * written.
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "stream/stream.h"
#include "types/tz.h"

/* sinks/files.c: the START-time check (called by sinks/sink.c). */
sl_status sl__snk_files_check(const sl__kv *opts, uint32_t n, sl__out_mode mode, sl__err *err);

static char root[256];
static int seq;

/* ---- helpers ---------------------------------------------------------------------- */

static const sl__type *ddl(const char *s) {
    const sl__type *t;
    sl__err err;
    sl__err_clear(&err);
    if (sl__schema_parse(s, strlen(s), &t, &err) != SL_OK) fail_msg("%s: %s", s, err.msg);
    return t;
}

/* A fresh directory name under root (not created). */
static const char *fresh(char *buf, size_t n) {
    snprintf(buf, n, "%s/out%d", root, ++seq);
    return buf;
}

static char *slurp(const char *dir, const char *name) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "rb");
    if (!f) return NULL;
    char *s = malloc(1 << 16);
    size_t n = fread(s, 1, (1 << 16) - 1, f);
    s[n] = 0;
    fclose(f);
    return s;
}

static void expect_file(const char *dir, const char *name, const char *want) {
    char *got = slurp(dir, name);
    if (!got) fail_msg("%s/%s is missing", dir, name);
    if (strcmp(got, want) != 0) fail_msg("%s\n  got:\n%s\n  want:\n%s", name, got, want);
    free(got);
}

/* The names in a directory (without . and ..), sorted, joined by spaces. */
static void listing(const char *dir, char *out, size_t n) {
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *names[64];
    int k = 0;
    struct dirent *de;
    while ((de = readdir(d)) && k < 64)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) names[k++] = strdup(de->d_name);
    closedir(d);
    for (int i = 1; i < k; i++)
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    out[0] = 0;
    for (int i = 0; i < k; i++) {
        if (i) strncat(out, " ", n - strlen(out) - 1);
        strncat(out, names[i], n - strlen(out) - 1);
        free(names[i]);
    }
}

static void expect_listing(const char *dir, const char *want) {
    char got[2048];
    listing(dir, got, sizeof got);
    if (strcmp(got, want) != 0) fail_msg("%s\n  got:  %s\n  want: %s", dir, got, want);
}

/* Options as key/value pairs, NULL-terminated. */
typedef struct opts {
    sl__kv kv[16];
    uint32_t n;
} opts;

static opts mk_opts(const char *k, ...) {
    opts o;
    memset(&o, 0, sizeof o);
    va_list ap;
    va_start(ap, k);
    for (; k; k = va_arg(ap, const char *)) {
        o.kv[o.n].key = (char *)k;
        o.kv[o.n].value = (char *)va_arg(ap, const char *);
        o.n++;
    }
    va_end(ap);
    return o;
}

/* A batch of the schema id BIGINT, name STRING, ts TIMESTAMP, tags ARRAY<STRING>:
 * row i has id i, name names[i] (NULL: NULL), ts 2024-01-01T12:00:00Z + i
 * hours for even i and NULL for odd i, tags ["a", "b"] for i = 0 only. */
static const sl__type *row_schema(void) {
    return ddl("id BIGINT, name STRING, ts TIMESTAMP, tags ARRAY<STRING>");
}

#define T0 1704110400000000LL /* 2024-01-01T12:00:00Z */

static sl__chunk *mk_chunk(const char *const *names, uint32_t n, int64_t first_id) {
    const sl__type *s = row_schema();
    sl__chunk *c = calloc(1, sizeof *c);
    sl__chunk_init(c, s, n ? n : 1);
    for (uint32_t i = 0; i < n; i++) {
        SL_VEC_DATA(c->cols[0], int64_t)[i] = first_id + i;
        if (names[i])
            sl__vec_set_str_copy(c->cols[1], i, names[i], strlen(names[i]));
        else
            sl__vec_set_null(c->cols[1], i);
        if (i % 2 == 0)
            SL_VEC_DATA(c->cols[2], int64_t)[i] = T0 + (int64_t)i * 3600000000LL;
        else
            sl__vec_set_null(c->cols[2], i);
        if (i == 0) {
            uint32_t at = sl__vec_list_append(c->cols[3], i, 2);
            sl__vec_set_str_copy(c->cols[3]->child[0], at, "a", 1);
            sl__vec_set_str_copy(c->cols[3]->child[0], at + 1, "b", 1);
        } else {
            sl__vec_set_null(c->cols[3], i);
        }
    }
    c->n = n;
    return c;
}

static sl__sink_batch mk_batch(int64_t id, sl__chunk *c, const sl__tz *tz) {
    sl__sink_batch b;
    memset(&b, 0, sizeof b);
    b.batch_id = id;
    b.schema = row_schema();
    b.chunks = c;
    b.n_chunks = c ? 1 : 0;
    b.rows = c ? c->n : 0;
    b.mode = SL_MODE_APPEND;
    b.tz = tz;
    return b;
}

static void free_chunk(sl__chunk *c) {
    if (!c) return;
    sl__chunk_free(c);
    free(c);
}

typedef struct sink_h {
    sl__sink k;
    opts o;
} sink_h;

static sl_status open_sink(sink_h *h, opts o, sl__err *err) {
    memset(h, 0, sizeof *h);
    h->o = o;
    h->k.vt = &sl__snk_files_vt;
    h->k.query_name = "q";
    h->k.opts = h->o.kv;
    h->k.n_opts = h->o.n;
    sl__err_clear(err);
    return h->k.vt->open(&h->k, err);
}

static void close_sink(sink_h *h) {
    h->k.vt->close(&h->k);
}

/* Writes one batch of the given names; asserts success. */
static void write_names(sink_h *h, int64_t id, const char *const *names, uint32_t n) {
    sl__chunk *c = n ? mk_chunk(names, n, 0) : NULL;
    sl__sink_batch b = mk_batch(id, c, NULL);
    sl__err err;
    sl__err_clear(&err);
    if (h->k.vt->write(&h->k, &b, &err) != SL_OK)
        fail_msg("batch %lld: %s", (long long)id, err.msg);
    free_chunk(c);
}

static void check_opts(opts o, sl__out_mode mode, const char *phrase) {
    sl__err err;
    sl__err_clear(&err);
    sl_status st = sl__snk_files_check(o.kv, o.n, mode, &err);
    if (!phrase) {
        if (st != SL_OK) fail_msg("rejected: %s", err.msg);
        return;
    }
    if (st == SL_OK) fail_msg("accepted, want '%s'", phrase);
    assert_int_equal(st, SL_ERR_ANALYSIS);
    if (!strstr(err.msg, phrase)) fail_msg("message: %s\n  lacks: %s", err.msg, phrase);
}

static int setup(void **state) {
    (void)state;
    snprintf(root, sizeof root, "/tmp/sluice_sink_files_XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- checks at START ---------------------------------------------------------------- */

static void test_r42_modes(void **state) {
    (void)state;
    opts o = mk_opts("path", "/tmp/x", "checkpointLocation", "/tmp/c", NULL);
    check_opts(o, SL_MODE_APPEND, NULL);
    check_opts(o, SL_MODE_UPDATE, "Data source json does not support Update output mode");
    check_opts(o, SL_MODE_COMPLETE, "Data source json does not support Complete output mode");
    o = mk_opts("path", "/tmp/x", "checkpointLocation", "/tmp/c", "format", "CSV", NULL);
    check_opts(o, SL_MODE_COMPLETE, "Data source csv does not support Complete output mode");
}

static void test_r43_path_required(void **state) {
    (void)state;
    check_opts(mk_opts("checkpointLocation", "/tmp/c", NULL), SL_MODE_APPEND,
               "'path' is not specified");
    check_opts(mk_opts("path", "", "checkpointLocation", "/tmp/c", NULL), SL_MODE_APPEND,
               "'path' is not specified");
}

static void test_r7_checkpoint_required(void **state) {
    (void)state;
    check_opts(mk_opts("path", "/tmp/x", NULL), SL_MODE_APPEND,
               "checkpointLocation must be specified");
}

static void test_check_options(void **state) {
    (void)state;
    check_opts(mk_opts("path", "/x", "checkpointLocation", "/c", "format", "parquet", NULL),
               SL_MODE_APPEND, "unknown format 'parquet' for the files sink");
    check_opts(mk_opts("path", "/x", "checkpointLocation", "/c", "header", "yes", NULL),
               SL_MODE_APPEND, "option header must be true or false");
    check_opts(mk_opts("path", "/x", "checkpointLocation", "/c", "maxRecordsPerFile", "-1", NULL),
               SL_MODE_APPEND, "option maxRecordsPerFile must be an integer");
    check_opts(mk_opts("path", "/x", "checkpointLocation", "/c", "quote", "ab", NULL),
               SL_MODE_APPEND, "option quote must be a single character");
    check_opts(mk_opts("path", "/x", "checkpointLocation", "/c", "format", "json", "header",
                       "false", "sep", ";", NULL),
               SL_MODE_APPEND, NULL);
}

/* ---- output ------------------------------------------------------------------------ */

static const char *const three[] = {"ann", NULL, "c, \"d\""};

static void test_json_part_file(void **state) {
    (void)state;
    char dir[300];
    fresh(dir, sizeof dir);
    sink_h h;
    sl__err err;
    assert_int_equal(open_sink(&h, mk_opts("path", dir, NULL), &err), SL_OK);
    write_names(&h, 0, three, 3);
    /* NULL fields are left out, as Spark's JSON writer does */
    const char *want =
        "{\"id\":0,\"name\":\"ann\",\"ts\":\"2024-01-01T12:00:00.000Z\",\"tags\":[\"a\","
        "\"b\"]}\n"
        "{\"id\":1}\n"
        "{\"id\":2,\"name\":\"c, \\\"d\\\"\",\"ts\":\"2024-01-01T14:00:00.000Z\"}\n";
    expect_file(dir, "part-00000-00000.json", want);
    expect_listing(dir, "_sluice_metadata part-00000-00000.json");
    char meta[320];
    snprintf(meta, sizeof meta, "%s/_sluice_metadata", dir);
    expect_listing(meta, "0");
    char *log = slurp(meta, "0");
    assert_non_null(log);
    assert_true(strncmp(log, "v1\n{\"path\":\"", 12) == 0);
    char size[80];
    snprintf(size, sizeof size, "/part-00000-00000.json\",\"size\":%zu,\"isDir\":false,",
             strlen(want));
    if (!strstr(log, size)) fail_msg("%s\n  lacks: %s", log, size);
    assert_non_null(strstr(log, "\"action\":\"add\"}\n"));
    free(log);
    close_sink(&h);
}

static void test_csv_part_file(void **state) {
    (void)state;
    char dir[300];
    fresh(dir, sizeof dir);
    sink_h h;
    sl__err err;
    assert_int_equal(open_sink(&h, mk_opts("path", dir, "format", "csv", NULL), &err), SL_OK);
    write_names(&h, 0, three, 3);
    write_names(&h, 1, three, 1);
    /* a header line in every file; NULL is empty; quotes escaped with '\' */
    expect_file(dir, "part-00000-00000.csv",
                "id,name,ts,tags\n"
                "0,ann,2024-01-01T12:00:00.000Z,\"[a, b]\"\n"
                "1,,,\n"
                "2,\"c, \\\"d\\\"\",2024-01-01T14:00:00.000Z,\n");
    expect_file(dir, "part-00001-00000.csv",
                "id,name,ts,tags\n0,ann,2024-01-01T12:00:00.000Z,\"[a, b]\"\n");
    close_sink(&h);

    fresh(dir, sizeof dir);
    assert_int_equal(open_sink(&h,
                               mk_opts("path", dir, "format", "csv", "header", "false", "sep", ";",
                                       "nullValue", "NA", NULL),
                               &err),
                     SL_OK);
    write_names(&h, 7, three, 2);
    expect_file(dir, "part-00007-00000.csv",
                "0;ann;2024-01-01T12:00:00.000Z;[a, b]\n"
                "1;NA;NA;NA\n");
    close_sink(&h);
}

/* Timestamps in the session zone, with the offset of each instant (DST). */
static void test_time_zone(void **state) {
    (void)state;
    sl__err err;
    sl__err_clear(&err);
    const sl__tz *paris = sl__tz_get("Europe/Paris", &err);
    if (!paris) skip();
    char dir[300];
    fresh(dir, sizeof dir);
    sink_h h;
    assert_int_equal(
        open_sink(&h, mk_opts("path", dir, "format", "csv", "header", "false", NULL), &err), SL_OK);
    const char *const one[] = {"x"};
    sl__chunk *c = mk_chunk(one, 1, 0);
    SL_VEC_DATA(c->cols[2], int64_t)[0] = 1719835200000000LL; /* 2024-07-01T12:00:00Z */
    sl__sink_batch b = mk_batch(0, c, paris);
    assert_int_equal(h.k.vt->write(&h.k, &b, &err), SL_OK);
    expect_file(dir, "part-00000-00000.csv", "0,x,2024-07-01T14:00:00.000+02:00,\"[a, b]\"\n");
    close_sink(&h);
    free_chunk(c);

    fresh(dir, sizeof dir);
    assert_int_equal(open_sink(&h, mk_opts("path", dir, NULL), &err), SL_OK);
    c = mk_chunk(one, 1, 0); /* January: +01:00 */
    b = mk_batch(0, c, paris);
    assert_int_equal(h.k.vt->write(&h.k, &b, &err), SL_OK);
    expect_file(dir, "part-00000-00000.json",
                "{\"id\":0,\"name\":\"x\",\"ts\":\"2024-01-01T13:00:00.000+01:00\",\"tags\":[\"a\","
                "\"b\"]}\n");
    close_sink(&h);
    free_chunk(c);
}

static void test_max_records_per_file(void **state) {
    (void)state;
    char dir[300];
    fresh(dir, sizeof dir);
    sink_h h;
    sl__err err;
    assert_int_equal(open_sink(&h, mk_opts("path", dir, "maxRecordsPerFile", "2", NULL), &err),
                     SL_OK);
    const char *const five[] = {"a", "b", "c", "d", "e"};
    write_names(&h, 3, five, 5);
    expect_listing(dir, "_sluice_metadata part-00003-00000.json part-00003-00001.json "
                        "part-00003-00002.json");
    expect_file(dir, "part-00003-00002.json",
                "{\"id\":4,\"name\":\"e\",\"ts\":\"2024-01-01T16:00:"
                "00.000Z\"}\n");
    char meta[320];
    snprintf(meta, sizeof meta, "%s/_sluice_metadata", dir);
    char *log = slurp(meta, "3");
    int lines = 0;
    for (char *p = log; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 4); /* v1 + three files */
    free(log);
    close_sink(&h);
}

/* An empty batch writes no data file, but its log entry (the batch is done). */
static void test_empty_batch(void **state) {
    (void)state;
    char dir[300];
    fresh(dir, sizeof dir);
    sink_h h;
    sl__err err;
    assert_int_equal(open_sink(&h, mk_opts("path", dir, NULL), &err), SL_OK);
    write_names(&h, 0, NULL, 0);
    sl__chunk *c = mk_chunk(NULL, 0, 0); /* a chunk without rows */
    sl__sink_batch b = mk_batch(1, c, NULL);
    assert_int_equal(h.k.vt->write(&h.k, &b, &err), SL_OK);
    free_chunk(c);
    expect_listing(dir, "_sluice_metadata");
    char meta[320];
    snprintf(meta, sizeof meta, "%s/_sluice_metadata", dir);
    expect_listing(meta, "0 1");
    expect_file(meta, "0", "v1\n");
    close_sink(&h);
}

/* R43: a batch whose log entry exists is not written again. */
static void test_r43_replay_skipped(void **state) {
    (void)state;
    char dir[300];
    fresh(dir, sizeof dir);
    sink_h h;
    sl__err err;
    assert_int_equal(open_sink(&h, mk_opts("path", dir, NULL), &err), SL_OK);
    const char *const one[] = {"first"}, *const other[] = {"replayed"};
    write_names(&h, 0, one, 1);
    write_names(&h, 0, other, 1); /* the same batch again */
    expect_listing(dir, "_sluice_metadata part-00000-00000.json");
    expect_file(dir, "part-00000-00000.json",
                "{\"id\":0,\"name\":\"first\",\"ts\":\"2024-01-01T12:00:00.000Z\",\"tags\":[\"a\","
                "\"b\"]}\n");
    close_sink(&h);

    /* after a restart: batch 0 is skipped, batch 1 written */
    assert_int_equal(open_sink(&h, mk_opts("path", dir, NULL), &err), SL_OK);
    write_names(&h, 0, other, 1);
    write_names(&h, 1, other, 1);
    expect_listing(dir, "_sluice_metadata part-00000-00000.json part-00001-00000.json");
    char *s = slurp(dir, "part-00000-00000.json");
    assert_non_null(strstr(s, "first"));
    free(s);
    close_sink(&h);
}

/* No temporary stays behind; what a crash left is cleaned up at open. */
static void test_temp_and_recovery(void **state) {
    (void)state;
    char dir[300], meta[320], p[400];
    fresh(dir, sizeof dir);
    snprintf(meta, sizeof meta, "%s/_sluice_metadata", dir);
    sink_h h;
    sl__err err;
    assert_int_equal(open_sink(&h, mk_opts("path", dir, NULL), &err), SL_OK);
    write_names(&h, 0, three, 3);
    close_sink(&h);
    /* a crash in batch 1: a renamed part file without a log entry, a
     * temporary data file, a temporary log entry */
    const char *leftovers[] = {"part-00001-00000.json", ".part-00001-00001.json.tmp",
                               "_sluice_metadata/.1.tmp"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, leftovers[i]);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        fputs("{\"id\":99}\n", f);
        fclose(f);
    }
    /* files that are not the sink's stay */
    snprintf(p, sizeof p, "%s/notes.txt", dir);
    FILE *f = fopen(p, "w");
    fclose(f);
    assert_int_equal(open_sink(&h, mk_opts("path", dir, NULL), &err), SL_OK);
    expect_listing(dir, "_sluice_metadata notes.txt part-00000-00000.json");
    expect_listing(meta, "0");
    const char *const one[] = {"again"};
    write_names(&h, 1, one, 1);
    expect_listing(dir, "_sluice_metadata notes.txt part-00000-00000.json part-00001-00000.json");
    expect_listing(meta, "0 1");
    close_sink(&h);
}

static void test_describe(void **state) {
    (void)state;
    sink_h h;
    memset(&h, 0, sizeof h);
    h.o = mk_opts("path", "out/dir", NULL);
    h.k.vt = &sl__snk_files_vt;
    h.k.opts = h.o.kv;
    h.k.n_opts = h.o.n;
    sl__buf b = SL_BUF_INIT;
    h.k.vt->describe(&h.k, &b);
    assert_string_equal(sl__buf_str(&b), "FileSink[out/dir]");
    sl__buf_free(&b);
}

/* ---- errors --------------------------------------------------------------------------- */

static void test_unwritable_dir(void **state) {
    (void)state;
    char file[300], dir[400];
    fresh(file, sizeof file);
    FILE *f = fopen(file, "w");
    fclose(f);
    snprintf(dir, sizeof dir, "%s/sub", file); /* under a regular file */
    sink_h h;
    sl__err err;
    assert_int_equal(open_sink(&h, mk_opts("path", dir, NULL), &err), SL_ERR_IO);
    if (!strstr(err.msg, "files sink: cannot create directory")) fail_msg("%s", err.msg);
    assert_non_null(strstr(err.msg, file));
    assert_non_null(strstr(err.msg, "is not a directory"));
}

/* The log entry cannot be written: the batch's data files are removed. */
static void test_log_failure_removes_data(void **state) {
    (void)state;
    char dir[300], meta[320];
    fresh(dir, sizeof dir);
    snprintf(meta, sizeof meta, "%s/_sluice_metadata", dir);
    sink_h h;
    sl__err err;
    assert_int_equal(open_sink(&h, mk_opts("path", dir, NULL), &err), SL_OK);
    assert_int_equal(rmdir(meta), 0);
    FILE *f = fopen(meta, "w"); /* the metadata directory is now a file */
    fclose(f);
    sl__chunk *c = mk_chunk(three, 3, 0);
    sl__sink_batch b = mk_batch(0, c, NULL);
    sl__err_clear(&err);
    assert_int_equal(h.k.vt->write(&h.k, &b, &err), SL_ERR_IO);
    assert_non_null(strstr(err.msg, "_sluice_metadata/.0.tmp"));
    expect_listing(dir, "_sluice_metadata");
    free_chunk(c);
    close_sink(&h);
}

/* A write that fails part way (a full disk; here a file size limit): the
 * error names the file and nothing partial stays visible. */
static void test_disk_full(void **state) {
    (void)state;
    char dir[300];
    fresh(dir, sizeof dir);
    sink_h h;
    sl__err err;
    assert_int_equal(open_sink(&h, mk_opts("path", dir, NULL), &err), SL_OK);
    const char *big[40];
    for (int i = 0; i < 40; i++) big[i] = "a fairly long name to fill the file";
    sl__chunk *c = mk_chunk(big, 40, 0);
    sl__sink_batch b = mk_batch(0, c, NULL);
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    lim = old;
    lim.rlim_cur = 512;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    sl__err_clear(&err);
    sl_status st = h.k.vt->write(&h.k, &b, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    assert_int_equal(st, SL_ERR_IO);
    assert_non_null(strstr(err.msg, "files sink: cannot write"));
    assert_non_null(strstr(err.msg, ".part-00000-00000.json.tmp"));
    assert_non_null(strstr(err.msg, "File too large"));
    expect_listing(dir, "_sluice_metadata");
    /* the batch runs again once there is room */
    assert_int_equal(h.k.vt->write(&h.k, &b, &err), SL_OK);
    expect_listing(dir, "_sluice_metadata part-00000-00000.json");
    free_chunk(c);
    close_sink(&h);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r42_modes),
        cmocka_unit_test(test_r43_path_required),
        cmocka_unit_test(test_r7_checkpoint_required),
        cmocka_unit_test(test_check_options),
        cmocka_unit_test(test_json_part_file),
        cmocka_unit_test(test_csv_part_file),
        cmocka_unit_test(test_time_zone),
        cmocka_unit_test(test_max_records_per_file),
        cmocka_unit_test(test_empty_batch),
        cmocka_unit_test(test_r43_replay_skipped),
        cmocka_unit_test(test_temp_and_recovery),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_unwritable_dir),
        cmocka_unit_test(test_log_failure_removes_data),
        cmocka_unit_test(test_disk_full),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
