package integration

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A trust policy with a finding: an external account without an
// ExternalId (TL001) at line 6, column 28.
const badPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
      "Action": "sts:AssumeRole"
    }
  ]
}
`

// The same policy, fixed.
const goodPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
      "Action": "sts:AssumeRole",
      "Condition": {"StringEquals": {"sts:ExternalId": "a1b2c3-vendor-given-id"}}
    }
  ]
}
`

// Files a hook matching JSON, YAML and Terraform receives although they
// have nothing to do with IAM: they must be skipped silently.
var unrelated = map[string]string{
	"package.json":             `{"name": "web", "version": "1.0.0", "scripts": {"test": "jest"}}` + "\n",
	".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n",
	"infra/bucket.tf":          "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"my-logs\"\n}\n",
	"config/settings.yaml":     "log_level: info\nfeatures: [a, b]\n",
}

// findingLine matches the finding of badPolicy as the text format prints it.
var findingLine = regexp.MustCompile(`(?m)^iam/vendor-trust\.json:6:28: high TL001 external account arn:aws:iam::999988887777:root may assume the role without an sts:ExternalId condition`)

// analyzedOne matches the summary of the process that analyzed the policy.
var analyzedOne = regexp.MustCompile(`(?m)^no findings in 1 role across \d+ files?`)

// TestPreCommit runs the hook with the real pre-commit: try-repo on staged
// files, then a hook installed in a repository blocking a commit that adds
// a bad trust policy and letting the fixed one through.
func TestPreCommit(t *testing.T) {
	requireIntegration(t, "pre-commit", "git", "go")
	// The hook is built in pre-commit's clone of a snapshot: let go
	// complete go.sum there if it must rather than fail (CI checks go.sum
	// with -mod=readonly itself).
	env := toolEnv(t, "-mod=mod")
	hookRepo, rev := snapshotRepo(t, env)
	t.Logf("hook repository: snapshot %s of %s", rev[:12], repoRoot(t))
	if _, err := os.Stat(filepath.Join(hookRepo, ".pre-commit-hooks.yaml")); err != nil {
		t.Fatalf("the snapshot has no .pre-commit-hooks.yaml: %v", err)
	}

	target := filepath.Join(t.TempDir(), "infra-repo")
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	mustRun(t, target, env, "git", "init", "-q", "-b", "main")
	writeFiles(t, target, unrelated)
	writeFiles(t, target, map[string]string{"iam/vendor-trust.json": badPolicy})
	mustRun(t, target, env, "git", "add", "-A")

	tryRepo := func() cmdResult {
		start := time.Now()
		r := run(t, target, env, "pre-commit", "try-repo", hookRepo, "trustlint", "--ref", rev, "--verbose")
		t.Logf("pre-commit try-repo (builds the hook): exit %d in %s", r.code, time.Since(start).Round(100*time.Millisecond))
		return r
	}

	t.Run("try-repo fails on a bad trust policy", func(t *testing.T) {
		r := tryRepo()
		if r.code == 0 {
			t.Fatalf("pre-commit passed with a bad trust policy staged:\n%s", r.output)
		}
		if !strings.Contains(r.output, "trustlint (IAM trust policies)") || !strings.Contains(r.output, "Failed") {
			t.Errorf("output does not show the hook failing:\n%s", r.output)
		}
		if !findingLine.MatchString(r.output) {
			t.Errorf("output lacks the finding %q:\n%s", findingLine, r.output)
		}
		t.Logf("pre-commit output:\n%s", r.output)
		for name := range unrelated {
			if strings.Contains(r.output, name) {
				t.Errorf("output mentions the unrelated file %s:\n%s", name, r.output)
			}
		}
	})

	writeFiles(t, target, map[string]string{"iam/vendor-trust.json": goodPolicy})
	mustRun(t, target, env, "git", "add", "-A")
	t.Run("try-repo passes a good trust policy", func(t *testing.T) {
		r := tryRepo()
		if r.code != 0 {
			t.Fatalf("pre-commit failed on a good trust policy: exit %d\n%s", r.code, r.output)
		}
		// pre-commit splits the files over processes; one of them analyzed
		// the policy.
		if !strings.Contains(r.output, "Passed") || !analyzedOne.MatchString(r.output) || strings.Contains(r.output, " TL0") {
			t.Errorf("output does not show the hook passing after analyzing the policy:\n%s", r.output)
		}
	})

	t.Run("installed hook blocks the commit", func(t *testing.T) {
		repo := filepath.Join(t.TempDir(), "app")
		if err := os.MkdirAll(repo, 0o755); err != nil {
			t.Fatal(err)
		}
		mustRun(t, repo, env, "git", "init", "-q", "-b", "main")
		writeFiles(t, repo, map[string]string{
			".pre-commit-config.yaml": "repos:\n  - repo: " + hookRepo + "\n    rev: " + rev + "\n    hooks:\n      - id: trustlint\n",
		})
		writeFiles(t, repo, unrelated)
		mustRun(t, repo, env, "git", "add", "-A")
		hookEnv := append(env, "PRE_COMMIT_HOME="+filepath.Join(t.TempDir(), "pre-commit"))
		mustRun(t, repo, hookEnv, "pre-commit", "install")

		// Unrelated files only: the hook runs and passes.
		if r := run(t, repo, hookEnv, "git", "commit", "-m", "unrelated files"); r.code != 0 {
			t.Fatalf("commit of unrelated files failed: exit %d\n%s", r.code, r.output)
		}

		writeFiles(t, repo, map[string]string{"iam/vendor-trust.json": badPolicy})
		mustRun(t, repo, hookEnv, "git", "add", "iam/vendor-trust.json")
		r := run(t, repo, hookEnv, "git", "commit", "-m", "add the vendor role")
		if r.code == 0 {
			t.Fatalf("commit of a bad trust policy succeeded:\n%s", r.output)
		}
		if !findingLine.MatchString(r.output) {
			t.Errorf("the failed commit does not show the finding:\n%s", r.output)
		}
		if n := strings.TrimSpace(mustRun(t, repo, hookEnv, "git", "rev-list", "--count", "HEAD")); n != "1" {
			t.Errorf("%s commits after the blocked commit, want 1", n)
		}

		writeFiles(t, repo, map[string]string{"iam/vendor-trust.json": goodPolicy})
		mustRun(t, repo, hookEnv, "git", "add", "iam/vendor-trust.json")
		if r := run(t, repo, hookEnv, "git", "commit", "-m", "add the vendor role with an ExternalId"); r.code != 0 {
			t.Fatalf("commit of the fixed trust policy failed: exit %d\n%s", r.code, r.output)
		}

		// A Terraform module with a finding committed before the hook
		// (--no-verify): a staged file reports what its change can cause,
		// not the module's older findings.
		writeFiles(t, repo, tfModule)
		mustRun(t, repo, hookEnv, "git", "add", "-A")
		mustRun(t, repo, hookEnv, "git", "commit", "-q", "--no-verify", "-m", "legacy roles")
		writeFiles(t, repo, map[string]string{"infra/iam/partner.tf": strings.Replace(tfModule["infra/iam/partner.tf"], `"partner"`, `"partner-integration"`, 1)})
		mustRun(t, repo, hookEnv, "git", "add", "infra/iam/partner.tf")
		if r := run(t, repo, hookEnv, "git", "commit", "-m", "rename the partner role"); r.code != 0 || strings.Contains(r.output, "legacy.tf") {
			t.Fatalf("commit of a change that cannot affect the legacy role: exit %d\n%s", r.code, r.output)
		}
		writeFiles(t, repo, map[string]string{"infra/iam/variables.tf": strings.Replace(tfModule["infra/iam/variables.tf"], "default = true", "default = false", 1)})
		mustRun(t, repo, hookEnv, "git", "add", "infra/iam/variables.tf")
		r = run(t, repo, hookEnv, "git", "commit", "-m", "make the ExternalId optional")
		if r.code == 0 || !tfFinding.MatchString(r.output) || strings.Contains(r.output, "legacy.tf") {
			t.Errorf("commit of variables.tf that drops the partner's ExternalId: exit %d, want the finding in partner.tf only:\n%s", r.code, r.output)
		}
	})
}

// tfModule is a Terraform module: a partner role whose ExternalId a
// variable switches, and a legacy role with a finding of its own.
var tfModule = map[string]string{
	"infra/iam/variables.tf": `variable "require_external_id" {
  type    = bool
  default = true
}
`,
	"infra/iam/partner.tf": `resource "aws_iam_role" "partner" {
  name = "partner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Condition = var.require_external_id ? { StringEquals = { "sts:ExternalId" = "a1b2c3-vendor-given-id" } } : {}
    }]
  })
}
`,
	"infra/iam/legacy.tf": `resource "aws_iam_role" "legacy" {
  name = "legacy-ops"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::555566667777:root" } }]
  })
}
`,
}

// tfFinding matches the finding that variables.tf opens in partner.tf.
var tfFinding = regexp.MustCompile(`(?m)^infra/iam/partner\.tf:8:\d+: high TL001 external account arn:aws:iam::999988887777:root`)
