package rules

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
)

// Defaults of Limits.
const (
	DefaultRuleTimeout        = 5 * time.Second
	DefaultRuleMemory  uint64 = 512 << 20
)

// Limits bound the evaluation of one custom rule on one role. The user's
// rules come from a directory they chose, but a rule can still loop over a
// large input or build huge values: past a limit its evaluation stops, a
// LimitError names the rule and the role's other findings stand.
type Limits struct {
	// Timeout is the longest one rule may evaluate one role.
	Timeout time.Duration
	// Memory is how much the heap may grow while one rule evaluates one
	// role. It is measured on the whole process (Go has no per-goroutine
	// accounting), sampled every few milliseconds: a budget, not an exact
	// cap.
	Memory uint64
}

func (l Limits) withDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = DefaultRuleTimeout
	}
	if l.Memory == 0 {
		l.Memory = DefaultRuleMemory
	}
	return l
}

// LimitError is a custom rule's evaluation stopped at a limit.
type LimitError struct {
	Rule string // the rule's ID, or its package name without one
	File string // the file that declares it
	// What is "time" or "memory"; Limit says how much was allowed.
	What, Limit string
}

func (e *LimitError) Error() string {
	flag := "--rule-timeout"
	if e.What == "memory" {
		flag = "--rule-memory"
	}
	return fmt.Sprintf("custom rule %s (%s) exceeded its %s limit of %s on this role and was stopped; its findings for this role are missing (%s raises the limit)",
		e.Rule, e.File, e.What, e.Limit, flag)
}

// customRule is one of the user's rule packages, prepared on its own.
type customRule struct {
	name, file string
	query      rego.PreparedEvalQuery
}

// compileCustom prepares one query per custom rule package (names are the
// module file names in mods), over all enabled modules compiled once.
func compileCustom(ctx context.Context, mods map[string]*ast.Module, names []string, store storage.Store) ([]customRule, error) {
	if len(names) == 0 {
		return nil, nil
	}
	c := ast.NewCompiler().
		WithCapabilities(Capabilities()).
		WithStrict(true).
		WithUseTypeCheckAnnotations(true).
		WithDefaultRegoVersion(ast.RegoV1)
	if c.Compile(mods); c.Failed() {
		return nil, fmt.Errorf("compile rules: %w", c.Errors)
	}
	seen := map[string]bool{}
	var out []customRule
	for _, file := range names {
		m := mods[file]
		pkg := strings.TrimPrefix(m.Package.Path.String(), rulePackagePrefix)
		if seen[pkg] {
			continue // one package in several files
		}
		seen[pkg] = true
		q, err := rego.New(
			rego.Query(fmt.Sprintf("x := data.trustlint.rules[%q].deny", pkg)),
			rego.Compiler(c),
			rego.Store(store),
			rego.Capabilities(Capabilities()),
			rego.Strict(true),
		).PrepareForEval(ctx)
		if err != nil {
			return nil, fmt.Errorf("compile rules: %w", err)
		}
		out = append(out, customRule{name: pkg, file: file, query: q})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// evalCustom evaluates each custom rule on input in, each under the
// engine's limits, and returns their findings.
func (e *Engine) evalCustom(ctx context.Context, in ast.Value) ([]RawFinding, error) {
	var out []RawFinding
	var errs []error
	for _, c := range e.custom {
		set, err := e.evalLimited(ctx, c, in)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, item := range set {
			v, err := ast.InterfaceToValue(item)
			if err != nil {
				errs = append(errs, fmt.Errorf("rule %s: %w", c.name, err))
				continue
			}
			f, err := e.decode(c.name, v)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, f)
		}
	}
	return out, errors.Join(errs...)
}

var (
	errTimeLimit   = errors.New("time limit")
	errMemoryLimit = errors.New("memory limit")
)

func (e *Engine) evalLimited(ctx context.Context, c customRule, in ast.Value) ([]any, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ctx, stopTimer := context.WithTimeoutCause(ctx, e.limits.Timeout, errTimeLimit)
	defer stopTimer()
	done := make(chan struct{})
	defer close(done)
	go watchHeap(done, e.limits.Memory, func() { cancel(errMemoryLimit) })

	e.evals.Add(1)
	rs, err := c.query.Eval(ctx, rego.EvalParsedInput(in), rego.EvalVirtualCache(newCallCache(maxCachedCalls)))
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errTimeLimit):
		return nil, e.limitError(c, "time", e.limits.Timeout.String())
	case errors.Is(cause, errMemoryLimit):
		return nil, e.limitError(c, "memory", fmt.Sprintf("%d MB", e.limits.Memory>>20))
	case err != nil:
		return nil, fmt.Errorf("custom rule %s (%s): %w", c.name, c.file, err)
	}
	if len(rs) == 0 {
		return nil, nil
	}
	set, ok := rs[0].Bindings["x"].([]any)
	if !ok {
		return nil, fmt.Errorf("custom rule %s (%s): deny is not a set", c.name, c.file)
	}
	return set, nil
}

func (e *Engine) limitError(c customRule, what, limit string) error {
	rule := c.name
	if meta, ok := e.byPkg[rulePackagePrefix+c.name]; ok && meta.ID != "" {
		rule = meta.ID
	}
	return &LimitError{Rule: rule, File: c.file, What: what, Limit: limit}
}

// heapSample is the runtime metric watched: bytes of heap objects, live or
// not yet swept.
const heapSample = "/memory/classes/heap/objects:bytes"

// watchHeap calls over once when the heap grows by more than budget bytes
// over its size at the start, checking every few milliseconds until done
// is closed.
func watchHeap(done <-chan struct{}, budget uint64, over func()) {
	sample := []metrics.Sample{{Name: heapSample}}
	read := func() uint64 {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return sample[0].Value.Uint64()
	}
	base := read()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			if h := read(); h > base && h-base > budget {
				over()
				return
			}
		}
	}
}
