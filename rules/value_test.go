package rules

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
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

// TestToValueLongList: a list of parallelList elements or more is
// converted in runs on several goroutines (each with its own shared
// scalars): the value is the one OPA makes of the JSON of the input, and
// a scalar repeated in one run is one term.
func TestToValueLongList(t *testing.T) {
	for _, n := range []int{parallelList - 1, parallelList, 3*parallelList + 1} {
		stmts := make([]any, n)
		for i := range stmts {
			switch i % 3 {
			case 0:
				stmts[i] = map[string]any{"Effect": "Allow", "Sid": fmt.Sprint("s", i), "Principal": map[string]any{"AWS": []any{float64(i), "*"}}}
			case 1:
				stmts[i] = []any{"x", float64(i % 7), nil, true}
			default:
				stmts[i] = fmt.Sprint("v", i%11)
			}
		}
		in := map[string]any{"policy": map[string]any{"Statement": stmts}}
		got := toValue(in)
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		want := ast.MustParseTerm(string(b)).Value
		if got.Compare(want) != 0 {
			t.Fatalf("%d statements: toValue differs from OPA's value of the same JSON", n)
		}
		list := got.(ast.Object).Get(ast.StringTerm("policy")).Value.(ast.Object).Get(ast.StringTerm("Statement")).Value.(*ast.Array)
		last := n - 1 // the last list, and the one before it: in the same run
		for last%3 != 1 {
			last--
		}
		if list.Len() != n || list.Elem(last).Value.(*ast.Array).Elem(0) != list.Elem(last-3).Value.(*ast.Array).Elem(0) {
			t.Errorf("%d statements: elements missing, or \"x\" not shared within a run", n)
		}
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

// TestHashValueStream: the buffered hasher writes the same bytes as a
// plain walk that writes each piece to the hash (hashValueUnbuffered),
// with maps nested in map values (the keys of every level share one
// slice), long strings and packed lists.
func TestHashValueStream(t *testing.T) {
	long := strings.Repeat("x", 40<<10)
	pk := model.NewPacker(3)
	for _, v := range []any{"a", "b", "a"} {
		pk.Add(v)
	}
	packed := pk.List()
	values := []any{
		nil, true, "s", 1.5, 7, []string{"a", "b"}, packed, long,
		map[string]any{"b": map[string]any{"z": 1.0, "y": map[string]any{"q": []any{long, "r"}}, "x": nil}, "a": []any{map[string]any{"k": "v", "j": true}}, "c": 2},
	}
	var big []any
	for i := range 5000 {
		big = append(big, map[string]any{"Effect": "Allow", "Sid": strings.Repeat("s", i%50), "n": float64(i)})
	}
	values = append(values, map[string]any{"policy": map[string]any{"Statement": big}}, []any{values})
	for i, v := range values {
		if got, want := hashValue(v), hashValueUnbuffered(v); got != want {
			t.Errorf("value %d: digest %x, want %x", i, got[:4], want[:4])
		}
	}
	a := map[string]any{"x": map[string]any{"b": 1, "a": 2}, "y": 3}
	b := map[string]any{"y": 3, "x": map[string]any{"a": 2, "b": 1}}
	c := map[string]any{"y": 3, "x": map[string]any{"a": 1, "b": 2}}
	if hashValue(a) != hashValue(b) || hashValue(a) == hashValue(c) {
		t.Error("map digests depend on order, or ignore which key holds which value")
	}
}

func hashValueUnbuffered(v any) digest {
	h := sha256.New()
	var buf [9]byte
	// head writes a tag and an 8-byte number: a length, or a float's bits.
	head := func(tag byte, n uint64) {
		buf[0] = tag
		binary.LittleEndian.PutUint64(buf[1:], n)
		h.Write(buf[:])
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case nil:
			h.Write([]byte{'n'})
		case bool:
			if x {
				h.Write([]byte{'t'})
			} else {
				h.Write([]byte{'f'})
			}
		case string:
			head('s', uint64(len(x)))
			h.Write([]byte(x))
		case float64:
			head('d', math.Float64bits(x))
		case int:
			walk(float64(x))
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			head('o', uint64(len(keys)))
			for _, k := range keys {
				walk(k)
				walk(x[k])
			}
		case []any:
			head('a', uint64(len(x)))
			for _, e := range x {
				walk(e)
			}
		case []string:
			head('a', uint64(len(x)))
			for _, e := range x {
				walk(e)
			}
		case *model.PackedList: // as the []any of its elements
			head('a', uint64(x.Len()))
			for i := range x.Len() {
				walk(x.At(i))
			}
		default:
			h.Write([]byte{'?'})
		}
	}
	walk(v)
	var d digest
	h.Sum(d[:0])
	return d
}
