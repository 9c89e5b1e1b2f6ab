package cloudformation

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/trustlint/trustlint/internal/yamlerr"
	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/normalize"
	"github.com/trustlint/trustlint/parser/tree"
)

// Parser reads CloudFormation, SAM and CDK templates. Its zero value is
// ready to use and it is safe for concurrent use.
type Parser struct {
	// MaxValues is the number of values (density.go) a template may have;
	// zero means DefaultMaxValues.
	MaxValues int
}

// Name returns the parser's name.
func (Parser) Name() string { return "cloudformation" }

// Extensions returns the file name suffixes the parser reads.
func (Parser) Extensions() []string { return []string{".json", ".template", ".yaml", ".yml"} }

// packJSON makes the long scalar lists of JSON templates packed (a dense
// 1 MB template took 216 MB with a node per value, 92 MB packed); tests
// turn it off to compare.
var packJSON = true

// maxRecoveries bounds how often a YAML template with syntax errors is read
// again without the resource that holds the error.
const maxRecoveries = 8

// Parse reads the template path with content src and calls emit with each
// role it declares, as soon as the role is complete (see the package
// documentation). Problems are returned as diagnostics, sorted by position;
// the roles emitted stand.
func (c Parser) Parse(path string, src []byte, emit func(*model.Role)) []model.Diagnostic {
	return c.parse(path, src, emit, nil)
}

// parse is Parse handing the comments of a YAML template to comments, when
// not nil (comments.go).
func (c Parser) parse(path string, src []byte, emit func(*model.Role), comments model.CommentSink) (diags []model.Diagnostic) {
	p := &fileParser{path: path, src: src, emit: emit, comments: comments, loc: model.NewLineIndex(path, src), maxValues: c.MaxValues}
	defer func() {
		if v := recover(); v != nil {
			p.diag(p.loc.Range(0, 0), fmt.Sprintf("internal error: %v", v))
		}
		diags = p.sorted()
	}()
	if bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}) {
		p.diag(p.loc.Range(0, 0), "UTF-16 templates are not supported; save the file as UTF-8")
		return
	}
	if p.tooDense() {
		return
	}
	tp := &template{src: src, byID: map[string]*resource{}, params: map[string]*param{}, conditions: map[string]*tree.Node{}}
	p.tp = tp
	if isJSON(path, src) {
		start := 0
		if bytes.HasPrefix(src, bom) {
			start = len(bom)
		}
		parse := srcjson.ParsePacked
		if !packJSON {
			parse = srcjson.ParseText
		}
		root, ds := parse(p.loc, start, len(src))
		var probe yaml.Node
		if root != nil || strings.HasSuffix(strings.ToLower(path), ".json") || yaml.Unmarshal(src, &probe) != nil {
			// Valid JSON, a .json file, or text that is neither JSON nor
			// YAML: a JSON template named .template with a JSON mistake
			// is reported as JSON.
			p.diags = append(p.diags, ds...)
			if root == nil {
				root = p.recoverJSON(start, ds)
			}
			if root == nil {
				return
			}
			if !p.loadJSON(root) {
				return
			}
			p.roles()
			return
		}
	}
	tp.yaml = true
	if p.loadYAML() {
		p.roles()
	}
	return
}

// recoverJSON reads a JSON template with a syntax error (reported in ds)
// again without the resource that holds it, up to maxRecoveries times, so
// that the other roles are still emitted. The resource's value is replaced
// by 0 and spaces, which keeps every offset and line; loadJSON skips it.
func (p *fileParser) recoverJSON(start int, ds []model.Diagnostic) *tree.Node {
	work := append([]byte(nil), p.src...)
	// Positions are computed from the file, not from work: a blanked
	// character of several bytes is one column.
	offs := make([]int, len(work)-start+1)
	for i := range offs {
		offs[i] = start + i
	}
	for range maxRecoveries {
		if len(ds) == 0 {
			return nil
		}
		id, s, e, ok := jsonResourceAt(work, ds[len(ds)-1].Range.Start.Byte)
		if !ok {
			return nil
		}
		blankJSON(work, s, e)
		if p.blanked == nil {
			p.blanked = map[string]bool{}
		}
		p.blanked[id] = true
		var root *tree.Node
		root, ds = srcjson.ParseMapped(p.loc, work[start:], offs)
		p.diags = append(p.diags, ds...)
		if root != nil {
			return root
		}
	}
	return nil
}

// isJSON reports whether the file is read as JSON: a .json file, or one
// whose content starts with '{' (JSON templates named .template or .yaml;
// when that fails, the file is read as YAML).
func isJSON(path string, src []byte) bool {
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		return true
	}
	b := bytes.TrimLeft(bytes.TrimPrefix(src, bom), " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}

// fileParser is the state of one Parse call.
type fileParser struct {
	path  string
	src   []byte
	emit  func(*model.Role)
	loc   *model.LineIndex
	tp    *template
	conds *conditions
	norm  normalize.Normalizer
	diags []model.Diagnostic
	// blanked are the resources of a JSON template left out because they
	// hold a syntax error (reported).
	blanked map[string]bool

	// comments receives the comments of a YAML template, or is nil.
	comments model.CommentSink

	maxValues int // Parser.MaxValues
}

func (p *fileParser) diag(r model.Range, msg string) {
	p.diags = append(p.diags, model.Diagnostic{Range: r, Message: msg})
}

// sorted returns the diagnostics by position, without repeats (variants of
// a role report the problems of its document once each).
func (p *fileParser) sorted() []model.Diagnostic {
	ds := p.diags
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].Range.Start.Byte != ds[j].Range.Start.Byte {
			return ds[i].Range.Start.Byte < ds[j].Range.Start.Byte
		}
		return ds[i].Message < ds[j].Message
	})
	out := ds[:0]
	for i, d := range ds {
		if i > 0 && d == ds[i-1] {
			continue
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// template is what the roles of a template are resolved against.
type template struct {
	src        []byte
	yaml       bool
	params     map[string]*param
	mappings   *tree.Node
	conditions map[string]*tree.Node
	resources  []*resource
	byID       map[string]*resource
	// macro is the Transform section when it names a transform that is
	// not AWS's (a macro, which may write any part of the template).
	macro *tree.Node
}

// param is a template parameter.
type param struct {
	typ string
	def *tree.Node // its Default, or nil
}

// resource is a template resource.
type resource struct {
	id   string
	typ  string
	body *tree.Node  // the resource object, built for the types that matter
	rng  model.Range // from the logical ID through the body
}

// relevant reports whether resources of type typ are read.
func relevant(typ string) bool {
	return typ == typeRole || typ == typeFunction || isProvider(typ)
}

// loadJSON reads the sections of a JSON template. It returns false when
// the file is no template.
func (p *fileParser) loadJSON(root *tree.Node) bool {
	if root.Kind != tree.Object {
		p.diag(root.Range, "not a CloudFormation template: the top-level value is a "+root.Kind.String())
		return false
	}
	p.setParams(root.Get("Parameters"))
	p.setTransform(root.Get("Transform"))
	p.tp.mappings = root.Get("Mappings")
	p.setConditions(root.Get("Conditions"))
	res := root.Get("Resources")
	if res == nil {
		return true
	}
	if res.Kind != tree.Object {
		p.diag(res.Range, "Resources is not an object")
		return true
	}
	ex := &expander{p: p}
	for _, m := range res.Members {
		if last, _ := res.Member(m.Key); last.Value != m.Value {
			continue // a duplicate: the last one wins
		}
		if isForEach(m.Key) {
			ex.expand(m.Key, m.KeyRange, m.Value, 0, p.resourceOf)
			continue
		}
		if p.blanked[m.Key] && m.Value.Kind == tree.Number {
			continue // its syntax error is reported
		}
		p.resourceOf(m.Key, m.KeyRange, m.Value)
	}
	return true
}

// resourceOf records the resource id (named at keyRange) whose body is the
// tree body.
func (p *fileParser) resourceOf(id string, keyRange model.Range, body *tree.Node) {
	typ := ""
	if body.Kind == tree.Object {
		if t := body.Get("Type"); t != nil && t.Kind == tree.String {
			typ = t.Str
		}
	}
	r := &resource{id: id, typ: typ, rng: model.Range{File: p.path, Start: keyRange.Start, End: body.Range.End}}
	if relevant(typ) {
		r.body = body
	}
	p.addResource(r, body, keyRange)
}

// addResource records resource r (whose body is body, named at keyRange)
// and reports what makes it unreadable.
func (p *fileParser) addResource(r *resource, body *tree.Node, keyRange model.Range) {
	switch {
	case body != nil && body.Kind != tree.Object:
		p.diag(body.Range, fmt.Sprintf("resource %s is not an object", r.id))
		return
	case r.typ == "":
		p.diag(keyRange, fmt.Sprintf("resource %s has no Type", r.id))
	}
	p.tp.resources = append(p.tp.resources, r)
	p.tp.byID[r.id] = r
}

func (p *fileParser) setParams(n *tree.Node) {
	if n == nil || n.Kind != tree.Object {
		return
	}
	for _, m := range n.Members {
		pr := &param{}
		if m.Value.Kind == tree.Object {
			if t := m.Value.Get("Type"); t != nil && t.Kind == tree.String {
				pr.typ = t.Str
			}
			pr.def = m.Value.Get("Default")
		}
		p.tp.params[m.Key] = pr
	}
}

// setTransform records the Transform section n when it names a macro: a
// transform whose name is not AWS's (AWS::Serverless-2016-10-31,
// AWS::LanguageExtensions, AWS::Include, ...), or one that is not a string.
func (p *fileParser) setTransform(n *tree.Node) {
	if n == nil {
		return
	}
	names := []*tree.Node{n}
	if n.Kind == tree.Array {
		names = n.Elements()
	}
	for _, t := range names {
		if t.Kind != tree.String || !strings.HasPrefix(t.Str, "AWS::") {
			p.tp.macro = n
			return
		}
	}
}

func (p *fileParser) setConditions(n *tree.Node) {
	if n == nil || n.Kind != tree.Object {
		return
	}
	ex := &expander{p: p}
	for _, m := range n.Members {
		if isForEach(m.Key) {
			ex.expand(m.Key, m.KeyRange, m.Value, 0, func(name string, _ model.Range, cond *tree.Node) {
				p.tp.conditions[name] = cond
			})
			continue
		}
		p.tp.conditions[m.Key] = m.Value
	}
}

// loadYAML parses a YAML template and reads its sections. It returns false
// when no role can be read.
func (p *fileParser) loadYAML() bool {
	b := newYAMLBuilder(p.loc, p.src)
	work, copied := p.src, false
	var doc yaml.Node
	for attempt := 0; ; attempt++ {
		err := b.unmarshal(work, &doc)
		if err == nil {
			break
		}
		line, off := p.syntaxError(work, err)
		if attempt >= maxRecoveries {
			return false
		}
		lo, hi, ok := resourceBlock(work, line, off)
		if !ok {
			return false
		}
		if !copied {
			work, copied = append([]byte(nil), p.src...), true
		}
		for i := lo; i < hi; i++ {
			if work[i] != '\n' && work[i] != '\r' {
				work[i] = ' '
			}
		}
	}
	p.reportComments(&doc)
	b.budget = 10*b.check(&doc, 0) + aliasMargin
	defer func() { p.diags = append(p.diags, b.diags...) }()
	if len(doc.Content) == 0 {
		return false // an empty document
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.diag(b.rng(b.start(root), b.start(root)+1), "not a CloudFormation template: the top level is not a mapping")
		return false
	}
	var resources *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "Parameters", "Mappings", "Conditions", "Transform":
			n, _, err := b.build(v, 1)
			if err != nil {
				if p.buildError(b, err) {
					return false
				}
				continue
			}
			switch k.Value {
			case "Parameters":
				p.setParams(n)
			case "Mappings":
				p.tp.mappings = n
			case "Transform":
				p.setTransform(n)
			default:
				p.setConditions(n)
			}
		case "Resources":
			resources = v
		}
	}
	if resources == nil {
		return true
	}
	resources = follow(resources)
	if resources.Kind == yaml.ScalarNode && resources.ShortTag() == "!!null" {
		return true // no resources (or only broken ones)
	}
	if resources.Kind != yaml.MappingNode {
		s := b.start(resources)
		p.diag(b.rng(s, s+1), "Resources is not a mapping")
		return true
	}
	last := map[string]int{}
	for i := 0; i+1 < len(resources.Content); i += 2 {
		last[resources.Content[i].Value] = i
	}
	ex := &expander{p: p}
	for i := 0; i+1 < len(resources.Content); i += 2 {
		k, v := resources.Content[i], resources.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" || last[k.Value] != i {
			continue
		}
		ks := b.start(k)
		_, _, kc := b.properties(ks, false)
		keyRange := b.rng(kc, b.scalarEnd(k, kc))
		if isForEach(k.Value) {
			loop, _, err := b.build(v, 3)
			if err != nil {
				if p.buildError(b, err) {
					return false
				}
				continue
			}
			ex.expand(k.Value, keyRange, loop, 0, p.resourceOf)
			continue
		}
		typ, body := yamlType(v), (*tree.Node)(nil)
		var end int
		if typ == "" || relevant(typ) {
			var err error
			body, end, err = b.build(v, 3)
			if err != nil {
				if p.buildError(b, err) {
					return false
				}
				continue
			}
			if typ == "" && body.Kind == tree.Object {
				if t := body.Get("Type"); t != nil && t.Kind == tree.String {
					typ = t.Str
				}
			}
		}
		r := &resource{id: k.Value, typ: typ, rng: b.rng(kc, end)}
		if relevant(typ) {
			r.body = body
		}
		p.addResource(r, body, keyRange)
	}
	return true
}

// buildError reports an error of the YAML tree builder; it returns true
// when the file is not to be read further.
func (p *fileParser) buildError(b *yamlBuilder, err error) bool {
	var ye *yamlError
	if !errors.As(err, &ye) {
		p.diag(b.rng(0, 0), err.Error())
		return true
	}
	e := ye.off
	if e < len(p.src) {
		e++
	}
	p.diag(b.rng(ye.off, e), ye.msg)
	return ye.fatal
}

// follow returns the node an alias names (through chains of aliases).
func follow(n *yaml.Node) *yaml.Node {
	for range MaxDepth {
		if n.Kind != yaml.AliasNode || n.Alias == nil {
			return n
		}
		n = n.Alias
	}
	return n
}

// yamlType returns the Type of a resource written as a YAML mapping, or "".
func yamlType(n *yaml.Node) string {
	n = follow(n)
	if n.Kind != yaml.MappingNode {
		return ""
	}
	typ := ""
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], follow(n.Content[i+1]); k.Value == "Type" && v.Kind == yaml.ScalarNode {
			typ = v.Value
		}
	}
	return typ
}

// syntaxError reports a YAML syntax error and returns its line and, when
// known, its byte offset (else -1).
func (p *fileParser) syntaxError(src []byte, err error) (line, off int) {
	off = -1
	line, msg := yamlerr.Locate(src, err)
	if line == 0 {
		switch {
		case strings.Contains(msg, "control characters") || strings.Contains(msg, "UTF-8") || strings.Contains(msg, "Unicode"):
			off = badCharOffset(src)
		case strings.HasPrefix(msg, "unknown anchor"):
			name := strings.TrimSuffix(strings.TrimPrefix(msg, "unknown anchor '"), "' referenced")
			if i := bytes.Index(src, []byte("*"+name)); i >= 0 {
				off = i
			}
		case strings.Contains(msg, "end of stream"):
			off = len(bytes.TrimRight(src, " \t\r\n"))
		}
	}
	var r model.Range
	switch {
	case off >= 0:
		r = p.loc.Range(off, min(off+1, len(p.src)))
		line = r.Start.Line
	default:
		// The library names a line only: point at its first character.
		line = max(line, 1)
		s := newYAMLLines(src).offset(line, 1)
		for s < len(src) && src[s] == ' ' {
			s++
		}
		e := s
		if e < len(src) && src[e] != '\n' && src[e] != '\r' {
			_, w := utf8.DecodeRune(src[e:])
			e += w
		}
		r = p.loc.Range(s, e)
		line = r.Start.Line
	}
	p.diag(r, "invalid YAML: "+msg)
	return line, off
}

// badCharOffset returns the offset of the first byte YAML does not accept:
// invalid UTF-8 or a control character other than tab and line breaks.
func badCharOffset(src []byte) int {
	for i := 0; i < len(src); {
		c := src[i]
		if c < 0x80 {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, w := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && w <= 1 {
			return i
		}
		i += w
	}
	return 0
}

var resourcesLineRE = regexp.MustCompile(`^(?:Resources|"Resources"|'Resources')[ \t]*:`)

// resourceBlock finds the lines of the resource, in the top-level
// Resources mapping of a block-style YAML template, that holds the error
// at line (or at byte off when known), and returns their byte span.
func resourceBlock(src []byte, line, off int) (lo, hi int, ok bool) {
	type lineInfo struct{ start, end, indent int }
	var lines []lineInfo
	for i := 0; i <= len(src); {
		j := bytes.IndexByte(src[i:], '\n')
		end := len(src)
		if j >= 0 {
			end = i + j
		}
		l := src[i:end]
		trimmed := bytes.TrimLeft(l, " ")
		indent := len(l) - len(trimmed)
		t := bytes.TrimSpace(trimmed)
		if len(t) == 0 || t[0] == '#' || trimmed[0] == '\t' {
			// Blank, a comment or indented with a tab: it belongs to
			// whatever surrounds it.
			indent = -1
		}
		lines = append(lines, lineInfo{i, end, indent})
		if j < 0 {
			break
		}
		i = end + 1
	}
	if off >= 0 {
		line = sort.Search(len(lines), func(i int) bool { return lines[i].start > off })
	}
	res := -1
	for i, l := range lines {
		if l.indent == 0 && resourcesLineRE.Match(src[l.start:l.end]) {
			res = i
		}
	}
	if res < 0 || line-1 <= res || line-1 >= len(lines) {
		return 0, 0, false
	}
	entry := -1
	for i := res + 1; i < len(lines); i++ {
		if lines[i].indent >= 0 {
			entry = lines[i].indent
			break
		}
	}
	if entry <= 0 {
		return 0, 0, false
	}
	first, last := -1, len(lines)
	for i := res + 1; i < len(lines); i++ {
		ind := lines[i].indent
		if ind < 0 {
			continue
		}
		if ind < entry {
			if i <= line-1 {
				return 0, 0, false // the error lies after Resources
			}
			last = i
			break
		}
		if ind == entry {
			if i <= line-1 {
				first = i
			} else {
				last = i
				break
			}
		}
	}
	if first < 0 {
		return 0, 0, false
	}
	return lines[first].start, lines[last-1].end, true
}
