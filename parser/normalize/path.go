package normalize

import (
	"slices"
	"strconv"

	"github.com/trustlint/trustlint/model"
)

// at is the canonical string of a model.Path (model.Path.String), built one
// element at a time by Normalizer.key and Normalizer.index: normalizing a
// role sets dozens of source-map entries, and rendering each path from its
// elements again would dominate the time of parsing a large export.
// TestPathStrings checks it against model.Path.String.
type at string

// pathOf renders p.
func pathOf(p model.Path) at { return at(p.String()) }

// pathOf renders p, remembering the last path rendered: a parser passes
// the same base (model.PolicyPath) for every role.
func (z *Normalizer) pathOf(p model.Path) at {
	if z == nil {
		return pathOf(p)
	}
	if z.base == nil || !samePath(p, z.base) {
		z.base, z.baseStr = slices.Clone(p), pathOf(p)
	}
	return z.baseStr
}

// samePath reports whether a and b have the same string and int elements.
// (Comparing arbitrary elements with == could panic.)
func samePath(a, b model.Path) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		switch x := a[i].(type) {
		case string:
			if y, ok := b[i].(string); !ok || x != y {
				return false
			}
		case int:
			if y, ok := b[i].(int); !ok || x != y {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// key returns the path of member k of the object at a.
func (z *Normalizer) key(a at, k string) at {
	if z == nil {
		if model.IsIdent(k) {
			if a == "" {
				return at(k)
			}
			return a + "." + at(k)
		}
		return a + "[" + at(strconv.Quote(k)) + "]"
	}
	b := append(z.buf[:0], a...)
	if model.IsIdent(k) {
		if a != "" {
			b = append(b, '.')
		}
		b = append(b, k...)
	} else {
		b = append(b, '[')
		b = strconv.AppendQuote(b, k)
		b = append(b, ']')
	}
	return z.share(b)
}

// index returns the path of element i of the list at a.
func (z *Normalizer) index(a at, i int) at {
	if z == nil {
		return a + "[" + at(strconv.Itoa(i)) + "]"
	}
	b := append(z.buf[:0], a...)
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ']')
	return z.share(b)
}

// share returns the path string b, shared with earlier uses.
func (z *Normalizer) share(b []byte) at {
	z.buf = b
	if s, ok := z.paths[string(b)]; ok {
		return at(s)
	}
	s := string(b)
	if z.paths == nil {
		z.paths = make(map[string]string, 256)
	}
	if len(z.paths) < maxPaths {
		z.paths[s] = s
	}
	return at(s)
}

// set records the value range of the element at p.
func set(sm *model.SourceMap, p at, r model.Range) {
	if sm != nil {
		sm.Values[string(p)] = r
	}
}

// setKey records the key range of the member at p.
func setKey(sm *model.SourceMap, p at, r model.Range) {
	if sm != nil {
		sm.Keys[string(p)] = r
	}
}
