package rules

import (
	"context"
	"strings"
	"testing"
)

func TestCustomRules(t *testing.T) {
	mods, err := LoadDir("../testdata/custom-rules/good")
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), Options{Custom: mods})
	if err != nil {
		t.Fatal(err)
	}
	var meta string
	for _, m := range e.Catalog() {
		if m.ID == "ACME001" {
			meta = m.Name + " " + m.Level()
		}
	}
	if meta != "require-org-id medium" {
		t.Fatalf("custom rule in catalog: got %q", meta)
	}
	in := map[string]any{"role": map[string]any{"name": "r", "own_account": "111111111111"}, "policy": map[string]any{"Statement": []any{
		map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"AWS": []any{"222222222222"}},
			"Condition": map[string]any{"StringEquals": map[string]any{"sts:ExternalId": []any{"abc123"}}}},
	}}}
	fs, err := e.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.Rule.ID+" "+f.Path.String())
	}
	if got := strings.Join(ids, "; "); got != "ACME001 policy.Statement[0].Principal.AWS[0]" {
		t.Errorf("got findings %q", got)
	}
	results, err := RunTests(context.Background(), mods)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range results {
		if !strings.HasPrefix(r.Name, "trustlint.rules.require_org_id_test.") {
			continue
		}
		n++
		if r.Fail || r.Err != nil {
			t.Errorf("%s: %s failed: %v", r.Location, r.Name, r.Err)
		}
	}
	if n != 2 {
		t.Errorf("ran %d of the user's tests, want 2", n)
	}
}

func TestBadCustomRules(t *testing.T) {
	tests := []struct{ dir, want string }{
		{"syntax", "testdata/custom-rules/syntax/broken.rego:13: rego_parse_error"},
		{"nometa", "testdata/custom-rules/nometa/nometa.rego:1: rule package data.trustlint.rules.nometa has no METADATA"},
		{"clash", "testdata/custom-rules/clash/clash.rego:9: rule ID TL001 is already used by rules/checks/missing_external_id/missing_external_id.rego"},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			mods, err := LoadDir("../testdata/custom-rules/" + tt.dir)
			if err != nil {
				t.Fatal(err)
			}
			_, err = New(context.Background(), Options{Custom: mods})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if _, err := LoadDir("../testdata/custom-rules/missing"); err == nil {
		t.Error("LoadDir of a missing directory: no error")
	}
}
