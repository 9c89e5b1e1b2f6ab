// Package integration holds end-to-end tests that run trustlint the way
// users meet it, with the real tools: pre-commit building the hook from a
// clone of this repository and blocking a commit, and the GitHub Action's
// scripts writing a SARIF report.
//
// They are slow (each builds trustlint) and need tools that a development
// machine may lack, so they run only when TRUSTLINT_INTEGRATION=1, as
// bash .ci/run sets it; then a missing tool is a failure, not a skip. SARIF
// reports they write are saved for the SARIF multitool run of CI like every
// other (internal/sarifschema.Save).
package integration
