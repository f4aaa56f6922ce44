#!/usr/bin/env bash
# sink_files.sh — end-to-end tests of the files sink through the real
# binary: a file stream copied into JSON and CSV part files (read back as
# tables: the sink's output is what a batch reader sees, R43), one log entry
# per batch and no temporary left, START refusing update/complete mode, a
# missing path or checkpointLocation before anything is created (R41, R42,
# R43, R7), and a path that cannot be a directory failing with a clear error.
# Prints TAP.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# sq ARGS...: sluice with a time limit; sets OUT, ERR, RC like run.
sq() {
    timeout -k 5 60 "$SLUICE" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
    RC=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
    note_sanitizer "$TMP/err"
}

mkdir -p "$TMP/in"
printf 'id,name\n1,ann\n2,"b, c"\n' >"$TMP/in/a.csv"
printf 'id,name\n3,\n' >"$TMP/in/b.csv"
COLS='id BIGINT, name STRING'

# ---- JSON part files, one batch per input file ----

sq -c "CREATE STREAM f ($COLS) USING csv OPTIONS (path '$TMP/in', header true, maxFilesPerTrigger 1)" \
    -c "START QUERY q USING files OPTIONS (path '$TMP/sink_json', checkpointLocation '$TMP/cp') AS SELECT * FROM f" \
    -c "AWAIT QUERY q TIMEOUT 3" \
    -c "STOP QUERY q" \
    -c "CREATE TABLE back USING json OPTIONS (path '$TMP/sink_json')" \
    -c "SELECT id, name FROM back ORDER BY id"
expect_rc "json: the query runs" 0
expect_eq "json: one part file per batch with data" "_sluice_metadata part-00000-00000.json part-00001-00000.json" \
    "$(cd "$TMP/sink_json" 2>/dev/null && ls | tr '\n' ' ' | sed 's/ $//')"
expect_eq "json: rows as JSON lines, NULL fields left out" \
    '{"id":1,"name":"ann"}
{"id":2,"name":"b, c"}
{"id":3}' "$(cat "$TMP/sink_json"/part-*.json 2>/dev/null)"
expect_has "json: the output reads back as a table (R43)" "|3|NULL|" "$(tr -d ' ' <<<"$OUT")"
check "json: a log entry per batch" test -f "$TMP/sink_json/_sluice_metadata/0" -a -f "$TMP/sink_json/_sluice_metadata/1"
expect_eq "json: no temporary file left" "" "$(find "$TMP/sink_json" -name '*.tmp')"
expect_has "json: the log entry lists its file" "part-00000-00000.json\",\"size\":45," \
    "$(cat "$TMP/sink_json/_sluice_metadata/0" 2>/dev/null)"

# ---- CSV, with a header line per file ----

sq -c "CREATE STREAM f ($COLS) USING csv OPTIONS (path '$TMP/in', header true)" \
    -c "START QUERY q USING files OPTIONS (path '$TMP/csv', format 'csv', checkpointLocation '$TMP/cp2', trigger 'availableNow') AS SELECT * FROM f" \
    -c "AWAIT QUERY q TIMEOUT 20" \
    -c "CREATE TABLE back USING csv OPTIONS (path '$TMP/csv', header true, inferSchema true)" \
    -c "SELECT sum(id), count(name) FROM back"
expect_eq "csv: one file for the batch, header first" 'id,name
1,ann
2,"b, c"
3,' "$(cat "$TMP/csv"/part-*.csv 2>/dev/null)"
expect_has "csv: the output reads back as a table" "|6|2|" "$(tr -d ' ' <<<"$OUT")"

# ---- checks at START: nothing is created ----

sq -c "CREATE STREAM f ($COLS) USING csv OPTIONS (path '$TMP/in', header true)" \
    -c "START QUERY q USING files OPTIONS (path '$TMP/upd', checkpointLocation '$TMP/cp3', outputMode 'update') AS SELECT * FROM f"
expect_has "update mode is refused (R42)" "Data source json does not support Update output mode" "$ERR"
check "nothing was written (R41)" test ! -e "$TMP/upd"
sq -c "CREATE STREAM f ($COLS) USING csv OPTIONS (path '$TMP/in', header true)" \
    -c "START QUERY q USING files OPTIONS (path '$TMP/cmp', checkpointLocation '$TMP/cp3', format 'csv', outputMode 'complete') AS SELECT name, count(*) FROM f GROUP BY name"
expect_has "complete mode is refused (R42)" "Data source csv does not support Complete output mode" "$ERR"
sq -c "CREATE STREAM f ($COLS) USING csv OPTIONS (path '$TMP/in', header true)" \
    -c "START QUERY q USING files OPTIONS (checkpointLocation '$TMP/cp3') AS SELECT * FROM f"
expect_has "a path is required (R43)" "'path' is not specified" "$ERR"
sq -c "CREATE STREAM f ($COLS) USING csv OPTIONS (path '$TMP/in', header true)" \
    -c "START QUERY q USING files OPTIONS (path '$TMP/nocp') AS SELECT * FROM f"
expect_has "a checkpoint location is required (R7)" "checkpointLocation must be specified" "$ERR"
check "nothing was written (R41)" test ! -e "$TMP/nocp"

# ---- a path that cannot be a directory ----

: >"$TMP/plain"
sq -c "CREATE STREAM f ($COLS) USING csv OPTIONS (path '$TMP/in', header true)" \
    -c "START QUERY q USING files OPTIONS (path '$TMP/plain/out', checkpointLocation '$TMP/cp4', trigger 'availableNow') AS SELECT * FROM f" \
    -c "AWAIT QUERY q TIMEOUT 20"
expect_has "an unusable path is an error naming it" \
    "files sink: cannot create directory '$TMP/plain/out'" "$OUT$ERR"

finish
