package tree

import (
	"math/rand"
	"strings"
	"testing"
)

// TestCursor checks that a cursor finds every element of a list of
// scalars, read in order, backwards and at random, from the offsets of
// every spanStep-th element only.
func TestCursor(t *testing.T) {
	scalars := []string{`0`, `-1.5e3`, `true`, `null`, `"a"`, `""`, `"a,]} \"b\\"`, `'c, d'`, `''`, `arn:aws:iam::1:root`, `s3:Get*`}
	seps := []string{",", ", ", " ,", "\n  ,\t", ",\r\n"}
	rng := rand.New(rand.NewSource(5))
	var text strings.Builder
	text.WriteString("[ ")
	var want [][2]int
	var s Spans
	for i := range 5*spanStep + 3 {
		if i > 0 {
			text.WriteString(seps[rng.Intn(len(seps))])
		}
		e := scalars[rng.Intn(len(scalars))]
		start := text.Len()
		text.WriteString(e)
		want = append(want, [2]int{start, text.Len()})
		s.Add(start)
	}
	text.WriteString(" ]")
	if s.Len() != len(want) {
		t.Fatalf("Len %d, want %d", s.Len(), len(want))
	}
	c := NewCursor(&s, []byte(text.String()))
	order := rng.Perm(len(want))
	for i := range want {
		order = append(order, i, len(want)-1-i)
	}
	for _, i := range order {
		if start, end := c.Span(i); start != want[i][0] || end != want[i][1] {
			t.Fatalf("element %d at %d-%d, want %d-%d", i, start, end, want[i][0], want[i][1])
		}
	}
}
