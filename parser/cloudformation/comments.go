package cloudformation

import (
	"bytes"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trustlint/trustlint/model"
)

// ParseComments is Parse that also hands the comments of a YAML template to
// comments, before it emits a role (parser.CommentParser). JSON templates
// have none.
func (c Parser) ParseComments(path string, src []byte, emit func(*model.Role), comments model.CommentSink) []model.Diagnostic {
	return c.parse(path, src, emit, comments)
}

// reportComments hands the comments of the YAML document doc to the
// parser's comment sink. A file without model.SuppressionMarker is not
// searched: none of its comments could suppress anything.
func (p *fileParser) reportComments(doc *yaml.Node) {
	if p.comments == nil || !bytes.Contains(p.src, []byte(model.SuppressionMarker)) {
		return
	}
	p.comments(p.path, yamlComments(doc, p.loc))
}

// yamlComments returns the comments yaml.v3 attached to the nodes of doc
// (head, line and foot comments), placed in the source: yaml.v3 gives their
// text but not their position, so each is found on the first line, in
// order, that ends with that text after white space. A # in a string or a
// block scalar is not a comment, unless its line ends with the very text of
// a comment of the document.
func yamlComments(doc *yaml.Node, loc *model.LineIndex) []model.Comment {
	texts := map[string]int{} // comment lines not placed yet
	var lines []int           // where nodes start: the lines of code
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
			for _, t := range strings.Split(c, "\n") {
				if t = strings.TrimSpace(t); t != "" {
					texts[t]++
				}
			}
		}
		if n.Line > 0 {
			lines = append(lines, n.Line)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(doc)
	if len(texts) == 0 {
		return nil
	}
	sort.Ints(lines)
	var out []model.Comment
	for n := 1; ; n++ {
		line, start, ok := loc.Line(n)
		if !ok {
			break
		}
		for i := bytes.IndexByte(line, '#'); i >= 0; {
			if i == 0 || line[i-1] == ' ' || line[i-1] == '\t' {
				t := string(bytes.TrimRight(line[i:], " \t"))
				if texts[t] > 0 {
					texts[t]--
					out = append(out, model.Comment{Range: loc.Range(start+i, start+i+len(t)), Text: t,
						Alone: len(bytes.TrimSpace(line[:i])) == 0, Next: model.NextLine(lines, n)})
					break
				}
			}
			j := bytes.IndexByte(line[i+1:], '#')
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	return out
}
