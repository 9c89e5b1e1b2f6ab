package terraform

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestTemplates covers template forms beyond plain interpolation: CRLF
// line ends, if and for directives, strip markers, and documents computed
// by a function, whose elements all point at the expression.
func TestTemplates(t *testing.T) {
	files := map[string]string{
		"main.tf": "variable \"on\" { default = true }\nvariable \"u\" {}\n" +
			"resource \"aws_iam_role\" \"crlf\" {\r\n  assume_role_policy = <<-EOT\r\n    {\"Statement\": [{\"Effect\": \"Allow\",\r\n      \"Principal\": {\"AWS\": \"arn:aws:iam::999999999999:root\"}}]}\r\n  EOT\r\n}\r\n" +
			"resource \"aws_iam_role\" \"if\" {\n  assume_role_policy = <<EOF\n{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"%{ if var.on }arn:aws:iam::888888888888:root%{ else }x%{ endif }\"}}]}\nEOF\n}\n" +
			"resource \"aws_iam_role\" \"if_unknown\" {\n  assume_role_policy = <<EOF\n{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"a%{ if var.u }b%{ endif }\"}}]}\nEOF\n}\n" +
			"resource \"aws_iam_role\" \"for\" {\n  assume_role_policy = templatefile(\"t.tpl\", { accts = [\"111111111111\", \"222222222222\"] })\n}\n" +
			"resource \"aws_iam_role\" \"for_unknown\" {\n  assume_role_policy = templatefile(\"t.tpl\", { accts = var.u })\n}\n" +
			"resource \"aws_iam_role\" \"sole\" {\n  assume_role_policy = <<EOF\n  ${jsonencode({ Statement = [{ Principal = { AWS = \"666666666666\" } }] })}\nEOF\n}\n" +
			"resource \"aws_iam_role\" \"format\" {\n  assume_role_policy = format(\"{\\\"Statement\\\": [{\\\"Principal\\\": {\\\"AWS\\\": \\\"%s\\\"}}]}\", \"777777777777\")\n}\n",
		"t.tpl": "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": [\n%{ for a in accts ~}\n  \"arn:aws:iam::${a}:root\",\n%{ endfor ~}\n  \"arn:aws:iam::333333333333:root\"\n]}}]}\n",
	}
	roles, _, diags := parseFS(t, filesFS(files))
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", messages(diags))
	}
	tests := []struct {
		role  string
		path  []any
		want  any
		spans map[string]string
	}{
		{"aws_iam_role.crlf", aws, []any{"arn:aws:iam::999999999999:root"}, map[string]string{"policy.Statement[0].Principal.AWS[0]": "m/main.tf:6:28-6:60"}},
		{"aws_iam_role.if", aws, []any{"arn:aws:iam::888888888888:root"}, map[string]string{"policy.Statement[0].Principal.AWS[0]": "m/main.tf:11:57-11:123"}},
		{"aws_iam_role.if_unknown", aws, []any{model.Unknown("a${%{ if var.u }b%{ endif }}")}, nil},
		{"aws_iam_role.for", aws, []any{"arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"}, map[string]string{
			// Values made by a loop point at the template line that
			// produced them, in each iteration.
			"policy.Statement[0].Principal.AWS[0]": "m/t.tpl:3:3-3:27",
			"policy.Statement[0].Principal.AWS[1]": "m/t.tpl:3:3-3:27",
			"policy.Statement[0].Principal.AWS[2]": "m/t.tpl:5:3-5:35",
		}},
		// A list built by a for directive whose collection is unknown: the
		// document cannot be parsed, so it is unknown as a whole.
		{"aws_iam_role.for_unknown", nil, "unknown", nil},
		{"aws_iam_role.format", aws, []any{"777777777777"}, map[string]string{"policy.Statement[0].Principal.AWS[0]": "m/main.tf:31:24-31:103"}},
		// A heredoc holding only ${jsonencode(...)} is walked like jsonencode.
		{"aws_iam_role.sole", aws, []any{"666666666666"}, map[string]string{"policy.Statement[0].Principal.AWS[0]": "m/main.tf:27:53-27:67"}},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			r := roles[tt.role]
			got := at(r.Policy, tt.path...)
			if tt.want == "unknown" {
				if !model.IsUnknown(got) {
					t.Errorf("got %v, want unknown", got)
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(tt.want)
				t.Errorf("got  %s\nwant %s", g, w)
			}
			diffSpans(t, "value", r.Source.ValueMap(), tt.spans)
		})
	}
}
