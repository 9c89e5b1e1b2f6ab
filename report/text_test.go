package report

import (
	"strings"
	"testing"

	"github.com/trustlint/trustlint/audit"
	"github.com/trustlint/trustlint/model"
)

func TestTextSummary(t *testing.T) {
	finding := func(sev float64) model.Finding {
		return model.Finding{RuleID: "TL001", Severity: sev, Message: "m", Role: "r",
			Range: model.Range{File: "a.tf", Start: model.Pos{Line: 1, Column: 1}}}
	}
	diag := model.Diagnostic{Range: model.Range{File: "b.tf"}, Message: "bad"}
	tests := []struct {
		name string
		r    Report
		want string
	}{
		{"clean", Report{Stats: model.Stats{FilesScanned: 3, RolesAnalyzed: 12}},
			"no findings in 12 roles across 3 files"},
		{"singular", Report{Findings: []model.Finding{finding(8)}, Stats: model.Stats{FilesScanned: 1, RolesAnalyzed: 1}},
			"1 finding (1 high) in 1 role across 1 file"},
		{"bands in order", Report{
			Findings:    []model.Finding{finding(5), finding(9.5), finding(8), finding(4), finding(7)},
			Diagnostics: []model.Diagnostic{diag},
			Stats:       model.Stats{FilesScanned: 4, RolesAnalyzed: 3},
		}, "5 findings (1 critical, 2 high, 2 medium) in 3 roles across 4 files; 1 error"},
		{"low and skipped", Report{
			Findings:    []model.Finding{finding(3)},
			Diagnostics: []model.Diagnostic{diag, diag},
			Stats:       model.Stats{FilesScanned: 2, FilesSkipped: 1, RolesAnalyzed: 0},
		}, "1 finding (1 low) in 0 roles across 2 files; 2 errors; 1 file skipped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := string(render(t, "text", &tt.r))
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if got := lines[len(lines)-1]; got != tt.want {
				t.Errorf("summary = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTextLines(t *testing.T) {
	r := &Report{
		Findings: []model.Finding{{
			RuleID: "TL003", Severity: 9.5, Level: "critical", Message: "principal\n\"*\"", Role: "aws_iam_role.x",
			Range: model.Range{File: "main.tf", Start: model.Pos{Line: 3, Column: 7}},
		}},
		Diagnostics: []model.Diagnostic{
			{Range: model.Range{File: "z.yaml", Start: model.Pos{Line: 2, Column: 1}}, Message: "yaml: bad"},
			{Range: model.Range{File: "a.tf"}, Message: "open a.tf: permission denied"},
		},
	}
	want := `main.tf:3:7: critical TL003 principal "*" (aws_iam_role.x)
a.tf: error: open a.tf: permission denied
z.yaml:2:1: error: yaml: bad

Findings by rule:
  1  critical  TL003
1 finding (1 critical) in 0 roles across 0 files; 2 errors
`
	if got := string(render(t, "text", r)); got != want {
		t.Errorf("text output:\n%s\nwant:\n%s", got, want)
	}
}

// An outside principal is printed cut like every other value: a long
// unknown Terraform expression must not fill the summary.
func TestTextOutsidePrincipalCut(t *testing.T) {
	long := "arn:aws:iam::${" + strings.Repeat("local.l32.", 20) + "id}:root"
	r := &Report{
		Findings: []model.Finding{{RuleID: "TL001", Severity: 8, Level: "high", Message: "m", Role: "r",
			Range: model.Range{File: "a.tf", Start: model.Pos{Line: 1, Column: 1}}}},
		Audit: &audit.Account{
			Roles:   []*audit.Role{{Name: "r"}},
			Outside: []*audit.OutsidePrincipal{{Kind: "account", Principal: long, Roles: []string{"r"}, Unguarded: 1}},
		},
		Stats: model.Stats{FilesScanned: 1, RolesAnalyzed: 1},
	}
	out := string(render(t, "text", r))
	if strings.Contains(out, long) {
		t.Fatalf("the whole principal is printed:\n%s", out)
	}
	if want := model.Quote(long); !strings.Contains(out, want) {
		t.Errorf("summary lacks the cut principal %q:\n%s", want, out)
	}
}
