package trustlint.rules.saml_missing_audience_test

import data.trustlint.rules.saml_missing_audience

saml := "arn:aws:iam::111111111111:saml-provider/okta"

deny(fed, cond) := fs if {
	fs := saml_missing_audience.deny with input as {"role": {"name": "r"}, "policy": {"Statement": [{
		"Effect": "Allow", "Action": ["sts:AssumeRoleWithSAML"],
		"Principal": {"Federated": [fed]}, "Condition": cond,
	}]}}
}

test_missing if {
	fs := deny(saml, {})
	{f.path | some f in fs} == {["policy", "Statement", 0, "Principal", "Federated", 0]}
}

test_present_any_case if {
	count(deny(saml, {"StringEquals": {"saml:AUD": ["https://signin.aws.amazon.com/saml"]}})) == 0
}

test_oidc_is_not_saml if {
	count(deny("arn:aws:iam::111111111111:oidc-provider/gitlab.com", {})) == 0
}
