package rules

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// customRule returns a custom rule module whose deny body is body.
func customModule(pkg, id, body string) Module {
	return Module{Name: "acme/" + pkg + ".rego", Src: `# METADATA
# title: acme check ` + pkg + `
# description: a rule of the user's own
# scope: package
# custom:
#   id: ` + id + `
#   name: ` + strings.ReplaceAll(pkg, "_", "-") + `
#   severity: 5.0
#   precision: high
#   tags: [acme]
#   remediation: none
package trustlint.rules.` + pkg + `

import data.trustlint.lib

deny contains f if {
` + body + `
}
`}
}

// TestCustomRuleLimits: a custom rule that loops too long or builds too
// much is stopped with an error naming it, and every other rule, built-in
// or custom, still reports on the role.
func TestCustomRuleLimits(t *testing.T) {
	mods := []Module{
		// 25 million steps: far beyond 200 ms.
		customModule("slow", "ACME010", `	some i in numbers.range(1, 5000)
	some j in numbers.range(1, 5000)
	i * j == -1
	f := lib.finding("never", ["policy"])`),
		// A growing comprehension of long strings: far beyond 32 MB.
		customModule("greedy", "ACME011", `	xs := [s | some i in numbers.range(1, 2000000); s := sprintf("%v-%v", [i, input.policy])]
	count(xs) == -1
	f := lib.finding("never", ["policy"])`),
		customModule("fine", "ACME012", `	some stmt in input.policy.Statement
	stmt.Effect == "Allow"
	f := lib.finding("an allow statement", ["policy", "Statement", 0])`),
	}
	in := map[string]any{"role": map[string]any{"name": "r"}, "policy": map[string]any{"Statement": []any{
		map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"AWS": []any{"*"}}},
	}}}
	tests := []struct {
		name   string
		mods   []Module
		limits Limits
		want   string
	}{
		{"time", []Module{mods[0], mods[2]}, Limits{Timeout: 200 * time.Millisecond}, "ACME010 time 200ms"},
		{"memory", []Module{mods[1], mods[2]}, Limits{Timeout: time.Minute, Memory: 32 << 20}, "ACME011 memory 32 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := New(context.Background(), Options{Custom: tt.mods, Limits: tt.limits})
			if err != nil {
				t.Fatal(err)
			}
			fs, err := e.Eval(context.Background(), in)
			var l *LimitError
			if !errors.As(err, &l) {
				t.Fatalf("got error %v, want a LimitError", err)
			}
			if got := l.Rule + " " + l.What + " " + l.Limit; got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if !strings.Contains(err.Error(), "custom rule "+l.Rule+" (acme/") {
				t.Errorf("the message does not name the rule and its file: %v", err)
			}
			var ids []string
			for _, f := range fs {
				ids = append(ids, f.Rule.ID)
			}
			if got := strings.Join(ids, " "); !strings.Contains(got, "TL003") || !strings.Contains(got, "ACME012") {
				t.Errorf("findings %q: want the built-in TL003 and the custom ACME012 beside the stopped rule", got)
			}
		})
	}
}
