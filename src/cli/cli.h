/*
 * cli.h — what the files of the `sluice` command share. The CLI uses only
 * the public header sluice.h (and src/gen for `sluice gen`).
 *
 * One concept per file: args.c parses the command line, shell.c owns the
 * session and picks batch or interactive input, reader.c turns input lines
 * into statements and dot commands, exec.c runs one statement and renders its
 * result, caret.c prints an error with a caret under its position, dot.c
 * holds the dot commands (schema.c the printSchema tree of .schema), out.c
 * serialises everything written to the terminal or the .output file,
 * signals.c handles Ctrl-C, repl.c is the libedit loop, timer.c is .timer,
 * sqltext.c tells blank and unterminated SQL text.
 */
#ifndef SL_CLI_H
#define SL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sluice.h"

/* The interactive / scripted SQL shell. Returns the process exit status. */
int cli_shell_main(int argc, char **argv);

/* ---- args.c: the command line --------------------------------------- */

typedef enum cli_action_kind { CLI_ACT_SQL, CLI_ACT_FILE } cli_action_kind;

/* One -c SQL or -f FILE, kept in command-line order. */
typedef struct cli_action {
    cli_action_kind kind;
    const char *text; /* borrowed from argv */
} cli_action;

/* One setting for sl_config_set, from --threads, --master or --conf. */
typedef struct cli_conf {
    const char *option; /* the option that gave it, for messages */
    char *key;          /* owned */
    char *value;        /* owned */
} cli_conf;

typedef struct cli_args {
    cli_action *actions;
    size_t nactions;
    cli_conf *confs;
    size_t nconfs;
    bool bail;
    bool mode_set;
    sl_render_mode mode;
    int header; /* -1 unset, 0 -noheader, 1 -header */
    bool help;
    bool version;
} cli_args;

/*
 * Parses argv (argv[0] is the program). Returns 0, or 2 after printing a
 * message to stderr for a bad command line. cli_args_free frees a in both
 * cases.
 */
int cli_args_parse(int argc, char **argv, cli_args *a);
void cli_args_free(cli_args *a);
void cli_args_usage(FILE *f);

/* Parses a render mode name ("table", "csv", ...). False when unknown. */
bool cli_mode_parse(const char *name, sl_render_mode *mode);
const char *cli_mode_name(sl_render_mode mode);

/* ---- shell.c: the state every part of the shell works on ------------ */

typedef struct cli_shell {
    sl_session *session;
    sl_render_options render; /* .mode, .maxrows, .truncate, .headers */
    bool timer;               /* .timer on */
    bool bail;                /* -bail / .bail on: stop at the first error */
    bool interactive;         /* statements come from libedit */
    bool quit;                /* stop reading input (.quit, bail, Ctrl-C in a script) */
    bool interrupted;         /* a script was stopped by Ctrl-C */
    bool abort_read;          /* Ctrl-C at the terminal: drop input up to the prompt */
    int exit_code;            /* from .exit N, or -1 */
    unsigned long nfailed;    /* statements and commands that failed */
    int read_depth;           /* nesting of .read */
} cli_shell;

/* Counts a failed statement or command; with bail on, stops the input. */
void cli_shell_fail(cli_shell *sh);

/* ---- reader.c: input lines to statements and dot commands ----------- */

typedef void (*cli_chunk_fn)(void *ud, const char *text, size_t len);

/*
 * Accumulates the lines of one input (a file, standard input, one -c text or
 * the terminal) until they hold complete statements, runs them, and runs dot
 * commands found at the start of a line outside a statement.
 */
typedef struct cli_reader {
    const char *name; /* file name for error messages, or NULL */
    char *buf;        /* pending text; always begins at the start of a line */
    size_t len, cap;
    size_t pos;        /* bytes of buf already executed */
    long first_line;   /* input line number of buf[0] */
    long line_no;      /* number of the last line fed */
    bool relative;     /* number lines from each statement's start (the terminal) */
    cli_chunk_fn done; /* called with each finished input chunk (history) */
    void *done_ud;
} cli_reader;

void cli_reader_init(cli_reader *r, const char *name);
void cli_reader_free(cli_reader *r);
/* Feeds one line, without its newline. */
void cli_reader_line(cli_shell *sh, cli_reader *r, const char *line, size_t len);
/* End of input: runs a last statement without ';' or reports it incomplete. */
void cli_reader_eof(cli_shell *sh, cli_reader *r);
/* True while a statement is open (the continuation prompt is due). */
bool cli_reader_pending(const cli_reader *r);
/* Forgets the open statement (Ctrl-C at the prompt). */
void cli_reader_discard(cli_reader *r);

/* Runs every line of f. name is used in error messages (NULL: none). */
void cli_run_stream(cli_shell *sh, FILE *f, const char *name);
/* Runs a script file (-f, .read); "-" is standard input. False if unreadable. */
bool cli_run_file(cli_shell *sh, const char *path);
/* Runs one -c text: statements (the last one may lack its ';') or a dot command. */
void cli_run_string(cli_shell *sh, const char *text);

/* ---- exec.c: one statement ------------------------------------------ */

/* Where the text given to cli_exec_next comes from, for error messages. */
typedef struct cli_where {
    const char *name; /* file name or NULL */
    long first_line;  /* input line number of text[0] */
} cli_where;

/*
 * Executes the first statement of text[pos, len), renders its rows, reports
 * its error with a caret. Returns the bytes consumed (at least 1 unless
 * pos == len).
 */
size_t cli_exec_next(cli_shell *sh, const char *text, size_t len, size_t pos,
                     const cli_where *where);
/*
 * Executes a statement the shell composed itself (.tables, .schema) and
 * returns its result, or NULL after reporting the error (no caret).
 */
sl_result *cli_exec_internal(cli_shell *sh, const char *sql);
/* Renders r in the current mode to the current output. False on failure. */
bool cli_render(cli_shell *sh, const sl_result *r);

/* ---- caret.c: errors with their position ---------------------------- */

/*
 * Prints an error to stderr. When offset >= 0, the line of text holding that
 * byte is printed first with a caret under it, and a leading "line L:C: " of
 * msg is rewritten to the position in the whole input (first_line is the
 * input line of text[0]). name, when not NULL, prefixes the message.
 */
void cli_error_at(const char *text, size_t len, int64_t offset, long first_line, const char *name,
                  const char *msg);
/* Prints msg without a leading "line L:C: " (errors of composed statements). */
const char *cli_error_strip_position(const char *msg);

/* ---- sqltext.c: scanning SQL text ----------------------------------- */

/* True when s[0, len) holds only whitespace and closed comments. */
bool cli_sql_is_blank(const char *s, size_t len);
/* True when s[0, len) ends inside a quote, backtick or block comment. */
bool cli_sql_is_unterminated(const char *s, size_t len);

/* ---- dot.c / schema.c: dot commands --------------------------------- */

/* Runs a dot command line (first non-blank character '.'). False on error. */
bool cli_dot_run(cli_shell *sh, const char *line);
/* .schema: prints NAME's schema as Spark's printSchema tree (all tables if NULL). */
bool cli_schema_print(cli_shell *sh, const char *name);

/* ---- out.c: serialised output --------------------------------------- */

void cli_out_init(void);
/* Flushes and closes a .output file. */
void cli_out_close(void);
/* .output: path NULL means standard output. Returns 0 or -1 (errno set). */
int cli_out_open(const char *path);
/* True when results go to standard output. */
bool cli_out_is_stdout(void);
void cli_out_lock(void);
void cli_out_unlock(void);
/* sl_write_fn to the current output; the caller holds the lock. */
int cli_out_write(void *ud, const char *data, size_t len);
/* Flushes the current output; the caller holds the lock. Returns 0 or -1. */
int cli_out_flush(void);
/* Formatted text to the current output, to standard output, to stderr (all locked). */
void cli_out_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_stdout_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_err_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* sl_write_fn for the session's own output (console sinks), from any thread. */
int cli_out_session_write(void *ud, const char *data, size_t len);
/*
 * While the prompt is on screen (on == true), session output meant for the
 * terminal is queued and a byte is written to wake_fd; the REPL then calls
 * cli_out_take_pending and prints it above the prompt.
 */
void cli_out_prompt_mode(bool on, int wake_fd);
/* Takes the queued text (caller frees it), or returns NULL. */
char *cli_out_take_pending(size_t *len);

/* ---- signals.c: Ctrl-C ---------------------------------------------- */

/*
 * Installs the SIGINT handler. While a statement runs (cli_signals_begin ..
 * cli_signals_end) Ctrl-C calls sl_session_interrupt; at the prompt it
 * writes to wake_fd (when >= 0); otherwise it ends the process.
 */
void cli_signals_install(sl_session *s);
void cli_signals_set_wake(int wake_fd);
void cli_signals_uninstall(void);
void cli_signals_begin(void);
/* Ends a statement; returns true when Ctrl-C was pressed during it. */
bool cli_signals_end(void);
/* True when Ctrl-C was pressed since cli_signals_begin. */
bool cli_signals_pending(void);
/* Returns and clears "Ctrl-C was pressed at the prompt" / "window resized". */
bool cli_signals_take_prompt_interrupt(void);
bool cli_signals_take_winch(void);

/* ---- timer.c: .timer ------------------------------------------------ */

typedef struct cli_timer {
    double real, user, sys; /* seconds at start */
} cli_timer;

void cli_timer_start(cli_timer *t);
/* Prints "Run Time: real X.XXX user X.XXX sys X.XXX" to standard output. */
void cli_timer_print(const cli_timer *t);

/* ---- repl.c: the interactive loop ----------------------------------- */

/* Runs the libedit loop until Ctrl-D or .quit. */
void cli_repl_run(cli_shell *sh);

#endif
