package rules

import (
	"crypto/sha256"
	_ "embed" // builtin.ast
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/version"

	"github.com/trustlint/trustlint/internal/par"
	"github.com/trustlint/trustlint/model"
)

// Pre-compiled built-in rules.
//
// Parsing the embedded Rego and reading its METADATA was a third of the CPU
// of a one-file scan, and compiling it most of the rest. builtin.ast holds
// the result of that work, made at build time (go generate;
// TestPreparsedFresh fails when it is stale): for every embedded module the
// syntax tree as OPA's compiler leaves it after compiling the whole
// embedded set without its check-only stages (imports resolved, local
// variables renamed, expressions expanded and reordered for safety), the
// compiler's map of renamed variables, and the catalog read from the
// METADATA. Decoding it only allocates the trees, and compiling them only
// runs the stages that index them (compiledStages).
//
// A module is decoded only when its source hashes to the digest stored
// with it, builtin.ast is used only when every module does and it was made
// by the OPA version the binary is built with, so a binary built from
// edited rules without regenerating still parses and compiles them in
// full. The user's rules are always parsed, and a rule set with any of
// them is compiled from freshly parsed modules with every compiler check.

//go:generate go test . -run ^TestPreparsedFresh$ -update

//go:embed builtin.ast
var builtinAST string

// astMagic starts builtin.ast; it changes with the encoding. The OPA
// version that compiled the modules follows it, then whether the compiler
// built comprehension indices for them.
const astMagic = "trustlint-ast-4\n"

// preparsedModule is one compiled module of builtin.ast. It is decoded
// once per process, by whichever caller comes first (OPA's compiler copies
// the modules it compiles, so every engine can share it).
type preparsedModule struct {
	name string
	sum  [sha256.Size]byte
	data string
	// current is the source last found to hash to sum: the embedded
	// source is read once per process (BuiltinModules), so later checks
	// compare it by its data pointer instead of hashing it again.
	current atomic.Pointer[string]
	once    sync.Once
	mod     *ast.Module
	err     error
}

// matches reports whether src is the source the module was encoded from.
func (p *preparsedModule) matches(src string) bool {
	if c := p.current.Load(); c != nil && *c == src {
		return true
	}
	if sha256.Sum256([]byte(src)) != p.sum {
		return false
	}
	p.current.Store(&src)
	return true
}

// decode returns the module decoded from src (the source it matches).
func (p *preparsedModule) decode(src string) (*ast.Module, error) {
	p.once.Do(func() { p.mod, p.err = decodeModule(p.data, src) })
	return p.mod, p.err
}

// preparsedSet is builtin.ast split into modules, with the compiler's
// renamed variables and the catalog.
type preparsedSet struct {
	mods []*preparsedModule
	// rewritten is the compiler's RewrittenVars (a generated variable ->
	// the rule's own name for it), which only traces and error messages
	// read.
	rewritten map[ast.Var]ast.Var
	// indexed says whether the compiler built any comprehension index for
	// the modules: when it did not, their compile skips that stage.
	indexed bool
	catalog []catalogEntry
}

// catalogEntry is one rule of the pre-read catalog.
type catalogEntry struct {
	pkg  string
	meta model.RuleMeta
}

// readPreparsed splits builtin.ast; nil when it is missing, unreadable or
// made by another OPA version (the rules are then parsed and compiled).
var readPreparsed = sync.OnceValue(func() *preparsedSet {
	set, err := splitPreparsed(builtinAST, version.Version)
	if err != nil {
		return nil
	}
	return set
})

// pendingModule is a module of builtin.ast to decode, with its source.
type pendingModule struct {
	enc *preparsedModule
	src string
}

// preparsed returns the compiled modules of builtin.ast for mods, still
// encoded, and their catalog, when every module that is not a test is an
// embedded one that builtin.ast holds for its current source; ok is false
// otherwise. It only hashes the sources: decode them with decodeModules.
// A subset of the embedded modules (rules disabled) compiles to the same
// trees as the whole set: no module refers to a rule package but its own
// (encodePreparsed checks it).
func preparsed(mods []Module) (todo []pendingModule, catalog []catalogEntry, ok bool) {
	set := readPreparsed()
	if set == nil {
		return nil, nil, false
	}
	byName := make(map[string]*preparsedModule, len(set.mods))
	for _, p := range set.mods {
		byName[p.name] = p
	}
	names := map[string]bool{}
	for _, m := range mods {
		if m.Test {
			continue
		}
		p := byName[m.Name]
		if p == nil || !p.matches(m.Src) {
			return nil, nil, false
		}
		names[m.Name] = true
		todo = append(todo, pendingModule{p, m.Src})
	}
	for _, e := range set.catalog {
		if names[e.meta.Source] {
			catalog = append(catalog, e)
		}
	}
	return todo, catalog, true
}

// decodeModules decodes the modules on up to GOMAXPROCS goroutines (each
// once per process: a second caller waits for the first); ok is false when
// one does not decode (never, unless builtin.ast is damaged): the set must
// then be parsed and compiled in full, since compiled and parsed modules
// cannot be compiled together.
func decodeModules(todo []pendingModule) (compiled map[string]*ast.Module, ok bool) {
	out := make([]*ast.Module, len(todo))
	par.Each(0, len(todo), func(i int) {
		if m, err := todo[i].enc.decode(todo[i].src); err == nil {
			out[i] = m
		}
	})
	compiled = make(map[string]*ast.Module, len(todo))
	for i, p := range todo {
		if out[i] == nil {
			return nil, false
		}
		compiled[p.enc.name] = out[i]
	}
	return compiled, true
}

// preparsedCatalog is the catalog of the built-in rules from builtin.ast,
// sorted by ID, when it is current.
func preparsedCatalog(entries []catalogEntry) ([]model.RuleMeta, map[string]*model.RuleMeta) {
	catalog := make([]model.RuleMeta, len(entries))
	byPkg := make(map[string]*model.RuleMeta, len(entries))
	for i, e := range entries {
		catalog[i] = e.meta
		byPkg[e.pkg] = &catalog[i]
	}
	return catalog, byPkg
}

// splitPreparsed reads the module index, the renamed variables and the
// catalog of builtin.ast, which must have been compiled by OPA opaVersion.
func splitPreparsed(b, opaVersion string) (*preparsedSet, error) {
	d := &astDecoder{b: b}
	if !strings.HasPrefix(b, astMagic) {
		return nil, errors.New("builtin.ast: unknown format")
	}
	d.pos = len(astMagic)
	if v := d.rawString(); d.err == nil && v != opaVersion {
		return nil, fmt.Errorf("builtin.ast: compiled by OPA %s, not %s", v, opaVersion)
	}
	set := &preparsedSet{indexed: d.bool()}
	for range d.uint() {
		m := &preparsedModule{name: d.rawString()}
		copy(m.sum[:], d.bytes(sha256.Size))
		m.data = d.bytes(d.uint())
		set.mods = append(set.mods, m)
	}
	n := d.uint()
	set.rewritten = make(map[ast.Var]ast.Var, n)
	for range n {
		k := ast.Var(d.rawString())
		set.rewritten[k] = ast.Var(d.rawString())
	}
	for range d.uint() {
		e := catalogEntry{pkg: d.rawString()}
		r := &e.meta
		r.ID, r.Name, r.Title, r.Description, r.Remediation = d.rawString(), d.rawString(), d.rawString(), d.rawString(), d.rawString()
		r.Severity = d.float()
		r.Precision = d.rawString()
		r.Tags = d.rawStrings()
		r.HelpURI = d.rawString()
		if n := d.uint(); n > 0 {
			r.References = make([]model.Reference, n-1)
			for i := range r.References {
				r.References[i] = model.Reference{URL: d.rawString(), Description: d.rawString()}
			}
		}
		if n := d.uint(); n > 0 {
			r.Examples = make([]model.RuleExample, n-1)
			for i := range r.Examples {
				r.Examples[i] = model.RuleExample{Format: d.rawString(), Bad: d.rawString(), Good: d.rawString()}
			}
		}
		r.Source = d.rawString()
		r.Builtin = d.bool()
		set.catalog = append(set.catalog, e)
	}
	if d.err == nil && d.pos != len(b) {
		d.fail("trailing bytes")
	}
	if d.err != nil {
		return nil, d.err
	}
	return set, nil
}

// Value tags of the encoding.
const (
	tagNull = iota
	tagFalse
	tagTrue
	tagNumber
	tagString
	tagVar
	tagRef
	tagArray
	tagObject
	tagSet
	tagArrayCompr
	tagObjectCompr
	tagSetCompr
	tagCall
)

// Expression term tags.
const (
	exprTerm = iota
	exprTerms
	exprSome
	exprEvery
)

// Location text modes: a location's text is almost always the source at
// its offset. locSeen is a location shared with a term before it (the
// compiler shares them between a term and its copies), by its number in
// the order of first appearance.
const (
	locNone = iota
	locSource
	locText
	locNilText
	locSeen
)

// astDecoder reads one module (or the index) from the embedded string, so
// every string it reads is a substring of builtin.ast, never a copy. Errors
// stick: after the first, every read returns zero values.
type astDecoder struct {
	b    string
	pos  int
	err  error
	strs []string
	src  []byte
	file string
	// vals holds each string of the table boxed as a value of each kind
	// (a Var, a String, a Number), made once: values are immutable, so
	// terms can share them.
	vals [3][]ast.Value
	// The module's terms, locations, expressions and their lists are cut
	// from one array each, sized by the counts the encoding starts with.
	termSlab slab[ast.Term]
	locs     slab[ast.Location]
	exprs    slab[ast.Expr]
	termPtrs slab[*ast.Term]
	exprPtrs slab[*ast.Expr]
	tabs     slab[int]
	// seen are the module's locations so far, in order.
	seen []*ast.Location
}

// slab hands out the elements of one array; short is set when it was asked
// for more than it holds (the encoding is damaged).
type slab[T any] struct {
	free  []T
	short bool
}

func (s *slab[T]) init(n int) { s.free = make([]T, n) }

// next returns the next unused element.
func (s *slab[T]) next() *T {
	if len(s.free) == 0 {
		s.short = true
		return new(T)
	}
	p := &s.free[0]
	s.free = s.free[1:]
	return p
}

// list returns the next n unused elements, with no room to append.
func (s *slab[T]) list(n int) []T {
	if n > len(s.free) {
		s.short = true
		return make([]T, n)
	}
	l := s.free[:n:n]
	s.free = s.free[n:]
	return l
}

// used reports whether every element was handed out, and no more.
func (s *slab[T]) used() bool { return len(s.free) == 0 && !s.short }

func (d *astDecoder) fail(msg string) {
	if d.err == nil {
		d.err = fmt.Errorf("builtin.ast: %s at byte %d", msg, d.pos)
	}
}

func (d *astDecoder) uint() int {
	var v uint64
	for shift := uint(0); d.err == nil; shift += 7 {
		if d.pos >= len(d.b) || shift > 28 {
			break
		}
		c := d.b[d.pos]
		d.pos++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			if v > math.MaxInt32 {
				break
			}
			return int(v)
		}
	}
	d.fail("bad number")
	return 0
}

func (d *astDecoder) float() float64 {
	b := d.bytes(8)
	if len(b) < 8 {
		return 0
	}
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return math.Float64frombits(v)
}

func (d *astDecoder) bool() bool { return d.uint() != 0 }

func (d *astDecoder) bytes(n int) string {
	if d.err != nil || n > len(d.b)-d.pos {
		d.fail("truncated")
		return ""
	}
	b := d.b[d.pos : d.pos+n]
	d.pos += n
	return b
}

func (d *astDecoder) rawString() string { return d.bytes(d.uint()) }

func (d *astDecoder) rawStrings() []string {
	n := d.uint()
	if n == 0 {
		return nil
	}
	out := make([]string, n-1)
	for i := range out {
		out[i] = d.rawString()
	}
	return out
}

// strIndex reads an index into the module's string table.
func (d *astDecoder) strIndex() int {
	i := d.uint()
	if i >= len(d.strs) {
		d.fail("bad string index")
		return -1
	}
	return i
}

// str reads a string of the module's string table.
func (d *astDecoder) str() string {
	if i := d.strIndex(); i >= 0 {
		return d.strs[i]
	}
	return ""
}

// Kinds of values boxed from the string table (astDecoder.vals).
const (
	boxVar = iota
	boxString
	boxNumber
)

// boxed returns the string of the table read next as a value of kind.
func (d *astDecoder) boxed(kind int) ast.Value {
	i := d.strIndex()
	if i < 0 {
		return ast.NullValue
	}
	if v := d.vals[kind][i]; v != nil {
		return v
	}
	var v ast.Value
	switch kind {
	case boxVar:
		v = ast.Var(d.strs[i])
	case boxString:
		v = ast.String(d.strs[i])
	default:
		v = ast.Number(d.strs[i])
	}
	d.vals[kind][i] = v
	return v
}

// decodeModule builds the compiled module encoded in b, whose source is
// src (the locations' text points into it).
func decodeModule(b, src string) (mod *ast.Module, err error) {
	defer func() {
		// A damaged encoding can make OPA's constructors panic (an array
		// element missing); the module is then parsed instead.
		if r := recover(); r != nil {
			mod, err = nil, fmt.Errorf("builtin.ast: %v", r)
		}
	}()
	d := &astDecoder{b: b, src: []byte(src)}
	d.strs = make([]string, d.uint())
	for i := range d.strs {
		d.strs[i] = d.rawString()
	}
	for k := range d.vals {
		d.vals[k] = make([]ast.Value, len(d.strs))
	}
	// Counts, each at most one per byte of the encoding.
	limit := func() int {
		n := d.uint()
		if n > len(b) {
			d.fail("bad count")
			return 0
		}
		return n
	}
	d.termSlab.init(limit())
	d.locs.init(limit())
	d.exprs.init(limit())
	d.termPtrs.init(limit())
	d.exprPtrs.init(limit())
	d.tabs.init(limit())
	d.seen = make([]*ast.Location, 0, len(d.locs.free))
	d.file = d.str()
	m := &ast.Module{}
	m.SetRegoVersionSpan(ast.RegoVersionSpanOf(ast.RegoV1))
	m.Package = &ast.Package{Path: d.ref(), Location: d.loc()}
	if n := d.uint(); n > 0 {
		m.Imports = make([]*ast.Import, n-1)
		for i := range m.Imports {
			imp := &ast.Import{Path: d.term()}
			imp.Alias = ast.Var(d.str())
			imp.Location, imp.AliasLocation = d.loc(), d.loc()
			m.Imports[i] = imp
		}
	}
	if n := d.uint(); n > 0 {
		m.Rules = make([]*ast.Rule, n-1)
		for i := range m.Rules {
			m.Rules[i] = d.rule(m)
		}
	}
	if d.err == nil && d.pos != len(d.b) {
		d.fail("trailing bytes")
	}
	if d.err == nil && !d.slabsUsed() {
		d.fail("counts differ from the contents")
	}
	return m, d.err
}

// slabsUsed reports whether the counts the module starts with were exact.
func (d *astDecoder) slabsUsed() bool {
	return d.termSlab.used() && d.locs.used() && d.exprs.used() && d.termPtrs.used() && d.exprPtrs.used() && d.tabs.used()
}

func (d *astDecoder) loc() *ast.Location {
	mode := d.uint()
	if mode == locNone || d.err != nil {
		return nil
	}
	if mode == locSeen {
		i := d.uint()
		if i >= len(d.seen) {
			d.fail("bad location number")
			return nil
		}
		return d.seen[i]
	}
	l := d.locs.next()
	d.seen = append(d.seen, l)
	*l = ast.Location{File: d.file, Row: d.uint(), Col: d.uint(), Offset: d.uint()}
	switch mode {
	case locSource:
		n := d.uint()
		if l.Offset+n > len(d.src) {
			d.fail("location outside the source")
			return nil
		}
		l.Text = d.src[l.Offset : l.Offset+n : l.Offset+n]
	case locText:
		l.Text = []byte(d.rawString())
	case locNilText:
	default:
		d.fail("bad location")
	}
	if n := d.uint(); n > 0 {
		l.Tabs = d.tabs.list(n - 1)
		for i := range l.Tabs {
			l.Tabs[i] = d.uint()
		}
	}
	return l
}

func (d *astDecoder) rule(m *ast.Module) *ast.Rule {
	r := &ast.Rule{Module: m, Location: d.loc(), Default: d.bool()}
	h := &ast.Head{Name: ast.Var(d.str()), Reference: d.ref()}
	if args := d.terms(); args != nil {
		h.Args = ast.Args(args)
	}
	h.Key, h.Value, h.Assign, h.Location = d.term(), d.term(), d.bool(), d.loc()
	r.Head = h
	r.Body = d.body()
	if d.bool() {
		r.Else = d.rule(m)
	}
	return r
}

func (d *astDecoder) body() ast.Body {
	n := d.uint()
	if n == 0 || d.err != nil {
		return nil
	}
	body := ast.Body(d.exprPtrs.list(n - 1))
	for i := range body {
		body[i] = d.expr()
	}
	return body
}

func (d *astDecoder) expr() *ast.Expr {
	e := d.exprs.next()
	e.Index, e.Generated, e.Negated, e.Location = d.uint(), d.bool(), d.bool(), d.loc()
	if n := d.uint(); n > 0 {
		e.With = make([]*ast.With, n-1)
		for i := range e.With {
			e.With[i] = &ast.With{Target: d.term(), Value: d.term(), Location: d.loc()}
		}
	}
	switch d.uint() {
	case exprTerm:
		e.Terms = d.term()
	case exprTerms:
		e.Terms = d.terms()
	case exprSome:
		e.Terms = &ast.SomeDecl{Symbols: d.terms(), Location: d.loc()}
	case exprEvery:
		e.Terms = &ast.Every{Key: d.term(), Value: d.term(), Domain: d.term(), Body: d.body(), Location: d.loc()}
	default:
		d.fail("bad expression")
	}
	return e
}

func (d *astDecoder) terms() []*ast.Term {
	n := d.uint()
	if n == 0 || d.err != nil {
		return nil
	}
	ts := d.termPtrs.list(n - 1)
	for i := range ts {
		ts[i] = d.term()
	}
	return ts
}

func (d *astDecoder) ref() ast.Ref {
	if ts := d.terms(); ts != nil {
		return ast.Ref(ts)
	}
	return nil
}

func (d *astDecoder) term() *ast.Term {
	if !d.bool() || d.err != nil {
		return nil
	}
	t := d.termSlab.next()
	t.Value = d.value()
	t.Location = d.loc()
	return t
}

func (d *astDecoder) value() ast.Value {
	switch d.uint() {
	case tagNull:
		return ast.NullValue
	case tagFalse:
		return ast.Boolean(false)
	case tagTrue:
		return ast.Boolean(true)
	case tagNumber:
		return d.boxed(boxNumber)
	case tagString:
		return d.boxed(boxString)
	case tagVar:
		return d.boxed(boxVar)
	case tagRef:
		return d.ref()
	case tagArray:
		return ast.NewArray(d.terms()...) // [] with an empty element slice, as Copy leaves it
	case tagObject:
		n := d.uint()
		pairs := make([][2]*ast.Term, n)
		for i := range pairs {
			pairs[i] = [2]*ast.Term{d.term(), d.term()}
		}
		return ast.NewObject(pairs...)
	case tagSet:
		return ast.NewSet(d.terms()...)
	case tagArrayCompr:
		return &ast.ArrayComprehension{Term: d.term(), Body: d.body()}
	case tagObjectCompr:
		return &ast.ObjectComprehension{Key: d.term(), Value: d.term(), Body: d.body()}
	case tagSetCompr:
		return &ast.SetComprehension{Term: d.term(), Body: d.body()}
	case tagCall:
		return ast.Call(d.terms())
	}
	d.fail("bad value")
	return ast.NullValue
}
