package terraform

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcmaptest"
)

// testdata is the directory of this package's test inputs.
const testdata = "../../testdata/terraform"

// moduleDir is the module directory of in-memory test modules.
const moduleDir = "m"

// dirFS loads the files of a testdata directory into an in-memory file
// system, under moduleDir.
func dirFS(t testing.TB, dir string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fsys[path.Join(moduleDir, filepath.ToSlash(rel))] = &fstest.MapFile{Data: src}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// filesFS makes an in-memory module of the given files (names relative to
// moduleDir).
func filesFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[path.Join(moduleDir, name)] = &fstest.MapFile{Data: []byte(src)}
	}
	return fsys
}

// parseFS parses the module moduleDir of fsys and checks the invariants of
// every role: each value of its policy has a source range, and each range
// lies inside the file it names. It returns the roles by name, in emission
// order, and the diagnostics.
func parseFS(t testing.TB, fsys fstest.MapFS) (map[string]*model.Role, []string, []model.Diagnostic) {
	t.Helper()
	roles := map[string]*model.Role{}
	var order []string
	diags := parseModuleFS(fsys, moduleDir, moduleDir, nil, func(r *model.Role) {
		if _, dup := roles[r.Name]; dup {
			t.Errorf("role %s emitted twice", r.Name)
		}
		roles[r.Name] = r
		order = append(order, r.Name)
		checkRole(t, r, fsys)
	}, nil)
	for _, d := range diags {
		if d.Range.Start.Line == 0 {
			continue
		}
		if msg := checkFileRange(d.Range, fsys); msg != "" {
			t.Errorf("diagnostic %q: %s", d.Error(), msg)
		}
	}
	return roles, order, diags
}

// checkRole checks that every value of the role's policy has a range and
// that every range lies inside its file.
func checkRole(t testing.TB, r *model.Role, fsys fstest.MapFS) {
	t.Helper()
	if r.HasPolicy {
		if miss := srcmaptest.Unmapped(r.Policy, model.PolicyPath, r.Source); len(miss) > 0 {
			t.Errorf("role %s: values without a source range: %v", r.Name, miss)
		}
	}
	check := func(kind, p string, rg model.Range) {
		if msg := checkFileRange(rg, fsys); msg != "" {
			t.Errorf("role %s: %s %s: %s", r.Name, kind, p, msg)
		}
	}
	check("range", "", r.Range)
	for p, rg := range r.Source.ValueMap() {
		check("value", p, rg)
	}
	for p, rg := range r.Source.KeyMap() {
		check("key", p, rg)
	}
}

// checkFileRange checks a range against the content of the file it names.
func checkFileRange(rg model.Range, fsys fs.FS) string {
	src, err := fs.ReadFile(fsys, filepath.ToSlash(rg.File))
	if err != nil {
		return fmt.Sprintf("file %q: %v", rg.File, err)
	}
	return srcmaptest.CheckRange(rg, rg.File, src)
}

// span renders a range as file:line:col-line:col.
func span(r model.Range) string {
	return fmt.Sprintf("%s:%d:%d-%d:%d", r.File, r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
}

// diffSpans compares the wanted entries of a range map (only those listed).
func diffSpans(t *testing.T, kind string, got map[string]model.Range, want map[string]string) {
	t.Helper()
	var lines []string
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			lines = append(lines, fmt.Sprintf("%s %s: missing, want %s", kind, p, w))
		case span(g) != w:
			lines = append(lines, fmt.Sprintf("%s %s: got %s want %s", kind, p, span(g), w))
		}
	}
	sort.Strings(lines)
	if len(lines) > 0 {
		t.Error(strings.Join(lines, "\n"))
	}
}

// messages renders diagnostics one per line.
func messages(diags []model.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Error())
		b.WriteByte('\n')
	}
	return b.String()
}
