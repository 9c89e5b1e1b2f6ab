package rules

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"unsafe"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/version"

	"github.com/trustlint/trustlint/model"
)

// astEncoder writes what astDecoder reads.
type astEncoder struct {
	buf  bytes.Buffer
	strs map[string]int
	list []string
	src  string
	// What the decoder allocates from its slabs: terms, locations,
	// expressions, the elements of term and expression lists, and tab
	// positions.
	nTerm, nLoc, nExpr, nTermPtr, nExprPtr, nTab int
	// locs numbers the locations written so far, in order.
	locs map[*ast.Location]int
}

func (e *astEncoder) uint(v int) {
	if v < 0 {
		panic(fmt.Sprintf("negative number %d", v))
	}
	e.buf.Write(binary.AppendUvarint(nil, uint64(v)))
}

func (e *astEncoder) bool(b bool) {
	if b {
		e.uint(1)
	} else {
		e.uint(0)
	}
}

func (e *astEncoder) rawString(s string) {
	e.uint(len(s))
	e.buf.WriteString(s)
}

func (e *astEncoder) rawStrings(ss []string) { encodeList(e, ss, e.rawString) }

// encodeList writes a list as the decoder reads it: 0 for nil, else the
// length plus one and each element.
func encodeList[T any](e *astEncoder, xs []T, each func(T)) {
	if xs == nil {
		e.uint(0)
		return
	}
	e.uint(len(xs) + 1)
	for _, x := range xs {
		each(x)
	}
}

func (e *astEncoder) str(s string) {
	i, ok := e.strs[s]
	if !ok {
		i = len(e.list)
		e.strs[s] = i
		e.list = append(e.list, s)
	}
	e.uint(i)
}

// encodeModule encodes m, parsed from src without annotations and
// compiled; it panics on anything the decoder would not rebuild as the
// compiler left it.
func encodeModule(m *ast.Module, src string) []byte {
	if m.RegoVersionSpan() != ast.RegoVersionSpanOf(ast.RegoV1) || len(m.Annotations) > 0 {
		panic("module is not Rego v1 parsed without annotations")
	}
	e := &astEncoder{strs: map[string]int{}, src: src, locs: map[*ast.Location]int{}}
	e.str(m.Package.Location.File)
	e.ref(m.Package.Path)
	e.loc(m.Package.Location)
	encodeList(e, m.Imports, func(imp *ast.Import) {
		e.term(imp.Path)
		e.str(string(imp.Alias))
		e.loc(imp.Location)
		e.loc(imp.AliasLocation)
	})
	encodeList(e, m.Rules, func(r *ast.Rule) { e.rule(r, m) })
	body := e.buf.Bytes()
	out := &astEncoder{}
	out.uint(len(e.list))
	for _, s := range e.list {
		out.rawString(s)
	}
	for _, n := range []int{e.nTerm, e.nLoc, e.nExpr, e.nTermPtr, e.nExprPtr, e.nTab} {
		out.uint(n)
	}
	out.buf.Write(body)
	return out.buf.Bytes()
}

func (e *astEncoder) loc(l *ast.Location) {
	if l == nil {
		e.uint(locNone)
		return
	}
	if l.File != e.list[0] {
		panic("location in another file")
	}
	if i, ok := e.locs[l]; ok {
		e.uint(locSeen)
		e.uint(i)
		return
	}
	e.locs[l] = len(e.locs)
	e.nLoc++
	mode := locText
	switch {
	case l.Text == nil:
		mode = locNilText
	case l.Offset+len(l.Text) <= len(e.src) && e.src[l.Offset:l.Offset+len(l.Text)] == string(l.Text):
		mode = locSource
	}
	e.uint(mode)
	e.uint(l.Row)
	e.uint(l.Col)
	e.uint(l.Offset)
	switch mode {
	case locSource:
		e.uint(len(l.Text))
	case locText:
		e.rawString(string(l.Text))
	}
	e.nTab += len(l.Tabs)
	encodeList(e, l.Tabs, e.uint)
}

func (e *astEncoder) rule(r *ast.Rule, m *ast.Module) {
	// OPA's Module.Copy points an else rule at the module copied from.
	if r.Module == nil || !r.Module.Package.Path.Equal(m.Package.Path) || len(r.Annotations) > 0 {
		panic("rule of another module, or with annotations")
	}
	e.loc(r.Location)
	e.bool(r.Default)
	h := r.Head
	e.str(string(h.Name))
	e.ref(h.Reference)
	e.terms(h.Args)
	e.term(h.Key)
	e.term(h.Value)
	e.bool(h.Assign)
	e.loc(h.Location)
	e.body(r.Body)
	e.bool(r.Else != nil)
	if r.Else != nil {
		e.rule(r.Else, m)
	}
}

func (e *astEncoder) body(b ast.Body) {
	e.nExprPtr += len(b)
	encodeList(e, b, e.expr)
}

func (e *astEncoder) expr(x *ast.Expr) {
	e.nExpr++
	e.uint(x.Index)
	e.bool(x.Generated)
	e.bool(x.Negated)
	e.loc(x.Location)
	encodeList(e, x.With, func(w *ast.With) {
		e.term(w.Target)
		e.term(w.Value)
		e.loc(w.Location)
	})
	switch t := x.Terms.(type) {
	case *ast.Term:
		e.uint(exprTerm)
		e.term(t)
	case []*ast.Term:
		e.uint(exprTerms)
		e.terms(t)
	case *ast.SomeDecl:
		e.uint(exprSome)
		e.terms(t.Symbols)
		e.loc(t.Location)
	case *ast.Every:
		e.uint(exprEvery)
		e.term(t.Key)
		e.term(t.Value)
		e.term(t.Domain)
		e.body(t.Body)
		e.loc(t.Location)
	default:
		panic(fmt.Sprintf("expression %T at %v: extend the encoding", x.Terms, x.Location))
	}
}

func (e *astEncoder) terms(ts []*ast.Term) {
	e.nTermPtr += len(ts)
	encodeList(e, ts, e.term)
}

func (e *astEncoder) ref(r ast.Ref) { e.terms(r) }

func (e *astEncoder) term(t *ast.Term) {
	e.bool(t != nil)
	if t == nil {
		return
	}
	e.nTerm++
	e.value(t.Value)
	e.loc(t.Location)
}

func (e *astEncoder) value(v ast.Value) {
	switch v := v.(type) {
	case ast.Null:
		e.uint(tagNull)
	case ast.Boolean:
		if v {
			e.uint(tagTrue)
		} else {
			e.uint(tagFalse)
		}
	case ast.Number:
		e.uint(tagNumber)
		e.str(string(v))
	case ast.String:
		e.uint(tagString)
		e.str(string(v))
	case ast.Var:
		e.uint(tagVar)
		e.str(string(v))
	case ast.Ref:
		e.uint(tagRef)
		e.ref(v)
	case *ast.Array:
		e.uint(tagArray)
		var ts []*ast.Term
		for i := range v.Len() {
			ts = append(ts, v.Elem(i))
		}
		if ts == nil {
			ts = []*ast.Term{}
		}
		e.terms(ts)
	case ast.Object:
		// Members in the parser's order, which only the unexported keys
		// hold (Keys and Foreach sort them; Copy keeps the order).
		e.uint(tagObject)
		e.uint(v.Len())
		keys := unexported(reflect.ValueOf(v).Elem().FieldByName("keys"))
		for i := range keys.Len() {
			el := keys.Index(i).Elem()
			e.term(unexported(el.FieldByName("key")).Interface().(*ast.Term))
			e.term(unexported(el.FieldByName("value")).Interface().(*ast.Term))
		}
	case ast.Set:
		e.uint(tagSet)
		e.terms(append([]*ast.Term{}, unexported(reflect.ValueOf(v).Elem().FieldByName("keys")).Interface().([]*ast.Term)...))
	case *ast.ArrayComprehension:
		e.uint(tagArrayCompr)
		e.term(v.Term)
		e.body(v.Body)
	case *ast.ObjectComprehension:
		e.uint(tagObjectCompr)
		e.term(v.Key)
		e.term(v.Value)
		e.body(v.Body)
	case *ast.SetComprehension:
		e.uint(tagSetCompr)
		e.term(v.Term)
		e.body(v.Body)
	case ast.Call:
		e.uint(tagCall)
		e.terms(v)
	default:
		panic(fmt.Sprintf("value %T: extend the encoding", v))
	}
}

// unexported makes an unexported field of an addressable struct readable.
func unexported(f reflect.Value) reflect.Value {
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// compileFromSource parses the embedded rule modules (not the tests) and
// compiles them as a scan of the embedded rules did before builtin.ast held
// them compiled: every stage but the checkOnlyStages.
func compileFromSource(t testing.TB, disabled ...string) (*ast.Compiler, []Module) {
	t.Helper()
	mods, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	var rules []Module
	parsed := map[string]*ast.Module{}
	for _, m := range mods {
		if m.Test || slices.Contains(disabled, m.Name) {
			continue
		}
		rules = append(rules, m)
		p, err := ast.ParseModuleWithOpts(m.Name, m.Src, ast.ParserOptions{RegoVersion: ast.RegoV1, Capabilities: Capabilities()})
		if err != nil {
			t.Fatal(err)
		}
		p.Comments = nil // as builtin.ast held the parsed modules
		parsed[m.Name] = p
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].Name < rules[j].Name })
	c, err := compileModules(parsed, formParsed)
	if err != nil {
		t.Fatal(err)
	}
	return c, rules
}

// encodePreparsed builds builtin.ast from the embedded rules.
func encodePreparsed(t *testing.T) []byte {
	t.Helper()
	c, rules := compileFromSource(t)
	out := &astEncoder{}
	out.buf.WriteString(astMagic)
	out.rawString(version.Version)
	indexed := false
	for _, m := range c.Modules {
		ast.WalkTerms(m, func(term *ast.Term) bool {
			indexed = indexed || c.ComprehensionIndex(term) != nil
			return indexed
		})
	}
	out.bool(indexed)
	out.uint(len(rules))
	rulesRef := rulesRef()
	for _, m := range rules {
		compiled := c.Modules[m.Name]
		// preparsed takes a subset of the modules (rules disabled) as
		// compiled with the whole set: that holds while no module refers
		// to a rule package but its own.
		own := compiled.Package.Path
		ast.WalkRefs(compiled, func(r ast.Ref) bool {
			if r.HasPrefix(rulesRef) && len(r) > len(rulesRef) && (len(own) <= len(rulesRef) || !r[len(rulesRef)].Equal(own[len(rulesRef)])) {
				t.Fatalf("%s refers to another rule package: %v", m.Name, r)
			}
			return false
		})
		data := encodeModule(compiled, m.Src)
		sum := sha256.Sum256([]byte(m.Src))
		out.rawString(m.Name)
		out.buf.Write(sum[:])
		out.uint(len(data))
		out.buf.Write(data)
	}
	vars := slices.Sorted(maps.Keys(c.RewrittenVars))
	out.uint(len(vars))
	for _, v := range vars {
		out.rawString(string(v))
		out.rawString(string(c.RewrittenVars[v]))
	}
	// The catalog as the METADATA reads today (catalogFromSource).
	parsed, err := ParseModules(rules)
	if err != nil {
		t.Fatal(err)
	}
	catalog, byPkg, err := buildCatalog(parsed)
	if err != nil {
		t.Fatal(err)
	}
	pkgs := map[*model.RuleMeta]string{}
	for pkg, m := range byPkg {
		pkgs[m] = pkg
	}
	out.uint(len(catalog))
	for i := range catalog {
		r := &catalog[i]
		out.rawString(pkgs[r])
		for _, s := range []string{r.ID, r.Name, r.Title, r.Description, r.Remediation} {
			out.rawString(s)
		}
		out.buf.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(r.Severity)))
		out.rawString(r.Precision)
		out.rawStrings(r.Tags)
		out.rawString(r.HelpURI)
		encodeList(out, r.References, func(ref model.Reference) {
			out.rawString(ref.URL)
			out.rawString(ref.Description)
		})
		encodeList(out, r.Examples, func(ex model.RuleExample) {
			out.rawString(ex.Format)
			out.rawString(ex.Bad)
			out.rawString(ex.Good)
		})
		out.rawString(r.Source)
		out.bool(r.Builtin)
	}
	return out.buf.Bytes()
}

// TestPreparsedFresh fails when builtin.ast is not what the embedded rules
// parse to today; go generate ./rules (or -update) rewrites it.
func TestPreparsedFresh(t *testing.T) {
	want := encodePreparsed(t)
	if *updateCorpus { // -update rewrites every generated file of the package
		if err := os.WriteFile("builtin.ast", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if builtinAST != string(want) {
		t.Fatal("rules/builtin.ast is stale: run go generate ./rules")
	}
}

// TestPreparsedModules checks that every decoded module is the module the
// compiler makes of the parsed one (without annotations and comments),
// field by field, the locations included, and that the catalog is the one
// the METADATA gives.
func TestPreparsedModules(t *testing.T) {
	mods, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	todo, entries, ok := preparsed(mods)
	if !ok {
		t.Fatal("builtin.ast is not used for the embedded rules")
	}
	decoded, ok := decodeModules(todo)
	if !ok {
		t.Fatal("builtin.ast does not decode")
	}
	c, rules := compileFromSource(t)
	for _, m := range mods {
		if m.Test && decoded[m.Name] != nil {
			t.Errorf("%s: a test module was decoded", m.Name)
		}
	}
	for _, m := range rules {
		want := c.Modules[m.Name]
		got := decoded[m.Name]
		if got == nil {
			t.Fatalf("%s: not decoded", m.Name)
		}
		// The compiler leaves empty lists of annotations and comments
		// (the encoder refuses annotations and leaves out comments): the
		// decoder leaves none.
		if d := astDiff(reflect.ValueOf(got), reflect.ValueOf(want), m.Name, "Module.Annotations", "Module.Comments"); d != "" {
			t.Errorf("decoded module differs from the compiled one: %s", d)
		}
		if got.String() != want.String() {
			t.Errorf("%s: decoded module prints differently", m.Name)
		}
	}
	if len(decoded) != len(rules) {
		t.Errorf("%d modules decoded, want %d", len(decoded), len(rules))
	}
	if set := readPreparsed(); !reflect.DeepEqual(set.rewritten, c.RewrittenVars) {
		t.Errorf("renamed variables differ: %d, want %d", len(set.rewritten), len(c.RewrittenVars))
	}
	src, err := ParseModules(rules)
	if err != nil {
		t.Fatal(err)
	}
	wantCat, wantPkg, err := buildCatalog(src)
	if err != nil {
		t.Fatal(err)
	}
	gotCat, gotPkg := preparsedCatalog(entries)
	if !reflect.DeepEqual(gotCat, wantCat) {
		t.Errorf("catalog differs:\n got %+v\nwant %+v", gotCat, wantCat)
	}
	for pkg, m := range wantPkg {
		if g := gotPkg[pkg]; g == nil || g.ID != m.ID {
			t.Errorf("package %s: rule %v, want %s", pkg, g, m.ID)
		}
	}
}

// TestPrecompiledSame compiles the embedded rules both ways, from builtin.ast
// with only the compiledStages and from their source with every stage but
// the check-only ones, and compares what the compilers hold for evaluation:
// the modules field by field, the rule tree and its indices, the
// comprehension indices and the renamed variables.
func TestPrecompiledSame(t *testing.T) {
	want, rules := compileFromSource(t)
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := e.compiler
	var names []string
	for _, m := range rules {
		names = append(names, m.Name)
		if d := astDiff(reflect.ValueOf(got.Modules[m.Name]), reflect.ValueOf(want.Modules[m.Name]), m.Name); d != "" {
			t.Errorf("compiled module differs: %s", d)
		}
	}
	if len(got.Modules) != len(want.Modules) {
		t.Errorf("%d modules compiled, want %d", len(got.Modules), len(want.Modules))
	}
	if g, w := ruleTreeOf(got), ruleTreeOf(want); g != w {
		t.Errorf("rule trees differ:\n got %s\nwant %s", g, w)
	}
	if !reflect.DeepEqual(got.RewrittenVars, want.RewrittenVars) {
		t.Errorf("renamed variables differ: %d, want %d", len(got.RewrittenVars), len(want.RewrittenVars))
	}
	// Comprehensions, visited in the same order in both sets of modules.
	var gotIdx, wantIdx []string
	for _, c := range []struct {
		c   *ast.Compiler
		out *[]string
	}{{got, &gotIdx}, {want, &wantIdx}} {
		for _, name := range names {
			ast.WalkTerms(c.c.Modules[name], func(term *ast.Term) bool {
				if ast.IsComprehension(term.Value) {
					*c.out = append(*c.out, fmt.Sprint(term.Location, c.c.ComprehensionIndex(term)))
				}
				return false
			})
		}
	}
	if !slices.Equal(gotIdx, wantIdx) || len(gotIdx) == 0 {
		t.Errorf("comprehension indices differ (or no comprehension):\n got %v\nwant %v", gotIdx, wantIdx)
	}
	for _, s := range got.StagesToRun() {
		if !slices.Contains(compiledStages, s) {
			t.Errorf("stage %s runs on the compiled modules", s)
		}
	}
}

// ruleTreeOf prints the rule tree of c: every node's path, its rules and
// the kind of its index.
func ruleTreeOf(c *ast.Compiler) string {
	var b strings.Builder
	var walk func(n *ast.TreeNode, path string)
	walk = func(n *ast.TreeNode, path string) {
		var rules []string
		for _, r := range n.Values {
			rules = append(rules, r.Head.String()+"@"+r.Location.String())
		}
		fmt.Fprintf(&b, "%s hide=%v rules=%v index=%T\n", path, n.Hide, rules, n.Index)
		for _, k := range n.Sorted {
			walk(n.Children[k], path+"/"+k.String())
		}
	}
	walk(c.RuleTree, "")
	return b.String()
}

// parserOnlyFields are unexported fields the parser sets that nothing after
// parsing reads except the Rego v1 syntax checks of the parser itself and
// the formatter: the decoder cannot set them.
// The sort guards of objects and sets only say whether the members were
// sorted yet; their order is compared.
var parserOnlyFields = map[string]bool{"Rule.generatedBody": true, "Head.keywords": true, "Head.generatedValue": true,
	"object.sortGuard": true, "set.sortGuard": true}

// compilerOnlyFields are unexported fields of OPA's syntax tree that the
// rewriting stages set and the decoder cannot: which expressions the
// compiler expanded out of which (only the tracer reads them, to print an
// expression's origin; a scan never traces) and which equalities were
// assignments (the safety stage reads it to order a body, which builtin.ast
// holds ordered, and the comprehension index builder: TestPrecompiledSame
// compares the indices).
var compilerOnlyFields = []string{"Expr.generatedFrom", "Expr.generates", "Expr.fromAssignment"}

// astDiff compares two AST values field by field and says where they first
// differ, unexported fields included (the order of an object's or a set's
// members, their hashes), except the parserOnlyFields, compilerOnlyFields
// and the fields named in ignore (Type.Field); Rule.Module only by whether
// it is set.
func astDiff(a, b reflect.Value, path string, ignore ...string) string {
	if a.Kind() != b.Kind() {
		return fmt.Sprintf("%s: %v vs %v", path, a.Kind(), b.Kind())
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: nil vs not nil", path)
			}
			return ""
		}
		if a.Kind() == reflect.Interface && a.Elem().Type() != b.Elem().Type() {
			return fmt.Sprintf("%s: %v vs %v", path, a.Elem().Type(), b.Elem().Type())
		}
		return astDiff(a.Elem(), b.Elem(), path, ignore...)
	case reflect.Struct:
		tn := a.Type().Name()
		for i := range a.NumField() {
			f := a.Type().Field(i)
			name := tn + "." + f.Name
			if parserOnlyFields[name] || slices.Contains(compilerOnlyFields, name) || slices.Contains(ignore, name) {
				continue
			}
			if name == "Rule.Module" {
				if a.Field(i).IsNil() != b.Field(i).IsNil() {
					return path + ".Module: set on one side only"
				}
				continue
			}
			if d := astDiff(a.Field(i), b.Field(i), path+"."+f.Name, ignore...); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil slice vs empty", path)
		}
		fallthrough
	case reflect.Array:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: length %d vs %d", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := astDiff(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), ignore...); d != "" {
				return d
			}
		}
		return ""
	case reflect.Map:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: map sizes differ", path)
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Sprintf("%s[%v]: missing", path, k)
			}
			if d := astDiff(a.MapIndex(k), bv, fmt.Sprintf("%s[%v]", path, k), ignore...); d != "" {
				return d
			}
		}
		return ""
	case reflect.String:
		if a.String() != b.String() {
			return fmt.Sprintf("%s: %q vs %q", path, a.String(), b.String())
		}
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			return fmt.Sprintf("%s: %v vs %v", path, a.Bool(), b.Bool())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			return fmt.Sprintf("%s: %d vs %d", path, a.Int(), b.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if a.Uint() != b.Uint() {
			return fmt.Sprintf("%s: %d vs %d", path, a.Uint(), b.Uint())
		}
	case reflect.Float32, reflect.Float64:
		if a.Float() != b.Float() {
			return fmt.Sprintf("%s: %v vs %v", path, a.Float(), b.Float())
		}
	default:
		return fmt.Sprintf("%s: cannot compare %v", path, a.Kind())
	}
	return ""
}

// TestPreparsedFallback: a module whose source is not the embedded one is
// parsed, and a damaged encoding is an error, never a crash.
func TestPreparsedFallback(t *testing.T) {
	mods, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	edited := append([]Module(nil), mods...)
	for i, m := range edited {
		if !m.Test && strings.HasSuffix(m.Name, "lib/lib.rego") {
			edited[i].Src += "\n# edited\n"
		}
	}
	if _, _, ok := preparsed(edited); ok {
		t.Error("an edited module was taken from builtin.ast")
	}
	if _, _, ok := preparsed(append(mods, Module{Name: "mine.rego", Src: "package mine\n"})); ok {
		t.Error("a user's module was taken from builtin.ast")
	}
	set := readPreparsed()
	if set == nil {
		t.Fatal("builtin.ast unreadable")
	}
	for _, m := range set.mods {
		for _, cut := range []int{0, 1, len(m.data) / 3, len(m.data) / 2, len(m.data) - 1} {
			if _, err := decodeModule(m.data[:cut], ""); err == nil {
				t.Errorf("%s cut at %d: no error", m.name, cut)
			}
		}
		bad := []byte(m.data)
		for i := range bad {
			if i%7 == 3 {
				bad[i] ^= 0x5a
			}
		}
		_, _ = decodeModule(string(bad), "") // must not panic
	}
	// A set with a module that does not decode is not taken (the caller
	// parses and compiles the whole set instead).
	todo, _, ok := preparsed(mods)
	if !ok {
		t.Fatal("builtin.ast is not used for the embedded rules")
	}
	damaged := append(todo[:1:1], pendingModule{enc: &preparsedModule{name: "rules/damaged_test_only.rego", data: "\x03\x01\x02"}, src: "package damaged\n\nx := 1\n"})
	if got, ok := decodeModules(damaged); ok || got != nil {
		t.Errorf("a damaged set was decoded: %v", got)
	}
	if _, err := splitPreparsed("nonsense", version.Version); err == nil {
		t.Error("unknown format accepted")
	}
	if _, err := splitPreparsed(builtinAST, "0.0.1"); err == nil {
		t.Error("modules compiled by another OPA version accepted")
	}
	if _, err := splitPreparsed(builtinAST, version.Version); err != nil {
		t.Error(err)
	}
	// The engine still compiles edited rules (parsing them) and reports.
	e, err := Compile(context.Background(), edited, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Catalog()) == 0 {
		t.Error("no catalog from parsed rules")
	}
}
