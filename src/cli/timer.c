/*
 * timer.c — `.timer on`: after each statement, the wall-clock time and the
 * CPU time the process spent in user and system mode (all threads, from
 * getrusage), printed the way sqlite3 does:
 * "Run Time: real 0.012 user 0.008 sys 0.000".
 */
#include <sys/resource.h>
#include <time.h>

#include "cli.h"

static double tv_seconds(struct timeval tv) {
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void now(cli_timer *t) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    t->real = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
        t->user = tv_seconds(ru.ru_utime);
        t->sys = tv_seconds(ru.ru_stime);
    } else {
        t->user = t->sys = 0;
    }
}

void cli_timer_start(cli_timer *t) {
    now(t);
}

void cli_timer_print(const cli_timer *t) {
    cli_timer end;
    now(&end);
    cli_stdout_printf("Run Time: real %.3f user %.3f sys %.3f\n", end.real - t->real,
                      end.user - t->user, end.sys - t->sys);
}
