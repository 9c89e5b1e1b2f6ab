package scan

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/trustlint/trustlint/config"
	"github.com/trustlint/trustlint/model"
)

// Inline suppressions are comments in the languages that have them (HCL,
// YAML), as their parsers read them (model.Comment): `# trustlint:ignore
// TL001 -- vendor X has no external id`, or with `//` in HCL. Several rules
// may be listed, by ID or name, separated by spaces or commas; a word that
// names no rule is reported as a note. A comment at the end of a line
// suppresses findings on that line; a comment on a line of its own
// suppresses findings on the next line of code, and, when that line
// declares a role (a Terraform resource, a CloudFormation logical ID),
// every finding of that role. The reason after "--" is required: without
// one the comment suppresses nothing and a note says so. A suppression that
// matches no finding is reported as a note.
var ignoreRE = regexp.MustCompile(`^(?:#|//)\s*trustlint:ignore\s+([A-Za-z0-9_,*\s-]+?)\s*(?:--\s*(.*?))?\s*$`)

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

	mu      sync.Mutex
	files   map[string][]*inline // by clean path
	cfgUsed []bool
}

func newSuppressor(cfg *config.Config, catalog []model.RuleMeta) *suppressor {
	return &suppressor{cfg: cfg, catalog: catalog, files: map[string][]*inline{}, cfgUsed: make([]bool, len(cfg.Ignore))}
}

// comments is the model.CommentSink the parsers hand the comments of each
// file to, before they emit its roles. A file that several modules read is
// reported again with the same comments: the first report stands.
func (sp *suppressor) comments(file string, cs []model.Comment) {
	list := parseInline(cs)
	if len(list) == 0 {
		return
	}
	file = filepath.Clean(file)
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if _, ok := sp.files[file]; !ok {
		sp.files[file] = list
	}
}

// load returns the suppressions of a file.
func (sp *suppressor) load(path string) []*inline {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.files[filepath.Clean(path)]
}

// parseInline reads the trustlint:ignore comments among the comments of one
// file.
func parseInline(cs []model.Comment) []*inline {
	var out []*inline
	for _, c := range cs {
		m := ignoreRE.FindStringSubmatch(c.Text)
		if m == nil {
			continue
		}
		rules := strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
		if len(rules) == 0 {
			// Only spaces or commas after "ignore": no rule list, like
			// the bare "# trustlint:ignore", which the pattern refuses.
			continue
		}
		in := &inline{
			rng:    c.Range,
			rules:  rules,
			reason: strings.TrimSpace(m[2]),
			target: c.Range.Start.Line,
		}
		if c.Alone && c.Next > 0 {
			// On a line of its own: the next line of code.
			in.target = c.Next
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
// nothing, after the scan.
func (sp *suppressor) notes() []model.Diagnostic {
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
