package iamjson

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/url"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
)

// junk is n members named k0, k1, ... with the value 0, each followed by
// a comma.
func junk(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `"k%d":0,`, i)
	}
	return b.String()
}

// TestParseMembersCapped: an object of more than srcjson.MaxMembers
// members, anywhere in a policy or an export, is read up to the cap, and
// past it only the members the parser gives a meaning (a policy's
// elements, an export's keys), a later duplicate of one still winning;
// the others are skipped with one diagnostic at the first of them. The
// role is the one of the same document without the skipped members, and
// so are its findings' positions for the members read.
func TestParseMembersCapped(t *testing.T) {
	const (
		over  = 5000 // members past the cap, 999,000 in the hostile suite
		trust = `"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::389476015216:root"}`
	)
	head, tail := junk(srcjson.MaxMembers), junk(srcjson.MaxMembers + over)[len(junk(srcjson.MaxMembers)):]
	doc := func(stmt string) string { return `{"Version":"2012-10-17","Statement":[{` + stmt + `}]}` }
	tests := []struct {
		name string
		// src is the hostile document with HEAD (the junk read) and TAIL
		// (the junk skipped) in it; the reference is src without TAIL and
		// without drop, a member that is past the cap and not kept.
		src, drop string
		members   int // of the capped object
		// unread is the path, from the statement, of the condition object
		// that stands for its members not read with one unknown member
		// (normalize.unread), which the reference does not have.
		unread []string
	}{
		{"condition block", doc(trust + `,"Condition":{"StringEquals":{HEADTAIL"sts:ExternalId":"x"}}`), `"sts:ExternalId":"x"`, srcjson.MaxMembers + over + 1, []string{"Condition", "StringEquals"}},
		{"principal, AWS after", doc(`"Effect":"Allow","Action":"sts:AssumeRole","Principal":{HEADTAIL"AWS":"arn:aws:iam::389476015216:root"}`), "", srcjson.MaxMembers + over + 1, nil},
		{"statement, elements after", doc(`HEADTAIL` + trust), "", srcjson.MaxMembers + over + 3, nil},
		{"statement, a kept duplicate after", doc(`"Effect":"Deny",HEADTAIL` + strings.Repeat(`"Effect":"Deny",`, 10) + trust), "", srcjson.MaxMembers + over + 14, nil},
		{"top level", `{HEAD"Version":"2012-10-17",TAIL"Statement":[{` + trust + `}]}`, "", srcjson.MaxMembers + over + 2, nil},
		{"condition operators", doc(trust + `,"Condition":{HEADTAIL"StringEquals":{"sts:ExternalId":"x"}}`), `"StringEquals":{"sts:ExternalId":"x"}`, srcjson.MaxMembers + over + 1, []string{"Condition"}},
		{"role in a list", `{"Roles":[{HEADTAIL"RoleName":"r","AssumeRolePolicyDocument":` + doc(trust) + `}]}`, "", srcjson.MaxMembers + over + 2, nil},
		{"export", `{HEADTAIL"Role":{"RoleName":"r","AssumeRolePolicyDocument":` + doc(trust) + `}}`, "", srcjson.MaxMembers + over + 1, nil},
	}
	message := func(d string) string { _, msg, _ := strings.Cut(d, " "); return msg }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(strings.Replace(tt.src, "HEAD", head, 1), "TAIL", tail, 1)
			ref := strings.Replace(strings.Replace(tt.src, "HEAD", head, 1), "TAIL", "", 1)
			if tt.drop != "" {
				ref = strings.Replace(ref, ","+tt.drop, "", 1)
			}
			roles, diags := parseAll(t, "big.json", []byte(src))
			want, refDiags := parseAll(t, "big.json", []byte(ref))
			if len(roles) != 1 || len(want) != 1 {
				t.Fatalf("got %d roles, %d of the reference; want 1", len(roles), len(want))
			}
			skipped := over
			if tt.drop != "" {
				skipped++
			}
			if tt.unread != nil {
				obj := roles[0].Policy.(map[string]any)["Statement"].([]any)[0]
				for _, k := range tt.unread {
					obj = obj.(map[string]any)[k]
				}
				what := fmt.Sprintf("%d members not read", skipped)
				name := "${" + what + "}"
				if m := obj.(map[string]any); !reflect.DeepEqual(m[name], model.Unknown(what)) {
					t.Errorf("%v: no unknown member %s for the members not read", tt.unread, name)
				} else {
					delete(m, name)
				}
			}
			if !reflect.DeepEqual(roles[0].Policy, want[0].Policy) || roles[0].Name != want[0].Name {
				t.Errorf("role %s differs from the reference %s:\ngot  %.300v\nwant %.300v", roles[0].Name, want[0].Name, roles[0].Policy, want[0].Policy)
			}
			col := strings.Index(src, tail) + 1 // the first member skipped
			wantDiag := fmt.Sprintf("1:%d-1:%d object of %d members, more than an IAM policy can hold: beyond the first %d that are no policy element or export key, %d are not analyzed",
				col, col+len(`"k1000"`), tt.members, srcjson.MaxMembers, skipped)
			var others []string
			found := false
			for _, d := range diags {
				if d == wantDiag {
					found = true
					continue
				}
				others = append(others, message(d))
			}
			var refOthers []string
			for _, d := range refDiags {
				refOthers = append(refOthers, message(d))
			}
			if !found || !reflect.DeepEqual(others, refOthers) {
				t.Errorf("got diagnostics %q\nwant %q and those of the reference, %q", diags, wantDiag, refDiags)
			}
		})
	}
}

// TestParseMembersCappedEmbedded: the cap holds in a policy document
// held by a string, JSON text or percent-encoded as the raw API returns
// it.
func TestParseMembersCappedEmbedded(t *testing.T) {
	policy := `{"Version":"2012-10-17","Statement":[{` + junk(srcjson.MaxMembers+10) + `"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::389476015216:root"}}]}`
	for name, s := range map[string]string{
		"json text":       strings.ReplaceAll(policy, `"`, `\"`),
		"percent-encoded": url.PathEscape(policy),
	} {
		t.Run(name, func(t *testing.T) {
			src := `{"Role":{"RoleName":"r","AssumeRolePolicyDocument":"` + s + `"}}`
			roles, diags := parseAll(t, "big.json", []byte(src))
			if len(roles) != 1 || !roles[0].HasPolicy || roles[0].Policy == nil {
				t.Fatalf("got roles %v, want r with its policy", roles)
			}
			st := roles[0].Policy.(map[string]any)["Statement"].([]any)[0].(map[string]any)
			if len(st) != srcjson.MaxMembers+3 || st["Principal"] == nil || st["Effect"] != "Allow" {
				t.Errorf("got a statement of %d members (Principal %v, Effect %v), want %d with the trust elements", len(st), st["Principal"], st["Effect"], srcjson.MaxMembers+3)
			}
			if len(diags) != 1 || !strings.Contains(diags[0], fmt.Sprintf("object of %d members", srcjson.MaxMembers+13)) {
				t.Errorf("got diagnostics %q, want one for the capped statement", diags)
			}
		})
	}
}

// TestKeptNames: every member name this package reads (a string literal
// passed to Get or Member) is one that an object keeps past the cap, so
// that no junk before it can hide it.
func TestKeptNames(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(x ast.Node) bool {
			call, ok := x.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			lit, isLit := call.Args[0].(*ast.BasicLit)
			if !ok || !isLit || lit.Kind != token.STRING || (sel.Sel.Name != "Get" && sel.Sel.Name != "Member") {
				return true
			}
			name, _ := strconv.Unquote(lit.Value)
			n++
			if !kept(name) {
				t.Errorf("%s: %q is read but not kept past srcjson.MaxMembers", fset.Position(lit.Pos()), name)
			}
			return true
		})
	}
	if n < 20 {
		t.Errorf("found %d names read, want the package's 20 or more", n)
	}
}
