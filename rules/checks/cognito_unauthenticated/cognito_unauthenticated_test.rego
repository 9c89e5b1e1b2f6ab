package trustlint.rules.cognito_unauthenticated_test

import data.trustlint.rules.cognito_unauthenticated

aud := {"cognito-identity.amazonaws.com:aud": ["eu-west-1:0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"]}

deny(cond) := fs if {
	stmt := {
		"Effect": "Allow",
		"Principal": {"Federated": ["cognito-identity.amazonaws.com"]},
		"Action": ["sts:AssumeRoleWithWebIdentity"],
		"Condition": cond,
	}
	fs := cognito_unauthenticated.deny with input as {"role": {"name": "r"}, "policy": {"Statement": [stmt]}}
}

test_unauthenticated_admitted if {
	fs := deny({"StringEquals": aud, "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": ["unauthenticated"]}})
	fs == {{
		"msg": "ForAnyValue:StringLike cognito-identity.amazonaws.com:amr admits unauthenticated (guest) identities: anyone on the internet can get the role's credentials from the identity pool",
		"path": ["policy", "Statement", 0, "Condition", "ForAnyValue:StringLike", "cognito-identity.amazonaws.com:amr"],
		"key": true,
	}}
}

test_admitting_tests if {
	admit := [
		{"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": ["authenticated", "unauthenticated"]}},
		{"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": ["*authenticated"]}},
		{"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": ["*"]}},
		{"ForAnyValue:StringEquals": {"Cognito-Identity.amazonaws.com:AMR": ["unauthenticated"]}},
		{"StringEqualsIgnoreCase": {"cognito-identity.amazonaws.com:amr": ["Unauthenticated"]}},
	]
	every cond in admit {
		[f] := [f | some f in deny(object.union({"StringEquals": aud}, cond))]
		f.key == true
	}
}

test_authenticated_only if {
	count(deny({"StringEquals": aud, "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": ["authenticated"]}})) == 0
	count(deny({"ForAnyValue:StringEquals": {"cognito-identity.amazonaws.com:amr": ["accounts.google.com"]}})) == 0
	count(deny({"ForAnyValue:StringNotLike": {"cognito-identity.amazonaws.com:amr": ["unauthenticated"]}})) == 0
	count(deny({"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": {"$unknown": "var.amr"}}})) == 0
}

test_no_amr_test if {
	fs := deny({"StringEquals": aud})
	fs == {{
		"msg": "no cognito-identity.amazonaws.com:amr test: unauthenticated (guest) identities of the identity pool may assume the role, and anyone on the internet can become one",
		"path": ["policy", "Statement", 0, "Principal", "Federated", 0],
	}}
	count(deny({"StringEquals": {"$unknown": "local.cond"}})) == 0
}

test_other_providers if {
	fs := cognito_unauthenticated.deny with input as {"role": {"name": "r"}, "policy": {"Statement": [{
		"Effect": "Allow",
		"Principal": {"Federated": ["accounts.google.com"]},
		"Action": ["sts:AssumeRoleWithWebIdentity"],
	}]}}
	count(fs) == 0
}
