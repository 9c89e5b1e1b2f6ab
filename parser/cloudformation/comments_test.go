package cloudformation

import (
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestYAMLComments checks that the comments of a YAML template are the
// ones yaml.v3 read, placed where they are written, with whether they stand
// alone and the next line of code; a # in a block scalar or a quoted string
// is not a comment, and CRLF line ends do not count.
func TestYAMLComments(t *testing.T) {
	src := strings.Join([]string{
		"# trustlint:ignore TL003 -- the whole file",
		"Resources:",
		"  # trustlint:ignore TL001 -- above the role",
		"",
		"  Vendor:",
		"    Type: AWS::IAM::Role # trustlint:ignore TL004 -- at the end",
		"    Properties:",
		"      Description: |",
		"        # trustlint:ignore TL001 -- in a block scalar",
		"      Path: \"/a # trustlint:ignore TL001 -- in a string\"",
		"      AssumeRolePolicyDocument:",
		"        Statement:",
		"          # trustlint:ignore TL002 -- above an item",
		"          - Effect: Allow",
		"            Action: sts:AssumeRole",
		"            # trustlint:ignore TL009 -- at the foot",
		"",
	}, "\r\n")
	type got struct {
		Line, Col int
		Text      string
		Alone     bool
		Next      int
	}
	var out []got
	sink := func(file string, cs []model.Comment) {
		if file != "t.yaml" {
			t.Errorf("comments of %q", file)
		}
		for _, c := range cs {
			if b := src[c.Range.Start.Byte:c.Range.End.Byte]; b != c.Text {
				t.Errorf("text %q, source at its range %q", c.Text, b)
			}
			out = append(out, got{c.Range.Start.Line, c.Range.Start.Column, c.Text, c.Alone, c.Next})
		}
	}
	Parser{}.ParseComments("t.yaml", []byte(src), func(*model.Role) {}, sink)
	want := []got{
		{1, 1, "# trustlint:ignore TL003 -- the whole file", true, 2},
		{3, 3, "# trustlint:ignore TL001 -- above the role", true, 5},
		{6, 26, "# trustlint:ignore TL004 -- at the end", false, 7},
		{13, 11, "# trustlint:ignore TL002 -- above an item", true, 14},
		{16, 13, "# trustlint:ignore TL009 -- at the foot", true, 0},
	}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("comments:\n got %+v\nwant %+v", out, want)
	}
}

// TestYAMLCommentsNeedMarker checks that a template without a suppression
// is not searched for comments, and that JSON templates have none.
func TestYAMLCommentsNeedMarker(t *testing.T) {
	for name, src := range map[string]string{
		"t.yaml": "# a comment\nResources: {}\n",
		"t.json": `{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"Description": "# trustlint:ignore TL001 -- r"}}}}`,
	} {
		Parser{}.ParseComments(name, []byte(src), func(*model.Role) {}, func(file string, cs []model.Comment) {
			t.Errorf("%s: comments %+v", file, cs)
		})
	}
}
