/*
 * config.c — settings: the sl_config object given to sl_session_open and
 * the session's SET key = value map. Keys are case-insensitive. Known keys
 * are validated and normalised in one table (conf_keys); any other "spark.*"
 * or "sluice.*" key is stored as given, so Spark scripts that set options
 * sluice does not use still run.
 */
#include "main/session.h"
#include "types/text.h"
#include "types/tz.h"
#include <ctype.h>
#include <strings.h>
#include <unistd.h>

typedef enum { K_INT, K_BOOL, K_ZONE, K_MASTER, K_CLOCK, K_ANY } key_kind;

static const struct {
    const char *key;
    key_kind kind;
    const char *def;
    const char *doc;
} conf_keys[] = {
    {"sluice.threads", K_INT, "1", "worker threads per query"},
    {"spark.sql.shuffle.partitions", K_INT, "200", "accepted for Spark compatibility"},
    {"spark.sql.session.timeZone", K_ZONE, "UTC", "zone used to show and parse timestamps"},
    {"spark.sql.caseSensitive", K_BOOL, "false", "case-sensitive column names"},
    {"spark.master", K_MASTER, "local[1]", "local[N]: N worker threads"},
    {"sluice.clock", K_CLOCK, "system",
     "system, or manual: time moves only with sl_session_advance_clock (tests)"},
};

static int known(const char *key) {
    for (size_t i = 0; i < SL_ARRAY_LEN(conf_keys); i++)
        if (strcasecmp(conf_keys[i].key, key) == 0) return (int)i;
    return -1;
}

static bool parse_master(const char *v, int64_t *threads) {
    if (strcasecmp(v, "local") == 0) {
        *threads = 1;
        return true;
    }
    if (strncasecmp(v, "local[", 6) != 0) return false;
    const char *p = v + 6;
    if (*p == '*' && p[1] == ']' && !p[2]) {
        *threads = 0; /* all cores */
        return true;
    }
    char *end;
    long long n = strtoll(p, &end, 10);
    if (end == p || *end != ']' || end[1] || n < 1 || n > 1024) return false;
    *threads = n;
    return true;
}

bool sl__conf_validate(const char *key, const char *value, char *norm, size_t norm_cap, char *msg,
                       size_t msg_cap) {
    int k = known(key);
    if (k < 0) {
        if (strncasecmp(key, "spark.", 6) != 0 && strncasecmp(key, "sluice.", 7) != 0) {
            snprintf(msg, msg_cap, "unknown setting '%s' (settings start with spark. or sluice.)",
                     key);
            return false;
        }
        snprintf(norm, norm_cap, "%s", value);
        return true;
    }
    switch (conf_keys[k].kind) {
    case K_INT: {
        char *end;
        long long n = strtoll(value, &end, 10);
        while (*end && isspace((unsigned char)*end)) end++;
        if (end == value || *end || n < 1 || n > 100000) {
            snprintf(msg, msg_cap, "%s must be a positive integer, got '%s'", conf_keys[k].key,
                     value);
            return false;
        }
        snprintf(norm, norm_cap, "%lld", n);
        return true;
    }
    case K_BOOL:
        if (strcasecmp(value, "true") == 0 || strcasecmp(value, "false") == 0) {
            snprintf(norm, norm_cap, "%s", strcasecmp(value, "true") == 0 ? "true" : "false");
            return true;
        }
        snprintf(msg, msg_cap, "%s must be true or false, got '%s'", conf_keys[k].key, value);
        return false;
    case K_ZONE: {
        sl__err e;
        sl__err_clear(&e);
        const sl__tz *tz = sl__tz_get(value, &e);
        if (tz) {
            snprintf(norm, norm_cap, "%s", sl__tz_name(tz));
            return true;
        }
        snprintf(msg, msg_cap,
                 "unknown time zone '%s' (use UTC, an offset like +02:00, or a region like "
                 "Europe/Paris)",
                 value);
        return false;
    }
    case K_MASTER: {
        int64_t t;
        if (!parse_master(value, &t)) {
            snprintf(msg, msg_cap, "master must be local, local[N] or local[*], got '%s'", value);
            return false;
        }
        snprintf(norm, norm_cap, "%s", value);
        return true;
    }
    case K_CLOCK:
        if (strcasecmp(value, "system") == 0 || strcasecmp(value, "manual") == 0) {
            snprintf(norm, norm_cap, "%s", strcasecmp(value, "manual") == 0 ? "manual" : "system");
            return true;
        }
        snprintf(msg, msg_cap, "sluice.clock must be system or manual, got '%s'", value);
        return false;
    case K_ANY: break;
    }
    snprintf(norm, norm_cap, "%s", value);
    return true;
}

const char *sl__conf_get(const sl__conf *c, const char *key) {
    for (uint32_t i = 0; i < c->n; i++)
        if (strcasecmp(c->kv[i].key, key) == 0) return c->kv[i].value;
    int k = known(key);
    return k >= 0 ? conf_keys[k].def : NULL;
}

void sl__conf_set(sl__conf *c, const char *key, const char *value) {
    int k = known(key);
    const char *canon = k >= 0 ? conf_keys[k].key : key;
    for (uint32_t i = 0; i < c->n; i++) {
        if (strcasecmp(c->kv[i].key, key) == 0) {
            sl__free(c->kv[i].value);
            c->kv[i].value = sl__strdup(value);
            return;
        }
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        c->kv = sl__realloc(c->kv, sizeof *c->kv * c->cap);
    }
    c->kv[c->n].key = sl__strdup(canon);
    c->kv[c->n].value = sl__strdup(value);
    c->n++;
}

bool sl__conf_unset(sl__conf *c, const char *key) {
    for (uint32_t i = 0; i < c->n; i++) {
        if (strcasecmp(c->kv[i].key, key) == 0) {
            sl__free(c->kv[i].key);
            sl__free(c->kv[i].value);
            c->kv[i] = c->kv[--c->n];
            return true;
        }
    }
    return false;
}

void sl__conf_free(sl__conf *c) {
    for (uint32_t i = 0; i < c->n; i++) {
        sl__free(c->kv[i].key);
        sl__free(c->kv[i].value);
    }
    sl__free(c->kv);
    memset(c, 0, sizeof *c);
}

void sl__conf_copy(sl__conf *dst, const sl__conf *src) {
    for (uint32_t i = 0; i < src->n; i++) sl__conf_set(dst, src->kv[i].key, src->kv[i].value);
}

/* ---- public sl_config ------------------------------------------------------ */

sl_status sl_config_new(sl_config **out) {
    if (!out) return SL_ERR_MISUSE;
    *out = sl__calloc(1, sizeof **out);
    return SL_OK;
}

sl_status sl_config_set(sl_config *cfg, const char *key, const char *value) {
    if (!cfg || !key || !value) return SL_ERR_MISUSE;
    const char *k = key;
    if (strcasecmp(key, "threads") == 0) k = "sluice.threads";
    if (strcasecmp(key, "master") == 0) {
        int64_t t;
        if (!parse_master(value, &t)) return SL_ERR_MISUSE;
        char n[32];
        snprintf(n, sizeof n, "%lld", (long long)(t ? t : 0));
        sl__conf_set(&cfg->conf, "spark.master", value);
        if (t)
            sl__conf_set(&cfg->conf, "sluice.threads", n);
        else {
            long cores = sysconf(_SC_NPROCESSORS_ONLN);
            snprintf(n, sizeof n, "%ld", cores > 0 ? cores : 1);
            sl__conf_set(&cfg->conf, "sluice.threads", n);
        }
        return SL_OK;
    }
    char norm[256], msg[256];
    if (!sl__conf_validate(k, value, norm, sizeof norm, msg, sizeof msg)) return SL_ERR_MISUSE;
    sl__conf_set(&cfg->conf, k, norm);
    return SL_OK;
}

void sl_config_destroy(sl_config **cfg) {
    if (!cfg || !*cfg) return;
    sl__conf_free(&(*cfg)->conf);
    sl__free(*cfg);
    *cfg = NULL;
}
