package rules

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
)

var updateCorpus = flag.Bool("update", false, "rewrite testdata/corpus.golden from the current rules")

// The generated corpus: trust policies built at random (fixed seed) from
// valid and broken pieces of every kind the rules judge, so that a change
// to how the rules compute their facts (in Rego or in Go) is checked
// against every finding they made before it, message and path included.

func unknown(expr string) map[string]any { return map[string]any{"$unknown": expr} }

var corpusPieces = struct {
	effects, aws, services, federated, actions, notActions, conditions, versions, durations, paths []any
}{
	effects: []any{"Allow", "Allow", "Allow", "Deny", "allow", 5.0, unknown("var.effect")},
	aws: []any{
		"*", "123456789012", "999999999999", "arn:aws:iam::123456789012:root", "arn:aws:iam::999999999999:user/bob",
		"arn:aws:iam::222222222222:role/deploy", "arn:aws-cn:iam::999999999999:root", "arn:aws:iam::*:root",
		"arn:aws:sts::999999999999:assumed-role/r/s", "arn:aws:sts::999999999999:federated-user/f", "AROAABCDEFGHIJKLMNOPQR",
		"bad", 12.0, unknown("var.principal"), "<own-account>", "arn:aws:iam::<own-account>:role/x", "arn:aws:iam::123:root",
		"arn:aws:iam::999999999999:group/g", "arn:aws:iam::464622532012:root", "arn:aws:iam::111111111111:root",
	},
	services: []any{
		"ec2.amazonaws.com", "lambda.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com", "rolesanywhere.amazonaws.com",
		"pods.eks.amazonaws.com", "s3.amazonaws.com.cn", 7.0, unknown("var.service"), "",
	},
	federated: []any{
		"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
		"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF",
		"arn:aws:iam::123456789012:saml-provider/okta", "cognito-identity.amazonaws.com", "accounts.google.com",
		"bogus", 3.0, unknown("arn:aws:iam::${var.acct}:oidc-provider/${var.host}"), unknown("var.provider"),
		"arn:aws:iam::<own-account>:oidc-provider/gitlab.com",
	},
	actions: []any{
		[]any{"sts:AssumeRole"}, []any{"sts:AssumeRole"}, []any{"sts:AssumeRoleWithWebIdentity"}, []any{"sts:AssumeRoleWithSAML"},
		[]any{"sts:*"}, []any{"*"}, []any{"sts:AssumeRole", "sts:TagSession"},
		[]any{"sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"}, []any{"s3:GetObject"}, []any{"sts:Assume*"},
		[]any{5.0}, "sts:AssumeRole", unknown("var.actions"), []any{"STS:ASSUMEROLE"}, []any{"sts:{AssumeRole,TagSession}"},
		[]any{"sts:assumerole."}, []any{unknown("var.action"), "sts:TagSession"}, []any{"sts:[ab"}, []any{}, []any{"sts:?ssumeRole"},
	},
	notActions: []any{[]any{"s3:*"}, []any{"sts:AssumeRole"}, []any{"sts:*"}, []any{unknown("var.x")}, "s3:*"},
	conditions: []any{
		map[string]any{},
		map[string]any{"StringEquals": map[string]any{"sts:ExternalId": []any{"abc"}}},
		map[string]any{"StringEquals": map[string]any{"sts:ExternalId": []any{"12345678-aaaa-bbbb-cccc-1234567890ab"}}},
		map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": []any{"o-abc123"}}},
		map[string]any{"StringNotEquals": map[string]any{"aws:PrincipalOrgID": []any{"o-abc123"}}},
		map[string]any{"Bool": map[string]any{"aws:MultiFactorAuthPresent": []any{"true"}}},
		map[string]any{"BoolIfExists": map[string]any{"aws:MultiFactorAuthPresent": []any{"true"}}},
		map[string]any{"NumericLessThan": map[string]any{"aws:MultiFactorAuthAge": []any{"3600"}}},
		map[string]any{"StringLike": map[string]any{"token.actions.githubusercontent.com:sub": []any{"repo:o/r:*"}}},
		map[string]any{"StringLike": map[string]any{"token.actions.githubusercontent.com:sub": []any{"*"}}},
		map[string]any{"StringEquals": map[string]any{"token.actions.githubusercontent.com:aud": []any{"sts.amazonaws.com"}}},
		map[string]any{"StringEquals": map[string]any{"oidc.eks.us-east-1.amazonaws.com/id/ABCDEF:sub": []any{"system:serviceaccount:a:b"}}},
		map[string]any{"StringEquals": map[string]any{"SAML:aud": []any{"https://signin.aws.amazon.com/saml"}}},
		map[string]any{"StringEqualz": map[string]any{"sts:ExternalId": []any{"abc"}}},
		"bad", unknown("var.condition"),
		map[string]any{"ArnLike": map[string]any{"aws:SourceArn": []any{"arn:aws:sns:us-east-1:123456789012:t"}}},
		map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": []any{"123456789012"}}},
		map[string]any{"${var.op}": map[string]any{"sts:ExternalId": []any{"abc"}}},
		map[string]any{"StringEquals": map[string]any{"${var.issuer}:sub": []any{"x"}}},
		map[string]any{"ForAnyValue:StringLike": map[string]any{"cognito-identity.amazonaws.com:amr": []any{"unauthenticated"}}},
		map[string]any{"StringEquals": map[string]any{"cognito-identity.amazonaws.com:aud": []any{"us-east-1:abc"}}},
		map[string]any{"StringEquals": map[string]any{"aws:RequestTag/team": []any{"a"}}},
		map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": []any{"arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/x"}}},
		map[string]any{"StringEquals": map[string]any{"aws:PrincipalTag/kubernetes-namespace": []any{"a"}}},
		map[string]any{"StringEquals": unknown("var.block")},
		map[string]any{"ForAllValues:StringEquals": map[string]any{"aws:SourceAccount": []any{"123456789012"}}},
		map[string]any{"StringLike": map[string]any{"aws:PrincipalArn": []any{"arn:aws:iam::*:role/x"}}},
	},
	versions:  []any{"2012-10-17", "2012-10-17", "2008-10-17", "2020-01-01", nil, unknown("var.version"), 2012.0},
	durations: []any{nil, nil, 3600.0, 43200.0, 50000.0, 100.0, "7200", "abc", unknown("var.duration")},
	paths:     []any{nil, "/", "/aws-service-role/", "/app/"},
}

// tidy limits the pieces of a list to its first ones, which are valid: half
// the corpus is policies IAM accepts, for the rules other than TL013.
type gen struct {
	*rand.Rand
	tidy bool
}

// pick is one piece of xs; a tidy generator picks among the first valid.
func (r gen) pick(xs []any, valid int) any {
	if r.tidy && valid > 0 {
		return xs[r.IntN(valid)]
	}
	return xs[r.IntN(len(xs))]
}

// picks is one to three pieces, a list.
func (r gen) picks(xs []any, valid int) []any {
	n := 1 + r.IntN(3)
	out := make([]any, n)
	for i := range out {
		out[i] = r.pick(xs, valid)
	}
	return out
}

func corpusPrincipal(r gen) any {
	pieces := corpusPieces
	n := 12
	if r.tidy {
		n = 9
	}
	switch r.IntN(n) {
	case 0, 1, 2, 3:
		return map[string]any{"AWS": r.picks(pieces.aws, 7)}
	case 4, 5:
		return map[string]any{"Service": r.picks(pieces.services, 6)}
	case 6, 7:
		return map[string]any{"Federated": r.picks(pieces.federated, 5)}
	case 8:
		return map[string]any{"AWS": r.picks(pieces.aws, 7), "Service": r.picks(pieces.services, 6)}
	case 9:
		return []any{map[string]any{"CanonicalUser": []any{"abc"}}, map[string]any{"Bogus": []any{"x"}}, "*", []any{"*"}, unknown("var.p")}[r.IntN(5)]
	case 10:
		return map[string]any{"AWS": unknown("var.accounts")}
	}
	return map[string]any{"Federated": r.pick(pieces.federated, 5)}
}

func corpusStatement(r gen) any {
	c := r.IntN(40)
	if r.tidy {
		c = 40
	}
	switch c {
	case 0:
		return "not a statement"
	case 1:
		return unknown("var.statement")
	}
	s := map[string]any{}
	if r.tidy || r.IntN(10) > 0 {
		s["Effect"] = r.pick(corpusPieces.effects, 4)
	}
	n := 12
	if r.tidy {
		n = 2
	}
	switch r.IntN(n) {
	case 0:
		s["NotPrincipal"] = corpusPrincipal(r)
	case 1: // neither
		if !r.tidy {
			break
		}
		fallthrough
	default:
		s["Principal"] = corpusPrincipal(r)
	}
	switch r.IntN(10) {
	case 0:
		s["NotAction"] = r.pick(corpusPieces.notActions, 3)
	case 1:
		if !r.tidy {
			break
		}
		fallthrough
	default:
		s["Action"] = r.pick(corpusPieces.actions, 8)
	}
	if r.IntN(2) == 0 {
		c := map[string]any{}
		for _, x := range r.picks(corpusPieces.conditions, 13) {
			m, ok := x.(map[string]any)
			if !ok {
				s["Condition"] = x
				c = nil
				break
			}
			for op, block := range m {
				c[op] = block
			}
		}
		if c != nil {
			s["Condition"] = c
		}
	}
	n = 20
	if r.tidy {
		n = 1
	}
	switch r.IntN(n) {
	case 3:
		s["Sid"] = "Trust"
	case 4:
		s["Resource"] = []any{"*"}
	case 5:
		s["Actions"] = []any{"sts:AssumeRole"}
	case 6:
		s["NotResource"] = "x"
	}
	return s
}

func corpusInput(rr *rand.Rand) map[string]any {
	r := gen{rr, rr.IntN(2) == 0}
	role := map[string]any{"name": "r", "format": "aws-cli"}
	if r.IntN(3) > 0 {
		role["own_account"] = "123456789012"
	}
	if d := r.pick(corpusPieces.durations, 4); d != nil {
		role["MaxSessionDuration"] = d
	}
	if p := r.pick(corpusPieces.paths, 0); p != nil {
		role["path"] = p
		if p == "/aws-service-role/" {
			role["service_linked"] = true // as model.Role.Input says it
		}
	}
	in := map[string]any{"role": role}
	c := r.IntN(40)
	if r.tidy {
		c = 40
	}
	switch c {
	case 0:
		return in // no policy document
	case 1:
		in["policy"] = ""
		return in
	case 2:
		in["policy"] = 5.0
		return in
	case 3:
		in["policy"] = unknown("var.policy")
		return in
	case 4:
		in["policy"] = map[string]any{"Version": "2012-10-17", "Statements": []any{corpusStatement(r)}}
		return in
	case 5:
		in["policy"] = map[string]any{"Statement": map[string]any{"Effect": "Allow"}}
		return in
	case 6:
		in["policy"] = map[string]any{"Statement": []any{}}
		return in
	}
	policy := map[string]any{}
	if v := r.pick(corpusPieces.versions, 3); v != nil {
		policy["Version"] = v
	}
	n := 1 + r.IntN(4)
	stmts := make([]any, n)
	for i := range stmts {
		stmts[i] = corpusStatement(r)
	}
	policy["Statement"] = stmts
	in["policy"] = policy
	return in
}

// corpusConfigs are the configurations the corpus is evaluated under.
var corpusConfigs = []map[string]any{
	nil,
	{"own_account": "111111111111", "trusted_accounts": []any{"222222222222"}, "trusted_org_ids": []any{"o-abc123"},
		"max_session_duration": 7200.0, "require_mfa_own_account": true},
}

const corpusSize = 400

// TestGeneratedCorpus compares every finding of every rule on the generated
// corpus with testdata/corpus.golden (go test ./rules -run
// TestGeneratedCorpus -update rewrites it; review the difference, and
// -v prints the inputs), with the rules taken compiled from builtin.ast
// and compiled from their source.
func TestGeneratedCorpus(t *testing.T) {
	const path = "testdata/corpus.golden"
	got := corpusFindings(t, Options{})
	if *updateCorpus {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	sameLines(t, "precompiled rules", got, path, string(want))
	sameLines(t, "rules compiled from source", corpusFindings(t, Options{FromSource: true}), path, string(want))
}

// TestPrecompiledDisabled: with rules disabled, the rest of the embedded
// rules (a subset of builtin.ast) find what they find compiled from source.
func TestPrecompiledDisabled(t *testing.T) {
	disabled := []string{"TL001", "TL013"}
	got := corpusFindings(t, Options{Disabled: disabled})
	if strings.Contains(got, "TL001 ") || strings.Contains(got, "TL013 ") {
		t.Error("a disabled rule reported")
	}
	sameLines(t, "precompiled rules", got, "rules compiled from source", corpusFindings(t, Options{Disabled: disabled, FromSource: true}))
}

// corpusFindings evaluates the generated corpus under every corpusConfigs
// with an engine of opts and prints the findings.
func corpusFindings(t *testing.T, opts Options) string {
	t.Helper()
	ctx := context.Background()
	var out bytes.Buffer
	for ci, cfg := range corpusConfigs {
		opts.Config = cfg
		e, err := New(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(42, uint64(ci)))
		for i := range corpusSize {
			in := corpusInput(r)
			fmt.Fprintf(&out, "## config %d input %d\n", ci, i)
			if testing.Verbose() {
				b, _ := json.Marshal(in)
				t.Logf("config %d input %d: %s", ci, i, b)
			}
			fs, err := e.Eval(ctx, in)
			if err != nil {
				t.Fatalf("input %d: %v", i, err)
			}
			for _, f := range fs {
				fmt.Fprintf(&out, "%s %s key=%v %q", f.Rule.ID, f.Path, f.Key, f.Message)
				if len(f.Properties) > 0 {
					p, _ := json.Marshal(f.Properties)
					fmt.Fprintf(&out, " %s", p)
				}
				out.WriteString("\n")
			}
		}
	}
	return out.String()
}

// sameLines fails at the first line where got (from gotName) and want
// (from wantName) differ.
func sameLines(t *testing.T, gotName, got, wantName, want string) {
	t.Helper()
	if got == want {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(gl) && i < len(wl); i++ {
		if gl[i] != wl[i] {
			t.Fatalf("findings of %s differ from %s at line %d:\n got %s\nwant %s", gotName, wantName, i+1, gl[i], wl[i])
		}
	}
	t.Fatalf("findings of %s differ from %s: %d lines, want %d", gotName, wantName, len(gl), len(wl))
}

// ruleModules are the built-in rule modules, and the test modules named,
// for a rego.New of a test's own.
func ruleModules(t *testing.T, tests ...string) []func(*rego.Rego) {
	t.Helper()
	mods, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	var opts []func(*rego.Rego)
	for _, m := range mods {
		if !m.Test || slices.Contains(tests, m.Name) {
			opts = append(opts, rego.Module(m.Name, m.Src))
		}
	}
	return opts
}

// TestSuspectStatements checks the promise of trustlint.suspects on the
// generated corpus: TL013 finds the same when the document and every
// statement are suspect, so what Go vouches for had nothing to find. It also
// checks that Go does vouch for most statements of the tidy policies, the
// point of the builtin.
func TestSuspectStatements(t *testing.T) {
	ctx := context.Background()
	opts := ruleModules(t)
	opts = append(opts, rego.Module("suspects_test.rego", `package trustlint.suspects_test

import data.trustlint.rules.invalid_trust_policy as tl013

everything(policy, _, _) := {"parts": {"document", "statements"}, "statements": {i | some i, _ in policy.Statement}}

filtered := tl013.deny

full := fs if {
	fs := tl013.deny with trustlint.suspects as everything
}

statements := count(input.policy.Statement)

suspects := count(tl013.suspects)

flagged := count({f.path[2] | some f in full; count(f.path) > 2; f.path[1] == "Statement"})
`))
	store, err := Store(nil)
	if err != nil {
		t.Fatal(err)
	}
	opts = append(opts, rego.Query("data.trustlint.suspects_test"), rego.Store(store), rego.Capabilities(Capabilities()))
	q, err := rego.New(opts...).PrepareForEval(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := q.Eval(ctx, rego.EvalInput(benchInput()))
	if err != nil {
		t.Fatal(err)
	}
	if n := rs[0].Expressions[0].Value.(map[string]any)["suspects"]; n != json.Number("0") {
		t.Errorf("the valid statements of benchInput: %v suspects, want 0", n)
	}
	r := rand.New(rand.NewPCG(42, 0))
	var statements, suspects, flagged, findings float64
	for i := range corpusSize {
		in := corpusInput(r)
		rs, err := q.Eval(ctx, rego.EvalInput(in))
		if err != nil {
			t.Fatalf("input %d: %v", i, err)
		}
		res := rs[0].Expressions[0].Value.(map[string]any)
		got, _ := json.Marshal(res["filtered"])
		want, _ := json.Marshal(res["full"])
		if string(got) != string(want) {
			b, _ := json.Marshal(in)
			t.Errorf("input %d: %s\nwith suspects only: %s\nwith every statement: %s", i, b, got, want)
		}
		findings += float64(len(res["full"].([]any)))
		if n, ok := res["statements"].(json.Number); ok {
			f, _ := n.Float64()
			statements += f
			s, _ := res["suspects"].(json.Number).Float64()
			suspects += s
			g, _ := res["flagged"].(json.Number).Float64()
			flagged += g
		}
	}
	// A suspect without a finding costs time only: most statements the
	// rule finds nothing in must be vouched for. (The corpus is rich in
	// what Go leaves to the rule: unknowns, Roles Anywhere and EKS Pod
	// Identity services.)
	t.Logf("%.0f statements, %.0f suspects, %.0f with findings; %.0f TL013 findings", statements, suspects, flagged, findings)
	if findings < 1000 || suspects-flagged > (statements-flagged)/3 {
		t.Errorf("%.0f findings; %.0f statements without a finding, of which %.0f are suspects", findings, statements-flagged, suspects-flagged)
	}
}

// TestSuspectServices: Go vouches for an Allow statement of a service
// whose needs TL013 checks (EKS Pod Identity, Roles Anywhere) only when its
// Action list plainly allows all of them; it leaves any other to the rule.
func TestSuspectServices(t *testing.T) {
	ctx := context.Background()
	store, err := Store(nil)
	if err != nil {
		t.Fatal(err)
	}
	opts := append(ruleModules(t), rego.Query("data.trustlint.rules.invalid_trust_policy.suspects"), rego.Store(store), rego.Capabilities(Capabilities()))
	q, err := rego.New(opts...).PrepareForEval(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const eks, anywhere = "pods.eks.amazonaws.com", "rolesanywhere.amazonaws.com"
	for _, tc := range []struct {
		effect, service, actionElem string
		actions                     []any
		suspect                     bool
	}{
		{"Allow", eks, "Action", []any{"sts:AssumeRole", "sts:TagSession"}, false},
		{"Allow", eks, "Action", []any{"STS:assumerole", "sts:Tag*"}, false},
		{"Allow", eks, "Action", []any{"sts:*"}, false},
		{"Allow", eks, "Action", []any{"sts:AssumeRole"}, true},
		{"Allow", eks, "NotAction", []any{"s3:*"}, true},
		{"Allow", anywhere, "Action", []any{"sts:AssumeRole", "sts:TagSession"}, true},
		{"Allow", anywhere, "Action", []any{"sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"}, false},
		{"Deny", eks, "Action", []any{"sts:AssumeRole"}, false},
		{"Allow", "ec2.amazonaws.com", "Action", []any{"sts:AssumeRole"}, false},
	} {
		stmt := map[string]any{"Effect": tc.effect, "Principal": map[string]any{"Service": []any{tc.service}}, tc.actionElem: tc.actions}
		in := map[string]any{"role": map[string]any{"name": "r"}, "policy": map[string]any{"Version": "2012-10-17", "Statement": []any{stmt}}}
		rs, err := q.Eval(ctx, rego.EvalInput(in))
		if err != nil {
			t.Fatal(err)
		}
		got := len(rs) == 1 && len(rs[0].Expressions[0].Value.([]any)) == 1
		if got != tc.suspect {
			t.Errorf("%s %s with %s %v: suspect %v, want %v", tc.effect, tc.service, tc.actionElem, tc.actions, got, tc.suspect)
		}
	}
}
