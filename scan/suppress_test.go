package scan_test

import (
	"reflect"
	"sort"
	"testing"

	"github.com/trustlint/trustlint/scan"
)

// TestSuppressionsAreComments checks that suppressions are the comments the
// parsers read: text that only looks like a comment (in an HCL string, in a
// YAML block scalar) suppresses nothing and gets no note, while comments
// in a called module's files suppress and, when unused, are noted.
func TestSuppressionsAreComments(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"main.tf": `resource "aws_iam_role" "text" {
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::999999999999:root" }, Sid = "# trustlint:ignore TL001 -- a string" }] })
}

module "vendor" {
  source = "./modules/vendor"
}
`,
		"modules/vendor/main.tf": `resource "aws_iam_role" "vendor" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRole"
      # trustlint:ignore TL001 -- vendor X issues no external ID
      Principal = { AWS = "arn:aws:iam::888888888888:root" }
    }]
  })
}

# trustlint:ignore TL002 -- nothing here is a wildcard
locals {}
`,
		"stack.yaml": `Resources:
  Vendor:
    Type: AWS::IAM::Role
    Properties:
      Description: |
        # trustlint:ignore TL001 -- a block scalar
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {AWS: "arn:aws:iam::777777777777:root"}}]}
`,
	})
	got := runScan(t, scan.Options{Paths: []string{dir}, Root: dir})
	sort.Strings(got.findings)
	want := []string{"main.tf:2 TL001 aws_iam_role.text", "stack.yaml:7 TL001 Vendor"}
	if !reflect.DeepEqual(got.findings, want) {
		t.Errorf("findings:\n got %q\nwant %q", got.findings, want)
	}
	wantDiags := []string{"main.tf: trustlint:ignore TL002 matches no finding"}
	if !reflect.DeepEqual(got.diags, wantDiags) {
		t.Errorf("diagnostics:\n got %q\nwant %q", got.diags, wantDiags)
	}
}
