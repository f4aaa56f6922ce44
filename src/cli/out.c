/*
 * out.c — every byte the shell writes goes through here, so that results,
 * errors and the output of streaming queries running in the background
 * (console sinks, delivered by sl_session_set_output from query threads)
 * never interleave in the middle of a line.
 *
 * Design notes. One mutex guards the current output (standard output or the
 * file of .output) and stderr. The main thread holds it for a whole result
 * (cli_out_lock .. cli_out_unlock around sl_result_render), a query thread for
 * one block. A block that does not end with a newline gets one, so the next
 * writer always starts on a fresh line. While the interactive prompt is on
 * screen (prompt mode), libedit owns the terminal and must only be driven by
 * the main thread: query threads then append their blocks to a pending buffer
 * and wake the REPL through a pipe; the REPL prints them above the prompt and
 * redraws it. Output to a .output file is never queued.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static FILE *target;     /* NULL means stdout */
static bool prompt_mode; /* libedit owns the terminal: queue session output */
static int wake_fd = -1;
static char *pending;
static size_t pending_len, pending_cap;

static FILE *cur(void) {
    return target ? target : stdout;
}

void cli_out_init(void) {
    target = NULL;
}

void cli_out_lock(void) {
    pthread_mutex_lock(&mu);
}

void cli_out_unlock(void) {
    pthread_mutex_unlock(&mu);
}

static int close_target(void) {
    int rc = 0;
    if (target) {
        rc = fclose(target) == 0 ? 0 : -1;
        target = NULL;
    }
    return rc;
}

void cli_out_close(void) {
    cli_out_lock();
    close_target();
    fflush(stdout);
    free(pending);
    pending = NULL;
    pending_len = pending_cap = 0;
    cli_out_unlock();
}

int cli_out_open(const char *path) {
    FILE *f = NULL;
    if (path) {
        f = fopen(path, "w");
        if (!f) return -1;
    }
    cli_out_lock();
    fflush(stdout);
    int rc = close_target();
    int saved = errno;
    target = f;
    cli_out_unlock();
    errno = saved;
    return rc;
}

bool cli_out_is_stdout(void) {
    cli_out_lock();
    bool r = target == NULL;
    cli_out_unlock();
    return r;
}

int cli_out_write(void *ud, const char *data, size_t len) {
    (void)ud;
    if (len == 0) return 0;
    return fwrite(data, 1, len, cur()) == len ? 0 : -1;
}

int cli_out_flush(void) {
    return fflush(cur()) == 0 ? 0 : -1;
}

static void vprint(FILE *f, const char *fmt, va_list ap) {
    cli_out_lock();
    if (f == stderr) {
        fflush(stdout);
        fflush(cur());
    }
    vfprintf(f, fmt, ap);
    fflush(f);
    cli_out_unlock();
}

void cli_out_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    cli_out_lock();
    vfprintf(cur(), fmt, ap);
    fflush(cur());
    cli_out_unlock();
    va_end(ap);
}

void cli_stdout_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprint(stdout, fmt, ap);
    va_end(ap);
}

void cli_err_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprint(stderr, fmt, ap);
    va_end(ap);
}

/* Appends to the pending buffer; drops the text if memory runs out. */
static void queue(const char *data, size_t len, bool add_newline) {
    size_t need = pending_len + len + 1;
    if (need > pending_cap) {
        size_t cap = pending_cap ? pending_cap : 4096;
        while (cap < need) cap *= 2;
        char *p = realloc(pending, cap);
        if (!p) return;
        pending = p;
        pending_cap = cap;
    }
    memcpy(pending + pending_len, data, len);
    pending_len += len;
    if (add_newline) pending[pending_len++] = '\n';
}

int cli_out_session_write(void *ud, const char *data, size_t len) {
    (void)ud;
    if (len == 0) return 0;
    bool nl = data[len - 1] != '\n';
    cli_out_lock();
    int rc = 0;
    if (prompt_mode && target == NULL) {
        bool was_empty = pending_len == 0;
        queue(data, len, nl);
        if (was_empty && wake_fd >= 0) {
            int saved = errno;
            ssize_t w = write(wake_fd, "o", 1);
            (void)w;
            errno = saved;
        }
    } else {
        FILE *f = cur();
        if (fwrite(data, 1, len, f) != len || (nl && fputc('\n', f) == EOF)) rc = -1;
        if (fflush(f) != 0) rc = -1;
    }
    cli_out_unlock();
    return rc;
}

void cli_out_prompt_mode(bool on, int fd) {
    cli_out_lock();
    if (!on && pending_len > 0) {
        fwrite(pending, 1, pending_len, stdout);
        pending_len = 0;
    }
    if (!on) fflush(stdout);
    prompt_mode = on;
    wake_fd = fd;
    bool wake = on && pending_len > 0 && fd >= 0;
    cli_out_unlock();
    if (wake) {
        ssize_t w = write(fd, "o", 1);
        (void)w;
    }
}

char *cli_out_take_pending(size_t *len) {
    cli_out_lock();
    char *p = NULL;
    *len = 0;
    if (pending_len > 0) {
        p = pending;
        *len = pending_len;
        pending = NULL;
        pending_len = pending_cap = 0;
    }
    cli_out_unlock();
    return p;
}
