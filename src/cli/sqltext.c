/*
 * sqltext.c — the little the shell needs to know about SQL text on its own:
 * whether what is left after the last statement is only whitespace and
 * comments (then no statement is open and a following line may be a dot
 * command), and whether the input ended inside a quote, a backtick or a
 * block comment. Statement boundaries themselves come from the engine
 * (sl_statement_complete, sl_session_execute_next).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool cli_sql_is_blank(const char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        if (is_space(s[i])) {
            i++;
        } else if (s[i] == '-' && i + 1 < len && s[i + 1] == '-') {
            while (i < len && s[i] != '\n') i++;
        } else if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
            /* Spark's bracketed comments nest. */
            int depth = 1;
            i += 2;
            while (i < len && depth > 0) {
                if (s[i] == '*' && i + 1 < len && s[i + 1] == '/') {
                    depth--;
                    i += 2;
                } else if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
                    depth++;
                    i += 2;
                } else {
                    i++;
                }
            }
            if (depth > 0) return false; /* an open comment: a statement may follow */
        } else {
            return false;
        }
    }
    return true;
}

bool cli_sql_is_unterminated(const char *s, size_t len) {
    /* Closing the text with a newline (ends a -- comment) and a ';': if the
     * engine still sees no complete statement, the ';' fell inside a quote,
     * a backtick or a block comment. */
    char *t = malloc(len + 3);
    if (!t) return false;
    memcpy(t, s, len);
    memcpy(t + len, "\n;", 3);
    bool open = !sl_statement_complete(t, len + 2);
    free(t);
    return open;
}
