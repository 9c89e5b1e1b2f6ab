package terraform

import (
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
)

// source is a text that HCL parsed: a whole file (a .tf file, a template
// file), or a string of a .tf.json file decoded from its JSON escapes. It
// maps the byte offsets HCL reports in the text to byte offsets of the file,
// and those to positions.
type source struct {
	file string           // display path of the file
	loc  *model.LineIndex // positions in the file
	text []byte           // what HCL parsed
	// offs maps each byte offset of text, and len(text), to the offset in
	// the file where that byte's source begins; nil when text is the file.
	offs []int
	// raw is set when text is not native syntax (a template file, a policy
	// file, a decoded JSON string): its literals have no quoted escapes.
	raw bool
}

// copy returns s with a line index of its own: a LineIndex keeps a
// cursor, so goroutines must not share one.
func (s *source) copy() *source {
	c := *s
	c.loc = model.NewLineIndex(s.loc.File(), s.loc.Src())
	return &c
}

// off maps byte offset b of the text to a byte offset of the file.
func (s *source) off(b int) int {
	if s.offs == nil {
		return min(max(b, 0), len(s.text))
	}
	return s.offs[min(max(b, 0), len(s.offs)-1)]
}

// rng converts an HCL range in the text to a range of the file. Columns
// come from the byte offsets, so they count code points as model.Pos
// requires (HCL counts grapheme clusters).
func (s *source) rng(r hcl.Range) model.Range {
	start, end := s.off(r.Start.Byte), s.off(r.End.Byte)
	if end < start {
		end = start
	}
	return s.loc.Range(start, end)
}

// slice returns the text of r.
func (s *source) slice(r hcl.Range) string {
	start := min(max(r.Start.Byte, 0), len(s.text))
	end := min(max(r.End.Byte, start), len(s.text))
	return string(s.text[start:end])
}

// hclRange makes the HCL range of file bytes [start, end) for synthesized
// expressions (those built from the JSON tree of a .tf.json file).
func hclRange(filename string, loc *model.LineIndex, start, end int) hcl.Range {
	a, b := loc.Pos(start), loc.Pos(end)
	return hcl.Range{
		Filename: filename,
		Start:    hcl.Pos{Line: a.Line, Column: a.Column, Byte: a.Byte},
		End:      hcl.Pos{Line: b.Line, Column: b.Column, Byte: b.Byte},
	}
}

// alignLiteral maps each byte of val, the value of a template literal, to
// the offset in text where its source begins: the literal's source is
// text[start:end]. The source differs from the value by escapes (in quoted
// strings: \n, \", \uNNNN...; everywhere: $${ and %%{), by the indentation
// that a <<- heredoc strips and by the white space that a ~ strip marker
// removes. ok is false when val cannot be aligned with the source.
func alignLiteral(text []byte, start, end int, val string, quoted bool) (offs []int, ok bool) {
	if start < 0 || end > len(text) || start > end {
		return nil, false
	}
	offs = make([]int, len(val))
	i, j := 0, start
	for i < len(val) {
		if j >= end {
			return nil, false
		}
		c := text[j]
		if quoted && c == '\\' {
			dec, n := decodeEscape(text[j:end])
			if n == 0 || len(dec) > len(val)-i || val[i:i+len(dec)] != dec {
				return nil, false
			}
			for k := range len(dec) {
				offs[i+k] = j
			}
			i += len(dec)
			j += n
			continue
		}
		if c == val[i] {
			offs[i] = j
			i++
			j++
			continue
		}
		switch c {
		case ' ', '\t', '\r', '\n', '$', '%':
			j++
			continue
		}
		return nil, false
	}
	return offs, true
}

// decodeEscape decodes the HCL escape sequence at the start of b and
// returns its value and length, or n == 0 when it is not one.
func decodeEscape(b []byte) (string, int) {
	if len(b) < 2 || b[0] != '\\' {
		return "", 0
	}
	switch b[1] {
	case 'n':
		return "\n", 2
	case 'r':
		return "\r", 2
	case 't':
		return "\t", 2
	case '"':
		return `"`, 2
	case '\\':
		return `\`, 2
	case 'u', 'U':
		n := 4
		if b[1] == 'U' {
			n = 8
		}
		if len(b) < 2+n {
			return "", 0
		}
		var r rune
		for _, c := range b[2 : 2+n] {
			d, ok := srcjson.Unhex(c)
			if !ok || r > utf8.MaxRune>>4 {
				return "", 0
			}
			r = r<<4 | rune(d)
		}
		if !utf8.ValidRune(r) {
			return "", 0
		}
		return string(r), 2 + n
	}
	return "", 0
}
