/*
 * interval.c — parsing and printing of durations (interval.h).
 */
#include "types/interval.h"
#include <ctype.h>
#include <strings.h>

int64_t sl__interval_unit(const char *u, size_t n) {
    static const struct {
        const char *name;
        int64_t us;
    } units[] = {
        {"microsecond", 1},
        {"microseconds", 1},
        {"us", 1},
        {"millisecond", 1000},
        {"milliseconds", 1000},
        {"ms", 1000},
        {"second", 1000000},
        {"seconds", 1000000},
        {"sec", 1000000},
        {"secs", 1000000},
        {"s", 1000000},
        {"minute", 60000000},
        {"minutes", 60000000},
        {"min", 60000000},
        {"mins", 60000000},
        {"hour", 3600000000LL},
        {"hours", 3600000000LL},
        {"h", 3600000000LL},
        {"day", 86400000000LL},
        {"days", 86400000000LL},
        {"d", 86400000000LL},
        {"week", 604800000000LL},
        {"weeks", 604800000000LL},
        {"month", -1},
        {"months", -1},
        {"year", -1},
        {"years", -1},
    };
    for (size_t i = 0; i < SL_ARRAY_LEN(units); i++)
        if (strlen(units[i].name) == n && strncasecmp(units[i].name, u, n) == 0) return units[i].us;
    return 0;
}

bool sl__interval_parse(const char *s, size_t len, int64_t *us, sl__err *err) {
    size_t i = 0;
    double total = 0;
    int parts = 0;
    while (i < len && isspace((unsigned char)s[i])) i++;
    if (len - i >= 8 && strncasecmp(s + i, "interval", 8) == 0 &&
        (len - i == 8 || isspace((unsigned char)s[i + 8]))) {
        i += 8;
    }
    for (;;) {
        while (i < len && isspace((unsigned char)s[i])) i++;
        if (i >= len) break;
        size_t nb = i;
        if (s[i] == '-' || s[i] == '+') i++;
        while (i < len && (isdigit((unsigned char)s[i]) || s[i] == '.')) i++;
        if (nb == i || (i - nb == 1 && !isdigit((unsigned char)s[nb]) && s[nb] != '.')) {
            sl__err_set(err, SL_ERR_ANALYSIS, -1,
                        "'%.*s' is not a duration (expected e.g. '10 seconds')", (int)len, s);
            return false;
        }
        char num[64];
        size_t nl = SL_MIN(i - nb, sizeof num - 1);
        memcpy(num, s + nb, nl);
        num[nl] = 0;
        char *endp;
        double v = strtod(num, &endp);
        if (*endp) {
            sl__err_set(err, SL_ERR_ANALYSIS, -1, "bad number '%s' in duration '%.*s'", num,
                        (int)len, s);
            return false;
        }
        while (i < len && isspace((unsigned char)s[i])) i++;
        size_t ub = i;
        while (i < len && isalpha((unsigned char)s[i])) i++;
        int64_t unit = sl__interval_unit(s + ub, i - ub);
        if (unit == 0) {
            sl__err_set(err, SL_ERR_ANALYSIS, -1,
                        "'%.*s' is not a duration: unknown unit '%.*s' (use microseconds, "
                        "milliseconds, seconds, minutes, hours, days or weeks)",
                        (int)len, s, (int)(i - ub), s + ub);
            return false;
        }
        if (unit < 0) {
            sl__err_set(err, SL_ERR_UNSUPPORTED, -1,
                        "'%.*s': month and year durations have no fixed length and are not "
                        "supported here",
                        (int)len, s);
            return false;
        }
        total += v * (double)unit;
        parts++;
    }
    if (!parts) {
        sl__err_set(err, SL_ERR_ANALYSIS, -1, "empty duration");
        return false;
    }
    *us = (int64_t)(total + (total < 0 ? -0.5 : 0.5));
    return true;
}

void sl__interval_format(int64_t us, sl__buf *out) {
    bool neg = us < 0;
    uint64_t u = neg ? (uint64_t)(-(us + 1)) + 1 : (uint64_t)us;
    uint64_t days = u / 86400000000ULL;
    u %= 86400000000ULL;
    uint64_t h = u / 3600000000ULL;
    u %= 3600000000ULL;
    uint64_t m = u / 60000000ULL;
    u %= 60000000ULL;
    uint64_t sec = u / 1000000ULL, frac = u % 1000000ULL;
    sl__buf_printf(out, "INTERVAL '%s%llu %02llu:%02llu:%02llu", neg ? "-" : "",
                   (unsigned long long)days, (unsigned long long)h, (unsigned long long)m,
                   (unsigned long long)sec);
    if (frac) {
        char f[8];
        snprintf(f, sizeof f, "%06llu", (unsigned long long)frac);
        int l = 6;
        while (l > 0 && f[l - 1] == '0') f[--l] = 0;
        sl__buf_printf(out, ".%s", f);
    }
    sl__buf_puts(out, "' DAY TO SECOND");
}
