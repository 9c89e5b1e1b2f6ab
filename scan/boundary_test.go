package scan_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/trustlint/trustlint/config"
	"github.com/trustlint/trustlint/rules"
	"github.com/trustlint/trustlint/scan"
)

// secretMarker is the content of files outside the project root: no
// message of a scan may ever contain it.
const secretMarker = "SECRET-4f1c-never-printed"

// vendorTrust is a trust policy with one TL001 finding (an external
// account without ExternalId), on line 6.
const vendorTrust = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "sts:AssumeRole",
    "Principal": {"AWS": "arn:aws:iam::999999999999:root"}
  }]
}
`

// boundaryTree lays out base/outside.json (secret), and a git work tree
// base/repo holding a module infra/iam that reads files of the repository
// and tries to read files outside it.
func boundaryTree(t *testing.T) (base, repo string) {
	t.Helper()
	base = t.TempDir()
	repo = filepath.Join(base, "repo")
	files := map[string]string{
		"outside.json":              `{"Statement": "` + secretMarker + `"}`,
		"repo/.git/HEAD":            "ref: refs/heads/main\n",
		"repo/policies/vendor.json": vendorTrust,
		"repo/infra/iam/main.tf": `resource "aws_iam_role" "vendor" {
  assume_role_policy = file("../../policies/vendor.json")
}

resource "aws_iam_role" "escape" {
  assume_role_policy = file("../../../outside.json")
}

resource "aws_iam_role" "passwd" {
  assume_role_policy = file("../../../../../../../../etc/passwd")
}
`,
	}
	writeTree(t, base, files)
	return base, repo
}

// writeTree writes files (slash paths relative to dir) below dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type scanned struct {
	findings []string // base name:line rule role
	diags    []string // base name: message
	all      string   // every message, for the disclosure check
}

func runScan(t *testing.T, opts scan.Options) scanned {
	t.Helper()
	engine, err := rules.New(context.Background(), rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts.Engine = engine
	opts.Config = config.Default()
	res, err := scan.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var out scanned
	var all strings.Builder
	for _, f := range res.Reported() {
		out.findings = append(out.findings, fmt.Sprintf("%s:%d %s %s", filepath.Base(f.Range.File), f.Range.Start.Line, f.RuleID, f.Role))
		all.WriteString(f.Message + "\n")
	}
	for _, d := range res.Diagnostics {
		out.diags = append(out.diags, filepath.Base(d.Range.File)+": "+d.Message)
		all.WriteString(d.Error() + "\n")
	}
	out.all = all.String()
	return out
}

// TestReadBoundaryGitRoot scans a module of a repository from / (as CI
// images do): the module reads a policy elsewhere in the repository (the
// project root is the git work tree, not the scanned directory nor the
// working directory), and nothing outside the repository.
func TestReadBoundaryGitRoot(t *testing.T) {
	_, repo := boundaryTree(t)
	t.Chdir("/")
	got := runScan(t, scan.Options{Paths: []string{filepath.Join(repo, "infra", "iam")}})
	if want := []string{"vendor.json:6 TL001 aws_iam_role.vendor"}; !slices.Equal(got.findings, want) {
		t.Errorf("findings %q, want %q", got.findings, want)
	}
	if strings.Contains(got.all, secretMarker) || strings.Contains(got.all, "root:x:0:0") {
		t.Errorf("a file outside the project root was disclosed:\n%s", got.all)
	}
	for _, want := range []string{`cannot read "../../../outside.json": the path leaves the scanned tree`, `cannot read "../../../../../../../../etc/passwd": the path leaves the scanned tree`} {
		if !slices.Contains(got.diags, "main.tf: "+want) {
			t.Errorf("no diagnostic %q in %q", want, got.diags)
		}
	}
}

// TestReadBoundaryRootFlag: --root narrows the boundary below the git work
// tree, and a path outside --root is refused.
func TestReadBoundaryRootFlag(t *testing.T) {
	base, repo := boundaryTree(t)
	iam := filepath.Join(repo, "infra", "iam")
	got := runScan(t, scan.Options{Paths: []string{iam, filepath.Join(base, "outside.json")}, Root: iam})
	if len(got.findings) != 0 {
		t.Errorf("findings %q, want none: the policy lies outside --root", got.findings)
	}
	for _, want := range []string{
		`main.tf: cannot read "../../policies/vendor.json": the path leaves the scanned tree`,
		"outside.json: outside the project root " + iam + " (--root); not read",
	} {
		if !slices.Contains(got.diags, want) {
			t.Errorf("no diagnostic %q in %q", want, got.diags)
		}
	}
	if strings.Contains(got.all, secretMarker) {
		t.Errorf("disclosed:\n%s", got.all)
	}
}

// TestSpecialFilesNeverRead names a symbolic link to /dev/zero and puts a
// FIFO among a module's .tf files: each is an error naming it, the scan
// neither hangs nor reads them, and the good policy beside them is still
// reported.
func TestSpecialFilesNeverRead(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	dir := t.TempDir()
	mod := filepath.Join(dir, "mod")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "vendor.json"), []byte(vendorTrust), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "main.tf"), []byte(`resource "aws_iam_role" "vendor" {
  assume_role_policy = file("${path.module}/../vendor.json")
}

resource "aws_iam_role" "fifo" {
  assume_role_policy = file("trust.fifo.json")
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.json")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(mod, "pipe.tf"), filepath.Join(mod, "trust.fifo.json")} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got := runScan(t, scan.Options{Paths: []string{dir, filepath.Join(dir, "zero.json")}})
	if want := []string{"vendor.json:6 TL001 aws_iam_role.vendor"}; !slices.Equal(got.findings, want) {
		t.Errorf("findings %q, want %q", got.findings, want)
	}
	want := []string{
		`main.tf: cannot read "trust.fifo.json": not a regular file (a named pipe); not read`,
		"pipe.tf: cannot read: not a regular file (a named pipe); not read",
		"zero.json: cannot read: not a regular file (a symbolic link); not read",
	}
	if !slices.Equal(got.diags, want) {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got.diags, "\n"), strings.Join(want, "\n"))
	}
}

// TestNoDisclosureOfNonPolicyFiles: a module that reads a file of the
// repository that is not a policy (credentials, an env file) through
// file() or templatefile() gets an error at the call; no message shows any
// of the file.
func TestNoDisclosureOfNonPolicyFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		".git/HEAD":   "ref: refs/heads/main\n",
		"deploy.env":  "AWS_SECRET_ACCESS_KEY=" + secretMarker + "\n",
		"vendor.json": vendorTrust,
		"main.tf": `resource "aws_iam_role" "env" {
  assume_role_policy = file("deploy.env")
}

resource "aws_iam_role" "tpl" {
  assume_role_policy = templatefile("${path.module}/deploy.env", {})
}

resource "aws_iam_role" "vendor" {
  assume_role_policy = file("vendor.json")
}
`,
	}
	writeTree(t, dir, files)
	got := runScan(t, scan.Options{Paths: []string{dir}})
	if want := []string{"vendor.json:6 TL001 aws_iam_role.vendor"}; !slices.Equal(got.findings, want) {
		t.Errorf("findings %q, want %q", got.findings, want)
	}
	want := []string{
		`main.tf: "./deploy.env" is not a JSON policy document: not analyzed, and none of its content is shown`,
		`main.tf: "deploy.env" is not a JSON policy document: not analyzed, and none of its content is shown`,
	}
	sort.Strings(got.diags)
	if !slices.Equal(got.diags, want) {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got.diags, "\n"), strings.Join(want, "\n"))
	}
	if strings.Contains(got.all, secretMarker) || strings.Contains(got.all, "AWS_SECRET") {
		t.Errorf("a non-policy file was disclosed:\n%s", got.all)
	}
}
