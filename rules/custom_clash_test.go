package rules

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCustomRulesDirNamedRules checks that a user's rules directory named
// rules/, holding files named like built-in modules (main.rego, the path of
// a built-in check), loads beside the built-in rules without replacing
// any, and that its rules are not taken for built-in ones.
func TestCustomRulesDirNamedRules(t *testing.T) {
	good, err := os.ReadFile("../testdata/custom-rules/good/require_org_id/require_org_id.rego")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, src := range map[string]string{
		"rules/main.rego": string(good),
		"rules/checks/missing_external_id/missing_external_id.rego": strings.NewReplacer(
			"require_org_id", "require_org_id_too", "ACME001", "ACME002", "require-org-id", "require-org-id-too").Replace(string(good)),
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	mods, err := LoadDir("rules")
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), Options{Custom: mods})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range e.Catalog() {
		if m.ID == "TL001" || strings.HasPrefix(m.ID, "ACME") {
			got[m.ID] = m.Source
			if m.Builtin != (m.ID == "TL001") {
				t.Errorf("%s (%s): Builtin = %v", m.ID, m.Source, m.Builtin)
			}
		}
	}
	want := map[string]string{
		"TL001":   "rules/checks/missing_external_id/missing_external_id.rego",
		"ACME001": "./rules/main.rego",
		"ACME002": "./rules/checks/missing_external_id/missing_external_id.rego",
	}
	if len(got) != len(want) {
		t.Fatalf("catalog sources %v, want %v", got, want)
	}
	for id, src := range want {
		if got[id] != src {
			t.Errorf("%s from %q, want %q", id, got[id], src)
		}
	}
	in := map[string]any{"role": map[string]any{"name": "r", "own_account": "111111111111"}, "policy": map[string]any{"Statement": []any{
		map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"AWS": []any{"222222222222"}}},
	}}}
	raws, err := e.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	fired := map[string]bool{}
	for _, r := range raws {
		fired[r.Rule.ID] = true
	}
	for _, id := range []string{"TL001", "ACME001", "ACME002"} {
		if !fired[id] {
			t.Errorf("%s did not fire: %v", id, fired)
		}
	}
}

// TestCustomRulesBuiltinPackage checks that a user's rule declaring a
// built-in package is an error naming both files, not a merge that changes
// the built-in rule.
func TestCustomRulesBuiltinPackage(t *testing.T) {
	good, err := os.ReadFile("../testdata/custom-rules/good/require_org_id/require_org_id.rego")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.NewReplacer("package trustlint.rules.require_org_id", "package trustlint.rules.missing_external_id").Replace(string(good))
	for _, name := range []string{"acme/mine.rego", "rules/checks/missing_external_id/missing_external_id.rego"} {
		_, err = New(context.Background(), Options{Custom: []Module{{Name: name, Src: src}}})
		want := "acme/mine.rego:15: package data.trustlint.rules.missing_external_id is built in (rules/checks/missing_external_id/missing_external_id.rego)"
		if strings.HasPrefix(name, "rules/") {
			want = "rules/checks/missing_external_id/missing_external_id.rego: the name of a built-in module"
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error containing %q", name, err, want)
		}
	}
}
