// Package textenc decodes input text to UTF-8: AWS CLI output saved on
// Windows is often UTF-16 with a byte-order mark, and editors there write a
// UTF-8 byte-order mark. Parsers then see plain UTF-8.
package textenc

import (
	"bytes"
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// ErrOddUTF16 is the error for UTF-16 input of an odd number of bytes.
var ErrOddUTF16 = errors.New("UTF-16 text with an odd number of bytes")

// Decode returns src as UTF-8 without a byte-order mark. UTF-16 is
// recognized by its byte-order mark, or, without one, by a first character
// in the ASCII range followed or preceded by a zero byte (`{` as 7B 00). A
// UTF-8 byte-order mark is dropped. Anything else is returned as it is.
// Lines do not move; columns of the first line move left by one (the mark
// is not a character the user sees).
func Decode(src []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(src, bomUTF8):
		return src[len(bomUTF8):], nil
	case bytes.HasPrefix(src, bomUTF16LE):
		return fromUTF16(src[2:], false)
	case bytes.HasPrefix(src, bomUTF16BE):
		return fromUTF16(src[2:], true)
	case len(src) >= 4 && src[0] != 0 && src[0] < utf8.RuneSelf && src[1] == 0 && src[2] != 0 && src[3] == 0:
		return fromUTF16(src, false)
	case len(src) >= 4 && src[0] == 0 && src[1] != 0 && src[1] < utf8.RuneSelf && src[2] == 0 && src[3] != 0:
		return fromUTF16(src, true)
	}
	return src, nil
}

func fromUTF16(b []byte, bigEndian bool) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, ErrOddUTF16
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	out := make([]byte, 0, len(units)+len(units)/8)
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}
