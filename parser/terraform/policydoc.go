package terraform

import (
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/tree"
)

// An aws_iam_policy_document data source is mapped into IAM's own shape,
// as the AWS provider renders it:
//
//   - statement blocks become Statement; sid, effect (default Allow),
//     actions, not_actions, resources and not_resources become Sid, Effect,
//     Action, NotAction, Resource and NotResource;
//   - principals {type identifiers} blocks become Principal {type:
//     [identifiers]}, the identifiers of blocks of the same type merged;
//     type "*" becomes Principal "*"; not_principals likewise;
//   - condition {test variable values} blocks become Condition {test:
//     {variable: [values]}}, the values of blocks with the same test and
//     variable merged;
//   - version (default 2012-10-17) and policy_id become Version and Id;
//   - source_policy_documents are merged first, then the statements of the
//     block replace those with the same Sid, then each of
//     override_policy_documents replaces statements with the same Sid
//     (source_json and override_json, the deprecated forms, likewise);
//   - dynamic "statement", "principals" and "condition" blocks are expanded
//     over their for_each, as Terraform does, when it is known (dynamic.go);
//     otherwise a dynamic statement is an unknown statement, and dynamic
//     principals or conditions add an unknown principal type or condition
//     operator beside the static blocks, which stay known.
//
// Every element points at its HCL element: identifiers and values at their
// list elements, keys at the type, test and variable attributes, element
// names (Action, Principal...) at the attribute name or block type.

// policyDocument returns the policy tree of one instance of an
// aws_iam_policy_document block, built once per module and shared by the
// roles that use it.
func (m *module) policyDocument(ref docRef, depth int) *tree.Node {
	k := docKey{ref.b, ref.inst.id}
	if d := m.docs[k]; d != nil {
		if d.busy { // the document includes itself
			return unknownNode(ref.addr()+".json", m.rng(ref.b.rng))
		}
		return d.node
	}
	d := &docEntry{busy: true}
	m.docs[k] = d
	m.within(ref.inst, func() { d.node = m.buildPolicyDocument(ref.b, depth) })
	d.busy = false
	return d.node
}

// docStatements returns the statements of a policy tree for merging, and
// false when they cannot be read.
func docStatements(n *tree.Node) ([]*tree.Node, bool) {
	if n == nil || n.Kind != tree.Object {
		return nil, false
	}
	st := n.Get("Statement")
	switch {
	case st == nil:
		return nil, true
	case st.Kind == tree.Array:
		return st.Elems, true
	case st.Kind == tree.Object:
		return []*tree.Node{st}, true
	}
	return nil, false
}

// sidOf returns the Sid of a statement tree, or "".
func sidOf(n *tree.Node) string {
	if s := n.Get("Sid"); s != nil && s.Kind == tree.String {
		return s.Str
	}
	return ""
}

// merger merges policy documents as the AWS provider does.
type merger struct {
	version, id *tree.Node
	stmts       []*tree.Node
}

// merge adds the statements of a document: one with a Sid replaces the
// statement with the same Sid, others are appended.
func (mg *merger) merge(doc *tree.Node, stmts []*tree.Node) {
	if doc != nil {
		if v := doc.Get("Version"); v != nil && v.Kind == tree.String && (mg.version == nil || v.Str > mg.version.Str) {
			mg.version = v
		}
		if id := doc.Get("Id"); id != nil && (id.Kind != tree.String || id.Str != "") {
			mg.id = id
		}
	}
	for _, s := range stmts {
		sid := sidOf(s)
		replaced := false
		if sid != "" {
			for i, old := range mg.stmts {
				if sidOf(old) == sid {
					mg.stmts[i] = s
					replaced = true
					break
				}
			}
		}
		if !replaced {
			mg.stmts = append(mg.stmts, s)
		}
	}
}

// source merges a source document: an unknown one adds statements we
// cannot read.
func (mg *merger) source(src *tree.Node) {
	stmts, ok := docStatements(src)
	if !ok {
		stmts = []*tree.Node{unknownNode(src.Str, src.Range)}
	}
	mg.merge(src, stmts)
}

// override merges an override document. An unknown one may replace any
// statement that has a Sid and add statements; those without a Sid stay.
func (mg *merger) override(ov *tree.Node) {
	stmts, ok := docStatements(ov)
	if ok {
		mg.merge(ov, stmts)
		return
	}
	for i, st := range mg.stmts {
		if sidOf(st) != "" || st.Kind != tree.Object {
			mg.stmts[i] = unknownNode(ov.Str, ov.Range)
		}
	}
	mg.stmts = append(mg.stmts, unknownNode(ov.Str, ov.Range))
}

// document returns the merged document spanning whole; own is the
// document of the block itself, whose keys name Version and Id.
func (mg *merger) document(own *tree.Node, whole model.Range) *tree.Node {
	doc := &tree.Node{Kind: tree.Object, Range: whole}
	if mg.version != nil {
		doc.Members = append(doc.Members, tree.Member{Key: "Version", KeyRange: keyRangeOf(own, "Version", mg.version), Value: mg.version})
	}
	if mg.id != nil {
		doc.Members = append(doc.Members, tree.Member{Key: "Id", KeyRange: keyRangeOf(own, "Id", mg.id), Value: mg.id})
	}
	stArr := &tree.Node{Kind: tree.Array, Range: whole, Elems: mg.stmts}
	doc.Members = append(doc.Members, tree.Member{Key: "Statement", KeyRange: whole, Value: stArr})
	return doc
}

func (m *module) buildPolicyDocument(b *block, depth int) *tree.Node {
	whole := m.rng(b.rng)
	var mg merger
	// Source documents: merged first.
	for _, src := range m.docList(b, "source_json", "source_policy_documents", depth) {
		mg.source(src)
	}
	// The document of the block itself.
	own := &tree.Node{Kind: tree.Object, Range: whole}
	version := &tree.Node{Kind: tree.String, Str: "2012-10-17", Range: m.rng(b.typeRange)}
	if a := b.attrs["version"]; a != nil {
		version = m.valueNode(a.expr, nil, depth+1)
	}
	own.Members = append(own.Members, tree.Member{Key: "Version", KeyRange: version.Range, Value: version})
	if a := b.attrs["policy_id"]; a != nil {
		own.Members = append(own.Members, m.attrMember("Id", a, depth))
	}
	var stmts []*tree.Node
	for _, sb := range b.blocks {
		switch {
		case sb.typ == "statement":
			stmts = append(stmts, m.statement(sb, depth+1))
		case sb.typ == "dynamic" && len(sb.labels) == 1 && sb.labels[0] == "statement":
			if !m.dynamicEach(sb, func(c *block) { stmts = append(stmts, m.statement(c, depth+1)) }) {
				stmts = append(stmts, m.dynamicNode(sb))
			}
		}
	}
	mg.merge(own, stmts)
	// Override documents: merged last, in order.
	for _, ov := range m.docList(b, "override_policy_documents", "override_json", depth) {
		mg.override(ov)
	}
	return mg.document(own, whole)
}

// keyRangeOf returns the key range of member key of own when its value is
// v, else the range of v.
func keyRangeOf(own *tree.Node, key string, v *tree.Node) model.Range {
	if mem, ok := own.Member(key); ok && mem.Value == v {
		return mem.KeyRange
	}
	return v.Range
}

// docList returns the documents named by the attributes of b, in order: a
// single document (source_json, override_json) or a list of them. An
// element that is unknown is an unknown node.
func (m *module) docList(b *block, first, second string, depth int) []*tree.Node {
	var out []*tree.Node
	for _, name := range []string{first, second} {
		a := b.attrs[name]
		if a == nil {
			continue
		}
		if name == "source_json" || name == "override_json" {
			if n := m.docNode(a.expr, nil, false, depth+1); n != nil {
				out = append(out, n)
			}
			continue
		}
		if refs, isList, ok := m.docRefs(a.expr, nil, depth+1); ok && isList {
			for _, ref := range refs {
				out = append(out, m.policyDocument(ref, depth+1))
			}
			continue
		}
		list, ok := unwrap(a.expr).(*hclsyntax.TupleConsExpr)
		if !ok {
			v := m.eval(a.expr, nil)
			if v.IsKnown() && v.IsNull() {
				continue
			}
			out = append(out, unknownNode(m.text(a.expr), m.rng(a.expr.Range())))
			continue
		}
		for _, e := range list.Exprs {
			if n := m.docNode(e, nil, false, depth+1); n != nil && n.Kind != tree.Null {
				out = append(out, n)
			}
		}
	}
	return out
}

// attrMember converts attribute a into the member key of a tree object.
func (m *module) attrMember(key string, a *attribute, depth int) tree.Member {
	return tree.Member{Key: key, KeyRange: m.rng(a.nameRange), Value: m.valueNode(a.expr, nil, depth+1)}
}

// dynamicNode is the unknown value of a dynamic block, named by its
// for_each expression.
func (m *module) dynamicNode(b *block) *tree.Node {
	text := "dynamic " + b.labels[0]
	if a := b.attrs["for_each"]; a != nil {
		text = m.text(a.expr)
	}
	return unknownNode(text, m.rng(b.rng))
}

// statementAttrs maps the attributes of a statement block (in HCL or in a
// plan) to IAM element names, in the order they are emitted.
var statementAttrs = []struct{ attr, key string }{
	{"sid", "Sid"},
	{"effect", "Effect"},
	{"actions", "Action"},
	{"not_actions", "NotAction"},
	{"resources", "Resource"},
	{"not_resources", "NotResource"},
}

// statement converts a statement block.
func (m *module) statement(b *block, depth int) *tree.Node {
	n := &tree.Node{Kind: tree.Object, Range: m.rng(b.rng)}
	for _, sa := range statementAttrs {
		a := b.attrs[sa.attr]
		if a == nil {
			if sa.attr == "effect" {
				tr := m.rng(b.typeRange)
				n.Members = append(n.Members, tree.Member{Key: "Effect", KeyRange: tr, Value: &tree.Node{Kind: tree.String, Str: "Allow", Range: tr}})
			}
			continue
		}
		n.Members = append(n.Members, m.attrMember(sa.key, a, depth))
	}
	for _, kind := range []struct{ block, key string }{{"principals", "Principal"}, {"not_principals", "NotPrincipal"}} {
		if mem, ok := m.principals(b, kind.block, kind.key, depth); ok {
			n.Members = append(n.Members, mem)
		}
	}
	if mem, ok := m.conditions(b, depth); ok {
		n.Members = append(n.Members, mem)
	}
	return n
}

// principals converts the principals (or not_principals) blocks of a
// statement into its Principal (NotPrincipal) member.
func (m *module) principals(b *block, typ, key string, depth int) (tree.Member, bool) {
	var ps principalSet
	first := m.nestedMembers(b, typ, &ps.obj.Members, func(pb *block) {
		ta, ia := pb.attrs["type"], pb.attrs["identifiers"]
		if ta == nil || ia == nil || ps.star != nil {
			return
		}
		ps.add(m.keyString(ta.expr, nil), m.rng(ta.srcRange), m.valueNode(ia.expr, nil, depth+1))
	})
	if first == nil {
		return tree.Member{}, false
	}
	return ps.member(key, m.rng(first.typeRange), m.rng(first.rng)), true
}

// principalSet gathers the principals blocks of a statement as the AWS
// provider renders them: the identifiers of blocks of the same type merged,
// and type "*" with identifier "*" as Principal "*". The HCL and the plan
// readers share it.
type principalSet struct {
	obj    tree.Node
	star   *tree.Node
	byType map[string]int // member index by type
}

// add adds the identifiers ids of a block of type t, whose type attribute
// is at typeRange.
func (ps *principalSet) add(t string, typeRange model.Range, ids *tree.Node) {
	if ps.star != nil {
		return
	}
	ps.obj.Kind = tree.Object
	if t == "*" {
		// principals {type = "*" identifiers = ["*"]} renders as
		// "Principal": "*".
		s := ids
		if ids.Kind == tree.Array && len(ids.Elems) > 0 {
			s = ids.Elems[0]
		}
		if s.Kind == tree.String && s.Str == "*" {
			ps.star = s
			return
		}
	}
	if i, ok := ps.byType[t]; ok {
		ps.obj.Members[i].Value = mergeLists(ps.obj.Members[i].Value, ids)
		return
	}
	if ps.byType == nil {
		ps.byType = map[string]int{}
	}
	ps.byType[t] = len(ps.obj.Members)
	ps.obj.Members = append(ps.obj.Members, tree.Member{Key: t, KeyRange: typeRange, Value: ids})
}

// member returns the Principal (NotPrincipal) member named key: its key at
// keyRange, the object spanning rng.
func (ps *principalSet) member(key string, keyRange, rng model.Range) tree.Member {
	if ps.star != nil {
		return tree.Member{Key: key, KeyRange: keyRange, Value: ps.star}
	}
	obj := ps.obj
	obj.Kind, obj.Range = tree.Object, rng
	return tree.Member{Key: key, KeyRange: keyRange, Value: &obj}
}

// mergeLists merges the identifiers or values of two blocks of the same
// principal type or condition: an unknown list merged with anything is
// unknown.
func mergeLists(prev, next *tree.Node) *tree.Node {
	switch {
	case prev.Kind == tree.Array && next.Kind == tree.Array:
		merged := &tree.Node{Kind: tree.Array, Range: prev.Range}
		merged.Elems = append(append(merged.Elems, prev.Elems...), next.Elems...)
		return merged
	case prev.Kind == tree.Unknown:
		return prev
	}
	return next
}

// dynamicMember stands for the blocks of a dynamic block whose collection
// is not known: a member whose key and value are unknown, named after the
// collection.
func (m *module) dynamicMember(d *block) tree.Member {
	n := m.dynamicNode(d)
	return tree.Member{Key: "${" + n.Str + "}", KeyRange: m.rng(d.typeRange), Value: n}
}

// nestedMembers is nestedEach for the blocks of a statement that make up
// one member (principals, condition): f reads each block, and a dynamic
// block whose collection is not known adds a dynamicMember to dyn. It
// returns the first block, whose ranges the member takes, or nil when there
// is none.
func (m *module) nestedMembers(b *block, typ string, dyn *[]tree.Member, f func(*block)) *block {
	var first *block
	m.nestedEach(b, typ, func(nb *block) {
		if first == nil {
			first = nb
		}
		f(nb)
	}, func(d *block) {
		if first == nil {
			first = d
		}
		*dyn = append(*dyn, m.dynamicMember(d))
	})
	return first
}

// conditions converts the condition blocks of a statement into its
// Condition member.
func (m *module) conditions(b *block, depth int) (tree.Member, bool) {
	var cs conditionSet
	first := m.nestedMembers(b, "condition", &cs.cond.Members, func(cb *block) {
		ta, va, vals := cb.attrs["test"], cb.attrs["variable"], cb.attrs["values"]
		if ta == nil || va == nil || vals == nil {
			return
		}
		cs.add(m.keyString(ta.expr, nil), m.rng(ta.srcRange), m.rng(cb.rng),
			m.keyString(va.expr, nil), m.rng(va.srcRange), m.valueNode(vals.expr, nil, depth+1))
	})
	if first == nil {
		return tree.Member{}, false
	}
	return cs.member(m.rng(first.typeRange), m.rng(first.rng)), true
}

// conditionSet gathers the condition blocks of a statement as the AWS
// provider renders them: Condition {test: {variable: [values]}}, the values
// of blocks with the same test and variable merged. The HCL and the plan
// readers share it.
type conditionSet struct {
	cond tree.Node
	ops  map[string]*tree.Node
}

// add adds a block: its test (at testRange), the block's range, its
// variable (at varRange) and values.
func (cs *conditionSet) add(test string, testRange, blockRange model.Range, variable string, varRange model.Range, values *tree.Node) {
	op := cs.ops[test]
	if op == nil {
		if cs.ops == nil {
			cs.ops = map[string]*tree.Node{}
		}
		op = &tree.Node{Kind: tree.Object, Range: blockRange}
		cs.ops[test] = op
		cs.cond.Members = append(cs.cond.Members, tree.Member{Key: test, KeyRange: testRange, Value: op})
	}
	for i := range op.Members {
		if op.Members[i].Key == variable {
			op.Members[i].Value = mergeLists(op.Members[i].Value, values)
			return
		}
	}
	op.Members = append(op.Members, tree.Member{Key: variable, KeyRange: varRange, Value: values})
}

// member returns the Condition member: its key at keyRange, the object
// spanning rng.
func (cs *conditionSet) member(keyRange, rng model.Range) tree.Member {
	cond := cs.cond
	cond.Kind, cond.Range = tree.Object, rng
	return tree.Member{Key: "Condition", KeyRange: keyRange, Value: &cond}
}
