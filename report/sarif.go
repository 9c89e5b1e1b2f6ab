package report

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/trustlint/trustlint/internal/par"
	"github.com/trustlint/trustlint/model"
)

func init() { formats["sarif"] = writeSARIF }

const (
	// SARIFSchemaURI is the $schema of SARIF output: the OASIS SARIF 2.1.0
	// schema (errata 01).
	SARIFSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// FingerprintKey is the partialFingerprints key under which SARIF
	// results carry Finding.Fingerprint. The suffix is bumped if the
	// fingerprint recipe ever changes.
	FingerprintKey = "trustlint/v1"
	// rootModuleProperty is the property of a result's role logical
	// location that names the Terraform root module of a role in a called
	// module (model.Finding.RootModule).
	rootModuleProperty = "rootModule"
	// documentProperty is the property of a result's role logical
	// location that gives the ordinal of the role's JSON document in a
	// file of several (model.Finding.Document).
	documentProperty = "document"
	// maxDescription is GitHub's limit for shortDescription and
	// fullDescription text.
	maxDescription = 1024
	// maxTags is GitHub's limit of tags per rule.
	maxTags = 20
)

// writeSARIF renders the report as one SARIF 2.1.0 run, shaped for GitHub
// code scanning:
//
//   - tool.driver describes trustlint and every rule of the catalog, sorted
//     by ID, whether it fired or not;
//   - each finding is a result located relative to %SRCROOT% (the work
//     directory), with the role as its logical location and
//     Finding.Fingerprint as a partial fingerprint;
//   - diagnostics are error (or note) notifications of invocations[0].
//
// go-sarif v2 serializes some unset fields as null, which the schema
// rejects; this writer sets every such field it uses (Invocation's
// executionSuccessful, Notification's message, ReportingDescriptor's
// shortDescription) and never emits suppressions.
func writeSARIF(buf *bufio.Writer, v *view) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	log.Schema = SARIFSchemaURI

	driver := sarif.NewDriver(v.tool.Name)
	ver := numericVersion(v.tool.Version)
	driver.WithVersion(ver)
	if sv, ok := semanticVersion(ver); ok {
		driver.WithSemanticVersion(sv)
	}
	driver.WithInformationURI(v.tool.InformationURI)
	run := sarif.NewRun(sarif.Tool{Driver: driver})
	run.WithColumnKind("unicodeCodePoints")
	if v.workDirURI != "" {
		run.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{
			srcRoot: sarif.NewSimpleArtifactLocation(v.workDirURI),
		})
	}

	for _, m := range sarifRules(v) {
		driver.AddRule(v.sarifRule(m))
	}
	// A result only reads the view: they are made on every core (35,000
	// findings of one large policy: 0.24 s of CPU), then added in order.
	results := make([]*sarif.Result, len(v.findings))
	par.Each(0, len(results), func(i int) { results[i] = v.sarifResult(v.findings[i]) })
	for _, r := range results {
		run.AddResult(r) // sets its ruleIndex
	}

	errs, _ := v.countDiagnostics()
	inv := sarif.NewInvocation().WithExecutionSuccess(errs == 0)
	if v.workDirURI != "" {
		// The checkout path for GitHub, which otherwise rejects the whole
		// log when a result names a file outside it by absolute URI (GH1006).
		inv.WithWorkingDirectory(sarif.NewSimpleArtifactLocation(v.workDirURI))
	}
	for _, d := range v.diagnostics {
		n := sarif.NewNotification().
			WithLevel(diagLevel(d)).
			WithMessage(sarif.NewTextMessage(sentence(oneLine(d.Message))))
		if loc := v.sarifPhysicalLocation(d.Range, false); loc != nil {
			n.WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(loc)})
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	run.AddInvocations(inv)
	log.AddRun(run)

	return writeIndentedList(buf, log, "results", &run.Results, run.Results)
}

// sarifRules returns the rules to describe in tool.driver.rules: the
// catalog, plus a minimal descriptor for any rule that fired but is missing
// from the catalog, so that every result has a valid ruleIndex. The result
// is sorted by ID.
func sarifRules(v *view) []model.RuleMeta {
	rules := slices.Clone(v.rules)
	known := map[string]bool{}
	for _, m := range rules {
		known[m.ID] = true
	}
	for _, f := range v.findings {
		if known[f.RuleID] {
			continue
		}
		known[f.RuleID] = true
		rules = append(rules, model.RuleMeta{ID: f.RuleID, Name: f.RuleName, Severity: f.Severity})
	}
	slices.SortStableFunc(rules, func(a, b model.RuleMeta) int { return strings.Compare(a.ID, b.ID) })
	return rules
}

// sarifRule builds the reportingDescriptor of a rule. helpUri is the
// rule's documentation page (Report.RuleDocs), or else its HelpURI; the
// help text ends with the rule's references (AWS documentation).
func (v *view) sarifRule(m model.RuleMeta) *sarif.ReportingDescriptor {
	title := m.Title
	if title == "" {
		title = cmp.Or(m.Name, m.ID)
	}
	desc := ruleText(m.Description)
	full := firstParagraph(desc, maxDescription)
	if full == "" {
		full = title
	}
	refs := ruleReferences(m)
	r := sarif.NewRule(m.ID).
		WithShortDescription(sarif.NewMultiformatMessageString(truncate(oneLine(title), maxDescription))).
		WithFullDescription(sarif.NewMultiformatMessageString(full)).
		WithHelp(sarif.NewMultiformatMessageString(helpText(m, desc, full, refs)).WithMarkdown(helpMarkdown(m, full, refs))).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(m.Level())))
	if m.Name != "" {
		r.WithName(m.Name)
	}
	if u := cmp.Or(v.ruleDocsURI(m.ID), m.HelpURI); u != "" {
		r.WithHelpURI(u)
	}
	props := sarif.Properties{"tags": ruleTags(m.Tags)}
	if m.Precision != "" {
		props["precision"] = m.Precision
	}
	if m.Severity > 0 {
		props["security-severity"] = securitySeverity(m.Severity)
	}
	r.WithProperties(props)
	return r
}

// ruleTexts holds the plain text of rule descriptions and remediations
// that PrepareRules rendered ahead of time, by their markdown.
var ruleTexts sync.Map // string -> string

// PrepareRules renders the plain text of the rules' descriptions and
// remediations, which SARIF shows beside the markdown, ahead of Write: a
// scan calls it while it compiles and evaluates, and Write then finds them
// done. It is safe to call concurrently with Write, which renders whatever
// is not done yet itself.
func PrepareRules(rules []model.RuleMeta) {
	for _, m := range rules {
		for _, md := range []string{m.Description, m.Remediation} {
			if _, ok := ruleTexts.Load(md); !ok {
				ruleTexts.Store(md, plainText(md))
			}
		}
	}
}

// ruleText is plainText(md), rendered by PrepareRules when it was.
func ruleText(md string) string {
	if s, ok := ruleTexts.Load(md); ok {
		return s.(string)
	}
	return plainText(md)
}

// ruleReferences returns the further reading of a rule: its References,
// or else its HelpURI.
func ruleReferences(m model.RuleMeta) []model.Reference {
	if len(m.References) > 0 {
		return m.References
	}
	if m.HelpURI != "" {
		return []model.Reference{{URL: m.HelpURI}}
	}
	return nil
}

// helpText is the plain-text help of a rule: the description (desc, as
// plain text), the remediation and the references.
func helpText(m model.RuleMeta, desc, fallback string, refs []model.Reference) string {
	text := desc
	if text == "" {
		text = fallback
	}
	if rem := ruleText(m.Remediation); rem != "" {
		text += "\n\nRemediation:\n\n" + rem
	}
	if len(refs) > 0 {
		text += "\n\nReferences:\n"
		for _, l := range refs {
			if l.Description != "" && l.Description != l.URL {
				text += "\n- " + l.Description + ": " + l.URL
			} else {
				text += "\n- " + l.URL
			}
		}
	}
	return text
}

// helpMarkdown is the markdown help of a rule: the description, then the
// remediation and the references under their own headings.
func helpMarkdown(m model.RuleMeta, fallback string, refs []model.Reference) string {
	md := strings.TrimSpace(m.Description)
	if md == "" {
		md = fallback
	}
	if rem := strings.TrimSpace(m.Remediation); rem != "" {
		md += "\n\n## Remediation\n\n" + rem
	}
	if len(refs) > 0 {
		md += "\n\n## References\n"
		for _, l := range refs {
			md += "\n- [" + markdownLinkText(cmp.Or(l.Description, l.URL)) + "](" + l.URL + ")"
		}
	}
	return md
}

// markdownLinkText escapes the characters that would end a link text.
func markdownLinkText(s string) string {
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`).Replace(s)
}

// ruleTags returns the tags of a rule for SARIF: "security" first unless
// the rule lists it, then the rule's tags without duplicates, at most
// GitHub's 20. The result is never nil.
func ruleTags(tags []string) []string {
	out := make([]string, 0, len(tags)+1)
	if !slices.Contains(tags, "security") {
		out = append(out, "security")
	}
	for _, t := range tags {
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) > maxTags {
		out = out[:maxTags]
	}
	return out
}

// securitySeverity formats a score the way GitHub reads
// properties.security-severity: a string with one decimal, "8.0".
func securitySeverity(s float64) string {
	return strconv.FormatFloat(s, 'f', 1, 64)
}

// sarifLevel maps a severity band to a SARIF level: critical and high are
// errors, medium is a warning, low is a note.
func sarifLevel(band string) string { return threeLevels(band, "note") }

// threeLevels maps a severity band to the three levels of SARIF and of
// GitHub's workflow commands: critical and high are "error", medium is
// "warning", low is the format's lowest level.
func threeLevels(band, lowest string) string {
	switch band {
	case model.LevelCritical, model.LevelHigh:
		return "error"
	case model.LevelMedium:
		return "warning"
	}
	return lowest
}

// sarifResult builds the result of a finding. The caller adds it to the run,
// which sets ruleIndex.
func (v *view) sarifResult(f model.Finding) *sarif.Result {
	res := sarif.NewRuleResult(f.RuleID).
		WithLevel(sarifLevel(band(f))).
		WithMessage(sarif.NewTextMessage(resultMessage(f)))
	loc := sarif.NewLocation()
	if pl := v.sarifPhysicalLocation(f.Range, true); pl != nil {
		loc.WithPhysicalLocation(pl)
	}
	if f.Role != "" {
		// The role is the first logical location (baselines and code
		// scanning read it); its extra context, such as a CDK construct
		// path, is a second one.
		role := sarif.NewLogicalLocation().WithFullyQualifiedName(f.Role).WithKind("resource")
		// Two roots calling one module, or two JSON documents of one
		// file, name their roles alike: the root module or the document
		// tells them apart (also in the fingerprint).
		if f.RootModule != "" {
			role.Properties = sarif.Properties{rootModuleProperty: f.RootModule}
		}
		if f.Document != 0 {
			role.Properties = sarif.Properties{documentProperty: f.Document}
		}
		logical := []*sarif.LogicalLocation{role}
		if f.RoleContext != "" {
			logical = append(logical, sarif.NewLogicalLocation().WithFullyQualifiedName(f.RoleContext).WithKind("resource"))
		}
		loc.WithLogicalLocations(logical)
	}
	res.AddLocation(loc)
	if f.Fingerprint != "" {
		res.WithPartialFingerPrints(map[string]any{FingerprintKey: f.Fingerprint})
	}
	if len(f.Properties) > 0 {
		pb := sarif.NewPropertyBag()
		for _, k := range slices.Sorted(maps.Keys(f.Properties)) {
			pb.AddString(k, f.Properties[k])
		}
		res.AttachPropertyBag(pb)
	}
	if sp := f.Suppressed; sp != nil {
		// go-sarif v2 writes "status", "location" and "guid" as null when
		// unset, which the SARIF schema rejects: always set all three.
		s := sarif.NewSuppression(sp.Kind).
			WithStatus("accepted").
			WithJustifcation(sp.Justification).
			WithGuid(suppressionGUID(f)).
			WithLocation(sarif.NewLocation())
		if pl := v.sarifPhysicalLocation(sp.Range, true); pl != nil {
			s.Location.WithPhysicalLocation(pl)
		}
		res.WithSuppression([]*sarif.Suppression{s})
	}
	return res
}

// suppressionGUID derives a stable UUID (version 5 layout) from the
// finding's fingerprint and suppression, so reports stay deterministic.
func suppressionGUID(f model.Finding) string {
	h := sha256.Sum256([]byte("trustlint-suppression\x00" + f.Fingerprint + "\x00" + f.Suppressed.Kind + "\x00" + f.Suppressed.Justification))
	b := h[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// resultMessage is the message of a finding as a sentence that names the
// role: "... (role aws_iam_role.ci)." unless the message names it already.
func resultMessage(f model.Finding) string {
	msg := strings.TrimSpace(oneLine(f.Message))
	if f.Role != "" && !strings.Contains(msg, f.Role) {
		msg = strings.TrimRight(msg, ".") + " (role " + f.Ref().String() + ")"
	}
	return sentence(msg)
}

// sentence ends s with a period unless it already ends a sentence, as SARIF
// asks of plain-text messages.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") {
		return s
	}
	return s + "."
}

// sarifPhysicalLocation locates a range for SARIF, or returns nil when it
// names no file. A result needs a region (GitHub rejects results without
// one), so with needRegion a range without a line points at line 1.
// model.Range ends are exclusive, as SARIF's endColumn is.
func (v *view) sarifPhysicalLocation(r model.Range, needRegion bool) *sarif.PhysicalLocation {
	a, ok := v.locs[r.File]
	if !ok {
		return nil
	}
	al := sarif.NewSimpleArtifactLocation(a.uri)
	if a.uriBaseID != "" {
		al.WithUriBaseId(a.uriBaseID)
	}
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(al)
	start, end := r.Start, r.End
	if start.Line <= 0 {
		if !needRegion {
			return pl
		}
		start, end = model.Pos{Line: 1}, model.Pos{}
	}
	region := sarif.NewRegion().WithStartLine(start.Line)
	if start.Column > 0 {
		region.WithStartColumn(start.Column)
	}
	if end.Line > start.Line || (end.Line == start.Line && end.Column >= start.Column && end.Column > 0) {
		region.WithEndLine(end.Line)
		if end.Column > 0 {
			region.WithEndColumn(end.Column)
		}
	}
	return pl.WithRegion(region)
}

// numericVersion returns a driver.version that starts with a digit, as
// SARIF consumers compare versions numerically (the multitool warns with
// SARIF2005 otherwise): "v1.2.3" becomes "1.2.3", a version that is not
// numeric becomes a pre-release of 0.0.0 ("dev" → "0.0.0-dev", "(devel)" →
// "0.0.0-devel"), and no version at all "0.0.0-unknown".
func numericVersion(version string) string {
	if rest, ok := strings.CutPrefix(version, "v"); ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
		return rest
	}
	if version != "" && version[0] >= '0' && version[0] <= '9' {
		return version
	}
	tag := strings.Trim(nonIdentifier.ReplaceAllString(version, "-"), "-")
	return "0.0.0-" + cmp.Or(tag, "unknown")
}

// nonIdentifier matches what may not appear in a semantic version's
// pre-release identifiers.
var nonIdentifier = regexp.MustCompile(`[^0-9A-Za-z-]+`)

// semVer matches a semantic version 2.0.0 string.
var semVer = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// semanticVersion returns version without a leading "v" when it is a
// semantic version ("v1.2.3" → "1.2.3"); ok is false otherwise ("dev").
func semanticVersion(version string) (sv string, ok bool) {
	sv = strings.TrimPrefix(version, "v")
	return sv, semVer.MatchString(sv)
}
