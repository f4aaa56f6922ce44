/*
 * repl.c — the interactive shell: libedit line editing, the `sluice> ` and
 * `   ...> ` prompts, history in ~/.sluice_history, Ctrl-C and Ctrl-D, and
 * output of background queries shown above the prompt.
 *
 * Design notes. libedit is used through its callback interface
 * (rl_callback_handler_install / rl_callback_read_char) inside our own poll(2)
 * loop on standard input and a wake pipe, instead of the blocking readline():
 * then nothing but the main thread ever drives libedit, and the loop can be
 * woken by
 *  - Ctrl-C at the prompt (signals.c writes 'i'): the line being typed and any
 *    open statement are dropped, "^C" is echoed, a fresh prompt is shown;
 *  - a resize (SIGWINCH, 'w'): libedit is told the new width;
 *  - output of streaming queries (out.c writes 'o' while in prompt mode): the
 *    prompt line is cleared, the text printed, the prompt and the typed text
 *    redrawn with rl_forced_update_display().
 * libedit's own signal handling is off (rl_catch_signals = 0). When a line is
 * complete libedit has already put the terminal back in cooked mode, so a
 * statement runs with ISIG on and Ctrl-C reaches signals.c, which cancels it.
 * History: one entry per finished statement (its lines joined by spaces, or
 * one entry per line when it holds a -- comment) or dot command, written to
 * the history file after each entry, so a killed shell loses nothing.
 */
#include <editline/readline.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <sys/ioctl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum { HISTORY_MAX = 2000 };

static const char prompt_main[] = "sluice> ";
static const char prompt_cont[] = "   ...> ";

static cli_shell *shell;
static cli_reader reader;
static int wake_r = -1, wake_w = -1;
static bool done;
static bool can_erase; /* the terminal understands "\r\033[K" */
static char *hist_path;
static char *last_entry;

static void on_line(char *line);

static void show_prompt(void) {
    rl_callback_handler_install(cli_reader_pending(&reader) ? prompt_cont : prompt_main, on_line);
}

static char *history_file(void) {
    const char *env = getenv("SLUICE_HISTORY");
    if (env) return env[0] ? strdup(env) : NULL;
    const char *home = getenv("HOME");
    if (!home || !home[0]) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home) return NULL;
    size_t n = strlen(home);
    char *p = malloc(n + sizeof "/.sluice_history");
    if (!p) return NULL;
    memcpy(p, home, n);
    memcpy(p + n, "/.sluice_history", sizeof "/.sluice_history");
    return p;
}

static void add_entry(const char *s, size_t n) {
    while (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')) s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    if (n == 0) return;
    char *e = malloc(n + 1);
    if (!e) return;
    for (size_t i = 0; i < n; i++) e[i] = (s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
    e[n] = '\0';
    if (last_entry && strcmp(last_entry, e) == 0) {
        free(e);
        return;
    }
    add_history(e);
    free(last_entry);
    last_entry = e;
}

/* reader.c's `done` hook: a finished statement or dot command. */
static void on_chunk(void *ud, const char *text, size_t len) {
    (void)ud;
    bool comment = false;
    for (size_t i = 0; i + 1 < len; i++)
        if (text[i] == '-' && text[i + 1] == '-') comment = true;
    if (!comment) {
        add_entry(text, len);
    } else { /* joined, a -- comment would swallow the lines after it */
        size_t start = 0;
        for (size_t i = 0; i <= len; i++) {
            if (i == len || text[i] == '\n') {
                add_entry(text + start, i - start);
                start = i + 1;
            }
        }
    }
    if (hist_path) write_history(hist_path);
}

static void on_line(char *line) {
    if (!line) { /* Ctrl-D */
        fputs("\n", stdout);
        fflush(stdout);
        done = true;
        return;
    }
    /* libedit is done with the screen until the next prompt. */
    cli_out_prompt_mode(false, -1);
    cli_reader_line(shell, &reader, line, strlen(line));
    shell->abort_read = false; /* Ctrl-C dropped the input up to this prompt */
    free(line);
    if (shell->quit) {
        done = true;
        return;
    }
    cli_out_prompt_mode(true, wake_w);
    show_prompt();
}

/* Prints queued output of background queries above the prompt. */
static void flush_pending(void) {
    size_t len;
    char *text = cli_out_take_pending(&len);
    if (!text) return;
    cli_out_lock();
    fputs(can_erase ? "\r\033[K" : "\n", stdout);
    fwrite(text, 1, len, stdout);
    fflush(stdout);
    cli_out_unlock();
    free(text);
    rl_forced_update_display();
}

static void interrupt_at_prompt(void) {
    fputs("^C\n", stdout);
    fflush(stdout);
    rl_replace_line("", 0);
    cli_reader_discard(&reader);
    rl_callback_handler_remove();
    show_prompt();
}

void cli_repl_run(cli_shell *sh) {
    shell = sh;
    done = false;
    cli_reader_init(&reader, NULL);
    reader.done = on_chunk;
    reader.relative = true;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        cli_err_printf("Error: cannot create a pipe: %s\n", strerror(errno));
        cli_shell_fail(sh);
        return;
    }
    wake_r = fds[0];
    wake_w = fds[1];
    const char *term = getenv("TERM");
    can_erase = term && term[0] && strcmp(term, "dumb") != 0;

    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_readline_name = "sluice";
    rl_instream = stdin;
    rl_outstream = stdout;
    rl_initialize();
    rl_bind_key('\t', rl_insert); /* a tab is text (pasted SQL), not file name completion */
    using_history();
    hist_path = history_file();
    if (hist_path) read_history(hist_path);
    stifle_history(HISTORY_MAX);

    cli_stdout_printf("sluice %s: streaming SQL with Spark's semantics.\n"
                      "Enter \".help\" for usage hints. Statements end with ';'.\n",
                      sl_version());
    cli_signals_set_wake(wake_w);
    cli_out_prompt_mode(true, wake_w);
    show_prompt();
    while (!done) {
        struct pollfd p[2] = {{STDIN_FILENO, POLLIN, 0}, {wake_r, POLLIN, 0}};
        if (poll(p, 2, -1) < 0) {
            if (errno != EINTR) break;
            p[0].revents = p[1].revents = 0;
        }
        if (p[1].revents & POLLIN) {
            char junk[64];
            while (read(wake_r, junk, sizeof junk) > 0) {
            }
        }
        if (cli_signals_take_winch()) rl_resize_terminal();
        if (cli_signals_take_prompt_interrupt()) interrupt_at_prompt();
        flush_pending();
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
            /* Readable with nothing to read: the terminal went away (libedit
             * would return nothing and the loop would spin). */
            int avail = 0;
            if (ioctl(STDIN_FILENO, FIONREAD, &avail) != 0 || avail <= 0)
                done = true;
            else
                rl_callback_read_char();
        }
    }
    rl_callback_handler_remove();
    cli_out_prompt_mode(false, -1);
    cli_signals_set_wake(-1);
    close(wake_r);
    close(wake_w);
    wake_r = wake_w = -1;
    if (hist_path) write_history(hist_path);
    free(hist_path);
    hist_path = NULL;
    free(last_entry);
    last_entry = NULL;
    cli_reader_free(&reader);
}
