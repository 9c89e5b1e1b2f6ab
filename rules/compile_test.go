package rules

import (
	"context"
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
)

// builtinQuery compiles the built-in rules with newCompiler(checked).
func builtinQuery(t *testing.T, checked bool) rego.PreparedEvalQuery {
	t.Helper()
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
	compiler := newCompiler(checked)
	opts := []func(*rego.Rego){rego.Query("data.trustlint.main.findings"), rego.Compiler(compiler),
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
// compiler has (a scan skips the checkOnlyStages for them), and shows that
// skipping the checks changes no finding.
func TestBuiltinChecked(t *testing.T) {
	checked, fast := builtinQuery(t, true), builtinQuery(t, false)
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
