package scan_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/config"
	"github.com/trustlint/trustlint/internal/exportgen"
	"github.com/trustlint/trustlint/rules"
	"github.com/trustlint/trustlint/scan"
)

// TestLargeExport scans a generated 5,000-role authorization-details export
// (half of the documents URL-encoded) and checks every finding: the right
// rule, on the line of the right role, and nothing else.
func TestLargeExport(t *testing.T) {
	const n = 5000
	path := filepath.Join(t.TempDir(), "export.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := exportgen.Write(f, n); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.TrustedAccounts = exportgen.TrustedAccounts()
	engine, err := rules.New(context.Background(), rules.Options{Config: cfg.RegoData()})
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{path}, Engine: engine, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) > 0 {
		t.Fatalf("unexpected errors: %v", res.Diagnostics[0].Error())
	}
	if res.Stats.RolesAnalyzed != n {
		t.Errorf("analyzed %d roles, want %d", res.Stats.RolesAnalyzed, n)
	}
	var want, got []string
	perKind := map[string]int{}
	for i := range n {
		r := exportgen.Expected(i)
		perKind[r.Kind.Name]++
		for _, id := range r.Kind.Want {
			want = append(want, fmt.Sprintf("%s %d %s", r.Name, r.Line, id))
		}
	}
	for _, fd := range res.Findings {
		got = append(got, fmt.Sprintf("%s %d %s", fd.Role, fd.Range.Start.Line, fd.RuleID))
	}
	sort.Strings(want)
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %d findings, want %d; first differences:\n%s", len(got), len(want), firstDiffs(got, want))
	}
	for _, k := range exportgen.Kinds {
		if perKind[k.Name] == 0 {
			t.Errorf("the generated export has no %s role", k.Name)
		}
	}
}

func firstDiffs(got, want []string) string {
	g := map[string]bool{}
	for _, s := range got {
		g[s] = true
	}
	w := map[string]bool{}
	for _, s := range want {
		w[s] = true
	}
	var out []string
	for _, s := range got {
		if !w[s] && len(out) < 5 {
			out = append(out, "unexpected: "+s)
		}
	}
	for _, s := range want {
		if !g[s] && len(out) < 10 {
			out = append(out, "missing: "+s)
		}
	}
	return strings.Join(out, "\n")
}

// BenchmarkScanExport scans a generated 20,000-role export laid out as the
// AWS CLI prints it (about 50 MB). "shared" is the default engine, which
// evaluates identical trust policies once; "unique" evaluates every role, the
// worst case of an account where no two roles trust the same principals.
func BenchmarkScanExport(b *testing.B) {
	const n = 20000
	path := filepath.Join(b.TempDir(), "export.json")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := exportgen.WritePretty(f, n); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	for _, noShare := range []bool{false, true} {
		name := "shared"
		if noShare {
			name = "unique"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(st.Size())
			for b.Loop() {
				engine, err := rules.New(context.Background(), rules.Options{NoShare: noShare})
				if err != nil {
					b.Fatal(err)
				}
				res, err := scan.Run(context.Background(), scan.Options{Paths: []string{path}, Engine: engine})
				if err != nil || res.Stats.RolesAnalyzed != n {
					b.Fatalf("analyzed %d roles, err %v", res.Stats.RolesAnalyzed, err)
				}
				b.ReportMetric(float64(engine.Stats().Evaluations), "evals/op")
			}
		})
	}
}
