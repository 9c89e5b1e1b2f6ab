package rules

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/util"
)

// Sharing evaluations between roles.
//
// One Rego evaluation costs a few hundred microseconds, and account exports
// and generated code repeat trust policies a lot. Two roles get the same
// findings from a rule when the parts of the input that the rule reads
// agree, so the engine keys evaluations on exactly those parts. What a rule
// reads comes from its references, followed through every rule and function
// it depends on (lib included), the way OPA's dependency graph links them:
// a rule that reads input.role.MaxSessionDuration is keyed on it, the rules
// that read only the trust policy and the own account are not, and a custom
// rule that reads the role's name (or input as a whole) is keyed on it and
// never shares with another role.
//
// Rule packages that read the same parts form a group with one query and
// one memo; a role's findings are the union of its groups' findings.

// reads is what a set of rules reads of the rule input.
type reads struct {
	// all: input as a whole, or through a key that is not a constant.
	all bool
	// top lists the top-level input members other than "role" that are read
	// (each keyed as a whole: "policy").
	top []string
	// role: input.role as a whole, or through a non-constant key.
	role bool
	// fields lists the input.role members read.
	fields []string
}

// signature is a canonical text for grouping.
func (r reads) signature() string {
	if r.all {
		return "*"
	}
	var b strings.Builder
	b.WriteString(strings.Join(r.top, ","))
	b.WriteString("|")
	if r.role {
		b.WriteString("role")
	} else {
		b.WriteString(strings.Join(r.fields, ","))
	}
	return b.String()
}

// add records one reference to the input.
func (r *reads) add(ref ast.Ref) {
	if len(ref) < 2 {
		r.all = true
		return
	}
	k, ok := ref[1].Value.(ast.String)
	if !ok {
		r.all = true
		return
	}
	if k != "role" {
		if !slices.Contains(r.top, string(k)) {
			r.top = append(r.top, string(k))
		}
		return
	}
	if len(ref) < 3 {
		r.role = true
		return
	}
	f, ok := ref[2].Value.(ast.String)
	if !ok {
		r.role = true
		return
	}
	if !slices.Contains(r.fields, string(f)) {
		r.fields = append(r.fields, string(f))
	}
}

func (r *reads) sort() {
	sort.Strings(r.top)
	sort.Strings(r.fields)
}

// walk records every reference to the input in x.
func (r *reads) walk(x any) {
	var vis *ast.GenericVisitor
	vis = ast.NewGenericVisitor(func(x any) bool {
		switch x := x.(type) {
		case ast.Ref:
			if x.HasPrefix(ast.InputRootRef) {
				r.add(x)
			}
			if _, ok := x[0].Value.(ast.Var); !ok {
				vis.Walk(x[0]) // a call: its arguments may read the input
			}
			for _, t := range x[1:] { // keys may hold references of their own
				vis.Walk(t)
			}
			return true
		case ast.Var:
			if x.Equal(ast.InputRootDocument.Value) {
				r.all = true // input passed around as a value
			}
		}
		return false
	})
	vis.Walk(x)
}

// rulesReads returns what the given rules and everything they depend on
// read of the input.
func rulesReads(c *ast.Compiler, roots []*ast.Rule) reads {
	var r reads
	seen := map[util.T]bool{}
	queue := make([]util.T, 0, len(roots))
	for _, rule := range roots {
		queue = append(queue, rule)
	}
	for len(queue) > 0 {
		n := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		rule, ok := n.(*ast.Rule)
		if !ok {
			r.all = true
			continue
		}
		r.walk(rule)
		for dep := range c.Graph.Dependencies(n) {
			queue = append(queue, dep)
		}
		for e := rule.Else; e != nil; e = e.Else {
			queue = append(queue, e)
		}
	}
	r.sort()
	return r
}

// group is a set of rule packages that read the same parts of the input.
type group struct {
	names []string // rule package names under data.trustlint.rules
	reads reads
	// query is compiled on first use (Engine.groupQuery).
	query   rego.PreparedEvalQuery
	prepare sync.Once
	prepErr error
	memo    sync.Map // digest -> []RawFinding
}

// ruleNames are the rule packages of mods that define a deny set, by
// their name under data.trustlint.rules, sorted: what the rules queries
// read (denyQuery). A package without one has no findings.
func ruleNames(mods map[string]*ast.Module) []string {
	prefix := rulesRef()
	deny := ast.Var("deny")
	set := map[string]bool{}
	for _, m := range mods {
		p := m.Package.Path
		if len(p) != len(prefix)+1 || !p.HasPrefix(prefix) {
			continue
		}
		s, ok := p[len(prefix)].Value.(ast.String)
		if !ok {
			continue
		}
		for _, r := range m.Rules {
			if r.Head.Ref()[0].Value.Compare(deny) == 0 {
				set[string(s)] = true
				break
			}
		}
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// rulesRef is the reference of rulePackagePrefix (data.trustlint.rules),
// built without OPA's parser, which cost more than grouping the rules.
func rulesRef() ast.Ref {
	parts := strings.Split(strings.TrimSuffix(rulePackagePrefix, "."), ".")
	ref := make(ast.Ref, len(parts), len(parts)+2)
	ref[0] = ast.VarTerm(parts[0])
	for i, p := range parts[1:] {
		ref[i+1] = ast.StringTerm(p)
	}
	return ref
}

// groupRules sorts the rule packages into groups by what they read.
func groupRules(c *ast.Compiler) []*group {
	bySig := map[string]*group{}
	var groups []*group
	for _, name := range ruleNames(c.Modules) {
		ref := append(rulesRef(), ast.StringTerm(name), ast.StringTerm("deny"))
		rd := rulesReads(c, c.GetRules(ref))
		// The own account is the same for every role of an account and
		// configuration: keying on it too costs no sharing and saves
		// evaluating its readers apart from the other rules.
		if !rd.all && !rd.role && !slices.Contains(rd.fields, "own_account") {
			rd.fields = append(rd.fields, "own_account")
			rd.sort()
		}
		sig := rd.signature()
		g, ok := bySig[sig]
		if !ok {
			g = &group{reads: rd}
			bySig[sig] = g
			groups = append(groups, g)
		}
		g.names = append(g.names, name)
	}
	return groups
}

// denyQuery is the query of the rule packages names: the array of their
// deny sets, in the order of names (decodeFindings). Each set is read
// where the rule made it, not gathered into one set of all findings first:
// a policy may have 100,000 findings, and that set cost an object, an
// insert and a sort for each.
func denyQuery(names []string) string {
	refs := make([]string, len(names))
	for i, n := range names {
		refs[i] = "data.trustlint.rules[" + strconv.Quote(n) + "].deny"
	}
	return "[" + strings.Join(refs, ", ") + "]"
}

// key is the digest of what the group's rules read of in; roleDigest and
// policy-like members are hashed once per role by the caller (top).
func (g *group) key(idx int, in map[string]any, top map[string]digest) digest {
	if g.reads.all {
		return hashValue([]any{float64(idx), in})
	}
	parts := []any{float64(idx)}
	for _, k := range g.reads.top {
		d, ok := top[k]
		if !ok {
			parts = append(parts, nil) // absent
			continue
		}
		parts = append(parts, string(d[:]))
	}
	role, _ := in["role"].(map[string]any)
	if g.reads.role {
		parts = append(parts, role)
		return hashValue(parts)
	}
	for _, f := range g.reads.fields {
		v, ok := role[f]
		if !ok {
			parts = append(parts, nil)
			continue
		}
		parts = append(parts, []any{v})
	}
	return hashValue(parts)
}
