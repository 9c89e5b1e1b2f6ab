package terraform

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/tree"
)

// A template whose value is a JSON document (a heredoc, a quoted string, a
// template file) is rendered into the JSON text it stands for, with a table
// from every byte of that text to the file offset of its source: literal
// text maps to its characters, the value of an interpolation to the start
// of the interpolation. The text is then parsed by srcjson.ParseMapped, so
// positions inside the document name the exact characters of the file.
//
// An interpolation whose value is unknown is written as a placeholder, a
// private-use character sequence that no policy contains, quoted when it
// falls outside a JSON string so that the text stays valid JSON. After the
// parse, a string holding placeholders becomes an unknown whose text is the
// template with ${expr} for each unknown part, and a key holding
// placeholders gets the same text.

// Placeholder delimiters: private-use characters.
const (
	holeOpen  = "\uE000"
	holeClose = "\uE001"
)

// holes are the unknown parts of a rendered template, and the places of
// its known interpolations.
type holes struct {
	texts     []string // the expression of each unknown part
	outsideAt []bool   // whether it was written outside a JSON string
	outside   bool     // whether any was
	// spans maps the file offset where the text of an interpolation is
	// placed to the end of the interpolation: a JSON value that lies wholly
	// inside the interpolated text would otherwise have an empty range.
	spans map[int]int
}

// span records an interpolation placed at file offset start, ending at end.
func (h *holes) span(start, end int) {
	if h.spans == nil {
		h.spans = map[int]int{}
	}
	h.spans[start] = max(end, start)
}

// widen gives the nodes of n whose range is empty at the start of an
// interpolation the range of the interpolation.
func (h *holes) widen(n *tree.Node, loc *model.LineIndex, depth int) {
	if n == nil || h == nil || len(h.spans) == 0 || depth > srcjson.MaxDepth+1 {
		return
	}
	w := func(r *model.Range) {
		if r.Start.Byte != r.End.Byte {
			return
		}
		if end, ok := h.spans[r.Start.Byte]; ok && end > r.Start.Byte {
			r.End = loc.Pos(end)
		}
	}
	w(&n.Range)
	for i := range n.Members {
		w(&n.Members[i].KeyRange)
		h.widen(n.Members[i].Value, loc, depth+1)
	}
	for _, e := range n.Elems {
		h.widen(e, loc, depth+1)
	}
}

func (h *holes) any() bool { return h != nil && len(h.texts) > 0 }

// placeholder returns the text written for unknown part i.
func (h *holes) placeholder(i int, quoted bool) string {
	ph := holeOpen + strconv.Itoa(i) + holeClose
	if quoted {
		return `"` + ph + `"`
	}
	return ph
}

// add records an unknown part and returns its placeholder.
func (h *holes) add(text string, outside bool) string {
	h.texts = append(h.texts, text)
	h.outsideAt = append(h.outsideAt, outside)
	h.outside = h.outside || outside
	return h.placeholder(len(h.texts)-1, outside)
}

// template replaces the placeholders of s by ${expr}.
func (h *holes) template(s string) string {
	if !h.any() || !strings.Contains(s, holeOpen) {
		return s
	}
	for i, t := range h.texts {
		if h.outsideAt[i] {
			s = strings.ReplaceAll(s, h.placeholder(i, true), "${"+t+"}")
		}
		s = strings.ReplaceAll(s, h.placeholder(i, false), "${"+t+"}")
	}
	return s
}

// fill turns the strings of n that hold placeholders into unknowns, and
// writes the unknown parts of keys as ${expr}.
func (h *holes) fill(n *tree.Node, depth int) {
	if n == nil || depth > srcjson.MaxDepth+1 {
		return
	}
	switch n.Kind {
	case tree.String:
		if !strings.Contains(n.Str, holeOpen) {
			return
		}
		n.Kind = tree.Unknown
		for i, t := range h.texts {
			if n.Str == h.placeholder(i, false) {
				n.Str = t
				return
			}
		}
		n.Str = h.template(n.Str)
	case tree.Object:
		for i := range n.Members {
			n.Members[i].Key = h.template(n.Members[i].Key)
			h.fill(n.Members[i].Value, depth+1)
		}
	case tree.Array:
		for _, e := range n.Elems {
			h.fill(e, depth+1)
		}
	}
}

// jsonState follows whether the text written so far ends inside a JSON
// string.
type jsonState struct {
	inString, escaped bool
}

func (st *jsonState) feed(s string) {
	for i := range len(s) {
		c := s[i]
		switch {
		case !st.inString:
			st.inString = c == '"'
		case st.escaped:
			st.escaped = false
		case c == '\\':
			st.escaped = true
		case c == '"':
			st.inString = false
		}
	}
}

// render renders template x of source src in scope sc and returns its text,
// the file offset of each byte of it (and of its end), and its unknown
// parts. The directives %{ for } and %{ if } over known values are
// rendered part by part, so that the text a loop or a branch produces
// points at the template lines it comes from.
func (m *module) render(x *hclsyntax.TemplateExpr, src *source, sc *scope) ([]byte, []int, *holes) {
	r := &renderer{m: m, src: src, h: &holes{}}
	r.quoted = !src.raw && x.SrcRange.Start.Byte < len(src.text) && src.text[x.SrcRange.Start.Byte] == '"'
	end := x.SrcRange.End.Byte
	if e := r.parts(x.Parts, sc, 0); e >= 0 {
		end = e
	}
	r.offs = append(r.offs, src.off(end))
	return r.text, r.offs, r.h
}

// renderer accumulates the rendering of a template.
type renderer struct {
	m      *module
	src    *source
	quoted bool
	text   []byte
	offs   []int
	st     jsonState
	h      *holes
}

func (r *renderer) write(s string, at int) {
	r.text = append(r.text, s...)
	for range len(s) {
		r.offs = append(r.offs, at)
	}
}

// parts renders template parts and returns the end offset (in the text of
// the source) of the last one, or -1 when there is none.
func (r *renderer) parts(parts []hclsyntax.Expression, sc *scope, depth int) int {
	end := -1
	for _, p := range parts {
		pr := p.Range()
		end = pr.End.Byte
		if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
			val := lit.Val.AsString()
			al, aligned := alignLiteral(r.src.text, pr.Start.Byte, pr.End.Byte, val, r.quoted)
			// Room for the literal at once: appending offsets one by one
			// allocated five times the table of a 10 MB heredoc.
			r.text, r.offs = slices.Grow(r.text, len(val)), slices.Grow(r.offs, len(val))
			r.text = append(r.text, val...)
			for i := range len(val) {
				at := pr.Start.Byte
				if aligned {
					at = al[i]
				}
				r.offs = append(r.offs, r.src.off(at))
			}
			r.st.feed(val)
			continue
		}
		if depth < maxDepth && r.directive(p, sc, depth) {
			continue
		}
		at := r.src.off(pr.Start.Byte)
		r.h.span(at, r.src.off(pr.End.Byte))
		for _, pc := range r.m.pieces(p, sc, 0) {
			if pc.known {
				r.write(pc.s, at)
				r.st.feed(pc.s)
				continue
			}
			r.write(r.h.add(pc.s, !r.st.inString), at)
		}
	}
	return end
}

// directive renders a %{ if } whose condition is known, or a %{ for } over
// a known collection, part by part; false when p is neither.
func (r *renderer) directive(p hclsyntax.Expression, sc *scope, depth int) bool {
	switch x := p.(type) {
	case *hclsyntax.ConditionalExpr:
		c := r.m.eval(x.Condition, sc)
		if !c.IsKnown() || c.IsNull() || c.Type() != cty.Bool {
			return false
		}
		branch := x.FalseResult
		if c.True() {
			branch = x.TrueResult
		}
		switch b := branch.(type) {
		case *hclsyntax.TemplateExpr:
			r.parts(b.Parts, sc, depth+1)
			return true
		case *hclsyntax.LiteralValueExpr:
			return b.Val.Type() == cty.String && b.Val.IsKnown() && !b.Val.IsNull() && b.Val.AsString() == ""
		}
	case *hclsyntax.TemplateJoinExpr:
		fe, ok := x.Tuple.(*hclsyntax.ForExpr)
		if !ok || fe.CondExpr != nil {
			return false
		}
		body, ok := unguard(fe.ValExpr).(*hclsyntax.TemplateExpr)
		if !ok {
			return false
		}
		coll := r.m.eval(fe.CollExpr, sc)
		if !coll.IsKnown() || coll.IsNull() || !coll.CanIterateElements() {
			return false
		}
		parent := r.m.ctx
		var names map[string]hclsyntax.Expression
		if sc != nil {
			parent, names = sc.ctx, sc.names
		}
		for it := coll.ElementIterator(); it.Next(); {
			if !r.m.charge() {
				r.m.exhausted(r.m.rng(fe.Range()))
				r.write(r.h.add(r.m.text(x), !r.st.inString), r.src.off(x.Range().Start.Byte))
				break
			}
			k, v := it.Element()
			ctx := parent.NewChild()
			ctx.Variables = map[string]cty.Value{fe.ValVar: v}
			if fe.KeyVar != "" {
				ctx.Variables[fe.KeyVar] = k
			}
			r.parts(body.Parts, &scope{ctx: ctx, names: names}, depth+1)
		}
		return true
	}
	return false
}

// unguard drops the budget wrapper guard puts around a for
// expression's value or collection.
func unguard(e hclsyntax.Expression) hclsyntax.Expression {
	if c, ok := e.(*hclsyntax.FunctionCallExpr); ok && (c.Name == forStepFunc || c.Name == forCollFunc) && len(c.Args) == 1 {
		return c.Args[0]
	}
	return e
}

// fileEntry caches a file read by file() for a policy.
type fileEntry struct {
	display string
	err     error
	node    *tree.Node
}

// fileDoc converts file(path): the policy is parsed from the file, with
// positions in it. A file that is not JSON is a diagnostic at the call and
// an unknown policy: not a policy, so none of its content is shown. ok is
// false when the path is unknown.
func (m *module) fileDoc(x *hclsyntax.FunctionCallExpr, sc *scope) (*tree.Node, bool) {
	p, ok := toString(m.eval(x.Args[0], sc))
	if !ok {
		return nil, false
	}
	r := m.rng(x.Range())
	key := p
	if fsPath, _, err := m.resolvePath(p); err == nil {
		key = fsPath
	}
	fe := m.files[key]
	if fe == nil {
		fe = &fileEntry{}
		m.files[key] = fe
		src, display, err := m.readRef(p)
		fe.display, fe.err = display, err
		switch {
		case err != nil:
		case !srcjson.LooksJSON(src):
			// Not a policy: its content is never shown (a secret file
			// named by a hostile module).
			fe.err = notPolicyError(p)
		default:
			s := m.addRawSource(display, src)
			if m.tooManyValues(s.loc, src, nil, maxJSONValues, "file") {
				fe.node = unknownNode(tooManyText, r)
				break
			}
			n, diags := srcjson.ParseText(s.loc, 0, len(src))
			m.diags = append(m.diags, diags...)
			fe.node = n
		}
	}
	if fe.err != nil {
		m.diag(r, fe.err.Error())
		return unknownNode(m.text(x), r), true
	}
	return fe.node, true
}

// addRawSource registers a file that is not native syntax (a policy or
// template file).
func (m *module) addRawSource(display string, src []byte) *source {
	if s := m.sources[display]; s != nil {
		return s
	}
	s := m.addSource(display, src)
	s.raw = true
	return s
}

// templateEntry caches a template file parsed for templatefile().
type templateEntry struct {
	expr hclsyntax.Expression
	src  *source
	err  error
}

// template reads and parses the template file p.
func (m *module) template(p string) (*templateEntry, error) {
	key := "template:" + p
	if fsPath, _, err := m.resolvePath(p); err == nil {
		key = "template:" + fsPath
	}
	if t := m.templates[key]; t != nil {
		return t, t.err
	}
	t := &templateEntry{}
	m.templates[key] = t
	src, display, err := m.readRef(p)
	if err != nil {
		t.err = err
		return t, err
	}
	t.src = m.addRawSource(display, src)
	if m.tooDeep(t.src, nil) || m.tooDense(t.src, nil, true) {
		t.err = &pathError{path: p, err: errTemplateSyntax}
		return t, t.err
	}
	e, diags := hclsyntax.ParseTemplate(src, display, hcl.InitialPos)
	if diags.HasErrors() {
		m.hclDiags(diags)
		t.err = &pathError{path: p, err: errTemplateSyntax}
		return t, t.err
	}
	m.guard(e)
	t.expr = e
	return t, nil
}

// templateDoc converts templatefile(path, vars): the rendered template is
// parsed with positions in the template file.
func (m *module) templateDoc(x *hclsyntax.FunctionCallExpr, anyJSON bool, depth int) (*tree.Node, bool) {
	p, ok := toString(m.eval(x.Args[0], nil))
	if !ok {
		return nil, false
	}
	r := m.rng(x.Range())
	t, err := m.template(p)
	if err != nil {
		if !isSyntaxError(err) {
			m.diag(r, err.Error())
		}
		return unknownNode(m.text(x), r), true
	}
	var names map[string]hclsyntax.Expression
	if obj, ok := unwrap(x.Args[1]).(*hclsyntax.ObjectConsExpr); ok {
		names = map[string]hclsyntax.Expression{}
		for _, it := range obj.Items {
			if k, ok := toString(m.eval(it.KeyExpr, nil)); ok {
				names[k] = it.ValueExpr
			}
		}
	}
	sc := m.templateScope(m.eval(x.Args[1], nil), names)
	tx, ok := t.expr.(*hclsyntax.TemplateExpr)
	if !ok {
		return m.docNode(t.expr, sc, anyJSON, depth+1), true
	}
	whole := m.rng(tx.Range())
	text, offs, h := m.render(tx, t.src, sc)
	if h.any() && len(h.texts) == 1 && strings.TrimSpace(string(text)) == h.placeholder(0, h.outsideAt[0]) {
		return unknownNode(h.texts[0], whole), true
	}
	if !h.any() && !srcjson.LooksJSON(text) {
		m.diag(r, notPolicyError(p).Error())
		return unknownNode(m.text(x), r), true
	}
	return m.textNode(text, offs, whole, anyJSON, h), true
}

// templateFileData returns, for a reference to the rendered text of a
// data "template_file" block whose template is read by file() (the
// template provider older modules use:
// data.template_file.trust.rendered), the templatefile() call that renders
// the same: the file with the block's vars. ok is false for anything else.
func (m *module) templateFileData(x *hclsyntax.ScopeTraversalExpr, sc *scope) (*hclsyntax.FunctionCallExpr, bool) {
	t := x.Traversal
	if sc != nil || len(t) != 4 || t.RootName() != "data" {
		return nil, false
	}
	typ, ok1 := t[1].(hcl.TraverseAttr)
	name, ok2 := t[2].(hcl.TraverseAttr)
	attr, ok3 := t[3].(hcl.TraverseAttr)
	if !ok1 || !ok2 || !ok3 || typ.Name != "template_file" || attr.Name != "rendered" {
		return nil, false
	}
	b := m.data["template_file"][name.Name]
	if b == nil || b.attrs["template"] == nil || b.attrs["count"] != nil || b.attrs["for_each"] != nil {
		return nil, false
	}
	file, ok := unwrap(b.attrs["template"].expr).(*hclsyntax.FunctionCallExpr)
	if !ok || file.Name != "file" || len(file.Args) != 1 || file.ExpandFinal {
		return nil, false
	}
	var vars hclsyntax.Expression = &hclsyntax.ObjectConsExpr{SrcRange: x.SrcRange, OpenRange: x.SrcRange}
	if a := b.attrs["vars"]; a != nil {
		vars = a.expr
	}
	return &hclsyntax.FunctionCallExpr{
		Name: "templatefile", Args: []hclsyntax.Expression{file.Args[0], vars},
		NameRange: x.SrcRange, OpenParenRange: x.SrcRange, CloseParenRange: x.SrcRange,
	}, true
}

// notPolicyError is the error of a file read by file() or templatefile() as
// a trust policy that is not JSON: it is not analyzed, and no message shows
// any of its content (it may be a secret a hostile module names).
type notPolicyError string

func (e notPolicyError) Error() string {
	return fmt.Sprintf("%q is not a JSON policy document: not analyzed, and none of its content is shown", string(e))
}

// errTemplateSyntax is the error of a template file with syntax errors,
// which are reported as diagnostics of their own.
var errTemplateSyntax = errors.New("template syntax error")

// isSyntaxError reports whether err is errTemplateSyntax.
func isSyntaxError(err error) bool { return errors.Is(err, errTemplateSyntax) }
