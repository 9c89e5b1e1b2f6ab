package terraform

import (
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestInstances checks which roles count and for_each give, and the notes
// for the instances that are not analyzed.
func TestInstances(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		roles []string // in emission order
		notes string
	}{
		{"count = 0 gives no role", `resource "aws_iam_role" "r" {
  count              = 0
  assume_role_policy = "{}"
}`, nil, ""},
		{"count from a conditional", `variable "enabled" { default = true }
resource "aws_iam_role" "r" {
  count              = var.enabled ? 2 : 0
  assume_role_policy = "{}"
}`, []string{"aws_iam_role.r[0]", "aws_iam_role.r[1]"}, ""},
		{"for_each in key order", `resource "aws_iam_role" "r" {
  for_each           = { b = 1, a = 2 }
  assume_role_policy = "{}"
}`, []string{`aws_iam_role.r["a"]`, `aws_iam_role.r["b"]`}, ""},
		{"unknown for_each: none, with a note", `variable "m" {}
resource "aws_iam_role" "r" {
  for_each           = var.m
  assume_role_policy = "{}"
}`, nil, "m/main.tf:3:24: for_each of aws_iam_role.r is not known statically: its instances are not analyzed\n"},
		{"for_each over a list: none, with a note", `resource "aws_iam_role" "r" {
  for_each           = ["a"]
  assume_role_policy = "{}"
}`, nil, "m/main.tf:2:24: for_each of aws_iam_role.r is not a map or a set of strings: its instances are not analyzed\n"},
		{"huge count is cut", `resource "aws_iam_role" "r" {
  count              = 100000000
  assume_role_policy = "{}"
}`, nil, "m/main.tf:2:24: count of aws_iam_role.r is 100000000: only the first 1000 instances are analyzed\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, order, diags := parseFS(t, filesFS(map[string]string{"main.tf": tt.src}))
			if tt.roles == nil && strings.Contains(tt.name, "huge") {
				if len(order) != maxInstances {
					t.Errorf("got %d roles, want %d", len(order), maxInstances)
				}
			} else if !reflect.DeepEqual(order, tt.roles) {
				t.Errorf("roles %q, want %q", order, tt.roles)
			}
			for _, d := range diags {
				if d.Level != model.DiagNote {
					t.Errorf("not a note: %s", d.Error())
				}
			}
			if got := messages(diags); got != tt.notes {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, tt.notes)
			}
		})
	}
}

// TestDocumentInstances checks references to instances of policy
// documents: one() of a splat, a splat merged as source documents, an
// element of a splat, and a reference to an instance that does not exist.
func TestDocumentInstances(t *testing.T) {
	src := `variable "accts" { default = ["111111111111", "222222222222"] }
data "aws_iam_policy_document" "t" {
  count = length(var.accts)
  statement {
    sid     = "A${count.index}"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [var.accts[count.index]]
    }
  }
}
resource "aws_iam_role" "merged" {
  assume_role_policy = data.aws_iam_policy_document.all.json
}
data "aws_iam_policy_document" "all" {
  source_policy_documents = data.aws_iam_policy_document.t[*].json
}
resource "aws_iam_role" "second" {
  assume_role_policy = element(data.aws_iam_policy_document.t.*.json, 1)
}
resource "aws_iam_role" "missing" {
  assume_role_policy = data.aws_iam_policy_document.t[5].json
}
`
	roles, _, diags := parseFS(t, filesFS(map[string]string{"main.tf": src}))
	if len(diags) != 0 {
		t.Errorf("diagnostics:\n%s", messages(diags))
	}
	ids := func(name string) any {
		r := roles[name]
		if r == nil {
			return "no role " + name
		}
		var out []any
		for i := range 3 {
			if p := at(r.Policy, "Statement", i, "Principal", "AWS", 0); p != "<no element>" {
				out = append(out, p)
			}
		}
		return out
	}
	if got := ids("aws_iam_role.merged"); !reflect.DeepEqual(got, []any{"111111111111", "222222222222"}) {
		t.Errorf("merged: %v", got)
	}
	if got := ids("aws_iam_role.second"); !reflect.DeepEqual(got, []any{"222222222222"}) {
		t.Errorf("second: %v", got)
	}
	if got := at(roles["aws_iam_role.missing"].Policy); !reflect.DeepEqual(got, model.Unknown("data.aws_iam_policy_document.t[5].json")) {
		t.Errorf("missing: %#v", got)
	}
}
