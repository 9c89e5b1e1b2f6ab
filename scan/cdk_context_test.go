package scan_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/trustlint/trustlint/scan"
)

// TestCDKPathContext: findings on a synthesized CDK role name it by its
// logical ID and carry the construct path as context, and the fingerprint
// stays the one computed from the name (the context never enters it).
func TestCDKPathContext(t *testing.T) {
	dir, _ := loadCase(t, "../testdata/fixtures/cfn-cdk")
	res := runCase(t, dir)
	var got []string // in report order: by location
	for _, f := range res.Reported() {
		got = append(got, f.RuleID+" "+f.Role+" "+f.RoleContext)
		file := filepath.ToSlash(filepath.Join("cdk.out", "PipelineStack.template.json"))
		if fp := scan.Fingerprint(f.RuleID, file, f.Role, f.RootModule, f.Document, f.Path); f.Fingerprint != fp {
			t.Errorf("%s %s: fingerprint %s, want %s (rule, file, role name, path)", f.RuleID, f.Role, f.Fingerprint, fp)
		}
	}
	want := []string{
		"TL002 DeployRoleB1C2D3E4 PipelineStack/DeployRole/Resource",
		"TL001 DeployRoleB1C2D3E4 PipelineStack/DeployRole/Resource",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
