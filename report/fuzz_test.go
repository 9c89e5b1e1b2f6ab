package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trustlint/trustlint/model"
)

// FuzzReadBaseline: any file given as --baseline is a set of fingerprints
// or an error, never a panic.
func FuzzReadBaseline(f *testing.F) {
	files, _ := filepath.Glob("testdata/sarif/*.golden")
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		``, `{}`, `{"version": "2.1.0"}`, `{"version": "2.1.0", "runs": [{"results": [{"partialFingerprints": {"trustlint/v1": 1}}]}]}`,
		`{"version": "2.1.0", "runs": null}`, strings.Repeat("[", 100000),
		`{"version": "2.1.0", "runs": [{"results": [` + strings.Repeat(`{"partialFingerprints": {"trustlint/v1": "0123456789abcdef"}}, `, 20_000) + `{}]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fps, err := ReadBaseline(bytes.NewReader(src))
		if err == nil && fps == nil {
			t.Fatal("no fingerprints and no error")
		}
	})
}

// FuzzSnippet: the source line under a finding is rendered for any file
// content and any range, on one line, without control or bidi characters,
// and never longer than a window around the element.
func FuzzSnippet(f *testing.F) {
	for _, s := range []struct {
		src             string
		line, col, eCol int
	}{
		{"{\n  \"a\": \"b\"\n}\n", 2, 3, 6},
		{"\t\"x\":\t\"\u202e\x1b[31m\"", 1, 2, 9},
		{strings.Repeat("é", 100000), 1, 50000, 50010},
		{"a\r\nb\rc\n", 3, 1, 2},
		{"", 1, 1, 1},
		{"x", 7, -1, 0},
	} {
		f.Add([]byte(s.src), s.line, s.col, s.eCol)
	}
	f.Fuzz(func(t *testing.T, src []byte, line, col, endCol int) {
		sf := model.NewLineIndex("f.json", src)
		r := model.Range{File: "f.json", Start: model.Pos{Line: line, Column: col}, End: model.Pos{Line: line, Column: endCol}}
		sn, ok := makeSnippet(sf, r)
		if !ok {
			return
		}
		if strings.ContainsAny(sn.text, "\n\r\x1b\u202e") || strings.ContainsFunc(sn.text, unsafeRune) {
			t.Fatalf("unsafe characters in %q", sn.text)
		}
		if !utf8.ValidString(sn.underline) || strings.Trim(sn.underline, " ^~") != "" {
			t.Fatalf("bad underline %q", sn.underline)
		}
	})
}
