/*
 * type.c — primitive type singletons, the intern table for STRUCT and ARRAY
 * types, Spark's three printed forms (simpleString, DDL, printSchema tree)
 * and the parser for type and schema strings. The intern table is guarded by
 * a mutex: types are made while planning, never per row.
 */
#include "types/type.h"
#include <ctype.h>
#include <strings.h>
#include <pthread.h>

#define PRIM(var, ID, nm, tn) const sl__type var = {ID, 0, NULL, NULL, NULL, nm, tn}
PRIM(sl__t_null, SL_TYPE_NULL, "void", "void");
PRIM(sl__t_bool, SL_TYPE_BOOLEAN, "boolean", "boolean");
PRIM(sl__t_i16, SL_TYPE_SMALLINT, "smallint", "short");
PRIM(sl__t_i32, SL_TYPE_INT, "int", "integer");
PRIM(sl__t_i64, SL_TYPE_BIGINT, "bigint", "long");
PRIM(sl__t_f64, SL_TYPE_DOUBLE, "double", "double");
PRIM(sl__t_str, SL_TYPE_STRING, "string", "string");
PRIM(sl__t_ts, SL_TYPE_TIMESTAMP, "timestamp", "timestamp");
PRIM(sl__t_date, SL_TYPE_DATE, "date", "date");
PRIM(sl__t_interval, SL_TYPE_INTERVAL, "interval day to second", "interval day to second");

const sl__type *sl__type_primitive(sl_type_id id) {
    switch (id) {
    case SL_TYPE_NULL: return SL_T_NULL;
    case SL_TYPE_BOOLEAN: return SL_T_BOOL;
    case SL_TYPE_SMALLINT: return SL_T_I16;
    case SL_TYPE_INT: return SL_T_I32;
    case SL_TYPE_BIGINT: return SL_T_I64;
    case SL_TYPE_DOUBLE: return SL_T_F64;
    case SL_TYPE_STRING: return SL_T_STR;
    case SL_TYPE_TIMESTAMP: return SL_T_TS;
    case SL_TYPE_DATE: return SL_T_DATE;
    case SL_TYPE_INTERVAL: return SL_T_INTERVAL;
    default: return NULL;
    }
}

size_t sl__type_width(const sl__type *t) {
    switch (t->id) {
    case SL_TYPE_NULL:
    case SL_TYPE_BOOLEAN: return 1;
    case SL_TYPE_SMALLINT: return 2;
    case SL_TYPE_INT:
    case SL_TYPE_DATE: return 4;
    case SL_TYPE_BIGINT:
    case SL_TYPE_DOUBLE:
    case SL_TYPE_TIMESTAMP:
    case SL_TYPE_INTERVAL: return 8;
    case SL_TYPE_STRING: return sizeof(sl__str);
    case SL_TYPE_ARRAY: return 8; /* sl__list: offset + length */
    case SL_TYPE_STRUCT: return 0;
    }
    return 0;
}

bool sl__type_is_integral(const sl__type *t) {
    return t->id == SL_TYPE_SMALLINT || t->id == SL_TYPE_INT || t->id == SL_TYPE_BIGINT;
}

bool sl__type_is_numeric(const sl__type *t) {
    return sl__type_is_integral(t) || t->id == SL_TYPE_DOUBLE;
}

int sl__type_field_index(const sl__type *t, const char *name, size_t len, bool case_sensitive) {
    if (t->id != SL_TYPE_STRUCT) return -1;
    int found = -1;
    for (uint32_t i = 0; i < t->n_fields; i++) {
        const char *f = t->names[i];
        if (strlen(f) != len) continue;
        if (memcmp(f, name, len) == 0) return (int)i; /* an exact match always wins */
        if (!case_sensitive && strncasecmp(f, name, len) == 0) {
            if (found >= 0) return -2;
            found = (int)i;
        }
    }
    return found;
}

/* ---- interning ---------------------------------------------------------- */

typedef struct intern_entry {
    sl__type *t;
    uint64_t h;
} intern_entry;

static pthread_mutex_t intern_mu = PTHREAD_MUTEX_INITIALIZER;
static intern_entry *intern_tab;
static size_t intern_cap, intern_n;

static uint64_t shape_hash(sl_type_id id, uint32_t n, const char *const *names,
                           const sl__type *const *types, const bool *nullable) {
    uint64_t h = sl__hash_u64((uint64_t)id * 31 + n);
    for (uint32_t i = 0; i < n; i++) {
        h = sl__hash_combine(h, (uint64_t)(uintptr_t)types[i]);
        if (names) h = sl__hash_combine(h, sl__hash_bytes(names[i], strlen(names[i])));
        h = sl__hash_combine(h, nullable ? nullable[i] : 1);
    }
    return h;
}

static bool shape_eq(const sl__type *t, sl_type_id id, uint32_t n, const char *const *names,
                     const sl__type *const *types, const bool *nullable) {
    if (t->id != id || t->n_fields != n) return false;
    for (uint32_t i = 0; i < n; i++) {
        if (t->fields[i] != types[i]) return false;
        if (names && strcmp(t->names[i], names[i]) != 0) return false;
        if (t->nullable[i] != (nullable ? nullable[i] : true)) return false;
    }
    return true;
}

static void intern_insert(sl__type *t, uint64_t h) {
    if ((intern_n + 1) * 2 > intern_cap) {
        size_t nc = intern_cap ? intern_cap * 2 : 64;
        intern_entry *nt = sl__calloc(nc, sizeof *nt);
        for (size_t i = 0; i < intern_cap; i++) {
            if (!intern_tab[i].t) continue;
            size_t j = intern_tab[i].h & (nc - 1);
            while (nt[j].t) j = (j + 1) & (nc - 1);
            nt[j] = intern_tab[i];
        }
        sl__free(intern_tab);
        intern_tab = nt;
        intern_cap = nc;
    }
    size_t j = h & (intern_cap - 1);
    while (intern_tab[j].t) j = (j + 1) & (intern_cap - 1);
    intern_tab[j].t = t;
    intern_tab[j].h = h;
    intern_n++;
}

static void build_names(sl__type *t) {
    sl__buf b = SL_BUF_INIT;
    if (t->id == SL_TYPE_ARRAY) {
        sl__buf_printf(&b, "array<%s>", t->fields[0]->name);
        t->type_name = "array";
    } else {
        sl__buf_puts(&b, "struct<");
        for (uint32_t i = 0; i < t->n_fields; i++) {
            if (i) sl__buf_putc(&b, ',');
            sl__buf_printf(&b, "%s:%s", t->names[i], t->fields[i]->name);
        }
        sl__buf_putc(&b, '>');
        t->type_name = "struct";
    }
    t->name = sl__buf_take(&b);
}

static const sl__type *intern(sl_type_id id, uint32_t n, const char *const *names,
                              const sl__type *const *types, const bool *nullable) {
    uint64_t h = shape_hash(id, n, names, types, nullable);
    pthread_mutex_lock(&intern_mu);
    if (intern_cap) {
        for (size_t j = h & (intern_cap - 1); intern_tab[j].t; j = (j + 1) & (intern_cap - 1)) {
            if (intern_tab[j].h == h && shape_eq(intern_tab[j].t, id, n, names, types, nullable)) {
                const sl__type *t = intern_tab[j].t;
                pthread_mutex_unlock(&intern_mu);
                return t;
            }
        }
    }
    sl__type *t = sl__calloc(1, sizeof *t);
    t->id = id;
    t->n_fields = n;
    const sl__type **f = sl__malloc(sizeof *f * (n ? n : 1));
    bool *nl = sl__malloc(sizeof *nl * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++) {
        f[i] = types[i];
        nl[i] = nullable ? nullable[i] : true;
    }
    t->fields = f;
    t->nullable = nl;
    if (names) {
        char **nm = sl__malloc(sizeof *nm * (n ? n : 1));
        for (uint32_t i = 0; i < n; i++) nm[i] = sl__strdup(names[i]);
        t->names = (const char *const *)nm;
    }
    build_names(t);
    intern_insert(t, h);
    pthread_mutex_unlock(&intern_mu);
    return t;
}

const sl__type *sl__type_struct(uint32_t n, const char *const *names, const sl__type *const *types,
                                const bool *nullable) {
    return intern(SL_TYPE_STRUCT, n, names, types, nullable);
}

const sl__type *sl__type_array(const sl__type *elem) {
    return intern(SL_TYPE_ARRAY, 1, NULL, &elem, NULL);
}

/* ---- printing ----------------------------------------------------------- */

static bool needs_backticks(const char *s) {
    if (!*s || isdigit((unsigned char)*s)) return true;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_') return true;
    return false;
}

static void print_name(const char *s, sl__buf *out) {
    if (!needs_backticks(s)) {
        sl__buf_puts(out, s);
        return;
    }
    sl__buf_putc(out, '`');
    for (; *s; s++) {
        if (*s == '`') sl__buf_putc(out, '`');
        sl__buf_putc(out, *s);
    }
    sl__buf_putc(out, '`');
}

static void print_ddl_type(const sl__type *t, sl__buf *out) {
    if (t->id == SL_TYPE_ARRAY) {
        sl__buf_puts(out, "ARRAY<");
        print_ddl_type(t->fields[0], out);
        sl__buf_putc(out, '>');
    } else if (t->id == SL_TYPE_STRUCT) {
        sl__buf_puts(out, "STRUCT<");
        for (uint32_t i = 0; i < t->n_fields; i++) {
            if (i) sl__buf_puts(out, ", ");
            print_name(t->names[i], out);
            sl__buf_puts(out, ": ");
            print_ddl_type(t->fields[i], out);
            if (!t->nullable[i]) sl__buf_puts(out, " NOT NULL");
        }
        sl__buf_putc(out, '>');
    } else {
        for (const char *p = t->name; *p; p++) sl__buf_putc(out, (char)toupper((unsigned char)*p));
    }
}

void sl__type_print_ddl(const sl__type *schema, sl__buf *out) {
    for (uint32_t i = 0; i < schema->n_fields; i++) {
        if (i) sl__buf_putc(out, ',');
        print_name(schema->names[i], out);
        sl__buf_putc(out, ' ');
        print_ddl_type(schema->fields[i], out);
        if (!schema->nullable[i]) sl__buf_puts(out, " NOT NULL");
    }
}

static void print_tree_level(const sl__type *t, int depth, sl__buf *out);

static void print_tree_field(const char *name, const sl__type *t, bool nullable, bool is_elem,
                             int depth, sl__buf *out) {
    for (int i = 0; i < depth; i++) sl__buf_puts(out, " |   ");
    sl__buf_printf(out, " |-- %s: %s (%s = %s)\n", name, t->type_name,
                   is_elem ? "containsNull" : "nullable", nullable ? "true" : "false");
    print_tree_level(t, depth + 1, out);
}

static void print_tree_level(const sl__type *t, int depth, sl__buf *out) {
    if (t->id == SL_TYPE_STRUCT) {
        for (uint32_t i = 0; i < t->n_fields; i++)
            print_tree_field(t->names[i], t->fields[i], t->nullable[i], false, depth, out);
    } else if (t->id == SL_TYPE_ARRAY) {
        print_tree_field("element", t->fields[0], t->nullable[0], true, depth, out);
    }
}

void sl__type_print_tree(const sl__type *schema, sl__buf *out) {
    sl__buf_puts(out, "root\n");
    print_tree_level(schema, 0, out);
}

/* ---- parsing ------------------------------------------------------------ */

typedef struct tparser {
    const char *s;
    size_t len, pos;
    sl__err *err;
} tparser;

static void skip_ws(tparser *p) {
    while (p->pos < p->len && isspace((unsigned char)p->s[p->pos])) p->pos++;
}

static bool peek_char(tparser *p, char c) {
    skip_ws(p);
    return p->pos < p->len && p->s[p->pos] == c;
}

static bool eat_char(tparser *p, char c) {
    if (!peek_char(p, c)) return false;
    p->pos++;
    return true;
}

static const char *near(tparser *p) {
    return p->pos < p->len ? "" : " (end of input)";
}

/* A bare word: letters, digits, underscores. Returns its length (0: none). */
static size_t word(tparser *p, const char **start) {
    skip_ws(p);
    size_t b = p->pos;
    while (p->pos < p->len && (isalnum((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_'))
        p->pos++;
    *start = p->s + b;
    return p->pos - b;
}

static bool word_is(const char *w, size_t n, const char *kw) {
    return strlen(kw) == n && strncasecmp(w, kw, n) == 0;
}

/* A field or column name: a word or a `backticked` name. Returns malloc'd. */
static char *field_name(tparser *p) {
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '`') {
        sl__buf b = SL_BUF_INIT;
        size_t start = p->pos++;
        for (;;) {
            if (p->pos >= p->len) {
                sl__buf_free(&b);
                sl__err_set(p->err, SL_ERR_PARSE, (int64_t)start, "unterminated `quoted` name");
                return NULL;
            }
            char c = p->s[p->pos++];
            if (c == '`') {
                if (p->pos < p->len && p->s[p->pos] == '`') {
                    p->pos++;
                    sl__buf_putc(&b, '`');
                    continue;
                }
                break;
            }
            sl__buf_putc(&b, c);
        }
        return sl__buf_take(&b);
    }
    const char *w;
    size_t n = word(p, &w);
    if (!n) {
        sl__err_set(p->err, SL_ERR_PARSE, (int64_t)p->pos, "expected a column name%s", near(p));
        return NULL;
    }
    return sl__strndup(w, n);
}

static bool skip_int_args(tparser *p, int max) {
    if (!eat_char(p, '(')) return true;
    for (int i = 0; i < max; i++) {
        skip_ws(p);
        size_t b = p->pos;
        while (p->pos < p->len && isdigit((unsigned char)p->s[p->pos])) p->pos++;
        if (b == p->pos) {
            sl__err_set(p->err, SL_ERR_PARSE, (int64_t)p->pos,
                        "expected a number in type arguments");
            return false;
        }
        if (!eat_char(p, ',')) break;
    }
    if (!eat_char(p, ')')) {
        sl__err_set(p->err, SL_ERR_PARSE, (int64_t)p->pos, "expected ')' after type arguments");
        return false;
    }
    return true;
}

static const sl__type *parse_type(tparser *p);

/* Parses fields until '>' (struct) or end of input (schema). */
static const sl__type *parse_fields(tparser *p, bool in_struct) {
    char **names = NULL;
    const sl__type **types = NULL;
    bool *nulls = NULL;
    size_t n = 0, cap = 0;
    const sl__type *result = NULL;
    if (in_struct && eat_char(p, '>')) goto done;
    for (;;) {
        size_t name_pos = (skip_ws(p), p->pos);
        char *nm = field_name(p);
        if (!nm) goto fail;
        for (size_t i = 0; i < n; i++) {
            if (strcasecmp(names[i], nm) == 0) {
                sl__err_set(p->err, SL_ERR_PARSE, (int64_t)name_pos, "duplicate column name '%s'",
                            nm);
                sl__free(nm);
                goto fail;
            }
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            names = sl__realloc(names, cap * sizeof *names);
            types = sl__realloc(types, cap * sizeof *types);
            nulls = sl__realloc(nulls, cap * sizeof *nulls);
        }
        names[n] = nm;
        nulls[n] = true;
        n++;
        if (in_struct) eat_char(p, ':');
        const sl__type *t = parse_type(p);
        if (!t) goto fail;
        types[n - 1] = t;
        /* NOT NULL, COMMENT '...' */
        for (;;) {
            size_t save = p->pos;
            const char *w;
            size_t wl = word(p, &w);
            if (wl && word_is(w, wl, "NOT")) {
                size_t wl2 = word(p, &w);
                if (!wl2 || !word_is(w, wl2, "NULL")) {
                    sl__err_set(p->err, SL_ERR_PARSE, (int64_t)p->pos, "expected NULL after NOT");
                    goto fail;
                }
                nulls[n - 1] = false;
            } else if (wl && word_is(w, wl, "COMMENT")) {
                skip_ws(p);
                if (p->pos >= p->len || (p->s[p->pos] != '\'' && p->s[p->pos] != '"')) {
                    sl__err_set(p->err, SL_ERR_PARSE, (int64_t)p->pos,
                                "expected a quoted string after COMMENT");
                    goto fail;
                }
                char q = p->s[p->pos++];
                while (p->pos < p->len && p->s[p->pos] != q) p->pos += p->s[p->pos] == '\\' ? 2 : 1;
                if (p->pos >= p->len) {
                    sl__err_set(p->err, SL_ERR_PARSE, (int64_t)p->pos,
                                "unterminated COMMENT string");
                    goto fail;
                }
                p->pos++;
            } else {
                p->pos = save;
                break;
            }
        }
        if (eat_char(p, ',')) continue;
        if (in_struct) {
            if (!eat_char(p, '>')) {
                sl__err_set(p->err, SL_ERR_PARSE, (int64_t)p->pos,
                            "expected ',' or '>' in STRUCT%s", near(p));
                goto fail;
            }
        }
        break;
    }
done:
    result = sl__type_struct((uint32_t)n, (const char *const *)names, types, nulls);
fail:
    for (size_t i = 0; i < n; i++) sl__free(names[i]);
    sl__free(names);
    sl__free(types);
    sl__free(nulls);
    return result;
}

static const sl__type *parse_type(tparser *p) {
    const char *w;
    size_t start = (skip_ws(p), p->pos);
    size_t n = word(p, &w);
    if (!n) {
        sl__err_set(p->err, SL_ERR_PARSE, (int64_t)start, "expected a type name%s", near(p));
        return NULL;
    }
    static const struct {
        const char *name;
        sl_type_id id;
    } names[] = {
        {"BOOLEAN", SL_TYPE_BOOLEAN},
        {"BOOL", SL_TYPE_BOOLEAN},
        {"TINYINT", SL_TYPE_SMALLINT},
        {"BYTE", SL_TYPE_SMALLINT},
        {"SMALLINT", SL_TYPE_SMALLINT},
        {"SHORT", SL_TYPE_SMALLINT},
        {"INT", SL_TYPE_INT},
        {"INTEGER", SL_TYPE_INT},
        {"BIGINT", SL_TYPE_BIGINT},
        {"LONG", SL_TYPE_BIGINT},
        {"DOUBLE", SL_TYPE_DOUBLE},
        {"FLOAT", SL_TYPE_DOUBLE},
        {"REAL", SL_TYPE_DOUBLE},
        {"DECIMAL", SL_TYPE_DOUBLE},
        {"DEC", SL_TYPE_DOUBLE},
        {"NUMERIC", SL_TYPE_DOUBLE},
        {"STRING", SL_TYPE_STRING},
        {"VARCHAR", SL_TYPE_STRING},
        {"CHAR", SL_TYPE_STRING},
        {"TEXT", SL_TYPE_STRING},
        {"TIMESTAMP", SL_TYPE_TIMESTAMP},
        {"TIMESTAMP_LTZ", SL_TYPE_TIMESTAMP},
        {"DATE", SL_TYPE_DATE},
        {"VOID", SL_TYPE_NULL},
    };
    for (size_t i = 0; i < SL_ARRAY_LEN(names); i++) {
        if (word_is(w, n, names[i].name)) {
            if (!skip_int_args(p, 2)) return NULL;
            return sl__type_primitive(names[i].id);
        }
    }
    if (word_is(w, n, "INTERVAL")) {
        /* INTERVAL [DAY|HOUR|MINUTE|SECOND] [TO ...]: all day-time */
        for (int k = 0; k < 3; k++) {
            size_t save = p->pos;
            const char *w2;
            size_t n2 = word(p, &w2);
            if (!n2 ||
                !(word_is(w2, n2, "DAY") || word_is(w2, n2, "HOUR") || word_is(w2, n2, "MINUTE") ||
                  word_is(w2, n2, "SECOND") || word_is(w2, n2, "TO"))) {
                p->pos = save;
                break;
            }
        }
        return SL_T_INTERVAL;
    }
    if (word_is(w, n, "ARRAY")) {
        if (!eat_char(p, '<')) {
            sl__err_set(p->err, SL_ERR_PARSE, (int64_t)p->pos, "expected '<' after ARRAY");
            return NULL;
        }
        const sl__type *e = parse_type(p);
        if (!e) return NULL;
        if (!eat_char(p, '>')) {
            sl__err_set(p->err, SL_ERR_PARSE, (int64_t)p->pos, "expected '>' to close ARRAY<%s",
                        e->name);
            return NULL;
        }
        return sl__type_array(e);
    }
    if (word_is(w, n, "STRUCT")) {
        if (!eat_char(p, '<')) {
            sl__err_set(p->err, SL_ERR_PARSE, (int64_t)p->pos, "expected '<' after STRUCT");
            return NULL;
        }
        return parse_fields(p, true);
    }
    sl__err_set(p->err, SL_ERR_PARSE, (int64_t)start, "unknown type '%.*s'", (int)n, w);
    return NULL;
}

sl_status sl__type_parse(const char *s, size_t len, size_t *pos, const sl__type **out,
                         sl__err *err) {
    tparser p = {s, len, *pos, err};
    const sl__type *t = parse_type(&p);
    if (!t) return err->code ? err->code : SL_ERR_PARSE;
    *pos = p.pos;
    *out = t;
    return SL_OK;
}

sl_status sl__schema_parse(const char *s, size_t len, const sl__type **out, sl__err *err) {
    tparser p = {s, len, 0, err};
    skip_ws(&p);
    if (p.pos == len) return sl__err_set(err, SL_ERR_PARSE, 0, "empty schema");
    const sl__type *t;
    size_t save = p.pos;
    const char *w;
    size_t n = word(&p, &w);
    if (n && word_is(w, n, "STRUCT") && peek_char(&p, '<')) {
        p.pos = save;
        t = parse_type(&p);
    } else {
        p.pos = save;
        t = parse_fields(&p, false);
    }
    if (!t) return err->code ? err->code : SL_ERR_PARSE;
    skip_ws(&p);
    if (p.pos != len)
        return sl__err_set(err, SL_ERR_PARSE, (int64_t)p.pos, "unexpected '%c' in schema",
                           s[p.pos]);
    *out = t;
    return SL_OK;
}
