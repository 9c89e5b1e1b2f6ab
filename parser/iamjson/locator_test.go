package iamjson

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestLocatorMatchesLineIndex checks Locator against model.LineIndex for
// offsets visited forwards, backwards and at random, over text with CRLF,
// empty lines, multi-byte characters and an invalid byte.
func TestLocatorMatchesLineIndex(t *testing.T) {
	src := []byte("{\r\n  \"Sid\": \"Prüfer – 🚀\",\n\n\t\"x\": \"\xff\"}\n" + strings.Repeat("é", 40) + "\nend")
	idx := model.NewLineIndex(src)
	orders := map[string][]int{}
	var fwd, back []int
	for i := -2; i <= len(src)+2; i++ {
		fwd = append(fwd, i)
		back = append([]int{i}, back...)
	}
	orders["forwards"], orders["backwards"] = fwd, back
	rnd := rand.New(rand.NewPCG(1, 2))
	var random []int
	for range 2000 {
		random = append(random, rnd.IntN(len(src)+1))
	}
	orders["random"] = random
	for name, offs := range orders {
		t.Run(name, func(t *testing.T) {
			loc := NewLocator("f.json", src)
			for _, off := range offs {
				if got, want := loc.Pos(off), idx.Pos(off); got != want {
					t.Fatalf("offset %d: got %+v want %+v", off, got, want)
				}
			}
		})
	}
}

// TestLocatorLongLine checks that positions on one very long line are found
// in linear time: the test would take minutes if every lookup rescanned the
// line.
func TestLocatorLongLine(t *testing.T) {
	src := []byte(strings.Repeat(`"é",`, 1<<20))
	loc := NewLocator("min.json", src)
	for off := 0; off < len(src); off += 5 {
		loc.Pos(off)
	}
	if got, want := loc.Pos(len(src)), (model.Pos{Line: 1, Column: 4<<20 + 1, Byte: len(src)}); got != want {
		t.Errorf("got %+v want %+v", got, want)
	}
}
