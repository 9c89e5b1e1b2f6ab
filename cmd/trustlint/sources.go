package main

import (
	"path/filepath"
	"strings"

	"github.com/trustlint/trustlint/internal/safefs"
	"github.com/trustlint/trustlint/internal/textenc"
)

// scannedSources is report.Report.Sources for a scan of paths: the text
// report reads the files findings point at to show their lines. It reads a
// file only when it lies within the scanned paths (one of them, or below a
// scanned directory), through the read boundary (internal/safefs: a regular
// file, not a symbolic link, no larger than the default size limit); any
// other file gets no snippet. Standard input's findings (in stdinName) are
// shown from its content. Text is decoded to UTF-8 as the scanner decoded
// it.
func scannedSources(paths []string, stdinName string, stdin []byte) func(string) ([]byte, bool) {
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
		if stdin != nil && file == stdinName {
			return decoded(stdin, nil)
		}
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
	return decoded(b.ReadFile(abs))
}

func decoded(src []byte, err error) ([]byte, bool) {
	if err == nil {
		src, err = textenc.Decode(src)
	}
	return src, err == nil
}
