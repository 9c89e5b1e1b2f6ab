package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFailingRuleKeepsOtherFindings: a rule that fails on a role (here a
// custom rule whose function gives two values for one input, an OPA
// conflict error) is an error naming the rule and the role, and every
// other rule's findings of that role are still reported. Before, the
// role's findings were all lost.
func TestFailingRuleKeepsOtherFindings(t *testing.T) {
	dir := t.TempDir()
	rule := `# METADATA
# title: conflicting rule
# description: A rule whose helper has two values for one input.
# scope: package
# custom:
#   id: ACME009
#   name: conflicting
#   severity: 3.0
#   precision: high
package trustlint.rules.conflicting

import data.trustlint.lib

kind(_) := "a"

kind(_) := "b"

deny contains f if {
	some p in lib.aws_principals
	f := lib.finding(kind(p.value), ["policy", "Statement", p.stmt, "Principal", "AWS", p.index])
}
`
	policy := `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
    "Action": "sts:AssumeRole"
  }]
}
`
	for name, src := range map[string]string{"rules/conflicting.rego": rule, "trust.json": policy} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := trustlint(t, dir, "scan", "--quiet", "--color", "never", "--config", "/dev/null", "--rules", "rules", "trust.json")
	if code != ExitError {
		t.Errorf("exit %d, want %d (an input could not be analyzed in full)", code, ExitError)
	}
	all := out + errOut
	if !strings.Contains(all, "trust.json:5:26: high TL001") {
		t.Errorf("the role's TL001 finding is missing:\n%s", all)
	}
	if !strings.Contains(all, "conflicting") || !strings.Contains(all, "role trust.json") {
		t.Errorf("the error does not name the rule and the role:\n%s", all)
	}
}
