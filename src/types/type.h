/*
 * type.h — logical types. A type is an immutable, interned sl__type:
 * primitives are static singletons and compound types (STRUCT, ARRAY) are
 * hash-consed in one process-wide table, so two types are equal exactly when
 * their pointers are, and a type pointer stays valid for the life of the
 * process. A schema is a STRUCT type whose fields are the columns.
 */
#ifndef SL_TYPE_H
#define SL_TYPE_H

#include "base/base.h"

typedef struct sl__type sl__type;

struct sl__type {
    sl_type_id id;
    uint32_t n_fields;             /* STRUCT: fields; ARRAY: 1 */
    const char *const *names;      /* STRUCT: field names as written */
    const sl__type *const *fields; /* STRUCT: field types; ARRAY: [0] = element */
    const bool *nullable;          /* STRUCT: field nullability; ARRAY: [0] containsNull */
    const char *name;              /* Spark's simpleString: "bigint", "struct<a:int>" */
    const char *type_name;         /* printSchema's name: "long", "integer", "struct" */
};

extern const sl__type sl__t_null, sl__t_bool, sl__t_i16, sl__t_i32, sl__t_i64, sl__t_f64, sl__t_str,
    sl__t_ts, sl__t_date, sl__t_interval;

#define SL_T_NULL     (&sl__t_null)
#define SL_T_BOOL     (&sl__t_bool)
#define SL_T_I16      (&sl__t_i16)
#define SL_T_I32      (&sl__t_i32)
#define SL_T_I64      (&sl__t_i64)
#define SL_T_F64      (&sl__t_f64)
#define SL_T_STR      (&sl__t_str)
#define SL_T_TS       (&sl__t_ts)
#define SL_T_DATE     (&sl__t_date)
#define SL_T_INTERVAL (&sl__t_interval)

/* The primitive type of an id (not STRUCT/ARRAY). */
const sl__type *sl__type_primitive(sl_type_id id);
/* Interned STRUCT; nullable may be NULL (all nullable). Arguments are copied. */
const sl__type *sl__type_struct(uint32_t n, const char *const *names, const sl__type *const *types,
                                const bool *nullable);
/* Interned ARRAY<elem> (containsNull = true). */
const sl__type *sl__type_array(const sl__type *elem);

/* Bytes per element in a vector (0 for STRUCT, which has only children). */
size_t sl__type_width(const sl__type *t);
bool sl__type_is_integral(const sl__type *t);
bool sl__type_is_numeric(const sl__type *t);
/* Index of a STRUCT field by name, -1 when absent, -2 when ambiguous
 * (case-insensitive lookup matching two fields). */
int sl__type_field_index(const sl__type *t, const char *name, size_t len, bool case_sensitive);

/* Spark DDL form of a schema: "a BIGINT,b STRING" (backticks when needed). */
void sl__type_print_ddl(const sl__type *schema, sl__buf *out);
/* printSchema's tree, starting with "root\n". */
void sl__type_print_tree(const sl__type *schema, sl__buf *out);

/*
 * Parses one type ("BIGINT", "array<string>", "STRUCT<a: INT, b: STRING>",
 * "VARCHAR(10)") at s[*pos, len), skipping leading spaces. Advances *pos past
 * it. Errors name the offset (relative to s) and return non-SL_OK.
 */
sl_status sl__type_parse(const char *s, size_t len, size_t *pos, const sl__type **out,
                         sl__err *err);
/*
 * Parses a schema: a DDL column list "a BIGINT, b STRING NOT NULL" or a
 * "struct<...>" type, into a STRUCT type.
 */
sl_status sl__schema_parse(const char *s, size_t len, const sl__type **out, sl__err *err);

#endif
