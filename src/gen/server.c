/*
 * server.c — the TCP server behind `sluice gen iot|bpm|quotes`: one thread,
 * one poll() over a stop pipe, the listening socket and every client, all
 * non-blocking. Each client gets its own stream (stream.c) started when it
 * connects, so clients are independent; with --seed they receive identical
 * bytes.
 *
 * Design notes
 *  - Back-pressure: a client's lines are generated only when its pending
 *    output is below LOW_WATER, so its buffer never holds more than
 *    LOW_WATER plus one line. A slow reader fills its socket's kernel
 *    buffer, send() says EAGAIN, and nothing more is generated for it until
 *    poll() reports it writable: TCP paces it, memory stays bounded.
 *  - Pacing (--rate R > 0): line k of a client is due at
 *    t0 + (k - n0) / R on the monotonic clock. A client that fell more than
 *    a second behind (slow reader) has its schedule reset to now rather
 *    than being sent a burst. Event times come from the simulated clock in
 *    the stream, so pacing never changes the bytes.
 *  - A client's life: SENDING (lines due are generated and sent) -> once
 *    --count lines were generated, DRAINING (pending bytes sent) -> closed
 *    with a FIN. Any send error (EPIPE, ECONNRESET, ...), POLLERR or POLLHUP
 *    closes that client alone. End of its input (it half-closed) is not an
 *    error: some clients shut their sending side and keep reading.
 *  - SIGPIPE is ignored and send() uses MSG_NOSIGNAL. SIGINT/SIGTERM wake
 *    poll() through the self-pipe (signals.c); every socket is closed and
 *    the server returns 0.
 *  - At most MAX_CLIENTS clients; beyond that, and for a moment after
 *    accept() runs out of descriptors, the listening socket is not polled
 *    and new connections wait in the kernel's backlog.
 */
#include "gen.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
    LOW_WATER = 16 * 1024,
    MAX_CLIENTS = 1000,
    ROUNDS = 8, /* fill+send rounds per client per poll, for unpaced clients */
};

typedef struct client {
    int fd;
    bool rd_open; /* still reading (and discarding) what it sends */
    sl__gen_stream st;
    sl__gen_buf out;
    int64_t t0_ns; /* pacing origin, monotonic */
    uint64_t n0;   /* lines generated before t0 */
    char peer[80];
} client;

typedef struct server {
    const sl__gen_opts *o;
    const sl__gen_params *p;
    const char *name; /* "sluice gen iot" */
    int lfd, stopfd;
    client **c;
    size_t n, cap;
    int64_t run_start_ns;
    int64_t accept_pause_until; /* monotonic ns; 0 = accepting */
} server;

static void addr_text(const struct sockaddr *sa, socklen_t len, char *dst, size_t cap) {
    char host[INET6_ADDRSTRLEN], port[8]; /* numeric forms only */
    if (getnameinfo(sa, len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        snprintf(dst, cap, "?");
        return;
    }
    if (sa->sa_family == AF_INET6)
        snprintf(dst, cap, "[%s]:%s", host, port);
    else
        snprintf(dst, cap, "%s:%s", host, port);
}

static int open_listener(server *s) {
    char port[16];
    snprintf(port, sizeof port, "%d", s->o->port);
    struct addrinfo hints, *res, *ai;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int rc = getaddrinfo(s->o->host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "%s: cannot resolve '%s': %s\n", s->name, s->o->host, gai_strerror(rc));
        return -1;
    }
    int fd = -1, err = 0;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 128) == 0) break;
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        fprintf(stderr, "%s: cannot listen on %s port %d: %s\n", s->name, s->o->host, s->o->port,
                strerror(err));
        return -1;
    }
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char where[100] = "?";
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
        addr_text((struct sockaddr *)&ss, len, where, sizeof where);
    fprintf(stderr, "%s: listening on %s\n", s->name, where);
    fflush(stderr);
    return fd;
}

static void client_close(server *s, client *c, const char *why) {
    if (!s->o->quiet)
        fprintf(stderr, "%s: client %s %s after %llu lines\n", s->name, c->peer, why,
                (unsigned long long)c->st.n);
    close(c->fd);
    c->fd = -1;
}

static void accept_clients(server *s, int64_t now) {
    while (s->n < MAX_CLIENTS) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int fd = accept4(s->lfd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                fprintf(stderr, "%s: accept: %s\n", s->name, strerror(errno));
                s->accept_pause_until = now + 100 * INT64_C(1000000);
            }
            return;
        }
        client *c = calloc(1, sizeof *c);
        if (!c) {
            close(fd);
            return;
        }
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 16;
            client **nc = realloc(s->c, cap * sizeof *nc);
            if (!nc) {
                free(c);
                close(fd);
                return;
            }
            s->c = nc;
            s->cap = cap;
        }
        c->fd = fd;
        c->rd_open = true;
        addr_text((struct sockaddr *)&ss, len, c->peer, sizeof c->peer);
        if (s->o->rate > 0) { /* paced lines go out one by one: no Nagle delay */
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
        uint64_t seed;
        int64_t start;
        sl__gen_opts_stream_origin(s->o, s->run_start_ns, &seed, &start);
        sl__gen_stream_init(&c->st, s->p, seed, start);
        c->t0_ns = now;
        c->n0 = 0;
        s->c[s->n++] = c;
        if (!s->o->quiet) fprintf(stderr, "%s: client %s connected\n", s->name, c->peer);
    }
}

static bool count_reached(const server *s, const client *c) {
    return s->o->count && c->st.n >= s->o->count;
}

/* When the client's next line is due (monotonic ns); only when paced. */
static int64_t due_ns(const server *s, const client *c) {
    return c->t0_ns + (int64_t)((double)(c->st.n - c->n0) * 1e9 / s->o->rate);
}

static bool can_generate(const server *s, const client *c, int64_t now) {
    if (count_reached(s, c)) return false;
    return s->o->rate <= 0 || due_ns(s, c) <= now;
}

static void fill(server *s, client *c, int64_t now) {
    if (s->o->rate > 0 && now - due_ns(s, c) > SL__GEN_NS_PER_S) { /* fell behind */
        c->t0_ns = now;
        c->n0 = c->st.n;
    }
    while (sl__gen_buf_pending(&c->out) < LOW_WATER && can_generate(s, c, now))
        sl__gen_stream_next(&c->st, &c->out);
}

/* Sends what is pending; false if the connection is broken. */
static bool flush(client *c) {
    while (sl__gen_buf_pending(&c->out) > 0) {
        ssize_t w = send(c->fd, c->out.p + c->out.off, sl__gen_buf_pending(&c->out),
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
            sl__gen_buf_consume(&c->out, (size_t)w);
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else {
            return w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
        }
    }
    return true;
}

/* Reads and discards what the client sends (a bounded amount per call, so
 * a client that floods us cannot starve the others); false if it is gone. */
static bool drain_input(client *c) {
    char scratch[4096];
    for (int i = 0; i < 16; i++) {
        ssize_t r = recv(c->fd, scratch, sizeof scratch, MSG_DONTWAIT);
        if (r > 0) continue;
        if (r == 0) {
            c->rd_open = false; /* half-closed: keep sending until a send fails */
            return true;
        }
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
    return true;
}

/* Generates and sends for one client; closes it when done or broken. */
static void serve_client(server *s, client *c, int64_t now) {
    for (int round = 0; round < ROUNDS; round++) {
        fill(s, c, now);
        if (!flush(c)) {
            client_close(s, c, "left");
            return;
        }
        if (sl__gen_buf_pending(&c->out) > 0 || !can_generate(s, c, now)) break;
    }
    if (count_reached(s, c) && sl__gen_buf_pending(&c->out) == 0) {
        shutdown(c->fd, SHUT_WR);
        client_close(s, c, "done");
    }
}

int sl__gen_serve(const sl__gen_opts *o, const sl__gen_params *p) {
    server s;
    memset(&s, 0, sizeof s);
    char name[32];
    snprintf(name, sizeof name, "sluice gen %s", sl__gen_kind_name(o->kind));
    s.o = o;
    s.p = p;
    s.name = name;
    s.run_start_ns = sl__gen_wall_ns();
    s.stopfd = sl__gen_signals_install();
    s.lfd = open_listener(&s);
    if (s.lfd < 0) return 1;

    struct pollfd *fds = NULL;
    size_t fds_cap = 0;
    int rc = 0;
    while (!sl__gen_stop_requested()) {
        int64_t now = sl__gen_mono_ns();
        if (fds_cap < s.n + 2) {
            fds_cap = s.cap + 2;
            struct pollfd *nf = realloc(fds, fds_cap * sizeof *nf);
            if (!nf) {
                fprintf(stderr, "%s: out of memory\n", name);
                rc = 1;
                break;
            }
            fds = nf;
        }
        bool accepting = s.n < MAX_CLIENTS && now >= s.accept_pause_until;
        fds[0] = (struct pollfd){.fd = s.stopfd, .events = POLLIN};
        fds[1] = (struct pollfd){.fd = accepting ? s.lfd : -1, .events = POLLIN};
        int64_t wait_ns = -1;
        if (!accepting && s.n < MAX_CLIENTS) wait_ns = s.accept_pause_until - now;
        for (size_t i = 0; i < s.n; i++) {
            client *c = s.c[i];
            short ev = c->rd_open ? POLLIN : 0;
            if (sl__gen_buf_pending(&c->out) > 0 || can_generate(&s, c, now)) {
                ev |= POLLOUT;
            } else if (o->rate > 0 && !count_reached(&s, c)) {
                int64_t w = due_ns(&s, c) - now;
                if (wait_ns < 0 || w < wait_ns) wait_ns = w;
            }
            fds[2 + i] = (struct pollfd){.fd = c->fd, .events = ev};
        }
        int timeout = wait_ns < 0 ? -1 : (int)((wait_ns + 999999) / 1000000);
        int ready = poll(fds, s.n + 2, timeout);
        if (ready < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "%s: poll: %s\n", name, strerror(errno));
            rc = 1;
            break;
        }
        now = sl__gen_mono_ns();
        size_t nclients = s.n; /* accept_clients appends after these */
        for (size_t i = 0; i < nclients; i++) {
            client *c = s.c[i];
            short re = fds[2 + i].revents;
            if ((re & POLLIN) && !drain_input(c)) {
                client_close(&s, c, "left");
            } else if (re & (POLLERR | POLLHUP | POLLNVAL)) {
                client_close(&s, c, "left");
            } else if (re & POLLOUT) {
                serve_client(&s, c, now);
            }
        }
        if (fds[1].revents & POLLIN) accept_clients(&s, now);
        /* Drop closed clients, keeping order. */
        size_t k = 0;
        for (size_t i = 0; i < s.n; i++) {
            if (s.c[i]->fd >= 0) {
                s.c[k++] = s.c[i];
            } else {
                sl__gen_buf_free(&s.c[i]->out);
                free(s.c[i]);
            }
        }
        s.n = k;
    }

    for (size_t i = 0; i < s.n; i++) {
        close(s.c[i]->fd);
        sl__gen_buf_free(&s.c[i]->out);
        free(s.c[i]);
    }
    free(s.c);
    free(fds);
    close(s.lfd);
    if (!o->quiet && rc == 0) fprintf(stderr, "%s: stopped\n", name);
    return rc;
}
