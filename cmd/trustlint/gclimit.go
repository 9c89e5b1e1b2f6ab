package main

import (
	"math"
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
// and 92 roles: about 26 MB), so such a scan never collects. A collection
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
