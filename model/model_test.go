package model

import "testing"

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

func TestLineIndex(t *testing.T) {
	src := []byte("ab\r\nçd\n\nx")
	x := NewLineIndex(src)
	tests := []struct {
		off       int
		line, col int
	}{{0, 1, 1}, {1, 1, 2}, {4, 2, 1}, {6, 2, 2}, {8, 3, 1}, {9, 4, 1}, {99, 4, 2}}
	for _, tt := range tests {
		if p := x.Pos(tt.off); p.Line != tt.line || p.Column != tt.col {
			t.Errorf("Pos(%d) = %d:%d want %d:%d", tt.off, p.Line, p.Column, tt.line, tt.col)
		}
	}
	if x.Line(1) != "ab" || x.Line(2) != "çd" || x.Line(5) != "" {
		t.Errorf("Line: %q %q", x.Line(1), x.Line(2))
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
