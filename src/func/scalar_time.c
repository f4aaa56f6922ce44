/*
 * scalar_time.c — time functions. (Being written: the table is empty for now.)
 */
#include "func/kernel.h"

static const sl__fn_def defs[] = {
    {"", 0, 0, NULL, "", ""},
};

const sl__fn_table sl__fn_time = {defs, 0};
