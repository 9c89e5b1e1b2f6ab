package terraform

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/trustlint/trustlint/model"
)

// ParseModuleComments is ParseModule that also hands the comments of every
// native-syntax file it parses (the module's .tf files, its .tfvars, the
// modules it calls) to comments, before it emits a role of that file
// (parser.CommentModuleParser).
func (p Parser) ParseModuleComments(dir, root string, emit func(*model.Role), comments model.CommentSink) []model.Diagnostic {
	return parseModule(dir, root, nil, emit, comments, p.cache)
}

// reportComments hands the comments of a native-syntax file that parsed to
// the project's comment sink. A file without model.SuppressionMarker is
// not lexed again: none of its comments could suppress anything.
func (m *module) reportComments(s *source) {
	if m.proj == nil || m.proj.comments == nil || !bytes.Contains(s.text, []byte(model.SuppressionMarker)) {
		return
	}
	m.proj.comments(s.file, hclComments(s))
}

// hclComments returns the comments of a native-syntax file from the tokens
// of hclsyntax's lexer: a # in a string or a heredoc is not a comment.
func hclComments(s *source) []model.Comment {
	toks, _ := hclsyntax.LexConfig(s.text, s.file, hcl.InitialPos)
	var out []model.Comment
	var code []int // the lines where tokens that are not comments start
	lastCode := 0  // the line where the last of them ends
	for _, t := range toks {
		switch t.Type {
		case hclsyntax.TokenNewline, hclsyntax.TokenEOF:
		case hclsyntax.TokenComment:
			text := strings.TrimRight(string(t.Bytes), "\r\n")
			start := t.Range.Start.Byte
			out = append(out, model.Comment{
				Range: s.rng(hcl.Range{Start: t.Range.Start, End: hcl.Pos{Byte: start + len(text)}}),
				Text:  text,
				Alone: lastCode != t.Range.Start.Line,
			})
		default:
			code = append(code, t.Range.Start.Line)
			lastCode = t.Range.End.Line
		}
	}
	for i := range out {
		out[i].Next = model.NextLine(code, out[i].Range.Start.Line)
	}
	return out
}
