package cloudformation

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/tree"
)

// Sentinels delimit the placeholder of an unknown piece in text that is
// parsed as JSON: private-use characters that survive JSON decoding and
// that no policy has a reason to contain.
const (
	sentinelOpen  = "\uE000"
	sentinelClose = "\uE001"
)

// text is a string built from pieces of the file, with the file offset of
// each of its bytes: the decoded text of a string literal maps byte by byte
// to its characters; a substituted value maps to the ${ of its placeholder
// or to the intrinsic function that produced it.
type text struct {
	b    []byte
	offs []int // one per byte of b
	end  int   // the file offset of the end of the text
	// pieces are the unknown pieces, in order.
	pieces []string
	// sentinels, when set, writes each unknown piece as a placeholder
	// (sentinelOpen, its index, sentinelClose) instead of its text.
	sentinels bool
	// fuzzy is set when some literal text could not be matched to its
	// source (YAML escapes): positions inside the text are then not exact.
	fuzzy bool
}

// add appends s, whose bytes all map to file offset at.
func (t *text) add(s string, at int) {
	t.b = append(t.b, s...)
	for range len(s) {
		t.offs = append(t.offs, at)
	}
	t.end = at
}

// addMapped appends s, whose bytes map to offs (one per byte, plus the end).
func (t *text) addMapped(s []byte, offs []int) {
	t.b = append(t.b, s...)
	t.offs = append(t.offs, offs[:len(s)]...)
	t.end = offs[len(s)]
}

// addUnknown appends an unknown piece, mapped to file offset at.
func (t *text) addUnknown(piece string, at int) {
	if t.sentinels {
		t.add(sentinelOpen+strconv.Itoa(len(t.pieces))+sentinelClose, at)
	} else {
		t.add(piece, at)
	}
	t.pieces = append(t.pieces, piece)
}

// table returns the offset table of the text (one entry per byte, plus the
// end), made non-decreasing so that every range built from it is sound.
func (t *text) table() []int {
	offs := make([]int, len(t.offs)+1)
	copy(offs, t.offs)
	offs[len(t.offs)] = t.end
	for i := 1; i < len(offs); i++ {
		offs[i] = max(offs[i], offs[i-1])
	}
	return offs
}

// result returns the value of the text at range at: a string when every
// piece is known, else an unknown whose text is the template.
func (t *text) result(at model.Range) result {
	if len(t.pieces) == 0 {
		return str(string(t.b), at)
	}
	return unknownTemplate(truncate(string(t.b)), at)
}

// text builds the text of Fn::Sub or Fn::Join call n. ok is false when n is
// not one, or is malformed (its value is then unknown as written).
func (r *resolver) text(n *tree.Node, sentinels bool) (*text, bool) {
	fn, arg, _ := intrinsicOf(n)
	t := &text{sentinels: sentinels, end: n.Range.Start.Byte}
	switch fn {
	case "Fn::Sub":
		tmpl, vars := arg, (*tree.Node)(nil)
		if arg.Kind == tree.Array {
			if arg.Len() != 2 || arg.Elems[1].Kind != tree.Object {
				return nil, false
			}
			tmpl, vars = arg.Elems[0], arg.Elems[1]
		}
		if tmpl.Kind != tree.String {
			return nil, false
		}
		r.sub(t, tmpl, vars)
	case "Fn::Join":
		if arg.Kind != tree.Array || arg.Len() != 2 {
			return nil, false
		}
		d := r.resolve(arg.Elems[0])
		if d.noValue || d.n == nil || d.n.Kind != tree.String {
			return nil, false
		}
		if !r.join(t, d.n, arg.Elems[1]) {
			return nil, false
		}
	default:
		return nil, false
	}
	return t, true
}

// sub appends the text of the Fn::Sub template tmpl with variables vars.
func (r *resolver) sub(t *text, tmpl, vars *tree.Node) {
	b, offs, exact := r.t.stringText(tmpl)
	t.fuzzy = t.fuzzy || !exact
	for i := 0; i < len(b); {
		j := bytes.Index(b[i:], []byte("${"))
		if j < 0 {
			t.addMapped(b[i:], offs[i:])
			return
		}
		j += i
		t.addMapped(b[i:j], offs[i:])
		k := bytes.IndexByte(b[j:], '}')
		if k < 0 {
			t.addMapped(b[j:], offs[j:])
			return
		}
		k += j
		name := string(b[j+2 : k])
		if strings.HasPrefix(name, "!") {
			// ${!Literal} is written as ${Literal}.
			t.addMapped(b[j:j+2], offs[j:])
			t.addMapped(b[j+3:k+1], offs[j+3:])
			i = k + 1
			continue
		}
		at := offs[j]
		var v result
		if vars != nil {
			if m, ok := vars.Member(name); ok {
				v = r.resolve(m.Value)
				if v.noValue {
					v = unknownRef("${"+name+"}", name, tmpl.Range)
				}
				r.addValue(t, v, name, at)
				i = k + 1
				continue
			}
		}
		if id, attr, ok := strings.Cut(name, "."); ok && !strings.HasPrefix(name, "AWS::") {
			v = r.getAtt(id, attr, tmpl.Range)
		} else {
			v = r.ref(name, tmpl.Range)
			if v.noValue {
				v = unknownRef("${"+name+"}", name, tmpl.Range)
			}
		}
		r.addValue(t, v, name, at)
		i = k + 1
	}
	t.end = max(t.end, offs[len(b)])
}

// addValue appends the text of value v, substituted for ${name} (or, with
// name "", a list element of Fn::Join), mapped to file offset at.
func (r *resolver) addValue(t *text, v result, name string, at int) {
	switch {
	case v.n == nil:
	case v.n.Kind == tree.String:
		t.add(v.n.Str, at)
	case v.n.Kind == tree.Number:
		t.add(v.n.Str, at)
	case v.n.Kind == tree.Bool:
		t.add(strconv.FormatBool(v.n.Bool), at)
	case v.n.Kind == tree.Unknown && v.piece != "":
		t.addUnknown(v.piece, at)
	default:
		if name != "" {
			t.addUnknown("${"+name+"}", at)
		} else {
			t.addUnknown("${"+render(v.n)+"}", at)
		}
	}
}

// join appends the elements of the Fn::Join list list, separated by d. It
// returns false when the list does not resolve to a list.
func (r *resolver) join(t *text, d *tree.Node, list *tree.Node) bool {
	elems := list.Elements()
	if list.Kind != tree.Array {
		v := r.resolve(list)
		if v.noValue || v.n == nil {
			return false
		}
		if v.n.Kind != tree.Array {
			return false // unknown, or no list: the Fn::Join is unknown as written
		}
		elems = v.n.Elements()
	}
	first := true
	for _, e := range elems {
		at := e.Range.Start.Byte
		if e.Kind == tree.String && list.Kind == tree.Array {
			if !first {
				t.add(d.Str, at)
			}
			first = false
			b, offs, exact := r.t.stringText(e)
			t.fuzzy = t.fuzzy || !exact
			t.addMapped(b, offs)
			continue
		}
		v := r.resolve(e)
		if v.noValue {
			continue
		}
		if !first {
			t.add(d.Str, at)
		}
		first = false
		r.addValue(t, v, "", at)
	}
	return true
}

// stringText returns the decoded text of a string node written in the file
// and the file offset of each byte (plus the end). When the text cannot be
// matched to the source, every byte maps to the start of the node and exact
// is false.
func (tp *template) stringText(n *tree.Node) (text []byte, offs []int, exact bool) {
	s, e := n.Range.Start.Byte, n.Range.End.Byte
	if s >= 0 && e <= len(tp.src) && s < e {
		if tp.yaml {
			if b, offs, ok := yamlText(n, tp.src); ok {
				return b, offs, true
			}
		} else if b, offs, err := srcjson.Unquote(tp.src[s:e], s); err == nil && string(b) == n.Str {
			return b, offs, true
		}
	}
	offs = make([]int, len(n.Str)+1)
	for i := range offs {
		offs[i] = max(s, 0)
	}
	offs[len(n.Str)] = max(e, s, 0)
	return []byte(n.Str), offs, n.Str == ""
}
