# METADATA
# title: guests of a Cognito identity pool may assume the role
# description: |
#   A trust statement for Amazon Cognito identity pools
#   (`cognito-identity.amazonaws.com`) admits unauthenticated identities:
#   its `cognito-identity.amazonaws.com:amr` test accepts `unauthenticated`
#   (a value equal to it, or a `StringLike` pattern that matches it), or it
#   has no `amr` test at all.
#
#   An identity pool that allows guest access hands out an unauthenticated
#   identity to anyone who asks, with no sign-in: anyone on the internet can
#   get these credentials. That is sometimes meant (a public web app's
#   analytics), and then the role's permissions must be safe for the whole
#   internet; when it is not meant, require `authenticated`.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html
#     description: Amazon Cognito identity pools - role trust and permissions
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html
#     description: Amazon Cognito identity pools - IAM roles
# scope: package
# custom:
#   id: TL017
#   name: cognito-unauthenticated
#   severity: 3.0
#   precision: high
#   tags: [security, iam, trust-policy, cognito]
#   remediation: |
#     Admit only signed-in identities of your identity pool:
#
#     ```json
#     "Condition": {
#       "StringEquals": {"cognito-identity.amazonaws.com:aud": "eu-west-1:0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"},
#       "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
#     }
#     ```
#
#     If guest access is intended, keep the role's permissions to what
#     anyone on the internet may do, and suppress the finding with a reason.
#   examples:
#     json:
#       bad: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"Federated": "cognito-identity.amazonaws.com"},
#             "Action": "sts:AssumeRoleWithWebIdentity",
#             "Condition": {
#               "StringEquals": {"cognito-identity.amazonaws.com:aud": "eu-west-1:0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"},
#               "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "unauthenticated"}
#             }
#           }]
#         }
#       good: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"Federated": "cognito-identity.amazonaws.com"},
#             "Action": "sts:AssumeRoleWithWebIdentity",
#             "Condition": {
#               "StringEquals": {"cognito-identity.amazonaws.com:aud": "eu-west-1:0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"},
#               "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
#             }
#           }]
#         }
#     terraform:
#       bad: |
#         resource "aws_cognito_identity_pool" "app" {
#           identity_pool_name               = "app"
#           allow_unauthenticated_identities = false
#         }
#
#         resource "aws_iam_role" "app_users" {
#           name = "app-users"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Federated = "cognito-identity.amazonaws.com" }
#               Action    = "sts:AssumeRoleWithWebIdentity"
#               Condition = {
#                 StringEquals = { "cognito-identity.amazonaws.com:aud" = aws_cognito_identity_pool.app.id }
#               }
#             }]
#           })
#         }
#       good: |
#         resource "aws_cognito_identity_pool" "app" {
#           identity_pool_name               = "app"
#           allow_unauthenticated_identities = false
#         }
#
#         resource "aws_iam_role" "app_users" {
#           name = "app-users"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { Federated = "cognito-identity.amazonaws.com" }
#               Action    = "sts:AssumeRoleWithWebIdentity"
#               Condition = {
#                 StringEquals             = { "cognito-identity.amazonaws.com:aud" = aws_cognito_identity_pool.app.id }
#                 "ForAnyValue:StringLike" = { "cognito-identity.amazonaws.com:amr" = "authenticated" }
#               }
#             }]
#           })
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           AppUsersRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Federated: cognito-identity.amazonaws.com
#                     Action: sts:AssumeRoleWithWebIdentity
#                     Condition:
#                       StringEquals:
#                         cognito-identity.amazonaws.com:aud: !Ref AppIdentityPool
#                       ForAnyValue:StringLike:
#                         cognito-identity.amazonaws.com:amr: "*authenticated"
#           AppIdentityPool:
#             Type: AWS::Cognito::IdentityPool
#             Properties:
#               AllowUnauthenticatedIdentities: true
#       good: |
#         Resources:
#           AppUsersRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Federated: cognito-identity.amazonaws.com
#                     Action: sts:AssumeRoleWithWebIdentity
#                     Condition:
#                       StringEquals:
#                         cognito-identity.amazonaws.com:aud: !Ref AppIdentityPool
#                       ForAnyValue:StringLike:
#                         cognito-identity.amazonaws.com:amr: authenticated
#           AppIdentityPool:
#             Type: AWS::Cognito::IdentityPool
#             Properties:
#               AllowUnauthenticatedIdentities: false
package trustlint.rules.cognito_unauthenticated

import data.trustlint.lib

cognito := "cognito-identity.amazonaws.com"

amr_key := "cognito-identity.amazonaws.com:amr"

# An amr test that admits guests, at its key. (Both bodies walk the
# principals themselves: a partial set of the Cognito statements cost
# every role an evaluation.)
deny contains f if {
	some p in lib.federated_principals
	p.host == cognito
	i := p.stmt
	some op, block in input.policy.Statement[i].Condition
	some key, vals in block
	lower(key) == amr_key
	admits_guests(op, vals)
	f := {
		"msg": sprintf("%s %s admits unauthenticated (guest) identities: anyone on the internet can get the role's credentials from the identity pool", [lib.quote(op), lib.quote(key)]),
		"path": ["policy", "Statement", i, "Condition", op, key],
		"key": true,
	}
}

# No amr test at all, at the Federated value.
deny contains f if {
	some p in lib.federated_principals
	p.host == cognito
	not lib.tests_key(p.stmt, amr_key)
	not p.stmt in lib.opaque_statements
	f := {
		"msg": sprintf("no %s test: unauthenticated (guest) identities of the identity pool may assume the role, and anyone on the internet can become one", [amr_key]),
		"path": ["policy", "Statement", p.stmt, "Principal", "Federated", p.index],
	}
}

admits_guests(op, vals) if {
	not lib.is_negated(op)
	base := lib.base_operator(op)
	is_array(vals)
	some v in vals
	is_string(v)
	_admits(base, v)
}

_admits("StringEquals", "unauthenticated")

_admits("StringEqualsIgnoreCase", v) if lower(v) == "unauthenticated"

_admits("StringLike", v) if glob.match(v, [], "unauthenticated")
