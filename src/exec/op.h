/*
 * op.h — the physical operator protocol. A query runs as pipelines: a
 * source produces batches, streaming operators transform them one by one,
 * a sink consumes them. Operators that need all their input before they can
 * produce anything (hash aggregate, sort, the build side of a join) are
 * sinks of one pipeline and sources of the next. This is the model of
 * DuckDB's physical operators (operator / source / sink roles), chosen
 * because a micro-batch maps onto it directly: each micro-batch pushes its
 * input through the same pipelines, and a stateful sink's `finalize` runs at
 * every micro-batch boundary.
 *
 * Roles (an operator implements the ones it plays):
 *   source:    get_data(op, out) -> true with a batch in *out, false when done
 *   operator:  execute(op, in, out) -> NEED_INPUT (out may hold a batch; give
 *              the next input), HAVE_MORE_OUTPUT (out holds a batch; call
 *              again with the same input), FINISHED (no more output, ever)
 *   sink:      sink(op, in); finalize(op) after the last input batch
 *
 * A batch returned by get_data/execute stays valid until the next call on
 * that operator. Errors are recorded on the execution context (ex->failed).
 */
#ifndef SL_OP_H
#define SL_OP_H

#include "exec/expr.h"

typedef struct sl__op sl__op;
typedef struct sl__exec sl__exec;

typedef enum sl__opres {
    SL_OP_NEED_INPUT,       /* done with this input; out has a batch if out->count > 0 */
    SL_OP_HAVE_MORE_OUTPUT, /* out has a batch, and more will come from the same input */
    SL_OP_FINISHED          /* no further output (LIMIT reached): stop the pipeline */
} sl__opres;

typedef struct sl__op_vt {
    const char *name;
    bool (*get_data)(sl__op *op, sl__exec *ex, sl__batch *out);
    sl__opres (*execute)(sl__op *op, sl__exec *ex, const sl__batch *in, sl__batch *out);
    void (*sink)(sl__op *op, sl__exec *ex, const sl__batch *in);
    void (*finalize)(sl__op *op, sl__exec *ex);
    /* Prepares for a new run of the pipelines (the next micro-batch). Keeps
     * state that must survive across runs (streaming aggregates). NULL: nothing to do. */
    void (*rewind)(sl__op *op, sl__exec *ex);
    void (*destroy)(sl__op *op);
    /* Extra EXPLAIN text after the name ("keys=[#0], aggs=[count(1)]"). */
    void (*explain)(const sl__op *op, sl__buf *out);
} sl__op_vt;

/* sl__op.flags */
enum {
    SL_OP_BUILD_ONCE = 1, /* child[1] is static: build it in the first run only */
    SL_OP_BUILT = 2       /* (set by the runner) the build side is done */
};

struct sl__op {
    const sl__op_vt *vt;
    uint32_t flags;
    const sl__type *schema; /* output columns */
    sl__op *child[2];       /* owned: inputs ([1]: build side of a join) */
    sl__op **inputs;        /* owned: UNION inputs */
    uint32_t n_inputs;
    void *impl; /* owned by the operator's own code */
};

/* Execution context of one run (a batch query, or one micro-batch). */
struct sl__exec {
    sl__ectx ectx; /* expression context: batch timestamp, zone, error */
    sl__err *err;
    volatile int *interrupt; /* set asynchronously to cancel; may be NULL */
    bool failed;
    uint64_t bad_records; /* malformed input rows seen (CSV/JSON) */
    /* Event time (a micro-batch of a query with a watermark; has_wm false
     * otherwise): state is evicted against wm_evict_us, the watermark of
     * this batch, and rows are late against wm_late_us, the previous batch's
     * (R111, R112). */
    bool has_wm;
    int64_t wm_evict_us, wm_late_us;
    /* Rows a stateful operator drops as late (R113) are handed here when
     * set, so they are kept rather than lost: `rows` of `in`, whose columns
     * are the operator's input. */
    void (*late)(void *ud, const sl__op *op, const sl__batch *in, const sl__rows *rows);
    void *late_ud;
};

/* True when the run must stop (error or interrupt); records CANCELLED. */
bool sl__exec_should_stop(sl__exec *ex);
void sl__exec_fail(sl__exec *ex, sl_status code, const char *fmt, ...) SL_PRINTF(3, 4);

sl__op *sl__op_new(const sl__op_vt *vt, const sl__type *schema, void *impl);
void sl__op_free(sl__op *op);

/*
 * Runs the operator tree rooted at `root` to completion, pushing every
 * result batch into `sink` (an operator with the sink role, not part of
 * the tree), then finalizes the sink. Pipelines are discovered from the
 * tree: breakers (operators with a sink role inside the tree) run their
 * input pipeline first.
 */
void sl__exec_run(sl__op *root, sl__op *sink, sl__exec *ex);

/* EXPLAIN text of an operator tree: an indented tree, one line per operator. */
void sl__op_explain_tree(const sl__op *root, sl__buf *out);

/* Physical operators (one file each). Constructors take ownership of the
 * children and expressions they are given. */
sl__op *sl__op_values(const sl__type *schema, sl__chunk *rows, uint32_t n_chunks);
sl__op *sl__op_filter(sl__op *child, sl__expr *pred);
sl__op *sl__op_project(sl__op *child, const sl__type *schema, sl__expr **exprs, uint32_t n);
sl__op *sl__op_limit(sl__op *child, int64_t limit, int64_t offset);
sl__op *sl__op_union(const sl__type *schema, sl__op **inputs, uint32_t n);
sl__op *sl__op_collect(const sl__type *schema); /* a sink that keeps all rows (results) */
/* The collected rows of a collect sink, as owned chunks (moved out). */
sl__chunk *sl__op_collect_take(sl__op *collect, uint32_t *n_chunks, uint64_t *n_rows);

#endif
