package model

import (
	"encoding/json"
	"fmt"
	"iter"
	"math"
)

// PackedList is a normalized list of scalars (strings, float64, bool, nil)
// kept as a table of its distinct values and, for each element, its index
// in the table: 2 bytes per element where a []any takes 16 (84 MB of a
// 10 MB JSON policy of five million zeros, issue 9). Long lists repeat
// their values; a list of more distinct values than an index can hold stays
// a []any (PackScalars). It is immutable and safe for concurrent use. Read
// it, as a []any, through List; it encodes to JSON as the list.
type PackedList struct {
	vals []any
	idx  []uint16
}

// maxDistinct is the most distinct values of a PackedList.
const maxDistinct = 1 << 16

// Len returns the number of elements.
func (l *PackedList) Len() int { return len(l.idx) }

// At returns element i.
func (l *PackedList) At(i int) any { return l.vals[l.idx[i]] }

// Distinct returns the distinct values, in the order they first appear;
// the caller must not modify it.
func (l *PackedList) Distinct() []any { return l.vals }

// Index returns the index of element i in Distinct.
func (l *PackedList) Index(i int) int { return int(l.idx[i]) }

// MarshalJSON encodes the list as the JSON array of its elements.
func (l *PackedList) MarshalJSON() ([]byte, error) {
	out := make([]any, l.Len())
	for i := range out {
		out[i] = l.At(i)
	}
	return json.Marshal(out)
}

// String formats the list as fmt formats the []any of its elements.
func (l *PackedList) String() string { return fmt.Sprint(l.slice(0)) }

// scalarKey identifies a scalar: numbers by their bits (0 and -0 print
// differently).
type scalarKey struct {
	kind byte
	str  string
	bits uint64
}

// Packer makes the normalized value of a long list of scalars, added in
// order: a *PackedList, or a []any when the list has more distinct values
// than a PackedList holds. Strings and numbers are added without boxing
// each one (a dense list of five million would allocate as many).
type Packer struct {
	l    PackedList
	seen map[scalarKey]uint16
	out  []any // once the table is full
	n    int
}

// NewPacker returns a Packer for a list of about n elements.
func NewPacker(n int) *Packer {
	return &Packer{l: PackedList{idx: make([]uint16, 0, n)}, seen: map[scalarKey]uint16{}, n: n}
}

// String adds the string s.
func (p *Packer) String(s string) { p.add(scalarKey{kind: 's', str: s}, nil) }

// Number adds the number x.
func (p *Packer) Number(x float64) { p.add(scalarKey{kind: 'd', bits: math.Float64bits(x)}, nil) }

// Add adds v: a string, float64, bool or nil (anything else is kept, in
// a []any).
func (p *Packer) Add(v any) {
	switch x := v.(type) {
	case string:
		p.String(x)
	case float64:
		p.Number(x)
	case bool:
		k := scalarKey{kind: 'f'}
		if x {
			k.kind = 't'
		}
		p.add(k, v)
	case nil:
		p.add(scalarKey{kind: 'n'}, nil)
	default:
		p.spill()
		p.out = append(p.out, v)
	}
}

// add adds the scalar of key k, whose value is v unless k makes it.
func (p *Packer) add(k scalarKey, v any) {
	i, ok := p.seen[k]
	if p.out != nil {
		if ok { // the values of the table stay shared
			p.out = append(p.out, p.l.vals[i])
		} else {
			p.out = append(p.out, k.value(v))
		}
		return
	}
	if !ok {
		if len(p.l.vals) == maxDistinct {
			p.spill()
			p.out = append(p.out, k.value(v))
			return
		}
		i = uint16(len(p.l.vals)) //nolint:gosec // G115: under maxDistinct, checked above
		p.seen[k] = i
		p.l.vals = append(p.l.vals, k.value(v))
	}
	p.l.idx = append(p.l.idx, i)
}

// value returns the value of k: v when k is not a string or a number.
func (k scalarKey) value(v any) any {
	switch k.kind {
	case 's':
		return k.str
	case 'd':
		return math.Float64frombits(k.bits)
	}
	return v
}

// spill moves the elements added so far to a []any.
func (p *Packer) spill() {
	if p.out == nil {
		p.out = p.l.slice(p.n)
		p.l.idx = nil
	}
}

// List returns the list.
func (p *Packer) List() any {
	if p.out != nil {
		return p.out
	}
	l := p.l
	return &l
}

// slice returns the elements of l as a []any of capacity n.
func (l *PackedList) slice(n int) []any {
	out := make([]any, l.Len(), max(n, l.Len()))
	for i := range out {
		out[i] = l.At(i)
	}
	return out
}

// List returns the elements of a normalized list, a []any or a
// *PackedList, and its length; ok is false for any other value.
func List(v any) (elems iter.Seq2[int, any], n int, ok bool) {
	switch x := v.(type) {
	case []any:
		return func(yield func(int, any) bool) {
			for i, e := range x {
				if !yield(i, e) {
					return
				}
			}
		}, len(x), true
	case *PackedList:
		return func(yield func(int, any) bool) {
			for i, k := range x.idx {
				if !yield(i, x.vals[k]) {
					return
				}
			}
		}, len(x.idx), true
	}
	return nil, 0, false
}
