/*
 * schema.c — `.schema [NAME]`: the schema of a table, view or stream as
 * Spark's DataFrame.printSchema() prints it, from sl_session_print_schema:
 *
 *     root
 *      |-- Device: string (nullable = true)
 *      |-- json: struct (nullable = true)
 *      |    |-- x: double (nullable = true)
 *
 * Without NAME, every relation listed by SHOW TABLES is printed, each under
 * a "NAME:" line. The tree goes to the current output (.output).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* Prints one tree; false (after an error message) when NAME is unknown. */
static bool print_one(cli_shell *sh, const char *name, bool titled) {
    char *tree = sl_session_print_schema(sh->session, name);
    if (!tree) {
        cli_err_printf("Error: %s\n", cli_error_strip_position(sl_session_errmsg(sh->session)));
        return false;
    }
    size_t n = strlen(tree);
    cli_out_lock();
    int rc = 0;
    if (titled) rc |= cli_out_write(NULL, name, strlen(name)) | cli_out_write(NULL, ":\n", 2);
    rc |= cli_out_write(NULL, tree, n);
    if (n > 0 && tree[n - 1] != '\n') rc |= cli_out_write(NULL, "\n", 1);
    if (titled) rc |= cli_out_write(NULL, "\n", 1);
    rc |= cli_out_flush();
    cli_out_unlock();
    sl_free(tree);
    return rc == 0;
}

/* Index of the column named name (case-insensitive), or dflt. */
static size_t find_col(const sl_result *r, const char *name, size_t dflt) {
    size_t n = sl_result_column_count(r);
    for (size_t i = 0; i < n; i++) {
        const char *c = sl_result_column_name(r, i);
        if (c && strcasecmp(c, name) == 0) return i;
    }
    return dflt;
}

bool cli_schema_print(cli_shell *sh, const char *name) {
    if (name) {
        /* `name` as in SQL: the catalog wants the bare name. */
        size_t n = strlen(name);
        if (n >= 2 && name[0] == '`' && name[n - 1] == '`') {
            char *bare = malloc(n);
            if (!bare) return false;
            size_t k = 0;
            for (size_t i = 1; i + 1 < n; i++) {
                bare[k++] = name[i];
                if (name[i] == '`' && name[i + 1] == '`') i++;
            }
            bare[k] = '\0';
            bool ok = print_one(sh, bare, false);
            free(bare);
            return ok;
        }
        return print_one(sh, name, false);
    }
    sl_result *r = cli_exec_internal(sh, "SHOW TABLES");
    if (!r) return false;
    size_t c = find_col(r, "tableName", find_col(r, "name", 0));
    uint64_t rows = sl_result_column_count(r) > 0 ? sl_result_row_count(r) : 0;
    bool ok = true;
    for (uint64_t row = 0; row < rows && !sh->quit; row++) {
        size_t len = 0;
        const char *s = sl_result_string(r, c, row, &len);
        if (!s || len == 0) continue;
        char *t = malloc(len + 1);
        if (!t) break;
        memcpy(t, s, len);
        t[len] = '\0';
        ok = print_one(sh, t, true) && ok;
        free(t);
    }
    sl_result_destroy(&r);
    return ok;
}
