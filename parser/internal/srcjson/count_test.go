package srcjson

import (
	"strings"
	"testing"
)

// TestCountValues checks the count of values and names, that strings and
// their escapes are skipped, and the offset where a limit is crossed.
func TestCountValues(t *testing.T) {
	cases := []struct {
		src   string
		limit int
		n, at int
	}{
		{`0`, 10, 0, -1},
		{`[0,1,2]`, 10, 3, -1},
		{`{"a":[1,2],"b":{"c":"d"}}`, 10, 8, -1},
		{`{"a,b:[c{":"\",[{:\\",x"}`, 10, 3, -1}, // then an unterminated string
		{`[0,0,0,0,0]`, 3, 4, 6},
		{`{"unterminated: [1,2,3]`, 10, 1, -1},
		{"[" + strings.Repeat("0,", 1000) + "0]", 500, 501, 1000},
	}
	for _, tc := range cases {
		n, at := CountValues([]byte(tc.src), tc.limit)
		if n != tc.n || at != tc.at {
			t.Errorf("CountValues(%.40q, %d) = %d, %d; want %d, %d", tc.src, tc.limit, n, at, tc.n, tc.at)
		}
	}
}
