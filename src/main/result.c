/*
 * result.c — sl_result: the rows a statement produced, owned by the result
 * (values were deep-copied when collected), read through typed getters or
 * rendered as text.
 */
#include "format/render.h"
#include "format/valtext.h"
#include "func/kernel.h"
#include "main/session.h"

sl_result *sl__result_new(const sl__type *schema, sl__chunk *chunks, uint32_t n_chunks,
                          uint64_t rows) {
    sl_result *r = sl__calloc(1, sizeof *r);
    r->schema = schema;
    r->chunks = chunks;
    r->n_chunks = n_chunks;
    r->rows = rows;
    return r;
}

void sl_result_destroy(sl_result **rp) {
    if (!rp || !*rp) return;
    sl_result *r = *rp;
    for (uint32_t i = 0; i < r->n_chunks; i++) sl__chunk_free(&r->chunks[i]);
    sl__free(r->chunks);
    sl__free(r);
    *rp = NULL;
}

size_t sl_result_column_count(const sl_result *r) {
    return r ? r->schema->n_fields : 0;
}

const char *sl_result_column_name(const sl_result *r, size_t col) {
    if (!r || col >= r->schema->n_fields) return NULL;
    return r->schema->names[col];
}

sl_type_id sl_result_column_type(const sl_result *r, size_t col) {
    if (!r || col >= r->schema->n_fields) return SL_TYPE_NULL;
    return r->schema->fields[col]->id;
}

const char *sl_result_column_type_name(const sl_result *r, size_t col) {
    if (!r || col >= r->schema->n_fields) return NULL;
    return r->schema->fields[col]->name;
}

uint64_t sl_result_row_count(const sl_result *r) {
    return r ? r->rows : 0;
}

uint64_t sl_result_bad_record_count(const sl_result *r) {
    return r ? r->bad_records : 0;
}

/* The vector and row of a cell, or NULL when out of range. */
static const sl__vec *cell(const sl_result *r, size_t col, uint64_t row, uint32_t *k) {
    if (!r || col >= r->schema->n_fields || row >= r->rows) return NULL;
    const sl__chunk *c = &r->chunks[row / SL_VEC_SIZE];
    *k = (uint32_t)(row % SL_VEC_SIZE);
    return c->cols[col];
}

bool sl_result_is_null(const sl_result *r, size_t col, uint64_t row) {
    uint32_t k;
    const sl__vec *v = cell(r, col, row, &k);
    return !v || !sl__vec_valid(v, k);
}

bool sl_result_bool(const sl_result *r, size_t col, uint64_t row) {
    uint32_t k;
    const sl__vec *v = cell(r, col, row, &k);
    if (!v || !sl__vec_valid(v, k)) return false;
    switch (v->type->id) {
    case SL_TYPE_BOOLEAN:
    case SL_TYPE_SMALLINT:
    case SL_TYPE_INT:
    case SL_TYPE_BIGINT: return sl__get_i64(v, k) != 0;
    case SL_TYPE_DOUBLE: return SL_VEC_DATA(v, double)[k] != 0;
    default: return false;
    }
}

int64_t sl_result_int64(const sl_result *r, size_t col, uint64_t row) {
    uint32_t k;
    const sl__vec *v = cell(r, col, row, &k);
    if (!v || !sl__vec_valid(v, k)) return 0;
    switch (v->type->id) {
    case SL_TYPE_BOOLEAN:
    case SL_TYPE_SMALLINT:
    case SL_TYPE_INT:
    case SL_TYPE_BIGINT:
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_DATE:
    case SL_TYPE_INTERVAL: return sl__get_i64(v, k);
    default: return 0;
    }
}

double sl_result_double(const sl_result *r, size_t col, uint64_t row) {
    uint32_t k;
    const sl__vec *v = cell(r, col, row, &k);
    if (!v || !sl__vec_valid(v, k)) return 0;
    switch (v->type->id) {
    case SL_TYPE_DOUBLE: return SL_VEC_DATA(v, double)[k];
    case SL_TYPE_BOOLEAN:
    case SL_TYPE_SMALLINT:
    case SL_TYPE_INT:
    case SL_TYPE_BIGINT: return (double)sl__get_i64(v, k);
    default: return 0;
    }
}

const char *sl_result_string(const sl_result *r, size_t col, uint64_t row, size_t *len) {
    uint32_t k;
    const sl__vec *v = cell(r, col, row, &k);
    if (!v || v->type->id != SL_TYPE_STRING || !sl__vec_valid(v, k)) return NULL;
    sl__str s = SL_VEC_DATA(v, sl__str)[k];
    if (len) *len = s.len;
    return s.ptr;
}

size_t sl_result_cell_text(const sl_result *r, size_t col, uint64_t row, char *buf, size_t cap) {
    uint32_t k;
    const sl__vec *v = cell(r, col, row, &k);
    sl__buf b = SL_BUF_INIT;
    if (v) {
        sl__text_opts o = {r->tz, "NULL"};
        sl__value_text(v, k, &o, &b);
    }
    size_t n = b.len;
    if (cap) {
        size_t c = SL_MIN(n, cap - 1);
        if (c) memcpy(buf, b.p, c);
        buf[c] = 0;
    }
    sl__buf_free(&b);
    return n;
}

void sl_render_options_init(sl_render_options *o) {
    o->mode = SL_RENDER_TABLE;
    o->max_rows = 20;
    o->truncate = 20;
    o->header = true;
}

typedef struct emit_ctx {
    sl_write_fn fn;
    void *ud;
} emit_ctx;

static int emit_cb(void *ud, const char *data, size_t len) {
    emit_ctx *e = ud;
    return e->fn(e->ud, data, len);
}

sl_status sl_result_render(const sl_result *r, const sl_render_options *opt, sl_write_fn fn,
                           void *ud) {
    if (!r || !fn) return SL_ERR_MISUSE;
    sl_render_options d;
    if (!opt) {
        sl_render_options_init(&d);
        opt = &d;
    }
    if ((int)opt->mode < SL_RENDER_TABLE || (int)opt->mode > SL_RENDER_LINE) return SL_ERR_MISUSE;
    sl__render_src src = {r->schema, r->chunks, r->n_chunks, r->rows, r->tz};
    sl__render_opts o = {(int)opt->mode, opt->max_rows, opt->truncate, opt->header};
    emit_ctx e = {fn, ud};
    return sl__render(&src, &o, emit_cb, &e) ? SL_OK : SL_ERR_IO;
}

static int to_buf(void *ud, const char *data, size_t len) {
    sl__buf_append(ud, data, len);
    return 0;
}

char *sl_result_render_string(const sl_result *r, const sl_render_options *opt) {
    sl__buf b = SL_BUF_INIT;
    if (sl_result_render(r, opt, to_buf, &b) != SL_OK) {
        sl__buf_free(&b);
        return NULL;
    }
    return sl__buf_take(&b);
}

/* ---- builder for small results ------------------------------------------ */

void sl__rb_init(sl__result_builder *b, uint32_t n, const char *const *names,
                 const sl__type *const *types) {
    memset(b, 0, sizeof *b);
    b->schema = sl__type_struct(n, names, types, NULL);
}

void sl__rb_row(sl__result_builder *b, const char *const *values) {
    if (b->rows % SL_VEC_SIZE == 0) {
        if (b->n_chunks == b->cap) {
            b->cap = b->cap ? b->cap * 2 : 2;
            b->chunks = sl__realloc(b->chunks, sizeof *b->chunks * b->cap);
        }
        sl__chunk_init(&b->chunks[b->n_chunks++], b->schema, SL_VEC_SIZE);
    }
    sl__chunk *c = &b->chunks[b->n_chunks - 1];
    uint32_t r = c->n;
    for (uint32_t i = 0; i < c->n_cols; i++) {
        sl__vec *v = c->cols[i];
        const char *x = values[i];
        if (!x) {
            sl__vec_set_null(v, r);
            continue;
        }
        switch (v->type->id) {
        case SL_TYPE_STRING: sl__vec_set_str_copy(v, r, x, strlen(x)); break;
        case SL_TYPE_BOOLEAN: SL_VEC_DATA(v, uint8_t)[r] = strcmp(x, "true") == 0; break;
        case SL_TYPE_DOUBLE: SL_VEC_DATA(v, double)[r] = strtod(x, NULL); break;
        default: sl__put_i64(v, r, strtoll(x, NULL, 10));
        }
    }
    c->n++;
    b->rows++;
}

sl_result *sl__rb_finish(sl__result_builder *b) {
    sl_result *r = sl__result_new(b->schema, b->chunks, b->n_chunks, b->rows);
    memset(b, 0, sizeof *b);
    return r;
}
