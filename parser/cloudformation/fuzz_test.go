package cloudformation

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// FuzzParse checks, for any input read as YAML and as JSON: Parse does not
// panic; every range it reports (roles, source maps, diagnostics) lies
// inside the input with a line and column that match its byte offset; every
// value of a policy has a source range; and a second parse gives the same
// roles and diagnostics.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{fixtures, "../../testdata/fixtures"} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if dir != fixtures && !strings.Contains(filepath.ToSlash(p), "/cfn-") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err == nil {
				f.Add(src)
			}
			return err
		})
		if err != nil {
			f.Fatal(err)
		}
	}
	for _, s := range []string{
		"", "{", "Resources:", "Resources: {R: {Type: AWS::IAM::Role}}",
		"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: !Sub |\n        {\"a\": \"${X}\"}\n",
		"Resources:\n  R: &a\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: [*a]}\n",
		"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: \"{\\\"a\\\": \\x41}\"\n",
		"Resources:\r\n  R:\r\n    Type: AWS::IAM::Role\r\n    Properties:\r\n      AssumeRolePolicyDocument: >\r\n        {\"a\":\r\n         1}\r\n",
		"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: !Join ['', ['{\"a\": \"', !Ref X, '\"}']]\n",
		"\xc2\x85Resources:\xe2\x80\xa8  R: {Type: AWS::IAM::Role}\r",
		`{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Fn::Sub": "{\"a\": \"${AWS::AccountId}\u00e9\"}"}}}}}`,
		// Deep and large.
		"Resources: " + strings.Repeat("[", 50_000) + strings.Repeat("]", 50_000) + "\n",
		"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n" + deepYAML(2000),
		`{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": ` + strings.Repeat(`{"Fn::Join": ["", [`, 5000) + `"x"` + strings.Repeat("]]}", 5000) + `}}}}`,
		"Resources:\n" + strings.Repeat("  R:\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {AWS: '111111111111'}}]}}\n", 2000),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, file := range []string{"fuzz.yaml", "fuzz.json"} {
			Parser{}.Match(file, src)
			roles, diags := parseAll(t, file, src)
			again, diags2 := parseAll(t, file, src)
			if !reflect.DeepEqual(summaries(roles), summaries(again)) || !reflect.DeepEqual(diags, diags2) {
				t.Fatalf("%s: not deterministic", file)
			}
			for _, r := range roles {
				if r.HasPolicy && r.Policy == nil {
					t.Fatalf("%s: role %s has a nil policy", file, r.Name)
				}
			}
		}
	})
}

// deepYAML is a block mapping nested n levels deep.
func deepYAML(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", 8+i))
		b.WriteString("a:\n")
	}
	return b.String()
}

func summaries(roles []*model.Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = summary(r)
		for _, m := range []map[string]model.Range{r.Source.ValueMap(), r.Source.KeyMap()} {
			ks := make([]string, 0, len(m))
			for k, v := range m {
				ks = append(ks, k+"="+span(v))
			}
			sort.Strings(ks)
			out[i] += "\n" + strings.Join(ks, " ")
		}
	}
	return out
}
