package iamjson

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/internal/srcmaptest"
)

// FuzzParse checks, for any input: Parse does not panic; every range it
// reports (roles, source maps, diagnostics) lies inside the input with a
// line and column that match its byte offset; every value of a policy body
// has a source range; and a bare policy body, written back as JSON and
// parsed again, gives the same body (normalization is idempotent).
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join(fixtures, "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{
		``, `{`, `[`, `"x"`, `{"Role": 1}`, `{"Roles": [1, {}]}`, `[{}, 2]`,
		`{"Role": {"AssumeRolePolicyDocument": "%7B%22Statement%22%3A%5B%5D%7D"}}`,
		`{"Role": {"AssumeRolePolicyDocument": "%7B%2"}}`,
		`{"Role": {"AssumeRolePolicyDocument": "{\"Statement\": \"\\u00e9\"}"}}`,
		`{"Role": {"AssumeRolePolicyDocument": " {\"a\": 1, \"a\": 2}", "MaxSessionDuration": [1]}}`,
		`{"Statement": {"Principal": "*", "Condition": {"Bool": {"k": [true, null]}}}}`,
		"{\"Statement\": [{\"Sid\": \"é\", \"Principal\": {\"AWS\": \"*\"}}]}\r\n",
		`{"Version": "2012-10-17", "Statement": 1e999}`,
		// Deep and large.
		`{"Statement": ` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}`,
		`{"Role": {"AssumeRolePolicyDocument": "` + strings.Repeat(`{\"a\": `, 10_000) + `1` + strings.Repeat("}", 10_000) + `"}}`,
		`{"Statement": [` + strings.Repeat(`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole"}, `, 500) + `{}]}`,
		// Objects past srcjson.MaxMembers: ranges and source maps hold;
		// a condition object stands for what was not read with an
		// unknown member (normalize.unread), so such a body written back
		// is not read the same and the stability check skips it.
		`{"Statement": {` + junk(srcjson.MaxMembers+3) + `"Effect": "Allow", "Principal": {"AWS": "*"}, "Effect": "Deny", "Action": "sts:AssumeRole"}}`,
		`{"Statement": {"Principal": {` + junk(srcjson.MaxMembers+3) + `"AWS": "*"}, "Condition": {"Bool": {` + junk(srcjson.MaxMembers+1) + `"x": 1}}}}`,
		// AWS CLI outputs without a trust policy between roles.
		getPolicy + getRole + attachedPolicies + rolePolicies + queueAttributes + topicAttributes + trustPolicy,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		const file = "fuzz.json"
		var roles []*model.Role
		diags := Parser{}.Parse(file, src, func(r *model.Role) { roles = append(roles, r) })
		capped := false
		for _, d := range diags {
			capped = capped || strings.Contains(d.Message, "more than an IAM policy can hold")
			if msg := srcmaptest.CheckRange(d.Range, file, src); msg != "" {
				t.Fatalf("diagnostic %q: %s", d.Message, msg)
			}
		}
		Parser{}.Match(file, src)
		for _, r := range roles {
			if msg := srcmaptest.CheckRange(r.Range, file, src); msg != "" {
				t.Fatalf("role %s: range: %s", r.Name, msg)
			}
			if bad := srcmaptest.BadRanges(r.Source, file, src); len(bad) > 0 {
				t.Fatalf("role %s: %v", r.Name, bad)
			}
			if !r.HasPolicy {
				continue
			}
			if miss := srcmaptest.Unmapped(r.Policy, model.PolicyPath, r.Source); len(miss) > 0 {
				t.Fatalf("role %s: values without a source range: %v", r.Name, miss)
			}
			body, ok := r.Policy.(map[string]any)
			if r.Format != model.FormatPolicy || !ok || capped {
				continue
			}
			again, err := json.Marshal(body)
			if err != nil {
				t.Fatalf("marshal body: %v", err)
			}
			var roles2 []*model.Role
			Parser{}.Parse(file, again, func(r *model.Role) { roles2 = append(roles2, r) })
			if len(roles2) != 1 || !reflect.DeepEqual(roles2[0].Policy, r.Policy) {
				t.Fatalf("body not stable:\nfirst  %#v\nsecond %v", r.Policy, roles2)
			}
		}
	})
}
