package rules

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"sort"
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"
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
	switch x := v.(type) {
	case nil:
		return ast.Null{}
	case bool:
		return ast.Boolean(x)
	case string:
		return ast.String(x)
	case float64:
		return ast.Number(formatNumber(x))
	case int:
		return ast.Number(strconv.Itoa(x))
	case map[string]any:
		terms := make([][2]*ast.Term, 0, len(x))
		for k, e := range x {
			terms = append(terms, [2]*ast.Term{ast.StringTerm(k), ast.NewTerm(toValue(e))})
		}
		return ast.NewObject(terms...)
	case []any:
		terms := make([]*ast.Term, len(x))
		for i, e := range x {
			terms[i] = ast.NewTerm(toValue(e))
		}
		return ast.NewArray(terms...)
	case []string:
		terms := make([]*ast.Term, len(x))
		for i, e := range x {
			terms[i] = ast.StringTerm(e)
		}
		return ast.NewArray(terms...)
	}
	return ast.Null{}
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
	h := sha256.New()
	var buf [9]byte
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
			buf[0] = 's'
			binary.LittleEndian.PutUint64(buf[1:], uint64(len(x)))
			h.Write(buf[:])
			h.Write([]byte(x))
		case float64:
			buf[0] = 'd'
			binary.LittleEndian.PutUint64(buf[1:], math.Float64bits(x))
			h.Write(buf[:])
		case int:
			walk(float64(x))
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			buf[0] = 'o'
			binary.LittleEndian.PutUint64(buf[1:], uint64(len(keys)))
			h.Write(buf[:])
			for _, k := range keys {
				walk(k)
				walk(x[k])
			}
		case []any:
			buf[0] = 'a'
			binary.LittleEndian.PutUint64(buf[1:], uint64(len(x)))
			h.Write(buf[:])
			for _, e := range x {
				walk(e)
			}
		case []string:
			buf[0] = 'a'
			binary.LittleEndian.PutUint64(buf[1:], uint64(len(x)))
			h.Write(buf[:])
			for _, e := range x {
				walk(e)
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
