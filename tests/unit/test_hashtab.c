/*
 * test_hashtab.c — unit tests of the key table of src/exec/hashtab.h, the
 * map from multi-column keys to dense ids behind hash aggregation, joins,
 * set operations and deduplication. They test the API's promises, not the
 * table's layout (which is being tuned): ids are 0, 1, 2 ... in first-seen
 * order; the batch and single-row forms agree; every key type is compared
 * by value, NULL equal to NULL, and doubles grouped as Spark groups them
 * (-0.0 with 0.0, every NaN together); keys are copied (strings too) and
 * read back from t->keys by id; the table keeps working across many
 * growths (a million keys); clear forgets everything; compact keeps a
 * subset renumbered in order; the memory count grows with the keys.
 * Every check compares with a reference computed here from the key codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "batch/batch.h"
#include "exec/hashtab.h"
#include "func/kernel.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define ABSENT UINT32_MAX

/* ---- key values from integer codes ------------------------------------------
 * A code >= 0 stands for one value of the column's type (distinct codes,
 * distinct values); code -1 for NULL. */

static void set_code(sl__vec *v, uint32_t row, int64_t code) {
    if (code < 0) {
        sl__vec_set_null(v, row);
        return;
    }
    sl__vec_set_valid(v, row);
    switch (v->type->id) {
    case SL_TYPE_BOOLEAN: SL_VEC_DATA(v, uint8_t)[row] = (uint8_t)(code & 1); break;
    case SL_TYPE_SMALLINT: SL_VEC_DATA(v, int16_t)[row] = (int16_t)(code - 20000); break;
    case SL_TYPE_INT:
    case SL_TYPE_DATE:
        /* spread over the whole range, negatives included */
        SL_VEC_DATA(v, int32_t)[row] = (int32_t)(uint32_t)((uint64_t)code * 2654435761u);
        break;
    case SL_TYPE_BIGINT:
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_INTERVAL:
        SL_VEC_DATA(v, int64_t)[row] = (int64_t)((uint64_t)code * 0x9E3779B97F4A7C15ULL);
        break;
    case SL_TYPE_DOUBLE: SL_VEC_DATA(v, double)[row] = (double)code * 0.25 - 1000.0; break;
    case SL_TYPE_STRING: {
        /* lengths 0 to 40 (the short-string and long-string hashes), shared prefixes */
        char buf[64];
        int len = snprintf(buf, sizeof buf, "k%lld", (long long)code);
        int pad = (int)(code % 31);
        memset(buf + len, 'x', (size_t)pad);
        len += pad;
        if (code == 0) len = 0; /* the empty string is a value, not NULL */
        sl__vec_set_str_copy(v, row, buf, (size_t)len);
        break;
    }
    default: fail_msg("no code for type %s", v->type->name);
    }
}

/* How many distinct values set_code gives a type (codes 0 .. n-1). */
static int64_t domain(const sl__type *t) {
    switch (t->id) {
    case SL_TYPE_BOOLEAN: return 2;
    case SL_TYPE_SMALLINT: return 40000;
    default: return INT64_MAX;
    }
}

/* ---- a reference: expected ids by code, in first-seen order -------------------- */

typedef struct ref {
    uint32_t *id_of; /* by code + 1 (slot 0: NULL) */
    int64_t n_codes;
    uint32_t n; /* ids given */
} ref;

static void ref_init(ref *r, int64_t n_codes) {
    r->n_codes = n_codes;
    r->id_of = malloc(sizeof *r->id_of * (size_t)(n_codes + 1));
    assert_non_null(r->id_of);
    for (int64_t i = 0; i <= n_codes; i++) r->id_of[i] = ABSENT;
    r->n = 0;
}

static uint32_t ref_insert(ref *r, int64_t code) {
    uint32_t *slot = &r->id_of[code + 1];
    if (*slot == ABSENT) *slot = r->n++;
    return *slot;
}

static uint32_t ref_find(const ref *r, int64_t code) {
    return r->id_of[code + 1];
}

static void ref_free(ref *r) {
    free(r->id_of);
}

/* Inserts the codes[0..n) of a one-column table through the batch API, in
 * batches of `batch` rows (optionally through a selection vector that skips
 * every other physical row), and checks every id against the reference. */
static void insert_codes(sl__keytab *t, sl__vec *v, const int64_t *codes, uint32_t n, ref *r,
                         uint32_t batch, bool with_sel) {
    uint32_t ids[SL_VEC_SIZE], sel[SL_VEC_SIZE];
    for (uint32_t at = 0; at < n; at += batch) {
        uint32_t m = n - at < batch ? n - at : batch;
        sl__vec_reset(v);
        sl__rows rows = {NULL, m};
        if (with_sel) {
            assert_true(2 * m <= SL_VEC_SIZE);
            for (uint32_t i = 0; i < m; i++) {
                sel[i] = 2 * i + 1;
                set_code(v, 2 * i, 12345); /* rows outside the selection: never read */
                set_code(v, 2 * i + 1, codes[at + i]);
            }
            rows.sel = sel;
        } else {
            for (uint32_t i = 0; i < m; i++) set_code(v, i, codes[at + i]);
        }
        uint32_t before = t->n;
        sl__keytab_insert_batch(t, &v, &rows, ids);
        for (uint32_t i = 0; i < m; i++) {
            uint32_t want = ref_insert(r, codes[at + i]);
            if (ids[i] != want)
                fail_msg("%s: row %u (code %lld): id %u, want %u", v->type->name, at + i,
                         (long long)codes[at + i], ids[i], want);
        }
        /* the new ids are before .. n-1: exactly the keys first seen in this batch */
        assert_true(t->n >= before);
        assert_int_equal(t->n, r->n);
    }
}

/* Finds codes[0..n) (present or not) and checks against the reference. */
static void find_codes(sl__keytab *t, sl__vec *v, const int64_t *codes, uint32_t n, const ref *r) {
    uint32_t ids[SL_VEC_SIZE];
    for (uint32_t at = 0; at < n; at += SL_VEC_SIZE) {
        uint32_t m = n - at < SL_VEC_SIZE ? n - at : SL_VEC_SIZE;
        sl__vec_reset(v);
        for (uint32_t i = 0; i < m; i++) set_code(v, i, codes[at + i]);
        sl__rows rows = {NULL, m};
        uint32_t before = t->n;
        sl__keytab_find_batch(t, &v, &rows, ids);
        assert_int_equal(t->n, before); /* find never inserts */
        for (uint32_t i = 0; i < m; i++) {
            int64_t c = codes[at + i];
            uint32_t want = c + 1 <= r->n_codes ? ref_find(r, c) : ABSENT;
            if (ids[i] != want)
                fail_msg("%s: find code %lld: id %u, want %u", v->type->name, (long long)c, ids[i],
                         want);
        }
    }
}

/* The key stored for every id reads back as the code that made it. */
static void check_stored(const sl__keytab *t, const ref *r) {
    const sl__type *type = t->keys[0]->type;
    sl__vec *one = sl__vec_new(type, 1);
    for (int64_t c = -1; c < r->n_codes; c++) {
        uint32_t id = ref_find(r, c);
        if (id == ABSENT) continue;
        bool ok = sl__vec_valid(t->keys[0], id) == (c >= 0);
        if (ok && c >= 0) {
            sl__vec_reset(one);
            set_code(one, 0, c);
            ok = sl__value_eq(t->keys[0], id, one, 0);
        }
        if (!ok) fail_msg("%s: id %u does not hold code %lld", type->name, id, (long long)c);
    }
    sl__vec_free(one);
}

/* ---- tests ------------------------------------------------------------------------ */

/* Every key type, one column: duplicates within and across batches, NULLs
 * (one id), batches of several sizes, with and without a selection vector. */
static void test_every_type(void **state) {
    (void)state;
    const sl__type *types[] = {SL_T_BOOL, SL_T_I16, SL_T_I32,      SL_T_DATE, SL_T_I64,
                               SL_T_TS,   SL_T_F64, SL_T_INTERVAL, SL_T_STR};
    const uint32_t n = 20000;
    int64_t *codes = malloc(sizeof *codes * n);
    int64_t *probe = malloc(sizeof *probe * n);
    for (size_t ti = 0; ti < sizeof types / sizeof *types; ti++) {
        for (int mode = 0; mode < 3; mode++) {
            const sl__type *type = types[ti];
            int64_t d = domain(type) < 3000 ? domain(type) : 3000;
            /* codes d .. 2d-1 are absent (when the type has that many values) */
            int64_t pd = domain(type) < 2 * d ? domain(type) : 2 * d;
            for (uint32_t i = 0; i < n; i++) {
                /* a scrambled order with repeats; every 13th row NULL */
                codes[i] = i % 13 == 5 ? -1 : (int64_t)((i * 7919u + i / 3) % (uint32_t)d);
                probe[i] = (int64_t)(i % (uint32_t)pd);
            }
            sl__keytab t;
            sl__keytab_init(&t, 1, &type);
            sl__vec *v = sl__vec_new(type, SL_VEC_SIZE);
            ref r;
            ref_init(&r, 2 * d);
            uint32_t batch = mode == 0 ? SL_VEC_SIZE : mode == 1 ? 1000 : 7;
            insert_codes(&t, v, codes, n, &r, batch, mode == 1);
            assert_int_equal(t.n, (uint32_t)d + 1); /* every code, and NULL */
            find_codes(&t, v, probe, n, &r);
            find_codes(&t, v, codes, n, &r);
            check_stored(&t, &r);
            /* inserting everything again adds nothing */
            insert_codes(&t, v, codes, n, &r, SL_VEC_SIZE, false);
            assert_int_equal(t.n, (uint32_t)d + 1);
            ref_free(&r);
            sl__vec_free(v);
            sl__keytab_free(&t);
        }
    }
    free(codes);
    free(probe);
}

/* The single-row forms agree with the batch forms, and report insertion. */
static void test_single_row_forms(void **state) {
    (void)state;
    const sl__type *types[] = {SL_T_I64, SL_T_I32, SL_T_STR, SL_T_F64};
    for (size_t ti = 0; ti < sizeof types / sizeof *types; ti++) {
        sl__keytab t;
        sl__keytab_init(&t, 1, &types[ti]);
        sl__vec *v = sl__vec_new(types[ti], SL_VEC_SIZE);
        uint64_t h[SL_VEC_SIZE];
        uint32_t ids[SL_VEC_SIZE];
        /* single-row inserts of codes -1 .. 2999 twice */
        for (int round = 0; round < 2; round++) {
            for (int64_t base = -1; base < 3000; base += SL_VEC_SIZE) {
                uint32_t m = (uint32_t)(3000 - base < SL_VEC_SIZE ? 3000 - base : SL_VEC_SIZE);
                sl__vec_reset(v);
                for (uint32_t i = 0; i < m; i++) set_code(v, i, base + i);
                sl__rows rows = {NULL, m};
                sl__keytab_hash(&v, 1, &rows, h);
                for (uint32_t i = 0; i < m; i++) {
                    bool ins = !round;
                    uint32_t id = sl__keytab_insert(&t, &v, i, h[i], &ins);
                    assert_int_equal(ins, round == 0);
                    assert_int_equal(id, (uint32_t)(base + 1 + i)); /* first-seen order */
                    assert_int_equal(sl__keytab_find(&t, &v, i, h[i]), id);
                }
                /* the batch form finds what the single-row form inserted */
                sl__keytab_find_batch(&t, &v, &rows, ids);
                for (uint32_t i = 0; i < m; i++) assert_int_equal(ids[i], (uint32_t)(base + 1 + i));
            }
        }
        assert_int_equal(t.n, 3001);
        /* and the single-row form finds what the batch form inserted */
        sl__vec_reset(v);
        for (uint32_t i = 0; i < 100; i++) set_code(v, i, 5000 + i);
        sl__rows rows = {NULL, 100};
        sl__keytab_insert_batch(&t, &v, &rows, ids);
        sl__keytab_hash(&v, 1, &rows, h);
        for (uint32_t i = 0; i < 100; i++) {
            assert_int_equal(ids[i], 3001 + i);
            assert_int_equal(sl__keytab_find(&t, &v, i, h[i]), 3001 + i);
        }
        /* absent */
        sl__vec_reset(v);
        set_code(v, 0, 9999);
        sl__rows one = {NULL, 1};
        sl__keytab_hash(&v, 1, &one, h);
        assert_int_equal(sl__keytab_find(&t, &v, 0, h[0]), ABSENT);
        sl__vec_free(v);
        sl__keytab_free(&t);
    }
}

/* Doubles group as in Spark (NormalizeFloatingNumbers): -0.0 and 0.0 are one
 * key, every NaN is one key, NaN is not 0, infinities are keys. */
static void test_double_zero_and_nan(void **state) {
    (void)state;
    const sl__type *type = SL_T_F64;
    sl__keytab t;
    sl__keytab_init(&t, 1, &type);
    sl__vec *v = sl__vec_new(type, 16);
    uint64_t bits = 0x7ff8000000000123ULL; /* a NaN with a payload */
    double payload_nan, neg_nan = -NAN;
    memcpy(&payload_nan, &bits, sizeof payload_nan);
    double vals[] = {0.0, -0.0, NAN, neg_nan, payload_nan, 1.0, INFINITY, -INFINITY, 0.0 / 1.0};
    uint32_t n = sizeof vals / sizeof *vals;
    for (uint32_t i = 0; i < n; i++) SL_VEC_DATA(v, double)[i] = vals[i];
    sl__vec_set_null(v, n);
    uint32_t ids[16];
    sl__rows rows = {NULL, n + 1};
    sl__keytab_insert_batch(&t, &v, &rows, ids);
    assert_int_equal(ids[0], 0);
    assert_int_equal(ids[1], 0); /* -0.0 = 0.0 */
    assert_int_equal(ids[2], 1); /* NaN */
    assert_int_equal(ids[3], 1);
    assert_int_equal(ids[4], 1);
    assert_int_equal(ids[5], 2);
    assert_int_equal(ids[6], 3);
    assert_int_equal(ids[7], 4);
    assert_int_equal(ids[8], 0);
    assert_int_equal(ids[9], 5); /* NULL is not NaN */
    assert_int_equal(t.n, 6);
    /* -0.0 first: 0.0 finds it all the same */
    sl__keytab t2;
    sl__keytab_init(&t2, 1, &type);
    SL_VEC_DATA(v, double)[0] = -0.0;
    SL_VEC_DATA(v, double)[1] = 0.0;
    sl__rows two = {NULL, 2};
    sl__keytab_insert_batch(&t2, &v, &two, ids);
    assert_int_equal(ids[0], 0);
    assert_int_equal(ids[1], 0);
    sl__vec_free(v);
    sl__keytab_free(&t);
    sl__keytab_free(&t2);
}

/* Strings are compared by their bytes (embedded NUL bytes included, '' is
 * not NULL) and copied into the table: the caller's buffer may change. */
static void test_strings_copied(void **state) {
    (void)state;
    const sl__type *type = SL_T_STR;
    sl__keytab t;
    sl__keytab_init(&t, 1, &type);
    sl__vec *v = sl__vec_new(type, 16);
    char buf[] =
        "a\0b a\0c abcdefghijklmnopqrstuvwxyz0123456789 abcdefghijklmnopqrstuvwxyz0123456788";
    sl__vec_set_str_borrow(v, 0, buf, 3);      /* "a\0b" */
    sl__vec_set_str_borrow(v, 1, buf + 4, 3);  /* "a\0c" */
    sl__vec_set_str_borrow(v, 2, buf + 8, 36); /* long */
    sl__vec_set_str_borrow(v, 3, buf + 45, 36);
    sl__vec_set_str_borrow(v, 4, buf, 1); /* "a" */
    sl__vec_set_str_borrow(v, 5, buf, 0); /* "" */
    sl__vec_set_null(v, 6);
    sl__vec_set_str_borrow(v, 7, buf + 8, 36); /* again */
    uint32_t ids[16];
    sl__rows rows = {NULL, 8};
    sl__keytab_insert_batch(&t, &v, &rows, ids);
    for (uint32_t i = 0; i < 7; i++) assert_int_equal(ids[i], i);
    assert_int_equal(ids[7], 2);
    assert_int_equal(t.n, 7);
    memset(buf, '#', sizeof buf - 1); /* the table must not point here */
    sl__str s = SL_VEC_DATA(t.keys[0], sl__str)[0];
    assert_int_equal(s.len, 3);
    assert_memory_equal(s.ptr, "a\0b", 3);
    s = SL_VEC_DATA(t.keys[0], sl__str)[2];
    assert_int_equal(s.len, 36);
    assert_memory_equal(s.ptr, "abcdefghijklmnopqrstuvwxyz0123456789", 36);
    assert_int_equal(SL_VEC_DATA(t.keys[0], sl__str)[5].len, 0);
    assert_true(sl__vec_valid(t.keys[0], 5));
    assert_false(sl__vec_valid(t.keys[0], 6));
    /* found again from fresh copies */
    sl__vec_reset(v);
    sl__vec_set_str_copy(v, 0, "a\0c", 3);
    sl__vec_set_str_copy(v, 1, "", 0);
    sl__vec_set_null(v, 2);
    sl__vec_set_str_copy(v, 3, "a\0d", 3);
    sl__rows four = {NULL, 4};
    sl__keytab_find_batch(&t, &v, &four, ids);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ids[1], 5);
    assert_int_equal(ids[2], 6);
    assert_int_equal(ids[3], ABSENT);
    sl__vec_free(v);
    sl__keytab_free(&t);
}

/* Multi-column keys: equal when every column is equal, NULL equal to NULL
 * column by column; (NULL, 1) and (1, NULL) differ. */
static void test_multi_column(void **state) {
    (void)state;
    const sl__type *types[3] = {SL_T_STR, SL_T_I64, SL_T_F64};
    sl__keytab t;
    sl__keytab_init(&t, 3, types);
    sl__vec *kv[3];
    for (int c = 0; c < 3; c++) kv[c] = sl__vec_new(types[c], SL_VEC_SIZE);
    /* codes per column in 0..5 and NULL: all 7^3 combinations, three times over */
    const uint32_t combos = 7 * 7 * 7, n = 3 * combos;
    uint32_t expect[7 * 7 * 7], ids[SL_VEC_SIZE];
    for (uint32_t i = 0; i < combos; i++) expect[i] = ABSENT;
    uint32_t next = 0;
    for (uint32_t at = 0; at < n; at += 500) {
        uint32_t m = n - at < 500 ? n - at : 500;
        for (int c = 0; c < 3; c++) sl__vec_reset(kv[c]);
        for (uint32_t i = 0; i < m; i++) {
            uint32_t combo = ((at + i) * 31u) % combos;
            set_code(kv[0], i, (int64_t)(combo % 7) - 1);
            set_code(kv[1], i, (int64_t)(combo / 7 % 7) - 1);
            set_code(kv[2], i, (int64_t)(combo / 49) - 1);
        }
        sl__rows rows = {NULL, m};
        sl__keytab_insert_batch(&t, kv, &rows, ids);
        for (uint32_t i = 0; i < m; i++) {
            uint32_t combo = ((at + i) * 31u) % combos;
            if (expect[combo] == ABSENT) expect[combo] = next++;
            assert_int_equal(ids[i], expect[combo]);
        }
    }
    assert_int_equal(t.n, combos);
    /* the stored columns read back */
    for (uint32_t combo = 0; combo < combos; combo++) {
        uint32_t id = expect[combo];
        assert_int_equal(sl__vec_valid(t.keys[0], id), combo % 7 != 0);
        assert_int_equal(sl__vec_valid(t.keys[1], id), combo / 7 % 7 != 0);
        assert_int_equal(sl__vec_valid(t.keys[2], id), combo / 49 != 0);
    }
    /* a constant column (one value for every row) with a varying one */
    sl__vec *cst = sl__vec_new(SL_T_STR, 1);
    cst->is_const = true;
    set_code(cst, 0, 3);
    sl__vec *kc[3] = {cst, kv[1], kv[2]};
    for (int c = 1; c < 3; c++) sl__vec_reset(kv[c]);
    for (uint32_t i = 0; i < 49; i++) {
        set_code(kv[1], i, (int64_t)(i % 7) - 1);
        set_code(kv[2], i, (int64_t)(i / 7) - 1);
    }
    sl__rows rows = {NULL, 49};
    sl__keytab_find_batch(&t, kc, &rows, ids);
    for (uint32_t i = 0; i < 49; i++) assert_int_equal(ids[i], expect[4 + 7 * i]);
    sl__vec_free(cst);
    for (int c = 0; c < 3; c++) sl__vec_free(kv[c]);
    sl__keytab_free(&t);
}

/* Integer key patterns that are hard on a hash table: only high bits
 * differing, only low bits, strides of powers of two, the extremes. */
static void test_integer_patterns(void **state) {
    (void)state;
    const sl__type *types[2] = {SL_T_I64, SL_T_I32};
    for (int ti = 0; ti < 2; ti++) {
        sl__keytab t;
        sl__keytab_init(&t, 1, &types[ti]);
        sl__vec *v = sl__vec_new(types[ti], SL_VEC_SIZE);
        uint32_t ids[SL_VEC_SIZE], again[SL_VEC_SIZE];
        uint32_t total = 0;
        for (int pattern = 0; pattern < 5; pattern++) {
            sl__vec_reset(v);
            for (uint32_t i = 0; i < SL_VEC_SIZE; i++) {
                uint64_t k;
                switch (pattern) {
                case 0: k = ti == 0 ? (uint64_t)i << 40 : (uint64_t)i << 20; break;
                case 1: k = i + 1; break; /* 0 is pattern 4's */
                case 2: k = ti == 0 ? ((uint64_t)i << 32) + 7 : ((uint64_t)i << 16) + 7; break;
                case 3: k = (uint64_t)i * 4096 + 3; break;
                default:
                    k = i < 4 ? (uint64_t[]){0, (uint64_t)-1, 0x8000000000000000ULL,
                                             0x7fffffffffffffffULL}[i]
                              : ((uint64_t)i << 48) | 5;
                    if (ti == 1)
                        k = i < 4 ? (uint64_t)(uint32_t[]){0, 0xffffffffu, 0x80000000u,
                                                           0x7fffffffu}[i]
                                  : ((uint64_t)i << 24) | 5;
                }
                if (ti == 0)
                    SL_VEC_DATA(v, int64_t)[i] = (int64_t)k;
                else
                    SL_VEC_DATA(v, int32_t)[i] = (int32_t)(uint32_t)k;
            }
            sl__rows rows = {NULL, SL_VEC_SIZE};
            sl__keytab_insert_batch(&t, &v, &rows, ids);
            sl__keytab_find_batch(&t, &v, &rows, again);
            uint32_t fresh = 0;
            for (uint32_t i = 0; i < SL_VEC_SIZE; i++) {
                assert_int_equal(again[i], ids[i]);
                if (ids[i] >= total) { /* new in this batch: dense, in first-seen order */
                    if (ids[i] == total + fresh)
                        fresh++;
                    else
                        assert_true(ids[i] < total + fresh);
                }
                assert_true(sl__value_eq(t.keys[0], ids[i], v, i));
            }
            total += fresh;
            assert_int_equal(t.n, total);
        }
        /* the patterns overlap only where they share a value */
        assert_true(total > 4 * SL_VEC_SIZE);
        sl__vec_free(v);
        sl__keytab_free(&t);
    }
}

/* A million distinct keys: many growths, ids 0..n-1 in order, all found
 * again, nothing inserted twice, memory growing with the keys. */
static void million(const sl__type *type, uint32_t n) {
    sl__keytab t;
    sl__keytab_init(&t, 1, &type);
    sl__vec *v = sl__vec_new(type, SL_VEC_SIZE);
    uint32_t ids[SL_VEC_SIZE];
    size_t mem0 = sl__keytab_memory(&t), last = mem0, mem_at_1k = 0;
    for (int pass = 0; pass < 3; pass++) {
        for (uint32_t at = 0; at < n; at += SL_VEC_SIZE) {
            uint32_t m = n - at < SL_VEC_SIZE ? n - at : SL_VEC_SIZE;
            sl__vec_reset(v);
            for (uint32_t i = 0; i < m; i++) set_code(v, i, at + i);
            sl__rows rows = {NULL, m};
            if (pass == 1)
                sl__keytab_find_batch(&t, &v, &rows, ids);
            else
                sl__keytab_insert_batch(&t, &v, &rows, ids);
            for (uint32_t i = 0; i < m; i++)
                if (ids[i] != at + i)
                    fail_msg("%s pass %d: key %u has id %u", type->name, pass, at + i, ids[i]);
            if (pass == 0) {
                size_t mem = sl__keytab_memory(&t);
                assert_true(mem >= last); /* never shrinks while keys are added */
                last = mem;
                if (!mem_at_1k && at + m >= 1000) mem_at_1k = mem;
            }
        }
        assert_int_equal(t.n, n);
    }
    size_t mem = sl__keytab_memory(&t);
    assert_true(mem > mem_at_1k);
    assert_true(mem > mem0);
    assert_true(mem >= (size_t)n * 4); /* at least the keys themselves */
    sl__vec_free(v);
    sl__keytab_free(&t);
}

static void test_million_keys(void **state) {
    (void)state;
    million(SL_T_I64, 1000000); /* one fixed-width column */
    million(SL_T_I32, 1000000);
    million(SL_T_STR, 300000); /* the general path */
}

/* clear forgets every key; ids start again at 0. */
static void test_clear(void **state) {
    (void)state;
    const sl__type *types[] = {SL_T_I64, SL_T_STR};
    for (int ti = 0; ti < 2; ti++) {
        sl__keytab t;
        sl__keytab_init(&t, 1, &types[ti]);
        sl__vec *v = sl__vec_new(types[ti], SL_VEC_SIZE);
        int64_t codes[5000];
        for (int i = 0; i < 5000; i++) codes[i] = i % 11 == 0 ? -1 : i;
        ref r;
        ref_init(&r, 10000);
        insert_codes(&t, v, codes, 5000, &r, SL_VEC_SIZE, false);
        sl__keytab_clear(&t);
        assert_int_equal(t.n, 0);
        ref_free(&r);
        ref_init(&r, 10000);
        find_codes(&t, v, codes, 5000, &r); /* all absent, NULL included */
        /* in another order: ids follow the new first-seen order */
        for (int i = 0; i < 5000; i++) codes[i] = 9999 - i;
        insert_codes(&t, v, codes, 5000, &r, 333, false);
        check_stored(&t, &r);
        ref_free(&r);
        sl__vec_free(v);
        sl__keytab_free(&t);
    }
}

/* compact keeps the listed ids, renumbered 0..n_keep-1 in their order, drops
 * the others (inserting one again gives a new id), and returns memory. */
static void compact_case(const sl__type *type, bool keep_null) {
    sl__keytab t;
    sl__keytab_init(&t, 1, &type);
    sl__vec *v = sl__vec_new(type, SL_VEC_SIZE);
    const uint32_t n = 30000;
    int64_t *codes = malloc(sizeof *codes * n);
    for (uint32_t i = 0; i < n; i++) codes[i] = i == 17 ? -1 : (int64_t)i;
    ref r;
    ref_init(&r, n);
    insert_codes(&t, v, codes, n, &r, SL_VEC_SIZE, false);
    size_t before = sl__keytab_memory(&t);
    /* keep every third id, and the NULL key (id 17) or not */
    uint32_t *keep = malloc(sizeof *keep * n), n_keep = 0;
    for (uint32_t id = 0; id < n; id++)
        if (id == 17 ? keep_null : id % 3 == 0) keep[n_keep++] = id;
    sl__keytab_compact(&t, keep, n_keep);
    assert_int_equal(t.n, n_keep);
    ref nr;
    ref_init(&nr, n);
    for (uint32_t i = 0; i < n_keep; i++) nr.id_of[codes[keep[i]] + 1] = i; /* ids = codes here */
    nr.n = n_keep;
    find_codes(&t, v, codes, n, &nr);
    check_stored(&t, &nr);
    if (type->id == SL_TYPE_STRING) assert_true(sl__keytab_memory(&t) < before);
    /* dropped keys come back as new ids, after the kept ones */
    int64_t again[3] = {1, 2, keep_null ? 4 : -1};
    insert_codes(&t, v, again, 3, &nr, SL_VEC_SIZE, false);
    assert_int_equal(t.n, n_keep + 3);
    /* compacting to nothing empties the table; it still works */
    sl__keytab_compact(&t, keep, 0);
    assert_int_equal(t.n, 0);
    ref_free(&nr);
    ref_init(&nr, n);
    insert_codes(&t, v, codes, 100, &nr, SL_VEC_SIZE, false);
    ref_free(&nr);
    ref_free(&r);
    free(keep);
    free(codes);
    sl__vec_free(v);
    sl__keytab_free(&t);
}

static void test_compact(void **state) {
    (void)state;
    compact_case(SL_T_I64, true);
    compact_case(SL_T_I64, false);
    compact_case(SL_T_I32, true);
    compact_case(SL_T_STR, true);
    compact_case(SL_T_STR, false);
    compact_case(SL_T_F64, false);
}

/* compact on two columns, keeping an arbitrary ascending subset. */
static void test_compact_multi_column(void **state) {
    (void)state;
    const sl__type *types[2] = {SL_T_I64, SL_T_STR};
    sl__keytab t;
    sl__keytab_init(&t, 2, types);
    sl__vec *kv[2] = {sl__vec_new(types[0], SL_VEC_SIZE), sl__vec_new(types[1], SL_VEC_SIZE)};
    uint32_t ids[SL_VEC_SIZE], expect[SL_VEC_SIZE];
    const uint32_t n = 2000;
    /* rows (i, i % 7), with NULL for i when i % 5 == 0: (NULL, r) repeats */
    uint32_t null_id[7], next = 0;
    for (int r = 0; r < 7; r++) null_id[r] = ABSENT;
    for (int c = 0; c < 2; c++) sl__vec_reset(kv[c]);
    for (uint32_t i = 0; i < n; i++) {
        set_code(kv[0], i, i % 5 == 0 ? -1 : (int64_t)i);
        set_code(kv[1], i, (int64_t)(i % 7));
        if (i % 5 == 0) {
            if (null_id[i % 7] == ABSENT) null_id[i % 7] = next++;
            expect[i] = null_id[i % 7];
        } else {
            expect[i] = next++;
        }
    }
    sl__rows rows = {NULL, n};
    sl__keytab_insert_batch(&t, kv, &rows, ids);
    for (uint32_t i = 0; i < n; i++) assert_int_equal(ids[i], expect[i]);
    assert_int_equal(t.n, next);
    uint32_t keep[4] = {0, 3, 1000, next - 1}, n_keep = 4;
    sl__keytab_compact(&t, keep, n_keep);
    assert_int_equal(t.n, n_keep);
    sl__keytab_find_batch(&t, kv, &rows, ids);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t first = expect[i]; /* the id the row's key had */
        uint32_t want = ABSENT;
        for (uint32_t k = 0; k < n_keep; k++)
            if (keep[k] == first) want = k;
        assert_int_equal(ids[i], want);
    }
    for (int c = 0; c < 2; c++) sl__vec_free(kv[c]);
    sl__keytab_free(&t);
}

/* No key columns (a global aggregate): every row is the one key. */
static void test_no_key_columns(void **state) {
    (void)state;
    sl__keytab t;
    sl__keytab_init(&t, 0, NULL);
    uint32_t ids[100];
    sl__rows rows = {NULL, 100};
    sl__keytab_insert_batch(&t, NULL, &rows, ids);
    for (uint32_t i = 0; i < 100; i++) assert_int_equal(ids[i], 0);
    assert_int_equal(t.n, 1);
    uint32_t keep[1] = {0};
    sl__keytab_compact(&t, keep, 1);
    assert_int_equal(t.n, 1);
    sl__keytab_find_batch(&t, NULL, &rows, ids);
    assert_int_equal(ids[99], 0);
    sl__keytab_compact(&t, keep, 0);
    assert_int_equal(t.n, 0);
    sl__keytab_free(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type),
        cmocka_unit_test(test_single_row_forms),
        cmocka_unit_test(test_double_zero_and_nan),
        cmocka_unit_test(test_strings_copied),
        cmocka_unit_test(test_multi_column),
        cmocka_unit_test(test_integer_patterns),
        cmocka_unit_test(test_million_keys),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_compact),
        cmocka_unit_test(test_compact_multi_column),
        cmocka_unit_test(test_no_key_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
