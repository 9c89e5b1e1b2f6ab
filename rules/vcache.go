package rules

import (
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// maxCachedCalls bounds how many function results one evaluation keeps.
const maxCachedCalls = 4096

// callCache is the virtual cache of one evaluation: it memoizes rule values
// and function results as OPA's own cache does, with two differences.
//
// A bound on memoized function calls: OPA keeps the result of every Rego
// function call with distinct arguments for the whole evaluation; on a
// policy of 100,000 statements that is millions of entries that are never
// asked for again, and they keep the heap growing until the GC is most of
// the run. Rule values (keys that start with data) are cached as before;
// function results (keys whose first term is the function's reference) are
// cached until the bound is reached, after which calls are evaluated again
// when repeated. Functions are pure, so the bound changes cost, never
// results.
//
// A flat table: OPA's cache is a tree with a node and a hash map per term
// of each key (data, trustlint, lib, trust_statements), and every
// evaluation starts a new one, so each role paid some 200 allocations for
// it (a fifth of all on an export of single-statement roles). Here an entry
// is one key's terms, found by a hash of them, and entries are allocated
// in slabs.
type callCache struct {
	// frames is the stack of Push; the top one is read and written. A
	// frame's table is made on its first Put.
	frames       []map[uint64]*cacheEntry
	calls, bound int
	// slab holds the entries not yet used: entries are allocated a slab
	// at a time (a role of one statement has some forty), each slab twice
	// the size of the last, up to maxSlab.
	slab     []cacheEntry
	slabSize int
}

// firstSlab and maxSlab bound the number of entries allocated at once.
const firstSlab, maxSlab = 16, 512

// cacheEntry is one key of a frame, with the next entry of the same hash.
type cacheEntry struct {
	ref       ast.Ref // a copy: OPA passes slices of a buffer it reuses
	value     *ast.Term
	undefined bool
	next      *cacheEntry
	// buf holds the copy of a short key (most are data.trustlint.lib.x
	// or a call with up to three arguments): no allocation of its own.
	buf [4]*ast.Term
}

var _ topdown.VirtualCache = (*callCache)(nil)

func newCallCache(bound int) *callCache {
	return &callCache{frames: make([]map[uint64]*cacheEntry, 1, 2), bound: bound}
}

// refHash combines the hashes of a key's terms (each term's hash is what
// OPA's own cache keys its levels by).
func refHash(ref ast.Ref) uint64 {
	h := uint64(len(ref))
	for _, t := range ref {
		h = (h ^ uint64(t.Hash())) * 0x100000001b3 //nolint:gosec // G115: bits of a hash
	}
	return h
}

// find returns the top frame's entry of ref, nil when there is none.
func (c *callCache) find(ref ast.Ref, h uint64) *cacheEntry {
	for e := c.frames[len(c.frames)-1][h]; e != nil; e = e.next {
		if sameRef(e.ref, ref) {
			return e
		}
	}
	return nil
}

// sameRef compares keys term by term, as OPA's cache does (Term.Equal).
func sameRef(a, b ast.Ref) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// Push starts an empty frame (OPA does for `with`).
func (c *callCache) Push() { c.frames = append(c.frames, nil) }

// Pop drops the top frame and its entries.
func (c *callCache) Pop() {
	if len(c.frames) > 1 {
		c.frames[len(c.frames)-1] = nil
		c.frames = c.frames[:len(c.frames)-1]
	}
}

// Get returns the value cached for ref; nil and true when ref was found
// undefined, nil and false when it is not cached.
func (c *callCache) Get(ref ast.Ref) (*ast.Term, bool) {
	e := c.find(ref, refHash(ref))
	if e == nil {
		return nil, false
	}
	if e.undefined {
		return nil, true
	}
	return e.value, false
}

// Put caches value for ref (nil: ref is undefined), as OPA's cache does:
// once undefined, a key stays undefined.
func (c *callCache) Put(ref ast.Ref, value *ast.Term) {
	h := refHash(ref)
	e := c.find(ref, h)
	if e == nil {
		if isCall(ref) {
			if c.calls >= c.bound {
				return
			}
			c.calls++
		}
		top := &c.frames[len(c.frames)-1]
		if *top == nil {
			*top = make(map[uint64]*cacheEntry, 32)
		}
		if len(c.slab) == 0 {
			c.slabSize = min(max(2*c.slabSize, firstSlab), maxSlab)
			c.slab = make([]cacheEntry, c.slabSize)
		}
		e = &c.slab[0]
		c.slab = c.slab[1:]
		e.next = (*top)[h]
		if len(ref) <= len(e.buf) {
			e.ref = e.buf[:len(ref):len(ref)]
			copy(e.ref, ref)
		} else {
			e.ref = append(ast.Ref(nil), ref...)
		}
		(*top)[h] = e
	}
	if value != nil {
		e.value = value
	} else {
		e.undefined = true
	}
}

// Keys returns the keys of the top frame that hold a value.
func (c *callCache) Keys() []ast.Ref {
	var out []ast.Ref
	for _, e := range c.frames[len(c.frames)-1] {
		for ; e != nil; e = e.next {
			if e.value != nil {
				out = append(out, e.ref)
			}
		}
	}
	return out
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

// maxDataEntries bounds the data documents one engine's dataCache keeps.
const maxDataEntries = 256

// dataCache is the base-document cache of every evaluation of one engine.
// OPA reads a data document (data.trustlint.config, providers,
// known_accounts) from the store and caches it per evaluation, some
// twenty-five allocations each time, though an engine's store never
// changes: each role read the provider table again. This cache keeps what
// the store returned for the engine's life, safe for concurrent
// evaluations. A key is the reference read; a longer reference is found in
// the value of its cached prefix, as in OPA's cache. It holds store values
// only (OPA merges a `with` value after reading it), up to maxDataEntries
// references.
type dataCache struct {
	mu      sync.RWMutex
	entries []dataEntry
}

type dataEntry struct {
	ref   ast.Ref
	value ast.Value
}

var _ topdown.BaseCache = (*dataCache)(nil)

// Get returns the cached value of ref, nil when it is not cached.
func (c *dataCache) Get(ref ast.Ref) ast.Value {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, e := range c.entries {
		if len(e.ref) > len(ref) || !sameRef(e.ref, ref[:len(e.ref)]) {
			continue
		}
		if len(e.ref) == len(ref) {
			return e.value
		}
		v, err := e.value.Find(ref[len(e.ref):])
		if err != nil {
			return nil
		}
		return v
	}
	return nil
}

// Put caches the store's value of ref.
func (c *dataCache) Put(ref ast.Ref, value ast.Value) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if sameRef(e.ref, ref) {
			c.entries[i].value = value
			return
		}
	}
	if len(c.entries) < maxDataEntries {
		c.entries = append(c.entries, dataEntry{ref: ref.Copy(), value: value})
	}
}
