/*
 * valtext.c — rendering one value as text (valtext.h).
 */
#include "format/valtext.h"
#include "types/interval.h"
#include "types/text.h"
#include "types/tz.h"

void sl__value_text(const sl__vec *v, uint32_t row, const sl__text_opts *o, sl__buf *out) {
    row = sl__vec_idx(v, row);
    if (!sl__vec_valid(v, row)) {
        sl__buf_puts(out, o->null_text);
        return;
    }
    char tmp[48];
    switch (v->type->id) {
    case SL_TYPE_NULL: sl__buf_puts(out, o->null_text); break;
    case SL_TYPE_BOOLEAN: sl__buf_puts(out, SL_VEC_DATA(v, uint8_t)[row] ? "true" : "false"); break;
    case SL_TYPE_SMALLINT: sl__buf_printf(out, "%d", SL_VEC_DATA(v, int16_t)[row]); break;
    case SL_TYPE_INT: sl__buf_printf(out, "%d", SL_VEC_DATA(v, int32_t)[row]); break;
    case SL_TYPE_BIGINT:
        sl__buf_printf(out, "%lld", (long long)SL_VEC_DATA(v, int64_t)[row]);
        break;
    case SL_TYPE_DOUBLE:
        sl__buf_append(out, tmp, sl__fmt_double(SL_VEC_DATA(v, double)[row], tmp));
        break;
    case SL_TYPE_STRING: {
        sl__str s = SL_VEC_DATA(v, sl__str)[row];
        sl__buf_append(out, s.ptr, s.len);
        break;
    }
    case SL_TYPE_TIMESTAMP:
        sl__buf_append(
            out, tmp,
            sl__fmt_timestamp(SL_VEC_DATA(v, int64_t)[row],
                              o->tz ? sl__tz_offset_utc(o->tz, SL_VEC_DATA(v, int64_t)[row]) : 0,
                              tmp));
        break;
    case SL_TYPE_DATE:
        sl__buf_append(out, tmp, sl__fmt_date(SL_VEC_DATA(v, int32_t)[row], tmp));
        break;
    case SL_TYPE_INTERVAL: sl__interval_format(SL_VEC_DATA(v, int64_t)[row], out); break;
    case SL_TYPE_ARRAY: {
        sl__list l = SL_VEC_DATA(v, sl__list)[row];
        sl__buf_putc(out, '[');
        for (uint32_t i = 0; i < l.len; i++) {
            if (i) sl__buf_puts(out, ", ");
            sl__value_text(v->child[0], l.off + i, o, out);
        }
        sl__buf_putc(out, ']');
        break;
    }
    case SL_TYPE_STRUCT:
        sl__buf_putc(out, '{');
        for (uint32_t i = 0; i < v->n_child; i++) {
            if (i) sl__buf_puts(out, ", ");
            sl__value_text(v->child[i], row, o, out);
        }
        sl__buf_putc(out, '}');
        break;
    }
}
