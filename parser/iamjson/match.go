package iamjson

import (
	"bytes"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/tree"
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

// classifiedStatements reads the Statement value from dec and returns it
// with only what isResourcePolicy looks at: of each statement object, its
// Effect, Action and NotAction values and whether it has Resource or
// NotResource (an empty placeholder). Conditions and principals are skipped unread, so that
// classifying a dense document does not build its tree. Reading ends at
// the first element that is not a statement object (a Null node) or that
// may allow an sts: action: isResourcePolicy says no there whatever
// follows, so a trust policy of 100,000 statements is classified by its
// first.
func classifiedStatements(dec *jsontext.Decoder) (*tree.Node, error) {
	return oneOrList(dec, func(dec *jsontext.Decoder) (*tree.Node, bool, error) {
		if dec.PeekKind() != jsontext.KindBeginObject {
			return &tree.Node{Kind: tree.Null}, false, dec.SkipValue()
		}
		st, err := classifiedStatement(dec)
		return st, err == nil && (isDeny(st) || !mayAllowSTS(st)), err
	})
}

// oneOrList reads a value that is one item or an array of items: item
// reads the value, or each element in turn, and tells whether to read on.
func oneOrList(dec *jsontext.Decoder, item func(*jsontext.Decoder) (n *tree.Node, more bool, err error)) (*tree.Node, error) {
	if dec.PeekKind() != jsontext.KindBeginArray {
		n, _, err := item(dec)
		return n, err
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	list := &tree.Node{Kind: tree.Array}
	for dec.PeekKind() != jsontext.KindEndArray {
		n, more, err := item(dec)
		if err != nil {
			return nil, err
		}
		list.Elems = append(list.Elems, n)
		if !more {
			return list, nil
		}
	}
	_, err := dec.ReadToken()
	return list, err
}

// classifiedStatement reads one statement object for classifiedStatements.
func classifiedStatement(dec *jsontext.Decoder) (*tree.Node, error) {
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	st := &tree.Node{Kind: tree.Object}
	for dec.PeekKind() != jsontext.KindEndObject {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		v := &tree.Node{Kind: tree.Null}
		switch key := tok.String(); key {
		case "Action", "NotAction", "Effect":
			v, err = stringOrList(dec)
			st.Members = append(st.Members, tree.Member{Key: key, Value: v})
		case "Resource", "NotResource":
			err = dec.SkipValue()
			st.Members = append(st.Members, tree.Member{Key: key, Value: v})
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			return nil, err
		}
	}
	_, err := dec.ReadToken()
	return st, err
}

// stringOrList reads a value from dec as isResourcePolicy reads it: a
// string, or an array of strings; any other value or element is a Null
// node (eachString tells only strings from the rest). Reading the tokens
// directly costs no tree builder per statement.
func stringOrList(dec *jsontext.Decoder) (*tree.Node, error) {
	return oneOrList(dec, func(dec *jsontext.Decoder) (*tree.Node, bool, error) {
		if dec.PeekKind() != jsontext.KindString {
			return &tree.Node{Kind: tree.Null}, true, dec.SkipValue()
		}
		tok, err := dec.ReadToken()
		return &tree.Node{Kind: tree.String, Str: tok.String()}, true, err
	})
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
			stmts, err := classifiedStatements(dec)
			if err != nil {
				return true, ""
			}
			if isResourcePolicy(stmts) {
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
