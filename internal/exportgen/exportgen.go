// Package exportgen writes synthetic `aws iam
// get-account-authorization-details` exports for tests and benchmarks. The
// mix of roles follows what real accounts hold: many AWS service roles and
// SSO roles with identical trust policies, and a long tail of cross-account,
// vendor, CI and human roles whose policies are each unique. Half of the
// documents are URL-encoded strings, as the raw IAM API returns them.
//
// Every role is written on one line, so line n+2 holds role n; the expected
// findings of each role are known (Expected).
package exportgen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// OwnAccount is the account every generated role lives in.
const OwnAccount = "123456789012"

// TrustedAccounts are the organization accounts the "org-mfa" roles trust;
// list them as trusted_accounts to get the findings that Kind.Want says.
func TrustedAccounts() []string {
	out := make([]string, 50)
	for i := range out {
		out[i] = fmt.Sprintf("%012d", 200000000000+i)
	}
	return out
}

// Kind is one kind of generated role.
type Kind struct {
	Name   string
	Weight int
	// Want lists the rule IDs the role's trust policy must trigger.
	Want []string
	doc  func(n int) map[string]any
	path string
}

func stmt(principal map[string]any, action string, cond map[string]any) map[string]any {
	s := map[string]any{"Effect": "Allow", "Principal": principal, "Action": action}
	if cond != nil {
		s["Condition"] = cond
	}
	return s
}

func policy(stmts ...map[string]any) map[string]any {
	list := make([]any, len(stmts))
	for i, s := range stmts {
		list[i] = s
	}
	return map[string]any{"Version": "2012-10-17", "Statement": list}
}

// services are assumed by the account's own compute (TL007 exempts them).
var services = []string{"lambda", "ec2", "ecs-tasks", "glue", "codebuild", "sagemaker"}

// Kinds is the role mix, weights per 100 roles.
var Kinds = []Kind{
	{Name: "service", Weight: 30, doc: func(n int) map[string]any {
		return policy(stmt(map[string]any{"Service": services[n%len(services)] + ".amazonaws.com"}, "sts:AssumeRole", nil))
	}},
	{Name: "service-with-source", Weight: 5, doc: func(n int) map[string]any {
		return policy(stmt(map[string]any{"Service": "events.amazonaws.com"}, "sts:AssumeRole",
			map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": OwnAccount}}))
	}},
	{Name: "service-linked", Weight: 10, path: "/aws-service-role/", doc: func(n int) map[string]any {
		return policy(stmt(map[string]any{"Service": []any{"autoscaling.amazonaws.com"}}, "sts:AssumeRole", nil))
	}},
	{Name: "sso", Weight: 10, doc: func(n int) map[string]any {
		return policy(stmt(map[string]any{"Federated": "arn:aws:iam::" + OwnAccount + ":saml-provider/AWSSSO_0a1b2c3d4e5f_DO_NOT_DELETE"},
			"sts:AssumeRoleWithSAML", map[string]any{"StringEquals": map[string]any{"SAML:aud": "https://signin.aws.amazon.com/saml"}}))
	}},
	{Name: "org-mfa", Weight: 10, doc: func(n int) map[string]any {
		return policy(stmt(map[string]any{"AWS": fmt.Sprintf("arn:aws:iam::%012d:root", 200000000000+n%50)}, "sts:AssumeRole",
			map[string]any{"Bool": map[string]any{"aws:MultiFactorAuthPresent": "true"}}))
	}},
	{Name: "vendor-external-id", Weight: 10, doc: func(n int) map[string]any {
		return policy(stmt(map[string]any{"AWS": fmt.Sprintf("arn:aws:iam::%012d:role/vendor-%d", 900000000000+n%20, n%7)}, "sts:AssumeRole",
			map[string]any{"StringEquals": map[string]any{"sts:ExternalId": fmt.Sprintf("ext-%08x", n*2654435761%4294967296)}}))
	}},
	{Name: "vendor-no-external-id", Weight: 5, Want: []string{"TL001"}, doc: func(n int) map[string]any {
		return policy(stmt(map[string]any{"AWS": []any{fmt.Sprintf("%012d", 800000000000+n%20)}}, "sts:AssumeRole", nil))
	}},
	{Name: "github-oidc", Weight: 10, doc: func(n int) map[string]any {
		return policy(stmt(map[string]any{"Federated": "arn:aws:iam::" + OwnAccount + ":oidc-provider/token.actions.githubusercontent.com"},
			"sts:AssumeRoleWithWebIdentity", map[string]any{
				"StringEquals": map[string]any{"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, //nolint:gosec // an OIDC audience, not a credential
				"StringLike":   map[string]any{"token.actions.githubusercontent.com:sub": fmt.Sprintf("repo:example-org/service-%d:ref:refs/heads/main", n)},
			}))
	}},
	{Name: "user-no-mfa", Weight: 5, Want: []string{"TL002"}, doc: func(n int) map[string]any {
		return policy(stmt(map[string]any{"AWS": fmt.Sprintf("arn:aws:iam::%s:user/engineer-%d", OwnAccount, n)}, "sts:AssumeRole", nil))
	}},
	{Name: "wildcard-org", Weight: 3, doc: func(n int) map[string]any {
		return policy(stmt(map[string]any{"AWS": "*"}, "sts:AssumeRole",
			map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": fmt.Sprintf("o-a1b2c3d4e%d", n%10)}}))
	}},
	{Name: "wildcard-open", Weight: 2, Want: []string{"TL003"}, doc: func(n int) map[string]any {
		return policy(stmt(map[string]any{"AWS": "*"}, "sts:AssumeRole", nil))
	}},
}

// kindOf spreads the kinds over role numbers by weight, deterministically.
func kindOf(n int) *Kind {
	slot := (n * 37) % 100
	for i := range Kinds {
		if slot < Kinds[i].Weight {
			return &Kinds[i]
		}
		slot -= Kinds[i].Weight
	}
	return &Kinds[0]
}

// LargePolicy returns one trust policy of n statements: statement i is the
// statement of generated role i, so every kind appears in turn (for the
// cost of one policy with very many statements).
func LargePolicy(n int) map[string]any {
	list := make([]any, n)
	for i := range list {
		list[i] = kindOf(i).doc(i)["Statement"].([]any)[0]
	}
	return map[string]any{"Version": "2012-10-17", "Statement": list}
}

// Role describes generated role n.
type Role struct {
	Name string
	Kind *Kind
	Line int
}

// Expected returns the description of role n.
func Expected(n int) Role {
	return Role{Name: fmt.Sprintf("role-%05d", n), Kind: kindOf(n), Line: n + 2}
}

// inlinePolicy is the kind of permissions policy real roles carry; exports
// include them, so they count in what a parser must read.
var inlinePolicy = []any{map[string]any{
	"PolicyName": "app-access",
	"PolicyDocument": policy(
		map[string]any{"Effect": "Allow", "Action": []any{"s3:GetObject", "s3:PutObject", "s3:ListBucket"}, "Resource": []any{"arn:aws:s3:::example-app-data", "arn:aws:s3:::example-app-data/*"}},
		map[string]any{"Effect": "Allow", "Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"}, "Resource": "arn:aws:logs:*:" + OwnAccount + ":log-group:/app/*"},
	),
}}

// WritePretty writes an export of n roles the way the AWS CLI prints it:
// indented by four spaces, each role with an inline permissions policy and
// attached managed policies (about 2.5 KB a role). Line numbers are not
// predictable; use it for benchmarks.
func WritePretty(w io.Writer, n int) error {
	roles := make([]any, n)
	for i := range n {
		r := Expected(i)
		doc, err := json.Marshal(r.Kind.doc(i))
		if err != nil {
			return err
		}
		path := r.Kind.path
		if path == "" {
			path = "/"
		}
		var docField any = r.Kind.doc(i)
		if i%2 == 0 {
			docField = strings.ReplaceAll(url.QueryEscape(string(doc)), "+", "%20")
		}
		roles[i] = map[string]any{
			"Path": path, "RoleName": r.Name, "RoleId": fmt.Sprintf("AROA%016X", i),
			"Arn":                      fmt.Sprintf("arn:aws:iam::%s:role%s%s", OwnAccount, path, r.Name),
			"CreateDate":               "2024-01-01T00:00:00+00:00",
			"AssumeRolePolicyDocument": docField,
			"InstanceProfileList":      []any{},
			"RolePolicyList":           inlinePolicy,
			"AttachedManagedPolicies": []any{
				map[string]any{"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
			},
			"Tags":         []any{map[string]any{"Key": "team", "Value": fmt.Sprintf("team-%d", i%40)}},
			"RoleLastUsed": map[string]any{"LastUsedDate": "2026-10-01T12:00:00+00:00", "Region": "us-east-1"},
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "    ")
	return enc.Encode(map[string]any{"RoleDetailList": roles, "UserDetailList": []any{}, "GroupDetailList": []any{}, "Policies": []any{}})
}

// Write writes an export of n roles, one role per line.
func Write(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("{\"RoleDetailList\": [\n")
	for i := range n {
		r := Expected(i)
		doc, err := json.Marshal(r.Kind.doc(i))
		if err != nil {
			return err
		}
		var docField string
		if i%2 == 0 {
			docField = `"` + strings.ReplaceAll(url.QueryEscape(string(doc)), "+", "%20") + `"`
		} else {
			docField = string(doc)
		}
		path := r.Kind.path
		if path == "" {
			path = "/"
		}
		sep := ","
		if i == n-1 {
			sep = ""
		}
		fmt.Fprintf(bw, `{"Path": %q, "RoleName": %q, "RoleId": "AROA%016X", "Arn": "arn:aws:iam::%s:role%s%s", "CreateDate": "2024-01-01T00:00:00Z", "AssumeRolePolicyDocument": %s, "InstanceProfileList": [], "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []}%s`+"\n",
			path, r.Name, i, OwnAccount, path, r.Name, docField, sep)
	}
	bw.WriteString("], \"UserDetailList\": [], \"GroupDetailList\": [], \"Policies\": []}\n")
	return bw.Flush()
}
