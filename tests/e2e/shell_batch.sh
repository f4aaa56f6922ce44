#!/usr/bin/env bash
# shell_batch.sh — end-to-end tests of the `sluice` shell run as a script:
# SQL on standard input (no banner, no prompt), -c (repeatable, in order),
# -f, mixing them, -bail, exit statuses, errors with a caret under the
# failing character (also after multi-byte UTF-8, wide characters and tabs,
# in the second statement of a line, on line N of a file, in a very long
# line), "incomplete statement at end of input", and garbage input (binary
# junk, NUL bytes, huge lines) that must never crash. Prints TAP.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TWO='+---+
|two|
+---+
|  2|
+---+'

# ---- standard input -------------------------------------------------------
run_in "SELECT 1 + 1 AS two;
"
expect_eq "stdin: SELECT 1 + 1 AS two renders Spark's show() table" "$TWO" "$OUT"
expect_rc "stdin: exit status 0" 0
expect_eq "stdin: nothing on stderr (no banner, no prompt)" "" "$ERR"

run_in "SELECT 1 + 1
   AS two
;"
expect_eq "stdin: a statement spanning lines" "$TWO" "$OUT"

run_in "SELECT 1 AS a; SELECT 2 AS b;
SELECT 3 AS c"
expect_eq "stdin: two statements on a line, the last one without ';'" \
    "$(printf '+---+\n|  a|\n+---+\n|  1|\n+---+\n+---+\n|  b|\n+---+\n|  2|\n+---+\n+---+\n|  c|\n+---+\n|  3|\n+---+')" \
    "$OUT"

run_in $'SELECT 1 + 1 AS two;\r\n'
expect_eq "stdin: CRLF line ends" "$TWO" "$OUT"

run_in ""
expect_eq "stdin: empty input prints nothing" "" "$OUT$ERR"
expect_rc "stdin: empty input, exit status 0" 0

run_in "-- only a comment
/* and a block
   comment */

"
expect_eq "stdin: comments only print nothing" "" "$OUT$ERR"
expect_rc "stdin: comments only, exit status 0" 0

run_in "SELECT 1 AS a; -- a comment after a statement
.mode csv
SELECT 2 AS b;"
expect_eq "stdin: a dot command right after 'statement; -- comment'" \
    "$(printf '+---+\n|  a|\n+---+\n|  1|\n+---+\nb\n2')" "$(tr -d '\r' <<<"$OUT")"

run_in "SELECT
.5 AS x;"
expect_has "stdin: a line starting with '.' inside a statement is SQL" "|0.5|" "$OUT"

# ---- -c ---------------------------------------------------------------------
run -c "SELEC 1"
expect_rc "-c SELEC 1: exit status 1" 1
expect_eq "-c SELEC 1: the line, a caret under S, the message" \
    "SELEC 1
^" "$(head -2 <<<"$ERR")"
expect_has "-c SELEC 1: message starts with 'Error: line 1:1: syntax error at or near 'SELEC''" \
    "Error: line 1:1: syntax error at or near 'SELEC'" "$(sed -n 3p <<<"$ERR")"
expect_eq "-c SELEC 1: nothing on stdout" "" "$OUT"

run -c "SELECT 1 AS a" -c "SELECT 2 AS b"
expect_eq "-c twice: run in order" \
    "$(printf '+---+\n|  a|\n+---+\n|  1|\n+---+\n+---+\n|  b|\n+---+\n|  2|\n+---+')" "$OUT"
expect_rc "-c twice: exit status 0" 0

run -c "SELEC 1" -c "SELECT 2 AS b"
expect_has "-c: an error does not stop the next -c" "|  b|" "$OUT"
expect_rc "-c: exit status 1 when any statement failed" 1

run -bail -c "SELEC 1" -c "SELECT 2 AS b"
expect_eq "-bail: nothing runs after the first error" "" "$OUT"
expect_rc "-bail: exit status 1" 1

run --bail -c "SELECT 1 AS a; SELEC 2; SELECT 3 AS c"
expect_lacks "--bail: stops inside one -c text too" "|  c|" "$OUT"
expect_has "--bail: what came before the error ran" "|  a|" "$OUT"

run -c "SELECT 1 AS a; SELECT 2 AS b"
expect_has "-c: several statements in one text" "|  b|" "$OUT"

# ---- -f ---------------------------------------------------------------------
cat >"$TMP/ok.sql" <<'EOF'
-- a script
CREATE VIEW v AS
  SELECT 1 + 1 AS two;

SELECT two
  FROM v;
EOF
run -f "$TMP/ok.sql"
expect_eq "-f: runs the script" "$TWO" "$OUT"
expect_rc "-f: exit status 0" 0

cat >"$TMP/bad.sql" <<'EOF'
SELECT 1 AS a;

  SELEC 2;
SELECT 3 AS c;
EOF
run -f "$TMP/bad.sql"
expect_eq "-f: the caret points into line 3 of the file" "  SELEC 2;
  ^" "$(head -2 <<<"$ERR")"
expect_has "-f: message names the file and line 3, column 3" \
    "Error: $TMP/bad.sql: line 3:3: syntax error" "$ERR"
expect_has "-f: statements after the error still run" "|  c|" "$OUT"
expect_rc "-f: exit status 1" 1

run -f "$TMP/nonexistent.sql"
expect_has "-f: a missing file is reported" "cannot open $TMP/nonexistent.sql" "$ERR"
expect_rc "-f: a missing file gives exit status 1" 1

run -c "SELECT 1 AS a" -f "$TMP/ok.sql" -c "SELECT 3 AS c"
expect_eq "-c and -f run in the order given" \
    "$(printf '+---+\n|  a|\n+---+\n|  1|\n+---+\n%s\n+---+\n|  c|\n+---+\n|  3|\n+---+' "$TWO")" \
    "$OUT"

printf 'SELECT 1 + 1 AS two;\n' >"$TMP/in.sql"
run_file_in "$TMP/in.sql" -f -
expect_eq "-f -: reads standard input" "$TWO" "$OUT"

# ---- caret placement --------------------------------------------------------
run -c "SELECT 1 AS a; SELEC 2"
expect_eq "caret under the second statement of a line" "SELECT 1 AS a; SELEC 2
               ^" "$(head -2 <<<"$ERR")"
expect_has "column counted in the whole line" "Error: line 1:16:" "$ERR"

run -c "/* été */ SELEC 1"
expect_eq "caret after multi-byte UTF-8 lines up by characters" "/* été */ SELEC 1
          ^" "$(head -2 <<<"$ERR")"
expect_has "column counted in characters, not bytes" "Error: line 1:11:" "$ERR"

run -c "/* 中文 */ SELEC 1"
expect_eq "caret after wide characters counts two columns each" "/* 中文 */ SELEC 1
           ^" "$(head -2 <<<"$ERR")"

run -c $'\t/* x */\tSELEC 1'
expect_eq "tabs are repeated in the caret line" $'\t/* x */\tSELEC 1\n\t       \t^' \
    "$(head -2 <<<"$ERR")"

run -c "SELECT 1 AS a,
       2 AS b,
  3 AS c FRM t"
expect_has "multi-line statement: error on its third line" "Error: line 3:" "$ERR"
expect_eq "multi-line statement: only the failing line is printed" "  3 AS c FRM t" \
    "$(head -1 <<<"$ERR")"

long=$(printf 'x%.0s' $(seq 1 5000))
run -c "SELECT '$long' AS s, SELEC"
first=$(head -1 <<<"$ERR")
caretl=$(sed -n 2p <<<"$ERR")
check "a 5000-character line is cut to a window around the caret" \
    test "${#first}" -lt 200 -a "${first:0:3}" == "..."
check "the caret still lines up in the window" \
    test "${first:$((${#caretl} - 1)):5}" == "SELEC"

# ---- incomplete input at the end -----------------------------------------------
run_in "SELECT 'abc"
expect_has "unterminated quote at EOF: reported" "incomplete statement at end of input" "$ERR"
expect_rc "unterminated quote at EOF: exit status 1" 1

run_in "SELECT 1 AS a; /* never closed"
expect_has "unterminated block comment at EOF: reported" "incomplete statement at end of input" \
    "$ERR"
expect_has "unterminated block comment: the statement before it ran" "|  a|" "$OUT"

run -c 'SELECT `abc'
expect_has "unterminated backtick in -c: reported" "incomplete statement at end of input" "$ERR"
expect_rc "unterminated backtick in -c: exit status 1" 1

run_in "SELECT 1 + 1 AS two -- no semicolon, a comment"
expect_eq "last statement without ';' ending in a -- comment still runs" "$TWO" "$OUT"

# ---- Ctrl-C in a script ---------------------------------------------------------
probe_slow
if [ "$HAVE_SLOW" = 1 ]; then
    "$SLUICE" -c "$SLOW_SETUP" -c "$SLOW_SQL" -c "SELECT 'after' AS x" </dev/null \
        >"$TMP/int.out" 2>"$TMP/int.err" &
    pid=$!
    E2E_PIDS+=("$pid")
    sleep 1
    kill -INT "$pid"
    start=$SECONDS
    wait "$pid"
    RC=$?
    ERR=$(cat "$TMP/int.err")
    note_sanitizer "$TMP/int.err"
    expect_rc "SIGINT during a statement of a script: exit status 130" 130
    check "... the statement stops within 5 s" test $((SECONDS - start)) -le 5
    expect_has "... is reported on stderr" "Error" "$ERR"
    expect_lacks "... and the script stops there" "after" "$(cat "$TMP/int.out")"
else
    skip "SIGINT during a statement of a script stops it (exit status 130)" \
        "the engine has no statement slow enough yet"
fi

# ---- garbage ------------------------------------------------------------------
crashed=0
for seed in 1 2 3 4 5 6 7 8; do
    # deterministic junk: bytes from a seeded generator (awk's rand)
    awk -v s=$seed 'BEGIN { srand(s); for (i = 0; i < 4000; i++) printf "%c", int(rand() * 256) }' \
        >"$TMP/junk$seed"
    run_file_in "$TMP/junk$seed"
    if [ "$RC" -ne 0 ] && [ "$RC" -ne 1 ]; then
        crashed=1
        diag "junk seed $seed: exit status $RC"
    fi
done
check "binary junk on stdin: exit status 0 or 1, never a crash" test $crashed = 0

printf 'SELECT 1 AS a;\0SELECT\0 2;\n\0\0\0;\n' >"$TMP/nul"
run_file_in "$TMP/nul"
check "NUL bytes: exit status 0 or 1" test "$RC" -le 1

head -c 2000000 /dev/zero | tr '\0' 'x' >"$TMP/huge"
printf ';\n' >>"$TMP/huge"
run_file_in "$TMP/huge"
check "a 2 MB line: handled (exit status 1, an error)" test "$RC" -eq 1
check "a 2 MB line: the error line is cut short" test "$(head -1 <<<"$ERR" | wc -c)" -lt 400

printf '\x1b[31m\x07SELEC 1;\n' >"$TMP/ctl"
run_file_in "$TMP/ctl"
expect_eq "control characters are shown as '?' in the error line" "?[31m?SELEC 1;" \
    "$(head -1 <<<"$ERR")"

run_in "$(printf '.%s\n' "$(head -c 300 /dev/zero | tr '\0' 'z')")"
expect_rc "a long unknown dot command: exit status 1" 1
expect_has "a long unknown dot command: reported" "unknown command" "$ERR"

run_in "'''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''';"
check "a run of quotes: exit status 0 or 1" test "$RC" -le 1

finish
