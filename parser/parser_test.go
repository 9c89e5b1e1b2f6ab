package parser

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/cloudformation"
	"github.com/trustlint/trustlint/parser/iamjson"
)

func TestExtensions(t *testing.T) {
	if got, want := Extensions(), []string{".json", ".template", ".yaml", ".yml"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q want %q", got, want)
	}
}

func TestConsidered(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"trust.json", true},
		{`C:\infra\ROLE.JSON`, true},
		{"main.tf.json", true},
		{"template.yaml", true},
		{"main.tf", false}, // a module file: read through ModuleParserFor
		{"json", false},
		{"README.md", false},
	}
	for _, tt := range tests {
		if got := Considered(tt.path); got != tt.want {
			t.Errorf("Considered(%q): got %v want %v", tt.path, got, tt.want)
		}
	}
}

func TestForFile(t *testing.T) {
	const dir = "../testdata/parser/json"
	tests := []struct {
		file   string
		parser string // "" when skipped
		why    string
		roles  int
	}{
		{file: "policy_star.json", parser: "iam-json", roles: 1},
		{file: "auth_details.json", parser: "iam-json", roles: 2},
		{file: "list_roles.json", parser: "iam-json", roles: 5},
		{file: "broken.json", parser: "iam-json", roles: 0},
		{file: "identity_policy.json", why: "no trust policy content"},
		{file: "unrelated.json", why: "no IAM role or trust policy content"},
		{file: "cloudformation.json", parser: "cloudformation", roles: 1},
		{file: "tfplan.json", parser: "terraform", roles: -1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p, why := ForFile(tt.file, src)
			name := ""
			if p != nil {
				name = p.Name()
			}
			if name != tt.parser || why != tt.why {
				t.Fatalf("got %q %q want %q %q", name, why, tt.parser, tt.why)
			}
			if p == nil {
				return
			}
			var roles int
			diags := p.Parse(tt.file, src, func(*model.Role) { roles++ })
			if tt.roles >= 0 && roles != tt.roles {
				t.Errorf("got %d roles want %d", roles, tt.roles)
			}
			if tt.file == "broken.json" && len(diags) == 0 {
				t.Error("got no diagnostic for a broken relevant file")
			}
		})
	}
	if p, why := ForFile("notes.txt", []byte(`{"Statement": [{"Principal": "*"}]}`)); p != nil || why != WhyUnsupported {
		t.Errorf("notes.txt: got %v %q want nil %q", p, why, WhyUnsupported)
	}
}

func TestParsersIsACopy(t *testing.T) {
	ps := Parsers()
	if len(ps) == 0 {
		t.Fatal("no parsers registered")
	}
	ps[0] = nil
	if Parsers()[0] == nil {
		t.Error("Parsers exposes the registry")
	}
}

func TestModuleParserFor(t *testing.T) {
	for path, want := range map[string]bool{"main.tf": true, "x/iam.tf.json": true, "trust.json": false, "t.yaml": false} {
		if got := ModuleParserFor(path) != nil; got != want {
			t.Errorf("ModuleParserFor(%q) != nil: got %v want %v", path, got, want)
		}
	}
}

func TestForNamed(t *testing.T) {
	policy := []byte(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}`)
	template := []byte("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R:\n    Type: AWS::IAM::Role\n")
	tests := []struct {
		name, path string
		src        []byte
		want, why  string
	}{
		{"JSON without extension", "role-export", policy, "iam-json", ""},
		{"JSON under .txt", "policy.txt", append([]byte("\n  "), policy...), "iam-json", ""},
		{"YAML template without extension", "stack", template, "cloudformation", ""},
		{"invalid JSON named .json is given to the JSON parser", "cut.json", []byte(`{"Version": "2012-10-17", "Statem`), "iam-json", ""},
		{"invalid JSON content without extension too", "cut", []byte(`[{"RoleName": `), "iam-json", ""},
		{"valid unrelated JSON", "package.json", []byte(`{"name": "x"}`), "", "no IAM role or trust policy content"},
		{"text", "notes.txt", []byte("hello\n"), "", "read by its content as YAML: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, why := ForNamed(tt.path, tt.src)
			got := ""
			if p != nil {
				got = p.Name()
			}
			if got != tt.want || !strings.HasPrefix(why, tt.why) {
				t.Errorf("ForNamed(%s) = %q, %q; want %q, %q...", tt.path, got, why, tt.want, tt.why)
			}
		})
	}
}

// TestWithLimits checks that the limits reach the CloudFormation parser,
// that zero keeps its default, and that other parsers are returned as they
// are.
func TestWithLimits(t *testing.T) {
	src := []byte("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: {Statement: []}}\n")
	p, _ := ForFile("t.yaml", src)
	if _, ok := p.(cloudformation.Parser); !ok {
		t.Fatalf("ForFile gave %T, want the CloudFormation parser", p)
	}
	if diags := WithLimits(p, Limits{TemplateValues: 3}).Parse("t.yaml", src, func(*model.Role) {}); len(diags) != 1 || !strings.Contains(diags[0].Message, "more than 3 values") {
		t.Errorf("limit 3: diagnostics %v, want the template refused", diags)
	}
	if diags := WithLimits(p, Limits{}).Parse("t.yaml", src, func(*model.Role) {}); len(diags) != 0 {
		t.Errorf("default limit: diagnostics %v, want none", diags)
	}
	if q := (iamjson.Parser{}); WithLimits(q, Limits{TemplateValues: 3}) != Parser(q) {
		t.Errorf("WithLimits changed the IAM JSON parser")
	}
}
