package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// memoryLimit is the soft memory limit below which the GC target
// (gcPercent) applies: it keeps the heap of ordinary scans bounded.
const memoryLimit = 400 << 20

// followLiveHeap keeps the soft memory limit above the live heap: after
// every GC the limit becomes max(base, live heap × 1.5). A fixed limit
// below the live heap (one policy of 100,000 statements holds about 370
// MB) makes the GC run back to back: 41 s of CPU instead of 14 s, for the
// same peak, since the heap cannot shrink below what is live. Above base
// the heap may grow by half of what is live before the next GC: the GC's
// mark work is then about twice the bytes allocated, where a quarter
// (× 1.25) made it four times (that policy: 18.4 → 13.2-14.5 s CPU, 11.1
// → 8.7-9.2 s wall, peak 515 → 590-605 MB, below the 655 MB of ×1.25
// before the scan let the Go policy go during evaluation; × 2 ran 7.6-8.0
// s at 780-800 MB). Below base nothing changes. stop ends it (tests).
func followLiveHeap(base int64) (stop func()) {
	debug.SetMemoryLimit(base)
	return afterEachGC(func(live uint64) bool {
		live = min(live, math.MaxInt64/2)
		debug.SetMemoryLimit(max(base, int64(live+live/2)))
		return true
	})
}

// firstGCPercent is the GC target until the first GC: the runtime's first
// heap goal is then 4 MB × 8 = 32 MB, more than a one-file scan allocates
// in all (one .tf file of the benchmark corpus, whose module has 20 files
// and 92 roles: about 26 MB), so such a scan never collects (but for the
// one GC of hugeHeap, before any of this is set). A collection
// of a young process costs more than the memory it would let the scan
// reuse: its own page faults and mark work came to more than the 16 MB
// it saved (one .tf file: 188 -> 163 ms CPU, 170 -> 155 ms wall, peak RSS
// 43-47 -> 46 MB; perf stat, medians of 21 interleaved runs under chrt -f).
//
// smallGCPercent is the GC target after that while the live heap is small
// (below smallHeap): each collection of a young process costs more than
// the memory it saves (9 % less CPU on one .tf file of the benchmark
// corpus than at 100, 3 % on one template; bench/peers.sh, perf stat).
const (
	firstGCPercent = 800
	smallGCPercent = 400
	smallHeap      = 8 << 20
)

// growingGCPercent sets the GC target to first until the first GC, then to
// small until a GC finds at least threshold bytes live, then to large for
// the rest of the run: small runs collect seldom or never, large ones keep
// the lower peak of large. stop ends it (tests).
func growingGCPercent(first, small, large int, threshold uint64) (stop func()) {
	debug.SetGCPercent(first)
	firstGC := true // only the finalizer goroutine reads and writes it
	return afterEachGC(func(live uint64) bool {
		if live >= threshold {
			debug.SetGCPercent(large)
			return false
		}
		if firstGC {
			debug.SetGCPercent(small)
			firstGC = false
		}
		return true
	})
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
