package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// benchModule writes a module of n roles: even ones with jsonencode, odd
// ones with an aws_iam_policy_document data source, in files of 20 roles,
// with variables, a tfvars file, locals and the own account.
func benchModule(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	var vars strings.Builder
	vars.WriteString("data \"aws_caller_identity\" \"current\" {}\n\nvariable \"partner\" {}\n\nlocals {\n  ops = \"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root\"\n}\n")
	var tfvars strings.Builder
	var file strings.Builder
	flush := func(i int) {
		if file.Len() == 0 {
			return
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("roles_%03d.tf", i)), []byte(file.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
		file.Reset()
	}
	for i := range n {
		fmt.Fprintf(&vars, "variable \"vendor_%d\" {\n  default = \"%012d\"\n}\n", i, 100000000000+i)
		if i%4 == 0 {
			fmt.Fprintf(&tfvars, "vendor_%d = \"%012d\"\n", i, 200000000000+i)
		}
		if i%2 == 0 {
			fmt.Fprintf(&file, `resource "aws_iam_role" "r%d" {
  name                 = "role-%d"
  max_session_duration = 43200
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Vendor"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = ["arn:aws:iam::${var.vendor_%d}:root", var.partner, local.ops] }
        Condition = { StringEquals = { "sts:ExternalId" = "ext-%d" } }
      },
      {
        Effect    = "Allow"
        Action    = ["sts:AssumeRole", "sts:TagSession"]
        Principal = { Service = "ec2.amazonaws.com" }
      },
    ]
  })
}

`, i, i, i, i)
		} else {
			fmt.Fprintf(&file, `data "aws_iam_policy_document" "d%d" {
  statement {
    sid     = "Vendor"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.vendor_%d}:root", var.partner]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["ext-%d"]
    }
  }
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "r%d" {
  name               = "role-%d"
  assume_role_policy = data.aws_iam_policy_document.d%d.json
}

`, i, i, i, i, i, i)
		}
		if i%20 == 19 {
			flush(i)
		}
	}
	flush(n)
	for name, s := range map[string]string{"variables.tf": vars.String(), "terraform.tfvars": tfvars.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// BenchmarkParseModule parses a module of 200 roles (half jsonencode, half
// data sources) from disk: reading, HCL parsing, evaluation, conversion and
// normalization.
func BenchmarkParseModule(b *testing.B) {
	const n = 200
	dir := benchModule(b, n)
	b.ReportAllocs()
	for b.Loop() {
		roles := 0
		diags := Parser{}.ParseModule(dir, dir, func(*model.Role) { roles++ })
		if roles != n || len(diags) > 0 {
			b.Fatalf("%d roles, diagnostics %v", roles, diags)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/n, "µs/role")
}

// TestBenchModule checks the generated module's content once.
func TestBenchModule(t *testing.T) {
	dir := benchModule(t, 4)
	var roles []*model.Role
	if diags := (Parser{}).ParseModule(dir, dir, func(r *model.Role) { roles = append(roles, r) }); len(diags) > 0 {
		t.Fatal(diags)
	}
	if len(roles) != 4 {
		t.Fatalf("%d roles", len(roles))
	}
	want := []any{"arn:aws:iam::200000000000:root", model.Unknown("var.partner"), "arn:aws:iam::<own-account>:root"}
	if got := at(roles[0].Policy, aws...); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("role 0: %v", got)
	}
	if got := at(roles[1].Policy, aws...); fmt.Sprint(got) != fmt.Sprint([]any{"arn:aws:iam::100000000001:root", model.Unknown("var.partner")}) {
		t.Errorf("role 1: %v", got)
	}
}

// BenchmarkFocus computes the roles a named file can affect in a module of
// 4,000 roles, each with a local value that reads the caller identity (so
// each depends on the prefix of every aws_caller_identity data source):
// the work must stay linear in the blocks.
func BenchmarkFocus(b *testing.B) {
	const n = 4000
	var roles strings.Builder
	for i := range n {
		fmt.Fprintf(&roles, `locals {
  account_%[1]d = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/r%[1]d"
}

resource "aws_iam_role" "r%[1]d" {
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = local.account_%[1]d } }] })
}
`, i)
	}
	fsys := filesFS(map[string]string{"data.tf": `data "aws_caller_identity" "current" {}` + "\n", "roles.tf": roles.String()})
	m := newModule(fsys, moduleDir, moduleDir)
	m.proj = &project{cache: &ModuleCache{}}
	m.load()
	b.ReportAllocs()
	for b.Loop() {
		if got := len(m.affected([]string{"data.tf"})); got != n {
			b.Fatalf("%d roles affected, want %d", got, n)
		}
	}
}
