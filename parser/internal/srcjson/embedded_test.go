package srcjson

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

func identity(n int) []int {
	offs := make([]int, n+1)
	for i := range offs {
		offs[i] = i
	}
	return offs
}

func TestUnquote(t *testing.T) {
	tests := []struct {
		name, raw string
		base      int
		text      string
		offs      []int
		errOff    int // -1: no error
	}{
		{"plain", `"ab"`, 5, "ab", []int{6, 7, 8}, -1},
		{"escaped quote", `"a\"b"`, 10, `a"b`, []int{11, 12, 14, 15}, -1},
		{"short escapes", `"\n\t\/\\"`, 0, "\n\t/\\", []int{1, 3, 5, 7, 9}, -1},
		{"two-byte character", `"\u00e9x"`, 0, "éx", []int{1, 1, 7, 8}, -1},
		{"surrogate pair", `"\ud83d\ude80x"`, 0, "🚀x", []int{1, 1, 1, 1, 13, 14}, -1},
		{"lone surrogate", `"\ud800x"`, 0, "\uFFFDx", []int{1, 1, 1, 7, 8}, -1},
		{"raw UTF-8 kept", `"é"`, 0, "é", []int{1, 2, 3}, -1},
		{"empty", `""`, 3, "", []int{4}, -1},
		{"bad escape", `"a\qb"`, 100, "", nil, 102},
		{"short unicode escape", `"\u12"`, 0, "", nil, 1},
		{"not a literal", `abc`, 7, "", nil, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, offs, err := Unquote([]byte(tt.raw), tt.base)
			if tt.errOff >= 0 {
				var de *DecodeError
				if !errors.As(err, &de) || de.Offset != tt.errOff {
					t.Fatalf("got error %v, want a DecodeError at %d", err, tt.errOff)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if string(text) != tt.text || !reflect.DeepEqual(offs, tt.offs) {
				t.Errorf("got %q %v want %q %v", text, offs, tt.text, tt.offs)
			}
		})
	}
}

func TestPercentDecode(t *testing.T) {
	tests := []struct {
		name, in string
		out      string
		offs     []int
		errOff   int
	}{
		{"plus stays a plus", "%7Ba+b%20", "{a+b ", []int{0, 3, 4, 5, 6, 9}, -1},
		{"lower-case hex", "%7b%2f", "{/", []int{0, 3, 6}, -1},
		{"nothing encoded", "ab", "ab", []int{0, 1, 2}, -1},
		{"bad hex", "a%G1", "", nil, 1},
		{"truncated", "ab%2", "", nil, 2},
		{"percent at end", "%", "", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, offs, err := PercentDecode([]byte(tt.in), identity(len(tt.in)))
			if tt.errOff >= 0 {
				var de *DecodeError
				if !errors.As(err, &de) || de.Offset != tt.errOff {
					t.Fatalf("got error %v, want a DecodeError at %d", err, tt.errOff)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if string(out) != tt.out || !reflect.DeepEqual(offs, tt.offs) {
				t.Errorf("got %q %v want %q %v", out, offs, tt.out, tt.offs)
			}
		})
	}
	if _, _, err := PercentDecode([]byte("ab"), []int{0}); err == nil {
		t.Error("got no error for a short offset table")
	}
}

func TestClassifyEmbedded(t *testing.T) {
	tests := []struct {
		s    string
		want EmbeddedKind
	}{
		{`{"Version": "2012-10-17"}`, EmbeddedJSON},
		{"\n  {}", EmbeddedJSON},
		{"%7B%22Version%22", EmbeddedURLEncoded},
		{"%7b%22", EmbeddedURLEncoded},
		{"", EmbeddedNone},
		{"not a policy", EmbeddedNone},
		{"[1]", EmbeddedNone},
		{"%7", EmbeddedNone},
		{"%7C", EmbeddedNone},
		{" \n%7B%7D", EmbeddedURLEncoded},
	}
	for _, tt := range tests {
		if got := ClassifyEmbedded(tt.s); got != tt.want {
			t.Errorf("ClassifyEmbedded(%q): got %d want %d", tt.s, got, tt.want)
		}
		if got := ClassifyEmbedded([]byte(tt.s)); got != tt.want {
			t.Errorf("ClassifyEmbedded([]byte(%q)): got %d want %d", tt.s, got, tt.want)
		}
	}
}

// TestParseEmbeddedDirect uses the exported helper on a string found in the
// middle of a file, as other format parsers will.
func TestParseEmbeddedDirect(t *testing.T) {
	src := []byte("x = \"{\\\"Statement\\\": [\\n  {\\\"Effect\\\": \\\"Allow\\\"}]}\"\n")
	start := strings.IndexByte(string(src), '"')
	end := strings.LastIndexByte(string(src), '"') + 1
	loc := model.NewLineIndex("main.tf", src)
	n, diags := ParseEmbedded(loc, src[start:end], start)
	if n == nil || len(diags) > 0 {
		t.Fatalf("got %v %v", n, diags)
	}
	effect := n.Get("Statement").Elems[0].Get("Effect")
	// `\"Allow\"` starts at byte 39: line 1, column 40.
	if got, want := span(effect.Range), "1:40-1:49"; got != want || effect.Str != "Allow" {
		t.Errorf("got %q at %s want \"Allow\" at %s", effect.Str, got, want)
	}
}

func TestParseTextAndMapped(t *testing.T) {
	src := []byte(`x = {"a": [1, true]} y = {"b" 1}`)
	loc := model.NewLineIndex("t.hcl", src)
	n, diags := ParseText(loc, 4, 20)
	if len(diags) > 0 || n == nil || span(n.Get("a").Elems[1].Range) != "1:15-1:19" {
		t.Errorf("ParseText: got %v %v, want the object with true at 1:15-1:19", n, diags)
	}
	n, diags = ParseText(loc, 25, len(src))
	if n != nil || len(diags) != 1 || diagString(diags[0]) != "1:31-1:32 invalid JSON: invalid character '1' after object key (expecting ':')" {
		t.Errorf("ParseText: got %v %q", n, diags)
	}
	n, diags = ParseText(loc, 3, 4)
	if n != nil || len(diags) != 1 || diagString(diags[0]) != "1:5-1:5 invalid JSON: empty input" {
		t.Errorf("ParseText of white space: got %v %q", n, diags)
	}
	if n, diags := ParseMapped(loc, []byte("{}"), []int{0}); n != nil || len(diags) != 1 {
		t.Errorf("ParseMapped with a short table: got %v %v, want a diagnostic", n, diags)
	}
	// Text decoded from elsewhere: "[7]" whose bytes come from offsets 10, 12, 14.
	n, diags = ParseMapped(loc, []byte("[7]"), []int{10, 12, 14, 16})
	if len(diags) > 0 || span(n.Range) != "1:11-1:17" || span(n.Elems[0].Range) != "1:13-1:15" {
		t.Errorf("ParseMapped: got %v %v", n, diags)
	}
}

// span renders a range as "line:col-line:col".
func span(r model.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
}

// diagString renders a diagnostic as "line:col-line:col message".
func diagString(d model.Diagnostic) string { return span(d.Range) + " " + d.Message }

// TestEmbeddedDensity checks that a document of more than MaxEmbeddedValues
// values is refused before it is decoded, where it is written plainly,
// escaped or percent-encoded, at the file position where the limit is
// crossed, and that one just under the limit is read.
func TestEmbeddedDensity(t *testing.T) {
	const pad = `{"pad": 1}` // a raw literal is placed after this in the file
	list := func(sep string, n int) string { return strings.Repeat("0"+sep, n) + "0" }
	cases := []struct {
		name, raw string
		refused   bool
	}{
		{"plain", `"[` + list(",", MaxEmbeddedValues) + `]"`, true},
		{"escaped commas", `"{\"x\": [` + list(`\u002c`, MaxEmbeddedValues) + `]}"`, true},
		{"percent-encoded", `"%7B%22x%22%3A%5B` + list("%2C", MaxEmbeddedValues) + `%5D%7D"`, true},
		{"under the limit", `"{\"x\": [` + list(",", MaxEmbeddedValues-10) + `]}"`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := pad + tc.raw
			loc := model.NewLineIndex("p.json", []byte(src))
			n, diags := ParseEmbedded(loc, []byte(tc.raw), len(pad))
			if !tc.refused {
				if n == nil || len(diags) != 0 {
					t.Fatalf("not read: %v", diags)
				}
				return
			}
			if n != nil || len(diags) != 1 || !strings.Contains(diags[0].Message, "more than 500000 values") {
				t.Fatalf("got a tree %v and %v, want the document refused", n != nil, diags)
			}
			// '[' and every ',' count: the limit is crossed at the last ','.
			if at, want := diags[0].Range.Start.Byte, len(src)-len(`0]"`)-1; tc.name == "plain" && at != want {
				t.Errorf("refused at byte %d, want %d", at, want)
			}
		})
	}
}

func TestFirstName(t *testing.T) {
	tests := []struct {
		src, want string
		ok        bool
	}{
		{`{"RoleDetailList": []}`, "RoleDetailList", true},
		{"\ufeff \r\n\t{ \"Roles\" : [", "Roles", true}, // the rest is never read
		{`{"a\u0062": 1}`, "ab", true},
		{`{}`, "", false},
		{`["Roles"]`, "", false},
		{`"Roles"`, "", false},
		{`{Roles: 1}`, "", false},
		{``, "", false},
		{`Resources:`, "", false},
	}
	for _, tt := range tests {
		if got, ok := FirstName([]byte(tt.src)); got != tt.want || ok != tt.ok {
			t.Errorf("FirstName(%q) = %q %v, want %q %v", tt.src, got, ok, tt.want, tt.ok)
		}
	}
}
