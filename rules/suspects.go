package rules

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
)

// trustlint.suspects: the parts of a trust policy TL013 must look at.
//
// TL013 (invalid_trust_policy) checks some thirty things of every statement,
// and in Rego each check is a rule body that walks the statement again:
// almost half of the evaluation time went into it, on statements that are
// nearly always valid. This builtin looks at the document and at each
// statement once, in Go, and returns what it cannot vouch for: whether the
// document is not plainly valid (an object of Version, Statement and perhaps
// Id, with a known Version and a non-empty list of statements), and the keys
// of the suspect statements; the rule runs its checks on those only (one
// rule body for a role with nothing suspect, where the document and the
// statement checks were two bodies and some eighty allocations). Go never
// decides a finding: a statement it calls valid is one on which none of the
// rule's checks could fire, and anything it is unsure of (an unknown value,
// an unusual shape, a statement a service or federation check applies to)
// is a suspect, which the rule judges in full as before. The vocabulary
// (versions and top-level names, element names, principal types, regular
// expressions, STS actions, condition operators) comes from the rule as the
// third argument, so that the rule stays its one source.
// TestSuspectStatements checks the promise on a generated corpus: with the
// document and every statement suspect, the rule finds exactly the same.

// suspectsName is the builtin's name in Rego.
const suspectsName = "trustlint.suspects"

// The builtin's result: {"parts": parts, "statements": keys}, where parts
// holds "document" when the document is suspect and "statements" when a
// statement is. The two common results are shared terms.
var (
	partDocument   = ast.StringTerm("document")
	partStatements = ast.StringTerm("statements")
	nothingSuspect = suspectsTerm(false, emptySet)
	documentOnly   = suspectsTerm(true, emptySet)
)

func suspectsTerm(document bool, statements *ast.Term) *ast.Term {
	parts := ast.NewSet()
	if document {
		parts.Add(partDocument)
	}
	if statements.Value.(ast.Set).Len() > 0 {
		parts.Add(partStatements)
	}
	return ast.ObjectTerm(ast.Item(ast.StringTerm("parts"), ast.NewTerm(parts)), ast.Item(ast.StringTerm("statements"), statements))
}

func init() {
	vocab := types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))
	rego.RegisterBuiltin3(&rego.Function{
		Name: suspectsName,
		Description: "What TL013 must look at in a trust policy, given lib's vocabulary and the rule's: " +
			"{\"parts\": a set of \"document\" (the document is not plainly valid) and \"statements\", " +
			"\"statements\": the keys of the statements that are not certainly valid}.",
		Decl: types.NewFunction(types.Args(types.A, vocab, vocab), types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))),
	}, func(_ rego.BuiltinContext, policy, libVocab, ruleVocab *ast.Term) (*ast.Term, error) {
		v, err := readVocabulary(libVocab.Value, ruleVocab.Value)
		if err != nil {
			return nil, err
		}
		var out lazySet // most policies have no suspect
		var stmts ast.Value
		if p, ok := policy.Value.(ast.Object); ok {
			if t := p.Get(name("Statement")); t != nil {
				stmts = t.Value
			}
		}
		switch c := stmts.(type) {
		case *ast.Array:
			for i := range c.Len() {
				if !v.validStatement(c.Elem(i).Value) {
					out.add(ast.InternedTerm(i))
				}
			}
		case ast.Object:
			c.Foreach(func(k, s *ast.Term) {
				if !v.validStatement(s.Value) {
					out.add(k)
				}
			})
		}
		document := !v.plainDocument(policy.Value)
		switch {
		case out.s != nil:
			return suspectsTerm(document, out.term()), nil
		case document:
			return documentOnly, nil
		}
		return nothingSuspect, nil
	})
}

// plainDocument is TL013's plain_document: an object of Version, Statement
// and perhaps Id, with a known Version and a non-empty list of statements.
func (v *vocabulary) plainDocument(x ast.Value) bool {
	p, ok := x.(ast.Object)
	if !ok {
		return false
	}
	ver := p.Get(name("Version"))
	if ver == nil {
		return false
	}
	if s, ok := str(ver.Value); !ok || !v.versions[s] {
		return false
	}
	st := p.Get(name("Statement"))
	if st == nil {
		return false
	}
	if list, ok := st.Value.(*ast.Array); !ok || list.Len() == 0 {
		return false
	}
	plain := true
	p.Foreach(func(k, _ *ast.Term) {
		if key, ok := str(k.Value); !ok || !v.topLevel[key] {
			plain = false
		}
	})
	return plain
}

// vocabulary is what TL013 accepts, read from lib.vocabulary and the
// rule's vocabulary.
type vocabulary struct {
	versions, topLevel                                    map[string]bool
	elements, principalTypes, stsActions, operators, idps map[string]bool
	// services: the lower-cased actions each service of service_actions
	// needs (none when the entry cannot be read: such a service is
	// always judged by the rule).
	services                                          map[string][]string
	account, principalARN, uniqueID, oidcARN, samlARN *regexp.Regexp
	// federation maps a kind of federated principal ("oidc", "saml") to the
	// lower-cased action a statement of only that kind must allow.
	federation map[string]string
}

// vocabularies caches the read vocabularies by the Rego values: a compiled
// rule set passes the same constants on every evaluation.
var (
	vocabularies       sync.Map // [2]ast.Object -> *vocabulary
	suspectVocabCached atomic.Int64
)

func readVocabulary(libVocab, ruleVocab ast.Value) (*vocabulary, error) {
	lo, ok1 := libVocab.(ast.Object)
	ro, ok2 := ruleVocab.(ast.Object)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%s: a vocabulary is not an object", suspectsName)
	}
	key := [2]ast.Object{lo, ro}
	if v, ok := vocabularies.Load(key); ok {
		return v.(*vocabulary), nil
	}
	l := vocabReader{name: suspectsName, obj: lo}
	r := vocabReader{name: suspectsName, obj: ro}
	v := &vocabulary{
		versions:       r.set("versions"),
		topLevel:       r.set("top_level"),
		elements:       r.set("elements"),
		principalTypes: r.set("principal_types"),
		stsActions:     r.set("sts_actions"),
		operators:      l.set("condition_operators"),
		idps:           l.set("builtin_idps"),
		services:       map[string][]string{},
		account:        r.regexp("account_re"),
		principalARN:   r.regexp("principal_arn_re"),
		uniqueID:       l.regexp("unique_id_re"),
		oidcARN:        l.regexp("oidc_arn_re"),
		samlARN:        l.regexp("saml_arn_re"),
		federation:     map[string]string{},
	}
	// service_actions: service name -> [title, actions]; federation_action:
	// kind -> [lower-cased action, who, name].
	if o, ok := r.get("service_actions").(ast.Object); ok {
		o.Foreach(func(k, t *ast.Term) {
			s, ok := str(k.Value)
			if !ok {
				return
			}
			var needs []string
			if entry, ok := t.Value.(*ast.Array); ok && entry.Len() == 2 {
				if acts, ok := entry.Elem(1).Value.(*ast.Array); ok {
					for i := range acts.Len() {
						if a, ok := str(acts.Elem(i).Value); ok {
							needs = append(needs, strings.ToLower(a))
						}
					}
				}
			}
			v.services[s] = needs
		})
	}
	if o, ok := r.get("federation_action").(ast.Object); ok {
		o.Foreach(func(k, t *ast.Term) {
			kind, ok1 := str(k.Value)
			a, ok2 := t.Value.(*ast.Array)
			if ok1 && ok2 && a.Len() > 0 {
				if action, ok := str(a.Elem(0).Value); ok {
					v.federation[kind] = action
				}
			}
		})
	}
	if len(v.services) == 0 {
		r.missing = append(r.missing, "service_actions")
	}
	if len(v.federation) == 0 {
		r.missing = append(r.missing, "federation_action")
	}
	if err := errors.Join(l.err(), r.err()); err != nil {
		return nil, err
	}
	if suspectVocabCached.Add(1) <= maxCached {
		vocabularies.Store(key, v)
	}
	return v, nil
}

// compiled regular expressions by source: the vocabulary is read on every
// evaluation, and its expressions are constants.
var regexps sync.Map // string -> *regexp.Regexp

func compileRegexp(src string) (*regexp.Regexp, error) {
	if r, ok := regexps.Load(src); ok {
		return r.(*regexp.Regexp), nil
	}
	r, err := regexp.Compile(src)
	if err != nil {
		return nil, err
	}
	regexps.Store(src, r)
	return r, nil
}

// isUnknown is lib.is_unknown: {"$unknown": "<expression>"}.
func isUnknown(x ast.Value) bool {
	o, ok := x.(ast.Object)
	if !ok {
		return false
	}
	t := o.Get(name("$unknown"))
	if t == nil {
		return false
	}
	_, ok = t.Value.(ast.String)
	return ok
}

// str is x as a string, if it is one.
func str(x ast.Value) (string, bool) {
	s, ok := x.(ast.String)
	return string(s), ok
}

// validStatement reports whether none of TL013's statement checks can fire
// on x. False means "look": never a finding by itself. (Its state is one
// struct, not variables captured by the closures that OPA's iterators
// take, each of which would be an allocation per statement.)
func (v *vocabulary) validStatement(x ast.Value) bool {
	s, ok := x.(ast.Object)
	if !ok || isUnknown(s) {
		return false
	}
	st := &stmtCheck{v: v, valid: true}
	s.Foreach(st.element)
	if !st.valid || st.effect == nil || st.principal == nil || st.action == nil {
		return false
	}
	e, _ := str(st.effect)
	if e != "Allow" && e != "Deny" {
		return false
	}
	if !v.validActions(st.action) {
		return false
	}
	p, ok := st.principal.(ast.Object)
	if !ok || isUnknown(p) {
		return false
	}
	st.allow = e == "Allow"
	p.Foreach(st.principalType)
	if !st.valid {
		return false
	}
	if st.allow && p.Len() == 1 && p.Get(name("Federated")) != nil {
		// The rule checks that the statement allows what its providers
		// need: vouch only for an Action list that plainly does.
		if st.actionElem != "Action" {
			return false
		}
		list, isList := st.action.(*ast.Array) // else unknown: no action is known
		for _, kind := range []string{"saml", "oidc"} {
			if st.kinds[kind] && (!isList || !allowsAction(list, v.federation[kind])) {
				return false
			}
		}
	}
	if len(st.needs) > 0 {
		// The rule checks that the statement allows what its services
		// need (EKS Pod Identity: sts:AssumeRole and sts:TagSession):
		// vouch only for an Action list that plainly does.
		list, isList := st.action.(*ast.Array)
		if st.actionElem != "Action" || !isList {
			return false
		}
		for _, a := range st.needs {
			if !allowsAction(list, a) {
				return false
			}
		}
	}
	return true
}

// stmtCheck is the state of validStatement.
type stmtCheck struct {
	v                         *vocabulary
	effect, principal, action ast.Value
	actionElem                string
	valid, allow              bool
	kinds                     map[string]bool // of the Federated providers
	needs                     []string        // actions the statement's services need
}

func (st *stmtCheck) element(k, val *ast.Term) {
	key, ok := str(k.Value)
	if !ok || !st.valid {
		st.valid = false
		return
	}
	switch {
	case !st.v.elements[key]:
		st.valid = false // unknown element
	case key == "Effect":
		st.effect = val.Value
	case key == "Principal":
		st.principal = val.Value
	case key == "Action", key == "NotAction":
		if st.action != nil {
			st.valid = false // both: judged in full
		}
		st.action, st.actionElem = val.Value, key
	case key == "Condition":
		st.valid = st.v.validCondition(val.Value)
	case key == "Sid":
	default:
		st.valid = false // NotPrincipal, Resource, NotResource
	}
}

func (st *stmtCheck) principalType(k, vals *ast.Term) {
	t, _ := str(k.Value)
	if !st.valid || !st.v.principalTypes[t] {
		st.valid = false
		return
	}
	list, ok := vals.Value.(*ast.Array)
	if !ok {
		// An unknown list is skipped by every check; anything else is
		// judged in full.
		st.valid = isUnknown(vals.Value)
		return
	}
	for i := range list.Len() {
		x := list.Elem(i).Value
		switch {
		case !isUnknown(x):
			st.valid = st.validPrincipal(t, x)
		case t == "Federated":
			st.valid = false // may be a provider of either kind
		}
		if !st.valid {
			return
		}
	}
}

// validActions reports whether the Action or NotAction value holds only STS
// actions (or unknowns).
func (v *vocabulary) validActions(x ast.Value) bool {
	list, ok := x.(*ast.Array)
	if !ok {
		return isUnknown(x)
	}
	var buf [64]byte
	for i := range list.Len() {
		t := list.Elem(i).Value
		if isUnknown(t) {
			continue
		}
		a, ok := str(t)
		if !ok {
			return false
		}
		if l := lowered(buf[:0], a); !v.stsActions[string(l)] &&
			(!strings.ContainsAny(a, "*?") || !v.matchesSTS(strings.ToLower(a))) {
			return false
		}
	}
	return true
}

// lowered appends strings.ToLower(s) to buf: no allocation for a short
// ASCII s (a map lookup of string(lowered(...)) copies nothing).
func lowered(buf []byte, s string) []byte {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return append(buf, strings.ToLower(s)...)
		}
	}
	for i := range len(s) {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

// matchesSTS: the lower-cased pattern matches an STS action (glob.match
// without delimiters, as the rule calls it).
func (v *vocabulary) matchesSTS(pattern string) bool {
	for a := range v.stsActions {
		if globMatch(pattern, a) {
			return true
		}
	}
	return false
}

// allowsAction: some known string of the Action list matches the
// lower-cased action (lib.action_matches).
func allowsAction(actions *ast.Array, action string) bool {
	if action == "" {
		return false
	}
	for i := range actions.Len() {
		if actionMatches(actions.Elem(i), action) {
			return true
		}
	}
	return false
}

// validPrincipal judges one known value of principal type t in the
// statement; it collects the kinds of Federated providers and the actions
// the services of service_actions need, which validStatement then checks.
func (st *stmtCheck) validPrincipal(t string, x ast.Value) bool {
	v, allow, kinds := st.v, st.allow, &st.kinds
	s, ok := str(x)
	if !ok {
		return t == "CanonicalUser"
	}
	switch t {
	case "AWS":
		if s == "*" {
			return true
		}
		if strings.Contains(s, "*") {
			return false
		}
		return v.uniqueID.MatchString(s) || v.account.MatchString(s) || v.principalARN.MatchString(s)
	case "Service":
		if !allow {
			return true
		}
		var buf [64]byte
		name := lowered(buf[:0], s)
		name = bytes.TrimSuffix(bytes.TrimSuffix(name, []byte(".cn")), []byte(".amazonaws.com"))
		needs, checked := v.services[string(name)]
		if !checked {
			return true
		}
		// A service whose needs the rule checks: validStatement vouches
		// only for an Action list that plainly allows them.
		st.needs = append(st.needs, needs...)
		return len(needs) > 0
	case "Federated":
		kind := ""
		switch {
		case v.samlARN.MatchString(s):
			kind = "saml"
		case v.oidcARN.MatchString(s), v.idps[strings.ToLower(s)]:
			kind = "oidc"
		default:
			return false
		}
		if *kinds == nil {
			*kinds = map[string]bool{}
		}
		(*kinds)[kind] = true
	}
	return true
}

// baseOperator strips the set-operator prefix that lib.valid_operator
// strips (the regular expression ^For(AllValues|AnyValue):) and the
// IfExists suffix.
func baseOperator(op string) string {
	if rest, ok := strings.CutPrefix(op, "ForAllValues:"); ok {
		op = rest
	} else if rest, ok := strings.CutPrefix(op, "ForAnyValue:"); ok {
		op = rest
	}
	return strings.TrimSuffix(op, "IfExists")
}

// validCondition: the Condition is an object (or unknown) whose operators
// are all IAM's (lib.valid_operator), or templates.
func (v *vocabulary) validCondition(x ast.Value) bool {
	c, ok := x.(ast.Object)
	if !ok {
		return false
	}
	if isUnknown(c) {
		return true
	}
	valid := true
	c.Foreach(func(k, _ *ast.Term) {
		op, ok := str(k.Value)
		if !ok || !valid {
			valid = false
			return
		}
		if op == "Null" || strings.Contains(op, "${") {
			return
		}
		valid = v.operators[baseOperator(op)]
	})
	return valid
}
