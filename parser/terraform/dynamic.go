package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/trustlint/trustlint/model"
)

// A dynamic block generates one block of its label per element of its
// for_each (a list, set, tuple, map or object), from its content block,
// with the iterator (the label, or the iterator argument) bound to
// {key, value} of the element, as Terraform does.

// dynamicEach calls f with the content block of dynamic block d once per
// element of its for_each, with the iterator bound in the evaluation
// context. It returns false, without calling f, when d has no content or
// its collection is not known.
func (m *module) dynamicEach(d *block, f func(content *block)) bool {
	a := d.attrs["for_each"]
	var content *block
	for _, c := range d.blocks {
		if c.typ == "content" {
			content = c
			break
		}
	}
	if a == nil || content == nil || len(d.labels) != 1 {
		return false
	}
	name := d.labels[0]
	if it := d.attrs["iterator"]; it != nil {
		if name = hcl.ExprAsKeyword(it.expr); name == "" {
			return false
		}
	}
	v := m.eval(a.expr, nil)
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
		return false
	}
	saved, savedVar := m.inst, m.ctx.Variables[name]
	savedAnchor, hadAnchor := m.iterAnchors[name]
	if at, ok := m.callerAnchor(a.expr); ok {
		if m.iterAnchors == nil {
			m.iterAnchors = map[string]model.Range{}
		}
		m.iterAnchors[name] = at
	} else {
		delete(m.iterAnchors, name)
	}
	defer func() {
		m.inst = saved
		if savedVar == cty.NilVal {
			delete(m.ctx.Variables, name)
		} else {
			m.ctx.Variables[name] = savedVar
		}
		if hadAnchor {
			m.iterAnchors[name] = savedAnchor
		} else {
			delete(m.iterAnchors, name)
		}
	}()
	n := 0
	for it := v.ElementIterator(); it.Next(); n++ {
		if n == maxInstances {
			m.note(m.rng(a.expr.Range()), fmt.Sprintf("dynamic %q has %d elements: only the first %d are analyzed", d.labels[0], v.LengthInt(), maxInstances))
			break
		}
		k, ev := it.Element()
		m.inst.id = fmt.Sprintf("%s/%p%#v", saved.id, d, k)
		m.ctx.Variables[name] = cty.ObjectVal(map[string]cty.Value{"key": k, "value": ev})
		f(content)
	}
	return true
}

// nestedEach calls f for each nested block of b of type typ, in source
// order: the blocks written out, and the blocks that dynamic blocks
// generate over known collections (within their iterator's binding).
// unknown is called for a dynamic block whose collection is not known.
func (m *module) nestedEach(b *block, typ string, f func(*block), unknown func(*block)) {
	for _, nb := range b.blocks {
		switch {
		case nb.typ == typ:
			f(nb)
		case nb.typ == "dynamic" && len(nb.labels) == 1 && nb.labels[0] == typ:
			if !m.dynamicEach(nb, f) {
				unknown(nb)
			}
		}
	}
}
