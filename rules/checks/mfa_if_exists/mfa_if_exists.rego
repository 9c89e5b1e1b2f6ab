# METADATA
# title: multi-factor authentication is tested only with IfExists
# description: |
#   A trust statement tests MFA only with an `...IfExists` operator
#   (`BoolIfExists` on `aws:MultiFactorAuthPresent`,
#   `NumericLessThanIfExists` on `aws:MultiFactorAuthAge`).
#
#   Callers that use long-term access keys carry no MFA key in their request
#   at all, and an `IfExists` test passes when the key is absent: the
#   statement does not require MFA from exactly the callers it should.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
#     description: IfExists condition operators
# scope: package
# custom:
#   id: TL009
#   name: mfa-if-exists
#   severity: 7.5
#   precision: high
#   tags: [security, iam, trust-policy, mfa]
#   remediation: |
#     Use the operator without `IfExists`:
#
#     ```json
#     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
#     ```
#   examples:
#     json:
#       bad: |
#         {
#           "Role": {
#             "RoleName": "ops-admin",
#             "Arn": "arn:aws:iam::111122223333:role/ops-admin",
#             "AssumeRolePolicyDocument": {
#               "Version": "2012-10-17",
#               "Statement": [{
#                 "Effect": "Allow",
#                 "Principal": {"AWS": "arn:aws:iam::111122223333:user/oncall"},
#                 "Action": "sts:AssumeRole",
#                 "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}
#               }]
#             }
#           }
#         }
#       good: |
#         {
#           "Role": {
#             "RoleName": "ops-admin",
#             "Arn": "arn:aws:iam::111122223333:role/ops-admin",
#             "AssumeRolePolicyDocument": {
#               "Version": "2012-10-17",
#               "Statement": [{
#                 "Effect": "Allow",
#                 "Principal": {"AWS": "arn:aws:iam::111122223333:user/oncall"},
#                 "Action": "sts:AssumeRole",
#                 "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
#               }]
#             }
#           }
#         }
#     terraform:
#       bad: |
#         data "aws_caller_identity" "current" {}
#
#         resource "aws_iam_role" "ops_admin" {
#           name = "ops-admin"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:user/oncall" }
#               Action    = "sts:AssumeRole"
#               Condition = {
#                 BoolIfExists = { "aws:MultiFactorAuthPresent" = "true" }
#               }
#             }]
#           })
#         }
#       good: |
#         data "aws_caller_identity" "current" {}
#
#         resource "aws_iam_role" "ops_admin" {
#           name = "ops-admin"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:user/oncall" }
#               Action    = "sts:AssumeRole"
#               Condition = {
#                 Bool = { "aws:MultiFactorAuthPresent" = "true" }
#               }
#             }]
#           })
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           OpsAdminRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       AWS: !Sub arn:aws:iam::${AWS::AccountId}:user/oncall
#                     Action: sts:AssumeRole
#                     Condition:
#                       BoolIfExists:
#                         aws:MultiFactorAuthPresent: "true"
#       good: |
#         Resources:
#           OpsAdminRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       AWS: !Sub arn:aws:iam::${AWS::AccountId}:user/oncall
#                     Action: sts:AssumeRole
#                     Condition:
#                       Bool:
#                         aws:MultiFactorAuthPresent: "true"
package trustlint.rules.mfa_if_exists

import data.trustlint.lib

if_exists_mfa_tests := {
	"BoolIfExists": "aws:multifactorauthpresent",
	"NumericLessThanIfExists": "aws:multifactorauthage",
	"NumericLessThanEqualsIfExists": "aws:multifactorauthage",
}

# (lib.mfa_if_exists_statements, the trust statements that test an MFA
# key with an IfExists operator, hold every statement this can fire on:
# most roles have none, and skip the walk of their conditions.)
deny contains f if {
	some i in lib.mfa_if_exists_statements
	not i in lib.mfa_statements
	some op, block in input.policy.Statement[i].Condition
	lkey := if_exists_mfa_tests[op]
	some key, _ in block
	lower(key) == lkey
	f := {
		"msg": sprintf("MFA is tested only with %s on %s, which passes when the key is absent (callers with long-term access keys)", [lib.quote(op), lib.quote(key)]),
		"path": ["policy", "Statement", i, "Condition", op, key],
		"key": true,
	}
}
