package rules

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestEveryOperatorEvaluates evaluates every built-in rule on trust
// policies whose statements test each condition key the rules read with
// each operator IAM has (with and without the ForAllValues:/ForAnyValue:
// set prefixes and the IfExists suffix), over every kind of principal. A
// Rego function whose bodies give two values for one input is an
// evaluation error that loses every finding of the role (TL010 had one
// for ForAllValues:StringEqualsIfExists), so no combination may fail.
func TestEveryOperatorEvaluates(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	bases := []string{
		"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
		"StringLike", "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan",
		"NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals",
		"DateLessThan", "DateGreaterThan", "Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
		"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
	}
	keys := []string{
		"sts:ExternalId", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge",
		"aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalArn", "aws:PrincipalAccount",
		"aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:PrincipalIsAWSService",
		"token.actions.githubusercontent.com:sub", "token.actions.githubusercontent.com:aud",
		"token.actions.githubusercontent.com:repository_owner", "SAML:aud", "SAML:sub",
		"cognito-identity.amazonaws.com:aud", "cognito-identity.amazonaws.com:amr",
		"aws:RequestTag/team", "aws:TagKeys", "sts:RoleSessionName", "sts:SourceIdentity",
		"aws:SourceIdentity", "aws:PrincipalTag/team", "aws:RequestedRegion",
		"rolesanywhere.amazonaws.com:x509Subject/CN", "eks:cluster-name",
	}
	principals := []map[string]any{
		{"AWS": []any{"*"}},
		{"AWS": []any{"arn:aws:iam::999988887777:root"}},
		{"AWS": []any{"arn:aws:iam::999988887777:user/ops"}},
		{"AWS": []any{"arn:aws:iam::999988887777:role/ci"}},
		{"Service": []any{"ec2.amazonaws.com"}},
		{"Service": []any{"pods.eks.amazonaws.com"}},
		{"Service": []any{"rolesanywhere.amazonaws.com"}},
		{"Federated": []any{"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}},
		{"Federated": []any{"arn:aws:iam::111122223333:saml-provider/okta"}},
		{"Federated": []any{"cognito-identity.amazonaws.com"}},
	}
	actions := []any{"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"}
	values := []any{"abc-123456", "*", "", "true", "3600", "repo:acme/*", 42, 1.5, true, nil, map[string]any{"a": "b"}, []any{"x"}, map[string]any{"$unknown": "var.x"}, map[string]any{"$unknown": "${var.x}-*"}}
	for _, base := range bases {
		for _, prefix := range []string{"", "ForAllValues:", "ForAnyValue:"} {
			for _, suffix := range []string{"", "IfExists"} {
				op := prefix + base + suffix
				if base == "Null" && suffix != "" {
					continue // IAM has no NullIfExists
				}
				for ki, key := range keys {
					cond := map[string]any{op: map[string]any{key: values}}
					var stmts []any
					for _, p := range principals {
						stmts = append(stmts, map[string]any{"Effect": "Allow", "Principal": p, "Action": actions, "Condition": cond})
					}
					stmts = append(stmts, map[string]any{"Effect": "Deny", "Principal": map[string]any{"AWS": []any{"*"}}, "Action": []any{"sts:*"}, "Condition": cond})
					// One more statement tests the key with a lone value,
					// an unknown list, or beside a block that is no object.
					odd := []map[string]any{
						{op: map[string]any{key: values[ki%len(values)]}},
						{op: map[string]any{key: map[string]any{"$unknown": "var.values"}}},
						{op: map[string]any{key: values}, "Bool": []any{"x"}},
					}[ki%3]
					stmts = append(stmts, map[string]any{"Effect": "Allow", "Principal": principals[ki%len(principals)], "Action": actions, "Condition": odd})
					in := map[string]any{
						"role":   map[string]any{"name": "r", "own_account": "111122223333", "MaxSessionDuration": 7200},
						"policy": map[string]any{"Version": "2012-10-17", "Statement": stmts},
					}
					if _, err := e.Eval(context.Background(), in); err != nil {
						t.Errorf("%s on %s: %v", op, key, err)
					}
				}
			}
		}
	}
}

// TestEvalEachKeepsOtherRules: when evaluating the rules one by one (after
// an evaluation of them all failed), a rule that fails is a *RuleError
// naming it, and the findings of every other rule are those of a whole
// evaluation.
func TestEvalEachKeepsOtherRules(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{
		"role": map[string]any{"name": "r", "own_account": "111122223333"},
		"policy": map[string]any{"Version": "2012-10-17", "Statement": []any{
			map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": []any{"arn:aws:iam::999988887777:user/ops"}}, "Action": []any{"sts:AssumeRole", "sts:TagSession"}},
		}},
	}
	want, err := e.Eval(context.Background(), in)
	if err != nil || len(want) < 2 {
		t.Fatalf("whole evaluation: %d findings, %v", len(want), err)
	}
	// A rule whose query fails (as a conflict error would).
	broken := &preparedQuery{err: errors.New("eval_conflict_error")}
	broken.once.Do(func() {})
	e.single.Store("no_such_rule", broken)
	names := append([]string{"no_such_rule"}, e.names...)
	got, err := e.evalEach(context.Background(), names, toValue(in))
	var re *RuleError
	if !errors.As(err, &re) || re.Rule != "no_such_rule" || !strings.Contains(err.Error(), "eval_conflict_error") {
		t.Fatalf("error %v, want a RuleError naming no_such_rule", err)
	}
	sortFindings(got)
	if len(got) != len(want) {
		t.Fatalf("%d findings one by one, %d at once", len(got), len(want))
	}
	for i := range got {
		if got[i].Rule.ID != want[i].Rule.ID || got[i].Message != want[i].Message || got[i].Path.String() != want[i].Path.String() {
			t.Errorf("finding %d: %s %s, want %s %s", i, got[i].Rule.ID, got[i].Message, want[i].Rule.ID, want[i].Message)
		}
	}
}
