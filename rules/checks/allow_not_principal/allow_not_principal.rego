# METADATA
# title: allow statement uses NotPrincipal
# description: |
#   A statement with `"Effect": "Allow"` uses `NotPrincipal`: it allows
#   *everyone except* the listed principals, including every anonymous and
#   cross-account caller. In a trust policy that means almost anyone may
#   assume the role. AWS recommends never combining `NotPrincipal` with
#   `Allow`.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
#     description: AWS JSON policy elements - NotPrincipal
# scope: package
# custom:
#   id: TL008
#   name: allow-not-principal
#   severity: 9.0
#   precision: very-high
#   tags: [security, iam, trust-policy, wildcard]
#   remediation: |
#     Replace `NotPrincipal` with a `Principal` that names who may assume the
#     role.
#   examples:
#     json:
#       bad: |
#         {
#           "Role": {
#             "RoleName": "deployer",
#             "Arn": "arn:aws:iam::111122223333:role/deployer",
#             "AssumeRolePolicyDocument": {
#               "Version": "2012-10-17",
#               "Statement": [{
#                 "Effect": "Allow",
#                 "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/intern"},
#                 "Action": "sts:AssumeRole"
#               }]
#             }
#           }
#         }
#       good: |
#         {
#           "Role": {
#             "RoleName": "deployer",
#             "Arn": "arn:aws:iam::111122223333:role/deployer",
#             "AssumeRolePolicyDocument": {
#               "Version": "2012-10-17",
#               "Statement": [{
#                 "Effect": "Allow",
#                 "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci-runner"},
#                 "Action": "sts:AssumeRole"
#               }]
#             }
#           }
#         }
#     terraform:
#       bad: |
#         data "aws_caller_identity" "current" {}
#
#         resource "aws_iam_role" "deployer" {
#           name = "deployer"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect       = "Allow"
#               NotPrincipal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/intern" }
#               Action       = "sts:AssumeRole"
#             }]
#           })
#         }
#       good: |
#         data "aws_caller_identity" "current" {}
#
#         resource "aws_iam_role" "deployer" {
#           name = "deployer"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/ci-runner" }
#               Action    = "sts:AssumeRole"
#             }]
#           })
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           DeployerRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     NotPrincipal:
#                       AWS: !Sub arn:aws:iam::${AWS::AccountId}:role/intern
#                     Action: sts:AssumeRole
#       good: |
#         Resources:
#           DeployerRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       AWS: !Sub arn:aws:iam::${AWS::AccountId}:role/ci-runner
#                     Action: sts:AssumeRole
package trustlint.rules.allow_not_principal

deny contains f if {
	some i, s in input.policy.Statement
	s.Effect == "Allow"
	_ = s.NotPrincipal
	f := {
		"msg": "Allow with NotPrincipal lets everyone except the listed principals assume the role",
		"path": ["policy", "Statement", i, "NotPrincipal"],
		"key": true,
	}
}
