package report

import (
	"bufio"
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/trustlint/trustlint/audit"
	"github.com/trustlint/trustlint/model"
)

func init() { formats["text"] = writeText }

// writeText renders the report for people and for editors that jump to
// file:line:col. Each finding is one line, followed, when the source is
// available (Report.Sources), by the source line with the element at fault
// underlined; then errors; then the findings by rule and a summary line:
//
//	infra/trust.json:7:28: high TL001 external account ... (partner)
//	  |
//	7 |         "AWS": "arn:aws:iam::999999999999:root"
//	  |                ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
//
//	broken.yaml:3:5: error: message
//	main.tf:9:3: note: unused suppression
//
//	Findings by rule:
//	  1  high      TL001 missing-external-id
//	1 finding (1 high) in 3 roles across 4 files; 1 error
//
// With Report.Quiet only the finding and error lines are written. With
// Report.Color severities, positions and the source margin are colored
// with ANSI escapes.
func writeText(buf *bufio.Writer, v *view) error {
	p := &textPrinter{buf: buf, v: v}
	for _, f := range v.findings {
		p.finding(f)
	}
	for _, d := range v.diagnostics {
		p.diagnostic(d)
	}
	if !v.quiet {
		p.byRule()
		p.outside()
		p.summary()
	}
	return nil
}

// ANSI SGR sequences of the text format.
const (
	sgrReset    = "\x1b[0m"
	sgrBold     = "1"
	sgrDim      = "2"
	sgrCritical = "1;35" // bold magenta
	sgrHigh     = "1;31" // bold red
	sgrMedium   = "1;33" // bold yellow
	sgrLow      = "1;36" // bold cyan
	sgrError    = "1;31"
	sgrNote     = "1;36" // bold cyan
	sgrMargin   = "1;34" // bold blue, the snippet margin
	sgrClean    = "1;32" // bold green, "no findings"
)

// bandSGR returns the color of a severity band.
func bandSGR(band string) string {
	switch band {
	case model.LevelCritical:
		return sgrCritical
	case model.LevelHigh:
		return sgrHigh
	case model.LevelMedium:
		return sgrMedium
	default:
		return sgrLow
	}
}

// textPrinter writes the lines of the text format.
type textPrinter struct {
	buf *bufio.Writer
	v   *view
	// blank is true when the last line written is empty (or nothing was
	// written), so that blocks are separated by exactly one empty line.
	blank bool
	// wrote is true once anything was written.
	wrote bool
}

// paint wraps s in an SGR sequence when colors are on.
func (p *textPrinter) paint(sgr, s string) string {
	if !p.v.color || s == "" {
		return s
	}
	return "\x1b[" + sgr + "m" + s + sgrReset
}

func (p *textPrinter) line(s string) {
	p.buf.WriteString(s)
	p.buf.WriteByte('\n')
	p.blank = s == ""
	p.wrote = true
}

// separate writes an empty line unless the output is empty or already
// ends with one.
func (p *textPrinter) separate() {
	if p.wrote && !p.blank {
		p.line("")
	}
}

// finding writes "path:line:col: band RULE message (role)" and the source
// snippet.
func (p *textPrinter) finding(f model.Finding) {
	var b strings.Builder
	if pos := position(f.Range); pos != "" {
		b.WriteString(p.paint(sgrBold, clean(pos)+":"))
		b.WriteByte(' ')
	}
	lvl := band(f)
	b.WriteString(p.paint(bandSGR(lvl), lvl))
	b.WriteByte(' ')
	b.WriteString(p.paint(sgrBold, clean(f.RuleID)))
	b.WriteByte(' ')
	b.WriteString(clean(f.Message))
	if f.Role != "" {
		b.WriteByte(' ')
		b.WriteString(p.paint(sgrDim, "("+clean(f.Ref().String())+")"))
	}
	if f.Suppressed != nil {
		b.WriteByte(' ')
		b.WriteString(p.paint(sgrDim, "[suppressed: "+clean(f.Suppressed.Justification)+"]"))
	}
	p.line(b.String())
	p.snippet(f.Range, bandSGR(lvl))
}

// diagnostic writes "path:line:col: error: message" (or "note:") and the
// source snippet.
func (p *textPrinter) diagnostic(d model.Diagnostic) {
	var b strings.Builder
	if pos := position(d.Range); pos != "" {
		b.WriteString(p.paint(sgrBold, clean(pos)+":"))
		b.WriteByte(' ')
	}
	sgr := sgrError
	if !d.IsError() {
		sgr = sgrNote
	}
	b.WriteString(p.paint(sgr, diagLevel(d)+":"))
	b.WriteByte(' ')
	b.WriteString(clean(d.Message))
	p.line(b.String())
	p.snippet(d.Range, sgr)
}

// snippet writes the source line of r with the element underlined, then
// an empty line, when the source is available and the output is not quiet.
func (p *textPrinter) snippet(r model.Range, sgr string) {
	if p.v.quiet || r.Start.Line <= 0 {
		return
	}
	sf := p.v.source(r.File)
	if sf == nil {
		return
	}
	s, ok := makeSnippet(sf, r)
	if !ok {
		return
	}
	digits := len(strconv.Itoa(s.line))
	margin := gutter(0, digits)
	p.line(p.paint(sgrMargin, margin))
	p.line(p.paint(sgrMargin, gutter(s.line, digits)) + " " + s.text)
	if s.underline != "" {
		marks := strings.TrimLeft(s.underline, " ")
		indent := s.underline[:len(s.underline)-len(marks)]
		p.line(p.paint(sgrMargin, margin) + " " + indent + p.paint(sgr, marks))
	}
	p.line("")
}

// byRule writes how many findings each rule reported, most severe first:
//
//	Findings by rule:
//	  2  critical  TL003 wildcard-principal
//	  1  high      TL001 missing-external-id
func (p *textPrinter) byRule() {
	if len(p.v.findings) == 0 {
		return
	}
	type row struct {
		id, name, band string
		n              int
	}
	rows := map[string]*row{}
	for _, f := range p.v.findings {
		r := rows[f.RuleID]
		if r == nil {
			r = &row{id: f.RuleID, name: f.RuleName, band: band(f)}
			rows[f.RuleID] = r
		}
		r.n++
		if model.LevelRank(band(f)) > model.LevelRank(r.band) {
			r.band = band(f)
		}
	}
	list := make([]*row, 0, len(rows))
	for _, r := range rows {
		list = append(list, r)
	}
	slices.SortFunc(list, func(a, b *row) int {
		return cmp.Or(
			cmp.Compare(model.LevelRank(b.band), model.LevelRank(a.band)),
			cmp.Compare(a.id, b.id),
		)
	})
	digits := 0
	for _, r := range list {
		digits = max(digits, len(strconv.Itoa(r.n)))
	}
	p.separate()
	p.line("Findings by rule:")
	for _, r := range list {
		lvl := fmt.Sprintf("%-8s", r.band)
		line := fmt.Sprintf("  %*d  %s  %s", digits, r.n, p.paint(bandSGR(r.band), lvl), p.paint(sgrBold, clean(r.id)))
		if r.name != "" {
			line += " " + clean(r.name)
		}
		p.line(line)
	}
}

// topOutside is how many outside principals the text summary lists.
const topOutside = 5

// outside writes, from the audit, how many roles have findings and the
// outside principals that reach the most roles, for example
//
//	Roles with findings: 11 of 25
//	Top outside principals (by roles reached):
//	   2  account   999999999999 (Example Vendor)  high  2 unguarded
func (p *textPrinter) outside() {
	a := p.v.audit
	if a == nil || len(a.Roles) == 0 {
		return
	}
	flagged := map[model.RoleRef]bool{}
	for _, f := range p.v.findings {
		flagged[f.Ref()] = true
	}
	n := 0
	for _, r := range a.Roles {
		if flagged[r.Ref()] {
			n++
		}
	}
	p.separate()
	p.line(fmt.Sprintf("Roles with findings: %d of %d", n, len(a.Roles)))
	if len(a.Outside) == 0 {
		return
	}
	top := slices.Clone(a.Outside)
	slices.SortStableFunc(top, func(x, y *audit.OutsidePrincipal) int {
		return cmp.Compare(len(y.Roles), len(x.Roles))
	})
	top = top[:min(len(top), topOutside)]
	digits := len(strconv.Itoa(len(top[0].Roles)))
	p.line("Top outside principals (by roles reached):")
	for _, op := range top {
		who := model.Quote(op.Principal)
		if op.Vendor != "" {
			who += " (" + op.Vendor + ")"
		}
		line := fmt.Sprintf("  %*d  %-9s %s", digits, len(op.Roles), op.Kind, clean(who))
		if op.Worst != "" {
			line += "  " + p.paint(bandSGR(op.Worst), op.Worst)
		}
		if op.Unguarded > 0 {
			line += fmt.Sprintf("  %d unguarded", op.Unguarded)
		}
		p.line(line)
	}
	if len(a.Outside) > len(top) {
		p.line(fmt.Sprintf("  (%d more: --format html lists them all)", len(a.Outside)-len(top)))
	}
}

// summary writes the closing line, for example
// "5 findings (1 critical, 2 high, 2 medium) in 3 roles across 4 files; 1 error"
// or "no findings in 12 roles across 3 files".
func (p *textPrinter) summary() {
	if len(p.v.findings) == 0 {
		p.separate()
	}
	p.line(p.summaryLine())
}

func (p *textPrinter) summaryLine() string {
	v := p.v
	var b strings.Builder
	if n := len(v.findings); n == 0 {
		b.WriteString(p.paint(sgrClean, "no findings"))
	} else {
		b.WriteString(p.paint(sgrBold, plural(n, "finding")))
		c := v.levelCounts()
		var parts []string
		for _, lc := range []struct {
			n    int
			name string
		}{
			{c.Critical, model.LevelCritical},
			{c.High, model.LevelHigh},
			{c.Medium, model.LevelMedium},
			{c.Low, model.LevelLow},
		} {
			if lc.n > 0 {
				parts = append(parts, p.paint(bandSGR(lc.name), strconv.Itoa(lc.n)+" "+lc.name))
			}
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, " in %s across %s", plural(v.stats.RolesAnalyzed, "role"), plural(v.stats.FilesScanned, "file"))
	errs, notes := v.countDiagnostics()
	if errs > 0 {
		b.WriteString("; ")
		b.WriteString(p.paint(sgrError, plural(errs, "error")))
	}
	if notes > 0 {
		b.WriteString("; ")
		b.WriteString(p.paint(sgrNote, plural(notes, "note")))
	}
	if n := v.stats.Suppressed; n > 0 {
		fmt.Fprintf(&b, "; %d suppressed", n)
	}
	if n := v.stats.Baselined; n > 0 {
		fmt.Fprintf(&b, "; %d in the baseline", n)
	}
	if n := v.stats.FilesSkipped; n > 0 {
		fmt.Fprintf(&b, "; %s skipped", plural(n, "file"))
	}
	return b.String()
}

// Summary returns the one-line summary of r that text output ends with
// ("2 findings (1 high, 1 medium) in 3 roles across 2 files"), colored when
// r.Color is set, without a line break: what a terminal still shows when
// the report goes to a file.
func Summary(r *Report) (string, error) {
	v, err := newView(r)
	if err != nil {
		return "", err
	}
	return (&textPrinter{v: v}).summaryLine(), nil
}

// summaryLine is the uncolored summary line, for the formats that print
// one.
func summaryLine(v *view) string {
	plain := *v
	plain.color = false
	return (&textPrinter{v: &plain}).summaryLine()
}

// position renders "path:line:col", "path:line" without a column, "path"
// without a line, or "" without a file.
// A file name's control and bidi characters are neutralized (clean).
func position(r model.Range) string {
	file := clean(r.File)
	switch {
	case r.File == "":
		return ""
	case r.Start.Line <= 0:
		return file
	case r.Start.Column <= 0:
		return file + ":" + strconv.Itoa(r.Start.Line)
	default:
		return file + ":" + strconv.Itoa(r.Start.Line) + ":" + strconv.Itoa(r.Start.Column)
	}
}

// plural renders "1 file", "3 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// oneLine folds line breaks into spaces so that every entry stays on one
// line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
