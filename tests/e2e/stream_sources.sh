#!/usr/bin/env bash
# stream_sources.sh — end-to-end tests of the stream sources through the
# real binary: socket streams against `sluice gen iot` on an ephemeral port
# of 127.0.0.1 (text lines, JSON lines into typed columns, the query failing
# with a clear error when the server closes, reconnect, connection refused),
# a file stream over `sluice gen --to-dir` files, and the rate source.
# Prints TAP; every server it starts is stopped on exit (lib.sh's trap).

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# sq ARGS...: sluice with a time limit; sets OUT, ERR, RC like run.
sq() {
    timeout -k 5 60 "$SLUICE" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
    RC=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
    note_sanitizer "$TMP/err"
}

# start_gen NAME ARGS...: `sluice gen ARGS` in the background (stderr in
# $TMP/NAME.err); sets GEN_PID and GEN_PORT (empty when it did not start).
start_gen() {
    local name=$1
    shift
    "$SLUICE" gen "$@" 2>"$TMP/$name.err" &
    GEN_PID=$!
    E2E_PIDS+=("$GEN_PID")
    GEN_PORT=
    local i
    for i in $(seq 200); do
        GEN_PORT=$(sed -n 's/^sluice gen [a-z]*: listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' \
            "$TMP/$name.err")
        [ -n "$GEN_PORT" ] && return 0
        kill -0 "$GEN_PID" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

stop_gen() {
    kill -TERM "$1" 2>/dev/null
    wait "$1" 2>/dev/null
}

IOT_COLS='Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT, Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE'

# ---- socket: text lines; the server closing fails the query after its lines ----

if start_gen s1 iot --port 0 --seed 7 --count 50 --rate 0 --quiet; then
    sq -c "CREATE STREAM s USING socket OPTIONS (host '127.0.0.1', port $GEN_PORT)" \
        -c "DESCRIBE s" \
        -c "START QUERY q USING console OPTIONS (truncate false, numRows 1000) AS SELECT * FROM s" \
        -c "AWAIT QUERY q TIMEOUT 20"
    expect_has "socket stream: one column value STRING" "|value|string|true|" "$(tr -d " " <<<"$OUT")"
    expect_has "socket: the query fails when the server closes" \
        "connection to 127.0.0.1:$GEN_PORT closed by the peer" "$OUT$ERR"
    expect_eq "socket: every line before the close became a row" 50 \
        "$(grep -c '^|{"Arrival_Time":' <<<"$OUT")"
    expect_has "socket: batch 0 runs empty at the start (R25)" "Batch: 0" "$OUT"
    stop_gen "$GEN_PID"
else
    not_ok "sluice gen iot starts (text lines)"
fi

# ---- socket: JSON lines straight into typed columns ----

if start_gen s2 iot --port 0 --seed 7 --count 40 --rate 0 --error-rate 0 --quiet; then
    sq -c "CREATE STREAM iot ($IOT_COLS) USING socket OPTIONS (host '127.0.0.1', port $GEN_PORT, format 'json')" \
        -c "START QUERY q2 USING console OPTIONS (outputMode 'complete') AS SELECT count(*), count(Arrival_Time), count(gt), sum(x) IS NOT NULL FROM iot" \
        -c "AWAIT QUERY q2 TIMEOUT 20"
    expect_eq "socket json: 40 typed rows, no NULLs, before the close fails the query" \
        "|40|40|40|true|" "$(tr -d ' ' <<<"$OUT" | grep '^|[0-9]' | tail -1)"
    stop_gen "$GEN_PID"
else
    not_ok "sluice gen iot starts (json)"
fi
sq -c "CREATE STREAM bad (a BIGINT) USING socket OPTIONS (host '127.0.0.1', port 9)"
expect_has "socket: a column list needs format 'json'" "format 'json'" "$ERR"
sq -c "CREATE STREAM bad USING socket OPTIONS (port 9999)"
expect_has "socket: host is required (R67)" "host" "$ERR"

# ---- socket: reconnect, and connection refused ----

if start_gen s3 iot --port 0 --seed 7 --count 10 --rate 0 --quiet; then
    sq -c "CREATE STREAM s USING socket OPTIONS (host '127.0.0.1', port $GEN_PORT, reconnect true)" \
        -c "START QUERY q3 USING memory AS SELECT * FROM s" \
        -c "AWAIT QUERY q3 TIMEOUT 1.5" \
        -c "SELECT count(*) >= 30 AS reconnected FROM q3" \
        -c "SHOW QUERIES"
    expect_has "socket reconnect: lines of several connections arrive" "true" "$OUT"
    expect_has "socket reconnect: the query is still running" "ACTIVE" "$OUT"
    stop_gen "$GEN_PID"
    # nothing listens there now
    sq -c "CREATE STREAM s USING socket OPTIONS (host '127.0.0.1', port $GEN_PORT)" \
        -c "START QUERY q4 USING memory AS SELECT * FROM s" \
        -c "AWAIT QUERY q4 TIMEOUT 10"
    expect_has "socket: connection refused names host:port" "127.0.0.1:$GEN_PORT" "$ERR"
    expect_has "socket: connection refused suggests the data server" "sluice gen iot" "$ERR"
else
    not_ok "sluice gen iot starts (reconnect)"
fi

# ---- files: rolling files of the generator ----

mkdir -p "$TMP/in"
timeout 30 "$SLUICE" gen iot --seed 7 --count 300 --rate 0 --lines-per-file 100 --to-dir "$TMP/in" \
    2>/dev/null
check "sluice gen --to-dir wrote 3 files" test "$(ls "$TMP/in" | wc -l)" -eq 3
sq -c "CREATE STREAM f ($IOT_COLS) USING json OPTIONS (path '$TMP/in', maxFilesPerTrigger 1)" \
    -c "START QUERY qf USING memory AS SELECT * FROM f" \
    -c "AWAIT QUERY qf TIMEOUT 2" \
    -c "SELECT count(*), count(DISTINCT Arrival_Time) > 250 FROM qf" \
    -c "SHOW QUERIES"
expect_has "files: every line of every file, once" "|300|true|" "$(tr -d ' ' <<<"$OUT")"
expect_has "files: one batch per file with maxFilesPerTrigger 1 (batches 0..2)" "|memory|append|2|" \
    "$(tr -d ' ' <<<"$OUT")"
sq -c "CREATE STREAM f USING json OPTIONS (path '$TMP/in')"
expect_has "files: a json stream needs its columns (R79)" "Schema must be specified" "$ERR"
sq -c "CREATE STREAM t USING text OPTIONS (path '$TMP/in')" \
    -c "START QUERY qt USING memory AS SELECT * FROM t" \
    -c "AWAIT QUERY qt TIMEOUT 1" \
    -c "SELECT count(*) FROM qt"
expect_has "files: a text stream reads lines" "300" "$OUT"

# ---- rate ----

sq -c "CREATE STREAM r USING rate OPTIONS (rowsPerSecond 100)" \
    -c "START QUERY qr USING memory AS SELECT * FROM r" \
    -c "AWAIT QUERY qr TIMEOUT 2.5" \
    -c "SELECT count(*) >= 100, min(value), count(DISTINCT value) = count(*) FROM qr"
expect_has "rate: whole seconds of rows from value 0" "|true|0|true|" "$(tr -d ' ' <<<"$OUT")"
sq -c "CREATE STREAM r USING rate OPTIONS (rowsPerSecond 0)"
expect_has "rate: rowsPerSecond must be positive (R70)" "must be positive" "$ERR"

finish
