package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeConsole is a console whose streams are buffers that claim to be
// terminals or not, with a given environment.
type fakeConsole struct {
	out, err   bytes.Buffer
	env        map[string]string
	terminals  map[io.Writer]bool
	clockStep  time.Duration
	mu         sync.Mutex
	clock      time.Time
	termColumn int
}

func newFakeConsole(stdoutTTY, stderrTTY bool, env map[string]string) *fakeConsole {
	fc := &fakeConsole{env: env, clock: time.Unix(0, 0), termColumn: 100}
	fc.terminals = map[io.Writer]bool{&fc.out: stdoutTTY, &fc.err: stderrTTY}
	return fc
}

func (fc *fakeConsole) console() *console {
	return &console{
		stdout:     &fc.out,
		stderr:     &fc.err,
		getenv:     func(k string) string { return fc.env[k] },
		isTerminal: func(w io.Writer) bool { return w != nil && fc.terminals[w] },
		width:      func(io.Writer) int { return fc.termColumn },
		now: func() time.Time {
			fc.mu.Lock()
			defer fc.mu.Unlock()
			fc.clock = fc.clock.Add(fc.clockStep)
			return fc.clock
		},
	}
}

func (fc *fakeConsole) run(t *testing.T, dir string, args ...string) int {
	t.Helper()
	t.Chdir(dir)
	return runConsole(context.Background(), args, fc.console())
}

func TestColor(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": externalPolicy})
	const esc = "\x1b["
	tests := []struct {
		name   string
		tty    bool
		env    map[string]string
		args   []string
		colors bool
	}{
		{"terminal", true, nil, nil, true},
		{"pipe", false, nil, nil, false},
		{"NO_COLOR", true, map[string]string{"NO_COLOR": "1"}, nil, false},
		{"TERM=dumb", true, map[string]string{"TERM": "dumb"}, nil, false},
		{"FORCE_COLOR on a pipe", false, map[string]string{"FORCE_COLOR": "1"}, nil, true},
		{"FORCE_COLOR=0", false, map[string]string{"FORCE_COLOR": "0"}, nil, false},
		{"always beats NO_COLOR", false, map[string]string{"NO_COLOR": "1"}, []string{"--color", "always"}, true},
		{"never on a terminal", true, nil, []string{"--color=never"}, false},
		{"root flag before the command", true, nil, []string{"--color", "never"}, false},
		{"never for machine formats", true, nil, []string{"--format", "json"}, false},
		{"never in a file", true, nil, []string{"--output", "out.txt"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeConsole(tt.tty, false, tt.env)
			args := append([]string{"scan"}, tt.args...)
			if tt.name == "root flag before the command" {
				args = append(tt.args, "scan")
			}
			if code := fc.run(t, dir, args...); code != ExitFindings {
				t.Fatalf("exit %d; stderr %s", code, fc.err.String())
			}
			out := fc.out.String()
			if strings.Contains(tt.name, "file") {
				b, err := os.ReadFile(filepath.Join(dir, "out.txt"))
				if err != nil {
					t.Fatal(err)
				}
				out = string(b)
			}
			if got := strings.Contains(out, esc); got != tt.colors {
				t.Errorf("colors = %v, want %v:\n%q", got, tt.colors, out)
			}
			if !strings.Contains(out, "TL001") {
				t.Errorf("no finding in output:\n%s", out)
			}
		})
	}
	fc := newFakeConsole(true, false, nil)
	if code := fc.run(t, dir, "scan", "--color", "sometimes"); code != ExitError || !strings.Contains(fc.err.String(), `unknown --color "sometimes"`) {
		t.Errorf("bad --color: exit %d, stderr %q", code, fc.err.String())
	}
}

func TestSnippetAndSummary(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": externalPolicy + "\n", "q.json": externalPolicy})
	code, out, _ := trustlint(t, dir, "scan", "p.json", "q.json")
	if code != ExitFindings {
		t.Fatalf("exit %d", code)
	}
	want := "p.json:1:57: high TL001 "
	snippet := "\n  |\n1 | " + externalPolicy + "\n  |" + strings.Repeat(" ", 57) + "^" + strings.Repeat("~", len(`"999999999999"`)-1) + "\n\n"
	if !strings.HasPrefix(out, want) || !strings.Contains(out, snippet) {
		t.Errorf("output lacks the finding with its source line:\n%s\nwant:\n%s%s", out, want, snippet)
	}
	if !strings.HasSuffix(out, "\n\nFindings by rule:\n  2  high      TL001 missing-external-id\n"+
		"\nRoles with findings: 2 of 2\nTop outside principals (by roles reached):\n  2  account   999999999999  high  2 unguarded\n"+
		"2 findings (2 high) in 2 roles across 2 files\n") {
		t.Errorf("summary:\n%s", out)
	}

	code, out, _ = trustlint(t, dir, "scan", "-q", "p.json")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != ExitFindings || len(lines) != 1 || !strings.HasPrefix(lines[0], "p.json:1:57: high TL001") {
		t.Errorf("--quiet: exit %d, output:\n%s", code, out)
	}
	code, out, _ = trustlint(t, dir, "scan", "-q", "--fail-on", "critical", "p.json")
	if code != ExitOK || strings.Contains(out, "finding") {
		t.Errorf("--quiet with findings below --fail-on: exit %d, %q", code, out)
	}
}

// TestSummaryDenyGuard: a wildcard that a Deny guard pins to the
// organization is no finding (TL003) and, in the summary, not unguarded;
// one whose Deny another test narrows is both.
func TestSummaryDenyGuard(t *testing.T) {
	const policy = `{"Version": "2012-10-17", "Statement": [
 {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"},
 {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
  "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}%s}}]}
`
	dir := writeFiles(t, map[string]string{
		"guarded.json":  fmt.Sprintf(policy, ""),
		"narrowed.json": fmt.Sprintf(policy, `, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}`),
	})
	_, out, _ := trustlint(t, dir, "scan", "guarded.json")
	if !strings.Contains(out, "\n  1  wildcard  *\n") || strings.Contains(out, "unguarded") || strings.Contains(out, "TL003") {
		t.Errorf("guarded wildcard:\n%s", out)
	}
	_, out, _ = trustlint(t, dir, "scan", "narrowed.json")
	if !strings.Contains(out, "\n  1  wildcard  *  critical  1 unguarded\n") {
		t.Errorf("narrowed Deny:\n%s", out)
	}
}

func TestSourcesStayWithinScannedPaths(t *testing.T) {
	dir := writeFiles(t, map[string]string{"in/a.json": "A", "in/sub/b.json": "B", "out.json": "O", "inside.json": "I"})
	if err := os.Symlink(filepath.Join(dir, "out.json"), filepath.Join(dir, "in", "link.json")); err != nil {
		t.Skip(err)
	}
	t.Chdir(dir)
	read := scannedSources([]string{"in", "inside.json"}, "", nil)
	for file, want := range map[string]string{"in/a.json": "A", filepath.Join(dir, "in", "sub", "b.json"): "B", "inside.json": "I"} {
		if got, ok := read(file); !ok || string(got) != want {
			t.Errorf("read(%s) = %q, %v; want %q", file, got, ok, want)
		}
	}
	for _, file := range []string{"out.json", "in/../out.json", "in/link.json", "inside.json.bak", "in", "/etc/passwd"} {
		if got, ok := read(file); ok {
			t.Errorf("read(%s) = %q: a file outside the scanned paths was read", file, got)
		}
	}
}

func TestGitHubFormat(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": externalPolicy, "bad.json": "{\"Statement\": [{\"Principal\": \n}"})
	code, out, errOut := trustlint(t, dir, "scan", "--format", "github")
	if code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	for _, want := range []string{
		"::error file=p.json,line=1,col=57,endLine=1,endColumn=70,title=TL001 missing-external-id::",
		"%0ASee https://github.com/trustlint/trustlint/blob/main/docs/rules/TL001.md\n",
		"::error file=bad.json,line=2,col=1,",
		"title=trustlint::",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if errOut != "" {
		t.Errorf("stderr %q: errors are annotations already", errOut)
	}
}

func TestExplain(t *testing.T) {
	for _, q := range []string{"TL001", "tl001", "missing-external-id"} {
		code, out, _ := trustlint(t, ".", "explain", q)
		if code != ExitOK {
			t.Fatalf("explain %s: exit %d", q, code)
		}
		for _, want := range []string{
			"TL001 missing-external-id: ",
			"\nWhat it checks\n", "\nWhy it matters\n", "\nHow to fix\n",
			"  JSON, reported:", "  JSON, fixed:", "  Terraform, reported:", "  Terraform, fixed:",
			"  CloudFormation, reported:", "  CloudFormation, fixed:",
			"\nSuppress\n", "rules: {TL001: {enabled: false}} in .trustlint.yaml",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/",
			"Online: https://github.com/trustlint/trustlint/blob/main/docs/rules/TL001.md",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("explain %s lacks %q", q, want)
			}
		}
		if strings.Contains(out, "\x1b[") {
			t.Errorf("explain %s: colors in a pipe", q)
		}
	}
	code, out, _ := trustlint(t, ".", "explain", "--format", "markdown", "TL003")
	page, err := os.ReadFile("../../docs/rules/TL003.md")
	if err != nil {
		t.Fatal(err)
	}
	if code != ExitOK || out != string(page) {
		t.Errorf("explain --format markdown differs from docs/rules/TL003.md (exit %d)", code)
	}
	fc := newFakeConsole(true, false, nil)
	if code := fc.run(t, ".", "explain", "TL003"); code != ExitOK || !strings.Contains(fc.out.String(), "\x1b[1mWhat it checks\x1b[0m") {
		t.Errorf("explain on a terminal: exit %d, no bold headings", code)
	}
	code, _, errOut := trustlint(t, ".", "explain", "TL999")
	if code != ExitError || !strings.Contains(errOut, `unknown rule "TL999"`) {
		t.Errorf("explain TL999: exit %d, %q", code, errOut)
	}
	// Without a rule, explain lists them, as trustlint rules does.
	code, out, _ = trustlint(t, ".", "explain")
	_, list, _ := trustlint(t, ".", "rules")
	if code != ExitOK || !strings.HasPrefix(out, list) || !strings.Contains(out, "trustlint explain RULE") {
		t.Errorf("explain without a rule: exit %d, output:\n%s", code, out)
	}
}

func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{
		"bash":       "# bash completion V2 for trustlint",
		"zsh":        "#compdef trustlint",
		"fish":       "# fish completion for trustlint",
		"powershell": "# powershell completion for trustlint",
	} {
		code, out, _ := trustlint(t, ".", "completion", shell)
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, lacks %q", shell, code, want)
		}
	}
	// What the scripts ask the binary: cobra's hidden __complete command.
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"explain", ""}, []string{"TL001\tmissing-external-id: ", "TL013\tinvalid-trust-policy: "}},
		{[]string{"scan", "--format", ""}, []string{"github", "json", "sarif", "text"}},
		{[]string{"scan", "--fail-on", ""}, []string{"low", "critical"}},
		{[]string{"scan", "--color", ""}, []string{"auto", "always", "never"}},
		{[]string{""}, []string{"scan\t", "explain\t", "rules\t", "version\t", "completion\t"}},
	} {
		code, out, _ := trustlint(t, ".", append([]string{"__complete"}, tt.args...)...)
		for _, w := range tt.want {
			if code != ExitOK || !strings.Contains(out, w) {
				t.Errorf("__complete %q: exit %d, lacks %q:\n%s", tt.args, code, w, out)
			}
		}
	}
}

func TestProgressBarInScan(t *testing.T) {
	files := map[string]string{}
	for i := range 40 {
		files[filepath.Join("roles", strings.Repeat("r", i+1)+".json")] = externalPolicy
	}
	dir := writeFiles(t, files)
	tests := []struct {
		name      string
		stderrTTY bool
		env       map[string]string
		args      []string
		bar       bool
	}{
		{"terminal", true, nil, nil, true},
		{"pipe", false, nil, nil, false},
		{"CI log", true, map[string]string{"CI": "true"}, nil, false},
		{"quiet", true, nil, []string{"--quiet"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeConsole(false, tt.stderrTTY, tt.env)
			fc.clockStep = time.Second // every role "takes" a second
			code := fc.run(t, dir, append([]string{"scan"}, tt.args...)...)
			if code != ExitFindings {
				t.Fatalf("exit %d: %s", code, fc.err.String())
			}
			errOut := fc.err.String()
			if got := strings.Contains(errOut, "scanning "); got != tt.bar {
				t.Errorf("progress bar shown = %v, want %v: %q", got, tt.bar, errOut)
			}
			if tt.bar && !strings.HasSuffix(errOut, "\r\x1b[K") {
				t.Errorf("progress bar not erased: %q", errOut)
			}
			if strings.Contains(fc.out.String(), "scanning ") {
				t.Error("progress bar on standard output")
			}
		})
	}
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Unix(0, 0)
	now := func() time.Time { return clock }
	p := newProgressBar(&buf, 80, now)
	p.update(1, 10)
	if buf.Len() != 0 {
		t.Fatalf("drawn before %v: %q", progressDelay, buf.String())
	}
	// The first draw cannot know whether the total is settled: a counter.
	clock = clock.Add(progressDelay)
	p.update(5, 10)
	if want := "\r\x1b[Kscanning /  5 roles analyzed  0s"; buf.String() != want {
		t.Errorf("got  %q\nwant %q", buf.String(), want)
	}
	buf.Reset()
	clock = clock.Add(progressEvery / 2)
	p.update(6, 10)
	if buf.Len() != 0 {
		t.Errorf("redrawn within %v: %q", progressEvery, buf.String())
	}
	// The same total at the next redraw: the bar.
	clock = clock.Add(progressEvery)
	p.update(6, 10)
	if want := "\r\x1b[Kscanning [==================>           ]   60%  6/10  0s"; buf.String() != want {
		t.Errorf("got  %q\nwant %q", buf.String(), want)
	}
	// A growing total: the counter again, with the spinner turned.
	buf.Reset()
	clock = clock.Add(2 * time.Second)
	p.update(12345, 12500)
	if want := "\r\x1b[Kscanning -  12,345 roles analyzed  2s"; buf.String() != want {
		t.Errorf("got  %q\nwant %q", buf.String(), want)
	}
	buf.Reset()
	clock = clock.Add(time.Second)
	p.update(12500, 12500)
	if got := buf.String(); !strings.HasSuffix(got, "[==============================]  100%  12,500/12,500  3s") {
		t.Errorf("full bar: %q", got)
	}
	buf.Reset()
	p.finish()
	p.update(1, 1)
	if buf.String() != "\r\x1b[K" {
		t.Errorf("finish: %q, want the line erased and nothing after", buf.String())
	}
	// A narrow terminal gets a narrower bar, a very narrow one the count.
	for width, want := range map[int]string{
		40: "scanning [======>     ]   50%  5/10  0s",
		20: " 50%  5/10",
		0:  "scanning [===============>              ]   50%  5/10  0s",
	} {
		p := newProgressBar(io.Discard, width, now)
		got := p.line(5, 10, 0)
		if got != want {
			t.Errorf("width %d: %q, want %q", width, got, want)
		}
		if width > 0 && len(got) >= width {
			t.Errorf("width %d: line of %d columns wraps", width, len(got))
		}
	}
	// Bytes of input: the bar in MB.
	pb := newProgressBar(io.Discard, 0, now)
	pb.bytes = true
	if got, want := pb.line(12_500_000, 50_000_000, 0), "scanning [=======>                      ]   25%  12.5 MB/50.0 MB  0s"; got != want {
		t.Errorf("bytes: %q, want %q", got, want)
	}
	if got := thousands(1234567); got != "1,234,567" {
		t.Errorf("thousands = %q", got)
	}
}

func TestSARIFRuleDocs(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": externalPolicy})
	_, out, _ := trustlint(t, dir, "scan", "--format", "sarif")
	checkSARIF(t, []byte(out))
	for _, want := range []string{
		`"helpUri": "https://github.com/trustlint/trustlint/blob/main/docs/rules/TL001.md"`,
		`[How to use an external ID when granting access to your AWS resources to a third party](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("SARIF lacks %s", want)
		}
	}
}

// TestREADME keeps the README's sample output and links true: every line of
// the sample is a line of the examples' text output, and every relative
// link names an existing file. With -update, the sample is rewritten from
// testdata/examples.text.golden: the findings it shows (by their first
// line) with their source lines, then the summary.
func TestREADME(t *testing.T) {
	const readmePath = "../../README.md"
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("testdata/examples.text.golden")
	if err != nil {
		t.Fatal(err)
	}
	head, rest, ok := strings.Cut(string(readme), "Sample output")
	if !ok {
		t.Fatal("README has no sample output")
	}
	intro, rest, _ := strings.Cut(rest, "```text\n")
	sample, tail, _ := strings.Cut(rest, "```")
	if *update {
		sample = readmeSample(t, sample, string(golden))
		out := head + "Sample output" + intro + "```text\n" + sample + "```" + tail
		if err := os.WriteFile(readmePath, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		readme = []byte(out)
	}
	goldenLines := map[string]bool{}
	for _, l := range strings.Split(string(golden), "\n") {
		goldenLines[l] = true
	}
	n := 0
	for _, l := range strings.Split(sample, "\n") {
		if l == "" {
			continue
		}
		n++
		if !goldenLines[l] {
			t.Errorf("README sample line is not in the output of the README's command (testdata/examples.text.golden; go test -update rewrites the sample):\n%s", l)
		}
	}
	if n < 10 {
		t.Errorf("README sample has %d lines", n)
	}
	links := regexp.MustCompile(`\]\(((?:docs|rules|testdata)/[^)#]+)\)`).FindAllStringSubmatch(string(readme), -1)
	for _, m := range links {
		if _, err := os.Stat(filepath.Join("../..", m[1])); err != nil {
			t.Errorf("README links to %s: %v", m[1], err)
		}
	}
	for _, want := range []string{"docs/pre-commit.md", "docs/github-code-scanning.md", "docs/rules/README.md", "docs/rules/TL013.md"} {
		if !strings.Contains(string(readme), "]("+want+")") {
			t.Errorf("README does not link %s", want)
		}
	}
}

// readmeSample rebuilds the README sample from the text golden: the blocks
// of the findings the old sample shows, then the summary block.
func readmeSample(t *testing.T, old, golden string) string {
	t.Helper()
	blocks := strings.Split(golden, "\n\n")
	var out []string
	for _, l := range strings.Split(old, "\n") {
		if !strings.HasPrefix(l, "testdata/") {
			continue
		}
		for _, b := range blocks {
			if strings.HasPrefix(b, l+"\n") || b == l {
				out = append(out, b)
			}
		}
	}
	summary := blocks[len(blocks)-1]
	if len(out) == 0 || !strings.HasPrefix(summary, "Findings by rule:") {
		t.Fatal("cannot rebuild the README sample: its findings or the summary are not in the golden")
	}
	return strings.Join(append(out, summary), "\n\n")
}
