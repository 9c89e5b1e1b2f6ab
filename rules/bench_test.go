package rules

import (
	"context"
	"sync"
	"testing"
)

// benchInput is a typical three-statement trust policy: an external account
// without ExternalId, a wildcard pinned by org, and a service.
func benchInput() map[string]any {
	return map[string]any{
		"role": map[string]any{"name": "deploy", "own_account": "111111111111", "format": "aws-cli", "MaxSessionDuration": 43200.0},
		"policy": map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{
				map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"AWS": []any{"arn:aws:iam::999999999999:root", "arn:aws:iam::111111111111:user/alice"}}},
				map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"AWS": []any{"*"}},
					"Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": []any{"o-abc123"}}}},
				map[string]any{"Effect": "Allow", "Action": []any{"sts:AssumeRole"}, "Principal": map[string]any{"Service": []any{"ec2.amazonaws.com"}}},
			},
		},
	}
}

var benchEngine = sync.OnceValues(func() (*Engine, error) { return New(context.Background(), Options{}) })

func BenchmarkEval(b *testing.B) {
	e, err := benchEngine()
	if err != nil {
		b.Fatal(err)
	}
	in := benchInput()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		fs, err := e.Eval(ctx, in)
		if err != nil || len(fs) != 3 {
			b.Fatalf("got %d findings, err %v; want 3", len(fs), err)
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(ctx, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
