package terraform

import (
	"strings"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/tree"
)

// A plan leaves a role's assume_role_policy unknown when the
// aws_iam_policy_document it comes from is read during apply (its arguments
// depend on a resource not yet created). The plan's configuration section
// still says where the value comes from: the references of the role's
// assume_role_policy expression, and of the module call arguments that
// feed a module's variables. When those name exactly one
// aws_iam_policy_document, the role's policy is built from that data
// source's planned arguments (its statement blocks), each value unknown only
// where the plan says it is (after_unknown), so the known principals and
// conditions are judged and the finding names the role instance. A
// reference through a local value, a function of several values or a
// variable the call does not set stays unknown, as before.

// policyDocType is the data source whose documents a plan resolves.
const policyDocType = "aws_iam_policy_document"

// planDoc is the planned or prior value of one aws_iam_policy_document
// instance.
type planDoc struct {
	values  *tree.Node
	unknown *tree.Node // after_unknown, or nil
}

// planConfig is the configuration of one module of a plan.
type planConfig struct {
	roles map[string]*tree.Node // assume_role_policy references by role config address
	calls map[string]*tree.Node // expressions by module call name
}

// config returns the configuration of the module at path (module.a.module.b,
// "" for the root), creating it.
func (p *planParser) config(path string) *planConfig {
	c := p.configs[path]
	if c == nil {
		c = &planConfig{roles: map[string]*tree.Node{}, calls: map[string]*tree.Node{}}
		p.configs[path] = c
	}
	return c
}

// configModule reads a module of the configuration section: the
// assume_role_policy references of its roles and the argument expressions
// of its module calls, then the called modules.
func (p *planParser) configModule(path string, depth int) error {
	if depth > maxModuleDepth {
		return p.dec.SkipValue()
	}
	return p.object(func(key string) error {
		switch key {
		case "resources":
			return p.array(func() error {
				n, err := p.capture("aws_iam_role")
				if err == nil && n != nil && str(n, "type") == "aws_iam_role" && str(n, "mode") != "data" {
					if refs := n.Get("expressions").Get("assume_role_policy").Get("references"); refs != nil {
						p.config(path).roles[addressOf(n)] = refs
					}
				}
				return err
			})
		case "module_calls":
			return p.object(func(name string) error {
				return p.object(func(key string) error {
					switch key {
					case "expressions":
						n, err := p.capture()
						if err == nil && n != nil {
							p.config(path).calls[name] = n
						}
						return err
					case "module":
						return p.configModule(joinPath(path, "module."+name), depth+1)
					}
					return p.dec.SkipValue()
				})
			})
		}
		return p.dec.SkipValue()
	})
}

// joinPath joins two dotted address parts.
func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// addDoc records the value of a policy document instance; one from
// resource_changes (rank 2) wins over planned_values (1) and prior_state (0).
func (p *planParser) addDoc(address string, rank int, values, unknown *tree.Node) {
	if values == nil || values.Kind != tree.Object {
		return
	}
	if old, ok := p.docRank[address]; ok && old >= rank {
		return
	}
	p.docRank[address] = rank
	p.docs[address] = &planDoc{values: values, unknown: unknown}
}

// modStep is one module instance of an address: module.name[key].
type modStep struct{ name, key string }

// instAddr is a resource instance address split into its module instances,
// its resource (type.name or data.type.name) and its key ([0], ["a"] or "").
type instAddr struct {
	modules  []modStep
	resource string
	key      string
}

// parseAddr splits a resource instance address; false when it is malformed.
func parseAddr(s string) (instAddr, bool) {
	var a instAddr
	for strings.HasPrefix(s, "module.") {
		s = s[len("module."):]
		i := strings.IndexAny(s, ".[")
		if i <= 0 {
			return a, false
		}
		step := modStep{name: s[:i]}
		s = s[i:]
		if s[0] == '[' {
			k, rest, ok := cutKey(s)
			if !ok {
				return a, false
			}
			step.key, s = k, rest
		}
		if !strings.HasPrefix(s, ".") {
			return a, false
		}
		s = s[1:]
		a.modules = append(a.modules, step)
	}
	if i := strings.IndexByte(s, '['); i >= 0 {
		k, rest, ok := cutKey(s[i:])
		if !ok || rest != "" {
			return a, false
		}
		a.key, s = k, s[:i]
	}
	a.resource = s
	return a, s != ""
}

// cutKey cuts an instance key ([0], ["a"]) from the start of s.
func cutKey(s string) (key, rest string, ok bool) {
	if len(s) < 3 || s[0] != '[' {
		return "", s, false
	}
	if s[1] != '"' {
		i := strings.IndexByte(s, ']')
		if i < 2 {
			return "", s, false
		}
		return s[:i+1], s[i+1:], true
	}
	for i := 2; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			if i+1 < len(s) && s[i+1] == ']' {
				return s[:i+2], s[i+2:], true
			}
			return "", s, false
		}
	}
	return "", s, false
}

// prefix returns the module instance part of the address of a module's
// resources for the first n steps (module.a["k"].module.b.), and the
// configuration path of that module (module.a.module.b).
func (a instAddr) prefix(n int) (inst, config string) {
	var ib, cb strings.Builder
	for i, st := range a.modules[:n] {
		if i > 0 {
			cb.WriteByte('.')
		}
		ib.WriteString("module." + st.name + st.key + ".")
		cb.WriteString("module." + st.name)
	}
	return ib.String(), cb.String()
}

// roleDoc returns the policy of a role whose planned assume_role_policy is
// unknown, built from the one aws_iam_policy_document its configuration
// references; nil when there is none.
func (p *planParser) roleDoc(pr *planRole) *tree.Node {
	a, ok := parseAddr(pr.address)
	if !ok {
		return nil
	}
	_, cfgPath := a.prefix(len(a.modules))
	c := p.configs[cfgPath]
	if c == nil {
		return nil
	}
	refs := c.roles[a.resource]
	if refs == nil {
		return nil
	}
	address := p.resolveDoc(a, len(a.modules), refs, a.key)
	if address == "" {
		return nil
	}
	return p.docTree(p.docs[address])
}

// docPrefix is the start of a reference to a policy document.
const docPrefix = "data." + policyDocType + "."

// resolveDoc returns the address of the policy document instance that an
// expression of the module of the first n module steps of a refers to
// through references refs; self is the instance key of the resource or
// module call that holds the expression (for count.index and each.key).
// "" when the references do not name exactly one document that the plan
// holds.
func (p *planParser) resolveDoc(a instAddr, n int, refs *tree.Node, self string) string {
	if refs.Kind != tree.Array {
		return ""
	}
	var (
		doc, key, variable string
		byIndex, other     bool
	)
	for _, e := range refs.Elems {
		if e.Kind != tree.String {
			return ""
		}
		r := e.Str
		switch {
		case strings.HasPrefix(r, docPrefix):
			name := r[len(docPrefix):]
			k := ""
			if i := strings.IndexAny(name, ".["); i >= 0 {
				if name[i] == '[' {
					if kk, _, ok := cutKey(name[i:]); ok {
						k = kk
					}
				}
				name = name[:i]
			}
			if doc != "" && name != doc {
				return "" // two documents: which one is not known
			}
			doc = name
			if k != "" {
				key = k
			}
		case r == "count.index" || r == "each.key":
			byIndex = true
		case strings.HasPrefix(r, "var."):
			name := r[len("var."):]
			if strings.ContainsAny(name, ".[") {
				other = true // a part of the variable: its shape is not known
				continue
			}
			if variable != "" && variable != name {
				return ""
			}
			variable = name
		default:
			other = true
		}
	}
	inst, _ := a.prefix(n)
	switch {
	case doc != "" && variable == "" && !other:
		if key == "" && byIndex {
			key = self
		}
		address := inst + docPrefix + doc + key
		if p.docs[address] == nil {
			return ""
		}
		return address
	case doc == "" && variable != "" && !other && !byIndex && n > 0:
		// A variable: follow the argument of the module call.
		_, parent := a.prefix(n - 1)
		c := p.configs[parent]
		if c == nil {
			return ""
		}
		step := a.modules[n-1]
		arg := c.calls[step.name].Get(variable).Get("references")
		if arg == nil {
			return ""
		}
		return p.resolveDoc(a, n-1, arg, step.key)
	}
	return ""
}

// docTree builds the policy of a planned policy document: its json when
// known, else its arguments rendered as the AWS provider renders them.
func (p *planParser) docTree(d *planDoc) *tree.Node {
	if d == nil {
		return nil
	}
	v := d.values
	if js := v.Get("json"); js != nil && js.Kind == tree.String && !unknownIn(d.unknown, "json") &&
		srcjson.ClassifyEmbedded(js.Str) == srcjson.EmbeddedJSON {
		return p.embedded(js)
	}
	whole := v.Range
	var mg merger
	for _, src := range p.docList(v, d.unknown, "source_json", "source_policy_documents") {
		mg.source(src)
	}
	own := &tree.Node{Kind: tree.Object, Range: whole}
	if m, ok := v.Member("version"); ok && m.Value.Kind == tree.String && m.Value.Str != "" {
		own.Members = append(own.Members, tree.Member{Key: "Version", KeyRange: m.KeyRange, Value: m.Value})
	} else {
		own.Members = append(own.Members, tree.Member{Key: "Version", KeyRange: whole, Value: &tree.Node{Kind: tree.String, Str: "2012-10-17", Range: whole}})
	}
	if m, ok := v.Member("policy_id"); ok && m.Value.Kind == tree.String && m.Value.Str != "" {
		own.Members = append(own.Members, tree.Member{Key: "Id", KeyRange: m.KeyRange, Value: m.Value})
	}
	var stmts []*tree.Node
	if m, ok := v.Member("statement"); ok || unknownIn(d.unknown, "statement") {
		if unknownIn(d.unknown, "statement") {
			stmts = append(stmts, unknownNode(KnownAfterApply, rangeOr(m.Value, whole)))
		} else {
			unk := d.unknown.Get("statement")
			for i, s := range elems(m.Value) {
				stmts = append(stmts, p.planStatement(s, elemAt(unk, i)))
			}
		}
	}
	mg.merge(own, stmts)
	for _, ov := range p.docList(v, d.unknown, "override_policy_documents", "override_json") {
		mg.override(ov)
	}
	return mg.document(own, whole)
}

// embedded parses a JSON document embedded in a string of the plan.
func (p *planParser) embedded(s *tree.Node) *tree.Node {
	start, end := s.Range.Start.Byte, s.Range.End.Byte
	n, diags := srcjson.ParseEmbedded(p.loc, p.src[start:end], start)
	p.diags = append(p.diags, diags...)
	return n
}

// docList returns the documents of the source or override arguments of a
// planned policy document: parsed when known, unknown nodes otherwise.
func (p *planParser) docList(v, unknown *tree.Node, keys ...string) []*tree.Node {
	var out []*tree.Node
	for _, key := range keys {
		m, ok := v.Member(key)
		if unknownIn(unknown, key) {
			out = append(out, unknownNode(KnownAfterApply, rangeOr(m.Value, v.Range)))
			continue
		}
		if !ok {
			continue
		}
		list := []*tree.Node{m.Value}
		unk := []*tree.Node{nil}
		if m.Value.Kind == tree.Array {
			list = m.Value.Elems
			unk = nil
			for i := range list {
				unk = append(unk, elemAt(unknown.Get(key), i))
			}
		}
		for i, e := range list {
			switch {
			case isTrue(unk[i]) || e.Kind == tree.Null && m.Value.Kind == tree.Array:
				out = append(out, unknownNode(KnownAfterApply, e.Range))
			case e.Kind == tree.String && srcjson.ClassifyEmbedded(e.Str) == srcjson.EmbeddedJSON:
				if n := p.embedded(e); n != nil {
					out = append(out, n)
				}
			}
		}
	}
	return out
}

// planStatement renders one planned statement object; unk is its
// after_unknown.
func (p *planParser) planStatement(s, unk *tree.Node) *tree.Node {
	if s.Kind != tree.Object || isTrue(unk) {
		return unknownNode(KnownAfterApply, s.Range)
	}
	n := &tree.Node{Kind: tree.Object, Range: s.Range}
	for _, sa := range statementAttrs {
		m, ok := s.Member(sa.attr)
		switch {
		case unknownIn(unk, sa.attr):
			rng := rangeOr(m.Value, s.Range)
			n.Members = append(n.Members, tree.Member{Key: sa.key, KeyRange: rangeOr(keyOf(m, ok), rng), Value: unknownNode(KnownAfterApply, rng)})
		case !ok || m.Value.Kind == tree.Null || m.Value.Kind == tree.String && m.Value.Str == "" ||
			m.Value.Kind == tree.Array && len(m.Value.Elems) == 0:
			if sa.attr == "effect" {
				n.Members = append(n.Members, tree.Member{Key: "Effect", KeyRange: s.Range, Value: &tree.Node{Kind: tree.String, Str: "Allow", Range: s.Range}})
			}
		default:
			n.Members = append(n.Members, tree.Member{Key: sa.key, KeyRange: m.KeyRange, Value: planValue(m.Value, unk.Get(sa.attr), m.Value.Range)})
		}
	}
	for _, kind := range []struct{ attr, key string }{{"principals", "Principal"}, {"not_principals", "NotPrincipal"}} {
		if mem, ok := planPrincipals(s, unk, kind.attr, kind.key); ok {
			n.Members = append(n.Members, mem)
		}
	}
	if mem, ok := planConditions(s, unk); ok {
		n.Members = append(n.Members, mem)
	}
	return n
}

// planPrincipals renders the principals (not_principals) blocks of a
// planned statement.
func planPrincipals(s, unk *tree.Node, attr, key string) (tree.Member, bool) {
	m, ok := s.Member(attr)
	if unknownIn(unk, attr) {
		rng := rangeOr(m.Value, s.Range)
		return tree.Member{Key: key, KeyRange: rangeOr(keyOf(m, ok), rng), Value: unknownNode(KnownAfterApply, rng)}, true
	}
	blocks := elems(m.Value)
	if len(blocks) == 0 {
		return tree.Member{}, false
	}
	var ps principalSet
	for i, b := range blocks {
		bu := elemAt(unk.Get(attr), i)
		t, tok := b.Member("type")
		if b.Kind != tree.Object || isTrue(bu) || unknownIn(bu, "type") || !tok || t.Value.Kind != tree.String {
			// A block whose type is not known: an unknown principal type.
			ps.obj.Members = append(ps.obj.Members, tree.Member{Key: "${" + KnownAfterApply + "}", KeyRange: b.Range, Value: unknownNode(KnownAfterApply, b.Range)})
			continue
		}
		ids := b.Get("identifiers")
		if ids == nil {
			continue
		}
		ps.add(t.Value.Str, t.Value.Range, planValue(ids, bu.Get("identifiers"), b.Range))
	}
	return ps.member(key, m.KeyRange, m.Value.Range), true
}

// planConditions renders the condition blocks of a planned statement.
func planConditions(s, unk *tree.Node) (tree.Member, bool) {
	m, ok := s.Member("condition")
	if unknownIn(unk, "condition") {
		rng := rangeOr(m.Value, s.Range)
		return tree.Member{Key: "Condition", KeyRange: rangeOr(keyOf(m, ok), rng), Value: unknownNode(KnownAfterApply, rng)}, true
	}
	blocks := elems(m.Value)
	if len(blocks) == 0 {
		return tree.Member{}, false
	}
	var cs conditionSet
	for i, b := range blocks {
		bu := elemAt(unk.Get("condition"), i)
		t, tok := b.Member("test")
		va, vok := b.Member("variable")
		vals := b.Get("values")
		if b.Kind != tree.Object || isTrue(bu) || unknownIn(bu, "test") || unknownIn(bu, "variable") ||
			!tok || !vok || t.Value.Kind != tree.String || va.Value.Kind != tree.String {
			// A block whose operator or key is not known.
			cs.cond.Members = append(cs.cond.Members, tree.Member{Key: "${" + KnownAfterApply + "}", KeyRange: b.Range, Value: unknownNode(KnownAfterApply, b.Range)})
			continue
		}
		if vals == nil && !unknownIn(bu, "values") {
			continue
		}
		cs.add(t.Value.Str, t.Value.Range, b.Range, va.Value.Str, va.Value.Range, planValue(vals, bu.Get("values"), b.Range))
	}
	return cs.member(m.KeyRange, m.Value.Range), true
}

// planValue returns a planned value with the parts that after_unknown (unk)
// marks, or that the plan left out of a list (null), unknown; def is the
// range of an unknown value the plan leaves out.
func planValue(v, unk *tree.Node, def model.Range) *tree.Node {
	if v == nil || isTrue(unk) {
		return unknownNode(KnownAfterApply, rangeOr(v, def))
	}
	if v.Kind != tree.Array {
		return v
	}
	out := &tree.Node{Kind: tree.Array, Range: v.Range, Elems: make([]*tree.Node, len(v.Elems))}
	for i, e := range v.Elems {
		if e.Kind == tree.Null || isTrue(elemAt(unk, i)) {
			e = unknownNode(KnownAfterApply, e.Range)
		}
		out.Elems[i] = e
	}
	return out
}

// isTrue reports whether an after_unknown node is true.
func isTrue(n *tree.Node) bool { return n != nil && n.Kind == tree.Bool && n.Bool }

// elems returns the elements of an array node, or nil.
func elems(n *tree.Node) []*tree.Node {
	if n == nil || n.Kind != tree.Array {
		return nil
	}
	return n.Elems
}

// elemAt returns element i of an array node, or nil.
func elemAt(n *tree.Node, i int) *tree.Node {
	if n == nil || n.Kind != tree.Array || i >= len(n.Elems) {
		return nil
	}
	return n.Elems[i]
}

// rangeOr returns the range of n, or def when n is nil.
func rangeOr(n *tree.Node, def model.Range) model.Range {
	if n == nil {
		return def
	}
	return n.Range
}

// keyOf returns a node spanning the key of member m, or nil when there is
// no member.
func keyOf(m tree.Member, ok bool) *tree.Node {
	if !ok {
		return nil
	}
	return &tree.Node{Range: m.KeyRange}
}
