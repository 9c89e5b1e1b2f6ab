package audit_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/audit"
	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/iamjson"
	"github.com/trustlint/trustlint/rules"
)

// collect parses an export into a collector.
func collect(t *testing.T, file string) *audit.Collector {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := audit.NewCollector()
	diags := iamjson.Parser{}.ParseAccount(file, src, c.Role, c)
	for _, d := range diags {
		t.Errorf("diagnostic: %v", d)
	}
	return c
}

const example = "../testdata/examples/account-audit.json"

// assumers renders who may assume each role as "name:via[:groups]".
func assumers(r *audit.Role) []string {
	var out []string
	for _, a := range r.Assumers {
		s := a.Name + ":" + a.Via
		if len(a.Groups) > 0 {
			s += ":" + strings.Join(a.Groups, "+")
		}
		out = append(out, s)
	}
	return out
}

func roleByName(t *testing.T, a *audit.Account, name string) *audit.Role {
	t.Helper()
	for _, r := range a.Roles {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("role %s not in the audit", name)
	return nil
}

// TestInside checks who inside the account may assume each role of the
// bundled example: AdministratorAccess through a group, a group's inline
// policy with a wildcard resource, a managed policy's default version (v2,
// not the broader v1), NotAction, NotResource, an explicit Deny, a user
// named in a trust policy, and roles that trust only services or outsiders.
func TestInside(t *testing.T) {
	a := collect(t, example).Analyze(nil, audit.Options{})
	if !a.Inside {
		t.Fatal("Inside is false for an authorization-details export")
	}
	id, tp := audit.ViaIdentityPolicy, audit.ViaTrustPolicy
	want := map[string][]string{
		// Developers' inline policy allows role/dev-*; deploy-prod's inline
		// policy names dev-sandbox; carol's NotAction leaves sts:* allowed;
		// ci-bot's NotResource only excludes break-glass.
		// break-glass and okta-sso-admin carry AdministratorAccess: they
		// may assume every role that trusts the account.
		"dev-sandbox": {"break-glass:" + id, "deploy-prod:" + id, "okta-sso-admin:" + id, "alice:" + id + ":Admins", "bob:" + id + ":Developers", "carol:" + id, "ci-bot:" + id},
		// bob through AssumeDeployRoles v2 (role/deploy-*).
		"deploy-prod": {"break-glass:" + id, "okta-sso-admin:" + id, "alice:" + id + ":Admins", "bob:" + id, "carol:" + id, "ci-bot:" + id},
		// carol is denied, ci-bot's NotResource excludes it, bob has no
		// policy for it (v1 of AssumeDeployRoles would, but is not the default).
		"break-glass": {"break-glass:" + id, "okta-sso-admin:" + id, "alice:" + id + ":Admins"},
		// dave is named in the trust policy: no identity policy needed; the
		// trust policy does not trust the account, so alice is not in.
		"audit-readonly": {"dave:" + tp},
		// ops-runner is named; ops-automation allows itself role/ops-*.
		"ops-automation": {"break-glass:" + id, "okta-sso-admin:" + id, "ops-automation:" + id, "ops-runner:" + tp, "alice:" + id + ":Admins", "carol:" + id, "ci-bot:" + id},
		"ops-runner":     nil,
		"github-deploy":  nil,
		"legacy-partner": nil,
		"public-reader":  nil,
	}
	for name, w := range want {
		r := roleByName(t, a, name)
		// Roles sort before users (kind), then by ARN.
		if got := assumers(r); !slices.Equal(got, w) {
			t.Errorf("%s: assumers\n got %q\nwant %q", name, got, w)
		}
	}
	// ci-bot's condition is shown, not evaluated; deploy-prod's MFA
	// condition of the trust policy is shown too.
	r := roleByName(t, a, "deploy-prod")
	var ci audit.Assumer
	for _, as := range r.Assumers {
		if as.Name == "ci-bot" {
			ci = as
		}
	}
	var conds []string
	for _, c := range ci.Conditions {
		conds = append(conds, c.String())
	}
	wantConds := []string{"IpAddress aws:SourceIp = 203.0.113.0/24", "Bool aws:MultiFactorAuthPresent = true"}
	if !slices.Equal(conds, wantConds) {
		t.Errorf("deploy-prod ci-bot conditions: got %q want %q", conds, wantConds)
	}
}

// TestChains checks role chains, the self-assuming cycle, last use and
// revoked sessions.
func TestChains(t *testing.T) {
	a := collect(t, example).Analyze(nil, audit.Options{})
	const acct = "arn:aws:iam::123456789012:"
	// break-glass holds AdministratorAccess and trusts the account: it may
	// assume itself; ops-automation allows itself role/ops-*.
	if want := [][]string{{acct + "role/break-glass"}, {acct + "role/ops-automation"}}; !slices.EqualFunc(a.Cycles, want, slices.Equal) {
		t.Errorf("cycles: got %q want %q", a.Cycles, want)
	}
	dev := roleByName(t, a, "dev-sandbox")
	// user -> break-glass (a cycle, one step) -> deploy-prod -> dev-sandbox.
	wantChain := []string{acct + "user/alice", acct + "role/break-glass", acct + "role/deploy-prod", acct + "role/dev-sandbox"}
	if dev.ChainDepth != 3 || !slices.Equal(dev.Chain, wantChain) {
		t.Errorf("dev-sandbox chain: depth %d %q, want 3 %q", dev.ChainDepth, dev.Chain, wantChain)
	}
	ops := roleByName(t, a, "ops-automation")
	if !ops.Cycle || ops.ChainDepth != 2 {
		t.Errorf("ops-automation: cycle %v depth %d, want true 2", ops.Cycle, ops.ChainDepth)
	}
	if gh := roleByName(t, a, "github-deploy"); gh.ChainDepth != 0 || gh.Cycle {
		t.Errorf("github-deploy: depth %d cycle %v, want 0 false", gh.ChainDepth, gh.Cycle)
	}
	bg := roleByName(t, a, "break-glass")
	if !bg.SessionsRevoked || bg.LastUsed == nil || bg.LastUsed.Region != "us-east-1" {
		t.Errorf("break-glass: revoked %v last used %+v", bg.SessionsRevoked, bg.LastUsed)
	}
	if pr := roleByName(t, a, "public-reader"); pr.LastUsed != nil || pr.SessionsRevoked {
		t.Errorf("public-reader: last used %+v revoked %v, want none", pr.LastUsed, pr.SessionsRevoked)
	}
}

// TestOutside checks the grants and exposure of roles and the list of
// outside principals with the roles they reach and their guards.
func TestOutside(t *testing.T) {
	findings := []model.Finding{
		{RuleID: "TL001", Level: model.LevelHigh, Role: "legacy-partner", Path: "policy.Statement[0].Principal.AWS[0]"},
		{RuleID: "TL003", Level: model.LevelCritical, Role: "public-reader", Path: "policy.Statement[0].Principal.AWS[0]"},
	}
	a := collect(t, example).Analyze(findings, audit.Options{Vendor: func(acct string) string {
		if acct == "464622532012" {
			return "Datadog"
		}
		return ""
	}})
	var got []string
	for _, op := range a.Outside {
		got = append(got, op.Kind+" "+op.Principal+" "+op.Vendor+" "+strings.Join(op.Roles, ",")+" "+strings.Join(op.Guards, ",")+" "+op.Worst)
	}
	want := []string{
		"account 210987654321  audit-readonly external-id ",
		"account 464622532012 Datadog datadog-integration external-id ",
		"account 777777777777  legacy-partner  high",
		"oidc arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com  github-deploy aud,sub ",
		"saml arn:aws:iam::123456789012:saml-provider/okta  okta-sso-admin aud ",
		"service ec2.amazonaws.com  ops-runner  ",
		"service lambda.amazonaws.com  order-processor  ",
		"wildcard *  public-reader  critical",
	}
	if !slices.Equal(got, want) {
		t.Errorf("outside principals:\n got %q\nwant %q", got, want)
	}
	exp := map[string]string{
		"legacy-partner": "external", "public-reader": "wildcard", "github-deploy": "federated",
		"order-processor": "service", "dev-sandbox": "own", "audit-readonly": "external",
	}
	for name, w := range exp {
		if got := strings.Join(roleByName(t, a, name).Exposure, ","); got != w {
			t.Errorf("%s exposure: got %s want %s", name, got, w)
		}
	}
	info := a.Info(findings[0])
	if info.Principal != "arn:aws:iam::777777777777:root" || info.Account != "777777777777" || info.RoleARN != "arn:aws:iam::123456789012:role/legacy-partner" {
		t.Errorf("Info: got %+v", info)
	}
	if r := roleByName(t, a, "legacy-partner"); r.Worst != model.LevelHigh || len(r.Findings) != 1 {
		t.Errorf("legacy-partner: worst %q findings %d", r.Worst, len(r.Findings))
	}
}

// TestSameNamedRoles: roles of one name in one file (a list-roles export
// appended for two accounts) are two roles of the audit, each with its own
// findings, and an outside principal trusted by both reaches two roles.
func TestSameNamedRoles(t *testing.T) {
	const doc = `{"Roles": [{"RoleName": "OrganizationAccountAccessRole", "Arn": "arn:aws:iam::%s:role/OrganizationAccountAccessRole",
  "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::731902284516:root"}, "Action": "sts:AssumeRole"}]}}]}
`
	src := fmt.Sprintf(doc, "204518736390") + fmt.Sprintf(doc, "568309117442")
	c := audit.NewCollector()
	if diags := (iamjson.Parser{}).Parse("roles.json", []byte(src), c.Role); len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	path := "policy.Statement[0].Principal.AWS[0]"
	findings := []model.Finding{
		{RuleID: "TL001", Level: model.LevelHigh, Role: "OrganizationAccountAccessRole", Path: path},
		{RuleID: "TL001", Level: model.LevelHigh, Role: "OrganizationAccountAccessRole", Document: 2, Path: path},
	}
	a := c.Analyze(findings, audit.Options{})
	var got []string
	for _, r := range a.Roles {
		got = append(got, fmt.Sprintf("%s %s %d", r.Ref(), r.ARN, len(r.Findings)))
	}
	want := []string{
		"OrganizationAccountAccessRole arn:aws:iam::204518736390:role/OrganizationAccountAccessRole 1",
		"OrganizationAccountAccessRole in document 2 arn:aws:iam::568309117442:role/OrganizationAccountAccessRole 1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("roles:\n got %q\nwant %q", got, want)
	}
	if len(a.Outside) != 1 || !slices.Equal(a.Outside[0].Roles, []string{"OrganizationAccountAccessRole", "OrganizationAccountAccessRole in document 2"}) {
		t.Errorf("outside principals: %+v", a.Outside)
	}
	if info := a.Info(findings[1]); info.RoleARN != "arn:aws:iam::568309117442:role/OrganizationAccountAccessRole" {
		t.Errorf("Info of the second document's finding: %+v", info)
	}
}

// TestDenyGuardedGrants: a grant that a Deny guard pins (RULES.md, TL003:
// everyone outside the organization is denied) shows the guard's tests
// after its own and counts as guarded; a Deny that another test narrows
// guards nothing. Without Options.DenyGuards only a statement's own tests
// count, as before.
func TestDenyGuardedGrants(t *testing.T) {
	const doc = `{"Roles": [
 {"RoleName": "perimeter", "Arn": "arn:aws:iam::123456789012:role/perimeter",
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
   {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"},
   {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
    "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}},
 {"RoleName": "narrowed", "Arn": "arn:aws:iam::123456789012:role/narrowed",
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
   {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"},
   {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
    "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}}]}`
	engine, err := rules.New(context.Background(), rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opts      audit.Options
		perimeter []string
		unguarded int
	}{
		{audit.Options{DenyGuards: engine.DenyGuards}, []string{
			"Deny BoolIfExists aws:PrincipalIsAWSService = false",
			"Deny StringNotEquals aws:PrincipalOrgID = o-a1b2c3d4e5 (org)",
		}, 1},
		{audit.Options{}, nil, 2},
	} {
		for _, lean := range []bool{false, true} {
			c := audit.NewCollector()
			if lean {
				c.GrantsOnly()
			}
			if diags := (iamjson.Parser{}).Parse("roles.json", []byte(doc), c.Role); len(diags) > 0 {
				t.Fatalf("diagnostics: %v", diags)
			}
			checkDenyGuarded(t, c.Analyze(nil, tc.opts), tc.opts.DenyGuards != nil, tc.perimeter, tc.unguarded)
		}
	}
}

// checkDenyGuarded checks the audit of TestDenyGuardedGrants: perimeter's
// grant conditions (with their guards) and the wildcard's unguarded count.
func checkDenyGuarded(t *testing.T, a *audit.Account, guarded bool, perimeter []string, unguarded int) {
	t.Helper()
	var got []string
	for _, cond := range roleByName(t, a, "perimeter").Grants[0].Conditions {
		s := cond.String()
		if cond.Guard != "" {
			s += " (" + cond.Guard + ")"
		}
		got = append(got, s)
	}
	if !slices.Equal(got, perimeter) {
		t.Errorf("DenyGuards set %v: perimeter's grant conditions %q, want %q", guarded, got, perimeter)
	}
	if n := len(roleByName(t, a, "narrowed").Grants[0].Conditions); n != 0 {
		t.Errorf("narrowed's grant has %d conditions, want none (its Deny is no guard)", n)
	}
	if len(a.Outside) != 1 || a.Outside[0].Unguarded != unguarded {
		t.Errorf("DenyGuards set %v: outside principals %+v, want * with %d unguarded", guarded, a.Outside, unguarded)
	}
}

// TestGrantsOnly: a collector that keeps grants instead of policies
// (text, JSON and CSV reports) gives the audit of one that keeps the
// policies, and keeps only the policies that may have a Deny guard.
func TestGrantsOnly(t *testing.T) {
	engine, err := rules.New(context.Background(), rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := audit.Options{DenyGuards: engine.DenyGuards, Vendor: func(string) string { return "" }}
	render := func(a *audit.Account) []string {
		var out []string
		for _, r := range a.Roles {
			out = append(out, fmt.Sprintf("%s %v %+v", r.Name, r.Exposure, r.Grants))
		}
		for _, op := range a.Outside {
			out = append(out, fmt.Sprintf("%+v", *op))
		}
		return out
	}
	full := collect(t, example)
	lean := audit.NewCollector()
	lean.GrantsOnly()
	src, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	if diags := (iamjson.Parser{}).ParseAccount(example, src, lean.Role, lean); len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	want, got := render(full.Analyze(nil, opts)), render(lean.Analyze(nil, opts))
	if !slices.Equal(got, want) {
		t.Errorf("grants only:\n got %q\nwant %q", got, want)
	}
	kept := 0
	for _, r := range lean.Analyze(nil, opts).Roles {
		if r.Policy != nil {
			kept++
			if !model.MayHaveDeny(r.Policy) {
				t.Errorf("%s: policy kept without a Deny", r.Name)
			}
		}
	}
	if kept == len(full.Analyze(nil, opts).Roles) {
		t.Errorf("every policy kept (%d)", kept)
	}
}
