package scan_test

import (
	"slices"
	"strings"
	"testing"
)

// TestKnownAccountsNamed checks that findings about known third-party
// accounts name the vendor, in the message and as the "vendor" property:
// the bundled list (Datadog), the configuration's known_accounts (which win
// over the file) and its known_accounts_file.
func TestKnownAccountsNamed(t *testing.T) {
	dir, _ := loadCase(t, "../testdata/fixtures/known-accounts")
	res := runCase(t, dir)
	var got []string
	for _, f := range res.Reported() {
		got = append(got, f.RuleID+" "+f.Properties["vendor"]+" | "+f.Message)
	}
	slices.Sort(got)
	want := []string{
		"TL001 Acme Backup | role arn:aws:iam::333333333333:role/backup-agent of external account 333333333333 (Acme Backup) may assume",
		"TL001 Datadog | external account arn:aws:iam::464622532012:root (Datadog) may assume",
		"TL001 Example Cost Explorer | user arn:aws:iam::444455556666:user/cost-reader of external account 444455556666 (Example Cost Explorer) may assume",
		"TL002 Example Cost Explorer | user arn:aws:iam::444455556666:user/cost-reader (Example Cost Explorer) may assume the role without MFA",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d findings:\n%s", len(got), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %d:\n got %s\nwant %s…", i, got[i], want[i])
		}
	}
}
