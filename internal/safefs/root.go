package safefs

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
)

// gitDirPrefix starts the content of a .git file (a linked worktree or a
// submodule): "gitdir: <path>".
var gitDirPrefix = []byte("gitdir:")

// FindRoot returns the project root of path, as an absolute path: the git
// work tree that holds path (the nearest directory at or above it with a
// .git directory, or a .git file as linked worktrees and submodules have),
// else path itself when it is a directory, else the directory of the named
// file. It never returns the current directory by accident: scanning a
// repository from / or $HOME bounds reads to the repository. The caller
// handles an explicit --root.
func FindRoot(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	start := abs
	st, err := os.Stat(abs)
	switch {
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return "", err
	case err != nil || !st.IsDir():
		start = filepath.Dir(abs)
	}
	for dir := start; ; {
		if isGitMarker(filepath.Join(dir, ".git")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return start, nil
}

// isGitMarker reports whether p is a .git directory or a .git file naming
// the git directory ("gitdir: ..."). A symbolic link or anything else named
// .git does not make a work tree.
func isGitMarker(p string) bool {
	st, err := os.Lstat(p)
	if err != nil {
		return false
	}
	if st.IsDir() {
		return true
	}
	if !st.Mode().IsRegular() {
		return false
	}
	f, err := os.OpenFile(p, os.O_RDONLY|nonblock, 0)
	if err != nil {
		return false
	}
	defer func() { _ = f.Close() }() // read-only
	head := make([]byte, len(gitDirPrefix))
	if _, err := io.ReadFull(f, head); err != nil {
		return false
	}
	return bytes.Equal(head, gitDirPrefix)
}
