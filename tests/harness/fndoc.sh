#!/usr/bin/env bash
# Checks that docs/functions.md is what the function registry generates.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${SLUICE_TESTS_BIN:-$ROOT/build/debug/tests}
if diff -u "$ROOT/docs/functions.md" <("$BIN/fndoc") >/tmp/fndoc.diff.$$ 2>&1; then
    echo "ok 1 - docs/functions.md matches the function registry"
    rm -f /tmp/fndoc.diff.$$
else
    echo "not ok 1 - docs/functions.md is stale: regenerate with build/debug/tests/fndoc > docs/functions.md"
    head -40 /tmp/fndoc.diff.$$ | sed 's/^/#   /'
    rm -f /tmp/fndoc.diff.$$
    exit 1
fi
