# METADATA
# title: any identity of the OIDC provider may assume the role
# description: |
#   A trust statement lets an OIDC identity provider's tokens assume the role
#   (GitHub Actions, EKS service accounts, GitLab, HCP Terraform, Bitbucket,
#   CircleCI, Google, any OIDC provider ARN) and no condition pins *who* the
#   token was issued to.
#
#   A provider such as `token.actions.githubusercontent.com` issues tokens to
#   every repository on GitHub. Without a pinned subject, any of them (an
#   attacker's fork included) can assume the role. A test pins when:
#
#   - `<provider>:sub` is tested with `StringEquals` (every value is literal),
#     or with `StringLike` and every value names the owner literally:
#     GitHub `repo:<owner>/…`, GitLab `project_path:<group>/…`, HCP Terraform
#     `organization:<org>:…`, EKS `system:serviceaccount:<namespace>:…`,
#     Bitbucket `{<repository-uuid>}…`, CircleCI `org/<org-id>/…`; for other
#     providers, a value that is not wildcards only (`repo:*` and `*` never
#     pin);
#   - for GitHub, a non-wildcard test of a claim STS also accepts:
#     `repository`, `repository_id`, `repository_owner`,
#     `repository_owner_id`, `job_workflow_ref`.
#
#   Condition keys count only when their prefix is the provider's own host
#   (`token.actions.githubusercontent.com:sub` does not pin an EKS provider).
#   Negated operators, `...IfExists` operators and `ForAllValues:` pin nothing
#   (`ForAllValues:` is true when the claim is absent). For Amazon Cognito
#   identity pools (`cognito-identity.amazonaws.com`) the pin is a
#   `cognito-identity.amazonaws.com:aud` test naming the identity pool.
#
#   The provider table (hosts, what a pinned subject looks like) is data:
#   `rules/data/providers.json`.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
#     description: Create a role for OpenID Connect federation
#   - ref: https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
#     description: Configuring OpenID Connect in Amazon Web Services (GitHub)
# scope: package
# custom:
#   id: TL005
#   name: oidc-unrestricted-subject
#   severity: 9.0
#   precision: high
#   tags: [security, iam, trust-policy, oidc]
#   remediation: |
#     Pin the subject to your repository, project or service account:
#
#     ```json
#     "Condition": {
#       "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
#       "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}
#     }
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
#               "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
#               "StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}
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
#                 StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
#                 StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:*" }
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
#                       StringEquals:
#                         token.actions.githubusercontent.com:aud: sts.amazonaws.com
#                       StringLike:
#                         token.actions.githubusercontent.com:sub: "repo:*"
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
package trustlint.rules.oidc_unrestricted_subject

import data.trustlint.lib

deny contains f if {
	some p in lib.federated_principals
	p.kind == "oidc"
	not p.stmt in lib.opaque_statements
	not pinned(p)
	f := {"msg": message(p), "path": ["policy", "Statement", p.stmt, "Principal", "Federated", p.index]}
}

message(p) := sprintf("any identity of Amazon Cognito identity pools may assume the role: no %s:aud condition names your identity pool", [lib.quote(p.host)]) if {
	p.provider.cognito
}

message(p) := sprintf("any identity of the OIDC provider %s may assume the role: no condition pins the token's subject (%s:sub), e.g. to %q", [lib.quote(p.host), lib.quote(p.host), object.get(p.provider, "example_subject", "...")]) if {
	not p.provider.cognito
}

# Cognito: an aud test names the identity pool.
pinned(p) if {
	p.provider.cognito
	some [_, "aud", _] in p.provider_tests
}

pinned(p) if {
	not p.provider.cognito
	some [op, claim, vals] in p.provider_tests
	claim in p.provider.subject_keys
	pinning_operator(op)
	subject_values_pin(p.provider, op, vals)
}

pinned(p) if {
	some [op, claim, vals] in p.provider_tests
	claim in object.get(p.provider, "identity_claims", [])
	pinning_operator(op)
	literal_values(vals)
}

# A templated key of the statement may be the subject key: report nothing.
pinned(p) if {
	some pattern in lib.key_patterns[p.stmt]
	some claim in p.provider.subject_keys
	glob.match(pattern, null, concat(":", [lower(p.host), claim]))
	not contains(p.host, "${")
}

pinning_operator(op) if {
	not lib.is_negated(op)
	not lib.is_if_exists(op)
	not lib.is_for_all_values(op)
	lib.base_operator(op) in {"StringEquals", "StringEqualsIgnoreCase", "StringLike"}
}

subject_values_pin(_, _, vals) if lib.is_unknown(vals)

subject_values_pin(provider, op, vals) if {
	is_array(vals)
	count(vals) > 0
	every v in vals {
		pinned_subject(provider, op, v)
	}
}

literal_values(vals) if lib.is_unknown(vals)

literal_values(vals) if {
	is_array(vals)
	count(vals) > 0
	every v in vals {
		literal(v)
	}
}

pinned_subject(_, _, v) if lib.is_unknown(v)

pinned_subject(_, op, v) if {
	lib.base_operator(op) != "StringLike"
	is_string(v)
	v != ""
}

pinned_subject(provider, "StringLike", v) if {
	is_string(v)
	regex.match(provider.pinned_subject, v)
}

pinned_subject(provider, "ForAnyValue:StringLike", v) if {
	is_string(v)
	regex.match(provider.pinned_subject, v)
}

literal(v) if lib.is_unknown(v)

literal(v) if {
	is_string(v)
	v != ""
	not lib.has_wildcard(v)
}
