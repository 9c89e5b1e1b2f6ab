package normalize_test

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/internal/srcmaptest"
	"github.com/trustlint/trustlint/parser/normalize"
	"github.com/trustlint/trustlint/parser/tree"
)

// parse builds the positioned tree of a JSON text (file "p.json").
func parse(t *testing.T, text string) *tree.Node {
	t.Helper()
	n, diags := srcjson.ParseText(model.NewLineIndex("p.json", []byte(text)), 0, len(text))
	if n == nil {
		t.Fatalf("parse %q: %v", text, diags)
	}
	return n
}

// spans renders a range map as path → "line:col-line:col".
func spans(m map[string]model.Range) map[string]string {
	out := make(map[string]string, len(m))
	for k, r := range m {
		out[k] = fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
	}
	return out
}

// diffSpans lists the differences between two path → span maps.
func diffSpans(got, want map[string]string) string {
	var lines []string
	for k, w := range want {
		if g, ok := got[k]; !ok {
			lines = append(lines, fmt.Sprintf("%s: missing, want %s", k, w))
		} else if g != w {
			lines = append(lines, fmt.Sprintf("%s: got %s want %s", k, g, w))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			lines = append(lines, fmt.Sprintf("%s: got %s, want no entry", k, g))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestPolicy(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		want   any
		values map[string]string
		keys   map[string]string
	}{
		{
			name: "principal star and single statement",
			text: `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}}`,
			want: map[string]any{
				"Version": "2012-10-17",
				"Statement": []any{map[string]any{
					"Effect":    "Allow",
					"Principal": map[string]any{"AWS": []any{"*"}},
					"Action":    []any{"sts:AssumeRole"},
				}},
			},
			values: map[string]string{
				"policy":                               "1:1-1:106",
				"policy.Version":                       "1:13-1:25",
				"policy.Statement":                     "1:40-1:105",
				"policy.Statement[0]":                  "1:40-1:105",
				"policy.Statement[0].Effect":           "1:51-1:58",
				"policy.Statement[0].Principal":        "1:73-1:76",
				"policy.Statement[0].Principal.AWS":    "1:73-1:76",
				"policy.Statement[0].Principal.AWS[0]": "1:73-1:76",
				"policy.Statement[0].Action":           "1:88-1:104",
				"policy.Statement[0].Action[0]":        "1:88-1:104",
			},
			keys: map[string]string{
				"policy.Version":                    "1:2-1:11",
				"policy.Statement":                  "1:27-1:38",
				"policy.Statement[0].Effect":        "1:41-1:49",
				"policy.Statement[0].Principal":     "1:60-1:71",
				"policy.Statement[0].Principal.AWS": "1:60-1:71",
				"policy.Statement[0].Action":        "1:78-1:86",
			},
		},
		{
			name: "every element kind",
			text: `{"Statement": [
 {"Effect": "Allow", "NotPrincipal": "*",
  "Principal": {"AWS": "111122223333", "Service": ["ec2.amazonaws.com"], "Federated": 77},
  "Resource": "*", "NotAction": ["sts:AssumeRole"],
  "Condition": {"StringEquals": {"sts:ExternalId": "x", "n": 55, "b": true, "z": null, "l": ["a", "b"]}, "Bool": "oops"},
  "Foo": {"Bar": [17]}},
 "str"]}`,
			want: map[string]any{
				"Statement": []any{
					map[string]any{
						"Effect":       "Allow",
						"NotPrincipal": map[string]any{"AWS": []any{"*"}},
						"Principal": map[string]any{
							"AWS":       []any{"111122223333"},
							"Service":   []any{"ec2.amazonaws.com"},
							"Federated": 77.0,
						},
						"Resource":  []any{"*"},
						"NotAction": []any{"sts:AssumeRole"},
						"Condition": map[string]any{
							"StringEquals": map[string]any{
								"sts:ExternalId": []any{"x"},
								"n":              []any{55.0},
								"b":              []any{true},
								"z":              []any{nil},
								"l":              []any{"a", "b"},
							},
							"Bool": "oops",
						},
						"Foo": map[string]any{"Bar": []any{17.0}},
					},
					"str",
				},
			},
			values: map[string]string{
				"policy":                                                          "1:1-7:9",
				"policy.Statement":                                                "1:15-7:8",
				"policy.Statement[0]":                                             "2:2-6:24",
				"policy.Statement[0].Effect":                                      "2:13-2:20",
				"policy.Statement[0].NotPrincipal":                                "2:38-2:41",
				"policy.Statement[0].NotPrincipal.AWS":                            "2:38-2:41",
				"policy.Statement[0].NotPrincipal.AWS[0]":                         "2:38-2:41",
				"policy.Statement[0].Principal":                                   "3:16-3:90",
				"policy.Statement[0].Principal.AWS":                               "3:24-3:38",
				"policy.Statement[0].Principal.AWS[0]":                            "3:24-3:38",
				"policy.Statement[0].Principal.Service":                           "3:51-3:72",
				"policy.Statement[0].Principal.Service[0]":                        "3:52-3:71",
				"policy.Statement[0].Principal.Federated":                         "3:87-3:89",
				"policy.Statement[0].Resource":                                    "4:15-4:18",
				"policy.Statement[0].Resource[0]":                                 "4:15-4:18",
				"policy.Statement[0].NotAction":                                   "4:33-4:51",
				"policy.Statement[0].NotAction[0]":                                "4:34-4:50",
				"policy.Statement[0].Condition":                                   "5:16-5:121",
				"policy.Statement[0].Condition.StringEquals":                      "5:33-5:104",
				`policy.Statement[0].Condition.StringEquals["sts:ExternalId"]`:    "5:52-5:55",
				`policy.Statement[0].Condition.StringEquals["sts:ExternalId"][0]`: "5:52-5:55",
				"policy.Statement[0].Condition.StringEquals.n":                    "5:62-5:64",
				"policy.Statement[0].Condition.StringEquals.n[0]":                 "5:62-5:64",
				"policy.Statement[0].Condition.StringEquals.b":                    "5:71-5:75",
				"policy.Statement[0].Condition.StringEquals.b[0]":                 "5:71-5:75",
				"policy.Statement[0].Condition.StringEquals.z":                    "5:82-5:86",
				"policy.Statement[0].Condition.StringEquals.z[0]":                 "5:82-5:86",
				"policy.Statement[0].Condition.StringEquals.l":                    "5:93-5:103",
				"policy.Statement[0].Condition.StringEquals.l[0]":                 "5:94-5:97",
				"policy.Statement[0].Condition.StringEquals.l[1]":                 "5:99-5:102",
				"policy.Statement[0].Condition.Bool":                              "5:114-5:120",
				"policy.Statement[0].Foo":                                         "6:10-6:23",
				"policy.Statement[0].Foo.Bar":                                     "6:18-6:22",
				"policy.Statement[0].Foo.Bar[0]":                                  "6:19-6:21",
				"policy.Statement[1]":                                             "7:2-7:7",
			},
			keys: map[string]string{
				"policy.Statement":                                             "1:2-1:13",
				"policy.Statement[0].Effect":                                   "2:3-2:11",
				"policy.Statement[0].NotPrincipal":                             "2:22-2:36",
				"policy.Statement[0].NotPrincipal.AWS":                         "2:22-2:36",
				"policy.Statement[0].Principal":                                "3:3-3:14",
				"policy.Statement[0].Principal.AWS":                            "3:17-3:22",
				"policy.Statement[0].Principal.Service":                        "3:40-3:49",
				"policy.Statement[0].Principal.Federated":                      "3:74-3:85",
				"policy.Statement[0].Resource":                                 "4:3-4:13",
				"policy.Statement[0].NotAction":                                "4:20-4:31",
				"policy.Statement[0].Condition":                                "5:3-5:14",
				"policy.Statement[0].Condition.StringEquals":                   "5:17-5:31",
				`policy.Statement[0].Condition.StringEquals["sts:ExternalId"]`: "5:34-5:50",
				"policy.Statement[0].Condition.StringEquals.n":                 "5:57-5:60",
				"policy.Statement[0].Condition.StringEquals.b":                 "5:66-5:69",
				"policy.Statement[0].Condition.StringEquals.z":                 "5:77-5:80",
				"policy.Statement[0].Condition.StringEquals.l":                 "5:88-5:91",
				"policy.Statement[0].Condition.Bool":                           "5:106-5:112",
				"policy.Statement[0].Foo":                                      "6:3-6:8",
				"policy.Statement[0].Foo.Bar":                                  "6:11-6:16",
			},
		},
		{
			name: "duplicate key: the last wins and leaves no stale entries",
			text: `{"Statement": [{"Principal": {"AWS": ["a", "b"]}, "Principal": "*"}]}`,
			want: map[string]any{"Statement": []any{map[string]any{"Principal": map[string]any{"AWS": []any{"*"}}}}},
			values: map[string]string{
				"policy":                               "1:1-1:70",
				"policy.Statement":                     "1:15-1:69",
				"policy.Statement[0]":                  "1:16-1:68",
				"policy.Statement[0].Principal":        "1:64-1:67",
				"policy.Statement[0].Principal.AWS":    "1:64-1:67",
				"policy.Statement[0].Principal.AWS[0]": "1:64-1:67",
			},
			keys: map[string]string{
				"policy.Statement":                  "1:2-1:13",
				"policy.Statement[0].Principal":     "1:51-1:62",
				"policy.Statement[0].Principal.AWS": "1:51-1:62",
			},
		},
		{
			name:   "document that is not an object stays raw",
			text:   `"just a string"`,
			want:   "just a string",
			values: map[string]string{"policy": "1:1-1:16"},
			keys:   map[string]string{},
		},
		{
			name:   "Statement that is neither list nor object stays raw",
			text:   `{"Statement": 5}`,
			want:   map[string]any{"Statement": 5.0},
			values: map[string]string{"policy": "1:1-1:17", "policy.Statement": "1:15-1:16"},
			keys:   map[string]string{"policy.Statement": "1:2-1:13"},
		},
		{
			name: "Condition and Principal lists stay raw",
			text: `{"Statement": [{"Condition": ["x"], "Principal": [1]}]}`,
			want: map[string]any{"Statement": []any{map[string]any{"Condition": []any{"x"}, "Principal": []any{1.0}}}},
			values: map[string]string{
				"policy":                           "1:1-1:56",
				"policy.Statement":                 "1:15-1:55",
				"policy.Statement[0]":              "1:16-1:54",
				"policy.Statement[0].Condition":    "1:30-1:35",
				"policy.Statement[0].Condition[0]": "1:31-1:34",
				"policy.Statement[0].Principal":    "1:50-1:53",
				"policy.Statement[0].Principal[0]": "1:51-1:52",
			},
			keys: map[string]string{
				"policy.Statement":              "1:2-1:13",
				"policy.Statement[0].Condition": "1:17-1:28",
				"policy.Statement[0].Principal": "1:37-1:48",
			},
		},
	}
	shared := &normalize.Normalizer{} // shares path strings across cases
	variants := map[string]func(*tree.Node, model.Path, *model.SourceMap) any{
		"Policy":            normalize.Policy,
		"Normalizer.Policy": shared.Policy,
	}
	for _, tt := range tests {
		for vname, policy := range variants {
			t.Run(vname+"/"+tt.name, func(t *testing.T) {
				sm := model.NewSourceMap()
				got := policy(parse(t, tt.text), model.PolicyPath, sm)
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("body:\ngot  %#v\nwant %#v", got, tt.want)
				}
				if d := diffSpans(spans(sm.ValueMap()), tt.values); d != "" {
					t.Errorf("value ranges:\n%s", d)
				}
				if d := diffSpans(spans(sm.KeyMap()), tt.keys); d != "" {
					t.Errorf("key ranges:\n%s", d)
				}
				if miss := srcmaptest.Unmapped(got, model.PolicyPath, sm); len(miss) > 0 {
					t.Errorf("values without a source range: %v", miss)
				}
			})
		}
	}
}

// rng makes a distinct one-line range for hand-built trees.
func rng(col int) model.Range {
	return model.Range{File: "u.tf", Start: model.Pos{Line: 1, Column: col, Byte: col - 1}, End: model.Pos{Line: 1, Column: col + 1, Byte: col}}
}

func unknown(expr string, col int) *tree.Node {
	return &tree.Node{Kind: tree.Unknown, Str: expr, Range: rng(col)}
}

func obj(col int, kv ...any) *tree.Node {
	n := &tree.Node{Kind: tree.Object, Range: rng(col)}
	for i := 0; i < len(kv); i += 2 {
		v := kv[i+1].(*tree.Node)
		n.Members = append(n.Members, tree.Member{Key: kv[i].(string), KeyRange: rng(v.Range.Start.Column + 100), Value: v})
	}
	return n
}

func arr(col int, elems ...*tree.Node) *tree.Node {
	return &tree.Node{Kind: tree.Array, Elems: elems, Range: rng(col)}
}

func str(s string, col int) *tree.Node {
	return &tree.Node{Kind: tree.String, Str: s, Range: rng(col)}
}

// skipped marks n as an object of which the parser did not read n members.
func skipped(n *tree.Node, count uint32) *tree.Node {
	n.Skipped = count
	return n
}

func TestPolicyUnknown(t *testing.T) {
	tests := []struct {
		name   string
		doc    *tree.Node
		want   any
		values map[string]string
	}{
		{
			name:   "whole document",
			doc:    unknown("var.policy", 1),
			want:   model.Unknown("var.policy"),
			values: map[string]string{"policy": "1:1-1:2"},
		},
		{
			name: "unknown containers and elements",
			doc: obj(1, "Statement", arr(2, obj(3,
				"Principal", obj(4, "AWS", unknown("var.accounts", 5), "Service", arr(6, unknown("local.svc", 7))),
				"Action", unknown("var.actions", 8),
				"Condition", unknown("var.condition", 9),
			), obj(10,
				"Principal", unknown("var.principal", 11),
				"Condition", obj(12, "StringEquals", obj(13, "sts:ExternalId", unknown("var.external_id", 14))),
			))),
			want: map[string]any{"Statement": []any{
				map[string]any{
					"Principal": map[string]any{
						"AWS":     model.Unknown("var.accounts"),
						"Service": []any{model.Unknown("local.svc")},
					},
					"Action":    model.Unknown("var.actions"),
					"Condition": model.Unknown("var.condition"),
				},
				map[string]any{
					"Principal": model.Unknown("var.principal"),
					"Condition": map[string]any{"StringEquals": map[string]any{
						"sts:ExternalId": model.Unknown("var.external_id"),
					}},
				},
			}},
			values: map[string]string{
				"policy":                                                       "1:1-1:2",
				"policy.Statement":                                             "1:2-1:3",
				"policy.Statement[0]":                                          "1:3-1:4",
				"policy.Statement[0].Principal":                                "1:4-1:5",
				"policy.Statement[0].Principal.AWS":                            "1:5-1:6",
				"policy.Statement[0].Principal.Service":                        "1:6-1:7",
				"policy.Statement[0].Principal.Service[0]":                     "1:7-1:8",
				"policy.Statement[0].Action":                                   "1:8-1:9",
				"policy.Statement[0].Condition":                                "1:9-1:10",
				"policy.Statement[1]":                                          "1:10-1:11",
				"policy.Statement[1].Principal":                                "1:11-1:12",
				"policy.Statement[1].Condition":                                "1:12-1:13",
				"policy.Statement[1].Condition.StringEquals":                   "1:13-1:14",
				`policy.Statement[1].Condition.StringEquals["sts:ExternalId"]`: "1:14-1:15",
			},
		},
		{
			// Members the parser did not read (srcjson.MaxMembers) of a
			// Condition and of an operator block: each object gets one
			// templated key, which may be any operator or key, with an
			// unknown value, at the object; other objects get none.
			name: "members not read",
			doc: obj(1, "Statement", arr(2, obj(3,
				"Principal", skipped(obj(4, "AWS", str("*", 5)), 7),
				"Condition", skipped(obj(6, "StringNotEquals", obj(7, "aws:PrincipalOrgID", str("o-a1b2c3d4e5", 8)),
					"StringEquals", skipped(obj(9, "aws:PrincipalTag/team", str("blue", 10)), 2)), 1000),
			))),
			want: map[string]any{"Statement": []any{map[string]any{
				"Principal": map[string]any{"AWS": []any{"*"}},
				"Condition": map[string]any{
					"StringNotEquals": map[string]any{"aws:PrincipalOrgID": []any{"o-a1b2c3d4e5"}},
					"StringEquals": map[string]any{
						"aws:PrincipalTag/team": []any{"blue"},
						"${2 members not read}": model.Unknown("2 members not read"),
					},
					"${1000 members not read}": model.Unknown("1000 members not read"),
				},
			}}},
			values: map[string]string{
				"policy":                                        "1:1-1:2",
				"policy.Statement":                              "1:2-1:3",
				"policy.Statement[0]":                           "1:3-1:4",
				"policy.Statement[0].Principal":                 "1:4-1:5",
				"policy.Statement[0].Principal.AWS":             "1:5-1:6",
				"policy.Statement[0].Principal.AWS[0]":          "1:5-1:6",
				"policy.Statement[0].Condition":                 "1:6-1:7",
				"policy.Statement[0].Condition.StringNotEquals": "1:7-1:8",
				`policy.Statement[0].Condition.StringNotEquals["aws:PrincipalOrgID"]`:    "1:8-1:9",
				`policy.Statement[0].Condition.StringNotEquals["aws:PrincipalOrgID"][0]`: "1:8-1:9",
				"policy.Statement[0].Condition.StringEquals":                             "1:9-1:10",
				`policy.Statement[0].Condition.StringEquals["aws:PrincipalTag/team"]`:    "1:10-1:11",
				`policy.Statement[0].Condition.StringEquals["aws:PrincipalTag/team"][0]`: "1:10-1:11",
				`policy.Statement[0].Condition.StringEquals["${2 members not read}"]`:    "1:9-1:10",
				`policy.Statement[0].Condition["${1000 members not read}"]`:              "1:6-1:7",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm := model.NewSourceMap()
			got := normalize.Policy(tt.doc, model.PolicyPath, sm)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("body:\ngot  %#v\nwant %#v", got, tt.want)
			}
			if d := diffSpans(spans(sm.ValueMap()), tt.values); d != "" {
				t.Errorf("value ranges:\n%s", d)
			}
			for p := range sm.ValueMap() {
				if p == "policy" {
					continue
				}
				// Every member of every object has a key range here.
				if _, ok := sm.KeyMap()[p]; !ok && !strings.HasSuffix(p, "]") {
					t.Errorf("no key range for %s", p)
				}
			}
		})
	}
}

func TestValue(t *testing.T) {
	text := `{"a": [1, {"b": null}], "a": {"c": false}, "d": "x"}`
	sm := model.NewSourceMap()
	base := model.Path{"role", "Tags"}
	got := normalize.Value(parse(t, text), base, sm)
	want := map[string]any{"a": map[string]any{"c": false}, "d": "x"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v want %#v", got, want)
	}
	wantValues := map[string]string{
		"role.Tags":     "1:1-1:53",
		"role.Tags.a":   "1:30-1:42",
		"role.Tags.a.c": "1:36-1:41",
		"role.Tags.d":   "1:49-1:52",
	}
	if d := diffSpans(spans(sm.ValueMap()), wantValues); d != "" {
		t.Errorf("value ranges:\n%s", d)
	}
	wantKeys := map[string]string{"role.Tags.a": "1:25-1:28", "role.Tags.a.c": "1:31-1:34", "role.Tags.d": "1:44-1:47"}
	if d := diffSpans(spans(sm.KeyMap()), wantKeys); d != "" {
		t.Errorf("key ranges:\n%s", d)
	}
	if got := normalize.Value(nil, base, sm); got != nil {
		t.Errorf("Value(nil) = %#v, want nil", got)
	}
}

func TestPolicyNil(t *testing.T) {
	sm := model.NewSourceMap()
	if got := normalize.Policy(nil, model.PolicyPath, sm); got != nil {
		t.Errorf("got %#v want nil", got)
	}
	if len(sm.ValueMap())+len(sm.KeyMap()) != 0 {
		t.Errorf("got source map entries %v %v, want none", sm.ValueMap(), sm.KeyMap())
	}
}

// TestPolicyPacked checks that a policy whose long scalar lists are packed
// (srcjson.Builder.PackScalars) normalizes to the same value and the same
// source map as when every element is a node: the map keeps the lists
// packed and computes an element's range when it is looked up.
func TestPolicyPacked(t *testing.T) {
	var vals []string
	for i := range 3 * srcjson.PackMin {
		vals = append(vals, fmt.Sprintf(`"o-%d"`, i), fmt.Sprint(i), "\n  true")
	}
	list := "[" + strings.Join(vals, ", ") + "]"
	text := `{"Statement": [{"Effect": "Allow", "Action": ` + list + `,` + "\n" +
		`"Condition": {"StringEquals": {"aws:PrincipalOrgID": ` + list + `}}}]}`
	build := func(pack bool) (any, *model.SourceMap) {
		loc := model.NewLineIndex("p.json", []byte(text))
		b := srcjson.NewBuilder(loc, []byte(text))
		if pack {
			b.PackScalars()
		}
		n, err := b.Value()
		if err != nil {
			t.Fatal(err)
		}
		sm := model.NewSourceMap()
		return normalize.Policy(n, model.PolicyPath, sm), sm
	}
	want, wantSM := build(false)
	got, gotSM := build(true)
	plain, packed := srcmaptest.Plain(got)
	if !reflect.DeepEqual(plain, want) {
		t.Errorf("packed value differs:\n got %v\nwant %v", got, want)
	}
	if _, n := srcmaptest.Plain(want); packed != 2 || n != 0 {
		t.Errorf("%d lists packed (%d as nodes), want 2 (0)", packed, n)
	}
	if d := diffSpans(spans(gotSM.ValueMap()), spans(wantSM.ValueMap())); d != "" {
		t.Errorf("value ranges differ:\n%s", d)
	}
	if d := diffSpans(spans(gotSM.KeyMap()), spans(wantSM.KeyMap())); d != "" {
		t.Errorf("key ranges differ:\n%s", d)
	}
	p := model.PolicyPath.Child("Statement").Child(0).Child("Condition").Child("StringEquals").Child("aws:PrincipalOrgID")
	for _, i := range []int{len(vals) - 1, 0, 100} {
		g, _ := gotSM.Lookup(p.Child(i), false)
		w, _ := wantSM.Lookup(p.Child(i), false)
		if g != w {
			t.Errorf("Lookup of element %d: %v, want %v", i, g, w)
		}
	}
}

// TestPackedStringsShared checks that the repeated strings of a packed
// list are kept once each (model.PackedList), not boxed once per element: a
// dense list of one string took 16 bytes more per element.
func TestPackedStringsShared(t *testing.T) {
	const n = 1000
	text := "[" + strings.TrimSuffix(strings.Repeat(`"a", "b", `, n/2), ", ") + "]"
	loc := model.NewLineIndex("p.json", []byte(text))
	b := srcjson.NewBuilder(loc, []byte(text))
	b.PackScalars()
	list, err := b.Value()
	if err != nil || list.Packed == nil {
		t.Fatalf("not packed: %v", err)
	}
	var v any
	allocs := testing.AllocsPerRun(5, func() { v = normalize.Value(list, model.PolicyPath, nil) })
	got, ok := v.(*model.PackedList)
	if !ok || got.Len() != n || got.At(0) != "a" || got.At(n-1) != "b" || len(got.Distinct()) != 2 {
		t.Fatalf("value %T %.80v", v, v)
	}
	if allocs > n/10 {
		t.Errorf("%v allocations for %d elements of two strings", allocs, n)
	}
}
