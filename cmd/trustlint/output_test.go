package main

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// TestOutputNeverReplacesSpecialFiles: --output onto a FIFO or a character
// device writes through it and leaves it in place; onto a regular file or a
// new name, the report replaces the file whole. Never against the real
// /dev/null: the devices here live in a temporary directory.
func TestOutputNeverReplacesSpecialFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs or device nodes")
	}
	dir := writeFiles(t, map[string]string{"p.json": externalPolicy, "old.sarif": "stale"})

	t.Run("FIFO", func(t *testing.T) {
		fifo := filepath.Join(dir, "report.fifo")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		got := make(chan string, 1)
		go func() {
			f, err := os.Open(fifo) // blocks until trustlint opens it for writing
			if err != nil {
				got <- "open: " + err.Error()
				return
			}
			b, _ := io.ReadAll(f)
			_ = f.Close()
			got <- string(b)
		}()
		code, out, errOut := runStdin(t, dir, "", "scan", "--format", "json", "--output", fifo, "p.json")
		if code != ExitFindings {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		if report := <-got; !strings.Contains(report, `"rule_id": "TL001"`) {
			t.Errorf("the reader of the FIFO got %q, want the JSON report", report)
		}
		if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("the FIFO was replaced: %v, %v", st.Mode(), err)
		}
	})

	t.Run("character device", func(t *testing.T) {
		null := filepath.Join(dir, "null")
		// A second node for the null device (1, 3), made in the temporary
		// directory: needs root, as the bug did.
		if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
			t.Skipf("cannot make a device node: %v", err)
		}
		code, out, errOut := runStdin(t, dir, "", "scan", "--format", "sarif", "--output", null, "p.json")
		if code != ExitFindings {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		st, err := os.Lstat(null)
		if err != nil || st.Mode()&os.ModeCharDevice == 0 {
			t.Errorf("the device was replaced: %v, %v", st.Mode(), err)
		}
		if leftovers, _ := filepath.Glob(filepath.Join(dir, ".trustlint-*")); len(leftovers) > 0 {
			t.Errorf("temporary files left: %v", leftovers)
		}
	})

	t.Run("regular file", func(t *testing.T) {
		old := filepath.Join(dir, "old.sarif")
		code, _, _ := runStdin(t, dir, "", "scan", "--format", "sarif", "--output", old, "p.json")
		if code != ExitFindings {
			t.Fatalf("exit %d", code)
		}
		b, err := os.ReadFile(old)
		if err != nil || !strings.Contains(string(b), `"version": "2.1.0"`) {
			t.Errorf("old.sarif holds %q, %v; want the SARIF report", b, err)
		}
	})
}
