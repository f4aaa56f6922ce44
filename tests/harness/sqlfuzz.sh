#!/usr/bin/env bash
# Robustness pass over the SQL front end and the batch engine
# (tests/harness/sqlfuzz.c): token soups, mutated queries of the SQL logic
# tests in tests/sql/core, deep nesting, every function with odd arguments.
# No crash, no hang, no sanitizer report, and every error has a message.
# 4,000 inputs in `make test`, 100,000 in `make alltest` (SLUICE_SLOW=1);
# SLUICE_SQLFUZZ_SEED picks another seed.
set -u
cd "${SLUICE_ROOT:-$(dirname "$0")/../..}"
BIN=${SLUICE_TESTS_BIN:-build/debug/tests}/sqlfuzz
if [ ! -x "$BIN" ]; then
    echo "not ok 1 - $BIN is missing (make debug builds it)"
    exit 1
fi
n=4000
seed=${SLUICE_SQLFUZZ_SEED:-1}
if [ "${SLUICE_SLOW:-0}" = 1 ]; then
    n=100000
    seed=${SLUICE_SQLFUZZ_SEED:-9001}
fi
export SQLFUZZ_LAST=$(mktemp "${TMPDIR:-/tmp}/sqlfuzz.XXXXXX")
"$BIN" "$seed" "$n" tests/sql/core/*.test
rc=$?
if [ $rc -ne 0 ]; then
    # a sanitizer may stop the program before it can name the input
    echo "# last input run: $(cat "$SQLFUZZ_LAST")"
fi
rm -f "$SQLFUZZ_LAST"
exit $rc
