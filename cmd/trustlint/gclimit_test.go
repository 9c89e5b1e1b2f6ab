package main

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
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
	gcWith16MBLive(func() bool { return debug.SetMemoryLimit(-1) >= 16<<20 })
	if got := debug.SetMemoryLimit(-1); got < 16<<20+8<<20 {
		t.Errorf("memory limit %d MB with 16 MB live, want at least 24 MB", got>>20)
	}
}

// TestGrowingGCPercent: the GC target is the first one until a GC, the
// small runs' one until a GC finds the threshold live, then the large one.
func TestGrowingGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	gogc := func() uint64 {
		s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	stop := growingGCPercent(800, 400, 200, 8<<20)
	defer stop()
	if got := gogc(); got != 800 {
		t.Fatalf("GC percent %d before any GC, want 800", got)
	}
	gcUntil(func() bool { return gogc() != 800 })
	if got := gogc(); got != 400 {
		t.Fatalf("GC percent %d after a GC with a small live heap, want 400", got)
	}
	gcWith16MBLive(func() bool { return gogc() == 200 })
	if got := gogc(); got != 200 {
		t.Errorf("GC percent %d with 16 MB live, want 200", got)
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
