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
	color := root.PersistentFlags().String("color", colorAuto, "color text output: auto (on a terminal, unless NO_COLOR is set), always, never")
	_ = root.RegisterFlagCompletionFunc("color", cobra.FixedCompletions(colorModes, cobra.ShellCompDirectiveNoFileComp))
	root.AddCommand(newScanCmd(con, color), newExplainCmd(con, color), newRulesCmd(stdout), newTestCmd(stdout), newVersionCmd(stdout))
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: ExitError, err: err}
	})
	return root
}
