package scan_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/trustlint/trustlint/internal/exportgen"
	"github.com/trustlint/trustlint/rules"
	"github.com/trustlint/trustlint/scan"
)

// TestBytesProgress checks that the progress of one big export counts its
// bytes: the total is the file's size from the first call, the count
// grows role by role (many distinct values, not one jump at the end) and
// ends at the total.
func TestBytesProgress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := exportgen.WritePretty(f, 300); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	engine, err := rules.New(context.Background(), rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var last int64
	seen := map[int64]bool{}
	_, err = scan.Run(context.Background(), scan.Options{Paths: []string{path}, Engine: engine,
		BytesProgress: func(done, total int64) {
			mu.Lock()
			defer mu.Unlock()
			if total != st.Size() {
				t.Errorf("total %d, want the file size %d", total, st.Size())
			}
			seen[done] = true
			last = max(last, done)
		}})
	if err != nil {
		t.Fatal(err)
	}
	if last != st.Size() {
		t.Errorf("progress ended at %d of %d bytes", last, st.Size())
	}
	if len(seen) < 300 {
		t.Errorf("%d distinct progress counts for 300 roles: the count does not move role by role", len(seen))
	}
}
