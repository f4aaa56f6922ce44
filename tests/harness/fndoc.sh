#!/usr/bin/env bash
# Checks the function reference: every function of the registry and of SHOW
# FUNCTIONS has an example in docs/function-examples.sql, every example runs
# as marked, the examples file is well-formed, and docs/functions.md is what
# tests/harness/fndoc.c generates from them. Regenerate with
#   build/debug/tests/fndoc docs/function-examples.sql > docs/functions.md
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${SLUICE_TESTS_BIN:-$ROOT/build/debug/tests}/fndoc
EXAMPLES=$ROOT/docs/function-examples.sql
if [ ! -x "$BIN" ]; then
    echo "not ok 1 - $BIN is missing (make debug builds it)"
    exit 1
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$ROOT" && "$BIN" "$EXAMPLES") >"$TMP/out.md" 2>"$TMP/err"
RC=$?
FAILED=0

# check N KIND DESCRIPTION: ok unless fndoc reported problems of that kind.
check() {
    if grep -q "^fndoc: $2: " "$TMP/err"; then
        echo "not ok $1 - $3"
        grep "^fndoc: $2: " "$TMP/err" | head -40 | sed 's/^/#   /'
        FAILED=1
    else
        echo "ok $1 - $3"
    fi
}

check 1 missing "every function of the registry and of SHOW FUNCTIONS has an example"
check 2 failed "every example in docs/function-examples.sql runs as marked"
check 3 format "docs/function-examples.sql is well-formed and names only known functions"

# A crash or a sanitizer report without a problem line is a failure too.
if [ $RC -ne 0 ] && ! grep -q "^fndoc: [a-z]*: " "$TMP/err"; then
    echo "not ok 4 - fndoc ran to the end (exit status $RC)"
    head -40 "$TMP/err" | sed 's/^/#   /'
    FAILED=1
else
    echo "ok 4 - fndoc ran to the end"
fi

if diff -u "$ROOT/docs/functions.md" "$TMP/out.md" >"$TMP/diff" 2>&1; then
    echo "ok 5 - docs/functions.md matches the registry and the examples"
else
    echo "not ok 5 - docs/functions.md is stale: regenerate with" \
        "build/debug/tests/fndoc docs/function-examples.sql > docs/functions.md"
    head -60 "$TMP/diff" | cut -c1-200 | sed 's/^/#   /'
    FAILED=1
fi
exit $FAILED
