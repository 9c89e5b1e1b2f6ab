package trustlint.rules.missing_external_id_test

import data.trustlint.rules.missing_external_id

role := {"name": "r", "format": "policy"}

stmt(principal, cond) := {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"AWS": principal}, "Condition": cond}

deny(stmts) := fs if {
	fs := missing_external_id.deny with input as {"role": role, "policy": {"Statement": stmts}}
}

deny_own(stmts, own) := fs if {
	fs := missing_external_id.deny with input as {
		"role": object.union(role, {"own_account": own}),
		"policy": {"Statement": stmts},
	}
}

paths(fs) := {f.path | some f in fs}

test_external_account_root_fires if {
	fs := deny([stmt(["arn:aws:iam::999999999999:root"], {})])
	paths(fs) == {["policy", "Statement", 0, "Principal", "AWS", 0]}
	some f in fs
	contains(f.msg, "list it in trusted_accounts")
}

test_external_user_and_role_and_bare_id_fire if {
	fs := deny([stmt(
		[
			"arn:aws:iam::999999999999:user/bob",
			"arn:aws:iam::999999999999:role/x",
			"999999999999",
			"arn:aws-cn:sts::999999999999:assumed-role/r/s",
		],
		{},
	)])
	count(fs) == 4
}

test_user_message_asks_for_mfa if {
	fs := deny_own([stmt(["arn:aws:iam::999999999999:user/bob", "arn:aws:iam::999999999999:role/x"], {})], "111111111111")
	{f.msg | some f in fs} == {
		"user arn:aws:iam::999999999999:user/bob of external account 999999999999 may assume the role without an sts:ExternalId condition (confused deputy); a user is a person and needs MFA, not only an ExternalId",
		"role arn:aws:iam::999999999999:role/x of external account 999999999999 may assume the role without an sts:ExternalId condition (confused deputy)",
	}
}

test_own_account_is_not_external if {
	count(deny_own([stmt(["arn:aws:iam::111111111111:root"], {})], "111111111111")) == 0
}

test_own_account_known_message_has_no_hint if {
	fs := deny_own([stmt(["arn:aws:iam::999999999999:root"], {})], "111111111111")
	some f in fs
	not contains(f.msg, "trusted_accounts")
}

test_trusted_account_from_config if {
	fs := deny([stmt(["222222222222"], {})]) with data.trustlint.config as {"trusted_accounts": ["222222222222"]}
	count(fs) == 0
}

test_own_account_from_config if {
	fs := deny([stmt(["arn:aws:iam::111111111111:root"], {})]) with data.trustlint.config as {"own_account": "111111111111"}
	count(fs) == 0
}

test_external_id_any_case_silences if {
	count(deny([stmt(["999999999999"], {"StringEquals": {"STS:externalid": ["abc"]}})])) == 0
}

test_weak_external_id_is_not_this_rule if {
	count(deny([stmt(["999999999999"], {"StringLike": {"sts:ExternalId": ["*"]}})])) == 0
}

test_wildcard_is_not_this_rule if {
	count(deny([stmt(["*"], {})])) == 0
}

test_deny_statement_ignored if {
	count(deny([{"Effect": "Deny", "Action": ["sts:AssumeRole"], "Principal": {"AWS": ["999999999999"]}}])) == 0
}

test_non_assume_action_ignored if {
	count(deny([{"Effect": "Allow", "Action": ["sts:TagSession"], "Principal": {"AWS": ["999999999999"]}}])) == 0
}

test_action_patterns_case_insensitive if {
	count(deny([{"Effect": "Allow", "Action": ["STS:assume*"], "Principal": {"AWS": ["999999999999"]}}])) == 1
	count(deny([{"Effect": "Allow", "Action": ["*"], "Principal": {"AWS": ["999999999999"]}}])) == 1
}

test_not_action if {
	count(deny([{"Effect": "Allow", "NotAction": ["sts:TagSession"], "Principal": {"AWS": ["999999999999"]}}])) == 1
	count(deny([{"Effect": "Allow", "NotAction": ["sts:*"], "Principal": {"AWS": ["999999999999"]}}])) == 0
}

test_only_bad_statement_reported if {
	fs := deny([
		stmt(["arn:aws:iam::999999999999:root"], {"StringEquals": {"sts:ExternalId": ["x"]}}),
		stmt(["arn:aws:iam::888888888888:root"], {}),
	])
	paths(fs) == {["policy", "Statement", 1, "Principal", "AWS", 0]}
}

test_unknown_values_report_nothing if {
	count(deny([stmt([{"$unknown": "var.partner"}], {})])) == 0
	count(deny([stmt(["999999999999"], {"$unknown": "var.cond"})])) == 0
	count(deny([stmt(["999999999999"], {"StringEquals": {"$unknown": "local.c"}})])) == 0
	count(missing_external_id.deny) == 0 with input as {"role": role, "policy": {"$unknown": "var.p"}}
}

test_trusted_org_restriction if {
	fs := deny([stmt(["999999999999"], {"StringEquals": {"aws:PrincipalOrgID": ["o-abc"]}})]) with data.trustlint.config as {"trusted_org_ids": ["o-abc"]}
	count(fs) == 0
	fs2 := deny([stmt(["999999999999"], {"StringEquals": {"aws:PrincipalOrgID": ["o-other"]}})]) with data.trustlint.config as {"trusted_org_ids": ["o-abc"]}
	count(fs2) == 1
}

test_service_and_federated_ignored if {
	count(deny([{"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": ["ec2.amazonaws.com"]}}])) == 0
}

test_own_account_token_is_not_external if {
	count(deny_own([stmt(["arn:aws:iam::<own-account>:root", "<own-account>"], {})], "<own-account>")) == 0
}

test_unknown_lists_report_nothing if {
	count(deny([stmt({"$unknown": "var.principals"}, {})])) == 0
	count(deny([{"Effect": "Allow", "Action": {"$unknown": "*"}, "Principal": {"AWS": ["999999999999"]}}])) == 0
}

test_known_vendor_is_named if {
	fs := deny_own([stmt(["arn:aws:iam::464622532012:root", "arn:aws:iam::464622532012:role/DatadogAWSIntegrationRole"], {})], "111111111111")
	{[f.msg, f.properties.vendor] | some f in fs} == {
		["external account arn:aws:iam::464622532012:root (Datadog) may assume the role without an sts:ExternalId condition (confused deputy)", "Datadog"],
		["role arn:aws:iam::464622532012:role/DatadogAWSIntegrationRole of external account 464622532012 (Datadog) may assume the role without an sts:ExternalId condition (confused deputy)", "Datadog"],
	}
}

test_configured_vendor_wins if {
	fs := missing_external_id.deny with input as {"role": {"name": "r", "own_account": "111111111111"}, "policy": {"Statement": [stmt(["464622532012", "999999999999"], {})]}}
		with data.trustlint.config as {"known_accounts": {"464622532012": "Datadog US1", "999999999999": "Acme \"backup\" co"}}
	{f.msg | some f in fs} == {
		"external account 464622532012 (Datadog US1) may assume the role without an sts:ExternalId condition (confused deputy)",
		`external account 999999999999 ("Acme \"backup\" co") may assume the role without an sts:ExternalId condition (confused deputy)`,
	}
}

test_unknown_vendor_has_no_property if {
	[f] := [f | some f in deny_own([stmt(["999999999999"], {})], "111111111111")]
	not f.properties
}
