package cloudformation

import (
	"errors"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcmaptest"
)

// buildYAML builds the document src with flow lists blanked or not, and
// returns its tree and comments dumped, the diagnostics and the number of
// lists packed.
func buildYAML(t *testing.T, src string, blank bool) (string, string, int) {
	t.Helper()
	loc := model.NewLineIndex("t.yaml", []byte(src))
	b := newYAMLBuilder(loc, []byte(src))
	var doc yaml.Node
	var err error
	if blank {
		err = b.unmarshal([]byte(src), &doc)
	} else {
		err = yaml.Unmarshal([]byte(src), &doc)
	}
	if err != nil {
		return "error: " + err.Error(), "", len(b.lists)
	}
	b.budget = 10*b.check(&doc, 0) + aliasMargin
	n, _, berr := b.build(&doc, 0)
	var out strings.Builder
	if berr != nil {
		var ye *yamlError
		if errors.As(berr, &ye) {
			fmt.Fprintf(&out, "build error at %d: ", ye.off)
		}
		fmt.Fprintf(&out, "%v", berr)
	} else {
		srcmaptest.Dump(&out, n)
	}
	// The comments, as suppressions read them.
	fmt.Fprintf(&out, "\ncomments: %+v", yamlComments(&doc, loc))
	return out.String(), fmt.Sprint(b.diags), len(b.lists)
}

// sameAsWritten checks that src builds the same tree blanked as written,
// and returns the number of lists packed.
func sameAsWritten(t *testing.T, src string) int {
	t.Helper()
	want, wantDiags, _ := buildYAML(t, src, false)
	got, gotDiags, packed := buildYAML(t, src, true)
	if got != want || gotDiags != wantDiags {
		t.Fatalf("%q:\nblanked:\n%.2000s\n%s\nas written:\n%.2000s\n%s", src, got, gotDiags, want, wantDiags)
	}
	return packed
}

// elements are flow list elements of every kind YAML resolves, and texts
// that look like one but are not packed.
var elements = []string{
	"0", "7", "00", "09", "0123", "-0", "-12", "1.5", "-1.50", "123456789012", "204518736390",
	"99999999999999999999999", strings.Repeat("9", 400), "1e5", "0x1F", "0o17", "0b101", "1_000", "2012-10-17",
	"true", "True", "TRUE", "tRue", "false", "False", "FALSE", "null", "Null", "NULL", "nULL", "~",
	"yes", "no", "on", "off", "y", "n", "Y", "inf", ".inf", "-.inf", ".nan", "nan",
	"a", "abc", "a:b", "a:", "arn:aws:iam::111122223333:root", "arn:aws:iam::*:role/x-y_z.w", "s3:Get*",
	"a/b", "a@b", "a*b", "a=b", "a+b", "a-b", "a.b", "sts.amazonaws.com", "é", "a#b", "a?b", "\"q\"", "'q'",
	`"a,b"`, `"[x]"`, `'it''s'`, `"a\"b"`, `"a\\b"`, `"é"`, `""`, `''`, `"true"`, `'0'`, `"# x"`, `'a: b'`, `"a\tb"`,
	"!Ref x", "*x", "&x y", "%x", "@x", "`x", "-", "-a", "+1", ".5", "a b",
}

func TestFlowListsReadAsWritten(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	packed := 0
	for i := range 300 {
		n := 60 + rng.Intn(20)
		el := make([]string, n)
		for j := range el {
			el[j] = elements[rng.Intn(len(elements))]
		}
		if i%2 == 0 {
			// A list of one kind, packed unless a text is not an element.
			for j := range el {
				el[j] = el[0]
			}
		}
		sep := []string{",", ", ", " ,", " , "}[rng.Intn(4)]
		list := "[" + strings.Join(el, sep) + "]"
		if rng.Intn(2) == 0 {
			list = "[ " + strings.Join(el, sep) + " ]"
		}
		src := "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      L: " + list + "\n      M: é\n"
		packed += sameAsWritten(t, src)
	}
	if packed < 50 {
		t.Errorf("only %d lists packed: the test does not test packing", packed)
	}
}

// TestFlowListsInContext checks lists that are not flow sequences (in
// strings, block scalars, comments), and flow sequences in every place one
// can be written.
func TestFlowListsInContext(t *testing.T) {
	zeros := "[" + strings.TrimSuffix(strings.Repeat("0,", 70), ",") + "]"
	words := "[" + strings.TrimSuffix(strings.Repeat("a:b, ", 70), ", ") + "]"
	quoted := "[" + strings.TrimSuffix(strings.Repeat(`"a, [b] # c", 'd', `, 35), ", ") + "]"
	for _, tc := range []struct {
		name, src string
		packed    int
	}{
		{"value", "a: " + zeros + "\n", 1},
		{"two", "a: " + zeros + "\nb: " + words + " # comment\n", 2},
		{"block sequence", "a:\n  - " + zeros + "\n  - " + words + "\n", 2},
		{"nested flow", "a: [" + zeros + ", " + words + ", x]\n", 2},
		{"flow mapping", "a: {k: " + zeros + ", j: 1}\n", 1},
		{"anchor and alias", "a: &x " + zeros + "\nb: *x\nc: [*x, *x]\n", 1},
		{"tag", "a: !Join [\"\", " + words + "]\nb: !!seq " + zeros + "\nc: !Custom " + zeros + "\n", 3},
		{"anchor and tag", "a: &x !!seq " + zeros + "\nb: *x\n", 1},
		{"key", "? " + zeros + "\n: v\n", 1},
		{"quoted", "a: " + quoted + "\nb: \"" + zeros + "\"\n", 1},
		{"quoted in a comment", "a: 1 # " + quoted + "\n", 0},
		{"plain scalar", "a: x" + zeros + "\n", 0},
		{"plain scalar after space", "a: x " + zeros + "\n", 0},
		{"double quoted", "a: \"" + zeros + "\"\n", 0},
		{"single quoted", "a: '" + zeros + "'\n", 0},
		{"literal", "a: |\n  " + zeros + "\n  " + words + "\n", 0},
		{"folded", "a: >-\n  " + zeros + "\n", 0},
		{"comment", "a: 1 # " + zeros + "\n# " + words + "\n", 0},
		{"in a string and a list", "a: \"" + zeros + "\"\nb: " + zeros + "\n", 1},
		{"syntax error after", "a: " + zeros + "\nb: [1\n", 0},
		{"syntax error inside", "a: " + zeros + "]\n", 0},
		{"multi-line", "a: [" + strings.Repeat("0,\n  ", 70) + "0]\n", 1},
		{"multi-line CRLF", "a: [\r\n" + strings.Repeat("  0 ,\r\n", 70) + "  0\r\n  ]\r\n", 1},
		{"multi-line at column 0", "a: [" + strings.Repeat("0,\n", 70) + "0]\n", 1},
		{"multi-line with a comment", "a: [" + strings.Repeat("0,\n  ", 35) + "# c\n  " + strings.Repeat("0,\n  ", 35) + "0]\n", 0},
		{"multi-line plain scalar", "a: [" + strings.Repeat("0,\n  ", 70) + "a\n  b]\n", 0},
		{"block", "a:\n" + block("  ", "0", 70), 1},
		{"block at the key's indentation", "a:\n" + block("", "s3:Get*", 70) + "b: 1\n", 1},
		{"block document", block("", `"x"`, 70), 1},
		{"block CRLF", "a:\r\n" + strings.ReplaceAll(block("  ", "'x' ", 70), "\n", "\r\n") + "b: 1\r\n", 1},
		{"block in a sequence", "- a:\n" + block("    ", "arn:aws:iam::111122223333:root", 70) + "  b: 1\n- 2\n", 1},
		{"block with anchor and alias", "a: &x\n" + block("  ", "0", 70) + "b: *x\nc: [*x]\n", 1},
		{"block tagged", "a: !!seq\n" + block("  ", "0", 70) + "b: !Custom\n" + block("  ", "1", 70), 2},
		{"two blocks", "a:\n" + block("  ", "0", 70) + "\n\nb:\n" + block("", "1", 70), 2},
		{"block then an entry that is not a scalar", "a:\n" + block("  ", "0", 70) + "  - {k: v}\n", 0},
		{"block after an entry that is not a scalar", "a:\n  - [1]\n" + block("  ", "0", 70), 0},
		{"block after a scalar with a comment", "a:\n  - 0 # c\n" + block("  ", "0", 70), 0},
		{"block and comments", "# h\na: # k\n  # before\n" + block("  ", "0", 70) + "  # after\nb: 1 # l\n# foot\n", 1},
		{"block cut by a comment", "a:\n" + block("  ", "0", 70) + "  # c\n" + block("  ", "0", 70), 0},
		{"block cut by a blank line", "a:\n" + block("  ", "0", 70) + "\n" + block("  ", "0", 70), 0},
		{"block whose last value goes on", "a:\n" + block("  ", "x", 70) + "    y\n", 0},
		{"block whose last value goes on after a blank line", "a:\n" + block("  ", "x", 70) + "\n   y\n", 0},
		{"block then a deeper comment", "a:\n" + block("  ", "x", 70) + "     # c\n", 0},
		{"block of mappings", "a:\n" + block("  ", "k: v", 70), 0},
		{"nested block", "a:\n" + block("  ", "- 0", 70), 0},
		{"block in a literal", "a: |\n" + block("  ", "0", 70), 0},
		{"block in a quoted string", "a: \"x\n" + block("  ", "0", 70) + "  y\"\n", 0},
		{"block in a plain scalar", "a: x\n" + block("  ", "0", 70), 0},
		{"block with a syntax error after", "a:\n" + block("  ", "0", 70) + " b: [\n", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := sameAsWritten(t, tc.src); got != tc.packed {
				t.Errorf("%d lists packed, want %d", got, tc.packed)
			}
		})
	}
}

// block returns n block sequence entries of value v at indentation ind.
func block(ind, v string, n int) string {
	return strings.Repeat(ind+"- "+v+"\n", n)
}

// TestBlockListsReadAsWritten builds block sequences and multi-line flow
// lists of random elements, indentations, line ends and next lines, blanked
// and as written, and compares the trees and diagnostics.
func TestBlockListsReadAsWritten(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	packed := 0
	next := []string{"", "  M: é\n", "M: 1\n", "    - {k: v}\n", "    - 1\n", "      z\n", "\n      z\n", "    # c\n", "# c\n", "\n\n  M: 1\n"}
	for i := range 400 {
		n := 60 + rng.Intn(20)
		el := make([]string, n)
		for j := range el {
			el[j] = elements[rng.Intn(len(elements))]
			if i%4 != 1 { // a list of one kind: packed unless it cannot be
				el[j] = elements[i/4%len(elements)]
			}
		}
		var list string
		if i%4 == 3 {
			list = " [" + strings.Join(el, ",\n"+strings.Repeat(" ", rng.Intn(8))) + "]\n"
		} else {
			ind := strings.Repeat(" ", 4+rng.Intn(3)*2)
			list = "\n"
			for _, e := range el {
				list += ind + "-" + strings.Repeat(" ", 1+rng.Intn(2)) + e + strings.Repeat(" ", rng.Intn(2)) + "\n"
			}
		}
		src := "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      L:" + list + next[rng.Intn(len(next))]
		if rng.Intn(4) == 0 {
			src = strings.ReplaceAll(src, "\n", "\r\n")
		}
		packed += sameAsWritten(t, src)
	}
	if packed < 80 {
		t.Errorf("only %d lists packed: the test does not test packing", packed)
	}
}

// TestFlowListBudgets checks that a packed list counts against the depth
// and alias limits as its elements would.
func TestFlowListBudgets(t *testing.T) {
	zeros := "[" + strings.TrimSuffix(strings.Repeat("0,", 100), ",") + "]"
	deep := strings.Repeat("[", MaxDepth-1) + zeros + strings.Repeat("]", MaxDepth-1)
	if got := sameAsWritten(t, "a: "+deep+"\n"); got != 1 {
		t.Errorf("%d lists packed in the deep list, want 1", got)
	}
	if got, _, _ := buildYAML(t, "a: "+deep+"\n", true); !strings.Contains(got, "nested deeper") {
		t.Errorf("the deep list reads:\n%.300s", got)
	}
	var bomb strings.Builder
	bomb.WriteString("a: &a " + zeros + "\n")
	prev := "a"
	for i := range 8 {
		name := "b" + strconv.Itoa(i)
		fmt.Fprintf(&bomb, "%s: &%s [%s]\n", name, name, strings.TrimSuffix(strings.Repeat("*"+prev+",", 10), ","))
		prev = name
	}
	for _, base := range []string{"a: &a " + zeros + "\n", "a: &a\n" + block("  ", "0", 100)} {
		src := base + bomb.String()[strings.IndexByte(bomb.String(), '\n')+1:]
		if got := sameAsWritten(t, src); got != 1 {
			t.Errorf("%d lists packed in the bomb, want 1", got)
		}
		if got, _, _ := buildYAML(t, src, true); !strings.Contains(got, "alias bomb") {
			t.Errorf("the alias bomb reads:\n%.300s", got)
		}
	}
}

// TestJSONTemplatePacked checks that the long lists of a JSON template
// read packed give the roles, values, source maps and diagnostics they give
// as nodes: in a policy, through Fn::FindInMap (relocated), Fn::Select,
// Fn::Join and Fn::ForEach.
func TestJSONTemplatePacked(t *testing.T) {
	list := func(f func(i int) string) string {
		var el []string
		for i := range 70 {
			el = append(el, f(i))
		}
		return "[" + strings.Join(el, ", ") + "]"
	}
	mixed := list(func(i int) string {
		if i%2 == 0 {
			return strconv.Itoa(i)
		}
		return fmt.Sprintf(`"s3:Get%d*"`, i)
	})
	arns := list(func(i int) string { return fmt.Sprintf(`"arn:aws:iam::%012d:root"`, i) })
	names := list(func(i int) string { return fmt.Sprintf(`"N%d"`, i) })
	src := `{"Transform": "AWS::LanguageExtensions",
"Mappings": {"M": {"a": {"list": ` + mixed + `}}},
"Resources": {
 "R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
  "Effect": "Allow", "Action": "sts:AssumeRole",
  "Principal": {"AWS": {"Fn::Select": [65, ` + arns + `]}},
  "Condition": {"StringEquals": {"aws:x": ` + mixed + `, "aws:y": {"Fn::FindInMap": ["M", "a", "list"]},
   "aws:z": {"Fn::Join": [",", ` + names + `]}}}}]}}},
 "Fn::ForEach::Roles": ["Name", ` + names + `, {"Role${Name}": {"Type": "AWS::IAM::Role", "Properties": {
  "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": ` + arns + `}}]}}}}]
}}
`
	read := func(pack bool) (string, []*model.Role) {
		defer func(old bool) { packJSON = old }(packJSON)
		packJSON = pack
		roles, diags := parseAll(t, "t.json", []byte(src))
		var out strings.Builder
		fmt.Fprintln(&out, diags)
		for _, r := range roles {
			fmt.Fprintf(&out, "%s %s %v\n%v\n%v\n", r.Name, span(r.Range), r.Policy, spans(r.Source.ValueMap()), spans(r.Source.KeyMap()))
		}
		return out.String(), roles
	}
	want, _ := read(false)
	got, roles := read(true)
	if got != want {
		t.Errorf("packed:\n%.3000s\nas nodes:\n%.3000s", got, want)
	}
	if len(roles) != 71 {
		t.Errorf("%d roles, want 71", len(roles))
	}
}
