// Package rules is trustlint's rule engine. The rules are Rego v1 files
// embedded in the binary, one rule per package under data.trustlint.rules,
// each with a METADATA block that is the single source of the rule's
// documentation (ID, name, severity, description, remediation). The engine
// compiles them once per process with a sandboxed set of builtins (no
// network, environment or time) and evaluates one role at a time, safely
// from many goroutines.
//
// Rules read the rule input of model.Role.Input and return {msg, path}
// objects; the engine adds the rule's metadata. Positions are never the
// rules' business: the caller resolves each path through the role's source
// map.
package rules
