package ruledoc

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/trustlint/trustlint/config"
	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser"
	"github.com/trustlint/trustlint/rules"
	"github.com/trustlint/trustlint/scan"
)

var update = flag.Bool("update", false, "rewrite docs/rules from the rules' METADATA (same as go generate ./internal/ruledoc)")

var loadDocs = sync.OnceValues(func() ([]Doc, error) { return Load(context.Background()) })

func docs(t *testing.T) []Doc {
	t.Helper()
	d, err := loadDocs()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

const docsDir = "../../docs/rules"

// TestDocsUpToDate fails when docs/rules differs from what the rules'
// METADATA generates; go generate ./internal/ruledoc (or this test with
// -update) rewrites it.
func TestDocsUpToDate(t *testing.T) {
	all := docs(t)
	if *update {
		if err := Write(docsDir, all); err != nil {
			t.Fatal(err)
		}
	}
	files := Files(all)
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(docsDir, name))
		if err != nil {
			t.Errorf("%v (run go generate ./internal/ruledoc)", err)
			continue
		}
		if !bytes.Equal(bytes.ReplaceAll(got, []byte("\r\n"), []byte("\n")), want) {
			t.Errorf("docs/rules/%s is out of date: run go generate ./internal/ruledoc", name)
		}
	}
	stale, err := Stale(docsDir, files)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range stale {
		t.Errorf("docs/rules/%s documents a rule that does not exist: run go generate ./internal/ruledoc", name)
	}
}

func TestDocs(t *testing.T) {
	all := docs(t)
	if len(all) < 13 {
		t.Fatalf("got %d rule docs, want at least 13", len(all))
	}
	for _, d := range all {
		md := string(d.Markdown())
		for _, want := range []string{
			"# " + d.ID + " " + d.Name + "\n",
			"## What it checks\n",
			"## How to fix\n",
			"## Examples\n",
			"### JSON\n", "### Terraform\n", "### CloudFormation\n",
			"## Suppress\n\n" + d.SuppressText() + "\n",
			"# trustlint:ignore " + d.ID + " -- <reason>",
			"To disable the rule: `rules: {" + d.ID + ": {enabled: false}}` in .trustlint.yaml.",
			"## References\n\n- [",
			"https://docs.aws.amazon.com/",
			"`trustlint explain " + d.ID + "`",
		} {
			if !strings.Contains(md, want) {
				t.Errorf("%s.md lacks %q", d.ID, want)
			}
		}
		text := d.Text(false)
		for _, want := range []string{d.ID + " " + d.Name + ": " + d.Title, "What it checks\n  ", "Terraform, fixed:\n\n    ", "Suppress\n  To suppress one finding", "      # trustlint:ignore " + d.ID + " -- <reason>\n", "  To disable the rule: rules: {" + d.ID + ": {enabled: false}} in .trustlint.yaml.\n", d.URL()} {
			if !strings.Contains(text, want) {
				t.Errorf("%s text lacks %q", d.ID, want)
			}
		}
		if strings.Contains(text, "\x1b") || !strings.Contains(d.Text(true), "\x1b[1mHow to fix\x1b[0m") {
			t.Errorf("%s: bold headings only with bold", d.ID)
		}
	}
	idx := string(Index(all))
	for _, d := range all {
		if !strings.Contains(idx, "| ["+d.ID+"]("+d.ID+".md) | "+d.Name+" |") {
			t.Errorf("index lacks %s", d.ID)
		}
	}
}

func TestFind(t *testing.T) {
	all := docs(t)
	for _, q := range []string{"TL001", "tl001", "missing-external-id", "Missing-External-ID"} {
		if d, ok := Find(all, q); !ok || d.ID != "TL001" {
			t.Errorf("Find(%q) = %s, %v", q, d.ID, ok)
		}
	}
	if _, ok := Find(all, "TL999"); ok {
		t.Error("Find(TL999) found a rule")
	}
}

func TestSplit(t *testing.T) {
	tests := []struct{ desc, what, why string }{
		{"One.", "One.", ""},
		{"What.\n\nWhy.\n\nMore.", "What.", "Why.\n\nMore."},
		{"What:\n\n- a\n- b\n\nWhy.", "What:\n\n- a\n- b", "Why."},
		{"What.\n\n- not a continuation", "What.", "- not a continuation"},
	}
	for _, tt := range tests {
		d := Doc{RuleMeta: model.RuleMeta{Description: tt.desc}}
		if d.What() != tt.what || d.Why() != tt.why {
			t.Errorf("split(%q) = %q | %q, want %q | %q", tt.desc, d.What(), d.Why(), tt.what, tt.why)
		}
	}
}

// TestExamples scans every example with the real pipeline, as written to a
// file of its format: a bad example must be reported by its rule, a fixed
// one by no rule at all. Formats no registered parser reads yet are
// skipped, and start being checked as soon as their parser is registered.
func TestExamples(t *testing.T) {
	engine, err := rules.New(context.Background(), rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs(t) {
		if len(d.Examples) != len(Formats) {
			t.Errorf("%s: examples for %d of %d formats", d.ID, len(d.Examples), len(Formats))
		}
		for _, e := range d.Examples {
			t.Run(d.ID+"/"+e.Format.Key, func(t *testing.T) {
				if !parser.Considered(e.Format.File) && parser.ModuleParserFor(e.Format.File) == nil {
					t.Fatalf("no parser reads %s files (%s)", e.Format.Name, e.Format.File)
				}
				bad := scanExample(t, engine, e.Format.File, e.Bad)
				if !slices.Contains(ruleIDs(bad), d.ID) {
					t.Errorf("bad example is not reported by %s; findings: %v\n%s", d.ID, bad, e.Bad)
				}
				if good := scanExample(t, engine, e.Format.File, e.Good); len(good) > 0 {
					t.Errorf("fixed example is reported: %v\n%s", good, e.Good)
				}
			})
		}
	}
}

func scanExample(t *testing.T, engine *rules.Engine, name, src string) []model.Finding {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{path}, Config: config.Default(), Engine: engine})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) > 0 {
		t.Fatalf("example does not parse: %v\n%s", res.Diagnostics, src)
	}
	if res.Stats.FilesScanned != 1 || res.Stats.RolesAnalyzed == 0 {
		t.Fatalf("example was not analyzed (%+v): it is not recognized as a %s input\n%s", res.Stats, name, src)
	}
	return res.Findings
}

func ruleIDs(fs []model.Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.RuleID)
	}
	return ids
}
