package audit_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/trustlint/trustlint/audit"
	"github.com/trustlint/trustlint/internal/exportgen"
	"github.com/trustlint/trustlint/report"
	"github.com/trustlint/trustlint/rules"
	"github.com/trustlint/trustlint/scan"
)

// BenchmarkHTMLReport measures what --format html adds to a scan of a
// generated 20,000-role export: the audit (Analyze) and the page
// (report.Write). The scan itself runs once, outside the loop; its cost is
// BenchmarkScanExport's. The page size is reported as MB/page.
func BenchmarkHTMLReport(b *testing.B) {
	const n = 20000
	path := filepath.Join(b.TempDir(), "export.json")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := exportgen.WritePretty(f, n); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	engine, err := rules.New(context.Background(), rules.Options{})
	if err != nil {
		b.Fatal(err)
	}
	c := audit.NewCollector()
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{path}, Engine: engine, Roles: c.Role, Account: c})
	if err != nil || res.Stats.RolesAnalyzed != n {
		b.Fatalf("analyzed %d roles, err %v", res.Stats.RolesAnalyzed, err)
	}
	findings := res.Reported()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		a := c.Analyze(findings, audit.Options{})
		rep := &report.Report{Rules: engine.Catalog(), Findings: findings, Stats: res.Stats, Audit: a}
		if err := report.Write(&buf, "html", rep); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1e6, "MB/page")
}
