package trustlint.rules.oidc_missing_audience_test

import data.trustlint.rules.oidc_missing_audience

gh := "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"

deny(fed, cond) := fs if {
	fs := oidc_missing_audience.deny with input as {"role": {"name": "r"}, "policy": {"Statement": [{
		"Effect": "Allow", "Action": ["sts:AssumeRoleWithWebIdentity"],
		"Principal": {"Federated": [fed]}, "Condition": cond,
	}]}}
}

test_missing_aud if {
	fs := deny(gh, {"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:o/r:*"]}})
	{f.path | some f in fs} == {["policy", "Statement", 0, "Principal", "Federated", 0]}
}

test_aud_any_case if {
	count(deny(gh, {"StringEquals": {"TOKEN.actions.githubusercontent.com:Aud": ["sts.amazonaws.com"]}})) == 0
}

test_aud_of_other_provider_does_not_count if {
	count(deny(gh, {"StringEquals": {"gitlab.com:aud": ["sts.amazonaws.com"]}})) == 1
}

test_amazon_uses_app_id if {
	count(deny("www.amazon.com", {"StringEquals": {"www.amazon.com:app_id": ["amzn1.application.x"]}})) == 0
	count(deny("www.amazon.com", {})) == 1
}

test_cognito_and_saml_excluded if {
	count(deny("cognito-identity.amazonaws.com", {})) == 0
	count(deny("arn:aws:iam::111111111111:saml-provider/okta", {})) == 0
}

test_unknown if {
	count(deny(gh, {"$unknown": "var.c"})) == 0
}
