package scan

import (
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// FuzzParseInline: any comment's text parses without a panic into at most
// one suppression, on the comment's line, naming at least one rule and
// aimed at the comment's line or the next line of code.
func FuzzParseInline(f *testing.F) {
	for _, s := range []string{
		"# trustlint:ignore TL001 -- vendor has no external id",
		"// trustlint:ignore TL001,TL002 -- reason",
		"# trustlint:ignore TL001",
		"# trustlint:ignore",
		"# trustlint:ignore TL001 TL003  --  ",
		"# trustlint:ignore " + strings.Repeat("TL001,", 50000) + " -- r",
		"# trustlint:ignore TL001 -- é\u202e",
		"/* trustlint:ignore TL001 -- r */",
	} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, alone bool) {
		c := model.Comment{Range: model.Range{File: "f.tf", Start: model.Pos{Line: 3, Column: 5}}, Text: text, Alone: alone, Next: 7}
		list := parseInline([]model.Comment{c})
		if len(list) > 1 {
			t.Fatalf("%d suppressions from one comment", len(list))
		}
		for _, in := range list {
			if in.rng != c.Range {
				t.Fatalf("suppression at %v, comment at %v", in.rng, c.Range)
			}
			if len(in.rules) == 0 {
				t.Fatalf("a suppression without rules: %+v", in)
			}
			if want := map[bool]int{true: 7, false: 3}[alone]; in.target != want {
				t.Fatalf("target %d, want %d (alone %v)", in.target, want, alone)
			}
		}
	})
}
