#!/usr/bin/env bash
# shell_args.sh — end-to-end tests of the shell's command line: --version,
# --help, --threads N and Spark's --master local[N] / local[*] (handed to
# sl_config_set, bad values refused with exit status 2), --conf KEY=VALUE,
# --opt=value spellings, one or two dashes, and unknown options or stray
# arguments (exit status 2, a message naming them). Prints TAP.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

Q="SELECT 1 + 1 AS two"

run --version
check "--version prints 'sluice X.Y.Z'" grep -qxE 'sluice [0-9]+\.[0-9]+\.[0-9]+' <<<"$OUT"
expect_rc "--version: exit status 0" 0
run -version
check "-version works with one dash" grep -qxE 'sluice [0-9]+\.[0-9]+\.[0-9]+' <<<"$OUT"

run --help
expect_has "--help: usage line" "Usage: sluice [OPTIONS]" "$OUT"
for o in "-c SQL" "-f FILE" "-bail" "--threads N" "--master" "--version" "--mode"; do
    [[ "$OUT" == *"$o"* ]] || not_ok "--help mentions $o"
done
ok "--help mentions -c, -f, -bail, --threads, --master, --mode, --version"
expect_rc "--help: exit status 0" 0
run -h
expect_has "-h is --help" "Usage: sluice [OPTIONS]" "$OUT"

# ---- --threads / --master ----------------------------------------------------------
for args in "--threads 2" "--threads=3" "-threads 1" "--master local" "--master local[4]" \
    "--master=local[*]" "--threads 2 --master local[2]"; do
    # shellcheck disable=SC2086
    run $args -c "$Q"
    if [ "$RC" -eq 0 ] && [[ "$OUT" == *"|  2|"* ]]; then
        ok "$args: accepted, the query runs"
    else
        not_ok "$args: accepted, the query runs"
        diag "exit status $RC; stderr: $ERR"
    fi
done

for args in "--threads 0" "--threads -1" "--threads abc" "--threads 2x" "--threads=" \
    "--master yarn" "--master local[0]" "--master local[x]" "--master local[4"; do
    # shellcheck disable=SC2086
    run $args -c "$Q"
    opt=${args%% *}
    opt=${opt%%=*}
    if [ "$RC" -eq 2 ] && [ -z "$OUT" ] && [[ "$ERR" == sluice:*"$opt"* ]]; then
        ok "$args: refused with exit status 2 and a message naming the option"
    else
        not_ok "$args: refused with exit status 2 and a message naming the option"
        diag "exit status $RC; stdout: $OUT; stderr: $ERR"
    fi
done

run --threads
expect_rc "--threads without a value: exit status 2" 2
expect_has "--threads without a value: reported" "needs a value" "$ERR"

# ---- --conf -------------------------------------------------------------------------
run --conf spark.sql.shuffle.partitions=5 -c "$Q"
expect_rc "--conf spark.sql.shuffle.partitions=5: accepted" 0
run --conf "sluice.my.option = x" -c "$Q"
expect_rc "--conf with blanks around '=': accepted" 0
run --conf noequals -c "$Q"
expect_rc "--conf without '=': exit status 2" 2
run --conf unknown.key=1 -c "$Q"
expect_rc "--conf of a key the engine refuses: exit status 2" 2
expect_has "--conf refused: reported" "unknown.key" "$ERR"

# ---- bad command lines -------------------------------------------------------------
run --frobnicate
expect_rc "unknown option: exit status 2" 2
expect_has "unknown option: named" "unknown option '--frobnicate'" "$ERR"
run "SELECT 1"
expect_rc "a stray argument: exit status 2" 2
expect_has "a stray argument: hint to use -c" "SQL goes after -c" "$ERR"
run -c
expect_rc "-c without SQL: exit status 2" 2
run -f
expect_rc "-f without FILE: exit status 2" 2
run --mode nope -c "$Q"
expect_rc "--mode nope: exit status 2" 2
run --version=1
expect_rc "--version=1: exit status 2" 2

finish
