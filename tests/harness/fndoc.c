/*
 * fndoc.c — prints the function reference (docs/functions.md) from the
 * function registry, so the documentation cannot drift from the code:
 * tests/harness/fndoc.sh fails when the committed file differs from what
 * this prints. Regenerate with: build/debug/tests/fndoc > docs/functions.md
 */
#include "func/func.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct entry {
    const char *name, *usage, *desc;
    bool agg;
} entry;

static entry entries[1024];
static size_t n_entries;

static void add_scalar(void *ud, const sl__fn_def *d) {
    (void)ud;
    if (n_entries < 1024 && d->name[0])
        entries[n_entries++] = (entry){d->name, d->usage, d->desc, false};
}

static void add_agg(void *ud, const sl__agg_def *d) {
    (void)ud;
    if (n_entries < 1024) entries[n_entries++] = (entry){d->name, d->usage, d->desc, true};
}

static int cmp(const void *a, const void *b) {
    const entry *x = a, *y = b;
    bool xo =
        !((x->name[0] >= 'a' && x->name[0] <= 'z') || (x->name[0] >= 'A' && x->name[0] <= 'Z'));
    bool yo =
        !((y->name[0] >= 'a' && y->name[0] <= 'z') || (y->name[0] >= 'A' && y->name[0] <= 'Z'));
    if (xo != yo) return xo ? -1 : 1; /* operators first */
    return strcasecmp(x->name, y->name);
}

static void cell(const char *s) {
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", stdout);
        else
            putchar(*s);
    }
}

int main(void) {
    sl__fn_each(add_scalar, NULL);
    sl__agg_each(add_agg, NULL);
    qsort(entries, n_entries, sizeof *entries, cmp);
    puts("# Functions");
    puts("");
    puts("Generated from the function registry by `tests/harness/fndoc.c`; do not edit by");
    puts("hand (`build/debug/tests/fndoc > docs/functions.md`). Semantics follow Spark SQL");
    puts("with ANSI mode off: a bad input gives NULL, not an error. Besides these, the");
    puts("binder handles `CASE`, `CAST`, `if`, `iff`, `nvl`, `ifnull`, `nvl2`, `nullif`,");
    puts("`coalesce`, `grouping`, `grouping_id`, `explode`, `explode_outer`, `posexplode`,");
    puts("`posexplode_outer`; see [sql.md](sql.md).");
    for (int pass = 0; pass < 2; pass++) {
        puts("");
        puts(pass ? "## Aggregate functions" : "## Scalar functions and operators");
        puts("");
        puts("| function | usage | what it does |");
        puts("|---|---|---|");
        for (size_t i = 0; i < n_entries; i++) {
            if (entries[i].agg != (pass == 1)) continue;
            fputs("| `", stdout);
            cell(entries[i].name);
            fputs("` | `", stdout);
            cell(entries[i].usage ? entries[i].usage : "");
            fputs("` | ", stdout);
            cell(entries[i].desc ? entries[i].desc : "");
            puts(" |");
        }
    }
    return 0;
}
