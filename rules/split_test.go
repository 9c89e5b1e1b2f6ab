package rules

import (
	"context"
	"runtime"
	"slices"
	"testing"

	"fmt"
)

// TestEvalAllSplit: a policy of splitStatements statements or more is
// evaluated rule by rule on every core (evalAll); its findings must be
// exactly those of one evaluation of every rule, on both entry points.
func TestEvalAllSplit(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	ctx := context.Background()
	e, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{
		"role":   map[string]any{"name": "big", "own_account": "111122223333", "format": "policy"},
		"policy": splitPolicy(splitStatements + 200),
	}
	val := toValue(in)
	if n := statementCount(val); n != splitStatements+200 {
		t.Fatalf("statementCount = %d, want %d", n, splitStatements+200)
	}
	var facts = e.prune.facts(val)
	want, err := e.eval(ctx, e.query, e.names, val, facts)
	if err != nil {
		t.Fatal(err)
	}
	sortFindings(want)
	rulesFired := map[string]bool{}
	for _, f := range want {
		rulesFired[f.Rule.ID] = true
	}
	if len(rulesFired) < 3 {
		t.Fatalf("the policy fires %d rules, want several to compare", len(rulesFired))
	}
	before := e.evals.Load()
	split, err := e.evalAll(ctx, val, facts)
	if err != nil {
		t.Fatal(err)
	}
	if e.evals.Load()-before < 2 {
		t.Errorf("evalAll made %d evaluations, want one per rule that can fire", e.evals.Load()-before)
	}
	sortFindings(split)
	if !slices.EqualFunc(split, want, equalFinding) {
		t.Errorf("split evaluation: %d findings, one evaluation: %d; they differ", len(split), len(want))
	}
	got, err := e.EvalInput(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(got, want, equalFinding) {
		t.Errorf("EvalInput: %d findings, want the %d of one evaluation", len(got), len(want))
	}
}

func equalFinding(a, b RawFinding) bool {
	return a.Rule.ID == b.Rule.ID && a.Message == b.Message && a.Path.String() == b.Path.String() && a.Key == b.Key
}

// splitPolicy is a policy of n statements of six kinds that fire different
// rules: an external account without ExternalId, a partner allowed to tag
// its sessions, sts:*, an open wildcard, a user without MFA, and a
// service without a source test.
func splitPolicy(n int) map[string]any {
	stmts := make([]any, n)
	for i := range stmts {
		acct := fmt.Sprintf("%012d", 200000000000+i)
		s := map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}}
		switch i % 6 {
		case 0:
			s["Principal"] = map[string]any{"AWS": []any{"arn:aws:iam::" + acct + ":root"}}
		case 1:
			s["Principal"] = map[string]any{"AWS": []any{acct}}
			s["Action"] = []any{"sts:AssumeRole", "sts:TagSession"}
			s["Condition"] = map[string]any{"StringEquals": map[string]any{"sts:ExternalId": []any{fmt.Sprint("ext-", i)}}}
		case 2:
			s["Principal"] = map[string]any{"AWS": []any{"arn:aws:iam::" + acct + ":role/ops"}}
			s["Action"] = []any{"sts:*"}
			s["Condition"] = map[string]any{"StringEquals": map[string]any{"sts:ExternalId": []any{fmt.Sprint("ext-", i)}}}
		case 3:
			s["Principal"] = map[string]any{"AWS": []any{"*"}}
		case 4:
			s["Principal"] = map[string]any{"AWS": []any{"arn:aws:iam::111122223333:user/u" + fmt.Sprint(i)}}
		default:
			s["Principal"] = map[string]any{"Service": []any{"sns.amazonaws.com"}}
		}
		stmts[i] = s
	}
	return map[string]any{"Version": "2012-10-17", "Statement": stmts}
}
