package audit

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

func TestGlob(t *testing.T) {
	tests := []struct {
		p, s string
		fold bool
		want bool
	}{
		{"*", "sts:AssumeRole", true, true},
		{"sts:*", "sts:AssumeRole", true, true},
		{"STS:assume*", "sts:AssumeRole", true, true},
		{"STS:assume*", "sts:AssumeRole", false, false},
		{"sts:AssumeRole?", "sts:AssumeRole", true, false},
		{"sts:Assume?ole", "sts:AssumeRole", true, true},
		{"iam:*", "sts:AssumeRole", true, false},
		{"arn:aws:iam::1:role/dev-*", "arn:aws:iam::1:role/dev-sandbox", false, true},
		{"arn:aws:iam::1:role/dev-*", "arn:aws:iam::1:role/team/dev-sandbox", false, false},
		{"arn:aws:iam::*:role/*", "arn:aws:iam::1:role/a/b", false, true},
		{"arn:aws:iam::1:role/*-prod", "arn:aws:iam::1:role/deploy-prod", false, true},
		{"arn:aws:iam::1:role/*-prod", "arn:aws:iam::1:role/deploy-prod-old", false, false},
		{"a*b*c", "aXbYbZc", false, true},
		{"", "", false, true},
		{"", "x", false, false},
	}
	for _, tt := range tests {
		if got := Glob(tt.p, tt.s, tt.fold); got != tt.want {
			t.Errorf("Glob(%q, %q, %v) = %v, want %v", tt.p, tt.s, tt.fold, got, tt.want)
		}
	}
}

// TestActionStatements checks which statements of an identity policy
// apply to sts:AssumeRole on a role ARN: Action and NotAction wildcards,
// Resource and NotResource, policy variables, and Deny.
func TestActionStatements(t *testing.T) {
	const role = "arn:aws:iam::111122223333:role/ops/deploy"
	tests := []struct {
		name string
		doc  string
		// want is, per statement kept, "allow" or "deny" when it matches
		// role and "-" when it does not.
		want []string
	}{
		{"action wildcard", `{"Statement":[{"Effect":"Allow","Action":["sts:Assume*"],"Resource":["*"]}]}`, []string{"allow"}},
		{"other action", `{"Statement":[{"Effect":"Allow","Action":["sts:GetCallerIdentity"],"Resource":["*"]}]}`, nil},
		{"not action excluding sts", `{"Statement":[{"Effect":"Allow","NotAction":["sts:*"],"Resource":["*"]}]}`, nil},
		{"not action excluding iam", `{"Statement":[{"Effect":"Allow","NotAction":["iam:*"],"Resource":["*"]}]}`, []string{"allow"}},
		{"resource path wildcard", `{"Statement":[{"Effect":"Allow","Action":["sts:AssumeRole"],"Resource":["arn:aws:iam::111122223333:role/ops/*"]}]}`, []string{"allow"}},
		{"resource other role", `{"Statement":[{"Effect":"Allow","Action":["sts:AssumeRole"],"Resource":["arn:aws:iam::111122223333:role/deploy"]}]}`, []string{"-"}},
		{"not resource excluding it", `{"Statement":[{"Effect":"Allow","Action":["sts:AssumeRole"],"NotResource":["arn:aws:iam::111122223333:role/ops/*"]}]}`, []string{"-"}},
		{"not resource excluding others", `{"Statement":[{"Effect":"Allow","Action":["sts:AssumeRole"],"NotResource":["arn:aws:iam::111122223333:role/admin"]}]}`, []string{"allow"}},
		{"policy variable", `{"Statement":[{"Effect":"Allow","Action":["sts:AssumeRole"],"Resource":["arn:aws:iam::111122223333:role/${aws:username}/*"]}]}`, []string{"allow"}},
		{"deny", `{"Statement":[{"Effect":"Allow","Action":["*"],"Resource":["*"]},{"Effect":"Deny","Action":["sts:AssumeRole"],"Resource":["arn:aws:iam::111122223333:role/ops/deploy"]}]}`, []string{"allow", "deny"}},
		{"case of action", `{"Statement":[{"Effect":"Allow","Action":["STS:ASSUMEROLE"],"Resource":["*"]}]}`, []string{"allow"}},
		{"unknown action list", `{"Statement":[{"Effect":"Allow","NotAction":[{"$unknown":"var.x"}],"Resource":["*"]}]}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc any
			if err := json.Unmarshal([]byte(tt.doc), &doc); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, st := range actionStatements(doc, assumeRole, "p", "") {
				switch {
				case !st.matches(role):
					got = append(got, "-")
				case st.allow:
					got = append(got, "allow")
				default:
					got = append(got, "deny")
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %q want %q", got, tt.want)
				}
			}
		})
	}
}

// TestUnknownTextBounded checks that a condition list of many values that
// are not strings renders as a short text, not one string per value.
func TestUnknownTextBounded(t *testing.T) {
	l := make([]any, 100000)
	for i := range l {
		l[i] = float64(i)
	}
	got := unknownText(l)
	if len(got) > 2*model.QuoteLimit || !strings.HasSuffix(got, ", …") || !strings.HasPrefix(got, "(number), (number)") {
		t.Errorf("unknownText of 100,000 numbers = %q", got)
	}
	if got := unknownText([]any{"a", 1.0}); got != "a, (number)" {
		t.Errorf("short list: got %q", got)
	}
}

// TestConditionValuesShown checks the values a condition shows: its
// strings, then the text of its unknown elements, the first
// model.ShownValues of them and a count of the rest, for []any and
// packed lists around the limit.
func TestConditionValuesShown(t *testing.T) {
	n := model.ShownValues
	unknown := model.Unknown("var.x")
	for _, count := range []int{n - 1, n, n + 1, n + 7} {
		for _, withUnknown := range []bool{false, true} {
			var list []any
			p := model.NewPacker(count)
			var want []string
			for i := range count {
				s := "o-" + strconv.Itoa(i)
				list = append(list, s)
				p.String(s)
				want = append(want, s)
			}
			if withUnknown {
				list = append(list, unknown)
				want = append(want, unknownText(list))
			}
			if len(want) > n {
				want = append(want[:n:n], "… "+strconv.Itoa(len(want)-n)+" more")
			}
			vals := []any{list}
			if !withUnknown {
				vals = append(vals, p.List())
			}
			for _, v := range vals {
				got := conditions(map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": v}})
				if len(got) != 1 || strings.Join(got[0].Values, "|") != strings.Join(want, "|") {
					t.Errorf("%d strings, unknown %v, %T: %v, want %v", count, withUnknown, v, got, want)
				}
			}
		}
	}
}
