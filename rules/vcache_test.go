package rules

import (
	"context"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// TestCallCacheBound: past its bound the cache memoizes no more function
// calls, keeps caching rule values, and the result is the one OPA's own
// cache gives.
func TestCallCacheBound(t *testing.T) {
	const module = `package t
double(x) := x * 2
distinct := [double(i) | some i in numbers.range(1, 50)]
repeated := [double(i % 5) | some i in numbers.range(1, 50)]
sum_all := sum(distinct) + sum(repeated)
`
	q, err := rego.New(rego.Query("data.t.sum_all"), rego.Module("t.rego", module)).PrepareForEval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	eval := func(vc topdown.VirtualCache) any {
		t.Helper()
		rs, err := q.Eval(context.Background(), rego.EvalVirtualCache(vc))
		if err != nil || len(rs) != 1 {
			t.Fatalf("eval: %v, %d results", err, len(rs))
		}
		return rs[0].Expressions[0].Value
	}
	count := func(vc topdown.VirtualCache) (calls, values int) {
		for _, k := range vc.Keys() {
			if isCall(k) {
				calls++
			} else {
				values++
			}
		}
		return calls, values
	}

	full := topdown.NewVirtualCache()
	bounded := newCallCache(3)
	want, got := eval(full), eval(bounded)
	if ast.MustInterfaceToValue(got).Compare(ast.MustInterfaceToValue(want)) != 0 {
		t.Errorf("bounded cache gave %v, OPA's cache %v", got, want)
	}
	if calls, _ := count(full); calls != 51 { // double(1..50) and double(0)
		t.Errorf("OPA's cache holds %d calls, want 51 (the test no longer exercises the bound)", calls)
	}
	calls, values := count(bounded)
	if calls != 3 {
		t.Errorf("bounded cache holds %d calls, want 3", calls)
	}
	if values == 0 {
		t.Error("bounded cache holds no rule values")
	}
}

// TestCallCacheSameAsOPA: rule values, function results, undefined values
// and the frames `with` pushes give what OPA's own cache gives.
func TestCallCacheSameAsOPA(t *testing.T) {
	const module = `package t
f(x) := x + input.k
a := f(1)
b := y if {
	y := f(1) with input.k as 10
}
u := input.missing
default d := "none"

d := u

e := "none" if not u
g(x) := y if {
	y := x * input.k
	y > 5
}
h := [g(i) | some i in numbers.range(1, 8)]
h2 := y if {
	y := [g(i) | some i in numbers.range(1, 8)] with input.k as 2
}
out := [a, b, f(1), d, e, h, h2, data.t.a]
`
	q, err := rego.New(rego.Query("data.t.out"), rego.Module("t.rego", module)).PrepareForEval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	in := rego.EvalInput(map[string]any{"k": 3})
	eval := func(vc topdown.VirtualCache) ast.Value {
		t.Helper()
		rs, err := q.Eval(context.Background(), in, rego.EvalVirtualCache(vc))
		if err != nil || len(rs) != 1 {
			t.Fatalf("eval: %v, %d results", err, len(rs))
		}
		return ast.MustInterfaceToValue(rs[0].Expressions[0].Value)
	}
	want := eval(topdown.NewVirtualCache())
	if got := ast.MustParseTerm(`[4, 11, 4, "none", "none", [6, 9, 12, 15, 18, 21, 24], [6, 8, 10, 12, 14, 16], 4]`).Value; want.Compare(got) != 0 {
		t.Fatalf("OPA's cache gave %v, want %v", want, got)
	}
	for _, bound := range []int{0, 2, maxCachedCalls} {
		vc := newCallCache(bound)
		if got := eval(vc); got.Compare(want) != 0 {
			t.Errorf("bound %d: %v, OPA's cache %v", bound, got, want)
		}
		if len(vc.frames) != 1 {
			t.Errorf("bound %d: %d frames left, want 1", bound, len(vc.frames))
		}
	}
}

// TestCallCacheEntries: an entry holds a copy of its key, a key is found
// again by equal terms, and undefined stays undefined.
func TestCallCacheEntries(t *testing.T) {
	c := newCallCache(1)
	long := ast.MustParseRef("data.a.b.c.d.e")
	key := ast.MustParseRef("data.trustlint.lib.x")
	buf := key.Copy()
	c.Put(buf, ast.IntNumberTerm(1))
	c.Put(long, ast.IntNumberTerm(2))
	buf[3] = ast.StringTerm("y") // OPA reuses its buffers
	if v, undef := c.Get(ast.MustParseRef("data.trustlint.lib.x")); undef || v == nil || !v.Equal(ast.IntNumberTerm(1)) {
		t.Errorf("x = %v, %v; want 1", v, undef)
	}
	if v, _ := c.Get(ast.MustParseRef("data.trustlint.lib.y")); v != nil {
		t.Errorf("y = %v, want nothing", v)
	}
	if v, _ := c.Get(long.Copy()); v == nil || !v.Equal(ast.IntNumberTerm(2)) {
		t.Errorf("long key = %v, want 2", v)
	}
	if v, _ := c.Get(ast.MustParseRef("data.trustlint.lib")); v != nil {
		t.Errorf("a key's prefix = %v, want nothing", v)
	}
	c.Put(key, nil)
	c.Put(key, ast.IntNumberTerm(3))
	if v, undef := c.Get(key); v != nil || !undef {
		t.Errorf("after undefined: %v, %v; want undefined", v, undef)
	}
	c.Push()
	if v, undef := c.Get(long); v != nil || undef {
		t.Errorf("a new frame holds %v, %v", v, undef)
	}
	c.Pop()
	c.Pop() // the bottom frame stays
	if v, _ := c.Get(long); v == nil {
		t.Error("the bottom frame lost its entries")
	}
	if n := len(c.Keys()); n != 2 { // as OPA's: x holds a value, though undefined wins
		t.Errorf("%d keys with a value, want 2", n)
	}
}

// TestDataCacheSameAsOPA: evaluations that share one dataCache read the
// same data as with OPA's own cache per evaluation: whole documents, members
// found in a cached prefix, missing members, and values under `with`.
func TestDataCacheSameAsOPA(t *testing.T) {
	const module = `package t
a := data.d.x
b := data.d.x.y
c := data.d
m := object.get(data.d, "missing", "none")
w := v if {
	v := data.d.x.y with data.d.x.y as "over"
}
k := data.d.keys[input.k]
out := [a, b, c, m, w, k, data.d.x.y]
`
	store := inmem.NewFromObjectWithOpts(map[string]any{"d": map[string]any{"x": map[string]any{"y": 1}, "keys": map[string]any{"p": "q", "r": "s"}}},
		inmem.OptReturnASTValuesOnRead(true))
	q, err := rego.New(rego.Query("data.t.out"), rego.Module("t.rego", module), rego.Store(store)).PrepareForEval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	eval := func(k string, opts ...rego.EvalOption) ast.Value {
		t.Helper()
		rs, err := q.Eval(context.Background(), append(opts, rego.EvalInput(map[string]any{"k": k}))...)
		if err != nil || len(rs) != 1 {
			t.Fatalf("eval: %v, %d results", err, len(rs))
		}
		return ast.MustInterfaceToValue(rs[0].Expressions[0].Value)
	}
	var shared dataCache
	for _, k := range []string{"p", "r", "p"} {
		want := eval(k)
		if got := eval(k, rego.EvalBaseCache(&shared)); got.Compare(want) != 0 {
			t.Errorf("k=%s: shared cache gave %v, OPA's %v", k, got, want)
		}
	}
	if want := ast.MustParseTerm(`[{"y": 1}, 1, {"x": {"y": 1}, "keys": {"p": "q", "r": "s"}}, "none", "over", "q", 1]`).Value; eval("p").Compare(want) != 0 {
		t.Errorf("OPA gave %v, want %v", eval("p"), want)
	}
	if len(shared.entries) == 0 {
		t.Error("the shared cache kept nothing")
	}
}
