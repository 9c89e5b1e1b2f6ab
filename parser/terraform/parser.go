package terraform

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/trustlint/trustlint/internal/safefs"
	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/iamjson"
)

// Parser reads Terraform: the .tf and .tf.json files of a module directory
// (ParseModule) and plan JSON files written by terraform show -json (Parse).
// Its zero value is ready to use and it is safe for concurrent use.
type Parser struct {
	// cache, when set (ForScan), shares the called modules' directories
	// between the root modules of a scan.
	cache *ModuleCache
}

// ForScan returns a Parser for one scan: a module directory that several
// root modules call is read and parsed once, not once per root module.
// The result is a Parser (any, as package parser, which names the
// interfaces, imports this one).
func (Parser) ForScan() any { return Parser{cache: &ModuleCache{}} }

// Name returns the parser's name.
func (Parser) Name() string { return "terraform" }

// Extensions returns the file name suffixes of the files Parse reads: plan
// JSON. Configuration files are read per directory (ModuleFile).
func (Parser) Extensions() []string { return []string{".json"} }

// Reasons Match gives for skipping a file.
const (
	WhyNotJSON      = "not a .json file"
	WhyModuleFile   = "Terraform JSON configuration (read with its module)"
	WhyNotPlan      = "not a Terraform plan"
	WhyState        = "Terraform state JSON (not supported)"
	WhyNoIAMInPlans = "Terraform plan without IAM roles"
)

// Match tells, cheaply, whether the file is a Terraform plan in JSON
// (terraform show -json): a .json file whose top-level object has
// "format_version" and "planned_values" or "resource_changes". A file that
// names those keys but is not valid JSON matches, so that Parse reports the
// error.
func (Parser) Match(path string, src []byte) (bool, string) {
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".tf.json"):
		return false, WhyModuleFile
	case !strings.HasSuffix(lower, ".json"):
		return false, WhyNotJSON
	}
	if iamjson.StartsIAM(src) {
		return false, WhyNotPlan
	}
	if !bytes.Contains(src, []byte(`"format_version"`)) ||
		(!bytes.Contains(src, []byte(`"planned_values"`)) && !bytes.Contains(src, []byte(`"resource_changes"`))) {
		if bytes.Contains(src, []byte(`"format_version"`)) && bytes.Contains(src, []byte(`"values"`)) {
			return false, WhyState
		}
		return false, WhyNotPlan
	}
	dec := jsontext.NewDecoder(bytes.NewReader(src), jsontext.AllowDuplicateNames(true))
	if dec.PeekKind() != jsontext.KindBeginObject {
		if dec.PeekKind() == jsontext.KindInvalid {
			return true, ""
		}
		return false, WhyNotPlan
	}
	if _, err := dec.ReadToken(); err != nil {
		return true, ""
	}
	var version, plan bool
	for dec.PeekKind() != jsontext.KindEndObject {
		tok, err := dec.ReadToken()
		if err != nil {
			return true, "" // broken: Parse reports it
		}
		switch tok.String() {
		case "format_version":
			version = true
		case "planned_values", "resource_changes":
			plan = true
		}
		if version && plan {
			return true, ""
		}
		if err := dec.SkipValue(); err != nil {
			return true, ""
		}
	}
	return false, WhyNotPlan
}

// ModuleFile reports whether path is a configuration file of a Terraform
// module: *.tf or *.tf.json, not hidden and not an editor backup (the files
// Terraform itself loads).
func (Parser) ModuleFile(path string) bool { return isConfigFile(path) }

// ParseModule reads the module in directory dir, the .tf and .tf.json files
// it holds together with terraform.tfvars and *.auto.tfvars, and calls emit
// with each aws_iam_role it declares, in file and source order. Every file
// read, including those named by file() and templatefile(), must lie inside
// root, the tree being scanned: a path that leaves it (.., an absolute path,
// a symbolic link out) is a diagnostic and is not read. Module calls are
// evaluated (modcall.go): the roles of called modules are emitted with
// their instance addresses, and module outputs resolve. Syntax errors are diagnostics with file, line and column; a
// file with errors contributes nothing, the other files are still analyzed.
// ParseModule never panics.
func (p Parser) ParseModule(dir, root string, emit func(*model.Role)) []model.Diagnostic {
	return parseModule(dir, root, nil, emit, nil, p.cache)
}

// ParseModuleFocus is ParseModuleComments that emits only the roles that
// the files named in focus (files of the module directory) can affect
// (focus.go; parser.FocusModuleParser); every role when focus is empty.
func (p Parser) ParseModuleFocus(dir, root string, focus []string, emit func(*model.Role), comments model.CommentSink) []model.Diagnostic {
	return parseModule(dir, root, focus, emit, comments, p.cache)
}

// parseModule is ParseModule handing the comments of the files it parses
// to comments, when not nil (comments.go).
func parseModule(dir, root string, focus []string, emit func(*model.Role), comments model.CommentSink, cache *ModuleCache) (diags []model.Diagnostic) {
	defer func() {
		if p := recover(); p != nil {
			diags = append(diags, model.Diagnostic{
				Range:   model.Range{File: dir},
				Message: fmt.Sprintf("internal error reading the Terraform module: %v\n%s", p, debug.Stack()),
			})
		}
	}()
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return []model.Diagnostic{{Range: model.Range{File: dir}, Message: "cannot resolve the scanned tree: " + err.Error()}}
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return []model.Diagnostic{{Range: model.Range{File: dir}, Message: "cannot resolve the module directory: " + err.Error()}}
	}
	rel, err := filepath.Rel(absRoot, absDir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return []model.Diagnostic{{Range: model.Range{File: dir}, Message: "module directory is outside the scanned tree; not read"}}
	}
	b, err := safefs.Open(absRoot, 0)
	if err != nil {
		return []model.Diagnostic{{Range: model.Range{File: dir}, Message: "cannot read: " + cleanFSError(err).Error()}}
	}
	defer func() { _ = b.Close() }()
	return parseModuleFS(b.FS(), filepath.ToSlash(rel), dir, comments, emit, &project{absRoot: absRoot, cache: cache, focus: focus})
}

// parseModuleFS reads the module at dirRel of fsys (a slash path, "." for
// the root), naming files after dir; comments may be nil. proj, when not
// nil, brings the scan's module cache and the project root.
func parseModuleFS(fsys fs.FS, dirRel, dir string, comments model.CommentSink, emit func(*model.Role), proj *project) []model.Diagnostic {
	if proj == nil {
		proj = &project{}
	}
	if proj.cache == nil {
		proj.cache = &ModuleCache{}
	}
	proj.rootDirRel, proj.comments = dirRel, comments
	m := newModule(fsys, dirRel, dir)
	m.proj = proj
	m.rootDir = dir
	m.proj.loadInstalled(m)
	m.load()
	m.newContext()
	m.emitFocused(proj.focus, emit)
	return sortDiags(m.allDiags())
}
