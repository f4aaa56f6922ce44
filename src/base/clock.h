/*
 * clock.h — time sources. Wall-clock time (for triggers aligned to epoch
 * multiples, batch timestamps, progress records) and a monotonic clock (for
 * durations). Streaming code reads time through an sl__clock it is given,
 * so tests can substitute a manual clock and never sleep.
 */
#ifndef SL_CLOCK_H
#define SL_CLOCK_H

#include "base/base.h"

/* Microseconds since the Unix epoch, from CLOCK_REALTIME. */
int64_t sl__wall_us(void);
/* Microseconds from an arbitrary origin, from CLOCK_MONOTONIC. */
int64_t sl__mono_us(void);

#endif
