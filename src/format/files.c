/*
 * files.c — tables backed by files (files.h): option checks, listing the
 * files a path names (file, directory, glob; hidden files skipped, R73),
 * reading them whole, and turning their bytes into chunks with the CSV,
 * JSON-lines or text reader; plus the chunk list of chunks.h.
 *
 * Files are read with read(2) into one buffer each, parsed, and released:
 * every reader copies the strings it keeps, so a table owns all its bytes.
 * The CSV and JSON readers themselves live in csv_read.c and
 * json_decode.c / json_infer.c; this file only dispatches.
 */
#include "format/files.h"
#include "format/csv.h"
#include "format/json.h"
#include "main/catalog.h"
#include "types/text.h"
#include "types/tz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- chunks.h ------------------------------------------------------------- */

bool sl__parse_mode_from(const char *s, sl__parse_mode *out) {
    if (strcasecmp(s, "PERMISSIVE") == 0)
        *out = SL_MODE_PERMISSIVE;
    else if (strcasecmp(s, "DROPMALFORMED") == 0)
        *out = SL_MODE_DROPMALFORMED;
    else if (strcasecmp(s, "FAILFAST") == 0)
        *out = SL_MODE_FAILFAST;
    else
        return false;
    return true;
}

void sl__chunks_init(sl__chunks *c, const sl__type *schema) {
    memset(c, 0, sizeof *c);
    c->schema = schema;
}

void sl__chunks_free(sl__chunks *c) {
    for (uint32_t i = 0; i < c->n; i++) sl__chunk_free(&c->v[i]);
    sl__free(c->v);
    c->v = NULL;
    c->n = c->cap = 0;
    c->rows = 0;
}

sl__chunk *sl__chunks_tail(sl__chunks *c) {
    if (c->n && c->v[c->n - 1].n < SL_VEC_SIZE) return &c->v[c->n - 1];
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 4;
        c->v = sl__realloc(c->v, c->cap * sizeof *c->v);
    }
    sl__chunk_init(&c->v[c->n], c->schema, SL_VEC_SIZE);
    return &c->v[c->n++];
}

sl__chunk *sl__chunks_take(sl__chunks *c, uint32_t *n) {
    if (c->n && c->v[c->n - 1].n == 0) sl__chunk_free(&c->v[--c->n]);
    sl__chunk *v = c->v;
    *n = c->n;
    c->v = NULL;
    c->n = c->cap = 0;
    c->rows = 0;
    return v;
}

/* ---- options -------------------------------------------------------------- */

const char *sl__opt_get(const sl__kv *opts, uint32_t n_opts, const char *key) {
    for (uint32_t i = n_opts; i-- > 0;)
        if (strcasecmp(opts[i].key, key) == 0) return opts[i].value ? opts[i].value : "";
    return NULL;
}

sl_status sl__fmt_opt_bool(const sl__kv *opts, uint32_t n_opts, const char *key, bool def,
                           bool *out, sl__err *err) {
    const char *v = sl__opt_get(opts, n_opts, key);
    if (!v) {
        *out = def;
        return SL_OK;
    }
    if (strcasecmp(v, "true") == 0)
        *out = true;
    else if (strcasecmp(v, "false") == 0)
        *out = false;
    else
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "option '%s' must be true or false, got '%s' (write %s true)", key, v,
                           key);
    return SL_OK;
}

typedef enum { F_CSV, F_JSON, F_TEXT } fformat;

static const char *const common_keys[] = {
    "path", "recursiveFileLookup", "timeZone", "encoding", "charset", "samplingRatio",
    /* read by the streaming file source (R74-R78) */
    "maxFilesPerTrigger", "maxBytesPerTrigger", "latestFirst", "fileNameOnly", "maxFileAge",
    "cleanSource", "sourceArchiveDir", "maxCachedFiles", "discardCachedInputRatio", NULL};
static const char *const csv_keys[] = {"sep",
                                       "delimiter",
                                       "quote",
                                       "escape",
                                       "comment",
                                       "nullValue",
                                       "emptyValue",
                                       "nanValue",
                                       "positiveInf",
                                       "negativeInf",
                                       "header",
                                       "inferSchema",
                                       "ignoreLeadingWhiteSpace",
                                       "ignoreTrailingWhiteSpace",
                                       "multiLine",
                                       "preferDate",
                                       "mode",
                                       "enforceSchema",
                                       "maxColumns",
                                       "maxCharsPerColumn",
                                       "unescapedQuoteHandling",
                                       "locale",
                                       NULL};
static const char *const json_keys[] = {"mode",
                                        "multiLine",
                                        "primitivesAsString",
                                        "dropFieldIfAllNull",
                                        "allowSingleQuotes",
                                        "allowNonNumericNumbers",
                                        "allowComments",
                                        "allowUnquotedFieldNames",
                                        "allowNumericLeadingZeros",
                                        "prefersDecimal",
                                        "locale",
                                        NULL};
static const char *const text_keys[] = {"wholetext", NULL};
/* Spark options sluice does not implement: an error rather than a silent
 * difference in the data. */
static const char *const unsupported_keys[] = {
    "dateFormat", "timestampFormat", "timestampNTZFormat", "columnNameOfCorruptRecord", "lineSep",
    NULL};

static bool in_list(const char *const *l, const char *k) {
    for (; *l; l++)
        if (strcasecmp(*l, k) == 0) return true;
    return false;
}

static size_t edit_distance(const char *a, const char *b) {
    size_t n = strlen(a), m = strlen(b);
    if (n > 40 || m > 40) return 99;
    size_t d[41][41];
    for (size_t i = 0; i <= n; i++) d[i][0] = i;
    for (size_t j = 0; j <= m; j++) d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t c = (a[i - 1] | 0x20) == (b[j - 1] | 0x20) ? 0 : 1;
            size_t x = SL_MIN(d[i - 1][j] + 1, d[i][j - 1] + 1);
            d[i][j] = SL_MIN(x, d[i - 1][j - 1] + c);
        }
    return d[n][m];
}

static const char *closest(const char *k, const char *const *const *lists) {
    const char *best = NULL;
    size_t bd = 3;
    for (; *lists; lists++)
        for (const char *const *l = *lists; *l; l++) {
            size_t dd = edit_distance(k, *l);
            if (dd < bd) {
                bd = dd;
                best = *l;
            }
        }
    return best;
}

static sl_status parse_format(const char *format, fformat *f, sl__err *err) {
    if (!format)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "a file table needs a format: USING csv, "
                           "USING json or USING text");
    if (strcasecmp(format, "csv") == 0)
        *f = F_CSV;
    else if (strcasecmp(format, "json") == 0)
        *f = F_JSON;
    else if (strcasecmp(format, "text") == 0)
        *f = F_TEXT;
    else if (strcasecmp(format, "parquet") == 0 || strcasecmp(format, "orc") == 0 ||
             strcasecmp(format, "avro") == 0)
        return sl__err_set(err, SL_ERR_UNSUPPORTED, -1,
                           "format '%s' is not supported: sluice reads csv, json and text files",
                           format);
    else
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "unknown file format '%s' (use csv, json or text)", format);
    return SL_OK;
}

static sl_status expect_bool_value(const sl__kv *opts, uint32_t n, const char *key, bool want,
                                   sl__err *err) {
    bool v;
    sl_status st = sl__fmt_opt_bool(opts, n, key, want, &v, err);
    if (st) return st;
    if (v != want)
        return sl__err_set(err, SL_ERR_UNSUPPORTED, -1,
                           "json option '%s' %s is not supported (sluice reads JSON with %s %s)",
                           key, v ? "true" : "false", key, want ? "true" : "false");
    return SL_OK;
}

sl_status sl__file_table_check(const char *format, const sl__kv *opts, uint32_t n_opts,
                               sl__err *err) {
    fformat f;
    sl_status st = parse_format(format, &f, err);
    if (st) return st;
    const char *const *own = f == F_CSV ? csv_keys : f == F_JSON ? json_keys : text_keys;
    for (uint32_t i = 0; i < n_opts; i++) {
        const char *k = opts[i].key;
        if (in_list(common_keys, k) || in_list(own, k)) continue;
        if (in_list(unsupported_keys, k))
            return sl__err_set(err, SL_ERR_UNSUPPORTED, -1,
                               "option '%s' is not supported: sluice reads dates and timestamps in "
                               "Spark's default forms, lines ending in LF, CRLF or CR, and has no "
                               "corrupt-record column",
                               k);
        const char *const *lists[] = {common_keys, own, NULL};
        const char *near = closest(k, lists);
        if (near)
            return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                               "unknown option '%s' for %s files: did you mean '%s'?", k, format,
                               near);
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "unknown option '%s' for %s files (docs/formats.md lists the options)",
                           k, format);
    }
    const char *path = sl__opt_get(opts, n_opts, "path");
    if (!path || !*path)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "a %s table needs a path: OPTIONS (path 'data/file.%s') — a file, a "
                           "directory or a glob",
                           format,
                           f == F_TEXT  ? "txt"
                           : f == F_CSV ? "csv"
                                        : "json");
    bool b;
    if ((st = sl__fmt_opt_bool(opts, n_opts, "recursiveFileLookup", false, &b, err))) return st;
    const char *enc = sl__opt_get(opts, n_opts, "encoding");
    if (!enc) enc = sl__opt_get(opts, n_opts, "charset");
    if (enc && strcasecmp(enc, "utf-8") != 0 && strcasecmp(enc, "utf8") != 0)
        return sl__err_set(err, SL_ERR_UNSUPPORTED, -1,
                           "encoding '%s' is not supported: files must be UTF-8", enc);
    const char *zone = sl__opt_get(opts, n_opts, "timeZone");
    sl__err zerr;
    sl__err_clear(&zerr);
    if (zone && !sl__tz_get(zone, &zerr))
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "option 'timeZone': unknown zone '%s' (use 'UTC', an offset such as "
                           "'+02:00' or a region such as 'Europe/Paris')",
                           zone);
    if (f == F_CSV) {
        sl__csv_opts o;
        sl__csv_opts_init(&o);
        st = sl__csv_opts_from(opts, n_opts, &o, err);
        sl__csv_opts_free(&o);
        if (st) return st;
        if ((st = sl__fmt_opt_bool(opts, n_opts, "enforceSchema", true, &b, err))) return st;
    } else if (f == F_JSON) {
        const char *m = sl__opt_get(opts, n_opts, "mode");
        sl__parse_mode pm;
        if (m && !sl__parse_mode_from(m, &pm))
            return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                               "option 'mode' must be PERMISSIVE, DROPMALFORMED or FAILFAST, got "
                               "'%s'",
                               m);
        if ((st = expect_bool_value(opts, n_opts, "multiLine", false, err))) return st;
        if ((st = sl__fmt_opt_bool(opts, n_opts, "primitivesAsString", false, &b, err))) return st;
        if ((st = sl__fmt_opt_bool(opts, n_opts, "dropFieldIfAllNull", false, &b, err))) return st;
        if ((st = expect_bool_value(opts, n_opts, "allowSingleQuotes", true, err))) return st;
        if ((st = expect_bool_value(opts, n_opts, "allowNonNumericNumbers", true, err))) return st;
        if ((st = expect_bool_value(opts, n_opts, "allowComments", false, err))) return st;
        if ((st = expect_bool_value(opts, n_opts, "allowUnquotedFieldNames", false, err)))
            return st;
        if ((st = expect_bool_value(opts, n_opts, "allowNumericLeadingZeros", false, err)))
            return st;
        if ((st = expect_bool_value(opts, n_opts, "prefersDecimal", false, err))) return st;
    } else {
        if ((st = sl__fmt_opt_bool(opts, n_opts, "wholetext", false, &b, err))) return st;
    }
    return SL_OK;
}

/* ---- listing and reading -------------------------------------------------- */

typedef struct flist {
    char **v;
    uint32_t n, cap;
} flist;

static void flist_add(flist *l, char *s) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = sl__realloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = s;
}

static bool hidden(const char *name) {
    size_t n = strlen(name);
    return name[0] == '.' || name[0] == '_' ||
           (n >= 10 && strcmp(name + n - 10, "._COPYING_") == 0);
}

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static sl_status list_dir(const char *dir, bool recursive, flist *l, sl__err *err) {
    DIR *d = opendir(dir);
    if (!d)
        return sl__err_set(err, SL_ERR_IO, -1, "cannot list directory '%s': %s", dir,
                           strerror(errno));
    struct dirent *e;
    sl_status st = SL_OK;
    while ((e = readdir(d))) {
        if (hidden(e->d_name)) continue;
        size_t dl = strlen(dir);
        char *full = sl__sprintf("%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", e->d_name);
        struct stat sb;
        if (stat(full, &sb) != 0) {
            sl__free(full);
            continue;
        }
        if (S_ISREG(sb.st_mode)) {
            flist_add(l, full);
        } else {
            if (S_ISDIR(sb.st_mode) && recursive) st = list_dir(full, recursive, l, err);
            sl__free(full);
            if (st) break;
        }
    }
    closedir(d);
    return st;
}

static int cmp_path(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void sl__files_free(char **files, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) sl__free(files[i]);
    sl__free(files);
}

sl_status sl__files_list(const char *path, bool recursive, char ***files, uint32_t *n,
                         sl__err *err) {
    flist l = {0};
    sl_status st = SL_OK;
    struct stat sb;
    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            st = list_dir(path, recursive, &l, err);
        else
            flist_add(&l, sl__strdup(path));
    } else if (strpbrk(path, "*?[{")) {
        glob_t g;
        int r = glob(path, GLOB_BRACE, NULL, &g);
        if (r == GLOB_NOMATCH || (r == 0 && g.gl_pathc == 0)) {
            if (r == 0) globfree(&g);
            return sl__err_set(err, SL_ERR_IO, -1, "no file matches the path '%s'", path);
        }
        if (r != 0) return sl__err_set(err, SL_ERR_IO, -1, "cannot expand the path '%s'", path);
        for (size_t i = 0; i < g.gl_pathc && !st; i++) {
            const char *m = g.gl_pathv[i];
            if (hidden(base_name(m)) || stat(m, &sb) != 0) continue;
            if (S_ISDIR(sb.st_mode))
                st = list_dir(m, recursive, &l, err);
            else if (S_ISREG(sb.st_mode))
                flist_add(&l, sl__strdup(m));
        }
        globfree(&g);
    } else {
        return sl__err_set(err, SL_ERR_IO, -1, "path does not exist: '%s'", path);
    }
    if (st) {
        sl__files_free(l.v, l.n);
        return st;
    }
    qsort(l.v, l.n, sizeof *l.v, cmp_path);
    *files = l.v;
    *n = l.n;
    return SL_OK;
}

sl_status sl__file_read_all(const char *path, char **buf, size_t *len, sl__err *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sl__err_set(err, SL_ERR_IO, -1, "cannot open '%s': %s", path, strerror(errno));
    struct stat sb;
    size_t cap = 1 << 16;
    if (fstat(fd, &sb) == 0 && sb.st_size > 0) cap = (size_t)sb.st_size + 1;
    char *b = sl__malloc(cap);
    size_t n = 0;
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            b = sl__realloc(b, cap);
        }
        ssize_t r = read(fd, b + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            sl__free(b);
            return sl__err_set(err, SL_ERR_IO, -1, "cannot read '%s': %s", path, strerror(e));
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    b[n] = 0;
    *buf = b;
    *len = n;
    return SL_OK;
}

void sl__text_parse_buffer(const char *buf, size_t len, bool whole, sl__chunks *out) {
    const char *p = buf, *end = buf + len;
    if (whole) {
        sl__chunk *k = sl__chunks_tail(out);
        sl__vec_set_str_copy(k->cols[0], k->n, buf, len);
        sl__vec_set_valid(k->cols[0], k->n);
        sl__chunks_commit(out, k);
        return;
    }
    while (p < end) {
        const char *e = p;
        while (e < end && *e != '\n' && *e != '\r') e++;
        sl__chunk *k = sl__chunks_tail(out);
        sl__vec_set_str_copy(k->cols[0], k->n, p, (size_t)(e - p));
        sl__vec_set_valid(k->cols[0], k->n);
        sl__chunks_commit(out, k);
        if (e < end && *e == '\r' && e + 1 < end && e[1] == '\n') e++;
        p = e < end ? e + 1 : end;
    }
}

/* ---- schema and load ------------------------------------------------------- */

/* The zone of option timeZone (checked already), UTC by default. */
static const sl__tz *opt_zone(const sl__kv *opts, uint32_t n) {
    const char *zone = sl__opt_get(opts, n, "timeZone");
    sl__err zerr;
    sl__err_clear(&zerr);
    const sl__tz *z = zone ? sl__tz_get(zone, &zerr) : NULL;
    return z ? z : sl__tz_utc();
}

static sl_status list_opts(const sl__kv *opts, uint32_t n_opts, char ***files, uint32_t *n,
                           sl__err *err) {
    bool rec = false;
    sl__fmt_opt_bool(opts, n_opts, "recursiveFileLookup", false, &rec, err);
    return sl__files_list(sl__opt_get(opts, n_opts, "path"), rec, files, n, err);
}

sl_status sl__file_table_schema(const char *format, const sl__kv *opts, uint32_t n_opts,
                                const sl__type **out, sl__err *err) {
    sl_status st = sl__file_table_check(format, opts, n_opts, err);
    if (st) return st;
    fformat f;
    parse_format(format, &f, err);
    if (f == F_TEXT) {
        const char *name = "value";
        const sl__type *t = SL_T_STR;
        *out = sl__type_struct(1, &name, &t, NULL);
        return SL_OK;
    }
    char **files;
    uint32_t nf;
    if ((st = list_opts(opts, n_opts, &files, &nf, err))) return st;
    const char *path = sl__opt_get(opts, n_opts, "path");
    const sl__type *schema = NULL;
    if (f == F_CSV) {
        sl__csv_opts o;
        sl__csv_opts_init(&o);
        sl__csv_opts_from(opts, n_opts, &o, err);
        sl__csv_infer *ci = sl__csv_infer_new(&o);
        for (uint32_t i = 0; i < nf && !st; i++) {
            char *buf;
            size_t len;
            if ((st = sl__file_read_all(files[i], &buf, &len, err))) break;
            sl__csv_infer_add(ci, buf, len);
            sl__free(buf);
            if (!o.infer_schema && sl__csv_infer_schema(ci)) break; /* names are enough */
        }
        if (!st) schema = sl__csv_infer_schema(ci);
        sl__csv_infer_free(ci);
        sl__csv_opts_free(&o);
    } else {
        bool pas = false, dropnull = false;
        sl__fmt_opt_bool(opts, n_opts, "primitivesAsString", false, &pas, err);
        sl__fmt_opt_bool(opts, n_opts, "dropFieldIfAllNull", false, &dropnull, err);
        sl__parse_mode mode = SL_MODE_PERMISSIVE;
        const char *m = sl__opt_get(opts, n_opts, "mode");
        if (m) sl__parse_mode_from(m, &mode);
        sl__json_infer *ji = sl__json_infer_new(pas);
        for (uint32_t i = 0; i < nf && !st; i++) {
            char *buf;
            size_t len;
            if ((st = sl__file_read_all(files[i], &buf, &len, err))) break;
            const char *p = buf, *end = buf + len;
            uint64_t line = 0;
            while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                const char *ls = p, *le = nl ? nl : end;
                p = nl ? nl + 1 : end;
                line++;
                const char *q = ls;
                while (q < le && (*q == ' ' || *q == '\t' || *q == '\r')) q++;
                if (q == le) continue;
                if (!sl__json_infer_add(ji, ls, (size_t)(le - ls)) && mode == SL_MODE_FAILFAST) {
                    st = sl__err_set(err, SL_ERR_EXEC, -1,
                                     "%s:%llu: malformed JSON record while inferring the schema "
                                     "in mode FAILFAST",
                                     files[i], (unsigned long long)line);
                    break;
                }
            }
            sl__free(buf);
        }
        if (!st) {
            schema = sl__json_infer_schema(ji, dropnull);
            if (schema->n_fields == 0) schema = NULL;
        }
        sl__json_infer_free(ji);
    }
    sl__files_free(files, nf);
    if (st) return st;
    if (!schema)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "unable to infer a schema for %s at '%s': no data (give the columns "
                           "explicitly: CREATE TABLE t (a INT, ...) USING %s OPTIONS (...))",
                           f == F_CSV ? "CSV" : "JSON", path, f == F_CSV ? "csv" : "json");
    *out = schema;
    return SL_OK;
}

sl_status sl__file_table_load(const char *format, const sl__kv *opts, uint32_t n_opts,
                              const sl__type *schema, sl__tabdata **out, uint64_t *bad,
                              sl__err *err) {
    sl_status st = sl__file_table_check(format, opts, n_opts, err);
    if (st) return st;
    fformat f;
    parse_format(format, &f, err);
    if (f == F_TEXT && (schema->n_fields != 1 || schema->fields[0]->id != SL_TYPE_STRING))
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "a text table has one STRING column (value), not %s", schema->name);
    if (f == F_CSV)
        for (uint32_t i = 0; i < schema->n_fields; i++)
            if (!sl__csv_type_ok(schema->fields[i]))
                return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                                   "CSV files cannot hold column %s of type %s", schema->names[i],
                                   schema->fields[i]->name);
    char **files;
    uint32_t nf;
    if ((st = list_opts(opts, n_opts, &files, &nf, err))) return st;
    sl__chunks chunks;
    sl__chunks_init(&chunks, schema);
    uint64_t nbad = 0;
    sl__csv_opts co;
    sl__csv_opts_init(&co);
    sl__json_decoder *jd = NULL;
    sl__parse_mode mode = SL_MODE_PERMISSIVE;
    bool whole = false;
    if (f == F_CSV) {
        sl__csv_opts_from(opts, n_opts, &co, err);
    } else if (f == F_JSON) {
        jd = sl__json_decoder_new(schema, 0);
        sl__json_decoder_set_zone(jd, opt_zone(opts, n_opts));
        const char *m = sl__opt_get(opts, n_opts, "mode");
        if (m) sl__parse_mode_from(m, &mode);
    } else {
        sl__fmt_opt_bool(opts, n_opts, "wholetext", false, &whole, err);
    }
    for (uint32_t i = 0; i < nf && !st; i++) {
        char *buf;
        size_t len;
        if ((st = sl__file_read_all(files[i], &buf, &len, err))) break;
        if (f == F_CSV)
            st = sl__csv_parse_buffer(&co, buf, len, files[i], &chunks, &nbad, err);
        else if (f == F_JSON)
            st = sl__json_lines_parse_buffer(jd, buf, len, mode, files[i], &chunks, &nbad, err);
        else
            sl__text_parse_buffer(buf, len, whole, &chunks);
        sl__free(buf);
    }
    sl__json_decoder_free(jd);
    sl__csv_opts_free(&co);
    sl__files_free(files, nf);
    if (st) {
        sl__chunks_free(&chunks);
        return st;
    }
    uint64_t rows = chunks.rows;
    uint32_t n;
    sl__chunk *v = sl__chunks_take(&chunks, &n);
    *out = sl__tabdata_new(v, n, rows);
    if (bad) *bad = nbad;
    return SL_OK;
}
