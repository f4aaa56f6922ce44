/*
 * users.c — the people the lab's watches belong to: users "a" to "i", each
 * with a fixed device (model nexus4, s3, s3mini or samsungold, as in the
 * Heterogeneity Activity Recognition data the lab imitates), and a
 * deterministic schedule of what each user is doing at any event time.
 *
 * The schedule cuts time into slots of SL__GEN_SLOT_NS, shifted by a
 * per-user phase so users do not all change at once, and picks each slot's
 * activity by hashing (key, user, slot). It is a pure function of its
 * arguments: the iot and bpm generators, run with the same seed, agree on
 * who is walking when, which is what makes the lab's stream–stream join on
 * User meaningful.
 */
#include "gen.h"

const sl__gen_user sl__gen_users[SL__GEN_NUSERS] = {
    {"a", "nexus4_1", "nexus4"},
    {"b", "nexus4_2", "nexus4"},
    {"c", "s3_1", "s3"},
    {"d", "s3_2", "s3"},
    {"e", "s3mini_1", "s3mini"},
    {"f", "s3mini_2", "s3mini"},
    {"g", "samsungold_1", "samsungold"},
    {"h", "samsungold_2", "samsungold"},
    {"i", "nexus4_3", "nexus4"},
};

static const char *const names[SL__GEN_NACTIVITIES] = {
    "stand", "sit", "walk", "bike", "stairsup", "stairsdown", "null",
};

/* Relative weights of the activities in the schedule (sum 100). */
static const unsigned weights[SL__GEN_NACTIVITIES] = {16, 16, 18, 14, 12, 12, 12};

const char *sl__gen_activity_name(sl__gen_activity a) {
    return (unsigned)a < SL__GEN_NACTIVITIES ? names[a] : "null";
}

sl__gen_activity sl__gen_activity_at(uint64_t key, int u, int64_t t_ns) {
    uint64_t h = sl__gen_mix64(key ^ sl__gen_mix64((uint64_t)u + 1));
    int64_t phase = (int64_t)(h % (uint64_t)SL__GEN_SLOT_NS);
    int64_t t = t_ns + phase;
    int64_t slot = t / SL__GEN_SLOT_NS - (t % SL__GEN_SLOT_NS < 0); /* floor */
    unsigned pick = (unsigned)(sl__gen_mix64(h ^ (uint64_t)slot) % 100);
    for (int a = 0; a < SL__GEN_NACTIVITIES; a++) {
        if (pick < weights[a]) return (sl__gen_activity)a;
        pick -= weights[a];
    }
    return SL__GEN_NULL;
}
