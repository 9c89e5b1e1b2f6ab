// Command trustlint finds dangerous AWS IAM role trust policies in policy
// files, AWS CLI exports and infrastructure code.
//
//	trustlint scan [PATH...]   analyze files and directories (default .)
//	trustlint explain RULE     print a rule's documentation
//	trustlint rules            list the rule catalog
//	trustlint test DIR         run the _test.rego files of your own rules
//	trustlint completion SHELL print a shell completion script
//	trustlint version          print the version
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/trustlint/trustlint/rules"
)

// Exit codes.
const (
	ExitOK       = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitError    = 2 // usage or configuration error, or an input that could not be read or parsed
)

// exitError carries an exit code out of a command; main calls os.Exit once.
type exitError struct {
	code int
	err  error // printed when not nil
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// gcPercent is the GC target once the heap it allows is past minHeapGoal: on the
// 40,000-role export 200 runs as fast as 400 with a lower peak
// (bench/peers.sh).
const gcPercent = 200

func main() {
	if args := os.Args[1:]; slices.Contains(args, "scan") {
		// First: its GC must come before the GC settings count any.
		hugeHeap(heapReserve(args))
	}
	// Rule evaluation allocates many short-lived values; a larger GC target
	// trades a little memory for speed on big exports, and the target falls
	// as the live heap grows past heapBase; small runs start with a larger
	// target still (paceGC). GOGC, when set, wins.
	if os.Getenv("GOGC") == "" {
		paceGC(firstGCPercent)
	}
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// isRulesFlag reports whether a command-line argument is --rules.
func isRulesFlag(arg string) bool {
	return arg == "--rules" || strings.HasPrefix(arg, "--rules=")
}

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runConsole(ctx, args, realConsole(stdout, stderr))
}

// runConsole is run with a given console (tests use fake terminals).
func runConsole(ctx context.Context, args []string, con *console) int {
	stderr := con.stderr
	if slices.Contains(args, "scan") && !slices.ContainsFunc(args, isRulesFlag) {
		// The embedded rules compile while flags, configuration and
		// inputs are read (rules.Prewarm). With the user's rules the
		// whole set compiles with every check, so there is nothing to
		// start ahead (rules_dir from a configuration is only known
		// later: the compile ahead is then wasted).
		rules.Prewarm()
	}
	cmd := newRootCmd(con)
	prof := addProfileFlags(cmd)
	cmd.SetArgs(args)
	found, err := cmd.ExecuteContextC(ctx)
	prof.stop(con)
	if err == nil {
		return ExitOK
	}
	if found == cmd && !errors.As(err, new(*exitError)) {
		// The root runs nothing itself: its error is cobra's unknown
		// command.
		err = usage(cmd, err)
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "trustlint: %v\n", ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "trustlint: %v\n", err)
	return ExitError
}
