package scan

import (
	"reflect"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestParseInlineRuleList checks the rule list of a trustlint:ignore
// comment: a comment with no rule names after "ignore" (nothing, white
// space, commas) is no suppression, and rules are split at commas and any
// white space the pattern accepts.
func TestParseInlineRuleList(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // nil: no suppression
	}{
		{"# trustlint:ignore", nil},
		{"# trustlint:ignore  ", nil},
		{"# trustlint:ignore \t", nil},
		{"// trustlint:ignore , ,", nil},
		{"# trustlint:ignore  -- a reason", []string{"--", "a", "reason"}}, // words that name no rule: noted
		{"# trustlint:ignore TL001 -- r", []string{"TL001"}},
		{"# trustlint:ignore TL001,\fTL002\r -- r", []string{"TL001", "TL002"}},
	} {
		c := model.Comment{Range: model.Range{File: "f.tf", Start: model.Pos{Line: 3, Column: 5}}, Text: tc.text, Alone: true, Next: 4}
		var got []string
		list := parseInline([]model.Comment{c})
		for _, in := range list {
			got = append(got, in.rules...)
		}
		if !reflect.DeepEqual(got, tc.want) || (tc.want == nil) != (len(list) == 0) {
			t.Errorf("%q: rules %q (%d suppressions), want %q", tc.text, got, len(list), tc.want)
		}
	}
}
