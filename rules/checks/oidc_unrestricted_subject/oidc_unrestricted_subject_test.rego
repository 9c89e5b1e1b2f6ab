package trustlint.rules.oidc_unrestricted_subject_test

import data.trustlint.rules.oidc_unrestricted_subject

gh := "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"

eks := "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"

stmt(fed, cond) := {"Effect": "Allow", "Action": ["sts:AssumeRoleWithWebIdentity"], "Principal": {"Federated": [fed]}, "Condition": cond}

deny(s) := fs if {
	fs := oidc_unrestricted_subject.deny with input as {"role": {"name": "r"}, "policy": {"Statement": [s]}}
}

fires(s) if {
	fs := deny(s)
	{f.path | some f in fs} == {["policy", "Statement", 0, "Principal", "Federated", 0]}
}

silent(s) if count(deny(s)) == 0

test_github_without_sub if {
	fires(stmt(gh, {"StringEquals": {"token.actions.githubusercontent.com:aud": ["sts.amazonaws.com"]}}))
}

test_github_sub_pinned_to_owner if {
	silent(stmt(gh, {"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:my-org/*"]}}))
	silent(stmt(gh, {"StringEquals": {"Token.Actions.GitHubUserContent.com:SUB": ["repo:my-org/app:ref:refs/heads/main"]}}))
}

test_github_sub_wildcard_owner if {
	fires(stmt(gh, {"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:*"]}}))
	fires(stmt(gh, {"StringLike": {"token.actions.githubusercontent.com:sub": ["*"]}}))
	fires(stmt(gh, {"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:my-org/*", "repo:*/x"]}}))
}

test_github_identity_claims if {
	silent(stmt(gh, {"StringEquals": {"token.actions.githubusercontent.com:repository_owner": ["my-org"]}}))
	fires(stmt(gh, {"StringLike": {"token.actions.githubusercontent.com:repository": ["*"]}}))
}

test_operators_that_never_pin if {
	fires(stmt(gh, {"ForAllValues:StringLike": {"token.actions.githubusercontent.com:sub": ["repo:my-org/*"]}}))
	fires(stmt(gh, {"StringNotLike": {"token.actions.githubusercontent.com:sub": ["repo:evil/*"]}}))
	fires(stmt(gh, {"StringLikeIfExists": {"token.actions.githubusercontent.com:sub": ["repo:my-org/*"]}}))
}

test_key_of_another_provider_does_not_pin if {
	fires(stmt(eks, {"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:my-org/*"]}}))
}

test_eks if {
	silent(stmt(eks, {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": ["system:serviceaccount:prod:deployer"]}}))
	silent(stmt(eks, {"StringLike": {"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": ["system:serviceaccount:prod:*"]}}))
	fires(stmt(eks, {"StringLike": {"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": ["system:serviceaccount:*"]}}))
}

test_other_providers if {
	gitlab := "arn:aws:iam::111111111111:oidc-provider/gitlab.com"
	silent(stmt(gitlab, {"StringLike": {"gitlab.com:sub": ["project_path:my-group/*"]}}))
	fires(stmt(gitlab, {"StringLike": {"gitlab.com:sub": ["project_path:*"]}}))
	tfc := "arn:aws:iam::111111111111:oidc-provider/app.terraform.io"
	silent(stmt(tfc, {"StringLike": {"app.terraform.io:sub": ["organization:my-org:*"]}}))
	fires(stmt(tfc, {"StringLike": {"app.terraform.io:sub": ["organization:*"]}}))
	other := "arn:aws:iam::111111111111:oidc-provider/idp.example.com"
	silent(stmt(other, {"StringLike": {"idp.example.com:sub": ["user-*"]}}))
	fires(stmt(other, {"StringLike": {"idp.example.com:sub": ["*"]}}))
	fires(stmt("accounts.google.com", {}))
}

test_cognito_needs_aud if {
	fires(stmt("cognito-identity.amazonaws.com", {}))
	silent(stmt("cognito-identity.amazonaws.com", {"StringEquals": {"cognito-identity.amazonaws.com:aud": ["us-east-1:12345678-abcd"]}}))
}

test_unknown_values_report_nothing if {
	silent(stmt(gh, {"StringLike": {"token.actions.githubusercontent.com:sub": {"$unknown": "var.subs"}}}))
	silent(stmt(gh, {"StringLike": {"token.actions.githubusercontent.com:sub": [{"$unknown": "var.sub"}]}}))
	silent(stmt(gh, {"$unknown": "var.condition"}))
	silent(stmt({"$unknown": "var.provider_arn"}, {}))
}

test_templated_provider_compared_by_known_parts if {
	fed := {"$unknown": "arn:aws:iam::<own-account>:oidc-provider/${aws_iam_openid_connect_provider.ci.url}"}
	fires(stmt(fed, {}))
	silent(stmt(fed, {"StringEquals": {"${aws_iam_openid_connect_provider.ci.url}:sub": ["repo:my-org/app:ref:refs/heads/main"]}}))
	fires(stmt(fed, {"StringLike": {"${aws_iam_openid_connect_provider.ci.url}:sub": ["*"]}}))
}

# A provider ARN with an unknown region (or account) is still an EKS
# provider: a wildcard namespace is not pinned whatever the region.
test_partly_known_eks_provider if {
	fed := {"$unknown": "arn:aws:iam::<own-account>:oidc-provider/oidc.eks.${AWS::Region}.amazonaws.com/id/B7E3C9A1D5F4"}
	key := "oidc.eks.${AWS::Region}.amazonaws.com/id/B7E3C9A1D5F4:sub"
	fires(stmt(fed, {"StringLike": {key: ["system:serviceaccount:*:external-dns"]}}))
	silent(stmt(fed, {"StringLike": {key: ["system:serviceaccount:kube-system:*"]}}))
	fires(stmt({"$unknown": "arn:${AWS::Partition}:iam::${AccountId}:oidc-provider/token.actions.githubusercontent.com"}, {}))
}
