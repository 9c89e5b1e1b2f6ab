package main

import (
	"bytes"
	"os"
	"runtime"
	"strings"
	"syscall"
	"unsafe"
)

// Transparent huge pages for the heap of a scan.
//
// A scan allocates most of its memory fresh: one .tf file of the benchmark
// corpus allocates about 26 MB and never collects (firstGCPercent). On a
// virtual machine every first touch of a 4 KiB page is a page fault that
// costs microseconds (about 11 µs on the 2-core benchmark VM: 20 MB of new
// heap took 68 ms there, 12 ms in 2 MiB pages), so the faults were a third
// of the CPU of a one-file scan. The Go runtime no longer asks for huge
// pages itself, and where the kernel gives them only on request
// (transparent_hugepage/enabled = madvise, the usual default), the heap
// gets none. hugeHeap makes the heap's first bytes eligible: it allocates
// one large untouched buffer, so that the runtime maps that much address
// space, advises it (MADV_HUGEPAGE), and frees it with one early GC; the
// pages the scan then allocates there fault in 2 MiB at a time.
//
// The early GC and the mapping cost 5-7 ms; the saving was 22-40 ms on one
// .tf file (88 -> 66 ms wall, 110 -> 70 ms CPU, peak RSS 40 -> 43 MB) and
// 20-25 % on the 40,000-role exports (bench/peers.sh, interleaved runs).

// hugePageSize is the size of a transparent huge page on amd64 and arm64
// with 4 KiB pages.
const hugePageSize = 2 << 20

// thpEnabled is where Linux says when it gives transparent huge pages.
const thpEnabled = "/sys/kernel/mm/transparent_hugepage/enabled"

// hugeHeap advises the first reserve bytes of the heap to use transparent
// huge pages, when the kernel gives them only on request; it does nothing
// when they are always or never given, when GODEBUG has disablethp=1 (the
// runtime's own switch against huge pages), or when the address space or
// data size is limited (ulimit -v, -d): the reservation counts against
// such a limit, and a mapping the runtime cannot make is fatal (with
// `ulimit -v 1000000` a scan of the bundled examples crashed). Call it
// first thing in main, before the GC settings that count collections.
func hugeHeap(reserve uintptr) {
	if strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") || limitedMemory() {
		return
	}
	mode, err := os.ReadFile(thpEnabled)
	if err != nil || !bytes.Contains(mode, []byte("[madvise]")) {
		return
	}
	adviseHeap(reserve)
}

// adviseHeap maps reserve bytes of heap, advises them and the heap below
// them (MADV_HUGEPAGE) and makes them free again; it returns the advised
// range (tests).
func adviseHeap(reserve uintptr) (lo, hi uintptr) {
	small := new([64]byte)
	big := make([]byte, reserve) // never touched: mapped, not resident
	// Addresses only: nothing is read or written through them.
	start := uintptr(unsafe.Pointer(unsafe.SliceData(big)))               //nolint:gosec // G103: an address, never dereferenced
	lo = min(uintptr(unsafe.Pointer(small)), start) &^ (hugePageSize - 1) //nolint:gosec // G103: as above
	hi = (start + reserve + hugePageSize - 1) &^ (hugePageSize - 1)
	runtime.KeepAlive(small)
	// Gaps in the range (ENOMEM) leave the mapped parts advised.
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, syscall.MADV_HUGEPAGE)
	runtime.GC() // big is dead: its pages are free again

	return lo, hi
}

// limitedMemory reports whether the process's address space or data size
// has a limit (RLIMIT_AS, RLIMIT_DATA).
func limitedMemory() bool {
	for _, res := range []int{syscall.RLIMIT_AS, syscall.RLIMIT_DATA} {
		var r syscall.Rlimit
		if err := syscall.Getrlimit(res, &r); err != nil || r.Cur != rlimInfinity {
			return true
		}
	}
	return false
}

// rlimInfinity is RLIM_INFINITY as Getrlimit returns it.
const rlimInfinity = ^uint64(0)
