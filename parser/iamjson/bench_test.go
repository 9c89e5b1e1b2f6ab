package iamjson

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/trustlint/trustlint/internal/exportgen"
	"github.com/trustlint/trustlint/model"
)

// genExport writes a get-account-authorization-details document with n roles
// in the AWS CLI's layout (4-space indent): users, groups and managed
// policies around the role list, and roles of varied kinds with inline
// policies, attached policies, tags and instance profiles, as real accounts
// have. Every sixth trust policy is percent-encoded as the raw API returns
// it.
func genExport(n int) []byte {
	var b strings.Builder
	b.Grow(n * 2700)
	b.WriteString(`{"UserDetailList":[`)
	for i := range n / 40 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"Path":"/","UserName":"user-%d","UserId":"AIDAEXAMPLE%09d","Arn":"arn:aws:iam::123456789012:user/user-%d","CreateDate":"2020-01-01T00:00:00+00:00","UserPolicyList":[{"PolicyName":"self","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ChangePassword","iam:GetUser"],"Resource":"arn:aws:iam::123456789012:user/user-%d"}]}}],"GroupList":["developers"],"AttachedManagedPolicies":[],"Tags":[]}`, i, i, i, i)
	}
	b.WriteString(`],"GroupDetailList":[{"Path":"/","GroupName":"developers","GroupId":"AGPAEXAMPLE000000001","Arn":"arn:aws:iam::123456789012:group/developers","CreateDate":"2020-01-01T00:00:00+00:00","GroupPolicyList":[],"AttachedManagedPolicies":[{"PolicyName":"ReadOnlyAccess","PolicyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}]}],"RoleDetailList":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		writeRole(&b, i)
	}
	b.WriteString(`],"Policies":[`)
	for i := range n / 50 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"PolicyName":"managed-%d","PolicyId":"ANPAEXAMPLE%09d","Arn":"arn:aws:iam::123456789012:policy/managed-%d","Path":"/","DefaultVersionId":"v1","AttachmentCount":3,"IsAttachable":true,"PolicyVersionList":[{"Document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bucket-%d","arn:aws:s3:::bucket-%d/*"]}]},"VersionId":"v1","IsDefaultVersion":true}]}`, i, i, i, i, i)
	}
	b.WriteString(`]}`)
	out, err := jsontext.AppendFormat(nil, []byte(b.String()), jsontext.WithIndent("    "), jsontext.SpaceAfterColon(true))
	if err != nil {
		panic(err)
	}
	return append(out, '\n')
}

// trustPolicies are the trust policy kinds of generated roles; %[1]d is the
// role number.
var trustPolicies = []string{
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%012[1]d:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"ext-%[1]d"}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::%012[1]d:root","arn:aws:iam::210987654321:role/deployer"]},"Action":["sts:AssumeRole","sts:TagSession"]}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:example/app-%[1]d:*"}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/okta"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%012[1]d:user/ops"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`,
}

func writeRole(b *strings.Builder, i int) {
	kind := i % len(trustPolicies)
	doc := trustPolicies[kind]
	if strings.Contains(doc, "%") {
		doc = fmt.Sprintf(doc, 100000000000+i)
	}
	if i%6 == 5 { // the raw API's percent-encoded form
		doc = `"` + percentEncode(doc) + `"`
	}
	path := "/"
	if kind == 0 {
		path = "/service-role/"
	}
	fmt.Fprintf(b, `{"Path":%q,"RoleName":"role-%d","RoleId":"AROAEXAMPLE%09d","Arn":"arn:aws:iam::123456789012:role%srole-%d","CreateDate":"2021-03-04T05:06:07+00:00","AssumeRolePolicyDocument":%s,`, path, i, i, path, i, doc)
	b.WriteString(`"InstanceProfileList":[`)
	if kind == 0 {
		fmt.Fprintf(b, `{"Path":"/","InstanceProfileName":"role-%d","InstanceProfileId":"AIPAEXAMPLE%09d","Arn":"arn:aws:iam::123456789012:instance-profile/role-%d","CreateDate":"2021-03-04T05:06:07+00:00","Roles":[{"Path":"/service-role/","RoleName":"role-%d","RoleId":"AROAEXAMPLE%09d","Arn":"arn:aws:iam::123456789012:role/service-role/role-%d","CreateDate":"2021-03-04T05:06:07+00:00","AssumeRolePolicyDocument":%s}]}`, i, i, i, i, i, i, doc)
	}
	b.WriteString(`],"RolePolicyList":[`)
	for j := range i % 3 {
		if j > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(b, `{"PolicyName":"inline-%d","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:ListBucket"],"Resource":["arn:aws:s3:::data-%d","arn:aws:s3:::data-%d/*"]}]}}`, j, i, i)
	}
	b.WriteString(`],"AttachedManagedPolicies":[{"PolicyName":"ReadOnlyAccess","PolicyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}],`)
	fmt.Fprintf(b, `"Tags":[{"Key":"team","Value":"team-%d"},{"Key":"env","Value":"prod"}],"RoleLastUsed":{"LastUsedDate":"2024-06-07T08:09:10+00:00","Region":"eu-west-1"}}`, i%17)
}

// percentEncode encodes s as RFC 3986 does, keeping only unreserved bytes.
func percentEncode(s string) string {
	var b strings.Builder
	for i := range len(s) {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

var bigExport = sync.OnceValue(func() []byte { return genExport(20000) })

// TestGeneratedExport checks the generator and the parse of every kind of
// role it makes, on a small export.
func TestGeneratedExport(t *testing.T) {
	src := genExport(240)
	if ok, why := (Parser{}).Match("export.json", src); !ok {
		t.Fatalf("Match: %s", why)
	}
	var roles []*model.Role
	diags := Parser{}.Parse("export.json", src, func(r *model.Role) { roles = append(roles, r) })
	if len(diags) > 0 {
		t.Fatalf("got diagnostics %v", diags[0])
	}
	if len(roles) != 240 {
		t.Fatalf("got %d roles want 240", len(roles))
	}
	for i, r := range roles {
		if want := fmt.Sprintf("role-%d", i); r.Name != want || r.OwnAccount != "123456789012" {
			t.Fatalf("role %d: got %q in %q, want %q in 123456789012", i, r.Name, r.OwnAccount, want)
		}
		stmts, _ := r.Policy.(map[string]any)["Statement"].([]any)
		if len(stmts) != 1 {
			t.Fatalf("role %s: got policy %#v", r.Name, r.Policy)
		}
	}
}

// BenchmarkParseExport parses a 20,000-role authorization-details export
// (about 50 MB), building every role and its source map.
func BenchmarkParseExport(b *testing.B) {
	src := bigExport()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		roles := 0
		diags := Parser{}.Parse("export.json", src, func(*model.Role) { roles++ })
		if roles != 20000 || len(diags) > 0 {
			b.Fatalf("got %d roles, %d diagnostics", roles, len(diags))
		}
	}
}

// BenchmarkMatchExport measures the relevance check of the same export.
func BenchmarkMatchExport(b *testing.B) {
	src := bigExport()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if ok, why := (Parser{}).Match("export.json", src); !ok {
			b.Fatal(why)
		}
	}
}

// BenchmarkMatchAfterResourcePolicies measures the relevance check of the
// same export after 10,000 key policies (about 2 MB) in the same file:
// each is classified and skipped before the export decides.
func BenchmarkMatchAfterResourcePolicies(b *testing.B) {
	src := append([]byte(strings.Repeat(keyPolicy+"\n", 10000)), bigExport()...)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if ok, why := (Parser{}).Match("export.json", src); !ok {
			b.Fatal(why)
		}
	}
}

// BenchmarkMatchLargePolicy measures the relevance check of one trust
// policy of 30,000 statements (issue 9): the first statement that may
// allow an sts: action decides it.
func BenchmarkMatchLargePolicy(b *testing.B) {
	src, err := json.Marshal(exportgen.LargePolicy(30000))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if ok, why := (Parser{}).Match("policy.json", src); !ok {
			b.Fatal(why)
		}
	}
}
