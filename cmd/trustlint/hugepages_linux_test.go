package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestAdviseHeap: the advised range covers the heap the runtime mapped for
// the reservation, the kernel marks it for huge pages (VmFlags hg), and the
// memory is free again: a large allocation made after it lands inside.
func TestAdviseHeap(t *testing.T) {
	mode, err := os.ReadFile(thpEnabled)
	if err != nil || !bytes.Contains(mode, []byte("[madvise]")) {
		t.Skipf("transparent huge pages are not given on request here (%s: %q, %v)", thpEnabled, mode, err)
	}
	const reserve = 64 << 20
	lo, hi := adviseHeap(reserve)
	if hi-lo < reserve || lo%hugePageSize != 0 || hi%hugePageSize != 0 {
		t.Fatalf("advised %#x-%#x (%d MB), want at least %d MB on huge page bounds", lo, hi, (hi-lo)>>20, reserve>>20)
	}
	buf := make([]byte, 48<<20)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	if p < lo || p+uintptr(len(buf)) > hi {
		t.Errorf("a 48 MB allocation after the advice is at %#x, outside the advised %#x-%#x", p, lo, hi)
	}
	if !hugeVMA(t, p) {
		t.Errorf("the mapping holding %#x is not marked for huge pages (no hg in its VmFlags)", p)
	}
}

// hugeVMA reports whether the mapping of this process holding address p
// carries the huge page advice.
func hugeVMA(t *testing.T, p uintptr) bool {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	inside := false
	for sc.Scan() {
		line := sc.Text()
		var start, end uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x", &start, &end); n == 2 && strings.Contains(line, " ") {
			inside = start <= p && p < end
			continue
		}
		if inside && strings.HasPrefix(line, "VmFlags:") {
			return strings.Contains(line+" ", " hg ")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return false
}

// TestLimitedMemory: a finite address-space or data-size limit turns the
// huge page reservation off (it would count against the limit).
func TestLimitedMemory(t *testing.T) {
	for _, res := range []int{syscall.RLIMIT_AS, syscall.RLIMIT_DATA} {
		var old syscall.Rlimit
		if err := syscall.Getrlimit(res, &old); err != nil {
			t.Fatal(err)
		}
		if old.Cur != rlimInfinity {
			t.Skipf("limit %d is already set (%d): the test needs it unlimited", res, old.Cur)
		}
		if limitedMemory() {
			t.Fatalf("limitedMemory with no limit set")
		}
		// Far above what the test uses, but finite; the soft limit goes
		// back up to the hard one afterwards.
		lowered := old
		lowered.Cur = 1 << 40
		if err := syscall.Setrlimit(res, &lowered); err != nil {
			t.Skip(err)
		}
		got := limitedMemory()
		if err := syscall.Setrlimit(res, &old); err != nil {
			t.Fatal(err)
		}
		if !got {
			t.Errorf("limitedMemory is false with limit %d set to 1 TiB", res)
		}
	}
}
