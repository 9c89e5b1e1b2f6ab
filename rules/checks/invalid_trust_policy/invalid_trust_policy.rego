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
#     ARN (`arn:aws:iam::*:root`), an unknown principal type (an IAM unique
#     ID such as `AROA…` is not malformed: it is a deleted principal, TL018);
#   - a `Federated` value that is neither an OIDC/SAML provider ARN nor one of
#     IAM's built-in identity providers;
#   - an action that matches no STS action (`*`, `sts:*`, `sts:Assume*` are
#     STS patterns);
#   - an unknown condition operator;
#   - a `NotPrincipal` in any statement (IAM rejects it in role trust
#     policies; an `Allow` also gets TL008);
#   - an action that does not fit the principal, at the `Action`: an `Allow`
#     statement whose principals are all SAML providers and that allows no
#     `sts:AssumeRoleWithSAML`, or all OIDC or built-in identity providers
#     and that allows no `sts:AssumeRoleWithWebIdentity`; a
#     `rolesanywhere.amazonaws.com` statement that does not allow all of
#     `sts:AssumeRole`, `sts:TagSession` and `sts:SetSourceIdentity`; a
#     `pods.eks.amazonaws.com` statement that does not allow both
#     `sts:AssumeRole` and `sts:TagSession` (the service refuses the role);
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
#   examples:
#     json:
#       bad: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"Service": "ec2.amazonaws.com"},
#             "Action": "sts:AssumeRole",
#             "Resource": "*"
#           }]
#         }
#       good: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"Service": "ec2.amazonaws.com"},
#             "Action": "sts:AssumeRole"
#           }]
#         }
#     terraform:
#       bad: |
#         resource "aws_iam_role" "app" {
#           name = "app"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Service = "ec2.amazonaws.com" }
#               Action    = "sts:AssumeRole"
#               Resource  = "*"
#             }]
#           })
#         }
#       good: |
#         resource "aws_iam_role" "app" {
#           name = "app"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Service = "ec2.amazonaws.com" }
#               Action    = "sts:AssumeRole"
#             }]
#           })
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           AppRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Service: ec2.amazonaws.com
#                     Action: sts:AssumeRole
#                     Resource: "*"
#       good: |
#         Resources:
#           AppRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Service: ec2.amazonaws.com
#                     Action: sts:AssumeRole
package trustlint.rules.invalid_trust_policy

import data.trustlint.lib

# ---------------------------------------------------------------------------
# The document

# deny reads the findings of the parts that trustlint.suspects cannot vouch
# for (suspects below): the document's when it is not plainly valid (an
# object of Version, Statement and perhaps Id, with a known Version and a
# non-empty list of statements: none of the document findings can fire
# then), the statements' when a statement is suspect. A role with nothing
# suspect (most roles) evaluates one body and one builtin call here.
deny contains f if {
	some part in _suspects.parts
	some f in _findings(part)
}

_findings("document") := document_findings

_findings("statements") := statement_findings

document_findings contains {"msg": "the role has no trust policy document (AssumeRolePolicyDocument)", "path": ["role"]} if {
	not has_policy
}

has_policy if {
	_ = input.policy
}

document_findings contains {"msg": "the trust policy is an empty string", "path": ["policy"]} if input.policy == ""

document_findings contains {"msg": sprintf("the trust policy is not a JSON object: %s", [describe(input.policy)]), "path": ["policy"]} if {
	p := input.policy
	p != ""
	not is_object(p)
}

document_findings contains {"msg": sprintf("Version %s is not a policy language version (2012-10-17 or 2008-10-17)", [lib.quote(v)]), "path": ["policy", "Version"]} if {
	v := input.policy.Version
	not lib.is_unknown(v)
	not v in vocabulary.versions
}

top_level := vocabulary.top_level

document_findings contains {"msg": missing_statement_message, "path": ["policy"]} if {
	is_object(input.policy)
	not lib.is_unknown(input.policy)
	not "Statement" in object.keys(input.policy)
}

missing_statement_message := "the trust policy has no Statement" if {
	count(unknown_top_level) == 0
} else := sprintf("the trust policy has no Statement (unknown element %s)", [concat(", ", [lib.quote(k) | some k in sort(unknown_top_level)])])

unknown_top_level := {k | some k, _ in input.policy; not k in top_level}

document_findings contains {"msg": sprintf("unknown element %s in the trust policy", [lib.quote(k)]), "path": ["policy", k], "key": true} if {
	"Statement" in object.keys(input.policy)
	some k in unknown_top_level
}

document_findings contains {"msg": sprintf("Statement must be a list of statements, not %s", [describe(s)]), "path": ["policy", "Statement"]} if {
	s := input.policy.Statement
	not is_array(s)
	not lib.is_unknown(s)
}

document_findings contains {"msg": "Statement is empty", "path": ["policy", "Statement"]} if input.policy.Statement == []

# ---------------------------------------------------------------------------
# Statements

# suspects holds the statements that the checks below must look at: the
# builtin looks at the document and every statement once, in Go, and
# leaves out those on which none of the checks could fire (given lib's
# vocabulary and this rule's), so that the many valid statements cost one
# pass instead of thirty. Without a policy, the document findings say so
# (and suspects is undefined).
default _suspects := {"parts": {"document"}}

_suspects := trustlint.suspects(input.policy, lib.vocabulary, vocabulary)

suspects := _suspects.statements

# vocabulary is what this rule accepts: the names below read it. It is a
# constant, so the builtin reads it once per compiled rule set.
vocabulary := {
	"versions": {"2012-10-17", "2008-10-17"},
	"top_level": {"Version", "Id", "Statement"},
	"elements": {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"},
	"principal_types": {"AWS", "Service", "Federated", "CanonicalUser"},
	"account_re": `^(?:[0-9]{12}|<own-account>)$`,
	"principal_arn_re": `^arn:aws(?:-cn|-us-gov|-iso[a-z-]*)?:(?:iam::(?:[0-9]{12}|<own-account>):(?:root|user/.+|role/.+)|sts::(?:[0-9]{12}|<own-account>):(?:assumed-role/[^/]+/.+|federated-user/.+))$`,
	# kind of federated principal: [the action it needs, who, the action's name]
	"federation_action": {
		"saml": ["sts:assumerolewithsaml", "SAML providers", "sts:AssumeRoleWithSAML"],
		"oidc": ["sts:assumerolewithwebidentity", "OIDC or built-in identity providers", "sts:AssumeRoleWithWebIdentity"],
	},
	# What a service needs to assume the role (the service refuses a role
	# whose trust does not allow all of it).
	"service_actions": {
		"rolesanywhere": ["IAM Roles Anywhere", ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]],
		"pods.eks": ["EKS Pod Identity", ["sts:AssumeRole", "sts:TagSession"]],
	},
	"sts_actions": {
		"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity", "sts:assumeroot",
		"sts:decodeauthorizationmessage", "sts:getaccesskeyinfo", "sts:getcalleridentity",
		"sts:getdelegatedaccesstoken", "sts:getfederationtoken", "sts:getservicebearertoken",
		"sts:getsessiontoken", "sts:setcontext", "sts:setsourceidentity", "sts:tagsession",
	},
}

statement_elements := vocabulary.elements

# statement_findings are the findings on statements: every check below
# starts from suspects.

# keys[i] is the set of element names of statement i, for the suspect
# statements that are objects. Set operations on it are single builtin
# calls.
keys := {i: object.keys(s) |
	some i in suspects
	s := input.policy.Statement[i]
	is_object(s)
	not lib.is_unknown(s)
}

statements := {i | some i, _ in keys}

statement_findings contains {"msg": sprintf("statement %d is not an object: %s", [i, describe(s)]), "path": ["policy", "Statement", i]} if {
	is_array(input.policy.Statement)
	some i in suspects
	s := input.policy.Statement[i]
	not is_object(s)
}

statement_findings contains {"msg": sprintf("unknown element %s in a statement", [lib.quote(k)]), "path": ["policy", "Statement", i, k], "key": true} if {
	some i, ks in keys
	some k in (ks - statement_elements)
}

# A missing required element is reported only when no unknown name stands
# in for it (a misspelt "Actions" is one finding, at the misspelling).
complete := {i | some i, ks in keys; count(ks - statement_elements) == 0}

statement_findings contains {"msg": msg, "path": ["policy", "Statement", i]} if {
	some i in complete
	some [needed, msg] in required
	count(keys[i] & needed) == 0
}

required := [
	[{"Effect"}, "statement has no Effect"],
	[{"Principal", "NotPrincipal"}, "statement has neither Principal nor NotPrincipal"],
	[{"Action", "NotAction"}, "statement has neither Action nor NotAction"],
]

statement_findings contains {"msg": sprintf("Effect %s is neither Allow nor Deny", [lib.quote(e)]), "path": ["policy", "Statement", i, "Effect"]} if {
	some i in statements
	e := input.policy.Statement[i].Effect
	not e in {"Allow", "Deny"}
	not lib.is_unknown(e)
}

statement_findings contains {"msg": sprintf("%s is not allowed in a trust policy (the role is the resource)", [k]), "path": ["policy", "Statement", i, k], "key": true} if {
	some i, ks in keys
	some k in (ks & {"Resource", "NotResource"})
}

# ---------------------------------------------------------------------------
# Principals

principal_types := vocabulary.principal_types

statement_findings contains {"msg": sprintf("%s must be \"*\" or an object of principal types, not %s", [elem, describe(p)]), "path": ["policy", "Statement", i, elem]} if {
	some i, ks in keys
	some elem in (ks & {"Principal", "NotPrincipal"})
	p := input.policy.Statement[i][elem]
	not is_object(p)
}

statement_findings contains {"msg": sprintf("unknown principal type %s (AWS, Service, Federated or CanonicalUser)", [lib.quote(t)]), "path": ["policy", "Statement", i, elem, t], "key": true} if {
	some i, ks in keys
	some elem in (ks & {"Principal", "NotPrincipal"})
	p := input.policy.Statement[i][elem]
	not lib.is_unknown(p)
	some t in (object.keys(p) - principal_types)
	not contains(t, "${") # a type that is not known (a Terraform type = var.t, a dynamic principals block)
}

principal_values contains [i, elem, t, j, v] if {
	some i, ks in keys
	some elem in (ks & {"Principal", "NotPrincipal"})
	some t, vals in input.policy.Statement[i][elem]
	t in principal_types
	is_array(vals)
	some j, v in vals
	not lib.is_unknown(v)
}

principal_arn_re := vocabulary.principal_arn_re

statement_findings contains {"msg": msg, "path": ["policy", "Statement", i, elem, "AWS", j]} if {
	some [i, elem, "AWS", j, v] in principal_values
	msg := aws_principal_problem(v)
}

aws_principal_problem(v) := sprintf("principal %s is not a string", [describe(v)]) if not is_string(v)

aws_principal_problem(v) := sprintf("wildcard inside the principal ARN %s: IAM accepts * only as the whole principal", [lib.quote(v)]) if {
	is_string(v)
	v != "*"
	contains(v, "*")
}

aws_principal_problem(v) := sprintf("malformed AWS principal %s: want a 12-digit account ID, an IAM user or role ARN, or *", [lib.quote(v)]) if {
	is_string(v)
	v != "*"
	not contains(v, "*")
	not lib.is_unique_id(v) # a deleted principal: TL018
	not regex.match(account_re, v)
	not regex.match(principal_arn_re, v)
}

account_re := vocabulary.account_re

statement_findings contains {"msg": sprintf("Federated principal %s is neither an OIDC or SAML provider ARN nor a built-in identity provider", [describe(v)]), "path": ["policy", "Statement", i, elem, "Federated", j]} if {
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

statement_findings contains {"msg": sprintf("Service principal %s is not a string", [describe(v)]), "path": ["policy", "Statement", i, elem, "Service", j]} if {
	some [i, elem, "Service", j, v] in principal_values
	not is_string(v)
}

statement_findings contains {"msg": "NotPrincipal is not allowed in a role trust policy: IAM rejects it; name the principals in Principal", "path": ["policy", "Statement", i, "NotPrincipal"], "key": true} if {
	some i, ks in keys
	"NotPrincipal" in ks
}

# ---------------------------------------------------------------------------
# Actions that do not fit the principal (Allow statements)

# action_element(i) is the action element of statement i when every value
# of it is known: "Action" or "NotAction".
action_element(i) := elem if {
	some elem in (keys[i] & {"Action", "NotAction"})
	actions := input.policy.Statement[i][elem]
	is_array(actions)
	every a in actions {
		is_string(a)
	}
}

federation_action := vocabulary.federation_action

statement_findings contains {"msg": msg, "path": ["policy", "Statement", i, elem], "key": true} if {
	some i in statements
	input.policy.Statement[i].Effect == "Allow"
	p := input.policy.Statement[i].Principal
	object.keys(p) == {"Federated"}
	feds := p.Federated
	is_array(feds)
	kinds := {k | some v in feds; k := lib.federated(v).kind}
	count(kinds) == 1
	count([v | some v in feds; lib.federated(v)]) == count(feds)
	some kind in kinds
	[action, who, name] := federation_action[kind]
	elem := action_element(i)
	not lib.allows_action(i, action)
	msg := sprintf("the statement's principals are all %s but it does not allow %s: STS refuses every federated sign-in to the role", [who, name])
}

service_actions := vocabulary.service_actions

statement_findings contains {"msg": msg, "path": ["policy", "Statement", i, elem], "key": true} if {
	some i in statements
	input.policy.Statement[i].Effect == "Allow"
	services := input.policy.Statement[i].Principal.Service
	is_array(services)
	some v in services
	is_string(v)
	[title, needed] := service_actions[lib.service_name(v)]
	elem := action_element(i)
	missing := [a | some a in needed; not lib.allows_action(i, lower(a))]
	count(missing) > 0
	msg := sprintf("%s needs %s in the trust statement; it does not allow %s, so the service refuses the role", [title, concat(", ", needed), concat(", ", missing)])
}

# ---------------------------------------------------------------------------
# Actions

sts_actions := vocabulary.sts_actions

statement_findings contains {"msg": action_problem(a), "path": ["policy", "Statement", i, elem, j]} if {
	some i, ks in keys
	some elem in (ks & {"Action", "NotAction"})
	actions := input.policy.Statement[i][elem]
	is_array(actions)
	some j, a in actions
	not sts_action(a)
	not lib.is_unknown(a)
}

statement_findings contains {"msg": sprintf("%s must be a list of actions, not %s", [elem, describe(actions)]), "path": ["policy", "Statement", i, elem]} if {
	some i, ks in keys
	some elem in (ks & {"Action", "NotAction"})
	actions := input.policy.Statement[i][elem]
	not is_array(actions)
	not lib.is_unknown(actions)
}

# The common case, an exact action name, is a set lookup; patterns need glob.
sts_action(a) if lower(a) in sts_actions

sts_action(a) if {
	is_string(a)
	regex.match(`[*?]`, a)
	some x in sts_actions
	glob.match(lower(a), null, x)
}

action_problem(a) := sprintf("action %s is not a string", [describe(a)]) if not is_string(a)

action_problem(a) := sprintf("action %s matches no STS action: a trust policy can only grant sts:AssumeRole*, sts:TagSession, sts:SetSourceIdentity and sts:SetContext", [lib.quote(a)]) if is_string(a)

# ---------------------------------------------------------------------------
# Conditions

statement_findings contains {"msg": sprintf("unknown condition operator %s", [lib.quote(op)]), "path": ["policy", "Statement", i, "Condition", op], "key": true} if {
	some i, ks in keys
	"Condition" in ks
	c := input.policy.Statement[i].Condition
	is_object(c)
	not lib.is_unknown(c)
	some op, _ in c
	not lib.valid_operator(op)
	not contains(op, "${") # an operator that is not known (a Terraform test = var.x, a dynamic condition)
}

statement_findings contains {"msg": sprintf("Condition must be an object of operators, not %s", [describe(c)]), "path": ["policy", "Statement", i, "Condition"]} if {
	some i, ks in keys
	"Condition" in ks
	c := input.policy.Statement[i].Condition
	not is_object(c)
}

# ---------------------------------------------------------------------------
# Role attributes

deny contains {"msg": sprintf("MaxSessionDuration %s is outside what AWS allows (3600 to 43200 seconds)", [lib.quote(d)]), "path": ["role", "MaxSessionDuration"]} if {
	d := input.role.MaxSessionDuration
	not lib.is_unknown(d)
	n := seconds(d)
	not in_range(n)
}

deny contains {"msg": sprintf("MaxSessionDuration %s is not a number of seconds", [lib.quote(d)]), "path": ["role", "MaxSessionDuration"]} if {
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
describe(v) := lib.quote(v) if is_string(v)

describe(v) := sprintf("%s (%s)", [lib.quote(v), type_name(v)]) if not is_string(v)
