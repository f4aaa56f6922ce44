/*
 * badrec.h — where malformed input records go when they are kept (the
 * badRecordsPath option of a stream): the raw text of each record that a
 * decoder (JSON lines, CSV, from_json) could not read whole, with where it
 * came from and why, as JSON lines ready to be written to a file. The
 * records are still counted and read PERMISSIVE-style as before; keeping
 * them only adds a copy of their text.
 */
#ifndef SL_BADREC_H
#define SL_BADREC_H

#include "base/base.h"

typedef struct sl__badrec {
    sl__buf lines; /* {"origin":…,"record":…,"reason":…}\n per record */
    uint64_t n;
} sl__badrec;

/* Appends one record: its origin (a file path or host:port; may be NULL),
 * its raw text, and the reason. */
void sl__badrec_add(sl__badrec *b, const char *origin, const char *rec, size_t n,
                    const char *reason);
/* Forgets the records kept (the buffer is reused). */
void sl__badrec_clear(sl__badrec *b);
void sl__badrec_free(sl__badrec *b);

#endif
