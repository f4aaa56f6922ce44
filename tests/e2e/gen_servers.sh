#!/usr/bin/env bash
# gen_servers.sh — end-to-end tests of the `sluice gen` TCP servers, on
# ephemeral ports of 127.0.0.1 only: the listening line, --count ending a
# stream, two clients of one seed getting identical bytes (also identical to
# --stdout), JSON validity and key order (checked with sqlite3's json_valid),
# clients that disconnect or read slowly without disturbing the others or
# growing the server's memory, --rate pacing, a port in use, and SIGTERM /
# SIGINT stopping the server with exit 0. Prints TAP; kills whatever it
# started on exit.

# ---- helpers (the same in every gen_*.sh) ----
set -u
GEN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SLUICE=${SLUICE:-$GEN_ROOT/build/debug/sluice}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sluice-gen-e2e.XXXXXX")
PIDS=()
T=0
FAILED=0

ok() {
    T=$((T + 1))
    echo "ok $T - $1"
}
not_ok() {
    T=$((T + 1))
    echo "not ok $T - $1"
    FAILED=1
}
# check DESCRIPTION COMMAND...: ok if the command succeeds.
check() {
    local desc=$1
    shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    sleep 0.2
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT

# start_gen NAME ARGS...: runs `sluice gen ARGS` in the background with
# stderr in $TMP/NAME.err; sets GEN_PID and GEN_PORT (empty if it did not
# start listening within 20 s).
start_gen() {
    local name=$1
    shift
    "$SLUICE" gen "$@" 2>"$TMP/$name.err" &
    GEN_PID=$!
    PIDS+=("$GEN_PID")
    GEN_PORT=
    local i
    for i in $(seq 200); do
        GEN_PORT=$(sed -n 's/^sluice gen [a-z]*: listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' \
            "$TMP/$name.err")
        [ -n "$GEN_PORT" ] && return 0
        kill -0 "$GEN_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# stop_gen PID: SIGTERM, then wait; sets STOP_RC to the exit status.
stop_gen() {
    kill -TERM "$1" 2>/dev/null
    STOP_RC=0
    wait "$1" || STOP_RC=$?
    [ "$STOP_RC" = 0 ] || BAD_EXITS="$BAD_EXITS $STOP_RC"
}
BAD_EXITS=

# invalid_json FILE: prints how many lines of FILE are not valid JSON.
invalid_json() {
    sed "s/'/''/g; s/.*/INSERT INTO t VALUES('&');/" "$1" >"$TMP/ins.sql"
    sqlite3 :memory: "CREATE TABLE t(v TEXT);" ".read $TMP/ins.sql" \
        "SELECT count(*) FROM t WHERE NOT json_valid(v);"
}

# sql_lines FILE QUERY: loads FILE's lines as table t(v) and runs QUERY.
sql_lines() {
    sed "s/'/''/g; s/.*/INSERT INTO t VALUES('&');/" "$1" >"$TMP/ins.sql"
    sqlite3 :memory: "CREATE TABLE t(v TEXT);" ".read $TMP/ins.sql" "$2"
}

lines_of() {
    wc -l <"$1" | tr -d ' '
}

finish() {
    echo "1..$T"
    exit $FAILED
}

# read_all PORT FILE: one client reads until the server closes (15 s at most).
read_all() {
    timeout 15 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && cat <&3' _ "$1" >"$2"
}
# read_lines PORT N FILE: one client reads N lines, then disconnects.
read_lines() {
    timeout 15 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && head -n "$2" <&3' _ "$1" "$2" >"$3"
}
rss_kb() {
    awk '/^VmRSS/ {print $2}' "/proc/$1/status"
}

IOT_RE='^\{"Arrival_Time":[0-9]+,"Creation_Time":[0-9]+,("Device":"(nexus4|s3|s3mini|samsungold)_[0-9]+","Index":[0-9]+,"Model":"(nexus4|s3|s3mini|samsungold)","User":"[a-i]","gt":"(stand|sit|walk|bike|stairsup|stairsdown|null)","x":-?[0-9][0-9.e+-]*,"y":-?[0-9][0-9.e+-]*,"z":-?[0-9][0-9.e+-]*|"Device":null,"Index":null,"Model":null,"User":null,"gt":null,"x":null,"y":null,"z":null)\}$'
BPM_RE='^\{"Arrival_Time":[0-9]+,"Creation_Time":[0-9]+,("Device":"[a-z0-9]+_[0-9]+","Index":[0-9]+,"Model":"[a-z0-9]+","User":"[a-i]","bpm":[0-9]+|"Device":null,"Index":null,"Model":null,"User":null,"bpm":null)\}$'

# ---- iot: count, determinism, format ----
if start_gen iot iot --port 0 --seed 42 --count 1000 --rate 0; then
    ok "iot on --port 0 prints 'listening on 127.0.0.1:$GEN_PORT'"
    IOT_PID=$GEN_PID
    read_all "$GEN_PORT" "$TMP/c1" &
    r1=$!
    read_all "$GEN_PORT" "$TMP/c2" &
    r2=$!
    wait $r1
    rc1=$?
    wait $r2
    rc2=$?
    check "--count 1000: the stream ends after exactly 1000 lines" \
        test "$rc1" = 0 -a "$rc2" = 0 -a "$(lines_of "$TMP/c1")" = 1000
    check "two clients of one seeded server receive identical bytes" cmp -s "$TMP/c1" "$TMP/c2"
    "$SLUICE" gen iot --stdout --seed 42 --count 1000 --rate 0 >"$TMP/stdout" 2>/dev/null
    check "the served bytes equal --stdout's for the same seed" cmp -s "$TMP/c1" "$TMP/stdout"
    check "every iot line is valid JSON (sqlite json_valid)" test "$(invalid_json "$TMP/c1")" = 0
    check "every iot line has the lab's keys in the lab's order" \
        test "$(grep -Evc "$IOT_RE" "$TMP/c1")" = 0
    check "Creation_Time <= Arrival_Time on every line" test "$(sql_lines "$TMP/c1" \
        "SELECT count(*) FROM t WHERE json_extract(v,'\$.Creation_Time') > json_extract(v,'\$.Arrival_Time');")" = 0
    ooo=$(sql_lines "$TMP/c1" "SELECT count(*) FROM (SELECT json_extract(v,'\$.Creation_Time') AS c,
        lag(json_extract(v,'\$.Creation_Time')) OVER (ORDER BY rowid) AS p FROM t) WHERE c < p;")
    inc=$(sql_lines "$TMP/c1" "SELECT count(*) FROM (SELECT json_extract(v,'\$.Arrival_Time') AS a,
        lag(json_extract(v,'\$.Arrival_Time')) OVER (ORDER BY rowid) AS pa FROM t) WHERE a <= pa;")
    check "Arrival_Time increases while events arrive out of creation order ($ooo)" \
        test "$inc" = 0 -a "$ooo" -gt 100
    errs=$(sql_lines "$TMP/c1" "SELECT count(*) FROM t WHERE json_type(v,'\$.Device') = 'null'
        AND json_type(v,'\$.User') = 'null' AND json_type(v,'\$.Arrival_Time') = 'integer';")
    check "a few percent of error records, times kept ($errs of 1000)" test "$errs" -ge 10 -a "$errs" -le 60
    check "the server keeps running after its clients finished" kill -0 "$IOT_PID"
    stop_gen "$IOT_PID"
else
    not_ok "iot on --port 0 prints its listening line"
fi

# ---- many clients at once ----
if start_gen many iot --port 0 --seed 7 --count 100 --rate 0 --quiet; then
    rs=()
    for i in $(seq 20); do
        read_all "$GEN_PORT" "$TMP/m$i" &
        rs+=($!)
    done
    wait "${rs[@]}"
    same=0
    for i in $(seq 20); do cmp -s "$TMP/m1" "$TMP/m$i" && same=$((same + 1)); done
    check "20 simultaneous clients each get the same 100 lines" \
        test "$same" = 20 -a "$(lines_of "$TMP/m1")" = 100
    stop_gen "$GEN_PID"
else
    not_ok "server for 20 clients starts"
fi

# ---- the exact bytes over TCP (pinned; gen_files.sh pins --stdout's) ----
if start_gen pinned iot --port 0 --seed 1 --count 100000 --rate 0 --quiet; then
    read_all "$GEN_PORT" "$TMP/pinned"
    check "iot --seed 1 over TCP: the first 100000 lines are the pinned bytes" \
        test "$(sha256sum <"$TMP/pinned" | cut -d' ' -f1)" = \
        7ffffeb3778a7282ac75608f35f3818435fd871b645afa8c25923a5414fc1aa2
    stop_gen "$GEN_PID"
else
    not_ok "server for the pinned bytes starts"
fi

# ---- bpm and quotes ----
if start_gen bpm bpm --port 0 --seed 42 --count 500 --rate 0; then
    read_all "$GEN_PORT" "$TMP/bpm"
    check "bpm: 500 valid JSON lines" \
        test "$(lines_of "$TMP/bpm")" = 500 -a "$(invalid_json "$TMP/bpm")" = 0
    check "bpm: keys in order (Arrival_Time ... User, bpm)" test "$(grep -Evc "$BPM_RE" "$TMP/bpm")" = 0
    check "bpm: heart rates between 40 and 200" test "$(sql_lines "$TMP/bpm" \
        "SELECT count(*) FROM t WHERE json_extract(v,'\$.bpm') NOT BETWEEN 40 AND 200;")" = 0
    stop_gen "$GEN_PID"
else
    not_ok "bpm server starts"
fi
if start_gen quotes quotes --port 0 --count 200 --rate 0; then
    read_all "$GEN_PORT" "$TMP/quotes"
    check "quotes: 200 valid JSON lines with keys character, quote" \
        test "$(lines_of "$TMP/quotes")" = 200 -a "$(invalid_json "$TMP/quotes")" = 0 \
        -a "$(grep -Evc '^\{"character":"[^"]+","quote":".+"\}$' "$TMP/quotes")" = 0
    chars=$(sql_lines "$TMP/quotes" "SELECT count(DISTINCT json_extract(v,'\$.character')) FROM t;")
    check "quotes: French text kept as UTF-8, many characters ($chars)" \
        test "$(grep -c 'é' "$TMP/quotes")" -gt 0 -a "$chars" -gt 20
    stop_gen "$GEN_PID"
else
    not_ok "quotes server starts"
fi

# ---- clients that leave mid-stream do not disturb the others ----
if start_gen leave iot --port 0 --seed 9 --rate 2000; then
    read_lines "$GEN_PORT" 4000 "$TMP/steady" &
    steady=$!
    # the same stream, for comparison (simulated time follows --rate)
    "$SLUICE" gen iot --stdout --seed 9 --count 4000 --rate 2000 >"$TMP/steady.want" 2>/dev/null &
    want=$!
    sleep 0.3
    for i in 1 2 3 4 5; do
        read_lines "$GEN_PORT" 5 "$TMP/short$i"
        timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$GEN_PORT" # connect, leave at once
        sleep 0.1
    done
    wait $steady $want
    check "a client keeps its stream, byte for byte, while 10 others come and go" \
        cmp -s "$TMP/steady" "$TMP/steady.want"
    check "clients that disconnected mid-stream got whole lines" \
        test "$(lines_of "$TMP/short5")" = 5 -a "$(invalid_json "$TMP/short5")" = 0
    check "the server survives clients that disconnect" kill -0 "$GEN_PID"
    stop_gen "$GEN_PID"
else
    not_ok "server for the disconnect test starts"
fi

# ---- a client that does not read: back-pressure, bounded memory ----
if start_gen slow iot --port 0 --seed 5 --rate 0 --quiet; then
    exec 4<>"/dev/tcp/127.0.0.1/$GEN_PORT" # connected, not reading
    sleep 1
    rss1=$(rss_kb "$GEN_PID")
    read_lines "$GEN_PORT" 50000 "$TMP/fast"
    sleep 1
    rss2=$(rss_kb "$GEN_PID")
    check "another client reads 50000 lines while one does not read" \
        test "$(lines_of "$TMP/fast")" = 50000
    check "server memory stays bounded with a stalled reader (RSS ${rss1} -> ${rss2} kB)" \
        test $((rss2 - rss1)) -lt 20000
    head -n 10 <&4 >"$TMP/slow10"
    exec 4<&-
    "$SLUICE" gen iot --stdout --seed 5 --count 10 --rate 0 >"$TMP/slow10.want" 2>/dev/null
    check "the stalled client then reads its own stream from the start" \
        cmp -s "$TMP/slow10" "$TMP/slow10.want"
    stop_gen "$GEN_PID"
else
    not_ok "server for the slow-reader test starts"
fi

# ---- pacing ----
if start_gen paced iot --port 0 --rate 40 --count 20; then
    t0=$(date +%s%N)
    read_all "$GEN_PORT" "$TMP/paced"
    ms=$((($(date +%s%N) - t0) / 1000000))
    check "--rate 40 --count 20 takes about half a second (${ms} ms)" \
        test "$(lines_of "$TMP/paced")" = 20 -a "$ms" -ge 400 -a "$ms" -lt 8000
    PAID=$GEN_PID

    # ---- a port in use ----
    rc=0
    "$SLUICE" gen iot --port "$GEN_PORT" 2>"$TMP/inuse.err" || rc=$?
    check "a port in use: exit 1 with 'cannot listen'" \
        test "$rc" = 1 -a "$(grep -c 'cannot listen' "$TMP/inuse.err")" = 1

    # ---- SIGTERM with a client connected ----
    timeout 15 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && cat <&3' _ "$GEN_PORT" >/dev/null &
    client=$!
    sleep 0.3
    stop_gen "$PAID"
    wait $client
    crc=$?
    check "SIGTERM stops the server with exit 0 and closes its clients" \
        test "$STOP_RC" = 0 -a "$crc" = 0 -a "$(grep -c 'stopped' "$TMP/paced.err")" = 1
else
    not_ok "paced server starts"
fi
if start_gen int quotes --port 0; then
    kill -INT "$GEN_PID"
    rc=0
    wait "$GEN_PID" || rc=$?
    check "SIGINT (Ctrl-C) stops the server with exit 0" test "$rc" = 0
else
    not_ok "server for the SIGINT test starts"
fi

check "every server stopped by SIGTERM exited 0 (no sanitizer report)" test -z "$BAD_EXITS"

finish
