/*
 * json_write.c — the JSON writer of json.h: what Spark's to_json and JSON
 * sinks write (Jackson's generator with Spark's defaults).
 *
 * - STRUCT -> object with the type's field names; NULL fields omitted
 *   (ignoreNullFields = true); ARRAY -> array, NULL elements as null.
 * - Strings escaped as Jackson does: \" \\ \b \f \n \r \t, other control
 *   bytes as \u00XX (upper-case hex); '/', DEL and non-ASCII bytes as is.
 * - DOUBLE in Java's Double.toString form; NaN and the infinities as the
 *   quoted strings "NaN", "Infinity", "-Infinity" (Jackson's
 *   QUOTE_NON_NUMERIC_NUMBERS).
 * - TIMESTAMP as "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" in the session zone
 *   ("2024-01-01T12:00:00.000Z" in UTC, "...+02:00" elsewhere); DATE as
 *   "yyyy-MM-dd"; INTERVAL as its quoted INTERVAL '...' text.
 */
#include "format/json.h"
#include "types/interval.h"
#include "types/text.h"
#include "types/tz.h"
#include <math.h>

void sl__json_write_string(const char *s, size_t n, sl__buf *out) {
    static const char hex[] = "0123456789ABCDEF";
    sl__buf_reserve(out, n + 2);
    sl__buf_putc(out, '"');
    size_t seg = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        sl__buf_append(out, s + seg, i - seg);
        seg = i + 1;
        char e[6] = {'\\', 0};
        size_t en = 2;
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        case '\t': e[1] = 't'; break;
        default:
            e[1] = 'u';
            e[2] = '0';
            e[3] = '0';
            e[4] = hex[c >> 4];
            e[5] = hex[c & 15];
            en = 6;
        }
        sl__buf_append(out, e, en);
    }
    sl__buf_append(out, s + seg, n - seg);
    sl__buf_putc(out, '"');
}

size_t sl__json_fmt_timestamp(int64_t us, int64_t tz, char *buf) {
    int64_t days, ms;
    sl__local_day(us, tz, &days, &ms);
    ms /= 1000;
    size_t n = sl__fmt_date((int32_t)days, buf);
    n += (size_t)snprintf(buf + n, 48, "T%02d:%02d:%02d.%03d", (int)(ms / 3600000),
                          (int)(ms / 60000 % 60), (int)(ms / 1000 % 60), (int)(ms % 1000));
    if (tz == 0) {
        buf[n++] = 'Z';
        buf[n] = 0;
    } else {
        int64_t a = tz < 0 ? -tz : tz;
        int64_t secs = a / 1000000;
        n += (size_t)snprintf(buf + n, 16, "%c%02d:%02d", tz < 0 ? '-' : '+', (int)(secs / 3600),
                              (int)(secs / 60 % 60));
        if (secs % 60) n += (size_t)snprintf(buf + n, 8, ":%02d", (int)(secs % 60));
    }
    return n;
}

static void write_value(const sl__vec *v, uint32_t row, const sl__tz *zone, int64_t tz_offset_us,
                        sl__buf *out) {
    row = sl__vec_idx(v, row);
    if (!sl__vec_valid(v, row)) {
        sl__buf_puts(out, "null");
        return;
    }
    char tmp[48];
    switch (v->type->id) {
    case SL_TYPE_NULL: sl__buf_puts(out, "null"); break;
    case SL_TYPE_BOOLEAN: sl__buf_puts(out, SL_VEC_DATA(v, uint8_t)[row] ? "true" : "false"); break;
    case SL_TYPE_SMALLINT: sl__buf_printf(out, "%d", SL_VEC_DATA(v, int16_t)[row]); break;
    case SL_TYPE_INT: sl__buf_printf(out, "%d", SL_VEC_DATA(v, int32_t)[row]); break;
    case SL_TYPE_BIGINT:
        sl__buf_printf(out, "%lld", (long long)SL_VEC_DATA(v, int64_t)[row]);
        break;
    case SL_TYPE_DOUBLE: {
        double d = SL_VEC_DATA(v, double)[row];
        size_t n = sl__fmt_double(d, tmp);
        if (!isfinite(d))
            sl__json_write_string(tmp, n, out);
        else
            sl__buf_append(out, tmp, n);
        break;
    }
    case SL_TYPE_STRING: {
        sl__str s = SL_VEC_DATA(v, sl__str)[row];
        sl__json_write_string(s.ptr, s.len, out);
        break;
    }
    case SL_TYPE_TIMESTAMP: {
        char b[80];
        int64_t us = SL_VEC_DATA(v, int64_t)[row];
        size_t n = sl__json_fmt_timestamp(us, zone ? sl__tz_offset_utc(zone, us) : tz_offset_us, b);
        sl__json_write_string(b, n, out);
        break;
    }
    case SL_TYPE_DATE: {
        size_t n = sl__fmt_date(SL_VEC_DATA(v, int32_t)[row], tmp);
        sl__json_write_string(tmp, n, out);
        break;
    }
    case SL_TYPE_INTERVAL: {
        sl__buf t = SL_BUF_INIT;
        sl__interval_format(SL_VEC_DATA(v, int64_t)[row], &t);
        sl__json_write_string(sl__buf_str(&t), t.len, out);
        sl__buf_free(&t);
        break;
    }
    case SL_TYPE_ARRAY: {
        sl__list l = SL_VEC_DATA(v, sl__list)[row];
        sl__buf_putc(out, '[');
        for (uint32_t i = 0; i < l.len; i++) {
            if (i) sl__buf_putc(out, ',');
            write_value(v->child[0], l.off + i, zone, tz_offset_us, out);
        }
        sl__buf_putc(out, ']');
        break;
    }
    case SL_TYPE_STRUCT: {
        sl__buf_putc(out, '{');
        bool first = true;
        for (uint32_t i = 0; i < v->n_child; i++) {
            const sl__vec *c = v->child[i];
            if (!sl__vec_valid(c, sl__vec_idx(c, row))) continue;
            if (!first) sl__buf_putc(out, ',');
            first = false;
            const char *name = v->type->names[i];
            sl__json_write_string(name, strlen(name), out);
            sl__buf_putc(out, ':');
            write_value(c, row, zone, tz_offset_us, out);
        }
        sl__buf_putc(out, '}');
        break;
    }
    default: sl__buf_puts(out, "null");
    }
}

void sl__json_write_value(const sl__vec *v, uint32_t row, int64_t tz_offset_us, sl__buf *out) {
    write_value(v, row, NULL, tz_offset_us, out);
}

void sl__json_write_value_zone(const sl__vec *v, uint32_t row, const sl__tz *zone, sl__buf *out) {
    write_value(v, row, zone, 0, out);
}
