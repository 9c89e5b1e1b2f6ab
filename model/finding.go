package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity bands, from SARIF security-severity scores as GitHub reads them.
const (
	LevelCritical = "critical" // >= 9.0
	LevelHigh     = "high"     // >= 7.0
	LevelMedium   = "medium"   // >= 4.0
	LevelLow      = "low"      // > 0
)

// Levels lists the severity bands from lowest to highest.
var Levels = []string{LevelLow, LevelMedium, LevelHigh, LevelCritical}

// SeverityLevel returns the band of a security-severity score.
func SeverityLevel(score float64) string {
	switch {
	case score >= 9:
		return LevelCritical
	case score >= 7:
		return LevelHigh
	case score >= 4:
		return LevelMedium
	default:
		return LevelLow
	}
}

// LevelRank orders severity bands: low 1 .. critical 4; 0 for anything else.
func LevelRank(level string) int {
	for i, l := range Levels {
		if l == level {
			return i + 1
		}
	}
	return 0
}

// RuleMeta describes a rule. It comes from the rule's Rego METADATA and is
// the single source of rule documentation for every output.
type RuleMeta struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Title       string   `json:"title"`
	Description string   `json:"description"` // markdown
	Remediation string   `json:"remediation"` // markdown
	Severity    float64  `json:"severity"`    // SARIF security-severity
	Precision   string   `json:"precision,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	HelpURI     string   `json:"help_uri,omitempty"`
	// References are the rule's related_resources, in order: further
	// reading (AWS documentation). HelpURI is the first one's URL.
	References []Reference `json:"references,omitempty"`
	// Examples are a reported and a fixed input per format
	// (custom.examples), for the documentation and its tests.
	Examples []RuleExample `json:"-"`
	// Source is the Rego file the rule was loaded from.
	Source string `json:"-"`
	// Builtin is set for the rules trustlint embeds, which have a
	// documentation page; the user's own rules have none.
	Builtin bool `json:"-"`
}

// Reference is further reading about a rule.
type Reference struct {
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
}

// RuleExample is a bad and a fixed input of a rule in one format.
type RuleExample struct {
	// Format is the key under custom.examples: "json", "terraform" or
	// "cloudformation" (ExampleFormats).
	Format string
	// Bad is reported by the rule; Good is the same input fixed, reported
	// by no rule. Both end with one newline.
	Bad, Good string
}

// ExampleFormats are the formats a rule's examples are written in, in the
// order documentation shows them. Every built-in rule has an example in
// each.
var ExampleFormats = []string{"json", "terraform", "cloudformation"}

// Level is the severity band of the rule.
func (m RuleMeta) Level() string { return SeverityLevel(m.Severity) }

// Is reports whether idOrName names the rule: its ID or its name, in any
// case ("TL001", "tl001", "missing-external-id"). Every place a user names
// a rule (flags, configuration, suppressions, explain) accepts both.
func (m RuleMeta) Is(idOrName string) bool {
	return strings.EqualFold(m.ID, idOrName) || strings.EqualFold(m.Name, idOrName)
}

// FindRule returns the rule of catalog that idOrName names (see
// RuleMeta.Is).
func FindRule(catalog []RuleMeta, idOrName string) (RuleMeta, bool) {
	for _, m := range catalog {
		if m.Is(idOrName) {
			return m, true
		}
	}
	return RuleMeta{}, false
}

// Finding is one problem found in one role's trust policy.
type Finding struct {
	RuleID   string  `json:"rule_id"`
	RuleName string  `json:"rule_name"`
	Severity float64 `json:"severity"`
	Level    string  `json:"level"`
	Message  string  `json:"message"`
	// Role names the role (Terraform address, CloudFormation logical ID,
	// role name, or file name for a bare policy).
	Role string `json:"role"`
	// RoleContext is the role's extra context (Role.Context), such as its
	// CDK construct path; empty when the input has none.
	RoleContext string `json:"role_context,omitempty"`
	// RootModule is the role's Role.RootModule: the Terraform root module
	// whose module calls reached the role, when it is in a called module.
	RootModule string `json:"root_module,omitempty"`
	// Document is the role's Role.Document: the ordinal of its JSON
	// document, from 2, in a file of several.
	Document int `json:"document,omitempty"`
	// Path is the canonical path of the element at fault in the rule input.
	Path  string `json:"path"`
	Range Range  `json:"range"`
	// Fingerprint identifies the finding independently of its line: rule,
	// file, role and path, and the root module for a role in a called
	// module or the document of a role in a later JSON document of its
	// file. It is stable when unrelated lines move.
	Fingerprint string `json:"fingerprint"`
	// Suppressed is set when an inline comment or the configuration
	// suppresses the finding; reports leave such findings out unless asked.
	Suppressed *Suppression `json:"suppressed,omitempty"`
	// Properties are facts a rule adds for machine-readable reports, such as
	// "vendor" for a known third-party account.
	Properties map[string]string `json:"properties,omitempty"`
}

// Suppression kinds, as SARIF names them.
const (
	SuppressionInSource = "inSource" // a trustlint:ignore comment
	SuppressionExternal = "external" // the configuration's ignore list
)

// Suppression says why a finding is not reported.
type Suppression struct {
	// Kind is SuppressionInSource or SuppressionExternal.
	Kind string `json:"kind"`
	// Justification is the reason the user gave.
	Justification string `json:"justification"`
	// Range is where the suppression is written (the comment, or the
	// configuration entry).
	Range Range `json:"range"`
}

// Ref returns the RoleRef of the finding's role.
func (f Finding) Ref() RoleRef { return RoleRef{f.Role, f.RootModule, f.Document} }

// String renders the finding the way compilers do.
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s %s %s (%s)", f.Range, f.Level, f.RuleID, f.Message, f.Role)
}

// Diagnostic levels. Errors are inputs that could not be read or parsed
// (exit status 2); notes are advice that changes nothing (an unused
// suppression).
const (
	DiagError = "error"
	DiagNote  = "note"
)

// Diagnostic is an input that could not be read or parsed, or a note about
// one. Range names the file and, where known, the line and column.
type Diagnostic struct {
	Range   Range  `json:"range"`
	Message string `json:"message"`
	// Level is DiagError ("" means error too) or DiagNote.
	Level string `json:"level,omitempty"`
	// Omitted, when not 0, makes this the diagnostic that stands for that
	// many diagnostics of its file left out of the report (see
	// CapDiagnostics); its Range is the first of them.
	Omitted int `json:"-"`
}

// IsError reports whether the diagnostic is an error (not a note).
func (d Diagnostic) IsError() bool { return d.Level == "" || d.Level == DiagError }

// Error renders the diagnostic as file:line:col: message.
func (d Diagnostic) Error() string {
	if d.Range.Start.Line == 0 {
		return fmt.Sprintf("%s: %s", d.Range.File, d.Message)
	}
	return fmt.Sprintf("%s: %s", d.Range, d.Message)
}

// SortFindings orders findings by file, start line, start column, rule ID,
// message and role, then by the remaining fields so that the order is
// total. It sorts in place. Every output lists findings in this order.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, compareFindings)
}

func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Range.File, b.Range.File),
		cmp.Compare(a.Range.Start.Line, b.Range.Start.Line),
		cmp.Compare(a.Range.Start.Column, b.Range.Start.Column),
		cmp.Compare(a.RuleID, b.RuleID),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(a.Role, b.Role),
		cmp.Compare(a.RootModule, b.RootModule),
		cmp.Compare(a.Document, b.Document),
		cmp.Compare(a.Range.End.Line, b.Range.End.Line),
		cmp.Compare(a.Range.End.Column, b.Range.End.Column),
		cmp.Compare(a.Path, b.Path),
		cmp.Compare(a.Fingerprint, b.Fingerprint),
	)
}

// SortDiagnostics orders diagnostics by file, start line, start column and
// message (a diagnostic that stands for omitted ones after the others at
// its place), then level and end, so that the order does not depend on
// the order of the input (the files are parsed in parallel). It sorts in
// place.
func SortDiagnostics(ds []Diagnostic) {
	slices.SortStableFunc(ds, compareDiagnostics)
}

func compareDiagnostics(a, b Diagnostic) int {
	return cmp.Or(
		cmp.Compare(a.Range.File, b.Range.File),
		cmp.Compare(a.Range.Start.Line, b.Range.Start.Line),
		cmp.Compare(a.Range.Start.Column, b.Range.Start.Column),
		cmp.Compare(min(a.Omitted, 1), min(b.Omitted, 1)),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(a.Level, b.Level),
		cmp.Compare(a.Range.End.Line, b.Range.End.Line),
		cmp.Compare(a.Range.End.Column, b.Range.End.Column),
	)
}

// Stats counts the work a run did.
type Stats struct {
	// FilesScanned is the number of input files that were read and analyzed.
	FilesScanned int
	// FilesSkipped is the number of files that were found but not analyzed
	// (not a recognized input format, excluded by configuration).
	FilesSkipped int
	// RolesAnalyzed is the number of roles whose trust policy was analyzed.
	RolesAnalyzed int
	// Suppressed counts findings suppressed by a trustlint:ignore comment or
	// the configuration (whether or not Findings includes them).
	Suppressed int
	// Baselined counts findings left out because the baseline has them.
	Baselined int
}
