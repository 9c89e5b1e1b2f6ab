package report

import (
	"bufio"
	"encoding/csv"
	"strconv"
	"strings"
)

func init() { formats["csv"] = writeCSV }

// csvHeader names the columns of the CSV report, one finding per row.
var csvHeader = []string{
	"severity", "level", "rule_id", "rule_name", "role", "role_arn", "principal", "account", "vendor",
	"file", "line", "column", "path", "message", "fingerprint", "suppressed",
}

// writeCSV writes one row per finding, for spreadsheets. Cells that a
// spreadsheet would take for a formula (=, +, -, @, tab, carriage return
// first) are prefixed with an apostrophe: input files are not trusted.
func writeCSV(buf *bufio.Writer, v *view) error {
	w := csv.NewWriter(buf)
	if err := w.Write(csvHeader); err != nil {
		return err
	}
	for _, f := range v.findings {
		info := v.findingInfo(f)
		supp := ""
		if f.Suppressed != nil {
			supp = f.Suppressed.Kind
		}
		row := []string{
			strconv.FormatFloat(f.Severity, 'f', 1, 64), band(f), f.RuleID, f.RuleName, f.Role, info.RoleARN,
			info.Principal, info.Account, info.Vendor, f.Range.File, strconv.Itoa(f.Range.Start.Line),
			strconv.Itoa(f.Range.Start.Column), f.Path, f.Message, f.Fingerprint, supp,
		}
		for i, c := range row {
			row[i] = csvSafe(c)
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// csvSafe neutralizes a cell that spreadsheets would evaluate.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
