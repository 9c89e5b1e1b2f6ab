package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The tests of this file hold trustlint to the manners of the command-line
// tools its users know (tflint, golangci-lint, checkov, trivy).

func TestVersionFlag(t *testing.T) {
	code, flag, _ := trustlint(t, ".", "--version")
	_, cmd, _ := trustlint(t, ".", "version")
	if code != ExitOK || flag != cmd || !strings.HasPrefix(flag, "trustlint ") {
		t.Errorf("--version: exit %d, %q; version prints %q", code, flag, cmd)
	}
}

func TestScanHelpHasExamples(t *testing.T) {
	code, out, _ := trustlint(t, ".", "scan", "--help")
	for _, want := range []string{"Examples:\n", "trustlint scan --format sarif -o trustlint.sarif .", "--disable", "--enable", "--exclude"} {
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("scan --help (exit %d) lacks %q", code, want)
		}
	}
}

// TestUnknownFlagPointsToHelp checks that every mistake on the command
// line (a flag, a command, the number of arguments) exits 2 and points to
// the --help of the command at fault.
func TestUnknownFlagPointsToHelp(t *testing.T) {
	tests := []struct {
		args      []string
		cmd, want string
	}{
		{[]string{"scan", "--fial-on", "high"}, "trustlint scan", "unknown flag: --fial-on"},
		{[]string{"--nope"}, "trustlint", "unknown flag: --nope"},
		{[]string{"explain", "-x"}, "trustlint explain", "unknown shorthand flag: 'x' in -x"},
		{[]string{"sacn", "."}, "trustlint", "unknown command \"sacn\" for \"trustlint\"\n\nDid you mean this?\n\tscan\n"},
		{[]string{"rules", "extra"}, "trustlint rules", "unknown command \"extra\" for \"trustlint rules\""},
		{[]string{"test"}, "trustlint test", "accepts 1 arg(s), received 0"},
		{[]string{"explain", "TL001", "TL002"}, "trustlint explain", "accepts at most 1 arg(s), received 2"},
	}
	for _, tt := range tests {
		code, out, errOut := trustlint(t, ".", tt.args...)
		if want := "trustlint: " + tt.want + "\nRun '" + tt.cmd + " --help' for usage.\n"; code != ExitError || out != "" || !strings.HasPrefix(errOut, "trustlint: ") || !strings.Contains(errOut, want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and stderr %q", tt.args, code, out, errOut, ExitError, want)
		}
	}
}

func TestEnableDisableExcludeFlags(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".trustlint.yaml":   "rules:\n  TL004: {enabled: false}\n",
		"p.json":            externalPolicy,
		"role.json":         sessionRole,
		"legacy/old.json":   externalPolicy,
		"legacy/older.json": externalPolicy,
	})
	tests := []struct {
		name      string
		args      []string
		code      int
		want, not []string
	}{
		{"config disables TL004", nil, ExitFindings, []string{"p.json:1:", "legacy/old.json"}, []string{"TL004"}},
		{"--enable beats the configuration", []string{"--enable", "excessive-session-duration"}, ExitFindings, []string{"role.json:3:", "TL004"}, nil},
		{"--disable by ID and name", []string{"--disable", "TL001", "--disable=missing-mfa"}, ExitOK, nil, []string{"TL001", "TL002"}},
		{"--disable comma-separated", []string{"--disable", "tl001,TL002"}, ExitOK, nil, []string{"TL001", "TL002"}},
		{"--exclude", []string{"--exclude", "legacy/**"}, ExitFindings, []string{"p.json:1:"}, []string{"legacy/"}},
		{"unknown rule", []string{"--disable", "TL999"}, ExitError, nil, nil},
		{"bad glob", []string{"--exclude", "["}, ExitError, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"scan", "--color", "never", "-q"}, tt.args...)
			code, out, errOut := trustlint(t, dir, append(args, ".")...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %s", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(out, n) {
					t.Errorf("output has %q:\n%s", n, out)
				}
			}
		})
	}
	_, _, errOut := trustlint(t, dir, "scan", "--disable", "TL999", ".")
	if !strings.Contains(errOut, `--disable: unknown rule "TL999" (trustlint rules lists them)`) {
		t.Errorf("unknown rule: stderr %q", errOut)
	}
}

const namedSuppressionsTF = `resource "aws_iam_role" "vendor" {
  name = "vendor"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      # trustlint:ignore missing-external-id, TL002 -- vendor X issues no external ID; SEC-42
      Principal = { AWS = "arn:aws:iam::999999999999:root" }
    }]
  })
}

# trustlint:ignore TL099 excesive-session-duration -- typo in the rule name
resource "aws_iam_role" "batch" {
  name                 = "batch"
  max_session_duration = 43200
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}
`

// TestSuppressionsByName checks that suppressions name rules by ID or
// name, that a word naming no rule is a note that says so, and that an
// ignore: entry without a reason gets the same note as a comment without
// one.
func TestSuppressionsByName(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.tf":         namedSuppressionsTF,
		"p.json":          externalPolicy,
		".trustlint.yaml": "ignore:\n  - rule: wildcard-principal\n    path: p.json\n    reason: public on purpose\n  - rule: missing-external-id\n    path: p.json\n",
	})
	code, out, errOut := trustlint(t, dir, "scan", "--color", "never", ".")
	if code != ExitFindings {
		t.Errorf("exit %d; stderr %s", code, errOut)
	}
	for _, want := range []string{
		`main.tf:13:1: note: trustlint:ignore TL099 excesive-session-duration: no rule is named "TL099" (trustlint rules lists them)`,
		`main.tf:13:1: note: trustlint:ignore TL099 excesive-session-duration: no rule is named "excesive-session-duration"`,
		"main.tf:16:3: medium TL004", // TL004 stays: the comment names no rule
		"p.json:1:",                  // TL001 stays: its entry has no reason
		".trustlint.yaml:5:1: note: ignore entry for TL001 has no reason (write one in reason:): it suppresses nothing",
		".trustlint.yaml:2:1: note: ignore entry for TL003 matches no finding",
		"; 1 suppressed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "main.tf:8:") {
		t.Errorf("the comment naming missing-external-id did not suppress:\n%s", out)
	}
}

const customRule = `# METADATA
# title: role trusts the sandbox account
# description: The sandbox account must never be trusted by production roles.
# related_resources:
#   - ref: https://example.com/acme/policies/sandbox
# custom:
#   id: ACME001
#   name: sandbox-trusted
#   severity: 6.0
#   remediation: Remove the sandbox account from the trust policy.
package trustlint.rules.sandbox_trusted

import data.trustlint.lib

deny contains f if {
	some i, j
	p := input.policy.Statement[i].Principal.AWS[j]
	contains(p, "123456789012")
	f := lib.finding("the sandbox account is trusted", ["policy", "Statement", i, "Principal", "AWS", j])
}
`

// TestCustomRulesListedAndExplained checks point 9: the user's own rules
// appear in trustlint rules and trustlint explain, from --rules or from the
// configuration's rules_dir.
func TestCustomRulesListedAndExplained(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"policy-rules/sandbox.rego": customRule,
		"cfg/.trustlint.yaml":       "rules_dir: ../policy-rules\n",
	})
	for _, args := range [][]string{
		{"rules", "--rules", "policy-rules"},
		{"rules", "-c", "cfg/.trustlint.yaml"},
		{"explain", "--rules", "policy-rules"},
	} {
		code, out, errOut := trustlint(t, dir, args...)
		if code != ExitOK || !strings.Contains(strings.Join(strings.Fields(out), " "), "ACME001 medium (6.0) sandbox-trusted role trusts the sandbox account") || !strings.Contains(out, "TL001") {
			t.Errorf("%v: exit %d, stderr %s, output:\n%s", args, code, errOut, out)
		}
	}
	code, out, _ := trustlint(t, dir, "explain", "--rules", "policy-rules", "sandbox-trusted")
	for _, want := range []string{"ACME001 sandbox-trusted: role trusts the sandbox account", "Remove the sandbox account", "https://example.com/acme/policies/sandbox", "Defined in: policy-rules/sandbox.rego"} {
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("explain a custom rule (exit %d) lacks %q:\n%s", code, want, out)
		}
	}
	if strings.Contains(out, "Online:") {
		t.Errorf("a custom rule has no page online:\n%s", out)
	}
	if code, _, _ := trustlint(t, dir, "explain", "ACME001"); code != ExitError {
		t.Errorf("explain ACME001 without its rules: exit %d, want %d", code, ExitError)
	}
}

// TestConfigFoundAndWorded checks point 8: the configuration is found from
// the scanned path up to the project root, and its errors name file:line
// in the words of the file.
func TestConfigFoundAndWorded(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".git/HEAD":               "ref: refs/heads/main\n",
		".trustlint.yaml":         "rules:\n  missing-external-id: {enabled: false}\n",
		"infra/policies/p.json":   externalPolicy,
		"elsewhere/.keep":         "",
		"bad/.trustlint.yaml":     "own_acount: \"111111111111\"\ntrusted_accounts: \"222222222222\"\n",
		"bad/p.json":              externalPolicy,
		"indent/.trustlint.yaml":  "rules:\n  TL004: {enabled: false}\n   TL001: {enabled: false}\n",
		"indent/p.json":           externalPolicy,
		"missing/.trustlint.yaml": "exclude: [\"x/**\"]\nrules_dir: ./policy-rules\n",
		"missing/p.json":          externalPolicy,
		"ignore/.trustlint.yaml":  "ignore:\n  - rule: TL001\n    path: [infra/**]\n    reason: vendor\n",
		"ignore/p.json":           externalPolicy,
	})
	// From a directory without a configuration, scanning a path below the
	// root: the root's configuration applies (TL001 off).
	code, out, errOut := trustlint(t, filepath.Join(dir, "elsewhere"), "scan", "--color", "never", "../infra/policies")
	if code != ExitOK || strings.Contains(out, "TL001") {
		t.Errorf("config at the project root not found from a subdirectory: exit %d, stderr %s\n%s", code, errOut, out)
	}
	tests := []struct{ path, want string }{
		{"bad", `bad/.trustlint.yaml:1: unknown setting "own_acount" (did you mean own_account?)`},
		{"bad", `bad/.trustlint.yaml:2: trusted_accounts must be a list, like trusted_accounts: ["222222222222"]; got "222222222222"`},
		{"indent", "indent/.trustlint.yaml:3: not valid YAML: did not find expected key"},
		{"missing", `missing/.trustlint.yaml:2: rules_dir "./policy-rules": no such directory`},
		{"ignore", `ignore/.trustlint.yaml:3: ignore: path must be text, like path: "exports/**"; got a list`},
	}
	for _, tt := range tests {
		code, _, errOut := trustlint(t, dir, "scan", "--trust-config", tt.path)
		if code != ExitError || !strings.Contains(errOut, tt.want) {
			t.Errorf("scan %s: exit %d, stderr lacks %q:\n%s", tt.path, code, tt.want, errOut)
		}
	}
}

// TestParseErrorsWhereTheyAre checks point 11: a YAML indentation error is
// reported at its line, not at the start of the mapping; one unterminated
// Terraform string is one error; a JSON template named .template with a
// JSON mistake is reported as JSON.
func TestParseErrorsWhereTheyAre(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"cfn/stack.yaml": "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: deploy\n     Path: /ci/\n" +
			"      AssumeRolePolicyDocument:\n        Statement:\n          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}\n",
		"tf/main.tf": "resource \"aws_iam_role\" \"a\" {\n  name = \"deploy\n  assume_role_policy = data.aws_iam_policy_document.a.json\n}\n\n" +
			"resource \"aws_iam_role\" \"b\" {\n  name = \"other\"\n}\n",
		"cfn/partner.template": `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Role": {"Type": "AWS::IAM::Role",` + "\n" +
			`  "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "999999999999"} "Action": "sts:AssumeRole"}]}}}}}` + "\n",
	})
	code, out, _ := trustlint(t, dir, "scan", "--color", "never", "-q", ".")
	want := []string{
		"cfn/partner.template:2:118: error: invalid JSON: invalid character",
		"cfn/stack.yaml:7:",
		"invalid YAML: did not find expected key",
		"tf/main.tf:2:17: error: Invalid multi-line string",
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if code != ExitError || strings.Count(out, "tf/main.tf:") != 1 || strings.Contains(out, "YAML: did not find expected ',' or '}'") {
		t.Errorf("exit %d, want one error per mistake:\n%s", code, out)
	}
}
