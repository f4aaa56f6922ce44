/*
 * scalar_time.c — date and time functions with Spark's semantics (ANSI mode
 * off: text that is not a date gives NULL): the batch clock
 * (current_timestamp, current_date, now — R33), conversions between
 * timestamps, dates, epoch numbers and text (to_timestamp, to_date,
 * unix_timestamp, from_unixtime, date_format, timestamp_seconds, ...),
 * calendar fields (year ... second, extract), calendar arithmetic
 * (date_add, add_months, months_between, date_trunc, ...) and zone shifts
 * (from_utc_timestamp, to_utc_timestamp).
 *
 * Everything local happens in the session time zone: sl__ectx.tz when the
 * session set it (DST rules, types/tz.h), else the fixed offset
 * sl__ectx.tz_offset_us. The implicit conversions these functions apply to
 * their arguments (string or date to timestamp, timestamp to date) are
 * zone-aware nodes of this file, so a function never mixes two notions of
 * the session zone.
 *
 * Datetime patterns are Spark's (docs/time.md): compiled once at bind time
 * when constant, used both to format (date_format, from_unixtime) and to
 * parse (to_timestamp, to_date, unix_timestamp with a format).
 */
#include "func/kernel.h"
#include "types/text.h"
#include "types/tz.h"
#include <ctype.h>
#include <math.h>
#include <strings.h>

#define US_S   1000000LL
#define US_MIN (60 * US_S)
#define US_H   (3600 * US_S)
#define US_DAY (86400 * US_S)

static int64_t floordiv(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static int64_t floormod(int64_t a, int64_t b) {
    return a - floordiv(a, b) * b;
}

static int64_t wrap_add(int64_t a, int64_t b) {
    return (int64_t)((uint64_t)a + (uint64_t)b);
}

static bool leap_year(int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m) {
    static const int ml[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap_year(y) ? 29 : ml[m - 1];
}

typedef struct civil {
    int64_t y;
    int m, d;
} civil;

static civil civil_of(int64_t days) {
    civil c;
    unsigned m, d;
    sl__civil_from_days(days, &c.y, &m, &d);
    c.m = (int)m;
    c.d = (int)d;
    return c;
}

static int64_t days_of(int64_t y, int m, int d) {
    return sl__days_from_civil(y, (unsigned)m, (unsigned)d);
}

/* 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday) */
static int dow_sun0(int64_t days) {
    return (int)floormod(days + 4, 7);
}

/* ISO-8601 week number; *wyear gets the week-based year. */
static int iso_week(int64_t days, int64_t *wyear) {
    int wd = (int)floormod(days + 3, 7) + 1; /* Monday = 1 */
    int64_t thursday = days - wd + 4;
    int64_t y = civil_of(thursday).y;
    if (wyear) *wyear = y;
    return (int)((thursday - days_of(y, 1, 1)) / 7 + 1);
}

/* US week fields (Sunday first, minimal days 1), as Java's Locale.US: the
 * week-based year and week of year of 'Y' and 'w'. */
static int us_week(int64_t days, int64_t *wyear) {
    int64_t sunday = days - dow_sun0(days);
    int64_t y = civil_of(sunday + 6).y; /* the year of the week's Saturday */
    int64_t jan1 = days_of(y, 1, 1);
    if (wyear) *wyear = y;
    return (int)((sunday - (jan1 - dow_sun0(jan1))) / 7 + 1);
}

/* ---- the session zone ----------------------------------------------------- */

/* The zone local times of this evaluation are in: ctx->tz, else the fixed
 * offset ctx->tz_offset_us (named after ctx->time_zone when that is the
 * same fixed zone, so 'z' prints "UTC" rather than "Z"). */
static const sl__tz *session_tz(const sl__ectx *ctx) {
    if (ctx->tz) return ctx->tz;
    sl__err err;
    sl__err_clear(&err);
    if (ctx->time_zone) {
        int64_t off;
        const sl__tz *z = sl__tz_get(ctx->time_zone, &err);
        if (z && sl__tz_is_fixed(z, &off) && off == ctx->tz_offset_us) return z;
    }
    if (ctx->tz_offset_us == 0) return sl__tz_utc();
    int64_t a = ctx->tz_offset_us < 0 ? -ctx->tz_offset_us : ctx->tz_offset_us;
    char name[32];
    snprintf(name, sizeof name, "%c%02d:%02d:%02d", ctx->tz_offset_us < 0 ? '-' : '+',
             (int)(a / US_H % 100), (int)(a / US_MIN % 60), (int)(a / US_S % 60));
    const sl__tz *z = sl__tz_get(name, &err);
    return z ? z : sl__tz_utc();
}

static int64_t to_local(const sl__tz *z, int64_t us) {
    return sl__tz_to_local(z, us);
}

static int64_t to_utc(const sl__tz *z, int64_t local) {
    return sl__tz_to_utc(z, local);
}

/* Local wall time to an instant preferring offset `pref` when the wall
 * time is ambiguous (ZonedDateTime.truncatedTo keeps the offset it had). */
static int64_t to_utc_pref(const sl__tz *z, int64_t local, int64_t pref) {
    int64_t u = local - pref;
    if (sl__tz_offset_utc(z, u) == pref) return u;
    return to_utc(z, local);
}

/* Day number (local) of an instant. */
static int64_t local_day(const sl__tz *z, int64_t us) {
    return floordiv(to_local(z, us), US_DAY);
}

/* The instant a local date starts (LocalDate.atStartOfDay(zone): a gap at
 * midnight moves it forward). */
static int64_t day_start(const sl__tz *z, int64_t days) {
    return to_utc(z, (int64_t)((uint64_t)days * (uint64_t)US_DAY)); /* wraps far out of range */
}

/* ---- zone-aware conversions applied to arguments ------------------------- */

static void k_str_to_ts(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                        sl__vec *out) {
    const sl__tz *z = session_tz(ctx);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        sl__str s = sl__get_str(a[0], r);
        int64_t v;
        if (sl__tz_parse_timestamp(s.ptr, s.len, z, &v))
            SL_VEC_DATA(out, int64_t)[r] = v;
        else
            sl__vec_set_null(out, r);
    }
}

static void k_date_to_ts(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                         sl__vec *out) {
    const sl__tz *z = session_tz(ctx);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        SL_VEC_DATA(out, int64_t)[r] = day_start(z, SL_ARG(a[0], int32_t, r));
    }
}

static void k_ts_to_date(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                         sl__vec *out) {
    const sl__tz *z = session_tz(ctx);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        SL_VEC_DATA(out, int32_t)[r] = (int32_t)local_day(z, SL_ARG(a[0], int64_t, r));
    }
}

static void wrap_arg(sl__fbind *fb, uint32_t i, const sl__type *t, sl__kernel k) {
    fb->args[i] = sl__expr_call("cast", t, k, &fb->args[i], 1);
}

/* Makes args[i] a TIMESTAMP (strings parsed and dates placed in the session
 * zone); false when its type does not convert. */
static bool coerce_ts(sl__fbind *fb, uint32_t i) {
    switch (fb->args[i]->type->id) {
    case SL_TYPE_TIMESTAMP: return true;
    case SL_TYPE_NULL: sl__fbind_cast_arg(fb, i, SL_T_TS); return true;
    case SL_TYPE_STRING: wrap_arg(fb, i, SL_T_TS, k_str_to_ts); return true;
    case SL_TYPE_DATE: wrap_arg(fb, i, SL_T_TS, k_date_to_ts); return true;
    default: return false;
    }
}

bool sl__fbind_coerce_ts(sl__fbind *fb, uint32_t i) {
    return coerce_ts(fb, i);
}

/* Makes args[i] a DATE (timestamps by their local date in the session zone). */
static bool coerce_date(sl__fbind *fb, uint32_t i) {
    switch (fb->args[i]->type->id) {
    case SL_TYPE_DATE: return true;
    case SL_TYPE_NULL:
    case SL_TYPE_STRING: sl__fbind_cast_arg(fb, i, SL_T_DATE); return true;
    case SL_TYPE_TIMESTAMP: wrap_arg(fb, i, SL_T_DATE, k_ts_to_date); return true;
    default: return false;
    }
}

/* Numbers, strings and NULL cast to t (Spark's implicit numeric casts). */
static bool coerce_num(sl__fbind *fb, uint32_t i, const sl__type *t) {
    const sl__type *at = fb->args[i]->type;
    if (!sl__type_is_numeric(at) && at->id != SL_TYPE_STRING && at->id != SL_TYPE_NULL)
        return false;
    sl__fbind_cast_arg(fb, i, t);
    return true;
}

static sl_status need_ts(sl__fbind *fb, uint32_t i) {
    return coerce_ts(fb, i) ? SL_OK : sl__fbind_type_error(fb, i, "a timestamp");
}
static sl_status need_date(sl__fbind *fb, uint32_t i) {
    return coerce_date(fb, i) ? SL_OK : sl__fbind_type_error(fb, i, "a date");
}
static sl_status need_num(sl__fbind *fb, uint32_t i, const sl__type *t) {
    return coerce_num(fb, i, t) ? SL_OK : sl__fbind_type_error(fb, i, "numeric");
}
static sl_status need_str(sl__fbind *fb, uint32_t i) {
    const sl__type *t = fb->args[i]->type;
    if (t->id == SL_TYPE_STRUCT || t->id == SL_TYPE_ARRAY)
        return sl__fbind_type_error(fb, i, "a string");
    sl__fbind_cast_arg(fb, i, SL_T_STR);
    return SL_OK;
}

/* ---- datetime patterns ---------------------------------------------------- */

enum { PT_LIT, PT_FIELD, PT_OPT_BEGIN, PT_OPT_END };

typedef struct ptok {
    uint8_t kind;
    char letter;
    uint8_t count;
    uint8_t reserve;   /* parsing: digits the adjacent fixed-width fields after it need */
    uint32_t off, len; /* PT_LIT: bytes in lits; PT_OPT_BEGIN: index of its end (off) */
} ptok;

typedef struct dt_pattern {
    ptok *toks;
    uint32_t n;
    char *lits;
    bool era;       /* the pattern has 'G': 'y' is the year of era, not the proleptic year */
    size_t max_out; /* bytes the formatted text can take at most */
    bool plain;     /* exactly "yyyy-MM-dd HH:mm:ss": formatted by a fast path */
} dt_pattern;

static void pattern_free(void *p) {
    dt_pattern *dp = p;
    if (!dp) return;
    sl__free(dp->toks);
    sl__free(dp->lits);
    sl__free(dp);
}

/* Pattern letters, the largest count each accepts, and whether parsing
 * may use them (Spark's DateTimeFormatterHelper restrictions). */
static int letter_max(char c, bool parsing, char *err, size_t errlen) {
    switch (c) {
    case 'G': return 4;
    case 'y': return 10;
    case 'M':
    case 'L':
    case 'z': return 4;
    case 'd':
    case 'h':
    case 'H':
    case 'k':
    case 'K':
    case 'm':
    case 's': return 2;
    case 'D': return 3;
    case 'a':
    case 'O': return 4;
    case 'S': return 9;
    case 'V': return 2;
    case 'X':
    case 'x':
    case 'Z': return 5;
    case 'Y':
    case 'w':
    case 'W':
    case 'E':
    case 'e':
    case 'F':
    case 'q':
    case 'Q':
        if (parsing) {
            snprintf(err, errlen, "Illegal pattern character: %c", c);
            return -1;
        }
        return c == 'Y' ? 10 : c == 'w' ? 2 : (c == 'W' || c == 'F') ? 1 : 4;
    case 'u':
        snprintf(err, errlen,
                 "Pattern letter 'u'(Day number of week) is not supported since Spark 3.0. "
                 "Please use 'e' or 'E'(day-of-week) instead.");
        return -1;
    case 'A':
    case 'c':
    case 'n':
    case 'N':
    case 'p': snprintf(err, errlen, "Illegal pattern character: %c", c); return -1;
    default: snprintf(err, errlen, "Unknown pattern letter: %c", c); return -1;
    }
}

static bool is_fixed_numeric(const ptok *t) {
    if (t->kind != PT_FIELD) return false;
    switch (t->letter) {
    case 'M':
    case 'L': return t->count == 2;
    case 'd':
    case 'h':
    case 'H':
    case 'k':
    case 'K':
    case 'm':
    case 's':
    case 'y': return t->count == 2;
    case 'D': return t->count == 3;
    case 'S': return true; /* the run's width (see docs/time.md) */
    default: return false;
    }
}

static bool is_numeric(const ptok *t) {
    if (t->kind != PT_FIELD) return false;
    switch (t->letter) {
    case 'M':
    case 'L': return t->count <= 2;
    case 'y':
    case 'd':
    case 'D':
    case 'h':
    case 'H':
    case 'k':
    case 'K':
    case 'm':
    case 's':
    case 'S': return true;
    default: return false;
    }
}

/* Compiles a pattern; NULL with a message in err when it is not valid. */
static dt_pattern *pattern_compile(const char *p, size_t n, bool parsing, char *err,
                                   size_t errlen) {
    dt_pattern *dp = sl__calloc(1, sizeof *dp);
    size_t cap = n + 1;
    dp->toks = sl__calloc(cap, sizeof *dp->toks);
    dp->lits = sl__malloc(n + 1);
    size_t lit_len = 0;
    uint32_t stack[16];
    int depth = 0;
    for (size_t i = 0; i < n;) {
        char c = p[i];
        ptok *t = &dp->toks[dp->n];
        if (isalpha((unsigned char)c)) {
            size_t j = i;
            while (j < n && p[j] == c) j++;
            size_t cnt = j - i;
            int mx = letter_max(c, parsing, err, errlen);
            if (mx < 0) goto bad;
            if (cnt > (size_t)mx || (c == 'V' && cnt != 2) || (c == 'O' && cnt != 1 && cnt != 4) ||
                (c == 'a' && cnt != 1)) {
                if (c == 'V')
                    snprintf(err, errlen, "Pattern letter count must be 2: V");
                else
                    snprintf(err, errlen, "Too many pattern letters: %c", c);
                goto bad;
            }
            if (c == 'G') dp->era = true;
            t->kind = PT_FIELD;
            t->letter = c;
            t->count = (uint8_t)cnt;
            dp->n++;
            i = j;
        } else if (c == '\'') {
            /* 'literal', '' is a quote */
            size_t j = i + 1;
            t->kind = PT_LIT;
            t->off = (uint32_t)lit_len;
            if (j < n && p[j] == '\'') {
                dp->lits[lit_len++] = '\'';
                i = j + 1;
            } else {
                for (;;) {
                    if (j >= n) {
                        snprintf(err, errlen,
                                 "Pattern ends with an incomplete string literal: %.*s", (int)n, p);
                        goto bad;
                    }
                    if (p[j] == '\'') {
                        if (j + 1 < n && p[j + 1] == '\'') {
                            dp->lits[lit_len++] = '\'';
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    dp->lits[lit_len++] = p[j++];
                }
                i = j + 1;
            }
            t->len = (uint32_t)lit_len - t->off;
            if (t->len) dp->n++;
        } else if (c == '[') {
            if (depth == 16) {
                snprintf(err, errlen, "Too many nested optional sections");
                goto bad;
            }
            t->kind = PT_OPT_BEGIN;
            t->off = UINT32_MAX;
            stack[depth++] = dp->n++;
            i++;
        } else if (c == ']') {
            if (!depth) {
                snprintf(err, errlen, "Pattern invalid as it contains ] without previous [");
                goto bad;
            }
            t->kind = PT_OPT_END;
            dp->toks[stack[--depth]].off = dp->n;
            dp->n++;
            i++;
        } else if (c == '#' || c == '{' || c == '}') {
            snprintf(err, errlen, "Pattern includes reserved character: '%c'", c);
            goto bad;
        } else {
            t->kind = PT_LIT;
            t->off = (uint32_t)lit_len;
            dp->lits[lit_len++] = c;
            t->len = 1;
            dp->n++;
            i++;
        }
    }
    while (depth) dp->toks[stack[--depth]].off = dp->n; /* unclosed: runs to the end */
    dp->plain = n == 19 && memcmp(p, "yyyy-MM-dd HH:mm:ss", 19) == 0;
    for (uint32_t k = 0; k < dp->n; k++) {
        const ptok *t = &dp->toks[k];
        if (t->kind == PT_LIT)
            dp->max_out += t->len;
        else if (t->kind == PT_FIELD)
            dp->max_out += (t->letter == 'V' || t->letter == 'z') ? 192 : 48;
    }
    /* adjacent value parsing: a number followed directly by fixed-width
     * numbers leaves their digits to them ("yyyyMMdd") */
    for (uint32_t k = 0; k < dp->n; k++) {
        if (!is_numeric(&dp->toks[k])) continue;
        unsigned res = 0;
        for (uint32_t j = k + 1; j < dp->n && is_fixed_numeric(&dp->toks[j]); j++)
            res += dp->toks[j].count;
        dp->toks[k].reserve = (uint8_t)SL_MIN(res, 255u);
    }
    return dp;
bad:
    pattern_free(dp);
    return NULL;
}

static const char *const month_short[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const month_full[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
static const char *const dow_short[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const dow_full[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                       "Thursday", "Friday", "Saturday"};

/* ---- formatting ------------------------------------------------------------ */

/* Formatting writes into a buffer of dt_pattern.max_out bytes. */
typedef struct wbuf {
    char *p;
} wbuf;

static void w_mem(wbuf *w, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) w->p[i] = s[i]; /* pieces are a few bytes */
    w->p += n;
}
static void w_str(wbuf *w, const char *s) {
    w_mem(w, s, strlen(s));
}
/* zone names and abbreviations: bounded, whatever a zone file says */
static void w_name(wbuf *w, const char *s) {
    w_mem(w, s, strnlen(s, 128));
}
static void w_chr(wbuf *w, char c) {
    *w->p++ = c;
}
static void w_2d(wbuf *w, int v) {
    w_chr(w, (char)('0' + v / 10 % 10));
    w_chr(w, (char)('0' + v % 10));
}

static void put_num(wbuf *w, int64_t v, int width, bool exceeds_pad) {
    if (v >= 0 && v < 100 && width <= 2) { /* most fields */
        if (v >= 10 || width == 2) w_chr(w, (char)('0' + v / 10));
        w_chr(w, (char)('0' + v % 10));
        return;
    }
    char tmp[48];
    char *e = tmp + sizeof tmp, *p = e;
    uint64_t a = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    int nd = (int)(e - p);
    while (nd < width && nd < 40) {
        *--p = '0';
        nd++;
    }
    if (v < 0)
        *--p = '-';
    else if (exceeds_pad && e - p > width)
        *--p = '+';
    w_mem(w, p, (size_t)(e - p));
}

/* Offsets: colon between fields; minutes always or only when non-zero;
 * seconds when non-zero (and allowed). */
static void put_offset(wbuf *w, int64_t off_us, bool colon, bool always_min, bool secs) {
    int64_t s = (off_us < 0 ? -off_us : off_us) / US_S;
    int h = (int)(s / 3600), m = (int)(s / 60 % 60), sec = (int)(s % 60);
    w_chr(w, off_us < 0 ? '-' : '+');
    w_2d(w, h);
    if (always_min || m || (secs && sec)) {
        if (colon) w_chr(w, ':');
        w_2d(w, m);
    }
    if (secs && sec) {
        if (colon) w_chr(w, ':');
        w_2d(w, sec);
    }
}

/* "GMT", "GMT+8", "GMT+05:30" (localized offset, O and ZZZZ) */
static void put_gmt(wbuf *w, int64_t off_us, bool full) {
    w_str(w, "GMT");
    if (!off_us) return;
    int64_t s = (off_us < 0 ? -off_us : off_us) / US_S;
    int h = (int)(s / 3600), m = (int)(s / 60 % 60), sec = (int)(s % 60);
    w_chr(w, off_us < 0 ? '-' : '+');
    put_num(w, h, full ? 2 : 1, false);
    if (full || m || sec) {
        w_chr(w, ':');
        w_2d(w, m);
    }
    if (sec) {
        w_chr(w, ':');
        w_2d(w, sec);
    }
}

/* Writes the text of instant us in zone z per the pattern; returns its length. */
static size_t format_ts(const dt_pattern *p, int64_t us, const sl__tz *z, char *out) {
    wbuf wb = {out}, *b = &wb;
    int64_t off = sl__tz_offset_utc(z, us);
    int64_t local = wrap_add(us, off);
    int64_t days = floordiv(local, US_DAY);
    int64_t tod = local - days * US_DAY;
    civil c = civil_of(days);
    int hour = (int)(tod / US_H), minute = (int)(tod / US_MIN % 60),
        second = (int)(tod / US_S % 60);
    int64_t micros = tod % US_S;
    if (p->plain && c.y >= 0 && c.y <= 9999) {
        int y = (int)c.y;
        w_2d(b, y / 100);
        w_2d(b, y % 100);
        w_chr(b, '-');
        w_2d(b, c.m);
        w_chr(b, '-');
        w_2d(b, c.d);
        w_chr(b, ' ');
        w_2d(b, hour);
        w_chr(b, ':');
        w_2d(b, minute);
        w_chr(b, ':');
        w_2d(b, second);
        return 19;
    }
    for (uint32_t k = 0; k < p->n; k++) {
        const ptok *t = &p->toks[k];
        if (t->kind == PT_LIT) {
            w_mem(b, p->lits + t->off, t->len);
            continue;
        }
        if (t->kind != PT_FIELD) continue;
        int n = t->count;
        switch (t->letter) {
        case 'G':
            if (n < 4)
                w_str(b, c.y > 0 ? "AD" : "BC");
            else
                w_str(b, c.y > 0 ? "Anno Domini" : "Before Christ");
            break;
        case 'y':
        case 'Y': {
            int64_t y = c.y;
            if (t->letter == 'Y') us_week(days, &y);
            if (p->era && t->letter == 'y' && y <= 0) y = 1 - y;
            if (n == 2)
                put_num(b, (int64_t)((y < 0 ? 0 - (uint64_t)y : (uint64_t)y) % 100), 2, false);
            else
                put_num(b, y, n, n >= 4);
            break;
        }
        case 'M':
        case 'L':
            if (n >= 4)
                w_str(b, month_full[c.m - 1]);
            else if (n == 3)
                w_str(b, month_short[c.m - 1]);
            else
                put_num(b, c.m, n, false);
            break;
        case 'd': put_num(b, c.d, n, false); break;
        case 'D': put_num(b, days - days_of(c.y, 1, 1) + 1, n, false); break;
        case 'Q':
        case 'q': {
            int q = (c.m - 1) / 3 + 1;
            static const char *const qn[] = {"1st quarter", "2nd quarter", "3rd quarter",
                                             "4th quarter"};
            if (n == 3) {
                w_chr(b, 'Q');
                w_chr(b, (char)('0' + q));
            } else if (n == 4) {
                w_str(b, qn[q - 1]);
            } else {
                put_num(b, q, n, false);
            }
            break;
        }
        case 'E':
        case 'e': {
            int dw = dow_sun0(days);
            if (t->letter == 'e' && n <= 2)
                put_num(b, dw + 1, n, false);
            else
                w_str(b, n >= 4 ? dow_full[dw] : dow_short[dw]);
            break;
        }
        case 'F': put_num(b, (c.d - 1) % 7 + 1, n, false); break;
        case 'w': put_num(b, us_week(days, NULL), n, false); break;
        case 'W': {
            int64_t first = days - c.d + 1;
            put_num(b, (c.d - 1 + dow_sun0(first)) / 7 + 1, n, false);
            break;
        }
        case 'a': w_str(b, hour < 12 ? "AM" : "PM"); break;
        case 'h': put_num(b, hour % 12 == 0 ? 12 : hour % 12, n, false); break;
        case 'K': put_num(b, hour % 12, n, false); break;
        case 'k': put_num(b, hour == 0 ? 24 : hour, n, false); break;
        case 'H': put_num(b, hour, n, false); break;
        case 'm': put_num(b, minute, n, false); break;
        case 's': put_num(b, second, n, false); break;
        case 'S': {
            char f[16];
            snprintf(f, sizeof f, "%06lld000", (long long)micros);
            w_mem(b, f, (size_t)n);
            break;
        }
        case 'V': w_name(b, sl__tz_name(z)); break;
        case 'z': w_name(b, n >= 4 ? sl__tz_name(z) : sl__tz_abbrev(z, us)); break;
        case 'O': put_gmt(b, off, n == 4); break;
        case 'X':
        case 'x':
            if (!off && t->letter == 'X') {
                w_chr(b, 'Z');
                break;
            }
            /* X +HHmm, XX +HHMM, XXX +HH:MM, XXXX +HHMMss, XXXXX +HH:MM:ss */
            put_offset(b, off, n == 3 || n == 5, n >= 2, n >= 4);
            break;
        case 'Z':
            if (n <= 3)
                put_offset(b, off, false, true, false);
            else if (n == 4)
                put_gmt(b, off, true);
            else if (!off)
                w_chr(b, 'Z');
            else
                put_offset(b, off, true, true, true);
            break;
        default: break;
        }
    }
    return (size_t)(wb.p - out);
}

/* ---- parsing ---------------------------------------------------------------- */

typedef struct pfields {
    int64_t year;
    int era; /* -1 unset, 0 BC, 1 AD */
    int month, day, doy;
    int hour_of_day, clock_hour_ampm, hour_ampm, clock_hour_day, ampm;
    int minute, second;
    int64_t micros;
    bool has_year, has_off;
    int64_t off_us;
    const sl__tz *zone;
} pfields;

/* Digits for a numeric field: at least minw, at most maxw, leaving `reserve`
 * digits for the fixed-width fields that follow without a separator. */
static bool p_digits(const char *s, size_t n, size_t *pos, int minw, int maxw, int reserve,
                     int64_t *out) {
    size_t avail = 0;
    while (*pos + avail < n && isdigit((unsigned char)s[*pos + avail])) avail++;
    int64_t take = (int64_t)avail - reserve;
    if (take > maxw) take = maxw;
    if (take < minw) return false;
    int64_t v = 0;
    for (int64_t i = 0; i < take; i++) {
        if (v > (INT64_MAX - 9) / 10) return false;
        v = v * 10 + (s[*pos + (size_t)i] - '0');
    }
    *pos += (size_t)take;
    *out = v;
    return true;
}

static bool p_text(const char *s, size_t n, size_t *pos, const char *const *names, int count,
                   int *idx) {
    int best = -1;
    size_t best_len = 0;
    for (int i = 0; i < count; i++) {
        size_t l = strlen(names[i]);
        if (l > best_len && *pos + l <= n && strncasecmp(s + *pos, names[i], l) == 0) {
            best = i;
            best_len = l;
        }
    }
    if (best < 0) return false;
    *pos += best_len;
    *idx = best;
    return true;
}

/* An offset "+HH[[:]MM[[:]SS]]" (also "+H"), or "Z" when z_ok. */
static bool p_offset(const char *s, size_t n, size_t *pos, bool z_ok, int64_t *out) {
    size_t i = *pos;
    if (z_ok && i < n && (s[i] == 'Z' || s[i] == 'z')) {
        *pos = i + 1;
        *out = 0;
        return true;
    }
    if (i >= n || (s[i] != '+' && s[i] != '-')) return false;
    bool neg = s[i++] == '-';
    int64_t h = 0, m = 0, sec = 0;
    size_t st = i;
    while (i < n && i - st < 2 && isdigit((unsigned char)s[i])) h = h * 10 + (s[i++] - '0');
    if (i == st) return false;
    for (int part = 0; part < 2; part++) {
        size_t j = i;
        if (j < n && s[j] == ':') j++;
        if (j + 1 < n && isdigit((unsigned char)s[j]) && isdigit((unsigned char)s[j + 1])) {
            int64_t v = (s[j] - '0') * 10 + (s[j + 1] - '0');
            if (part == 0)
                m = v;
            else
                sec = v;
            i = j + 2;
        } else {
            break;
        }
    }
    if (h > 18 || m > 59 || sec > 59) return false;
    *out = (neg ? -1 : 1) * ((h * 60 + m) * 60 + sec) * US_S;
    *pos = i;
    return true;
}

/* Daylight and standard abbreviations Java's 'z' parser knows, to a zone. */
static const char *const zone_abbrevs[][2] = {
    {"EST", "America/New_York"},    {"EDT", "America/New_York"},    {"CST", "America/Chicago"},
    {"CDT", "America/Chicago"},     {"MST", "America/Denver"},      {"MDT", "America/Denver"},
    {"PST", "America/Los_Angeles"}, {"PDT", "America/Los_Angeles"}, {"CET", "Europe/Paris"},
    {"CEST", "Europe/Paris"},       {"EET", "Europe/Athens"},       {"EEST", "Europe/Athens"},
    {"WET", "Europe/Lisbon"},       {"WEST", "Europe/Lisbon"},      {"BST", "Europe/London"},
};

/* A zone id (V, z): a region, an offset id, or (z) a known abbreviation. */
static bool p_zone(const char *s, size_t n, size_t *pos, bool abbrevs, const sl__tz **out) {
    size_t i = *pos;
    while (i < n && (isalnum((unsigned char)s[i]) || strchr("~/._+-:", s[i]))) i++;
    if (i == *pos) return false;
    sl__err err;
    sl__err_clear(&err);
    const char *name = s + *pos;
    size_t len = i - *pos;
    for (size_t k = 0; abbrevs && k < SL_ARRAY_LEN(zone_abbrevs); k++) {
        if (strlen(zone_abbrevs[k][0]) == len && strncasecmp(zone_abbrevs[k][0], name, len) == 0) {
            name = zone_abbrevs[k][1];
            len = strlen(name);
            break;
        }
    }
    const sl__tz *z = sl__tz_get_n(name, len, &err);
    if (!z) return false;
    *out = z;
    *pos = i;
    return true;
}

static bool parse_range(const dt_pattern *p, uint32_t from, uint32_t to, const char *s, size_t n,
                        size_t *pos, pfields *f);

static bool parse_field(const dt_pattern *p, const ptok *t, const char *s, size_t n, size_t *pos,
                        pfields *f) {
    int c = t->count;
    int64_t v;
    int idx;
    switch (t->letter) {
    case 'G': {
        static const char *const eras[] = {"BC", "AD", "Before Christ", "Anno Domini"};
        if (!p_text(s, n, pos, eras, 4, &idx)) return false;
        f->era = idx & 1;
        return true;
    }
    case 'y': {
        bool neg = false, plus = false;
        if (c != 2 && *pos < n && (s[*pos] == '-' || s[*pos] == '+') && !p->era) {
            neg = s[*pos] == '-';
            plus = !neg;
            if (c < 4 && plus) return false; /* NORMAL sign style: only '-' */
            (*pos)++;
        }
        size_t st = *pos;
        if (c == 2) {
            if (!p_digits(s, n, pos, 2, 2, t->reserve, &v)) return false;
            v += 2000; /* reduced: base 2000 */
        } else {
            if (!p_digits(s, n, pos, c == 1 ? 1 : c, 9, t->reserve, &v)) return false;
            size_t nd = *pos - st;
            /* EXCEEDS_PAD: more digits than the count need a sign, a sign needs them */
            if (c >= 4 && ((plus && nd <= (size_t)c) || (!neg && !plus && nd > (size_t)c)))
                return false;
            if (neg) v = -v;
        }
        f->year = v;
        f->has_year = true;
        return true;
    }
    case 'M':
    case 'L':
        if (c == 4) {
            if (!p_text(s, n, pos, month_full, 12, &idx)) return false;
            f->month = idx + 1;
        } else if (c == 3) {
            if (!p_text(s, n, pos, month_short, 12, &idx)) return false;
            f->month = idx + 1;
        } else {
            if (!p_digits(s, n, pos, c, c == 1 ? 9 : 2, t->reserve, &v) || v < 1 || v > 12)
                return false;
            f->month = (int)v;
        }
        return true;
    case 'a': {
        static const char *const ap[] = {"AM", "PM"};
        if (!p_text(s, n, pos, ap, 2, &idx)) return false;
        f->ampm = idx;
        return true;
    }
    case 'S': {
        /* 1 to count digits (Spark parses fractions of variable length) */
        size_t st = *pos;
        int64_t us = 0;
        while (*pos < n && *pos - st < (size_t)c && isdigit((unsigned char)s[*pos])) {
            if (*pos - st < 6) us = us * 10 + (s[*pos] - '0');
            (*pos)++;
        }
        size_t nd = *pos - st;
        if (!nd) return false;
        for (size_t k = nd; k < 6; k++) us *= 10;
        f->micros = us;
        return true;
    }
    case 'V': return p_zone(s, n, pos, false, &f->zone);
    case 'z': return p_zone(s, n, pos, true, &f->zone);
    case 'O':
    case 'Z':
        if (t->letter == 'O' || c == 4) {
            if (*pos + 3 > n || strncasecmp(s + *pos, "GMT", 3) != 0) return false;
            *pos += 3;
            f->has_off = true;
            f->off_us = 0;
            if (*pos < n && (s[*pos] == '+' || s[*pos] == '-'))
                return p_offset(s, n, pos, false, &f->off_us);
            return true;
        }
        f->has_off = p_offset(s, n, pos, c == 5, &f->off_us);
        return f->has_off;
    case 'X':
    case 'x': f->has_off = p_offset(s, n, pos, t->letter == 'X', &f->off_us); return f->has_off;
    default: break;
    }
    /* the remaining numeric fields */
    int minw = c, maxw = c == 1 ? 9 : c;
    if (t->letter == 'D' && c == 2) maxw = 3;
    if (!p_digits(s, n, pos, minw, maxw, t->reserve, &v) || v > 1000) return false;
    int iv = (int)v;
    switch (t->letter) {
    case 'd':
        if (iv < 1 || iv > 31) return false;
        f->day = iv;
        break;
    case 'D':
        if (iv < 1 || iv > 366) return false;
        f->doy = iv;
        break;
    case 'H':
        if (iv > 23) return false;
        f->hour_of_day = iv;
        break;
    case 'h':
        if (iv < 1 || iv > 12) return false;
        f->clock_hour_ampm = iv;
        break;
    case 'K':
        if (iv > 11) return false;
        f->hour_ampm = iv;
        break;
    case 'k':
        if (iv < 1 || iv > 24) return false;
        f->clock_hour_day = iv;
        break;
    case 'm':
        if (iv > 59) return false;
        f->minute = iv;
        break;
    case 's':
        if (iv > 59) return false;
        f->second = iv;
        break;
    default: return false;
    }
    return true;
}

static bool parse_range(const dt_pattern *p, uint32_t from, uint32_t to, const char *s, size_t n,
                        size_t *pos, pfields *f) {
    for (uint32_t k = from; k < to; k++) {
        const ptok *t = &p->toks[k];
        switch (t->kind) {
        case PT_LIT:
            if (*pos + t->len > n || strncasecmp(s + *pos, p->lits + t->off, t->len) != 0)
                return false;
            *pos += t->len;
            break;
        case PT_FIELD:
            if (!parse_field(p, t, s, n, pos, f)) return false;
            break;
        case PT_OPT_BEGIN: {
            size_t save = *pos;
            pfields fs = *f;
            uint32_t end = t->off;
            if (!parse_range(p, k + 1, end, s, n, pos, f)) {
                *pos = save;
                *f = fs;
            }
            k = end; /* continue after the matching ']' */
            break;
        }
        default: break;
        }
    }
    return true;
}

/* Parses text with the pattern into an instant; `z` is the session zone,
 * used when the text names none. */
static bool parse_ts(const dt_pattern *p, const char *s, size_t n, const sl__tz *z, int64_t *out) {
    pfields f = {.era = -1,
                 .month = -1,
                 .day = -1,
                 .doy = -1,
                 .hour_of_day = -1,
                 .clock_hour_ampm = -1,
                 .hour_ampm = -1,
                 .clock_hour_day = -1,
                 .ampm = -1,
                 .minute = -1,
                 .second = -1};
    size_t pos = 0;
    if (!parse_range(p, 0, p->n, s, n, &pos, &f) || pos != n) return false;
    /* the date */
    int64_t year = f.has_year ? f.year : 1970;
    if (f.has_year && p->era && f.era == 0) year = 1 - year;
    if (year < -290000 || year > 290000) return false;
    int64_t days;
    if (f.doy > 0) {
        if (f.doy > (leap_year(year) ? 366 : 365)) return false;
        days = days_of(year, 1, 1) + f.doy - 1;
        civil c = civil_of(days);
        if ((f.month > 0 && f.month != c.m) || (f.day > 0 && f.day != c.d)) return false;
    } else {
        int m = f.month > 0 ? f.month : 1, d = f.day > 0 ? f.day : 1;
        if (d > month_days(year, m)) return false;
        days = days_of(year, m, d);
    }
    /* the time: H, else k, else h or K with AM/PM (AM when absent) */
    int hour;
    if (f.hour_of_day >= 0) {
        hour = f.hour_of_day;
        if (f.ampm >= 0 && (hour >= 12) != (f.ampm == 1)) return false;
    } else if (f.clock_hour_day >= 0) {
        hour = f.clock_hour_day == 24 ? 0 : f.clock_hour_day;
    } else if (f.clock_hour_ampm >= 0 || f.hour_ampm >= 0) {
        hour = f.clock_hour_ampm >= 0 ? f.clock_hour_ampm % 12 : f.hour_ampm;
        if (f.ampm == 1) hour += 12;
    } else {
        hour = f.ampm == 1 ? 12 : 0;
    }
    int64_t local = days * US_DAY + hour * US_H + (f.minute > 0 ? f.minute : 0) * US_MIN +
                    (f.second > 0 ? f.second : 0) * US_S + f.micros;
    if (f.has_off)
        *out = local - f.off_us;
    else
        *out = to_utc(f.zone ? f.zone : z, local);
    return true;
}

/* A pattern from a (possibly per-row) format argument: the one compiled at
 * bind time when the format is constant, else compiled here and kept while
 * the rows repeat it. */
typedef struct pat_cache {
    dt_pattern *p;
    char *text;
    size_t len;
    bool bad;
} pat_cache;

static const dt_pattern *pattern_at(sl__expr *e, const sl__vec *fmt, uint32_t r, bool parsing,
                                    pat_cache *pc) {
    if (e->state) return e->state;
    if (!fmt) return NULL;
    if (!SL_ARG_VALID(fmt, r)) return NULL;
    sl__str s = sl__get_str(fmt, r);
    if (pc->text && pc->len == s.len && memcmp(pc->text, s.ptr, s.len) == 0)
        return pc->bad ? NULL : pc->p;
    pattern_free(pc->p);
    sl__free(pc->text);
    char err[256];
    pc->p = pattern_compile(s.ptr, s.len, parsing, err, sizeof err);
    pc->text = sl__strndup(s.ptr, s.len);
    pc->len = s.len;
    pc->bad = pc->p == NULL;
    return pc->p;
}

static void pat_cache_free(pat_cache *pc) {
    pattern_free(pc->p);
    sl__free(pc->text);
}

static const char default_pattern[] = "yyyy-MM-dd HH:mm:ss";

/* Compiles the constant format args[i] (or the default when i is past the
 * arguments) into fb->state. A constant invalid pattern is an error now;
 * a per-row one gives NULL where it is invalid. */
static sl_status bind_pattern(sl__fbind *fb, uint32_t i, bool parsing) {
    const char *txt = default_pattern;
    size_t len = sizeof default_pattern - 1;
    if (i < fb->n_args) {
        if (need_str(fb, i) != SL_OK) return SL_ERR_ANALYSIS;
        const sl__vec *c = sl__fbind_const(fb, i);
        if (!c) return SL_OK;                   /* per row */
        if (!sl__vec_valid(c, 0)) return SL_OK; /* NULL format: NULL results */
        sl__str s = SL_VEC_DATA(c, sl__str)[0];
        txt = s.ptr;
        len = s.len;
    }
    char err[256];
    dt_pattern *p = pattern_compile(txt, len, parsing, err, sizeof err);
    if (!p)
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "%s: invalid datetime pattern '%.*s': %s", fb->name, (int)len, txt, err);
    fb->state = p;
    fb->free_state = pattern_free;
    return SL_OK;
}

/* ---- the batch clock (R33) -------------------------------------------------- */

enum { NOW_TS, NOW_DATE, NOW_UNIX, NOW_TZ };

static void k_now(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    int64_t t = ctx->batch_ts_us;
    const sl__tz *z = session_tz(ctx);
    switch (e->iparam) {
    case NOW_TS: SL_FOR_ROWS(rows, r) SL_VEC_DATA(out, int64_t)[r] = t; break;
    case NOW_DATE: {
        int32_t d = (int32_t)local_day(z, t);
        SL_FOR_ROWS(rows, r) SL_VEC_DATA(out, int32_t)[r] = d;
        break;
    }
    case NOW_UNIX: {
        int64_t s = floordiv(t, US_S);
        SL_FOR_ROWS(rows, r) SL_VEC_DATA(out, int64_t)[r] = s;
        break;
    }
    default: {
        const char *nm = sl__tz_name(z);
        if (!ctx->tz && ctx->time_zone) nm = ctx->time_zone;
        SL_FOR_ROWS(rows, r) sl__vec_set_str_borrow(out, r, nm, strlen(nm));
    }
    }
}

static sl_status bind_now_kind(sl__fbind *fb, int kind) {
    static const sl__type *const types[] = {SL_T_TS, SL_T_DATE, SL_T_I64, SL_T_STR};
    fb->type = types[kind];
    fb->kernel = k_now;
    fb->iparam = kind;
    fb->volatile_ = true;
    return SL_OK;
}
static sl_status bind_current_timestamp(sl__fbind *fb) {
    return bind_now_kind(fb, NOW_TS);
}
static sl_status bind_current_date(sl__fbind *fb) {
    return bind_now_kind(fb, NOW_DATE);
}
static sl_status bind_current_timezone(sl__fbind *fb) {
    return bind_now_kind(fb, NOW_TZ);
}

/* ---- calendar fields ------------------------------------------------------- */

enum {
    F_YEAR,
    F_QUARTER,
    F_MONTH,
    F_DAY,
    F_DOW,     /* 1 = Sunday */
    F_DOW_ISO, /* 1 = Monday */
    F_WEEKDAY, /* 0 = Monday */
    F_DOY,
    F_WEEK, /* ISO */
    F_YEAROFWEEK,
    F_HOUR,
    F_MINUTE,
    F_SECOND,
    F_SECOND_FRAC, /* DOUBLE seconds with fraction (extract SECOND) */
};

static int32_t date_field(int64_t days, int field) {
    civil c;
    int64_t wy;
    switch (field) {
    case F_YEAR: return (int32_t)civil_of(days).y;
    case F_QUARTER: return (civil_of(days).m - 1) / 3 + 1;
    case F_MONTH: return civil_of(days).m;
    case F_DAY: return civil_of(days).d;
    case F_DOW: return dow_sun0(days) + 1;
    case F_DOW_ISO: return (int32_t)floormod(days + 3, 7) + 1;
    case F_WEEKDAY: return (int32_t)floormod(days + 3, 7);
    case F_DOY: c = civil_of(days); return (int32_t)(days - days_of(c.y, 1, 1) + 1);
    case F_WEEK: return iso_week(days, NULL);
    default: iso_week(days, &wy); return (int32_t)wy;
    }
}

static void k_date_field(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                         sl__vec *out) {
    int field = (int)e->iparam;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        SL_VEC_DATA(out, int32_t)[r] = date_field(SL_ARG(a[0], int32_t, r), field);
    }
}

static void k_time_field(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                         sl__vec *out) {
    const sl__tz *z = session_tz(ctx);
    int field = (int)e->iparam;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        int64_t tod = floormod(to_local(z, SL_ARG(a[0], int64_t, r)), US_DAY);
        switch (field) {
        case F_HOUR: SL_VEC_DATA(out, int32_t)[r] = (int32_t)(tod / US_H); break;
        case F_MINUTE: SL_VEC_DATA(out, int32_t)[r] = (int32_t)(tod / US_MIN % 60); break;
        case F_SECOND: SL_VEC_DATA(out, int32_t)[r] = (int32_t)(tod / US_S % 60); break;
        default: SL_VEC_DATA(out, double)[r] = (double)(tod % US_MIN) / 1e6;
        }
    }
}

/* day-time interval fields: DAY, HOUR, MINUTE (INT) and SECOND (DOUBLE) */
static void k_interval_field(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                             sl__vec *out) {
    int field = (int)e->iparam;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        int64_t v = SL_ARG(a[0], int64_t, r);
        switch (field) {
        case F_DAY: SL_VEC_DATA(out, int32_t)[r] = (int32_t)(v / US_DAY); break;
        case F_HOUR: SL_VEC_DATA(out, int32_t)[r] = (int32_t)(v % US_DAY / US_H); break;
        case F_MINUTE: SL_VEC_DATA(out, int32_t)[r] = (int32_t)(v % US_H / US_MIN); break;
        default: SL_VEC_DATA(out, double)[r] = (double)(v % US_MIN) / 1e6;
        }
    }
}

static sl_status bind_field(sl__fbind *fb, int field) {
    fb->iparam = field;
    if (field >= F_HOUR) {
        if (need_ts(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
        fb->kernel = k_time_field;
        fb->type = field == F_SECOND_FRAC ? SL_T_F64 : SL_T_I32;
        return SL_OK;
    }
    if (need_date(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    fb->kernel = k_date_field;
    fb->type = SL_T_I32;
    return SL_OK;
}

#define FIELD_BIND(fn, field)                                                                      \
    static sl_status fn(sl__fbind *fb) {                                                           \
        return bind_field(fb, field);                                                              \
    }
FIELD_BIND(bind_year, F_YEAR)
FIELD_BIND(bind_quarter, F_QUARTER)
FIELD_BIND(bind_month, F_MONTH)
FIELD_BIND(bind_day, F_DAY)
FIELD_BIND(bind_dayofweek, F_DOW)
FIELD_BIND(bind_weekday, F_WEEKDAY)
FIELD_BIND(bind_dayofyear, F_DOY)
FIELD_BIND(bind_weekofyear, F_WEEK)
FIELD_BIND(bind_hour, F_HOUR)
FIELD_BIND(bind_minute, F_MINUTE)
FIELD_BIND(bind_second, F_SECOND)

/* extract(field FROM x) and date_part(field, x): Spark's field names */
static const struct {
    const char *name;
    int field;
} extract_names[] = {
    {"YEAR", F_YEAR},
    {"Y", F_YEAR},
    {"YEARS", F_YEAR},
    {"YR", F_YEAR},
    {"YRS", F_YEAR},
    {"YEAROFWEEK", F_YEAROFWEEK},
    {"QUARTER", F_QUARTER},
    {"QTR", F_QUARTER},
    {"MONTH", F_MONTH},
    {"MON", F_MONTH},
    {"MONS", F_MONTH},
    {"MONTHS", F_MONTH},
    {"WEEK", F_WEEK},
    {"W", F_WEEK},
    {"WEEKS", F_WEEK},
    {"DAY", F_DAY},
    {"D", F_DAY},
    {"DAYS", F_DAY},
    {"DAYOFWEEK", F_DOW},
    {"DOW", F_DOW},
    {"DAYOFWEEK_ISO", F_DOW_ISO},
    {"DOW_ISO", F_DOW_ISO},
    {"DOY", F_DOY},
    {"HOUR", F_HOUR},
    {"H", F_HOUR},
    {"HOURS", F_HOUR},
    {"HR", F_HOUR},
    {"HRS", F_HOUR},
    {"MINUTE", F_MINUTE},
    {"M", F_MINUTE},
    {"MIN", F_MINUTE},
    {"MINS", F_MINUTE},
    {"MINUTES", F_MINUTE},
    {"SECOND", F_SECOND_FRAC},
    {"S", F_SECOND_FRAC},
    {"SEC", F_SECOND_FRAC},
    {"SECONDS", F_SECOND_FRAC},
    {"SECS", F_SECOND_FRAC},
};

static sl_status bind_extract(sl__fbind *fb) {
    const sl__vec *c = sl__fbind_const(fb, 0);
    if (!c || fb->args[0]->type->id != SL_TYPE_STRING || !sl__vec_valid(c, 0))
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "%s: the field must be a constant name (YEAR, MONTH, DAY, HOUR, ...)",
                           fb->name);
    sl__str s = SL_VEC_DATA(c, sl__str)[0];
    int field = -1;
    for (size_t i = 0; i < SL_ARRAY_LEN(extract_names) && field < 0; i++)
        if (strlen(extract_names[i].name) == s.len &&
            strncasecmp(extract_names[i].name, s.ptr, s.len) == 0)
            field = extract_names[i].field;
    if (field < 0)
        return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                           "%s: unknown field '%.*s' (YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFWEEK, "
                           "DOY, HOUR, MINUTE, SECOND, ...)",
                           fb->name, (int)s.len, s.ptr);
    /* the source becomes the only argument the kernel sees: swap it first */
    sl__expr *t = fb->args[0];
    fb->args[0] = fb->args[1];
    fb->args[1] = t;
    fb->iparam = field;
    if (fb->args[0]->type->id == SL_TYPE_INTERVAL) {
        if (field != F_DAY && field != F_HOUR && field != F_MINUTE && field != F_SECOND_FRAC)
            return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos,
                               "%s: field '%.*s' does not apply to a day-time interval", fb->name,
                               (int)s.len, s.ptr);
        fb->kernel = k_interval_field;
        fb->type = field == F_SECOND_FRAC ? SL_T_F64 : SL_T_I32;
        return SL_OK;
    }
    if (fb->args[0]->type->id == SL_TYPE_STRING) wrap_arg(fb, 0, SL_T_TS, k_str_to_ts);
    return bind_field(fb, field);
}

/* The kernels of extract read args[0] only; the field name stays args[1]. */

/* ---- epoch numbers ------------------------------------------------------------ */

enum { EP_SECONDS, EP_MILLIS, EP_MICROS };

/* number -> TIMESTAMP (iparam: unit); overflow gives NULL */
static void k_from_epoch(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                         sl__vec *out) {
    static const int64_t mul[] = {US_S, 1000, 1};
    int64_t m = mul[e->iparam];
    bool dbl = a[0]->type->id == SL_TYPE_DOUBLE;
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        int64_t v;
        if (dbl) {
            double d = SL_ARG(a[0], double, r) * (double)m;
            if (!isfinite(d) || d >= 9.2233720368547758e18 || d < -9.2233720368547758e18) {
                sl__vec_set_null(out, r);
                continue;
            }
            v = (int64_t)d;
        } else {
            int64_t x = SL_ARG(a[0], int64_t, r);
            if (x > INT64_MAX / m || x < INT64_MIN / m) {
                sl__vec_set_null(out, r);
                continue;
            }
            v = x * m;
        }
        SL_VEC_DATA(out, int64_t)[r] = v;
    }
}

static sl_status bind_from_epoch(sl__fbind *fb, int unit) {
    const sl__type *t = fb->args[0]->type;
    const sl__type *to = unit == EP_SECONDS && (t->id == SL_TYPE_DOUBLE || t->id == SL_TYPE_STRING)
                             ? SL_T_F64
                             : SL_T_I64;
    if (need_num(fb, 0, to) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_TS;
    fb->kernel = k_from_epoch;
    fb->iparam = unit;
    return SL_OK;
}
static sl_status bind_timestamp_seconds(sl__fbind *fb) {
    return bind_from_epoch(fb, EP_SECONDS);
}
static sl_status bind_timestamp_millis(sl__fbind *fb) {
    return bind_from_epoch(fb, EP_MILLIS);
}
static sl_status bind_timestamp_micros(sl__fbind *fb) {
    return bind_from_epoch(fb, EP_MICROS);
}

/* TIMESTAMP -> BIGINT seconds/millis/micros, rounded down */
static void k_to_epoch(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                       sl__vec *out) {
    static const int64_t div[] = {US_S, 1000, 1};
    int64_t d = div[e->iparam];
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        SL_VEC_DATA(out, int64_t)[r] = floordiv(SL_ARG(a[0], int64_t, r), d);
    }
}

static sl_status bind_to_epoch(sl__fbind *fb, int unit) {
    if (need_ts(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_I64;
    fb->kernel = k_to_epoch;
    fb->iparam = unit;
    return SL_OK;
}
static sl_status bind_unix_seconds(sl__fbind *fb) {
    return bind_to_epoch(fb, EP_SECONDS);
}
static sl_status bind_unix_millis(sl__fbind *fb) {
    return bind_to_epoch(fb, EP_MILLIS);
}
static sl_status bind_unix_micros(sl__fbind *fb) {
    return bind_to_epoch(fb, EP_MICROS);
}

static void k_i32_copy(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                       sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        SL_VEC_DATA(out, int32_t)[r] = SL_ARG(a[0], int32_t, r);
    }
}

static sl_status bind_unix_date(sl__fbind *fb) {
    if (need_date(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_I32;
    fb->kernel = k_i32_copy;
    return SL_OK;
}

static sl_status bind_date_from_unix_date(sl__fbind *fb) {
    if (need_num(fb, 0, SL_T_I32) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_DATE;
    fb->kernel = k_i32_copy;
    return SL_OK;
}

/* ---- text: formatting and parsing with patterns ------------------------------ */

/* date_format(ts, fmt) and from_unixtime(secs[, fmt]) (iparam 1: seconds) */
static void k_format(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__tz *z = session_tz(ctx);
    pat_cache pc = {0};
    char *buf = NULL;
    size_t cap = 0;
    const sl__vec *fmt = e->n_args > 1 ? a[1] : NULL;
    SL_FOR_ROWS(rows, r) {
        if (!SL_ARG_VALID(a[0], r)) {
            sl__vec_set_null(out, r);
            continue;
        }
        const dt_pattern *p = pattern_at(e, fmt, r, false, &pc);
        if (!p) {
            sl__vec_set_null(out, r);
            continue;
        }
        int64_t us = SL_ARG(a[0], int64_t, r);
        if (e->iparam) us = (int64_t)((uint64_t)us * (uint64_t)US_S);
        if (p->max_out > cap) {
            cap = p->max_out;
            buf = sl__realloc(buf, cap);
        }
        size_t len = format_ts(p, us, z, buf);
        sl__vec_set_str_copy(out, r, buf, len);
    }
    sl__free(buf);
    pat_cache_free(&pc);
}

static sl_status bind_date_format(sl__fbind *fb) {
    if (need_ts(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    if (bind_pattern(fb, 1, false) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_format;
    return SL_OK;
}

static sl_status bind_from_unixtime(sl__fbind *fb) {
    if (need_num(fb, 0, SL_T_I64) != SL_OK) return SL_ERR_ANALYSIS;
    if (bind_pattern(fb, 1, false) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_STR;
    fb->kernel = k_format;
    fb->iparam = 1;
    return SL_OK;
}

enum { PARSE_TS, PARSE_DATE, PARSE_UNIX };

/* to_timestamp(s, fmt), to_date(s, fmt), unix_timestamp(s[, fmt]) over
 * strings (iparam: what to produce) */
static void k_parse(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    const sl__tz *z = session_tz(ctx);
    pat_cache pc = {0};
    const sl__vec *fmt = e->n_args > 1 ? a[1] : NULL;
    SL_FOR_ROWS(rows, r) {
        if (!SL_ARG_VALID(a[0], r)) {
            sl__vec_set_null(out, r);
            continue;
        }
        const dt_pattern *p = pattern_at(e, fmt, r, true, &pc);
        sl__str s = sl__get_str(a[0], r);
        int64_t us;
        if (!p || !parse_ts(p, s.ptr, s.len, z, &us)) {
            sl__vec_set_null(out, r);
            continue;
        }
        switch (e->iparam) {
        case PARSE_TS: SL_VEC_DATA(out, int64_t)[r] = us; break;
        case PARSE_DATE: SL_VEC_DATA(out, int32_t)[r] = (int32_t)local_day(z, us); break;
        default: SL_VEC_DATA(out, int64_t)[r] = floordiv(us, US_S);
        }
    }
    pat_cache_free(&pc);
}

/* unix_timestamp of a TIMESTAMP */
static void k_ts_seconds(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                         sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        SL_VEC_DATA(out, int64_t)[r] = floordiv(SL_ARG(a[0], int64_t, r), US_S);
    }
}

static void k_ts_copy(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        SL_VEC_DATA(out, int64_t)[r] = SL_ARG(a[0], int64_t, r);
    }
}

/* Shared by to_timestamp, to_date, unix_timestamp: dates and timestamps
 * convert directly (a format is then ignored); anything else is text. */
static sl_status bind_parse(sl__fbind *fb, int what) {
    sl_type_id t = fb->args[0]->type->id;
    if (t == SL_TYPE_TIMESTAMP || t == SL_TYPE_DATE) {
        if (fb->n_args > 1 && need_str(fb, 1) != SL_OK) return SL_ERR_ANALYSIS;
        if (what == PARSE_DATE) {
            coerce_date(fb, 0);
            fb->type = SL_T_DATE;
            fb->kernel = k_i32_copy;
        } else {
            coerce_ts(fb, 0);
            fb->type = what == PARSE_TS ? SL_T_TS : SL_T_I64;
            fb->kernel = what == PARSE_TS ? k_ts_copy : k_ts_seconds;
        }
        return SL_OK;
    }
    if (need_str(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    if (bind_pattern(fb, 1, true) != SL_OK) return SL_ERR_ANALYSIS;
    static const sl__type *const types[] = {SL_T_TS, SL_T_DATE, SL_T_I64};
    fb->type = types[what];
    fb->kernel = k_parse;
    fb->iparam = what;
    return SL_OK;
}

static sl_status bind_to_timestamp(sl__fbind *fb) {
    if (fb->n_args > 1) return bind_parse(fb, PARSE_TS);
    /* CAST(x AS TIMESTAMP): text per R154 in the session zone, a date at its
     * local midnight, numbers as seconds */
    fb->type = SL_T_TS;
    switch (fb->args[0]->type->id) {
    case SL_TYPE_STRING: fb->kernel = k_str_to_ts; return SL_OK;
    case SL_TYPE_DATE: fb->kernel = k_date_to_ts; return SL_OK;
    case SL_TYPE_TIMESTAMP: fb->kernel = k_ts_copy; return SL_OK;
    default:
        if (fb->args[0]->type->id != SL_TYPE_NULL && fb->args[0]->type->id != SL_TYPE_BOOLEAN &&
            !sl__type_is_numeric(fb->args[0]->type))
            return sl__fbind_type_error(fb, 0, "a string, date, timestamp or number");
        sl__fbind_cast_arg(fb, 0, SL_T_TS);
        fb->kernel = k_ts_copy;
        return SL_OK;
    }
}

static sl_status bind_to_date(sl__fbind *fb) {
    if (fb->n_args == 1) {
        if (need_date(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
        fb->type = SL_T_DATE;
        fb->kernel = k_i32_copy;
        return SL_OK;
    }
    return bind_parse(fb, PARSE_DATE);
}

static sl_status bind_unix_timestamp(sl__fbind *fb) {
    if (fb->n_args == 0) return bind_now_kind(fb, NOW_UNIX);
    return bind_parse(fb, PARSE_UNIX);
}

static sl_status bind_to_unix_timestamp(sl__fbind *fb) {
    return bind_parse(fb, PARSE_UNIX);
}

/* ---- calendar arithmetic -------------------------------------------------------- */

/* date_add / date_sub (iparam: sign) */
static void k_date_add(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                       sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        int64_t d = SL_ARG(a[0], int32_t, r), n = SL_ARG(a[1], int32_t, r);
        SL_VEC_DATA(out, int32_t)[r] = (int32_t)(uint32_t)(uint64_t)(d + e->iparam * n);
    }
}

static sl_status bind_date_addsub(sl__fbind *fb, int sign) {
    if (need_date(fb, 0) != SL_OK || need_num(fb, 1, SL_T_I32) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_DATE;
    fb->kernel = k_date_add;
    fb->iparam = sign;
    return SL_OK;
}
static sl_status bind_date_add(sl__fbind *fb) {
    return bind_date_addsub(fb, 1);
}
static sl_status bind_date_sub(sl__fbind *fb) {
    return bind_date_addsub(fb, -1);
}

static void k_datediff(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                       sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        int64_t x = SL_ARG(a[0], int32_t, r), y = SL_ARG(a[1], int32_t, r);
        SL_VEC_DATA(out, int32_t)[r] = (int32_t)(x - y);
    }
}

static sl_status bind_datediff(sl__fbind *fb) {
    if (need_date(fb, 0) != SL_OK || need_date(fb, 1) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_I32;
    fb->kernel = k_datediff;
    return SL_OK;
}

static int64_t add_months_days(int64_t days, int64_t n) {
    civil c = civil_of(days);
    int64_t total = c.y * 12 + (c.m - 1) + n;
    int64_t y = floordiv(total, 12);
    int m = (int)(total - y * 12) + 1;
    int d = SL_MIN(c.d, month_days(y, m));
    return days_of(y, m, d);
}

static void k_add_months(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                         sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        SL_VEC_DATA(out, int32_t)
        [r] = (int32_t)add_months_days(SL_ARG(a[0], int32_t, r), SL_ARG(a[1], int32_t, r));
    }
}

static sl_status bind_add_months(sl__fbind *fb) {
    if (need_date(fb, 0) != SL_OK || need_num(fb, 1, SL_T_I32) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_DATE;
    fb->kernel = k_add_months;
    return SL_OK;
}

static void k_last_day(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                       sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 1, r, out)) continue;
        int64_t d = SL_ARG(a[0], int32_t, r);
        civil c = civil_of(d);
        SL_VEC_DATA(out, int32_t)[r] = (int32_t)(d - c.d + month_days(c.y, c.m));
    }
}

static sl_status bind_last_day(sl__fbind *fb) {
    if (need_date(fb, 0) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_DATE;
    fb->kernel = k_last_day;
    return SL_OK;
}

/* Day of week (0 = Sunday) of a name as next_day takes it: "MO", "MON",
 * "MONDAY", any case; -1 when not a day. */
static int dow_of_name(const char *s, size_t n) {
    static const char *const names[7][3] = {{"SU", "SUN", "SUNDAY"},   {"MO", "MON", "MONDAY"},
                                            {"TU", "TUE", "TUESDAY"},  {"WE", "WED", "WEDNESDAY"},
                                            {"TH", "THU", "THURSDAY"}, {"FR", "FRI", "FRIDAY"},
                                            {"SA", "SAT", "SATURDAY"}};
    for (int d = 0; d < 7; d++)
        for (int k = 0; k < 3; k++)
            if (strlen(names[d][k]) == n && strncasecmp(names[d][k], s, n) == 0) return d;
    return -1;
}

static void k_next_day(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                       sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        sl__str s = sl__get_str(a[1], r);
        int want = dow_of_name(s.ptr, s.len);
        if (want < 0) {
            sl__vec_set_null(out, r);
            continue;
        }
        int64_t d = SL_ARG(a[0], int32_t, r);
        int delta = (want - dow_sun0(d) + 7) % 7;
        SL_VEC_DATA(out, int32_t)[r] = (int32_t)(d + (delta ? delta : 7));
    }
}

static sl_status bind_next_day(sl__fbind *fb) {
    if (need_date(fb, 0) != SL_OK || need_str(fb, 1) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_DATE;
    fb->kernel = k_next_day;
    return SL_OK;
}

/* months_between(t1, t2[, roundOff]): Spark's DateTimeUtils.monthsBetween */
static void k_months_between(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                             sl__vec *out) {
    const sl__tz *z = session_tz(ctx);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        int64_t t1 = SL_ARG(a[0], int64_t, r), t2 = SL_ARG(a[1], int64_t, r);
        bool round_off = e->n_args < 3 || SL_ARG(a[2], uint8_t, r);
        int64_t d1 = local_day(z, t1), d2 = local_day(z, t2);
        civil c1 = civil_of(d1), c2 = civil_of(d2);
        double month_diff = (double)((c1.y * 12 + c1.m) - (c2.y * 12 + c2.m));
        bool end1 = c1.d == month_days(c1.y, c1.m), end2 = c2.d == month_days(c2.y, c2.m);
        double v;
        if (c1.d == c2.d || (end1 && end2)) {
            v = month_diff;
        } else {
            int64_t s1 = floordiv(t1 - day_start(z, d1), US_S);
            int64_t s2 = floordiv(t2 - day_start(z, d2), US_S);
            int64_t sdiff = (int64_t)(c1.d - c2.d) * 86400 + s1 - s2;
            v = month_diff + (double)sdiff / (31.0 * 86400);
            if (round_off) v = floor(v * 1e8 + 0.5) / 1e8;
        }
        SL_VEC_DATA(out, double)[r] = v;
    }
}

static sl_status bind_months_between(sl__fbind *fb) {
    if (need_ts(fb, 0) != SL_OK || need_ts(fb, 1) != SL_OK) return SL_ERR_ANALYSIS;
    if (fb->n_args > 2) {
        sl_type_id t = fb->args[2]->type->id;
        if (t != SL_TYPE_BOOLEAN && t != SL_TYPE_NULL && t != SL_TYPE_STRING)
            return sl__fbind_type_error(fb, 2, "a boolean");
        sl__fbind_cast_arg(fb, 2, SL_T_BOOL);
    }
    fb->type = SL_T_F64;
    fb->kernel = k_months_between;
    return SL_OK;
}

/* make_date(y, m, d): NULL when not a date */
static bool valid_date(int64_t y, int64_t m, int64_t d) {
    return y >= -290000 && y <= 290000 && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, (int)m);
}

static void k_make_date(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                        sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 3, r, out)) continue;
        int64_t y = SL_ARG(a[0], int32_t, r), m = SL_ARG(a[1], int32_t, r),
                d = SL_ARG(a[2], int32_t, r);
        if (!valid_date(y, m, d)) {
            sl__vec_set_null(out, r);
            continue;
        }
        SL_VEC_DATA(out, int32_t)[r] = (int32_t)days_of(y, (int)m, (int)d);
    }
}

static sl_status bind_make_date(sl__fbind *fb) {
    for (uint32_t i = 0; i < 3; i++)
        if (need_num(fb, i, SL_T_I32) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_DATE;
    fb->kernel = k_make_date;
    return SL_OK;
}

/* make_timestamp(y, mo, d, h, mi, s[, tz]): s may have a fraction; 60 with
 * no fraction is the next minute (Spark); otherwise NULL when invalid */
static void k_make_timestamp(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                             sl__vec *out) {
    const sl__tz *session = session_tz(ctx);
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, e->n_args, r, out)) continue;
        int64_t y = SL_ARG(a[0], int32_t, r), mo = SL_ARG(a[1], int32_t, r),
                d = SL_ARG(a[2], int32_t, r), h = SL_ARG(a[3], int32_t, r),
                mi = SL_ARG(a[4], int32_t, r);
        double sec = SL_ARG(a[5], double, r);
        const sl__tz *z = session;
        if (e->n_args > 6) {
            sl__str zn = sl__get_str(a[6], r);
            sl__err err;
            sl__err_clear(&err);
            z = sl__tz_get_n(zn.ptr, zn.len, &err);
        }
        if (!z || !valid_date(y, mo, d) || h < 0 || h > 23 || mi < 0 || mi > 59 ||
            !(sec >= 0 && sec < 61)) {
            sl__vec_set_null(out, r);
            continue;
        }
        int64_t sus = (int64_t)llround(sec * 1e6);
        if (sus >= 60 * US_S && sus != 60 * US_S) {
            sl__vec_set_null(out, r);
            continue;
        }
        int64_t local = days_of(y, (int)mo, (int)d) * US_DAY + h * US_H + mi * US_MIN + sus;
        SL_VEC_DATA(out, int64_t)[r] = to_utc(z, local);
    }
}

static sl_status bind_make_timestamp(sl__fbind *fb) {
    for (uint32_t i = 0; i < 5; i++)
        if (need_num(fb, i, SL_T_I32) != SL_OK) return SL_ERR_ANALYSIS;
    if (need_num(fb, 5, SL_T_F64) != SL_OK) return SL_ERR_ANALYSIS;
    if (fb->n_args > 6 && need_str(fb, 6) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_TS;
    fb->kernel = k_make_timestamp;
    return SL_OK;
}

/* ---- truncation -------------------------------------------------------------- */

enum {
    TR_MICRO,
    TR_MILLI,
    TR_SECOND,
    TR_MINUTE,
    TR_HOUR,
    TR_DAY,
    TR_WEEK,
    TR_MONTH,
    TR_QUARTER,
    TR_YEAR
};

static int trunc_level(const char *s, size_t n) {
    static const struct {
        const char *name;
        int level;
    } names[] = {
        {"YEAR", TR_YEAR},       {"YYYY", TR_YEAR},         {"YY", TR_YEAR},
        {"QUARTER", TR_QUARTER}, {"MONTH", TR_MONTH},       {"MM", TR_MONTH},
        {"MON", TR_MONTH},       {"WEEK", TR_WEEK},         {"DAY", TR_DAY},
        {"DD", TR_DAY},          {"HOUR", TR_HOUR},         {"MINUTE", TR_MINUTE},
        {"SECOND", TR_SECOND},   {"MILLISECOND", TR_MILLI}, {"MICROSECOND", TR_MICRO},
    };
    for (size_t i = 0; i < SL_ARRAY_LEN(names); i++)
        if (strlen(names[i].name) == n && strncasecmp(names[i].name, s, n) == 0)
            return names[i].level;
    return -1;
}

static int64_t trunc_days(int64_t days, int level) {
    civil c = civil_of(days);
    switch (level) {
    case TR_WEEK: return days - floormod(days + 3, 7); /* Monday */
    case TR_MONTH: return days - c.d + 1;
    case TR_QUARTER: return days_of(c.y, (c.m - 1) / 3 * 3 + 1, 1);
    default: return days_of(c.y, 1, 1);
    }
}

/* The truncation level of row r: the bind-time one, else parsed per row. */
static int level_at(const sl__expr *e, const sl__vec *lv, uint32_t r) {
    if (e->iparam != -1) return (int)e->iparam; /* constant (-2: not a level) */
    if (!SL_ARG_VALID(lv, r)) return -1;
    sl__str s = sl__get_str(lv, r);
    return trunc_level(s.ptr, s.len);
}

/* date_trunc(fmt, ts) */
static void k_date_trunc(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                         sl__vec *out) {
    const sl__tz *z = session_tz(ctx);
    SL_FOR_ROWS(rows, r) {
        int level = level_at(e, a[0], r);
        if (level < 0 || !SL_ARG_VALID(a[1], r)) {
            sl__vec_set_null(out, r);
            continue;
        }
        int64_t t = SL_ARG(a[1], int64_t, r), v;
        switch (level) {
        case TR_MICRO: v = t; break;
        case TR_MILLI: v = t - floormod(t, 1000); break;
        case TR_SECOND: v = t - floormod(t, US_S); break;
        case TR_MINUTE: v = t - floormod(t, US_MIN); break;
        case TR_HOUR: {
            int64_t off = sl__tz_offset_utc(z, t);
            int64_t l = wrap_add(t, off);
            v = to_utc_pref(z, l - floormod(l, US_H), off);
            break;
        }
        case TR_DAY: {
            int64_t off = sl__tz_offset_utc(z, t);
            int64_t l = wrap_add(t, off);
            v = to_utc_pref(z, l - floormod(l, US_DAY), off);
            break;
        }
        default: v = day_start(z, trunc_days(local_day(z, t), level));
        }
        SL_VEC_DATA(out, int64_t)[r] = v;
    }
}

static sl_status bind_level(sl__fbind *fb, uint32_t i, int min_level) {
    if (need_str(fb, i) != SL_OK) return SL_ERR_ANALYSIS;
    fb->iparam = -1;
    const sl__vec *c = sl__fbind_const(fb, i);
    if (c && sl__vec_valid(c, 0)) {
        sl__str s = SL_VEC_DATA(c, sl__str)[0];
        int level = trunc_level(s.ptr, s.len);
        fb->iparam = level >= min_level ? level : -2; /* -2: NULL for every row */
    }
    return SL_OK;
}

static sl_status bind_date_trunc(sl__fbind *fb) {
    if (bind_level(fb, 0, TR_MICRO) != SL_OK || need_ts(fb, 1) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_TS;
    fb->kernel = k_date_trunc;
    return SL_OK;
}

/* trunc(date, fmt): YEAR, QUARTER, MONTH, WEEK only */
static void k_trunc(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows, sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        int level = level_at(e, a[1], r);
        if (level < TR_WEEK || !SL_ARG_VALID(a[0], r)) {
            sl__vec_set_null(out, r);
            continue;
        }
        SL_VEC_DATA(out, int32_t)[r] = (int32_t)trunc_days(SL_ARG(a[0], int32_t, r), level);
    }
}

static sl_status bind_trunc(sl__fbind *fb) {
    if (need_date(fb, 0) != SL_OK || bind_level(fb, 1, TR_WEEK) != SL_OK) return SL_ERR_ANALYSIS;
    fb->type = SL_T_DATE;
    fb->kernel = k_trunc;
    return SL_OK;
}

/* ---- zone shifts ----------------------------------------------------------------- */

/* from_utc_timestamp(ts, tz) (iparam 0) and to_utc_timestamp(ts, tz) (1):
 * reinterpret a wall time between UTC and a zone */
static void k_utc_shift(sl__ectx *ctx, sl__expr *e, sl__vec **a, const sl__rows *rows,
                        sl__vec *out) {
    SL_FOR_ROWS(rows, r) {
        if (!sl__args_valid(a, 2, r, out)) continue;
        const sl__tz *z = e->state;
        if (!z) {
            sl__str s = sl__get_str(a[1], r);
            sl__err err;
            sl__err_clear(&err);
            z = sl__tz_get_n(s.ptr, s.len, &err);
            if (!z) {
                sl__vec_set_null(out, r);
                continue;
            }
        }
        int64_t t = SL_ARG(a[0], int64_t, r);
        SL_VEC_DATA(out, int64_t)[r] = e->iparam ? to_utc(z, t) : to_local(z, t);
    }
}

static sl_status bind_utc_shift(sl__fbind *fb, int to_utc_) {
    if (need_ts(fb, 0) != SL_OK || need_str(fb, 1) != SL_OK) return SL_ERR_ANALYSIS;
    const sl__vec *c = sl__fbind_const(fb, 1);
    if (c && sl__vec_valid(c, 0)) {
        sl__str s = SL_VEC_DATA(c, sl__str)[0];
        sl__err err;
        sl__err_clear(&err);
        const sl__tz *z = sl__tz_get_n(s.ptr, s.len, &err);
        if (!z) return sl__err_set(fb->err, SL_ERR_ANALYSIS, fb->pos, "%s: %s", fb->name, err.msg);
        fb->state = (void *)z; /* zones live for the process: nothing to free */
    }
    fb->type = SL_T_TS;
    fb->kernel = k_utc_shift;
    fb->iparam = to_utc_;
    return SL_OK;
}
static sl_status bind_from_utc_timestamp(sl__fbind *fb) {
    return bind_utc_shift(fb, 0);
}
static sl_status bind_to_utc_timestamp(sl__fbind *fb) {
    return bind_utc_shift(fb, 1);
}

/* ---- the table ------------------------------------------------------------------- */

static const sl__fn_def defs[] = {
    {"current_timestamp", 0, 0, bind_current_timestamp, "current_timestamp()",
     "The batch's timestamp: the same for every row of a micro-batch (R33)."},
    {"now", 0, 0, bind_current_timestamp, "now()", "Same as current_timestamp()."},
    {"current_date", 0, 0, bind_current_date, "current_date()",
     "The batch's date in the session time zone."},
    {"curdate", 0, 0, bind_current_date, "curdate()", "Same as current_date()."},
    {"current_timezone", 0, 0, bind_current_timezone, "current_timezone()",
     "The session time zone."},
    {"unix_timestamp", 0, 2, bind_unix_timestamp, "unix_timestamp([x[, fmt]])",
     "Seconds since the epoch (BIGINT) of x (text parsed with fmt, default "
     "'yyyy-MM-dd HH:mm:ss'), or of the batch's time."},
    {"to_unix_timestamp", 1, 2, bind_to_unix_timestamp, "to_unix_timestamp(x[, fmt])",
     "Same as unix_timestamp(x[, fmt])."},
    {"from_unixtime", 1, 2, bind_from_unixtime, "from_unixtime(secs[, fmt])",
     "Text of seconds since the epoch in the session zone, default 'yyyy-MM-dd HH:mm:ss'."},
    {"timestamp_seconds", 1, 1, bind_timestamp_seconds, "timestamp_seconds(x)",
     "The timestamp x seconds (may be fractional) after the epoch."},
    {"timestamp_millis", 1, 1, bind_timestamp_millis, "timestamp_millis(x)",
     "The timestamp x milliseconds after the epoch."},
    {"timestamp_micros", 1, 1, bind_timestamp_micros, "timestamp_micros(x)",
     "The timestamp x microseconds after the epoch."},
    {"unix_seconds", 1, 1, bind_unix_seconds, "unix_seconds(ts)",
     "Whole seconds since the epoch (rounded down)."},
    {"unix_millis", 1, 1, bind_unix_millis, "unix_millis(ts)",
     "Milliseconds since the epoch (rounded down)."},
    {"unix_micros", 1, 1, bind_unix_micros, "unix_micros(ts)", "Microseconds since the epoch."},
    {"unix_date", 1, 1, bind_unix_date, "unix_date(date)", "Days since 1970-01-01."},
    {"date_from_unix_date", 1, 1, bind_date_from_unix_date, "date_from_unix_date(days)",
     "The date that many days after 1970-01-01."},
    {"to_timestamp", 1, 2, bind_to_timestamp, "to_timestamp(x[, fmt])",
     "Text parsed as a timestamp (with fmt, or as CAST does); NULL when it does not parse."},
    {"to_date", 1, 2, bind_to_date, "to_date(x[, fmt])",
     "Text parsed as a date (with fmt, or as CAST does); NULL when it does not parse."},
    {"date_format", 2, 2, bind_date_format, "date_format(ts, fmt)",
     "Text of a timestamp in the session zone with a datetime pattern."},
    {"year", 1, 1, bind_year, "year(date)", "The year."},
    {"quarter", 1, 1, bind_quarter, "quarter(date)", "The quarter of the year, 1 to 4."},
    {"month", 1, 1, bind_month, "month(date)", "The month, 1 to 12."},
    {"day", 1, 1, bind_day, "day(date)", "The day of the month."},
    {"dayofmonth", 1, 1, bind_day, "dayofmonth(date)", "The day of the month."},
    {"dayofweek", 1, 1, bind_dayofweek, "dayofweek(date)", "The day of the week, 1 = Sunday."},
    {"weekday", 1, 1, bind_weekday, "weekday(date)", "The day of the week, 0 = Monday."},
    {"dayofyear", 1, 1, bind_dayofyear, "dayofyear(date)", "The day of the year, 1 to 366."},
    {"weekofyear", 1, 1, bind_weekofyear, "weekofyear(date)",
     "The ISO-8601 week of the year (weeks start on Monday)."},
    {"hour", 1, 1, bind_hour, "hour(ts)", "The hour in the session zone, 0 to 23."},
    {"minute", 1, 1, bind_minute, "minute(ts)", "The minute, 0 to 59."},
    {"second", 1, 1, bind_second, "second(ts)", "The second, 0 to 59."},
    {"extract", 2, 2, bind_extract, "extract(field FROM x)",
     "A field (YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFWEEK, DOY, HOUR, MINUTE, SECOND, ...) of "
     "a date, timestamp or interval."},
    {"date_part", 2, 2, bind_extract, "date_part(field, x)", "Same as extract(field FROM x)."},
    {"date_add", 2, 2, bind_date_add, "date_add(date, n)", "The date n days later."},
    {"dateadd", 2, 2, bind_date_add, "dateadd(date, n)", "Same as date_add."},
    {"date_sub", 2, 2, bind_date_sub, "date_sub(date, n)", "The date n days earlier."},
    {"datediff", 2, 2, bind_datediff, "datediff(end, start)", "Days from start to end."},
    {"date_diff", 2, 2, bind_datediff, "date_diff(end, start)", "Same as datediff."},
    {"add_months", 2, 2, bind_add_months, "add_months(date, n)",
     "The date n months later, the day clamped to the month's length."},
    {"last_day", 1, 1, bind_last_day, "last_day(date)", "The last day of the date's month."},
    {"next_day", 2, 2, bind_next_day, "next_day(date, dayOfWeek)",
     "The first date after date that is the given day ('Mon', 'tuesday', 'FR', ...)."},
    {"months_between", 2, 3, bind_months_between, "months_between(ts1, ts2[, roundOff])",
     "Months from ts2 to ts1, fractional by 31-day months, rounded to 8 digits by default."},
    {"make_date", 3, 3, bind_make_date, "make_date(year, month, day)",
     "The date of the fields; NULL when they do not make one."},
    {"make_timestamp", 6, 7, bind_make_timestamp,
     "make_timestamp(year, month, day, hour, min, sec[, tz])",
     "The timestamp of the fields in the session zone (or tz); NULL when invalid."},
    {"date_trunc", 2, 2, bind_date_trunc, "date_trunc(fmt, ts)",
     "The timestamp truncated to YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, ..."},
    {"trunc", 2, 2, bind_trunc, "trunc(date, fmt)",
     "The date truncated to YEAR, QUARTER, MONTH or WEEK."},
    {"from_utc_timestamp", 2, 2, bind_from_utc_timestamp, "from_utc_timestamp(ts, tz)",
     "Reads ts as a UTC wall time and gives the same instant's wall time in tz."},
    {"to_utc_timestamp", 2, 2, bind_to_utc_timestamp, "to_utc_timestamp(ts, tz)",
     "Reads ts as a wall time in tz and gives the same instant's wall time in UTC."},
};

const sl__fn_table sl__fn_time = {defs, SL_ARRAY_LEN(defs)};
