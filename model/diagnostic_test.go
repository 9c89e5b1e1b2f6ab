package model

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// diagAt is a diagnostic of file at line, column 1.
func diagAt(file string, line int, level string) Diagnostic {
	return Diagnostic{
		Range:   Range{File: file, Start: Pos{Line: line, Column: 1}},
		Message: fmt.Sprintf("problem %d", line),
		Level:   level,
	}
}

func TestCapDiagnostics(t *testing.T) {
	var in []Diagnostic
	for line := 250; line >= 1; line-- { // reversed: the cap keeps the first by position
		in = append(in, diagAt("a.json", line, ""))
	}
	for line := 1; line <= 3; line++ {
		in = append(in, diagAt("b.json", line, ""))
	}
	for line := 1; line <= 101; line++ {
		in = append(in, diagAt("c.json", line, DiagNote))
	}
	in = append(in, diagAt("d.json", 1, DiagNote), diagAt("d.json", 2, DiagError))
	for line := 3; line <= 102; line++ {
		in = append(in, diagAt("d.json", line, DiagNote))
	}
	out := CapDiagnostics(in, 100)

	var want []Diagnostic
	for line := 1; line <= 100; line++ {
		want = append(want, diagAt("a.json", line, ""))
	}
	want = append(want, Diagnostic{Range: diagAt("a.json", 101, "").Range, Omitted: 150,
		Message: "and 150 more diagnostics of this file, not shown (at most 100 are shown per file); the first is here"})
	for line := 1; line <= 3; line++ {
		want = append(want, diagAt("b.json", line, ""))
	}
	for line := 1; line <= 100; line++ {
		want = append(want, diagAt("c.json", line, DiagNote))
	}
	// Only notes left out: the diagnostic for them is a note.
	want = append(want, Diagnostic{Range: diagAt("c.json", 101, "").Range, Omitted: 1, Level: DiagNote,
		Message: "and 1 more diagnostics of this file, not shown (at most 100 are shown per file); the first is here"})
	want = append(want, diagAt("d.json", 1, DiagNote), diagAt("d.json", 2, DiagError))
	for line := 3; line <= 100; line++ {
		want = append(want, diagAt("d.json", line, DiagNote))
	}
	want = append(want, Diagnostic{Range: diagAt("d.json", 101, "").Range, Omitted: 2, Level: DiagNote,
		Message: "and 2 more diagnostics of this file, not shown (at most 100 are shown per file); the first is here"})
	if !reflect.DeepEqual(out, want) {
		t.Errorf("got %d diagnostics:\n%v\nwant %d:\n%v", len(out), out, len(want), want)
	}
}

// Capping what was capped (a parser's list, then the scan's) gives what
// capping everything at once gives, whatever the input order, and the
// diagnostic for the omitted ones is its file's last.
func TestCapDiagnosticsMerges(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for round := range 200 {
		var all []Diagnostic
		for range rng.IntN(400) {
			level := DiagNote
			if rng.IntN(50) == 0 {
				level = DiagError
			}
			all = append(all, diagAt([]string{"a", "b"}[rng.IntN(2)], 1+rng.IntN(300), level))
		}
		limit := 1 + rng.IntN(120)
		want := CapDiagnostics(append([]Diagnostic(nil), all...), limit)
		cut := rng.IntN(len(all) + 1)
		first := CapDiagnostics(append([]Diagnostic(nil), all[:cut]...), limit)
		rest := append([]Diagnostic(nil), all[cut:]...)
		rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
		got := CapDiagnostics(append(rest, first...), limit)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d (limit %d, cut %d): got\n%v\nwant\n%v", round, limit, cut, got, want)
		}
		for i, d := range got {
			if d.Omitted > 0 && i+1 < len(got) && got[i+1].Range.File == d.Range.File {
				t.Fatalf("round %d: the omitted diagnostics' stand-in is not its file's last: %v", round, got)
			}
		}
	}
}

// DiagnosticList holds a bounded number of diagnostics while a file gives
// many, and lists what CapDiagnostics would.
func TestDiagnosticList(t *testing.T) {
	var l DiagnosticList
	var all []Diagnostic
	for i := range 100000 {
		d := diagAt("big.json", 100000-i, "")
		all = append(all, d)
		l.Add(d)
		if l.Len() > 4*MaxFileDiagnostics {
			t.Fatalf("holds %d diagnostics after %d", l.Len(), i+1)
		}
	}
	got := l.List()
	want := CapDiagnostics(all, MaxFileDiagnostics)
	if !reflect.DeepEqual(got, want) || len(got) != MaxFileDiagnostics+1 || got[MaxFileDiagnostics].Omitted != 100000-MaxFileDiagnostics {
		t.Errorf("got %d diagnostics, last %v; want %d, last %v", len(got), got[len(got)-1], len(want), want[len(want)-1])
	}
}
