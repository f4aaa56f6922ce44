/*
 * signals.c — Ctrl-C (SIGINT) and terminal resizes (SIGWINCH) for the shell.
 *
 * Design notes. The handler only touches async-signal-safe things: a few
 * sig_atomic_t flags, sl_session_interrupt (documented async-signal-safe),
 * write(2) on the REPL's wake pipe and _exit. Three states:
 *  - a statement runs or its result is being written (between
 *    cli_signals_begin and cli_signals_end): Ctrl-C asks the session to
 *    cancel it and is counted (the result writer stops when it sees the
 *    count); a third Ctrl-C before it stops ends the process (exit status
 *    130), the way out when a statement ignores the request;
 *  - the interactive prompt is up (a wake pipe was set): the handler notes
 *    the interrupt and wakes the REPL, which drops the line being typed;
 *  - otherwise (a script waiting for input): the default action, so Ctrl-C
 *    ends the process as any filter would.
 * The handler is installed with SA_RESTART so that reads and writes restart;
 * poll(2), which the prompt waits in, returns EINTR regardless and the REPL
 * finds the wake byte.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static sl_session *volatile session;
static volatile sig_atomic_t running;
static volatile sig_atomic_t hits;       /* Ctrl-C during the running statement */
static volatile sig_atomic_t prompt_hit; /* Ctrl-C at the prompt, not yet handled */
static volatile sig_atomic_t winch_hit;  /* the terminal was resized */
static volatile sig_atomic_t wake = -1;  /* the REPL's wake pipe, or -1 */
static struct sigaction old_int, old_winch;
static bool installed;

static void on_signal(int sig) {
    int saved = errno;
    if (sig == SIGWINCH) {
        winch_hit = 1;
        if (wake >= 0) {
            ssize_t w = write((int)wake, "w", 1);
            (void)w;
        }
    } else if (running) {
        hits = hits + 1;
        if (session) sl_session_interrupt(session);
        if (hits >= 3) {
            static const char msg[] = "\nsluice: interrupted three times, exiting\n";
            ssize_t w = write(2, msg, sizeof msg - 1);
            (void)w;
            _exit(130);
        }
    } else if (wake >= 0) {
        prompt_hit = 1;
        ssize_t w = write((int)wake, "i", 1);
        (void)w;
    } else {
        signal(SIGINT, SIG_DFL);
        raise(SIGINT);
    }
    errno = saved;
}

void cli_signals_install(sl_session *s) {
    session = s;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGWINCH, &sa, &old_winch);
    installed = true;
}

void cli_signals_set_wake(int wake_fd) {
    wake = wake_fd;
}

void cli_signals_uninstall(void) {
    if (!installed) return;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGWINCH, &old_winch, NULL);
    session = NULL;
    wake = -1;
    installed = false;
}

void cli_signals_begin(void) {
    hits = 0;
    running = 1;
}

bool cli_signals_end(void) {
    running = 0;
    bool hit = hits > 0;
    hits = 0;
    return hit;
}

bool cli_signals_pending(void) {
    return hits > 0;
}

bool cli_signals_take_prompt_interrupt(void) {
    bool hit = prompt_hit != 0;
    prompt_hit = 0;
    return hit;
}

bool cli_signals_take_winch(void) {
    bool hit = winch_hit != 0;
    winch_hit = 0;
    return hit;
}
