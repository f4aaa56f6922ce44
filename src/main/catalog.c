/*
 * catalog.c — named tables, views and streams of a session (catalog.h).
 */
#include "main/catalog.h"
#include <strings.h>

static void seg_unref(sl__segment *g) {
    if (!g || __atomic_sub_fetch(&g->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    for (uint32_t i = 0; i < g->n_chunks; i++) sl__chunk_free(&g->chunks[i]);
    sl__free(g->chunks);
    sl__free(g);
}

sl__tabdata *sl__tabdata_new(sl__chunk *chunks, uint32_t n_chunks, uint64_t rows) {
    sl__tabdata *d = sl__calloc(1, sizeof *d);
    d->refs = 1;
    sl__segment *g = sl__calloc(1, sizeof *g);
    g->refs = 1;
    g->chunks = chunks;
    g->n_chunks = n_chunks;
    g->rows = rows;
    d->segs = sl__malloc(sizeof *d->segs);
    d->segs[0] = g;
    d->n_segs = 1;
    d->rows = rows;
    return d;
}

static sl__tabdata *from_segments(sl__segment *const *a, uint32_t na, sl__segment *const *b,
                                  uint32_t nb) {
    sl__tabdata *d = sl__calloc(1, sizeof *d);
    d->refs = 1;
    d->n_segs = na + nb;
    d->segs = sl__malloc(sizeof *d->segs * (d->n_segs ? d->n_segs : 1));
    for (uint32_t i = 0; i < na + nb; i++) {
        sl__segment *g = i < na ? a[i] : b[i - na];
        __atomic_add_fetch(&g->refs, 1, __ATOMIC_RELAXED);
        d->segs[i] = g;
        d->rows += g->rows;
    }
    return d;
}

sl__tabdata *sl__tabdata_append(const sl__tabdata *d, const sl__tabdata *more) {
    return from_segments(d ? d->segs : NULL, d ? d->n_segs : 0, more->segs, more->n_segs);
}

sl__tabdata *sl__tabdata_tail(const sl__tabdata *d, uint64_t max_rows) {
    uint32_t first = d->n_segs;
    uint64_t rows = 0;
    while (first > 0 && (rows + d->segs[first - 1]->rows <= max_rows || first == d->n_segs)) {
        rows += d->segs[first - 1]->rows;
        first--;
    }
    return from_segments(d->segs + first, d->n_segs - first, NULL, 0);
}

sl__tabdata *sl__tabdata_ref(sl__tabdata *d) {
    if (d) __atomic_add_fetch(&d->refs, 1, __ATOMIC_RELAXED);
    return d;
}

void sl__tabdata_unref(sl__tabdata *d) {
    if (!d || __atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    for (uint32_t i = 0; i < d->n_segs; i++) seg_unref(d->segs[i]);
    sl__free(d->segs);
    sl__free(d);
}

sl__table *sl__table_new(sl__obj_type type, const char *name, const sl__type *schema) {
    sl__table *t = sl__calloc(1, sizeof *t);
    t->refs = 1;
    t->type = type;
    t->name = sl__strdup(name);
    t->schema = schema;
    return t;
}

sl__table *sl__table_ref(sl__table *t) {
    if (t) __atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
    return t;
}

void sl__table_unref(sl__table *t) {
    if (!t || __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    sl__tabdata_unref(t->data);
    for (uint32_t i = 0; i < t->n_options; i++) {
        sl__free(t->options[i].key);
        sl__free(t->options[i].value);
    }
    sl__free(t->options);
    if (t->stream_impl && t->free_impl) t->free_impl(t->stream_impl);
    sl__free(t->format);
    sl__free(t->sql);
    sl__free(t->name);
    sl__free(t);
}

const char *sl__table_option(const sl__table *t, const char *key) {
    for (uint32_t i = t->n_options; i-- > 0;)
        if (strcasecmp(t->options[i].key, key) == 0) return t->options[i].value;
    return NULL;
}

void sl__catalog_init(sl__catalog *c) {
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
}

void sl__catalog_free(sl__catalog *c) {
    for (uint32_t i = 0; i < c->n; i++) sl__table_unref(c->objs[i]);
    sl__free(c->objs);
    pthread_mutex_destroy(&c->mu);
    memset(c, 0, sizeof *c);
}

static int find(sl__catalog *c, const char *name) {
    for (uint32_t i = 0; i < c->n; i++)
        if (strcasecmp(c->objs[i]->name, name) == 0) return (int)i;
    return -1;
}

sl__table *sl__catalog_get(sl__catalog *c, const char *name) {
    pthread_mutex_lock(&c->mu);
    int i = find(c, name);
    sl__table *t = i >= 0 ? sl__table_ref(c->objs[i]) : NULL;
    pthread_mutex_unlock(&c->mu);
    return t;
}

bool sl__catalog_put(sl__catalog *c, sl__table *t, bool replace) {
    pthread_mutex_lock(&c->mu);
    int i = find(c, t->name);
    if (i >= 0) {
        if (!replace) {
            pthread_mutex_unlock(&c->mu);
            return false;
        }
        sl__table *old = c->objs[i];
        c->objs[i] = t;
        pthread_mutex_unlock(&c->mu);
        sl__table_unref(old);
        return true;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->objs = sl__realloc(c->objs, sizeof *c->objs * c->cap);
    }
    c->objs[c->n++] = t;
    pthread_mutex_unlock(&c->mu);
    return true;
}

bool sl__catalog_drop(sl__catalog *c, const char *name) {
    pthread_mutex_lock(&c->mu);
    int i = find(c, name);
    if (i < 0) {
        pthread_mutex_unlock(&c->mu);
        return false;
    }
    sl__table *t = c->objs[i];
    memmove(&c->objs[i], &c->objs[i + 1], sizeof *c->objs * (c->n - (uint32_t)i - 1));
    c->n--;
    pthread_mutex_unlock(&c->mu);
    sl__table_unref(t);
    return true;
}

sl__table **sl__catalog_list(sl__catalog *c, uint32_t *n) {
    pthread_mutex_lock(&c->mu);
    sl__table **out = sl__malloc(sizeof *out * (c->n ? c->n : 1));
    for (uint32_t i = 0; i < c->n; i++) out[i] = sl__table_ref(c->objs[i]);
    *n = c->n;
    pthread_mutex_unlock(&c->mu);
    return out;
}

sl__tabdata *sl__table_data(sl__catalog *c, sl__table *t) {
    pthread_mutex_lock(&c->mu);
    sl__tabdata *d = sl__tabdata_ref(t->data);
    pthread_mutex_unlock(&c->mu);
    return d;
}

void sl__table_set_data(sl__catalog *c, sl__table *t, sl__tabdata *d) {
    pthread_mutex_lock(&c->mu);
    sl__tabdata *old = t->data;
    t->data = d;
    pthread_mutex_unlock(&c->mu);
    sl__tabdata_unref(old);
}
