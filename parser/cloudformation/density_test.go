package cloudformation

import (
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// denseTemplate is a YAML or JSON template whose role's condition holds a
// flow list of n zeros on line 9 (YAML) or 1 (JSON).
func denseTemplate(json bool, n int) string {
	list := "[" + strings.Repeat("0,", n) + "0]"
	if json {
		return `{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",` +
			`"Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole", "Condition": {"NumericEquals": {"aws:x": ` + list + `}}}]}}}}}`
	}
	return "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n" +
		"          - {Effect: Allow, Principal: {AWS: \"arn:aws:iam::999988887777:root\"}, Action: \"sts:AssumeRole\",\n" +
		"             Condition: {NumericEquals: {\"aws:x\":\n               " + list + "}}}\n"
}

// TestDensity checks that a template of more values than the limit is
// refused with a diagnostic where the limit is crossed, that one just under
// it is read, and that MaxValues moves the limit.
func TestDensity(t *testing.T) {
	const msg = "more than 1000 values in one template (CloudFormation accepts templates of at most 1 MB); not read (--max-template-values raises the limit)"
	for _, json := range []bool{false, true} {
		name, line := "t.yaml", 9
		if json {
			name, line = "t.json", 1
		}
		src := denseTemplate(json, 1200)
		n, _ := countValues([]byte(src), 1<<30)
		if n < 1200 || n > len(src) {
			t.Errorf("%s: counted %d values, want from 1200 to the %d bytes", name, n, len(src))
		}
		parse := func(limit int) ([]*model.Role, []model.Diagnostic) {
			var roles []*model.Role
			diags := Parser{MaxValues: limit}.Parse(name, []byte(src), func(r *model.Role) { roles = append(roles, r) })
			return roles, diags
		}
		roles, diags := parse(1000)
		if len(roles) != 0 || len(diags) != 1 || diags[0].Message != msg || diags[0].Range.Start.Line != line {
			t.Errorf("%s at 1000: %d roles, diagnostics %v; want none and %q on line %d", name, len(roles), diags, msg, line)
		}
		if roles, diags = parse(n); len(roles) != 1 || len(diags) != 0 {
			t.Errorf("%s at %d: %d roles, diagnostics %v; want 1 and none", name, n, len(roles), diags)
		}
	}
	if _, at := countValues([]byte(denseTemplate(false, DefaultMaxValues/2)), DefaultMaxValues); at >= 0 {
		t.Errorf("a template of %d zeros is refused by default", DefaultMaxValues/2)
	}
}
