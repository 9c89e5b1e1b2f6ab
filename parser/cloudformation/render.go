package cloudformation

import (
	"strconv"
	"strings"

	"github.com/trustlint/trustlint/parser/tree"
)

// maxRender bounds the text of an unknown value.
const maxRender = 256

// render writes a value the way a CloudFormation YAML template would, in
// short form, for the text of unknown values: !ImportValue shared-account,
// !GetAtt Cluster.Arn, !Select [0, !GetAZs ""]. Long text is cut.
func render(n *tree.Node) string {
	var b strings.Builder
	renderTo(&b, n)
	return truncate(b.String())
}

// truncate cuts s to maxRender bytes (on a character boundary) and marks
// the cut.
func truncate(s string) string {
	if len(s) <= maxRender {
		return s
	}
	i := maxRender
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "..."
}

func renderTo(b *strings.Builder, n *tree.Node) {
	if b.Len() > maxRender {
		return
	}
	if n == nil {
		b.WriteString("null")
		return
	}
	switch n.Kind {
	case tree.Null:
		b.WriteString("null")
	case tree.Bool:
		b.WriteString(strconv.FormatBool(n.Bool))
	case tree.Number, tree.Unknown:
		b.WriteString(n.Str)
	case tree.String:
		b.WriteString(quoteIfNeeded(n.Str))
	case tree.Array:
		b.WriteByte('[')
		n.Each(func(i int, e *tree.Node) {
			if b.Len() > maxRender {
				return // cut: the rest is not written
			}
			if i > 0 {
				b.WriteString(", ")
			}
			renderTo(b, e)
		})
		if b.Len() > maxRender {
			return
		}
		b.WriteByte(']')
	case tree.Object:
		if fn, arg, ok := intrinsicOf(n); ok {
			renderIntrinsic(b, fn, arg)
			return
		}
		b.WriteByte('{')
		for i, m := range n.Members {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quoteIfNeeded(m.Key))
			b.WriteString(": ")
			renderTo(b, m.Value)
			if b.Len() > maxRender {
				return
			}
		}
		b.WriteByte('}')
	}
}

func renderIntrinsic(b *strings.Builder, fn string, arg *tree.Node) {
	short := strings.TrimPrefix(fn, "Fn::")
	b.WriteByte('!')
	b.WriteString(short)
	if fn == "Fn::GetAtt" && arg.Kind == tree.Array && arg.Len() == 2 &&
		arg.Elems[0].Kind == tree.String && arg.Elems[1].Kind == tree.String {
		b.WriteByte(' ')
		b.WriteString(arg.Elems[0].Str + "." + arg.Elems[1].Str)
		return
	}
	b.WriteByte(' ')
	renderTo(b, arg)
}

// quoteIfNeeded returns s as is when it reads unambiguously in the text of
// an unknown value (as a YAML flow scalar would), else quoted.
func quoteIfNeeded(s string) string {
	if s == "" || strings.IndexByte("!&*|>%@`{-?:#", s[0]) >= 0 || strings.Contains(s, ": ") {
		return strconv.Quote(s)
	}
	for i := range len(s) {
		switch c := s[i]; {
		case c <= ' ', c == '"', c == '\'', c == ',', c == '[', c == ']', c == '#', c >= 0x7f:
			return strconv.Quote(s)
		}
	}
	return s
}

// intrinsicOf returns the function name and argument of an intrinsic
// function call: an object with a single member named Ref, Condition or
// Fn::*.
func intrinsicOf(n *tree.Node) (string, *tree.Node, bool) {
	if n == nil || n.Kind != tree.Object || len(n.Members) != 1 {
		return "", nil, false
	}
	m := n.Members[0]
	if m.Key == "Ref" || m.Key == "Condition" || strings.HasPrefix(m.Key, "Fn::") {
		return m.Key, m.Value, true
	}
	return "", nil, false
}
