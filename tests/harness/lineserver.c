/*
 * lineserver.c — the test harness's TCP line server: the stand-in for the
 * lab's Python servers in end-to-end tests (tests/e2e/lab_steps.sh). It is
 * independent of sluice (no engine code, no src/gen), so a test compares
 * the engine against data the engine did not produce.
 *
 *   lineserver [options] FILE
 *
 * Listens on 127.0.0.1 (an ephemeral port unless --port), prints the port
 * on standard output as its first line, and sends the lines of FILE, byte
 * for byte, to every client that connects, each on its own thread. Options
 * shape the delivery: a delay before the first byte, a rate in lines per
 * second, pieces cut at arbitrary byte boundaries (across lines too), a
 * pause after some lines, a close after some lines, a reset instead of a
 * close, or keeping the connection open after the last line. --garbage
 * mixes hostile lines between the lines of FILE (invalid JSON, truncated
 * lines, invalid UTF-8, NUL bytes, very long and very deeply nested lines,
 * CRLF endings, an unterminated last line); --dump writes the exact bytes a
 * client gets to a file, so a test can compute what to expect from them.
 * Everything random comes from --seed: the same options send the same
 * bytes in the same pieces.
 *
 * Exits after --clients clients were served (0: never), or on SIGTERM or
 * SIGINT, within about 100 ms, closing every connection. Logs one line per
 * client event on standard error unless --quiet. Run with --help for the
 * options.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: lineserver [options] FILE\n"
    "\n"
    "Sends the lines of FILE to every client of 127.0.0.1:PORT; prints PORT first.\n"
    "\n"
    "options:\n"
    "  --port N           port to listen on (default 0: any free port)\n"
    "  --clients N        exit after serving N clients (default 0: until SIGTERM)\n"
    "  --rate R           lines per second per client (default 0: as fast as read)\n"
    "  --chunks MAX       send pieces of 1..MAX bytes cut at random byte boundaries,\n"
    "                     across lines too (not with --rate)\n"
    "  --chunk-delay-ms D pause between pieces (default 1)\n"
    "  --delay-ms MS      wait MS milliseconds after a client connects before sending\n"
    "  --pause-after N    pause after the first N lines ...\n"
    "  --pause-ms MS      ... for MS milliseconds (default 1000)\n"
    "  --close-after N    send only the first N lines, then close\n"
    "  --keep-open        after the last line keep the connection open until the\n"
    "                     client closes it or the server stops\n"
    "  --reset            end connections with a TCP reset instead of a close\n"
    "  --garbage          mix hostile lines between the lines of FILE\n"
    "  --seed S           seed of --chunks and --garbage (default 1)\n"
    "  --dump FILE        write the bytes every client gets to FILE\n"
    "  --quiet            no log lines on standard error\n"
    "  -h, --help         this text\n";

/* ---- options and shared state ----------------------------------------- */

static struct {
    int port;
    long clients;
    double rate;
    long chunks;
    long chunk_delay_ms;
    long delay_ms;
    long pause_after;
    long pause_ms;
    long close_after;
    bool keep_open;
    bool reset;
    bool garbage;
    uint64_t seed;
    const char *dump;
    bool quiet;
    const char *file;
} opt = {.chunk_delay_ms = 1, .pause_after = -1, .pause_ms = 1000, .close_after = -1, .seed = 1};

/* Set by SIGTERM/SIGINT; every loop checks it at least every 100 ms. */
static atomic_int stopping;

/* What every client gets: the bytes, and where each line ends (the offset
 * just past its terminator, or the end of the payload for a last line
 * without one). */
static char *payload;
static size_t payload_len;
static size_t *line_end;
static size_t nlines;

static void logf_(const char *fmt, ...) {
    if (opt.quiet) return;
    va_list ap;
    va_start(ap, fmt);
    fputs("lineserver: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("lineserver: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void *xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) die("out of memory");
    return p;
}

/* ---- random numbers (splitmix64) -------------------------------------- */

static uint64_t rnd_next(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ---- building the payload --------------------------------------------- */

static size_t payload_cap, line_cap;

static void put(const void *p, size_t n) {
    if (payload_len + n > payload_cap) {
        while (payload_len + n > payload_cap) payload_cap = payload_cap ? payload_cap * 2 : 4096;
        payload = xrealloc(payload, payload_cap);
    }
    memcpy(payload + payload_len, p, n);
    payload_len += n;
}

static void puts_(const char *s) {
    put(s, strlen(s));
}

static void putrep(char c, size_t n) {
    for (size_t i = 0; i < n; i++) put(&c, 1);
}

/* Marks the end of a line at the current end of the payload. */
static void end_line(void) {
    if (nlines == line_cap) {
        line_cap = line_cap ? line_cap * 2 : 256;
        line_end = xrealloc(line_end, line_cap * sizeof *line_end);
    }
    line_end[nlines++] = payload_len;
}

/* One hostile line of kind k (each ends with '\n'); `prev` is the line of
 * FILE just sent, without its terminator. */
static void put_garbage(unsigned k, const char *prev, size_t prev_len) {
    static const char *const fixed[] = {
        "this is not json",
        "{\"Arrival_Time\" 1584786731000000000, \"gt\": \"walk\"}",
        "{\"Device\":\"bad\xff\xfe utf8\",\"gt\":\"w\xc3\x28"
        "alk\",\"User\":\"\xe9\"}",
        NULL, /* the line with a NUL byte, below */
        "",
        "  \t  ",
        "{\"gt\":\"lone\rcr\",\"Model\":\"\\ud800\\u0000\"}",
        "\r",
        "{\"Index\":99999999999999999999999,\"x\":1e999,\"y\":-1e-999,\"z\":\"NaN\"}",
        "42",
        "[1,2,{\"gt\":\"walk\"}]",
        "null",
        "{\"gt\":\"tab\there\",\"Device\":{\"a\":[1,2,{}]},\"Index\":\"12\",\"x\":\"abc\"}",
        "}{",
        "{\"gt\":\"walk\",}",
        "\xef\xbb\xbf{\"gt\":\"bom\"}",
    };
    static const char nul_line[] = "{\"gt\":\"nul\0byte\",\"User\":\"n\"}";
    const size_t nfixed = sizeof fixed / sizeof fixed[0];
    size_t kind = k % (nfixed + 4);
    if (kind < nfixed && fixed[kind]) {
        puts_(fixed[kind]);
    } else if (kind < nfixed) {
        put(nul_line, sizeof nul_line - 1);
    } else {
        /* kinds past the fixed ones are built: truncated, long, deep */
        switch (kind - nfixed) {
        case 0: put(prev, prev_len / 2); break; /* the previous line cut in half */
        case 1:                                 /* a long JSON line: 300,000 bytes */
            puts_("{\"Device\":\"");
            putrep('A', 300000);
            puts_("\",\"gt\":\"long\"}");
            break;
        case 2: /* deeply nested arrays in a field, balanced */
            puts_("{\"x\":");
            putrep('[', 100000);
            putrep(']', 100000);
            puts_(",\"gt\":\"deep\"}");
            break;
        case 3: /* deeply nested, never closed, and a long line of no JSON */
            putrep('{', 1);
            for (int i = 0; i < 50000; i++) puts_("\"a\":{");
            break;
        }
    }
    put("\n", 1);
    end_line();
}

static void build_payload(const char *data, size_t len) {
    size_t i = 0, n = 0;
    unsigned kind = 0;
    while (i < len) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t body = nl ? (size_t)(nl - (data + i)) : len - i;
        if (opt.garbage && n % 5 == 4 && body > 0 && data[i + body - 1] != '\r') {
            put(data + i, body); /* every 5th line of FILE ends with CRLF */
            put("\r\n", 2);
        } else {
            put(data + i, nl ? body + 1 : body);
        }
        end_line();
        if (opt.garbage && n % 3 == 2) put_garbage(kind++, data + i, body);
        i += nl ? body + 1 : body;
        n++;
    }
    if (opt.garbage) { /* a last line without its newline: still a line */
        puts_("{\"gt\":\"unterminated\",\"User\":\"tail\"}");
        end_line();
    }
}

static void load_file(void) {
    FILE *f = fopen(opt.file, "rb");
    if (!f) die("cannot open %s: %s", opt.file, strerror(errno));
    char *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) data = xrealloc(data, cap = cap ? cap * 2 : 65536);
        size_t got = fread(data + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    if (ferror(f)) die("cannot read %s", opt.file);
    fclose(f);
    build_payload(data, len);
    free(data);
    if (opt.dump) {
        FILE *d = fopen(opt.dump, "wb");
        size_t upto = opt.close_after >= 0 && (size_t)opt.close_after < nlines
                          ? (opt.close_after ? line_end[opt.close_after - 1] : 0)
                          : payload_len;
        if (!d || fwrite(payload, 1, upto, d) != upto || fclose(d) != 0)
            die("cannot write %s", opt.dump);
    }
}

/* ---- sending ----------------------------------------------------------- */

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps until the monotonic clock reaches `until_ms`; false when the
 * server is stopping. */
static bool sleep_until(int64_t until_ms) {
    for (;;) {
        if (atomic_load(&stopping)) return false;
        int64_t left = until_ms - now_ms();
        if (left <= 0) return true;
        if (left > 50) left = 50;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)left * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* Sends n bytes, waiting for the client to read them; false when the
 * client is gone or the server is stopping. */
static bool send_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        if (atomic_load(&stopping)) return false;
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        int r = poll(&pfd, 1, 100);
        if (r < 0 && errno != EINTR) return false;
        if (r <= 0) continue;
        if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) return false;
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Sends payload[from, to) in random pieces of 1..opt.chunks bytes. */
static bool send_chunked(int fd, size_t from, size_t to, uint64_t *rng) {
    while (from < to) {
        size_t k = 1 + (size_t)(rnd_next(rng) % (uint64_t)opt.chunks);
        if (k > to - from) k = to - from;
        if (!send_all(fd, payload + from, k)) return false;
        from += k;
        if (from < to && opt.chunk_delay_ms > 0 && !sleep_until(now_ms() + opt.chunk_delay_ms))
            return false;
    }
    return true;
}

typedef struct {
    long id;
    int fd;
    pthread_t thread;
} client;

/* Sends lines [first, last) of the payload, at opt.rate or in pieces. */
static bool send_lines(int fd, size_t first, size_t last, uint64_t *rng, int64_t *next_ms) {
    if (first >= last) return true;
    size_t from = first ? line_end[first - 1] : 0;
    if (opt.chunks > 0) return send_chunked(fd, from, line_end[last - 1], rng);
    if (opt.rate <= 0) return send_all(fd, payload + from, line_end[last - 1] - from);
    for (size_t i = first; i < last; i++) {
        if (!sleep_until(*next_ms)) return false;
        size_t start = i ? line_end[i - 1] : 0;
        if (!send_all(fd, payload + start, line_end[i] - start)) return false;
        *next_ms += (int64_t)(1000.0 / opt.rate);
    }
    return true;
}

static void *serve(void *arg) {
    client *c = arg;
    uint64_t rng = opt.seed * 0x100000001b3ULL + (uint64_t)c->id;
    if (opt.chunks > 0) {
        int one = 1;
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    size_t last = nlines;
    if (opt.close_after >= 0 && (size_t)opt.close_after < last) last = (size_t)opt.close_after;
    size_t pause = last;
    if (opt.pause_after >= 0 && (size_t)opt.pause_after < last) pause = (size_t)opt.pause_after;
    bool ok = opt.delay_ms == 0 || sleep_until(now_ms() + opt.delay_ms);
    int64_t next_ms = now_ms();
    ok = ok && send_lines(c->fd, 0, pause, &rng, &next_ms);
    if (ok && pause < last) {
        ok = sleep_until(now_ms() + opt.pause_ms);
        next_ms = now_ms();
        ok = ok && send_lines(c->fd, pause, last, &rng, &next_ms);
    }
    size_t bytes = last ? line_end[last - 1] : 0;
    if (!ok) {
        logf_("client %ld: stopped early", c->id);
    } else if (opt.keep_open) {
        logf_("client %ld: sent %zu lines, %zu bytes; keeping the connection open", c->id, last,
              bytes);
        char sink[4096];
        while (!atomic_load(&stopping)) {
            struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
            int r = poll(&pfd, 1, 100);
            if (r < 0 && errno != EINTR) break;
            if (r <= 0) continue;
            ssize_t got = recv(c->fd, sink, sizeof sink, MSG_DONTWAIT);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
                logf_("client %ld: closed by the client", c->id);
                break;
            }
        }
    } else {
        logf_("client %ld: sent %zu lines, %zu bytes; closing", c->id, last, bytes);
    }
    if (opt.reset) {
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    close(c->fd);
    return NULL;
}

/* ---- main -------------------------------------------------------------- */

static void on_signal(int sig) {
    (void)sig;
    atomic_store(&stopping, 1);
}

static long num_arg(const char *name, const char *v, long min) {
    char *end;
    errno = 0;
    long n = v ? strtol(v, &end, 10) : 0;
    if (!v || errno || *end || end == v || n < min) die("%s needs an integer >= %ld", name, min);
    return n;
}

static void parse_args(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            exit(0);
        } else if (!strcmp(a, "--port")) {
            opt.port = (int)num_arg(a, v, 0), i++;
            if (opt.port > 65535) die("--port must be at most 65535");
        } else if (!strcmp(a, "--clients")) {
            opt.clients = num_arg(a, v, 0), i++;
        } else if (!strcmp(a, "--rate")) {
            opt.rate = (double)num_arg(a, v, 0), i++;
        } else if (!strcmp(a, "--chunks")) {
            opt.chunks = num_arg(a, v, 1), i++;
        } else if (!strcmp(a, "--chunk-delay-ms")) {
            opt.chunk_delay_ms = num_arg(a, v, 0), i++;
        } else if (!strcmp(a, "--delay-ms")) {
            opt.delay_ms = num_arg(a, v, 0), i++;
        } else if (!strcmp(a, "--pause-after")) {
            opt.pause_after = num_arg(a, v, 0), i++;
        } else if (!strcmp(a, "--pause-ms")) {
            opt.pause_ms = num_arg(a, v, 0), i++;
        } else if (!strcmp(a, "--close-after")) {
            opt.close_after = num_arg(a, v, 0), i++;
        } else if (!strcmp(a, "--seed")) {
            opt.seed = (uint64_t)num_arg(a, v, 0), i++;
        } else if (!strcmp(a, "--dump")) {
            if (!v) die("--dump needs a file name");
            opt.dump = v, i++;
        } else if (!strcmp(a, "--keep-open")) {
            opt.keep_open = true;
        } else if (!strcmp(a, "--reset")) {
            opt.reset = true;
        } else if (!strcmp(a, "--garbage")) {
            opt.garbage = true;
        } else if (!strcmp(a, "--quiet")) {
            opt.quiet = true;
        } else if (a[0] == '-' && a[1]) {
            die("unknown option %s (see --help)", a);
        } else if (opt.file) {
            die("one FILE only (see --help)");
        } else {
            opt.file = a;
        }
    }
    if (!opt.file) die("no FILE given (see --help)");
    if (opt.chunks > 0 && opt.rate > 0) die("--chunks and --rate do not go together");
}

int main(int argc, char **argv) {
    parse_args(argc, argv);
    load_file();

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (lfd < 0) die("socket: %s", strerror(errno));
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)opt.port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0)
        die("cannot listen on 127.0.0.1:%d: %s", opt.port, strerror(errno));
    if (listen(lfd, 16) != 0) die("listen: %s", strerror(errno));
    socklen_t alen = sizeof addr;
    getsockname(lfd, (struct sockaddr *)&addr, &alen);
    printf("%d\n", ntohs(addr.sin_port));
    fflush(stdout);
    logf_("listening on 127.0.0.1:%d, %zu lines, %zu bytes per client", ntohs(addr.sin_port),
          nlines, payload_len);

    client **clients = NULL;
    long nclients = 0;
    while (!atomic_load(&stopping) && (opt.clients == 0 || nclients < opt.clients)) {
        struct pollfd pfd = {.fd = lfd, .events = POLLIN};
        int r = poll(&pfd, 1, 100);
        if (r <= 0) continue;
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) continue;
        client *c = xrealloc(NULL, sizeof *c);
        c->id = nclients + 1;
        c->fd = fd;
        logf_("client %ld connected", c->id);
        if (pthread_create(&c->thread, NULL, serve, c) != 0) die("cannot start a thread");
        clients = xrealloc(clients, (size_t)(nclients + 1) * sizeof *clients);
        clients[nclients++] = c;
    }
    close(lfd);
    for (long i = 0; i < nclients; i++) {
        pthread_join(clients[i]->thread, NULL);
        free(clients[i]);
    }
    free(clients);
    free(payload);
    free(line_end);
    logf_("done: %ld clients", nclients);
    return 0;
}
