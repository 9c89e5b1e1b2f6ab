//go:build !unix

package safefs

// nonblock is zero where the system has no such flag (Windows has no FIFOs
// in the file system).
const nonblock = 0
