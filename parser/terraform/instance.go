package terraform

import (
	"fmt"
	"math/big"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/trustlint/trustlint/model"
)

// count and for_each expand a resource, data source or module call into
// instances, as Terraform does: count = N gives [0]..[N-1] with count.index,
// for_each over a map or a set of strings gives ["key"] with each.key and
// each.value, in lexical key order. A count that is not known gives one
// instance whose count.index is unknown (the block is still analyzed); a
// for_each that is not known gives none, with a note. count = 0 and an empty
// for_each give none.

// maxInstances bounds the instances of one block: a for_each over a huge
// known collection is cut there, with a note.
const maxInstances = 1000

// instance is the count or for_each binding of the block being evaluated.
type instance struct {
	// id tells instances apart in the evaluation caches: the block's
	// address and key; "" outside count and for_each.
	id string
	// suffix is the instance key as Terraform writes it in an address:
	// [0], ["key"], or "" (no count and no for_each, or an unknown count).
	suffix string
	each   bool
	key    cty.Value // count.index or each.key; cty.NilVal: unknown
	value  cty.Value // each.value
	// anchor is, in a module installed under .terraform, the caller's
	// argument that supplies the for_each (callerAnchor), or nil.
	anchor *model.Range
}

// noInstance is the binding outside count and for_each.
var noInstance = instance{}

// countVal and eachVal are count and each where they are not known (no
// count, no for_each, or an unknown count), made once: every role and
// every block evaluated binds them twice.
var (
	countVal = countObject(cty.UnknownVal(cty.Number))
	eachVal  = eachObject(cty.UnknownVal(cty.String), cty.DynamicVal)
)

func countObject(index cty.Value) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"index": index})
}

func eachObject(key, value cty.Value) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"key": key, "value": value})
}

// bind makes in the binding of count and each in the evaluation context.
func (m *module) bind(in instance) {
	m.inst = in
	count, each := countVal, eachVal
	switch {
	case in.key == cty.NilVal:
	case in.each:
		each = eachObject(in.key, in.value)
	default:
		count = countObject(in.key)
	}
	m.ctx.Variables["count"] = count
	m.ctx.Variables["each"] = each
}

// within evaluates f with the binding in and restores the current one.
func (m *module) within(in instance, f func()) {
	saved := m.inst
	m.bind(in)
	defer m.bind(saved)
	f()
}

// instances returns the instances of block b, whose address is addr, once
// per block. Problems (an unknown for_each, a huge collection) are notes at
// the meta-argument.
func (m *module) instances(b *block, addr string) []instance {
	if ins, ok := m.instCache[b]; ok {
		return ins
	}
	var ins []instance
	m.within(noInstance, func() { ins = m.expand(b, addr) })
	m.instCache[b] = ins
	return ins
}

func (m *module) expand(b *block, addr string) []instance {
	if a := b.attrs["count"]; a != nil {
		v := m.eval(a.expr, nil)
		n, ok := wholeNumber(v)
		switch {
		case v.IsKnown() && v.IsNull():
			return []instance{{id: addr}} // count = null: as if not set
		case !ok:
			return []instance{{id: addr + "[?]"}}
		case n <= 0:
			return nil
		}
		if n > maxInstances {
			m.note(m.rng(a.expr.Range()), fmt.Sprintf("count of %s is %d: only the first %d instances are analyzed", addr, n, maxInstances))
			n = maxInstances
		}
		ins := make([]instance, n)
		for i := range ins {
			s := "[" + strconv.Itoa(i) + "]"
			ins[i] = instance{id: addr + s, suffix: s, key: cty.NumberIntVal(int64(i))}
		}
		return ins
	}
	a := b.attrs["for_each"]
	if a == nil {
		return []instance{{}}
	}
	v := m.eval(a.expr, nil)
	ty := v.Type()
	if !v.IsKnown() || v.IsNull() || !ty.IsMapType() && !ty.IsObjectType() && !ty.IsSetType() {
		why := "is not known statically"
		if v.IsKnown() && !v.IsNull() && !ty.Equals(cty.DynamicPseudoType) {
			why = "is not a map or a set of strings"
		}
		m.note(m.rng(a.expr.Range()), fmt.Sprintf("for_each of %s %s: its instances are not analyzed", addr, why))
		return nil
	}
	var ins []instance
	var anchor *model.Range
	if at, ok := m.callerAnchor(a.expr); ok {
		anchor = &at
	}
	for it := v.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		if ty.IsSetType() {
			k = ev
		}
		ks := knownString(k)
		if !ks.IsKnown() {
			m.note(m.rng(a.expr.Range()), fmt.Sprintf("for_each of %s has keys that are not known statically: its instances are not analyzed", addr))
			return nil
		}
		if len(ins) == maxInstances {
			m.note(m.rng(a.expr.Range()), fmt.Sprintf("for_each of %s has %d elements: only the first %d instances are analyzed", addr, v.LengthInt(), maxInstances))
			break
		}
		s := "[" + strconv.Quote(ks.AsString()) + "]"
		ins = append(ins, instance{id: addr + s, suffix: s, each: true, key: ks, value: ev, anchor: anchor})
	}
	return ins
}

// lookupInstance returns the instance of block b (address addr) that the
// index key selects: a number for count, a string for for_each, or no
// index (key is cty.NilVal) for a block with neither. ok is false when
// the key selects nothing that is known.
func (m *module) lookupInstance(b *block, addr string, key cty.Value) (instance, bool) {
	ins := m.instances(b, addr)
	expanded := b.attrs["count"] != nil || b.attrs["for_each"] != nil
	if key == cty.NilVal {
		if expanded || len(ins) != 1 {
			return noInstance, false
		}
		return ins[0], true
	}
	if !expanded || !key.IsWhollyKnown() || key.IsNull() {
		return noInstance, false
	}
	if len(ins) == 1 && ins[0].key == cty.NilVal {
		return ins[0], true // unknown count: the one instance analyzed
	}
	for _, in := range ins {
		if in.each {
			if ks := knownString(key); ks.IsKnown() && ks.AsString() == in.key.AsString() {
				return in, true
			}
			continue
		}
		if n, ok := wholeNumber(key); ok && in.key.Equals(cty.NumberIntVal(n)).True() {
			return in, true
		}
	}
	return noInstance, false
}

// wholeNumber converts a known number (or numeric string) to an int64.
func wholeNumber(v cty.Value) (int64, bool) {
	if !v.IsKnown() || v.IsNull() {
		return 0, false
	}
	if v.Type() == cty.String {
		f, ok := new(big.Float).SetString(v.AsString())
		if !ok {
			return 0, false
		}
		v = cty.NumberVal(f)
	}
	if v.Type() != cty.Number {
		return 0, false
	}
	n, acc := v.AsBigFloat().Int64()
	if acc != big.Exact {
		return 0, false
	}
	return n, true
}

// note records a note: a limit of the analysis, not a problem of the input.
func (m *module) note(r model.Range, msg string) {
	m.diags = append(m.diags, model.Diagnostic{Range: r, Message: msg, Level: model.DiagNote})
}

// indexKey evaluates the key of an index step: a literal of a traversal
// or an index expression.
func (m *module) indexKey(step any, sc *scope) cty.Value {
	switch s := step.(type) {
	case hcl.TraverseIndex:
		return s.Key
	case hclsyntax.Expression:
		return m.eval(s, sc)
	}
	return cty.NilVal
}
