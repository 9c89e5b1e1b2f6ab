package terraform

import (
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Modules choose a role's document among several with try() and
// coalesce(), for example
//
//	assume_role_policy = coalesce(
//	  var.custom_trust_policy,
//	  try(data.aws_iam_policy_document.with_mfa[0].json, ""),
//	  try(data.aws_iam_policy_document.plain[0].json, ""),
//	)
//
// where count selects which data source exists. The rendered JSON of a
// policy document is never a known value, so evaluating the call gives
// nothing; instead the argument that Terraform would return is chosen from
// what is known about each one (chosenArg), and that argument alone is
// converted.

// argState is what is known about an argument of try() or coalesce().
type argState int

const (
	argUnknown argState = iota // cannot be told statically
	argFails                   // its evaluation is an error (an instance that does not exist)
	argEmpty                   // null or ""
	argValue                   // any other value
)

// chosenArg returns the argument of the try() or coalesce() call x that
// gives the call's value: for try() the first whose evaluation does not
// fail, for coalesce() the first that is neither null nor "". ok is false
// when that depends on something unknown, or no argument qualifies.
func (m *module) chosenArg(x *hclsyntax.FunctionCallExpr, sc *scope, depth int) (hclsyntax.Expression, bool) {
	if x.ExpandFinal || depth > maxDepth {
		return nil, false
	}
	for _, a := range x.Args {
		switch m.argState(a, sc, depth+1) {
		case argFails:
			if x.Name == "try" {
				continue
			}
		case argEmpty:
			if x.Name == "coalesce" {
				continue
			}
			return a, true
		case argValue:
			return a, true
		}
		return nil, false
	}
	return nil, false
}

// argState tells what is known about the argument a.
func (m *module) argState(a hclsyntax.Expression, sc *scope, depth int) argState {
	if depth > maxDepth {
		return argUnknown
	}
	if c, ok := unwrap(a).(*hclsyntax.FunctionCallExpr); ok && (c.Name == "try" || c.Name == "coalesce") {
		if chosen, ok := m.chosenArg(c, sc, depth+1); ok {
			return m.argState(chosen, sc, depth+1)
		}
		return argUnknown
	}
	if b, key, ok := m.singleDocRef(a, sc); ok {
		if _, ok := m.docInstance(b, key); ok {
			return argValue
		}
		if m.noInstance(b, key) {
			return argFails
		}
		return argUnknown
	}
	if refs, list, ok := m.docRefs(a, sc, depth); ok && !list {
		if len(refs) == 0 {
			return argEmpty // one() of no document
		}
		return argValue
	}
	v := m.eval(a, sc)
	switch {
	case !v.IsKnown():
		return argUnknown
	case v.IsNull(), v.Type() == cty.String && v.AsString() == "":
		return argEmpty
	}
	return argValue
}

// noInstance reports whether the key (cty.NilVal: no index) surely selects
// no instance of the policy document b: an index beyond its known count or
// a key missing from its known for_each, or no index on a document with
// count or for_each.
func (m *module) noInstance(b *block, key cty.Value) bool {
	expanded := b.attrs["count"] != nil || b.attrs["for_each"] != nil
	if key == cty.NilVal || !expanded {
		return key == cty.NilVal && expanded || key != cty.NilVal && !expanded
	}
	if !key.IsWhollyKnown() || key.IsNull() {
		return false
	}
	if a := b.attrs["for_each"]; a != nil && !m.eval(a.expr, nil).IsWhollyKnown() {
		return false
	}
	ins := m.instances(b, "data.aws_iam_policy_document."+b.labels[1])
	if len(ins) == 1 && ins[0].key == cty.NilVal {
		return false // unknown count: the one instance analyzed
	}
	_, found := m.docInstance(b, key)
	return !found
}
