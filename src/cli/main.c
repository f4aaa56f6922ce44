/*
 * main.c — entry point of the `sluice` binary: subcommands first
 * (`sluice gen ...` runs the lab's data servers), everything else is the SQL
 * shell (shell.c).
 */
#include <string.h>

#include "cli.h"
#ifdef SLUICE_HAVE_GEN
#include "gen.h"
#endif

int main(int argc, char **argv) {
#ifdef SLUICE_HAVE_GEN
    if (argc > 1 && strcmp(argv[1], "gen") == 0) return sl_gen_main(argc - 1, argv + 1);
#endif
    return cli_shell_main(argc, argv);
}
