package cloudformation

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestForEach checks that Fn::ForEach loops yield one role per element,
// named by the expanded logical ID, in YAML and JSON, and that a loop that
// cannot be expanded is a note.
func TestForEach(t *testing.T) {
	tests := []struct {
		name, file, src string
		roles           []string // name and principal
		notes           []string
	}{
		{
			name: "literal list, &{} and ${}",
			file: "t.yaml",
			src: `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Partners:
    - Account
    - ["111122223333", "arn:aws:iam::444455556666:role/ops"]
    - Partner&{Account}:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Principal: {AWS: [!Ref Account, !Sub "${Account}"]}}
`,
			roles: []string{
				`Partner111122223333 ["111122223333","111122223333"]`,
				`Partnerarnawsiam444455556666roleops ["arn:aws:iam::444455556666:role/ops","arn:aws:iam::444455556666:role/ops"]`,
			},
		},
		{
			name: "parameter default and nested loops, in JSON",
			file: "t.json",
			src: `{
  "Transform": "AWS::LanguageExtensions",
  "Parameters": {"Accounts": {"Type": "List<String>", "Default": "111122223333, 444455556666"}},
  "Resources": {
    "Fn::ForEach::Envs": ["Env", ["dev", "prod"], {
      "Fn::ForEach::Accounts": ["Acct", {"Ref": "Accounts"}, {
        "${Env}Role${Acct}": {
          "Type": "AWS::IAM::Role",
          "Properties": {"AssumeRolePolicyDocument": {"Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${Acct}:role/${Env}"}}}
          ]}}
        }
      }]
    }]
  }
}`,
			roles: []string{
				`devRole111122223333 ["arn:aws:iam::111122223333:role/dev"]`,
				`devRole444455556666 ["arn:aws:iam::444455556666:role/dev"]`,
				`prodRole111122223333 ["arn:aws:iam::111122223333:role/prod"]`,
				`prodRole444455556666 ["arn:aws:iam::444455556666:role/prod"]`,
			},
		},
		{
			name: "collections that are not static",
			file: "t.yaml",
			src: `Parameters:
  Unset: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::A: [X, !Ref Unset, {"R&{X}": {Type: AWS::IAM::Role}}]
  Fn::ForEach::B: [X, [a, !ImportValue b], {"R&{X}": {Type: AWS::IAM::Role}}]
  Fn::ForEach::C: {X: y}
`,
			notes: []string{
				"4:23-4:33 Fn::ForEach::A loops over !Ref Unset, which is not known statically: its resources are not analyzed",
				"5:23-5:42 Fn::ForEach::B loops over [a, !ImportValue b], which is not known statically: its resources are not analyzed",
				"6:19-6:25 Fn::ForEach::C is not [identifier, collection, {output key: template}]: its resources are not analyzed",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var roles []*model.Role
			diags := Parser{}.Parse(tt.file, []byte(tt.src), func(r *model.Role) { roles = append(roles, r) })
			var got, notes []string
			for _, r := range roles {
				checkRole(t, r, tt.file, []byte(tt.src))
				p := r.Input()["policy"].(map[string]any)["Statement"].([]any)[0].(map[string]any)["Principal"].(map[string]any)["AWS"]
				got = append(got, r.Name+" "+strings.TrimSpace(jsonOf(t, p)))
			}
			for _, d := range diags {
				if d.Level != model.DiagNote {
					t.Errorf("not a note: %s", d.Error())
				}
				notes = append(notes, span(d.Range)+" "+d.Message)
			}
			if !reflect.DeepEqual(got, tt.roles) {
				t.Errorf("roles:\ngot  %q\nwant %q", got, tt.roles)
			}
			if !reflect.DeepEqual(notes, tt.notes) {
				t.Errorf("notes:\ngot  %q\nwant %q", notes, tt.notes)
			}
		})
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
