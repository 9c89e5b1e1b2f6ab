package safefs

import (
	"io/fs"
)

// FS returns the boundary as an fs.FS for code written against io/fs (the
// Terraform module reader). Open, ReadFile and Stat apply the boundary's
// rules: Open and ReadFile read regular files only (a directory may be
// listed with fs.ReadDir), Stat does not follow a final symbolic link.
func (b *Boundary) FS() fs.FS { return boundaryFS{b} }

type boundaryFS struct{ b *Boundary }

var (
	_ fs.ReadFileFS = boundaryFS{}
	_ fs.ReadDirFS  = boundaryFS{}
	_ fs.StatFS     = boundaryFS{}
)

func (f boundaryFS) Open(name string) (fs.File, error) {
	file, _, err := f.b.OpenRel(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return file, nil
}

func (f boundaryFS) ReadFile(name string) ([]byte, error) {
	src, err := f.b.ReadFileRel(name)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return src, nil
}

func (f boundaryFS) ReadDir(name string) ([]fs.DirEntry, error) {
	es, err := f.b.ReadDir(name)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return es, nil
}

func (f boundaryFS) Stat(name string) (fs.FileInfo, error) {
	st, err := f.b.Stat(name)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return st, nil
}
