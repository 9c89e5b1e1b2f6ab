package terraform

import (
	"maps"
	"math/big"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/tree"
)

// Conversion turns expressions into positioned trees (parser/tree) that
// parser/normalize reads like JSON. Two entry points:
//
//   - docNode converts an expression whose value is a JSON policy text:
//     jsonencode(...), a heredoc or quoted string, file(), templatefile(),
//     data.aws_iam_policy_document.X.json, or a reference to any of those.
//   - valueNode converts an expression whose value is the policy itself
//     (the argument of jsonencode): object and tuple constructors are walked
//     so that every element keeps its own range, and only leaves are
//     evaluated. jsonencode as a whole is never evaluated, since one unknown
//     leaf makes its result wholly unknown.

// tooManyText is the text of a policy document not read for its number of
// values (tooManyValues).
const tooManyText = "(a policy document too large to read)"

// unknownNode is a tree node for a value that cannot be resolved.
func unknownNode(text string, r model.Range) *tree.Node {
	return &tree.Node{Kind: tree.Unknown, Str: text, Range: r}
}

// valueNode converts e, the value of a policy or of a part of it.
func (m *module) valueNode(e hclsyntax.Expression, sc *scope, depth int) *tree.Node {
	r := m.rng(e.Range())
	m.budget--
	if depth > maxDepth || m.budget < 0 {
		return unknownNode(m.text(e), r)
	}
	switch x := e.(type) {
	case *hclsyntax.ObjectConsExpr:
		n := &tree.Node{Kind: tree.Object, Range: r, Members: make([]tree.Member, 0, len(x.Items))}
		for _, it := range x.Items {
			n.Members = append(n.Members, tree.Member{
				Key:      m.keyString(it.KeyExpr, sc),
				KeyRange: m.rng(it.KeyExpr.Range()),
				Value:    m.valueNode(it.ValueExpr, sc, depth+1),
			})
		}
		return n
	case *hclsyntax.TupleConsExpr:
		n := &tree.Node{Kind: tree.Array, Range: r, Elems: make([]*tree.Node, 0, len(x.Exprs))}
		for _, el := range x.Exprs {
			n.Elems = append(n.Elems, m.valueNode(el, sc, depth+1))
		}
		return n
	case *hclsyntax.ParenthesesExpr:
		return m.valueNode(x.Expression, sc, depth+1)
	case *hclsyntax.TemplateWrapExpr:
		// "${x}" is the value of x, whatever its type.
		return m.valueNode(x.Wrapped, sc, depth+1)
	case *hclsyntax.ForExpr:
		if sc != nil {
			break // a template's scope: evaluated as a whole
		}
		if n := m.forNode(x, r, depth); n != nil {
			return n
		}
	case *hclsyntax.ScopeTraversalExpr:
		if n := m.forElems[x.Traversal.RootName()]; n != nil && sc == nil && len(x.Traversal) == 1 {
			return n
		}
		// A reference to a list or object keeps the positions of its
		// elements in the definition; a single value is read at the
		// reference, where the policy uses it.
		if c, def, ok := m.outputRef(x, sc, depth); ok && mayHoldElements(def) && c.follow(def) {
			c.budget = m.budget
			n := c.valueNode(def, nil, depth+1)
			m.budget = c.budget
			c.unfollow(def)
			if n.Kind == tree.Object || n.Kind == tree.Array {
				return n
			}
		}
		if def, ok := m.resolve(x, sc, depth); ok && mayHoldElements(def) && m.follow(def) {
			n := m.valueNode(def, nil, depth+1)
			m.unfollow(def)
			if n.Kind == tree.Object || n.Kind == tree.Array {
				return n
			}
		}
	case *hclsyntax.ConditionalExpr:
		if c := m.eval(x.Condition, sc); c.IsKnown() && !c.IsNull() && c.Type() == cty.Bool {
			if c.True() {
				return m.valueNode(x.TrueResult, sc, depth+1)
			}
			return m.valueNode(x.FalseResult, sc, depth+1)
		}
	case *hclsyntax.FunctionCallExpr:
		if n := m.callNode(x, sc, r, depth); n != nil {
			return n
		}
	}
	return m.leaf(e, sc)
}

// forNode converts a for expression of the module's own expressions
// element by element, as Terraform evaluates it, so that each element
// keeps the range of its own source: its value expression, evaluated with
// the iteration variables bound in the module's context (under an
// instance id of their own for the evaluation caches), in which a
// reference to the iteration variable itself stands for the element of
// the collection it came from when that is written out in the module (a
// literal list or a local of one). nil means the expression is evaluated
// as a leaf: a grouping (...) for, a result, collection or condition that
// is not known (over the evaluation budget the whole result is unknown,
// never a part of its elements), an iteration variable that would hide a
// name of the module's context, or the budget spent while converting.
func (m *module) forNode(x *hclsyntax.ForExpr, r model.Range, depth int) *tree.Node {
	if x.Group || !m.eval(x, nil).IsKnown() {
		return nil
	}
	for _, name := range []string{x.KeyVar, x.ValVar} {
		if _, taken := m.ctx.Variables[name]; taken && name != "" {
			return nil
		}
	}
	coll := m.eval(x.CollExpr, nil)
	if !coll.IsKnown() || coll.IsNull() || !coll.CanIterateElements() || coll.Type().IsSetType() {
		return nil
	}
	src := m.valueNode(unguard(x.CollExpr), nil, depth+1)
	out := &tree.Node{Kind: tree.Array, Range: r}
	if x.KeyExpr != nil {
		out.Kind = tree.Object
	}
	saved, savedElems := m.inst, m.forElems
	defer func() {
		m.inst, m.forElems = saved, savedElems
		delete(m.ctx.Variables, x.ValVar)
		delete(m.ctx.Variables, x.KeyVar)
	}()
	at := saved.id + "\x00for@" + strconv.Itoa(x.Range().Start.Byte) + "#"
	i := 0
	for it := coll.ElementIterator(); it.Next(); i++ {
		if !m.charge() {
			m.exhausted(r)
			return nil
		}
		k, v := it.Element()
		m.inst.id = at + strconv.Itoa(i)
		m.ctx.Variables[x.ValVar] = v
		m.forElems = maps.Clone(savedElems)
		if m.forElems == nil {
			m.forElems = map[string]*tree.Node{}
		}
		m.forElems[x.ValVar] = m.sourceElem(src, i, k)
		if x.KeyVar != "" {
			m.ctx.Variables[x.KeyVar] = k
			m.forElems[x.KeyVar] = nil // a key is read where it is used
		}
		if x.CondExpr != nil {
			c := m.eval(x.CondExpr, nil)
			if !c.IsKnown() || c.IsNull() || c.Type() != cty.Bool {
				return nil
			}
			if c.False() {
				continue
			}
		}
		val := m.valueNode(unguard(x.ValExpr), nil, depth+1)
		if x.KeyExpr == nil {
			out.Elems = append(out.Elems, val)
			continue
		}
		key, ok := toString(m.eval(x.KeyExpr, nil))
		if !ok || out.Get(key) != nil {
			return nil // an unknown or repeated key: Terraform's own verdict stands
		}
		out.Members = append(out.Members, tree.Member{Key: key, KeyRange: m.rng(x.KeyExpr.Range()), Value: val})
	}
	return out
}

// sourceElem returns the node of the collection src for the element at
// index i or key k of a for expression, when it has a source of its own;
// nil otherwise. An element computed as part of a leaf has the range of
// the whole collection: that is its source only in a module installed
// under .terraform, where it is the caller's argument that supplied the
// collection (inputAnchor).
func (m *module) sourceElem(src *tree.Node, i int, k cty.Value) *tree.Node {
	var n *tree.Node
	switch {
	case src.Kind == tree.Array && i < len(src.Elems):
		n = src.Elems[i]
	case src.Kind == tree.Object && k.Type() == cty.String:
		n = src.Get(k.AsString())
	}
	if n == nil || n.Range == src.Range && (!m.external || isInstalled(n.Range.File)) {
		return nil
	}
	return n
}

// mayHoldElements reports whether the syntax of e may give a list or an
// object whose elements have positions of their own.
func mayHoldElements(e hclsyntax.Expression) bool {
	switch unwrap(e).(type) {
	case *hclsyntax.ObjectConsExpr, *hclsyntax.TupleConsExpr, *hclsyntax.FunctionCallExpr,
		*hclsyntax.ConditionalExpr, *hclsyntax.ScopeTraversalExpr:
		return true
	}
	return false
}

// callNode converts the calls whose result keeps the structure of their
// arguments: jsondecode, tolist, toset, concat, merge, flatten. nil means
// the call is evaluated as a leaf.
func (m *module) callNode(x *hclsyntax.FunctionCallExpr, sc *scope, r model.Range, depth int) *tree.Node {
	if x.ExpandFinal {
		return nil
	}
	switch x.Name {
	case "jsondecode":
		if len(x.Args) == 1 {
			return m.docNode(x.Args[0], sc, true, depth+1)
		}
	case "tolist", "toset":
		if len(x.Args) == 1 {
			if n := m.valueNode(x.Args[0], sc, depth+1); n.Kind == tree.Array {
				return n
			}
		}
	case "concat", "flatten", "merge":
		want := tree.Array
		if x.Name == "merge" {
			want = tree.Object
		}
		out := &tree.Node{Kind: want, Range: r}
		for _, a := range x.Args {
			n := m.valueNode(a, sc, depth+1)
			if n.Kind == tree.Null && x.Name == "merge" {
				continue // merge skips null arguments
			}
			if n.Kind != want {
				return nil
			}
			switch x.Name {
			case "concat":
				out.Elems = append(out.Elems, n.Elems...)
			case "flatten":
				if len(x.Args) != 1 {
					return nil
				}
				out.Elems = flattenElems(out.Elems, n.Elems, 0)
			case "merge":
				out.Members = append(out.Members, n.Members...)
			}
		}
		return out
	}
	return nil
}

// flattenElems appends elems to dst, replacing nested arrays by their
// elements, as flatten does.
func flattenElems(dst, elems []*tree.Node, depth int) []*tree.Node {
	for _, e := range elems {
		if e.Kind == tree.Array && depth < maxDepth {
			dst = flattenElems(dst, e.Elems, depth+1)
			continue
		}
		dst = append(dst, e)
	}
	return dst
}

// keyString returns an object key: its value, or for an unknown key the
// template of its known and unknown parts, always with ${...} around the
// unknown ones so that a key never reads as a literal.
func (m *module) keyString(e hclsyntax.Expression, sc *scope) string {
	if v, ok := toString(m.eval(e, sc)); ok {
		return v
	}
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		e = k.Wrapped
	}
	ps := m.pieces(e, sc, 0)
	if len(ps) == 1 && !ps[0].known {
		return "${" + ps[0].s + "}"
	}
	return templateText(ps)
}

// leaf evaluates e and converts its value. A wholly unknown string is
// rendered from its known and unknown parts.
func (m *module) leaf(e hclsyntax.Expression, sc *scope) *tree.Node {
	r := m.rng(e.Range())
	if sc == nil {
		r = m.inputAnchor(e, r)
	}
	v := m.eval(e, sc)
	if !v.IsKnown() {
		ps := m.pieces(e, sc, 0)
		if allKnown(ps) {
			return &tree.Node{Kind: tree.String, Str: templateText(ps), Range: r}
		}
		return unknownNode(templateText(ps), r)
	}
	text := ""
	if !v.IsWhollyKnown() {
		text = m.text(e)
	}
	return m.ctyNode(v, r, text, 0)
}

// inputAnchor returns the place a value read from e points at: r, or in
// a module installed under .terraform, for a variable (or the iterator of
// a dynamic block over one), the caller's argument that supplied it.
func (m *module) inputAnchor(e hclsyntax.Expression, r model.Range) model.Range {
	if at, ok := m.callerAnchor(e); ok {
		return at
	}
	return r
}

// callerAnchor returns, in a module installed under .terraform, the
// caller's argument that supplies e: e is var.NAME (with steps after it),
// or reads the iterator of a dynamic block, or each of a block, whose
// for_each is such a value.
func (m *module) callerAnchor(e hclsyntax.Expression) (model.Range, bool) {
	x, ok := unwrap(e).(*hclsyntax.ScopeTraversalExpr)
	if !ok || !m.external {
		return model.Range{}, false
	}
	if at, ok := m.iterAnchors[x.Traversal.RootName()]; ok {
		return at, true
	}
	if x.Traversal.RootName() == "each" && m.inst.each && m.inst.anchor != nil {
		return *m.inst.anchor, true
	}
	if x.Traversal.RootName() != "var" || len(x.Traversal) < 2 {
		return model.Range{}, false
	}
	if a, ok := x.Traversal[1].(hcl.TraverseAttr); ok {
		if at, ok := m.inputAnchors[a.Name]; ok {
			return at, true
		}
	}
	return model.Range{}, false
}

// ctyNode converts a value; every node gets range r. Unknown parts of a
// partly known value are named after text, the expression of v, with the
// path to the part.
func (m *module) ctyNode(v cty.Value, r model.Range, text string, depth int) *tree.Node {
	m.budget--
	if !v.IsKnown() || depth > maxDepth || m.budget < 0 {
		return unknownNode(text, r)
	}
	if v.IsNull() {
		return &tree.Node{Kind: tree.Null, Range: r}
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return &tree.Node{Kind: tree.String, Str: v.AsString(), Range: r}
	case ty == cty.Number:
		bf := v.AsBigFloat()
		f, _ := bf.Float64()
		return &tree.Node{Kind: tree.Number, Str: numberText(bf), Num: f, Range: r}
	case ty == cty.Bool:
		return &tree.Node{Kind: tree.Bool, Bool: v.True(), Range: r}
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		n := &tree.Node{Kind: tree.Array, Range: r}
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, ev := it.Element()
			n.Elems = append(n.Elems, m.ctyNode(ev, r, text+"["+strconv.Itoa(i)+"]", depth+1))
		}
		return n
	case ty.IsMapType() || ty.IsObjectType():
		n := &tree.Node{Kind: tree.Object, Range: r}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			key := k.AsString()
			n.Members = append(n.Members, tree.Member{
				Key: key, KeyRange: r,
				Value: m.ctyNode(ev, r, text+attrSuffix(key), depth+1),
			})
		}
		return n
	}
	return unknownNode(text, r)
}

// numberText writes a number as Terraform does: the shortest decimal that
// reads back as the same number at its precision, without an exponent.
// Integers of up to 63 bits whose precision holds every digit (account
// IDs, durations, versions: nearly every number of a policy) take
// strconv's path; big.Float.Text on a 512-bit number was 8 % of reading a
// Terraform module.
func numberText(bf *big.Float) string {
	if bf.IsInt() && (bf.Sign() != 0 || !bf.Signbit()) { // -0 is written "-0"
		if i, acc := bf.Int64(); acc == big.Exact && bf.MantExp(nil) <= int(bf.Prec()) {
			return strconv.FormatInt(i, 10)
		}
	}
	return bf.Text('f', -1)
}

// attrSuffix writes the step to attribute key of an expression.
func attrSuffix(key string) string {
	if hclsyntax.ValidIdentifier(key) {
		return "." + key
	}
	return "[" + strconv.Quote(key) + "]"
}

// unwrap drops parentheses and "${...}" around e.
func unwrap(e hclsyntax.Expression) hclsyntax.Expression {
	for range maxDepth {
		switch x := e.(type) {
		case *hclsyntax.ParenthesesExpr:
			e = x.Expression
		case *hclsyntax.TemplateWrapExpr:
			e = x.Wrapped
		default:
			return e
		}
	}
	return e
}

// docNode converts e, whose value is the JSON text of a policy document.
// When anyJSON is set (jsondecode), any JSON value is parsed; otherwise a
// text that is not a JSON object is kept as a string, as IAM would read it.
// It returns nil when the text is not valid JSON: the diagnostics stand for
// the document.
func (m *module) docNode(e hclsyntax.Expression, sc *scope, anyJSON bool, depth int) *tree.Node {
	r := m.rng(e.Range())
	if depth > maxDepth {
		return unknownNode(m.text(e), r)
	}
	e = unwrap(e)
	if refs, list, ok := m.docRefs(e, sc, depth); ok && !list {
		if len(refs) == 0 { // one() of no document
			return &tree.Node{Kind: tree.Null, Range: r}
		}
		return m.policyDocument(refs[0], depth+1)
	}
	switch x := e.(type) {
	case *hclsyntax.FunctionCallExpr:
		if x.ExpandFinal {
			break
		}
		switch {
		case x.Name == "jsonencode" && len(x.Args) == 1:
			return m.valueNode(x.Args[0], sc, depth+1)
		case (x.Name == "trimspace" || x.Name == "chomp") && len(x.Args) == 1:
			return m.docNode(x.Args[0], sc, anyJSON, depth+1)
		case x.Name == "file" && len(x.Args) == 1:
			if n, ok := m.fileDoc(x, sc); ok {
				return n
			}
		case x.Name == "templatefile" && len(x.Args) == 2 && sc == nil:
			if n, ok := m.templateDoc(x, anyJSON, depth); ok {
				return n
			}
		case x.Name == "try" || x.Name == "coalesce":
			if a, ok := m.chosenArg(x, sc, depth+1); ok {
				return m.docNode(a, sc, anyJSON, depth+1)
			}
		case x.Name == "join" && len(x.Args) == 2:
			// join("", data.aws_iam_policy_document.X.*.json) of a
			// document whose count is 0 or 1.
			if refs, list, ok := m.docRefs(x.Args[1], sc, depth+1); ok && list && len(refs) == 1 {
				return m.policyDocument(refs[0], depth+1)
			}
		}
	case *hclsyntax.ScopeTraversalExpr:
		if c, def, ok := m.outputRef(x, sc, depth); ok && c.follow(def) {
			defer c.unfollow(def)
			c.budget = m.budget
			defer func() { m.budget = c.budget }()
			return c.docNode(def, nil, anyJSON, depth+1)
		}
		if call, ok := m.templateFileData(x, sc); ok {
			if n, ok := m.templateDoc(call, anyJSON, depth); ok {
				return n
			}
		}
		if def, ok := m.inputRef(x, sc, depth); ok {
			// A document passed to a called module is read where the
			// caller writes it: its elements, file() and templatefile()
			// keep their own places.
			if n, ok := m.inCaller(def, func(p *module) *tree.Node { return p.docNode(def, nil, anyJSON, depth+1) }); ok {
				return n
			}
		}
		if def, ok := m.resolve(x, sc, depth); ok && m.follow(def) {
			defer m.unfollow(def)
			return m.docNode(def, nil, anyJSON, depth+1)
		}
	case *hclsyntax.ConditionalExpr:
		if c := m.eval(x.Condition, sc); c.IsKnown() && !c.IsNull() && c.Type() == cty.Bool {
			if c.True() {
				return m.docNode(x.TrueResult, sc, anyJSON, depth+1)
			}
			return m.docNode(x.FalseResult, sc, anyJSON, depth+1)
		}
	case *hclsyntax.TemplateExpr:
		// A heredoc that holds only ${jsonencode(...)} (and white space)
		// is that expression.
		if only := soleInterpolation(x); only != nil {
			return m.docNode(only, sc, anyJSON, depth+1)
		}
		return m.templateNode(x, sc, anyJSON, r)
	case *hclsyntax.LiteralValueExpr:
		if raw, ok := m.rawStrings[x]; ok { // a JSON string of a .tf.json file
			return m.embeddedNode(raw, x.Val.AsString(), anyJSON, r)
		}
	}
	// Any other expression: its value, when known, is parsed with every
	// position at the expression.
	v := m.eval(e, sc)
	if v.IsKnown() && v.IsNull() {
		return &tree.Node{Kind: tree.Null, Range: r}
	}
	s, ok := toString(v)
	if !ok {
		ps := m.pieces(e, sc, 0)
		if !allKnown(ps) {
			return unknownNode(templateText(ps), r)
		}
		s = templateText(ps)
	}
	return m.textNode([]byte(s), nil, r, anyJSON, nil)
}

// soleInterpolation returns the one interpolation of a template whose
// literal parts are all white space, or nil.
func soleInterpolation(x *hclsyntax.TemplateExpr) hclsyntax.Expression {
	var only hclsyntax.Expression
	for _, p := range x.Parts {
		if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok {
			if lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() && strings.TrimSpace(lit.Val.AsString()) == "" {
				continue
			}
			return nil
		}
		if only != nil {
			return nil
		}
		only = p
	}
	return only
}

// docRef is one instance of an aws_iam_policy_document block.
type docRef struct {
	b    *block
	inst instance
}

// addr is the address of the data source instance.
func (r docRef) addr() string {
	return "data.aws_iam_policy_document." + r.b.labels[1] + r.inst.suffix
}

// docRefs returns the instances of aws_iam_policy_document data sources
// whose rendered JSON e is: data.aws_iam_policy_document.NAME.json (or
// minified_json), NAME[KEY].json with any key expression (count.index,
// each.key, a literal), a list of them from a splat (NAME[*].json,
// NAME.*.json), a tuple, concat, tolist or toset, and one element of such
// a list through one(), element() or an index. list tells a list from a
// single document (one() of an empty list is no document: refs is empty
// and list false). ok is false when e is not such a reference or selects an
// instance that is not known.
func (m *module) docRefs(e hclsyntax.Expression, sc *scope, depth int) (refs []docRef, list, ok bool) {
	if sc != nil || depth > maxDepth {
		return nil, false, false
	}
	if b, key, ok := m.singleDocRef(e, sc); ok {
		r, ok := m.docInstance(b, key)
		return []docRef{r}, false, ok
	}
	if x, ok := unwrap(e).(*hclsyntax.ScopeTraversalExpr); ok && len(x.Traversal) == 3 {
		// local.policies["key"]
		if ix, isIndex := x.Traversal[2].(hcl.TraverseIndex); isIndex {
			head := &hclsyntax.ScopeTraversalExpr{Traversal: x.Traversal[:2], SrcRange: x.SrcRange}
			if b, ok := m.docMap(head, depth+1); ok {
				r, ok := m.docInstance(b, ix.Key)
				return []docRef{r}, false, ok
			}
		}
	}
	switch x := unwrap(e).(type) {
	case *hclsyntax.SplatExpr:
		each, isRel := x.Each.(*hclsyntax.RelativeTraversalExpr)
		src, isRef := x.Source.(*hclsyntax.ScopeTraversalExpr)
		if !isRel || !isRef || len(each.Traversal) != 1 || !isJSONAttr(each.Traversal[0]) {
			return nil, false, false
		}
		if _, anon := each.Source.(*hclsyntax.AnonSymbolExpr); !anon {
			return nil, false, false
		}
		b := m.docBlock(src.Traversal)
		if b == nil {
			return nil, false, false
		}
		addr := "data.aws_iam_policy_document." + b.labels[1]
		for _, in := range m.instances(b, addr) {
			refs = append(refs, docRef{b, in})
		}
		return refs, true, true
	case *hclsyntax.TupleConsExpr:
		for _, el := range x.Exprs {
			r, l, ok := m.docRefs(el, sc, depth+1)
			if !ok || l || len(r) != 1 {
				return nil, false, false
			}
			refs = append(refs, r[0])
		}
		return refs, true, true
	case *hclsyntax.IndexExpr:
		if b, ok := m.docMap(x.Collection, depth+1); ok {
			r, ok := m.docInstance(b, m.eval(x.Key, sc))
			return []docRef{r}, false, ok
		}
		r, l, ok := m.docRefs(x.Collection, sc, depth+1)
		return pickRef(r, l && ok, m.eval(x.Key, sc))
	case *hclsyntax.FunctionCallExpr:
		if x.ExpandFinal {
			return nil, false, false
		}
		switch {
		case x.Name == "one" && len(x.Args) == 1:
			r, l, ok := m.docRefs(x.Args[0], sc, depth+1)
			if !ok || !l || len(r) > 1 {
				return nil, false, false
			}
			return r, false, true
		case x.Name == "element" && len(x.Args) == 2:
			r, l, ok := m.docRefs(x.Args[0], sc, depth+1)
			if n, known := wholeNumber(m.eval(x.Args[1], sc)); known && len(r) > 0 && n >= 0 {
				return pickRef(r, l && ok, cty.NumberIntVal(n%int64(len(r))))
			}
		case (x.Name == "tolist" || x.Name == "toset") && len(x.Args) == 1:
			r, l, ok := m.docRefs(x.Args[0], sc, depth+1)
			return r, l, ok && l
		case x.Name == "concat":
			for _, a := range x.Args {
				r, l, ok := m.docRefs(a, sc, depth+1)
				if !ok || !l {
					return nil, false, false
				}
				refs = append(refs, r...)
			}
			return refs, true, true
		}
	case *hclsyntax.ConditionalExpr:
		if c := m.eval(x.Condition, sc); c.IsKnown() && !c.IsNull() && c.Type() == cty.Bool {
			if c.True() {
				return m.docRefs(x.TrueResult, sc, depth+1)
			}
			return m.docRefs(x.FalseResult, sc, depth+1)
		}
	}
	return nil, false, false
}

// docMap returns the policy document block whose instances e, a local
// value, maps by key to their JSON:
// { for k, v in data.aws_iam_policy_document.X : k => v.json }, so that
// local.NAME[KEY] is the instance KEY of X.
func (m *module) docMap(e hclsyntax.Expression, depth int) (*block, bool) {
	x, ok := unwrap(e).(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(x.Traversal) != 2 || x.Traversal.RootName() != "local" {
		return nil, false
	}
	def, ok := m.resolve(x, nil, depth)
	if !ok {
		return nil, false
	}
	fx, ok := unwrap(def).(*hclsyntax.ForExpr)
	if !ok || fx.KeyExpr == nil || fx.KeyVar == "" || fx.CondExpr != nil || fx.Group {
		return nil, false
	}
	coll, ok1 := unwrap(unguard(fx.CollExpr)).(*hclsyntax.ScopeTraversalExpr)
	key, ok2 := unwrap(fx.KeyExpr).(*hclsyntax.ScopeTraversalExpr)
	val, ok3 := unwrap(unguard(fx.ValExpr)).(*hclsyntax.ScopeTraversalExpr)
	if !ok1 || !ok2 || !ok3 || len(key.Traversal) != 1 || key.Traversal.RootName() != fx.KeyVar ||
		len(val.Traversal) != 2 || val.Traversal.RootName() != fx.ValVar || !isJSONAttr(val.Traversal[1]) {
		return nil, false
	}
	b := m.docBlock(coll.Traversal)
	if b == nil || b.attrs["count"] == nil && b.attrs["for_each"] == nil {
		return nil, false
	}
	return b, true
}

// singleDocRef returns the block and the instance key (cty.NilVal: no
// index) of a reference to the JSON of one policy document:
// data.aws_iam_policy_document.NAME.json, NAME[KEY].json with a literal key
// or any key expression.
func (m *module) singleDocRef(e hclsyntax.Expression, sc *scope) (*block, cty.Value, bool) {
	switch x := unwrap(e).(type) {
	case *hclsyntax.ScopeTraversalExpr:
		t := x.Traversal
		if len(t) < 4 || len(t) > 5 || !isJSONAttr(t[len(t)-1]) {
			return nil, cty.NilVal, false
		}
		b := m.docBlock(t[:3])
		if b == nil {
			return nil, cty.NilVal, false
		}
		key := cty.NilVal
		if len(t) == 5 {
			key = m.indexKey(t[3], sc)
		}
		return b, key, true
	case *hclsyntax.RelativeTraversalExpr:
		ix, isIndex := x.Source.(*hclsyntax.IndexExpr)
		if len(x.Traversal) != 1 || !isJSONAttr(x.Traversal[0]) || !isIndex {
			return nil, cty.NilVal, false
		}
		coll, isRef := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
		if !isRef {
			return nil, cty.NilVal, false
		}
		if b := m.docBlock(coll.Traversal); b != nil {
			return b, m.indexKey(ix.Key, sc), true
		}
	}
	return nil, cty.NilVal, false
}

// pickRef selects element key of a list of documents.
func pickRef(refs []docRef, isList bool, key cty.Value) ([]docRef, bool, bool) {
	n, known := wholeNumber(key)
	if !isList || !known || n < 0 || n >= int64(len(refs)) {
		return nil, false, false
	}
	return refs[n : n+1], false, true
}

// isJSONAttr reports whether a traversal step reads the rendered JSON of a
// policy document.
func isJSONAttr(step hcl.Traverser) bool {
	a, ok := step.(hcl.TraverseAttr)
	return ok && (a.Name == "json" || a.Name == "minified_json")
}

// docBlock returns the block that the traversal
// data.aws_iam_policy_document.NAME names, or nil.
func (m *module) docBlock(t hcl.Traversal) *block {
	if len(t) != 3 || t.RootName() != "data" {
		return nil
	}
	typ, ok1 := t[1].(hcl.TraverseAttr)
	name, ok2 := t[2].(hcl.TraverseAttr)
	if !ok1 || !ok2 || typ.Name != "aws_iam_policy_document" {
		return nil
	}
	return m.data["aws_iam_policy_document"][name.Name]
}

// docInstance returns the instance of the policy document b that key
// (cty.NilVal: no index) selects.
func (m *module) docInstance(b *block, key cty.Value) (docRef, bool) {
	in, ok := m.lookupInstance(b, "data.aws_iam_policy_document."+b.labels[1], key)
	return docRef{b, in}, ok
}

// embeddedNode parses the policy held by a JSON string literal of a
// .tf.json file (raw is the token's range) with positions inside it.
func (m *module) embeddedNode(raw hcl.Range, s string, anyJSON bool, r model.Range) *tree.Node {
	src := m.sources[raw.Filename]
	if src == nil || !startsJSON(s, anyJSON) {
		return &tree.Node{Kind: tree.String, Str: s, Range: r}
	}
	n, diags := srcjson.ParseEmbedded(src.loc, src.text[raw.Start.Byte:raw.End.Byte], raw.Start.Byte)
	m.diags = append(m.diags, diags...)
	return n
}

// startsJSON reports whether s is to be parsed as JSON: an object, or with
// anyJSON any value.
func startsJSON(s string, anyJSON bool) bool {
	if srcjson.ClassifyEmbedded(s) == srcjson.EmbeddedJSON {
		return true
	}
	return anyJSON && strings.TrimSpace(s) != ""
}

// textNode parses text, whose bytes come from the file offsets offs of loc
// (nil offs: every byte at range r), as a policy document; holes are the
// unknown parts written into it as placeholders (see render).
func (m *module) textNode(text []byte, offs []int, r model.Range, anyJSON bool, h *holes) *tree.Node {
	if !startsJSON(string(text), anyJSON) {
		if h.any() {
			return unknownNode(h.template(string(text)), r)
		}
		return &tree.Node{Kind: tree.String, Str: string(text), Range: r}
	}
	if offs == nil {
		offs = make([]int, len(text)+1)
		for i := range offs {
			offs[i] = r.Start.Byte
		}
		if h == nil {
			h = &holes{}
		}
		h.span(r.Start.Byte, r.End.Byte)
	}
	loc := m.locator(r.File)
	if loc == nil {
		return unknownNode(string(text), r)
	}
	// A heredoc, a string or a rendered template of millions of values
	// (the token count sees one literal) took 1.2 GB at 10 MB.
	if m.tooManyValues(loc, text, offs, srcjson.MaxEmbeddedValues, "policy document") {
		return unknownNode(tooManyText, r)
	}
	n, diags := srcjson.ParseMapped(loc, text, offs)
	if n == nil && h.outside {
		// An unknown part outside a JSON string (a list interpolated into
		// the document) can make the text invalid only in our rendering.
		return unknownNode(h.template(string(text)), r)
	}
	for i := range diags {
		orderRange(&diags[i].Range)
	}
	m.diags = append(m.diags, diags...)
	if n != nil && h.any() {
		h.fill(n, 0)
	}
	h.widen(n, loc, 0)
	orderRanges(n, 0)
	return n
}

// orderRange gives a range whose end lies before its start (a value, or a
// syntax error, that ends where the next iteration of a %{ for } begins,
// which maps back into the loop's body) an empty range at its start.
func orderRange(r *model.Range) {
	if r.End.Byte < r.Start.Byte {
		r.End = r.Start
	}
}

// orderRanges applies orderRange to every range of the tree n.
func orderRanges(n *tree.Node, depth int) {
	if n == nil || depth > maxDepth {
		return
	}
	orderRange(&n.Range)
	for i := range n.Members {
		orderRange(&n.Members[i].KeyRange)
		orderRanges(n.Members[i].Value, depth+1)
	}
	for _, e := range n.Elems {
		orderRanges(e, depth+1)
	}
}

// locator returns the locator of a file the module has read.
func (m *module) locator(file string) *model.LineIndex {
	if s := m.sources[file]; s != nil {
		return s.loc
	}
	return nil
}

// templateNode renders a template (a heredoc or quoted string) whose
// value is a policy document and parses it with positions inside the
// template.
func (m *module) templateNode(x *hclsyntax.TemplateExpr, sc *scope, anyJSON bool, r model.Range) *tree.Node {
	src := m.sources[x.SrcRange.Filename]
	if src == nil {
		return unknownNode(m.text(x), r)
	}
	text, offs, h := m.render(x, src, sc)
	if h.any() && len(h.texts) == 1 && strings.TrimSpace(string(text)) == h.placeholder(0, h.outsideAt[0]) {
		return unknownNode(h.texts[0], r)
	}
	return m.textNode(text, offs, r, anyJSON, h)
}
