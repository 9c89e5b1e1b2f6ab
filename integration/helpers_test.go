package integration

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// EnvIntegration enables the tests of this package.
const EnvIntegration = "TRUSTLINT_INTEGRATION"

// requireIntegration skips the test unless TRUSTLINT_INTEGRATION=1, and
// then fails it when one of tools is missing.
func requireIntegration(t *testing.T, tools ...string) {
	t.Helper()
	if os.Getenv(EnvIntegration) != "1" {
		t.Skipf("end-to-end test with %s: set %s=1 to run it (bash .ci/run does)", strings.Join(tools, ", "), EnvIntegration)
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s=1 but %s is not installed: %v (.ci/run installs it)", EnvIntegration, tool, err)
		}
	}
}

// repoRoot is the trustlint checkout the tests run in.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod in %s: %v", root, err)
	}
	return root
}

// cmdResult is the outcome of a command.
type cmdResult struct {
	code   int
	output string // standard output and error, interleaved
}

// run runs name with args in dir with env added to a clean environment.
func run(t *testing.T, dir string, env []string, name string, args ...string) cmdResult {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return cmdResult{code: code, output: out.String()}
}

// mustRun runs a command that must succeed and returns its output.
func mustRun(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	r := run(t, dir, env, name, args...)
	if r.code != 0 {
		t.Fatalf("%s %s in %s: exit %d\n%s", name, strings.Join(args, " "), dir, r.code, r.output)
	}
	return r.output
}

// goEnv returns the value of a go env variable of this machine.
func goEnv(t *testing.T, key string) string {
	t.Helper()
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", key, err)
	}
	return strings.TrimSpace(string(out))
}

// toolEnv is a clean environment for running git, pre-commit and go: a
// fresh HOME (no user git or pre-commit configuration), a fixed git
// identity, this machine's Go caches so that builds do not download or
// compile again what go test already did, and GOFLAGS.
func toolEnv(t *testing.T, goflags string) []string {
	t.Helper()
	home := t.TempDir()
	env := []string{
		"HOME=" + home,
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"PATH=" + os.Getenv("PATH"),
		"LANG=C.UTF-8",
		"GIT_AUTHOR_NAME=trustlint test", "GIT_AUTHOR_EMAIL=test@trustlint.invalid",
		"GIT_COMMITTER_NAME=trustlint test", "GIT_COMMITTER_EMAIL=test@trustlint.invalid",
		"GIT_CONFIG_NOSYSTEM=1",
		"GOMODCACHE=" + goEnv(t, "GOMODCACHE"),
		"GOCACHE=" + goEnv(t, "GOCACHE"),
		"GOPROXY=" + goEnv(t, "GOPROXY"),
		"GOSUMDB=" + goEnv(t, "GOSUMDB"),
		"GOTOOLCHAIN=local",
		"GOFLAGS=" + goflags,
	}
	for _, k := range []string{"TMPDIR", "GOROOT", "GONOSUMDB", "GOPRIVATE", "GOINSECURE", "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// snapshotRepo copies the trustlint checkout, as it is on disk, into a new
// git repository with one commit, and returns its path and commit. Hooks
// are built from a commit, so uncommitted work of the checkout is tested
// too, and a clean clone in CI works the same. The files are the
// checkout's tracked and untracked-but-not-ignored files (all files when
// it is not a git work tree), without .git.
func snapshotRepo(t *testing.T, env []string) (dir, rev string) {
	t.Helper()
	root := repoRoot(t)
	dir = filepath.Join(t.TempDir(), "trustlint")
	var files []string
	if r := run(t, root, env, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"); r.code == 0 {
		for _, f := range strings.Split(r.output, "\x00") {
			if f != "" {
				files = append(files, filepath.FromSlash(f))
			}
		}
	} else {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == ".git" {
				return filepath.SkipDir
			}
			if d.Type().IsRegular() {
				rel, _ := filepath.Rel(root, p)
				files = append(files, rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for _, f := range files {
		src := filepath.Join(root, f)
		st, err := os.Lstat(src)
		if err != nil || !st.Mode().IsRegular() {
			continue // deleted in the work tree, or not a regular file
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, st.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n == 0 {
		t.Fatal("snapshot of the repository is empty")
	}
	mustRun(t, dir, env, "git", "init", "-q", "-b", "main")
	mustRun(t, dir, env, "git", "add", "-A")
	mustRun(t, dir, env, "git", "commit", "-q", "-m", "snapshot for the integration tests")
	rev = strings.TrimSpace(mustRun(t, dir, env, "git", "rev-parse", "HEAD"))
	return dir, rev
}

// writeFiles writes files (slash-separated names) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
