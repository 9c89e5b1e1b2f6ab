package terraform

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestCountTokens compares the density pre-scan's count with hclsyntax's
// lexer on every native-syntax file of the repository's test data: the
// limit must mean what it says, within a small factor.
func TestCountTokens(t *testing.T) {
	files := 0
	for _, root := range []string{"testdata", "../../testdata"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			template := strings.HasSuffix(p, ".tpl") || strings.HasSuffix(p, ".tftpl")
			if !template && !strings.HasSuffix(p, ".tf") && !strings.HasSuffix(p, ".tfvars") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			var toks hclsyntax.Tokens
			if template {
				toks, _ = hclsyntax.LexTemplate(src, p, hcl.InitialPos)
			} else {
				toks, _ = hclsyntax.LexConfig(src, p, hcl.InitialPos)
			}
			got, at := countTokens(src, template, len(src)+1)
			want := len(toks) - 1 // without EOF
			if at != -1 || want > 20 && (got < want/2 || got > want*2) {
				t.Errorf("%s: counted %d tokens (limit crossed at %d), the lexer has %d", p, got, at, want)
			}
			files++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 40 {
		t.Fatalf("only %d files compared", files)
	}
}

// TestCountTokensModes checks the modes of the count on small texts.
func TestCountTokensModes(t *testing.T) {
	for _, tc := range []struct {
		src      string
		template bool
		want     int
	}{
		{src: `a = 1`, want: 3},
		{src: "a = \"x y z\"\n", want: 6},                     // a = " x y z " \n: the literal once
		{src: `a = "${b.c} d"`, want: 8},                      // a = " ${ b.c } lit "
		{src: `a = "$${b} \" c"`, want: 5},                    // escapes stay literal
		{src: "# comment, with, commas\na = [1, 2]", want: 9}, // comment newline a = [ 1 , 2 ]
		{src: "/* x, y\n, z */ a", want: 2},
		{src: "a = <<EOF\nx, y, z\n  ${b}\nEOF\nc = 1\n", want: 16},
		{src: "a = <<-EOT\n  x\n  EOT\n", want: 7},
		{src: "x, y, z ${a, b}\n%{ if c }d%{ endif }", template: true, want: 15},
		{src: strings.Repeat("0,", 1000), want: 2000},
	} {
		got, at := countTokens([]byte(tc.src), tc.template, 1<<20)
		if got != tc.want || at != -1 {
			t.Errorf("%q: %d tokens (at %d), want %d", tc.src, got, at, tc.want)
		}
	}
	_, at := countTokens([]byte("a = ["+strings.Repeat("0,", 100)+"]"), false, 50)
	if at != len("a = [")+47 { // the 51st token
		t.Errorf("limit of 50 crossed at %d", at)
	}
}

// TestDensity checks that a text of more tokens than maxTokens is refused
// before it is parsed, with a diagnostic at the place where the limit is
// crossed, in every kind of native-syntax input, and that the other files
// of the module are still analyzed.
func TestDensity(t *testing.T) {
	dense := "[" + strings.Repeat("0,", maxTokens/2+10) + "0]"
	const tokens, values = "more than 1000000 tokens in one file", "more than 500000 values in one file"
	denseJSON := "[" + strings.Repeat("0,", maxJSONValues+10) + "0]"
	tests := []struct {
		name, file, src, want, msg string
	}{
		{"configuration", "dense.tf", "locals {\n  x = " + dense + "\n}\n", "m/dense.tf:2:", tokens},
		{"tfvars", "terraform.tfvars", "\nx = " + dense + "\n", "m/terraform.tfvars:2:", tokens},
		{"template", "t.tpl", "line\n${jsonencode(" + dense + ")}", "m/t.tpl:2:", tokens},
		// JSON syntax: as many values (srcjson.CountValues).
		{"JSON configuration", "dense.tf.json", "{\"locals\": {\n\"x\": " + denseJSON + "}}", "m/dense.tf.json:2:", values},
		{"JSON tfvars", "terraform.tfvars.json", "{\n\n\"x\": " + denseJSON + "}", "m/terraform.tfvars.json:3:", values},
		// A policy document in one literal, which the counts above see as
		// one token or value: as many values as srcjson.MaxEmbeddedValues.
		{"policy in a heredoc", "dense.tf", "resource \"aws_iam_role\" \"d\" {\n  assume_role_policy = <<EOT\n{\"Statement\": [],\n\"x\": " + denseJSON + "}\nEOT\n}\n",
			"m/dense.tf:4:", "more than 500000 values in one policy document"},
		{"policy in a JSON string", "dense.tf.json", "{\"resource\": {\"aws_iam_role\": {\"d\": {\n\"assume_role_policy\": \"{\\\"x\\\": " + denseJSON + "}\"}}}}",
			"m/dense.tf.json:2:", "embedded policy document: more than 500000 values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRefused(t, tt.file, tt.src, tt.want, tt.msg) })
	}
}
