// Package yamlerr places the syntax errors of go.yaml.in/yaml/v3 at the
// line where the problem is.
//
// For a problem found by the parser (as opposed to the scanner) the library
// names the line where the enclosing collection starts, counting from 0:
// a mapping entry indented one space too far on line 40 of a template is
// reported as "line 2: did not find expected key" when the mapping starts
// on line 3. Locate finds the line where the problem is by parsing
// prefixes of the text: the first line whose addition makes the text fail
// with the same problem.
package yamlerr

import (
	"bytes"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the problems the YAML parser (as opposed to its
// scanner) reports, with a 0-based line of the enclosing collection.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// Locate returns the 1-based line of the syntax error err that parsing src
// with yaml.Unmarshal returned, and the problem without the library's
// "yaml: line N: " prefix. line is 0 when the error names no line (such as
// an unknown anchor or invalid UTF-8).
func Locate(src []byte, err error) (line int, problem string) {
	msg := err.Error()
	m := lineRE.FindStringSubmatch(msg)
	if m == nil {
		return 0, strings.TrimPrefix(msg, "yaml: ")
	}
	line, _ = strconv.Atoi(m[1])
	problem = m[2]
	if !parserProblems[problem] {
		return line, problem
	}
	line++ // 0-based, and the line of the collection
	// The first line from which on the prefix fails with the same problem.
	starts := lineStarts(src)
	fails := func(n int) bool { // the first n lines
		end := len(src)
		if n < len(starts) {
			end = starts[n]
		}
		var doc yaml.Node
		err := yaml.Unmarshal(src[:end], &doc)
		if err == nil {
			return false
		}
		m := lineRE.FindStringSubmatch(err.Error())
		return m != nil && m[2] == problem
	}
	if line < 1 || line > len(starts) || fails(line-1) {
		return line, problem
	}
	n := line + sort.Search(len(starts)-line+1, func(i int) bool { return fails(line + i) })
	return min(n, len(starts)), problem
}

// lineStarts returns the byte offset of the start of each line of src.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 || i+j+1 >= len(src) {
			return starts
		}
		i += j + 1
		starts = append(starts, i)
	}
}
