package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version and commit may be set at build time with
// -ldflags "-X main.version=v1.2.3 -X main.commit=abc123"; otherwise they
// come from the build information: the module version for
// go install github.com/trustlint/trustlint/cmd/trustlint@v1.2.3, the VCS
// revision for a build in a git checkout.
var version, commit = "", ""

func toolVersion() (ver, rev string) {
	ver, rev = version, commit
	modified := false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if ver == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			ver = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if rev == "" {
					rev = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if ver == "" {
		ver = "0.0.0-dev"
	}
	if rev != "" && modified {
		rev += "-dirty"
	}
	return ver, rev
}

// versionText is what trustlint version and trustlint --version print.
func versionText() string {
	ver, rev := toolVersion()
	line := "trustlint " + ver
	if rev != "" {
		line += " (commit " + rev + ")"
	}
	return fmt.Sprintf("%s\n%s %s/%s\n", line, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, the commit and the Go version it was built with",
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			_, err := io.WriteString(stdout, versionText())
			return err
		},
	}
}
