/*
 * files.c — the file sink (START QUERY ... USING files OPTIONS (path ...,
 * format 'json' | 'csv')): every micro-batch's rows become JSON-lines or CSV
 * part files in the `path` directory, and a per-batch log entry makes a
 * replayed batch a no-op, so a replayable source plus a checkpoint give
 * exactly-once output (R43, R192). Append mode only (§6.1, R42).
 *
 * Design notes
 *
 * Layout under <path>:
 *   part-<batch>-<n>.json|csv         data files (ids zero-padded to 5 digits)
 *   .part-<batch>-<n>.json|csv.tmp    a data file being written (readers skip
 *                                     names starting with '.' or '_', R73)
 *   _sluice_metadata/<batch>          the batch's log entry: "v1", then one
 *                                     JSON line per data file (Spark's
 *                                     _spark_metadata SinkFileStatus shape)
 *   _sluice_metadata/.<batch>.tmp     a log entry being written
 *
 * Committing batch B:
 *   1. B already has a log entry (or B <= the last committed batch): skip —
 *      a replay after a crash writes nothing twice.
 *   2. Each data file is written under its temporary name (at most
 *      maxRecordsPerFile rows each), fsync'ed and closed; an empty batch
 *      writes no data file.
 *   3. Each one is renamed to its final name; the directory is fsync'ed.
 *   4. The log entry is written to its temporary name, fsync'ed and renamed;
 *      the metadata directory is fsync'ed. The entry's existence is the
 *      commit point.
 *   Any failure removes what this attempt wrote (temporaries and renamed
 *   files), so no partial batch stays visible, and reports SL_ERR_IO naming
 *   the file. A crash between 3 and 4 leaves whole files of an uncommitted
 *   batch: open() deletes part files whose batch has no log entry, and stale
 *   temporaries, before the first batch runs; the replay writes them again.
 *
 * States: created → open (directories made, last committed batch known,
 * leftovers removed) → write per batch, in batch order → closed.
 */
#include "format/csv.h"
#include "format/json.h"
#include "stream/stream.h"
#include "types/tz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define META_DIR    "_sluice_metadata"
#define FLUSH_BYTES (1u << 20) /* write to the file once this much is buffered */

typedef enum fformat { FF_JSON, FF_CSV } fformat;

/* The sink's options, checked at START and read again at open. */
typedef struct fopts {
    const char *path;
    fformat format;
    bool header;         /* csv: a header line at the top of each file */
    int64_t max_records; /* rows per file; 0: no limit */
    sl__csv_wopts csv;
} fopts;

typedef struct outfile {
    char *name; /* final name, relative to the directory */
    char *tmp;  /* full path of the temporary */
    char *full; /* full path of the final name */
    uint64_t size;
    bool renamed;
} outfile;

typedef struct fsink {
    fopts o;
    char *dir;  /* the directory (absolute once created) */
    char *meta; /* dir/_sluice_metadata */
    int64_t last_committed;
    /* the batch being written */
    outfile *files;
    uint32_t n_files, cap_files;
    int fd;
    sl__buf buf;
    uint64_t rows_in_file;
} fsink;

sl_status sl__snk_files_check(const sl__kv *opts, uint32_t n, sl__out_mode mode, sl__err *err);

static const char *ext_of(fformat f) {
    return f == FF_CSV ? "csv" : "json";
}

/* One character option (quote, escape); "" means none for quote. */
static bool char_opt(const sl__kv *opts, uint32_t n, const char *key, char *out, sl__err *err) {
    const char *v = sl__opt(opts, n, key);
    if (!v) return true;
    if (strlen(v) != 1) {
        sl__err_set(err, SL_ERR_ANALYSIS, -1, "option %s must be a single character, got '%s'", key,
                    v);
        return false;
    }
    *out = v[0];
    return true;
}

static sl_status parse_opts(const sl__kv *opts, uint32_t n, fopts *o, sl__err *err) {
    memset(o, 0, sizeof *o);
    sl__csv_wopts_init(&o->csv);
    o->path = sl__opt(opts, n, "path");
    const char *f = sl__opt(opts, n, "format");
    if (!f || strcasecmp(f, "json") == 0)
        o->format = FF_JSON;
    else if (strcasecmp(f, "csv") == 0)
        o->format = FF_CSV;
    else
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "unknown format '%s' for the files sink: use 'json' (the default) or "
                           "'csv' (Parquet, ORC and text are not available)",
                           f);
    if (!sl__opt_bool(opts, n, "header", true, &o->header, err)) return err->code;
    if (!sl__opt_int(opts, n, "maxRecordsPerFile", 0, 0, INT64_MAX, &o->max_records, err))
        return err->code;
    const char *sep = sl__opt(opts, n, "sep");
    if (!sep) sep = sl__opt(opts, n, "delimiter");
    if (sep) {
        if (!*sep) return sl__err_set(err, SL_ERR_ANALYSIS, -1, "option sep must not be empty");
        if (strcmp(sep, "\\t") == 0) sep = "\t";
        o->csv.sep = sep;
    }
    if (!char_opt(opts, n, "quote", &o->csv.quote, err)) return err->code;
    if (!char_opt(opts, n, "escape", &o->csv.escape, err)) return err->code;
    const char *nv = sl__opt(opts, n, "nullValue");
    if (nv) o->csv.null_value = nv;
    const char *ev = sl__opt(opts, n, "emptyValue");
    if (ev) o->csv.empty_value = ev;
    if (!sl__opt_bool(opts, n, "quoteAll", false, &o->csv.quote_all, err)) return err->code;
    return SL_OK;
}

sl_status sl__snk_files_check(const sl__kv *opts, uint32_t n, sl__out_mode mode, sl__err *err) {
    fopts o;
    sl_status st = parse_opts(opts, n, &o, err);
    if (st != SL_OK) return st;
    if (!o.path || !*o.path)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "'path' is not specified: the files sink writes into a directory, "
                           "OPTIONS (path '<directory>')");
    if (mode != SL_MODE_APPEND)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "Data source %s does not support %s output mode: the files sink only "
                           "appends (a written file is never changed); use outputMode 'append', "
                           "or the memory or console sink",
                           ext_of(o.format), mode == SL_MODE_UPDATE ? "Update" : "Complete");
    const char *cp = sl__opt(opts, n, "checkpointLocation");
    if (!cp || !*cp)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "checkpointLocation must be specified either through OPTIONS "
                           "(checkpointLocation '<directory>') or SET "
                           "spark.sql.streaming.checkpointLocation = '<directory>': the files "
                           "sink needs it to write each batch exactly once");
    return SL_OK;
}

/* ---- file system helpers --------------------------------------------------------- */

static char *join(const char *a, const char *b) {
    sl__buf p = SL_BUF_INIT;
    sl__buf_printf(&p, "%s/%s", a, b);
    return sl__buf_take(&p);
}

static sl_status io_fail(sl__err *err, const char *what, const char *path, int e) {
    return sl__err_set(err, SL_ERR_IO, -1, "files sink: cannot %s '%s': %s", what, path,
                       strerror(e));
}

/* mkdir -p */
static sl_status make_dirs(const char *path, sl__err *err) {
    char *p = sl__strdup(path);
    sl_status st = SL_OK;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s) continue;
        char c = *s;
        *s = 0;
        struct stat sb;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            st = io_fail(err, "create directory", p, errno);
            break;
        }
        if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            st = sl__err_set(err, SL_ERR_IO, -1,
                             "files sink: cannot create directory '%s': '%s' exists and is not a "
                             "directory",
                             path, p);
            break;
        }
        *s = c;
        if (!c) break;
    }
    sl__free(p);
    return st;
}

static sl_status sync_dir(const char *dir, sl__err *err) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return io_fail(err, "open directory", dir, errno);
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    /* some file systems cannot sync a directory; the renames stand anyway */
    if (rc != 0 && e != EINVAL && e != ENOTSUP) return io_fail(err, "sync directory", dir, e);
    return SL_OK;
}

static bool write_all(int fd, const char *p, size_t n, int *e) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            *e = errno;
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Writes a small file atomically: temporary, fsync, rename. */
static sl_status write_file_atomic(const char *tmp, const char *final, const char *data, size_t n,
                                   sl__err *err) {
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) return io_fail(err, "create", tmp, errno);
    int e = 0;
    bool ok = write_all(fd, data, n, &e);
    if (ok && fsync(fd) != 0) {
        ok = false;
        e = errno;
    }
    if (close(fd) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (!ok) {
        unlink(tmp);
        return io_fail(err, "write", tmp, e);
    }
    if (rename(tmp, final) != 0) {
        e = errno;
        unlink(tmp);
        return io_fail(err, "rename to", final, e);
    }
    return SL_OK;
}

sl_status sl__files_write_atomic(const char *dir, const char *name, const char *data, size_t n,
                                 sl__err *err) {
    sl_status st = make_dirs(dir, err);
    if (st != SL_OK) return st;
    sl__buf tmp = SL_BUF_INIT, final = SL_BUF_INIT;
    sl__buf_printf(&tmp, "%s/.%s.tmp", dir, name);
    sl__buf_printf(&final, "%s/%s", dir, name);
    st = write_file_atomic(tmp.p, final.p, data, n, err);
    if (st == SL_OK) st = sync_dir(dir, err);
    sl__buf_free(&tmp);
    sl__buf_free(&final);
    return st;
}

static bool all_digits(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

static bool entry_exists(const fsink *f, int64_t batch) {
    char name[32];
    snprintf(name, sizeof name, "%lld", (long long)batch);
    char *p = join(f->meta, name);
    struct stat sb;
    bool ok = stat(p, &sb) == 0;
    sl__free(p);
    return ok;
}

/* A data file name: part-<batch>-<n>.<ext>; *batch gets the batch id. */
static bool parse_part(const char *name, int64_t *batch) {
    if (strncmp(name, "part-", 5) != 0) return false;
    char *end;
    long long b = strtoll(name + 5, &end, 10);
    if (end == name + 5 || *end != '-') return false;
    const char *q = end + 1;
    strtoll(q, &end, 10);
    if (end == q) return false;
    if (strcmp(end, ".json") != 0 && strcmp(end, ".csv") != 0) return false;
    *batch = b;
    return true;
}

static bool is_tmp(const char *name) {
    size_t n = strlen(name);
    return name[0] == '.' && n > 4 && strcmp(name + n - 4, ".tmp") == 0;
}

/* Removes what a crashed attempt left: temporaries, and data files of
 * batches without a log entry. Learns the last committed batch. */
static sl_status recover(fsink *f, sl__err *err) {
    f->last_committed = -1;
    DIR *d = opendir(f->meta);
    if (!d) return io_fail(err, "read directory", f->meta, errno);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (all_digits(de->d_name)) {
            long long b = strtoll(de->d_name, NULL, 10);
            if (b > f->last_committed) f->last_committed = b;
        } else if (is_tmp(de->d_name)) {
            char *p = join(f->meta, de->d_name);
            unlink(p);
            sl__free(p);
        }
    }
    closedir(d);
    d = opendir(f->dir);
    if (!d) return io_fail(err, "read directory", f->dir, errno);
    while ((de = readdir(d))) {
        int64_t b;
        bool stale = (strncmp(de->d_name, ".part-", 6) == 0 && is_tmp(de->d_name)) ||
                     (parse_part(de->d_name, &b) && !entry_exists(f, b));
        if (!stale) continue;
        char *p = join(f->dir, de->d_name);
        unlink(p);
        sl__free(p);
    }
    closedir(d);
    return SL_OK;
}

/* ---- the sink ------------------------------------------------------------------- */

static void fsink_free(fsink *f) {
    if (!f) return;
    sl__free(f->dir);
    sl__free(f->meta);
    sl__free(f->files);
    sl__buf_free(&f->buf);
    sl__free(f);
}

static sl_status files_open(sl__sink *k, sl__err *err) {
    fsink *f = sl__calloc(1, sizeof *f);
    f->fd = -1;
    sl_status st = parse_opts(k->opts, k->n_opts, &f->o, err);
    if (st == SL_OK && !f->o.path)
        st = sl__err_set(err, SL_ERR_ANALYSIS, -1, "'path' is not specified");
    if (st == SL_OK) st = make_dirs(f->o.path, err);
    if (st == SL_OK) {
        char *abs = realpath(f->o.path, NULL);
        f->dir = abs ? sl__strdup(abs) : sl__strdup(f->o.path);
        free(abs);
        f->meta = join(f->dir, META_DIR);
        st = make_dirs(f->meta, err);
    }
    if (st == SL_OK) st = recover(f, err);
    if (st != SL_OK) {
        fsink_free(f);
        return st;
    }
    k->impl = f;
    return SL_OK;
}

/* Forgets the batch's files; with `remove`, deletes them first. */
static void drop_files(fsink *f, bool remove) {
    if (f->fd >= 0) {
        close(f->fd);
        f->fd = -1;
    }
    for (uint32_t i = 0; i < f->n_files; i++) {
        outfile *o = &f->files[i];
        if (remove) unlink(o->renamed ? o->full : o->tmp);
        sl__free(o->name);
        sl__free(o->tmp);
        sl__free(o->full);
    }
    f->n_files = 0;
    sl__buf_clear(&f->buf);
}

static sl_status flush(fsink *f, sl__err *err) {
    outfile *o = &f->files[f->n_files - 1];
    int e;
    if (f->buf.len && !write_all(f->fd, f->buf.p, f->buf.len, &e))
        return io_fail(err, "write", o->tmp, e);
    o->size += f->buf.len;
    sl__buf_clear(&f->buf);
    return SL_OK;
}

static sl_status start_file(fsink *f, const sl__sink_batch *b, sl__err *err) {
    SL_GROW(f->files, f->cap_files, f->n_files + 1);
    outfile *o = &f->files[f->n_files++];
    memset(o, 0, sizeof *o);
    sl__buf nm = SL_BUF_INIT;
    sl__buf_printf(&nm, "part-%05lld-%05u.%s", (long long)b->batch_id, f->n_files - 1,
                   ext_of(f->o.format));
    o->name = sl__buf_take(&nm);
    o->full = join(f->dir, o->name);
    sl__buf_printf(&nm, "%s/.%s.tmp", f->dir, o->name);
    o->tmp = sl__buf_take(&nm);
    f->fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (f->fd < 0) return io_fail(err, "create", o->tmp, errno);
    f->rows_in_file = 0;
    if (f->o.format == FF_CSV && f->o.header) sl__csv_write_header(b->schema, &f->o.csv, &f->buf);
    return SL_OK;
}

static sl_status end_file(fsink *f, sl__err *err) {
    sl_status st = flush(f, err);
    if (st != SL_OK) return st;
    outfile *o = &f->files[f->n_files - 1];
    int fd = f->fd;
    f->fd = -1;
    if (fsync(fd) != 0) {
        int e = errno;
        close(fd);
        return io_fail(err, "write", o->tmp, e);
    }
    if (close(fd) != 0) return io_fail(err, "write", o->tmp, errno);
    return SL_OK;
}

void sl__json_row(const sl__chunk *c, uint32_t r, const sl__tz *tz, sl__buf *out) {
    sl__buf_putc(out, '{');
    bool first = true;
    for (uint32_t i = 0; i < c->n_cols; i++) {
        const sl__vec *v = c->cols[i];
        if (!sl__vec_valid(v, r)) continue; /* Spark's JSON omits NULL fields */
        if (!first) sl__buf_putc(out, ',');
        first = false;
        const char *name = c->schema->names[i];
        sl__json_write_string(name, strlen(name), out);
        sl__buf_putc(out, ':');
        if (tz)
            sl__json_write_value_zone(v, r, tz, out);
        else
            sl__json_write_value(v, r, 0, out);
    }
    sl__buf_puts(out, "}\n");
}

static void csv_row(const sl__chunk *c, uint32_t r, const sl__tz *tz, const sl__csv_wopts *o,
                    sl__buf *out) {
    for (uint32_t i = 0; i < c->n_cols; i++) {
        const sl__vec *v = c->cols[i];
        if (i) sl__buf_puts(out, o->sep);
        if (v->type->id == SL_TYPE_TIMESTAMP && sl__vec_valid(v, r)) {
            /* the zone's offset at this instant (DST), not one fixed offset */
            int64_t us = SL_VEC_DATA(v, int64_t)[sl__vec_idx(v, r)];
            char tmp[80];
            size_t n = sl__json_fmt_timestamp(us, tz ? sl__tz_offset_utc(tz, us) : 0, tmp);
            sl__buf_append(out, tmp, n);
        } else {
            sl__csv_write_value(v, r, o, out);
        }
    }
    sl__buf_putc(out, '\n');
}

/* Steps 2 and 3: the data files, written then renamed. */
static sl_status write_data(fsink *f, const sl__sink_batch *b, sl__err *err) {
    sl_status st;
    for (uint32_t ci = 0; ci < b->n_chunks; ci++) {
        const sl__chunk *c = &b->chunks[ci];
        for (uint32_t r = 0; r < c->n; r++) {
            if (f->fd < 0 && (st = start_file(f, b, err)) != SL_OK) return st;
            if (f->o.format == FF_CSV)
                csv_row(c, r, b->tz, &f->o.csv, &f->buf);
            else
                sl__json_row(c, r, b->tz, &f->buf);
            f->rows_in_file++;
            if (f->o.max_records > 0 && f->rows_in_file >= (uint64_t)f->o.max_records) {
                if ((st = end_file(f, err)) != SL_OK) return st;
            } else if (f->buf.len >= FLUSH_BYTES && (st = flush(f, err)) != SL_OK) {
                return st;
            }
        }
    }
    if (f->fd >= 0 && (st = end_file(f, err)) != SL_OK) return st;
    for (uint32_t i = 0; i < f->n_files; i++) {
        outfile *o = &f->files[i];
        if (rename(o->tmp, o->full) != 0) return io_fail(err, "rename to", o->full, errno);
        o->renamed = true;
    }
    return f->n_files ? sync_dir(f->dir, err) : SL_OK;
}

/* Step 4: the log entry, Spark's format ("v1", then one JSON line per file). */
static sl_status write_entry(fsink *f, int64_t batch, sl__err *err) {
    sl__buf e = SL_BUF_INIT;
    sl__buf_puts(&e, "v1\n");
    for (uint32_t i = 0; i < f->n_files; i++) {
        const outfile *o = &f->files[i];
        struct stat sb;
        int64_t mtime_ms = 0;
        if (stat(o->full, &sb) == 0)
            mtime_ms = (int64_t)sb.st_mtim.tv_sec * 1000 + sb.st_mtim.tv_nsec / 1000000;
        sl__buf_puts(&e, "{\"path\":");
        sl__json_write_string(o->full, strlen(o->full), &e);
        sl__buf_printf(&e,
                       ",\"size\":%llu,\"isDir\":false,\"modificationTime\":%lld,"
                       "\"blockReplication\":1,\"blockSize\":33554432,\"action\":\"add\"}\n",
                       (unsigned long long)o->size, (long long)mtime_ms);
    }
    char name[32];
    snprintf(name, sizeof name, "%lld", (long long)batch);
    char *final = join(f->meta, name);
    sl__buf t = SL_BUF_INIT;
    sl__buf_printf(&t, "%s/.%s.tmp", f->meta, name);
    sl_status st = write_file_atomic(sl__buf_str(&t), final, e.p, e.len, err);
    if (st == SL_OK) st = sync_dir(f->meta, err);
    if (st != SL_OK) unlink(final);
    sl__free(final);
    sl__buf_free(&t);
    sl__buf_free(&e);
    return st;
}

static sl_status files_write(sl__sink *k, sl__sink_batch *b, sl__err *err) {
    fsink *f = k->impl;
    if (b->batch_id <= f->last_committed || entry_exists(f, b->batch_id))
        return SL_OK; /* written before: a replayed batch (exactly-once) */
    sl_status st = write_data(f, b, err);
    if (st == SL_OK) st = write_entry(f, b->batch_id, err);
    drop_files(f, st != SL_OK);
    if (st == SL_OK) f->last_committed = b->batch_id;
    return st;
}

static void files_describe(const sl__sink *k, sl__buf *out) {
    const char *p = sl__opt(k->opts, k->n_opts, "path");
    sl__buf_printf(out, "FileSink[%s]", p ? p : "");
}

static void files_close(sl__sink *k) {
    fsink *f = k->impl;
    if (f) drop_files(f, true);
    fsink_free(f);
    k->impl = NULL;
}

const sl__sink_vt sl__snk_files_vt = {
    "files", files_open, files_write, files_describe, files_close,
};
