# METADATA
# title: an AWS service may assume the role for any account
# description: |
#   A trust statement lets an AWS service (`Service` principal) assume the
#   role without testing `aws:SourceArn`, `aws:SourceAccount` or
#   `aws:SourceOrgID`.
#
#   Services such as SNS, EventBridge, Config or CloudTrail act for many
#   customers. Without a source condition, another account can make the
#   service act on *its* resources while using *your* role: a cross-service
#   confused deputy.
#
#   Exempt: roles on the `/aws-service-role/` path (service-linked roles,
#   managed by AWS) and services whose role is assumed by your own compute,
#   where a source condition does not apply: `ec2`, `lambda`, `edgelambda`,
#   `ecs-tasks`, `eks`, `eks-fargate-pods`, `pods.eks`, `codebuild`, `batch`,
#   `elasticmapreduce`, `sagemaker`, `glue` (all `.amazonaws.com`); and
#   `rolesanywhere`, which TL015 judges.
#
#   An `aws:SourceArn` test counts only when its values name an account with
#   no wildcard in the account part: an S3 bucket ARN names no account, and
#   any account's bucket of that name would do. `ForAllValues:` tests never
#   count (they pass when the key is absent).
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention
#     description: Cross-service confused deputy prevention
# scope: package
# custom:
#   id: TL007
#   name: service-confused-deputy
#   severity: 3.0
#   precision: medium
#   tags: [security, iam, trust-policy, confused-deputy]
#   remediation: |
#     Restrict the service to your account or resource:
#
#     ```json
#     "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}
#     ```
#   examples:
#     json:
#       bad: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"Service": "events.amazonaws.com"},
#             "Action": "sts:AssumeRole"
#           }]
#         }
#       good: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"Service": "events.amazonaws.com"},
#             "Action": "sts:AssumeRole",
#             "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}
#           }]
#         }
#     terraform:
#       bad: |
#         resource "aws_iam_role" "events" {
#           name = "events"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Service = "events.amazonaws.com" }
#               Action    = "sts:AssumeRole"
#             }]
#           })
#         }
#       good: |
#         data "aws_caller_identity" "current" {}
#
#         resource "aws_iam_role" "events" {
#           name = "events"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Service = "events.amazonaws.com" }
#               Action    = "sts:AssumeRole"
#               Condition = {
#                 StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
#               }
#             }]
#           })
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           EventsRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Service: events.amazonaws.com
#                     Action: sts:AssumeRole
#       good: |
#         Resources:
#           EventsRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Service: events.amazonaws.com
#                     Action: sts:AssumeRole
#                     Condition:
#                       StringEquals:
#                         aws:SourceAccount: !Ref AWS::AccountId
package trustlint.rules.service_confused_deputy

import data.trustlint.lib

source_keys := ["aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid"]

deny contains f if {
	not input.role.service_linked
	some p in lib.service_principals

	# Services whose roles are assumed by the caller's own compute. (A set
	# written here, not a rule of its own: a rule costs an evaluation on
	# every role, a literal nothing.)
	not p.name in {
		"ec2", "lambda", "edgelambda", "ecs-tasks", "eks", "eks-fargate-pods",
		"pods.eks", "codebuild", "batch", "elasticmapreduce", "sagemaker", "glue",
		"rolesanywhere", # TL015 judges it
	}
	not p.stmt in lib.opaque_statements
	not has_source_test(p.stmt)
	f := {
		"msg": sprintf("service %s may assume the role without an aws:SourceArn, aws:SourceAccount or aws:SourceOrgID condition (cross-service confused deputy)", [lib.quote(p.value)]),
		"path": ["policy", "Statement", p.stmt, "Principal", "Service", p.index],
	}
}

has_source_test(i) if {
	some [op, key, _] in lib.tests[i]
	key in {"aws:sourceaccount", "aws:sourceorgid"}
	not lib.is_for_all_values(op)
}

has_source_test(i) if {
	some [op, "aws:sourcearn", vals] in lib.tests[i]
	not lib.is_for_all_values(op)
	_names_accounts(vals)
}

# A templated key may be a source key.
has_source_test(i) if {
	some p in lib.key_patterns[i]
	some key in source_keys
	glob.match(p, null, key)
}

_names_accounts(vals) if lib.is_unknown(vals)

_names_accounts(vals) if {
	is_array(vals)
	count(vals) > 0
	every v in vals {
		_names_account(v)
	}
}

_names_account(v) if lib.is_unknown(v)

_names_account(v) if regex.match(`^arn:[^:]*:[^:]*:[^:]*:(?:[0-9]{12}|<own-account>):`, v)
