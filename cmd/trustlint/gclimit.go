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
// every GC the limit becomes max(base, live heap × 1.25). A fixed
// limit below the live heap (one policy of 100,000 statements holds about
// 600 MB) makes the GC run back to back: 41 s of CPU instead of 14 s, for
// the same peak, since the heap cannot shrink below what is live. Above
// base the heap may grow by a quarter of what is live before the next
// GC; below it nothing changes. stop ends it (tests).
func followLiveHeap(base int64) (stop func()) {
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
			if s[0].Value.Kind() == metrics.KindUint64 {
				live := min(s[0].Value.Uint64(), math.MaxInt64/2)
				debug.SetMemoryLimit(max(base, int64(live+live/4)))
			}
			arm()
		})
	}
	debug.SetMemoryLimit(base)
	arm()
	return func() { stopped.Store(true) }
}
