/*
 * bench_json.c — decode throughput of the schema-directed JSON decoder on
 * the lab's IoT record (~230 bytes a line, keys in schema order, 16-17
 * digit doubles, 2% error records with null fields).
 *
 * Generates N seeded lines in memory, decodes them into 2048-row vectors
 * (newline framing included, strings borrowed from the buffer as a stream
 * source does), checks every decoded value against the generator's, then
 * times passes: one warm-up, the median of five, in thread CPU time (the
 * machine is shared with builds; wall time would measure the neighbours).
 * Prints
 *     json_decode_iot         <MB/s>  <Mrows/s>
 *     json_decode_iot_copy    <MB/s>  <Mrows/s>   (strings copied)
 * and the BENCH lines of bench/run.sh (bench.h): target 1000 MB/s (the
 * issue's), peer Spark's from_json on one core, 0.94 Mrows/s
 * (reference/perf-anchors.md §3.1). A wrong value is a BENCHFAIL.
 * Usage: bench_json [lines] (default 200000; 5000 with SLUICE_BENCH_QUICK).
 */
#include "bench.h"
#include "format/json.h"

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

static uint64_t rs = 0x243F6A8885A308D3ULL;
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

/* shortest text that reads back exactly, as the generator writes doubles */
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

static sl__vec **cols;
static const sl__type *schema;

/* Decodes the whole buffer; returns rows. When recs is given, checks each
 * row against it. */
static uint64_t pass(sl__json_decoder *d, const char *buf, size_t len, const rec *recs,
                     bool borrow) {
    const char *p = buf, *end = buf + len;
    uint32_t row = 0;
    uint64_t total = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (row == SL_VEC_SIZE) {
            for (uint32_t i = 0; i < schema->n_fields; i++) sl__vec_reset(cols[i]);
            row = 0;
        }
        sl__json_status st = sl__json_decode(d, p, (size_t)(le - p), cols, row, borrow);
        if (recs) {
            const rec *r = &recs[total];
            bool ok = st == SL_JSON_OK && SL_VEC_DATA(cols[0], int64_t)[row] == r->at &&
                      SL_VEC_DATA(cols[1], int64_t)[row] == r->ct;
            if (r->error) {
                for (int i = 2; i < 10; i++) ok = ok && !sl__vec_valid(cols[i], row);
            } else {
                sl__str dev = SL_VEC_DATA(cols[2], sl__str)[row];
                sl__str gt = SL_VEC_DATA(cols[6], sl__str)[row];
                ok = ok && dev.len == strlen(devices[r->dev]) &&
                     memcmp(dev.ptr, devices[r->dev], dev.len) == 0 &&
                     gt.len == strlen(gts[r->gt]) && memcmp(gt.ptr, gts[r->gt], gt.len) == 0 &&
                     SL_VEC_DATA(cols[3], int64_t)[row] == r->index &&
                     SL_VEC_DATA(cols[7], double)[row] == r->x &&
                     SL_VEC_DATA(cols[8], double)[row] == r->y &&
                     SL_VEC_DATA(cols[9], double)[row] == r->z;
                for (int i = 2; i < 10; i++) ok = ok && sl__vec_valid(cols[i], row);
            }
            if (!ok) {
                fprintf(stderr, "bench_json: row %llu decoded wrongly: %.*s\n",
                        (unsigned long long)total, (int)(le - p), p);
                bench_fail("json_decode_iot", "a decoded value differs from the generator's");
                exit(1);
            }
        }
        row++;
        total++;
        p = nl ? nl + 1 : end;
    }
    return total;
}

static void run(const char *label, sl__json_decoder *d, const char *buf, size_t len, bool borrow,
                bool report) {
    pass(d, buf, len, NULL, borrow); /* warm-up */
    double t[5];
    uint64_t rows = 0;
    for (int i = 0; i < 5; i++) {
        double t0 = now();
        rows = pass(d, buf, len, NULL, borrow);
        t[i] = now() - t0;
    }
    qsort(t, 5, sizeof t[0], bench_cmp_double);
    double mbs = (double)len / t[2] / 1e6, mrows = (double)rows / t[2] / 1e6;
    printf("%-24s %8.0f MB/s  %6.2f Mrows/s\n", label, mbs, mrows);
    if (report) {
        bench_report(label, mbs, "MB/s", 1000, true, NULL, 0);
        bench_report("json_decode_iot_rows", mrows, "Mrows/s", 1000.0 / 216, true,
                     "Spark from_json, 1 core", 0.94);
    }
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : bench_quick() ? 5000 : 200000;
    if (n <= 0) n = 200000;
    sl__err err;
    sl__err_clear(&err);
    if (sl__schema_parse(DDL, strlen(DDL), &schema, &err) != SL_OK) {
        fprintf(stderr, "bench_json: %s\n", err.msg);
        return 1;
    }
    rec *recs = calloc((size_t)n, sizeof *recs);
    sl__buf b = SL_BUF_INIT;
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
        sl__buf_printf(&b, "{\"Arrival_Time\":%lld,\"Creation_Time\":%lld", (long long)r->at,
                       (long long)r->ct);
        if (r->error) {
            sl__buf_puts(&b, ",\"Device\":null,\"Index\":null,\"Model\":null,\"User\":null,"
                             "\"gt\":null,\"x\":null,\"y\":null,\"z\":null}\n");
            continue;
        }
        char x[40], y[40], z[40];
        fmt_double(x, r->x);
        fmt_double(y, r->y);
        fmt_double(z, r->z);
        sl__buf_printf(&b,
                       ",\"Device\":\"%s\",\"Index\":%lld,\"Model\":\"%s\",\"User\":\"%s\",\"gt\":"
                       "\"%s\",\"x\":%s,\"y\":%s,\"z\":%s}\n",
                       devices[r->dev], (long long)r->index, models[r->dev], users[r->user],
                       gts[r->gt], x, y, z);
    }
    cols = calloc(schema->n_fields, sizeof *cols);
    for (uint32_t i = 0; i < schema->n_fields; i++)
        cols[i] = sl__vec_new(schema->fields[i], SL_VEC_SIZE);
    sl__json_decoder *d = sl__json_decoder_new(schema, 0);
    /* correctness first */
    if (pass(d, b.p, b.len, recs, true) != (uint64_t)n ||
        pass(d, b.p, b.len, recs, false) != (uint64_t)n) {
        bench_fail("json_decode_iot", "row count mismatch");
        return 1;
    }
    fprintf(stderr, "bench_json: %ld lines, %.1f MB, %.0f bytes/line, values checked\n", n,
            (double)b.len / 1e6, (double)b.len / (double)n);
    run("json_decode_iot", d, b.p, b.len, true, true);
    run("json_decode_iot_copy", d, b.p, b.len, false, false);
    sl__json_decoder_free(d);
    for (uint32_t i = 0; i < schema->n_fields; i++) sl__vec_free(cols[i]);
    free(cols);
    free(recs);
    sl__buf_free(&b);
    return 0;
}
