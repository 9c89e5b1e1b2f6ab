package terraform

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/normalize"
	"github.com/trustlint/trustlint/parser/tree"
)

// maxNodes bounds the tree nodes built for one role.
const maxNodes = 1 << 14

// roles emits the roles of an aws_iam_role resource block: one per
// instance of its count or for_each.
func (m *module) roles(b *block, emit func(*model.Role)) {
	addr := m.prefix + "aws_iam_role." + b.labels[1]
	for _, in := range m.instances(b, addr) {
		var r *model.Role
		m.within(in, func() { r = m.role(b, addr+in.suffix) })
		if r != nil {
			emit(r)
		}
	}
}

// role builds the role of one instance of an aws_iam_role resource block.
func (m *module) role(b *block, name string) *model.Role {
	m.budget = maxNodes
	r := normalize.NewRole(name, model.FormatTerraform, b.file, m.rng(b.rng))
	if m.parent != nil {
		// A module that several roots call declares a role of the same
		// name for each: the root tells them apart (model.Role.RootModule).
		r.RootModule = m.proj.rootDirRel
	}
	sm := r.Source
	if a := b.attrs["name"]; a != nil {
		if s, ok := toString(m.eval(a.expr, nil)); ok {
			normalize.SetRoleName(r, s, m.rng(a.expr.Range()))
		}
	}
	if a := b.attrs["path"]; a != nil {
		if s, ok := toString(m.eval(a.expr, nil)); ok {
			normalize.SetPath(r, s, m.rng(a.expr.Range()))
		}
	}
	if a := b.attrs["max_session_duration"]; a != nil {
		m.norm.SetMaxSessionDuration(r, m.valueNode(a.expr, nil, 0), m.inputAnchor(a.expr, m.rng(a.srcRange)), m.inputAnchor(a.expr, m.rng(a.nameRange)))
	}
	a := b.attrs["assume_role_policy"]
	if a == nil {
		return r
	}
	doc := m.docNode(a.expr, nil, false, 0)
	switch {
	case doc == nil:
		return nil // invalid JSON: the diagnostics stand for the role
	case doc.Kind == tree.Null:
		return r // null leaves the argument unset
	}
	r.HasPolicy = true
	r.Policy = m.norm.Policy(doc, model.PolicyPath, sm)
	if mentionsOwnAccount(r.Policy, 0) {
		r.OwnAccount = model.OwnAccountToken
		r.OwnAccountText = m.ownAccountText()
	}
	m.anchorRole(r)
	return r
}

// anchorRole points the places of a role of a module installed under
// .terraform, which are not the user's code, at the caller (modcall.go).
func (m *module) anchorRole(r *model.Role) {
	if !m.external || m.anchor.File == "" {
		return
	}
	r.File, r.Range = m.anchor.File, m.anchor
	r.Source.MapRanges(func(rg model.Range) model.Range {
		if isInstalled(rg.File) {
			return m.anchor
		}
		return rg
	})
}

// isInstalled reports whether a file lies under a .terraform directory.
func isInstalled(file string) bool {
	for _, seg := range strings.Split(filepath.ToSlash(file), "/") {
		if seg == ".terraform" {
			return true
		}
	}
	return false
}

// ownAccountText is how messages write the own account: the
// aws_caller_identity data source of the module (the first by name when
// there are several).
func (m *module) ownAccountText() string {
	names := make([]string, 0, 1)
	for name := range m.data["aws_caller_identity"] {
		names = append(names, name)
	}
	if len(names) == 0 {
		return "${data.aws_caller_identity.current.account_id}"
	}
	slices.Sort(names)
	return "${data.aws_caller_identity." + names[0] + ".account_id}"
}

// mentionsOwnAccount reports whether the own-account token appears in a
// value of v: a string, an unknown's text or an object key.
func mentionsOwnAccount(v any, depth int) bool {
	if depth > maxDepth {
		return false
	}
	if l, _, ok := model.List(v); ok {
		for _, e := range l {
			if mentionsOwnAccount(e, depth+1) {
				return true
			}
		}
		return false
	}
	switch v := v.(type) {
	case string:
		return strings.Contains(v, model.OwnAccountToken)
	case map[string]any:
		for k, e := range v {
			if strings.Contains(k, model.OwnAccountToken) || mentionsOwnAccount(e, depth+1) {
				return true
			}
		}
	}
	return false
}
