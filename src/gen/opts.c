/*
 * opts.c — the options of `sluice gen`: parsing, validation with a clear
 * message for every mistake (the caller exits 2), the usage text, and the
 * two derived decisions every output needs: the run's shared stream
 * parameters, and the seed and start instant of each new stream.
 *
 * Defaults are chosen for watching a console during the lab: iot 20 lines/s,
 * bpm 5/s, quotes 1/s per client; error records 3 %, late events 2 %, late
 * by up to 10 s. With --seed and no --start-time, simulated time starts at
 * SL__GEN_DEFAULT_START_S; without --seed each stream starts at the wall
 * clock and gets a fresh random seed.
 */
#include "gen.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct kind_info {
    const char *name;
    int port;
    double rate;
} kind_info;

static const kind_info kinds[] = {
    [SL__GEN_IOT] = {"iot", 9999, 20.0},
    [SL__GEN_BPM] = {"bpm", 10000, 5.0},
    [SL__GEN_QUOTES] = {"quotes", 10001, 1.0},
};

const char *sl__gen_kind_name(sl__gen_kind k) {
    return kinds[k].name;
}

void sl__gen_usage(FILE *f) {
    fputs("usage: sluice gen iot|bpm|quotes [options]\n"
          "\n"
          "Serves the lab's JSON lines over TCP: every client that connects gets its own\n"
          "stream, until --count lines or forever. iot: smartphone accelerometer records\n"
          "(port 9999); bpm: heart rates of the same users (port 10000); quotes: lines of\n"
          "Molière and Corneille (port 10001). Ctrl-C or SIGTERM stops the server.\n"
          "\n"
          "options:\n"
          "  --host H            address to listen on (default 127.0.0.1)\n"
          "  --port N            TCP port (default 9999, 10000, 10001; 0 = any free port)\n"
          "  --rate R            lines per second per client (default iot 20, bpm 5,\n"
          "                      quotes 1; 0 = as fast as the client reads)\n"
          "  --count N           lines per client, then close (with --to-dir or --stdout:\n"
          "                      lines in all); 0 = no limit (default)\n"
          "  --seed S            reproducible output: the same seed gives the same bytes\n"
          "  --start-time T      start of the simulated clock, epoch seconds or 'now'\n"
          "                      (default: 1584786731 with --seed, else the wall clock)\n"
          "  --error-rate P      iot, bpm: share of error records, 0..1 (default 0.03)\n"
          "  --late-fraction P   iot, bpm: share of late events, 0..1 (default 0.02)\n"
          "  --max-delay D       iot, bpm: maximum lateness of late events in seconds,\n"
          "                      0.5..86400 (default 10); others are late by 0-0.5 s\n"
          "  --corpus FILE       quotes: CHARACTER<TAB>QUOTE lines instead of the\n"
          "                      built-in corpus\n"
          "  --to-dir DIR        write rolling files DIR/<kind>-000001.json, ... instead\n"
          "                      of serving (each renamed into place when complete)\n"
          "  --lines-per-file N  with --to-dir (default 100)\n"
          "  --stdout            write the lines to standard output instead of serving\n"
          "  --quiet             do not log clients connecting and leaving\n"
          "  -h, --help          this text\n",
          f);
}

/* Strict unsigned decimal (or 0x hex when hex_ok). */
static bool parse_u64(const char *s, uint64_t *out, bool hex_ok) {
    if (!s || !*s || !(s[0] >= '0' && s[0] <= '9')) return false;
    int base = hex_ok && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || *end || end == s) return false;
    *out = v;
    return true;
}

static bool parse_double(const char *s, double lo, double hi, double *out) {
    if (!s || !*s || strchr(s, 'x') || strchr(s, 'X')) return false; /* no hex floats */
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || end == s || !isfinite(v) || v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* Epoch seconds with up to 9 decimals, into exact nanoseconds. */
static bool parse_epoch(const char *s, int64_t *ns) {
    int64_t sec = 0, frac = 0;
    int digits = 0, fdigits = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        if (digits >= 11) return false;
        sec = sec * 10 + (*p - '0');
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, fdigits++) {
            if (fdigits >= 9) return false;
            frac = frac * 10 + (*p - '0');
        }
        if (fdigits == 0) return false;
    }
    if (*p || digits == 0) return false;
    for (int i = fdigits; i < 9; i++) frac *= 10;
    if (sec > INT64_C(4102444800)) return false; /* 2100-01-01 */
    *ns = sec * SL__GEN_NS_PER_S + frac;
    return true;
}

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        snprintf(err, errcap, __VA_ARGS__);                                                        \
        return -1;                                                                                 \
    } while (0)

int sl__gen_opts_parse(sl__gen_opts *o, int argc, char **argv, char *err, size_t errcap) {
    memset(o, 0, sizeof *o);
    o->host = "127.0.0.1";
    o->port = -1;
    o->rate = -1;
    o->error_rate = 0.03;
    o->late_fraction = 0.02;
    o->max_delay_s = 10.0;
    o->lines_per_file = 0;
    bool have_kind = false, set_port = false, set_host = false, set_lpf = false;
    bool set_err = false, set_late = false, set_delay = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) return 1;
        if (a[0] != '-' || a[1] == '\0') {
            if (have_kind) FAIL("unexpected argument '%s'", a);
            bool found = false;
            for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
                if (strcmp(a, kinds[k].name) == 0) {
                    o->kind = (sl__gen_kind)k;
                    found = true;
                }
            }
            if (!found) FAIL("unknown generator '%s' (expected iot, bpm or quotes)", a);
            have_kind = true;
            continue;
        }
        /* --name value or --name=value */
        char name[32];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        if (nlen >= sizeof name) FAIL("unknown option '%s'", a);
        memcpy(name, a, nlen);
        name[nlen] = '\0';
        bool flag = strcmp(name, "--stdout") == 0 || strcmp(name, "--quiet") == 0;
        if (flag) {
            if (eq) FAIL("option '%s' takes no value", name);
        } else if (eq) {
            val = eq + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        }
        static const char *const known[] = {
            "--host",       "--port",           "--rate",          "--count",     "--seed",
            "--start-time", "--error-rate",     "--late-fraction", "--max-delay", "--corpus",
            "--to-dir",     "--lines-per-file", "--stdout",        "--quiet"};
        bool is_known = false;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (strcmp(name, known[k]) == 0) is_known = true;
        if (!is_known) FAIL("unknown option '%s'", name);
        if (!flag && !val) FAIL("option '%s' needs a value", name);

        uint64_t u;
        if (strcmp(name, "--host") == 0) {
            if (!*val) FAIL("--host: empty address");
            o->host = val;
            set_host = true;
        } else if (strcmp(name, "--port") == 0) {
            if (!parse_u64(val, &u, false) || u > 65535)
                FAIL("--port: expected a port number 0..65535, got '%s'", val);
            o->port = (int)u;
            set_port = true;
        } else if (strcmp(name, "--rate") == 0) {
            if (!parse_double(val, 0, 1e7, &o->rate))
                FAIL("--rate: expected lines per second 0..10000000, got '%s'", val);
        } else if (strcmp(name, "--count") == 0) {
            if (!parse_u64(val, &o->count, false))
                FAIL("--count: expected a number of lines, got '%s'", val);
        } else if (strcmp(name, "--seed") == 0) {
            if (!parse_u64(val, &o->seed, true))
                FAIL("--seed: expected an unsigned 64-bit integer, got '%s'", val);
            o->have_seed = true;
        } else if (strcmp(name, "--start-time") == 0) {
            o->have_start = true;
            o->start_now = strcmp(val, "now") == 0;
            if (!o->start_now && !parse_epoch(val, &o->start_ns))
                FAIL("--start-time: expected epoch seconds (0..4102444800) or 'now', got '%s'",
                     val);
        } else if (strcmp(name, "--error-rate") == 0) {
            if (!parse_double(val, 0, 1, &o->error_rate))
                FAIL("--error-rate: expected a probability 0..1, got '%s'", val);
            set_err = true;
        } else if (strcmp(name, "--late-fraction") == 0) {
            if (!parse_double(val, 0, 1, &o->late_fraction))
                FAIL("--late-fraction: expected a probability 0..1, got '%s'", val);
            set_late = true;
        } else if (strcmp(name, "--max-delay") == 0) {
            if (!parse_double(val, 0.5, 86400, &o->max_delay_s))
                FAIL("--max-delay: expected seconds 0.5..86400, got '%s'", val);
            set_delay = true;
        } else if (strcmp(name, "--corpus") == 0) {
            if (!*val) FAIL("--corpus: empty file name");
            o->corpus_path = val;
        } else if (strcmp(name, "--to-dir") == 0) {
            if (!*val) FAIL("--to-dir: empty directory name");
            o->to_dir = val;
        } else if (strcmp(name, "--lines-per-file") == 0) {
            if (!parse_u64(val, &o->lines_per_file, false) || o->lines_per_file == 0)
                FAIL("--lines-per-file: expected a positive number, got '%s'", val);
            set_lpf = true;
        } else if (strcmp(name, "--stdout") == 0) {
            o->to_stdout = true;
        } else if (strcmp(name, "--quiet") == 0) {
            o->quiet = true;
        }
    }

    if (!have_kind) FAIL("which generator? expected iot, bpm or quotes");
    const char *kn = kinds[o->kind].name;
    if (o->kind == SL__GEN_QUOTES) {
        if (set_err) FAIL("--error-rate does not apply to quotes");
        if (set_late) FAIL("--late-fraction does not apply to quotes");
        if (set_delay) FAIL("--max-delay does not apply to quotes");
    } else if (o->corpus_path) {
        FAIL("--corpus applies to quotes only, not %s", kn);
    }
    if (o->to_dir && o->to_stdout) FAIL("--to-dir and --stdout cannot be used together");
    if (set_lpf && !o->to_dir) FAIL("--lines-per-file needs --to-dir");
    if ((o->to_dir || o->to_stdout) && (set_port || set_host))
        FAIL("--host and --port are for serving; not with %s", o->to_dir ? "--to-dir" : "--stdout");
    if (o->port < 0) o->port = kinds[o->kind].port;
    if (o->rate < 0) o->rate = kinds[o->kind].rate;
    if (!o->lines_per_file) o->lines_per_file = 100;
    return 0;
}

void sl__gen_opts_params(const sl__gen_opts *o, const sl__gen_corpus *corpus, sl__gen_params *p) {
    memset(p, 0, sizeof *p);
    p->kind = o->kind;
    /* Simulated time follows the nominal rate; with --rate 0 (unpaced) it
     * follows the kind's default rate. */
    double rate = o->rate > 0 ? o->rate : kinds[o->kind].rate;
    double period = 1e9 / rate;
    p->period_ns = period < 1 ? 1 : (int64_t)(period + 0.5);
    p->error_rate = o->error_rate;
    p->late_fraction = o->late_fraction;
    p->max_delay_ns = (int64_t)(o->max_delay_s * 1e9 + 0.5);
    /* The activity schedule depends on the seed; unseeded runs share one
     * schedule, so iot and bpm still agree on who does what. */
    p->sched_key = o->have_seed ? o->seed : 0;
    p->corpus = corpus;
}

void sl__gen_opts_stream_origin(const sl__gen_opts *o, int64_t run_start_ns, uint64_t *seed,
                                int64_t *start_ns) {
    *seed = o->have_seed ? o->seed : sl__gen_random_seed();
    if (o->have_start)
        *start_ns = o->start_now ? run_start_ns : o->start_ns;
    else if (o->have_seed)
        *start_ns = SL__GEN_DEFAULT_START_S * SL__GEN_NS_PER_S;
    else
        *start_ns = sl__gen_wall_ns();
}
