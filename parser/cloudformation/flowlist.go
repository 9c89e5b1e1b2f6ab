package cloudformation

import (
	"bytes"
	"math"

	yaml "go.yaml.in/yaml/v3"

	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/tree"
)

// Flow lists. yaml.v3 builds a node of about 160 bytes for every value
// before this package reads any: a dense 1 MB template (one flow list of
// half a million zeros) held 86 MB of them, and its tree as much again
// (issue 9). A long flow sequence of plain scalars (on one line or
// several, without comments) is therefore found in the text first and
// blanked (its elements replaced by spaces, line breaks kept, which keeps
// every line and column) in the copy the YAML library reads, so that it
// makes one empty sequence node; the tree builder then makes the list from
// the text, packed as srcjson packs JSON lists (each element's node made
// when read). A block sequence whose entries are such scalars, one per
// line, is blanked but for its first entry, and read the same way: the
// library makes a sequence of one entry, at the first entry's value.
//
// Only what reads the same whatever the context is taken: elements that
// are numbers (-?digits, an optional fraction), words (a letter, then
// letters, digits and _ . / : @ * = + -, not ending in ':') or quoted
// strings without escapes, separated by commas and spaces. Their values are their text, and YAML resolves them
// as this package's scalar does (flowlist_test.go compares both on every
// kind). A '[' in a string, a block scalar or a comment may look like one:
// a blanked list counts only where the YAML library made an empty flow
// sequence at its '[' (a block sequence of one entry at its first value),
// and the text is read again without the others.

// flowList is a flow sequence of scalars, or a block sequence of them
// (spans.Block).
type flowList struct {
	// open and close are the offsets of a flow list's '[' and ']', or of
	// the first byte of a block list's first value and the last byte of
	// its last.
	open, close int
	spans       tree.Spans // its elements
}

// flowLists returns the flow lists of src that have at least
// srcjson.PackMin elements, by the offset of their '['. Offsets beyond
// 4 GiB are not packed.
func flowLists(src []byte) map[int]*flowList {
	if len(src) > math.MaxUint32 {
		return nil
	}
	var out map[int]*flowList
	var spans tree.Spans
	for i := 0; i < len(src); i++ {
		j := bytes.IndexByte(src[i:], '[')
		if j < 0 {
			break
		}
		i += j
		end, ok := scanFlowList(src, i, &spans)
		if ok && spans.Len() >= srcjson.PackMin {
			if out == nil {
				out = map[int]*flowList{}
			}
			out[i] = &flowList{open: i, close: end, spans: spans.Take()}
		}
		spans.Reset()
		i = max(i, end-1) // no '[' before end: elements hold none
	}
	return out
}

// scanFlowList reads the flow list whose '[' is at open and records its
// elements in spans. It returns the offset of its ']' and true, or the
// offset where it stopped reading and false.
func scanFlowList(src []byte, open int, spans *tree.Spans) (int, bool) {
	i := skipFlowSpace(src, open+1)
	if i < len(src) && src[i] == ']' {
		return i, false // empty: nothing to pack
	}
	for {
		e := plainElement(src, i)
		if e == i {
			return i, false
		}
		spans.Add(i)
		i = skipFlowSpace(src, e)
		if i >= len(src) {
			return i, false
		}
		switch src[i] {
		case ']':
			return i, true
		case ',':
			i = skipFlowSpace(src, i+1)
		default:
			return i, false
		}
	}
}

func skipSpaces(src []byte, i int) int {
	for i < len(src) && src[i] == ' ' {
		i++
	}
	return i
}

// skipFlowSpace skips spaces and line breaks (a flow list may be written
// across lines).
func skipFlowSpace(src []byte, i int) int {
	for i < len(src) {
		switch {
		case src[i] == ' ' || src[i] == '\n':
			i++
		case src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n':
			i += 2
		default:
			return i
		}
	}
	return i
}

// plainElement returns the end of the number or word that starts at i, or
// i when none does.
func plainElement(src []byte, i int) int {
	if i >= len(src) {
		return i
	}
	c := src[i]
	switch {
	case c == '"' || c == '\'':
		// A quoted string without escapes: its value is its text.
		for j := i + 1; j < len(src); j++ {
			switch d := src[j]; {
			case d == c:
				return j + 1
			case d < 0x20 || d == 0x7f || d == '\\' || (c == '\'' && d == '\''):
				return i
			}
		}
		return i
	case isDigit(c) || (c == '-' && i+1 < len(src) && isDigit(src[i+1])):
		j := i + 1
		for j < len(src) && isDigit(src[j]) {
			j++
		}
		if j+1 < len(src) && src[j] == '.' && isDigit(src[j+1]) {
			j += 2
			for j < len(src) && isDigit(src[j]) {
				j++
			}
		}
		if j < len(src) && isWordByte(src[j]) {
			return i // 1e5, 0x1F, 2012-10-17: YAML reads these its own ways
		}
		return j
	case isLetter(c):
		j := i + 1
		for j < len(src) && isWordByte(src[j]) {
			j++
		}
		if src[j-1] == ':' {
			return i
		}
		return j
	}
	return i
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func isWordByte(c byte) bool {
	switch c {
	case '_', '.', '/', ':', '@', '*', '=', '+', '-':
		return true
	}
	return isLetter(c) || isDigit(c)
}

// blockLists adds to lists the block sequences of src of at least
// srcjson.PackMin entries, each a number, word or quoted string alone on
// its line (entryLine) at one indentation, by the offset of the first
// entry's value. The line after the last entry (blank lines skipped) must
// be indented less or as much: a line indented more would continue the
// last value.
func blockLists(src []byte, lists map[int]*flowList) map[int]*flowList {
	if len(src) > math.MaxUint32 {
		return lists
	}
	var spans tree.Spans
	ind, first, last := -1, 0, 0
	flush := func(next int) {
		if spans.Len() >= srcjson.PackMin && nextIndent(src, next) <= ind {
			if lists == nil {
				lists = map[int]*flowList{}
			}
			lists[first] = &flowList{open: first, close: last - 1, spans: spans.Take()}
		}
		spans.Reset()
		ind = -1
	}
	for ls := 0; ls < len(src); {
		le := len(src)
		if j := bytes.IndexByte(src[ls:], '\n'); j >= 0 {
			le = ls + j
		}
		in, val, end, ok := entryLine(src, ls, le)
		if !ok || in != ind {
			flush(ls)
		}
		if ok {
			if ind < 0 {
				ind, first = in, val
				spans.Block = true
			}
			spans.Add(val)
			last = end
		}
		ls = le + 1
	}
	flush(len(src))
	return lists
}

// entryLine reads the line of src from ls to le (its '\n') as a block
// sequence entry whose value is a number, word or quoted string (as in a
// flow list) followed by nothing but spaces: it returns the indentation,
// and the offsets of the start and end of the value.
func entryLine(src []byte, ls, le int) (ind, start, end int, ok bool) {
	d := skipSpaces(src, ls)
	if d+1 >= le || src[d] != '-' || src[d+1] != ' ' {
		return 0, 0, 0, false
	}
	start = skipSpaces(src, d+1)
	end = plainElement(src[:le], start)
	if end == start {
		return 0, 0, 0, false
	}
	rest := skipSpaces(src, end)
	if rest < le && (rest != le-1 || src[rest] != '\r') {
		return 0, 0, 0, false
	}
	return d - ls, start, end, true
}

// nextIndent returns the indentation of the first line from offset i on
// that is not blank, -1 when there is none, and a large number when it
// starts with a tab.
func nextIndent(src []byte, i int) int {
	for i < len(src) {
		j := skipSpaces(src, i)
		switch {
		case j == len(src):
			return -1
		case src[j] == '\n':
			i = j + 1
		case src[j] == '\r' && j+1 < len(src) && src[j+1] == '\n':
			i = j + 2
		case src[j] == '\t':
			return math.MaxInt
		default:
			return j - i
		}
	}
	return -1
}

// blankFlowLists returns a copy of src with the elements of lists replaced
// by spaces, line breaks kept: all of a flow list's, and all but the
// first of a block list's (the YAML library reads a list of one entry).
func blankFlowLists(src []byte, lists map[int]*flowList) []byte {
	out := append([]byte(nil), src...)
	for _, l := range lists {
		from, to := l.open+1, l.close // a flow list's brackets stay
		if l.spans.Block {
			from, to = l.open+bytes.IndexByte(src[l.open:], '\n'), l.close+1
		}
		for i := from; i < to; i++ {
			if c := out[i]; c != '\n' && c != '\r' {
				out[i] = ' '
			}
		}
	}
	return out
}

// setElement sets *e to the flow list element raw as YAML resolves it: a
// quoted string, a number, a word YAML reads as null or a boolean, or a
// string.
func setElement(e *tree.Node, raw []byte) {
	if c := raw[0]; c == '"' || c == '\'' {
		setScalar(e, string(raw[1:len(raw)-1]), tree.String)
		return
	}
	setScalar(e, string(raw), plainKind(raw))
}

// plainKind returns the kind of a plain flow list element.
func plainKind(raw []byte) tree.Kind {
	if c := raw[0]; isDigit(c) || c == '-' {
		return tree.Number
	}
	switch string(raw) {
	case "null", "Null", "NULL":
		return tree.Null
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return tree.Bool
	}
	return tree.String
}

// flowListOf returns the flow list blanked at the '[' of the empty flow
// sequence n, which is written from s on (at its anchor or tag), or nil.
func (b *yamlBuilder) flowListOf(n *yaml.Node, s int) *flowList {
	if len(b.lists) == 0 || n.Kind != yaml.SequenceNode {
		return nil
	}
	if n.Style&yaml.FlowStyle == 0 {
		// A block list: the library read its first entry.
		if len(n.Content) != 1 || n.Content[0].Kind != yaml.ScalarNode {
			return nil
		}
		if l := b.lists[b.start(n.Content[0])]; l != nil && l.spans.Block {
			return l
		}
		return nil
	}
	if len(n.Content) > 0 {
		return nil
	}
	open := s
	if n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
		_, _, open = b.properties(s, false)
	}
	if l := b.lists[open]; l != nil && !l.spans.Block {
		return l
	}
	return nil
}

// verifyFlowLists returns the lists of b.lists that the YAML library read
// as empty flow sequences in doc (aliases are not followed).
func (b *yamlBuilder) verifyFlowLists(doc *yaml.Node) map[int]*flowList {
	found := map[int]*flowList{}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		// build reads the document's value at depth 0, and no further
		// than MaxDepth.
		if n == nil || depth > MaxDepth+1 || n.Kind == yaml.AliasNode {
			return
		}
		if n.Kind != yaml.DocumentNode {
			if l := b.flowListOf(n, b.start(n)); l != nil {
				found[l.open] = l
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	return found
}

// packedList builds flow list l, the sequence written from s on, at depth.
func (b *yamlBuilder) packedList(l *flowList, s, depth int) (*tree.Node, int, error) {
	count := l.spans.Len()
	elems := tree.NewCursor(&l.spans, b.src)
	if depth+1 > MaxDepth {
		start, _ := elems.Span(0)
		return nil, 0, depthError(start)
	}
	if b.budget < count {
		// The element that would have spent it, as build counts.
		off, _ := elems.Span(b.budget)
		if b.alias != nil {
			off = b.start(b.alias)
		}
		b.budget = -1
		return nil, 0, &yamlError{off: off, fatal: true,
			msg: "aliases expand to too many values (an alias bomb?); the file is not read further"}
	}
	b.budget -= count
	fork := b.loc.Fork()
	fork.Pos(l.open)
	end := l.close + 1
	out := &tree.Node{Kind: tree.Array, Range: b.rng(s, end)}
	out.Packed = tree.PackSpans(fork, b.src, 0, l.spans, setElement)
	return out, end, nil
}

// maxBlankings bounds how often a template is read again with fewer lists
// blanked before it is read as written.
const maxBlankings = 3

// unmarshal parses the YAML text work into doc, with its flow lists
// blanked; b.lists keeps those that the library read as flow sequences.
// Text that is not valid YAML is parsed as written, for its error.
func (b *yamlBuilder) unmarshal(work []byte, doc *yaml.Node) error {
	b.lists = blockLists(work, flowLists(work))
	for range maxBlankings {
		if len(b.lists) == 0 {
			break
		}
		*doc = yaml.Node{}
		if yaml.Unmarshal(blankFlowLists(work, b.lists), doc) != nil {
			break // the error is reported as the text has it
		}
		found := b.verifyFlowLists(doc)
		if len(found) == len(b.lists) {
			return nil
		}
		b.lists = found
	}
	b.lists = nil
	*doc = yaml.Node{}
	return yaml.Unmarshal(work, doc)
}
