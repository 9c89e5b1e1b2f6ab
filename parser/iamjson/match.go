package iamjson

import (
	"bytes"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
)

// Reasons Match gives for skipping a file.
const (
	WhyNotJSON          = "not a .json file"
	WhyTerraformJSON    = "Terraform JSON configuration (read as a module)"
	WhyTerraformPlan    = "Terraform plan or state JSON"
	WhyCloudFormation   = "CloudFormation template"
	WhyNoTrustPolicy    = "no trust policy content"
	WhyNotIAM           = "no IAM role or trust policy content"
	WhyNoTopLevelPolicy = "no trust policy document or IAM role export at the top level"
)

// Match tells, cheaply and before a full parse, whether the file path with
// content src is for this parser, and if not, why. The content must mention
// AssumeRolePolicyDocument or RoleDetailList, or a "Statement" together with
// Principal (which covers NotPrincipal); then the top-level keys are scanned,
// stopping at the first one that tells the kind of file: CloudFormation
// templates, Terraform plan or state JSON and resource policies (see
// isResourcePolicy) are refused. A file that is
// relevant but not valid JSON matches, so that Parse reports the error.
func (Parser) Match(path string, src []byte) (bool, string) {
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".tf.json"):
		return false, WhyTerraformJSON
	case !strings.HasSuffix(lower, ".json"):
		return false, WhyNotJSON
	}
	roleContent := bytes.Contains(src, []byte("AssumeRolePolicyDocument")) ||
		bytes.Contains(src, []byte("RoleDetailList"))
	// `"Statement` without its closing quote also catches a misspelled
	// "Statements", which is a broken trust policy to report.
	statement := bytes.Contains(src, []byte(`"Statement`))
	principal := bytes.Contains(src, []byte("Principal"))
	tfPolicy := bytes.Contains(src, []byte(`"assume_role_policy"`))
	if !roleContent && (!statement || !principal) && !tfPolicy {
		if statement {
			return false, WhyNoTrustPolicy
		}
		return false, WhyNotIAM
	}
	return matchShape(src, roleContent)
}

// matchShape scans the top-level keys of src.
func matchShape(src []byte, roleContent bool) (bool, string) {
	dec := srcjson.NewDecoder(src)
	switch dec.PeekKind() {
	case jsontext.KindBeginObject:
	case jsontext.KindBeginArray:
		if roleContent {
			return true, "" // a list of role objects (list-roles --query Roles)
		}
		return false, WhyNoTopLevelPolicy
	case jsontext.KindInvalid:
		return true, "" // not valid JSON: Parse reports it
	default:
		return false, WhyNoTopLevelPolicy
	}
	if _, err := dec.ReadToken(); err != nil {
		return true, ""
	}
	policyVersion := false
	for dec.PeekKind() != jsontext.KindEndObject {
		tok, err := dec.ReadToken()
		if err != nil {
			return true, ""
		}
		switch key := tok.String(); key {
		case "AWSTemplateFormatVersion", "Resources", "Transform":
			return false, WhyCloudFormation
		case "format_version", "terraform_version", "planned_values", "resource_changes", "prior_state":
			return false, WhyTerraformPlan
		case "Role", "Roles", "RoleDetailList", "UserDetailList", "GroupDetailList",
			"AssumeRolePolicyDocument", "RoleName", "Arn", "RoleId":
			return true, ""
		case "Statement":
			v, err := dec.ReadValue()
			if err != nil {
				return true, ""
			}
			stmts, _ := srcjson.ParseText(model.NewLineIndex("", v), 0, len(v))
			if stmts != nil && isResourcePolicy(stmts) {
				return false, WhyResourcePolicy
			}
			return true, ""
		case "Version":
			v, err := dec.ReadValue()
			if err != nil {
				return true, ""
			}
			policyVersion = string(v) == `"2012-10-17"` || string(v) == `"2008-10-17"`
			continue
		}
		if err := dec.SkipValue(); err != nil {
			return true, ""
		}
	}
	if policyVersion {
		return true, "" // a policy whose Statement is misspelled
	}
	return false, WhyNoTopLevelPolicy
}
