/*
 * bench_gen.c — how fast the lab's IoT server (`sluice gen iot`) feeds one
 * client over loopback, so that the generator is never what limits the
 * engine's socket benchmarks (issue 6: at least 2 M lines/s).
 *
 * A child process runs the server exactly as the CLI does (sl_gen_main,
 * `gen iot --port 0 --seed 1 --rate 0 --count N --quiet`); its listening
 * line comes back through a pipe. The parent connects, reads until the
 * server closes after N lines, and counts newlines. First a check run: the
 * bytes received must equal, byte for byte, what `gen iot --stdout` writes
 * for the same options (a second child, through a pipe), else BENCHFAIL.
 * Then timed runs (a warm-up, the median of three), each a fresh
 * connection of N lines, reporting
 *     gen_iot_tcp_1client       lines/s, wall clock (connect to EOF)
 *     gen_iot_tcp_1client_cpu   lines per second of the server's CPU time
 * The second figure is the one to read on a loaded machine: the wall clock
 * also counts the time the server waited for a CPU. Both target 2 M/s.
 * Usage: bench_gen [lines] (default 2,000,000; 20,000 with
 * SLUICE_BENCH_QUICK).
 */
#include "bench.h"
#include "gen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

enum { RBUF = 1 << 20 };

typedef struct server {
    pid_t pid;
    int port;
} server;

/* Forks a child running `sluice gen ARGS...` (NULL-terminated, without
 * "gen"); its stderr (serve) or stdout (--stdout) comes back on *out_fd. */
static pid_t spawn_gen(char **args, int *out_fd, bool want_stdout) {
    int p[2];
    if (pipe(p) != 0) return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        close(p[0]);
        dup2(p[1], want_stdout ? STDOUT_FILENO : STDERR_FILENO);
        close(p[1]);
        int argc = 0;
        while (args[argc]) argc++;
        _exit(sl_gen_main(argc, args));
    }
    close(p[1]);
    *out_fd = p[0];
    return pid;
}

/* Starts the server for n lines per client; reads its listening line. */
static bool start_server(long n, server *s) {
    char count[32];
    snprintf(count, sizeof count, "%ld", n);
    char *args[] = {"gen",    "iot", "--port",  "0",   "--seed",  "1",
                    "--rate", "0",   "--count", count, "--quiet", NULL};
    int fd;
    s->pid = spawn_gen(args, &fd, false);
    if (s->pid < 0) return false;
    char line[256];
    size_t len = 0;
    s->port = 0;
    while (len + 1 < sizeof line) {
        ssize_t r = read(fd, line + len, 1);
        if (r <= 0) break;
        if (line[len] == '\n') {
            line[len] = 0;
            const char *colon = strrchr(line, ':');
            if (strstr(line, "listening on") && colon) s->port = atoi(colon + 1);
            break;
        }
        len++;
    }
    close(fd); /* --quiet: nothing more is written but errors */
    return s->port > 0;
}

static void stop_server(server *s) {
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
}

/* The server's CPU time so far, in seconds (utime + stime). */
static double cpu_of(pid_t pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *p = strrchr(buf, ')'); /* the command name may hold blanks */
    if (!p) return 0;
    unsigned long ut = 0, st = 0;
    /* after ")": state ppid pgrp session tty tpgid flags minflt cminflt
     * majflt cmajflt utime stime */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return 0;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads fd to EOF; returns the newlines seen, or -1. With keep, the bytes
 * are appended to *keep (grown with realloc). */
static long drain(int fd, char *buf, char **keep, size_t *klen, size_t *kcap) {
    long lines = 0;
    for (;;) {
        ssize_t r = read(fd, buf, RBUF);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -1;
        if (r == 0) break;
        for (const char *p = buf, *e = buf + r; (p = memchr(p, '\n', (size_t)(e - p))); p++)
            lines++;
        if (keep) {
            if (*klen + (size_t)r > *kcap) {
                while (*klen + (size_t)r > *kcap) *kcap = *kcap ? *kcap * 2 : RBUF;
                *keep = realloc(*keep, *kcap);
                if (!*keep) return -1;
            }
            memcpy(*keep + *klen, buf, (size_t)r);
            *klen += (size_t)r;
        }
    }
    return lines;
}

/* The check: n lines over TCP equal `gen iot --stdout` with the same seed. */
static bool check_bytes(long n, char *buf) {
    server s;
    if (!start_server(n, &s)) return false;
    int fd = connect_to(s.port);
    char *got = NULL, *want = NULL;
    size_t glen = 0, gcap = 0, wlen = 0, wcap = 0;
    long lg = fd >= 0 ? drain(fd, buf, &got, &glen, &gcap) : -1;
    if (fd >= 0) close(fd);
    stop_server(&s);
    char count[32];
    snprintf(count, sizeof count, "%ld", n);
    char *args[] = {"gen", "iot", "--stdout", "--seed", "1", "--rate", "0", "--count", count, NULL};
    int out;
    pid_t pid = spawn_gen(args, &out, true);
    long lw = pid > 0 ? drain(out, buf, &want, &wlen, &wcap) : -1;
    if (pid > 0) {
        close(out);
        waitpid(pid, NULL, 0);
    }
    bool same = lg == n && lw == n && glen == wlen && memcmp(got, want, glen) == 0;
    free(got);
    free(want);
    return same;
}

typedef struct run {
    long n;
    char *buf;
    double wall, cpu;
    bool ok;
} run;

static void one_run(void *ud) {
    run *r = ud;
    server s;
    r->ok = false;
    if (!start_server(r->n, &s)) return;
    double c0 = cpu_of(s.pid);
    double t0 = bench_now();
    int fd = connect_to(s.port);
    long lines = fd >= 0 ? drain(fd, r->buf, NULL, NULL, NULL) : -1;
    r->wall = bench_now() - t0;
    r->cpu = cpu_of(s.pid) - c0;
    if (fd >= 0) close(fd);
    stop_server(&s);
    r->ok = lines == r->n;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : (bench_quick() ? 20000 : 2000000);
    if (n <= 0) n = 2000000;
    signal(SIGPIPE, SIG_IGN);
    char *buf = malloc(RBUF);
    if (!buf) return 1;

    if (!check_bytes(bench_quick() ? n : 200000, buf)) {
        bench_fail("gen_iot_tcp_1client", "bytes over TCP differ from gen iot --stdout");
        return 1;
    }
    run r = {.n = n, .buf = buf};
    one_run(&r); /* warm-up */
    double wall[3], cpu[3];
    for (int i = 0; i < 3; i++) {
        one_run(&r);
        if (!r.ok) {
            bench_fail("gen_iot_tcp_1client", "the client did not get its lines");
            return 1;
        }
        wall[i] = r.wall;
        cpu[i] = r.cpu;
    }
    qsort(wall, 3, sizeof *wall, cmp_d);
    qsort(cpu, 3, sizeof *cpu, cmp_d);
    double rate = (double)n / wall[1];
    double crate = cpu[1] > 0 ? (double)n / cpu[1] : 0;
    fprintf(stderr,
            "gen iot -> 1 client over loopback: %ld lines in %.3f s wall (%.2f M lines/s), "
            "%.3f s server CPU (%.2f M lines/s)\n",
            n, wall[1], rate / 1e6, cpu[1], crate / 1e6);
    bench_report("gen_iot_tcp_1client", rate, "lines/s", 2e6, true, NULL, 0);
    bench_report("gen_iot_tcp_1client_cpu", crate, "lines/s", 2e6, true, NULL, 0);
    free(buf);
    return 0;
}
