package terraform

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/tree"
)

// Module calls. A module block is evaluated as Terraform does: once per
// instance of its count or for_each, the call's arguments, evaluated in
// the caller, becoming the variables of the called module; its roles are
// named by their instance address (module.ci.aws_iam_role.this,
// module.vendor["acme"].module.role[0].aws_iam_role.this). A local source
// (./x, ../x) is the directory beside the caller; any other source is read
// where terraform init installed it, through .terraform/modules/modules.json
// of the root module. Nothing outside the project root is read.
//
// Positions: a module in the project points at its own files; a module
// installed under .terraform is not the user's code, so its findings point
// at the caller's argument that supplied the value (when the value comes
// from a variable of the module), else at the module block.

// Limits of module calls: nesting depth and module instances per root.
const (
	maxCallDepth       = 16
	maxModuleInstances = 2000
)

// project is what the modules of one root module share.
type project struct {
	rootDirRel string
	installed  map[string]string // modules.json: call key → directory (fs path)
	instances  int               // module instances created
	notedLimit bool
	comments   model.CommentSink // receives the comments of each file parsed, or nil
	// cache holds the directories of called modules read so far
	// (module.go); absRoot, the project root, is part of their key.
	cache   *ModuleCache
	absRoot string
	// focus names the files of the root module whose roles are emitted
	// (focus.go); empty for all.
	focus []string
}

// metaArgs are the arguments of a module block that are not inputs.
var metaArgs = map[string]bool{"source": true, "version": true, "count": true, "for_each": true, "providers": true, "depends_on": true}

// loadInstalled reads .terraform/modules/modules.json of the root module.
func (p *project) loadInstalled(m *module) {
	p.installed = map[string]string{}
	file := path.Join(m.dirRel, ".terraform", "modules", "modules.json")
	src, err := m.readFile(file)
	if err != nil {
		return // not initialized: every non-local module is "not installed"
	}
	var doc struct {
		Modules []struct{ Key, Source, Dir string }
	}
	if err := json.Unmarshal(src, &doc); err != nil {
		m.note(model.Range{File: filepath.Join(m.dir, ".terraform", "modules", "modules.json")}, "cannot read the installed modules: "+err.Error())
		return
	}
	for _, e := range doc.Modules {
		if e.Key == "" || e.Dir == "" {
			continue
		}
		dir := path.Join(m.dirRel, filepath.ToSlash(e.Dir))
		if dir == ".." || strings.HasPrefix(dir, "../") || path.IsAbs(filepath.ToSlash(e.Dir)) {
			continue
		}
		p.installed[e.Key] = dir
	}
}

// isLocalSource reports whether a module source is a local path.
func isLocalSource(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || s == "." || s == ".."
}

// callModules evaluates the module calls of m and emits their roles.
func (m *module) callModules(emit func(*model.Role)) {
	for _, b := range m.moduleBlocks {
		m.callModule(b, emit)
	}
}

// callModule evaluates one module block and emits its roles.
func (m *module) callModule(b *block, emit func(*model.Role)) {
	for _, ci := range m.moduleInstances(b) {
		ci.c.roleBlocksEmit(emit)
	}
}

// moduleInstances returns the instances of module block b, made once; a
// call that cannot be followed has none (with a diagnostic).
func (m *module) moduleInstances(b *block) []callInst {
	if cs, ok := m.children[b]; ok {
		return cs
	}
	m.children[b] = nil // a call that refers to itself has none
	cs := m.resolveCall(b)
	m.children[b] = cs
	return cs
}

// resolveCall finds the directory of module block b and makes its
// instances.
func (m *module) resolveCall(b *block) []callInst {
	name := b.labels[0]
	at := m.anchorOf(b.rng)
	src := b.attrs["source"]
	if src == nil {
		return nil // Terraform rejects it
	}
	sv, ok := toString(m.eval(src.expr, nil))
	if !ok {
		m.note(m.anchorOf(src.expr.Range()), fmt.Sprintf("module %q: the source is not known statically; not analyzed", name))
		return nil
	}
	key := name
	if m.callKey != "" {
		key = m.callKey + "." + name
	}
	var dirRel, display string
	external := m.external
	if isLocalSource(sv) {
		dirRel = path.Join(m.dirRel, sv)
		display = filepath.Clean(filepath.Join(m.dir, filepath.FromSlash(sv)))
		if dirRel == ".." || strings.HasPrefix(dirRel, "../") {
			m.diag(m.anchorOf(src.expr.Range()), fmt.Sprintf("module %q: source %s leaves the project root; not read (--root sets the root: the git work tree, else the scanned directory)", name, quoteValue(sv)))
			return nil
		}
	} else {
		dir, ok := m.proj.installed[key]
		if !ok {
			m.note(at, fmt.Sprintf("module %q (source %s) is not installed: run terraform init", name, quoteValue(sv)))
			return nil
		}
		dirRel = dir
		rel := strings.TrimPrefix(strings.TrimPrefix(dir, m.proj.rootDirRel), "/")
		display = filepath.Join(m.rootDir, filepath.FromSlash(rel))
		if m.proj.rootDirRel == "." {
			display = filepath.Join(m.rootDir, filepath.FromSlash(dir))
		}
		external = true
	}
	if !m.hasConfig(dirRel) {
		m.diag(m.anchorOf(src.expr.Range()), fmt.Sprintf("module %q: source %s has no Terraform configuration; not read", name, quoteValue(sv)))
		return nil
	}
	for p := m; p != nil; p = p.parent {
		if p.dirRel == dirRel {
			m.note(at, fmt.Sprintf("module %q: source %s is a module that is already being evaluated (a cycle); not analyzed again", name, quoteValue(sv)))
			return nil
		}
	}
	if m.depthModules >= maxCallDepth {
		m.note(at, fmt.Sprintf("module %q: calls nested deeper than %d modules are not analyzed", name, maxCallDepth))
		return nil
	}
	return m.calls(b, dirRel, display, external, key)
}

// callInst is one instance of a module call and its module.
type callInst struct {
	in instance
	c  *module
}

// calls makes the instances of module block b.
func (m *module) calls(b *block, dirRel, display string, external bool, key string) []callInst {
	var cs []callInst
	addr := m.prefix + "module." + b.labels[0]
	for _, in := range m.instances(b, addr) {
		if m.proj.instances >= maxModuleInstances {
			if !m.proj.notedLimit {
				m.proj.notedLimit = true
				m.note(m.anchorOf(b.rng), fmt.Sprintf("more than %d module instances: the others are not analyzed", maxModuleInstances))
			}
			break
		}
		m.proj.instances++
		var c *module
		m.within(in, func() { c = m.child(b, dirRel, display, external, key, addr+in.suffix+".") })
		cs = append(cs, callInst{in, c})
	}
	return cs
}

// child makes the called module of one instance of module block b, its
// variables set from the call's arguments (evaluated in the caller's
// current binding).
func (m *module) child(b *block, dirRel, display string, external bool, key, prefix string) *module {
	c := newModule(m.fsys, dirRel, display)
	c.parent, c.proj, c.rootDir = m, m.proj, m.rootDir
	c.callKey, c.prefix, c.external = key, prefix, external
	c.depthModules = m.depthModules + 1
	c.anchor = m.anchorOf(b.rng)
	c.inputs = map[string]cty.Value{}
	c.inputAnchors = map[string]model.Range{}
	c.callArgs = map[string]hclsyntax.Expression{}
	c.callInst = m.inst
	names := make([]string, 0, len(b.attrs))
	for n := range b.attrs {
		if !metaArgs[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		a := b.attrs[n]
		c.inputs[n] = m.eval(a.expr, nil)
		c.inputAnchors[n] = m.anchorOf(a.expr.Range())
		c.callArgs[n] = a.expr
	}
	c.load()
	c.newContext()
	return c
}

// allDiags returns the diagnostics of the module and of the modules it
// calls.
func (m *module) allDiags() []model.Diagnostic {
	out := m.diags
	for _, cs := range m.children {
		for _, ci := range cs {
			out = append(out, ci.c.allDiags()...)
		}
	}
	return out
}

// roleBlocksEmit emits the roles of the module, then those of its calls.
func (m *module) roleBlocksEmit(emit func(*model.Role)) {
	for _, b := range m.roleBlocks {
		m.roles(b, emit)
	}
	m.callModules(emit)
}

// hasConfig reports whether directory dirRel holds configuration files.
func (m *module) hasConfig(dirRel string) bool {
	entries, err := fs.ReadDir(m.fsys, dirRel)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.IsDir() && isConfigFile(e.Name()) {
			return true
		}
	}
	return false
}

// anchorOf converts an HCL range of the module to the place a finding or
// note points at: the range itself, or for a module installed under
// .terraform the caller's place (anchor).
func (m *module) anchorOf(r hcl.Range) model.Range {
	if m.external && m.anchor.File != "" {
		return m.anchor
	}
	return m.rng(r)
}

// quoteValue quotes a value of the input for a message, cut to about 80
// characters.
func quoteValue(s string) string {
	const maxLen = 80
	if len(s) > maxLen {
		cut := maxLen
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return fmt.Sprintf("%q", s)
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// moduleValue is the value of module.NAME in the caller: the outputs of
// the call, a tuple of them for count, an object of them by key for
// for_each.
func (m *module) moduleValue(name string) cty.Value {
	var b *block
	for _, mb := range m.moduleBlocks {
		if mb.labels[0] == name {
			b = mb
			break
		}
	}
	if b == nil {
		return cty.DynamicVal
	}
	cs := m.moduleInstances(b)
	switch {
	case b.attrs["count"] == nil && b.attrs["for_each"] == nil:
		if len(cs) != 1 {
			return cty.DynamicVal
		}
		return cs[0].c.outputsValue()
	case len(cs) == 1 && cs[0].in.key == cty.NilVal:
		return cty.DynamicVal // unknown count
	case b.attrs["count"] != nil:
		if len(cs) == 0 {
			return cty.EmptyTupleVal
		}
		vals := make([]cty.Value, len(cs))
		for i, ci := range cs {
			vals[i] = ci.c.outputsValue()
		}
		return cty.TupleVal(vals)
	}
	obj := make(map[string]cty.Value, len(cs))
	for _, ci := range cs {
		obj[ci.in.key.AsString()] = ci.c.outputsValue()
	}
	return cty.ObjectVal(obj)
}

// outputsValue is the object of the module's output values.
func (m *module) outputsValue() cty.Value {
	obj := make(map[string]cty.Value, len(m.outputs))
	for name, b := range m.outputs {
		v := cty.DynamicVal
		if a := b.attrs["value"]; a != nil {
			v = m.eval(a.expr, nil)
		}
		obj[name] = v
	}
	return cty.ObjectVal(obj)
}

// outputRef follows a reference to a module output (module.NAME.OUT,
// module.NAME[KEY].OUT, and attribute or index steps after it) to the
// called module and the expression that defines the value, so that
// conversions keep positions inside the module. Modules installed under
// .terraform are not followed: their values are read at the reference.
func (m *module) outputRef(x *hclsyntax.ScopeTraversalExpr, sc *scope, depth int) (*module, hclsyntax.Expression, bool) {
	t := x.Traversal
	if sc != nil || t.RootName() != "module" || len(t) < 3 || depth > maxDepth {
		return nil, nil, false
	}
	name, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		return nil, nil, false
	}
	var b *block
	for _, mb := range m.moduleBlocks {
		if mb.labels[0] == name.Name {
			b = mb
		}
	}
	if b == nil {
		return nil, nil, false
	}
	rest := t[2:]
	key := cty.NilVal
	if ix, ok := rest[0].(hcl.TraverseIndex); ok {
		key, rest = ix.Key, rest[1:]
	}
	out, ok := rest[0].(hcl.TraverseAttr)
	if !ok {
		return nil, nil, false
	}
	var c *module
	for _, ci := range m.moduleInstances(b) {
		switch {
		case key == cty.NilVal && ci.in.key == cty.NilVal,
			key != cty.NilVal && ci.in.key != cty.NilVal && key.Type().Equals(ci.in.key.Type()) && key.Equals(ci.in.key).True():
			c = ci.c
		}
	}
	if c == nil || c.external || c.outputs[out.Name] == nil || c.outputs[out.Name].attrs["value"] == nil {
		return nil, nil, false
	}
	def := c.outputs[out.Name].attrs["value"].expr
	for _, st := range rest[1:] {
		if def = c.step(def, st, depth+1); def == nil {
			return nil, nil, false
		}
	}
	return c, def, true
}

// inputRef follows a reference to a variable of a called module
// (var.NAME, and attribute or index steps after it) to the caller's
// argument that sets it. The definition is an expression of the caller,
// to be converted there under the call's binding (inCaller).
func (m *module) inputRef(x *hclsyntax.ScopeTraversalExpr, sc *scope, depth int) (hclsyntax.Expression, bool) {
	t := x.Traversal
	if sc != nil || m.parent == nil || t.RootName() != "var" || len(t) < 2 || depth > maxDepth {
		return nil, false
	}
	name, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		return nil, false
	}
	def := m.callArgs[name.Name]
	if def == nil {
		return nil, false
	}
	var found bool
	m.parent.within(m.callInst, func() {
		for _, st := range t[2:] {
			if def = m.parent.step(def, st, depth+1); def == nil {
				return
			}
		}
		found = true
	})
	return def, found
}

// inCaller converts def, an expression of the caller (inputRef), with
// conv in the caller under the call's binding, sharing the conversion
// budget of the role being built. ok is false when def is already being
// followed (a cycle).
func (m *module) inCaller(def hclsyntax.Expression, conv func(p *module) *tree.Node) (n *tree.Node, ok bool) {
	p := m.parent
	if !p.follow(def) {
		return nil, false
	}
	defer p.unfollow(def)
	p.budget = m.budget
	p.within(m.callInst, func() { n = conv(p) })
	m.budget = p.budget
	return n, true
}
