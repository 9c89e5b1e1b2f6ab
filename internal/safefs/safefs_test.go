package safefs

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestFindRoot(t *testing.T) {
	tmp := t.TempDir()
	repo := filepath.Join(tmp, "repo")
	write(t, filepath.Join(repo, "infra", "iam", "main.tf"), "")
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A linked worktree: .git is a file naming the git directory.
	wt := filepath.Join(tmp, "wt")
	write(t, filepath.Join(wt, ".git"), "gitdir: "+filepath.Join(repo, ".git", "worktrees", "wt")+"\n")
	write(t, filepath.Join(wt, "policies", "trust.json"), "{}")
	// A .git that is neither: a symbolic link and a file of other content.
	odd := filepath.Join(tmp, "odd")
	write(t, filepath.Join(odd, "sub", ".git"), "not a gitdir file")
	write(t, filepath.Join(odd, "sub", "x.json"), "{}")
	if err := os.Symlink(filepath.Join(repo, ".git"), filepath.Join(odd, ".git")); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(tmp, "plain")
	write(t, filepath.Join(plain, "a", "role.json"), "{}")

	tests := []struct {
		name, path, want string
	}{
		{"directory below the work tree", filepath.Join(repo, "infra", "iam"), repo},
		{"file below the work tree", filepath.Join(repo, "infra", "iam", "main.tf"), repo},
		{"work tree itself", repo, repo},
		{"linked worktree (.git file)", filepath.Join(wt, "policies"), wt},
		{"no git: the directory", filepath.Join(plain, "a"), filepath.Join(plain, "a")},
		{"no git: a file's directory", filepath.Join(plain, "a", "role.json"), filepath.Join(plain, "a")},
		{"a .git link or foreign file is no work tree", filepath.Join(odd, "sub", "x.json"), filepath.Join(odd, "sub")},
		{"missing path: its parent", filepath.Join(plain, "a", "nope.json"), filepath.Join(plain, "a")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FindRoot(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("FindRoot(%s) = %s, want %s", tt.path, got, tt.want)
			}
		})
	}
}

func TestFindRootRelative(t *testing.T) {
	tmp := t.TempDir()
	write(t, filepath.Join(tmp, "p", "x.json"), "{}")
	t.Chdir(tmp)
	got, err := FindRoot("p/x.json")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := filepath.Abs("p")
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func openBoundary(t *testing.T, dir string, max int64) *Boundary {
	t.Helper()
	b, err := Open(dir, max)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func TestReadFile(t *testing.T) {
	tmp := t.TempDir()
	root := filepath.Join(tmp, "root")
	write(t, filepath.Join(root, "ok.json"), `{"Version":"2012-10-17"}`)
	write(t, filepath.Join(root, "big.json"), strings.Repeat("x", 101))
	write(t, filepath.Join(root, "exact.json"), strings.Repeat("x", 100))
	write(t, filepath.Join(tmp, "secret"), "password")
	if err := os.Mkdir(filepath.Join(root, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{
		"inside-link.json": filepath.Join(root, "ok.json"),
		"zero.json":        "/dev/zero",
		"secret-link":      filepath.Join(tmp, "secret"),
		"outdir":           tmp,
	} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	if runtime.GOOS != "windows" {
		if err := syscall.Mkfifo(filepath.Join(root, "pipe.tf"), 0o600); err != nil {
			t.Fatal(err)
		}
		l, err := net.Listen("unix", filepath.Join(root, "sock.json"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = l.Close() })
	}
	b := openBoundary(t, root, 100)

	got, err := b.ReadFile(filepath.Join(root, "ok.json"))
	if err != nil || string(got) != `{"Version":"2012-10-17"}` {
		t.Fatalf("ok.json: got %q, %v", got, err)
	}
	if got, err := b.ReadFile(filepath.Join(root, "exact.json")); err != nil || len(got) != 100 {
		t.Fatalf("a file of exactly the limit: got %d bytes, %v", len(got), err)
	}

	var notRegular *NotRegularError
	var tooLarge *TooLargeError
	tests := []struct {
		path  string
		check func(error) bool
		want  string
	}{
		{"inside-link.json", func(err error) bool { return errors.As(err, &notRegular) }, "not a regular file (a symbolic link); not read"},
		{"zero.json", func(err error) bool { return errors.As(err, &notRegular) }, "not a regular file (a symbolic link); not read"},
		{"secret-link", func(err error) bool { return errors.As(err, &notRegular) }, "not a regular file (a symbolic link); not read"},
		{"outdir/secret", func(err error) bool { return errors.Is(err, ErrOutside) }, ErrOutside.Error()},
		{"../secret", func(err error) bool { return errors.Is(err, ErrOutside) }, ErrOutside.Error()},
		{"dir", func(err error) bool { return errors.As(err, &notRegular) }, "not a regular file (a directory); not read"},
		{"big.json", func(err error) bool { return errors.As(err, &tooLarge) }, "file is larger than the limit of 100 bytes (--max-file-size); not read"},
		{"pipe.tf", func(err error) bool { return errors.As(err, &notRegular) }, "not a regular file (a named pipe); not read"},
		{"sock.json", func(err error) bool { return errors.As(err, &notRegular) }, "not a regular file (a socket); not read"},
	}
	for _, tt := range tests {
		if runtime.GOOS == "windows" && (tt.path == "pipe.tf" || tt.path == "sock.json") {
			continue
		}
		t.Run(tt.path, func(t *testing.T) {
			got, err := b.ReadFile(filepath.Join(root, filepath.FromSlash(tt.path)))
			if err == nil {
				t.Fatalf("read %d bytes, want an error", len(got))
			}
			if !tt.check(err) || err.Error() != tt.want {
				t.Errorf("got %v (%T), want %q", err, err, tt.want)
			}
		})
	}
	// The slash-path entry point refuses what fs.ValidPath refuses.
	if _, err := b.ReadFileRel("/etc/passwd"); !errors.Is(err, ErrOutside) {
		t.Errorf("absolute slash path: got %v, want ErrOutside", err)
	}
}

func TestReadFileWorkingDirectoryIrrelevant(t *testing.T) {
	// Reads are bounded by the root, not the working directory: a scan
	// started from / still reads nothing outside the repository.
	tmp := t.TempDir()
	root := filepath.Join(tmp, "repo")
	write(t, filepath.Join(root, "a.json"), "{}")
	write(t, filepath.Join(tmp, "outside.json"), "{}")
	b := openBoundary(t, root, 0)
	t.Chdir("/")
	if _, err := b.ReadFile(filepath.Join(root, "a.json")); err != nil {
		t.Errorf("inside: %v", err)
	}
	if _, err := b.ReadFile(filepath.Join(tmp, "outside.json")); !errors.Is(err, ErrOutside) {
		t.Errorf("outside: got %v, want ErrOutside", err)
	}
	if b.MaxSize() != DefaultMaxSize {
		t.Errorf("MaxSize() = %d, want the default %d", b.MaxSize(), DefaultMaxSize)
	}
}

// TestRel: relative paths are relative to the working directory at Open,
// read once there (a later change of directory does not move them).
func TestRel(t *testing.T) {
	tmp := t.TempDir()
	t.Chdir(tmp)
	b := openBoundary(t, tmp, 0)
	t.Chdir(t.TempDir())
	for p, want := range map[string]string{
		".":                              ".",
		"./a/../b/c.json":                "b/c.json",
		filepath.Join(tmp, "x.tf"):       "x.tf",
		tmp + string(filepath.Separator): ".",
	} {
		got, err := b.Rel(p)
		if err != nil || got != want {
			t.Errorf("Rel(%q) = %q, %v; want %q", p, got, err, want)
		}
	}
	for _, p := range []string{"..", "../x", "/"} {
		if _, err := b.Rel(p); !errors.Is(err, ErrOutside) {
			t.Errorf("Rel(%q): got %v, want ErrOutside", p, err)
		}
		if b.Contains(p) {
			t.Errorf("Contains(%q) = true", p)
		}
	}
}

func TestReadAllGrowth(t *testing.T) {
	// A file that reports one size and holds more (a /proc file reports 0)
	// is still refused past the limit.
	r := strings.NewReader(strings.Repeat("y", 50))
	if _, err := ReadAll(r, 0, 49); err == nil {
		t.Error("50 bytes under a limit of 49: got no error")
	}
	got, err := ReadAll(strings.NewReader("abc"), 1, 3)
	if err != nil || string(got) != "abc" {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestFS(t *testing.T) {
	tmp := t.TempDir()
	write(t, filepath.Join(tmp, "m", "main.tf"), "locals {}")
	if err := os.Symlink("/etc/hostname", filepath.Join(tmp, "m", "link.tf")); err != nil {
		t.Fatal(err)
	}
	fsys := openBoundary(t, tmp, 0).FS()
	es, err := fsReadDir(fsys, "m")
	if err != nil || strings.Join(es, ",") != "link.tf,main.tf" {
		t.Fatalf("ReadDir: %v, %v", es, err)
	}
	if src, err := fsReadFile(fsys, "m/main.tf"); err != nil || src != "locals {}" {
		t.Errorf("ReadFile: %q, %v", src, err)
	}
	if _, err := fsReadFile(fsys, "m/link.tf"); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("ReadFile of a link: got %v", err)
	}
	if st, err := fsStat(fsys, "m/link.tf"); err != nil || st {
		t.Errorf("Stat of a link must not follow it: regular=%v, %v", st, err)
	}
	if _, err := fsys.Open("m"); err == nil {
		t.Error("Open of a directory: got no error")
	}
}
