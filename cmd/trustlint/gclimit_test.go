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
// the live heap the last GC found (one that lets the heap reach
// minHeapGoal while little is live).
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
	}
	var live uint64
	gcWithLive(16<<20, func() bool {
		live = read("/gc/heap/live:bytes")
		return live >= 16<<20 && gogc() == gcPercentFor(live)
	})
	if got, goal := gogc(), live*uint64(100+gogc())/100; got <= gcPercent || goal > minHeapGoal || goal < minHeapGoal-(2<<20) {
		t.Errorf("GC percent %d with %d MB live: a heap goal of %d MB, want %d MB", got, live>>20, goal>>20, minHeapGoal>>20)
	}
	gcWithLive(64<<20, func() bool { return gogc() == gcPercent })
	if got := gogc(); got != gcPercent {
		t.Errorf("GC percent %d with 64 MB live, want %d", got, gcPercent)
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
		{0, 15900},            // a goal of minHeapGoal for 1 MB
		{1 << 20, 15900},      // 160 MB
		{16 << 20, 900},       // 160 MB
		{40 << 20, 300},       // 160 MB
		{54 << 20, gcPercent}, // 162 MB
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
	prev := gcPercentFor(0)
	for live := uint64(0); live < 2*heapBase; live += 1 << 20 {
		got := gcPercentFor(live)
		if got > prev {
			t.Fatalf("gcPercentFor(%d MB) = %d, more than %d for less live", live>>20, got, prev)
		}
		if goal := max(live, 1<<20) * uint64(100+got) / 100; got > largeGCPercent && goal > heapBase {
			t.Fatalf("gcPercentFor(%d MB) = %d allows a %d MB heap, more than heapBase", live>>20, got, goal>>20)
		} else if goal < minHeapGoal-(1<<20) {
			t.Fatalf("gcPercentFor(%d MB) = %d allows a %d MB heap, less than minHeapGoal", live>>20, got, goal>>20)
		}
		prev = got
	}
}

// gcWithLive holds n bytes live (in 256 KB blocks) while gcUntil(done)
// runs.
func gcWithLive(n int, done func() bool) {
	live := make([][]byte, n>>18)
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
