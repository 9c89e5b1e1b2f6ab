package model

import "fmt"

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
	// Source is the Rego file the rule was loaded from.
	Source string `json:"-"`
}

// Level is the severity band of the rule.
func (m RuleMeta) Level() string { return SeverityLevel(m.Severity) }

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
	// Path is the canonical path of the element at fault in the rule input.
	Path  string `json:"path"`
	Range Range  `json:"range"`
	// Fingerprint identifies the finding independently of its line: rule,
	// file, role and path. It is stable when unrelated lines move.
	Fingerprint string `json:"fingerprint"`
}

// String renders the finding the way compilers do.
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s %s %s (%s)", f.Range, f.Level, f.RuleID, f.Message, f.Role)
}

// Diagnostic is an input that could not be read or parsed. Range names the
// file and, where known, the line and column of the problem.
type Diagnostic struct {
	Range   Range  `json:"range"`
	Message string `json:"message"`
}

// Error renders the diagnostic as file:line:col: message.
func (d Diagnostic) Error() string {
	if d.Range.Start.Line == 0 {
		return fmt.Sprintf("%s: %s", d.Range.File, d.Message)
	}
	return fmt.Sprintf("%s: %s", d.Range, d.Message)
}
