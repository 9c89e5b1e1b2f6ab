package cloudformation

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/tree"
)

// maxSteps bounds the work of resolving the values of one role variant.
const maxSteps = 1 << 20

// Resource types the parser reads.
const (
	typeRole         = "AWS::IAM::Role"
	typeFunction     = "AWS::Serverless::Function"
	typeOIDCProvider = "AWS::IAM::OIDCProvider"
	typeSAMLProvider = "AWS::IAM::SAMLProvider"
	// typeCDKOIDCProvider is the custom resource that the CDK's
	// iam.OpenIdConnectProvider (and eks.Cluster's provider) synthesizes:
	// its Ref is the provider's ARN and its Url property names it, as for
	// AWS::IAM::OIDCProvider.
	typeCDKOIDCProvider = "Custom::AWSCDKOpenIdConnectProvider"
)

// isProvider reports whether resources of type typ are identity providers
// whose Ref (and GetAtt .Arn) resolves to their ARN (providerARN).
func isProvider(typ string) bool {
	return typ == typeOIDCProvider || typ == typeSAMLProvider || typ == typeCDKOIDCProvider
}

// result is a resolved value.
type result struct {
	// n is the value; nil when noValue is set.
	n *tree.Node
	// noValue is set for AWS::NoValue: the element or member is removed.
	noValue bool
	// piece is, for an unknown n, the text that stands for it inside a
	// template: a template itself ("arn:aws:iam::${Partner}:root"), or the
	// expression in ${...} ("${Partner}", "${!ImportValue shared}").
	piece string
}

// resolver resolves the intrinsic functions of one template under one
// assignment of its conditions.
type resolver struct {
	t *template
	// asg gives the value of the conditions that Fn::If may name; a
	// condition it does not give makes the Fn::If unknown.
	asg map[string]bool
	// binds overrides the Default of parameters under asg.
	binds map[string]binding
	// condMode makes every Ref and Fn::GetAtt unknown: the operands of
	// Fn::Equals in Conditions, where parameters are free.
	condMode bool
	active   map[string]bool // providers being resolved
	cyclic   bool            // a provider was met while being resolved
	steps    int
	depth    int
}

func newResolver(t *template, v variant) *resolver {
	return &resolver{t: t, asg: v.asg, binds: v.binds}
}

// known returns a resolved value.
func known(n *tree.Node) result { return result{n: n} }

// unknownAsWritten returns the unknown value of intrinsic n, as written.
func unknownAsWritten(n *tree.Node) result {
	text := render(n)
	return result{n: &tree.Node{Kind: tree.Unknown, Str: text, Range: n.Range}, piece: "${" + text + "}"}
}

// unknownRef returns the unknown value of a reference written as
// ${expr} in a template and as text on its own.
func unknownRef(text, expr string, at model.Range) result {
	return result{n: &tree.Node{Kind: tree.Unknown, Str: text, Range: at}, piece: "${" + expr + "}"}
}

// unknownTemplate returns an unknown value whose text is a template.
func unknownTemplate(tmpl string, at model.Range) result {
	return result{n: &tree.Node{Kind: tree.Unknown, Str: tmpl, Range: at}, piece: tmpl}
}

// str returns a string value at range at.
func str(s string, at model.Range) result {
	return known(&tree.Node{Kind: tree.String, Str: s, Range: at})
}

// resolve resolves the intrinsic functions in n. Values that hold none are
// returned as they are.
func (r *resolver) resolve(n *tree.Node) result {
	if n == nil {
		return known(nil)
	}
	r.steps++
	if r.steps > maxSteps || r.depth > 2*MaxDepth {
		return unknownAsWritten(n)
	}
	r.depth++
	defer func() { r.depth-- }()
	switch n.Kind {
	case tree.Object:
		if fn, arg, ok := intrinsicOf(n); ok && fn != "Condition" {
			return r.intrinsic(n, fn, arg)
		}
		var out *tree.Node
		for i, m := range n.Members {
			v := r.resolve(m.Value)
			if out == nil && !v.noValue && v.n == m.Value {
				continue
			}
			if out == nil {
				out = &tree.Node{Kind: tree.Object, Range: n.Range, Members: make([]tree.Member, i, len(n.Members))}
				copy(out.Members, n.Members[:i])
			}
			if !v.noValue {
				out.Members = append(out.Members, tree.Member{Key: m.Key, KeyRange: m.KeyRange, Value: v.n})
			}
		}
		if out != nil {
			return known(out)
		}
	case tree.Array:
		if n.Packed != nil {
			return known(n) // scalars only: nothing to resolve
		}
		var out *tree.Node
		for i, e := range n.Elems {
			v := r.resolve(e)
			if out == nil && !v.noValue && v.n == e {
				continue
			}
			if out == nil {
				out = &tree.Node{Kind: tree.Array, Range: n.Range, Elems: make([]*tree.Node, i, n.Len())}
				copy(out.Elems, n.Elems[:i])
			}
			if !v.noValue {
				out.Elems = append(out.Elems, v.n)
			}
		}
		if out != nil {
			return known(out)
		}
	case tree.Unknown:
		return result{n: n, piece: "${" + n.Str + "}"}
	}
	return known(n)
}

// intrinsic resolves the call n of function fn with argument arg.
func (r *resolver) intrinsic(n *tree.Node, fn string, arg *tree.Node) result {
	switch fn {
	case "Ref":
		if arg.Kind == tree.String {
			return r.ref(arg.Str, n.Range)
		}
	case "Fn::GetAtt":
		if id, attr, ok := getAttArgs(arg); ok {
			return r.getAtt(id, attr, n.Range)
		}
	case "Fn::Sub", "Fn::Join":
		t, ok := r.text(n, false)
		if ok {
			return t.result(n.Range)
		}
	case "Fn::If":
		return r.fnIf(n, arg, r.resolve)
	case "Fn::Select":
		return r.selectFn(n, arg)
	case "Fn::Split":
		return r.split(n, arg)
	case "Fn::FindInMap":
		return r.findInMap(n, arg)
	case "Fn::Base64":
		if v := r.resolve(arg); !v.noValue && v.n != nil && v.n.Kind == tree.String {
			return str(base64.StdEncoding.EncodeToString([]byte(v.n.Str)), n.Range)
		}
	}
	return unknownAsWritten(n)
}

// fnIf resolves Fn::If [condition, then, else] with the branch the
// assignment selects, through next (resolve, or a variant of it).
func (r *resolver) fnIf(n, arg *tree.Node, next func(*tree.Node) result) result {
	if arg.Kind != tree.Array || arg.Len() != 3 || arg.Elems[0].Kind != tree.String {
		return unknownAsWritten(n)
	}
	v, ok := r.asg[arg.Elems[0].Str]
	if !ok {
		return unknownAsWritten(n)
	}
	if v {
		return next(arg.Elems[1])
	}
	return next(arg.Elems[2])
}

// choose follows the Fn::If that n may be (and the Fn::If its branch may
// be) to the value the assignment selects, without resolving it further.
// ok is false when n is AWS::NoValue; an Fn::If without an assignment is
// returned as it is.
func (r *resolver) choose(n *tree.Node) (*tree.Node, bool) {
	for range MaxDepth {
		fn, arg, isFn := intrinsicOf(n)
		switch {
		case !isFn:
			return n, true
		case fn == "Ref" && arg.Kind == tree.String && arg.Str == "AWS::NoValue":
			return nil, false
		case fn != "Fn::If" || arg.Kind != tree.Array || arg.Len() != 3 || arg.Elems[0].Kind != tree.String:
			return n, true
		}
		v, ok := r.asg[arg.Elems[0].Str]
		if !ok {
			return n, true
		}
		if v {
			n = arg.Elems[1]
		} else {
			n = arg.Elems[2]
		}
	}
	return n, true
}

// getAttArgs reads the arguments of Fn::GetAtt: [id, attr] or "id.attr".
func getAttArgs(arg *tree.Node) (id, attr string, ok bool) {
	switch arg.Kind {
	case tree.String:
		id, attr, ok = strings.Cut(arg.Str, ".")
		return id, attr, ok && id != "" && attr != ""
	case tree.Array:
		if arg.Len() == 2 && arg.Elems[0].Kind == tree.String && arg.Elems[1].Kind == tree.String {
			return arg.Elems[0].Str, arg.Elems[1].Str, true
		}
	}
	return "", "", false
}

// ref resolves Ref name (also ${name} in Fn::Sub) at range at.
func (r *resolver) ref(name string, at model.Range) result {
	text := "!Ref " + name
	switch name {
	case "AWS::NoValue":
		return result{noValue: true}
	case "AWS::AccountId":
		if !r.condMode {
			return str(model.OwnAccountToken, at)
		}
	case "AWS::Partition":
		if !r.condMode {
			return str("aws", at)
		}
	case "AWS::URLSuffix":
		if !r.condMode {
			return str("amazonaws.com", at) // the suffix of the aws partition, as above
		}
	}
	if r.condMode || strings.HasPrefix(name, "AWS::") {
		return unknownRef(text, name, at)
	}
	if p, ok := r.t.params[name]; ok {
		return r.param(p, name, at)
	}
	if res, ok := r.t.byID[name]; ok && isProvider(res.typ) {
		return r.providerARN(res, at)
	}
	return unknownRef(text, name, at)
}

// param resolves a reference to parameter p.
func (r *resolver) param(p *param, name string, at model.Range) result {
	if b, ok := r.binds[name]; ok {
		if b.known {
			return str(b.lit, at)
		}
		return unknownRef("!Ref "+name, name, at)
	}
	if p.def == nil || strings.HasPrefix(p.typ, "AWS::SSM::Parameter::Value<") {
		return unknownRef("!Ref "+name, name, at)
	}
	v := r.resolve(p.def)
	if v.noValue || v.n == nil || v.n.Kind == tree.Unknown {
		return unknownRef("!Ref "+name, name, at)
	}
	n := relocate(v.n, at)
	if n.Kind == tree.Number || n.Kind == tree.Bool {
		s := n.Str
		if n.Kind == tree.Bool {
			s = strconv.FormatBool(n.Bool)
		}
		if n.Kind == tree.Bool || p.typ != "Number" {
			// A parameter value is a string, except that a Number
			// parameter reads as a number where one is expected.
			n = &tree.Node{Kind: tree.String, Str: s, Range: at}
		}
	}
	if (p.typ == "CommaDelimitedList" || strings.HasPrefix(p.typ, "List<")) && n.Kind == tree.String {
		parts := strings.Split(n.Str, ",")
		list := &tree.Node{Kind: tree.Array, Range: at, Elems: make([]*tree.Node, len(parts))}
		for i, s := range parts {
			list.Elems[i] = &tree.Node{Kind: tree.String, Str: strings.TrimSpace(s), Range: at}
		}
		return known(list)
	}
	return known(n)
}

// getAtt resolves Fn::GetAtt id.attr (also ${id.attr} in Fn::Sub).
func (r *resolver) getAtt(id, attr string, at model.Range) result {
	expr := id + "." + attr
	if !r.condMode && attr == "Arn" {
		if res, ok := r.t.byID[id]; ok && isProvider(res.typ) {
			return r.providerARN(res, at)
		}
	}
	return unknownRef("!GetAtt "+expr, expr, at)
}

// providerARN returns the ARN of the identity provider res, at range at.
func (r *resolver) providerARN(res *resource, at model.Range) result {
	kind, prop := "oidc-provider", "Url"
	if res.typ == typeSAMLProvider {
		kind, prop = "saml-provider", "Name"
	}
	prefix := "arn:aws:iam::" + model.OwnAccountToken + ":" + kind + "/"
	fallback := unknownTemplate(prefix+"${"+res.id+"."+prop+"}", at)
	if r.active[res.id] {
		r.cyclic = true // a provider whose Url names itself
		return fallback
	}
	if res.body == nil {
		return fallback
	}
	if r.active == nil {
		r.active = map[string]bool{}
	}
	r.active[res.id] = true
	defer delete(r.active, res.id)
	props, ok := r.choose(res.body.Get("Properties"))
	if !ok || props == nil || props.Kind != tree.Object {
		return fallback
	}
	outer := r.cyclic
	r.cyclic = false
	v := r.resolve(props.Get(prop))
	cyclic := r.cyclic
	r.cyclic = outer || cyclic
	if cyclic || v.noValue || v.n == nil {
		return fallback
	}
	switch v.n.Kind {
	case tree.String:
		name := v.n.Str
		if prop == "Url" {
			name = stripHTTPS(name)
		}
		return str(prefix+name, at)
	case tree.Unknown:
		// A partly known Url such as https://oidc.eks.${AWS::Region}...
		// keeps its known parts.
		if prop == "Url" && strings.Contains(v.piece, "${") && hasHTTPS(v.piece) && v.piece == v.n.Str {
			return unknownTemplate(prefix+stripHTTPS(v.piece), at)
		}
	}
	return fallback
}

func hasHTTPS(s string) bool { return len(s) >= 8 && strings.EqualFold(s[:8], "https://") }

func stripHTTPS(s string) string {
	if hasHTTPS(s) {
		return s[8:]
	}
	return s
}

// selectFn resolves Fn::Select [index, list].
func (r *resolver) selectFn(n, arg *tree.Node) result {
	if arg.Kind != tree.Array || arg.Len() != 2 {
		return unknownAsWritten(n)
	}
	idx := r.resolve(arg.Elems[0])
	list := r.resolve(arg.Elems[1])
	if idx.noValue || list.noValue || idx.n == nil || list.n == nil || list.n.Kind != tree.Array {
		return unknownAsWritten(n)
	}
	i := -1
	switch idx.n.Kind {
	case tree.Number:
		if idx.n.Num == float64(int(idx.n.Num)) {
			i = int(idx.n.Num)
		}
	case tree.String:
		if v, err := strconv.Atoi(idx.n.Str); err == nil {
			i = v
		}
	}
	if i < 0 || i >= list.n.Len() {
		return unknownAsWritten(n)
	}
	e := list.n.Elements()[i]
	if e.Kind == tree.Unknown {
		return result{n: e, piece: "${" + render(n) + "}"}
	}
	return known(e)
}

// split resolves Fn::Split [delimiter, string].
func (r *resolver) split(n, arg *tree.Node) result {
	if arg.Kind != tree.Array || arg.Len() != 2 {
		return unknownAsWritten(n)
	}
	d := r.resolve(arg.Elems[0])
	s := r.resolve(arg.Elems[1])
	if d.noValue || s.noValue || d.n == nil || s.n == nil || d.n.Kind != tree.String || s.n.Kind != tree.String || d.n.Str == "" {
		return unknownAsWritten(n)
	}
	parts := strings.Split(s.n.Str, d.n.Str)
	list := &tree.Node{Kind: tree.Array, Range: n.Range, Elems: make([]*tree.Node, len(parts))}
	for i, p := range parts {
		list.Elems[i] = &tree.Node{Kind: tree.String, Str: p, Range: n.Range}
	}
	return known(list)
}

// findInMap resolves Fn::FindInMap [map, top-level key, second-level key]
// and its AWS::LanguageExtensions form with a fourth {DefaultValue: v}.
func (r *resolver) findInMap(n, arg *tree.Node) result {
	if arg.Kind != tree.Array || (arg.Len() != 3 && arg.Len() != 4) {
		return unknownAsWritten(n)
	}
	v := r.t.mappings
	for _, k := range arg.Elems[:3] {
		key, ok := r.keyString(k)
		if !ok {
			return unknownAsWritten(n)
		}
		v = v.Get(key)
		if v == nil {
			break
		}
	}
	if v == nil && arg.Len() == 4 {
		if opts := arg.Elems[3]; opts.Kind == tree.Object {
			v = opts.Get("DefaultValue")
		}
	}
	if v == nil {
		return unknownAsWritten(n)
	}
	res := r.resolve(v)
	if res.noValue || res.n == nil || res.n.Kind == tree.Unknown {
		return unknownAsWritten(n)
	}
	return known(relocate(res.n, n.Range))
}

// keyString resolves n to a string usable as a key.
func (r *resolver) keyString(n *tree.Node) (string, bool) {
	v := r.resolve(n)
	if v.noValue || v.n == nil {
		return "", false
	}
	switch v.n.Kind {
	case tree.String, tree.Number:
		return v.n.Str, true
	case tree.Bool:
		return strconv.FormatBool(v.n.Bool), true
	}
	return "", false
}

// relocate returns a copy of n in which every value and key has range at:
// a value produced by an intrinsic function points at the function.
func relocate(n *tree.Node, at model.Range) *tree.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Range = at
	if len(n.Members) > 0 {
		c.Members = make([]tree.Member, len(n.Members))
		for i, m := range n.Members {
			c.Members[i] = tree.Member{Key: m.Key, KeyRange: at, Value: relocate(m.Value, at)}
		}
	}
	if n.Len() > 0 {
		elems := n.Elements()
		c.Elems, c.Packed = make([]*tree.Node, len(elems)), nil
		for i, e := range elems {
			c.Elems[i] = relocate(e, at)
		}
	}
	return &c
}
