/*
 * tz.h — session time zones: a zone name resolved to an object that gives
 * the offset from UTC at any instant, the way java.time's ZoneId does for
 * Spark. Names are fixed offsets ("UTC", "Z", "+02:00", "-5", "UTC+3",
 * "GMT-01:00"), Java's short ids ("PST", "EST", ...; ZoneId.SHORT_IDS) or
 * IANA region ids ("Europe/Paris", "America/New_York") read from the
 * system's compiled time zone files (TZif, RFC 8536) under
 * /usr/share/zoneinfo (or $TZDIR): transitions from the 64-bit data, and
 * the POSIX TZ rule of the file's footer for instants after the last one.
 *
 * Zones are loaded once and cached for the life of the process: a returned
 * pointer is immutable, never freed, and safe to share between threads.
 * Offsets are microseconds east of UTC (Paris in summer: +7200000000).
 */
#ifndef SL_TZ_H
#define SL_TZ_H

#include "base/base.h"

typedef struct sl__tz sl__tz;

/*
 * The zone of a name, loading it on first use. Returns NULL with err set
 * (SL_ERR_ANALYSIS, offset -1) for an unknown name, or when a region id is
 * asked for and the system time zone database is not installed.
 */
const sl__tz *sl__tz_get(const char *name, sl__err *err);
/* Same for a name that is not NUL-terminated. */
const sl__tz *sl__tz_get_n(const char *name, size_t len, sl__err *err);
/* The UTC zone (never fails). */
const sl__tz *sl__tz_utc(void);

/* The zone's id as Java prints it: "Europe/Paris", "UTC", "+02:00". */
const char *sl__tz_name(const sl__tz *tz);
/* True when the offset never changes; *offset_us (if not NULL) gets it. */
bool sl__tz_is_fixed(const sl__tz *tz, int64_t *offset_us);

/* Offset from UTC in effect at the instant utc_us. */
int64_t sl__tz_offset_utc(const sl__tz *tz, int64_t utc_us);
/*
 * Offset to subtract from a local wall-clock time (microseconds since
 * 1970-01-01T00:00 local) to get the instant, with java.time's rules
 * (ZonedDateTime.ofLocal): in a gap (spring forward) the offset before the
 * transition, so the wall time moves forward by the gap's length; in an
 * overlap (fall back) the earlier offset, i.e. the one before the
 * transition.
 */
int64_t sl__tz_offset_local(const sl__tz *tz, int64_t local_us);

/* Local wall time of an instant, and the instant of a local wall time
 * (wrapping, not undefined, at the ends of the int64 range). */
static inline int64_t sl__tz_to_local(const sl__tz *tz, int64_t utc_us) {
    return (int64_t)((uint64_t)utc_us + (uint64_t)sl__tz_offset_utc(tz, utc_us));
}
static inline int64_t sl__tz_to_utc(const sl__tz *tz, int64_t local_us) {
    return (int64_t)((uint64_t)local_us - (uint64_t)sl__tz_offset_local(tz, local_us));
}

/*
 * The zone's short name at the instant ("CET", "CEST", "EDT"; the id for a
 * fixed-offset zone), as a NUL-terminated string that lives as long as the
 * zone.
 */
const char *sl__tz_abbrev(const sl__tz *tz, int64_t utc_us);

/*
 * Parses timestamp text in the forms of CAST(string AS TIMESTAMP) (R154,
 * types/text.h), where the optional zone after the time may also be a
 * region id ("2024-03-31 02:30:00 Europe/Paris"). Text without a zone is a
 * wall time in `session`, converted with its DST rules. False when the text
 * is not a timestamp or names an unknown zone.
 */
bool sl__tz_parse_timestamp(const char *s, size_t n, const sl__tz *session, int64_t *out);

#endif
