package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trustlint/trustlint/internal/sarifschema"
	"github.com/trustlint/trustlint/model"
)

// validateSARIF checks out against the SARIF 2.1.0 schema, with format
// assertions (uri, uri-reference) on, and saves it for the SARIF multitool
// run of CI (sarifschema.Save).
func validateSARIF(t *testing.T, out []byte) {
	t.Helper()
	if err := sarifschema.Validate(out); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	sarifschema.Save(t, out)
}

// sarifLog is the part of a SARIF log the tests look at.
type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name            string `json:"name"`
				Version         string `json:"version"`
				SemanticVersion string `json:"semanticVersion"`
				Rules           []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					Help struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		ColumnKind string `json:"columnKind"`
		Results    []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int   `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region map[string]int `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					FullyQualifiedName string `json:"fullyQualifiedName"`
					Kind               string `json:"kind"`
				} `json:"logicalLocations"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        any               `json:"suppressions"`
		} `json:"results"`
		Invocations []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region map[string]int `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

func decodeSARIF(t *testing.T, r *Report) sarifLog {
	t.Helper()
	var log sarifLog
	if err := json.Unmarshal(render(t, "sarif", r), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("got %d runs, want 1", len(log.Runs))
	}
	return log
}

func TestSARIFResults(t *testing.T) {
	wd := t.TempDir()
	r := fullReport(wd)
	// A finding of a rule missing from the catalog still gets a descriptor.
	r.Findings = append(r.Findings, model.Finding{
		RuleID: "TL099", RuleName: "future-rule", Severity: 3, Message: "m", Role: "x",
		Range: model.Range{File: filepath.Join(wd, "z.tf"), Start: model.Pos{Line: 1, Column: 1}, End: model.Pos{Line: 1, Column: 2}},
	})
	run := decodeSARIF(t, r).Runs[0]
	rules := run.Tool.Driver.Rules

	var ids []string
	for _, rule := range rules {
		ids = append(ids, rule.ID)
	}
	if got, want := strings.Join(ids, ","), "TL001,TL003,TL004,TL013,TL099"; got != want {
		t.Errorf("driver.rules = %s, want %s (every catalog rule, sorted)", got, want)
	}
	if got := run.OriginalURIBaseIDs[srcRoot].URI; got != fileURI(wd)+"/" {
		t.Errorf("%%SRCROOT%% = %q, want %q", got, fileURI(wd)+"/")
	}
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind = %q", run.ColumnKind)
	}
	if len(run.Results) != len(r.Findings) {
		t.Fatalf("got %d results, want %d", len(run.Results), len(r.Findings))
	}
	var uris []string
	for i, res := range run.Results {
		if res.RuleIndex == nil || *res.RuleIndex < 0 || *res.RuleIndex >= len(rules) {
			t.Fatalf("result %d: ruleIndex %v out of range", i, res.RuleIndex)
		}
		if got := rules[*res.RuleIndex].ID; got != res.RuleID {
			t.Errorf("result %d: rules[ruleIndex].id = %s, want %s", i, got, res.RuleID)
		}
		if len(res.Locations) != 1 {
			t.Fatalf("result %d: %d locations", i, len(res.Locations))
		}
		loc := res.Locations[0]
		al := loc.PhysicalLocation.ArtifactLocation
		if al.URIBaseID != srcRoot || strings.Contains(al.URI, `\`) || strings.HasPrefix(al.URI, "/") || strings.Contains(al.URI, ":") {
			t.Errorf("result %d: artifactLocation %+v, want a relative forward-slash URI under %%SRCROOT%%", i, al)
		}
		uris = append(uris, al.URI)
		for _, k := range []string{"startLine", "startColumn", "endLine", "endColumn"} {
			if loc.PhysicalLocation.Region[k] <= 0 {
				t.Errorf("result %d: region.%s missing", i, k)
			}
		}
		if len(loc.LogicalLocations) != 1 || loc.LogicalLocations[0].FullyQualifiedName == "" || loc.LogicalLocations[0].Kind != "resource" {
			t.Errorf("result %d: logicalLocations %+v", i, loc.LogicalLocations)
		}
		if !strings.Contains(res.Message.Text, loc.LogicalLocations[0].FullyQualifiedName) || !strings.HasSuffix(res.Message.Text, ".") {
			t.Errorf("result %d: message %q does not name the role in a sentence", i, res.Message.Text)
		}
		if res.Suppressions != nil {
			t.Errorf("result %d: suppressions emitted", i)
		}
	}
	if got, want := strings.Join(uris, " "), "infra/main.tf infra/main.tf infra/main.tf policies/trust.json policies/trust.json z.tf"; got != want {
		t.Errorf("result URIs = %s, want %s (sorted)", got, want)
	}
	first := run.Results[0]
	if first.RuleID != "TL004" || first.Level != "warning" || first.PartialFingerprints[FingerprintKey] != "4d1c7c0a5b7e3f21" {
		t.Errorf("first result = %+v", first)
	}
	if got := first.Locations[0].PhysicalLocation.Region; got["startLine"] != 9 || got["startColumn"] != 3 || got["endLine"] != 9 || got["endColumn"] != 31 {
		t.Errorf("first region = %v, want 9:3-9:31", got)
	}

	inv := run.Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) != 3 {
		t.Fatalf("invocations = %+v, want one unsuccessful with 3 notifications", inv)
	}
	n := inv[0].ToolExecutionNotifications
	if n[0].Level != "error" || n[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "cfn/broken.yaml" ||
		n[0].Locations[0].PhysicalLocation.Region["startLine"] != 3 || n[0].Locations[0].PhysicalLocation.Region["startColumn"] != 5 {
		t.Errorf("notification 0 = %+v", n[0])
	}
	if n[1].Level != "note" || n[1].Locations[0].PhysicalLocation.ArtifactLocation.URI != "infra/main.tf" {
		t.Errorf("notification 1 = %+v, want the note on infra/main.tf", n[1])
	}
	if n[2].Locations[0].PhysicalLocation.Region != nil {
		t.Errorf("notification without a line has a region: %+v", n[2])
	}
}

func TestSARIFRules(t *testing.T) {
	r := &Report{Tool: Tool{Version: "dev"}, Rules: catalog()}
	r.Rules[0].Description = strings.Repeat("word ", 400) + "\n\nsecond paragraph"
	log := decodeSARIF(t, r)
	d := log.Runs[0].Tool.Driver
	if d.Name != "trustlint" || d.Version != "0.0.0-dev" || d.SemanticVersion != "0.0.0-dev" {
		t.Errorf("driver name %q version %q semanticVersion %q", d.Name, d.Version, d.SemanticVersion)
	}
	want := map[string]struct{ level, sev string }{
		"TL001": {"error", "8.0"},
		"TL003": {"error", "9.5"},
		"TL004": {"warning", "5.0"},
		"TL013": {"error", "7.0"},
	}
	for _, rule := range d.Rules {
		w := want[rule.ID]
		if rule.DefaultConfiguration.Level != w.level {
			t.Errorf("%s: level %q, want %q", rule.ID, rule.DefaultConfiguration.Level, w.level)
		}
		if got := rule.Properties["security-severity"]; got != w.sev {
			t.Errorf("%s: security-severity %#v, want %q", rule.ID, got, w.sev)
		}
		tags, _ := rule.Properties["tags"].([]any)
		if len(tags) == 0 || tags[0] != "security" && !strings.Contains(fmt.Sprint(tags), "security") {
			t.Errorf("%s: tags %v lack security", rule.ID, tags)
		}
		if n := utf8.RuneCountInString(rule.FullDescription.Text); n == 0 || n > maxDescription {
			t.Errorf("%s: fullDescription has %d characters", rule.ID, n)
		}
		if strings.ContainsAny(rule.FullDescription.Text, "`\n") || strings.Contains(rule.FullDescription.Text, "**") {
			t.Errorf("%s: fullDescription is not plain text: %q", rule.ID, rule.FullDescription.Text)
		}
		if rule.Help.Text == "" || rule.Help.Markdown == "" || !strings.Contains(rule.Help.Markdown, "## Remediation") {
			t.Errorf("%s: help %+v", rule.ID, rule.Help)
		}
	}
	if got := d.Rules[0].FullDescription.Text; got != "A trust statement lets an external AWS account, user or role assume the role without testing sts:ExternalId. "+
		"Any principal of that account can then use the role on behalf of another customer: the confused deputy problem "+
		"(https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)." {
		t.Errorf("TL001 fullDescription = %q", got)
	}
}

func TestSecuritySeverity(t *testing.T) {
	for in, want := range map[float64]string{8: "8.0", 9.5: "9.5", 3: "3.0", 7.04: "7.0", 10: "10.0", 6.96: "7.0"} {
		if got := securitySeverity(in); got != want {
			t.Errorf("securitySeverity(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestNumericVersion(t *testing.T) {
	for in, want := range map[string]string{"v1.2.3": "1.2.3", "1.2": "1.2", "dev": "0.0.0-dev", "(devel)": "0.0.0-devel", "": "0.0.0-unknown", "vNext": "0.0.0-vNext"} {
		if got := numericVersion(in); got != want {
			t.Errorf("numericVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSemanticVersion(t *testing.T) {
	for in, want := range map[string]string{"v1.2.3": "1.2.3", "1.2.3-rc.1+abc": "1.2.3-rc.1+abc", "dev": "", "(devel)": "", "1.2": ""} {
		got, ok := semanticVersion(in)
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("semanticVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSARIFNotesOnly checks that notes alone leave the run successful.
func TestSARIFNotesOnly(t *testing.T) {
	r := &Report{Diagnostics: []model.Diagnostic{{Range: model.Range{File: "a.tf", Start: model.Pos{Line: 1, Column: 1}}, Message: "unused", Level: model.DiagNote}}}
	inv := decodeSARIF(t, r).Runs[0].Invocations[0]
	if !inv.ExecutionSuccessful || inv.ToolExecutionNotifications[0].Level != "note" {
		t.Errorf("invocation = %+v, want successful with a note", inv)
	}
}

func TestSARIFOutsideWorkDir(t *testing.T) {
	wd := t.TempDir()
	outside := filepath.Join(filepath.Dir(wd), "other", "trust.json")
	r := &Report{
		Findings: []model.Finding{{RuleID: "TL003", Severity: 9.5, Message: "m", Role: "trust.json",
			Range: model.Range{File: outside}}},
		WorkDir: wd,
	}
	res := decodeSARIF(t, r).Runs[0].Results[0]
	al := res.Locations[0].PhysicalLocation.ArtifactLocation
	// Relative to %SRCROOT% with "..": GitHub rejects absolute file URIs
	// outside the checkout.
	if al.URI != "../other/trust.json" || al.URIBaseID != srcRoot {
		t.Errorf("artifactLocation = %+v, want ../other/trust.json under %%SRCROOT%%", al)
	}
	// A finding without a line still has the region GitHub requires.
	if got := res.Locations[0].PhysicalLocation.Region; got["startLine"] != 1 {
		t.Errorf("region = %v, want startLine 1", got)
	}
}

func TestSARIFNoWorkDir(t *testing.T) {
	r := &Report{Findings: []model.Finding{{RuleID: "TL003", Message: "m",
		Range: model.Range{File: filepath.Join("a", "b.tf"), Start: model.Pos{Line: 2, Column: 1}}}}}
	run := decodeSARIF(t, r).Runs[0]
	if run.OriginalURIBaseIDs != nil {
		t.Errorf("originalUriBaseIds = %v, want none without a work directory", run.OriginalURIBaseIDs)
	}
	if got := run.Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "a/b.tf" {
		t.Errorf("uri = %q", got)
	}
}

func TestResultMessage(t *testing.T) {
	tests := []struct{ msg, role, want string }{
		{"principal is *", "r1", "principal is * (role r1)."},
		{"principal is *.", "r1", "principal is * (role r1)."},
		{"role r1 trusts *", "r1", "role r1 trusts *."},
		{"line one\nline two", "", "line one line two."},
	}
	for _, tt := range tests {
		if got := resultMessage(model.Finding{Message: tt.msg, Role: tt.role}); got != tt.want {
			t.Errorf("resultMessage(%q, %q) = %q, want %q", tt.msg, tt.role, got, tt.want)
		}
	}
}

func TestRuleTags(t *testing.T) {
	tests := []struct{ in, want []string }{
		{nil, []string{"security"}},
		{[]string{"iam"}, []string{"security", "iam"}},
		{[]string{"iam", "security", "iam"}, []string{"iam", "security"}},
	}
	for _, tt := range tests {
		if got := ruleTags(tt.in); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("ruleTags(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestRoleContext: a role's extra context (a CDK construct path) is a
// second logical location in SARIF and role_context in JSON; the role's
// name stays the first logical location and the fingerprint is untouched.
func TestRoleContext(t *testing.T) {
	wd := t.TempDir()
	r := &Report{Tool: Tool{Name: "trustlint", Version: "v1.2.3"}, Rules: catalog(), WorkDir: wd}
	r.Findings = []model.Finding{{
		RuleID: "TL003", RuleName: "wildcard-principal", Severity: 9.5, Level: "critical",
		Message: "any AWS principal (*) may assume the role", Role: "DeployRoleABC12345",
		RoleContext: "PipelineStack/DeployRole/Resource", Path: "policy.Statement[0].Principal.AWS[0]",
		Range:       model.Range{File: filepath.Join(wd, "cdk.out", "PipelineStack.template.json"), Start: model.Pos{Line: 9, Column: 29}, End: model.Pos{Line: 9, Column: 32}},
		Fingerprint: "cceaaa2f97073122",
	}}
	res := decodeSARIF(t, r).Runs[0].Results[0]
	var got []string
	for _, l := range res.Locations[0].LogicalLocations {
		got = append(got, l.Kind+" "+l.FullyQualifiedName)
	}
	if want := []string{"resource DeployRoleABC12345", "resource PipelineStack/DeployRole/Resource"}; !slices.Equal(got, want) {
		t.Errorf("logicalLocations %q, want %q", got, want)
	}
	if fp := res.PartialFingerprints[FingerprintKey]; fp != "cceaaa2f97073122" {
		t.Errorf("fingerprint %q", fp)
	}
	var doc struct {
		Findings []struct {
			Role        string `json:"role"`
			RoleContext string `json:"role_context"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(render(t, "json", r), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 || doc.Findings[0].Role != "DeployRoleABC12345" || doc.Findings[0].RoleContext != "PipelineStack/DeployRole/Resource" {
		t.Errorf("JSON findings %+v", doc.Findings)
	}
}

// TestPrepareRules checks that rule texts rendered ahead of time (while a
// scan runs) give the same SARIF as texts rendered by Write.
func TestPrepareRules(t *testing.T) {
	wd := t.TempDir()
	rep := fullReport(wd)
	rep.Rules[0].Description = "A description *no other test* uses, with `code`."
	want := render(t, "sarif", rep)
	if _, ok := ruleTexts.Load(rep.Rules[0].Description); ok {
		t.Fatal("Write kept a rule text it was not asked to prepare")
	}
	PrepareRules(rep.Rules)
	if s, ok := ruleTexts.Load(rep.Rules[0].Description); !ok || s != "A description no other test uses, with code." {
		t.Fatalf("prepared text %q, %v", s, ok)
	}
	if got := render(t, "sarif", rep); !bytes.Equal(got, want) {
		t.Errorf("SARIF with prepared rule texts differs:\n%s\nwant\n%s", got, want)
	}
}

// TestRoleScope: a role in a called Terraform module, or in a later JSON
// document of its file, keeps its name as the first logical location's
// fullyQualifiedName and carries its root module or document as a property
// of it; JSON has root_module or document, and the text and SARIF messages
// name them beside the role.
func TestRoleScope(t *testing.T) {
	tests := []struct {
		name       string
		rootModule string
		document   int
		property   any // of the logical location
		label      string
	}{
		{"root module", "environments/production", 0, "environments/production", "module.vendor.aws_iam_role.this[0] in root module environments/production"},
		{"document", "", 2, float64(2), "module.vendor.aws_iam_role.this[0] in document 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wd := t.TempDir()
			r := &Report{Tool: Tool{Name: "trustlint", Version: "v1.2.3"}, Rules: catalog(), WorkDir: wd}
			r.Findings = []model.Finding{{
				RuleID: "TL004", RuleName: "excessive-session-duration", Severity: 5, Level: "medium",
				Message: "MaxSessionDuration 14400 seconds is above the 3600-second limit", Role: "module.vendor.aws_iam_role.this[0]",
				RootModule: tt.rootModule, Document: tt.document, Path: "role.MaxSessionDuration",
				Range:       model.Range{File: filepath.Join(wd, "modules", "vendor-role", "main.tf"), Start: model.Pos{Line: 26, Column: 26}, End: model.Pos{Line: 26, Column: 52}},
				Fingerprint: "33451f360356d3f5",
			}}
			var log struct {
				Runs []struct {
					Results []struct {
						Message   struct{ Text string } `json:"message"`
						Locations []struct {
							LogicalLocations []struct {
								FullyQualifiedName string         `json:"fullyQualifiedName"`
								Properties         map[string]any `json:"properties"`
							} `json:"logicalLocations"`
						} `json:"locations"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(render(t, "sarif", r), &log); err != nil {
				t.Fatal(err)
			}
			res := log.Runs[0].Results[0]
			ll := res.Locations[0].LogicalLocations
			var props []any
			for _, v := range ll[0].Properties {
				props = append(props, v)
			}
			if len(ll) != 1 || ll[0].FullyQualifiedName != "module.vendor.aws_iam_role.this[0]" || len(props) != 1 || props[0] != tt.property {
				t.Errorf("logicalLocations %+v", ll)
			}
			if want := "MaxSessionDuration 14400 seconds is above the 3600-second limit (role " + tt.label + ")."; res.Message.Text != want {
				t.Errorf("message %q, want %q", res.Message.Text, want)
			}
			var doc struct {
				Findings []struct {
					RootModule string `json:"root_module"`
					Document   int    `json:"document"`
				} `json:"findings"`
			}
			if err := json.Unmarshal(render(t, "json", r), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Findings) != 1 || doc.Findings[0].RootModule != tt.rootModule || doc.Findings[0].Document != tt.document {
				t.Errorf("JSON findings %+v", doc.Findings)
			}
			if text := string(render(t, "text", r)); !strings.Contains(text, "("+tt.label+")") {
				t.Errorf("text output does not name %q:\n%s", tt.label, text)
			}
		})
	}
}
