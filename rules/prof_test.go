package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/profiler"
	"github.com/open-policy-agent/opa/v1/rego"
)

func TestProfQuery(t *testing.T) {
	q := os.Getenv("PROFQ")
	if q == "" {
		t.Skip()
	}
	mods, _ := BuiltinModules()
	p := profiler.New()
	store, _ := Store(nil)
	opts := []func(*rego.Rego){rego.Query(q), rego.QueryTracer(p), rego.Store(store)}
	for _, m := range mods {
		if !m.Test {
			opts = append(opts, rego.Module(m.Name, m.Src))
		}
	}
	pq, err := rego.New(opts...).PrepareForEval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	input := benchInput()
	if f := os.Getenv("PROFIN"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		input = nil
		if err := json.Unmarshal(b, &input); err != nil {
			t.Fatal(err)
		}
	}
	in := rego.EvalParsedInput(toValue(input))
	for i := 0; i < 200; i++ {
		pq.Eval(context.Background(), in, rego.EvalQueryTracer(p))
	}
	for _, r := range p.ReportTopNResults(45, []string{"total_time_ns"}) {
		f := r.Location.File
		line := ""
		if b, err := os.ReadFile(strings.TrimPrefix(f, "rules/")); err == nil {
			ls := strings.Split(string(b), "\n")
			if r.Location.Row-1 < len(ls) {
				line = strings.TrimSpace(ls[r.Location.Row-1])
			}
		}
		fmt.Printf("%7dus %4d %s:%d %s\n", r.ExprTimeNs/200000, r.NumEval/200, f, r.Location.Row, line)
	}
}
