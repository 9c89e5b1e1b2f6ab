package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// getRoleOutput is `aws iam get-role --role-name vendor-audit` as the CLI
// prints it: the trust policy lets an external account in without an
// ExternalId (TL001 on line 12).
const getRoleOutput = `{
    "Role": {
        "Path": "/",
        "RoleName": "vendor-audit",
        "RoleId": "AROAQXAMPLE7VENDORAUD",
        "Arn": "arn:aws:iam::111122223333:role/vendor-audit",
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
                    "Action": "sts:AssumeRole"
                }
            ]
        },
        "MaxSessionDuration": 3600
    }
}
`

// utf16LE encodes s as PowerShell's `>` writes it: UTF-16LE with a BOM.
func utf16LE(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

// runStdin runs trustlint in dir with stdin as standard input.
func runStdin(t *testing.T, dir, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	fc := newFakeConsole(false, false, nil)
	con := fc.console()
	con.stdin = strings.NewReader(stdin)
	t.Chdir(dir)
	code = runConsole(context.Background(), args, con)
	return code, fc.out.String(), fc.err.String()
}

// TestInputsByContent: files named on the command line are read by their
// content whatever their name, standard input too, in UTF-8 with or
// without a BOM or in UTF-16; a named file no format fits is an error.
func TestInputsByContent(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"exports/vendor-audit":      getRoleOutput,
		"exports/role.utf16.json":   utf16LE(getRoleOutput),
		"exports/role.bom.json":     "\uFEFF" + getRoleOutput,
		"exports/role-utf16.txt":    utf16LE(getRoleOutput),
		"notes.txt":                 "Rotate the vendor's ExternalId every quarter.\n",
		"exports/truncated.json":    "{\n    \"Role\": {\n        \"Path\": \"/\",\n        \"RoleNa",
		"exports/almost-empty.json": "{\"Version\": \"2012-10-17\", \"Statem",
	})
	const finding = ":12:42: high TL001"
	tests := []struct {
		name    string
		stdin   string
		args    []string
		code    int
		want    []string // substrings of standard output
		notWant string
	}{
		{name: "a get-role output saved without extension", args: []string{"scan", "exports/vendor-audit"},
			code: ExitFindings, want: []string{"exports/vendor-audit" + finding}},
		{name: "UTF-16 with BOM", args: []string{"scan", "exports/role.utf16.json"},
			code: ExitFindings, want: []string{"exports/role.utf16.json" + finding}},
		{name: "UTF-16 under another extension", args: []string{"scan", "exports/role-utf16.txt"},
			code: ExitFindings, want: []string{"exports/role-utf16.txt" + finding}},
		{name: "UTF-8 with BOM", args: []string{"scan", "exports/role.bom.json"},
			code: ExitFindings, want: []string{"exports/role.bom.json" + finding}},
		{name: "standard input as -", stdin: getRoleOutput, args: []string{"scan", "-"},
			code: ExitFindings, want: []string{"<stdin>" + finding, `"arn:aws:iam::999988887777:root"`}},
		{name: "standard input as /dev/stdin, named", stdin: utf16LE(getRoleOutput), args: []string{"scan", "--stdin-name", "prod/get-role.json", "/dev/stdin"},
			code: ExitFindings, want: []string{"prod/get-role.json" + finding}},
		{name: "standard input beside a directory", stdin: getRoleOutput, args: []string{"scan", "-", "exports/role.bom.json"},
			code: ExitFindings, want: []string{"<stdin>" + finding, "exports/role.bom.json" + finding}},
		{name: "a named file no format fits", args: []string{"scan", "notes.txt", "exports/vendor-audit"},
			code: ExitError, want: []string{"notes.txt: error: not read: no trust policy format fits this file", "exports/vendor-audit" + finding}},
		{name: "unrelated standard input", stdin: "hello\n", args: []string{"scan", "-"},
			code: ExitError, want: []string{"<stdin>: error: not read: no trust policy format fits this file"}},
		{name: "a named .json cut short", args: []string{"scan", "exports/truncated.json"},
			code: ExitError, want: []string{"exports/truncated.json:4:"}},
		{name: "a named .json cut before its Statement", args: []string{"scan", "exports/almost-empty.json"},
			code: ExitError, want: []string{"exports/almost-empty.json:1:"}},
		{name: "a walk still skips what it does not read", args: []string{"scan", "."},
			code: ExitFindings, notWant: "notes.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runStdin(t, dir, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if tt.notWant != "" && strings.Contains(out, tt.notWant) {
				t.Errorf("stdout has %q:\n%s", tt.notWant, out)
			}
		})
	}
}

// TestNamesRelativeToRoot: a bare document's name and every fingerprint
// are the same however the path was typed and wherever the scan started.
func TestNamesRelativeToRoot(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".git/HEAD":                   "ref: refs/heads/main\n",
		"policies/vendor/trust.json":  externalPolicy,
		"infra/main.tf":               "resource \"aws_iam_role\" \"vendor\" {\n  assume_role_policy = file(\"../policies/vendor/trust.json\")\n}\n",
		"infra/terraform.tfvars.json": "{}",
	})
	type result struct{ role, fingerprint string }
	scanJSON := func(cwd string, args ...string) []result {
		t.Helper()
		code, out, errOut := runStdin(t, filepath.Join(dir, cwd), "", append([]string{"scan", "--format", "json"}, args...)...)
		if code != ExitFindings {
			t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
		}
		var rep struct {
			Findings []struct {
				Role        string `json:"role"`
				Fingerprint string `json:"fingerprint"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var got []result
		for _, f := range rep.Findings {
			got = append(got, result{role: f.Role, fingerprint: f.Fingerprint})
		}
		return got
	}
	want := scanJSON(".", "policies/vendor/trust.json")
	if len(want) != 1 || want[0].role != "policies/vendor/trust.json" {
		t.Fatalf("got %+v, want one finding of role policies/vendor/trust.json", want)
	}
	for _, c := range []struct{ cwd, path string }{
		{".", "./policies/vendor/../vendor/trust.json"},
		{".", filepath.Join(dir, "policies", "vendor", "trust.json")},
		{"policies/vendor", "trust.json"},
		{"infra", "../policies/vendor/trust.json"},
		{"policies", "."},
	} {
		got := scanJSON(c.cwd, c.path)
		if len(got) != 1 || got[0] != want[0] {
			t.Errorf("from %s, scan %s: got %+v, want %+v", c.cwd, c.path, got, want)
		}
	}
	// The Terraform role reads the same file: its finding is in that file,
	// fingerprinted by the root-relative path however the module was named.
	a := scanJSON(".", "infra")
	b := scanJSON("infra", ".")
	if len(a) != 1 || len(b) != 1 || a[0] != b[0] || a[0].role != "aws_iam_role.vendor" {
		t.Errorf("module from the root %+v, from its directory %+v: want one equal finding of aws_iam_role.vendor", a, b)
	}
}
