package rules

import (
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
)

// lib.federated_principals in Go: the Federated principals of the trust
// statements classified as lib.federated(v) classifies them (federated.rego),
// each OIDC one with its provider from the table and its provider_tests
// (lib.provider_tests(stmt, host)), so that the OIDC rules read them instead
// of calling functions per principal.

// provider is one entry of the provider table (data.trustlint.providers).
type provider struct {
	term *ast.Term
	// host is the compiled host pattern; nil when it is not a string or
	// not a regular expression (regex.match is undefined, the entry never
	// matches).
	host *regexp.Regexp
}

// providerTables caches the read table by the Rego value: the store
// returns the same value on every evaluation.
var (
	providerTables  sync.Map // *ast.Array -> []provider
	providersCached atomic.Int64
)

// providersOf reads the provider table, a list (lib.providers).
func providersOf(x ast.Value) []provider {
	a, ok := x.(*ast.Array)
	if !ok {
		return nil
	}
	if c, ok := providerTables.Load(a); ok {
		return c.([]provider)
	}
	out := make([]provider, 0, a.Len())
	for i := range a.Len() {
		p := provider{term: a.Elem(i)}
		if o, ok := p.term.Value.(ast.Object); ok {
			if h := o.Get(name("host")); h != nil {
				if s, ok := str(h.Value); ok {
					p.host, _ = compileRegexp(s)
				}
			}
		}
		out = append(out, p)
	}
	if providersCached.Add(1) <= maxCached {
		providerTables.Store(a, out)
	}
	return out
}

// providerFor is lib.provider_for(host): the first entry whose host pattern
// matches, nil for none.
func providerFor(providers []provider, host string) *ast.Term {
	for _, p := range providers {
		if p.host != nil && p.host.MatchString(host) {
			return p.term
		}
	}
	return nil
}

// federated is lib.federated(v): the kind, and the host and provider of an
// OIDC principal or the name of a SAML one; ok is false when v is none of
// them.
func (v *factsVocabulary) federated(x ast.Value, providers []provider) (kind, host string, prov *ast.Term, ok bool) {
	if s, isStr := str(x); isStr {
		if m := v.oidcARN.FindStringSubmatch(s); len(m) == 2 {
			prov = providerFor(providers, strings.ToLower(m[1]))
			return "oidc", m[1], prov, prov != nil
		}
		if l := strings.ToLower(s); v.builtinIDPs[l] {
			prov = providerFor(providers, l)
			return "oidc", l, prov, prov != nil
		}
		if m := v.samlARN.FindStringSubmatch(s); len(m) == 2 {
			return "saml", m[1], nil, true
		}
		return "", "", nil, false
	}
	o, isObj := x.(ast.Object)
	if !isObj {
		return "", "", nil, false
	}
	t := o.Get(name("$unknown"))
	if t == nil {
		return "", "", nil, false
	}
	text, isStr := str(t.Value)
	if !isStr {
		return "", "", nil, false
	}
	m := v.oidcTemplateARN.FindStringSubmatch(text)
	if len(m) != 2 {
		return "", "", nil, false
	}
	prov = providerFor(providers, strings.ToLower(v.template.ReplaceAllString(m[1], "x")))
	return "oidc", m[1], prov, prov != nil
}

// federatedPrincipals adds the classified Federated principals of trust
// statement s, whose tests are ts (lib.federated_principals): {"stmt",
// "index", "value", "kind", and "host", "provider" and "provider_tests" for
// OIDC, "name" for SAML}.
func (v *factsVocabulary) federatedPrincipals(s statement, ts []condTest, providers []provider, out *objectSet) {
	list := s.principalList("Federated")
	if list == nil {
		return
	}
	for j := range list.Len() {
		val := list.Elem(j)
		kind, host, prov, ok := v.federated(val.Value, providers)
		if !ok {
			continue
		}
		items := [][2]*ast.Term{
			ast.Item(name("stmt"), s.key),
			ast.Item(name("index"), ast.InternedTerm(j)),
			ast.Item(name("value"), val),
			ast.Item(name("kind"), name(kind)),
		}
		if kind == "saml" {
			items = append(items, ast.Item(name("name"), ast.StringTerm(host)))
		} else {
			items = append(items,
				ast.Item(name("host"), ast.StringTerm(host)),
				ast.Item(name("provider"), prov),
				ast.Item(name("provider_tests"), providerTests(ts, host)))
		}
		out.add(items...)
	}
}

// providerTests is lib.provider_tests(i, host) of a statement with tests
// ts: [operator, claim, values] of every key "<host>:<claim>".
func providerTests(ts []condTest, host string) *ast.Term {
	prefix := strings.ToLower(host) + ":"
	var set ast.Set
	for _, t := range ts {
		claim, ok := strings.CutPrefix(t.key, prefix)
		if !ok {
			continue
		}
		if set == nil {
			set = ast.NewSet()
		}
		set.Add(ast.ArrayTerm(t.op, name(claim), t.vals))
	}
	if set == nil {
		return emptySet
	}
	return ast.NewTerm(set)
}
