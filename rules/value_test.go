package rules

import (
	"math"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/trustlint/trustlint/model"
)

func TestFormatNumber(t *testing.T) {
	tests := map[float64]string{
		204518736390: "204518736390",
		43200:        "43200",
		-3:           "-3",
		0.5:          "0.5",
		1e300:        "1e+300",
	}
	for x, want := range tests {
		if got := formatNumber(x); got != want {
			t.Errorf("formatNumber(%v) = %q, want %q", x, got, want)
		}
	}
}

// TestToValue compares toValue with OPA's own conversion and checks that
// repeated scalars share one term (and that 0 and -0 stay apart).
func TestToValue(t *testing.T) {
	in := map[string]any{
		"Statement": []any{
			map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole", "sts:TagSession"}},
			map[string]any{"Effect": "Allow", "Condition": map[string]any{"NumericEquals": map[string]any{
				"aws:x": []any{0.0, 0.0, math.Copysign(0, -1), 1.5, 204518736390.0, true, false, nil, "Allow", 7},
			}}},
		},
		"Names": []string{"a", "Allow"},
	}
	got := toValue(in)
	want := ast.MustParseTerm(`{"Statement": [
		{"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"]},
		{"Effect": "Allow", "Condition": {"NumericEquals": {"aws:x": [0, 0, -0, 1.5, 204518736390, true, false, null, "Allow", 7]}}}],
		"Names": ["a", "Allow"]}`).Value
	if got.Compare(want) != 0 {
		t.Fatalf("toValue = %v\nwant      %v", got, want)
	}
	list := got.(ast.Object).Get(ast.StringTerm("Statement")).Value.(*ast.Array)
	xs := list.Elem(1).Value.(ast.Object).Get(ast.StringTerm("Condition")).Value.(ast.Object).
		Get(ast.StringTerm("NumericEquals")).Value.(ast.Object).Get(ast.StringTerm("aws:x")).Value.(*ast.Array)
	if xs.Elem(0) != xs.Elem(1) {
		t.Error("the two zeros are two terms, want one shared term")
	}
	if xs.Elem(2) == xs.Elem(0) || xs.Elem(2).String() != "-0" {
		t.Errorf("-0 converted to %v (shared with 0: %v), want its own term -0", xs.Elem(2), xs.Elem(2) == xs.Elem(0))
	}
	effect := list.Elem(0).Value.(ast.Object).Get(ast.StringTerm("Effect"))
	if effect != xs.Elem(8) {
		t.Error(`the two "Allow" strings are two terms, want one shared term`)
	}
}

// TestToValuePacked checks that a model.PackedList converts and hashes as
// the []any of its elements, with one term per distinct value.
func TestToValuePacked(t *testing.T) {
	in := []any{0.0, "Allow", math.Copysign(0, -1), true, nil, 0.0, "Allow", 204518736390.0}
	p := model.NewPacker(len(in))
	for _, v := range in {
		p.Add(v)
	}
	packed := map[string]any{"aws:x": p.List(), "Effect": "Allow"}
	plain := map[string]any{"aws:x": in, "Effect": "Allow"}
	got, want := toValue(packed), toValue(plain)
	if got.Compare(want) != 0 {
		t.Fatalf("toValue = %v\nwant      %v", got, want)
	}
	xs := got.(ast.Object).Get(ast.StringTerm("aws:x")).Value.(*ast.Array)
	if xs.Elem(0) != xs.Elem(5) || xs.Elem(1) != xs.Elem(6) || xs.Elem(0) == xs.Elem(2) {
		t.Error("equal values are not one shared term, or 0 and -0 share one")
	}
	if hashValue(packed) != hashValue(plain) {
		t.Error("the packed list hashes apart from the []any of its elements")
	}
}
