#!/usr/bin/env bash
# Side-by-side benchmark of trustlint against conftest (and, optionally, a
# saved trustlint binary: before/after a change) on the generated corpora of
# ../shared/bench (gen.py, seed 42). Every run of every tool alternates with
# the others, so a busy machine slows them alike; compare medians and ratios.
#
#   bash bench/peers.sh                        # all workloads, 7 runs each
#   RUNS=11 WORKLOADS="one-tf export" bash bench/peers.sh
#   BASE=/path/to/trustlint-before bash bench/peers.sh   # adds a "before" column
#
# Environment:
#   CACHE      where conftest, the corpora and reports go (outside the
#              repository); default ${XDG_CACHE_HOME:-$HOME/.cache}/trustlint-bench
#   GEN        the corpus generator; default ../shared/bench/gen.py
#   POLICY     conftest's one-rule policy; default ../shared/bench/conftest
#   CONFTEST   conftest binary; default $CACHE/conftest, built with
#              go install github.com/open-policy-agent/conftest@v0.69.0
#   TRUSTLINT  trustlint binary; default: built from this checkout
#   FORMAT     trustlint report format (json, sarif, text); default sarif
#   RUNS       runs per tool and workload; default 7
#   WORKLOADS  subset of: startup one-tf one-cfn tf cfn export; startup
#              runs `version` (conftest --version): the process floor of
#              each tool on this machine, which no scan can go below
#
# trustlint runs with the configuration gen.py assumes (own account
# 111122223333, trusted account 444455556666, max session 3600 s), and
# writes its report to a file in $CACHE, as conftest does (never /dev/null).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/trustlint-bench}
GEN=${GEN:-$repo/../shared/bench/gen.py}
POLICY=${POLICY:-$repo/../shared/bench/conftest}
CONFTEST=${CONFTEST:-$CACHE/conftest}
FORMAT=${FORMAT:-sarif}
RUNS=${RUNS:-7}
WORKLOADS=${WORKLOADS:-"startup one-tf one-cfn tf cfn export"}
BASE=${BASE:-}
mkdir -p "$CACHE"

if [ ! -x "$CONFTEST" ]; then
	echo "building conftest v0.69.0 into $(dirname "$CONFTEST")" >&2
	(cd "$CACHE" && GOBIN=$(dirname "$CONFTEST") GOFLAGS=-mod=mod go install github.com/open-policy-agent/conftest@v0.69.0)
fi
if [ -z "${TRUSTLINT:-}" ]; then
	TRUSTLINT=$CACHE/trustlint
	(cd "$repo" && CGO_ENABLED=0 go build -o "$TRUSTLINT" ./cmd/trustlint)
fi

corpus=$CACHE/corpus
gen() { [ -e "$corpus/$2" ] || python3 "$GEN" "$1" "$3" "$corpus/$2" >&2; }
mkdir -p "$corpus/export"
gen terraform tf 2000
gen cfn cfn 2000
gen export export/auth.json 20000
gen list-roles export/roles.json 20000

cfg=$CACHE/trustlint.yaml
cat >"$cfg" <<'EOF'
own_account: "111122223333"
trusted_accounts: ["444455556666"]
max_session_duration: 3600
EOF

target() {
	case $1 in
	startup) echo "" ;;
	one-tf) echo "$corpus/tf/stack_0000/roles_00000.tf" ;;
	one-cfn) echo "$corpus/cfn/stack_0000/template_00000.yaml" ;;
	tf) echo "$corpus/tf" ;;
	cfn) echo "$corpus/cfn" ;;
	export) echo "$corpus/export" ;;
	*) echo "unknown workload $1" >&2; exit 2 ;;
	esac
}

# measure TOOL BINARY TARGET: appends a line of wall time, peak memory and
# CPU time to $CACHE/times.TOOL
measure() {
	local tool=$1 bin=$2 in=$3 out=$CACHE/report.$1 start end code
	start=$(date +%s%N)
	set +e
	if [ -z "$in" ]; then
		/usr/bin/time -f "%M %U %S" -o "$CACHE/rss" "$bin" "$([ "$tool" = conftest ] && echo --version || echo version)" >"$out" 2>"$CACHE/stderr.$tool"
	elif [ "$tool" = conftest ]; then
		/usr/bin/time -f "%M %U %S" -o "$CACHE/rss" "$bin" test --no-fail --no-color --output json --policy "$POLICY" "$in" >"$out" 2>"$CACHE/stderr.$tool"
	else
		/usr/bin/time -f "%M %U %S" -o "$CACHE/rss" "$bin" scan --quiet --config "$cfg" --format "$FORMAT" --output "$out" "$in" 2>"$CACHE/stderr.$tool"
	fi
	code=$?
	set -e
	end=$(date +%s%N)
	if [ "$code" -ge 2 ]; then
		echo "$tool failed (exit $code) on $in:" >&2
		cat "$CACHE/stderr.$tool" >&2
		exit 1
	fi
	# wall microseconds, peak KB, CPU seconds (user + system)
	echo "$(((end - start) / 1000)) $(tail -n 1 "$CACHE/rss" | awk '{print $1, $2 + $3}')" >>"$CACHE/times.$tool"
}

. "$repo/bench/lib.sh" # median
col() { awk -v c="$1" '{print $c}' "$2"; }

tools=(conftest trustlint)
[ -n "$BASE" ] && tools=(conftest before trustlint)
binary() { case $1 in conftest) echo "$CONFTEST" ;; before) echo "$BASE" ;; *) echo "$TRUSTLINT" ;; esac; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $RUNS runs per tool; trustlint --format $FORMAT"
echo "wall: median milliseconds; cpu: median user+system seconds (steadier than wall on a shared machine); MB: median peak RSS"
if [ -n "$BASE" ]; then
	printf '%-8s %12s %12s %12s %8s %9s | %7s %7s %7s %8s %9s | %6s %6s\n' workload "conftest" "before" "trustlint" "tl/conf" "tl/before" "cpu c" "cpu b" "cpu tl" "tl/conf" "tl/before" "MB b" "MB tl"
else
	printf '%-8s %12s %12s %8s | %7s %7s %8s | %6s %6s\n' workload conftest trustlint "tl/conf" "cpu c" "cpu tl" "tl/conf" "MB c" "MB tl"
fi
for w in $WORKLOADS; do
	in=$(target "$w")
	for t in "${tools[@]}"; do : >"$CACHE/times.$t"; done
	for t in "${tools[@]}"; do measure "$t" "$(binary "$t")" "$in"; done # warm the page cache
	for t in "${tools[@]}"; do : >"$CACHE/times.$t"; done
	for _ in $(seq "$RUNS"); do
		for t in "${tools[@]}"; do measure "$t" "$(binary "$t")" "$in"; done
	done
	declare -A ms mb cpu
	for t in "${tools[@]}"; do
		ms[$t]=$(col 1 "$CACHE/times.$t" | median | awk '{printf "%.1f", $1/1000}')
		mb[$t]=$(col 2 "$CACHE/times.$t" | median | awk '{printf "%.0f", $1/1024}')
		cpu[$t]=$(col 3 "$CACHE/times.$t" | median | awk '{printf "%.2f", $1}')
	done
	ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
	if [ -n "$BASE" ]; then
		printf '%-8s %9s ms %9s ms %9s ms %8s %9s | %7s %7s %7s %8s %9s | %6s %6s\n' "$w" "${ms[conftest]}" "${ms[before]}" "${ms[trustlint]}" \
			"$(ratio "${ms[trustlint]}" "${ms[conftest]}")" "$(ratio "${ms[trustlint]}" "${ms[before]}")" \
			"${cpu[conftest]}" "${cpu[before]}" "${cpu[trustlint]}" \
			"$(ratio "${cpu[trustlint]}" "${cpu[conftest]}")" "$(ratio "${cpu[trustlint]}" "${cpu[before]}")" "${mb[before]}" "${mb[trustlint]}"
	else
		printf '%-8s %9s ms %9s ms %8s | %7s %7s %8s | %6s %6s\n' "$w" "${ms[conftest]}" "${ms[trustlint]}" \
			"$(ratio "${ms[trustlint]}" "${ms[conftest]}")" "${cpu[conftest]}" "${cpu[trustlint]}" \
			"$(ratio "${cpu[trustlint]}" "${cpu[conftest]}")" "${mb[conftest]}" "${mb[trustlint]}"
	fi
done
