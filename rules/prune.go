package rules

import (
	"context"
	"slices"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage"
)

// Rules that cannot fire on a policy are not evaluated on it.
//
// Most rules read the policy through lib's facts (trustlint.policy_facts):
// every deny body of TL001 walks lib.aws_principals, every one of TL005
// lib.federated_principals. On a policy without such principals the rule
// can report nothing, but OPA still pays for evaluating it: on a service
// role, 11 of the 18 rules cost some 300 of its 740 allocations and half
// its time. So the engine reads, in the compiled rules, which facts each
// deny body enumerates (an expression x = data.trustlint.lib.F[k], neither
// negated nor under with: it fails when F is empty, and so does the body),
// computes the facts of each policy in Go before evaluating it, with the
// builtin's own code, and leaves out the rules every body of which
// enumerates an empty fact: their deny sets are empty in the evaluation's
// cache, where OPA looks before evaluating a rule, as are the facts it
// computed, where lib's _facts would be computed again.
//
// This holds only while lib's facts are what the engine computes: each
// fact F used is lib's F := _facts.F, _facts is the builtin's result on
// _statements (input.policy.Statement, else []), lib.vocabulary and
// lib.providers, both constants. newPruner checks every one of these in
// the compiled rules and returns nil (no pruning) when any is not so, or
// when the rule set has modules of the user's own besides the rule
// packages (they could add to lib). TestPruneSame compares the findings
// with and without pruning on the generated corpus.
type pruner struct {
	// bodies holds, for each rule package of the query, the facts each
	// of its deny bodies enumerates; a rule with a body that enumerates
	// none has no entry: it is always evaluated.
	bodies map[string][][]string
	// deny is the reference of each rule package's deny set.
	deny map[string]ast.Ref
	// vocab and providers are lib.vocabulary and lib.providers, the
	// builtin's constant arguments, read.
	vocab     *factsVocabulary
	providers []provider
}

var (
	libRef   = ast.MustParseRef("data.trustlint.lib")
	factsRef = ast.MustParseRef("data.trustlint.lib._facts")
)

// newPruner reads the facts the deny bodies of the rule packages names
// enumerate, or returns nil when pruning would not be exact.
func newPruner(ctx context.Context, compiler *ast.Compiler, store storage.Store, names []string) *pruner {
	facts := libFacts(compiler)
	if facts == nil || !factsFromBuiltin(compiler) {
		return nil
	}
	vocabValue, providers, ok := constantArgs(ctx, compiler, store)
	if !ok {
		return nil
	}
	vocab, err := factsVocabularyOf(vocabValue)
	if err != nil {
		return nil
	}
	p := &pruner{bodies: map[string][][]string{}, deny: map[string]ast.Ref{}, vocab: vocab, providers: providersOf(providers)}
	for _, name := range names {
		var bodies [][]string
		always := false
		deny := rulesRef().Append(ast.StringTerm(name)).Append(ast.StringTerm("deny"))
		p.deny[name] = deny
		for _, r := range compiler.GetRulesExact(deny) {
			if r.Else != nil {
				always = true
				break
			}
			var need []string
			for _, expr := range r.Body {
				if f, ok := enumeratedFact(expr, facts); ok && !slices.Contains(need, f) {
					need = append(need, f)
				}
			}
			if len(need) == 0 {
				always = true
				break
			}
			bodies = append(bodies, need)
		}
		if !always && len(bodies) > 0 {
			p.bodies[name] = bodies
		}
	}
	return p
}

// constantArgs returns lib.vocabulary (a constant) and lib.providers
// (data.trustlint.providers, else []) as the compiled rules and the store
// give them, without an evaluation (it would cost a cold start a query of
// its own); ok is false when they are not of that form.
func constantArgs(ctx context.Context, compiler *ast.Compiler, store storage.Store) (vocab, providers ast.Value, ok bool) {
	vs := compiler.GetRulesExact(libRef.Append(ast.StringTerm("vocabulary")))
	if len(vs) != 1 || vs[0].Default || vs[0].Else != nil || vs[0].Head.Value == nil || !vs[0].Head.Value.IsGround() ||
		len(vs[0].Body) != 1 || !vs[0].Body[0].Equal(ast.NewExpr(ast.BooleanTerm(true))) {
		return nil, nil, false
	}
	providersRef := ast.MustParseRef("data.trustlint.providers")
	providers = ast.NewArray()
	if !refOrEmpty(compiler, "providers", providersRef) {
		return nil, nil, false
	}
	path, err := storage.NewPathForRef(providersRef)
	if err != nil {
		return nil, nil, false
	}
	v, err := storage.ReadOne(ctx, store, path)
	switch {
	case storage.IsNotFound(err):
	case err != nil:
		return nil, nil, false
	default:
		if providers, err = ast.InterfaceToValue(v); err != nil {
			return nil, nil, false
		}
	}
	return vs[0].Head.Value.Value, providers, true
}

// enumeratedFact returns the fact F when expr is x = data.trustlint.lib.F[k]
// (either side), neither negated nor under with.
func enumeratedFact(expr *ast.Expr, facts map[string]bool) (string, bool) {
	if expr.Negated || len(expr.With) > 0 || !expr.IsEquality() {
		return "", false
	}
	for _, t := range expr.Operands() {
		ref, ok := t.Value.(ast.Ref)
		if !ok || len(ref) <= len(libRef)+1 || !ref.HasPrefix(libRef) {
			continue
		}
		if f, ok := ref[len(libRef)].Value.(ast.String); ok && facts[string(f)] {
			return string(f), true
		}
	}
	return "", false
}

// libFacts returns the lib rules F defined as F := _facts.F, and only so.
func libFacts(compiler *ast.Compiler) map[string]bool {
	out := map[string]bool{}
	byName := map[string][]*ast.Rule{}
	for _, m := range compiler.Modules {
		if !m.Package.Path.Equal(libRef) {
			continue
		}
		for _, r := range m.Rules {
			n := r.Head.Ref()
			if len(n) != 1 {
				continue
			}
			name := n[0].Value.String()
			byName[name] = append(byName[name], r)
		}
	}
	for name, rs := range byName {
		if len(rs) != 1 || rs[0].Default || rs[0].Else != nil || len(rs[0].Body) != 1 || rs[0].Head.Value == nil {
			continue
		}
		e := rs[0].Body[0]
		if e.Negated || len(e.With) > 0 || !e.IsEquality() {
			continue
		}
		ops := e.Operands()
		if !ops[0].Equal(rs[0].Head.Value) {
			continue
		}
		ref, ok := ops[1].Value.(ast.Ref)
		if ok && len(ref) == len(factsRef)+1 && ref.HasPrefix(factsRef) && ref[len(factsRef)].Equal(ast.StringTerm(name)) {
			out[name] = true
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// factsFromBuiltin reports whether lib's _facts is the builtin's result on
// _statements, vocabulary and providers, and _statements is
// input.policy.Statement with the default [].
func factsFromBuiltin(compiler *ast.Compiler) bool {
	facts := compiler.GetRulesExact(factsRef)
	if len(facts) != 1 || facts[0].Else != nil || facts[0].Head.Value == nil {
		return false
	}
	var call *ast.Expr
	for _, e := range facts[0].Body {
		if e.IsCall() && e.Operator().String() == policyFactsName {
			if call != nil {
				return false
			}
			call = e
		}
	}
	if call == nil || call.Negated || len(call.With) > 0 {
		return false
	}
	// The body binds the arguments to locals first: x = data.trustlint.lib.y.
	bound := map[ast.Var]string{}
	for _, e := range facts[0].Body {
		if e == call {
			continue
		}
		if !e.IsEquality() || e.Negated || len(e.With) > 0 {
			return false
		}
		ops := e.Operands()
		v, ok := ops[0].Value.(ast.Var)
		ref, isRef := ops[1].Value.(ast.Ref)
		if !ok || !isRef || len(ref) != len(libRef)+1 || !ref.HasPrefix(libRef) {
			return false
		}
		name, ok := ref[len(libRef)].Value.(ast.String)
		if !ok {
			return false
		}
		bound[v] = string(name)
	}
	args := call.Operands()
	want := []string{"_statements", "vocabulary", "providers"}
	if len(args) != len(want)+1 || !args[len(want)].Equal(facts[0].Head.Value) {
		return false
	}
	for i, w := range want {
		v, ok := args[i].Value.(ast.Var)
		if !ok || bound[v] != w {
			return false
		}
	}
	return refOrEmpty(compiler, "_statements", ast.MustParseRef("input.policy.Statement"))
}

// refOrEmpty reports whether lib's rule name is exactly the value at ref,
// with the default []: two rules, default name := [] and name := ref.
func refOrEmpty(compiler *ast.Compiler, name string, ref ast.Ref) bool {
	sawDefault, sawRef := false, false
	for _, r := range compiler.GetRulesExact(libRef.Append(ast.StringTerm(name))) {
		switch {
		case r.Default && r.Head.Value != nil && r.Head.Value.Equal(ast.ArrayTerm()):
			sawDefault = true
		case !r.Default && r.Else == nil && r.Head.Value != nil && len(r.Body) == 1 && r.Body[0].IsEquality() &&
			!r.Body[0].Negated && len(r.Body[0].With) == 0 &&
			r.Body[0].Operands()[0].Equal(r.Head.Value) && r.Body[0].Operands()[1].Equal(ast.NewTerm(ref)):
			sawRef = true
		default:
			return false
		}
	}
	return sawDefault && sawRef
}

// facts computes lib's _facts of a rule input, as the builtin would.
func (p *pruner) facts(input ast.Value) *ast.Term {
	return p.vocab.facts(policyStatements(input), p.providers)
}

// policyStatements is input.policy.Statement of a rule input, or an
// empty array.
func policyStatements(input ast.Value) ast.Value {
	if in, ok := input.(ast.Object); ok {
		if pol := in.Get(ast.StringTerm("policy")); pol != nil {
			if o, ok := pol.Value.(ast.Object); ok {
				if s := o.Get(ast.StringTerm("Statement")); s != nil {
					return s.Value
				}
			}
		}
	}
	return ast.NewArray()
}

// pruned returns the rule packages of names that cannot report on a
// policy of the given facts, in order.
func (p *pruner) pruned(names []string, facts *ast.Term) []string {
	obj, ok := facts.Value.(ast.Object)
	if !ok {
		return nil
	}
	empty := func(f string) bool { return factSize(obj, f) == 0 }
	var out []string
	for _, name := range names {
		bodies, ok := p.bodies[name]
		if !ok {
			continue
		}
		fires := false
		for _, need := range bodies {
			if !slices.ContainsFunc(need, empty) {
				fires = true
				break
			}
		}
		if !fires {
			out = append(out, name)
		}
	}
	return out
}

// weight estimates the work of rule package name on a policy of the given
// facts: the elements its deny bodies enumerate (each body bounded by its
// smallest fact), or unknown (-1) for a rule with a body that enumerates
// none.
func (p *pruner) weight(name string, facts *ast.Term) int {
	obj, ok := facts.Value.(ast.Object)
	bodies, known := p.bodies[name]
	if !ok || !known {
		return -1
	}
	total := 0
	for _, need := range bodies {
		least := -1
		for _, f := range need {
			if n := factSize(obj, f); n >= 0 && (least < 0 || n < least) {
				least = n
			}
		}
		if least < 0 {
			return -1
		}
		total += least
	}
	return total
}

// factSize is the number of elements of lib fact f in the facts object,
// -1 when it has none of that name or is not a collection.
func factSize(obj ast.Object, f string) int {
	t := obj.Get(ast.StringTerm(f))
	if t == nil {
		return -1
	}
	switch v := t.Value.(type) {
	case ast.Set:
		return v.Len()
	case *ast.Array:
		return v.Len()
	case ast.Object:
		return v.Len()
	}
	return -1
}
