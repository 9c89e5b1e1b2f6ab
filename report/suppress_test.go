package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestSuppressedFindings checks how suppressed findings appear when a caller
// includes them (--show-suppressed): schema-valid SARIF suppressions with
// kind, status, justification, location and a stable guid, and a marked text
// line.
func TestSuppressedFindings(t *testing.T) {
	r := suppressedReport(t.TempDir())
	out := render(t, "sarif", r)
	validateSARIF(t, out)
	var log struct {
		Runs []struct {
			Results []struct {
				Suppressions []struct {
					Kind          string `json:"kind"`
					Status        string `json:"status"`
					Justification string `json:"justification"`
					GUID          string `json:"guid"`
					Location      struct {
						PhysicalLocation struct {
							ArtifactLocation struct {
								URI string `json:"uri"`
							} `json:"artifactLocation"`
							Region struct {
								StartLine int `json:"startLine"`
							} `json:"region"`
						} `json:"physicalLocation"`
					} `json:"location"`
				} `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, res := range log.Runs[0].Results {
		if len(res.Suppressions) != 1 {
			t.Fatalf("want one suppression per result, got %+v", res.Suppressions)
		}
		s := res.Suppressions[0]
		if s.Status != "accepted" || len(s.GUID) != 36 || s.Location.PhysicalLocation.Region.StartLine == 0 {
			t.Errorf("incomplete suppression %+v", s)
		}
		kinds[s.Kind] = s.Justification
	}
	if kinds["inSource"] != "batch jobs run for 12 hours" || kinds["external"] != "tracked in SEC-1" {
		t.Errorf("got suppressions %v", kinds)
	}
	if again := render(t, "sarif", r); string(again) != string(out) {
		t.Error("SARIF with suppressions is not deterministic")
	}
	text := string(render(t, "text", r))
	if !strings.Contains(text, "[suppressed: batch jobs run for 12 hours]") || !strings.Contains(text, "; 2 suppressed") {
		t.Errorf("text output does not mark suppressions:\n%s", text)
	}
}

// suppressedReport is fullReport's first two findings, suppressed inline and
// by the configuration, as --show-suppressed passes them.
func suppressedReport(wd string) *Report {
	r := fullReport(wd)
	r.Findings = r.Findings[:2]
	r.Findings[0].Suppressed = &model.Suppression{
		Kind: model.SuppressionInSource, Justification: "batch jobs run for 12 hours",
		Range: model.Range{File: r.Findings[0].Range.File, Start: model.Pos{Line: 8, Column: 3}, End: model.Pos{Line: 8, Column: 60}},
	}
	r.Findings[1].Suppressed = &model.Suppression{
		Kind: model.SuppressionExternal, Justification: "tracked in SEC-1",
		Range: model.Range{File: ".trustlint.yaml", Start: model.Pos{Line: 4, Column: 1}, End: model.Pos{Line: 4, Column: 1}},
	}
	r.Stats.Suppressed = 2
	return r
}
