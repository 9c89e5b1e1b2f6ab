package scan_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/trustlint/trustlint/config"
	"github.com/trustlint/trustlint/rules"
	"github.com/trustlint/trustlint/scan"
)

// TestNamedTerraformFile checks what a pre-commit hook relies on: naming one
// .tf file loads its whole module for resolution, and only findings located
// in the named files are reported.
func TestNamedTerraformFile(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"role.tf": `resource "aws_iam_role" "vendor" {
  name               = "vendor"
  assume_role_policy = data.aws_iam_policy_document.vendor.json
}
`,
		"policy.tf": `data "aws_iam_policy_document" "vendor" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${local.vendor}:root"]
    }
  }
}
`,
		"locals.tf": `locals {
  vendor = "999999999999"
}
`,
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	engine, err := rules.New(context.Background(), rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	run := func(paths ...string) []string {
		res, err := scan.Run(context.Background(), scan.Options{Paths: paths, Engine: engine, Config: config.Default()})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range res.Diagnostics {
			t.Errorf("unexpected diagnostic: %s", d.Error())
		}
		var got []string
		for _, f := range res.Reported() {
			got = append(got, filepath.Base(f.Range.File)+" "+f.RuleID+" "+f.Role)
		}
		return got
	}
	want := "policy.tf TL001 aws_iam_role.vendor"
	if got := run(filepath.Join(dir, "policy.tf")); len(got) != 1 || got[0] != want {
		t.Errorf("naming policy.tf: got %v, want [%s] (the local in locals.tf must resolve)", got, want)
	}
	if got := run(filepath.Join(dir, "role.tf")); len(got) != 0 {
		t.Errorf("naming role.tf: got %v, want nothing (the finding is in policy.tf)", got)
	}
	if got := run(filepath.Join(dir, "role.tf"), filepath.Join(dir, "policy.tf")); len(got) != 1 {
		t.Errorf("naming both: got %v, want one finding", got)
	}
	if got := run(dir); len(got) != 1 || got[0] != want {
		t.Errorf("walking the directory: got %v, want [%s]", got, want)
	}
}
