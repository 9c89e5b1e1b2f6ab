# METADATA
# title: trust statement allows every STS action
# description: |
#   A trust statement allows `Action: "*"` or `"sts:*"`, or uses
#   `NotAction`.
#
#   Beyond assuming the role, the trusted principal then also gets
#   `sts:TagSession`, `sts:SetSourceIdentity` and `sts:SetContext`: it may
#   set session tags and a source identity of its choosing, which defeats
#   attribute-based access control and auditing built on them. Name the
#   actions the principal needs.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
#     description: Passing session tags in AWS STS
# scope: package
# custom:
#   id: TL012
#   name: broad-trust-action
#   severity: 4.0
#   precision: high
#   tags: [security, iam, trust-policy]
#   remediation: |
#     ```json
#     "Action": "sts:AssumeRole"
#     ```
#   examples:
#     json:
#       bad: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"Service": "ec2.amazonaws.com"},
#             "Action": "sts:*"
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
#               Action    = "sts:*"
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
#                     Action: "sts:*"
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
#                     Action: "sts:AssumeRole"
package trustlint.rules.broad_trust_action

import data.trustlint.lib

# lib.broad_action_statements holds the trust statements that either body
# can fire on (a NotAction, or a broad action in the Action list).
deny contains f if {
	some i in lib.broad_action_statements
	actions := input.policy.Statement[i].Action
	is_array(actions)
	some j, a in actions
	is_string(a)
	lower(a) in lib.vocabulary.broad_actions
	f := {
		"msg": sprintf("Action %s allows every STS action on the role (session tags, source identity), not just assuming it", [lib.quote(a)]),
		"path": ["policy", "Statement", i, "Action", j],
	}
}

deny contains f if {
	some i in lib.broad_action_statements
	_ = input.policy.Statement[i].NotAction
	f := {
		"msg": "NotAction allows every action it does not list, including ones added to STS later",
		"path": ["policy", "Statement", i, "NotAction"],
		"key": true,
	}
}
