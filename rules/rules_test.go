package rules

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestRego runs every embedded _test.rego through OPA's test runner, with
// the same sandboxed capabilities as the engine.
func TestRego(t *testing.T) {
	mods, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseModules(mods)
	if err != nil {
		t.Fatal(err)
	}
	compiler := ast.NewCompiler().
		WithCapabilities(Capabilities()).
		WithEnablePrintStatements(true).
		WithStrict(true)
	ch, err := tester.NewRunner().
		SetCompiler(compiler).
		CapturePrintOutput(true).
		SetTimeout(30*time.Second).
		SetModules(parsed).
		RunTests(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r := range ch {
		n++
		switch {
		case r.Error != nil:
			t.Errorf("%s: %s: error: %v", r.Location, r.Name, r.Error)
		case r.Fail:
			t.Errorf("%s: %s failed\n%s", r.Location, r.Name, r.Output)
		}
	}
	if n == 0 {
		t.Fatal("no Rego tests ran")
	}
	t.Logf("%d Rego tests", n)
}

// TestRegoFormatted fails when a Rego file is not formatted as opa fmt
// would write it.
func TestRegoFormatted(t *testing.T) {
	mods, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mods {
		got, err := format.SourceWithOpts(m.Name, []byte(m.Src), format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: %v", m.Name, err)
			continue
		}
		if string(got) != m.Src {
			t.Errorf("%s is not formatted (opa fmt):\n%s", m.Name, firstDiff(m.Src, string(got)))
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n  have: " + al[i] + "\n  want: " + bl[i]
		}
	}
	return "length differs"
}

func TestCatalog(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		name string
		sev  float64
	}{
		"TL001": {"missing-external-id", 8.0},
		"TL002": {"missing-mfa", 6.5},
		"TL003": {"wildcard-principal", 9.5},
		"TL004": {"excessive-session-duration", 5.0},
	}
	cat := e.Catalog()
	for _, m := range cat {
		w, ok := want[m.ID]
		if !ok {
			continue
		}
		delete(want, m.ID)
		if m.Name != w.name || m.Severity != w.sev {
			t.Errorf("%s: got name %q severity %v, want %q %v", m.ID, m.Name, m.Severity, w.name, w.sev)
		}
		if !strings.Contains(strings.Join(m.Tags, ","), "security") {
			t.Errorf("%s: tags %v lack security", m.ID, m.Tags)
		}
		if m.Remediation == "" || m.Description == "" || m.Precision == "" {
			t.Errorf("%s: remediation, description and precision are required", m.ID)
		}
		if len(m.Title) > 60 || strings.ToLower(m.Title[:1]) != m.Title[:1] {
			t.Errorf("%s: title %q must be lowercase and at most 60 characters", m.ID, m.Title)
		}
	}
	for id := range want {
		t.Errorf("rule %s missing from catalog", id)
	}
	for i := 1; i < len(cat); i++ {
		if cat[i-1].ID >= cat[i].ID {
			t.Errorf("catalog not sorted or has duplicates: %s, %s", cat[i-1].ID, cat[i].ID)
		}
	}
}
