package rules

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/trustlint/trustlint/internal/exportgen"
)

// factNames are the lib facts trustlint.policy_facts computes.
var factNames = []string{
	"trust_statements", "aws_principals", "service_principals", "federated_principals", "tests", "condition_keys",
	"key_patterns", "opaque_statements", "external_id_statements", "mfa_statements", "mfa_if_exists_statements",
	"pinned_statements", "deny_guards", "tag_session_statements", "broad_action_statements",
}

// factsEdgeCases are shapes the generated corpus has few of: Deny guards
// (with aws:PrincipalIsAWSService, with another condition, opaque), a
// Condition list, a Statement object, templated keys, NotAction.
func factsEdgeCases() []map[string]any {
	allow := func(principal, cond any) map[string]any {
		s := map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole", "sts:TagSession"}, "Principal": principal}
		if cond != nil {
			s["Condition"] = cond
		}
		return s
	}
	wild := map[string]any{"AWS": []any{"*"}}
	deny := func(cond any) map[string]any {
		return map[string]any{"Effect": "Deny", "Action": []any{"sts:*"}, "Principal": wild, "Condition": cond}
	}
	policy := func(stmts any) map[string]any {
		return map[string]any{"role": map[string]any{"name": "r"}, "policy": map[string]any{"Version": "2012-10-17", "Statement": stmts}}
	}
	orgGuard := map[string]any{"StringNotEquals": map[string]any{"aws:PrincipalOrgID": []any{"o-abc123"}}}
	return []map[string]any{
		policy([]any{allow(wild, nil), deny(orgGuard)}),
		policy([]any{allow(wild, nil), deny(map[string]any{
			"StringNotEqualsIfExists": map[string]any{"aws:PrincipalAccount": []any{"123456789012"}},
			"BoolIfExists":            map[string]any{"aws:PrincipalIsAWSService": []any{"false"}},
		})}),
		policy([]any{allow(wild, nil), deny(map[string]any{
			"ArnNotLike":   map[string]any{"aws:PrincipalArn": []any{"arn:aws:iam::123456789012:role/*"}},
			"BoolIfExists": map[string]any{"aws:PrincipalIsAWSService": []any{false}},
		})}),
		policy([]any{allow(wild, nil), deny(map[string]any{
			"StringNotLike": map[string]any{"aws:PrincipalOrgPaths": []any{"o-abc/r-1/*"}},
			"StringEquals":  map[string]any{"aws:SourceVpc": []any{"vpc-1"}},
		})}),
		policy([]any{allow(wild, nil), deny(unknown("var.c"))}),
		// Guards that each deny some assume actions: a trust statement is
		// pinned only by one guard that denies all it allows.
		policy(func() []any {
			acts := func(effect string, actions ...any) map[string]any {
				s := map[string]any{"Effect": effect, "Action": actions, "Principal": wild}
				if effect == "Deny" {
					s["Condition"] = orgGuard
				}
				return s
			}
			return []any{
				acts("Allow", "sts:AssumeRole"),
				acts("Allow", "sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"),
				acts("Allow", "sts:AssumeRoleWith*"),
				acts("Allow", "sts:TagSession", "sts:AssumeRoleWithSAML"),
				acts("Deny", "sts:AssumeRole"),
				acts("Deny", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"),
				acts("Deny", "sts:AssumeRole"),
			}
		}()),
		policy([]any{allow(wild, []any{map[string]any{"aws:PrincipalOrgID": []any{"o-abc123"}}, []any{"x"}})}),
		policy(map[string]any{"a": allow(wild, nil), "b": deny(orgGuard)}),
		policy([]any{allow(map[string]any{"AWS": []any{"arn:aws:iam::999999999999:user/u"}}, map[string]any{
			"StringEquals":    map[string]any{"${var.issuer}:ExternalId": []any{"x"}, "aws:principalorgpaths": []any{"*/r"}},
			"NumericLessThan": map[string]any{"aws:MultiFactorAuthAge": []any{"3600"}},
			"Bool":            map[string]any{"aws:MultiFactorAuthPresent": []any{true, unknown("var.b")}},
		})}),
		policy([]any{map[string]any{"Effect": "Allow", "NotAction": []any{"s3:*"}, "Principal": map[string]any{"AWS": []any{"111111111111"}},
			"Condition": map[string]any{"StringLike": map[string]any{"aws:SourceArn": []any{"arn:aws:s3:::bucket", "arn:aws:sns:us-east-1:*:t"}}}}}),
		policy([]any{allow(map[string]any{"Federated": []any{
			"arn:aws:iam::123456789012:oidc-provider/Token.Actions.GitHubUserContent.com", "www.amazon.com",
			"arn:aws:iam::123456789012:saml-provider/okta", 7.0, unknown("arn:${var.p}:iam::${var.a}:oidc-provider/oidc.eks.${var.r}.amazonaws.com/id/X"),
		}}, map[string]any{
			"StringLike":   map[string]any{"token.actions.githubusercontent.com:SUB": []any{"repo:o/*"}, "www.amazon.com:app_id": "x"},
			"StringEquals": map[string]any{"TOKEN.actions.githubusercontent.com:aud": []any{"sts.amazonaws.com"}, "oidc.eks.${var.r}.amazonaws.com/id/x:sub": []any{"a"}},
		})}),
		{"role": map[string]any{"name": "big"}, "policy": exportgen.LargePolicy(300)},
		benchInput(),
	}
}

// TestPolicyFacts checks trustlint.policy_facts against the pure-Rego
// definitions of rules/lib/facts_reference_test.rego on the generated
// corpus and the edge cases: every fact, and every finding of every rule
// with the reference replacing the builtin, must be the same.
func TestPolicyFacts(t *testing.T) {
	ctx := context.Background()
	opts := ruleModules(t, "rules/lib/facts_reference_test.rego")
	opts = append(opts, rego.Module("facts_test.rego", `package trustlint.facts_test

import data.trustlint.lib
import data.trustlint.lib.reference

builtin := {
	"trust_statements": lib.trust_statements, "aws_principals": lib.aws_principals,
	"service_principals": lib.service_principals, "federated_principals": lib.federated_principals, "tests": lib.tests, "condition_keys": lib.condition_keys,
	"key_patterns": lib.key_patterns, "opaque_statements": lib.opaque_statements,
	"external_id_statements": lib.external_id_statements, "mfa_statements": lib.mfa_statements,
	"mfa_if_exists_statements": lib.mfa_if_exists_statements, "pinned_statements": lib.pinned_statements,
	"deny_guards": lib.deny_guards, "tag_session_statements": lib.tag_session_statements,
	"broad_action_statements": lib.broad_action_statements,
}

pure := reference.policy_facts(null, null, null)

findings := {name: fs | some name; fs := data.trustlint.rules[name].deny}

pure_findings := fs if {
	fs := findings with trustlint.policy_facts as reference.policy_facts
}
`))
	inputs := factsEdgeCases()
	for ci := range corpusConfigs {
		r := rand.New(rand.NewPCG(42, uint64(ci)))
		for range corpusSize {
			inputs = append(inputs, corpusInput(r))
		}
	}
	nonEmpty := map[string]int{}
	for ci, cfg := range corpusConfigs {
		store, err := Store(cfg)
		if err != nil {
			t.Fatal(err)
		}
		q, err := rego.New(append(opts, rego.Query("data.trustlint.facts_test"), rego.Store(store),
			rego.Capabilities(Capabilities()))...).PrepareForEval(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, in := range inputs {
			rs, err := q.Eval(ctx, rego.EvalInput(in))
			if err != nil {
				t.Fatalf("config %d input %d: %v", ci, i, err)
			}
			res := rs[0].Expressions[0].Value.(map[string]any)
			got, _ := json.Marshal(res["builtin"])
			want, _ := json.Marshal(res["pure"])
			if string(got) != string(want) {
				b, _ := json.Marshal(in)
				t.Fatalf("config %d input %d: %s\nfacts from the builtin: %s\nfacts in pure Rego:     %s", ci, i, b, got, want)
			}
			got, _ = json.Marshal(res["findings"])
			want, _ = json.Marshal(res["pure_findings"])
			if string(got) != string(want) {
				b, _ := json.Marshal(in)
				t.Fatalf("config %d input %d: %s\nfindings with the builtin: %s\nfindings in pure Rego:     %s", ci, i, b, got, want)
			}
			for name, v := range res["builtin"].(map[string]any) {
				switch v := v.(type) {
				case []any:
					if len(v) > 0 {
						nonEmpty[name]++
					}
				case map[string]any:
					if len(v) > 0 {
						nonEmpty[name]++
					}
				}
			}
		}
	}
	// Every fact must have been put to the test.
	t.Logf("inputs with each fact non-empty: %v", nonEmpty)
	for _, name := range factNames {
		if nonEmpty[name] < 4 {
			t.Errorf("%s was non-empty on %d inputs only", name, nonEmpty[name])
		}
	}
}

// TestFactsVocabularyReadOnce: a compiled rule set passes the same
// vocabulary value and provider table on every evaluation, so the builtin
// reads them once, not per role.
func TestFactsVocabularyReadOnce(t *testing.T) {
	e, err := New(context.Background(), Options{NoShare: true})
	if err != nil {
		t.Fatal(err)
	}
	before, providersBefore := vocabulariesCached.Load(), providersCached.Load()
	for range 20 {
		if _, err := e.Eval(context.Background(), benchInput()); err != nil {
			t.Fatal(err)
		}
	}
	if n := vocabulariesCached.Load() - before; n > 1 {
		t.Errorf("the vocabulary was read %d times for 20 evaluations, want once", n)
	}
	if n := providersCached.Load() - providersBefore; n > 1 {
		t.Errorf("the provider table was read %d times for 20 evaluations, want once", n)
	}
}

// TestActionMatches: a pattern without wildcards matches as lower-cased,
// ASCII or not, like lib.action_matches.
func TestActionMatches(t *testing.T) {
	for _, c := range []struct {
		pattern, action string
		want            bool
	}{
		{"sts:AssumeRole", "sts:assumerole", true},
		{"STS:ASSUMEROLE", "sts:assumerole", true},
		{"sts:AssumeRole", "sts:assumerolewithsaml", false},
		{"sts:AssumeRoleX", "sts:assumerole", false},
		{"sts:TagSessİon", "sts:tagsession", true}, // ToLower('İ') is 'i'
		{"sts:Tag*", "sts:tagsession", true},
		{"STS:*", "sts:assumerole", true},
		{"sts:Assume?ole", "sts:assumerole", true},
		{"sts:Tag*", "sts:assumerole", false},
	} {
		if got := actionMatches(ast.StringTerm(c.pattern), c.action); got != c.want {
			t.Errorf("actionMatches(%q, %q) = %v, want %v", c.pattern, c.action, got, c.want)
		}
	}
	if actionMatches(ast.NumberTerm("1"), "1") {
		t.Error("a number matched an action")
	}
}

// TestObjectSetOrder: the principal sets are made with their elements in
// the order OPA sorts them in (objectSet), so that OPA's sort before the
// first enumeration is one pass: principal objects of every shape, with
// numbers and strings in every member, given in a random order, come out
// in ast.Compare's order, but for objects whose keys stop at the same
// member that is no number or string (an OIDC principal's provider).
func TestObjectSetOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(xs ...string) *ast.Term { return ast.StringTerm(xs[r.IntN(len(xs))]) }
	num := func(n int) *ast.Term { return ast.InternedTerm(r.IntN(n)) }
	// Every principal object has these members, and some of its own.
	principal := func(stmt, index, value *ast.Term, own ...string) [][2]*ast.Term {
		items := [][2]*ast.Term{
			ast.Item(ast.StringTerm("stmt"), stmt),
			ast.Item(ast.StringTerm("index"), index),
			ast.Item(ast.StringTerm("value"), value),
		}
		for i := 0; i+1 < len(own); i += 2 {
			items = append(items, ast.Item(ast.StringTerm(own[i]), ast.StringTerm(own[i+1])))
		}
		return items
	}
	one := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	var objs [][][2]*ast.Term
	for range 2000 {
		switch r.IntN(4) {
		case 0: // an AWS principal
			objs = append(objs, principal(num(300), num(3),
				pick("arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/a", "*", "a", "ab", ""),
				"class", one("account", "role", "user", "wildcard"), "account", one("111122223333", "444455556666", "")))
		case 1: // a service, its statement named by a string (a Statement object)
			objs = append(objs, principal(pick("s1", "s10", "s2"), num(2), pick("ec2.amazonaws.com", "lambda.amazonaws.com"),
				"name", one("ec2", "lambda")))
		case 2: // SAML
			objs = append(objs, principal(num(300), num(2), pick("arn:aws:iam::1:saml-provider/a", "arn:aws:iam::1:saml-provider/b"),
				"kind", "saml", "name", one("a", "b")))
		default: // OIDC, with members that are no scalars
			objs = append(objs, append(principal(num(300), num(2), pick("arn:aws:iam::1:oidc-provider/h", "arn:aws:iam::1:oidc-provider/g"),
				"kind", "oidc", "host", one("g", "h")),
				ast.Item(ast.StringTerm("provider"), ast.ObjectTerm(ast.Item(ast.StringTerm("kind"), pick("github", "eks")))),
				ast.Item(ast.StringTerm("provider_tests"), ast.SetTerm(ast.StringTerm("x")))))
		}
	}
	var set objectSet
	for _, items := range objs {
		set.add(items...)
	}
	got := set.term()
	if got.Value.(ast.Set).Len() == 0 {
		t.Fatal("empty set")
	}
	for i := 1; i < len(set.elems); i++ {
		if set.elems[i-1].key == set.elems[i].key {
			continue
		}
		if c := ast.Compare(set.elems[i-1].term, set.elems[i].term); c > 0 {
			t.Fatalf("element %d %v comes before %v, which OPA sorts first", i-1, set.elems[i-1].term, set.elems[i].term)
		}
	}
}

// TestDenyGuards: the statements a Deny guard pins, with the first guard
// that does, as lib.pinned_statements counts them for TL003.
func TestDenyGuards(t *testing.T) {
	e, err := benchEngine()
	if err != nil {
		t.Fatal(err)
	}
	allow := func(actions ...any) any {
		return map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": []any{"*"}}, "Action": actions}
	}
	guard := func(cond map[string]any, actions ...any) any {
		return map[string]any{"Effect": "Deny", "Principal": map[string]any{"AWS": []any{"*"}}, "Action": actions, "Condition": cond}
	}
	org := map[string]any{"StringNotEquals": map[string]any{"aws:PrincipalOrgID": []any{"o-a1b2c3d4e5"}}}
	perimeter := map[string]any{
		"StringNotEqualsIfExists": map[string]any{"aws:SourceIp": []any{"203.0.113.0/24"}},
		"StringNotEquals":         map[string]any{"aws:PrincipalOrgID": []any{"o-a1b2c3d4e5"}},
	}
	service := map[string]any{
		"StringNotEquals": map[string]any{"aws:PrincipalAccount": []any{"111122223333"}},
		"BoolIfExists":    map[string]any{"aws:PrincipalIsAWSService": []any{"false"}},
	}
	wildOrg := map[string]any{"StringNotLike": map[string]any{"aws:PrincipalOrgID": []any{"o-*"}}}
	for _, tc := range []struct {
		name  string
		stmts []any
		want  map[int]int
	}{
		{"org guard", []any{allow("sts:AssumeRole"), guard(org, "sts:AssumeRole")}, map[int]int{0: 1}},
		{"with aws:PrincipalIsAWSService false", []any{guard(service, "sts:*"), allow("sts:AssumeRole")}, map[int]int{1: 0}},
		{"an extra condition narrows the Deny", []any{allow("sts:AssumeRole"), guard(perimeter, "sts:AssumeRole")}, nil},
		{"a wildcard value pins nothing", []any{allow("sts:AssumeRole"), guard(wildOrg, "sts:AssumeRole")}, nil},
		{"the guard denies less than is allowed", []any{allow("sts:*"), guard(org, "sts:AssumeRole")}, nil},
		{"the first guard that covers", []any{
			allow("sts:AssumeRole"), guard(org, "sts:AssumeRole"), guard(service, "sts:*"), allow("sts:AssumeRole*"), guard(org, "sts:*"),
		}, map[int]int{0: 1, 3: 2}},
		{"no guard", []any{allow("sts:AssumeRole")}, nil},
	} {
		got := e.DenyGuards(map[string]any{"Version": "2012-10-17", "Statement": tc.stmts})
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := e.DenyGuards(nil); got != nil {
		t.Errorf("no policy: got %v", got)
	}
}
