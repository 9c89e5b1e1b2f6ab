package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestProfiles writes a CPU profile (flag) and a heap profile (environment
// variable) of a scan, and both parse as pprof profiles.
func TestProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	t.Setenv("TRUSTLINT_MEMPROFILE", mem)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := trustlint(t, root, "scan", "--cpuprofile", cpu, "--quiet", "testdata/examples/partner-trust.json")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitFindings, stderr)
	}
	for _, p := range []string{cpu, mem} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) || len(b) < 64 {
			t.Errorf("%s: not a pprof profile (%d bytes)", filepath.Base(p), len(b))
		}
	}
}
