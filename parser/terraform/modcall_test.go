package terraform

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/trustlint/trustlint/model"
)

// countingFS counts the reads of each file; a module's files are read
// concurrently (loadConfigs).
type countingFS struct {
	fstest.MapFS
	mu    *sync.Mutex
	reads map[string]int
}

func (c countingFS) ReadFile(name string) ([]byte, error) {
	c.mu.Lock()
	c.reads[name]++
	c.mu.Unlock()
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
	fsys := countingFS{MapFS: files, mu: &sync.Mutex{}, reads: map[string]int{}}
	got := map[string]string{}
	diags := parseModuleFS(fsys, moduleDir, moduleDir, nil, func(r *model.Role) {
		got[r.Name] = fmt.Sprint(at(r.Policy, aws...))
	}, nil)
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

// TestModuleReadOncePerScan checks that a module that two root modules
// call is read once with the Parser of one scan (ForScan), and once per
// root module without: its file's comments reach the sink as often as the
// file is parsed. The roots are parsed concurrently, as a scan does, and
// each still evaluates the module with its own arguments.
func TestModuleReadOncePerScan(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("modules/role/main.tf", "variable \"account\" {}\n# "+model.SuppressionMarker+" TL002\n"+trustRole("this", `"arn:aws:iam::${var.account}:root"`))
	for i, root := range []string{"a", "b"} {
		write(root+"/main.tf", fmt.Sprintf("module \"r\" {\n  source  = \"../modules/role\"\n  account = \"%012d\"\n}\n", i+1))
	}
	for _, tc := range []struct {
		name   string
		parser Parser
		parses int
	}{
		{"one scan", Parser{}.ForScan().(Parser), 1},
		{"no scan", Parser{}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			parses := 0
			got := map[string]string{}
			sink := func(file string, _ []model.Comment) {
				mu.Lock()
				defer mu.Unlock()
				if strings.HasSuffix(filepath.ToSlash(file), "modules/role/main.tf") {
					parses++
				}
			}
			var wg sync.WaitGroup
			for _, root := range []string{"a", "b"} {
				wg.Go(func() {
					diags := tc.parser.ParseModuleComments(filepath.Join(dir, root), dir, func(r *model.Role) {
						mu.Lock()
						defer mu.Unlock()
						got[root+" "+r.Name] = fmt.Sprint(at(r.Policy, aws...))
					}, sink)
					if len(diags) > 0 {
						t.Errorf("%s: %v", root, diags)
					}
				})
			}
			wg.Wait()
			want := map[string]string{
				"a module.r.aws_iam_role.this": "[arn:aws:iam::000000000001:root]",
				"b module.r.aws_iam_role.this": "[arn:aws:iam::000000000002:root]",
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("roles %v, want %v", got, want)
			}
			if parses != tc.parses {
				t.Errorf("the module was parsed %d times, want %d", parses, tc.parses)
			}
		})
	}
}
