package safefs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DefaultMaxSize is the largest file read unless configured otherwise:
// generous for real exports (an account export of 100,000 roles is about
// 250 MB).
const DefaultMaxSize int64 = 256 << 20

// ErrOutside is the error for a path that leaves the project root.
var ErrOutside = errors.New("outside the project root; not read")

// NotRegularError is the error for a path that names something other than
// a regular file.
type NotRegularError struct {
	// Kind says what it is ("a symbolic link", "a named pipe").
	Kind string
}

func (e *NotRegularError) Error() string {
	return "not a regular file (" + e.Kind + "); not read"
}

// TooLargeError is the error for a file larger than the limit.
type TooLargeError struct {
	Size, Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("file is larger than the limit of %s (--max-file-size); not read", formatSize(e.Limit))
}

// Boundary reads files below one directory and nothing else. It is safe for
// concurrent use.
type Boundary struct {
	dir     string // absolute
	wd      string // the working directory at Open, for relative paths
	root    *os.Root
	maxSize int64
}

// Open opens the boundary at directory dir. maxSize bounds the size of a
// file read; 0 means DefaultMaxSize. Close it when done.
func Open(dir string, maxSize int64) (*Boundary, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	abs := dir
	if !filepath.IsAbs(dir) {
		abs = filepath.Join(wd, dir)
	}
	r, err := os.OpenRoot(abs)
	if err != nil {
		return nil, err
	}
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	return &Boundary{dir: filepath.Clean(abs), wd: wd, root: r, maxSize: maxSize}, nil
}

// Close releases the directory.
func (b *Boundary) Close() error { return b.root.Close() }

// Dir returns the absolute path of the boundary's directory.
func (b *Boundary) Dir() string { return b.dir }

// MaxSize returns the largest file size the boundary reads.
func (b *Boundary) MaxSize() int64 { return b.maxSize }

// Rel returns the slash path of p relative to the boundary's directory,
// "." for the directory itself. p is an operating-system path, absolute or
// relative to the working directory the boundary was opened in. A path
// outside the boundary is ErrOutside. Rel is lexical: it reads nothing,
// not even the working directory (scans call it for every finding).
func (b *Boundary) Rel(p string) (string, error) {
	abs := p
	if !filepath.IsAbs(p) {
		abs = filepath.Join(b.wd, p)
	}
	rel, err := filepath.Rel(b.dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", ErrOutside
	}
	return filepath.ToSlash(rel), nil
}

// Contains reports whether p lies at or below the boundary's directory.
func (b *Boundary) Contains(p string) bool {
	_, err := b.Rel(p)
	return err == nil
}

// ReadFile reads the regular file at operating-system path p (see Rel).
// Errors need no path prefix: the caller names the file.
func (b *Boundary) ReadFile(p string) ([]byte, error) {
	rel, err := b.Rel(p)
	if err != nil {
		return nil, err
	}
	return b.ReadFileRel(rel)
}

// ReadFileRel reads the regular file at slash path rel of the boundary.
func (b *Boundary) ReadFileRel(rel string) ([]byte, error) {
	f, st, err := b.OpenRel(rel)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read-only
	return ReadAll(f, st.Size(), b.maxSize)
}

// OpenRel opens the regular file at slash path rel of the boundary for
// reading, with its size checked against the limit, and returns it with
// its FileInfo. The last element of rel must not be a symbolic link;
// directories on the way may be links that stay inside the boundary
// (os.Root resolves them and refuses any that leaves it).
func (b *Boundary) OpenRel(rel string) (*os.File, fs.FileInfo, error) {
	if !fs.ValidPath(rel) {
		return nil, nil, ErrOutside
	}
	lst, err := b.root.Lstat(rel)
	if err != nil {
		return nil, nil, CleanError(err)
	}
	if err := regular(lst); err != nil {
		return nil, nil, err
	}
	f, err := b.root.OpenFile(rel, os.O_RDONLY|nonblock, 0)
	if err != nil {
		return nil, nil, CleanError(err)
	}
	st, err := f.Stat()
	if err == nil {
		err = regular(st)
	}
	if err == nil && !os.SameFile(lst, st) {
		err = errors.New("file changed while being opened; not read")
	}
	if err == nil && st.Size() > b.maxSize {
		err = &TooLargeError{Size: st.Size(), Limit: b.maxSize}
	}
	if err != nil {
		_ = f.Close() // read-only
		return nil, nil, err
	}
	return f, st, nil
}

// Stat returns the FileInfo of slash path rel without following a final
// symbolic link.
func (b *Boundary) Stat(rel string) (fs.FileInfo, error) {
	if !fs.ValidPath(rel) {
		return nil, ErrOutside
	}
	st, err := b.root.Lstat(rel)
	return st, CleanError(err)
}

// ReadDir lists the directory at slash path rel, sorted by name.
func (b *Boundary) ReadDir(rel string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(rel) {
		return nil, ErrOutside
	}
	es, err := fs.ReadDir(b.root.FS(), rel)
	return es, CleanError(err)
}

// ReadAll reads r to its end, refusing more than limit bytes. size is the
// expected size (from stat), used to allocate once; a file that grows past
// the limit while read is refused all the same.
func ReadAll(r io.Reader, size, limit int64) ([]byte, error) {
	if size < 0 || size > limit {
		size = 0
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, CleanError(err)
	}
	if n > limit {
		return nil, &TooLargeError{Size: n, Limit: limit}
	}
	return buf.Bytes(), nil
}

// regular returns nil for a regular file and a NotRegularError otherwise.
func regular(st fs.FileInfo) error {
	m := st.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m&fs.ModeSymlink != 0:
		return &NotRegularError{Kind: "a symbolic link"}
	case m.IsDir():
		return &NotRegularError{Kind: "a directory"}
	case m&fs.ModeNamedPipe != 0:
		return &NotRegularError{Kind: "a named pipe"}
	case m&fs.ModeSocket != 0:
		return &NotRegularError{Kind: "a socket"}
	case m&fs.ModeDevice != 0:
		return &NotRegularError{Kind: "a device"}
	default:
		return &NotRegularError{Kind: "a special file"}
	}
}

// CleanError drops the operation and path of a file system error, which
// the caller names itself, and words an escape from os.Root as ErrOutside.
func CleanError(err error) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if strings.Contains(err.Error(), "escapes from parent") || strings.Contains(err.Error(), "path escapes") {
		return ErrOutside
	}
	return err
}

// formatSize renders a byte count for messages: "256 MB".
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
