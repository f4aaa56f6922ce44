/*
 * files.c — the file source (R73–R79): new files of a directory (or a
 * glob) become the rows of the next micro-batch, each file once, oldest
 * first. `USING json|csv|text OPTIONS (path ...)` as in Spark, or `USING
 * files OPTIONS (path ..., format 'csv')`. The files are parsed by the same
 * readers as file tables (format/files.h, csv.h, json.h), with the same
 * options; malformed records are counted in the batch's bad_records.
 *
 * A file is read whole when its batch runs, so writers must not let it be
 * seen half-written: write it under a name starting with '.' or '_'
 * (ignored by the listing) and rename it into place — `sluice gen --to-dir`
 * does that.
 *
 * Design notes
 * ------------
 * The file log: each latest() that finds new files appends one entry (the
 * files admitted by that trigger, at most maxFilesPerTrigger or about
 * maxBytesPerTrigger) and the offset is the index of the newest entry —
 * Spark's FileStreamSource logOffset, shown as {"logOffset":n}; −1 (and no
 * batch, R25) until a first file is there. get_batch(start, end) reads the
 * files of entries start+1 .. end; commit(end) drops them (and applies
 * cleanSource). While admitted entries wait uncommitted, latest() admits no
 * more, so a batch never holds more than one trigger's admission however
 * often latest() is called.
 *
 * Seen files (R74): a hash set keyed by path (or by file name with
 * fileNameOnly) with each file's modification time. A file is new when it
 * is not in the set and is not older than `purge_ms` = (newest time seen −
 * maxFileAge) (R77); entries older than purge_ms are dropped from the set,
 * since the age test alone rejects such files — so the set stays bounded.
 * Before anything is seen purge_ms is 0: the first listing takes every
 * file. With latestFirst and a per-trigger cap, maxFileAge is ignored.
 *
 * Order (R75): modification time (nanoseconds), then path; latestFirst
 * reverses the time order.
 *
 * Invariants: log[i] holds entry log0 + i; log0 = committed + 1 after a
 * commit; last = log0 + n_log − 1; every admitted file is in the set until
 * it is older than purge_ms.
 */
#include "format/csv.h"
#include "format/files.h"
#include "format/json.h"
#include "stream/stream.h"
#include "types/tz.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum { FMT_JSON, FMT_CSV, FMT_TEXT } fmt;
typedef enum { CLEAN_OFF, CLEAN_DELETE, CLEAN_ARCHIVE } clean_mode;

/* ---- options ------------------------------------------------------------------ */

typedef struct files_cfg {
    fmt format;
    const char *format_name;
    const char *path;
    int64_t max_files, max_bytes; /* 0: no cap */
    int64_t max_age_ms;
    bool latest_first, name_only, ignore_missing, recursive, whole_text;
    clean_mode clean;
    const char *archive_dir;
    /* the options for the format readers: all but the stream's own */
    sl__kv *fopts;
    uint32_t n_fopts;
} files_cfg;

static void cfg_free(files_cfg *c) {
    sl__free(c->fopts);
    c->fopts = NULL;
}

/* Spark's Utils.timeStringAsMs: an integer with an optional unit (us, ms,
 * s, m, min, h, d; milliseconds when none). */
static bool parse_ms(const char *text, int64_t *out) {
    const char *p = text;
    while (isspace((unsigned char)*p)) p++;
    char *e;
    errno = 0;
    long long v = strtoll(p, &e, 10);
    if (errno || e == p || v < 0) return false;
    p = e;
    char unit[8];
    size_t ul = 0;
    while (isalpha((unsigned char)*p) && ul < sizeof unit - 1) unit[ul++] = (char)tolower(*p++);
    unit[ul] = 0;
    while (isspace((unsigned char)*p)) p++;
    if (*p) return false;
    int64_t mul = 1, div = 1;
    if (ul == 0 || strcmp(unit, "ms") == 0)
        ;
    else if (strcmp(unit, "us") == 0)
        div = 1000;
    else if (strcmp(unit, "s") == 0)
        mul = 1000;
    else if (strcmp(unit, "m") == 0 || strcmp(unit, "min") == 0)
        mul = 60000;
    else if (strcmp(unit, "h") == 0)
        mul = 3600000;
    else if (strcmp(unit, "d") == 0)
        mul = 86400000;
    else
        return false;
    if (v > INT64_MAX / mul) return false;
    *out = v * mul / div;
    return true;
}

static bool is_key(const char *k, const char *const *list) {
    for (; *list; list++)
        if (strcasecmp(k, *list) == 0) return true;
    return false;
}

/* An optional positive integer option (0 when absent). */
static sl_status positive(const sl__kv *opts, uint32_t n, const char *key, int64_t *out,
                          sl__err *err) {
    const char *v = sl__opt(opts, n, key);
    *out = 0;
    if (!v) return SL_OK;
    char *e;
    errno = 0;
    long long x = strtoll(v, &e, 10);
    while (isspace((unsigned char)*e)) e++;
    if (errno || e == v || *e || x <= 0)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "Invalid value '%s' for option '%s', must be a positive integer", v,
                           key);
    *out = x;
    return SL_OK;
}

/* Keys read here and not by the format readers' check. */
static const char *const own_keys[] = {"format", "ignoreMissingFiles", "badRecordsPath", NULL};

static sl_status parse_cfg(const char *kind, const sl__kv *opts, uint32_t n,
                           const sl__type *declared, files_cfg *c, sl__err *err) {
    memset(c, 0, sizeof *c);
    const char *f = sl__opt(opts, n, "format");
    bool generic = strcasecmp(kind, "files") == 0 || strcasecmp(kind, "file") == 0;
    if (generic) {
        c->format_name = f ? f : "json";
    } else {
        if (f && strcasecmp(f, kind) != 0)
            return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                               "USING %s already names the format, but OPTIONS say format '%s' "
                               "(write USING files OPTIONS (format '%s', ...), or drop the option)",
                               kind, f, f);
        c->format_name = kind;
    }
    if (strcasecmp(c->format_name, "json") == 0)
        c->format = FMT_JSON;
    else if (strcasecmp(c->format_name, "csv") == 0)
        c->format = FMT_CSV;
    else if (strcasecmp(c->format_name, "text") == 0)
        c->format = FMT_TEXT;
    else if (strcasecmp(c->format_name, "parquet") == 0 || strcasecmp(c->format_name, "orc") == 0 ||
             strcasecmp(c->format_name, "avro") == 0)
        return sl__err_set(err, SL_ERR_UNSUPPORTED, -1,
                           "format '%s' is not supported: a file stream reads json, csv or text "
                           "files",
                           c->format_name);
    else
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "unknown file format '%s' for a file stream (use json, csv or text)",
                           c->format_name);
    c->path = sl__opt(opts, n, "path");
    if (!c->path || !*c->path)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "a file stream needs a path: USING %s OPTIONS (path 'data/incoming') — "
                           "a directory or a glob whose new files are read",
                           generic ? "files" : kind);
    /* everything else is checked by the readers, as for file tables */
    c->fopts = sl__calloc(n ? n : 1, sizeof *c->fopts);
    for (uint32_t i = 0; i < n; i++)
        if (!is_key(opts[i].key, own_keys)) c->fopts[c->n_fopts++] = opts[i];
    const char *canon = c->format == FMT_JSON ? "json" : c->format == FMT_CSV ? "csv" : "text";
    sl_status st = sl__file_table_check(canon, c->fopts, c->n_fopts, err);
    if (st) return st;

    if ((st = positive(opts, n, "maxFilesPerTrigger", &c->max_files, err))) return st;
    if ((st = positive(opts, n, "maxBytesPerTrigger", &c->max_bytes, err))) return st;
    if (c->max_files && c->max_bytes)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "options maxFilesPerTrigger and maxBytesPerTrigger cannot both be set: "
                           "cap each batch by file count or by size, not both");
    if (!sl__opt_bool(opts, n, "latestFirst", false, &c->latest_first, err) ||
        !sl__opt_bool(opts, n, "fileNameOnly", false, &c->name_only, err) ||
        !sl__opt_bool(opts, n, "ignoreMissingFiles", false, &c->ignore_missing, err) ||
        !sl__opt_bool(opts, n, "recursiveFileLookup", false, &c->recursive, err) ||
        !sl__opt_bool(opts, n, "wholetext", false, &c->whole_text, err))
        return err->code;
    const char *age = sl__opt(opts, n, "maxFileAge");
    c->max_age_ms = (int64_t)7 * 86400000;
    if (age && !parse_ms(age, &c->max_age_ms))
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "option maxFileAge must be a duration such as '7d', '12h', '30min' or "
                           "'90s' (milliseconds without a unit), got '%s'",
                           age);
    if (c->latest_first && c->max_files) c->max_age_ms = INT64_MAX; /* R77 */
    const char *cl = sl__opt(opts, n, "cleanSource");
    if (!cl || strcasecmp(cl, "off") == 0)
        c->clean = CLEAN_OFF;
    else if (strcasecmp(cl, "delete") == 0)
        c->clean = CLEAN_DELETE;
    else if (strcasecmp(cl, "archive") == 0)
        c->clean = CLEAN_ARCHIVE;
    else
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "option cleanSource must be 'off', 'delete' or 'archive', got '%s'", cl);
    c->archive_dir = sl__opt(opts, n, "sourceArchiveDir");
    if (c->clean == CLEAN_ARCHIVE && (!c->archive_dir || !*c->archive_dir))
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "cleanSource 'archive' needs option sourceArchiveDir: the directory "
                           "that receives the processed files");

    /* R79: the schema */
    if (c->format == FMT_TEXT) {
        if (declared && (declared->n_fields != 1 || declared->fields[0]->id != SL_TYPE_STRING))
            return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                               "a text file stream has one STRING column (value STRING), not %s",
                               declared->name);
    } else if (!declared) {
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "Schema must be specified when creating a streaming source: a %s file "
                           "stream needs its columns, e.g. CREATE STREAM s (id BIGINT, name "
                           "STRING) USING %s OPTIONS (path '%s') (sluice does not infer a "
                           "stream's schema; CREATE TABLE t USING %s OPTIONS (path '...') shows "
                           "what it would infer from files already there)",
                           canon, canon, c->path, canon);
    } else if (c->format == FMT_CSV) {
        for (uint32_t i = 0; i < declared->n_fields; i++)
            if (!sl__csv_type_ok(declared->fields[i]))
                return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                                   "CSV files cannot hold column %s of type %s", declared->names[i],
                                   declared->fields[i]->name);
    }
    return SL_OK;
}

static bool has_glob(const char *p) {
    return strpbrk(p, "*?[{") != NULL;
}

/* "file:" + the absolute, tidied path: Spark's qualified path. */
static char *qualify(const char *path) {
    sl__buf b = SL_BUF_INIT;
    sl__buf_puts(&b, "file:");
    if (path[0] != '/') {
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof cwd)) sl__buf_puts(&b, cwd);
        sl__buf_putc(&b, '/');
    }
    const char *p = path;
    while (*p) {
        if (p[0] == '/' && b.len && b.p[b.len - 1] == '/') {
            p++;
            continue;
        }
        if (p[0] == '.' && (p[1] == '/' || p[1] == 0) && b.len && b.p[b.len - 1] == '/') {
            p += p[1] ? 2 : 1;
            continue;
        }
        sl__buf_putc(&b, *p++);
    }
    while (b.len > 6 && b.p[b.len - 1] == '/') b.p[--b.len] = 0;
    return sl__buf_take(&b);
}

static sl_status check_path(const files_cfg *c, sl__err *err) {
    struct stat sb;
    if (!has_glob(c->path) && stat(c->path, &sb) != 0) {
        char *q = qualify(c->path);
        sl_status st = sl__err_set(err, SL_ERR_ANALYSIS, -1,
                                   "Path does not exist: %s (a file stream reads new files of an "
                                   "existing directory: create it first)",
                                   q);
        sl__free(q);
        return st;
    }
    if (c->clean == CLEAN_ARCHIVE) {
        char *src = qualify(c->path), *dst = qualify(c->archive_dir);
        size_t n = strlen(src);
        bool inside = strncmp(dst, src, n) == 0 && (dst[n] == 0 || dst[n] == '/');
        sl__free(src);
        sl__free(dst);
        if (inside)
            return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                               "sourceArchiveDir '%s' is inside the source path '%s': archived "
                               "files would be read again (choose a directory elsewhere)",
                               c->archive_dir, c->path);
    }
    return SL_OK;
}

sl_status sl__src_files_define(const char *kind, const sl__kv *opts, uint32_t n,
                               const sl__type *declared, const sl__type **schema, sl__err *err);
sl_status sl__src_files_define(const char *kind, const sl__kv *opts, uint32_t n,
                               const sl__type *declared, const sl__type **schema, sl__err *err) {
    files_cfg c;
    sl_status st = parse_cfg(kind, opts, n, declared, &c, err);
    if (!st) st = check_path(&c, err);
    if (!st) {
        if (c.format == FMT_TEXT && !declared) {
            const char *name = "value";
            const sl__type *t = SL_T_STR;
            *schema = sl__type_struct(1, &name, &t, NULL);
        } else {
            *schema = declared;
        }
    }
    cfg_free(&c);
    return st;
}

/* ---- seen files ----------------------------------------------------------------- */

typedef struct seen_slot {
    char *key; /* NULL: empty */
    int64_t mtime_ms;
} seen_slot;

typedef struct seen_set {
    seen_slot *v;
    uint32_t cap, n; /* cap a power of two (or 0); n < cap * 3/4 */
} seen_set;

static const char *key_of(const char *path, bool name_only) {
    if (!name_only) return path;
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static seen_slot *seen_find(seen_set *s, const char *key) {
    if (!s->cap) return NULL;
    uint32_t m = s->cap - 1, i = (uint32_t)sl__hash_bytes(key, strlen(key)) & m;
    for (; s->v[i].key; i = (i + 1) & m)
        if (strcmp(s->v[i].key, key) == 0) return &s->v[i];
    return NULL;
}

static void seen_put_owned(seen_set *s, char *key, int64_t mtime_ms);

static void seen_rehash(seen_set *s, uint32_t cap) {
    seen_slot *old = s->v;
    uint32_t oc = s->cap;
    s->v = sl__calloc(cap, sizeof *s->v);
    s->cap = cap;
    s->n = 0;
    for (uint32_t i = 0; i < oc; i++)
        if (old[i].key) seen_put_owned(s, old[i].key, old[i].mtime_ms);
    sl__free(old);
}

static void seen_put_owned(seen_set *s, char *key, int64_t mtime_ms) {
    if ((s->n + 1) * 4 >= s->cap * 3) seen_rehash(s, s->cap ? s->cap * 2 : 64);
    uint32_t m = s->cap - 1, i = (uint32_t)sl__hash_bytes(key, strlen(key)) & m;
    while (s->v[i].key) i = (i + 1) & m;
    s->v[i].key = key;
    s->v[i].mtime_ms = mtime_ms;
    s->n++;
}

/* Drops the entries older than min_ms (a rebuild: purges are rare). */
static void seen_purge(seen_set *s, int64_t min_ms) {
    bool any = false;
    for (uint32_t i = 0; i < s->cap && !any; i++) any = s->v[i].key && s->v[i].mtime_ms < min_ms;
    if (!any) return;
    seen_slot *old = s->v;
    uint32_t oc = s->cap;
    s->v = sl__calloc(oc, sizeof *s->v);
    s->n = 0;
    for (uint32_t i = 0; i < oc; i++) {
        if (!old[i].key) continue;
        if (old[i].mtime_ms < min_ms)
            sl__free(old[i].key);
        else
            seen_put_owned(s, old[i].key, old[i].mtime_ms);
    }
    sl__free(old);
}

static void seen_free(seen_set *s) {
    for (uint32_t i = 0; i < s->cap; i++) sl__free(s->v[i].key);
    sl__free(s->v);
    memset(s, 0, sizeof *s);
}

/* ---- the source ----------------------------------------------------------------- */

typedef struct fentry {
    char *path;
    int64_t mtime_ns, size;
} fentry;

typedef struct fbatch {
    fentry *files;
    uint32_t n;
} fbatch;

typedef struct fsrc {
    files_cfg cfg;
    char *qualified;
    sl__csv_opts csv;
    sl__json_decoder *jd;
    sl__parse_mode json_mode;
    fbatch *log;
    uint32_t n_log, log_cap;
    int64_t log0, last; /* offset of log[0]; newest offset (−1: none) */
    seen_set seen;
    int64_t newest_ms, purge_ms;
    /* frozen (availableNow, once): the files present then, admitted from
     * pend[i_pend..] only; uncapped: all in one step */
    bool frozen, uncapped;
    fentry *pend;
    uint32_t n_pend, i_pend;
} fsrc;

static void fbatch_free(fbatch *b) {
    for (uint32_t i = 0; i < b->n; i++) sl__free(b->files[i].path);
    sl__free(b->files);
}

static sl_status files_open(sl__source *s, sl__err *err) {
    fsrc *f = sl__calloc(1, sizeof *f);
    s->impl = f;
    sl__csv_opts_init(&f->csv);
    const sl__table *t = s->def;
    sl_status st = parse_cfg(t->format, t->options, t->n_options, s->schema, &f->cfg, err);
    if (!st) st = check_path(&f->cfg, err);
    if (st) return st;
    f->qualified = qualify(f->cfg.path);
    if (f->cfg.format == FMT_CSV) {
        if ((st = sl__csv_opts_from(f->cfg.fopts, f->cfg.n_fopts, &f->csv, err))) return st;
    } else if (f->cfg.format == FMT_JSON) {
        const char *z = sl__opt(t->options, t->n_options, "timeZone");
        const sl__tz *zone = z ? sl__tz_get(z, err) : s->tz ? s->tz : sl__tz_utc();
        if (!zone) return err->code;
        f->jd = sl__json_decoder_new(s->schema, 0);
        sl__json_decoder_set_zone(f->jd, zone);
        const char *m = sl__opt(t->options, t->n_options, "mode");
        f->json_mode = SL_MODE_PERMISSIVE;
        if (m) sl__parse_mode_from(m, &f->json_mode);
    }
    f->log0 = 0;
    f->last = -1;
    s->initial = -1;
    s->replayable = true;
    return SL_OK;
}

static int cmp_entry(const fentry *a, const fentry *b, bool latest_first) {
    if (a->mtime_ns != b->mtime_ns) return (a->mtime_ns < b->mtime_ns) == !latest_first ? -1 : 1;
    return strcmp(a->path, b->path);
}

static int cmp_oldest(const void *a, const void *b) {
    return cmp_entry(a, b, false);
}

static int cmp_newest(const void *a, const void *b) {
    return cmp_entry(a, b, true);
}

static int64_t floor_div(int64_t a, int64_t b) {
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Could a listing of the directory find a file? (sl__files_list passes an
 * empty list to qsort, which UBSan rejects: an empty directory — the usual
 * start of a stream — is answered here.) */
static bool may_have_files(const char *path, bool recursive) {
    DIR *d = opendir(path);
    if (!d) return true; /* not a directory: let the listing say what it is */
    struct dirent *e;
    bool any = false;
    while (!any && (e = readdir(d))) {
        if (e->d_name[0] == '.' || e->d_name[0] == '_') continue;
        any = e->d_type != DT_DIR || recursive;
    }
    closedir(d);
    return any;
}

/* Lists the path: the regular, visible files, or none when a glob matches
 * nothing yet. */
static sl_status list_now(fsrc *f, char ***paths, uint32_t *n, sl__err *err) {
    sl__err e;
    sl__err_clear(&e);
    if (!has_glob(f->cfg.path) && !may_have_files(f->cfg.path, f->cfg.recursive)) {
        *paths = NULL;
        *n = 0;
        return SL_OK;
    }
    sl_status st = sl__files_list(f->cfg.path, f->cfg.recursive, paths, n, &e);
    if (st == SL_OK) return SL_OK;
    *paths = NULL;
    *n = 0;
    if (has_glob(f->cfg.path)) return SL_OK; /* nothing matches yet */
    return sl__err_set(err, e.code, -1, "file stream %s: %s", f->qualified, e.msg);
}

/* The files not admitted yet, in admission order (oldest or newest first). */
static sl_status candidates(fsrc *f, fentry **out, uint32_t *n, sl__err *err) {
    char **paths;
    uint32_t np;
    sl_status st = list_now(f, &paths, &np, err);
    if (st) return st;
    fentry *cand = sl__malloc((np ? np : 1) * sizeof *cand);
    uint32_t nc = 0;
    for (uint32_t i = 0; i < np; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) != 0 || !S_ISREG(sb.st_mode)) continue; /* gone since listed */
        int64_t ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
        int64_t ms = floor_div(ns, 1000000);
        if (ms < f->purge_ms || seen_find(&f->seen, key_of(paths[i], f->cfg.name_only))) continue;
        cand[nc++] = (fentry){paths[i], ns, (int64_t)sb.st_size};
        paths[i] = NULL; /* moved */
    }
    sl__files_free(paths, np);
    if (nc) qsort(cand, nc, sizeof *cand, f->cfg.latest_first ? cmp_newest : cmp_oldest);
    *out = cand;
    *n = nc;
    return SL_OK;
}

static sl_status files_freeze(sl__source *s, bool uncapped, sl__err *err) {
    fsrc *f = s->impl;
    sl_status st = candidates(f, &f->pend, &f->n_pend, err);
    if (st) return st;
    f->frozen = true;
    f->uncapped = uncapped;
    f->i_pend = 0;
    return SL_OK;
}

static sl_status files_latest(sl__source *s, int64_t *end, sl__err *err) {
    fsrc *f = s->impl;
    if (f->last >= f->log0) { /* an admission still waits for its batch */
        *end = f->last;
        return SL_OK;
    }
    fentry *cand;
    uint32_t nc;
    if (f->frozen) {
        cand = f->pend + f->i_pend;
        nc = f->n_pend - f->i_pend;
    } else {
        sl_status st = candidates(f, &cand, &nc, err);
        if (st) return st;
    }
    uint32_t take = nc;
    if (!f->uncapped) {
        if (f->cfg.max_files && (int64_t)take > f->cfg.max_files) take = (uint32_t)f->cfg.max_files;
        if (f->cfg.max_bytes) {
            int64_t sum = 0;
            for (take = 0; take < nc; take++) {
                if (take > 0 && sum + cand[take].size > f->cfg.max_bytes) break;
                sum += cand[take].size;
            }
        }
    }
    fentry *adm = NULL;
    if (take) {
        adm = sl__malloc(take * sizeof *adm);
        memcpy(adm, cand, take * sizeof *adm); /* the paths move to the log */
    }
    if (f->frozen)
        f->i_pend += take;
    else {
        for (uint32_t i = take; i < nc; i++) sl__free(cand[i].path);
        sl__free(cand);
    }
    for (uint32_t i = 0; i < take; i++) {
        int64_t ms = floor_div(adm[i].mtime_ns, 1000000);
        seen_put_owned(&f->seen, sl__strdup(key_of(adm[i].path, f->cfg.name_only)), ms);
        if (ms > f->newest_ms) f->newest_ms = ms;
    }
    if (take) {
        SL_GROW(f->log, f->log_cap, f->n_log + 1);
        f->log[f->n_log++] = (fbatch){adm, take};
        f->last++;
    }
    /* R77: later listings skip files older than the newest seen − maxFileAge */
    int64_t purge = f->cfg.max_age_ms == INT64_MAX ? INT64_MIN : f->newest_ms - f->cfg.max_age_ms;
    if (f->seen.n && purge > f->purge_ms) {
        f->purge_ms = purge;
        seen_purge(&f->seen, purge);
    }
    if (f->last >= 0) *end = f->last;
    return SL_OK;
}

static sl_status read_one(fsrc *f, const char *path, sl__chunks *ch, uint64_t *bad, sl__err *err) {
    char *buf;
    size_t len;
    sl__err e;
    sl__err_clear(&e);
    if (sl__file_read_all(path, &buf, &len, &e)) {
        struct stat sb;
        if (stat(path, &sb) != 0 && errno == ENOENT) {
            if (f->cfg.ignore_missing) return SL_OK;
            return sl__err_set(err, SL_ERR_IO, -1,
                               "file stream %s: '%s' was listed but is gone before it was read "
                               "(Spark fails with FileNotFoundException too). Files must stay "
                               "until processed; set OPTIONS (ignoreMissingFiles true) to skip "
                               "deleted files",
                               f->qualified, path);
        }
        return sl__err_set(err, e.code, -1, "file stream %s: %s", f->qualified, e.msg);
    }
    sl_status st = SL_OK;
    if (f->cfg.format == FMT_CSV)
        st = sl__csv_parse_buffer(&f->csv, buf, len, path, ch, bad, err);
    else if (f->cfg.format == FMT_JSON)
        st = sl__json_lines_parse_buffer(f->jd, buf, len, f->json_mode, path, ch, bad, err);
    else
        sl__text_parse_buffer(buf, len, f->cfg.whole_text, ch);
    sl__free(buf);
    return st;
}

static sl_status files_get_batch(sl__source *s, int64_t start, int64_t end, sl__rowset *out,
                                 sl__err *err) {
    fsrc *f = s->impl;
    int64_t from = start + 1;
    if (from < f->log0 || end > f->last)
        return sl__err_set(err, SL_ERR_INTERNAL, -1,
                           "file stream %s: log entries %lld..%lld asked for, but it holds "
                           "%lld..%lld",
                           f->qualified, (long long)from, (long long)end, (long long)f->log0,
                           (long long)f->last);
    /* every file of the range into one chunk list, so small files share chunks */
    sl__chunks ch;
    sl__chunks_init(&ch, s->schema);
    uint64_t bad = 0;
    sl_status st = SL_OK;
    sl__badrec *keep = sl__source_keeps_bad(s) ? &out->bad_kept : NULL;
    if (f->jd) sl__json_decoder_keep_bad(f->jd, keep);
    f->csv.keep = keep;
    for (int64_t o = from; o <= end && !st; o++) {
        const fbatch *b = &f->log[o - f->log0];
        for (uint32_t i = 0; i < b->n && !st; i++)
            st = read_one(f, b->files[i].path, &ch, &bad, err);
    }
    out->bad_records += bad;
    if (st) {
        sl__chunks_free(&ch);
        return st;
    }
    uint32_t n;
    uint64_t rows = ch.rows;
    sl__chunk *v = sl__chunks_take(&ch, &n);
    for (uint32_t i = 0; i < n; i++) {
        if (out->n_chunks == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 4;
            out->chunks = sl__realloc(out->chunks, sizeof *out->chunks * out->cap);
        }
        out->chunks[out->n_chunks++] = v[i];
    }
    sl__free(v);
    out->rows += rows;
    return SL_OK;
}

/* mkdir -p of the directory part of path (best effort). */
static void make_parents(char *path) {
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        mkdir(path, 0777);
        *p = '/';
    }
}

/* R78: best effort; a failure leaves the file where it is. */
static void clean_file(const fsrc *f, const char *path) {
    if (f->cfg.clean == CLEAN_DELETE) {
        unlink(path);
    } else if (f->cfg.clean == CLEAN_ARCHIVE) {
        char *abs = qualify(path); /* "file:/..." */
        char *dst = sl__sprintf("%s%s", f->cfg.archive_dir, abs + 5);
        make_parents(dst);
        rename(path, dst);
        sl__free(dst);
        sl__free(abs);
    }
}

static void files_commit(sl__source *s, int64_t end) {
    fsrc *f = s->impl;
    uint32_t drop = 0;
    while (drop < f->n_log && f->log0 + drop <= end) {
        fbatch *b = &f->log[drop];
        for (uint32_t i = 0; i < b->n; i++) clean_file(f, b->files[i].path);
        fbatch_free(b);
        drop++;
    }
    if (!drop) return;
    memmove(f->log, f->log + drop, (f->n_log - drop) * sizeof *f->log);
    f->n_log -= drop;
    f->log0 += drop;
}

static int files_wait_fd(sl__source *s) {
    (void)s;
    return -1; /* the directory is listed at each trigger */
}

static void files_describe(const sl__source *s, sl__buf *out) {
    const fsrc *f = s->impl;
    if (f && f->qualified) {
        sl__buf_printf(out, "FileStreamSource[%s]", f->qualified);
        return;
    }
    const char *p = sl__opt(s->def->options, s->def->n_options, "path");
    char *q = qualify(p ? p : "");
    sl__buf_printf(out, "FileStreamSource[%s]", q);
    sl__free(q);
}

static void files_offset_json(const sl__source *s, int64_t offset, sl__buf *out) {
    (void)s;
    sl__buf_printf(out, "{\"logOffset\":%lld}", (long long)offset);
}

static void files_close(sl__source *s) {
    fsrc *f = s->impl;
    if (!f) return;
    for (uint32_t i = 0; i < f->n_log; i++) fbatch_free(&f->log[i]);
    sl__free(f->log);
    for (uint32_t i = f->i_pend; i < f->n_pend; i++) sl__free(f->pend[i].path);
    sl__free(f->pend);
    seen_free(&f->seen);
    sl__json_decoder_free(f->jd);
    sl__csv_opts_free(&f->csv);
    cfg_free(&f->cfg);
    sl__free(f->qualified);
    sl__free(f);
    s->impl = NULL;
}

const sl__source_vt sl__src_files_vt = {
    .kind = "files",
    .open = files_open,
    .latest = files_latest,
    .get_batch = files_get_batch,
    .commit = files_commit,
    .wait_fd = files_wait_fd,
    .describe = files_describe,
    .offset_json = files_offset_json,
    .close = files_close,
    .freeze = files_freeze,
};
