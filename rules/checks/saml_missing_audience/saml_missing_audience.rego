# METADATA
# title: assertion audience of the SAML provider is not checked
# description: |
#   A trust statement for a SAML provider (`:saml-provider/`) does not test
#   `SAML:aud`.
#
#   `SAML:aud` is the endpoint the assertion was made for. Testing it
#   (usually `https://signin.aws.amazon.com/saml`) ensures an assertion the
#   identity provider issued for another service provider cannot be replayed
#   to AWS STS.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html
#     description: Create a role for SAML 2.0 federation
# scope: package
# custom:
#   id: TL011
#   name: saml-missing-audience
#   severity: 4.0
#   precision: high
#   tags: [security, iam, trust-policy, saml]
#   remediation: |
#     ```json
#     "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}
#     ```
#   examples:
#     json:
#       bad: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/okta"},
#             "Action": "sts:AssumeRoleWithSAML"
#           }]
#         }
#       good: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/okta"},
#             "Action": "sts:AssumeRoleWithSAML",
#             "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}
#           }]
#         }
#     terraform:
#       bad: |
#         resource "aws_iam_role" "sso_admin" {
#           name = "sso-admin"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Federated = "arn:aws:iam::111122223333:saml-provider/okta" }
#               Action    = "sts:AssumeRoleWithSAML"
#             }]
#           })
#         }
#       good: |
#         resource "aws_iam_role" "sso_admin" {
#           name = "sso-admin"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Federated = "arn:aws:iam::111122223333:saml-provider/okta" }
#               Action    = "sts:AssumeRoleWithSAML"
#               Condition = {
#                 StringEquals = { "SAML:aud" = "https://signin.aws.amazon.com/saml" }
#               }
#             }]
#           })
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           SsoAdminRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Federated: !Sub arn:aws:iam::${AWS::AccountId}:saml-provider/okta
#                     Action: sts:AssumeRoleWithSAML
#       good: |
#         Resources:
#           SsoAdminRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Federated: !Sub arn:aws:iam::${AWS::AccountId}:saml-provider/okta
#                     Action: sts:AssumeRoleWithSAML
#                     Condition:
#                       StringEquals:
#                         SAML:aud: https://signin.aws.amazon.com/saml
package trustlint.rules.saml_missing_audience

import data.trustlint.lib

deny contains f if {
	some p in lib.federated_principals
	p.kind == "saml"
	not p.stmt in lib.opaque_statements
	not lib.tests_key(p.stmt, "saml:aud")
	f := {
		"msg": sprintf("SAML trust for provider %s does not test SAML:aud", [lib.quote(p.name)]),
		"path": ["policy", "Statement", p.stmt, "Principal", "Federated", p.index],
	}
}
