package rules

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// LoadDir reads the Rego files of a directory of the user's own rules,
// recursively, including their _test.rego files. Each rule is a package
// under trustlint.rules with the same METADATA convention as the built-in
// rules (see docs/custom-rules.md).
func LoadDir(dir string) ([]Module, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("read rules directory: %w", err)
	}
	defer func() { _ = root.Close() }() // read-only
	fsys := root.FS()                   // reads stay inside dir, symbolic links included
	var mods []Module
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		mods = append(mods, Module{Name: customName(dir, p), Src: string(b), Test: strings.HasSuffix(p, "_test.rego")})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read rules directory: %w", err)
	}
	if len(mods) == 0 {
		return nil, fmt.Errorf("read rules directory: no .rego files in %s", dir)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Name < mods[j].Name })
	return mods, nil
}

// customName is the module name of the file p of the user's rules
// directory dir: its path, written "./rules/..." when dir is itself named
// rules, so that it never takes the name of a built-in module.
func customName(dir, p string) string {
	name := filepath.ToSlash(filepath.Join(dir, p))
	if isBuiltinName(name) {
		name = "./" + name
	}
	return name
}

// checkCustom reports a module of the user's that would change the
// built-in rules: one named like a built-in module (it would replace it),
// or one that declares a built-in package (OPA would merge the two).
func checkCustom(custom []Module, parsed map[string]*ast.Module) error {
	builtinPkgs := map[string]string{}
	for name, m := range parsed {
		if isBuiltinName(name) {
			builtinPkgs[m.Package.Path.String()] = name
		}
	}
	var problems []string
	for _, c := range custom {
		if isBuiltinName(c.Name) {
			problems = append(problems, fmt.Sprintf("%s: the name of a built-in module; name your module by a path that does not start with rules/", c.Name))
			continue
		}
		m, ok := parsed[c.Name]
		if !ok {
			continue // a test
		}
		if prev, clash := builtinPkgs[m.Package.Path.String()]; clash {
			problems = append(problems, fmt.Sprintf("%s: package %s is built in (%s); give your rule a package of its own", m.Package.Location, m.Package.Path, prev))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("custom rules:\n%s", strings.Join(problems, "\n"))
	}
	return nil
}

// TestResult is the outcome of one Rego test.
type TestResult struct {
	// Name is package.test_name.
	Name string
	// Location is file:line of the test.
	Location string
	// Fail is set when the test evaluated to false or undefined.
	Fail bool
	// Err is set when the test could not be evaluated.
	Err error
	// Output is what print() wrote during the test.
	Output string
	// Duration is how long the test ran.
	Duration time.Duration
}

// RunTests runs every _test.rego among mods against the built-in library,
// data and rules plus the non-test modules of mods, in the same sandbox as
// the engine. Compile errors come back as one error naming file:line.
func RunTests(ctx context.Context, mods []Module) ([]TestResult, error) {
	base, err := BuiltinModules()
	if err != nil {
		return nil, err
	}
	var all []Module
	for _, m := range base {
		if !m.Test {
			all = append(all, m)
		}
	}
	all = append(all, mods...)
	parsed, err := ParseModules(all)
	if err != nil {
		return nil, err
	}
	if _, _, err := buildCatalog(parsed); err != nil {
		return nil, err
	}
	store, err := Store(nil)
	if err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().
		WithCapabilities(Capabilities()).
		WithEnablePrintStatements(true).
		WithStrict(true)
	ch, err := tester.NewRunner().
		SetStore(store).
		SetCompiler(compiler).
		CapturePrintOutput(true).
		SetTimeout(30*time.Second).
		SetModules(parsed).
		RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("run rule tests: %w", err)
	}
	var out []TestResult
	for r := range ch {
		tr := TestResult{
			Name:     strings.TrimPrefix(r.Package, "data.") + "." + r.Name,
			Fail:     r.Fail,
			Output:   string(r.Output),
			Duration: r.Duration,
		}
		if r.Location != nil {
			tr.Location = r.Location.String()
		}
		if r.Error != nil {
			tr.Err = r.Error
		}
		out = append(out, tr)
	}
	if len(compiler.Errors) > 0 {
		return nil, errors.New(compiler.Errors.Error())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Location < out[j].Location })
	return out, nil
}
