/*
 * agg.c — aggregate functions: count, sum, avg, min, max, first, last,
 * count/sum/avg DISTINCT, approx_count_distinct (HyperLogLog), stddev and
 * variance. Each has a fixed-size state per group and vectorised update
 * steps over a batch (func.h, sl__agg_ops). Semantics (R136, R137): NULL
 * inputs are ignored; an all-NULL (or empty) group gives NULL except for
 * count, which gives 0; sum of integers is BIGINT (wrapping), of doubles
 * DOUBLE; avg is DOUBLE; min/max keep the input type.
 *
 * States that own heap memory (string min/max, DISTINCT sets) release it in
 * `destroy` and report it in `heap_bytes`, so state size is measured.
 */
#include "func/kernel.h"
#include <math.h>
#include <strings.h>

#define UPDATE_LOOP(rows, i, r)                                                                    \
    for (uint32_t i = 0, r; i < (rows)->count && ((r = SL_ROW(rows, i)), 1); i++)

/* ---- count -------------------------------------------------------------- */

static void count_init(void *st) {
    *(int64_t *)st = 0;
}
static void count_star_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    for (uint32_t i = 0; i < rows->count; i++) ++*(int64_t *)states[i];
}
static void count_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    UPDATE_LOOP(rows, i, r) {
        if (sl__vec_valid(arg, sl__vec_idx(arg, r))) ++*(int64_t *)states[i];
    }
}
static void count_merge(void *dst, const void *src) {
    *(int64_t *)dst += *(const int64_t *)src;
}
static void count_final(const void *st, sl__vec *out, uint32_t row) {
    sl__vec_set_valid(out, row);
    SL_VEC_DATA(out, int64_t)[row] = *(const int64_t *)st;
}

static void count_star_one(void *st, const sl__vec *arg, const sl__rows *rows) {
    *(int64_t *)st += rows->count;
}
static void count_one(void *st, const sl__vec *arg, const sl__rows *rows) {
    if (sl__vec_no_nulls(arg, rows->sel, rows->count)) {
        *(int64_t *)st += rows->count;
        return;
    }
    int64_t n = 0;
    for (uint32_t i = 0; i < rows->count; i++)
        n += sl__vec_valid(arg, sl__vec_idx(arg, SL_ROW(rows, i)));
    *(int64_t *)st += n;
}

static const sl__agg_ops count_star_ops = {
    8, count_init, count_star_update, count_merge, count_final, NULL, NULL, count_star_one};
static const sl__agg_ops count_ops = {8,           count_init, count_update, count_merge,
                                      count_final, NULL,       NULL,         count_one};

/* ---- sum / avg ---------------------------------------------------------- */

typedef struct sum_i64 {
    int64_t sum;
    int64_t n;
} sum_i64;

typedef struct sum_f64 {
    double sum;
    int64_t n;
} sum_f64;

static void sum_init(void *st) {
    memset(st, 0, 16);
}

static void sum_i64_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    UPDATE_LOOP(rows, i, r) {
        uint32_t k = sl__vec_idx(arg, r);
        if (!sl__vec_valid(arg, k)) continue;
        sum_i64 *s = states[i];
        s->sum = (int64_t)((uint64_t)s->sum + (uint64_t)sl__get_i64(arg, k));
        s->n++;
    }
}
static void sum_i64_merge(void *dst, const void *src) {
    sum_i64 *d = dst;
    const sum_i64 *s = src;
    d->sum = (int64_t)((uint64_t)d->sum + (uint64_t)s->sum);
    d->n += s->n;
}
static void sum_i64_final(const void *st, sl__vec *out, uint32_t row) {
    const sum_i64 *s = st;
    if (!s->n) {
        sl__vec_set_null(out, row);
        return;
    }
    sl__vec_set_valid(out, row);
    SL_VEC_DATA(out, int64_t)[row] = s->sum;
}

static void sum_f64_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    const double *d = SL_VEC_DATA(arg, double);
    UPDATE_LOOP(rows, i, r) {
        uint32_t k = sl__vec_idx(arg, r);
        if (!sl__vec_valid(arg, k)) continue;
        sum_f64 *s = states[i];
        s->sum += d[k];
        s->n++;
    }
}
static void sum_f64_merge(void *dst, const void *src) {
    sum_f64 *d = dst;
    const sum_f64 *s = src;
    d->sum += s->sum;
    d->n += s->n;
}
static void sum_f64_final(const void *st, sl__vec *out, uint32_t row) {
    const sum_f64 *s = st;
    if (!s->n) {
        sl__vec_set_null(out, row);
        return;
    }
    sl__vec_set_valid(out, row);
    SL_VEC_DATA(out, double)[row] = s->sum;
}
static void avg_final(const void *st, sl__vec *out, uint32_t row) {
    const sum_f64 *s = st;
    if (!s->n) {
        sl__vec_set_null(out, row);
        return;
    }
    sl__vec_set_valid(out, row);
    SL_VEC_DATA(out, double)[row] = s->sum / (double)s->n;
}

static void sum_i64_one(void *st, const sl__vec *arg, const sl__rows *rows) {
    sum_i64 *s = st;
    if (arg->type->id == SL_TYPE_BIGINT && !arg->is_const &&
        sl__vec_no_nulls(arg, rows->sel, rows->count)) {
        const int64_t *d = SL_VEC_DATA(arg, int64_t);
        uint64_t acc = 0;
        if (rows->sel)
            for (uint32_t i = 0; i < rows->count; i++) acc += (uint64_t)d[rows->sel[i]];
        else
            for (uint32_t i = 0; i < rows->count; i++) acc += (uint64_t)d[i];
        s->sum = (int64_t)((uint64_t)s->sum + acc);
        s->n += rows->count;
        return;
    }
    for (uint32_t i = 0; i < rows->count; i++) {
        uint32_t k = sl__vec_idx(arg, SL_ROW(rows, i));
        if (!sl__vec_valid(arg, k)) continue;
        s->sum = (int64_t)((uint64_t)s->sum + (uint64_t)sl__get_i64(arg, k));
        s->n++;
    }
}
static void sum_f64_one(void *st, const sl__vec *arg, const sl__rows *rows) {
    sum_f64 *s = st;
    if (!arg->is_const && sl__vec_no_nulls(arg, rows->sel, rows->count)) {
        const double *d = SL_VEC_DATA(arg, double);
        double acc = 0;
        if (rows->sel)
            for (uint32_t i = 0; i < rows->count; i++) acc += d[rows->sel[i]];
        else
            for (uint32_t i = 0; i < rows->count; i++) acc += d[i];
        s->sum += acc;
        s->n += rows->count;
        return;
    }
    for (uint32_t i = 0; i < rows->count; i++) {
        uint32_t k = sl__vec_idx(arg, SL_ROW(rows, i));
        if (!sl__vec_valid(arg, k)) continue;
        s->sum += SL_VEC_DATA(arg, double)[k];
        s->n++;
    }
}

static const sl__agg_ops sum_i64_ops = {
    16, sum_init, sum_i64_update, sum_i64_merge, sum_i64_final, NULL, NULL, sum_i64_one};
static const sl__agg_ops sum_f64_ops = {
    16, sum_init, sum_f64_update, sum_f64_merge, sum_f64_final, NULL, NULL, sum_f64_one};
static const sl__agg_ops avg_ops = {16,        sum_init, sum_f64_update, sum_f64_merge,
                                    avg_final, NULL,     NULL,           sum_f64_one};

/* ---- variance family (Welford, merged with Chan's formula) ------------- */

typedef struct moments {
    double n, mean, m2;
} moments;

static void mom_init(void *st) {
    memset(st, 0, sizeof(moments));
}
static void mom_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    const double *d = SL_VEC_DATA(arg, double);
    UPDATE_LOOP(rows, i, r) {
        uint32_t k = sl__vec_idx(arg, r);
        if (!sl__vec_valid(arg, k)) continue;
        moments *m = states[i];
        m->n += 1;
        double delta = d[k] - m->mean;
        m->mean += delta / m->n;
        m->m2 += delta * (d[k] - m->mean);
    }
}
static void mom_merge(void *dst, const void *src) {
    moments *a = dst;
    const moments *b = src;
    if (b->n == 0) return;
    if (a->n == 0) {
        *a = *b;
        return;
    }
    double n = a->n + b->n, delta = b->mean - a->mean;
    a->m2 += b->m2 + delta * delta * a->n * b->n / n;
    a->mean += delta * b->n / n;
    a->n = n;
}
#define MOM_FINAL(name, EXPR, MIN_N)                                                               \
    static void name(const void *st, sl__vec *out, uint32_t row) {                                 \
        const moments *m = st;                                                                     \
        if (m->n < MIN_N) {                                                                        \
            sl__vec_set_null(out, row);                                                            \
            return;                                                                                \
        }                                                                                          \
        sl__vec_set_valid(out, row);                                                               \
        SL_VEC_DATA(out, double)[row] = (EXPR);                                                    \
    }
/* Sample statistics of a single value divide by zero: Spark 3.1+ returns
 * NULL there, not NaN (spark.sql.legacy.statisticalAggregate=false). */
MOM_FINAL(var_samp_final, m->m2 / (m->n - 1), 2)
MOM_FINAL(var_pop_final, m->m2 / m->n, 1)
MOM_FINAL(std_samp_final, sqrt(m->m2 / (m->n - 1)), 2)
MOM_FINAL(std_pop_final, sqrt(m->m2 / m->n), 1)

static const sl__agg_ops var_samp_ops = {sizeof(moments), mom_init, mom_update, mom_merge,
                                         var_samp_final,  NULL,     NULL,       NULL};
static const sl__agg_ops var_pop_ops = {sizeof(moments), mom_init, mom_update, mom_merge,
                                        var_pop_final,   NULL,     NULL,       NULL};
static const sl__agg_ops std_samp_ops = {sizeof(moments), mom_init, mom_update, mom_merge,
                                         std_samp_final,  NULL,     NULL,       NULL};
static const sl__agg_ops std_pop_ops = {sizeof(moments), mom_init, mom_update, mom_merge,
                                        std_pop_final,   NULL,     NULL,       NULL};

/* ---- min / max / first / last on fixed-width values -------------------- */

typedef struct fixed_val {
    int64_t bits; /* the value's bytes (up to 8) */
    uint8_t set;  /* a value (maybe NULL for first/last) was taken */
    uint8_t null; /* first/last: the taken value is NULL */
} fixed_val;

static void fixed_init(void *st) {
    memset(st, 0, sizeof(fixed_val));
}

static inline int fixed_cmp(sl_type_id t, int64_t a, int64_t b) {
    if (t == SL_TYPE_DOUBLE) {
        double x, y;
        memcpy(&x, &a, 8);
        memcpy(&y, &b, 8);
        return sl__cmp_f64(x, y);
    }
    return a < b ? -1 : a > b;
}

static inline int64_t fixed_read(const sl__vec *v, uint32_t k) {
    int64_t bits = 0;
    if (v->type->id == SL_TYPE_DOUBLE)
        memcpy(&bits, &SL_VEC_DATA(v, double)[k], 8);
    else
        bits = sl__get_i64(v, k);
    return bits;
}

static void min_fixed_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    sl_type_id t = arg->type->id;
    UPDATE_LOOP(rows, i, r) {
        uint32_t k = sl__vec_idx(arg, r);
        if (!sl__vec_valid(arg, k)) continue;
        fixed_val *s = states[i];
        int64_t v = fixed_read(arg, k);
        if (!s->set || fixed_cmp(t, v, s->bits) < 0) {
            s->bits = v;
            s->set = 1;
        }
    }
}
static void max_fixed_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    sl_type_id t = arg->type->id;
    UPDATE_LOOP(rows, i, r) {
        uint32_t k = sl__vec_idx(arg, r);
        if (!sl__vec_valid(arg, k)) continue;
        fixed_val *s = states[i];
        int64_t v = fixed_read(arg, k);
        if (!s->set || fixed_cmp(t, v, s->bits) > 0) {
            s->bits = v;
            s->set = 1;
        }
    }
}

/* merge needs the type: the ops below are instantiated per type family */
#define FIXED_MERGE(name, DIR, ISDBL)                                                              \
    static void name(void *dst, const void *src) {                                                 \
        fixed_val *d = dst;                                                                        \
        const fixed_val *s = src;                                                                  \
        if (!s->set) return;                                                                       \
        if (!d->set ||                                                                             \
            DIR * fixed_cmp(ISDBL ? SL_TYPE_DOUBLE : SL_TYPE_BIGINT, s->bits, d->bits) > 0)        \
            *d = *s;                                                                               \
    }
FIXED_MERGE(min_int_merge, -1, 0)
FIXED_MERGE(max_int_merge, 1, 0)
FIXED_MERGE(min_dbl_merge, -1, 1)
FIXED_MERGE(max_dbl_merge, 1, 1)

static void fixed_final(const void *st, sl__vec *out, uint32_t row) {
    const fixed_val *s = st;
    if (!s->set || s->null) {
        sl__vec_set_null(out, row);
        return;
    }
    sl__vec_set_valid(out, row);
    if (out->type->id == SL_TYPE_DOUBLE)
        memcpy(&SL_VEC_DATA(out, double)[row], &s->bits, 8);
    else
        sl__put_i64(out, row, s->bits);
}

static const sl__agg_ops min_int_ops = {
    sizeof(fixed_val), fixed_init, min_fixed_update, min_int_merge, fixed_final, NULL, NULL, NULL};
static const sl__agg_ops max_int_ops = {
    sizeof(fixed_val), fixed_init, max_fixed_update, max_int_merge, fixed_final, NULL, NULL, NULL};
static const sl__agg_ops min_dbl_ops = {
    sizeof(fixed_val), fixed_init, min_fixed_update, min_dbl_merge, fixed_final, NULL, NULL, NULL};
static const sl__agg_ops max_dbl_ops = {
    sizeof(fixed_val), fixed_init, max_fixed_update, max_dbl_merge, fixed_final, NULL, NULL, NULL};

/* first/last: iparam-free variants; "ignore nulls" versions skip NULL rows */
static void first_fixed_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    UPDATE_LOOP(rows, i, r) {
        fixed_val *s = states[i];
        if (s->set) continue;
        uint32_t k = sl__vec_idx(arg, r);
        s->set = 1;
        if (!sl__vec_valid(arg, k))
            s->null = 1;
        else
            s->bits = fixed_read(arg, k);
    }
}
static void first_fixed_nn_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    UPDATE_LOOP(rows, i, r) {
        fixed_val *s = states[i];
        uint32_t k = sl__vec_idx(arg, r);
        if (s->set || !sl__vec_valid(arg, k)) continue;
        s->set = 1;
        s->bits = fixed_read(arg, k);
    }
}
static void last_fixed_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    UPDATE_LOOP(rows, i, r) {
        fixed_val *s = states[i];
        uint32_t k = sl__vec_idx(arg, r);
        s->set = 1;
        s->null = !sl__vec_valid(arg, k);
        if (!s->null) s->bits = fixed_read(arg, k);
    }
}
static void last_fixed_nn_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    UPDATE_LOOP(rows, i, r) {
        fixed_val *s = states[i];
        uint32_t k = sl__vec_idx(arg, r);
        if (!sl__vec_valid(arg, k)) continue;
        s->set = 1;
        s->null = 0;
        s->bits = fixed_read(arg, k);
    }
}
static void first_merge(void *dst, const void *src) {
    fixed_val *d = dst;
    if (!d->set) *d = *(const fixed_val *)src;
}
static void last_merge(void *dst, const void *src) {
    const fixed_val *s = src;
    if (s->set) *(fixed_val *)dst = *s;
}

static const sl__agg_ops first_fixed_ops = {
    sizeof(fixed_val), fixed_init, first_fixed_update, first_merge, fixed_final, NULL, NULL, NULL};
static const sl__agg_ops first_fixed_nn_ops = {sizeof(fixed_val),
                                               fixed_init,
                                               first_fixed_nn_update,
                                               first_merge,
                                               fixed_final,
                                               NULL,
                                               NULL,
                                               NULL};
static const sl__agg_ops last_fixed_ops = {
    sizeof(fixed_val), fixed_init, last_fixed_update, last_merge, fixed_final, NULL, NULL, NULL};
static const sl__agg_ops last_fixed_nn_ops = {
    sizeof(fixed_val), fixed_init, last_fixed_nn_update, last_merge, fixed_final, NULL, NULL, NULL};

/* ---- min / max / first / last on any type (strings, structs, arrays) --- */

/* The value lives in a private one-row vector, so every type is handled by
 * the vector code (deep copy, comparison). */
typedef struct boxed_val {
    sl__vec *v; /* owned; NULL until set */
    uint8_t set;
    uint8_t null;
} boxed_val;

static void boxed_init(void *st) {
    memset(st, 0, sizeof(boxed_val));
}
static void boxed_destroy(void *st) {
    boxed_val *b = st;
    sl__vec_free(b->v);
    b->v = NULL;
}
static size_t boxed_heap(const void *st) {
    const boxed_val *b = st;
    return b->v ? sl__vec_memory(b->v) + sizeof(sl__vec) : 0;
}
static void boxed_take(boxed_val *b, const sl__vec *arg, uint32_t k) {
    if (!b->v)
        b->v = sl__vec_new(arg->type, 1);
    else
        sl__vec_reset(b->v);
    sl__vec_copy_value(b->v, 0, arg, k);
    b->set = 1;
    b->null = 0;
}

static void boxed_minmax(void **states, const sl__vec *arg, const sl__rows *rows, int dir) {
    UPDATE_LOOP(rows, i, r) {
        uint32_t k = sl__vec_idx(arg, r);
        if (!sl__vec_valid(arg, k)) continue;
        boxed_val *b = states[i];
        if (!b->set || dir * sl__value_cmp(arg, k, b->v, 0) > 0) boxed_take(b, arg, k);
    }
}
static void min_boxed_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    boxed_minmax(states, arg, rows, -1);
}
static void max_boxed_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    boxed_minmax(states, arg, rows, 1);
}
static void boxed_merge_dir(void *dst, const void *src, int dir) {
    boxed_val *d = dst;
    const boxed_val *s = src;
    if (!s->set || s->null) return;
    if (!d->set || d->null || dir * sl__value_cmp(s->v, 0, d->v, 0) > 0) boxed_take(d, s->v, 0);
}
static void min_boxed_merge(void *d, const void *s) {
    boxed_merge_dir(d, s, -1);
}
static void max_boxed_merge(void *d, const void *s) {
    boxed_merge_dir(d, s, 1);
}
static void boxed_final(const void *st, sl__vec *out, uint32_t row) {
    const boxed_val *b = st;
    if (!b->set || b->null || !b->v) {
        sl__vec_set_null(out, row);
        return;
    }
    sl__vec_copy_value(out, row, b->v, 0);
}
static void first_boxed_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    UPDATE_LOOP(rows, i, r) {
        boxed_val *b = states[i];
        if (b->set) continue;
        uint32_t k = sl__vec_idx(arg, r);
        if (sl__vec_valid(arg, k))
            boxed_take(b, arg, k);
        else
            b->set = b->null = 1;
    }
}
static void first_boxed_nn_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    UPDATE_LOOP(rows, i, r) {
        boxed_val *b = states[i];
        uint32_t k = sl__vec_idx(arg, r);
        if (!b->set && sl__vec_valid(arg, k)) boxed_take(b, arg, k);
    }
}
static void last_boxed_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    UPDATE_LOOP(rows, i, r) {
        boxed_val *b = states[i];
        uint32_t k = sl__vec_idx(arg, r);
        if (sl__vec_valid(arg, k))
            boxed_take(b, arg, k);
        else
            b->set = b->null = 1;
    }
}
static void last_boxed_nn_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    UPDATE_LOOP(rows, i, r) {
        uint32_t k = sl__vec_idx(arg, r);
        if (sl__vec_valid(arg, k)) boxed_take(states[i], arg, k);
    }
}
static void first_boxed_merge(void *dst, const void *src) {
    boxed_val *d = dst;
    const boxed_val *s = src;
    if (d->set || !s->set) return;
    if (s->null)
        d->set = d->null = 1;
    else
        boxed_take(d, s->v, 0);
}
static void last_boxed_merge(void *dst, const void *src) {
    boxed_val *d = dst;
    const boxed_val *s = src;
    if (!s->set) return;
    if (s->null) {
        d->set = d->null = 1;
    } else {
        boxed_take(d, s->v, 0);
    }
}

#define BOXED_OPS(name, upd, mrg)                                                                  \
    static const sl__agg_ops name = {sizeof(boxed_val), boxed_init,    upd,        mrg,            \
                                     boxed_final,       boxed_destroy, boxed_heap, NULL}
BOXED_OPS(min_boxed_ops, min_boxed_update, min_boxed_merge);
BOXED_OPS(max_boxed_ops, max_boxed_update, max_boxed_merge);
BOXED_OPS(first_boxed_ops, first_boxed_update, first_boxed_merge);
BOXED_OPS(first_boxed_nn_ops, first_boxed_nn_update, first_boxed_merge);
BOXED_OPS(last_boxed_ops, last_boxed_update, last_boxed_merge);
BOXED_OPS(last_boxed_nn_ops, last_boxed_nn_update, last_boxed_merge);

bool sl__agg_order_dependent(const sl__agg_ops *ops) {
    return ops == &first_fixed_ops || ops == &first_fixed_nn_ops || ops == &last_fixed_ops ||
           ops == &last_fixed_nn_ops || ops == &first_boxed_ops || ops == &first_boxed_nn_ops ||
           ops == &last_boxed_ops || ops == &last_boxed_nn_ops;
}

/* ---- DISTINCT: a per-group set of values -------------------------------- */

/*
 * The set stores one key per distinct value: 8 bytes for numbers (normalised
 * so -0.0 == 0.0 and all NaNs are one key), the bytes for strings, and the
 * canonical text for nested values. Open addressing over (hash, key).
 */
typedef struct dkey {
    uint64_t h;
    uint32_t len;
    char *p; /* owned; NULL marks an empty slot */
} dkey;

typedef struct dset {
    dkey *slots; /* owned */
    uint32_t cap, n;
    size_t bytes;
} dset;

static void dset_init(void *st) {
    memset(st, 0, sizeof(dset));
}
static void dset_destroy(void *st) {
    dset *s = st;
    for (uint32_t i = 0; i < s->cap; i++) sl__free(s->slots[i].p);
    sl__free(s->slots);
    memset(s, 0, sizeof *s);
}
static size_t dset_heap(const void *st) {
    const dset *s = st;
    return s->cap * sizeof(dkey) + s->bytes;
}
static void dset_insert_owned(dset *s, uint64_t h, char *p, uint32_t len);

static void dset_grow(dset *s) {
    uint32_t oc = s->cap;
    dkey *old = s->slots;
    s->cap = oc ? oc * 2 : 8;
    s->slots = sl__calloc(s->cap, sizeof(dkey));
    s->n = 0;
    for (uint32_t i = 0; i < oc; i++)
        if (old[i].p) dset_insert_owned(s, old[i].h, old[i].p, old[i].len);
    sl__free(old);
}

static void dset_insert_owned(dset *s, uint64_t h, char *p, uint32_t len) {
    if ((s->n + 1) * 4 > s->cap * 3) dset_grow(s);
    uint32_t m = s->cap - 1, j = (uint32_t)h & m;
    while (s->slots[j].p) j = (j + 1) & m;
    s->slots[j] = (dkey){h, len, p};
    s->n++;
}

static void dset_add(dset *s, const char *p, uint32_t len) {
    uint64_t h = sl__hash_bytes(p, len);
    if (s->cap) {
        uint32_t m = s->cap - 1;
        for (uint32_t j = (uint32_t)h & m; s->slots[j].p; j = (j + 1) & m)
            if (s->slots[j].h == h && s->slots[j].len == len && memcmp(s->slots[j].p, p, len) == 0)
                return;
    }
    char *c = sl__malloc(len ? len : 1);
    if (len) memcpy(c, p, len);
    s->bytes += len;
    dset_insert_owned(s, h, c, len);
}

/* The canonical key bytes of arg[k] into buf (or *out for strings). */
static uint32_t dkey_of(const sl__vec *arg, uint32_t k, char *buf, const char **out, sl__buf *tmp) {
    switch (arg->type->id) {
    case SL_TYPE_STRING: {
        sl__str s = SL_VEC_DATA(arg, sl__str)[k];
        *out = s.ptr;
        return s.len;
    }
    case SL_TYPE_DOUBLE: {
        double d = SL_VEC_DATA(arg, double)[k];
        if (d == 0) d = 0;
        if (d != d) d = NAN;
        memcpy(buf, &d, 8);
        *out = buf;
        return 8;
    }
    case SL_TYPE_STRUCT:
    case SL_TYPE_ARRAY:
        /* nested: an unambiguous binary encoding of the whole value */
        sl__buf_clear(tmp);
        sl__value_key(arg, k, tmp);
        *out = sl__buf_str(tmp);
        return (uint32_t)tmp->len;
    default: {
        int64_t v = sl__get_i64(arg, k);
        memcpy(buf, &v, 8);
        *out = buf;
        return 8;
    }
    }
}

static void dset_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    char buf[8];
    sl__buf tmp = SL_BUF_INIT;
    UPDATE_LOOP(rows, i, r) {
        uint32_t k = sl__vec_idx(arg, r);
        if (!sl__vec_valid(arg, k)) continue;
        const char *p;
        uint32_t len = dkey_of(arg, k, buf, &p, &tmp);
        dset_add(states[i], p, len);
    }
    sl__buf_free(&tmp);
}
static void dset_merge(void *dst, const void *src) {
    const dset *s = src;
    for (uint32_t i = 0; i < s->cap; i++)
        if (s->slots[i].p) dset_add(dst, s->slots[i].p, s->slots[i].len);
}
static void count_distinct_final(const void *st, sl__vec *out, uint32_t row) {
    sl__vec_set_valid(out, row);
    SL_VEC_DATA(out, int64_t)[row] = ((const dset *)st)->n;
}
static void sum_distinct_i64_final(const void *st, sl__vec *out, uint32_t row) {
    const dset *s = st;
    if (!s->n) {
        sl__vec_set_null(out, row);
        return;
    }
    uint64_t sum = 0;
    for (uint32_t i = 0; i < s->cap; i++) {
        if (!s->slots[i].p) continue;
        int64_t v;
        memcpy(&v, s->slots[i].p, 8);
        sum += (uint64_t)v;
    }
    sl__vec_set_valid(out, row);
    SL_VEC_DATA(out, int64_t)[row] = (int64_t)sum;
}
static void sum_avg_distinct_f64(const void *st, sl__vec *out, uint32_t row, bool avg) {
    const dset *s = st;
    if (!s->n) {
        sl__vec_set_null(out, row);
        return;
    }
    double sum = 0;
    for (uint32_t i = 0; i < s->cap; i++) {
        if (!s->slots[i].p) continue;
        double v;
        memcpy(&v, s->slots[i].p, 8);
        sum += v;
    }
    sl__vec_set_valid(out, row);
    SL_VEC_DATA(out, double)[row] = avg ? sum / s->n : sum;
}
static void sum_distinct_f64_final(const void *st, sl__vec *out, uint32_t row) {
    sum_avg_distinct_f64(st, out, row, false);
}
static void avg_distinct_final(const void *st, sl__vec *out, uint32_t row) {
    sum_avg_distinct_f64(st, out, row, true);
}

#define DSET_OPS(name, fin)                                                                        \
    static const sl__agg_ops name = {sizeof(dset), dset_init,    dset_update, dset_merge,          \
                                     fin,          dset_destroy, dset_heap,   NULL}
DSET_OPS(count_distinct_ops, count_distinct_final);
DSET_OPS(sum_distinct_i64_ops, sum_distinct_i64_final);
DSET_OPS(sum_distinct_f64_ops, sum_distinct_f64_final);
DSET_OPS(avg_distinct_ops, avg_distinct_final);

/* ---- approx_count_distinct: HyperLogLog, 2^9 registers ------------------ */

/*
 * Spark's default relativeSD 0.05 gives precision p = 9 (512 registers). The
 * estimate uses the raw HLL formula with linear counting for small
 * cardinalities; Spark's HLL++ adds empirical bias correction in the middle
 * range, so results there may differ from Spark's by a few percent (both
 * stay within the advertised error).
 */
#define HLL_P 9
#define HLL_M (1u << HLL_P)

typedef struct hll {
    uint8_t reg[HLL_M];
} hll;

static void hll_init(void *st) {
    memset(st, 0, sizeof(hll));
}
static void hll_update(void **states, const sl__vec *arg, const sl__rows *rows) {
    UPDATE_LOOP(rows, i, r) {
        uint32_t k = sl__vec_idx(arg, r);
        if (!sl__vec_valid(arg, k)) continue;
        uint64_t h = sl__hash_u64(sl__value_hash(arg, k) ^ 0x9e3779b97f4a7c15ULL);
        uint32_t idx = (uint32_t)(h >> (64 - HLL_P));
        uint64_t w = (h << HLL_P) | (1ULL << (HLL_P - 1));
        uint8_t rank = (uint8_t)(__builtin_clzll(w) + 1);
        hll *s = states[i];
        if (rank > s->reg[idx]) s->reg[idx] = rank;
    }
}
static void hll_merge(void *dst, const void *src) {
    hll *d = dst;
    const hll *s = src;
    for (uint32_t i = 0; i < HLL_M; i++)
        if (s->reg[i] > d->reg[i]) d->reg[i] = s->reg[i];
}
static void hll_final(const void *st, sl__vec *out, uint32_t row) {
    const hll *s = st;
    double sum = 0;
    uint32_t zeros = 0;
    for (uint32_t i = 0; i < HLL_M; i++) {
        sum += ldexp(1.0, -s->reg[i]);
        if (!s->reg[i]) zeros++;
    }
    double m = HLL_M, alpha = 0.7213 / (1 + 1.079 / m);
    double est = alpha * m * m / sum;
    if (est <= 2.5 * m && zeros) est = m * log(m / zeros);
    sl__vec_set_valid(out, row);
    SL_VEC_DATA(out, int64_t)[row] = (int64_t)llround(est);
}
static const sl__agg_ops hll_ops = {sizeof(hll), hll_init, hll_update, hll_merge,
                                    hll_final,   NULL,     NULL,       NULL};

/* ---- bind callbacks ----------------------------------------------------- */

static bool is_fixed(const sl__type *t) {
    switch (t->id) {
    case SL_TYPE_BOOLEAN:
    case SL_TYPE_SMALLINT:
    case SL_TYPE_INT:
    case SL_TYPE_BIGINT:
    case SL_TYPE_DOUBLE:
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_DATE:
    case SL_TYPE_INTERVAL: return true;
    default: return false;
    }
}

static sl_status numeric_arg(sl__abind *ab, const char *fn) {
    const sl__type *t = ab->args[0]->type;
    if (t->id == SL_TYPE_STRING || t->id == SL_TYPE_NULL) {
        ab->args[0] = sl__cast_to(ab->args[0], SL_T_F64);
        return SL_OK;
    }
    if (!sl__type_is_numeric(t) && t->id != SL_TYPE_INTERVAL)
        return sl__err_set(ab->err, SL_ERR_ANALYSIS, ab->pos,
                           "%s(%s): the argument must be numeric, got %s", fn, "...", t->name);
    return SL_OK;
}

static sl_status bind_count(sl__abind *ab) {
    ab->type = SL_T_I64;
    if (ab->star || ab->n_args == 0) {
        ab->ops = &count_star_ops;
        return SL_OK;
    }
    if (ab->distinct) {
        if (ab->n_args > 1) {
            /* count(DISTINCT a, b): distinct over the struct of the arguments,
             * skipping rows where any argument is NULL */
            return sl__err_set(ab->err, SL_ERR_UNSUPPORTED, ab->pos,
                               "count(DISTINCT ...) takes one argument here");
        }
        ab->ops = &count_distinct_ops;
        return SL_OK;
    }
    if (ab->n_args > 1)
        return sl__err_set(ab->err, SL_ERR_UNSUPPORTED, ab->pos, "count takes one argument");
    ab->ops = &count_ops;
    return SL_OK;
}

static sl_status bind_sum(sl__abind *ab) {
    if (numeric_arg(ab, "sum") != SL_OK) return SL_ERR_ANALYSIS;
    const sl__type *t = ab->args[0]->type;
    if (t->id == SL_TYPE_INTERVAL) {
        ab->type = SL_T_INTERVAL;
        ab->ops = ab->distinct ? &sum_distinct_i64_ops : &sum_i64_ops;
        return SL_OK;
    }
    if (t->id == SL_TYPE_DOUBLE) {
        ab->type = SL_T_F64;
        ab->ops = ab->distinct ? &sum_distinct_f64_ops : &sum_f64_ops;
    } else {
        ab->args[0] = sl__cast_to(ab->args[0], SL_T_I64);
        ab->type = SL_T_I64;
        ab->ops = ab->distinct ? &sum_distinct_i64_ops : &sum_i64_ops;
    }
    return SL_OK;
}

/* avg and the variance family work on DOUBLE; an interval (accepted by
 * sum) cannot be cast to it, and must be refused before any cast is tried */
static sl_status no_interval(sl__abind *ab, const char *fn) {
    if (ab->args[0]->type->id != SL_TYPE_INTERVAL) return SL_OK;
    return sl__err_set(ab->err, SL_ERR_ANALYSIS, ab->pos,
                       "%s(...): the argument must be numeric, got %s", fn,
                       ab->args[0]->type->name);
}

static sl_status bind_avg(sl__abind *ab) {
    if (numeric_arg(ab, "avg") != SL_OK || no_interval(ab, "avg") != SL_OK) return SL_ERR_ANALYSIS;
    ab->args[0] = sl__cast_to(ab->args[0], SL_T_F64);
    ab->type = SL_T_F64;
    ab->ops = ab->distinct ? &avg_distinct_ops : &avg_ops;
    return SL_OK;
}

static sl_status bind_moments(sl__abind *ab, const sl__agg_ops *ops) {
    if (numeric_arg(ab, ab->name) != SL_OK || no_interval(ab, ab->name) != SL_OK)
        return SL_ERR_ANALYSIS;
    ab->args[0] = sl__cast_to(ab->args[0], SL_T_F64);
    ab->type = SL_T_F64;
    ab->ops = ops;
    return SL_OK;
}
static sl_status bind_var_samp(sl__abind *ab) {
    return bind_moments(ab, &var_samp_ops);
}
static sl_status bind_var_pop(sl__abind *ab) {
    return bind_moments(ab, &var_pop_ops);
}
static sl_status bind_std_samp(sl__abind *ab) {
    return bind_moments(ab, &std_samp_ops);
}
static sl_status bind_std_pop(sl__abind *ab) {
    return bind_moments(ab, &std_pop_ops);
}

static sl_status bind_minmax(sl__abind *ab, bool is_min) {
    const sl__type *t = ab->args[0]->type;
    ab->type = t;
    if (is_fixed(t)) {
        bool dbl = t->id == SL_TYPE_DOUBLE;
        ab->ops =
            is_min ? (dbl ? &min_dbl_ops : &min_int_ops) : (dbl ? &max_dbl_ops : &max_int_ops);
    } else {
        if (t->id == SL_TYPE_NULL) {
            ab->ops = is_min ? &min_int_ops : &max_int_ops;
            return SL_OK;
        }
        ab->ops = is_min ? &min_boxed_ops : &max_boxed_ops;
    }
    return SL_OK;
}
static sl_status bind_min(sl__abind *ab) {
    return bind_minmax(ab, true);
}
static sl_status bind_max(sl__abind *ab) {
    return bind_minmax(ab, false);
}

static sl_status bind_firstlast(sl__abind *ab, bool first) {
    bool ignore_nulls = false;
    if (ab->n_args == 2) {
        sl__expr *a = ab->args[1];
        if (a->kind != E_CONST || a->type->id != SL_TYPE_BOOLEAN)
            return sl__err_set(ab->err, SL_ERR_ANALYSIS, ab->pos,
                               "%s: the second argument (ignoreNulls) must be TRUE or FALSE",
                               ab->name);
        ignore_nulls = sl__vec_valid(a->cval, 0) && SL_VEC_DATA(a->cval, uint8_t)[0];
    }
    const sl__type *t = ab->args[0]->type;
    ab->type = t;
    if (is_fixed(t) || t->id == SL_TYPE_NULL)
        ab->ops = first ? (ignore_nulls ? &first_fixed_nn_ops : &first_fixed_ops)
                        : (ignore_nulls ? &last_fixed_nn_ops : &last_fixed_ops);
    else
        ab->ops = first ? (ignore_nulls ? &first_boxed_nn_ops : &first_boxed_ops)
                        : (ignore_nulls ? &last_boxed_nn_ops : &last_boxed_ops);
    return SL_OK;
}
static sl_status bind_first(sl__abind *ab) {
    return bind_firstlast(ab, true);
}
static sl_status bind_last(sl__abind *ab) {
    return bind_firstlast(ab, false);
}

static sl_status bind_approx(sl__abind *ab) {
    if (ab->n_args == 2 && ab->args[1]->kind != E_CONST)
        return sl__err_set(ab->err, SL_ERR_ANALYSIS, ab->pos,
                           "approx_count_distinct: relativeSD must be a constant");
    ab->type = SL_T_I64;
    ab->ops = &hll_ops;
    return SL_OK;
}

static const sl__agg_def aggs[] = {
    {"count", 0, -1, bind_count, "count(*) | count(x) | count(DISTINCT x)",
     "Number of rows, or of non-NULL values."},
    {"sum", 1, 1, bind_sum, "sum(x)", "Sum of non-NULL values (BIGINT for integers)."},
    {"avg", 1, 1, bind_avg, "avg(x)", "Mean of non-NULL values (DOUBLE)."},
    {"mean", 1, 1, bind_avg, "mean(x)", "Same as avg."},
    {"min", 1, 1, bind_min, "min(x)", "Smallest non-NULL value."},
    {"max", 1, 1, bind_max, "max(x)", "Largest non-NULL value."},
    {"first", 1, 2, bind_first, "first(x[, ignoreNulls])", "First value seen in the group."},
    {"first_value", 1, 2, bind_first, "first_value(x[, ignoreNulls])", "Same as first."},
    {"last", 1, 2, bind_last, "last(x[, ignoreNulls])", "Last value seen in the group."},
    {"last_value", 1, 2, bind_last, "last_value(x[, ignoreNulls])", "Same as last."},
    {"approx_count_distinct", 1, 2, bind_approx, "approx_count_distinct(x[, rsd])",
     "Estimated number of distinct values (HyperLogLog, about 5% error)."},
    {"stddev", 1, 1, bind_std_samp, "stddev(x)", "Sample standard deviation."},
    {"stddev_samp", 1, 1, bind_std_samp, "stddev_samp(x)", "Sample standard deviation."},
    {"std", 1, 1, bind_std_samp, "std(x)", "Sample standard deviation."},
    {"stddev_pop", 1, 1, bind_std_pop, "stddev_pop(x)", "Population standard deviation."},
    {"variance", 1, 1, bind_var_samp, "variance(x)", "Sample variance."},
    {"var_samp", 1, 1, bind_var_samp, "var_samp(x)", "Sample variance."},
    {"var_pop", 1, 1, bind_var_pop, "var_pop(x)", "Population variance."},
};

const sl__agg_def *sl__agg_find(const char *name) {
    for (size_t i = 0; i < SL_ARRAY_LEN(aggs); i++)
        if (strcasecmp(aggs[i].name, name) == 0) return &aggs[i];
    return NULL;
}

void sl__agg_each(void (*fn)(void *ud, const sl__agg_def *def), void *ud) {
    for (size_t i = 0; i < SL_ARRAY_LEN(aggs); i++) fn(ud, &aggs[i]);
}
