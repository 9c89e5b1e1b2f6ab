package model

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"testing"
)

// TestPacker packs lists of every scalar kind and checks that each reads
// back (List, At, JSON, fmt) as the []any of what was added, that equal
// values share one table entry (0 and -0 apart), and that a value that is
// not a scalar or one distinct value too many gives the []any itself.
func TestPacker(t *testing.T) {
	negZero := math.Copysign(0, -1)
	scalars := []any{"a", 0.0, negZero, 1.5, true, false, nil, "", "a", 0.0, true, nil, negZero}
	cases := []struct {
		name     string
		in       []any
		packed   bool
		distinct int
	}{
		{"scalars", scalars, true, 8},
		{"empty", []any{}, true, 0},
		{"an object", append(append([]any{}, scalars...), map[string]any{"k": "v"}, "a"), false, 0},
		{"a list", append([]any{[]any{"x"}}, scalars...), false, 0},
		{"too many distinct", distinctNumbers(maxDistinct + 1), false, 0},
		{"all distinct that fit", distinctNumbers(maxDistinct), true, maxDistinct},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := NewPacker(len(c.in))
			for _, v := range c.in {
				p.Add(v)
			}
			got := p.List()
			l, isPacked := got.(*PackedList)
			if isPacked != c.packed {
				t.Fatalf("List() is %T, want packed %v", got, c.packed)
			}
			elems, n, ok := List(got)
			if !ok || n != len(c.in) {
				t.Fatalf("List: %v %d, want %d elements", ok, n, len(c.in))
			}
			var back []any
			for i, e := range elems {
				if i != len(back) {
					t.Fatalf("index %d, want %d", i, len(back))
				}
				back = append(back, e)
			}
			if !sameValues(back, c.in) {
				t.Fatalf("read back %.200v, want %.200v", back, c.in)
			}
			if !isPacked {
				return
			}
			if len(l.Distinct()) != c.distinct {
				t.Errorf("%d distinct values, want %d", len(l.Distinct()), c.distinct)
			}
			for i := range l.Len() {
				if !sameValues([]any{l.At(i), l.Distinct()[l.Index(i)]}, []any{c.in[i], c.in[i]}) {
					t.Fatalf("element %d: %v, want %v", i, l.At(i), c.in[i])
				}
			}
			gotJSON, err1 := json.Marshal(map[string]any{"l": l})
			wantJSON, err2 := json.Marshal(map[string]any{"l": c.in})
			if err1 != nil || err2 != nil || string(gotJSON) != string(wantJSON) {
				t.Errorf("JSON %.200s (%v), want %.200s (%v)", gotJSON, err1, wantJSON, err2)
			}
			if got, want := fmt.Sprint(map[string]any{"l": l}), fmt.Sprint(map[string]any{"l": c.in}); got != want {
				t.Errorf("fmt %.200s, want %.200s", got, want)
			}
		})
	}
}

// sameValues compares two lists element by element, numbers by their bits
// (reflect.DeepEqual takes -0 for 0).
func sameValues(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, xf := a[i].(float64)
		y, yf := b[i].(float64)
		if xf && yf {
			if math.Float64bits(x) != math.Float64bits(y) {
				return false
			}
		} else if !reflect.DeepEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}

// distinctNumbers returns n distinct numbers and a repeat of the first.
func distinctNumbers(n int) []any {
	out := make([]any, n, n+1)
	for i := range out {
		out[i] = float64(i)
	}
	return append(out, 0.0)
}

// TestPackerAllocations checks that adding strings and numbers already in
// the table allocates nothing: a dense list costs 2 bytes per element.
func TestPackerAllocations(t *testing.T) {
	s := string([]byte("arn:aws:iam::111122223333:root"))
	p := NewPacker(3000)
	p.String(s)
	p.Number(7)
	allocs := testing.AllocsPerRun(10, func() {
		for range 100 {
			p.String(s)
			p.Number(7)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per 200 repeated values, want 0", allocs)
	}
}

// TestCutValuePacked checks that a packed list is cut as the []any of its
// elements.
func TestCutValuePacked(t *testing.T) {
	p := NewPacker(ShownValues + 5)
	in := make([]any, ShownValues+5)
	for i := range in {
		in[i] = "arn:aws:iam::111122223333:role/" + string(rune('a'+i%3))
		p.String(in[i].(string))
	}
	got, want := CutValue(p.List()), CutValue(in)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CutValue of the packed list %v, want %v", got, want)
	}
}
