package main

import (
	"github.com/spf13/cobra"
)

// newRootCmd builds the command tree. Each command lives in its own file
// (scan.go, explain.go, rules.go, test.go, version.go) with its flags.
func newRootCmd(con *console) *cobra.Command {
	stdout, stderr := con.stdout, con.stderr
	root := &cobra.Command{
		Use:   "trustlint",
		Short: "Static analyzer for AWS IAM role trust policies",
		Long: `trustlint finds dangerous AWS IAM role trust policies: third-party
principals without sts:ExternalId, human access without MFA, wildcard
principals, over-long sessions. It reads Terraform (HCL, .tf.json, plan
JSON), CloudFormation, SAM and CDK templates (YAML and JSON), bare policy
documents and AWS CLI exports (get-role, list-roles,
get-account-authorization-details).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	// --version prints what trustlint version does.
	root.Version, _ = toolVersion()
	root.SetVersionTemplate(versionText())
	color := root.PersistentFlags().String("color", colorAuto, "color text output: auto (on a terminal, unless NO_COLOR is set), always, never")
	_ = root.RegisterFlagCompletionFunc("color", cobra.FixedCompletions(colorModes, cobra.ShellCompDirectiveNoFileComp))
	root.AddCommand(newScanCmd(con, color), newExplainCmd(con, color), newRulesCmd(stdout), newTestCmd(stdout), newVersionCmd(stdout))
	root.SetFlagErrorFunc(usage)
	// Wrong arguments point to --help as unknown flags do; an unknown
	// command does too (runConsole).
	for _, c := range root.Commands() {
		if valid := c.Args; valid != nil {
			c.Args = func(cmd *cobra.Command, args []string) error {
				if err := valid(cmd, args); err != nil {
					return usage(cmd, err)
				}
				return nil
			}
		}
	}
	return root
}

// usage makes err, a mistake on cmd's command line, an exit with status 2
// that says where to read about the right usage.
func usage(cmd *cobra.Command, err error) error {
	return &exitError{code: ExitError, err: &usageError{err: err, cmd: cmd.CommandPath()}}
}

// usageError is a mistake on the command line: the message and where to
// read about the right usage.
type usageError struct {
	err error
	cmd string // the command path, "trustlint scan"
}

func (e *usageError) Error() string {
	return e.err.Error() + "\nRun '" + e.cmd + " --help' for usage."
}

func (e *usageError) Unwrap() error { return e.err }
