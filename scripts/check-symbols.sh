#!/usr/bin/env bash
# Checks that every global symbol the engine library defines starts with
# "sl_" (public API) or "sl__" (internal, cross-file). Prints TAP.
set -u
lib=${1:?usage: check-symbols.sh LIBRARY.a}
bad=$(nm -g --defined-only "$lib" 2>/dev/null | awk 'NF == 3 {print $3}' | grep -v '^sl_' | sort -u)
if [ ! -f "$lib" ]; then
    echo "not ok 1 - exported symbols: $lib not found"
    exit 1
fi
if [ -n "$bad" ]; then
    echo "not ok 1 - exported symbols all start with sl_"
    echo "$bad" | sed 's/^/#   /'
    exit 1
fi
echo "ok 1 - exported symbols all start with sl_ ($(nm -g --defined-only "$lib" | awk 'NF == 3' | wc -l) symbols)"
