package yamlerr

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestLocate(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		problem   string
	}{
		{
			name:    "key indented too far, deep in a mapping",
			src:     "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: a\n     Path: /x/\n      Tags: []\n",
			line:    6, // the library says line 2
			problem: "did not find expected key",
		},
		{
			name:    "second resource",
			src:     "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: a\n  Other:\n    Type: x\n   Bad: 1\n",
			line:    8, // the library says line 1
			problem: "did not find expected key",
		},
		{
			name:    "second entry of a config",
			src:     "rules:\n  TL004: {enabled: false}\n   TL001: x\n",
			line:    3,
			problem: "did not find expected key",
		},
		{
			name:    "tab (a scanner problem, placed by the library)",
			src:     "rules:\n  TL001:\n\tenabled: false\n",
			line:    3,
			problem: "found character that cannot start any token",
		},
		{
			name:    "unclosed flow sequence",
			src:     "a: [1, 2\nb: 3\n",
			line:    2, // where the ',' or ']' is missing
			problem: "did not find expected ',' or ']'",
		},
		{
			name:    "mapping value where none may be",
			src:     "Resources:\n  Role:\n    Type: AWS::IAM::Role: x\n",
			line:    3,
			problem: "mapping values are not allowed in this context",
		},
		{
			name:    "no line",
			src:     "a: *nothing\n",
			line:    0,
			problem: "unknown anchor 'nothing' referenced",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			err := yaml.Unmarshal([]byte(tt.src), &doc)
			if err == nil {
				t.Fatal("the text parses")
			}
			line, problem := Locate([]byte(tt.src), err)
			if line != tt.line || problem != tt.problem {
				t.Errorf("got line %d %q, want %d %q (library: %v)", line, problem, tt.line, tt.problem, err)
			}
		})
	}
}
