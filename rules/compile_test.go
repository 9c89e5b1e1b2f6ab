package rules

import (
	"context"
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// builtinQuery compiles the built-in rules parsed from their source with
// every compiler check, or else returns the main query of an engine, which
// decodes them from builtin.ast and skips the check-only stages.
func builtinQuery(t *testing.T, checked bool) rego.PreparedEvalQuery {
	t.Helper()
	if !checked {
		e, err := New(context.Background(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		return e.query
	}
	mods, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := parseRules(mods)
	if err != nil {
		t.Fatal(err)
	}
	store, err := Store(nil)
	if err != nil {
		t.Fatal(err)
	}
	compiler := newCompiler(formParsed)
	if checked {
		compiler = newCompiler(formChecked)
	}
	opts := []func(*rego.Rego){rego.Query(denyQuery(ruleNames(parsed))), rego.Compiler(compiler),
		rego.Capabilities(Capabilities()), rego.Strict(true), rego.Store(store)}
	for _, m := range parsed {
		opts = append(opts, rego.ParsedModule(m))
	}
	q, err := rego.New(opts...).PrepareForEval(context.Background())
	if err != nil {
		t.Fatalf("compile the built-in rules (checked %v): %v", checked, err)
	}
	if len(compiler.Errors) > 0 {
		t.Fatalf("compile the built-in rules (checked %v): %v", checked, compiler.Errors)
	}
	return q
}

// TestBuiltinChecked compiles the built-in rules with every check the
// compiler has (a scan skips the checkOnlyStages for them, and takes their
// trees from builtin.ast), and shows that this changes no finding.
func TestBuiltinChecked(t *testing.T) {
	sameFindings(t, builtinQuery(t, true), builtinQuery(t, false))
}

// TestPrewarm: the first engine of the embedded rules takes the compile
// Prewarm started, and finds what an engine compiled on its own finds.
func TestPrewarm(t *testing.T) {
	Prewarm()
	ctx := context.Background()
	warmed, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ws := warm.Load()
	if ws == nil || !ws.claimed.Load() || ws.err != nil {
		t.Fatalf("the prewarmed compile was not taken: %+v", ws)
	}
	if warmed.compiler != ws.c {
		t.Error("the engine compiled the rules again")
	}
	own, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if own.compiler == ws.c {
		t.Error("a second engine shares the prewarmed compiler")
	}
	sameFindings(t, own.query, warmed.query)
	// A compile of other modules is never taken.
	other := &warmSet{done: make(chan struct{}), mods: map[string]*ast.Module{}, c: ws.c}
	close(other.done)
	warm.Store(other)
	mods, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	todo, _, ok := preparsed(mods)
	if !ok {
		t.Fatal("builtin.ast is stale")
	}
	compiled, ok := decodeModules(todo)
	if !ok {
		t.Fatal("builtin.ast does not decode")
	}
	if c, err := compileEmbedded(compiled, formCompiled); err != nil || c == ws.c || !other.claimed.Load() {
		t.Errorf("compile of other modules taken (err %v)", err)
	}
}

// sameFindings evaluates the benchmark role and each of its statements
// alone with both queries and compares the results.
func sameFindings(t *testing.T, checked, fast rego.PreparedEvalQuery) {
	t.Helper()
	in := benchInput()
	stmts := in["policy"].(map[string]any)["Statement"].([]any)
	inputs := []map[string]any{in}
	for _, st := range stmts { // each statement on its own too
		one := benchInput()
		one["policy"].(map[string]any)["Statement"] = []any{st}
		inputs = append(inputs, one)
	}
	ctx := context.Background()
	for i, in := range inputs {
		val := rego.EvalParsedInput(toValue(in))
		want, err := checked.Eval(ctx, val)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fast.Eval(ctx, val)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("input %d: without the checks %v, with them %v", i, got, want)
		}
	}
}
