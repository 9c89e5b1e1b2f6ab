package main

import (
	"strings"
	"testing"
)

// TestBrokenIaCFiles checks that a Terraform or CloudFormation file with a
// syntax error is an error naming file:line (exit 2) while every other file
// is still analyzed and reported.
func TestBrokenIaCFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"broken/main.tf": "resource \"aws_iam_role\" \"x\" {\n  name = \n}\n",
		"stack.yaml":     "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties: [unclosed\n",
		"good/main.tf": `resource "aws_iam_role" "vendor" {
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "999999999999" } }]
  })
}
`,
	})
	code, out, _ := trustlint(t, dir, "scan", "--color", "never", "--quiet", ".")
	if code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	for _, want := range []string{"broken/main.tf:2:", "stack.yaml:5:", "good/main.tf:3:85: high TL001"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
