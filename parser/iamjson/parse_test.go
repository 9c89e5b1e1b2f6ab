package iamjson

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/internal/srcmaptest"
)

const fixtures = "../../testdata/parser/json"

// span renders a range as "line:col-line:col".
func span(r model.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
}

// diagString renders a diagnostic as "line:col-line:col message".
func diagString(d model.Diagnostic) string { return span(d.Range) + " " + d.Message }

// parseAll parses src as file and returns every role and diagnostic, after
// checking the source maps of the roles against src.
func parseAll(t *testing.T, file string, src []byte) ([]*model.Role, []string) {
	t.Helper()
	var roles []*model.Role
	diags := Parser{}.Parse(file, src, func(r *model.Role) { roles = append(roles, r) })
	var ds []string
	for _, d := range diags {
		ds = append(ds, diagString(d))
		if msg := srcmaptest.CheckRange(d.Range, file, src); msg != "" {
			t.Errorf("diagnostic %q: range %s", d.Message, msg)
		}
	}
	for _, r := range roles {
		if bad := srcmaptest.BadRanges(r.Source, file, src); len(bad) > 0 {
			t.Errorf("role %s: bad ranges: %v", r.Name, bad)
		}
		if msg := srcmaptest.CheckRange(r.Range, file, src); msg != "" {
			t.Errorf("role %s: range %s", r.Name, msg)
		}
		if r.HasPolicy {
			if miss := srcmaptest.Unmapped(r.Policy, model.PolicyPath, r.Source); len(miss) > 0 {
				t.Errorf("role %s: values without a source range: %v", r.Name, miss)
			}
		}
	}
	return roles, ds
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// wantRole is what a test expects of one emitted role. Policy is compared
// only when non-nil; values and keys list some source-map entries.
type wantRole struct {
	name, roleName, arn, iamPath, account string
	format                                model.Format
	span                                  string
	msd                                   any
	noPolicy                              bool
	policy                                any
	values, keys                          map[string]string
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file  string
		roles []wantRole
		diags []string
	}{
		{
			file: "policy_star.json",
			roles: []wantRole{{
				name: "policy_star.json", format: model.FormatPolicy, span: "1:1-9:2",
				policy: map[string]any{
					"Version": "2012-10-17",
					"Statement": []any{map[string]any{
						"Sid": "AnyoneAtAll", "Effect": "Allow",
						"Principal": map[string]any{"AWS": []any{"*"}},
						"Action":    []any{"sts:AssumeRole"},
					}},
				},
				values: map[string]string{
					"policy":                               "1:1-9:2",
					"policy.Statement":                     "3:16-8:4",
					"policy.Statement[0]":                  "3:16-8:4",
					"policy.Statement[0].Principal":        "6:18-6:21",
					"policy.Statement[0].Principal.AWS":    "6:18-6:21",
					"policy.Statement[0].Principal.AWS[0]": "6:18-6:21",
				},
				keys: map[string]string{
					"policy.Statement[0].Principal":     "6:5-6:16",
					"policy.Statement[0].Principal.AWS": "6:5-6:16",
					"policy.Statement[0].Action":        "7:5-7:13",
				},
			}},
		},
		{
			file: "policy_object.json",
			roles: []wantRole{{
				name: "policy_object.json", format: model.FormatPolicy, span: "1:1-25:2",
				values: map[string]string{
					"policy.Statement[0].Principal.AWS[0]":                                "9:16-9:48",
					"policy.Statement[0].Principal.Service[1]":                            "10:42-10:64",
					`policy.Statement[0].Condition.StringEquals["sts:ExternalId"][0]`:     "14:44-14:56",
					`policy.Statement[0].Condition.Bool["aws:MultiFactorAuthPresent"][0]`: "15:48-15:52",
					`policy.Statement[0].Condition.StringLike["aws:PrincipalArn"][1]`:     "16:84-16:121",
					"policy.Statement[1].NotAction[0]":                                    "22:20-22:44",
				},
				keys: map[string]string{"policy.Statement[1].NotPrincipal": "21:7-21:21"},
			}},
		},
		{
			file: "get_role.json",
			roles: []wantRole{{
				name: "deploy", roleName: "deploy", arn: "arn:aws-cn:iam::123456789012:role/service/deploy",
				iamPath: "/service/", account: "123456789012", format: model.FormatAWSExport,
				span: "2:13-23:6", msd: 43200.0,
				policy: map[string]any{
					"Version": "2012-10-17",
					"Statement": []any{map[string]any{
						"Effect":    "Allow",
						"Principal": map[string]any{"AWS": []any{"arn:aws-cn:iam::444455556666:user/alice"}},
						"Action":    []any{"sts:AssumeRole"},
					}},
				},
				values: map[string]string{
					"role":                                 "2:13-23:6",
					"role.MaxSessionDuration":              "21:9-21:36",
					"role.arn":                             "6:16-6:66",
					"role.path":                            "3:17-3:28",
					"role.role_name":                       "4:21-4:29",
					"policy":                               "8:37-19:10",
					"policy.Statement[0].Principal.AWS[0]": "14:32-14:73",
				},
				keys: map[string]string{"role.MaxSessionDuration": "21:9-21:29"},
			}},
		},
		{
			file: "list_roles.json",
			roles: []wantRole{
				{
					name: "github-ci", roleName: "github-ci", arn: "arn:aws:iam::123456789012:role/github-ci",
					iamPath: "/", account: "123456789012", format: model.FormatAWSExport, span: "3:9-25:10", msd: "7200",
					values: map[string]string{
						"role.MaxSessionDuration": "24:13-24:41",
						`policy.Statement[0].Condition.StringLike["token.actions.githubusercontent.com:sub"][0]`: "18:76-18:92",
					},
					keys: map[string]string{"role.MaxSessionDuration": "24:13-24:33"},
				},
				{
					name: "arn:aws-us-gov:iam::210987654321:role/no-name", arn: "arn:aws-us-gov:iam::210987654321:role/no-name",
					iamPath: "/", account: "210987654321", format: model.FormatAWSExport, span: "26:9-30:10",
					policy: map[string]any{
						"Version": "2012-10-17",
						"Statement": []any{map[string]any{
							"Effect":    "Allow",
							"Principal": map[string]any{"Service": []any{"s3.amazonaws.com"}},
							"Action":    []any{"sts:AssumeRole"},
						}},
					},
					values: map[string]string{
						"policy.Statement[0].Principal.Service[0]": "29:134-29:154",
						"policy.Statement[0].Principal":            "29:121-29:155",
					},
				},
				{
					name: "Roles[2]", iamPath: "/", format: model.FormatAWSExport, span: "31:9-34:10", policy: "",
					values: map[string]string{"policy": "33:41-33:43"},
				},
				{
					name: "raw", roleName: "raw", format: model.FormatAWSExport, span: "35:9-39:10",
					msd: 3600.0, policy: "not a policy",
					values: map[string]string{"policy": "37:41-37:55", "role.MaxSessionDuration": "38:13-38:39"},
				},
				{name: "no-policy", roleName: "no-policy", format: model.FormatAWSExport, span: "40:9-42:10", noPolicy: true},
			},
		},
		{
			file: "auth_details.json",
			roles: []wantRole{
				{
					name: "svc-ec2", roleName: "svc-ec2", arn: "arn:aws:iam::123456789012:role/svc-ec2",
					iamPath: "/", account: "123456789012", format: model.FormatAWSExport, span: "16:9-52:10",
					values: map[string]string{"policy.Statement[0].Principal.Service[0]": "27:50-27:69"},
				},
				{
					name: "partner", roleName: "partner", arn: "arn:aws:iam::123456789012:role/partners/partner",
					iamPath: "/partners/", account: "123456789012", format: model.FormatAWSExport, span: "53:9-59:10",
					policy: map[string]any{
						"Version": "2012-10-17",
						"Statement": []any{map[string]any{
							"Effect":    "Allow",
							"Principal": map[string]any{"AWS": []any{"arn:aws:iam::999988887777:role/a+b"}},
							"Action":    []any{"sts:AssumeRole"},
							"Condition": map[string]any{"StringEquals": map[string]any{"sts:ExternalId": []any{"x y"}}},
						}},
					},
					values: map[string]string{
						"policy":                               "57:42-57:360",
						"policy.Statement[0].Principal.AWS[0]": "57:166-57:218",
						`policy.Statement[0].Condition.StringEquals["sts:ExternalId"][0]`: "57:334-57:345",
					},
					keys: map[string]string{`policy.Statement[0].Condition.StringEquals["sts:ExternalId"]`: "57:309-57:331"},
				},
			},
		},
		{
			file: "doc_string.json",
			roles: []wantRole{{
				name: "escaped", roleName: "escaped", arn: "arn:aws:iam::123456789012:role/escaped",
				account: "123456789012", format: model.FormatAWSExport, span: "2:11-6:4",
				values: map[string]string{
					"policy":                               "5:34-5:244",
					"policy.Statement[0].Sid":              "5:97-5:122",
					"policy.Statement[0].Principal":        "5:162-5:207",
					"policy.Statement[0].Principal.AWS[0]": "5:172-5:206",
				},
			}},
		},
		{
			file: "crlf.json",
			roles: []wantRole{{
				name: "crlf.json", format: model.FormatPolicy, span: "1:1-10:2",
				values: map[string]string{
					"policy.Statement[0].Principal.AWS":    "6:28-6:78",
					"policy.Statement[0].Principal.AWS[0]": "6:29-6:43",
					"policy.Statement[0].Principal.AWS[1]": "6:45-6:77",
				},
			}},
		},
		{
			file: "nonascii.json",
			roles: []wantRole{{
				name: "nonascii.json", format: model.FormatPolicy, span: "1:1-1:173",
				values: map[string]string{
					"policy.Statement[0].Sid":              "1:49-1:67",
					"policy.Statement[0].Principal.AWS[0]": "1:109-1:141",
				},
				keys: map[string]string{"policy.Statement[0].Principal": "1:88-1:99"},
			}},
		},
		{
			file:  "broken.json",
			diags: []string{"6:19-6:20 invalid JSON: invalid character '}' after object key (expecting ':')"},
		},
		{
			file: "broken_embedded.json",
			roles: []wantRole{{
				name: "good", roleName: "good", format: model.FormatAWSExport, span: "7:5-10:6",
			}},
			diags: []string{
				"5:82-5:83 embedded policy document: invalid JSON: invalid character '}' at start of value",
				"13:95-13:98 embedded policy document: invalid JSON: invalid character '}' at start of value",
				`17:55-17:56 embedded policy document: invalid percent-encoding "%2"`,
			},
		},
		{
			file: "duplicate_keys.json",
			roles: []wantRole{{
				name: "duplicate_keys.json", format: model.FormatPolicy, span: "1:1-12:2",
				values: map[string]string{"policy.Statement[0].Effect": "7:17-7:23", "policy.Version": "11:14-11:26"},
				keys:   map[string]string{"policy.Statement[0].Effect": "7:7-7:15", "policy.Version": "11:3-11:12"},
			}},
			diags: []string{
				`7:7-7:15 duplicate key "Effect" (first at line 5)`,
				`11:3-11:12 duplicate key "Version" (first at line 2)`,
			},
		},
		{
			file: "roles_array.json",
			roles: []wantRole{
				{name: "first", roleName: "first", arn: "arn:aws:iam::123456789012:role/first", account: "123456789012", format: model.FormatAWSExport, span: "2:3-6:4"},
				{name: "[1]", format: model.FormatAWSExport, span: "7:3-9:4"},
			},
		},
		{
			file: "misspelled_statement.json",
			roles: []wantRole{{
				name: "misspelled_statement.json", format: model.FormatPolicy, span: "1:1-6:2",
				policy: map[string]any{
					"Version":    "2012-10-17",
					"Statements": []any{map[string]any{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}},
				},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			roles, diags := parseAll(t, tt.file, readFixture(t, tt.file))
			if !reflect.DeepEqual(diags, tt.diags) {
				t.Errorf("diagnostics:\ngot  %q\nwant %q", diags, tt.diags)
			}
			if len(roles) != len(tt.roles) {
				var names []string
				for _, r := range roles {
					names = append(names, r.Name)
				}
				t.Fatalf("got %d roles %q, want %d", len(roles), names, len(tt.roles))
			}
			for i, w := range tt.roles {
				checkRole(t, tt.file, roles[i], w)
			}
		})
	}
}

func checkRole(t *testing.T, file string, r *model.Role, w wantRole) {
	t.Helper()
	got := []any{r.Name, r.RoleName, r.ARN, r.IAMPath, r.OwnAccount, r.Format, r.File, span(r.Range), r.MaxSessionDuration, r.HasPolicy}
	want := []any{w.name, w.roleName, w.arn, w.iamPath, w.account, w.format, file, w.span, w.msd, !w.noPolicy}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("role %s: got name, role name, arn, path, account, format, file, range, MaxSessionDuration, HasPolicy\n%#v\nwant\n%#v", w.name, got, want)
	}
	if w.policy != nil && !reflect.DeepEqual(r.Policy, w.policy) {
		t.Errorf("role %s: policy\ngot  %#v\nwant %#v", w.name, r.Policy, w.policy)
	}
	if w.noPolicy && r.Policy != nil {
		t.Errorf("role %s: got policy %#v, want none", w.name, r.Policy)
	}
	for p, s := range w.values {
		if rg, ok := r.Source.ValueMap()[p]; !ok {
			t.Errorf("role %s: no value range for %s, want %s", w.name, p, s)
		} else if span(rg) != s {
			t.Errorf("role %s: value range of %s: got %s want %s", w.name, p, span(rg), s)
		}
	}
	for p, s := range w.keys {
		if rg, ok := r.Source.KeyMap()[p]; !ok {
			t.Errorf("role %s: no key range for %s, want %s", w.name, p, s)
		} else if span(rg) != s {
			t.Errorf("role %s: key range of %s: got %s want %s", w.name, p, span(rg), s)
		}
	}
}

// TestParseTruncated checks that the roles read before a syntax error stand.
func TestParseTruncated(t *testing.T) {
	src := readFixture(t, "list_roles.json")
	cut := strings.Index(string(src), `"RoleName": "raw"`)
	src = src[:cut]
	roles, diags := parseAll(t, "cut.json", src)
	var names []string
	for _, r := range roles {
		names = append(names, r.Name)
	}
	wantNames := []string{"github-ci", "arn:aws-us-gov:iam::210987654321:role/no-name", "Roles[2]"}
	if !reflect.DeepEqual(names, wantNames) {
		t.Errorf("got roles %q want %q", names, wantNames)
	}
	wantDiags := []string{"36:13-36:13 invalid JSON: unexpected end of input"}
	if !reflect.DeepEqual(diags, wantDiags) {
		t.Errorf("got diagnostics %q want %q", diags, wantDiags)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		roles     int
		want      []string
	}{
		{"empty", "", 0, []string{"1:1-1:1 invalid JSON: empty input"}},
		{"white space only", " \n ", 0, []string{"1:1-1:1 invalid JSON: empty input"}},
		{"missing colon", `{"Statement" }`, 0, []string{"1:14-1:15 invalid JSON: invalid character '}' after object key (expecting ':')"}},
		{"trailing comma", "{\"Statement\": [],\n}", 0, []string{"1:17-1:18 invalid JSON: trailing comma before '}'"}},
		{"trailing comma in array", `{"Statement": [{},]}`, 0, []string{"1:18-1:19 invalid JSON: trailing comma before ']'"}},
		{"unterminated", `{"Statement": [`, 0, []string{"1:16-1:16 invalid JSON: unexpected end of input"}},
		{"invalid UTF-8", "{\"Statement\": [\"\xff\"]}", 0, []string{"1:17-1:18 invalid JSON: invalid UTF-8"}},
		{"bad escape", `{"Statement": "\q"}`, 0, []string{"1:16-1:17 invalid JSON: invalid escape sequence `\\q` in string"}},
		{"non-ASCII before the error", `{"Sid": "é", "Statement" 1}`, 0, []string{"1:26-1:27 invalid JSON: invalid character '1' after object key (expecting ':')"}},
		{"second document not IAM", "{\"Statement\": [{\"Principal\": \"*\"}]}\n {} {\"Statement\": [{\"Principal\": \"*\"}]}", 1, []string{"2:2-2:4 document 2 of the file is not a trust policy or IAM role export: no Statement, Role, Roles or RoleDetailList at the top level; the rest of the file is not read"}},
		{"second document a scalar", "{\"Statement\": [{\"Principal\": \"*\"}]}\n7", 1, []string{"2:1-2:2 document 2 of the file is not a trust policy or IAM role export: the top-level value is a number; the rest of the file is not read"}},
		{"garbage after a document", "{\"Statement\": [{\"Principal\": \"*\"}]}\n#", 1, []string{"2:1-2:2 invalid JSON: invalid character '#' at start of value"}},
		{"non-string key", `{"Statement": [], 1: 2}`, 0, []string{"1:19-1:20 invalid JSON: object key must be a string"}},
		{"scalar top level", `"AssumeRolePolicyDocument"`, 0, []string{"1:1-1:27 not a trust policy or IAM role export: the top-level value is a string"}},
		{"unrecognized object", `{"Principal": 1}`, 0, []string{"1:1-1:17 not a trust policy or IAM role export: no Statement, Role, Roles or RoleDetailList at the top level"}},
		{"role list not a list", `{"Roles": {"RoleName": "x"}}`, 0, []string{"1:11-1:28 Roles is not a list of role objects"}},
		{"role entry not an object", `{"RoleDetailList": [{"RoleName": "a"}, 7, {"RoleName": "b"}]}`, 2, []string{"1:40-1:41 RoleDetailList[1] is not a role object"}},
		{"Role not an object", `{"Role": null}`, 0, []string{"1:10-1:14 Role is not a role object"}},
		{"duplicate in role", `{"Role": {"RoleName": "a", "Tags": [], "Tags": []}}`, 1, []string{`1:40-1:46 duplicate key "Tags" (first at line 1)`}},
		{"error after a role", `{"Roles": [{"RoleName": "a"}, {"RoleName" "b"}]}`, 1, []string{"1:43-1:44 invalid JSON: invalid character '\"' after object key (expecting ':')"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roles, diags := parseAll(t, "e.json", []byte(tt.src))
			if len(roles) != tt.roles {
				t.Errorf("got %d roles want %d", len(roles), tt.roles)
			}
			if !reflect.DeepEqual(diags, tt.want) {
				t.Errorf("diagnostics:\ngot  %q\nwant %q", diags, tt.want)
			}
		})
	}
}

// TestParseDocuments: a file of several JSON documents (list-roles appended
// twice, get-role outputs and policies pasted one after another) gives the
// roles of all of them, with their file positions and, from the second
// document on, its ordinal; a broken later document is a syntax error at
// its line, after the roles read before it.
func TestParseDocuments(t *testing.T) {
	policy := `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::389476015216:root"}, "Action": "sts:AssumeRole"}]}`
	role := func(name string) string {
		return `{"RoleName": "` + name + `", "AssumeRolePolicyDocument": ` + policy + `}`
	}
	tests := []struct {
		name, src string
		roles     []string // name/document line:column of the principal
		diags     []string
	}{
		{"list-roles twice", `{"Roles": [` + role("a") + `]}` + "\n" + `{"Roles": [` + role("a") + `, ` + role("b") + `]}` + "\n",
			[]string{"a/0 1:114", "a/2 2:114", "b/2 2:283"}, nil},
		{"get-role outputs", `{"Role": ` + role("a") + "}\r\n\r\n" + `{"Role": ` + role("c") + "}",
			[]string{"a/0 1:112", "c/2 3:112"}, nil},
		{"pasted policies without white space", policy + policy,
			[]string{"p.json/0 1:57", "p.json/2 1:177"}, nil},
		{"role lists", "[" + role("a") + "]\n[" + role("b") + "]",
			[]string{"a/0 1:104", "b/2 2:104"}, nil},
		{"broken later document", `{"Roles": [` + role("a") + "]}\n" + `{"Roles": [` + role("b") + ", " + `{"RoleName": "c"` + "\n",
			[]string{"a/0 1:114", "b/2 2:114"}, []string{"3:1-3:1 invalid JSON: unexpected end of input"}},
		{"resource policy between", policy + "\n" + `{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}` + "\n" + policy,
			[]string{"p.json/0 1:57", "p.json/3 3:57"}, nil},
		{"identity policy and get-key-policy output before", identityPolicy + "\n" + getKeyPolicy + "\n" + `{"Role": ` + role("a") + "}\n" + policy,
			[]string{"a/3 3:112", "p.json/4 4:57"}, nil},
		{"get-role-policy output before", getRolePolicy + "\n" + `{"Role": ` + role("a") + "}",
			[]string{"a/2 2:112"}, nil},
		{"get-policy, attached policies and queue and topic attributes between", getPolicy + "\n" + `{"Role": ` + role("a") + "}\n" + attachedPolicies + "\n" + rolePolicies + "\n" +
			queueAttributes + "\n" + `{"Roles": [` + role("b") + "]}\n" + topicAttributes + "\n" + policy,
			[]string{"a/2 2:112", "b/6 6:114", "p.json/8 8:57"}, nil},
		{"attributes that are no object end the file", `{"Attributes": []}` + "\n" + `{"Role": ` + role("a") + "}",
			nil, []string{"1:1-1:19 not a trust policy or IAM role export: no Statement, Role, Roles or RoleDetailList at the top level"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roles, diags := parseAll(t, "p.json", []byte(tt.src))
			var got []string
			for _, r := range roles {
				pos := r.Locate(model.Path{"policy", "Statement", 0, "Principal", "AWS", 0}, false).Start
				got = append(got, fmt.Sprintf("%s/%d %d:%d", r.Name, r.Document, pos.Line, pos.Column))
			}
			if !reflect.DeepEqual(got, tt.roles) {
				t.Errorf("roles:\ngot  %q\nwant %q", got, tt.roles)
			}
			if !reflect.DeepEqual(diags, tt.diags) {
				t.Errorf("diagnostics:\ngot  %q\nwant %q", diags, tt.diags)
			}
		})
	}
}

// TestParseCRLFMatchesLF checks that CRLF line endings move columns by
// nothing and lines by nothing: only byte offsets change.
func TestParseCRLFMatchesLF(t *testing.T) {
	for _, name := range []string{"get_role.json", "list_roles.json", "auth_details.json", "policy_object.json"} {
		t.Run(name, func(t *testing.T) {
			lf := readFixture(t, name)
			crlf := []byte(strings.ReplaceAll(string(lf), "\n", "\r\n"))
			a, _ := parseAll(t, name, lf)
			b, _ := parseAll(t, name, crlf)
			if len(a) != len(b) || len(a) == 0 {
				t.Fatalf("got %d roles with LF and %d with CRLF", len(a), len(b))
			}
			for i := range a {
				if !reflect.DeepEqual(a[i].Policy, b[i].Policy) {
					t.Errorf("role %s: policies differ", a[i].Name)
				}
				for p, ra := range a[i].Source.ValueMap() {
					rb := b[i].Source.ValueMap()[p]
					if span(ra) != span(rb) {
						t.Errorf("role %s, %s: got %s with CRLF, want %s as with LF", a[i].Name, p, span(rb), span(ra))
					}
				}
			}
		})
	}
}

// TestParseDeepNesting checks the nesting limits: srcjson.MaxDepth for trees, the
// decoder's 10,000 levels for skipped values.
func TestParseDeepNesting(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		roles int
		diags []string
	}{
		{"at the limit", `{"Principal": "*", "Statement": ` + strings.Repeat("[", srcjson.MaxDepth-1) + strings.Repeat("]", srcjson.MaxDepth-1) + `}`, 1, nil},
		{"beyond the limit", `{"Statement": ` + strings.Repeat("[", srcjson.MaxDepth) + strings.Repeat("]", srcjson.MaxDepth) + `}`, 0,
			[]string{"1:270-1:271 value nested deeper than 256 levels"}},
		{"in a skipped value", `{"Roles": [], "Policies": ` + strings.Repeat("[", 9000) + strings.Repeat("]", 9000) + `}`, 0, nil},
		{"beyond the decoder's limit", `{"Roles": [], "Policies": ` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`, 0,
			[]string{"1:10026-1:10027 invalid JSON: exceeded max depth"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roles, diags := parseAll(t, "deep.json", []byte(tt.src))
			if len(roles) != tt.roles || !reflect.DeepEqual(diags, tt.diags) {
				t.Errorf("got %d roles, diagnostics %q, want %d, %q", len(roles), diags, tt.roles, tt.diags)
			}
		})
	}
}

// TestParseDiagnosticsCapped: a file of a thousand non-role list elements
// or duplicate keys gives the first model.MaxFileDiagnostics diagnostics
// and one for the rest, and the role after them is still read.
func TestParseDiagnosticsCapped(t *testing.T) {
	policy := `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::389476015216:root"}, "Action": "sts:AssumeRole"}]}`
	more := func(n, line int) string {
		return fmt.Sprintf("%d:1-%d:2 and %d more diagnostics of this file, not shown (at most 100 are shown per file); the first is here", line, line, n)
	}
	tests := []struct {
		name, src string
		first     string
		last      string // the 100th
		rest      string
	}{
		{"non-role elements", "{\"RoleDetailList\": [\n" + strings.Repeat("7,\n", 1000) + `{"RoleName": "a", "AssumeRolePolicyDocument": ` + policy + "}\n]}\n",
			"2:1-2:2 RoleDetailList[0] is not a role object", "101:1-101:2 RoleDetailList[99] is not a role object", more(900, 102)},
		{"duplicate keys", "{\"Role\": {\"RoleName\": \"a\",\n" + strings.Repeat("\"Tags\": [],\n", 1000) + `"AssumeRolePolicyDocument": ` + policy + "}}\n",
			`3:1-3:7 duplicate key "Tags" (first at line 2)`, `102:1-102:7 duplicate key "Tags" (first at line 2)`, strings.Replace(more(899, 103), "103:1-103:2", "103:1-103:7", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roles, diags := parseAll(t, "flood.json", []byte(tt.src))
			if len(roles) != 1 || roles[0].Name != "a" || !roles[0].HasPolicy {
				t.Errorf("got roles %v, want a with its policy", roles)
			}
			if len(diags) != model.MaxFileDiagnostics+1 || diags[0] != tt.first || diags[99] != tt.last || diags[100] != tt.rest {
				t.Errorf("got %d diagnostics, first %q, 100th %q, last %q; want 101: %q, %q, %q", len(diags), diags[0], diags[99], diags[len(diags)-1], tt.first, tt.last, tt.rest)
			}
		})
	}
}
