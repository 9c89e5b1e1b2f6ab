package trustlint.rules.broad_trust_action_test

import data.trustlint.rules.broad_trust_action

deny(s) := fs if {
	fs := broad_trust_action.deny with input as {"role": {"name": "r"}, "policy": {"Statement": [object.union(
		{"Effect": "Allow", "Principal": {"AWS": ["111111111111"]}},
		s,
	)]}}
}

test_star_actions if {
	fs := deny({"Action": ["sts:AssumeRole", "STS:*", "*"]})
	{f.path | some f in fs} == {["policy", "Statement", 0, "Action", 1], ["policy", "Statement", 0, "Action", 2]}
}

test_not_action if {
	fs := deny({"NotAction": ["sts:TagSession"]})
	{[f.path, f.key] | some f in fs} == {[["policy", "Statement", 0, "NotAction"], true]}
}

test_specific_actions_fine if {
	count(deny({"Action": ["sts:AssumeRole", "sts:TagSession", "sts:Assume*"]})) == 0
}
