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

// TestDistinctFingerprints: roles of one name in one file are told apart.
// Two root modules that call one module give roles of the same address in
// the same file; their findings, including the two on the account both
// trust (same rule, role, message and range), are all kept. A file of
// several JSON documents (two accounts' list-roles, each with an
// OrganizationAccountAccessRole; two pasted copies of one policy, both
// named by the file) gives the roles of every document, those of later
// documents with their ordinal. Every finding has a fingerprint of its own.
func TestDistinctFingerprints(t *testing.T) {
	tests := []struct {
		dir  string
		want []string // rule file:line role, root module / document
	}{
		{"terraform-real/two-roots-one-module", []string{
			"TL001 main.tf:8 module.vendor.aws_iam_role.this[0] environments/production/0", // the vendor
			"TL001 main.tf:8 module.vendor.aws_iam_role.this[0] environments/staging/0",    // the vendor
			"TL001 main.tf:8 module.vendor.aws_iam_role.this[0] environments/staging/0",    // contractor-ci
			"TL001 main.tf:8 module.vendor.aws_iam_role.this[0] environments/production/0", // contractor-deploy
			"TL004 main.tf:26 module.vendor.aws_iam_role.this[0] environments/production/0",
		}},
		{"fixtures/json-streams", []string{
			"TL005 get-role-outputs.json:14 ci-deploy /0",
			"TL001 get-role-outputs.json:48 partner-audit /2",
			"TL001 roles.json:15 OrganizationAccountAccessRole /0",
			"TL001 roles.json:59 OrganizationAccountAccessRole /2",
			"TL003 roles.json:79 data-science-notebooks /2",
			"TL004 roles.json:90 data-science-notebooks /2",
			"TL001 trust-policies.json:1 trust-policies.json /0",
			"TL001 trust-policies.json:2 trust-policies.json /2",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			dir, _ := loadCase(t, "../testdata/"+tt.dir)
			res := runCase(t, dir)
			seen := map[string]string{}
			var got []string // in report order: by location
			for _, f := range res.Reported() {
				id := fmt.Sprintf("%s %s:%d %s %s/%d", f.RuleID, filepath.Base(f.Range.File), f.Range.Start.Line, f.Role, f.RootModule, f.Document)
				if other, dup := seen[f.Fingerprint]; dup {
					t.Errorf("fingerprint %s shared by %q and %q", f.Fingerprint, other, id)
				}
				seen[f.Fingerprint] = id
				got = append(got, id)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestFingerprintRecipe: a role outside called modules and in the first
// document of its file keeps the fingerprint recipe baselines were written
// with (rule, file, role, path); a root module or a later document changes
// it.
func TestFingerprintRecipe(t *testing.T) {
	const file, role, path = "infra/main.tf", "aws_iam_role.deploy", "policy.Statement[0].Principal.AWS[0]"
	h := sha256.Sum256([]byte("TL001\x00" + file + "\x00" + role + "\x00" + path))
	want := hex.EncodeToString(h[:16])
	if got := scan.Fingerprint("TL001", file, role, "", 0, path); got != want {
		t.Errorf("fingerprint %s, want %s", got, want)
	}
	if got := scan.Fingerprint("TL001", file, role, "envs/prod", 0, path); got == want {
		t.Error("the root module does not change the fingerprint")
	}
	if got := scan.Fingerprint("TL001", file, role, "", 2, path); got == want {
		t.Error("the document does not change the fingerprint")
	}
}
