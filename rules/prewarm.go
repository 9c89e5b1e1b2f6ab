package rules

import (
	"fmt"
	"maps"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Compiling the embedded rules ahead.
//
// Compiling the rules is the longest part of a one-file scan, and nothing
// that comes before it in a run (flags, configuration, the catalog, the
// walk) changes what the embedded rules compile to: only the user's rules
// and disabled rules do. Prewarm starts that compile when the process
// starts; the first engine whose rule set is exactly the embedded rules
// takes the compiled rules, any other compiles its own.

// warmSet is one compile of every embedded rule module.
type warmSet struct {
	done    chan struct{}
	claimed atomic.Bool
	mods    map[string]*ast.Module // what was compiled
	c       *ast.Compiler
	err     error
}

var warm atomic.Pointer[warmSet]

// Prewarm starts decoding and compiling every embedded rule module (from
// builtin.ast) in the background, once per process. Call it as early as a scan is known to
// come.
func Prewarm() {
	ws := &warmSet{done: make(chan struct{})}
	if !warm.CompareAndSwap(nil, ws) {
		return
	}
	go func() {
		defer close(ws.done)
		mods, err := builtinModules()
		if err != nil {
			ws.err = err
			return
		}
		todo, _, ok := preparsed(mods)
		if !ok {
			ws.err = fmt.Errorf("rules: builtin.ast is stale")
			return
		}
		compiled, ok := decodeModules(todo)
		if !ok {
			ws.err = fmt.Errorf("rules: builtin.ast is damaged")
			return
		}
		ws.mods = compiled
		ws.c, ws.err = compileModules(compiled, formCompiled)
	}()
}

// compileEmbedded compiles modules, all of them unchanged embedded rule
// modules of the given form (compiled or parsed), without the check-only
// stages; the compile Prewarm started is taken when it compiled exactly
// these modules and no engine took it yet.
func compileEmbedded(mods map[string]*ast.Module, form ruleForm) (*ast.Compiler, error) {
	if ws := warm.Load(); ws != nil && ws.claimed.CompareAndSwap(false, true) {
		<-ws.done
		if ws.err == nil && form == formCompiled && maps.Equal(ws.mods, mods) {
			return ws.c, nil
		}
	}
	return compileModules(mods, form)
}

// compileModules compiles modules of the given form the way the engine's
// main query would (rego.ParsedModule), as a compiler the queries are then
// prepared on. Compiled modules get back the compiler's renamed variables,
// and skip building comprehension indices when builtin.ast says there are
// none to build.
func compileModules(mods map[string]*ast.Module, form ruleForm) (*ast.Compiler, error) {
	c := newCompiler(form)
	set := readPreparsed()
	if form == formCompiled && set != nil && !set.indexed {
		c = c.WithSkipStages(ast.StageBuildComprehensionIndices) // it would find none
	}
	c.Compile(mods)
	if c.Failed() {
		return nil, fmt.Errorf("compile rules: %w", c.Errors)
	}
	if form == formCompiled && set != nil {
		maps.Copy(c.RewrittenVars, set.rewritten)
	}
	return c, nil
}
