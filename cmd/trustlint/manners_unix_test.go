//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestOutputManners checks point 10: report files are created 0644 less
// the umask, -o into a missing directory names the directory, with -o a
// terminal still shows the one-line summary (a pipe does not), and the
// summary counts files, not Terraform modules.
func TestOutputManners(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"p.json":        externalPolicy,
		"infra/main.tf": "resource \"aws_iam_role\" \"a\" {\n  name = \"a\"\n  assume_role_policy = jsonencode({Statement = [{Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {Service = \"ec2.amazonaws.com\"}}]})\n}\n",
		"infra/vars.tf": "variable \"x\" {\n  default = 1\n}\n",
		"infra/out.tf":  "output \"y\" {\n  value = 2\n}\n",
	})
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	fc := newFakeConsole(true, false, nil)
	code := fc.run(t, dir, "scan", "--color", "never", "--format", "sarif", "-o", "out.sarif", ".")
	st, err := os.Stat(filepath.Join(dir, "out.sarif"))
	if err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("report file: %v, mode %v, want 0640 (0644 under umask 027)", err, st.Mode().Perm())
	}
	want := "1 finding (1 high) in 2 roles across 4 files (report in out.sarif)\n"
	if code != ExitFindings || fc.out.String() != want {
		t.Errorf("terminal: exit %d, %q, want %q", code, fc.out.String(), want)
	}
	code, out, errOut := trustlint(t, dir, "scan", "-o", "out.txt", ".")
	if code != ExitFindings || out != "" {
		t.Errorf("pipe: exit %d, stdout %q, want nothing; stderr %s", code, out, errOut)
	}
	code, _, errOut = trustlint(t, dir, "scan", "-o", "reports/2026/out.sarif", ".")
	if code != ExitError || !strings.Contains(errOut, "reports/2026/out.sarif: the directory reports/2026 does not exist") {
		t.Errorf("missing directory: exit %d, stderr %q", code, errOut)
	}
}
