#!/usr/bin/env bash
# bad_records.sh — a stream's badRecordsPath keeps the text of every
# malformed record it meets, beyond Spark, and nothing else changes: the
# records are still read PERMISSIVE-style and counted in numBadRecords.
# Covers JSON and CSV file streams (the decoder's malformed and mistyped
# lines, CSV rows with a bad field or the wrong number of fields), a socket
# stream in text mode read with from_json (the lab's way) fed by the
# harness line server, and a typed JSON socket stream. Each check compares
# the kept records with the malformed lines the test wrote.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LS=${SLUICE_TESTS_BIN:-$E2E_ROOT/build/debug/tests}/lineserver

# the kept records of a query: "reason|record" per line, from the JSON lines
kept() {
    local f
    for f in "$1"/bad-*.json; do
        [ -e "$f" ] || continue
        sed -E 's/^\{"origin":("[^"]*"|null),"record":"(.*)","reason":"([^"]*)"\}$/\3|\2/' "$f"
    done | sort
}

# ---- JSON files ------------------------------------------------------------
mkdir -p "$TMP/jin" "$TMP/bad"
cat >"$TMP/jin/a.json" <<'J'
{"a": 1, "b": "x"}
{"a": 2, "b"
{"a": "three", "b": "y"}
{"a": 4, "b": "z"}
J
run -c "CREATE STREAM j (a INT, b STRING) USING json OPTIONS (path '$TMP/jin', badRecordsPath '$TMP/bad')" \
    -c "START QUERY jq USING memory OPTIONS (trigger 'availableNow') AS SELECT a, b FROM j" \
    -c "AWAIT QUERY jq TIMEOUT '10 seconds'" \
    -c "SELECT count(*) AS n, count(a) AS a FROM jq" \
    -c ".mode line" -c "SHOW PROGRESS jq"
expect_rc "json stream with badRecordsPath runs" 0 "$RC"
expect_has "PERMISSIVE as before: 4 rows, 2 with a" "|  4|  2|" "$OUT"
expect_has "and still counted" '"numBadRecords" : "2"' "$OUT"
expect_eq "the malformed and the mistyped line are kept" \
    'a field of the wrong type (read as NULL)|{\"a\": \"three\", \"b\": \"y\"}
malformed JSON|{\"a\": 2, \"b\"' "$(kept "$TMP/bad/jq")"
check "one file per batch, named after it" test -f "$TMP/bad/jq/bad-00000.json"
check "written under a temporary name, then renamed" \
    test -z "$(find "$TMP/bad" -name '.*tmp' -print -quit)"

# ---- CSV files -------------------------------------------------------------
mkdir -p "$TMP/cin"
printf 'a,b\n1,x\nzz,y\n3\n4,w\n' >"$TMP/cin/a.csv"
run -c "CREATE STREAM c (a INT, b STRING) USING csv OPTIONS (path '$TMP/cin', header true, badRecordsPath '$TMP/bad')" \
    -c "START QUERY cq USING memory OPTIONS (trigger 'availableNow') AS SELECT a, b FROM c" \
    -c "AWAIT QUERY cq TIMEOUT '10 seconds'" \
    -c "SELECT count(*) AS n FROM cq"
expect_rc "csv stream with badRecordsPath runs" 0 "$RC"
expect_has "4 rows read" "|  4|" "$OUT"
expect_eq "the bad field and the short row are kept" \
    'a field of the wrong type (read as NULL)|zz,y
a wrong number of fields|3' "$(kept "$TMP/bad/cq")"

# ---- a socket in text mode, read with from_json (the lab's way) ------------
printf '%s\n' '{"User": "a", "gt": "sit"}' 'not json at all' '{"User": "b", "gt": 5}' \
    '{"User": "c", "gt": "walk"}' >"$TMP/lines.jsonl"
if [ -x "$LS" ]; then
    "$LS" --clients 2 "$TMP/lines.jsonl" >"$TMP/ls.port" 2>"$TMP/ls.log" &
    LSP=$!
    E2E_PIDS+=("$LSP")
    for _ in $(seq 100); do
        PORT=$(head -1 "$TMP/ls.port" 2>/dev/null)
        [ -n "$PORT" ] && break
        sleep 0.05
    done
    run -c "CREATE STREAM t USING socket OPTIONS (host '127.0.0.1', port $PORT, badRecordsPath '$TMP/bad')" \
        -c "START QUERY tq USING memory AS SELECT j.* FROM (SELECT from_json(value, 'User STRING, gt STRING') AS j FROM t)" \
        -c "AWAIT QUERY tq TIMEOUT '2 seconds'" \
        -c "SELECT count(*) AS n FROM tq" \
        -c "CREATE STREAM ty (User STRING, gt INT) USING socket OPTIONS (host '127.0.0.1', port $PORT, format 'json', badRecordsPath '$TMP/bad')" \
        -c "START QUERY tyq USING memory AS SELECT * FROM ty" \
        -c "AWAIT QUERY tyq TIMEOUT '2 seconds'" 2>/dev/null
    expect_has "from_json over the socket: 4 rows" "|  4|" "$OUT"
    expect_eq "from_json's malformed line is kept with the socket's records" \
        'malformed JSON|not json at all' "$(kept "$TMP/bad/tq")"
    expect_eq "a typed JSON socket keeps its malformed and mistyped lines" \
        'a field of the wrong type (read as NULL)|{\"User\": \"a\", \"gt\": \"sit\"}
a field of the wrong type (read as NULL)|{\"User\": \"c\", \"gt\": \"walk\"}
malformed JSON|not json at all' "$(kept "$TMP/bad/tyq")"
else
    skip "from_json over the socket" "no line server"
    skip "from_json's malformed line is kept" "no line server"
    skip "typed JSON socket" "no line server"
fi

# ---- without the option nothing is written ---------------------------------
mkdir -p "$TMP/jin2"
cp "$TMP/jin/a.json" "$TMP/jin2/"
run -c "CREATE STREAM j2 (a INT, b STRING) USING json OPTIONS (path '$TMP/jin2')" \
    -c "START QUERY j2q USING memory OPTIONS (trigger 'availableNow') AS SELECT a FROM j2" \
    -c "AWAIT QUERY j2q TIMEOUT '10 seconds'"
check "without badRecordsPath no directory appears" test ! -e "$TMP/bad/j2q"

echo "1..$T"
exit $FAILED
