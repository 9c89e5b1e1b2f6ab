# METADATA
# title: any certificate of any trust anchor may assume the role
# description: |
#   A trust statement lets IAM Roles Anywhere (Service
#   `rolesanywhere.amazonaws.com`) assume the role and no condition pins
#   which certificates may: neither a pinning `aws:SourceArn` (a trust
#   anchor ARN whose account and trust anchor ID are literal) nor a pinning
#   test (`StringEquals`, or `StringLike` with a value that is not wildcards
#   only) of a certificate attribute, `aws:PrincipalTag/x509Subject/<field>`,
#   `aws:PrincipalTag/x509Issuer/<field>` or `aws:PrincipalTag/x509SAN/<field>`.
#
#   Roles Anywhere exchanges an X.509 certificate for the role's
#   credentials. Without such a condition, any certificate that any trust
#   anchor of the account accepts can become this role: a certificate
#   issued for a test server, a contractor's laptop, or another team's
#   workload, by any CA registered in the account now or later.
#
#   Negated, `...IfExists` and `ForAllValues:` operators never pin.
# related_resources:
#   - ref: https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html
#     description: IAM Roles Anywhere trust model - role trusts
#   - ref: https://docs.aws.amazon.com/rolesanywhere/latest/userguide/attribute-mapping.html
#     description: Certificate attribute mapping (x509Subject, x509Issuer, x509SAN principal tags)
# scope: package
# custom:
#   id: TL015
#   name: roles-anywhere-unscoped
#   severity: 7.0
#   precision: high
#   tags: [security, iam, trust-policy, roles-anywhere]
#   remediation: |
#     Pin the trust anchor and the certificate the workload presents:
#
#     ```json
#     "Condition": {
#       "ArnEquals": {"aws:SourceArn": "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"},
#       "StringEquals": {"aws:PrincipalTag/x509Subject/CN": "billing-batch.corp.example.com"}
#     }
#     ```
#   examples:
#     json:
#       bad: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"Service": "rolesanywhere.amazonaws.com"},
#             "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
#           }]
#         }
#       good: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"Service": "rolesanywhere.amazonaws.com"},
#             "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
#             "Condition": {
#               "ArnEquals": {"aws:SourceArn": "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"},
#               "StringEquals": {"aws:PrincipalTag/x509Subject/CN": "billing-batch.corp.example.com"}
#             }
#           }]
#         }
#     terraform:
#       bad: |
#         resource "aws_iam_role" "onprem_batch" {
#           name = "onprem-batch"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Service = "rolesanywhere.amazonaws.com" }
#               Action    = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
#             }]
#           })
#         }
#       good: |
#         resource "aws_rolesanywhere_trust_anchor" "corp_ca" {
#           name = "corp-ca"
#           source {
#             source_type = "AWS_ACM_PCA"
#             source_data {
#               acm_pca_arn = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/11223344-5566-7788-99aa-bbccddeeff00"
#             }
#           }
#         }
#
#         resource "aws_iam_role" "onprem_batch" {
#           name = "onprem-batch"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Service = "rolesanywhere.amazonaws.com" }
#               Action    = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
#               Condition = {
#                 ArnEquals    = { "aws:SourceArn" = aws_rolesanywhere_trust_anchor.corp_ca.arn }
#                 StringEquals = { "aws:PrincipalTag/x509Subject/CN" = "billing-batch.corp.example.com" }
#               }
#             }]
#           })
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           OnPremBatchRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Service: rolesanywhere.amazonaws.com
#                     Action:
#                       - sts:AssumeRole
#                       - sts:TagSession
#                       - sts:SetSourceIdentity
#       good: |
#         Parameters:
#           TrustAnchorId:
#             Type: String
#             Default: 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d
#         Resources:
#           OnPremBatchRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Service: rolesanywhere.amazonaws.com
#                     Action:
#                       - sts:AssumeRole
#                       - sts:TagSession
#                       - sts:SetSourceIdentity
#                     Condition:
#                       ArnEquals:
#                         aws:SourceArn: !Sub arn:aws:rolesanywhere:${AWS::Region}:${AWS::AccountId}:trust-anchor/${TrustAnchorId}
package trustlint.rules.roles_anywhere_unscoped

import data.trustlint.lib

deny contains f if {
	some p in lib.service_principals
	p.name == "rolesanywhere"
	not p.stmt in lib.opaque_statements
	not lib.has_templated_key(p.stmt)
	not scoped(p.stmt)
	f := {
		"msg": sprintf("any certificate that a trust anchor of the account accepts may become the role through %s: no aws:SourceArn pins the trust anchor and no aws:PrincipalTag/x509Subject/..., x509Issuer/... or x509SAN/... test pins the certificate", [lib.quote(p.value)]),
		"path": ["policy", "Statement", p.stmt, "Principal", "Service", p.index],
	}
}

scoped(i) if {
	some [op, "aws:sourcearn", vals] in lib.tests[i]
	op in {"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"}
	_anchors(vals)
}

scoped(i) if {
	some [op, key, vals] in lib.tests[i]
	regex.match(`^aws:principaltag/x509(?:subject|issuer|san)/.`, key)
	lib.literal_test(op, vals)
}

_anchors(vals) if lib.is_unknown(vals)

_anchors(vals) if {
	is_array(vals)
	count(vals) > 0
	every v in vals {
		_anchor(v)
	}
}

_anchor(v) if lib.is_unknown(v)

# A trust anchor ARN with a literal account and trust anchor ID (the
# partition and region may be patterns).
_anchor(v) if regex.match(`^arn:[^:]+:rolesanywhere:[^:]*:(?:[0-9]{12}|<own-account>):trust-anchor/[^*?]+$`, v)
