package scan_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/trustlint/trustlint/scan"
)

// TestRootModuleFingerprints: two root modules that call one module give
// roles of the same address in the same file; their findings, including
// the two on the account both trust (same rule, role, message and range),
// are all kept and all have distinct fingerprints.
func TestRootModuleFingerprints(t *testing.T) {
	dir, _ := loadCase(t, "../testdata/terraform-real/two-roots-one-module")
	res := runCase(t, dir)
	seen := map[string]string{}
	for _, f := range res.Reported() {
		id := f.RuleID + " " + f.Role + " " + f.RootModule + " " + f.Message
		if other, dup := seen[f.Fingerprint]; dup {
			t.Errorf("fingerprint %s shared by %q and %q", f.Fingerprint, other, id)
		}
		seen[f.Fingerprint] = id
	}
	if len(seen) != 5 {
		t.Errorf("%d findings, want 5: %v", len(seen), seen)
	}
}

// TestFingerprintWithoutRootModule: a role outside called modules keeps
// the fingerprint recipe baselines were written with (rule, file, role,
// path); a root module changes it.
func TestFingerprintWithoutRootModule(t *testing.T) {
	h := sha256.Sum256([]byte("TL001\x00infra/main.tf\x00aws_iam_role.deploy\x00policy.Statement[0].Principal.AWS[0]"))
	want := hex.EncodeToString(h[:16])
	if got := scan.Fingerprint("TL001", "infra/main.tf", "aws_iam_role.deploy", "", 0, "policy.Statement[0].Principal.AWS[0]"); got != want {
		t.Errorf("fingerprint %s, want %s", got, want)
	}
	if got := scan.Fingerprint("TL001", "infra/main.tf", "aws_iam_role.deploy", "envs/prod", 0, "policy.Statement[0].Principal.AWS[0]"); got == want {
		t.Error("the root module does not change the fingerprint")
	}
}

// TestDocumentFingerprints: the roles of a file of several JSON documents
// (two accounts' list-roles, each with an OrganizationAccountAccessRole;
// two pasted copies of one policy, both named by the file) have distinct
// fingerprints, and only those of later documents carry their ordinal.
func TestDocumentFingerprints(t *testing.T) {
	dir, _ := loadCase(t, "../testdata/fixtures/json-streams")
	res := runCase(t, dir)
	seen := map[string]string{}
	var docs []string
	for _, f := range res.Reported() {
		id := fmt.Sprintf("%s %s:%d %s/%d", f.RuleID, filepath.Base(f.Range.File), f.Range.Start.Line, f.Role, f.Document)
		if other, dup := seen[f.Fingerprint]; dup {
			t.Errorf("fingerprint %s shared by %q and %q", f.Fingerprint, other, id)
		}
		seen[f.Fingerprint] = id
		docs = append(docs, id)
	}
	want := []string{
		"TL005 get-role-outputs.json:14 ci-deploy/0",
		"TL001 get-role-outputs.json:48 partner-audit/2",
		"TL001 roles.json:15 OrganizationAccountAccessRole/0",
		"TL001 roles.json:59 OrganizationAccountAccessRole/2",
		"TL003 roles.json:79 data-science-notebooks/2",
		"TL004 roles.json:90 data-science-notebooks/2",
		"TL001 trust-policies.json:1 trust-policies.json/0",
		"TL001 trust-policies.json:2 trust-policies.json/2",
	}
	if !slices.Equal(docs, want) {
		t.Errorf("got %q\nwant %q", docs, want)
	}
}
