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
	err = c.CheckRuleIDs(func(id string) bool { return id == "TL001" })
	if err == nil || err.Error() != ".trustlint.yaml:7: rules: unknown rule ID \"TL004\"" {
		t.Errorf("CheckRuleIDs: got %v", err)
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
		{"unknown key", "own_acount: \"1\"\n", "c.yaml:1: field own_acount not found"},
		{"bad account", "own_account: \"12345\"\n", "c.yaml:1: own_account must be a 12-digit"},
		{"bad trusted", "trusted_accounts:\n  - \"111111111111\"\n  - abc\n", "c.yaml:3: trusted_accounts entries"},
		{"bad org", "trusted_org_ids: [\"org-1\"]\n", "c.yaml:1: trusted_org_ids entries"},
		{"bad duration", "\nmax_session_duration: soon\n", "c.yaml:2: max_session_duration: want seconds"},
		{"out of range", "max_session_duration: 50000\n", "c.yaml:1: max_session_duration must be between"},
		{"fractional", "max_session_duration: 1h30m0.5s\n", "not a whole number"},
		{"bad bool", "require_mfa_own_account: maybe\n", "c.yaml:1:"},
		{"rule setting", "rules:\n  TL001: {enabeld: false}\n", "c.yaml:2: rules.TL001: unknown setting \"enabeld\""},
		{"rule shape", "rules:\n  TL001: false\n", "c.yaml:2: rules.TL001 must be a mapping"},
		{"bad glob", "exclude: [\"[\"]\n", "c.yaml:1: exclude: bad glob"},
		{"syntax", "a: [\n", "c.yaml:"},
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
