# METADATA
# title: token audience of the OIDC provider is not checked
# description: |
#   A trust statement for an OIDC `Federated` principal (other than Amazon
#   Cognito) does not test the token's audience (`<provider>:aud`; for Login
#   with Amazon and Facebook, `<provider>:app_id`).
#
#   The audience says which relying party a token was minted for. Without the
#   check, a token the same provider issued for another service (another
#   cloud, another application) is accepted too. Providers set it for you
#   (GitHub Actions uses `sts.amazonaws.com`), so the check costs nothing.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html
#     description: IAM and AWS STS condition context keys
# scope: package
# custom:
#   id: TL006
#   name: oidc-missing-audience
#   severity: 3.0
#   precision: high
#   tags: [security, iam, trust-policy, oidc]
#   remediation: |
#     Test the audience the provider issues for AWS:
#
#     ```json
#     "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}
#     ```
#   examples:
#     json:
#       bad: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
#             "Action": "sts:AssumeRoleWithWebIdentity",
#             "Condition": {
#               "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}
#             }
#           }]
#         }
#       good: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
#             "Action": "sts:AssumeRoleWithWebIdentity",
#             "Condition": {
#               "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
#               "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}
#             }
#           }]
#         }
#     terraform:
#       bad: |
#         resource "aws_iam_openid_connect_provider" "github" {
#           url            = "https://token.actions.githubusercontent.com"
#           client_id_list = ["sts.amazonaws.com"]
#         }
#
#         resource "aws_iam_role" "deploy" {
#           name = "deploy"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
#               Action    = "sts:AssumeRoleWithWebIdentity"
#               Condition = {
#                 StringLike = { "token.actions.githubusercontent.com:sub" = "repo:my-org/my-repo:ref:refs/heads/main" }
#               }
#             }]
#           })
#         }
#       good: |
#         resource "aws_iam_openid_connect_provider" "github" {
#           url            = "https://token.actions.githubusercontent.com"
#           client_id_list = ["sts.amazonaws.com"]
#         }
#
#         resource "aws_iam_role" "deploy" {
#           name = "deploy"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
#               Action    = "sts:AssumeRoleWithWebIdentity"
#               Condition = {
#                 StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
#                 StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:my-org/my-repo:ref:refs/heads/main" }
#               }
#             }]
#           })
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           DeployRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Federated: !Sub arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com
#                     Action: sts:AssumeRoleWithWebIdentity
#                     Condition:
#                       StringLike:
#                         token.actions.githubusercontent.com:sub: "repo:my-org/my-repo:ref:refs/heads/main"
#       good: |
#         Resources:
#           DeployRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Federated: !Sub arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com
#                     Action: sts:AssumeRoleWithWebIdentity
#                     Condition:
#                       StringEquals:
#                         token.actions.githubusercontent.com:aud: sts.amazonaws.com
#                       StringLike:
#                         token.actions.githubusercontent.com:sub: "repo:my-org/my-repo:ref:refs/heads/main"
package trustlint.rules.oidc_missing_audience

import data.trustlint.lib

deny contains f if {
	some p in lib.federated_principals
	p.kind == "oidc"
	not p.provider.cognito
	not p.stmt in lib.opaque_statements
	not has_audience_test(p)
	f := {
		"msg": sprintf("OIDC trust for %s does not test the token audience (%s:%s)", [lib.quote(p.host), lib.quote(p.host), p.provider.audience_keys[0]]),
		"path": ["policy", "Statement", p.stmt, "Principal", "Federated", p.index],
	}
}

has_audience_test(p) if {
	some [_, claim, _] in p.provider_tests
	claim in p.provider.audience_keys
}

has_audience_test(p) if {
	not contains(p.host, "${")
	some pattern in lib.key_patterns[p.stmt]
	some claim in p.provider.audience_keys
	glob.match(pattern, null, concat(":", [lower(p.host), claim]))
}
