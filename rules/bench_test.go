package rules

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/version"
)

// benchInput is a typical three-statement trust policy: an external account
// without ExternalId, a wildcard pinned by org, and a service.
func benchInput() map[string]any {
	return map[string]any{
		"role": map[string]any{"name": "deploy", "own_account": "111111111111", "format": "aws-cli", "MaxSessionDuration": 43200.0},
		"policy": map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{
				map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"AWS": []any{"arn:aws:iam::999999999999:root", "arn:aws:iam::111111111111:user/alice"}}},
				map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"AWS": []any{"*"}},
					"Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": []any{"o-abc123"}}}},
				map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"Service": []any{"ec2.amazonaws.com"}}},
			},
		},
	}
}

var benchEngine = sync.OnceValues(func() (*Engine, error) { return New(context.Background(), Options{}) })

func BenchmarkEval(b *testing.B) {
	e, err := benchEngine()
	if err != nil {
		b.Fatal(err)
	}
	in := benchInput()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		fs, err := e.Eval(ctx, in)
		if err != nil || len(fs) != 3 {
			b.Fatalf("got %d findings, err %v; want 3", len(fs), err)
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(ctx, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdRules is what a process does once before its first
// evaluation of the embedded rules: split builtin.ast, decode every module
// and compile them ("decode" stops after decoding).
func BenchmarkColdRules(b *testing.B) {
	mods, err := BuiltinModules()
	if err != nil {
		b.Fatal(err)
	}
	src := map[string]string{}
	for _, m := range mods {
		src[m.Name] = m.Src
	}
	decode := func(b *testing.B) map[string]*ast.Module {
		set, err := splitPreparsed(builtinAST, version.Version)
		if err != nil {
			b.Fatal(err)
		}
		out := map[string]*ast.Module{}
		for _, p := range set.mods {
			if out[p.name], err = p.decode(src[p.name]); err != nil {
				b.Fatal(err)
			}
		}
		return out
	}
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			decode(b)
		}
	})
	b.Run("compile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := compileModules(decode(b), formCompiled); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkQueries breaks the cost of one role down by lib fact and rule, to
// see where evaluation time goes when a rule gets slow. Each sub-benchmark
// includes what its query depends on.
func BenchmarkQueries(b *testing.B) {
	ctx := context.Background()
	mods, err := BuiltinModules()
	if err != nil {
		b.Fatal(err)
	}
	parsed, err := ParseModules(mods)
	if err != nil {
		b.Fatal(err)
	}
	queries := []string{
		"x := 1",
		"data.trustlint.lib.trust_statements",
		"data.trustlint.lib.aws_principals",
		"data.trustlint.lib.tests",
		"data.trustlint.lib.opaque_statements",
		"data.trustlint.lib.external_id_statements",
		"data.trustlint.lib.mfa_statements",
		"data.trustlint.lib.pinned_statements",
		"data.trustlint.rules.missing_external_id.deny",
		"data.trustlint.rules.missing_mfa.deny",
		"data.trustlint.rules.wildcard_principal.deny",
		"data.trustlint.rules.excessive_session_duration.deny",
		"data.trustlint.rules.oidc_unrestricted_subject.deny",
		"data.trustlint.rules.oidc_missing_audience.deny",
		"data.trustlint.rules.service_confused_deputy.deny",
		"data.trustlint.rules.allow_not_principal.deny",
		"data.trustlint.rules.mfa_if_exists.deny",
		"data.trustlint.rules.weak_external_id.deny",
		"data.trustlint.rules.saml_missing_audience.deny",
		"data.trustlint.rules.broad_trust_action.deny",
		"data.trustlint.rules.invalid_trust_policy.deny",
		"data.trustlint.rules.tag_session_unrestricted.deny",
		"data.trustlint.rules.roles_anywhere_unscoped.deny",
		"data.trustlint.rules.eks_pod_identity_unscoped.deny",
		"data.trustlint.rules.cognito_unauthenticated.deny",
		"data.trustlint.rules.deleted_principal.deny",
	}
	scanned := map[string]*ast.Module{} // what a scan compiles: no tests
	for name, m := range parsed {
		if !strings.HasSuffix(name, "_test.rego") {
			scanned[name] = m
		}
	}
	// The engine's query (a test package's deny would make it undefined).
	all := denyQuery(ruleNames(scanned))
	in := rego.EvalParsedInput(toValue(benchInput()))
	for _, q := range append(queries, all) {
		store, err := Store(nil)
		if err != nil {
			b.Fatal(err)
		}
		opts := []func(*rego.Rego){rego.Query(q), rego.Capabilities(Capabilities()), rego.Store(store)}
		for _, m := range scanned {
			opts = append(opts, rego.ParsedModule(m))
		}
		pq, err := rego.New(opts...).PrepareForEval(ctx)
		if err != nil {
			b.Fatal(err)
		}
		name := strings.TrimPrefix(q, "data.trustlint.")
		if q == all {
			name = "all"
			if rs, err := pq.Eval(ctx, in); err != nil || len(rs) != 1 {
				b.Fatalf("the engine's query is undefined (%d results, err %v)", len(rs), err)
			}
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := pq.Eval(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLargePolicy evaluates one role whose trust policy has n
// statements of four common kinds (issue 9: 100,000 statements must take
// seconds, not minutes); µs/stmt should stay flat as n grows.
func BenchmarkLargePolicy(b *testing.B) {
	e, err := benchEngine()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000, 10000, 100000} {
		stmts := make([]any, n)
		for i := range stmts {
			switch i % 4 {
			case 0:
				stmts[i] = map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"},
					"Principal": map[string]any{"AWS": []any{fmt.Sprintf("arn:aws:iam::%012d:root", 100000000000+i)}},
					"Condition": map[string]any{"StringEquals": map[string]any{"sts:ExternalId": []any{fmt.Sprint("x", i)}}}}
			case 1:
				stmts[i] = map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"Service": []any{"ec2.amazonaws.com"}}}
			case 2:
				stmts[i] = map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRoleWithWebIdentity"},
					"Principal": map[string]any{"Federated": []any{"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"}},
					"Condition": map[string]any{"StringEquals": map[string]any{"token.actions.githubusercontent.com:aud": []any{"sts.amazonaws.com"}},
						"StringLike": map[string]any{"token.actions.githubusercontent.com:sub": []any{fmt.Sprintf("repo:o/r%d:*", i)}}}}
			default:
				stmts[i] = map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"AWS": []any{fmt.Sprintf("arn:aws:iam::111111111111:user/u%d", i)}}}
			}
		}
		in := map[string]any{"role": map[string]any{"name": "big", "own_account": "111111111111"}, "policy": map[string]any{"Version": "2012-10-17", "Statement": stmts}}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				fs, err := e.Eval(context.Background(), in)
				if err != nil || len(fs) < n/4 {
					b.Fatalf("%d findings, err %v; want at least %d", len(fs), err, n/4)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/stmt")
		})
	}
}
