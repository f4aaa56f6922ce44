/*
 * test_gen_files.c — the file outputs of `sluice gen` (src/gen/files.c):
 * --to-dir writes complete files named <kind>-NNNNNN.json with
 * --lines-per-file lines (the last one shorter), leaves no temporary file,
 * continues the numbering of an earlier run, holds exactly the stream's
 * lines in order, and stops cleanly on SIGTERM; --stdout writes the same
 * bytes to standard output. The SIGTERM test runs last: the stop flag is
 * process-wide and stays set.
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "gen/gen.h"

static char dir[64];

static void make_dir(void) {
    snprintf(dir, sizeof dir, "/tmp/sluice-gen-test-XXXXXX");
    assert_non_null(mkdtemp(dir));
}

static void remove_dir(const char *path) {
    DIR *d = opendir(path);
    if (!d) return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            remove_dir(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(path);
}

/* Reads a whole file into b; returns false if it does not exist. */
static bool read_file(const char *path, sl__gen_buf *b) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) sl__gen_buf_add(b, tmp, n);
    fclose(f);
    return true;
}

static size_t count_lines(const sl__gen_buf *b) {
    size_t n = 0;
    for (size_t i = b->off; i < b->len; i++) n += b->p[i] == '\n';
    return n;
}

static int by_name(const void *a, const void *b) {
    return strcmp(a, b);
}

/* Names in dir, sorted; returns how many. */
static int list_dir(const char *path, char names[][64], int max) {
    DIR *d = opendir(path);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        assert_true(n < max);
        size_t l = strlen(e->d_name);
        assert_true(l < 64);
        memcpy(names[n++], e->d_name, l + 1);
    }
    closedir(d);
    qsort(names, (size_t)n, 64, by_name);
    return n;
}

static void opts_for(sl__gen_opts *o, sl__gen_params *p, sl__gen_kind kind, const char *to_dir,
                     uint64_t count, uint64_t lpf) {
    char err[256];
    const char *names[] = {"iot", "bpm", "quotes"};
    char *argv[] = {"gen", (char *)names[kind], "--seed", "3", "--rate", "0", "--quiet", NULL};
    assert_int_equal(sl__gen_opts_parse(o, 7, argv, err, sizeof err), 0);
    o->to_dir = to_dir;
    o->count = count;
    o->lines_per_file = lpf;
    sl__gen_opts_params(o, NULL, p);
}

static void test_rolling_files(void **state) {
    (void)state;
    make_dir();
    sl__gen_opts o;
    sl__gen_params p;
    opts_for(&o, &p, SL__GEN_IOT, dir, 250, 100);
    assert_int_equal(sl__gen_write_dir(&o, &p), 0);

    char names[16][64];
    assert_int_equal(list_dir(dir, names, 16), 3);
    assert_string_equal(names[0], "iot-000001.json");
    assert_string_equal(names[1], "iot-000002.json");
    assert_string_equal(names[2], "iot-000003.json");
    sl__gen_buf all = {0};
    size_t want_lines[] = {100, 100, 50};
    for (int i = 0; i < 3; i++) {
        char path[256];
        sl__gen_buf b = {0};
        snprintf(path, sizeof path, "%.100s/%.63s", dir, names[i]);
        assert_true(read_file(path, &b));
        assert_int_equal(count_lines(&b), want_lines[i]);
        assert_int_equal(b.p[b.len - 1], '\n');
        sl__gen_buf_add(&all, b.p, b.len);
        sl__gen_buf_free(&b);
    }
    /* exactly the stream, in order */
    sl__gen_stream s;
    sl__gen_buf want = {0};
    sl__gen_stream_init(&s, &p, 3, SL__GEN_DEFAULT_START_S * SL__GEN_NS_PER_S);
    for (int i = 0; i < 250; i++) sl__gen_stream_next(&s, &want);
    assert_int_equal(all.len, want.len);
    assert_memory_equal(all.p, want.p, all.len);

    /* a second run continues the numbering */
    opts_for(&o, &p, SL__GEN_IOT, dir, 10, 100);
    assert_int_equal(sl__gen_write_dir(&o, &p), 0);
    assert_int_equal(list_dir(dir, names, 16), 4);
    assert_string_equal(names[3], "iot-000004.json");

    sl__gen_buf_free(&all);
    sl__gen_buf_free(&want);
    remove_dir(dir);
}

static void test_exact_multiple_and_nested_dir(void **state) {
    (void)state;
    make_dir();
    char nested[128];
    snprintf(nested, sizeof nested, "%s/a/b", dir);
    sl__gen_opts o;
    sl__gen_params p;
    opts_for(&o, &p, SL__GEN_BPM, nested, 20, 10);
    assert_int_equal(sl__gen_write_dir(&o, &p), 0);
    char names[16][64];
    assert_int_equal(list_dir(nested, names, 16), 2); /* no empty third file */
    assert_string_equal(names[0], "bpm-000001.json");
    assert_string_equal(names[1], "bpm-000002.json");
    remove_dir(dir);
}

static void test_bad_dir(void **state) {
    (void)state;
    make_dir();
    char file[128];
    snprintf(file, sizeof file, "%s/plain", dir);
    int fd = open(file, O_CREAT | O_WRONLY, 0644);
    assert_true(fd >= 0);
    close(fd);
    sl__gen_opts o;
    sl__gen_params p;
    opts_for(&o, &p, SL__GEN_IOT, file, 5, 10);
    assert_int_equal(sl__gen_write_dir(&o, &p), 1);
    remove_dir(dir);
}

static void test_stdout(void **state) {
    (void)state;
    make_dir();
    char path[128];
    snprintf(path, sizeof path, "%s/out", dir);
    sl__gen_opts o;
    sl__gen_params p;
    opts_for(&o, &p, SL__GEN_IOT, NULL, 30, 100);
    o.to_stdout = true;
    fflush(stdout);
    int saved = dup(1);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    assert_true(fd >= 0 && saved >= 0);
    dup2(fd, 1);
    close(fd);
    int rc = sl__gen_write_stdout(&o, &p);
    dup2(saved, 1);
    close(saved);
    assert_int_equal(rc, 0);
    sl__gen_buf got = {0}, want = {0};
    assert_true(read_file(path, &got));
    sl__gen_stream s;
    sl__gen_stream_init(&s, &p, 3, SL__GEN_DEFAULT_START_S * SL__GEN_NS_PER_S);
    for (int i = 0; i < 30; i++) sl__gen_stream_next(&s, &want);
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.p, want.p, got.len);
    sl__gen_buf_free(&got);
    sl__gen_buf_free(&want);
    remove_dir(dir);
}

typedef struct run_args {
    sl__gen_opts o;
    sl__gen_params p;
    int rc;
} run_args;

static void *run_dir(void *arg) {
    run_args *a = arg;
    a->rc = sl__gen_write_dir(&a->o, &a->p);
    return NULL;
}

static void test_sigterm(void **state) {
    (void)state;
    make_dir();
    run_args a;
    opts_for(&a.o, &a.p, SL__GEN_IOT, dir, 0, 7);
    a.o.rate = 2000; /* paced, no count: runs until stopped */
    a.rc = -1;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_dir, &a), 0);
    struct timespec ts = {0, 300 * 1000000};
    nanosleep(&ts, NULL);
    kill(getpid(), SIGTERM);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(a.rc, 0);
    assert_true(sl__gen_stop_requested());

    char names[512][64];
    int n = list_dir(dir, names, 512);
    assert_true(n >= 5);
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        assert_true(names[i][0] != '.'); /* no temp file left */
        char path[256];
        sl__gen_buf b = {0};
        snprintf(path, sizeof path, "%.100s/%.63s", dir, names[i]);
        assert_true(read_file(path, &b));
        size_t lines = count_lines(&b);
        assert_true(lines >= 1 && lines <= 7);
        if (i < n - 1) assert_int_equal(lines, 7);
        assert_int_equal(b.p[b.len - 1], '\n');
        total += lines;
        sl__gen_buf_free(&b);
    }
    assert_true(total > 50);
    remove_dir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rolling_files), cmocka_unit_test(test_exact_multiple_and_nested_dir),
        cmocka_unit_test(test_bad_dir),       cmocka_unit_test(test_stdout),
        cmocka_unit_test(test_sigterm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
