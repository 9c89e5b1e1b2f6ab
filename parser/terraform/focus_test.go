package terraform

import (
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/trustlint/trustlint/model"
)

// focusModule is a root module laid out as public stacks are: shared
// variables and data sources, local values, policy documents, roles in
// files of their own, a module call and a tfvars file.
var focusModule = map[string]string{
	"versions.tf": `terraform {
  required_version = ">= 1.5"
}

provider "aws" {
  region = var.region
}
`,
	"variables.tf": `variable "region" {
  default = "eu-west-1"
}

variable "partner_account_id" {
  type = string
}

variable "ci_repos" {
  type    = list(string)
  default = ["org/app"]
}
`,
	"data.tf": `data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}
`,
	"locals.tf": `locals {
  partner_root = "arn:${data.aws_partition.current.partition}:iam::${var.partner_account_id}:root"
  github_subs  = [for r in var.ci_repos : "repo:${r}:ref:refs/heads/main"]
  service      = "ec2.amazonaws.com"
}
`,
	"partner.tf": `data "aws_iam_policy_document" "partner" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [local.partner_root]
    }
  }
}

resource "aws_iam_role" "partner" {
  name               = "partner"
  assume_role_policy = data.aws_iam_policy_document.partner.json
}
`,
	"github.tf": `resource "aws_iam_openid_connect_provider" "github" {
  url = "https://token.actions.githubusercontent.com"
}

data "aws_iam_policy_document" "github" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    dynamic "condition" {
      for_each = length(local.github_subs) > 0 ? [1] : []
      content {
        test     = "StringLike"
        variable = "token.actions.githubusercontent.com:sub"
        values   = local.github_subs
      }
    }
  }
}

resource "aws_iam_role" "github" {
  name               = "github"
  assume_role_policy = data.aws_iam_policy_document.github.json
}
`,
	"service.tf": `resource "aws_iam_role" "service" {
  count = 2
  name  = "svc-${count.index}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = local.service } }]
  })
}

resource "aws_iam_role" "literal" {
  name = "literal"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}
`,
	"vendor.tf": `module "vendor" {
  source     = "./modules/vendor-role"
  account_id = var.partner_account_id
}

module "static" {
  source     = "./modules/vendor-role"
  account_id = "777777777777"
}
`,
	"terraform.tfvars": `partner_account_id = "999999999999"
`,
	"modules/vendor-role/main.tf": `variable "account_id" {}

resource "aws_iam_role" "this" {
  name = "vendor"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::${var.account_id}:root" } }]
  })
}
`,
}

// TestFocusRoles checks which roles a module emits when files are named:
// the roles declared in them and those that read, through any chain of
// references, a block they declare; every role for a file that is not
// configuration (tfvars) or for no file.
func TestFocusRoles(t *testing.T) {
	const (
		partner = "aws_iam_role.partner"
		github  = "aws_iam_role.github"
		svc0    = "aws_iam_role.service[0]"
		svc1    = "aws_iam_role.service[1]"
		literal = "aws_iam_role.literal"
		vendor  = "module.vendor.aws_iam_role.this"
		static  = "module.static.aws_iam_role.this"
	)
	all := []string{partner, github, svc0, svc1, literal, vendor, static}
	cases := []struct {
		focus []string
		want  []string
	}{
		{nil, all},
		{[]string{"terraform.tfvars"}, all},
		{[]string{"versions.tf"}, nil}, // the provider is not read by any role
		// partner_account_id reaches partner through a local and a policy
		// document, and vendor through the module call's argument.
		{[]string{"variables.tf"}, []string{partner, github, vendor}},
		// The caller identity is how messages write the own account of the
		// OIDC provider's ARN (github); the partition reaches partner.
		{[]string{"data.tf"}, []string{partner, github}},
		{[]string{"locals.tf"}, []string{partner, github, svc0, svc1}},
		{[]string{"partner.tf"}, []string{partner}},
		{[]string{"github.tf"}, []string{github}},
		{[]string{"service.tf"}, []string{svc0, svc1, literal}},
		{[]string{"vendor.tf"}, []string{vendor, static}},
		{[]string{"partner.tf", "service.tf"}, []string{partner, svc0, svc1, literal}},
		// A path names the file of the module directory by its base name.
		{[]string{"m/github.tf"}, []string{github}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.focus), func(t *testing.T) {
			var got []string
			proj := &project{focus: c.focus}
			parseModuleFS(filesFS(focusModule), moduleDir, moduleDir, nil, func(r *model.Role) { got = append(got, r.Name) }, proj)
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

// TestFocusDuplicate checks that a named file declaring a block a second
// time (a diagnostic; the first declaration stands) still affects the roles
// that read that address: the commit may be meant to move the block.
func TestFocusDuplicate(t *testing.T) {
	files := map[string]string{
		"a.tf": `locals {
  account = "999999999999"
}

resource "aws_iam_role" "a" {
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = local.account } }] })
}
`,
		"b.tf": `locals {
  account = "888888888888"
}
`,
		"c.tf": `resource "aws_iam_role" "c" {
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}
`,
	}
	var got []string
	parseModuleFS(filesFS(files), moduleDir, moduleDir, nil, func(r *model.Role) { got = append(got, r.Name) }, &project{focus: []string{"b.tf"}})
	if want := []string{"aws_iam_role.a"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// focusMutations change a file the way commits do: delete what it
// declares, or change the accounts, conditions and flags it writes.
var focusMutations = []struct {
	name   string
	mutate func(string) string
}{
	{"emptied", func(string) string { return "" }},
	{"edited", func(s string) string {
		s = regexp.MustCompile(`\b\d{12}\b`).ReplaceAllString(s, "999988887777")
		return strings.NewReplacer(
			"sts:ExternalId", "sts:SourceIdentity",
			"aws:MultiFactorAuthPresent", "aws:SecureTransport",
			"true", "false",
			"false", "true",
			"StringEquals", "StringLike",
			"amazonaws.com", "example.com",
			"\"*\"", "\"arn:aws:iam::123456789012:root\"",
		).Replace(s)
	}},
}

// TestFocusSound checks that a focus misses no role a change of a named
// file can change, on every root module of the test data and of
// focusModule: for each configuration file and each mutation of it, every
// role whose input (policy, attributes, source positions, how messages
// write the own account) differs before and after the change is one the
// focus selects, before or after the change. Roles are compared by block
// (the address without instance keys): a change to count or for_each
// renames instances, and a block of no instance is still selected.
func TestFocusSound(t *testing.T) {
	trees := map[string]fstest.MapFS{"focusModule": filesFS(focusModule)}
	for _, dir := range []string{"../../testdata/terraform-real", "../../testdata/fixtures", "../../testdata/examples"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() {
				trees[e.Name()] = dirFS(t, filepath.Join(dir, e.Name()))
			}
		}
	}
	checked := 0
	for name, fsys := range trees {
		roots := rootModules(fsys)
		if len(roots) == 0 {
			continue
		}
		t.Run(name, func(t *testing.T) {
			for root, files := range roots {
				before := roleInputs(fsys, root)
				for _, f := range files {
					selBefore := focusSelects(fsys, root, f)
					for _, mut := range focusMutations {
						changed := maps.Clone(fsys)
						p := path.Join(root, f)
						changed[p] = &fstest.MapFile{Data: []byte(mut.mutate(string(fsys[p].Data)))}
						after := roleInputs(changed, root)
						selAfter := focusSelects(changed, root, f)
						for _, b := range slices.Sorted(maps.Keys(mergeKeys(before, after))) {
							if before[b] == after[b] || selBefore(b) || selAfter(b) {
								continue
							}
							t.Errorf("%s/%s %s changes role %s, which a focus on it does not select:\nbefore %s\nafter  %s", root, f, mut.name, b, before[b], after[b])
						}
						checked++
					}
				}
			}
		})
	}
	if checked < 100 {
		t.Errorf("only %d changes checked; the test data lost its Terraform modules?", checked)
	}
}

// rootModules returns the directories of fsys that hold configuration
// files and that no local module source names (localSources), with their
// files.
func rootModules(fsys fstest.MapFS) map[string][]string {
	out := map[string][]string{}
	for p := range fsys {
		if isConfigFile(p) && !strings.Contains(p, ".terraform/") {
			out[path.Dir(p)] = append(out[path.Dir(p)], path.Base(p))
		}
	}
	for dir := range maps.Clone(out) {
		for _, src := range localSources(fsys, dir, nil) {
			if called := path.Join(dir, src); called != dir {
				delete(out, called)
			}
		}
	}
	for _, fs := range out {
		slices.Sort(fs)
	}
	return out
}

// roleInputs parses the root module dir of fsys and describes each role
// block's roles: their input, source ranges and own-account text.
func roleInputs(fsys fstest.MapFS, dir string) map[string]string {
	out := map[string]string{}
	parseModuleFS(fsys, dir, dir, nil, func(r *model.Role) {
		var sb strings.Builder
		fmt.Fprintf(&sb, "%s %v %s %v;", r.Name, r.Input(), r.OwnAccountText, r.Range)
		r.Source.MapRanges(func(rg model.Range) model.Range {
			fmt.Fprintf(&sb, " %v", rg)
			return rg
		})
		b := blockAddress(r.Name)
		out[b] += sb.String() + "\n"
	}, nil)
	return out
}

// instanceKeys are the instance keys of a Terraform address.
var instanceKeys = regexp.MustCompile(`\[[^\]]*\]`)

// blockAddress is a role's address without instance keys.
func blockAddress(name string) string { return instanceKeys.ReplaceAllString(name, "") }

// focusSelects returns whether a focus on file of the root module dir
// selects the role block of an address (blockAddress), directly or
// through the module call it comes from.
func focusSelects(fsys fstest.MapFS, dir, file string) func(string) bool {
	m := newModule(fsys, dir, dir)
	m.proj = &project{cache: &ModuleCache{}, rootDirRel: dir}
	m.rootDir = dir
	m.proj.loadInstalled(m)
	m.load()
	aff := m.affected([]string{file})
	return func(addr string) bool {
		if aff == nil {
			return true
		}
		for b := range aff {
			if b.typ == "module" && strings.HasPrefix(addr, "module."+b.labels[0]+".") ||
				b.typ == "resource" && addr == "aws_iam_role."+b.labels[1] {
				return true
			}
		}
		return false
	}
}

func mergeKeys(a, b map[string]string) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
