//go:build !linux

package main

// hugeHeap does nothing where the heap's pages are not advised (see
// hugepages_linux.go).
func hugeHeap(uintptr) {}
