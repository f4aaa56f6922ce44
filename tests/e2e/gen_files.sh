#!/usr/bin/env bash
# gen_files.sh — end-to-end tests of `sluice gen` without a server, and of
# its command line: --to-dir writes complete, atomically renamed files with
# --lines-per-file lines and no leftover temporary file (also when stopped by
# SIGTERM), --stdout, the built-in quotes corpus from any directory,
# --corpus FILE, --help, and exit status 2 with a clear message for bad
# options. Prints TAP; kills whatever it started on exit.

# ---- helpers (the same in every gen_*.sh) ----
set -u
GEN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SLUICE=${SLUICE:-$GEN_ROOT/build/debug/sluice}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sluice-gen-e2e.XXXXXX")
PIDS=()
T=0
FAILED=0

ok() {
    T=$((T + 1))
    echo "ok $T - $1"
}
not_ok() {
    T=$((T + 1))
    echo "not ok $T - $1"
    FAILED=1
}
# check DESCRIPTION COMMAND...: ok if the command succeeds.
check() {
    local desc=$1
    shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    sleep 0.2
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT

# start_gen NAME ARGS...: runs `sluice gen ARGS` in the background with
# stderr in $TMP/NAME.err; sets GEN_PID and GEN_PORT (empty if it did not
# start listening within 20 s).
start_gen() {
    local name=$1
    shift
    "$SLUICE" gen "$@" 2>"$TMP/$name.err" &
    GEN_PID=$!
    PIDS+=("$GEN_PID")
    GEN_PORT=
    local i
    for i in $(seq 200); do
        GEN_PORT=$(sed -n 's/^sluice gen [a-z]*: listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' \
            "$TMP/$name.err")
        [ -n "$GEN_PORT" ] && return 0
        kill -0 "$GEN_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# stop_gen PID: SIGTERM, then wait; sets STOP_RC to the exit status.
stop_gen() {
    kill -TERM "$1" 2>/dev/null
    STOP_RC=0
    wait "$1" || STOP_RC=$?
    [ "$STOP_RC" = 0 ] || BAD_EXITS="$BAD_EXITS $STOP_RC"
}
BAD_EXITS=

# invalid_json FILE: prints how many lines of FILE are not valid JSON.
invalid_json() {
    sed "s/'/''/g; s/.*/INSERT INTO t VALUES('&');/" "$1" >"$TMP/ins.sql"
    sqlite3 :memory: "CREATE TABLE t(v TEXT);" ".read $TMP/ins.sql" \
        "SELECT count(*) FROM t WHERE NOT json_valid(v);"
}

# sql_lines FILE QUERY: loads FILE's lines as table t(v) and runs QUERY.
sql_lines() {
    sed "s/'/''/g; s/.*/INSERT INTO t VALUES('&');/" "$1" >"$TMP/ins.sql"
    sqlite3 :memory: "CREATE TABLE t(v TEXT);" ".read $TMP/ins.sql" "$2"
}

lines_of() {
    wc -l <"$1" | tr -d ' '
}

finish() {
    echo "1..$T"
    exit $FAILED
}

# ---- --to-dir ----
D=$TMP/out
rc=0
"$SLUICE" gen iot --to-dir "$D" --count 250 --lines-per-file 100 --seed 1 --rate 0 2>"$TMP/dir.err" ||
    rc=$?
check "--to-dir --count 250 exits 0" test "$rc" = 0
check "--to-dir writes iot-000001.json .. iot-000003.json and nothing else" \
    test "$(ls -A "$D" | tr '\n' ' ')" = "iot-000001.json iot-000002.json iot-000003.json "
check "--lines-per-file 100: files of 100, 100 and 50 lines" \
    test "$(lines_of "$D/iot-000001.json") $(lines_of "$D/iot-000002.json") $(lines_of "$D/iot-000003.json")" = "100 100 50"
cat "$D"/iot-*.json >"$TMP/dir.all"
"$SLUICE" gen iot --stdout --count 250 --seed 1 --rate 0 >"$TMP/dir.want" 2>/dev/null
check "the files hold exactly the stream --stdout writes for the same seed" \
    cmp -s "$TMP/dir.all" "$TMP/dir.want"
check "every line in the files is valid JSON" test "$(invalid_json "$TMP/dir.all")" = 0
"$SLUICE" gen iot --to-dir "$D" --count 5 --seed 1 --rate 0 --quiet 2>/dev/null
check "a second run continues the numbering (iot-000004.json)" test -f "$D/iot-000004.json"

# --to-dir stopped by SIGTERM while paced: only complete, renamed files remain
D2=$TMP/out2
"$SLUICE" gen bpm --to-dir "$D2" --rate 400 --lines-per-file 30 --quiet 2>"$TMP/dir2.err" &
pid=$!
PIDS+=("$pid")
sleep 1.5
stop_gen "$pid"
check "SIGTERM stops --to-dir with exit 0" test "$STOP_RC" = 0
check "no temporary file is left behind" test -z "$(find "$D2" -name '.*' -type f)"
nfiles=$(ls "$D2" | grep -c '^bpm-[0-9]\{6\}\.json$')
bad=0
for f in "$D2"/bpm-*.json; do
    n=$(lines_of "$f")
    { [ "$n" -ge 1 ] && [ "$n" -le 30 ] && [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ]; } ||
        bad=$((bad + 1))
done
cat "$D2"/bpm-*.json >"$TMP/dir2.all"
check "$nfiles renamed files, each of whole lines, at most 30 a file" \
    test "$nfiles" -ge 3 -a "$bad" = 0 -a "$(invalid_json "$TMP/dir2.all")" = 0
full=$(for f in "$D2"/bpm-*.json; do lines_of "$f"; done | head -n -1 | sort -u | tr '\n' ' ')
check "all files but the last hold exactly --lines-per-file lines" test "$full" = "30 "

# ---- --stdout and the corpus ----
out=$(cd / && "$SLUICE" gen quotes --stdout --count 3 --rate 0 2>/dev/null | wc -l)
check "quotes works from any directory (corpus compiled in)" test "$out" = 3
printf '# test corpus\nLe "Comte"\tUn \\ deux\n' >"$TMP/corpus.tsv"
"$SLUICE" gen quotes --stdout --count 4 --rate 0 --corpus "$TMP/corpus.tsv" >"$TMP/corpus.out" 2>/dev/null
check "--corpus FILE replaces the corpus, with JSON escaping" \
    test "$(sort -u "$TMP/corpus.out")" = '{"character":"Le \"Comte\"","quote":"Un \\ deux"}'
rc=0
"$SLUICE" gen quotes --stdout --corpus "$TMP/missing.tsv" 2>"$TMP/corpus.err" >/dev/null || rc=$?
check "--corpus with a missing file: exit 2 and the file named" \
    test "$rc" = 2 -a "$(grep -c 'missing.tsv' "$TMP/corpus.err")" -ge 1
timeout 20 "$SLUICE" gen iot --stdout --rate 0 2>"$TMP/pipe.err" | head -n 2 >"$TMP/pipe.out"
rc=${PIPESTATUS[0]}
check "an endless --stdout into a pipe that closes exits 0 (EPIPE)" \
    test "$rc" = 0 -a "$(lines_of "$TMP/pipe.out")" = 2
"$SLUICE" gen bpm --stdout --count 3 --rate 0 --seed 11 >"$TMP/s1" 2>/dev/null
"$SLUICE" gen bpm --stdout --count 3 --rate 0 --seed 11 >"$TMP/s2" 2>/dev/null
check "two runs with the same seed write identical bytes" cmp -s "$TMP/s1" "$TMP/s2"
# The exact bytes of seeded runs, pinned before the formatting was rewritten
# for speed (tests/unit/test_gen_golden.c pins more): a change here changes
# every seeded run's data.
pinned_sha() { # WANT-SHA256 ARGS...
    local want=$1
    shift
    test "$("$SLUICE" gen "$@" --stdout --rate 0 2>/dev/null | sha256sum | cut -d' ' -f1)" = "$want"
}
check "iot --seed 1: the first 100000 lines are the pinned bytes" pinned_sha \
    7ffffeb3778a7282ac75608f35f3818435fd871b645afa8c25923a5414fc1aa2 iot --seed 1 --count 100000
check "bpm --seed 1: the first 100000 lines are the pinned bytes" pinned_sha \
    b6f3f4f6de8a0ae0109c92c3d1e44b9831131b6a6ee5e3de2985aa4335643d24 bpm --seed 1 --count 100000
check "quotes --seed 1: the first 100000 lines are the pinned bytes" pinned_sha \
    58f02c508c7f8e58986f692e263a4d17b437fa61b1a8bc58368fa7d29da61954 quotes --seed 1 --count 100000
check "iot --seed 5 with 30 % errors and late events: the pinned bytes" pinned_sha \
    62fbc53ae32df189f5019f2703a6dbbb5276824f78a7cba9ac65746c8836f2bf iot --seed 5 --count 20000 \
    --error-rate 0.3 --late-fraction 0.3
first=$(head -c 30 "$TMP/s1")
check "with --seed the simulated clock starts at 1584786731 s" \
    test "${first#\{\"Arrival_Time\":1584786731}" != "$first"
"$SLUICE" gen iot --stdout --count 1 --rate 0 --seed 1 --start-time 1700000000 >"$TMP/st" 2>/dev/null
check "--start-time sets the simulated clock" grep -q '^{"Arrival_Time":1700000000' "$TMP/st"
now=$(date +%s)
"$SLUICE" gen iot --stdout --count 1 --rate 0 >"$TMP/now" 2>/dev/null
arr=$(sed -n 's/^{"Arrival_Time":\([0-9]*\)[0-9]\{9\},.*/\1/p' "$TMP/now")
check "without --seed the clock starts at the wall clock" \
    test -n "$arr" -a "$((arr - now))" -ge -2 -a "$((arr - now))" -le 30

# ---- command line ----
rc=0
"$SLUICE" gen --help >"$TMP/help" 2>&1 || rc=$?
check "--help prints the usage and exits 0" test "$rc" = 0 -a "$(grep -c 'usage: sluice gen' "$TMP/help")" = 1
bad_option() { # EXPECTED-MESSAGE ARGS...
    local want=$1 rc=0
    shift
    "$SLUICE" gen "$@" >/dev/null 2>"$TMP/bad.err" || rc=$?
    [ "$rc" = 2 ] && grep -qF -- "$want" "$TMP/bad.err"
}
check "no generator: exit 2" bad_option "which generator?"
check "unknown generator: exit 2" bad_option "unknown generator 'kafka'" kafka
check "unknown option: exit 2" bad_option "unknown option '--frobnicate'" iot --frobnicate
check "bad port: exit 2" bad_option "--port: expected a port number" iot --port 70000
check "bad rate: exit 2" bad_option "--rate: expected lines per second" iot --rate fast
check "--error-rate outside [0,1]: exit 2" bad_option "--error-rate: expected a probability" iot --error-rate 1.2
check "--error-rate for quotes: exit 2" bad_option "does not apply to quotes" quotes --error-rate 0.1
check "missing value: exit 2" bad_option "needs a value" iot --seed
check "--lines-per-file without --to-dir: exit 2" bad_option "needs --to-dir" iot --lines-per-file 3

finish
