package model

import (
	"strconv"
	"unicode/utf8"
)

// QuoteLimit is the most characters of a value a message shows: values
// come from files a hostile repository controls, and a message, a report
// or an error must never carry more of a file than the element at fault.
// rules/lib's quote() applies the same limit in rule messages.
const QuoteLimit = 80

// Quote renders a value the user wrote for a message, as rules/lib's
// quote() does: at most QuoteLimit characters of it (a longer value is cut
// and ends in "…"); a plain token (printable ASCII without spaces, quotes
// or backslashes: account IDs, ARNs, addresses) as it is, anything else in
// double quotes with control characters escaped.
func Quote(s string) string {
	plain := s != ""
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c > ' ' && c <= '~' && c != '"' && c != '\\'
	}
	if utf8.RuneCountInString(s) > QuoteLimit {
		n := 0
		for i := range s {
			if n == QuoteLimit-1 {
				s = s[:i] + "…"
				break
			}
			n++
		}
	}
	if plain {
		return s
	}
	return strconv.Quote(s)
}
