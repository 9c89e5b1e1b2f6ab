package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/trustlint/trustlint/audit"
	"github.com/trustlint/trustlint/config"
	"github.com/trustlint/trustlint/internal/ruledoc"
	"github.com/trustlint/trustlint/internal/safefs"
	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser"
	"github.com/trustlint/trustlint/parser/cloudformation"
	"github.com/trustlint/trustlint/report"
	"github.com/trustlint/trustlint/rules"
	"github.com/trustlint/trustlint/scan"
)

// scanFlags are the flags of trustlint scan.
type scanFlags struct {
	format   string
	output   string
	config   string
	failOn   string
	color    *string // the root's persistent --color
	verbose  bool
	exitZero bool
	quiet    bool
	rulesDir string
	baseline string
	showSupp bool
	root     string
	maxMB    int64
	maxVals  int
	stdin    string // --stdin-name
	skipUnr  bool
	enable   []string
	disable  []string
	exclude  []string
	minSev   string
	trustCfg bool
	ruleTime time.Duration
	ruleMB   uint64
}

func newScanCmd(con *console, color *string) *cobra.Command {
	f := scanFlags{color: color}
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Analyze trust policies in files and directories (default .)",
		Long: `Analyze trust policies in files and directories (default: the current
directory). Directories are walked recursively, skipping .git, .terraform,
node_modules, cdk.out assets and the configuration's exclude globs. Files
that are not IAM-related are skipped silently (--verbose says why), and so
are identity policies and resource policies: a bare JSON policy document
whose Allow statements name no sts: action and that has a Resource or
NotResource, or names only other services' actions, is a bucket, key,
topic, queue or repository policy, not a trust policy. A file named
on the command line is read by its content whatever its name; when no trust
policy format fits it, that is an error (--skip-unrelated: skip it). PATH -
or /dev/stdin reads standard input, for example
  aws iam get-account-authorization-details | trustlint scan -
with findings in <stdin> (--stdin-name NAME). Nothing outside the project
root is read: the git work tree of each path, else the path's directory, or
--root DIR.

Text output shows each finding's source line with the element at fault
underlined, then the findings by rule and a summary; --quiet prints the
finding lines only. Colors follow --color. On a terminal, long scans show
their progress on standard error (never in pipes or CI logs).

Exit status: 0 when nothing is at or above --fail-on, 1 when something is,
2 on a usage or configuration error or when an input could not be read or
parsed (all other inputs are still analyzed and reported).`,
		Example: `  trustlint scan                       # the current directory
  trustlint scan infra/ policies/trust.json
  trustlint scan --format sarif -o trustlint.sarif .
  trustlint scan --fail-on high --disable TL004 --exclude 'legacy/**' .
  trustlint scan --baseline accepted.sarif .   # report only new findings`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd, args, f, con)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "text", "output format: "+strings.Join(report.Formats(), ", ")+" (github: workflow-command annotations)")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of standard output")
	fl.StringVarP(&f.config, "config", "c", "", "configuration file (default: .trustlint.yaml in the first scanned path's directory or above, up to the project root)")
	fl.StringVar(&f.failOn, "fail-on", model.LevelLow, "lowest severity that makes the exit status 1: low, medium, high, critical")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "say which files were skipped and why (on standard error)")
	fl.BoolVar(&f.exitZero, "exit-zero", false, "exit 0 even when there are findings (errors still exit 2)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print findings and errors only: no source lines, no summary, no progress bar")
	fl.StringVar(&f.rulesDir, "rules", "", "directory of your own Rego rules (default: rules_dir from the configuration)")
	fl.BoolVar(&f.trustCfg, "trust-config", false, "use rules_dir from a configuration file that was found (from the scanned path up to the project root) rather than named with --config (a repository's own rules run only when you say so)")
	fl.DurationVar(&f.ruleTime, "rule-timeout", rules.DefaultRuleTimeout, "longest one custom rule may evaluate one role")
	fl.Uint64Var(&f.ruleMB, "rule-memory", rules.DefaultRuleMemory>>20, "how much memory one custom rule may use on one role, in MB")
	fl.StringVar(&f.baseline, "baseline", "", "SARIF report of accepted findings: report only findings whose fingerprint it lacks")
	fl.StringSliceVar(&f.enable, "enable", nil, "turn a rule on, by ID or name, even when the configuration turns it off (repeatable, or comma-separated)")
	fl.StringSliceVar(&f.disable, "disable", nil, "turn a rule off, by ID or name (repeatable, or comma-separated)")
	fl.StringArrayVar(&f.exclude, "exclude", nil, "skip paths matching this glob (** for any depth), as the configuration's exclude (repeatable)")
	fl.StringVar(&f.root, "root", "", "project root: nothing outside it is read (default: the git work tree of each path, else the path's directory)")
	fl.Int64Var(&f.maxMB, "max-file-size", safefs.DefaultMaxSize>>20, "largest input file read, in MB (larger files are an error, not read)")
	fl.IntVar(&f.maxVals, strings.TrimPrefix(cloudformation.MaxValuesFlag, "--"), cloudformation.DefaultMaxValues, "most values (list elements, keys, values) one CloudFormation template may have (more is an error, not read; a template within CloudFormation's 1 MB never has more than the default)")
	fl.StringVar(&f.stdin, "stdin-name", scan.StdinName, "file name of standard input's findings (PATH - or /dev/stdin reads standard input)")
	fl.BoolVar(&f.skipUnr, "skip-unrelated", false, "skip a named file that is no trust policy format quietly, as a directory walk does (for pre-commit), instead of an error")
	fl.StringVar(&f.minSev, "min-severity", model.LevelLow, "lowest severity reported, in every format: low, medium, high, critical")
	fl.BoolVar(&f.showSupp, "show-suppressed", false, "include suppressed findings, marked (SARIF: result.suppressions)")
	noFiles := cobra.ShellCompDirectiveNoFileComp
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(report.Formats(), noFiles))
	_ = cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions(model.Levels, noFiles))
	_ = cmd.RegisterFlagCompletionFunc("min-severity", cobra.FixedCompletions(model.Levels, noFiles))
	_ = cmd.RegisterFlagCompletionFunc("config", cobra.FixedCompletions([]string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt))
	return cmd
}

// loadConfig reads the configuration file path, or else the one that
// applies to from (the first scanned path): .trustlint.yaml in its
// directory or above, up to its project root (root when set, else
// safefs.FindRoot's), or else in the current directory; or the defaults.
func loadConfig(path, from, root string) (*config.Config, error) {
	if path == "" {
		if root == "" {
			var err error
			if root, err = safefs.FindRoot(from); err != nil {
				return nil, err
			}
		}
		path = config.FindUp(from, root)
		if wd, err := os.Getwd(); err == nil && path != "" {
			if rel, err := filepath.Rel(wd, path); err == nil {
				path = rel // reported as the user would write it
			}
		}
		if path == "" {
			path = config.Find(".")
		}
		if path == "" {
			return config.Default(), nil
		}
	}
	return config.Load(path)
}

func runScan(cmd *cobra.Command, args []string, f scanFlags, con *console) error {
	stdout, stderr := con.stdout, con.stderr
	if !validFormat(f.format) {
		return &exitError{code: ExitError, err: fmt.Errorf("unknown --format %q (want one of %s)", f.format, strings.Join(report.Formats(), ", "))}
	}
	if model.LevelRank(f.failOn) == 0 {
		return &exitError{code: ExitError, err: fmt.Errorf("unknown --fail-on %q (want low, medium, high or critical)", f.failOn)}
	}
	if model.LevelRank(f.minSev) == 0 {
		return &exitError{code: ExitError, err: fmt.Errorf("unknown --min-severity %q (want low, medium, high or critical)", f.minSev)}
	}
	// Colors only for text written to a terminal (or when asked).
	out := stdout
	if f.output != "" && f.output != "-" {
		out = nil // a file is never a terminal
	}
	color, err := con.useColor(*f.color, out)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	color = color && f.format == "text"
	from := "."
	if len(args) > 0 {
		from = args[0]
	}
	cfg, err := loadConfig(f.config, from, f.root)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	ctx := cmd.Context()
	if f.rulesDir == "" && cfg.RulesDir != "" && f.config == "" && !f.trustCfg {
		fmt.Fprintf(stderr, "trustlint: %s sets rules_dir %s: not used, since a configuration found in the scanned tree runs no code you did not choose (--trust-config, or name it with --config, to use it)\n",
			cfg.File, model.Quote(cfg.RulesDir))
		cfg.RulesDir = ""
	}
	engine, err := newEngine(ctx, f, cfg)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if f.format == "sarif" {
		// Rule help in plain text, rendered while the rules compile and the
		// scan runs rather than after.
		go report.PrepareRules(engine.Catalog())
	}
	var baseline map[string]bool
	if f.baseline != "" {
		if baseline, err = loadBaseline(f.baseline); err != nil {
			return &exitError{code: ExitError, err: err}
		}
	}
	if f.maxMB <= 0 {
		return &exitError{code: ExitError, err: fmt.Errorf("--max-file-size must be a positive number of MB, not %d", f.maxMB)}
	}
	if f.maxVals <= 0 {
		return &exitError{code: ExitError, err: fmt.Errorf("%s must be a positive number, not %d", cloudformation.MaxValuesFlag, f.maxVals)}
	}
	opts := scan.Options{Paths: args, Config: cfg, Engine: engine, Baseline: baseline, Root: f.root, MaxFileSize: f.maxMB << 20,
		StdinName: f.stdin, SkipUnrelated: f.skipUnr, Limits: parser.Limits{TemplateValues: f.maxVals}}
	if slices.ContainsFunc(args, scan.IsStdin) {
		if opts.Stdin, err = safefs.ReadAll(con.stdin, -1, opts.MaxFileSize); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("read standard input: %w", err)}
		}
	}
	if f.verbose {
		opts.Verbose = func(msg string) { fmt.Fprintln(stderr, msg) }
	}
	// The audit: who can assume each role. The HTML report is built on it;
	// JSON and CSV add its structured fields; the text summary names the
	// outside principals. Only HTML, JSON and CSV read the identity side of
	// exports (users, groups, permissions), which costs parse time.
	var collector *audit.Collector
	switch f.format {
	case "html", "json", "csv":
		collector = audit.NewCollector()
		opts.Account = collector
	case "text":
		if !f.quiet {
			collector = audit.NewCollector()
		}
	}
	if collector != nil {
		if f.format != "html" {
			collector.GrantsOnly() // only the HTML report shows the policies
		}
		opts.Roles = collector.Role
	}
	var bar *progressBar
	if !f.quiet && !f.verbose && con.showProgress() {
		bar = newProgressBar(stderr, con.width(stderr), con.now)
		bar.bytes = true // one big export moves the bar too
		opts.BytesProgress = bar.updateBytes
	}
	res, err := scan.Run(ctx, opts)
	if bar != nil {
		bar.finish()
	}
	if err == nil {
		err = engine.Wait() // the rules compiled while the inputs were read
	}
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if f.verbose {
		st := engine.Stats()
		fmt.Fprintf(stderr, "%d roles analyzed with %d rule evaluations (%d roles reused the findings of roles that agree on everything the rules read)\n", st.Roles, st.Evaluations, st.Reused)
	}
	findings := res.Reported() // suppressed findings are left out
	res.Stats.Suppressed = len(res.Findings) - len(findings)
	res.Stats.Baselined = res.Baselined
	if f.showSupp {
		findings = res.Findings
	}
	findings = atLeast(findings, f.minSev)
	var acct *audit.Account
	if collector != nil {
		acct = collector.Analyze(findings, audit.Options{Vendor: knownVendors(cfg), DenyGuards: engine.DenyGuards})
	}
	wd, _ := os.Getwd()
	ver, _ := toolVersion()
	rep := &report.Report{
		Tool:        report.Tool{Name: report.DefaultToolName, Version: ver, InformationURI: report.DefaultInformationURI},
		Rules:       engine.Catalog(),
		Findings:    findings,
		Diagnostics: res.Diagnostics,
		Stats:       res.Stats,
		WorkDir:     wd,
		Color:       color,
		Quiet:       f.quiet,
		Audit:       acct,
	}
	switch f.format {
	case "text":
		if !f.quiet {
			rep.Sources = scannedSources(args, f.stdin, opts.Stdin)
		}
	case "sarif", "github":
		addRuleDocs(rep)
	}
	if err := writeReport(f, rep, stdout); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if err := showSummary(f, rep, con); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if res.Errors() && f.format != "text" && f.format != "github" {
		// Text and github output list them on standard output already;
		// for machine formats say it on standard error too, so a CI log
		// shows why.
		for _, d := range res.Diagnostics {
			if d.IsError() {
				fmt.Fprintf(stderr, "trustlint: %s\n", d.Error())
			}
		}
	}
	if res.Errors() {
		return &exitError{code: ExitError}
	}
	if f.exitZero {
		return nil
	}
	threshold := model.LevelRank(f.failOn)
	for _, fd := range atLeast(res.Reported(), f.minSev) { // suppressed and unreported findings never fail a run
		if model.LevelRank(model.SeverityLevel(fd.Severity)) >= threshold {
			return &exitError{code: ExitFindings}
		}
	}
	return nil
}

// newEngine starts compiling the rules of a scan (rules.Start; the scan
// walks and parses meanwhile): the built-in ones and the user's
// (--rules or rules_dir), with the rules the configuration and --enable,
// --disable name (by ID or name) switched on or off. --exclude globs join
// the configuration's.
func newEngine(ctx context.Context, f scanFlags, cfg *config.Config) (*rules.Engine, error) {
	custom, err := loadCustomRules(f.rulesDir, cfg)
	if err != nil {
		return nil, err
	}
	cat, err := rules.Catalog(custom)
	if err != nil {
		return nil, err
	}
	resolve := func(s string) (string, bool) {
		m, ok := model.FindRule(cat, s)
		return m.ID, ok
	}
	if err := cfg.ResolveRules(resolve); err != nil {
		return nil, err
	}
	for _, fl := range []struct {
		name    string
		values  []string
		enabled bool
	}{{"--disable", f.disable, false}, {"--enable", f.enable, true}} {
		for _, v := range fl.values {
			id, ok := resolve(v)
			if !ok {
				return nil, fmt.Errorf("%s: unknown rule %q (trustlint rules lists them)", fl.name, v)
			}
			cfg.Rules[id] = config.RuleConfig{Enabled: fl.enabled}
		}
	}
	for _, g := range f.exclude {
		if _, err := config.MatchGlob(g, ""); err != nil || g == "" {
			return nil, fmt.Errorf("--exclude: bad glob %q", g)
		}
		cfg.Exclude = append(cfg.Exclude, g)
	}
	return rules.Start(ctx, rules.Options{Config: cfg.RegoData(), Disabled: cfg.Disabled(), Custom: custom,
		Limits: rules.Limits{Timeout: f.ruleTime, Memory: f.ruleMB << 20}, FromSource: rulesFromSource})
}

// rulesFromSource compiles the built-in rules from their source with every
// check instead of taking them compiled (rules.Options.FromSource): tests
// compare the two.
var rulesFromSource = false

// knownVendors names the vendor of an account as the rules do
// (rules/lib/lib.rego): the configuration's known_accounts first, then the
// bundled list of vendors' documented accounts.
func knownVendors(cfg *config.Config) func(account string) string {
	bundled := map[string]string{}
	if data, err := rules.BuiltinData(); err == nil {
		known, _ := data["known_accounts"].(map[string]any)
		for acct, v := range known {
			if e, ok := v.(map[string]any); ok {
				if name, ok := e["vendor"].(string); ok {
					bundled[acct] = name
				}
			}
		}
	}
	return func(account string) string {
		if name, ok := cfg.KnownAccounts[account]; ok {
			return name
		}
		return bundled[account]
	}
}

// atLeast returns the findings of severity level min or higher.
func atLeast(fs []model.Finding, min string) []model.Finding {
	rank := model.LevelRank(min)
	if rank <= 1 {
		return fs
	}
	out := make([]model.Finding, 0, len(fs))
	for _, f := range fs {
		if model.LevelRank(model.SeverityLevel(f.Severity)) >= rank {
			out = append(out, f)
		}
	}
	return out
}

// addRuleDocs links the built-in rules to their documentation pages. The
// user's own rules have none.
func addRuleDocs(rep *report.Report) {
	pages := map[string]string{}
	for _, d := range ruledoc.Builtin(rep.Rules) {
		pages[d.ID] = d.URL()
	}
	rep.RuleDocs = func(id string) string { return pages[id] }
}

func validFormat(name string) bool {
	for _, f := range report.Formats() {
		if f == name {
			return true
		}
	}
	return false
}

// writeReport writes to --output atomically (a temporary file renamed into
// place) or to stdout.
func writeReport(f scanFlags, rep *report.Report, stdout io.Writer) error {
	if f.output == "" || f.output == "-" {
		return report.Write(stdout, f.format, rep)
	}
	if err := writeOutput(f.output, func(w io.Writer) error { return report.Write(w, f.format, rep) }); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// showSummary prints the one-line summary on a terminal when the report
// went to a file (-o), so that a person still sees what the scan found.
func showSummary(f scanFlags, rep *report.Report, con *console) error {
	if f.output == "" || f.output == "-" || f.quiet || !con.isTerminal(con.stdout) {
		return nil
	}
	color, err := con.useColor(*f.color, con.stdout)
	if err != nil {
		return err
	}
	r := *rep
	r.Color = color
	line, err := report.Summary(&r)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(con.stdout, "%s (report in %s)\n", line, f.output)
	return err
}

// writeOutput writes a report file. A new file or a regular file is
// written whole or not at all: a temporary file beside it, renamed over
// it. Anything else that exists there (a device such as /dev/null or
// /dev/stdout, a FIFO, a symbolic link) is written in place and never
// replaced: renaming over /dev/null as root would leave a regular file
// there and break every other program on the machine.
func writeOutput(path string, write func(io.Writer) error) error {
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		out, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return err
		}
		if err := write(out); err != nil {
			_ = out.Close() // the write error says more
			return err
		}
		return out.Close()
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("%s: the directory %s does not exist", path, dir)
	}
	tmp, err := createTemp(dir)
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // no-op once renamed
	if err := write(tmp); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// createTemp creates a new file in dir for writing a report into place.
// Unlike os.CreateTemp (0600), the file is created 0644 less the umask,
// as any file the user creates: a report is meant to be read by others.
func createTemp(dir string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, ".trustlint-"+rand.Text())
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644) //nolint:gosec // G302: reports are meant to be read (0644, less the umask)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("cannot create a temporary file in %s", dir)
}

// loadCustomRules reads the user's rules from --rules, else from the
// configuration's rules_dir (relative to the configuration file). A
// rules_dir that is not a directory is an error at the line that sets it.
func loadCustomRules(flagDir string, cfg *config.Config) ([]rules.Module, error) {
	if flagDir != "" {
		return rules.LoadDir(flagDir)
	}
	if cfg.RulesDir == "" {
		return nil, nil
	}
	dir := cfg.RulesDir
	if !filepath.IsAbs(dir) && cfg.File != "" {
		dir = filepath.Join(filepath.Dir(cfg.File), dir)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, &config.Error{File: cfg.File, Line: cfg.RulesDirLine, Msg: fmt.Sprintf("rules_dir %q: no such directory (%s)", cfg.RulesDir, dir)}
	}
	return rules.LoadDir(dir)
}

// loadBaseline reads the fingerprints of a previous SARIF report.
func loadBaseline(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	defer func() { _ = f.Close() }() // read-only
	fps, err := report.ReadBaseline(f)
	if err != nil {
		return nil, fmt.Errorf("read baseline %s: %w", path, err)
	}
	return fps, nil
}
