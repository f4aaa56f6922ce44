/*
 * exec.c — runs one statement through sl_session_execute_next and shows what
 * came of it: rows rendered with sl_result_render in the current .mode, an
 * error with its caret (caret.c), the .timer line. Ctrl-C while it runs
 * cancels it (signals.c), Ctrl-C while its rows are written stops the
 * writing; in a script either also stops the script (exit status 130), at
 * the terminal it drops the rest of the input up to the next prompt.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* After Ctrl-C: a script stops; at the terminal, the rest of what was typed
 * (other statements on the line, the files of .read) is dropped. */
static void after_interrupt(cli_shell *sh) {
    if (!sh->interactive) {
        sh->quit = true;
        sh->interrupted = true;
    } else {
        sh->abort_read = true;
        if (isatty(STDERR_FILENO)) cli_err_printf("\n"); /* the terminal echoed ^C */
    }
}

/* The result writer: stops the rendering at Ctrl-C. */
static int render_write(void *ud, const char *data, size_t len) {
    if (cli_signals_pending()) return -1;
    return cli_out_write(ud, data, len);
}

bool cli_render(cli_shell *sh, const sl_result *r) {
    cli_signals_begin();
    cli_out_lock();
    errno = 0;
    sl_status st = sl_result_render(r, &sh->render, render_write, NULL);
    int err = errno;
    if (cli_out_flush() != 0 && st == SL_OK) {
        st = SL_ERR_IO;
        err = errno;
    }
    cli_out_unlock();
    if (cli_signals_end()) {
        after_interrupt(sh);
        cli_err_printf("Error: output interrupted\n");
        cli_shell_fail(sh);
        return false;
    }
    if (st == SL_OK) return true;
    if (err == EPIPE) {
        /* The reader went away (`sluice ... | head`): stop quietly. */
        sh->quit = true;
        sh->nfailed++;
        return false;
    }
    cli_err_printf("Error: cannot write the result: %s\n",
                   st == SL_ERR_IO ? strerror(err ? err : EIO) : sl_status_name(st));
    cli_shell_fail(sh);
    return false;
}

/* Renders r unless it has no columns (CREATE, SET x = y, START QUERY ...). */
static void show(cli_shell *sh, const sl_result *r) {
    if (r && sl_result_column_count(r) > 0) cli_render(sh, r);
}

size_t cli_exec_next(cli_shell *sh, const char *text, size_t len, size_t pos,
                     const cli_where *where) {
    if (pos >= len) return 0;
    cli_timer t;
    if (sh->timer) cli_timer_start(&t);
    sl_result *r = NULL;
    size_t consumed = 0;
    cli_signals_begin();
    sl_status st = sl_session_execute_next(sh->session, text + pos, len - pos, &consumed, &r);
    bool interrupted = cli_signals_end();
    if (interrupted) after_interrupt(sh);
    if (st == SL_OK) {
        show(sh, r);
    } else {
        int64_t off = sl_session_error_offset(sh->session);
        if (off >= 0) off += (int64_t)pos;
        cli_error_at(text, len, off, where->first_line, where->name,
                     sl_session_errmsg(sh->session));
        cli_shell_fail(sh);
    }
    sl_result_destroy(&r);
    if (sh->timer) cli_timer_print(&t);
    if (consumed == 0 || consumed > len - pos) consumed = len - pos;
    return consumed;
}

sl_result *cli_exec_internal(cli_shell *sh, const char *sql) {
    sl_result *r = NULL;
    cli_signals_begin();
    sl_status st = sl_session_execute(sh->session, sql, &r);
    if (cli_signals_end()) after_interrupt(sh);
    if (st != SL_OK) {
        cli_err_printf("Error: %s\n", cli_error_strip_position(sl_session_errmsg(sh->session)));
        sl_result_destroy(&r);
        return NULL;
    }
    return r;
}
