package audit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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

// BenchmarkAuditLargePolicy measures the audit of one role whose trust
// policy has n statements of every generated kind: Analyze, and Info for
// each finding (as the JSON, SARIF and HTML reports ask). Attaching a
// finding must look at its own statement's grants only, so µs/stmt stays
// flat as n grows (issue 9: it was findings × grants). The scan runs once,
// outside the loop.
func BenchmarkAuditLargePolicy(b *testing.B) {
	engine, err := rules.New(context.Background(), rules.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000, 10000} {
		path := filepath.Join(b.TempDir(), "trust.json")
		src, err := json.Marshal(exportgen.LargePolicy(n))
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, src, 0o600); err != nil {
			b.Fatal(err)
		}
		c := audit.NewCollector()
		res, err := scan.Run(context.Background(), scan.Options{Paths: []string{path}, Engine: engine, Roles: c.Role, Account: c})
		findings := res.Reported()
		if err != nil || res.Stats.RolesAnalyzed != 1 || len(findings) < n/10 {
			b.Fatalf("analyzed %d roles, %d findings, err %v", res.Stats.RolesAnalyzed, len(findings), err)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				a := c.Analyze(findings, audit.Options{})
				principals := 0
				for _, f := range findings {
					if a.Info(f).Principal != "" {
						principals++
					}
				}
				if principals == 0 {
					b.Fatal("no finding matched a principal")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/stmt")
		})
	}
}
