package report

import (
	"bufio"
	"strconv"

	"github.com/trustlint/trustlint/audit"
	"github.com/trustlint/trustlint/model"
)

func init() { formats["json"] = writeJSON }

// JSONSchemaVersion is the version of the JSON output schema documented in
// docs/json-output.md. It changes only when a field is removed, renamed or
// changes meaning; adding a field keeps the version.
const JSONSchemaVersion = 1

// The types below are the JSON output schema. Field order is output order.
// Slices are never nil, so that arrays are printed as [] and never as null.

type jsonReport struct {
	SchemaVersion int           `json:"schema_version"`
	Tool          jsonTool      `json:"tool"`
	Findings      []jsonFinding `json:"findings"`
	Errors        []jsonError   `json:"errors"`
	Summary       jsonSummary   `json:"summary"`
	// Roles is who can assume each role (the audit), when it was computed.
	Roles []*audit.Role `json:"roles,omitempty"`
}

type jsonTool struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	InformationURI string `json:"information_uri"`
}

type jsonFinding struct {
	RuleID   string `json:"rule_id"`
	RuleName string `json:"rule_name"`
	Level    string `json:"level"`
	Severity score  `json:"severity"`
	Message  string `json:"message"`
	Role     string `json:"role"`
	// RoleContext is extra context about the role beside its name, such as
	// its CDK construct path; left out when the input has none.
	RoleContext string `json:"role_context,omitempty"`
	// RootModule is the Terraform root module whose module calls reached
	// the role, for a role in a called module; left out otherwise.
	RootModule string `json:"root_module,omitempty"`
	// Document is the ordinal of the role's JSON document in a file of
	// several, from 2; left out otherwise.
	Document    int          `json:"document,omitempty"`
	Path        string       `json:"path"`
	Location    jsonLocation `json:"location"`
	Fingerprint string       `json:"fingerprint"`
	// Principal, Account and Vendor describe the principal the finding is
	// about (the element, or the only principal of its statement), RoleARN
	// the role; each is left out when unknown.
	Principal string `json:"principal,omitempty"`
	Account   string `json:"account,omitempty"`
	Vendor    string `json:"vendor,omitempty"`
	RoleARN   string `json:"role_arn,omitempty"`
	// Suppressed is present only for suppressed findings (--show-suppressed).
	Suppressed *jsonSuppression `json:"suppressed,omitempty"`
	// Properties are facts the rule adds, such as "vendor".
	Properties map[string]string `json:"properties,omitempty"`
}

type jsonSuppression struct {
	Kind          string       `json:"kind"`
	Justification string       `json:"justification"`
	Location      jsonLocation `json:"location"`
}

type jsonLocation struct {
	File        string `json:"file"`
	StartLine   int    `json:"start_line"`
	StartColumn int    `json:"start_column"`
	EndLine     int    `json:"end_line"`
	EndColumn   int    `json:"end_column"`
}

type jsonError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
	Level   string `json:"level"`
}

type jsonSummary struct {
	Findings     int            `json:"findings"`
	Errors       int            `json:"errors"`
	Notes        int            `json:"notes"`
	ByLevel      levelCounts    `json:"by_level"`
	ByRule       map[string]int `json:"by_rule"`
	FilesScanned int            `json:"files_scanned"`
	FilesSkipped int            `json:"files_skipped"`
	Roles        int            `json:"roles"`
	Suppressed   int            `json:"suppressed"`
	Baselined    int            `json:"baselined"`
}

// score is a security-severity score, printed with one decimal (8.0, 9.5)
// as in the rule catalog and in SARIF.
type score float64

// MarshalJSON prints the score as a JSON number with one decimal.
func (s score) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(s), 'f', 1, 64), nil
}

func writeJSON(buf *bufio.Writer, v *view) error {
	errs, notes := v.countDiagnostics()
	out := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool: jsonTool{
			Name:           v.tool.Name,
			Version:        v.tool.Version,
			InformationURI: v.tool.InformationURI,
		},
		Findings: make([]jsonFinding, 0, len(v.findings)),
		Errors:   make([]jsonError, 0, len(v.diagnostics)),
		Summary: jsonSummary{
			Findings:     len(v.findings),
			Errors:       errs,
			Notes:        notes,
			ByLevel:      v.levelCounts(),
			ByRule:       v.ruleCounts(),
			FilesScanned: v.stats.FilesScanned,
			FilesSkipped: v.stats.FilesSkipped,
			Roles:        v.stats.RolesAnalyzed,
			Suppressed:   v.stats.Suppressed,
			Baselined:    v.stats.Baselined,
		},
	}
	if v.audit != nil {
		out.Roles = make([]*audit.Role, len(v.audit.Roles))
		for i, r := range v.audit.Roles {
			c := *r
			c.File = v.display(v.wd, c.File)
			out.Roles[i] = &c
		}
	}
	for _, f := range v.findings {
		info := v.findingInfo(f)
		out.Findings = append(out.Findings, jsonFinding{
			Principal:   info.Principal,
			Account:     info.Account,
			Vendor:      info.Vendor,
			RoleARN:     info.RoleARN,
			RuleID:      f.RuleID,
			RuleName:    f.RuleName,
			Level:       band(f),
			Severity:    score(f.Severity),
			Message:     f.Message,
			Role:        f.Role,
			RoleContext: f.RoleContext,
			RootModule:  f.RootModule,
			Document:    f.Document,
			Path:        f.Path,
			Location:    newJSONLocation(f.Range),
			Fingerprint: f.Fingerprint,
			Suppressed:  newJSONSuppression(f.Suppressed),
			Properties:  f.Properties,
		})
	}
	for _, d := range v.diagnostics {
		out.Errors = append(out.Errors, jsonError{
			File:    d.Range.File,
			Line:    d.Range.Start.Line,
			Column:  d.Range.Start.Column,
			Message: d.Message,
			Level:   diagLevel(d),
		})
	}
	return writeIndented(buf, out)
}

func newJSONLocation(r model.Range) jsonLocation {
	return jsonLocation{
		File:        r.File,
		StartLine:   r.Start.Line,
		StartColumn: r.Start.Column,
		EndLine:     r.End.Line,
		EndColumn:   r.End.Column,
	}
}

func newJSONSuppression(s *model.Suppression) *jsonSuppression {
	if s == nil {
		return nil
	}
	return &jsonSuppression{Kind: s.Kind, Justification: s.Justification, Location: newJSONLocation(s.Range)}
}

// findingInfo returns what the audit knows about a finding's principal and
// role; nothing without an audit.
func (v *view) findingInfo(f model.Finding) audit.FindingInfo {
	var info audit.FindingInfo
	if v.audit != nil {
		g := f
		g.Range.File = v.original[f.Range.File]
		info = v.audit.Info(g)
	}
	if info.Vendor == "" {
		info.Vendor = f.Properties["vendor"]
	}
	return info
}
