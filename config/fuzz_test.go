package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: any configuration file gives a *Config or an error, never a
// panic, and an error names the file.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../testdata/fixtures/*/.trustlint.yaml")
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		"", "own_account: 111111111111\n", "trusted_accounts: [1, 2]\n", "rules: {TL001: {enabled: false}}\n",
		"exclude: ['**/[']\n", "ignore: [{rule: TL001, path: 'a/**'}]\n", "rules_dir: ../x\n",
		strings.Repeat("- ", 5000) + "x\n", strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
		"a: &a [*a]\n", "x: !!binary AAAA\n",
		// Large: many accounts, a billion laughs of anchors.
		"trusted_accounts: [" + strings.Repeat("'111111111111', ", 50_000) + "]\n",
		"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg, err := Parse(".trustlint.yaml", src)
		if err == nil && cfg == nil {
			t.Fatal("no config and no error")
		}
		if err != nil && !strings.Contains(err.Error(), ".trustlint.yaml") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
