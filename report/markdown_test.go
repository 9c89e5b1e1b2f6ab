package report

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"use `sts:ExternalId` and ``a`b``", "use sts:ExternalId and a`b"},
		{"**bold** and *em* and _em_ and __strong__", "bold and em and em and strong"},
		{"keep aws_iam_role_policy and a * b * c", "keep aws_iam_role_policy and a * b * c"},
		{"`\"Principal\": \"*\"` stays", `"Principal": "*" stays`},
		{`escaped \*not em\* and \_x\_`, "escaped *not em* and _x_"},
		{"see [the docs](https://e.com/x) or <https://e.com/y>", "see the docs (https://e.com/x) or https://e.com/y"},
		{"## Heading\n\n> quoted\n\n```json\n{\"a\": \"*b*\"}\n```", "Heading\n\nquoted\n\n{\"a\": \"*b*\"}"},
		{"a\r\n\r\n\r\n\r\nb", "a\n\nb"},
		{"unclosed `tick", "unclosed `tick"},
	}
	for _, tt := range tests {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFirstParagraph(t *testing.T) {
	if got := firstParagraph(plainText("one\n`two`\n\nthree"), 100); got != "one two" {
		t.Errorf("firstParagraph = %q", got)
	}
	long := strings.Repeat("wörd ", 300)
	got := firstParagraph(plainText(long), maxDescription)
	if n := utf8.RuneCountInString(got); n > maxDescription || n < maxDescription-40 {
		t.Errorf("truncated to %d characters", n)
	}
	if !strings.HasSuffix(got, "wörd…") {
		t.Errorf("truncation does not end at a word: %q", got[len(got)-20:])
	}
}

// rulePages is the markdown of the rule pages (docs/rules, generated from
// the rules' METADATA: their descriptions and remediations with more).
func rulePages(tb testing.TB) []string {
	tb.Helper()
	paths, err := filepath.Glob("../docs/rules/TL*.md")
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no rule pages (%v)", err)
	}
	var out []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// BenchmarkPlainText renders the rule pages: PrepareRules renders the
// rules' descriptions and remediations in every SARIF run.
func BenchmarkPlainText(b *testing.B) {
	mds := rulePages(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, md := range mds {
			plainText(md)
		}
	}
}

// TestPlainTextShortcut: skipping the patterns whose characters a line
// lacks (mayMatch) renders the rule pages and random markup exactly as
// applying every pattern does.
func TestPlainTextShortcut(t *testing.T) {
	inputs := rulePages(t)
	r := rand.New(rand.NewPCG(14, 1))
	pieces := []string{"a", " ", "b_c", "_", "__", "*", "**", "\\", "\\*", "[", "](", ")", "<", ">", "https://x.y", "<https://e.com>",
		"#", "## ", "`", "```", "~~~", "\n", "\r\n", "\uE02A", "é", "\"t\"", "!"}
	for range 3000 {
		var b strings.Builder
		for range 1 + r.IntN(16) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
	}
	for _, md := range inputs {
		got := plainText(md)
		matchAll = true
		want := plainText(md)
		matchAll = false
		if got != want {
			t.Errorf("plainText(%q) = %q, every pattern gives %q", md, got, want)
		}
	}
}
