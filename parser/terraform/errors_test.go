package terraform

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		diags []string // file:line:col: message prefix, in order
		roles []string // still emitted
	}{
		{
			name: "native syntax error keeps the other files",
			files: map[string]string{
				"bad.tf":  "resource \"aws_iam_role\" \"bad\" {\n  assume_role_policy = jsonencode({\n}\n",
				"good.tf": trustRole("good", `"111111111111"`),
			},
			diags: []string{"m/bad.tf:2:24: Unterminated function call"},
			roles: []string{"aws_iam_role.good"},
		},
		{
			name: "duplicate declarations are reported and ignored",
			files: map[string]string{
				"a.tf": trustRole("r", `"111111111111"`) + "variable \"v\" {}\nlocals {\n  l = 1\n}\n",
				"b.tf": trustRole("r", `"222222222222"`) + "variable \"v\" {}\nlocals {\n  l = 2\n}\n",
			},
			diags: []string{
				`m/b.tf:1:1: duplicate resource "aws_iam_role" "r" (first declared at m/a.tf:1); ignored`,
				`m/b.tf:7:1: duplicate variable "v" (first declared at m/a.tf:7); ignored`,
				`m/b.tf:9:3: duplicate local value "l" (first declared at m/a.tf:9); ignored`,
			},
			roles: []string{"aws_iam_role.r"},
		},
		{
			name: "JSON syntax error",
			files: map[string]string{
				"bad.tf.json": `{"resource": {"aws_iam_role": {"x": {"assume_role_policy": "{}"}}}`,
				"good.tf":     trustRole("good", `"111111111111"`),
			},
			diags: []string{"m/bad.tf.json:1:67: invalid JSON: unexpected end of input"},
			roles: []string{"aws_iam_role.good"},
		},
		{
			name: "template error inside a JSON string points into the file",
			files: map[string]string{
				"x.tf.json": `{"resource": {"aws_iam_role": {"x": {"assume_role_policy": "${jsonencode({a = })}"}}}}`,
			},
			diags: []string{"m/x.tf.json:1:79: Invalid expression"},
			roles: []string{"aws_iam_role.x"},
		},
		{
			name: "JSON configuration that is not an object",
			files: map[string]string{
				"x.tf.json": `[]`,
			},
			diags: []string{"m/x.tf.json:1:1: not a Terraform JSON configuration"},
		},
		{
			name: "invalid JSON in a heredoc: no role, the others stand",
			files: map[string]string{
				"main.tf": "resource \"aws_iam_role\" \"bad\" {\n  assume_role_policy = <<EOF\n{\"Statement\": [}\nEOF\n}\n" + trustRole("good", `"111111111111"`),
			},
			diags: []string{"m/main.tf:3:16: invalid JSON: invalid character '}' at start of value"},
			roles: []string{"aws_iam_role.good"},
		},
		{
			name: "invalid JSON in a quoted string",
			files: map[string]string{
				"main.tf": "resource \"aws_iam_role\" \"bad\" {\n  assume_role_policy = \"{\\\"Statement\\\": 1,}\"\n}\n",
			},
			diags: []string{"m/main.tf:2:42: invalid JSON: trailing comma before '}'"},
		},
		{
			name: "invalid JSON in a policy file",
			files: map[string]string{
				"main.tf":    "resource \"aws_iam_role\" \"f\" {\n  assume_role_policy = file(\"trust.json\")\n}\n",
				"trust.json": "{\n  \"Statement\": [\n}\n",
			},
			diags: []string{"m/trust.json:3:1: invalid JSON"},
		},
		{
			name: "tfvars syntax error",
			files: map[string]string{
				"main.tf":          `variable "a" { default = "111111111111" }` + "\n" + trustRole("r", "var.a"),
				"terraform.tfvars": "a = \n",
			},
			diags: []string{"m/terraform.tfvars:1:5: Invalid expression"},
			roles: []string{"aws_iam_role.r"},
		},
		{
			name: "missing policy file",
			files: map[string]string{
				"main.tf": "resource \"aws_iam_role\" \"f\" {\n  assume_role_policy = file(\"nope.json\")\n}\n",
			},
			diags: []string{`m/main.tf:2:24: cannot read "nope.json": file does not exist`},
			roles: []string{"aws_iam_role.f"},
		},
		{
			name: "absolute path",
			files: map[string]string{
				"main.tf": "resource \"aws_iam_role\" \"f\" {\n  assume_role_policy = file(\"/etc/passwd\")\n}\n",
			},
			diags: []string{`m/main.tf:2:24: cannot read "/etc/passwd": the path leaves the scanned tree`},
			roles: []string{"aws_iam_role.f"},
		},
		{
			name: "file() in a value evaluated as a leaf",
			files: map[string]string{
				"main.tf": trustRole("r", `trimspace(file("../../x"))`),
			},
			diags: []string{`m/main.tf:4:95: cannot read "../../x": the path leaves the scanned tree`},
			roles: []string{"aws_iam_role.r"},
		},
		{
			name: "template file with a syntax error",
			files: map[string]string{
				"main.tf": "resource \"aws_iam_role\" \"t\" {\n  assume_role_policy = templatefile(\"t.tpl\", {})\n}\n",
				"t.tpl":   "{\"a\": \"${\"}\n",
			},
			diags: []string{"m/t.tpl:1:12: Invalid multi-line string"},
			roles: []string{"aws_iam_role.t"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roles, order, diags := parseFS(t, filesFS(tt.files))
			_ = roles
			var got []string
			for _, d := range diags {
				got = append(got, d.Error())
			}
			if len(got) != len(tt.diags) {
				t.Fatalf("diagnostics:\n%s\nwant %d: %q", messages(diags), len(tt.diags), tt.diags)
			}
			for i, w := range tt.diags {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("diagnostic %d: %q, want prefix %q", i, got[i], w)
				}
			}
			if !reflect.DeepEqual(order, tt.roles) && (len(order) > 0 || len(tt.roles) > 0) {
				t.Errorf("roles %v, want %v", order, tt.roles)
			}
		})
	}
}

// TestConfinement checks, on the real file system, that no file outside
// the scanned tree is read: not through .., not through a symbolic link,
// not as the module directory itself.
func TestConfinement(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "repo")
	mod := filepath.Join(root, "mod")
	write := func(p, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	secret := `{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}}]}`
	write(filepath.Join(base, "outside.json"), secret)
	write(filepath.Join(base, "outside.tf"), trustRole("outside", `"999999999999"`))
	write(filepath.Join(root, "shared.json"), strings.ReplaceAll(secret, "999999999999", "111111111111"))
	write(filepath.Join(mod, "main.tf"), `resource "aws_iam_role" "dotdot" {
  assume_role_policy = file("../../outside.json")
}
resource "aws_iam_role" "link" {
  assume_role_policy = file("link.json")
}
resource "aws_iam_role" "inside" {
  assume_role_policy = file("../shared.json")
}
resource "aws_iam_role" "tpl" {
  assume_role_policy = templatefile("${path.module}/../../outside.json", {})
}
`)
	symlink := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, name); err != nil {
			t.Skipf("no symbolic links: %v", err)
		}
	}
	symlink(filepath.Join(base, "outside.json"), filepath.Join(mod, "link.json"))
	symlink(filepath.Join(base, "outside.tf"), filepath.Join(mod, "linked.tf"))

	roles := map[string]*model.Role{}
	diags := Parser{}.ParseModule(mod, root, func(r *model.Role) { roles[r.Name] = r })
	var got []string
	for _, d := range diags {
		rel, _ := filepath.Rel(base, d.Range.File)
		got = append(got, filepath.ToSlash(rel)+": "+d.Message)
	}
	want := []string{
		// Symbolic links are never read, whether they point in or out.
		`repo/mod/linked.tf: cannot read: not a regular file (a symbolic link); not read`,
		`repo/mod/main.tf: cannot read "../../outside.json": the path leaves the scanned tree`,
		`repo/mod/main.tf: cannot read "link.json": not a regular file (a symbolic link); not read`,
		`repo/mod/main.tf: cannot read "./../../outside.json": the path leaves the scanned tree`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, ok := roles["aws_iam_role.outside"]; ok {
		t.Error("the role of a linked file outside the tree was read")
	}
	for _, name := range []string{"aws_iam_role.dotdot", "aws_iam_role.link", "aws_iam_role.tpl"} {
		r := roles[name]
		if r == nil {
			t.Fatalf("no role %s", name)
		}
		if !model.IsUnknown(r.Policy) {
			t.Errorf("%s: policy %v, want unknown", name, r.Policy)
		}
		for p, rg := range r.Source.ValueMap() {
			if strings.Contains(rg.File, "outside") {
				t.Errorf("%s: %s points at %s", name, p, rg.File)
			}
		}
	}
	inside := roles["aws_iam_role.inside"]
	if got := at(inside.Policy, aws...); !reflect.DeepEqual(got, []any{"arn:aws:iam::111111111111:root"}) {
		t.Errorf("file inside the tree: %v", got)
	}
	if got, want := inside.Source.ValueMap()[model.PolicyPath.String()].File, filepath.Join(root, "shared.json"); got != want {
		t.Errorf("policy read from %s, want %s", got, want)
	}

	// A module directory outside the tree is not read at all.
	n := 0
	diags = Parser{}.ParseModule(base, root, func(*model.Role) { n++ })
	if n != 0 || len(diags) != 1 || !strings.Contains(diags[0].Message, "outside the scanned tree") {
		t.Errorf("module outside the tree: %d roles, %v", n, diags)
	}
}

func TestModuleFile(t *testing.T) {
	tests := map[string]bool{
		"main.tf": true, "dir/x.tf.json": true, "UPPER.TF": true, "override.tf": true,
		"x.tfvars": false, ".hidden.tf": false, "#x.tf": false, "x.tf~": false, "plan.json": false, "x.tf.bak": false,
	}
	for p, want := range tests {
		if got := (Parser{}).ModuleFile(p); got != want {
			t.Errorf("ModuleFile(%q) = %v", p, got)
		}
	}
}

func TestParseModuleEmptyAndRelative(t *testing.T) {
	dir := t.TempDir()
	n := 0
	if diags := (Parser{}).ParseModule(dir, dir, func(*model.Role) { n++ }); len(diags) > 0 || n > 0 {
		t.Errorf("empty directory: %d roles, %v", n, diags)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(trustRole("r", `"111111111111"`)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var roles []*model.Role
	if diags := (Parser{}).ParseModule(".", ".", func(r *model.Role) { roles = append(roles, r) }); len(diags) > 0 {
		t.Fatal(diags)
	}
	if len(roles) != 1 || roles[0].File != "main.tf" || roles[0].Range.File != "main.tf" {
		t.Errorf("roles %+v", roles)
	}
}
