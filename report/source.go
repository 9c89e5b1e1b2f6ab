package report

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustlint/trustlint/model"
)

// Source snippets: the line a finding points at, with the element at fault
// underlined, the way compilers show errors:
//
//	   |
//	21 |     "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
//	   |                          ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

const (
	// maxSnippetWidth is the widest source line shown, in terminal cells;
	// longer lines (minified JSON, URL-encoded policies) are cut to a
	// window around the element at fault, marked with ellipses.
	maxSnippetWidth = 120
	// snippetContext is how many cells before the element a cut window
	// keeps.
	snippetContext = 32
	// tabWidth is how many cells a tab takes in a snippet.
	tabWidth = 4
)

// source returns the file shown under display path p, indexed by lines, or
// nil when it is not available. Each file is read at most once.
func (v *view) source(p string) *model.LineIndex {
	if v.sources == nil || p == "" {
		return nil
	}
	if sf, ok := v.snippets[p]; ok {
		return sf
	}
	var sf *model.LineIndex
	if src, ok := v.sources(v.original[p]); ok {
		sf = model.NewLineIndex(p, src)
	}
	v.snippets[p] = sf
	return sf
}

// cell is one rune of a source line as shown in a terminal.
type cell struct {
	text  string // what is printed: the rune, spaces for a tab, U+FFFD for a control
	width int
}

// cells converts a source line to terminal cells, one per rune (columns
// count runes). Tabs become spaces; control and bidirectional-formatting
// characters, which could rewrite the terminal or reorder what the reader
// sees, become U+FFFD.
func cells(line []byte) []cell {
	out := make([]cell, 0, len(line))
	for _, r := range string(line) {
		switch {
		case r == '\t':
			out = append(out, cell{strings.Repeat(" ", tabWidth), tabWidth})
		case unsafeRune(r):
			out = append(out, cell{"\uFFFD", 1})
		default:
			out = append(out, cell{string(r), 1})
		}
	}
	return out
}

// unsafeRune reports whether r must not reach a terminal as is: C0 and C1
// controls, DEL, and the bidirectional formatting characters of "Trojan
// Source" attacks.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// clean makes text safe and one line for terminal output: line breaks and
// tabs become spaces, other unsafe runes U+FFFD.
func clean(s string) string {
	s = oneLine(s)
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case unsafeRune(r):
			return '\uFFFD'
		}
		return r
	}, s)
}

// snippet is a source line prepared for display: the visible part of the
// line and the underline below it.
type snippet struct {
	line      int
	text      string // the visible part of the line
	underline string // spaces, then ^ and ~; "" when the column is unknown
}

// maxScanBytes is the longest line whose columns are counted from its
// start. On longer lines (a whole account export on one line) a snippet is
// shown only when the finding carries its byte offset, so that each
// finding costs a small window and not a scan of the line.
const maxScanBytes = 64 << 10

// makeSnippet prepares line r.Start.Line of sf with the part of r on that
// line underlined. ok is false when the line is not available.
func makeSnippet(sf *model.LineIndex, r model.Range) (snippet, bool) {
	if sf == nil {
		return snippet{}, false
	}
	raw, lineStart, ok := sf.Line(r.Start.Line)
	if !ok {
		return snippet{}, false
	}
	from := r.Start.Column - 1 // in runes from the start of raw
	// n is the number of runes underlined; -1 means to the end of the line.
	n := 1
	switch {
	case r.End.Line == r.Start.Line && r.End.Column > r.Start.Column:
		n = r.End.Column - r.Start.Column
	case r.End.Line > r.Start.Line:
		n = -1
	}
	cutLeft, cutRight := false, false
	if len(raw) > maxScanBytes {
		off, ok := byteInLine(sf.Src(), lineStart, r.Start)
		if !ok || off > len(raw) {
			return snippet{}, false
		}
		lo := max(0, off-4*snippetContext)
		for lo > 0 && !utf8.RuneStart(raw[lo]) {
			lo--
		}
		hi := min(len(raw), off+4*maxSnippetWidth)
		for hi < len(raw) && !utf8.RuneStart(raw[hi]) {
			hi++
		}
		cutLeft, cutRight = lo > 0, hi < len(raw)
		from = utf8.RuneCount(raw[lo:off])
		raw = raw[lo:hi]
	}
	cs := cells(raw)
	// The visible line ends at its last non-blank cell.
	last := len(cs)
	for last > 0 && strings.TrimFunc(cs[last-1].text, unicode.IsSpace) == "" {
		last--
	}
	if from < 0 || from > len(cs) {
		// No column, or one beyond the line: show the line alone.
		if width(cs[:last]) > maxSnippetWidth {
			return snippet{}, false
		}
		return snippet{line: r.Start.Line, text: join(cs[:last])}, true
	}
	// The underlined runes are [from, to).
	to := from + n
	if n < 0 {
		to = max(last, from+1)
	}
	to = min(to, max(len(cs), from+1))
	last = max(last, min(to, len(cs)))

	// Window: the whole line when it fits, otherwise a cut around the
	// underlined part.
	lo, hi := 0, last
	if cutLeft || cutRight || width(cs[lo:hi]) > maxSnippetWidth {
		lo = from
		for lo > 0 && width(cs[lo-1:from]) <= snippetContext {
			lo--
		}
		hi = lo
		budget := maxSnippetWidth - 2 // room for two ellipses
		for hi < last && width(cs[lo:hi+1]) <= budget {
			hi++
		}
		hi = max(hi, min(from+1, last))
	}
	var text, under strings.Builder
	if lo > 0 || cutLeft {
		text.WriteString("…")
		under.WriteByte(' ')
	}
	text.WriteString(join(cs[lo:hi]))
	if hi < last || cutRight {
		text.WriteString("…")
	}
	for i := lo; i < min(from, hi); i++ {
		under.WriteString(strings.Repeat(" ", cs[i].width))
	}
	mark := "^"
	for i := from; i < min(to, hi); i++ {
		w := 1
		if i < len(cs) {
			w = cs[i].width
		}
		under.WriteString(mark)
		under.WriteString(strings.Repeat("~", w-1))
		mark = "~"
	}
	if mark == "^" { // the element starts at the end of the line
		under.WriteString("^")
	}
	return snippet{line: r.Start.Line, text: text.String(), underline: under.String()}, true
}

// byteInLine returns the offset of p in its line, which starts at byte
// lineStart of src, from p.Byte, when that offset is consistent with p's
// line and column (a column counts runes, and a rune has one to four
// bytes); ok is false otherwise (a position made without the text leaves
// Byte at 0 or -1).
func byteInLine(src []byte, lineStart int, p model.Pos) (int, bool) {
	off := p.Byte - lineStart
	col := p.Column - 1
	if p.Byte < 0 || p.Byte >= len(src) || col < 0 || off < col || off > 4*col || !utf8.RuneStart(src[p.Byte]) {
		return 0, false
	}
	return off, true
}

func join(cs []cell) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(c.text)
	}
	return b.String()
}

func width(cs []cell) int {
	n := 0
	for _, c := range cs {
		n += c.width
	}
	return n
}

// gutter renders the margin of a snippet line: the line number, or blanks
// of the same width, and a bar.
func gutter(line, digits int) string {
	if line <= 0 {
		return strings.Repeat(" ", digits+1) + "|"
	}
	n := strconv.Itoa(line)
	return strings.Repeat(" ", digits-len(n)) + n + " |"
}
