/*
 * files.c — the non-server outputs: --to-dir writes the stream as rolling
 * files, --stdout writes it to standard output. Both honour --count and
 * --rate (sleeping on the monotonic clock) and stop cleanly on
 * SIGINT/SIGTERM.
 *
 * Design notes (--to-dir)
 *  - A file is written as DIR/.<kind>-NNNNNN.json.<pid>.tmp, a name a file
 *    source skips (it starts with '.'), and renamed to DIR/<kind>-NNNNNN.json
 *    once it holds --lines-per-file lines, or at the end of the run (count
 *    reached or stopped) if it holds at least one line; an empty temp file
 *    is removed. So DIR never shows a partial file, and every line
 *    generated ends up in exactly one renamed file. Only a run killed
 *    outright (SIGKILL, a crash) leaves its hidden temp file behind.
 *  - Numbering continues after the highest <kind>-NNNNNN.json already in
 *    DIR, and a rename never replaces an existing file (renameat2
 *    RENAME_NOREPLACE; the number is bumped on a clash).
 *  - Lines go to the temp file through a buffer of at most FLUSH_AT bytes
 *    plus one line.
 */
#include "gen.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { FLUSH_AT = 64 * 1024 };

/* Writes all n bytes; false (errno set) on error, or when a stop interrupts
 * a blocked write and `stoppable` (stdout: a pipe whose reader stalls). */
static bool write_all(int fd, const char *p, size_t n, bool stoppable) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
        } else if (w < 0 && errno == EINTR && !(stoppable && sl__gen_stop_requested())) {
            continue;
        } else {
            if (w >= 0) errno = EIO;
            return false;
        }
    }
    return true;
}

/* Pacing shared by both outputs: line k is due at t0 + (k - n0) / rate. */
typedef struct pacer {
    double rate;
    int64_t t0;
    uint64_t n0;
} pacer;

/* Sleeps until line k is due; false if a stop was requested meanwhile. */
static bool pace(pacer *pc, uint64_t k) {
    if (pc->rate <= 0) return !sl__gen_stop_requested();
    int64_t now = sl__gen_mono_ns();
    int64_t due = pc->t0 + (int64_t)((double)(k - pc->n0) * 1e9 / pc->rate);
    if (now - due > SL__GEN_NS_PER_S) { /* a slow reader: no burst afterwards */
        pc->t0 = now;
        pc->n0 = k;
        due = now;
    }
    struct timespec ts = {(time_t)(due / SL__GEN_NS_PER_S), (long)(due % SL__GEN_NS_PER_S)};
    while (!sl__gen_stop_requested()) {
        int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        if (rc == 0) return true;
        if (rc != EINTR) return true;
    }
    return false;
}

static void stream_start(const sl__gen_opts *o, const sl__gen_params *p, sl__gen_stream *st,
                         pacer *pc) {
    uint64_t seed;
    int64_t start;
    sl__gen_opts_stream_origin(o, sl__gen_wall_ns(), &seed, &start);
    sl__gen_stream_init(st, p, seed, start);
    pc->rate = o->rate;
    pc->t0 = sl__gen_mono_ns();
    pc->n0 = 0;
}

int sl__gen_write_stdout(const sl__gen_opts *o, const sl__gen_params *p) {
    sl__gen_signals_install();
    sl__gen_stream st;
    pacer pc;
    stream_start(o, p, &st, &pc);
    sl__gen_buf out = {0};
    while (!o->count || st.n < o->count) {
        if (!pace(&pc, st.n)) break;
        sl__gen_stream_next(&st, &out);
        /* Paced lines are seen as they come; unpaced ones go in big writes. */
        if (o->rate > 0 || sl__gen_buf_pending(&out) >= FLUSH_AT) {
            if (!write_all(1, out.p + out.off, sl__gen_buf_pending(&out), true)) break;
            sl__gen_buf_consume(&out, sl__gen_buf_pending(&out));
        }
    }
    if (sl__gen_buf_pending(&out) > 0 && !sl__gen_stop_requested())
        write_all(1, out.p + out.off, sl__gen_buf_pending(&out), true);
    /* A reader that went away (EPIPE) is the normal end of `| head`. */
    sl__gen_buf_free(&out);
    return 0;
}

/* mkdir -p */
static int make_dirs(const char *path) {
    char *tmp = strdup(path);
    if (!tmp) return -1;
    for (char *q = tmp + 1;; q++) {
        if (*q == '/' || *q == '\0') {
            char saved = *q;
            *q = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
                free(tmp);
                return -1;
            }
            *q = saved;
            if (!saved) break;
        }
    }
    free(tmp);
    struct stat sb;
    if (stat(path, &sb) != 0) return -1;
    if (!S_ISDIR(sb.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* The highest NNNNNN of "<kind>-NNNNNN.json" in dir, or 0. */
static uint64_t highest_file(const char *dir, const char *kind) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    size_t klen = strlen(kind);
    uint64_t max = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *nm = e->d_name;
        if (strncmp(nm, kind, klen) != 0 || nm[klen] != '-') continue;
        const char *q = nm + klen + 1;
        uint64_t v = 0;
        int digits = 0;
        for (; *q >= '0' && *q <= '9' && digits < 19; q++, digits++)
            v = v * 10 + (uint64_t)(*q - '0');
        if (digits > 0 && strcmp(q, ".json") == 0 && v > max) max = v;
    }
    closedir(d);
    return max;
}

typedef struct roller {
    const sl__gen_opts *o;
    const char *name; /* "sluice gen iot" */
    uint64_t next;    /* number of the next file */
    int fd;           /* open temp file, or -1 */
    char tmp[4096];
    uint64_t lines; /* lines in the open file */
} roller;

static bool roll_open(roller *r) {
    snprintf(r->tmp, sizeof r->tmp, "%s/.%s-%06llu.json.%ld.tmp", r->o->to_dir,
             sl__gen_kind_name(r->o->kind), (unsigned long long)r->next, (long)getpid());
    r->fd = open(r->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (r->fd < 0) {
        fprintf(stderr, "%s: %s: %s\n", r->name, r->tmp, strerror(errno));
        return false;
    }
    r->lines = 0;
    return true;
}

/* Closes the open file: renamed into place if it has lines, else removed. */
static bool roll_close(roller *r) {
    if (r->fd < 0) return true;
    bool ok = close(r->fd) == 0;
    r->fd = -1;
    if (!ok || r->lines == 0) {
        if (!ok) fprintf(stderr, "%s: %s: %s\n", r->name, r->tmp, strerror(errno));
        unlink(r->tmp);
        return ok;
    }
    char final[4096];
    for (;;) {
        snprintf(final, sizeof final, "%s/%s-%06llu.json", r->o->to_dir,
                 sl__gen_kind_name(r->o->kind), (unsigned long long)r->next);
        int rc = renameat2(AT_FDCWD, r->tmp, AT_FDCWD, final, RENAME_NOREPLACE);
        if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) rc = rename(r->tmp, final);
        if (rc == 0) break;
        if (errno == EEXIST) { /* someone else wrote that number: take the next */
            r->next++;
            continue;
        }
        fprintf(stderr, "%s: rename %s: %s\n", r->name, final, strerror(errno));
        unlink(r->tmp);
        return false;
    }
    r->next++;
    if (!r->o->quiet)
        fprintf(stderr, "%s: wrote %s (%llu lines)\n", r->name, final,
                (unsigned long long)r->lines);
    return true;
}

int sl__gen_write_dir(const sl__gen_opts *o, const sl__gen_params *p) {
    char name[32];
    snprintf(name, sizeof name, "sluice gen %s", sl__gen_kind_name(o->kind));
    sl__gen_signals_install();
    if (make_dirs(o->to_dir) != 0) {
        fprintf(stderr, "%s: cannot create directory %s: %s\n", name, o->to_dir, strerror(errno));
        return 1;
    }
    roller r = {.o = o, .name = name, .fd = -1};
    r.next = highest_file(o->to_dir, sl__gen_kind_name(o->kind)) + 1;
    fprintf(stderr, "%s: writing to %s\n", name, o->to_dir);
    fflush(stderr);

    sl__gen_stream st;
    pacer pc;
    stream_start(o, p, &st, &pc);
    sl__gen_buf out = {0};
    bool ok = true;
    while (ok && (!o->count || st.n < o->count)) {
        if (!pace(&pc, st.n)) break;
        if (r.fd < 0 && !(ok = roll_open(&r))) break;
        sl__gen_stream_next(&st, &out);
        r.lines++;
        bool full = r.lines == o->lines_per_file;
        if (full || sl__gen_buf_pending(&out) >= FLUSH_AT) {
            ok = write_all(r.fd, out.p + out.off, sl__gen_buf_pending(&out), false);
            sl__gen_buf_consume(&out, sl__gen_buf_pending(&out));
            if (!ok) {
                fprintf(stderr, "%s: %s: %s\n", name, r.tmp, strerror(errno));
                r.lines = 0; /* never publish a file with a partial line */
                break;
            }
        }
        if (full) ok = roll_close(&r);
    }
    if (ok && r.fd >= 0 && sl__gen_buf_pending(&out) > 0) {
        ok = write_all(r.fd, out.p + out.off, sl__gen_buf_pending(&out), false);
        if (!ok) r.lines = 0;
    }
    if (!roll_close(&r)) ok = false;
    sl__gen_buf_free(&out);
    if (!o->quiet && ok)
        fprintf(stderr, "%s: stopped after %llu lines\n", name, (unsigned long long)st.n);
    return ok ? 0 : 1;
}
