package report

import (
	"bytes"
	"strings"
	"testing"
)

// TestReadBaseline reads back the fingerprints of a SARIF report: exactly
// those of its findings.
func TestReadBaseline(t *testing.T) {
	r := fullReport(t.TempDir())
	got, err := ReadBaseline(bytes.NewReader(render(t, "sarif", r)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, f := range r.Findings {
		if f.Fingerprint != "" {
			want[f.Fingerprint] = true
		}
	}
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("got %d fingerprints, want %d", len(got), len(want))
	}
	for fp := range want {
		if !got[fp] {
			t.Errorf("fingerprint %s missing", fp)
		}
	}
}

func TestReadBaselineRejects(t *testing.T) {
	tests := map[string]string{
		"not JSON":      "Version: 2012-10-17",
		"wrong version": `{"version": "2.0.0", "runs": []}`,
		"a policy":      `{"Version": "2012-10-17", "Statement": []}`,
	}
	for name, in := range tests {
		if _, err := ReadBaseline(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "SARIF") {
			t.Errorf("%s: got error %v, want one that names SARIF", name, err)
		}
	}
}
