package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/internal/sarifschema"
)

var update = flag.Bool("update", false, "update golden files")

// trustlint runs the command line in dir and returns its exit code and
// output.
func trustlint(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Chdir(dir)
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// checkSARIF validates a SARIF log against the schema and saves it for the
// SARIF multitool run of CI.
func checkSARIF(t *testing.T, data []byte) {
	t.Helper()
	if err := sarifschema.Validate(data); err != nil {
		t.Error(err)
	}
	sarifschema.Save(t, data)
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (review, then go test -update):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestExamplesGolden scans the bundled examples, from the repository root as
// the README does, in every format.
func TestExamplesGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"text", []string{"--format", "text"}},
		{"text-color", []string{"--format", "text", "--color", "always"}},
		{"quiet", []string{"--quiet"}},
		{"github", []string{"--format", "github"}},
		{"json", []string{"--format", "json"}},
		{"sarif", []string{"--format", "sarif"}},
		{"csv", []string{"--format", "csv"}},
		{"html", []string{"--format", "html"}},
		// --min-severity filters every format: only high and critical.
		{"json-high", []string{"--format", "json", "--min-severity", "high"}},
		{"text-critical", []string{"--format", "text", "--min-severity", "critical"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := scanExamples(t, tc.args...)
			if tc.name == "sarif" {
				checkSARIF(t, []byte(out))
			}
			golden(t, "examples."+tc.name+".golden", []byte(out))
		})
	}
}

// scanExamples scans the bundled examples from the repository root with
// args, checks the exit code and returns the output, the SARIF %SRCROOT%
// (the absolute checkout directory) written file:///SRCROOT/.
func scanExamples(t *testing.T, args ...string) string {
	t.Helper()
	version = "0.0.0-test"
	wd, _ := os.Getwd()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := trustlint(t, "../..", append(append([]string{"scan"}, args...), "testdata/examples")...)
	if code != ExitFindings {
		t.Errorf("exit code %d, want %d; stderr: %s", code, ExitFindings, errOut)
	}
	t.Chdir(wd)
	return strings.ReplaceAll(out, "file://"+filepath.ToSlash(root)+"/", "file:///SRCROOT/")
}

// TestExamplesFromSource scans the bundled examples with the built-in rules
// compiled from their source with every check, instead of taken compiled
// from rules/builtin.ast, and compares the SARIF log with the same golden
// file (never rewriting it): precompiling the rules changes no finding.
func TestExamplesFromSource(t *testing.T) {
	rulesFromSource = true
	t.Cleanup(func() { rulesFromSource = false })
	out := scanExamples(t, "--format", "sarif")
	want, err := os.ReadFile(filepath.Join("testdata", "examples.sarif.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("the SARIF log of the examples differs with the rules compiled from source:\n%s", out)
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const externalPolicy = `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "999999999999"}, "Action": "sts:AssumeRole"}]}`

const sessionRole = `{"Role": {"RoleName": "r", "Arn": "arn:aws:iam::111111111111:role/r",
 "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
 "MaxSessionDuration": 7200}}`

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		args     []string
		code     int
		stdout   string // substring
		stderr   string // substring
		noStdout string
	}{
		{name: "clean", files: map[string]string{"p.json": `{"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}`},
			args: []string{"scan"}, code: ExitOK, stdout: "no findings in 1 role across 1 file"},
		{name: "findings", files: map[string]string{"p.json": externalPolicy},
			args: []string{"scan", "."}, code: ExitFindings, stdout: "p.json:1:57: high TL001"},
		{name: "below fail-on", files: map[string]string{"p.json": externalPolicy},
			args: []string{"scan", "--fail-on", "critical"}, code: ExitOK, stdout: "TL001"},
		{name: "exit-zero", files: map[string]string{"p.json": externalPolicy},
			args: []string{"scan", "--exit-zero"}, code: ExitOK, stdout: "TL001"},
		{name: "broken file still reports others", files: map[string]string{"p.json": externalPolicy, "bad.json": "{\"Statement\": [{\"Principal\": \n}"},
			args: []string{"scan"}, code: ExitError, stdout: "bad.json:2:1: error:", stderr: ""},
		{name: "broken file keeps other findings", files: map[string]string{"p.json": externalPolicy, "bad.json": "{\"Statement\": [{\"Principal\": \n}"},
			args: []string{"scan"}, code: ExitError, stdout: "p.json:1:57: high TL001"},
		{name: "a named unrelated file is an error", files: map[string]string{"package.json": `{"name": "x"}`, "p.json": externalPolicy},
			args: []string{"scan", "package.json"}, code: ExitError, stdout: "package.json: error: not read: no trust policy format fits this file (no IAM role or trust policy content)"},
		{name: "unrelated json is skipped silently with --skip-unrelated", files: map[string]string{"package.json": `{"name": "x"}`, "p.json": externalPolicy},
			args: []string{"scan", "--skip-unrelated", "package.json"}, code: ExitOK, stdout: "no findings in 0 roles across 0 files", noStdout: "package.json"},
		{name: "verbose says why", files: map[string]string{"package.json": `{"name": "x"}`},
			args: []string{"scan", "-v", "--skip-unrelated", "package.json"}, code: ExitOK, stderr: "package.json: skipped:"},
		{name: "missing path", files: map[string]string{},
			args: []string{"scan", "nope.json"}, code: ExitError, stdout: "nope.json: error: cannot read"},
		{name: "bad format", files: map[string]string{}, args: []string{"scan", "--format", "xml"}, code: ExitError, stderr: "unknown --format \"xml\""},
		{name: "bad fail-on", files: map[string]string{}, args: []string{"scan", "--fail-on", "severe"}, code: ExitError, stderr: "unknown --fail-on"},
		{name: "bad flag", files: map[string]string{}, args: []string{"scan", "--nope"}, code: ExitError, stderr: "unknown flag: --nope"},
		{name: "config error names line", files: map[string]string{".trustlint.yaml": "own_account: \"111111111111\"\ntrusted_acounts: []\n"},
			args: []string{"scan"}, code: ExitError, stderr: ".trustlint.yaml:2: unknown setting \"trusted_acounts\" (did you mean trusted_accounts?)"},
		{name: "config unknown rule", files: map[string]string{"c.yaml": "rules:\n  TL999: {enabled: false}\n"},
			args: []string{"scan", "--config", "c.yaml"}, code: ExitError, stderr: "c.yaml:2: rules: unknown rule \"TL999\""},
		{name: "config disables rule", files: map[string]string{".trustlint.yaml": "rules: {TL004: {enabled: false}}\n", "r.json": sessionRole},
			args: []string{"scan"}, code: ExitOK, noStdout: "TL004"},
		{name: "config session limit", files: map[string]string{".trustlint.yaml": "max_session_duration: 1h\n", "r.json": sessionRole},
			args: []string{"scan"}, code: ExitFindings, stdout: "TL004"},
		{name: "config trusted account", files: map[string]string{".trustlint.yaml": "trusted_accounts: [\"999999999999\"]\n", "p.json": externalPolicy},
			args: []string{"scan"}, code: ExitFindings, stdout: "TL002", noStdout: "TL001"},
		{name: "exclude", files: map[string]string{".trustlint.yaml": "exclude: [\"fixtures/**\"]\n", "fixtures/p.json": externalPolicy},
			args: []string{"scan"}, code: ExitOK, noStdout: "TL001"},
		{name: "skips .git and node_modules", files: map[string]string{".git/p.json": externalPolicy, "node_modules/x/p.json": externalPolicy, "cdk.out/asset.123/p.json": externalPolicy},
			args: []string{"scan"}, code: ExitOK, noStdout: "TL001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			code, out, errOut := trustlint(t, dir, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, out)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, errOut)
			}
			if tt.noStdout != "" && strings.Contains(out, tt.noStdout) {
				t.Errorf("stdout has %q:\n%s", tt.noStdout, out)
			}
		})
	}
}

func TestOutputFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": externalPolicy})
	code, out, _ := trustlint(t, dir, "scan", "--format", "sarif", "--output", "out.sarif", ".")
	if code != ExitFindings || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "out.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	checkSARIF(t, data)
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine, StartColumn, EndLine, EndColumn int
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	r := log.Runs[0].Results[0]
	loc := r.Locations[0].PhysicalLocation
	if r.RuleID != "TL001" || loc.ArtifactLocation.URI != "p.json" || loc.Region.StartLine != 1 || loc.Region.StartColumn != 57 || loc.Region.EndColumn != 71 {
		t.Errorf("got %s at %s %+v, want TL001 at p.json 1:57-71", r.RuleID, loc.ArtifactLocation.URI, loc.Region)
	}
}

func TestRulesAndVersion(t *testing.T) {
	code, out, _ := trustlint(t, ".", "rules")
	for _, want := range []string{"TL001  high (8.0)", "missing-external-id", "TL003  critical (9.5)", "TL004"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("rules: exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
	version, commit = "v1.2.3", "0123abc"
	defer func() { version, commit = "", "" }()
	code, out, _ = trustlint(t, ".", "version")
	if want := "trustlint v1.2.3 (commit 0123abc)\n" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"; code != 0 || out != want {
		t.Errorf("version: exit %d, %q, want %q", code, out, want)
	}
}
