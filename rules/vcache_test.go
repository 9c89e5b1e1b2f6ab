package rules

import (
	"context"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
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
