package report

import (
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

func TestGitHubEscaping(t *testing.T) {
	if got := escapeData("100% a:b,c\r\nd"); got != "100%25 a:b,c%0D%0Ad" {
		t.Errorf("escapeData = %q", got)
	}
	if got := escapeProperty("100% a:b,c\r\nd"); got != "100%25 a%3Ab%2Cc%0D%0Ad" {
		t.Errorf("escapeProperty = %q", got)
	}
}

func TestGitHubAnnotations(t *testing.T) {
	f := func(sev float64, r model.Range) model.Finding {
		return model.Finding{RuleID: "TL009", RuleName: "mfa-if-exists", Severity: sev, Message: "50% of\nusers: a,b", Role: "r:1,2", Range: r}
	}
	r := &Report{
		Rules: []model.RuleMeta{{ID: "TL009", Name: "mfa-if-exists", Severity: 7.5}},
		Findings: []model.Finding{
			f(9.5, model.Range{File: "a,b:c.json", Start: model.Pos{Line: 2, Column: 3}, End: model.Pos{Line: 2, Column: 8}}),
			f(5, model.Range{File: "m.tf", Start: model.Pos{Line: 2, Column: 3}, End: model.Pos{Line: 4, Column: 2}}),
			f(3, model.Range{File: "n.tf", Start: model.Pos{Line: 7}}),
			{RuleID: "X1", Severity: 8, Message: "m", Range: model.Range{File: "o.tf", Start: model.Pos{Line: 1, Column: 1}, End: model.Pos{Line: 1, Column: 2}}},
		},
		Quiet:    true,
		RuleDocs: func(id string) string { return map[string]string{"TL009": "https://example.com/TL009.md"}[id] },
	}
	got := strings.Split(strings.TrimSuffix(string(render(t, "github", r)), "\n"), "\n")
	docs := "%0ASee https://example.com/TL009.md"
	want := []string{
		"::error file=a%2Cb%3Ac.json,line=2,col=3,endLine=2,endColumn=7,title=TL009 mfa-if-exists::50%25 of users: a,b (role r:1,2)." + docs,
		// Over several lines: no columns, which GitHub rejects there.
		"::warning file=m.tf,line=2,endLine=4,title=TL009 mfa-if-exists::50%25 of users: a,b (role r:1,2)." + docs,
		"::notice file=n.tf,line=7,title=TL009 mfa-if-exists::50%25 of users: a,b (role r:1,2)." + docs,
		// A rule outside the catalog has no page to link.
		"::error file=o.tf,line=1,col=1,endLine=1,endColumn=1,title=X1::m.",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\ngot  %s\nwant %s", i, got[i], want[i])
		}
	}
}

// TestGitHubControlsInFileNames: a file name from a hostile repository
// cannot inject terminal escapes, bidi reordering or a second workflow
// command into the log.
func TestGitHubControlsInFileNames(t *testing.T) {
	r := &Report{
		Diagnostics: []model.Diagnostic{{Range: model.Range{File: "a\x1b[31mred\r\n::error::x\u202eb.json", Start: model.Pos{Line: 1}}, Message: "invalid JSON"}},
		Quiet:       true,
	}
	got := strings.TrimSuffix(string(render(t, "github", r)), "\n")
	want := "::error file=a%251B[31mred%250D%250A%3A%3Aerror%3A%3Ax%25E2%2580%25AEb.json,line=1,title=trustlint::invalid JSON."
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	text := string(render(t, "text", r))
	if strings.ContainsAny(text, "\x1b\r\u202e") {
		t.Errorf("text output carries control characters of the file name: %q", text)
	}
}
