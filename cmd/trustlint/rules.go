package main

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/rules"
)

// catalogFlags are the flags of the commands that show rules: which
// configuration and which directory of the user's own rules to include.
type catalogFlags struct {
	config   string
	rulesDir string
}

func (f *catalogFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&f.config, "config", "c", "", "configuration file whose rules_dir to include (default: .trustlint.yaml found from the current directory up to the project root)")
	cmd.Flags().StringVar(&f.rulesDir, "rules", "", "directory of your own Rego rules to include (default: rules_dir from the configuration)")
}

// catalog returns the built-in rules and the user's own (--rules, else the
// configuration's rules_dir), sorted by ID.
func (f *catalogFlags) catalog() ([]model.RuleMeta, error) {
	cfg, err := loadConfig(f.config, ".", "")
	if err != nil {
		return nil, err
	}
	custom, err := loadCustomRules(f.rulesDir, cfg)
	if err != nil {
		return nil, err
	}
	return rules.Catalog(custom)
}

func newRulesCmd(stdout io.Writer) *cobra.Command {
	var format string
	var cf catalogFlags
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rule catalog, your own rules included",
		Long: `List the rules: the built-in ones and your own, from --rules DIR or the
configuration's rules_dir.`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			cat, err := cf.catalog()
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			switch format {
			case "text":
				return writeRuleTable(stdout, cat)
			case "json":
				return writeJSON(stdout, cat)
			}
			return &exitError{code: ExitError, err: errors.New("unknown --format " + format + " (want text or json)")}
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json")
	cf.register(cmd)
	return cmd
}

// writeRuleTable lists rules one a line: ID, severity, name and title.
func writeRuleTable(w io.Writer, cat []model.RuleMeta) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tNAME\tTITLE")
	for _, m := range cat {
		fmt.Fprintf(tw, "%s\t%s (%.1f)\t%s\t%s\n", m.ID, m.Level(), m.Severity, m.Name, m.Title)
	}
	return tw.Flush()
}
