package cloudformation

import "testing"

func TestMatch(t *testing.T) {
	tests := []struct {
		name, path, src string
		ok              bool
		why             string
	}{
		{"format version", "t.yaml", "AWSTemplateFormatVersion: 2010-09-09\n", true, ""},
		{"format version mentioned", "t.yaml", "Description: not an AWSTemplateFormatVersion\n", false, WhyNotTemplate},
		{"format version in an IAM export", "roles.json", `{"Roles": [{"Description": "AWSTemplateFormatVersion"}], "AWSTemplateFormatVersion": 1}`, false, WhyNotTemplate},
		{"resources in an authorization details export", "auth.json", "\ufeff\n{\"UserDetailList\": [], \"Resources\": {\"R\": {\"Type\": \"x\"}}}", false, WhyNotTemplate},
		{"IAM key after the first", "t.json", `{"Description": "x", "Roles": [], "AWSTemplateFormatVersion": "2010-09-09"}`, false, WhyNotTemplate},
		{"format version after other keys", "t.json", `{"Description": "x", "AWSTemplateFormatVersion": "2010-09-09"}`, true, ""},
		{"format version JSON", "t.json", `{"AWSTemplateFormatVersion": "2010-09-09"}`, true, ""},
		{"resources with type", "t.yml", "Resources:\n  R:\n    Type: AWS::IAM::Role\n", true, ""},
		{"quoted resources key", "t.yml", "\"Resources\":\n  R: {Type: x}\n", true, ""},
		{"BOM", "t.yaml", "\ufeffResources:\n  R:\n    Type: AWS::IAM::Role\n", true, ""},
		{"CRLF", "t.template", "Description: x\r\nResources:\r\n  R:\r\n    Type: x\r\n", true, ""},
		{"JSON resources", "t.template", `{"Description": {"a": [1]}, "Resources": {"R": {"Type": "AWS::IAM::Role"}}}`, true, ""},
		{"JSON template named yaml", "t.yaml", ` {"Resources": {"R": {"Type": "x"}}}`, true, ""},
		{"broken JSON template", "t.json", `{"Resources": {"R": {"Type": "x"}`, true, ""},
		{"broken JSON before resources", "t.json", `{"x": [, "Resources": {"Type": 1}}`, true, ""},
		{"upper-case extension", "T.YAML", "Resources:\n  R: {Type: x}\n", true, ""},
		{"nested resources", "serverless.yml", "resources:\n  Resources:\n    R:\n      Type: x\n", false, WhyNotTemplate},
		{"resources without types", "t.yaml", "Resources:\n  - cpu\n", false, WhyNotTemplate},
		{"kubernetes", "deploy.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  resources: {}\n", false, WhyNotTemplate},
		{"trustlint config", ".trustlint.yaml", "own_account: \"111111111111\"\n", false, WhyNotTemplate},
		{"JSON Resources not an object", "t.json", `{"Resources": ["Type"]}`, false, WhyNotTemplate},
		{"JSON Resources without Type", "t.json", `{"Resources": {}, "Type": 1}`, false, WhyNotTemplate},
		{"JSON nested Resources", "t.json", `{"x": {"Resources": {"Type": 1}}}`, false, WhyNotTemplate},
		{"trust policy", "trust.json", `{"Statement": [{"Principal": "*"}]}`, false, WhyNotTemplate},
		{"Terraform JSON", "main.tf.json", `{"resource": {"Resources": {"Type": 1}}}`, false, WhyTerraformJSON},
		{"other extension", "t.txt", "AWSTemplateFormatVersion: x", false, WhyNotTemplateFile},
		{"empty", "t.yaml", "", false, WhyNotTemplate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := Parser{}.Match(tt.path, []byte(tt.src))
			if ok != tt.ok || why != tt.why {
				t.Errorf("got %v %q want %v %q", ok, why, tt.ok, tt.why)
			}
		})
	}
}

func TestExtensions(t *testing.T) {
	for _, e := range (Parser{}).Extensions() {
		if ok, why := (Parser{}).Match("x"+e, nil); ok || why == WhyNotTemplateFile {
			t.Errorf("%s: got %v %q", e, ok, why)
		}
	}
}
