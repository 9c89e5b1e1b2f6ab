# METADATA
# title: principal is the unique ID of a deleted user or role
# description: |
#   An AWS principal value is an IAM unique ID (`AROA…` for a role, `AIDA…`
#   for a user, or another IAM ID prefix followed by 16 or more upper-case
#   letters and digits) instead of an account ID or ARN.
#
#   When you save a trust policy, IAM stores the unique ID of each user and
#   role it names. When that user or role is deleted, the policy shows the
#   unique ID in its place: the trust now points at nobody. Recreating a user
#   or role with the same name does not restore it, because the new one gets
#   a new unique ID. The statement is dead weight at best, and at worst a
#   sign that someone expects access that silently stopped working (or a
#   policy copied from an export and pasted into code).
#
#   Every statement is checked, in `Principal` and `NotPrincipal`.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
#     description: IAM identifiers - unique identifiers and their prefixes
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
#     description: AWS JSON policy elements - Principal (IAM roles and unique IDs)
# scope: package
# custom:
#   id: TL018
#   name: deleted-principal
#   severity: 4.0
#   precision: very-high
#   tags: [security, iam, trust-policy, hygiene]
#   remediation: |
#     Remove the unique ID. If the user or role was recreated and should
#     still be trusted, name it again by its ARN (IAM records the new unique
#     ID when you save the policy):
#
#     ```json
#     "Principal": {"AWS": "arn:aws:iam::111122223333:role/deploy"}
#     ```
#   examples:
#     json:
#       bad: |
#         {
#           "Role": {
#             "RoleName": "deploy-target",
#             "Arn": "arn:aws:iam::111122223333:role/deploy-target",
#             "AssumeRolePolicyDocument": {
#               "Version": "2012-10-17",
#               "Statement": [{
#                 "Effect": "Allow",
#                 "Principal": {"AWS": "AROA4QWXB7EXAMPLEJ3KZ"},
#                 "Action": "sts:AssumeRole"
#               }]
#             }
#           }
#         }
#       good: |
#         {
#           "Role": {
#             "RoleName": "deploy-target",
#             "Arn": "arn:aws:iam::111122223333:role/deploy-target",
#             "AssumeRolePolicyDocument": {
#               "Version": "2012-10-17",
#               "Statement": [{
#                 "Effect": "Allow",
#                 "Principal": {"AWS": "arn:aws:iam::111122223333:role/deploy"},
#                 "Action": "sts:AssumeRole"
#               }]
#             }
#           }
#         }
#     terraform:
#       bad: |
#         resource "aws_iam_role" "deploy_target" {
#           name = "deploy-target"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { AWS = "AIDA6ZKQW2EXAMPLEV7RT" }
#               Action    = "sts:AssumeRole"
#             }]
#           })
#         }
#       good: |
#         data "aws_caller_identity" "current" {}
#
#         resource "aws_iam_role" "deploy_target" {
#           name = "deploy-target"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/deploy" }
#               Action    = "sts:AssumeRole"
#             }]
#           })
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           DeployTargetRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       AWS: AROA4QWXB7EXAMPLEJ3KZ
#                     Action: sts:AssumeRole
#       good: |
#         Resources:
#           DeployTargetRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       AWS: !Sub arn:aws:iam::${AWS::AccountId}:role/deploy
#                     Action: sts:AssumeRole
package trustlint.rules.deleted_principal

import data.trustlint.lib

deny contains f if {
	some i, s in input.policy.Statement
	some elem in ["Principal", "NotPrincipal"]
	values := s[elem].AWS
	is_array(values)
	some j, v in values
	is_string(v) # lib.is_unique_id(v), without a function call per principal
	regex.match(lib.unique_id_re, v)
	f := {
		"msg": sprintf("principal %s is the unique ID of a deleted %s: the trust points at nobody, and recreating the %s does not restore it", [lib.quote(v), kind(v), kind(v)]),
		"path": ["policy", "Statement", i, elem, "AWS", j],
	}
}

kinds := {"AROA": "role", "AIDA": "user"}

kind(v) := k if {
	k := kinds[substring(v, 0, 4)]
} else := "IAM entity"
