/*
 * test_src_files.c — the file source (src/stream/sources/files.c, R73–R79)
 * driven through its vtable over temporary directories: the schema rules
 * and option checks at CREATE, no batch before a first file (R25), files
 * oldest first by modification time (set with utimensat) and each once,
 * hidden '.'/'_' files ignored, files added between triggers,
 * maxFilesPerTrigger, latestFirst, maxBytesPerTrigger, maxFileAge, CSV
 * headers skipped per file, malformed rows counted, text lines, globs,
 * files deleted before they are read (error, or skipped with
 * ignoreMissingFiles), cleanSource, the description and offsets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stream/stream.h"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char dir[256];
static int64_t now_s; /* a base time for modification times */

/* ---- helpers ------------------------------------------------------------------- */

typedef struct kvs {
    sl__kv kv[16];
    uint32_t n;
} kvs;

static kvs opts_v(va_list ap) {
    kvs o;
    o.n = 0;
    const char *k;
    while ((k = va_arg(ap, const char *))) {
        o.kv[o.n].key = (char *)k;
        o.kv[o.n].value = va_arg(ap, char *);
        o.n++;
    }
    return o;
}

static const sl__type *ddl(const char *s) {
    if (!s) return NULL;
    const sl__type *t;
    sl__err e;
    sl__err_clear(&e);
    assert_int_equal(sl__schema_parse(s, strlen(s), &t, &e), SL_OK);
    return t;
}

static char *at(const char *rel) {
    static char p[8][512];
    static int i;
    i = (i + 1) % 8;
    snprintf(p[i], sizeof p[i], "%s/%s", dir, rel);
    return p[i];
}

/* Writes a file with a modification time of now_s + age_s. */
static void put(const char *rel, const char *text, int64_t age_s) {
    FILE *f = fopen(at(rel), "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    struct timespec ts[2] = {{now_s + age_s, 0}, {now_s + age_s, 0}};
    assert_int_equal(utimensat(AT_FDCWD, at(rel), ts, 0), 0);
}

static void sub(const char *rel) {
    assert_int_equal(mkdir(at(rel), 0755), 0);
}

static const char *define_err(const char *kind, const char *schema, ...) {
    static sl__err e;
    va_list ap;
    va_start(ap, schema);
    kvs o = opts_v(ap);
    va_end(ap);
    sl__err_clear(&e);
    const sl__type *out = NULL;
    sl_status st = sl__source_define(kind, o.kv, o.n, ddl(schema), &out, &e);
    return st ? e.msg : NULL;
}

/* An opened source for a stream of this kind, schema and options. */
static sl__source *open_src(const char *kind, const char *schema, ...) {
    va_list ap;
    va_start(ap, schema);
    kvs o = opts_v(ap);
    va_end(ap);
    sl__err e;
    sl__err_clear(&e);
    const sl__type *t = NULL;
    if (sl__source_define(kind, o.kv, o.n, ddl(schema), &t, &e)) fail_msg("define: %s", e.msg);
    sl__table *tab = sl__table_new(SL_OBJ_STREAM, "s", t);
    tab->format = sl__strdup(kind);
    tab->options = sl__calloc(o.n ? o.n : 1, sizeof *tab->options);
    for (uint32_t i = 0; i < o.n; i++) {
        tab->options[i].key = sl__strdup(o.kv[i].key);
        tab->options[i].value = sl__strdup(o.kv[i].value);
    }
    tab->n_options = o.n;
    sl__source *s = sl__source_create(tab, NULL, &e);
    sl__table_unref(tab);
    assert_non_null(s);
    if (s->vt->open(s, &e)) fail_msg("open: %s", e.msg);
    return s;
}

static int64_t latest(sl__source *s) {
    int64_t end = -99;
    sl__err e;
    sl__err_clear(&e);
    if (s->vt->latest(s, &end, &e)) fail_msg("latest: %s", e.msg);
    return end;
}

/* The rows of (start, end] as text: the first column of each row (BIGINT
 * or STRING, NULL as "N"), joined by ','; the range is then committed. */
static const char *take(sl__source *s, int64_t start, int64_t end, uint64_t *bad) {
    static char out[2048];
    sl__rowset rs;
    memset(&rs, 0, sizeof rs);
    sl__err e;
    sl__err_clear(&e);
    if (s->vt->get_batch(s, start, end, &rs, &e)) fail_msg("get_batch: %s", e.msg);
    size_t n = 0;
    out[0] = 0;
    for (uint32_t c = 0; c < rs.n_chunks; c++) {
        sl__vec *v = rs.chunks[c].cols[0];
        for (uint32_t r = 0; r < rs.chunks[c].n; r++) {
            if (n) n += (size_t)snprintf(out + n, sizeof out - n, ",");
            if (!sl__vec_valid(v, r))
                n += (size_t)snprintf(out + n, sizeof out - n, "N");
            else if (v->type->id == SL_TYPE_STRING) {
                sl__str x = SL_VEC_DATA(v, sl__str)[r];
                n += (size_t)snprintf(out + n, sizeof out - n, "%.*s", (int)x.len, x.ptr);
            } else
                n += (size_t)snprintf(out + n, sizeof out - n, "%lld",
                                      (long long)SL_VEC_DATA(v, int64_t)[r]);
        }
    }
    if (bad) *bad = rs.bad_records;
    sl__rowset_clear(&rs);
    s->vt->commit(s, end);
    return out;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sluice_srcfiles_XXXXXX");
    if (!mkdtemp(dir)) return -1;
    now_s = (int64_t)time(NULL);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- tests --------------------------------------------------------------------- */

static void test_define_r79(void **state) {
    (void)state;
    sub("d");
    const char *m;
    assert_non_null(m = define_err("json", NULL, "path", at("d"), NULL));
    assert_non_null(strstr(m, "Schema must be specified"));
    assert_non_null(m = define_err("files", NULL, "path", at("d"), "format", "csv", NULL));
    assert_non_null(strstr(m, "Schema must be specified"));
    assert_non_null(m = define_err("json", "a BIGINT", NULL));
    assert_non_null(strstr(m, "needs a path"));
    assert_non_null(m = define_err("json", "a BIGINT", "path", at("nope"), NULL));
    assert_non_null(strstr(m, "Path does not exist"));
    assert_non_null(
        m = define_err("json", "a BIGINT", "path", at("d"), "maxFilesPerTrigger", "0", NULL));
    assert_non_null(strstr(m, "maxFilesPerTrigger"));
    assert_non_null(strstr(m, "positive"));
    assert_non_null(
        define_err("json", "a BIGINT", "path", at("d"), "maxFilesPerTrigger", "x", NULL));
    assert_non_null(m = define_err("json", "a BIGINT", "path", at("d"), "maxFilesPerTrigger", "2",
                                   "maxBytesPerTrigger", "100", NULL));
    assert_non_null(strstr(m, "both"));
    assert_non_null(m = define_err("json", "a BIGINT", "path", at("d"), "format", "csv", NULL));
    assert_non_null(strstr(m, "USING files"));
    assert_non_null(define_err("files", "a BIGINT", "path", at("d"), "format", "xml", NULL));
    assert_non_null(define_err("files", "a BIGINT", "path", at("d"), "format", "parquet", NULL));
    assert_non_null(m = define_err("text", "a BIGINT", "path", at("d"), NULL));
    assert_non_null(strstr(m, "STRING"));
    assert_non_null(define_err("json", "a BIGINT", "path", at("d"), "latestFirst", "maybe", NULL));
    assert_non_null(define_err("json", "a BIGINT", "path", at("d"), "maxFileAge", "soon", NULL));
    assert_non_null(
        m = define_err("json", "a BIGINT", "path", at("d"), "cleanSource", "archive", NULL));
    assert_non_null(strstr(m, "sourceArchiveDir"));
    assert_non_null(m = define_err("json", "a BIGINT", "path", at("d"), "cleanSource", "archive",
                                   "sourceArchiveDir", at("d/old"), NULL));
    assert_non_null(strstr(m, "inside"));
    assert_non_null(
        m = define_err("json", "a BIGINT", "path", at("d"), "maxFilesPerTriger", "2", NULL));
    assert_non_null(strstr(m, "maxFilesPerTrigger")); /* the readers' check suggests a name */
    assert_non_null(define_err("csv", "a BIGINT", "path", at("d"), "sep", "", NULL));
    assert_null(define_err("json", "a BIGINT", "path", at("d"), "maxFilesPerTrigger", "2",
                           "latestFirst", "true", "maxFileAge", "2h", "ignoreMissingFiles", "true",
                           "fileNameOnly", "true", "cleanSource", "off", NULL));
    assert_null(define_err("json", "a BIGINT", "path", at("d/*.json"),
                           NULL)); /* a glob may match nothing yet */

    const sl__type *t;
    sl__err e;
    sl__err_clear(&e);
    kvs o = {{{"path", at("d")}}, 1};
    assert_int_equal(sl__source_define("text", o.kv, o.n, NULL, &t, &e), SL_OK);
    assert_string_equal(t->name, "struct<value:string>");
    o.kv[o.n++] = (sl__kv){"format", "text"};
    assert_int_equal(sl__source_define("files", o.kv, o.n, NULL, &t, &e), SL_OK);
    assert_string_equal(t->name, "struct<value:string>");
}

static void test_json_order_and_once_r73_r75(void **state) {
    (void)state;
    sub("j");
    sl__source *s = open_src("json", "id BIGINT, name STRING", "path", at("j"), NULL);
    assert_int_equal(s->initial, -1);
    assert_true(s->replayable);
    assert_int_equal(s->vt->wait_fd(s), -1);
    /* R25: no offset (no batch 0) before a first file */
    assert_int_equal(latest(s), -99);
    put("j/b.json", "{\"id\":1}\n{\"id\":2}\n", -30); /* the oldest */
    put("j/a.json", "{\"id\":3}\n", -20);
    put("j/.hidden.json", "{\"id\":90}\n", -50);
    put("j/_tmp.json", "{\"id\":91}\n", -50);
    assert_int_equal(latest(s), 0);
    assert_int_equal(latest(s), 0); /* admitted once, until committed */
    uint64_t bad;
    assert_string_equal(take(s, -1, 0, &bad), "1,2,3");
    assert_int_equal(bad, 0);
    assert_int_equal(latest(s), 0); /* nothing new */
    /* new files, one of them older than everything seen: still new (R74) */
    put("j/c.json", "{\"id\":4}\n{oops\n{\"id\":\"five\"}\n", -10);
    put("j/0.json", "{\"id\":0}\n", -100);
    assert_int_equal(latest(s), 1);
    assert_string_equal(take(s, 0, 1, &bad), "0,4,N,N");
    assert_int_equal(bad, 2);
    /* a processed file that changes is not read again (R74) */
    put("j/a.json", "{\"id\":33}\n", 0);
    /* renamed into place: seen as new, the temp name never */
    put("j/.d.json.tmp", "{\"id\":6}\n", -5);
    assert_int_equal(rename(at("j/.d.json.tmp"), at("j/d.json")), 0);
    assert_int_equal(latest(s), 2);
    assert_string_equal(take(s, 1, 2, &bad), "6");
    assert_int_equal(latest(s), 2);

    sl__buf b = SL_BUF_INIT;
    s->vt->describe(s, &b);
    char want[600];
    snprintf(want, sizeof want, "FileStreamSource[file:%s/j]", dir);
    assert_string_equal(sl__buf_str(&b), want);
    sl__buf_clear(&b);
    s->vt->offset_json(s, 2, &b);
    assert_string_equal(sl__buf_str(&b), "{\"logOffset\":2}");
    sl__buf_free(&b);
    sl__source_free(s);
}

static void test_max_files_r76(void **state) {
    (void)state;
    sub("m");
    for (int i = 0; i < 5; i++) {
        char name[32], text[32];
        snprintf(name, sizeof name, "m/f%d.json", 4 - i); /* names against the time order */
        snprintf(text, sizeof text, "{\"id\":%d}\n", i);
        put(name, text, -100 + i);
    }
    sl__source *s = open_src("json", "id BIGINT", "path", at("m"), "maxFilesPerTrigger", "2", NULL);
    assert_int_equal(latest(s), 0);
    assert_string_equal(take(s, -1, 0, NULL), "0,1");
    put("m/new.json", "{\"id\":9}\n", 0);
    assert_int_equal(latest(s), 1);
    assert_string_equal(take(s, 0, 1, NULL), "2,3");
    assert_int_equal(latest(s), 2);
    assert_string_equal(take(s, 1, 2, NULL), "4,9");
    assert_int_equal(latest(s), 2);
    sl__source_free(s);

    /* latestFirst: the newest first */
    s = open_src("json", "id BIGINT", "path", at("m"), "maxFilesPerTrigger", "2", "latestFirst",
                 "true", NULL);
    assert_int_equal(latest(s), 0);
    assert_string_equal(take(s, -1, 0, NULL), "9,4");
    assert_int_equal(latest(s), 1);
    assert_string_equal(take(s, 0, 1, NULL), "3,2");
    sl__source_free(s);

    /* same modification time: by path */
    sub("same");
    put("same/b.json", "{\"id\":2}\n", -7);
    put("same/a.json", "{\"id\":1}\n", -7);
    put("same/c.json", "{\"id\":3}\n", -7);
    s = open_src("files", "id BIGINT", "path", at("same"), "maxFilesPerTrigger", "1", NULL);
    assert_int_equal(latest(s), 0);
    assert_string_equal(take(s, -1, 0, NULL), "1");
    assert_int_equal(latest(s), 1);
    assert_string_equal(take(s, 0, 1, NULL), "2");
    sl__source_free(s);

    /* maxBytesPerTrigger: at least one file, then while the sum fits */
    sub("bytes");
    put("bytes/1.json", "{\"id\":1,\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n", -4);
    put("bytes/2.json", "{\"id\":2}\n", -3);
    put("bytes/3.json", "{\"id\":3}\n", -2);
    put("bytes/4.json", "{\"id\":4}\n", -1);
    s = open_src("json", "id BIGINT", "path", at("bytes"), "maxBytesPerTrigger", "20", NULL);
    assert_int_equal(latest(s), 0);
    assert_string_equal(take(s, -1, 0, NULL), "1");
    assert_int_equal(latest(s), 1);
    assert_string_equal(take(s, 0, 1, NULL), "2,3");
    assert_int_equal(latest(s), 2);
    assert_string_equal(take(s, 1, 2, NULL), "4");
    sl__source_free(s);
}

static void test_max_file_age_r77(void **state) {
    (void)state;
    sub("age");
    put("age/old.json", "{\"id\":1}\n", -3 * 3600); /* the first batch takes everything */
    put("age/new.json", "{\"id\":2}\n", 0);
    sl__source *s = open_src("json", "id BIGINT", "path", at("age"), "maxFileAge", "1h", NULL);
    assert_int_equal(latest(s), 0);
    assert_string_equal(take(s, -1, 0, NULL), "1,2");
    put("age/older.json", "{\"id\":3}\n", -2 * 3600); /* older than newest − 1h: skipped */
    put("age/recent.json", "{\"id\":4}\n", -1800);
    assert_int_equal(latest(s), 1);
    assert_string_equal(take(s, 0, 1, NULL), "4");
    sl__source_free(s);
}

static void test_csv_text_r87(void **state) {
    (void)state;
    sub("c");
    put("c/1.csv", "id,name\n1,a\n2,b\n", -3);
    put("c/2.csv", "id,name\n3,c\nfour,d\n5\n", -2);
    sl__source *s =
        open_src("csv", "id BIGINT, name STRING", "path", at("c"), "header", "true", NULL);
    uint64_t bad;
    assert_int_equal(latest(s), 0);
    assert_string_equal(take(s, -1, 0, &bad), "1,2,3,N,5");
    assert_int_equal(bad, 2);
    sl__source_free(s);

    s = open_src("files", "id BIGINT, name STRING", "path", at("c"), "format", "csv", NULL);
    assert_int_equal(latest(s), 0);
    assert_string_equal(take(s, -1, 0, &bad), "N,1,2,N,3,N,5"); /* no header: a data line */
    assert_int_equal(bad, 4);
    sl__source_free(s);

    sub("t");
    put("t/a.txt", "first\r\nsecond\n\nlast", -1);
    s = open_src("text", NULL, "path", at("t"), NULL);
    assert_int_equal(latest(s), 0);
    assert_string_equal(take(s, -1, 0, &bad), "first,second,,last");
    assert_int_equal(bad, 0);
    sl__source_free(s);
}

static void test_glob_and_missing(void **state) {
    (void)state;
    sub("g");
    sl__source *s = open_src("json", "id BIGINT", "path", at("g/*.json"), NULL);
    assert_int_equal(latest(s), -99); /* nothing matches yet: no error */
    put("g/x.json", "{\"id\":1}\n", -2);
    put("g/y.txt", "{\"id\":2}\n", -1);
    assert_int_equal(latest(s), 0);
    assert_string_equal(take(s, -1, 0, NULL), "1");
    sl__source_free(s);

    /* listed, then deleted before its batch: an error naming the option */
    sub("gone");
    put("gone/1.json", "{\"id\":1}\n", -2);
    put("gone/2.json", "{\"id\":2}\n", -1);
    s = open_src("json", "id BIGINT", "path", at("gone"), NULL);
    assert_int_equal(latest(s), 0);
    assert_int_equal(unlink(at("gone/1.json")), 0);
    sl__rowset rs;
    memset(&rs, 0, sizeof rs);
    sl__err e;
    sl__err_clear(&e);
    assert_int_equal(s->vt->get_batch(s, -1, 0, &rs, &e), SL_ERR_IO);
    assert_non_null(strstr(e.msg, "1.json"));
    assert_non_null(strstr(e.msg, "ignoreMissingFiles"));
    sl__rowset_clear(&rs);
    sl__source_free(s);
    put("gone/1.json", "{\"id\":1}\n", -2);
    s = open_src("json", "id BIGINT", "path", at("gone"), "ignoreMissingFiles", "true", NULL);
    assert_int_equal(latest(s), 0);
    assert_int_equal(unlink(at("gone/1.json")), 0);
    assert_string_equal(take(s, -1, 0, NULL), "2");
    sl__source_free(s);

    /* the directory itself removed while the query runs */
    sub("vanish");
    s = open_src("json", "id BIGINT", "path", at("vanish"), NULL);
    assert_int_equal(rmdir(at("vanish")), 0);
    int64_t end;
    sl__err_clear(&e);
    assert_int_equal(s->vt->latest(s, &end, &e), SL_ERR_IO);
    assert_non_null(strstr(e.msg, "vanish"));
    sl__source_free(s);
}

static void test_clean_source_r78(void **state) {
    (void)state;
    sub("cl");
    sub("arch");
    put("cl/1.json", "{\"id\":1}\n", -2);
    sl__source *s = open_src("json", "id BIGINT", "path", at("cl"), "cleanSource", "delete", NULL);
    assert_int_equal(latest(s), 0);
    assert_int_equal(access(at("cl/1.json"), F_OK), 0);
    assert_string_equal(take(s, -1, 0, NULL), "1"); /* commits */
    assert_int_equal(access(at("cl/1.json"), F_OK), -1);
    sl__source_free(s);

    put("cl/2.json", "{\"id\":2}\n", -1);
    s = open_src("json", "id BIGINT", "path", at("cl"), "cleanSource", "archive",
                 "sourceArchiveDir", at("arch"), NULL);
    assert_int_equal(latest(s), 0);
    assert_string_equal(take(s, -1, 0, NULL), "2");
    assert_int_equal(access(at("cl/2.json"), F_OK), -1);
    char moved[1024];
    snprintf(moved, sizeof moved, "%s%s/cl/2.json", at("arch"), dir);
    assert_int_equal(access(moved, F_OK), 0);
    sl__source_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_define_r79),       cmocka_unit_test(test_json_order_and_once_r73_r75),
        cmocka_unit_test(test_max_files_r76),    cmocka_unit_test(test_max_file_age_r77),
        cmocka_unit_test(test_csv_text_r87),     cmocka_unit_test(test_glob_and_missing),
        cmocka_unit_test(test_clean_source_r78),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
