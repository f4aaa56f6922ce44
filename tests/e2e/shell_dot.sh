#!/usr/bin/env bash
# shell_dot.sh — end-to-end tests of the shell's dot commands, run through
# -c and scripts: every .mode (and the --mode / -csv ... flags that match
# them), .headers, .maxrows and .truncate (Spark show()'s numRows and
# truncate, defaults 20/20), .timer, .read (nested, missing, recursive),
# .output (to a file and back), .tables, .schema, .bail, .quit / .exit N,
# .print, .show, .help and unknown commands. The exact text of each mode is
# the engine's (tests/sql checks it); here the shell must pick the mode and
# route the output. Prints TAP.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

Q="SELECT 1 + 1 AS two"
nocr() { tr -d '\r' <<<"$1"; }
nospace() { tr -d ' \r' <<<"$1"; }

# ---- .mode ------------------------------------------------------------------
run -c ".mode table" -c "$Q"
expect_eq ".mode table: Spark's show() table" '+---+
|two|
+---+
|  2|
+---+' "$OUT"

run -c ".mode csv" -c "$Q"
expect_eq ".mode csv: header line, then the row" "two
2" "$(nocr "$OUT")"

run -c ".mode json" -c "$Q"
expect_eq ".mode json: one array of objects" '[{"two":2}]' "$(nospace "$OUT" | tr -d '\n')"

run -c ".mode jsonl" -c "$Q"
expect_eq ".mode jsonl: one object per line" '{"two":2}' "$(nospace "$OUT")"

run -c ".mode markdown" -c "$Q"
md=$(nospace "$OUT")
check ".mode markdown: header, |---| rule, row" \
    test "$(sed -n 1p <<<"$md")" == "|two|" -a "$(sed -n 3p <<<"$md")" == "|2|" \
    -a -n "$(sed -n 2p <<<"$md" | grep -E '^\|:?-{3,}:?\|$')"

run -c ".mode line" -c "$Q"
expect_eq ".mode line: column = value" "two = 2" "$(sed 's/  */ /g; s/^ //' <<<"$OUT")"

for m in table csv json jsonl markdown line; do
    run -c ".mode $m" -c "$Q"
    want=$OUT
    run --mode $m -c "$Q"
    a=$OUT
    run "-$m" -c "$Q"
    expect_eq "--mode $m and -$m print what .mode $m prints" "$want
$want" "$a
$OUT"
done

run -c ".mode csv" -c ".mode"
expect_eq ".mode alone prints the current mode" "current output mode: csv" "$OUT"

run -c ".mode bogus"
expect_rc ".mode bogus: exit status 1" 1
expect_has ".mode bogus: usage on stderr" "usage: .mode table|csv|json|jsonl|markdown|line" "$ERR"

# ---- .headers ---------------------------------------------------------------
run -c ".mode csv" -c ".headers off" -c "$Q"
expect_eq ".headers off: CSV without the header line" "2" "$(nocr "$OUT")"
run -csv -noheader -c "$Q"
expect_eq "-noheader: the same from the command line" "2" "$(nocr "$OUT")"
run -c ".headers maybe"
expect_rc ".headers maybe: exit status 1" 1

# ---- .maxrows / .truncate ------------------------------------------------------
ROWS25="SELECT a FROM VALUES $(seq -s, 1 25 | sed 's/\([0-9]*\)/(\1)/g') AS t(a)"
run -c "$ROWS25"
expect_has "default maxrows is 20 (Spark's show())" "only showing top 20 rows" "$OUT"
check "default maxrows: 20 data rows" test "$(grep -cE '^\| *[0-9]+\|$' <<<"$OUT")" -eq 20

run -c ".maxrows 2" -c "$ROWS25"
expect_has ".maxrows 2: footer" "only showing top 2 rows" "$OUT"
check ".maxrows 2: 2 data rows" test "$(grep -cE '^\| *[0-9]+\|$' <<<"$OUT")" -eq 2

run -c ".maxrows -1" -c "$ROWS25"
expect_lacks ".maxrows -1: no footer" "only showing" "$OUT"
check ".maxrows -1: all 25 rows" test "$(grep -cE '^\| *[0-9]+\|$' <<<"$OUT")" -eq 25

run -c ".maxrows x"
expect_rc ".maxrows x: exit status 1" 1

LONG="SELECT 'abcdefghijklmnopqrstuvwxyz' AS s"
run -c "$LONG"
expect_has "default truncate is 20: 17 characters and '...'" "|abcdefghijklmnopq...|" "$OUT"
run -c ".truncate 5" -c "$LONG"
expect_has ".truncate 5: 2 characters and '...'" "|ab...|" "$OUT"
run -c ".truncate 0" -c "$LONG"
expect_has ".truncate 0: never cut" "|abcdefghijklmnopqrstuvwxyz|" "$OUT"
run -c ".truncate off" -c "$LONG"
expect_has ".truncate off: never cut" "|abcdefghijklmnopqrstuvwxyz|" "$OUT"
run -c ".truncate -3"
expect_rc ".truncate -3: exit status 1" 1

# ---- .timer -----------------------------------------------------------------------
run -c ".timer on" -c "$Q"
check ".timer on: 'Run Time: real X.XXX user X.XXX sys X.XXX' after the result" \
    grep -qE '^Run Time: real [0-9]+\.[0-9]{3} user [0-9]+\.[0-9]{3} sys [0-9]+\.[0-9]{3}$' \
    <<<"$(tail -1 <<<"$OUT")"
run -c ".timer on" -c ".timer off" -c "$Q"
expect_lacks ".timer off: no timing line" "Run Time" "$OUT"
run -c ".timer on" -c "SELEC 1"
expect_has ".timer on: timed also when the statement fails" "Run Time:" "$OUT"

# ---- .read ------------------------------------------------------------------------
cat >"$TMP/inner.sql" <<'EOF'
.mode csv
SELECT 'inner' AS who;
EOF
cat >"$TMP/outer.sql" <<EOF
SELECT 'outer' AS who;
.read $TMP/inner.sql
SELECT 'after' AS who;
EOF
run -c ".read $TMP/outer.sql"
expect_eq ".read: runs the file, nested .read too, and its .mode stays" "+-----+
|  who|
+-----+
|outer|
+-----+
who
inner
who
after" "$(nocr "$OUT")"
expect_rc ".read: exit status 0" 0

run -c ".read $TMP/missing.sql"
expect_rc ".read of a missing file: exit status 1" 1
expect_has ".read of a missing file: reported" "cannot open $TMP/missing.sql" "$ERR"

echo ".read $TMP/self.sql" >"$TMP/self.sql"
run -c ".read $TMP/self.sql"
expect_rc ".read of itself: exit status 1, no crash" 1
expect_has ".read of itself: depth limit reported" "nested more than" "$ERR"

printf 'SELECT 1 AS a;\nSELEC 2;\n' >"$TMP/err.sql"
run -c ".read $TMP/err.sql"
expect_has ".read: errors name the file and its line" "Error: $TMP/err.sql: line 2:1:" "$ERR"

run -c ".read"
expect_rc ".read without FILE: exit status 1" 1

# ---- .output -----------------------------------------------------------------------
run -c ".output $TMP/o.txt" -c "SELECT 'to file' AS x" -c ".output" -c "SELECT 'to stdout' AS y"
expect_has ".output FILE: the result is in the file" "to file" "$(cat "$TMP/o.txt")"
expect_lacks ".output FILE: ... and not on stdout" "to file" "$OUT"
expect_has ".output alone: back to stdout" "to stdout" "$OUT"
expect_lacks ".output alone: ... and not in the file" "to stdout" "$(cat "$TMP/o.txt")"

run -c ".output $TMP/o2.txt" -c "SELEC 1"
expect_has ".output FILE: errors still go to stderr" "Error: line 1:1:" "$ERR"

run -c ".output $TMP/o3.txt" -c "SELECT 1 AS a" -c ".output $TMP/o3.txt" -c "SELECT 2 AS b"
expect_lacks ".output FILE again truncates it" "|  a|" "$(cat "$TMP/o3.txt")"

run -c ".output $TMP/no/such/dir/o.txt"
expect_rc ".output to an impossible path: exit status 1" 1
expect_has ".output to an impossible path: reported" "cannot write" "$ERR"

# ---- .tables / .schema ---------------------------------------------------------------
V="CREATE VIEW v AS SELECT 1 + 1 AS two, 'x' AS s"
run -c "$V" -c ".tables"
check ".tables lists the view" grep -qE '^\| *v\|' <<<"$OUT"

run -c "$V" -c ".schema v"
expect_eq ".schema v: printSchema tree" "root
 |-- two: integer (nullable = X)
 |-- s: string (nullable = X)" "$(sed 's/nullable = [a-z]*/nullable = X/' <<<"$OUT")"

run -c "$V" -c '.schema `v`'
expect_has ".schema \`v\`: backticks accepted" "root" "$OUT"

run -c "$V" -c ".schema"
expect_eq ".schema alone: every table, titled" "v:
root" "$(head -2 <<<"$OUT")"

run -c ".schema nosuch"
expect_rc ".schema of an unknown name: exit status 1" 1
expect_has ".schema of an unknown name: reported" "nosuch" "$ERR"

# ---- .bail / .quit / .exit -----------------------------------------------------------
run -c ".bail on" -c "SELEC 1" -c "SELECT 2 AS b"
expect_lacks ".bail on: stops at the first error" "|  b|" "$OUT"
expect_rc ".bail on: exit status 1" 1
run -bail -c ".bail off" -c "SELEC 1" -c "SELECT 2 AS b"
expect_has ".bail off: overrides -bail" "|  b|" "$OUT"

run -c ".quit" -c "SELECT 1 AS a"
expect_eq ".quit: nothing runs after it" "" "$OUT"
expect_rc ".quit: exit status 0" 0
run_in "SELECT 1 AS a;
.exit 3
SELECT 2 AS b;"
expect_rc ".exit 3: exit status 3" 3
expect_lacks ".exit 3: nothing runs after it" "|  b|" "$OUT"
run -c ".exit 300"
expect_rc ".exit 300: refused, exit status 1" 1

# ---- .print / .show / .help / unknown -------------------------------------------------
run -c ".print hello   'big world'"
expect_eq ".print: words joined by one space, quotes keep blanks" "hello big world" "$OUT"

run -c ".mode csv" -c ".show"
expect_has ".show: the current mode" "mode: csv" "$OUT"
expect_has ".show: the default maxrows" "maxrows: 20" "$OUT"

run -c ".help"
expect_rc ".help: exit status 0" 0
for c in .bail .exit .headers .help .maxrows .mode .output .quit .read .schema .tables .timer \
    .truncate; do
    grep -qE "^\\$c( |$)" <<<"$OUT" || not_ok ".help lists $c"
done
ok ".help lists every command"

run -c ".frobnicate"
expect_rc "unknown dot command: exit status 1" 1
expect_has "unknown dot command: reported" 'unknown command or invalid arguments: "frobnicate"' \
    "$ERR"

finish
