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
// (issue 9). A long flow sequence of plain scalars written on one line is
// therefore found in the text first and blanked (its elements replaced by
// spaces, which keeps every line and column) in the copy the YAML library
// reads, so that it makes one empty sequence node; the tree builder then
// makes the list from the text, packed as srcjson packs JSON lists (8
// bytes per element, each element's node made when read).
//
// Only what reads the same whatever the context is taken: elements that
// are numbers (-?digits, an optional fraction), words (a letter, then
// letters, digits and _ . / : @ * = + -, not ending in ':') or quoted
// strings without escapes, separated by commas and spaces. Their values are their text, and YAML resolves them
// as this package's scalar does (flowlist_test.go compares both on every
// kind). A '[' in a string, a block scalar or a comment may look like one:
// a blanked list counts only where the YAML library made an empty flow
// sequence at its '[', and the text is read again without the others.

// flowList is a flow sequence of scalars on one line.
type flowList struct {
	open, close int        // offsets of its '[' and ']'
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
	i := skipSpaces(src, open+1)
	if i < len(src) && src[i] == ']' {
		return i, false // empty: nothing to pack
	}
	for {
		e := plainElement(src, i)
		if e == i {
			return i, false
		}
		spans.Add(i)
		i = skipSpaces(src, e)
		if i >= len(src) {
			return i, false
		}
		switch src[i] {
		case ']':
			return i, true
		case ',':
			i = skipSpaces(src, i+1)
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

// blankFlowLists returns a copy of src with the elements of lists replaced
// by spaces.
func blankFlowLists(src []byte, lists map[int]*flowList) []byte {
	out := append([]byte(nil), src...)
	for _, l := range lists {
		for i := l.open + 1; i < l.close; i++ {
			out[i] = ' '
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
	if len(b.lists) == 0 || n.Kind != yaml.SequenceNode || n.Style&yaml.FlowStyle == 0 || len(n.Content) > 0 {
		return nil
	}
	open := s
	if n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
		_, _, open = b.properties(s, false)
	}
	return b.lists[open]
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
	b.lists = flowLists(work)
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
