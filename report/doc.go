// Package report renders the outcome of a trustlint run — findings,
// diagnostics for inputs that could not be read, and run statistics — in
// every output format trustlint supports: human-readable text (with the
// source line of each finding underlined, and optional ANSI colors), a
// stable JSON document (see docs/json-output.md), SARIF 2.1.0 for GitHub
// code scanning, and GitHub Actions workflow commands (annotations).
//
// The text format reads the files findings point at only through
// Report.Sources, which the caller fills with the files it scanned; the
// package itself never opens a file.
//
// Every format is deterministic: findings and diagnostics are sorted, paths
// are made relative to Report.WorkDir with forward slashes, and no output
// carries timestamps or other run-specific data. Each format lives in its own
// file and registers itself in the formats map; Formats lists them and Write
// dispatches on the name.
//
// The package depends only on model and the go-sarif library: it knows
// nothing about parsers or rules.
package report
