/*
 * shell.c — cli_shell_main, the `sluice` SQL shell: parses the command line,
 * opens the session with the --threads / --master / --conf settings, routes
 * the session's own output through out.c, then runs the -c and -f actions in
 * order, or standard input: interactively (repl.c) when it is a terminal, as
 * a script otherwise. Decides the exit status: 0 when everything succeeded,
 * 1 when a statement or command failed, 2 for a bad command line, 130 when
 * Ctrl-C stopped a script, or the code given to .exit.
 */
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_shell_fail(cli_shell *sh) {
    sh->nfailed++;
    if (sh->bail) sh->quit = true;
}

static int open_session(const cli_args *a, sl_session **out) {
    sl_config *cfg = NULL;
    if (sl_config_new(&cfg) != SL_OK) {
        fputs("sluice: out of memory\n", stderr);
        return 1;
    }
    for (size_t i = 0; i < a->nconfs; i++) {
        const cli_conf *c = &a->confs[i];
        if (sl_config_set(cfg, c->key, c->value) != SL_OK) {
            if (strcmp(c->option, "--conf") == 0)
                fprintf(stderr, "sluice: --conf: invalid setting %s=%s\n", c->key, c->value);
            else if (strcmp(c->option, "--master") == 0)
                fprintf(stderr,
                        "sluice: --master: invalid value '%s' (local, local[N] or local[*])\n",
                        c->value);
            else
                fprintf(stderr, "sluice: %s: invalid value '%s'\n", c->option, c->value);
            sl_config_destroy(&cfg);
            return 2;
        }
    }
    sl_status st = sl_session_open(cfg, out);
    sl_config_destroy(&cfg);
    if (st != SL_OK) {
        fprintf(stderr, "sluice: cannot open a session: %s\n", sl_status_name(st));
        return 1;
    }
    return 0;
}

static void run_actions(cli_shell *sh, const cli_args *a) {
    for (size_t i = 0; i < a->nactions && !sh->quit; i++) {
        const cli_action *act = &a->actions[i];
        if (act->kind == CLI_ACT_SQL) {
            cli_run_string(sh, act->text);
        } else if (!cli_run_file(sh, act->text)) {
            cli_shell_fail(sh);
        }
    }
}

int cli_shell_main(int argc, char **argv) {
    setlocale(LC_CTYPE, ""); /* UTF-8 line editing, character widths for the caret */
    cli_args a;
    int rc = cli_args_parse(argc, argv, &a);
    if (rc != 0 || a.help || a.version) {
        if (rc == 0 && a.help) cli_args_usage(stdout);
        if (rc == 0 && !a.help && a.version) printf("sluice %s\n", sl_version());
        cli_args_free(&a);
        return rc;
    }
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is an EPIPE write error instead */

    cli_shell sh;
    memset(&sh, 0, sizeof sh);
    sh.exit_code = -1;
    sh.bail = a.bail;
    sl_render_options_init(&sh.render);
    if (a.mode_set) sh.render.mode = a.mode;
    if (a.header >= 0) sh.render.header = a.header == 1;
    rc = open_session(&a, &sh.session);
    if (rc != 0) {
        cli_args_free(&a);
        return rc;
    }
    cli_out_init();
    sl_session_set_output(sh.session, cli_out_session_write, NULL);
    cli_signals_install(sh.session);

    if (a.nactions > 0) {
        run_actions(&sh, &a);
    } else if (isatty(STDIN_FILENO)) {
        sh.interactive = true;
        cli_repl_run(&sh);
    } else {
        cli_run_stream(&sh, stdin, NULL);
    }

    /* Stop running queries before the output they write to goes away. */
    cli_signals_uninstall();
    sl_session_close(&sh.session);
    cli_out_close();
    cli_args_free(&a);
    if (sh.exit_code >= 0) return sh.exit_code;
    if (sh.interrupted) return 130;
    return sh.nfailed > 0 ? 1 : 0;
}
