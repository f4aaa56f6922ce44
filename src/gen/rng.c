/*
 * rng.c — the generators' random numbers: xoshiro256** (Blackman & Vigna's
 * published algorithm, written out here) seeded through splitmix64, one
 * state per stream, so a stream's output depends only on its seed. Normal
 * deviates use an Irwin–Hall sum of uniforms rather than log/sqrt, which
 * keeps every generated value bit-identical across libm implementations.
 */
#include "gen.h"

#include <errno.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

uint64_t sl__gen_mix64(uint64_t x) {
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

void sl__gen_rng_seed(sl__gen_rng *r, uint64_t seed) {
    /* splitmix64 steps: consecutive outputs of a Weyl sequence through the
     * finaliser; never all zero. */
    for (int i = 0; i < 4; i++) {
        r->s[i] = sl__gen_mix64(seed);
        seed += UINT64_C(0x9e3779b97f4a7c15);
    }
}

static inline uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

uint64_t sl__gen_rng_next(sl__gen_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double sl__gen_rng_unit(sl__gen_rng *r) {
    return (double)(sl__gen_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t sl__gen_rng_below(sl__gen_rng *r, uint64_t n) {
    /* Rejection on the top of the range keeps it unbiased. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
        x = sl__gen_rng_next(r);
    } while (x >= limit);
    return x % n;
}

double sl__gen_rng_gauss(sl__gen_rng *r) {
    /* The sum of 4 uniforms has mean 2 and variance 4/12; scaled to unit
     * variance it is a bell bounded by ±sqrt(12) = ±3.46. */
    double sum = 0;
    for (int i = 0; i < 4; i++) sum += sl__gen_rng_unit(r);
    return (sum - 2.0) * 1.7320508075688772; /* sqrt(3) */
}

uint64_t sl__gen_random_seed(void) {
    uint64_t seed;
    ssize_t got;
    do {
        got = getrandom(&seed, sizeof seed, 0);
    } while (got < 0 && errno == EINTR);
    if (got == (ssize_t)sizeof seed) return seed;
    /* No entropy source: the clock and the pid are good enough for data
     * that is random only for variety. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return sl__gen_mix64((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
                         ((uint64_t)getpid() << 48));
}
