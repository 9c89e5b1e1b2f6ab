package parser

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/cloudformation"
	"github.com/trustlint/trustlint/parser/iamjson"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/terraform"
)

// Parser reads one input format.
type Parser interface {
	// Name names the format ("iam-json").
	Name() string
	// Extensions lists the file name suffixes the parser may read, lower
	// case and with the dot (".json", ".tf.json").
	Extensions() []string
	// Match tells, from the file's path and content and without a full
	// parse, whether the parser reads the file; when not, why is a short
	// reason for verbose output ("no trust policy content"). A file that is
	// relevant but broken matches, so that Parse reports the error.
	Match(path string, src []byte) (ok bool, why string)
	// Parse reads the file and calls emit with each role as soon as it is
	// complete. Problems with the input are returned as diagnostics; Parse
	// never panics and never fails as a whole: the roles emitted stand.
	Parse(path string, src []byte, emit func(*model.Role)) []model.Diagnostic
}

// AccountParser is a Parser that also reads the identity side of account
// exports (users, groups, role permissions, managed policies) for the
// audit. Parse is ParseAccount with a nil sink.
type AccountParser interface {
	ParseAccount(path string, src []byte, emit func(*model.Role), sink model.AccountSink) []model.Diagnostic
}

// CommentParser is a Parser whose format has comments (CloudFormation
// YAML): ParseComments is Parse that also hands the comments it read to
// comments, before it emits a role of the file. Parse is ParseComments
// with a nil sink.
type CommentParser interface {
	ParseComments(path string, src []byte, emit func(*model.Role), comments model.CommentSink) []model.Diagnostic
}

// CommentModuleParser is a ModuleParser whose format has comments
// (Terraform's native syntax): ParseModuleComments is ParseModule that also
// hands the comments of every file it parses to comments, before it emits a
// role of that file.
type CommentModuleParser interface {
	ParseModuleComments(dir, root string, emit func(*model.Role), comments model.CommentSink) []model.Diagnostic
}

// FocusModuleParser is a CommentModuleParser that can emit only the roles
// that some files of the unit can affect: those the user named (a
// pre-commit hook names the files a commit changes). Every file of a
// Terraform module may read what another declares, so a named file
// selects its whole unit, but a role that reads nothing the named files
// declare cannot change with them. focus holds the named files (paths of
// files of dir); an empty focus emits every role.
type FocusModuleParser interface {
	ParseModuleFocus(dir, root string, focus []string, emit func(*model.Role), comments model.CommentSink) []model.Diagnostic
}

// ModuleParser reads every file of one directory as a unit (a Terraform
// module): names declared in one file are used in another.
type ModuleParser interface {
	// ModuleFile reports whether path is a file of such a unit (.tf, .tf.json).
	ModuleFile(path string) bool
	// ParseModule reads the unit in dir and emits its roles. Every file read
	// (the module's files, terraform.tfvars, *.auto.tfvars, file(),
	// templatefile()) must lie inside root, the tree being scanned; a path that
	// leaves root (.., absolute, symlink out) is a diagnostic, never a read.
	ParseModule(dir, root string, emit func(*model.Role)) []model.Diagnostic
}

// ModuleCaller is a ModuleParser whose units call one another (Terraform
// module calls): a unit that another scanned unit calls is analyzed
// through its calls only, not on its own.
type ModuleCaller interface {
	// CalledModules returns the directories among dirs (below root) that
	// a unit of dirs calls.
	CalledModules(dirs []string, root string) map[string]bool
}

// ModuleMember is a ModuleParser whose units also hold files that are not
// read as units themselves (Terraform .tfvars and templates): naming such a
// file selects its unit.
type ModuleMember interface {
	// UnitOf returns the directory of the unit that the file at path
	// belongs to, looking no higher than root; ok is false when path is
	// no such file.
	UnitOf(path, root string) (dir string, ok bool)
}

// ModuleUnitFor returns the directory of the unit that the file at path
// belongs to and the module parser that reads it, or a nil parser.
func ModuleUnitFor(path, root string) (string, ModuleParser) {
	if mp := ModuleParserFor(path); mp != nil {
		return filepath.Dir(path), mp
	}
	for _, p := range registry {
		if mm, ok := p.(ModuleMember); ok {
			if dir, ok := mm.UnitOf(path, root); ok {
				return dir, p.(ModuleParser)
			}
		}
	}
	return "", nil
}

// ModuleParserFor returns the module parser that reads path as part of a
// directory unit, or nil.
func ModuleParserFor(path string) ModuleParser {
	for _, p := range registry {
		if mp, ok := p.(ModuleParser); ok && mp.ModuleFile(path) {
			return mp
		}
	}
	return nil
}

// Limits are limits a scan puts on the parsers; a zero field leaves the
// parser's default.
type Limits struct {
	// TemplateValues bounds the values of one CloudFormation template
	// (cloudformation.DefaultMaxValues, cloudformation.MaxValuesFlag).
	TemplateValues int
}

// WithLimits returns p with the limits l.
func WithLimits(p Parser, l Limits) Parser {
	if c, ok := p.(cloudformation.Parser); ok && l.TemplateValues > 0 {
		c.MaxValues = l.TemplateValues
		return c
	}
	return p
}

// registry lists the parsers in the order ForFile tries them. Adding a
// format is adding its parser here.
var registry = []Parser{
	cloudformation.Parser{},
	terraform.Parser{},
	iamjson.Parser{},
}

// Parsers returns the registered parsers in the order ForFile tries them.
func Parsers() []Parser { return append([]Parser(nil), registry...) }

// Extensions returns the file name suffixes some parser may read, sorted and
// without duplicates, so a directory walker knows which files to consider.
// Suffixes may have several dots (".tf.json"): test them with Considered.
func Extensions() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range registry {
		for _, e := range p.Extensions() {
			if !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Considered reports whether path ends with one of the Extensions, ignoring
// case: whether a directory walker should read the file and call ForFile.
func Considered(path string) bool {
	for _, p := range registry {
		if hasExtension(p, path) {
			return true
		}
	}
	return false
}

// WhyUnsupported is the reason ForFile gives for a file that no parser
// considers by its name.
const WhyUnsupported = "unsupported file type"

// ForFile returns the first registered parser that reads the file path with
// content src. When none does, it returns nil and the reason given by the
// last parser that considered the file, the most general one (or
// WhyUnsupported), for verbose output.
func ForFile(path string, src []byte) (Parser, string) {
	why := ""
	for _, p := range registry {
		if !hasExtension(p, path) {
			continue
		}
		ok, reason := p.Match(path, src)
		if ok {
			return p, ""
		}
		why = reason
	}
	if why == "" {
		why = WhyUnsupported
	}
	return nil, why
}

// ForNamed is ForFile for a file the user named explicitly (or standard
// input): it is read by its content, whatever its name. A name that some
// parser considers is matched as ForFile does; any other is matched as if
// it ended in .json when its content starts like JSON ('{' or '[' after
// white space), else as if it ended in .yaml. When no parser reads the file
// but its content is meant as JSON (a .json name or JSON-looking content)
// and is not valid JSON, the JSON policy parser is returned so that its
// Parse reports the syntax error at its line: the user asked for this file,
// even if it is cut before its first Principal.
func ForNamed(path string, src []byte) (Parser, string) {
	name, as := path, ""
	if !Considered(path) {
		name, as = path+".yaml", "YAML"
		if srcjson.LooksJSON(src) {
			name, as = path+".json", "JSON"
		}
	}
	p, why := ForFile(name, src)
	if p == nil && strings.HasSuffix(strings.ToLower(name), ".json") && !jsontext.Value(src).IsValid(jsontext.AllowDuplicateNames(true)) {
		return iamjson.Parser{}, ""
	}
	if p == nil && as != "" {
		why = "read by its content as " + as + ": " + why
	}
	return p, why
}

// hasExtension reports whether path ends with one of p's extensions,
// ignoring case.
func hasExtension(p Parser, path string) bool {
	lower := strings.ToLower(path)
	for _, e := range p.Extensions() {
		if strings.HasSuffix(lower, e) {
			return true
		}
	}
	return false
}
