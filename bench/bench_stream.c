/*
 * bench_stream.c — the streaming runtime's benchmarks (issue 4): what a
 * streaming query costs per micro-batch, and how fast the lab's pipeline
 *     from_json(value, <IoT schema>) -> dropna(..., 'any') -> GROUP BY gt count(*)
 * runs from a memory stream and from a loopback TCP socket.
 *
 * What is measured (each figure is a median; the results are checked first):
 *  - stream_trigger_no_data_us: a query (memory stream -> GROUP BY k with
 *    count and sum, complete mode -> memory sink) that is poked with
 *    process_all_available while nothing is new. Spark (R29) and sluice run
 *    no batch then; the figure is the query thread's time for that trigger,
 *    from reading the source's offset to publishing "all processed".
 *  - stream_batch_one_row_us: the same query after INSERT INTO s VALUES of
 *    one row: the query thread's time for the trigger that runs the batch,
 *    from reading the offset to the end of the batch (source rows taken,
 *    operators run, memory table swapped, offsets committed, progress record
 *    kept). Parsing the INSERT runs on the caller's thread and is excluded.
 *    Both come from the query's perf counters (stream/query.h,
 *    sl__sq_perf_of: CLOCK_MONOTONIC around each trigger), one sample per
 *    trigger; waiting and waking between triggers are not included.
 *  - stream_lab_memory: the lab pipeline over a memory stream (value STRING)
 *    holding `rows` pre-made IoT lines (sluice gen iot's record, ~230 bytes,
 *    3% error records) pushed before timing; one batch per round, rows /
 *    the query thread's time for that batch. One thread.
 *  - stream_lab_socket: the same pipeline reading a socket stream, the lines
 *    written as fast as possible by a forked sender process over loopback
 *    TCP; end to end, from the sender's first write to the end of the batch
 *    that completes the last line (both CLOCK_MONOTONIC).
 * Usage: bench_stream [rows] (default 1,000,000 a round; SLUICE_BENCH_QUICK:
 * 20,000).
 */
#include "bench.h"
#include "gen.h"
#include "main/session.h"
#include "sluice.h"
#include "stream/api.h"
#include "stream/query.h"
#include "stream/stream.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *IOT_SCHEMA =
    "'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT, Model STRING, "
    "User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE'";

static void must(sl_session *s, const char *sql) {
    sl_result *r = NULL;
    if (sl_session_execute(s, sql, &r) != SL_OK) {
        fprintf(stderr, "bench_stream: %s: %s\n", sql, sl_session_errmsg(s));
        exit(1);
    }
    sl_result_destroy(&r);
}

static sl_result *query(sl_session *s, const char *sql) {
    sl_result *r = NULL;
    if (sl_session_execute(s, sql, &r) != SL_OK) {
        fprintf(stderr, "bench_stream: %s: %s\n", sql, sl_session_errmsg(s));
        exit(1);
    }
    return r;
}

static sl__sq *find_query(sl_session *s, const char *name) {
    sl__sq *q = sl__streams_find(s->streams, name);
    if (!q) {
        fprintf(stderr, "bench_stream: no query %s\n", name);
        exit(1);
    }
    return q;
}

static void process_all(sl__sq *q) {
    if (!sl__sq_process_all_available(q, 600 * 1000000LL, NULL)) {
        fprintf(stderr, "bench_stream: processAllAvailable timed out\n");
        exit(1);
    }
    if (sl__sq_error(q)) {
        fprintf(stderr, "bench_stream: query failed: %s\n", sl__sq_error(q));
        exit(1);
    }
}

static double median(double *v, size_t n) {
    qsort(v, n, sizeof *v, bench_cmp_double);
    return n ? v[n / 2] : 0;
}

/* ---- a: fixed cost per trigger ---------------------------------------------------------- */

static void bench_fixed(bool quick) {
    sl_session *s;
    sl_session_open(NULL, &s);
    must(s, "CREATE STREAM fc (k INT, v BIGINT) USING memory");
    must(s, "START QUERY fcq USING memory OPTIONS (outputMode 'complete') AS "
            "SELECT k, count(*) AS n, sum(v) AS total FROM fc GROUP BY k");
    sl__sq *q = find_query(s, "fcq");
    /* eight groups in the state before measuring */
    must(s, "INSERT INTO fc VALUES (0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0)");
    process_all(q);

    int n = quick ? 50 : 3000;
    double *idle = calloc((size_t)n, sizeof *idle), *one = calloc((size_t)n, sizeof *one);
    size_t n_idle = 0, n_one = 0;
    sl__sq_perf a, b;
    for (int i = 0; i < n; i++) {
        sl__sq_perf_of(q, &a);
        process_all(q);
        sl__sq_perf_of(q, &b);
        if (b.batches == a.batches && b.idle_triggers == a.idle_triggers + 1)
            idle[n_idle++] = (double)(b.idle_ns - a.idle_ns) / 1e3;
    }
    int64_t sum_v = 0;
    char sql[128];
    for (int i = 0; i < n; i++) {
        snprintf(sql, sizeof sql, "INSERT INTO fc VALUES (%d, %d)", i % 8, i);
        sum_v += i;
        sl__sq_perf_of(q, &a);
        must(s, sql);
        process_all(q);
        sl__sq_perf_of(q, &b);
        if (b.batches == a.batches + 1 && b.batch_rows == a.batch_rows + 1)
            one[n_one++] = (double)(b.batch_ns - a.batch_ns) / 1e3;
    }
    sl_result *r = query(s, "SELECT count(*), sum(n), sum(total) FROM fcq");
    bool ok = sl_result_int64(r, 0, 0) == 8 && sl_result_int64(r, 1, 0) == 8 + n &&
              sl_result_int64(r, 2, 0) == sum_v;
    sl_result_destroy(&r);
    if (!ok || n_idle < (size_t)n / 2 || n_one < (size_t)n / 2) {
        bench_fail("stream_trigger_no_data", "wrong result or too few clean samples");
        bench_fail("stream_batch_one_row", "wrong result or too few clean samples");
    } else {
        bench_report("stream_trigger_no_data", median(idle, n_idle), "us", 20, false, NULL, 0);
        bench_report("stream_batch_one_row", median(one, n_one), "us", 50, false, NULL, 0);
    }
    free(idle);
    free(one);
    sl__sq_unref(q);
    sl_session_close(&s);
}

/* ---- the IoT lines ---------------------------------------------------------------------- */

static const char *const GTS[] = {"stand", "sit", "walk", "bike", "stairsup", "stairsdown", "null"};
#define N_GT 7

typedef struct lines {
    char *buf; /* n lines, each ending in '\n' */
    size_t len;
    uint32_t *off; /* n + 1 offsets */
    size_t n;
    int64_t expect[N_GT]; /* rows per gt that dropna keeps */
} lines;

static void make_lines(lines *L, size_t n) {
    sl__gen_params p;
    memset(&p, 0, sizeof p);
    p.kind = SL__GEN_IOT;
    p.period_ns = 50 * 1000000LL;
    p.error_rate = 0.03;
    p.late_fraction = 0.02;
    p.max_delay_ns = 10 * SL__GEN_NS_PER_S;
    p.sched_key = 42;
    sl__gen_stream gs;
    sl__gen_stream_init(&gs, &p, 42, SL__GEN_DEFAULT_START_S * SL__GEN_NS_PER_S);
    sl__gen_buf b = {0};
    memset(L, 0, sizeof *L);
    L->off = malloc((n + 1) * sizeof *L->off);
    for (size_t i = 0; i < n; i++) {
        L->off[i] = (uint32_t)b.len;
        sl__gen_stream_next(&gs, &b);
        /* the expected groups, read from the text independently of the engine */
        const char *line = b.p + L->off[i];
        const char *g = strstr(line, "\"gt\":\"");
        if (!g) continue; /* an error record: gt and the rest are null, dropna drops it */
        g += 6;
        for (int k = 0; k < N_GT; k++) {
            size_t gl = strlen(GTS[k]);
            if (strncmp(g, GTS[k], gl) == 0 && g[gl] == '"') {
                L->expect[k]++;
                break;
            }
        }
    }
    L->off[n] = (uint32_t)b.len;
    L->buf = b.p;
    L->len = b.len;
    L->n = n;
}

/* Checks the lab query's memory table against `times` copies of the lines. */
static bool check_lab(sl_session *s, const char *table, const lines *L, int64_t times) {
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT gt, count FROM %s", table);
    sl_result *r = query(s, sql);
    int64_t got[N_GT] = {0};
    bool ok = true;
    for (uint64_t i = 0; i < sl_result_row_count(r); i++) {
        size_t len = 0;
        const char *g = sl_result_string(r, 0, i, &len);
        int k = 0;
        while (k < N_GT && !(strlen(GTS[k]) == len && memcmp(GTS[k], g, len) == 0)) k++;
        if (k == N_GT)
            ok = false;
        else
            got[k] = sl_result_int64(r, 1, i);
    }
    sl_result_destroy(&r);
    for (int k = 0; k < N_GT; k++)
        if (got[k] != L->expect[k] * times) ok = false;
    return ok;
}

static void lab_sql(char *out, size_t cap, const char *name, const char *stream) {
    snprintf(out, cap,
             "START QUERY %s USING memory OPTIONS (outputMode 'complete') AS "
             "SELECT gt, count(*) AS count FROM dropna((SELECT j.* FROM (SELECT from_json(value, "
             "%s) AS j FROM %s)), 'any') GROUP BY gt",
             name, IOT_SCHEMA, stream);
}

/* ---- b: the lab pipeline over a memory stream ------------------------------------------ */

static void bench_lab_memory(const lines *L, bool quick) {
    sl_session *s;
    sl_session_open(NULL, &s);
    must(s, "CREATE STREAM iot (value STRING) USING memory");
    char sql[1024];
    lab_sql(sql, sizeof sql, "lab", "iot");
    must(s, sql);
    sl__sq *q = find_query(s, "lab");
    process_all(q); /* batch 0, empty */
    /* the lines as one row set, appended to the stream each round (outside the timing) */
    sl__table *t = sl__catalog_get(&s->cat, "iot");
    sl__rowset rs;
    memset(&rs, 0, sizeof rs);
    for (size_t i = 0; i < L->n; i++) {
        sl__chunk *c = sl__rowset_tail(&rs, t->schema);
        sl__vec_set_str_copy(c->cols[0], c->n++, L->buf + L->off[i], L->off[i + 1] - L->off[i] - 1);
        rs.rows++;
    }
    int rounds = quick ? 2 : 7; /* the first is a warm-up */
    double rate[8], cpu_rate[8];
    int n_rate = 0;
    sl__err err;
    sl__err_clear(&err);
    for (int round = 0; round < rounds; round++) {
        if (sl__memory_stream_append(t, &rs, &err) != SL_OK) {
            fprintf(stderr, "bench_stream: %s\n", err.msg);
            exit(1);
        }
        sl__sq_perf a, b;
        sl__sq_perf_of(q, &a);
        process_all(q);
        sl__sq_perf_of(q, &b);
        if (b.batch_rows - a.batch_rows != L->n || b.batches - a.batches != 1) {
            bench_fail("stream_lab_memory", "the rows did not arrive in one batch");
            exit(1);
        }
        if (round > 0) {
            rate[n_rate] = (double)L->n / ((double)(b.batch_ns - a.batch_ns) / 1e9);
            cpu_rate[n_rate++] = (double)L->n / ((double)(b.batch_cpu_ns - a.batch_cpu_ns) / 1e9);
        }
    }
    bool ok = check_lab(s, "lab", L, rounds);
    sl__rowset_clear(&rs);
    sl__table_unref(t);
    sl__sq_unref(q);
    sl_session_close(&s);
    fprintf(stderr, "stream_lab_memory: %.3g M rows/s of the query thread's CPU time\n",
            median(cpu_rate, (size_t)n_rate) / 1e6);
    if (ok)
        bench_report("stream_lab_memory", median(rate, (size_t)n_rate) / 1e6, "M rows/s", 5, true,
                     NULL, 0);
    else
        bench_fail("stream_lab_memory", "wrong counts");
}

/* ---- c: the lab pipeline over a loopback socket --------------------------------------- */

static void write_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) _exit(3);
        p += w;
        n -= (size_t)w;
    }
}

/* The sender: accepts one client, reports when it starts writing, writes
 * the lines `times` times, then waits for the parent before closing. */
static void sender(int lfd, int report, int hold, const lines *L, int times) {
    int c = accept(lfd, NULL, NULL);
    if (c < 0) _exit(2);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t t0 = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    for (int i = 0; i < times; i++) write_all(c, L->buf, L->len);
    write_all(report, (const char *)&t0, sizeof t0);
    char x;
    while (read(hold, &x, 1) < 0 && errno == EINTR) {
    }
    close(c);
    _exit(0);
}

static double socket_run(const lines *L, int times, bool *ok) {
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, al) != 0 || listen(lfd, 1) != 0 ||
        getsockname(lfd, (struct sockaddr *)&a, &al) != 0) {
        perror("bench_stream: listen");
        exit(1);
    }
    int rep[2], hold[2];
    if (pipe(rep) != 0 || pipe(hold) != 0) exit(1);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(rep[0]);
        close(hold[1]);
        sender(lfd, rep[1], hold[0], L, times);
    }
    close(lfd);
    close(rep[1]);
    close(hold[0]);

    sl_session *s;
    sl_session_open(NULL, &s);
    char sql[1024];
    snprintf(sql, sizeof sql, "CREATE STREAM sk USING socket OPTIONS (host '127.0.0.1', port %d)",
             ntohs(a.sin_port));
    must(s, sql);
    lab_sql(sql, sizeof sql, "labs", "sk");
    must(s, sql);
    sl__sq *q = find_query(s, "labs");
    uint64_t want = L->n * (uint64_t)times;
    sl__sq_perf p;
    for (;;) {
        sl__sq_perf_of(q, &p);
        if (p.batch_rows >= want || sl__sq_error(q)) break;
        usleep(1000);
    }
    int64_t t0 = 0;
    if (read(rep[0], &t0, sizeof t0) != (ssize_t)sizeof t0) t0 = 0;
    *ok = !sl__sq_error(q) && p.batch_rows == want && t0 > 0 && check_lab(s, "labs", L, times);
    sl__sq_unref(q);
    sl_session_close(&s);
    close(hold[1]); /* the sender may close now */
    close(rep[0]);
    int st;
    waitpid(pid, &st, 0);
    return *ok ? (double)want / ((double)(p.last_batch_end_ns - t0) / 1e9) : 0;
}

static void bench_lab_socket(const lines *L, bool quick) {
    int times = quick ? 2 : 5, runs = quick ? 1 : 5;
    double rate[8];
    bool ok = true;
    socket_run(L, times, &ok); /* warm-up */
    for (int i = 0; i < runs && ok; i++) rate[i] = socket_run(L, times, &ok);
    if (ok)
        bench_report("stream_lab_socket", median(rate, (size_t)runs) / 1e6, "M rows/s", 2, true,
                     NULL, 0);
    else
        bench_fail("stream_lab_socket", "wrong counts or the query failed");
}

int main(int argc, char **argv) {
    bool quick = bench_quick();
    size_t n = quick ? 20000 : 1000000;
    if (argc > 1) n = (size_t)strtoull(argv[1], NULL, 10);
    signal(SIGPIPE, SIG_IGN);
    const char *only = getenv("BENCH_STREAM_ONLY"); /* fixed, memory or socket */
    if (!only || strcmp(only, "fixed") == 0) bench_fixed(quick);
    if (only && strcmp(only, "fixed") == 0) return 0;
    lines L;
    make_lines(&L, n);
    if (!only || strcmp(only, "memory") == 0) bench_lab_memory(&L, quick);
    if (!only || strcmp(only, "socket") == 0) bench_lab_socket(&L, quick);
    free(L.buf);
    free(L.off);
    return 0;
}
