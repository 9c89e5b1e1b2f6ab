package terraform

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/trustlint/trustlint/internal/par"
	"github.com/trustlint/trustlint/internal/safefs"
)

// CalledModules returns the directories among dirs that a module of dirs
// calls with a local source (module "x" { source = "../modules/x" }):
// such a directory is analyzed through its calls, with the callers'
// arguments, and not as a root module with its defaults. Only files that
// mention "module" are parsed, .tf and .tf.json alike.
// Paths are compared cleaned; the keys of the result are the given dirs.
// A Parser of ForScan keeps the files it reads for the scan's parse of
// their modules, which then does not read them again.
func (p Parser) CalledModules(dirs []string, root string) map[string]bool {
	out := map[string]bool{}
	b, err := safefs.Open(root, 0)
	if err != nil {
		return out
	}
	defer func() { _ = b.Close() }()
	fsys := b.FS()
	var keep func(fsPath string, src []byte)
	if absRoot, err := filepath.Abs(root); err == nil && p.cache != nil {
		keep = func(fsPath string, src []byte) { p.cache.keep(absRoot, fsPath, src) }
	}
	byClean := make(map[string]string, len(dirs))
	for _, d := range dirs {
		byClean[filepath.Clean(d)] = d
	}
	// The directories are read on every core: reading is all this does
	// for a tree without module calls.
	sources := make([][]string, len(dirs))
	par.Each(0, len(dirs), func(i int) {
		if rel, err := b.Rel(dirs[i]); err == nil {
			sources[i] = localSources(fsys, rel, keep)
		}
	})
	for i, d := range dirs {
		for _, src := range sources[i] {
			target := filepath.Clean(filepath.Join(d, filepath.FromSlash(src)))
			if orig, ok := byClean[target]; ok && target != filepath.Clean(d) {
				out[orig] = true
			}
		}
	}
	return out
}

// localSources returns the local sources of the module blocks of the .tf
// and .tf.json files of directory dirRel; keep, when not nil, is given
// each file read.
func localSources(fsys fs.FS, dirRel string, keep func(fsPath string, src []byte)) []string {
	entries, err := fs.ReadDir(fsys, dirRel)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || !isConfigFile(e.Name()) {
			continue
		}
		fsPath := path.Join(dirRel, e.Name())
		src, err := fs.ReadFile(fsys, fsPath)
		if err != nil {
			continue
		}
		if keep != nil {
			keep(fsPath, src)
		}
		if !bytes.Contains(src, []byte("module")) {
			continue
		}
		var sources []string
		if filepath.Ext(e.Name()) == ".json" {
			sources = jsonSources(src)
		} else {
			sources = nativeSources(src, e.Name())
		}
		for _, s := range sources {
			if isLocalSource(s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// nativeSources returns the literal sources of the module blocks of a .tf
// file.
func nativeSources(src []byte, name string) []string {
	if _, dense := countTokens(src, false, maxTokens); nestingOffset(src) >= 0 || dense >= 0 {
		return nil
	}
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	body, ok := f.Body.(*hclsyntax.Body)
	if diags.HasErrors() || !ok {
		return nil
	}
	var out []string
	for _, blk := range body.Blocks {
		a := blk.Body.Attributes["source"]
		if blk.Type != "module" || a == nil {
			continue
		}
		if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			out = append(out, v.AsString())
		}
	}
	return out
}

// jsonSources returns the sources of the module blocks of a .tf.json file:
// {"module": {"name": {"source": "./x"}}}, where any level may be an array
// of such objects, as in Terraform's JSON syntax.
func jsonSources(src []byte) []string {
	var out []string
	var walk func(v any, level int)
	walk = func(v any, level int) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				walk(e, level)
			}
		case map[string]any:
			if level == 2 {
				if s, ok := v["source"].(string); ok {
					out = append(out, s)
				}
				return
			}
			key := ""
			if level == 0 {
				key = "module"
			}
			for k, e := range v {
				if key == "" || k == key {
					walk(e, level+1)
				}
			}
		}
	}
	var doc any
	if json.Unmarshal(src, &doc) == nil {
		walk(doc, 0)
	}
	sort.Strings(out)
	return out
}

// UnitOf returns the module directory that a .tfvars file or a template
// (.tftpl, .tpl) belongs to: for tfvars its directory, for a template the
// nearest directory holding configuration, its own or one of its two
// parents (templates/trust.json.tftpl), no higher than root.
func (Parser) UnitOf(p, root string) (string, bool) {
	lower := strings.ToLower(p)
	dir := filepath.Dir(p)
	switch {
	case strings.HasSuffix(lower, ".tfvars") || strings.HasSuffix(lower, ".tfvars.json"):
		return dir, true
	case strings.HasSuffix(lower, ".tftpl") || strings.HasSuffix(lower, ".tpl"):
	default:
		return "", false
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return dir, true
	}
	for d, i := dir, 0; i < 3; d, i = filepath.Dir(d), i+1 {
		abs, err := filepath.Abs(d)
		if err != nil || !strings.HasPrefix(abs+string(filepath.Separator), absRoot+string(filepath.Separator)) {
			break
		}
		entries, err := os.ReadDir(d)
		if err != nil {
			break
		}
		for _, e := range entries {
			if !e.IsDir() && isConfigFile(e.Name()) {
				return d, true
			}
		}
	}
	return dir, true
}
