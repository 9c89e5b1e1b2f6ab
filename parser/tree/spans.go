package tree

import (
	"math"

	"github.com/trustlint/trustlint/internal/chunk"
	"github.com/trustlint/trustlint/model"
)

// spanStep is how many elements of a packed list share one recorded
// offset: the others are found by scanning the text from it.
const spanStep = 64

// Spans locates the elements of a list of scalars in its text: the offset
// of every spanStep-th element is kept, the others are found by scanning,
// so a list costs a few bits per element (an offset and an end per element
// were 40 MB of a 10 MB JSON list of five million zeros). The elements are
// scalars written on their own: a JSON string (escapes skipped), a
// single-quoted string without a doubled quote, or a literal ending at white space, a
// ',' or a closing bracket; between two elements there is only white
// space and one ',' (or, for a YAML block sequence, one '-': Block). Text
// offsets are kept under 4 GiB.
type Spans struct {
	marks chunk.List[uint32]
	n     int
	// Block is true when the elements are the entries of a YAML block
	// sequence: a '-' between two of them instead of a ','.
	Block bool
}

// Add records the next element, written at offset start.
func (s *Spans) Add(start int) {
	if s.n%spanStep == 0 {
		s.marks.Append(uint32(min(max(start, 0), math.MaxUint32)))
	}
	s.n++
}

// Len returns the number of elements.
func (s *Spans) Len() int { return s.n }

// Reset empties s, keeping its memory for reuse.
func (s *Spans) Reset() {
	s.marks.Reset()
	s.n, s.Block = 0, false
}

// Take returns the elements as Spans of their own and empties s.
func (s *Spans) Take() Spans {
	t := Spans{marks: s.marks.Take(), n: s.n, Block: s.Block}
	s.n, s.Block = 0, false
	return t
}

// Cursor reads the elements of Spans over text. Reading them in order
// scans each once; any other element is found from the nearest recorded
// offset.
type Cursor struct {
	s    *Spans
	text []byte
	i    int // the element after the last one read, or -1
	next int // where element i is written
}

// NewCursor returns a cursor over the elements of s, written in text.
func NewCursor(s *Spans, text []byte) *Cursor { return &Cursor{s: s, text: text, i: -1} }

// Span returns the offsets of the start and end of element i.
func (c *Cursor) Span(i int) (start, end int) {
	if c.i < 0 || i < c.i || i-c.i >= spanStep {
		c.i, c.next = i-i%spanStep, int(*c.s.marks.At(i / spanStep))
	}
	for {
		start = c.next
		end = scalarEnd(c.text, start)
		c.next = nextElement(c.text, end, c.s.Block)
		c.i++
		if c.i > i {
			return start, end
		}
	}
}

// scalarEnd returns the end of the scalar written at i.
func scalarEnd(text []byte, i int) int {
	if i >= len(text) {
		return i
	}
	switch q := text[i]; q {
	case '"', '\'':
		for j := i + 1; j < len(text); j++ {
			switch text[j] {
			case '\\':
				if q == '"' {
					j++
				}
			case q:
				return j + 1
			}
		}
		return len(text)
	}
	j := i
	for j < len(text) {
		switch text[j] {
		case ' ', '\t', '\r', '\n', ',', ']', '}':
			return j
		}
		j++
	}
	return j
}

// nextElement returns the start of the element after the one that ends
// at i: past white space and a ',', or a '-' in a block sequence.
func nextElement(text []byte, i int, block bool) int {
	sep := byte(',')
	if block {
		sep = '-'
	}
	for i < len(text) {
		switch text[i] {
		case ' ', '\t', '\r', '\n':
			i++
		case sep:
			i++
			for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n') {
				i++
			}
			return i
		default:
			return i
		}
	}
	return i
}

// PackSpans returns the packed elements of an array of scalars whose
// elements spans locates in text, file offset base on: scalar sets the
// value of *e from the text of one (its range is set). Positions count on
// from fork, a LineIndex of the file whose cursor is at or before the
// array; scalar must not keep e.
func PackSpans(fork *model.LineIndex, text []byte, base int, spans Spans, scalar func(e *Node, raw []byte)) *Packed {
	// The ranges a source map looks up count on from cursors of their own.
	rfork := fork.Fork()
	elems, ranges := NewCursor(&spans, text), NewCursor(&spans, text)
	return NewPacked(spans.Len(), func(i int, e *Node) {
		start, end := elems.Span(i)
		*e = Node{Range: fork.Range(base+start, base+end)}
		scalar(e, text[start:end])
	}, func(i int) model.Range {
		start, end := ranges.Span(i)
		return rfork.Range(base+start, base+end)
	})
}
