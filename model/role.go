package model

import (
	"strconv"
	"strings"
)

// Format names the kind of input a role was read from.
type Format string

// Input formats.
const (
	FormatPolicy         Format = "policy"         // a bare trust policy document (JSON)
	FormatAWSExport      Format = "aws-cli"        // get-role, list-roles, get-account-authorization-details
	FormatTerraform      Format = "terraform"      // .tf, .tf.json
	FormatTerraformPlan  Format = "terraform-plan" // terraform show -json
	FormatCloudFormation Format = "cloudformation" // CloudFormation, SAM, CDK templates
)

// UnknownKey is the key of the object that stands for a value that could not
// be resolved statically: {"$unknown": "var.partner_account"}. The text is
// the source expression, or a template whose unknown pieces are written as
// ${expr}. No valid IAM element is an object with this key, so rules that
// expect strings or lists never mistake an unknown for a real value.
const UnknownKey = "$unknown"

// OwnAccountToken stands for the role's own account when the input refers to
// it without saying its number: ${AWS::AccountId} in CloudFormation,
// data.aws_caller_identity.X.account_id in Terraform. Parsers write it where
// the account ID would be ("arn:aws:iam::<own-account>:root") and set
// Role.OwnAccount to it; rules treat it as the own account.
const OwnAccountToken = "<own-account>"

// Unknown returns the rule-input value for an unresolvable expression.
func Unknown(text string) map[string]any { return map[string]any{UnknownKey: text} }

// IsUnknown reports whether v is a value made by Unknown.
func IsUnknown(v any) bool {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false
	}
	_, ok = m[UnknownKey]
	return ok
}

// Role is one IAM role and its trust policy, normalized. It is what a parser
// emits and, through Input, what every rule reads.
type Role struct {
	// Name is how findings name the role: the Terraform address, the
	// CloudFormation logical ID, the role name from an export, or the file
	// name for a bare policy document.
	Name string
	// Context is extra context about where the role is declared that is not
	// its name, such as the CDK construct path (Metadata "aws:cdk:path") of a
	// synthesized template's role. Reports show it beside the name; it never
	// enters the name or a fingerprint.
	Context string
	// RootModule is set for a role that a Terraform root module reaches
	// through module calls: the root module's directory relative to the
	// project root (slash-separated, "." for the root itself). Two roots
	// calling one module give roles of the same name declared in the same
	// file; the root module tells them apart in fingerprints, reports and
	// the audit. Empty for every other role.
	RootModule string
	// Document is the ordinal, from 2, of the JSON document that declares
	// the role in a file of several (aws iam list-roles >> roles.json run
	// twice); 0 in the first or only document. Like RootModule it tells
	// apart roles of one name in one file (two accounts' roles, two bare
	// policies named by the file).
	Document int
	// RoleName is the IAM role name when the input tells it.
	RoleName string
	// ARN is the role ARN when the input tells it.
	ARN string
	// IAMPath is the role's IAM path ("/", "/aws-service-role/...") when known.
	IAMPath string
	// OwnAccount is the account the role lives in, when the input tells it.
	OwnAccount string
	// OwnAccountText is how the input writes the own account where the
	// parser wrote OwnAccountToken ("${AWS::AccountId}"): messages show it
	// instead of the token (see Show).
	OwnAccountText string
	// Format is the kind of input the role came from.
	Format Format
	// File is the file that declares the role.
	File string
	// Range spans the role's declaration (the whole file for a bare policy).
	Range Range
	// MaxSessionDuration is nil when the input does not set it, otherwise the
	// value as written (float64 or string), or an Unknown.
	MaxSessionDuration any
	// HasPolicy is false when the role has no trust policy document at all.
	HasPolicy bool
	// Policy is the normalized trust policy: a map[string]any in IAM's own
	// shape (see parser/normalize), or the raw value when the document is not
	// an object (an empty string, a number), or an Unknown.
	Policy any
	// Source maps the paths of Input to source ranges.
	Source *SourceMap
}

// RoleRef names a role among the roles of a scan up to its file: its name
// and what tells apart roles of one name declared in one file (RootModule,
// Document).
type RoleRef struct {
	Name       string
	RootModule string
	Document   int
}

// String names the role for people: its name, and the root module or the
// document that tells it apart from roles of the same name
// ("module.vendor.aws_iam_role.this[0] in root module envs/prod",
// "ci-deploy in document 2").
func (r RoleRef) String() string {
	switch {
	case r.RootModule != "":
		return r.Name + " in root module " + r.RootModule
	case r.Document != 0:
		return r.Name + " in document " + strconv.Itoa(r.Document)
	}
	return r.Name
}

// Ref returns the role's RoleRef.
func (r *Role) Ref() RoleRef { return RoleRef{r.Name, r.RootModule, r.Document} }

// Show returns a message about the role with the own-account token
// written as the input writes it: messages never show an internal
// placeholder.
func (r *Role) Show(msg string) string {
	if r.OwnAccountText == "" || !strings.Contains(msg, OwnAccountToken) {
		return msg
	}
	return strings.ReplaceAll(msg, OwnAccountToken, r.OwnAccountText)
}

// PolicyPath is the root of the trust policy in the rule input.
var PolicyPath = Path{"policy"}

// RolePath is the root of the role attributes in the rule input.
var RolePath = Path{"role"}

// ServiceLinked reports whether the role is on IAM's path for
// service-linked roles, /aws-service-role/.
func (r *Role) ServiceLinked() bool { return strings.HasPrefix(r.IAMPath, "/aws-service-role/") }

// Input returns the document a rule sees for this role:
//
//	{"role": {"name", "role_name", "arn", "path", "service_linked",
//	          "own_account", "format", "MaxSessionDuration"}, "policy": {...}}
//
// Absent attributes are left out; "policy" is left out when HasPolicy is
// false.
func (r *Role) Input() map[string]any {
	role := map[string]any{"name": r.Name, "format": string(r.Format)}
	if r.RoleName != "" {
		role["role_name"] = r.RoleName
	}
	if r.ARN != "" {
		role["arn"] = r.ARN
	}
	if r.IAMPath != "" {
		role["path"] = r.IAMPath
	}
	if r.ServiceLinked() {
		// A fact of its own, so that a rule that only asks whether the
		// role is service-linked (TL007) is not keyed on the whole path
		// and shares its evaluations (rules/share.go).
		role["service_linked"] = true
	}
	if r.OwnAccount != "" {
		role["own_account"] = r.OwnAccount
	}
	if r.MaxSessionDuration != nil {
		role["MaxSessionDuration"] = r.MaxSessionDuration
	}
	in := map[string]any{"role": role}
	if r.HasPolicy {
		in["policy"] = r.Policy
	}
	return in
}

// Locate resolves a path of the rule input to a source range: the key range
// when key is set and the parser recorded one, else the nearest mapped
// ancestor, else the role's own range.
func (r *Role) Locate(p Path, key bool) Range {
	if rg, ok := r.Source.Lookup(p, key); ok {
		return rg
	}
	return r.Range
}

// MayHaveDeny tells whether a normalized trust policy (Role.Policy) may
// have a Deny statement: one of its statements has Effect "Deny" or an
// Effect that is not a string, or its Statement is not a list. Most
// policies have none, and what only a Deny changes (a Deny guard) need not
// be looked for in them.
func MayHaveDeny(policy any) bool {
	pol, ok := policy.(map[string]any)
	if !ok {
		return policy != nil
	}
	list, ok := pol["Statement"].([]any)
	if !ok {
		return pol["Statement"] != nil
	}
	for _, st := range list {
		m, ok := st.(map[string]any)
		if !ok {
			continue
		}
		if e, ok := m["Effect"].(string); !ok || e == "Deny" {
			return true
		}
	}
	return false
}
