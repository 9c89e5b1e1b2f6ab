package normalize

import (
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestPathEntries checks that the entries the normalizer builds one
// element at a time are those of the whole paths: Lookup and ValueMap find
// them by model.Path.
func TestPathEntries(t *testing.T) {
	elems := []any{"Statement", 0, "Condition", "StringEquals", "sts:ExternalId", 12,
		"_x9", "9x", "", "a b", `q"uote`, "é", "AWS", 3}
	for _, base := range []model.Path{nil, {"policy"}, {"role"}, {"sts:x"}, {0}} {
		sm := model.NewSourceMap()
		p := base
		a := pathOf(sm, base)
		for _, e := range elems {
			p = p.Child(e)
			switch e := e.(type) {
			case string:
				a = key(sm, a, e)
			case int:
				a = index(sm, a, e)
			}
			if got := sm.String(a); got != p.String() {
				t.Fatalf("got %s want %s", got, p.String())
			}
			if b := sm.Node(p); b != a {
				t.Fatalf("%s: Node gives entry %d, the normalizer built %d", p, b, a)
			}
		}
	}
}
