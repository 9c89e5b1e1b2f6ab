package scan_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/trustlint/trustlint/config"
	"github.com/trustlint/trustlint/internal/exportgen"
	"github.com/trustlint/trustlint/rules"
	"github.com/trustlint/trustlint/scan"
)

// TestSharedEvaluationsChangeNothing scans the fixtures, the bundled
// examples and a generated export twice, once evaluating every role on its
// own and once sharing evaluations between roles that agree on what the
// rules read, and requires identical findings and diagnostics.
func TestSharedEvaluationsChangeNothing(t *testing.T) {
	export := filepath.Join(t.TempDir(), "export.json")
	f, err := os.Create(export)
	if err != nil {
		t.Fatal(err)
	}
	if err := exportgen.Write(f, 1000); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.TrustedAccounts = exportgen.TrustedAccounts()
	runs := []scan.Options{
		{Paths: []string{"../testdata/fixtures", "../testdata/examples"}, Root: ".."},
		{Paths: []string{export}},
	}
	for _, opts := range runs {
		var got [2]*scan.Result
		for i, noShare := range []bool{true, false} {
			engine, err := rules.New(context.Background(), rules.Options{Config: cfg.RegoData(), NoShare: noShare})
			if err != nil {
				t.Fatal(err)
			}
			o := opts
			o.Engine, o.Config = engine, cfg
			if got[i], err = scan.Run(context.Background(), o); err != nil {
				t.Fatal(err)
			}
			if !noShare && engine.Stats().Reused == 0 {
				t.Errorf("%v: no role reused an evaluation", opts.Paths)
			}
		}
		if len(got[0].Findings) == 0 {
			t.Fatalf("%v: no findings", opts.Paths)
		}
		if !reflect.DeepEqual(got[0].Findings, got[1].Findings) {
			for i := range min(len(got[0].Findings), len(got[1].Findings)) {
				if a, b := got[0].Findings[i], got[1].Findings[i]; !reflect.DeepEqual(a, b) {
					t.Fatalf("%v: finding %d differs:\nalone:  %+v\nshared: %+v", opts.Paths, i, a, b)
				}
			}
			t.Fatalf("%v: %d findings alone, %d shared", opts.Paths, len(got[0].Findings), len(got[1].Findings))
		}
		if !reflect.DeepEqual(got[0].Diagnostics, got[1].Diagnostics) {
			t.Errorf("%v: diagnostics differ", opts.Paths)
		}
	}
}
