package model

import (
	"fmt"
	"testing"

	"github.com/trustlint/trustlint/internal/chunk"
)

// TestSourceMapLarge checks Lookup in a map past the linear-search size and
// past one chunk of entries, built value by value as a normalizer does, and
// that a later entry for the same path wins.
func TestSourceMapLarge(t *testing.T) {
	sm := NewSourceMap()
	at := func(i int) Range {
		return Range{File: fmt.Sprintf("f%d", i%3), Start: Pos{Line: i + 1, Column: 1, Byte: i}, End: Pos{Line: i + 1, Column: 2, Byte: i + 1}}
	}
	list := sm.Node(Path{"policy", "Statement", 0, "Condition", "StringEquals", "aws:x"})
	sm.SetAt(list, at(0))
	const n = 3 * chunk.Size
	for i := range n {
		sm.SetAt(sm.Add(list, i), at(i+1))
	}
	sm.SetKey(Path{"policy", "Statement", 0, "Condition", "StringEquals", "aws:x"}, at(7))
	for _, i := range []int{0, 1, 63, 64, chunk.Size, n - 1} {
		got, ok := sm.Lookup(Path{"policy", "Statement", 0, "Condition", "StringEquals", "aws:x", float64(i)}, false)
		if !ok || got != at(i+1) {
			t.Errorf("element %d: got %v %v, want %v", i, got, ok, at(i+1))
		}
	}
	p := Path{"policy", "Statement", 0, "Condition", "StringEquals", "aws:x"}
	if got, _ := sm.Lookup(p.Child(n), false); got != at(0) {
		t.Errorf("past the end: got %v, want the list's range", got)
	}
	if got, _ := sm.Lookup(p, true); got != at(7) {
		t.Errorf("key: got %v, want %v", got, at(7))
	}
	// A second entry for element 5 hides the first.
	sm.SetAt(sm.Add(list, 5), at(99))
	if got, _ := sm.Lookup(p.Child(5), false); got != at(99) {
		t.Errorf("later entry: got %v, want %v", got, at(99))
	}
	if got := sm.ValueMap()[p.Child(5).String()]; got != at(99) {
		t.Errorf("ValueMap: got %v, want %v", got, at(99))
	}
	if got := len(sm.KeyMap()); got != 1 {
		t.Errorf("KeyMap has %d entries, want 1", got)
	}
	if got := sm.Files(); len(got) != 3 {
		t.Errorf("Files = %v, want f0 f1 f2", got)
	}
	sm.MapRanges(func(r Range) Range {
		if r.File == "f1" {
			r.File = "anchor"
		}
		return r
	})
	if got, _ := sm.Lookup(p.Child(0), false); got.File != "anchor" {
		t.Errorf("MapRanges: element 0 in %q, want anchor", got.File)
	}
}

// TestSourceMapPack checks that a list recorded with Pack looks up as the
// same list recorded element by element: each element, past the end, a
// path below an element, the key, an element's later entry, an element's
// entry made without a range, ValueMap and MapRanges.
func TestSourceMapPack(t *testing.T) {
	at := func(i int) Range {
		return Range{File: "f", Start: Pos{Line: 1, Column: 2*i + 10, Byte: 2*i + 9}, End: Pos{Line: 1, Column: 2*i + 11, Byte: 2*i + 10}}
	}
	p := Path{"policy", "Statement", 0, "Condition", "NumericEquals", "aws:x"}
	const n = 100
	build := func(packed bool) *SourceMap {
		sm := NewSourceMap()
		list := sm.Node(p)
		sm.SetAt(list, Range{File: "f", Start: Pos{Line: 1, Column: 9, Byte: 8}, End: Pos{Line: 1, Column: 2*n + 10, Byte: 2*n + 9}})
		sm.SetKey(p, at(-3))
		if packed {
			sm.Pack(list, n, at)
		} else {
			for i := range n {
				sm.SetAt(sm.Add(list, i), at(i))
			}
		}
		return sm
	}
	flat, packed := build(false), build(true)
	paths := []Path{p, p.Child(0), p.Child(float64(1)), p.Child(n - 1), p.Child(n), p.Child(-1), p.Child(7).Child("x"), p.Child("x")}
	for _, q := range paths {
		for _, key := range []bool{false, true} {
			want, wok := flat.Lookup(q, key)
			got, ok := packed.Lookup(q, key)
			if got != want || ok != wok {
				t.Errorf("Lookup(%v, %v) = %v %v, want %v %v", q, key, got, ok, want, wok)
			}
		}
	}
	if got, want := fmt.Sprint(packed.ValueMap()), fmt.Sprint(flat.ValueMap()); got != want {
		t.Errorf("ValueMap:\n got %s\nwant %s", got, want)
	}
	// An entry made for an element without a range (Node) leaves the
	// pack's range; one with a range wins.
	packed.Node(p.Child(3))
	if got, _ := packed.Lookup(p.Child(3), false); got != at(3) {
		t.Errorf("element with an entry but no range: got %v, want %v", got, at(3))
	}
	packed.Set(p.Child(4), at(99))
	if got, _ := packed.Lookup(p.Child(4), false); got != at(99) {
		t.Errorf("element with its own range: got %v, want %v", got, at(99))
	}
	packed.MapRanges(func(r Range) Range { r.File = "g"; return r })
	if got, _ := packed.Lookup(p.Child(5), false); got.File != "g" || got.Start != at(5).Start {
		t.Errorf("after MapRanges: got %v, want %v in g", got, at(5))
	}
}
