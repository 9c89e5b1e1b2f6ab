package cloudformation

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/tree"
)

// MaxDepth is the deepest nesting of YAML collections (aliases included)
// that the tree builder accepts, as srcjson.MaxDepth is for JSON.
const MaxDepth = srcjson.MaxDepth

// aliasMargin is added to ten times the values of a YAML file to make the
// budget of values its aliases may expand to.
const aliasMargin = 10000

var bom = []byte("\xef\xbb\xbf")

// shortForms maps the short-form YAML tags of CloudFormation to the keys of
// their long forms.
var shortForms = map[string]string{
	"!Ref":          "Ref",
	"!Condition":    "Condition",
	"!Sub":          "Fn::Sub",
	"!GetAtt":       "Fn::GetAtt",
	"!Join":         "Fn::Join",
	"!If":           "Fn::If",
	"!Select":       "Fn::Select",
	"!Split":        "Fn::Split",
	"!FindInMap":    "Fn::FindInMap",
	"!ImportValue":  "Fn::ImportValue",
	"!Base64":       "Fn::Base64",
	"!Equals":       "Fn::Equals",
	"!Not":          "Fn::Not",
	"!And":          "Fn::And",
	"!Or":           "Fn::Or",
	"!GetAZs":       "Fn::GetAZs",
	"!Cidr":         "Fn::Cidr",
	"!Transform":    "Fn::Transform",
	"!Length":       "Fn::Length",
	"!ToJsonString": "Fn::ToJsonString",
	"!ForEach":      "Fn::ForEach",
}

// yamlLines converts the line and column of a yaml.Node to a byte offset.
// Lines break where the YAML library breaks them (LF, CR, CRLF, NEL, LS and
// PS) and columns count code points, as the library counts them.
//
// The last position computed is kept: nodes come in document order, so the
// next one on the same line is found by counting on from there, and a long
// line (a 10 MB flow sequence on one line) costs its length once, not once
// per node.
type yamlLines struct {
	src    []byte
	starts []int // byte offset of the start of each YAML line

	line, col, off int // the last position computed (line 0: none)
}

func newYAMLLines(src []byte) *yamlLines {
	starts := make([]int, 1, 64+len(src)/32)
	i := 0
	if bytes.HasPrefix(src, bom) {
		i = len(bom)
		starts[0] = i
	}
	for i < len(src) {
		switch c := src[i]; {
		case c == '\n':
			i++
		case c == '\r':
			i++
			if i < len(src) && src[i] == '\n' {
				i++
			}
		case c == 0xC2 && i+1 < len(src) && src[i+1] == 0x85:
			i += 2
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9):
			i += 3
		default:
			i++
			continue
		}
		starts = append(starts, i)
	}
	return &yamlLines{src: src, starts: starts}
}

// offset returns the byte offset of 1-based line and column, clamped to
// the text.
func (y *yamlLines) offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(y.starts) {
		return len(y.src)
	}
	off, c := y.starts[line-1], 1
	if line == y.line && col >= y.col {
		off, c = y.off, y.col
	}
	for ; c < col && off < len(y.src); c++ {
		if y.src[off] < utf8.RuneSelf {
			off++
			continue
		}
		_, w := utf8.DecodeRune(y.src[off:])
		off += w
	}
	y.line, y.col, y.off = line, c, off
	return off
}

// nextLine returns the offset of the start of the line after the one that
// holds off, or len(src).
func (y *yamlLines) nextLine(off int) int {
	i := sort.SearchInts(y.starts, off+1)
	if i < len(y.starts) {
		return y.starts[i]
	}
	return len(y.src)
}

// yamlError is a problem found while building a tree, at byte offset off.
type yamlError struct {
	off   int
	msg   string
	fatal bool // the alias budget is spent: stop reading the file
}

func (e *yamlError) Error() string { return e.msg }

// yamlBuilder turns yaml.Nodes into positioned trees.
type yamlBuilder struct {
	src    []byte
	loc    *model.LineIndex
	lines  *yamlLines
	budget int        // values that may still be built
	alias  *yaml.Node // the outermost alias being expanded, for errors
	diags  []model.Diagnostic
	// lists are the flow lists blanked in the text the YAML library
	// read, by the offset of their '[' (flowlist.go).
	lists map[int]*flowList
}

func newYAMLBuilder(loc *model.LineIndex, src []byte) *yamlBuilder {
	return &yamlBuilder{src: src, loc: loc, lines: newYAMLLines(src)}
}

// start returns the byte offset where n is written (its anchor or tag, if
// any).
func (b *yamlBuilder) start(n *yaml.Node) int { return b.lines.offset(n.Line, n.Column) }

// rng returns the range of bytes [s, e), with e moved up to s if below.
func (b *yamlBuilder) rng(s, e int) model.Range { return b.loc.Range(s, max(s, e)) }

// properties skips the anchor and tag written at s and returns the span of
// the tag (empty when there is none) and the offset after them and the
// white space and comments that follow. When stopAtBreak is set, white
// space is skipped only up to the end of the line (for empty scalars).
func (b *yamlBuilder) properties(s int, stopAtBreak bool) (tagStart, tagEnd, content int) {
	src := b.src
	i := s
	tagStart, tagEnd = s, s
	for i < len(src) && (src[i] == '&' || src[i] == '!') {
		j := i + 1
		for j < len(src) && !isSpaceByte(src[j]) && !isFlowIndicator(src[j]) {
			j++
		}
		if src[i] == '!' {
			tagStart, tagEnd = i, j
		}
		i = j
		for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
	}
	if stopAtBreak {
		return tagStart, tagEnd, i
	}
	for i < len(src) {
		switch c := src[i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '#' && (i == 0 || isSpaceByte(src[i-1])):
			for i < len(src) && src[i] != '\n' && src[i] != '\r' {
				i++
			}
		default:
			return tagStart, tagEnd, i
		}
	}
	return tagStart, tagEnd, i
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isFlowIndicator(c byte) bool { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}' }

// build converts n (a document or any node) into a tree. It returns the
// tree and the offset where n ends as written here (for an alias, the end
// of the alias, not of the node it names).
func (b *yamlBuilder) build(n *yaml.Node, depth int) (*tree.Node, int, error) {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return &tree.Node{Kind: tree.Null, Range: b.rng(0, 0)}, 0, nil
		}
		return b.build(n.Content[0], depth)
	}
	s := b.start(n)
	if depth > MaxDepth {
		return nil, 0, depthError(s)
	}
	b.budget--
	if b.budget < 0 {
		at := n
		if b.alias != nil {
			at = b.alias
		}
		return nil, 0, &yamlError{off: b.start(at), fatal: true,
			msg: "aliases expand to too many values (an alias bomb?); the file is not read further"}
	}
	switch n.Kind {
	case yaml.AliasNode:
		end := s + 1 + len(n.Value)
		if n.Alias == nil {
			return nil, 0, &yamlError{off: s, msg: fmt.Sprintf("unknown anchor %q", n.Value)}
		}
		if b.alias == nil {
			b.alias = n
			defer func() { b.alias = nil }()
		}
		t, _, err := b.build(n.Alias, depth+1)
		return t, end, err
	case yaml.ScalarNode:
		return b.scalarNode(n, s)
	case yaml.SequenceNode, yaml.MappingNode:
		if fn, ok := b.intrinsicTag(n); ok {
			return b.intrinsic(n, s, fn, depth)
		}
		if isCustomTag(n) {
			return b.customTag(n, s, depth)
		}
		if n.Kind == yaml.SequenceNode {
			return b.sequence(n, s, depth)
		}
		return b.mapping(n, s, depth)
	}
	return nil, 0, &yamlError{off: s, msg: "unsupported YAML node"}
}

// depthError is the error of a value at offset off nested deeper than
// MaxDepth.
func depthError(off int) *yamlError {
	return &yamlError{off: off, msg: fmt.Sprintf("value nested deeper than %d levels", MaxDepth)}
}

// intrinsicTag returns the long-form key of a CloudFormation short-form tag.
func (b *yamlBuilder) intrinsicTag(n *yaml.Node) (string, bool) {
	if n.Style&yaml.TaggedStyle == 0 {
		return "", false
	}
	fn, ok := shortForms[n.Tag]
	return fn, ok
}

// isCustomTag reports whether n carries a tag that is neither a core YAML
// tag nor a CloudFormation one.
func isCustomTag(n *yaml.Node) bool {
	if n.Style&yaml.TaggedStyle == 0 {
		return false
	}
	if _, ok := shortForms[n.Tag]; ok {
		return false
	}
	return !strings.HasPrefix(n.ShortTag(), "!!")
}

// intrinsic builds the long form {"Fn::X": value} of a short-form tag: the
// member's key range is the tag, its value the node without the tag.
func (b *yamlBuilder) intrinsic(n *yaml.Node, s int, fn string, depth int) (*tree.Node, int, error) {
	empty := n.Kind == yaml.ScalarNode && n.Value == "" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0
	tagStart, tagEnd, content := b.properties(s, empty)
	v, end, err := b.tagged(n, content, depth)
	if err != nil {
		return nil, 0, err
	}
	return &tree.Node{
		Kind:    tree.Object,
		Members: []tree.Member{{Key: fn, KeyRange: b.rng(tagStart, tagEnd), Value: v}},
		Range:   b.rng(s, end),
	}, end, nil
}

// customTag makes an unknown value of a node with a tag CloudFormation does
// not define.
func (b *yamlBuilder) customTag(n *yaml.Node, s int, depth int) (*tree.Node, int, error) {
	_, _, content := b.properties(s, n.Kind == yaml.ScalarNode && n.Value == "")
	v, end, err := b.tagged(n, content, depth)
	if err != nil {
		return nil, 0, err
	}
	text := n.Tag
	if r := render(v); r != "" {
		text += " " + r
	}
	return &tree.Node{Kind: tree.Unknown, Str: truncate(text), Range: b.rng(s, end)}, end, nil
}

// tagged converts the value of the tagged node n, which starts at content
// after its tag: a scalar is a string whatever it looks like, a collection
// reads as any other (neither reads the node's own tag).
func (b *yamlBuilder) tagged(n *yaml.Node, content, depth int) (*tree.Node, int, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		v, end := b.scalar(n, content, tree.String)
		return v, end, nil
	case yaml.SequenceNode:
		return b.sequence(n, content, depth)
	}
	return b.mapping(n, content, depth)
}

// scalarNode converts a scalar by its (resolved or explicit) tag.
func (b *yamlBuilder) scalarNode(n *yaml.Node, s int) (*tree.Node, int, error) {
	if fn, ok := b.intrinsicTag(n); ok {
		return b.intrinsic(n, s, fn, 0)
	}
	if isCustomTag(n) {
		return b.customTag(n, s, 0)
	}
	empty := n.Value == "" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
	content := s
	if n.Style&yaml.TaggedStyle != 0 || n.Anchor != "" {
		_, _, content = b.properties(s, empty)
	}
	kind := tree.String
	switch n.ShortTag() {
	case "!!null":
		kind = tree.Null
	case "!!bool":
		kind = tree.Bool
	case "!!int", "!!float":
		kind = tree.Number
	}
	v, end := b.scalar(n, content, kind)
	if content != s {
		v.Range = b.rng(s, end)
	}
	return v, end, nil
}

// scalar builds the value of scalar n written from offset s on, as kind
// when its text allows (else as a string).
func (b *yamlBuilder) scalar(n *yaml.Node, s int, kind tree.Kind) (*tree.Node, int) {
	end := b.scalarEnd(n, s)
	v := &tree.Node{Range: b.rng(s, end)}
	setScalar(v, n.Value, kind)
	return v, end
}

// setScalar sets the value of v to the scalar val, as kind when its text
// allows (else as a string).
func setScalar(v *tree.Node, val string, kind tree.Kind) {
	v.Kind, v.Str = tree.String, val
	switch kind {
	case tree.Null:
		v.Kind, v.Str = tree.Null, ""
	case tree.Bool:
		switch strings.ToLower(val) {
		case "true":
			v.Kind, v.Bool = tree.Bool, true
		case "false":
			v.Kind = tree.Bool
		}
	case tree.Number:
		if f, ok := parseYAMLNumber(val); ok {
			v.Kind, v.Num = tree.Number, f
		}
	}
}

// parseYAMLNumber parses a YAML int or float; infinities and NaN, which JSON
// cannot carry, are not numbers here.
func parseYAMLNumber(s string) (float64, bool) {
	t := strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(t, 0, 64); err == nil {
		return float64(i), true
	}
	if strings.HasPrefix(t, "0o") || strings.HasPrefix(t, "0x") || strings.HasPrefix(t, "0b") {
		return 0, false
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// scalarEnd returns the offset just after scalar n, written from s on (at
// its quote, block indicator or first character).
func (b *yamlBuilder) scalarEnd(n *yaml.Node, s int) int {
	src := b.src
	switch {
	case s >= len(src):
		return len(src)
	case n.Style&yaml.DoubleQuotedStyle != 0 && src[s] == '"':
		return doubleQuotedEnd(src, s)
	case n.Style&yaml.SingleQuotedStyle != 0 && src[s] == '\'':
		for i := s + 1; i < len(src); i++ {
			if src[i] == '\'' {
				if i+1 < len(src) && src[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return len(src)
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && (src[s] == '|' || src[s] == '>'):
		return b.blockEnd(n.Value, s)
	}
	if n.Value == "" {
		return s
	}
	if _, end, ok := align(n.Value, src, s, len(src), false, false); ok {
		return end
	}
	i := s
	for i < len(src) && !isSpaceByte(src[i]) && !isFlowIndicator(src[i]) {
		i++
	}
	return max(i, s+1)
}

// blockEnd returns the end of a block scalar whose indicator is at s: just
// after the last character of its last line that is not white space.
func (b *yamlBuilder) blockEnd(val string, s int) int {
	header := s
	for header < len(b.src) && b.src[header] != '\n' && b.src[header] != '\r' {
		header++
	}
	body := b.lines.nextLine(s)
	if strings.TrimSpace(val) == "" {
		return header
	}
	if _, end, ok := align(val, b.src, body, len(b.src), false, false); ok && end > body {
		return end
	}
	// Fall back to the indentation of the lines.
	end, indent := header, -1
	for i := body; i < len(b.src); {
		j := i
		for j < len(b.src) && b.src[j] != '\n' && b.src[j] != '\r' {
			j++
		}
		line := b.src[i:j]
		trimmed := bytes.TrimLeft(line, " ")
		if len(bytes.TrimSpace(line)) > 0 {
			ind := len(line) - len(trimmed)
			if indent < 0 {
				indent = ind
			}
			if ind < indent {
				break
			}
			end = i + len(bytes.TrimRight(line, " \t"))
		}
		i = b.lines.nextLine(j)
		if i <= j {
			break
		}
	}
	return end
}

// align matches val, the value of a scalar, against the source from offset
// i on (up to limit): every byte of val that is not white space must equal
// the next source byte that is not skipped, and source white space that val
// lacks (indentation, folded line breaks, the CR of CRLF) is skipped; white
// space of val that the source lacks maps to the current source position.
// In single-quoted scalars ” stands for '. It returns the end (just after
// the last matched byte that is not white space) and, when want is set, the
// file offset of each byte of val.
func align(val string, src []byte, i, limit int, single, want bool) (offs []int, end int, ok bool) {
	if want {
		offs = make([]int, 0, len(val)+1)
	}
	end = i
	for j := 0; j < len(val); {
		if i < limit {
			c := src[i]
			switch {
			case single && c == '\'' && val[j] == '\'':
				if i+1 >= limit || src[i+1] != '\'' {
					return nil, 0, false
				}
				if want {
					offs = append(offs, i)
				}
				i += 2
				j++
				end = i
				continue
			case c == val[j] || (isSpaceByte(c) && isSpaceByte(val[j])):
				// White space matches white space: a line break of the
				// value may be a CRLF or a folded line break.
				if want {
					offs = append(offs, i)
				}
				i++
				j++
				if !isSpaceByte(c) {
					end = i
				}
				continue
			case isSpaceByte(c):
				i++
				continue
			}
		}
		if !isSpaceByte(val[j]) {
			return nil, 0, false
		}
		if want {
			offs = append(offs, min(i, limit))
		}
		j++
	}
	return offs, end, true
}

// sequence converts a sequence written from s on.
func (b *yamlBuilder) sequence(n *yaml.Node, s int, depth int) (*tree.Node, int, error) {
	if l := b.flowListOf(n, s); l != nil {
		return b.packedList(l, s, depth)
	}
	out := &tree.Node{Kind: tree.Array}
	end := s
	if len(n.Content) > 0 {
		out.Elems = make([]*tree.Node, 0, len(n.Content))
	}
	for _, c := range n.Content {
		v, e, err := b.build(c, depth+1)
		if err != nil {
			return nil, 0, err
		}
		out.Elems = append(out.Elems, v)
		end = max(end, e)
	}
	if n.Style&yaml.FlowStyle != 0 {
		end = b.closeFlow(end, s, ']')
	}
	out.Range = b.rng(s, end)
	return out, end, nil
}

// closeFlow returns the offset just after the bracket that closes a flow
// collection whose content ends at end (or that starts at s when empty).
func (b *yamlBuilder) closeFlow(end, s int, bracket byte) int {
	i := end
	if i == s {
		i = s + 1 // past the opening bracket of an empty collection
		if j := bytes.IndexAny(b.src[min(s, len(b.src)):], "[{"); j >= 0 {
			i = s + j + 1
		}
	}
	for i < len(b.src) {
		switch c := b.src[i]; {
		case c == bracket:
			return i + 1
		case c == '#':
			for i < len(b.src) && b.src[i] != '\n' {
				i++
			}
		case isSpaceByte(c) || c == ',':
			i++
		default:
			return end
		}
	}
	return end
}

// mapping converts a mapping written from s on. Merge keys (<<) add the
// members of the mappings they name that the mapping does not set itself.
func (b *yamlBuilder) mapping(n *yaml.Node, s int, depth int) (*tree.Node, int, error) {
	out := &tree.Node{Kind: tree.Object}
	end := s
	var merged []tree.Member
	if len(n.Content) > 1 {
		out.Members = make([]tree.Member, 0, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		v, e, err := b.build(val, depth+1)
		if err != nil {
			return nil, 0, err
		}
		end = max(end, e)
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merged = append(merged, mergeMembers(v)...)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			continue // reported by check
		}
		ks := b.start(k)
		_, _, kc := b.properties(ks, false)
		ke := b.scalarEnd(k, kc)
		out.Members = append(out.Members, tree.Member{Key: k.Value, KeyRange: b.rng(kc, ke), Value: v})
	}
	if len(merged) > 0 {
		out.Members = append(merged, out.Members...)
	}
	if n.Style&yaml.FlowStyle != 0 {
		end = b.closeFlow(end, s, '}')
	}
	out.Range = b.rng(s, end)
	return out, end, nil
}

// mergeMembers returns the members a merge key adds: those of a mapping, or
// of a list of mappings where earlier mappings win (so they come last: the
// last member of a name wins).
func mergeMembers(v *tree.Node) []tree.Member {
	switch v.Kind {
	case tree.Object:
		return v.Members
	case tree.Array:
		var out []tree.Member
		for i := len(v.Elems) - 1; i >= 0; i-- {
			if v.Elems[i].Kind == tree.Object {
				out = append(out, v.Elems[i].Members...)
			}
		}
		return out
	}
	return nil
}

// check walks the whole document as written (without following aliases):
// it reports duplicate and non-scalar mapping keys, and returns the number
// of nodes, which sets the budget of alias expansion.
func (b *yamlBuilder) check(n *yaml.Node, depth int) int {
	if n == nil || depth > MaxDepth {
		return 0
	}
	count := 1
	if l := b.flowListOf(n, b.start(n)); l != nil {
		count += l.spans.Len() - len(n.Content) // a block list's first entry is counted below
	}
	if n.Kind == yaml.MappingNode {
		var seen map[string]*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			switch {
			case k.Kind != yaml.ScalarNode:
				b.diag(b.start(k), b.start(k)+1, "mapping key is not a string")
			case k.ShortTag() == "!!merge":
			default:
				if seen == nil {
					seen = make(map[string]*yaml.Node, len(n.Content)/2)
				}
				if first, dup := seen[k.Value]; dup {
					ks := b.start(k)
					_, _, kc := b.properties(ks, false)
					line := b.loc.Pos(b.start(first)).Line
					b.diag(kc, b.scalarEnd(k, kc), fmt.Sprintf("duplicate key %q (first at line %d)", k.Value, line))
				} else {
					seen[k.Value] = k
				}
			}
		}
	}
	if n.Kind != yaml.AliasNode {
		for _, c := range n.Content {
			count += b.check(c, depth+1)
		}
	}
	return count
}

func (b *yamlBuilder) diag(s, e int, msg string) {
	b.diags = append(b.diags, model.Diagnostic{Range: b.rng(s, e), Message: msg})
}

// yamlText returns the decoded text of a YAML string node and the file
// offset of each of its bytes (plus one for its end), when the text can be
// matched to the source; ok is false otherwise.
func yamlText(n *tree.Node, src []byte) (text []byte, offs []int, ok bool) {
	s, e := n.Range.Start.Byte, n.Range.End.Byte
	if s < 0 || e > len(src) || s >= e {
		return nil, nil, false
	}
	val := n.Str
	switch src[s] {
	case '"':
		if e-s >= 2 && src[e-1] == '"' {
			if t, o, err := srcjson.Unquote(src[s:e], s); err == nil && string(t) == val {
				return t, o, true
			}
			if offs, _, ok := align(val, src, s+1, e-1, false, true); ok {
				return []byte(val), append(offs, e-1), true
			}
		}
		return nil, nil, false
	case '\'':
		if e-s >= 2 && src[e-1] == '\'' {
			if offs, _, ok := align(val, src, s+1, e-1, true, true); ok {
				return []byte(val), append(offs, e-1), true
			}
		}
		return nil, nil, false
	case '|', '>':
		body := s
		for body < e && src[body] != '\n' && src[body] != '\r' {
			body++
		}
		if offs, _, ok := align(val, src, body, e, false, true); ok {
			return []byte(val), append(offs, e), true
		}
		return nil, nil, false
	}
	if offs, _, ok := align(val, src, s, e, false, true); ok {
		return []byte(val), append(offs, e), true
	}
	return nil, nil, false
}
