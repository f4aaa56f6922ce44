#!/usr/bin/env bash
# Runs every benchmark program and prints one table; with no --quick it also
# rewrites BENCHMARKS.md with the table and the machine it ran on.
#
#   bench/run.sh BUILD_DIR            full runs (make bench)
#   bench/run.sh BUILD_DIR --quick    small inputs, correctness only; prints TAP (CI)
set -u
BUILD=${1:-build/release}
QUICK=${2:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
status=0
n=0
for b in "$BUILD"/bench/bench_*; do
    [ -x "$b" ] || continue
    name=$(basename "$b")
    if [ "$QUICK" = "--quick" ]; then
        if SLUICE_BENCH_QUICK=1 timeout 300 "$b" >"$OUT.one" 2>&1 && ! grep -q '^BENCHFAIL' "$OUT.one" \
            && grep -q '^BENCH' "$OUT.one"; then
            n=$((n + 1)); echo "ok $n - bench $name (quick run, results checked)"
        else
            n=$((n + 1)); echo "not ok $n - bench $name"; sed 's/^/#   /' "$OUT.one" | tail -20
            status=1
        fi
        rm -f "$OUT.one"
        continue
    fi
    echo "running $name ..." >&2
    timeout 1800 "$b" | tee -a "$OUT" | grep -E '^BENCHFAIL' >&2 && status=1
done
[ "$QUICK" = "--quick" ] && exit $status

table=$(awk -F'\t' '
    BEGIN { printf "| workload | figure | unit | target | vs target | peer | vs peer |\n|---|---:|---|---:|---:|---|---:|\n" }
    $1 == "BENCH" {
        ratio = ($6 == "higher") ? $3 / $5 : $5 / $3
        peer = ($7 != "") ? $7 " (" $8 ")" : "—"
        pr = ($7 != "") ? sprintf("%.2fx", ($6 == "higher") ? $3 / $8 : $8 / $3) : "—"
        mark = (ratio >= 1) ? "" : " (miss)"
        printf "| %s | %s | %s | %s | %.2fx%s | %s | %s |\n", $2, $3, $4, $5, ratio, mark, peer, pr
    }
    $1 == "BENCHFAIL" { printf "| %s | FAILED: %s | | | | | |\n", $2, $3 }' "$OUT")
echo "$table"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')
{
    echo "# Benchmarks"
    echo
    echo "Written by \`make bench\` on $(date -u +%Y-%m-%d). Each figure is the median of several"
    echo "runs after a warm-up, single thread unless the workload says otherwise; every"
    echo "benchmark checks its results before reporting. \"vs target\" is the ratio to the"
    echo "issue's target (>= 1.00x means met)."
    echo
    echo "Machine: $cpu, $(nproc) cores, kernel $(uname -r), $(cc --version | head -1)."
    echo
    echo "$table"
    if [ -f bench/NOTES.md ]; then echo; cat bench/NOTES.md; fi
} > BENCHMARKS.md
echo "BENCHMARKS.md written" >&2
exit $status
