#!/usr/bin/env bash
# shell_interactive.sh — the `sluice` shell in a real pseudo-terminal (a
# private tmux server): banner and `sluice> ` prompt, a statement typed over
# two lines (`   ...> ` continuation prompt, result after the ';'), dot
# commands, tabs typed as text, an error with its caret, Ctrl-C at the prompt
# and at the continuation prompt (the typed text is dropped, the shell stays), Ctrl-C
# during a long statement (cancelled, the shell stays), output of a
# background streaming query printed above the prompt without breaking the
# line being typed, history written to ~/.sluice_history and recalled with
# Up in a new shell, Ctrl-D to leave. Sub-cases the engine cannot run yet
# (no slow statement, no streaming) are reported as skipped. Prints TAP.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# step DESC COMMAND...: a test case that is a tm_wait or similar.
step() {
    local desc=$1
    shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# last_line NAME: the last non-blank line of the screen.
last_line() {
    tm capture-pane -p -t "$1" | sed '/^[[:space:]]*$/d' | tail -1
}

# ---- what the engine can do today ------------------------------------------------
probe_slow
# A streaming query writing to the console every half second.
STREAM_SETUP="CREATE STREAM ticks USING rate OPTIONS (rowsPerSecond 2)"
STREAM_START="START QUERY bg USING console OPTIONS (trigger '500 milliseconds') AS SELECT value FROM ticks"
timeout 10 "$SLUICE" -c "$STREAM_SETUP" -c "$STREAM_START" >/dev/null 2>&1 </dev/null
HAVE_STREAM=$([ $? -eq 0 ] && echo 1 || echo 0)

# ---- first shell ------------------------------------------------------------------
tm_start a
step "banner and the 'sluice> ' prompt" tm_wait a "sluice> "
expect_has "banner points to .help" 'Enter ".help" for usage hints' "$(tm_screen a)"

tm_type a "SELECT 1 + 1"
tm_keys a Enter
step "an open statement gets the continuation prompt '   ...> '" tm_wait a "   ...> "
tm_type a "AS two;"
tm_keys a Enter
step "the result appears after the ';'" tm_wait a "|  2|"
expect_has "the two lines stay on screen with their prompts" "sluice> SELECT 1 + 1
   ...> AS two;
+---+
|two|
+---+
|  2|
+---+" "$(tm_screen a)"

tm_type a "SELECT 'garbage' FRM"
tm_keys a C-c
step "Ctrl-C at the prompt echoes ^C" tm_wait a "^C"
step "... and gives a fresh prompt" tm_wait a "sluice> " 3
tm_type a "SELECT 3 AS three;"
tm_keys a Enter
step "... and the dropped text is not run with the next statement" tm_wait a "|    3|"

tm_type a "SELECT 4 +"
tm_keys a Enter
step "continuation prompt again" tm_wait a "   ...> " 2
tm_keys a C-c
step "Ctrl-C at the continuation prompt" tm_wait a "^C" 2
step "... goes back to the main prompt" test "$(last_line a)" == "sluice>"
tm_type a "SELECT 5 AS five;"
tm_keys a Enter
step "... and drops the open statement" tm_wait a "|   5|"
expect_lacks "no error so far" "Error" "$(tm_screen a)"

tm_type a "SELEC 1;"
tm_keys a Enter
step "a syntax error is shown with its message" tm_wait a "Error: line 1:1: syntax error"
expect_has "... under the line and a caret" "SELEC 1;
^
Error: line 1:1:" "$(tm_screen a)"

tm_type a ".mode csv"
tm_keys a Enter
tm_type a "SELECT 6 AS six;"
tm_keys a Enter
step "a dot command (.mode csv) takes effect" tm_wait a "six"
tm_type a ".mode table"
tm_keys a Enter

tm_type a $'SELECT\t11 AS\televen;'
tm_keys a Enter
step "a tab is text, not completion (pasted SQL with tabs runs)" tm_wait a "|    11|"

if [ "$HAVE_SLOW" = 1 ]; then
    tm_type a "$SLOW_SETUP;"
    tm_keys a Enter
    tm_wait a "sluice> " 9 >/dev/null
    errs_before=$(tm_screen a | grep -c "^Error")
    tm_type a "$SLOW_SQL;"
    tm_keys a Enter
    sleep 1
    tm_keys a C-c
    step "Ctrl-C during a long statement cancels it" tm_wait a "Error" $((errs_before + 1)) 10
    step "... and the shell stays: a fresh prompt" tm_wait a "sluice> " 11
    tm_type a "SELECT 7 AS seven;"
    tm_keys a Enter
    step "... that runs the next statement" tm_wait a "|    7|"
    printf '%s;\nSELECT 9 AS nine;\n' "$SLOW_SQL" >"$TMP/slow.sql"
    errs_before=$(tm_screen a | grep -c "^Error")
    tm_type a ".read $TMP/slow.sql"
    tm_keys a Enter
    sleep 1
    tm_keys a C-c
    step "Ctrl-C during .read cancels the statement" tm_wait a "Error" $((errs_before + 1)) 10
    tm_type a "SELECT 10 AS ten;"
    tm_keys a Enter
    step "... and leaves the file: the shell is back at the prompt" tm_wait a "| 10|"
    expect_lacks "... without running the rest of the file" "nine" "$(tm_screen a)"
    errs_before=$(tm_screen a | grep -c "^Error")
    tm_type a "$SLOW_SQL; SELECT 12 AS twelve;"
    tm_keys a Enter
    sleep 1
    tm_keys a C-c
    step "Ctrl-C cancels the first of two statements on a line" \
        tm_wait a "Error" $((errs_before + 1)) 10
    tm_type a "SELECT 13 AS thirteen;"
    tm_keys a Enter
    tm_wait a "|      13|" >/dev/null
    expect_lacks "... and drops the second one" "twelve|" "$(tm_screen a)"
else
    skip "Ctrl-C during a long statement cancels it" "the engine has no statement slow enough yet"
fi

if [ "$HAVE_STREAM" = 1 ]; then
    tm_type a "$STREAM_SETUP;"
    tm_keys a Enter
    tm_type a "$STREAM_START;"
    tm_keys a Enter
    tm_type a "SELECT 'typed'"
    step "console output of a background query appears" tm_wait a "Batch: 2" 1 20
    sleep 0.3
    step "... above the prompt, which is redrawn with the typed text" \
        test "$(last_line a)" == "sluice> SELECT 'typed'"
    check "... and never in the middle of a prompt line" \
        test -z "$(tm_screen a | grep -E '.(sluice> |Batch: )')"
    tm_keys a C-u
    tm_type a "STOP QUERY bg;"
    tm_keys a Enter
else
    skip "console output of a background query appears above the prompt" \
        "streaming statements are not available in the engine yet"
fi

tm_type a "SELECT 8 AS eight;"
tm_keys a Enter
tm_wait a "|    8|" >/dev/null
tm_keys a C-d
step "Ctrl-D exits" tm_wait_exit a
expect_eq "exit status 1 after a failed statement" "1" "$TM_RC"

# ---- history -----------------------------------------------------------------------
HIST="$HOME/.sluice_history"
check "history written to ~/.sluice_history" test -s "$HIST"
# libedit writes entries vis(3)-encoded: a blank is \040.
hist=$(sed 's/\\040/ /g' "$HIST" 2>/dev/null)
expect_has "a two-line statement is one history entry" "SELECT 1 + 1 AS two;" "$hist"
expect_has "dot commands are in the history" ".mode csv" "$hist"
expect_lacks "text dropped by Ctrl-C is not" "garbage" "$hist"

tm_start b
tm_wait b "sluice> " >/dev/null
tm_keys b Up
step "Up recalls the last statement of the previous shell" tm_wait b "sluice> SELECT 8 AS eight;"
tm_keys b Enter
step "Enter runs the recalled statement" tm_wait b "|    8|"
tm_keys b C-d
step "Ctrl-D exits the second shell" tm_wait_exit b
expect_eq "exit status 0 when nothing failed" "0" "$TM_RC"

# ---- -c with a terminal is not interactive -------------------------------------------
tm_start c -c "SELECT 1 + 1 AS two"
step "-c on a terminal runs and exits" tm_wait_exit c
expect_lacks "-c on a terminal: no banner, no prompt" "sluice> " "$(tm_screen c)"

finish
