package terraform

import (
	"strings"
	"testing"
	"testing/fstest"
)

// The fuzz targets of issue 9 beside FuzzParse: each feeds one kind of
// module input (.tf.json, .tfvars, a template body) to a module that uses
// it, with deep and large seeds; the properties are FuzzParse's (no panic,
// ranges inside their files, every policy value located).

// deepSeeds are inputs that once overflowed the stack or ran away.
func deepSeeds(open, close string, n int) string {
	return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
}

func FuzzTFJSON(f *testing.F) {
	for _, s := range fuzzSeeds(f, "fixtures/tf-json/*.tf.json") {
		f.Add(s)
	}
	for _, s := range []string{
		`{}`, `{"resource": {"aws_iam_role": {"r": {"assume_role_policy": "${jsonencode({Statement = []})}"}}}}`,
		`{"locals": {"a": "${local.a}"}}`,
		`{"resource": {"aws_iam_role": {"r": {"assume_role_policy": ` + deepSeeds("[", "]", 5000) + `}}}}`,
		`{"resource": {"aws_iam_role": {"r": {"assume_role_policy": "` + deepSeeds("${(", ")}", 2000) + `"}}}}`,
		`{"locals": {"n": 1E8888880, "m": ` + strings.Repeat("9", 5000) + `}}`,
		`{"resource": {"aws_iam_role": {` + strings.Repeat(`"r": {"assume_role_policy": "${jsonencode({Statement = [{Principal = {AWS = \"111111111111\"}}]})}"}, `, 200) + `"s": {}}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		parseFS(t, fstest.MapFS{"m/main.tf.json": &fstest.MapFile{Data: src}})
	})
}

func FuzzTFVars(f *testing.F) {
	for _, s := range fuzzSeeds(f, "fixtures/tf-variables/*.tfvars") {
		f.Add(s)
	}
	for _, s := range []string{
		``, `accounts = ["111111111111", "222222222222"]`, `accounts = {a = 1, b = [true, null]}`,
		"accounts = " + deepSeeds("[", "]", 5000), "accounts = " + deepSeeds("{a = ", "}", 3000),
		"accounts = \"" + strings.Repeat("9", 1<<16) + "\"", "accounts = [1E8888880, 1e-8888880]", "accounts = " + strings.Repeat("9", 70_000),
		"accounts = [" + strings.Repeat(`"111111111111", `, 20_000) + "]",
	} {
		f.Add([]byte(s))
	}
	main := []byte(`variable "accounts" { default = [] }
resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({Statement = [{Effect = "Allow", Action = "sts:AssumeRole", Principal = {AWS = var.accounts}}]})
}
`)
	f.Fuzz(func(t *testing.T, src []byte) {
		parseFS(t, fstest.MapFS{
			"m/main.tf":          &fstest.MapFile{Data: main},
			"m/terraform.tfvars": &fstest.MapFile{Data: src},
		})
	})
}

func FuzzTemplate(f *testing.F) {
	for _, s := range fuzzSeeds(f, "fixtures/tf-file/*.tpl", "terraform/positions/*/*.tpl") {
		f.Add(s)
	}
	for _, s := range []string{
		``, `${a}`, `%{ for x in a }"${x}",%{ endfor }`, `%{ if a != "" }{"Statement": []}%{ else }x%{ endif }`,
		`{"Statement": [%{ for i, x in a }${i > 0 ? "," : ""}{"Principal": {"AWS": "${x}"}}%{ endfor }]}`,
		deepSeeds("${(", ")}", 5000), deepSeeds("%{ if true }", "%{ endif }", 2000),
		`%{ for x in range(100000) }%{ for y in range(100000) }${x}${y}%{ endfor }%{ endfor }`,
	} {
		f.Add([]byte(s))
	}
	main := []byte(`resource "aws_iam_role" "r" {
  assume_role_policy = templatefile("${path.module}/trust.tpl", { a = ["111111111111", "arn:aws:iam::222222222222:root"] })
}
`)
	f.Fuzz(func(t *testing.T, src []byte) {
		parseFS(t, fstest.MapFS{
			"m/main.tf":   &fstest.MapFile{Data: main},
			"m/trust.tpl": &fstest.MapFile{Data: src},
		})
	})
}

// FuzzExpression evaluates any expression with Terraform's function table
// under the evaluation budget, as the trust policy of a role.
func FuzzExpression(f *testing.F) {
	for _, s := range []string{
		`"x"`, `jsonencode({Statement = [for a in range(3) : {Principal = {AWS = "${a}"}}]})`,
		`indent(1000000000000, "a\nb")`, `setproduct(range(5000), range(5000), range(5000))`,
		`join(",", [for a in range(100000) : format("%099d", a)])`, `flatten([for a in range(1000) : [for b in range(1000) : [a, b]]])`,
		`try(local.nope, coalesce("", null, "x"))`, `one([for k, v in {a = 1} : v])`, deepSeeds("(", ")", 5000),
		// Numbers that take seconds to write or read.
		`"${1e-100000}"`, `tostring(1e300 * 1e300 * 1e300 * 1e300 * 1e300 * 1e300 * 1e300 * 1e300)`,
		`jsonencode([parseint("` + strings.Repeat("7", 5000) + `", 10), tonumber("1e-9999999")])`,
		`{for n in [1e8888880, 1e-8888880] : n => format("%.99999f", n)}`, strings.Repeat("9", 100_000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		if strings.ContainsAny(expr, "\n\r") {
			return // one expression on one line
		}
		parseFS(t, fstest.MapFS{"m/main.tf": &fstest.MapFile{Data: []byte(
			"resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = " + expr + "\n}\n")}})
	})
}

// FuzzPlanMatch: telling a plan from other JSON never panics, whatever the
// file holds.
func FuzzPlanMatch(f *testing.F) {
	for _, s := range fuzzSeeds(f, "fixtures/tf-plan/*.json") {
		f.Add(s)
	}
	f.Add([]byte(`{"format_version": "1.2", "values": {}}`))
	f.Add([]byte(`{"format_version": ` + deepSeeds("[", "]", 10000) + `, "planned_values": 1}`))
	f.Add([]byte(`{"format_version": "1.2", "resource_changes": [` + strings.Repeat(`{"type": "aws_iam_role", "change": {}}, `, 20_000) + `{}]}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		_, _ = Parser{}.Match("plan.json", src)
	})
}
