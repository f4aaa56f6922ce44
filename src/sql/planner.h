/*
 * planner.h — turns a logical plan into physical operators (exec/ops.h).
 * The planner moves expressions out of the plan into the operators (the
 * plan is left without them and is only good for freeing afterwards), loads
 * file-backed tables, takes snapshots of in-memory tables, and evaluates
 * VALUES rows.
 */
#ifndef SL_PLANNER_H
#define SL_PLANNER_H

#include "exec/ops.h"
#include "main/catalog.h"
#include "sql/plan.h"

typedef struct sl__planner {
    sl__catalog *cat;
    sl__ectx *ectx; /* for evaluating constants */
    sl__err *err;
    uint64_t bad_records; /* malformed rows met while loading file tables */
    /* Streaming: builds the source operator of a P_STREAM node (stream
     * layer). NULL in batch queries, where streams are an error. */
    sl__op *(*stream_source)(void *ud, sl__plan *p, sl__err *err);
    void *stream_ud;
} sl__planner;

/* Returns the operator tree, or NULL with pl->err set. */
sl__op *sl__plan_to_ops(sl__plan *p, sl__planner *pl);

#endif
