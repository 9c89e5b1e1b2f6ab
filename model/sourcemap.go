package model

import (
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/trustlint/trustlint/internal/chunk"
)

// SourceMap maps the paths of a role's rule input to source ranges: the
// range of each element's value, and of the key of each object member (for
// findings that point at a key, such as NotPrincipal). Parsers fill it for
// every element they emit, including synthesized ones: the
// Principal.AWS[0] made from "Principal": "*" maps to the "*" literal.
//
// The map is a tree of paths with compact ranges rather than a table of
// path strings: a dense document has one entry per value, and a string key
// and a full Range for each made the map several times larger than the
// document itself. An entry costs 40 bytes, and 8 more for the index
// that the first Lookup of a large map builds. A parser that records a
// document value by value (parser/normalize) adds the children of an entry
// with Add and sets ranges with SetAt, without rendering paths; the
// elements of a long list of scalars can stay packed (Pack), their ranges
// computed when looked up. A SourceMap
// is not safe for concurrent writes; reads (Lookup, the enumerations) are
// safe once it is complete.
type SourceMap struct {
	nodes smNodes
	keys  chunk.List[cRange] // key ranges, indexed by smNode.key-1 (in chunks: one growing slice of a large policy's keys cost a tenth of its parse in copies)
	names []string           // member names, indexed by ^smNode.elem
	ids   map[string]int32   // index of each name in names
	files []string           // file names, indexed by cRange.file-1
	index atomic.Pointer[smIndex]
	packs map[int32]*smPack // elements of a list recorded with Pack
}

// smPack holds the ranges of the elements of a list of scalars recorded
// with Pack: an entry of 40 bytes per element made the map of a dense
// list of five million values take 200 MB (issue 9). The range of element i
// is computed when it is looked up; at may keep state (a line index that
// counts on), so lookups take turns.
type smPack struct {
	n  int
	mu sync.Mutex
	at func(i int) Range
}

// rng returns the range of element i.
func (k *smPack) rng(i int) Range {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.at(i)
}

// smIndex lists the children of each entry, for Lookup in a large map:
// kids[start[n]:start[n+1]] are the children of entry n, sorted by element
// and, for the same element, by entry.
type smIndex struct{ start, kids []int32 }

// SourceNode is an entry of a SourceMap: a path of the rule input.
type SourceNode int32

// smNodes holds the entries in chunks (chunk.List), so that a map of
// millions of entries grows without copying them.
type smNodes = chunk.List[smNode]

// smNode is one path: its parent, its last element and its value range.
type smNode struct {
	parent int32 // -1 for the root (the empty path)
	elem   int32 // a list index, or ^(index in names) for a member name
	value  cRange
	key    int32 // 1 + index in keys, or 0
}

// cRange is a Range with the file as an index into the map's file table
// (0: no range) and 32-bit positions (input files are limited to far less
// than 2 GB).
type cRange struct {
	file               int32
	sLine, sCol, sByte int32
	eLine, eCol, eByte int32
}

// NewSourceMap returns an empty source map.
func NewSourceMap() *SourceMap {
	m := &SourceMap{}
	m.Root()
	return m
}

// compact converts r for storage.
func (m *SourceMap) compact(r Range) cRange {
	f := -1
	for i := len(m.files) - 1; i >= 0; i-- {
		if m.files[i] == r.File {
			f = i
			break
		}
	}
	if f < 0 {
		m.files = append(m.files, r.File)
		f = len(m.files) - 1
	}
	return cRange{
		file:  i32(f + 1),
		sLine: i32(r.Start.Line), sCol: i32(r.Start.Column), sByte: i32(r.Start.Byte),
		eLine: i32(r.End.Line), eCol: i32(r.End.Column), eByte: i32(r.End.Byte),
	}
}

// expand converts a stored range back.
func (m *SourceMap) expand(c cRange) Range {
	return Range{
		File:  m.files[c.file-1],
		Start: Pos{Line: int(c.sLine), Column: int(c.sCol), Byte: int(c.sByte)},
		End:   Pos{Line: int(c.eLine), Column: int(c.eCol), Byte: int(c.eByte)},
	}
}

// Root returns the entry of the empty path.
func (m *SourceMap) Root() SourceNode {
	if m.nodes.Len() == 0 {
		m.nodes.Append(smNode{parent: -1})
	}
	return 0
}

// elem returns the stored form of a path element (a string key or an int
// index; float64 indexes come from paths decoded from Rego or JSON); ok is
// false for other types, and, when add is false, for a name never recorded.
func (m *SourceMap) elem(e any, add bool) (int32, bool) {
	switch v := e.(type) {
	case string:
		id, ok := m.ids[v]
		if !ok {
			if !add {
				return 0, false
			}
			if m.ids == nil {
				m.ids = make(map[string]int32, 8)
			}
			id = i32(len(m.names))
			m.names = append(m.names, v)
			m.ids[v] = id
		}
		return ^id, true
	case int, float64:
		i := toInt(v)
		if i < 0 || i > 1<<31-1 { // never a real index
			return m.elem("["+strconv.Itoa(i)+"]", add)
		}
		return i32(i), true
	}
	return 0, false
}

// Add returns a new entry for element elem (a string key or an int index)
// of the path n. The caller knows that n has no such child yet (a
// normalizer visiting each member once): a second entry for the same path
// hides the first and everything below it from Lookup. Other element types
// give n itself.
func (m *SourceMap) Add(n SourceNode, elem any) SourceNode {
	e, ok := m.elem(elem, true)
	if !ok {
		return n
	}
	m.index.Store(nil)
	m.nodes.Append(smNode{parent: int32(n), elem: e})
	return SourceNode(i32(m.nodes.Len() - 1))
}

// Child returns the entry of element elem of the path n, adding it when it
// is new.
func (m *SourceMap) Child(n SourceNode, elem any) SourceNode {
	if e, ok := m.elem(elem, false); ok {
		if c, ok := m.child(int32(n), e); ok {
			return SourceNode(c)
		}
	}
	return m.Add(n, elem)
}

// child finds the last entry for element e of entry n.
func (m *SourceMap) child(n, e int32) (int32, bool) {
	if m.nodes.Len() <= 64 {
		for i := m.nodes.Len() - 1; i > int(n); i-- {
			if m.nodes.At(i).parent == n && m.nodes.At(i).elem == e {
				return i32(i), true
			}
		}
		return 0, false
	}
	x := m.index.Load()
	if x == nil {
		x = m.buildIndex()
		m.index.Store(x)
	}
	kids := x.kids[x.start[n]:x.start[n+1]]
	// The last child with element e: the first one past e, minus one.
	i, _ := slices.BinarySearchFunc(kids, e+1, func(c, t int32) int {
		if m.nodes.At(int(c)).elem < t {
			return -1
		}
		return 1
	})
	if i > 0 && m.nodes.At(int(kids[i-1])).elem == e {
		return kids[i-1], true
	}
	return 0, false
}

// buildIndex sorts the entries by parent (a counting sort: entries come in
// order) and then each entry's children by element.
func (m *SourceMap) buildIndex() *smIndex {
	n := m.nodes.Len()
	x := &smIndex{start: make([]int32, n+1), kids: make([]int32, max(n-1, 0))}
	for i := 1; i < n; i++ {
		x.start[m.nodes.At(i).parent+1]++
	}
	for i := 1; i <= n; i++ {
		x.start[i] += x.start[i-1]
	}
	next := slices.Clone(x.start[:n])
	for i := 1; i < n; i++ {
		p := m.nodes.At(i).parent
		x.kids[next[p]] = i32(i)
		next[p]++
	}
	for p := range n {
		kids := x.kids[x.start[p]:x.start[p+1]]
		byElem := func(a, b int32) int {
			if ea, eb := m.nodes.At(int(a)).elem, m.nodes.At(int(b)).elem; ea != eb {
				if ea < eb {
					return -1
				}
				return 1
			}
			return int(a - b)
		}
		if !slices.IsSortedFunc(kids, byElem) {
			slices.SortFunc(kids, byElem)
		}
	}
	return x
}

// Node returns the entry of p, adding the entries it lacks.
func (m *SourceMap) Node(p Path) SourceNode {
	n := m.Root()
	for _, e := range p {
		n = m.Child(n, e)
	}
	return n
}

// Pack records the value ranges of the n elements of the list at entry l,
// whose elements are scalars, without an entry for each: at(i) returns the
// range of element i when a lookup needs it. An entry added for an element
// (Add, Child) takes precedence over the pack.
func (m *SourceMap) Pack(l SourceNode, n int, at func(i int) Range) {
	if m.packs == nil {
		m.packs = map[int32]*smPack{}
	}
	m.packs[int32(l)] = &smPack{n: n, at: at}
}

// packed returns the pack of entry n and the index that element e names in
// it, if n has a pack with such an element.
func (m *SourceMap) packed(n, e int32) (*smPack, int, bool) {
	k := m.packs[n]
	if k == nil || e < 0 || int(e) >= k.n {
		return nil, 0, false
	}
	return k, int(e), true
}

// SetAt records the range of the value at n.
func (m *SourceMap) SetAt(n SourceNode, r Range) { m.nodes.At(int(n)).value = m.compact(r) }

// SetKeyAt records the range of the key of the member at n.
func (m *SourceMap) SetKeyAt(n SourceNode, r Range) {
	c := m.compact(r)
	if k := m.nodes.At(int(n)).key; k > 0 {
		*m.keys.At(int(k - 1)) = c
		return
	}
	m.keys.Append(c)
	m.nodes.At(int(n)).key = i32(m.keys.Len())
}

// Set records the range of the value at p.
func (m *SourceMap) Set(p Path, r Range) { m.SetAt(m.Node(p), r) }

// SetKey records the range of the key of the member at p.
func (m *SourceMap) SetKey(p Path, r Range) { m.SetKeyAt(m.Node(p), r) }

// Lookup returns the range for p: the key range when key is set and known,
// otherwise the value range of p or of its nearest ancestor that has one.
// ok is false when no prefix of p is mapped.
func (m *SourceMap) Lookup(p Path, key bool) (r Range, ok bool) {
	if m == nil || m.nodes.Len() == 0 {
		return Range{}, false
	}
	var last cRange
	var pack *smPack // the pack of the deepest element found in one
	at, n := 0, int32(0)
	for depth, e := range p {
		elem, ok := m.elem(e, false)
		if !ok {
			break
		}
		c, found := m.child(n, elem)
		k, i, inPack := m.packed(n, elem)
		if !found {
			if inPack { // a scalar: the rest of the path lies inside it
				pack, at = k, i
			}
			break
		}
		n = c
		switch v := m.nodes.At(int(n)).value; {
		case v.file > 0:
			last, pack = v, nil
		case inPack:
			pack, at = k, i
		}
		if depth == len(p)-1 && key {
			if k := m.nodes.At(int(n)).key; k > 0 {
				return m.expand(*m.keys.At(int(k - 1))), true
			}
		}
	}
	switch {
	case pack != nil:
		return pack.rng(at), true
	case last.file > 0:
		return m.expand(last), true
	}
	return Range{}, false
}

// Files returns the files the ranges of m lie in, in the order they were
// first recorded.
func (m *SourceMap) Files() []string {
	if m == nil {
		return nil
	}
	return m.files
}

// MapRanges replaces every range r of m, value and key ranges alike, by
// f(r).
func (m *SourceMap) MapRanges(f func(Range) Range) {
	if m == nil {
		return
	}
	for i := range m.nodes.Len() {
		if c := m.nodes.At(i).value; c.file > 0 {
			m.nodes.At(i).value = m.compact(f(m.expand(c)))
		}
	}
	for i := range m.keys.Len() {
		k := m.keys.At(i)
		*k = m.compact(f(m.expand(*k)))
	}
	for _, k := range m.packs {
		at := k.at
		k.at = func(i int) Range { return f(at(i)) }
	}
}

// ValueMap returns the value ranges of m by the canonical string of their
// path (Path.String): for tests and tools, not for a hot path.
func (m *SourceMap) ValueMap() map[string]Range { return m.table(false) }

// KeyMap returns the key ranges of m by the canonical string of their path.
func (m *SourceMap) KeyMap() map[string]Range { return m.table(true) }

func (m *SourceMap) table(keys bool) map[string]Range {
	out := map[string]Range{}
	if m == nil {
		return out
	}
	if !keys {
		for l, k := range m.packs {
			base := m.path(l)
			for i := range k.n {
				out[append(base[:len(base):len(base)], i).String()] = k.rng(i)
			}
		}
	}
	for i := 1; i < m.nodes.Len(); i++ {
		n := m.nodes.At(i)
		switch {
		case keys && n.key > 0:
			out[m.path(i32(i)).String()] = m.expand(*m.keys.At(int(n.key - 1)))
		case !keys && n.value.file > 0:
			out[m.path(i32(i)).String()] = m.expand(n.value)
		}
	}
	return out
}

// path rebuilds the path of entry i.
func (m *SourceMap) path(i int32) Path {
	var p Path
	for ; i > 0; i = m.nodes.At(int(i)).parent {
		if e := m.nodes.At(int(i)).elem; e < 0 {
			p = append(p, m.names[^e])
		} else {
			p = append(p, int(e))
		}
	}
	for a, b := 0, len(p)-1; a < b; a, b = a+1, b-1 {
		p[a], p[b] = p[b], p[a]
	}
	return p
}

// String renders the path of entry n (for debugging and messages).
func (m *SourceMap) String(n SourceNode) string { return m.path(int32(n)).String() }

// i32 converts a position or a count, clamped to the int32 range (input
// files are far smaller).
func i32(v int) int32 { return int32(min(max(v, -1<<31), 1<<31-1)) }

// toInt converts a list index, int or float64.
func toInt(v any) int {
	if f, ok := v.(float64); ok {
		return int(f)
	}
	return v.(int)
}
