// Package sarifschema validates SARIF logs against the SARIF 2.1.0 JSON
// schema, vendored beside it (sarif-2.1.0.json, as shipped in the npm
// package @microsoft/sarif-multitool-linux 5.7.0). Tests use it to check
// every SARIF output trustlint writes.
package sarifschema

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed sarif-2.1.0.json
var schemaJSON []byte

const schemaURL = "https://trustlint.invalid/sarif-2.1.0.json"

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("read SARIF schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("load SARIF schema: %w", err)
	}
	return c.Compile(schemaURL)
})

// Validate checks that data is a SARIF 2.1.0 log, with format assertions
// (uri, uri-reference) on.
func Validate(data []byte) error {
	sch, err := compiled()
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("SARIF log is not JSON: %w", err)
	}
	if err := sch.Validate(doc); err != nil {
		return fmt.Errorf("SARIF log is schema-invalid: %w", err)
	}
	return nil
}

// EnvDir is the environment variable naming a directory where tests save
// every SARIF log they produce (see Save), so that CI can run external
// validators over all of them: .ci/run runs Microsoft's SARIF multitool
// with GitHub's ingestion rules.
const EnvDir = "TRUSTLINT_SARIF_DIR"

// Save writes a SARIF log produced by a test to $TRUSTLINT_SARIF_DIR, as
// <test name>-<content hash>.sarif, and does nothing when the variable is
// unset. Identical logs are saved once. A log that cannot be saved fails
// the test: CI must not validate fewer files than the tests produced.
func Save(tb testing.TB, data []byte) {
	tb.Helper()
	dir := os.Getenv(EnvDir)
	if dir == "" {
		return
	}
	sum := sha256.Sum256(data)
	name := unsafeName.ReplaceAllString(tb.Name(), "_") + "-" + hex.EncodeToString(sum[:6]) + ".sarif"
	// The directory is the test runner's choice; name is sanitized.
	if err := os.MkdirAll(dir, 0o750); err != nil { //nolint:gosec // see above
		tb.Fatalf("save SARIF for validation: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil { //nolint:gosec // see above
		tb.Fatalf("save SARIF for validation: %v", err)
	}
}

// unsafeName matches the characters of a test name that are replaced in
// file names.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)
