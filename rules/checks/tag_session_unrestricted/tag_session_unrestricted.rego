# METADATA
# title: external or any principal may set session tags freely
# description: |
#   An `Allow` statement lets an **external** or **wildcard** AWS principal
#   call `sts:TagSession` (the action is `sts:TagSession`, `sts:Tag*`,
#   `sts:*` or `*`, or a `NotAction` that does not exclude it) and no
#   condition limits the tags it may pass.
#
#   Session tags become `aws:PrincipalTag` values of the session. Policies
#   that grant access by tag (attribute-based access control) trust them: a
#   caller who may pass any tag can give itself `team=admins` or
#   `project=payroll` and reach what those tags open, and can mark tags as
#   transitive so that they follow every role it chains into.
#
#   A limit is `ForAllValues:StringEquals` (or `ForAllValues:StringLike` with
#   values that are not wildcards only) on `aws:TagKeys` with the keys the
#   caller may pass, or a pinning test (`StringEquals`, or `StringLike` with
#   a value that is not wildcards only) of `aws:RequestTag/<key>`.
#   `...IfExists` and negated operators never limit. Federated and Service
#   principals are not judged here: identity providers and AWS services set
#   tags from their own assertions. The account is judged external when the
#   own account is unknown too; list your own accounts under
#   `trusted_accounts`.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
#     description: Pass session tags in AWS STS
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-tagkeys
#     description: AWS global condition context keys - aws:TagKeys and aws:RequestTag
# scope: package
# custom:
#   id: TL014
#   name: tag-session-unrestricted
#   severity: 6.0
#   precision: high
#   tags: [security, iam, trust-policy, session-tags, abac]
#   remediation: |
#     Allow only the tag keys the caller needs, or pin the tag values:
#
#     ```json
#     "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["vendor-job"]}}
#     ```
#
#     If the caller does not need session tags, remove `sts:TagSession`
#     from the statement.
#   examples:
#     json:
#       bad: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"AWS": "arn:aws:iam::999988887777:role/etl-scheduler"},
#             "Action": ["sts:AssumeRole", "sts:TagSession"],
#             "Condition": {"StringEquals": {"sts:ExternalId": "a1b2c3-vendor-given-id"}}
#           }]
#         }
#       good: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"AWS": "arn:aws:iam::999988887777:role/etl-scheduler"},
#             "Action": ["sts:AssumeRole", "sts:TagSession"],
#             "Condition": {
#               "StringEquals": {"sts:ExternalId": "a1b2c3-vendor-given-id"},
#               "ForAllValues:StringEquals": {"aws:TagKeys": ["vendor-job"]}
#             }
#           }]
#         }
#     terraform:
#       bad: |
#         data "aws_iam_policy_document" "etl_trust" {
#           statement {
#             actions = ["sts:AssumeRole", "sts:TagSession"]
#             principals {
#               type        = "AWS"
#               identifiers = ["arn:aws:iam::999988887777:role/etl-scheduler"]
#             }
#             condition {
#               test     = "StringEquals"
#               variable = "sts:ExternalId"
#               values   = ["a1b2c3-vendor-given-id"]
#             }
#           }
#         }
#
#         resource "aws_iam_role" "etl" {
#           name               = "etl"
#           assume_role_policy = data.aws_iam_policy_document.etl_trust.json
#         }
#       good: |
#         data "aws_iam_policy_document" "etl_trust" {
#           statement {
#             actions = ["sts:AssumeRole", "sts:TagSession"]
#             principals {
#               type        = "AWS"
#               identifiers = ["arn:aws:iam::999988887777:role/etl-scheduler"]
#             }
#             condition {
#               test     = "StringEquals"
#               variable = "sts:ExternalId"
#               values   = ["a1b2c3-vendor-given-id"]
#             }
#             condition {
#               test     = "StringEquals"
#               variable = "aws:RequestTag/vendor-job"
#               values   = ["nightly-export"]
#             }
#           }
#         }
#
#         resource "aws_iam_role" "etl" {
#           name               = "etl"
#           assume_role_policy = data.aws_iam_policy_document.etl_trust.json
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           EtlRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       AWS: arn:aws:iam::999988887777:role/etl-scheduler
#                     Action:
#                       - sts:AssumeRole
#                       - sts:TagSession
#                     Condition:
#                       StringEquals:
#                         sts:ExternalId: a1b2c3-vendor-given-id
#       good: |
#         Resources:
#           EtlRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       AWS: arn:aws:iam::999988887777:role/etl-scheduler
#                     Action:
#                       - sts:AssumeRole
#                       - sts:TagSession
#                     Condition:
#                       StringEquals:
#                         sts:ExternalId: a1b2c3-vendor-given-id
#                       ForAllValues:StringEquals:
#                         aws:TagKeys:
#                           - vendor-job
package trustlint.rules.tag_session_unrestricted

import data.trustlint.lib

# A trust statement's AWS principals are classified in lib.aws_principals:
# the statement is reported for its first caller, the one with no caller
# before it.
deny contains f if {
	some p in lib.aws_principals
	p.stmt in lib.tag_session_statements
	_judged(p)
	not _earlier_caller(p)
	not p.stmt in lib.opaque_statements
	count(lib.key_patterns[p.stmt]) == 0 # a templated key may be a limit
	not _limited(lib.tests[p.stmt])
	f := finding(p.stmt, [p.index, p.value, p.class, p.account])
}

# A statement that allows sts:TagSession but no assume action is in no lib
# fact of the trust statements.
deny contains f if {
	some i in lib.tag_session_statements
	not i in lib.trust_statements
	is_array(input.policy.Statement[i].Principal.AWS) # callers reads nothing else
	found := callers(i)
	count(found) > 0
	not lib.is_opaque(i)
	not lib.has_templated_key(i)
	not _limited(lib.statement_tests(i))
	f := finding(i, sort(found)[0])
}

_earlier_caller(p) if {
	p.index > 0
	some [j, _, _, _] in callers(p.stmt)
	j < p.index
}

# callers(i) are the external and wildcard AWS principals of statement i, as
# [index, value, class, account].
callers(i) := {[j, v, c.class, c.account] |
	aws := input.policy.Statement[i].Principal.AWS
	is_array(aws)
	some j, v in aws
	is_string(v)
	c := lib.classify(v)
	_judged(c)
}

_judged(c) if c.class == "wildcard"

_judged(c) if {
	c.class in {"account", "user", "role"}
	not lib.is_trusted_account(c.account)
}

# _limited(tests): a test of the statement limits the session tags.
_limited(tests) if {
	some [op, key, vals] in tests
	_limit(op, key, vals)
}

_limit(op, "aws:tagkeys", vals) if {
	op in {"ForAllValues:StringEquals", "ForAllValues:StringEqualsIgnoreCase", "ForAllValues:StringLike"}
	lib.literal_test(trim_prefix(op, "ForAllValues:"), vals)
}

_limit(op, key, vals) if {
	startswith(key, "aws:requesttag/")
	lib.literal_test(op, vals)
}

# finding(i, c) reports statement i for its first caller c.
finding(i, c) := {"msg": message(c[1], c[2], c[3]), "path": action_path(i)} if {
	is_array(input.policy.Statement[i].Action)
} else := {"msg": message(c[1], c[2], c[3]), "path": ["policy", "Statement", i, "NotAction"], "key": true}

# action_path is the first Action value that allows sts:TagSession.
action_path(i) := ["policy", "Statement", i, "Action", j] if {
	j := min({j |
		some j, a in input.policy.Statement[i].Action
		lib.action_matches(a, lib.vocabulary.tag_session_action)
	})
}

message(v, class, acct) := sprintf("%s may call sts:TagSession with any session tags: no ForAllValues:StringEquals on aws:TagKeys or pinned aws:RequestTag/<key> limits them%s", [who(v, class, acct), hint(acct)])

who(_, "wildcard", _) := "any AWS principal (*)"

who(v, "account", _) := sprintf("external account %s", [lib.quote(v)])

who(v, class, acct) := sprintf("%s %s of external account %s", [class, lib.quote(v), acct]) if class in {"user", "role"}

hint("") := ""

hint(acct) := lib.external_hint(acct) if acct != ""
