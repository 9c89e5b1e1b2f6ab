//go:build ignore

// gentfmodules writes a Terraform corpus of module calls: stacks that call
// one shared role module per vendor (for_each) and per CI pipeline
// (count), the way account-factory repositories are written:
//
//	go run bench/gentfmodules.go -stacks 200 -vendors 5 -o /tmp/tfmod
//
// The module is copied from testdata/terraform-real/iam-role-module.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	stacks := flag.Int("stacks", 200, "number of root modules")
	vendors := flag.Int("vendors", 5, "vendor module instances per stack (for_each)")
	module := flag.String("module", "testdata/terraform-real/iam-role-module/modules/iam-role", "module directory to call")
	out := flag.String("o", "tfmod", "output directory")
	flag.Parse()
	modDir := filepath.Join(*out, "modules", "iam-role")
	if err := os.MkdirAll(modDir, 0o755); err != nil {
		log.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(*module, "*.tf"))
	if err != nil || len(files) == 0 {
		log.Fatalf("no module files in %s: %v", *module, err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(modDir, filepath.Base(f)), src, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	for s := range *stacks {
		var b strings.Builder
		b.WriteString("locals {\n  vendors = {\n")
		for v := range *vendors {
			extID := ""
			if v%2 == 0 {
				extID = fmt.Sprintf("ext-%04d-%d", s, v)
			}
			fmt.Fprintf(&b, "    vendor%d = { account = \"%012d\", external_id = %q }\n", v, 200000000000+s*100+v, extID)
		}
		b.WriteString("  }\n}\n\n")
		b.WriteString(`module "vendor" {
  source   = "../../modules/iam-role"
  for_each = local.vendors

  name              = "vendor-${each.key}"
  trusted_role_arns = ["arn:aws:iam::${each.value.account}:root"]
  external_id       = each.value.external_id == "" ? null : each.value.external_id
}

module "ci" {
  source = "../../modules/iam-role"
  count  = 2

  name              = "ci-${count.index}"
  oidc_provider_arn = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
  oidc_subjects     = ["repo:example-org/app-${count.index}:ref:refs/heads/main"]
}
`)
		dir := filepath.Join(*out, "stacks", fmt.Sprintf("stack_%04d", s))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(b.String()), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
