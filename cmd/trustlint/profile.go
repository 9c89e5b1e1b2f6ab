package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// profiler writes CPU and heap profiles for performance work: the
// persistent flags --cpuprofile and --memprofile, or the environment
// variables TRUSTLINT_CPUPROFILE and TRUSTLINT_MEMPROFILE (handy when
// trustlint runs under another tool, such as pre-commit). Read them with
// `go tool pprof`.
type profiler struct {
	cpu, mem string
	cpuFile  *os.File
}

// addProfileFlags declares the profile flags on root and starts the CPU
// profile before any command runs; call stop once the command returned.
func addProfileFlags(root *cobra.Command) *profiler {
	p := &profiler{}
	fl := root.PersistentFlags()
	fl.StringVar(&p.cpu, "cpuprofile", os.Getenv("TRUSTLINT_CPUPROFILE"), "write a CPU profile of the run to this file (or set TRUSTLINT_CPUPROFILE)")
	fl.StringVar(&p.mem, "memprofile", os.Getenv("TRUSTLINT_MEMPROFILE"), "write a heap profile at the end of the run to this file (or set TRUSTLINT_MEMPROFILE)")
	_ = fl.MarkHidden("cpuprofile")
	_ = fl.MarkHidden("memprofile")
	root.PersistentPreRunE = func(*cobra.Command, []string) error { return p.start() }
	return p
}

func (p *profiler) start() error {
	if p.cpu == "" {
		return nil
	}
	f, err := os.Create(p.cpu)
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("cpu profile: %w", err)}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return &exitError{code: ExitError, err: fmt.Errorf("cpu profile: %w", err)}
	}
	p.cpuFile = f
	return nil
}

// stop ends the CPU profile and writes the heap profile; failures are
// reported on standard error and never change the exit code.
func (p *profiler) stop(con *console) {
	if p.cpuFile != nil {
		pprof.StopCPUProfile()
		if err := p.cpuFile.Close(); err != nil {
			fmt.Fprintf(con.stderr, "trustlint: cpu profile: %v\n", err)
		}
		p.cpuFile = nil
	}
	if p.mem == "" {
		return
	}
	f, err := os.Create(p.mem)
	if err == nil {
		runtime.GC() // up-to-date statistics
		err = pprof.WriteHeapProfile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(con.stderr, "trustlint: memory profile: %v\n", err)
	}
}
