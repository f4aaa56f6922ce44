/*
 * console.c — the console sink: every executed batch prints Spark's framing
 * (a line of 43 dashes, "Batch: N", 43 dashes) then show(numRows, truncate)
 * over the batch's output and an empty line (R49–R52, examples C and D), as
 * one block through the session's output, so it never interleaves with the
 * shell's own text.
 */
#include "format/render.h"
#include "stream/stream.h"

typedef struct console {
    int64_t num_rows;
    int32_t truncate;
} console;

sl_status sl__snk_console_check(const sl__kv *opts, uint32_t n, sl__err *err);
sl_status sl__snk_console_check(const sl__kv *opts, uint32_t n, sl__err *err) {
    int64_t rows;
    bool trunc;
    if (!sl__opt_int(opts, n, "numRows", 20, 1, INT32_MAX, &rows, err)) return err->code;
    /* truncate: true/false as in Spark, or a number of characters (sluice) */
    const char *t = sl__opt(opts, n, "truncate");
    if (t && !(t[0] >= '0' && t[0] <= '9') && !sl__opt_bool(opts, n, "truncate", true, &trunc, err))
        return err->code;
    return SL_OK;
}

static sl_status console_open(sl__sink *k, sl__err *err) {
    console *c = sl__calloc(1, sizeof *c);
    sl__opt_int(k->opts, k->n_opts, "numRows", 20, 1, INT32_MAX, &c->num_rows, err);
    const char *t = sl__opt(k->opts, k->n_opts, "truncate");
    c->truncate = 20;
    if (t) {
        if (t[0] >= '0' && t[0] <= '9')
            c->truncate = (int32_t)atoi(t);
        else {
            bool b = true;
            sl__opt_bool(k->opts, k->n_opts, "truncate", true, &b, err);
            c->truncate = b ? 20 : 0;
        }
    }
    k->impl = c;
    return SL_OK;
}

static sl_status console_write(sl__sink *k, sl__sink_batch *b, sl__err *err) {
    (void)err;
    console *c = k->impl;
    sl__buf out = SL_BUF_INIT;
    sl__buf_puts(&out, "-------------------------------------------\n");
    sl__buf_printf(&out, "Batch: %lld\n", (long long)b->batch_id);
    sl__buf_puts(&out, "-------------------------------------------\n");
    sl__render_src src = {b->schema, b->chunks, b->n_chunks, b->rows, b->tz};
    sl__render_show(&src, c->num_rows, c->truncate, &out);
    sl__buf_putc(&out, '\n');
    sl__session_output(k->session, out.p, out.len);
    sl__buf_free(&out);
    return SL_OK;
}

static void console_describe(const sl__sink *k, sl__buf *out) {
    (void)k;
    sl__buf_puts(out, "org.apache.spark.sql.execution.streaming.ConsoleTable$");
}

static void console_close(sl__sink *k) {
    sl__free(k->impl);
    k->impl = NULL;
}

const sl__sink_vt sl__snk_console_vt = {
    "console", console_open, console_write, console_describe, console_close,
};
