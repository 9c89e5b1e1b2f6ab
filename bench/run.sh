#!/usr/bin/env bash
# Whole-process benchmarks: what a pre-commit hook pays for one small file,
# what a Terraform repository of module calls costs (bench/gentfmodules.go)
# and what an audit of a large account export costs, with peak memory.
# Prints medians over several runs; the machines are noisy, so compare
# medians and ratios, never single runs.
#
#   bash bench/run.sh            # default sizes
#   RUNS=11 SIZES="5000 20000" bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
RUNS=${RUNS:-7}
SIZES=${SIZES:-"5000 10000 20000"}

CGO_ENABLED=0 go build -o "$out/trustlint" ./cmd/trustlint

. bench/lib.sh # median

# run_case NAME RUNS ARGS...: prints median wall seconds and max peak RSS (MB)
run_case() {
	local name=$1 runs=$2; shift 2
	local times=() rss=()
	for _ in $(seq "$runs"); do
		/usr/bin/time -f "%e %M" -o "$out/time.txt" "$out/trustlint" "$@" >/dev/null 2>&1 || true
		read -r t m < <(tail -n 1 "$out/time.txt") # GNU time adds a line on a non-zero exit
		times+=("$t"); rss+=("$m")
	done
	local tmed rmax
	tmed=$(printf '%s\n' "${times[@]}" | median)
	rmax=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
	printf '%-34s median %6.3f s   peak RSS %6.1f MB   (runs: %s)\n' "$name" "$tmed" "$(awk -v k="$rmax" 'BEGIN {print k/1024}')" "${times[*]}"
}

echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3)"
run_case "one small policy file" $((RUNS * 3)) scan testdata/examples/partner-trust.json
tfmod="$out/tfmod"
[ -d "$tfmod" ] || go run bench/gentfmodules.go -stacks 200 -vendors 5 -o "$tfmod"
run_case "terraform: 200 stacks of module calls" "$RUNS" scan "$tfmod"
for n in $SIZES; do
	f="$out/export-$n.json"
	[ -f "$f" ] || go run bench/genexport.go -roles "$n" -o "$f"
	size=$(du -m "$f" | cut -f1)
	run_case "export $n roles (${size} MB)" "$RUNS" scan "$f"
done
