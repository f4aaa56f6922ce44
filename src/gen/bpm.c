/*
 * bpm.c — the body of the lab's heart-rate record (port 10000), for the
 * same users and devices as iot:
 *
 *   {"Arrival_Time":…,"Creation_Time":…,"Device":"s3_1","Index":88,
 *    "Model":"s3","User":"c","bpm":104}
 *
 * bpm is a small integer, plausible for what the user is doing at
 * Creation_Time according to the shared schedule (users.c), shifted by a
 * fixed per-user resting offset, with a little noise, and clamped to
 * [40, 200]. Error records keep the two times and null the rest.
 */
#include "gen.h"

#include <string.h>

/* Typical heart rate per activity. */
static const double means[SL__GEN_NACTIVITIES] = {
    [SL__GEN_STAND] = 76, [SL__GEN_SIT] = 68,       [SL__GEN_WALK] = 102,
    [SL__GEN_BIKE] = 128, [SL__GEN_STAIRSUP] = 134, [SL__GEN_STAIRSDOWN] = 108,
    [SL__GEN_NULL] = 80,
};

/* A user's offset in [-8, 8] bpm: some hearts beat slower than others. */
static int user_offset(int u) {
    return (int)(sl__gen_mix64(UINT64_C(0xb93) + (uint64_t)u) % 17) - 8;
}

void sl__gen_bpm_record(sl__gen_stream *s, const sl__gen_event *e, sl__gen_buf *out) {
    double g = sl__gen_rng_gauss(&s->rng);
    sl__gen_times(out, e);
    if (e->error) {
        sl__gen_buf_puts(out, ",\"Device\":null,\"Index\":null,\"Model\":null,\"User\":null,"
                              "\"bpm\":null}\n");
        return;
    }
    const sl__gen_user *u = &sl__gen_users[e->user];
    double v = means[e->activity] + user_offset(e->user) + 4.0 * g;
    int64_t bpm = (int64_t)(v + 0.5); /* v > 0: rounds half up */
    if (bpm < 40) bpm = 40;
    if (bpm > 200) bpm = 200;
    sl__gen_buf_puts(out, ",\"Device\":");
    sl__gen_json_str(out, u->device, strlen(u->device));
    sl__gen_buf_puts(out, ",\"Index\":");
    sl__gen_json_i64(out, e->index);
    sl__gen_buf_puts(out, ",\"Model\":");
    sl__gen_json_str(out, u->model, strlen(u->model));
    sl__gen_buf_puts(out, ",\"User\":");
    sl__gen_json_str(out, u->user, strlen(u->user));
    sl__gen_buf_puts(out, ",\"bpm\":");
    sl__gen_json_i64(out, bpm);
    sl__gen_buf_puts(out, "}\n");
}
