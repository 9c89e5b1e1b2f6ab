package report

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// Rule documentation is markdown (Rego METADATA descriptions). SARIF wants
// plain text beside it in fullDescription and help.text, so the functions
// below strip the inline markup that rule descriptions use: code spans,
// emphasis, links, headings, block quotes and code fences. They are not a
// markdown renderer; text that is not markup is kept as written.

// markup holds the patterns of the markup plainText strips, compiled on
// first use: only SARIF and rule help render markdown, and compiling them
// at start cost every run (--version included) about a millisecond.
type markup struct {
	escaped, link, autolink, strongStar, strongUnder, emStar, emUnder, heading, quote, fence *regexp.Regexp
}

var patterns = sync.OnceValue(func() *markup {
	return &markup{
		// escaped matches a backslash escape of an ASCII punctuation character.
		escaped: regexp.MustCompile(`\\([!-/:-@\[-` + "`" + `{-~])`),
		// link matches [text](url) and ![alt](url), with an optional title.
		link: regexp.MustCompile(`!?\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)`),
		// autolink matches <https://example.com>.
		autolink: regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`),
		// strong matches **text** and __text__.
		strongStar:  regexp.MustCompile(`\*\*(\S(?:[^*]*\S)?)\*\*`),
		strongUnder: regexp.MustCompile(`(^|[^\pL\pN_])__(\S(?:[^_]*\S)?)__([^\pL\pN_]|$)`),
		// em matches *text* and _text_; _ only at word boundaries, so that
		// snake_case names are kept.
		emStar:  regexp.MustCompile(`(^|[^*\\])\*(\S(?:[^*]*\S)?)\*`),
		emUnder: regexp.MustCompile(`(^|[^\pL\pN_])_(\S(?:[^_]*\S)?)_([^\pL\pN_]|$)`),
		// heading, quote and fence match the markers at the start of a line.
		heading: regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$`),
		quote:   regexp.MustCompile(`^\s{0,3}>\s?`),
		fence:   regexp.MustCompile("^\\s{0,3}(```|~~~)"),
	}
})

// plainText renders markdown as plain text, keeping line breaks and
// paragraphs.
func plainText(md string) string {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	var out []string
	inFence := false
	p := patterns()
	for line := range strings.SplitSeq(md, "\n") {
		if mayMatch(line, "`~") && p.fence.MatchString(line) {
			inFence = !inFence
			continue
		}
		if inFence {
			out = append(out, line)
			continue
		}
		if mayMatch(line, ">") {
			line = p.quote.ReplaceAllString(line, "")
		}
		if mayMatch(line, "#") {
			if m := p.heading.FindStringSubmatch(line); m != nil {
				line = m[1]
			}
		}
		out = append(out, plainInline(line))
	}
	text := strings.Join(out, "\n")
	// At most one blank line between paragraphs, none around the text.
	for strings.Contains(text, "\n\n\n") {
		text = strings.ReplaceAll(text, "\n\n\n", "\n\n")
	}
	return strings.TrimSpace(text)
}

// plainInline strips inline markup from one line of markdown.
func plainInline(s string) string {
	var b strings.Builder
	for s != "" {
		i := openingTick(s)
		if i < 0 {
			b.WriteString(plainSpan(s))
			break
		}
		// A code span opens with a run of n backticks and closes with the
		// next run of exactly n backticks; its content is kept verbatim.
		n := 0
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		end := closingTicks(s[i+n:], n)
		if end < 0 {
			b.WriteString(plainSpan(s[:i+n]))
			s = s[i+n:]
			continue
		}
		b.WriteString(plainSpan(s[:i]))
		code := s[i+n : i+n+end]
		if len(code) >= 2 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.Trim(code, " ") != "" {
			code = code[1 : len(code)-1]
		}
		b.WriteString(code)
		s = s[i+n+end+n:]
	}
	return b.String()
}

// openingTick returns the offset of the first backtick in s that is not
// escaped with a backslash, or -1.
func openingTick(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++ // skip the escaped character
		case '`':
			return i
		}
	}
	return -1
}

// closingTicks returns the offset in s of the first run of exactly n
// backticks, or -1.
func closingTicks(s string, n int) int {
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		if j-i == n {
			return i
		}
		i = j
	}
	return -1
}

// matchAll makes mayMatch report true always (tests compare the output
// with and without the shortcut).
var matchAll = false

// mayMatch reports whether s holds one of the characters every match of a
// pattern holds: a line of plain prose skips the patterns of markup it
// lacks (they were most of rendering the rules' documentation, on every
// SARIF run).
func mayMatch(s, chars string) bool { return matchAll || strings.ContainsAny(s, chars) }

// Private-use runes stand in for escaped characters while markup is
// stripped, so that \* is never taken for emphasis.
const escapeBase = '\uE000'

// plainSpan strips inline markup from text that holds no code span.
func plainSpan(s string) string {
	p := patterns()
	if mayMatch(s, `\`) {
		s = p.escaped.ReplaceAllStringFunc(s, func(m string) string {
			return string(escapeBase + rune(m[1]))
		})
	}
	if mayMatch(s, "[") {
		s = p.link.ReplaceAllStringFunc(s, link)
	}
	if mayMatch(s, "<") {
		s = p.autolink.ReplaceAllString(s, "$1")
	}
	if mayMatch(s, "*") {
		s = p.strongStar.ReplaceAllString(s, "$1")
	}
	if mayMatch(s, "_") {
		s = p.strongUnder.ReplaceAllString(s, "$1$2$3")
	}
	if mayMatch(s, "*") {
		s = p.emStar.ReplaceAllString(s, "$1$2")
	}
	if mayMatch(s, "_") {
		s = p.emUnder.ReplaceAllString(s, "$1$2$3")
	}
	return strings.Map(func(r rune) rune {
		if r >= escapeBase && r < escapeBase+128 {
			return r - escapeBase
		}
		return r
	}, s)
}

// link renders a markdown link (p.link) as plain text.
func link(m string) string {
	sub := patterns().link.FindStringSubmatch(m)
	text, url := sub[1], sub[2]
	switch {
	case url == "" || url == text:
		return text
	case text == "":
		return url
	default:
		return text + " (" + url + ")"
	}
}

// firstParagraph returns the first paragraph of text (markdown rendered by
// plainText) as one line of at most max characters.
func firstParagraph(text string, max int) string {
	if i := strings.Index(text, "\n\n"); i >= 0 {
		text = text[:i]
	}
	return truncate(strings.Join(strings.Fields(text), " "), max)
}

// truncate shortens s to at most max characters (code points), cutting at a
// word boundary when one is near and marking the cut with an ellipsis.
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)[:max-1]
	cut := len(runes)
	for i := cut - 1; i > 0 && i > cut-40; i-- {
		if runes[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(runes[:cut]), " ") + "…"
}

// PlainText renders rule documentation markdown as plain text for a
// terminal: code spans, emphasis and link markup are stripped (a link keeps
// its URL in parentheses), code fences are dropped with their content kept,
// and paragraphs and line breaks are kept.
func PlainText(md string) string { return plainText(md) }
