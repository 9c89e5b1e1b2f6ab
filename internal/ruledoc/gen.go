//go:build ignore

// gen writes the rule documentation pages, docs/rules/*.md, from the
// rules' Rego METADATA. Run it with go generate ./internal/ruledoc.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/trustlint/trustlint/internal/ruledoc"
)

func main() {
	dir := filepath.Join("..", "..", "docs", "rules")
	docs, err := ruledoc.Load(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := ruledoc.Write(dir, docs); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d files to %s\n", len(docs)+1, strings.TrimPrefix(dir, "../../"))
}
