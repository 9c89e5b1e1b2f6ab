package scan_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/trustlint/trustlint/config"
	"github.com/trustlint/trustlint/rules"
	"github.com/trustlint/trustlint/scan"
)

// TestNamedTerraformFile checks what a pre-commit hook relies on: naming one
// file of a Terraform module reports every finding its change can cause,
// wherever it is located: a change to one file can open a role defined in
// another. A .tf file selects the roles that read what it declares (and
// those it declares); terraform.tfvars or a template selects every role of
// the module; so does walking the directory.
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
		"variables.tf": `variable "partner" {}
`,
		"terraform.tfvars": `partner = "888888888888"
`,
		"partner.tf": `resource "aws_iam_role" "partner" {
  assume_role_policy = templatefile("${path.module}/templates/partner.json.tftpl", { account = var.partner })
}
`,
		"templates/partner.json.tftpl": `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
  "Principal": {"AWS": "arn:aws:iam::${account}:root"}}]}
`,
	}
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
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
	// The project root is the directory, as a git work tree would make it
	// (a template in templates/ belongs to the module above it).
	run := func(paths ...string) []string {
		res, err := scan.Run(context.Background(), scan.Options{Paths: paths, Engine: engine, Config: config.Default(), Root: dir})
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
	const (
		vendor  = "policy.tf TL001 aws_iam_role.vendor"
		partner = "partner.json.tftpl TL001 aws_iam_role.partner"
	)
	all := fmt.Sprint([]string{vendor, partner})
	for named, want := range map[string]string{
		"policy.tf":                    fmt.Sprint([]string{vendor}), // read by vendor's role
		"locals.tf":                    fmt.Sprint([]string{vendor}), // through the policy document
		"role.tf":                      fmt.Sprint([]string{vendor}),
		"variables.tf":                 fmt.Sprint([]string{partner}), // var.partner, in the templatefile() call
		"partner.tf":                   fmt.Sprint([]string{partner}),
		"terraform.tfvars":             all,
		"templates/partner.json.tftpl": all,
	} {
		if got := fmt.Sprint(run(filepath.Join(dir, named))); got != want {
			t.Errorf("naming %s: got %v, want %s", named, got, want)
		}
	}
	if got := fmt.Sprint(run(filepath.Join(dir, "role.tf"), filepath.Join(dir, "variables.tf"))); got != all {
		t.Errorf("naming two files: got %v, want %s", got, all)
	}
	if got := fmt.Sprint(run(dir)); got != all {
		t.Errorf("walking the directory: got %v, want %s", got, all)
	}
	if got := fmt.Sprint(run(dir, filepath.Join(dir, "role.tf"))); got != all {
		t.Errorf("walking the directory and naming role.tf: got %v, want %s", got, all)
	}
}
