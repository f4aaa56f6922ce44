#!/usr/bin/env bash
# `make demo`: a short tour of sluice's SQL in the shell. (The lab walkthrough
# with the data servers replaces this when the streaming runtime lands.)
set -euo pipefail
SLUICE=${1:-build/release/sluice}
cd "$(dirname "$0")/.."
run() {
    printf '\n\033[1m-- %s\033[0m\n' "$1"
    shift
    printf 'sluice> %s\n' "$*"
    "$SLUICE" -c "$*"
}
echo "sluice $("$SLUICE" --version 2>/dev/null | awk '{print $2}') — a stream-processing engine with Spark's semantics"
run "Arithmetic and Spark's show() table" "SELECT 1 + 1 AS two, 5 / 2 AS half, 'lab' AS name"
run "VALUES, GROUP BY, ORDER BY" \
    "SELECT gt, count(*) AS n FROM VALUES ('walk'), ('sit'), ('walk'), ('bike') AS t(gt) GROUP BY gt ORDER BY n DESC, gt"
run "CUBE: every combination of keys, with NULL for 'all'" \
    "SELECT gt, model, count(*) AS n FROM VALUES ('walk','s3'), ('sit','s3'), ('walk','nexus4') AS t(gt, model) GROUP BY CUBE(gt, model) ORDER BY gt NULLS LAST, model NULLS LAST"
run "Joins and casts" \
    "SELECT u.User, name, CAST(CAST(1584786731485499800 AS DOUBLE) / 1000000000 AS TIMESTAMP) AS event_time FROM VALUES ('a'), ('b') AS u(User) JOIN VALUES ('a', 'Ana'), ('b', 'Bruno') AS n(User, name) ON u.User = n.User ORDER BY 1"
echo
echo "Next: run $SLUICE for the interactive shell (.help lists its commands)."
