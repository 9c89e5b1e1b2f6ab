package terraform

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/trustlint/trustlint/internal/par"
	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/normalize"
	"github.com/trustlint/trustlint/parser/tree"
)

// block is one configuration block, from native syntax or JSON syntax.
type block struct {
	typ       string
	labels    []string
	rng       hcl.Range // the whole block
	typeRange hcl.Range // the block type keyword (JSON: its key)
	attrs     map[string]*attribute
	blocks    []*block
	file      string // display path
}

// attribute is one attribute of a block.
type attribute struct {
	name      string
	expr      hclsyntax.Expression
	nameRange hcl.Range
	srcRange  hcl.Range
}

// variable is an input variable with the expression of its value: the last
// tfvars assignment, else the default. expr is nil when the variable has
// neither: its value is unknown. A variable of a called module takes the
// value of the call's argument (input).
type variable struct {
	expr   hclsyntax.Expression
	tfvars bool // expr comes from a tfvars file
	input  bool // val comes from the module call
	val    cty.Value
	// typ and defaults are the type constraint and its optional()
	// defaults; typ is cty.NilType when the variable declares none.
	typ      cty.Type
	defaults *typeexpr.Defaults
}

// lazy is a value of the evaluation context computed when an expression
// first needs it: a local value or an identity provider.
type lazy struct {
	state int // lazyNew, lazyBusy or lazyDone
	val   cty.Value
}

const (
	lazyNew = iota
	lazyBusy
	lazyDone
)

// module is the state of one ParseModule call.
type module struct {
	fsys   fs.FS
	dirRel string // slash path of the module directory in fsys
	dir    string // display path of the module directory

	sources map[string]*source // by the file name HCL ranges carry
	diags   []model.Diagnostic

	blocks       []*block // every top-level block, in file and source order
	roleBlocks   []*block
	moduleBlocks []*block
	resources    map[string]map[string]*block // type → name → block
	data         map[string]map[string]*block
	variables    map[string]*variable
	varBlocks    map[string]*block
	locals       map[string]*attribute
	tfvars       []string // tfvars files of a root module, in the order they apply

	// Evaluation (eval.go).
	ctx        *hcl.EvalContext
	localVals  map[string]*lazy
	oidcVals   map[string]*lazy
	samlVals   map[string]*lazy
	dirty      bool
	pending    int // lazy values not computed yet
	depth      int
	evalCache  map[evalKey]cty.Value
	inst       instance                           // the count/for_each binding in force
	instCache  map[*block][]instance              // instances of blocks with count/for_each
	rawStrings map[hclsyntax.Expression]hcl.Range // JSON string literals of .tf.json files
	following  map[hclsyntax.Expression]bool      // definitions being followed (cycles)
	// forElems are the source nodes of the iteration variables that the
	// for expressions being converted bind (forNode), when the element
	// came from a collection written out in the module.
	forElems map[string]*tree.Node

	// Module calls (modcall.go). A called module has a parent, the
	// prefix of its roles' addresses, its inputs and the places findings
	// point at when it is installed under .terraform (external).
	parent       *module
	proj         *project
	rootDir      string // display path of the root module
	callKey      string // modules.json key of this module's call
	prefix       string // address prefix: module.a["k"].
	external     bool
	depthModules int
	anchor       model.Range
	inputs       map[string]cty.Value
	inputAnchors map[string]model.Range
	iterAnchors  map[string]model.Range          // dynamic iterators bound over a caller's argument (external)
	callArgs     map[string]hclsyntax.Expression // the call's arguments, by variable
	callInst     instance                        // the caller's binding of this call
	children     map[*block][]callInst
	outputs      map[string]*block
	moduleVals   map[string]*lazy

	// Evaluation budget (budget.go).
	steps          int // evaluation steps taken
	budgetHits     int // computations refused for their size or the steps
	exhaustedNoted bool

	// budget is the number of tree nodes the conversion of the current
	// role may still build: references that each double a list must not
	// make a policy exponentially large.
	budget int

	// Conversion caches (convert.go, policydoc.go).
	docs      map[docKey]*docEntry
	files     map[string]*fileEntry
	templates map[string]*templateEntry
	norm      normalize.Normalizer
}

// evalKey identifies a value computed in the module's scope: an
// expression, under one count/for_each binding.
type evalKey struct {
	e    hclsyntax.Expression
	inst string
}

// docKey identifies an instance of an aws_iam_policy_document block.
type docKey struct {
	b    *block
	inst string
}

// docEntry caches the policy tree of an aws_iam_policy_document block.
type docEntry struct {
	busy bool
	node *tree.Node
}

func newModule(fsys fs.FS, dirRel, dir string) *module {
	return &module{
		fsys:       fsys,
		dirRel:     dirRel,
		dir:        dir,
		sources:    map[string]*source{},
		resources:  map[string]map[string]*block{},
		data:       map[string]map[string]*block{},
		variables:  map[string]*variable{},
		varBlocks:  map[string]*block{},
		locals:     map[string]*attribute{},
		localVals:  map[string]*lazy{},
		oidcVals:   map[string]*lazy{},
		samlVals:   map[string]*lazy{},
		rawStrings: map[hclsyntax.Expression]hcl.Range{},
		following:  map[hclsyntax.Expression]bool{},
		evalCache:  map[evalKey]cty.Value{},
		instCache:  map[*block][]instance{},
		children:   map[*block][]callInst{},
		outputs:    map[string]*block{},
		moduleVals: map[string]*lazy{},
		docs:       map[docKey]*docEntry{},
		files:      map[string]*fileEntry{},
		templates:  map[string]*templateEntry{},
	}
}

// isConfigFile reports whether the base name of a file is one Terraform
// loads as configuration: *.tf or *.tf.json, not hidden, not an editor
// backup.
func isConfigFile(name string) bool {
	base := strings.ToLower(path.Base(filepath.ToSlash(name)))
	if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "#") || strings.HasSuffix(base, "~") {
		return false
	}
	return strings.HasSuffix(base, ".tf") || strings.HasSuffix(base, ".tf.json")
}

// parsedDir is what reading the configuration files of a called module's
// directory left: the files, the blocks in file and source order, and the
// diagnostics of reading them. A directory is read once per scan (or per
// root module, without a ModuleCache) and shared by every call and
// instance of it, in any root module; nothing in it is changed by
// evaluation, which each instance does in its own state (hclsyntax
// expressions may be evaluated concurrently).
type parsedDir struct {
	sources    map[string]*source
	rawStrings map[hclsyntax.Expression]hcl.Range
	blocks     []*block
	diags      []model.Diagnostic
}

// ModuleCache holds the called modules' directories read during one scan,
// for Parser.ForScan, and the configuration files that CalledModules read
// before the scan parses their modules. It is safe for concurrent use.
type ModuleCache struct {
	mu   sync.Mutex
	dirs map[string]*cachedDir
	// files are kept by CalledModules until their module reads them
	// (take): reading every file of a tree twice cost 2,000 .tf files
	// 0.13 s of system calls before any parsing began.
	files     map[string][]byte
	filesSize int
}

// maxKept bounds the bytes of the files a ModuleCache keeps: past it, a
// module reads its files itself.
const maxKept = 64 << 20

// keep holds src, the content of the file at fsPath of the tree at
// absRoot, for one take.
func (c *ModuleCache) keep(absRoot, fsPath string, src []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.filesSize+len(src) > maxKept {
		return
	}
	if c.files == nil {
		c.files = map[string][]byte{}
	}
	c.files[fileKey(absRoot, fsPath)] = src
	c.filesSize += len(src)
}

// fileKey is the key of a kept file.
func fileKey(absRoot, fsPath string) string { return absRoot + "\x00" + fsPath }

// take returns the content kept for the file at fsPath of the tree at
// absRoot, and forgets it.
func (c *ModuleCache) take(absRoot, fsPath string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	key := fileKey(absRoot, fsPath)
	src, ok := c.files[key]
	if ok {
		delete(c.files, key)
		c.filesSize -= len(src)
	}
	return src, ok
}

type cachedDir struct {
	once sync.Once
	p    *parsedDir
}

// dir returns the entry of a directory, made on first use.
func (c *ModuleCache) dir(key string) *cachedDir {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dirs == nil {
		c.dirs = map[string]*cachedDir{}
	}
	d := c.dirs[key]
	if d == nil {
		d = &cachedDir{}
		c.dirs[key] = d
	}
	return d
}

// load reads the configuration files and tfvars of the module directory
// and indexes their blocks. A called module reads the directory's files
// only at the first call of the scan: later calls and instances index the
// same blocks, with their own copy of the files' positions.
func (m *module) load() {
	if m.parent == nil {
		m.indexAll(m.read())
		return
	}
	d := m.proj.cache.dir(m.proj.absRoot + "\x00" + m.dirRel + "\x00" + m.dir)
	first := false
	d.once.Do(func() {
		first = true
		blocks := m.read()
		d.p = &parsedDir{sources: maps.Clone(m.sources), rawStrings: maps.Clone(m.rawStrings),
			blocks: blocks, diags: slices.Clone(m.diags)}
	})
	if !first {
		for name, s := range d.p.sources {
			m.sources[name] = s.copy()
		}
		maps.Copy(m.rawStrings, d.p.rawStrings)
		m.diags = append(m.diags, d.p.diags...)
	}
	m.indexAll(d.p.blocks)
}

// indexAll indexes blocks in order; the tfvars of a root module are read
// after its variables are declared.
func (m *module) indexAll(blocks []*block) {
	m.blocks = blocks
	for _, b := range blocks {
		m.index(b)
	}
	for _, name := range m.tfvars {
		m.loadTFVars(name)
	}
}

// read parses the configuration files of the module directory and returns
// their blocks; the tfvars files of a root module are noted in m.tfvars.
func (m *module) read() []*block {
	entries, err := fs.ReadDir(m.fsys, m.dirRel)
	if err != nil {
		m.diag(model.Range{File: m.dir}, "cannot read directory: "+cleanFSError(err).Error())
		return nil
	}
	var tfvars, configs []string
	for _, e := range entries { // sorted by name
		name := e.Name()
		if e.IsDir() {
			continue
		}
		lower := strings.ToLower(name)
		switch {
		case isConfigFile(name):
			configs = append(configs, name)
		case m.parent != nil:
			// A called module reads no tfvars: its variables come from the call.
		case lower == "terraform.tfvars" || lower == "terraform.tfvars.json":
			tfvars = append(tfvars, name)
		case strings.HasSuffix(lower, ".auto.tfvars") || strings.HasSuffix(lower, ".auto.tfvars.json"):
			tfvars = append(tfvars, name)
		}
	}
	// terraform.tfvars first, then *.auto.tfvars in lexical order: later
	// files override earlier ones, as in Terraform.
	sort.SliceStable(tfvars, func(i, j int) bool {
		return tfvarsRank(tfvars[i]) < tfvarsRank(tfvars[j])
	})
	m.tfvars = tfvars
	return m.loadConfigs(configs)
}

// loadConfigs parses configuration files of the module directory, on up
// to GOMAXPROCS goroutines (a module's files parse independently: what
// one declares is only looked up once all are read), and returns their
// blocks. Each file is parsed into a part of its own, merged into m in
// the order of names: the sources, diagnostics and comments are those a
// parse of one file after the other leaves.
func (m *module) loadConfigs(names []string) []*block {
	parts := make([]*module, len(names))
	blocks := make([][]*block, len(names))
	comments := make([][]fileComments, len(names))
	par.Each(fileWorkers, len(names), func(i int) {
		p := &module{fsys: m.fsys, dirRel: m.dirRel, dir: m.dir,
			sources: map[string]*source{}, rawStrings: map[hclsyntax.Expression]hcl.Range{}}
		if m.proj != nil {
			// The scan's files (ModuleCache.take), and the comments
			// for the merge below.
			p.proj = &project{absRoot: m.proj.absRoot, cache: m.proj.cache}
			if m.proj.comments != nil {
				p.proj.comments = func(file string, cs []model.Comment) {
					comments[i] = append(comments[i], fileComments{file, cs})
				}
			}
		}
		blocks[i] = p.loadConfig(names[i], strings.HasSuffix(strings.ToLower(names[i]), ".json"))
		parts[i] = p
	})
	var out []*block
	for i, p := range parts {
		maps.Copy(m.sources, p.sources)
		maps.Copy(m.rawStrings, p.rawStrings)
		m.diags = append(m.diags, p.diags...)
		for _, c := range comments[i] {
			m.proj.comments(c.file, c.comments)
		}
		out = append(out, blocks[i]...)
	}
	return out
}

// fileWorkers is the number of goroutines loadConfigs reads a module's
// files on: 0 for GOMAXPROCS; tests set 1 to read them in turn.
var fileWorkers = 0

// fileComments are the comments of one file, for model.CommentSink.
type fileComments struct {
	file     string
	comments []model.Comment
}

func tfvarsRank(name string) int {
	switch strings.ToLower(name) {
	case "terraform.tfvars":
		return 0
	case "terraform.tfvars.json":
		return 1
	}
	return 2
}

// readModuleFile reads a file of the module directory; a failure is a
// diagnostic.
func (m *module) readModuleFile(name string) (display string, src []byte, ok bool) {
	display = filepath.Join(m.dir, name)
	fsPath := path.Join(m.dirRel, name)
	if m.proj != nil {
		if src, ok := m.proj.cache.take(m.proj.absRoot, fsPath); ok && len(src) <= maxFileSize {
			return display, src, true // read by CalledModules
		}
	}
	src, err := m.readFile(fsPath)
	if err != nil {
		m.diag(model.Range{File: display}, "cannot read: "+err.Error())
		return display, nil, false
	}
	return display, src, true
}

// addSource registers a whole file as the source of HCL ranges named file.
func (m *module) addSource(file string, src []byte) *source {
	s := &source{file: file, loc: model.NewLineIndex(file, src), text: src}
	m.sources[file] = s
	return s
}

// loadConfig parses one configuration file and returns its blocks. A file
// with syntax errors gives diagnostics and contributes nothing: the roles of
// the other files are still analyzed.
func (m *module) loadConfig(name string, isJSON bool) []*block {
	display, src, ok := m.readModuleFile(name)
	if !ok {
		return nil
	}
	s := m.addSource(display, src)
	var blocks []*block
	if isJSON {
		blocks, ok = m.jsonBlocks(s)
	} else {
		body := m.parseNative(s)
		if body == nil {
			return nil
		}
		blocks = nativeBlocks(body, display)
	}
	if !ok {
		return nil
	}
	return blocks
}

// parseNative parses a file of native syntax, guarded against deep
// nesting (budget.go) and density (density.go); nil when it has errors, which are diagnostics.
func (m *module) parseNative(s *source) *hclsyntax.Body {
	if m.tooDeep(s, nil) || m.tooDense(s, nil, false) {
		return nil
	}
	f, diags := hclsyntax.ParseConfig(s.text, s.file, hcl.InitialPos)
	if diags.HasErrors() {
		m.hclDiags(diags)
		return nil
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	m.guard(body)
	m.reportComments(s)
	return body
}

// nativeBlocks converts the blocks of a native-syntax body.
func nativeBlocks(body *hclsyntax.Body, file string) []*block {
	out := make([]*block, 0, len(body.Blocks))
	for _, hb := range body.Blocks {
		b := &block{
			typ:       hb.Type,
			labels:    hb.Labels,
			rng:       hb.Range(),
			typeRange: hb.TypeRange,
			attrs:     make(map[string]*attribute, len(hb.Body.Attributes)),
			file:      file,
		}
		for name, a := range hb.Body.Attributes {
			b.attrs[name] = &attribute{name: name, expr: a.Expr, nameRange: a.NameRange, srcRange: a.SrcRange}
		}
		b.blocks = nativeBlocks(hb.Body, file)
		out = append(out, b)
	}
	return out
}

// index records a top-level block. A second declaration of the same
// resource, data source, variable or local value is an error in Terraform:
// it is reported and ignored.
func (m *module) index(b *block) {
	switch b.typ {
	case "resource", "data":
		if len(b.labels) != 2 {
			return
		}
		idx := m.resources
		if b.typ == "data" {
			idx = m.data
		}
		typ, name := b.labels[0], b.labels[1]
		if idx[typ] == nil {
			idx[typ] = map[string]*block{}
		}
		if first := idx[typ][name]; first != nil {
			m.duplicate(b.typeRange, fmt.Sprintf("%s %q %q", b.typ, typ, name), first.typeRange)
			return
		}
		idx[typ][name] = b
		if b.typ == "resource" && typ == "aws_iam_role" {
			m.roleBlocks = append(m.roleBlocks, b)
		}
	case "module":
		if len(b.labels) == 1 {
			m.moduleBlocks = append(m.moduleBlocks, b)
		}
	case "output":
		if len(b.labels) == 1 && m.outputs[b.labels[0]] == nil {
			m.outputs[b.labels[0]] = b
		}
	case "variable":
		if len(b.labels) != 1 {
			return
		}
		if first := m.varBlocks[b.labels[0]]; first != nil {
			m.duplicate(b.typeRange, fmt.Sprintf("variable %q", b.labels[0]), first.typeRange)
			return
		}
		m.varBlocks[b.labels[0]] = b
		v := &variable{}
		if a := b.attrs["default"]; a != nil {
			v.expr = a.expr
		}
		if a := b.attrs["type"]; a != nil {
			v.typ, v.defaults = typeConstraint(a.expr)
		}
		m.variables[b.labels[0]] = v
	case "locals":
		names := make([]string, 0, len(b.attrs))
		for name := range b.attrs {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			a := b.attrs[name]
			if first := m.locals[name]; first != nil {
				m.duplicate(a.nameRange, fmt.Sprintf("local value %q", name), first.nameRange)
				continue
			}
			m.locals[name] = a
		}
	}
}

// duplicate reports a second declaration of what at r.
func (m *module) duplicate(r hcl.Range, what string, first hcl.Range) {
	f := m.rng(first)
	m.diag(m.rng(r), fmt.Sprintf("duplicate %s (first declared at %s:%d); ignored", what, f.File, f.Start.Line))
}

// loadTFVars reads variable values from a tfvars file (native or JSON
// syntax). Values for undeclared variables are ignored.
func (m *module) loadTFVars(name string) {
	display, src, ok := m.readModuleFile(name)
	if !ok {
		return
	}
	s := m.addSource(display, src)
	assign := func(name string, e hclsyntax.Expression) {
		if v := m.variables[name]; v != nil {
			v.expr, v.tfvars = e, true
		}
	}
	if strings.HasSuffix(strings.ToLower(name), ".json") {
		obj, ok := m.parseJSONFile(s)
		if !ok {
			return
		}
		for _, mem := range obj.Members {
			assign(mem.Key, m.jsonExpr(s, mem.Value, false, 0))
		}
		return
	}
	if body := m.parseNative(s); body != nil {
		names := make([]string, 0, len(body.Attributes))
		for n := range body.Attributes {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			assign(n, body.Attributes[n].Expr)
		}
	}
}

// diag records a diagnostic.
func (m *module) diag(r model.Range, msg string) {
	m.diags = append(m.diags, model.Diagnostic{Range: r, Message: msg})
}

// stringCascade are the errors HCL reports for every string after an
// unterminated one, whose quote pairs with the next string's opening quote.
var stringCascade = map[string]bool{
	"Invalid multi-line string":    true,
	"Unterminated template string": true,
}

// hclDiags records the errors of an HCL parse or evaluation. Of the errors
// an unterminated string causes, only the first of each file is kept: one
// mistake, one error.
func (m *module) hclDiags(diags hcl.Diagnostics) {
	cascading := map[string]bool{} // files with an unterminated string reported
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if stringCascade[d.Summary] && d.Subject != nil {
			if cascading[d.Subject.Filename] {
				continue
			}
			cascading[d.Subject.Filename] = true
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		var r model.Range
		if d.Subject != nil {
			r = m.rng(*d.Subject)
		}
		m.diag(r, msg)
	}
}

// rng converts an HCL range to a file range.
func (m *module) rng(r hcl.Range) model.Range {
	if s := m.sources[r.Filename]; s != nil {
		return s.rng(r)
	}
	return model.Range{
		File:  r.Filename,
		Start: model.Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:   model.Pos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
	}
}

// text returns the source text of an expression.
func (m *module) text(e hclsyntax.Expression) string {
	r := e.Range()
	if s := m.sources[r.Filename]; s != nil {
		return s.slice(r)
	}
	return ""
}

// sortDiags orders diagnostics by file and offset and drops repeats: the
// same message at the same place (an expression may be evaluated and
// converted, for several roles).
func sortDiags(diags []model.Diagnostic) []model.Diagnostic {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i], diags[j]
		if a.Range.File != b.Range.File {
			return a.Range.File < b.Range.File
		}
		if a.Range.Start.Byte != b.Range.Start.Byte {
			return a.Range.Start.Byte < b.Range.Start.Byte
		}
		return a.Message < b.Message
	})
	var out []model.Diagnostic
	for _, d := range diags {
		if n := len(out); n > 0 && d.Range.File == out[n-1].Range.File &&
			d.Range.Start == out[n-1].Range.Start && d.Message == out[n-1].Message {
			continue
		}
		out = append(out, d)
	}
	return out
}
