package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Objects of a million keys in a trust policy: a condition block, a
// principal whose AWS comes after them, a statement whose elements come
// after them. They took 0.9-2.9 GB and 30-200 s (a TL013 finding per
// unknown name: 1 GB of SARIF); an object keeps its first 1,000 members
// and, past them, the names IAM policies and exports give a meaning
// (srcjson.MaxMembers), with an error for the rest (50-80 MB, 0.3-0.5 s).
func init() {
	const (
		trust = `"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::999988887777:root"}`
		head  = `{"Version":"2012-10-17","Statement":[{`
	)
	keys := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `"k%d":"v",`, i)
		}
		return b.String()
	}
	for _, c := range []struct{ name, doc string }{
		{"a million keys in a condition block", head + trust + `,"Condition":{"StringEquals":{` + strings.TrimSuffix(keys(1000000), ",") + `}}}]}`},
		{"a million keys in a principal before AWS", head + `"Effect":"Allow","Action":"sts:AssumeRole","Principal":{` + keys(1000000) + `"AWS":"arn:aws:iam::999988887777:root"}}]}`},
		{"a million unknown keys in a statement before its elements", head + keys(1000000) + trust + `}]}`},
	} {
		at := strings.Index(c.doc, `"k1000"`) + 1
		hostileCases = append(hostileCases, hostileCase{name: c.name, code: 2, errorAt: fmt.Sprintf("keys.json:1:%d: error: object of 100000", at),
			maxRSSMB: 150, maxCPU: 20 * time.Second,
			setup: writesDense("keys.json", func(int) string { return c.doc + "\n" }, 0),
			check: func(t *testing.T, text string) {
				if !strings.Contains(text, "keys.json:1:") || !strings.Contains(text, ": high TL001") || strings.Count(text, ": high TL013 ") > 1000 {
					t.Errorf("want the hostile policy's TL001 and at most 1000 TL013 (one per unknown name read), got:\n%.3000s", text)
				}
			}})
	}
}
