package rules

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/trustlint/trustlint/model"
)

var ruleIDPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*[0-9]{3}$`)

// Catalog returns the rule catalog of the built-in rules and the user's
// modules custom without compiling them, for listing and explaining rules
// and for resolving rule names before a scan. Test modules are left out.
func Catalog(custom []Module) ([]model.RuleMeta, error) {
	mods, err := BuiltinModules()
	if err != nil {
		return nil, err
	}
	_, cat, _, err := loadRules(append(mods, custom...), custom, false, false)
	return cat, err
}

// isBuiltinName reports whether a module name is one of BuiltinModules.
func isBuiltinName(name string) bool { return strings.HasPrefix(name, "rules/") }

// buildCatalog reads the package METADATA of every rule module (packages
// under data.trustlint.rules) into rule descriptors.
func buildCatalog(mods map[string]*ast.Module) ([]model.RuleMeta, map[string]*model.RuleMeta, error) {
	// Built-in rules first, then the user's, each by file name: a clash of
	// IDs is reported at the user's file, the same way every run.
	names := make([]string, 0, len(mods))
	for name := range mods {
		names = append(names, name)
	}
	builtinFirst := func(n string) string {
		if isBuiltinName(n) {
			return "0" + n
		}
		return "1" + n
	}
	sort.Slice(names, func(i, j int) bool { return builtinFirst(names[i]) < builtinFirst(names[j]) })
	list := make([]*ast.Module, 0, len(mods))
	for _, name := range names {
		list = append(list, mods[name])
	}
	as, errs := ast.BuildAnnotationSet(list)
	if len(errs) > 0 {
		return nil, nil, fmt.Errorf("rule metadata: %w", errs)
	}
	type entry struct {
		pkg  string
		meta model.RuleMeta
	}
	var entries []entry
	seen := map[string]string{}
	var problems []string
	for _, m := range list {
		pkg := m.Package.Path.String()
		if !strings.HasPrefix(pkg, rulePackagePrefix) || strings.HasSuffix(pkg, "_test") {
			continue // only rule packages; their tests live beside them
		}
		loc := m.Package.Location.String()
		a := as.GetPackageScope(m.Package)
		if a == nil {
			problems = append(problems, fmt.Sprintf("%s: rule package %s has no METADATA block with scope: package", loc, pkg))
			continue
		}
		meta, err := metaFrom(a)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", loc, err))
			continue
		}
		meta.Source = m.Package.Location.File
		meta.Builtin = isBuiltinName(meta.Source)
		if prev, dup := seen[meta.ID]; dup {
			problems = append(problems, fmt.Sprintf("%s: rule ID %s is already used by %s", loc, meta.ID, prev))
			continue
		}
		seen[meta.ID] = loc
		entries = append(entries, entry{pkg, meta})
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, nil, fmt.Errorf("rule metadata:\n%s", strings.Join(problems, "\n"))
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].meta.ID < entries[j].meta.ID })
	catalog := make([]model.RuleMeta, len(entries))
	byPkg := make(map[string]*model.RuleMeta, len(entries))
	for i, e := range entries {
		catalog[i] = e.meta
		byPkg[e.pkg] = &catalog[i]
	}
	return catalog, byPkg, nil
}

func metaFrom(a *ast.Annotations) (model.RuleMeta, error) {
	var m model.RuleMeta
	str := func(key string) string {
		s, _ := a.Custom[key].(string)
		return strings.TrimSpace(s)
	}
	m.ID = str("id")
	if !ruleIDPattern.MatchString(m.ID) {
		return m, fmt.Errorf("METADATA custom.id %q is not a rule ID like TL001", m.ID)
	}
	m.Name = str("name")
	if m.Name == "" {
		return m, fmt.Errorf("rule %s: METADATA custom.name is missing", m.ID)
	}
	m.Title = strings.TrimSpace(a.Title)
	if m.Title == "" {
		return m, fmt.Errorf("rule %s: METADATA title is missing", m.ID)
	}
	m.Description = strings.TrimSpace(a.Description)
	if m.Description == "" {
		return m, fmt.Errorf("rule %s: METADATA description is missing", m.ID)
	}
	m.Remediation = str("remediation")
	switch sev := a.Custom["severity"].(type) {
	case float64:
		m.Severity = sev
	case int:
		m.Severity = float64(sev)
	default:
		return m, fmt.Errorf("rule %s: METADATA custom.severity must be a number from 0.1 to 10.0", m.ID)
	}
	if m.Severity <= 0 || m.Severity > 10 {
		return m, fmt.Errorf("rule %s: METADATA custom.severity %v is outside 0.1..10.0", m.ID, m.Severity)
	}
	m.Precision = str("precision")
	if tags, ok := a.Custom["tags"].([]any); ok {
		for _, t := range tags {
			if s, ok := t.(string); ok {
				m.Tags = append(m.Tags, s)
			}
		}
	}
	for _, rr := range a.RelatedResources {
		m.References = append(m.References, model.Reference{URL: rr.Ref.String(), Description: strings.TrimSpace(rr.Description)})
	}
	if len(m.References) > 0 {
		m.HelpURI = m.References[0].URL
	}
	var err error
	if m.Examples, err = examplesFrom(a.Custom["examples"]); err != nil {
		return m, fmt.Errorf("rule %s: METADATA custom.examples%w", m.ID, err)
	}
	return m, nil
}

// examplesFrom reads custom.examples: for each format of
// model.ExampleFormats, a bad and a good input. Examples are optional (the
// user's rules may have none, and the tests require them of the built-in
// rules), but what is there must be complete.
func examplesFrom(v any) ([]model.RuleExample, error) {
	if v == nil {
		return nil, nil
	}
	byFormat, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New(" must map formats to {bad, good}")
	}
	for key := range byFormat {
		if !slices.Contains(model.ExampleFormats, key) {
			return nil, fmt.Errorf(".%s: unknown format (want %s)", key, strings.Join(model.ExampleFormats, ", "))
		}
	}
	var out []model.RuleExample
	for _, f := range model.ExampleFormats {
		if byFormat[f] == nil {
			continue
		}
		e, _ := byFormat[f].(map[string]any)
		for key := range e {
			if key != "bad" && key != "good" {
				return nil, fmt.Errorf(".%s.%s: unknown key (want bad and good)", f, key)
			}
		}
		bad, _ := e["bad"].(string)
		good, _ := e["good"].(string)
		switch {
		case strings.TrimSpace(bad) == "" || strings.TrimSpace(good) == "":
			return nil, fmt.Errorf(".%s needs a non-empty bad and good example", f)
		case bad == good:
			return nil, fmt.Errorf(".%s: the good example is the bad one", f)
		}
		out = append(out, model.RuleExample{Format: f, Bad: strings.TrimRight(bad, "\n") + "\n", Good: strings.TrimRight(good, "\n") + "\n"})
	}
	return out, nil
}
