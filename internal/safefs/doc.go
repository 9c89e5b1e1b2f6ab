// Package safefs is trustlint's read boundary. Every read of an input goes
// through a Boundary: a directory (the project root, see FindRoot) opened
// with os.Root, so no path, ".." or symbolic link can reach a file outside
// it, whatever the working directory. Only regular files are read:
// symbolic links, named pipes, devices, sockets and directories are refused
// without being read (a FIFO is opened without blocking, so it cannot hang
// the scan), and a file's size is checked from fstat before any byte of it
// is read.
package safefs
