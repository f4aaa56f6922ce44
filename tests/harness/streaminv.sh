#!/usr/bin/env bash
# Batch-boundary invariance of streaming aggregations
# (tests/harness/streaminv.c): random rows pushed into memory streams in one
# batch, random batches and one row per batch; every complete-mode result
# must equal the batch engine's over the same rows. 4 rounds in `make test`;
# 200 in `make alltest` (SLUICE_SLOW=1). SLUICE_STREAMINV_SEED picks another
# seed; a failure prints the seed, the round, the rows, the SQL and both
# results.
set -u
BIN=${SLUICE_TESTS_BIN:-build/debug/tests}/streaminv
if [ ! -x "$BIN" ]; then
    echo "not ok 1 - $BIN is missing (make debug builds it)"
    exit 1
fi
if [ "${SLUICE_SLOW:-0}" = 1 ]; then
    exec "$BIN" "${SLUICE_STREAMINV_SEED:-9001}" 200
fi
exec "$BIN" "${SLUICE_STREAMINV_SEED:-1}" 4
