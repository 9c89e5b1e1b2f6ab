package terraform

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestPositions checks exact ranges (file:line:col-line:col, columns in
// code points, end exclusive) of policy elements for every form of
// assume_role_policy. The inputs are in testdata/terraform/positions; the
// expectations were computed from the files' bytes independently of the
// parser.
func TestPositions(t *testing.T) {
	tests := []struct {
		dir    string
		role   string
		values map[string]string
		keys   map[string]string
	}{
		{
			dir:  "jsonencode",
			role: "aws_iam_role.r",
			values: map[string]string{
				"role":                                 "m/main.tf:1:1-12:2",
				"role.MaxSessionDuration":              "m/main.tf:2:3-2:30",
				"policy":                               "m/main.tf:3:35-11:4",
				"policy.Version":                       "m/main.tf:4:15-4:27",
				"policy.Statement[0].Principal.AWS":    "m/main.tf:8:29-8:100",
				"policy.Statement[0].Principal.AWS[0]": "m/main.tf:8:30-8:62",
				"policy.Statement[0].Principal.AWS[1]": "m/main.tf:8:64-8:69",
				"policy.Statement[0].Principal.AWS[2]": "m/main.tf:8:71-8:99",
				`policy.Statement[0].Condition.StringEquals["sts:ExternalId"][0]`: "m/main.tf:9:57-9:62",
			},
			keys: map[string]string{
				"role.MaxSessionDuration":                                      "m/main.tf:2:3-2:23",
				"policy.Version":                                               "m/main.tf:4:5-4:12",
				"policy.Statement[0].Principal.AWS":                            "m/main.tf:8:21-8:26",
				"policy.Statement[0].Condition.StringEquals":                   "m/main.tf:9:21-9:33",
				`policy.Statement[0].Condition.StringEquals["sts:ExternalId"]`: "m/main.tf:9:38-9:54",
			},
		},
		{
			dir:  "heredoc",
			role: "aws_iam_role.plain", // <<EOF
			values: map[string]string{
				"policy":                               "m/main.tf:5:1-12:2",
				"policy.Version":                       "m/main.tf:6:14-6:26",
				"policy.Statement[0].Principal.AWS[0]": "m/main.tf:10:26-10:58",
			},
			keys: map[string]string{
				"policy.Version":                    "m/main.tf:6:3-6:12",
				"policy.Statement[0].Principal.AWS": "m/main.tf:10:19-10:24",
			},
		},
		{
			dir:  "heredoc",
			role: "aws_iam_role.flush", // <<-EOT, indentation stripped, an interpolation
			values: map[string]string{
				"policy.Statement[0].Action[0]":        "m/main.tf:21:19-21:35",
				"policy.Statement[0].Principal.AWS[0]": "m/main.tf:22:31-22:34",
				"policy.Statement[0].Principal.AWS[1]": "m/main.tf:22:36-22:67",
			},
			keys: map[string]string{"policy.Statement[0].Principal.AWS": "m/main.tf:22:23-22:28"},
		},
		{
			dir:  "quoted",
			role: "aws_iam_role.q", // escapes: \" \u00e9 $${
			values: map[string]string{
				"policy":                               "m/main.tf:2:25-2:190",
				"policy.Statement[0].Sid":              "m/main.tf:2:107-2:125",
				"policy.Statement[0].Principal.AWS[0]": "m/main.tf:2:152-2:186",
			},
			keys: map[string]string{"policy.Statement[0].Principal.AWS": "m/main.tf:2:143-2:150"},
		},
		{
			dir:  "datasource",
			role: "aws_iam_role.a",
			values: map[string]string{
				"policy.Statement[0].Action":                                      "m/main.tf:3:15-3:33",
				"policy.Statement[0].Action[0]":                                   "m/main.tf:3:16-3:32",
				"policy.Statement[0].Principal.AWS":                               "m/main.tf:6:21-6:66",
				"policy.Statement[0].Principal.AWS[0]":                            "m/main.tf:6:22-6:54",
				"policy.Statement[0].Principal.AWS[1]":                            "m/main.tf:6:56-6:65",
				`policy.Statement[0].Condition.StringEquals["sts:ExternalId"]`:    "m/main.tf:11:18-11:25",
				`policy.Statement[0].Condition.StringEquals["sts:ExternalId"][0]`: "m/main.tf:11:19-11:24",
				"policy.Statement[0].Effect":                                      "m/main.tf:2:3-2:12",
				"policy.Version":                                                  "m/main.tf:1:1-1:5",
			},
			keys: map[string]string{
				"policy.Statement[0].Action":                                   "m/main.tf:3:5-3:12",
				"policy.Statement[0].Principal":                                "m/main.tf:4:5-4:15",
				"policy.Statement[0].Principal.AWS":                            "m/main.tf:5:7-5:26",
				"policy.Statement[0].Condition":                                "m/main.tf:8:5-8:14",
				"policy.Statement[0].Condition.StringEquals":                   "m/main.tf:9:7-9:32",
				`policy.Statement[0].Condition.StringEquals["sts:ExternalId"]`: "m/main.tf:10:7-10:34",
			},
		},
		{
			dir:  "file",
			role: "aws_iam_role.f",
			values: map[string]string{
				"role":                                 "m/main.tf:1:1-3:2",
				"policy":                               "m/trust.json:1:1-6:2",
				"policy.Statement[0].Principal.AWS[0]": "m/trust.json:4:74-4:106",
			},
		},
		{
			dir:  "file",
			role: "aws_iam_role.t",
			values: map[string]string{
				"policy.Statement[0].Principal.AWS[0]": "m/trust.json.tpl:3:75-3:105",
				"policy.Statement[0].Principal.AWS[1]": "m/trust.json.tpl:3:107-3:135",
			},
		},
		{
			dir:  "tfjson",
			role: "aws_iam_role.s", // JSON text in a string, with an interpolation
			values: map[string]string{
				"role.MaxSessionDuration":              "m/main.tf.json:5:9-5:37",
				"policy.Statement[0].Principal.AWS[0]": "m/main.tf.json:6:98-6:131",
			},
			keys: map[string]string{"role.MaxSessionDuration": "m/main.tf.json:5:9-5:31"},
		},
		{
			dir:  "tfjson",
			role: "aws_iam_role.j", // "${jsonencode({...})}"
			values: map[string]string{
				"policy.Statement[0].Principal.AWS[0]": "m/main.tf.json:9:99-9:104",
			},
			keys: map[string]string{"policy.Statement[0].Principal.AWS": "m/main.tf.json:9:93-9:96"},
		},
		{
			dir:    "tfjson",
			role:   "aws_iam_role.d", // a data source in JSON syntax
			values: map[string]string{"policy.Statement[0].Principal.AWS[0]": "m/main.tf.json:21:58-21:90"},
			keys:   map[string]string{"policy.Statement[0].Principal.AWS": "m/main.tf.json:21:27-21:40"},
		},
		{
			dir:  "refs",
			role: "aws_iam_role.local", // a local holding jsonencode of a local list
			values: map[string]string{
				"policy.Statement[0].Principal.AWS[0]": "m/locals.tf:2:14-2:46",
				"policy.Statement[0].Principal.AWS[1]": "m/locals.tf:2:48-2:80",
			},
		},
		{
			dir:    "refs",
			role:   "aws_iam_role.var", // a variable default holding a heredoc
			values: map[string]string{"policy.Statement[0].Principal.AWS[0]": "m/variables.tf:3:85-3:117"},
		},
		{
			dir:  "for",
			role: "aws_iam_role.r", // for expressions over literal locals: each element at its literal
			values: map[string]string{
				"policy.Statement":                                                "m/main.tf:11:17-16:18",
				"policy.Statement[0].Principal.AWS[0]":                            "m/main.tf:3:5-3:37",
				"policy.Statement[1].Principal.AWS[0]":                            "m/main.tf:4:5-4:37",
				`policy.Statement[0].Condition.StringEquals["sts:ExternalId"][0]`: "m/main.tf:6:28-6:39",
				`policy.Statement[1].Condition.StringEquals["sts:ExternalId"][0]`: "m/main.tf:6:58-6:71",
			},
			keys: map[string]string{
				`policy.Statement[0].Condition.StringEquals["sts:ExternalId"]`: "m/main.tf:15:62-15:78",
			},
		},
		{
			dir:    "for",
			role:   "aws_iam_role.body", // over a computed collection: at the for's value expression
			values: map[string]string{"policy.Statement[0].Principal.AWS[1]": "m/main.tf:25:56-25:81"},
		},
		{
			dir:    "refs",
			role:   "aws_iam_role.scalar", // a single value is read where it is used
			values: map[string]string{"policy.Statement[0].Principal.AWS": "m/main.tf:10:117-10:126"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.dir+"/"+tt.role, func(t *testing.T) {
			roles, _, diags := parseFS(t, dirFS(t, filepath.Join(testdata, "positions", tt.dir)))
			if len(diags) > 0 {
				t.Fatalf("diagnostics:\n%s", messages(diags))
			}
			r := roles[tt.role]
			if r == nil {
				t.Fatalf("no role %s", tt.role)
			}
			diffSpans(t, "value", r.Source.ValueMap(), tt.values)
			diffSpans(t, "key", r.Source.KeyMap(), tt.keys)
		})
	}
}

// TestSharedDataSource checks that two roles using one data source get
// roles of their own whose ranges point at the same places.
func TestSharedDataSource(t *testing.T) {
	roles, _, _ := parseFS(t, dirFS(t, filepath.Join(testdata, "positions", "datasource")))
	a, b := roles["aws_iam_role.a"], roles["aws_iam_role.b"]
	if a == nil || b == nil {
		t.Fatalf("roles: %v", roles)
	}
	if a.Source == b.Source {
		t.Fatal("the roles share a source map")
	}
	if !reflect.DeepEqual(a.Policy, b.Policy) {
		t.Errorf("policies differ:\n%v\n%v", a.Policy, b.Policy)
	}
	for p, ra := range a.Source.ValueMap() {
		if p == "role" {
			continue
		}
		if rb := b.Source.ValueMap()[p]; rb != ra {
			t.Errorf("%s: %s vs %s", p, span(ra), span(rb))
		}
	}
	if a.Range == b.Range {
		t.Error("the roles have the same range")
	}
	want := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Action":    []any{"sts:AssumeRole"},
			"Principal": map[string]any{"AWS": []any{"arn:aws:iam::999999999999:root", model.Unknown("var.other")}},
			"Condition": map[string]any{"StringEquals": map[string]any{"sts:ExternalId": []any{"abc"}}},
		}},
	}
	if !reflect.DeepEqual(a.Policy, want) {
		t.Errorf("policy:\ngot  %#v\nwant %#v", a.Policy, want)
	}
}
