// Package config loads .trustlint.yaml: the accounts a user trusts, the
// session-duration limit, rules to disable and paths to exclude. Unknown keys
// and bad values are errors that name the file and line.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/trustlint/trustlint/internal/yamlerr"
)

// FileNames are the names looked up in the current directory when no
// configuration file is named.
var FileNames = []string{".trustlint.yaml", ".trustlint.yml"}

// Default session-duration limit and AWS's allowed range, in seconds.
const (
	DefaultMaxSessionDuration = 3600
	MinSessionDuration        = 3600
	MaxSessionDuration        = 43200
)

// Config is the content of .trustlint.yaml.
type Config struct {
	// File is where the configuration was read from ("" for defaults).
	File string
	// OwnAccount is the account the scanned roles live in, when the input
	// does not tell it.
	OwnAccount string
	// TrustedAccounts are accounts that belong to the user besides OwnAccount.
	TrustedAccounts []string
	// TrustedOrgIDs are AWS Organizations IDs whose aws:PrincipalOrgID counts
	// as trusted.
	TrustedOrgIDs []string
	// MaxSessionDuration is the limit for TL004, in seconds.
	MaxSessionDuration int
	// RequireMFAOwnAccount makes TL002 judge the own account's root principal.
	RequireMFAOwnAccount bool
	// Rules holds per-rule settings by rule ID (by ID or name as written
	// until ResolveRules).
	Rules map[string]RuleConfig
	// Exclude lists path globs (with **) that scans skip.
	Exclude []string
	// Ignore lists findings to suppress (for JSON files and exports, which
	// cannot carry comments).
	Ignore []IgnoreEntry
	// RulesDir is a directory of the user's own Rego rules, relative to
	// the file; RulesDirLine is the line that sets it.
	RulesDir     string
	RulesDirLine int
	// KnownAccounts names third parties by account ID (account -> name),
	// from known_accounts and known_accounts_file; findings about those
	// accounts name them.
	KnownAccounts map[string]string
	// KnownAccountsFile is a list of known accounts in the fwd:cloudsec
	// accounts.yaml format, relative to the configuration file.
	KnownAccountsFile string

	ruleLines       map[string]int
	knownAccountsAt int
}

// IgnoreEntry suppresses the findings of some rules, optionally only in
// files matching Path and roles matching Role.
type IgnoreEntry struct {
	// Rules are rule IDs (names until ResolveRules); "*" means every rule.
	Rules []string
	// Path is a path glob as in Exclude; "" matches every file.
	Path string
	// Role is a glob on the role name (* matches any run of characters);
	// "" matches every role.
	Role string
	// Reason is the justification. An entry without one suppresses
	// nothing, and the scan says so in a note, as for a comment.
	Reason string
	// Line is where the entry starts in the configuration file.
	Line int
}

// RuleConfig holds the settings of one rule.
type RuleConfig struct {
	Enabled bool
}

// Default returns the configuration used when there is no file.
func Default() *Config {
	return &Config{MaxSessionDuration: DefaultMaxSessionDuration, Rules: map[string]RuleConfig{}}
}

// Error is a configuration problem at a line of the file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Find returns the path of the configuration file in dir, or "" when there
// is none.
func Find(dir string) string {
	for _, name := range FileNames {
		p := name
		if dir != "" && dir != "." {
			p = dir + string(os.PathSeparator) + name
		}
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// FindUp returns the configuration file that applies to path (a file or a
// directory): the first one found in the directory of path and in each
// directory above it, up to and including root (the project root), or ""
// when there is none. A path outside root is looked up in its own
// directory only.
func FindUp(path, root string) string {
	dir, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		dir = filepath.Dir(dir)
	}
	root, _ = filepath.Abs(root)
	for {
		if p := Find(dir); p != "" {
			return p
		}
		parent := filepath.Dir(dir)
		if dir == root || parent == dir || !strings.HasPrefix(dir, root+string(filepath.Separator)) {
			return ""
		}
		dir = parent
	}
}

// Load reads and validates a configuration file, and the known_accounts_file
// it names.
func Load(path string) (*Config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	cfg, err := Parse(path, src)
	if err != nil || cfg.KnownAccountsFile == "" {
		return cfg, err
	}
	name := filepath.Join(filepath.Dir(path), filepath.FromSlash(cfg.KnownAccountsFile))
	st, err := os.Lstat(name)
	if err == nil && !st.Mode().IsRegular() {
		err = errors.New("not a regular file")
	}
	if err == nil && st.Size() > maxKnownAccountsFile {
		err = fmt.Errorf("larger than %d bytes", maxKnownAccountsFile)
	}
	var list []byte
	if err == nil {
		list, err = os.ReadFile(name)
	}
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &Error{File: path, Line: cfg.knownAccountsAt, Msg: fmt.Sprintf("known_accounts_file %s: %v", cfg.KnownAccountsFile, err)}
	}
	known, err := ParseKnownAccounts(name, list)
	if err != nil {
		return nil, err
	}
	for acct, vendor := range known {
		if _, mine := cfg.KnownAccounts[acct]; !mine {
			cfg.KnownAccounts[acct] = vendor
		}
	}
	return cfg, nil
}

var (
	accountRE = regexp.MustCompile(`^[0-9]{12}$`)
	orgIDRE   = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
)

// settings are the top-level keys of the file, in the order the
// documentation lists them.
var settings = []string{
	"own_account", "trusted_accounts", "trusted_org_ids", "max_session_duration",
	"require_mfa_own_account", "rules", "exclude", "ignore", "rules_dir",
	"known_accounts", "known_accounts_file",
}

// Parse validates configuration text; name is used in errors. The text is
// read as YAML nodes and every setting checked by hand, so that each error
// names the line and says, in the words of the file, what was expected.
func Parse(name string, src []byte) (*Config, error) {
	cfg := Default()
	cfg.File = name
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, syntaxError(name, src, err)
	}
	var errs []error
	fail := func(line int, format string, args ...any) {
		errs = append(errs, &Error{File: name, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	if len(doc.Content) == 0 {
		return cfg, nil // an empty file
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: top.Line, Msg: fmt.Sprintf("the configuration must be a mapping of settings (%s), not %s", strings.Join(settings, ", "), kindName(top))}
	}
	seen := map[string]int{}
	cfg.ruleLines = map[string]int{}
	cfg.KnownAccounts = map[string]string{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if first, dup := seen[k.Value]; dup {
			fail(k.Line, "%s is set twice (first at line %d)", k.Value, first)
			continue
		}
		seen[k.Value] = k.Line
		switch k.Value {
		case "own_account":
			if v.Kind == yaml.ScalarNode && accountRE.MatchString(v.Value) {
				cfg.OwnAccount = v.Value
			} else {
				fail(v.Line, "own_account must be a 12-digit AWS account ID in quotes, got %s", shown(v))
			}
		case "trusted_accounts":
			cfg.TrustedAccounts = ids(v, k.Value, `["222222222222"]`, accountRE, "12-digit AWS account IDs in quotes", fail)
		case "trusted_org_ids":
			cfg.TrustedOrgIDs = ids(v, k.Value, `["o-a1b2c3d4e5"]`, orgIDRE, "AWS Organizations IDs like o-a1b2c3d4e5", fail)
		case "max_session_duration":
			secs, err := parseSeconds(*v)
			switch {
			case err != nil:
				fail(v.Line, "max_session_duration: %v", err)
			case secs < MinSessionDuration || secs > MaxSessionDuration:
				fail(v.Line, "max_session_duration must be between %d and %d seconds (1h to 12h, what AWS allows), got %d", MinSessionDuration, MaxSessionDuration, secs)
			default:
				cfg.MaxSessionDuration = secs
			}
		case "require_mfa_own_account":
			b, err := strconv.ParseBool(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil {
				fail(v.Line, "require_mfa_own_account must be true or false, got %s", shown(v))
				break
			}
			cfg.RequireMFAOwnAccount = b
		case "rules":
			cfg.parseRules(v, fail)
		case "exclude":
			for _, n := range list(v, k.Value, `["**/fixtures/**"]`, fail) {
				if n.Kind != yaml.ScalarNode || n.Value == "" {
					fail(n.Line, "exclude entries must be path globs, got %s", shown(n))
					continue
				}
				if _, err := MatchGlob(n.Value, ""); err != nil {
					fail(n.Line, "exclude: bad glob %q: %v", n.Value, err)
					continue
				}
				cfg.Exclude = append(cfg.Exclude, n.Value)
			}
		case "ignore":
			for _, n := range list(v, k.Value, `[{rule: TL001, path: "exports/**", reason: "..."}]`, fail) {
				e, problems := parseIgnore(*n)
				for _, p := range problems {
					fail(p.line, "%s", p.msg)
				}
				if len(problems) == 0 {
					cfg.Ignore = append(cfg.Ignore, e)
				}
			}
		case "rules_dir":
			if v.Kind != yaml.ScalarNode || v.Value == "" {
				fail(v.Line, "rules_dir must be the path of a directory of Rego rules, got %s", shown(v))
				break
			}
			cfg.RulesDir, cfg.RulesDirLine = v.Value, v.Line
		case "known_accounts":
			for _, p := range parseKnownAccounts(*v, cfg.KnownAccounts) {
				fail(p.line, "%s", p.msg)
			}
		case "known_accounts_file":
			if v.Kind != yaml.ScalarNode || !localPath(v.Value) {
				fail(v.Line, "known_accounts_file must be a relative path inside the configuration's directory, got %s", shown(v))
			} else {
				cfg.KnownAccountsFile, cfg.knownAccountsAt = v.Value, v.Line
			}
		default:
			msg := fmt.Sprintf("unknown setting %q", k.Value)
			if near := nearest(k.Value, settings); near != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", near)
			}
			fail(k.Line, "%s; the settings are %s", msg, strings.Join(settings, ", "))
		}
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool {
			var a, b *Error
			if errors.As(errs[i], &a) && errors.As(errs[j], &b) {
				return a.Line < b.Line
			}
			return false
		})
		return nil, errors.Join(errs...)
	}
	return cfg, nil
}

// syntaxError is the error for YAML that does not parse, at the line of
// the problem.
func syntaxError(name string, src []byte, err error) error {
	line, problem := yamlerr.Locate(src, err)
	return &Error{File: name, Line: line, Msg: "not valid YAML: " + problem}
}

// parseRules reads rules: a mapping of rule IDs or names to settings.
func (c *Config) parseRules(n *yaml.Node, fail func(int, string, ...any)) {
	if n.Kind != yaml.MappingNode {
		fail(n.Line, "rules must be a mapping of rule IDs or names to settings, like {TL004: {enabled: false}}, got %s", shown(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		id := k.Value
		c.ruleLines[id] = k.Line
		rc := RuleConfig{Enabled: true}
		if v.Kind != yaml.MappingNode {
			fail(v.Line, "rules.%s must be a mapping like {enabled: false}, got %s", id, shown(v))
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			key, val := v.Content[j], v.Content[j+1]
			if key.Value != "enabled" {
				fail(key.Line, "rules.%s: unknown setting %q (known: enabled)", id, key.Value)
				continue
			}
			b, err := strconv.ParseBool(val.Value)
			if val.Kind != yaml.ScalarNode || err != nil {
				fail(val.Line, "rules.%s.enabled must be true or false, got %s", id, shown(val))
				continue
			}
			rc.Enabled = b
		}
		c.Rules[id] = rc
	}
}

// list returns the entries of a setting that takes a list; example shows
// the list in the error for anything else.
func list(n *yaml.Node, key, example string, fail func(int, string, ...any)) []*yaml.Node {
	switch {
	case n.Kind == yaml.SequenceNode:
		return n.Content
	case n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return nil // "key:" with nothing after it
	}
	fail(n.Line, "%s must be a list, like %s: %s; got %s", key, key, example, shown(n))
	return nil
}

// ids reads a list of IDs that must match re; what says what they are.
func ids(n *yaml.Node, key, example string, re *regexp.Regexp, what string, fail func(int, string, ...any)) []string {
	var out []string
	for _, e := range list(n, key, example, fail) {
		if e.Kind == yaml.ScalarNode && re.MatchString(e.Value) {
			out = append(out, e.Value)
		} else {
			fail(e.Line, "%s entries must be %s, got %s", key, what, shown(e))
		}
	}
	return out
}

// shown describes a YAML value in an error: a scalar quoted, a collection
// by its kind.
func shown(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return strconv.Quote(n.Value)
	}
	return kindName(n)
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.AliasNode:
		return "an alias"
	}
	return "text"
}

// nearest returns the setting within two edits of s (a typo), or "".
func nearest(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// parseSeconds reads a number of seconds or a Go duration such as "4h".
func parseSeconds(n yaml.Node) (int, error) {
	if n.Kind != yaml.ScalarNode {
		return 0, fmt.Errorf("want seconds or a duration like 4h")
	}
	v := strings.TrimSpace(n.Value)
	if secs, err := strconv.Atoi(v); err == nil {
		return secs, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("want seconds or a duration like 4h, got %q", v)
	}
	if d%time.Second != 0 {
		return 0, fmt.Errorf("duration %q is not a whole number of seconds", v)
	}
	return int(d / time.Second), nil
}

// Disabled returns the IDs of rules switched off, sorted.
func (c *Config) Disabled() []string {
	var ids []string
	for id, rc := range c.Rules {
		if !rc.Enabled {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// ResolveRules rewrites the rules named in the configuration (rules:
// settings and ignore: entries), each a rule ID or name, to rule IDs with
// resolve, which returns the ID of a rule and false for no rule. Names that
// resolve to no rule are errors naming file:line.
func (c *Config) ResolveRules(resolve func(idOrName string) (string, bool)) error {
	var errs []error
	keys := make([]string, 0, len(c.Rules))
	for k := range c.Rules {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	rules := make(map[string]RuleConfig, len(c.Rules))
	lines := make(map[string]int, len(c.Rules))
	for _, k := range keys {
		id, ok := resolve(k)
		if !ok {
			errs = append(errs, &Error{File: c.File, Line: c.ruleLines[k], Msg: fmt.Sprintf("rules: unknown rule %q (trustlint rules lists them)", k)})
			continue
		}
		rules[id] = c.Rules[k]
		lines[id] = c.ruleLines[k]
	}
	c.Rules, c.ruleLines = rules, lines
	for i, e := range c.Ignore {
		for j, r := range e.Rules {
			if r == "*" {
				continue
			}
			id, ok := resolve(r)
			if !ok {
				errs = append(errs, &Error{File: c.File, Line: e.Line, Msg: fmt.Sprintf("ignore: unknown rule %q (trustlint rules lists them)", r)})
				continue
			}
			c.Ignore[i].Rules[j] = id
		}
	}
	return errors.Join(errs...)
}

// RegoData is the configuration as rules read it (data.trustlint.config).
func (c *Config) RegoData() map[string]any {
	m := map[string]any{
		"max_session_duration":    c.MaxSessionDuration,
		"require_mfa_own_account": c.RequireMFAOwnAccount,
		"trusted_accounts":        nonNil(c.TrustedAccounts),
		"trusted_org_ids":         nonNil(c.TrustedOrgIDs),
	}
	if c.OwnAccount != "" {
		m["own_account"] = c.OwnAccount
	}
	if len(c.KnownAccounts) > 0 {
		m["known_accounts"] = c.KnownAccounts
	}
	return m
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type problem struct {
	line int
	msg  string
}

// parseIgnore reads one ignore entry:
//
//   - rule: TL001            # or [TL001, TL002], or "*"
//     path: "exports/**"     # optional
//     role: "legacy-*"       # optional
//     reason: "why"          # required
func parseIgnore(n yaml.Node) (IgnoreEntry, []problem) {
	e := IgnoreEntry{Line: n.Line}
	if n.Kind != yaml.MappingNode {
		return e, []problem{{n.Line, "ignore entries must be mappings with rule, reason and optionally path and role"}}
	}
	var out []problem
	// text reads a setting that takes one string; like shows one.
	text := func(k, v *yaml.Node, like string) (string, bool) {
		if v.Kind != yaml.ScalarNode {
			out = append(out, problem{v.Line, fmt.Sprintf("ignore: %s must be text, like %s: %s; got %s", k.Value, k.Value, like, kindName(v))})
			return "", false
		}
		return v.Value, true
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "rule", "rules":
			rules := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				rules = v.Content
			}
			for _, r := range rules {
				if r.Kind != yaml.ScalarNode || r.Value == "" {
					out = append(out, problem{r.Line, fmt.Sprintf("ignore: rule must be a rule ID or name, a list of them, or \"*\", like rule: [TL001, missing-mfa]; got %s", shown(r))})
					continue
				}
				e.Rules = append(e.Rules, r.Value)
			}
		case "path":
			if p, ok := text(k, v, `"exports/**"`); ok {
				e.Path = p
				if _, err := MatchGlob(p, ""); err != nil || p == "" {
					out = append(out, problem{v.Line, fmt.Sprintf("ignore: bad path glob %q", p)})
				}
			}
		case "role":
			e.Role, _ = text(k, v, `"legacy-*"`)
		case "reason":
			r, _ := text(k, v, `"vendor issues no external ID; SEC-42"`)
			e.Reason = strings.TrimSpace(r)
		default:
			out = append(out, problem{k.Line, fmt.Sprintf("ignore: unknown setting %q (known: rule, path, role, reason)", k.Value)})
		}
	}
	if len(e.Rules) == 0 {
		out = append(out, problem{n.Line, "ignore: each entry needs a rule (a rule ID, a list, or \"*\")"})
	}
	return e, out
}

// Matches reports whether the entry suppresses a finding of rule in file
// (slash-separated) for role.
func (e IgnoreEntry) Matches(rule, file, role string) bool {
	ruleOK := false
	for _, r := range e.Rules {
		if r == "*" || r == rule {
			ruleOK = true
		}
	}
	if !ruleOK {
		return false
	}
	if e.Path != "" {
		if ok, _ := MatchGlob(e.Path, file); !ok {
			return false
		}
	}
	if e.Role != "" && !matchWild(e.Role, role) {
		return false
	}
	return true
}

// matchWild matches s against a pattern where * is any run of characters
// and ? any one character.
func matchWild(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if matchWild(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && matchWild(pattern[1:], s[1:])
	}
	return s != "" && s[0] == pattern[0] && matchWild(pattern[1:], s[1:])
}
