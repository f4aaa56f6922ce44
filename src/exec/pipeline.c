/*
 * pipeline.c — runs an operator tree as pipelines (op.h). The tree is walked
 * once per run: each source pushes its batches through the chain of
 * streaming operators above it into the nearest sink. A breaker (hash
 * aggregate, sort) first runs its input pipeline into itself, finalizes,
 * then acts as the source of the next pipeline; a join first runs its
 * build side (child[1]) into itself, then streams its probe side through.
 * A union runs each input into the same chain in turn. When an operator
 * returns FINISHED (a LIMIT is satisfied) every pipeline feeding it stops.
 */
#include "exec/op.h"

bool sl__exec_should_stop(sl__exec *ex) {
    if (ex->failed || ex->ectx.failed) {
        ex->failed = true;
        return true;
    }
    if (ex->interrupt && *ex->interrupt) {
        sl__exec_fail(ex, SL_ERR_CANCELLED, "interrupted");
        return true;
    }
    return false;
}

void sl__exec_fail(sl__exec *ex, sl_status code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (ex->err) sl__err_vset(ex->err, code, -1, fmt, ap);
    va_end(ap);
    ex->failed = true;
}

sl__op *sl__op_new(const sl__op_vt *vt, const sl__type *schema, void *impl) {
    sl__op *op = sl__calloc(1, sizeof *op);
    op->vt = vt;
    op->schema = schema;
    op->impl = impl;
    return op;
}

void sl__op_free(sl__op *op) {
    if (!op) return;
    sl__op_free(op->child[0]);
    sl__op_free(op->child[1]);
    for (uint32_t i = 0; i < op->n_inputs; i++) sl__op_free(op->inputs[i]);
    sl__free(op->inputs);
    if (op->vt->destroy) op->vt->destroy(op);
    sl__free(op);
}

typedef struct chain {
    sl__op **ops; /* streaming operators, in push order */
    uint32_t n;
    sl__op *sink;
} chain;

/* Pushes one batch through ops[i..] into the sink. Returns false when the
 * pipeline must stop (an operator FINISHED, or an error). */
static bool push(const chain *c, uint32_t i, sl__exec *ex, const sl__batch *in) {
    if (i == c->n) {
        if (in->count) c->sink->vt->sink(c->sink, ex, in);
        return !sl__exec_should_stop(ex);
    }
    sl__op *op = c->ops[i];
    for (;;) {
        sl__batch out = {0};
        sl__opres res = op->vt->execute(op, ex, in, &out);
        if (sl__exec_should_stop(ex)) return false;
        if (out.count && !push(c, i + 1, ex, &out)) return false;
        if (res == SL_OP_FINISHED) return false;
        if (res == SL_OP_NEED_INPUT) return true;
    }
}

static void drain_source(sl__op *src, const chain *c, sl__exec *ex) {
    for (;;) {
        if (sl__exec_should_stop(ex)) return;
        sl__batch b = {0};
        if (!src->vt->get_data(src, ex, &b)) return;
        if (sl__exec_should_stop(ex)) return;
        if (!push(c, 0, ex, &b)) return;
    }
}

static void run_tree(sl__op *op, const chain *c, sl__exec *ex);

/* Runs `input` into `breaker` (as its sink) and finalizes it. */
static void fill_breaker(sl__op *input, sl__op *breaker, sl__exec *ex) {
    chain inner = {NULL, 0, breaker};
    run_tree(input, &inner, ex);
    if (!sl__exec_should_stop(ex)) breaker->vt->finalize(breaker, ex);
}

static void run_tree(sl__op *op, const chain *c, sl__exec *ex) {
    if (sl__exec_should_stop(ex)) return;
    if (op->n_inputs) {
        /* union: each input into the same chain */
        for (uint32_t i = 0; i < op->n_inputs && !sl__exec_should_stop(ex); i++)
            run_tree(op->inputs[i], c, ex);
        return;
    }
    if (op->vt->execute) {
        if (op->vt->sink && op->child[1] && !(op->flags & SL_OP_BUILT)) {
            fill_breaker(op->child[1], op, ex); /* join build */
            if (op->flags & SL_OP_BUILD_ONCE) op->flags |= SL_OP_BUILT;
        }
        if (sl__exec_should_stop(ex)) return;
        chain ext;
        ext.n = c->n + 1;
        ext.ops = sl__malloc(sizeof *ext.ops * ext.n);
        ext.ops[0] = op;
        if (c->n) memcpy(ext.ops + 1, c->ops, sizeof *ext.ops * c->n);
        ext.sink = c->sink;
        if (op->child[0]) run_tree(op->child[0], &ext, ex);
        sl__free(ext.ops);
        /* what the operator still holds after its input ended (unmatched
         * build rows of a right/full join) */
        if (op->vt->get_data && !sl__exec_should_stop(ex)) drain_source(op, c, ex);
        return;
    }
    if (op->vt->sink && op->child[0]) fill_breaker(op->child[0], op, ex);
    if (op->vt->get_data) drain_source(op, c, ex);
}

void sl__exec_run(sl__op *root, sl__op *sink, sl__exec *ex) {
    chain c = {NULL, 0, sink};
    run_tree(root, &c, ex);
    if (!sl__exec_should_stop(ex)) sink->vt->finalize(sink, ex);
}

void sl__op_explain_tree(const sl__op *op, sl__buf *out) {
    /* an indented tree, one operator per line, children below their parent */
    const sl__op *stack[256];
    int depth[256], sp = 0;
    stack[sp] = op;
    depth[sp++] = 0;
    while (sp) {
        const sl__op *o = stack[--sp];
        int d = depth[sp];
        for (int i = 0; i < d; i++) sl__buf_puts(out, "   ");
        if (d) sl__buf_puts(out, "+- ");
        sl__buf_puts(out, o->vt->name);
        if (o->vt->explain) o->vt->explain(o, out);
        sl__buf_putc(out, '\n');
        /* push in reverse so the first child prints first */
        for (uint32_t i = o->n_inputs; i-- > 0 && sp < 255;) {
            stack[sp] = o->inputs[i];
            depth[sp++] = d + 1;
        }
        for (int c = 1; c >= 0; c--)
            if (o->child[c] && sp < 255) {
                stack[sp] = o->child[c];
                depth[sp++] = d + 1;
            }
    }
}
