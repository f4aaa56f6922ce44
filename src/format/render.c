/*
 * render.c — text renderings of rows (render.h). The table mode is Spark's
 * Dataset.show(): cells are converted to text (NULL as "NULL"), control
 * characters escaped, cut to `truncate` characters ("..." marking the cut),
 * padded to the column width (at least 3), right-aligned when truncating and
 * left-aligned with truncate = 0, and a footer "only showing top N rows"
 * when rows were left out.
 */
#include "format/render.h"
#include "format/valtext.h"
#include "types/text.h"

/* ---- widths ---------------------------------------------------------------- */

static uint32_t next_cp(const char *s, size_t n, size_t *i) {
    unsigned char c = (unsigned char)s[*i];
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
        cp = c;
        len = 1;
    } else if ((c >> 5) == 6 && *i + 1 < n) {
        cp = ((uint32_t)(c & 0x1f) << 6) | (s[*i + 1] & 0x3f);
        len = 2;
    } else if ((c >> 4) == 14 && *i + 2 < n) {
        cp =
            ((uint32_t)(c & 0x0f) << 12) | ((uint32_t)(s[*i + 1] & 0x3f) << 6) | (s[*i + 2] & 0x3f);
        len = 3;
    } else if ((c >> 3) == 30 && *i + 3 < n) {
        cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[*i + 1] & 0x3f) << 12) |
             ((uint32_t)(s[*i + 2] & 0x3f) << 6) | (s[*i + 3] & 0x3f);
        len = 4;
    } else {
        cp = 0xFFFD;
        len = 1;
    }
    *i += len;
    return cp;
}

/* East Asian full-width ranges, as Spark's show() counts them */
static bool is_wide(uint32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t sl__text_width(const char *s, size_t n) {
    size_t w = 0, i = 0;
    while (i < n) w += is_wide(next_cp(s, n, &i)) ? 2 : 1;
    return w;
}

static size_t count_cps(const char *s, size_t n) {
    size_t c = 0, i = 0;
    while (i < n) {
        next_cp(s, n, &i);
        c++;
    }
    return c;
}

/* byte offset of the k-th code point */
static size_t cp_offset(const char *s, size_t n, size_t k) {
    size_t i = 0;
    while (k-- && i < n) next_cp(s, n, &i);
    return i;
}

/* ---- cells --------------------------------------------------------------- */

/* R53: escape control characters as two visible characters */
static void escape_controls(const char *s, size_t n, sl__buf *out) {
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        switch (c) {
        case '\n': sl__buf_puts(out, "\\n"); break;
        case '\r': sl__buf_puts(out, "\\r"); break;
        case '\t': sl__buf_puts(out, "\\t"); break;
        case '\f': sl__buf_puts(out, "\\f"); break;
        case '\b': sl__buf_puts(out, "\\b"); break;
        case '\v': sl__buf_puts(out, "\\v"); break;
        case '\a': sl__buf_puts(out, "\\a"); break;
        default: sl__buf_putc(out, c);
        }
    }
}

/* The show() text of a cell: escaped, then truncated (R54). */
static void cell_text(const sl__vec *v, uint32_t row, const struct sl__tz *tz, int32_t truncate,
                      sl__buf *tmp, sl__buf *out) {
    sl__text_opts o = {tz, "NULL"};
    sl__buf_clear(tmp);
    sl__value_text(v, row, &o, tmp);
    sl__buf_clear(out);
    escape_controls(sl__buf_str(tmp), tmp->len, out);
    if (truncate > 0) {
        size_t cps = count_cps(out->p ? out->p : "", out->len);
        if (cps > (size_t)truncate) {
            if (truncate < 4) {
                out->len = cp_offset(out->p, out->len, (size_t)truncate);
                out->p[out->len] = 0;
            } else {
                out->len = cp_offset(out->p, out->len, (size_t)truncate - 3);
                out->p[out->len] = 0;
                sl__buf_puts(out, "...");
            }
        }
    }
}

static void pad(sl__buf *line, const char *s, size_t len, size_t width, bool right) {
    size_t w = sl__text_width(s, len);
    size_t fill = width > w ? width - w : 0;
    if (right) sl__buf_fill(line, ' ', fill);
    sl__buf_append(line, s, len);
    if (!right) sl__buf_fill(line, ' ', fill);
}

void sl__render_show(const sl__render_src *src, int64_t num_rows, int32_t truncate, sl__buf *out) {
    uint32_t nc = src->schema->n_fields;
    uint64_t shown = num_rows < 0 ? src->rows : SL_MIN((uint64_t)num_rows, src->rows);
    /* texts of all shown cells, then widths */
    char **cells = sl__calloc((size_t)(shown * nc) + 1, sizeof *cells);
    size_t *lens = sl__calloc((size_t)(shown * nc) + 1, sizeof *lens);
    size_t *width = sl__calloc(nc ? nc : 1, sizeof *width);
    char **heads = sl__calloc(nc ? nc : 1, sizeof *heads);
    size_t *hlens = sl__calloc(nc ? nc : 1, sizeof *hlens);
    sl__buf tmp = SL_BUF_INIT, cell = SL_BUF_INIT;
    for (uint32_t c = 0; c < nc; c++) {
        sl__buf_clear(&cell);
        escape_controls(src->schema->names[c], strlen(src->schema->names[c]), &cell);
        hlens[c] = cell.len;
        heads[c] = sl__buf_take(&cell);
        width[c] = SL_MAX(3, sl__text_width(heads[c], hlens[c]));
    }
    for (uint64_t r = 0; r < shown; r++) {
        const sl__chunk *ch = &src->chunks[r / SL_VEC_SIZE];
        uint32_t row = (uint32_t)(r % SL_VEC_SIZE);
        for (uint32_t c = 0; c < nc; c++) {
            cell_text(ch->cols[c], row, src->tz, truncate, &tmp, &cell);
            size_t k = (size_t)(r * nc + c);
            lens[k] = cell.len;
            cells[k] = sl__buf_take(&cell);
            size_t w = sl__text_width(cells[k], lens[k]);
            if (w > width[c]) width[c] = w;
        }
    }
    bool right = truncate > 0;
    /* separator, header, separator, rows, separator (R56–R58) */
    sl__buf sep = SL_BUF_INIT;
    sl__buf_putc(&sep, '+');
    for (uint32_t c = 0; c < nc; c++) {
        sl__buf_fill(&sep, '-', width[c]);
        sl__buf_putc(&sep, '+');
    }
    sl__buf_putc(&sep, '\n');
    sl__buf_append(out, sep.p, sep.len);
    sl__buf_putc(out, '|');
    for (uint32_t c = 0; c < nc; c++) {
        pad(out, heads[c], hlens[c], width[c], right);
        sl__buf_putc(out, '|');
    }
    sl__buf_putc(out, '\n');
    sl__buf_append(out, sep.p, sep.len);
    for (uint64_t r = 0; r < shown; r++) {
        sl__buf_putc(out, '|');
        for (uint32_t c = 0; c < nc; c++) {
            size_t k = (size_t)(r * nc + c);
            pad(out, cells[k], lens[k], width[c], right);
            sl__buf_putc(out, '|');
        }
        sl__buf_putc(out, '\n');
    }
    sl__buf_append(out, sep.p, sep.len);
    if (num_rows >= 0 && src->rows > (uint64_t)num_rows)
        sl__buf_printf(out, "only showing top %lld row%s\n", (long long)num_rows,
                       num_rows == 1 ? "" : "s");
    for (size_t k = 0; k < (size_t)(shown * nc); k++) sl__free(cells[k]);
    for (uint32_t c = 0; c < nc; c++) sl__free(heads[c]);
    sl__free(cells);
    sl__free(lens);
    sl__free(width);
    sl__free(heads);
    sl__free(hlens);
    sl__buf_free(&tmp);
    sl__buf_free(&cell);
    sl__buf_free(&sep);
}

/* ---- csv / json / markdown / line ------------------------------------------ */

static void csv_field(const char *s, size_t n, sl__buf *out) {
    bool quote = false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = true;
    if (n && (s[0] == ' ' || s[n - 1] == ' ')) quote = true;
    if (!quote) {
        sl__buf_append(out, s, n);
        return;
    }
    sl__buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') sl__buf_putc(out, '"');
        sl__buf_putc(out, s[i]);
    }
    sl__buf_putc(out, '"');
}

static void json_str(const char *s, size_t n, sl__buf *out) {
    sl__buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': sl__buf_puts(out, "\\\""); break;
        case '\\': sl__buf_puts(out, "\\\\"); break;
        case '\n': sl__buf_puts(out, "\\n"); break;
        case '\r': sl__buf_puts(out, "\\r"); break;
        case '\t': sl__buf_puts(out, "\\t"); break;
        case '\b': sl__buf_puts(out, "\\b"); break;
        case '\f': sl__buf_puts(out, "\\f"); break;
        default:
            if (c < 0x20)
                sl__buf_printf(out, "\\u%04x", c);
            else
                sl__buf_putc(out, (char)c);
        }
    }
    sl__buf_putc(out, '"');
}

/* A value as JSON for result output: NULL is null (kept, unlike to_json). */
static void json_value(const sl__vec *v, uint32_t row, const struct sl__tz *tz, sl__buf *out) {
    row = sl__vec_idx(v, row);
    if (!sl__vec_valid(v, row)) {
        sl__buf_puts(out, "null");
        return;
    }
    switch (v->type->id) {
    case SL_TYPE_NULL: sl__buf_puts(out, "null"); return;
    case SL_TYPE_BOOLEAN:
    case SL_TYPE_SMALLINT:
    case SL_TYPE_INT:
    case SL_TYPE_BIGINT: {
        sl__text_opts o = {tz, "null"};
        sl__value_text(v, row, &o, out);
        return;
    }
    case SL_TYPE_DOUBLE: {
        double d = SL_VEC_DATA(v, double)[row];
        char tmp[40];
        size_t n = sl__fmt_double(d, tmp);
        if (d != d || d - d != 0)
            json_str(tmp, n, out); /* NaN, Infinity */
        else
            sl__buf_append(out, tmp, n);
        return;
    }
    case SL_TYPE_STRUCT:
        sl__buf_putc(out, '{');
        for (uint32_t i = 0; i < v->n_child; i++) {
            if (i) sl__buf_putc(out, ',');
            json_str(v->type->names[i], strlen(v->type->names[i]), out);
            sl__buf_putc(out, ':');
            json_value(v->child[i], row, tz, out);
        }
        sl__buf_putc(out, '}');
        return;
    case SL_TYPE_ARRAY: {
        sl__list l = SL_VEC_DATA(v, sl__list)[row];
        sl__buf_putc(out, '[');
        for (uint32_t i = 0; i < l.len; i++) {
            if (i) sl__buf_putc(out, ',');
            json_value(v->child[0], l.off + i, tz, out);
        }
        sl__buf_putc(out, ']');
        return;
    }
    default: {
        sl__text_opts o = {tz, "null"};
        sl__buf t = SL_BUF_INIT;
        sl__value_text(v, row, &o, &t);
        json_str(sl__buf_str(&t), t.len, out);
        sl__buf_free(&t);
    }
    }
}

static void md_cell(const char *s, size_t n, sl__buf *out) {
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '|')
            sl__buf_puts(out, "\\|");
        else if (s[i] == '\n')
            sl__buf_puts(out, "<br>");
        else
            sl__buf_putc(out, s[i]);
    }
}

bool sl__render(const sl__render_src *src, const sl__render_opts *o, sl__emit_fn emit, void *ud) {
    sl__buf out = SL_BUF_INIT, tmp = SL_BUF_INIT;
    uint32_t nc = src->schema->n_fields;
    bool ok = true;
#define FLUSH()                                                                                    \
    do {                                                                                           \
        if (out.len && emit(ud, out.p, out.len)) ok = false;                                       \
        sl__buf_clear(&out);                                                                       \
    } while (0)
    if (o->mode == 0) {
        sl__render_show(src, o->max_rows, o->truncate, &out);
        FLUSH();
        sl__buf_free(&out);
        return ok;
    }
    sl__text_opts to = {src->tz, "NULL"};
    if (o->mode == 1 && o->header) {
        for (uint32_t c = 0; c < nc; c++) {
            if (c) sl__buf_putc(&out, ',');
            csv_field(src->schema->names[c], strlen(src->schema->names[c]), &out);
        }
        sl__buf_puts(&out, "\r\n");
    }
    if (o->mode == 4) {
        sl__buf_putc(&out, '|');
        for (uint32_t c = 0; c < nc; c++) {
            md_cell(src->schema->names[c], strlen(src->schema->names[c]), &out);
            sl__buf_putc(&out, '|');
        }
        sl__buf_puts(&out, "\n|");
        for (uint32_t c = 0; c < nc; c++) sl__buf_puts(&out, "---|");
        sl__buf_putc(&out, '\n');
    }
    size_t name_w = 0;
    for (uint32_t c = 0; c < nc; c++)
        name_w =
            SL_MAX(name_w, sl__text_width(src->schema->names[c], strlen(src->schema->names[c])));
    if (o->mode == 2) sl__buf_putc(&out, '[');
    for (uint64_t r = 0; r < src->rows && ok; r++) {
        const sl__chunk *ch = &src->chunks[r / SL_VEC_SIZE];
        uint32_t row = (uint32_t)(r % SL_VEC_SIZE);
        switch (o->mode) {
        case 1:
            for (uint32_t c = 0; c < nc; c++) {
                if (c) sl__buf_putc(&out, ',');
                if (!sl__vec_valid(ch->cols[c], sl__vec_idx(ch->cols[c], row))) continue;
                sl__buf_clear(&tmp);
                sl__text_opts co = {src->tz, ""};
                sl__value_text(ch->cols[c], row, &co, &tmp);
                csv_field(sl__buf_str(&tmp), tmp.len, &out);
            }
            sl__buf_puts(&out, "\r\n");
            break;
        case 2:
        case 3:
            if (o->mode == 2 && r) sl__buf_puts(&out, ",\n");
            sl__buf_putc(&out, '{');
            for (uint32_t c = 0; c < nc; c++) {
                if (c) sl__buf_putc(&out, ',');
                json_str(src->schema->names[c], strlen(src->schema->names[c]), &out);
                sl__buf_putc(&out, ':');
                json_value(ch->cols[c], row, src->tz, &out);
            }
            sl__buf_putc(&out, '}');
            if (o->mode == 3) sl__buf_putc(&out, '\n');
            break;
        case 4:
            sl__buf_putc(&out, '|');
            for (uint32_t c = 0; c < nc; c++) {
                sl__buf_clear(&tmp);
                sl__value_text(ch->cols[c], row, &to, &tmp);
                md_cell(sl__buf_str(&tmp), tmp.len, &out);
                sl__buf_putc(&out, '|');
            }
            sl__buf_putc(&out, '\n');
            break;
        default:
            if (r) sl__buf_putc(&out, '\n');
            for (uint32_t c = 0; c < nc; c++) {
                size_t w = sl__text_width(src->schema->names[c], strlen(src->schema->names[c]));
                sl__buf_fill(&out, ' ', name_w - w);
                sl__buf_printf(&out, "%s = ", src->schema->names[c]);
                sl__buf_clear(&tmp);
                sl__value_text(ch->cols[c], row, &to, &tmp);
                sl__buf_append(&out, sl__buf_str(&tmp), tmp.len);
                sl__buf_putc(&out, '\n');
            }
        }
        if (out.len > 65536) FLUSH();
    }
    if (o->mode == 2) sl__buf_puts(&out, "]\n");
    FLUSH();
#undef FLUSH
    sl__buf_free(&out);
    sl__buf_free(&tmp);
    return ok;
}
