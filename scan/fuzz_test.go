package scan

import (
	"strings"
	"testing"
)

// FuzzParseInline: any file's trustlint:ignore comments parse without a
// panic, each on a line of the file, naming at least one rule.
func FuzzParseInline(f *testing.F) {
	for _, s := range []string{
		"# trustlint:ignore TL001 -- vendor has no external id\n",
		"x = 1 // trustlint:ignore TL001,TL002 -- reason\n",
		"# trustlint:ignore TL001\n",
		"  # trustlint:ignore\n",
		"a: b # trustlint:ignore TL001 TL003  --  \n",
		strings.Repeat("# trustlint:ignore TL001 -- r\n", 10000),
		"# trustlint:ignore " + strings.Repeat("TL001,", 50000) + " -- r",
		"\r\n# trustlint:ignore TL001 -- é\u202e\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		lines := strings.Count(string(src), "\n") + 1
		for _, in := range parseInline("f.tf", src) {
			if in.rng.Start.Line < 1 || in.rng.Start.Line > lines {
				t.Fatalf("comment on line %d of a %d-line file", in.rng.Start.Line, lines)
			}
			if len(in.rules) == 0 {
				t.Fatalf("a suppression without rules: %+v", in)
			}
		}
	})
}
