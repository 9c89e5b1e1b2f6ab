package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

func TestJSONArraysNeverNull(t *testing.T) {
	for name, r := range map[string]*Report{
		"zero":       {},
		"nil slices": {Rules: nil, Findings: nil, Diagnostics: nil},
		"empty slices": {Rules: []model.RuleMeta{}, Findings: []model.Finding{},
			Diagnostics: []model.Diagnostic{}},
	} {
		t.Run(name, func(t *testing.T) {
			out := render(t, "json", r)
			if strings.Contains(string(out), "null") {
				t.Errorf("output contains null:\n%s", out)
			}
			var doc map[string]any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"findings", "errors"} {
				if a, ok := doc[k].([]any); !ok || len(a) != 0 {
					t.Errorf("%s = %#v, want []", k, doc[k])
				}
			}
			summary := doc["summary"].(map[string]any)
			if m, ok := summary["by_rule"].(map[string]any); !ok || len(m) != 0 {
				t.Errorf("summary.by_rule = %#v, want {}", summary["by_rule"])
			}
			if doc["schema_version"] != float64(JSONSchemaVersion) {
				t.Errorf("schema_version = %v", doc["schema_version"])
			}
			if tool := doc["tool"].(map[string]any); tool["name"] != "trustlint" {
				t.Errorf("tool.name = %v", tool["name"])
			}
		})
	}
}

func TestJSONContent(t *testing.T) {
	wd := t.TempDir()
	var doc struct {
		Findings []struct {
			RuleID   string          `json:"rule_id"`
			Level    string          `json:"level"`
			Severity json.RawMessage `json:"severity"`
			Message  string          `json:"message"`
			Location struct {
				File      string `json:"file"`
				StartLine int    `json:"start_line"`
			} `json:"location"`
		} `json:"findings"`
		Errors []struct {
			File  string `json:"file"`
			Line  int    `json:"line"`
			Level string `json:"level"`
		} `json:"errors"`
		Summary struct {
			Findings int            `json:"findings"`
			Errors   int            `json:"errors"`
			Notes    int            `json:"notes"`
			ByLevel  map[string]int `json:"by_level"`
			ByRule   map[string]int `json:"by_rule"`
			Roles    int            `json:"roles"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(render(t, "json", fullReport(wd)), &doc); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, f := range doc.Findings {
		order = append(order, f.Location.File+":"+f.RuleID)
	}
	if got, want := strings.Join(order, " "), "infra/main.tf:TL004 infra/main.tf:TL001 infra/main.tf:TL001 policies/trust.json:TL003 policies/trust.json:TL013"; got != want {
		t.Errorf("findings order = %s, want %s", got, want)
	}
	if got := string(doc.Findings[0].Severity); got != "5.0" {
		t.Errorf("severity = %s, want 5.0", got)
	}
	if !strings.Contains(doc.Findings[3].Message, "für") || !strings.Contains(doc.Findings[3].Message, "<condition>") {
		t.Errorf("message not kept verbatim: %q", doc.Findings[3].Message)
	}
	if doc.Summary.Findings != 5 || doc.Summary.Errors != 2 || doc.Summary.Notes != 1 || doc.Summary.Roles != 3 ||
		doc.Summary.ByLevel["critical"] != 1 || doc.Summary.ByLevel["high"] != 3 || doc.Summary.ByLevel["medium"] != 1 ||
		doc.Summary.ByRule["TL001"] != 2 {
		t.Errorf("summary = %+v", doc.Summary)
	}
	if len(doc.Errors) != 3 || doc.Errors[0].File != "cfn/broken.yaml" || doc.Errors[0].Line != 3 || doc.Errors[0].Level != "error" ||
		doc.Errors[1].Level != "note" || doc.Errors[2].Line != 0 {
		t.Errorf("errors = %+v", doc.Errors)
	}
}

// TestJSONDocExamples keeps docs/json-output.md in step with the output:
// each JSON example there must have exactly the fields Write prints.
func TestJSONDocExamples(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "json-output.md"))
	if err != nil {
		t.Fatal(err)
	}
	var examples []string
	for _, block := range strings.Split(string(doc), "```json\n")[1:] {
		examples = append(examples, block[:strings.Index(block, "```")])
	}
	wd := t.TempDir()
	outputs := []*Report{fullReport(wd), emptyReport(wd)}
	if len(examples) != len(outputs) {
		t.Fatalf("found %d JSON examples, want %d", len(examples), len(outputs))
	}
	for i, ex := range examples {
		var want, got any
		if err := json.Unmarshal([]byte(ex), &want); err != nil {
			t.Fatalf("example %d: %v", i+1, err)
		}
		if err := json.Unmarshal(render(t, "json", outputs[i]), &got); err != nil {
			t.Fatal(err)
		}
		if ws, gs := shape(want), shape(got); ws != gs {
			t.Errorf("example %d has fields\n%s\nbut Write prints\n%s", i+1, ws, gs)
		}
	}
}

// shape describes the structure of a decoded JSON value: object keys and
// value types, with arrays described by their first element. Objects whose
// keys are data (summary.by_rule) are described as maps.
func shape(v any) string {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			if strings.HasPrefix(k, "TL") {
				return "map"
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var b strings.Builder
		b.WriteString("{")
		for _, k := range keys {
			b.WriteString(k + ":" + shape(v[k]) + " ")
		}
		b.WriteString("}")
		return b.String()
	case []any:
		if len(v) == 0 {
			return "[]"
		}
		return "[" + shape(v[0]) + "]"
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%T", v)
	}
}
