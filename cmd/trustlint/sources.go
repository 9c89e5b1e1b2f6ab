package main

import (
	"path/filepath"
	"strings"

	"github.com/trustlint/trustlint/internal/safefs"
)

// scannedSources is report.Report.Sources for a scan of paths: the text
// report reads the files findings point at to show their lines. It reads a
// file only when it lies within the scanned paths (one of them, or below a
// scanned directory), through the read boundary (internal/safefs: a regular
// file, not a symbolic link, no larger than the default size limit); any
// other file gets no snippet.
func scannedSources(paths []string) func(string) ([]byte, bool) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var roots []string
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil {
			roots = append(roots, abs)
		}
	}
	return func(file string) ([]byte, bool) {
		abs, err := filepath.Abs(file)
		if err != nil || !within(abs, roots) {
			return nil, false
		}
		return readSource(abs)
	}
}

// within reports whether the clean absolute path p is one of roots or
// below one of them.
func within(p string, roots []string) bool {
	for _, r := range roots {
		if p == r {
			return true
		}
		prefix := r
		if !strings.HasSuffix(prefix, string(filepath.Separator)) {
			prefix += string(filepath.Separator)
		}
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// readSource reads the file at absolute path abs through a read boundary
// at its directory.
func readSource(abs string) ([]byte, bool) {
	b, err := safefs.Open(filepath.Dir(abs), 0)
	if err != nil {
		return nil, false
	}
	defer func() { _ = b.Close() }() // opened for reading
	src, err := b.ReadFile(abs)
	return src, err == nil
}
