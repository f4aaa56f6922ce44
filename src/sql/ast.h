/*
 * ast.h — the syntax tree the parser builds: expressions (sl__ast),
 * relations in FROM (sl__rel), queries (sl__query) and statements
 * (sl__stmt). Every node records the byte offset it starts at so the binder
 * can point errors at the text. All nodes live in the statement's arena and
 * die with it; nothing here is resolved yet (names are just names).
 */
#ifndef SL_AST_H
#define SL_AST_H

#include "base/base.h"
#include "types/type.h"

typedef struct sl__ast sl__ast;
typedef struct sl__rel sl__rel;
typedef struct sl__query sl__query;

typedef enum sl__ast_kind {
    A_LITERAL,   /* lit */
    A_COLUMN,    /* parts[0..n_parts): a, t.a, s.f.g (resolution decides) */
    A_STAR,      /* parts = qualifier (t.*, s.*); args = EXCEPT column refs */
    A_FUNC,      /* name(args), distinct, star (count(*)) */
    A_UNARY,     /* op a */
    A_BINARY,    /* a op b */
    A_CASE,      /* CASE [a] WHEN args[2i] THEN args[2i+1] ... [ELSE c] END */
    A_CAST,      /* CAST(a AS type); op = 1 for TRY_CAST */
    A_IN,        /* a [NOT] IN (args) or (sub) */
    A_BETWEEN,   /* a [NOT] BETWEEN b AND c */
    A_LIKE,      /* a [NOT] LIKE|ILIKE|RLIKE b [ESCAPE lit] (op = LIKE_*) */
    A_ISNULL,    /* a IS [NOT] NULL */
    A_SUBSCRIPT, /* a[b] */
    A_FIELD,     /* a.name where a is not a plain column path */
    A_SUBQUERY,  /* (SELECT ...) as a value */
    A_INTERVAL   /* interval literal: lit.i microseconds */
} sl__ast_kind;

typedef enum sl__opcode {
    OP_NONE,
    /* unary */
    OP_NEG,
    OP_PLUS,
    OP_NOT,
    OP_BITNOT,
    /* binary arithmetic */
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_MOD,
    OP_IDIV,
    OP_CONCAT,
    OP_BITAND,
    OP_BITOR,
    OP_BITXOR,
    /* comparison */
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_NSEQ, /* <=> */
    /* logical */
    OP_AND,
    OP_OR,
    /* LIKE family */
    OP_LIKE,
    OP_ILIKE,
    OP_RLIKE
} sl__opcode;

/* SQL text of an operator ("+", "<=>", "AND"). */
const char *sl__op_text(sl__opcode op);

typedef struct sl__lit {
    sl_type_id type; /* NULL, BOOLEAN, INT, BIGINT, SMALLINT, DOUBLE, STRING */
    int64_t i;       /* integers and booleans */
    double d;
    const char *s; /* STRING, arena */
    size_t slen;
} sl__lit;

struct sl__ast {
    sl__ast_kind kind;
    sl__opcode op;
    uint32_t pos; /* where the expression starts */
    uint32_t end; /* one past its last byte */
    sl__ast *a, *b, *c;
    sl__ast **args;
    uint32_t n_args;
    const char **parts; /* identifier path */
    uint32_t n_parts;
    const char *name; /* function or field name */
    sl__lit lit;
    const sl__type *type; /* CAST target */
    bool distinct;        /* f(DISTINCT x) */
    bool star;            /* count(*) */
    bool negated;         /* NOT IN / NOT LIKE / NOT BETWEEN / IS NOT NULL */
    char escape;          /* LIKE ... ESCAPE 'c' (0: default '\') */
    sl__query *sub;       /* A_SUBQUERY, A_IN with a subquery */
};

typedef enum sl__join_type {
    J_INNER,
    J_LEFT,
    J_RIGHT,
    J_FULL,
    J_SEMI,
    J_ANTI,
    J_CROSS
} sl__join_type;

const char *sl__join_type_name(sl__join_type t);

typedef enum sl__rel_kind {
    R_TABLE,    /* name [alias] */
    R_SUBQUERY, /* (query) [alias] */
    R_FUNC,     /* name(args) — table functions: dropna, dropduplicates, range */
    R_JOIN      /* left JOIN right ON cond | USING (cols) */
} sl__rel_kind;

struct sl__rel {
    sl__rel_kind kind;
    uint32_t pos;
    const char *name;         /* R_TABLE, R_FUNC */
    const char *alias;        /* NULL when none */
    const char **col_aliases; /* AS t(a, b) */
    uint32_t n_col_aliases;
    sl__query *sub;
    sl__ast **args; /* R_FUNC */
    uint32_t n_args;
    sl__join_type join;
    sl__rel *left, *right;
    sl__ast *on;
    const char **using_cols;
    uint32_t n_using;
    /* WATERMARK col DELAY OF interval */
    const char *wm_col;
    uint32_t wm_pos;
    int64_t wm_delay_us;
};

typedef struct sl__select_item {
    sl__ast *expr;
    const char *alias; /* NULL: name derived from the expression */
    uint32_t pos;
} sl__select_item;

typedef enum sl__group_kind {
    G_EXPR,   /* one expression */
    G_CUBE,   /* CUBE(exprs) */
    G_ROLLUP, /* ROLLUP(exprs) */
    G_SETS    /* GROUPING SETS (sets) */
} sl__group_kind;

typedef struct sl__group_elem {
    sl__group_kind kind;
    sl__ast **exprs; /* G_EXPR: 1; CUBE/ROLLUP: the list; G_SETS: every distinct expr */
    uint32_t n_exprs;
    uint32_t **sets; /* G_SETS: per set, indexes into exprs */
    uint32_t *set_len;
    uint32_t n_sets;
} sl__group_elem;

typedef struct sl__order_item {
    sl__ast *expr;
    bool desc;
    int nulls_first; /* -1: default (first for ASC, last for DESC), 0, 1 */
} sl__order_item;

typedef enum sl__query_kind { Q_SELECT, Q_VALUES, Q_SETOP } sl__query_kind;

typedef enum sl__setop { SET_UNION, SET_EXCEPT, SET_INTERSECT } sl__setop;

typedef struct sl__cte {
    const char *name;
    sl__query *query;
    uint32_t pos;
} sl__cte;

struct sl__query {
    sl__query_kind kind;
    uint32_t pos, end;
    /* Q_SELECT */
    bool distinct;
    sl__select_item *items;
    uint32_t n_items;
    sl__rel *from; /* NULL: SELECT without FROM */
    sl__ast *where;
    sl__group_elem *group;
    uint32_t n_group;
    sl__ast *having;
    /* Q_VALUES: rows of expressions */
    sl__ast ***rows;
    uint32_t *row_len;
    uint32_t n_rows;
    /* Q_SETOP */
    sl__setop setop;
    bool set_all;
    sl__query *left, *right;
    /* for any kind */
    sl__order_item *order;
    uint32_t n_order;
    sl__ast *limit;
    sl__ast *offset;
    sl__cte *ctes;
    uint32_t n_ctes;
};

typedef struct sl__option {
    const char *key; /* as written; compared case-insensitively */
    const char *value;
    uint32_t pos;
} sl__option;

typedef enum sl__stmt_kind {
    S_QUERY,          /* a SELECT / VALUES / set operation */
    S_CREATE_TABLE,   /* name (cols) | name USING fmt OPTIONS (...) | name AS query */
    S_INSERT,         /* INSERT INTO name [VALUES ... | query] */
    S_CREATE_VIEW,    /* [OR REPLACE] VIEW name AS query (text kept) */
    S_CREATE_STREAM,  /* STREAM name [(cols)] USING src OPTIONS (...) */
    S_DROP,           /* DROP TABLE|VIEW|STREAM [IF EXISTS] name */
    S_SET,            /* SET [key [= value]] */
    S_RESET,          /* RESET [key] */
    S_SHOW_TABLES,    /* SHOW TABLES */
    S_SHOW_STREAMS,   /* SHOW STREAMS */
    S_SHOW_QUERIES,   /* SHOW QUERIES */
    S_SHOW_PROGRESS,  /* SHOW PROGRESS name [LAST n] */
    S_SHOW_FUNCTIONS, /* SHOW FUNCTIONS */
    S_DESCRIBE,       /* DESCRIBE [TABLE] name | DESCRIBE query */
    S_DESCRIBE_QUERY, /* DESCRIBE QUERY name */
    S_EXPLAIN,        /* EXPLAIN [EXTENDED] statement */
    S_START_QUERY,    /* START QUERY name [USING sink] [OPTIONS (...)] AS query */
    S_STOP_QUERY,     /* STOP QUERY name [FLUSH] | STOP ALL */
    S_AWAIT_QUERY     /* AWAIT QUERY name [TIMEOUT 'duration'] */
} sl__stmt_kind;

typedef enum sl__obj_kind { OBJ_ANY, OBJ_TABLE, OBJ_VIEW, OBJ_STREAM } sl__obj_kind;

typedef struct sl__stmt {
    sl__stmt_kind kind;
    uint32_t pos, end;
    const char *name;
    uint32_t name_pos;
    sl__obj_kind obj;
    bool or_replace, if_exists, if_not_exists, all, flush, extended;
    const sl__type *schema; /* column definitions, or NULL */
    const char *using_fmt;  /* USING format / sink */
    uint32_t using_pos;
    sl__option *options;
    uint32_t n_options;
    sl__query *query;
    uint32_t query_pos, query_end; /* source span of the query (views keep it) */
    const char *key, *value;       /* SET */
    int64_t n;                     /* SHOW PROGRESS LAST n; AWAIT timeout µs (-1: none) */
    struct sl__stmt *inner;        /* EXPLAIN */
} sl__stmt;

/*
 * Parses one statement from toks (from sl__lex_statement over src). Nodes
 * are allocated in a. On error returns NULL with err filled (offsets
 * relative to src).
 */
struct sl__tok;
sl__stmt *sl__parse_statement(const char *src, const struct sl__tok *toks, uint32_t n_toks,
                              sl__arena *a, sl__err *err);

/* Parses a standalone expression (used for option values and tests). */
sl__ast *sl__parse_expression(const char *src, size_t len, sl__arena *a, sl__err *err);

#endif
