package cloudformation

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/tree"
)

// yamlHeader is a template whose role R's policy has one member X, set to
// the expression under test.
const yamlHeader = `Parameters:
  Known: {Type: String, Default: "111111111111"}
  Unset: {Type: String}
  Num: {Type: Number, Default: 7200}
  NumStr: {Type: String, Default: 7200}
  List: {Type: CommaDelimitedList, Default: "a, b,c"}
  SSM: {Type: "AWS::SSM::Parameter::Value<String>", Default: /x}
Mappings:
  M:
    k1: {k2: v, list: [x, y], num: 5}
    Known: {"111111111111": by-param}
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  P: {Type: AWS::IAM::OIDCProvider, Properties: {Url: https://h.example/id/1}}
  S: {Type: AWS::IAM::SAMLProvider, Properties: {Name: corp}}
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        X: %s
`

const jsonHeader = `{
  "Parameters": {"Known": {"Type": "String", "Default": "111111111111"}, "Unset": {"Type": "String"}},
  "Mappings": {"M": {"k1": {"k2": "v"}}},
  "Resources": {
    "Bucket": {"Type": "AWS::S3::Bucket"},
    "P": {"Type": "AWS::IAM::OIDCProvider", "Properties": {"Url": "https://h.example"}},
    "R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"X": %s}}}
  }
}`

// absent stands for a member that resolved to AWS::NoValue.
const absent = "<absent>"

// resolveX parses a template made from header and expr and returns the
// value of X.
func resolveX(t *testing.T, file, header, expr string) any {
	t.Helper()
	src := []byte(fmt.Sprintf(header, expr))
	roles, diags := parseAll(t, file, src)
	if len(diags) > 0 || len(roles) != 1 {
		t.Fatalf("got %d roles, diagnostics %q", len(roles), diags)
	}
	doc, ok := roles[0].Policy.(map[string]any)
	if !ok {
		t.Fatalf("policy %#v", roles[0].Policy)
	}
	v, ok := doc["X"]
	if !ok {
		return absent
	}
	return v
}

const providerARN = "arn:aws:iam::<own-account>:oidc-provider/h.example/id/1"

func TestIntrinsicsYAML(t *testing.T) {
	unknown := model.Unknown
	tests := []struct {
		expr string
		want any
	}{
		// Ref
		{`!Ref Known`, "111111111111"},
		{`!Ref Unset`, unknown("!Ref Unset")},
		{`!Ref Num`, "7200"},
		{`!Ref NumStr`, "7200"},
		{`!Ref List`, []any{"a", "b", "c"}},
		{`!Ref SSM`, unknown("!Ref SSM")},
		{`!Ref AWS::AccountId`, model.OwnAccountToken},
		{`!Ref AWS::Partition`, "aws"},
		{`!Ref AWS::Region`, unknown("!Ref AWS::Region")},
		{`!Ref AWS::URLSuffix`, "amazonaws.com"},
		{`!Sub "ec2.${AWS::URLSuffix}"`, "ec2.amazonaws.com"},
		{`!Ref AWS::StackName`, unknown("!Ref AWS::StackName")},
		{`!Ref AWS::NoValue`, absent},
		{`!Ref Bucket`, unknown("!Ref Bucket")},
		{`!Ref Nope`, unknown("!Ref Nope")},
		{`!Ref [x]`, unknown("!Ref [x]")},
		{`{Ref: Known}`, "111111111111"},
		{`{Ref: Known, Extra: 1}`, map[string]any{"Ref": "Known", "Extra": "1"}},
		// Identity providers
		{`!Ref P`, providerARN},
		{`!GetAtt P.Arn`, providerARN},
		{`!GetAtt [S, Arn]`, "arn:aws:iam::<own-account>:saml-provider/corp"},
		{`!GetAtt P.Url`, unknown("!GetAtt P.Url")},
		{`!GetAtt Bucket.Arn`, unknown("!GetAtt Bucket.Arn")},
		{`!GetAtt Bucket`, unknown("!GetAtt Bucket")},
		// Fn::Sub
		{`!Sub "a-${Known}-${AWS::AccountId}"`, "a-111111111111-<own-account>"},
		{`!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root`, "arn:aws:iam::<own-account>:root"},
		{`!Sub "${!Literal}-x"`, "${Literal}-x"},
		{`!Sub ["${A}/${B}", {A: !Ref Known, B: x}]`, "111111111111/x"},
		{`!Sub ["${A}", {A: !Ref Unset}]`, unknown("${Unset}")},
		{`!Sub ["${A}", {A: !ImportValue exp}]`, unknown("${!ImportValue exp}")},
		{`!Sub ["${A}", {A: [1]}]`, unknown("${A}")},
		{`!Sub ["${A}", {A: true}]`, "true"},
		{`!Sub ["${A}", {A: !Ref AWS::NoValue}]`, unknown("${A}")},
		{`!Sub "arn:aws:iam::${Unset}:root"`, unknown("arn:aws:iam::${Unset}:root")},
		{`!Sub "${Bucket.Arn}/*"`, unknown("${Bucket.Arn}/*")},
		{`!Sub "${AWS::Region}"`, unknown("${AWS::Region}")},
		{`!Sub "${AWS::NoValue}"`, unknown("${AWS::NoValue}")},
		{`!Sub "${P}"`, providerARN},
		{`!Sub "${Num}s"`, "7200s"},
		{`!Sub "unterminated ${x"`, "unterminated ${x"},
		{`!Sub [a]`, unknown("!Sub [a]")},
		{`!Sub [a, b]`, unknown("!Sub [a, b]")},
		{`!Sub [!Ref Known, {}]`, unknown("!Sub [!Ref Known, {}]")},
		{`{"Fn::Sub": "x"}`, "x"},
		// Fn::Join
		{`!Join [":", [a, !Ref Known, 3]]`, "a:111111111111:3"},
		{`!Join ["", [a, !Ref AWS::NoValue, b]]`, "ab"},
		{`!Join [",", !Ref List]`, "a,b,c"},
		{`!Join [",", !Ref Unset]`, unknown(`!Join [",", !Ref Unset]`)},
		{`!Join ["-", [a, !Ref Unset]]`, unknown("a-${Unset}")},
		{`!Join ["-", [a, !GetAZs ""]]`, unknown(`a-${!GetAZs ""}`)},
		{`!Join [!Ref Unset, [a, b]]`, unknown("!Join [!Ref Unset, [a, b]]")},
		{`!Join ["-", a]`, unknown(`!Join ["-", a]`)},
		{`!Join ["", [!Sub "${Unset}", x]]`, unknown("${Unset}x")},
		// Fn::Select, Fn::Split
		{`!Select [1, [a, b, c]]`, "b"},
		{`!Select ["0", !Ref List]`, "a"},
		{`!Select [5, [a]]`, unknown("!Select [5, [a]]")},
		{`!Select [x, [a]]`, unknown("!Select [x, [a]]")},
		{`!Select [0, !GetAZs ""]`, unknown(`!Select [0, !GetAZs ""]`)},
		{`!Select [0, !Split [",", !Sub "${Known},z"]]`, "111111111111"},
		{`!Split [",", "a,b"]`, []any{"a", "b"}},
		{`!Split [",", !Ref Unset]`, unknown(`!Split [",", !Ref Unset]`)},
		{`!Split ["", abc]`, unknown(`!Split ["", abc]`)},
		// Fn::FindInMap
		{`!FindInMap [M, k1, k2]`, "v"},
		{`!FindInMap [M, k1, list]`, []any{"x", "y"}},
		{`!FindInMap [M, k1, num]`, "5"},
		{`!FindInMap [M, Known, !Ref Known]`, "by-param"},
		{`!FindInMap [M, k1, nope]`, unknown("!FindInMap [M, k1, nope]")},
		{`!FindInMap [Nope, k1, k2]`, unknown("!FindInMap [Nope, k1, k2]")},
		{`!FindInMap [M, k1, nope, {DefaultValue: d}]`, "d"},
		{`!FindInMap [M, !Ref Unset, k2]`, unknown("!FindInMap [M, !Ref Unset, k2]")},
		// Fn::Base64 and what is never static
		{`!Base64 abc`, "YWJj"},
		{`!Base64 {Ref: Unset}`, unknown("!Base64 !Ref Unset")},
		{`!ImportValue shared-account`, unknown("!ImportValue shared-account")},
		{`!GetAZs ""`, unknown(`!GetAZs ""`)},
		{`!Cidr [10.0.0.0/16, 4, 8]`, unknown("!Cidr [10.0.0.0/16, 4, 8]")},
		{`!Equals [a, b]`, unknown("!Equals [a, b]")},
		{`!Transform {Name: x}`, unknown("!Transform {Name: x}")},
		{`!Foo bar`, unknown("!Foo bar")},
		{`!Foo [bar]`, unknown("!Foo [bar]")},
		// AWS::NoValue in collections
		{`[!Ref AWS::NoValue, a]`, []any{"a"}},
		{`{a: !Ref AWS::NoValue, b: c}`, map[string]any{"b": "c"}},
		// Plain YAML scalars
		{`2012-10-17`, "2012-10-17"},
		{`0x1F`, "31"},
		{`1_000`, "1000"},
		{`.inf`, ".inf"},
		{`True`, true},
		{`yes`, "yes"},
		{`~`, nil},
		{`!!str 12`, "12"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			if got := resolveX(t, "t.yaml", yamlHeader, tt.expr); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v want %#v", got, tt.want)
			}
		})
	}
}

func TestIntrinsicsJSON(t *testing.T) {
	unknown := model.Unknown
	tests := []struct {
		expr string
		want any
	}{
		{`{"Ref": "Known"}`, "111111111111"},
		{`{"Ref": "Unset"}`, unknown("!Ref Unset")},
		{`{"Fn::GetAtt": ["P", "Arn"]}`, "arn:aws:iam::<own-account>:oidc-provider/h.example"},
		{`{"Fn::GetAtt": "P.Arn"}`, "arn:aws:iam::<own-account>:oidc-provider/h.example"},
		{`{"Fn::GetAtt": ["Bucket", "Arn"]}`, unknown("!GetAtt Bucket.Arn")},
		{`{"Fn::Sub": ["${A}:${B}", {"A": {"Ref": "Unset"}, "B": "b"}]}`, unknown("${Unset}:b")},
		{`{"Fn::Sub": "\u0061${AWS::AccountId}"}`, "a<own-account>"},
		{`{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":root"]]}`, "arn:aws:iam::<own-account>:root"},
		{`{"Fn::FindInMap": ["M", "k1", "k2"]}`, "v"},
		{`{"Fn::ImportValue": "shared account"}`, unknown(`!ImportValue "shared account"`)},
		{`{"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-x"}}`, unknown("!ImportValue !Sub ${AWS::StackName}-x")},
		{`{"Fn::If": ["C", 1, 2], "Other": 3}`, map[string]any{"Fn::If": []any{"C", "1", "2"}, "Other": "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			if got := resolveX(t, "t.json", jsonHeader, tt.expr); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v want %#v", got, tt.want)
			}
		})
	}
}

// TestDocumentForms checks the forms an AssumeRolePolicyDocument may take.
func TestDocumentForms(t *testing.T) {
	const header = "Parameters:\n  Doc: {Type: String, Default: '{\"Statement\": []}'}\n  Unset: {Type: String}\n" +
		"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: %s\n"
	tests := []struct {
		doc  string
		want string // the rule input, without the role attributes every role has
	}{
		{`!Ref Doc`, `{"policy":{"Statement":[]}}`},
		{`!Ref Unset`, `{"policy":{"$unknown":"!Ref Unset"}}`},
		{`!Ref AWS::NoValue`, `{}`},
		{`null`, `{}`},
		{`!ToJsonString {Statement: []}`, `{"policy":{"Statement":[]}}`},
		{`!Join ["", ['{"Statement": [', !Ref Unset, ']}']]`, `{"policy":{"$unknown":"{\"Statement\": [${Unset}]}"}}`},
		{`!Join ["", ['{"Statement": ["', !Ref Unset, '"]}']]`, `{"policy":{"Statement":[{"$unknown":"${Unset}"}]}}`},
		{`!Sub "not json ${Unset}"`, `{"policy":{"$unknown":"not json ${Unset}"}}`},
		{`!Sub "not json"`, `{"policy":"not json"}`},
		{`!Sub '%7B%22Statement%22%3A[]%7D'`, `{"policy":{"Statement":[]}}`},
		{`42`, `{"policy":42}`},
	}
	for _, tt := range tests {
		t.Run(tt.doc, func(t *testing.T) {
			roles, diags := parseAll(t, "t.yaml", []byte(fmt.Sprintf(header, tt.doc)))
			if len(roles) != 1 || len(diags) > 0 {
				t.Fatalf("got %d roles, diagnostics %q", len(roles), diags)
			}
			if got := strings.TrimPrefix(summary(roles[0]), "R 5:3-8:"); !strings.HasSuffix(got, " "+tt.want) {
				t.Errorf("got %s want %s", got, tt.want)
			}
		})
	}
}

// TestIntrinsicRanges checks that values produced by intrinsic functions
// point at the function.
func TestIntrinsicRanges(t *testing.T) {
	tests := []struct {
		expr string
		want []string // the range of X in each variant of the role
	}{
		{`!Ref Known`, []string{"20:12-20:22"}},
		{`!Sub "${Known}"`, []string{"20:12-20:27"}},
		{`!Split [",", "a,b"]`, []string{"20:12-20:31"}},
		{`!If [C, !Ref Known, x]`, []string{"20:32-20:33", "20:20-20:30"}},
		{`[!Ref AWS::NoValue, !Ref AWS::AccountId]`, []string{"20:12-20:52"}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			src := []byte(fmt.Sprintf(yamlHeader, tt.expr))
			roles, _ := parseAll(t, "t.yaml", src)
			var got []string
			for _, r := range roles {
				got = append(got, span(r.Source.ValueMap()["policy.X"]))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %s want %s", got, tt.want)
			}
		})
	}
}

func TestRender(t *testing.T) {
	str := func(s string) *tree.Node { return &tree.Node{Kind: tree.String, Str: s} }
	fn := func(name string, arg *tree.Node) *tree.Node {
		return &tree.Node{Kind: tree.Object, Members: []tree.Member{{Key: name, Value: arg}}}
	}
	arr := func(elems ...*tree.Node) *tree.Node { return &tree.Node{Kind: tree.Array, Elems: elems} }
	tests := []struct {
		n    *tree.Node
		want string
	}{
		{fn("Ref", str("X")), "!Ref X"},
		{fn("Fn::GetAtt", arr(str("A"), str("Arn"))), "!GetAtt A.Arn"},
		{fn("Fn::GetAtt", arr(str("A"))), "!GetAtt [A]"},
		{fn("Fn::Select", arr(&tree.Node{Kind: tree.Number, Str: "0"}, fn("Fn::GetAZs", str("")))), `!Select [0, !GetAZs ""]`},
		{str("has space"), `"has space"`},
		{str("!bang"), `"!bang"`},
		{str("arn:aws:iam::${X}:root"), "arn:aws:iam::${X}:root"},
		{&tree.Node{Kind: tree.Object, Members: []tree.Member{{Key: "a b", Value: &tree.Node{Kind: tree.Bool, Bool: true}}, {Key: "n", Value: nil}}}, `{"a b": true, n: null}`},
		{&tree.Node{Kind: tree.Null}, "null"},
		{nil, "null"},
		{str(strings.Repeat("é", 200)), `"` + strings.Repeat("é", 127) + "..."},
	}
	for _, tt := range tests {
		if got := render(tt.n); got != tt.want {
			t.Errorf("got %q want %q", got, tt.want)
		}
	}
}

// TestVariants checks the roles emitted for templates whose documents use
// Fn::If: one per feasible assignment of the conditions, at most
// MaxVariants, with parameters consistent with the assignment.
func TestVariants(t *testing.T) {
	tests := []struct {
		name       string
		params     string // entries of Parameters
		conditions string // entries of Conditions
		x          string
		want       []any // X of each variant, in order
	}{
		{
			name:       "one condition",
			params:     "P: {Type: String}",
			conditions: "C: !Equals [!Ref P, on]",
			x:          "!If [C, a, b]",
			want:       []any{"a", "b"},
		},
		{
			name:       "the Default is used when the branch allows it, the literal when it forces it",
			params:     "P: {Type: String, Default: off}",
			conditions: "C: !Equals [!Ref P, on]",
			x:          "!If [C, !Sub '1-${P}', !Sub '2-${P}']",
			want:       []any{"1-on", "2-off"},
		},
		{
			name:       "a Default that contradicts the branch is unknown",
			params:     "P: {Type: String, Default: on}",
			conditions: "C: !Equals [!Ref P, on]",
			x:          "!If [C, !Ref P, !Ref P]",
			want:       []any{"on", model.Unknown("!Ref P")},
		},
		{
			name:       "exclusive conditions on one parameter",
			params:     "P: {Type: String}",
			conditions: "A: !Equals [!Ref P, a]\n  B: !Equals [!Ref P, b]",
			x:          "[!If [A, a, !Ref AWS::NoValue], !If [B, b, !Ref AWS::NoValue]]",
			want:       []any{[]any{"a"}, []any{"b"}, []any{}},
		},
		{
			name:       "Not, And, Or and Condition",
			params:     "P: {Type: String}\n  Q: {Type: String}",
			conditions: "A: !Equals [!Ref P, a]\n  N: !Not [!Condition A]\n  Both: !And [!Condition A, !Equals [!Ref Q, q]]\n  Any: !Or [!Condition N, !Condition Both]",
			x:          "[!If [N, n, !Ref AWS::NoValue], !If [Any, any, !Ref AWS::NoValue]]",
			want:       []any{[]any{"any"}, []any{"n", "any"}, []any{}},
		},
		{
			name:       "two symbols compared",
			params:     "P: {Type: String}\n  Q: {Type: String}",
			conditions: "Same: !Equals [!Ref P, !Ref Q]\n  Self: !Equals [!Ref P, !Ref P]",
			x:          "[!If [Same, s, t], !If [Self, y, n]]",
			want:       []any{[]any{"t", "y"}, []any{"s", "y"}},
		},
		{
			name:       "static conditions",
			conditions: "Yes: !Equals [!Sub 'a', !Join ['', [a]]]\n  No: !Equals [!Select [0, [x]], y]",
			x:          "[!If [Yes, yes, !Ref AWS::NoValue], !If [No, no, !Ref AWS::NoValue]]",
			want:       []any{[]any{"yes"}},
		},
		{
			name:       "cycles and undefined conditions are free",
			conditions: "C1: !Condition C2\n  C2: !Not [!Condition C1]",
			x:          "[!If [C1, c1, !Ref AWS::NoValue], !If [Nope, nope, !Ref AWS::NoValue]]",
			want:       []any{[]any{"c1"}, []any{}, []any{"c1", "nope"}, []any{"nope"}},
		},
		{
			name:       "the same condition twice is one choice",
			params:     "P: {Type: String}",
			conditions: "C: !Equals [!Ref P, on]",
			x:          "[!If [C, a, b], !If [C, c, d]]",
			want:       []any{[]any{"a", "c"}, []any{"b", "d"}},
		},
		{
			name:       "nested Fn::If",
			params:     "P: {Type: String}",
			conditions: "A: !Equals [!Ref P, a]\n  B: !Equals [!Ref P, b]",
			x:          "!If [A, a, !If [B, b, other]]",
			want:       []any{"a", "b", "other"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "Parameters:\n  Z: {Type: String}\n  " + tt.params + "\nConditions:\n  Z0: !Equals [a, b]\n  " + tt.conditions +
				"\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        X: " + tt.x + "\n"
			roles, diags := parseAll(t, "t.yaml", []byte(src))
			if len(diags) > 0 {
				t.Fatalf("diagnostics %q", diags)
			}
			var got []any
			for _, r := range roles {
				got = append(got, r.Policy.(map[string]any)["X"])
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// TestVariantLimits checks the bound on variants: up to MaxVariants every
// combination is analyzed; beyond, MaxVariants of them are, every branch of
// every condition among them, and a note says so (also when the conditions
// are too many to enumerate: a role never loses its Fn::Ifs).
func TestVariantLimits(t *testing.T) {
	build := func(n int) string {
		var b strings.Builder
		b.WriteString("Parameters:\n")
		for i := range n {
			fmt.Fprintf(&b, "  P%d: {Type: String}\n", i)
		}
		b.WriteString("Conditions:\n")
		for i := range n {
			fmt.Fprintf(&b, "  C%d: !Equals [!Ref P%d, on]\n", i, i)
		}
		b.WriteString("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        X:\n")
		for i := range n {
			fmt.Fprintf(&b, "          - !If [C%d, on%d, off%d]\n", i, i, i)
		}
		return b.String()
	}
	tests := []struct {
		conditions, variants int
		note                 bool
	}{
		{5, 32, false},
		{6, 64, false},
		{7, MaxVariants, true},
		{20, MaxVariants, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.conditions), func(t *testing.T) {
			roles, diags := parseAll(t, "t.yaml", []byte(build(tt.conditions)))
			if len(roles) != tt.variants {
				t.Fatalf("got %d variants, want %d", len(roles), tt.variants)
			}
			wantDiags := []string(nil)
			if tt.note {
				wantDiags = []string{fmt.Sprintf("%d:3-%d: role R: its Fn::If conditions combine in more than 64 ways; 64 combinations are analyzed",
					2*tt.conditions+4, 3*tt.conditions+8)}
			}
			for i, d := range diags { // the column where the role ends does not matter here
				if a, b, ok := strings.Cut(d, " "); ok {
					diags[i] = a[:strings.LastIndexByte(a, ':')+1] + " " + b
				}
			}
			if !reflect.DeepEqual(diags, wantDiags) {
				t.Errorf("diagnostics %q, want %q", diags, wantDiags)
			}
			seen := map[string]bool{}
			combos := map[string]bool{}
			for _, r := range roles {
				x := r.Policy.(map[string]any)["X"].([]any)
				combos[fmt.Sprint(x)] = true
				for _, v := range x {
					seen[v.(string)] = true
				}
			}
			if len(combos) != len(roles) {
				t.Errorf("%d variants repeat a combination", len(roles)-len(combos))
			}
			for i := range tt.conditions {
				for _, v := range []string{"on", "off"} {
					if !seen[fmt.Sprintf("%s%d", v, i)] {
						t.Errorf("branch %s%d not analyzed", v, i)
					}
				}
			}
		})
	}
}
