package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestJSONOutputDocExamplesRun runs the shell examples of
// docs/json-output.md as written: the trustlint command must be a valid
// command line, and, where jq is installed, the jq program after the pipe
// must compile and run on trustlint's output.
func TestJSONOutputDocExamplesRun(t *testing.T) {
	doc, err := os.ReadFile("../../docs/json-output.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{"p.json": externalPolicy})
	jq, jqErr := exec.LookPath("jq")
	n := 0
	inSh := false
	sc := bufio.NewScanner(bytes.NewReader(doc))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "```"):
			inSh = line == "```sh"
			continue
		case !inSh || !strings.HasPrefix(line, "trustlint "):
			continue
		}
		n++
		cmdPart, pipe, _ := strings.Cut(line, " | ")
		code, out, errOut := trustlint(t, dir, strings.Fields(cmdPart)[1:]...)
		if code == ExitError {
			t.Errorf("%s: exit %d: %s", cmdPart, code, errOut)
			continue
		}
		if pipe == "" || jqErr != nil {
			continue
		}
		c := exec.Command("sh", "-c", strings.Replace(pipe, "jq", jq, 1))
		c.Stdin = strings.NewReader(out)
		var stderr bytes.Buffer
		c.Stderr = &stderr
		err := c.Run()
		var ee *exec.ExitError
		falseResult := errors.As(err, &ee) && ee.ExitCode() == 1 // jq -e on false or null
		if (err != nil && !falseResult) || stderr.Len() > 0 {
			t.Errorf("%s: %v %s", pipe, err, stderr.String())
		}
	}
	if n == 0 {
		t.Fatal("no trustlint examples found in docs/json-output.md")
	}
}
