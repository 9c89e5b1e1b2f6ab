package terraform

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// at returns the value at path p of v (keys and indexes), or a string
// describing where the path stops.
func at(v any, p ...any) any {
	for _, e := range p {
		switch k := e.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return "<no object at " + k + ">"
			}
			x, ok := m[k]
			if !ok {
				return "<no key " + k + ">"
			}
			v = x
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return "<no element>"
			}
			v = a[k]
		}
	}
	return v
}

// trustRole writes a role whose policy grants principal (an HCL
// expression) with jsonencode.
func trustRole(name, principal string) string {
	return `resource "aws_iam_role" "` + name + `" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = ` + principal + ` } }]
  })
}
`
}

// aws is the path of the AWS principal of the first statement.
var aws = []any{"Statement", 0, "Principal", "AWS"}

func TestEvaluation(t *testing.T) {
	unknown := model.Unknown
	tests := []struct {
		name  string
		files map[string]string
		role  string
		path  []any // inside the policy
		want  any
	}{
		{"variable without default", map[string]string{"main.tf": `variable "acct" {}` + "\n" + trustRole("r", `var.acct`)}, "aws_iam_role.r", aws, unknown("var.acct")},
		{"template with unknown part", map[string]string{"main.tf": `variable "acct" {}` + "\n" + trustRole("r", `"arn:aws:iam::${var.acct}:root"`)}, "aws_iam_role.r", aws, []any{unknown("arn:aws:iam::${var.acct}:root")}},
		{"variable default", map[string]string{"main.tf": `variable "acct" { default = "999999999999" }` + "\n" + trustRole("r", `"arn:aws:iam::${var.acct}:root"`)}, "aws_iam_role.r", aws, []any{"arn:aws:iam::999999999999:root"}},
		{"tfvars over default, auto.tfvars over tfvars, in name order", map[string]string{
			"main.tf":          `variable "a" { default = "1" }` + "\n" + `variable "b" { default = "1" }` + "\n" + `variable "c" { default = "1" }` + "\n" + trustRole("r", `[var.a, var.b, var.c]`),
			"terraform.tfvars": "a = \"2\"\nb = \"2\"\nc = \"2\"\n",
			"x.auto.tfvars":    "b = \"3\"\nc = \"3\"\n",
			"y.auto.tfvars":    "c = \"4\"\n",
		}, "aws_iam_role.r", aws, []any{"2", "3", "4"}},
		{"tfvars.json", map[string]string{
			"main.tf":               `variable "a" {}` + "\n" + trustRole("r", `var.a`),
			"terraform.tfvars.json": `{"a": ["111111111111", "${x}"]}`,
		}, "aws_iam_role.r", aws, []any{"111111111111", "${x}"}},
		{"locals followed into the template text", map[string]string{"main.tf": `variable "acct" {}
locals {
  acct = var.acct
  arn  = "arn:aws:iam::${local.acct}:root"
}
` + trustRole("r", `local.arn`)}, "aws_iam_role.r", aws, []any{unknown("arn:aws:iam::${var.acct}:root")}},
		{"self-referencing locals stay unknown", map[string]string{"main.tf": "locals {\n  a = local.b\n  b = local.a\n}\n" + trustRole("r", `local.a`)}, "aws_iam_role.r", aws, unknown("local.a")},
		{"functions", map[string]string{"main.tf": `variable "accts" { default = ["111111111111", "222222222222"] }
variable "m" { default = { prod = "333333333333" } }
locals { ids = { x = "444444444444" } }
` + trustRole("r", `[
  format("arn:aws:iam::%s:root", var.accts[0]),
  join(":", ["arn:aws:iam:", "555555555555", "root"]),
  lookup(var.m, "prod", "none"),
  element(concat(var.accts, ["666666666666"]), 2),
  coalesce("", "777777777777"),
  lower("ARN:AWS:IAM::888888888888:ROOT"),
  upper("x"),
  replace("arn:aws:iam::ACCT:root", "ACCT", "999999999999"),
  replace("a1b22c", "/[0-9]+/", "-"),
  split(",", "a,b")[1],
  trimspace("  t  "),
  keys(local.ids)[0],
  values(local.ids)[0],
  try(var.nope, "fallback"),
  can(var.accts[5]) ? "yes" : "no",
  tolist(toset(["s"]))[0],
  flatten([["f"]])[0],
  distinct(["d", "d"])[0],
  jsondecode("{\"k\": \"j\"}").k,
  trimprefix("https://h", "https://"),
]`)}, "aws_iam_role.r", aws, []any{
			"arn:aws:iam::111111111111:root", "arn:aws:iam::555555555555:root", "333333333333", "666666666666",
			"777777777777", "arn:aws:iam::888888888888:root", "X", "arn:aws:iam::999999999999:root", "a-b-c",
			"b", "t", "x", "444444444444", "fallback", "no", "s", "f", "d", "j", "h",
		}},
		{"functions modules use beside stdlib's", map[string]string{"main.tf": `variable "o" { default = { a = "111111111111" } }
variable "secret" {
  default   = "222222222222"
  sensitive = true
}
` + trustRole("r", `[
  lookup(var.o, "b", null) == null ? "absent" : "present",
  lookup(var.o, "a", null),
  one(["333333333333"]),
  one([]) == null ? "none" : "some",
  alltrue([true, 1 == 1]) ? "all" : "not all",
  anytrue([false, true]) ? "any" : "none",
  strcontains("repo:acme/x", "acme") ? "contains" : "no",
  nonsensitive(var.secret),
  sensitive("444444444444"),
]`)}, "aws_iam_role.r", aws, []any{"absent", "111111111111", "333333333333", "none", "all", "any", "contains", "222222222222", "444444444444"}},
		{"aws_partition is the aws partition", map[string]string{"main.tf": `data "aws_partition" "current" {}
data "aws_partition" "counted" { count = 1 }
` + trustRole("r", `["arn:${data.aws_partition.current.partition}:iam::111111111111:root", "pods.eks.${data.aws_partition.current.dns_suffix}", data.aws_partition.counted[0].partition]`)}, "aws_iam_role.r", aws, []any{"arn:aws:iam::111111111111:root", "pods.eks.amazonaws.com", unknown("data.aws_partition.counted[0].partition")}},
		{"type constraints with optional() defaults", map[string]string{"main.tf": `variable "m" {
  type = map(object({
    id  = string
    tag = optional(string, "none")
    ext = optional(string)
  }))
  default = {
    a = { id = "111111111111" }
    b = { id = "222222222222", tag = "t" }
  }
}
variable "s" {
  type    = set(string)
  default = ["333333333333", "333333333333"]
}
variable "bad" {
  type    = number
  default = "444444444444x"
}
` + trustRole("r", `[
  var.m.a.tag,
  var.m.a.ext == null ? "no ext" : "ext",
  length(var.m) > 0 ? var.m["b"].tag : "empty",
  length(var.s),
  var.bad,
]`)}, "aws_iam_role.r", aws, []any{"none", "no ext", "t", 1.0, "444444444444x"}},
		{"type constraint in JSON syntax", map[string]string{"main.tf.json": `{
  "variable": {"m": {"type": "map(object({id = string, ext = optional(string)}))", "default": {"a": {"id": "111111111111"}}}},
  "resource": {"aws_iam_role": {"r": {"assume_role_policy": "${jsonencode({Statement = [{Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {AWS = var.m.a.ext == null ? \"null ext\" : \"ext\"}}]})}"}}}
}`}, "aws_iam_role.r", aws, []any{"null ext"}},
		{"concat, merge, flatten and tolist keep element positions and unknowns", map[string]string{"main.tf": `variable "more" {}
` + trustRole("r", `concat(["111111111111"], tolist([var.more]), flatten([["222222222222"]]))`)}, "aws_iam_role.r", aws, []any{"111111111111", unknown("var.more"), "222222222222"}},
		{"concat with an unknown list is unknown", map[string]string{"main.tf": `variable "more" {}
` + trustRole("r", `concat(["111111111111"], var.more)`)}, "aws_iam_role.r", aws, unknown(`concat(["111111111111"], var.more)`)},
		{"for_each: each.key and each.value", map[string]string{"main.tf": `resource "aws_iam_role" "r" {
  for_each = { a = "111111111111", b = "222222222222" }
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::${each.value}:root" }, Sid = each.key }] })
}`}, `aws_iam_role.r["b"]`, aws, []any{"arn:aws:iam::222222222222:root"}},
		{"for_each over a set", map[string]string{"main.tf": `resource "aws_iam_role" "r" {
  for_each = toset(["111111111111"])
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = each.value } }] })
}`}, `aws_iam_role.r["111111111111"]`, aws, []any{"111111111111"}},
		{"count.index", map[string]string{"main.tf": `variable "accts" { default = ["111111111111", "222222222222"] }
resource "aws_iam_role" "r" {
  count = length(var.accts)
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = var.accts[count.index] } }] })
}`}, "aws_iam_role.r[1]", aws, []any{"222222222222"}},
		{"unknown count: one instance, count.index unknown", map[string]string{"main.tf": `variable "n" {}
variable "accts" { default = ["111111111111"] }
resource "aws_iam_role" "r" {
  count = var.n
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = [var.accts[count.index], "222222222222"] } }] })
}`}, "aws_iam_role.r", aws, []any{unknown("var.accts[count.index]"), "222222222222"}},
		{"indexed data source", map[string]string{"main.tf": `variable "accts" { default = ["111111111111", "222222222222"] }
data "aws_iam_policy_document" "t" {
  count = length(var.accts)
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.accts[count.index]}:root"]
    }
  }
}
resource "aws_iam_role" "r" {
  count              = length(var.accts)
  assume_role_policy = data.aws_iam_policy_document.t[count.index].json
}`}, "aws_iam_role.r[1]", aws, []any{"arn:aws:iam::222222222222:root"}},
		{"data source by for_each key, one() of a splat", map[string]string{"main.tf": `data "aws_iam_policy_document" "t" {
  for_each = { ci = "111111111111" }
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [each.value]
    }
  }
}
data "aws_iam_policy_document" "one" {
  count = 1
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["333333333333"]
    }
  }
}
resource "aws_iam_role" "r" {
  for_each           = toset(["ci"])
  assume_role_policy = data.aws_iam_policy_document.t[each.key].json
}
resource "aws_iam_role" "s" {
  assume_role_policy = one(data.aws_iam_policy_document.one[*].json)
}`}, `aws_iam_role.r["ci"]`, aws, []any{"111111111111"}},
		{"module output unknown", map[string]string{"main.tf": `module "x" { source = "./x" }
` + trustRole("r", `module.x.account_arn`), "x/outputs.tf": "variable \"a\" {}\noutput \"account_arn\" { value = var.a }\n"}, "aws_iam_role.r", aws, unknown("module.x.account_arn")},
		{"conditional with known condition", map[string]string{"main.tf": `variable "prod" { default = true }
variable "other" {}
` + trustRole("r", `var.prod ? ["111111111111"] : var.other`)}, "aws_iam_role.r", aws, []any{"111111111111"}},
		{"conditional with unknown condition", map[string]string{"main.tf": `variable "prod" {}
` + trustRole("r", `var.prod ? "111111111111" : "222222222222"`)}, "aws_iam_role.r", aws, unknown(`var.prod ? "111111111111" : "222222222222"`)},
		{"own account", map[string]string{"main.tf": `data "aws_caller_identity" "me" {}
` + trustRole("r", `["arn:aws:iam::${data.aws_caller_identity.me.account_id}:root", data.aws_caller_identity.me.account_id]`)}, "aws_iam_role.r", aws, []any{"arn:aws:iam::<own-account>:root", "<own-account>"}},
		{"unknown data source", map[string]string{"main.tf": `data "aws_region" "p" {}
` + trustRole("r", `"arn:aws:iam::111111111111:role/${data.aws_region.p.name}"`)}, "aws_iam_role.r", aws, []any{unknown("arn:aws:iam::111111111111:role/${data.aws_region.p.name}")}},
		{"unknown function", map[string]string{"main.tf": trustRole("r", `nosuchfunction("x")`)}, "aws_iam_role.r", aws, unknown(`nosuchfunction("x")`)},
		{"jsondecode of a file inside jsonencode", map[string]string{
			"main.tf":    `resource "aws_iam_role" "r" { assume_role_policy = jsonencode({ Statement = jsondecode(file("stmts.json")) }) }`,
			"stmts.json": `[{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "111111111111"}}]`,
		}, "aws_iam_role.r", aws, []any{"111111111111"}},
		{"heredoc that is one unknown interpolation", map[string]string{"main.tf": `variable "doc" {}
resource "aws_iam_role" "r" {
  assume_role_policy = <<EOF
${var.doc}
EOF
}`}, "aws_iam_role.r", nil, unknown("var.doc")},
		{"interpolated list outside a JSON string", map[string]string{"main.tf": `variable "accts" {}
resource "aws_iam_role" "r" {
  assume_role_policy = <<EOF
{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": ${jsonencode(var.accts)}}}]}
EOF
}`}, "aws_iam_role.r", aws, unknown("jsonencode(var.accts)")},
		{"interpolated known list outside a JSON string", map[string]string{"main.tf": `variable "accts" { default = ["111111111111"] }
resource "aws_iam_role" "r" {
  assume_role_policy = <<EOF
{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": ${jsonencode(var.accts)}}}]}
EOF
}`}, "aws_iam_role.r", aws, []any{"111111111111"}},
		{"empty string policy", map[string]string{"main.tf": `resource "aws_iam_role" "r" { assume_role_policy = "" }`}, "aws_iam_role.r", nil, ""},
		{"policy that is not JSON", map[string]string{"main.tf": `resource "aws_iam_role" "r" { assume_role_policy = "not json" }`}, "aws_iam_role.r", nil, "not json"},
		{"dynamic statement", map[string]string{"main.tf": `variable "s" { default = [] }
data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = var.s
    content {
      actions = ["sts:AssumeRole"]
    }
  }
}
resource "aws_iam_role" "r" { assume_role_policy = data.aws_iam_policy_document.d.json }`}, "aws_iam_role.r", []any{"Statement"}, []any{}},
		{"dynamic statement over an unknown collection", map[string]string{"main.tf": `variable "s" {}
data "aws_iam_policy_document" "d" {
  statement {
    actions = ["sts:AssumeRole"]
  }
  dynamic "statement" {
    for_each = var.s
    content {
      actions = ["sts:AssumeRole"]
    }
  }
}
resource "aws_iam_role" "r" { assume_role_policy = data.aws_iam_policy_document.d.json }`}, "aws_iam_role.r", []any{"Statement", 1}, unknown("var.s")},
		{"dynamic statements and principals expanded, iterator named", map[string]string{"main.tf": `variable "trusts" {
  default = {
    ci  = { accounts = ["111111111111", "222222222222"], actions = ["sts:AssumeRole"] }
    ops = { accounts = ["333333333333"], actions = ["sts:AssumeRole", "sts:TagSession"] }
  }
}
data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = var.trusts
    iterator = t
    content {
      sid     = t.key
      actions = t.value.actions
      dynamic "principals" {
        for_each = t.value.accounts
        content {
          type        = "AWS"
          identifiers = ["arn:aws:iam::${principals.value}:root"]
        }
      }
      principals {
        type        = "Service"
        identifiers = ["ec2.amazonaws.com"]
      }
    }
  }
}
resource "aws_iam_role" "r" { assume_role_policy = data.aws_iam_policy_document.d.json }`}, "aws_iam_role.r", []any{"Statement"}, []any{
			map[string]any{"Sid": "ci", "Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{
				"AWS": []any{"arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"}, "Service": []any{"ec2.amazonaws.com"}}},
			map[string]any{"Sid": "ops", "Effect": "Allow", "Action": []any{"sts:AssumeRole", "sts:TagSession"}, "Principal": map[string]any{
				"AWS": []any{"arn:aws:iam::333333333333:root"}, "Service": []any{"ec2.amazonaws.com"}}},
		}},
		{"unknown dynamic principals and condition beside static principals", map[string]string{"main.tf": `variable "p" {}
data "aws_iam_policy_document" "d" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["444444444444"]
    }
    dynamic "principals" {
      for_each = var.p
      content {
        type        = "AWS"
        identifiers = [principals.value]
      }
    }
    dynamic "condition" {
      for_each = var.p
      content {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = ["x"]
      }
    }
  }
}
resource "aws_iam_role" "r" { assume_role_policy = data.aws_iam_policy_document.d.json }`}, "aws_iam_role.r", []any{"Statement", 0}, map[string]any{
			"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"AWS": []any{"444444444444"}, "${var.p}": unknown("var.p")},
			"Condition": map[string]any{"${var.p}": unknown("var.p")},
		}},
		{"data source: wildcard type, merged principals and conditions, Deny and not_ elements", map[string]string{"main.tf": `data "aws_iam_policy_document" "d" {
  version   = "2008-10-17"
  policy_id = "trust"
  statement {
    sid    = "Public"
    effect = "Deny"
    not_actions = ["sts:TagSession"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  statement {
    actions = ["sts:AssumeRole"]
    not_principals {
      type        = "AWS"
      identifiers = ["111111111111"]
    }
    principals {
      type        = "AWS"
      identifiers = ["222222222222"]
    }
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
    principals {
      type        = "AWS"
      identifiers = ["333333333333"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-1"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-2"]
    }
    condition {
      test     = "StringLike"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::*:role/x"]
    }
  }
}
resource "aws_iam_role" "r" { assume_role_policy = data.aws_iam_policy_document.d.json }`}, "aws_iam_role.r", nil, map[string]any{
			"Version": "2008-10-17",
			"Id":      "trust",
			"Statement": []any{
				map[string]any{"Sid": "Public", "Effect": "Deny", "NotAction": []any{"sts:TagSession"}, "Principal": map[string]any{"AWS": []any{"*"}}},
				map[string]any{
					"Effect": "Allow", "Action": []any{"sts:AssumeRole"},
					"NotPrincipal": map[string]any{"AWS": []any{"111111111111"}},
					"Principal":    map[string]any{"AWS": []any{"222222222222", "333333333333"}, "Service": []any{"ec2.amazonaws.com"}},
					"Condition": map[string]any{
						"StringEquals": map[string]any{"aws:PrincipalOrgID": []any{"o-1", "o-2"}},
						"StringLike":   map[string]any{"aws:PrincipalArn": []any{"arn:aws:iam::*:role/x"}},
					},
				},
			},
		}},
		{"data source with count, referenced with an index", map[string]string{"main.tf": `data "aws_iam_policy_document" "d" {
  count = 1
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["111111111111"]
    }
  }
}
resource "aws_iam_role" "r" { assume_role_policy = data.aws_iam_policy_document.d[0].json }`}, "aws_iam_role.r", aws, []any{"111111111111"}},
		{"missing data source", map[string]string{"main.tf": `resource "aws_iam_role" "r" { assume_role_policy = data.aws_iam_policy_document.nope.json }`}, "aws_iam_role.r", nil, unknown("data.aws_iam_policy_document.nope.json")},
		{"data source including itself", map[string]string{"main.tf": `data "aws_iam_policy_document" "d" {
  source_policy_documents = [data.aws_iam_policy_document.d.json]
}
resource "aws_iam_role" "r" { assume_role_policy = data.aws_iam_policy_document.d.json }`}, "aws_iam_role.r", []any{"Statement", 0}, unknown("data.aws_iam_policy_document.d.json")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roles, _, diags := parseFS(t, filesFS(tt.files))
			if len(diags) > 0 {
				t.Fatalf("diagnostics:\n%s", messages(diags))
			}
			r := roles[tt.role]
			if r == nil {
				t.Fatalf("no role %s in %v", tt.role, roles)
			}
			got := at(r.Policy, tt.path...)
			if !reflect.DeepEqual(got, tt.want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(tt.want)
				t.Errorf("policy at %v:\ngot  %s\nwant %s", tt.path, g, w)
			}
		})
	}
}

// TestMerging checks source_policy_documents and override_policy_documents
// as the AWS provider merges them: sources first, then the block's own
// statements replacing those with the same Sid, then each override in turn.
func TestMerging(t *testing.T) {
	files := map[string]string{"main.tf": `variable "unknown_doc" {}
data "aws_iam_policy_document" "src" {
  statement {
    sid     = "Vendor"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["111111111111"]
    }
  }
  statement {
    sid     = "Other"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["222222222222"]
    }
  }
}
data "aws_iam_policy_document" "main" {
  source_policy_documents   = [data.aws_iam_policy_document.src.json]
  override_policy_documents = [jsonencode({ Statement = [{ Sid = "Other", Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "444444444444" } }] })]
  statement {
    sid     = "Vendor"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["333333333333"]
    }
  }
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["555555555555"]
    }
  }
}
data "aws_iam_policy_document" "unknown_source" {
  source_policy_documents = [var.unknown_doc]
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["666666666666"]
    }
  }
}
data "aws_iam_policy_document" "unknown_override" {
  override_policy_documents = [var.unknown_doc]
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["777777777777"]
    }
  }
}
resource "aws_iam_role" "main" { assume_role_policy = data.aws_iam_policy_document.main.json }
resource "aws_iam_role" "us" { assume_role_policy = data.aws_iam_policy_document.unknown_source.json }
resource "aws_iam_role" "uo" { assume_role_policy = data.aws_iam_policy_document.unknown_override.json }
`}
	roles, _, diags := parseFS(t, filesFS(files))
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", messages(diags))
	}
	principals := func(name string) []any {
		var out []any
		st, _ := at(roles[name].Policy, "Statement").([]any)
		for i := range st {
			if model.IsUnknown(st[i]) {
				out = append(out, st[i])
				continue
			}
			out = append(out, at(st[i], "Principal", "AWS", 0))
		}
		return out
	}
	tests := []struct {
		role string
		want any
	}{
		// Vendor (from the source) replaced by the block's Vendor, Other
		// replaced by the override, the block's unnamed statement appended.
		{"aws_iam_role.main", []any{"333333333333", "444444444444", "555555555555"}},
		{"aws_iam_role.us", []any{model.Unknown("var.unknown_doc"), "666666666666"}},
	}
	for _, tt := range tests {
		if got := principals(tt.role); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v want %v", tt.role, got, tt.want)
		}
	}
	// An unknown override may replace statements with a Sid and add
	// statements: the statement without a Sid stays.
	if got := principals("aws_iam_role.uo"); !reflect.DeepEqual(got, []any{"777777777777", model.Unknown("var.unknown_doc")}) {
		t.Errorf("unknown override: got %v", got)
	}
	// The statement that came from the source document points into it.
	r := roles["aws_iam_role.main"]
	if got := span(r.Source.ValueMap()["policy.Statement[1].Principal.AWS[0]"]); got != "m/main.tf:22:140-22:154" {
		t.Errorf("override statement principal at %s", got)
	}
}

func TestRoleAttributes(t *testing.T) {
	files := map[string]string{
		"main.tf": `variable "d" { default = 7200 }
variable "t" {}
variable "u" {}
locals { d = 10800 }
resource "aws_iam_role" "literal" {
  name                 = "deploy"
  path                 = "/ci/"
  max_session_duration = 43200
  assume_role_policy   = "{}"
}
resource "aws_iam_role" "var" {
  max_session_duration = var.d
  assume_role_policy   = "{}"
}
resource "aws_iam_role" "tfvars" {
  max_session_duration = var.t
  assume_role_policy   = "{}"
}
resource "aws_iam_role" "local" {
  max_session_duration = local.d
  assume_role_policy   = "{}"
}
resource "aws_iam_role" "quoted" {
  max_session_duration = "7200"
  assume_role_policy   = "{}"
}
resource "aws_iam_role" "unknown" {
  name                 = "x-${var.u}"
  max_session_duration = var.u
  assume_role_policy   = "{}"
}
resource "aws_iam_role" "none" {
}
resource "aws_iam_role" "null" {
  assume_role_policy = null
}
`,
		"terraform.tfvars": "t = 14400\n",
	}
	roles, order, diags := parseFS(t, filesFS(files))
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", messages(diags))
	}
	wantOrder := []string{"aws_iam_role.literal", "aws_iam_role.var", "aws_iam_role.tfvars", "aws_iam_role.local", "aws_iam_role.quoted", "aws_iam_role.unknown", "aws_iam_role.none", "aws_iam_role.null"}
	if !reflect.DeepEqual(order, wantOrder) {
		t.Errorf("order %v, want %v", order, wantOrder)
	}
	tests := []struct {
		role     string
		duration any
		span     string
	}{
		{"aws_iam_role.literal", 43200.0, "m/main.tf:8:3-8:31"},
		{"aws_iam_role.var", 7200.0, "m/main.tf:12:3-12:31"},
		{"aws_iam_role.tfvars", 14400.0, "m/main.tf:16:3-16:31"},
		{"aws_iam_role.local", 10800.0, "m/main.tf:20:3-20:33"},
		{"aws_iam_role.quoted", "7200", "m/main.tf:24:3-24:32"},
		{"aws_iam_role.unknown", model.Unknown("var.u"), "m/main.tf:29:3-29:31"},
		{"aws_iam_role.none", nil, ""},
	}
	for _, tt := range tests {
		r := roles[tt.role]
		if !reflect.DeepEqual(r.MaxSessionDuration, tt.duration) {
			t.Errorf("%s: MaxSessionDuration %#v, want %#v", tt.role, r.MaxSessionDuration, tt.duration)
		}
		if tt.span != "" {
			if got := span(r.Locate(model.Path{"role", "MaxSessionDuration"}, false)); got != tt.span {
				t.Errorf("%s: MaxSessionDuration at %s, want %s", tt.role, got, tt.span)
			}
		}
	}
	lit := roles["aws_iam_role.literal"]
	if lit.RoleName != "deploy" || lit.IAMPath != "/ci/" || lit.Format != model.FormatTerraform || lit.File != "m/main.tf" || !lit.HasPolicy {
		t.Errorf("literal role: %+v", lit)
	}
	if got := span(lit.Locate(model.Path{"role", "MaxSessionDuration"}, true)); got != "m/main.tf:8:3-8:23" {
		t.Errorf("MaxSessionDuration key at %s", got)
	}
	if r := roles["aws_iam_role.unknown"]; r.RoleName != "" {
		t.Errorf("unknown name read as %q", r.RoleName)
	}
	for _, name := range []string{"aws_iam_role.none", "aws_iam_role.null"} {
		if r := roles[name]; r.HasPolicy || r.Policy != nil {
			t.Errorf("%s: HasPolicy %v, Policy %v", name, r.HasPolicy, r.Policy)
		}
	}
	none := roles["aws_iam_role.none"]
	if got := span(none.Locate(model.Path{"role"}, false)); got != "m/main.tf:32:1-33:2" {
		t.Errorf("role range %s", got)
	}
}

func TestOwnAccount(t *testing.T) {
	files := map[string]string{"main.tf": `data "aws_caller_identity" "current" {}
` + trustRole("uses", `"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"`) +
		trustRole("other", `"111111111111"`)}
	roles, _, _ := parseFS(t, filesFS(files))
	if got := roles["aws_iam_role.uses"].OwnAccount; got != model.OwnAccountToken {
		t.Errorf("own account %q, want the token", got)
	}
	if got := roles["aws_iam_role.other"].OwnAccount; got != "" {
		t.Errorf("own account of a role that does not use it: %q", got)
	}
}

func TestProviders(t *testing.T) {
	files := map[string]string{"main.tf": `variable "issuer" {}
resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
}
resource "aws_iam_openid_connect_provider" "eks" {
  url = var.issuer
}
resource "aws_iam_openid_connect_provider" "counted" {
  count = 1
  url   = "https://oidc.example.com"
}
resource "aws_iam_openid_connect_provider" "keyed" {
  for_each = { gitlab = "https://gitlab.example.com" }
  url      = each.value
}
data "aws_iam_openid_connect_provider" "existing" {
  url = "https://token.actions.githubusercontent.com"
}
data "aws_iam_openid_connect_provider" "unknown_url" {
  url = var.issuer
}
data "aws_iam_saml_provider" "existing" {
  arn = "arn:aws:iam::111122223333:saml-provider/adfs"
}
locals {
  chosen = length(aws_iam_openid_connect_provider.counted) > 0 ? aws_iam_openid_connect_provider.counted[0].arn : "none"
}
resource "aws_iam_saml_provider" "okta" {
  name                   = "okta"
  saml_metadata_document = "x"
}
resource "aws_iam_saml_provider" "unnamed" {
  name = var.issuer
}
resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = [
        aws_iam_openid_connect_provider.github.arn,
        aws_iam_openid_connect_provider.eks.arn,
        aws_iam_openid_connect_provider.counted[0].arn,
        aws_iam_saml_provider.okta.arn,
        aws_iam_saml_provider.unnamed.arn,
        "${aws_iam_openid_connect_provider.github.url}",
        one(aws_iam_openid_connect_provider.counted[*].arn),
        local.chosen,
        aws_iam_openid_connect_provider.keyed["gitlab"].arn,
        data.aws_iam_openid_connect_provider.existing.arn,
        data.aws_iam_openid_connect_provider.unknown_url.arn,
        data.aws_iam_saml_provider.existing.arn,
      ] }
      Condition = { StringEquals = {
        "${aws_iam_openid_connect_provider.github.url}:sub"                      = "repo:o/r:ref:refs/heads/main"
        "${aws_iam_openid_connect_provider.eks.url}:sub"                         = "system:serviceaccount:ns:sa"
        "${replace(aws_iam_openid_connect_provider.eks.url, "https://", "")}:aud" = "sts.amazonaws.com"
      } }
    }]
  })
}
`}
	roles, _, diags := parseFS(t, filesFS(files))
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", messages(diags))
	}
	r := roles["aws_iam_role.r"]
	wantFederated := []any{
		"arn:aws:iam::<own-account>:oidc-provider/token.actions.githubusercontent.com",
		model.Unknown("arn:aws:iam::<own-account>:oidc-provider/${aws_iam_openid_connect_provider.eks.url}"),
		"arn:aws:iam::<own-account>:oidc-provider/oidc.example.com",
		"arn:aws:iam::<own-account>:saml-provider/okta",
		model.Unknown("arn:aws:iam::<own-account>:saml-provider/${aws_iam_saml_provider.unnamed.name}"),
		"token.actions.githubusercontent.com",
		"arn:aws:iam::<own-account>:oidc-provider/oidc.example.com",
		"arn:aws:iam::<own-account>:oidc-provider/oidc.example.com",
		"arn:aws:iam::<own-account>:oidc-provider/gitlab.example.com",
		"arn:aws:iam::<own-account>:oidc-provider/token.actions.githubusercontent.com",
		model.Unknown("data.aws_iam_openid_connect_provider.unknown_url.arn"),
		"arn:aws:iam::111122223333:saml-provider/adfs",
	}
	if got := at(r.Policy, "Statement", 0, "Principal", "Federated"); !reflect.DeepEqual(got, wantFederated) {
		t.Errorf("Federated:\ngot  %#v\nwant %#v", got, wantFederated)
	}
	wantCond := map[string]any{
		"token.actions.githubusercontent.com:sub":        []any{"repo:o/r:ref:refs/heads/main"},
		"${aws_iam_openid_connect_provider.eks.url}:sub": []any{"system:serviceaccount:ns:sa"},
		"${aws_iam_openid_connect_provider.eks.url}:aud": []any{"sts.amazonaws.com"},
	}
	if got := at(r.Policy, "Statement", 0, "Condition", "StringEquals"); !reflect.DeepEqual(got, wantCond) {
		t.Errorf("Condition:\ngot  %#v\nwant %#v", got, wantCond)
	}
	if r.OwnAccount != model.OwnAccountToken {
		t.Errorf("own account %q", r.OwnAccount)
	}
}

// TestNodeBudget checks that references which each double a list do not
// make a policy exponentially large: past the budget, values are unknown.
func TestNodeBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("locals {\n  l0 = [\"111111111111\"]\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "  l%d = [local.l%d, local.l%d]\n", i, i-1, i-1)
	}
	b.WriteString("}\n" + trustRole("r", "local.l40"))
	roles, _, _ := parseFS(t, filesFS(map[string]string{"main.tf": b.String()}))
	r := roles["aws_iam_role.r"]
	if r == nil || len(r.Source.ValueMap()) > 2*maxNodes {
		t.Fatalf("role %v", r)
	}
}
