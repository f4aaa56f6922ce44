# lib.sh — helpers shared by the shell_*.sh end-to-end tests, which source
# it. Gives each script a private temporary directory with HOME inside it
# (so ~/.sluice_history lands there), TAP counters (ok / not_ok / check /
# expect_*), `run` and `run_in` to start the binary with captured stdout,
# stderr and exit status, a record of sanitizer reports, and a private tmux
# server to drive the shell in a real pseudo-terminal (tm_start, tm_type,
# tm_keys, tm_wait). Everything started is stopped by the EXIT trap.
# tests/run.sh runs every tests/e2e/*.sh, this file too: run on its own, it
# only checks that what the tests need is there (the binary, tmux).

set -u
E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SLUICE=${SLUICE:-$E2E_ROOT/build/debug/sluice}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sluice-shell-e2e.XXXXXX")
export HOME="$TMP/home"
mkdir -p "$HOME"
unset SLUICE_HISTORY
export LC_ALL=C.UTF-8
T=0
FAILED=0
TM_SOCK="sluice-e2e-$$-$RANDOM"
TM_USED=0

ok() {
    T=$((T + 1))
    echo "ok $T - $1"
}
not_ok() {
    T=$((T + 1))
    echo "not ok $T - $1"
    FAILED=1
}
skip() {
    T=$((T + 1))
    echo "ok $T - $1 # SKIP $2"
}
# check DESC COMMAND...: ok when the command succeeds.
check() {
    local desc=$1
    shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# diag TEXT: prints TEXT as TAP comment lines.
diag() {
    printf '%s\n' "$1" | sed 's/^/#   /'
}
# expect_eq DESC EXPECTED ACTUAL
expect_eq() {
    if [ "$2" == "$3" ]; then
        ok "$1"
    else
        not_ok "$1"
        diag "expected:"
        diag "$2"
        diag "got:"
        diag "$3"
    fi
}
# expect_has DESC NEEDLE HAYSTACK: HAYSTACK contains NEEDLE (fixed string).
expect_has() {
    if [[ "$3" == *"$2"* ]]; then
        ok "$1"
    else
        not_ok "$1"
        diag "expected to find: $2"
        diag "in:"
        diag "$3"
    fi
}
# expect_lacks DESC NEEDLE HAYSTACK
expect_lacks() {
    if [[ "$3" != *"$2"* ]]; then
        ok "$1"
    else
        not_ok "$1"
        diag "did not expect: $2"
        diag "in:"
        diag "$3"
    fi
}
# expect_rc DESC EXPECTED: checks $RC of the last run.
expect_rc() {
    if [ "$RC" -eq "$2" ]; then
        ok "$1"
    else
        not_ok "$1"
        diag "exit status $RC, expected $2; stderr:"
        diag "$ERR"
    fi
}

# Sanitizer reports of every run end up here; finish() checks it is empty.
SAN_LOG="$TMP/sanitizer.log"
: >"$SAN_LOG"
note_sanitizer() {
    grep -E 'Sanitizer|runtime error:|LeakSanitizer' "$1" >>"$SAN_LOG" 2>/dev/null
    return 0
}

# run ARGS...: runs sluice with stdin from /dev/null; sets OUT, ERR, RC.
run() {
    "$SLUICE" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
    RC=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
    note_sanitizer "$TMP/err"
}
# run_in INPUT ARGS...: the same with INPUT (printf %s) on stdin.
run_in() {
    local input=$1
    shift
    printf '%s' "$input" >"$TMP/in"
    run_file_in "$TMP/in" "$@"
}
# run_file_in FILE ARGS...: the same with FILE on stdin.
run_file_in() {
    local f=$1
    shift
    "$SLUICE" "$@" <"$f" >"$TMP/out" 2>"$TMP/err"
    RC=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
    note_sanitizer "$TMP/err"
}

# ---- tmux: the shell in a real terminal --------------------------------

tm() {
    tmux -L "$TM_SOCK" -f /dev/null "$@"
}
# tm_start NAME [ARGS...]: starts `sluice ARGS` in a 200x50 terminal. When it
# exits, its status is written to $TMP/NAME.rc and the pane stays (so the
# screen can still be read).
tm_start() {
    local name=$1
    shift
    rm -f "$TMP/$name.rc"
    local cmd
    cmd=$(printf '%q ' "$SLUICE" "$@")
    TM_USED=1
    tm new-session -d -x 200 -y 50 -s "$name" "$cmd; echo \$? >$TMP/$name.rc; sleep 600" ||
        return 1
}
# tm_screen NAME: the visible screen and the scrollback.
tm_screen() {
    tm capture-pane -p -J -S -5000 -t "$1"
}
# tm_type NAME TEXT: types TEXT literally (no Enter). Sent as hex bytes: tmux
# would take a trailing ';' of a -l argument for its command separator.
tm_type() {
    local hex
    hex=$(printf '%s' "$2" | od -An -tx1 -v)
    # shellcheck disable=SC2086
    tm send-keys -t "$1" -H $hex
}
# tm_keys NAME KEY...: sends keys by name (Enter, C-c, C-d, Up).
tm_keys() {
    local name=$1
    shift
    tm send-keys -t "$name" "$@"
}
# tm_wait NAME TEXT [COUNT] [SECONDS]: waits until TEXT appears at least COUNT
# times on the screen (default 1, 15 s). Fails, printing the screen, on timeout.
tm_wait() {
    local name=$1 text=$2 count=${3:-1} secs=${4:-15}
    local deadline=$((SECONDS + secs)) screen n
    while :; do
        screen=$(tm_screen "$name" 2>/dev/null)
        n=$(grep -cF -- "$text" <<<"$screen")
        [ "$n" -ge "$count" ] && return 0
        if [ $SECONDS -ge $deadline ]; then
            diag "timed out waiting for '$text' (x$count); screen:"
            diag "$screen"
            return 1
        fi
        sleep 0.05
    done
}
# tm_wait_exit NAME [SECONDS]: waits for the shell to exit; sets TM_RC.
tm_wait_exit() {
    local name=$1 secs=${2:-15}
    local deadline=$((SECONDS + secs))
    TM_RC=
    while [ ! -s "$TMP/$name.rc" ]; do
        if [ $SECONDS -ge $deadline ]; then return 1; fi
        sleep 0.05
    done
    TM_RC=$(cat "$TMP/$name.rc")
    return 0
}

# probe_slow: sets SLOW_SETUP and SLOW_SQL, a statement that runs for long
# (a 10^10-row cross join; SLUICE_TEST_SLOW_SQL overrides it), and HAVE_SLOW
# to 1 when it is still running after 2 s in this build, 0 otherwise.
probe_slow() {
    SLOW_SETUP="CREATE VIEW r10 AS SELECT * FROM VALUES (1),(2),(3),(4),(5),(6),(7),(8),(9),(10) AS t(a)"
    SLOW_SQL=${SLUICE_TEST_SLOW_SQL:-"SELECT count(*) FROM r10 a, r10 b, r10 c, r10 d, r10 e, r10 f, r10 g, r10 h, r10 i, r10 j"}
    timeout 2 "$SLUICE" -c "$SLOW_SETUP" -c "$SLOW_SQL" >/dev/null 2>&1 </dev/null
    HAVE_SLOW=$([ $? -eq 124 ] && echo 1 || echo 0)
}

E2E_PIDS=()
e2e_cleanup() {
    local p
    [ "$TM_USED" = 1 ] && tm kill-server 2>/dev/null
    for p in "${E2E_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap e2e_cleanup EXIT

# finish: the sanitizer check, the TAP plan, and the exit status.
finish() {
    if [ -s "$SAN_LOG" ]; then
        not_ok "no sanitizer report in any run"
        diag "$(head -20 "$SAN_LOG")"
    else
        ok "no sanitizer report in any run"
    fi
    echo "1..$T"
    exit $FAILED
}

if [ ! -x "$SLUICE" ]; then
    echo "not ok 1 - binary $SLUICE exists (build it with make debug)"
    echo "1..1"
    exit 1
fi

# Run on its own (tests/run.sh runs every tests/e2e/*.sh): check the setup.
if [ "${BASH_SOURCE[0]}" == "$0" ]; then
    check "tmux is installed (shell_interactive.sh needs it)" test -n "$(command -v tmux)"
    run --version
    expect_rc "the binary under test runs: $SLUICE" 0
    finish
fi
