package terraform

import (
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/trustlint/trustlint/model"
)

// Focus: the roles that some files of a module can affect.
//
// A pre-commit hook names the files a commit changes. Every file of a
// module may read what another declares, so a named .tf file selects its
// whole module; but only the roles whose evaluation can read something the
// named files declare can change with them, and those are the roles worth
// evaluating and reporting (parser.FocusModuleParser). A role depends on
// the top-level blocks its resource block refers to (variables, local
// values, data sources, resources, module calls), on what those refer to,
// and so on; the roles of a module call depend on the call's block. The
// analysis is static and errs on the side of a role: any reference that
// cannot be pinned to one block (var[...], a whole data type) depends on
// every block it could name, and a named file that is not a configuration
// file (terraform.tfvars, a template read by templatefile()) affects every
// role, as does naming no file at all.

// focusAll is what a focus that affects every role is.
var focusAll = map[*block]bool(nil)

// ownAccountTypes are the block types whose values carry the own-account
// token (eval.go): a role built from them writes that account in messages
// as the module's aws_caller_identity data source (ownAccountText), so it
// also depends on every such data source.
var ownAccountTypes = map[string]bool{
	"data.aws_caller_identity": true,
	oidcRoot:                   true,
	samlRoot:                   true,
	"data." + oidcRoot:         true,
	"data." + samlRoot:         true,
}

// focusNode is a top-level block, or one local value, as a node of the
// dependency graph.
type focusNode struct {
	blocks []*block // the role or module blocks of the key
	deps   []string
	// prefixDeps are references that may name any block whose key starts
	// with the prefix.
	prefixDeps []string
	affected   bool
}

// affected returns the role and module blocks of m that the files named
// in focus (base names of files of the module directory) can affect, or
// focusAll (nil) when every one may be affected.
func (m *module) affected(focus []string) map[*block]bool {
	if len(focus) == 0 {
		return focusAll
	}
	named := make(map[string]bool, len(focus))
	for _, f := range focus {
		if !isConfigFile(f) {
			return focusAll // a tfvars file or a template: any role may read it
		}
		named[filepath.Join(m.dir, filepath.Base(f))] = true
	}
	nodes := map[string]*focusNode{}
	var seeds []string
	add := func(key string, b *block, file string, exprs func(func(hclsyntax.Expression))) {
		n := nodes[key]
		if n == nil {
			n = &focusNode{}
			nodes[key] = n
		}
		if b != nil && (b.typ == "module" || b.typ == "resource" && b.labels[0] == "aws_iam_role") {
			n.blocks = append(n.blocks, b)
		}
		exprs(func(e hclsyntax.Expression) {
			for _, t := range hclsyntax.Variables(e) {
				n.addRef(t)
			}
		})
		if named[file] {
			seeds = append(seeds, key)
		}
	}
	for _, b := range m.blocks {
		key := blockKey(b)
		switch {
		case b.typ == "locals":
			for name, a := range b.attrs {
				add("local."+name, nil, b.file, func(f func(hclsyntax.Expression)) { f(a.expr) })
			}
		case key != "":
			add(key, b, b.file, b.walkExprs)
		}
	}
	// Dependents of each key, and of each prefix. The prefixes are few
	// ("data.aws_caller_identity.", a whole "var." or "data.TYPE."), so a
	// key affected is matched against each of them, not against each node.
	rev := map[string][]*focusNode{}
	byPrefix := map[string][]*focusNode{}
	for _, n := range nodes {
		for _, d := range n.deps {
			rev[d] = append(rev[d], n)
		}
		for _, p := range n.prefixDeps {
			byPrefix[p] = append(byPrefix[p], n)
		}
	}
	prefixes := make([]string, 0, len(byPrefix))
	for p := range byPrefix {
		prefixes = append(prefixes, p)
	}
	var queue []string
	visit := func(k string, n *focusNode) {
		if !n.affected {
			n.affected = true
			queue = append(queue, k)
		}
	}
	for _, k := range seeds {
		visit(k, nodes[k])
	}
	keyOf := make(map[*focusNode]string, len(nodes))
	for k, n := range nodes {
		keyOf[n] = k
	}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		for _, n := range rev[k] {
			visit(keyOf[n], n)
		}
		for i := 0; i < len(prefixes); i++ {
			p := prefixes[i]
			if !strings.HasPrefix(k, p) {
				continue
			}
			for _, n := range byPrefix[p] {
				visit(keyOf[n], n)
			}
			// Every node of the prefix is affected now: drop it.
			prefixes[i] = prefixes[len(prefixes)-1]
			prefixes = prefixes[:len(prefixes)-1]
			i--
		}
	}
	out := map[*block]bool{}
	for _, n := range nodes {
		if n.affected {
			for _, b := range n.blocks {
				out[b] = true
			}
		}
	}
	return out
}

// blockKey is how expressions refer to a top-level block ("var.x",
// "data.aws_iam_policy_document.trust", "aws_iam_role.r", "module.m"),
// or "" for a block no expression refers to (provider, terraform,
// output, locals: each local value is a key of its own).
func blockKey(b *block) string {
	switch {
	case b.typ == "variable" && len(b.labels) == 1:
		return "var." + b.labels[0]
	case b.typ == "module" && len(b.labels) == 1:
		return "module." + b.labels[0]
	case b.typ == "data" && len(b.labels) == 2:
		return "data." + b.labels[0] + "." + b.labels[1]
	case b.typ == "resource" && len(b.labels) == 2:
		return b.labels[0] + "." + b.labels[1]
	}
	return ""
}

// walkExprs calls f with every expression of b and its nested blocks
// (dynamic blocks included: their for_each and content are expressions).
func (b *block) walkExprs(f func(hclsyntax.Expression)) {
	for _, a := range b.attrs {
		f(a.expr)
	}
	for _, nb := range b.blocks {
		nb.walkExprs(f)
	}
}

// addRef records what the traversal t refers to.
func (n *focusNode) addRef(t hcl.Traversal) {
	attr := func(i int) (string, bool) {
		if i >= len(t) {
			return "", false
		}
		a, ok := t[i].(hcl.TraverseAttr)
		return a.Name, ok
	}
	root := t.RootName()
	var prefix, typ string
	parts := 1
	switch root {
	case "each", "count", "self", "path", "terraform":
		return
	case "var", "local", "module":
		prefix = root + "."
	case "data":
		prefix, parts = "data.", 2
	default:
		prefix = root + "."
		typ = root
	}
	key := prefix
	for i := 1; i <= parts; i++ {
		a, ok := attr(i)
		if !ok {
			n.prefixDeps = append(n.prefixDeps, key)
			return
		}
		if i == 1 && root == "data" {
			typ = "data." + a
		}
		key += a
		if i < parts {
			key += "."
		}
	}
	n.deps = append(n.deps, key)
	if ownAccountTypes[typ] {
		n.prefixDeps = append(n.prefixDeps, "data.aws_caller_identity.")
	}
}

// emitFocused emits the roles of the root module m that focus can
// affect: all of them for focusAll.
func (m *module) emitFocused(focus []string, emit func(*model.Role)) {
	aff := m.affected(focus)
	if aff == nil {
		m.roleBlocksEmit(emit)
		return
	}
	for _, b := range m.roleBlocks {
		if aff[b] {
			m.roles(b, emit)
		}
	}
	for _, b := range m.moduleBlocks {
		if aff[b] {
			m.callModule(b, emit)
		}
	}
}
