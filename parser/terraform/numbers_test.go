package terraform

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestHugeNumbers checks that numbers whose text would take seconds to
// write (1e8888880 has 8.9 million digits) or to read are unknown, with a
// note (an error for a file not read) at their place, while the known
// principal beside them and the role of another file stay: literals,
// arithmetic, function results and function arguments.
func TestHugeNumbers(t *testing.T) {
	var squares strings.Builder
	squares.WriteString("locals {\n  n0 = 1e300\n  t0 = 1e-300\n  d0 = 1e-300\n  d1 = local.d0 / 1e300\n  d2 = local.d1 / 1e300\n")
	for i := 1; i <= 6; i++ {
		// n2 = 1e1200, t2 = 1e-1200 and d2 = 1e-900 are the first
		// beyond 2^±2048.
		fmt.Fprintf(&squares, "  n%d = local.n%d * local.n%d\n  t%d = local.t%d * local.t%d\n", i, i-1, i-1, i, i-1, i-1)
	}
	squares.WriteString("}\n")
	const huge = "a number beyond 2^2048 or below 2^-2048 in magnitude: not evaluated (evaluation budget exceeded)"
	tests := []struct {
		name, src, principal string
		// The diagnostic: at the first occurrence of mark in main.tf
		// (plus skip columns), with message msg.
		mark string
		skip int
		msg  string
	}{
		{name: "literal in a template", principal: `"${1E8888880}"`, mark: "1E8888880", msg: huge},
		{name: "small literal", principal: `"${-1e-100000}"`, mark: "1e-100000", msg: huge},
		{name: "literal", principal: `1e8888880`, mark: "1e8888880", msg: huge},
		{name: "literal of a local", src: "locals {\n  n = 1e8888880\n}", principal: `"${local.n}"`, mark: "1e8888880", msg: huge},
		{name: "product", src: squares.String(), principal: `"${local.n6}"`, mark: "local.n1 * local.n1", msg: huge},
		{name: "small product", src: squares.String(), principal: `tostring(local.t6)`, mark: "local.t1 * local.t1", msg: huge},
		{name: "quotient", src: squares.String(), principal: `tostring(local.d2)`, mark: "local.d1 / 1e300", msg: huge},
		{name: "function result", principal: `tostring(tonumber("1e8888880"))`, mark: `tonumber(`,
			msg: "the result of tonumber is too large: not evaluated (evaluation budget exceeded)"},
		{name: "decoded", principal: `tostring(jsondecode("[1e-8888880]")[0])`, mark: `jsondecode(`,
			msg: "the result of jsondecode is too large: not evaluated (evaluation budget exceeded)"},
		{name: "long number text", principal: `tostring(parseint("` + strings.Repeat("1", 2000) + `", 10))`, mark: `parseint(`,
			msg: "the argument of parseint holds a number longer than 1024 characters: not evaluated (evaluation budget exceeded)"},
		{name: "long number in JSON", principal: `tostring(jsondecode("[` + strings.Repeat("1", 2000) + `]")[0])`, mark: `jsondecode(`,
			msg: "the argument of jsondecode holds a number longer than 1024 characters: not evaluated (evaluation budget exceeded)"},
		{name: "long literal", src: "locals {\n  n = " + strings.Repeat("9", 70_000) + "\n}", principal: `"${local.n}"`,
			mark: "999", skip: 65536, msg: "a number of more than 65536 digits; not read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			main := tt.src + "\n" + trustRole("r", `["222222222222", `+tt.principal+`]`)
			roles, _, diags := parseFS(t, filesFS(map[string]string{"main.tf": main, "other.tf": trustRole("o", `"333333333333"`)}))
			if r := roles["aws_iam_role.o"]; r == nil || at(r.Policy, append(aws, 0)...) != "333333333333" {
				t.Error("the role of the other file is lost")
			}
			checkDiag(t, diags, "main.tf", main, tt.mark, tt.skip, tt.msg)
			r := roles["aws_iam_role.r"]
			if strings.HasSuffix(tt.msg, "not read") {
				if r != nil {
					t.Error("a role from a file not read")
				}
				return
			}
			checkHugePrincipal(t, r)
		})
	}
}

// checkHugePrincipal checks that the first principal of r is the known
// one and the second unknown.
func checkHugePrincipal(t *testing.T, r *model.Role) {
	t.Helper()
	if r == nil {
		t.Fatal("no role")
	}
	if got := at(r.Policy, append(aws, 0)...); got != "222222222222" {
		t.Errorf("known principal: %v", got)
	}
	if got, ok := at(r.Policy, append(aws, 1)...).(map[string]any); !ok || got[model.UnknownKey] == nil {
		t.Errorf("huge principal: %#v", at(r.Policy, append(aws, 1)...))
	}
}

// checkDiag checks that diags hold exactly one diagnostic, msg, at the
// first occurrence of mark in src (plus skip columns); a note unless the
// file is not read.
func checkDiag(t *testing.T, diags []model.Diagnostic, file, src, mark string, skip int, msg string) {
	t.Helper()
	i := strings.Index(src, mark)
	if i < 0 {
		t.Fatalf("no %q in the source", mark)
	}
	line := strings.Count(src[:i], "\n") + 1
	col := i - strings.LastIndex(src[:i], "\n") + skip
	want := fmt.Sprintf("m/%s:%d:%d: %s", file, line, col, msg)
	if len(diags) != 1 || diags[0].Error() != want || diags[0].IsError() != strings.HasSuffix(msg, "not read") {
		t.Errorf("diagnostics:\n%s\nwant %s", messages(diags), want)
	}
}

// TestHugeNumbersJSON checks the numbers of .tf.json files.
func TestHugeNumbersJSON(t *testing.T) {
	const huge = "a number beyond 2^2048 or below 2^-2048 in magnitude: not evaluated (evaluation budget exceeded)"
	for _, n := range []string{"1e8888880", strings.Repeat("1", 2000)} {
		src := `{"locals": {"n": ` + n + `}, "resource": {"aws_iam_role": {"r": {"assume_role_policy": "${jsonencode({Statement = [{Principal = {AWS = [\"222222222222\", local.n]}}]})}"}}}}`
		roles, _, diags := parseFS(t, filesFS(map[string]string{"main.tf.json": src}))
		checkDiag(t, diags, "main.tf.json", src, n, 0, huge)
		checkHugePrincipal(t, roles["aws_iam_role.r"])
	}
}
