#!/usr/bin/env bash
# One trust policy of many statements, scanned whole (issue 9 point 6: cost
# linear in policy size, 100,000 statements in seconds): median wall and
# CPU time, peak RSS and µs per statement for each size, optionally beside
# a saved binary (before/after a change). Runs alternate between binaries.
#
#   bash bench/large-policy.sh
#   RUNS=5 SIZES="20000 100000" BASE=/path/to/trustlint-before bash bench/large-policy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
RUNS=${RUNS:-3}
SIZES=${SIZES:-"10000 20000 40000 100000"}
BASE=${BASE:-}

CGO_ENABLED=0 go build -o "$out/trustlint" ./cmd/trustlint
bins=("$out/trustlint")
[ -n "$BASE" ] && bins=("$BASE" "$out/trustlint")

. bench/lib.sh # median

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $RUNS runs; trustlint scan --format sarif"
printf '%-8s %-10s %9s %9s %8s %9s\n' statements binary "wall s" "cpu s" "MB" "µs/stmt"
for n in $SIZES; do
	pol="$out/policy-$n.json"
	[ -e "$pol" ] || go run bench/genexport.go -policy "$n" -o "$pol"
	for b in "${bins[@]}"; do : >"$out/large.$(basename "$b")"; done
	for _ in $(seq "$RUNS"); do
		for b in "${bins[@]}"; do
			# exit 1: findings; GNU time adds a line on a non-zero exit
			/usr/bin/time -f "%e %U %S %M" -o "$out/time.txt" "$b" scan --quiet --format sarif --output "$out/large.sarif" "$pol" 2>/dev/null || true
			tail -n 1 "$out/time.txt" | awk '{print $1, $2 + $3, $4}' >>"$out/large.$(basename "$b")"
		done
	done
	for b in "${bins[@]}"; do
		f="$out/large.$(basename "$b")"
		wall=$(awk '{print $1}' "$f" | median)
		cpu=$(awk '{print $2}' "$f" | median)
		mb=$(awk '{print $3}' "$f" | median | awk '{printf "%.0f", $1/1024}')
		printf '%-8s %-10s %9.2f %9.2f %8s %9.1f\n' "$n" "$(basename "$b")" "$wall" "$cpu" "$mb" "$(awk -v w="$wall" -v n="$n" 'BEGIN {print w*1e6/n}')"
	done
done
