package srcjson

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/tree"
)

// ParseText parses src[start:end] of the file loc describes as one JSON
// value and returns its positioned tree. Ranges are byte-exact: a value's
// range runs from its first byte to just after its last one, an object's
// from '{' to just after '}'. Syntax errors and duplicate keys are returned
// as diagnostics; the tree is nil when the text is not valid JSON.
func ParseText(loc *model.LineIndex, start, end int) (*tree.Node, []model.Diagnostic) {
	return parseText(loc, start, end, false)
}

// ParsePacked is ParseText with arrays of PackMin scalars or more packed
// (Builder.PackScalars).
func ParsePacked(loc *model.LineIndex, start, end int) (*tree.Node, []model.Diagnostic) {
	return parseText(loc, start, end, true)
}

func parseText(loc *model.LineIndex, start, end int, pack bool) (*tree.Node, []model.Diagnostic) {
	src := loc.Src()
	start = min(max(start, 0), len(src))
	end = min(max(end, start), len(src))
	b := newBuilder(loc, src[start:end], start, nil)
	b.pack = pack
	return b.document("")
}

// ParseMapped parses text, which is not the file itself but was decoded
// from it (the content of a JSON string, a percent-decoded document, a
// heredoc), as one JSON value. offs maps each byte offset of text, and
// len(text) (the end), to the byte offset in the file loc describes where
// that byte's source begins; it must have len(text)+1 entries. Every range of
// the tree and of the diagnostics is mapped through offs, so it names the
// file position of the source characters.
func ParseMapped(loc *model.LineIndex, text []byte, offs []int) (*tree.Node, []model.Diagnostic) {
	if len(offs) != len(text)+1 {
		return nil, []model.Diagnostic{{
			Range:   loc.Range(0, 0),
			Message: fmt.Sprintf("internal error: offset table has %d entries for %d bytes", len(offs), len(text)),
		}}
	}
	b := newBuilder(loc, text, 0, offs)
	return b.document("")
}

// Builder turns the tokens of a jsontext.Decoder into tree.Nodes with file
// ranges. ParseText and ParseMapped build a whole value; a format parser
// that streams a large file (an account export) drives the decoder itself
// and builds only the values it needs with Value and Key.
type Builder struct {
	dec  *jsontext.Decoder
	loc  *model.LineIndex
	text []byte // the decoder's input
	base int    // file offset of text[0] when offs is nil
	offs []int  // file offset of each byte of text (and its end), or nil

	diags  model.DiagnosticList // capped: a million duplicate keys keep a hundred
	intern map[string]string

	// Allocation helpers: nodes come from slabs, and the members and
	// elements of open containers wait on stacks until the container ends
	// and gets a slice of exactly its size.
	slab    []tree.Node
	members []tree.Member
	elems   []*tree.Node

	// pack makes arrays of PackMin scalars or more packed (PackScalars);
	// spans locates the scalars of the array being read while all its
	// elements are scalars.
	pack  bool
	spans tree.Spans

	// keep, when not nil, names the members read past MaxMembers
	// (CapMembers).
	keep func(name string) bool

	depth int // of the open containers
}

// PackMin is the number of scalar elements from which an array is packed
// (see PackScalars): realistic lists stay as they are.
const PackMin = 64

// PackScalars makes b build an array of PackMin or more elements that are
// all scalars as a tree.Packed, whose element nodes are made when read (a
// few bytes per element instead of a Node): the caller must read arrays
// through tree.Node's Len, Each or Elements, and read the elements of
// each packed array in one goroutine. Input decoded from the file
// (ParseMapped) and input of 4 GiB or more is never packed.
func (b *Builder) PackScalars() { b.pack = true }

// MaxDepth is the deepest nesting of arrays and objects that the tree
// builder accepts, counting the containers of the file (an export's
// top-level object and role list) and restarting at an embedded document.
// IAM documents nest about 7 levels deep; the limit keeps
// adversarial input from making the paths of a source map (whose length
// grows with depth) quadratic in size. Skipped values are limited only by
// the decoder (10,000 levels).
const MaxDepth = 256

// depthError is the error for nesting beyond MaxDepth.
type depthError struct{ offset int }

func (e *depthError) Error() string {
	return fmt.Sprintf("value nested deeper than %d levels", MaxDepth)
}

// Decoder returns the decoder over the builder's input, for a caller that
// streams it.
func (b *Builder) Decoder() *jsontext.Decoder { return b.dec }

// Enter counts a container that the caller opened by reading its '{' or '['
// token itself, so that MaxDepth counts it; Leave counts it closed.
func (b *Builder) Enter() { b.depth++ }

// Leave counts a container opened with Enter as closed.
func (b *Builder) Leave() { b.depth-- }

// TakeDiags returns the diagnostics collected so far (duplicate keys) and
// forgets them.
func (b *Builder) TakeDiags() []model.Diagnostic {
	d := b.diags.List()
	b.diags = model.DiagnosticList{}
	return d
}

// node returns a new zeroed node.
func (b *Builder) node() *tree.Node {
	if len(b.slab) == 0 {
		b.slab = make([]tree.Node, 64)
	}
	n := &b.slab[0]
	b.slab = b.slab[1:]
	return n
}

// decoderOptions are the options of every decoder: duplicates are detected
// by the builder, which reports them as diagnostics instead of failing.
var decoderOptions = jsontext.AllowDuplicateNames(true)

// NewDecoder returns a decoder of src with the options the builder uses.
func NewDecoder(src []byte) *jsontext.Decoder {
	return jsontext.NewDecoder(bytes.NewBuffer(src), decoderOptions)
}

// NewBuilder returns a Builder over src, the whole content of the file loc
// describes.
func NewBuilder(loc *model.LineIndex, src []byte) *Builder {
	return newBuilder(loc, src, 0, nil)
}

func newBuilder(loc *model.LineIndex, text []byte, base int, offs []int) *Builder {
	b := &Builder{loc: loc}
	b.reset(text, base, offs)
	return b
}

// reset points b at new input, keeping its decoder and intern table.
func (b *Builder) reset(text []byte, base int, offs []int) {
	b.text, b.base, b.offs = text, base, offs
	if b.dec == nil {
		b.dec = jsontext.NewDecoder(bytes.NewBuffer(text), decoderOptions)
	} else {
		b.dec.Reset(bytes.NewBuffer(text), decoderOptions)
	}
	b.diags = model.DiagnosticList{}
	b.depth = 0
}

// fileOff maps an offset of the decoder's input to a file offset.
func (b *Builder) fileOff(i int) int {
	if b.offs == nil {
		return b.base + i
	}
	i = min(max(i, 0), len(b.offs)-1)
	return b.offs[i]
}

// pos returns the file position of decoder offset i.
func (b *Builder) pos(i int) model.Pos { return b.loc.Pos(b.fileOff(i)) }

// rng returns the file range of decoder offsets [start, end).
func (b *Builder) rng(start, end int) model.Range {
	return model.Range{File: b.loc.File(), Start: b.pos(start), End: b.pos(end)}
}

// document parses one complete JSON value and checks that nothing but white
// space follows it. prefix starts the syntax error messages.
func (b *Builder) document(prefix string) (*tree.Node, []model.Diagnostic) {
	var n *tree.Node
	var err error
	if b.dec.PeekKind() == jsontext.KindInvalid {
		if _, err = b.dec.ReadToken(); errors.Is(err, io.EOF) {
			b.diags.Add(model.Diagnostic{
				Range:   b.rng(len(b.text), len(b.text)),
				Message: prefix + "invalid JSON: empty input",
			})
			return nil, b.diags.List()
		}
	} else if n, err = b.Value(); err == nil {
		err = b.End()
	}
	if err != nil {
		b.diags.Add(b.SyntaxDiag(prefix, err))
		return nil, b.diags.List()
	}
	return n, b.diags.List()
}

// End checks that only white space is left after the top-level value.
// A nil error means the input is complete; any other is for SyntaxDiag.
func (b *Builder) End() error {
	if b.dec.PeekKind() == jsontext.KindInvalid {
		_, err := b.dec.ReadToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}
	off := int(b.dec.InputOffset())
	off += len(b.text[off:]) - len(bytes.TrimLeft(b.text[off:], " \t\r\n"))
	return &jsontext.SyntacticError{ByteOffset: int64(off), Err: errTrailing}
}

var errTrailing = errors.New("unexpected data after the top-level value")

// Value reads the next JSON value of the decoder as a tree.
func (b *Builder) Value() (*tree.Node, error) {
	switch kind := b.dec.PeekKind(); kind {
	case jsontext.KindBeginObject, jsontext.KindBeginArray:
		if b.depth >= MaxDepth {
			off := int(b.dec.InputOffset())
			off += len(b.text[off:]) - len(TrimValue(b.text[off:]))
			return nil, &depthError{offset: off}
		}
		b.depth++
		defer func() { b.depth-- }()
		if kind == jsontext.KindBeginObject {
			return b.object()
		}
		return b.array()
	}
	raw, err := b.dec.ReadValue()
	if err != nil {
		return nil, err
	}
	end := int(b.dec.InputOffset())
	n := b.node()
	n.Range = b.rng(end-len(raw), end)
	b.scalar(n, raw)
	return n, nil
}

// scalar sets the kind and value of n to those of raw, a JSON literal,
// number or string token.
func (b *Builder) scalar(n *tree.Node, raw []byte) {
	switch raw[0] {
	case 'n':
		n.Kind = tree.Null
	case 't':
		n.Kind, n.Bool = tree.Bool, true
	case 'f':
		n.Kind = tree.Bool
	case '"':
		n.Kind, n.Str = tree.String, b.str(raw)
	default:
		n.Kind, n.Str = tree.Number, string(raw)
		n.Num = parseNumber(n.Str)
	}
}

// parseNumber converts a valid JSON number. Numbers beyond the float64 range
// are clamped to ±math.MaxFloat64: an infinity cannot be passed on as JSON.
func parseNumber(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	switch {
	case math.IsInf(f, 1):
		return math.MaxFloat64
	case math.IsInf(f, -1):
		return -math.MaxFloat64
	}
	return f
}

// object reads a JSON object. The next token must be '{'.
func (b *Builder) object() (*tree.Node, error) {
	if _, err := b.dec.ReadToken(); err != nil {
		return nil, err
	}
	n := b.node()
	n.Kind = tree.Object
	start := b.pos(int(b.dec.InputOffset()) - 1)
	mark := len(b.members)
	defer func() { b.members = b.members[:mark] }()
	var seen map[string]int
	var keys Keys
	for {
		if b.dec.PeekKind() == jsontext.KindEndObject {
			if _, err := b.dec.ReadToken(); err != nil {
				return nil, err
			}
			break
		}
		key, keyRange, err := b.Key()
		if err != nil {
			return nil, err
		}
		if !b.Read(&keys, key, keyRange) {
			if err := b.dec.SkipValue(); err != nil {
				return nil, err
			}
			continue
		}
		seen, _ = b.CheckDuplicate(b.members[mark:], seen, key, keyRange)
		v, err := b.Value()
		if err != nil {
			return nil, err
		}
		b.members = keys.Put(b.members, mark, tree.Member{Key: key, KeyRange: keyRange, Value: v})
	}
	b.EndObject(&keys)
	n.Skipped = keys.skipped
	if len(b.members) > mark {
		n.Members = append([]tree.Member(nil), b.members[mark:]...)
	}
	n.Range = model.Range{File: b.loc.File(), Start: start, End: b.pos(int(b.dec.InputOffset()))}
	return n, nil
}

// Key reads an object member name and its range.
func (b *Builder) Key() (string, model.Range, error) {
	raw, err := b.dec.ReadValue()
	if err != nil {
		return "", model.Range{}, err
	}
	end := int(b.dec.InputOffset())
	return b.str(raw), b.rng(end-len(raw), end), nil
}

// CheckDuplicate reports key as a duplicate when members, the members of
// the object read so far, already has it, and tells whether it did.
// Small objects are searched linearly; from 16 members on, seen indexes the
// names (and is returned for the next call).
func (b *Builder) CheckDuplicate(members []tree.Member, seen map[string]int, key string, keyRange model.Range) (map[string]int, bool) {
	first := -1
	if len(members) < 16 {
		for i := range members {
			if members[i].Key == key {
				first = i
				break
			}
		}
	} else {
		if seen == nil {
			seen = make(map[string]int, 2*len(members))
			for i := len(members) - 1; i >= 0; i-- {
				seen[members[i].Key] = i
			}
		}
		if i, ok := seen[key]; ok {
			first = i
		} else {
			seen[key] = len(members)
		}
	}
	if first >= 0 {
		b.diags.Add(duplicateDiag(key, keyRange, members[first].KeyRange))
	}
	return seen, first >= 0
}

// duplicateDiag reports a repeated object key.
func duplicateDiag(key string, r, first model.Range) model.Diagnostic {
	return model.Diagnostic{
		Range:   r,
		Message: fmt.Sprintf("duplicate key %q (first at line %d)", key, first.Start.Line),
	}
}

// array reads a JSON array. The next token must be '['.
func (b *Builder) array() (*tree.Node, error) {
	if _, err := b.dec.ReadToken(); err != nil {
		return nil, err
	}
	n := b.node()
	n.Kind = tree.Array
	start := b.pos(int(b.dec.InputOffset()) - 1)
	// While every element is a scalar, a packing builder records only
	// where each is (no array being packed can be open around this one,
	// so the spans stack is empty); the first container makes their nodes.
	var fork *model.LineIndex
	if b.pack && b.offs == nil && len(b.text) <= math.MaxUint32 {
		fork = b.loc.Fork()
	}
	mark := len(b.elems)
	defer func() { b.elems = b.elems[:mark] }()
	for {
		kind := b.dec.PeekKind()
		if kind == jsontext.KindEndArray {
			if _, err := b.dec.ReadToken(); err != nil {
				return nil, err
			}
			break
		}
		if fork != nil {
			if kind != jsontext.KindBeginObject && kind != jsontext.KindBeginArray {
				raw, err := b.dec.ReadValue()
				if err != nil {
					b.spans.Reset()
					return nil, err
				}
				b.spans.Add(int(b.dec.InputOffset()) - len(raw))
				continue
			}
			b.unpack()
			fork = nil
		}
		v, err := b.Value()
		if err != nil {
			return nil, err
		}
		b.elems = append(b.elems, v)
	}
	switch {
	case fork != nil && b.spans.Len() >= PackMin:
		n.Packed = b.packed(fork)
	case fork != nil:
		b.unpack()
	}
	if len(b.elems) > mark {
		n.Elems = append([]*tree.Node(nil), b.elems[mark:]...)
	}
	n.Range = model.Range{File: b.loc.File(), Start: start, End: b.pos(int(b.dec.InputOffset()))}
	return n, nil
}

// unpack makes the nodes of the scalars recorded in spans, in order, and
// empties spans.
func (b *Builder) unpack() {
	c := tree.NewCursor(&b.spans, b.text)
	for i := range b.spans.Len() {
		start, end := c.Span(i)
		n := b.node()
		n.Range = b.rng(start, end)
		b.scalar(n, b.text[start:end])
		b.elems = append(b.elems, n)
	}
	b.spans.Reset()
}

// packed returns the scalars recorded in spans as a tree.Packed whose
// positions count on from fork (at the array's '[') and empties spans.
func (b *Builder) packed(fork *model.LineIndex) *tree.Packed {
	return tree.PackSpans(fork, b.text, b.base, b.spans.Take(), b.scalar)
}

// maxIntern bounds the intern table of one parse.
const maxIntern = 4096

// str returns the value of the raw JSON string token raw. Short strings
// without escapes are interned: element names, effects, actions and service
// principals repeat in every role of an export.
func (b *Builder) str(raw []byte) string {
	body := raw[1 : len(raw)-1]
	if bytes.IndexByte(body, '\\') < 0 {
		if len(body) > 48 {
			return string(body)
		}
		if s, ok := b.intern[string(body)]; ok {
			return s
		}
		s := string(body)
		if b.intern == nil {
			// No size hint: a parse may be one Action value of one
			// statement among 100,000 (iamjson's Match), and a table
			// made for 256 strings cost more than the parse.
			b.intern = map[string]string{}
		}
		if len(b.intern) < maxIntern {
			b.intern[s] = s
		}
		return s
	}
	s, err := jsontext.AppendUnquote(nil, raw)
	if err != nil { // cannot happen: the decoder validated the token
		return string(body)
	}
	return string(s)
}

// SyntaxDiag converts a decoder error to a diagnostic at the file position
// of the faulty character.
func (b *Builder) SyntaxDiag(prefix string, err error) model.Diagnostic {
	off := len(b.text)
	msg := err.Error()
	var se *jsontext.SyntacticError
	var de *depthError
	switch {
	case errors.As(err, &de):
		return model.Diagnostic{Range: b.rng(de.offset, de.offset+1), Message: prefix + msg}
	case errors.As(err, &se):
		off = int(se.ByteOffset)
		if se.Err != nil {
			msg = se.Err.Error()
		}
	case errors.Is(err, io.EOF):
		msg = "unexpected EOF"
	}
	off = min(max(off, 0), len(b.text))
	if off < len(b.text) && b.text[off] == ',' {
		// The decoder blames the comma of "[1,]" as the start of a value.
		if rest := bytes.TrimLeft(b.text[off+1:], " \t\r\n"); len(rest) > 0 && (rest[0] == '}' || rest[0] == ']') {
			msg = fmt.Sprintf("trailing comma before '%c'", rest[0])
		}
	}
	end := off
	if end < len(b.text) {
		end++
		for end < len(b.text) && b.text[end]&0xC0 == 0x80 { // rest of a UTF-8 sequence
			end++
		}
	}
	return model.Diagnostic{Range: b.rng(off, end), Message: prefix + "invalid JSON: " + cleanMessage(msg)}
}

// messageFixes rewords decoder messages for users, who call object member
// names keys.
var messageFixes = strings.NewReplacer(
	"jsontext: ", "",
	"object member name", "object key",
	"object name", "object key",
	"unexpected EOF", "unexpected end of input",
)

func cleanMessage(msg string) string { return messageFixes.Replace(msg) }

// TrimValue drops the white space and separators before a value: the
// decoder's input offset stands before them.
func TrimValue(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n' || b[0] == ',' || b[0] == ':') {
		b = b[1:]
	}
	return b
}
