package model

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCut(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:root"},
		{strings.Repeat("a", QuoteLimit), strings.Repeat("a", QuoteLimit)},
		{strings.Repeat("a", QuoteLimit+1), strings.Repeat("a", QuoteLimit-1) + "…"},
		// Characters, not bytes: 80 two-byte letters are not cut.
		{strings.Repeat("é", QuoteLimit), strings.Repeat("é", QuoteLimit)},
		{strings.Repeat("é", 500), strings.Repeat("é", QuoteLimit-1) + "…"},
	} {
		got := Cut(tc.in)
		if got != tc.want {
			t.Errorf("Cut(%d characters) = %q, want %q", utf8.RuneCountInString(tc.in), got, tc.want)
		}
		if utf8.RuneCountInString(got) > QuoteLimit {
			t.Errorf("Cut gives %d characters", utf8.RuneCountInString(got))
		}
	}
	if got := Quote(strings.Repeat("x", 200)); got != strings.Repeat("x", QuoteLimit-1)+"…" {
		t.Errorf("Quote does not cut as Cut does: %q", got)
	}
	if got := CutID(strings.Repeat("x", IDLimit)); len(got) != IDLimit {
		t.Errorf("CutID cut an identifier of IDLimit characters to %d", len(got))
	}
	if got := CutID(strings.Repeat("x", IDLimit+1)); got != strings.Repeat("x", IDLimit-1)+"…" {
		t.Errorf("CutID of IDLimit+1 characters = %d characters", utf8.RuneCountInString(got))
	}
}

func TestCutValue(t *testing.T) {
	long := strings.Repeat("1", IDLimit+300)
	short := map[string]any{"Statement": []any{map[string]any{"Principal": map[string]any{"AWS": []any{"111122223333"}}}}}
	if got := CutValue(short); !reflect.DeepEqual(got, short) {
		t.Errorf("a short value changed: %v", got)
	}
	list := make([]any, ShownValues+7)
	for i := range list {
		list[i] = "v"
	}
	in := map[string]any{
		"keep":  []any{"a", true, 1.5, nil},
		long:    "key",
		"value": long,
		"list":  list,
		"unknown": map[string]any{
			UnknownKey: long,
		},
	}
	got := CutValue(in).(map[string]any)
	cut := CutID(long)
	want := map[string]any{
		"keep":    []any{"a", true, 1.5, nil},
		cut:       "key",
		"value":   cut,
		"list":    append(append([]any{}, list[:ShownValues]...), "… 7 more"),
		"unknown": map[string]any{UnknownKey: Cut(long)},
	}
	// An ARN longer than QuoteLimit but within IDLimit is an identifier
	// the report shows whole.
	arn := "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/409D360250843242168B1625746F7891"
	if got := CutValue([]any{arn}); got.([]any)[0] != arn {
		t.Errorf("CutValue cut an ARN of %d characters: %v", len(arn), got)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CutValue =\n%v\nwant\n%v", got, want)
	}
	if in["value"] != long || len(in["list"].([]any)) != ShownValues+7 {
		t.Error("CutValue changed its argument")
	}
}
