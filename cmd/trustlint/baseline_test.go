package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBaselineFromAnyDirectory checks that fingerprints name files (and
// bare documents) relative to the project root, not to the directory the
// scan ran from: a baseline written by a scan of a subdirectory matches a
// scan of the whole project and the other way round, in a git work tree
// and with --root.
func TestBaselineFromAnyDirectory(t *testing.T) {
	files := map[string]string{
		"team/p.json":  externalPolicy,
		"team/main.tf": vendorTF,
		"team/stack.yaml": `Resources:
  Vendor:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {AWS: "arn:aws:iam::777777777777:root"}}]
`,
	}
	for _, tc := range []struct {
		name string
		git  bool
		// --root as given from the subdirectory and from the root
		subRoot, topRoot []string
	}{
		{name: "git work tree", git: true},
		{name: "--root", subRoot: []string{"--root", ".."}, topRoot: []string{"--root", "."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, files)
			if tc.git {
				if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			sub := filepath.Join(dir, "team")
			fromSub := func(args ...string) (int, string, string) {
				return trustlint(t, sub, append(append([]string{"scan", "--color", "never"}, tc.subRoot...), args...)...)
			}
			fromTop := func(args ...string) (int, string, string) {
				return trustlint(t, dir, append(append([]string{"scan", "--color", "never"}, tc.topRoot...), args...)...)
			}
			if code, _, errOut := fromSub("--format", "sarif", "-o", "../sub.sarif", "."); code != ExitFindings {
				t.Fatalf("baseline from the subdirectory: exit %d, %s", code, errOut)
			}
			if code, _, errOut := fromTop("--format", "sarif", "-o", "top.sarif", "."); code != ExitFindings {
				t.Fatalf("baseline from the root: exit %d, %s", code, errOut)
			}
			check := func(what string, code int, out, errOut string) {
				t.Helper()
				if code != ExitOK || !strings.Contains(out, "no findings") || !strings.Contains(out, "; 3 in the baseline") {
					t.Errorf("%s: exit %d, stderr %s, output:\n%s", what, code, errOut, out)
				}
			}
			code, out, errOut := fromTop("--baseline", "sub.sarif", ".")
			check("the subdirectory's baseline, scanned from the root", code, out, errOut)
			code, out, errOut = fromTop("--baseline", "sub.sarif", "team")
			check("the subdirectory's baseline, the subdirectory named from the root", code, out, errOut)
			code, out, errOut = fromSub("--baseline", "../top.sarif", ".")
			check("the root's baseline, scanned from the subdirectory", code, out, errOut)
		})
	}
}
