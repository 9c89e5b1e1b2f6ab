package integration

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trustlint/trustlint/model"
)

// goodTrust is the good file beside every hostile input: its TL001 on line
// 6 must be reported whatever the hostile file does.
const goodTrust = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "sts:AssumeRole",
    "Principal": {"AWS": "arn:aws:iam::999988887777:root"}
  }]
}
`

// hostileCase is one attack of issue 9, generated at test time.
// heapFloorRSSMB bounds the peak memory of a scan that allocates past the
// GC's first goal and keeps little: the 160 MB heap it may reach before a
// collection, the binary, the stacks and the input.
const heapFloorRSSMB = 250

type hostileCase struct {
	name string
	// setup writes the hostile input into the repository dir and returns
	// the scan's arguments (relative to dir).
	setup func(t *testing.T, dir string) []string
	// code is the expected exit status; errorAt the file:line prefix of the
	// error (or note) that must name the hostile input.
	code    int
	errorAt string
	// maxRSSMB and maxCPU bound the run (peak resident memory, user+system
	// CPU time: wall time depends on the machine's load). A run that
	// allocates more than the GC's first goal (32 MB) may grow its heap to
	// 160 MB before collecting, however little is live (minHeapGoal in
	// cmd/trustlint): such a case's bound is at least heapFloorRSSMB.
	maxRSSMB int64
	maxCPU   time.Duration
	// cwd, when set, is the working directory ("/" as CI images use).
	cwd string
	// addressSpaceKB, when set, replaces the 4 GB address-space limit
	// (ulimit -v) the scan runs under.
	addressSpaceKB int
	// check, when set, checks the scan's text output further.
	check func(t *testing.T, text string)
}

func writeHostile(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// role is a Terraform role whose trust policy is the expression expr.
func role(name, expr string) string {
	return fmt.Sprintf("resource \"aws_iam_role\" %q {\n  assume_role_policy = %s\n}\n", name, expr)
}

var hostileCases = []hostileCase{
	{name: "file() of /etc/passwd from /", cwd: "/", code: 2, errorAt: "m/main.tf:2:", maxRSSMB: 300, maxCPU: 20 * time.Second,
		setup: func(t *testing.T, dir string) []string {
			writeHostile(t, dir, "m/main.tf", role("passwd", `file("../../../../../../../../../../etc/passwd")`))
			return []string{filepath.Join(dir, "m"), filepath.Join(dir, "good.json")}
		}},
	{name: "deep HCL in a .tf", code: 2, errorAt: "m/deep.tf:2:", maxRSSMB: 300, maxCPU: 20 * time.Second,
		setup: func(t *testing.T, dir string) []string {
			writeHostile(t, dir, "m/deep.tf", "locals {\n  x = "+strings.Repeat("(", 200000)+"1"+strings.Repeat(")", 200000)+"\n}\n")
			return []string{"."}
		}},
	{name: "deep HCL in a .tfvars", code: 2, errorAt: "m/terraform.tfvars:1:", maxRSSMB: 300, maxCPU: 20 * time.Second,
		setup: func(t *testing.T, dir string) []string {
			writeHostile(t, dir, "m/main.tf", "variable \"x\" {}\n")
			writeHostile(t, dir, "m/terraform.tfvars", "x = "+strings.Repeat("[", 200000)+strings.Repeat("]", 200000)+"\n")
			return []string{"."}
		}},
	{name: "deep template", code: 2, errorAt: "m/trust.tpl:1:", maxRSSMB: 300, maxCPU: 20 * time.Second,
		setup: func(t *testing.T, dir string) []string {
			writeHostile(t, dir, "m/main.tf", role("tpl", `templatefile("${path.module}/trust.tpl", {})`))
			writeHostile(t, dir, "m/trust.tpl", strings.Repeat("${(", 100000)+"1"+strings.Repeat(")}", 100000)+"\n")
			return []string{"."}
		}},
	{name: "function bombs and doubling locals", code: 1, errorAt: "m/main.tf:", maxRSSMB: 600, maxCPU: 60 * time.Second,
		setup: func(t *testing.T, dir string) []string {
			var b strings.Builder
			b.WriteString("locals {\n  l0 = \"aaaaaaaaaaaaaaaa\"\n")
			for i := 1; i <= 60; i++ {
				fmt.Fprintf(&b, "  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
			}
			b.WriteString("  bomb = indent(1000000000000, \"a\\nb\")\n")
			b.WriteString("  prod = setproduct(range(5000), range(5000), range(5000))\n")
			b.WriteString("  nest = [for a in range(2000) : [for b in range(2000) : [for c in range(2000) : c]]]\n}\n")
			b.WriteString(role("bomb", `jsonencode({Statement = [{Effect = "Allow", Action = "sts:AssumeRole", Principal = {AWS = [local.l60, local.bomb, local.prod, local.nest]}}]})`))
			writeHostile(t, dir, "m/main.tf", b.String())
			return []string{"."}
		}},
	// Numbers: 1E8888880 written as text has 8.9 million digits (26 s),
	// 1e-100000 takes 3.6 s, eight factors of 1e300 need no long literal,
	// and reading a literal of a million digits takes 4 s.
	{name: "numbers of millions of digits", code: 1, errorAt: "m/main.tf:2:", maxRSSMB: 300, maxCPU: 20 * time.Second,
		setup: func(t *testing.T, dir string) []string {
			writeHostile(t, dir, "m/main.tf", role("num", `jsonencode({Version = "${1E8888880}", Statement = [{Effect = "Allow", Action = "sts:AssumeRole", Principal = {AWS = [tostring(1e-100000), "${local.p}"]}}]})`)+
				"locals {\n  p = "+strings.Repeat("1e300 * ", 8)+"1\n}\n")
			return []string{"."}
		}},
	{name: "a literal of a million digits", code: 2, errorAt: "m/terraform.tfvars:1:", maxRSSMB: 300, maxCPU: 20 * time.Second,
		setup: func(t *testing.T, dir string) []string {
			writeHostile(t, dir, "m/main.tf", "variable \"x\" {}\n")
			writeHostile(t, dir, "m/terraform.tfvars", "x = "+strings.Repeat("9", 1<<20)+"\n")
			return []string{"."}
		}},
	{name: "FIFO named .tf and read by file()", code: 2, errorAt: "m/", maxRSSMB: 300, maxCPU: 20 * time.Second,
		setup: func(t *testing.T, dir string) []string {
			writeHostile(t, dir, "m/main.tf", role("fifo", `file("trust.json")`))
			for _, p := range []string{"m/pipe.tf", "m/trust.json"} {
				if err := syscall.Mkfifo(filepath.Join(dir, p), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			return []string{"."}
		}},
	{name: "named symlink to /dev/zero", code: 2, errorAt: "zero.json:", maxRSSMB: 300, maxCPU: 20 * time.Second,
		setup: func(t *testing.T, dir string) []string {
			if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.json")); err != nil {
				t.Fatal(err)
			}
			return []string{"zero.json", "good.json"}
		}},
	{name: "a 1 GiB file that is not a policy", code: 2, errorAt: "huge.json:", maxRSSMB: 300, maxCPU: 20 * time.Second,
		setup: func(t *testing.T, dir string) []string {
			f, err := os.Create(filepath.Join(dir, "huge.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Truncate(1 << 30); err != nil { // sparse: no disk used
				t.Fatal(err)
			}
			_ = f.Close()
			return []string{"."}
		}},
	// Dense JSON: one condition list of half a million (1 MB) or five
	// million (10 MB) values. Issue 9 point 5 measured 370 MB and 2.4 GB
	// at the start; 90 MB and 460 MB once long scalar lists were packed
	// in the tree, 58 MB and 260 MB since they stay packed in the source map,
	// 51 MB and 210-220 MB since only every 64th element's offset is kept,
	// 40 MB and 140 MB since the rule input keeps each distinct value once
	// (model.PackedList).
	{name: "1 MB of dense JSON", code: 1, errorAt: "dense.json:1:", maxRSSMB: 60, maxCPU: 20 * time.Second,
		setup: writesDense("dense.json", denseJSON, 1<<20)},
	{name: "10 MB of dense JSON", code: 1, errorAt: "dense.json:1:", maxRSSMB: 180, maxCPU: 40 * time.Second,
		setup: writesDense("dense.json", denseJSON, 10<<20)},
	// Many documents: 10 MB of small trust policies one after another
	// (76,538 documents, all named by the file) cost what a list-roles
	// export of as many roles does (419-433 MB, 5-7 s of CPU); finding each
	// role's audit entry by name alone took 59 s.
	{name: "10 MB of policies one after another", code: 1, errorAt: "many.json:1:", maxRSSMB: 600, maxCPU: 30 * time.Second,
		setup: writesDense("many.json", func(size int) string {
			const doc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"sts:AssumeRole"}]}` + "\n"
			return strings.Repeat(doc, size/len(doc))
		}, 10<<20)},
	// A tight address-space limit: the heap reserved for huge pages
	// (hugepages_linux.go) counted against it, and the runtime's failed
	// mapping was fatal under 1 GB.
	{name: "a 1 GB address-space limit", code: 1, maxRSSMB: 300, maxCPU: 20 * time.Second, addressSpaceKB: 1000000,
		setup: func(t *testing.T, dir string) []string { return []string{"."} }},
	// Deny guards beside trust statements: every trust statement was
	// compared with every guard (10,000 of each: 95 s of CPU). The
	// guards pin each wildcard Allow but the last, which also allows
	// sts:AssumeRoleWithSAML that no guard denies: one TL003, on it.
	{name: "10,000 Deny guards beside 10,000 trust statements", code: 1, maxRSSMB: 300, maxCPU: 20 * time.Second,
		setup: writesDense("guards.json", func(n int) string {
			const allow = `{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"},` + "\n"
			const guard = `{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}},` + "\n"
			return `{"Version":"2012-10-17","Statement":[` + "\n" + strings.Repeat(allow+guard, n) +
				`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["sts:AssumeRole","sts:AssumeRoleWithSAML"]}` + "\n]}\n"
		}, 10000),
		check: func(t *testing.T, text string) {
			if n := strings.Count(text, "TL003 any AWS principal"); n != 1 || !strings.Contains(text, "guards.json:20002:") {
				t.Errorf("%d TL003 findings, want one at guards.json:20002:\n%.3000s", n, text)
			}
		}},
	// The same list of quoted strings ("0","0",...) in a StringEquals
	// condition: 311 MB, 95 MB since the audit's condition summary keeps
	// the values it shows only.
	{name: "10 MB of dense quoted JSON", code: 1, errorAt: "dense.json:1:", maxRSSMB: 140, maxCPU: 40 * time.Second,
		// Written in pieces: the peak RSS that rusage reports for the scan
		// is at least this test's own (the child starts as its copy), and
		// building 10 MB strings raised it for every case after.
		setup: func(t *testing.T, dir string) []string {
			f, err := os.Create(filepath.Join(dir, "dense.json"))
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = f.Close() }()
			head, tail, _ := strings.Cut(denseJSON(0), "[0")
			head = strings.Replace(head, "NumericEquals", "StringEquals", 1) + `["0"`
			piece := strings.Repeat(`,"0"`, 1<<14)
			for _, s := range append(append([]string{head}, slices.Repeat([]string{piece}, (10<<20)/len(piece))...), tail) {
				if _, err := f.WriteString(s); err != nil {
					t.Fatal(err)
				}
			}
			return []string{"."}
		}},
	// Dense YAML: the same list as one flow sequence of a CloudFormation
	// template. 1 MB took 124 s (positions recounted the line), then
	// 370 MB, then 315 MB (the yaml.v3 node tree and ours); about 90 MB
	// since long flow lists are blanked before yaml.v3 reads the text and
	// packed from it (parser/cloudformation/flowlist.go); 42 MB since the
	// audit's condition summary keeps only the values it shows.
	{name: "1 MB of dense YAML", code: 1, errorAt: "dense.yaml:11:", maxRSSMB: 70, maxCPU: 20 * time.Second,
		setup: writesDense("dense.yaml", denseYAML, 1<<20)},
	// The same list of quoted strings ("0","0",...): 174 MB, now 39 MB.
	{name: "1 MB of dense quoted YAML", code: 1, errorAt: "dense.yaml:11:", maxRSSMB: 70, maxCPU: 20 * time.Second,
		setup: writesDense("dense.yaml", func(size int) string {
			return strings.ReplaceAll(strings.Replace(denseYAML(size*2/3), "[0", `["0"`, 1), ",0", `,"0"`)
		}, 1<<20)},
	// The policy of denseJSON in a JSON template: 216 MB with a node per
	// value, 92 MB since JSON templates' long lists are packed too, 42 MB
	// with model.PackedList and the audit's summary.
	{name: "1 MB of dense JSON template", code: 1, errorAt: "dense.json:1:", maxRSSMB: 70, maxCPU: 20 * time.Second,
		setup: writesDense("dense.json", func(size int) string {
			return `{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": ` +
				strings.TrimSuffix(denseJSON(size-100), "\n") + "}}}}\n"
		}, 1<<20)},
	// The list as a block sequence ("- 0" lines, four bytes a value) at the
	// top of the template, which the policy names by an alias: 180 MB, and
	// 52 MB since block sequences of scalars are packed too.
	{name: "1 MB of dense block YAML", code: 1, errorAt: "dense.yaml:", maxRSSMB: 80, maxCPU: 20 * time.Second,
		setup: writesDense("dense.yaml", denseBlockYAML, 1<<20)},
	// The flow list across lines of 40 values: 253 MB, now 40 MB.
	{name: "1 MB of dense multi-line YAML", code: 1, errorAt: "dense.yaml:11:", maxRSSMB: 70, maxCPU: 20 * time.Second,
		setup: writesDense("dense.yaml", func(size int) string {
			return strings.ReplaceAll(denseYAML(size), strings.Repeat(",0", 40), strings.Repeat(",0", 40)+"\n                 ")
		}, 1<<20)},
	// 10 MB took 3.7 GB and 105 s; a template of more than 1,048,576
	// values (CloudFormation accepts 1 MB) is now refused before parsing.
	{name: "10 MB of dense YAML", code: 2, errorAt: "dense.yaml:15:", maxRSSMB: 80, maxCPU: 20 * time.Second,
		setup: writesDense("dense.yaml", denseYAML, 10<<20)},
	// Dense .tf.json: a local of one 10 MB list took 4.1 GB and 100 s; a
	// JSON syntax file of more than 500,000 values is refused.
	{name: "10 MB of dense .tf.json", code: 2, errorAt: "m/dense.tf.json:1:", maxRSSMB: 80, maxCPU: 20 * time.Second,
		setup: writesDense("m/dense.tf.json", denseTFJSON, 10<<20)},
	// A 10 MB policy document in one literal, which the counts above see
	// as one token or value: 1.2 GB, now refused at 500,000 values.
	{name: "10 MB policy in a .tf.json string", code: 2, errorAt: "m/dense.tf.json:1:", maxRSSMB: 300, maxCPU: 20 * time.Second,
		setup: writesDense("m/dense.tf.json", denseTFJSONString, 10<<20)},
	{name: "10 MB policy in a .tf heredoc", code: 2, errorAt: "m/dense.tf:3:", maxRSSMB: 400, maxCPU: 20 * time.Second,
		setup: writesDense("m/dense.tf", denseHeredoc, 10<<20)},
	// Dense .tf: 10 MB of one jsonencode'd list (five million zeros) took
	// 4.5 GB and 100 s in hclsyntax before the density pre-scan refused it.
	{name: "10 MB of dense .tf", code: 2, errorAt: "m/dense.tf:8:", maxRSSMB: 80, maxCPU: 20 * time.Second,
		setup: writesDense("m/dense.tf", denseTF, 10<<20)},
	// Floods of diagnostics: a million non-role elements in an export's
	// role list or a million repeats of a key in a role object gave a
	// million diagnostics (5 million lines, 245 MB of text output, 456-494
	// MB and 37-47 s of CPU); a file reports its first 100 and one for
	// the rest (62-81 MB, 0.7 s), and its role after them is still read.
	{name: "a million non-role list elements", code: 2, errorAt: "flood.json:1:21: error: RoleDetailList[0] is not a role object", maxRSSMB: heapFloorRSSMB, maxCPU: 20 * time.Second,
		setup: writesDense("flood.json", func(int) string {
			return `{"RoleDetailList": [` + strings.Repeat("7,", 1000000) + "\n" + floodedRole + "]}\n"
		}, 0),
		check: cappedDiagnostics("flood.json", "flood.json:1:221: error: and 999900 more diagnostics of this file, not shown (at most 100 are shown per file); the first is here", "flood.json:3:22: high TL001")},
	{name: "a million duplicate keys", code: 2, errorAt: `dup.json:1:40: error: duplicate key "T" (first at line 1)`, maxRSSMB: 110, maxCPU: 20 * time.Second,
		setup: writesDense("dup.json", func(int) string {
			return `{"Role": ` + strings.Replace(floodedRole, `"flooded", `, `"flooded", `+strings.Repeat(`"T":0,`, 1000000), 1) + "}\n"
		}, 0),
		// Past srcjson.MaxMembers, the repeats are skipped unread: 999
		// duplicates and the capped object's error.
		check: cappedDiagnostics("dup.json", "dup.json:1:640: error: and 900 more diagnostics of this file, not shown (at most 100 are shown per file); the first is here", "dup.json:2:22: high TL001")},
	{name: "an untrusted config's rules_dir", code: 1, errorAt: "", maxRSSMB: 300, maxCPU: 20 * time.Second,
		setup: func(t *testing.T, dir string) []string {
			writeHostile(t, dir, ".trustlint.yaml", "rules_dir: evil\n")
			writeHostile(t, dir, "evil/evil.rego", "package trustlint.rules.evil\n\ndeny contains x if { x := http.send({\"url\": \"http://127.0.0.1:1\", \"method\": \"get\"}) }\n")
			return []string{"."}
		}},
}

// floodedRole is a role object whose TL001 is on its second line.
const floodedRole = `{"RoleName": "flooded", "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
"Principal": {"AWS": "arn:aws:iam::999988887777:root"}}]}}`

// cappedDiagnostics checks the text output of a scan whose file gave a
// flood of diagnostics: it shows model.MaxFileDiagnostics of them, then
// more (the one for the others), its finding and the summary's count.
func cappedDiagnostics(file, more, finding string) func(t *testing.T, text string) {
	return func(t *testing.T, text string) {
		var diags []string
		found := false
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, file+":") && strings.Contains(line, ": error: ") {
				diags = append(diags, line)
			}
			found = found || strings.HasPrefix(line, finding+" ")
		}
		if len(diags) != model.MaxFileDiagnostics+1 || diags[len(diags)-1] != more {
			t.Errorf("got %d diagnostics of %s, the last %q; want %d, the last %q", len(diags), file, diags[len(diags)-1:], model.MaxFileDiagnostics+1, more)
		}
		if !found {
			t.Errorf("the flooded file's finding %s is missing", finding)
		}
		if !strings.Contains(text, fmt.Sprintf("; %d errors\n", model.MaxFileDiagnostics+1)) {
			t.Errorf("the summary does not count %d errors:\n%.3000s", model.MaxFileDiagnostics+1, text[max(len(text)-3000, 0):])
		}
	}
}

// writesDense is the setup of a case that scans one file, written at
// the path file with the content dense makes for size bytes.
func writesDense(file string, dense func(size int) string, size int) func(t *testing.T, dir string) []string {
	return func(t *testing.T, dir string) []string {
		writeHostile(t, dir, file, dense(size))
		return []string{"."}
	}
}

// denseJSON is a trust policy of about size bytes whose TL001 finding is on
// line 1 and whose bulk is one list of zeros in a condition: the most
// values per byte JSON allows.
func denseJSON(size int) string {
	const head = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"sts:AssumeRole","Condition":{"NumericEquals":{"aws:x":[0`
	const tail = "]}}}]}\n"
	return head + strings.Repeat(",0", max(size-len(head)-len(tail), 0)/2) + tail
}

// denseTF is a Terraform role of about size bytes whose trust policy's
// bulk is one list of zeros in a condition, on line 8.
func denseTF(size int) string {
	const head = "resource \"aws_iam_role\" \"dense\" {\n  assume_role_policy = jsonencode({\n    Statement = [{\n" +
		"      Effect    = \"Allow\"\n      Action    = \"sts:AssumeRole\"\n      Principal = { AWS = \"arn:aws:iam::999988887777:root\" }\n" +
		"      Condition = {\n        NumericEquals = { \"aws:x\" = [0"
	const tail = "] }\n      }\n    }]\n  })\n}\n"
	return head + strings.Repeat(",0", max(size-len(head)-len(tail), 0)/2) + tail
}

// denseTFJSON is a Terraform JSON configuration of about size bytes on
// one line: a role whose policy's condition names a local, one list of
// zeros.
func denseTFJSON(size int) string {
	const head = `{"locals": {"x": [0`
	const tail = `]}, "resource": {"aws_iam_role": {"dense": {"assume_role_policy": "${jsonencode({Statement = [{Effect = \"Allow\", ` +
		`Principal = {AWS = \"arn:aws:iam::999988887777:root\"}, Action = \"sts:AssumeRole\", Condition = {NumericEquals = {\"aws:x\" = local.x}}}]})}"}}}}` + "\n"
	return head + strings.Repeat(",0", max(size-len(head)-len(tail), 0)/2) + tail
}

// denseTFJSONString is a Terraform JSON configuration of about size bytes
// on one line whose role's policy is denseJSON's, as a JSON string.
func denseTFJSONString(size int) string {
	policy := strings.ReplaceAll(denseJSON(size-80), `"`, `\"`)
	return `{"resource": {"aws_iam_role": {"dense": {"assume_role_policy": "` + strings.TrimSuffix(policy, "\n") + `"}}}}` + "\n"
}

// denseHeredoc is a Terraform role of about size bytes whose policy is
// denseJSON's, in a heredoc, on line 3.
func denseHeredoc(size int) string {
	return "resource \"aws_iam_role\" \"dense\" {\n  assume_role_policy = <<EOT\n" + denseJSON(size-80) + "EOT\n}\n"
}

// denseYAML is denseJSON's policy as a CloudFormation template of about
// size bytes, the list as one flow sequence on line 15; TL001 is on line 11.
func denseYAML(size int) string {
	const head = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::999988887777:root
            Action: sts:AssumeRole
            Condition:
              NumericEquals:
                aws:x: [0`
	const tail = "]\n"
	return head + strings.Repeat(",0", max(size-len(head)-len(tail), 0)/2) + tail
}

// denseBlockYAML is denseYAML's template of about size bytes whose list is
// a block sequence at the top, one "- 0" a line, that the condition names
// by an alias.
func denseBlockYAML(size int) string {
	yaml := denseYAML(0)
	head := "Zeros: &zeros\n"
	tail := yaml[:strings.LastIndex(yaml, "[")] + "*zeros\n"
	return head + strings.Repeat("- 0\n", max(size-len(head)-len(tail), 0)/4) + tail
}

// lowerPeakRSS makes the peak RSS of this process its current one, and
// that small: the child starts as a copy of this process (os/exec clones
// its memory map to exec), and Linux counts that copy's peak in the
// child's (rusage ru_maxrss), so a setup that built 10 MB strings raised
// every later case's peak to about 100 MB.
func lowerPeakRSS() {
	debug.FreeOSMemory()
	// "5" resets the peak (Linux 4.0 on); elsewhere nothing changes.
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// TestHostileInputs runs the built binary on each hostile input beside a
// good file, under ulimit -v, and checks the exit status, the error naming
// the hostile file, the good file's finding, and peak memory and CPU time
// (from the child's rusage). The measurements are logged for the closing
// note of issue 9.
func TestHostileInputs(t *testing.T) {
	requireIntegration(t, "go", "bash")
	bin := filepath.Join(t.TempDir(), "trustlint")
	mustRun(t, repoRoot(t), toolEnv(t, "-mod=readonly"), "go", "build", "-o", bin, "./cmd/trustlint")
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeHostile(t, dir, "good.json", goodTrust)
			args := tc.setup(t, dir)
			cwd := dir
			if tc.cwd != "" {
				cwd = tc.cwd
			}
			lowerPeakRSS()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			// 4 GB of address space: a runaway allocation fails instead of
			// taking the machine.
			limit := 4194304
			if tc.addressSpaceKB != 0 {
				limit = tc.addressSpaceKB
			}
			script := fmt.Sprintf(`ulimit -v %d; exec "$0" scan --color never "$@"`, limit)
			cmd := exec.CommandContext(ctx, "bash", append([]string{"-c", script, bin}, args...)...)
			cmd.Dir = cwd
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			if ctx.Err() != nil {
				t.Fatalf("no result after 5 minutes: the scan hangs")
			}
			code := cmd.ProcessState.ExitCode()
			ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			var rssMB int64
			var cpu time.Duration
			if ru != nil {
				rssMB = ru.Maxrss >> 10
				cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			}
			t.Logf("%s: exit %d, peak RSS %d MB, CPU %v", tc.name, code, rssMB, cpu.Round(time.Millisecond))
			text := out.String()
			if strings.Contains(text, "panic:") || strings.Contains(text, "fatal error:") {
				t.Fatalf("crash (%v):\n%.3000s", err, text)
			}
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%.3000s", code, tc.code, text)
			}
			if tc.errorAt != "" && !strings.Contains(text, tc.errorAt) {
				t.Errorf("no diagnostic at %s:\n%.3000s", tc.errorAt, text)
			}
			if !strings.Contains(text, "good.json:6:") || !strings.Contains(text, "TL001") {
				t.Errorf("the good file's finding is missing:\n%.3000s", text)
			}
			if strings.Contains(text, "root:x:0:0") {
				t.Errorf("/etc/passwd was disclosed:\n%.3000s", text)
			}
			if rssMB > tc.maxRSSMB {
				t.Errorf("peak RSS %d MB, want at most %d MB", rssMB, tc.maxRSSMB)
			}
			if cpu > tc.maxCPU {
				t.Errorf("CPU time %v, want at most %v", cpu, tc.maxCPU)
			}
			if tc.check != nil {
				tc.check(t, text)
			}
		})
	}
}
