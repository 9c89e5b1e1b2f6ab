//go:build ignore

// genexport writes a synthetic get-account-authorization-details export,
// or one trust policy of many statements (every kind of generated role's
// statement in turn; issue 9: 100,000 statements in seconds):
//
//	go run bench/genexport.go -roles 20000 -o /tmp/export.json
//	go run bench/genexport.go -policy 100000 -o /tmp/policy.json
package main

import (
	"encoding/json"
	"flag"
	"io"
	"log"
	"os"

	"github.com/trustlint/trustlint/internal/exportgen"
)

func main() {
	roles := flag.Int("roles", 20000, "number of roles")
	out := flag.String("o", "export.json", "output file")
	compact := flag.Bool("compact", false, "one role per line instead of the AWS CLI's indented layout")
	stmts := flag.Int("policy", 0, "write one trust policy of this many statements instead of an export")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	write := exportgen.WritePretty
	if *compact {
		write = exportgen.Write
	}
	if *stmts > 0 {
		write = func(w io.Writer, n int) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(exportgen.LargePolicy(n))
		}
		*roles = *stmts
	}
	if err := write(f, *roles); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
