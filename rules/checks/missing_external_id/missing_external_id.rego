# METADATA
# title: external principal may assume role without sts:ExternalId
# description: |
#   A trust statement lets a principal of an **external** AWS account (an
#   account that is neither the role's own account nor listed in
#   `trusted_accounts`) assume the role, and the statement tests no
#   `sts:ExternalId` at all.
#
#   Third parties (SaaS vendors, consultants, monitoring services) assume
#   roles in many customers' accounts from their own account. Without an
#   external ID, anyone who can make the vendor act on their behalf can make
#   it assume *your* role: the confused-deputy problem. The external ID is
#   the value the vendor gives you to tell its customers apart.
#
#   The account is judged external when the own account is unknown too; if
#   it is one of yours, list it under `trusted_accounts` in `.trustlint.yaml`.
#   A statement whose `aws:PrincipalOrgID` is restricted to one of
#   `trusted_org_ids` is not reported. A weak ExternalId test (a wildcard, an
#   `...IfExists` operator) is TL010, not this rule. An external **user** is
#   a person with long-term keys: it also needs MFA (TL002), because an
#   external ID alone does not protect a person's keys.
#
#   The finding names a known third party (`external account
#   arn:aws:iam::464622532012:root (Datadog)`): vendors' documented accounts
#   are bundled, and `known_accounts` / `known_accounts_file` in
#   `.trustlint.yaml` add yours. A known vendor still needs an external ID.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
#     description: How to use an external ID when granting access to your AWS resources to a third party
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
#     description: The confused deputy problem
# scope: package
# custom:
#   id: TL001
#   name: missing-external-id
#   severity: 8.0
#   precision: high
#   tags: [security, iam, trust-policy, confused-deputy]
#   remediation: |
#     Add the external ID that the third party gave you:
#
#     ```json
#     "Condition": {"StringEquals": {"sts:ExternalId": "a1b2c3-vendor-given-id"}}
#     ```
#
#     If the account is one of your own, add it to `trusted_accounts` in
#     `.trustlint.yaml` instead.
#   examples:
#     json:
#       bad: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
#             "Action": "sts:AssumeRole"
#           }]
#         }
#       good: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
#             "Action": "sts:AssumeRole",
#             "Condition": {"StringEquals": {"sts:ExternalId": "a1b2c3-vendor-given-id"}}
#           }]
#         }
#     terraform:
#       bad: |
#         resource "aws_iam_role" "vendor" {
#           name = "vendor"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { AWS = "arn:aws:iam::999988887777:root" }
#               Action    = "sts:AssumeRole"
#             }]
#           })
#         }
#       good: |
#         resource "aws_iam_role" "vendor" {
#           name = "vendor"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { AWS = "arn:aws:iam::999988887777:root" }
#               Action    = "sts:AssumeRole"
#               Condition = {
#                 StringEquals = { "sts:ExternalId" = "a1b2c3-vendor-given-id" }
#               }
#             }]
#           })
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           VendorRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       AWS: arn:aws:iam::999988887777:root
#                     Action: sts:AssumeRole
#       good: |
#         Resources:
#           VendorRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       AWS: arn:aws:iam::999988887777:root
#                     Action: sts:AssumeRole
#                     Condition:
#                       StringEquals:
#                         sts:ExternalId: a1b2c3-vendor-given-id
package trustlint.rules.missing_external_id

import data.trustlint.lib

deny contains f if {
	some p in lib.aws_principals
	p.class in {"account", "user", "role"}
	not p.account in lib.trusted_accounts
	not p.stmt in lib.external_id_statements
	not p.stmt in lib.opaque_statements
	not p.stmt in lib.org_trusted_statements
	vendor := lib.vendor(p.account)
	msg := sprintf(messages[p.class], [p.class, lib.quote(p.value), p.account, lib.vendor_note(vendor), lib.external_hint(p.account)])
	f := object.union({"msg": msg, "path": ["policy", "Statement", p.stmt, "Principal", "AWS", p.index]}, {"properties": {"vendor": vendor} | vendor != ""})
}

# messages holds the message for each class of principal, a table rather
# than functions: one lookup and one sprintf per finding. The arguments are
# %[1]s the class, %[2]s the principal (lib.quote), %[3]s its account,
# %[4]s the vendor note and %[5]s the external-account hint. A user is a
# person: an external ID does not protect long-term keys.
messages := {
	"account": "external account %[2]s%[4]s may assume the role without an sts:ExternalId condition (confused deputy)%[5]s",
	"role": "%[1]s %[2]s of external account %[3]s%[4]s may assume the role without an sts:ExternalId condition (confused deputy)%[5]s",
	"user": "%[1]s %[2]s of external account %[3]s%[4]s may assume the role without an sts:ExternalId condition (confused deputy); a user is a person and needs MFA, not only an ExternalId%[5]s",
}
