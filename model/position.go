package model

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Pos is a position in a source file. Line and Column are 1-based; Column
// counts Unicode code points from the start of the line. Byte is the 0-based
// byte offset; every parser sets it (YAML positions too), and -1 marks a
// position made without the text at hand, such as a line of a config file.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"-"`
}

// Range is a span of a source file. End is exclusive: it is the position just
// after the last character, as in SARIF and HCL.
type Range struct {
	File  string `json:"file"`
	Start Pos    `json:"start"`
	End   Pos    `json:"end"`
}

// IsZero reports whether r was never set.
func (r Range) IsZero() bool { return r.File == "" && r.Start.Line == 0 }

// String renders r as file:line:col.
func (r Range) String() string {
	return fmt.Sprintf("%s:%d:%d", r.File, r.Start.Line, r.Start.Column)
}

// LineIndex converts byte offsets of one source file to positions (1-based
// lines, columns counting code points, each invalid UTF-8 byte counting as
// one) and finds the text of a line. It is the one place where trustlint
// computes lines and columns: parsers make ranges with it, reports find the
// line a finding points at.
//
// Pos keeps a cursor at the last position it computed, so offsets asked for
// in (mostly) increasing order, as a streaming parse does, cost time
// proportional to the distance moved: a minified 50 MB export on a single
// line stays linear, where a line-start table would rescan the line for
// every token. The table of line starts that Line needs is built on its
// first call. A LineIndex is not safe for concurrent use.
type LineIndex struct {
	file string
	src  []byte

	off       int // cursor: byte offset,
	line      int // its 1-based line,
	lineStart int // the offset of the start of that line,
	col       int // and its 1-based column.

	starts []int // byte offset of the start of each line, built by Line
}

// NewLineIndex returns a LineIndex for src, the content of file. It keeps a
// reference to src.
func NewLineIndex(file string, src []byte) *LineIndex {
	return &LineIndex{file: file, src: src, line: 1, col: 1}
}

// File returns the file name ranges are made with.
func (x *LineIndex) File() string { return x.file }

// Src returns the source text.
func (x *LineIndex) Src() []byte { return x.src }

// Pos returns the position of byte offset off, clamped to the text.
func (x *LineIndex) Pos(off int) Pos {
	off = min(max(off, 0), len(x.src))
	line, lineStart, col := x.line, x.lineStart, x.col
	switch {
	case off == x.off:
	case off > x.off:
		seg := x.src[x.off:off]
		if nl := bytes.LastIndexByte(seg, '\n'); nl >= 0 {
			line += bytes.Count(seg, newline)
			lineStart = x.off + nl + 1
			col = 1 + runeCount(x.src[lineStart:off])
		} else {
			col += runeCount(seg)
		}
	case off >= x.lineStart:
		col = 1 + runeCount(x.src[x.lineStart:off])
	default:
		line -= bytes.Count(x.src[off:x.lineStart], newline)
		lineStart = bytes.LastIndexByte(x.src[:off], '\n') + 1
		col = 1 + runeCount(x.src[lineStart:off])
	}
	// Counting on from the cursor adds up only when no UTF-8 sequence
	// spans it, so the cursor never stops on a continuation byte.
	if off == len(x.src) || utf8.RuneStart(x.src[off]) {
		x.off, x.line, x.lineStart, x.col = off, line, lineStart, col
	}
	return Pos{Line: line, Column: col, Byte: off}
}

// Fork returns a new LineIndex of the same file whose cursor starts where
// x's is: a reader that will come back later to offsets after it (the
// elements of a packed array) counts on from there, without moving x's
// cursor or counting from the start of the file.
func (x *LineIndex) Fork() *LineIndex {
	c := *x
	return &c
}

// Range returns the range of bytes [start, end) of the file.
func (x *LineIndex) Range(start, end int) Range {
	return Range{File: x.file, Start: x.Pos(start), End: x.Pos(end)}
}

// Line returns the text of 1-based line n without its line terminator (LF
// or CRLF) and the byte offset where the line starts; ok is false when the
// text has no line n.
func (x *LineIndex) Line(n int) (line []byte, start int, ok bool) {
	if x.starts == nil {
		x.starts = make([]int, 1, 64+len(x.src)/32)
		for i, b := range x.src {
			if b == '\n' {
				x.starts = append(x.starts, i+1)
			}
		}
	}
	if n < 1 || n > len(x.starts) {
		return nil, 0, false
	}
	start, end := x.starts[n-1], len(x.src)
	if n < len(x.starts) {
		end = x.starts[n] - 1
	}
	return bytes.TrimSuffix(x.src[start:end], []byte("\r")), start, true
}

var newline = []byte{'\n'}

// runeCount counts code points, each invalid byte counting as one, with a
// fast path for ASCII.
func runeCount(b []byte) int {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return utf8.RuneCount(b)
		}
	}
	return len(b)
}
