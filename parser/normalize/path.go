package normalize

import (
	"github.com/trustlint/trustlint/model"
)

// at is the source-map entry of the path being normalized, built one
// element at a time by key and index: normalizing a document records one
// entry per value, and rendering or hashing each path from its elements
// again would dominate the time and memory of parsing a dense document.
// Without a source map (sm == nil) nothing is recorded and at is 0.
type at = model.SourceNode

// pathOf returns the entry of p.
func pathOf(sm *model.SourceMap, p model.Path) at {
	if sm == nil {
		return 0
	}
	return sm.Node(p)
}

// key returns the entry of member k of the object at a.
func key(sm *model.SourceMap, a at, k string) at {
	if sm == nil {
		return 0
	}
	return sm.Add(a, k)
}

// index returns the entry of element i of the list at a.
func index(sm *model.SourceMap, a at, i int) at {
	if sm == nil {
		return 0
	}
	return sm.Add(a, i)
}

// set records the value range of the element at p.
func set(sm *model.SourceMap, p at, r model.Range) {
	if sm != nil {
		sm.SetAt(p, r)
	}
}

// setKey records the key range of the member at p.
func setKey(sm *model.SourceMap, p at, r model.Range) {
	if sm != nil {
		sm.SetKeyAt(p, r)
	}
}
