package rules

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
)

// TestRego runs every embedded _test.rego through OPA's test runner, with
// the same sandboxed capabilities as the engine.
func TestRego(t *testing.T) {
	mods, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	var tests []Module
	for _, m := range mods {
		if m.Test {
			tests = append(tests, m)
		}
	}
	results, err := RunTests(context.Background(), tests)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		switch {
		case r.Err != nil:
			t.Errorf("%s: %s: error: %v", r.Location, r.Name, r.Err)
		case r.Fail:
			t.Errorf("%s: %s failed\n%s", r.Location, r.Name, r.Output)
		}
	}
	if len(results) == 0 {
		t.Fatal("no Rego tests ran")
	}
	t.Logf("%d Rego tests", len(results))
}

var fixFormat = flag.Bool("fmt", false, "rewrite unformatted Rego files the way opa fmt would")

// TestRegoFormatted fails when a Rego file is not formatted as opa fmt
// would write it; go test ./rules -run TestRegoFormatted -fmt rewrites them.
func TestRegoFormatted(t *testing.T) {
	mods, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mods {
		got, err := format.SourceWithOpts(m.Name, []byte(m.Src), format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: %v", m.Name, err)
			continue
		}
		if string(got) != m.Src && *fixFormat {
			if err := os.WriteFile(strings.TrimPrefix(m.Name, "rules/"), got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if string(got) != m.Src {
			t.Errorf("%s is not formatted (opa fmt):\n%s", m.Name, firstDiff(m.Src, string(got)))
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n  have: " + al[i] + "\n  want: " + bl[i]
		}
	}
	return "length differs"
}

// TestCatalog checks every rule of the catalog, built-in rules found by
// discovery and not by a list: its directory, package and test file follow
// the layout (rules/checks/<name>/<name>.rego, package
// trustlint.rules.<name>, <name>_test.rego beside it), its METADATA has
// every field the outputs show, in the style they need, and examples in
// every format (internal/ruledoc's tests scan them).
func TestCatalog(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	mods, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, m := range mods {
		files[m.Name] = true
	}
	pkgOf := map[string]string{}
	for pkg, m := range e.byPkg {
		pkgOf[m.ID] = pkg
	}
	precisions := []string{"very-high", "high", "medium", "low"}
	cat := e.Catalog()
	for _, m := range cat {
		dir := strings.ReplaceAll(m.Name, "-", "_")
		if want := "rules/checks/" + dir + "/" + dir + ".rego"; m.Source != want || !m.Builtin {
			t.Errorf("%s (%s): defined in %s (built-in %v), want %s", m.ID, m.Name, m.Source, m.Builtin, want)
		}
		if want := rulePackagePrefix + dir; pkgOf[m.ID] != want {
			t.Errorf("%s: package %s, want %s", m.ID, pkgOf[m.ID], want)
		}
		if test := strings.TrimSuffix(m.Source, ".rego") + "_test.rego"; !files[test] {
			t.Errorf("%s: no %s", m.ID, test)
		}
		if !strings.Contains(strings.Join(m.Tags, ","), "security") {
			t.Errorf("%s: tags %v lack security", m.ID, m.Tags)
		}
		if m.Remediation == "" || m.Description == "" || !slices.Contains(precisions, m.Precision) {
			t.Errorf("%s: remediation, description and precision (%s) are required", m.ID, strings.Join(precisions, ", "))
		}
		if len(m.Title) > 60 || strings.ToLower(m.Title[:1]) != m.Title[:1] || strings.HasSuffix(m.Title, ".") {
			t.Errorf("%s: title %q must be lowercase, without a period, at most 60 characters", m.ID, m.Title)
		}
		if len(m.References) == 0 || m.HelpURI != m.References[0].URL || !strings.HasPrefix(m.HelpURI, "https://") {
			t.Errorf("%s: references %v: want at least one https link, the first as HelpURI", m.ID, m.References)
		}
		var formats []string
		for _, ex := range m.Examples {
			formats = append(formats, ex.Format)
		}
		if !slices.Equal(formats, model.ExampleFormats) {
			t.Errorf("%s: examples in %v, want %v", m.ID, formats, model.ExampleFormats)
		}
	}
	if len(cat) < 18 {
		t.Errorf("catalog has %d rules, want at least 18", len(cat))
	}
	for i := 1; i < len(cat); i++ {
		if cat[i-1].ID >= cat[i].ID {
			t.Errorf("catalog not sorted or has duplicates: %s, %s", cat[i-1].ID, cat[i].ID)
		}
	}
}

// TestREADMETable keeps the README's rule table in step with the catalog:
// one row per rule, with its ID, name and severity.
func TestREADMETable(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "| TL") {
			rows[strings.TrimSpace(strings.Split(l, "|")[1])] = l
		}
	}
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range e.Catalog() {
		row, ok := rows[m.ID]
		if !ok {
			t.Errorf("README rule table has no row for %s", m.ID)
			continue
		}
		delete(rows, m.ID)
		if want := fmt.Sprintf("| %s | %s | ", m.ID, m.Name); !strings.HasPrefix(row, want) {
			t.Errorf("README row %q does not start with %q", row, want)
		}
		if want := fmt.Sprintf("(%.1f) |", m.Severity); !strings.Contains(row, want) {
			t.Errorf("README row for %s lacks severity %s", m.ID, want)
		}
	}
	for id := range rows {
		t.Errorf("README rule table lists %s, which is not in the catalog", id)
	}
}

// TestSandbox checks that rules cannot reach the network, the environment or
// the clock: those builtins are not in the capabilities, so a rule that calls
// them does not compile.
func TestSandbox(t *testing.T) {
	allowed := map[string]bool{}
	for _, b := range Capabilities().Builtins {
		allowed[b.Name] = true
	}
	for _, name := range []string{"http.send", "net.lookup_ip_addr", "opa.runtime", "time.now_ns", "rand.intn", "uuid.rfc4122", "trace", "io.jwt.decode_verify"} {
		if allowed[name] {
			t.Errorf("builtin %s is allowed in rules", name)
		}
	}
	for _, name := range []string{"regex.match", "glob.match", "sprintf", "lower"} {
		if !allowed[name] {
			t.Errorf("builtin %s is needed by rules but not allowed", name)
		}
	}
	if caps := Capabilities(); caps.AllowNet == nil || len(caps.AllowNet) != 0 {
		t.Errorf("AllowNet = %v, want an empty, non-nil list", caps.AllowNet)
	}
	for _, call := range []string{`http.send({"method": "get", "url": "http://example.com"})`, `opa.runtime()`, `time.now_ns()`} {
		mods := []Module{{Name: "evil.rego", Src: "package trustlint.evil\n\nx := " + call + "\n"}}
		base, err := BuiltinModules()
		if err != nil {
			t.Fatal(err)
		}
		_, err = Compile(context.Background(), append(base, mods...), Options{})
		if err == nil || !strings.Contains(err.Error(), "undefined function") {
			t.Errorf("a rule calling %s compiled: %v", call, err)
		}
	}
}

// TestBadRuleMetadata checks that a rule package without usable METADATA is
// an error naming the file and line.
func TestBadRuleMetadata(t *testing.T) {
	base, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, src, want string }{
		{"no metadata", "package trustlint.rules.nometa\n\ndeny contains 1 if false\n", "x.rego:1: rule package data.trustlint.rules.nometa has no METADATA"},
		{"bad id", "# METADATA\n# title: t\n# description: d\n# custom:\n#   id: X1\n#   name: n\n#   severity: 5\npackage trustlint.rules.badid\n", "custom.id \"X1\" is not a rule ID"},
		{"clash", "# METADATA\n# title: t\n# description: d\n# custom:\n#   id: TL001\n#   name: n\n#   severity: 5\npackage trustlint.rules.clash\n", "rule ID TL001 is already used"},
		{"severity", "# METADATA\n# title: t\n# description: d\n# custom:\n#   id: TL900\n#   name: n\n#   severity: 11\npackage trustlint.rules.sev\n", "outside 0.1..10.0"},
		{"example format", "# METADATA\n# title: t\n# description: d\n# custom:\n#   id: TL900\n#   name: n\n#   severity: 5\n#   examples:\n#     yaml: {bad: a, good: b}\npackage trustlint.rules.ex\n", "custom.examples.yaml: unknown format"},
		{"example key", "# METADATA\n# title: t\n# description: d\n# custom:\n#   id: TL900\n#   name: n\n#   severity: 5\n#   examples:\n#     json: {bad: a, fixed: b}\npackage trustlint.rules.ex\n", "custom.examples.json.fixed: unknown key"},
		{"example missing", "# METADATA\n# title: t\n# description: d\n# custom:\n#   id: TL900\n#   name: n\n#   severity: 5\n#   examples:\n#     json: {bad: a}\npackage trustlint.rules.ex\n", "custom.examples.json needs a non-empty bad and good"},
		{"example same", "# METADATA\n# title: t\n# description: d\n# custom:\n#   id: TL900\n#   name: n\n#   severity: 5\n#   examples:\n#     json: {bad: a, good: a}\npackage trustlint.rules.ex\n", "the good example is the bad one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(context.Background(), append(base, Module{Name: "x.rego", Src: tt.src}), Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
