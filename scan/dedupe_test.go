package scan

import (
	"testing"

	"github.com/trustlint/trustlint/model"
)

func TestDedupe(t *testing.T) {
	at := func(line int) model.Range {
		return model.Range{File: "t.yaml", Start: model.Pos{Line: line, Column: 3}, End: model.Pos{Line: line, Column: 9}}
	}
	fs := []model.Finding{
		{RuleID: "TL001", Role: "A", Range: at(3), Path: "p"},
		{RuleID: "TL001", Role: "A", Range: at(3), Path: "p"}, // the same, from another Fn::If variant
		{RuleID: "TL001", Role: "B", Range: at(3), Path: "p"}, // another role sharing the element
		{RuleID: "TL003", Role: "B", Range: at(3), Path: "p"},
		{RuleID: "TL003", Role: "B", Range: at(4), Path: "q"},
		{RuleID: "TL003", Role: "B", Range: at(4), Path: "q2"}, // a variant that shifted list indexes
		{RuleID: "TL003", Role: "B", Range: at(4), Path: "q3", Message: "another value from the same node"},
	}
	got := dedupe(fs)
	if len(got) != 5 || got[1].Role != "B" || got[3].Range.Start.Line != 4 || got[4].Path != "q3" {
		t.Errorf("got %+v", got)
	}
}
