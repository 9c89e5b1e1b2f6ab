package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestKnownAccounts(t *testing.T) {
	c, err := Parse("c.yaml", []byte("known_accounts:\n  Acme Backup: [\"123456789012\", \"210987654321\"]\n  Partner: \"555555555555\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"123456789012": "Acme Backup", "210987654321": "Acme Backup", "555555555555": "Partner"}
	if !reflect.DeepEqual(c.KnownAccounts, want) {
		t.Errorf("known accounts %v, want %v", c.KnownAccounts, want)
	}
	if got := c.RegoData()["known_accounts"]; !reflect.DeepEqual(got, want) {
		t.Errorf("rego data %v", got)
	}
	if _, ok := Default().RegoData()["known_accounts"]; ok {
		t.Error("no known accounts must leave the key out")
	}
}

func TestKnownAccountsErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"shape", "known_accounts: [\"123456789012\"]\n", "c.yaml:1: known_accounts must be a mapping"},
		{"bad id", "known_accounts:\n  Acme:\n    - \"123456789012\"\n    - \"12345\"\n", "c.yaml:4: known_accounts.Acme: want 12-digit AWS account IDs, got \"12345\""},
		{"absolute file", "known_accounts_file: /etc/accounts.yaml\n", "c.yaml:1: known_accounts_file must be a relative path"},
		{"escaping file", "\nknown_accounts_file: ../../accounts.yaml\n", "c.yaml:2: known_accounts_file must be a relative path"},
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

// The fwd:cloudsec format: a list of {name, source, accounts, type}.
const fwdList = `# Format
#   name: Vendor name.
- name: 'Example Monitoring'
  source: ['https://docs.example.com/aws']
  accounts: ['111122223333', '444455556666']
- name: 'ELB logs'
  type: 'aws'
  source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-access-logs.html'
  accounts: [127311923021, 033677994240]
`

func TestParseKnownAccounts(t *testing.T) {
	got, err := ParseKnownAccounts("accounts.yaml", []byte(fwdList))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"111122223333": "Example Monitoring", "444455556666": "Example Monitoring",
		"127311923021": "ELB logs", "033677994240": "ELB logs",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestParseKnownAccountsErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"not a list", "name: x\n", "accounts.yaml:1: want a list"},
		{"no name", "- accounts: ['111122223333']\n", "accounts.yaml:1: entry has no name"},
		{"no accounts", "- name: x\n", "accounts.yaml:1: entry \"x\" has no accounts"},
		{"bad account", "- name: x\n  accounts:\n    - '111122223333'\n    - '1111'\n", "accounts.yaml:4: accounts of x: want 12-digit AWS account IDs, got \"1111\""},
		{"unknown key", "- name: x\n  acounts: ['111122223333']\n", "accounts.yaml:2: unknown key \"acounts\""},
		{"syntax", "- name: [\n", "accounts.yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseKnownAccounts("accounts.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestLoadKnownAccountsFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("vendors/accounts.yaml", fwdList)
	cfg := write(".trustlint.yaml", "known_accounts_file: vendors/accounts.yaml\nknown_accounts:\n  Our Monitoring: [\"111122223333\"]\n")
	c, err := Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.KnownAccounts["111122223333"] != "Our Monitoring" || c.KnownAccounts["444455556666"] != "Example Monitoring" {
		t.Errorf("the configuration's own names must win over the file's: %v", c.KnownAccounts)
	}

	write("bad.yaml", "- name: x\n  accounts: ['1']\n")
	cfg = write("b/.trustlint.yaml", "known_accounts_file: ../bad.yaml\n")
	if _, err := Load(cfg); err == nil || !strings.Contains(err.Error(), ".trustlint.yaml:1: known_accounts_file must be a relative path") {
		t.Errorf("escaping path: %v", err)
	}
	cfg = write("c/.trustlint.yaml", "known_accounts_file: list.yaml\n")
	write("c/list.yaml", "- name: x\n  accounts: ['1']\n")
	if _, err := Load(cfg); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "c", "list.yaml")+":2: accounts of x") {
		t.Errorf("bad list: %v", err)
	}
	cfg = write("d/.trustlint.yaml", "\nknown_accounts_file: missing.yaml\n")
	if _, err := Load(cfg); err == nil || !strings.Contains(err.Error(), ".trustlint.yaml:2: known_accounts_file missing.yaml: no such file") {
		t.Errorf("missing file: %v", err)
	}
}
