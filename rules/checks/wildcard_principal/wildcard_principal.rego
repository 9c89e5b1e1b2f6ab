# METADATA
# title: any AWS principal may assume the role
# description: |
#   A trust statement names the wildcard principal (`"Principal": "*"` or
#   `"AWS": "*"`) and no condition pins the caller to your organization,
#   account or a specific ARN.
#
#   A wildcard principal means every AWS account in the world, including
#   attackers' accounts, may call `sts:AssumeRole` on the role. Only a
#   condition on `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`,
#   `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceAccount`,
#   `aws:SourceArn` or `aws:SourceOrgID` with a literal account or
#   organization part narrows it. An `sts:ExternalId` does not: it is not a
#   secret. Negated operators, `...IfExists` operators and `ForAllValues:`
#   never pin (they pass when the key is absent or for every other caller).
#
#   A **Deny guard** pins too: a `Deny` statement of the same policy for the
#   wildcard principal, covering the assume actions the trust statement
#   allows, whose condition is a negated test (`StringNotEquals`,
#   `StringNotLike`, `ArnNotEquals`, `ArnNotLike`, not `...IfExists`) of one
#   of those keys with pinning values, optionally beside `Bool` or
#   `BoolIfExists` `aws:PrincipalIsAWSService` `false`, as in AWS's
#   data-perimeter examples: everyone outside the organization, account or
#   ARN is denied. Any other condition narrows the Deny, and it no longer
#   pins.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
#     description: AWS JSON policy elements - Principal
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
#     description: AWS global condition context keys
# scope: package
# custom:
#   id: TL003
#   name: wildcard-principal
#   severity: 9.5
#   precision: high
#   tags: [security, iam, trust-policy, wildcard]
#   remediation: |
#     Name the principals that may assume the role, or pin the caller:
#
#     ```json
#     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
#     ```
#   examples:
#     json:
#       bad: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": "*",
#             "Action": "sts:AssumeRole"
#           }]
#         }
#       good: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": "*",
#             "Action": "sts:AssumeRole",
#             "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
#           }]
#         }
#     terraform:
#       bad: |
#         resource "aws_iam_role" "shared" {
#           name = "shared"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { AWS = "*" }
#               Action    = "sts:AssumeRole"
#             }]
#           })
#         }
#       good: |
#         resource "aws_iam_role" "shared" {
#           name = "shared"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { AWS = "*" }
#               Action    = "sts:AssumeRole"
#               Condition = {
#                 StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" }
#               }
#             }]
#           })
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           SharedRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal: "*"
#                     Action: sts:AssumeRole
#       good: |
#         Resources:
#           SharedRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal: "*"
#                     Action: sts:AssumeRole
#                     Condition:
#                       StringEquals:
#                         aws:PrincipalOrgID: o-a1b2c3d4e5
package trustlint.rules.wildcard_principal

import data.trustlint.lib

deny contains f if {
	some p in lib.aws_principals
	p.class == "wildcard"
	not p.stmt in lib.pinned_statements
	not p.stmt in lib.opaque_statements
	f := {
		"msg": "any AWS principal (*) may assume the role: no condition pins the caller's organization, account or ARN",
		"path": ["policy", "Statement", p.stmt, "Principal", "AWS", p.index],
	}
}
