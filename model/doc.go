// Package model is trustlint's vocabulary: the normalized role and trust
// policy that every parser emits and every rule reads, the source positions
// kept beside it, and the findings and diagnostics that reports print.
//
// It imports only the standard library, so that parsers, the rule engine
// and reporters can all depend on it without depending on each other.
package model
