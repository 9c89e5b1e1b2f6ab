package terraform

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/trustlint/trustlint/model"
)

// TestNesting checks that input nested deeper than hclsyntax can take is
// refused with a diagnostic at the place, in every kind of HCL input, and
// that the other files of the module are still analyzed.
func TestNesting(t *testing.T) {
	deep := strings.Repeat("(", 200_000) + "1" + strings.Repeat(")", 200_000)
	tests := []struct {
		name, file, src, want string
	}{
		{"configuration", "deep.tf", "locals {\n  x = " + deep + "\n}\n", "m/deep.tf:2:"},
		{"tfvars", "terraform.tfvars", "x = " + deep + "\n", "m/terraform.tfvars:1:"},
		{"json string", "deep.tf.json", `{"locals": {"x": "${` + deep + `}"}}`, "m/deep.tf.json:1:"},
		{"template", "t.tpl", "%{ if " + deep + " }x%{ endif }", "m/t.tpl:1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRefused(t, tt.file, tt.src, tt.want, "nesting deeper than 256 levels") })
	}
}

// checkRefused parses a module of file (with content src) beside a
// main.tf whose role t reads template t.tpl, and checks that the
// diagnostics say msg at want (file:line:) and that the role of main.tf is
// still analyzed.
func checkRefused(t *testing.T, file, src, want, msg string) {
	t.Helper()
	files := map[string]string{
		file:      src,
		"main.tf": `variable "x" {}` + "\n" + trustRole("r", `"111111111111"`) + trustRole("t", `jsondecode(templatefile("t.tpl", {}))`),
	}
	roles, _, diags := parseFS(t, filesFS(files))
	if roles["aws_iam_role.r"] == nil {
		t.Error("the role of the other file is lost")
	}
	msgs := messages(diags)
	if !strings.Contains(msgs, want) || !strings.Contains(msgs, msg) {
		t.Errorf("diagnostics:\n%.2000s\nwant %q at %s", msgs, msg, want)
	}
}

// TestBudget checks that expressions that would build huge values or run
// for long are unknown, with a note, in bounded time, and that the known
// principals beside them stay.
func TestBudget(t *testing.T) {
	var doubling strings.Builder
	doubling.WriteString("locals {\n  l0 = [\"111111111111\"]\n  s0 = \"x\"\n")
	for i := 1; i <= 64; i++ {
		fmt.Fprintf(&doubling, "  l%d = concat(local.l%d, local.l%d)\n  s%d = \"${local.s%d}${local.s%d}\"\n", i, i-1, i-1, i, i-1, i-1)
	}
	doubling.WriteString("}\n")
	tests := []struct {
		name, src, principal, note string
	}{
		{"doubling lists", doubling.String(), "local.l64", "the result of concat would be too large"},
		{"doubling strings", doubling.String(), "local.s64", "value too large"},
		{"range", "", `range(100000000)`, "the result of range would be too large"},
		{"setproduct", `locals { l = range(100) }`, `setproduct(local.l, local.l, local.l)`, "the result of setproduct would be too large"},
		{"format width", "", `format("%999999999d", 1)`, "the result of format would be too large"},
		{"indent", "", `indent(100000000, "a\nb")`, "the result of indent would be too large"},
		{"nested for", `locals { l = range(1000) }`, `[for a in local.l : [for b in local.l : [for c in local.l : c]]]`, "evaluation steps"},
		{"join", `locals {
  big = "${local.s}${local.s}${local.s}${local.s}${local.s}${local.s}${local.s}${local.s}"
  s   = "0123456789012345678901234567890123456789"
}`, `join(",", [for i in range(1000) : "${local.big}${local.big}${local.big}${local.big}"])`, "the result of join would be too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			files := map[string]string{"main.tf": tt.src + "\n" + trustRole("r", `["222222222222", `+tt.principal+`]`)}
			roles, _, diags := parseFS(t, filesFS(files))
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
			r := roles["aws_iam_role.r"]
			if r == nil {
				t.Fatal("no role")
			}
			if got := at(r.Policy, append(aws, 0)...); got != "222222222222" {
				t.Errorf("known principal: %v", got)
			}
			if got, ok := at(r.Policy, append(aws, 1)...).(map[string]any); !ok || got[model.UnknownKey] == nil {
				t.Errorf("over-budget principal: %#v", at(r.Policy, append(aws, 1)...))
			}
			msgs := messages(diags)
			if !strings.Contains(msgs, tt.note) {
				t.Errorf("notes:\n%s\nwant %q", msgs, tt.note)
			}
			for _, d := range diags {
				if d.IsError() {
					t.Errorf("error, not a note: %s", d.Error())
				}
			}
		})
	}
}
