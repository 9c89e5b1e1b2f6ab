package srcjson

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcmaptest"
	"github.com/trustlint/trustlint/parser/tree"
)

// build parses src as one value with a builder that packs or not, and
// returns the dump, the number of packed arrays and the error.
func build(src string, pack bool) (string, int, error) {
	loc := model.NewLineIndex("p.json", []byte(src))
	b := NewBuilder(loc, []byte(src))
	if pack {
		b.PackScalars()
	}
	n, err := b.Value()
	if err == nil {
		err = b.End()
	}
	packed := 0
	var sb strings.Builder
	var count func(*tree.Node)
	count = func(n *tree.Node) {
		if n == nil {
			return
		}
		if n.Packed != nil {
			packed++
			// The ranges a source map looks up, last first, are those
			// of the elements.
			elems := n.Elements()
			for i := len(elems) - 1; i >= 0; i-- {
				if r := n.Packed.Range(i); r != elems[i].Range {
					fmt.Fprintf(&sb, "Range(%d) = %v, element at %v;", i, r, elems[i].Range)
				}
			}
		}
		for _, m := range n.Members {
			count(m.Value)
		}
		for _, e := range n.Elems {
			count(e)
		}
	}
	count(n)
	srcmaptest.Dump(&sb, n)
	return sb.String(), packed, err
}

// list returns a JSON list of n scalars of every kind, some multi-line and
// multibyte, whose elements count on in position from one to the next.
func list(n int) string {
	scalars := []string{`0`, `"a"`, `-1.5e3`, "\n  true", `false`, `null`, `"é\u00e9\\n🚀"`, "\r\n\"x\"", `12345678901234567890123`}
	var sb strings.Builder
	sb.WriteString("[")
	for i := range n {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(scalars[i%len(scalars)])
	}
	sb.WriteString("]")
	return sb.String()
}

// TestPackScalars checks that a packed array reads exactly as the nodes it
// replaces (kinds, values, ranges), that only long all-scalar arrays are
// packed, and that a container after many scalars ends packing cleanly.
func TestPackScalars(t *testing.T) {
	long := list(PackMin)
	cases := []struct {
		name, src string
		packed    int
	}{
		{"long list", `{"k": ` + long + `}`, 1},
		{"short list", `{"k": ` + list(PackMin-1) + `}`, 0},
		{"lists side by side", `[` + long + `, ` + list(3) + `, ` + long + `]`, 2},
		{"container after scalars", `{"k": ` + strings.TrimSuffix(long, "]") + `, {"a": ` + long + `}, 1]}`, 1},
		{"list after a packed one on the same line", `{"a": ` + long + `, "b": ` + long + `, "c": "é"}`, 2},
		{"after text on earlier lines", "\n\n  {\"é\": 1,\n \"k\":\n " + long + "}", 1},
		{"empty", `[]`, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, _, werr := build(tc.src, false)
			got, packed, gerr := build(tc.src, true)
			if fmt.Sprint(gerr) != fmt.Sprint(werr) {
				t.Fatalf("error %v, want %v", gerr, werr)
			}
			if got != want {
				t.Errorf("packed tree differs:\n got %s\nwant %s", got, want)
			}
			if packed != tc.packed {
				t.Errorf("%d packed arrays, want %d", packed, tc.packed)
			}
		})
	}
}

// TestPackScalarsError checks that a syntax error inside a list being
// packed is the error the unpacked builder reports, and that the builder
// starts the next list with nothing left over.
func TestPackScalarsError(t *testing.T) {
	bad := strings.TrimSuffix(list(PackMin), "]") + ", tru]"
	_, _, werr := build(bad, false)
	_, _, gerr := build(bad, true)
	if werr == nil || fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Fatalf("error %v, want %v (not nil)", gerr, werr)
	}
}

// FuzzPackScalars compares the packed and unpacked trees of arbitrary
// input, wrapped in a long list so that packing happens.
func FuzzPackScalars(f *testing.F) {
	for _, s := range []string{`0`, `"a"`, `{"a": [1, 2]}`, `[1, [2]]`, "\"\u2028\"", `tru`, `"\ud800"`} {
		f.Add(s)
	}
	head := strings.TrimSuffix(list(PackMin), "]")
	f.Fuzz(func(t *testing.T, s string) {
		src := head + "," + s + "]"
		want, _, werr := build(src, false)
		got, _, gerr := build(src, true)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) || got != want {
			t.Fatalf("packed: %v %s\nunpacked: %v %s", gerr, got, werr, want)
		}
	})
}
