package terraform

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/trustlint/trustlint/model"
)

func TestCalledModules(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"live/main.tf":              `module "net" { source = "../modules/net" }` + "\n" + `module "reg" { source = "terraform-aws-modules/iam/aws" }`,
		"live/roles.tf.json":        `{"module": {"ci": {"source": "../modules/ci"}, "more": [{"source": "../modules/listed"}]}}`,
		"gen/main.tf.json":          `{"module": [{"role": [{"source": "../modules/role"}]}], "variable": {"source": {"default": "../modules/uncalled"}}}`,
		"broken/main.tf.json":       `{"module": {"x": {"source": "../modules/uncalled"}`,
		"modules/net/main.tf":       "",
		"modules/ci/main.tf":        "",
		"modules/listed/main.tf":    "",
		"modules/role/main.tf.json": "{}",
		"modules/uncalled/main.tf":  "",
	}
	writeTree(t, root, files)
	var dirs []string
	for _, d := range []string{"live", "gen", "broken", "modules/net", "modules/ci", "modules/listed", "modules/role", "modules/uncalled"} {
		dirs = append(dirs, filepath.Join(root, filepath.FromSlash(d)))
	}
	var got []string
	for d := range (Parser{}).CalledModules(dirs, root) {
		rel, _ := filepath.Rel(root, d)
		got = append(got, filepath.ToSlash(rel))
	}
	sort.Strings(got)
	want := []string{"modules/ci", "modules/listed", "modules/net", "modules/role"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("called %q, want %q", got, want)
	}
}

// TestCalledModulesReadOnce: a scan's parser keeps the files CalledModules
// read, and the parse of their modules takes them instead of reading them
// again (a file changed in between is seen as CalledModules read it), so
// that nothing stays kept.
func TestCalledModulesReadOnce(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"live/main.tf": `module "ci" {
  source  = "../modules/role"
  account = "999988887777"
}`,
		"modules/role/variables.tf": `variable "account" { type = string }`,
		"modules/role/main.tf": `resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::${var.account}:root" } }]
  })
}`,
	}
	writeTree(t, root, files)
	live, role := filepath.Join(root, "live"), filepath.Join(root, "modules", "role")
	p := Parser{}.ForScan().(Parser)
	if called := p.CalledModules([]string{live, role}, root); !called[role] || len(called) != 1 {
		t.Fatalf("called %v, want only %s", called, role)
	}
	if n := len(p.cache.files); n != len(files) {
		t.Fatalf("%d files kept, want %d", n, len(files))
	}
	// Changed on disk after CalledModules read it: the parse must see the
	// kept text, or it read the file twice.
	if err := os.WriteFile(filepath.Join(role, "main.tf"), []byte("broken {"), 0o644); err != nil {
		t.Fatal(err)
	}
	var names []string
	diags := p.ParseModuleFocus(live, root, nil, func(r *model.Role) { names = append(names, r.Name) }, nil)
	if len(diags) > 0 || !reflect.DeepEqual(names, []string{"module.ci.aws_iam_role.ci"}) {
		t.Errorf("roles %q, diagnostics %v; want the role of the kept text", names, diags)
	}
	if n, size := len(p.cache.files), p.cache.filesSize; n != 0 || size != 0 {
		t.Errorf("%d files (%d bytes) still kept after the parse", n, size)
	}
}

// writeTree writes files, by slash path, below root.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
