#!/usr/bin/env bash
# Differential testing of the batch SQL engine against sqlite3
# (tests/harness/difftest.c): random tables and queries, run in both, results
# compared as multisets. 2,000 queries in `make test`; 50,000 in `make
# alltest` (SLUICE_SLOW=1). SLUICE_DIFFTEST_SEED picks another seed; a
# failure prints the seed, the tables, both SQL texts and both results.
set -u
BIN=${SLUICE_TESTS_BIN:-build/debug/tests}/difftest
if [ ! -x "$BIN" ]; then
    echo "not ok 1 - $BIN is missing (make debug builds it)"
    exit 1
fi
if [ "${SLUICE_SLOW:-0}" = 1 ]; then
    exec "$BIN" "${SLUICE_DIFFTEST_SEED:-7001}" 50000
fi
exec "$BIN" "${SLUICE_DIFFTEST_SEED:-1}" 2000
