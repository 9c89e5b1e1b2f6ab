package main

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

// TestPaceGC: the GC target is the first one until a GC, then the one for
// the live heap the last GC found (smallGCPercent while it is small, when
// the tests before left little live).
func TestPaceGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	read := func(name string) uint64 {
		s := []metrics.Sample{{Name: name}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	gogc := func() int { return int(read("/gc/gogc:percent")) }
	stop := paceGC(firstGCPercent)
	defer stop()
	if got := gogc(); got != firstGCPercent {
		t.Fatalf("GC percent %d before any GC, want %d", got, firstGCPercent)
	}
	gcUntil(func() bool { return gogc() != firstGCPercent })
	if live := read("/gc/heap/live:bytes"); gogc() != gcPercentFor(live) {
		t.Fatalf("GC percent %d after a GC that found %d MB live, want %d", gogc(), live>>20, gcPercentFor(live))
	} else if live < smallHeap && gogc() != smallGCPercent {
		t.Fatalf("GC percent %d with %d MB live, want %d", gogc(), live>>20, smallGCPercent)
	}
	gcWith16MBLive(func() bool { return gogc() == gcPercent })
	if got := gogc(); got != gcPercent {
		t.Errorf("GC percent %d with 16 MB live, want %d", got, gcPercent)
	}
}

// TestGCPercentFor: the heap a GC target allows (live × (1 + target/100))
// stays within heapBase until the target is largeGCPercent, and the
// target never rises as the live heap grows.
func TestGCPercentFor(t *testing.T) {
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{1 << 20, smallGCPercent},
		{smallHeap, gcPercent},
		{100 << 20, gcPercent},
		{heapBase / 3, gcPercent},
		{200 << 20, 100}, // heap goal 400 MB
		{250 << 20, 60},  // 400 MB
		{300 << 20, 50},  // 450 MB: live × 1.5
		{heapBase, 50},   // 600 MB
		{4 << 30, 50},    // 6 GB
		{1 << 62, 50},    // no overflow
	} {
		if got := gcPercentFor(tc.live); got != tc.want {
			t.Errorf("gcPercentFor(%d MB) = %d, want %d", tc.live>>20, got, tc.want)
		}
	}
	prev := smallGCPercent
	for live := uint64(smallHeap); live < 2*heapBase; live += 1 << 20 {
		got := gcPercentFor(live)
		if got > prev {
			t.Fatalf("gcPercentFor(%d MB) = %d, more than %d for less live", live>>20, got, prev)
		}
		if goal := live * uint64(100+got) / 100; got > largeGCPercent && goal > heapBase {
			t.Fatalf("gcPercentFor(%d MB) = %d allows a %d MB heap, more than heapBase", live>>20, got, goal>>20)
		}
		prev = got
	}
}

// gcWith16MBLive holds 16 MB live while gcUntil(done) runs.
func gcWith16MBLive(done func() bool) {
	live := make([][]byte, 64)
	for i := range live {
		live[i] = make([]byte, 256<<10)
	}
	gcUntil(done)
	runtime.KeepAlive(live)
}

// gcUntil runs the GC until done says so (at most 100 times): the
// finalizers of afterEachGC run after a GC, not in it.
func gcUntil(done func() bool) {
	for range 100 {
		runtime.GC()
		runtime.Gosched()
		if done() {
			break
		}
	}
}

// TestHeapReserve: the advised heap grows with the named files, within its
// bounds; a directory, standard input or no file at all gets the most.
func TestHeapReserve(t *testing.T) {
	dir := t.TempDir()
	sized := func(name string, size int64) string { // sparse
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(p, size); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := sized("main.tf", 2000)
	large := sized("export.json", 3<<20)
	huge := sized("huge.json", 100<<20)
	for _, tc := range []struct {
		name string
		args []string
		want uintptr
	}{
		{"one small file", []string{"scan", "--format", "sarif", small}, minReserve},
		{"a 3 MB export", []string{"scan", large}, 3 << 20 * reservePerIn},
		{"two files add up", []string{"scan", large, large}, 6 << 20 * reservePerIn},
		{"a file past the bound", []string{"scan", huge}, maxReserve},
		{"a directory", []string{"scan", small, dir}, maxReserve},
		{"standard input", []string{"scan", "-"}, maxReserve},
		{"the working directory", []string{"scan", "--format", "sarif"}, maxReserve},
		{"a missing file and a small one", []string{"scan", filepath.Join(dir, "gone.tf"), small}, minReserve},
	} {
		if got := heapReserve(tc.args); got != tc.want {
			t.Errorf("%s: heapReserve = %d MB, want %d MB", tc.name, got>>20, tc.want>>20)
		}
	}
}
