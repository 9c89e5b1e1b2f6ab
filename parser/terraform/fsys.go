package terraform

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/trustlint/trustlint/internal/safefs"
)

// maxFileSize is the largest file a module reads: configuration files,
// tfvars, and the files that file() and templatefile() name.
const maxFileSize = 64 << 20

// errOutside is the error for a path that leaves the scanned tree.
var errOutside = errors.New("the path leaves the scanned tree")

// pathError is the error of file() or templatefile() for one path.
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string { return fmt.Sprintf("cannot read %q: %v", e.path, e.err) }

func (e *pathError) Unwrap() error { return e.err }

// resolvePath turns the path p given to file() or templatefile() (relative
// to the module directory, as path.module is ".") into the path of the file
// in the scan's file system and its display path. A path that is absolute or
// leaves the scanned tree is refused without any read.
func (m *module) resolvePath(p string) (fsPath, display string, err error) {
	if p == "" {
		return "", "", &pathError{path: p, err: errors.New("empty path")}
	}
	slash := filepath.ToSlash(p)
	if filepath.IsAbs(p) || path.IsAbs(slash) || filepath.VolumeName(p) != "" {
		return "", "", &pathError{path: p, err: errOutside}
	}
	fsPath = path.Join(m.dirRel, slash)
	if fsPath == ".." || strings.HasPrefix(fsPath, "../") {
		return "", "", &pathError{path: p, err: errOutside}
	}
	return fsPath, filepath.Join(m.dir, filepath.FromSlash(slash)), nil
}

// readFile reads the file at fsPath of the scan's file system, refusing
// files larger than maxFileSize. The file system is the project root's read
// boundary (internal/safefs): a path or symbolic link that leaves it, a
// symbolic link as the file itself and any file that is not regular (a
// FIFO, a device) are errors, not reads.
func (m *module) readFile(fsPath string) ([]byte, error) {
	st, err := fs.Stat(m.fsys, fsPath)
	if err != nil {
		return nil, cleanFSError(err)
	}
	if st.IsDir() {
		return nil, errors.New("is a directory")
	}
	if st.Size() > maxFileSize {
		return nil, fmt.Errorf("larger than %d MiB", maxFileSize>>20)
	}
	src, err := fs.ReadFile(m.fsys, fsPath)
	if err != nil {
		return nil, cleanFSError(err)
	}
	return src, nil
}

// cleanFSError drops the operation and path of a file system error, which
// the caller names itself, and words an escape from the project root as
// errOutside.
func cleanFSError(err error) error {
	err = safefs.CleanError(err)
	if errors.Is(err, safefs.ErrOutside) {
		return errOutside
	}
	return err
}
