package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trustlint/trustlint/rules"
)

func newTestCmd(stdout io.Writer) *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "test DIR",
		Short: "Run the _test.rego files of your own rules",
		Long: `Run the _test.rego files in DIR against your rules, the built-in rules
and the rule library, in the same sandbox as a scan. Exit status 1 when a
test fails, 2 when the rules do not compile.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			mods, err := rules.LoadDir(args[0])
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			results, err := rules.RunTests(cmd.Context(), mods)
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			prefix := map[string]bool{}
			for _, m := range mods {
				prefix[m.Name] = true
			}
			var pass, fail int
			for _, r := range results {
				file := r.Location
				if i := strings.LastIndex(file, ":"); i > 0 {
					file = file[:i]
				}
				if !prefix[file] {
					continue // a built-in test
				}
				switch {
				case r.Err != nil:
					fail++
					fmt.Fprintf(stdout, "%s: ERROR %s: %v\n", r.Location, r.Name, r.Err)
				case r.Fail:
					fail++
					fmt.Fprintf(stdout, "%s: FAIL %s\n", r.Location, r.Name)
					if r.Output != "" {
						fmt.Fprint(stdout, r.Output)
					}
				default:
					pass++
					if verbose {
						fmt.Fprintf(stdout, "%s: PASS %s (%s)\n", r.Location, r.Name, r.Duration)
					}
				}
			}
			fmt.Fprintf(stdout, "%d passed, %d failed\n", pass, fail)
			if fail > 0 {
				return &exitError{code: ExitFindings}
			}
			if pass == 0 {
				return &exitError{code: ExitError, err: fmt.Errorf("no tests in %s (test rules are named test_... in _test.rego files)", args[0])}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list passing tests too")
	return cmd
}
