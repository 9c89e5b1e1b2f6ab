# METADATA
# title: human-capable principal may assume the role without MFA
# description: |
#   A trust statement lets an IAM **user** of any account (own, trusted or
#   external), or the **account** principal of a trusted account other than
#   the role's own account, assume the role without requiring multi-factor
#   authentication.
#
#   Users and account principals stand for people with long-term access
#   keys. Keys leak (laptops, CI logs, public repositories); without an MFA
#   condition a leaked key is enough to become the role. Requiring MFA makes
#   a stolen key alone useless for this path.
#
#   The own account's root principal (`arn:aws:iam::<own>:root`) is exempt,
#   because it delegates the decision to the account's identity policies;
#   set `require_mfa_own_account: true` to judge it too. A statement that
#   tests `sts:ExternalId` exempts account principals (a third party's
#   service calls through them, see TL001) but never a user: an external ID
#   is no secret and does not prove a human. An external user therefore gets
#   both TL001 and TL002. A statement that tests MFA only with an
#   `...IfExists` operator is reported by TL009 instead.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
#     description: Configuring MFA-protected API access
# scope: package
# custom:
#   id: TL002
#   name: missing-mfa
#   severity: 6.5
#   precision: high
#   tags: [security, iam, trust-policy, mfa]
#   remediation: |
#     Require MFA in the trust statement:
#
#     ```json
#     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
#     ```
#
#     or bound the MFA age with
#     `"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}`.
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
#                 "Action": "sts:AssumeRole"
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
package trustlint.rules.missing_mfa

import data.trustlint.lib

deny contains f if {
	some p in lib.aws_principals
	human_capable(p.class, p.account)
	not p.stmt in lib.mfa_statements
	not p.stmt in lib.mfa_if_exists_statements
	not p.stmt in lib.opaque_statements
	not third_party_account(p)
	vendor := lib.vendor(p.account)
	f := object.union(
		{
			"msg": sprintf("%s %s%s may assume the role without MFA (no aws:MultiFactorAuthPresent or aws:MultiFactorAuthAge condition)", [p.class, lib.quote(p.value), lib.vendor_note(vendor)]),
			"path": ["policy", "Statement", p.stmt, "Principal", "AWS", p.index],
		},
		{"properties": {"vendor": vendor} | vendor != ""},
	)
}

human_capable("user", _)

human_capable("account", acct) if {
	acct in lib.trusted_accounts
	not acct in lib.own_accounts
}

human_capable("account", acct) if {
	acct in lib.own_accounts
	lib.require_mfa_own_account == true
}

# An ExternalId exempts an account principal, never a user.
third_party_account(p) if {
	p.class == "account"
	p.stmt in lib.external_id_statements
}
