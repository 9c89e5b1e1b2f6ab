package cloudformation

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/normalize"
	"github.com/trustlint/trustlint/parser/tree"
)

// roleProps are the properties of an AWS::IAM::Role that make its rule
// input; functionProps those of an AWS::Serverless::Function that decide
// its role.
var (
	roleProps     = []string{"AssumeRolePolicyDocument", "MaxSessionDuration", "RoleName", "Path"}
	functionProps = []string{"AssumeRolePolicyDocument", "Role"}
)

// ownAccountText is how messages write the own account of a stack.
const ownAccountText = "${AWS::AccountId}"

// embeddedPrefix starts the messages about policy documents written as
// strings.
const embeddedPrefix = "embedded policy document: "

// roles emits the roles of the template, in the order of its resources.
func (p *fileParser) roles() {
	p.conds = newConditions(p.tp)
	for _, r := range p.tp.resources {
		switch r.typ {
		case typeRole:
			p.resourceRoles(r, roleProps)
		case typeFunction:
			p.resourceRoles(r, functionProps)
		}
	}
}

// resourceRoles emits the variants of the role that resource r declares.
func (p *fileParser) resourceRoles(r *resource, props []string) {
	if r.body == nil || r.body.Kind != tree.Object {
		return
	}
	name := r.id
	var names []string
	propsNode := r.body.Get("Properties")
	names = propIfs(propsNode, props, names, 0)
	resCond := ""
	if c := r.body.Get("Condition"); c != nil && c.Kind == tree.String {
		resCond = c.Str
	}
	vs, truncated := p.conds.variants(names, resCond)
	if truncated {
		p.diags = append(p.diags, model.Diagnostic{Range: r.rng, Level: model.DiagNote, Message: fmt.Sprintf(
			"role %s: its Fn::If conditions combine in more than %d ways; %d combinations are analyzed", r.id, MaxVariants, len(vs))})
	}
	for _, v := range vs {
		p.role(r, name, v)
	}
}

// propIfs appends the conditions that the Fn::Ifs of properties props of
// the Properties node n name.
func propIfs(n *tree.Node, props, names []string, depth int) []string {
	if n == nil || depth > MaxDepth {
		return names
	}
	if fn, arg, ok := intrinsicOf(n); ok && fn == "Fn::If" {
		if arg.Kind == tree.Array && arg.Len() == 3 {
			if arg.Elems[0].Kind == tree.String {
				names = addName(names, arg.Elems[0].Str)
			}
			names = propIfs(arg.Elems[1], props, names, depth+1)
			names = propIfs(arg.Elems[2], props, names, depth+1)
		}
		return names
	}
	for _, k := range props {
		names = ifNames(n.Get(k), names, 0)
	}
	return names
}

// cdkPath returns the CDK construct path of resource r (its Metadata
// "aws:cdk:path"), or "" when the template does not write one as a string.
// It is context for the reader: CDK roles are named by their logical ID.
func cdkPath(r *resource) string {
	if p := r.body.Get("Metadata").Get("aws:cdk:path"); p != nil && p.Kind == tree.String {
		return p.Str
	}
	return ""
}

// role builds and emits one variant of the role of resource r.
func (p *fileParser) role(r *resource, name string, v variant) {
	res := newResolver(p.tp, v)
	role := normalize.NewRole(name, model.FormatCloudFormation, p.path, r.rng)
	role.OwnAccount, role.OwnAccountText = model.OwnAccountToken, ownAccountText
	role.Context = cdkPath(r)
	sm := role.Source
	props, ok := res.choose(r.body.Get("Properties"))
	if !ok || (props != nil && props.Kind == tree.Null) {
		props = nil
	}
	_, _, isFn := intrinsicOf(props)
	if props != nil && (isFn || props.Kind != tree.Object) {
		if !isFn && props.Kind != tree.Unknown {
			p.diag(props.Range, fmt.Sprintf("Properties of %s is not an object", r.id))
			return
		}
		if r.typ == typeFunction {
			return // its document is unknown
		}
		// Properties that cannot be resolved: the document is unknown.
		role.HasPolicy = true
		role.Policy = p.norm.Policy(unknownAsWritten(props).n, model.PolicyPath, sm)
		p.emit(role)
		return
	}
	if r.typ == typeFunction {
		if props == nil {
			return
		}
		if m, ok := props.Member("Role"); ok {
			if _, present := res.choose(m.Value); present {
				return // SAM creates no role: the function uses this one
			}
		}
		if _, ok := props.Member("AssumeRolePolicyDocument"); !ok {
			return // SAM's default role trusts lambda.amazonaws.com only
		}
	}
	if props != nil {
		if v := p.attribute(res, props, "RoleName"); v != nil && v.Kind == tree.String {
			normalize.SetRoleName(role, v.Str, v.Range)
		}
		if v := p.attribute(res, props, "Path"); v != nil && v.Kind == tree.String {
			normalize.SetPath(role, v.Str, v.Range)
		}
		if r.typ == typeRole {
			p.maxSessionDuration(res, props, role)
		}
		if m, ok := props.Member("AssumeRolePolicyDocument"); !ok && r.typ == typeRole && p.tp.macro != nil {
			p.macroDocument(role, props.Range)
		} else if ok {
			doc, present, ok := p.document(res, m.Value)
			if !ok {
				return // the diagnostic stands for the role
			}
			if present {
				role.HasPolicy = true
				norm := p.norm
				if doc.Kind == tree.Object {
					// One node for every number: normalize reads each
					// as soon as it is made, and a node per number was
					// 90 MB of garbage in a dense 1 MB template.
					var text tree.Node
					norm.Number = func(n *tree.Node) *tree.Node {
						numberAsText(n, &text)
						return &text
					}
				}
				role.Policy = norm.Policy(doc, model.PolicyPath, sm)
			}
		}
	}
	if props == nil && r.typ == typeRole && p.tp.macro != nil {
		p.macroDocument(role, r.rng)
	}
	p.emit(role)
}

// macroDocument gives role, which has no AssumeRolePolicyDocument in a
// template that a macro transforms, the unknown document the macro may
// write: a missing document is then no finding.
func (p *fileParser) macroDocument(role *model.Role, at model.Range) {
	role.HasPolicy = true
	doc := &tree.Node{Kind: tree.Unknown, Str: "Transform " + render(p.tp.macro), Range: at}
	role.Policy = p.norm.Policy(doc, model.PolicyPath, role.Source)
}

// attribute resolves property key of props; nil when absent.
func (p *fileParser) attribute(res *resolver, props *tree.Node, key string) *tree.Node {
	n := props.Get(key)
	if n == nil {
		return nil
	}
	v := res.resolve(n)
	if v.noValue {
		return nil
	}
	return v.n
}

// maxSessionDuration sets the role's MaxSessionDuration: the value as
// written (a number or a string), or an unknown. Its source range runs from
// the key to the end of the value.
func (p *fileParser) maxSessionDuration(res *resolver, props *tree.Node, role *model.Role) {
	m, ok := props.Member("MaxSessionDuration")
	if !ok {
		return
	}
	v := res.resolve(m.Value)
	if v.noValue || v.n == nil || v.n.Kind == tree.Null {
		return
	}
	p.norm.SetMaxSessionDuration(role, v.n, model.Range{File: p.path, Start: m.KeyRange.Start, End: m.Value.Range.End}, m.KeyRange)
}

// document resolves an AssumeRolePolicyDocument value n. present is false
// when the property amounts to nothing (AWS::NoValue, null); ok is false
// when the document is a string that cannot be parsed (a diagnostic says
// why).
func (p *fileParser) document(res *resolver, n *tree.Node) (doc *tree.Node, present, ok bool) {
	n, present = res.choose(n)
	if !present || n == nil || n.Kind == tree.Null {
		return nil, false, true
	}
	if n.Kind == tree.String {
		if srcjson.ClassifyEmbedded(n.Str) == srcjson.EmbeddedNone {
			return n, true, true
		}
		b, offs, exact := p.tp.stringText(n)
		t := &text{b: b, offs: offs[:len(b)], end: offs[len(b)], fuzzy: !exact}
		return p.embedded(t, n)
	}
	fn, arg, isFn := intrinsicOf(n)
	if isFn && fn == "Fn::ToJsonString" && arg.Kind == tree.Object {
		// AWS::LanguageExtensions: the document written as an object.
		return p.document(res, arg)
	}
	if isFn && (fn == "Fn::Sub" || fn == "Fn::Join") {
		if t, ok := res.text(n, true); ok {
			if srcjson.ClassifyEmbedded(t.b) != srcjson.EmbeddedNone {
				return p.embedded(t, n)
			}
			return withPieces(t).result(n.Range).n, true, true
		}
	}
	v := res.resolve(n)
	switch {
	case v.noValue || v.n == nil || v.n.Kind == tree.Null:
		return nil, false, true
	case v.n.Kind == tree.String && srcjson.ClassifyEmbedded(v.n.Str) != srcjson.EmbeddedNone:
		t := &text{fuzzy: true}
		t.add(v.n.Str, n.Range.Start.Byte)
		t.end = n.Range.End.Byte
		return p.embedded(t, n)
	}
	return v.n, true, true
}

// withPieces returns t with its placeholders replaced by the text of the
// unknown pieces.
func withPieces(t *text) *text {
	if !t.sentinels || len(t.pieces) == 0 {
		return t
	}
	return &text{b: []byte(replacePlaceholders(string(t.b), t.pieces)), pieces: t.pieces}
}

// replacePlaceholders replaces the placeholders of unknown pieces in s by
// their text.
func replacePlaceholders(s string, pieces []string) string {
	if !strings.Contains(s, sentinelOpen) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, sentinelOpen)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.Index(s[i:], sentinelClose)
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		j += i
		b.WriteString(s[:i])
		k, err := strconv.Atoi(s[i+len(sentinelOpen) : j])
		if err != nil || k < 0 || k >= len(pieces) {
			b.WriteString(s[i : j+len(sentinelClose)])
		} else {
			b.WriteString(pieces[k])
		}
		s = s[j+len(sentinelClose):]
	}
}

// embedded parses the policy document held by text t, the value of n.
func (p *fileParser) embedded(t *text, n *tree.Node) (*tree.Node, bool, bool) {
	b, offs := t.b, t.table()
	if srcjson.ClassifyEmbedded(b) == srcjson.EmbeddedURLEncoded {
		var err error
		if b, offs, err = srcjson.PercentDecode(b, offs); err != nil {
			if len(t.pieces) > 0 {
				return withPieces(t).result(n.Range).n, true, true
			}
			var de *srcjson.DecodeError
			off := n.Range.Start.Byte
			if errors.As(err, &de) {
				off = de.Offset
			}
			p.diag(p.loc.Range(off, min(off+1, len(p.src))), embeddedPrefix+err.Error())
			return nil, false, false
		}
	}
	doc, diags := srcjson.ParseMapped(p.loc, b, offs)
	if doc == nil && len(t.pieces) > 0 {
		// An unknown piece outside a JSON string ("Principal": ${P}) makes
		// the text no JSON until it is known.
		return withPieces(t).result(n.Range).n, true, true
	}
	for _, d := range diags {
		d.Message = embeddedPrefix + d.Message
		if t.sentinels {
			d.Message = replacePlaceholders(d.Message, t.pieces)
		}
		p.diags = append(p.diags, d)
	}
	if doc == nil {
		return nil, false, false
	}
	if t.sentinels && len(t.pieces) > 0 {
		markUnknown(doc, t.pieces)
	}
	if t.fuzzy {
		// Positions inside the text are not exact: every value points at
		// the whole string (or intrinsic function) instead.
		doc = relocate(doc, n.Range)
	}
	return doc, true, true
}

// markUnknown turns the strings of doc that hold placeholders of unknown
// pieces into unknown values whose text is the template, and writes the
// text of the pieces into keys.
func markUnknown(n *tree.Node, pieces []string) {
	switch n.Kind {
	case tree.String:
		if strings.Contains(n.Str, sentinelOpen) {
			n.Kind, n.Str = tree.Unknown, truncate(replacePlaceholders(n.Str, pieces))
		}
	case tree.Object:
		for i := range n.Members {
			m := &n.Members[i]
			m.Key = replacePlaceholders(m.Key, pieces)
			markUnknown(m.Value, pieces)
		}
	case tree.Array:
		// A packed list holds plain scalars of the YAML text, never a
		// placeholder.
		for _, e := range n.Elems {
			markUnknown(e, pieces)
		}
	}
}

// numberAsText sets *c to number n as the string of its text, as
// CloudFormation reads the scalars of a policy document: an unquoted
// account number 204518736390 is "204518736390", never a float (printed
// 2.0451873639e+11). n is not changed. Normalize calls it on each number as
// it reads the document (a copy of the whole tree first doubled the memory
// of a dense template).
func numberAsText(n, c *tree.Node) {
	*c = *n
	c.Kind, c.Num = tree.String, 0
	if !isDecimal(n.Str) && n.Num == math.Trunc(n.Num) && math.Abs(n.Num) < 1e21 {
		c.Str = strconv.FormatFloat(n.Num, 'f', -1, 64) // 0x1F, 1_000
	}
}

// isDecimal reports whether s is written as a decimal integer: its text is
// then the string (an account ID keeps its leading zeros).
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
