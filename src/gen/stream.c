/*
 * stream.c — one generator stream: the simulated clock and the per-record
 * decisions iot and bpm share (arrival and creation times, late and error
 * records, which user, the device's Index, the current activity). The
 * record bodies are written by iot.c, bpm.c and quotes.c.
 *
 * Design notes
 *  - Line n arrives in the slot [start + n*period, start + (n+1)*period) at a
 *    random point of it, so Arrival_Time strictly follows the line order and
 *    the nominal rate, whatever the real pacing of the output.
 *  - Creation_Time = Arrival_Time - delay, with delay uniform in
 *    [0, SL__GEN_NORMAL_DELAY_NS) for most records and in
 *    [SL__GEN_NORMAL_DELAY_NS, max_delay] for a late_fraction of them; it is
 *    rounded down to 100 ns, like the lab's sample. So Creation_Time <=
 *    Arrival_Time always, and events arrive out of creation order.
 *  - Every record draws the same number of random values whatever the
 *    options, so changing --error-rate does not reshuffle the other fields.
 *  - The stream's output is a function of (params, seed, start_ns) only.
 */
#include "gen.h"

#include <string.h>

void sl__gen_stream_init(sl__gen_stream *s, const sl__gen_params *p, uint64_t seed,
                         int64_t start_ns) {
    memset(s, 0, sizeof *s);
    s->p = *p;
    s->start_ns = start_ns;
    /* iot and bpm run with one seed must not draw the same sequence. */
    sl__gen_rng_seed(&s->rng, seed ^ sl__gen_mix64(UINT64_C(0x5eed) + (uint64_t)p->kind));
    /* Devices have been on for a while: counters start anywhere below 5000. */
    for (int u = 0; u < SL__GEN_NUSERS; u++)
        s->index[u] = (int64_t)sl__gen_rng_below(&s->rng, 5000);
}

static void next_event(sl__gen_stream *s, sl__gen_event *e) {
    sl__gen_rng *r = &s->rng;
    const sl__gen_params *p = &s->p;
    double u_jitter = sl__gen_rng_unit(r), u_late = sl__gen_rng_unit(r);
    double u_delay = sl__gen_rng_unit(r), u_error = sl__gen_rng_unit(r);
    int user = (int)sl__gen_rng_below(r, SL__GEN_NUSERS);

    memset(e, 0, sizeof *e);
    int64_t slot = s->start_ns + (int64_t)s->n * p->period_ns;
    e->arrival_ns = slot + (int64_t)(u_jitter * (double)p->period_ns);
    int64_t delay;
    if (u_late < p->late_fraction && p->max_delay_ns > SL__GEN_NORMAL_DELAY_NS)
        delay = SL__GEN_NORMAL_DELAY_NS +
                (int64_t)(u_delay * (double)(p->max_delay_ns - SL__GEN_NORMAL_DELAY_NS));
    else
        delay = (int64_t)(u_delay * (double)SL__GEN_NORMAL_DELAY_NS);
    int64_t c = e->arrival_ns - delay;
    e->creation_ns = c < 0 ? 0 : c - c % 100;
    e->error = u_error < p->error_rate;
    e->user = user;
    if (!e->error) {
        e->index = s->index[user]++;
        e->activity = sl__gen_activity_at(p->sched_key, user, e->creation_ns);
    }
}

void sl__gen_times(sl__gen_buf *out, const sl__gen_event *e) {
    sl__gen_buf_puts(out, "{\"Arrival_Time\":");
    sl__gen_json_i64(out, e->arrival_ns);
    sl__gen_buf_puts(out, ",\"Creation_Time\":");
    sl__gen_json_i64(out, e->creation_ns);
}

void sl__gen_stream_next(sl__gen_stream *s, sl__gen_buf *out) {
    sl__gen_event e;
    switch (s->p.kind) {
    case SL__GEN_IOT:
        next_event(s, &e);
        sl__gen_iot_record(s, &e, out);
        break;
    case SL__GEN_BPM:
        next_event(s, &e);
        sl__gen_bpm_record(s, &e, out);
        break;
    case SL__GEN_QUOTES: sl__gen_quotes_record(s, out); break;
    }
    s->n++;
}
