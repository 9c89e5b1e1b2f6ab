package scan_test

import (
	"crypto/sha256"
	"encoding/hex"
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
	if got := scan.Fingerprint("TL001", "infra/main.tf", "aws_iam_role.deploy", "", "policy.Statement[0].Principal.AWS[0]"); got != want {
		t.Errorf("fingerprint %s, want %s", got, want)
	}
	if got := scan.Fingerprint("TL001", "infra/main.tf", "aws_iam_role.deploy", "envs/prod", "policy.Statement[0].Principal.AWS[0]"); got == want {
		t.Error("the root module does not change the fingerprint")
	}
}
