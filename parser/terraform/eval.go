package terraform

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/trustlint/trustlint/model"
)

// Evaluation follows the rule of the catalog for unknown values: what cannot
// be resolved statically is unknown, never guessed and never an error. The
// evaluation context holds
//
//   - var: each variable's last tfvars value, else its default, else unknown;
//   - local: local values, evaluated when an expression first needs them;
//   - data.aws_caller_identity.<name>.account_id (and .id): the own-account
//     token model.OwnAccountToken;
//   - data.aws_partition.<name>: the aws partition (partition "aws",
//     dns_suffix "amazonaws.com"), as the CloudFormation parser reads
//     AWS::Partition and AWS::URLSuffix;
//   - aws_iam_openid_connect_provider.<name> and aws_iam_saml_provider.<name>
//     of the module: their arn (in the own account), url and name;
//   - path.module and path.root: "." (file() reads relative to the module);
//   - count.index, each.key and each.value: the instance being evaluated
//     (instance.go), unknown outside one;
//   - self, module, terraform, other resources and data sources: unknown.
//
// Any evaluation error (an unknown function, an undeclared reference, a type
// error) makes the value unknown. Errors of file() and templatefile() that
// concern the scanned tree (a path that leaves it, a missing file) are
// reported as diagnostics.

// maxDepth bounds the recursion of evaluation and conversion: references
// followed, nested expressions walked.
const maxDepth = 128

// Root names of the identity provider resources whose ARNs the module
// resolves.
const (
	oidcRoot = "aws_iam_openid_connect_provider"
	samlRoot = "aws_iam_saml_provider"
)

// newContext builds the module's evaluation context. Local values and
// identity providers are added when first needed (prepare).
func (m *module) newContext() {
	vars := make(map[string]cty.Value, len(m.variables))
	plain := &hcl.EvalContext{Functions: m.functions(false)}
	for name, v := range m.variables {
		v.val = cty.DynamicVal
		if in, ok := m.inputs[name]; ok {
			v.val, v.input, v.expr = in, true, nil
		} else if v.expr != nil {
			val, diags := v.expr.Value(plain)
			if !diags.HasErrors() {
				v.val, _ = val.UnmarkDeep()
			}
		}
		v.val = v.conform(v.val)
		vars[name] = v.val
	}
	data := map[string]cty.Value{}
	withVars := &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(vars)}, Functions: plain.Functions}
	for typ, blocks := range m.data {
		byName := map[string]cty.Value{}
		for name, b := range blocks {
			byName[name] = dataValue(typ, b, withVars)
		}
		data[typ] = cty.ObjectVal(byName)
	}
	for name := range m.locals {
		m.localVals[name] = &lazy{}
	}
	for name := range m.resources[oidcRoot] {
		m.oidcVals[name] = &lazy{}
	}
	for name := range m.resources[samlRoot] {
		m.samlVals[name] = &lazy{}
	}
	for _, b := range m.moduleBlocks {
		m.moduleVals[b.labels[0]] = &lazy{}
	}
	m.pending = len(m.localVals) + len(m.oidcVals) + len(m.samlVals) + len(m.moduleVals)
	unknownStr := cty.UnknownVal(cty.String)
	m.ctx = &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"var":       cty.ObjectVal(vars),
			"data":      cty.ObjectVal(data),
			"path":      cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal("."), "root": cty.StringVal("."), "cwd": unknownStr}),
			"terraform": cty.ObjectVal(map[string]cty.Value{"workspace": unknownStr}),
			"self":      cty.DynamicVal,
		},
		Functions: m.functions(true),
	}
	m.bind(noInstance)
	m.dirty = true
	m.rebuild()
}

// lookedUpProvider is the value of an aws_iam_openid_connect_provider or
// aws_iam_saml_provider data source: the arn it names, or for an OIDC
// provider named by its url, that provider's ARN in the own account (a
// data source reads the account it runs in).
func lookedUpProvider(typ string, b *block, ctx *hcl.EvalContext) cty.Value {
	arg := func(name string) cty.Value {
		a := b.attrs[name]
		if a == nil {
			return cty.UnknownVal(cty.String)
		}
		v, diags := a.expr.Value(ctx)
		if diags.HasErrors() {
			return cty.UnknownVal(cty.String)
		}
		v, _ = v.UnmarkDeep()
		return knownString(v)
	}
	arn, url := arg("arn"), cty.UnknownVal(cty.String)
	if typ == oidcRoot {
		url = arg("url")
		if !arn.IsKnown() && url.IsKnown() {
			host := strings.TrimPrefix(strings.TrimPrefix(url.AsString(), "https://"), "http://")
			url = cty.StringVal(host)
			arn = cty.StringVal(oidcARNPrefix + host)
		}
	}
	return cty.ObjectVal(map[string]cty.Value{"arn": arn, "id": arn, "url": url, "name": cty.UnknownVal(cty.String)})
}

// typeConstraint reads the type argument of a variable block, written as
// an expression or, in JSON syntax, as a string holding one. It returns
// cty.NilType when the type cannot be read.
func typeConstraint(e hclsyntax.Expression) (cty.Type, *typeexpr.Defaults) {
	var expr hcl.Expression = e
	if len(hclsyntax.Variables(e)) == 0 {
		if v, diags := e.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			parsed, diags := hclsyntax.ParseExpression([]byte(v.AsString()), e.Range().Filename, e.Range().Start)
			if diags.HasErrors() {
				return cty.NilType, nil
			}
			expr = parsed
		}
	}
	ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(expr)
	if diags.HasErrors() {
		return cty.NilType, nil
	}
	return ty, defaults
}

// conform converts a variable's value to its type constraint, after
// filling the defaults of optional() attributes, as Terraform does: a map
// of objects written with different attributes becomes a map(object) whose
// absent attributes are null or their default, which the expressions of
// the module rely on. A value that does not convert is kept as it is.
func (v *variable) conform(val cty.Value) cty.Value {
	if v.typ == cty.NilType || !val.IsKnown() {
		return val
	}
	if v.defaults != nil {
		val = v.defaults.Apply(val)
	}
	if c, err := convert.Convert(val, v.typ); err == nil {
		return c
	}
	return val
}

// dataValue is the value of a data source in the evaluation context;
// ctx holds the variables, to read the arguments of a lookup.
func dataValue(typ string, b *block, ctx *hcl.EvalContext) cty.Value {
	if b.attrs["count"] != nil || b.attrs["for_each"] != nil {
		return cty.DynamicVal
	}
	unknownStr := cty.UnknownVal(cty.String)
	switch typ {
	case "aws_caller_identity":
		own := cty.StringVal(model.OwnAccountToken)
		return cty.ObjectVal(map[string]cty.Value{"account_id": own, "id": own, "arn": unknownStr, "user_id": unknownStr})
	case "aws_iam_policy_document":
		return cty.ObjectVal(map[string]cty.Value{"json": unknownStr, "minified_json": unknownStr, "id": unknownStr})
	case oidcRoot, samlRoot:
		// An existing provider looked up by its URL (OIDC) or ARN: roles
		// of many repositories trust the one provider of the account.
		return lookedUpProvider(typ, b, ctx)
	case "aws_partition":
		// The aws partition, as CloudFormation's AWS::Partition and
		// AWS::URLSuffix are read: modules build every principal with
		// arn:${partition}: and service.${dns_suffix}, and rules judge
		// any partition alike.
		return cty.ObjectVal(map[string]cty.Value{
			"partition": cty.StringVal("aws"), "id": cty.StringVal("aws"),
			"dns_suffix": cty.StringVal("amazonaws.com"), "reverse_dns_prefix": cty.StringVal("com.amazonaws"),
		})
	}
	return cty.DynamicVal
}

// rebuild refreshes the lazily computed parts of the context.
func (m *module) rebuild() {
	if !m.dirty {
		return
	}
	m.dirty = false
	m.ctx.Variables["local"] = lazyObject(m.localVals)
	m.ctx.Variables[oidcRoot] = lazyObject(m.oidcVals)
	m.ctx.Variables[samlRoot] = lazyObject(m.samlVals)
	m.ctx.Variables["module"] = lazyObject(m.moduleVals)
}

func lazyObject(vals map[string]*lazy) cty.Value {
	obj := make(map[string]cty.Value, len(vals))
	for name, l := range vals {
		if l.state == lazyDone {
			obj[name] = l.val
		} else {
			obj[name] = cty.DynamicVal
		}
	}
	return cty.ObjectVal(obj)
}

// prepare computes the local values and providers that e refers to.
func (m *module) prepare(e hclsyntax.Expression) {
	if m.pending == 0 {
		return // every lazy value is computed
	}
	for _, t := range hclsyntax.Variables(e) {
		if len(t) < 2 {
			continue
		}
		attr, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		switch t.RootName() {
		case "local":
			m.ensure(m.localVals[attr.Name], func() (v cty.Value) {
				// Local values cannot use count or each.
				m.within(noInstance, func() { v = m.eval(m.locals[attr.Name].expr, nil) })
				return v
			})
		case oidcRoot:
			m.ensure(m.oidcVals[attr.Name], func() cty.Value { return m.oidcValue(m.resources[oidcRoot][attr.Name]) })
		case samlRoot:
			m.ensure(m.samlVals[attr.Name], func() cty.Value { return m.samlValue(m.resources[samlRoot][attr.Name]) })
		case "module":
			m.ensure(m.moduleVals[attr.Name], func() cty.Value { return m.moduleValue(attr.Name) })
		}
	}
	m.rebuild()
}

// ensure computes a lazy value once. A value that depends on itself stays
// unknown.
func (m *module) ensure(l *lazy, compute func() cty.Value) {
	if l == nil || l.state != lazyNew {
		return
	}
	l.state = lazyBusy
	l.val = compute()
	l.state = lazyDone
	m.pending--
	m.dirty = true
}

// scope is where an expression is evaluated: the module (a nil *scope), or
// a template file rendered by templatefile, whose variables are the
// entries of its second argument.
type scope struct {
	ctx *hcl.EvalContext
	// names are the template variables given by an object constructor of
	// the module, so that references can be followed to their definition.
	names map[string]hclsyntax.Expression
}

// eval evaluates e. Any error makes the value unknown; errors of file() and
// templatefile() about the scanned tree become diagnostics. Values in the
// module's scope are computed once. A value over the evaluation budget
// (budget.go) is unknown, with a note.
func (m *module) eval(e hclsyntax.Expression, sc *scope) cty.Value {
	if m.depth > maxDepth {
		return cty.DynamicVal
	}
	ctx := m.ctx
	if sc != nil {
		ctx = sc.ctx
	} else if v, ok := m.evalCache[evalKey{e, m.inst.id}]; ok {
		return v
	}
	if !m.charge() {
		m.exhausted(m.rng(e.Range()))
		return cty.DynamicVal
	}
	m.depth++
	defer func() { m.depth-- }()
	if sc == nil {
		m.prepare(e)
	}
	hits := m.budgetHits
	v, diags := e.Value(ctx)
	noted := m.evalDiags(diags)
	if diags.HasErrors() {
		v = cty.DynamicVal
	}
	v, _ = v.UnmarkDeep()
	switch {
	case m.budgetHits != hits:
		v = cty.DynamicVal
		if !noted && m.steps < maxSteps {
			m.note(m.rng(e.Range()), "value too large: not evaluated ("+errBudget.Error()+")")
		}
	case overSize(v):
		v = cty.DynamicVal
		m.note(m.rng(e.Range()), "value too large: not evaluated ("+errBudget.Error()+")")
	}
	if sc == nil {
		m.evalCache[evalKey{e, m.inst.id}] = v
	}
	return v
}

// exhausted notes, once per module, that the evaluation steps ran out at r.
func (m *module) exhausted(r model.Range) {
	if m.exhaustedNoted {
		return
	}
	m.exhaustedNoted = true
	m.note(r, fmt.Sprintf("more than %d evaluation steps: this and later values of the module are unknown (%s)", maxSteps, errBudget))
}

// evalDiags reports the errors of file() and templatefile() calls, and
// notes calls and arithmetic over the evaluation budget. It tells whether
// it noted any.
func (m *module) evalDiags(diags hcl.Diagnostics) (noted bool) {
	for _, d := range diags {
		if isHugeOp(d) {
			m.note(m.rng(*d.Subject), errHugeNumber.Error())
			noted = true
			continue
		}
		extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
		if !ok || d.Subject == nil {
			continue
		}
		err := extra.FunctionCallError()
		var pe *pathError
		var be *budgetError
		switch {
		case errors.As(err, &pe):
			m.diag(m.rng(*d.Subject), pe.Error())
		case errors.As(err, &be):
			if be.what == stepsExceeded {
				m.exhausted(m.rng(*d.Subject))
			} else {
				m.note(m.rng(*d.Subject), be.Error())
			}
			noted = true
		}
	}
	return noted
}

// oidcValue is the value of an aws_iam_openid_connect_provider: its ARN in
// the own account, named by its URL without the scheme (the url attribute
// also reads without it, as the provider stores it).
func (m *module) oidcValue(b *block) cty.Value {
	return m.providerValue(b, oidcRoot, oidcARNPrefix, "url", m.oidcHost)
}

// providerValue is the value of the identity provider block b of type
// root: arn and id are its ARN in the own account, prefix followed by what
// name reads from b, which attr holds too; all three are unknown when the
// name is. A provider with count is a tuple of its instances' values, one
// with for_each an object of them by key (modules create the provider only
// when asked: count = var.create_provider ? 1 : 0).
func (m *module) providerValue(b *block, root, prefix, attr string, name func(*block) cty.Value) cty.Value {
	if b == nil {
		return cty.DynamicVal
	}
	value := func() cty.Value {
		n := name(b)
		if !n.IsKnown() {
			u := cty.UnknownVal(cty.String)
			return cty.ObjectVal(map[string]cty.Value{"arn": u, "id": u, attr: u})
		}
		arn := cty.StringVal(prefix + n.AsString())
		return cty.ObjectVal(map[string]cty.Value{"arn": arn, "id": arn, attr: n})
	}
	if b.attrs["count"] == nil && b.attrs["for_each"] == nil {
		return value()
	}
	ins := m.instances(b, root+"."+b.labels[1])
	if len(ins) == 1 && ins[0].key == cty.NilVal {
		return cty.DynamicVal // unknown count
	}
	vals := make([]cty.Value, len(ins))
	for i, in := range ins {
		m.within(in, func() { vals[i] = value() })
	}
	if b.attrs["count"] != nil {
		if len(vals) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(vals)
	}
	obj := make(map[string]cty.Value, len(ins))
	for i, in := range ins {
		obj[in.key.AsString()] = vals[i]
	}
	return cty.ObjectVal(obj)
}

const (
	oidcARNPrefix = "arn:aws:iam::" + model.OwnAccountToken + ":oidc-provider/"
	samlARNPrefix = "arn:aws:iam::" + model.OwnAccountToken + ":saml-provider/"
)

// oidcHost is the URL of an OIDC provider block without its scheme, or an
// unknown string.
func (m *module) oidcHost(b *block) cty.Value {
	a := b.attrs["url"]
	if a == nil {
		return cty.UnknownVal(cty.String)
	}
	v := knownString(m.eval(a.expr, nil))
	if !v.IsKnown() {
		return v
	}
	host := strings.TrimPrefix(strings.TrimPrefix(v.AsString(), "https://"), "http://")
	return cty.StringVal(host)
}

// samlValue is the value of an aws_iam_saml_provider: its ARN in the own
// account, named by its name.
func (m *module) samlValue(b *block) cty.Value {
	return m.providerValue(b, samlRoot, samlARNPrefix, "name", m.samlName)
}

func (m *module) samlName(b *block) cty.Value {
	a := b.attrs["name"]
	if a == nil {
		return cty.UnknownVal(cty.String)
	}
	return knownString(m.eval(a.expr, nil))
}

// knownString converts v to a known string, or returns an unknown string.
func knownString(v cty.Value) cty.Value {
	if !v.IsWhollyKnown() || v.IsNull() {
		return cty.UnknownVal(cty.String)
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil || !s.IsKnown() || s.IsNull() {
		return cty.UnknownVal(cty.String)
	}
	return s
}

// piece is a part of a string that is only partly known: a known text, or
// the expression of an unknown part.
type piece struct {
	known bool
	s     string
}

// templateText writes pieces as the text of an unknown value: the
// expression alone when the whole value is one unknown expression,
// otherwise a template with ${expr} for each unknown part.
func templateText(ps []piece) string {
	if len(ps) == 1 && !ps[0].known {
		return ps[0].s
	}
	var b strings.Builder
	for _, p := range ps {
		if p.known {
			b.WriteString(p.s)
		} else {
			b.WriteString("${")
			b.WriteString(p.s)
			b.WriteString("}")
		}
	}
	return b.String()
}

// allKnown reports whether pieces hold no unknown part.
func allKnown(ps []piece) bool {
	for _, p := range ps {
		if !p.known {
			return false
		}
	}
	return true
}

// joinPieces concatenates pieces, merging adjacent known texts.
func joinPieces(dst []piece, src ...piece) []piece {
	for _, p := range src {
		if p.known && p.s == "" {
			continue
		}
		if n := len(dst); n > 0 && p.known && dst[n-1].known {
			dst[n-1].s += p.s
			continue
		}
		dst = append(dst, p)
	}
	return dst
}

// pieces renders the string value of e as known and unknown parts: the
// known parts of a template stay, each unknown part is written as its
// expression. References to local values and variables are followed, so
// that "arn:aws:iam::${local.acct}:root" with local.acct = var.acct reads
// arn:aws:iam::${var.acct}:root; the ARN of an identity provider whose URL
// is unknown reads arn:aws:iam::<own-account>:oidc-provider/${<provider>.url},
// the same template as a condition key "${<provider>.url}:sub".
func (m *module) pieces(e hclsyntax.Expression, sc *scope, depth int) []piece {
	if v := knownString(m.eval(e, sc)); v.IsKnown() {
		return []piece{{known: true, s: v.AsString()}}
	}
	unknown := []piece{{s: m.text(e)}}
	if depth > maxDepth || !m.charge() {
		return unknown
	}
	switch e := e.(type) {
	case *hclsyntax.TemplateExpr:
		var out []piece
		size := 0
		for _, p := range e.Parts {
			ps := m.pieces(p, sc, depth+1)
			for _, pc := range ps {
				size += len(pc.s)
			}
			if size > maxString {
				return unknown
			}
			out = joinPieces(out, ps...)
		}
		if len(out) == 0 {
			return unknown
		}
		return out
	case *hclsyntax.TemplateWrapExpr:
		return m.pieces(e.Wrapped, sc, depth+1)
	case *hclsyntax.ParenthesesExpr:
		return m.pieces(e.Expression, sc, depth+1)
	case *hclsyntax.ScopeTraversalExpr:
		if ps := m.providerPieces(e, sc); ps != nil {
			return ps
		}
		if def, ok := m.resolve(e, sc, depth); ok && m.follow(def) {
			defer m.unfollow(def)
			return m.pieces(def, nil, depth+1)
		}
	case *hclsyntax.FunctionCallExpr:
		if inner := urlOf(e); inner != nil {
			if ps := m.pieces(inner, sc, depth+1); len(ps) == 1 && !ps[0].known && isProviderURL(ps[0].s) {
				return ps
			}
		}
	}
	return unknown
}

// providerPieces renders a reference to the arn (or id) of an identity
// provider of the module whose URL or name is unknown; nil for anything
// else.
func (m *module) providerPieces(e *hclsyntax.ScopeTraversalExpr, sc *scope) []piece {
	if sc != nil {
		return nil
	}
	t := e.Traversal
	root := t.RootName()
	if root != oidcRoot && root != samlRoot || len(t) < 3 || len(t) > 4 {
		return nil
	}
	name, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		return nil
	}
	if len(t) == 4 {
		if _, ok := t[2].(hcl.TraverseIndex); !ok {
			return nil
		}
	}
	attr, ok := t[len(t)-1].(hcl.TraverseAttr)
	if !ok || (attr.Name != "arn" && attr.Name != "id") {
		return nil
	}
	b := m.resources[root][name.Name]
	if b == nil {
		return nil
	}
	// The reference without its last step, e.g. aws_iam_openid_connect_provider.x[0].
	prefix := strings.TrimSuffix(m.text(e), attr.Name)
	if root == oidcRoot {
		if host := m.oidcHost(b); host.IsKnown() {
			return []piece{{known: true, s: oidcARNPrefix + host.AsString()}}
		}
		return []piece{{known: true, s: oidcARNPrefix}, {s: prefix + "url"}}
	}
	if n := m.samlName(b); n.IsKnown() {
		return []piece{{known: true, s: samlARNPrefix + n.AsString()}}
	}
	return []piece{{known: true, s: samlARNPrefix}, {s: prefix + "name"}}
}

// urlOf returns the first argument of replace(x, "https://", "") or
// trimprefix(x, "https://"): the usual ways to drop the scheme of a
// provider URL, which the package's provider URLs already lack.
func urlOf(e *hclsyntax.FunctionCallExpr) hclsyntax.Expression {
	lit := func(x hclsyntax.Expression, want string) bool {
		v, diags := x.Value(nil)
		return !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() && v.AsString() == want
	}
	switch {
	case e.Name == "replace" && len(e.Args) == 3 && lit(e.Args[1], "https://") && lit(e.Args[2], ""):
		return e.Args[0]
	case e.Name == "trimprefix" && len(e.Args) == 2 && lit(e.Args[1], "https://"):
		return e.Args[0]
	}
	return nil
}

// isProviderURL reports whether text is a reference to the url of an OIDC
// provider.
func isProviderURL(text string) bool {
	return strings.HasPrefix(text, oidcRoot+".") && strings.HasSuffix(text, ".url")
}

// resolve follows a reference to a local value, a variable's default or a
// template variable, and the attribute and index steps after it through
// object and tuple constructors, to the expression that defines the value.
// It lets conversions walk the definition's syntax, so that positions point
// into it. ok is false when e is no such reference or a step cannot be
// followed. The definition is an expression of the module: it is
// evaluated in the module's scope.
func (m *module) resolve(e *hclsyntax.ScopeTraversalExpr, sc *scope, depth int) (hclsyntax.Expression, bool) {
	if depth > maxDepth {
		return nil, false
	}
	t := e.Traversal
	var def hclsyntax.Expression
	rest := t
	if sc != nil {
		def = sc.names[t.RootName()]
		rest = t[1:]
	} else if len(t) >= 2 {
		name, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			return nil, false
		}
		switch t.RootName() {
		case "local":
			if a := m.locals[name.Name]; a != nil {
				def = a.expr
			}
		case "var":
			// A default is part of the module; a tfvars value is an input
			// of one environment, read at the reference.
			if v := m.variables[name.Name]; v != nil && !v.tfvars {
				def = v.expr
			}
		}
		rest = t[2:]
	}
	if def == nil {
		return nil, false
	}
	for _, step := range rest {
		def = m.step(def, step, depth+1)
		if def == nil {
			return nil, false
		}
	}
	return def, true
}

// follow marks the definition def as being followed; false when it already
// is (the reference is part of a cycle).
func (m *module) follow(def hclsyntax.Expression) bool {
	if m.following[def] {
		return false
	}
	m.following[def] = true
	return true
}

func (m *module) unfollow(def hclsyntax.Expression) { delete(m.following, def) }

// step follows one attribute or index step into an object or tuple
// constructor, following references on the way; nil when it cannot.
func (m *module) step(e hclsyntax.Expression, step hcl.Traverser, depth int) hclsyntax.Expression {
	for range maxDepth {
		switch x := e.(type) {
		case *hclsyntax.ParenthesesExpr:
			e = x.Expression
			continue
		case *hclsyntax.ScopeTraversalExpr:
			r, ok := m.resolve(x, nil, depth+1)
			if !ok {
				return nil
			}
			e = r
			continue
		}
		break
	}
	var key cty.Value
	switch s := step.(type) {
	case hcl.TraverseAttr:
		key = cty.StringVal(s.Name)
	case hcl.TraverseIndex:
		key = s.Key
	default:
		return nil
	}
	switch x := e.(type) {
	case *hclsyntax.ObjectConsExpr:
		k := knownString(key)
		if !k.IsKnown() {
			return nil
		}
		var found hclsyntax.Expression
		for _, it := range x.Items {
			ik := knownString(m.eval(it.KeyExpr, nil))
			if ik.IsKnown() && ik.AsString() == k.AsString() {
				found = it.ValueExpr // a later item wins
			}
		}
		return found
	case *hclsyntax.TupleConsExpr:
		n, err := convert.Convert(key, cty.Number)
		if err != nil || !n.IsKnown() || n.IsNull() {
			return nil
		}
		i, acc := n.AsBigFloat().Int64()
		if acc != 0 || i < 0 || i >= int64(len(x.Exprs)) {
			return nil
		}
		return x.Exprs[i]
	}
	return nil
}
