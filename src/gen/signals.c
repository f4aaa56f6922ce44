/*
 * signals.c — stopping cleanly, and the clocks. SIGINT and SIGTERM set a
 * flag and write a byte to a self-pipe whose read end the server polls, so
 * a stop is seen at once even while poll() sleeps; the handlers are
 * installed without SA_RESTART so sleeps and blocking writes return EINTR.
 * SIGPIPE is ignored: a client that went away shows up as EPIPE.
 */
#include "gen.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;
static int pipe_fds[2] = {-1, -1};

static void on_signal(int sig) {
    (void)sig;
    int saved = errno;
    stopping = 1;
    if (pipe_fds[1] >= 0) {
        ssize_t r = write(pipe_fds[1], "x", 1);
        (void)r; /* a full pipe already holds a wake-up */
    }
    errno = saved;
}

int sl__gen_signals_install(void) {
    if (pipe_fds[0] < 0 && pipe(pipe_fds) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(pipe_fds[i], F_SETFL, fcntl(pipe_fds[i], F_GETFL) | O_NONBLOCK);
            fcntl(pipe_fds[i], F_SETFD, FD_CLOEXEC);
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: blocking calls return EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    return pipe_fds[0];
}

bool sl__gen_stop_requested(void) {
    return stopping != 0;
}

int64_t sl__gen_wall_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * SL__GEN_NS_PER_S + ts.tv_nsec;
}

int64_t sl__gen_mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * SL__GEN_NS_PER_S + ts.tv_nsec;
}
