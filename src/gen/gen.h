/*
 * gen.h — the lab's data generators (`sluice gen iot|bpm|quotes`): what the
 * files of src/gen share, and the one entry point the CLI calls.
 *
 * The layer needs nothing of the engine. A *stream* (stream.c) turns a seed
 * and a simulated start instant into an endless sequence of JSON lines; the
 * record bodies come from iot.c, bpm.c and quotes.c. Outputs drive streams:
 * server.c serves one independent stream per TCP client, files.c writes
 * rolling files (--to-dir) or stdout. gen_main.c parses the options (opts.c)
 * and dispatches. Everything a stream prints is a function of its seed, its
 * start instant and its parameters, never of the wall clock or of scheduling.
 */
#ifndef SL_GEN_H
#define SL_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* `sluice gen ...`: argv[0] is "gen". Returns the process exit status
 * (0 on success or a clean stop by signal, 1 on a runtime error, 2 on a usage
 * error). */
int sl_gen_main(int argc, char **argv);

/* ------------------------------------------------------------------------ */
/* buf.c — growable output buffer and JSON value writers                    */
/* ------------------------------------------------------------------------ */

/* Bytes [off, len) are pending; the writers append at len. Allocation failure
 * prints a message and aborts (there is nothing a generator could do). */
typedef struct sl__gen_buf {
    char *p;
    size_t off, len, cap;
} sl__gen_buf;

void sl__gen_buf_add(sl__gen_buf *b, const void *data, size_t n);
void sl__gen_buf_puts(sl__gen_buf *b, const char *s);
/* Bytes not yet consumed. */
static inline size_t sl__gen_buf_pending(const sl__gen_buf *b) {
    return b->len - b->off;
}
/* Marks n pending bytes as consumed; empties the buffer when all are. */
void sl__gen_buf_consume(sl__gen_buf *b, size_t n);
void sl__gen_buf_free(sl__gen_buf *b);

/* A JSON string: quotes, backslashes and control characters escaped, every
 * other byte (UTF-8 included) copied as is. */
void sl__gen_json_str(sl__gen_buf *b, const char *s, size_t n);
void sl__gen_json_i64(sl__gen_buf *b, int64_t v);
/* Shortest text that reads back as exactly v, always with a '.' or an
 * exponent so JSON readers see a double; "null" if v is not finite. */
void sl__gen_json_double(sl__gen_buf *b, double v);
/* The same into dst (at least 32 bytes); returns the length. */
size_t sl__gen_fmt_double(char *dst, double v);
/* The slow reference it must agree with: %.15g, %.16g, %.17g, the first
 * that reads back exactly (tests compare the two). */
size_t sl__gen_fmt_double_ref(char *dst, double v);

/* ------------------------------------------------------------------------ */
/* rng.c — xoshiro256** seeded through splitmix64                           */
/* ------------------------------------------------------------------------ */

typedef struct sl__gen_rng {
    uint64_t s[4];
} sl__gen_rng;

/* splitmix64's finaliser: a good 64-bit mixing function (hashes). */
uint64_t sl__gen_mix64(uint64_t x);
void sl__gen_rng_seed(sl__gen_rng *r, uint64_t seed);
uint64_t sl__gen_rng_next(sl__gen_rng *r);
/* Uniform in [0, 1), 53 bits. */
double sl__gen_rng_unit(sl__gen_rng *r);
/* Uniform integer in [0, n), unbiased; n > 0. */
uint64_t sl__gen_rng_below(sl__gen_rng *r, uint64_t n);
/* Approximately standard normal (Irwin–Hall sum of 4 uniforms, so only
 * exact IEEE arithmetic is used: identical on every platform). */
double sl__gen_rng_gauss(sl__gen_rng *r);
/* A seed from the system's entropy (getrandom), for runs without --seed. */
uint64_t sl__gen_random_seed(void);

/* ------------------------------------------------------------------------ */
/* users.c — the lab's users, their devices, and who does what when        */
/* ------------------------------------------------------------------------ */

#define SL__GEN_NUSERS 9

typedef struct sl__gen_user {
    const char *user;   /* "a".."i" */
    const char *device; /* "<model>_<n>", fixed per user */
    const char *model;  /* nexus4, s3, s3mini, samsungold */
} sl__gen_user;

extern const sl__gen_user sl__gen_users[SL__GEN_NUSERS];

typedef enum sl__gen_activity {
    SL__GEN_STAND,
    SL__GEN_SIT,
    SL__GEN_WALK,
    SL__GEN_BIKE,
    SL__GEN_STAIRSUP,
    SL__GEN_STAIRSDOWN,
    SL__GEN_NULL, /* the literal label "null", not a JSON null */
    SL__GEN_NACTIVITIES
} sl__gen_activity;

const char *sl__gen_activity_name(sl__gen_activity a);
/* What user u is doing at event time t_ns under schedule `key`: a pure
 * function, so iot and bpm agree whenever they share the key. */
sl__gen_activity sl__gen_activity_at(uint64_t key, int u, int64_t t_ns);
/* Length of one activity slot of the schedule. */
#define SL__GEN_SLOT_NS (30 * INT64_C(1000000000))

/* ------------------------------------------------------------------------ */
/* corpus.c — the quotes corpus (data/quotes.tsv, also compiled in)         */
/* ------------------------------------------------------------------------ */

typedef struct sl__gen_quote {
    const char *character, *quote; /* point into the corpus text, NUL-ended */
    size_t ncharacter, nquote;
} sl__gen_quote;

typedef struct sl__gen_corpus {
    char *text; /* owned copy of the file, split in place */
    sl__gen_quote *q;
    size_t n;
} sl__gen_corpus;

/* Parses "character<TAB>quote" lines ('#' comments and blank lines skipped;
 * UTF-8 checked). Returns 0, or -1 with a message in err. */
int sl__gen_corpus_parse(sl__gen_corpus *c, const char *text, size_t len, char *err, size_t errcap);
/* The corpus compiled into the binary. */
int sl__gen_corpus_builtin(sl__gen_corpus *c, char *err, size_t errcap);
int sl__gen_corpus_load(sl__gen_corpus *c, const char *path, char *err, size_t errcap);
void sl__gen_corpus_free(sl__gen_corpus *c);

/* Generated at build time from data/quotes.tsv (see CMakeLists.txt). */
extern const unsigned char sl__gen_corpus_data[];
extern const size_t sl__gen_corpus_size;

/* ------------------------------------------------------------------------ */
/* stream.c, iot.c, bpm.c, quotes.c — the record streams                    */
/* ------------------------------------------------------------------------ */

typedef enum sl__gen_kind { SL__GEN_IOT, SL__GEN_BPM, SL__GEN_QUOTES } sl__gen_kind;

#define SL__GEN_NS_PER_S INT64_C(1000000000)
/* Normal transmission delays are uniform in [0, this). */
#define SL__GEN_NORMAL_DELAY_NS (500 * INT64_C(1000000))

/* What every stream of one run shares. */
typedef struct sl__gen_params {
    sl__gen_kind kind;
    int64_t period_ns;            /* simulated time between two arrivals (nominal rate) */
    double error_rate;            /* share of error records (iot, bpm) */
    double late_fraction;         /* share of late records (iot, bpm) */
    int64_t max_delay_ns;         /* late records are late by [NORMAL_DELAY, this] */
    uint64_t sched_key;           /* activity schedule key */
    const sl__gen_corpus *corpus; /* quotes */
} sl__gen_params;

/* One stream: a client's, or a run's for --to-dir. */
typedef struct sl__gen_stream {
    sl__gen_params p;
    sl__gen_rng rng;
    int64_t start_ns;              /* simulated clock origin (epoch ns) */
    uint64_t n;                    /* lines produced so far */
    int64_t index[SL__GEN_NUSERS]; /* per-device counters */
} sl__gen_stream;

/* The timing and identity of one iot/bpm record, decided by stream.c. */
typedef struct sl__gen_event {
    int64_t arrival_ns, creation_ns;
    bool error; /* an error record: all fields but the times are null */
    int user;   /* index into sl__gen_users */
    int64_t index;
    sl__gen_activity activity;
} sl__gen_event;

void sl__gen_stream_init(sl__gen_stream *s, const sl__gen_params *p, uint64_t seed,
                         int64_t start_ns);
/* Appends the stream's next line, '\n' included. */
void sl__gen_stream_next(sl__gen_stream *s, sl__gen_buf *out);

void sl__gen_iot_record(sl__gen_stream *s, const sl__gen_event *e, sl__gen_buf *out);
void sl__gen_bpm_record(sl__gen_stream *s, const sl__gen_event *e, sl__gen_buf *out);
void sl__gen_quotes_record(sl__gen_stream *s, sl__gen_buf *out);
/* The "Arrival_Time":…,"Creation_Time":… prefix both iot and bpm use. */
void sl__gen_times(sl__gen_buf *out, const sl__gen_event *e);

/* ------------------------------------------------------------------------ */
/* opts.c — command-line options                                            */
/* ------------------------------------------------------------------------ */

/* The fixed instant a seeded run starts at when --start-time is not given:
 * 2020-03-21 10:32:11 UTC, the second of the lab's sample record. */
#define SL__GEN_DEFAULT_START_S INT64_C(1584786731)

typedef struct sl__gen_opts {
    sl__gen_kind kind;
    const char *host;
    int port;
    double rate;    /* lines per second per client; 0 = as fast as read */
    uint64_t count; /* lines per client or per run; 0 = no limit */
    bool have_seed;
    uint64_t seed;
    bool have_start;  /* --start-time given */
    bool start_now;   /* ... as "now" */
    int64_t start_ns; /* when have_start && !start_now */
    double error_rate, late_fraction, max_delay_s;
    const char *to_dir;
    uint64_t lines_per_file;
    bool to_stdout;
    const char *corpus_path;
    bool quiet;
} sl__gen_opts;

const char *sl__gen_kind_name(sl__gen_kind k);
/* Parses argv (argv[0] == "gen"). Returns 0 when o is ready, 1 when --help
 * was asked, -1 on a usage error (message in err). */
int sl__gen_opts_parse(sl__gen_opts *o, int argc, char **argv, char *err, size_t errcap);
/* Prints the usage text. */
void sl__gen_usage(FILE *f);
/* The run's shared parameters (corpus supplied by the caller). */
void sl__gen_opts_params(const sl__gen_opts *o, const sl__gen_corpus *corpus, sl__gen_params *p);
/* Seed and start instant of a new stream: fixed with --seed, fresh without. */
void sl__gen_opts_stream_origin(const sl__gen_opts *o, int64_t run_start_ns, uint64_t *seed,
                                int64_t *start_ns);

/* ------------------------------------------------------------------------ */
/* signals.c, server.c, files.c — running a generator                       */
/* ------------------------------------------------------------------------ */

/* Installs SIGINT/SIGTERM handlers that request a stop, and ignores SIGPIPE.
 * Returns a descriptor that becomes readable once a stop is requested. */
int sl__gen_signals_install(void);
bool sl__gen_stop_requested(void);
/* Wall clock and monotonic clock, in ns. */
int64_t sl__gen_wall_ns(void);
int64_t sl__gen_mono_ns(void);

/* Each returns the process exit status. */
int sl__gen_serve(const sl__gen_opts *o, const sl__gen_params *p);
int sl__gen_write_dir(const sl__gen_opts *o, const sl__gen_params *p);
int sl__gen_write_stdout(const sl__gen_opts *o, const sl__gen_params *p);

#endif
