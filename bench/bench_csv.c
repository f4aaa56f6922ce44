/*
 * bench_csv.c — parse throughput of the CSV reader on a typical numeric
 * and text file: the lab's IoT record as CSV (two 19-digit integers, an
 * integer, four short strings, three 16-17 digit doubles; ~140 bytes a
 * line, a header line, 2% rows with empty fields, some quoted fields).
 *
 * Generates N seeded lines in memory, parses them into 2048-row chunks with
 * a given schema (strings copied into the vectors, as file tables do),
 * checks every value against the generator's, then times passes: one
 * warm-up, the median of five, in thread CPU time (the machine is shared).
 * Prints
 *     csv_parse_iot       <MB/s>  <Mrows/s>
 *     csv_infer_iot       <MB/s>  <Mrows/s>   (schema inference pass)
 * and the BENCH lines of bench/run.sh (bench.h), target 300 MB/s (the
 * issue's). A wrong value is a BENCHFAIL.
 * Usage: bench_csv [lines] (default 300000; 5000 with SLUICE_BENCH_QUICK).
 */
#include "bench.h"
#include "format/csv.h"

#include <math.h>
#include <time.h>

typedef struct rec {
    int64_t at, ct, index;
    int dev, user, gt;
    double x, y, z;
    bool error;
} rec;

static const char *const devices[] = {"nexus4_1", "nexus4_2", "s3_1",
                                      "s3_2",     "s3mini_1", "samsungold_2"};
static const char *const models[] = {"nexus4", "nexus4", "s3", "s3", "s3mini", "samsungold"};
static const char *const users[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
static const char *const gts[] = {"stand", "sit", "walk", "bike", "stairsup", "stairsdown", "null"};

static uint64_t rs = 0x13198A2E03707344ULL;
static uint64_t rnd(void) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}
static double unif(void) {
    return (double)(rnd() >> 11) / 9007199254740992.0;
}
static double gauss(void) {
    double u = unif() + 1e-300, v = unif();
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static int fmt_double(char *buf, double d) {
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(buf, 40, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) break;
    }
    return n;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static const char *DDL = "Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` "
                         "BIGINT, Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z "
                         "DOUBLE";

static bool str_is(const sl__vec *v, uint32_t r, const char *s) {
    sl__str x = SL_VEC_DATA(v, sl__str)[r];
    return x.len == strlen(s) && memcmp(x.ptr, s, x.len) == 0;
}

static void check(const sl__chunks *c, const rec *recs, long n) {
    long i = 0;
    for (uint32_t k = 0; k < c->n; k++)
        for (uint32_t r = 0; r < c->v[k].n; r++, i++) {
            sl__vec **cols = c->v[k].cols;
            const rec *e = &recs[i];
            bool ok = SL_VEC_DATA(cols[0], int64_t)[r] == e->at &&
                      SL_VEC_DATA(cols[1], int64_t)[r] == e->ct;
            if (e->error) {
                for (int f = 2; f < 10; f++) ok = ok && !sl__vec_valid(cols[f], r);
            } else {
                ok = ok && str_is(cols[2], r, devices[e->dev]) &&
                     SL_VEC_DATA(cols[3], int64_t)[r] == e->index &&
                     str_is(cols[4], r, models[e->dev]) && str_is(cols[5], r, users[e->user]) &&
                     str_is(cols[6], r, gts[e->gt]) && SL_VEC_DATA(cols[7], double)[r] == e->x &&
                     SL_VEC_DATA(cols[8], double)[r] == e->y &&
                     SL_VEC_DATA(cols[9], double)[r] == e->z;
            }
            if (!ok) {
                fprintf(stderr, "bench_csv: row %ld decoded wrongly\n", i);
                bench_fail("csv_parse_iot", "a parsed value differs from the generator's");
                exit(1);
            }
        }
    if (i != n) {
        fprintf(stderr, "bench_csv: %ld rows, want %ld\n", i, n);
        bench_fail("csv_parse_iot", "row count mismatch");
        exit(1);
    }
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : bench_quick() ? 5000 : 300000;
    if (n <= 0) n = 300000;
    sl__err err;
    sl__err_clear(&err);
    const sl__type *schema;
    if (sl__schema_parse(DDL, strlen(DDL), &schema, &err) != SL_OK) return 1;
    rec *recs = calloc((size_t)n, sizeof *recs);
    sl__buf b = SL_BUF_INIT;
    sl__buf_puts(&b, "Arrival_Time,Creation_Time,Device,Index,Model,User,gt,x,y,z\n");
    int64_t t0 = 1584786731000000000LL;
    for (long i = 0; i < n; i++) {
        rec *r = &recs[i];
        r->ct = t0 + i * 5000000LL + (int64_t)(rnd() % 1000000);
        r->at = r->ct + 100000000LL + (int64_t)(rnd() % 200000000);
        r->error = rnd() % 50 == 0;
        r->dev = (int)(rnd() % 6);
        r->user = (int)(rnd() % 9);
        r->gt = (int)(rnd() % 7);
        r->index = (int64_t)(rnd() % 100000);
        r->x = 0.3 + 0.8 * gauss();
        r->y = -0.1 + 0.8 * gauss();
        r->z = 0.9 + 0.8 * gauss();
        sl__buf_printf(&b, "%lld,%lld", (long long)r->at, (long long)r->ct);
        if (r->error) {
            sl__buf_puts(&b, ",,,,,,,,\n");
            continue;
        }
        char x[40], y[40], z[40];
        fmt_double(x, r->x);
        fmt_double(y, r->y);
        fmt_double(z, r->z);
        bool q = i % 10 == 0; /* some quoted fields */
        sl__buf_printf(&b, ",%s%s%s,%lld,%s,%s,%s,%s,%s,%s\n", q ? "\"" : "", devices[r->dev],
                       q ? "\"" : "", (long long)r->index, models[r->dev], users[r->user],
                       gts[r->gt], x, y, z);
    }
    sl__csv_opts o;
    sl__csv_opts_init(&o);
    o.header = true;
    sl__chunks c;
    sl__chunks_init(&c, schema);
    uint64_t bad = 0;
    if (sl__csv_parse_buffer(&o, b.p, b.len, NULL, &c, &bad, &err) != SL_OK || bad) {
        fprintf(stderr, "bench_csv: parse failed (%llu bad): %s\n", (unsigned long long)bad,
                err.msg);
        bench_fail("csv_parse_iot", "parse failed");
        return 1;
    }
    check(&c, recs, n);
    sl__chunks_free(&c);
    fprintf(stderr, "bench_csv: %ld lines, %.1f MB, %.0f bytes/line, values checked\n", n,
            (double)b.len / 1e6, (double)b.len / (double)n);
    /* parse */
    double t[6];
    for (int i = 0; i < 6; i++) {
        sl__chunks_init(&c, schema);
        double s = now();
        sl__csv_parse_buffer(&o, b.p, b.len, NULL, &c, &bad, &err);
        t[i] = now() - s;
        sl__chunks_free(&c);
    }
    qsort(t + 1, 5, sizeof t[0], bench_cmp_double);
    printf("%-24s %8.0f MB/s  %6.2f Mrows/s\n", "csv_parse_iot", (double)b.len / t[3] / 1e6,
           (double)n / t[3] / 1e6);
    bench_report("csv_parse_iot", (double)b.len / t[3] / 1e6, "MB/s", 300, true, NULL, 0);
    /* inference */
    o.infer_schema = true;
    const sl__type *inferred = NULL;
    for (int i = 0; i < 6; i++) {
        sl__csv_infer *ci = sl__csv_infer_new(&o);
        double s = now();
        sl__csv_infer_add(ci, b.p, b.len);
        inferred = sl__csv_infer_schema(ci);
        t[i] = now() - s;
        sl__csv_infer_free(ci);
    }
    qsort(t + 1, 5, sizeof t[0], bench_cmp_double);
    if (strcmp(inferred->name, "struct<Arrival_Time:bigint,Creation_Time:bigint,Device:string,"
                               "Index:int,Model:string,User:string,gt:string,x:double,y:double,"
                               "z:double>") != 0) {
        fprintf(stderr, "bench_csv: inferred %s\n", inferred->name);
        bench_fail("csv_infer_iot", "wrong inferred schema");
        return 1;
    }
    printf("%-24s %8.0f MB/s  %6.2f Mrows/s\n", "csv_infer_iot", (double)b.len / t[3] / 1e6,
           (double)n / t[3] / 1e6);
    bench_report("csv_infer_iot", (double)b.len / t[3] / 1e6, "MB/s", 300, true, NULL, 0);
    sl__csv_opts_free(&o);
    free(recs);
    sl__buf_free(&b);
    return 0;
}
