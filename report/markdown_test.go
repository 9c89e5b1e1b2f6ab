package report

import (
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
