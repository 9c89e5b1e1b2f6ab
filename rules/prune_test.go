package rules

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestPruneTable checks what the engine reads in the embedded rules: the
// facts each rule's deny bodies enumerate (a rule rewritten so that a body
// enumerates none is evaluated on every role: correct, but slower).
func TestPruneTable(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e.prune == nil {
		t.Fatal("no pruning on the embedded rules: lib's facts are not what prune.go computes (see newPruner)")
	}
	var got []string
	for _, name := range slices.Sorted(maps.Keys(e.prune.bodies)) {
		got = append(got, fmt.Sprint(name, e.prune.bodies[name]))
	}
	want := []string{
		"broad_trust_action[[broad_action_statements] [broad_action_statements]]",
		"cognito_unauthenticated[[federated_principals] [federated_principals]]",
		"eks_pod_identity_unscoped[[service_principals]]",
		"mfa_if_exists[[mfa_if_exists_statements]]",
		"missing_external_id[[aws_principals]]",
		"missing_mfa[[aws_principals]]",
		"oidc_missing_audience[[federated_principals]]",
		"oidc_unrestricted_subject[[federated_principals]]",
		"roles_anywhere_unscoped[[service_principals]]",
		"saml_missing_audience[[federated_principals]]",
		"service_confused_deputy[[service_principals]]",
		"tag_session_unrestricted[[aws_principals key_patterns tests] [tag_session_statements]]",
		"weak_external_id[[external_id_statements]]",
		"wildcard_principal[[aws_principals]]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("pruned rules:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A service role: the rules of AWS and federated principals, external
	// IDs, MFA conditions and broad actions are left out.
	svc := e.prune.facts(toValue(map[string]any{"policy": map[string]any{"Statement": []any{
		map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"Service": []any{"lambda.amazonaws.com"}}},
	}}}))
	if got, want := e.prune.pruned(e.names, svc), []string{"broad_trust_action", "cognito_unauthenticated", "mfa_if_exists", "missing_external_id", "missing_mfa",
		"oidc_missing_audience", "oidc_unrestricted_subject", "saml_missing_audience", "tag_session_unrestricted", "weak_external_id",
		"wildcard_principal"}; !slices.Equal(got, want) {
		t.Errorf("pruned for a service role: %v, want %v", got, want)
	}
	// No policy: every rule that reads only lib's facts.
	if got, want := e.prune.pruned(e.names, e.prune.facts(toValue(map[string]any{"role": map[string]any{"name": "r"}}))), slices.Sorted(maps.Keys(e.prune.bodies)); !slices.Equal(got, want) {
		t.Errorf("pruned without a policy: %v, want %v", got, want)
	}
}

// TestPruneSame compares every finding on the generated corpus with and
// without pruning (the corpus meets subsets of rules fewer and more than
// subsetAfter times: both ways of leaving rules out), and checks that a
// service role prunes, by the cache first and then by a query of its own.
func TestPruneSame(t *testing.T) {
	pruned := corpusFindings(t, Options{})
	sameLines(t, "pruned", pruned, "every rule evaluated", corpusFindings(t, Options{noPrune: true}))
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := benchInput()
	in["policy"].(map[string]any)["Statement"] = []any{map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"Service": []any{"ec2.amazonaws.com"}}}}
	for range subsetAfter + 2 {
		fs, err := e.Eval(context.Background(), in)
		if err != nil || len(fs) != 1 || fs[0].Rule.ID != "TL004" {
			t.Fatalf("findings %v, err %v; want TL004 alone", fs, err)
		}
	}
	if e.skipped.Load() == 0 {
		t.Error("a service role evaluated every rule")
	}
	prepared := 0
	e.subsets.Range(func(_, v any) bool {
		if sq := v.(*subsetQuery); sq.seen.Load() > subsetAfter && sq.err == nil {
			prepared++
		}
		return true
	})
	if prepared != 1 {
		t.Errorf("%d subset queries prepared, want 1", prepared)
	}
}

// TestNoPruneWithUserModules: a rule set with a module of the user's own
// besides rule packages (it could add to lib) is evaluated whole.
func TestNoPruneWithUserModules(t *testing.T) {
	e, err := New(context.Background(), Options{Custom: []Module{{Name: "mylib.rego", Src: "package mycompany.helpers\n\nx := 1\n"}}})
	if err != nil {
		t.Fatal(err)
	}
	if e.prune != nil {
		t.Error("pruning with a user module")
	}
}

// TestPruneChecksLib: lib's facts are pruned on only when they are the
// builtin's result as prune.go computes it.
func TestPruneChecksLib(t *testing.T) {
	compile := func(stmts string) *ast.Compiler {
		t.Helper()
		c, err := ast.CompileModulesWithOpt(map[string]string{"lib.rego": `package trustlint.lib

_facts := trustlint.policy_facts(_statements, vocabulary, providers)

default _statements := []

_statements := ` + stmts + `

vocabulary := {"x": 1}

default providers := []

providers := data.trustlint.providers

aws_principals := _facts.aws_principals

service_principals := {p | some p in _facts.service_principals; p.name != "x"}
`}, ast.CompileOpts{ParserOptions: ast.ParserOptions{RegoVersion: ast.RegoV1}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := compile("input.policy.Statement")
	if got := libFacts(c); !maps.Equal(got, map[string]bool{"aws_principals": true}) {
		t.Errorf("lib facts %v, want aws_principals alone (service_principals filters the builtin's)", got)
	}
	if !factsFromBuiltin(c) {
		t.Error("_facts of _statements = input.policy.Statement not recognized")
	}
	if factsFromBuiltin(compile("input.policy.Statements")) {
		t.Error("_facts of another input member recognized")
	}
}

// TestPruneWeight: a rule's weight is what its bodies enumerate (each
// body by its smallest fact), unknown for a rule with a body that
// enumerates none.
func TestPruneWeight(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	pol := splitPolicy(60) // ten statements of each of six kinds
	facts := e.prune.facts(toValue(map[string]any{"policy": pol}))
	for name, want := range map[string]int{
		"missing_external_id":      50, // one AWS principal in five statements of six
		"service_confused_deputy":  10,
		"oidc_missing_audience":    0,
		"broad_trust_action":       20, // two bodies over the ten sts:* statements
		"tag_session_unrestricted": 70, // the AWS principals (fewer than the statements' tests), plus the 20 statements that allow TagSession
		"invalid_trust_policy":     -1,
	} {
		if got := e.prune.weight(name, facts); got != want {
			t.Errorf("weight(%s) = %d, want %d", name, got, want)
		}
	}
}
