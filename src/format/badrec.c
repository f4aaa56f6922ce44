/*
 * badrec.c — the kept copy of malformed input records (badrec.h): JSON lines
 * with the record's text escaped as a JSON string, so any bytes survive.
 */
#include "format/badrec.h"
#include "format/json.h"
#include <string.h>

void sl__badrec_add(sl__badrec *b, const char *origin, const char *rec, size_t n,
                    const char *reason) {
    sl__buf_puts(&b->lines, "{\"origin\":");
    if (origin)
        sl__json_write_string(origin, strlen(origin), &b->lines);
    else
        sl__buf_puts(&b->lines, "null");
    sl__buf_puts(&b->lines, ",\"record\":");
    sl__json_write_string(rec, n, &b->lines);
    sl__buf_puts(&b->lines, ",\"reason\":");
    sl__json_write_string(reason, strlen(reason), &b->lines);
    sl__buf_puts(&b->lines, "}\n");
    b->n++;
}

void sl__badrec_clear(sl__badrec *b) {
    b->lines.len = 0;
    b->n = 0;
}

void sl__badrec_free(sl__badrec *b) {
    sl__buf_free(&b->lines);
    b->n = 0;
}
