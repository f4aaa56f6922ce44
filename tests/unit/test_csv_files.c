/*
 * test_csv_files.c — file tables (src/format/files.c): listing a file, a
 * directory (hidden '.'/'_' names skipped, sorted, recursive on request)
 * or a glob (R73); option checks with their messages; schema inference and
 * loading of csv (header per file, R81/R87), json lines and text tables,
 * with the bad-record counts; missing paths are I/O errors naming them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "format/files.h"
#include "format/valtext.h"
#include "main/catalog.h"

static char dir[256];

static void put(const char *rel, const char *text) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void sub(const char *rel) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sluice_files_XXXXXX");
    if (!mkdtemp(dir)) return -1;
    sub("csv");
    put("csv/b.csv", "id,name\n3,c\n4,d\n");
    put("csv/a.csv", "id,name\n1,a\n2,\"b, B\"\n");
    put("csv/_SUCCESS", "");
    put("csv/.a.csv.crc", "garbage");
    put("csv/_tmp.csv", "id,name\n99,hidden\n");
    put("csv/c.csv._COPYING_", "id,name\n98,copying\n");
    sub("csv/nested");
    put("csv/nested/e.csv", "id,name\n5,e\n");
    sub("json");
    put("json/x.json", "{\"id\":1,\"user\":\"a\",\"loc\":{\"lat\":48.5}}\n"
                       "\n"
                       "{\"id\":\"two\",\"user\":\"b\"}\n"
                       "not json\n"
                       "{\"user\":\"c\",\"id\":3,\"tags\":[\"t\"]}\n");
    put("t.txt", "first\n\nthird\r\nfourth");
    put("empty.csv", "");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

typedef struct kvs {
    sl__kv kv[12];
    uint32_t n;
} kvs;

static char paths[16][512]; /* the absolute paths options point to */
static int next_path;

/* options: "path" is made absolute under dir */
static kvs opts(const char *k, ...) {
    kvs o;
    memset(&o, 0, sizeof o);
    va_list ap;
    va_start(ap, k);
    for (; k; k = va_arg(ap, const char *)) {
        const char *v = va_arg(ap, const char *);
        if (strcmp(k, "path") == 0) {
            char *pb = paths[next_path++ % 16];
            if (*v)
                snprintf(pb, 512, "%s/%s", dir, v);
            else
                pb[0] = 0;
            v = pb;
        }
        o.kv[o.n].key = (char *)k;
        o.kv[o.n].value = (char *)v;
        o.n++;
    }
    va_end(ap);
    return o;
}

static void list(const char *rel, bool rec, const char *want) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    char **files;
    uint32_t n;
    sl__err err;
    sl__err_clear(&err);
    assert_int_equal(sl__files_list(p, rec, &files, &n, &err), SL_OK);
    sl__buf b = SL_BUF_INIT;
    for (uint32_t i = 0; i < n; i++) {
        if (i) sl__buf_putc(&b, ' ');
        sl__buf_puts(&b, files[i] + strlen(dir) + 1);
    }
    if (strcmp(sl__buf_str(&b), want) != 0)
        fail_msg("%s: got [%s] want [%s]", rel, sl__buf_str(&b), want);
    sl__buf_free(&b);
    sl__files_free(files, n);
}

static void test_listing_r73(void **state) {
    (void)state;
    list("csv", false, "csv/a.csv csv/b.csv");
    list("csv/", false, "csv/a.csv csv/b.csv");
    list("csv", true, "csv/a.csv csv/b.csv csv/nested/e.csv");
    list("csv/b.csv", false, "csv/b.csv");
    list("csv/*.csv", false, "csv/a.csv csv/b.csv");
    list("csv/{b,a}.csv", false, "csv/a.csv csv/b.csv");
    list("*", false, "csv/a.csv csv/b.csv empty.csv json/x.json t.txt");
    /* a file named explicitly is read even when hidden */
    list("csv/_tmp.csv", false, "csv/_tmp.csv");
    char p[512];
    snprintf(p, sizeof p, "%s/nope.csv", dir);
    char **files;
    uint32_t n;
    sl__err err;
    sl__err_clear(&err);
    assert_int_equal(sl__files_list(p, false, &files, &n, &err), SL_ERR_IO);
    assert_non_null(strstr(err.msg, "nope.csv"));
    snprintf(p, sizeof p, "%s/*.parquet", dir);
    sl__err_clear(&err);
    assert_int_equal(sl__files_list(p, false, &files, &n, &err), SL_ERR_IO);
    assert_non_null(strstr(err.msg, "*.parquet"));
}

static void check_err(const char *format, kvs o, sl_status code, const char *msg) {
    sl__err err;
    sl__err_clear(&err);
    sl_status st = sl__file_table_check(format, o.kv, o.n, &err);
    if (st != code || !strstr(err.msg, msg))
        fail_msg("status %d, message: %s (want %d, '%s')", st, err.msg, code, msg);
}

static void test_check(void **state) {
    (void)state;
    sl__err err;
    sl__err_clear(&err);
    kvs ok = opts("path", "csv", "header", "TRUE", "sep", ";", "maxFilesPerTrigger", "2", NULL);
    assert_int_equal(sl__file_table_check("CSV", ok.kv, ok.n, &err), SL_OK);
    check_err("xml", opts("path", "x", NULL), SL_ERR_ANALYSIS, "unknown file format 'xml'");
    check_err("parquet", opts("path", "x", NULL), SL_ERR_UNSUPPORTED, "not supported");
    check_err("csv", opts("header", "true", NULL), SL_ERR_ANALYSIS, "needs a path");
    check_err("csv", opts("path", "", NULL), SL_ERR_ANALYSIS, "needs a path");
    check_err("csv", opts("path", "x", "hedaer", "true", NULL), SL_ERR_ANALYSIS,
              "did you mean 'header'");
    check_err("csv", opts("path", "x", "frobnicate", "1", NULL), SL_ERR_ANALYSIS,
              "unknown option 'frobnicate'");
    check_err("csv", opts("path", "x", "header", "1", NULL), SL_ERR_ANALYSIS,
              "'header' must be true or false");
    check_err("csv", opts("path", "x", "sep", "", NULL), SL_ERR_ANALYSIS, "cannot be empty");
    check_err("csv", opts("path", "x", "dateFormat", "dd/MM/yyyy", NULL), SL_ERR_UNSUPPORTED,
              "'dateFormat' is not supported");
    check_err("csv", opts("path", "x", "encoding", "latin1", NULL), SL_ERR_UNSUPPORTED,
              "must be UTF-8");
    check_err("json", opts("path", "x", "mode", "lax", NULL), SL_ERR_ANALYSIS, "PERMISSIVE");
    check_err("json", opts("path", "x", "multiLine", "true", NULL), SL_ERR_UNSUPPORTED,
              "'multiLine' true is not supported");
    check_err("json", opts("path", "x", "sep", ";", NULL), SL_ERR_ANALYSIS,
              "unknown option 'sep' for json");
    check_err("text", opts("path", "x", "wholetext", "maybe", NULL), SL_ERR_ANALYSIS,
              "true or false");
}

static const sl__type *schema(const char *format, kvs o) {
    const sl__type *t = NULL;
    sl__err err;
    sl__err_clear(&err);
    if (sl__file_table_schema(format, o.kv, o.n, &t, &err) != SL_OK) fail_msg("%s", err.msg);
    return t;
}

/* loads and renders rows as "v1|v2" lines */
static void load(const char *format, kvs o, const sl__type *t, const char *want,
                 uint64_t want_bad) {
    sl__tabdata *d = NULL;
    uint64_t bad = 0;
    sl__err err;
    sl__err_clear(&err);
    if (sl__file_table_load(format, o.kv, o.n, t, &d, &bad, &err) != SL_OK) fail_msg("%s", err.msg);
    sl__buf b = SL_BUF_INIT;
    sl__text_opts to = {0, "NULL"};
    uint64_t rows = 0;
    for (uint32_t g = 0; g < d->n_segs; g++) {
        const sl__segment *sg = d->segs[g];
        for (uint32_t k = 0; k < sg->n_chunks; k++)
            for (uint32_t r = 0; r < sg->chunks[k].n; r++, rows++) {
                for (uint32_t i = 0; i < sg->chunks[k].n_cols; i++) {
                    if (i) sl__buf_putc(&b, '|');
                    sl__value_text(sg->chunks[k].cols[i], r, &to, &b);
                }
                sl__buf_putc(&b, '\n');
            }
    }
    assert_int_equal(rows, d->rows);
    if (strcmp(sl__buf_str(&b), want) != 0) fail_msg("got:\n%swant:\n%s", sl__buf_str(&b), want);
    if (bad != want_bad)
        fail_msg("bad %llu, want %llu", (unsigned long long)bad, (unsigned long long)want_bad);
    sl__buf_free(&b);
    sl__tabdata_unref(d);
}

static void test_csv_tables(void **state) {
    (void)state;
    kvs o = opts("path", "csv", "header", "true", "inferSchema", "true", NULL);
    const sl__type *t = schema("csv", o);
    assert_string_equal(t->name, "struct<id:int,name:string>");
    /* the header of every file is skipped (R81) */
    load("csv", o, t, "1|a\n2|b, B\n3|c\n4|d\n", 0);
    kvs r = opts("path", "csv", "header", "true", "recursiveFileLookup", "true", NULL);
    assert_string_equal(schema("csv", r)->name, "struct<id:string,name:string>");
    load("csv", r, schema("csv", r), "1|a\n2|b, B\n3|c\n4|d\n5|e\n", 0);
    /* no header: the header lines are data (and bad for an INT column) */
    kvs nh = opts("path", "csv/a.csv", NULL);
    assert_string_equal(schema("csv", nh)->name, "struct<_c0:string,_c1:string>");
    const sl__type *ti;
    sl__err err;
    assert_int_equal(sl__schema_parse("id INT, name STRING", 19, &ti, &err), SL_OK);
    load("csv", nh, ti, "NULL|name\n1|a\n2|b, B\n", 1);
    /* an empty file cannot give a schema */
    kvs e = opts("path", "empty.csv", NULL);
    sl__err_clear(&err);
    assert_int_equal(sl__file_table_schema("csv", e.kv, e.n, &t, &err), SL_ERR_ANALYSIS);
    assert_non_null(strstr(err.msg, "unable to infer a schema for CSV"));
    load("csv", e, ti, "", 0);
    /* a missing path is an I/O error naming it */
    kvs m = opts("path", "missing/*.csv", NULL);
    sl__err_clear(&err);
    assert_int_equal(sl__file_table_schema("csv", m.kv, m.n, &t, &err), SL_ERR_IO);
    assert_non_null(strstr(err.msg, "missing/*.csv"));
    /* CSV cannot hold nested columns */
    assert_int_equal(sl__schema_parse("a ARRAY<INT>", 12, &ti, &err), SL_OK);
    sl__tabdata *d;
    uint64_t bad;
    sl__err_clear(&err);
    assert_int_equal(sl__file_table_load("csv", o.kv, o.n, ti, &d, &bad, &err), SL_ERR_ANALYSIS);
    assert_non_null(strstr(err.msg, "array<int>"));
}

static void test_json_tables(void **state) {
    (void)state;
    kvs o = opts("path", "json", NULL);
    const sl__type *t = schema("json", o);
    /* "two" makes id a string; the bad line teaches nothing */
    assert_string_equal(t->name,
                        "struct<id:string,loc:struct<lat:double>,tags:array<string>,user:string>");
    load("json", o, t, "1|{48.5}|NULL|a\ntwo|NULL|NULL|b\nNULL|NULL|NULL|NULL\n3|NULL|[t]|c\n", 1);
    const sl__type *ti;
    sl__err err;
    assert_int_equal(sl__schema_parse("id INT, user STRING", 19, &ti, &err), SL_OK);
    load("json", o, ti, "1|a\nNULL|b\nNULL|NULL\n3|c\n", 2);
    kvs dm = opts("path", "json/x.json", "mode", "DROPMALFORMED", NULL);
    load("json", dm, ti, "1|a\n3|c\n", 2);
    kvs ff = opts("path", "json/x.json", "mode", "FAILFAST", NULL);
    sl__tabdata *d;
    uint64_t bad;
    sl__err_clear(&err);
    assert_int_equal(sl__file_table_load("json", ff.kv, ff.n, ti, &d, &bad, &err), SL_ERR_EXEC);
    assert_non_null(strstr(err.msg, "x.json:3"));
    sl__err_clear(&err);
    assert_int_equal(sl__file_table_schema("json", ff.kv, ff.n, &t, &err), SL_ERR_EXEC);
    assert_non_null(strstr(err.msg, "x.json:4"));
    kvs pas =
        opts("path", "json", "primitivesAsString", "true", "dropFieldIfAllNull", "true", NULL);
    assert_string_equal(schema("json", pas)->name,
                        "struct<id:string,loc:struct<lat:string>,tags:array<string>,user:string>");
}

static void test_text_tables(void **state) {
    (void)state;
    kvs o = opts("path", "t.txt", NULL);
    const sl__type *t = schema("text", o);
    assert_string_equal(t->name, "struct<value:string>");
    load("text", o, t, "first\n\nthird\nfourth\n", 0);
    kvs w = opts("path", "t.txt", "wholetext", "true", NULL);
    load("text", w, t, "first\n\nthird\r\nfourth\n", 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listing_r73), cmocka_unit_test(test_check),
        cmocka_unit_test(test_csv_tables),  cmocka_unit_test(test_json_tables),
        cmocka_unit_test(test_text_tables),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
