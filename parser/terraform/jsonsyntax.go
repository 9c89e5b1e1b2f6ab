package terraform

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/tree"
)

// The JSON syntax of Terraform (.tf.json, .tfvars.json) is read with the
// positioned JSON parser of srcjson and turned into the blocks and native
// syntax expressions the rest of the package reads: arrays and objects
// become tuple and object constructors, numbers, booleans and null become
// literals, and strings, which are templates in JSON syntax, are parsed with
// hclsyntax.ParseTemplate after their JSON escapes are decoded. Each decoded
// string is a source of its own whose offsets map back into the file, so
// positions inside a string (a principal in an interpolated policy) name the
// characters of the file.

// maxJSONValues is the number of values (and member names) a JSON syntax
// file may have. As a native-syntax file is refused past maxTokens tokens
// (density.go), a JSON one is refused past as many values as that many
// tokens write in native syntax, two each ("0,"): its tree, expressions
// and values cost hundreds of bytes per value (10 MB of one list of zeros
// took 4 GB and 100 s; 1 MB, under the limit, takes 440 MB).
const maxJSONValues = maxTokens / 2

// tooManyValues reports, with a diagnostic, whether the JSON text, a file
// of loc or (offs not nil) text whose byte i comes from file offset
// offs[i], has more than limit values; what names the text in the message
// ("file", "policy document").
func (m *module) tooManyValues(loc *model.LineIndex, text []byte, offs []int, limit int, what string) bool {
	_, off := srcjson.CountValues(text, limit)
	if off < 0 {
		return false
	}
	if offs != nil {
		off = offs[off]
	}
	m.diag(loc.Range(off, off+1), fmt.Sprintf("more than %d values in one %s (a list or object this large is not analyzed); not read", limit, what))
	return true
}

// parseJSONFile parses a JSON syntax file whose top-level value must be an
// object. Duplicate keys are legal in Terraform's JSON syntax (a block type
// may repeat) and are not reported.
func (m *module) parseJSONFile(s *source) (*tree.Node, bool) {
	if m.tooManyValues(s.loc, s.text, nil, maxJSONValues, "file") {
		return nil, false
	}
	n, diags := srcjson.ParseText(s.loc, 0, len(s.text))
	for _, d := range diags {
		if !strings.HasPrefix(d.Message, "duplicate key") {
			m.diags = append(m.diags, d)
		}
	}
	if n == nil {
		return nil, false
	}
	if n.Kind != tree.Object {
		m.diag(n.Range, "not a Terraform JSON configuration: the top-level value is a "+n.Kind.String())
		return nil, false
	}
	return n, true
}

// jsonBlocks reads the top-level blocks of a .tf.json file.
func (m *module) jsonBlocks(s *source) ([]*block, bool) {
	root, ok := m.parseJSONFile(s)
	if !ok {
		return nil, false
	}
	var out []*block
	for _, mem := range root.Members {
		switch mem.Key {
		case "resource", "data":
			out = m.jsonBlock(s, out, mem.Key, 2, nil, mem.Value, m.keyRange(s, mem))
		case "variable", "module", "output":
			out = m.jsonBlock(s, out, mem.Key, 1, nil, mem.Value, m.keyRange(s, mem))
		case "locals":
			out = m.jsonBlock(s, out, mem.Key, 0, nil, mem.Value, m.keyRange(s, mem))
		}
	}
	return out, true
}

// jsonBlock reads the blocks of type typ with nLabels labels still to read
// (labels read so far) from v, appending them to out. At each level an
// array of objects stands for several blocks.
func (m *module) jsonBlock(s *source, out []*block, typ string, nLabels int, labels []string, v *tree.Node, keyRange hcl.Range) []*block {
	switch v.Kind {
	case tree.Array:
		for _, e := range v.Elems {
			out = m.jsonBlock(s, out, typ, nLabels, labels, e, keyRange)
		}
		return out
	case tree.Object:
	default:
		return out
	}
	if nLabels > 0 {
		for _, mem := range v.Members {
			if mem.Key == "//" {
				continue
			}
			kr := m.keyRange(s, mem)
			out = m.jsonBlock(s, out, typ, nLabels-1, append(labels[:len(labels):len(labels)], mem.Key), mem.Value, kr)
		}
		return out
	}
	b := &block{
		typ:       typ,
		labels:    labels,
		rng:       hcl.RangeBetween(keyRange, m.hclRange(s, v)),
		typeRange: keyRange,
		attrs:     map[string]*attribute{},
		file:      s.file,
	}
	nested := nestedBlocks(typ, labels)
	for _, mem := range v.Members {
		if mem.Key == "//" {
			continue
		}
		kr := m.keyRange(s, mem)
		if n, ok := nested[mem.Key]; ok {
			b.blocks = m.jsonBlock(s, b.blocks, mem.Key, n, nil, mem.Value, kr)
			continue
		}
		templates := typ != "variable" // variable defaults are literal values
		b.attrs[mem.Key] = &attribute{
			name:      mem.Key,
			expr:      m.jsonExpr(s, mem.Value, templates, 0),
			nameRange: kr,
			srcRange:  hcl.RangeBetween(kr, m.hclRange(s, mem.Value)),
		}
	}
	return append(out, b)
}

// nestedBlocks names the nested block types (with their label counts) of
// the blocks whose content the package reads; any other member of a JSON
// block is an attribute.
func nestedBlocks(typ string, labels []string) map[string]int {
	switch typ {
	case "data":
		if len(labels) > 0 && labels[0] == "aws_iam_policy_document" {
			return map[string]int{"statement": 0, "dynamic": 1}
		}
	case "resource":
		return map[string]int{"dynamic": 1}
	case "statement", "content":
		return map[string]int{"principals": 0, "not_principals": 0, "condition": 0, "dynamic": 1}
	case "dynamic":
		return map[string]int{"content": 0}
	}
	return nil
}

// hclRange returns the HCL range of a JSON node of the file s.
func (m *module) hclRange(s *source, n *tree.Node) hcl.Range {
	return hclRange(s.file, s.loc, n.Range.Start.Byte, n.Range.End.Byte)
}

// keyRange returns the HCL range of the key of a JSON object member.
func (m *module) keyRange(s *source, mem tree.Member) hcl.Range {
	return hclRange(s.file, s.loc, mem.KeyRange.Start.Byte, mem.KeyRange.End.Byte)
}

// jsonExpr converts a JSON value of the file s to a native expression.
// Strings are templates when templates is set (configuration files), and
// literal otherwise (tfvars, variable defaults).
func (m *module) jsonExpr(s *source, n *tree.Node, templates bool, depth int) hclsyntax.Expression {
	r := m.hclRange(s, n)
	if depth > maxDepth {
		return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: r}
	}
	switch n.Kind {
	case tree.Object:
		items := make([]hclsyntax.ObjectConsItem, 0, len(n.Members))
		for _, mem := range n.Members {
			kr := m.keyRange(s, mem)
			key := m.jsonString(s, kr, templates)
			items = append(items, hclsyntax.ObjectConsItem{
				KeyExpr:   &hclsyntax.ObjectConsKeyExpr{Wrapped: key, ForceNonLiteral: true},
				ValueExpr: m.jsonExpr(s, mem.Value, templates, depth+1),
			})
		}
		return &hclsyntax.ObjectConsExpr{Items: items, SrcRange: r, OpenRange: r}
	case tree.Array:
		exprs := make([]hclsyntax.Expression, len(n.Elems))
		for i, e := range n.Elems {
			exprs[i] = m.jsonExpr(s, e, templates, depth+1)
		}
		return &hclsyntax.TupleConsExpr{Exprs: exprs, SrcRange: r, OpenRange: r}
	case tree.String:
		return m.jsonString(s, r, templates)
	case tree.Number:
		if len(n.Str) > maxNumberText {
			m.note(m.rng(r), errHugeNumber.Error())
			return &hclsyntax.LiteralValueExpr{Val: cty.UnknownVal(cty.Number), SrcRange: r}
		}
		v, err := cty.ParseNumberVal(n.Str)
		if err != nil {
			v = cty.DynamicVal
		}
		lit := &hclsyntax.LiteralValueExpr{Val: v, SrcRange: r}
		m.boundNumber(lit)
		return lit
	case tree.Bool:
		return &hclsyntax.LiteralValueExpr{Val: cty.BoolVal(n.Bool), SrcRange: r}
	}
	return &hclsyntax.LiteralValueExpr{Val: cty.NullVal(cty.DynamicPseudoType), SrcRange: r}
}

// jsonString converts the JSON string token at r (quotes included) to an
// expression: a template parsed from its decoded content, or a literal.
func (m *module) jsonString(s *source, r hcl.Range, templates bool) hclsyntax.Expression {
	raw := s.text[r.Start.Byte:r.End.Byte]
	text, offs, err := srcjson.Unquote(raw, r.Start.Byte)
	if err != nil { // cannot happen: the token was validated
		return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: r}
	}
	if !templates || (!strings.Contains(string(text), "${") && !strings.Contains(string(text), "%{")) {
		e := &hclsyntax.LiteralValueExpr{Val: cty.StringVal(string(text)), SrcRange: r}
		m.rawStrings[e] = r
		return e
	}
	name := s.file + "\x00" + strconv.Itoa(r.Start.Byte)
	src := &source{file: s.file, loc: s.loc, text: text, offs: offs}
	m.sources[name] = src
	if m.tooDeep(src, nil) {
		return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: r}
	}
	e, diags := hclsyntax.ParseTemplate(text, name, hcl.InitialPos)
	if diags.HasErrors() {
		m.hclDiags(diags)
		return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: r}
	}
	m.guard(e)
	return e
}
