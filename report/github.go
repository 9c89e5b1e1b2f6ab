package report

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"

	"github.com/trustlint/trustlint/model"
)

func init() { formats["github"] = writeGitHub }

// writeGitHub renders findings as GitHub Actions workflow commands, which
// the runner turns into annotations on the pull request's changed files and
// on the workflow run:
//
//	::error file=infra/trust.json,line=7,col=28,endLine=7,endColumn=59,title=TL001 missing-external-id::external account ... (role partner).%0ASee https://...
//
// The command is error for critical and high findings, warning for medium
// and notice for low. col and endColumn are given only for a range on one
// line (GitHub rejects them otherwise); endColumn is the column of the last
// character. Errors reading inputs are error commands titled "trustlint",
// notes (an unused suppression) notice commands.
// Unless Report.Quiet, the summary line follows as plain log output.
func writeGitHub(buf *bufio.Writer, v *view) error {
	for _, f := range v.findings {
		title := f.RuleID
		if f.RuleName != "" {
			title += " " + f.RuleName
		}
		msg := clean(resultMessage(f))
		if u := v.ruleDocsURI(f.RuleID); u != "" {
			msg += "\nSee " + u
		}
		workflowCommand(buf, githubLevel(band(f)), f.Range, title, msg)
	}
	for _, d := range v.diagnostics {
		cmd := "error"
		if !d.IsError() {
			cmd = "notice"
		}
		workflowCommand(buf, cmd, d.Range, "trustlint", sentence(clean(d.Message)))
	}
	if !v.quiet {
		buf.WriteString(summaryLine(v))
		buf.WriteByte('\n')
	}
	return nil
}

// githubLevel maps a severity band to a workflow command.
func githubLevel(band string) string { return threeLevels(band, "notice") }

// workflowCommand writes one "::cmd props::message" line.
func workflowCommand(buf *bufio.Writer, cmd string, r model.Range, title, msg string) {
	type prop struct{ k, v string }
	var props []prop
	if r.File != "" {
		props = append(props, prop{"file", escapeControls(r.File)})
		if r.Start.Line > 0 {
			props = append(props, prop{"line", strconv.Itoa(r.Start.Line)})
			oneLine := r.End.Line == 0 || r.End.Line == r.Start.Line
			if oneLine && r.Start.Column > 0 {
				props = append(props, prop{"col", strconv.Itoa(r.Start.Column)})
			}
			if r.End.Line >= r.Start.Line {
				props = append(props, prop{"endLine", strconv.Itoa(r.End.Line)})
			}
			if oneLine && r.Start.Column > 0 && r.End.Column > r.Start.Column {
				props = append(props, prop{"endColumn", strconv.Itoa(r.End.Column - 1)})
			}
		}
	}
	if title != "" {
		props = append(props, prop{"title", title})
	}
	buf.WriteString("::")
	buf.WriteString(cmd)
	for i, p := range props {
		if i == 0 {
			buf.WriteByte(' ')
		} else {
			buf.WriteByte(',')
		}
		buf.WriteString(p.k)
		buf.WriteByte('=')
		buf.WriteString(escapeProperty(p.v))
	}
	buf.WriteString("::")
	buf.WriteString(escapeData(msg))
	buf.WriteByte('\n')
}

// escapeData escapes the message of a workflow command as @actions/core
// does: %, CR and LF.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeControls percent-encodes the bytes of control, C1 and bidi
// characters in a file name: GitHub leaves a %XX it does not know as it
// is, so the name shows what it is instead of moving the cursor, changing
// colors or reordering the line in the log.
func escapeControls(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !unsafeRune(r) {
			b.WriteRune(r)
			continue
		}
		for _, c := range []byte(string(r)) {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// escapeProperty escapes a property value of a workflow command as
// @actions/core does: %, CR, LF, colon and comma.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
