package scan_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/config"
	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/rules"
	"github.com/trustlint/trustlint/scan"
)

// wantRE matches an expectation comment at the end of a fixture line:
// `// want TL001 TL003` (JSON, HCL) or `# want TL001` (YAML, HCL). The
// harness blanks it with spaces before parsing, so JSON stays valid and every
// line and column is unchanged.
// `want note` expects a note (an unused suppression) on the line.
var wantRE = regexp.MustCompile(`(?://|#) want((?: (?:TL[0-9]{3}|note))+)\s*$`)

// expectation is one wanted finding: file (relative to the case), line, rule.
type expectation struct {
	file string
	line int
	rule string
}

func (e expectation) String() string { return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.rule) }

// loadCase copies a fixture directory to a temporary one with the want
// comments blanked, and returns the expectations it found. Files named
// *.golden and .trustlint.yaml are copied as they are.
func loadCase(t *testing.T, dir string) (string, []expectation) {
	t.Helper()
	tmp := t.TempDir()
	var wants []expectation
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		lines := strings.SplitAfter(string(src), "\n")
		for i, l := range lines {
			body := strings.TrimRight(l, "\r\n")
			m := wantRE.FindStringSubmatchIndex(body)
			if m == nil {
				continue
			}
			for _, id := range strings.Fields(body[m[2]:m[3]]) {
				wants = append(wants, expectation{filepath.ToSlash(rel), i + 1, id})
			}
			lines[i] = body[:m[0]] + strings.Repeat(" ", m[1]-m[0]) + l[len(body):]
		}
		out := filepath.Join(tmp, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, []byte(strings.Join(lines, "")), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return tmp, wants
}

// runCase scans a prepared fixture directory with its own .trustlint.yaml.
func runCase(t *testing.T, dir string) *scan.Result {
	t.Helper()
	return runPaths(t, dir, dir)
}

// runPaths scans paths with the .trustlint.yaml of the prepared fixture
// directory dir.
func runPaths(t *testing.T, dir string, paths ...string) *scan.Result {
	t.Helper()
	cfg := config.Default()
	if p := config.Find(dir); p != "" {
		var err error
		if cfg, err = config.Load(p); err != nil {
			t.Fatal(err)
		}
	}
	engine, err := rules.New(context.Background(), rules.Options{Config: cfg.RegoData(), Disabled: cfg.Disabled()})
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), scan.Options{Paths: paths, Config: cfg, Engine: engine})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestFixtures scans every case under testdata/fixtures and compares the
// findings with the want comments exactly: each finding needs a want on the
// line where it resolves, and each want needs a finding.
func TestFixtures(t *testing.T) {
	cases, err := filepath.Glob("../testdata/fixtures/*")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no fixture cases: %v", err)
	}
	for _, c := range cases {
		t.Run(filepath.Base(c), func(t *testing.T) {
			t.Parallel()
			dir, wants := loadCase(t, c)
			checkCase(t, dir, wants, runCase(t, dir))
		})
	}
}

// TestFixturesNamed scans the files of the cases whose files are all
// inputs, each named on the command line, and compares the findings with
// the want comments as TestFixtures does: a file of several JSON documents
// gives the same findings named as found by a directory walk.
func TestFixturesNamed(t *testing.T) {
	for _, c := range []string{"json-streams", "json-streams-mixed"} {
		t.Run(c, func(t *testing.T) {
			t.Parallel()
			dir, wants := loadCase(t, filepath.Join("../testdata/fixtures", c))
			files, err := filepath.Glob(filepath.Join(dir, "*.json"))
			if err != nil || len(files) < 3 {
				t.Fatalf("got files %q: %v", files, err)
			}
			checkCase(t, dir, wants, runPaths(t, dir, files...))
		})
	}
}

// checkCase compares the findings and notes of res, a scan of the prepared
// fixture directory dir, with wants, and fails on any error.
func checkCase(t *testing.T, dir string, wants []expectation, res *scan.Result) {
	t.Helper()
	var got []expectation
	for _, d := range res.Diagnostics {
		if d.IsError() {
			t.Errorf("unexpected error: %s", d.Error())
			continue
		}
		rel, _ := filepath.Rel(dir, d.Range.File)
		got = append(got, expectation{filepath.ToSlash(rel), d.Range.Start.Line, "note"})
	}
	for _, f := range res.Reported() {
		if strings.Contains(f.Message, model.OwnAccountToken) {
			t.Errorf("%s: message shows the internal own-account token: %s", f.RuleID, f.Message)
		}
		rel, _ := filepath.Rel(dir, f.Range.File)
		got = append(got, expectation{filepath.ToSlash(rel), f.Range.Start.Line, f.RuleID})
	}
	compare(t, got, wants, res)
}

func compare(t *testing.T, got, want []expectation, res *scan.Result) {
	t.Helper()
	key := func(e expectation) string { return e.String() }
	count := map[string]int{}
	for _, w := range want {
		count[key(w)]++
	}
	for _, g := range got {
		count[key(g)]--
	}
	var extra, missing []string
	for k, n := range count {
		for ; n < 0; n++ {
			extra = append(extra, k)
		}
		for ; n > 0; n-- {
			missing = append(missing, k)
		}
	}
	sort.Strings(extra)
	sort.Strings(missing)
	for _, e := range extra {
		t.Errorf("unexpected finding %s", e)
	}
	for _, m := range missing {
		t.Errorf("missing finding %s (surplus expectation)", m)
	}
	if t.Failed() {
		for _, f := range res.Findings {
			t.Logf("finding: %s", f.String())
		}
	}
}
