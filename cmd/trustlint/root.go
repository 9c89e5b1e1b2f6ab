package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/trustlint/trustlint/config"
	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/report"
	"github.com/trustlint/trustlint/rules"
	"github.com/trustlint/trustlint/scan"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise it comes from the module build information.
var version = ""

func toolVersion() (ver, commit string) {
	ver = version
	if bi, ok := debug.ReadBuildInfo(); ok {
		if ver == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			ver = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				commit = s.Value
			}
		}
	}
	if ver == "" {
		ver = "0.0.0-dev"
	}
	return ver, commit
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "trustlint",
		Short: "Static analyzer for AWS IAM role trust policies",
		Long: `trustlint finds dangerous AWS IAM role trust policies: third-party
principals without sts:ExternalId, human access without MFA, wildcard
principals, over-long sessions. It reads bare policy documents and AWS CLI
exports (get-role, list-roles, get-account-authorization-details).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newScanCmd(stdout, stderr), newRulesCmd(stdout), newVersionCmd(stdout))
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: ExitError, err: err}
	})
	return root
}

type scanFlags struct {
	format   string
	output   string
	config   string
	failOn   string
	verbose  bool
	exitZero bool
}

func newScanCmd(stdout, stderr io.Writer) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Analyze trust policies in files and directories (default .)",
		Long: `Analyze trust policies in files and directories (default: the current
directory). Directories are walked recursively, skipping .git, .terraform,
node_modules, cdk.out assets and the configuration's exclude globs. Files
that are not IAM-related are skipped silently (--verbose says why).

Exit status: 0 when nothing is at or above --fail-on, 1 when something is,
2 on a usage or configuration error or when an input could not be read or
parsed (all other inputs are still analyzed and reported).`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd, args, f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "text", "output format: "+strings.Join(report.Formats(), ", "))
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of standard output")
	fl.StringVarP(&f.config, "config", "c", "", "configuration file (default: .trustlint.yaml in the current directory)")
	fl.StringVar(&f.failOn, "fail-on", model.LevelLow, "lowest severity that makes the exit status 1: low, medium, high, critical")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "say which files were skipped and why (on standard error)")
	fl.BoolVar(&f.exitZero, "exit-zero", false, "exit 0 even when there are findings (errors still exit 2)")
	return cmd
}

func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		path = config.Find(".")
		if path == "" {
			return config.Default(), nil
		}
	}
	return config.Load(path)
}

func runScan(cmd *cobra.Command, args []string, f scanFlags, stdout, stderr io.Writer) error {
	if !validFormat(f.format) {
		return &exitError{code: ExitError, err: fmt.Errorf("unknown --format %q (want one of %s)", f.format, strings.Join(report.Formats(), ", "))}
	}
	if model.LevelRank(f.failOn) == 0 {
		return &exitError{code: ExitError, err: fmt.Errorf("unknown --fail-on %q (want low, medium, high or critical)", f.failOn)}
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	ctx := cmd.Context()
	engine, err := rules.New(ctx, rules.Options{Config: cfg.RegoData(), Disabled: cfg.Disabled()})
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	known := map[string]bool{}
	for _, m := range engine.Catalog() {
		known[m.ID] = true
	}
	if err := cfg.CheckRuleIDs(func(id string) bool { return known[id] }); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	opts := scan.Options{Paths: args, Config: cfg, Engine: engine}
	if f.verbose {
		opts.Verbose = func(msg string) { fmt.Fprintln(stderr, msg) }
	}
	res, err := scan.Run(ctx, opts)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if f.verbose {
		st := engine.Stats()
		fmt.Fprintf(stderr, "%d roles analyzed with %d rule evaluations (%d shared an identical trust policy)\n", st.Roles, st.Evaluations, st.Roles-st.Evaluations)
	}
	wd, _ := os.Getwd()
	ver, _ := toolVersion()
	rep := &report.Report{
		Tool:        report.Tool{Name: report.DefaultToolName, Version: ver, InformationURI: report.DefaultInformationURI},
		Rules:       engine.Catalog(),
		Findings:    res.Findings,
		Diagnostics: res.Diagnostics,
		Stats:       res.Stats,
		WorkDir:     wd,
	}
	if err := writeReport(f, rep, stdout); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if len(res.Diagnostics) > 0 && f.format != "text" {
		// Text output already lists them on standard output; for machine
		// formats say it on standard error too, so a CI log shows why.
		for _, d := range res.Diagnostics {
			fmt.Fprintf(stderr, "trustlint: %s\n", d.Error())
		}
	}
	if len(res.Diagnostics) > 0 {
		return &exitError{code: ExitError}
	}
	if f.exitZero {
		return nil
	}
	threshold := model.LevelRank(f.failOn)
	for _, fd := range res.Findings {
		if model.LevelRank(model.SeverityLevel(fd.Severity)) >= threshold {
			return &exitError{code: ExitFindings}
		}
	}
	return nil
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
	dir := filepath.Dir(f.output)
	tmp, err := os.CreateTemp(dir, ".trustlint-*")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // no-op once renamed
	if err := report.Write(tmp, f.format, rep); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.output); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func newRulesCmd(stdout io.Writer) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rule catalog",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			engine, err := rules.New(cmd.Context(), rules.Options{})
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			cat := engine.Catalog()
			switch format {
			case "text":
				tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSEVERITY\tNAME\tTITLE")
				for _, m := range cat {
					fmt.Fprintf(tw, "%s\t%s (%.1f)\t%s\t%s\n", m.ID, m.Level(), m.Severity, m.Name, m.Title)
				}
				return tw.Flush()
			case "json":
				return writeJSON(stdout, cat)
			}
			return &exitError{code: ExitError, err: errors.New("unknown --format " + format + " (want text or json)")}
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json")
	return cmd
}

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			ver, commit := toolVersion()
			if commit != "" {
				_, err := fmt.Fprintf(stdout, "trustlint %s (commit %s)\n", ver, commit)
				return err
			}
			_, err := fmt.Fprintf(stdout, "trustlint %s\n", ver)
			return err
		},
	}
}
