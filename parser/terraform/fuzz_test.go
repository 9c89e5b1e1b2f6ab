package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/trustlint/trustlint/model"
)

// fuzzSeeds returns the contents of the test inputs matching the glob
// patterns (relative to the repository's testdata).
func fuzzSeeds(f *testing.F, patterns ...string) [][]byte {
	f.Helper()
	var out [][]byte
	for _, p := range patterns {
		files, err := filepath.Glob(filepath.Join("../../testdata", p))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, src)
		}
	}
	if len(out) == 0 {
		f.Fatalf("no seeds for %v", patterns)
	}
	return out
}

// FuzzParse checks, for any main.tf (next to a policy file and a template
// it may name): ParseModule does not panic, every range it reports lies
// inside the file it names with a line and column that match its byte
// offset, and every value of a policy has a source range.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f, "terraform/positions/*/*.tf", "fixtures/tf-*/*.tf") {
		f.Add(s)
	}
	for _, s := range []string{
		``, `{`, `resource "aws_iam_role" "r" {`, `resource "aws_iam_role" "r" { assume_role_policy = }`,
		`resource "aws_iam_role" "r" { assume_role_policy = local.a }` + "\nlocals {\n a = local.a\n}",
		`resource "aws_iam_role" "r" { assume_role_policy = jsonencode({ Statement = [{ Principal = { AWS = [var.x, "${var.y}z"] } }] }) }`,
		"resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = <<-EOT\n    {\"a\": \"${var.x}\", \"é\": [${var.y}]}\n  EOT\n}\n",
		"resource \"aws_iam_role\" \"r\" {\r\n  assume_role_policy = <<EOF\r\n{\"Statement\": \"\u00e9\"}\r\nEOF\r\n}\r\n",
		`resource "aws_iam_role" "r" { assume_role_policy = "{\"a\": \"\u00e9\\\"$${x}%%{y}\"}" }`,
		`resource "aws_iam_role" "r" { assume_role_policy = file("trust.json") }`,
		`resource "aws_iam_role" "r" { assume_role_policy = templatefile("t.tpl", { a = var.a }) }`,
		`resource "aws_iam_role" "r" { assume_role_policy = data.aws_iam_policy_document.d.json }` +
			"\ndata \"aws_iam_policy_document\" \"d\" {\n  source_policy_documents = [data.aws_iam_policy_document.d.json]\n  statement {\n    principals {\n      type = var.t\n      identifiers = var.i\n    }\n  }\n}",
		// Deep and large.
		"locals {\n  x = " + deepSeeds("(", ")", 5000) + "\n}\n", deepSeeds("a {\n", "}\n", 3000),
		`resource "aws_iam_role" "r" { assume_role_policy = "` + deepSeeds("${[", "]}", 3000) + `" }`,
		strings.Repeat(`resource "aws_iam_role" "r" { assume_role_policy = jsonencode({Statement = [{Principal = {AWS = "111111111111"}}]}) }`+"\n", 200),
		`resource "aws_iam_role" "r" { assume_role_policy = "` + strings.Repeat("x", 1<<20) + `" }`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fsys := fstest.MapFS{
			"m/main.tf":    &fstest.MapFile{Data: src},
			"m/trust.json": &fstest.MapFile{Data: []byte(`{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}}]}`)},
			"m/t.tpl":      &fstest.MapFile{Data: []byte(`{"Statement": [{"Principal": {"AWS": "${a}"}}]}`)},
		}
		parseFS(t, fsys)
	})
}

// FuzzParsePlan checks the same properties for plan JSON.
func FuzzParsePlan(f *testing.F) {
	for _, s := range fuzzSeeds(f, "terraform/plan/*.json", "fixtures/tf-plan/*.json") {
		f.Add(s)
	}
	for _, s := range []string{
		``, `{`, `{"format_version": "1", "resource_changes": [{"type": "aws_iam_role"}]}`,
		`{"format_version": "1", "resource_changes": [{"type": "aws_iam_role", "change": {"after": {"assume_role_policy": "{\"a\": 1, \"a\": 2}"}}}]}`,
		`{"planned_values": {"root_module": {"child_modules": [{"child_modules": [{"resources": [{"type": "aws_iam_role", "values": {"max_session_duration": [1]}}]}]}]}}}`,
		// Deep and large.
		`{"format_version": "1", "planned_values": {"root_module": ` + deepSeeds(`{"child_modules": [`, `]}`, 5000) + `}}`,
		`{"format_version": "1", "resource_changes": [{"type": "aws_iam_role", "change": {"after": {"assume_role_policy": "` + deepSeeds(`[`, `]`, 10000) + `"}}}]}`,
		`{"format_version": "1", "resource_changes": [` + strings.Repeat(`{"type": "aws_iam_role", "address": "aws_iam_role.r", "change": {"after": {"assume_role_policy": "{\"Statement\": [{\"Principal\": {\"AWS\": \"111111111111\"}}]}"}}}, `, 200) + `{}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		parsePlan(t, "fuzz.json", src)
	})
}

// FuzzFocus checks a focused parse (focus.go) on any main.tf beside a
// fixed file that reads what main.tf may declare: it never panics, and the
// roles a focus on either file emits are roles of the whole module, with
// the same input.
func FuzzFocus(f *testing.F) {
	for _, s := range fuzzSeeds(f, "terraform/positions/*/*.tf", "fixtures/tf-*/*.tf") {
		f.Add(s)
	}
	for _, s := range []string{
		``, `variable "account" {}`, `locals { account = var.account }`, `data "aws_caller_identity" "current" {}`,
		`module "m" { source = "./m" }`, `locals { a = local.b, b = local.a }`, `variable "account" { default = "*" }`,
		`resource "aws_iam_role" "r" { assume_role_policy = jsonencode({ Statement = [{ Principal = { AWS = local.account } }] }) }`,
	} {
		f.Add([]byte(s))
	}
	other := `resource "aws_iam_role" "other" {
  count = var.enabled ? 1 : 0
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
    Principal = { AWS = [local.account, "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root", var.x["y"]] } }] })
}

module "called" {
  source  = "./mod"
  account = local.account
}
`
	f.Fuzz(func(t *testing.T, src []byte) {
		fsys := fstest.MapFS{
			"m/main.tf":      &fstest.MapFile{Data: src},
			"m/other.tf":     &fstest.MapFile{Data: []byte(other)},
			"m/mod/main.tf":  &fstest.MapFile{Data: []byte(`variable "account" {}` + "\n" + `resource "aws_iam_role" "this" { assume_role_policy = jsonencode({ Statement = [{ Principal = { AWS = var.account } }] }) }`)},
			"m/trust.json":   &fstest.MapFile{Data: []byte(`{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}}]}`)},
			"m/variables.tf": &fstest.MapFile{Data: []byte(`variable "enabled" { default = true }` + "\n" + `variable "x" { default = { y = "999999999999" } }`)},
		}
		inputs := func(focus []string) map[string]string {
			out := map[string]string{}
			parseModuleFS(fsys, moduleDir, moduleDir, nil, func(r *model.Role) {
				out[r.Name] = fmt.Sprint(r.Input())
			}, &project{focus: focus})
			return out
		}
		all := inputs(nil)
		for _, focus := range [][]string{{"main.tf"}, {"other.tf"}, {"variables.tf"}} {
			for name, in := range inputs(focus) {
				if all[name] != in {
					t.Errorf("focus %v: role %s is %s, in the whole module %s", focus, name, in, all[name])
				}
			}
		}
	})
}
