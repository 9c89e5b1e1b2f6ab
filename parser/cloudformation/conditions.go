package cloudformation

import (
	"sort"
	"strconv"
	"strings"

	"github.com/trustlint/trustlint/parser/tree"
)

// MaxVariants is the largest number of variants of one role (one per
// feasible assignment of the conditions its Fn::Ifs name) that Parse emits.
const MaxVariants = 64

// maxAssignments bounds the assignments of atoms enumerated per role.
const maxAssignments = 4096

// other is the value of a symbol that equals none of the literals it is
// compared with.
const other = "\x00other"

// conditions decides which combinations of the template's conditions can
// hold. Its atoms are the Fn::Equals of the Conditions section: comparing a
// symbol (an expression that is not static, such as !Ref Env) with a literal
// binds the symbol to one value, so the atoms about one symbol are decided
// together; any other condition that cannot be read is a free boolean.
type conditions struct {
	t     *template
	r     *resolver // in condMode: every Ref is unknown
	ops   map[*tree.Node]operand
	syms  map[string]map[string]bool // symbol → literals compared with it
	free  map[string]bool            // free boolean atoms
	stack map[string]bool            // conditions being evaluated
	cache map[string]variantSet      // variants by names and resource condition
}

// variantSet is the variants of a role; truncated is set when it has more
// than MaxVariants (or too many to enumerate) and only some are analyzed.
type variantSet struct {
	vs        []variant
	truncated bool
}

// operand is one side of a Fn::Equals: a literal or a symbol.
type operand struct {
	lit, sym string
	isLit    bool
}

// assignment gives each symbol a value and each free atom a truth value.
// A nil assignment collects the atoms instead.
type assignment struct {
	vals map[string]string
	free map[string]bool
}

func newConditions(t *template) *conditions {
	return &conditions{t: t, r: &resolver{t: t, condMode: true}}
}

// variant is one assignment of the conditions that a role's Fn::Ifs name,
// with what it tells about parameters.
type variant struct {
	// asg gives each condition its value; nil makes every Fn::If unknown.
	asg map[string]bool
	// binds gives the value of the parameters whose Default contradicts
	// the assignment: under IsProd (Env == prod), Env is "prod" whatever
	// its Default; a parameter that equals none of the literals it is
	// compared with is unknown.
	binds map[string]binding
}

// binding is the value of a parameter under a variant.
type binding struct {
	lit   string
	known bool
}

// variants returns the variants under which a role is analyzed: the
// assignments of the conditions names (which its Fn::Ifs name), restricted
// to those where the condition resCond (the resource's Condition, or "")
// holds. It returns a single variant without assignment when there is
// nothing to assign, and none when resCond can never hold. When the role
// has more than MaxVariants variants, or its atoms have too many
// assignments to enumerate them all, some are analyzed (see enumerate) and
// truncated is set.
func (c *conditions) variants(names []string, resCond string) (vs []variant, truncated bool) {
	if len(names) == 0 && resCond == "" {
		return []variant{{}}, false
	}
	// The roles of a template often name the same conditions.
	key := strings.Join(names, "\x00") + "\x01" + resCond
	if v, ok := c.cache[key]; ok {
		return v.vs, v.truncated
	}
	v := c.enumerate(names, resCond)
	if c.cache == nil {
		c.cache = map[string]variantSet{}
	}
	c.cache[key] = v
	return v.vs, v.truncated
}

// enumerate computes variants. The assignments of the atoms are tried in
// a stable order: every one when they are at most maxAssignments and give
// at most 4*MaxVariants variants, else the first ones (in mixed radix, the
// first atom fastest) and then those that give every atom the same value
// index, so that each value of each atom is tried. Of the distinct variants found, at most
// MaxVariants are kept (see pickVariants).
func (c *conditions) enumerate(names []string, resCond string) variantSet {
	c.syms, c.free = map[string]map[string]bool{}, map[string]bool{}
	for _, n := range names {
		c.name(n, nil)
	}
	if resCond != "" {
		c.name(resCond, nil)
	}
	syms := sortedKeys(c.syms)
	free := sortedKeys(c.free)
	domains := make([][]string, len(syms), len(syms)+len(free))
	total, widest := 1, 2
	for i, s := range syms {
		domains[i] = append(sortedKeys(c.syms[s]), other)
		widest = max(widest, len(domains[i]))
	}
	for range free {
		domains = append(domains, []string{"false", "true"})
	}
	for _, d := range domains {
		if total > maxAssignments {
			break
		}
		total *= len(d)
	}
	truncated := total > maxAssignments

	var found [][]bool
	values := map[string][]map[string]bool{} // by key: symbol index → values seen
	a := &assignment{vals: make(map[string]string, len(syms)), free: make(map[string]bool, len(free))}
	key := make([]byte, len(names))
	digits := make([]int, len(domains))
	try := func() {
		for i, s := range syms {
			a.vals[s] = domains[i][digits[i]]
		}
		for i, f := range free {
			a.free[f] = digits[len(syms)+i] == 1
		}
		if resCond != "" && !c.name(resCond, a) {
			return
		}
		bits := make([]bool, len(names))
		for i, n := range names {
			bits[i] = c.name(n, a)
			key[i] = '0' + b2i(bits[i])
		}
		seen, ok := values[string(key)]
		if !ok {
			found = append(found, bits)
			seen = make([]map[string]bool, len(syms))
			for i := range seen {
				seen[i] = map[string]bool{}
			}
			values[string(key)] = seen
		}
		for i, s := range syms {
			seen[i][a.vals[s]] = true
		}
	}
	for k := range min(total, maxAssignments) {
		if len(found) >= 4*MaxVariants {
			truncated = true // enough to choose from
			break
		}
		for i, d := range domains {
			digits[i] = k % len(d)
			k /= len(d)
		}
		try()
	}
	if truncated {
		for j := range widest {
			for i, d := range domains {
				digits[i] = j % len(d)
			}
			try()
		}
	}
	truncated = truncated || len(found) > MaxVariants
	found = pickVariants(found, MaxVariants)
	out := make([]variant, len(found))
	for i, bits := range found {
		v := variant{asg: make(map[string]bool, len(names))}
		for j, n := range names {
			v.asg[n] = bits[j]
			key[j] = '0' + b2i(bits[j])
		}
		v.binds = c.binds(syms, values[string(key)])
		out[i] = v
	}
	return variantSet{vs: out, truncated: truncated}
}

// binds returns the parameter values that the values a variant allows its
// symbols (seen[i] for syms[i]) impose: none when the Default is one of
// them, else the only literal allowed, else unknown.
func (c *conditions) binds(syms []string, seen []map[string]bool) map[string]binding {
	var out map[string]binding
	for i, s := range syms {
		name, ok := strings.CutPrefix(s, "!Ref ")
		p := c.t.params[name]
		if !ok || p == nil {
			continue
		}
		vals := seen[i]
		if d, ok := c.defaultLit(p); ok && (vals[d] || (!c.syms[s][d] && vals[other])) {
			continue // the Default is consistent with the variant
		}
		b := binding{}
		if len(vals) == 1 {
			for v := range vals {
				b = binding{lit: v, known: v != other}
			}
		}
		if out == nil {
			out = map[string]binding{}
		}
		out[name] = b
	}
	return out
}

// defaultLit returns the Default of parameter p as a literal.
func (c *conditions) defaultLit(p *param) (string, bool) {
	if p.def == nil {
		return "", false
	}
	op := c.operand(p.def)
	return op.lit, op.isLit
}

func b2i(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// pickVariants keeps at most max of the assignments found, in their order:
// first those that give some condition a value no kept one gives it.
func pickVariants(found [][]bool, limit int) [][]bool {
	if len(found) <= limit {
		return found
	}
	keep := make([]bool, len(found))
	covered := map[[2]int]bool{}
	kept := 0
	for kept < limit {
		best, gain := -1, 0
		for i, bits := range found {
			if keep[i] {
				continue
			}
			g := 0
			for j, b := range bits {
				if !covered[[2]int{j, int(b2i(b))}] {
					g++
				}
			}
			if g > gain {
				best, gain = i, g
			}
		}
		if best < 0 {
			break
		}
		keep[best] = true
		kept++
		for j, b := range found[best] {
			covered[[2]int{j, int(b2i(b))}] = true
		}
	}
	for i := 0; kept < limit && i < len(found); i++ {
		if !keep[i] {
			keep[i] = true
			kept++
		}
	}
	var out [][]bool
	for i, k := range keep {
		if k {
			out = append(out, found[i])
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// name evaluates the condition called name under a (or collects its
// atoms when a is nil).
func (c *conditions) name(name string, a *assignment) bool {
	def := c.t.conditions[name]
	if def == nil || c.stack[name] {
		return c.atom("!Condition "+name, a)
	}
	if c.stack == nil {
		c.stack = map[string]bool{}
	}
	c.stack[name] = true
	defer delete(c.stack, name)
	return c.eval(def, a)
}

// atom is the value of a free boolean atom.
func (c *conditions) atom(key string, a *assignment) bool {
	if a == nil {
		c.free[key] = true
		return false
	}
	return a.free[key]
}

// eval evaluates condition function n under a (or collects its atoms).
func (c *conditions) eval(n *tree.Node, a *assignment) bool {
	fn, arg, ok := intrinsicOf(n)
	if !ok {
		return c.atom(render(n), a)
	}
	switch fn {
	case "Fn::Equals":
		if arg.Kind == tree.Array && arg.Len() == 2 {
			return c.equals(c.operand(arg.Elems[0]), c.operand(arg.Elems[1]), a)
		}
	case "Fn::Not":
		if arg.Kind == tree.Array && arg.Len() == 1 {
			return !c.eval(arg.Elems[0], a)
		}
	case "Fn::And", "Fn::Or":
		if arg.Kind == tree.Array && arg.Len() > 0 {
			and := fn == "Fn::And"
			v := and
			for _, e := range arg.Elements() {
				x := c.eval(e, a) // every operand, for the atoms
				if and {
					v = v && x
				} else {
					v = v || x
				}
			}
			return v
		}
	case "Condition":
		if arg.Kind == tree.String {
			return c.name(arg.Str, a)
		}
	}
	return c.atom(render(n), a)
}

// equals evaluates Fn::Equals of x and y.
func (c *conditions) equals(x, y operand, a *assignment) bool {
	switch {
	case x.isLit && y.isLit:
		return x.lit == y.lit
	case x.isLit:
		x, y = y, x
		fallthrough
	case y.isLit:
		if a == nil {
			if c.syms[x.sym] == nil {
				c.syms[x.sym] = map[string]bool{}
			}
			c.syms[x.sym][y.lit] = true
			return false
		}
		return a.vals[x.sym] == y.lit
	case x.sym == y.sym:
		return true
	}
	k1, k2 := x.sym, y.sym
	if k2 < k1 {
		k1, k2 = k2, k1
	}
	return c.atom(k1+" == "+k2, a)
}

// operand reads one side of a Fn::Equals.
func (c *conditions) operand(n *tree.Node) operand {
	if op, ok := c.ops[n]; ok {
		return op
	}
	if c.ops == nil {
		c.ops = map[*tree.Node]operand{}
	}
	c.r.steps = 0
	v := c.r.resolve(n)
	op := operand{sym: render(n)}
	if !v.noValue && v.n != nil {
		switch v.n.Kind {
		case tree.String, tree.Number:
			op = operand{lit: v.n.Str, isLit: true}
		case tree.Bool:
			op = operand{lit: strconv.FormatBool(v.n.Bool), isLit: true}
		}
	}
	c.ops[n] = op
	return op
}

// ifNames appends to names the conditions named by the Fn::Ifs in n, in
// the order they are written, without repeats.
func ifNames(n *tree.Node, names []string, depth int) []string {
	if n == nil || depth > 2*MaxDepth {
		return names
	}
	if fn, arg, ok := intrinsicOf(n); ok && fn == "Fn::If" &&
		arg.Kind == tree.Array && arg.Len() == 3 && arg.Elems[0].Kind == tree.String {
		names = addName(names, arg.Elems[0].Str)
	}
	for _, m := range n.Members {
		names = ifNames(m.Value, names, depth+1)
	}
	for _, e := range n.Elems { // a packed list holds scalars only
		names = ifNames(e, names, depth+1)
	}
	return names
}

// addName appends name to names unless it is there.
func addName(names []string, name string) []string {
	for _, x := range names {
		if x == name {
			return names
		}
	}
	return append(names, name)
}
