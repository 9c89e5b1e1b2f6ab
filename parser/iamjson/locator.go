package iamjson

import (
	"bytes"
	"unicode/utf8"

	"github.com/trustlint/trustlint/model"
)

// Locator converts byte offsets of one source file to positions, with the
// same results as model.LineIndex (1-based lines, columns counting code
// points). It keeps a cursor at the last position it computed, so offsets
// asked for in (mostly) increasing order, as a streaming parse does, cost
// time proportional to the distance moved: a minified 50 MB export on a
// single line stays linear, where a line-start index would rescan the line
// for every token. A Locator is not safe for concurrent use.
type Locator struct {
	file string
	src  []byte

	off       int // cursor: byte offset,
	line      int // its 1-based line,
	lineStart int // the offset of the start of that line,
	col       int // and its 1-based column.
}

// NewLocator returns a Locator for src, the content of file. It keeps a
// reference to src.
func NewLocator(file string, src []byte) *Locator {
	return &Locator{file: file, src: src, line: 1, col: 1}
}

// File returns the file name ranges are made with.
func (l *Locator) File() string { return l.file }

// Src returns the source text.
func (l *Locator) Src() []byte { return l.src }

// Pos returns the position of byte offset off, clamped to the text.
func (l *Locator) Pos(off int) model.Pos {
	off = min(max(off, 0), len(l.src))
	line, lineStart, col := l.line, l.lineStart, l.col
	switch {
	case off == l.off:
	case off > l.off:
		seg := l.src[l.off:off]
		if nl := bytes.LastIndexByte(seg, '\n'); nl >= 0 {
			line += bytes.Count(seg, nl1)
			lineStart = l.off + nl + 1
			col = 1 + runeCount(l.src[lineStart:off])
		} else {
			col += runeCount(seg)
		}
	case off >= l.lineStart:
		col = 1 + runeCount(l.src[l.lineStart:off])
	default:
		line -= bytes.Count(l.src[off:l.lineStart], nl1)
		lineStart = bytes.LastIndexByte(l.src[:off], '\n') + 1
		col = 1 + runeCount(l.src[lineStart:off])
	}
	// Counting on from the cursor adds up only when no UTF-8 sequence
	// spans it, so the cursor never stops on a continuation byte.
	if off == len(l.src) || utf8.RuneStart(l.src[off]) {
		l.off, l.line, l.lineStart, l.col = off, line, lineStart, col
	}
	return model.Pos{Line: line, Column: col, Byte: off}
}

// Range returns the range of bytes [start, end) of the file.
func (l *Locator) Range(start, end int) model.Range {
	return model.Range{File: l.file, Start: l.Pos(start), End: l.Pos(end)}
}

var nl1 = []byte{'\n'}

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
