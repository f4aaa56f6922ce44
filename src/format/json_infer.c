/*
 * json_infer.c — JSON schema inference (Spark's JsonInferSchema rules, see
 * json.h) and get_json_object's path evaluation, both over raw JSON text
 * with the lexing pieces of json_int.h.
 *
 * Design notes. Inference keeps one tree of type nodes for everything seen
 * so far and merges each line into it in place. A line is first checked
 * with the validating skip, so a malformed line contributes nothing (Spark
 * would add a _corrupt_record column for it; sluice does not). Node kinds
 * only widen: NONE -> NULL -> a primitive, struct or array; LONG + DOUBLE
 * -> DOUBLE; any other conflict -> STRING, which absorbs everything.
 */
#include "format/json.h"
#include "format/json_int.h"

enum { T_NONE, T_NULL, T_BOOL, T_LONG, T_DOUBLE, T_STRING, T_STRUCT, T_ARRAY };

typedef struct inode inode;
struct inode {
    int t;
    /* T_STRUCT */
    uint32_t n, cap;
    char **names;
    uint32_t *nlen;
    inode **kids;
    /* T_ARRAY */
    inode *elem;
};

struct sl__json_infer {
    inode root;
    bool prim_as_string;
    sl__buf kbuf;
};

static void node_clear(inode *n) {
    for (uint32_t i = 0; i < n->n; i++) {
        node_clear(n->kids[i]);
        sl__free(n->kids[i]);
        sl__free(n->names[i]);
    }
    sl__free(n->kids);
    sl__free(n->names);
    sl__free(n->nlen);
    if (n->elem) {
        node_clear(n->elem);
        sl__free(n->elem);
    }
    memset(n, 0, sizeof *n);
}

sl__json_infer *sl__json_infer_new(bool primitives_as_string) {
    sl__json_infer *ji = sl__calloc(1, sizeof *ji);
    ji->root.t = T_STRUCT;
    ji->prim_as_string = primitives_as_string;
    return ji;
}

void sl__json_infer_free(sl__json_infer *ji) {
    if (!ji) return;
    node_clear(&ji->root);
    sl__buf_free(&ji->kbuf);
    sl__free(ji);
}

static void to_string(inode *n) {
    node_clear(n);
    n->t = T_STRING;
}

/* Merges a primitive kind into n. */
static void merge_prim(inode *n, int t) {
    if (n->t == t) return;
    if (n->t == T_NONE || n->t == T_NULL) {
        n->t = t;
        return;
    }
    if ((n->t == T_LONG && t == T_DOUBLE) || (n->t == T_DOUBLE && t == T_LONG)) {
        n->t = T_DOUBLE;
        return;
    }
    to_string(n);
}

static inode *kid(inode *n, const char *k, size_t kn) {
    for (uint32_t i = 0; i < n->n; i++)
        if (n->nlen[i] == kn && memcmp(n->names[i], k, kn) == 0) return n->kids[i];
    if (n->n == n->cap) {
        n->cap = n->cap ? n->cap * 2 : 8;
        n->names = sl__realloc(n->names, n->cap * sizeof *n->names);
        n->nlen = sl__realloc(n->nlen, n->cap * sizeof *n->nlen);
        n->kids = sl__realloc(n->kids, n->cap * sizeof *n->kids);
    }
    n->names[n->n] = sl__strndup(k, kn);
    n->nlen[n->n] = (uint32_t)kn;
    n->kids[n->n] = sl__calloc(1, sizeof(inode));
    return n->kids[n->n++];
}

/* The text is known to be valid: no error paths. */
static void infer_value(sl__json_infer *ji, inode *n, const char **pp, const char *end) {
    const char *p = *pp;
    switch (*p) {
    case '{':
    case '[': {
        bool obj = *p == '{';
        int want = obj ? T_STRUCT : T_ARRAY;
        if (n->t == T_NONE || n->t == T_NULL) {
            n->t = want;
            if (!obj) n->elem = sl__calloc(1, sizeof(inode));
        } else if (n->t != want) {
            to_string(n);
        }
        if (n->t == T_STRING) {
            sl__json_skip_value(pp, end, 0);
            return;
        }
        char close = obj ? '}' : ']';
        p = sl__json_ws(p + 1, end);
        while (*p != close) {
            inode *target = n->elem;
            if (obj) {
                const char *k;
                size_t kn;
                bool esc;
                sl__json_lex_string(&p, end, &ji->kbuf, &k, &kn, &esc);
                target = kid(n, k, kn);
                p = sl__json_ws(p, end);
                p = sl__json_ws(p + 1, end); /* ':' */
            }
            infer_value(ji, target, &p, end);
            p = sl__json_ws(p, end);
            if (*p == ',') p = sl__json_ws(p + 1, end);
        }
        *pp = p + 1;
        return;
    }
    case '"':
    case '\'':
        sl__json_skip_value(pp, end, 0);
        merge_prim(n, T_STRING);
        return;
    case 't':
    case 'f':
        sl__json_skip_value(pp, end, 0);
        merge_prim(n, ji->prim_as_string ? T_STRING : T_BOOL);
        return;
    case 'n':
        sl__json_skip_value(pp, end, 0);
        if (n->t == T_NONE) n->t = T_NULL;
        return;
    default: {
        sl__jnum t;
        int kind = T_DOUBLE;
        if (sl__json_lex_number(pp, end, &t) == 0) {
            int64_t x;
            if (sl__json_num_i64(&t, &x)) kind = T_LONG;
        } else {
            double d;
            sl__json_lex_nonnum(pp, end, &d);
        }
        merge_prim(n, ji->prim_as_string ? T_STRING : kind);
        return;
    }
    }
}

bool sl__json_infer_add(sl__json_infer *ji, const char *text, size_t len) {
    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    p = sl__json_ws(p, end);
    if (p >= end || *p != '{') return false;
    const char *q = p;
    if (sl__json_skip_value(&q, end, 0) < 0 || sl__json_ws(q, end) != end) return false;
    infer_value(ji, &ji->root, &p, end);
    return true;
}

static int cmp_names(const void *a, const void *b) {
    const char *const *x = a, *const *y = b;
    return strcmp(*x, *y);
}

/* The type of a node, or NULL when the field is to be dropped. */
static const sl__type *to_type(const inode *n, bool drop_null) {
    switch (n->t) {
    case T_NONE:
    case T_NULL: return drop_null ? NULL : SL_T_STR;
    case T_BOOL: return SL_T_BOOL;
    case T_LONG: return SL_T_I64;
    case T_DOUBLE: return SL_T_F64;
    case T_STRING: return SL_T_STR;
    case T_ARRAY: {
        const sl__type *e = to_type(n->elem, drop_null);
        if (!e && (n->elem->t == T_NONE || n->elem->t == T_NULL)) e = drop_null ? NULL : SL_T_STR;
        return e ? sl__type_array(e) : NULL;
    }
    case T_STRUCT: {
        /* fields sorted by name (byte order), empty names and structs dropped */
        uint32_t k = 0;
        const char **names = sl__calloc(n->n ? n->n : 1, sizeof *names);
        const sl__type **types = sl__calloc(n->n ? n->n : 1, sizeof *types);
        const char **sorted = sl__calloc(n->n ? n->n : 1, sizeof *sorted);
        for (uint32_t i = 0; i < n->n; i++) sorted[i] = n->names[i];
        qsort(sorted, n->n, sizeof *sorted, cmp_names);
        for (uint32_t s = 0; s < n->n; s++) {
            uint32_t i = 0;
            while (n->names[i] != sorted[s]) i++;
            if (!n->nlen[i]) continue;
            const sl__type *t = to_type(n->kids[i], drop_null);
            if (!t) continue;
            names[k] = n->names[i];
            types[k++] = t;
        }
        const sl__type *r = k ? sl__type_struct(k, names, types, NULL) : NULL;
        sl__free(names);
        sl__free(types);
        sl__free(sorted);
        return r;
    }
    default: return SL_T_STR;
    }
}

const sl__type *sl__json_infer_schema(sl__json_infer *ji, bool drop_all_null) {
    const sl__type *t = to_type(&ji->root, drop_all_null);
    return t ? t : sl__type_struct(0, NULL, NULL, NULL);
}

/* ---- get_json_object ------------------------------------------------------ */

/* One path step: a name (.a or ['a']) or an index ([0]). */
typedef struct pstep {
    const char *name;
    size_t nlen;
    int64_t index; /* -1 for a name */
} pstep;

static int parse_path(const char *s, size_t n, pstep *steps, int max) {
    size_t i = 0;
    int k = 0;
    if (n == 0 || s[0] != '$') return -1;
    i = 1;
    while (i < n) {
        if (k == max) return -1;
        pstep *st = &steps[k++];
        st->index = -1;
        if (s[i] == '.') {
            size_t b = ++i;
            while (i < n && s[i] != '.' && s[i] != '[') i++;
            if (i == b) return -1;
            st->name = s + b;
            st->nlen = i - b;
            if (st->nlen == 1 && st->name[0] == '*') return -1;
        } else if (s[i] == '[') {
            i++;
            if (i < n && s[i] == '\'') {
                size_t b = ++i;
                while (i < n && s[i] != '\'') i++;
                if (i + 1 >= n || s[i + 1] != ']') return -1;
                st->name = s + b;
                st->nlen = i - b;
                i += 2;
            } else {
                int64_t x = 0;
                size_t b = i;
                while (i < n && s[i] >= '0' && s[i] <= '9' && x < 1000000000)
                    x = x * 10 + (s[i++] - '0');
                if (i == b || i >= n || s[i] != ']') return -1;
                st->index = x;
                i++;
            }
        } else {
            return -1;
        }
    }
    return k;
}

/* Finds the value the steps lead to; *pp at it. 0 found, -1 not. The text
 * is known to be valid. */
static int walk(const char **pp, const char *end, const pstep *st, int n, sl__buf *tmp) {
    for (int s = 0; s < n; s++) {
        const char *p = *pp;
        if (st[s].index < 0) {
            if (*p != '{') return -1;
            p = sl__json_ws(p + 1, end);
            bool found = false;
            while (*p != '}') {
                const char *k;
                size_t kn;
                bool esc;
                sl__json_lex_string(&p, end, tmp, &k, &kn, &esc);
                bool match = kn == st[s].nlen && memcmp(k, st[s].name, kn) == 0;
                p = sl__json_ws(p, end);
                p = sl__json_ws(p + 1, end);
                if (match) {
                    found = true;
                    break;
                }
                sl__json_skip_value(&p, end, 0);
                p = sl__json_ws(p, end);
                if (*p == ',') p = sl__json_ws(p + 1, end);
            }
            if (!found) return -1;
        } else {
            if (*p != '[') return -1;
            p = sl__json_ws(p + 1, end);
            int64_t i = 0;
            while (*p != ']' && i < st[s].index) {
                sl__json_skip_value(&p, end, 0);
                p = sl__json_ws(p, end);
                if (*p == ',') p = sl__json_ws(p + 1, end);
                i++;
            }
            if (*p == ']') return -1;
        }
        *pp = p;
    }
    return 0;
}

bool sl__json_get_path(const char *text, size_t len, const char *path, size_t path_len,
                       sl__buf *out) {
    pstep steps[64];
    int ns = parse_path(path, path_len, steps, 64);
    if (ns < 0) return false;
    const char *p = text, *end = text + len;
    p = sl__json_ws(p, end);
    const char *q = p;
    if (sl__json_skip_value(&q, end, 0) < 0 || sl__json_ws(q, end) != end) return false;
    sl__buf tmp = SL_BUF_INIT;
    bool ok = false;
    if (walk(&p, end, steps, ns, &tmp) == 0) {
        if (*p == '"' || *p == '\'') {
            const char *s;
            size_t n;
            bool esc;
            sl__json_lex_string(&p, end, &tmp, &s, &n, &esc);
            sl__buf_append(out, s, n);
            ok = true;
        } else if (*p != 'n') {
            sl__buf tmp2 = SL_BUF_INIT;
            sl__json_copy_value(&p, end, &tmp2, out, 0);
            sl__buf_free(&tmp2);
            ok = true;
        }
    }
    sl__buf_free(&tmp);
    return ok;
}
