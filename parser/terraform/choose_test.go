package terraform

import (
	"reflect"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// try() and coalesce() pick the document Terraform would return; join()
// of the splat of a document with count 1 is that document; what depends
// on an unknown stays unknown.
func TestChosenDocument(t *testing.T) {
	src := `variable "custom" { default = "" }
variable "unset" {}
variable "mfa" { default = false }
data "aws_iam_policy_document" "with_mfa" {
  count = var.mfa ? 1 : 0
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["111111111111"]
    }
  }
}
data "aws_iam_policy_document" "plain" {
  count = var.mfa ? 0 : 1
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["222222222222"]
    }
  }
}
data "aws_iam_policy_document" "keyed" {
  for_each = toset(["a"])
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["333333333333"]
    }
  }
}
resource "aws_iam_role" "coalesce" {
  assume_role_policy = coalesce(
    var.custom,
    try(data.aws_iam_policy_document.with_mfa[0].json, ""),
    try(data.aws_iam_policy_document.plain[0].json, ""),
  )
}
resource "aws_iam_role" "try_key" {
  assume_role_policy = try(data.aws_iam_policy_document.keyed["b"].json, data.aws_iam_policy_document.keyed["a"].json)
}
resource "aws_iam_role" "try_unindexed" {
  assume_role_policy = try(data.aws_iam_policy_document.plain.json, data.aws_iam_policy_document.plain[0].json)
}
resource "aws_iam_role" "join" {
  assume_role_policy = join("", data.aws_iam_policy_document.plain.*.json)
}
resource "aws_iam_role" "unknown_first" {
  assume_role_policy = coalesce(var.unset, data.aws_iam_policy_document.plain[0].json)
}
resource "aws_iam_role" "custom_wins" {
  assume_role_policy = coalesce("{\"Statement\": []}", data.aws_iam_policy_document.plain[0].json)
}
`
	roles, _, diags := parseFS(t, filesFS(map[string]string{"main.tf": src}))
	if len(diags) != 0 {
		t.Errorf("diagnostics:\n%s", messages(diags))
	}
	principal := func(name string) any {
		r := roles[name]
		if r == nil {
			return "no role " + name
		}
		if model.IsUnknown(r.Policy) {
			return r.Policy
		}
		return at(r.Policy, "Statement", 0, "Principal", "AWS", 0)
	}
	tests := []struct {
		role string
		want any
	}{
		{"aws_iam_role.coalesce", "222222222222"},
		{"aws_iam_role.try_key", "333333333333"},
		{"aws_iam_role.try_unindexed", "222222222222"},
		{"aws_iam_role.join", "222222222222"},
		{"aws_iam_role.unknown_first", model.Unknown(`coalesce(var.unset, data.aws_iam_policy_document.plain[0].json)`)},
		{"aws_iam_role.custom_wins", "<no element>"},
	}
	for _, tt := range tests {
		if got := principal(tt.role); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.role, got, tt.want)
		}
	}
}
