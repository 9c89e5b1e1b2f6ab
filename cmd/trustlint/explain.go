package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trustlint/trustlint/internal/ruledoc"
	"github.com/trustlint/trustlint/model"
)

func newExplainCmd(con *console, color *string) *cobra.Command {
	var format string
	var cf catalogFlags
	cmd := &cobra.Command{
		Use:   "explain [RULE]",
		Short: "Print a rule's documentation: what it checks, why, how to fix it, examples",
		Long: `Print the documentation of a rule, named by ID (TL001) or name
(missing-external-id): what it checks, why it matters, how to fix it, a
reported and a fixed example in JSON, Terraform and CloudFormation, and how
to turn it off. The same text is published under docs/rules. With
--format markdown, print the page's markdown. Your own rules (--rules DIR or
the configuration's rules_dir) are explained from their METADATA. Without
RULE, list the rules.`,
		Example: "  trustlint explain TL001\n  trustlint explain missing-external-id --format markdown\n  trustlint explain --rules policies/rules ACME001",
		Args:    cobra.MaximumNArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return ruleCompletions(cmd), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := cf.catalog()
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			if len(args) == 0 {
				if err := writeRuleTable(con.stdout, cat); err != nil {
					return err
				}
				_, err := fmt.Fprintln(con.stdout, "\ntrustlint explain RULE prints a rule's documentation (RULE: an ID or a name).")
				return err
			}
			m, ok := model.FindRule(cat, args[0])
			if !ok {
				return &exitError{code: ExitError, err: fmt.Errorf("unknown rule %q (trustlint rules lists them)", args[0])}
			}
			d := ruledoc.New(m)
			switch format {
			case "text":
				bold, err := con.useColor(*color, con.stdout)
				if err != nil {
					return &exitError{code: ExitError, err: err}
				}
				_, err = fmt.Fprint(con.stdout, d.Text(bold))
				return err
			case "markdown":
				_, err := con.stdout.Write(d.Markdown())
				return err
			}
			return &exitError{code: ExitError, err: fmt.Errorf("unknown --format %q (want text or markdown)", format)}
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, markdown")
	cf.register(cmd)
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]cobra.Completion{"text", "markdown"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// ruleCompletions completes rule IDs, with their titles as descriptions.
func ruleCompletions(cmd *cobra.Command) []cobra.Completion {
	docs, err := ruledoc.Load(cmd.Context())
	if err != nil {
		return nil
	}
	out := make([]cobra.Completion, 0, len(docs))
	for _, d := range docs {
		out = append(out, cobra.CompletionWithDesc(d.ID, strings.ReplaceAll(d.Name+": "+d.Title, "\t", " ")))
	}
	return out
}
