package model

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPathString(t *testing.T) {
	tests := []struct {
		p    Path
		want string
	}{
		{Path{"policy", "Statement", 0, "Principal", "AWS", 1}, "policy.Statement[0].Principal.AWS[1]"},
		{Path{"policy", "Statement", 2, "Condition", "StringEquals", "sts:ExternalId", 0}, `policy.Statement[2].Condition.StringEquals["sts:ExternalId"][0]`},
		{Path{"role", "MaxSessionDuration"}, "role.MaxSessionDuration"},
		{Path{"policy", "Statement", 1.0}, "policy.Statement[1]"},
		{Path{"a", "9x", "_y"}, `a["9x"]._y`},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("got %s want %s", got, tt.want)
		}
	}
}

func TestSourceMapLookup(t *testing.T) {
	sm := NewSourceMap()
	stmt := Range{File: "f", Start: Pos{Line: 3, Column: 5}}
	aws := Range{File: "f", Start: Pos{Line: 4, Column: 7}}
	key := Range{File: "f", Start: Pos{Line: 5, Column: 7}}
	sm.Set(Path{"policy", "Statement", 0}, stmt)
	sm.Set(Path{"policy", "Statement", 0, "Principal", "AWS", 0}, aws)
	sm.SetKey(Path{"policy", "Statement", 0, "NotPrincipal"}, key)
	tests := []struct {
		p    Path
		key  bool
		want Range
		ok   bool
	}{
		{Path{"policy", "Statement", 0, "Principal", "AWS", 0}, false, aws, true},
		{Path{"policy", "Statement", 0, "Condition", "Bool"}, false, stmt, true}, // nearest ancestor
		{Path{"policy", "Statement", 0, "NotPrincipal"}, true, key, true},
		{Path{"policy", "Statement", 0, "NotPrincipal"}, false, stmt, true},
		{Path{"role"}, false, Range{}, false},
	}
	for _, tt := range tests {
		got, ok := sm.Lookup(tt.p, tt.key)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%s, %v) = %v %v, want %v %v", tt.p, tt.key, got, ok, tt.want, tt.ok)
		}
	}
	r := &Role{Range: Range{File: "role.json", Start: Pos{Line: 1, Column: 1}}, Source: sm}
	if got := r.Locate(Path{"role", "MaxSessionDuration"}, false); got != r.Range {
		t.Errorf("Locate falls back to the role: got %v", got)
	}
}

// naivePos computes the position of off the slow, obvious way.
func naivePos(src []byte, off int) Pos {
	off = min(max(off, 0), len(src))
	line, start := 1, 0
	for i, b := range src[:off] {
		if b == '\n' {
			line, start = line+1, i+1
		}
	}
	return Pos{Line: line, Column: 1 + utf8.RuneCount(src[start:off]), Byte: off}
}

// TestLineIndexPos checks LineIndex.Pos against naivePos for offsets
// visited forwards, backwards and at random, over text with CRLF, empty
// lines, multi-byte characters and an invalid byte.
func TestLineIndexPos(t *testing.T) {
	src := []byte("{\r\n  \"Sid\": \"Prüfer – 🚀\",\n\n\t\"x\": \"\xff\"}\n" + strings.Repeat("é", 40) + "\nend")
	orders := map[string][]int{}
	var fwd, back []int
	for i := -2; i <= len(src)+2; i++ {
		fwd = append(fwd, i)
		back = append([]int{i}, back...)
	}
	orders["forwards"], orders["backwards"] = fwd, back
	rnd := rand.New(rand.NewPCG(1, 2))
	var random []int
	for range 2000 {
		random = append(random, rnd.IntN(len(src)+1))
	}
	orders["random"] = random
	for name, offs := range orders {
		t.Run(name, func(t *testing.T) {
			x := NewLineIndex("f.json", src)
			for _, off := range offs {
				if got, want := x.Pos(off), naivePos(src, off); got != want {
					t.Fatalf("offset %d: got %+v want %+v", off, got, want)
				}
			}
		})
	}
	if got := NewLineIndex("f.json", src).Range(3, 5); got.File != "f.json" || got.Start.Line != 2 || got.End.Column != 3 {
		t.Errorf("Range(3, 5) = %+v", got)
	}
}

// TestLineIndexLongLine checks that positions on one very long line are
// found in linear time: the test would take minutes if every lookup
// rescanned the line.
func TestLineIndexLongLine(t *testing.T) {
	src := []byte(strings.Repeat(`"é",`, 1<<20))
	x := NewLineIndex("min.json", src)
	for off := 0; off < len(src); off += 5 {
		x.Pos(off)
	}
	if got, want := x.Pos(len(src)), (Pos{Line: 1, Column: 4<<20 + 1, Byte: len(src)}); got != want {
		t.Errorf("got %+v want %+v", got, want)
	}
}

// TestLineIndexFork checks that a fork answers as the index does and that
// the two cursors move apart: the fork counts on from where the index
// was, the index is not moved by the fork.
func TestLineIndexFork(t *testing.T) {
	src := []byte("{\n  \"a\": [\"é\", 1,\n 2]}\n")
	x := NewLineIndex("f.json", src)
	x.Pos(10)
	f := x.Fork()
	for off := 10; off <= len(src); off++ {
		if got, want := f.Pos(off), naivePos(src, off); got != want {
			t.Fatalf("fork: offset %d: got %+v want %+v", off, got, want)
		}
	}
	if x.off != 10 || f.off != len(src) || f.File() != "f.json" {
		t.Errorf("cursors at %d and %d (file %q), want 10 and %d", x.off, f.off, f.File(), len(src))
	}
}

func TestLineIndexLine(t *testing.T) {
	x := NewLineIndex("f", []byte("ab\r\nçd\n\nx"))
	tests := []struct {
		n     int
		text  string
		start int
		ok    bool
	}{{1, "ab", 0, true}, {2, "çd", 4, true}, {3, "", 8, true}, {4, "x", 9, true}, {5, "", 0, false}, {0, "", 0, false}}
	for _, tt := range tests {
		line, start, ok := x.Line(tt.n)
		if string(line) != tt.text || start != tt.start || ok != tt.ok {
			t.Errorf("Line(%d) = %q, %d, %v want %q, %d, %v", tt.n, line, start, ok, tt.text, tt.start, tt.ok)
		}
	}
}

func TestUnknownAndLevels(t *testing.T) {
	if !IsUnknown(Unknown("var.x")) || IsUnknown(map[string]any{"AWS": "x"}) || IsUnknown("x") {
		t.Error("IsUnknown")
	}
	for score, want := range map[float64]string{9.5: "critical", 9: "critical", 8: "high", 6.5: "medium", 4: "medium", 3: "low"} {
		if got := SeverityLevel(score); got != want {
			t.Errorf("SeverityLevel(%v) = %s want %s", score, got, want)
		}
	}
	if LevelRank("high") <= LevelRank("medium") || LevelRank("bogus") != 0 {
		t.Error("LevelRank order")
	}
	d := Diagnostic{Range: Range{File: "a.tf"}, Message: "m", Level: DiagNote}
	if d.IsError() || d.Error() != "a.tf: m" || !(Diagnostic{}).IsError() {
		t.Error("Diagnostic")
	}
}

func TestSortFindings(t *testing.T) {
	f := func(file string, line, col int, rule, msg, role string) Finding {
		return Finding{
			RuleID: rule, Message: msg, Role: role,
			Range: Range{File: file, Start: Pos{Line: line, Column: col}},
		}
	}
	want := []Finding{
		f("a.tf", 1, 1, "TL003", "m", "r"),
		f("a.tf", 2, 1, "TL001", "m", "r"),
		f("a.tf", 2, 5, "TL001", "m", "r"),
		f("a.tf", 10, 1, "TL001", "m", "r"),
		f("a.tf", 10, 1, "TL002", "a", "r"),
		f("a.tf", 10, 1, "TL002", "b", "r"),
		f("a.tf", 10, 1, "TL002", "b", "s"),
		f("b.tf", 1, 1, "TL001", "m", "r"), // plain string order: '.' < '/'
		f("b/a.tf", 1, 1, "TL001", "m", "r"),
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	got[0], got[4] = got[4], got[0]
	SortFindings(got)
	if !slices.EqualFunc(got, want, func(a, b Finding) bool { return a.String() == b.String() }) {
		t.Errorf("SortFindings:\ngot  %v\nwant %v", got, want)
	}
}

func TestAccountOf(t *testing.T) {
	tests := []struct{ arn, want string }{
		{"arn:aws:iam::123456789012:role/x", "123456789012"},
		{"arn:aws-cn:iam::123456789012:role/x", "123456789012"},
		{"arn:aws-us-gov:iam::123456789012:role/a/b", "123456789012"},
		{"arn:aws-iso:iam::123456789012:role/x", "123456789012"},
		{"arn:aws-iso-b:iam::123456789012:role/x", "123456789012"},
		{"arn:aws:iam::12345678901:role/x", ""},
		{"arn:aws:iam::1234567890123:role/x", ""},
		{"arn:aws:iam::12345678901a:role/x", ""},
		{"arn:azure:iam::123456789012:role/x", ""},
		{"arn:aws:iam::123456789012", ""},
		{"role/x", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := AccountOf(tt.arn); got != tt.want {
			t.Errorf("AccountOf(%q): got %q want %q", tt.arn, got, tt.want)
		}
	}
}

func TestQuote(t *testing.T) {
	long := strings.Repeat("A", 300)
	tests := []struct{ in, want string }{
		{"aws_iam_role.ci", "aws_iam_role.ci"},
		{`module.vendor["acme"].aws_iam_role.r`, `"module.vendor[\"acme\"].aws_iam_role.r"`},
		{"a\x1b[31mb", `"a\x1b[31mb"`},
		{long, strings.Repeat("A", 79) + "…"},
		{strings.Repeat("é", 100), `"` + strings.Repeat("é", 79) + `…"`},
		{"", `""`},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%.20q…) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
