package trustlint.rules.missing_mfa_test

import data.trustlint.rules.missing_mfa

stmt(principal, cond) := {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"AWS": principal}, "Condition": cond}

deny(stmts, cfg) := fs if {
	fs := missing_mfa.deny with input as {"role": {"name": "r", "own_account": "111111111111"}, "policy": {"Statement": stmts}}
		with data.trustlint.config as cfg
}

trusted := {"trusted_accounts": ["222222222222"]}

test_user_of_own_account_fires if {
	fs := deny([stmt(["arn:aws:iam::111111111111:user/alice"], {})], {})
	{f.path | some f in fs} == {["policy", "Statement", 0, "Principal", "AWS", 0]}
}

test_trusted_account_principal_fires if {
	count(deny([stmt(["arn:aws:iam::222222222222:root"], {})], trusted)) == 1
	count(deny([stmt(["222222222222"], {})], trusted)) == 1
}

test_own_root_exempt_unless_configured if {
	count(deny([stmt(["arn:aws:iam::111111111111:root"], {})], {})) == 0
	count(deny([stmt(["arn:aws:iam::111111111111:root"], {})], {"require_mfa_own_account": true})) == 1
}

test_external_account_is_tl001_not_this if {
	count(deny([stmt(["arn:aws:iam::999999999999:root"], {})], {})) == 0
}

test_roles_are_not_human if {
	count(deny([stmt(["arn:aws:iam::111111111111:role/ci"], {})], {})) == 0
}

test_mfa_present_variants if {
	count(deny([stmt(["222222222222"], {"Bool": {"aws:MultiFactorAuthPresent": [true]}})], trusted)) == 0
	count(deny([stmt(["222222222222"], {"Bool": {"aws:multifactorauthpresent": ["TRUE"]}})], trusted)) == 0
	count(deny([stmt(["222222222222"], {"Bool": {"aws:MultiFactorAuthPresent": ["true", "false"]}})], trusted)) == 1
	count(deny([stmt(["222222222222"], {"Bool": {"aws:MultiFactorAuthPresent": ["false"]}})], trusted)) == 1
}

test_mfa_age if {
	count(deny([stmt(["222222222222"], {"NumericLessThan": {"aws:MultiFactorAuthAge": [3600]}})], trusted)) == 0
	count(deny([stmt(["222222222222"], {"NumericLessThanEquals": {"AWS:MultiFactorAuthAge": ["3600"]}})], trusted)) == 0
	count(deny([stmt(["222222222222"], {"NumericGreaterThan": {"aws:MultiFactorAuthAge": ["3600"]}})], trusted)) == 1
}

test_if_exists_is_tl009_not_this if {
	count(deny([stmt(["222222222222"], {"BoolIfExists": {"aws:MultiFactorAuthPresent": ["true"]}})], trusted)) == 0
}

test_external_id_makes_it_third_party if {
	count(deny([stmt(["222222222222"], {"StringEquals": {"sts:ExternalId": ["x"]}})], trusted)) == 0
}

# An ExternalId is no secret and does not prove a human: it never exempts a
# user, of whatever account.
test_external_id_never_exempts_a_user if {
	ext := {"StringEquals": {"sts:ExternalId": ["x"]}}
	count(deny([stmt(["arn:aws:iam::111111111111:user/alice"], ext)], {})) == 1
	count(deny([stmt(["arn:aws:iam::222222222222:user/bob"], ext)], trusted)) == 1
	count(deny([stmt(["arn:aws:iam::999999999999:user/carol"], ext)], {})) == 1
}

test_users_of_every_account if {
	fs := deny([stmt(["arn:aws:iam::222222222222:user/bob", "arn:aws:iam::999999999999:user/carol"], {})], trusted)
	{f.path | some f in fs} == {["policy", "Statement", 0, "Principal", "AWS", 0], ["policy", "Statement", 0, "Principal", "AWS", 1]}
	count(deny([stmt(["arn:aws:iam::999999999999:user/carol"], {"Bool": {"aws:MultiFactorAuthPresent": ["true"]}})], {})) == 0
}

test_unknown_reports_nothing if {
	count(deny([stmt(["222222222222"], {"$unknown": "var.c"})], trusted)) == 0
	count(deny([stmt([{"$unknown": "var.p"}], {})], trusted)) == 0
}

test_own_account_token if {
	fs := missing_mfa.deny with input as {
		"role": {"name": "r", "own_account": "<own-account>"},
		"policy": {"Statement": [stmt(["arn:aws:iam::<own-account>:user/alice", "arn:aws:iam::<own-account>:root"], {})]},
	}
	{f.path | some f in fs} == {["policy", "Statement", 0, "Principal", "AWS", 0]}
}

test_known_vendor_is_named if {
	[f] := [f | some f in deny([stmt(["arn:aws:iam::926226587429:user/collector"], {})], {})]
	f.msg == "user arn:aws:iam::926226587429:user/collector (Sumo Logic) may assume the role without MFA (no aws:MultiFactorAuthPresent or aws:MultiFactorAuthAge condition)"
	f.properties == {"vendor": "Sumo Logic"}
}
