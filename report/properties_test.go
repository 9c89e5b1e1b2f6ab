package report

import (
	"encoding/json"
	"testing"
)

// TestFindingProperties checks that a rule's finding properties (the vendor
// of a known third-party account) reach JSON and SARIF results, and that
// findings without properties carry none.
func TestFindingProperties(t *testing.T) {
	r := fullReport(t.TempDir())
	r.Findings[1].Properties = map[string]string{"vendor": "Datadog"}

	var doc struct {
		Findings []struct {
			Properties map[string]string `json:"properties"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(render(t, "json", r), &doc); err != nil {
		t.Fatal(err)
	}
	var vendors []string
	for _, f := range doc.Findings {
		if f.Properties != nil {
			vendors = append(vendors, f.Properties["vendor"])
		}
	}
	if len(doc.Findings) != 5 || len(vendors) != 1 || vendors[0] != "Datadog" {
		t.Errorf("JSON vendors = %q of %d findings, want one Datadog", vendors, len(doc.Findings))
	}

	var log struct {
		Runs []struct {
			Results []struct {
				Properties map[string]any `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(render(t, "sarif", r), &log); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, res := range log.Runs[0].Results {
		if v, ok := res.Properties["vendor"]; ok {
			n++
			if v != "Datadog" {
				t.Errorf("SARIF vendor = %v", v)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d SARIF results carry a vendor, want 1", n)
	}
}
