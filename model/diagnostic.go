package model

import (
	"fmt"
	"slices"
)

// MaxFileDiagnostics is the most diagnostics a scan reports for one file:
// the first by position (SortDiagnostics), then one that says how many
// more there are. A hostile file of a million duplicate keys would
// otherwise make a report of a million lines and hold them all in memory.
const MaxFileDiagnostics = 100

// CapDiagnostics sorts ds (SortDiagnostics) and keeps at most limit
// diagnostics of each file, the first by position, followed by one that
// stands for the others (Omitted): it is at the first of them, and an
// error when any of them is. A diagnostic in ds that already stands for
// omitted ones (from an earlier cap) adds its count. It reuses ds.
func CapDiagnostics(ds []Diagnostic, limit int) []Diagnostic {
	SortDiagnostics(ds)
	out := ds[:0]
	for len(ds) > 0 {
		n := 1
		for n < len(ds) && ds[n].Range.File == ds[0].Range.File {
			n++
		}
		out = capFile(out, ds[:n], limit)
		ds = ds[n:]
	}
	return out
}

// capFile appends to out the diagnostics of one file, sorted, capped at
// limit as CapDiagnostics says. out never runs ahead of file's start: it
// shares its array.
func capFile(out, file []Diagnostic, limit int) []Diagnostic {
	var rest Diagnostic // stands for the omitted ones
	kept, restError := 0, false
	for _, d := range file {
		if d.Omitted == 0 && kept < limit {
			out = append(out, d)
			kept++
			continue
		}
		if rest.Omitted == 0 {
			rest.Range = d.Range // the first omitted: file is sorted
		}
		rest.Omitted += max(d.Omitted, 1)
		restError = restError || d.IsError()
	}
	if rest.Omitted == 0 {
		return out
	}
	if !restError {
		rest.Level = DiagNote
	}
	rest.Message = fmt.Sprintf("and %d more diagnostics of this file, not shown (at most %d are shown per file); the first is here", rest.Omitted, limit)
	return append(out, rest)
}

// DiagnosticList collects the diagnostics of one parse, keeping at most
// MaxFileDiagnostics of each file (CapDiagnostics) as they come, so that
// memory stays bounded however many a file gives.
type DiagnosticList struct {
	ds []Diagnostic
}

// Add adds ds.
func (l *DiagnosticList) Add(ds ...Diagnostic) {
	l.ds = append(l.ds, ds...)
	if len(l.ds) >= 4*MaxFileDiagnostics {
		l.ds = slices.Clip(CapDiagnostics(l.ds, MaxFileDiagnostics))
	}
}

// Len is the number of diagnostics held: at most MaxFileDiagnostics+1 of
// each file once List was called.
func (l *DiagnosticList) Len() int { return len(l.ds) }

// List returns the diagnostics, capped and sorted (CapDiagnostics).
func (l *DiagnosticList) List() []Diagnostic {
	l.ds = CapDiagnostics(l.ds, MaxFileDiagnostics)
	return l.ds
}
