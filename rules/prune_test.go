package rules

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
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
		"broad_trust_action[[trust_statements] [trust_statements]]",
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
	// IDs and MFA conditions are left out.
	svc := e.prune.facts(toValue(map[string]any{"policy": map[string]any{"Statement": []any{
		map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"Service": []any{"lambda.amazonaws.com"}}},
	}}}))
	kept, all := e.prune.kept(e.names, svc)
	if want := []string{"allow_not_principal", "broad_trust_action", "deleted_principal", "eks_pod_identity_unscoped", "excessive_session_duration",
		"invalid_trust_policy", "roles_anywhere_unscoped", "service_confused_deputy"}; all || !slices.Equal(kept, want) {
		t.Errorf("kept for a service role: %v (all %v), want %v", kept, all, want)
	}
	// No policy: only the rules that read more than lib's facts.
	kept, _ = e.prune.kept(e.names, e.prune.facts(toValue(map[string]any{"role": map[string]any{"name": "r"}})))
	if want := []string{"allow_not_principal", "deleted_principal", "excessive_session_duration", "invalid_trust_policy"}; !slices.Equal(kept, want) {
		t.Errorf("kept without a policy: %v, want %v", kept, want)
	}
}

// TestPruneSame compares every finding on the generated corpus with and
// without pruning, and checks that the corpus prunes.
func TestPruneSame(t *testing.T) {
	pruned := corpusFindings(t, Options{})
	sameLines(t, "pruned", pruned, "every rule evaluated", corpusFindings(t, Options{noPrune: true}))
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := benchInput()
	in["policy"].(map[string]any)["Statement"] = []any{map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"Service": []any{"ec2.amazonaws.com"}}}}
	if _, err := e.Eval(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	n := 0
	e.subsets.Range(func(any, any) bool { n++; return true })
	if n == 0 {
		t.Error("a service role evaluated every rule")
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
