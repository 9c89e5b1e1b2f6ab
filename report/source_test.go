package report

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trustlint/trustlint/model"
)

func newSourceFile(src string) *model.LineIndex {
	return model.NewLineIndex("f", []byte(src))
}

func rangeOf(l1, c1, l2, c2 int) model.Range {
	return model.Range{Start: model.Pos{Line: l1, Column: c1}, End: model.Pos{Line: l2, Column: c2}}
}

func TestMakeSnippet(t *testing.T) {
	long := `{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Sid": "` + strings.Repeat("x", 150) +
		`", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Condition": {"StringEquals": {"aws:PrincipalTag/team": "` +
		strings.Repeat("y", 100) + `"}}}]}`
	longCol := strings.Index(long, `"arn:`) + 1
	tests := []struct {
		name      string
		src       string
		r         model.Range
		text      string
		underline string
	}{
		{"one line", "a\n  \"AWS\": \"*\",\n", rangeOf(2, 10, 2, 13),
			`  "AWS": "*",`, `         ^~~`},
		{"zero width", "abc\n", rangeOf(1, 2, 1, 2), "abc", " ^"},
		{"no end", "abc\n", rangeOf(1, 3, 0, 0), "abc", "  ^"},
		{"multi-line range underlines to the end of the line", "  {\"a\": 1,   \n \"b\": 2}\n", rangeOf(1, 3, 2, 9),
			`  {"a": 1,`, `  ^~~~~~~~`},
		{"end beyond the line", "ab\n", rangeOf(1, 1, 1, 40), "ab", "^~"},
		{"column at the end of the line", "ab\n", rangeOf(1, 3, 1, 3), "ab", "  ^"},
		{"CRLF", "x\r\n  y\r\n", rangeOf(2, 3, 2, 4), "  y", "  ^"},
		{"tab counts as one column", "\t\"k\": \"v\"\n", rangeOf(1, 7, 1, 10), `    "k": "v"`, `         ^~~`},
		{"tab inside the underline", "a\tb\n", rangeOf(1, 1, 1, 4), "a    b", "^~~~~~"},
		{"non-ASCII before", "\"Größe – ü\": \"*\"\n", rangeOf(1, 14, 1, 17), `"Größe – ü": "*"`, `             ^~~`},
		{"control and bidi characters are neutralized", "\"a\x1b[31m\u202eb\": \"*\"\n", rangeOf(1, 13, 1, 16),
			"\"a\uFFFD[31m\uFFFDb\": \"*\"", "            ^~~"},
		{"no column", "abc\n", rangeOf(1, 0, 1, 0), "abc", ""},
		{"long line is cut around the element", long, rangeOf(1, longCol, 1, longCol+32),
			"…" + long[longCol-1-snippetContext:longCol-1-snippetContext+maxSnippetWidth-2] + "…",
			strings.Repeat(" ", 1+snippetContext) + "^" + strings.Repeat("~", 31)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r
			s, ok := makeSnippet(newSourceFile(tt.src), r)
			if !ok {
				t.Fatal("no snippet")
			}
			if s.text != tt.text || s.underline != tt.underline {
				t.Errorf("got\n%q\n%q\nwant\n%q\n%q", s.text, s.underline, tt.text, tt.underline)
			}
			if w := utf8.RuneCountInString(s.text); w > maxSnippetWidth {
				t.Errorf("snippet is %d cells wide", w)
			}
		})
	}
}

func TestMakeSnippetMissing(t *testing.T) {
	sf := newSourceFile("one\ntwo\n")
	for _, r := range []model.Range{rangeOf(4, 1, 4, 2), rangeOf(0, 1, 0, 2), rangeOf(-1, 1, 1, 1)} {
		if s, ok := makeSnippet(sf, r); ok {
			t.Errorf("%v: got snippet %+v for a line that does not exist", r, s)
		}
	}
	if s, ok := makeSnippet(nil, rangeOf(1, 1, 1, 2)); ok {
		t.Errorf("got snippet %+v without a source file", s)
	}
}

// TestMakeSnippetHugeLine checks that on a line too long to count columns
// (a minified account export), the snippet comes from the byte offset, and
// that there is none without a consistent one.
func TestMakeSnippetHugeLine(t *testing.T) {
	prefix := strings.Repeat(`{"k": "é"}, `, maxScanBytes/8)
	line := "[" + prefix + `"arn:aws:iam::999999999999:root"` + strings.Repeat(", 1", 1000) + "]"
	src := "\n" + line + "\n"
	off := 1 + 1 + len(prefix) // newline, "[", prefix
	col := 1 + utf8.RuneCountInString("["+prefix)
	r := model.Range{
		Start: model.Pos{Line: 2, Column: col, Byte: off},
		End:   model.Pos{Line: 2, Column: col + 32, Byte: off + 32},
	}
	s, ok := makeSnippet(newSourceFile(src), r)
	if !ok {
		t.Fatal("no snippet")
	}
	if !strings.HasPrefix(s.text, "…") || !strings.HasSuffix(s.text, "…") || !strings.Contains(s.text, `"arn:aws:iam::999999999999:root"`) {
		t.Errorf("text = %q", s.text)
	}
	i := strings.Index(s.underline, "^")
	if got := string([]rune(s.text)[i : i+32]); got != `"arn:aws:iam::999999999999:root"` || !strings.HasSuffix(s.underline, "^"+strings.Repeat("~", 31)) {
		t.Errorf("underline %q points at %q", s.underline, got)
	}
	inRune := 1 + 1 + strings.Index(prefix, "é") + 1 // second byte of é
	for _, bad := range []int{0, -1, len(src) + 10, inRune} {
		r.Start.Byte = bad
		if s, ok := makeSnippet(newSourceFile(src), r); ok {
			t.Errorf("Byte %d (want %d): got a snippet %q", bad, off, s.text)
		}
	}
}

func TestClean(t *testing.T) {
	if got := clean("a\x1b]0;title\x07b\n\tc\u202e"); got != "a\uFFFD]0;title\uFFFDb c\uFFFD" {
		t.Errorf("clean = %q", got)
	}
	if got := clean("plain – ü"); got != "plain – ü" {
		t.Errorf("clean changed safe text: %q", got)
	}
}

func TestGutter(t *testing.T) {
	if got := gutter(0, 2); got != "   |" {
		t.Errorf("gutter(0, 2) = %q", got)
	}
	if got := gutter(7, 2); got != " 7 |" {
		t.Errorf("gutter(7, 2) = %q", got)
	}
}

func TestTextSources(t *testing.T) {
	var asked []string
	r := &Report{
		Findings: []model.Finding{
			{RuleID: "TL003", Severity: 9.5, Message: "m", Range: model.Range{File: "a.json", Start: model.Pos{Line: 1, Column: 2}, End: model.Pos{Line: 1, Column: 5}}},
			{RuleID: "TL003", Severity: 9.5, Message: "m", Range: model.Range{File: "a.json", Start: model.Pos{Line: 2, Column: 1}}},
			{RuleID: "TL001", Severity: 8, Message: "m", Range: model.Range{File: "gone.json", Start: model.Pos{Line: 1, Column: 1}}},
		},
		Sources: func(file string) ([]byte, bool) {
			asked = append(asked, file)
			if file == "a.json" {
				return []byte(`["*"]` + "\n" + `{}`), true
			}
			return nil, false
		},
	}
	out := string(render(t, "text", r))
	if strings.Join(asked, ",") != "a.json,gone.json" {
		t.Errorf("Sources called for %v, want each file once", asked)
	}
	want := "a.json:1:2: critical TL003 m\n  |\n1 | [\"*\"]\n  |  ^~~\n\n" +
		"a.json:2:1: critical TL003 m\n  |\n2 | {}\n  | ^\n\n" +
		"gone.json:1:1: high TL001 m\n\n"
	if !strings.HasPrefix(out, want) {
		t.Errorf("text output:\n%s\nwant prefix:\n%s", out, want)
	}
}
