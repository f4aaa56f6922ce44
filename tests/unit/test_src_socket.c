/*
 * test_src_socket.c — the socket source (src/stream/sources/socket.c,
 * R67–R69 and sluice's additions) driven through its vtable against a
 * listening socket on 127.0.0.1 that the test itself accepts and writes
 * to: option checks at CREATE, lines split across reads, CRLF, a last line
 * without newline at EOF, includeTimestamp from the manual clock, JSON
 * lines decoded into typed columns with malformed lines counted, bounded
 * buffering (back-pressure) against a 200 MB sender, over-long lines, a
 * dropped connection (error), reconnect, connection refused. Nothing but
 * 127.0.0.1 is contacted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stream/stream.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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

/* CREATE STREAM's check: the error message, or NULL when accepted. */
static const char *define_err(const char *schema, ...) {
    static sl__err e;
    va_list ap;
    va_start(ap, schema);
    kvs o = opts_v(ap);
    va_end(ap);
    sl__err_clear(&e);
    const sl__type *out = NULL;
    sl_status st = sl__source_define("socket", o.kv, o.n, ddl(schema), &out, &e);
    return st ? e.msg : NULL;
}

/* A source for a stream defined with these options (not opened). */
static sl__source *make(sl__clock *clock, const char *schema, ...) {
    va_list ap;
    va_start(ap, schema);
    kvs o = opts_v(ap);
    va_end(ap);
    sl__err e;
    sl__err_clear(&e);
    const sl__type *t = NULL;
    assert_int_equal(sl__source_define("socket", o.kv, o.n, ddl(schema), &t, &e), SL_OK);
    sl__table *tab = sl__table_new(SL_OBJ_STREAM, "s", t);
    tab->format = sl__strdup("socket");
    tab->options = sl__calloc(o.n, sizeof *tab->options);
    for (uint32_t i = 0; i < o.n; i++) {
        tab->options[i].key = sl__strdup(o.kv[i].key);
        tab->options[i].value = sl__strdup(o.kv[i].value);
    }
    tab->n_options = o.n;
    sl__source *s = sl__source_create(tab, clock, &e);
    assert_non_null(s);
    sl__table_unref(tab);
    return s;
}

typedef struct server {
    int lfd;
    int port;
    char port_s[16];
} server;

static void srv_start(server *sv) {
    sv->lfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(sv->lfd >= 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    assert_int_equal(bind(sv->lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(sv->lfd, 4), 0);
    socklen_t al = sizeof a;
    assert_int_equal(getsockname(sv->lfd, (struct sockaddr *)&a, &al), 0);
    sv->port = ntohs(a.sin_port);
    snprintf(sv->port_s, sizeof sv->port_s, "%d", sv->port);
}

/* The next connection, waiting up to 2 s; -1 when none came. */
static int srv_accept(server *sv) {
    struct pollfd p = {sv->lfd, POLLIN, 0};
    if (poll(&p, 1, 2000) != 1) return -1;
    return accept(sv->lfd, NULL, NULL);
}

static void put(int fd, const char *text) {
    size_t n = strlen(text), off = 0;
    while (off < n) {
        ssize_t w = send(fd, text + off, n - off, MSG_NOSIGNAL);
        assert_true(w > 0);
        off += (size_t)w;
    }
}

static void nap_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* latest() until it reports `want` (the bytes may need a moment to cross
 * the loopback); returns the last value. */
static int64_t latest_until(sl__source *s, int64_t want) {
    int64_t end = -99;
    sl__err e;
    for (int i = 0; i < 400; i++) {
        sl__err_clear(&e);
        assert_int_equal(s->vt->latest(s, &end, &e), SL_OK);
        if (end >= want) break;
        nap_ms(5);
    }
    return end;
}

static sl__source *open_on(server *sv, sl__clock *clock, int *conn, const char *schema, ...) {
    va_list ap;
    va_start(ap, schema);
    kvs o = opts_v(ap);
    va_end(ap);
    kvs all = {{{"host", "127.0.0.1"}, {"port", sv->port_s}}, 2};
    for (uint32_t i = 0; i < o.n; i++) all.kv[all.n++] = o.kv[i];
    sl__err e;
    sl__err_clear(&e);
    const sl__type *t = NULL;
    assert_int_equal(sl__source_define("socket", all.kv, all.n, ddl(schema), &t, &e), SL_OK);
    sl__table *tab = sl__table_new(SL_OBJ_STREAM, "s", t);
    tab->format = sl__strdup("socket");
    tab->options = sl__calloc(all.n, sizeof *tab->options);
    for (uint32_t i = 0; i < all.n; i++) {
        tab->options[i].key = sl__strdup(all.kv[i].key);
        tab->options[i].value = sl__strdup(all.kv[i].value);
    }
    tab->n_options = all.n;
    sl__source *s = sl__source_create(tab, clock, &e);
    sl__table_unref(tab);
    assert_non_null(s);
    assert_int_equal(s->vt->open(s, &e), SL_OK);
    *conn = srv_accept(sv);
    assert_true(*conn >= 0);
    return s;
}

static const char *str_at(const sl__rowset *rs, uint64_t row, uint32_t col, size_t *len) {
    const sl__chunk *c = &rs->chunks[row / SL_VEC_SIZE];
    sl__str v = SL_VEC_DATA(c->cols[col], sl__str)[row % SL_VEC_SIZE];
    *len = v.len;
    return v.ptr;
}

static void expect_str(const sl__rowset *rs, uint64_t row, const char *want) {
    size_t n;
    const char *p = str_at(rs, row, 0, &n);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(p, want, n);
}

static int64_t i64_at(const sl__rowset *rs, uint64_t row, uint32_t col) {
    const sl__chunk *c = &rs->chunks[row / SL_VEC_SIZE];
    return SL_VEC_DATA(c->cols[col], int64_t)[row % SL_VEC_SIZE];
}

static bool valid_at(const sl__rowset *rs, uint64_t row, uint32_t col) {
    const sl__chunk *c = &rs->chunks[row / SL_VEC_SIZE];
    return sl__vec_valid(c->cols[col], (uint32_t)(row % SL_VEC_SIZE));
}

static void batch(sl__source *s, int64_t start, int64_t end, sl__rowset *rs) {
    sl__err e;
    sl__err_clear(&e);
    memset(rs, 0, sizeof *rs);
    assert_int_equal(s->vt->get_batch(s, start, end, rs, &e), SL_OK);
}

/* ---- tests --------------------------------------------------------------------- */

static void test_define_r67(void **state) {
    (void)state;
    const char *m;
    assert_non_null(m = define_err(NULL, "port", "9999", NULL));
    assert_non_null(strstr(m, "host"));
    assert_non_null(m = define_err(NULL, "host", "127.0.0.1", NULL));
    assert_non_null(strstr(m, "port"));
    assert_non_null(m = define_err(NULL, "host", "h", "port", "0", NULL));
    assert_non_null(strstr(m, "port"));
    assert_non_null(define_err(NULL, "host", "h", "port", "65536", NULL));
    assert_non_null(define_err(NULL, "host", "h", "port", "99x", NULL));
    assert_non_null(
        m = define_err(NULL, "host", "h", "port", "1", "includeTimestamp", "yes", NULL));
    assert_non_null(strstr(m, "includeTimestamp"));
    assert_non_null(m = define_err(NULL, "host", "h", "port", "1", "format", "xml", NULL));
    assert_non_null(strstr(m, "'json'"));
    assert_non_null(m = define_err(NULL, "host", "h", "port", "1", "format", "json", NULL));
    assert_non_null(strstr(m, "CREATE STREAM s (a BIGINT"));
    assert_non_null(m = define_err("a BIGINT", "host", "h", "port", "1", NULL));
    assert_non_null(strstr(m, "format 'json'"));
    assert_non_null(strstr(m, "from_json"));
    assert_non_null(m = define_err(NULL, "host", "h", "port", "1", "hots", "x", NULL));
    assert_non_null(strstr(m, "unknown option 'hots'"));
    assert_non_null(define_err("a BIGINT", "host", "h", "port", "1", "format", "json",
                               "includeTimestamp", "true", NULL));
    assert_non_null(define_err(NULL, "host", "h", "port", "1", "maxBufferBytes", "10", NULL));
    assert_non_null(define_err(NULL, "host", "h", "port", "1", "mode", "FAILFAST", NULL));
    assert_null(define_err(NULL, "host", "h", "port", "1", "reconnect", "TRUE", "maxBufferBytes",
                           "1048576", "numPartitions", "4", NULL));
    assert_null(define_err("a BIGINT", "host", "h", "port", "1", "format", "JSON", "mode",
                           "dropmalformed", "timeZone", "+02:00", NULL));
    assert_non_null(define_err("a BIGINT", "host", "h", "port", "1", "format", "json", "timeZone",
                               "Nowhere/Atlantis", NULL));

    /* the schemas */
    sl__err e;
    sl__err_clear(&e);
    const sl__type *t;
    kvs o = {{{"host", "h"}, {"port", "1"}}, 2};
    assert_int_equal(sl__source_define("socket", o.kv, o.n, NULL, &t, &e), SL_OK);
    assert_string_equal(t->name, "struct<value:string>");
    o.kv[o.n++] = (sl__kv){"includeTimestamp", "true"};
    assert_int_equal(sl__source_define("socket", o.kv, o.n, NULL, &t, &e), SL_OK);
    assert_string_equal(t->name, "struct<value:string,timestamp:timestamp>");
}

static void test_lines_r68(void **state) {
    (void)state;
    server sv;
    srv_start(&sv);
    sl__clock *clock = sl__clock_new(true, 0);
    int conn;
    sl__source *s = open_on(&sv, clock, &conn, NULL, NULL);
    assert_int_equal(s->initial, -1);
    assert_false(s->replayable);
    assert_true(s->vt->wait_fd(s) >= 0);
    sl__err e;
    sl__err_clear(&e);
    int64_t end = -99;
    /* R25: right after connecting the offset is 0, so batch 0 runs empty */
    assert_int_equal(s->vt->latest(s, &end, &e), SL_OK);
    assert_int_equal(end, 0);
    sl__rowset rs;
    batch(s, -1, 0, &rs);
    assert_int_equal(rs.rows, 0);
    sl__rowset_clear(&rs);
    s->vt->commit(s, 0);

    put(conn, "hel");
    nap_ms(20);
    assert_int_equal(latest_until(s, 0), 0); /* a partial line is not a line yet */
    put(conn, "lo\r\n\nwor");
    assert_int_equal(latest_until(s, 2), 2);
    put(conn, "ld\nsecond\xff line\n");
    assert_int_equal(latest_until(s, 4), 4);
    batch(s, 0, 4, &rs);
    assert_int_equal(rs.rows, 4);
    assert_int_equal(rs.bad_records, 0);
    expect_str(&rs, 0, "hello"); /* \r\n stripped */
    expect_str(&rs, 1, "");      /* an empty line is a row */
    expect_str(&rs, 2, "world");
    expect_str(&rs, 3, "second\xff line"); /* bytes kept as they are */
    /* the rows own their bytes: committing (and compacting) keeps them */
    s->vt->commit(s, 4);
    put(conn, "more data that reuses the buffer\n");
    assert_int_equal(latest_until(s, 5), 5);
    expect_str(&rs, 0, "hello");
    sl__rowset_clear(&rs);

    /* a range after a partial commit */
    put(conn, "a\nb\nc\n");
    assert_int_equal(latest_until(s, 8), 8);
    batch(s, 4, 6, &rs);
    assert_int_equal(rs.rows, 2);
    expect_str(&rs, 0, "more data that reuses the buffer");
    expect_str(&rs, 1, "a");
    sl__rowset_clear(&rs);
    s->vt->commit(s, 6);
    batch(s, 6, 8, &rs);
    expect_str(&rs, 0, "b");
    expect_str(&rs, 1, "c");
    sl__rowset_clear(&rs);
    s->vt->commit(s, 8);

    /* a last line without newline at EOF is a line; then the error */
    put(conn, "tail");
    close(conn);
    assert_int_equal(latest_until(s, 9), 9);
    assert_int_equal(s->vt->wait_fd(s), -1);
    batch(s, 8, 9, &rs);
    assert_int_equal(rs.rows, 1);
    expect_str(&rs, 0, "tail");
    sl__rowset_clear(&rs);
    s->vt->commit(s, 9);
    sl__err_clear(&e);
    assert_int_equal(s->vt->latest(s, &end, &e), SL_ERR_IO);
    char want[64];
    snprintf(want, sizeof want, "connection to 127.0.0.1:%d closed by the peer", sv.port);
    assert_non_null(strstr(e.msg, want));
    assert_non_null(strstr(e.msg, "reconnect true"));

    sl__buf b = SL_BUF_INIT;
    s->vt->describe(s, &b);
    snprintf(want, sizeof want, "TextSocketV2[host: 127.0.0.1, port: %d]", sv.port);
    assert_string_equal(sl__buf_str(&b), want);
    sl__buf_clear(&b);
    s->vt->offset_json(s, 9, &b); /* Spark's line index */
    assert_string_equal(sl__buf_str(&b), "8");
    sl__buf_clear(&b);
    s->vt->offset_json(s, 0, &b);
    assert_string_equal(sl__buf_str(&b), "-1");
    sl__buf_free(&b);
    sl__source_free(s);
    sl__clock_free(clock);
    close(sv.lfd);
}

static void test_include_timestamp_r67(void **state) {
    (void)state;
    server sv;
    srv_start(&sv);
    int64_t t0 = 1700000000123456; /* µs; lines get whole milliseconds */
    sl__clock *clock = sl__clock_new(true, t0);
    int conn;
    sl__source *s = open_on(&sv, clock, &conn, NULL, "includeTimestamp", "true", NULL);
    put(conn, "a\nb\n");
    assert_int_equal(latest_until(s, 2), 2);
    sl__clock_advance(clock, 1500000);
    put(conn, "c\n");
    assert_int_equal(latest_until(s, 3), 3);
    sl__rowset rs;
    batch(s, -1, 3, &rs);
    assert_int_equal(rs.rows, 3);
    expect_str(&rs, 2, "c");
    assert_int_equal(i64_at(&rs, 0, 1), 1700000000123000);
    assert_int_equal(i64_at(&rs, 1, 1), 1700000000123000);
    assert_int_equal(i64_at(&rs, 2, 1), 1700000001623000);
    sl__rowset_clear(&rs);
    /* after a commit the times of later lines stay right */
    s->vt->commit(s, 2);
    sl__clock_advance(clock, 1000);
    put(conn, "d\n");
    assert_int_equal(latest_until(s, 4), 4);
    batch(s, 2, 4, &rs);
    assert_int_equal(i64_at(&rs, 0, 1), 1700000001623000);
    assert_int_equal(i64_at(&rs, 1, 1), 1700000001624000);
    sl__rowset_clear(&rs);
    close(conn);
    sl__source_free(s);
    sl__clock_free(clock);
    close(sv.lfd);
}

static void test_json_lines(void **state) {
    (void)state;
    server sv;
    srv_start(&sv);
    sl__clock *clock = sl__clock_new(true, 0);
    int conn;
    sl__source *s =
        open_on(&sv, clock, &conn, "id BIGINT, name STRING, x DOUBLE", "format", "json", NULL);
    put(conn, "{\"id\":1,\"name\":\"a\",\"x\":1.5}\r\n"
              "{oops\n"
              "{\"name\":\"b\",\"id\":2}\n"
              "{\"id\":\"three\",\"name\":\"c\",\"x\":3}\n"
              "{\"id\":4,");
    assert_int_equal(latest_until(s, 4), 4);
    sl__rowset rs;
    batch(s, -1, 4, &rs);
    assert_int_equal(rs.rows, 4);
    assert_int_equal(rs.bad_records, 2); /* the malformed line and the mistyped one */
    assert_int_equal(i64_at(&rs, 0, 0), 1);
    assert_false(valid_at(&rs, 1, 0)); /* malformed: every field NULL */
    assert_false(valid_at(&rs, 1, 1));
    assert_false(valid_at(&rs, 1, 2));
    assert_int_equal(i64_at(&rs, 2, 0), 2);
    assert_false(valid_at(&rs, 2, 2));
    assert_false(valid_at(&rs, 3, 0)); /* mistyped: that field NULL */
    size_t n;
    const char *p = str_at(&rs, 3, 1, &n);
    assert_int_equal(n, 1);
    assert_memory_equal(p, "c", 1);
    sl__rowset_clear(&rs);
    s->vt->commit(s, 4);
    put(conn, "\"name\":\"d\"}\n");
    assert_int_equal(latest_until(s, 5), 5);
    batch(s, 4, 5, &rs);
    assert_int_equal(rs.rows, 1);
    assert_int_equal(rs.bad_records, 0);
    assert_int_equal(i64_at(&rs, 0, 0), 4);
    sl__rowset_clear(&rs);
    close(conn);
    sl__source_free(s);
    sl__clock_free(clock);
    close(sv.lfd);
}

/* A sender of 200 MB against maxBufferBytes 1 MiB: the source holds at
 * most the cap, the sender is held back by TCP, and reading resumes after
 * a commit. */
static void test_back_pressure(void **state) {
    (void)state;
    server sv;
    srv_start(&sv);
    sl__clock *clock = sl__clock_new(true, 0);
    int conn;
    const int64_t cap = 1 << 20;
    sl__source *s = open_on(&sv, clock, &conn, NULL, "maxBufferBytes", "1048576", NULL);
    char line[100];
    memset(line, 'x', sizeof line - 1);
    line[sizeof line - 1] = '\n';
    static char block[64000];
    for (size_t i = 0; i < sizeof block; i += sizeof line) memcpy(block + i, line, sizeof line);
    const int64_t total = 200ll << 20;
    int64_t sent = 0, end = 0;
    sl__err e;
    int stalls = 0;
    while (sent < total && stalls < 20) {
        ssize_t w = send(conn, block, SL_MIN((int64_t)sizeof block, total - sent),
                         MSG_DONTWAIT | MSG_NOSIGNAL);
        if (w > 0) {
            sent += w;
            continue;
        }
        assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
        sl__err_clear(&e);
        assert_int_equal(s->vt->latest(s, &end, &e), SL_OK);
        assert_true(end * (int64_t)sizeof line <= cap); /* never more than the cap held */
        if (end * (int64_t)sizeof line > cap - (int64_t)sizeof line) {
            stalls++;
            assert_int_equal(s->vt->wait_fd(s), -1); /* paused */
            nap_ms(2);
        }
    }
    assert_true(sent < total); /* the sender was held back */
    assert_true(sent < cap + (64ll << 20));
    int64_t first = end;
    assert_true(first >= cap / (int64_t)sizeof line - 1);
    /* consume: reading resumes */
    sl__rowset rs;
    batch(s, -1, first, &rs);
    assert_int_equal(rs.rows, (uint64_t)first);
    line[sizeof line - 1] = 0;
    expect_str(&rs, (uint64_t)first - 1, line);
    sl__rowset_clear(&rs);
    s->vt->commit(s, first);
    assert_true(s->vt->wait_fd(s) >= 0);
    int64_t again = latest_until(s, first + 1000);
    assert_true(again > first);
    assert_true((again - first) * (int64_t)sizeof line <= cap);
    close(conn);
    sl__source_free(s);
    sl__clock_free(clock);
    close(sv.lfd);
}

/* A line longer than maxBufferBytes is cut there (and counted), the rest
 * of it dropped. */
static void test_long_line(void **state) {
    (void)state;
    server sv;
    srv_start(&sv);
    sl__clock *clock = sl__clock_new(true, 0);
    int conn;
    sl__source *s = open_on(&sv, clock, &conn, NULL, "maxBufferBytes", "64", NULL);
    char big[300];
    memset(big, 'y', sizeof big);
    big[0] = 'A';
    big[sizeof big - 2] = '\n';
    big[sizeof big - 1] = 0;
    put(conn, "short\n");
    put(conn, big);
    put(conn, "after\n");
    int64_t end = latest_until(s, 1);
    sl__rowset rs;
    sl__err e;
    int64_t done = 0;
    uint64_t rows = 0, bad = 0;
    char got[3][80];
    /* take what comes, as a query would, until the three lines are there */
    for (int i = 0; i < 200 && rows < 3; i++) {
        if (end > done) {
            batch(s, done, end, &rs);
            for (uint64_t r = 0; r < rs.rows && rows + r < 3; r++) {
                size_t n;
                const char *p = str_at(&rs, r, 0, &n);
                snprintf(got[rows + r], sizeof got[0], "%.*s", (int)n, p);
            }
            rows += rs.rows;
            bad += rs.bad_records;
            sl__rowset_clear(&rs);
            s->vt->commit(s, end);
            done = end;
        }
        nap_ms(5);
        sl__err_clear(&e);
        assert_int_equal(s->vt->latest(s, &end, &e), SL_OK);
    }
    assert_int_equal(rows, 3);
    assert_int_equal(bad, 1);
    assert_string_equal(got[0], "short");
    assert_int_equal(strlen(got[1]), 64);
    assert_int_equal(got[1][0], 'A');
    assert_string_equal(got[2], "after");
    close(conn);
    sl__source_free(s);
    sl__clock_free(clock);
    close(sv.lfd);
}

static void test_reconnect(void **state) {
    (void)state;
    server sv;
    srv_start(&sv);
    sl__clock *clock = sl__clock_new(true, 0);
    int conn;
    sl__source *s = open_on(&sv, clock, &conn, NULL, "reconnect", "true", NULL);
    put(conn, "one\ntwo");
    close(conn);
    assert_int_equal(latest_until(s, 2), 2); /* "two" ended by the close */
    sl__rowset rs;
    batch(s, -1, 2, &rs);
    expect_str(&rs, 1, "two");
    sl__rowset_clear(&rs);
    s->vt->commit(s, 2);
    /* no error: it connects again after 100 ms */
    int c2 = -1;
    sl__err e;
    int64_t end;
    for (int i = 0; i < 100 && c2 < 0; i++) {
        sl__err_clear(&e);
        assert_int_equal(s->vt->latest(s, &end, &e), SL_OK);
        assert_int_equal(end, 2);
        struct pollfd p = {sv.lfd, POLLIN, 0};
        if (poll(&p, 1, 20) == 1) c2 = accept(sv.lfd, NULL, NULL);
    }
    assert_true(c2 >= 0);
    put(c2, "three\n");
    assert_int_equal(latest_until(s, 3), 3); /* offsets go on */
    batch(s, 2, 3, &rs);
    expect_str(&rs, 0, "three");
    sl__rowset_clear(&rs);
    close(c2);
    sl__source_free(s);
    sl__clock_free(clock);
    close(sv.lfd);
}

static void test_refused(void **state) {
    (void)state;
    server sv;
    srv_start(&sv);
    close(sv.lfd); /* nothing listens on that port now */
    sl__clock *clock = sl__clock_new(true, 0);
    sl__source *s = make(clock, NULL, "host", "127.0.0.1", "port", sv.port_s, NULL);
    sl__err e;
    sl__err_clear(&e);
    assert_int_equal(s->vt->open(s, &e), SL_ERR_IO);
    char want[64];
    snprintf(want, sizeof want, "127.0.0.1:%d", sv.port);
    assert_non_null(strstr(e.msg, want));
    assert_non_null(strstr(e.msg, "refused"));
    assert_non_null(strstr(e.msg, "sluice gen iot"));
    assert_int_equal(s->vt->wait_fd(s), -1);
    sl__source_free(s);
    sl__clock_free(clock);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_define_r67),
        cmocka_unit_test(test_lines_r68),
        cmocka_unit_test(test_include_timestamp_r67),
        cmocka_unit_test(test_json_lines),
        cmocka_unit_test(test_back_pressure),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_reconnect),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
