package main

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// TestFollowLiveHeap: with a live heap above the base limit, the limit
// rises above the live heap after a GC instead of staying below it (where
// the GC would run back to back).
func TestFollowLiveHeap(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	const base = 1 << 20
	stop := followLiveHeap(base)
	defer stop()
	live := make([][]byte, 64)
	for i := range live {
		live[i] = make([]byte, 256<<10) // 16 MB live in all
	}
	for range 100 {
		runtime.GC()
		runtime.Gosched()
		if debug.SetMemoryLimit(-1) >= 16<<20 {
			break
		}
	}
	runtime.KeepAlive(live)
	if got := debug.SetMemoryLimit(-1); got < 16<<20+4<<20 {
		t.Errorf("memory limit %d MB with 16 MB live, want at least 20 MB", got>>20)
	}
}
