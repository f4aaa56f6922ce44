#!/usr/bin/env bash
# Differential testing of event-time windows against sqlite3
# (tests/harness/windiff.c): random tables, GROUP BY window(...) and
# session_window(...) queries in sluice, the same windows as integer
# arithmetic on epoch seconds in sqlite, results compared as multisets.
# 1,000 queries in `make test`; 20,000 in `make alltest` (SLUICE_SLOW=1).
# SLUICE_WINDIFF_SEED picks another seed; a failure prints the seed, the
# table, both SQL texts and both results.
set -u
BIN=${SLUICE_TESTS_BIN:-build/debug/tests}/windiff
if [ ! -x "$BIN" ]; then
    echo "not ok 1 - $BIN is missing (make debug builds it)"
    exit 1
fi
if [ "${SLUICE_SLOW:-0}" = 1 ]; then
    exec "$BIN" "${SLUICE_WINDIFF_SEED:-9001}" 20000
fi
exec "$BIN" "${SLUICE_WINDIFF_SEED:-1}" 1000
