package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// listDoc is a document with a list among other members, nested as SARIF
// nests its results.
type listDoc struct {
	Version string     `json:"version"`
	Runs    []*listRun `json:"runs"`
}

type listRun struct {
	Name    string     `json:"name"`
	Results []*listElt `json:"results"`
	After   []string   `json:"after"`
}

type listElt struct {
	ID    string         `json:"id"`
	N     int            `json:"n"`
	Props map[string]any `json:"props,omitempty"`
	Tags  []string       `json:"tags"`
}

func elts(n int) []*listElt {
	out := make([]*listElt, n)
	for i := range out {
		out[i] = &listElt{ID: fmt.Sprintf("r<%d>&é", i), N: i, Props: map[string]any{"z": i, "a": []any{"x", map[string]any{"k": `"results": []`}}}}
		if i%3 == 0 {
			out[i].Tags = []string{"t"}
		}
	}
	return out
}

func indented(t *testing.T, write func(*bufio.Writer) error) string {
	t.Helper()
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if err := write(w); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestWriteIndentedList: the list encoded on every core gives the bytes
// of the whole document encoded at once, for lists of every size around
// the chunk and batch sizes, with the list's name in strings too, and when
// another member of that name holds an empty list (written at once).
func TestWriteIndentedList(t *testing.T) {
	for _, n := range []int{0, 1, 2, listChunk, listChunk + 1, listBatch, 2*listBatch + listChunk + 3} {
		for _, twin := range []bool{false, true} {
			run := &listRun{Name: `run "results": []`, After: []string{"a"}}
			doc := &listDoc{Version: "2.1.0", Runs: []*listRun{run}}
			if twin {
				doc.Runs = append(doc.Runs, &listRun{Name: "empty", Results: []*listElt{}, After: []string{}})
			}
			all := elts(n)
			run.Results = all
			want := indented(t, func(w *bufio.Writer) error { return writeIndented(w, doc) })
			got := indented(t, func(w *bufio.Writer) error { return writeIndentedList(w, doc, "results", &run.Results, all) })
			if got != want {
				t.Fatalf("%d elements (twin %v): got\n%.2000s\nwant\n%.2000s", n, twin, got, want)
			}
			if len(run.Results) != n || run.Results == nil {
				t.Errorf("%d elements: the list is %d long after writing (nil: %v)", n, len(run.Results), run.Results == nil)
			}
			if n > 0 && !strings.Contains(got, `"id": "r<0>&é"`) {
				t.Errorf("%d elements: HTML characters escaped:\n%.500s", n, got)
			}
		}
	}
	// A nil list is an empty one, as the serial writer shows it.
	run := &listRun{Name: "none"}
	doc := &listDoc{Runs: []*listRun{run}}
	got := indented(t, func(w *bufio.Writer) error { return writeIndentedList(w, doc, "results", &run.Results, nil) })
	if !strings.Contains(got, `"results": []`) {
		t.Errorf("nil list written as\n%s", got)
	}
}

// BenchmarkWriteSARIF writes the SARIF report of 25,000 findings in two
// export files, about as many as the benchmark corpus's 40,000-role
// exports give: the report is the serial tail of such a scan.
func BenchmarkWriteSARIF(b *testing.B) {
	fs := make([]model.Finding, 25000)
	for i := range fs {
		line := i*40 + 10
		fs[i] = model.Finding{RuleID: "TL001", RuleName: "missing-external-id", Severity: 8, Level: model.LevelHigh,
			Message:     fmt.Sprintf("account 999988887777 may assume role app-%05d without sts:ExternalId", i),
			Role:        fmt.Sprintf("app-%05d", i),
			Path:        "policy.Statement[0].Principal.AWS[0]",
			Fingerprint: fmt.Sprintf("%064x", i),
			Properties:  map[string]string{"principal": "arn:aws:iam::999988887777:root"},
			Range:       model.Range{File: fmt.Sprintf("exports/account-%d.json", i%2), Start: model.Pos{Line: line, Column: 17}, End: model.Pos{Line: line, Column: 50}}}
	}
	r := &Report{Tool: Tool{Name: DefaultToolName, Version: "1.0.0"}, Findings: fs, WorkDir: "/work"}
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, "sarif", r); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzWriteIndentedList: whatever the strings of the document and of its
// elements (quotes, escapes, the list's own name and its empty value,
// HTML characters, invalid UTF-8), the spliced document is the one an
// encoder writes at once.
func FuzzWriteIndentedList(f *testing.F) {
	for _, s := range []string{"", `"results": []`, "\"results\": []\n", `\"`, "<&>", "\xff\xfe", "  ", "\u2028"} {
		f.Add(s, s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, name, value string, n uint8) {
		run := &listRun{Name: name, After: []string{value}}
		doc := &listDoc{Version: value, Runs: []*listRun{run}}
		all := make([]*listElt, int(n)%(listChunk+3))
		for i := range all {
			all[i] = &listElt{ID: value, N: i, Props: map[string]any{name: value, "k": []any{value, i}}, Tags: []string{name}}
		}
		run.Results = all
		want := indented(t, func(w *bufio.Writer) error { return writeIndented(w, doc) })
		got := indented(t, func(w *bufio.Writer) error { return writeIndentedList(w, doc, "results", &run.Results, all) })
		if got != want {
			t.Fatalf("spliced document differs:\n got %q\nwant %q", got, want)
		}
	})
}
