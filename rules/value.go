package rules

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"io"
	"math"
	"runtime"
	"sort"
	"strconv"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/trustlint/trustlint/internal/par"
	"github.com/trustlint/trustlint/model"
)

// Why a hand-written converter and not OPA's ast.InterfaceToValue: OPA
// (v1.22.2) turns a float64 into strconv.FormatFloat(f, 'g', -1, 64), so a
// large whole number reaches the rules in exponent form: 123456789012 becomes
// 1.23456789012e+11, and an account ID written as a JSON number,
// 204518736390, becomes 2.0451873639e+11 wherever a rule prints it (sprintf
// in messages) or compares its text. Numbers are float64 all through
// parser/tree, the model and audit, so feeding InterfaceToValue exact numbers
// would mean changing that representation or copying the input tree first.
// toValue writes whole numbers without an exponent instead (formatNumber).

// toValue converts a rule input built of plain Go values (maps, slices,
// strings, float64, bool, nil) straight to an OPA value. rego.EvalInput
// would JSON-round-trip the input first, which costs more than some rules.
func toValue(v any) ast.Value {
	var c converter
	return c.value(v)
}

// maxShared bounds the scalar terms one conversion shares.
const maxShared = 1 << 12

// parallelList is the length from which a list is converted on every core
// (a policy of 100,000 statements: 0.7 s on one).
const parallelList = 4096

// converter converts one rule input. OPA terms are immutable, and scalars
// repeat: the values of a dense condition list, "Allow", "sts:AssumeRole",
// the member names of every statement. Each distinct scalar (up to
// maxShared of them) becomes one term that all its occurrences share, so an
// element of a list of a million zeros costs a pointer instead of a term, a
// boxed value and its text (issue 9: the rule input of 10 MB of dense JSON
// took 400 MB).
type converter struct {
	strs map[string]*ast.Term
	nums map[uint64]*ast.Term // by bits: 0 and -0 print differently
}

func (c *converter) value(v any) ast.Value {
	switch x := v.(type) {
	case map[string]any:
		terms := make([][2]*ast.Term, 0, len(x))
		for k, e := range x {
			terms = append(terms, [2]*ast.Term{c.str(k), c.term(e)})
		}
		return ast.NewObject(terms...)
	case []any:
		terms := make([]*ast.Term, len(x))
		if len(x) < parallelList {
			for i, e := range x {
				terms[i] = c.term(e)
			}
			return ast.NewArray(terms...)
		}
		// A list this long (a policy's statements) is converted on every
		// core, in as many runs of elements: the first with c, each other
		// with a converter of its own, which shares its own scalars.
		runs := max(2, runtime.GOMAXPROCS(0))
		size := (len(x) + runs - 1) / runs
		par.Each(runs, runs, func(k int) {
			cc := c
			if k > 0 {
				cc = new(converter)
			}
			for i := k * size; i < min(len(x), (k+1)*size); i++ {
				terms[i] = cc.term(x[i])
			}
		})
		return ast.NewArray(terms...)
	case []string:
		terms := make([]*ast.Term, len(x))
		for i, e := range x {
			terms[i] = c.str(e)
		}
		return ast.NewArray(terms...)
	case *model.PackedList:
		// One term per distinct value, whatever maxShared.
		distinct := make([]*ast.Term, len(x.Distinct()))
		for i, e := range x.Distinct() {
			distinct[i] = c.term(e)
		}
		terms := make([]*ast.Term, x.Len())
		for i := range terms {
			terms[i] = distinct[x.Index(i)]
		}
		return ast.NewArray(terms...)
	}
	return c.term(v).Value
}

// term returns the term of v, shared when v is a scalar.
func (c *converter) term(v any) *ast.Term {
	switch x := v.(type) {
	case nil:
		return ast.InternedNullTerm
	case bool:
		return ast.InternedTerm(x)
	case string:
		return c.str(x)
	case float64:
		return c.num(x)
	case int:
		return c.num(float64(x))
	case map[string]any, []any, []string, *model.PackedList:
		return ast.NewTerm(c.value(v))
	}
	return ast.InternedNullTerm
}

// str returns the shared term of s.
func (c *converter) str(s string) *ast.Term {
	if t, ok := c.strs[s]; ok {
		return t
	}
	if t, ok := names[s]; ok {
		return t
	}
	t := ast.StringTerm(s)
	if c.strs == nil {
		c.strs = make(map[string]*ast.Term)
	}
	if len(c.strs) < maxShared {
		c.strs[s] = t
	}
	return t
}

// num returns the shared term of x.
func (c *converter) num(x float64) *ast.Term {
	bits := math.Float64bits(x)
	if t, ok := c.nums[bits]; ok {
		return t
	}
	t := ast.NewTerm(ast.Number(formatNumber(x)))
	if c.nums == nil {
		c.nums = make(map[uint64]*ast.Term)
	}
	if len(c.nums) < maxShared {
		c.nums[bits] = t
	}
	return t
}

// formatNumber writes a number as JSON without an exponent when it is a
// whole number that fits (43200, 204518736390: messages never print
// 2.0451873639e+11).
func formatNumber(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e21 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// digest is a canonical hash of a plain Go value: equal values (maps in any
// order) give equal digests.
type digest [sha256.Size]byte

func hashValue(v any) digest {
	w := hashers.Get().(*valueHasher)
	w.h.Reset()
	w.buf, w.keys = w.buf[:0], w.keys[:0]
	w.walk(v)
	w.h.Write(w.buf)
	var d digest
	w.h.Sum(d[:0])
	if cap(w.keys) <= 1<<10 && cap(w.buf) <= 128<<10 {
		clear(w.keys[:cap(w.keys)]) // the pool keeps no string alive
		hashers.Put(w)
	}
	return d
}

// hashers are valueHashers to reuse: each role of an export is hashed
// several times (its policy, each rule group's key, the role's key), and
// a new hasher's buffer grew from nothing each time (4 % of the CPU of a
// 40,000-role export). A hasher that grew large (a map of thousands of
// keys) is not kept.
var hashers = sync.Pool{New: func() any {
	return &valueHasher{h: sha256.New(), buf: make([]byte, 0, 4<<10)}
}}

// valueHasher writes a value's canonical bytes to h through buf, and sorts
// the keys of each map in one slice that grows with the nesting: a policy
// of 100,000 statements is hashed without an allocation per string or
// per map.
type valueHasher struct {
	h    hash.Hash
	buf  []byte
	keys []string
}

// head writes a tag and an 8-byte number: a length, or a float's bits.
func (w *valueHasher) head(tag byte, n uint64) {
	w.buf = binary.LittleEndian.AppendUint64(append(w.buf, tag), n)
}

// str writes a string (a string in an interface would be boxed).
func (w *valueHasher) str(s string) {
	w.head('s', uint64(len(s)))
	if len(s) > 32<<10 {
		w.h.Write(w.buf)
		w.buf = w.buf[:0]
		io.WriteString(w.h, s) //nolint:errcheck // a hash never fails
		return
	}
	w.buf = append(w.buf, s...)
}

func (w *valueHasher) walk(v any) {
	if len(w.buf) >= 32<<10 {
		w.h.Write(w.buf)
		w.buf = w.buf[:0]
	}
	switch x := v.(type) {
	case nil:
		w.buf = append(w.buf, 'n')
	case bool:
		if x {
			w.buf = append(w.buf, 't')
		} else {
			w.buf = append(w.buf, 'f')
		}
	case string:
		w.str(x)
	case float64:
		w.head('d', math.Float64bits(x))
	case int:
		w.head('d', math.Float64bits(float64(x)))
	case map[string]any:
		start := len(w.keys)
		for k := range x {
			w.keys = append(w.keys, k)
		}
		sort.Strings(w.keys[start:])
		n := len(w.keys) - start
		w.head('o', uint64(n)) //nolint:gosec // G115: a length is never negative
		for i := range n {
			k := w.keys[start+i] // w.keys may grow below
			w.str(k)
			w.walk(x[k])
		}
		w.keys = w.keys[:start]
	case []any:
		w.head('a', uint64(len(x)))
		for _, e := range x {
			w.walk(e)
		}
	case []string:
		w.head('a', uint64(len(x)))
		for _, e := range x {
			w.str(e)
		}
	case *model.PackedList: // as the []any of its elements
		w.head('a', uint64(x.Len())) //nolint:gosec // G115: a length is never negative
		for i := range x.Len() {
			w.walk(x.At(i))
		}
	default:
		w.buf = append(w.buf, '?')
	}
}
