package rules

import (
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// maxCachedCalls bounds how many function results one evaluation keeps.
const maxCachedCalls = 4096

// callCache is OPA's virtual cache with a bound on memoized function
// calls. OPA keeps the result of every Rego function call with distinct
// arguments for the whole evaluation; on a policy of 100,000 statements that
// is millions of entries that are never asked for again, and they keep the
// heap growing until the GC is most of the run. Rule values (keys that
// start with data) are cached as before; function results (keys whose first
// term is the function's reference) are cached until the bound is reached,
// after which calls are evaluated again when repeated. Functions are pure,
// so the bound changes cost, never results.
type callCache struct {
	topdown.VirtualCache
	calls, bound int
}

func newCallCache(bound int) *callCache {
	return &callCache{VirtualCache: topdown.NewVirtualCache(), bound: bound}
}

func (c *callCache) Put(ref ast.Ref, value *ast.Term) {
	if isCall(ref) {
		if c.calls >= c.bound {
			return
		}
		c.calls++
	}
	c.VirtualCache.Put(ref, value)
}

// isCall tells a memoized function call (its first term is the function's
// reference) from a rule value (a path that starts with data).
func isCall(ref ast.Ref) bool {
	if len(ref) == 0 {
		return false
	}
	_, call := ref[0].Value.(ast.Ref)
	return call
}
