/*
 * scalar_string.c — string functions. (Being written: the table is empty for now.)
 */
#include "func/kernel.h"

static const sl__fn_def defs[] = {
    {"", 0, 0, NULL, "", ""},
};

const sl__fn_table sl__fn_string = {defs, 0};
