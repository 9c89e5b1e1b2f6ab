package srcjson

// CountValues counts the values and member names of the JSON text src
// without building anything, stopping once there are more than limit: at
// is then the byte offset where the limit was crossed, else -1. Every value
// and name but the first is preceded by a ',', a ':' or the '[' or '{' that
// opens its container, so counting those outside strings counts them all
// (give or take one); a tree of the text costs memory in proportion. Strings
// are skipped as the decoder reads them: where invalid JSON makes the two
// disagree, the decoder stops at that point, after no more values than
// were counted.
func CountValues(src []byte, limit int) (n, at int) {
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case ',', ':', '[', '{':
			if n++; n > limit {
				return n, i
			}
		case '"':
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		}
	}
	return n, -1
}
