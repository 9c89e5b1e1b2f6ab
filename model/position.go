package model

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// Pos is a position in a source file. Line and Column are 1-based; Column
// counts Unicode code points from the start of the line. Byte is the 0-based
// byte offset, or -1 when the parser does not know it (YAML).
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

// LineIndex converts byte offsets of one source text to line and column.
type LineIndex struct {
	src   []byte
	lines []int // byte offset of the start of each line
}

// NewLineIndex indexes the line starts of src. It keeps a reference to src.
func NewLineIndex(src []byte) *LineIndex {
	lines := make([]int, 1, 64+len(src)/32)
	for i, b := range src {
		if b == '\n' {
			lines = append(lines, i+1)
		}
	}
	return &LineIndex{src: src, lines: lines}
}

// Pos returns the position of byte offset off (clamped to the text).
func (x *LineIndex) Pos(off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(x.src) {
		off = len(x.src)
	}
	i := sort.Search(len(x.lines), func(i int) bool { return x.lines[i] > off }) - 1
	start := x.lines[i]
	col := 1
	seg := x.src[start:off]
	ascii := true
	for _, b := range seg {
		if b >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		col += len(seg)
	} else {
		col += utf8.RuneCount(seg)
	}
	return Pos{Line: i + 1, Column: col, Byte: off}
}

// Range returns the range of bytes [start, end) in file.
func (x *LineIndex) Range(file string, start, end int) Range {
	return Range{File: file, Start: x.Pos(start), End: x.Pos(end)}
}

// Line returns the text of 1-based line n without its line terminator, or ""
// when n is out of range.
func (x *LineIndex) Line(n int) string {
	if n < 1 || n > len(x.lines) {
		return ""
	}
	start := x.lines[n-1]
	end := len(x.src)
	if n < len(x.lines) {
		end = x.lines[n] - 1
	}
	if end > start && x.src[end-1] == '\r' {
		end--
	}
	return string(x.src[start:end])
}
