package iamjson

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// encoding is a policy written the way the raw IAM API does (RFC 3986
// percent-encoding, '+' and '/' left as is), then as a JSON string with extra
// escapes, placed in a get-role export. fileOff gives, for each byte offset
// of the policy (and its end), the file offset where its source begins,
// computed forwards while encoding.
type encoding struct {
	file    []byte
	fileOff []int
}

func encodeRole(policy string, escape func(i int, c byte) string) encoding {
	const prefix = "{\n  \"Role\": {\n    \"RoleName\": \"gen\",\n    \"AssumeRolePolicyDocument\": \""
	var pct strings.Builder
	pctStart := make([]int, 0, len(policy)+1)
	for i := range len(policy) {
		pctStart = append(pctStart, pct.Len())
		c := policy[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~+/", c) >= 0 {
			pct.WriteByte(c)
		} else {
			fmt.Fprintf(&pct, "%%%02X", c)
		}
	}
	pctStart = append(pctStart, pct.Len())
	var esc strings.Builder
	p := pct.String()
	escStart := make([]int, 0, len(p)+1)
	for j := range len(p) {
		escStart = append(escStart, esc.Len())
		esc.WriteString(escape(j, p[j]))
	}
	escStart = append(escStart, esc.Len())
	file := prefix + esc.String() + "\"\n  }\n}\n"
	fileOff := make([]int, len(pctStart))
	for i, s := range pctStart {
		fileOff[i] = len(prefix) + escStart[s]
	}
	return encoding{file: []byte(file), fileOff: fileOff}
}

// jsonEscapes escapes every '%' that starts a multiple of 7 and every 'F' as
// \u00XX, so that offsets go through both layers, and '/' as "\/".
func jsonEscapes(j int, c byte) string {
	switch {
	case c == '%' && j%7 == 0, c == 'F':
		return fmt.Sprintf(`\u%04x`, c)
	case c == '/':
		return `\/`
	}
	return string(c)
}

func TestEmbeddedURLEncodedGenerated(t *testing.T) {
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
		`"Principal":{"AWS":"arn:aws:iam::111122223333:user/é+ü"},"Action":"sts:AssumeRole",` +
		`"Condition":{"StringEquals":{"sts:ExternalId":"a b\"c\/d"}}}]}`
	enc := encodeRole(policy, jsonEscapes)
	if !strings.Contains(string(enc.file), `\u0025`) || !strings.Contains(string(enc.file), `\/`) {
		t.Fatalf("the generated document lacks the escapes under test: %s", enc.file)
	}
	roles, diags := parseAll(t, "gen.json", enc.file)
	if len(diags) > 0 || len(roles) != 1 {
		t.Fatalf("got %d roles and diagnostics %q, want one role", len(roles), diags)
	}
	r := roles[0]
	want := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"AWS": []any{"arn:aws:iam::111122223333:user/é+ü"}},
			"Action":    []any{"sts:AssumeRole"},
			"Condition": map[string]any{"StringEquals": map[string]any{"sts:ExternalId": []any{`a b"c/d`}}},
		}},
	}
	if !reflect.DeepEqual(r.Policy, want) {
		t.Fatalf("policy:\ngot  %#v\nwant %#v", r.Policy, want)
	}
	idx := model.NewLineIndex("gen.json", enc.file)
	tokens := []struct{ path, token string }{
		{"policy", policy},
		{"policy.Version", `"2012-10-17"`},
		{"policy.Statement[0].Principal.AWS[0]", `"arn:aws:iam::111122223333:user/é+ü"`},
		{"policy.Statement[0].Action[0]", `"sts:AssumeRole"`},
		{`policy.Statement[0].Condition.StringEquals["sts:ExternalId"][0]`, `"a b\"c\/d"`},
	}
	for _, tok := range tokens {
		s := strings.Index(policy, tok.token)
		e := s + len(tok.token)
		wantRange := idx.Range(enc.fileOff[s], enc.fileOff[e])
		if got := r.Source.ValueMap()[tok.path]; got != wantRange {
			t.Errorf("%s: got %s (%d..%d) want %s (%d..%d)", tok.path, span(got), got.Start.Byte, got.End.Byte,
				span(wantRange), wantRange.Start.Byte, wantRange.End.Byte)
		}
	}
	keyStart := strings.Index(policy, `"sts:ExternalId"`)
	wantKey := idx.Range(enc.fileOff[keyStart], enc.fileOff[keyStart+len(`"sts:ExternalId"`)])
	if got := r.Source.KeyMap()[`policy.Statement[0].Condition.StringEquals["sts:ExternalId"]`]; got != wantKey {
		t.Errorf("ExternalId key: got %s want %s", span(got), span(wantKey))
	}
}

func TestEmbeddedErrorPositions(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		escape func(int, byte) string
		bad    string // the faulty text in the policy
		msg    string
	}{
		{
			name:   "JSON error behind both layers",
			policy: `{"Version": "2012-10-17", "Statement": x}`,
			escape: jsonEscapes,
			bad:    "x",
			msg:    "embedded policy document: invalid JSON: invalid character 'x' at start of value",
		},
		{
			name:   "duplicate key",
			policy: `{"Statement": [], "Statement": []}`,
			escape: func(_ int, c byte) string { return string(c) },
			bad:    `"Statement"`,
			msg:    `duplicate key "Statement" (first at line 4)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc := encodeRole(tt.policy, tt.escape)
			var roles int
			diags := Parser{}.Parse("gen.json", enc.file, func(*model.Role) { roles++ })
			if len(diags) != 1 {
				t.Fatalf("got diagnostics %v, want one", diags)
			}
			s := strings.LastIndex(tt.policy, tt.bad)
			want := model.NewLineIndex("gen.json", enc.file).Range(enc.fileOff[s], enc.fileOff[s+len(tt.bad)])
			if got := diags[0]; got.Range != want || got.Message != tt.msg {
				t.Errorf("got %s %q want %s %q", span(got.Range), got.Message, span(want), tt.msg)
			}
		})
	}
}
