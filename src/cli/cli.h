/*
 * cli.h — what the files of the `sluice` command share. The CLI uses only
 * the public header sluice.h (and src/gen for `sluice gen`).
 */
#ifndef SL_CLI_H
#define SL_CLI_H

/* The interactive / scripted SQL shell. Returns the process exit status. */
int cli_shell_main(int argc, char **argv);

#endif
