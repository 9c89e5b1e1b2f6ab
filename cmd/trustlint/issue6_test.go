package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const vendorTF = `resource "aws_iam_role" "vendor" {
  name = "vendor"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      # trustlint:ignore TL001 -- vendor X issues no external ID; SEC-42
      Principal = { AWS = "arn:aws:iam::999999999999:root" }
    }]
  })
}

# trustlint:ignore TL004 -- nightly batch needs 12 hours
resource "aws_iam_role" "batch" {
  name                 = "batch"
  max_session_duration = 43200
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role" "other" {
  name = "other"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::888888888888:root" } // trustlint:ignore TL001
    }]
  })
}
`

const vendorYAML = `Resources:
  Vendor:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Action: sts:AssumeRole
            Principal:
              AWS: arn:aws:iam::777777777777:root # trustlint:ignore TL001 -- audited vendor
  # trustlint:ignore TL003 -- nothing here is a wildcard
  Service:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Action: sts:AssumeRole, Principal: {Service: ec2.amazonaws.com}}
`

func TestInlineSuppressions(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.tf": vendorTF, "stack.yaml": vendorYAML})
	code, out, errOut := trustlint(t, dir, "scan", "--color", "never", ".")
	// The reason-less comment suppresses nothing: other's TL001 stays.
	if code != ExitFindings {
		t.Errorf("exit %d, want %d; stderr %s", code, ExitFindings, errOut)
	}
	for _, want := range []string{
		"main.tf:28:27: high TL001",
		"main.tf:28:62: note: trustlint:ignore TL001 has no reason",
		"stack.yaml:11:3: note: trustlint:ignore TL003 matches no finding",
		"; 3 suppressed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"main.tf:8:", "main.tf:15:", "stack.yaml:10:"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("suppressed finding %q reported:\n%s", unwanted, out)
		}
	}
	_, out, _ = trustlint(t, dir, "scan", "--color", "never", "--show-suppressed", ".")
	if !strings.Contains(out, "[suppressed: vendor X issues no external ID; SEC-42]") || !strings.Contains(out, "[suppressed: audited vendor]") {
		t.Errorf("--show-suppressed does not mark the findings:\n%s", out)
	}
	code, out, _ = trustlint(t, dir, "scan", "--format", "sarif", "--show-suppressed", ".")
	checkSARIF(t, []byte(out))
	if code != ExitFindings || strings.Count(out, `"suppressions"`) != 3 || !strings.Contains(out, `"kind": "inSource"`) {
		t.Errorf("exit %d; SARIF lacks 3 inSource suppressions:\n%s", code, out)
	}
}

func TestConfigIgnoreOnlySuppressedExitsZero(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".trustlint.yaml": "ignore:\n  - rule: TL001\n    path: \"vendors/**\"\n    reason: onboarding gives no external ID\n",
		"vendors/p.json":  externalPolicy,
	})
	code, out, _ := trustlint(t, dir, "scan", "--color", "never")
	if code != ExitOK || !strings.Contains(out, "no findings") || !strings.Contains(out, "; 1 suppressed") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	_, out, _ = trustlint(t, dir, "scan", "--format", "sarif", "--show-suppressed")
	checkSARIF(t, []byte(out))
	if !strings.Contains(out, `"kind": "external"`) || !strings.Contains(out, `"justification": "onboarding gives no external ID"`) {
		t.Errorf("SARIF lacks the external suppression:\n%s", out)
	}
}

func TestBaseline(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": externalPolicy})
	code, _, _ := trustlint(t, dir, "scan", "--format", "sarif", "--output", "baseline.sarif", "p.json")
	if code != ExitFindings {
		t.Fatalf("first scan: exit %d", code)
	}
	code, out, errOut := trustlint(t, dir, "scan", "--color", "never", "--baseline", "baseline.sarif", "p.json")
	if code != ExitOK || !strings.Contains(out, "; 1 in the baseline") {
		t.Errorf("with baseline: exit %d, stderr %s, output:\n%s", code, errOut, out)
	}
	// A new finding is still reported.
	if err := os.WriteFile(filepath.Join(dir, "q.json"), []byte(strings.ReplaceAll(externalPolicy, "999999999999", "888888888888")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = trustlint(t, dir, "scan", "--color", "never", "--baseline", "baseline.sarif", "p.json", "q.json")
	if code != ExitFindings || !strings.Contains(out, "q.json:1:57: high TL001") || strings.Contains(out, "p.json:1:57") {
		t.Errorf("new finding: exit %d, output:\n%s", code, out)
	}
	code, _, errOut = trustlint(t, dir, "scan", "--baseline", "p.json", "p.json")
	if code != ExitError || !strings.Contains(errOut, "not a SARIF 2.1.0 report") {
		t.Errorf("bad baseline: exit %d, stderr %s", code, errOut)
	}
}

func TestCustomRulesCLI(t *testing.T) {
	abs, err := filepath.Abs("../../testdata/custom-rules")
	if err != nil {
		t.Fatal(err)
	}
	policy := `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "abc123"}}}]}`
	dir := writeFiles(t, map[string]string{"p.json": policy, ".trustlint.yaml": "rules_dir: " + filepath.Join(abs, "good") + "\n"})
	// A configuration found in the scanned tree runs no rules of its own
	// unless the user trusts it (issue 9: a repository must not run code
	// the user did not choose).
	code, out, errOut := trustlint(t, dir, "scan", "--color", "never", "--format", "sarif")
	if code != ExitOK || strings.Contains(out, `"ruleId": "ACME001"`) || !strings.Contains(errOut, "sets rules_dir") || !strings.Contains(errOut, "--trust-config") {
		t.Errorf("untrusted rules_dir: exit %d stderr %s\n%s", code, errOut, out)
	}
	for _, trust := range [][]string{{"--trust-config"}, {"--config", ".trustlint.yaml"}} {
		code, out, errOut = trustlint(t, dir, append([]string{"scan", "--color", "never", "--format", "sarif"}, trust...)...)
		checkSARIF(t, []byte(out))
		if code != ExitFindings || !strings.Contains(out, `"ruleId": "ACME001"`) || !strings.Contains(out, `"id": "ACME001"`) || errOut != "" {
			t.Errorf("rules_dir with %s: exit %d stderr %s\n%s", trust, code, errOut, out)
		}
	}
	code, out, _ = trustlint(t, dir, "scan", "--color", "never", "--rules", filepath.Join(abs, "good"), "--config", "/dev/null")
	if code != ExitFindings || !strings.Contains(out, "medium ACME001") {
		t.Errorf("--rules: exit %d\n%s", code, out)
	}
	code, _, errOut = trustlint(t, dir, "scan", "--rules", filepath.Join(abs, "clash"))
	if code != ExitError || !strings.Contains(errOut, "clash.rego:9: rule ID TL001 is already used") {
		t.Errorf("clash: exit %d, stderr %s", code, errOut)
	}
	// A rule that parses but does not compile: the rules compile while the
	// inputs are read, and the error still fails the run.
	undef := writeFiles(t, map[string]string{"r/r.rego": "# METADATA\n# title: t\n# description: d\n# scope: package\n# custom:\n#   id: ACME010\n#   name: n\n#   severity: 5\npackage trustlint.rules.undef\n\ndeny contains f if f := acme.helper(input.policy)\n"})
	code, out, errOut = trustlint(t, dir, "scan", "--format", "sarif", "--rules", filepath.Join(undef, "r"), "--config", "/dev/null")
	if code != ExitError || !strings.Contains(errOut, "undefined function acme.helper") || out != "" {
		t.Errorf("rule that does not compile: exit %d, stderr %s\n%s", code, errOut, out)
	}
	code, out, _ = trustlint(t, dir, "test", filepath.Join(abs, "good"))
	if code != ExitOK || !strings.Contains(out, "2 passed, 0 failed") {
		t.Errorf("test: exit %d\n%s", code, out)
	}
	bad := writeFiles(t, map[string]string{"r/r.rego": "# METADATA\n# title: t\n# description: d\n# scope: package\n# custom:\n#   id: ACME009\n#   name: n\n#   severity: 5\npackage trustlint.rules.r\n\ndeny contains 1 if false\n",
		"r/r_test.rego": "package trustlint.rules.r_test\n\ntest_fails if false\n"})
	code, out, _ = trustlint(t, bad, "test", "r")
	if code != ExitFindings || !strings.Contains(out, "r/r_test.rego:3: FAIL trustlint.rules.r_test.test_fails") || !strings.Contains(out, "0 passed, 1 failed") {
		t.Errorf("failing test: exit %d\n%s", code, out)
	}
}
