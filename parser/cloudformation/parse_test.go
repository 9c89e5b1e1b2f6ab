package cloudformation

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcmaptest"
)

const fixtures = "../../testdata/cloudformation"

// span renders a range as "line:col-line:col".
func span(r model.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
}

// spans renders a range map as path → "line:col-line:col".
func spans(m map[string]model.Range) map[string]string {
	out := make(map[string]string, len(m))
	for k, r := range m {
		out[k] = span(r)
	}
	return out
}

// diffSpans lists the differences between two path → span maps.
func diffSpans(got, want map[string]string) string {
	var lines []string
	for k, w := range want {
		if g, ok := got[k]; !ok {
			lines = append(lines, fmt.Sprintf("%s: missing, want %s", k, w))
		} else if g != w {
			lines = append(lines, fmt.Sprintf("%s: got %s want %s", k, g, w))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			lines = append(lines, fmt.Sprintf("%s: got %s, want no entry", k, g))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// parseAll parses src as file and returns its roles and diagnostics
// ("line:col-line:col message"), after checking every range against src
// and that every value of every policy has a source range.
func parseAll(t testing.TB, file string, src []byte) ([]*model.Role, []string) {
	t.Helper()
	var roles []*model.Role
	diags := Parser{}.Parse(file, src, func(r *model.Role) { roles = append(roles, r) })
	var ds []string
	for _, d := range diags {
		ds = append(ds, span(d.Range)+" "+d.Message)
		if msg := srcmaptest.CheckRange(d.Range, file, src); msg != "" {
			t.Errorf("diagnostic %q: range %s", d.Message, msg)
		}
	}
	for _, r := range roles {
		checkRole(t, r, file, src)
	}
	return roles, ds
}

// checkRole checks the ranges and the source map of a role.
func checkRole(t testing.TB, r *model.Role, file string, src []byte) {
	t.Helper()
	if msg := srcmaptest.CheckRange(r.Range, file, src); msg != "" {
		t.Errorf("role %s: range %s", r.Name, msg)
	}
	if bad := srcmaptest.BadRanges(r.Source, file, src); len(bad) > 0 {
		t.Errorf("role %s: bad ranges: %v", r.Name, bad)
	}
	if r.HasPolicy {
		if miss := srcmaptest.Unmapped(r.Policy, model.PolicyPath, r.Source); len(miss) > 0 {
			t.Errorf("role %s: values without a source range: %v", r.Name, miss)
		}
	}
	if r.Format != model.FormatCloudFormation || r.OwnAccount != model.OwnAccountToken || r.File != file {
		t.Errorf("role %s: format %q own account %q file %q", r.Name, r.Format, r.OwnAccount, r.File)
	}
	if _, ok := r.Source.ValueMap()["role"]; !ok {
		t.Errorf("role %s: no range for the role", r.Name)
	}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// summary renders a role as "Name line:col-line:col {input JSON}", with the
// attributes every role has left out.
func summary(r *model.Role) string {
	in := r.Input()
	role := in["role"].(map[string]any)
	delete(role, "format")
	delete(role, "own_account")
	delete(role, "name")
	if len(role) == 0 {
		delete(in, "role")
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(in); err != nil {
		return err.Error()
	}
	return r.Name + " " + span(r.Range) + " " + strings.TrimSuffix(b.String(), "\n")
}

// TestFixtures parses every fixture and compares its roles (in order) and
// diagnostics.
func TestFixtures(t *testing.T) {
	tests := []struct {
		file  string
		roles []string
		diags []string
	}{
		{
			file: "roles.yaml",
			roles: []string{
				`BlockRole 13:3-30:55 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Condition":{"Bool":{"aws:MultiFactorAuthPresent":[true]}},"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:root","999999999999",{"$unknown":"arn:aws:iam::${Partner}:root"}]}}],"Version":"2012-10-17"},"role":{"MaxSessionDuration":7200,"path":"/ops/","role_name":"block"}}`,
				`FlowRole 31:3-33:145 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"AWS":["*"]}}]},"role":{"MaxSessionDuration":"3600"}}`,
				`PlainRole 34:3-47:23 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Condition":{"StringEquals":{"aws:SourceAccount":["333333333333"],"sts:ExternalId":["two words"]}},"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]}}]}}`,
				`NoDocRole 48:3-51:47 {}`,
				`Anchored 52:3-59:35 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"AWS":{"$unknown":"!GetAtt Other.Arn"}}}]}}`,
				`Aliased 60:3-64:37 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"AWS":{"$unknown":"!GetAtt Other.Arn"}}}]}}`,
			},
		},
		{
			file: "roles.json",
			roles: []string{
				`JsonRole 8:5-27:6 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"AWS":["999999999999","arn:aws:iam::<own-account>:user/émile",{"$unknown":"arn:aws:iam::${Partner}:root"},{"$unknown":"!GetAtt Other.Arn"}]}}],"Version":"2012-10-17"},"role":{"MaxSessionDuration":43200}}`,
			},
		},
		{
			file: "embedded.yaml",
			roles: []string{
				`Quoted 2:3-5:100 {"policy":{"Statement":[{"Effect":"Allow","Principal":{"AWS":["it's"]}}]}}`,
				`Escaped 6:3-9:97 {"policy":{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]}}]}}`,
				`YAMLEscape 10:3-13:58 {"policy":{"Statement":[]}}`,
				`Literal 14:3-22:10 {"policy":{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]}}]}}`,
				`Folded 23:3-28:33 {"policy":{"Statement":[{"Effect":"Allow"}]}}`,
				`Sub 29:3-36:28 {"policy":{"Statement":[{"Effect":"Allow","Principal":{"AWS":["999999999999","arn:aws:iam::<own-account>:root",{"$unknown":"${Unknown}"}]}}]}}`,
				`NotJSON 41:3-44:35 {"policy":""}`,
				`UnknownOutside 45:3-48:68 {"policy":{"$unknown":"{\"Statement\": ${Statements}}"}}`,
			},
			diags: []string{`40:49-40:50 embedded policy document: invalid JSON: invalid character '}' at start of value`},
		},
		{
			file: "sam.yaml",
			roles: []string{
				`Fn 3:3-11:35 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","edgelambda.amazonaws.com"]}}]}}`,
				`FnNoValueRole 21:3-25:48 {"policy":{"Statement":[]}}`,
				`Plain 26:3-29:48 {"policy":{"Statement":[]}}`,
			},
		},
		{
			file: "cdk.out/App.template.json",
			roles: []string{
				`AppRoleA1B2C3D4 3:3-22:4 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::<own-account>:root"]}}],"Version":"2012-10-17"}}`,
				`NoPath 23:3-27:4 {"policy":{"Statement":[]}}`,
			},
		},
		{
			file: "providers.yaml",
			roles: []string{
				`Role 29:3-46:50 {"policy":{"Statement":[{"Action":["sts:AssumeRoleWithWebIdentity"],"Effect":"Allow","Principal":{"Federated":[` +
					`"arn:aws:iam::<own-account>:oidc-provider/token.actions.githubusercontent.com",` +
					`"arn:aws:iam::<own-account>:oidc-provider/token.actions.githubusercontent.com",` +
					`{"$unknown":"arn:aws:iam::<own-account>:oidc-provider/${Unknown.Url}"},` +
					`{"$unknown":"arn:aws:iam::<own-account>:oidc-provider/${Host}"},` +
					`"arn:aws:iam::<own-account>:saml-provider/okta",` +
					`{"$unknown":"arn:aws:iam::<own-account>:saml-provider/${Nameless.Name}"},` +
					`{"$unknown":"arn:aws:iam::<own-account>:oidc-provider/${Loop.Url}"},` +
					`{"$unknown":"!GetAtt GitHub.Thumbprints"},` +
					`"arn:aws:iam::<own-account>:oidc-provider/token.actions.githubusercontent.com"]}}]}}`,
			},
		},
		{
			file: "conditions.yaml",
			roles: []string{
				`Switch 16:3-26:35 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"AWS":["222222222222"]}}]},"role":{"MaxSessionDuration":3600,"role_name":"prod-switch"}}`,
				`Switch 16:3-26:35 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"AWS":["111111111111"]}}]},"role":{"MaxSessionDuration":7200,"role_name":"staging-switch"}}`,
				`Switch 16:3-26:35 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"AWS":["111111111111"]}}]},"role":{"role_name":"dev-switch"}}`,
				`OnlyProd 27:3-32:97 {"policy":{"Statement":[{"Effect":"Allow"}]},"role":{"role_name":"prod-only"}}`,
				`Constant 38:3-41:81 {"policy":{"Statement":[]}}`,
				`Undefined 42:3-45:90 {}`,
				`Undefined 42:3-45:90 {"policy":{"Statement":[]}}`,
				`Mixed 46:3-50:48 {"policy":{"Statement":[]},"role":{"role_name":"premium"}}`,
				`Mixed 46:3-50:48 {"policy":{"Statement":[]}}`,
			},
		},
		{
			file: "damaged.yaml",
			roles: []string{
				`NoProperties 8:3-9:25 {}`,
				`Good 10:3-13:48 {"policy":{"Statement":[]}}`,
				`UnknownProperties 14:3-16:35 {"policy":{"$unknown":"!ImportValue props"}}`,
				`Deep 17:3-20:53 {"policy":{"$unknown":"!Unknown [1, {a: b}]"}}`,
			},
			diags: []string{
				"2:16-2:29 resource NotAnObject is not an object",
				"3:3-3:9 resource NoType has no Type",
				"7:17-7:23 Properties of BadProperties is not an object",
			},
		},
		{
			// A syntax error loses only the resource that holds it.
			file: "broken_resource.json",
			roles: []string{
				`PartnerRole 4:5-11:6 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"AWS":["204518736390"]}}]}}`,
				`AuditRole 21:5-28:6 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]}}]}}`,
			},
			diags: []string{
				"16:98-16:99 invalid JSON: trailing comma before '}'",
				`20:81-20:82 invalid JSON: invalid character '"' after object value (expecting ',' or '}')`,
			},
		},
		{
			file: "aliases.yaml",
			roles: []string{
				`Base 2:3-11:35 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]}}]},"role":{"MaxSessionDuration":3600}}`,
				`Merged 12:3-16:31 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]}}]},"role":{"MaxSessionDuration":7200}}`,
				`Listed 17:3-21:34 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]}},{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]}}]}}`,
			},
		},
		{
			file: "malformed.yaml",
			roles: []string{
				`Before 3:3-6:48 {"policy":{"Statement":[]}}`,
				`After 12:3-15:48 {"policy":{"Statement":[]}}`,
			},
			diags: []string{`11:9-11:10 invalid YAML: did not find expected ',' or '}'`},
		},
		{
			file:  "duplicates.yaml",
			roles: []string{`Role 11:3-20:35 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"AWS":["222222222222"]}}]}}`},
			diags: []string{
				`10:13-10:22 duplicate key "Principal" (first at line 8)`,
				`11:3-11:7 duplicate key "Role" (first at line 2)`,
				`19:15-19:18 duplicate key "AWS" (first at line 18)`,
			},
		},
		{
			file:  "duplicates.json",
			roles: []string{`Role 3:5-10:6 {"policy":{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"AWS":["*"]}}]}}`},
			diags: []string{`7:72-7:83 duplicate key "Principal" (first at line 7)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src := readFixture(t, tt.file)
			if ok, why := (Parser{}).Match(tt.file, src); !ok {
				t.Fatalf("not matched: %s", why)
			}
			roles, diags := parseAll(t, tt.file, src)
			var got []string
			for _, r := range roles {
				got = append(got, summary(r))
			}
			if !reflect.DeepEqual(got, tt.roles) {
				t.Errorf("roles:\ngot  %s\nwant %s", strings.Join(got, "\n     "), strings.Join(tt.roles, "\n     "))
			}
			if !reflect.DeepEqual(diags, tt.diags) {
				t.Errorf("diagnostics:\ngot  %q\nwant %q", diags, tt.diags)
			}
		})
	}
}

// TestRanges checks every value range and selected key ranges of roles.
func TestRanges(t *testing.T) {
	tests := []struct {
		file, role string
		values     map[string]string
		keys       map[string]string // checked when not nil
	}{
		{
			file: "roles.yaml", role: "BlockRole",
			values: map[string]string{
				"policy":                             "20:9-30:55",
				"policy.Statement":                   "22:11-30:55",
				"policy.Statement[0]":                "22:13-30:55",
				"policy.Statement[0].Action":         "28:21-28:35",
				"policy.Statement[0].Action[0]":      "28:21-28:35",
				"policy.Statement[0].Condition":      "30:15-30:55",
				"policy.Statement[0].Condition.Bool": "30:21-30:55",
				`policy.Statement[0].Condition.Bool["aws:MultiFactorAuthPresent"]`:    "30:50-30:54",
				`policy.Statement[0].Condition.Bool["aws:MultiFactorAuthPresent"][0]`: "30:50-30:54",
				"policy.Statement[0].Effect":                                          "22:21-22:26",
				"policy.Statement[0].Principal":                                       "24:15-27:52",
				"policy.Statement[0].Principal.AWS":                                   "25:17-27:52",
				"policy.Statement[0].Principal.AWS[0]":                                "25:19-25:51",
				"policy.Statement[0].Principal.AWS[1]":                                "26:19-26:30",
				"policy.Statement[0].Principal.AWS[2]":                                "27:19-27:52",
				"policy.Version":                                                      "20:18-20:28",
				"role":                                                                "13:3-30:55",
				"role.MaxSessionDuration":                                             "18:7-18:31",
				"role.path":                                                           "17:13-17:20",
				"role.role_name":                                                      "16:17-16:22",
			},
			keys: map[string]string{
				"policy.Statement":                                                 "21:9-21:18",
				"policy.Statement[0].Action":                                       "28:13-28:19",
				"policy.Statement[0].Condition":                                    "29:13-29:22",
				"policy.Statement[0].Condition.Bool":                               "30:15-30:19",
				`policy.Statement[0].Condition.Bool["aws:MultiFactorAuthPresent"]`: "30:22-30:48",
				"policy.Statement[0].Effect":                                       "22:13-22:19",
				"policy.Statement[0].Principal":                                    "23:13-23:22",
				"policy.Statement[0].Principal.AWS":                                "24:15-24:18",
				"policy.Version":                                                   "20:9-20:16",
				"role.MaxSessionDuration":                                          "18:7-18:25",
			},
		},
		{
			// A single statement, flow collections and a multi-line
			// double-quoted scalar.
			file: "roles.yaml", role: "PlainRole",
			values: map[string]string{
				"policy":                                     "38:9-47:23",
				"policy.Statement":                           "39:11-47:23",
				"policy.Statement[0]":                        "39:11-47:23",
				"policy.Statement[0].Action":                 "42:19-42:33",
				"policy.Statement[0].Action[0]":              "42:19-42:33",
				"policy.Statement[0].Condition":              "44:13-47:23",
				"policy.Statement[0].Condition.StringEquals": "45:15-47:23",
				`policy.Statement[0].Condition.StringEquals["aws:SourceAccount"]`:    "45:34-45:65",
				`policy.Statement[0].Condition.StringEquals["aws:SourceAccount"][0]`: "45:34-45:65",
				`policy.Statement[0].Condition.StringEquals["sts:ExternalId"]`:       "46:31-47:23",
				`policy.Statement[0].Condition.StringEquals["sts:ExternalId"][0]`:    "46:31-47:23",
				"policy.Statement[0].Effect":                                         "39:19-39:24",
				"policy.Statement[0].Principal":                                      "41:13-41:39",
				"policy.Statement[0].Principal.Service":                              "41:22-41:39",
				"policy.Statement[0].Principal.Service[0]":                           "41:22-41:39",
				"role": "34:3-47:23",
			},
		},
		{
			file: "roles.yaml", role: "FlowRole",
			values: map[string]string{
				"policy":                               "33:44-33:116",
				"policy.Statement":                     "33:56-33:115",
				"policy.Statement[0]":                  "33:57-33:114",
				"policy.Statement[0].Action":           "33:97-33:113",
				"policy.Statement[0].Action[0]":        "33:98-33:112",
				"policy.Statement[0].Effect":           "33:66-33:71",
				"policy.Statement[0].Principal":        "33:84-33:87",
				"policy.Statement[0].Principal.AWS":    "33:84-33:87",
				"policy.Statement[0].Principal.AWS[0]": "33:84-33:87",
				"role":                                 "31:3-33:145",
				"role.MaxSessionDuration":              "33:118-33:144",
			},
		},
		{
			// The values of an alias point at the anchored text.
			file: "roles.yaml", role: "Aliased",
			values: map[string]string{
				"policy":                            "55:33-59:35",
				"policy.Statement":                  "57:11-59:35",
				"policy.Statement[0]":               "57:13-59:35",
				"policy.Statement[0].Action":        "59:21-59:35",
				"policy.Statement[0].Action[0]":     "59:21-59:35",
				"policy.Statement[0].Effect":        "57:21-57:26",
				"policy.Statement[0].Principal":     "58:24-58:48",
				"policy.Statement[0].Principal.AWS": "58:30-58:47",
				"role":                              "60:3-64:37",
			},
		},
		{
			file: "roles.json", role: "JsonRole",
			values: map[string]string{
				"policy":                               "13:37-25:10",
				"policy.Statement":                     "15:24-24:13",
				"policy.Statement[0]":                  "15:25-24:12",
				"policy.Statement[0].Action":           "23:23-23:39",
				"policy.Statement[0].Action[0]":        "23:23-23:39",
				"policy.Statement[0].Effect":           "16:23-16:30",
				"policy.Statement[0].Principal":        "17:26-22:15",
				"policy.Statement[0].Principal.AWS":    "17:34-22:14",
				"policy.Statement[0].Principal.AWS[0]": "18:15-18:32",
				"policy.Statement[0].Principal.AWS[1]": "19:15-19:76",
				"policy.Statement[0].Principal.AWS[2]": "20:15-20:81",
				"policy.Statement[0].Principal.AWS[3]": "21:15-21:47",
				"policy.Version":                       "14:22-14:34",
				"role":                                 "8:5-27:6",
				"role.MaxSessionDuration":              "12:9-12:36",
			},
			keys: map[string]string{
				"policy.Statement":                  "15:11-15:22",
				"policy.Statement[0].Action":        "23:13-23:21",
				"policy.Statement[0].Effect":        "16:13-16:21",
				"policy.Statement[0].Principal":     "17:13-17:24",
				"policy.Statement[0].Principal.AWS": "17:27-17:32",
				"policy.Version":                    "14:11-14:20",
				"role.MaxSessionDuration":           "12:9-12:29",
			},
		},
		{
			// A single-quoted JSON string: '' is one quote.
			file: "embedded.yaml", role: "Quoted",
			values: map[string]string{
				"policy":                               "5:34-5:99",
				"policy.Statement":                     "5:48-5:98",
				"policy.Statement[0]":                  "5:48-5:98",
				"policy.Statement[0].Effect":           "5:59-5:66",
				"policy.Statement[0].Principal":        "5:81-5:97",
				"policy.Statement[0].Principal.AWS":    "5:89-5:96",
				"policy.Statement[0].Principal.AWS[0]": "5:89-5:96",
				"role":                                 "2:3-5:100",
			},
			keys: map[string]string{
				"policy.Statement":                  "5:35-5:46",
				"policy.Statement[0].Effect":        "5:49-5:57",
				"policy.Statement[0].Principal":     "5:68-5:79",
				"policy.Statement[0].Principal.AWS": "5:82-5:87",
			},
		},
		{
			// A double-quoted string with JSON escapes.
			file: "embedded.yaml", role: "Escaped",
			values: map[string]string{
				"policy":                               "9:34-9:96",
				"policy.Statement":                     "9:50-9:95",
				"policy.Statement[0]":                  "9:50-9:95",
				"policy.Statement[0].Effect":           "9:63-9:72",
				"policy.Statement[0].Principal":        "9:89-9:94",
				"policy.Statement[0].Principal.AWS":    "9:89-9:94",
				"policy.Statement[0].Principal.AWS[0]": "9:89-9:94",
				"role":                                 "6:3-9:97",
			},
		},
		{
			// YAML escapes that JSON lacks: every value points at the
			// whole scalar.
			file: "embedded.yaml", role: "YAMLEscape",
			values: map[string]string{
				"policy":           "13:33-13:58",
				"policy.Statement": "13:33-13:58",
				"role":             "10:3-13:58",
			},
			keys: map[string]string{"policy.Statement": "13:33-13:58"},
		},
		{
			file: "embedded.yaml", role: "Literal",
			values: map[string]string{
				"policy":                               "18:9-22:10",
				"policy.Statement":                     "19:24-21:12",
				"policy.Statement[0]":                  "20:13-20:59",
				"policy.Statement[0].Effect":           "20:24-20:31",
				"policy.Statement[0].Principal":        "20:46-20:58",
				"policy.Statement[0].Principal.AWS":    "20:54-20:57",
				"policy.Statement[0].Principal.AWS[0]": "20:54-20:57",
				"role":                                 "14:3-22:10",
			},
		},
		{
			file: "embedded.yaml", role: "Folded",
			values: map[string]string{
				"policy":                     "27:9-28:33",
				"policy.Statement":           "28:11-28:32",
				"policy.Statement[0]":        "28:12-28:31",
				"policy.Statement[0].Effect": "28:23-28:30",
				"role":                       "23:3-28:33",
			},
		},
		{
			// A !Sub template: substituted values point at their ${.
			file: "embedded.yaml", role: "Sub",
			values: map[string]string{
				"policy":                               "34:11-34:131",
				"policy.Statement":                     "34:25-34:130",
				"policy.Statement[0]":                  "34:26-34:129",
				"policy.Statement[0].Effect":           "34:37-34:44",
				"policy.Statement[0].Principal":        "34:59-34:128",
				"policy.Statement[0].Principal.AWS":    "34:67-34:127",
				"policy.Statement[0].Principal.AWS[0]": "34:68-34:77",
				"policy.Statement[0].Principal.AWS[1]": "34:79-34:116",
				"policy.Statement[0].Principal.AWS[2]": "34:118-34:126",
				"role":                                 "29:3-36:28",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.role, func(t *testing.T) {
			roles, _ := parseAll(t, tt.file, readFixture(t, tt.file))
			var r *model.Role
			for _, x := range roles {
				if x.Name == tt.role {
					r = x
					break
				}
			}
			if r == nil {
				t.Fatalf("no role %s", tt.role)
			}
			if d := diffSpans(spans(r.Source.ValueMap()), tt.values); d != "" {
				t.Errorf("value ranges:\n%s", d)
			}
			if tt.keys == nil {
				return
			}
			got := spans(r.Source.KeyMap())
			for k := range got {
				if _, ok := tt.keys[k]; !ok {
					delete(got, k)
				}
			}
			if d := diffSpans(got, tt.keys); d != "" {
				t.Errorf("key ranges:\n%s", d)
			}
		})
	}
}

// TestLineEndings checks that a template with CRLF line ends, or with a
// byte order mark, gives the lines and columns of its LF twin.
func TestLineEndings(t *testing.T) {
	for _, file := range []string{"roles.yaml", "embedded.yaml", "roles.json"} {
		lf := readFixture(t, file)
		variants := map[string][]byte{
			"crlf": []byte(strings.ReplaceAll(string(lf), "\n", "\r\n")),
			"bom":  append([]byte("\ufeff"), lf...),
		}
		want, wantDiags := parseAll(t, file, lf)
		for name, src := range variants {
			t.Run(file+"/"+name, func(t *testing.T) {
				got, diags := parseAll(t, file, src)
				if len(got) != len(want) || len(diags) != len(wantDiags) {
					t.Fatalf("got %d roles %q, want %d %q", len(got), diags, len(want), wantDiags)
				}
				for i := range got {
					if summary(got[i]) != summary(want[i]) {
						t.Errorf("got %s\nwant %s", summary(got[i]), summary(want[i]))
					}
					g, w := spans(got[i].Source.ValueMap()), spans(want[i].Source.ValueMap())
					if name == "bom" {
						// The BOM is not a character of the first line.
						g, w = dropLine1(g), dropLine1(w)
					}
					if d := diffSpans(g, w); d != "" {
						t.Errorf("role %s:\n%s", got[i].Name, d)
					}
				}
			})
		}
	}
}

func dropLine1(m map[string]string) map[string]string {
	for k, v := range m {
		if strings.HasPrefix(v, "1:") {
			delete(m, k)
		}
	}
	return m
}

// TestAliasBomb checks that a billion-laughs template fails fast, in bounded
// memory, with a diagnostic at the alias, and that legitimate aliases expand.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n")
	b.WriteString("      L0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "      L%d: &l%d [", i, i)
		for j := range 9 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("      AssumeRolePolicyDocument: *l9\n")
	b.WriteString("  Other:\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: *l9}\n")
	src := []byte(b.String())
	start := time.Now()
	roles, diags := parseAll(t, "bomb.yaml", src)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	if len(roles) != 0 {
		t.Errorf("got %d roles", len(roles))
	}
	want := []string{"9:16-9:17 aliases expand to too many values (an alias bomb?); the file is not read further"}
	if !reflect.DeepEqual(diags, want) {
		t.Errorf("got %q want %q", diags, want)
	}
}

// TestDeepNesting checks the depth limit of the YAML tree builder: the
// resource is reported, and the others are read.
func TestDeepNesting(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth+10) + strings.Repeat("]", MaxDepth+10)
	src := []byte("Resources:\n  Deep:\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: " + deep + "}\n" +
		"  Fine:\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: {Statement: []}}\n")
	roles, diags := parseAll(t, "deep.yaml", src)
	if len(roles) != 1 || roles[0].Name != "Fine" {
		t.Errorf("got roles %v", roles)
	}
	if len(diags) != 1 || !strings.Contains(diags[0], "nested deeper than 256 levels") {
		t.Errorf("got %q", diags)
	}
}

// TestMalformed checks diagnostics of broken files and that the roles the
// damage does not reach are still emitted.
func TestMalformed(t *testing.T) {
	tests := []struct {
		name, file, src string
		roles           []string
		diags           []string
	}{
		{
			name: "unclosed quote at the end", file: "t.yaml",
			src:   "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: \"x}\n",
			diags: []string{"4:5-4:6 invalid YAML: found unexpected end of stream"},
		},
		{
			name: "tab indentation in one resource", file: "t.yaml",
			src: "Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties:\n\t  RoleName: a\n" +
				"  B:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: b}\n",
			roles: []string{`B 6:3-8:30 {"role":{"role_name":"b"}}`},
			diags: []string{"5:1-5:2 invalid YAML: found character that cannot start any token"},
		},
		{
			name: "control character", file: "t.yaml",
			src:   "Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: \"a\x01\"}\n  B:\n    Type: AWS::IAM::Role\n",
			roles: []string{`B 5:3-6:25 {}`},
			diags: []string{"4:30-4:31 invalid YAML: control characters are not allowed"},
		},
		{
			name: "unknown anchor", file: "t.yaml",
			src:   "Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties: *nope\n",
			diags: []string{"4:17-4:18 invalid YAML: unknown anchor 'nope' referenced"},
		},
		{
			name: "error outside Resources", file: "t.yaml",
			src:   "Resources:\n  A:\n    Type: AWS::IAM::Role\nOutputs: [\n",
			diags: []string{"5:1-5:1 invalid YAML: did not find expected node content"},
		},
		{
			name: "top level not a mapping", file: "t.yaml",
			src:   "- Resources\n",
			diags: []string{"1:1-1:2 not a CloudFormation template: the top level is not a mapping"},
		},
		{
			name: "Resources not a mapping", file: "t.yaml",
			src:   "Resources: [a]\n",
			diags: []string{"1:12-1:13 Resources is not a mapping"},
		},
		{
			name: "JSON syntax error", file: "t.json",
			src:   "{\"Resources\": {\"R\": {\"Type\": \"AWS::IAM::Role\",}}}",
			diags: []string{"1:46-1:47 invalid JSON: trailing comma before '}'"},
		},
		{
			name: "JSON top level not an object", file: "t.json",
			src:   `[{"Resources": {}}]`,
			diags: []string{"1:1-1:20 not a CloudFormation template: the top-level value is a array"},
		},
		{
			name: "JSON Resources not an object", file: "t.json",
			src:   `{"Resources": 1}`,
			diags: []string{"1:15-1:16 Resources is not an object"},
		},
		{
			name: "JSON text in a .template that is YAML", file: "t.template",
			src:   "{Resources: {R: {Type: AWS::IAM::Role, Properties: {RoleName: r}}}}\n",
			roles: []string{`R 1:14-1:66 {"role":{"role_name":"r"}}`},
		},
		{
			name: "UTF-16", file: "t.yaml",
			src:   "\xff\xfeR\x00",
			diags: []string{"1:1-1:1 UTF-16 templates are not supported; save the file as UTF-8"},
		},
		{
			name: "percent-encoded document that does not decode", file: "t.yaml",
			src:   "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: \"%7B%2\"}\n",
			diags: []string{"4:48-4:49 embedded policy document: invalid percent-encoding \"%2\""},
		},
		{
			name: "empty file", file: "t.yaml", src: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roles, diags := parseAll(t, tt.file, []byte(tt.src))
			var got []string
			for _, r := range roles {
				got = append(got, summary(r))
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

// TestDuplicateKeys checks that a repeated key is reported once, naming
// both lines, wherever it is (flow or block mappings, a string document,
// parts of the template that hold no role), and that merge keys and aliases
// are not duplicates.
func TestDuplicateKeys(t *testing.T) {
	tests := []struct {
		name, file, src string
		want            []string
	}{
		{
			name: "flow mapping", file: "t.yaml",
			src:  "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: a,\n      RoleName: b}\n",
			want: []string{`5:7-5:15 duplicate key "RoleName" (first at line 4)`},
		},
		{
			name: "outside any role", file: "t.yaml",
			src:  "Outputs:\n  O: {Value: 1}\n  O: {Value: 2}\nResources: {}\n",
			want: []string{`3:3-3:4 duplicate key "O" (first at line 2)`},
		},
		{
			name: "quoted keys", file: "t.yaml",
			src:  "Resources:\n  \"R\": {Type: AWS::IAM::Role}\n  'R': {Type: AWS::IAM::Role}\n",
			want: []string{`3:3-3:6 duplicate key "R" (first at line 2)`},
		},
		{
			name: "merge keys and aliases", file: "t.yaml",
			src: "Resources:\n  A: &a\n    Type: AWS::IAM::Role\n    Properties: {RoleName: a}\n" +
				"  B:\n    <<: *a\n    <<: *a\n    Type: AWS::IAM::Role\n  C: *a\n",
		},
		{
			name: "in a string document", file: "t.yaml",
			src:  "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: '{\"Statement\": [], \"Statement\": []}'\n",
			want: []string{`5:52-5:63 embedded policy document: duplicate key "Statement" (first at line 5)`},
		},
		{
			name: "in a JSON template", file: "t.json",
			src:  "{\"Resources\": {\n\"R\": {\"Type\": \"AWS::IAM::Role\"},\n\"R\": {\"Type\": \"AWS::IAM::Role\"}}}",
			want: []string{`3:1-3:4 duplicate key "R" (first at line 2)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := parseAll(t, tt.file, []byte(tt.src))
			if !reflect.DeepEqual(diags, tt.want) {
				t.Errorf("got  %q\nwant %q", diags, tt.want)
			}
		})
	}
}

// TestCDKPathIsContext: a CDK role is named by its logical ID, and its
// Metadata "aws:cdk:path" is carried as context beside the name.
func TestCDKPathIsContext(t *testing.T) {
	file := "cdk.out/App.template.json"
	src, err := os.ReadFile(filepath.Join(fixtures, file))
	if err != nil {
		t.Fatal(err)
	}
	roles, _ := parseAll(t, file, src)
	var got []string
	for _, r := range roles {
		got = append(got, r.Name+"="+r.Context)
	}
	if want := []string{"AppRoleA1B2C3D4=App/AppRole/Resource", "NoPath="}; !slices.Equal(got, want) {
		t.Errorf("name=context: got %q, want %q", got, want)
	}
}
