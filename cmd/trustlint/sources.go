package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/trustlint/trustlint/scan"
)

// scannedSources is report.Report.Sources for a scan of paths: the text
// report reads the files findings point at to show their lines. It reads a
// file only when it lies within the scanned paths (one of them, or below a
// scanned directory), is a regular file and not a symbolic link, and is no
// larger than the scanner reads; any other file gets no snippet.
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
		st, err := os.Lstat(abs)
		if err != nil || !st.Mode().IsRegular() || st.Size() > scan.MaxFileSize {
			return nil, false
		}
		src, err := os.ReadFile(abs)
		return src, err == nil
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
