/*
 * csv_write.c — the CSV writer of csv.h: fields, records and headers the
 * way Spark's CSV sink writes them (univocity with Spark's write options),
 * plus an RFC 4180 preset for the shell.
 *
 * Spark's write defaults, followed here: a value is quoted when it
 * contains the separator, the quote character or a line break; a quote
 * inside a quoted value is preceded by the escape character ('\'), and so
 * is an escape character before a quote, an escape or the closing quote
 * (univocity's charToEscapeQuoteEscaping), so the reader gets it back; leading
 * and trailing white space is dropped (ignoreLeading/TrailingWhiteSpace are
 * true for writing); NULL is written as nullValue (nothing) and the empty
 * string as "" so the two read back differently (R86).
 */
#include "format/csv.h"
#include "format/json.h"
#include "format/valtext.h"
#include "types/text.h"

void sl__csv_wopts_init(sl__csv_wopts *o) {
    o->sep = ",";
    o->quote = '"';
    o->escape = '\\';
    o->null_value = "";
    o->empty_value = "\"\"";
    o->quote_all = false;
    o->trim = true;
    o->tz_offset_us = 0;
}

void sl__csv_wopts_rfc4180(sl__csv_wopts *o) {
    sl__csv_wopts_init(o);
    o->escape = '"';
    o->trim = false;
}

static inline bool ws(char c) {
    return (unsigned char)c <= ' ';
}

void sl__csv_write_field(const char *s, size_t n, const sl__csv_wopts *o, sl__buf *out) {
    if (o->trim) {
        while (n && ws(*s)) s++, n--;
        while (n && ws(s[n - 1])) n--;
    }
    if (n == 0) {
        sl__buf_puts(out, o->empty_value);
        return;
    }
    size_t sl = strlen(o->sep);
    bool quote = o->quote_all || (!o->trim && (ws(s[0]) || ws(s[n - 1])));
    for (size_t i = 0; i < n && !quote; i++) {
        char c = s[i];
        if (c == o->quote || c == '\n' || c == '\r' ||
            (sl && c == o->sep[0] && n - i >= sl && memcmp(s + i, o->sep, sl) == 0))
            quote = true;
    }
    if (!quote) {
        sl__buf_append(out, s, n);
        return;
    }
    sl__buf_reserve(out, n + 2);
    sl__buf_putc(out, o->quote);
    size_t seg = 0;
    for (size_t i = 0; i < n; i++) {
        /* a quote gets the escape before it; so does an escape that the
         * reader would otherwise pair with what follows (a quote, another
         * escape, or the closing quote) */
        bool esc =
            s[i] == o->quote || (o->escape != o->quote && s[i] == o->escape &&
                                 (i + 1 == n || s[i + 1] == o->quote || s[i + 1] == o->escape));
        if (!esc) continue;
        sl__buf_append(out, s + seg, i - seg);
        sl__buf_putc(out, o->escape);
        seg = i;
    }
    sl__buf_append(out, s + seg, n - seg);
    sl__buf_putc(out, o->quote);
}

void sl__csv_write_value(const sl__vec *v, uint32_t row, const sl__csv_wopts *o, sl__buf *out) {
    row = sl__vec_idx(v, row);
    if (!sl__vec_valid(v, row)) {
        sl__buf_puts(out, o->null_value);
        return;
    }
    char tmp[80];
    size_t n;
    switch (v->type->id) {
    case SL_TYPE_STRING: {
        sl__str s = SL_VEC_DATA(v, sl__str)[row];
        sl__csv_write_field(s.ptr, s.len, o, out);
        return;
    }
    case SL_TYPE_TIMESTAMP:
        n = sl__json_fmt_timestamp(SL_VEC_DATA(v, int64_t)[row], o->tz_offset_us, tmp);
        sl__buf_append(out, tmp, n);
        return;
    case SL_TYPE_STRUCT:
    case SL_TYPE_ARRAY:
    case SL_TYPE_INTERVAL: {
        sl__buf t = SL_BUF_INIT;
        sl__text_opts to = {NULL, "null"}; /* nested timestamps: UTC */
        sl__value_text(v, row, &to, &t);
        sl__csv_write_field(sl__buf_str(&t), t.len, o, out);
        sl__buf_free(&t);
        return;
    }
    default: {
        /* numbers, booleans, dates: never need quoting */
        sl__text_opts to = {NULL, ""};
        sl__value_text(v, row, &to, out);
        return;
    }
    }
}

void sl__csv_write_row(sl__vec *const *cols, uint32_t n_cols, uint32_t row, const sl__csv_wopts *o,
                       sl__buf *out) {
    for (uint32_t i = 0; i < n_cols; i++) {
        if (i) sl__buf_puts(out, o->sep);
        sl__csv_write_value(cols[i], row, o, out);
    }
    sl__buf_putc(out, '\n');
}

void sl__csv_write_header(const sl__type *schema, const sl__csv_wopts *o, sl__buf *out) {
    for (uint32_t i = 0; i < schema->n_fields; i++) {
        if (i) sl__buf_puts(out, o->sep);
        sl__csv_write_field(schema->names[i], strlen(schema->names[i]), o, out);
    }
    sl__buf_putc(out, '\n');
}
