# METADATA
# title: role sessions may last longer than allowed
# description: |
#   The role's `MaxSessionDuration` is above `max_session_duration` from the
#   configuration (default 3600 seconds, the AWS default; AWS allows 3600 to
#   43200).
#
#   Temporary credentials are the safe path because they expire. A role
#   whose sessions last up to twelve hours gives a stolen session token (from
#   a CI log, a developer laptop, an SSRF on an instance) a long life. Keep
#   sessions short and let tools refresh them.
#
#   Exports that do not carry the field (`get-account-authorization-details`)
#   are not judged.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-settings.html
#     description: Update the maximum session duration for a role
# scope: package
# custom:
#   id: TL004
#   name: excessive-session-duration
#   severity: 5.0
#   precision: high
#   tags: [security, iam, session-duration]
#   remediation: |
#     Lower `MaxSessionDuration` to 3600 seconds (or to the limit your
#     organization sets in `max_session_duration`).
#   examples:
#     json:
#       bad: |
#         {
#           "Role": {
#             "RoleName": "batch-worker",
#             "Arn": "arn:aws:iam::111122223333:role/batch-worker",
#             "AssumeRolePolicyDocument": {
#               "Version": "2012-10-17",
#               "Statement": [{
#                 "Effect": "Allow",
#                 "Principal": {"Service": "ec2.amazonaws.com"},
#                 "Action": "sts:AssumeRole"
#               }]
#             },
#             "MaxSessionDuration": 43200
#           }
#         }
#       good: |
#         {
#           "Role": {
#             "RoleName": "batch-worker",
#             "Arn": "arn:aws:iam::111122223333:role/batch-worker",
#             "AssumeRolePolicyDocument": {
#               "Version": "2012-10-17",
#               "Statement": [{
#                 "Effect": "Allow",
#                 "Principal": {"Service": "ec2.amazonaws.com"},
#                 "Action": "sts:AssumeRole"
#               }]
#             },
#             "MaxSessionDuration": 3600
#           }
#         }
#     terraform:
#       bad: |
#         resource "aws_iam_role" "batch_worker" {
#           name = "batch-worker"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Service = "ec2.amazonaws.com" }
#               Action    = "sts:AssumeRole"
#             }]
#           })
#           max_session_duration = 43200
#         }
#       good: |
#         resource "aws_iam_role" "batch_worker" {
#           name = "batch-worker"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Service = "ec2.amazonaws.com" }
#               Action    = "sts:AssumeRole"
#             }]
#           })
#           max_session_duration = 3600
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           BatchWorkerRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Service: ec2.amazonaws.com
#                     Action: sts:AssumeRole
#               MaxSessionDuration: 43200
#       good: |
#         Resources:
#           BatchWorkerRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Service: ec2.amazonaws.com
#                     Action: sts:AssumeRole
#               MaxSessionDuration: 3600
package trustlint.rules.excessive_session_duration

import data.trustlint.lib

deny contains f if {
	d := seconds(input.role.MaxSessionDuration)
	d > lib.max_session_duration
	f := {
		"msg": sprintf("MaxSessionDuration %s seconds is above the %v-second limit", [lib.quote(d), lib.max_session_duration]),
		"path": ["role", "MaxSessionDuration"],
	}
}

seconds(v) := v if is_number(v)

seconds(v) := n if {
	is_string(v)
	regex.match(`^[0-9]+$`, trim_space(v))
	n := to_number(trim_space(v))
}
