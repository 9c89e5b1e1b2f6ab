//go:build unix

package safefs

import "syscall"

// nonblock opens without blocking: opening a FIFO for reading would wait
// for a writer.
const nonblock = syscall.O_NONBLOCK
