package report

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/trustlint/trustlint/audit"
	"github.com/trustlint/trustlint/model"
)

const (
	// DefaultToolName is the tool name used when Tool.Name is empty.
	DefaultToolName = "trustlint"
	// DefaultInformationURI is the tool home page used when
	// Tool.InformationURI is empty.
	DefaultInformationURI = "https://github.com/trustlint/trustlint"
)

// Tool identifies the program that produced a report.
type Tool struct {
	// Name is the tool name; DefaultToolName when empty.
	Name string
	// Version is the tool version as the build reports it ("1.4.0",
	// "v1.4.0", "dev"). It may be empty.
	Version string
	// InformationURI is the tool's home page; DefaultInformationURI when
	// empty.
	InformationURI string
}

// Report is everything a run has to report. Write does not modify it.
type Report struct {
	// Tool identifies trustlint and its version.
	Tool Tool
	// Rules is the whole rule catalog, not only the rules that fired: SARIF
	// consumers show rule help for every rule.
	Rules []model.RuleMeta
	// Findings are the problems found, in any order.
	Findings []model.Finding
	// Diagnostics are the inputs that could not be read or parsed (errors)
	// and advice about them (notes, such as an unused suppression), in any
	// order.
	Diagnostics []model.Diagnostic
	// Stats counts files and roles.
	Stats model.Stats
	// WorkDir is the directory paths are reported relative to, usually the
	// repository root. A relative file name in a finding or diagnostic is
	// taken as relative to WorkDir. When WorkDir is empty, file names are
	// reported as they are, with forward slashes.
	WorkDir string

	// RuleDocs, when set, returns the URL of a rule's documentation page,
	// or "" when the rule has none (the user's own rules). SARIF helpUri and
	// GitHub annotations link there; without a page, SARIF helpUri is the
	// rule's RuleMeta.HelpURI.
	RuleDocs func(ruleID string) string
	// Sources, when set, returns the content of a file that a finding or
	// diagnostic names (the file name as given in its Range); ok is false
	// when the content is not available. Text output then shows the source
	// line under each finding with the element at fault underlined. The
	// function may be called several times for one file.
	Sources func(file string) (content []byte, ok bool)
	// Color adds ANSI colors to text output; other formats ignore it.
	Color bool
	// Quiet limits text and github output to findings and errors: no
	// source lines and no summary.
	Quiet bool
	// Audit, when set, is who can assume each role: the HTML report, the
	// JSON roles section and structured finding fields, CSV and the text
	// summary use it.
	Audit *audit.Account
}

// formatter renders a prepared report into buf.
type formatter func(buf *bufio.Writer, v *view) error

// formats maps each output format name to its renderer. Each format
// registers itself from its own file.
var formats = map[string]formatter{}

// Formats returns the names of the supported output formats, sorted.
func Formats() []string {
	names := make([]string, 0, len(formats))
	for name := range formats {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Write renders r in the named format to w. The report is streamed
// through a buffer as it is rendered, never held whole in memory, and w
// sees few large writes (no system call per finding). A rendering error can
// leave part of the report written: the CLI writes a report file through a
// temporary file, so that a failed report never replaces a good one.
func Write(w io.Writer, format string, r *Report) error {
	f, ok := formats[format]
	if !ok {
		return fmt.Errorf("unknown report format %q (want one of %s)", format, strings.Join(Formats(), ", "))
	}
	if r == nil {
		return errors.New("write report: nil report")
	}
	v, err := newView(r)
	if err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	buf := bufio.NewWriterSize(w, writeBuffer)
	if err := f(buf, v); err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	if err := buf.Flush(); err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	return nil
}

// writeBuffer is the size of the buffer a report is written through.
const writeBuffer = 64 << 10

// diagLevel is the level of a diagnostic: model.DiagError or
// model.DiagNote.
func diagLevel(d model.Diagnostic) string {
	if d.IsError() {
		return model.DiagError
	}
	return model.DiagNote
}

// countDiagnostics counts errors and notes.
func (v *view) countDiagnostics() (errs, notes int) {
	for _, d := range v.diagnostics {
		if d.IsError() {
			errs++
		} else {
			notes++
		}
	}
	return errs, notes
}

// view is a report prepared for rendering: file names are replaced by their
// display paths and findings and diagnostics are sorted. Formats render a
// view, never the Report itself.
type view struct {
	tool        Tool
	rules       []model.RuleMeta // sorted by ID
	findings    []model.Finding
	diagnostics []model.Diagnostic
	stats       model.Stats
	ruleDocs    func(string) string
	color       bool
	quiet       bool
	// sources reads files by display path; see source.
	sources func(file string) ([]byte, bool)
	// original maps a display path to the file name as the report gave it.
	original map[string]string
	// snippets caches the files read through sources, by display path.
	snippets map[string]*model.LineIndex
	// workDirURI is the file:// URI of the work directory, ending in "/",
	// or "" when Report.WorkDir is empty.
	workDirURI string
	// locs maps a display path to its artifact location.
	locs map[string]artifact
	// audit is Report.Audit; wd the absolute work directory or "".
	audit *audit.Account
	wd    string
}

// artifact is where a file is for SARIF: a URI and, for a URI relative to
// the work directory, the base ID it is relative to.
type artifact struct {
	uri       string
	uriBaseID string
}

// srcRoot is the SARIF uriBaseId of the work directory.
const srcRoot = "%SRCROOT%"

func newView(r *Report) (*view, error) {
	v := &view{
		tool:     r.Tool,
		stats:    r.Stats,
		ruleDocs: r.RuleDocs,
		color:    r.Color,
		quiet:    r.Quiet,
		sources:  r.Sources,
		original: map[string]string{},
		snippets: map[string]*model.LineIndex{},
		locs:     map[string]artifact{},
		audit:    r.Audit,
	}
	v.tool.Name = cmp.Or(v.tool.Name, DefaultToolName)
	v.tool.InformationURI = cmp.Or(v.tool.InformationURI, DefaultInformationURI)
	var wd string
	if r.WorkDir != "" {
		var err error
		if wd, err = filepath.Abs(r.WorkDir); err != nil {
			return nil, fmt.Errorf("resolve work directory: %w", err)
		}
		v.workDirURI = fileURI(wd)
		if !strings.HasSuffix(v.workDirURI, "/") {
			v.workDirURI += "/"
		}
	}
	v.wd = wd
	v.rules = slices.Clone(r.Rules)
	slices.SortStableFunc(v.rules, func(a, b model.RuleMeta) int { return cmp.Compare(a.ID, b.ID) })

	v.findings = make([]model.Finding, len(r.Findings))
	for i, f := range r.Findings {
		f.Range.File = v.displayOriginal(wd, f.Range.File)
		if f.Suppressed != nil {
			sp := *f.Suppressed
			sp.Range.File = v.display(wd, sp.Range.File)
			f.Suppressed = &sp
		}
		v.findings[i] = f
	}
	model.SortFindings(v.findings)

	v.diagnostics = make([]model.Diagnostic, len(r.Diagnostics))
	for i, d := range r.Diagnostics {
		d.Range.File = v.displayOriginal(wd, d.Range.File)
		v.diagnostics[i] = d
	}
	model.SortDiagnostics(v.diagnostics)
	return v, nil
}

// displayOriginal returns the display path of file and remembers file as
// its original name, for reading the source.
func (v *view) displayOriginal(wd, file string) string {
	p := v.display(wd, file)
	if _, ok := v.original[p]; !ok && p != "" {
		v.original[p] = file
	}
	return p
}

// ruleDocsURI returns the documentation page of a rule, or "".
func (v *view) ruleDocsURI(id string) string {
	if v.ruleDocs == nil {
		return ""
	}
	return v.ruleDocs(id)
}

// display returns the path under which file is reported, and records its
// SARIF artifact location. A file inside wd is shown relative to it; any
// other file is shown as an absolute path. Separators are always forward
// slashes.
func (v *view) display(wd, file string) string {
	if file == "" {
		return ""
	}
	if wd == "" {
		p := filepath.ToSlash(filepath.Clean(file))
		if _, ok := v.locs[p]; !ok {
			if filepath.IsAbs(file) {
				v.locs[p] = artifact{uri: fileURI(file)}
			} else {
				v.locs[p] = artifact{uri: relativeURI(p), uriBaseID: srcRoot}
			}
		}
		return p
	}
	abs := file
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(wd, abs)
	}
	abs = filepath.Clean(abs)
	if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		p := filepath.ToSlash(rel)
		v.locs[p] = artifact{uri: relativeURI(p), uriBaseID: srcRoot}
		return p
	}
	// Outside the work directory: shown as an absolute path; in SARIF a
	// reference relative to %SRCROOT% with ".." segments, which resolves to
	// the same file and which GitHub code scanning accepts (it rejects a log
	// with an absolute file URI outside the checkout, GH1006). Only when no
	// relative path exists (another Windows volume) the absolute URI.
	p := filepath.ToSlash(abs)
	if rel, err := filepath.Rel(wd, abs); err == nil && !filepath.IsAbs(rel) {
		v.locs[p] = artifact{uri: relativeURI(filepath.ToSlash(rel)), uriBaseID: srcRoot}
	} else {
		v.locs[p] = artifact{uri: fileURI(abs)}
	}
	return p
}

// fileURI returns the file:// URI of an absolute path, percent-encoded as
// RFC 3986 requires. Windows paths become file:///C:/dir/file.
func fileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	u := url.URL{Scheme: "file", Path: p}
	return u.String()
}

// relativeURI returns a relative URI reference for a slash-separated relative
// path, percent-encoded. A first segment that contains a colon is prefixed
// with "./" so that it is not read as a scheme.
func relativeURI(p string) string {
	u := url.URL{Path: p}
	return u.String()
}

// band returns the severity band of a finding: its Level when that is a
// known band, otherwise the band of its Severity score.
func band(f model.Finding) string {
	if model.LevelRank(f.Level) > 0 {
		return f.Level
	}
	return model.SeverityLevel(f.Severity)
}

// levelCounts counts findings per severity band.
type levelCounts struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
}

func (v *view) levelCounts() levelCounts {
	var c levelCounts
	for _, f := range v.findings {
		switch band(f) {
		case model.LevelCritical:
			c.Critical++
		case model.LevelHigh:
			c.High++
		case model.LevelMedium:
			c.Medium++
		default:
			c.Low++
		}
	}
	return c
}

// ruleCounts counts findings per rule ID. The map is never nil.
func (v *view) ruleCounts() map[string]int {
	c := map[string]int{}
	for _, f := range v.findings {
		c[f.RuleID]++
	}
	return c
}
