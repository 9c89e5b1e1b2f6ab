package iamjson

import (
	"bytes"
	"errors"
	"io"
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
	WhyIdentityPolicy   = "identity policy (aws iam get-role-policy or get-policy-version output)"
	WhyOtherOutput      = "AWS CLI output without a trust policy (managed policy metadata, attached policy names, queue or topic attributes)"
)

// StartsIAM reports whether src is a JSON object whose first member is
// one only IAM documents have at the top level: a policy's Version or
// Statement, get-role's Role, list-roles' Roles, an authorization details
// export's lists or a policy listing. No CloudFormation template or
// Terraform plan starts so; their parsers' Match says no at once instead
// of searching a 24 MB export for their own keys.
func StartsIAM(src []byte) bool {
	name, ok := srcjson.FirstName(src)
	return ok && iamTopLevel[name]
}

// iamTopLevel are the names StartsIAM knows.
var iamTopLevel = map[string]bool{
	"Statement": true, "Version": true, "Role": true, "Roles": true,
	"RoleDetailList": true, "UserDetailList": true, "GroupDetailList": true, "Policies": true,
}

// IAMTopLevel reports whether name is one of the names StartsIAM knows.
func IAMTopLevel(name string) bool { return iamTopLevel[name] }

// Match tells, cheaply and before a full parse, whether the file path with
// content src is for this parser, and if not, why. The content must pass
// relevantContent; then the file's documents are classified in turn (see
// matchDocument) until one is for Parse: a file whose first document is a
// resource or identity policy and whose second is a role export matches.
// A file that is relevant but not valid JSON matches, so that Parse
// reports the error. When no document is relevant, the reason is the
// first document's.
func (Parser) Match(path string, src []byte) (bool, string) {
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".tf.json"):
		return false, WhyTerraformJSON
	case !strings.HasSuffix(lower, ".json"):
		return false, WhyNotJSON
	}
	if ok, why := relevantContent(src); !ok {
		return false, why
	}
	dec := srcjson.NewDecoder(src)
	why := ""
	for {
		class, reason := matchDocument(dec, src)
		if class == docRelevant {
			return true, ""
		}
		if why == "" {
			why = reason
		}
		if class == docStop {
			return false, why
		}
	}
}

// relevantContent tells whether src, a file or one document of it,
// mentions what IAM role or trust policy content must: AssumeRolePolicyDocument
// or RoleDetailList, or a "Statement" together with Principal (which covers
// NotPrincipal); a policy document without (an identity policy) is not a
// trust policy. Searching the bytes costs far less than reading the JSON.
func relevantContent(src []byte) (bool, string) {
	// `"Statement` without its closing quote also catches a misspelled
	// "Statements", which is a broken trust policy to report.
	statement := bytes.Contains(src, []byte(`"Statement`))
	switch {
	case roleContent(src), statement && bytes.Contains(src, []byte("Principal")),
		bytes.Contains(src, []byte(`"assume_role_policy"`)):
		return true, ""
	case statement:
		return false, WhyNoTrustPolicy
	}
	return false, WhyNotIAM
}

// roleContent tells whether src mentions an IAM role export's keys.
func roleContent(src []byte) bool {
	return bytes.Contains(src, []byte("AssumeRolePolicyDocument")) ||
		bytes.Contains(src, []byte("RoleDetailList"))
}

// docClass is what Match makes of one JSON document of a file, as Parse
// would treat it.
type docClass int

const (
	// docRelevant is read by Parse (or broken there): the file matches.
	docRelevant docClass = iota
	// docSkipped is skipped by Parse, which reads on: a resource policy or
	// an identity policy.
	docSkipped
	// docStop ends Parse (content that is not IAM) or is the end of the
	// file: no later document is read.
	docStop
)

// matchDocument classifies the next document of dec, whose input is src,
// from its top-level keys (see matchObject). A top-level array is a list
// of role objects when the rest of the file mentions role content
// (list-roles --query Roles); the first document's decision is then as
// cheap as before the file was read as a sequence. Invalid JSON is
// relevant when the rest of the file passes relevantContent, so that
// Parse reports it.
func matchDocument(dec *jsontext.Decoder, src []byte) (docClass, string) {
	start := int(dec.InputOffset())
	switch dec.PeekKind() {
	case jsontext.KindBeginObject:
		return matchObject(dec, src, start)
	case jsontext.KindBeginArray:
		if roleContent(src[start:]) {
			return docRelevant, ""
		}
		if dec.SkipValue() != nil {
			return docRelevant, ""
		}
		return docSkipped, WhyNoTopLevelPolicy
	case jsontext.KindInvalid:
		if _, err := dec.ReadToken(); errors.Is(err, io.EOF) {
			return docStop, ""
		}
		if ok, _ := relevantContent(src[start:]); ok {
			return docRelevant, ""
		}
		return docStop, ""
	}
	return docStop, WhyNoTopLevelPolicy
}

// matchObject classifies the object document of dec that starts at offset
// start of src by its top-level keys, stopping at the first one that tells
// the kind of document: CloudFormation templates and Terraform plan or
// state JSON stop the file; role exports are relevant; a policy document
// is skipped when it is a resource policy (see isResourcePolicy) or has no
// trust policy content (relevantContent: an identity policy), else
// relevant; the output of aws kms get-key-policy or aws s3api
// get-bucket-policy (a resource policy in a "Policy" string) is skipped,
// and so are an inline or managed identity policy's (see
// isIdentityOutput) and that of the commands isOtherOutput names.
func matchObject(dec *jsontext.Decoder, src []byte, start int) (docClass, string) {
	if _, err := dec.ReadToken(); err != nil {
		return docRelevant, ""
	}
	policyVersion, wrapped, role, identity, other := false, false, false, false, false
	for dec.PeekKind() != jsontext.KindEndObject {
		tok, err := dec.ReadToken()
		if err != nil {
			return docRelevant, ""
		}
		key := tok.String()
		other = other || isOtherOutput(key, dec.PeekKind() == jsontext.KindBeginObject, dec.PeekKind() == jsontext.KindBeginArray)
		switch key {
		case "AWSTemplateFormatVersion", "Resources", "Transform":
			return docStop, WhyCloudFormation
		case "format_version", "terraform_version", "planned_values", "resource_changes", "prior_state":
			return docStop, WhyTerraformPlan
		case "Role", "Roles", "RoleDetailList", "UserDetailList", "GroupDetailList", "AssumeRolePolicyDocument":
			return docRelevant, ""
		case "RoleName", "Arn", "RoleId":
			role = true // a role object, unless it is an inline policy's
		case "PolicyDocument", "PolicyVersion":
			identity = true
		case "Statement":
			stmts, err := classifiedStatements(dec)
			if err != nil {
				return docRelevant, ""
			}
			if isResourcePolicy(stmts) {
				return skipRest(dec, WhyResourcePolicy)
			}
			return policyContent(dec, src, start)
		case "Version":
			v, err := dec.ReadValue()
			if err != nil {
				return docRelevant, ""
			}
			policyVersion = string(v) == `"2012-10-17"` || string(v) == `"2008-10-17"`
			continue
		case "Policy":
			if dec.PeekKind() == jsontext.KindString {
				v, err := dec.ReadToken()
				if err != nil {
					return docRelevant, ""
				}
				wrapped = isWrappedResourcePolicy(v.String())
				continue
			}
		}
		if err := dec.SkipValue(); err != nil {
			return docRelevant, ""
		}
	}
	switch {
	case identity:
		return skipRest(dec, WhyIdentityPolicy)
	case role:
		return docRelevant, ""
	case policyVersion:
		return policyContent(dec, src, start) // a policy whose Statement is misspelled
	case wrapped:
		return skipRest(dec, WhyResourcePolicy)
	case other:
		return skipRest(dec, WhyOtherOutput)
	}
	return docStop, WhyNoTopLevelPolicy
}

// isOtherOutput reports whether a top-level member named key, whose value
// is an object or a list as obj and list say, makes its document the
// output of an AWS CLI command that holds no trust policy, when nothing
// else at the top level names a role or policy: aws iam get-policy
// (Policy: a managed policy's metadata), list-attached-role-policies and
// its -user- and -group- kin (AttachedPolicies), list-role-policies and
// kin (PolicyNames), aws sqs get-queue-attributes and aws sns
// get-topic-attributes (Attributes, whose Policy string is a queue or
// topic policy: a resource policy, never a trust policy). Parse skips the
// same documents (see matchObject).
func isOtherOutput(key string, obj, list bool) bool {
	switch key {
	case "Policy", "Attributes":
		return obj
	case "AttachedPolicies", "PolicyNames":
		return list
	}
	return false
}

// policyContent classifies a policy document that is not a resource
// policy, read from offset start of src up to the decoder's position: it
// is relevant when it has trust policy content (relevantContent), which
// the part read so far (its first statement) mostly tells; otherwise the
// rest is read to tell.
func policyContent(dec *jsontext.Decoder, src []byte, start int) (docClass, string) {
	if ok, _ := relevantContent(src[start:dec.InputOffset()]); ok {
		return docRelevant, ""
	}
	if class, _ := skipRest(dec, ""); class == docRelevant {
		return docRelevant, "" // broken: Parse reports it
	}
	if ok, why := relevantContent(src[start:dec.InputOffset()]); !ok {
		return docSkipped, why
	}
	return docRelevant, ""
}

// skipRest reads the rest of the document being read, up to its closing
// brace (classifiedStatements may have stopped inside the Statement
// list), and returns docSkipped and why; a syntax error makes the
// document relevant, so that Parse reports it.
func skipRest(dec *jsontext.Decoder, why string) (docClass, string) {
	for dec.StackDepth() > 0 {
		var err error
		switch dec.PeekKind() {
		case jsontext.KindEndObject, jsontext.KindEndArray:
			_, err = dec.ReadToken()
		default:
			err = dec.SkipValue() // a member name or a value
		}
		if err != nil {
			return docRelevant, ""
		}
	}
	return docSkipped, why
}

// isIdentityOutput reports whether the top-level object obj is the output
// of aws iam get-role-policy, get-user-policy or get-group-policy
// (PolicyDocument: an inline identity policy, beside RoleName for a
// role's) or get-policy-version (PolicyVersion), and neither a role nor a
// policy document (AssumeRolePolicyDocument, Statement): Match skips the
// same objects.
func isIdentityOutput(obj *tree.Node) bool {
	_, role := obj.Member("AssumeRolePolicyDocument")
	_, policy := obj.Member("Statement")
	_, inline := obj.Member("PolicyDocument")
	_, version := obj.Member("PolicyVersion")
	return !role && !policy && (inline || version)
}

// isWrappedResourcePolicy reports whether s, the string value of a
// top-level "Policy" member (the output of aws kms get-key-policy or aws
// s3api get-bucket-policy), is a resource policy document.
func isWrappedResourcePolicy(s string) bool {
	dec := srcjson.NewDecoder([]byte(s))
	if dec.PeekKind() != jsontext.KindBeginObject {
		return false
	}
	if _, err := dec.ReadToken(); err != nil {
		return false
	}
	for dec.PeekKind() != jsontext.KindEndObject {
		tok, err := dec.ReadToken()
		if err != nil {
			return false
		}
		if tok.String() == "Statement" {
			stmts, err := classifiedStatements(dec)
			return err == nil && isResourcePolicy(stmts)
		}
		if err := dec.SkipValue(); err != nil {
			return false
		}
	}
	return false
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
			setMember(st, key, v)
		case "Resource", "NotResource":
			err = dec.SkipValue()
			setMember(st, key, v)
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

// setMember sets the member key of obj to v: a later duplicate wins, as
// Get reads it, and a million repeats of a key keep one member.
func setMember(obj *tree.Node, key string, v *tree.Node) {
	for i := range obj.Members {
		if obj.Members[i].Key == key {
			obj.Members[i].Value = v
			return
		}
	}
	obj.Members = append(obj.Members, tree.Member{Key: key, Value: v})
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
