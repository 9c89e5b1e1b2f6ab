package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// maxBaseline bounds how much of a baseline file is read.
const maxBaseline = 1 << 30

// ReadBaseline reads a SARIF report that Write produced earlier and returns
// the fingerprints of its results (partialFingerprints[FingerprintKey]):
// the findings a team accepted, which a scan with this baseline leaves out.
// Results without a trustlint fingerprint are ignored; a file that is not a
// SARIF 2.1.0 log is an error.
func ReadBaseline(r io.Reader) (map[string]bool, error) {
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				PartialFingerprints map[string]any `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.NewDecoder(io.LimitReader(r, maxBaseline)).Decode(&log); err != nil {
		return nil, fmt.Errorf("not a SARIF report: %w", err)
	}
	if log.Version != "2.1.0" {
		return nil, fmt.Errorf("not a SARIF 2.1.0 report (version %q)", log.Version)
	}
	out := map[string]bool{}
	for _, run := range log.Runs {
		for _, res := range run.Results {
			if fp, ok := res.PartialFingerprints[FingerprintKey].(string); ok && fp != "" {
				out[fp] = true
			}
		}
	}
	return out, nil
}
