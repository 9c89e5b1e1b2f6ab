package rules

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
)

// trustlint.suspect_statements: the statements TL013 must look at.
//
// TL013 (invalid_trust_policy) checks some thirty things of every statement,
// and in Rego each check is a rule body that walks the statement again:
// almost half of the evaluation time went into it, on statements that are
// nearly always valid. This builtin looks at each statement once, in Go, and
// returns the keys of the statements it cannot vouch for; the rule runs its
// checks on those only. Go never decides a finding: a statement it calls
// valid is one on which none of the rule's checks could fire, and anything
// it is unsure of (an unknown value, an unusual shape, a statement a
// service or federation check applies to) is a suspect, which the rule
// judges in full as before. The vocabulary (element names, principal types,
// regular expressions, STS actions, condition operators) comes from the
// rule as the second argument, so that the rule stays its one source.
// TestSuspectStatements checks the promise on a generated corpus: with
// every statement a suspect, the rule finds exactly the same.

// suspectStatementsName is the builtin's name in Rego.
const suspectStatementsName = "trustlint.suspect_statements"

func init() {
	vocab := types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))
	rego.RegisterBuiltin3(&rego.Function{
		Name: suspectStatementsName,
		Description: "The keys of the statements of a trust policy (an array or object) that are not certainly " +
			"valid for TL013, given lib's vocabulary and the rule's.",
		Decl: types.NewFunction(types.Args(types.A, vocab, vocab), types.NewSet(types.A)),
	}, func(_ rego.BuiltinContext, stmts, libVocab, ruleVocab *ast.Term) (*ast.Term, error) {
		v, err := readVocabulary(libVocab.Value, ruleVocab.Value)
		if err != nil {
			return nil, err
		}
		var out lazySet // most policies have no suspect
		switch c := stmts.Value.(type) {
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
		return out.term(), nil
	})
}

// vocabulary is what TL013 accepts, read from lib.vocabulary and the
// rule's vocabulary.
type vocabulary struct {
	elements, principalTypes, stsActions, operators, idps, services map[string]bool
	account, principalARN, uniqueID, oidcARN, samlARN               *regexp.Regexp
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
		return nil, fmt.Errorf("%s: a vocabulary is not an object", suspectStatementsName)
	}
	key := [2]ast.Object{lo, ro}
	if v, ok := vocabularies.Load(key); ok {
		return v.(*vocabulary), nil
	}
	l := vocabReader{name: suspectStatementsName, obj: lo}
	r := vocabReader{name: suspectStatementsName, obj: ro}
	v := &vocabulary{
		elements:       r.set("elements"),
		principalTypes: r.set("principal_types"),
		stsActions:     r.set("sts_actions"),
		operators:      l.set("condition_operators"),
		idps:           l.set("builtin_idps"),
		services:       map[string]bool{},
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
		o.Foreach(func(k, _ *ast.Term) {
			if s, ok := str(k.Value); ok {
				v.services[s] = true
			}
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
// on x. False means "look": never a finding by itself.
func (v *vocabulary) validStatement(x ast.Value) bool {
	s, ok := x.(ast.Object)
	if !ok || isUnknown(s) {
		return false
	}
	var effect, principal, action ast.Value
	var actionElem string
	valid := true
	s.Foreach(func(k, val *ast.Term) {
		key, ok := str(k.Value)
		if !ok || !valid {
			valid = false
			return
		}
		switch {
		case !v.elements[key]:
			valid = false // unknown element
		case key == "Effect":
			effect = val.Value
		case key == "Principal":
			principal = val.Value
		case key == "Action", key == "NotAction":
			if action != nil {
				valid = false // both: judged in full
			}
			action, actionElem = val.Value, key
		case key == "Condition":
			valid = v.validCondition(val.Value)
		case key == "Sid":
		default:
			valid = false // NotPrincipal, Resource, NotResource
		}
	})
	if !valid || effect == nil || principal == nil || action == nil {
		return false
	}
	e, _ := str(effect)
	if e != "Allow" && e != "Deny" {
		return false
	}
	actions, ok := v.validActions(action)
	if !ok {
		return false
	}
	p, ok := principal.(ast.Object)
	if !ok || isUnknown(p) {
		return false
	}
	kinds := map[string]bool{}
	valid = true
	p.Foreach(func(k, vals *ast.Term) {
		t, _ := str(k.Value)
		if !valid || !v.principalTypes[t] {
			valid = false
			return
		}
		list, ok := vals.Value.(*ast.Array)
		if !ok {
			// An unknown list is skipped by every check; anything
			// else is judged in full.
			valid = isUnknown(vals.Value)
			return
		}
		list.Foreach(func(x *ast.Term) {
			if valid && !isUnknown(x.Value) {
				valid = v.validPrincipal(t, x.Value, e, kinds)
			} else if valid && t == "Federated" {
				valid = false // may be a provider of either kind
			}
		})
	})
	if !valid {
		return false
	}
	if e == "Allow" && p.Len() == 1 && p.Get(ast.InternedTerm("Federated")) != nil {
		// The rule checks that the statement allows what its providers
		// need: vouch only for an Action list that plainly does.
		if actionElem != "Action" {
			return false
		}
		for kind := range kinds {
			if !allowsAction(actions, v.federation[kind]) {
				return false
			}
		}
	}
	return true
}

// validActions reports whether the Action or NotAction value holds only STS
// actions (or unknowns), and returns the known patterns.
func (v *vocabulary) validActions(x ast.Value) ([]string, bool) {
	list, ok := x.(*ast.Array)
	if !ok {
		return nil, isUnknown(x)
	}
	out := make([]string, 0, list.Len())
	valid := true
	list.Foreach(func(t *ast.Term) {
		if !valid || isUnknown(t.Value) {
			return
		}
		a, ok := str(t.Value)
		if !ok {
			valid = false
			return
		}
		out = append(out, a)
		if l := strings.ToLower(a); !v.stsActions[l] {
			valid = strings.ContainsAny(a, "*?") && v.matchesSTS(l)
		}
	})
	return out, valid
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

// allowsAction: some pattern of the Action list matches the lower-cased
// action (lib.action_matches).
func allowsAction(patterns []string, action string) bool {
	if action == "" {
		return false
	}
	for _, p := range patterns {
		if globMatch(strings.ToLower(p), action) {
			return true
		}
	}
	return false
}

// validPrincipal judges one known value of principal type t; kinds collects
// the kinds of Federated providers.
func (v *vocabulary) validPrincipal(t string, x ast.Value, effect string, kinds map[string]bool) bool {
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
		if effect != "Allow" {
			return true
		}
		name := strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(s), ".cn"), ".amazonaws.com")
		return !v.services[name] // a service whose needs the rule checks
	case "Federated":
		switch {
		case v.samlARN.MatchString(s):
			kinds["saml"] = true
		case v.oidcARN.MatchString(s), v.idps[strings.ToLower(s)]:
			kinds["oidc"] = true
		default:
			return false
		}
	}
	return true
}

// forPrefix is the set-operator prefix lib.valid_operator strips.
var forPrefix = regexp.MustCompile(`^For(AllValues|AnyValue):`)

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
		valid = v.operators[strings.TrimSuffix(forPrefix.ReplaceAllString(op, ""), "IfExists")]
	})
	return valid
}
