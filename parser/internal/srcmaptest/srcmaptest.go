package srcmaptest

import (
	"fmt"
	"sort"

	"github.com/trustlint/trustlint/model"
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

// walk calls f with the path of v and of every value inside it.
func walk(v any, p model.Path, f func(model.Path)) {
	f(p)
	if model.IsUnknown(v) {
		return
	}
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			walk(e, p.Child(k), f)
		}
	case []any:
		for i, e := range v {
			walk(e, p.Child(i), f)
		}
	}
}

// BadRanges describes the ranges of sm that do not lie inside src, the
// content of file: a wrong file name, byte offsets outside the text or
// reversed, or a line and column that disagree with the byte offset.
func BadRanges(sm *model.SourceMap, file string, src []byte) []string {
	idx := model.NewLineIndex(file, src)
	var out []string
	check := func(kind, path string, r model.Range) {
		if msg := checkRange(r, file, src, idx); msg != "" {
			out = append(out, fmt.Sprintf("%s %s: %s", kind, path, msg))
		}
	}
	for p, r := range sm.ValueMap() {
		check("value", p, r)
	}
	for p, r := range sm.KeyMap() {
		check("key", p, r)
	}
	sort.Strings(out)
	return out
}

// CheckRange describes what is wrong with r as a range of src, the content
// of file, or returns "".
func CheckRange(r model.Range, file string, src []byte) string {
	return checkRange(r, file, src, model.NewLineIndex(file, src))
}

func checkRange(r model.Range, file string, src []byte, idx *model.LineIndex) string {
	switch {
	case r.File != file:
		return fmt.Sprintf("file %q, want %q", r.File, file)
	case r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte:
		return fmt.Sprintf("bytes [%d, %d) outside [0, %d]", r.Start.Byte, r.End.Byte, len(src))
	case r.Start != idx.Pos(r.Start.Byte):
		return fmt.Sprintf("start %+v, want %+v", r.Start, idx.Pos(r.Start.Byte))
	case r.End != idx.Pos(r.End.Byte):
		return fmt.Sprintf("end %+v, want %+v", r.End, idx.Pos(r.End.Byte))
	}
	return ""
}
