#!/usr/bin/env bash
# soak_window.sh — a watermarked windowed query at a steady input rate keeps
# its state and its resident memory flat (issue 5's "done when"). The
# release binary runs a rate source (steady rows per second) into
# window(timestamp, '1 second') × 500 keys, count, append mode to a memory
# table capped at 5,000 rows (the sink keeps what it was given; the cap
# keeps the test about the query's own memory), with a watermark of 1 s; the script samples SHOW QUERIES
# (state rows, late rows, batch id) and the process's VmRSS once a second.
#
# Checks: windows keep being written (the watermark moves); the state never
# holds more than the open windows' groups; the resident memory of the
# second half of the run stays within a margin of the first half's peak
# (no growth); no row is dropped as late (the rate source is in order).
# Runs SOAK_SECONDS (default 20; make alltest runs 600 = 10 minutes).

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BIN=${SLUICE_RELEASE:-$E2E_ROOT/build/release/sluice}
SECS=${SOAK_SECONDS:-20}
[ "${SLUICE_SLOW:-0}" = 1 ] && SECS=${SOAK_SECONDS:-600}
RATE=${SOAK_RATE:-100000}
KEYS=500

if [ ! -x "$BIN" ]; then
    skip "soak: release binary" "no $BIN (make builds it)"
    echo "1..$T"
    exit 0
fi

mkfifo "$TMP/in"
"$BIN" -csv <"$TMP/in" >"$TMP/out" 2>"$TMP/err" &
PID=$!
E2E_PIDS+=("$PID")
exec 3>"$TMP/in"

sql() { printf '%s\n' "$1" >&3; }

sql "CREATE STREAM r USING rate OPTIONS (rowsPerSecond $RATE);"
sql "START QUERY w USING memory OPTIONS (trigger '200 milliseconds', maxRows 5000) AS SELECT window.start AS ws, value % $KEYS AS k, count(*) AS n FROM r WATERMARK timestamp DELAY OF INTERVAL 1 SECOND GROUP BY window(timestamp, '1 second'), value % $KEYS;"

# rss KB of the process
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status" 2>/dev/null; }

: >"$TMP/samples"
for i in $(seq 1 "$SECS"); do
    sleep 1
    kill -0 "$PID" 2>/dev/null || break
    sql "SHOW QUERIES;"
    echo "$i $(rss)" >>"$TMP/rss"
done
sql "STOP ALL;"
exec 3>&-
wait "$PID"
RC=$?
ERR=$(cat "$TMP/err")
note_sanitizer "$TMP/err"

expect_rc "the session ran and ended cleanly" 0 "$RC"
# the samples: SHOW QUERIES' CSV row of w (name,id,runId,status,sink,
# outputMode,batchId,inputRowsPerSecond,processedRowsPerSecond,stateRows,
# stateBytes,currentWatermark,lateRows,guarantee)
grep '^w,' "$TMP/out" >"$TMP/samples"
N=$(wc -l <"$TMP/samples")
expect_eq "one sample per second" "$SECS" "$N"

MAXSTATE=$(awk -F, 'BEGIN { m = 0 } { if ($10 > m) m = $10 } END { print m }' "$TMP/samples")
LATE=$(awk -F, 'END { print $13 }' "$TMP/samples")
# open windows at any time: the current second's and the previous one's
# (delay 1 s), each with KEYS groups, plus a trigger's worth of slack
BOUND=$((KEYS * 4))
if [ "$MAXSTATE" -gt 0 ] && [ "$MAXSTATE" -le "$BOUND" ]; then
    ok "state stays bounded: at most $MAXSTATE groups (bound $BOUND)"
else
    not_ok "state stays bounded: at most $MAXSTATE groups (bound $BOUND)"
    diag "$(cat "$TMP/samples")"
fi
expect_eq "no row is late (the rate source is in order)" "0" "$LATE"

# the watermark keeps moving (windows keep closing): from the first sample
# to the last it moved by about the run's length
secs_of() { date -u -d "$(echo "$1" | sed 's/T/ /; s/Z$//')" +%s 2>/dev/null || echo 0; }
W0=$(secs_of "$(head -1 "$TMP/samples" | cut -d, -f12)")
W1=$(secs_of "$(tail -1 "$TMP/samples" | cut -d, -f12)")
if [ $((W1 - W0)) -ge $((SECS - 4)) ]; then
    ok "the watermark moves with the input: $((W1 - W0)) s over $SECS samples"
else
    not_ok "the watermark moves with the input: $((W1 - W0)) s over $SECS samples"
    diag "$(cat "$TMP/samples")"
fi

# memory: the second half's peak within 10 % + 8 MB of the first half's peak
HALF=$((SECS / 2))
read -r P1 P2 < <(awk -v h="$HALF" '{ if ($1 <= h) { if ($2 > a) a = $2 } else { if ($2 > b) b = $2 } }
    END { print a + 0, b + 0 }' "$TMP/rss")
LIMIT=$((P1 + P1 / 10 + 8192))
if [ "$P2" -gt 0 ] && [ "$P2" -le "$LIMIT" ]; then
    ok "resident memory flat: first half peak ${P1} KB, second half peak ${P2} KB"
else
    not_ok "resident memory flat: first half peak ${P1} KB, second half peak ${P2} KB (limit $LIMIT)"
    diag "$(cat "$TMP/rss")"
fi

echo "1..$T"
exit $FAILED
