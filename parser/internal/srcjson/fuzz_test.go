package srcjson

import (
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcmaptest"
	"github.com/trustlint/trustlint/parser/normalize"
)

// FuzzParseEmbedded feeds arbitrary bytes to ParseEmbedded as the string
// literal found in the middle of a file: no panic, and every range lies
// inside the file.
func FuzzParseEmbedded(f *testing.F) {
	for _, s := range []string{
		`"{}"`, `"%7B%7D"`, `"%7b%22a%22:1}"`, `"{\"a\": \"\ud83d\ude80\"}"`, `"\u0025\u0037B}"`,
		`"%7B%2"`, `"\"`, `"\u12"`, `"\ud800\u"`, `x`, `""`, `"{\"a\":1,\"a\":2}"`,
		// Deep and large.
		`"` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `"`,
		`"` + strings.Repeat("%7B%22a%22:", 10_000) + "1" + strings.Repeat("%7D", 10_000) + `"`,
		`"{\"a\": [` + strings.Repeat("0,", 50_000) + `0]}"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		src := append(append([]byte("k: "), raw...), "\n"...)
		loc := model.NewLineIndex("e.tf", src)
		n, diags := ParseEmbedded(loc, src[3:3+len(raw)], 3)
		for _, d := range diags {
			if msg := srcmaptest.CheckRange(d.Range, "e.tf", src); msg != "" {
				t.Fatalf("diagnostic %q: %s", d.Message, msg)
			}
		}
		if n == nil {
			return
		}
		sm := model.NewSourceMap()
		(&normalize.Normalizer{}).Policy(n, model.PolicyPath, sm)
		if bad := srcmaptest.BadRanges(sm, "e.tf", src); len(bad) > 0 {
			t.Fatalf("%v", bad)
		}
	})
}
