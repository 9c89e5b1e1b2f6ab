// Package tree is the positioned value tree that format parsers build before
// normalization: JSON, YAML and HCL all become Nodes carrying their source
// ranges, and parser/normalize turns a policy Node into the rule input and
// its source map. Keeping this step shared means IAM's spelling rules are
// implemented once, whatever the file format.
package tree

import (
	"sync"

	"github.com/trustlint/trustlint/model"
)

// Kind is the kind of a Node.
type Kind uint8

// Node kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Object
	Array
	// Unknown is a value that cannot be resolved statically (a Terraform
	// variable without default, an unresolved !Ref). Str holds the source
	// expression, or a template with the unknown pieces written as ${expr}.
	Unknown
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Object:
		return "object"
	case Array:
		return "array"
	case Unknown:
		return "unknown"
	}
	return "invalid"
}

// Node is one value with its source range.
type Node struct {
	Kind Kind
	// Bool is the value of a Bool.
	Bool bool
	// Skipped counts the members of an Object that the parser did not read
	// (srcjson.MaxMembers): normalization stands for them with an unknown
	// where they could change what a rule concludes (a Condition).
	Skipped uint32
	// Str is the value of a String, the literal text of a Number, or the
	// expression text of an Unknown.
	Str string
	// Num is the value of a Number.
	Num float64
	// Members are the members of an Object, in source order.
	Members []Member
	// Elems are the elements of an Array, unless Packed holds them.
	Elems []*Node
	// Packed, when not nil, holds the elements of an Array instead of
	// Elems. Read arrays through Len, Each or Elements, which handle both.
	Packed *Packed
	// Range spans the value in its source file.
	Range model.Range
}

// Member is one key/value pair of an Object.
type Member struct {
	Key      string
	KeyRange model.Range
	Value    *Node
}

// Packed is the compact form of a long Array whose elements are all
// scalars: a parser keeps where each element is written and makes its
// Node only when it is read. A Node per value made a dense 10 MB JSON list
// (five million values of 144 bytes each) take a gigabyte (issue 9).
type Packed struct {
	n    int
	elem func(i int, e *Node)

	mu  sync.Mutex // rng may keep state (a line index's cursor)
	rng func(i int) model.Range
}

// NewPacked returns the packed elements of an array of n elements; elem
// sets *e to element i. Elements are read in order (Each), which lets elem
// compute positions by counting on. rng returns the range of element i
// alone, for a source map that keeps the array's ranges packed (Range);
// it must not share state with elem.
func NewPacked(n int, elem func(i int, e *Node), rng func(i int) model.Range) *Packed {
	return &Packed{n: n, elem: elem, rng: rng}
}

// Range returns the range of element i. It is safe for concurrent use:
// rules look ranges up from several goroutines.
func (p *Packed) Range(i int) model.Range {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rng(i)
}

// Len returns the number of elements of an Array (0 for other kinds).
func (n *Node) Len() int {
	if n.Packed != nil {
		return n.Packed.n
	}
	return len(n.Elems)
}

// Each calls f with each element of an Array, in order. The element of a
// packed array is one Node that every call reuses: f must not keep it.
func (n *Node) Each(f func(i int, e *Node)) {
	if n.Packed == nil {
		for i, e := range n.Elems {
			f(i, e)
		}
		return
	}
	var e Node
	for i := range n.Packed.n {
		n.Packed.elem(i, &e)
		f(i, &e)
	}
}

// Elements returns the elements of an Array. Those of a packed array are
// made anew at each call, as one Node each.
func (n *Node) Elements() []*Node {
	if n.Packed == nil {
		return n.Elems
	}
	nodes := make([]Node, n.Packed.n)
	out := make([]*Node, len(nodes))
	for i := range nodes {
		n.Packed.elem(i, &nodes[i])
		out[i] = &nodes[i]
	}
	return out
}

// Get returns the value of the last member named key, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i].Value
		}
	}
	return nil
}

// Member returns the last member named key and whether there is one.
func (n *Node) Member(key string) (Member, bool) {
	if n == nil || n.Kind != Object {
		return Member{}, false
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i], true
		}
	}
	return Member{}, false
}

// MapChildren returns n with each member's key replaced by key(key) (kept
// when key is nil) and each member's value and each element replaced by
// value(child). What is unchanged is shared, not copied: n itself when no
// child changes, the members before the first change otherwise. A node
// that is neither an Object nor an Array is returned as is.
func (n *Node) MapChildren(key func(string) string, value func(*Node) *Node) *Node {
	switch {
	case n == nil:
	case n.Kind == Object:
		var out []Member
		for i, m := range n.Members {
			k, v := m.Key, value(m.Value)
			if key != nil {
				k = key(m.Key)
			}
			if out == nil && (k != m.Key || v != m.Value) {
				out = append(make([]Member, 0, len(n.Members)), n.Members[:i]...)
			}
			if out != nil {
				out = append(out, Member{Key: k, KeyRange: m.KeyRange, Value: v})
			}
		}
		if out != nil {
			c := *n
			c.Members = out
			return &c
		}
	case n.Kind == Array:
		var out []*Node
		elems := n.Elements()
		for i, e := range elems {
			v := value(e)
			if out == nil && v != e {
				out = append(make([]*Node, 0, len(elems)), elems[:i]...)
			}
			if out != nil {
				out = append(out, v)
			}
		}
		if out != nil {
			c := *n
			c.Elems, c.Packed = out, nil
			return &c
		}
	}
	return n
}
