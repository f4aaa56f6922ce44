/*
 * socket.c — the socket source (R67–R69): a TCP client that turns each line
 * it receives into a row. Without a schema the stream is `value STRING`
 * (plus `timestamp TIMESTAMP`, the time the line arrived, with
 * includeTimestamp true); with a declared schema and format 'json' each line
 * is decoded straight into the typed columns (PERMISSIVE by default:
 * malformed lines give all-NULL fields and are counted in bad_records).
 *
 * Like Spark's it is not fault tolerant: lines exist only in this process.
 * Unlike Spark's it never buffers without bound: while maxBufferBytes of
 * received, uncommitted data is held it stops reading, so the sender is
 * slowed down by TCP itself. A dropped connection fails the query, or, with
 * reconnect true, the source connects again with back-off.
 *
 * Design notes
 * ------------
 * Buffer: received bytes live in buf[head, len). They are whole lines
 * (each ending in '\n') followed by at most one partial line starting at
 * `partial`. `base` is the number of lines before buf[head] (the committed
 * ones, already dropped); `total` is the number of complete lines received,
 * so the lines in the buffer are base+1 .. total and the offset that
 * latest() reports is `total`. Offsets only grow, across reconnections too.
 *
 * Invariants:
 *   head <= partial <= len <= cap; buf[partial-1] == '\n' when partial > head;
 *   no '\n' in buf[partial, len);
 *   len - head <= max_buf + 1 (reading stops at max_buf; the +1 is the
 *   '\n' added to end a line forced out at EOF or when too long).
 * A line longer than max_buf cannot wait for its end (reading is paused):
 * it is cut there, ended with an added '\n', counted as a bad record (text
 * mode) and the rest of it, up to the next '\n', is dropped (`discard`). A
 * last line without '\n' at EOF is ended the same way and is a normal line.
 *
 * Timestamps (includeTimestamp): one clock reading per recv() that
 * completed lines; `runs` keeps (last line, time) pairs, so line k's time is
 * that of the first run with last >= k. Committed runs are dropped.
 *
 * States: OPEN (reading) → CLOSED at EOF or a socket error; CLOSED fails the
 * query once every line received before it has been committed — or, with
 * reconnect, WAITING (until next_try, on the monotonic clock: back-off is
 * about real time, not the query clock) → CONNECTING (a non-blocking
 * connect) → OPEN, or back to WAITING with the delay doubled (100 ms up to
 * 5 s). Lines sent while disconnected are lost, as in Spark.
 */
#include "base/clock.h"
#include "format/json.h"
#include "stream/stream.h"
#include "types/tz.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define READ_CHUNK         (256 * 1024)
#define CONNECT_TIMEOUT_MS 10000
#define BACKOFF_MIN_US     100000
#define BACKOFF_MAX_US     5000000
#define DEFAULT_MAX_BUF    ((int64_t)64 << 20)

/* ---- options ------------------------------------------------------------------ */

typedef struct sock_cfg {
    const char *host;
    int port;
    bool include_ts, json, reconnect;
    int64_t max_buf;
    sl__parse_mode mode;
    const sl__tz *zone; /* of JSON timestamps without one; UTC by default */
} sock_cfg;

static const char *const known_keys[] = {
    "host",     "port",           "includeTimestamp", "format",        "mode",
    "timeZone", "maxBufferBytes", "reconnect",        "numPartitions", "badRecordsPath"};

static sl_status parse_cfg(const sl__kv *opts, uint32_t n, const sl__type *declared, sock_cfg *c,
                           sl__err *err) {
    memset(c, 0, sizeof *c);
    for (uint32_t i = 0; i < n; i++) {
        bool known = false;
        for (size_t k = 0; k < SL_ARRAY_LEN(known_keys) && !known; k++)
            known = strcasecmp(opts[i].key, known_keys[k]) == 0;
        if (!known)
            return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                               "unknown option '%s' for a socket stream (its options: host, port, "
                               "includeTimestamp, format, mode, timeZone, maxBufferBytes, "
                               "reconnect, badRecordsPath)",
                               opts[i].key);
    }
    c->host = sl__opt(opts, n, "host");
    if (!c->host || !*c->host)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "a socket stream needs option host: USING socket OPTIONS (host "
                           "'127.0.0.1', port 9999)");
    if (!sl__opt(opts, n, "port"))
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "a socket stream needs option port: USING socket OPTIONS (host '%s', "
                           "port 9999)",
                           c->host);
    int64_t v;
    if (!sl__opt_int(opts, n, "port", 0, 1, 65535, &v, err)) return err->code;
    c->port = (int)v;
    if (!sl__opt_bool(opts, n, "includeTimestamp", false, &c->include_ts, err)) return err->code;
    if (!sl__opt_bool(opts, n, "reconnect", false, &c->reconnect, err)) return err->code;
    if (!sl__opt_int(opts, n, "maxBufferBytes", DEFAULT_MAX_BUF, 64, (int64_t)1 << 40, &c->max_buf,
                     err))
        return err->code;
    if (!sl__opt_int(opts, n, "numPartitions", 1, 1, INT32_MAX, &v, err)) return err->code;
    const char *f = sl__opt(opts, n, "format");
    if (f && strcasecmp(f, "json") == 0)
        c->json = true;
    else if (f && strcasecmp(f, "text") != 0)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "option format of a socket stream must be 'text' (one value STRING "
                           "column) or 'json' (lines decoded into the declared columns), got '%s'",
                           f);
    const char *m = sl__opt(opts, n, "mode");
    c->mode = SL_MODE_PERMISSIVE;
    if (m && !sl__parse_mode_from(m, &c->mode))
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "option mode must be PERMISSIVE, DROPMALFORMED or FAILFAST, got '%s'",
                           m);
    const char *z = sl__opt(opts, n, "timeZone");
    c->zone = sl__tz_utc();
    if (z && !(c->zone = sl__tz_get(z, err))) return err->code;
    if (c->json && !declared)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "format 'json' decodes each line into the stream's columns, so it needs "
                           "them: CREATE STREAM s (a BIGINT, b STRING) USING socket OPTIONS (host "
                           "'%s', port %d, format 'json')",
                           c->host, c->port);
    if (!c->json && declared)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "a socket stream reads text lines into one column value STRING, so it "
                           "takes no column list; either add format 'json' to decode each line as "
                           "JSON into the declared columns, or drop the column list and use "
                           "from_json(value, '...') in the query");
    if (c->json && c->include_ts)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "includeTimestamp adds a timestamp column to text lines; with format "
                           "'json' the columns are the declared ones (put the time in the JSON, "
                           "or read text lines and use from_json)");
    if (!c->json && m)
        return sl__err_set(err, SL_ERR_ANALYSIS, -1,
                           "option mode applies to format 'json' only (text lines are never "
                           "malformed)");
    return SL_OK;
}

static const sl__type *text_schema(bool include_ts) {
    const char *names[] = {"value", "timestamp"};
    const sl__type *types[] = {SL_T_STR, SL_T_TS};
    return sl__type_struct(include_ts ? 2 : 1, names, types, NULL);
}

sl_status sl__src_socket_define(const sl__kv *opts, uint32_t n, const sl__type *declared,
                                const sl__type **schema, sl__err *err);
sl_status sl__src_socket_define(const sl__kv *opts, uint32_t n, const sl__type *declared,
                                const sl__type **schema, sl__err *err) {
    sock_cfg c;
    sl_status st = parse_cfg(opts, n, declared, &c, err);
    if (st) return st;
    *schema = c.json ? declared : text_schema(c.include_ts);
    return SL_OK;
}

/* ---- state -------------------------------------------------------------------- */

typedef enum { ST_OPEN, ST_CLOSED, ST_WAITING, ST_CONNECTING } sock_state;

typedef struct ts_run {
    int64_t last; /* last line with this time */
    int64_t ts;   /* µs, whole milliseconds */
} ts_run;

typedef struct sock {
    sock_cfg cfg;
    char *host; /* owned copy */
    struct sockaddr_storage addr;
    socklen_t addr_len;
    int fd;
    sock_state state;
    char closed_why[800]; /* CLOSED: the error to fail with */
    int64_t backoff_us, next_try_us;

    char *buf;
    size_t cap, head, partial, len;
    bool discard;        /* dropping the rest of a line that was cut */
    int64_t base, total; /* lines before buf[head]; complete lines so far */

    ts_run *runs;
    uint32_t n_runs, runs_cap, run0; /* runs[run0, n_runs) are live */
    int64_t *cut;                    /* numbers of lines cut at max_buf (text mode) */
    uint32_t n_cut, cut_cap;

    sl__json_decoder *jd;
    char name[300]; /* "host:port" */
} sock;

static sl_status fail_closed(sock *k, sl__err *err) {
    return sl__err_set(err, SL_ERR_IO, -1, "%s", k->closed_why);
}

static void set_closed(sock *k, const char *why) {
    if (k->fd >= 0) close(k->fd);
    k->fd = -1;
    if (k->cfg.reconnect) {
        k->state = ST_WAITING;
        k->next_try_us = sl__mono_us() + k->backoff_us;
        return;
    }
    k->state = ST_CLOSED;
    snprintf(k->closed_why, sizeof k->closed_why,
             "connection to %s %s (a socket source does not reconnect unless OPTIONS (reconnect "
             "true) is given)",
             k->name, why);
}

/* Room for `want` more bytes at buf[len]: compacts, then grows (cap ≤
 * max_buf + 1 + READ_CHUNK). */
static void make_room(sock *k, size_t want) {
    if (k->cap - k->len >= want + 1) return;
    if (k->head > 0) {
        memmove(k->buf, k->buf + k->head, k->len - k->head);
        k->partial -= k->head;
        k->len -= k->head;
        k->head = 0;
        if (k->cap - k->len >= want + 1) return;
    }
    size_t need = k->len + want + 1, c = k->cap ? k->cap : 4096;
    while (c < need) c *= 2;
    k->buf = sl__realloc(k->buf, c);
    k->cap = c;
}

static void add_run(sock *k, int64_t last, int64_t ts) {
    if (k->n_runs > k->run0 && k->runs[k->n_runs - 1].ts == ts) {
        k->runs[k->n_runs - 1].last = last;
        return;
    }
    if (k->run0 > 0 && k->n_runs == k->runs_cap) {
        memmove(k->runs, k->runs + k->run0, (k->n_runs - k->run0) * sizeof *k->runs);
        k->n_runs -= k->run0;
        k->run0 = 0;
    }
    SL_GROW(k->runs, k->runs_cap, k->n_runs + 1);
    k->runs[k->n_runs++] = (ts_run){last, ts};
}

static int64_t now_ms(sl__source *s) {
    int64_t t = sl__clock_now(s->clock);
    return t - ((t % 1000) + 1000) % 1000; /* Spark's times are whole milliseconds */
}

/* Ends the partial line with an added '\n' (room for it is always kept). */
static void end_partial(sock *k) {
    k->buf[k->len++] = '\n';
    k->partial = k->len;
    k->total++;
}

/* Takes in n bytes just received at buf[len]: drops what a cut line still
 * had, counts the lines completed. */
static void take_bytes(sock *k, size_t n) {
    char *p = k->buf + k->len;
    if (k->discard) {
        char *nl = memchr(p, '\n', n);
        if (!nl) return;
        size_t rest = n - (size_t)(nl + 1 - p);
        memmove(p, nl + 1, rest);
        n = rest;
        k->discard = false;
    }
    char *q = p, *end = p + n, *nl, *last = NULL;
    while (q < end && (nl = memchr(q, '\n', (size_t)(end - q)))) {
        k->total++;
        q = last = nl + 1;
    }
    k->len += n;
    if (last) k->partial = (size_t)(last - k->buf);
}

/* A partial line as long as the buffer may hold is cut (see the notes). */
static void cut_if_too_long(sock *k) {
    if (k->len - k->partial < (size_t)k->cfg.max_buf && k->len - k->partial < UINT32_MAX - 1)
        return;
    end_partial(k);
    k->discard = true;
    if (!k->cfg.json) {
        SL_GROW(k->cut, k->cut_cap, k->n_cut + 1);
        k->cut[k->n_cut++] = k->total;
    }
}

/* Reads what the socket has without blocking, up to the buffer cap. */
static void pump(sl__source *s, sock *k) {
    while (k->state == ST_OPEN) {
        size_t held = k->len - k->head;
        if (held >= (size_t)k->cfg.max_buf) return; /* back-pressure */
        size_t want = SL_MIN((size_t)k->cfg.max_buf - held, (size_t)READ_CHUNK);
        make_room(k, want);
        ssize_t r = recv(k->fd, k->buf + k->len, want, MSG_DONTWAIT);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        int64_t before = k->total;
        int e = errno;
        if (r > 0) {
            take_bytes(k, (size_t)r);
            cut_if_too_long(k);
        } else if (k->discard) { /* EOF or an error: a last line without '\n' is a line */
            k->discard = false;
        } else if (k->len > k->partial) {
            end_partial(k);
        }
        if (k->cfg.include_ts && k->total > before) add_run(k, k->total, now_ms(s));
        if (r == 0) {
            set_closed(k, "closed by the peer");
        } else if (r < 0) {
            char why[200];
            snprintf(why, sizeof why, "failed: %s", strerror(e));
            set_closed(k, why);
        }
    }
}

/* ---- connecting --------------------------------------------------------------- */

/* Finishes a non-blocking connect: 0 when connected, else an errno. */
static int connect_result(int fd) {
    int e = 0;
    socklen_t el = sizeof e;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0) return errno;
    return e;
}

/* Starts a non-blocking connect; *fd is the socket (or -1). Returns 0,
 * EINPROGRESS, or an errno. */
static int start_connect(const struct sockaddr *a, socklen_t al, int *fd) {
    *fd = socket(a->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (*fd < 0) return errno;
    if (connect(*fd, a, al) == 0) return 0;
    int e = errno;
    if (e == EINPROGRESS) return e;
    close(*fd);
    *fd = -1;
    return e;
}

static void tune(int fd) {
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
}

static sl_status sock_open(sl__source *s, sl__err *err) {
    sock *k = sl__calloc(1, sizeof *k);
    s->impl = k;
    k->fd = -1;
    k->state = ST_CLOSED; /* until connected */
    snprintf(k->closed_why, sizeof k->closed_why, "socket source not connected");
    const char *f = sl__opt(s->def->options, s->def->n_options, "format");
    const sl__type *declared = f && strcasecmp(f, "json") == 0 ? s->schema : NULL;
    sl_status st = parse_cfg(s->def->options, s->def->n_options, declared, &k->cfg, err);
    if (st) return st;
    if (!sl__opt(s->def->options, s->def->n_options, "timeZone") && s->tz) k->cfg.zone = s->tz;
    k->host = sl__strdup(k->cfg.host);
    k->cfg.host = k->host;
    snprintf(k->name, sizeof k->name, "%s:%d", k->host, k->cfg.port);
    k->backoff_us = BACKOFF_MIN_US;
    s->initial = -1;
    s->replayable = false;
    if (k->cfg.json) {
        k->jd = sl__json_decoder_new(s->schema, 0);
        sl__json_decoder_set_zone(k->jd, k->cfg.zone);
    }

    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    char port[16];
    snprintf(port, sizeof port, "%d", k->cfg.port);
    int gr = getaddrinfo(k->host, port, &hints, &res);
    if (gr != 0)
        return sl__err_set(err, SL_ERR_IO, -1, "cannot connect to %s: unknown host '%s' (%s)",
                           k->name, k->host, gai_strerror(gr));
    int last = 0;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        int fd;
        int e = start_connect(a->ai_addr, a->ai_addrlen, &fd);
        if (e == EINPROGRESS) {
            struct pollfd p = {fd, POLLOUT, 0};
            int r;
            do r = poll(&p, 1, CONNECT_TIMEOUT_MS);
            while (r < 0 && errno == EINTR);
            e = r == 0 ? ETIMEDOUT : r < 0 ? errno : connect_result(fd);
            if (e) close(fd);
        }
        if (e == 0) {
            k->fd = fd;
            memcpy(&k->addr, a->ai_addr, a->ai_addrlen);
            k->addr_len = a->ai_addrlen;
            break;
        }
        last = e;
    }
    freeaddrinfo(res);
    if (k->fd < 0) {
        if (last == ECONNREFUSED)
            return sl__err_set(err, SL_ERR_IO, -1,
                               "cannot connect to %s: connection refused — nothing listens there "
                               "(start the data server first, e.g. `sluice gen iot` listens on "
                               "port 9999)",
                               k->name);
        return sl__err_set(err, SL_ERR_IO, -1, "cannot connect to %s: %s", k->name,
                           strerror(last ? last : EHOSTUNREACH));
    }
    tune(k->fd);
    k->state = ST_OPEN;
    return SL_OK;
}

/* WAITING/CONNECTING: moves towards OPEN without blocking. */
static void try_reconnect(sock *k) {
    int64_t now = sl__mono_us();
    if (k->state == ST_WAITING) {
        if (now < k->next_try_us) return;
        int e = start_connect((struct sockaddr *)&k->addr, k->addr_len, &k->fd);
        if (e == 0) {
            k->state = ST_OPEN;
        } else if (e == EINPROGRESS) {
            k->state = ST_CONNECTING;
            return;
        }
    } else if (k->state == ST_CONNECTING) {
        struct pollfd p = {k->fd, POLLOUT, 0};
        if (poll(&p, 1, 0) == 0) return;
        if (connect_result(k->fd) == 0) k->state = ST_OPEN;
    }
    if (k->state == ST_OPEN) {
        tune(k->fd);
        k->backoff_us = BACKOFF_MIN_US;
        return;
    }
    if (k->fd >= 0) close(k->fd);
    k->fd = -1;
    k->backoff_us = SL_MIN(k->backoff_us * 2, (int64_t)BACKOFF_MAX_US);
    k->next_try_us = now + k->backoff_us;
    k->state = ST_WAITING;
}

/* ---- the source interface ----------------------------------------------------- */

static sl_status sock_latest(sl__source *s, int64_t *end, sl__err *err) {
    sock *k = s->impl;
    if (k->state == ST_WAITING || k->state == ST_CONNECTING) try_reconnect(k);
    pump(s, k);
    /* a closed connection fails the query once its lines have been taken */
    if (k->state == ST_CLOSED && k->base == k->total) return fail_closed(k, err);
    *end = k->total;
    return SL_OK;
}

/* The start of the line after the one at p (a '\n' is always there). */
static const char *next_line(const sock *k, const char *p) {
    return (const char *)memchr(p, '\n', (size_t)(k->buf + k->len - p)) + 1;
}

static int64_t line_time(sock *k, int64_t line, uint32_t *run) {
    while (*run < k->n_runs && k->runs[*run].last < line) (*run)++;
    return *run < k->n_runs ? k->runs[*run].ts : 0;
}

static void take_chunks(sl__rowset *out, sl__chunks *ch) {
    uint32_t n;
    uint64_t rows = ch->rows;
    sl__chunk *v = sl__chunks_take(ch, &n);
    for (uint32_t i = 0; i < n; i++) {
        if (out->n_chunks == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 4;
            out->chunks = sl__realloc(out->chunks, sizeof *out->chunks * out->cap);
        }
        out->chunks[out->n_chunks++] = v[i];
    }
    sl__free(v);
    out->rows += rows;
}

static sl_status sock_get_batch(sl__source *s, int64_t start, int64_t end, sl__rowset *out,
                                sl__err *err) {
    sock *k = s->impl;
    if (start < 0) start = 0;
    if (end <= start) return SL_OK;
    if (start < k->base || end > k->total)
        return sl__err_set(err, SL_ERR_INTERNAL, -1,
                           "socket source %s: lines %lld..%lld asked for, but it holds lines "
                           "%lld..%lld (a socket source cannot replay)",
                           k->name, (long long)start + 1, (long long)end, (long long)k->base + 1,
                           (long long)k->total);
    const char *p = k->buf + k->head;
    for (int64_t i = k->base; i < start; i++) p = next_line(k, p);

    if (k->cfg.json) {
        const char *q = p;
        for (int64_t i = start; i < end; i++) q = next_line(k, q);
        sl__chunks ch;
        sl__chunks_init(&ch, s->schema);
        uint64_t bad = 0;
        sl__json_decoder_keep_bad(k->jd, sl__source_keeps_bad(s) ? &out->bad_kept : NULL);
        sl_status st = sl__json_lines_parse_buffer(k->jd, p, (size_t)(q - p), k->cfg.mode, k->name,
                                                   &ch, &bad, err);
        out->bad_records += bad;
        if (st) {
            sl__chunks_free(&ch);
            return st;
        }
        take_chunks(out, &ch);
        return SL_OK;
    }

    /* text: the bytes of the lines that go into one chunk are copied into
     * its value vector's heap at once, and the rows point into that copy */
    uint32_t run = k->run0, cut = 0;
    while (cut < k->n_cut && k->cut[cut] <= start) cut++;
    int64_t line = start;
    while (line < end) {
        sl__chunk *c = sl__rowset_tail(out, s->schema);
        uint32_t room = SL_VEC_SIZE - c->n;
        int64_t take = SL_MIN((int64_t)room, end - line);
        /* the byte span of lines line+1 .. line+take */
        const char *q = p;
        for (int64_t i = 0; i < take; i++) q = next_line(k, q);
        size_t span = (size_t)(q - p);
        char *copy = sl__arena_alloc_bytes(&c->cols[0]->heap, span ? span : 1);
        memcpy(copy, p, span);
        sl__str *vals = SL_VEC_DATA(c->cols[0], sl__str);
        int64_t *times = k->cfg.include_ts ? SL_VEC_DATA(c->cols[1], int64_t) : NULL;
        const char *r = copy;
        for (int64_t i = 0; i < take; i++) {
            const char *nl = memchr(r, '\n', (size_t)(copy + span - r));
            const char *e = nl > r && nl[-1] == '\r' ? nl - 1 : nl;
            uint32_t row = c->n++;
            vals[row] = sl__str_make(r, (size_t)(e - r));
            line++;
            if (times) times[row] = line_time(k, line, &run);
            if (cut < k->n_cut && k->cut[cut] == line) {
                out->bad_records++;
                if (sl__source_keeps_bad(s))
                    sl__badrec_add(&out->bad_kept, k->name, r, (size_t)(e - r),
                                   "line longer than maxBufferBytes: the rest was dropped");
                cut++;
            }
            r = nl + 1;
        }
        out->rows += (uint64_t)take;
        p = q;
    }
    return SL_OK;
}

static void sock_commit(sl__source *s, int64_t end) {
    sock *k = s->impl;
    if (end > k->total) end = k->total;
    if (end <= k->base) return;
    const char *p = k->buf + k->head;
    for (int64_t i = k->base; i < end; i++) p = next_line(k, p);
    k->head = (size_t)(p - k->buf);
    k->base = end;
    if (k->head == k->len) k->head = k->partial = k->len = 0;
    while (k->run0 < k->n_runs && k->runs[k->run0].last <= end) k->run0++;
    if (k->run0 == k->n_runs) k->run0 = k->n_runs = 0;
    uint32_t drop = 0;
    while (drop < k->n_cut && k->cut[drop] <= end) drop++;
    if (drop) {
        memmove(k->cut, k->cut + drop, (k->n_cut - drop) * sizeof *k->cut);
        k->n_cut -= drop;
    }
}

static int sock_wait_fd(sl__source *s) {
    sock *k = s->impl;
    if (!k || k->state != ST_OPEN) return -1;
    if (k->len - k->head >= (size_t)k->cfg.max_buf) return -1; /* paused: nothing to wait for */
    return k->fd;
}

static void sock_describe(const sl__source *s, sl__buf *out) {
    const sl__table *t = s->def;
    const char *host = sl__opt(t->options, t->n_options, "host");
    const char *port = sl__opt(t->options, t->n_options, "port");
    sl__buf_printf(out, "TextSocketV2[host: %s, port: %ld]", host ? host : "",
                   port ? strtol(port, NULL, 10) : 0L);
}

/* Spark's socket offsets are line indexes: the last line's, -1 before any. */
static void sock_offset_json(const sl__source *s, int64_t offset, sl__buf *out) {
    (void)s;
    sl__buf_printf(out, "%lld", (long long)(offset > 0 ? offset - 1 : -1));
}

static void sock_close(sl__source *s) {
    sock *k = s->impl;
    if (!k) return;
    if (k->fd >= 0) close(k->fd);
    sl__json_decoder_free(k->jd);
    sl__free(k->buf);
    sl__free(k->runs);
    sl__free(k->cut);
    sl__free(k->host);
    sl__free(k);
    s->impl = NULL;
}

const sl__source_vt sl__src_socket_vt = {
    .kind = "socket",
    .open = sock_open,
    .latest = sock_latest,
    .get_batch = sock_get_batch,
    .commit = sock_commit,
    .wait_fd = sock_wait_fd,
    .describe = sock_describe,
    .offset_json = sock_offset_json,
    .close = sock_close,
};
