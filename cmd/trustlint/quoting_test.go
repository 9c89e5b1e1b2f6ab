package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/report"
)

// TestLongValuesAreCut: no report format prints a long value from the
// scanned files whole (issue 9, point 2): messages and the text of an
// expression that could not be resolved show about 80 characters
// (model.QuoteLimit); principals, condition values and the policy the HTML
// audit embeds are identifiers, shown up to model.IDLimit (the longest ARN);
// a list is shown up to model.ShownValues elements.
func TestLongValuesAreCut(t *testing.T) {
	long := strings.Repeat("7", 3000)
	var many []string
	for i := range 500 {
		many = append(many, `"`+strings.Repeat("8", 11)+string(rune('0'+i%10))+`"`)
	}
	dir := writeFiles(t, map[string]string{
		".git/HEAD": "ref: refs/heads/main\n",
		"main.tf": `resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = ["arn:aws:iam::${tonumber("` + long + `")}:root", "*"] }
      Condition = { StringEquals = { "aws:PrincipalAccount" = [lookup(var.m, "` + long + `")] } }
    }]
  })
}
variable "m" {}
`,
		"policy.json": `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
  "Principal": {"AWS": "arn:aws:iam::999999999999:role/` + long + `"},
  "Condition": {"StringEquals": {"aws:SourceAccount": [` + strings.Join(many, ",") + `], "aws:PrincipalTag/x": "` + long + `"}}}]}`,
	})
	whole := strings.Repeat("7", 2100)
	unknownText := regexp.MustCompile(`tonumber\(\\?"7{100}|var\.m, \\?"7{100}`)
	for _, format := range report.Formats() {
		t.Run(format, func(t *testing.T) {
			code, out, errs := trustlint(t, dir, "scan", "--format", format, ".")
			if code != 1 {
				t.Fatalf("exit %d, want 1 (findings)\n%s", code, errs)
			}
			if i := strings.Index(out+errs, whole); i >= 0 {
				t.Errorf("a value of 3,000 characters is shown whole: …%s…", (out + errs)[max(0, i-120):i+200])
			}
			if m := unknownText.FindString(out + errs); m != "" {
				t.Errorf("the text of an unresolved expression is shown past 80 characters: %.60s…", m)
			}
			if n := strings.Count(out, "888888888880"); n > 10*2 {
				t.Errorf("a value of a 500-element list is shown %d times: want at most 20 (lists are cut to model.ShownValues)", n)
			}
		})
	}
}
