package terraform

import "fmt"

// Density. hclsyntax lexes a whole text into tokens (about 100 bytes each)
// before it parses, and builds a syntax node of a few hundred bytes per
// value: a 10 MB .tf of one jsonencode'd list of five million zeros needed
// 4.5 GB and a hundred seconds, over budget long before evaluation could
// refuse the list. Every native-syntax text (configuration, tfvars,
// template files) is therefore first counted the way the lexer splits it;
// a text of more than maxTokens tokens is refused with a diagnostic at
// the place where the limit is crossed, before the HCL parser sees it.
// Hand-written or generated configuration has about one token per five
// bytes, so the limit is about 5 MB of ordinary Terraform in one file.

// maxTokens is the number of HCL tokens a text may have.
const maxTokens = 1_000_000

// lexFrame is a context of the token count: code (with the braces opened
// in it), a quoted string, a heredoc or template text.
type lexFrame struct {
	kind   int
	braces int    // code: { not closed yet
	interp bool   // code: opened by ${ or %{, so a } at braces 0 closes it
	marker []byte // heredoc: the closing marker
}

const (
	lexCode = iota
	lexQuoted
	lexHeredoc
	lexTemplate // template text: a template file, until the end
)

// countTokens counts the tokens of src as hclsyntax's lexer splits it,
// stopping once there are more than limit: at is then the byte offset
// where the limit was crossed, else -1. It follows the lexer's
// modes (code, quoted strings, heredocs and their ${ } and %{ }
// interpolations, comments) closely enough that the count is within a
// small factor of the lexer's: a string literal, a comment or a line of
// heredoc text counts once, a word, a number or a punctuation character
// once, a newline once. template is set for template files, which start as
// template text.
func countTokens(src []byte, template bool, limit int) (n, at int) {
	stack := []lexFrame{{kind: lexCode}}
	if template {
		stack[0].kind = lexTemplate
	}
	lit := false      // inside a literal run of string, heredoc or template text
	lineStart := true // at the start of a line (heredoc markers)
	for i := 0; i < len(src); i++ {
		if n > limit {
			return n, i - 1
		}
		c := src[i]
		top := &stack[len(stack)-1]
		nl := lineStart
		lineStart = c == '\n'
		switch top.kind {
		case lexCode:
			switch {
			case c == ' ' || c == '\t' || c == '\r':
			case c == '\n':
				n++
			case c == '#' || (c == '/' && i+1 < len(src) && src[i+1] == '/'):
				n++
				for i+1 < len(src) && src[i+1] != '\n' {
					i++
				}
			case c == '/' && i+1 < len(src) && src[i+1] == '*':
				n++
				for i += 2; i+1 < len(src) && (src[i] != '*' || src[i+1] != '/'); i++ {
				}
				i++
			case c == '"':
				n++
				stack = append(stack, lexFrame{kind: lexQuoted})
				lit = false
			case c == '<' && i+1 < len(src) && src[i+1] == '<':
				n++
				if marker, end := heredocStart(src, i); marker != nil {
					stack = append(stack, lexFrame{kind: lexHeredoc, marker: marker})
					i, lit, lineStart = end, false, true
				} else {
					i++
				}
			case c == '{':
				n++
				top.braces++
			case c == '}':
				n++
				if top.braces == 0 && top.interp {
					stack = stack[:len(stack)-1]
					lit = false
				} else if top.braces > 0 {
					top.braces--
				}
			case isWordByte(c):
				n++
				for i+1 < len(src) && isWordByte(src[i+1]) {
					i++
				}
			default:
				n++
			}
		default: // text: a quoted string, a heredoc or a template
			if top.kind == lexHeredoc && nl {
				if end := heredocEnd(src, i, top.marker); end > 0 {
					n++
					stack = stack[:len(stack)-1]
					i, lit = end-1, false
					continue
				}
			}
			quoted := top.kind == lexQuoted
			switch {
			case quoted && (c == '"' || c == '\n'):
				n++
				stack = stack[:len(stack)-1]
				lit = false
				continue
			case c == '\n':
				n++
				lit = false
				continue
			case interpStart(src, i):
				n++
				stack = append(stack, lexFrame{kind: lexCode, interp: true})
				i++
				lit = false
				continue
			case quoted && c == '\\':
				i++ // an escape: literal text
			case escapedInterp(src, i):
				i += 2 // $${ and %%{ are literal text
			}
			if !lit {
				n++
			}
			lit = true
		}
	}
	if n > limit {
		return n, len(src) - 1
	}
	return n, -1
}

// isWordByte reports whether c continues an identifier or a number.
func isWordByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// interpStart reports whether src[i:] opens an interpolation or a
// directive: ${ or %{ that is not escaped as $${ or %%{.
func interpStart(src []byte, i int) bool {
	return (src[i] == '$' || src[i] == '%') && i+1 < len(src) && src[i+1] == '{'
}

// escapedInterp reports whether src[i:] is $${ or %%{, literal text.
func escapedInterp(src []byte, i int) bool {
	c := src[i]
	return (c == '$' || c == '%') && i+2 < len(src) && src[i+1] == c && src[i+2] == '{'
}

// heredocStart reads the opening of a heredoc at src[i:] (<<MARKER or
// <<-MARKER and a newline); it returns the marker and the offset of the
// newline, or nil when src[i:] is not one.
func heredocStart(src []byte, i int) (marker []byte, end int) {
	j := i + 2
	if j < len(src) && src[j] == '-' {
		j++
	}
	k := j
	for k < len(src) && isWordByte(src[k]) && src[k] != '.' {
		k++
	}
	if k == j {
		return nil, 0
	}
	marker = src[j:k]
	if k < len(src) && src[k] == '\r' {
		k++
	}
	if k >= len(src) || src[k] != '\n' {
		return nil, 0
	}
	return marker, k
}

// heredocEnd returns the offset after the marker when the line at src[i:]
// closes a heredoc (its marker alone, after optional spaces), else 0.
func heredocEnd(src []byte, i int, marker []byte) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if len(src)-i < len(marker) || string(src[i:i+len(marker)]) != string(marker) {
		return 0
	}
	i += len(marker)
	if i == len(src) || src[i] == '\n' || src[i] == '\r' {
		return i
	}
	return 0
}

// tooDense reports, with a diagnostic, whether text of source s (or the
// whole source when text is nil) has more than maxTokens tokens.
func (m *module) tooDense(s *source, text []byte, template bool) bool {
	if text == nil {
		text = s.text
	}
	_, off := countTokens(text, template, maxTokens)
	if off < 0 {
		return false
	}
	at := s.loc.Range(s.off(off), s.off(off+1))
	m.diag(at, fmt.Sprintf("more than %d tokens in one file (a list or object this large is not analyzed); not read", maxTokens))
	return true
}
