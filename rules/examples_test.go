package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestRuleExamples checks that every rule's METADATA has
// custom.examples.<format>.bad and .good for JSON, Terraform and
// CloudFormation: the rule documentation (docs/rules, trustlint explain)
// shows them, and internal/ruledoc's tests scan them to check that the bad
// one is reported and the fixed one is not.
func TestRuleExamples(t *testing.T) {
	mods, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseModules(mods)
	if err != nil {
		t.Fatal(err)
	}
	list := make([]*ast.Module, 0, len(parsed))
	for _, m := range parsed {
		list = append(list, m)
	}
	as, errs := ast.BuildAnnotationSet(list)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	formats := []string{"json", "terraform", "cloudformation"}
	n := 0
	for _, m := range list {
		if !strings.HasPrefix(m.Package.Path.String(), rulePackagePrefix) {
			continue
		}
		a := as.GetPackageScope(m.Package)
		if a == nil {
			continue // TestBadRuleMetadata's business
		}
		n++
		id, _ := a.Custom["id"].(string)
		where := m.Package.Location.File + " (" + id + ")"
		ex, ok := a.Custom["examples"].(map[string]any)
		if !ok {
			t.Errorf("%s: METADATA custom.examples is missing", where)
			continue
		}
		for key := range ex {
			if !slices.Contains(formats, key) {
				t.Errorf("%s: custom.examples.%s: unknown format (want %s)", where, key, strings.Join(formats, ", "))
			}
		}
		for _, f := range formats {
			e, ok := ex[f].(map[string]any)
			if !ok {
				t.Errorf("%s: custom.examples.%s is missing", where, f)
				continue
			}
			for key := range e {
				if key != "bad" && key != "good" {
					t.Errorf("%s: custom.examples.%s.%s: unknown key (want bad and good)", where, f, key)
				}
			}
			bad, _ := e["bad"].(string)
			good, _ := e["good"].(string)
			if strings.TrimSpace(bad) == "" || strings.TrimSpace(good) == "" {
				t.Errorf("%s: custom.examples.%s needs a non-empty bad and good example", where, f)
			} else if bad == good {
				t.Errorf("%s: custom.examples.%s: the good example is the bad one", where, f)
			}
		}
	}
	if n < 18 {
		t.Errorf("checked %d rules, want at least 18", n)
	}
}
