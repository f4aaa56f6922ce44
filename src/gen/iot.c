/*
 * iot.c — the body of the lab's iot record (port 9999): a smartphone
 * accelerometer reading labelled with the wearer's activity,
 *
 *   {"Arrival_Time":…,"Creation_Time":…,"Device":"nexus4_2","Index":1039,
 *    "Model":"nexus4","User":"b","gt":"walk","x":…,"y":…,"z":…}
 *
 * keys in that order, one line each. x, y and z are noisy around a mean
 * that depends on the activity (more spread when moving), so the lab's
 * cube(gt, model).avg() shows differences. Error records keep the two times
 * and set every other field to JSON null.
 */
#include "gen.h"

#include <string.h>

typedef struct profile {
    double mx, my, mz, sd;
} profile;

static const profile profiles[SL__GEN_NACTIVITIES] = {
    [SL__GEN_STAND] = {0.02, -0.01, 0.05, 0.08}, [SL__GEN_SIT] = {0.01, 0.0, 0.02, 0.04},
    [SL__GEN_WALK] = {0.35, -0.12, 0.9, 0.8},    [SL__GEN_BIKE] = {0.2, 0.3, 0.6, 0.55},
    [SL__GEN_STAIRSUP] = {0.5, -0.3, 1.2, 1.0},  [SL__GEN_STAIRSDOWN] = {0.45, -0.25, 1.35, 1.1},
    [SL__GEN_NULL] = {0.0, 0.0, 0.1, 0.2},
};

void sl__gen_iot_record(sl__gen_stream *s, const sl__gen_event *e, sl__gen_buf *out) {
    /* Always three draws, so error records do not shift later values. */
    double gx = sl__gen_rng_gauss(&s->rng);
    double gy = sl__gen_rng_gauss(&s->rng);
    double gz = sl__gen_rng_gauss(&s->rng);
    sl__gen_times(out, e);
    if (e->error) {
        sl__gen_buf_puts(out, ",\"Device\":null,\"Index\":null,\"Model\":null,\"User\":null,"
                              "\"gt\":null,\"x\":null,\"y\":null,\"z\":null}\n");
        return;
    }
    const sl__gen_user *u = &sl__gen_users[e->user];
    const profile *pr = &profiles[e->activity];
    sl__gen_buf_puts(out, ",\"Device\":");
    sl__gen_json_str(out, u->device, strlen(u->device));
    sl__gen_buf_puts(out, ",\"Index\":");
    sl__gen_json_i64(out, e->index);
    sl__gen_buf_puts(out, ",\"Model\":");
    sl__gen_json_str(out, u->model, strlen(u->model));
    sl__gen_buf_puts(out, ",\"User\":");
    sl__gen_json_str(out, u->user, strlen(u->user));
    const char *gt = sl__gen_activity_name(e->activity);
    sl__gen_buf_puts(out, ",\"gt\":");
    sl__gen_json_str(out, gt, strlen(gt));
    sl__gen_buf_puts(out, ",\"x\":");
    sl__gen_json_double(out, pr->mx + pr->sd * gx);
    sl__gen_buf_puts(out, ",\"y\":");
    sl__gen_json_double(out, pr->my + pr->sd * gy);
    sl__gen_buf_puts(out, ",\"z\":");
    sl__gen_json_double(out, pr->mz + pr->sd * gz);
    sl__gen_buf_puts(out, "}\n");
}
