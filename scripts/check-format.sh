#!/usr/bin/env bash
# Checks every C file against .clang-format. Prints TAP.
set -u
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h' 2>/dev/null)
[ -n "$files" ] || files=$(find src include tests bench -name '*.[ch]')
if out=$(clang-format --dry-run --Werror $files 2>&1); then
    echo "ok 1 - clang-format: $(echo "$files" | wc -w) files formatted"
else
    echo "not ok 1 - clang-format: files need 'make format'"
    echo "$out" | grep -E '^[^ ].*: error' | cut -d: -f1 | sort -u | sed 's/^/#   /'
    exit 1
fi
