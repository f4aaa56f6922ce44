/*
 * tz.c — time zones (tz.h): name resolution as java.time's ZoneId.of does
 * it with SHORT_IDS, a reader of compiled TZif files (RFC 8536) and an
 * evaluator of the POSIX TZ rule in their footer, and a process-wide cache.
 *
 * Design notes
 * - A zone is either fixed (one offset) or a table: transition instants in
 *   UTC seconds, ascending, with the offset and abbreviation in effect from
 *   each one on; before the first transition the file's time type 0
 *   applies (RFC 8536 §3.2; usually local mean time, as in Java); after the
 *   last one, the footer's POSIX rule when the file has one.
 * - Only the 64-bit (version 2+) data of a file is used; version 1 files
 *   fall back to their 32-bit data. Files with leap-second records
 *   ("right/...") are refused: java.time, and so Spark, ignores leap seconds.
 * - The cache is a list guarded by a mutex, keyed by the name as asked for.
 *   Entries are immutable once published and live until the process ends,
 *   so callers keep bare pointers without reference counts. Files are read
 *   outside the lock; when two threads load the same zone, the first one
 *   published wins and the other copy is freed.
 * - Only valid names are cached. Fixed offsets met inside timestamp text
 *   (sl__tz_parse_timestamp) never reach the cache, so data cannot grow it.
 */
#include "types/tz.h"
#include "types/text.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define US_PER_S       1000000LL
#define S_PER_DAY      86400LL
#define MAX_TZIF_BYTES (4u << 20)
#define ABBR_MAX       16

/* One date rule of a POSIX TZ string: Jn, n or Mm.w.d, plus the local time
 * of day (seconds, may be negative or beyond 24h per RFC 8536 §3.3.1). */
typedef struct prule {
    char kind; /* 'J', 'N' (zero-based day), 'M' */
    int n;     /* J: 1..365, N: 0..365 */
    int m, w, d;
    int32_t time;
} prule;

struct sl__tz {
    char *name;
    bool fixed;
    int64_t fixed_us;
    /* table */
    uint32_t n_trans;
    int64_t *trans;     /* UTC seconds */
    int32_t *trans_off; /* offset (seconds) from transition i on */
    uint16_t *trans_ab; /* abbreviation (offset into abbrs) from transition i on */
    int32_t init_off;
    uint16_t init_ab;
    char *abbrs; /* NUL-terminated strings */
    /* footer rule */
    bool has_rule, has_dst;
    int32_t std_off, dst_off;
    prule start, end;
    char std_ab[ABBR_MAX], dst_ab[ABBR_MAX];
};

static int64_t floordiv(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static bool is_leap(int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_len(int64_t y, int m) {
    static const int ml[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : ml[m - 1];
}

/* ---- evaluating a zone -------------------------------------------------- */

static int64_t rule_day(int64_t year, const prule *r) {
    int64_t jan1 = sl__days_from_civil(year, 1, 1);
    switch (r->kind) {
    case 'J': return jan1 + r->n - 1 + (is_leap(year) && r->n >= 60 ? 1 : 0);
    case 'N': return jan1 + r->n;
    default: {
        int64_t first = sl__days_from_civil(year, (unsigned)r->m, 1);
        int dow = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
        int64_t d = first + (r->d - dow + 7) % 7 + 7 * (r->w - 1);
        int64_t last = first + month_len(year, r->m) - 1;
        while (d > last) d -= 7;
        return d;
    }
    }
}

static bool rule_is_dst(const sl__tz *z, int64_t secs) {
    if (!z->has_dst) return false;
    int64_t y;
    unsigned m, d;
    sl__civil_from_days(floordiv(secs + z->std_off, S_PER_DAY), &y, &m, &d);
    /* a start rule's time is in standard time, an end rule's in daylight time */
    int64_t s = rule_day(y, &z->start) * S_PER_DAY + z->start.time - z->std_off;
    int64_t e = rule_day(y, &z->end) * S_PER_DAY + z->end.time - z->dst_off;
    if (s < e) return secs >= s && secs < e;
    return !(secs >= e && secs < s); /* southern hemisphere, or negative DST */
}

/* Index of the last transition at or before secs, -1 when before the first. */
static int64_t find_trans(const sl__tz *z, int64_t secs) {
    int64_t lo = 0, hi = (int64_t)z->n_trans - 1, ans = -1;
    while (lo <= hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (z->trans[mid] <= secs) {
            ans = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return ans;
}

/* Offset in seconds at UTC second secs; *ab gets the abbreviation. */
static int32_t offset_at(const sl__tz *z, int64_t secs, const char **ab) {
    int64_t i = find_trans(z, secs);
    if (z->has_rule && (z->n_trans == 0 || i == (int64_t)z->n_trans - 1)) {
        bool dst = rule_is_dst(z, secs);
        if (ab) *ab = dst ? z->dst_ab : z->std_ab;
        return dst ? z->dst_off : z->std_off;
    }
    if (i < 0) {
        if (ab) *ab = z->abbrs + z->init_ab;
        return z->init_off;
    }
    if (ab) *ab = z->abbrs + z->trans_ab[i];
    return z->trans_off[i];
}

int64_t sl__tz_offset_utc(const sl__tz *tz, int64_t utc_us) {
    if (tz->fixed) return tz->fixed_us;
    return (int64_t)offset_at(tz, floordiv(utc_us, US_PER_S), NULL) * US_PER_S;
}

int64_t sl__tz_offset_local(const sl__tz *tz, int64_t local_us) {
    if (tz->fixed) return tz->fixed_us;
    /*
     * Offsets stay within ±18 hours, so a transition that makes this wall
     * time ambiguous or impossible lies within a day of it. The offsets a
     * day before and a day after are the candidates; a candidate is valid
     * when the instant it gives has that offset.
     */
    const int64_t day = S_PER_DAY * US_PER_S;
    if (local_us > INT64_MAX / 2) local_us = INT64_MAX / 2; /* far beyond any transition */
    if (local_us < INT64_MIN / 2) local_us = INT64_MIN / 2;
    int64_t a = sl__tz_offset_utc(tz, local_us - day);
    int64_t b = sl__tz_offset_utc(tz, local_us + day);
    if (sl__tz_offset_utc(tz, local_us - a) == a) return a; /* overlap: the earlier offset */
    if (a != b && sl__tz_offset_utc(tz, local_us - b) == b) return b;
    if (a == b) {
        /* two transitions within the window: take whatever holds there */
        int64_t o = sl__tz_offset_utc(tz, local_us - a);
        if (sl__tz_offset_utc(tz, local_us - o) == o) return o;
    }
    return a; /* gap: the offset before it, so the wall time moves forward */
}

const char *sl__tz_abbrev(const sl__tz *tz, int64_t utc_us) {
    if (tz->fixed) return tz->name;
    const char *ab = "";
    offset_at(tz, floordiv(utc_us, US_PER_S), &ab);
    return ab;
}

const char *sl__tz_name(const sl__tz *tz) {
    return tz->name;
}

bool sl__tz_is_fixed(const sl__tz *tz, int64_t *offset_us) {
    if (tz->fixed && offset_us) *offset_us = tz->fixed_us;
    return tz->fixed;
}

/* ---- POSIX TZ strings (the TZif footer) --------------------------------- */

typedef struct pcur {
    const char *s;
    size_t i, n;
} pcur;

static bool p_name(pcur *c, char *out) {
    size_t st, len;
    if (c->i < c->n && c->s[c->i] == '<') {
        st = ++c->i;
        while (c->i < c->n && c->s[c->i] != '>') c->i++;
        if (c->i >= c->n) return false;
        len = c->i - st;
        c->i++;
    } else {
        st = c->i;
        while (c->i < c->n && isalpha((unsigned char)c->s[c->i])) c->i++;
        len = c->i - st;
    }
    if (len < 3) return false;
    if (len >= ABBR_MAX) len = ABBR_MAX - 1;
    memcpy(out, c->s + st, len);
    out[len] = 0;
    return true;
}

/* [+-]h[h[h]][:mm[:ss]] as seconds; max_h bounds the hours. */
static bool p_hms(pcur *c, int max_h, int32_t *out) {
    int sign = 1;
    if (c->i < c->n && (c->s[c->i] == '+' || c->s[c->i] == '-')) {
        if (c->s[c->i] == '-') sign = -1;
        c->i++;
    }
    int part[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        if (k) {
            if (c->i >= c->n || c->s[c->i] != ':') break;
            c->i++;
        }
        size_t st = c->i;
        int v = 0;
        while (c->i < c->n && isdigit((unsigned char)c->s[c->i]) && c->i - st < 3)
            v = v * 10 + (c->s[c->i++] - '0');
        if (c->i == st) return false;
        part[k] = v;
    }
    if (part[0] > max_h || part[1] > 59 || part[2] > 59) return false;
    *out = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
    return true;
}

static bool p_int(pcur *c, int lo, int hi, int *out) {
    size_t st = c->i;
    int v = 0;
    while (c->i < c->n && isdigit((unsigned char)c->s[c->i]) && c->i - st < 4)
        v = v * 10 + (c->s[c->i++] - '0');
    if (c->i == st || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static bool p_rule(pcur *c, prule *r) {
    if (c->i >= c->n) return false;
    char k = c->s[c->i];
    if (k == 'J') {
        c->i++;
        r->kind = 'J';
        if (!p_int(c, 1, 365, &r->n)) return false;
    } else if (k == 'M') {
        c->i++;
        r->kind = 'M';
        if (!p_int(c, 1, 12, &r->m)) return false;
        if (c->i >= c->n || c->s[c->i++] != '.') return false;
        if (!p_int(c, 1, 5, &r->w)) return false;
        if (c->i >= c->n || c->s[c->i++] != '.') return false;
        if (!p_int(c, 0, 6, &r->d)) return false;
    } else {
        r->kind = 'N';
        if (!p_int(c, 0, 365, &r->n)) return false;
    }
    r->time = 7200;
    if (c->i < c->n && c->s[c->i] == '/') {
        c->i++;
        if (!p_hms(c, 167, &r->time)) return false;
    }
    return true;
}

/* Parses a POSIX TZ string into z's rule fields. */
static bool parse_posix(sl__tz *z, const char *s, size_t n) {
    pcur c = {s, 0, n};
    int32_t off;
    if (!p_name(&c, z->std_ab) || !p_hms(&c, 24, &off)) return false;
    z->std_off = -off; /* POSIX counts west of Greenwich */
    z->has_rule = true;
    if (c.i == n) return true;
    if (!p_name(&c, z->dst_ab)) return false;
    z->has_dst = true;
    z->dst_off = z->std_off + 3600;
    if (c.i < n && c.s[c.i] != ',') {
        if (!p_hms(&c, 24, &off)) return false;
        z->dst_off = -off;
    }
    if (c.i == n) {
        /* no rule: the US rules, as glibc's default */
        z->start = (prule){'M', 0, 3, 2, 0, 7200};
        z->end = (prule){'M', 0, 11, 1, 0, 7200};
        return true;
    }
    if (c.s[c.i++] != ',' || !p_rule(&c, &z->start)) return false;
    if (c.i >= n || c.s[c.i++] != ',' || !p_rule(&c, &z->end)) return false;
    return c.i == n;
}

/* ---- TZif files ----------------------------------------------------------- */

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) {
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct tzif_hdr {
    uint32_t isut, isstd, leap, time, type, chars;
} tzif_hdr;

static bool read_hdr(const unsigned char *p, size_t len, tzif_hdr *h, int *version) {
    if (len < 44 || memcmp(p, "TZif", 4) != 0) return false;
    *version = p[4] ? p[4] - '0' : 1;
    h->isut = be32(p + 20);
    h->isstd = be32(p + 24);
    h->leap = be32(p + 28);
    h->time = be32(p + 32);
    h->type = be32(p + 36);
    h->chars = be32(p + 40);
    return h->type >= 1 && h->type <= 256 && h->chars >= 1 && h->time <= 1000000 &&
           h->leap <= 1000000 && h->chars <= 65535 && (h->isut == 0 || h->isut == h->type) &&
           (h->isstd == 0 || h->isstd == h->type);
}

static size_t block_size(const tzif_hdr *h, size_t tsize) {
    return (size_t)h->time * (tsize + 1) + (size_t)h->type * 6 + h->chars +
           (size_t)h->leap * (tsize + 4) + h->isstd + h->isut;
}

/*
 * Writes the footer rule's transitions out into the table up to the end of
 * EXTEND_YEAR, so that instants of the next two centuries take a binary
 * search instead of a rule evaluation; later ones still use the rule.
 * `chars` is where the footer's names go in abbrs.
 */
#define EXTEND_YEAR 2200

static void extend_with_rule(sl__tz *z, size_t chars) {
    uint16_t std_ab = (uint16_t)chars, dst_ab = (uint16_t)(chars + strlen(z->std_ab) + 1);
    memcpy(z->abbrs + std_ab, z->std_ab, strlen(z->std_ab) + 1);
    memcpy(z->abbrs + dst_ab, z->dst_ab, strlen(z->dst_ab) + 1);
    if (!z->has_dst) return;
    int64_t last = z->n_trans ? z->trans[z->n_trans - 1] : INT64_MIN;
    int64_t y0 = 1970, y;
    unsigned m, d;
    if (z->n_trans) {
        sl__civil_from_days(floordiv(last, S_PER_DAY), &y, &m, &d);
        y0 = y;
    }
    if (y0 > EXTEND_YEAR) return;
    size_t cap = z->n_trans + 2 * (size_t)(EXTEND_YEAR - y0 + 1);
    z->trans = sl__realloc(z->trans, sizeof *z->trans * cap);
    z->trans_off = sl__realloc(z->trans_off, sizeof *z->trans_off * cap);
    z->trans_ab = sl__realloc(z->trans_ab, sizeof *z->trans_ab * cap);
    for (y = y0; y <= EXTEND_YEAR; y++) {
        int64_t s = rule_day(y, &z->start) * S_PER_DAY + z->start.time - z->std_off;
        int64_t e = rule_day(y, &z->end) * S_PER_DAY + z->end.time - z->dst_off;
        int64_t t[2] = {s < e ? s : e, s < e ? e : s};
        for (int k = 0; k < 2; k++) {
            if (t[k] <= last) continue;
            bool to_dst = t[k] == s;
            z->trans[z->n_trans] = t[k];
            z->trans_off[z->n_trans] = to_dst ? z->dst_off : z->std_off;
            z->trans_ab[z->n_trans] = to_dst ? dst_ab : std_ab;
            z->n_trans++;
            last = t[k];
        }
    }
}

/* Fills z's table from a TZif image; *why gets a reason on failure. */
static bool parse_tzif(sl__tz *z, const unsigned char *p, size_t len, const char **why) {
    tzif_hdr h;
    int version;
    *why = "not a TZif time zone file";
    if (!read_hdr(p, len, &h, &version)) return false;
    size_t off = 44, tsize = 4;
    size_t b1 = block_size(&h, 4);
    if (version >= 2) {
        if (len < off + b1) return false;
        off += b1;
        if (!read_hdr(p + off, len - off, &h, &version)) return false;
        off += 44;
        tsize = 8;
    }
    size_t bs = block_size(&h, tsize);
    if (len < off + bs) return false;
    if (h.leap) {
        *why = "time zone files with leap seconds are not supported";
        return false;
    }
    const unsigned char *tp = p + off;
    const unsigned char *ip = tp + (size_t)h.time * tsize;
    const unsigned char *yp = ip + h.time;
    const unsigned char *cp = yp + (size_t)h.type * 6;
    z->n_trans = h.time;
    z->trans = sl__malloc(sizeof *z->trans * (h.time ? h.time : 1));
    z->trans_off = sl__malloc(sizeof *z->trans_off * (h.time ? h.time : 1));
    z->trans_ab = sl__malloc(sizeof *z->trans_ab * (h.time ? h.time : 1));
    z->abbrs = sl__malloc(h.chars + 1 + 2 * ABBR_MAX); /* room for the footer's names */
    memcpy(z->abbrs, cp, h.chars);
    z->abbrs[h.chars] = 0;
    int32_t t_off[256];
    uint16_t t_ab[256];
    for (uint32_t k = 0; k < h.type; k++) {
        const unsigned char *q = yp + 6 * (size_t)k;
        int32_t o = (int32_t)be32(q);
        if (o == INT32_MIN || o < -25 * 3600 || o > 26 * 3600 || q[5] >= h.chars) {
            *why = "invalid time type in TZif file";
            return false;
        }
        t_off[k] = o;
        t_ab[k] = q[5];
    }
    z->init_off = t_off[0];
    z->init_ab = t_ab[0];
    for (uint32_t k = 0; k < h.time; k++) {
        int64_t t = tsize == 8 ? be64(tp + 8 * (size_t)k) : (int32_t)be32(tp + 4 * (size_t)k);
        if ((k && t <= z->trans[k - 1]) || ip[k] >= h.type) {
            *why = "invalid transition in TZif file";
            return false;
        }
        z->trans[k] = t;
        z->trans_off[k] = t_off[ip[k]];
        z->trans_ab[k] = t_ab[ip[k]];
    }
    off += bs;
    if (version >= 2 && off < len && p[off] == '\n') {
        const unsigned char *fs = p + off + 1;
        const unsigned char *fe = memchr(fs, '\n', len - off - 1);
        if (fe && fe > fs && !parse_posix(z, (const char *)fs, (size_t)(fe - fs))) {
            *why = "invalid TZ rule in the footer of the TZif file";
            return false;
        }
        if (z->has_rule) extend_with_rule(z, h.chars + 1);
    }
    return true;
}

static void tz_free(sl__tz *z) {
    if (!z) return;
    sl__free(z->name);
    sl__free(z->trans);
    sl__free(z->trans_off);
    sl__free(z->trans_ab);
    sl__free(z->abbrs);
    sl__free(z);
}

static const char *zone_dir(void) {
    const char *d = getenv("TZDIR");
    return d && *d ? d : "/usr/share/zoneinfo";
}

/* Java's region id syntax, minus anything that could leave the directory. */
static bool valid_region(const char *s, size_t n) {
    if (n < 2 || n > 128 || !isalpha((unsigned char)s[0])) return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!(isalnum((unsigned char)ch) || strchr("~/._+-", ch))) return false;
        if (ch == '.' && i + 1 < n && s[i + 1] == '.') return false;
    }
    return true;
}

static sl__tz *load_region(const char *name, size_t n, sl__err *err) {
    const char *dir = zone_dir();
    char path[512];
    snprintf(path, sizeof path, "%s/%.*s", dir, (int)n, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        struct stat st;
        if (stat(dir, &st) != 0)
            sl__err_set(err, SL_ERR_ANALYSIS, -1,
                        "time zone '%.*s' needs the system time zone database (%s, Debian "
                        "package tzdata), which is not installed",
                        (int)n, name, dir);
        else
            sl__err_set(err, SL_ERR_ANALYSIS, -1, "unknown time zone '%.*s'", (int)n, name);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_TZIF_BYTES) {
        close(fd);
        sl__err_set(err, SL_ERR_ANALYSIS, -1, "unknown time zone '%.*s'", (int)n, name);
        return NULL;
    }
    size_t len = (size_t)st.st_size, got = 0;
    unsigned char *buf = sl__malloc(len ? len : 1);
    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    sl__tz *z = sl__calloc(1, sizeof *z);
    const char *why = "short read";
    bool ok = got == len && parse_tzif(z, buf, len, &why);
    sl__free(buf);
    if (!ok) {
        tz_free(z);
        sl__err_set(err, SL_ERR_ANALYSIS, -1, "time zone '%.*s': %s (%s)", (int)n, name, why, path);
        return NULL;
    }
    z->name = sl__strndup(name, n);
    return z;
}

/* ---- names --------------------------------------------------------------- */

/* java.time.ZoneId.SHORT_IDS */
static const char *const short_ids[][2] = {
    {"ACT", "Australia/Darwin"},
    {"AET", "Australia/Sydney"},
    {"AGT", "America/Argentina/Buenos_Aires"},
    {"ART", "Africa/Cairo"},
    {"AST", "America/Anchorage"},
    {"BET", "America/Sao_Paulo"},
    {"BST", "Asia/Dhaka"},
    {"CAT", "Africa/Harare"},
    {"CNT", "America/St_Johns"},
    {"CST", "America/Chicago"},
    {"CTT", "Asia/Shanghai"},
    {"EAT", "Africa/Addis_Ababa"},
    {"ECT", "Europe/Paris"},
    {"IET", "America/Indiana/Indianapolis"},
    {"IST", "Asia/Kolkata"},
    {"JST", "Asia/Tokyo"},
    {"MIT", "Pacific/Apia"},
    {"NET", "Asia/Yerevan"},
    {"NST", "Pacific/Auckland"},
    {"PLT", "Asia/Karachi"},
    {"PNT", "America/Phoenix"},
    {"PRT", "America/Puerto_Rico"},
    {"PST", "America/Los_Angeles"},
    {"SST", "Pacific/Guadalcanal"},
    {"VST", "Asia/Ho_Chi_Minh"},
    {"EST", "-05:00"},
    {"MST", "-07:00"},
    {"HST", "-10:00"},
};

/* Java's id of a fixed offset: "Z", "+02:00", "-03:30:15". */
static size_t offset_id(int64_t us, char *buf) {
    if (us == 0) return (size_t)sprintf(buf, "Z");
    int64_t s = (us < 0 ? -us : us) / US_PER_S;
    int h = (int)(s / 3600), m = (int)(s / 60 % 60), sec = (int)(s % 60);
    if (sec) return (size_t)sprintf(buf, "%c%02d:%02d:%02d", us < 0 ? '-' : '+', h, m, sec);
    return (size_t)sprintf(buf, "%c%02d:%02d", us < 0 ? '-' : '+', h, m);
}

/* A fixed zone for a name sl__parse_zone_offset accepts, named as Java
 * names it ("UTC", "GMT+01:00", "+02:00", "Z"). */
static sl__tz *make_fixed(const char *s, size_t n, int64_t off) {
    sl__tz *z = sl__calloc(1, sizeof *z);
    z->fixed = true;
    z->fixed_us = off;
    char buf[32];
    size_t pre = 0;
    if (n >= 3 && (strncasecmp(s, "UTC", 3) == 0 || strncasecmp(s, "GMT", 3) == 0))
        pre = 3;
    else if (n >= 2 && strncasecmp(s, "UT", 2) == 0)
        pre = 2;
    if (pre) {
        for (size_t i = 0; i < pre; i++) buf[i] = (char)toupper((unsigned char)s[i]);
        buf[pre] = 0;
        if (off) offset_id(off, buf + pre);
    } else {
        offset_id(off, buf);
    }
    z->name = sl__strdup(buf);
    return z;
}

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct cache_key {
    char *key;
    const sl__tz *tz;
    struct cache_key *next;
} cache_key;
static cache_key *cache; /* guarded by cache_lock */

static const sl__tz utc_zone = {.name = "UTC", .fixed = true};

const sl__tz *sl__tz_utc(void) {
    return &utc_zone;
}

static const sl__tz *cache_find(const char *s, size_t n) {
    for (cache_key *k = cache; k; k = k->next)
        if (strlen(k->key) == n && memcmp(k->key, s, n) == 0) return k->tz;
    return NULL;
}

/* Publishes zone z under name s, unless s is already there: then the zone
 * published first is returned and z, when fresh (not yet published under
 * another name), is freed. */
static const sl__tz *cache_put(const char *s, size_t n, sl__tz *z, bool fresh) {
    pthread_mutex_lock(&cache_lock);
    const sl__tz *have = cache_find(s, n);
    if (!have) {
        cache_key *k = sl__malloc(sizeof *k);
        k->key = sl__strndup(s, n);
        k->tz = z;
        k->next = cache;
        cache = k;
    }
    pthread_mutex_unlock(&cache_lock);
    if (have && fresh) tz_free(z);
    return have ? have : z;
}

static const sl__tz *resolve(const char *s, size_t n, int depth, sl__err *err) {
    pthread_mutex_lock(&cache_lock);
    const sl__tz *hit = cache_find(s, n);
    pthread_mutex_unlock(&cache_lock);
    if (hit) return hit;

    sl__tz *z = NULL;
    int64_t off;
    for (size_t i = 0; i < SL_ARRAY_LEN(short_ids) && depth == 0; i++) {
        if (strlen(short_ids[i][0]) == n && memcmp(short_ids[i][0], s, n) == 0) {
            const sl__tz *t = resolve(short_ids[i][1], strlen(short_ids[i][1]), 1, err);
            return t ? cache_put(s, n, (sl__tz *)t, false) : NULL;
        }
    }
    if (sl__parse_zone_offset(s, n, &off)) {
        if (off < -18 * 3600 * US_PER_S || off > 18 * 3600 * US_PER_S) {
            sl__err_set(err, SL_ERR_ANALYSIS, -1,
                        "invalid time zone '%.*s': offsets must be within -18:00 and +18:00",
                        (int)n, s);
            return NULL;
        }
        z = make_fixed(s, n, off);
    } else if (valid_region(s, n)) {
        z = load_region(s, n, err);
        if (!z) return NULL;
    } else {
        sl__err_set(err, SL_ERR_ANALYSIS, -1,
                    "invalid time zone '%.*s' (use a region id like 'Europe/Paris' or an offset "
                    "like '+02:00')",
                    (int)n, s);
        return NULL;
    }
    return cache_put(s, n, z, true);
}

const sl__tz *sl__tz_get_n(const char *name, size_t len, sl__err *err) {
    while (len && isspace((unsigned char)*name)) {
        name++;
        len--;
    }
    while (len && isspace((unsigned char)name[len - 1])) len--;
    if (!len) {
        sl__err_set(err, SL_ERR_ANALYSIS, -1, "invalid time zone '' (empty name)");
        return NULL;
    }
    if (len == 3 && memcmp(name, "UTC", 3) == 0) return &utc_zone;
    return resolve(name, len, 0, err);
}

const sl__tz *sl__tz_get(const char *name, sl__err *err) {
    return sl__tz_get_n(name, strlen(name), err);
}

/* ---- timestamp text with zones -------------------------------------------- */

static size_t skip_digits(const char *s, size_t n, size_t i) {
    while (i < n && isdigit((unsigned char)s[i])) i++;
    return i;
}

bool sl__tz_parse_timestamp(const char *s, size_t n, const sl__tz *session, int64_t *out) {
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (!n) return false;
    /* find where the date and time end: [+-]y+[-m+[-d+]][( |T)[h+:m+[:s+[.f+]]]] */
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    i = skip_digits(s, n, i);
    for (int k = 0; k < 2 && i + 1 < n && s[i] == '-' && isdigit((unsigned char)s[i + 1]); k++)
        i = skip_digits(s, n, i + 1);
    if (i < n && (s[i] == ' ' || s[i] == 'T')) {
        i++;
        while (i < n && (isdigit((unsigned char)s[i]) || s[i] == ':' || s[i] == '.')) i++;
    }
    size_t body = i;
    /* years beyond ±290000 do not fit in microseconds */
    size_t y0 = (s[0] == '+' || s[0] == '-') ? 1 : 0, y1 = skip_digits(s, n, y0);
    if (y1 - y0 > 6 || (y1 - y0 == 6 && memcmp(s + y0, "290000", 6) > 0)) return false;
    while (i < n && s[i] == ' ') i++;
    int64_t off, local;
    if (i == n) {
        if (session->fixed) return sl__parse_timestamp(s, body, session->fixed_us, out);
        if (!sl__parse_timestamp(s, body, 0, &local)) return false;
        *out = local - sl__tz_offset_local(session, local);
        return true;
    }
    if (sl__parse_zone_offset(s + i, n - i, &off)) return sl__parse_timestamp(s, n, 0, out);
    if (!valid_region(s + i, n - i)) return false;
    sl__err err;
    sl__err_clear(&err);
    const sl__tz *z = sl__tz_get_n(s + i, n - i, &err);
    if (!z || !sl__parse_timestamp(s, body, 0, &local)) return false;
    *out = local - sl__tz_offset_local(z, local);
    return true;
}
