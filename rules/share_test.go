package rules

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/trustlint/trustlint/model"
)

// TestBuiltinRulesShareEvaluations guards what makes evaluations shareable:
// no built-in rule reads the role's identity (name, role_name, arn), the
// input as a whole or input.role as a whole, and the role attributes that
// some rules read (MaxSessionDuration, service_linked) key only the groups
// of those rules. No built-in rule reads the IAM path itself: roles on
// different paths share evaluations.
func TestBuiltinRulesShareEvaluations(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	allowed := []string{"own_account", "MaxSessionDuration", "service_linked"}
	plain := 0 // rules that read at most the policy and the own account
	for _, g := range e.groups {
		if g.reads.all || g.reads.role {
			t.Errorf("rules %v read the whole input or input.role: roles can no longer share evaluations", g.names)
		}
		for _, f := range g.reads.fields {
			if !slices.Contains(allowed, f) {
				t.Errorf("rules %v read input.role.%s: roles can no longer share evaluations", g.names, f)
			}
		}
		if !slices.Contains(g.reads.fields, "MaxSessionDuration") && !slices.Contains(g.reads.fields, "service_linked") {
			plain += len(g.names)
		}
	}
	if plain < len(e.catalog)-3 {
		t.Errorf("only %d of %d rules are keyed on the trust policy and the own account alone", plain, len(e.catalog))
	}
	reads := func(name string) []string {
		for _, g := range e.groups {
			if slices.Contains(g.names, name) {
				return g.reads.fields
			}
		}
		t.Fatalf("no group holds %s", name)
		return nil
	}
	if f := reads("excessive_session_duration"); !slices.Contains(f, "MaxSessionDuration") {
		t.Errorf("TL004 is keyed on %v, not on MaxSessionDuration", f)
	}
	if f := reads("service_confused_deputy"); !slices.Contains(f, "service_linked") {
		t.Errorf("TL007 is keyed on %v, not on whether the role is service-linked", f)
	}
}

// customRole is a role of the custom-rule tests; roles differ in name and
// MaxSessionDuration only.
func customRole(name string, msd any) *model.Role {
	return &model.Role{
		Name: name, Format: model.FormatAWSExport, OwnAccount: "111111111111", HasPolicy: true, MaxSessionDuration: msd,
		Policy: map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"Service": []any{"ec2.amazonaws.com"}},
		}}},
	}
}

// TestSharingFollowsWhatRulesRead checks that the key of an evaluation
// follows the references of the rules, directly or through a helper in
// another package: a rule that reads the role's name sees every role's own
// name, a rule that reads MaxSessionDuration sees each role's value, while
// the rules that read neither are evaluated once.
func TestSharingFollowsWhatRulesRead(t *testing.T) {
	meta := func(id string) string {
		return "# METADATA\n# title: t\n# description: d\n# custom:\n#   id: " + id + "\n#   name: custom-" + strings.ToLower(id) + "\n#   severity: 5\n"
	}
	mods := []Module{
		{Name: "name.rego", Src: meta("TL901") + "package trustlint.rules.direct_name\n\nimport data.trustlint.lib\n\ndeny contains lib.finding(input.role.name, [\"role\"])\n"},
		{Name: "helper.rego", Src: "package trustlint.helpers\n\nwho := sprintf(\"via %s\", [input.role.name])\n"},
		{Name: "indirect.rego", Src: meta("TL902") + "package trustlint.rules.indirect_name\n\nimport data.trustlint.helpers\nimport data.trustlint.lib\n\ndeny contains lib.finding(helpers.who, [\"role\"])\n"},
		{Name: "whole.rego", Src: meta("TL903") + "package trustlint.rules.whole_input\n\nimport data.trustlint.lib\n\ndeny contains lib.finding(sprintf(\"%d\", [count(input.role)]), [\"role\"])\n"},
	}
	base, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	e, err := Compile(context.Background(), append(base, mods...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	roles := []*model.Role{customRole("alpha", nil), customRole("beta", nil), customRole("gamma", 90000.0)}
	got := map[string][]string{}
	for _, r := range roles {
		fs, err := e.EvalRole(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			line := f.Rule.ID // built-in messages are the rules' business
			if strings.HasPrefix(line, "TL9") {
				line += " " + f.Message
			}
			got[r.Name] = append(got[r.Name], line)
		}
	}
	want := map[string][]string{
		"alpha": {"TL901 alpha", "TL902 via alpha", "TL903 3"},
		"beta":  {"TL901 beta", "TL902 via beta", "TL903 3"},
		"gamma": {"TL004", "TL013", "TL901 gamma", "TL902 via gamma", "TL903 4"},
	}
	for name, w := range want {
		if !slices.Equal(got[name], w) {
			t.Errorf("%s: got\n  %s\nwant\n  %s", name, strings.Join(got[name], "\n  "), strings.Join(w, "\n  "))
		}
	}
	// The rules that read neither the name nor MaxSessionDuration ran once
	// for the three roles, those that read MaxSessionDuration twice, those
	// that read the name three times.
	evals := map[string]int{}
	for _, g := range e.groups {
		for _, n := range g.names {
			evals[n] = len(slices.Collect(func(yield func(any) bool) {
				g.memo.Range(func(k, _ any) bool { return yield(k) })
			}))
		}
	}
	for name, n := range map[string]int{"missing_external_id": 1, "excessive_session_duration": 2, "direct_name": 3, "indirect_name": 3, "whole_input": 3} {
		if evals[name] != n {
			t.Errorf("%s: evaluated %d times, want %d", name, evals[name], n)
		}
	}
}

// TestPathDoesNotSplitRoles checks that roles on different IAM paths share
// their evaluations, and that a service-linked role still gets its own
// TL007 answer.
func TestPathDoesNotSplitRoles(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	role := func(path string) *model.Role {
		return &model.Role{
			Name: "r" + path, Format: model.FormatAWSExport, OwnAccount: "111111111111", HasPolicy: true, IAMPath: path,
			Policy: map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
				"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"Service": []any{"sns.amazonaws.com"}},
			}}},
		}
	}
	var got []string
	for _, path := range []string{"/", "/app/", "/aws-service-role/sns.amazonaws.com/"} {
		fs, err := e.EvalRole(context.Background(), role(path))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, f := range fs {
			ids = append(ids, f.Rule.ID)
		}
		got = append(got, path+" "+strings.Join(ids, ","))
	}
	if want := "/ TL007; /app/ TL007; /aws-service-role/sns.amazonaws.com/ "; strings.Join(got, "; ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, "; "), want)
	}
	// The first role evaluates every rule, the second none, the third
	// TL007's group only.
	if n := e.Stats().Evaluations; n != 2 {
		t.Errorf("%d evaluations, want 2", n)
	}
}

// TestRulesRef: the reference built by hand is the one OPA parses.
func TestRulesRef(t *testing.T) {
	want := ast.MustParseRef(strings.TrimSuffix(rulePackagePrefix, "."))
	if got := rulesRef(); !got.Equal(want) || got[0].Value.Compare(want[0].Value) != 0 {
		t.Errorf("rulesRef() = %v, want %v", got, want)
	}
}
