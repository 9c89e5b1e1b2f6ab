package srcjson

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestCapMembers: a capping builder reads the first MaxMembers members of
// an object, then only kept names, each once with its last value, and
// reports the others at the first and counts them in the node; nested
// objects and a builder without the cap read everything.
func TestCapMembers(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"keep": 1, "inner": {"a": [1, {"b": 2}]}`)
	for i := range MaxMembers + 10 {
		fmt.Fprintf(&b, `, "k%d": {"x": [%d]}`, i, i)
	}
	b.WriteString(`, "keep": 2, "keep": 3, "other": 4}`)
	src := b.String()
	skipAt := strings.Index(src, fmt.Sprintf(`"k%d"`, MaxMembers-1)) // the 1,001st member not kept
	for _, capped := range []bool{false, true} {
		t.Run(fmt.Sprint("capped ", capped), func(t *testing.T) {
			loc := model.NewLineIndex("f.json", []byte(src))
			bl := NewBuilder(loc, []byte(src))
			if capped {
				bl.CapMembers(func(name string) bool { return name == "keep" })
			}
			n, diags := bl.document("")
			if n == nil {
				t.Fatalf("no tree: %v", diags)
			}
			var msgs []string
			for _, d := range diags {
				msgs = append(msgs, fmt.Sprintf("%d %s", d.Range.Start.Byte, d.Message))
			}
			wantMembers, keep := MaxMembers+10+5, "3"
			wantDiags := []string{
				fmt.Sprintf(`%d duplicate key "keep" (first at line 1)`, strings.Index(src, `"keep": 2`)),
				fmt.Sprintf(`%d duplicate key "keep" (first at line 1)`, strings.Index(src, `"keep": 3`)),
			}
			if capped {
				wantMembers = MaxMembers + 2 // keep before the cap and once past it
				wantDiags = append([]string{fmt.Sprintf("%d object of %d members, more than an IAM policy can hold: beyond the first %d that are no policy element or export key, %d are not analyzed",
					skipAt, MaxMembers+15, MaxMembers, 12)}, wantDiags...)
			}
			if len(n.Members) != wantMembers || n.Get("keep").Str != keep || n.Get("inner").Get("a").Len() != 2 {
				t.Errorf("got %d members, keep %s; want %d, %s", len(n.Members), n.Get("keep").Str, wantMembers, keep)
			}
			wantSkipped := uint32(0)
			if capped {
				wantSkipped = 12 // normalization stands for them (tree.Node.Skipped)
			}
			if n.Skipped != wantSkipped || n.Get("inner").Skipped != 0 {
				t.Errorf("Skipped %d, inner %d; want %d, 0", n.Skipped, n.Get("inner").Skipped, wantSkipped)
			}
			if fmt.Sprint(msgs) != fmt.Sprint(wantDiags) {
				t.Errorf("got diagnostics\n%q\nwant\n%q", msgs, wantDiags)
			}
		})
	}
}
