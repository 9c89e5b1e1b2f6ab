// Package sarifschema validates SARIF logs against the SARIF 2.1.0 JSON
// schema, vendored beside it (sarif-2.1.0.json, as shipped in the npm
// package @microsoft/sarif-multitool-linux 5.7.0). Tests use it to check
// every SARIF output trustlint writes.
package sarifschema

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

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
