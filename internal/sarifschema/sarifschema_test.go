package sarifschema

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	valid := `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "trustlint"}}, "results": []}]}`
	if err := Validate([]byte(valid)); err != nil {
		t.Errorf("minimal log: %v", err)
	}
	tests := map[string]string{
		"bad level":        `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": [{"message": {"text": "m"}, "level": "high"}]}]}`,
		"null suppression": `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": [{"message": {"text": "m"}, "suppressions": [{"kind": "inSource", "status": null}]}]}]}`,
		"not json":         `{"version": `,
		"no runs":          `{"version": "2.1.0"}`,
	}
	for name, doc := range tests {
		if err := Validate([]byte(doc)); err == nil || !strings.Contains(err.Error(), "SARIF") {
			t.Errorf("%s: got %v, want a SARIF validation error", name, err)
		}
	}
}
