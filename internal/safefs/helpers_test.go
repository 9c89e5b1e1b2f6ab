package safefs

import "io/fs"

func fsReadDir(fsys fs.FS, dir string) ([]string, error) {
	es, err := fs.ReadDir(fsys, dir)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names, err
}

func fsReadFile(fsys fs.FS, name string) (string, error) {
	b, err := fs.ReadFile(fsys, name)
	return string(b), err
}

func fsStat(fsys fs.FS, name string) (regular bool, err error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return false, err
	}
	return st.Mode().IsRegular(), nil
}
