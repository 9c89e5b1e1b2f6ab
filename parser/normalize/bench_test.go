package normalize_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/normalize"
)

// BenchmarkPolicy normalizes a trust policy of 1,000 statements with
// principals, conditions and an extra member, recording the source map:
// the per-member work of every normalizer function.
func BenchmarkPolicy(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"Version": "2012-10-17", "Statement": [`)
	for i := range 1000 {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `{"Sid": "s%d", "Effect": "Allow", "Action": "sts:AssumeRole",
 "Principal": {"AWS": "arn:aws:iam::%012d:root", "Service": ["ec2.amazonaws.com"]},
 "Condition": {"StringEquals": {"sts:ExternalId": "x%d", "aws:PrincipalOrgID": ["o-1", "o-2"]}, "Bool": {"aws:MultiFactorAuthPresent": true}},
 "Extra": {"a": [1, 2, {"b": null}]}}`, i, 100000000000+i, i)
	}
	sb.WriteString("]}")
	text := sb.String()
	doc, diags := srcjson.ParseText(model.NewLineIndex("p.json", []byte(text)), 0, len(text))
	if doc == nil {
		b.Fatal(diags)
	}
	b.ReportAllocs()
	for b.Loop() {
		sm := model.NewSourceMap()
		out := normalize.Policy(doc, model.PolicyPath, sm)
		if st := out.(map[string]any)["Statement"].([]any); len(st) != 1000 {
			b.Fatalf("%d statements", len(st))
		}
	}
}
