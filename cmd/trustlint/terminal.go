package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// console is what the CLI knows about where it runs: its output streams,
// the environment, and whether a stream is a terminal. Tests replace it.
type console struct {
	stdin          io.Reader // read by `trustlint scan -`
	stdout, stderr io.Writer
	getenv         func(string) string
	isTerminal     func(w io.Writer) bool
	// width returns the number of columns of a terminal, or 0.
	width func(w io.Writer) int
	// now is the clock of the progress bar.
	now func() time.Time
}

// realConsole is the process's console.
func realConsole(stdout, stderr io.Writer) *console {
	return &console{stdin: os.Stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, isTerminal: fileIsTerminal, width: fileWidth, now: time.Now}
}

func fileIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func fileWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	cols, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return cols
}

// Color modes of --color.
const (
	colorAuto   = "auto"
	colorAlways = "always"
	colorNever  = "never"
)

var colorModes = []string{colorAuto, colorAlways, colorNever}

// useColor decides whether output to w is colored. always and never are
// what they say (a flag wins over the environment); auto colors a terminal
// unless NO_COLOR is set to anything (https://no-color.org) or TERM is
// dumb, and colors even a pipe when FORCE_COLOR is set (and not 0).
func (c *console) useColor(mode string, w io.Writer) (bool, error) {
	switch mode {
	case colorAlways:
		return true, nil
	case colorNever:
		return false, nil
	case colorAuto, "":
	default:
		return false, fmt.Errorf("unknown --color %q (want auto, always or never)", mode)
	}
	switch {
	case c.getenv("NO_COLOR") != "":
		return false, nil
	case c.getenv("FORCE_COLOR") != "" && c.getenv("FORCE_COLOR") != "0":
		return true, nil
	case c.getenv("TERM") == "dumb":
		return false, nil
	}
	return c.isTerminal(w), nil
}

// showProgress reports whether a progress bar may be drawn on standard
// error: only on a terminal, never in CI logs (CI is set by GitHub Actions,
// GitLab, CircleCI, Buildkite, Travis and most others) or with TERM=dumb.
func (c *console) showProgress() bool {
	return c.isTerminal(c.stderr) && c.getenv("CI") == "" && c.getenv("TERM") != "dumb"
}
