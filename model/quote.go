package model

import (
	"strconv"
	"unicode/utf8"
)

// ShownValues is the most elements of one list a report shows; the rest are
// counted ("… 12 more").
const ShownValues = 100

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
	s = Cut(s)
	if plain {
		return s
	}
	return strconv.Quote(s)
}

// Cut returns s, or its first QuoteLimit-1 characters and "…" when it is
// longer: the limit of Quote, for reports that show a value without quotes.
func Cut(s string) string {
	return cutTo(s, QuoteLimit)
}

// IDLimit is the most characters of an identifier (a principal, a condition
// value) a report shows: the longest ARN IAM accepts. Real ARNs are often
// longer than QuoteLimit (an EKS OIDC provider's is about 110 characters)
// and a cut one names no one, so the audit shows them whole up to this.
const IDLimit = 2048

// CutID is Cut for an identifier: at most IDLimit characters.
func CutID(s string) string {
	return cutTo(s, IDLimit)
}

func cutTo(s string, limit int) string {
	if len(s) <= limit || utf8.RuneCountInString(s) <= limit {
		return s
	}
	n := 0
	for i := range s {
		if n == limit-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// CutValue returns a normalized value (maps, lists, strings, unknowns) as
// a report may show it: every string and key cut by CutID, the text of an
// unknown by Cut, every list to ShownValues elements and a last "… N more".
// A value within the limits is returned as it is, not copied.
func CutValue(v any) any {
	c, _ := cutValue(v)
	return c
}

// cutValue is CutValue, and whether it changed anything.
func cutValue(v any) (any, bool) {
	switch x := v.(type) {
	case string:
		c := CutID(x)
		return c, len(c) != len(x)
	case []any, *PackedList:
		l, total, _ := List(x)
		n := min(total, ShownValues)
		out := make([]any, 0, n+1)
		_, packed := x.(*PackedList)
		changed := n < total || packed // a PackedList is shown as a []any
		for _, e := range l {
			if len(out) == n {
				break
			}
			c, ch := cutValue(e)
			out = append(out, c)
			changed = changed || ch
		}
		if !changed {
			return x, false
		}
		if n < total {
			out = append(out, "… "+strconv.Itoa(total-n)+" more")
		}
		return out, true
	case map[string]any:
		if t, ok := x[UnknownKey].(string); ok && len(x) == 1 {
			if c := Cut(t); len(c) != len(t) {
				return map[string]any{UnknownKey: c}, true
			}
			return x, false
		}
		out := make(map[string]any, len(x))
		changed := false
		for k, e := range x {
			c, ch := cutValue(e)
			ck := CutID(k)
			out[ck] = c
			changed = changed || ch || len(ck) != len(k)
		}
		if !changed {
			return x, false
		}
		return out, true
	}
	return v, false
}
