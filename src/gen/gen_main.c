/*
 * gen_main.c — `sluice gen iot|bpm|quotes [options]`: parses the options
 * (opts.c), loads the quotes corpus when needed, and runs the chosen
 * output: the TCP server (server.c), rolling files or stdout (files.c).
 * Exit status: 0 done or stopped by a signal, 1 runtime error, 2 usage.
 */
#include "gen.h"

int sl_gen_main(int argc, char **argv) {
    sl__gen_opts o;
    char err[512];
    int rc = sl__gen_opts_parse(&o, argc, argv, err, sizeof err);
    if (rc == 1) {
        sl__gen_usage(stdout);
        return 0;
    }
    if (rc < 0) {
        fprintf(stderr, "sluice gen: %s\nTry 'sluice gen --help'.\n", err);
        return 2;
    }

    sl__gen_corpus corpus = {0};
    if (o.kind == SL__GEN_QUOTES) {
        int crc = o.corpus_path ? sl__gen_corpus_load(&corpus, o.corpus_path, err, sizeof err)
                                : sl__gen_corpus_builtin(&corpus, err, sizeof err);
        if (crc != 0) {
            fprintf(stderr, "sluice gen quotes: corpus %s\n", err);
            return o.corpus_path ? 2 : 1;
        }
    }
    sl__gen_params p;
    sl__gen_opts_params(&o, &corpus, &p);
    if (o.to_dir)
        rc = sl__gen_write_dir(&o, &p);
    else if (o.to_stdout)
        rc = sl__gen_write_stdout(&o, &p);
    else
        rc = sl__gen_serve(&o, &p);
    sl__gen_corpus_free(&corpus);
    return rc;
}
