//go:build ignore

// genexport writes a synthetic get-account-authorization-details export:
//
//	go run bench/genexport.go -roles 20000 -o /tmp/export.json
package main

import (
	"flag"
	"log"
	"os"

	"github.com/trustlint/trustlint/internal/exportgen"
)

func main() {
	roles := flag.Int("roles", 20000, "number of roles")
	out := flag.String("o", "export.json", "output file")
	compact := flag.Bool("compact", false, "one role per line instead of the AWS CLI's indented layout")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	write := exportgen.WritePretty
	if *compact {
		write = exportgen.Write
	}
	if err := write(f, *roles); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
