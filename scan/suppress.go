package scan

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/trustlint/trustlint/config"
	"github.com/trustlint/trustlint/model"
)

// Inline suppressions are comments in the languages that have them (HCL,
// YAML): `# trustlint:ignore TL001 -- vendor X has no external id`, or with
// `//` in HCL. Several rules may be listed, by ID or name, separated by
// spaces or commas; a word that names no rule is reported as a note. A comment at the end of a line suppresses findings on that line; a
// comment on a line of its own suppresses findings on the next line of code,
// and, when that line declares a role (a Terraform resource, a
// CloudFormation logical ID), every finding of that role. The reason after
// "--" is required: without one the comment suppresses nothing and a note
// says so. A suppression that matches no finding is reported as a note.
var ignoreRE = regexp.MustCompile(`(?:#|//)\s*trustlint:ignore\s+([A-Za-z0-9_,*\s-]+?)\s*(?:--\s*(.*?))?\s*$`)

// commentExts are the file types whose comments can carry suppressions.
var commentExts = []string{".tf", ".hcl", ".yaml", ".yml", ".template"}

// inline is one trustlint:ignore comment.
type inline struct {
	rng    model.Range
	rules  []string
	reason string
	// target is the line whose findings it suppresses.
	target int
	used   bool
}

// suppressor applies inline comments and configuration ignore entries.
type suppressor struct {
	cfg     *config.Config
	catalog []model.RuleMeta // to tell rule names from unknown words
	// read reads a scanned file (through the scan's read boundary).
	read func(path string) ([]byte, error)

	mu      sync.Mutex
	files   map[string][]*inline // by clean path
	cfgUsed []bool
}

func newSuppressor(cfg *config.Config, catalog []model.RuleMeta, read func(string) ([]byte, error)) *suppressor {
	return &suppressor{cfg: cfg, catalog: catalog, read: read, files: map[string][]*inline{}, cfgUsed: make([]bool, len(cfg.Ignore))}
}

func hasCommentExt(path string) bool {
	lower := strings.ToLower(path)
	for _, e := range commentExts {
		if strings.HasSuffix(lower, e) {
			return true
		}
	}
	return false
}

// load reads the suppressions of a file once. Only files of the scanned
// tree reach it.
func (sp *suppressor) load(path string) []*inline {
	path = filepath.Clean(path)
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if list, ok := sp.files[path]; ok {
		return list
	}
	var list []*inline
	if hasCommentExt(path) {
		if src, err := sp.read(path); err == nil {
			list = parseInline(path, src)
		}
	}
	sp.files[path] = list
	return list
}

// parseInline finds the trustlint:ignore comments of one file.
func parseInline(path string, src []byte) []*inline {
	if !bytes.Contains(src, []byte("trustlint:ignore")) {
		return nil
	}
	lines := strings.Split(string(src), "\n")
	var out []*inline
	for i, line := range lines {
		line = strings.TrimRight(line, "\r")
		m := ignoreRE.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		rules := strings.FieldsFunc(line[m[2]:m[3]], func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		reason := ""
		if m[4] >= 0 {
			reason = strings.TrimSpace(line[m[4]:m[5]])
		}
		in := &inline{
			rng: model.Range{File: path,
				Start: model.Pos{Line: i + 1, Column: m[0] + 1, Byte: -1},
				End:   model.Pos{Line: i + 1, Column: len(line) + 1, Byte: -1}},
			rules:  rules,
			reason: reason,
			target: i + 1,
		}
		if strings.TrimSpace(line[:m[0]]) == "" {
			// On a line of its own: the next line of code.
			for j := i + 1; j < len(lines); j++ {
				t := strings.TrimSpace(lines[j])
				if t != "" && !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "//") {
					in.target = j + 1
					break
				}
			}
		}
		out = append(out, in)
	}
	return out
}

// covers reports whether the comment names the rule of f, by ID or name,
// or all rules ("*").
func (in *inline) covers(f *model.Finding) bool {
	for _, r := range in.rules {
		if r == "*" || strings.EqualFold(r, f.RuleID) || strings.EqualFold(r, f.RuleName) {
			return true
		}
	}
	return false
}

// apply marks f suppressed when an inline comment on its line or above its
// role, or a configuration entry, covers it.
func (sp *suppressor) apply(f *model.Finding, role *model.Role) {
	check := func(file string, line int) *inline {
		for _, in := range sp.load(file) {
			if in.target == line && in.covers(f) && in.reason != "" {
				return in
			}
		}
		return nil
	}
	in := check(f.Range.File, f.Range.Start.Line)
	if in == nil && role.Range.File != "" {
		in = check(role.Range.File, role.Range.Start.Line)
	}
	if in != nil {
		sp.mu.Lock()
		in.used = true
		sp.mu.Unlock()
		f.Suppressed = &model.Suppression{Kind: model.SuppressionInSource, Justification: in.reason, Range: in.rng}
		return
	}
	if len(sp.cfg.Ignore) == 0 {
		return // configRel costs a getcwd and stat calls per finding
	}
	file := configRel(sp.cfg, f.Range.File)
	for i, e := range sp.cfg.Ignore {
		if e.Reason != "" && e.Matches(f.RuleID, file, f.Role) {
			sp.mu.Lock()
			sp.cfgUsed[i] = true
			sp.mu.Unlock()
			f.Suppressed = &model.Suppression{Kind: model.SuppressionExternal, Justification: e.Reason,
				Range: model.Range{File: sp.cfg.File, Start: model.Pos{Line: e.Line, Column: 1, Byte: -1}, End: model.Pos{Line: e.Line, Column: 1, Byte: -1}}}
			return
		}
	}
}

// notes reports suppressions without a reason and suppressions that matched
// nothing, after the scan. files are the scanned files that may hold
// comments.
func (sp *suppressor) notes(files []string) []model.Diagnostic {
	for _, f := range files {
		sp.load(f)
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	var out []model.Diagnostic
	paths := make([]string, 0, len(sp.files))
	for p := range sp.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		for _, in := range sp.files[p] {
			note := func(msg string) {
				out = append(out, model.Diagnostic{Range: in.rng, Level: model.DiagNote, Message: msg})
			}
			known := 0
			for _, r := range in.rules {
				if _, ok := model.FindRule(sp.catalog, r); ok || r == "*" {
					known++
				} else {
					note(fmt.Sprintf("trustlint:ignore %s: no rule is named %q (trustlint rules lists them)", strings.Join(in.rules, " "), r))
				}
			}
			switch {
			case known == 0:
			case in.reason == "":
				note(noReason("trustlint:ignore "+strings.Join(in.rules, " "), "after --"))
			case !in.used:
				note(fmt.Sprintf("trustlint:ignore %s matches no finding", strings.Join(in.rules, " ")))
			}
		}
	}
	for i, e := range sp.cfg.Ignore {
		d := model.Diagnostic{
			Range: model.Range{File: sp.cfg.File, Start: model.Pos{Line: e.Line, Column: 1, Byte: -1}, End: model.Pos{Line: e.Line, Column: 1, Byte: -1}},
			Level: model.DiagNote,
		}
		switch {
		case e.Reason == "":
			d.Message = noReason("ignore entry for "+strings.Join(e.Rules, ", "), "in reason:")
		case !sp.cfgUsed[i]:
			d.Message = fmt.Sprintf("ignore entry for %s matches no finding", strings.Join(e.Rules, ", "))
		default:
			continue
		}
		out = append(out, d)
	}
	return out
}

// noReason is the note for a suppression without a reason, the same for
// comments and configuration entries: what is the suppression, and where
// the reason goes.
func noReason(what, where string) string {
	return fmt.Sprintf("%s has no reason (write one %s): it suppresses nothing", what, where)
}
