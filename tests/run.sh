#!/usr/bin/env bash
# Runs every test tier and prints "N passed, N failed" as its last line.
#
#   tests/run.sh DEBUG_BUILD_DIR RELEASE_BUILD_DIR
#
# Every test program speaks TAP: it prints "ok N - name" or "not ok N - name"
# per test case. This script runs each program under a time limit, counts
# those lines, and counts a program that crashes, hangs or exits non-zero
# without reporting a failure as one failed test of its own. Full output of
# each program goes to $DEBUG_BUILD_DIR/test-logs/. SLUICE_SLOW=1 (make
# alltest) turns on the slow tiers; tiers read it themselves.
set -u
DBG=${1:-build/debug}
REL=${2:-build/release}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
LOGS="$DBG/test-logs"
rm -rf "$LOGS"
mkdir -p "$LOGS"

export SLUICE="$ROOT/$DBG/sluice"            # the binary under test (sanitizers on)
export SLUICE_RELEASE="$ROOT/$REL/sluice"    # the optimised binary
export SLUICE_ROOT="$ROOT"
export SLUICE_TESTS_BIN="$ROOT/$DBG/tests"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=23"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=24"
export CMOCKA_MESSAGE_OUTPUT=TAP
export HOME_FOR_TESTS="$LOGS/home"
mkdir -p "$HOME_FOR_TESTS"

PASS=0
FAIL=0
FAILED_NAMES=()
LIMIT=${SLUICE_TEST_TIMEOUT:-600}

# run_prog TIER NAME CMD...: run one program, count its TAP lines.
run_prog() {
    local tier=$1 name=$2
    shift 2
    local log="$LOGS/$tier-$(echo "$name" | tr '/ ' '__').log"
    local start=$SECONDS
    timeout -k 5 "$LIMIT" "$@" >"$log" 2>&1
    local rc=$?
    local ok nok
    ok=$(grep -cE '^ok [0-9]+' "$log")
    nok=$(grep -cE '^not ok [0-9]+' "$log")
    PASS=$((PASS + ok))
    FAIL=$((FAIL + nok))
    if [ "$nok" -gt 0 ]; then
        while IFS= read -r line; do FAILED_NAMES+=("$tier/$name: ${line#not ok }"); done \
            < <(grep -E '^not ok [0-9]+' "$log")
    fi
    if [ $rc -ne 0 ] && [ "$nok" -eq 0 ]; then
        FAIL=$((FAIL + 1))
        local why="exit status $rc"
        [ $rc -eq 124 ] && why="timed out after ${LIMIT}s"
        [ $rc -eq 23 ] && why="AddressSanitizer report"
        [ $rc -eq 24 ] && why="UndefinedBehaviorSanitizer report"
        FAILED_NAMES+=("$tier/$name: $why (see $log)")
    fi
    if [ $rc -eq 0 ] && [ "$ok" -eq 0 ] && [ "$nok" -eq 0 ]; then
        FAIL=$((FAIL + 1))
        FAILED_NAMES+=("$tier/$name: reported no test results (see $log)")
    fi
    printf '  %-7s %-40s %4d ok %3d failed  %3ds\n' "$tier" "$name" "$ok" \
        $((nok + (rc != 0 && nok == 0 ? 1 : 0))) $((SECONDS - start))
}

echo "sluice tests (debug build with ASan+UBSan: $DBG)"

# Tier: build hygiene (exported symbols, formatting).
run_prog build symbols scripts/check-symbols.sh "$REL/libsluice.a"
run_prog build format scripts/check-format.sh

# Tier: unit tests (cmocka).
for t in "$DBG"/tests/test_*; do
    [ -x "$t" ] || continue
    run_prog unit "$(basename "$t")" env HOME="$HOME_FOR_TESTS" "$t"
done

# Tier: SQL logic tests and streaming logic tests.
if [ -x "$DBG/tests/slt" ]; then
    while IFS= read -r f; do
        run_prog sql "${f#tests/}" "$DBG/tests/slt" "$f"
    done < <(find tests/sql tests/stream -name '*.test' 2>/dev/null | sort)
    if [ "${SLUICE_SLOW:-0}" = 1 ]; then
        while IFS= read -r f; do
            run_prog sql "${f#tests/}" "$DBG/tests/slt" "$f"
        done < <(find tests/sql tests/stream -name '*.test_slow' 2>/dev/null | sort)
    fi
fi

# Tier: other harness programs that carry their own test lists.
for t in tests/harness/*.sh; do
    [ -f "$t" ] || continue
    run_prog harness "$(basename "$t" .sh)" bash "$t"
done

# Tier: end-to-end tests of the real binary.
for t in tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    run_prog e2e "$(basename "$t" .sh)" env HOME="$HOME_FOR_TESTS" bash "$t"
done

if [ ${#FAILED_NAMES[@]} -gt 0 ]; then
    echo
    echo "failures:"
    for n in "${FAILED_NAMES[@]}"; do echo "  $n"; done
fi
echo
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
