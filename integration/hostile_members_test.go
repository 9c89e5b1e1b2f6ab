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
// Members of a condition that were not read make its statement's
// conditions unknown (normalize.unread), not absent: the statement gets no
// finding that needs the absence of a test (TL001: any of them may be the
// ExternalId), and a Deny past whose thousand empty operator blocks a
// narrowing condition hides is no guard, so the wildcard it seemed to pin
// still gets TL003. The other statements of the policy are judged as ever.
func init() {
	const (
		trust    = `"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::999988887777:root"}`
		head     = `{"Version":"2012-10-17","Statement":[{`
		external = `{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::999988886666:root"}}`
	)
	keys := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `"k%d":"v",`, i)
		}
		return b.String()
	}
	emptyBlocks := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `"j%d":{},`, i)
		}
		return b.String()
	}
	// wants checks the text report: the findings of keys.json, as
	// "line rule" lines, and at most 1000 TL013 (one per unknown name read).
	wants := func(want ...string) func(t *testing.T, text string) {
		return func(t *testing.T, text string) {
			var got []string
			for _, l := range strings.Split(text, "\n") {
				var line, col int
				var sev, rule string
				if _, err := fmt.Sscanf(l, "keys.json:%d:%d: %s %s", &line, &col, &sev, &rule); err == nil && strings.HasPrefix(rule, "TL") && rule != "TL013" {
					got = append(got, fmt.Sprintf("%d %s", line, rule))
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) || strings.Count(text, ": high TL013 ") > 1000 {
				t.Errorf("want findings %q of keys.json and at most 1000 TL013, got %q:\n%.3000s", want, got, text)
			}
		}
	}
	for _, c := range []struct {
		name, doc, skipAt string
		check             func(t *testing.T, text string)
	}{
		{"a million keys in a condition block",
			head + trust + `,"Condition":{"StringEquals":{` + strings.TrimSuffix(keys(1000000), ",") + `}}},` + "\n" + external + `]}`,
			`"k1000"`, wants("2 TL001")},
		{"a million keys in a principal before AWS",
			head + `"Effect":"Allow","Action":"sts:AssumeRole","Principal":{` + keys(1000000) + `"AWS":"arn:aws:iam::999988887777:root"}}]}`,
			`"k1000"`, wants("1 TL001")},
		{"a million unknown keys in a statement before its elements",
			head + keys(1000000) + trust + `}]}`,
			`"k1000"`, wants("1 TL001")},
		{"a Deny guard's narrowing condition past a thousand empty operator blocks",
			`{"Version":"2012-10-17","Statement":[` + "\n" +
				`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"},` + "\n" +
				`{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"},` +
				emptyBlocks(1000) + `"StringEquals":{"aws:PrincipalTag/team":"blue"}}},` + "\n" + external + `]}`,
			`"j999"`, wants("2 TL003", "4 TL001")},
	} {
		before := c.doc[:strings.Index(c.doc, c.skipAt)]
		line, col := strings.Count(before, "\n")+1, len(before)-strings.LastIndex(before, "\n")
		hostileCases = append(hostileCases, hostileCase{name: c.name, code: 2, errorAt: fmt.Sprintf("keys.json:%d:%d: error: object of 1", line, col),
			maxRSSMB: heapFloorRSSMB, maxCPU: 20 * time.Second,
			setup: writesDense("keys.json", func(int) string { return c.doc + "\n" }, 0),
			check: c.check})
	}
}
