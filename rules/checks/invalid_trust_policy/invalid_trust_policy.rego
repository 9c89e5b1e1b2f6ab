# METADATA
# title: trust policy is not valid
# description: |
#   The document is not a valid trust policy: IAM would reject it, or it does
#   not say what its author meant. One finding per faulty element:
#
#   - a role without a trust policy document, or an empty policy string;
#   - no `Statement` (an unknown top-level name such as `Statements` is
#     reported as the missing element, at the document);
#   - a `Version` other than `2012-10-17` or `2008-10-17` (a missing Version
#     is legal);
#   - an `Effect` other than `Allow` or `Deny`;
#   - neither `Principal` nor `NotPrincipal`, or neither `Action` nor
#     `NotAction`, in a statement;
#   - an unknown element name inside a statement (one finding at that key,
#     which also stands for a required element it replaces: `dAction` gives
#     no second finding for the missing `Action`);
#   - a `Resource` or `NotResource` (IAM rejects them in trust policies);
#   - a malformed account ID or principal ARN, a wildcard inside a principal
#     ARN (`arn:aws:iam::*:root`), an unknown principal type;
#   - a `Federated` value that is neither an OIDC/SAML provider ARN nor one of
#     IAM's built-in identity providers;
#   - an action that matches no STS action (`*`, `sts:*`, `sts:Assume*` are
#     STS patterns);
#   - an unknown condition operator;
#   - a `MaxSessionDuration` outside 3600..43200 seconds.
#
#   Every statement is checked, whatever its Effect; the other statements
#   are still checked by the other rules.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
#     description: Grammar of the IAM JSON policy language
# scope: package
# custom:
#   id: TL013
#   name: invalid-trust-policy
#   severity: 7.0
#   precision: very-high
#   tags: [security, iam, trust-policy, correctness]
#   remediation: |
#     Fix the element the finding points at; `aws iam update-assume-role-policy`
#     and IAM Access Analyzer's policy validation report the same errors.
package trustlint.rules.invalid_trust_policy

import data.trustlint.lib

# ---------------------------------------------------------------------------
# The document

deny contains lib.finding("the role has no trust policy document (AssumeRolePolicyDocument)", ["role"]) if {
	not has_policy
}

has_policy if {
	_ = input.policy
}

deny contains lib.finding("the trust policy is an empty string", ["policy"]) if input.policy == ""

deny contains lib.finding(sprintf("the trust policy is not a JSON object: %s", [describe(input.policy)]), ["policy"]) if {
	p := input.policy
	p != ""
	not is_object(p)
}

deny contains lib.finding(sprintf("Version %v is not a policy language version (2012-10-17 or 2008-10-17)", [v]), ["policy", "Version"]) if {
	v := input.policy.Version
	not lib.is_unknown(v)
	not v in {"2012-10-17", "2008-10-17"}
}

top_level := {"Version", "Id", "Statement"}

deny contains lib.finding(missing_statement_message, ["policy"]) if {
	is_object(input.policy)
	not lib.is_unknown(input.policy)
	not "Statement" in object.keys(input.policy)
}

missing_statement_message := "the trust policy has no Statement" if {
	count(unknown_top_level) == 0
} else := sprintf("the trust policy has no Statement (unknown element %s)", [concat(", ", sort(unknown_top_level))])

unknown_top_level := {k | some k, _ in input.policy; not k in top_level}

deny contains lib.finding_at_key(sprintf("unknown element %q in the trust policy", [k]), ["policy", k]) if {
	"Statement" in object.keys(input.policy)
	some k in unknown_top_level
}

deny contains lib.finding(sprintf("Statement must be a list of statements, not %s", [describe(s)]), ["policy", "Statement"]) if {
	s := input.policy.Statement
	not is_array(s)
	not lib.is_unknown(s)
}

deny contains lib.finding("Statement is empty", ["policy", "Statement"]) if input.policy.Statement == []

# ---------------------------------------------------------------------------
# Statements

statement_elements := {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

# statements indexes the statements that are objects. (Indexes, not
# [i, statement] pairs: hashing whole statements into a set is costly.)
statements := {i |
	some i, s in input.policy.Statement
	is_object(s)
	not lib.is_unknown(s)
}

deny contains lib.finding(sprintf("statement %d is not an object: %s", [i, describe(s)]), ["policy", "Statement", i]) if {
	some i, s in input.policy.Statement
	is_array(input.policy.Statement)
	not is_object(s)
}

unknown_names := {i: {k | some k, _ in input.policy.Statement[i]; not k in statement_elements} | some i in statements}

deny contains lib.finding_at_key(sprintf("unknown element %q in a statement", [k]), ["policy", "Statement", i, k]) if {
	some i, names in unknown_names
	some k in names
}

# A missing required element is reported only when no unknown name stands
# in for it (a misspelt "Actions" is one finding, at the misspelling).
missing(i, names) if {
	count(unknown_names[i]) == 0
	s := input.policy.Statement[i]
	every n in names {
		not n in object.keys(s)
	}
}

deny contains lib.finding("statement has no Effect", ["policy", "Statement", i]) if {
	some i in statements
	missing(i, ["Effect"])
}

deny contains lib.finding(sprintf("Effect %v is neither Allow nor Deny", [e]), ["policy", "Statement", i, "Effect"]) if {
	some i in statements
	s := input.policy.Statement[i]
	e := s.Effect
	not lib.is_unknown(e)
	not e in {"Allow", "Deny"}
}

deny contains lib.finding("statement has neither Principal nor NotPrincipal", ["policy", "Statement", i]) if {
	some i in statements
	missing(i, ["Principal", "NotPrincipal"])
}

deny contains lib.finding("statement has neither Action nor NotAction", ["policy", "Statement", i]) if {
	some i in statements
	missing(i, ["Action", "NotAction"])
}

deny contains lib.finding_at_key(sprintf("%s is not allowed in a trust policy (the role is the resource)", [k]), ["policy", "Statement", i, k]) if {
	some i in statements
	s := input.policy.Statement[i]
	some k in ["Resource", "NotResource"]
	_ = s[k]
}

# ---------------------------------------------------------------------------
# Principals

principal_types := {"AWS", "Service", "Federated", "CanonicalUser"}

deny contains lib.finding(sprintf("%s must be \"*\" or an object of principal types, not %s", [elem, describe(p)]), ["policy", "Statement", i, elem]) if {
	some i in statements
	s := input.policy.Statement[i]
	some elem in ["Principal", "NotPrincipal"]
	p := s[elem]
	not is_object(p)
	not lib.is_unknown(p)
}

deny contains lib.finding_at_key(sprintf("unknown principal type %q (AWS, Service, Federated or CanonicalUser)", [t]), ["policy", "Statement", i, elem, t]) if {
	some i in statements
	s := input.policy.Statement[i]
	some elem in ["Principal", "NotPrincipal"]
	is_object(s[elem])
	not lib.is_unknown(s[elem])
	some t, _ in s[elem]
	not t in principal_types
}

principal_values contains [i, elem, t, j, v] if {
	some i in statements
	s := input.policy.Statement[i]
	some elem in ["Principal", "NotPrincipal"]
	is_object(s[elem])
	some t in principal_types
	vals := s[elem][t]
	is_array(vals)
	some j, v in vals
	not lib.is_unknown(v)
}

principal_arn_re := `^arn:aws(?:-cn|-us-gov|-iso[a-z-]*)?:(?:iam::(?:[0-9]{12}|<own-account>):(?:root|user/.+|role/.+)|sts::(?:[0-9]{12}|<own-account>):(?:assumed-role/[^/]+/.+|federated-user/.+))$`

deny contains lib.finding(msg, ["policy", "Statement", i, elem, "AWS", j]) if {
	some [i, elem, "AWS", j, v] in principal_values
	msg := aws_principal_problem(v)
}

aws_principal_problem(v) := sprintf("principal %s is not a string", [describe(v)]) if not is_string(v)

aws_principal_problem(v) := sprintf("wildcard inside the principal ARN %s: IAM accepts * only as the whole principal", [v]) if {
	is_string(v)
	v != "*"
	contains(v, "*")
}

aws_principal_problem(v) := sprintf("malformed AWS principal %q: want a 12-digit account ID, an IAM user or role ARN, or *", [v]) if {
	is_string(v)
	v != "*"
	not contains(v, "*")
	not regex.match(`^(?:[0-9]{12}|<own-account>)$`, v)
	not regex.match(principal_arn_re, v)
}

deny contains lib.finding(sprintf("Federated principal %s is neither an OIDC or SAML provider ARN nor a built-in identity provider", [describe(v)]), ["policy", "Statement", i, elem, "Federated", j]) if {
	some [i, elem, "Federated", j, v] in principal_values
	not valid_federated(v)
}

valid_federated(v) if {
	is_string(v)
	regex.match(lib.oidc_arn_re, v)
}

valid_federated(v) if {
	is_string(v)
	regex.match(lib.saml_arn_re, v)
}

valid_federated(v) if lower(v) in lib.builtin_idps

deny contains lib.finding(sprintf("Service principal %s is not a string", [describe(v)]), ["policy", "Statement", i, elem, "Service", j]) if {
	some [i, elem, "Service", j, v] in principal_values
	not is_string(v)
}

# ---------------------------------------------------------------------------
# Actions

sts_actions := [
	"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity", "sts:assumeroot",
	"sts:decodeauthorizationmessage", "sts:getaccesskeyinfo", "sts:getcalleridentity",
	"sts:getdelegatedaccesstoken", "sts:getfederationtoken", "sts:getservicebearertoken",
	"sts:getsessiontoken", "sts:setcontext", "sts:setsourceidentity", "sts:tagsession",
]

deny contains lib.finding(action_problem(a), ["policy", "Statement", i, elem, j]) if {
	some i in statements
	s := input.policy.Statement[i]
	some elem in ["Action", "NotAction"]
	actions := s[elem]
	is_array(actions)
	some j, a in actions
	not lib.is_unknown(a)
	not sts_action(a)
}

deny contains lib.finding(sprintf("%s must be a list of actions, not %s", [elem, describe(actions)]), ["policy", "Statement", i, elem]) if {
	some i in statements
	s := input.policy.Statement[i]
	some elem in ["Action", "NotAction"]
	actions := s[elem]
	not is_array(actions)
	not lib.is_unknown(actions)
}

sts_action(a) if {
	is_string(a)
	some x in sts_actions
	glob.match(lower(a), null, x)
}

action_problem(a) := sprintf("action %s is not a string", [describe(a)]) if not is_string(a)

action_problem(a) := sprintf("action %q matches no STS action: a trust policy can only grant sts:AssumeRole*, sts:TagSession, sts:SetSourceIdentity and sts:SetContext", [a]) if is_string(a)

# ---------------------------------------------------------------------------
# Conditions

deny contains lib.finding_at_key(sprintf("unknown condition operator %q", [op]), ["policy", "Statement", i, "Condition", op]) if {
	some i in statements
	s := input.policy.Statement[i]
	is_object(s.Condition)
	not lib.is_unknown(s.Condition)
	some op, _ in s.Condition
	not lib.valid_operator(op)
}

deny contains lib.finding(sprintf("Condition must be an object of operators, not %s", [describe(c)]), ["policy", "Statement", i, "Condition"]) if {
	some i in statements
	s := input.policy.Statement[i]
	c := s.Condition
	not is_object(c)
}

# ---------------------------------------------------------------------------
# Role attributes

deny contains lib.finding(sprintf("MaxSessionDuration %v is outside what AWS allows (3600 to 43200 seconds)", [d]), ["role", "MaxSessionDuration"]) if {
	d := input.role.MaxSessionDuration
	not lib.is_unknown(d)
	n := seconds(d)
	not in_range(n)
}

deny contains lib.finding(sprintf("MaxSessionDuration %v is not a number of seconds", [d]), ["role", "MaxSessionDuration"]) if {
	d := input.role.MaxSessionDuration
	not lib.is_unknown(d)
	not seconds(d)
}

in_range(n) if {
	n >= 3600
	n <= 43200
}

seconds(v) := v if is_number(v)

seconds(v) := to_number(trim_space(v)) if {
	is_string(v)
	regex.match(`^\s*[0-9]+\s*$`, v)
}

# describe renders a value for messages.
describe(v) := sprintf("%q", [v]) if is_string(v)

describe(v) := sprintf("%v (%s)", [v, type_name(v)]) if not is_string(v)
