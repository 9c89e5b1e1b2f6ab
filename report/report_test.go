package report

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

var update = flag.Bool("update", false, "update golden files")

// workDirPlaceholder replaces the file:// URI of the test's work directory in
// goldens.
const workDirPlaceholder = "file:///WORKDIR/"

// catalog is a small rule catalog with markdown documentation.
func catalog() []model.RuleMeta {
	return []model.RuleMeta{
		{
			ID:    "TL004",
			Name:  "excessive-session-duration",
			Title: "role session lasts longer than allowed",
			Description: "The role's `MaxSessionDuration` is above the configured maximum " +
				"(`max_session_duration`, default **3600** seconds).\n\n" +
				"Long sessions keep stolen credentials useful for longer.",
			Remediation: "Lower `MaxSessionDuration` to 3600 or raise `max_session_duration` " +
				"in `.trustlint.yaml` if the longer session is intended.",
			Severity:  5.0,
			Precision: "very-high",
			Tags:      []string{"iam", "trust-policy"},
		},
		{
			ID:    "TL001",
			Name:  "missing-external-id",
			Title: "external account trusted without an ExternalId",
			Description: "A trust statement lets an **external** AWS account, user or role " +
				"assume the role without testing `sts:ExternalId`.\n" +
				"Any principal of that account can then use the role on behalf of another " +
				"customer: the [confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).\n\n" +
				"If the account is yours, list it in `trusted_accounts`.",
			Remediation: "Add a condition:\n\n" +
				"```json\n\"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"<secret>\"}}\n```\n\n" +
				"- generate the ID per customer\n- never reuse it",
			Severity:  8.0,
			Precision: "high",
			Tags:      []string{"security", "iam", "trust-policy"},
			HelpURI:   "https://trustlint.dev/rules/TL001",
			References: []model.Reference{
				{Description: "How to use an external ID [IAM]", URL: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html"},
				{URL: "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"},
			},
		},
		{
			ID:    "TL013",
			Name:  "invalid-trust-policy",
			Title: "document is not a valid trust policy",
			Description: "IAM would reject this trust policy: _one finding per faulty element_ " +
				"(a `Resource` element, an unknown condition operator, `arn:aws:iam::*:root`).",
			Remediation: "Fix the element; see the [IAM JSON policy reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html).",
			Severity:    7.0,
			Precision:   "very-high",
			Tags:        []string{"iam", "correctness"},
		},
		{
			ID:    "TL003",
			Name:  "wildcard-principal",
			Title: "anyone can assume the role",
			Description: "A trust statement allows `\"Principal\": \"*\"` without a condition that pins " +
				"the caller's organization, account or ARN.\n\nAn `sts:ExternalId` never pins: it is not a secret.",
			Remediation: "Name the principals, or add `aws:PrincipalOrgID` / `aws:PrincipalAccount`.",
			Severity:    9.5,
			Precision:   "high",
			Tags:        []string{"security"},
			HelpURI:     "https://trustlint.dev/rules/TL003",
		},
	}
}

// fullReport is a hand-made report: findings in two files (one given
// relative to wd), a finding after non-ASCII text, and two diagnostics.
func fullReport(wd string) *Report {
	mainTF := filepath.Join(wd, "infra", "main.tf")
	trust := filepath.Join("policies", "trust.json") // relative to WorkDir
	rng := func(file string, l1, c1, l2, c2 int) model.Range {
		return model.Range{File: file, Start: model.Pos{Line: l1, Column: c1}, End: model.Pos{Line: l2, Column: c2}}
	}
	return &Report{
		Tool:  Tool{Name: "trustlint", Version: "v1.2.3", InformationURI: "https://github.com/trustlint/trustlint"},
		Rules: catalog(),
		Findings: []model.Finding{
			{
				RuleID: "TL004", RuleName: "excessive-session-duration", Severity: 5, Level: "medium",
				Message:     "MaxSessionDuration 43200 is above the maximum of 3600 seconds",
				Role:        "aws_iam_role.partner",
				Path:        "role.MaxSessionDuration",
				Range:       rng(mainTF, 9, 3, 9, 31),
				Fingerprint: "4d1c7c0a5b7e3f21",
			},
			{
				RuleID: "TL003", RuleName: "wildcard-principal", Severity: 9.5, Level: "critical",
				Message:     `statement "Zugriff für Partner – Größe" trusts any principal ("*") & has no pinning <condition>`,
				Role:        "trust.json",
				Path:        "policy.Statement[0].Principal.AWS[0]",
				Range:       rng(trust, 6, 46, 6, 49),
				Fingerprint: "9f0e1d2c3b4a5968",
			},
			{
				RuleID: "TL001", RuleName: "missing-external-id", Severity: 8, Level: "high",
				Message:     "account 222222222222 is external and the statement has no sts:ExternalId condition",
				Role:        "aws_iam_role.partner",
				Path:        "policy.Statement[0].Principal.AWS[0]",
				Range:       rng(mainTF, 16, 11, 16, 43),
				Fingerprint: "0a1b2c3d4e5f6071",
			},
			{
				RuleID: "TL001", RuleName: "missing-external-id", Severity: 8, Level: "high",
				Message:     "account 222222222222 is external and the statement has no sts:ExternalId condition",
				Role:        "aws_iam_role.audit",
				Path:        "policy.Statement[0].Principal.AWS[0]",
				Range:       rng(mainTF, 16, 11, 16, 43),
				Fingerprint: "1b2c3d4e5f607182",
			},
			{
				RuleID: "TL013", RuleName: "invalid-trust-policy", Severity: 7, Level: "high",
				Message:     "Resource is not allowed in a trust policy.",
				Role:        "trust.json",
				Path:        "policy.Statement[1].Resource",
				Range:       rng(filepath.Join(wd, trust), 12, 7, 12, 17),
				Fingerprint: "2c3d4e5f60718293",
			},
		},
		Diagnostics: []model.Diagnostic{
			{Range: model.Range{File: filepath.Join(wd, "unreadable.tf")}, Message: "open unreadable.tf: permission denied"},
			{Range: rng(filepath.Join(wd, "cfn", "broken.yaml"), 3, 5, 3, 5), Message: "yaml: mapping values are not allowed in this context"},
			{Range: rng(mainTF, 1, 1, 1, 34), Message: "trustlint:ignore TL002 matches no finding", Level: model.DiagNote},
		},
		Stats:    model.Stats{FilesScanned: 4, FilesSkipped: 1, RolesAnalyzed: 3},
		WorkDir:  wd,
		RuleDocs: ruleDocs,
		Sources: sources(wd, map[string]string{
			"infra/main.tf":       mainTFSource,
			"policies/trust.json": trustJSONSource,
			"cfn/broken.yaml":     "Resources:\n  Role:\n    Type: AWS::IAM::Role: x\n",
		}),
	}
}

// ruleDocs documents the rules of catalog() but TL013.
func ruleDocs(id string) string {
	if id == "TL013" || id == "TL099" {
		return ""
	}
	return "https://example.com/docs/rules/" + id + ".md"
}

// sources serves files by their path relative to wd, given relative or
// absolute, as the CLI does for the files it scanned.
func sources(wd string, files map[string]string) func(string) ([]byte, bool) {
	return func(file string) ([]byte, bool) {
		if filepath.IsAbs(file) {
			rel, err := filepath.Rel(wd, file)
			if err != nil {
				return nil, false
			}
			file = rel
		}
		src, ok := files[filepath.ToSlash(file)]
		return []byte(src), ok
	}
}

// mainTFSource is infra/main.tf of fullReport: the findings point at line 9
// (3-31) and line 16 (11-43, after a tab).
const mainTFSource = `resource "aws_iam_role" "partner" {
  name = "partner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
    }]
  })
  max_session_duration = 43200
}

locals {
  principals = {
    AWS = [
          "arn:aws:iam::111111111111:root",
` + "\t         " + `"arn:aws:iam::222222222222:root",
    ]
  }
}
`

// trustJSONSource is policies/trust.json of fullReport: "*" at 6:46 after
// non-ASCII text, and a Resource key at 12:7 on a CRLF line.
const trustJSONSource = "{\n" +
	"  \"Version\": \"2012-10-17\",\n" +
	"  \"Statement\": [\n" +
	"    {\n" +
	"      \"Effect\": \"Allow\",\n" +
	"        \"Sid\": \"Größe\", \"Principal\": {\"AWS\": \"*\"},\n" +
	"      \"Action\": \"sts:AssumeRole\"\n" +
	"    },\n" +
	"    {\n" +
	"      \"Effect\": \"Allow\",\n" +
	"      \"Principal\": {\"Service\": \"ec2.amazonaws.com\"},\r\n" +
	"      \"Resource\": \"*\"\r\n" +
	"    }\n" +
	"  ]\n" +
	"}\n"

// emptyReport is a clean run with the catalog and nothing to report.
func emptyReport(wd string) *Report {
	return &Report{
		Tool:    Tool{Version: "1.2.3"},
		Rules:   catalog(),
		Stats:   model.Stats{FilesScanned: 3, RolesAnalyzed: 12},
		WorkDir: wd,
	}
}

// render writes r in format, validating SARIF against the schema.
func render(t *testing.T, format string, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, r); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	if format == "sarif" {
		validateSARIF(t, buf.Bytes())
	}
	return buf.Bytes()
}

// normalize replaces the work directory's URI with a placeholder.
func normalize(out []byte, wd string) []byte {
	return bytes.ReplaceAll(out, []byte(fileURI(wd)+"/"), []byte(workDirPlaceholder))
}

func TestGolden(t *testing.T) {
	wd := t.TempDir()
	colored := fullReport(wd)
	colored.Color = true
	quiet := fullReport(wd)
	quiet.Quiet = true
	noSources := fullReport(wd)
	noSources.Sources = nil
	cases := map[string]*Report{
		"full":       fullReport(wd),
		"empty":      emptyReport(wd),
		"color":      colored,
		"quiet":      quiet,
		"no-sources": noSources,
		"suppressed": suppressedReport(wd),
	}
	// Presentation options only matter to the formats for people.
	only := map[string][]string{"color": {"text"}, "quiet": {"text", "github"}, "no-sources": {"text"}, "suppressed": {"text", "json", "sarif"}}
	for _, format := range Formats() {
		for name, r := range cases {
			if fs, ok := only[name]; ok && !slices.Contains(fs, format) {
				continue
			}
			t.Run(format+"/"+name, func(t *testing.T) {
				got := normalize(render(t, format, r), wd)
				golden := filepath.Join("testdata", format, name+".golden")
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./report -update)", err)
				}
				want = bytes.ReplaceAll(want, []byte("\r\n"), []byte("\n"))
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from golden (run go test ./report -update to accept)\ngot:\n%s\nwant:\n%s", golden, got, want)
				}
			})
		}
	}
}

// TestSARIFGoldensValid validates the SARIF goldens as stored, so that a
// golden accepted with -update is checked too.
func TestSARIFGoldensValid(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "sarif", "*.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no SARIF goldens")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(f), func(t *testing.T) { validateSARIF(t, b) })
	}
}

func TestFormats(t *testing.T) {
	want := []string{"csv", "github", "html", "json", "sarif", "text"}
	if got := Formats(); !slices.Equal(got, want) {
		t.Errorf("Formats() = %v, want %v", got, want)
	}
}

func TestWriteErrors(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, "xml", &Report{})
	if err == nil || !strings.Contains(err.Error(), `unknown report format "xml"`) {
		t.Errorf("Write(xml) error = %v, want unknown report format", err)
	}
	if err := Write(&buf, "json", nil); err == nil {
		t.Error("Write(json, nil) succeeded, want an error")
	}
	if buf.Len() != 0 {
		t.Errorf("failed writes produced output %q", buf.String())
	}
}

// TestDeterministic checks that input order does not change any output.
func TestDeterministic(t *testing.T) {
	wd := t.TempDir()
	a := fullReport(wd)
	b := fullReport(wd)
	slices.Reverse(b.Findings)
	slices.Reverse(b.Diagnostics)
	slices.Reverse(b.Rules)
	for _, format := range Formats() {
		if ga, gb := render(t, format, a), render(t, format, b); !bytes.Equal(ga, gb) {
			t.Errorf("%s output depends on input order:\n%s\n---\n%s", format, ga, gb)
		}
	}
	// Write must not reorder the caller's slices.
	if b.Findings[0].RuleID != "TL013" || b.Rules[0].ID != "TL003" {
		t.Error("Write modified the report")
	}
}

func TestDisplayPaths(t *testing.T) {
	wd := t.TempDir()
	outside := filepath.Join(filepath.Dir(wd), "elsewhere", "x.json")
	tests := []struct {
		file    string
		display string
		uri     string
		baseID  string
	}{
		{filepath.Join(wd, "infra", "main.tf"), "infra/main.tf", "infra/main.tf", srcRoot},
		{filepath.Join("infra", "main.tf"), "infra/main.tf", "infra/main.tf", srcRoot},
		{filepath.Join(wd, "a", "..", "b.tf"), "b.tf", "b.tf", srcRoot},
		{filepath.Join(wd, "my roles", "trüst.json"), "my roles/trüst.json", "my%20roles/tr%C3%BCst.json", srcRoot},
		{filepath.Join(wd, "a:b.json"), "a:b.json", "./a:b.json", srcRoot},
		{outside, filepath.ToSlash(outside), "../elsewhere/x.json", srcRoot},
		{filepath.Join("..", "up.tf"), filepath.ToSlash(filepath.Join(filepath.Dir(wd), "up.tf")), "../up.tf", srcRoot},
	}
	for _, tt := range tests {
		v, err := newView(&Report{WorkDir: wd})
		if err != nil {
			t.Fatal(err)
		}
		got := v.display(wd, tt.file)
		if got != tt.display {
			t.Errorf("display(%q) = %q, want %q", tt.file, got, tt.display)
		}
		if a := v.locs[got]; a.uri != tt.uri || a.uriBaseID != tt.baseID {
			t.Errorf("artifact of %q = %+v, want uri %q base %q", tt.file, a, tt.uri, tt.baseID)
		}
		if strings.Contains(got, `\`) || strings.Contains(v.locs[got].uri, `\`) {
			t.Errorf("%q: backslash in %q / %q", tt.file, got, v.locs[got].uri)
		}
	}
}

func TestFileURI(t *testing.T) {
	if got := fileURI("/home/ci/my repo"); got != "file:///home/ci/my%20repo" {
		t.Errorf("fileURI = %q", got)
	}
	if got := fileURI(`C:/work/repo`); got != "file:///C:/work/repo" {
		t.Errorf("fileURI(windows) = %q", got)
	}
}

// countingWriter counts the writes it gets and their bytes.
type countingWriter struct{ writes, bytes int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	w.bytes += len(p)
	return len(p), nil
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestWriteBuffered checks that every format reaches its writer in few
// large writes, never one per finding (a system call each on a file or a
// pipe), and that a failed write is an error.
func TestWriteBuffered(t *testing.T) {
	wd := t.TempDir()
	rep := fullReport(wd)
	one := rep.Findings[0]
	for i := range 3000 {
		f := one
		f.Role = fmt.Sprintf("aws_iam_role.r%04d", i)
		f.Fingerprint = fmt.Sprintf("%016x", i)
		rep.Findings = append(rep.Findings, f)
	}
	for _, format := range Formats() {
		var w countingWriter
		if err := Write(&w, format, rep); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if most := w.bytes/writeBuffer + 3; w.writes > most || w.bytes < 100_000 {
			t.Errorf("%s: %d bytes in %d writes, want at least 100000 bytes in at most %d writes", format, w.bytes, w.writes, most)
		}
		if err := Write(failingWriter{}, format, rep); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: writing to a full disk: error %v", format, err)
		}
	}
}
