package srcmaptest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/tree"
)

// Unmapped returns the canonical paths of the values in v, at path p and
// below, that have no value range of their own in sm, sorted. Every value
// counts: leaves, lists and objects. An unknown (model.Unknown) is one value.
func Unmapped(v any, p model.Path, sm *model.SourceMap) []string {
	var out []string
	values := sm.ValueMap()
	walk(v, p, func(q model.Path) {
		if _, ok := values[q.String()]; !ok {
			out = append(out, q.String())
		}
	})
	sort.Strings(out)
	return out
}

// Plain returns v with every model.PackedList inside it made a []any, to
// compare with a value normalized from nodes; packed counts them.
func Plain(v any) (plain any, packed int) {
	switch x := v.(type) {
	case *model.PackedList:
		out := make([]any, x.Len())
		for i := range out {
			out[i] = x.At(i)
		}
		return out, 1
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var n int
			out[i], n = Plain(e)
			packed += n
		}
		return out, packed
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			var n int
			out[k], n = Plain(e)
			packed += n
		}
		return out, packed
	}
	return v, 0
}

// walk calls f with the path of v and of every value inside it.
func walk(v any, p model.Path, f func(model.Path)) {
	f(p)
	if model.IsUnknown(v) {
		return
	}
	if l, _, ok := model.List(v); ok {
		for i, e := range l {
			walk(e, p.Child(i), f)
		}
		return
	}
	if m, ok := v.(map[string]any); ok {
		for k, e := range m {
			walk(e, p.Child(k), f)
		}
	}
}

// BadRanges describes the ranges of sm that do not lie inside src, the
// content of file: a wrong file name, byte offsets outside the text or
// reversed, or a line and column that disagree with the byte offset.
// Starts, then ends, are checked in increasing order of offset, so that
// the LineIndex cursor only moves forward: linear time on a file of one
// long line, where the order of a map made it quadratic.
func BadRanges(sm *model.SourceMap, file string, src []byte) []string {
	type entry struct {
		what string // kind and path
		r    model.Range
	}
	var out []string
	var inside []entry
	for _, m := range []struct {
		kind   string
		ranges map[string]model.Range
	}{{"value", sm.ValueMap()}, {"key", sm.KeyMap()}} {
		for p, r := range m.ranges {
			if msg := checkBytes(r, file, src); msg != "" {
				out = append(out, fmt.Sprintf("%s %s: %s", m.kind, p, msg))
			} else {
				inside = append(inside, entry{m.kind + " " + p, r})
			}
		}
	}
	for _, side := range []string{"start", "end"} {
		at := func(e entry) model.Pos {
			if side == "end" {
				return e.r.End
			}
			return e.r.Start
		}
		sort.Slice(inside, func(i, j int) bool { return at(inside[i]).Byte < at(inside[j]).Byte })
		idx := model.NewLineIndex(file, src)
		for _, e := range inside {
			if want := idx.Pos(at(e).Byte); at(e) != want {
				out = append(out, fmt.Sprintf("%s: %s %+v, want %+v", e.what, side, at(e), want))
			}
		}
	}
	sort.Strings(out)
	return out
}

// CheckRange describes what is wrong with r as a range of src, the content
// of file, or returns "".
func CheckRange(r model.Range, file string, src []byte) string {
	return checkRange(r, file, src, model.NewLineIndex(file, src))
}

// checkBytes describes what is wrong with the file and byte offsets of r.
func checkBytes(r model.Range, file string, src []byte) string {
	switch {
	case r.File != file:
		return fmt.Sprintf("file %q, want %q", r.File, file)
	case r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte:
		return fmt.Sprintf("bytes [%d, %d) outside [0, %d]", r.Start.Byte, r.End.Byte, len(src))
	}
	return ""
}

func checkRange(r model.Range, file string, src []byte, idx *model.LineIndex) string {
	if msg := checkBytes(r, file, src); msg != "" {
		return msg
	}
	switch {
	case r.Start != idx.Pos(r.Start.Byte):
		return fmt.Sprintf("start %+v, want %+v", r.Start, idx.Pos(r.Start.Byte))
	case r.End != idx.Pos(r.End.Byte):
		return fmt.Sprintf("end %+v, want %+v", r.End, idx.Pos(r.End.Byte))
	}
	return ""
}

// Dump writes every field of n and of its descendants to sb, reading
// arrays through Elements, so that a packed array and the nodes it stands
// for write alike: two trees compare as text.
func Dump(sb *strings.Builder, n *tree.Node) {
	if n == nil {
		sb.WriteString("nil;")
		return
	}
	fmt.Fprintf(sb, "%v %v %q %v %v-%v[", n.Kind, n.Bool, n.Str, n.Num, n.Range.Start, n.Range.End)
	for _, m := range n.Members {
		fmt.Fprintf(sb, "%q %v-%v: ", m.Key, m.KeyRange.Start, m.KeyRange.End)
		Dump(sb, m.Value)
	}
	for _, e := range n.Elements() {
		Dump(sb, e)
	}
	sb.WriteString("];")
}
