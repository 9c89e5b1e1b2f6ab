package trustlint.rules.mfa_if_exists_test

import data.trustlint.rules.mfa_if_exists

deny(cond) := fs if {
	fs := mfa_if_exists.deny with input as {"role": {"name": "r"}, "policy": {"Statement": [{
		"Effect": "Allow", "Action": ["sts:AssumeRole"],
		"Principal": {"AWS": ["arn:aws:iam::111111111111:root"]}, "Condition": cond,
	}]}}
}

test_bool_if_exists if {
	fs := deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": ["true"]}})
	{[f.path, f.key] | some f in fs} == {[["policy", "Statement", 0, "Condition", "BoolIfExists", "aws:MultiFactorAuthPresent"], true]}
}

test_age_if_exists if {
	count(deny({"NumericLessThanIfExists": {"AWS:MultiFactorAuthAge": ["3600"]}})) == 1
}

test_real_mfa_test_too if {
	count(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": ["true"]}, "Bool": {"aws:MultiFactorAuthPresent": ["true"]}})) == 0
}

test_no_mfa_at_all_is_not_this_rule if {
	count(deny({})) == 0
}
