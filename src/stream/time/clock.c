/*
 * clock.c — the query clock (stream.h): the real clock, or a manual one for
 * tests that moves only when told. Queries waiting for a trigger instant
 * register a file descriptor (the write end of their wake-up pipe); moving
 * the manual clock writes a byte to each, so a waiting query re-checks the
 * time at once and no test has to sleep.
 */
#include "base/clock.h"
#include "stream/stream.h"
#include <unistd.h>

struct sl__clock {
    bool manual;
    int64_t now; /* manual time */
    pthread_mutex_t mu;
    int *fds;
    uint32_t n, cap;
};

sl__clock *sl__clock_new(bool manual, int64_t start_us) {
    sl__clock *c = sl__calloc(1, sizeof *c);
    c->manual = manual;
    c->now = start_us;
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

void sl__clock_free(sl__clock *c) {
    if (!c) return;
    pthread_mutex_destroy(&c->mu);
    sl__free(c->fds);
    sl__free(c);
}

bool sl__clock_is_manual(const sl__clock *c) {
    return c->manual;
}

int64_t sl__clock_now(sl__clock *c) {
    if (!c->manual) return sl__wall_us();
    pthread_mutex_lock(&c->mu);
    int64_t t = c->now;
    pthread_mutex_unlock(&c->mu);
    return t;
}

void sl__clock_advance(sl__clock *c, int64_t us) {
    pthread_mutex_lock(&c->mu);
    c->now += us;
    for (uint32_t i = 0; i < c->n; i++) {
        char b = 1;
        ssize_t w = write(c->fds[i], &b, 1);
        (void)w; /* a full pipe already means "wake up" */
    }
    pthread_mutex_unlock(&c->mu);
}

void sl__clock_watch(sl__clock *c, int fd) {
    pthread_mutex_lock(&c->mu);
    SL_GROW(c->fds, c->cap, c->n + 1);
    c->fds[c->n++] = fd;
    pthread_mutex_unlock(&c->mu);
}

void sl__clock_unwatch(sl__clock *c, int fd) {
    pthread_mutex_lock(&c->mu);
    for (uint32_t i = 0; i < c->n; i++)
        if (c->fds[i] == fd) {
            c->fds[i] = c->fds[--c->n];
            break;
        }
    pthread_mutex_unlock(&c->mu);
}
