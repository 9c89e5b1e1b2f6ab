package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	src := `own_account: "111111111111"
trusted_accounts: ["222222222222", "333333333333"]
trusted_org_ids: ["o-a1b2c3d4e5"]
max_session_duration: 4h
require_mfa_own_account: true
rules:
  TL004:
    enabled: false
  TL001: {enabled: true}
exclude: ["**/fixtures/**"]
`
	c, err := Parse(".trustlint.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.OwnAccount != "111111111111" || c.MaxSessionDuration != 14400 || !c.RequireMFAOwnAccount {
		t.Errorf("got own %q max %d mfa %v", c.OwnAccount, c.MaxSessionDuration, c.RequireMFAOwnAccount)
	}
	if !reflect.DeepEqual(c.TrustedAccounts, []string{"222222222222", "333333333333"}) {
		t.Errorf("trusted accounts %v", c.TrustedAccounts)
	}
	if got := c.Disabled(); !reflect.DeepEqual(got, []string{"TL004"}) {
		t.Errorf("disabled %v, want [TL004]", got)
	}
	err = c.ResolveRules(func(s string) (string, bool) { return "TL001", s == "TL001" })
	if err == nil || err.Error() != ".trustlint.yaml:7: rules: unknown rule \"TL004\" (trustlint rules lists them)" {
		t.Errorf("ResolveRules: got %v", err)
	}
	if !c.Excluded("a/fixtures/x.json") || c.Excluded("a/x.json") {
		t.Error("exclude glob did not apply")
	}
}

func TestParseEmptyAndDefaults(t *testing.T) {
	c, err := Parse("c.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxSessionDuration != 3600 || c.OwnAccount != "" {
		t.Errorf("defaults: %+v", c)
	}
	if c, err = Parse("c.yaml", []byte("max_session_duration: 7200\n")); err != nil || c.MaxSessionDuration != 7200 {
		t.Errorf("seconds: %v %v", c, err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown key", "own_acount: \"1\"\n", `c.yaml:1: unknown setting "own_acount" (did you mean own_account?); the settings are own_account, trusted_accounts,`},
		{"unknown key, no near one", "\nvariables: {}\n", `c.yaml:2: unknown setting "variables"; the settings are`},
		{"string for a list", "trusted_accounts: \"222222222222\"\n", `c.yaml:1: trusted_accounts must be a list, like trusted_accounts: ["222222222222"]; got "222222222222"`},
		{"mapping for a list", "exclude:\n  a: b\n", `c.yaml:2: exclude must be a list, like exclude: ["**/fixtures/**"]; got a mapping`},
		{"set twice", "own_account: \"111111111111\"\nown_account: \"222222222222\"\n", "c.yaml:2: own_account is set twice (first at line 1)"},
		{"top level list", "- own_account\n", "c.yaml:1: the configuration must be a mapping of settings (own_account,"},
		{"rules_dir list", "rules_dir: [a]\n", "c.yaml:1: rules_dir must be the path of a directory of Rego rules, got a list"},
		{"indentation", "rules:\n  TL004: {enabled: false}\n   TL001: {enabled: false}\n", "c.yaml:3: not valid YAML: did not find expected key"},
		{"bad account", "own_account: \"12345\"\n", "c.yaml:1: own_account must be a 12-digit"},
		{"bad trusted", "trusted_accounts:\n  - \"111111111111\"\n  - abc\n", "c.yaml:3: trusted_accounts entries"},
		{"bad org", "trusted_org_ids: [\"org-1\"]\n", "c.yaml:1: trusted_org_ids entries"},
		{"bad duration", "\nmax_session_duration: soon\n", "c.yaml:2: max_session_duration: want seconds"},
		{"out of range", "max_session_duration: 50000\n", "c.yaml:1: max_session_duration must be between"},
		{"fractional", "max_session_duration: 1h30m0.5s\n", "not a whole number"},
		{"bad bool", "require_mfa_own_account: maybe\n", `c.yaml:1: require_mfa_own_account must be true or false, got "maybe"`},
		{"rule setting", "rules:\n  TL001: {enabeld: false}\n", "c.yaml:2: rules.TL001: unknown setting \"enabeld\""},
		{"rule shape", "rules:\n  TL001: false\n", "c.yaml:2: rules.TL001 must be a mapping"},
		{"bad glob", "exclude: [\"[\"]\n", "c.yaml:1: exclude: bad glob"},
		{"syntax", "a: [\n", "c.yaml:2: not valid YAML: "},
		{"ignore path list", "ignore:\n  - rule: TL001\n    reason: x\n    path: [a]\n", `c.yaml:4: ignore: path must be text, like path: "exports/**"; got a list`},
		{"ignore role mapping", "ignore:\n  - rule: TL001\n    reason: x\n    role: {a: b}\n", `c.yaml:4: ignore: role must be text, like role: "legacy-*"; got a mapping`},
		{"ignore reason list", "ignore:\n  - rule: TL001\n    reason:\n      - a\n", `c.yaml:4: ignore: reason must be text, like reason: "vendor issues no external ID; SEC-42"; got a list`},
		{"ignore rule mapping", "ignore:\n  - rule:\n      - TL001\n      - {id: TL002}\n    reason: x\n", `c.yaml:4: ignore: rule must be a rule ID or name, a list of them, or "*", like rule: [TL001, missing-mfa]; got a mapping`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		pat, name string
		want      bool
	}{
		{"**/fixtures/**", "a/b/fixtures/c.json", true},
		{"**/fixtures/**", "fixtures/c.json", true},
		{"fixtures", "a/fixtures/c.json", true},
		{"*.json", "a/b/c.json", true},
		{"a/*.json", "a/b/c.json", false},
		{"a/**/*.json", "a/b/c/d.json", true},
		{"a/**/*.json", "a/d.json", true},
		{"b/c.json", "a/b/c.json", false},
		{"./a/b", "a/b/c.json", true},
		{"node_modules/", "x/node_modules/y.json", true},
	}
	for _, tt := range tests {
		got, err := MatchGlob(tt.pat, tt.name)
		if err != nil || got != tt.want {
			t.Errorf("MatchGlob(%q, %q) = %v, %v; want %v", tt.pat, tt.name, got, err, tt.want)
		}
	}
}

func TestIgnore(t *testing.T) {
	src := `ignore:
  - rule: TL001
    path: "exports/**"
    reason: vendor X has no external ID
  - rule: [TL002, TL004]
    role: "legacy-*"
    reason: migrating in Q3
`
	c, err := Parse("c.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Ignore) != 2 || c.Ignore[0].Line != 2 || c.Ignore[1].Line != 5 {
		t.Fatalf("got %+v", c.Ignore)
	}
	tests := []struct {
		rule, file, role string
		want             []bool
	}{
		{"TL001", "exports/a.json", "r", []bool{true, false}},
		{"TL001", "other/a.json", "r", []bool{false, false}},
		{"TL002", "x.json", "legacy-app", []bool{false, true}},
		{"TL004", "x.json", "new-app", []bool{false, false}},
	}
	for _, tt := range tests {
		for i, e := range c.Ignore {
			if got := e.Matches(tt.rule, tt.file, tt.role); got != tt.want[i] {
				t.Errorf("entry %d Matches(%s, %s, %s) = %v, want %v", i, tt.rule, tt.file, tt.role, got, tt.want[i])
			}
		}
	}
	names := map[string]string{"TL001": "TL001", "TL002": "TL002", "missing-mfa": "TL002"}
	if err := c.ResolveRules(func(s string) (string, bool) { id, ok := names[s]; return id, ok }); err == nil || !strings.Contains(err.Error(), "c.yaml:5: ignore: unknown rule \"TL004\"") {
		t.Errorf("ResolveRules: %v", err)
	}
	// An entry without a reason is kept (the scan notes that it suppresses
	// nothing, as for a comment without one).
	if c, err := Parse("c.yaml", []byte("ignore:\n  - rule: TL001\n")); err != nil || len(c.Ignore) != 1 || c.Ignore[0].Reason != "" {
		t.Errorf("entry without a reason: got %+v, %v", c, err)
	}
	for _, bad := range []string{
		"ignore:\n  - reason: x\n",
		"ignore:\n  - rule: TL001\n    reason: x\n    rol: y\n",
		"ignore: [TL001]\n",
	} {
		if _, err := Parse("c.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "c.yaml:") {
			t.Errorf("%q: got %v, want an error with a line", bad, err)
		}
	}
}
