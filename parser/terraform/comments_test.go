package terraform

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestHCLComments checks that comments come from the lexer's tokens: with
// their place, whether they stand alone on their line and the next line of
// code, and that a # or // inside a string or a heredoc is not one.
func TestHCLComments(t *testing.T) {
	src := []byte(`# trustlint:ignore TL004 -- batch
resource "aws_iam_role" "r" {
  description = "a # trustlint:ignore TL001 -- in a string"
  policy = <<EOT
# trustlint:ignore TL001 -- in a heredoc
EOT
  // two lines above

  name = "r" // trustlint:ignore TL001 -- at the end
  /* block */ path = "/"
}
# last
`)
	s := &source{file: "main.tf", loc: model.NewLineIndex("main.tf", src), text: src}
	type got struct {
		Line, Col, EndCol int
		Text              string
		Alone             bool
		Next              int
	}
	var out []got
	for _, c := range hclComments(s) {
		if c.Range.File != "main.tf" || c.Range.End.Line != c.Range.Start.Line {
			t.Errorf("range %v", c.Range)
		}
		if b := src[c.Range.Start.Byte:c.Range.End.Byte]; string(b) != c.Text {
			t.Errorf("text %q, source at its range %q", c.Text, b)
		}
		out = append(out, got{c.Range.Start.Line, c.Range.Start.Column, c.Range.End.Column, c.Text, c.Alone, c.Next})
	}
	want := []got{
		{1, 1, 34, "# trustlint:ignore TL004 -- batch", true, 2},
		{7, 3, 21, "// two lines above", true, 9},
		{9, 14, 53, "// trustlint:ignore TL001 -- at the end", false, 10},
		{10, 3, 14, "/* block */", true, 11},
		{12, 1, 7, "# last", true, 0},
	}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("comments:\n got %+v\nwant %+v", out, want)
	}
}

// TestModuleCommentsSink checks that ParseModule hands the comments of each
// native-syntax file with a suppression marker to the sink before the
// roles of that file, and no others.
func TestModuleCommentsSink(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("main.tf", `# trustlint:ignore TL001 -- vendor
resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::999999999999:root" } }] })
}
`)
	write("other.tf", "# no marker here\nlocals {}\n")
	got := map[string][]model.Comment{}
	var roles int
	diags := Parser{}.ParseModuleComments(dir, dir, func(*model.Role) {
		if len(got) == 0 {
			t.Error("a role emitted before its file's comments")
		}
		roles++
	}, func(file string, cs []model.Comment) { got[file] = cs })
	if len(diags) != 0 || roles != 1 {
		t.Fatalf("%d roles, diagnostics %v", roles, diags)
	}
	main := got[filepath.Join(dir, "main.tf")]
	if len(got) != 1 || len(main) != 1 || main[0].Text != "# trustlint:ignore TL001 -- vendor" || main[0].Next != 2 {
		t.Errorf("comments: %+v", got)
	}
}
