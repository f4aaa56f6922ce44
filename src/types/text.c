/*
 * text.c — value formatting and lenient parsing shared by CAST, rendering
 * and the file formats (text.h).
 */
#include "types/text.h"
#include <ctype.h>
#include <math.h>
#include <strings.h>

/* ---- doubles ------------------------------------------------------------ */

size_t sl__fmt_double(double d, char *buf) {
    if (isnan(d)) return (size_t)sprintf(buf, "NaN");
    if (isinf(d)) return (size_t)sprintf(buf, d > 0 ? "Infinity" : "-Infinity");
    if (d == 0) return (size_t)sprintf(buf, signbit(d) ? "-0.0" : "0.0");
    /* shortest digits (but at least two, as Java's Double.toString does: it
     * prints 4.9E-324, not 5.0E-324) that read back exactly */
    char tmp[40];
    int prec;
    for (prec = 2; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d) break;
    }
    /* tmp is [-]D.DDDDe[+-]XX: split mantissa digits and exponent */
    char digits[24];
    int nd = 0;
    const char *p = tmp;
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    for (; *p && *p != 'e'; p++)
        if (isdigit((unsigned char)*p)) digits[nd++] = *p;
    int exp10 = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    char *o = buf;
    if (neg) *o++ = '-';
    double ad = fabs(d);
    if (ad >= 1e-3 && ad < 1e7) {
        /* plain notation */
        if (exp10 < 0) {
            *o++ = '0';
            *o++ = '.';
            for (int i = -1; i > exp10; i--) *o++ = '0';
            for (int i = 0; i < nd; i++) *o++ = digits[i];
        } else {
            int i = 0;
            for (; i <= exp10; i++) *o++ = i < nd ? digits[i] : '0';
            *o++ = '.';
            if (i >= nd) *o++ = '0';
            for (; i < nd; i++) *o++ = digits[i];
        }
    } else {
        *o++ = digits[0];
        *o++ = '.';
        if (nd == 1) *o++ = '0';
        for (int i = 1; i < nd; i++) *o++ = digits[i];
        o += sprintf(o, "E%d", exp10);
    }
    *o = 0;
    return (size_t)(o - buf);
}

/* ---- calendar ----------------------------------------------------------- */

/* Howard Hinnant's days_from_civil / civil_from_days algorithms. */
int64_t sl__days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void sl__civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static size_t fmt_year(int64_t y, char *buf) {
    if (y >= 0 && y <= 9999) return (size_t)sprintf(buf, "%04lld", (long long)y);
    return (size_t)sprintf(buf, "%s%04lld", y < 0 ? "-" : "+", (long long)(y < 0 ? -y : y));
}

size_t sl__fmt_date(int32_t days, char *buf) {
    int64_t y;
    unsigned m, d;
    sl__civil_from_days(days, &y, &m, &d);
    size_t n = fmt_year(y, buf);
    return n + (size_t)sprintf(buf + n, "-%02u-%02u", m, d);
}

void sl__local_day(int64_t us, int64_t offset_us, int64_t *days, int64_t *us_of_day) {
    /* within hours of the int64 ends the offset would overflow: saturate */
    if (__builtin_add_overflow(us, offset_us, &us)) us = offset_us > 0 ? INT64_MAX : INT64_MIN;
    int64_t d = us / 86400000000LL, rem = us % 86400000000LL;
    if (rem < 0) rem += 86400000000LL, d--;
    *days = d;
    *us_of_day = rem;
}

size_t sl__fmt_timestamp(int64_t us, int64_t tz_offset_us, char *buf) {
    int64_t days, rem;
    sl__local_day(us, tz_offset_us, &days, &rem);
    size_t n = sl__fmt_date((int32_t)days, buf);
    int64_t secs = rem / 1000000, frac = rem % 1000000;
    n += (size_t)sprintf(buf + n, " %02d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60),
                         (int)(secs % 60));
    if (frac) {
        char f[8];
        snprintf(f, sizeof f, "%06lld", (long long)frac);
        int l = 6;
        while (l > 0 && f[l - 1] == '0') l--;
        buf[n++] = '.';
        memcpy(buf + n, f, (size_t)l);
        n += (size_t)l;
        buf[n] = 0;
    }
    return n;
}

size_t sl__fmt_iso_millis(int64_t us, char *buf) {
    int64_t days, rem;
    sl__local_day(us, 0, &days, &rem);
    size_t n = sl__fmt_date((int32_t)days, buf);
    int64_t ms = rem / 1000;
    n += (size_t)sprintf(buf + n, "T%02d:%02d:%02d.%03dZ", (int)(ms / 3600000),
                         (int)(ms / 60000 % 60), (int)(ms / 1000 % 60), (int)(ms % 1000));
    return n;
}

/* ---- parsing ------------------------------------------------------------ */

static void trim(const char **s, size_t *n) {
    while (*n && isspace((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

bool sl__parse_i64(const char *s, size_t n, int64_t *out) {
    trim(&s, &n);
    if (!n) return false;
    size_t i = 0;
    bool neg = false;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i++;
    }
    if (i == n) return false;
    uint64_t v = 0;
    size_t digits = 0;
    for (; i < n && isdigit((unsigned char)s[i]); i++, digits++) {
        uint64_t nv = v * 10 + (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - 9) / 10 || nv > (uint64_t)INT64_MAX + 1) return false;
        v = nv;
    }
    if (i < n && s[i] == '.') {
        /* Spark truncates a fractional part: "1.9" -> 1 */
        i++;
        size_t fd = 0;
        for (; i < n && isdigit((unsigned char)s[i]); i++) fd++;
        if (!digits && !fd) return false;
    } else if (!digits) {
        return false;
    }
    if (i != n) return false;
    if (!neg && v > (uint64_t)INT64_MAX) return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

bool sl__parse_f64(const char *s, size_t n, double *out) {
    trim(&s, &n);
    if (!n || n > 400) return false;
    char buf[408];
    memcpy(buf, s, n);
    buf[n] = 0;
    const char *p = buf;
    bool neg = false;
    if (*p == '+' || *p == '-') {
        neg = *p == '-';
        p++;
    }
    if (strcasecmp(p, "nan") == 0) {
        *out = NAN;
        return true;
    }
    if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0) {
        *out = neg ? -INFINITY : INFINITY;
        return true;
    }
    /* reject what strtod accepts but Java does not: hex floats, "nan(...)" */
    for (const char *q = p; *q; q++)
        if (!(isdigit((unsigned char)*q) || *q == '.' || *q == 'e' || *q == 'E' || *q == '+' ||
              *q == '-' || *q == 'd' || *q == 'D' || *q == 'f' || *q == 'F'))
            return false;
    /* Java allows a trailing d/D/f/F type suffix */
    size_t l = strlen(buf);
    if (l && strchr("dDfF", buf[l - 1])) buf[--l] = 0;
    char *end;
    double v = strtod(buf, &end);
    if (end == buf || *end) return false;
    *out = v;
    return true;
}

bool sl__parse_bool(const char *s, size_t n, bool *out) {
    trim(&s, &n);
    static const char *const t[] = {"t", "true", "y", "yes", "1"};
    static const char *const f[] = {"f", "false", "n", "no", "0"};
    for (size_t i = 0; i < 5; i++) {
        if (strlen(t[i]) == n && strncasecmp(s, t[i], n) == 0) {
            *out = true;
            return true;
        }
        if (strlen(f[i]) == n && strncasecmp(s, f[i], n) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* up to max digits; returns count read */
static int read_digits(const char *s, size_t n, size_t *i, int max, int64_t *v) {
    int c = 0;
    *v = 0;
    while (*i < n && c < max && isdigit((unsigned char)s[*i])) {
        *v = *v * 10 + (s[*i] - '0');
        (*i)++;
        c++;
    }
    return c;
}

static bool valid_ymd(int64_t y, int64_t m, int64_t d) {
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return false;
    if (m == 2 && d == 29) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (!leap) return false;
    }
    return true;
}

/* yyyy[-[m]m[-[d]d]] at s[*i]; */
static bool parse_ymd(const char *s, size_t n, size_t *i, int64_t *days) {
    int64_t y, m = 1, d = 1;
    bool neg = false;
    if (*i < n && (s[*i] == '-' || s[*i] == '+')) {
        neg = s[*i] == '-';
        (*i)++;
    }
    int yd = read_digits(s, n, i, 7, &y);
    if (yd < 4 || y > 294000) return false; /* beyond that, microseconds overflow int64 */
    if (neg) y = -y;
    if (*i < n && s[*i] == '-') {
        (*i)++;
        if (read_digits(s, n, i, 2, &m) < 1) return false;
        if (*i < n && s[*i] == '-') {
            (*i)++;
            if (read_digits(s, n, i, 2, &d) < 1) return false;
        }
    }
    if (!valid_ymd(y, m, d)) return false;
    *days = sl__days_from_civil(y, (unsigned)m, (unsigned)d);
    return true;
}

bool sl__parse_zone_offset(const char *s, size_t n, int64_t *out) {
    trim(&s, &n);
    if (!n) return false;
    size_t i = 0;
    if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
        *out = 0;
        return true;
    }
    if (n >= 3 && (strncasecmp(s, "UTC", 3) == 0 || strncasecmp(s, "GMT", 3) == 0))
        i = 3;
    else if (n >= 2 && strncasecmp(s, "UT", 2) == 0)
        i = 2;
    if (i == n) {
        *out = 0;
        return true;
    }
    if (s[i] != '+' && s[i] != '-') return false;
    bool neg = s[i] == '-';
    i++;
    int64_t h, m = 0, sec = 0;
    int hd = read_digits(s, n, &i, 2, &h);
    if (hd < 1) return false;
    if (i < n && s[i] == ':') {
        i++;
        if (read_digits(s, n, &i, 2, &m) != 2) return false;
        if (i < n && s[i] == ':') {
            i++;
            if (read_digits(s, n, &i, 2, &sec) != 2) return false;
        }
    } else if (hd == 2 && n - i == 2) {
        if (read_digits(s, n, &i, 2, &m) != 2) return false; /* +0530 */
    }
    if (i != n || h > 18 || m > 59 || sec > 59) return false;
    int64_t off = ((h * 60 + m) * 60 + sec) * 1000000;
    *out = neg ? -off : off;
    return true;
}

bool sl__parse_timestamp(const char *s, size_t n, int64_t default_offset_us, int64_t *out) {
    trim(&s, &n);
    size_t i = 0;
    int64_t days;
    if (!parse_ymd(s, n, &i, &days)) return false;
    int64_t h = 0, mi = 0, sec = 0, frac = 0;
    if (i < n && (s[i] == ' ' || s[i] == 'T')) {
        i++;
        if (i < n && isdigit((unsigned char)s[i])) {
            if (read_digits(s, n, &i, 2, &h) < 1) return false;
            if (i >= n || s[i] != ':') return false;
            i++;
            if (read_digits(s, n, &i, 2, &mi) < 1) return false;
            if (i < n && s[i] == ':') {
                i++;
                if (read_digits(s, n, &i, 2, &sec) < 1) return false;
                if (i < n && s[i] == '.') {
                    i++;
                    int fd = 0;
                    while (i < n && isdigit((unsigned char)s[i])) {
                        if (fd < 6) {
                            frac = frac * 10 + (s[i] - '0');
                            fd++;
                        }
                        i++;
                    }
                    while (fd < 6) {
                        frac *= 10;
                        fd++;
                    }
                }
            }
        }
    }
    if (h > 23 || mi > 59 || sec > 59) return false;
    int64_t off = default_offset_us;
    if (i < n) {
        size_t zs = i;
        while (zs < n && s[zs] == ' ') zs++;
        if (!sl__parse_zone_offset(s + zs, n - zs, &off)) return false;
    }
    *out = days * 86400000000LL + ((h * 60 + mi) * 60 + sec) * 1000000 + frac - off;
    return true;
}

bool sl__parse_date(const char *s, size_t n, int32_t *out) {
    trim(&s, &n);
    size_t i = 0;
    int64_t days;
    if (!parse_ymd(s, n, &i, &days)) return false;
    /* a time part after a space or 'T' is allowed and ignored */
    if (i < n && s[i] != ' ' && s[i] != 'T') return false;
    *out = (int32_t)days;
    return true;
}

/* ---- decimal rounding ---------------------------------------------------------- */

/*
 * Rounds x to d decimals, half up (away from zero) or half to even, through
 * its shortest decimal text, as Spark does (Scala's BigDecimal(double) reads
 * the double's shortest text): round(2.675, 2) is 2.68 although the binary
 * value is slightly below 2.675.
 */
double sl__round_decimal(double x, int64_t d, bool even) {
    if (!isfinite(x) || x == 0) return x;
    if (d > 300) return x;
    char tmp[40];
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
        if (strtod(tmp, NULL) == x) break;
    }
    bool neg = tmp[0] == '-';
    char digits[24];
    int nd = 0;
    const char *p = tmp + neg;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[nd++] = *p;
    int exp10 = atoi(p + 1);
    /* value = 0.d1d2d3... * 10^(exp10+1); keep digits up to position d after the point */
    int keep = exp10 + 1 + (int)d; /* number of leading digits kept */
    if (keep >= nd) return x;      /* nothing to round */
    if (keep < 0) return neg ? -0.0 : 0.0;
    int next = digits[keep] - '0';
    bool rest_nonzero = false;
    for (int i = keep + 1; i < nd; i++)
        if (digits[i] != '0') rest_nonzero = true;
    bool up;
    if (even) {
        int prev = keep > 0 ? digits[keep - 1] - '0' : 0;
        up = next > 5 || (next == 5 && (rest_nonzero || (prev & 1)));
    } else {
        up = next >= 5;
    }
    /* build the kept integer mantissa, then scale */
    char m[32];
    int ml = 0;
    m[ml++] = '0';
    for (int i = 0; i < keep; i++) m[ml++] = digits[i];
    if (up) {
        int i = ml - 1;
        while (i >= 0) {
            if (m[i] == '9') {
                m[i] = '0';
                i--;
            } else {
                m[i]++;
                break;
            }
        }
    }
    m[ml] = 0;
    char out[64];
    snprintf(out, sizeof out, "%s%se%d", neg ? "-" : "", m, exp10 + 1 - keep);
    return strtod(out, NULL);
}
