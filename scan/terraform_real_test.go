package scan_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/terraform-real/*/expected.txt")

// TestTerraformReal scans the Terraform layouts of testdata/terraform-real,
// written the way public modules and their callers are, and compares every
// finding (rule, file, line, role address and, for a role in a called
// module, its root module) and every diagnostic with the
// case's expected.txt exactly. -update rewrites the files.
func TestTerraformReal(t *testing.T) {
	cases, err := filepath.Glob("../testdata/terraform-real/*")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, c := range cases {
		t.Run(filepath.Base(c), func(t *testing.T) {
			t.Parallel()
			dir, _ := loadCase(t, c)
			res := runCase(t, dir)
			var lines []string
			rel := func(p string) string {
				r, err := filepath.Rel(dir, p)
				if err != nil {
					return p
				}
				return filepath.ToSlash(r)
			}
			for _, f := range res.Reported() {
				line := fmt.Sprintf("%s %s:%d %s", f.RuleID, rel(f.Range.File), f.Range.Start.Line, f.Role)
				if f.RootModule != "" {
					line += " (root " + f.RootModule + ")"
				}
				lines = append(lines, line)
			}
			for _, d := range res.Diagnostics {
				level := "note"
				if d.IsError() {
					level = "error"
				}
				lines = append(lines, fmt.Sprintf("%s %s:%d %s", level, rel(d.Range.File), d.Range.Start.Line, d.Message))
			}
			sort.Strings(lines)
			got := strings.Join(lines, "\n") + "\n"
			file := filepath.Join(c, "expected.txt")
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
