package textenc

import (
	"errors"
	"testing"
	"unicode/utf16"
)

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var out []byte
	if bom {
		if bigEndian {
			out = append(out, 0xFE, 0xFF)
		} else {
			out = append(out, 0xFF, 0xFE)
		}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func TestDecode(t *testing.T) {
	const doc = "{\r\n  \"RoleName\": \"dépôt-𝔸\"\r\n}\r\n"
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"plain UTF-8", []byte(doc), doc},
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, doc...), doc},
		{"UTF-16LE with BOM (PowerShell >)", utf16Bytes(doc, false, true), doc},
		{"UTF-16BE with BOM", utf16Bytes(doc, true, true), doc},
		{"UTF-16LE without BOM", utf16Bytes(doc, false, false), doc},
		{"UTF-16BE without BOM", utf16Bytes(doc, true, false), doc},
		{"empty", nil, ""},
		{"short", []byte("{}"), "{}"},
		{"binary stays as it is", []byte{0x00, 0x00, 0x01, 0x02}, "\x00\x00\x01\x02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := Decode([]byte{0xFF, 0xFE, '{'}); !errors.Is(err, ErrOddUTF16) {
		t.Errorf("odd UTF-16: got %v, want ErrOddUTF16", err)
	}
}
