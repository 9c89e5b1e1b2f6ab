package main

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/trustlint/trustlint/rules"
)

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
