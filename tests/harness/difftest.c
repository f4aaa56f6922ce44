/*
 * difftest.c — differential testing of sluice's batch SQL against sqlite3.
 *
 *   difftest SEED COUNT [-v] [-q N]   (-v: print each query; -q: run query N only)
 *
 * Builds small random tables (NULL-heavy integers with few distinct values,
 * doubles drawn from a few dyadic fractions, short strings including '' and
 * NULL), loads the same rows into a sluice session (CREATE TABLE + INSERT,
 * through the public API) and into an in-memory sqlite3 database, then
 * generates random queries — expressions, filters, GROUP BY with
 * aggregates, ROLLUP/CUBE, HAVING, DISTINCT, inner/outer/semi/anti joins,
 * set operations, ORDER BY + LIMIT — renders each one in both dialects,
 * runs both and compares the results as multisets (booleans as 0/1, doubles
 * with a relative tolerance of 1e-9, NULLs equal).
 *
 * The generator stays inside the part of SQL where the two engines agree,
 * and writes the sqlite text so that it means what the Spark text means;
 * the dialect differences it avoids or rewrites are listed in
 * docs/sql-differences.md ("Differential testing against sqlite3"). In
 * short: no integer `/` (a double division is written with a CAST), no
 * integer overflow (small values, bounded depth), no string/number
 * comparisons, LIKE without backslashes and with case_sensitive_like, `%`
 * only on integers, `<=>` written as `IS`, semi/anti joins as [NOT] EXISTS,
 * ROLLUP/CUBE as a UNION ALL of GROUP BYs (empty input: no rows, R143),
 * doubles from few dyadic values so that sums do not depend on their order
 * (division never feeds an aggregate), ORDER BY over every output column
 * before a LIMIT so that the rows kept are determined.
 *
 * Output is TAP: one line per batch of 100 queries (new tables per batch).
 * A mismatch prints the seed, the batch and query number, the table
 * contents, the sluice SQL, the sqlite SQL and both results.
 */
#include "sluice.h"
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers (splitmix64: tiny, seedable, good enough) ---------- */

static uint64_t rng_state;

static uint64_t rnd64(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* uniform in [0, n) */
static int rnd(int n) {
    return (int)(rnd64() % (uint64_t)n);
}

static bool chance(int percent) {
    return rnd(100) < percent;
}

/* ---- growable strings, and pairs of them (sluice text, sqlite text) ---- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_vadd(sbuf *b, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int k = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (b->n + (size_t)k + 1 > b->cap) {
        b->cap = (b->n + (size_t)k + 1) * 2;
        b->p = realloc(b->p, b->cap);
    }
    vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
    b->n += (size_t)k;
}

static void sb_add(sbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sb_vadd(b, fmt, ap);
    va_end(ap);
}

static const char *sb_str(sbuf *b) {
    if (!b->p) sb_add(b, "%s", "");
    return b->p;
}

static void sb_free(sbuf *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* d.a is the query as sluice (Spark SQL) reads it, d.b as sqlite does */
typedef struct dual {
    sbuf a, b;
} dual;

/* the same text in both dialects */
static void both(dual *d, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sb_vadd(&d->a, fmt, ap);
    va_end(ap);
    va_start(ap, fmt);
    sb_vadd(&d->b, fmt, ap);
    va_end(ap);
}

/* different texts */
static void each(dual *d, const char *sluice_text, const char *sqlite_text) {
    sb_add(&d->a, "%s", sluice_text);
    sb_add(&d->b, "%s", sqlite_text);
}

static void cat(dual *d, dual *x) {
    sb_add(&d->a, "%s", sb_str(&x->a));
    sb_add(&d->b, "%s", sb_str(&x->b));
}

static void dfree(dual *d) {
    sb_free(&d->a);
    sb_free(&d->b);
}

/* ---- the tables ---------------------------------------------------------- */

/* Every table has the same columns: k INT (join key, 0..4), a INT, d DOUBLE,
 * s STRING. Doubles are dyadic (exact in binary) so sums are exact whatever
 * their order; -0.0 is there to check that it equals 0.0. */
static const char *const DBL_VALUES[] = {"0.0", "-0.0", "0.5",  "1.5", "-2.25",
                                         "3.0", "0.25", "10.0", "-1.0"};
static const char *const STR_VALUES[] = {"''",  "'a'",   "'b'",  "'ab'", "'ba'",
                                         "'A'", "'abc'", "'b_'", "'%a'", "'B'"};
#define N_TABLES 3

typedef enum ty { T_INT, T_DBL, T_STR, T_BOOL } ty;

typedef struct colref {
    char name[16];
    ty t;
} colref;

typedef struct scope {
    colref cols[16];
    int n;
} scope;

static const char *const COL_NAMES[] = {"k", "a", "d", "s"};
static const ty COL_TYPES[] = {T_INT, T_INT, T_DBL, T_STR};

static void scope_table(scope *sc, const char *qual) {
    for (int i = 0; i < 4; i++) {
        colref *c = &sc->cols[sc->n++];
        if (qual)
            snprintf(c->name, sizeof c->name, "%s.%s", qual, COL_NAMES[i]);
        else
            snprintf(c->name, sizeof c->name, "%s", COL_NAMES[i]);
        c->t = COL_TYPES[i];
    }
}

/* Random rows for one table, as a VALUES list (the same text for both).
 * Most tables are tiny; some hold a few hundred rows, and once in a while a
 * table is larger than a vector (2048 rows), so that operators see several
 * batches. The join key's domain grows with the table, to keep joins of big
 * tables near-linear. Returns the row count. */
static int gen_rows(sbuf *out, bool big_ok) {
    int n, c = rnd(100);
    if (c < 8)
        n = 0;
    else if (c < 80 || !big_ok)
        n = 1 + rnd(24);
    else if (c < 96)
        n = 50 + rnd(250);
    else
        n = 2000 + rnd(2500);
    int kdom = n < 20 ? 5 : n / 4;
    for (int r = 0; r < n; r++) {
        sb_add(out, "%s(", r ? ", " : "");
        if (chance(25))
            sb_add(out, "NULL");
        else
            sb_add(out, "%d", rnd(kdom));
        if (chance(20))
            sb_add(out, ", NULL");
        else
            sb_add(out, ", %d", rnd(15) - 5);
        if (chance(20))
            sb_add(out, ", NULL");
        else
            sb_add(out, ", %s", DBL_VALUES[rnd(9)]);
        if (chance(20))
            sb_add(out, ", NULL)");
        else
            sb_add(out, ", %s)", STR_VALUES[rnd(10)]);
    }
    return n;
}

/* ---- expressions --------------------------------------------------------- */

typedef struct gen {
    const scope *sc;
    bool no_div;   /* inside an aggregate argument: no division (exact sums) */
    int cols_used; /* column references generated so far */
} gen;

static void gen_expr(gen *g, ty t, int depth, dual *out);

static bool pick_col(const gen *g, ty t, const char **name) {
    int idx[16], n = 0;
    for (int i = 0; i < g->sc->n; i++)
        if (g->sc->cols[i].t == t) idx[n++] = i;
    if (!n) return false;
    *name = g->sc->cols[idx[rnd(n)]].name;
    ((gen *)g)->cols_used++;
    return true;
}

/* > 0 while generating a number that becomes text: an untyped NULL there
 * can make Spark's type DOUBLE (abs(NULL) is DOUBLE), and doubles print
 * differently in the two engines */
static int no_null_literal;

static void gen_literal(ty t, dual *out) {
    if (t != T_BOOL && !no_null_literal && chance(6)) {
        /* an untyped NULL (Spark's void type) must coerce like any value */
        both(out, "NULL");
        return;
    }
    switch (t) {
    case T_INT: both(out, "%d", rnd(14) - 3); break;
    case T_DBL: {
        const char *v = DBL_VALUES[rnd(9)];
        /* sluice reads 1.5 as a DOUBLE; -0.0 needs parentheses after an operator */
        if (v[0] == '-')
            both(out, "(%s)", v);
        else
            both(out, "%s", v);
        break;
    }
    case T_STR: both(out, "%s", STR_VALUES[rnd(10)]); break;
    case T_BOOL: each(out, chance(50) ? "true" : "false", ""); break;
    }
}

static void gen_bool_literal(dual *out) {
    if (chance(50))
        each(out, "true", "1");
    else
        each(out, "false", "0");
}

/* A LIKE pattern over the data's alphabet: no backslash (no escapes). */
static void gen_pattern(dual *out) {
    static const char *const parts[] = {"a", "b", "A", "%", "_", "ab", ""};
    char p[32] = "";
    int n = 1 + rnd(3);
    for (int i = 0; i < n; i++) strcat(p, parts[rnd(7)]);
    both(out, "'%s'", p);
}

static void gen_cmp_operands(gen *g, int depth, dual *x, dual *y) {
    int k = rnd(10);
    ty t = k < 4 ? T_INT : k < 7 ? T_DBL : T_STR;
    gen_expr(g, t, depth, x);
    /* ints and doubles compare as numbers in both engines */
    ty u = t == T_STR ? T_STR : (chance(50) ? T_INT : T_DBL);
    gen_expr(g, u, depth, y);
}

static void gen_bool(gen *g, int depth, dual *out) {
    static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">="};
    int k = depth <= 0 ? rnd(4) : rnd(12);
    switch (k) {
    case 0:
    case 1: { /* comparison */
        dual x = {0}, y = {0};
        gen_cmp_operands(g, depth - 1, &x, &y);
        both(out, "(");
        cat(out, &x);
        both(out, " %s ", ops[rnd(6)]);
        cat(out, &y);
        both(out, ")");
        dfree(&x);
        dfree(&y);
        break;
    }
    case 2: { /* IS [NOT] NULL */
        int t = rnd(3);
        dual x = {0};
        gen_expr(g, t == 0 ? T_INT : t == 1 ? T_DBL : T_STR, depth - 1, &x);
        both(out, "(");
        cat(out, &x);
        both(out, chance(50) ? " IS NULL)" : " IS NOT NULL)");
        dfree(&x);
        break;
    }
    case 3: {
        const char *col;
        if (chance(60) && pick_col(g, T_BOOL, &col))
            both(out, "%s", col);
        else
            gen_bool_literal(out);
        break;
    }
    case 4:
    case 5: { /* AND / OR */
        const char *op = chance(50) ? " AND " : " OR ";
        both(out, "(");
        gen_bool(g, depth - 1, out);
        both(out, "%s", op);
        gen_bool(g, depth - 1, out);
        both(out, ")");
        break;
    }
    case 6:
        both(out, "(NOT ");
        gen_bool(g, depth - 1, out);
        both(out, ")");
        break;
    case 7: { /* null-safe equality */
        dual x = {0}, y = {0};
        gen_cmp_operands(g, depth - 1, &x, &y);
        both(out, "(");
        cat(out, &x);
        each(out, " <=> ", " IS ");
        cat(out, &y);
        both(out, ")");
        dfree(&x);
        dfree(&y);
        break;
    }
    case 8: { /* [NOT] IN (literals, maybe NULL) */
        ty t = rnd(3) == 0 ? T_STR : T_INT;
        dual x = {0};
        gen_expr(g, t, depth - 1, &x);
        both(out, "(");
        cat(out, &x);
        both(out, chance(30) ? " NOT IN (" : " IN (");
        int n = 1 + rnd(4);
        for (int i = 0; i < n; i++) {
            if (i) both(out, ", ");
            if (chance(10))
                both(out, "NULL");
            else if (chance(25))
                gen_expr(g, t, 1, out);
            else
                gen_literal(t, out);
        }
        both(out, "))");
        dfree(&x);
        break;
    }
    case 9: { /* [NOT] BETWEEN */
        ty t = rnd(3) == 0 ? T_STR : rnd(2) ? T_INT : T_DBL;
        dual x = {0};
        gen_expr(g, t, depth - 1, &x);
        both(out, "(");
        cat(out, &x);
        both(out, chance(25) ? " NOT BETWEEN " : " BETWEEN ");
        gen_expr(g, t, 0, out);
        both(out, " AND ");
        gen_expr(g, t, 0, out);
        both(out, ")");
        dfree(&x);
        break;
    }
    case 10:
    case 11: { /* [NOT] LIKE */
        dual x = {0};
        gen_expr(g, T_STR, depth - 1, &x);
        both(out, "(");
        cat(out, &x);
        both(out, chance(25) ? " NOT LIKE " : " LIKE ");
        const char *pc;
        if (chance(15) && pick_col(g, T_STR, &pc))
            both(out, "%s", pc); /* '%a', 'b_' in the data */
        else
            gen_pattern(out);
        both(out, ")");
        dfree(&x);
        break;
    }
    }
}

static void gen_case(gen *g, ty t, int depth, dual *out) {
    if (chance(25)) {
        /* the simple form: CASE x WHEN v THEN ... (x = v; NULL never matches) */
        ty u = chance(50) ? T_INT : T_STR;
        both(out, "CASE ");
        gen_expr(g, u, depth - 1, out);
        int n = 1 + rnd(2);
        for (int i = 0; i < n; i++) {
            both(out, " WHEN ");
            gen_literal(u, out);
            both(out, " THEN ");
            gen_expr(g, t, depth - 1, out);
        }
        if (chance(60)) {
            both(out, " ELSE ");
            gen_expr(g, t, depth - 1, out);
        }
        both(out, " END");
        return;
    }
    both(out, "CASE");
    int n = 1 + rnd(2);
    for (int i = 0; i < n; i++) {
        both(out, " WHEN ");
        gen_bool(g, depth - 1, out);
        both(out, " THEN ");
        gen_expr(g, t, depth - 1, out);
    }
    if (chance(70)) {
        both(out, " ELSE ");
        gen_expr(g, t, depth - 1, out);
    }
    both(out, " END");
}

static void gen_expr(gen *g, ty t, int depth, dual *out) {
    const char *col;
    if (t == T_BOOL) {
        gen_bool(g, depth, out);
        return;
    }
    if (depth <= 0 || chance(30)) {
        if (chance(75) && pick_col(g, t, &col))
            both(out, "%s", col);
        else
            gen_literal(t, out);
        return;
    }
    int k = rnd(10);
    if (t == T_INT) {
        switch (k) {
        case 0:
        case 1: {
            /* + - * on small values stay far from overflow at this depth */
            static const char *const ops[] = {"+", "-", "*"};
            both(out, "(");
            gen_expr(g, T_INT, depth - 1, out);
            both(out, " %s ", ops[rnd(3)]);
            gen_expr(g, T_INT, depth - 1, out);
            both(out, ")");
            break;
        }
        case 2:
            both(out, "(- ");
            gen_expr(g, T_INT, depth - 1, out);
            both(out, ")");
            break;
        case 3:
            both(out, "abs(");
            gen_expr(g, T_INT, depth - 1, out);
            both(out, ")");
            break;
        case 4: { /* % takes the dividend's sign in both; never by zero here */
            int m = 1 + rnd(4);
            both(out, "(");
            gen_expr(g, T_INT, depth - 1, out);
            both(out, " %% %d)", chance(30) ? -m : m);
            break;
        }
        case 5: gen_case(g, T_INT, depth, out); break;
        case 6:
            both(out, "coalesce(");
            gen_expr(g, T_INT, depth - 1, out);
            both(out, ", ");
            gen_expr(g, T_INT, depth - 1, out);
            both(out, ")");
            break;
        case 7: /* double to int truncates toward zero in both */
            each(out, "CAST(", "CAST(");
            gen_expr(g, T_DBL, depth - 1, out);
            each(out, " AS INT)", " AS INTEGER)");
            break;
        case 8:
            both(out, "length(");
            gen_expr(g, T_STR, depth - 1, out);
            both(out, ")");
            break;
        case 9: {
            /* greatest/least skip NULLs; sqlite's max(a, b)/min(a, b) do not */
            bool gr = chance(50);
            dual x = {0}, y = {0};
            gen_expr(g, T_INT, depth - 1, &x);
            gen_expr(g, T_INT, depth - 1, &y);
            sb_add(&out->a, "%s(%s, %s)", gr ? "greatest" : "least", sb_str(&x.a), sb_str(&y.a));
            sb_add(&out->b,
                   "(CASE WHEN (%s) IS NULL THEN (%s) WHEN (%s) IS NULL THEN (%s) ELSE %s((%s), "
                   "(%s)) END)",
                   sb_str(&x.b), sb_str(&y.b), sb_str(&y.b), sb_str(&x.b), gr ? "max" : "min",
                   sb_str(&x.b), sb_str(&y.b));
            dfree(&x);
            dfree(&y);
            break;
        }
        default: gen_literal(T_INT, out);
        }
        return;
    }
    if (t == T_DBL) {
        switch (k) {
        case 0:
        case 1:
        case 2: {
            static const char *const ops[] = {"+", "-", "*"};
            both(out, "(");
            gen_expr(g, rnd(3) ? T_DBL : T_INT, depth - 1, out);
            both(out, " %s ", ops[rnd(3)]);
            gen_expr(g, T_DBL, depth - 1, out);
            both(out, ")");
            break;
        }
        case 3:
            if (g->no_div) {
                gen_literal(T_DBL, out);
                break;
            }
            /* division by zero is NULL in both; the left side is a double so
             * sqlite does not divide integers */
            each(out, "(CAST(", "(CAST(");
            gen_expr(g, T_INT, depth - 1, out);
            each(out, " AS DOUBLE) / ", " AS REAL) / ");
            gen_expr(g, rnd(2) ? T_DBL : T_INT, depth - 1, out);
            both(out, ")");
            break;
        case 4:
            each(out, "CAST(", "CAST(");
            gen_expr(g, T_INT, depth - 1, out);
            each(out, " AS DOUBLE)", " AS REAL)");
            break;
        case 5:
            both(out, "(- ");
            gen_expr(g, T_DBL, depth - 1, out);
            both(out, ")");
            break;
        case 6:
            both(out, "abs(");
            gen_expr(g, T_DBL, depth - 1, out);
            both(out, ")");
            break;
        case 7: gen_case(g, T_DBL, depth, out); break;
        case 8:
            both(out, "coalesce(");
            gen_expr(g, T_DBL, depth - 1, out);
            both(out, ", ");
            gen_expr(g, T_DBL, depth - 1, out);
            both(out, ")");
            break;
        default: gen_literal(T_DBL, out);
        }
        return;
    }
    /* T_STR */
    switch (k) {
    case 0:
        both(out, "upper(");
        gen_expr(g, T_STR, depth - 1, out);
        both(out, ")");
        break;
    case 1:
        both(out, "lower(");
        gen_expr(g, T_STR, depth - 1, out);
        both(out, ")");
        break;
    case 2:
    case 3:
        both(out, "(");
        gen_expr(g, T_STR, depth - 1, out);
        both(out, " || ");
        gen_expr(g, T_STR, depth - 1, out);
        both(out, ")");
        break;
    case 4: /* positions from 1: substr(s, 0, n) differs between the two */
        both(out, "substr(");
        gen_expr(g, T_STR, depth - 1, out);
        both(out, ", %d, %d)", 1 + rnd(3), rnd(4));
        break;
    case 5: gen_case(g, T_STR, depth, out); break;
    case 6:
        both(out, "coalesce(");
        gen_expr(g, T_STR, depth - 1, out);
        both(out, ", ");
        gen_expr(g, T_STR, depth - 1, out);
        both(out, ")");
        break;
    case 7: /* a number concatenated: Spark casts it to a string, so does sqlite */
        both(out, "(");
        gen_expr(g, T_STR, depth - 1, out);
        both(out, " || ");
        no_null_literal++;
        gen_expr(g, T_INT, depth - 1, out);
        no_null_literal--;
        both(out, ")");
        break;
    case 8:
        each(out, "CAST(", "CAST(");
        no_null_literal++;
        gen_expr(g, T_INT, depth - 1, out);
        no_null_literal--;
        each(out, " AS STRING)", " AS TEXT)");
        break;
    default:
        if (pick_col(g, T_STR, &col))
            both(out, "%s", col);
        else
            gen_literal(T_STR, out);
    }
}

static ty rand_value_type(void) {
    int k = rnd(10);
    return k < 4 ? T_INT : k < 6 ? T_DBL : k < 9 ? T_STR : T_BOOL;
}

/* An aggregate call (numeric: its value is a number, so that it may meet
 * other numbers in an expression). Its argument has no division: with
 * dyadic data every sum is then exact, whatever the order of the rows. */
static void gen_agg(gen *g, bool numeric, dual *out) {
    bool saved = g->no_div;
    g->no_div = true;
    int k = rnd(11);
    switch (k) {
    case 0: both(out, "count(*)"); break;
    case 1: {
        ty t = rand_value_type();
        if (t == T_BOOL) t = T_INT;
        both(out, "count(");
        gen_expr(g, t, 1, out);
        both(out, ")");
        break;
    }
    case 2:
    case 3:
        both(out, "sum(");
        gen_expr(g, chance(50) ? T_INT : T_DBL, 2, out);
        both(out, ")");
        break;
    case 4:
        both(out, "avg(");
        gen_expr(g, chance(50) ? T_INT : T_DBL, 2, out);
        both(out, ")");
        break;
    case 5:
    case 6: {
        int t = rnd(numeric ? 2 : 3);
        both(out, chance(50) ? "min(" : "max(");
        gen_expr(g, t == 0 ? T_INT : t == 1 ? T_DBL : T_STR, 2, out);
        both(out, ")");
        break;
    }
    case 7: {
        int t = rnd(3);
        both(out, "count(DISTINCT ");
        gen_expr(g, t == 0 ? T_INT : t == 1 ? T_DBL : T_STR, 1, out);
        both(out, ")");
        break;
    }
    case 8:
        both(out, "sum(DISTINCT ");
        gen_expr(g, T_INT, 1, out);
        both(out, ")");
        break;
    case 9:
        both(out, "avg(DISTINCT ");
        gen_expr(g, chance(50) ? T_INT : T_DBL, 1, out);
        both(out, ")");
        break;
    default:
        /* an expression over aggregates */
        both(out, "(");
        gen_agg(g, true, out);
        both(out, " + ");
        both(out, "count(*))");
        break;
    }
    g->no_div = saved;
}

/* ---- queries --------------------------------------------------------------- */

typedef struct query {
    dual q;
    int ncols;
    bool orderable; /* ORDER BY all columns + LIMIT may be appended */
    bool ordered;   /* it was: compare the rows in order */
    bool typed;     /* types[] known (the query can be a subquery in FROM) */
    ty types[8];
} query;

static const char *tname(int i) {
    static const char *const n[] = {"t1", "t2", "t3"};
    return n[i];
}

/* rows of each table in the current batch */
static int table_rows[N_TABLES];

/* A table for a join: joins of big tables (and sqlite's nested-loop
 * EXISTS) would take long, so a join picks among the smaller tables. */
static int join_table(void) {
    int small[N_TABLES], n = 0;
    for (int i = 0; i < N_TABLES; i++)
        if (table_rows[i] <= 400) small[n++] = i;
    return n ? small[rnd(n)] : 0;
}

/* ORDER BY every output column (a total order: rows with equal keys are
 * equal rows) [+ LIMIT [OFFSET]] */
static void add_order_limit(query *q) {
    both(&q->q, " ORDER BY ");
    for (int i = 0; i < q->ncols; i++) {
        if (i) both(&q->q, ", ");
        both(&q->q, "%d%s%s", i + 1, chance(50) ? " DESC" : "",
             chance(50) ? " NULLS FIRST" : " NULLS LAST");
    }
    if (chance(70)) {
        both(&q->q, " LIMIT %d", rnd(6));
        if (chance(30)) both(&q->q, " OFFSET %d", rnd(4));
    }
    q->ordered = true;
}

static void add_order_limit_inner(query *q) {
    add_order_limit(q);
}

/* SELECT exprs FROM t [WHERE p] */
static void q_select(query *q) {
    scope sc = {0};
    scope_table(&sc, NULL);
    gen g = {&sc, false, 0};
    int n = 1 + rnd(4);
    both(&q->q, "SELECT ");
    for (int i = 0; i < n; i++) {
        if (i) both(&q->q, ", ");
        q->types[i] = rand_value_type();
        gen_expr(&g, q->types[i], 1 + rnd(3), &q->q);
        both(&q->q, " AS c%d", i);
    }
    both(&q->q, " FROM %s", tname(rnd(N_TABLES)));
    if (chance(60)) {
        both(&q->q, " WHERE ");
        gen_bool(&g, 1 + rnd(3), &q->q);
    }
    q->ncols = n;
    q->orderable = true;
    q->typed = true;
}

/* A query over a subquery: SELECT exprs FROM (SELECT ...) q [WHERE], or an
 * aggregate over it grouped by its first column. */
static void q_nested(query *q) {
    query in;
    memset(&in, 0, sizeof in);
    q_select(&in);
    if (chance(30)) add_order_limit_inner(&in);
    scope sc = {0};
    for (int i = 0; i < in.ncols; i++) {
        snprintf(sc.cols[i].name, sizeof sc.cols[i].name, "q.c%d", i);
        sc.cols[i].t = in.types[i];
    }
    sc.n = in.ncols;
    gen g = {&sc, false, 0};
    bool agg = chance(35);
    int n = 1 + rnd(3);
    both(&q->q, "SELECT ");
    if (agg) both(&q->q, "q.c0 AS c0");
    for (int i = agg ? 1 : 0; i < n; i++) {
        if (i) both(&q->q, ", ");
        if (agg)
            gen_agg(&g, false, &q->q);
        else {
            q->types[i] = rand_value_type();
            gen_expr(&g, q->types[i], 1 + rnd(2), &q->q);
        }
        both(&q->q, " AS c%d", i);
    }
    both(&q->q, " FROM (");
    cat(&q->q, &in.q);
    both(&q->q, ") q");
    if (chance(50)) {
        both(&q->q, " WHERE ");
        gen_bool(&g, 1 + rnd(2), &q->q);
    }
    if (agg) both(&q->q, " GROUP BY q.c0");
    dfree(&in.q);
    q->ncols = n;
    q->orderable = true;
}

/* SELECT DISTINCT exprs FROM t [WHERE p] */
static void q_distinct(query *q) {
    scope sc = {0};
    scope_table(&sc, NULL);
    gen g = {&sc, false, 0};
    int n = 1 + rnd(2);
    both(&q->q, "SELECT DISTINCT ");
    for (int i = 0; i < n; i++) {
        if (i) both(&q->q, ", ");
        gen_expr(&g, rand_value_type(), rnd(3), &q->q);
        both(&q->q, " AS c%d", i);
    }
    both(&q->q, " FROM %s", tname(rnd(N_TABLES)));
    if (chance(40)) {
        both(&q->q, " WHERE ");
        gen_bool(&g, 1 + rnd(2), &q->q);
    }
    q->ncols = n;
    q->orderable = true;
}

/* a grouping key: a low-cardinality expression */
static void gen_key(gen *g, dual *out) {
    switch (rnd(6)) {
    case 0: both(out, "k"); break;
    case 1: both(out, "s"); break;
    case 2: both(out, "(a %% 3)"); break;
    case 3: both(out, "d"); break;
    case 4: both(out, "(k > 1)"); break;
    default: {
        /* a constant key could read as a position (GROUP BY (- 4)): keep
         * only keys that use a column */
        dual x = {0};
        int before = g->cols_used;
        gen_expr(g, chance(50) ? T_INT : T_STR, 1, &x);
        if (g->cols_used == before)
            both(out, "k");
        else
            cat(out, &x);
        dfree(&x);
    }
    }
}

/* SELECT keys, aggs FROM t [WHERE] GROUP BY keys [HAVING]; nkeys 0: global */
static void q_group(query *q, bool global) {
    scope sc = {0};
    scope_table(&sc, NULL);
    gen g = {&sc, false, 0};
    int nk = global ? 0 : 1 + rnd(2), na = 1 + rnd(3);
    dual keys[2];
    memset(keys, 0, sizeof keys);
    for (int i = 0; i < nk; i++) gen_key(&g, &keys[i]);
    both(&q->q, "SELECT ");
    for (int i = 0; i < nk; i++) {
        both(&q->q, "%s", i ? ", " : "");
        cat(&q->q, &keys[i]);
        both(&q->q, " AS c%d", i);
    }
    for (int i = 0; i < na; i++) {
        both(&q->q, "%s", i + nk ? ", " : "");
        gen_agg(&g, false, &q->q);
        both(&q->q, " AS c%d", nk + i);
    }
    both(&q->q, " FROM %s", tname(rnd(N_TABLES)));
    if (chance(40)) {
        both(&q->q, " WHERE ");
        gen_bool(&g, 1 + rnd(2), &q->q);
    }
    if (nk) {
        both(&q->q, " GROUP BY ");
        for (int i = 0; i < nk; i++) {
            if (i) both(&q->q, ", ");
            /* by position or by repeating the expression */
            if (chance(30))
                both(&q->q, "%d", i + 1);
            else
                cat(&q->q, &keys[i]);
        }
    }
    if (nk && chance(40)) {
        both(&q->q, " HAVING ");
        switch (rnd(3)) {
        case 0: both(&q->q, "count(*) > %d", rnd(3)); break;
        case 1:
            both(&q->q, "(");
            gen_agg(&g, true, &q->q);
            both(&q->q, " >= %d)", rnd(5) - 1);
            break;
        default:
            both(&q->q, "(");
            cat(&q->q, &keys[0]);
            both(&q->q, " IS NOT NULL OR count(*) = 1)");
        }
    }
    for (int i = 0; i < nk; i++) dfree(&keys[i]);
    q->ncols = nk + na;
    q->orderable = true;
}

/*
 * GROUP BY ROLLUP(k1, k2) / CUBE(k1, k2) with grouping(); in sqlite a
 * UNION ALL of one GROUP BY per grouping set, rolled-up keys as NULL. The
 * empty grouping set is a GROUP BY of a constant, so that no input rows
 * give no output row, as in Spark (R143).
 */
static void q_rollup(query *q) {
    scope sc = {0};
    scope_table(&sc, NULL);
    gen g = {&sc, false, 0};
    static const char *const key_choices[] = {"k", "s", "(a % 2)", "d"};
    int nk = 1 + rnd(2);
    const char *keys[2];
    keys[0] = key_choices[rnd(4)];
    do keys[1] = key_choices[rnd(4)];
    while (nk == 2 && keys[1] == keys[0]);
    bool cube = chance(50);
    int na = 1 + rnd(2);
    dual aggs[2];
    memset(aggs, 0, sizeof aggs);
    for (int i = 0; i < na; i++) gen_agg(&g, false, &aggs[i]);
    dual where = {0};
    if (chance(40)) {
        both(&where, " WHERE ");
        gen_bool(&g, 1 + rnd(2), &where);
    }
    const char *t = tname(rnd(N_TABLES));
    bool with_grouping = chance(50);
    /* sluice */
    sb_add(&q->q.a, "SELECT ");
    for (int i = 0; i < nk; i++) sb_add(&q->q.a, "%s%s AS c%d", i ? ", " : "", keys[i], i);
    for (int i = 0; i < na; i++) sb_add(&q->q.a, ", %s AS c%d", sb_str(&aggs[i].a), nk + i);
    if (with_grouping)
        for (int i = 0; i < nk; i++) sb_add(&q->q.a, ", grouping(%s) AS g%d", keys[i], i);
    sb_add(&q->q.a, " FROM %s%s GROUP BY %s(", t, sb_str(&where.a), cube ? "CUBE" : "ROLLUP");
    for (int i = 0; i < nk; i++) sb_add(&q->q.a, "%s%s", i ? ", " : "", keys[i]);
    sb_add(&q->q.a, ")");
    /* sqlite: the grouping sets, as bit masks of the kept keys */
    unsigned sets[4];
    int ns = 0;
    if (cube) {
        for (unsigned m = 0; m < (1u << nk); m++) sets[ns++] = m;
    } else {
        for (int kept = nk; kept >= 0; kept--) sets[ns++] = (1u << kept) - 1;
    }
    for (int s = 0; s < ns; s++) {
        if (s) sb_add(&q->q.b, " UNION ALL ");
        sb_add(&q->q.b, "SELECT ");
        for (int i = 0; i < nk; i++)
            sb_add(&q->q.b, "%s%s", i ? ", " : "", (sets[s] >> i) & 1 ? keys[i] : "NULL");
        for (int i = 0; i < na; i++) sb_add(&q->q.b, ", %s", sb_str(&aggs[i].b));
        if (with_grouping)
            for (int i = 0; i < nk; i++) sb_add(&q->q.b, ", %d", (sets[s] >> i) & 1 ? 0 : 1);
        sb_add(&q->q.b, " FROM %s%s GROUP BY ", t, sb_str(&where.b));
        bool any = false;
        for (int i = 0; i < nk; i++)
            if ((sets[s] >> i) & 1) {
                sb_add(&q->q.b, "%s%s", any ? ", " : "", keys[i]);
                any = true;
            }
        if (!any) sb_add(&q->q.b, "'all'");
    }
    for (int i = 0; i < na; i++) dfree(&aggs[i]);
    dfree(&where);
    q->ncols = nk + na + (with_grouping ? nk : 0);
    q->orderable = false; /* the sqlite text is a compound SELECT */
}

/* t1 [INNER|LEFT|RIGHT|FULL] JOIN t2 ON t1.k = t2.k [AND residual] */
static void q_join(query *q, bool aggregate) {
    int l = join_table(), r = join_table();
    scope sc = {0};
    scope_table(&sc, "x");
    scope_table(&sc, "y");
    gen g = {&sc, false, 0};
    static const char *const kinds[] = {"JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL OUTER JOIN",
                                        "CROSS JOIN"};
    int kind = rnd(5);
    int n = 1 + rnd(4);
    bool residual = false;
    both(&q->q, "SELECT ");
    if (aggregate) {
        both(&q->q, "x.k AS c0");
        for (int i = 1; i < n; i++) {
            both(&q->q, ", ");
            gen_agg(&g, false, &q->q);
            both(&q->q, " AS c%d", i);
        }
    } else {
        for (int i = 0; i < n; i++) {
            if (i) both(&q->q, ", ");
            gen_expr(&g, rand_value_type(), rnd(3), &q->q);
            both(&q->q, " AS c%d", i);
        }
    }
    if (chance(20)) {
        /* aggregate, then join (the lab's groupBy -> join): the subquery has
         * the table's column names, so the scope stays x.k, x.a, x.d, x.s */
        both(&q->q,
             " FROM (SELECT k, count(*) AS a, sum(d) AS d, max(s) AS s FROM %s GROUP BY k) x",
             tname(l));
        both(&q->q, " %s %s y", kinds[kind], tname(r));
    } else {
        both(&q->q, " FROM %s x %s %s y", tname(l), kinds[kind], tname(r));
    }
    if (kind != 4) {
        both(&q->q, " ON ");
        switch (rnd(4)) {
        case 0: both(&q->q, "x.s = y.s"); break;
        case 1: both(&q->q, "x.k = y.k AND x.a = y.a"); break;
        case 2: both(&q->q, "x.k = y.a"); break;
        default: both(&q->q, "x.k = y.k");
        }
        if (chance(35)) {
            both(&q->q, " AND ");
            gen_bool(&g, 1 + rnd(2), &q->q);
            residual = true;
        }
    }
    /* sqlite 3.40 drops every row of `a JOIN b ON ... AND <false constant>
     * FULL JOIN c` (it hoists the constant out of the ON clause), so a
     * third table joins only when the first ON has no residual condition */
    if (kind != 4 && !residual && chance(20)) {
        /* a third table, joined to the second */
        static const char *const k3[] = {"JOIN", "LEFT JOIN", "FULL JOIN"};
        both(&q->q, " %s %s z ON y.k = z.k", k3[rnd(3)], tname(join_table()));
    }
    if (chance(30)) {
        both(&q->q, " WHERE ");
        gen_bool(&g, 1 + rnd(2), &q->q);
    }
    if (aggregate) both(&q->q, " GROUP BY x.k");
    q->ncols = n;
    q->orderable = true;
}

/* LEFT SEMI / LEFT ANTI JOIN, in sqlite [NOT] EXISTS */
static void q_semi(query *q) {
    int l = join_table(), r = join_table();
    scope left = {0}, both_sc = {0};
    scope_table(&left, "x");
    scope_table(&both_sc, "x");
    scope_table(&both_sc, "y");
    gen gl = {&left, false, 0}, gb = {&both_sc, false, 0};
    bool anti = chance(50);
    int n = 1 + rnd(3);
    dual sel = {0}, cond = {0}, where = {0};
    for (int i = 0; i < n; i++) {
        if (i) both(&sel, ", ");
        gen_expr(&gl, rand_value_type(), rnd(3), &sel);
        both(&sel, " AS c%d", i);
    }
    switch (rnd(3)) {
    case 0: both(&cond, "x.s = y.s"); break;
    case 1: both(&cond, "x.k = y.a"); break;
    default: both(&cond, "x.k = y.k");
    }
    if (chance(40)) {
        both(&cond, " AND ");
        gen_bool(&gb, 1 + rnd(2), &cond);
    }
    if (chance(30)) gen_bool(&gl, 1 + rnd(2), &where);
    sb_add(&q->q.a, "SELECT %s FROM %s x LEFT %s JOIN %s y ON %s", sb_str(&sel.a), tname(l),
           anti ? "ANTI" : "SEMI", tname(r), sb_str(&cond.a));
    if (where.a.n) sb_add(&q->q.a, " WHERE %s", sb_str(&where.a));
    sb_add(&q->q.b, "SELECT %s FROM %s x WHERE %sEXISTS (SELECT 1 FROM %s y WHERE %s)",
           sb_str(&sel.b), tname(l), anti ? "NOT " : "", tname(r), sb_str(&cond.b));
    if (where.b.n) sb_add(&q->q.b, " AND %s", sb_str(&where.b));
    dfree(&sel);
    dfree(&cond);
    dfree(&where);
    q->ncols = n;
    q->orderable = true;
}

/* (SELECT ... FROM ta) UNION|UNION ALL|EXCEPT|INTERSECT (SELECT ... FROM tb) */
static void q_setop(query *q) {
    static const char *const ops[] = {"UNION", "UNION ALL", "EXCEPT", "INTERSECT"};
    const char *op = ops[rnd(4)];
    int n = 1 + rnd(2);
    ty types[2];
    for (int i = 0; i < n; i++) {
        types[i] = rand_value_type();
        if (types[i] == T_BOOL) types[i] = T_INT;
    }
    for (int side = 0; side < 2; side++) {
        scope sc = {0};
        scope_table(&sc, NULL);
        gen g = {&sc, false, 0};
        if (side) both(&q->q, " %s ", op);
        both(&q->q, "SELECT ");
        for (int i = 0; i < n; i++) {
            if (i) both(&q->q, ", ");
            /* plain columns and literals: set operations compare exactly */
            gen_expr(&g, types[i], rnd(2), &q->q);
            both(&q->q, " AS c%d", i);
        }
        both(&q->q, " FROM %s", tname(rnd(N_TABLES)));
        if (chance(50)) {
            both(&q->q, " WHERE ");
            gen_bool(&g, 1 + rnd(2), &q->q);
        }
    }
    q->ncols = n;
    q->orderable = true;
}

static void gen_query(query *q) {
    memset(q, 0, sizeof *q);
    int k = rnd(100);
    if (k < 20)
        q_select(q);
    else if (k < 27)
        q_distinct(q);
    else if (k < 45)
        q_group(q, false);
    else if (k < 50)
        q_group(q, true);
    else if (k < 60)
        q_rollup(q);
    else if (k < 73)
        q_join(q, false);
    else if (k < 78)
        q_join(q, true);
    else if (k < 85)
        q_semi(q);
    else if (k < 92)
        q_setop(q);
    else
        q_nested(q);
    if (q->orderable && chance(20)) add_order_limit(q);
}

/* ---- results --------------------------------------------------------------- */

typedef struct val {
    int kind; /* 0 NULL, 1 number, 2 string */
    bool is_int;
    int64_t i;
    double d;
    char *s;
} val;

typedef struct rows {
    val *v; /* n * ncols */
    size_t n, cap;
    int ncols;
} rows;

static val *rows_add(rows *r) {
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->v = realloc(r->v, sizeof *r->v * r->cap * (size_t)r->ncols);
    }
    val *row = r->v + r->n * (size_t)r->ncols;
    memset(row, 0, sizeof *row * (size_t)r->ncols);
    r->n++;
    return row;
}

static void rows_free(rows *r) {
    for (size_t i = 0; i < r->n * (size_t)r->ncols; i++) free(r->v[i].s);
    free(r->v);
    memset(r, 0, sizeof *r);
}

static void val_print(const val *v, sbuf *out) {
    if (v->kind == 0)
        sb_add(out, "NULL");
    else if (v->kind == 2)
        sb_add(out, "'%s'", v->s);
    else if (v->is_int)
        sb_add(out, "%lld", (long long)v->i);
    else
        sb_add(out, "%.17g", v->d);
}

static void rows_print(const rows *r, const char *title, sbuf *out) {
    sb_add(out, "#   %s (%zu rows):\n", title, r->n);
    for (size_t i = 0; i < r->n && i < 60; i++) {
        sb_add(out, "#     ");
        for (int c = 0; c < r->ncols; c++) {
            if (c) sb_add(out, " | ");
            val_print(&r->v[i * (size_t)r->ncols + c], out);
        }
        sb_add(out, "\n");
    }
    if (r->n > 60) sb_add(out, "#     ...\n");
}

static double num_of(const val *v) {
    return v->is_int ? (double)v->i : v->d;
}

static bool val_eq(const val *x, const val *y) {
    if (x->kind != y->kind) return false;
    if (x->kind == 0) return true;
    if (x->kind == 2) return strcmp(x->s, y->s) == 0;
    if (x->is_int && y->is_int) return x->i == y->i;
    double a = num_of(x), b = num_of(y);
    if (a == b) return true;
    double m = fmax(fabs(a), fabs(b));
    return fabs(a - b) <= 1e-9 * m;
}

/* an order for sorting rows before comparing them: NULL < numbers < strings;
 * numbers by value (equal-within-tolerance values sort next to each other) */
static int val_cmp(const val *x, const val *y) {
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    if (x->kind == 0) return 0;
    if (x->kind == 2) return strcmp(x->s, y->s);
    if (val_eq(x, y)) return 0;
    return num_of(x) < num_of(y) ? -1 : 1;
}

static int g_ncols;
static int row_cmp(const void *a, const void *b) {
    const val *x = a, *y = b;
    for (int c = 0; c < g_ncols; c++) {
        int k = val_cmp(&x[c], &y[c]);
        if (k) return k;
    }
    return 0;
}

/* Sorts rows as units: the rows are stored flat, so sort an index. */
static void rows_sort(rows *r) {
    if (r->n < 2) return;
    g_ncols = r->ncols;
    size_t w = sizeof(val) * (size_t)r->ncols;
    char *tmp = malloc(w * r->n);
    memcpy(tmp, r->v, w * r->n);
    /* qsort on fixed-size elements of w bytes */
    qsort(tmp, r->n, w, row_cmp);
    memcpy(r->v, tmp, w * r->n);
    free(tmp);
}

/* The same rows in the same order (ORDER BY over every column). */
static bool rows_equal_in_order(const rows *x, const rows *y) {
    if (x->n != y->n || x->ncols != y->ncols) return false;
    for (size_t i = 0; i < x->n * (size_t)x->ncols; i++)
        if (!val_eq(&x->v[i], &y->v[i])) return false;
    return true;
}

static bool rows_equal(rows *x, rows *y) {
    if (x->n != y->n || x->ncols != y->ncols) return false;
    rows_sort(x);
    rows_sort(y);
    bool ok = true;
    for (size_t i = 0; i < x->n * (size_t)x->ncols && ok; i++)
        if (!val_eq(&x->v[i], &y->v[i])) ok = false;
    if (ok) return true;
    /* tolerance can make sorting unstable across the two: match greedily */
    bool *used = calloc(y->n, 1);
    ok = true;
    for (size_t i = 0; i < x->n && ok; i++) {
        bool found = false;
        for (size_t j = 0; j < y->n && !found; j++) {
            if (used[j]) continue;
            bool same = true;
            for (int c = 0; c < x->ncols && same; c++)
                same = val_eq(&x->v[i * (size_t)x->ncols + c], &y->v[j * (size_t)y->ncols + c]);
            if (same) used[j] = found = true;
        }
        if (!found) ok = false;
    }
    free(used);
    return ok;
}

static bool run_sluice(sl_session *s, const char *sql, rows *out, sbuf *err) {
    sl_result *r = NULL;
    if (sl_session_execute(s, sql, &r) != SL_OK) {
        sb_add(err, "%s", sl_session_errmsg(s));
        return false;
    }
    if (!r) {
        sb_add(err, "no result");
        return false;
    }
    out->ncols = (int)sl_result_column_count(r);
    for (uint64_t i = 0; i < sl_result_row_count(r); i++) {
        val *row = rows_add(out);
        for (int c = 0; c < out->ncols; c++) {
            val *v = &row[c];
            if (sl_result_is_null(r, (size_t)c, i)) continue;
            switch (sl_result_column_type(r, (size_t)c)) {
            case SL_TYPE_BOOLEAN:
                v->kind = 1;
                v->is_int = true;
                v->i = sl_result_bool(r, (size_t)c, i);
                break;
            case SL_TYPE_SMALLINT:
            case SL_TYPE_INT:
            case SL_TYPE_BIGINT:
                v->kind = 1;
                v->is_int = true;
                v->i = sl_result_int64(r, (size_t)c, i);
                break;
            case SL_TYPE_DOUBLE:
                v->kind = 1;
                v->d = sl_result_double(r, (size_t)c, i);
                break;
            case SL_TYPE_STRING: {
                size_t len;
                const char *p = sl_result_string(r, (size_t)c, i, &len);
                v->kind = 2;
                v->s = strndup(p ? p : "", len);
                break;
            }
            default: {
                char buf[256];
                sl_result_cell_text(r, (size_t)c, i, buf, sizeof buf);
                v->kind = 2;
                v->s = strdup(buf);
            }
            }
        }
    }
    sl_result_destroy(&r);
    return true;
}

static bool run_sqlite(sqlite3 *db, const char *sql, rows *out, sbuf *err) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        sb_add(err, "%s", sqlite3_errmsg(db));
        return false;
    }
    out->ncols = sqlite3_column_count(st);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        val *row = rows_add(out);
        for (int c = 0; c < out->ncols; c++) {
            val *v = &row[c];
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_INTEGER:
                v->kind = 1;
                v->is_int = true;
                v->i = sqlite3_column_int64(st, c);
                break;
            case SQLITE_FLOAT:
                v->kind = 1;
                v->d = sqlite3_column_double(st, c);
                break;
            case SQLITE_TEXT:
                v->kind = 2;
                v->s = strdup((const char *)sqlite3_column_text(st, c));
                break;
            default: break;
            }
        }
    }
    if (rc != SQLITE_DONE) sb_add(err, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

/* ---- main loop --------------------------------------------------------------- */

static bool sqlite_exec(sqlite3 *db, const char *sql) {
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sqlite: %s\n  in: %s\n", msg, sql);
        sqlite3_free(msg);
        return false;
    }
    return true;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: difftest SEED COUNT [-v] [-q N]\n");
        return 2;
    }
    uint64_t seed = strtoull(argv[1], NULL, 10);
    long count = strtol(argv[2], NULL, 10);
    bool verbose = false;
    long only = -1; /* -q N: run query N only (the others are generated, not run) */
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = true;
        else if (strcmp(argv[i], "-q") == 0 && i + 1 < argc)
            only = strtol(argv[++i], NULL, 10);
    }
    const int per_batch = 100;
    long batches = (count + per_batch - 1) / per_batch;
    int failures = 0, tap = 0;
    for (long bi = 0; bi < batches; bi++) {
        rng_state = seed * 1000003u + (uint64_t)bi;
        sl_session *s;
        sqlite3 *db;
        if (sl_session_open(NULL, &s) != SL_OK || sqlite3_open(":memory:", &db) != SQLITE_OK) {
            printf("not ok %d - cannot open a session or a database\n", ++tap);
            return 1;
        }
        sqlite_exec(db, "PRAGMA case_sensitive_like = ON");
        sbuf setup = {0};
        bool ok = true;
        for (int t = 0; t < N_TABLES && ok; t++) {
            sbuf rows_sql = {0};
            table_rows[t] = gen_rows(&rows_sql, bi % 4 == 3);
            char ddl_sl[128], ddl_sq[128];
            snprintf(ddl_sl, sizeof ddl_sl, "CREATE TABLE %s (k INT, a INT, d DOUBLE, s STRING)",
                     tname(t));
            snprintf(ddl_sq, sizeof ddl_sq,
                     "CREATE TABLE %s (k INTEGER, a INTEGER, d REAL, s TEXT)", tname(t));
            sb_add(&setup, "#   %s;\n", ddl_sl);
            ok = sl_session_execute(s, ddl_sl, NULL) == SL_OK && sqlite_exec(db, ddl_sq);
            if (ok && rows_sql.n) {
                sbuf ins = {0};
                sb_add(&ins, "INSERT INTO %s VALUES %s", tname(t), sb_str(&rows_sql));
                if (ins.n < 4000)
                    sb_add(&setup, "#   %s;\n", sb_str(&ins));
                else
                    sb_add(&setup, "#   %.3000s ... (%zu bytes; rerun with -v to see it all)\n",
                           sb_str(&ins), ins.n);
                if (sl_session_execute(s, sb_str(&ins), NULL) != SL_OK) {
                    fprintf(stderr, "sluice: %s\n  in: %s\n", sl_session_errmsg(s), sb_str(&ins));
                    ok = false;
                }
                ok = ok && sqlite_exec(db, sb_str(&ins));
                sb_free(&ins);
            }
            sb_free(&rows_sql);
        }
        long first = bi * per_batch, last = first + per_batch;
        if (last > count) last = count;
        int bad = 0;
        for (long qi = first; qi < last && ok; qi++) {
            query q;
            gen_query(&q);
            const char *sa = sb_str(&q.q.a), *sq = sb_str(&q.q.b);
            if (only >= 0 && qi != only) {
                dfree(&q.q);
                continue;
            }
            if (verbose) printf("# %ld: %s\n", qi, sa);
            rows ra = {0}, rb = {0};
            sbuf ea = {0}, eb = {0};
            bool oka = run_sluice(s, sa, &ra, &ea);
            bool okb = run_sqlite(db, sq, &rb, &eb);
            bool same =
                oka && okb && (q.ordered ? rows_equal_in_order(&ra, &rb) : rows_equal(&ra, &rb));
            if (!same) {
                bad++;
                failures++;
                sbuf msg = {0};
                sb_add(&msg, "not ok %d - seed %llu query %ld (batch %ld): results differ\n", ++tap,
                       (unsigned long long)seed, qi, bi);
                sb_add(&msg, "#   tables:\n%s", sb_str(&setup));
                sb_add(&msg, "#   sluice SQL: %s\n", sa);
                sb_add(&msg, "#   sqlite SQL: %s\n", sq);
                if (!oka)
                    sb_add(&msg, "#   sluice error: %s\n", sb_str(&ea));
                else
                    rows_print(&ra, "sluice", &msg);
                if (!okb)
                    sb_add(&msg, "#   sqlite error: %s\n", sb_str(&eb));
                else
                    rows_print(&rb, "sqlite", &msg);
                fputs(sb_str(&msg), stdout);
                sb_free(&msg);
            }
            rows_free(&ra);
            rows_free(&rb);
            sb_free(&ea);
            sb_free(&eb);
            dfree(&q.q);
        }
        if (!ok) {
            printf("not ok %d - batch %ld: loading the tables failed\n", ++tap, bi);
            failures++;
        } else if (!bad) {
            printf("ok %d - seed %llu batch %ld: queries %ld..%ld agree\n", ++tap,
                   (unsigned long long)seed, bi, first, last - 1);
        }
        fflush(stdout);
        sb_free(&setup);
        sl_session_close(&s);
        sqlite3_close(db);
    }
    printf("1..%d\n", tap);
    return failures ? 1 : 0;
}
