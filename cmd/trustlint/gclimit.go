package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// heapBase is the heap below which the GC target (gcPercent) applies:
// it keeps the heap of ordinary scans bounded. Above it, the heap may grow
// by half of what is live before the next GC (largeGCPercent).
const heapBase = 400 << 20

// largeGCPercent is the lowest GC target, that of a live heap of 267 MB
// or more: the heap grows by half of what is live before the next GC.
// The GC's mark work is then about twice the bytes allocated, where a
// quarter (× 1.25) made it four times (18.4 → 13.2-14.5 s CPU on one
// policy of 100,000 statements).
//
// That bound used to be a soft memory limit (debug.SetMemoryLimit) of
// max(heapBase, live × 1.5), reset after every GC. A limit counts all the
// memory of the process, so near it the runtime returns free pages to the
// kernel before it allocates (synchronous scavenging), and with the heap
// in transparent huge pages (hugepages_linux.go) each return splits a huge
// page that the next allocation faults in again. Pacing by the GC target
// alone bounds the heap the same way without returning memory: one policy
// of 100,000 statements 7.8 -> 6.1 s wall, 12.2 -> 9.7 s CPU, peak RSS 560
// -> 640 MB (bench/large-policy.sh; the limit with huge pages was slower
// still, 8.2 s). A user's GOMEMLIMIT still applies.
const largeGCPercent = 50

// firstGCPercent is the GC target until the first GC: the runtime's first
// heap goal is then 4 MB × 8 = 32 MB, more than a one-file scan allocates
// in all (one .tf file of the benchmark corpus, whose module has 20 files
// and 92 roles: about 26 MB), so such a scan never collects (but for the
// one GC of hugeHeap, before any of this is set). A collection
// of a young process costs more than the memory it would let the scan
// reuse: its own page faults and mark work came to more than the 16 MB
// it saved (one .tf file: 188 -> 163 ms CPU, 170 -> 155 ms wall, peak RSS
// 43-47 -> 46 MB; perf stat, medians of 21 interleaved runs under chrt -f).
const firstGCPercent = 800

// minHeapGoal is the least heap the GC target lets a scan reach before
// it collects, however little is live. A collection marks what is live
// and also a fixed part (the compiled rules, OPA's builtins and other
// globals, the stacks) as large as a small live heap: a target of 200 %
// of 10-20 MB live collected the 2,000 .tf files of the benchmark corpus
// 37 times, every 40 ms, a fifth of their CPU. From 96 MB on, the scan
// is faster; beyond 160 MB, the page faults of the larger heap cost what
// the fewer collections save (2,000 .tf files, 7 interleaved runs: 1403
// ms at 200 %, 1225 at 96 MB, 1177 at 128, 1133 at 160, 1135 at 192;
// 2,000 templates: 758, 667, 651, 643 ms; peak RSS 101 -> 207 MB).
const minHeapGoal = 160 << 20

// paceGC sets the GC target to first until the first GC, then after every
// GC to the target for the live heap it found (gcPercentFor): small runs
// collect seldom or never, large ones keep their heap within about half
// of what is live. stop ends it (tests).
func paceGC(first int) (stop func()) {
	debug.SetGCPercent(first)
	return afterEachGC(func(live uint64) bool {
		debug.SetGCPercent(gcPercentFor(live))
		return true
	})
}

// gcPercentFor is the GC target after a GC that found live bytes live:
// the target that lets the heap reach minHeapGoal while gcPercent allows
// less; gcPercent while the heap it allows stays within heapBase; above
// that, the target that lets the heap reach heapBase, but never below
// largeGCPercent.
func gcPercentFor(live uint64) int {
	switch {
	case live < minHeapGoal*100/(100+gcPercent):
		live = max(live, 1<<20)                       // a goal for what little is live, not a division by zero
		return int((minHeapGoal - live) * 100 / live) //nolint:gosec // G115: at most 15,900
	case live <= heapBase*100/(100+gcPercent):
		return gcPercent
	}
	return max(largeGCPercent, int((heapBase-min(live, heapBase))*100/live)) //nolint:gosec // G115: at most gcPercent
}

// afterEachGC calls fn with the live heap after every GC until fn returns
// false or stop is called.
func afterEachGC(fn func(live uint64) (again bool)) (stop func()) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var stopped atomic.Bool
	var arm func()
	arm = func() {
		// A finalizer runs after the GC that found its object
		// unreachable: once per cycle, re-armed each time.
		runtime.SetFinalizer(new([16]byte), func(*[16]byte) {
			if stopped.Load() {
				return
			}
			metrics.Read(s)
			if s[0].Value.Kind() == metrics.KindUint64 && !fn(s[0].Value.Uint64()) {
				return
			}
			arm()
		})
	}
	arm()
	return func() { stopped.Store(true) }
}

// Reservation bounds: a scan of a few named files needs a few tens of MB
// (minReserve); a directory or an export may use hundreds (maxReserve). A
// larger reservation costs more to map and collect (64 MB: 5 ms, 512 MB: 7
// ms, 1 GB: 9 ms), and beyond the reservation the heap grows as before.
const (
	minReserve   = 64 << 20
	maxReserve   = 512 << 20
	reservePerIn = 32 // bytes of heap reserved per byte of named input
)

// heapReserve is how much heap to advise for a run with these arguments:
// the named inputs' size × reservePerIn, within minReserve and maxReserve;
// maxReserve when any argument is a directory or standard input, or none
// is a file (a scan of the working directory). Flags and their values are
// read as paths too: a name that is not a regular file adds nothing.
func heapReserve(args []string) uintptr {
	var total int64
	named := false
	for _, a := range args {
		if a == "-" || a == "/dev/stdin" {
			return maxReserve
		}
		st, err := os.Stat(a) //nolint:gosec // G703: the user's own arguments, stat'ed and never read
		switch {
		case err != nil:
		case st.IsDir():
			return maxReserve
		case st.Mode().IsRegular():
			total += st.Size()
			named = true
		}
		if total >= maxReserve/reservePerIn {
			return maxReserve
		}
	}
	if !named {
		return maxReserve
	}
	return uintptr(min(max(minReserve, total*reservePerIn), maxReserve))
}
