package cloudformation

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/tree"
)

// forEachPrefix starts the key of an Fn::ForEach loop (AWS::LanguageExtensions):
// Fn::ForEach::<LoopName>: [<Identifier>, <Collection>, {<OutputKey>: <body>}].
const forEachPrefix = "Fn::ForEach::"

// maxExpanded bounds the members that the loops of one section expand to.
const maxExpanded = 10000

// isForEach reports whether key names an Fn::ForEach loop.
func isForEach(key string) bool { return strings.HasPrefix(key, forEachPrefix) }

// expander expands the Fn::ForEach loops of one template section.
type expander struct {
	p     *fileParser
	count int
}

// expand expands the loop named key (at keyRange) whose value is v and
// calls out with each member it yields: the OutputKey and body of its
// template with the identifier replaced by each element of the collection,
// loops nested in the template expanded in turn. A loop whose collection
// is not static (a parameter without Default, an import) yields nothing
// and gives a note: its members are unknown, never an error.
func (e *expander) expand(key string, keyRange model.Range, v *tree.Node, depth int, out func(key string, keyRange model.Range, body *tree.Node)) {
	loop := strings.TrimPrefix(key, forEachPrefix)
	if depth > MaxDepth {
		e.note(keyRange, fmt.Sprintf("Fn::ForEach::%s is nested too deeply: its resources are not analyzed", loop))
		return
	}
	if v.Kind != tree.Array || v.Len() != 3 || v.Elems[0].Kind != tree.String || v.Elems[2].Kind != tree.Object {
		e.note(v.Range, fmt.Sprintf("Fn::ForEach::%s is not [identifier, collection, {output key: template}]: its resources are not analyzed", loop))
		return
	}
	ident, tmpl := v.Elems[0].Str, v.Elems[2]
	values, ok := e.collection(v.Elems[1])
	if !ok {
		e.note(v.Elems[1].Range, fmt.Sprintf("Fn::ForEach::%s loops over %s, which is not known statically: its resources are not analyzed", loop, render(v.Elems[1])))
		return
	}
	for _, val := range values {
		for _, m := range tmpl.Members {
			if e.count >= maxExpanded {
				e.note(keyRange, fmt.Sprintf("Fn::ForEach::%s expands to more than %d members: the rest are not analyzed", loop, maxExpanded))
				return
			}
			body := substitute(m.Value, ident, val, 0)
			if isForEach(m.Key) {
				e.expand(m.Key, m.KeyRange, body, depth+1, out)
				continue
			}
			e.count++
			out(substituteText(m.Key, ident, val), m.KeyRange, body)
		}
	}
}

// collection resolves the collection of a loop to its elements as strings:
// a list of scalars, or what resolves to one (a CommaDelimitedList or
// List<...> parameter with a Default, a mapping).
func (e *expander) collection(n *tree.Node) ([]string, bool) {
	res := newResolver(e.p.tp, variant{})
	v := res.resolve(n)
	if v.noValue || v.n == nil || v.n.Kind != tree.Array {
		return nil, false
	}
	out := make([]string, 0, v.n.Len())
	for _, el := range v.n.Elements() {
		switch el.Kind {
		case tree.String, tree.Number:
			out = append(out, el.Str)
		case tree.Bool:
			out = append(out, strconv.FormatBool(el.Bool))
		default:
			return nil, false
		}
	}
	return out, true
}

func (e *expander) note(r model.Range, msg string) {
	e.p.diags = append(e.p.diags, model.Diagnostic{Range: r, Message: msg, Level: model.DiagNote})
}

// substitute returns a copy of n with the loop identifier ident replaced by
// val: {"Ref": ident} becomes the string val, and ${ident} and &{ident} in
// strings and keys become val and val without its non-alphanumeric
// characters. Nodes without the identifier are shared, not copied.
func substitute(n *tree.Node, ident, val string, depth int) *tree.Node {
	if n == nil || depth > 2*MaxDepth {
		return n
	}
	switch n.Kind {
	case tree.String:
		if s := substituteText(n.Str, ident, val); s != n.Str {
			c := *n
			c.Str = s
			return &c
		}
	case tree.Object:
		if fn, arg, ok := intrinsicOf(n); ok && fn == "Ref" && arg.Kind == tree.String && arg.Str == ident {
			return &tree.Node{Kind: tree.String, Str: val, Range: n.Range}
		}
	}
	return n.MapChildren(func(k string) string { return substituteText(k, ident, val) },
		func(v *tree.Node) *tree.Node { return substitute(v, ident, val, depth+1) })
}

// substituteText replaces ${ident} by val and &{ident} by val without its
// non-alphanumeric characters (for logical IDs) in s.
func substituteText(s, ident, val string) string {
	if !strings.Contains(s, "{"+ident+"}") {
		return s
	}
	s = strings.ReplaceAll(s, "${"+ident+"}", val)
	return strings.ReplaceAll(s, "&{"+ident+"}", alphanumeric(val))
}

// alphanumeric returns s without the characters that are not ASCII letters
// or digits.
func alphanumeric(s string) string {
	var b strings.Builder
	for i := range len(s) {
		if c := s[i]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}
