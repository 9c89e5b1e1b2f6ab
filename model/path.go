package model

import (
	"strconv"
	"strings"
)

// Path addresses an element of a rule input, the way Rego rules see it:
// ["policy", "Statement", 0, "Principal", "AWS", 1]. Elements are strings
// (object keys) or ints (list indexes).
type Path []any

// Child returns a new path with elem appended; p is not modified.
func (p Path) Child(elem any) Path {
	q := make(Path, len(p), len(p)+1)
	copy(q, p)
	return append(q, elem)
}

// String renders the canonical form used as source-map key and in JSON
// output: policy.Statement[0].Principal.AWS[1]. Keys that are not plain
// identifiers are quoted: policy.Statement[0].Condition.StringEquals["sts:ExternalId"].
func (p Path) String() string {
	var b strings.Builder
	for i, e := range p {
		switch v := e.(type) {
		case int:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(v))
			b.WriteByte(']')
		case float64: // paths decoded from Rego or JSON
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(int(v)))
			b.WriteByte(']')
		case string:
			if IsIdent(v) {
				if i > 0 {
					b.WriteByte('.')
				}
				b.WriteString(v)
			} else {
				b.WriteByte('[')
				b.WriteString(strconv.Quote(v))
				b.WriteByte(']')
			}
		default:
			b.WriteString("[?]")
		}
	}
	return b.String()
}

// IsIdent reports whether the path key s is written bare in the canonical
// form (policy.Statement), rather than quoted (["sts:ExternalId"]).
func IsIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9') {
			continue
		}
		return false
	}
	return true
}
