package terraform

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/trustlint/trustlint/model"
)

// countingFS counts the reads of each file.
type countingFS struct {
	fstest.MapFS
	reads map[string]int
}

func (c countingFS) ReadFile(name string) ([]byte, error) {
	c.reads[name]++
	return c.MapFS.ReadFile(name)
}

// TestModuleReadOnce checks that a module called twice, once with three
// for_each instances and once with count = 2, is read once per root
// module, while every instance is still evaluated with its own arguments
// and the module's syntax error is reported once.
func TestModuleReadOnce(t *testing.T) {
	files := filesFS(map[string]string{
		"main.tf": `module "vendor" {
  source   = "./mod"
  for_each = { acme = "111111111111", globex = "222222222222", initech = "333333333333" }
  account  = each.value
}

module "ci" {
  source  = "./mod"
  count   = 2
  account = "44444444444${count.index}"
}
`,
		"mod/role.tf": `variable "account" {}
` + trustRole("this", `"arn:aws:iam::${var.account}:root"`),
		"mod/broken.tf": "locals {\n  x = \n}\n",
	})
	fsys := countingFS{MapFS: files, reads: map[string]int{}}
	got := map[string]string{}
	diags := parseModuleFS(fsys, moduleDir, moduleDir, nil, func(r *model.Role) {
		got[r.Name] = fmt.Sprint(at(r.Policy, aws...))
	})
	want := map[string]string{
		`module.vendor["acme"].aws_iam_role.this`:    "[arn:aws:iam::111111111111:root]",
		`module.vendor["globex"].aws_iam_role.this`:  "[arn:aws:iam::222222222222:root]",
		`module.vendor["initech"].aws_iam_role.this`: "[arn:aws:iam::333333333333:root]",
		`module.ci[0].aws_iam_role.this`:             "[arn:aws:iam::444444444440:root]",
		`module.ci[1].aws_iam_role.this`:             "[arn:aws:iam::444444444441:root]",
	}
	if len(got) != len(want) {
		t.Errorf("roles %v, want %v", got, want)
	}
	for name, p := range want {
		if got[name] != p {
			t.Errorf("%s: principal %q, want %q", name, got[name], p)
		}
	}
	var reads []string
	for name, n := range fsys.reads {
		if n != 1 && strings.HasSuffix(name, ".tf") {
			reads = append(reads, name)
		}
	}
	sort.Strings(reads)
	if len(reads) > 0 {
		t.Errorf("read more than once: %v (%v)", reads, fsys.reads)
	}
	if n := strings.Count(messages(diags), "broken.tf:2:7: Invalid expression"); n != 1 {
		t.Errorf("the syntax error of the module is reported %d times:\n%s", n, messages(diags))
	}
}

var _ fs.ReadFileFS = countingFS{}
