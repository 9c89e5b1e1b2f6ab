package srcjson

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/tree"
)

// DecodeError is an error of one decoding layer of an embedded document, at
// byte Offset of the file.
type DecodeError struct {
	Offset int
	Err    error
}

// Error returns the message of the underlying error.
func (e *DecodeError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// Unquote decodes raw, a JSON string literal including its quotes found at
// byte offset base of a file, and returns the decoded bytes with their
// offset table: offs[i] is the file offset where the source of text[i]
// begins (the backslash of an escape sequence; all bytes of a character
// written as \u00e9 or as a surrogate pair map to its first backslash), and
// offs[len(text)] is the offset of the closing quote. A lone surrogate
// decodes to U+FFFD.
func Unquote(raw []byte, base int) (text []byte, offs []int, err error) {
	return appendUnquote(nil, nil, raw, base)
}

// appendUnquote is Unquote appending to text and offs, for buffer reuse.
func appendUnquote(text []byte, offs []int, raw []byte, base int) ([]byte, []int, error) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return text, offs, &DecodeError{Offset: base, Err: errors.New("not a JSON string literal")}
	}
	// The text is no longer than raw: room for it up front, where growing
	// by appending allocated five times the offset table of a 10 MB string.
	text, offs = slices.Grow(text, len(raw)), slices.Grow(offs, len(raw))
	end := len(raw) - 1
	for i := 1; i < end; {
		c := raw[i]
		if c != '\\' {
			text = append(text, c)
			offs = append(offs, base+i)
			i++
			continue
		}
		if i+1 >= end {
			return text, offs, &DecodeError{Offset: base + i, Err: errors.New("unterminated escape sequence")}
		}
		var out byte
		switch raw[i+1] {
		case '"', '\\', '/':
			out = raw[i+1]
		case 'b':
			out = '\b'
		case 'f':
			out = '\f'
		case 'n':
			out = '\n'
		case 'r':
			out = '\r'
		case 't':
			out = '\t'
		case 'u':
			r, ok := hex4(raw[i+2 : end])
			if !ok {
				return text, offs, &DecodeError{Offset: base + i, Err: fmt.Errorf("invalid escape sequence %q", raw[i:min(i+6, end)])}
			}
			n := 6
			if utf16.IsSurrogate(r) {
				r2, ok := rune(0), false
				if i+12 <= end && raw[i+6] == '\\' && raw[i+7] == 'u' {
					r2, ok = hex4(raw[i+8 : end])
				}
				if d := utf16.DecodeRune(r, r2); ok && d != utf8.RuneError {
					r, n = d, 12
				} else {
					r = utf8.RuneError
				}
			}
			var buf [utf8.UTFMax]byte
			for _, c := range buf[:utf8.EncodeRune(buf[:], r)] {
				text = append(text, c)
				offs = append(offs, base+i)
			}
			i += n
			continue
		default:
			return text, offs, &DecodeError{Offset: base + i, Err: fmt.Errorf("invalid escape sequence %q", raw[i:i+2])}
		}
		text = append(text, out)
		offs = append(offs, base+i)
		i += 2
	}
	offs = append(offs, base+end)
	return text, offs, nil
}

// hex4 parses the four hex digits at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		v, ok := Unhex(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}

// Unhex returns the value of a hexadecimal digit.
func Unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// PercentDecode decodes the RFC 3986 percent-encoding of text, whose bytes
// come from the file offsets offs (len(text)+1 entries, as Unquote returns
// them), and returns the decoded bytes with their own offset table: a byte
// written as %XX maps to the offset of its '%'. The IAM API percent-encodes
// policy documents as RFC 3986 does, so '+' is kept as a literal plus sign,
// not turned into a space as HTML form decoding would: "+" is legal in IAM
// names and ARNs. A '%' not followed by two hex digits is an error.
func PercentDecode(text []byte, offs []int) ([]byte, []int, error) {
	return appendPercentDecode(nil, nil, text, offs)
}

// appendPercentDecode is PercentDecode appending to out and outOffs.
func appendPercentDecode(out []byte, outOffs []int, text []byte, offs []int) ([]byte, []int, error) {
	if len(offs) != len(text)+1 {
		return out, outOffs, &DecodeError{Err: fmt.Errorf("offset table has %d entries for %d bytes", len(offs), len(text))}
	}
	out, outOffs = slices.Grow(out, len(text)), slices.Grow(outOffs, len(offs))
	for i := 0; i < len(text); {
		c := text[i]
		if c == '%' {
			var hi, lo byte
			ok := i+2 < len(text)
			if ok {
				var ok1, ok2 bool
				hi, ok1 = Unhex(text[i+1])
				lo, ok2 = Unhex(text[i+2])
				ok = ok1 && ok2
			}
			if !ok {
				return out, outOffs, &DecodeError{Offset: offs[i], Err: fmt.Errorf("invalid percent-encoding %q", text[i:min(i+3, len(text))])}
			}
			out = append(out, hi<<4|lo)
			outOffs = append(outOffs, offs[i])
			i += 3
			continue
		}
		out = append(out, c)
		outOffs = append(outOffs, offs[i])
		i++
	}
	outOffs = append(outOffs, offs[len(text)])
	return out, outOffs, nil
}

// EmbeddedKind tells what a string value holding a policy document contains.
type EmbeddedKind int

// Kinds of string policy documents.
const (
	// EmbeddedNone is a string that holds no JSON document: it is kept as
	// the raw string (an empty string is one).
	EmbeddedNone EmbeddedKind = iota
	// EmbeddedJSON is JSON text in a string, as CloudFormation and Terraform
	// write it.
	EmbeddedJSON
	// EmbeddedURLEncoded is percent-encoded JSON, as the raw IAM API returns
	// it ("%7B%22Version%22...").
	EmbeddedURLEncoded
)

// ClassifyEmbedded tells whether the decoded string s holds a JSON object
// (after optional white space) or a percent-encoded one (starting with
// "%7B" in either case, after optional white space).
func ClassifyEmbedded[T ~string | ~[]byte](s T) EmbeddedKind {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	switch {
	case i < len(s) && s[i] == '{':
		return EmbeddedJSON
	case len(s)-i >= 3 && s[i] == '%' && s[i+1] == '7' && (s[i+2] == 'B' || s[i+2] == 'b'):
		return EmbeddedURLEncoded
	}
	return EmbeddedNone
}

// LooksJSON reports whether s starts, after white space, like a JSON
// object or array: whether it is meant as JSON (and a parse error in it is
// worth reporting) rather than some other text.
func LooksJSON[T ~string | ~[]byte](s T) bool {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i < len(s) && (s[i] == '{' || s[i] == '[')
}

// ParseEmbedded parses the policy document held by a JSON string literal:
// raw is the literal including its quotes, found at byte offset rawStart of
// the file loc describes. The string is unescaped and, when it starts with a
// percent-encoded '{', percent-decoded; the result is parsed as JSON. Every
// range of the tree, and every diagnostic, points at the file position of
// the characters in the outer string. Callers decide first, with
// ClassifyEmbedded, whether the string holds a document at all: any other
// text is reported as invalid JSON.
func ParseEmbedded(loc *model.LineIndex, raw []byte, rawStart int) (*tree.Node, []model.Diagnostic) {
	var e Embedder
	return e.Parse(loc, raw, rawStart)
}

// Embedder parses embedded documents as ParseEmbedded does, reusing its
// buffers and decoder from one call to the next. Its zero value is ready to
// use; it is not safe for concurrent use.
type Embedder struct {
	text, text2 []byte
	offs, offs2 []int
	b           *Builder
	keep        func(name string) bool
}

// CapMembers makes e cap the members of the objects of the documents it
// parses, as Builder.CapMembers does.
func (e *Embedder) CapMembers(keep func(name string) bool) {
	e.keep = keep
	if e.b != nil {
		e.b.CapMembers(keep)
	}
}

// embeddedPrefix starts the messages of errors inside embedded documents.
const embeddedPrefix = "embedded policy document: "

// Parse parses the document held by the JSON string literal raw found at
// byte offset rawStart of the file loc describes, as ParseEmbedded does.
func (e *Embedder) Parse(loc *model.LineIndex, raw []byte, rawStart int) (*tree.Node, []model.Diagnostic) {
	if at := embeddedDensity(raw); at >= 0 {
		return nil, []model.Diagnostic{{
			Range:   loc.Range(rawStart+at, rawStart+at+1),
			Message: fmt.Sprintf("%smore than %d values (IAM accepts policies of at most 10,240 characters); not read", embeddedPrefix, MaxEmbeddedValues),
		}}
	}
	var err error
	e.text, e.offs, err = appendUnquote(e.text[:0], e.offs[:0], raw, rawStart)
	if err != nil {
		return nil, []model.Diagnostic{decodeDiag(loc, err)}
	}
	text, offs := e.text, e.offs
	if ClassifyEmbedded(text) == EmbeddedURLEncoded {
		e.text2, e.offs2, err = appendPercentDecode(e.text2[:0], e.offs2[:0], text, offs)
		if err != nil {
			return nil, []model.Diagnostic{decodeDiag(loc, err)}
		}
		text, offs = e.text2, e.offs2
	}
	if e.b == nil {
		e.b = newBuilder(loc, text, 0, offs)
		e.b.CapMembers(e.keep)
	} else {
		e.b.loc = loc
		e.b.reset(text, 0, offs)
	}
	return e.b.document(embeddedPrefix)
}

// MaxEmbeddedValues is the number of values an embedded policy document
// may have. A document of one list of millions of values in a string took
// 1.2 GB at 10 MB (its offset table, tree and source map); IAM accepts
// policies of at most 10,240 characters, so the limit is far from any real
// document.
const MaxEmbeddedValues = 500_000

// embeddedDensity returns the offset in raw, a JSON string literal holding
// a document, where the document's values pass MaxEmbeddedValues, or -1.
// Every value and name of the document but the first follows a ',', ':',
// '[' or '{', written as such, escaped (a '\') or percent-encoded (a '%'),
// so counting those bytes of raw, in strings or not, bounds the values
// without decoding: no literal of fewer bytes than the limit is refused.
func embeddedDensity(raw []byte) int {
	n := 0
	for i, c := range raw {
		switch c {
		case ',', ':', '[', '{', '\\', '%':
			if n++; n > MaxEmbeddedValues {
				return i
			}
		}
	}
	return -1
}

// decodeDiag reports a DecodeError at its file offset.
func decodeDiag(loc *model.LineIndex, err error) model.Diagnostic {
	off := 0
	var de *DecodeError
	if errors.As(err, &de) {
		off = de.Offset
	}
	return model.Diagnostic{Range: loc.Range(off, off+1), Message: embeddedPrefix + err.Error()}
}

// FirstName returns the name of the first member of src when src, after a
// byte order mark and white space, is a JSON object that starts with one;
// ok is false otherwise. It reads no further than that name: a parser's
// Match can tell a 24 MB account export from its own format by its first
// key instead of searching all of it.
func FirstName(src []byte) (name string, ok bool) {
	src = bytes.TrimLeft(bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(src) == 0 || src[0] != '{' {
		return "", false
	}
	dec := NewDecoder(src)
	if _, err := dec.ReadToken(); err != nil || dec.PeekKind() != '"' {
		return "", false
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return "", false
	}
	return tok.String(), true
}
