/*
 * bench.h — what benchmark programs share: timing (median of several runs
 * after a warm-up), the line protocol bench/run.sh reads, and quick mode.
 *
 * Each program checks its own results before reporting, then prints one
 * line per workload:
 *   BENCH <tab> workload <tab> value <tab> unit <tab> target <tab> higher|lower
 *         [<tab> peer <tab> peer_value]
 * With SLUICE_BENCH_QUICK=1 (CI) inputs are small and only correctness
 * matters.
 */
#ifndef SL_BENCH_H
#define SL_BENCH_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline bool bench_quick(void) {
    const char *q = getenv("SLUICE_BENCH_QUICK");
    return q && *q && strcmp(q, "0") != 0;
}

static inline double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Runs fn(ud) once to warm up, then `runs` times; returns the median
 * seconds. */
static inline double bench_median(void (*fn)(void *), void *ud, int runs) {
    double t[32];
    if (runs > 32) runs = 32;
    fn(ud);
    for (int i = 0; i < runs; i++) {
        double s = bench_now();
        fn(ud);
        t[i] = bench_now() - s;
    }
    qsort(t, (size_t)runs, sizeof *t, bench_cmp_double);
    return t[runs / 2];
}

static inline void bench_report(const char *workload, double value, const char *unit, double target,
                                bool higher_better, const char *peer, double peer_value) {
    printf("BENCH\t%s\t%.4g\t%s\t%.4g\t%s", workload, value, unit, target,
           higher_better ? "higher" : "lower");
    if (peer) printf("\t%s\t%.4g", peer, peer_value);
    printf("\n");
    fflush(stdout);
}

static inline void bench_fail(const char *workload, const char *why) {
    printf("BENCHFAIL\t%s\t%s\n", workload, why);
    fflush(stdout);
}

#endif
