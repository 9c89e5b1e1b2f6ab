package scan_test

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/trustlint/trustlint/config"
	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/terraform"
	"github.com/trustlint/trustlint/rules"
	"github.com/trustlint/trustlint/scan"
)

// focusScan is one scan of a Terraform test tree: the roles the parsers
// emitted and each role's findings, as "rule file:line:col message".
type focusScan struct {
	roles    map[string]bool
	findings map[string][]string
	// unit is the directory of the module whose evaluation emitted each
	// Terraform role: the root module for a role of a module call.
	unit map[string]string
	// files is the file that declares each role.
	files map[string]string
}

func runFocus(t *testing.T, engine *rules.Engine, root string, paths ...string) focusScan {
	t.Helper()
	out := focusScan{roles: map[string]bool{}, findings: map[string][]string{}, unit: map[string]string{}, files: map[string]string{}}
	var mu sync.Mutex
	res, err := scan.Run(context.Background(), scan.Options{
		Paths: paths, Engine: engine, Config: config.Default(), Root: root,
		Roles: func(r *model.Role) {
			mu.Lock()
			defer mu.Unlock()
			ref := r.Ref().String()
			out.roles[ref] = true
			out.files[ref] = r.File
			switch {
			case r.Format != model.FormatTerraform:
			case r.RootModule != "":
				out.unit[ref] = filepath.Join(root, r.RootModule)
			default:
				out.unit[ref] = filepath.Dir(r.File)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Reported() {
		ref := model.RoleRef{Name: f.Role, RootModule: f.RootModule, Document: f.Document}.String()
		rel, _ := filepath.Rel(root, f.Range.File)
		out.findings[ref] = append(out.findings[ref], fmt.Sprintf("%s %s:%d:%d %s", f.RuleID, filepath.ToSlash(rel), f.Range.Start.Line, f.Range.Start.Column, f.Message))
	}
	for _, fs := range out.findings {
		sort.Strings(fs)
	}
	return out
}

// TestNamedFileFocus checks a focused scan (naming files of a Terraform
// module evaluates only the roles they can affect,
// parser.FocusModuleParser) on every file of every root module of the
// test data: for each role it evaluates, it reports exactly what a scan of
// the whole tree reports for that role, and it evaluates the roles the
// file declares. (That it misses no role a change of the file can affect
// is TestFocusSound in parser/terraform.) A file of a module that another
// module of the tree calls is left out: named alone, it is read as a root
// module of its own, as before focused scans.
func TestNamedFileFocus(t *testing.T) {
	engine, err := rules.New(context.Background(), rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var cases []string
	for _, dir := range []string{"../testdata/terraform-real", "../testdata/fixtures", "../testdata/examples"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() {
				cases = append(cases, filepath.Join(dir, e.Name()))
			}
		}
	}
	checked := 0
	for _, c := range cases {
		var files []string // the .tf files of the case, relative to it
		_ = filepath.WalkDir(c, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == ".terraform" {
				return fs.SkipDir
			}
			if !d.IsDir() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tf.json")) {
				rel, _ := filepath.Rel(c, p)
				files = append(files, rel)
			}
			return nil
		})
		dirs := map[string]bool{}
		for _, f := range files {
			dirs[filepath.Dir(filepath.Join(c, f))] = true
		}
		called := terraform.Parser{}.CalledModules(slices.Collect(maps.Keys(dirs)), c)
		files = slices.DeleteFunc(files, func(f string) bool { return called[filepath.Dir(filepath.Join(c, f))] })
		if len(files) == 0 {
			continue
		}
		t.Run(filepath.Base(c), func(t *testing.T) {
			dir, _ := loadCase(t, c)
			full := runFocus(t, engine, dir, dir)
			for _, f := range files {
				named := filepath.Join(dir, f)
				unit := filepath.Dir(named)
				focused := runFocus(t, engine, dir, named)
				for role := range focused.roles {
					if !full.roles[role] {
						t.Errorf("naming %s: role %s is not in the scan of the tree", f, role)
					}
					if got, want := focused.findings[role], full.findings[role]; !slices.Equal(got, want) {
						t.Errorf("naming %s: role %s has findings\n%s\nwant\n%s", f, role, strings.Join(got, "\n"), strings.Join(want, "\n"))
					}
				}
				for r, u := range full.unit {
					if u == unit && !strings.HasPrefix(r, "module.") && full.files[r] == named {
						if !focused.roles[r] {
							t.Errorf("naming %s: role %s, declared in it, is not evaluated", f, r)
						}
					}
				}
				checked++
			}
		})
	}
	if checked < 40 {
		t.Errorf("only %d files checked; the test data lost its Terraform modules?", checked)
	}
}
