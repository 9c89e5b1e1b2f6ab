package normalize

import (
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestPathStrings checks that paths built one element at a time render as
// model.Path.String renders them, since both are source-map keys.
func TestPathStrings(t *testing.T) {
	elems := []any{"Statement", 0, "Condition", "StringEquals", "sts:ExternalId", 12,
		"_x9", "9x", "", "a b", `q"uote`, "é", "AWS", 3}
	for _, z := range []*Normalizer{nil, {}} {
		for _, base := range []model.Path{nil, {"policy"}, {"role"}, {"sts:x"}, {0}} {
			p := base
			a := pathOf(base)
			for _, e := range elems {
				p = p.Child(e)
				switch e := e.(type) {
				case string:
					a = z.key(a, e)
				case int:
					a = z.index(a, e)
				}
				if string(a) != p.String() {
					t.Fatalf("shared %v: got %s want %s", z != nil, a, p.String())
				}
			}
		}
	}
}

// TestNormalizerBase checks that a Normalizer renders each base it is given,
// not only the first.
func TestNormalizerBase(t *testing.T) {
	var z Normalizer
	for _, base := range []model.Path{{"policy"}, {"role", "x"}, {"policy"}, {0.0}, {0.0}, {[]int{1}}, {"policy"}} {
		if got, want := string(z.pathOf(base)), base.String(); got != want {
			t.Errorf("got %s want %s", got, want)
		}
	}
}
