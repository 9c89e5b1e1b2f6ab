package cloudformation

import "bytes"

// jsonMember is one member of a JSON object as written: its raw key and
// the byte span of its value.
type jsonMember struct {
	key        string
	start, end int
}

// jsonMembers returns the members of the JSON object whose '{' is at open,
// found by matching brackets outside strings, without validating them: it
// serves to find the resource that holds a syntax error. It stops at the
// first thing that is not a member.
func jsonMembers(src []byte, open int) []jsonMember {
	var out []jsonMember
	i := open + 1
	for {
		i = skipJSONSpace(src, i, true)
		if i >= len(src) || src[i] != '"' {
			return out
		}
		kEnd := skipJSONValue(src, i)
		key := string(src[i+1 : max(i+1, kEnd-1)])
		i = skipJSONSpace(src, kEnd, false)
		if i >= len(src) || src[i] != ':' {
			return out
		}
		vs := skipJSONSpace(src, i+1, false)
		ve := skipJSONValue(src, vs)
		if ve <= vs {
			return out
		}
		out = append(out, jsonMember{key: key, start: vs, end: ve})
		i = ve
	}
}

// skipJSONSpace skips white space (and commas, when commas is set).
func skipJSONSpace(src []byte, i int, commas bool) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r' || src[i] == '\n' || (commas && src[i] == ',')) {
		i++
	}
	return i
}

// skipJSONValue returns the end of the value written from i: a string, a
// bracketed collection (its brackets matched outside strings) or a scalar.
// It returns len(src) for a collection or string that is not closed.
func skipJSONValue(src []byte, i int) int {
	if i >= len(src) {
		return i
	}
	switch src[i] {
	case '"':
		return doubleQuotedEnd(src, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(src); j++ {
			switch src[j] {
			case '"':
				j = skipJSONValue(src, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(src)
	}
	j := i
	for j < len(src) && bytes.IndexByte([]byte(",}] \t\r\n"), src[j]) < 0 {
		j++
	}
	return j
}

// jsonResourceAt returns the logical ID and value span of the member of the
// top-level Resources object of a JSON template whose value holds byte off.
func jsonResourceAt(src []byte, off int) (id string, start, end int, ok bool) {
	open := skipJSONSpace(src, len(src)-len(bytes.TrimPrefix(src, bom)), false)
	if open >= len(src) || src[open] != '{' {
		return "", 0, 0, false
	}
	for _, m := range jsonMembers(src, open) {
		if m.key != "Resources" || src[m.start] != '{' {
			continue
		}
		for _, r := range jsonMembers(src, m.start) {
			if r.start <= off && off < r.end && r.end < len(src) {
				return r.key, r.start, r.end, true
			}
		}
	}
	return "", 0, 0, false
}

// blankJSON replaces src[start:end] by 0 and spaces, keeping line breaks,
// so that every other byte keeps its offset and line.
func blankJSON(src []byte, start, end int) {
	src[start] = '0'
	for i := start + 1; i < end; i++ {
		if src[i] != '\n' && src[i] != '\r' {
			src[i] = ' '
		}
	}
}

// doubleQuotedEnd returns the offset just after the double-quoted string
// (JSON, or YAML's double-quoted style) whose opening quote is at i, or
// len(src) when it is not closed.
func doubleQuotedEnd(src []byte, i int) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(src)
}
