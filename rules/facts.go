package rules

import (
	"encoding/binary"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/gobwas/glob"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/trustlint/trustlint/model"
)

// trustlint.policy_facts: the shared lib facts of one trust policy.
//
// Every rule reads the same facts of the policy (trust_statements,
// aws_principals, the condition tests, the statements that test an
// external ID, require MFA or pin the caller), and in Rego each of them is
// a walk over the statements with a function call per element: about a
// thousand allocations per role before any rule looked at anything, and
// linear Rego work per statement on a policy with 100,000 of them. This
// builtin computes them all in one pass in Go, once per evaluation; lib.rego
// defines the facts from its result under their names and shapes, so rules
// and custom rules read them as before. Go never makes a finding, and the
// functions the facts are made of (allows_assume, classify,
// statement_tests, is_opaque, _pinning_values, ...) stay in lib.rego, where
// rules and custom rules call them. The vocabulary (actions, keys,
// operators, regular expressions) is lib.vocabulary, passed as the
// second argument: lib.rego is its one source. Only IAM's operator grammar
// (the Not, IfExists and For...: parts of an operator name) is also written
// here. TestPolicyFacts checks that the facts and every finding are the
// same with the pure-Rego definitions (rules/lib/facts_reference_test.rego)
// on the generated corpus. The Federated principals are classified with
// the provider table, data.trustlint.providers, the third argument.

// policyFactsName is the builtin's name in Rego.
const policyFactsName = "trustlint.policy_facts"

func init() {
	rego.RegisterBuiltin3(&rego.Function{
		Name: policyFactsName,
		Description: "The shared facts of a trust policy's statements (an array or object) for lib.rego, given " +
			"lib.vocabulary and the provider table: trust_statements, aws_principals, service_principals, " +
			"federated_principals, tests, condition_keys, key_patterns, opaque_statements, " +
			"external_id_statements, mfa_statements, mfa_if_exists_statements, pinned_statements, deny_guards and " +
			"tag_session_statements, broad_action_statements.",
		Decl: types.NewFunction(types.Args(types.A, types.NewObject(nil, types.NewDynamicProperty(types.S, types.A)), types.A),
			types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))),
	}, func(_ rego.BuiltinContext, stmts, vocab, providers *ast.Term) (*ast.Term, error) {
		v, err := factsVocabularyOf(vocab.Value)
		if err != nil {
			return nil, err
		}
		return v.facts(stmts.Value, providersOf(providers.Value)), nil
	})
}

// factsVocabulary is lib.vocabulary, read.
type factsVocabulary struct {
	assume                                         []string
	tagSession                                     string
	broadActions                                   map[string]bool
	principal, template                            *regexp.Regexp
	classOfKind                                    map[string]string
	externalIDKey, mfaPresentKey, mfaAgeKey        string
	mfaPresentOperator, orgPathsKey, awsServiceKey string
	mfaAgeOperators, mfaIfExistsOperators          map[string]bool
	pinOperators, guardOperators, awsServiceOps    map[string]bool
	accountPinKeys, arnPinKeys                     map[string]bool
	oidcARN, oidcTemplateARN, samlARN              *regexp.Regexp
	builtinIDPs                                    map[string]bool
	// pinKeys are all the pinning keys, sorted.
	pinKeys []string
}

// factsVocabularies caches the read vocabulary by the Rego value: a
// compiled rule set passes the same constant on every evaluation.
var (
	factsVocabularies  sync.Map // ast.Object -> *factsVocabulary
	vocabulariesCached atomic.Int64
)

func factsVocabularyOf(x ast.Value) (*factsVocabulary, error) {
	obj, ok := x.(ast.Object)
	if !ok {
		return nil, fmt.Errorf("%s: the vocabulary is not an object", policyFactsName)
	}
	if v, ok := factsVocabularies.Load(obj); ok {
		return v.(*factsVocabulary), nil
	}
	r := vocabReader{name: policyFactsName, obj: obj}
	v := &factsVocabulary{
		assume:               r.strings("assume_actions"),
		tagSession:           r.str("tag_session_action"),
		broadActions:         r.set("broad_actions"),
		principal:            r.regexp("principal_re"),
		template:             r.regexp("template_re"),
		classOfKind:          r.object("class_of_kind"),
		externalIDKey:        r.str("external_id_key"),
		mfaPresentKey:        r.str("mfa_present_key"),
		mfaAgeKey:            r.str("mfa_age_key"),
		mfaPresentOperator:   r.str("mfa_present_operator"),
		orgPathsKey:          r.str("org_paths_pin_key"),
		awsServiceKey:        r.str("aws_service_key"),
		mfaAgeOperators:      r.set("mfa_age_operators"),
		mfaIfExistsOperators: r.set("mfa_if_exists_operators"),
		pinOperators:         r.set("pin_operators"),
		guardOperators:       r.set("guard_operators"),
		awsServiceOps:        r.set("aws_service_operators"),
		accountPinKeys:       r.set("account_pin_keys"),
		arnPinKeys:           r.set("arn_pin_keys"),
		oidcARN:              r.regexp("oidc_arn_re"),
		oidcTemplateARN:      r.regexp("oidc_template_arn_re"),
		samlARN:              r.regexp("saml_arn_re"),
		builtinIDPs:          r.set("builtin_idps"),
	}
	if err := r.err(); err != nil {
		return nil, err
	}
	if len(v.assume) > maxAssumeActions {
		return nil, fmt.Errorf("%s: %d assume actions, more than the %d the guard check compares as bits", policyFactsName, len(v.assume), maxAssumeActions)
	}
	for k := range v.accountPinKeys {
		v.pinKeys = append(v.pinKeys, k)
	}
	for k := range v.arnPinKeys {
		v.pinKeys = append(v.pinKeys, k)
	}
	v.pinKeys = append(v.pinKeys, v.orgPathsKey)
	sort.Strings(v.pinKeys)
	if vocabulariesCached.Add(1) <= maxCached {
		factsVocabularies.Store(obj, v)
	}
	return v, nil
}

// vocabReader reads the members of a builtin's vocabulary object, noting
// the ones missing or of the wrong type.
type vocabReader struct {
	name    string
	obj     ast.Object
	missing []string
}

func (r *vocabReader) get(key string) ast.Value {
	t := r.obj.Get(ast.InternedTerm(key))
	if t == nil {
		r.missing = append(r.missing, key)
		return nil
	}
	return t.Value
}

// set reads a set (or array) of strings.
func (r *vocabReader) set(key string) map[string]bool {
	out := map[string]bool{}
	for _, s := range r.strings(key) {
		out[s] = true
	}
	return out
}

// strings reads a set or array of strings.
func (r *vocabReader) strings(key string) []string {
	var out []string
	add := func(e *ast.Term) {
		if s, ok := e.Value.(ast.String); ok {
			out = append(out, string(s))
		}
	}
	switch c := r.get(key).(type) {
	case ast.Set:
		c.Foreach(add)
	case *ast.Array:
		c.Foreach(add)
	case nil:
	default:
		r.missing = append(r.missing, key)
	}
	return out
}

// object reads an object of strings.
func (r *vocabReader) object(key string) map[string]string {
	out := map[string]string{}
	o, ok := r.get(key).(ast.Object)
	if !ok {
		r.missing = append(r.missing, key)
		return out
	}
	o.Foreach(func(k, v *ast.Term) {
		ks, ok1 := k.Value.(ast.String)
		vs, ok2 := v.Value.(ast.String)
		if ok1 && ok2 {
			out[string(ks)] = string(vs)
		}
	})
	return out
}

func (r *vocabReader) str(key string) string {
	s, ok := r.get(key).(ast.String)
	if !ok {
		r.missing = append(r.missing, key)
	}
	return string(s)
}

func (r *vocabReader) regexp(key string) *regexp.Regexp {
	src := r.str(key)
	re, err := compileRegexp(src)
	if err != nil {
		r.missing = append(r.missing, key)
	}
	return re
}

func (r *vocabReader) err() error {
	if len(r.missing) == 0 {
		return nil
	}
	return fmt.Errorf("%s: vocabulary without usable %s", r.name, strings.Join(r.missing, ", "))
}

// globs caches compiled glob patterns (nil: the pattern does not compile,
// and glob.match is undefined, which the rules read as no match), up to
// maxCached of them: the patterns come from the input.
var (
	globs       sync.Map // string -> *glob.Pattern
	globsCached atomic.Int64
)

const maxCached = 4096

// globMatch is glob.match(pattern, null, s): no delimiters.
func globMatch(pattern, s string) bool {
	if !strings.ContainsAny(pattern, `*?[]{}\`) {
		return pattern == s // a literal pattern
	}
	var g *glob.Pattern
	if c, ok := globs.Load(pattern); ok {
		g, _ = c.(*glob.Pattern)
	} else {
		var err error
		if g, err = glob.Compile(pattern); err != nil {
			g = nil
		}
		if globsCached.Add(1) <= maxCached {
			globs.Store(pattern, g)
		}
	}
	return g != nil && g.Match(s)
}

// names are the string terms the facts are made of, and the member names
// and common values of every rule input (toValue shares them: a role of one
// statement has some twenty strings, each a term and a boxed value),
// allocated once. OPA never modifies a term.
var names = func() map[string]*ast.Term {
	m := map[string]*ast.Term{}
	for _, s := range []string{
		"Effect", "Principal", "Action", "NotAction", "Condition", "AWS", "Service", "$unknown", "*",
		"stmt", "index", "value", "class", "account", "name", "wildcard", "user", "role",
		"trust_statements", "aws_principals", "service_principals", "tests", "condition_keys", "key_patterns",
		"opaque_statements", "external_id_statements", "mfa_statements", "mfa_if_exists_statements",
		"pinned_statements", "deny_guards", "tag_session_statements", "broad_action_statements",
		"Federated", "federated_principals", "kind", "host", "provider", "provider_tests", "oidc", "saml", "sub", "aud",
		// The rule input (model.Role.Input) and IAM's policy grammar.
		"policy", "format", "role_name", "arn", "path", "own_account", "service_linked", "MaxSessionDuration",
		"aws-cli", "terraform", "terraform-plan", "cloudformation", "/", "<own-account>",
		"Version", "Id", "Statement", "Sid", "NotPrincipal", "Resource", "NotResource", "CanonicalUser",
		"2012-10-17", "2008-10-17", "Allow", "Deny", "true", "false",
		"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "sts:TagSession",
		"sts:SetSourceIdentity", "sts:SetContext", "sts:*",
		"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringLike", "StringNotLike",
		"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Bool", "BoolIfExists",
		"NumericLessThan", "NumericLessThanEquals", "ForAnyValue:StringEquals", "ForAnyValue:StringLike",
		"ForAllValues:StringEquals", "ForAllValues:StringLike",
		"sts:ExternalId", "aws:SourceAccount", "aws:SourceArn", "aws:PrincipalOrgID", "aws:PrincipalArn",
		"aws:PrincipalAccount", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:TagKeys",
		"sts.amazonaws.com", "https://signin.aws.amazon.com/saml", "SAML:aud",
	} {
		m[s] = ast.StringTerm(s)
	}
	return m
}()

// name is the term of string s, from names when it is one of them.
func name(s string) *ast.Term {
	if t, ok := names[s]; ok {
		return t
	}
	return ast.StringTerm(s)
}

// condTest is one [operator, lower-cased key, values] of a statement.
type condTest struct {
	op   *ast.Term
	key  string
	vals *ast.Term
}

// statement is one element of the Statement list, with its index or key.
type statement struct {
	key *ast.Term
	obj ast.Object // nil when the element is not an object
}

func (s statement) get(key string) ast.Value {
	if s.obj == nil {
		return nil
	}
	t := s.obj.Get(name(key))
	if t == nil {
		return nil
	}
	return t.Value
}

// statements lists the elements of the Statement value, as `some i, s in`
// iterates them.
func statements(x ast.Value) []statement {
	var out []statement
	add := func(k, v *ast.Term) {
		o, _ := v.Value.(ast.Object)
		out = append(out, statement{key: k, obj: o})
	}
	switch c := x.(type) {
	case *ast.Array:
		out = make([]statement, 0, c.Len())
		for i := range c.Len() {
			add(ast.InternedTerm(i), c.Elem(i))
		}
	case ast.Object:
		c.Foreach(add)
	}
	return out
}

// emptySet is the value of every fact that holds nothing: most of them on
// a role of one statement. Values are never modified, so one term serves
// every evaluation.
var emptySet = ast.NewTerm(ast.NewSet())

// lazySet is a set made on its first element, with capacity n: an empty
// one is emptySet.
type lazySet struct {
	s ast.Set
	n int
}

func (l *lazySet) add(t *ast.Term) {
	if l.s == nil {
		l.s = ast.NewSetWithCapacity(l.n)
	}
	l.s.Add(t)
}

func (l *lazySet) term() *ast.Term {
	if l.s == nil {
		return emptySet
	}
	return ast.NewTerm(l.s)
}

// objectSet gathers the objects of a set (the principal facts) to make the
// set with its elements in the order OPA sorts them in. OPA sorts a set's
// elements before it first enumerates them (`some p in lib.aws_principals`),
// comparing whole objects: on one policy of 100,000 statements that sort
// took half a second, on the way of every rule that reads the set. Made in
// order, the set sorts in one pass. The order only saves time (OPA sorts
// anyway), so sortKey may simplify.
type objectSet struct {
	elems []sortedObject
}

type sortedObject struct {
	key  string
	term *ast.Term
}

// add adds the object of items.
func (o *objectSet) add(items ...[2]*ast.Term) {
	o.elems = append(o.elems, sortedObject{key: sortKey(items), term: ast.ObjectTerm(items...)})
}

func (o *objectSet) term() *ast.Term {
	if len(o.elems) == 0 {
		return emptySet
	}
	slices.SortFunc(o.elems, func(a, b sortedObject) int { return strings.Compare(a.key, b.key) })
	s := ast.NewSetWithCapacity(len(o.elems))
	for _, e := range o.elems {
		s.Add(e.term)
	}
	return ast.NewTerm(s)
}

// sortKey encodes an object of string names so that keys compare, byte by
// byte, as OPA compares the objects (ast.Compare): member by member in the
// order of their names, a name then its value. Numbers sort before strings,
// as in OPA; an integer is written in 8 big-endian bytes (negative ones
// sort as large), a string ends in a zero byte; a value of any other kind
// ends the key (the order of such objects is left to OPA).
func sortKey(items [][2]*ast.Term) string {
	sorted := make([][2]*ast.Term, len(items), 8)
	copy(sorted, items)
	slices.SortFunc(sorted, func(a, b [2]*ast.Term) int { return ast.Compare(a[0].Value, b[0].Value) })
	var b []byte
	for _, it := range sorted {
		k, ok := it[0].Value.(ast.String)
		if !ok {
			break
		}
		b = append(append(b, k...), 0)
		switch v := it[1].Value.(type) {
		case ast.Number:
			i, ok := v.Int64()
			if !ok {
				return string(b)
			}
			b = binary.BigEndian.AppendUint64(append(b, 1), uint64(i)) //nolint:gosec // G115: the bits, in order for i >= 0
		case ast.String:
			b = append(append(append(b, 2), v...), 0)
		default:
			return string(b)
		}
	}
	return string(b)
}

// facts computes the facts object of a Statement value.
func (v *factsVocabulary) facts(x ast.Value, providers []provider) *ast.Term {
	stmts := statements(x)
	// The statement sets and objects take one member per trust statement
	// at most: sized once, they are not copied as they grow.
	n := len(stmts)
	trust := lazySet{n: n}
	var awsPrincipals, servicePrincipals, federatedPrincipals objectSet
	var opaque, externalID, mfa, mfaIfExists, pinned, guards, tagSession, broad lazySet
	tests := ast.NewObjectWithCapacity(n)
	conditionKeys := ast.NewObjectWithCapacity(n)
	keyPatterns := ast.NewObjectWithCapacity(n)
	var trusted []statement
	for _, s := range stmts {
		if e, _ := str(s.get("Effect")); e != "Allow" {
			continue
		}
		if statementAllows(s, v.tagSession) {
			tagSession.add(s.key)
		}
		if !v.allowsAssume(s) {
			continue
		}
		trusted = append(trusted, s)
		if v.broadAction(s) {
			broad.add(s.key)
		}
		trust.add(s.key)
		v.principals(s, &awsPrincipals, &servicePrincipals)
		ts := statementTests(s)
		v.federatedPrincipals(s, ts, providers, &federatedPrincipals)
		var (
			set, keys, patterns ast.Set
			globbed             []string
		)
		if len(ts) > 0 {
			set, keys = ast.NewSet(), ast.NewSet()
		}
		for _, t := range ts {
			k := name(t.key)
			set.Add(ast.ArrayTerm(t.op, k, t.vals))
			keys.Add(k)
			if strings.Contains(t.key, "${") {
				p := v.template.ReplaceAllString(t.key, "*")
				if patterns == nil {
					patterns = ast.NewSet()
				}
				patterns.Add(ast.StringTerm(p))
				globbed = append(globbed, p)
			}
		}
		if len(ts) == 0 {
			// Most statements of a large policy test nothing.
			tests.Insert(s.key, emptySet)
			conditionKeys.Insert(s.key, emptySet)
		} else {
			tests.Insert(s.key, ast.NewTerm(set))
			conditionKeys.Insert(s.key, ast.NewTerm(keys))
		}
		if patterns == nil {
			keyPatterns.Insert(s.key, emptySet)
		} else {
			keyPatterns.Insert(s.key, ast.NewTerm(patterns))
		}
		if isOpaque(s) {
			opaque.add(s.key)
		}
		testsKey := func(key string) bool {
			if keys != nil && keys.Contains(name(key)) {
				return true
			}
			for _, p := range globbed {
				if globMatch(p, key) {
					return true
				}
			}
			return false
		}
		if testsKey(v.externalIDKey) {
			externalID.add(s.key)
		}
		if v.requiresMFA(ts, globbed) {
			mfa.add(s.key)
		}
		for _, t := range ts {
			if op, ok := str(t.op.Value); ok && (t.key == v.mfaPresentKey || t.key == v.mfaAgeKey) && v.mfaIfExistsOperators[op] {
				mfaIfExists.add(s.key)
				break
			}
		}
		if v.pins(ts, globbed) {
			pinned.add(s.key)
		}
	}
	v.denyGuards(stmts, trusted, func(d statement) { guards.add(d.key) }, func(s, _ statement) { pinned.add(s.key) })
	return ast.ObjectTerm(
		ast.Item(name("trust_statements"), trust.term()),
		ast.Item(name("aws_principals"), awsPrincipals.term()),
		ast.Item(name("service_principals"), servicePrincipals.term()),
		ast.Item(name("federated_principals"), federatedPrincipals.term()),
		ast.Item(name("tests"), ast.NewTerm(tests)),
		ast.Item(name("condition_keys"), ast.NewTerm(conditionKeys)),
		ast.Item(name("key_patterns"), ast.NewTerm(keyPatterns)),
		ast.Item(name("opaque_statements"), opaque.term()),
		ast.Item(name("external_id_statements"), externalID.term()),
		ast.Item(name("mfa_statements"), mfa.term()),
		ast.Item(name("mfa_if_exists_statements"), mfaIfExists.term()),
		ast.Item(name("pinned_statements"), pinned.term()),
		ast.Item(name("deny_guards"), guards.term()),
		ast.Item(name("tag_session_statements"), tagSession.term()),
		ast.Item(name("broad_action_statements"), broad.term()),
	)
}

// broadAction is lib.broad_action_statements for trust statement s: it
// has a NotAction, or an Action list with a string that is one of
// broad_actions when lower-cased.
func (v *factsVocabulary) broadAction(s statement) bool {
	if s.get("NotAction") != nil {
		return true
	}
	actions, ok := s.get("Action").(*ast.Array)
	if !ok {
		return false
	}
	var buf [64]byte
	for i := range actions.Len() {
		if a, ok := str(actions.Elem(i).Value); ok && v.broadActions[string(lowered(buf[:0], a))] {
			return true
		}
	}
	return false
}

// principalList is the statement's Principal[typ] when it is a list (an
// unknown stands for a whole list), else nil.
func (s statement) principalList(typ string) *ast.Array {
	p, ok := s.get("Principal").(ast.Object)
	if !ok {
		return nil
	}
	t := p.Get(name(typ))
	if t == nil {
		return nil
	}
	list, _ := t.Value.(*ast.Array)
	return list
}

// actionMatches is lib.action_matches: IAM wildcard match, case-insensitive
// (action is lower-case). A pattern without wildcards is compared without
// lower-casing a copy of it: most are a plain action name.
func actionMatches(pattern *ast.Term, action string) bool {
	p, ok := str(pattern.Value)
	if !ok {
		return false
	}
	if !strings.ContainsAny(p, `*?[]{}\`) {
		return lowerEqual(p, action)
	}
	return globMatch(strings.ToLower(p), action)
}

// lowerEqual is strings.ToLower(p) == lower, without the copy when p is
// ASCII.
func lowerEqual(p, lower string) bool {
	for i := range len(p) {
		if p[i] >= utf8.RuneSelf {
			return strings.ToLower(p) == lower
		}
	}
	if len(p) != len(lower) {
		return false
	}
	for i := range len(p) {
		c := p[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// statementAllows is lib.allows_action(i, action).
func statementAllows(s statement, action string) bool {
	if actions, ok := s.get("Action").(*ast.Array); ok {
		for i := range actions.Len() {
			if actionMatches(actions.Elem(i), action) {
				return true
			}
		}
	}
	return notActionAllows(s, action)
}

// notActionAllows: the statement's NotAction is a list of strings, none of
// which matches the action.
func notActionAllows(s statement, action string) bool {
	nots, ok := s.get("NotAction").(*ast.Array)
	if !ok {
		return false
	}
	for i := range nots.Len() {
		if _, ok := str(nots.Elem(i).Value); !ok {
			return false
		}
	}
	for i := range nots.Len() {
		if actionMatches(nots.Elem(i), action) {
			return false
		}
	}
	return true
}

// allowsAssume is lib.allows_assume(i).
func (v *factsVocabulary) allowsAssume(s statement) bool {
	for _, a := range v.assume {
		if statementAllows(s, a) {
			return true
		}
	}
	return false
}

// principals adds the classified AWS principals (lib.classify) and the
// Service principals (lib.service_name) of trust statement s.
func (v *factsVocabulary) principals(s statement, aws, services *objectSet) {
	each := func(typ string, f func(j int, t *ast.Term, val string)) {
		list := s.principalList(typ)
		if list == nil {
			return
		}
		for j := range list.Len() {
			if val, ok := str(list.Elem(j).Value); ok {
				f(j, list.Elem(j), val)
			}
		}
	}
	each("AWS", func(j int, t *ast.Term, val string) {
		class, account, ok := v.classify(val)
		if !ok {
			return
		}
		aws.add(
			ast.Item(name("stmt"), s.key),
			ast.Item(name("index"), ast.InternedTerm(j)),
			ast.Item(name("value"), t),
			ast.Item(name("class"), name(class)),
			ast.Item(name("account"), ast.StringTerm(account)),
		)
	})
	each("Service", func(j int, t *ast.Term, val string) {
		svc := strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(val), ".cn"), ".amazonaws.com")
		services.add(
			ast.Item(name("stmt"), s.key),
			ast.Item(name("index"), ast.InternedTerm(j)),
			ast.Item(name("value"), t),
			ast.Item(name("name"), ast.StringTerm(svc)),
		)
	})
}

// classify is lib.classify: the class and account of an AWS principal.
func (v *factsVocabulary) classify(val string) (class, account string, ok bool) {
	if val == "*" {
		return "wildcard", "", true
	}
	m := v.principal.FindStringSubmatch(val)
	if len(m) != 6 {
		return "", "", false
	}
	class, ok = v.classOfKind[m[3]+m[5]]
	return class, m[1] + m[2] + m[4], ok
}

// statementTests is lib.statement_tests(i): [operator, lower-cased key,
// values] of every condition (an operator is the index of an element when
// Condition is a list, as `some op, block in` iterates it).
func statementTests(s statement) []condTest {
	var out []condTest
	block := func(op, b *ast.Term) {
		o, ok := b.Value.(ast.Object)
		if !ok {
			return // a list's keys are numbers, which lower() refuses
		}
		o.Foreach(func(k, vals *ast.Term) {
			if key, ok := str(k.Value); ok {
				out = append(out, condTest{op: op, key: strings.ToLower(key), vals: vals})
			}
		})
	}
	switch c := s.get("Condition").(type) {
	case ast.Object:
		c.Foreach(block)
	case *ast.Array:
		for i := range c.Len() {
			block(ast.InternedTerm(i), c.Elem(i))
		}
	}
	return out
}

// isOpaque is lib.is_opaque(i): the conditions cannot be read completely.
func isOpaque(s statement) bool {
	c := s.get("Condition")
	if c == nil {
		return false
	}
	o, ok := c.(ast.Object)
	if !ok {
		return true
	}
	opaque := false
	o.Foreach(func(_, b *ast.Term) {
		if _, ok := b.Value.(ast.Object); !ok || isUnknown(b.Value) {
			opaque = true
		}
	})
	return opaque
}

// matchesAny: some templated key pattern may be one of keys.
func matchesAny(patterns []string, keys ...string) bool {
	for _, p := range patterns {
		for _, k := range keys {
			if globMatch(p, k) {
				return true
			}
		}
	}
	return false
}

// requiresMFA is lib.mfa_statements for one statement's tests.
func (v *factsVocabulary) requiresMFA(ts []condTest, patterns []string) bool {
	for _, t := range ts {
		op, ok := str(t.op.Value)
		if !ok {
			continue
		}
		if op == v.mfaPresentOperator && t.key == v.mfaPresentKey && allValues(t.vals, isTrueOrUnknown) {
			return true
		}
		if t.key == v.mfaAgeKey && v.mfaAgeOperators[op] {
			return true
		}
	}
	return matchesAny(patterns, v.mfaPresentKey, v.mfaAgeKey)
}

// allValues: vals is unknown, or a non-empty list whose every value is ok
// (lib._all_true, _pinning_values).
func allValues(vals *ast.Term, ok func(ast.Value) bool) bool {
	if isUnknown(vals.Value) {
		return true
	}
	list, isList := vals.Value.(*ast.Array)
	if !isList || list.Len() == 0 {
		return false
	}
	for i := range list.Len() {
		if !ok(list.Elem(i).Value) {
			return false
		}
	}
	return true
}

// isTrueOrUnknown is lib._true_or_unknown.
func isTrueOrUnknown(x ast.Value) bool {
	if b, ok := x.(ast.Boolean); ok {
		return bool(b)
	}
	if s, ok := str(x); ok {
		return strings.ToLower(s) == "true"
	}
	return isUnknown(x)
}

// isFalse is lib._is_false.
func isFalse(x ast.Value) bool {
	if b, ok := x.(ast.Boolean); ok {
		return !bool(b)
	}
	s, ok := str(x)
	return ok && strings.ToLower(s) == "false"
}

// hasWildcard is lib.has_wildcard.
func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

// pins is the first two bodies of lib.pinned_statements for one statement's
// tests (the Deny guards are the third).
func (v *factsVocabulary) pins(ts []condTest, patterns []string) bool {
	for _, t := range ts {
		op, ok := str(t.op.Value)
		if !ok || !v.isPinKey(t.key) || strings.Contains(op, "Not") || strings.HasSuffix(op, "IfExists") ||
			strings.HasPrefix(op, "ForAllValues:") {
			continue
		}
		if v.pinOperators[baseOperator(op)] && v.pinningValues(t.key, t.vals) {
			return true
		}
	}
	return matchesAny(patterns, v.pinKeys...)
}

func (v *factsVocabulary) isPinKey(key string) bool {
	return v.accountPinKeys[key] || v.arnPinKeys[key] || key == v.orgPathsKey
}

// pinningValues is lib._pinning_values.
func (v *factsVocabulary) pinningValues(key string, vals *ast.Term) bool {
	return allValues(vals, func(x ast.Value) bool {
		if isUnknown(x) {
			return true
		}
		s, ok := str(x)
		if !ok {
			return false
		}
		switch {
		case v.accountPinKeys[key]:
			return s != "" && !hasWildcard(s)
		case v.arnPinKeys[key]:
			parts := strings.Split(s, ":")
			if len(parts) < 6 {
				return false
			}
			if parts[4] != "" {
				return !hasWildcard(parts[4])
			}
			return !hasWildcard(s)
		case key == v.orgPathsKey:
			org, _, _ := strings.Cut(s, "/")
			return org != "" && !hasWildcard(org)
		}
		return false
	})
}

// denyGuards calls guard for each Deny guard among stmts (lib.deny_guards)
// and covered for each of the trusted statements that a guard pins (it
// denies every assume action the statement allows: lib._guard_covers),
// with the first guard in order that does. What a statement allows and
// what a guard denies are sets of assume actions: as bit masks, each
// trusted statement is compared with the few distinct masks of the
// guards, where comparing every statement with every guard was quadratic
// (10,000 guards beside 10,000 trust statements: 95 s).
func (v *factsVocabulary) denyGuards(stmts, trusted []statement, guard func(d statement), covered func(s, d statement)) {
	type guardMask struct {
		mask  uint64
		first statement // the first guard of this mask
	}
	var masks []guardMask
	for _, d := range stmts {
		if !v.isDenyGuard(d) {
			continue
		}
		guard(d)
		m := v.assumeMask(d)
		if !slices.ContainsFunc(masks, func(g guardMask) bool { return g.mask == m }) {
			masks = append(masks, guardMask{m, d})
		}
	}
	if len(masks) == 0 {
		return
	}
	for _, s := range trusted {
		m := v.assumeMask(s)
		for _, g := range masks { // in the order of their first guards
			if m&^g.mask == 0 {
				covered(s, g.first)
				break
			}
		}
	}
}

// DenyGuards returns, for the statements of a normalized trust policy
// (model.Role.Policy) that a Deny guard pins, the first such guard (RULES.md,
// TL003: a Deny of a wildcard principal whose condition denies everyone
// outside an organization, account or ARN, and that denies every assume
// action the statement allows): Allow statement index to Deny statement
// index, as lib.pinned_statements counts them for the rules. The audit
// shows the guard's tests on the statement's grants. It is nil when no
// statement is so pinned, or when the engine has no facts vocabulary.
func (e *Engine) DenyGuards(policy any) map[int]int {
	if e.Wait() != nil || e.prune == nil || !model.MayHaveDeny(policy) {
		return nil
	}
	stmts := statements(policyStatements(toValue(map[string]any{"policy": policy})))
	v := e.prune.vocab
	var trusted []statement
	for _, s := range stmts {
		if eff, _ := str(s.get("Effect")); eff == "Allow" && v.allowsAssume(s) {
			trusted = append(trusted, s)
		}
	}
	var out map[int]int
	v.denyGuards(stmts, trusted, func(statement) {}, func(s, d statement) {
		si, ok1 := statementIndex(s)
		di, ok2 := statementIndex(d)
		if !ok1 || !ok2 {
			return
		}
		if out == nil {
			out = map[int]int{}
		}
		out[si] = di
	})
	return out
}

// statementIndex is the index of a statement of a Statement list.
func statementIndex(s statement) (int, bool) {
	n, ok := s.key.Value.(ast.Number)
	if !ok {
		return 0, false
	}
	i, ok := n.Int()
	return i, ok
}

// isDenyGuard is lib.deny_guards for statement d.
func (v *factsVocabulary) isDenyGuard(d statement) bool {
	if e, _ := str(d.get("Effect")); e != "Deny" || isOpaque(d) {
		return false
	}
	p, ok := d.get("Principal").(ast.Object)
	if !ok {
		return false
	}
	aws := p.Get(name("AWS"))
	if aws == nil || !containsStar(aws.Value) {
		return false
	}
	ts := statementTests(d)
	negated := false
	for _, t := range ts {
		switch {
		case v.negatedPin(t):
			negated = true
		case !v.awsServiceFalse(t):
			return false
		}
	}
	return negated
}

// containsStar is `"*" in x`: a member of a list or set, or a value of an
// object.
func containsStar(x ast.Value) bool {
	star := name("*")
	found := false
	switch c := x.(type) {
	case *ast.Array:
		c.Foreach(func(t *ast.Term) { found = found || t.Equal(star) })
	case ast.Set:
		found = c.Contains(star)
	case ast.Object:
		c.Foreach(func(_, t *ast.Term) { found = found || t.Equal(star) })
	}
	return found
}

// negatedPin is lib._negated_pin.
func (v *factsVocabulary) negatedPin(t condTest) bool {
	op, ok := str(t.op.Value)
	return ok && v.guardOperators[op] && v.isPinKey(t.key) && v.pinningValues(t.key, t.vals)
}

// awsServiceFalse is the aws:PrincipalIsAWSService body of lib._guard_test.
func (v *factsVocabulary) awsServiceFalse(t condTest) bool {
	op, ok := str(t.op.Value)
	if !ok || !v.awsServiceOps[op] || t.key != v.awsServiceKey || isUnknown(t.vals.Value) {
		return false
	}
	return allValues(t.vals, isFalse)
}

// maxAssumeActions bounds the vocabulary's assume actions: assumeMask
// holds one bit for each.
const maxAssumeActions = 64

// assumeMask has bit i set when statement s's actions take in assume
// action i (for a Deny guard: the actions it denies). A guard d covers a
// trust statement s (lib._guard_covers: every assume action s allows, d
// denies) when assumeMask(s) &^ assumeMask(d) is 0.
func (v *factsVocabulary) assumeMask(s statement) uint64 {
	var m uint64
	for i, a := range v.assume {
		if statementAllows(s, a) {
			m |= 1 << i
		}
	}
	return m
}
