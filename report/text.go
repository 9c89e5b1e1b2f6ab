package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/trustlint/trustlint/model"
)

func init() { formats["text"] = writeText }

// writeText renders the report for people and for editors that jump to
// file:line:col:
//
//	infra/main.tf:12:7: high TL001 message (aws_iam_role.ci)
//	broken.yaml:3:5: error: message
//	5 findings (1 critical, 2 high, 2 medium) in 3 roles across 4 files; 1 error
func writeText(buf *bytes.Buffer, v *view) error {
	p := textPrinter{buf: buf}
	for _, f := range v.findings {
		p.finding(f)
	}
	for _, d := range v.diagnostics {
		p.diagnostic(d)
	}
	p.summary(v)
	return nil
}

// textPrinter writes the lines of the text format. Each kind of line has its
// own method so that decorations (color, a source snippet with a caret under
// the finding) can be added per line without touching the layout.
type textPrinter struct {
	buf *bytes.Buffer
}

// finding writes "path:line:col: band RULE message (role)".
func (p textPrinter) finding(f model.Finding) {
	p.buf.WriteString(position(f.Range))
	p.buf.WriteString(": ")
	p.buf.WriteString(band(f))
	p.buf.WriteByte(' ')
	p.buf.WriteString(f.RuleID)
	p.buf.WriteByte(' ')
	p.buf.WriteString(oneLine(f.Message))
	if f.Role != "" {
		p.buf.WriteString(" (")
		p.buf.WriteString(f.Role)
		p.buf.WriteByte(')')
	}
	p.buf.WriteByte('\n')
}

// diagnostic writes "path:line:col: error: message".
func (p textPrinter) diagnostic(d model.Diagnostic) {
	if pos := position(d.Range); pos != "" {
		p.buf.WriteString(pos)
		p.buf.WriteString(": ")
	}
	p.buf.WriteString("error: ")
	p.buf.WriteString(oneLine(d.Message))
	p.buf.WriteByte('\n')
}

// summary writes the closing line, for example
// "5 findings (1 critical, 2 high, 2 medium) in 3 roles across 4 files; 1 error"
// or "no findings in 12 roles across 3 files".
func (p textPrinter) summary(v *view) {
	p.buf.WriteString(summaryLine(v))
	p.buf.WriteByte('\n')
}

func summaryLine(v *view) string {
	var b strings.Builder
	if n := len(v.findings); n == 0 {
		b.WriteString("no findings")
	} else {
		b.WriteString(plural(n, "finding"))
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
				parts = append(parts, strconv.Itoa(lc.n)+" "+lc.name)
			}
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, " in %s across %s", plural(v.stats.RolesAnalyzed, "role"), plural(v.stats.FilesScanned, "file"))
	if n := len(v.diagnostics); n > 0 {
		b.WriteString("; ")
		b.WriteString(plural(n, "error"))
	}
	if n := v.stats.FilesSkipped; n > 0 {
		fmt.Fprintf(&b, "; %s skipped", plural(n, "file"))
	}
	return b.String()
}

// position renders "path:line:col", "path:line" without a column, "path"
// without a line, or "" without a file.
func position(r model.Range) string {
	switch {
	case r.File == "":
		return ""
	case r.Start.Line <= 0:
		return r.File
	case r.Start.Column <= 0:
		return r.File + ":" + strconv.Itoa(r.Start.Line)
	default:
		return r.File + ":" + strconv.Itoa(r.Start.Line) + ":" + strconv.Itoa(r.Start.Column)
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
