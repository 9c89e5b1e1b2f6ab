package terraform

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
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
	for name, src := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
