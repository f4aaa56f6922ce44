#!/usr/bin/env bash
# lab_steps.sh — end-to-end tests of every step of the lab (the seed's
# part 2, DESIGN.md §4) up to the cube, through the real binary, against the
# harness's line server (tests/harness/lineserver.c, not sluice gen) serving
# tests/data/iot_lab.jsonl. Every expected result is computed by sqlite3
# from the same file (its JSON functions, with from_json's rules R166-R169
# and dropna's R144 written out in SQL) or taken from the spec; none is
# copied from what sluice prints.
#
# The data file is 280 lines of `sluice gen iot --seed 2024 --error-rate
# 0.04` (9 of them error records: every field but the two times null) with
# 25 hand-made lines spread through it: 7 malformed (truncated, not JSON,
# a missing colon, an array, a bare number, a trailing comma, a missing
# brace), `{}`, and 17 records with one thing odd (a null or missing field,
# a string, float or boolean where a BIGINT or DOUBLE is expected, "NaN",
# a null gt, a lower-case key, a number or boolean where a STRING is
# expected, extra keys, non-ASCII, surrounding blanks, escapes, keys in
# another order). So the error count is 7 + 9 + 1 = 17 and the bad records
# are the 7 malformed lines plus 4 values of the wrong type.
#
# Covered: SET, CREATE STREAM … USING socket, DESCRIBE, the from_json view,
# the error count (complete, memory), dropna, activity counts (memory
# complete with a processing-time trigger; console update, where a pause of
# the server between two disjoint sets of groups shows that update mode
# prints only the groups a batch touched), the stairs filter (append), the
# cube, the raw console with truncate false, SHOW QUERIES (the socket's
# 'none' guarantee), SHOW PROGRESS (rows, numBadRecords), STOP QUERY, a
# closed or reset connection failing the query, reconnect true, input cut
# into pieces at arbitrary bytes, hostile input (--garbage) with and without
# a small maxBufferBytes, the typed socket stream (format 'json') giving the
# same answers, and START QUERY against a server that closes at once.
# Prints TAP;
# every process it starts is stopped on exit (lib.sh's trap).

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LS=${SLUICE_TESTS_BIN:-$E2E_ROOT/build/debug/tests}/lineserver
DATA=$E2E_ROOT/tests/data/iot_lab.jsonl
SCHEMA='Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT, Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE'
ERROR_EXPR='CASE WHEN Device IS NULL AND `Index` IS NULL AND Model IS NULL AND User IS NULL AND gt IS NULL THEN true ELSE false END'

if [ ! -x "$LS" ]; then
    not_ok "line server $LS exists (make debug builds it)"
    finish
fi
if ! command -v sqlite3 >/dev/null; then
    not_ok "sqlite3 is installed (scripts/deps.sh installs it)"
    finish
fi
check "the test data file is there" test -s "$DATA"

# ---- helpers -----------------------------------------------------------

# sq FILE: runs the script FILE with a time limit; sets OUT, ERR, RC.
sq() {
    timeout -k 5 60 "$SLUICE" -f "$1" </dev/null >"$TMP/out" 2>"$TMP/err"
    RC=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
    note_sanitizer "$TMP/err"
}

# start_ls NAME ARGS...: the line server in the background (log in
# $TMP/NAME.log); sets LS_PID and LS_PORT (empty when it did not start).
start_ls() {
    local name=$1 i
    shift
    "$LS" "$@" >"$TMP/$name.port" 2>"$TMP/$name.log" &
    LS_PID=$!
    E2E_PIDS+=("$LS_PID")
    LS_PORT=
    for i in $(seq 200); do
        LS_PORT=$(head -1 "$TMP/$name.port")
        [ -n "$LS_PORT" ] && return 0
        kill -0 "$LS_PID" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
stop_ls() {
    kill -TERM "$1" 2>/dev/null
    wait "$1" 2>/dev/null
}

# section NAME: the lines of $OUT after the line `@@NAME` up to the next
# `@@` line, without the asynchronous "Query q terminated with error" lines
# and without the CR of CSV's CRLF line ends.
section() {
    awk -v want="@@$1" '{ sub(/\r$/, "") } /^@@/ { on = ($0 == want); next }
        /^Query [A-Za-z_0-9]* terminated with error: / { next }
        on { print }' <<<"$OUT"
}

# lines_db FILE DB: a sqlite3 database DB with table raw(n, line), one row
# per line of FILE.
lines_db() {
    rm -f "$2"
    {
        echo "CREATE TABLE raw(n INTEGER PRIMARY KEY, line TEXT); BEGIN;"
        sed "s/'/''/g; s/^/INSERT INTO raw(line) VALUES('/; s/\$/');/" "$1"
        echo "COMMIT;"
    } | sqlite3 "$2"
}

# iot_db FILE DB: lines_db plus the lab's relations in sqlite: obj (the line
# when it is a JSON object, else NULL: R167), iot (from_json with the IoT
# schema: integers only for BIGINT, numbers for DOUBLE, any value for
# STRING with numbers and booleans as their JSON text, keys matched
# case-sensitively; R166, R168, R169), filtered (dropna 'any': no NULL, no
# NaN; R144), bad (malformed lines and values of the wrong type).
iot_db() {
    lines_db "$1" "$2"
    local s b f
    s=''
    b=''
    for f in Device Model User gt; do
        s+="CASE json_type(j, '\$.$f') WHEN 'text' THEN json_extract(j, '\$.$f')
              WHEN 'null' THEN NULL ELSE j -> '\$.$f' END AS $f, "
    done
    for f in x y z; do
        s+="CASE WHEN json_type(j, '\$.$f') IN ('integer', 'real')
              THEN CAST(json_extract(j, '\$.$f') AS REAL) END AS $f,
            coalesce(json_type(j, '\$.$f') = 'text' AND json_extract(j, '\$.$f') = 'NaN', 0)
              AS ${f}_nan, "
        b+="OR (json_type(j, '\$.$f') NOT IN ('integer', 'real', 'null') AND NOT (json_type(j, '\$.$f') = 'text'
              AND json_extract(j, '\$.$f') IN ('NaN', 'Infinity', '-Infinity'))) "
    done
    sqlite3 "$2" <<EOF
CREATE VIEW obj AS SELECT n, CASE WHEN json_valid(line) AND json_type(line) = 'object'
    THEN line END AS j FROM raw;
CREATE VIEW iot AS SELECT n,
    CASE WHEN json_type(j, '\$.Arrival_Time') = 'integer'
      THEN json_extract(j, '\$.Arrival_Time') END AS Arrival_Time,
    CASE WHEN json_type(j, '\$.Creation_Time') = 'integer'
      THEN json_extract(j, '\$.Creation_Time') END AS Creation_Time,
    CASE WHEN json_type(j, '\$.Index') = 'integer' THEN json_extract(j, '\$.Index') END AS "Index",
    $s j FROM obj;
CREATE VIEW filtered AS SELECT * FROM iot WHERE Arrival_Time IS NOT NULL
    AND Creation_Time IS NOT NULL AND Device IS NOT NULL AND "Index" IS NOT NULL
    AND Model IS NOT NULL AND User IS NOT NULL AND gt IS NOT NULL AND x IS NOT NULL
    AND y IS NOT NULL AND z IS NOT NULL AND NOT x_nan AND NOT y_nan AND NOT z_nan;
CREATE VIEW bad AS SELECT n FROM obj WHERE j IS NULL
    OR json_type(j, '\$.Arrival_Time') NOT IN ('integer', 'null')
    OR json_type(j, '\$.Creation_Time') NOT IN ('integer', 'null')
    OR json_type(j, '\$.Index') NOT IN ('integer', 'null')
    $b;
EOF
}

# sqlq DB SQL: the rows of SQL as CSV lines (NULL as an empty field).
sqlq() {
    sqlite3 -csv "$1" "$2" | tr -d '\r'
}

# csv_close DESC EXPECTED ACTUAL: CSV rows equal, fields that are numbers
# with a fraction or an exponent within a relative 1e-9 (averages). Fields
# are split at every comma (none of the compared values holds one) and
# compared unquoted: sqlite3 quotes every field with a non-ASCII byte.
csv_close() {
    local why
    why=$(awk -v exp_="$2" -v act="$3" '
    function unquote(f, k) {
        if (f[k] ~ /^".*"$/) { f[k] = substr(f[k], 2, length(f[k]) - 2); gsub(/""/, "\"", f[k]) }
    }
    BEGIN {
        ne = split(exp_, e, "\n"); na = split(act, a, "\n")
        if (ne != na) { print "row count " na ", expected " ne; exit }
        num = "^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$"
        for (i = 1; i <= ne; i++) {
            nf = split(e[i], ef, ","); mf = split(a[i], af, ",")
            if (nf != mf) { print "row " i ": field count"; exit }
            for (k = 1; k <= nf; k++) {
                unquote(ef, k); unquote(af, k)
                if (ef[k] == af[k]) continue
                if (ef[k] ~ num && af[k] ~ num && ef[k] ~ /[.eE]/) {
                    d = ef[k] - af[k]; if (d < 0) d = -d
                    m = ef[k] < 0 ? -ef[k] : ef[k]
                    if (d <= 1e-9 * m + 1e-12) continue
                }
                print "row " i " field " k ": " af[k] ", expected " ef[k]; exit
            }
        }
    }')
    if [ -z "$why" ]; then
        ok "$1"
    else
        not_ok "$1"
        diag "$why"
        diag "expected:"
        diag "$2"
        diag "got:"
        diag "$3"
    fi
}

# ---- expected results, by sqlite3 ----------------------------------------

DB=$TMP/lab.db
iot_db "$DATA" "$DB"
NLINES=$(sqlq "$DB" "SELECT count(*) FROM raw")
E_MALFORMED=$(sqlq "$DB" "SELECT count(*) FROM raw WHERE NOT (json_valid(line) AND json_type(line) = 'object')")
E_NULLKEYS=$(sqlq "$DB" "SELECT count(*) FROM raw WHERE json_valid(line) AND json_type(line) = 'object'
    AND coalesce(json_type(line, '\$.Device'), 'null') = 'null' AND coalesce(json_type(line, '\$.Index'), 'null') = 'null'
    AND coalesce(json_type(line, '\$.Model'), 'null') = 'null' AND coalesce(json_type(line, '\$.User'), 'null') = 'null'
    AND coalesce(json_type(line, '\$.gt'), 'null') = 'null'")
E_BAD=$(sqlq "$DB" "SELECT count(*) FROM bad")
ERR_SQL="SELECT CASE WHEN Device IS NULL AND \"Index\" IS NULL AND Model IS NULL AND User IS NULL AND gt IS NULL
    THEN 'true' ELSE 'false' END AS error, count(*) FROM %s GROUP BY 1 ORDER BY 1"
# shellcheck disable=SC2059
E_ERRORS=$(sqlq "$DB" "$(printf "$ERR_SQL" iot)")
# shellcheck disable=SC2059
E_ERRORS_F=$(sqlq "$DB" "$(printf "$ERR_SQL" filtered)")
E_ACTIVITY=$(sqlq "$DB" "SELECT gt, count(*) FROM filtered GROUP BY gt ORDER BY gt")
E_STAIRS=$(sqlq "$DB" "SELECT gt, Model, Arrival_Time, Creation_Time FROM filtered
    WHERE instr(gt, 'stairs') > 0 ORDER BY Arrival_Time, gt, Model, Creation_Time")
E_CUBE=$(sqlq "$DB" "SELECT * FROM (
    SELECT gt, Model, avg(x), avg(y), avg(z) FROM filtered GROUP BY gt, Model
    UNION ALL SELECT gt, NULL, avg(x), avg(y), avg(z) FROM filtered GROUP BY gt
    UNION ALL SELECT NULL, Model, avg(x), avg(y), avg(z) FROM filtered GROUP BY Model
    UNION ALL SELECT NULL, NULL, avg(x), avg(y), avg(z) FROM filtered) ORDER BY 1, 2")
E_ROWS=$(sqlq "$DB" "SELECT Arrival_Time, Creation_Time, Device, \"Index\", Model, User, gt,
    CASE WHEN x_nan THEN 'NaN' ELSE x END, CASE WHEN y_nan THEN 'NaN' ELSE y END,
    CASE WHEN z_nan THEN 'NaN' ELSE z END FROM iot ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10")
expect_eq "data file: 305 lines, 7 malformed, 10 objects without the key fields, 11 bad records" \
    "305 7 10 11" "$NLINES $E_MALFORMED $E_NULLKEYS $E_BAD"

# ---- the lab, one session: every query over one server --------------------

# Servers that close the connection after their lines wait 300 ms after a
# client connects before sending: START QUERY has returned by then (see the
# START QUERY check at the end for what happens otherwise), and batch 0,
# run as soon as the query is connected, is empty (R25).
LATE=(--delay-ms 300)

if start_ls main --clients 0 "${LATE[@]}" "$DATA"; then
    P=$LS_PORT
    cat >"$TMP/lab.sql" <<EOF
.mode csv
.headers off
.print @@set
SET spark.sql.shuffle.partitions = 5;
CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port $P);
.print @@describe_stream
DESCRIBE tcp_stream;
CREATE VIEW iot_data AS SELECT json.* FROM (
  SELECT from_json(CAST(value AS STRING), '$SCHEMA') AS json FROM tcp_stream);
.print @@describe_view
DESCRIBE iot_data;
CREATE VIEW iot_filtered AS SELECT * FROM dropna(iot_data, 'any');
START QUERY errorCount USING memory OPTIONS (outputMode 'complete')
  AS SELECT $ERROR_EXPR AS error, count(*) AS count FROM iot_data GROUP BY 1;
START QUERY errorCount_filtered USING memory OPTIONS (outputMode 'complete')
  AS SELECT $ERROR_EXPR AS error, count(*) AS count FROM iot_filtered GROUP BY error;
START QUERY activityCount_stream USING memory OPTIONS (outputMode 'complete', trigger '200 milliseconds')
  AS SELECT gt, count(*) AS count FROM iot_filtered GROUP BY gt;
START QUERY simple_transform USING memory
  AS SELECT gt, model, arrival_time, creation_time
     FROM (SELECT *, gt LIKE '%stairs%' AS is_stair_activity FROM iot_filtered)
     WHERE is_stair_activity;
START QUERY deviceMobileStats USING memory OPTIONS (outputMode 'complete')
  AS SELECT gt, model, avg(x), avg(y), avg(z) FROM iot_filtered GROUP BY CUBE(gt, model);
CREATE STREAM iot_typed ($SCHEMA) USING socket OPTIONS (host '127.0.0.1', port $P, format 'json');
START QUERY typed USING memory OPTIONS (outputMode 'complete')
  AS SELECT $ERROR_EXPR AS error, count(*) AS count FROM iot_typed GROUP BY 1;
START QUERY typed_activity USING memory OPTIONS (outputMode 'complete')
  AS SELECT gt, count(*) AS count FROM dropna(iot_typed, 'any') GROUP BY gt;
AWAIT QUERY errorCount TIMEOUT '20 seconds';
AWAIT QUERY errorCount_filtered TIMEOUT '20 seconds';
AWAIT QUERY typed TIMEOUT '20 seconds';
AWAIT QUERY typed_activity TIMEOUT '20 seconds';
AWAIT QUERY activityCount_stream TIMEOUT '20 seconds';
AWAIT QUERY simple_transform TIMEOUT '20 seconds';
AWAIT QUERY deviceMobileStats TIMEOUT '20 seconds';
.print @@errors
SELECT * FROM errorCount ORDER BY error;
.print @@errors_filtered
SELECT * FROM errorCount_filtered ORDER BY error;
.print @@activity
SELECT * FROM activityCount_stream ORDER BY gt;
.print @@stairs
SELECT * FROM simple_transform ORDER BY arrival_time, gt, model, creation_time;
.print @@cube
SELECT * FROM deviceMobileStats ORDER BY gt, model;
.print @@typed
SELECT * FROM typed ORDER BY error;
.print @@typed_activity
SELECT * FROM typed_activity ORDER BY gt;
.headers on
.print @@cube_header
SELECT * FROM deviceMobileStats LIMIT 0;
.headers off
.mode jsonl
.print @@queries
SHOW QUERIES;
.print @@progress
SHOW PROGRESS errorCount;
.print @@typed_progress
SHOW PROGRESS typed;
EOF
    sq "$TMP/lab.sql"
    expect_rc "lab: the script ends with an error (the queries failed when the server closed)" 1
    expect_eq "SET spark.sql.shuffle.partitions = 5" "spark.sql.shuffle.partitions,5" "$(section set)"
    expect_eq "DESCRIBE tcp_stream: one column value STRING (the lab's StructType)" \
        "value,string" "$(section describe_stream | cut -d, -f1,2)"
    expect_eq "DESCRIBE iot_data: the schema applied by from_json and json.*" \
        "Arrival_Time,bigint
Creation_Time,bigint
Device,string
Index,bigint
Model,string
User,string
gt,string
x,double
y,double
z,double" "$(section describe_view | cut -d, -f1,2)"
    expect_eq "error count (complete, memory) = sqlite's" "$E_ERRORS" "$(section errors)"
    expect_eq "error count: true = malformed lines + records without the five key fields" \
        "true,$((E_MALFORMED + E_NULLKEYS))" "$(section errors | grep '^true')"
    expect_eq "error count after dropna(iot_data, 'any'): no error left, = sqlite's" \
        "$E_ERRORS_F" "$(section errors_filtered)"
    expect_eq "activity counts (memory, complete, trigger 200 ms) = sqlite's" \
        "$E_ACTIVITY" "$(section activity)"
    expect_eq "stairs filter (append, 4 columns) = sqlite's" "$E_STAIRS" "$(section stairs)"
    csv_close "cube(gt, model) with avg(x), avg(y), avg(z) = sqlite's (1e-9)" \
        "$E_CUBE" "$(section cube)"
    expect_eq "typed stream (format 'json', no from_json): error count = sqlite's" \
        "$E_ERRORS" "$(section typed)"
    expect_eq "typed stream: activity counts after dropna = sqlite's" \
        "$E_ACTIVITY" "$(section typed_activity)"
    expect_has "cube: the columns are named avg(x), avg(y), avg(z)" ",avg(x),avg(y),avg(z)" \
        "$(section cube_header)"
    for q in errorCount errorCount_filtered activityCount_stream simple_transform deviceMobileStats \
        typed typed_activity; do
        expect_has "$q fails with a clear message when the server closes" \
            "query $q [id = " "$ERR"
    done
    expect_has "the message names the server and the way out" \
        "connection to 127.0.0.1:$P closed by the peer (a socket source does not reconnect unless OPTIONS (reconnect true) is given)" \
        "$ERR"
    section queries >"$TMP/queries.jsonl"
    lines_db "$TMP/queries.jsonl" "$TMP/q.db"
    expect_eq "SHOW QUERIES lists the seven queries, FAILED, with the socket's 'none' guarantee" \
        "activityCount_stream,complete,memory,1,1
deviceMobileStats,complete,memory,1,1
errorCount,complete,memory,1,1
errorCount_filtered,complete,memory,1,1
simple_transform,append,memory,1,1
typed,complete,memory,1,1
typed_activity,complete,memory,1,1" \
        "$(sqlq "$TMP/q.db" "SELECT json_extract(line, '\$.name'), json_extract(line, '\$.outputMode'),
            json_extract(line, '\$.sink'), json_extract(line, '\$.status') LIKE 'FAILED: connection to%',
            json_extract(line, '\$.guarantee') LIKE 'none%' FROM raw ORDER BY 1")"
    section progress >"$TMP/progress.jsonl"
    lines_db "$TMP/progress.jsonl" "$TMP/p.db"
    sqlite3 "$TMP/p.db" "CREATE VIEW p AS SELECT json_extract(line, '\$.batchId') AS id,
        json_extract(line, '\$.progress') AS j FROM raw"
    expect_eq "progress: batch ids 0, 1, … in order (R23); batch 0 is empty (R25)" \
        "1,1,0" "$(sqlq "$TMP/p.db" "SELECT min(id) = 0, max(id) = count(*) - 1,
            (SELECT json_extract(j, '\$.numInputRows') FROM p WHERE id = 0) FROM p")"
    expect_eq "progress: numInputRows over the batches = the lines sent" "$NLINES" \
        "$(sqlq "$TMP/p.db" "SELECT sum(json_extract(j, '\$.numInputRows')) FROM p")"
    expect_eq "progress: numBadRecords over the batches = malformed lines + wrong types (sqlite)" \
        "$E_BAD" "$(sqlq "$TMP/p.db" "SELECT sum(json_extract(j, '\$.sources[0].metrics.numBadRecords')) FROM p")"
    expect_eq "progress: the socket source's description" \
        "TextSocketV2[host: 127.0.0.1, port: $P]" \
        "$(sqlite3 "$TMP/p.db" "SELECT DISTINCT json_extract(j, '\$.sources[0].description') FROM p")"
    section typed_progress >"$TMP/typed.jsonl"
    lines_db "$TMP/typed.jsonl" "$TMP/t.db"
    expect_eq "typed stream: rows and numBadRecords over the batches = sqlite's" "$NLINES,$E_BAD" \
        "$(sqlq "$TMP/t.db" "SELECT sum(json_extract(json_extract(line, '\$.progress'), '\$.numInputRows')),
            sum(json_extract(json_extract(line, '\$.progress'), '\$.sources[0].metrics.numBadRecords'))
            FROM raw")"
    stop_ls "$LS_PID"
else
    not_ok "the line server starts (lab)"
fi

# ---- console, update mode: only the groups a batch touched ---------------
# The server sends the walk records, pauses 1.5 s, then the bike records:
# batches before the pause can only touch walk, batches after it only bike.
# (Batch 0 is empty because the server waits before its first line: with
# lines already there, batch 0 would hold them, in Spark too.)

grep -F '"gt":"walk"' "$DATA" >"$TMP/ab.jsonl"
NWALK=$(wc -l <"$TMP/ab.jsonl")
grep -F '"gt":"bike"' "$DATA" >>"$TMP/ab.jsonl"
iot_db "$TMP/ab.jsonl" "$TMP/ab.db" 2>/dev/null
E_AB=$(sqlq "$TMP/ab.db" "SELECT gt, count(*) FROM filtered GROUP BY gt ORDER BY gt DESC")
if start_ls upd --clients 1 "${LATE[@]}" --pause-after "$NWALK" --pause-ms 1500 "$TMP/ab.jsonl"; then
    cat >"$TMP/upd.sql" <<EOF
CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port $LS_PORT);
CREATE VIEW iot_data AS SELECT json.* FROM (
  SELECT from_json(CAST(value AS STRING), '$SCHEMA') AS json FROM tcp_stream);
START QUERY activity_console USING console OPTIONS (outputMode 'update')
  AS SELECT gt, count(*) AS count FROM dropna(iot_data, 'any') GROUP BY gt;
AWAIT QUERY activity_console TIMEOUT '20 seconds';
EOF
    sq "$TMP/upd.sql"
    DASH=-------------------------------------------
    expect_eq "console: batch 0 is empty and framed as Spark does (R25, R49, R52)" \
        "$DASH
Batch: 0
$DASH
+---+-----+
| gt|count|
+---+-----+
+---+-----+
(empty line)" "$(head -7 <<<"$OUT")
$(sed -n 8p <<<"$OUT")(empty line)"
    # one line per printed row: "batch gt count"
    ROWS=$(awk '/^Batch: / { b = $2; next } /^\|/ && !/^\| *gt\|/ {
        gsub(/ /, ""); split($0, f, "|"); print b, f[2], f[3] }' <<<"$OUT")
    expect_eq "console: batch ids 0, 1, 2, … (R23)" \
        "$(seq 0 $(($(grep -c '^Batch: ' <<<"$OUT") - 1)) | tr '\n' ' ')" \
        "$(sed -n 's/^Batch: //p' <<<"$OUT" | tr '\n' ' ')"
    FIRST_BIKE=$(awk '$2 == "bike" { print $1; exit }' <<<"$ROWS")
    LAST_WALK=$(awk '$2 == "walk" { b = $1 } END { print b }' <<<"$ROWS")
    check "console update: walk and bike both printed" test -n "$FIRST_BIKE" -a -n "$LAST_WALK"
    check "console update: batches after the pause print bike only, not the unchanged walk (R36, R51)" \
        test "${FIRST_BIKE:-0}" -gt "${LAST_WALK:-0}"
    expect_eq "console update: no other group, no batch prints a group twice" "" \
        "$(awk '($2 != "walk" && $2 != "bike") || seen[$1 "," $2]++' <<<"$ROWS")"
    expect_eq "console update: counts only grow, and end at sqlite's" "$E_AB" \
        "$(awk '{ if ($3 <= last[$2]) print "not growing:", $0; last[$2] = $3 }
            END { print "walk," last["walk"]; print "bike," last["bike"] }' <<<"$ROWS")"
    expect_lacks "console: no error on the way but the closed connection" "Error: u" "$ERR"
    stop_ls "$LS_PID"
else
    not_ok "the line server starts (update)"
fi

# ---- raw console, truncate false, processing-time trigger ----------------

if start_ls raw --clients 1 "${LATE[@]}" "$DATA"; then
    cat >"$TMP/raw.sql" <<EOF
CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port $LS_PORT);
START QUERY raw_data_console USING console
  OPTIONS (truncate false, trigger '300 milliseconds', numRows 1000) AS SELECT * FROM tcp_stream;
AWAIT QUERY raw_data_console TIMEOUT '20 seconds';
EOF
    sq "$TMP/raw.sql"
    expect_eq "raw console (truncate false): every line once, whole, as a row" \
        "$(sed 's/ *$//' "$DATA" | LC_ALL=C sort)" \
        "$(awk '/^\|/ && !/^\|value *\|$/ { sub(/^\|/, ""); sub(/\|$/, ""); sub(/ *$/, ""); print }' \
            <<<"$OUT" | LC_ALL=C sort)"
    stop_ls "$LS_PID"
else
    not_ok "the line server starts (raw console)"
fi

# ---- a live session: SHOW QUERIES, progress, STOP QUERY, reconnect -------
# The shell reads statements from a FIFO, so the test can poll a memory
# table until it is full instead of sleeping.

SESS_N=0
# sess SQL: runs SQL in the session, waits for it (20 s at most); sets SOUT
# (its output, CRs dropped).
sess() {
    SESS_N=$((SESS_N + 1))
    local mark="@@done-$SESS_N" from deadline=$((SECONDS + 20))
    from=$(stat -c %s "$TMP/sess.out")
    printf '%s\n.print %s\n' "$1" "$mark" >&8
    until grep -qx -- "$mark" "$TMP/sess.out"; do
        if [ $SECONDS -ge $deadline ] || ! kill -0 "$SESS_PID" 2>/dev/null; then
            SOUT=
            diag "session: no answer to: $1"
            return 1
        fi
        sleep 0.02
    done
    SOUT=$(tail -c +$((from + 1)) "$TMP/sess.out" | tr -d '\r' | grep -vx -- "$mark" |
        grep -v '^Query [A-Za-z_0-9]* terminated with error: ')
}
# sess_until SQL EXPECTED: runs SQL until its output is EXPECTED (20 s).
sess_until() {
    local deadline=$((SECONDS + 20))
    while sess "$1"; do
        [ "$SOUT" == "$2" ] && return 0
        [ $SECONDS -ge $deadline ] && break
        sleep 0.05
    done
    diag "waited for '$2', last: $SOUT"
    return 1
}

mkfifo "$TMP/sess.in"
: >"$TMP/sess.out"
"$SLUICE" <"$TMP/sess.in" >"$TMP/sess.out" 2>"$TMP/sess.err" &
SESS_PID=$!
E2E_PIDS+=("$SESS_PID")
exec 8>"$TMP/sess.in"
sess ".mode csv
.headers off"

# The records in pieces of 1..200 bytes cut anywhere; the server then keeps
# the connection open, so the query runs until STOP QUERY.
if start_ls live --keep-open --chunks 200 --chunk-delay-ms 1 "$DATA"; then
    LIVE_PID=$LS_PID
    sess "CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port $LS_PORT);
CREATE VIEW iot_data AS SELECT json.* FROM (
  SELECT from_json(CAST(value AS STRING), '$SCHEMA') AS json FROM tcp_stream);
START QUERY iot_rows USING memory AS SELECT * FROM iot_data;"
    check "live: every line arrives (polling the memory table)" \
        sess_until "SELECT count(*) FROM iot_rows;" "$NLINES"
    sess "SELECT * FROM iot_rows ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;"
    csv_close "from_json + json.* over lines cut at arbitrary bytes: every row = sqlite's (R166-R169)" \
        "$E_ROWS" "$SOUT"
    sess ".mode jsonl
SHOW QUERIES;
.mode csv"
    expect_has "SHOW QUERIES: the running query, ACTIVE, append, memory" \
        '"name":"iot_rows","id":' "$SOUT"
    expect_has "SHOW QUERIES: ACTIVE" '"status":"ACTIVE"' "$SOUT"
    expect_has "SHOW QUERIES: the socket's guarantee is none (R69)" '"guarantee":"none' "$SOUT"
    sess ".mode jsonl
SHOW PROGRESS iot_rows;
.mode csv"
    printf '%s\n' "$SOUT" >"$TMP/live.jsonl"
    lines_db "$TMP/live.jsonl" "$TMP/live.db"
    # pieces of at most 200 bytes make many batches: only the last 100 are kept
    expect_eq "SHOW PROGRESS: the last batch ends at the offset of the last line" \
        "$((NLINES - 1))" "$(sqlq "$TMP/live.db" "SELECT
            json_extract(json_extract(line, '\$.progress'), '\$.sources[0].endOffset')
            FROM raw ORDER BY json_extract(line, '\$.batchId') DESC LIMIT 1")"
    sess "STOP QUERY iot_rows;
.mode jsonl
SHOW QUERIES;
.mode csv"
    expect_has "STOP QUERY: the query is STOPPED" '"status":"STOPPED"' "$SOUT"
    sess "SELECT count(*) FROM iot_rows;"
    expect_eq "STOP QUERY: the memory table stays" "$NLINES" "$SOUT"
    deadline=$((SECONDS + 3))
    until grep -q 'client 1: closed by the client' "$TMP/live.log" || [ $SECONDS -ge $deadline ]; do
        sleep 0.05
    done
    # a stopped (or failed) query closes its sockets at once, as Spark's stop()
    expect_has "STOP QUERY closes the connection (within 3 s)" "client 1: closed by the client" \
        "$(cat "$TMP/live.log")"
    stop_ls "$LIVE_PID"
else
    not_ok "the line server starts (live)"
fi

# reconnect true: three connections of 50 lines each, every one closed by
# the server; the query goes on and gets all of them.
if start_ls rec --clients 3 --close-after 50 "$DATA"; then
    sess "CREATE STREAM rs USING socket OPTIONS (host '127.0.0.1', port $LS_PORT, reconnect true);
START QUERY rq USING memory AS SELECT value FROM rs;"
    check "reconnect true: the lines of three connections arrive" \
        sess_until "SELECT count(*) FROM rq;" 150
    sess "SELECT count(DISTINCT value), count(*) FROM rq;"
    expect_eq "reconnect true: each connection sent the same 50 lines" "50,150" "$SOUT"
    sess ".mode jsonl
SHOW QUERIES;
.mode csv"
    expect_has "reconnect true: the query is still ACTIVE" '"name":"rq","id":' "$SOUT"
    check "reconnect true: rq ACTIVE" grep -q '"name":"rq".*"status":"ACTIVE"' <<<"$SOUT"
    sess "STOP QUERY rq;"
    stop_ls "$LS_PID"
else
    not_ok "the line server starts (reconnect)"
fi
exec 8>&-
deadline=$((SECONDS + 10))
while kill -0 "$SESS_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
if kill -0 "$SESS_PID" 2>/dev/null; then
    not_ok "the session ends at the end of its input"
else
    wait "$SESS_PID"
    expect_eq "the session ends at the end of its input, without error" 0 "$?"
fi
note_sanitizer "$TMP/sess.err"

# ---- a connection reset in the middle of the data ------------------------

if start_ls rst --clients 1 --close-after 100 --reset "${LATE[@]}" "$DATA"; then
    cat >"$TMP/rst.sql" <<EOF
CREATE STREAM s USING socket OPTIONS (host '127.0.0.1', port $LS_PORT);
START QUERY q USING memory AS SELECT * FROM s;
AWAIT QUERY q TIMEOUT '20 seconds';
EOF
    sq "$TMP/rst.sql"
    expect_has "reset: the query fails with a message naming the server" \
        "terminated with error: connection to 127.0.0.1:$LS_PORT" "$ERR"
    stop_ls "$LS_PID"
else
    not_ok "the line server starts (reset)"
fi

# ---- hostile input ---------------------------------------------------------
# 60 lines of the data file and 20 garbage lines between them (each kind
# once): no crash, no hang, one row per line, the good records still parsed.

head -60 "$DATA" >"$TMP/sub.jsonl"
iot_db "$TMP/sub.jsonl" "$TMP/sub.db" 2>/dev/null
E_SUB_AT=$(sqlq "$TMP/sub.db" "SELECT count(Arrival_Time) FROM iot")
if start_ls garbage --clients 2 --garbage --dump "$TMP/garbage.bin" "${LATE[@]}" "$TMP/sub.jsonl"; then
    # what the dump holds: lines (the last one has no newline), the longest
    # without its terminator, and how many exceed 65536 bytes
    read -r G_LINES G_MAX G_LONG < <(LC_ALL=C awk '{ sub(/\r$/, "")
        if (length($0) > m) m = length($0); if (length($0) > 65536) k++ } END { print NR, m, k }' \
        "$TMP/garbage.bin")
    cat >"$TMP/garbage.sql" <<EOF
.mode csv
.headers off
CREATE STREAM g USING socket OPTIONS (host '127.0.0.1', port $LS_PORT);
CREATE STREAM g2 USING socket OPTIONS (host '127.0.0.1', port $LS_PORT, maxBufferBytes 65536);
START QUERY gq USING memory AS SELECT octet_length(value) AS len, json.*
  FROM (SELECT value, from_json(value, '$SCHEMA') AS json FROM g);
START QUERY gq2 USING memory AS SELECT octet_length(value) AS len FROM g2;
AWAIT QUERY gq TIMEOUT '20 seconds';
AWAIT QUERY gq2 TIMEOUT '20 seconds';
.print @@g
SELECT count(*), count(Arrival_Time), max(len) FROM gq;
.print @@tail
SELECT gt FROM gq WHERE User = 'tail';
.print @@g2
SELECT count(*), max(len), sum(CASE WHEN len = 65536 THEN 1 ELSE 0 END) FROM gq2;
.mode jsonl
.print @@g2progress
SHOW PROGRESS gq2;
EOF
    sq "$TMP/garbage.sql"
    check "garbage: sluice exits on its own (no crash, no hang)" test "$RC" -eq 1
    expect_eq "garbage: one row per line, the records still parsed, long lines whole" \
        "$G_LINES,$E_SUB_AT,$G_MAX" "$(section g)"
    expect_eq "garbage: a last line without a newline is a line" "unterminated" "$(section tail)"
    expect_eq "garbage, maxBufferBytes 65536: one row per line, longer lines cut to 65536 bytes" \
        "$G_LINES,65536,$G_LONG" "$(section g2)"
    section g2progress >"$TMP/g2.jsonl"
    lines_db "$TMP/g2.jsonl" "$TMP/g2.db"
    expect_eq "garbage, maxBufferBytes 65536: the cut lines are bad records" "$G_LONG" \
        "$(sqlq "$TMP/g2.db" "SELECT sum(json_extract(json_extract(line, '\$.progress'),
            '\$.sources[0].metrics.numBadRecords')) FROM raw")"
    expect_has "garbage: the query ends with the closed connection, nothing else" \
        "closed by the peer" "$ERR"
    stop_ls "$LS_PID"
else
    not_ok "the line server starts (garbage)"
fi

# ---- START QUERY against a server that sends its lines and closes at once --
# The query opens, runs its batches and fails (closed by the peer) on its
# own thread; START QUERY must still succeed: the failure is the query's,
# shown by AWAIT QUERY, and its memory table holds the lines. The window is
# small, so 200 tries (about half a second).

head -3 "$DATA" >"$TMP/three.jsonl"
if start_ls quick --clients 0 --quiet "$TMP/three.jsonl"; then
    {
        printf '.mode csv\n.headers off\n'
        echo "CREATE STREAM s USING socket OPTIONS (host '127.0.0.1', port $LS_PORT);"
        for i in $(seq 200); do
            echo "START QUERY r$i USING memory AS SELECT * FROM s;"
            echo "AWAIT QUERY r$i TIMEOUT '10 seconds';"
            echo "SELECT 'rows', count(*) FROM r$i;"
        done
    } >"$TMP/quick.sql"
    sq "$TMP/quick.sql"
    # START reports only a failure to open as its own error: a query that
    # already ran and failed by the time START wakes up stays, and AWAIT
    # reports its error
    got="$(tr -d '\r' <<<"$OUT" | grep -cx 'rows,3') of 200 tables with 3 rows"
    expect_eq "START QUERY succeeds when the server closes at once: 200 tables of 3 rows" \
        "200 of 200 tables with 3 rows" "$got"
    [ "$got" == "200 of 200 tables with 3 rows" ] ||
        diag "$(grep -B1 -A2 '^Error: [^ ]*: connection to' <<<"$ERR" | head -8)"
    stop_ls "$LS_PID"
else
    not_ok "the line server starts (quick close)"
fi

finish
